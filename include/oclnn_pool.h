/* oclnn_pool.h - 2-D pooling (included by oclnn_ops.h): ONNX MaxPool, AveragePool, LpPool (p = 1, 2),
 * GlobalMaxPool and GlobalAveragePool on f32 NCHW tensors of any batch, with the output optionally placed at a
 * channel offset inside a wider tensor (zero-copy concat).
 */
#ifndef OCLNN_POOL_H
#define OCLNN_POOL_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum oclnn_pool_type {
    OCLNN_POOL_MAX = 0,
    OCLNN_POOL_AVG = 1,
    OCLNN_POOL_LP = 2,         /**< (sum |x|^p)^(1/p) over the window; padding adds nothing */
    OCLNN_POOL_GLOBAL_MAX = 3, /**< one output per channel; every window field is ignored */
    OCLNN_POOL_GLOBAL_AVG = 4,
} oclnn_pool_type;

/**
 * Window pooling with ONNX semantics. Output size per axis, with eff = dilation * (kernel - 1) + 1:
 *  - NOTSET: floor((in + pad_begin + pad_end - eff) / stride) + 1, or with ceil_mode the ceiling, minus one when
 *    that last window would start in the end padding ((out - 1) * stride >= in + pad_begin), as ONNX Runtime does;
 *  - VALID: the same with zero pads (ceil_mode applies);
 *  - SAME_UPPER / SAME_LOWER: ceil(in / stride); total pad (out - 1) * stride + eff - in, the odd one at the end
 *    (UPPER) or the beginning (LOWER); ceil_mode has no effect.
 * Average divides by the taps on real input (count_include_pad = 0) or by the taps inside the padded extent
 * [-pad_begin, in + pad_end) (count_include_pad = 1): a ceil_mode window hanging past the padded end does not
 * count the part beyond it. A window that holds no input element (possible only with dilation) gives -FLT_MAX for
 * max and 0 for average and Lp.
 */
typedef struct oclnn_pool2d_params {
    oclnn_pool_type type;
    uint32_t kernel_h, kernel_w;                       /**< 1..2^20 (above 64: a slower kernel that loops) */
    uint32_t stride_h, stride_w;                       /**< 1..2^20 (likewise) */
    uint32_t dilation_h, dilation_w;                   /**< 1..2^20 (likewise) */
    uint32_t pad_top, pad_left, pad_bottom, pad_right; /**< each < the kernel; ignored unless auto_pad is NOTSET */
    oclnn_auto_pad auto_pad;
    int ceil_mode;         /**< 0 or 1 */
    int count_include_pad; /**< 0 or 1; average only */
    uint32_t p;            /**< Lp only: 1 or 2 (others are UNSUPPORTED) */
} oclnn_pool2d_params;

typedef struct oclnn_pool2d oclnn_pool2d;

/** Defaults: MAX, 1x1 kernel, stride and dilation 1, no padding, NOTSET, floor mode, count_include_pad 0, p 2. */
OCLNN_API void oclnn_pool2d_params_init(oclnn_pool2d_params *params);

/**
 * Validates the params and builds (or fetches) the program.
 * @retval OCLNN_STATUS_INVALID_ARGUMENT naming the rule: bad type, zero kernel, stride or dilation, a pad not
 *         smaller than the kernel, auto_pad, ceil_mode or count_include_pad out of range, p = 0
 * @retval OCLNN_STATUS_UNSUPPORTED for kernel, stride or dilation above 2^20, or Lp with p > 2
 */
OCLNN_API oclnn_status oclnn_pool2d_create(oclnn_context *ctx, const oclnn_pool2d_params *params,
                                           oclnn_pool2d **out);

/**
 * Sets the input size N x C x H x W and computes the output size (1 x 1 for the global types). Never recompiles.
 * @retval OCLNN_STATUS_INVALID_SHAPE for a zero dimension or a window larger than the padded input
 */
OCLNN_API oclnn_status oclnn_pool2d_reshape(oclnn_pool2d *op, size_t batch, size_t channels, size_t height,
                                            size_t width, size_t *out_height, size_t *out_width);

/**
 * Binds tensors. @p input is N x C x H x W; @p output is N x Ctot x OH x OW and receives channels
 * [output_channel_offset, + C). Input and output must not overlap.
 */
OCLNN_API oclnn_status oclnn_pool2d_setup(oclnn_pool2d *op, const oclnn_tensor *input, oclnn_tensor *output,
                                          size_t output_channel_offset);

/** Enqueues on queue @p queue of the context. @p event may be NULL. */
OCLNN_API oclnn_status oclnn_pool2d_enqueue(oclnn_pool2d *op, uint32_t queue, oclnn_event **event);

/** NULL is a no-op; accepts an operator in any state. */
OCLNN_API void oclnn_pool2d_destroy(oclnn_pool2d *op);

#ifdef __cplusplus
}
#endif

#endif
