/* oclnn_deconv.h - the transposed convolution (ONNX ConvTranspose) operators, included by oclnn_ops.h: oclnn_deconv2d
 * and the rank-based oclnn_deconv (1-D, 2-D, 3-D).
 * Same lifecycle and fused epilogue as oclnn_conv2d: create -> reshape -> setup -> enqueue -> destroy.
 */
#ifndef OCLNN_DECONV_H
#define OCLNN_DECONV_H

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A 2-D transposed convolution with ONNX ConvTranspose semantics plus the fused epilogue of oclnn_conv2d
 * (bias, residual, activation). Per axis, with eff = dilation*(kernel-1)+1 and full = stride*(in-1) +
 * output_padding + eff:
 *  - NOTSET without output_shape: out = full - pad_begin - pad_end;
 *  - output_shape given (both output_shape_h and _w non-zero): out = output_shape and the pads ignore the pad
 *    fields: total = full - output_shape, split as ONNX says: SAME_UPPER puts total/2 at the beginning, every
 *    other auto_pad puts total - total/2 there (the odd pixel at the beginning);
 *  - SAME_UPPER / SAME_LOWER: out = in*stride, total = full - out, split as above (SAME_LOWER: odd pixel first);
 *  - VALID: no padding, out = full.
 * output_padding must be smaller than the stride or the dilation on its axis (the ONNX/PyTorch rule).
 */
typedef struct oclnn_deconv2d_params {
    uint32_t in_channels, out_channels, groups;
    uint32_t kernel_h, kernel_w;
    uint32_t stride_h, stride_w;
    uint32_t dilation_h, dilation_w;
    uint32_t pad_top, pad_left, pad_bottom, pad_right; /**< used only with NOTSET and no output_shape */
    uint32_t output_padding_h, output_padding_w;
    uint32_t output_shape_h, output_shape_w; /**< 0, 0: not given; otherwise both > 0 */
    oclnn_auto_pad auto_pad;
    oclnn_activation activation;
    float activation_alpha, activation_beta;
    oclnn_residual residual;
} oclnn_deconv2d_params;

typedef struct oclnn_deconv2d oclnn_deconv2d;

/** Defaults: 1 group, 1x1 kernel, stride and dilation 1, no padding or output padding, no output_shape, no
 * activation, no residual. */
OCLNN_API void oclnn_deconv2d_params_init(oclnn_deconv2d_params *params);

/**
 * Creates the operator. @p weights has the ONNX ConvTranspose layout [in][out/groups][kh][kw] and exactly
 * @p weights_count = in_channels * out_channels/groups * kh * kw elements; @p bias has out_channels values, or is
 * NULL with bias_count 0. Both are copied (packed) now.
 * @retval OCLNN_STATUS_INVALID_ARGUMENT naming the rule for a bad group, stride, dilation, output_padding,
 *         output_shape or weight count
 * @retval OCLNN_STATUS_UNSUPPORTED for sizes above the kernels' limits, or SAME padding that would be negative
 */
OCLNN_API oclnn_status oclnn_deconv2d_create(oclnn_context *ctx, const oclnn_deconv2d_params *params,
                                             const float *weights, size_t weights_count, const float *bias,
                                             size_t bias_count, oclnn_deconv2d **out);

/**
 * Sets the input size and computes the output size (and, with output_shape or SAME, the pads); never recompiles.
 * @retval OCLNN_STATUS_INVALID_SHAPE when the pads leave no output, or output_shape is larger than the
 *         transposed convolution reaches (it would need negative pads)
 */
OCLNN_API oclnn_status oclnn_deconv2d_reshape(oclnn_deconv2d *op, size_t batch, size_t height, size_t width,
                                              size_t *out_height, size_t *out_width);

/** Binds tensors, with the channel-offset conventions of oclnn_conv2d_setup(). */
OCLNN_API oclnn_status oclnn_deconv2d_setup(oclnn_deconv2d *op, const oclnn_tensor *input, oclnn_tensor *output,
                                            size_t output_channel_offset, const oclnn_tensor *residual,
                                            size_t residual_channel_offset);

/** Enqueues on queue @p queue of the context. @p event may be NULL. */
OCLNN_API oclnn_status oclnn_deconv2d_enqueue(oclnn_deconv2d *op, uint32_t queue, oclnn_event **event);

/** NULL is a no-op. */
OCLNN_API void oclnn_deconv2d_destroy(oclnn_deconv2d *op);

/* ------------------------------------------------------------------------------------------------------
 * The rank-based transposed convolution: 1-D (NCW), 2-D (NCHW) and 3-D (NCDHW). Ranks 1 and 2 run on
 * oclnn_deconv2d (1-D as H = 1); rank 3 on cl/deconv3d.cl, a gather over the taps that reach each output voxel.
 * ---------------------------------------------------------------------------------------------------- */

/**
 * The ONNX ConvTranspose rules of oclnn_deconv2d_params, per spatial axis a < rank (axis 0 is the outermost:
 * D for rank 3, H for rank 2, W for rank 1). output_shape is all zero (not given) or all non-zero; it and
 * auto_pad SAME/VALID override pad_begin/pad_end as oclnn_deconv2d_params describes.
 */
typedef struct oclnn_deconv_params {
    uint32_t rank; /**< spatial rank, 1..3 */
    uint32_t in_channels, out_channels, groups;
    uint32_t kernel[3], stride[3], dilation[3];
    uint32_t pad_begin[3], pad_end[3]; /**< used only with NOTSET and no output_shape */
    uint32_t output_padding[3];
    uint32_t output_shape[3]; /**< all 0: not given */
    oclnn_auto_pad auto_pad;
    oclnn_activation activation;
    float activation_alpha, activation_beta;
    oclnn_residual residual;
} oclnn_deconv_params;

typedef struct oclnn_deconv oclnn_deconv;

/** Defaults: rank 2, 1 group, 1-sized kernel, stride and dilation 1, no padding, output padding or output_shape, no
 * activation, no residual. */
OCLNN_API void oclnn_deconv_params_init(oclnn_deconv_params *params);

/**
 * Creates the operator. @p weights has the ONNX layout [in][out/groups][k0]..[k(rank-1)] with exactly that many
 * elements; @p bias has out_channels values, or is NULL with bias_count 0. Both are copied now.
 * @retval OCLNN_STATUS_INVALID_ARGUMENT naming the rule for a bad rank, group, kernel, stride, dilation,
 *         output_padding, output_shape or weight/bias count
 * @retval OCLNN_STATUS_UNSUPPORTED for sizes above the kernels' limits (kernel, stride, dilation above 64, channels
 *         or pads above 2^24), or SAME padding that would be negative
 */
OCLNN_API oclnn_status oclnn_deconv_create(oclnn_context *ctx, const oclnn_deconv_params *params,
                                           const float *weights, size_t weights_count, const float *bias,
                                           size_t bias_count, oclnn_deconv **out);

/**
 * Sets the input size (@p in_size: rank values) and writes the output size to @p out_size (rank values; may be
 * NULL); never recompiles.
 * @retval OCLNN_STATUS_INVALID_SHAPE for a zero size, pads that leave no output, or an output_shape the transposed
 *         convolution cannot reach
 * @retval OCLNN_STATUS_UNSUPPORTED for tensors of 2^31 elements or more
 */
OCLNN_API oclnn_status oclnn_deconv_reshape(oclnn_deconv *op, size_t batch, const size_t *in_size, size_t *out_size);

/** Binds f32 tensors of rank + 2 dims: input N x C x spatial, output (and residual) N x (>= offset + out_channels)
 * x out spatial; the result goes to channels [output_channel_offset, + out_channels). */
OCLNN_API oclnn_status oclnn_deconv_setup(oclnn_deconv *op, const oclnn_tensor *input, oclnn_tensor *output,
                                          size_t output_channel_offset, const oclnn_tensor *residual,
                                          size_t residual_channel_offset);

/** Enqueues on queue @p queue of the context. @p event may be NULL. */
OCLNN_API oclnn_status oclnn_deconv_enqueue(oclnn_deconv *op, uint32_t queue, oclnn_event **event);

/** NULL is a no-op. */
OCLNN_API void oclnn_deconv_destroy(oclnn_deconv *op);

#ifdef __cplusplus
}
#endif

#endif
