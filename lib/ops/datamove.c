/* datamove.c - Concat, Split, Slice, Pad and Transpose (ONNX semantics, f32, rank 1..6; Pad 1..5). Every operator
 * but Pad is a list of strided copies (dims coalesced on the host, one launch of cl/datamove.cl's dm_copy each); Transpose
 * takes the register-blocked dm_transpose when its copy reduces to a batched 2-D transpose (NCHW <-> NHWC).
 */
#include <stdio.h>
#include <string.h>

#include "ops/conv2d_impl.h"

enum { DM_CREATED, DM_RESHAPED, DM_READY };
enum { DM_STRIDED, DM_TILED };

#define DM_MAX_TENSORS 1024
#define DM_MAX_INDEX INT32_MAX /* the kernels index with 32-bit ints */
#define DM_BLOCK 8             /* dm_transpose moves 8 x 8 blocks */
#define DM_TILED_MIN 8         /* below this many rows or columns a block is mostly partial: the strided copy wins */

/* One launch. dims/strides are coalesced and right-aligned into 5 slots (leading dims 1, strides 0). */
typedef struct dm_copy {
    size_t src_idx, dst_idx;  /* which input and output tensor */
    int64_t rel_src, rel_dst; /* element offsets inside them */
    int kind;                 /* DM_STRIDED, or DM_TILED: dims[2..4] are B, R, C of a B x R x C -> B x C x R */
    int64_t dims[5], ss[5], ds[5];
    int contiguous; /* src and dst both dense in the same order (a Concat input may alias its slice) */
    /* Set by setup. */
    cl_mem src, dst;
    int src_off, dst_off, skip;
} dm_copy;

typedef struct dm_base {
    oclnn_context *ctx;
    const char *name;
    int state;
    cl_kernel kernel; /* dm_copy, or dm_pad for Pad */
    cl_kernel tiled;  /* dm_transpose, Transpose only */
    dm_copy *copies;
    size_t ncopies;
} dm_base;

struct oclnn_concat {
    dm_base b;
    int64_t axis;
    size_t k, ndim;
    int64_t *in_dims; /* k rows of ndim */
    int64_t out_dims[OCLNN_MAX_DIMS];
};

struct oclnn_split {
    dm_base b;
    int64_t axis;
    size_t k, ndim;
    int64_t *split;    /* NULL: equal parts */
    int64_t *out_dims; /* k rows of OCLNN_MAX_DIMS */
    int64_t in_dims[OCLNN_MAX_DIMS];
};

struct oclnn_slice {
    dm_base b;
    size_t count, ndim;
    int64_t starts[OCLNN_MAX_DIMS], ends[OCLNN_MAX_DIMS], axes[OCLNN_MAX_DIMS], steps[OCLNN_MAX_DIMS];
    int has_axes;
    int64_t in_dims[OCLNN_MAX_DIMS], out_dims[OCLNN_MAX_DIMS];
};

struct oclnn_pad {
    dm_base b;
    oclnn_pad_mode mode;
    float value;
    size_t ndim;
    int64_t pads[2 * OCLNN_MAX_DIMS];
    int64_t in_dims[OCLNN_MAX_DIMS], out_dims[OCLNN_MAX_DIMS];
    int args[23]; /* dm_pad's int arguments after the offsets, set by reshape */
    size_t global[3];
    cl_mem src, dst;
    int src_off, dst_off;
};

struct oclnn_transpose {
    dm_base b;
    size_t ndim;
    int64_t perm[OCLNN_MAX_DIMS];
    int64_t in_dims[OCLNN_MAX_DIMS], out_dims[OCLNN_MAX_DIMS];
};

/* ---- shared machinery ---- */

static oclnn_status dm_init(dm_base *b, oclnn_context *ctx, const char *name, const char *options,
                            const char *kernel) {
    b->ctx = ctx;
    b->name = name;
    b->state = DM_CREATED;
    return oclnn_kernel_create(ctx, OCLNN_KERNEL_DATAMOVE, options, kernel, &b->kernel);
}

static void dm_release(dm_base *b) {
    if (b->kernel) clw_ReleaseKernel(b->kernel);
    if (b->tiled) clw_ReleaseKernel(b->tiled);
    oclnn_free(b->ctx->alloc, b->copies);
}

static oclnn_status dm_alloc_copies(dm_base *b, size_t n) {
    if (b->ncopies != n) {
        oclnn_free(b->ctx->alloc, b->copies);
        b->ncopies = 0;
        b->copies = oclnn_calloc(b->ctx->alloc, n, sizeof *b->copies);
        if (!b->copies) return oclnn_fail(&b->ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "%s: copy plan", b->name);
        b->ncopies = n;
    }
    memset(b->copies, 0, n * sizeof *b->copies);
    return OCLNN_STATUS_OK;
}

/* Dense row-major strides of @p dims. */
static void dm_strides(size_t ndim, const int64_t *dims, int64_t *st) {
    int64_t s = 1;
    for (size_t i = ndim; i-- > 0;) {
        st[i] = s;
        s *= dims[i];
    }
}

/* Dims within 1..2^31-1 elements in all; @p what names the tensor in the message. */
static oclnn_status dm_check_dims(dm_base *b, const char *what, size_t ndim, const int64_t *dims) {
    if (ndim < 1 || ndim > OCLNN_MAX_DIMS)
        return oclnn_fail(&b->ctx->err, OCLNN_STATUS_INVALID_SHAPE, "%s: %s has rank %zu, must be 1..%d", b->name,
                          what, ndim, OCLNN_MAX_DIMS);
    if (!dims) return oclnn_fail(&b->ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "%s: %s dims are NULL", b->name, what);
    int64_t n = 1;
    for (size_t i = 0; i < ndim; i++) {
        if (dims[i] < 1)
            return oclnn_fail(&b->ctx->err, OCLNN_STATUS_INVALID_SHAPE, "%s: %s dim %zu is %lld, must be >= 1",
                              b->name, what, i, (long long)dims[i]);
        if (dims[i] > DM_MAX_INDEX || (n *= dims[i]) > DM_MAX_INDEX)
            return oclnn_fail(&b->ctx->err, OCLNN_STATUS_UNSUPPORTED, "%s: %s has 2^31 elements or more", b->name,
                              what);
    }
    return OCLNN_STATUS_OK;
}

/* Plans one copy over the index space @p dims: merges axes that are dense in both src and dst, drops 1s. A 6-D
 * space that leaves 6 strided axes is more than dm_copy indexes: UNSUPPORTED naming the operator. */
static oclnn_status dm_plan(dm_base *b, dm_copy *c, size_t ndim, const int64_t *dims, const int64_t *ss,
                            const int64_t *ds) {
    int64_t d[OCLNN_MAX_DIMS], s[OCLNN_MAX_DIMS], t[OCLNN_MAX_DIMS];
    size_t k = 0;
    for (size_t i = 0; i < ndim; i++) {
        if (dims[i] == 1) continue;
        if (k && s[k - 1] == ss[i] * dims[i] && t[k - 1] == ds[i] * dims[i]) {
            d[k - 1] *= dims[i];
            s[k - 1] = ss[i];
            t[k - 1] = ds[i];
            continue;
        }
        d[k] = dims[i];
        s[k] = ss[i];
        t[k] = ds[i];
        k++;
    }
    if (k > 5)
        return oclnn_fail(&b->ctx->err, OCLNN_STATUS_UNSUPPORTED,
                          "%s: the copy keeps %zu strided axes after merging (the kernel indexes 5)", b->name, k);
    for (size_t i = 0; i < 5; i++) {
        size_t j = i + k; /* right-align: slot i holds coalesced axis i - (5 - k) */
        int in = j >= 5;
        c->dims[i] = in ? d[j - 5] : 1;
        c->ss[i] = in ? s[j - 5] : 0;
        c->ds[i] = in ? t[j - 5] : 0;
    }
    c->kind = DM_STRIDED;
    c->contiguous = k == 0 || (k == 1 && s[0] == 1 && t[0] == 1);
    return OCLNN_STATUS_OK;
}

/* An f32 tensor of exactly these dims whose elements the kernels can index. */
static oclnn_status dm_check_tensor(dm_base *b, const char *what, size_t idx, const oclnn_tensor *t, size_t ndim,
                                    const int64_t *dims) {
    oclnn_errbuf *eb = &b->ctx->err;
    if (!t) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "%s: %s %zu is NULL", b->name, what, idx);
    int same = t->dtype == OCLNN_DTYPE_F32 && t->ndim == ndim && t->offset % sizeof(float) == 0;
    for (size_t i = 0; same && i < ndim; i++) same = t->dims[i] == dims[i];
    if (!same) {
        char want[96] = "", got[96] = "";
        for (size_t i = 0; i < ndim; i++)
            snprintf(want + strlen(want), sizeof want - strlen(want), "%s%lld", i ? "x" : "", (long long)dims[i]);
        for (size_t i = 0; i < t->ndim; i++)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%lld", i ? "x" : "", (long long)t->dims[i]);
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "%s: %s %zu must be f32 %s at a 4-byte offset, got %s%s",
                          b->name, what, idx, want, t->dtype == OCLNN_DTYPE_F32 ? "f32 " : "non-f32 ", got);
    }
    if (t->offset / sizeof(float) + t->nbytes / sizeof(float) > DM_MAX_INDEX)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "%s: %s %zu ends beyond element 2^31 of its buffer", b->name,
                          what, idx);
    return OCLNN_STATUS_OK;
}

static int dm_overlap(const oclnn_tensor *a, const oclnn_tensor *b) {
    return a->mem == b->mem && a->offset < b->offset + b->nbytes && b->offset < a->offset + a->nbytes;
}

/* Binds the copies to tensors: ins[c->src_idx] -> outs[c->dst_idx]. */
static void dm_bind(dm_base *b, const oclnn_tensor *const *ins, oclnn_tensor *const *outs) {
    for (size_t i = 0; i < b->ncopies; i++) {
        dm_copy *c = &b->copies[i];
        const oclnn_tensor *s = ins[c->src_idx], *d = outs[c->dst_idx];
        c->src = s->mem;
        c->dst = d->mem;
        c->src_off = (int)(s->offset / sizeof(float) + c->rel_src);
        c->dst_off = (int)(d->offset / sizeof(float) + c->rel_dst);
        c->skip = 0;
    }
}

static oclnn_status dm_queue(dm_base *b, uint32_t queue, cl_command_queue *q) {
    if (b->state != DM_READY)
        return oclnn_fail(&b->ctx->err, OCLNN_STATUS_INVALID_STATE, "%s: enqueue before reshape and setup", b->name);
    if (queue >= b->ctx->num_queues)
        return oclnn_fail(&b->ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "%s: queue %u of %u", b->name, queue,
                          b->ctx->num_queues);
    *q = b->ctx->queues[queue];
    return OCLNN_STATUS_OK;
}

static oclnn_status dm_launch(dm_base *b, const dm_copy *c, cl_command_queue q, cl_event *ev) {
    cl_int err = CL_SUCCESS;
    cl_uint i = 0;
    size_t global[3];
    cl_kernel k = c->kind == DM_TILED ? b->tiled : b->kernel;
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &c->src);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &c->src_off);
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &c->dst);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &c->dst_off);
    if (c->kind == DM_TILED) {
        int r = (int)c->dims[3], cols = (int)c->dims[4];
        err |= clw_SetKernelArg(k, i++, sizeof(int), &r);
        err |= clw_SetKernelArg(k, i++, sizeof(int), &cols);
        global[0] = (size_t)(cols + DM_BLOCK - 1) / DM_BLOCK;
        global[1] = (size_t)(r + DM_BLOCK - 1) / DM_BLOCK;
        global[2] = (size_t)c->dims[2];
    } else {
        int a[12] = {(int)c->dims[1], (int)c->dims[2]};
        for (int j = 0; j < 5; j++) {
            a[2 + j] = (int)c->ss[j];
            a[7 + j] = (int)c->ds[j];
        }
        for (int j = 0; j < 12; j++) err |= clw_SetKernelArg(k, i++, sizeof(int), &a[j]);
        global[0] = (size_t)c->dims[4];
        global[1] = (size_t)c->dims[3];
        global[2] = (size_t)(c->dims[0] * c->dims[1] * c->dims[2]);
    }
    if (err != CL_SUCCESS) return oclnn_fail(&b->ctx->err, OCLNN_STATUS_OPENCL_ERROR, "%s: clSetKernelArg failed", b->name);
    err = clw_EnqueueNDRangeKernel(q, k, 3, global, NULL, 0, NULL, ev);
    return err == CL_SUCCESS ? OCLNN_STATUS_OK : clw_fail(&b->ctx->err, err, "clEnqueueNDRangeKernel (datamove)");
}

/* Enqueues every copy; the event (if asked) is that of the last command, which on an in-order queue completes
 * after all of them. With nothing to copy (every Concat input in place) a marker stands in. */
static oclnn_status dm_enqueue(dm_base *b, uint32_t queue, oclnn_event **event) {
    if (event) *event = NULL;
    cl_command_queue q = NULL;
    oclnn_status st = dm_queue(b, queue, &q);
    if (st) return st;
    size_t last = b->ncopies;
    for (size_t i = 0; i < b->ncopies; i++)
        if (!b->copies[i].skip) last = i;
    cl_event ev = NULL;
    for (size_t i = 0; i < b->ncopies; i++)
        if (!b->copies[i].skip && (st = dm_launch(b, &b->copies[i], q, i == last && event ? &ev : NULL))) return st;
    if (!event) return OCLNN_STATUS_OK;
    if (last == b->ncopies) {
        cl_int err = clw_EnqueueMarker(q, 0, NULL, &ev);
        if (err != CL_SUCCESS) return clw_fail(&b->ctx->err, err, "clEnqueueMarker (datamove)");
    }
    return oclnn_event_wrap(b->ctx, ev, event);
}

/* Normalises an ONNX axis (negative counts from the end) of a rank-@p ndim tensor; 0 when out of range. */
static int dm_axis(int64_t axis, size_t ndim, int64_t *out) {
    int64_t r = (int64_t)ndim;
    if (axis < -r || axis >= r) return 0;
    *out = axis < 0 ? axis + r : axis;
    return 1;
}

/* ---- Concat ---- */

oclnn_status oclnn_concat_create(oclnn_context *ctx, int64_t axis, size_t num_inputs, oclnn_concat **out) {
    oclnn_errbuf *eb = ctx ? &ctx->err : NULL;
    if (!out) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "concat_create: out is NULL");
    *out = NULL;
    if (!ctx) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "concat_create: ctx is NULL");
    if (num_inputs < 1 || num_inputs > DM_MAX_TENSORS)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "concat: %zu inputs, must be 1..%d", num_inputs,
                          DM_MAX_TENSORS);
    if (axis < -OCLNN_MAX_DIMS || axis >= OCLNN_MAX_DIMS)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "concat: axis %lld is outside [-%d, %d)", (long long)axis,
                          OCLNN_MAX_DIMS, OCLNN_MAX_DIMS);
    oclnn_concat *op = oclnn_calloc(ctx->alloc, 1, sizeof *op);
    if (!op) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating concat");
    op->b.ctx = ctx;
    op->axis = axis;
    op->k = num_inputs;
    oclnn_status st = OCLNN_STATUS_OK;
    op->in_dims = oclnn_calloc(ctx->alloc, num_inputs * OCLNN_MAX_DIMS, sizeof(int64_t));
    if (!op->in_dims) st = oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating concat");
    if (!st) st = dm_init(&op->b, ctx, "concat", "", "dm_copy");
    if (st) {
        oclnn_concat_destroy(op);
        return st;
    }
    *out = op;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_concat_reshape(oclnn_concat *op, const size_t *ndims, const int64_t *const *dims,
                                  int64_t *out_dims) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "concat_reshape: op is NULL");
    dm_base *b = &op->b;
    oclnn_errbuf *eb = &b->ctx->err;
    if (!ndims || !dims) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "concat: ndims or dims is NULL");
    b->state = DM_CREATED;
    size_t r = ndims[0];
    oclnn_status st;
    int64_t axis, total = 0;
    for (size_t i = 0; i < op->k; i++) {
        if (ndims[i] != r)
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "concat: input %zu has rank %zu, input 0 has %zu", i,
                              ndims[i], r);
        if ((st = dm_check_dims(b, "input", r, dims[i]))) return st;
    }
    if (!dm_axis(op->axis, r, &axis))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "concat: axis %lld is outside [-%zu, %zu) for rank %zu",
                          (long long)op->axis, r, r, r);
    for (size_t i = 0; i < op->k; i++) {
        for (size_t j = 0; j < r; j++)
            if (j != (size_t)axis && dims[i][j] != dims[0][j])
                return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE,
                                  "concat: input %zu has dim %zu = %lld, input 0 has %lld (only axis %lld may differ)",
                                  i, j, (long long)dims[i][j], (long long)dims[0][j], (long long)axis);
        total += dims[i][axis];
    }
    int64_t od[OCLNN_MAX_DIMS], ost[OCLNN_MAX_DIMS], ist[OCLNN_MAX_DIMS];
    memcpy(od, dims[0], r * sizeof *od);
    od[axis] = total;
    if ((st = dm_check_dims(b, "output", r, od))) return st;
    if ((st = dm_alloc_copies(b, op->k))) return st;
    dm_strides(r, od, ost);
    int64_t at = 0;
    for (size_t i = 0; i < op->k; i++) {
        dm_copy *c = &b->copies[i];
        dm_strides(r, dims[i], ist);
        if ((st = dm_plan(b, c, r, dims[i], ist, ost))) return st;
        c->src_idx = i;
        c->dst_idx = 0;
        c->rel_dst = at * ost[axis];
        at += dims[i][axis];
        memcpy(op->in_dims + i * OCLNN_MAX_DIMS, dims[i], r * sizeof *od);
    }
    op->ndim = r;
    memcpy(op->out_dims, od, sizeof od);
    if (out_dims) memcpy(out_dims, od, r * sizeof *od);
    b->state = DM_RESHAPED;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_concat_setup(oclnn_concat *op, const oclnn_tensor *const *inputs, oclnn_tensor *output) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "concat_setup: op is NULL");
    dm_base *b = &op->b;
    oclnn_errbuf *eb = &b->ctx->err;
    if (b->state == DM_CREATED) return oclnn_fail(eb, OCLNN_STATUS_INVALID_STATE, "concat: setup before reshape");
    if (!inputs) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "concat: inputs is NULL");
    b->state = DM_RESHAPED;
    oclnn_status st = dm_check_tensor(b, "output", 0, output, op->ndim, op->out_dims);
    for (size_t i = 0; !st && i < op->k; i++)
        st = dm_check_tensor(b, "input", i, inputs[i], op->ndim, op->in_dims + i * OCLNN_MAX_DIMS);
    if (st) return st;
    dm_bind(b, inputs, &output);
    for (size_t i = 0; i < op->k; i++) {
        dm_copy *c = &b->copies[i];
        /* A producer that wrote straight into its slice of the output left nothing to copy. */
        if (c->contiguous && inputs[i]->mem == output->mem && inputs[i]->offset / sizeof(float) == (size_t)c->dst_off) {
            c->skip = 1;
            continue;
        }
        if (dm_overlap(inputs[i], output))
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                              "concat: input %zu overlaps the output without being exactly its slice", i);
    }
    b->state = DM_READY;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_concat_enqueue(oclnn_concat *op, uint32_t queue, oclnn_event **event) {
    if (event) *event = NULL;
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "concat_enqueue: op is NULL");
    return dm_enqueue(&op->b, queue, event);
}

void oclnn_concat_destroy(oclnn_concat *op) {
    if (!op) return;
    dm_release(&op->b);
    oclnn_free(op->b.ctx->alloc, op->in_dims);
    oclnn_free(op->b.ctx->alloc, op);
}

/* ---- Split ---- */

oclnn_status oclnn_split_create(oclnn_context *ctx, int64_t axis, size_t num_outputs, const int64_t *split,
                                oclnn_split **out) {
    oclnn_errbuf *eb = ctx ? &ctx->err : NULL;
    if (!out) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "split_create: out is NULL");
    *out = NULL;
    if (!ctx) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "split_create: ctx is NULL");
    if (num_outputs < 1 || num_outputs > DM_MAX_TENSORS)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "split: %zu outputs, must be 1..%d", num_outputs,
                          DM_MAX_TENSORS);
    if (axis < -OCLNN_MAX_DIMS || axis >= OCLNN_MAX_DIMS)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "split: axis %lld is outside [-%d, %d)", (long long)axis,
                          OCLNN_MAX_DIMS, OCLNN_MAX_DIMS);
    for (size_t i = 0; split && i < num_outputs; i++) {
        if (split[i] < 0)
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "split: size %zu is %lld, must be >= 0", i,
                              (long long)split[i]);
        if (split[i] == 0)
            return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "split: size %zu is 0 (oclnn has no empty tensors)", i);
        if (split[i] > DM_MAX_INDEX) /* also keeps their sum far from overflowing */
            return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "split: size %zu is 2^31 or more", i);
    }
    oclnn_split *op = oclnn_calloc(ctx->alloc, 1, sizeof *op);
    if (!op) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating split");
    op->b.ctx = ctx;
    op->axis = axis;
    op->k = num_outputs;
    oclnn_status st = OCLNN_STATUS_OK;
    op->out_dims = oclnn_calloc(ctx->alloc, num_outputs * OCLNN_MAX_DIMS, sizeof(int64_t));
    if (split) op->split = oclnn_malloc(ctx->alloc, num_outputs * sizeof(int64_t));
    if (!op->out_dims || (split && !op->split)) st = oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating split");
    if (op->split) memcpy(op->split, split, num_outputs * sizeof(int64_t));
    if (!st) st = dm_init(&op->b, ctx, "split", "", "dm_copy");
    if (st) {
        oclnn_split_destroy(op);
        return st;
    }
    *out = op;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_split_reshape(oclnn_split *op, size_t ndim, const int64_t *dims, int64_t *out_dims) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "split_reshape: op is NULL");
    dm_base *b = &op->b;
    oclnn_errbuf *eb = &b->ctx->err;
    b->state = DM_CREATED;
    oclnn_status st = dm_check_dims(b, "input", ndim, dims);
    if (st) return st;
    int64_t axis;
    if (!dm_axis(op->axis, ndim, &axis))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "split: axis %lld is outside [-%zu, %zu) for rank %zu",
                          (long long)op->axis, ndim, ndim, ndim);
    int64_t len = dims[axis], k = (int64_t)op->k, sum = 0;
    if (op->split) {
        for (size_t i = 0; i < op->k; i++) sum += op->split[i];
        if (sum != len)
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "split: sizes sum to %lld, axis %lld has %lld",
                              (long long)sum, (long long)axis, (long long)len);
    } else if ((len + k - 1) / k * (k - 1) >= len) {
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED,
                          "split: %lld equal parts of ceil(%lld / %lld) leave the last one empty (oclnn has no empty "
                          "tensors)", (long long)k,
                          (long long)len, (long long)k);
    }
    if ((st = dm_alloc_copies(b, op->k))) return st;
    int64_t ist[OCLNN_MAX_DIMS], ost[OCLNN_MAX_DIMS], at = 0, chunk = (len + k - 1) / k;
    dm_strides(ndim, dims, ist);
    for (size_t i = 0; i < op->k; i++) {
        int64_t *od = op->out_dims + i * OCLNN_MAX_DIMS;
        memcpy(od, dims, ndim * sizeof *od);
        od[axis] = op->split ? op->split[i] : i + 1 < op->k ? chunk : len - chunk * (k - 1);
        dm_copy *c = &b->copies[i];
        dm_strides(ndim, od, ost);
        if ((st = dm_plan(b, c, ndim, od, ist, ost))) return st;
        c->src_idx = 0;
        c->dst_idx = i;
        c->rel_src = at * ist[axis];
        at += od[axis];
        if (out_dims) memcpy(out_dims + i * ndim, od, ndim * sizeof *od);
    }
    op->ndim = ndim;
    memcpy(op->in_dims, dims, ndim * sizeof *dims);
    b->state = DM_RESHAPED;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_split_setup(oclnn_split *op, const oclnn_tensor *input, oclnn_tensor *const *outputs) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "split_setup: op is NULL");
    dm_base *b = &op->b;
    oclnn_errbuf *eb = &b->ctx->err;
    if (b->state == DM_CREATED) return oclnn_fail(eb, OCLNN_STATUS_INVALID_STATE, "split: setup before reshape");
    if (!outputs) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "split: outputs is NULL");
    b->state = DM_RESHAPED;
    oclnn_status st = dm_check_tensor(b, "input", 0, input, op->ndim, op->in_dims);
    for (size_t i = 0; !st && i < op->k; i++)
        st = dm_check_tensor(b, "output", i, outputs[i], op->ndim, op->out_dims + i * OCLNN_MAX_DIMS);
    if (st) return st;
    for (size_t i = 0; i < op->k; i++) {
        if (dm_overlap(input, outputs[i]))
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "split: output %zu overlaps the input", i);
        for (size_t j = 0; j < i; j++)
            if (dm_overlap(outputs[i], outputs[j]))
                return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "split: outputs %zu and %zu overlap", j, i);
    }
    dm_bind(b, &input, outputs);
    b->state = DM_READY;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_split_enqueue(oclnn_split *op, uint32_t queue, oclnn_event **event) {
    if (event) *event = NULL;
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "split_enqueue: op is NULL");
    return dm_enqueue(&op->b, queue, event);
}

void oclnn_split_destroy(oclnn_split *op) {
    if (!op) return;
    dm_release(&op->b);
    oclnn_free(op->b.ctx->alloc, op->out_dims);
    oclnn_free(op->b.ctx->alloc, op->split);
    oclnn_free(op->b.ctx->alloc, op);
}

/* ---- Slice ---- */

oclnn_status oclnn_slice_create(oclnn_context *ctx, size_t count, const int64_t *starts, const int64_t *ends,
                                const int64_t *axes, const int64_t *steps, oclnn_slice **out) {
    oclnn_errbuf *eb = ctx ? &ctx->err : NULL;
    if (!out) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "slice_create: out is NULL");
    *out = NULL;
    if (!ctx) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "slice_create: ctx is NULL");
    if (count > OCLNN_MAX_DIMS)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "slice: %zu axes, a rank-%d tensor has at most %d", count,
                          OCLNN_MAX_DIMS, OCLNN_MAX_DIMS);
    if (count && (!starts || !ends))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "slice: starts and ends must be given");
    for (size_t i = 0; steps && i < count; i++)
        if (steps[i] == 0) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "slice: step %zu is 0", i);
    oclnn_slice *op = oclnn_calloc(ctx->alloc, 1, sizeof *op);
    if (!op) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating slice");
    op->b.ctx = ctx;
    op->count = count;
    op->has_axes = axes != NULL;
    for (size_t i = 0; i < count; i++) {
        op->starts[i] = starts[i];
        op->ends[i] = ends[i];
        op->axes[i] = axes ? axes[i] : (int64_t)i;
        op->steps[i] = steps ? steps[i] : 1;
    }
    oclnn_status st = dm_init(&op->b, ctx, "slice", "", "dm_copy");
    if (st) {
        oclnn_slice_destroy(op);
        return st;
    }
    *out = op;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_slice_reshape(oclnn_slice *op, size_t ndim, const int64_t *dims, int64_t *out_dims) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "slice_reshape: op is NULL");
    dm_base *b = &op->b;
    oclnn_errbuf *eb = &b->ctx->err;
    b->state = DM_CREATED;
    oclnn_status st = dm_check_dims(b, "input", ndim, dims);
    if (st) return st;
    int64_t start[OCLNN_MAX_DIMS], step[OCLNN_MAX_DIMS], od[OCLNN_MAX_DIMS], ist[OCLNN_MAX_DIMS], ss[OCLNN_MAX_DIMS],
        ost[OCLNN_MAX_DIMS];
    int seen[OCLNN_MAX_DIMS] = {0};
    for (size_t j = 0; j < ndim; j++) {
        start[j] = 0;
        step[j] = 1;
        od[j] = dims[j];
    }
    for (size_t i = 0; i < op->count; i++) {
        int64_t a;
        if (!dm_axis(op->axes[i], ndim, &a))
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "slice: axis %lld is outside [-%zu, %zu) for rank %zu",
                              (long long)op->axes[i], ndim, ndim, ndim);
        if (seen[a]++) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "slice: axis %lld is repeated", (long long)a);
        /* ONNX: negative values count from the end; then starts clamp to [0, d] (step > 0) or [0, d - 1]
         * (step < 0), ends to [0, d] or [-1, d - 1]. Adding d to a negative value cannot overflow. */
        int64_t d = dims[a], s = op->starts[i], e = op->ends[i], k = op->steps[i];
        if (s < 0) s += d;
        if (e < 0) e += d;
        if (k > 0) {
            s = s < 0 ? 0 : s > d ? d : s;
            e = e < 0 ? 0 : e > d ? d : e;
        } else {
            s = s < 0 ? 0 : s > d - 1 ? d - 1 : s;
            e = e < -1 ? -1 : e > d - 1 ? d - 1 : e;
        }
        /* ceil(span / |step|) in unsigned arithmetic: steps may be as large as INT64_MAX or INT64_MIN. */
        int64_t span = k > 0 ? e - s : s - e;
        uint64_t ak = k > 0 ? (uint64_t)k : (uint64_t)0 - (uint64_t)k;
        int64_t n = span > 0 ? (int64_t)(((uint64_t)span - 1) / ak + 1) : 0;
        if (n <= 0)
            return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED,
                              "slice: axis %lld selects no element (start %lld, end %lld, step %lld on %lld; oclnn has "
                              "no empty tensors)",
                              (long long)a, (long long)op->starts[i], (long long)op->ends[i], (long long)k,
                              (long long)d);
        if (n == 1) k = 1; /* the step no longer matters, and a huge one would overflow the stride */
        start[a] = s;
        step[a] = k;
        od[a] = n;
    }
    if ((st = dm_alloc_copies(b, 1))) return st;
    dm_strides(ndim, dims, ist);
    dm_strides(ndim, od, ost);
    int64_t rel = 0;
    for (size_t j = 0; j < ndim; j++) {
        ss[j] = ist[j] * step[j];
        rel += start[j] * ist[j];
    }
    if ((st = dm_plan(b, &b->copies[0], ndim, od, ss, ost))) return st;
    b->copies[0].rel_src = rel;
    op->ndim = ndim;
    memcpy(op->in_dims, dims, ndim * sizeof *dims);
    memcpy(op->out_dims, od, ndim * sizeof *od);
    if (out_dims) memcpy(out_dims, od, ndim * sizeof *od);
    b->state = DM_RESHAPED;
    return OCLNN_STATUS_OK;
}

/* Setup of the one-input, one-output copies (Slice, Transpose). */
static oclnn_status dm_setup_unary(dm_base *b, size_t ndim, const int64_t *in_dims, const int64_t *out_dims,
                                   const oclnn_tensor *input, oclnn_tensor *output) {
    oclnn_errbuf *eb = &b->ctx->err;
    if (b->state == DM_CREATED) return oclnn_fail(eb, OCLNN_STATUS_INVALID_STATE, "%s: setup before reshape", b->name);
    b->state = DM_RESHAPED;
    oclnn_status st = dm_check_tensor(b, "input", 0, input, ndim, in_dims);
    if (!st) st = dm_check_tensor(b, "output", 0, output, ndim, out_dims);
    if (st) return st;
    if (dm_overlap(input, output))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "%s: input and output overlap", b->name);
    dm_bind(b, &input, &output);
    b->state = DM_READY;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_slice_setup(oclnn_slice *op, const oclnn_tensor *input, oclnn_tensor *output) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "slice_setup: op is NULL");
    return dm_setup_unary(&op->b, op->ndim, op->in_dims, op->out_dims, input, output);
}

oclnn_status oclnn_slice_enqueue(oclnn_slice *op, uint32_t queue, oclnn_event **event) {
    if (event) *event = NULL;
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "slice_enqueue: op is NULL");
    return dm_enqueue(&op->b, queue, event);
}

void oclnn_slice_destroy(oclnn_slice *op) {
    if (!op) return;
    dm_release(&op->b);
    oclnn_free(op->b.ctx->alloc, op);
}

/* ---- Transpose ---- */

oclnn_status oclnn_transpose_create(oclnn_context *ctx, size_t ndim, const int64_t *perm, oclnn_transpose **out) {
    oclnn_errbuf *eb = ctx ? &ctx->err : NULL;
    if (!out) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "transpose_create: out is NULL");
    *out = NULL;
    if (!ctx) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "transpose_create: ctx is NULL");
    if (ndim < 1 || ndim > OCLNN_MAX_DIMS)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "transpose: rank %zu, must be 1..%d", ndim, OCLNN_MAX_DIMS);
    int seen[OCLNN_MAX_DIMS] = {0};
    for (size_t i = 0; perm && i < ndim; i++) {
        if (perm[i] < 0 || perm[i] >= (int64_t)ndim || seen[perm[i]]++)
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                              "transpose: perm is not a permutation of 0..%zu (entry %zu is %lld)", ndim - 1, i,
                              (long long)perm[i]);
    }
    oclnn_transpose *op = oclnn_calloc(ctx->alloc, 1, sizeof *op);
    if (!op) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating transpose");
    op->b.ctx = ctx;
    op->ndim = ndim;
    for (size_t i = 0; i < ndim; i++) op->perm[i] = perm ? perm[i] : (int64_t)(ndim - 1 - i);
    oclnn_status st = dm_init(&op->b, ctx, "transpose", "", "dm_copy");
    if (!st) st = oclnn_kernel_create(ctx, OCLNN_KERNEL_DATAMOVE, "", "dm_transpose", &op->b.tiled);
    if (st) {
        oclnn_transpose_destroy(op);
        return st;
    }
    *out = op;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_transpose_reshape(oclnn_transpose *op, const int64_t *dims, int64_t *out_dims) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "transpose_reshape: op is NULL");
    dm_base *b = &op->b;
    b->state = DM_CREATED;
    size_t r = op->ndim;
    oclnn_status st = dm_check_dims(b, "input", r, dims);
    if (st || (st = dm_alloc_copies(b, 1))) return st;
    int64_t od[OCLNN_MAX_DIMS], ist[OCLNN_MAX_DIMS], ss[OCLNN_MAX_DIMS], ost[OCLNN_MAX_DIMS];
    dm_strides(r, dims, ist);
    for (size_t i = 0; i < r; i++) {
        od[i] = dims[op->perm[i]];
        ss[i] = ist[op->perm[i]];
    }
    dm_strides(r, od, ost);
    dm_copy *c = &b->copies[0];
    if ((st = dm_plan(b, c, r, od, ss, ost))) return st;
    /* A batched 2-D transpose (NCHW <-> NHWC and the like): output B x X x Y dense, reading a dense B x Y x X. */
    int64_t B = c->dims[2], X = c->dims[3], Y = c->dims[4];
    if (c->dims[0] == 1 && c->dims[1] == 1 && c->ds[4] == 1 && c->ss[3] == 1 && c->ss[4] == X &&
        (B == 1 || c->ss[2] == X * Y) && X >= DM_TILED_MIN && Y >= DM_TILED_MIN) {
        c->kind = DM_TILED;
        c->dims[3] = Y; /* src rows R */
        c->dims[4] = X; /* src columns C */
    }
    memcpy(op->in_dims, dims, r * sizeof *dims);
    memcpy(op->out_dims, od, r * sizeof *od);
    if (out_dims) memcpy(out_dims, od, r * sizeof *od);
    b->state = DM_RESHAPED;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_transpose_setup(oclnn_transpose *op, const oclnn_tensor *input, oclnn_tensor *output) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "transpose_setup: op is NULL");
    return dm_setup_unary(&op->b, op->ndim, op->in_dims, op->out_dims, input, output);
}

oclnn_status oclnn_transpose_enqueue(oclnn_transpose *op, uint32_t queue, oclnn_event **event) {
    if (event) *event = NULL;
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "transpose_enqueue: op is NULL");
    return dm_enqueue(&op->b, queue, event);
}

void oclnn_transpose_destroy(oclnn_transpose *op) {
    if (!op) return;
    dm_release(&op->b);
    oclnn_free(op->b.ctx->alloc, op);
}

/* ---- Pad ---- */

oclnn_status oclnn_pad_create(oclnn_context *ctx, oclnn_pad_mode mode, float value, size_t ndim, const int64_t *pads,
                              oclnn_pad **out) {
    oclnn_errbuf *eb = ctx ? &ctx->err : NULL;
    if (!out) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pad_create: out is NULL");
    *out = NULL;
    if (!ctx) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "pad_create: ctx is NULL");
    if ((unsigned)mode > OCLNN_PAD_WRAP)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "pad: mode %d is not constant (0), reflect (1), edge (2) or wrap (3)", (int)mode);
    if (ndim < 1 || ndim > OCLNN_KERNEL_MAX_DIMS) /* dm_pad indexes 5 axes */
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pad: rank %zu, must be 1..%d", ndim,
                          OCLNN_KERNEL_MAX_DIMS);
    if (!pads) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pad: pads is NULL");
    for (size_t i = 0; i < 2 * ndim; i++)
        if (pads[i] > DM_MAX_INDEX || pads[i] < -DM_MAX_INDEX)
            return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "pad: pad %zu (%lld) is beyond 2^31", i, (long long)pads[i]);
    oclnn_pad *op = oclnn_calloc(ctx->alloc, 1, sizeof *op);
    if (!op) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating pad");
    op->b.ctx = ctx;
    op->mode = mode;
    op->value = value;
    op->ndim = ndim;
    memcpy(op->pads, pads, 2 * ndim * sizeof *pads);
    oclnn_opts o;
    oclnn_opts_init(&o);
    oclnn_opts_int(&o, "PAD_MODE", mode, OCLNN_PAD_CONSTANT);
    oclnn_status st = dm_init(&op->b, ctx, "pad", o.buf, "dm_pad");
    if (st) {
        oclnn_pad_destroy(op);
        return st;
    }
    *out = op;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_pad_reshape(oclnn_pad *op, const int64_t *dims, int64_t *out_dims) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "pad_reshape: op is NULL");
    dm_base *b = &op->b;
    oclnn_errbuf *eb = &b->ctx->err;
    b->state = DM_CREATED;
    size_t r = op->ndim;
    oclnn_status st = dm_check_dims(b, "input", r, dims);
    if (st) return st;
    int64_t od[OCLNN_MAX_DIMS], ist[OCLNN_MAX_DIMS];
    int64_t len[5] = {1, 1, 1, 1, 1}, pb[5] = {0}, str[5] = {0}, o5[5] = {1, 1, 1, 1, 1}, crop = 0;
    dm_strides(r, dims, ist);
    for (size_t i = 0; i < r; i++) {
        int64_t b0 = op->pads[i], e0 = op->pads[r + i];
        /* Negative pads crop first; what is left must be non-empty for the positive pads to extend it. */
        int64_t l = dims[i] + (b0 < 0 ? b0 : 0) + (e0 < 0 ? e0 : 0);
        if (l < 1)
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE,
                              "pad: negative pads %lld, %lld crop all %lld elements of axis %zu", (long long)b0,
                              (long long)e0, (long long)dims[i], i);
        od[i] = dims[i] + b0 + e0;
        size_t s = 5 - r + i;
        len[s] = l;
        pb[s] = b0 > 0 ? b0 : 0;
        str[s] = ist[i];
        o5[s] = od[i];
        crop += (b0 < 0 ? -b0 : 0) * ist[i];
    }
    if ((st = dm_check_dims(b, "output", r, od))) return st;
    int *a = op->args;
    a[0] = (int)o5[1], a[1] = (int)o5[2], a[2] = (int)o5[3], a[3] = (int)o5[4];
    for (int j = 0; j < 5; j++) {
        a[4 + j] = (int)len[j];
        a[9 + j] = (int)pb[j];
        a[14 + j] = (int)str[j];
    }
    a[19] = (int)crop; /* added to the input's offset at setup */
    op->global[0] = (size_t)o5[4];
    op->global[1] = (size_t)o5[3];
    op->global[2] = (size_t)(o5[0] * o5[1] * o5[2]);
    memcpy(op->in_dims, dims, r * sizeof *dims);
    memcpy(op->out_dims, od, r * sizeof *od);
    if (out_dims) memcpy(out_dims, od, r * sizeof *od);
    b->state = DM_RESHAPED;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_pad_setup(oclnn_pad *op, const oclnn_tensor *input, oclnn_tensor *output) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "pad_setup: op is NULL");
    dm_base *b = &op->b;
    oclnn_errbuf *eb = &b->ctx->err;
    if (b->state == DM_CREATED) return oclnn_fail(eb, OCLNN_STATUS_INVALID_STATE, "pad: setup before reshape");
    b->state = DM_RESHAPED;
    oclnn_status st = dm_check_tensor(b, "input", 0, input, op->ndim, op->in_dims);
    if (!st) st = dm_check_tensor(b, "output", 0, output, op->ndim, op->out_dims);
    if (st) return st;
    if (dm_overlap(input, output))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pad: input and output overlap");
    op->src = input->mem;
    op->dst = output->mem;
    op->src_off = (int)(input->offset / sizeof(float)) + op->args[19];
    op->dst_off = (int)(output->offset / sizeof(float));
    b->state = DM_READY;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_pad_enqueue(oclnn_pad *op, uint32_t queue, oclnn_event **event) {
    if (event) *event = NULL;
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "pad_enqueue: op is NULL");
    dm_base *b = &op->b;
    cl_command_queue q = NULL;
    oclnn_status st = dm_queue(b, queue, &q);
    if (st) return st;
    cl_kernel k = b->kernel;
    cl_int err = CL_SUCCESS;
    cl_uint i = 0;
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &op->src);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &op->src_off);
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &op->dst);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &op->dst_off);
    for (int j = 0; j < 19; j++) err |= clw_SetKernelArg(k, i++, sizeof(int), &op->args[j]);
    err |= clw_SetKernelArg(k, i++, sizeof(float), &op->value);
    if (err != CL_SUCCESS) return oclnn_fail(&b->ctx->err, OCLNN_STATUS_OPENCL_ERROR, "pad: clSetKernelArg failed");
    cl_event ev = NULL;
    err = clw_EnqueueNDRangeKernel(q, k, 3, op->global, NULL, 0, NULL, event ? &ev : NULL);
    if (err != CL_SUCCESS) return clw_fail(&b->ctx->err, err, "clEnqueueNDRangeKernel (pad)");
    return event ? oclnn_event_wrap(b->ctx, ev, event) : OCLNN_STATUS_OK;
}

void oclnn_pad_destroy(oclnn_pad *op) {
    if (!op) return;
    dm_release(&op->b);
    oclnn_free(op->b.ctx->alloc, op);
}
