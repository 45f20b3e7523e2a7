/* oclnn_eltwise.h - elementwise operators (included by oclnn_ops.h): standalone activations (ONNX Relu,
 * LeakyRelu, Sigmoid, Tanh, Clip, HardSigmoid, HardSwish, Identity, Dropout at inference), PRelu, binary ops with
 * ONNX multidirectional broadcasting (Add, Sub, Mul, Div, Max, Min) and BatchNormalization (inference or training
 * mode). f32 tensors of rank 1 to 5; the lifecycle is the one of oclnn_ops.h.
 */
#ifndef OCLNN_ELTWISE_H
#define OCLNN_ELTWISE_H

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------------------
 * Unary activation: y = f(x), same shape. In place (input == output) is allowed.
 * ---------------------------------------------------------------------------------------------------- */
typedef struct oclnn_unary_params {
    /** NONE is Identity (and Dropout at inference): a copy, or nothing at all when input and output are the same
     * tensor. */
    oclnn_activation activation;
    /** As in oclnn_conv2d_params. ONNX defaults to set: LeakyRelu alpha 0.01, HardSigmoid 0.2 / 0.5, Clip min / max
     * (may be -INFINITY / INFINITY). */
    float alpha, beta;
} oclnn_unary_params;

typedef struct oclnn_unary oclnn_unary;

/** Defaults: NONE, alpha 0.01, beta 0. */
OCLNN_API void oclnn_unary_params_init(oclnn_unary_params *params);
/** @retval OCLNN_STATUS_INVALID_ARGUMENT for an activation out of range or Clip with !(min <= max) */
OCLNN_API oclnn_status oclnn_unary_create(oclnn_context *ctx, const oclnn_unary_params *params, oclnn_unary **out);
/** The input shape (rank 1 to 5); the output has the same. */
OCLNN_API oclnn_status oclnn_unary_reshape(oclnn_unary *op, size_t ndim, const int64_t *dims);
/** Both tensors f32 of exactly the reshaped shape; they are the same elements (in place) or do not overlap. */
OCLNN_API oclnn_status oclnn_unary_setup(oclnn_unary *op, const oclnn_tensor *input, oclnn_tensor *output);
OCLNN_API oclnn_status oclnn_unary_enqueue(oclnn_unary *op, uint32_t queue, oclnn_event **event);
/** NULL is a no-op. */
OCLNN_API void oclnn_unary_destroy(oclnn_unary *op);

/* ------------------------------------------------------------------------------------------------------
 * Binary elementwise with ONNX multidirectional (numpy) broadcasting, and an optional fused activation.
 * ---------------------------------------------------------------------------------------------------- */
typedef enum oclnn_binary_op {
    OCLNN_BINARY_ADD = 0,
    OCLNN_BINARY_SUB = 1,
    OCLNN_BINARY_MUL = 2,
    OCLNN_BINARY_DIV = 3, /**< IEEE division as the device does it (OpenCL allows 2.5 ulp) */
    OCLNN_BINARY_MAX = 4, /**< fmax: a NaN operand yields the other one */
    OCLNN_BINARY_MIN = 5, /**< fmin */
    OCLNN_BINARY_OP_COUNT_
} oclnn_binary_op;

typedef struct oclnn_binary_params {
    oclnn_binary_op op;
    oclnn_activation activation; /**< applied to the result (DBNet: Add then Relu) */
    float activation_alpha, activation_beta;
} oclnn_binary_params;

typedef struct oclnn_binary oclnn_binary;

/** Defaults: ADD, no activation (alpha 0.01, beta 0). */
OCLNN_API void oclnn_binary_params_init(oclnn_binary_params *params);
OCLNN_API oclnn_status oclnn_binary_create(oclnn_context *ctx, const oclnn_binary_params *params, oclnn_binary **out);
/**
 * Sets the shapes of A and B (rank 1 to 5 each) and computes the broadcast output shape: ranks are aligned on
 * the right and each axis pair must be equal or contain a 1. @p out_dims has room for OCLNN_MAX_DIMS values.
 * @retval OCLNN_STATUS_INVALID_SHAPE naming both shapes when they do not broadcast
 */
OCLNN_API oclnn_status oclnn_binary_reshape(oclnn_binary *op, size_t a_ndim, const int64_t *a_dims, size_t b_ndim,
                                            const int64_t *b_dims, size_t *out_ndim, int64_t *out_dims);
/**
 * Binds tensors of exactly the reshaped shapes. @p output has the output shape, except that (for rank >= 2) its
 * axis 1 may be wider: the result goes to channels [output_channel_offset, + out_dims[1]) for a zero-copy concat.
 * The output may be the same tensor as A or B (in place) when that operand is not broadcast and the output is
 * not a channel slice; any other overlap is refused.
 */
OCLNN_API oclnn_status oclnn_binary_setup(oclnn_binary *op, const oclnn_tensor *a, const oclnn_tensor *b,
                                          oclnn_tensor *output, size_t output_channel_offset);
OCLNN_API oclnn_status oclnn_binary_enqueue(oclnn_binary *op, uint32_t queue, oclnn_event **event);
/** NULL is a no-op. */
OCLNN_API void oclnn_binary_destroy(oclnn_binary *op);

/* ------------------------------------------------------------------------------------------------------
 * PRelu: y = x >= 0 ? x : slope * x, with a constant slope (an ONNX initializer, copied at create).
 * ---------------------------------------------------------------------------------------------------- */
typedef struct oclnn_prelu_params {
    /** The slope's shape. It broadcasts unidirectionally to X by the ONNX rule (aligned on the right): [C,1,1] is
     * per channel of an NCHW input, [1] one scalar. */
    size_t slope_ndim;
    int64_t slope_dims[OCLNN_MAX_DIMS];
    /** 1: the slope's values run along axis 1 (channels) whatever slope_dims says, which must then hold C or 1
     * values in all: PyTorch's nn.PReLU weight [C] and Caffe's PReLU, which ONNX would align with the last axis. */
    int per_channel;
} oclnn_prelu_params;

typedef struct oclnn_prelu oclnn_prelu;

/** Defaults: a scalar slope ([1]), not per_channel. */
OCLNN_API void oclnn_prelu_params_init(oclnn_prelu_params *params);
/** @p slope holds @p slope_count values, which must be the product of slope_dims. */
OCLNN_API oclnn_status oclnn_prelu_create(oclnn_context *ctx, const oclnn_prelu_params *params, const float *slope,
                                          size_t slope_count, oclnn_prelu **out);
/** The input shape; the output has the same. @retval OCLNN_STATUS_INVALID_SHAPE when the slope cannot broadcast */
OCLNN_API oclnn_status oclnn_prelu_reshape(oclnn_prelu *op, size_t ndim, const int64_t *dims);
/** As oclnn_unary_setup: in place is allowed. */
OCLNN_API oclnn_status oclnn_prelu_setup(oclnn_prelu *op, const oclnn_tensor *input, oclnn_tensor *output);
OCLNN_API oclnn_status oclnn_prelu_enqueue(oclnn_prelu *op, uint32_t queue, oclnn_event **event);
/** NULL is a no-op. */
OCLNN_API void oclnn_prelu_destroy(oclnn_prelu *op);

/* ------------------------------------------------------------------------------------------------------
 * BatchNormalization over axis 1 of an N x C x D1 ... input (rank 2 to 5): inference mode, or training mode
 * (ONNX training_mode = 1), which normalises with the batch's own statistics.
 * ---------------------------------------------------------------------------------------------------- */
typedef struct oclnn_batchnorm_params {
    uint32_t channels;
    float epsilon;               /**< ONNX default 1e-5 */
    oclnn_activation activation; /**< fused after the normalization (BN + ReLU) */
    float activation_alpha, activation_beta;
    /** 1: y = (x - batch mean) / sqrt(batch var + epsilon) * scale + B with the mean and population variance of
     * each channel over N and the spatial axes, computed on the device at every enqueue; the running statistics
     * mean * momentum + batch mean * (1 - momentum) (var alike) can be written (oclnn_batchnorm_setup_training). */
    int training_mode;
    float momentum; /**< ONNX default 0.9; training mode only */
} oclnn_batchnorm_params;

typedef struct oclnn_batchnorm oclnn_batchnorm;

/** Defaults: 1 channel, epsilon 1e-5, no activation, inference mode, momentum 0.9. */
OCLNN_API void oclnn_batchnorm_params_init(oclnn_batchnorm_params *params);
/**
 * Inference mode folds the four per-channel arrays (each @p channels values; copied now) into y = a*x + b with, in
 * double, a = scale / sqrt(var + epsilon) and b = B - mean * a. Training mode keeps them (mean and var only feed
 * the running statistics). Training results are within about 1e-5 relative of a double reference (float sums of
 * the N * spatial values of a channel).
 * @retval OCLNN_STATUS_INVALID_ARGUMENT for 0 channels, epsilon < 0, a non-finite momentum or value, or in
 *         inference mode var + epsilon <= 0
 */
OCLNN_API oclnn_status oclnn_batchnorm_create(oclnn_context *ctx, const oclnn_batchnorm_params *params,
                                              const float *scale, const float *bias, const float *mean,
                                              const float *var, oclnn_batchnorm **out);
/** The input shape; dims[1] must be the channel count. The output has the same shape. */
OCLNN_API oclnn_status oclnn_batchnorm_reshape(oclnn_batchnorm *op, size_t ndim, const int64_t *dims);
/** As oclnn_unary_setup: in place is allowed. */
OCLNN_API oclnn_status oclnn_batchnorm_setup(oclnn_batchnorm *op, const oclnn_tensor *input, oclnn_tensor *output);
/** Training mode: as oclnn_batchnorm_setup, plus f32 tensors of exactly @p channels elements that receive the
 * running mean and variance (both or neither: NULL, NULL). INVALID_STATE on an operator in inference mode. */
OCLNN_API oclnn_status oclnn_batchnorm_setup_training(oclnn_batchnorm *op, const oclnn_tensor *input,
                                                      oclnn_tensor *output, oclnn_tensor *running_mean,
                                                      oclnn_tensor *running_var);
OCLNN_API oclnn_status oclnn_batchnorm_enqueue(oclnn_batchnorm *op, uint32_t queue, oclnn_event **event);
/** NULL is a no-op. */
OCLNN_API void oclnn_batchnorm_destroy(oclnn_batchnorm *op);

#ifdef __cplusplus
}
#endif

#endif
