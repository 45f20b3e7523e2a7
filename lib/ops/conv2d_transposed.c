/* conv2d_transposed.c - the transposed 2-D convolution operator (ONNX ConvTranspose): validation, output shapes
 * and the ONNX padding rules (auto_pad, output_padding, output_shape), polyphase weight packing for
 * cl/conv2d_transposed.cl, and the lifecycle create -> reshape -> setup -> enqueue -> destroy.
 */
#include <string.h>

#include "ops/conv2d_impl.h" /* oclnn_check_nchw_slice */
#include "ops/deconv_impl.h"

enum { DECONV_CREATED, DECONV_RESHAPED, DECONV_READY };

/* The kernel file's tile defaults (cl/conv2d_transposed.cl), left out of the options when chosen. */
#define DEFAULT_OC_TILE 16
#define DEFAULT_OW_TILE 6
#define DEFAULT_K 4
#define DEFAULT_S 2

/* The kernels index with 32-bit ints; larger extents are refused rather than wrapped (as in conv2d.c). */
#define DECONV_MAX_EXTENT (1u << 24)
#define DECONV_MAX_KERNEL 64u

struct oclnn_deconv2d {
    oclnn_context *ctx;
    oclnn_deconv2d_params p;
    int has_bias;
    int oc_tile, ow_tile;
    cl_kernel kernel;
    cl_mem weights; /* packed by pack_weights() */
    cl_mem bias;    /* NULL when there is none */
    /* Set by reshape. */
    size_t n, h, w, oh, ow;
    uint32_t pad_top, pad_left;
    int tiles_per_item;
    size_t global[3], local[3];
    int state;
};

static unsigned gcd_u(unsigned a, unsigned b) {
    while (b) {
        unsigned t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* One axis of the polyphase structure: taps of a phase step by `step`, at most `nt` of them per phase. */
typedef struct phase_axis {
    unsigned step, nt;
} phase_axis;

static phase_axis axis_phases(uint32_t k, uint32_t s, uint32_t d) {
    phase_axis a;
    a.step = s / gcd_u(s, d);
    a.nt = (k + a.step - 1) / a.step;
    return a;
}

void oclnn_deconv2d_params_init(oclnn_deconv2d_params *p) {
    if (!p) return;
    memset(p, 0, sizeof *p);
    p->in_channels = p->out_channels = 1;
    p->groups = 1;
    p->kernel_h = p->kernel_w = 1;
    p->stride_h = p->stride_w = 1;
    p->dilation_h = p->dilation_w = 1;
    p->activation_alpha = 0.01f;
}

static oclnn_status validate(oclnn_errbuf *eb, const oclnn_deconv2d_params *p) {
    if (!p->in_channels || !p->out_channels || !p->groups)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "deconv2d: in_channels (%u), out_channels (%u) and group (%u) must be >= 1", p->in_channels,
                          p->out_channels, p->groups);
    if (p->in_channels % p->groups || p->out_channels % p->groups)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "deconv2d: group (%u) must divide in_channels (%u) and out_channels (%u)", p->groups,
                          p->in_channels, p->out_channels);
    if (!p->kernel_h || !p->kernel_w)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "deconv2d: kernel size %ux%u must be >= 1", p->kernel_h,
                          p->kernel_w);
    if (!p->stride_h || !p->stride_w)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "deconv2d: stride %ux%u must be >= 1", p->stride_h,
                          p->stride_w);
    if (!p->dilation_h || !p->dilation_w)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "deconv2d: dilation %ux%u must be >= 1", p->dilation_h,
                          p->dilation_w);
    if ((p->output_padding_h >= p->stride_h && p->output_padding_h >= p->dilation_h) ||
        (p->output_padding_w >= p->stride_w && p->output_padding_w >= p->dilation_w))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "deconv2d: output_padding %ux%u must be smaller than the stride %ux%u or the dilation %ux%u",
                          p->output_padding_h, p->output_padding_w, p->stride_h, p->stride_w, p->dilation_h,
                          p->dilation_w);
    if ((unsigned)p->activation > OCLNN_ACTIVATION_HARD_SWISH ||
        (unsigned)p->residual > OCLNN_RESIDUAL_AFTER_ACTIVATION || (unsigned)p->auto_pad > OCLNN_AUTO_PAD_VALID)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "deconv2d: activation, residual or auto_pad out of range");
    if (p->activation == OCLNN_ACTIVATION_CLIP && !(p->activation_alpha <= p->activation_beta))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "deconv2d: Clip needs min (%g) <= max (%g)",
                          (double)p->activation_alpha, (double)p->activation_beta);
    if (!p->output_shape_h != !p->output_shape_w)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "deconv2d: output_shape %ux%u must give both sizes or neither", p->output_shape_h,
                          p->output_shape_w);
    if (p->output_shape_h && p->auto_pad == OCLNN_AUTO_PAD_VALID)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "deconv2d: output_shape contradicts auto_pad VALID (which fixes the pads at 0)");
    if (p->in_channels > DECONV_MAX_EXTENT || p->out_channels > DECONV_MAX_EXTENT ||
        p->kernel_h > DECONV_MAX_KERNEL || p->kernel_w > DECONV_MAX_KERNEL || p->stride_h > DECONV_MAX_KERNEL ||
        p->stride_w > DECONV_MAX_KERNEL || p->dilation_h > DECONV_MAX_KERNEL || p->dilation_w > DECONV_MAX_KERNEL ||
        p->pad_top > DECONV_MAX_EXTENT || p->pad_left > DECONV_MAX_EXTENT || p->pad_bottom > DECONV_MAX_EXTENT ||
        p->pad_right > DECONV_MAX_EXTENT || p->output_shape_h > DECONV_MAX_EXTENT ||
        p->output_shape_w > DECONV_MAX_EXTENT)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED,
                          "deconv2d: channels, pads or output_shape above 2^24, or kernel, stride or dilation above %u",
                          DECONV_MAX_KERNEL);
    /* SAME fixes out = in*stride, so total padding = output_padding + eff - stride, independent of the input. */
    if ((p->auto_pad == OCLNN_AUTO_PAD_SAME_UPPER || p->auto_pad == OCLNN_AUTO_PAD_SAME_LOWER) &&
        !p->output_shape_h &&
        ((uint64_t)p->output_padding_h + (uint64_t)p->dilation_h * (p->kernel_h - 1) + 1 < p->stride_h ||
         (uint64_t)p->output_padding_w + (uint64_t)p->dilation_w * (p->kernel_w - 1) + 1 < p->stride_w))
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED,
                          "deconv2d: auto_pad SAME with a kernel span plus output_padding smaller than the stride "
                          "needs negative padding");
    return OCLNN_STATUS_OK;
}

/* Tiles: channel blocks that waste the fewest channels, pixel tiles that keep 12 of AVX2's 16 ymm registers as
 * accumulators (16 channels x 6 pixels or 24 x 4); narrow groups (depthwise, 1 output) use short scalar tiles. */
static void choose_tiles(const oclnn_deconv2d_params *p, int *oc_tile, int *ow_tile) {
    unsigned kg = p->out_channels / p->groups;
    if (kg <= 8) {
        *oc_tile = kg <= 1 ? 1 : kg <= 2 ? 2 : kg <= 4 ? 4 : 8;
        *ow_tile = 8;
        return;
    }
    unsigned pad16 = (kg + 15) / 16 * 16, pad24 = (kg + 23) / 24 * 24;
    *oc_tile = pad24 < pad16 ? 24 : DEFAULT_OC_TILE;
    *ow_tile = pad24 < pad16 ? 4 : DEFAULT_OW_TILE;
}

/* Packs ONNX weights w[C][Kg][KH][KW] as packed[g][kb][cy][cx][my][c][mx][j] = w[g*Cg + c][kb*T + j][ky][kx]
 * with ky = cy + my*step_y, kx = cx + mx*step_x: for each phase class, its taps, one tap row after another, in
 * the order the kernel streams them. Taps past the kernel and channels past the group are zero (never read or
 * never stored). */
static size_t packed_count(const oclnn_deconv2d_params *p, int oc_tile) {
    phase_axis ay = axis_phases(p->kernel_h, p->stride_h, p->dilation_h);
    phase_axis ax = axis_phases(p->kernel_w, p->stride_w, p->dilation_w);
    size_t kbg = (p->out_channels / p->groups + oc_tile - 1) / oc_tile;
    return (size_t)p->groups * kbg * ay.step * ax.step * ay.nt * ax.nt * (p->in_channels / p->groups) * oc_tile;
}

static void pack_weights(const oclnn_deconv2d_params *p, int oc_tile, const float *w, float *packed) {
    phase_axis ay = axis_phases(p->kernel_h, p->stride_h, p->dilation_h);
    phase_axis ax = axis_phases(p->kernel_w, p->stride_w, p->dilation_w);
    const unsigned cg = p->in_channels / p->groups, kg = p->out_channels / p->groups, KH = p->kernel_h,
                   KW = p->kernel_w, T = (unsigned)oc_tile;
    const unsigned kbg = (kg + T - 1) / T;
    memset(packed, 0, packed_count(p, oc_tile) * sizeof(float));
    size_t o = 0;
    for (unsigned g = 0; g < p->groups; g++)
        for (unsigned kb = 0; kb < kbg; kb++)
            for (unsigned cy = 0; cy < ay.step; cy++)
                for (unsigned cx = 0; cx < ax.step; cx++)
                    for (unsigned my = 0; my < ay.nt; my++)
                        for (unsigned c = 0; c < cg; c++)
                            for (unsigned mx = 0; mx < ax.nt; mx++)
                                for (unsigned j = 0; j < T; j++, o++) {
                                    unsigned ky = cy + my * ay.step, kx = cx + mx * ax.step, kl = kb * T + j;
                                    if (ky < KH && kx < KW && kl < kg)
                                        packed[o] = w[(((size_t)(g * cg + c) * kg + kl) * KH + ky) * KW + kx];
                                }
}

static void epilogue_options(const oclnn_deconv2d *op, oclnn_opts *o) {
    const oclnn_deconv2d_params *p = &op->p;
    oclnn_opts_int(o, "HAS_BIAS", op->has_bias, 0);
    oclnn_opts_int(o, "HAS_RESIDUAL", p->residual != OCLNN_RESIDUAL_NONE, 0);
    oclnn_opts_int(o, "RESIDUAL_AFTER_ACT", p->residual == OCLNN_RESIDUAL_AFTER_ACTIVATION, 0);
    oclnn_opts_int(o, "ACT", p->activation, 0);
    if (p->activation == OCLNN_ACTIVATION_LEAKY_RELU || p->activation == OCLNN_ACTIVATION_CLIP ||
        p->activation == OCLNN_ACTIVATION_HARD_SIGMOID) {
        /* %.9e round-trips a float exactly and is a valid OpenCL C literal with the f suffix. */
        oclnn_opts_add(o, "-DACT_ALPHA=%.9ef", (double)p->activation_alpha);
        oclnn_opts_add(o, "-DACT_BETA=%.9ef", (double)p->activation_beta);
    }
}

static oclnn_status build(oclnn_deconv2d *op, const float *weights, const float *bias) {
    oclnn_context *ctx = op->ctx;
    const oclnn_deconv2d_params *p = &op->p;
    choose_tiles(p, &op->oc_tile, &op->ow_tile);
    size_t packed_n = packed_count(p, op->oc_tile), bytes;
    if (!oclnn_mul_size(packed_n, sizeof(float), &bytes) || bytes > ctx->info.max_alloc_bytes)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_DEVICE_MEMORY,
                          "deconv2d: packed weights of %zu floats exceed the device's largest allocation", packed_n);
    float *packed = oclnn_malloc(ctx->alloc, bytes);
    if (!packed) return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "deconv2d: packing %zu weights", packed_n);
    pack_weights(p, op->oc_tile, weights, packed);
    cl_int err;
    op->weights = clw_CreateBuffer(ctx->cl, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, bytes, packed, &err);
    oclnn_free(ctx->alloc, packed);
    if (!op->weights) return clw_fail(&ctx->err, err, "clCreateBuffer (deconv2d weights)");
    if (bias) {
        op->bias = clw_CreateBuffer(ctx->cl, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                                    (size_t)p->out_channels * sizeof(float), (void *)bias, &err);
        if (!op->bias) return clw_fail(&ctx->err, err, "clCreateBuffer (deconv2d bias)");
    }
    oclnn_opts o;
    oclnn_opts_init(&o);
    oclnn_opts_int(&o, "KH", p->kernel_h, DEFAULT_K);
    oclnn_opts_int(&o, "KW", p->kernel_w, DEFAULT_K);
    oclnn_opts_int(&o, "SH", p->stride_h, DEFAULT_S);
    oclnn_opts_int(&o, "SW", p->stride_w, DEFAULT_S);
    oclnn_opts_int(&o, "DH", p->dilation_h, 1);
    oclnn_opts_int(&o, "DW", p->dilation_w, 1);
    oclnn_opts_int(&o, "OC_TILE", op->oc_tile, DEFAULT_OC_TILE);
    oclnn_opts_int(&o, "OW_TILE", op->ow_tile, DEFAULT_OW_TILE);
    epilogue_options(op, &o);
    return oclnn_kernel_create(ctx, OCLNN_KERNEL_CONV2D_TRANSPOSED, o.buf, "conv2d_transposed", &op->kernel);
}

oclnn_status oclnn_deconv2d_create(oclnn_context *ctx, const oclnn_deconv2d_params *params, const float *weights,
                                   size_t weights_count, const float *bias, size_t bias_count, oclnn_deconv2d **out) {
    oclnn_errbuf *eb = ctx ? &ctx->err : NULL;
    if (!out) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "deconv2d_create: out is NULL");
    *out = NULL;
    if (!ctx || !params || !weights)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "deconv2d_create: ctx, params and weights must be set");
    oclnn_status st = validate(eb, params);
    if (st) return st;
    const oclnn_deconv2d_params *p = params;
    size_t want = (size_t)p->in_channels * (p->out_channels / p->groups) * p->kernel_h * p->kernel_w;
    if (weights_count != want)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "deconv2d: weights have %zu elements, [%u][%u][%u][%u] needs %zu", weights_count,
                          p->in_channels, p->out_channels / p->groups, p->kernel_h, p->kernel_w, want);
    if ((bias && bias_count != p->out_channels) || (!bias && bias_count))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "deconv2d: bias has %zu elements, needs %u%s",
                          bias_count, p->out_channels, bias ? "" : " (or NULL and 0)");
    oclnn_deconv2d *op = oclnn_calloc(ctx->alloc, 1, sizeof *op);
    if (!op) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating deconv2d");
    op->ctx = ctx;
    op->p = *p;
    op->has_bias = bias != NULL;
    op->state = DECONV_CREATED;
    if ((st = build(op, weights, bias))) {
        oclnn_deconv2d_destroy(op);
        return st;
    }
    *out = op;
    return OCLNN_STATUS_OK;
}

/* Output size and begin pad of one axis under the ONNX rules (see oclnn_deconv2d_params); deconv.c uses it for
 * 3-D too. Returns 0, or 1 when the pads leave no output, 2 when output_shape needs negative padding. */
int oclnn_deconv_axis_shape(size_t in, uint32_t k, uint32_t s, uint32_t d, uint32_t op, oclnn_auto_pad ap, uint32_t pb,
                            uint32_t pe, uint32_t out_shape, size_t *out, uint32_t *pad_begin) {
    size_t full = (size_t)s * (in - 1) + op + (size_t)d * (k - 1) + 1;
    size_t want;
    if (out_shape) {
        want = out_shape;
    } else if (ap == OCLNN_AUTO_PAD_SAME_UPPER || ap == OCLNN_AUTO_PAD_SAME_LOWER) {
        want = in * s; /* validate() made sure full >= want */
    } else {
        if (ap == OCLNN_AUTO_PAD_VALID) pb = pe = 0;
        if (full <= (size_t)pb + pe) return 1;
        *out = full - pb - pe;
        *pad_begin = pb;
        return 0;
    }
    if (want > full) {
        /* ONNX's total padding is then negative; its split (Python's floor division) puts -floor(deficit / 2)
         * pads at the start (ceil for SAME_UPPER). A deficit of 1 without SAME_UPPER leaves the start alone: the
         * extra last position receives no input (bias only), as output_padding would give it. Larger deficits would
         * shift the output right: not supported. */
        if (want - full > 1 || ap == OCLNN_AUTO_PAD_SAME_UPPER) return 2;
        *pad_begin = 0;
        *out = want;
        return 0;
    }
    size_t total = full - want;
    *pad_begin = (uint32_t)(ap == OCLNN_AUTO_PAD_SAME_UPPER ? total / 2 : total - total / 2);
    *out = want;
    return 0;
}

oclnn_status oclnn_deconv2d_reshape(oclnn_deconv2d *op, size_t batch, size_t height, size_t width,
                                    size_t *out_height, size_t *out_width) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "deconv2d_reshape: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    const oclnn_deconv2d_params *p = &op->p;
    if (!batch || !height || !width)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "deconv2d: input %zux%zux%zu has a zero dimension", batch,
                          height, width);
    if (batch > DECONV_MAX_EXTENT || height > DECONV_MAX_EXTENT || width > DECONV_MAX_EXTENT)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "deconv2d: input dimensions above 2^24");
    size_t oh = 0, ow = 0;
    uint32_t pt = 0, pl = 0;
    int ry = oclnn_deconv_axis_shape(height, p->kernel_h, p->stride_h, p->dilation_h, p->output_padding_h, p->auto_pad,
                                     p->pad_top, p->pad_bottom, p->output_shape_h, &oh, &pt);
    int rx = oclnn_deconv_axis_shape(width, p->kernel_w, p->stride_w, p->dilation_w, p->output_padding_w, p->auto_pad,
                                     p->pad_left, p->pad_right, p->output_shape_w, &ow, &pl);
    if (ry == 2 || rx == 2)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE,
                          "deconv2d: output_shape %ux%u is larger than the transposed convolution of a %zux%zu input "
                          "reaches by more than 1 (it would need negative pads at the start)",
                          p->output_shape_h, p->output_shape_w, height, width);
    if (ry || rx)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "deconv2d: pads %u+%u x %u+%u leave no output for a %zux%zu input",
                          p->pad_top, p->pad_bottom, p->pad_left, p->pad_right, height, width);
    size_t in_elems, out_elems;
    if (oh > DECONV_MAX_EXTENT || ow > DECONV_MAX_EXTENT || !oclnn_mul_size(batch, p->in_channels, &in_elems) ||
        !oclnn_mul_size(in_elems, height * width, &in_elems) || !oclnn_mul_size(batch, p->out_channels, &out_elems) ||
        !oclnn_mul_size(out_elems, oh * ow, &out_elems) || in_elems > INT32_MAX || out_elems > INT32_MAX)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "deconv2d: output sides above 2^24 or tensors above 2^31 elements");
    op->n = batch;
    op->h = height;
    op->w = width;
    op->oh = oh;
    op->ow = ow;
    op->pad_top = pt;
    op->pad_left = pl;
    /* dim0: SW phases x runs of tiles along one phase's columns; dim1: rows; dim2: (n, group, channel block).
     * A work-item takes a whole phase row of tiles unless that leaves too few work-items to balance the
     * compute units (CPU drivers pay per work-group, so fewer and larger ones win while all units stay busy). */
    size_t per_phase = (ow + p->stride_w - 1) / p->stride_w;
    size_t tiles = (per_phase + op->ow_tile - 1) / op->ow_tile;
    size_t kbg = (p->out_channels / p->groups + op->oc_tile - 1) / op->oc_tile;
    size_t rows = p->stride_w * oh * batch * p->groups * kbg;
    size_t want = 16 * (size_t)(op->ctx->info.compute_units ? op->ctx->info.compute_units : 1);
    size_t tpi = tiles;
    while (tpi > 1 && rows * ((tiles + tpi - 1) / tpi) < want) tpi = (tpi + 1) / 2;
    op->tiles_per_item = (int)tpi;
    op->global[0] = p->stride_w * ((tiles + tpi - 1) / tpi);
    op->global[1] = oh;
    op->global[2] = batch * p->groups * kbg;
    op->local[0] = op->local[1] = op->local[2] = 1;
    op->state = DECONV_RESHAPED;
    if (out_height) *out_height = oh;
    if (out_width) *out_width = ow;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_deconv2d_setup(oclnn_deconv2d *op, const oclnn_tensor *input, oclnn_tensor *output,
                                  size_t output_channel_offset, const oclnn_tensor *residual,
                                  size_t residual_channel_offset) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "deconv2d_setup: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    const oclnn_deconv2d_params *p = &op->p;
    if (op->state == DECONV_CREATED) return oclnn_fail(eb, OCLNN_STATUS_INVALID_STATE, "deconv2d: setup before reshape");
    oclnn_status st;
    if ((st = oclnn_check_nchw_slice(eb, "deconv2d", "input", input, op->n, 0, p->in_channels, op->h, op->w))) return st;
    if ((st = oclnn_check_nchw_slice(eb, "deconv2d", "output", output, op->n, output_channel_offset, p->out_channels, op->oh, op->ow)))
        return st;
    int has_res = p->residual != OCLNN_RESIDUAL_NONE;
    if (has_res && (st = oclnn_check_nchw_slice(eb, "deconv2d", "residual", residual, op->n, residual_channel_offset, p->out_channels,
                                      op->oh, op->ow)))
        return st;
    if (!has_res && residual)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "deconv2d: a residual tensor was given but the params ask for none");
    /* The kernel reads input while other work-items write output: the two must not share memory. */
    if (input->mem == output->mem && input->offset < output->offset + output->nbytes &&
        output->offset < input->offset + input->nbytes)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "deconv2d: input and output overlap");
    cl_mem res_mem = has_res ? residual->mem : op->weights; /* any valid buffer stands in for an unused one */
    cl_mem bias_mem = op->bias ? op->bias : op->weights;
    int in_off = (int)(input->offset / sizeof(float)), out_off = (int)(output->offset / sizeof(float));
    int res_off = has_res ? (int)(residual->offset / sizeof(float)) : 0;
    int args[] = {(int)op->n,
                  (int)p->in_channels,
                  (int)op->h,
                  (int)op->w,
                  (int)p->out_channels,
                  (int)op->oh,
                  (int)op->ow,
                  (int)op->pad_top,
                  (int)op->pad_left,
                  (int)p->groups,
                  (int)output_channel_offset,
                  (int)output->dims[1],
                  has_res ? (int)residual_channel_offset : 0,
                  has_res ? (int)residual->dims[1] : 0,
                  op->tiles_per_item};
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
    op->state = DECONV_RESHAPED; /* until every argument is set */
    if (err != CL_SUCCESS) return oclnn_fail(eb, OCLNN_STATUS_OPENCL_ERROR, "deconv2d: clSetKernelArg failed");
    op->state = DECONV_READY;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_deconv2d_enqueue(oclnn_deconv2d *op, uint32_t queue, oclnn_event **event) {
    if (event) *event = NULL;
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "deconv2d_enqueue: op is NULL");
    oclnn_context *ctx = op->ctx;
    if (op->state != DECONV_READY)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_STATE, "deconv2d: enqueue before reshape and setup");
    if (queue >= ctx->num_queues)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "deconv2d: queue %u of %u", queue, ctx->num_queues);
    cl_event ev = NULL;
    cl_int err = clw_EnqueueNDRangeKernel(ctx->queues[queue], op->kernel, 3, op->global, op->local, 0, NULL,
                                          event ? &ev : NULL);
    if (err != CL_SUCCESS) return clw_fail(&ctx->err, err, "clEnqueueNDRangeKernel (deconv2d)");
    return event ? oclnn_event_wrap(ctx, ev, event) : OCLNN_STATUS_OK;
}

void oclnn_deconv2d_destroy(oclnn_deconv2d *op) {
    if (!op) return;
    if (op->kernel) clw_ReleaseKernel(op->kernel);
    if (op->weights) clw_ReleaseMemObject(op->weights);
    if (op->bias) clw_ReleaseMemObject(op->bias);
    oclnn_free(op->ctx->alloc, op);
}
