/* softmax.cl - Softmax and LogSoftmax along one axis of a float32 tensor seen as [outer][len][inner]
 * (row-major), numerically stable: the axis maximum m is subtracted before exp. OpenCL C 1.2.
 *
 * -D options, all optional:
 *   LOG   0: Softmax     y = exp(x - m) / s                                          (default 0)
 *         1: LogSoftmax  y = (x - m) - log(s),   with s = sum over the axis of exp(x - m)
 *   WG    work-group size of softmax_rows, a power of two (its reqd_work_group_size) (default 64)
 *
 * Kernels (shapes are arguments, so one program serves every shape):
 *   softmax_strided  one work-item per (outer, inner) position, looping over the axis with stride `inner`, so
 *                    neighbouring work-items read neighbouring addresses: the channel axis of NCHW maps (a
 *                    per-pixel softmax over C classes), and short rows. global = outer*inner rounded up.
 *   softmax_rows     one work-group of WG items per row, for inner == 1 and long rows ([N, 1000] logits): the
 *                    items stride the row by WG and reduce the max and the sum through local memory.
 *                    global = outer*WG, local = WG.
 * Both read x three times (max, sum, write) and recompute exp rather than storing it, so y is written once and
 * may be x itself (in place): each element is read and written by the same work-item only.
 * Sums are accumulated in blocks of BLOCK terms, so the float rounding error of s grows with BLOCK + len/BLOCK
 * rather than with len.
 *
 * Special values: a NaN anywhere on the axis makes the whole row NaN (through s); -inf entries give 0 (LogSoftmax:
 * -inf) as long as one entry is finite; a +inf entry, or a row of -inf only, gives NaN (inf - inf).
 */

#ifndef LOG
#define LOG 0
#endif
#ifndef WG
#define WG 64
#endif

#if (WG & (WG - 1)) != 0 || WG < 1
#error "WG must be a power of two"
#endif

#define BLOCK 16

/* y at one position from x, the axis max m and the axis sum s (1/s precomputed for Softmax, log(s) for LogSoftmax). */
#if LOG
#define SOFTMAX_OUT(x, m, k) (((x) - (m)) - (k))
#define SOFTMAX_FACTOR(s) log(s)
#else
#define SOFTMAX_OUT(x, m, k) (exp((x) - (m)) * (k))
#define SOFTMAX_FACTOR(s) (1.0f / (s))
#endif

__kernel void softmax_strided(__global const float *x, int x_off, __global float *y, int y_off, int outer, int len,
                              int inner)
{
    const int gid = get_global_id(0);
    if (gid >= outer * inner)
        return;
    const int o = gid / inner, i = gid - o * inner;
    const int base = o * len * inner + i;
    __global const float *xp = x + x_off + base;
    __global float *yp = y + y_off + base;

    float m = xp[0];
    for (int c = 1; c < len; ++c)
        m = fmax(m, xp[c * inner]);

    float s = 0.0f;
    for (int c0 = 0; c0 < len; c0 += BLOCK) {
        const int c1 = min(c0 + BLOCK, len);
        float b = 0.0f;
        for (int c = c0; c < c1; ++c)
            b += exp(xp[c * inner] - m);
        s += b;
    }

    const float k = SOFTMAX_FACTOR(s);
    for (int c = 0; c < len; ++c)
        yp[c * inner] = SOFTMAX_OUT(xp[c * inner], m, k);
}

__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void softmax_rows(__global const float *x, int x_off, __global float *y, int y_off, int rows, int len)
{
    __local float red[WG];
    const int row = get_group_id(0), t = get_local_id(0);
    if (row >= rows) /* uniform over the group: no barrier is skipped by part of it */
        return;
    __global const float *xr = x + x_off + row * len;
    __global float *yr = y + y_off + row * len;

    float m = -INFINITY;
    for (int c = t; c < len; c += WG)
        m = fmax(m, xr[c]);
    red[t] = m;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = WG / 2; h > 0; h >>= 1) {
        if (t < h)
            red[t] = fmax(red[t], red[t + h]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    m = red[0];
    barrier(CLK_LOCAL_MEM_FENCE); /* everyone has read red[0] before it is reused */

    float s = 0.0f;
    for (int c0 = t; c0 < len; c0 += BLOCK * WG) {
        const int c1 = min(c0 + BLOCK * WG, len);
        float b = 0.0f;
        for (int c = c0; c < c1; c += WG)
            b += exp(xr[c] - m);
        s += b;
    }
    red[t] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = WG / 2; h > 0; h >>= 1) {
        if (t < h)
            red[t] += red[t + h];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    const float k = SOFTMAX_FACTOR(red[0]);
    for (int c = t; c < len; c += WG)
        yr[c] = SOFTMAX_OUT(xr[c], m, k);
}
