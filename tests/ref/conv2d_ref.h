/* conv2d_ref.h - naive 2-D convolution reference (ONNX Conv semantics plus oclnn's fused epilogue), accumulated
 * in double, that also returns for every output the magnitude sum the accuracy bound is measured against.
 */
#ifndef OCLNN_CONV2D_REF_H
#define OCLNN_CONV2D_REF_H

#include <stddef.h>

typedef struct conv2d_ref_params {
    int n, c, h, w, k, kh, kw, sh, sw, dh, dw;
    int pad_top, pad_left; /* the begin pads after auto_pad is resolved */
    int oh, ow, groups;
    int act; /* oclnn_activation */
    float alpha, beta;
    int residual; /* oclnn_residual */
} conv2d_ref_params;

/* y and mag are n x k x oh x ow; res (when residual != 0) is n x k x oh x ow; bias may be NULL.
 * mag[i] = sum |w*x| + |bias| + |res| (the residual only when added before the activation; after it, its
 * magnitude is added unscaled). */
void conv2d_ref(const conv2d_ref_params *p, const float *x, const float *wt, const float *bias, const float *res,
                double *y, double *mag);

/* The activation in double, and the largest slope it has (for scaling the error bound). */
double ref_activation(int act, double x, double alpha, double beta);
double ref_activation_slope(int act, double alpha);

#endif
