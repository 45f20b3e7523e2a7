/* gemm.cl - register-blocked SGEMM for CPU OpenCL drivers, Y = act(alpha * A*B + beta*C [+ residual]),
 * batched, with the operands' layouts given by strides; plus the epilogue pass used after a CLBlast GEMM and
 * the im2col that feeds conv2d's gemm algorithm. OpenCL C 1.2.
 *
 * Each work-item of `gemm` computes MR rows x NR columns of Y, keeping the MR*NR sums in registers as vectors
 * along n (NR/VEC vectors per row). Work-group size is fixed to 1x1x1, as in conv2d_direct.cl: on POCL this
 * keeps the explicit vector code as written. Operands are (buffer, element offset, strides):
 *   A(m, k)  A_PACKED=0: A[a_off + m*a_sm + k*a_sk]; A_PACKED=1: panels of MR rows packed by
 *            oclnn_gemm_pack() as [m/MR][k][MR] (zero padded), a_sm = the panel stride, a_sk unused.
 *   B(k, n)  B_PACKED=0: B[b_off + k*b_sk + n*b_sn] (b_sn must be 1 unless B_GATHER=1); B_PACKED=1: panels of
 *            NR columns [n/NR][k][NR] (zero padded), b_sn = the panel stride, b_sk unused.
 *   C(m, n)  C[c_off + m*c_sm + n*c_sn]: strides of 0 broadcast (a bias of [N] has c_sm = 0, c_sn = 1).
 *   Y(m, n), R(m, n)  Y[y_off + m*y_sm + n] (n contiguous), the residual alike with r_sm.
 * Batch: global id 2 is z = (z2 * zn1 + z1) * zn0 + z0, and every operand adds z0*bs.x + z1*bs.y + z2*bs.z.
 *
 * Compile-time options (-D), all optional:
 *   MR                rows of Y per work-item, 1..8                                     (default 6)
 *   NR                columns of Y per work-item, a multiple of VEC                     (default 16)
 *   VEC               vector width of the accumulators: 1, 2, 4, 8 or 16 (8 = one AVX2 register; 16x6 uses
 *                     12 of the 16 ymm registers for sums, as conv2d_direct does)        (default 8)
 *   A_PACKED, B_PACKED  1: the operand is packed in panels (see above)                  (default 0, 0)
 *   B_GATHER          1: unpacked B is read element by element (b_sn != 1, e.g. a transposed B)  (default 0)
 *   HAS_C             1: add beta * C                                                    (default 0)
 *   HAS_RESIDUAL, RESIDUAL_AFTER_ACT, ACT, ACT_ALPHA, ACT_BETA  the fused epilogue, spelled and ordered exactly
 *                     as in conv2d_direct.cl: y = alpha*acc + beta*C; [+R]; act; [+R if RESIDUAL_AFTER_ACT]
 *                                                                                        (default 0, 0, 0, 0.01f, 0.0f)
 */

#ifndef MR
#define MR 6
#endif
#ifndef NR
#define NR 16
#endif
#ifndef VEC
#define VEC 8
#endif
#ifndef A_PACKED
#define A_PACKED 0
#endif
#ifndef B_PACKED
#define B_PACKED 0
#endif
#ifndef B_GATHER
#define B_GATHER 0
#endif
#ifndef HAS_C
#define HAS_C 0
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

#if NR % VEC != 0
#error "VEC must divide NR"
#endif
#if MR < 1 || MR > 8
#error "MR must be 1..8"
#endif
#define NVEC (NR / VEC)

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#if VEC == 1
typedef float vecf;
#define VLOAD(p) (*(p))
#define VSTORE(v, p) (*(p) = (v))
#else
typedef CAT(float, VEC) vecf;
#define VLOAD(p) CAT(vload, VEC)(0, p)
#define VSTORE(v, p) CAT(vstore, VEC)(v, 0, p)
#endif

/* The activation codes of oclnn_activation (the same function as conv2d_direct.cl's: every kernel file compiles
 * standalone, so each carries its own copy). */
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

#define BOFF(bs) (z0 * (bs).x + z1 * (bs).y + z2 * (bs).z)

/* One k step: MR broadcasts of A times NVEC vectors of B into the MR x NVEC accumulators. */
#if A_PACKED
#define LOAD_A(k) _Pragma("unroll") for (int i = 0; i < MR; ++i) av[i] = ap[(k) * MR + i];
#else
#define LOAD_A(k) _Pragma("unroll") for (int i = 0; i < MR; ++i) av[i] = arow[i][(k) * a_sk];
#endif
#define FMA_STEP                                                                                             \
    _Pragma("unroll") for (int i = 0; i < MR; ++i) {                                                         \
        const vecf a = (vecf)(av[i]);                                                                        \
        _Pragma("unroll") for (int v = 0; v < NVEC; ++v) acc[i][v] = fma(a, bv[v], acc[i][v]);              \
    }

__kernel __attribute__((reqd_work_group_size(1, 1, 1)))
void gemm(__global const float *restrict A, int a_off, int a_sm, int a_sk,
          __global const float *restrict B, int b_off, int b_sk, int b_sn,
          __global const float *restrict Cm, int c_off, int c_sm, int c_sn,
          __global float *restrict Y, int y_off, int y_sm,
          __global const float *restrict R, int r_off, int r_sm,
          int M, int N, int K, float alpha, float beta, int zn0, int zn1,
          int4 a_bs, int4 b_bs, int4 c_bs, int4 y_bs, int4 r_bs)
{
    /* dim0: row tile (fastest, so consecutive work-items reuse one B panel from L1), dim1: column tile. */
    const int m0 = get_global_id(0) * MR;
    const int n0 = get_global_id(1) * NR;
    const int z = get_global_id(2);
    const int z0 = z % zn0, z1 = (z / zn0) % zn1, z2 = z / (zn0 * zn1);
    if (m0 >= M || n0 >= N)
        return;

    vecf acc[MR][NVEC];
    _Pragma("unroll") for (int i = 0; i < MR; ++i)
        _Pragma("unroll") for (int v = 0; v < NVEC; ++v) acc[i][v] = (vecf)(0.0f);
    float av[MR];
    vecf bv[NVEC];

#if A_PACKED
    __global const float *ap = A + a_off + BOFF(a_bs) + (m0 / MR) * a_sm;
#else
    /* Rows past M repeat the last row: valid memory, results never stored. */
    __global const float *arow[MR];
    _Pragma("unroll") for (int i = 0; i < MR; ++i)
        arow[i] = A + a_off + BOFF(a_bs) + min(m0 + i, M - 1) * a_sm;
#endif

#if B_PACKED
    __global const float *bp = B + b_off + BOFF(b_bs) + (n0 / NR) * b_sn;
    for (int k = 0; k < K; ++k) {
        _Pragma("unroll") for (int v = 0; v < NVEC; ++v) bv[v] = VLOAD(bp + k * NR + v * VEC);
        LOAD_A(k)
        FMA_STEP
    }
#else
    __global const float *bp = B + b_off + BOFF(b_bs) + n0 * b_sn;
    if (!B_GATHER && n0 + NR <= N) {
        for (int k = 0; k < K; ++k) {
            _Pragma("unroll") for (int v = 0; v < NVEC; ++v) bv[v] = VLOAD(bp + k * b_sk + v * VEC);
            LOAD_A(k)
            FMA_STEP
        }
    } else {
        /* Edge tile (or a strided B): element loads, zeros past N. */
        for (int k = 0; k < K; ++k) {
            _Pragma("unroll") for (int v = 0; v < NVEC; ++v) {
                float t[VEC];
                _Pragma("unroll") for (int j = 0; j < VEC; ++j) {
                    const int n = v * VEC + j;
                    t[j] = n0 + n < N ? bp[k * b_sk + n * b_sn] : 0.0f;
                }
                bv[v] = VLOAD(t);
            }
            LOAD_A(k)
            FMA_STEP
        }
    }
#endif

    /* Epilogue: whole vectors when the tile is inside N, element stores at the right edge. */
    const int full = n0 + NR <= N;
    _Pragma("unroll") for (int i = 0; i < MR; ++i) {
        const int m = m0 + i;
        if (m >= M)
            break;
        __global float *yr = Y + y_off + BOFF(y_bs) + m * y_sm + n0;
#if HAS_C
        __global const float *cr = Cm + c_off + BOFF(c_bs) + m * c_sm + n0 * c_sn;
#endif
#if HAS_RESIDUAL
        __global const float *rr = R + r_off + BOFF(r_bs) + m * r_sm + n0;
#endif
        _Pragma("unroll") for (int v = 0; v < NVEC; ++v) {
            float t[VEC];
            VSTORE(acc[i][v], t);
            _Pragma("unroll") for (int j = 0; j < VEC; ++j) {
                const int n = v * VEC + j;
                if (full || n0 + n < N) {
                    float y = alpha * t[j];
#if HAS_C
                    y += beta * cr[n * c_sn];
#endif
#if HAS_RESIDUAL && !RESIDUAL_AFTER_ACT
                    y += rr[n];
#endif
                    y = oclnn_act(y);
#if HAS_RESIDUAL && RESIDUAL_AFTER_ACT
                    y += rr[n];
#endif
                    t[j] = y;
                }
            }
            if (full) {
                VSTORE(VLOAD(t), yr + v * VEC);
            } else {
                _Pragma("unroll") for (int j = 0; j < VEC; ++j)
                    if (n0 + v * VEC + j < N) yr[v * VEC + j] = t[j];
            }
        }
    }
}

/* In-place epilogue after a GEMM that wrote alpha*A*B (CLBlast): Y = act(Y + beta*C [+R]) [+R], with the
 * gemm kernel's strides and batch decomposition. global = (N, M, batch). */
__kernel void gemm_epilogue(__global float *Y, int y_off, int y_sm,
                            __global const float *Cm, int c_off, int c_sm, int c_sn,
                            __global const float *R, int r_off, int r_sm,
                            int M, int N, float beta, int zn0, int zn1, int4 y_bs, int4 c_bs, int4 r_bs)
{
    const int n = get_global_id(0), m = get_global_id(1), z = get_global_id(2);
    const int z0 = z % zn0, z1 = (z / zn0) % zn1, z2 = z / (zn0 * zn1);
    if (n >= N || m >= M)
        return;
    __global float *y = Y + y_off + BOFF(y_bs) + m * y_sm + n;
    float v = *y;
#if HAS_C
    v += beta * Cm[c_off + BOFF(c_bs) + m * c_sm + n * c_sn];
#endif
#if HAS_RESIDUAL && !RESIDUAL_AFTER_ACT
    v += R[r_off + BOFF(r_bs) + m * r_sm + n];
#endif
    v = oclnn_act(v);
#if HAS_RESIDUAL && RESIDUAL_AFTER_ACT
    v += R[r_off + BOFF(r_bs) + m * r_sm + n];
#endif
    *y = v;
}

/* im2col for conv2d's gemm algorithm, written straight into B panels of NR pixels: for image n and group g,
 * B(k, p) with k = (c*KH + ky)*KW + kx over the group's C/groups channels and p = oy*OW + ox, stored at
 * out[out_off + ((n*groups + g)*npanels + p/NR)*Kdim*NR + k*NR + p%NR]; pixels past OH*OW are zero.
 * global = (npanels*NR, Kdim, N*groups). Kernel size, stride and dilation are arguments here: the copy is
 * memory-bound, so nothing is gained by compiling them in. */
__kernel void gemm_im2col(__global const float *restrict in, int in_off, int C, int H, int W,
                          __global float *restrict out, int out_off, int OH, int OW, int groups,
                          int KH, int KW, int SH, int SW, int DH, int DW, int pad_top, int pad_left)
{
    const int p = get_global_id(0), k = get_global_id(1), z = get_global_id(2);
    const int Cg = C / groups, kdim = Cg * KH * KW;
    if (k >= kdim)
        return;
    const int npanels = (OH * OW + NR - 1) / NR;
    const int g = z % groups, n = z / groups;
    const int kx = k % KW, ky = (k / KW) % KH, c = k / (KW * KH);
    float v = 0.0f;
    if (p < OH * OW) {
        const int oy = p / OW, ox = p % OW;
        const int iy = oy * SH - pad_top + ky * DH, ix = ox * SW - pad_left + kx * DW;
        if (iy >= 0 && iy < H && ix >= 0 && ix < W)
            v = in[in_off + ((n * C + g * Cg + c) * H + iy) * W + ix];
    }
    out[out_off + ((z * npanels + p / NR) * kdim + k) * NR + p % NR] = v;
}
