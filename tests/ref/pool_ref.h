/* pool_ref.h - naive 2-D pooling reference (ONNX MaxPool, AveragePool, LpPool and the global forms) in double,
 * that also returns for every output the largest |x| in its window, which the accuracy bound is measured against.
 */
#ifndef OCLNN_POOL_REF_H
#define OCLNN_POOL_REF_H

typedef struct pool_ref_params {
    int type; /* oclnn_pool_type */
    int n, c, h, w, kh, kw, sh, sw, dh, dw;
    int pad_top, pad_left, pad_bottom, pad_right; /* after auto_pad is resolved */
    int oh, ow;
    int count_include_pad, p;
} pool_ref_params;

/* y and wmax are n x c x oh x ow. The global types use the whole map as the window (oh = ow = 1). */
void pool_ref(const pool_ref_params *p, const float *x, double *y, double *wmax);

#endif
