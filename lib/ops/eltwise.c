/* eltwise.c - the elementwise operators on cl/eltwise.cl: standalone activations (and Identity), binary ops with
 * ONNX multidirectional broadcasting, and PRelu (a binary op whose second operand is the constant slope). Also
 * the helpers of eltwise_impl.h that batchnorm.c shares.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ops/eltwise_impl.h"

/* ---- shared helpers (eltwise_impl.h) ---- */

void oclnn_elt_opts_int(oclnn_opts *o, const char *name, long v, long dflt) {
    if (v != dflt) oclnn_opts_add(o, "-D%s=%ld", name, v);
}

const char *oclnn_elt_shape_str(const elt_shape *s, char *buf, size_t cap) {
    size_t len = 0;
    buf[0] = 0;
    len += (size_t)snprintf(buf, cap, "[");
    for (size_t i = 0; i < s->ndim && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%lld", i ? "," : "", (long long)s->d[i]);
    if (len < cap) snprintf(buf + len, cap - len, "]");
    return buf;
}

oclnn_status oclnn_elt_shape_set(oclnn_errbuf *eb, const char *who, size_t ndim, const int64_t *dims, elt_shape *out) {
    if (ndim < 1 || ndim > OCLNN_KERNEL_MAX_DIMS || !dims)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "%s: rank must be 1 to %d, got %zu", who, OCLNN_KERNEL_MAX_DIMS, ndim);
    size_t count = 1;
    for (size_t i = 0; i < ndim; i++) {
        if (dims[i] < 1)
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "%s: dimension %zu is %lld, must be >= 1", who, i,
                              (long long)dims[i]);
        if ((uint64_t)dims[i] > ELT_MAX_INDEX || !oclnn_mul_size(count, (size_t)dims[i], &count) ||
            count > ELT_MAX_INDEX)
            return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "%s: tensors of 2^31 elements or more", who);
    }
    out->ndim = ndim;
    memset(out->d, 0, sizeof out->d);
    memcpy(out->d, dims, ndim * sizeof *dims);
    out->count = count;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_elt_check_activation(oclnn_errbuf *eb, const char *who, oclnn_activation act, float alpha,
                                        float beta) {
    if ((unsigned)act > OCLNN_ACTIVATION_HARD_SWISH)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "%s: activation %d out of range", who, (int)act);
    if (act == OCLNN_ACTIVATION_CLIP && !(alpha <= beta))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "%s: Clip needs min (%g) <= max (%g)", who, (double)alpha,
                          (double)beta);
    if ((act == OCLNN_ACTIVATION_LEAKY_RELU || act == OCLNN_ACTIVATION_HARD_SIGMOID) &&
        !(isfinite(alpha) && isfinite(beta)))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "%s: activation alpha (%g) and beta (%g) must be finite",
                          who, (double)alpha, (double)beta);
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_elt_check_tensor(oclnn_errbuf *eb, const char *who, const char *what, const oclnn_tensor *t,
                                    const elt_shape *s) {
    if (!t) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "%s: %s tensor is NULL", who, what);
    int ok = t->dtype == OCLNN_DTYPE_F32 && t->ndim == s->ndim && t->offset % sizeof(float) == 0;
    for (size_t i = 0; ok && i < s->ndim; i++) ok = t->dims[i] == s->d[i];
    if (!ok) {
        char want[96], got[96];
        elt_shape g = {t->ndim, {0}, 0};
        memcpy(g.d, t->dims, t->ndim * sizeof *t->dims);
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "%s: %s must be f32 %s, got %s %s", who, what,
                          oclnn_elt_shape_str(s, want, sizeof want), t->dtype == OCLNN_DTYPE_F32 ? "f32" : "f16",
                          oclnn_elt_shape_str(&g, got, sizeof got));
    }
    if (t->offset / sizeof(float) + s->count > ELT_MAX_INDEX)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "%s: %s ends beyond element 2^31 of its buffer", who, what);
    return OCLNN_STATUS_OK;
}

int oclnn_elt_overlap(const oclnn_tensor *a, const oclnn_tensor *b) {
    return a->mem == b->mem && a->offset < b->offset + b->nbytes && b->offset < a->offset + a->nbytes;
}

int oclnn_elt_same_elements(const oclnn_tensor *a, const oclnn_tensor *b) {
    return a->mem == b->mem && a->offset == b->offset && a->nbytes == b->nbytes;
}

oclnn_status oclnn_elt_check_inout(oclnn_errbuf *eb, const char *who, const oclnn_tensor *in, const oclnn_tensor *out,
                                   const elt_shape *s) {
    oclnn_status st;
    if ((st = oclnn_elt_check_tensor(eb, who, "input", in, s))) return st;
    if ((st = oclnn_elt_check_tensor(eb, who, "output", out, s))) return st;
    /* In place works because every element is read and then written by the same work-item; a shifted overlap
     * would let one work-item overwrite what another has yet to read. */
    if (oclnn_elt_overlap(in, out) && !oclnn_elt_same_elements(in, out))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "%s: input and output overlap without being the same elements", who);
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_elt_kernel(oclnn_context *ctx, int act, int op, const char *name, cl_kernel *out) {
    oclnn_opts o;
    oclnn_opts_init(&o);
    oclnn_elt_opts_int(&o, "ACT", act, 0);
    oclnn_elt_opts_int(&o, "OP", op, 0);
    return oclnn_kernel_create(ctx, OCLNN_KERNEL_ELTWISE, o.buf, name, out);
}

void oclnn_elt_flat_range(size_t elems, size_t batches, size_t global[2], size_t local[2]) {
    size_t per_group = (size_t)ELT_LOCAL * ELT_ELEMS_PER_ITEM;
    global[0] = (elems + per_group - 1) / per_group * ELT_LOCAL;
    global[1] = batches;
    local[0] = ELT_LOCAL;
    local[1] = 1;
}

void oclnn_elt_arg_mem(elt_args *a, cl_mem m) {
    cl_int e = clw_SetKernelArg(a->k, a->i++, sizeof m, &m);
    if (a->err == CL_SUCCESS) a->err = e;
}

void oclnn_elt_arg_int(elt_args *a, size_t v) {
    int x = (int)v;
    cl_int e = clw_SetKernelArg(a->k, a->i++, sizeof x, &x);
    if (a->err == CL_SUCCESS) a->err = e;
}

void oclnn_elt_arg_float(elt_args *a, float v) {
    cl_int e = clw_SetKernelArg(a->k, a->i++, sizeof v, &v);
    if (a->err == CL_SUCCESS) a->err = e;
}

oclnn_status oclnn_elt_args_done(const elt_args *a, oclnn_errbuf *eb, const char *who) {
    if (a->err == CL_SUCCESS) return OCLNN_STATUS_OK;
    char what[96];
    snprintf(what, sizeof what, "clSetKernelArg (%s, argument %u)", who, a->i);
    return clw_fail(eb, a->err, what);
}

oclnn_status oclnn_elt_check_enqueue(oclnn_context *ctx, const char *who, int state, uint32_t queue) {
    if (state != ELT_READY)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_STATE, "%s: enqueue before reshape and setup", who);
    if (queue >= ctx->num_queues)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "%s: queue %u of %u", who, queue, ctx->num_queues);
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_elt_launch(oclnn_context *ctx, uint32_t queue, cl_kernel k, cl_uint dims, const size_t *global,
                              const size_t *local, oclnn_event **event, const char *who) {
    cl_event ev = NULL;
    cl_int err = clw_EnqueueNDRangeKernel(ctx->queues[queue], k, dims, global, local, 0, NULL, event ? &ev : NULL);
    if (err != CL_SUCCESS) {
        char what[96];
        snprintf(what, sizeof what, "clEnqueueNDRangeKernel (%s)", who);
        return clw_fail(&ctx->err, err, what);
    }
    return event ? oclnn_event_wrap(ctx, ev, event) : OCLNN_STATUS_OK;
}

/* ---- unary activations ---- */

struct oclnn_unary {
    oclnn_context *ctx;
    oclnn_unary_params p;
    cl_kernel kernel; /* NULL for Identity, which copies buffers instead */
    elt_shape shape;
    int state;
    /* Identity's binding: a buffer copy, or nothing when in place. */
    cl_mem in_mem, out_mem;
    size_t in_byte, out_byte;
    size_t global[2], local[2];
};

void oclnn_unary_params_init(oclnn_unary_params *p) {
    if (!p) return;
    memset(p, 0, sizeof *p);
    p->alpha = 0.01f;
}

oclnn_status oclnn_unary_create(oclnn_context *ctx, const oclnn_unary_params *params, oclnn_unary **out) {
    oclnn_errbuf *eb = ctx ? &ctx->err : NULL;
    if (!out) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "unary_create: out is NULL");
    *out = NULL;
    if (!ctx || !params) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "unary_create: ctx and params must be set");
    oclnn_status st = oclnn_elt_check_activation(eb, "unary", params->activation, params->alpha, params->beta);
    if (st) return st;
    oclnn_unary *op = oclnn_calloc(ctx->alloc, 1, sizeof *op);
    if (!op) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating unary");
    op->ctx = ctx;
    op->p = *params;
    if (params->activation != OCLNN_ACTIVATION_NONE &&
        (st = oclnn_elt_kernel(ctx, params->activation, 0, "eltwise_unary", &op->kernel))) {
        oclnn_unary_destroy(op);
        return st;
    }
    op->state = ELT_CREATED;
    *out = op;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_unary_reshape(oclnn_unary *op, size_t ndim, const int64_t *dims) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "unary_reshape: op is NULL");
    oclnn_status st = oclnn_elt_shape_set(&op->ctx->err, "unary", ndim, dims, &op->shape);
    op->state = ELT_CREATED; /* a failed reshape leaves no stale binding usable */
    if (st) return st;
    oclnn_elt_flat_range(op->shape.count, 1, op->global, op->local);
    op->state = ELT_RESHAPED;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_unary_setup(oclnn_unary *op, const oclnn_tensor *input, oclnn_tensor *output) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "unary_setup: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    if (op->state == ELT_CREATED) return oclnn_fail(eb, OCLNN_STATUS_INVALID_STATE, "unary: setup before reshape");
    oclnn_status st = oclnn_elt_check_inout(eb, "unary", input, output, &op->shape);
    if (st) return st;
    op->state = ELT_RESHAPED;
    op->in_mem = input->mem;
    op->out_mem = output->mem;
    op->in_byte = input->offset;
    op->out_byte = output->offset;
    if (op->kernel) {
        elt_args a = {op->kernel, 0, CL_SUCCESS};
        oclnn_elt_arg_mem(&a, input->mem);
        oclnn_elt_arg_int(&a, input->offset / sizeof(float));
        oclnn_elt_arg_mem(&a, output->mem);
        oclnn_elt_arg_int(&a, output->offset / sizeof(float));
        oclnn_elt_arg_int(&a, op->shape.count);
        oclnn_elt_arg_float(&a, op->p.alpha);
        oclnn_elt_arg_float(&a, op->p.beta);
        if ((st = oclnn_elt_args_done(&a, eb, "unary"))) return st;
    }
    op->state = ELT_READY;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_unary_enqueue(oclnn_unary *op, uint32_t queue, oclnn_event **event) {
    if (event) *event = NULL;
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "unary_enqueue: op is NULL");
    oclnn_context *ctx = op->ctx;
    oclnn_status st = oclnn_elt_check_enqueue(ctx, "unary", op->state, queue);
    if (st) return st;
    if (op->kernel) return oclnn_elt_launch(ctx, queue, op->kernel, 1, op->global, op->local, event, "unary");
    /* Identity: in place there is nothing to do, but a caller who asks for an event still gets one. */
    cl_event ev = NULL;
    cl_int err;
    if (op->in_mem == op->out_mem && op->in_byte == op->out_byte) {
        if (!event) return OCLNN_STATUS_OK;
        err = clw_EnqueueMarker(ctx->queues[queue], 0, NULL, &ev);
    } else {
        err = clw_EnqueueCopyBuffer(ctx->queues[queue], op->in_mem, op->out_mem, op->in_byte, op->out_byte,
                                    op->shape.count * sizeof(float), 0, NULL, event ? &ev : NULL);
    }
    if (err != CL_SUCCESS) return clw_fail(&ctx->err, err, "clEnqueueCopyBuffer (identity)");
    return event ? oclnn_event_wrap(ctx, ev, event) : OCLNN_STATUS_OK;
}

void oclnn_unary_destroy(oclnn_unary *op) {
    if (!op) return;
    if (op->kernel) clw_ReleaseKernel(op->kernel);
    oclnn_free(op->ctx->alloc, op);
}

/* ---- binary core: broadcasting plan and kernels, shared by Binary and PRelu ---- */

enum { PATH_SAME, PATH_BCAST };
#define OP_PRELU 6

typedef struct bin_core {
    oclnn_context *ctx;
    const char *who;
    float alpha, beta;
    cl_kernel k_same, k_bcast;
    elt_shape a, b, out; /* as reshaped (unpadded) */
    /* The plan made at reshape. Padded to 5 dims on the left. */
    int path;
    size_t pa[5], pb[5], po[5];
    cl_kernel active;
    cl_uint work_dim;
    size_t global[3], local[3];
} bin_core;

static oclnn_status core_create(bin_core *c, oclnn_context *ctx, const char *who, int op, int act, float alpha,
                                float beta) {
    c->ctx = ctx;
    c->who = who;
    c->alpha = alpha;
    c->beta = beta;
    oclnn_status st;
    if ((st = oclnn_elt_kernel(ctx, act, op, "eltwise_binary_same", &c->k_same))) return st;
    return oclnn_elt_kernel(ctx, act, op, "eltwise_binary_bcast", &c->k_bcast);
}

static void core_destroy(bin_core *c) {
    if (c->k_same) clw_ReleaseKernel(c->k_same);
    if (c->k_bcast) clw_ReleaseKernel(c->k_bcast);
}

static void pad5(const elt_shape *s, size_t p[5]) {
    for (size_t i = 0; i < 5; i++) p[i] = i < 5 - s->ndim ? 1 : (size_t)s->d[i - (5 - s->ndim)];
}

static int same5(const size_t x[5], const size_t y[5]) {
    for (int i = 0; i < 5; i++)
        if (x[i] != y[i]) return 0;
    return 1;
}

/* Multidirectional broadcast of a and b, then the cheapest path that computes it. */
static oclnn_status core_plan(bin_core *c, const elt_shape *a, const elt_shape *b) {
    oclnn_errbuf *eb = &c->ctx->err;
    size_t r = a->ndim > b->ndim ? a->ndim : b->ndim;
    elt_shape o = {r, {0}, 1};
    for (size_t i = 0; i < r; i++) {
        /* Axis i of the output, counted from the left; operands align on the right. */
        int64_t da = i + a->ndim >= r ? a->d[i + a->ndim - r] : 1, db = i + b->ndim >= r ? b->d[i + b->ndim - r] : 1;
        if (da != db && da != 1 && db != 1) {
            char sa[96], sb[96];
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE,
                              "%s: shapes %s and %s do not broadcast (axis %zu of the output: %lld vs %lld)", c->who,
                              oclnn_elt_shape_str(a, sa, sizeof sa), oclnn_elt_shape_str(b, sb, sizeof sb), i,
                              (long long)da, (long long)db);
        }
        o.d[i] = da == 1 ? db : da;
        o.count *= (size_t)o.d[i]; /* each factor is below 2^31 and the product so far too: no overflow */
        if (o.count > ELT_MAX_INDEX)
            return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "%s: outputs of 2^31 elements or more", c->who);
    }
    c->a = *a;
    c->b = *b;
    c->out = o;
    pad5(a, c->pa);
    pad5(b, c->pb);
    pad5(&o, c->po);
    /* Every broadcast, per-channel [C,1,1], scalar and SE-block [N,C,1,1] operands included, takes the general
     * path, whose merged rows (H*W elements splat from one value for those three) run in whole vectors. */
    c->path = same5(c->pa, c->po) && same5(c->pb, c->po) ? PATH_SAME : PATH_BCAST;
    return OCLNN_STATUS_OK;
}

/* The general path's shape with size-1 axes dropped and adjacent axes merged wherever a, b and y all step through
 * the outer one as through a block of the inner one (stride[outer] == stride[inner] * extent[inner]; broadcast
 * strides 0 == 0 qualify): [N,C,H,W] + [N,1,H,W] becomes [N,C,H*W]. Fewer, longer rows let eltwise_binary_bcast
 * work in whole vectors. po is the output's padded shape; as, bs, ys are updated in place and d receives the
 * merged extents, right-aligned and padded with 1 (strides 0) like the input. The innermost kept axis has stride
 * 1 in y and 0 or 1 in a and b, which the kernel relies on. */
static void merge_axes(const size_t po[5], size_t as[5], size_t bs[5], size_t ys[5], size_t d[5]) {
    size_t md[5], ma[5], mb[5], my[5];
    int k = 5; /* merged axes fill md[k..4] from the right */
    for (int i = 4; i >= 0; i--) {
        if (po[i] == 1) continue;
        if (k < 5 && as[i] == ma[k] * md[k] && bs[i] == mb[k] * md[k] && ys[i] == my[k] * md[k]) {
            md[k] *= po[i];
            continue;
        }
        k--;
        md[k] = po[i];
        ma[k] = as[i];
        mb[k] = bs[i];
        my[k] = ys[i];
    }
    for (int i = 0; i < 5; i++) {
        int kept = i >= k;
        d[i] = kept ? md[i] : 1;
        as[i] = kept ? ma[i] : 0;
        bs[i] = kept ? mb[i] : 0;
        ys[i] = kept ? my[i] : 0;
    }
}

/* Binds tensors (already checked) for the plan: offsets in elements, the output's channel slice. */
static oclnn_status core_bind(bin_core *c, cl_mem a, size_t a_off, cl_mem b, size_t b_off, cl_mem y, size_t y_off,
                              size_t c_offset, size_t c_total) {
    const elt_shape *o = &c->out;
    /* The batch split: item n of axis 0 is contiguous in the output even when the output is a channel slice. */
    size_t n = o->ndim >= 2 ? (size_t)o->d[0] : 1, e = o->count / n, inner = 1;
    for (size_t i = 2; i < o->ndim; i++) inner *= (size_t)o->d[i];
    size_t y_bs = o->ndim >= 2 ? c_total * inner : e;
    y_off += c_offset * inner;
    elt_args g = {NULL, 0, CL_SUCCESS};
    if (c->path == PATH_SAME) {
        oclnn_elt_flat_range(e, n, c->global, c->local);
        c->work_dim = 2;
        g.k = c->active = c->k_same;
        oclnn_elt_arg_mem(&g, a);
        oclnn_elt_arg_int(&g, a_off);
        oclnn_elt_arg_mem(&g, b);
        oclnn_elt_arg_int(&g, b_off);
        oclnn_elt_arg_mem(&g, y);
        oclnn_elt_arg_int(&g, y_off);
        oclnn_elt_arg_int(&g, y_bs);
        oclnn_elt_arg_int(&g, e);
    } else {
        g.k = c->active = c->k_bcast;
        const size_t *po = c->po;
        size_t as[5], bs[5], ys[5], sa = 1, sb = 1, sy = 1;
        /* The output's axis 1 (padded index 5 - ndim + 1) may be a slice of c_total channels. */
        size_t chan = o->ndim >= 2 ? 5 - o->ndim + 1 : 5;
        for (int i = 4; i >= 0; i--) {
            as[i] = c->pa[i] == 1 ? 0 : sa;
            bs[i] = c->pb[i] == 1 ? 0 : sb;
            ys[i] = sy;
            sa *= c->pa[i];
            sb *= c->pb[i];
            sy *= (size_t)i == chan ? c_total : po[i];
        }
        size_t d[5];
        merge_axes(po, as, bs, ys, d);
        /* Work-groups of ELT_LOCAL chunks of ELT_BCAST_XT elements, whatever the rows' length: POCL's cost per
         * work-item and per work-group dominated with 32-element chunks and with work-groups along one row. */
        c->work_dim = 2;
        c->global[0] = (d[4] + ELT_BCAST_XT - 1) / ELT_BCAST_XT * d[3];
        c->global[0] = (c->global[0] + ELT_LOCAL - 1) / ELT_LOCAL * ELT_LOCAL;
        c->global[1] = d[0] * d[1] * d[2];
        c->local[0] = ELT_LOCAL;
        c->local[1] = 1;
        oclnn_elt_arg_mem(&g, a);
        oclnn_elt_arg_int(&g, a_off);
        oclnn_elt_arg_mem(&g, b);
        oclnn_elt_arg_int(&g, b_off);
        oclnn_elt_arg_mem(&g, y);
        oclnn_elt_arg_int(&g, y_off);
        for (int i = 1; i < 5; i++) oclnn_elt_arg_int(&g, d[i]);
        for (int i = 0; i < 5; i++) oclnn_elt_arg_int(&g, as[i]);
        for (int i = 0; i < 5; i++) oclnn_elt_arg_int(&g, bs[i]);
        for (int i = 0; i < 4; i++) oclnn_elt_arg_int(&g, ys[i]);
    }
    oclnn_elt_arg_float(&g, c->alpha);
    oclnn_elt_arg_float(&g, c->beta);
    return oclnn_elt_args_done(&g, &c->ctx->err, c->who);
}

static oclnn_status core_enqueue(bin_core *c, uint32_t queue, oclnn_event **event) {
    return oclnn_elt_launch(c->ctx, queue, c->active, c->work_dim, c->global, c->local, event, c->who);
}

/* The output of a binary op: the output shape, except a wider axis 1 when the result goes to a channel slice. */
static oclnn_status check_output(bin_core *c, const oclnn_tensor *t, size_t c_offset) {
    oclnn_errbuf *eb = &c->ctx->err;
    const elt_shape *o = &c->out;
    if (!t) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "%s: output tensor is NULL", c->who);
    if (o->ndim < 2) {
        if (c_offset)
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "%s: a channel offset needs an output of rank >= 2",
                              c->who);
        return oclnn_elt_check_tensor(eb, c->who, "output", t, o);
    }
    if (t->ndim != o->ndim || t->dims[1] < o->d[1]) return oclnn_elt_check_tensor(eb, c->who, "output", t, o);
    if (c_offset > (size_t)(t->dims[1] - o->d[1]))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE,
                          "%s: output channels [%zu, %zu + %lld) do not fit the output's %lld channels", c->who,
                          c_offset, c_offset, (long long)o->d[1], (long long)t->dims[1]);
    elt_shape wide = *o;
    wide.d[1] = t->dims[1];
    if (!oclnn_mul_size(o->count / (size_t)o->d[1], (size_t)t->dims[1], &wide.count) || wide.count > ELT_MAX_INDEX)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "%s: outputs of 2^31 elements or more", c->who);
    return oclnn_elt_check_tensor(eb, c->who, "output", t, &wide);
}

/* The output may be an operand's very elements only if that operand is read at the output's own index. */
static oclnn_status check_alias(bin_core *c, const oclnn_tensor *x, const char *what, int full, const oclnn_tensor *y,
                                int sliced) {
    if (!oclnn_elt_overlap(x, y)) return OCLNN_STATUS_OK;
    if (oclnn_elt_same_elements(x, y) && full && !sliced) return OCLNN_STATUS_OK;
    return oclnn_fail(&c->ctx->err, OCLNN_STATUS_INVALID_ARGUMENT,
                      "%s: the output overlaps %s, which is only allowed in place: the same elements, not broadcast, "
                      "output not a channel slice",
                      c->who, what);
}

/* ---- Binary ---- */

struct oclnn_binary {
    bin_core core;
    oclnn_binary_params p;
    int state;
};

void oclnn_binary_params_init(oclnn_binary_params *p) {
    if (!p) return;
    memset(p, 0, sizeof *p);
    p->activation_alpha = 0.01f;
}

oclnn_status oclnn_binary_create(oclnn_context *ctx, const oclnn_binary_params *params, oclnn_binary **out) {
    oclnn_errbuf *eb = ctx ? &ctx->err : NULL;
    if (!out) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "binary_create: out is NULL");
    *out = NULL;
    if (!ctx || !params) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "binary_create: ctx and params must be set");
    if ((unsigned)params->op >= OCLNN_BINARY_OP_COUNT_)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "binary: op %d out of range", (int)params->op);
    oclnn_status st = oclnn_elt_check_activation(eb, "binary", params->activation, params->activation_alpha,
                                                 params->activation_beta);
    if (st) return st;
    oclnn_binary *op = oclnn_calloc(ctx->alloc, 1, sizeof *op);
    if (!op) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating binary");
    op->p = *params;
    if ((st = core_create(&op->core, ctx, "binary", params->op, params->activation, params->activation_alpha,
                          params->activation_beta))) {
        oclnn_binary_destroy(op);
        return st;
    }
    op->state = ELT_CREATED;
    *out = op;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_binary_reshape(oclnn_binary *op, size_t a_ndim, const int64_t *a_dims, size_t b_ndim,
                                  const int64_t *b_dims, size_t *out_ndim, int64_t *out_dims) {
    if (out_ndim) *out_ndim = 0;
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "binary_reshape: op is NULL");
    oclnn_errbuf *eb = &op->core.ctx->err;
    op->state = ELT_CREATED;
    elt_shape a, b;
    oclnn_status st;
    if ((st = oclnn_elt_shape_set(eb, "binary (A)", a_ndim, a_dims, &a))) return st;
    if ((st = oclnn_elt_shape_set(eb, "binary (B)", b_ndim, b_dims, &b))) return st;
    if ((st = core_plan(&op->core, &a, &b))) return st;
    op->state = ELT_RESHAPED;
    if (out_ndim) *out_ndim = op->core.out.ndim;
    if (out_dims) memcpy(out_dims, op->core.out.d, op->core.out.ndim * sizeof *out_dims);
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_binary_setup(oclnn_binary *op, const oclnn_tensor *a, const oclnn_tensor *b, oclnn_tensor *output,
                                size_t output_channel_offset) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "binary_setup: op is NULL");
    bin_core *c = &op->core;
    oclnn_errbuf *eb = &c->ctx->err;
    if (op->state == ELT_CREATED) return oclnn_fail(eb, OCLNN_STATUS_INVALID_STATE, "binary: setup before reshape");
    oclnn_status st;
    if ((st = oclnn_elt_check_tensor(eb, "binary", "A", a, &c->a))) return st;
    if ((st = oclnn_elt_check_tensor(eb, "binary", "B", b, &c->b))) return st;
    if ((st = check_output(c, output, output_channel_offset))) return st;
    int sliced = c->out.ndim >= 2 && output->dims[1] != c->out.d[1];
    if ((st = check_alias(c, a, "A", same5(c->pa, c->po), output, sliced))) return st;
    if ((st = check_alias(c, b, "B", same5(c->pb, c->po), output, sliced))) return st;
    op->state = ELT_RESHAPED;
    if ((st = core_bind(c, a->mem, a->offset / sizeof(float), b->mem, b->offset / sizeof(float), output->mem,
                        output->offset / sizeof(float), output_channel_offset,
                        c->out.ndim >= 2 ? (size_t)output->dims[1] : 0)))
        return st;
    op->state = ELT_READY;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_binary_enqueue(oclnn_binary *op, uint32_t queue, oclnn_event **event) {
    if (event) *event = NULL;
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "binary_enqueue: op is NULL");
    oclnn_status st = oclnn_elt_check_enqueue(op->core.ctx, "binary", op->state, queue);
    return st ? st : core_enqueue(&op->core, queue, event);
}

void oclnn_binary_destroy(oclnn_binary *op) {
    if (!op) return;
    core_destroy(&op->core);
    oclnn_free(op->core.ctx->alloc, op);
}

/* ---- PRelu ---- */

struct oclnn_prelu {
    bin_core core;
    oclnn_prelu_params p;
    size_t slope_count;
    cl_mem slope;
    elt_shape x;
    int state;
};

void oclnn_prelu_params_init(oclnn_prelu_params *p) {
    if (!p) return;
    memset(p, 0, sizeof *p);
    p->slope_ndim = 1;
    p->slope_dims[0] = 1;
}

oclnn_status oclnn_prelu_create(oclnn_context *ctx, const oclnn_prelu_params *params, const float *slope,
                                size_t slope_count, oclnn_prelu **out) {
    oclnn_errbuf *eb = ctx ? &ctx->err : NULL;
    if (!out) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "prelu_create: out is NULL");
    *out = NULL;
    if (!ctx || !params || !slope)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "prelu_create: ctx, params and slope must be set");
    /* The slope's shape is an attribute of the operator: a bad one is an invalid argument, not an input shape. */
    elt_shape s;
    oclnn_status st = oclnn_elt_shape_set(eb, "prelu: slope", params->slope_ndim, params->slope_dims, &s);
    if (st == OCLNN_STATUS_INVALID_SHAPE)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "prelu: slope_dims must be 1 to %d dims of >= 1",
                          OCLNN_KERNEL_MAX_DIMS);
    if (st) return st;
    if (s.count != slope_count)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "prelu: slope has %zu values, its shape needs %zu",
                          slope_count, s.count);
    oclnn_prelu *op = oclnn_calloc(ctx->alloc, 1, sizeof *op);
    if (!op) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating prelu");
    op->p = *params;
    op->slope_count = slope_count;
    op->core.ctx = ctx;
    cl_int err;
    op->slope = clw_CreateBuffer(ctx->cl, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, slope_count * sizeof(float),
                                 (void *)slope, &err);
    if (!op->slope) st = clw_fail(eb, err, "clCreateBuffer (prelu slope)");
    else st = core_create(&op->core, ctx, "prelu", OP_PRELU, 0, 0.0f, 0.0f);
    if (st) {
        oclnn_prelu_destroy(op);
        return st;
    }
    op->state = ELT_CREATED;
    *out = op;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_prelu_reshape(oclnn_prelu *op, size_t ndim, const int64_t *dims) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "prelu_reshape: op is NULL");
    oclnn_errbuf *eb = &op->core.ctx->err;
    op->state = ELT_CREATED;
    oclnn_status st;
    if ((st = oclnn_elt_shape_set(eb, "prelu", ndim, dims, &op->x))) return st;
    elt_shape s = {op->p.slope_ndim, {0}, op->slope_count};
    memcpy(s.d, op->p.slope_dims, s.ndim * sizeof *s.d);
    if (op->p.per_channel) {
        /* C values along axis 1: the shape [C, 1, ...] that ONNX would align the same way. */
        int64_t c = ndim >= 2 ? dims[1] : 0;
        if (op->slope_count != 1 && (int64_t)op->slope_count != c)
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE,
                              "prelu: a per-channel slope needs 1 or C = %lld values, it has %zu", (long long)c,
                              op->slope_count);
        s.ndim = ndim >= 2 ? ndim - 1 : 1;
        for (size_t i = 0; i < s.ndim; i++) s.d[i] = i == 0 ? (int64_t)op->slope_count : 1;
    }
    if ((st = core_plan(&op->core, &op->x, &s))) return st;
    /* Unidirectional: the slope broadcasts to X, never X to the slope. */
    if (!same5(op->core.po, op->core.pa)) {
        char sx[96], ss[96];
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "prelu: slope %s does not broadcast to X %s (only to it)",
                          oclnn_elt_shape_str(&s, ss, sizeof ss), oclnn_elt_shape_str(&op->x, sx, sizeof sx));
    }
    op->state = ELT_RESHAPED;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_prelu_setup(oclnn_prelu *op, const oclnn_tensor *input, oclnn_tensor *output) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "prelu_setup: op is NULL");
    oclnn_errbuf *eb = &op->core.ctx->err;
    if (op->state == ELT_CREATED) return oclnn_fail(eb, OCLNN_STATUS_INVALID_STATE, "prelu: setup before reshape");
    oclnn_status st = oclnn_elt_check_inout(eb, "prelu", input, output, &op->x);
    if (st) return st;
    op->state = ELT_RESHAPED;
    if ((st = core_bind(&op->core, input->mem, input->offset / sizeof(float), op->slope, 0, output->mem,
                        output->offset / sizeof(float), 0, op->x.ndim >= 2 ? (size_t)op->x.d[1] : 0)))
        return st;
    op->state = ELT_READY;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_prelu_enqueue(oclnn_prelu *op, uint32_t queue, oclnn_event **event) {
    if (event) *event = NULL;
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "prelu_enqueue: op is NULL");
    oclnn_status st = oclnn_elt_check_enqueue(op->core.ctx, "prelu", op->state, queue);
    return st ? st : core_enqueue(&op->core, queue, event);
}

void oclnn_prelu_destroy(oclnn_prelu *op) {
    if (!op) return;
    core_destroy(&op->core);
    if (op->slope) clw_ReleaseMemObject(op->slope);
    oclnn_free(op->core.ctx->alloc, op);
}
