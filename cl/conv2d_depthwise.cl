/* conv2d_depthwise.cl - depthwise 2-D convolution (groups == C, K = M * C output channels, channel k reads input
 * channel k / M), NCHW float32, with the conv family's fused bias / residual / activation epilogue. OpenCL C 1.2.
 *
 * Each work-item computes ROWS output rows of one output channel across the whole output width, VEC consecutive
 * output pixels at a time: one VEC-wide accumulator per row, vectorised along the row (the direct kernel
 * vectorises over output channels, and a depthwise group has only M of them). The KH*KW weights of the channel
 * live in private memory for the whole work-item; each input row is loaded once per x step and feeds every
 * output row it belongs to (ROWS rows need (ROWS-1)*SH + (KH-1)*DH + 1 input rows instead of ROWS*KH).
 * Weights are in ONNX layout ([K][1][KH][KW], no packing); the NDRange is
 *   global = (ceil(OH / ROWS), N * K, 1), local = (1, 1, 1).
 *
 * Compile-time options (-D), all optional:
 *   KH, KW            kernel height / width                                  (default 3, 3)
 *   SH, SW            stride along y / x                                      (default 1, 1)
 *   DH, DW            dilation along y / x                                    (default 1, 1)
 *   VEC               output pixels per vector, 4 or 8 (8 = one AVX2 register) (default 8)
 *   ROWS              output rows per work-item                               (default 4)
 *   HAS_BIAS, HAS_RESIDUAL, RESIDUAL_AFTER_ACT, ACT, ACT_ALPHA, ACT_BETA: the epilogue, spelled and ordered as in
 *                     conv2d_direct.cl: acc + bias; [+ residual]; activation; [+ residual if RESIDUAL_AFTER_ACT]
 *                     (defaults 0, 0, 0, 0 (none), 0.01f, 0.0f)
 *
 * Stride 1 reads each kernel column's VEC inputs with one unaligned vector load; stride 2 loads 2*VEC contiguous
 * inputs and keeps the even ones (.even): two loads and shuffles instead of VEC scalar loads;
 * other strides gather element by element. Tiles whose inputs all lie inside the image take a path without
 * bounds checks; the others copy each input row span into private memory with zeros for the padding.
 */

#ifndef KH
#define KH 3
#endif
#ifndef KW
#define KW 3
#endif
#ifndef SH
#define SH 1
#endif
#ifndef SW
#define SW 1
#endif
#ifndef DH
#define DH 1
#endif
#ifndef DW
#define DW 1
#endif
#ifndef VEC
#define VEC 8
#endif
#ifndef ROWS
#define ROWS 4
#endif
#ifndef HAS_BIAS
#define HAS_BIAS 0
#endif
#ifndef HAS_RESIDUAL
#define HAS_RESIDUAL 0
#endif
#ifndef RESIDUAL_AFTER_ACT
#define RESIDUAL_AFTER_ACT 0
#endif
#ifndef ACT
#define ACT 0
#endif
#ifndef ACT_ALPHA
#define ACT_ALPHA 0.01f
#endif
#ifndef ACT_BETA
#define ACT_BETA 0.0f
#endif

#if VEC != 4 && VEC != 8
#error "VEC must be 4 or 8"
#endif

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
typedef CAT(float, VEC) vecf;
#define VLOAD(p) CAT(vload, VEC)(0, p)
#define VSTORE(v, p) CAT(vstore, VEC)(v, 0, p)

/* Input rows one work-item reads, and the input columns one x step reads per row (the stride-2 path loads
 * 2*VEC values from the last kernel column, one past the last it uses). */
#define NIR ((ROWS - 1) * SH + (KH - 1) * DH + 1)
#if SW == 2
#define LSPAN ((KW - 1) * DW + 2 * VEC)
#else
#define LSPAN ((KW - 1) * DW + (VEC - 1) * SW + 1)
#endif

/* dst = the VEC inputs p[0], p[SW], ..., of one kernel column; p is __global or __private. */
#if SW == 1
#define LOADX(dst, p) dst = VLOAD(p)
#elif SW == 2
/* Two VEC-wide loads rather than one 2*VEC-wide: POCL passes float16 through memory on AVX2 (no 512-bit ABI). */
#define LOADX(dst, p)                                                                                          \
    {                                                                                                          \
        const vecf lo_ = VLOAD(p), hi_ = VLOAD((p) + VEC);                                                     \
        dst = (vecf)(lo_.even, hi_.even);                                                                      \
    }
#else
#define LOADX(dst, p)                                                                                          \
    {                                                                                                          \
        float t_[VEC];                                                                                         \
        _Pragma("unroll") for (int q_ = 0; q_ < VEC; ++q_) t_[q_] = (p)[q_ * SW];                              \
        dst = VLOAD(t_);                                                                                       \
    }
#endif

/* Input row i (0 <= i < NIR, relative to the work-item's first) feeds output row r through kernel row
 * (i - r*SH) / DH when that is a whole number in [0, KH). i, r and kx are unrolled constants, so the test
 * folds away and only the real taps remain. */
#define TAPS(i, kx, xv)                                                                                        \
    _Pragma("unroll") for (int r = 0; r < ROWS; ++r) {                                                         \
        const int t_ = (i) - r * SH;                                                                           \
        if (t_ >= 0 && t_ % DH == 0 && t_ / DH < KH)                                                           \
            acc[r] = fma((vecf)(wk[(t_ / DH) * KW + (kx)]), xv, acc[r]);                                       \
    }

vecf oclnn_act_vec(vecf x)
{
#if ACT == 0
    return x;
#elif ACT == 1
    return fmax(x, 0.0f);
#elif ACT == 2
    return select((ACT_ALPHA) * x, x, x >= (vecf)(0.0f));
#elif ACT == 3
    return fmin(fmax(x, (ACT_ALPHA)), (ACT_BETA));
#elif ACT == 4
    return 1.0f / (1.0f + exp(-x));
#elif ACT == 5
    return tanh(x);
#elif ACT == 6
    return fmax(fmin((ACT_ALPHA) * x + (ACT_BETA), 1.0f), 0.0f);
#elif ACT == 7
    return x * fmax(fmin(x * (1.0f / 6.0f) + 0.5f, 1.0f), 0.0f);
#else
#error "unknown ACT"
#endif
}

__kernel __attribute__((reqd_work_group_size(1, 1, 1)))
void conv2d_depthwise(__global const float *restrict in, int in_off,
                      __global const float *restrict weights,
                      __global const float *restrict bias,
                      __global float *restrict out, int out_off,
                      __global const float *restrict res, int res_off,
                      int N, int C, int H, int W, int K, int OH, int OW,
                      int pad_top, int pad_left,
                      int out_c_offset, int out_c_total, int res_c_offset, int res_c_total)
{
    const int oy0 = get_global_id(0) * ROWS;
    const int nk = get_global_id(1);
    if (oy0 >= OH || nk >= N * K)
        return;
    const int n = nk / K, k = nk % K;
    const int c = k / (K / C);

    float wk[KH * KW];
    __global const float *wp = weights + (size_t)k * (KH * KW);
    _Pragma("unroll") for (int i = 0; i < KH * KW; ++i)
        wk[i] = wp[i];
#if HAS_BIAS
    const float b = bias[k];
#else
    const float b = 0.0f;
#endif
    __global const float *ich = in + in_off + (size_t)(n * C + c) * (size_t)(H * W);
    __global float *och = out + out_off + (size_t)(n * out_c_total + out_c_offset + k) * (size_t)(OH * OW);
#if HAS_RESIDUAL
    __global const float *rch = res + res_off + (size_t)(n * res_c_total + res_c_offset + k) * (size_t)(OH * OW);
#endif

    const int iy0 = oy0 * SH - pad_top;
    const int rows_inside = iy0 >= 0 && iy0 + NIR <= H;
    for (int ox0 = 0; ox0 < OW; ox0 += VEC) {
        const int ix0 = ox0 * SW - pad_left;
        vecf acc[ROWS];
        _Pragma("unroll") for (int r = 0; r < ROWS; ++r)
            acc[r] = (vecf)(0.0f);
        const int cols_inside = ix0 >= 0 && ix0 + LSPAN <= W;
        if (rows_inside && cols_inside) {
            /* Interior: every load is inside the image. */
            __global const float *rp = ich + iy0 * W + ix0;
            _Pragma("unroll") for (int i = 0; i < NIR; ++i) {
                _Pragma("unroll") for (int kx = 0; kx < KW; ++kx) {
                    vecf xv;
                    LOADX(xv, rp + kx * DW);
                    TAPS(i, kx, xv)
                }
                rp += W;
            }
        } else {
            /* Edge: rows outside the image contribute nothing; a row span that crosses the left or right border is
             * copied into private memory first, clamped loads masked to zero (no branch per element). */
            _Pragma("unroll") for (int i = 0; i < NIR; ++i) {
                const int iy = iy0 + i;
                if (iy >= 0 && iy < H) {
                    __global const float *rp = ich + iy * W;
                    if (cols_inside) {
                        _Pragma("unroll") for (int kx = 0; kx < KW; ++kx) {
                            vecf xv;
                            LOADX(xv, rp + ix0 + kx * DW);
                            TAPS(i, kx, xv)
                        }
                    } else {
                        float xr[LSPAN];
                        _Pragma("unroll") for (int j = 0; j < LSPAN; ++j) {
                            const int ix = ix0 + j;
                            const float v = rp[clamp(ix, 0, W - 1)];
                            xr[j] = ix >= 0 && ix < W ? v : 0.0f;
                        }
                        _Pragma("unroll") for (int kx = 0; kx < KW; ++kx) {
                            vecf xv;
                            LOADX(xv, xr + kx * DW);
                            TAPS(i, kx, xv)
                        }
                    }
                }
            }
        }

        /* Epilogue, one row vector at a time; the last x step of a row may overhang OW and stores lane by lane. */
        const int full = ox0 + VEC <= OW;
        _Pragma("unroll") for (int r = 0; r < ROWS; ++r) {
            const int oy = oy0 + r;
            if (oy < OH) {
                vecf y = acc[r] + b;
#if HAS_RESIDUAL
                vecf rv;
                __global const float *rrow = rch + oy * OW + ox0;
                if (full) {
                    rv = VLOAD(rrow);
                } else {
                    float t[VEC];
                    _Pragma("unroll") for (int q = 0; q < VEC; ++q)
                        t[q] = ox0 + q < OW ? rrow[q] : 0.0f;
                    rv = VLOAD(t);
                }
#endif
#if HAS_RESIDUAL && !RESIDUAL_AFTER_ACT
                y += rv;
#endif
                y = oclnn_act_vec(y);
#if HAS_RESIDUAL && RESIDUAL_AFTER_ACT
                y += rv;
#endif
                __global float *orow = och + oy * OW + ox0;
                if (full) {
                    VSTORE(y, orow);
                } else {
                    float t[VEC];
                    VSTORE(y, t);
                    _Pragma("unroll") for (int q = 0; q < VEC; ++q)
                        if (ox0 + q < OW)
                            orow[q] = t[q];
                }
            }
        }
    }
}
