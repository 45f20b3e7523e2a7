/* oclnn_conv.h - the rank-based convolution (ONNX Conv over 1, 2 or 3 spatial axes), as a standalone operator
 * (included by oclnn_ops.h). Ranks 1 and 2 run on the 2-D operator (rank 1 as a 2-D convolution of height 1);
 * rank 3 runs on the direct 3-D kernel (cl/conv3d.cl).
 */
#ifndef OCLNN_CONV_H
#define OCLNN_CONV_H

#ifdef __cplusplus
extern "C" {
#endif

/**
 * An N-D convolution with ONNX Conv semantics plus the fused epilogue of oclnn_conv2d: bias, residual, activation.
 * The per-axis arrays hold the first @c rank entries in ONNX order (D, H, W for rank 3; H, W for rank 2; W for
 * rank 1); entries past @c rank are ignored.
 */
typedef struct oclnn_conv_params {
    uint32_t rank; /**< spatial axes, 1..3 */
    uint32_t in_channels, out_channels, groups;
    uint32_t kernel[3], stride[3], dilation[3];
    uint32_t pad_begin[3], pad_end[3]; /**< ignored unless auto_pad is NOTSET */
    oclnn_auto_pad auto_pad;
    oclnn_activation activation;
    float activation_alpha, activation_beta;
    oclnn_residual residual;
    oclnn_conv_algo algo; /**< rank 3: AUTO or DIRECT; ranks 1 and 2: as oclnn_conv2d_params.algo */
} oclnn_conv_params;

typedef struct oclnn_conv oclnn_conv;

/** Defaults: rank 2, 1 group, kernel 1, stride and dilation 1, no padding, no activation, no residual, AUTO. */
OCLNN_API void oclnn_conv_params_init(oclnn_conv_params *params);

/**
 * Creates the operator. @p weights has ONNX layout [out][in/groups][k0]..[k(rank-1)] and exactly that many
 * elements; @p bias has out_channels values, or is NULL with @p bias_count 0. Both are copied (packed) now.
 * @retval OCLNN_STATUS_INVALID_ARGUMENT naming the rule for a bad rank, group, kernel, stride, dilation or count
 * @retval OCLNN_STATUS_UNSUPPORTED for an algorithm that cannot run the convolution (rank 3: any but DIRECT)
 */
OCLNN_API oclnn_status oclnn_conv_create(oclnn_context *ctx, const oclnn_conv_params *params, const float *weights,
                                         size_t weights_count, const float *bias, size_t bias_count,
                                         oclnn_conv **out);

/**
 * Sets the input size: @p batch and @p in_spatial (rank values, ONNX order). Writes the output's rank spatial
 * sizes to @p out_spatial (may be NULL). Never recompiles.
 * @retval OCLNN_STATUS_INVALID_SHAPE for a zero size or a kernel larger than the padded input
 */
OCLNN_API oclnn_status oclnn_conv_reshape(oclnn_conv *op, size_t batch, const size_t *in_spatial,
                                          size_t *out_spatial);

/**
 * Binds tensors of rank + 2 dims. @p input is N x C x spatial. @p output is N x Ctot x out_spatial; the result goes
 * to channels [output_channel_offset, + out_channels). @p residual (when the params ask for one) is read the same
 * way at @p residual_channel_offset.
 */
OCLNN_API oclnn_status oclnn_conv_setup(oclnn_conv *op, const oclnn_tensor *input, oclnn_tensor *output,
                                        size_t output_channel_offset, const oclnn_tensor *residual,
                                        size_t residual_channel_offset);

/** Enqueues on queue @p queue of the context. @p event may be NULL. */
OCLNN_API oclnn_status oclnn_conv_enqueue(oclnn_conv *op, uint32_t queue, oclnn_event **event);

/** The algorithm that runs the convolution (rank 3: DIRECT). */
OCLNN_API oclnn_conv_algo oclnn_conv_get_algo(const oclnn_conv *op);

/** NULL is a no-op. */
OCLNN_API void oclnn_conv_destroy(oclnn_conv *op);

#ifdef __cplusplus
}
#endif

#endif
