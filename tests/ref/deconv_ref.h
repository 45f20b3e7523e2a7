/* deconv_ref.h - naive transposed 2-D convolution reference (ONNX ConvTranspose semantics plus oclnn's fused
 * epilogue), accumulated in double as a scatter, with the magnitude sum of every output for the accuracy bound.
 */
#ifndef OCLNN_DECONV_REF_H
#define OCLNN_DECONV_REF_H

#include <stddef.h>

typedef struct deconv_ref_params {
    int n, c, h, w, k, kh, kw, sh, sw, dh, dw;
    int pad_top, pad_left; /* the begin pads after auto_pad / output_shape are resolved */
    int oh, ow, groups;
    int act; /* oclnn_activation */
    float alpha, beta;
    int residual; /* oclnn_residual */
} deconv_ref_params;

/* wt has the ConvTranspose layout [c][k/groups][kh][kw]; y and mag are n x k x oh x ow; res (when residual != 0) is
 * n x k x oh x ow; bias may be NULL. mag[i] = (sum |w*x| + |bias| + |res before the activation|) * the activation's
 * largest slope + |res after the activation|. */
void deconv_ref(const deconv_ref_params *p, const float *x, const float *wt, const float *bias, const float *res,
                double *y, double *mag);

#endif
