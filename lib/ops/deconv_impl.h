/* deconv_impl.h - what the transposed convolutions share inside lib/ops: the ONNX output-size and padding rule of
 * one axis (conv2d_transposed.c), used by the 2-D operator and by the rank-based one in deconv.c.
 */
#ifndef OCLNN_OPS_DECONV_IMPL_H
#define OCLNN_OPS_DECONV_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "oclnn.h"

/* Output size and begin pad of one axis: input @p in, kernel k, stride s, dilation d, output padding op, auto_pad
 * ap, pads pb/pe (NOTSET only), output_shape (0: not given). Returns 0, or 1 when the pads leave no output, 2 when
 * output_shape needs negative padding at the start. */
int oclnn_deconv_axis_shape(size_t in, uint32_t k, uint32_t s, uint32_t d, uint32_t op, oclnn_auto_pad ap, uint32_t pb,
                            uint32_t pe, uint32_t out_shape, size_t *out, uint32_t *pad_begin);

#endif
