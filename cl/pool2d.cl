/* pool2d.cl - 2-D pooling, NCHW float32, OpenCL C 1.2: windowed MaxPool / AveragePool / LpPool with ONNX
 * semantics (pads, dilations, ceil_mode, count_include_pad), and GlobalMaxPool / GlobalAveragePool as one
 * reduction per (n, c). Output pixels or channels may land at a channel offset inside a wider tensor.
 *
 * Compile-time options (-D), all optional:
 *   MODE        0 max, 1 average, 2 Lp (LP_P)                                         (default 0)
 *   LP_P        1: sum |x|, 2: sqrt(sum x^2); only read when MODE == 2                  (default 2)
 *   KH, KW      window height / width (pool2d_window only)                              (default 3, 3)
 *   SH, SW      stride along y / x (pool2d_window only)                                  (default 2, 2)
 *   DH, DW      dilation along y / x (pool2d_window only)                                (default 1, 1)
 *   COUNT_PAD   average only: 1 divides by the taps inside the padded extent
 *               (count_include_pad=1), 0 by the taps on real input elements              (default 0)
 *   GWG         work-group size of pool2d_global_wg; a power of two                      (default 64)
 *
 * Shapes, pads and the padded extent are kernel arguments, so a program serves every input size. ext_h/ext_w
 * are H + pad_bottom and W + pad_right: a tap at or beyond them lies past the padded input (only ceil_mode
 * windows reach there) and is not counted even with COUNT_PAD. A window with no input element at all (only
 * possible with dilation) gives -FLT_MAX for max (ONNX Runtime's start value) and 0 for average and Lp.
 *
 * Sums are divided by the count (not multiplied by a reciprocal): one rounding.
 */

#ifndef MODE
#define MODE 0
#endif
#ifndef LP_P
#define LP_P 2
#endif
#ifndef KH
#define KH 3
#endif
#ifndef KW
#define KW 3
#endif
#ifndef SH
#define SH 2
#endif
#ifndef SW
#define SW 2
#endif
#ifndef DH
#define DH 1
#endif
#ifndef DW
#define DW 1
#endif
#ifndef COUNT_PAD
#define COUNT_PAD 0
#endif
#ifndef GWG
#define GWG 64
#endif

#if MODE < 0 || MODE > 2
#error "MODE must be 0 (max), 1 (average) or 2 (Lp)"
#endif
#if LP_P != 1 && LP_P != 2
#error "LP_P must be 1 or 2"
#endif
#if (GWG & (GWG - 1)) != 0
#error "GWG must be a power of two"
#endif

/* The accumulator: its start value, one step, how two partial results merge, and the final value. */
#if MODE == 0
#define ACC_INIT (-FLT_MAX)
/* A compare and select is one instruction on CPUs where fmax's NaN rules cost three (measured: max pool 3x3 s2
 * 25% faster on POCL). Like ONNX Runtime's `if (x > y) y = x`, it skips NaN inputs, as fmax (kept for the
 * vectors of pool2d_global) does. */
#define ACC_STEP(a, v) ((v) > (a) ? (v) : (a))
#define ACC_STEPV(a, v) fmax((a), (v))
#define ACC_MERGE(a, b) fmax((a), (b))
#elif MODE == 1
#define ACC_INIT 0.0f
#define ACC_STEP(a, v) ((a) + (v))
#define ACC_STEPV(a, v) ACC_STEP(a, v)
#define ACC_MERGE(a, b) ((a) + (b))
#elif LP_P == 1
#define ACC_INIT 0.0f
#define ACC_STEP(a, v) ((a) + fabs(v))
#define ACC_STEPV(a, v) ACC_STEP(a, v)
#define ACC_MERGE(a, b) ((a) + (b))
#else
#define ACC_INIT 0.0f
#define ACC_STEP(a, v) ((a) + (v) * (v))
#define ACC_STEPV(a, v) ACC_STEP(a, v)
#define ACC_MERGE(a, b) ((a) + (b))
#endif

float pool_final(float acc, int count)
{
#if MODE == 0
    return acc;
#elif MODE == 1
    return count > 0 ? acc / (float)count : 0.0f;
#elif LP_P == 1
    return acc;
#else
    return sqrt(acc);
#endif
}

/* Taps of one window axis (kt taps, dilation d, first coordinate i0) that lie inside [lo, hi). */
int taps_in(int i0, int kt, int d, int lo, int hi)
{
    int n = 0;
    for (int t = 0; t < kt; ++t) {
        const int i = i0 + t * d;
        n += i >= lo && i < hi;
    }
    return n;
}

/* One tap window at (iy0, ix0) with bounds checks, and its divisor; for the border outputs. */
float window_guarded(__global const float *src, int H, int W, int iy0, int ix0, int pad_top, int pad_left,
                     int ext_h, int ext_w)
{
    float acc = ACC_INIT;
    for (int ky = 0; ky < KH; ++ky) {
        const int iy = iy0 + ky * DH;
        if (iy < 0 || iy >= H)
            continue; /* padding rows hold no value for max, and add nothing to sums */
        for (int kx = 0; kx < KW; ++kx) {
            const int ix = ix0 + kx * DW;
            if (ix >= 0 && ix < W)
                acc = ACC_STEP(acc, src[iy * W + ix]);
        }
    }
#if MODE == 1 && COUNT_PAD
    const int count = taps_in(iy0, KH, DH, -pad_top, ext_h) * taps_in(ix0, KW, DW, -pad_left, ext_w);
#elif MODE == 1
    const int count = taps_in(iy0, KH, DH, 0, H) * taps_in(ix0, KW, DW, 0, W);
#else
    const int count = 1;
#endif
    return pool_final(acc, count);
}

/* One work-item per output row: the columns whose window lies on real input run an unguarded, fully unrolled
 * loop (which CPU compilers vectorise, strided loads included); the few border columns, and rows whose window
 * reaches into the vertical padding, take window_guarded(). global = (OH, N*C). */
__kernel void pool2d_window(__global const float *restrict in, int in_off, __global float *restrict out, int out_off,
                            int C, int H, int W, int OH, int OW, int pad_top, int pad_left, int ext_h, int ext_w,
                            int out_c_offset, int out_c_total)
{
    const int oy = get_global_id(0);
    const int z = get_global_id(1); /* n * C + c */
    if (oy >= OH)
        return;
    const int n = z / C;
    const int c = z - n * C;
    const int iy0 = oy * SH - pad_top;
    __global const float *src = in + in_off + (size_t)z * (size_t)(H * W);
    __global float *dst = out + out_off + ((size_t)(n * out_c_total + out_c_offset + c) * OH + oy) * (size_t)OW;
    /* Interior columns [lo, hi): ox * SW - pad_left >= 0 and ox * SW - pad_left + (KW - 1) * DW < W. */
    int lo = (pad_left + SW - 1) / SW;
    int hi = W - 1 - (KW - 1) * DW + pad_left >= 0 ? (W - 1 - (KW - 1) * DW + pad_left) / SW + 1 : 0;
    hi = min(hi, OW);
    lo = min(lo, hi);
    if (iy0 < 0 || iy0 + (KH - 1) * DH >= H)
        lo = hi = 0; /* the window reaches into the vertical padding: every column is a border column */
    for (int ox = 0; ox < lo; ++ox)
        dst[ox] = window_guarded(src, H, W, iy0, ox * SW - pad_left, pad_top, pad_left, ext_h, ext_w);
    __global const float *p = src + iy0 * W - pad_left;
    for (int ox = lo; ox < hi; ++ox) {
        __global const float *q = p + ox * SW;
        float acc = ACC_INIT;
        _Pragma("unroll") for (int ky = 0; ky < KH; ++ky)
            _Pragma("unroll") for (int kx = 0; kx < KW; ++kx)
                acc = ACC_STEP(acc, q[ky * DH * W + kx * DW]);
        dst[ox] = pool_final(acc, KH * KW);
    }
    for (int ox = hi; ox < OW; ++ox)
        dst[ox] = window_guarded(src, H, W, iy0, ox * SW - pad_left, pad_top, pad_left, ext_h, ext_w);
}

/* Global pooling with one work-item per (n, c) looping over the map in float4 steps: the best shape for CPUs
 * and for many channels. global = (N*C) rounded up. */
__kernel void pool2d_global(__global const float *restrict in, int in_off, __global float *restrict out, int out_off,
                            int C, int HW, int NC, int out_c_offset, int out_c_total)
{
    const int z = get_global_id(0);
    if (z >= NC)
        return;
    const int n = z / C;
    const int c = z - n * C;
    __global const float *p = in + in_off + (size_t)z * (size_t)HW;
    float4 a4 = (float4)(ACC_INIT);
    const int n4 = HW / 4;
    for (int i = 0; i < n4; ++i) {
        const float4 v = vload4(i, p);
        a4 = ACC_STEPV(a4, v);
    }
    float acc = ACC_MERGE(ACC_MERGE(a4.x, a4.y), ACC_MERGE(a4.z, a4.w));
    for (int i = n4 * 4; i < HW; ++i)
        acc = ACC_STEP(acc, p[i]);
    out[out_off + (size_t)(n * out_c_total + out_c_offset + c)] = pool_final(acc, HW);
}

/* Global pooling with one work-group of GWG work-items per (n, c): strided partial results, then a tree in
 * local memory. For few channels over large maps, where one work-item per channel leaves the device idle.
 * global = (N*C*GWG), local = (GWG). */
__kernel __attribute__((reqd_work_group_size(GWG, 1, 1)))
void pool2d_global_wg(__global const float *restrict in, int in_off, __global float *restrict out, int out_off,
                      int C, int HW, int out_c_offset, int out_c_total)
{
    __local float part[GWG];
    const int lid = get_local_id(0);
    const int z = get_group_id(0);
    const int n = z / C;
    const int c = z - n * C;
    __global const float *p = in + in_off + (size_t)z * (size_t)HW;
    float acc = ACC_INIT;
    for (int i = lid; i < HW; i += GWG)
        acc = ACC_STEP(acc, p[i]);
    part[lid] = acc;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = GWG / 2; s > 0; s >>= 1) {
        if (lid < s)
            part[lid] = ACC_MERGE(part[lid], part[lid + s]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0)
        out[out_off + (size_t)(n * out_c_total + out_c_offset + c)] = pool_final(part[0], HW);
}
