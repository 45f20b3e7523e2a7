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
 *   ROWS        output rows per work-item of pool2d_window, which share their input rows  (default 4)
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
#ifndef ROWS
#define ROWS 4
#endif

#if MODE < 0 || MODE > 2
#error "MODE must be 0 (max), 1 (average) or 2 (Lp)"
#endif
#if LP_P != 1 && LP_P != 2
#error "LP_P must be 1 or 2"
#endif
#if ROWS < 1
#error "ROWS must be >= 1"
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
/* Merges two partial maxima, neither of which can be NaN (ACC_STEP never lets one in): the select suffices. */
#define ROW_MERGE(a, b) ((b) > (a) ? (b) : (a))
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
#if MODE != 0
#define ROW_MERGE(a, b) ((a) + (b)) /* partial sums (of |x| or x^2 for Lp) add */
#endif
/* Input rows that one block of ROWS output rows of pool2d_window reads. */
#define ROWS_IN ((ROWS - 1) * SH + (KH - 1) * DH + 1)

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

/* pool2d_window computes blocks of ROWS output rows: one work-item per block, so that vertically adjacent windows
 * share their input rows. Each input row t of a block is folded horizontally once and merged into every output row
 * r whose window covers it (r * SH + ky * DH == t for some ky): stride-2 3x3 windows fold 2 * ROWS + 1 rows rather
 * than 3 * ROWS, stride-1 ones ROWS + 2. Which rows meet is a constant once the loops unroll. */

/* The eight-output vector path. Stride 2 (no dilation) keeps eight outputs in the lane order of one AVX
 * vshufps over two 8-float loads, (0 1 4 5 2 3 6 7), through every tap and row, and restores it once at the end;
 * every other configuration is in natural order. SPAN is the number of input columns one group reads from its
 * first window's start: the kernel only starts a group where that stays inside the row. */
#if SW == 2 && DW == 1
#define PERM8(v) ((v).s01452367)
#define SPAN (((KW - 1) & ~1) + 16)
#else
#define PERM8(v) (v)
#define SPAN ((KW - 1) * DW + 7 * SW + 1)
#endif

/* An unaligned 8-float load as one instruction. POCL's vload8 is four 2-float loads, which LLVM then fails to
 * merge once the stride-2 shuffles consume them (about 45 instructions per row instead of 10); a packed struct
 * (OpenCL C 6.11.1) tells the compiler the whole vector may sit at any float address. */
typedef struct __attribute__((packed)) {
    float8 v;
} float8_unaligned;
#define LOAD8(p) (((__global const float8_unaligned *)(p))->v)

/* One input row's contribution to eight outputs SW apart, p at the first output's window start: every horizontal
 * tap folded into acc. Reads only columns [0, SPAN) of p. */
float8 row8(float8 acc, __global const float *p)
{
#if SW == 2 && DW == 1
    /* Taps kx (even) and kx + 1 are the even and odd columns of the 16 floats from p + kx: one vshufps each of the
     * two loads, no cross-lane move (a float16 value would leave the x86 ABI without AVX-512). */
    _Pragma("unroll") for (int kx = 0; kx < KW; kx += 2) {
        const float8 a = LOAD8(p + kx), b = LOAD8(p + kx + 8);
        acc = ACC_STEP(acc, ((float8)(a.s02, b.s02, a.s46, b.s46)));
        if (kx + 1 < KW)
            acc = ACC_STEP(acc, ((float8)(a.s13, b.s13, a.s57, b.s57)));
    }
#elif SW == 1
    _Pragma("unroll") for (int kx = 0; kx < KW; ++kx)
        acc = ACC_STEP(acc, LOAD8(p + kx * DW));
#else
    /* Other strides and dilations gather lane by lane. */
    _Pragma("unroll") for (int kx = 0; kx < KW; ++kx) {
        const int c = kx * DW;
        acc = ACC_STEP(acc, ((float8)(p[c], p[c + SW], p[c + 2 * SW], p[c + 3 * SW], p[c + 4 * SW], p[c + 5 * SW],
                                      p[c + 6 * SW], p[c + 7 * SW])));
    }
#endif
    return acc;
}

/* The 3-tap, stride-1 rows (3x3 s1 p1: Inception's average pools, GoogLeNet's max pools) also run their two
 * border columns in vectors: the group at the left edge takes its left taps from its centre vector shifted by one
 * lane with the padding value (ACC_INIT, neutral for every mode) shifted in, the group at the right edge likewise
 * on its right. A scalar window1 per border column and block cost more than the whole vector interior. */
#define EDGE3 (KW == 3 && SW == 1 && DW == 1)
#if EDGE3
__attribute__((always_inline)) float8 row8_edge(float8 acc, __global const float *p, bool el, bool er)
{
    const float8 c = LOAD8(p + 1);
    float8 l, r;
    if (el)
        l = (float8)(ACC_INIT, c.s012, c.s3456);
    else
        l = LOAD8(p);
    if (er)
        r = (float8)(c.s1234, c.s567, ACC_INIT);
    else
        r = LOAD8(p + 2);
    return ACC_STEP(ACC_STEP(ACC_STEP(acc, l), c), r);
}
#endif

/* el / er: lane 0 / lane 7 lies on the left / right border column of an EDGE3 row, one of whose taps is padding. */
float8 pool_final8(float8 acc, int count, bool el, bool er)
{
#if MODE == 0
    return acc;
#elif MODE == 1
    if (count <= 0)
        return (float8)(0.0f);
    float8 n = (float8)((float)count);
#if EDGE3 && !COUNT_PAD
    /* count is rows x 3 taps; the padding tap of a border column is not counted */
    const float edge = (float)(count / 3 * 2);
    if (el)
        n.s0 = edge;
    if (er)
        n.s7 = edge;
#endif
    return acc / n;
#elif LP_P == 1
    return acc;
#else
    return sqrt(acc);
#endif
}

/* Outputs [ox0, ox0 + 8) of the block's rows (nrows of them real), whose horizontal taps all lie on real input
 * (except the padding taps of EDGE3's border groups, el / er). check_rows skips the input rows outside [0, H); it
 * is a constant at each call, so blocks clear of the vertical padding carry no test. count[r] is the divisor of
 * row r. */
#if EDGE3
#define ROW8(a, q) ((el || er) ? row8_edge(a, q, el, er) : row8(a, q))
#else
#define ROW8(a, q) row8(a, q)
#endif
/* Inlined by force (a clang attribute, as every OpenCL C front end in use is clang): called twice with a constant
 * check_rows and once per group, it would otherwise stay a call with its tests (measured ~20% on POCL). */
__attribute__((always_inline)) void window8(__global const float *src, __global float *dst, int H, int W, int OW,
                                            int iy0, int ox0, int pad_left, int nrows, const int *count,
                                            bool check_rows, bool el, bool er)
{
    __global const float *p = src + ox0 * SW - pad_left;
    float8 acc[ROWS];
    _Pragma("unroll") for (int r = 0; r < ROWS; ++r)
        acc[r] = (float8)(ACC_INIT);
#if ROWS == 1
    /* No rows to share: the window's own rows, which may lie far apart (dilation). */
    _Pragma("unroll") for (int ky = 0; ky < KH; ++ky) {
        const int iy = iy0 + ky * DH;
        if (!check_rows || (iy >= 0 && iy < H))
            acc[0] = ROW8(acc[0], p + iy * W);
    }
#else
    _Pragma("unroll") for (int t = 0; t < ROWS_IN; ++t) {
        bool used = false;
        _Pragma("unroll") for (int r = 0; r < ROWS; ++r)
            _Pragma("unroll") for (int ky = 0; ky < KH; ++ky)
                used |= r * SH + ky * DH == t;
        const int iy = iy0 + t;
        if (used && (!check_rows || (iy >= 0 && iy < H))) {
            const float8 h = ROW8((float8)(ACC_INIT), p + iy * W);
            _Pragma("unroll") for (int r = 0; r < ROWS; ++r)
                _Pragma("unroll") for (int ky = 0; ky < KH; ++ky)
                    if (r * SH + ky * DH == t)
                        acc[r] = ROW_MERGE(acc[r], h);
        }
    }
#endif
    _Pragma("unroll") for (int r = 0; r < ROWS; ++r)
        if (r < nrows)
            vstore8(pool_final8(PERM8(acc[r]), count[r], el, er), 0, dst + r * OW + ox0);
}

/* Output column ox of the block's rows with every tap checked: the border columns, and the few interior ones no
 * vector group covers. A window with no input element keeps ACC_INIT (see the top of the file). */
__attribute__((always_inline)) void window1(__global const float *src, __global float *dst, int H, int W, int OW,
                                            int iy0, int ox, int pad_top, int pad_left, int ext_h, int ext_w,
                                            int nrows)
{
    const int ix0 = ox * SW - pad_left;
    float acc[ROWS];
    _Pragma("unroll") for (int r = 0; r < ROWS; ++r)
        acc[r] = ACC_INIT;
#if ROWS == 1
    _Pragma("unroll") for (int ky = 0; ky < KH; ++ky) {
        const int iy = iy0 + ky * DH;
        if (iy >= 0 && iy < H)
            _Pragma("unroll") for (int kx = 0; kx < KW; ++kx) {
                const int ix = ix0 + kx * DW;
                if (ix >= 0 && ix < W)
                    acc[0] = ACC_STEP(acc[0], src[iy * W + ix]);
            }
    }
#else
    _Pragma("unroll") for (int t = 0; t < ROWS_IN; ++t) {
        bool used = false;
        _Pragma("unroll") for (int r = 0; r < ROWS; ++r)
            _Pragma("unroll") for (int ky = 0; ky < KH; ++ky)
                used |= r * SH + ky * DH == t;
        const int iy = iy0 + t;
        if (used && iy >= 0 && iy < H) {
            float h = ACC_INIT;
            _Pragma("unroll") for (int kx = 0; kx < KW; ++kx) {
                const int ix = ix0 + kx * DW;
                if (ix >= 0 && ix < W)
                    h = ACC_STEP(h, src[iy * W + ix]);
            }
            _Pragma("unroll") for (int r = 0; r < ROWS; ++r)
                _Pragma("unroll") for (int ky = 0; ky < KH; ++ky)
                    if (r * SH + ky * DH == t)
                        acc[r] = ROW_MERGE(acc[r], h);
        }
    }
#endif
#if MODE == 1 && COUNT_PAD
    const int cols = taps_in(ix0, KW, DW, -pad_left, ext_w);
#elif MODE == 1
    const int cols = taps_in(ix0, KW, DW, 0, W);
#endif
    _Pragma("unroll") for (int r = 0; r < ROWS; ++r) {
        if (r < nrows) {
#if MODE == 1 && COUNT_PAD
            const int count = taps_in(iy0 + r * SH, KH, DH, -pad_top, ext_h) * cols;
#elif MODE == 1
            const int count = taps_in(iy0 + r * SH, KH, DH, 0, H) * cols;
#else
            const int count = 1;
#endif
            dst[r * OW + ox] = pool_final(acc[r], count);
        }
    }
}

/* One work-item per block of ROWS output rows. The columns whose horizontal taps all lie on real input go eight at
 * a time through window8 (explicit vectors: POCL's implicit vectoriser would put neighbouring work-items, i.e.
 * blocks of rows, in the lanes); a last group that would pass the interior is moved back to end there and
 * recomputes a few outputs rather than falling to scalar code. The border columns, and rows with fewer than eight
 * interior columns, take window1. One dimension, block b of channel z = n * C + c at z * ceil(OH / ROWS) + b: the host
 * may round the range up (work-items past N*C channels return) so that every layer launches one work-group size,
 * which POCL compiles a kernel for once rather than once per map size. */
__kernel void pool2d_window(__global const float *restrict in, int in_off, __global float *restrict out, int out_off,
                            int C, int NC, int H, int W, int OH, int OW, int pad_top, int pad_left, int ext_h,
                            int ext_w, int out_c_offset, int out_c_total)
{
    const int blocks = (OH + ROWS - 1) / ROWS;
    const int z = (int)get_global_id(0) / blocks; /* n * C + c */
    if (z >= NC)
        return;
    const int oyb = ((int)get_global_id(0) - z * blocks) * ROWS;
    const int nrows = min(ROWS, OH - oyb);
    const int n = z / C;
    const int c = z - n * C;
    const int iy0 = oyb * SH - pad_top;
    __global const float *src = in + in_off + (size_t)z * (size_t)(H * W);
    __global float *dst = out + out_off + ((size_t)(n * out_c_total + out_c_offset + c) * OH + oyb) * (size_t)OW;
    /* Interior columns [lo, hi): ox * SW - pad_left >= 0 and ox * SW - pad_left + (KW - 1) * DW < W. The vector
     * groups start in [lo, last], last the largest start whose group stays in the interior and reads no more than
     * W - (ox * SW - pad_left) columns (SPAN may exceed the window's own extent). */
    int lo = (pad_left + SW - 1) / SW;
    int hi = W - 1 - (KW - 1) * DW + pad_left >= 0 ? (W - 1 - (KW - 1) * DW + pad_left) / SW + 1 : 0;
    hi = min(hi, OW);
    const int last = min(hi - 8, W - SPAN + pad_left >= 0 ? (W - SPAN + pad_left) / SW : -1);
    int vlo = 0, vhi = 0; /* the columns the vector groups cover */
    if (last >= lo) {
        vlo = lo;
        vhi = last + 8;
    }
    /* EDGE3 with one padding column on each side (so OW == W) puts every column in vectors: a left border group
     * at 0, interior groups, a right border group ending at W - 1 (overlapping the one before it when W % 8 != 0:
     * a few outputs are computed twice). */
    const bool edge = EDGE3 && pad_left == 1 && ext_w == W + 1 && W > 8;
    if (!edge) {
        /* The columns left of the vector groups, then those right of them: one loop, so window1 is inlined once. */
        const int nb = vlo + OW - vhi;
        for (int i = 0; i < nb; ++i)
            window1(src, dst, H, W, OW, iy0, i < vlo ? i : vhi + i - vlo, pad_top, pad_left, ext_h, ext_w, nrows);
        if (vhi == 0)
            return;
    }
    /* The columns of the vector groups have all KW taps on real input (EDGE3's border lanes aside: pool_final8),
     * so only the rows decide the divisor. */
    int count[ROWS];
    _Pragma("unroll") for (int r = 0; r < ROWS; ++r) {
#if MODE == 1 && COUNT_PAD
        count[r] = taps_in(iy0 + r * SH, KH, DH, -pad_top, ext_h) * KW;
#elif MODE == 1
        count[r] = taps_in(iy0 + r * SH, KH, DH, 0, H) * KW;
#else
        count[r] = 1;
#endif
    }
    const bool inside = iy0 >= 0 && iy0 + ROWS_IN - 1 < H;
#define GROUP(ox0, el, er)                                                                                     \
    if (inside)                                                                                                \
        window8(src, dst, H, W, OW, iy0, ox0, pad_left, nrows, count, false, el, er);                          \
    else                                                                                                       \
        window8(src, dst, H, W, OW, iy0, ox0, pad_left, nrows, count, true, el, er);
#if EDGE3
    if (edge) {
        GROUP(0, true, false)
        for (int ox0 = 8; ox0 < W - 8; ox0 += 8) {
            GROUP(ox0, false, false)
        }
        GROUP(W - 8, false, true)
        return;
    }
#endif
    for (int ox0 = vlo;; ox0 += 8) {
        ox0 = min(ox0, last);
        GROUP(ox0, false, false)
        if (ox0 == last)
            break;
    }
#undef GROUP
}

/* Windows too large to unroll (a kernel, stride or dilation above 64; KH..DW unused): plain loops over the window
 * with its sizes as arguments, one work-item per output row. Same arguments as pool2d_window, then kh, kw, sh, sw,
 * dh, dw. global = OH * N*C, or more (work-items past it return). */
__kernel void pool2d_large(__global const float *restrict in, int in_off, __global float *restrict out, int out_off,
                           int C, int NC, int H, int W, int OH, int OW, int pad_top, int pad_left, int ext_h,
                           int ext_w, int out_c_offset, int out_c_total, int kh, int kw, int sh, int sw, int dh, int dw)
{
    const int z = (int)get_global_id(0) / OH;
    if (z >= NC)
        return;
    const int oy = (int)get_global_id(0) - z * OH;
    const int n = z / C, c = z - n * C, iy0 = oy * sh - pad_top;
    __global const float *src = in + in_off + (size_t)z * (size_t)(H * W);
    __global float *dst = out + out_off + ((size_t)(n * out_c_total + out_c_offset + c) * OH + oy) * (size_t)OW;
    for (int ox = 0; ox < OW; ++ox) {
        const int ix0 = ox * sw - pad_left;
        float acc = ACC_INIT;
        for (int ky = 0; ky < kh; ++ky) {
            const int iy = iy0 + ky * dh;
            if (iy < 0 || iy >= H)
                continue;
            for (int kx = 0; kx < kw; ++kx) {
                const int ix = ix0 + kx * dw;
                if (ix >= 0 && ix < W)
                    acc = ACC_STEP(acc, src[iy * W + ix]);
            }
        }
#if MODE == 1 && COUNT_PAD
        const int count = taps_in(iy0, kh, dh, -pad_top, ext_h) * taps_in(ix0, kw, dw, -pad_left, ext_w);
#elif MODE == 1
        const int count = taps_in(iy0, kh, dh, 0, H) * taps_in(ix0, kw, dw, 0, W);
#else
        const int count = 1;
#endif
        dst[ox] = pool_final(acc, count);
    }
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
