/* oclnn_datamove.h - data movement and resampling operators (included by oclnn_ops.h): Concat, Split, Slice, Pad,
 * Transpose and Resize/Upsample with ONNX semantics on f32 tensors of rank 1 to OCLNN_MAX_DIMS (Pad: 1 to 5; a
 * 6-D Concat, Split, Slice or Transpose whose copy keeps 6 strided axes after merging the axes that stay adjacent
 * and dropping 1s is OCLNN_STATUS_UNSUPPORTED at reshape: PixelShuffle's 6-D Transpose merges to 5), plus host-side
 * shape helpers for the operators that need no kernel (Reshape, Flatten, Squeeze, Unsqueeze: use oclnn_tensor_view).
 */
#ifndef OCLNN_DATAMOVE_H
#define OCLNN_DATAMOVE_H

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------------------
 * Shape helpers (host only, no context: failures leave their message in oclnn_last_error(NULL)).
 * Input dims must be >= 1 (oclnn tensors have no empty dimension); outputs hold up to OCLNN_MAX_DIMS dims.
 * A result of rank 0 or above OCLNN_MAX_DIMS is OCLNN_STATUS_UNSUPPORTED; an impossible one INVALID_SHAPE.
 * ---------------------------------------------------------------------------------------------------- */

/** ONNX Reshape: @p shape may hold one -1 (inferred) and 0s (copy the input dim, or a real 0 when @p allowzero). */
OCLNN_API oclnn_status oclnn_shape_reshape(size_t ndim, const int64_t *dims, size_t shape_ndim, const int64_t *shape,
                                           int allowzero, size_t *out_ndim, int64_t *out_dims);
/** ONNX Flatten: [prod(dims[:axis]), prod(dims[axis:])], axis in [-ndim, ndim]. */
OCLNN_API oclnn_status oclnn_shape_flatten(size_t ndim, const int64_t *dims, int64_t axis, int64_t out_dims[2]);
/** ONNX Squeeze: removes the listed axes (each must be 1), or every 1 when @p axes is NULL. */
OCLNN_API oclnn_status oclnn_shape_squeeze(size_t ndim, const int64_t *dims, size_t naxes, const int64_t *axes,
                                           size_t *out_ndim, int64_t *out_dims);
/** ONNX Unsqueeze: inserts 1s at @p axes, given in the output's numbering (in [-out_rank, out_rank - 1]). */
OCLNN_API oclnn_status oclnn_shape_unsqueeze(size_t ndim, const int64_t *dims, size_t naxes, const int64_t *axes,
                                             size_t *out_ndim, int64_t *out_dims);

/* ------------------------------------------------------------------------------------------------------
 * Copy operators. Lifecycle as for conv2d: create (attributes, builds the program) -> reshape (shapes, never
 * recompiles) -> setup (tensors; f32, exactly the reshaped dims, any byte offset that is a multiple of 4) ->
 * enqueue -> destroy (NULL is a no-op). Inputs and outputs must not overlap (INVALID_ARGUMENT), except that a
 * Concat input may already be its own slice of the output (a producer wrote it in place): that copy is skipped.
 * Results are bit-exact copies. Tensors are limited to 2^31 - 1 elements (UNSUPPORTED above).
 * ---------------------------------------------------------------------------------------------------- */

/** Concat of @p num_inputs (1..1024) tensors along @p axis (negative counts from the end). */
typedef struct oclnn_concat oclnn_concat;
OCLNN_API oclnn_status oclnn_concat_create(oclnn_context *ctx, int64_t axis, size_t num_inputs, oclnn_concat **out);
/** Input i has @p ndims[i] dims @p dims[i]; they must agree except on the axis. @p out_dims receives the output's
 * dims (as many as the inputs have). */
OCLNN_API oclnn_status oclnn_concat_reshape(oclnn_concat *op, const size_t *ndims, const int64_t *const *dims,
                                            int64_t *out_dims);
OCLNN_API oclnn_status oclnn_concat_setup(oclnn_concat *op, const oclnn_tensor *const *inputs, oclnn_tensor *output);
OCLNN_API oclnn_status oclnn_concat_enqueue(oclnn_concat *op, uint32_t queue, oclnn_event **event);
OCLNN_API void oclnn_concat_destroy(oclnn_concat *op);

/** Split along @p axis into @p num_outputs (1..1024) parts of the sizes in @p split, or, when @p split is NULL,
 * into parts of ceil(len / num_outputs) with a smaller last one (opset 18). */
typedef struct oclnn_split oclnn_split;
OCLNN_API oclnn_status oclnn_split_create(oclnn_context *ctx, int64_t axis, size_t num_outputs, const int64_t *split,
                                          oclnn_split **out);
/** @p out_dims receives num_outputs rows of @p ndim dims. */
OCLNN_API oclnn_status oclnn_split_reshape(oclnn_split *op, size_t ndim, const int64_t *dims, int64_t *out_dims);
OCLNN_API oclnn_status oclnn_split_setup(oclnn_split *op, const oclnn_tensor *input, oclnn_tensor *const *outputs);
OCLNN_API oclnn_status oclnn_split_enqueue(oclnn_split *op, uint32_t queue, oclnn_event **event);
OCLNN_API void oclnn_split_destroy(oclnn_split *op);

/** Slice (opset 10+): @p count entries of starts/ends, @p axes (NULL: 0..count-1, negative counts from the end) and
 * @p steps (NULL: all 1; negative walks backwards; 0 is INVALID_ARGUMENT). Out-of-range starts and ends clamp as
 * ONNX says (INT64_MAX / INT64_MIN work as "to the end"). An empty result is UNSUPPORTED (no empty tensors). */
typedef struct oclnn_slice oclnn_slice;
OCLNN_API oclnn_status oclnn_slice_create(oclnn_context *ctx, size_t count, const int64_t *starts, const int64_t *ends,
                                          const int64_t *axes, const int64_t *steps, oclnn_slice **out);
OCLNN_API oclnn_status oclnn_slice_reshape(oclnn_slice *op, size_t ndim, const int64_t *dims, int64_t *out_dims);
OCLNN_API oclnn_status oclnn_slice_setup(oclnn_slice *op, const oclnn_tensor *input, oclnn_tensor *output);
OCLNN_API oclnn_status oclnn_slice_enqueue(oclnn_slice *op, uint32_t queue, oclnn_event **event);
OCLNN_API void oclnn_slice_destroy(oclnn_slice *op);

/** ONNX Pad modes (wrap is opset 19). The values are cl/datamove.cl's PAD_MODE codes. */
typedef enum oclnn_pad_mode {
    OCLNN_PAD_CONSTANT = 0,
    OCLNN_PAD_REFLECT = 1, /**< mirror without repeating the border, as numpy.pad (repeats when pads exceed len-1) */
    OCLNN_PAD_EDGE = 2,
    OCLNN_PAD_WRAP = 3,
} oclnn_pad_mode;

/** Pad a rank-@p ndim (1 to 5) tensor; @p pads is ONNX order [x1_begin, x2_begin, ..., x1_end, x2_end, ...]. A negative pad
 * crops that side first (as onnxruntime does); the positive pads then extend the cropped tensor. */
typedef struct oclnn_pad oclnn_pad;
OCLNN_API oclnn_status oclnn_pad_create(oclnn_context *ctx, oclnn_pad_mode mode, float value, size_t ndim,
                                        const int64_t *pads, oclnn_pad **out);
OCLNN_API oclnn_status oclnn_pad_reshape(oclnn_pad *op, const int64_t *dims, int64_t *out_dims);
OCLNN_API oclnn_status oclnn_pad_setup(oclnn_pad *op, const oclnn_tensor *input, oclnn_tensor *output);
OCLNN_API oclnn_status oclnn_pad_enqueue(oclnn_pad *op, uint32_t queue, oclnn_event **event);
OCLNN_API void oclnn_pad_destroy(oclnn_pad *op);

/** Transpose a rank-@p ndim tensor: output dim i is input dim perm[i] (@p perm NULL: reversed, as ONNX). */
typedef struct oclnn_transpose oclnn_transpose;
OCLNN_API oclnn_status oclnn_transpose_create(oclnn_context *ctx, size_t ndim, const int64_t *perm,
                                              oclnn_transpose **out);
OCLNN_API oclnn_status oclnn_transpose_reshape(oclnn_transpose *op, const int64_t *dims, int64_t *out_dims);
OCLNN_API oclnn_status oclnn_transpose_setup(oclnn_transpose *op, const oclnn_tensor *input, oclnn_tensor *output);
OCLNN_API oclnn_status oclnn_transpose_enqueue(oclnn_transpose *op, uint32_t queue, oclnn_event **event);
OCLNN_API void oclnn_transpose_destroy(oclnn_transpose *op);

/* ------------------------------------------------------------------------------------------------------
 * Resize (opset 11-19) and Upsample (opset 7-9) of 4-D NCHW tensors over H and W.
 * ---------------------------------------------------------------------------------------------------- */
typedef enum oclnn_resize_mode {
    OCLNN_RESIZE_NEAREST = 0,
    OCLNN_RESIZE_LINEAR = 1,
    OCLNN_RESIZE_CUBIC = 2, /**< 4 taps per axis (cubic_coeff_a, exclude_outside) */
} oclnn_resize_mode;

/** coordinate_transformation_mode. */
typedef enum oclnn_resize_coord {
    OCLNN_RESIZE_HALF_PIXEL = 0,
    OCLNN_RESIZE_PYTORCH_HALF_PIXEL = 1,
    OCLNN_RESIZE_ALIGN_CORNERS = 2,
    OCLNN_RESIZE_ASYMMETRIC = 3,
    OCLNN_RESIZE_TF_HALF_PIXEL_FOR_NN = 4,
    OCLNN_RESIZE_HALF_PIXEL_SYMMETRIC = 5, /**< opset 19 */
    OCLNN_RESIZE_TF_CROP_AND_RESIZE = 6,   /**< UNSUPPORTED (needs a roi) */
} oclnn_resize_coord;

typedef enum oclnn_resize_nearest_mode {
    OCLNN_RESIZE_ROUND_PREFER_FLOOR = 0,
    OCLNN_RESIZE_ROUND_PREFER_CEIL = 1,
    OCLNN_RESIZE_FLOOR = 2,
    OCLNN_RESIZE_CEIL = 3,
} oclnn_resize_nearest_mode;

typedef struct oclnn_resize_params {
    oclnn_resize_mode mode;
    oclnn_resize_coord coord;
    oclnn_resize_nearest_mode nearest_mode; /**< for NEAREST only */
    /** Output size: out_height/out_width when nonzero (ONNX "sizes"; scale = out / in), else from the scales
     * (ONNX "scales", > 0): out = floor(in * scale). */
    size_t out_height, out_width;
    float scale_h, scale_w;
    /** CUBIC only: the kernel's A (ONNX cubic_coeff_a, default -0.75), and exclude_outside (1: taps outside the
     * input get weight 0 and the others are renormalised; 0: they read the edge value). */
    float cubic_coeff_a;
    int exclude_outside;
} oclnn_resize_params;

typedef struct oclnn_resize oclnn_resize;

/** ONNX Resize defaults: nearest, half_pixel, round_prefer_floor, scales 1, cubic_coeff_a -0.75. */
OCLNN_API void oclnn_resize_params_init(oclnn_resize_params *params);
/** Upsample (opset 7-9) as a Resize: @p mode NEAREST or LINEAR with asymmetric coordinates and floor rounding;
 * Upsample's scales are >= 1 (set scale_h/scale_w). */
OCLNN_API void oclnn_resize_params_init_upsample(oclnn_resize_params *params, oclnn_resize_mode mode);

/** Nearest results are exact; linear ones are within 1e-6 * max|x| of the double-precision reference, cubic ones
 * within 1e-6 * max|x| * (sum of |tap weights|, at most 1.6 per axis for A = -0.75). */
OCLNN_API oclnn_status oclnn_resize_create(oclnn_context *ctx, const oclnn_resize_params *params, oclnn_resize **out);
/** Computes the output size and rewrites the operator's coordinate tables (a blocking write on queue 0): work
 * this operator enqueued on other queues must be complete first. Never recompiles. */
OCLNN_API oclnn_status oclnn_resize_reshape(oclnn_resize *op, size_t batch, size_t channels, size_t height,
                                            size_t width, size_t *out_height, size_t *out_width);
/** @p output is N x Ctot x OH x OW; the result goes to channels [output_channel_offset, + channels) (FPN concat). */
OCLNN_API oclnn_status oclnn_resize_setup(oclnn_resize *op, const oclnn_tensor *input, oclnn_tensor *output,
                                          size_t output_channel_offset);
OCLNN_API oclnn_status oclnn_resize_enqueue(oclnn_resize *op, uint32_t queue, oclnn_event **event);
OCLNN_API void oclnn_resize_destroy(oclnn_resize *op);

#ifdef __cplusplus
}
#endif

#endif
