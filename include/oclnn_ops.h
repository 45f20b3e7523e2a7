/* oclnn_ops.h - standalone operators (included by oclnn.h).
 *
 * Every operator follows one lifecycle: create (validate, choose the algorithm, build or fetch the program,
 * pack the weights) -> reshape (shapes, never recompiles) -> setup (bind tensors) -> enqueue -> destroy.
 */
#ifndef OCLNN_OPS_H
#define OCLNN_OPS_H

#ifdef __cplusplus
extern "C" {
#endif

/** Fused activations. The values are the kernels' ACT codes. */
typedef enum oclnn_activation {
    OCLNN_ACTIVATION_NONE = 0,
    OCLNN_ACTIVATION_RELU = 1,
    OCLNN_ACTIVATION_LEAKY_RELU = 2,   /**< alpha = slope */
    OCLNN_ACTIVATION_CLIP = 3,         /**< alpha = min, beta = max (ReLU6: 0, 6) */
    OCLNN_ACTIVATION_SIGMOID = 4,
    OCLNN_ACTIVATION_TANH = 5,
    OCLNN_ACTIVATION_HARD_SIGMOID = 6, /**< max(0, min(1, alpha*x + beta)) */
    OCLNN_ACTIVATION_HARD_SWISH = 7,   /**< x * max(0, min(1, x/6 + 1/2)) */
} oclnn_activation;

/** Where a residual input is added: ResNet adds before the ReLU. */
typedef enum oclnn_residual {
    OCLNN_RESIDUAL_NONE = 0,
    OCLNN_RESIDUAL_BEFORE_ACTIVATION = 1,
    OCLNN_RESIDUAL_AFTER_ACTIVATION = 2,
} oclnn_residual;

/** ONNX auto_pad. */
typedef enum oclnn_auto_pad {
    OCLNN_AUTO_PAD_NOTSET = 0,
    OCLNN_AUTO_PAD_SAME_UPPER = 1,
    OCLNN_AUTO_PAD_SAME_LOWER = 2,
    OCLNN_AUTO_PAD_VALID = 3,
} oclnn_auto_pad;

#define OCLNN_CONV_ALGO_LIST(X)                                                                              \
    X(AUTO, "auto")                                                                                          \
    X(DIRECT, "direct")                                                                                      \
    X(WINOGRAD2X2, "winograd2x2") /* F(2x2,3x3): 3x3, stride 1, dilation 1, one group */                     \
    X(WINOGRAD4X4, "winograd4x4") /* F(4x4,3x3): same rules, fewer multiplies, looser accuracy */         \
    X(GEMM, "gemm")               /* im2col (or nothing, for 1x1 stride 1) + GEMM */                        \
    X(DEPTHWISE, "depthwise")     /* groups == in_channels, vectorised along the output row */

typedef enum oclnn_conv_algo {
#define OCLNN_X_(name, str) OCLNN_CONV_ALGO_##name,
    OCLNN_CONV_ALGO_LIST(OCLNN_X_)
#undef OCLNN_X_
        OCLNN_CONV_ALGO_COUNT_
} oclnn_conv_algo;

OCLNN_API const char *oclnn_conv_algo_name(oclnn_conv_algo algo);
/** Parses "direct", "auto", ... (as OCLNN_CONV_ALGO takes them); returns 0 on success. */
OCLNN_API int oclnn_conv_algo_parse(const char *name, oclnn_conv_algo *algo);

/** A 2-D convolution with ONNX Conv semantics, plus a fused epilogue: bias, residual, activation. */
typedef struct oclnn_conv2d_params {
    uint32_t in_channels, out_channels, groups;
    uint32_t kernel_h, kernel_w;
    uint32_t stride_h, stride_w;
    uint32_t dilation_h, dilation_w;
    uint32_t pad_top, pad_left, pad_bottom, pad_right; /**< ignored unless auto_pad is NOTSET */
    oclnn_auto_pad auto_pad;
    oclnn_activation activation;
    float activation_alpha, activation_beta;
    oclnn_residual residual;
    oclnn_conv_algo algo; /**< AUTO: the heuristic, or $OCLNN_CONV_ALGO when set */
} oclnn_conv2d_params;

typedef struct oclnn_conv2d oclnn_conv2d;

/** Defaults: 1 group, 1x1 kernel, stride and dilation 1, no padding, no activation, no residual, AUTO. */
OCLNN_API void oclnn_conv2d_params_init(oclnn_conv2d_params *params);

/**
 * Whether @p algo can run @p params (without input sizes). @p why receives the rule that fails (may be NULL).
 */
OCLNN_API int oclnn_conv2d_supported(const oclnn_conv2d_params *params, oclnn_conv_algo algo, const char **why);

/**
 * Creates the operator. @p weights has ONNX layout [out][in/groups][kh][kw] and @p weights_count elements, which
 * must be exactly that product; @p bias has @p bias_count == out_channels values, or is NULL with bias_count 0.
 * Both are copied (packed) now; the caller's pointers are not kept.
 * @retval OCLNN_STATUS_INVALID_ARGUMENT naming the rule for a bad group, stride, dilation or weight count
 */
OCLNN_API oclnn_status oclnn_conv2d_create(oclnn_context *ctx, const oclnn_conv2d_params *params,
                                           const float *weights, size_t weights_count, const float *bias,
                                           size_t bias_count, oclnn_conv2d **out);

/** Sets the input size. Computes the output size; never recompiles. */
OCLNN_API oclnn_status oclnn_conv2d_reshape(oclnn_conv2d *op, size_t batch, size_t height, size_t width,
                                            size_t *out_height, size_t *out_width);

/**
 * Binds tensors. @p input is N x C x H x W. @p output is N x Ctot x OH x OW; the result goes to channels
 * [output_channel_offset, + out_channels), so a concat can be zero-copy. @p residual (when the params ask for one)
 * is read the same way at @p residual_channel_offset.
 */
OCLNN_API oclnn_status oclnn_conv2d_setup(oclnn_conv2d *op, const oclnn_tensor *input, oclnn_tensor *output,
                                          size_t output_channel_offset, const oclnn_tensor *residual,
                                          size_t residual_channel_offset);

/** Enqueues on queue @p queue of the context. @p event may be NULL. */
OCLNN_API oclnn_status oclnn_conv2d_enqueue(oclnn_conv2d *op, uint32_t queue, oclnn_event **event);

OCLNN_API oclnn_conv_algo oclnn_conv2d_algo(const oclnn_conv2d *op);

/** NULL is a no-op. */
OCLNN_API void oclnn_conv2d_destroy(oclnn_conv2d *op);

#ifdef __cplusplus
}
#endif

/* Operator families with a header of their own. */
#include "oclnn_conv.h"
#include "oclnn_pool.h"
#include "oclnn_gemm.h"
#include "oclnn_argmax.h"
#include "oclnn_lrn.h"
#include "oclnn_softmax.h"
#include "oclnn_eltwise.h"
#include "oclnn_deconv.h"
#include "oclnn_datamove.h"

#endif
