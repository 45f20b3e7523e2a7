/* conv.c - the rank-based convolution operator (include/oclnn_conv.h): validation shared by every rank, ranks 1
 * and 2 delegated to oclnn_conv2d (rank 1 through 4-D views with H = 1), and rank 3 run here on the direct 3-D
 * kernel cl/conv3d.cl, whose weights are the 2-D direct kernel's packing with KH = KD*KH.
 */
#include <math.h>
#include <string.h>

#include "ops/conv2d_direct_pack.h"
#include "ops/conv2d_impl.h"

enum { CONV_CREATED, CONV_RESHAPED, CONV_READY };

/* The same limits as conv2d.c: the kernels index with 32-bit ints; larger extents are refused rather than wrapped. */
#define CONV_MAX_EXTENT (1u << 24)
#define CONV_MAX_KERNEL 64u

struct oclnn_conv {
    oclnn_context *ctx;
    oclnn_conv_params p;
    int has_bias;
    int state;
    /* ranks 1 and 2 */
    oclnn_conv2d *conv2;
    oclnn_tensor *view[3]; /* rank 1: 4-D views of input, output and residual, made at setup */
    /* rank 3 */
    int oc_tile, ow_tile;
    cl_kernel kernel;
    cl_mem weights; /* packed */
    cl_mem bias;    /* NULL when there is none */
    size_t n, in[3], out[3];
    uint32_t pad[3]; /* begin pads after auto_pad */
    size_t global[3], local[3];
};

void oclnn_conv_params_init(oclnn_conv_params *p) {
    if (!p) return;
    memset(p, 0, sizeof *p);
    p->rank = 2;
    p->in_channels = p->out_channels = p->groups = 1;
    for (int a = 0; a < 3; a++)
        p->kernel[a] = p->stride[a] = p->dilation[a] = 1;
    p->activation_alpha = 0.01f;
}

/* Rules every rank shares; the message names the rule that fails. */
static oclnn_status validate(oclnn_errbuf *eb, const oclnn_conv_params *p) {
    if (p->rank < 1 || p->rank > 3)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "conv: rank %u must be 1, 2 or 3", p->rank);
    if (!p->in_channels || !p->out_channels || !p->groups)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "conv: in_channels (%u), out_channels (%u) and group (%u) must be >= 1", p->in_channels,
                          p->out_channels, p->groups);
    if (p->in_channels % p->groups || p->out_channels % p->groups)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "conv: group (%u) must divide in_channels (%u) and out_channels (%u)", p->groups,
                          p->in_channels, p->out_channels);
    for (uint32_t a = 0; a < p->rank; a++) {
        if (!p->kernel[a] || !p->stride[a] || !p->dilation[a])
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                              "conv: axis %u: kernel (%u), stride (%u) and dilation (%u) must be >= 1", a, p->kernel[a],
                              p->stride[a], p->dilation[a]);
        if (p->kernel[a] > CONV_MAX_KERNEL || p->stride[a] > CONV_MAX_KERNEL || p->dilation[a] > CONV_MAX_KERNEL ||
            p->pad_begin[a] > CONV_MAX_EXTENT || p->pad_end[a] > CONV_MAX_EXTENT)
            return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED,
                              "conv: axis %u: kernel, stride or dilation above %u, or pads above 2^24", a,
                              CONV_MAX_KERNEL);
    }
    if ((unsigned)p->activation > OCLNN_ACTIVATION_HARD_SWISH ||
        (unsigned)p->residual > OCLNN_RESIDUAL_AFTER_ACTIVATION || (unsigned)p->auto_pad > OCLNN_AUTO_PAD_VALID ||
        (unsigned)p->algo >= OCLNN_CONV_ALGO_COUNT_)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "conv: activation, residual, auto_pad or algo out of range");
    if ((p->activation == OCLNN_ACTIVATION_LEAKY_RELU || p->activation == OCLNN_ACTIVATION_HARD_SIGMOID) &&
        (isnan(p->activation_alpha) || isnan(p->activation_beta)))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "conv: activation parameters must not be NaN");
    if (p->activation == OCLNN_ACTIVATION_CLIP && !(p->activation_alpha <= p->activation_beta))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "conv: Clip needs min (%g) <= max (%g)",
                          (double)p->activation_alpha, (double)p->activation_beta);
    if (p->in_channels > CONV_MAX_EXTENT || p->out_channels > CONV_MAX_EXTENT)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "conv: channels above 2^24");
    if (p->rank == 3 && p->algo != OCLNN_CONV_ALGO_AUTO && p->algo != OCLNN_CONV_ALGO_DIRECT)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "conv: algorithm %s cannot run 3-D convolutions (direct only)",
                          oclnn_conv_algo_name(p->algo));
    return OCLNN_STATUS_OK;
}

/* Rank 1 and 2 as 2-D params: rank 1 is a 2-D convolution of height 1 (kernel, stride, dilation 1, no pads). */
static void params_2d(const oclnn_conv_params *p, oclnn_conv2d_params *q) {
    oclnn_conv2d_params_init(q);
    int w = (int)p->rank - 1, h = p->rank == 2 ? 0 : -1;
    q->in_channels = p->in_channels;
    q->out_channels = p->out_channels;
    q->groups = p->groups;
    q->kernel_w = p->kernel[w], q->stride_w = p->stride[w], q->dilation_w = p->dilation[w];
    q->pad_left = p->pad_begin[w], q->pad_right = p->pad_end[w];
    if (h >= 0) {
        q->kernel_h = p->kernel[h], q->stride_h = p->stride[h], q->dilation_h = p->dilation[h];
        q->pad_top = p->pad_begin[h], q->pad_bottom = p->pad_end[h];
    }
    q->auto_pad = p->auto_pad;
    q->activation = p->activation;
    q->activation_alpha = p->activation_alpha;
    q->activation_beta = p->activation_beta;
    q->residual = p->residual;
    q->algo = p->algo;
}

/* Per-device tiles, as conv2d_direct.c picks them: 16 channels x 6 pixels on CPU drivers with 8-wide vectors, and a
 * narrower channel tile for narrow groups (depthwise) so no work is padding. */
static void choose_tiles(const oclnn_conv_params *p, int *oc_tile, int *ow_tile) {
    unsigned kg = p->out_channels / p->groups;
    *oc_tile = OCLNN_CONV2D_DIRECT_DEFAULT_OC_TILE;
    *ow_tile = OCLNN_CONV2D_DIRECT_DEFAULT_OW_TILE;
    if (kg < 16) {
        *oc_tile = kg <= 1 ? 1 : kg <= 2 ? 2 : kg <= 4 ? 4 : 8;
        *ow_tile = 8;
    }
}

/* Packs the weights, uploads them and the bias, and builds the 3-D kernel with the fused epilogue. */
static oclnn_status create_3d(oclnn_conv *op, const float *weights, const float *bias) {
    oclnn_context *ctx = op->ctx;
    const oclnn_conv_params *p = &op->p;
    choose_tiles(p, &op->oc_tile, &op->ow_tile);
    int K = (int)p->out_channels, C = (int)p->in_channels, G = (int)p->groups;
    int KDH = (int)(p->kernel[0] * p->kernel[1]), KW = (int)p->kernel[2];
    size_t packed_n = oclnn_conv2d_direct_packed_size(K, C, G, KDH, KW, op->oc_tile), bytes;
    if (!oclnn_mul_size(packed_n, sizeof(float), &bytes) || bytes > ctx->info.max_alloc_bytes)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_DEVICE_MEMORY,
                          "conv: packed weights of %zu floats exceed the device's largest allocation", packed_n);
    float *packed = oclnn_malloc(ctx->alloc, bytes);
    if (!packed) return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "conv: packing %zu weights", packed_n);
    oclnn_conv2d_direct_pack(weights, packed, K, C, G, KDH, KW, op->oc_tile);
    cl_int err;
    op->weights = clw_CreateBuffer(ctx->cl, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, bytes, packed, &err);
    oclnn_free(ctx->alloc, packed);
    if (!op->weights) return clw_fail(&ctx->err, err, "clCreateBuffer (conv3d weights)");
    if (bias) {
        op->bias = clw_CreateBuffer(ctx->cl, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, (size_t)K * sizeof(float),
                                    (void *)bias, &err);
        if (!op->bias) return clw_fail(&ctx->err, err, "clCreateBuffer (conv3d bias)");
    }
    oclnn_opts o;
    oclnn_opts_init(&o);
    static const char *const names[3][3] = {{"KD", "KH", "KW"}, {"SD", "SH", "SW"}, {"DD", "DH", "DW"}};
    for (int a = 0; a < 3; a++) {
        oclnn_opts_int(&o, names[0][a], p->kernel[a], 3);
        oclnn_opts_int(&o, names[1][a], p->stride[a], 1);
        oclnn_opts_int(&o, names[2][a], p->dilation[a], 1);
    }
    oclnn_opts_int(&o, "OC_TILE", op->oc_tile, OCLNN_CONV2D_DIRECT_DEFAULT_OC_TILE);
    oclnn_opts_int(&o, "OW_TILE", op->ow_tile, OCLNN_CONV2D_DIRECT_DEFAULT_OW_TILE);
    oclnn_conv_epilogue_options(&o, op->has_bias, p->residual, p->activation, p->activation_alpha, p->activation_beta);
    return oclnn_kernel_create(ctx, OCLNN_KERNEL_CONV3D, o.buf, "conv3d_direct", &op->kernel);
}

oclnn_status oclnn_conv_create(oclnn_context *ctx, const oclnn_conv_params *params, const float *weights,
                               size_t weights_count, const float *bias, size_t bias_count, oclnn_conv **out) {
    oclnn_errbuf *eb = ctx ? &ctx->err : NULL;
    if (!out) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "conv_create: out is NULL");
    *out = NULL;
    if (!ctx || !params || !weights)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "conv_create: ctx, params and weights must be set");
    oclnn_status st = validate(eb, params);
    if (st) return st;
    size_t want = (size_t)params->out_channels * (params->in_channels / params->groups); /* below 2^48 */
    int fits = 1;
    for (uint32_t a = 0; a < params->rank; a++)
        fits = fits && oclnn_mul_size(want, params->kernel[a], &want);
    if (!fits) return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "conv: the weights have more than SIZE_MAX elements");
    if (weights_count != want)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "conv: weights have %zu elements, the %u-D kernel needs %zu", weights_count, params->rank,
                          want);
    if ((bias && bias_count != params->out_channels) || (!bias && bias_count))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "conv: bias has %zu elements, needs %u%s", bias_count,
                          params->out_channels, bias ? "" : " (or NULL and 0)");
    oclnn_conv *op = oclnn_calloc(ctx->alloc, 1, sizeof *op);
    if (!op) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating conv");
    op->ctx = ctx;
    op->p = *params;
    op->has_bias = bias != NULL;
    if (params->rank < 3) {
        oclnn_conv2d_params q;
        params_2d(params, &q);
        st = oclnn_conv2d_create(ctx, &q, weights, weights_count, bias, bias_count, &op->conv2);
    } else {
        st = create_3d(op, weights, bias);
    }
    if (st) {
        oclnn_conv_destroy(op);
        return st;
    }
    op->state = CONV_CREATED;
    *out = op;
    return OCLNN_STATUS_OK;
}

/* ONNX output size and begin pad of one axis; false when the kernel does not fit the padded input. */
static bool axis_shape(size_t in, uint32_t k, uint32_t s, uint32_t d, oclnn_auto_pad ap, uint32_t pb, uint32_t pe,
                       size_t *out, uint32_t *pad_begin) {
    size_t eff = (size_t)d * (k - 1) + 1;
    if (ap == OCLNN_AUTO_PAD_SAME_UPPER || ap == OCLNN_AUTO_PAD_SAME_LOWER) {
        size_t o = (in + s - 1) / s;
        size_t need = (o - 1) * s + eff;
        size_t total = need > in ? need - in : 0;
        *pad_begin = (uint32_t)(ap == OCLNN_AUTO_PAD_SAME_UPPER ? total / 2 : total - total / 2);
        *out = o;
        return true;
    }
    if (ap == OCLNN_AUTO_PAD_VALID) pb = pe = 0;
    size_t padded = in + pb + pe;
    if (padded < eff) return false;
    *pad_begin = pb;
    *out = (padded - eff) / s + 1;
    return true;
}

static oclnn_status reshape_3d(oclnn_conv *op, size_t batch, const size_t *in, size_t *out) {
    oclnn_errbuf *eb = &op->ctx->err;
    const oclnn_conv_params *p = &op->p;
    uint32_t pad[3];
    for (int a = 0; a < 3; a++)
        if (!axis_shape(in[a], p->kernel[a], p->stride[a], p->dilation[a], p->auto_pad, p->pad_begin[a], p->pad_end[a],
                        &out[a], &pad[a]))
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE,
                              "conv: axis %d: kernel %u (dilation %u) is larger than the padded input %zu", a,
                              p->kernel[a], p->dilation[a], in[a] + p->pad_begin[a] + p->pad_end[a]);
    /* Every element index must fit the kernel's 32-bit arithmetic. */
    size_t ie = batch * p->in_channels, oe = batch * p->out_channels; /* each factor is at most 2^24 */
    int ok = 1;
    for (int a = 0; a < 3; a++)
        ok = ok && oclnn_mul_size(ie, in[a], &ie) && oclnn_mul_size(oe, out[a], &oe);
    if (!ok || ie > INT32_MAX || oe > INT32_MAX)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "conv: tensors above 2^31 elements");
    op->n = batch;
    for (int a = 0; a < 3; a++) {
        op->in[a] = in[a];
        op->out[a] = out[a];
        op->pad[a] = pad[a];
    }
    int kbg = oclnn_conv2d_direct_blocks_per_group((int)p->out_channels, (int)p->groups, op->oc_tile);
    op->global[0] = (out[2] + (size_t)op->ow_tile - 1) / (size_t)op->ow_tile;
    op->global[1] = out[0] * out[1];
    op->global[2] = batch * p->groups * (size_t)kbg;
    op->local[0] = op->local[1] = op->local[2] = 1;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_conv_reshape(oclnn_conv *op, size_t batch, const size_t *in_spatial, size_t *out_spatial) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "conv_reshape: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    const oclnn_conv_params *p = &op->p;
    if (!in_spatial) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "conv_reshape: in_spatial is NULL");
    int zero = !batch;
    for (uint32_t a = 0; a < p->rank; a++)
        zero |= !in_spatial[a];
    if (zero) return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "conv: the batch or a spatial size is zero");
    if (batch > CONV_MAX_EXTENT) return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "conv: batch above 2^24");
    for (uint32_t a = 0; a < p->rank; a++)
        if (in_spatial[a] > CONV_MAX_EXTENT)
            return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "conv: input dimensions above 2^24");
    op->state = CONV_CREATED; /* until the new size is accepted */
    size_t out[3];
    oclnn_status st;
    if (p->rank < 3) {
        size_t h = p->rank == 2 ? in_spatial[0] : 1, w = in_spatial[p->rank - 1];
        st = oclnn_conv2d_reshape(op->conv2, batch, h, w, &out[0], &out[1]);
        if (p->rank == 1) out[0] = out[1];
    } else {
        st = reshape_3d(op, batch, in_spatial, out);
    }
    if (st) return st;
    op->state = CONV_RESHAPED;
    if (out_spatial)
        for (uint32_t a = 0; a < p->rank; a++)
            out_spatial[a] = out[a];
    return OCLNN_STATUS_OK;
}

/* @p t must be a 5-D f32 tensor n x (>= c_off + c) x d x h x w at a whole-element offset. */
static oclnn_status check_slice_3d(oclnn_errbuf *eb, const char *what, const oclnn_tensor *t, size_t n, size_t c_off,
                                   size_t c, const size_t *s) {
    if (!t) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "conv: %s tensor is NULL", what);
    if (t->dtype != OCLNN_DTYPE_F32 || t->ndim != 5 || (size_t)t->dims[0] != n || (size_t)t->dims[1] < c_off + c ||
        (size_t)t->dims[2] != s[0] || (size_t)t->dims[3] != s[1] || (size_t)t->dims[4] != s[2] ||
        t->offset % sizeof(float))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE,
                          "conv: %s must be f32 %zu x (>= %zu + %zu) x %zu x %zu x %zu, got a %zu-D tensor", what, n,
                          c_off, c, s[0], s[1], s[2], t->ndim);
    return OCLNN_STATUS_OK;
}

static oclnn_status setup_3d(oclnn_conv *op, const oclnn_tensor *input, oclnn_tensor *output, size_t out_c_off,
                             const oclnn_tensor *residual, size_t res_c_off) {
    oclnn_errbuf *eb = &op->ctx->err;
    const oclnn_conv_params *p = &op->p;
    int has_res = p->residual != OCLNN_RESIDUAL_NONE;
    oclnn_status st;
    if ((st = check_slice_3d(eb, "input", input, op->n, 0, p->in_channels, op->in))) return st;
    if ((st = check_slice_3d(eb, "output", output, op->n, out_c_off, p->out_channels, op->out))) return st;
    if (has_res && (st = check_slice_3d(eb, "residual", residual, op->n, res_c_off, p->out_channels, op->out)))
        return st;
    if (!has_res && residual)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "conv: a residual tensor was given but the params ask for none");
    /* The kernel reads input while other work-items write output: the two must not share memory. */
    if (input->mem == output->mem && input->offset < output->offset + output->nbytes &&
        output->offset < input->offset + input->nbytes)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "conv: input and output overlap");
    cl_mem res_mem = has_res ? residual->mem : op->weights; /* any valid buffer stands in for an unused one */
    cl_mem bias_mem = op->bias ? op->bias : op->weights;
    int in_off = (int)(input->offset / sizeof(float)), out_off = (int)(output->offset / sizeof(float));
    int res_off = has_res ? (int)(residual->offset / sizeof(float)) : 0;
    int args[] = {(int)op->n, (int)p->in_channels, (int)op->in[0], (int)op->in[1], (int)op->in[2],
                  (int)p->out_channels, (int)op->out[0], (int)op->out[1], (int)op->out[2], (int)op->pad[0],
                  (int)op->pad[1], (int)op->pad[2], (int)p->groups, (int)out_c_off, (int)output->dims[1],
                  has_res ? (int)res_c_off : 0, has_res ? (int)residual->dims[1] : 0};
    cl_kernel k = op->kernel;
    cl_int err = CL_SUCCESS;
    cl_uint i = 0;
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &input->mem);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &in_off);
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &op->weights);
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &bias_mem);
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &output->mem);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &out_off);
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &res_mem);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &res_off);
    for (size_t a = 0; a < sizeof args / sizeof args[0]; a++)
        err |= clw_SetKernelArg(k, i++, sizeof(int), &args[a]);
    if (err != CL_SUCCESS) return oclnn_fail(eb, OCLNN_STATUS_OPENCL_ERROR, "conv: clSetKernelArg failed");
    return OCLNN_STATUS_OK;
}

/* Rank 1: the 2-D operator sees [N, C, 1, W] views (made again at every setup, since the tensors may change). */
static oclnn_status setup_1d(oclnn_conv *op, const oclnn_tensor *t[3], const char *const what[3],
                             const oclnn_tensor *v[3]) {
    for (int k = 0; k < 3; k++) {
        oclnn_tensor_destroy(op->view[k]);
        op->view[k] = NULL;
        v[k] = t[k];
        if (!t[k]) continue;
        if (t[k]->ndim != 3)
            return oclnn_fail(&op->ctx->err, OCLNN_STATUS_INVALID_SHAPE, "conv: rank-1 %s must be 3-D, got %zu-D",
                              what[k], t[k]->ndim);
        int64_t d[4] = {t[k]->dims[0], t[k]->dims[1], 1, t[k]->dims[2]};
        oclnn_status st = oclnn_tensor_view((oclnn_tensor *)t[k], 0, t[k]->dtype, 4, d, &op->view[k]);
        if (st) return st;
        v[k] = op->view[k];
    }
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_conv_setup(oclnn_conv *op, const oclnn_tensor *input, oclnn_tensor *output,
                              size_t output_channel_offset, const oclnn_tensor *residual,
                              size_t residual_channel_offset) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "conv_setup: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    if (op->state == CONV_CREATED) return oclnn_fail(eb, OCLNN_STATUS_INVALID_STATE, "conv: setup before reshape");
    op->state = CONV_RESHAPED; /* until the new tensors are accepted */
    oclnn_status st;
    if (op->p.rank == 3) {
        st = setup_3d(op, input, output, output_channel_offset, residual, residual_channel_offset);
    } else if (op->p.rank == 2) {
        st = oclnn_conv2d_setup(op->conv2, input, output, output_channel_offset, residual, residual_channel_offset);
    } else {
        const oclnn_tensor *t[3] = {input, output, residual}, *v[3];
        static const char *const what[3] = {"input", "output", "residual"};
        st = setup_1d(op, t, what, v);
        if (!st)
            st = oclnn_conv2d_setup(op->conv2, v[0], (oclnn_tensor *)v[1], output_channel_offset, v[2],
                                    residual_channel_offset);
    }
    if (st) return st;
    op->state = CONV_READY;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_conv_enqueue(oclnn_conv *op, uint32_t queue, oclnn_event **event) {
    if (event) *event = NULL;
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "conv_enqueue: op is NULL");
    oclnn_context *ctx = op->ctx;
    if (op->state != CONV_READY)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_STATE, "conv: enqueue before reshape and setup");
    if (op->p.rank < 3) return oclnn_conv2d_enqueue(op->conv2, queue, event);
    if (queue >= ctx->num_queues)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "conv: queue %u of %u", queue, ctx->num_queues);
    cl_event ev = NULL;
    cl_int err =
        clw_EnqueueNDRangeKernel(ctx->queues[queue], op->kernel, 3, op->global, op->local, 0, NULL, event ? &ev : NULL);
    if (err != CL_SUCCESS) return clw_fail(&ctx->err, err, "clEnqueueNDRangeKernel (conv3d)");
    return event ? oclnn_event_wrap(ctx, ev, event) : OCLNN_STATUS_OK;
}

oclnn_conv_algo oclnn_conv_get_algo(const oclnn_conv *op) {
    if (!op) return OCLNN_CONV_ALGO_AUTO;
    return op->conv2 ? oclnn_conv2d_algo(op->conv2) : OCLNN_CONV_ALGO_DIRECT;
}

void oclnn_conv_destroy(oclnn_conv *op) {
    if (!op) return;
    oclnn_conv2d_destroy(op->conv2);
    for (int k = 0; k < 3; k++)
        oclnn_tensor_destroy(op->view[k]);
    if (op->kernel) clw_ReleaseKernel(op->kernel);
    if (op->weights) clw_ReleaseMemObject(op->weights);
    if (op->bias) clw_ReleaseMemObject(op->bias);
    oclnn_free(op->ctx->alloc, op);
}
