/* oclnn_pool.h - pooling (included by oclnn_ops.h): ONNX MaxPool, AveragePool, LpPool (p = 1, 2), GlobalMaxPool
 * and GlobalAveragePool on f32 tensors of any batch, with the output optionally placed at a channel offset inside a
 * wider tensor (zero-copy concat). oclnn_pool2d takes NCHW; oclnn_pool takes a spatial rank of 1, 2 or 3.
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

/**
 * The rank-based pooling (ONNX pooling over 1, 2 or 3 spatial axes) with the semantics of oclnn_pool2d_params,
 * applied per axis. The per-axis arrays hold the first @c rank entries in ONNX order (D, H, W for rank 3; H, W for
 * rank 2; W for rank 1); entries past @c rank are ignored, and the global types read no window field. Ranks 1 and 2
 * run on oclnn_pool2d (rank 1 with a height of 1); rank 3 runs as two oclnn_pool2d passes through a device buffer
 * the operator owns: the (H, W) window over every depth slice, then the depth window. The valid window is a product
 * of per-axis sets, so max is exact, Lp composes ((sum_d (sum_hw |x|^p))^(1/p)), and the average divides by the
 * per-axis counts in turn (two roundings instead of one).
 */
typedef struct oclnn_pool_params {
    oclnn_pool_type type;
    uint32_t rank;                           /**< spatial axes, 1..3 */
    uint32_t kernel[3], stride[3], dilation[3]; /**< each 1..2^20 */
    uint32_t pad_begin[3], pad_end[3];       /**< each < the kernel; ignored unless auto_pad is NOTSET */
    oclnn_auto_pad auto_pad;
    int ceil_mode;         /**< 0 or 1 */
    int count_include_pad; /**< 0 or 1; average only */
    uint32_t p;            /**< Lp only: 1 or 2 */
} oclnn_pool_params;

typedef struct oclnn_pool oclnn_pool;

/** Defaults: MAX, rank 2, kernel 1, stride and dilation 1, no padding, NOTSET, floor mode, count_include_pad 0,
 * p 2. */
OCLNN_API void oclnn_pool_params_init(oclnn_pool_params *params);

/**
 * Validates the params and builds (or fetches) the programs.
 * @retval OCLNN_STATUS_INVALID_ARGUMENT naming the rule: rank not 1..3, bad type, a zero kernel, stride or dilation,
 *         a pad not smaller than the kernel, auto_pad, ceil_mode or count_include_pad out of range, p = 0
 * @retval OCLNN_STATUS_UNSUPPORTED for kernel, stride or dilation above 2^20, or Lp with p > 2
 */
OCLNN_API oclnn_status oclnn_pool_create(oclnn_context *ctx, const oclnn_pool_params *params, oclnn_pool **out);

/**
 * Sets the input size: @p batch, @p channels and @p in_spatial (rank values, ONNX order). Writes the output's rank
 * spatial sizes to @p out_spatial (may be NULL; all 1 for the global types). Never recompiles; rank 3 (re)allocates
 * its intermediate buffer here.
 * @retval OCLNN_STATUS_INVALID_SHAPE for a zero size or a window larger than the padded input
 */
OCLNN_API oclnn_status oclnn_pool_reshape(oclnn_pool *op, size_t batch, size_t channels, const size_t *in_spatial,
                                          size_t *out_spatial);

/**
 * Binds tensors of rank + 2 dims. @p input is N x C x spatial; @p output is N x Ctot x out_spatial and receives
 * channels [output_channel_offset, + C). Input and output must not overlap.
 */
OCLNN_API oclnn_status oclnn_pool_setup(oclnn_pool *op, const oclnn_tensor *input, oclnn_tensor *output,
                                        size_t output_channel_offset);

/** Enqueues on queue @p queue of the context (rank 3: two kernels, in order). @p event (may be NULL) is the last. */
OCLNN_API oclnn_status oclnn_pool_enqueue(oclnn_pool *op, uint32_t queue, oclnn_event **event);

/** NULL is a no-op; accepts an operator in any state. */
OCLNN_API void oclnn_pool_destroy(oclnn_pool *op);

#ifdef __cplusplus
}
#endif

#endif
