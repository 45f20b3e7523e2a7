/* conv2d.c - the 2-D convolution operator (ONNX Conv): parameter validation, output shapes and auto_pad,
 * algorithm choice, and the lifecycle create -> reshape -> setup -> enqueue -> destroy.
 * Each algorithm implements lib/ops/conv2d_impl.h in a file of its own (conv2d_direct.c, ...).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ops/conv2d_impl.h"

enum { CONV_CREATED, CONV_RESHAPED, CONV_READY };

/* Every algorithm, in the order the heuristic prefers them when it has no better idea. */
static const conv2d_algorithm *const algorithms[] = {
    &oclnn_conv2d_direct_algorithm,
    &oclnn_conv2d_winograd2x2_algorithm,
    &oclnn_conv2d_winograd4x4_algorithm,
    &oclnn_conv2d_gemm_algorithm,
    &oclnn_conv2d_depthwise_algorithm,
};

static const conv2d_algorithm *find_algorithm(oclnn_conv_algo a) {
    for (size_t i = 0; i < sizeof algorithms / sizeof algorithms[0]; i++)
        if (algorithms[i]->algo == a) return algorithms[i];
    return NULL;
}

void oclnn_conv_epilogue_options(oclnn_opts *o, int has_bias, oclnn_residual residual, oclnn_activation act,
                                 float alpha, float beta) {
    oclnn_opts_int(o, "HAS_BIAS", has_bias, 0);
    oclnn_opts_int(o, "HAS_RESIDUAL", residual != OCLNN_RESIDUAL_NONE, 0);
    oclnn_opts_int(o, "RESIDUAL_AFTER_ACT", residual == OCLNN_RESIDUAL_AFTER_ACTIVATION, 0);
    oclnn_opts_int(o, "ACT", act, 0);
    if (act == OCLNN_ACTIVATION_LEAKY_RELU || act == OCLNN_ACTIVATION_CLIP || act == OCLNN_ACTIVATION_HARD_SIGMOID) {
        oclnn_opts_float(o, "ACT_ALPHA", alpha);
        oclnn_opts_float(o, "ACT_BETA", beta);
    }
}

void oclnn_conv2d_epilogue_options(const oclnn_conv2d *op, oclnn_opts *o) {
    const oclnn_conv2d_params *p = &op->p;
    oclnn_conv_epilogue_options(o, op->has_bias, p->residual, p->activation, p->activation_alpha, p->activation_beta);
}

static const char *const algo_names[] = {
#define X(name, str) str,
    OCLNN_CONV_ALGO_LIST(X)
#undef X
};

const char *oclnn_conv_algo_name(oclnn_conv_algo a) {
    return (unsigned)a < OCLNN_CONV_ALGO_COUNT_ ? algo_names[a] : "unknown";
}

int oclnn_conv_algo_parse(const char *name, oclnn_conv_algo *algo) {
    for (int i = 0; name && i < OCLNN_CONV_ALGO_COUNT_; i++)
        if (strcasecmp(name, algo_names[i]) == 0) {
            *algo = (oclnn_conv_algo)i;
            return 0;
        }
    return -1;
}

void oclnn_conv2d_params_init(oclnn_conv2d_params *p) {
    if (!p) return;
    memset(p, 0, sizeof *p);
    p->in_channels = p->out_channels = 1;
    p->groups = 1;
    p->kernel_h = p->kernel_w = 1;
    p->stride_h = p->stride_w = 1;
    p->dilation_h = p->dilation_w = 1;
    p->activation_alpha = 0.01f;
}

/* The kernels index with 32-bit ints; larger extents are refused rather than wrapped. */
#define CONV_MAX_EXTENT (1u << 24)
#define CONV_MAX_KERNEL 64u

/* Rules every algorithm shares; the message names the rule that fails. */
static oclnn_status validate(oclnn_errbuf *eb, const oclnn_conv2d_params *p) {
    if (!p->in_channels || !p->out_channels || !p->groups)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "conv2d: in_channels (%u), out_channels (%u) and group (%u) must be >= 1",
                          p->in_channels, p->out_channels, p->groups);
    if (p->in_channels % p->groups || p->out_channels % p->groups)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "conv2d: group (%u) must divide in_channels (%u) and out_channels (%u)", p->groups,
                          p->in_channels, p->out_channels);
    if (!p->kernel_h || !p->kernel_w)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "conv2d: kernel size %ux%u must be >= 1", p->kernel_h, p->kernel_w);
    if (!p->stride_h || !p->stride_w)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "conv2d: stride %ux%u must be >= 1", p->stride_h, p->stride_w);
    if (!p->dilation_h || !p->dilation_w)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "conv2d: dilation %ux%u must be >= 1", p->dilation_h,
                          p->dilation_w);
    if ((unsigned)p->activation > OCLNN_ACTIVATION_HARD_SWISH || (unsigned)p->residual > OCLNN_RESIDUAL_AFTER_ACTIVATION ||
        (unsigned)p->auto_pad > OCLNN_AUTO_PAD_VALID || (unsigned)p->algo >= OCLNN_CONV_ALGO_COUNT_)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "conv2d: activation, residual, auto_pad or algo out of range");
    if ((p->activation == OCLNN_ACTIVATION_LEAKY_RELU || p->activation == OCLNN_ACTIVATION_HARD_SIGMOID) &&
        (isnan(p->activation_alpha) || isnan(p->activation_beta)))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "conv2d: activation parameters must not be NaN");
    if (p->activation == OCLNN_ACTIVATION_CLIP && !(p->activation_alpha <= p->activation_beta))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "conv2d: Clip needs min (%g) <= max (%g)",
                          (double)p->activation_alpha, (double)p->activation_beta);
    if (p->in_channels > CONV_MAX_EXTENT || p->out_channels > CONV_MAX_EXTENT || p->kernel_h > CONV_MAX_KERNEL ||
        p->kernel_w > CONV_MAX_KERNEL || p->stride_h > CONV_MAX_KERNEL || p->stride_w > CONV_MAX_KERNEL ||
        p->dilation_h > CONV_MAX_KERNEL || p->dilation_w > CONV_MAX_KERNEL || p->pad_top > CONV_MAX_EXTENT ||
        p->pad_left > CONV_MAX_EXTENT || p->pad_bottom > CONV_MAX_EXTENT || p->pad_right > CONV_MAX_EXTENT)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED,
                          "conv2d: channels or pads above 2^24, or kernel, stride or dilation above %u", CONV_MAX_KERNEL);
    return OCLNN_STATUS_OK;
}

/* Device-independent part of the query: the public API has no device, so it asks about the default one. */
static int supported_on(const oclnn_device_info *dev, const oclnn_conv2d_params *p, oclnn_conv_algo algo,
                        const char **why) {
    static _Thread_local oclnn_errbuf scratch; /* only the status matters here */
    *why = NULL;
    if (!p || validate(&scratch, p) != OCLNN_STATUS_OK) {
        *why = "the parameters are invalid";
        return 0;
    }
    if (algo == OCLNN_CONV_ALGO_AUTO) return 1;
    const conv2d_algorithm *a = find_algorithm(algo);
    if (!a) {
        *why = "this algorithm is not available";
        return 0;
    }
    return a->supported(dev, p, why);
}

int oclnn_conv2d_supported(const oclnn_conv2d_params *p, oclnn_conv_algo algo, const char **why) {
    const char *reason;
    oclnn_device_info dev;
    memset(&dev, 0, sizeof dev);
    oclnn_device_select(NULL, &dev); /* without a device, rules that depend on it use zeroed capabilities */
    int ok = supported_on(&dev, p, algo, &reason);
    if (why) *why = reason;
    return ok;
}

static oclnn_status choose_algo(oclnn_context *ctx, const oclnn_conv2d_params *p, const conv2d_algorithm **out) {
    oclnn_conv_algo a = p->algo;
    const char *env = getenv("OCLNN_CONV_ALGO");
    if (a == OCLNN_CONV_ALGO_AUTO && env && *env) {
        if (oclnn_conv_algo_parse(env, &a))
            return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "OCLNN_CONV_ALGO='%s' names no algorithm", env);
    }
    const char *why = NULL;
    if (!supported_on(&ctx->info, p, a, &why))
        return oclnn_fail(&ctx->err, OCLNN_STATUS_UNSUPPORTED, "conv2d: algorithm %s cannot run this convolution: %s",
                          oclnn_conv_algo_name(a), why);
    if (a != OCLNN_CONV_ALGO_AUTO) {
        *out = find_algorithm(a);
        return OCLNN_STATUS_OK;
    }
    /* Winograd F(4x4,3x3) for 3x3 stride-1 single-group convolutions with at least 32 input and output channels.
     * bench_conv2d on POCL (2 AVX2 cores, a loaded shared machine, medians of 10 interleaved runs, ReLU, batch 1):
     *   3x3 256->256 @56: direct 189.8 ms, winograd2x2 59.6 ms, winograd4x4 44.7 ms
     *   3x3 64->64 @224:  direct 233.1 ms, winograd2x2 179.2 ms, winograd4x4 119.6 ms
     *   3x3 512->512 @28: direct 271.8 ms, winograd2x2 72.9 ms, winograd4x4 50.6 ms
     *   3x3 32->32 @112:  direct 6.0 ms,   winograd2x2 5.2 ms,  winograd4x4 4.3 ms
     *   3x3 16->16 @112:  direct 2.8 ms,   winograd2x2 6.4 ms,  winograd4x4 4.0 ms (transforms dominate)
     * F(2x2) never beat F(4x4), so AUTO does not pick it; it stays for its tighter accuracy (see tests/test_conv2d.c). */
    if (p->in_channels >= 32 && p->out_channels >= 32 &&
        oclnn_conv2d_winograd4x4_algorithm.supported(&ctx->info, p, &why)) {
        *out = &oclnn_conv2d_winograd4x4_algorithm;
        return OCLNN_STATUS_OK;
    }
    /* 1x1, stride 1, unpadded, one group: one GEMM per image on the input as it lies, on GPUs. On CPU devices the
     * direct kernel wins: POCL 3.1 on a 2-core AVX-512 EPYC (oclnn-bench-conv, medians of 10, load ~2.3), ms direct
     * vs gemm: ResNet's 256->64 @56 1.90 vs 6.08, 64->256 @56 2.46 vs 3.63, 1024->256 @14 1.52 vs 2.93, 512->2048
     * @7 2.86 vs 3.07; PP-OCRv4's 16->32 @320 3.3 vs 21.6, 48->48 @160 2.3 vs 29.1, 192->192 @40 1.5 vs 3.7. (An
     * earlier, heavily loaded AVX2 EPYC measured gemm ahead on 256->64 @56: 1.41 vs 4.27 ms.) GPUs are untuned. */
    if (ctx->info.type == OCLNN_DEVICE_TYPE_GPU && p->kernel_h == 1 && p->kernel_w == 1 && p->stride_h == 1 && p->stride_w == 1 && p->groups == 1 &&
        (p->auto_pad != OCLNN_AUTO_PAD_NOTSET || !(p->pad_top | p->pad_left | p->pad_bottom | p->pad_right)) &&
        oclnn_conv2d_gemm_algorithm.supported(&ctx->info, p, &why)) {
        *out = &oclnn_conv2d_gemm_algorithm;
        return OCLNN_STATUS_OK;
    }
    /* Depthwise (groups == in_channels) with a channel multiplier up to 4: the row-vectorised depthwise kernel.
     * bench/bench_depthwise.c on POCL 3.1 (2-core AVX2 EPYC, shared and loaded, load average ~2.5; medians of 30
     * interleaved runs, bias + activation; ms direct -> depthwise):
     *   MobileNetV2 3x3 s1 144ch @56:  3.52 -> 0.69     MobileNetV2 3x3 s2 96ch @112: 1.69 -> 1.20
     *   5x5 s1 240ch @40:              4.34 -> 1.19     5x5 s2 120ch @80:             2.46 -> 0.91
     *   3x3 s1 960ch @7:               0.27 -> 0.13     3x3 s1 32ch x2 @112:          2.74 -> 0.73
     *   3x3 s1 32ch x4 @56:            0.68 -> 0.41
     * From multiplier 8 on, the direct kernel's channel vectors are full, and that case stays with it (unmeasured). */
    if (p->groups == p->in_channels && p->out_channels / p->in_channels <= 4 &&
        oclnn_conv2d_depthwise_algorithm.supported(&ctx->info, p, &why)) {
        *out = &oclnn_conv2d_depthwise_algorithm;
        return OCLNN_STATUS_OK;
    }
    /* Otherwise the first algorithm in preference order that supports the configuration. */
    for (size_t i = 0; i < sizeof algorithms / sizeof algorithms[0]; i++)
        if (algorithms[i]->supported(&ctx->info, p, &why)) {
            *out = algorithms[i];
            return OCLNN_STATUS_OK;
        }
    return oclnn_fail(&ctx->err, OCLNN_STATUS_UNSUPPORTED, "conv2d: no algorithm supports this convolution");
}

oclnn_status oclnn_conv2d_create(oclnn_context *ctx, const oclnn_conv2d_params *params, const float *weights,
                                 size_t weights_count, const float *bias, size_t bias_count, oclnn_conv2d **out) {
    oclnn_errbuf *eb = ctx ? &ctx->err : NULL;
    if (!out) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "conv2d_create: out is NULL");
    *out = NULL;
    if (!ctx || !params || !weights)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "conv2d_create: ctx, params and weights must be set");
    oclnn_status st = validate(eb, params);
    if (st) return st;
    size_t want = (size_t)params->out_channels * (params->in_channels / params->groups) * params->kernel_h *
                  params->kernel_w;
    if (weights_count != want)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "conv2d: weights have %zu elements, [%u][%u][%u][%u] needs %zu", weights_count,
                          params->out_channels, params->in_channels / params->groups, params->kernel_h,
                          params->kernel_w, want);
    if ((bias && bias_count != params->out_channels) || (!bias && bias_count))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "conv2d: bias has %zu elements, needs %u%s", bias_count,
                          params->out_channels, bias ? "" : " (or NULL and 0)");
    oclnn_conv2d *op = oclnn_calloc(ctx->alloc, 1, sizeof *op);
    if (!op) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating conv2d");
    op->ctx = ctx;
    op->p = *params;
    op->has_bias = bias != NULL;
    if ((st = choose_algo(ctx, params, &op->impl_fns))) goto fail;
    op->algo = op->impl_fns->algo;
    if ((st = op->impl_fns->create(op, weights, bias))) goto fail;
    op->state = CONV_CREATED;
    *out = op;
    return OCLNN_STATUS_OK;
fail:
    oclnn_conv2d_destroy(op);
    return st;
}

/* ONNX output size and pads for one spatial axis; false when the kernel does not fit the padded input. */
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

oclnn_status oclnn_conv2d_reshape(oclnn_conv2d *op, size_t batch, size_t height, size_t width, size_t *out_height,
                                  size_t *out_width) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "conv2d_reshape: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    const oclnn_conv2d_params *p = &op->p;
    if (!batch || !height || !width)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "conv2d: input %zux%zux%zu has a zero dimension", batch, height, width);
    if (batch > CONV_MAX_EXTENT || height > CONV_MAX_EXTENT || width > CONV_MAX_EXTENT)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "conv2d: input dimensions above 2^24");
    size_t oh, ow;
    uint32_t pt, pl;
    if (!axis_shape(height, p->kernel_h, p->stride_h, p->dilation_h, p->auto_pad, p->pad_top, p->pad_bottom, &oh, &pt) ||
        !axis_shape(width, p->kernel_w, p->stride_w, p->dilation_w, p->auto_pad, p->pad_left, p->pad_right, &ow, &pl))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE,
                          "conv2d: kernel %ux%u (dilation %ux%u) is larger than the padded input %zux%zu", p->kernel_h,
                          p->kernel_w, p->dilation_h, p->dilation_w, height + p->pad_top + p->pad_bottom,
                          width + p->pad_left + p->pad_right);
    /* Every element index must fit the kernels' 32-bit arithmetic. */
    size_t in_elems, out_elems;
    if (!oclnn_mul_size(batch, p->in_channels, &in_elems) || !oclnn_mul_size(in_elems, height * width, &in_elems) ||
        !oclnn_mul_size(batch, p->out_channels, &out_elems) || !oclnn_mul_size(out_elems, oh * ow, &out_elems) ||
        in_elems > INT32_MAX || out_elems > INT32_MAX)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "conv2d: tensors above 2^31 elements");
    op->n = batch;
    op->h = height;
    op->w = width;
    op->oh = oh;
    op->ow = ow;
    op->pad_top = pt;
    op->pad_left = pl;
    op->state = CONV_CREATED; /* until the algorithm accepts the new size */
    oclnn_status st = op->impl_fns->reshape(op);
    if (st) return st;
    op->state = CONV_RESHAPED;
    if (out_height) *out_height = oh;
    if (out_width) *out_width = ow;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_check_nchw_slice(oclnn_errbuf *eb, const char *op, const char *what, const oclnn_tensor *t,
                                    size_t n, size_t c_off, size_t c, size_t h, size_t w) {
    if (!t) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "%s: %s tensor is NULL", op, what);
    if (t->dtype != OCLNN_DTYPE_F32 || t->ndim != 4 || (size_t)t->dims[0] != n || (size_t)t->dims[2] != h ||
        (size_t)t->dims[3] != w || (size_t)t->dims[1] < c_off + c || t->offset % sizeof(float))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE,
                          "%s: %s must be f32 %zu x (>= %zu + %zu) x %zu x %zu, got %zu-D %lld x %lld x %lld x %lld",
                          op, what, n, c_off, c, h, w, t->ndim, (long long)t->dims[0],
                          (long long)(t->ndim > 1 ? t->dims[1] : 0), (long long)(t->ndim > 2 ? t->dims[2] : 0),
                          (long long)(t->ndim > 3 ? t->dims[3] : 0));
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_conv2d_setup(oclnn_conv2d *op, const oclnn_tensor *input, oclnn_tensor *output,
                                size_t output_channel_offset, const oclnn_tensor *residual,
                                size_t residual_channel_offset) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "conv2d_setup: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    const oclnn_conv2d_params *p = &op->p;
    if (op->state == CONV_CREATED) return oclnn_fail(eb, OCLNN_STATUS_INVALID_STATE, "conv2d: setup before reshape");
    oclnn_status st;
    if ((st = oclnn_check_nchw_slice(eb, "conv2d", "input", input, op->n, 0, p->in_channels, op->h, op->w))) return st;
    if ((st = oclnn_check_nchw_slice(eb, "conv2d", "output", output, op->n, output_channel_offset, p->out_channels, op->oh, op->ow)))
        return st;
    int has_res = p->residual != OCLNN_RESIDUAL_NONE;
    if (has_res && (st = oclnn_check_nchw_slice(eb, "conv2d", "residual", residual, op->n, residual_channel_offset, p->out_channels,
                                      op->oh, op->ow)))
        return st;
    if (!has_res && residual)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "conv2d: a residual tensor was given but the params ask for none");
    /* The kernel reads input while other work-items write output: the two must not share memory. */
    if (input->mem == output->mem && input->offset < output->offset + output->nbytes &&
        output->offset < input->offset + input->nbytes)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "conv2d: input and output overlap");
    conv2d_binding bd = {input->mem,
                         output->mem,
                         has_res ? residual->mem : NULL,
                         input->offset / sizeof(float),
                         output->offset / sizeof(float),
                         has_res ? residual->offset / sizeof(float) : 0,
                         output_channel_offset,
                         (size_t)output->dims[1],
                         has_res ? residual_channel_offset : 0,
                         has_res ? (size_t)residual->dims[1] : 0};
    for (int k = 0; op->ws_lent && k < OCLNN_CONV2D_WS_SLOTS; k++)
        if (op->ws_need[k] && (!op->ws[k] || op->ws_bytes[k] < op->ws_need[k]))
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_STATE,
                              "conv2d: workspace %d needs %zu bytes and %zu were lent (lend them after reshape)", k,
                              op->ws_need[k], op->ws[k] ? op->ws_bytes[k] : (size_t)0);
    op->state = CONV_RESHAPED;
    if ((st = op->impl_fns->setup(op, &bd))) return st;
    op->state = CONV_READY;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_conv2d_enqueue(oclnn_conv2d *op, uint32_t queue, oclnn_event **event) {
    if (event) *event = NULL;
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "conv2d_enqueue: op is NULL");
    oclnn_context *ctx = op->ctx;
    if (op->state != CONV_READY)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_STATE, "conv2d: enqueue before reshape and setup");
    if (queue >= ctx->num_queues)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "conv2d: queue %u of %u", queue, ctx->num_queues);
    cl_event ev = NULL;
    oclnn_status st = op->impl_fns->enqueue(op, ctx->queues[queue], event ? &ev : NULL);
    if (st) return st;
    return event ? oclnn_event_wrap(ctx, ev, event) : OCLNN_STATUS_OK;
}

oclnn_conv_algo oclnn_conv2d_algo(const oclnn_conv2d *op) { return op ? op->algo : OCLNN_CONV_ALGO_AUTO; }

void oclnn_conv2d_borrow_workspaces(oclnn_conv2d *op) {
    if (op) op->ws_lent = 1;
}

void oclnn_conv2d_workspace_need(const oclnn_conv2d *op, size_t need[OCLNN_CONV2D_WS_SLOTS]) {
    for (int k = 0; k < OCLNN_CONV2D_WS_SLOTS; k++)
        need[k] = op && op->ws_lent ? op->ws_need[k] : 0;
}

void oclnn_conv2d_lend_workspaces(oclnn_conv2d *op, const cl_mem ws[OCLNN_CONV2D_WS_SLOTS],
                                  const size_t bytes[OCLNN_CONV2D_WS_SLOTS]) {
    if (!op || !op->ws_lent) return;
    for (int k = 0; k < OCLNN_CONV2D_WS_SLOTS; k++) {
        if (ws[k] == op->ws[k]) {
            op->ws_bytes[k] = ws[k] ? bytes[k] : 0;
            continue;
        }
        if (ws[k]) clw_RetainMemObject(ws[k]);
        if (op->ws[k]) clw_ReleaseMemObject(op->ws[k]);
        op->ws[k] = ws[k];
        op->ws_bytes[k] = ws[k] ? bytes[k] : 0;
    }
}

void oclnn_conv2d_destroy(oclnn_conv2d *op) {
    if (!op) return;
    if (op->impl_fns) op->impl_fns->destroy(op);
    for (int k = 0; k < OCLNN_CONV2D_WS_SLOTS; k++)
        if (op->ws[k]) clw_ReleaseMemObject(op->ws[k]);
    oclnn_free(op->ctx->alloc, op);
}
