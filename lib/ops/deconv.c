/* deconv.c - the rank-based transposed convolution oclnn_deconv (ONNX ConvTranspose, 1-D to 3-D): ranks 1 and 2
 * forward to oclnn_deconv2d (1-D as H = 1 through 4-D views), rank 3 validates, packs weights for
 * cl/deconv3d.cl and runs it. Lifecycle create -> reshape -> setup -> enqueue -> destroy.
 */
#include <string.h>

#include "ops/conv2d_impl.h" /* oclnn_conv_epilogue_options */
#include "ops/deconv_impl.h"
#include "program/program.h"

enum { DC_CREATED, DC_RESHAPED, DC_READY };

/* cl/deconv3d.cl's defaults, left out of the options when chosen. */
#define D3_DEFAULT_K 2
#define D3_DEFAULT_S 2
#define D3_DEFAULT_OC_TILE 4

/* The same limits as conv2d_transposed.c: the kernels index with 32-bit ints. */
#define DC_MAX_EXTENT (1u << 24)
#define DC_MAX_KERNEL 64u

struct oclnn_deconv {
    oclnn_context *ctx;
    oclnn_deconv_params p;
    /* rank 1, 2 */
    oclnn_deconv2d *d2;
    oclnn_tensor *view[3]; /* rank 1: 4-D views of input, output, residual made at setup */
    /* rank 3 */
    int has_bias, oc_tile;
    cl_kernel kernel;
    cl_mem weights, bias;
    size_t n, in[3], out[3];
    uint32_t pad[3];
    size_t global[3];
    int state;
};

void oclnn_deconv_params_init(oclnn_deconv_params *p) {
    if (!p) return;
    memset(p, 0, sizeof *p);
    p->rank = 2;
    p->in_channels = p->out_channels = p->groups = 1;
    for (int a = 0; a < 3; a++) p->kernel[a] = p->stride[a] = p->dilation[a] = 1;
    p->activation_alpha = 0.01f;
}

/* Rank 1 and 2 as oclnn_deconv2d parameters (1-D: H axis of size 1, kernel 1, stride 1). */
static void to_2d(const oclnn_deconv_params *p, oclnn_deconv2d_params *q) {
    oclnn_deconv2d_params_init(q);
    int w = p->rank == 1 ? 0 : 1; /* index of the W axis */
    q->in_channels = p->in_channels, q->out_channels = p->out_channels, q->groups = p->groups;
    q->kernel_w = p->kernel[w], q->stride_w = p->stride[w], q->dilation_w = p->dilation[w];
    q->pad_left = p->pad_begin[w], q->pad_right = p->pad_end[w], q->output_padding_w = p->output_padding[w];
    q->output_shape_w = p->output_shape[w];
    if (p->rank == 2) {
        q->kernel_h = p->kernel[0], q->stride_h = p->stride[0], q->dilation_h = p->dilation[0];
        q->pad_top = p->pad_begin[0], q->pad_bottom = p->pad_end[0], q->output_padding_h = p->output_padding[0];
        q->output_shape_h = p->output_shape[0];
    } else {
        q->output_shape_h = p->output_shape[0] ? 1 : 0; /* H = 1 gives an output of height 1 */
    }
    q->auto_pad = p->auto_pad;
    q->activation = p->activation;
    q->activation_alpha = p->activation_alpha, q->activation_beta = p->activation_beta;
    q->residual = p->residual;
}

/* The rank-3 rules; ranks 1 and 2 are validated by oclnn_deconv2d_create with the same rules and messages. */
static oclnn_status validate3(oclnn_errbuf *eb, const oclnn_deconv_params *p) {
    if (!p->in_channels || !p->out_channels || !p->groups)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "deconv3d: in_channels (%u), out_channels (%u) and group (%u) must be >= 1", p->in_channels,
                          p->out_channels, p->groups);
    if (p->in_channels % p->groups || p->out_channels % p->groups)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "deconv3d: group (%u) must divide in_channels (%u) and out_channels (%u)", p->groups,
                          p->in_channels, p->out_channels);
    int shapes = 0;
    for (int a = 0; a < 3; a++) {
        if (!p->kernel[a] || !p->stride[a] || !p->dilation[a])
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                              "deconv3d: kernel (%u), stride (%u) and dilation (%u) of axis %d must be >= 1",
                              p->kernel[a], p->stride[a], p->dilation[a], a);
        if (p->output_padding[a] >= p->stride[a] && p->output_padding[a] >= p->dilation[a])
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                              "deconv3d: output_padding %u of axis %d must be smaller than its stride %u or "
                              "dilation %u",
                              p->output_padding[a], a, p->stride[a], p->dilation[a]);
        shapes += p->output_shape[a] != 0;
    }
    if ((unsigned)p->activation > OCLNN_ACTIVATION_HARD_SWISH ||
        (unsigned)p->residual > OCLNN_RESIDUAL_AFTER_ACTIVATION || (unsigned)p->auto_pad > OCLNN_AUTO_PAD_VALID)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "deconv3d: activation, residual or auto_pad out of range");
    if (p->activation == OCLNN_ACTIVATION_CLIP && !(p->activation_alpha <= p->activation_beta))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "deconv3d: Clip needs min (%g) <= max (%g)",
                          (double)p->activation_alpha, (double)p->activation_beta);
    if (shapes != 0 && shapes != 3)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "deconv3d: output_shape %ux%ux%u must give every size or none", p->output_shape[0],
                          p->output_shape[1], p->output_shape[2]);
    if (shapes && p->auto_pad == OCLNN_AUTO_PAD_VALID)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "deconv3d: output_shape contradicts auto_pad VALID (which fixes the pads at 0)");
    if (p->in_channels > DC_MAX_EXTENT || p->out_channels > DC_MAX_EXTENT)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "deconv3d: channels above 2^24");
    for (int a = 0; a < 3; a++) {
        if (p->kernel[a] > DC_MAX_KERNEL || p->stride[a] > DC_MAX_KERNEL || p->dilation[a] > DC_MAX_KERNEL ||
            p->pad_begin[a] > DC_MAX_EXTENT || p->pad_end[a] > DC_MAX_EXTENT || p->output_shape[a] > DC_MAX_EXTENT)
            return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED,
                              "deconv3d: axis %d: kernel, stride or dilation above %u, or pads or output_shape above "
                              "2^24",
                              a, DC_MAX_KERNEL);
        /* SAME fixes out = in*stride, so the total padding output_padding + span - stride must not be negative */
        if ((p->auto_pad == OCLNN_AUTO_PAD_SAME_UPPER || p->auto_pad == OCLNN_AUTO_PAD_SAME_LOWER) && !shapes &&
            (uint64_t)p->output_padding[a] + (uint64_t)p->dilation[a] * (p->kernel[a] - 1) + 1 < p->stride[a])
            return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED,
                              "deconv3d: auto_pad SAME with a kernel span plus output_padding smaller than the stride "
                              "(axis %d) needs negative padding",
                              a);
    }
    return OCLNN_STATUS_OK;
}

/* packed[g][kb][kd][kh][kw][c][j] = w[g*Cg + c][kb*T + j][kd][kh][kw] (ONNX [C][K/g][KD][KH][KW]), zero past Kg. */
static size_t packed_count(const oclnn_deconv_params *p, int t) {
    size_t kbg = (p->out_channels / p->groups + (unsigned)t - 1) / (unsigned)t;
    return (size_t)p->groups * kbg * p->kernel[0] * p->kernel[1] * p->kernel[2] * (p->in_channels / p->groups) *
           (size_t)t;
}

static void pack_weights(const oclnn_deconv_params *p, int t, const float *w, float *packed) {
    const size_t cg = p->in_channels / p->groups, kg = p->out_channels / p->groups, T = (size_t)t;
    const size_t taps = (size_t)p->kernel[0] * p->kernel[1] * p->kernel[2], kbg = (kg + T - 1) / T;
    size_t o = 0;
    for (size_t g = 0; g < p->groups; g++)
        for (size_t kb = 0; kb < kbg; kb++)
            for (size_t tap = 0; tap < taps; tap++)
                for (size_t c = 0; c < cg; c++)
                    for (size_t j = 0; j < T; j++, o++) {
                        size_t kl = kb * T + j;
                        packed[o] = kl < kg ? w[((g * cg + c) * kg + kl) * taps + tap] : 0.0f;
                    }
}

static oclnn_status build3(oclnn_deconv *op, const float *weights, const float *bias) {
    oclnn_context *ctx = op->ctx;
    const oclnn_deconv_params *p = &op->p;
    unsigned kg = p->out_channels / p->groups;
    op->oc_tile = kg <= 1 ? 1 : kg <= 2 ? 2 : kg <= 4 ? 4 : 8; /* registers per work-item stay few */
    size_t packed_n = packed_count(p, op->oc_tile), bytes;
    if (!oclnn_mul_size(packed_n, sizeof(float), &bytes) || bytes > ctx->info.max_alloc_bytes)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_DEVICE_MEMORY,
                          "deconv3d: packed weights of %zu floats exceed the device's largest allocation", packed_n);
    if (packed_n > INT32_MAX)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_UNSUPPORTED, "deconv3d: packed weights above 2^31 floats");
    float *packed = oclnn_malloc(ctx->alloc, bytes);
    if (!packed)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "deconv3d: packing %zu weights", packed_n);
    pack_weights(p, op->oc_tile, weights, packed);
    cl_int err;
    op->weights = clw_CreateBuffer(ctx->cl, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, bytes, packed, &err);
    oclnn_free(ctx->alloc, packed);
    if (!op->weights) return clw_fail(&ctx->err, err, "clCreateBuffer (deconv3d weights)");
    if (bias) {
        op->bias = clw_CreateBuffer(ctx->cl, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                                    (size_t)p->out_channels * sizeof(float), (void *)bias, &err);
        if (!op->bias) return clw_fail(&ctx->err, err, "clCreateBuffer (deconv3d bias)");
    }
    static const char *const kn[3] = {"KD", "KH", "KW"}, *const sn[3] = {"SD", "SH", "SW"},
                             *const dn[3] = {"DD", "DH", "DW"};
    oclnn_opts o;
    oclnn_opts_init(&o);
    for (int a = 0; a < 3; a++) {
        oclnn_opts_int(&o, kn[a], p->kernel[a], D3_DEFAULT_K);
        oclnn_opts_int(&o, sn[a], p->stride[a], D3_DEFAULT_S);
        oclnn_opts_int(&o, dn[a], p->dilation[a], 1);
    }
    oclnn_opts_int(&o, "OC_TILE", op->oc_tile, D3_DEFAULT_OC_TILE);
    oclnn_conv_epilogue_options(&o, op->has_bias, p->residual, p->activation, p->activation_alpha, p->activation_beta);
    return oclnn_kernel_create(ctx, OCLNN_KERNEL_DECONV3D, o.buf, "deconv3d", &op->kernel);
}

oclnn_status oclnn_deconv_create(oclnn_context *ctx, const oclnn_deconv_params *params, const float *weights,
                                 size_t weights_count, const float *bias, size_t bias_count, oclnn_deconv **out) {
    oclnn_errbuf *eb = ctx ? &ctx->err : NULL;
    if (!out) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "deconv_create: out is NULL");
    *out = NULL;
    if (!ctx || !params || !weights)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "deconv_create: ctx, params and weights must be set");
    const oclnn_deconv_params *p = params;
    if (p->rank < 1 || p->rank > 3)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "deconv: rank %u is outside 1..3", p->rank);
    oclnn_status st;
    if (p->rank == 3) {
        if ((st = validate3(eb, p))) return st;
        size_t want = (size_t)p->in_channels * (p->out_channels / p->groups) * p->kernel[0] * p->kernel[1] *
                      p->kernel[2];
        if (weights_count != want)
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                              "deconv3d: weights have %zu elements, [%u][%u][%u][%u][%u] needs %zu", weights_count,
                              p->in_channels, p->out_channels / p->groups, p->kernel[0], p->kernel[1], p->kernel[2],
                              want);
        if ((bias && bias_count != p->out_channels) || (!bias && bias_count))
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "deconv3d: bias has %zu elements, needs %u%s",
                              bias_count, p->out_channels, bias ? "" : " (or NULL and 0)");
    }
    oclnn_deconv *op = oclnn_calloc(ctx->alloc, 1, sizeof *op);
    if (!op) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating deconv");
    op->ctx = ctx;
    op->p = *p;
    op->has_bias = bias != NULL;
    op->state = DC_CREATED;
    if (p->rank < 3) {
        oclnn_deconv2d_params q;
        to_2d(p, &q);
        st = oclnn_deconv2d_create(ctx, &q, weights, weights_count, bias, bias_count, &op->d2);
    } else {
        st = build3(op, weights, bias);
    }
    if (st) {
        oclnn_deconv_destroy(op);
        return st;
    }
    *out = op;
    return OCLNN_STATUS_OK;
}

static oclnn_status reshape3(oclnn_deconv *op, size_t batch, const size_t *in_size, size_t *out_size) {
    oclnn_errbuf *eb = &op->ctx->err;
    const oclnn_deconv_params *p = &op->p;
    size_t o[3], in_e = batch * p->in_channels, out_e = batch * p->out_channels;
    uint32_t pad[3];
    for (int a = 0; a < 3; a++) {
        if (in_size[a] > DC_MAX_EXTENT)
            return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "deconv3d: input size %zu above 2^24", in_size[a]);
        int r = oclnn_deconv_axis_shape(in_size[a], p->kernel[a], p->stride[a], p->dilation[a], p->output_padding[a],
                                        p->auto_pad, p->pad_begin[a], p->pad_end[a], p->output_shape[a], &o[a],
                                        &pad[a]);
        if (r == 2)
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE,
                              "deconv3d: output_shape %u of axis %d is larger than the transposed convolution of %zu "
                              "reaches by more than 1 (it would need negative pads at the start)",
                              p->output_shape[a], a, in_size[a]);
        if (r)
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "deconv3d: pads %u+%u of axis %d leave no output for %zu",
                              p->pad_begin[a], p->pad_end[a], a, in_size[a]);
        if (o[a] > DC_MAX_EXTENT || !oclnn_mul_size(in_e, in_size[a], &in_e) || !oclnn_mul_size(out_e, o[a], &out_e))
            return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "deconv3d: output sides above 2^24");
    }
    if (in_e > INT32_MAX || out_e > INT32_MAX)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "deconv3d: tensors of 2^31 elements or more");
    op->n = batch;
    for (int a = 0; a < 3; a++) op->in[a] = in_size[a], op->out[a] = o[a], op->pad[a] = pad[a];
    size_t kbg = (p->out_channels / p->groups + (unsigned)op->oc_tile - 1) / (unsigned)op->oc_tile;
    op->global[0] = o[2];
    op->global[1] = o[0] * o[1];
    op->global[2] = batch * p->groups * kbg;
    if (out_size) memcpy(out_size, o, sizeof o);
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_deconv_reshape(oclnn_deconv *op, size_t batch, const size_t *in_size, size_t *out_size) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "deconv_reshape: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    const uint32_t rank = op->p.rank;
    if (!in_size) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "deconv_reshape: in_size is NULL");
    op->state = DC_CREATED;
    if (!batch || batch > DC_MAX_EXTENT)
        return oclnn_fail(eb, batch ? OCLNN_STATUS_UNSUPPORTED : OCLNN_STATUS_INVALID_SHAPE,
                          "deconv: batch %zu is outside 1..2^24", batch);
    for (uint32_t a = 0; a < rank; a++)
        if (!in_size[a])
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "deconv: input size of axis %u is 0", a);
    oclnn_status st;
    if (rank == 3) {
        st = reshape3(op, batch, in_size, out_size);
    } else {
        size_t oh, ow;
        st = oclnn_deconv2d_reshape(op->d2, batch, rank == 1 ? 1 : in_size[0], in_size[rank - 1], &oh, &ow);
        if (!st && out_size) {
            if (rank == 2) out_size[0] = oh;
            out_size[rank - 1] = ow;
        }
    }
    if (st) return st;
    op->state = DC_RESHAPED;
    return OCLNN_STATUS_OK;
}

/* Checks a 5-D f32 tensor N x (>= c_off + c) x d x h x w. */
static oclnn_status check_ncdhw(oclnn_errbuf *eb, const char *what, const oclnn_tensor *t, size_t n, size_t c_off,
                                size_t c, const size_t *sp) {
    if (!t) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "deconv3d: %s tensor is NULL", what);
    if (t->dtype != OCLNN_DTYPE_F32 || t->ndim != 5 || (size_t)t->dims[0] != n || (size_t)t->dims[1] < c_off + c ||
        (size_t)t->dims[2] != sp[0] || (size_t)t->dims[3] != sp[1] || (size_t)t->dims[4] != sp[2] ||
        t->offset % sizeof(float) || (size_t)t->dims[1] > INT32_MAX)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE,
                          "deconv3d: %s must be f32 %zu x (>= %zu + %zu) x %zu x %zu x %zu, got %zu-D", what, n, c_off,
                          c, sp[0], sp[1], sp[2], t->ndim);
    /* the kernel indexes the whole tensor (all its channels) with ints */
    if (t->nbytes / sizeof(float) > INT32_MAX || t->offset / sizeof(float) > INT32_MAX)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "deconv3d: %s tensor of 2^31 elements or more", what);
    return OCLNN_STATUS_OK;
}

static oclnn_status setup3(oclnn_deconv *op, const oclnn_tensor *input, oclnn_tensor *output, size_t out_c_off,
                           const oclnn_tensor *residual, size_t res_c_off) {
    oclnn_errbuf *eb = &op->ctx->err;
    const oclnn_deconv_params *p = &op->p;
    oclnn_status st;
    int has_res = p->residual != OCLNN_RESIDUAL_NONE;
    if ((st = check_ncdhw(eb, "input", input, op->n, 0, p->in_channels, op->in)) ||
        (st = check_ncdhw(eb, "output", output, op->n, out_c_off, p->out_channels, op->out)) ||
        (has_res && (st = check_ncdhw(eb, "residual", residual, op->n, res_c_off, p->out_channels, op->out))))
        return st;
    if (!has_res && residual)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "deconv3d: a residual tensor was given but the params ask for none");
    /* The kernel reads input while other work-items write output: the two must not share memory. */
    if (input->mem == output->mem && input->offset < output->offset + output->nbytes &&
        output->offset < input->offset + input->nbytes)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "deconv3d: input and output overlap");
    cl_mem res_mem = has_res ? residual->mem : op->weights; /* any valid buffer stands in for an unused one */
    cl_mem bias_mem = op->bias ? op->bias : op->weights;
    int in_off = (int)(input->offset / sizeof(float)), out_off = (int)(output->offset / sizeof(float));
    int res_off = has_res ? (int)(residual->offset / sizeof(float)) : 0;
    int args[] = {(int)op->n,
                  (int)p->in_channels,
                  (int)op->in[0],
                  (int)op->in[1],
                  (int)op->in[2],
                  (int)p->out_channels,
                  (int)op->out[0],
                  (int)op->out[1],
                  (int)op->out[2],
                  (int)op->pad[0],
                  (int)op->pad[1],
                  (int)op->pad[2],
                  (int)p->groups,
                  (int)out_c_off,
                  (int)output->dims[1],
                  has_res ? (int)res_c_off : 0,
                  has_res ? (int)residual->dims[1] : 0};
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
    for (size_t a = 0; a < sizeof args / sizeof args[0]; a++) err |= clw_SetKernelArg(k, i++, sizeof(int), &args[a]);
    if (err != CL_SUCCESS) return oclnn_fail(eb, OCLNN_STATUS_OPENCL_ERROR, "deconv3d: clSetKernelArg failed");
    return OCLNN_STATUS_OK;
}

/* Rank 1: [N, C, W] seen as [N, C, 1, W]; other ranks pass through (*view stays NULL). */
static oclnn_status view4(const oclnn_tensor *t, oclnn_tensor **view) {
    *view = NULL;
    if (!t || t->ndim != 3) return OCLNN_STATUS_OK;
    int64_t d[4] = {t->dims[0], t->dims[1], 1, t->dims[2]};
    return oclnn_tensor_view((oclnn_tensor *)t, 0, t->dtype, 4, d, view);
}

oclnn_status oclnn_deconv_setup(oclnn_deconv *op, const oclnn_tensor *input, oclnn_tensor *output,
                                size_t output_channel_offset, const oclnn_tensor *residual,
                                size_t residual_channel_offset) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "deconv_setup: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    if (op->state == DC_CREATED) return oclnn_fail(eb, OCLNN_STATUS_INVALID_STATE, "deconv: setup before reshape");
    op->state = DC_RESHAPED; /* until the new binding is complete */
    oclnn_status st = OCLNN_STATUS_OK;
    if (op->p.rank == 3) {
        st = setup3(op, input, output, output_channel_offset, residual, residual_channel_offset);
    } else {
        const oclnn_tensor *t[3] = {input, output, residual};
        const size_t want = op->p.rank + 2;
        for (int k = 0; k < 3; k++) {
            oclnn_tensor_destroy(op->view[k]);
            op->view[k] = NULL;
            if (t[k] && t[k]->ndim != want)
                st = oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE,
                                "deconv: a rank-%u operator needs %zu-D tensors, got %zu-D", op->p.rank, want,
                                t[k]->ndim);
            if (!st && op->p.rank == 1) st = view4(t[k], &op->view[k]);
            if (op->view[k]) t[k] = op->view[k];
        }
        if (!st)
            st = oclnn_deconv2d_setup(op->d2, t[0], (oclnn_tensor *)t[1], output_channel_offset, t[2],
                                      residual_channel_offset);
    }
    if (st) return st;
    op->state = DC_READY;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_deconv_enqueue(oclnn_deconv *op, uint32_t queue, oclnn_event **event) {
    if (event) *event = NULL;
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "deconv_enqueue: op is NULL");
    oclnn_context *ctx = op->ctx;
    if (op->state != DC_READY)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_STATE, "deconv: enqueue before reshape and setup");
    if (op->p.rank < 3) return oclnn_deconv2d_enqueue(op->d2, queue, event);
    if (queue >= ctx->num_queues)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "deconv3d: queue %u of %u", queue, ctx->num_queues);
    cl_event ev = NULL;
    cl_int err = clw_EnqueueNDRangeKernel(ctx->queues[queue], op->kernel, 3, op->global, NULL, 0, NULL,
                                          event ? &ev : NULL);
    if (err != CL_SUCCESS) return clw_fail(&ctx->err, err, "clEnqueueNDRangeKernel (deconv3d)");
    return event ? oclnn_event_wrap(ctx, ev, event) : OCLNN_STATUS_OK;
}

void oclnn_deconv_destroy(oclnn_deconv *op) {
    if (!op) return;
    oclnn_deconv2d_destroy(op->d2);
    for (int k = 0; k < 3; k++) oclnn_tensor_destroy(op->view[k]);
    if (op->kernel) clw_ReleaseKernel(op->kernel);
    if (op->weights) clw_ReleaseMemObject(op->weights);
    if (op->bias) clw_ReleaseMemObject(op->bias);
    oclnn_free(op->ctx->alloc, op);
}
