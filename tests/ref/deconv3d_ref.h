/* deconv3d_ref.h - naive transposed 3-D convolution reference (ONNX ConvTranspose on NCDHW plus oclnn's fused
 * epilogue), accumulated in double as a scatter, with the magnitude sum of every output for the accuracy bound.
 * Lower ranks are the same with leading spatial sizes, kernels and strides of 1.
 */
#ifndef OCLNN_DECONV3D_REF_H
#define OCLNN_DECONV3D_REF_H

#include <stddef.h>

typedef struct deconv3d_ref_params {
    int n, c, k, groups;
    int in[3], kernel[3], stride[3], dilation[3];
    int pad[3]; /* the begin pads after auto_pad / output_shape are resolved */
    int out[3];
    int act; /* oclnn_activation */
    float alpha, beta;
    int residual; /* oclnn_residual */
} deconv3d_ref_params;

/* wt has the ConvTranspose layout [c][k/groups][kd][kh][kw]; y, mag and res (when residual != 0) are
 * n x k x out[0] x out[1] x out[2]; bias may be NULL. mag[i] = (sum |w*x| + |bias| + |res before the activation|) *
 * the activation's largest slope + |res after the activation|. */
void deconv3d_ref(const deconv3d_ref_params *p, const float *x, const float *wt, const float *bias, const float *res,
                  double *y, double *mag);

#endif
