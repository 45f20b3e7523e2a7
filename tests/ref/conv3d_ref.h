/* conv3d_ref.h - naive 3-D convolution reference (ONNX Conv over D, H, W plus oclnn's fused epilogue), accumulated
 * in double, that also returns for every output the magnitude sum the accuracy bound is measured against. A 1-D or
 * 2-D convolution is the same computation with D (and H) = 1 and a kernel of 1 along them.
 */
#ifndef OCLNN_CONV3D_REF_H
#define OCLNN_CONV3D_REF_H

#include <stddef.h>

typedef struct conv3d_ref_params {
    int n, c, k, groups;
    int in[3], kernel[3], stride[3], dilation[3]; /* D, H, W */
    int pad[3];                                   /* begin pads after auto_pad is resolved */
    int out[3];
    int act; /* oclnn_activation */
    float alpha, beta;
    int residual; /* oclnn_residual */
} conv3d_ref_params;

/* x is n x c x in; wt is k x c/groups x kernel; y, mag and res (when residual != 0) are n x k x out; bias may be
 * NULL. mag[i] = (sum |w*x| + |bias| + |res| before the activation) * the activation's largest slope, + |res| when
 * the residual is added after it. Uses ref_activation / ref_activation_slope of conv2d_ref.c. */
void conv3d_ref(const conv3d_ref_params *p, const float *x, const float *wt, const float *bias, const float *res,
                double *y, double *mag);

#endif
