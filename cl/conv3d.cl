/* conv3d.cl - direct 3-D convolution, NCDHW float32, with the fused bias / residual / activation epilogue of
 * conv2d_direct.cl. OpenCL C 1.2.
 *
 * Each work-item computes OC_TILE output channels x OW_TILE consecutive output pixels of one output row of one
 * output depth slice, keeping all OC_TILE*OW_TILE sums in registers (vectors over channels): the 2-D direct
 * kernel's register tile with a loop over the kernel's depth around it. Weights must be packed as
 * oclnn_conv2d_direct_pack() packs 2-D weights with KH = KD*KH (lib/ops/conv3d.c does this): ONNX's
 * [K][C/g][KD][KH][KW] is [K][C/g][KD*KH][KW], so the packed order is [g][kb][kz][ky][c][kx][OC_TILE].
 *
 * Compile-time options (-D), all optional:
 *   KD, KH, KW        kernel depth / height / width                          (default 3, 3, 3)
 *   SD, SH, SW        stride along z / y / x                                  (default 1, 1, 1)
 *   DD, DH, DW        dilation along z / y / x                                (default 1, 1, 1)
 *   OC_TILE           output channels per work-item; must equal the oc_tile
 *                     given to the pack function                              (default 16)
 *   OW_TILE           output pixels (along x) per work-item                   (default 6)
 *   OC_VEC            vector width of the channel accumulators; 1, 2, 4, 8 or 16, dividing OC_TILE
 *                     (default: largest of 8, 4, 2, 1 dividing OC_TILE)
 *   HAS_BIAS          1: add bias[k] (bias buffer holds K floats)             (default 0)
 *   HAS_RESIDUAL      1: add a residual tensor read like the output           (default 0)
 *   RESIDUAL_AFTER_ACT 1: residual added after the activation, 0: before     (default 0)
 *   ACT               oclnn_activation: 0 none, 1 ReLU, 2 LeakyReLU(ACT_ALPHA), 3 Clip(ACT_ALPHA, ACT_BETA),
 *                     4 Sigmoid, 5 Tanh, 6 HardSigmoid max(0,min(1,ACT_ALPHA*x+ACT_BETA)),
 *                     7 HardSwish x*max(0,min(1,x/6+0.5))                      (default 0)
 *   ACT_ALPHA, ACT_BETA  float literals for the activation                    (default 0.01f, 0.0f)
 *
 * Shapes, pads and group sizes are kernel arguments, so a reshape never recompiles.
 * Epilogue order: acc + bias; [+ residual if !RESIDUAL_AFTER_ACT]; activation; [+ residual if RESIDUAL_AFTER_ACT].
 * NDRange: global = (ceil(OW / OW_TILE), OD * OH, N * groups * ceil((K/groups) / OC_TILE)), local 1x1x1 (as
 * conv2d_direct.cl: on CPU drivers the explicit vector code stays as written).
 */

#ifndef KD
#define KD 3
#endif
#ifndef KH
#define KH 3
#endif
#ifndef KW
#define KW 3
#endif
#ifndef SD
#define SD 1
#endif
#ifndef SH
#define SH 1
#endif
#ifndef SW
#define SW 1
#endif
#ifndef DD
#define DD 1
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

/* The same activation codes and formulas as conv2d_direct.cl (one program per file: no shared includes). */
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

/* One input channel, one kernel row: xr[] holds the XSPAN input values of that row, w the KW*OC_TILE packed
 * weights. Fully unrolled so acc[][] stays in registers. */
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
void conv3d_direct(__global const float *restrict in, int in_off,
                   __global const float *restrict wpacked,
                   __global const float *restrict bias,
                   __global float *restrict out, int out_off,
                   __global const float *restrict res, int res_off,
                   int N, int C, int D, int H, int W, int K, int OD, int OH, int OW,
                   int pad_front, int pad_top, int pad_left, int groups,
                   int out_c_offset, int out_c_total, int res_c_offset, int res_c_total)
{
    /* dim0: tile of OW_TILE output columns, dim1: (output depth, output row), dim2: (n, group, channel block) */
    const int xt = get_global_id(0);
    const int zy = get_global_id(1);
    const int z = get_global_id(2);
    const int oz = zy / OH;
    const int oy = zy - oz * OH;
    const int Kg = K / groups;
    const int Cg = C / groups;
    /* Channel blocks never straddle groups: each group's Kg channels are padded to OC_TILE. */
    const int kbg = (Kg + OC_TILE - 1) / OC_TILE;
    const int kb = z % kbg;
    const int ng = z / kbg;
    const int g = ng % groups;
    const int n = ng / groups;
    const int ox0 = xt * OW_TILE;
    if (n >= N || oz >= OD || ox0 >= OW)
        return;

    const int ix0 = ox0 * SW - pad_left;
    const int iy0 = oy * SH - pad_top;
    const int iz0 = oz * SD - pad_front;
    const int HW = H * W;
    const int DHW = D * HW;

    vecf acc[NVEC][OW_TILE];
    _Pragma("unroll") for (int v = 0; v < NVEC; ++v)
        _Pragma("unroll") for (int px = 0; px < OW_TILE; ++px)
            acc[v][px] = (vecf)(0.0f);

    __global const float *wblk = wpacked + (size_t)(g * kbg + kb) * (size_t)Cg * (KD * KH * KW * OC_TILE);
    __global const float *iblk = in + in_off + (size_t)(n * C + g * Cg) * (size_t)DHW;

    /* Whole input span of this tile inside the row -> unguarded loads (the common case). */
    const int interior = ix0 >= 0 && ix0 + XSPAN <= W;

    for (int kz = 0; kz < KD; ++kz) {
        const int iz = iz0 + kz * DD;
        if (iz < 0 || iz >= D)
            continue; /* a padding slice contributes nothing */
        for (int ky = 0; ky < KH; ++ky) {
            const int iy = iy0 + ky * DH;
            if (iy < 0 || iy >= H)
                continue;
            __global const float *wr = wblk + (size_t)(kz * KH + ky) * Cg * (KW * OC_TILE);
            __global const float *rp = iblk + (size_t)iz * HW + iy * W + ix0;
            if (interior) {
                for (int c = 0; c < Cg; ++c) {
                    float xr[XSPAN];
                    _Pragma("unroll") for (int i = 0; i < XSPAN; ++i)
                        xr[i] = rp[i];
                    CONV_ROW_BODY(xr, wr)
                    rp += DHW;
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
                    rp += DHW;
                    wr += KW * OC_TILE;
                }
            }
        }
    }

    /* Epilogue: transpose each accumulator vector through private memory so the stores of one channel are
     * consecutive pixels. Padded channels (kl >= Kg) and overhanging pixels (ox >= OW) are not stored. */
    const int kl0 = kb * OC_TILE;
    const size_t plane = (size_t)OD * OH * OW;
    const size_t row = ((size_t)oz * OH + oy) * OW;
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
                __global float *orow = out + out_off + (size_t)(n * out_c_total + out_c_offset + k) * plane + row;
#if HAS_RESIDUAL
                __global const float *rrow = res + res_off + (size_t)(n * res_c_total + res_c_offset + k) * plane + row;
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
