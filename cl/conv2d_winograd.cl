/* conv2d_winograd.cl - Winograd F(2x2,3x3) and F(4x4,3x3) convolution (3x3, stride 1, dilation 1, one group),
 * NCHW float32, in three kernels: input transform -> batched GEMM -> output transform with the fused
 * bias / residual / activation epilogue. OpenCL C 1.2.
 *
 * A tile is an M x M block of output pixels (M = WINO_M) computed from an A x A input patch (A = M + 2). The
 * P = N * TH * TW tiles (TH = ceil(OH/M), TW = ceil(OW/M)) are numbered p = (n * TH + ty) * TW + tx and grouped
 * in blocks of P_TILE; tiles overhanging the output read zeros past the input edge and are not stored.
 * There are T = A * A transform points t. Buffers (floats, written by lib/ops/conv2d_winograd.c and here):
 *   U  transformed filter, packed at create:   U[t][kb][c][K_TILE]       (k = kb * K_TILE + j, zero past K)
 *   V  transformed input (winograd_input):     V[t][pb][c][P_TILE]       (p = pb * P_TILE + i, zero past P)
 *      with a t stride of vts >= Pb * C * P_TILE floats, chosen by the host so that the 36 (or 16) streams one
 *      input work-item writes do not fall into the same few cache sets (a multiple of 4 KiB plus one line)
 *   Mw the products (winograd_gemm):           Mw[kb][pb][t][P_TILE][K_TILE]
 * U and V are laid out in the order one GEMM work-item streams them (as the direct kernel's packed weights),
 * and Mw so that the GEMM stores whole accumulator vectors and one output work-item reads one contiguous block.
 *
 * Compile-time options (-D), all optional:
 *   WINO_M            output tile size: 2 for F(2x2,3x3), 4 for F(4x4,3x3)            (default 4)
 *   K_TILE, P_TILE    GEMM register block: output channels x tiles per work-item; K_TILE must be 16 (two
 *                     8-wide vectors, as the host packs U) and P_TILE the host's tile block  (default 16, 6)
 *   HAS_BIAS, HAS_RESIDUAL, RESIDUAL_AFTER_ACT, ACT, ACT_ALPHA, ACT_BETA: the fused epilogue, exactly as in
 *                     conv2d_direct.cl (acc + bias; [+ residual]; activation; [+ residual after])
 *
 * Transform matrices (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks"): F(4x4,3x3) uses the
 * interpolation points 0, 1, -1, 2, -2 and infinity; F(2x2,3x3) uses 0, 1, -1 and infinity. The filter
 * transform G g G^T is done on the host in double precision.
 *
 * Every kernel requires a 1x1x1 work-group: on CPU implementations (POCL) the explicit vector code is kept as
 * written and there are no work-item loops; each work-item is already large.
 */

#ifndef WINO_M
#define WINO_M 4
#endif
#ifndef K_TILE
#define K_TILE 16
#endif
#ifndef P_TILE
#define P_TILE 6
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

#if WINO_M != 2 && WINO_M != 4
#error "WINO_M must be 2 or 4"
#endif
#if K_TILE != 16
#error "K_TILE must be 16 (two float8 accumulators per tile)"
#endif

#define WA (WINO_M + 2)  /* input patch size */
#define WT (WA * WA)     /* transform points */
#define KV (K_TILE / 8) /* float8 vectors per tile's channel block */

/* One-dimensional transforms, written on any float type so the output transform can run on float8 vectors.
 * d, v, m, r are arrays read/written with stride s (s = 1: a row, s = WA: a column). */
#if WINO_M == 4
/* B^T d for points 0, +-1, +-2, inf. */
#define BT_1D(d, v, s)                                                                                       \
    do {                                                                                                     \
        v[0 * (s)] = 4.0f * d[0 * (s)] - 5.0f * d[2 * (s)] + d[4 * (s)];                                     \
        v[1 * (s)] = -4.0f * (d[1 * (s)] + d[2 * (s)]) + d[3 * (s)] + d[4 * (s)];                            \
        v[2 * (s)] = 4.0f * (d[1 * (s)] - d[2 * (s)]) - d[3 * (s)] + d[4 * (s)];                             \
        v[3 * (s)] = 2.0f * (d[3 * (s)] - d[1 * (s)]) - d[2 * (s)] + d[4 * (s)];                             \
        v[4 * (s)] = 2.0f * (d[1 * (s)] - d[3 * (s)]) - d[2 * (s)] + d[4 * (s)];                             \
        v[5 * (s)] = 4.0f * d[1 * (s)] - 5.0f * d[3 * (s)] + d[5 * (s)];                                     \
    } while (0)
/* A^T m. */
#define AT_1D(m, r, s)                                                                                       \
    do {                                                                                                     \
        r[0 * (s)] = m[0 * (s)] + m[1 * (s)] + m[2 * (s)] + m[3 * (s)] + m[4 * (s)];                         \
        r[1 * (s)] = m[1 * (s)] - m[2 * (s)] + 2.0f * (m[3 * (s)] - m[4 * (s)]);                             \
        r[2 * (s)] = m[1 * (s)] + m[2 * (s)] + 4.0f * (m[3 * (s)] + m[4 * (s)]);                             \
        r[3 * (s)] = m[1 * (s)] - m[2 * (s)] + 8.0f * (m[3 * (s)] - m[4 * (s)]) + m[5 * (s)];                \
    } while (0)
#else
#define BT_1D(d, v, s)                                                                                       \
    do {                                                                                                     \
        v[0 * (s)] = d[0 * (s)] - d[2 * (s)];                                                                \
        v[1 * (s)] = d[1 * (s)] + d[2 * (s)];                                                                \
        v[2 * (s)] = d[2 * (s)] - d[1 * (s)];                                                                \
        v[3 * (s)] = d[1 * (s)] - d[3 * (s)];                                                                \
    } while (0)
#define AT_1D(m, r, s)                                                                                       \
    do {                                                                                                     \
        r[0 * (s)] = m[0 * (s)] + m[1 * (s)] + m[2 * (s)];                                                   \
        r[1 * (s)] = m[1 * (s)] - m[2 * (s)] - m[3 * (s)];                                                   \
    } while (0)
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

/* Input transform. dim0: input channel c, dim1: tile block pb (global size C x Pb); channels fastest, so that
 * consecutive work-items fill the same cache lines of V.
 * Writes V[t][pb][c][0..P_TILE) = (B^T d B)[t] of the tiles pb * P_TILE + i; zeros for tiles past P. */
__kernel __attribute__((reqd_work_group_size(1, 1, 1)))
void winograd_input(__global const float *restrict in, int in_off, __global float *restrict v, int vts,
                    int C, int H, int W, int pad_top, int pad_left, int TH, int TW, int P, int Pb)
{
    const int c = get_global_id(0);
    const int pb = get_global_id(1);
    if (pb >= Pb || c >= C)
        return;
    const int HW = H * W;
    const size_t tstride = (size_t)vts; /* floats between two transform points */
    __global float *vo = v + ((size_t)pb * C + c) * P_TILE;
    for (int i = 0; i < P_TILE; ++i) {
        const int p = pb * P_TILE + i;
        float d[WT], tmp[WT];
        if (p < P) {
            const int tx = p % TW;
            const int nty = p / TW;
            const int ty = nty % TH;
            const int n = nty / TH;
            const int iy0 = ty * WINO_M - pad_top;
            const int ix0 = tx * WINO_M - pad_left;
            __global const float *ip = in + in_off + (size_t)(n * C + c) * HW;
            if (iy0 >= 0 && ix0 >= 0 && iy0 + WA <= H && ix0 + WA <= W) {
                _Pragma("unroll") for (int y = 0; y < WA; ++y)
                    _Pragma("unroll") for (int x = 0; x < WA; ++x)
                        d[y * WA + x] = ip[(iy0 + y) * W + ix0 + x];
            } else {
                /* Zero padding, and the part of an overhanging tile past the input. */
                _Pragma("unroll") for (int y = 0; y < WA; ++y)
                    _Pragma("unroll") for (int x = 0; x < WA; ++x) {
                        const int iy = iy0 + y, ix = ix0 + x;
                        d[y * WA + x] = (iy >= 0 && iy < H && ix >= 0 && ix < W) ? ip[iy * W + ix] : 0.0f;
                    }
            }
            /* Columns (B^T d), then rows ((B^T d) B). */
            _Pragma("unroll") for (int x = 0; x < WA; ++x) BT_1D((d + x), (tmp + x), WA);
            _Pragma("unroll") for (int y = 0; y < WA; ++y) BT_1D((tmp + y * WA), (d + y * WA), 1);
        } else {
            _Pragma("unroll") for (int t = 0; t < WT; ++t) d[t] = 0.0f;
        }
        _Pragma("unroll") for (int t = 0; t < WT; ++t) vo[t * tstride + i] = d[t];
    }
}

/* Batched GEMM: for each transform point t, Mw[t] (K x P) = U[t] (K x C) * V[t] (C x P).
 * dim0: tile block pb, dim1: channel block kb, dim2: t (global size Pb x Kb x T). Each work-item keeps
 * K_TILE x P_TILE sums in 2 x P_TILE float8 registers (12 of AVX2's 16), like conv2d_direct. */
__kernel __attribute__((reqd_work_group_size(1, 1, 1)))
void winograd_gemm(__global const float *restrict u, __global const float *restrict v,
                   __global float *restrict mw, int vts, int C, int Kb, int Pb)
{
    const int pb = get_global_id(0);
    const int kb = get_global_id(1);
    const int t = get_global_id(2);
    if (pb >= Pb || kb >= Kb || t >= WT)
        return;
    __global const float *up = u + ((size_t)t * Kb + kb) * (size_t)C * K_TILE;
    __global const float *vp = v + (size_t)t * vts + (size_t)pb * C * P_TILE;
    float8 acc[KV][P_TILE];
    _Pragma("unroll") for (int q = 0; q < KV; ++q)
        _Pragma("unroll") for (int i = 0; i < P_TILE; ++i)
            acc[q][i] = (float8)(0.0f);
    /* Two sequential streams: K_TILE weights and P_TILE inputs per input channel. Unrolled by hand (4 channels)
     * because clang does not unroll a loop with a run-time trip count on request. */
#define GEMM_STEP(cc)                                                                                        \
    do {                                                                                                     \
        float8 uv[KV];                                                                                       \
        _Pragma("unroll") for (int q = 0; q < KV; ++q) uv[q] = vload8(q, up + (cc) * K_TILE);               \
        _Pragma("unroll") for (int i = 0; i < P_TILE; ++i) {                                                 \
            const float8 x = (float8)(vp[(cc) * P_TILE + i]);                                                \
            _Pragma("unroll") for (int q = 0; q < KV; ++q) acc[q][i] = fma(uv[q], x, acc[q][i]);             \
        }                                                                                                    \
    } while (0)
    int c = 0;
    for (; c + 4 <= C; c += 4) {
        GEMM_STEP(0);
        GEMM_STEP(1);
        GEMM_STEP(2);
        GEMM_STEP(3);
        up += 4 * K_TILE;
        vp += 4 * P_TILE;
    }
    for (; c < C; ++c) {
        GEMM_STEP(0);
        up += K_TILE;
        vp += P_TILE;
    }
    __global float *mo = mw + (((size_t)kb * Pb + pb) * WT + t) * (P_TILE * K_TILE);
    _Pragma("unroll") for (int i = 0; i < P_TILE; ++i)
        _Pragma("unroll") for (int q = 0; q < KV; ++q)
            vstore8(acc[q][i], 0, mo + i * K_TILE + q * 8);
}

/* Output transform and epilogue. dim0: tile block pb, dim1: channel block kb (global size Pb x Kb).
 * Y = A^T m A runs on float8 vectors (8 output channels at once); the epilogue and the stores are per channel
 * and skip padded channels (k >= K) and pixels past the output (overhanging tiles). */
__kernel __attribute__((reqd_work_group_size(1, 1, 1)))
void winograd_output(__global const float *restrict mw, __global const float *restrict bias,
                     __global float *restrict out, int out_off, __global const float *restrict res, int res_off,
                     int K, int OH, int OW, int TH, int TW, int P, int Kb, int Pb,
                     int out_c_offset, int out_c_total, int res_c_offset, int res_c_total)
{
    const int pb = get_global_id(0);
    const int kb = get_global_id(1);
    if (pb >= Pb || kb >= Kb)
        return;
    __global const float *mblk = mw + ((size_t)kb * Pb + pb) * (WT * P_TILE * K_TILE);
    const size_t OHW = (size_t)OH * OW;
    for (int i = 0; i < P_TILE; ++i) {
        const int p = pb * P_TILE + i;
        if (p >= P)
            break;
        const int tx = p % TW;
        const int nty = p / TW;
        const int ty = nty % TH;
        const int n = nty / TH;
        const int oy0 = ty * WINO_M, ox0 = tx * WINO_M;
        /* The q and j loops stay loops: unrolled, their 2 x 8 x 16 guarded stores made this the costliest kernel
         * for POCL to compile (1.2 s of CPU at the first launch, 0.37 s now) and were no faster (DenseNet-121's
         * 3x3 layers in oclnn-bench-conv). */
        _Pragma("unroll 1") for (int q = 0; q < KV; ++q) {
            float8 m[WT], tmp[WINO_M * WA], y[WINO_M * WINO_M];
            _Pragma("unroll") for (int t = 0; t < WT; ++t)
                m[t] = vload8(0, mblk + (t * P_TILE + i) * K_TILE + q * 8);
            /* Columns (A^T m: WINO_M x WA), then rows ((A^T m) A: WINO_M x WINO_M). */
            _Pragma("unroll") for (int x = 0; x < WA; ++x) AT_1D((m + x), (tmp + x), WA);
            _Pragma("unroll") for (int r = 0; r < WINO_M; ++r) {
                float8 row[WINO_M];
                AT_1D((tmp + r * WA), row, 1);
                _Pragma("unroll") for (int s = 0; s < WINO_M; ++s) y[r * WINO_M + s] = row[s];
            }
            float ys[WINO_M * WINO_M][8];
            _Pragma("unroll") for (int e = 0; e < WINO_M * WINO_M; ++e) vstore8(y[e], 0, &ys[e][0]);
            _Pragma("unroll 1") for (int j = 0; j < 8; ++j) {
                const int k = kb * K_TILE + q * 8 + j;
                if (k >= K)
                    break;
#if HAS_BIAS
                const float b = bias[k];
#else
                const float b = 0.0f;
#endif
                __global float *oc = out + out_off + (size_t)(n * out_c_total + out_c_offset + k) * OHW;
#if HAS_RESIDUAL
                __global const float *rc = res + res_off + (size_t)(n * res_c_total + res_c_offset + k) * OHW;
#endif
                _Pragma("unroll") for (int r = 0; r < WINO_M; ++r) {
                    const int oy = oy0 + r;
                    if (oy < OH) {
                        _Pragma("unroll") for (int s = 0; s < WINO_M; ++s) {
                            const int ox = ox0 + s;
                            if (ox < OW) {
                                float val = ys[r * WINO_M + s][j] + b;
#if HAS_RESIDUAL && !RESIDUAL_AFTER_ACT
                                val += rc[oy * OW + ox];
#endif
                                val = oclnn_act(val);
#if HAS_RESIDUAL && RESIDUAL_AFTER_ACT
                                val += rc[oy * OW + ox];
#endif
                                oc[oy * OW + ox] = val;
                            }
                        }
                    }
                }
            }
        }
    }
}
