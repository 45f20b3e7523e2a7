/* oclnn_softmax.h - Softmax and LogSoftmax along one axis (ONNX opset 13, and the opset < 13 flattening through a
 * flag), as a standalone operator (included by oclnn_ops.h).
 */
#ifndef OCLNN_SOFTMAX_H
#define OCLNN_SOFTMAX_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct oclnn_softmax_params {
    /** ONNX axis in [-rank, rank - 1] (checked at reshape, once the rank is known); negative counts from the back.
     * Default -1, the opset-13 default. Opset < 13 exports that omit the attribute mean 1. */
    int32_t axis;
    /** 1: LogSoftmax, y = x - max - log(sum exp(x - max)); 0 (default): Softmax. */
    int log;
    /** 1: opset < 13 semantics: the input is flattened to 2-D [prod(dims[:axis]), prod(dims[axis:])] and the
     * softmax runs over each whole row, i.e. over every axis from @c axis on. 0 (default): opset 13, the softmax
     * runs over dims[axis] alone. */
    int flatten_2d;
} oclnn_softmax_params;

typedef struct oclnn_softmax oclnn_softmax;

/** Defaults: axis -1, Softmax, opset-13 semantics. */
OCLNN_API void oclnn_softmax_params_init(oclnn_softmax_params *params);

/**
 * Creates the operator and builds (or fetches) its program.
 * @retval OCLNN_STATUS_INVALID_ARGUMENT for an axis outside [-5, 4] (no tensor has more than 5 dimensions), or
 *         log / flatten_2d other than 0 or 1
 */
OCLNN_API oclnn_status oclnn_softmax_create(oclnn_context *ctx, const oclnn_softmax_params *params,
                                            oclnn_softmax **out);

/**
 * Sets the input shape (1 to 5 dims); the output has the same shape. Never recompiles.
 * @retval OCLNN_STATUS_INVALID_ARGUMENT when the axis is outside [-ndim, ndim - 1]
 * @retval OCLNN_STATUS_INVALID_SHAPE for ndim outside 1..5 or a dimension < 1
 * @retval OCLNN_STATUS_UNSUPPORTED above 2^31 - 1 elements
 */
OCLNN_API oclnn_status oclnn_softmax_reshape(oclnn_softmax *op, size_t ndim, const int64_t *dims);

/**
 * Binds f32 tensors of the reshaped shape. @p output may be @p input itself (in place), but must not partly
 * overlap it.
 */
OCLNN_API oclnn_status oclnn_softmax_setup(oclnn_softmax *op, const oclnn_tensor *input, oclnn_tensor *output);

/** Enqueues on queue @p queue of the context. @p event may be NULL. */
OCLNN_API oclnn_status oclnn_softmax_enqueue(oclnn_softmax *op, uint32_t queue, oclnn_event **event);

/** NULL is a no-op. */
OCLNN_API void oclnn_softmax_destroy(oclnn_softmax *op);

#ifdef __cplusplus
}
#endif

#endif
