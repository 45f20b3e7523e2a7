/* oclnn_lrn.h - Local Response Normalization across channels (ONNX LRN), as a standalone operator (included by
 * oclnn_ops.h).
 */
#ifndef OCLNN_LRN_H
#define OCLNN_LRN_H

#ifdef __cplusplus
extern "C" {
#endif

/**
 * y = x / (bias + alpha / size * square_sum)^beta, where square_sum at channel c is the sum of x^2 over channels
 * [c - floor((size - 1) / 2), c + ceil((size - 1) / 2)] clipped to [0, C - 1], as ONNX defines it. An even size
 * reaches one channel further after c than before it (size 4: c - 1 .. c + 2); Caffe and PyTorch lean the other
 * way for even sizes, so an even-sized window from those needs no translation only when it is odd.
 */
typedef struct oclnn_lrn_params {
    uint32_t size; /**< channels in the window, 1..127 (default 5) */
    float alpha;   /**< default 1e-4 (ONNX) */
    float beta;    /**< default 0.75 (ONNX) */
    float bias;    /**< default 1 (ONNX; AlexNet and Caffe's GoogLeNet use 1 too) */
} oclnn_lrn_params;

typedef struct oclnn_lrn oclnn_lrn;

/** Defaults: size 5, alpha 1e-4, beta 0.75, bias 1. */
OCLNN_API void oclnn_lrn_params_init(oclnn_lrn_params *params);

/**
 * Creates the operator and builds (or fetches) its program.
 * @retval OCLNN_STATUS_INVALID_ARGUMENT for size 0, or alpha, beta or bias not finite
 * @retval OCLNN_STATUS_UNSUPPORTED for size above 127 (the window is unrolled in the kernel)
 */
OCLNN_API oclnn_status oclnn_lrn_create(oclnn_context *ctx, const oclnn_lrn_params *params, oclnn_lrn **out);

/**
 * Sets the input shape N x C x D1 x ... (2 to 5 dims, channels on axis 1); the output has the same shape.
 * Never recompiles.
 * @retval OCLNN_STATUS_INVALID_SHAPE for ndim outside 2..5 or a dimension < 1
 */
OCLNN_API oclnn_status oclnn_lrn_reshape(oclnn_lrn *op, size_t ndim, const int64_t *dims);

/** Binds f32 tensors of the reshaped shape. They must not share memory (no in place: windows overlap). */
OCLNN_API oclnn_status oclnn_lrn_setup(oclnn_lrn *op, const oclnn_tensor *input, oclnn_tensor *output);

/** Enqueues on queue @p queue of the context. @p event may be NULL. */
OCLNN_API oclnn_status oclnn_lrn_enqueue(oclnn_lrn *op, uint32_t queue, oclnn_event **event);

/** NULL is a no-op. */
OCLNN_API void oclnn_lrn_destroy(oclnn_lrn *op);

#ifdef __cplusplus
}
#endif

#endif
