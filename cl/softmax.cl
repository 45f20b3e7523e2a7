/* softmax.cl - Softmax and LogSoftmax along one axis of a float32 tensor seen as [outer][len][inner]
 * (row-major), numerically stable: the axis maximum m is subtracted before exp. OpenCL C 1.2.
 *
 * -D options, all optional:
 *   LOG   0: Softmax     y = exp(x - m) / s                                          (default 0)
 *         1: LogSoftmax  y = (x - m) - log(s),   with s = sum over the axis of exp(x - m)
 *   VEC   vector width: positions along `inner` per work-item of softmax_strided, rows per
 *         work-item of softmax_short_rows, the chunk softmax_rows loads: 1, 2, 4, 8 or 16  (default 8)
 *   WG    work-group size of softmax_rows, a power of two (its reqd_work_group_size) (default 64)
 *   CACHE_LEN  softmax_strided copies columns of up to this many elements (VEC-wide) into private memory and
 *         makes its passes there: one read of x and one write of y. On CPUs the passes over a column
 *         otherwise re-read lines `inner` floats apart, which map to one cache set (a stride of 2^20
 *         bytes for 512x512 maps) and are evicted between passes. 0 turns it off (GPUs, where
 *         the array would spill from registers)                                    (default 64)
 *
 * Kernels (shapes are arguments, so one program serves every shape):
 *   softmax_strided  one work-item per VEC consecutive (outer, inner) positions, looping over the axis with
 *                    stride `inner` on VEC-wide vectors: the channel axis of NCHW maps (a per-pixel softmax over
 *                    C classes) loads VEC neighbouring pixels at a time, and neighbouring work-items read
 *                    neighbouring addresses. Positions past the last whole vector of a row of `inner` (and all
 *                    of them when inner < VEC) take a scalar loop. global = outer * ceil(inner / VEC), rounded
 *                    up to the local size.
 *   softmax_short_rows  inner == 1 and short rows (class scores of [anchors, 21], say): one work-item per VEC
 *                    rows, element c of the VEC rows forming one vector. global = ceil(outer / VEC), rounded up.
 *   softmax_rows     one work-group of WG items per row, for inner == 1 and long rows ([N, 1000] logits): the
 *                    items take the row's VEC-wide vectors in turn (then its last len % VEC elements one each),
 *                    and reduce the max and the sum through local memory. global = outer*WG, local = WG.
 * All make three passes over the axis (max; exp and sum; write), and y may be x itself (in place): each element
 * is read and written by the same work-item only.
 * Sums are accumulated in blocks of BLOCK terms, so the float rounding error of s grows with BLOCK + len/BLOCK
 * rather than with len.
 *
 * Special values: a NaN anywhere on the axis makes the whole row NaN (through s); -inf entries give 0 (LogSoftmax:
 * -inf) as long as one entry is finite; a +inf entry, or a row of -inf only, gives NaN (inf - inf).
 */

#ifndef LOG
#define LOG 0
#endif
#ifndef VEC
#define VEC 8
#endif
#ifndef WG
#define WG 64
#endif
#ifndef CACHE_LEN
#define CACHE_LEN 64
#endif

#if (WG & (WG - 1)) != 0 || WG < 1
#error "WG must be a power of two"
#endif

#define BLOCK 16

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
#define SLOAD(p) (*(p))
#define SSTORE(v, p) (*(p) = (v))

/* Pass 2 adds e = exp(x - m) to the sum; Softmax also stores e in y, so that pass 3 scales y by 1/s instead of
 * computing exp again (the column is still in cache: this halves the exps). LogSoftmax's pass 3 needs no exp. */
#if LOG
#define PASS2(e, yp) ((void)0)
#define PASS3(xp, yp, m, k) (((LD(xp)) - (m)) - (k))
#define SOFTMAX_FACTOR(s) log(s)
#else
#define PASS2(e, yp) ST(e, yp)
#define PASS3(xp, yp, m, k) (LD(yp) * (k))
#define SOFTMAX_FACTOR(s) (1.0f / (s))
#endif

/* The three passes over one column (or VEC neighbouring columns) starting at xp / yp, for element type T. LD and
 * ST name the load and store of a T. */
#define SOFTMAX_COLUMN(T, xp, yp)                                                                          \
    {                                                                                                      \
        T m = LD(xp);                                                                                      \
        for (int c = 1; c < len; ++c)                                                                      \
            m = fmax(m, LD((xp) + c * inner));                                                             \
        T s = (T)(0.0f);                                                                                   \
        for (int c0 = 0; c0 < len; c0 += BLOCK) {                                                          \
            const int c1 = min(c0 + BLOCK, len);                                                           \
            T b = (T)(0.0f);                                                                               \
            for (int c = c0; c < c1; ++c) {                                                                \
                const T e = exp(LD((xp) + c * inner) - m);                                                 \
                PASS2(e, (yp) + c * inner);                                                                \
                b += e;                                                                                    \
            }                                                                                              \
            s += b;                                                                                        \
        }                                                                                                  \
        const T k = SOFTMAX_FACTOR(s);                                                                     \
        for (int c = 0; c < len; ++c)                                                                      \
            ST(PASS3((xp) + c * inner, (yp) + c * inner, m, k), (yp) + c * inner);                         \
    }

__kernel void softmax_strided(__global const float *x, int x_off, __global float *y, int y_off, int outer, int len,
                              int inner)
{
    const int nb = (inner + VEC - 1) / VEC; /* vectors per row of `inner` */
    const int gid = get_global_id(0);
    if (gid >= outer * nb)
        return;
    const int o = gid / nb, i0 = (gid - o * nb) * VEC;
    const int base = o * len * inner + i0;
    __global const float *xp = x + x_off + base;
    __global float *yp = y + y_off + base;
#if CACHE_LEN > 0
    if (i0 + VEC <= inner && len <= CACHE_LEN) {
        /* One read of x and one write of y: the passes run on the private copy. */
        vecf v[CACHE_LEN];
        vecf m = VLOAD(xp);
        for (int c = 0; c < len; ++c) {
            v[c] = VLOAD(xp + c * inner);
            m = fmax(m, v[c]);
        }
        vecf s = (vecf)(0.0f);
        for (int c0 = 0; c0 < len; c0 += BLOCK) {
            const int c1 = min(c0 + BLOCK, len);
            vecf b = (vecf)(0.0f);
            for (int c = c0; c < c1; ++c) {
                const vecf e = exp(v[c] - m);
#if !LOG
                v[c] = e;
#endif
                b += e;
            }
            s += b;
        }
        const vecf k = SOFTMAX_FACTOR(s);
        for (int c = 0; c < len; ++c)
#if LOG
            VSTORE((v[c] - m) - k, yp + c * inner);
#else
            VSTORE(v[c] * k, yp + c * inner);
#endif
        return;
    }
#endif
    if (i0 + VEC <= inner) {
#define LD VLOAD
#define ST VSTORE
        SOFTMAX_COLUMN(vecf, xp, yp)
#undef LD
#undef ST
    } else {
#define LD SLOAD
#define ST SSTORE
        for (int i = 0; i < inner - i0; ++i)
            SOFTMAX_COLUMN(float, xp + i, yp + i)
#undef LD
#undef ST
    }
}

/* VEC values spaced `stride` apart, as one vector, and back (through private memory, for any VEC). */
vecf gather(__global const float *p, int stride)
{
    float t[VEC];
    _Pragma("unroll") for (int k = 0; k < VEC; ++k)
        t[k] = p[k * stride];
    return VLOAD(t);
}

void scatter(vecf v, __global float *p, int stride)
{
    float t[VEC];
    VSTORE(v, t);
    _Pragma("unroll") for (int k = 0; k < VEC; ++k)
        p[k * stride] = t[k];
}

/* Short rows (inner == 1): one work-item per VEC consecutive rows, whose elements c form one vector (read with a
 * stride of len), so the exps and sums are vector operations; the last rows % VEC rows take the scalar loop. */
__kernel void softmax_short_rows(__global const float *x, int x_off, __global float *y, int y_off, int rows,
                                 int len)
{
    const int inner = 1; /* SOFTMAX_COLUMN steps along the row */
    const int r0 = get_global_id(0) * VEC;
    if (r0 >= rows)
        return;
    __global const float *xp = x + x_off + r0 * len;
    __global float *yp = y + y_off + r0 * len;
    if (r0 + VEC <= rows) {
#define LD(p) gather(p, len)
#define ST(v, p) scatter(v, p, len)
        SOFTMAX_COLUMN(vecf, xp, yp)
#undef LD
#undef ST
    } else {
#define LD SLOAD
#define ST SSTORE
        for (int r = 0; r < rows - r0; ++r)
            SOFTMAX_COLUMN(float, xp + r * len, yp + r * len)
#undef LD
#undef ST
    }
}

/* Horizontal max and sum of a vecf, through private memory (any VEC). */
float hmax(vecf v)
{
    float t[VEC];
    VSTORE(v, t);
    float r = t[0];
    _Pragma("unroll") for (int i = 1; i < VEC; ++i)
        r = fmax(r, t[i]);
    return r;
}

float hsum(vecf v)
{
    float t[VEC];
    VSTORE(v, t);
    float r = t[0];
    _Pragma("unroll") for (int i = 1; i < VEC; ++i)
        r += t[i];
    return r;
}

/* Max and sum of the group's WG values through local memory; every item gets the result. */
float group_max(__local float *red, float v)
{
    const int t = get_local_id(0);
    red[t] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = WG / 2; h > 0; h >>= 1) {
        if (t < h)
            red[t] = fmax(red[t], red[t + h]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    const float r = red[0];
    barrier(CLK_LOCAL_MEM_FENCE); /* everyone has read red[0] before red is reused */
    return r;
}

float group_sum(__local float *red, float v)
{
    const int t = get_local_id(0);
    red[t] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = WG / 2; h > 0; h >>= 1) {
        if (t < h)
            red[t] += red[t + h];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    const float r = red[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}

/* A row is nv = len / VEC whole vectors, vector j handled by item j % WG, then a tail of len % VEC elements,
 * element nv*VEC + t handled by item t: the same owner in every pass. */
__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void softmax_rows(__global const float *x, int x_off, __global float *y, int y_off, int rows, int len)
{
    __local float red[WG];
    const int row = get_group_id(0), t = get_local_id(0);
    if (row >= rows) /* uniform over the group: no barrier is skipped by part of it */
        return;
    __global const float *xr = x + x_off + row * len;
    __global float *yr = y + y_off + row * len;
    const int nv = len / VEC, tail = nv * VEC + t;

    vecf mv = (vecf)(-INFINITY);
    for (int j = t; j < nv; j += WG)
        mv = fmax(mv, VLOAD(xr + j * VEC));
    float m = hmax(mv);
    if (tail < len)
        m = fmax(m, xr[tail]);
    m = group_max(red, m);

    vecf sv = (vecf)(0.0f);
#define LD VLOAD
#define ST VSTORE
    for (int j0 = t; j0 < nv; j0 += BLOCK * WG) {
        const int j1 = min(j0 + BLOCK * WG, nv);
        vecf b = (vecf)(0.0f);
        for (int j = j0; j < j1; j += WG) {
            const vecf e = exp(VLOAD(xr + j * VEC) - m);
            PASS2(e, yr + j * VEC);
            b += e;
        }
        sv += b;
    }
#undef LD
#undef ST
    float s = hsum(sv);
    if (tail < len) {
        const float e = exp(xr[tail] - m);
#define LD SLOAD
#define ST SSTORE
        PASS2(e, yr + tail);
#undef LD
#undef ST
        s += e;
    }
    s = group_sum(red, s);

    const float k = SOFTMAX_FACTOR(s);
#define LD VLOAD
#define ST VSTORE
    for (int j = t; j < nv; j += WG)
        VSTORE(PASS3(xr + j * VEC, yr + j * VEC, m, k), yr + j * VEC);
#undef LD
#undef ST
#define LD SLOAD
#define ST SSTORE
    if (tail < len)
        yr[tail] = PASS3(xr + tail, yr + tail, m, k);
#undef LD
#undef ST
}
