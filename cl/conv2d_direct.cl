/* conv2d_direct.cl - direct (no im2col) 2-D convolution, NCHW float32, with fused
 * bias / residual / activation epilogue. OpenCL C 1.2.
 *
 * Each work-item computes OC_TILE output channels x OW_TILE consecutive output pixels of
 * one output row, keeping all OC_TILE*OW_TILE sums in registers (vectors over channels).
 * Weights must be packed by oclnn_conv2d_direct_pack() (lib/ops/conv2d_direct_pack.c) with
 * the same OC_TILE, KH, KW; the NDRange comes from oclnn_conv2d_direct_ndrange().
 *
 * Compile-time options (-D), all optional:
 *   KH, KW            kernel height / width                                  (default 3, 3)
 *   SH, SW            stride along y / x                                      (default 1, 1)
 *   DH, DW            dilation along y / x                                    (default 1, 1)
 *   OC_TILE           output channels per work-item; must equal the oc_tile
 *                     given to the pack function                              (default 16)
 *   OW_TILE           output pixels (along x) per work-item                   (default 6)
 *   OC_VEC            vector width used for the channel accumulators; 1, 2, 4, 8 or 16 and
 *                     must divide OC_TILE (default: largest of 8,4,2,1 dividing OC_TILE;
 *                     8 = one AVX2 register)
 *   HAS_BIAS          1: add bias[k] (bias buffer holds K floats)             (default 0)
 *   HAS_RESIDUAL      1: add a residual tensor read like the output           (default 0)
 *   RESIDUAL_AFTER_ACT 1: residual added after the activation, 0: before     (default 0)
 *   ACT               0 none, 1 ReLU, 2 LeakyReLU(ACT_ALPHA), 3 Clip(ACT_ALPHA, ACT_BETA)
 *                     (ReLU6 = Clip 0..6), 4 Sigmoid, 5 Tanh,
 *                     6 HardSigmoid max(0,min(1,ACT_ALPHA*x+ACT_BETA)),
 *                     7 HardSwish x*max(0,min(1,x/6+0.5))                      (default 0)
 *   ACT_ALPHA, ACT_BETA  float literals for the activation           (default 0.01f, 0.0f)
 *
 * Epilogue order: acc + bias; [+ residual if !RESIDUAL_AFTER_ACT]; activation;
 * [+ residual if RESIDUAL_AFTER_ACT].
 *
 * Work-group size is fixed to 1x1x1: on CPU implementations (POCL) this lets the compiler
 * keep the explicit vector code as is (no work-item loops, no barriers), and the work-item
 * is already large (OC_TILE*OW_TILE outputs).
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
#ifndef OC_TILE
#define OC_TILE 16
#endif
#ifndef OW_TILE
#define OW_TILE 6
#endif
#ifndef OC_VEC
#if OC_TILE % 8 == 0
#define OC_VEC 8
#elif OC_TILE % 4 == 0
#define OC_VEC 4
#elif OC_TILE % 2 == 0
#define OC_VEC 2
#else
#define OC_VEC 1
#endif
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

#if OC_TILE % OC_VEC != 0
#error "OC_VEC must divide OC_TILE"
#endif

#define NVEC (OC_TILE / OC_VEC)
/* Input columns touched by one work-item's OW_TILE outputs in one kernel row. */
#define XSPAN ((OW_TILE - 1) * SW + (KW - 1) * DW + 1)

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#if OC_VEC == 1
typedef float vecf;
#define VLOADV(p) (*(p))
#define VSTOREV(v, p) (*(p) = (v))
#else
typedef CAT(float, OC_VEC) vecf;
#define VLOADV(p) CAT(vload, OC_VEC)(0, p)
#define VSTOREV(v, p) CAT(vstore, OC_VEC)(v, 0, p)
#endif

float oclnn_act(float x)
{
#if ACT == 0
    return x;
#elif ACT == 1
    return fmax(x, 0.0f);
#elif ACT == 2
    return x >= 0.0f ? x : (ACT_ALPHA) * x;
#elif ACT == 3
    return fmin(fmax(x, (ACT_ALPHA)), (ACT_BETA));
#elif ACT == 4
    return 1.0f / (1.0f + exp(-x));
#elif ACT == 5
    return tanh(x);
#elif ACT == 6
    return fmax(0.0f, fmin(1.0f, (ACT_ALPHA) * x + (ACT_BETA)));
#elif ACT == 7
    return x * fmax(0.0f, fmin(1.0f, x * (1.0f / 6.0f) + 0.5f));
#else
#error "unknown ACT"
#endif
}

/* One input channel, one kernel row: xr[] holds the XSPAN input values of that row,
 * w the KW*OC_TILE packed weights. Fully unrolled so acc[][] stays in registers. */
#define CONV_ROW_BODY(xr, w)                                                          \
    _Pragma("unroll") for (int kx = 0; kx < KW; ++kx) {                               \
        vecf wv[NVEC];                                                                \
        _Pragma("unroll") for (int v = 0; v < NVEC; ++v)                              \
            wv[v] = VLOADV((w) + kx * OC_TILE + v * OC_VEC);                          \
        _Pragma("unroll") for (int px = 0; px < OW_TILE; ++px) {                      \
            const vecf xv = (vecf)(xr[px * SW + kx * DW]);                            \
            _Pragma("unroll") for (int v = 0; v < NVEC; ++v)                          \
                acc[v][px] = fma(wv[v], xv, acc[v][px]);                              \
        }                                                                             \
    }

__kernel __attribute__((reqd_work_group_size(1, 1, 1)))
void conv2d_direct(__global const float *restrict in, int in_off,
                   __global const float *restrict wpacked,
                   __global const float *restrict bias,
                   __global float *restrict out, int out_off,
                   __global const float *restrict res, int res_off,
                   int N, int C, int H, int W, int K, int OH, int OW,
                   int pad_top, int pad_left, int groups,
                   int out_c_offset, int out_c_total, int res_c_offset, int res_c_total)
{
    /* dim0: tile of OW_TILE output columns, dim1: output row, dim2: (n, group, channel block) */
    const int xt = get_global_id(0);
    const int oy = get_global_id(1);
    const int z = get_global_id(2);
    const int Kg = K / groups;
    const int Cg = C / groups;
    /* Channel blocks never straddle groups: each group's Kg channels are padded to OC_TILE. */
    const int kbg = (Kg + OC_TILE - 1) / OC_TILE;
    const int kb = z % kbg;
    const int ng = z / kbg;
    const int g = ng % groups;
    const int n = ng / groups;
    const int ox0 = xt * OW_TILE;
    if (n >= N || oy >= OH || ox0 >= OW)
        return;

    const int ix0 = ox0 * SW - pad_left;
    const int iy0 = oy * SH - pad_top;
    const int HW = H * W;

    vecf acc[NVEC][OW_TILE];
    _Pragma("unroll") for (int v = 0; v < NVEC; ++v)
        _Pragma("unroll") for (int px = 0; px < OW_TILE; ++px)
            acc[v][px] = (vecf)(0.0f);

    /* Packed layout: [g][kb][ky][c][kx][OC_TILE] -> this block is contiguous, and for a
     * fixed ky the (c, kx, oc) walk below is a pure sequential stream. */
    __global const float *wblk = wpacked + (size_t)(g * kbg + kb) * (size_t)Cg * (KH * KW * OC_TILE);
    __global const float *iblk = in + in_off + (size_t)(n * C + g * Cg) * (size_t)HW;

    /* Whole input span of this tile inside the row -> unguarded loads (the common case). */
    const int interior = ix0 >= 0 && ix0 + XSPAN <= W;

    for (int ky = 0; ky < KH; ++ky) {
        const int iy = iy0 + ky * DH;
        if (iy < 0 || iy >= H)
            continue; /* zero padding row: contributes nothing */
        __global const float *wr = wblk + (size_t)ky * Cg * (KW * OC_TILE);
        __global const float *rp = iblk + iy * W + ix0;
        if (interior) {
            for (int c = 0; c < Cg; ++c) {
                float xr[XSPAN];
                _Pragma("unroll") for (int i = 0; i < XSPAN; ++i)
                    xr[i] = rp[i];
                CONV_ROW_BODY(xr, wr)
                rp += HW;
                wr += KW * OC_TILE;
            }
        } else {
            for (int c = 0; c < Cg; ++c) {
                float xr[XSPAN];
                _Pragma("unroll") for (int i = 0; i < XSPAN; ++i) {
                    const int ix = ix0 + i;
                    xr[i] = (ix >= 0 && ix < W) ? rp[i] : 0.0f;
                }
                CONV_ROW_BODY(xr, wr)
                rp += HW;
                wr += KW * OC_TILE;
            }
        }
    }

    /* Epilogue: transpose each accumulator vector through private memory so the stores of
     * one channel are consecutive pixels. Padded channels (kl >= Kg) and overhanging
     * pixels (ox >= OW) are not stored. */
    const int kl0 = kb * OC_TILE;
    _Pragma("unroll") for (int v = 0; v < NVEC; ++v) {
        float t[OW_TILE][OC_VEC];
        _Pragma("unroll") for (int px = 0; px < OW_TILE; ++px)
            VSTOREV(acc[v][px], &t[px][0]);
        _Pragma("unroll") for (int j = 0; j < OC_VEC; ++j) {
            const int kl = kl0 + v * OC_VEC + j;
            if (kl < Kg) {
                const int k = g * Kg + kl;
#if HAS_BIAS
                const float b = bias[k];
#else
                const float b = 0.0f;
#endif
                __global float *orow = out + out_off + ((size_t)(n * out_c_total + out_c_offset + k) * OH + oy) * (size_t)OW;
#if HAS_RESIDUAL
                __global const float *rrow = res + res_off + ((size_t)(n * res_c_total + res_c_offset + k) * OH + oy) * (size_t)OW;
#endif
                _Pragma("unroll") for (int px = 0; px < OW_TILE; ++px) {
                    const int ox = ox0 + px;
                    if (ox < OW) {
                        float y = t[px][j] + b;
#if HAS_RESIDUAL && !RESIDUAL_AFTER_ACT
                        y += rrow[ox];
#endif
                        y = oclnn_act(y);
#if HAS_RESIDUAL && RESIDUAL_AFTER_ACT
                        y += rrow[ox];
#endif
                        orow[ox] = y;
                    }
                }
            }
        }
    }
}
