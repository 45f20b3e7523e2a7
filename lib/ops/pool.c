/* pool.c - the rank-based pooling operator (include/oclnn_pool.h): validation and output shapes per axis, ranks 1
 * and 2 delegated to oclnn_pool2d (rank 1 through 4-D views with H = 1), rank 3 as two oclnn_pool2d passes (the
 * (H, W) window over [N, C*D, H, W] into a buffer the operator owns, then the (D, 1) window over [N, C, D, OH*OW]),
 * and the global types of every rank as 2-D global pooling over [N, C, D*H, W] views.
 */
#include <string.h>

#include "program/program.h"

enum { POOL_CREATED, POOL_RESHAPED, POOL_READY };

#define POOL_MAX_EXTENT (1u << 24) /* as pool2d.c: the kernels index with 32-bit ints */
#define POOL_MAX_WINDOW (1u << 20) /* as pool2d.c: the largest kernel, stride or dilation */

struct oclnn_pool {
    oclnn_context *ctx;
    oclnn_pool_params p;
    int is_global;
    int state;
    oclnn_pool2d *hw;      /* the (H, W) window (ranks 1 and 2: the whole window; global: the whole map) */
    oclnn_pool2d *d;       /* rank 3 windows: the depth pass */
    oclnn_tensor *scratch; /* rank 3 windows: the (H, W) pass's output [N, C*D, OH, OW] */
    oclnn_tensor *view[3]; /* 4-D views of input, output and (rank 3) the scratch as [N, C, D, OH*OW] */
    size_t n, c, in[3], out[3];
};

void oclnn_pool_params_init(oclnn_pool_params *p) {
    if (!p) return;
    memset(p, 0, sizeof *p);
    p->type = OCLNN_POOL_MAX;
    p->rank = 2;
    for (int a = 0; a < 3; a++)
        p->kernel[a] = p->stride[a] = p->dilation[a] = 1;
    p->p = 2;
}

static int is_global_type(oclnn_pool_type t) { return t == OCLNN_POOL_GLOBAL_MAX || t == OCLNN_POOL_GLOBAL_AVG; }

/* Checked here, per axis, so that messages name the axis of the caller's rank rather than a 2-D pass's. */
static oclnn_status validate(oclnn_errbuf *eb, const oclnn_pool_params *p) {
    if (p->rank < 1 || p->rank > 3)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pool: rank %u must be 1, 2 or 3", p->rank);
    if ((unsigned)p->type > OCLNN_POOL_GLOBAL_AVG)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pool: type %d is not a pooling type", (int)p->type);
    if (is_global_type(p->type)) return OCLNN_STATUS_OK;
    for (uint32_t a = 0; a < p->rank; a++) {
        if (!p->kernel[a] || !p->stride[a] || !p->dilation[a])
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                              "pool: axis %u: kernel (%u), stride (%u) and dilation (%u) must be >= 1", a, p->kernel[a],
                              p->stride[a], p->dilation[a]);
        if (p->auto_pad == OCLNN_AUTO_PAD_NOTSET && (p->pad_begin[a] >= p->kernel[a] || p->pad_end[a] >= p->kernel[a]))
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                              "pool: axis %u: pads (%u, %u) must be smaller than the kernel (%u)", a, p->pad_begin[a],
                              p->pad_end[a], p->kernel[a]);
    }
    if ((unsigned)p->auto_pad > OCLNN_AUTO_PAD_VALID)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pool: auto_pad %d out of range", (int)p->auto_pad);
    if ((p->ceil_mode != 0 && p->ceil_mode != 1) || (p->count_include_pad != 0 && p->count_include_pad != 1))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "pool: ceil_mode (%d) and count_include_pad (%d) must be 0 or 1", p->ceil_mode,
                          p->count_include_pad);
    if (p->type == OCLNN_POOL_LP && p->p == 0)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pool: Lp pooling needs p >= 1");
    if (p->type == OCLNN_POOL_LP && p->p > 2)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "pool: Lp pooling is implemented for p = 1 and 2, not %u",
                          p->p);
    for (uint32_t a = 0; a < p->rank; a++)
        if (p->kernel[a] > POOL_MAX_WINDOW || p->stride[a] > POOL_MAX_WINDOW || p->dilation[a] > POOL_MAX_WINDOW)
            return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "pool: axis %u: kernel, stride or dilation above %u", a,
                              POOL_MAX_WINDOW);
    return OCLNN_STATUS_OK;
}

/* The 2-D passes' params: @p hw gets axis @p h (or a window of 1 when h < 0) as its height and axis @p w as its
 * width; @p d (rank 3) gets depth as its height and a width of 1. */
static void axis_to_2d(const oclnn_pool_params *p, int h, int w, oclnn_pool2d_params *q) {
    oclnn_pool2d_params_init(q);
    q->type = p->type;
    q->auto_pad = p->auto_pad;
    q->ceil_mode = p->ceil_mode;
    q->count_include_pad = p->count_include_pad;
    q->p = p->p;
    if (is_global_type(p->type)) return;
    if (h >= 0) {
        q->kernel_h = p->kernel[h], q->stride_h = p->stride[h], q->dilation_h = p->dilation[h];
        q->pad_top = p->pad_begin[h], q->pad_bottom = p->pad_end[h];
    }
    if (w >= 0) {
        q->kernel_w = p->kernel[w], q->stride_w = p->stride[w], q->dilation_w = p->dilation[w];
        q->pad_left = p->pad_begin[w], q->pad_right = p->pad_end[w];
    }
}

oclnn_status oclnn_pool_create(oclnn_context *ctx, const oclnn_pool_params *params, oclnn_pool **out) {
    oclnn_errbuf *eb = ctx ? &ctx->err : NULL;
    if (!out) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pool_create: out is NULL");
    *out = NULL;
    if (!ctx || !params) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pool_create: ctx and params must be set");
    oclnn_status st = validate(eb, params);
    if (st) return st;
    oclnn_pool *op = oclnn_calloc(ctx->alloc, 1, sizeof *op);
    if (!op) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating pool");
    op->ctx = ctx;
    op->p = *params;
    op->is_global = is_global_type(params->type);
    op->state = POOL_CREATED;
    oclnn_pool2d_params q;
    int r = (int)params->rank;
    axis_to_2d(params, r - 2, r - 1, &q); /* rank 1: h = -1; rank 3: (H, W) = axes 1 and 2 */
    st = oclnn_pool2d_create(ctx, &q, &op->hw);
    if (!st && r == 3 && !op->is_global) {
        axis_to_2d(params, 0, -1, &q);
        st = oclnn_pool2d_create(ctx, &q, &op->d);
    }
    if (st) {
        oclnn_pool_destroy(op);
        return st;
    }
    *out = op;
    return OCLNN_STATUS_OK;
}

/* ONNX output size of one axis (see oclnn_pool2d_params); false when the window does not fit the padded input.
 * pool2d computes the same again; this copy lets the message name the axis. */
static bool axis_out(size_t in, uint32_t k, uint32_t s, uint32_t d, oclnn_auto_pad ap, uint32_t pb, uint32_t pe,
                     int ceil_mode, size_t *out) {
    size_t eff = (size_t)d * (k - 1) + 1;
    if (ap == OCLNN_AUTO_PAD_SAME_UPPER || ap == OCLNN_AUTO_PAD_SAME_LOWER) {
        *out = (in + s - 1) / s;
        return true;
    }
    if (ap == OCLNN_AUTO_PAD_VALID) pb = pe = 0;
    size_t padded = in + pb + pe;
    if (padded < eff) return false;
    size_t o = (padded - eff) / s + 1;
    if (ceil_mode && (padded - eff) % s && o * s < in + pb) o++; /* ONNX Runtime: no window starts in the end pad */
    *out = o;
    return true;
}

/* The scratch tensor [N, C*D, OH, OW], kept when its shape is unchanged. */
static oclnn_status ensure_scratch(oclnn_pool *op, const int64_t dims[4]) {
    if (op->scratch && !memcmp(op->scratch->dims, dims, 4 * sizeof dims[0])) return OCLNN_STATUS_OK;
    oclnn_tensor_destroy(op->scratch);
    op->scratch = NULL;
    return oclnn_tensor_create(op->ctx, OCLNN_DTYPE_F32, 4, dims, &op->scratch);
}

oclnn_status oclnn_pool_reshape(oclnn_pool *op, size_t batch, size_t channels, const size_t *in_spatial,
                                size_t *out_spatial) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "pool_reshape: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    const oclnn_pool_params *p = &op->p;
    uint32_t r = p->rank;
    if (!in_spatial) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pool_reshape: in_spatial is NULL");
    op->state = POOL_CREATED; /* until the new size is accepted */
    int zero = !batch || !channels;
    for (uint32_t a = 0; a < r; a++)
        zero |= !in_spatial[a];
    if (zero) return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "pool: the batch, channels or a spatial size is zero");
    if (batch > POOL_MAX_EXTENT || channels > POOL_MAX_EXTENT)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "pool: batch or channels above 2^24");
    size_t out[3] = {1, 1, 1};
    for (uint32_t a = 0; a < r; a++) {
        if (in_spatial[a] > POOL_MAX_EXTENT)
            return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "pool: axis %u: size %zu above 2^24", a, in_spatial[a]);
        if (!op->is_global && !axis_out(in_spatial[a], p->kernel[a], p->stride[a], p->dilation[a], p->auto_pad,
                                        p->pad_begin[a], p->pad_end[a], p->ceil_mode, &out[a]))
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE,
                              "pool: axis %u: kernel %u (dilation %u) is larger than the padded input %zu", a,
                              p->kernel[a], p->dilation[a],
                              in_spatial[a] + (p->auto_pad == OCLNN_AUTO_PAD_VALID ? 0 : p->pad_begin[a] + p->pad_end[a]));
    }
    oclnn_status st;
    size_t oh, ow, od = 1, w2 = 0;
    if (op->is_global) { /* [N, C, all axes but the last, the last] */
        size_t rows = 1;
        for (uint32_t a = 0; a + 1 < r; a++)
            if (!oclnn_mul_size(rows, in_spatial[a], &rows))
                return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "pool: tensors above 2^31 elements");
        st = oclnn_pool2d_reshape(op->hw, batch, channels, rows, in_spatial[r - 1], &oh, &ow);
    } else if (r < 3) {
        st = oclnn_pool2d_reshape(op->hw, batch, channels, r == 2 ? in_spatial[0] : 1, in_spatial[r - 1], &oh, &ow);
    } else {
        size_t cd;
        if (!oclnn_mul_size(channels, in_spatial[0], &cd))
            return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "pool: tensors above 2^31 elements");
        st = oclnn_pool2d_reshape(op->hw, batch, cd, in_spatial[1], in_spatial[2], &oh, &ow);
        if (!st) st = oclnn_pool2d_reshape(op->d, batch, channels, in_spatial[0], oh * ow, &od, &w2);
        if (!st && w2 != oh * ow) st = oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "pool: depth pass changed the width");
        if (!st) {
            int64_t sd[4] = {(int64_t)batch, (int64_t)cd, (int64_t)oh, (int64_t)ow};
            st = ensure_scratch(op, sd);
        }
    }
    if (st) return st;
    /* The 2-D passes and this file's arithmetic must agree (a mismatch is a bug here, not the caller's). */
    size_t got[3] = {r == 3 ? od : r == 2 ? oh : ow, r == 3 ? oh : ow, ow};
    if (!op->is_global)
        for (uint32_t a = 0; a < r; a++)
            if (got[a] != out[a])
                return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "pool: axis %u: the 2-D pass gives %zu, not %zu", a,
                                  got[a], out[a]);
    op->n = batch;
    op->c = channels;
    for (uint32_t a = 0; a < 3; a++) {
        op->in[a] = a < r ? in_spatial[a] : 1;
        op->out[a] = out[a];
    }
    op->state = POOL_RESHAPED;
    if (out_spatial)
        for (uint32_t a = 0; a < r; a++)
            out_spatial[a] = out[a];
    return OCLNN_STATUS_OK;
}

/* @p t must be an f32 tensor of rank + 2 dims, n x (c exactly, or >= c_off + c when wider) x @p s. */
static oclnn_status check_tensor(const oclnn_pool *op, const char *what, const oclnn_tensor *t, size_t c_off,
                                 const size_t *s, int wider) {
    oclnn_errbuf *eb = &op->ctx->err;
    uint32_t r = op->p.rank;
    if (!t) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pool: %s tensor is NULL", what);
    int ok = t->dtype == OCLNN_DTYPE_F32 && t->ndim == r + 2 && (size_t)t->dims[0] == op->n &&
             (size_t)t->dims[1] >= c_off + op->c && (wider || (size_t)t->dims[1] == op->c) &&
             t->offset % sizeof(float) == 0;
    for (uint32_t a = 0; ok && a < r; a++)
        ok = (size_t)t->dims[a + 2] == s[a];
    if (!ok)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE,
                          "pool: %s must be an f32 %u-D tensor %zu x %s%zu + %zu x %zu x %zu x %zu (the first %u spatial "
                          "sizes), got %zu-D",
                          what, r + 2, op->n, wider ? ">= " : "", c_off, op->c, s[0], s[1], s[2], r, t->ndim);
    return OCLNN_STATUS_OK;
}

/* A 4-D view of @p t into view slot @p k (replacing the previous one). */
static oclnn_status view4(oclnn_pool *op, int k, const oclnn_tensor *t, int64_t d0, int64_t d1, int64_t d2,
                          int64_t d3) {
    oclnn_tensor_destroy(op->view[k]);
    op->view[k] = NULL;
    int64_t d[4] = {d0, d1, d2, d3};
    return oclnn_tensor_view((oclnn_tensor *)t, 0, OCLNN_DTYPE_F32, 4, d, &op->view[k]);
}

oclnn_status oclnn_pool_setup(oclnn_pool *op, const oclnn_tensor *input, oclnn_tensor *output,
                              size_t output_channel_offset) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "pool_setup: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    if (op->state == POOL_CREATED) return oclnn_fail(eb, OCLNN_STATUS_INVALID_STATE, "pool: setup before reshape");
    op->state = POOL_RESHAPED; /* until the new tensors are accepted */
    oclnn_status st;
    if ((st = check_tensor(op, "input", input, 0, op->in, 0))) return st;
    if ((st = check_tensor(op, "output", output, output_channel_offset, op->out, 1))) return st;
    /* Rank 3 would run correctly (the second pass reads only the scratch), but every rank refuses alike. */
    if (input->mem == output->mem && input->offset < output->offset + output->nbytes &&
        output->offset < input->offset + input->nbytes)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pool: input and output overlap");
    uint32_t r = op->p.rank;
    int64_t n = (int64_t)op->n, c = (int64_t)op->c, ct = output->dims[1];
    const int64_t *xd = input->dims;
    if (r == 2) {
        st = oclnn_pool2d_setup(op->hw, input, output, output_channel_offset);
    } else if (op->is_global) { /* [N, C, D*H, W] (rank 1: [N, C, 1, W]) into [N, Ctot, 1, 1] */
        st = view4(op, 0, input, n, c, r == 3 ? xd[2] * xd[3] : 1, xd[r + 1]);
        if (!st) st = view4(op, 1, output, n, ct, 1, 1);
        if (!st) st = oclnn_pool2d_setup(op->hw, op->view[0], op->view[1], output_channel_offset);
    } else if (r == 1) {
        st = view4(op, 0, input, n, c, 1, xd[2]);
        if (!st) st = view4(op, 1, output, n, ct, 1, (int64_t)op->out[0]);
        if (!st) st = oclnn_pool2d_setup(op->hw, op->view[0], op->view[1], output_channel_offset);
    } else {
        int64_t oplane = (int64_t)(op->out[1] * op->out[2]);
        st = view4(op, 0, input, n, c * xd[2], xd[3], xd[4]);
        if (!st) st = view4(op, 1, output, n, ct, (int64_t)op->out[0], oplane);
        if (!st) st = view4(op, 2, op->scratch, n, c, xd[2], oplane);
        if (!st) st = oclnn_pool2d_setup(op->hw, op->view[0], op->scratch, 0);
        if (!st) st = oclnn_pool2d_setup(op->d, op->view[2], op->view[1], output_channel_offset);
    }
    if (st) return st;
    op->state = POOL_READY;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_pool_enqueue(oclnn_pool *op, uint32_t queue, oclnn_event **event) {
    if (event) *event = NULL;
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "pool_enqueue: op is NULL");
    oclnn_context *ctx = op->ctx;
    if (op->state != POOL_READY)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_STATE, "pool: enqueue before reshape and setup");
    if (queue >= ctx->num_queues)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "pool: queue %u of %u", queue, ctx->num_queues);
    if (!op->d) return oclnn_pool2d_enqueue(op->hw, queue, event);
    /* The context's queues are in order: the depth pass sees the whole (H, W) pass's output. */
    oclnn_status st = oclnn_pool2d_enqueue(op->hw, queue, NULL);
    return st ? st : oclnn_pool2d_enqueue(op->d, queue, event);
}

void oclnn_pool_destroy(oclnn_pool *op) {
    if (!op) return;
    oclnn_pool2d_destroy(op->hw);
    oclnn_pool2d_destroy(op->d);
    for (int k = 0; k < 3; k++)
        oclnn_tensor_destroy(op->view[k]);
    oclnn_tensor_destroy(op->scratch);
    oclnn_free(op->ctx->alloc, op);
}
