/* poolnd_ref.h - naive pooling reference over 1, 2 or 3 spatial axes (ONNX MaxPool, AveragePool, LpPool and the
 * global forms) in double, one output at a time over every tap of its window; also returns for every output the
 * largest |x| in its window, which the accuracy bounds are measured against.
 */
#ifndef OCLNN_POOLND_REF_H
#define OCLNN_POOLND_REF_H

typedef struct poolnd_ref_params {
    int type; /* oclnn_pool_type */
    int rank; /* 1..3; arrays in ONNX order, entries past rank unused */
    int n, c, in[3], out[3];
    int k[3], s[3], d[3];
    int pad_begin[3], pad_end[3]; /* after auto_pad is resolved */
    int count_include_pad, p;
} poolnd_ref_params;

/* x is n x c x in; y and wmax are n x c x out. The global types use the whole volume (out all 1). */
void poolnd_ref(const poolnd_ref_params *p, const float *x, double *y, double *wmax);

#endif
