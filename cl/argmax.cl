/* argmax.cl - ArgMax along one axis of a float32 tensor seen as [outer][len][inner] (row-major), writing int64
 * indices as ONNX does. OpenCL C 1.2.
 *
 * -D options, all optional:
 *   SELECT_LAST  0: ties give the first index; 1: the last                         (default 0)
 *
 * Kernel argmax_strided: one work-item per (outer, inner) position, looping over the axis with stride `inner`,
 * so neighbouring work-items read neighbouring addresses (the per-pixel class of N x C x H x W logits is the
 * case this is shaped for). global = outer*inner rounded up to the local size; y has outer*inner elements.
 *
 * NaN compares greater than every number (numpy and PyTorch do the same): the first NaN on the axis wins (the
 * last with SELECT_LAST); +-inf compare as usual.
 */

#ifndef SELECT_LAST
#define SELECT_LAST 0
#endif

__kernel void argmax_strided(__global const float *x, int x_off, __global long *y, int y_off, int outer, int len,
                             int inner)
{
    const int gid = get_global_id(0);
    if (gid >= outer * inner)
        return;
    const int o = gid / inner, i = gid - o * inner;
    __global const float *xp = x + x_off + o * len * inner + i;
    float best = xp[0];
    int idx = 0;
    for (int c = 1; c < len; ++c) {
        const float v = xp[c * inner];
#if SELECT_LAST
        const int take = v >= best || isnan(v);
#else
        const int take = v > best || (isnan(v) && !isnan(best));
#endif
        if (take) {
            best = v;
            idx = c;
        }
    }
    y[y_off + gid] = (long)idx;
}
