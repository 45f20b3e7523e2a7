/* argmax.cl - ArgMax along one axis of a float32 tensor seen as [outer][len][inner] (row-major), writing int64
 * indices as ONNX does. OpenCL C 1.2.
 *
 * -D options, all optional:
 *   SELECT_LAST  0: ties give the first index; 1: the last                         (default 0)
 *   VEC          positions along `inner` per work-item: 1, 2, 4, 8 or 16           (default 8)
 *
 * Kernel argmax_strided: one work-item per VEC consecutive (outer, inner) positions, looping over the axis with
 * stride `inner` on VEC-wide vectors, so the per-pixel class of N x C x H x W logits (the case this is shaped
 * for) compares VEC neighbouring pixels at a time and neighbouring work-items read neighbouring addresses.
 * Positions past the last whole vector of a row of `inner` (and rows with inner < VEC) take a scalar loop.
 * global = outer * ceil(inner / VEC) rounded up to the local size; y has outer*inner elements.
 *
 * NaN compares greater than every number (numpy and PyTorch do the same): the first NaN on the axis wins (the
 * last with SELECT_LAST); +-inf compare as usual.
 */

#ifndef SELECT_LAST
#define SELECT_LAST 0
#endif
#ifndef VEC
#define VEC 8
#endif

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)

/* Whether v replaces best (works on scalars and, with -1 as true, on vectors). */
#if SELECT_LAST
#define TAKE(v, best) ((v) >= (best) || isnan(v))
#else
#define TAKE(v, best) ((v) > (best) || (isnan(v) && !isnan(best)))
#endif

__kernel void argmax_strided(__global const float *x, int x_off, __global long *y, int y_off, int outer, int len,
                             int inner)
{
    const int nb = (inner + VEC - 1) / VEC; /* vectors per row of `inner` */
    const int gid = get_global_id(0);
    if (gid >= outer * nb)
        return;
    const int o = gid / nb, i0 = (gid - o * nb) * VEC;
    __global const float *xp = x + x_off + o * len * inner + i0;
    __global long *yp = y + y_off + o * inner + i0;
#if VEC > 1
    if (i0 + VEC <= inner) {
        typedef CAT(float, VEC) vecf;
        typedef CAT(int, VEC) veci;
        vecf best = CAT(vload, VEC)(0, xp);
        veci idx = (veci)(0);
        for (int c = 1; c < len; ++c) {
            const vecf v = CAT(vload, VEC)(0, xp + c * inner);
            const veci take = TAKE(v, best); /* -1 where true */
            best = select(best, v, take);
            idx = select(idx, (veci)(c), take);
        }
        CAT(vstore, VEC)(CAT(convert_long, VEC)(idx), 0, yp);
        return;
    }
#endif
    for (int i = 0; i < inner - i0 && i < VEC; ++i) {
        float best = xp[i];
        int idx = 0;
        for (int c = 1; c < len; ++c) {
            const float v = xp[c * inner + i];
            if (TAKE(v, best)) {
                best = v;
                idx = c;
            }
        }
        yp[i] = (long)idx;
    }
}
