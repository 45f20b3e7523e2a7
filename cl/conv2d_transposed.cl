/* conv2d_transposed.cl - transposed 2-D convolution (ONNX ConvTranspose) as a direct polyphase gather, NCHW
 * float32, with the fused bias / residual / activation epilogue of conv2d_direct.cl. OpenCL C 1.2.
 *
 * Output position p = o + pad (per axis) receives input i through tap k when i*S + k*D == p. For a fixed
 * phase p mod S the taps that can reach it form one residue class k = k0 + m*STEP (STEP = S / gcd(S, D)),
 * and the input index falls by D/gcd(S, D) per step of m. So each work-item takes outputs of one x phase
 * (columns ox0, ox0 + SW, ...: OW_TILE of them) in one output row and OC_TILE output channels, and sums only
 * over the taps of its phase: no zero insertion, no multiply-adds with taps that cannot reach the output.
 * Weights must be packed by pack_weights() in lib/ops/conv2d_transposed.c with the same options.
 *
 * Compile-time options (-D), all optional:
 *   KH, KW            kernel height / width                                  (default 4, 4)
 *   SH, SW            stride along y / x                                      (default 2, 2)
 *   DH, DW            dilation along y / x                                    (default 1, 1)
 *   OC_TILE           output channels per work-item; must equal the packer's  (default 16)
 *   OW_TILE           output pixels (of one phase, along x) per work-item     (default 6)
 *   OC_VEC            vector width of the channel accumulators; 1, 2, 4, 8 or 16, must divide OC_TILE
 *                     (default: largest of 8, 4, 2, 1 dividing OC_TILE). With OC_TILE 1 and OW_TILE 4, 8 or
 *                     16 the accumulator is instead one vector over the tile's pixels.
 *   HAS_BIAS          1: add bias[k] (bias buffer holds K floats)             (default 0)
 *   HAS_RESIDUAL      1: add a residual tensor read like the output           (default 0)
 *   RESIDUAL_AFTER_ACT 1: residual added after the activation, 0: before     (default 0)
 *   ACT               activation code as in conv2d_direct.cl (0 none .. 7 HardSwish)   (default 0)
 *   ACT_ALPHA, ACT_BETA  float literals for the activation                   (default 0.01f, 0.0f)
 *
 * Epilogue order: acc + bias; [+ residual if !RESIDUAL_AFTER_ACT]; activation; [+ residual if RESIDUAL_AFTER_ACT].
 * Shapes and pads are arguments; pads are >= 0 (the operator refuses negative ones). tiles_per_item (an
 * argument too) is how many OW_TILE tiles of its phase one work-item computes in turn; the NDRange is
 * (SW * ceil(ceil(ceil(OW / SW) / OW_TILE) / tiles_per_item), OH, N * groups * ceil((K/groups) / OC_TILE)).
 * Work-group size 1x1x1, as in conv2d_direct.cl: POCL then keeps the explicit vector code and needs no
 * work-item loops.
 */

#ifndef KH
#define KH 4
#endif
#ifndef KW
#define KW 4
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
#if SH > 64 || SW > 64 || SH < 1 || SW < 1
#error "strides must lie in 1..64"
#endif

/* gcd(a, b) for 1 <= a <= 64 as an integer constant expression (private array sizes need one): the largest
 * divisor of a that also divides b. The preprocessor cannot loop, so the candidates are listed. */
#define GCD_T_(d, a, b) ((a) % (d) == 0 && (b) % (d) == 0) ? (d):
#define GCD64(a, b)                                                                                               \
    (GCD_T_(64, a, b) GCD_T_(63, a, b) GCD_T_(62, a, b) GCD_T_(61, a, b) GCD_T_(60, a, b) GCD_T_(59, a, b)        \
     GCD_T_(58, a, b) GCD_T_(57, a, b) GCD_T_(56, a, b) GCD_T_(55, a, b) GCD_T_(54, a, b) GCD_T_(53, a, b)        \
     GCD_T_(52, a, b) GCD_T_(51, a, b) GCD_T_(50, a, b) GCD_T_(49, a, b) GCD_T_(48, a, b) GCD_T_(47, a, b)        \
     GCD_T_(46, a, b) GCD_T_(45, a, b) GCD_T_(44, a, b) GCD_T_(43, a, b) GCD_T_(42, a, b) GCD_T_(41, a, b)        \
     GCD_T_(40, a, b) GCD_T_(39, a, b) GCD_T_(38, a, b) GCD_T_(37, a, b) GCD_T_(36, a, b) GCD_T_(35, a, b)        \
     GCD_T_(34, a, b) GCD_T_(33, a, b) GCD_T_(32, a, b) GCD_T_(31, a, b) GCD_T_(30, a, b) GCD_T_(29, a, b)        \
     GCD_T_(28, a, b) GCD_T_(27, a, b) GCD_T_(26, a, b) GCD_T_(25, a, b) GCD_T_(24, a, b) GCD_T_(23, a, b)        \
     GCD_T_(22, a, b) GCD_T_(21, a, b) GCD_T_(20, a, b) GCD_T_(19, a, b) GCD_T_(18, a, b) GCD_T_(17, a, b)        \
     GCD_T_(16, a, b) GCD_T_(15, a, b) GCD_T_(14, a, b) GCD_T_(13, a, b) GCD_T_(12, a, b) GCD_T_(11, a, b)        \
     GCD_T_(10, a, b) GCD_T_(9, a, b) GCD_T_(8, a, b) GCD_T_(7, a, b) GCD_T_(6, a, b) GCD_T_(5, a, b)             \
     GCD_T_(4, a, b) GCD_T_(3, a, b) GCD_T_(2, a, b) 1)

/* Per axis: taps of one phase step by STEP, the input index by DG; at most NT taps per phase. */
#define GY (GCD64(SH, DH))
#define GX (GCD64(SW, DW))
#define STEPY (SH / GY)
#define STEPX (SW / GX)
#define DHG (DH / GY)
#define DWG (DW / GX)
#define NTY ((KH + STEPY - 1) / STEPY)
#define NTX ((KW + STEPX - 1) / STEPX)
/* Input columns one work-item reads per row: its OW_TILE outputs advance one input column each. */
#define XSPAN ((NTX - 1) * DWG + OW_TILE)

#define NVEC (OC_TILE / OC_VEC)
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

/* A single output channel per work-item has nothing to vectorize over channels: the accumulators become one
 * vector over the tile's pixels instead (DBNet's 1-channel probability map, depthwise layers). */
#if OC_TILE == 1 && (OW_TILE == 4 || OW_TILE == 8 || OW_TILE == 16)
#define PIXVEC 1
typedef CAT(float, OW_TILE) pxvec;
#define PX_VLOAD(p) CAT(vload, OW_TILE)(0, p)
#define PX_VSTORE(v, p) CAT(vstore, OW_TILE)(v, 0, p)
#else
#define PIXVEC 0
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

/* The first tap k0 in [0, step) of the class that reaches phase r (k0*d == r mod s), or -1 when none does
 * (r not a multiple of gcd(s, d): such outputs get the bias only). */
int first_tap(int r, int s, int d, int step)
{
    for (int k = 0; k < step; ++k)
        if ((k * d) % s == r)
            return k;
    return -1;
}

/* One input channel, one tap row: xr[] holds the XSPAN input values, w the NTX*OC_TILE packed weights of this
 * phase class. Tap mx reads input column (last - mx*DWG + px). Unrolled so the accumulators stay in registers;
 * taps past this class's count (ntx) are skipped, not multiplied by zero. */
#if PIXVEC
#define DECONV_ROW_BODY(xr, w)                                                                                    \
    _Pragma("unroll") for (int mx = 0; mx < NTX; ++mx) {                                                        \
        if (mx < ntx)                                                                                           \
            pacc = fma((pxvec)((w)[mx]), PX_VLOAD(xr + (NTX - 1 - mx) * DWG), pacc);                            \
    }
#else
#define DECONV_ROW_BODY(xr, w)                                                                                    \
    _Pragma("unroll") for (int mx = 0; mx < NTX; ++mx) {                                                        \
        if (mx < ntx) {                                                                                         \
            vecf wv[NVEC];                                                                                      \
            _Pragma("unroll") for (int v = 0; v < NVEC; ++v) wv[v] = VLOADV((w) + mx * OC_TILE + v * OC_VEC); \
            _Pragma("unroll") for (int px = 0; px < OW_TILE; ++px) {                                            \
                const vecf xv = (vecf)(xr[(NTX - 1 - mx) * DWG + px]);                                          \
                _Pragma("unroll") for (int v = 0; v < NVEC; ++v) acc[v][px] = fma(wv[v], xv, acc[v][px]);      \
            }                                                                                                   \
        }                                                                                                       \
    }
#endif

__kernel __attribute__((reqd_work_group_size(1, 1, 1)))
void conv2d_transposed(__global const float *restrict in, int in_off,
                       __global const float *restrict wpacked,
                       __global const float *restrict bias,
                       __global float *restrict out, int out_off,
                       __global const float *restrict res, int res_off,
                       int N, int C, int H, int W, int K, int OH, int OW,
                       int pad_top, int pad_left, int groups,
                       int out_c_offset, int out_c_total, int res_c_offset, int res_c_total,
                       int tiles_per_item)
{
    /* dim0: (run of tiles_per_item tiles along one phase's columns, x phase) with the phase fastest, so
     * neighbouring work-items read the same input columns; dim1: output row; dim2: (n, group, channel block).
     * A work-item walks several tiles because on CPU drivers a work-group per tile costs more to schedule than
     * the tile's arithmetic. */
    const int xid = get_global_id(0);
    const int oy = get_global_id(1);
    const int z = get_global_id(2);
    const int q = xid % SW;
    const int xt0 = (xid / SW) * tiles_per_item;
    const int Kg = K / groups;
    const int Cg = C / groups;
    const int kbg = (Kg + OC_TILE - 1) / OC_TILE;
    const int kb = z % kbg;
    const int ng = z / kbg;
    const int g = ng % groups;
    const int n = ng / groups;
    if (n >= N || oy >= OH)
        return;

    /* Tap classes of this row's phase and of column phase q, which every tile of the work-item shares. */
    const int py = oy + pad_top, pxq = q + pad_left;
    const int ky0 = first_tap(py % SH, SH, DH, STEPY);
    const int kx0 = first_tap(pxq % SW, SW, DW, STEPX);
    const int nty = ky0 < 0 ? 0 : (KH - ky0 + STEPY - 1) / STEPY;
    const int ntx = kx0 < 0 ? 0 : (KW - kx0 + STEPX - 1) / STEPX;
    /* Input row of tap ky0, and input column of tap kx0 for output column q; the divisions are exact. */
    const int iy00 = ky0 < 0 ? 0 : (py - ky0 * DH) / SH;
    const int ixq = kx0 < 0 ? 0 : (pxq - kx0 * DW) / SW;
    const int HW = H * W;
    const int kl0 = kb * OC_TILE;

    /* Packed layout: [g][kb][ky class][kx class][my][c][mx][OC_TILE]: for one tap row the (c, mx, oc) walk
     * is a sequential stream, and a work-item only touches its own phase's classes. */
    const size_t row_len = (size_t)Cg * (NTX * OC_TILE);
    const int cls = max(ky0, 0) * STEPX + max(kx0, 0); /* any class when there are no taps: nothing is read */
    __global const float *wcls = wpacked + ((size_t)(g * kbg + kb) * (STEPY * STEPX) + (size_t)cls) * (size_t)NTY * row_len;
    __global const float *iblk = in + in_off + (size_t)(n * C + g * Cg) * (size_t)HW;

    for (int xt = xt0; xt < xt0 + tiles_per_item; ++xt) {
        const int ox0 = q + xt * (OW_TILE * SW);
        if (ox0 >= OW)
            break;
        /* Output column ox0 + px*SW reads input column ixq + xt*OW_TILE + px through tap kx0. */
        const int ixb = ixq + xt * OW_TILE - (NTX - 1) * DWG; /* xr[0]'s column */
        const int interior = ixb >= 0 && ixb + XSPAN <= W;

#if PIXVEC
        pxvec pacc = (pxvec)(0.0f);
#else
        vecf acc[NVEC][OW_TILE];
        _Pragma("unroll") for (int v = 0; v < NVEC; ++v)
            _Pragma("unroll") for (int px = 0; px < OW_TILE; ++px)
                acc[v][px] = (vecf)(0.0f);
#endif

        if (ntx > 0) {
            for (int my = 0; my < nty; ++my) {
                const int iy = iy00 - my * DHG;
                if (iy < 0 || iy >= H)
                    continue; /* this tap lands outside the input: nothing reaches the output through it */
                __global const float *wr = wcls + (size_t)my * row_len;
                __global const float *rp = iblk + iy * W + ixb;
                if (interior) {
                    for (int c = 0; c < Cg; ++c) {
                        float xr[XSPAN];
                        _Pragma("unroll") for (int i = 0; i < XSPAN; ++i)
                            xr[i] = rp[i];
                        DECONV_ROW_BODY(xr, wr)
                        rp += HW;
                        wr += NTX * OC_TILE;
                    }
                } else {
                    for (int c = 0; c < Cg; ++c) {
                        float xr[XSPAN];
                        _Pragma("unroll") for (int i = 0; i < XSPAN; ++i) {
                            const int ix = ixb + i;
                            xr[i] = (ix >= 0 && ix < W) ? rp[i] : 0.0f;
                        }
                        DECONV_ROW_BODY(xr, wr)
                        rp += HW;
                        wr += NTX * OC_TILE;
                    }
                }
            }
        }

        /* Epilogue as in conv2d_direct.cl, with this tile's pixels SW apart. Padded channels (kl >= Kg) and
         * pixels past the row (ox >= OW) are not stored. */
#if PIXVEC
        float tp[OW_TILE]; /* a flat array: the vector store must not run past a sub-array */
        PX_VSTORE(pacc, tp);
#endif
        _Pragma("unroll") for (int v = 0; v < NVEC; ++v) {
            float t[OW_TILE][OC_VEC];
#if PIXVEC
            _Pragma("unroll") for (int px = 0; px < OW_TILE; ++px)
                t[px][0] = tp[px];
#else
            _Pragma("unroll") for (int px = 0; px < OW_TILE; ++px)
                VSTOREV(acc[v][px], &t[px][0]);
#endif
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
                        const int ox = ox0 + px * SW;
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
}
