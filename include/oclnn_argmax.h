/* oclnn_argmax.h - ArgMax along one axis (ONNX ArgMax: axis, keepdims, select_last_index) writing int64 indices,
 * as a standalone operator (included by oclnn_ops.h).
 */
#ifndef OCLNN_ARGMAX_H
#define OCLNN_ARGMAX_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct oclnn_argmax_params {
    int32_t axis;          /**< ONNX axis in [-rank, rank - 1], checked at reshape (default 0, as in ONNX) */
    int keepdims;          /**< 1 (default): the axis stays with size 1; 0: it is removed */
    int select_last_index; /**< 0 (default): ties give the first index; 1: the last */
} oclnn_argmax_params;

typedef struct oclnn_argmax oclnn_argmax;

/** Defaults: axis 0, keepdims 1, select_last_index 0 (the ONNX defaults). */
OCLNN_API void oclnn_argmax_params_init(oclnn_argmax_params *params);

/**
 * Creates the operator and builds (or fetches) its program.
 * NaN compares greater than every number (as numpy and PyTorch do): a NaN on the axis wins, and among several
 * NaNs the first (the last with select_last_index) does. +-inf compare as usual.
 * @retval OCLNN_STATUS_INVALID_ARGUMENT for an axis outside [-5, 4], or keepdims / select_last_index not 0 or 1
 */
OCLNN_API oclnn_status oclnn_argmax_create(oclnn_context *ctx, const oclnn_argmax_params *params, oclnn_argmax **out);

/**
 * Sets the input shape (1 to 5 dims) and computes the output's: the input's with dims[axis] = 1 (keepdims) or
 * without it. A 1-D input without keepdims gives a scalar: *out_ndim = 0, and setup takes a [1] tensor for it.
 * @param out_dims receives *out_ndim values; room for OCLNN_MAX_DIMS (may be NULL, as may @p out_ndim)
 * @retval OCLNN_STATUS_INVALID_ARGUMENT when the axis is outside [-ndim, ndim - 1]
 * @retval OCLNN_STATUS_INVALID_SHAPE for ndim outside 1..5 or a dimension < 1
 */
OCLNN_API oclnn_status oclnn_argmax_reshape(oclnn_argmax *op, size_t ndim, const int64_t *dims, size_t *out_ndim,
                                            int64_t *out_dims);

/** Binds an f32 @p input of the reshaped shape and an OCLNN_DTYPE_I64 @p output of the output shape. */
OCLNN_API oclnn_status oclnn_argmax_setup(oclnn_argmax *op, const oclnn_tensor *input, oclnn_tensor *output);

/** Enqueues on queue @p queue of the context. @p event may be NULL. */
OCLNN_API oclnn_status oclnn_argmax_enqueue(oclnn_argmax *op, uint32_t queue, oclnn_event **event);

/** NULL is a no-op. */
OCLNN_API void oclnn_argmax_destroy(oclnn_argmax *op);

#ifdef __cplusplus
}
#endif

#endif
