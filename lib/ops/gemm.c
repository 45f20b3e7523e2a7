/* gemm.c - the Gemm and MatMul operators (ONNX): validation, shapes (transposes, C broadcast, numpy batch
 * broadcast and 1-D operands), packing of a constant B, and the lifecycle. Both turn into one batched launch
 * of the engine in gemm_exec.c (our cl/gemm.cl kernel or CLBlast).
 */
#include <stdio.h>
#include <string.h>

#include "ops/gemm_impl.h"

enum { GEMM_CREATED, GEMM_RESHAPED, GEMM_READY };

/* The kernels index with 32-bit ints; larger operands are refused rather than wrapped. */
#define GEMM_MAX_ELEMS ((int64_t)INT32_MAX)

/* ------------------------------------------------------------------------------------------------------------
 * Helpers shared by both operators.
 * ---------------------------------------------------------------------------------------------------------- */

static int64_t dims_product(size_t ndim, const int64_t *dims) {
    int64_t p = 1;
    for (size_t i = 0; i < ndim; i++) {
        if (dims[i] < 1 || dims[i] > GEMM_MAX_ELEMS) return -1;
        if (__builtin_mul_overflow(p, dims[i], &p) || p > GEMM_MAX_ELEMS) return -1;
    }
    return p;
}

/* A constant operand, uploaded as is. */
static oclnn_status upload(oclnn_context *ctx, const char *what, const float *data, size_t count, cl_mem *out) {
    size_t bytes = count * sizeof(float);
    if (bytes > ctx->info.max_alloc_bytes)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_DEVICE_MEMORY,
                          "%s: %zu bytes exceed the device's largest allocation", what, bytes);
    cl_int err;
    *out = clw_CreateBuffer(ctx->cl, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, bytes, (void *)data, &err);
    return *out ? OCLNN_STATUS_OK : clw_fail(&ctx->err, err, what);
}

/* @p batches matrices of K x N (element (k, n) of matrix z at src[z*mat + k*s_k + n*s_n]) packed into panels of
 * NR columns for our kernel; *mat_stride receives the packed size of one matrix. Above OCLNN_STAGED_UPLOAD_MIN
 * bytes the panels go through a staging buffer of about 4 MiB, written a chunk at a time: packing the whole matrix
 * on the host first held the weights three times while they were uploaded (the caller's, the packed copy, the device's: 3 x 392 MiB for VGG-16's first
 * classifier layer). */
#define GEMM_STAGE_BYTES ((size_t)4 << 20)
static oclnn_status upload_packed_b(oclnn_context *ctx, const float *src, size_t batches, size_t mat, size_t K,
                                    size_t N, size_t s_k, size_t s_n, size_t *mat_stride, cl_mem *out) {
    *out = NULL;
    size_t one = oclnn_gemm_packed_size(N, K, OCLNN_GEMM_DEFAULT_NR), total;
    if (!oclnn_mul_size(one, batches, &total) || total > (size_t)GEMM_MAX_ELEMS)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_UNSUPPORTED, "gemm: packed B above 2^31 elements");
    size_t bytes = total * sizeof(float);
    if (bytes > ctx->info.max_alloc_bytes)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_DEVICE_MEMORY,
                          "clCreateBuffer (gemm packed B): %zu bytes exceed the device's largest allocation", bytes);
    if (bytes <= OCLNN_STAGED_UPLOAD_MIN) { /* in one piece, with the buffer: creating enqueues nothing */
        float *packed = oclnn_malloc(ctx->alloc, bytes ? bytes : 1);
        if (!packed) return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "gemm: packing %zu weights", total);
        for (size_t z = 0; z < batches; z++)
            oclnn_gemm_pack(src + z * mat, s_n, s_k, N, K, OCLNN_GEMM_DEFAULT_NR, packed + z * one);
        oclnn_status st = upload(ctx, "clCreateBuffer (gemm packed B)", packed, total, out);
        oclnn_free(ctx->alloc, packed);
        *mat_stride = one;
        return st;
    }
    size_t panel = (size_t)OCLNN_GEMM_DEFAULT_NR * K, panels = (N + OCLNN_GEMM_DEFAULT_NR - 1) / OCLNN_GEMM_DEFAULT_NR;
    size_t per = GEMM_STAGE_BYTES / sizeof(float) / (panel ? panel : 1);
    if (per < 1) per = 1;
    if (per > panels) per = panels;
    size_t stage_n = per * panel > 0 ? per * panel : 1;
    float *stage = oclnn_malloc(ctx->alloc, stage_n * sizeof(float));
    if (!stage) return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "gemm: packing %zu weights", total);
    cl_int err;
    *out = clw_CreateBuffer(ctx->cl, CL_MEM_READ_ONLY, bytes ? bytes : sizeof(float), NULL, &err);
    oclnn_status st = *out ? OCLNN_STATUS_OK : clw_fail(&ctx->err, err, "clCreateBuffer (gemm packed B)");
    for (size_t z = 0; z < batches && !st; z++)
        for (size_t p0 = 0; p0 < panels && !st; p0 += per) {
            size_t np = panels - p0 < per ? panels - p0 : per, r0 = p0 * OCLNN_GEMM_DEFAULT_NR;
            size_t rows = N - r0 < np * OCLNN_GEMM_DEFAULT_NR ? N - r0 : np * OCLNN_GEMM_DEFAULT_NR;
            oclnn_gemm_pack(src + z * mat + r0 * s_n, s_n, s_k, rows, K, OCLNN_GEMM_DEFAULT_NR, stage);
            err = clw_EnqueueWriteBuffer(ctx->queues[0], *out, CL_TRUE, (z * one + p0 * panel) * sizeof(float),
                                         np * panel * sizeof(float), stage, 0, NULL, NULL);
            if (err != CL_SUCCESS) st = clw_fail(&ctx->err, err, "clEnqueueWriteBuffer (gemm packed B)");
        }
    oclnn_free(ctx->alloc, stage);
    if (st && *out) {
        clw_ReleaseMemObject(*out);
        *out = NULL;
    }
    *mat_stride = one;
    return st;
}

/* An f32 tensor of exactly these dims, aligned to its element size. */
static oclnn_status check_tensor(oclnn_errbuf *eb, const char *op, const char *what, const oclnn_tensor *t,
                                 size_t ndim, const int64_t *dims) {
    if (!t) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "%s: %s tensor is NULL", op, what);
    int ok = t->dtype == OCLNN_DTYPE_F32 && t->ndim == ndim && t->offset % sizeof(float) == 0;
    for (size_t i = 0; ok && i < ndim; i++) ok = t->dims[i] == dims[i];
    if (!ok) {
        char want[96] = "", got[96] = "";
        for (size_t i = 0; i < ndim; i++)
            snprintf(want + strlen(want), sizeof want - strlen(want), "%s%lld", i ? "x" : "", (long long)dims[i]);
        for (size_t i = 0; i < t->ndim; i++)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%lld", i ? "x" : "", (long long)t->dims[i]);
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "%s: %s must be an f32 tensor of %s, got %s%s", op, what,
                          want, got, t->dtype != OCLNN_DTYPE_F32 ? " (not f32)" : "");
    }
    return OCLNN_STATUS_OK;
}

static int overlaps(const oclnn_tensor *a, const oclnn_tensor *b) {
    return a && b && a->mem == b->mem && a->offset < b->offset + b->nbytes && b->offset < a->offset + a->nbytes;
}

static oclnn_status check_activation(oclnn_errbuf *eb, const char *op, int act, float lo, float hi) {
    if ((unsigned)act > OCLNN_ACTIVATION_HARD_SWISH)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "%s: activation %d out of range", op, act);
    if (act == OCLNN_ACTIVATION_CLIP && !(lo <= hi))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "%s: Clip needs min (%g) <= max (%g)", op, (double)lo,
                          (double)hi);
    return OCLNN_STATUS_OK;
}

static oclnn_status enqueue_exec(oclnn_context *ctx, gemm_exec *ex, int ready, const char *op, uint32_t queue,
                                 oclnn_event **event) {
    if (event) *event = NULL;
    if (!ready) return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_STATE, "%s: enqueue before reshape and setup", op);
    if (queue >= ctx->num_queues)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "%s: queue %u of %u", op, queue, ctx->num_queues);
    cl_event ev = NULL;
    oclnn_status st = oclnn_gemm_exec_enqueue(ex, ctx->queues[queue], event ? &ev : NULL);
    if (st) return st;
    return event ? oclnn_event_wrap(ctx, ev, event) : OCLNN_STATUS_OK;
}

/* ------------------------------------------------------------------------------------------------------------
 * Gemm
 * ---------------------------------------------------------------------------------------------------------- */

struct oclnn_gemm {
    oclnn_context *ctx;
    oclnn_gemm_params p;
    int use_clblast;
    int b_const;
    int64_t b_dims[2]; /* stored dims of the constant B */
    cl_mem b_mem;      /* constant B: packed panels for our kernel, as given for CLBlast */
    size_t c_ndim;
    int64_t c_dims[2];
    cl_mem c_mem; /* constant C as given */
    gemm_exec ex;
    int64_t a_dims[2], bd[2]; /* shapes of the last reshape */
    int state;
};

void oclnn_gemm_params_init(oclnn_gemm_params *p) {
    if (!p) return;
    memset(p, 0, sizeof *p);
    p->alpha = p->beta = 1.0f;
    p->activation_alpha = 0.01f;
}

oclnn_status oclnn_gemm_create(oclnn_context *ctx, const oclnn_gemm_params *params, const float *b,
                               const int64_t b_dims[2], const float *c, size_t c_ndim, const int64_t *c_dims,
                               oclnn_gemm **out) {
    oclnn_errbuf *eb = ctx ? &ctx->err : NULL;
    if (!out) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "gemm_create: out is NULL");
    *out = NULL;
    if (!ctx || !params) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "gemm_create: ctx and params must be set");
    const oclnn_gemm_params *p = params;
    if ((unsigned)p->trans_a > 1 || (unsigned)p->trans_b > 1 || (unsigned)p->c_input > 1)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "gemm: transA (%d), transB (%d) and c_input (%d) must be 0 or 1",
                          p->trans_a, p->trans_b, p->c_input);
    oclnn_status st = check_activation(eb, "gemm", p->activation, p->activation_alpha, p->activation_beta);
    if (st) return st;
    if (b && (!b_dims || dims_product(2, b_dims) < 0))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "gemm: constant B needs two dims in 1..2^31 elements");
    if (c_ndim > 2 || (!c && c_ndim) || (c && (!c_dims || dims_product(c_ndim, c_dims) < 0)))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "gemm: constant C needs 0 to 2 valid dims (and NULL with 0 dims for none), got %zu", c_ndim);
    if (c && p->c_input)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "gemm: C is given twice (constant and c_input)");
    oclnn_gemm *op = oclnn_calloc(ctx->alloc, 1, sizeof *op);
    if (!op) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating gemm");
    op->ctx = ctx;
    op->p = *p;
    op->b_const = b != NULL;
    if ((st = oclnn_gemm_choose_backend(ctx, p->backend, &op->use_clblast))) goto fail;
    if (b) {
        op->b_dims[0] = b_dims[0];
        op->b_dims[1] = b_dims[1];
        size_t K = (size_t)b_dims[p->trans_b ? 1 : 0], N = (size_t)b_dims[p->trans_b ? 0 : 1], unused;
        if (op->use_clblast)
            st = upload(ctx, "clCreateBuffer (gemm B)", b, K * N, &op->b_mem);
        else
            st = upload_packed_b(ctx, b, 1, 0, K, N, p->trans_b ? 1 : N, p->trans_b ? K : 1, &unused, &op->b_mem);
        if (st) goto fail;
    }
    op->c_ndim = c ? c_ndim : 0;
    for (size_t i = 0; c && i < c_ndim; i++) op->c_dims[i] = c_dims[i];
    if (c && (st = upload(ctx, "clCreateBuffer (gemm C)", c, c_ndim ? (size_t)dims_product(c_ndim, c_dims) : 1,
                          &op->c_mem)))
        goto fail;
    gemm_kcfg cfg;
    oclnn_gemm_kcfg_init(&cfg);
    cfg.b_packed = op->b_const && !op->use_clblast;
    cfg.b_gather = !op->b_const && p->trans_b;
    cfg.has_c = c != NULL || p->c_input;
    cfg.act = p->activation;
    cfg.act_alpha = p->activation_alpha;
    cfg.act_beta = p->activation_beta;
    if ((st = oclnn_gemm_exec_create(ctx, &op->ex, &cfg, op->use_clblast, 1))) goto fail;
    op->state = GEMM_CREATED;
    *out = op;
    return OCLNN_STATUS_OK;
fail:
    oclnn_gemm_destroy(op);
    return st;
}

/* Strides that broadcast C of dims (cm, cn) (1 where it has fewer dims) over [M][N]; false if it cannot. */
static bool c_broadcast(size_t ndim, const int64_t *dims, int64_t M, int64_t N, long *sm, long *sn) {
    int64_t cm = ndim == 2 ? dims[0] : 1, cn = ndim >= 1 ? dims[ndim - 1] : 1;
    if ((cm != 1 && cm != M) || (cn != 1 && cn != N)) return false;
    *sn = cn == 1 ? 0 : 1;
    *sm = cm == 1 ? 0 : (long)cn;
    return true;
}

oclnn_status oclnn_gemm_reshape(oclnn_gemm *op, const int64_t a_dims[2], const int64_t b_dims[2], int64_t y_dims[2]) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "gemm_reshape: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    const oclnn_gemm_params *p = &op->p;
    const int64_t *bd = op->b_const ? op->b_dims : b_dims;
    if (!a_dims || !bd)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "gemm: the dims of A%s must be given",
                          op->b_const ? "" : " and B");
    int64_t pa = dims_product(2, a_dims), pb = dims_product(2, bd);
    if (pa < 0 || pb < 0)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "gemm: A and B dims must be >= 1 and hold < 2^31 elements");
    int64_t M = a_dims[p->trans_a ? 1 : 0], K = a_dims[p->trans_a ? 0 : 1];
    int64_t Kb = bd[p->trans_b ? 1 : 0], N = bd[p->trans_b ? 0 : 1];
    if (K != Kb)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "gemm: inner dimensions differ: op(A) is %lldx%lld, op(B) %lldx%lld",
                          (long long)M, (long long)K, (long long)Kb, (long long)N);
    int64_t yd[2] = {M, N};
    if (dims_product(2, yd) < 0) return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "gemm: Y above 2^31 elements");
    gemm_launch *l = &op->ex.l;
    if (op->c_mem && !c_broadcast(op->c_ndim, op->c_dims, M, N, &l->c.s0, &l->c.s1))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "gemm: C (%zu-D, last dims %lld) does not broadcast to %lldx%lld",
                          op->c_ndim, (long long)(op->c_ndim ? op->c_dims[op->c_ndim - 1] : 1), (long long)M,
                          (long long)N);
    op->state = GEMM_CREATED;
    memcpy(op->a_dims, a_dims, sizeof op->a_dims);
    memcpy(op->bd, bd, sizeof op->bd);
    l->m = M, l->n = N, l->k = K;
    l->alpha = p->alpha, l->beta = p->beta;
    l->zn0 = l->zn1 = l->batch = 1;
    l->a.s0 = p->trans_a ? 1 : K, l->a.s1 = p->trans_a ? M : 1;
    if (op->ex.cfg.b_packed)
        l->b.s0 = 0, l->b.s1 = (long)K * OCLNN_GEMM_DEFAULT_NR;
    else
        l->b.s0 = p->trans_b ? 1 : N, l->b.s1 = p->trans_b ? K : 1;
    l->y.s0 = N;
    op->state = GEMM_RESHAPED;
    if (y_dims) y_dims[0] = M, y_dims[1] = N;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_gemm_setup(oclnn_gemm *op, const oclnn_tensor *a, const oclnn_tensor *b, const oclnn_tensor *c,
                              oclnn_tensor *y) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "gemm_setup: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    if (op->state == GEMM_CREATED) return oclnn_fail(eb, OCLNN_STATUS_INVALID_STATE, "gemm: setup before reshape");
    gemm_launch *l = &op->ex.l;
    oclnn_status st;
    int64_t yd[2] = {l->m, l->n};
    if ((st = check_tensor(eb, "gemm", "A", a, 2, op->a_dims)) || (st = check_tensor(eb, "gemm", "Y", y, 2, yd)))
        return st;
    if (op->b_const && b) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "gemm: B is constant, no B tensor is taken");
    if (!op->b_const && (st = check_tensor(eb, "gemm", "B", b, 2, op->bd))) return st;
    if (!op->p.c_input && c)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "gemm: a C tensor was given but c_input is not set");
    if (op->p.c_input) {
        if (!c) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "gemm: c_input is set but the C tensor is NULL");
        if (c->dtype != OCLNN_DTYPE_F32 || c->ndim > 2 || c->offset % sizeof(float) ||
            !c_broadcast(c->ndim, c->dims, l->m, l->n, &l->c.s0, &l->c.s1))
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "gemm: C must be an f32 tensor broadcastable to %ldx%ld",
                              l->m, l->n);
    }
    if (overlaps(y, a) || overlaps(y, b) || overlaps(y, c))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "gemm: Y overlaps an input");
    op->state = GEMM_RESHAPED;
    l->a.mem = a->mem, l->a.off = (long)(a->offset / sizeof(float));
    l->b.mem = op->b_const ? op->b_mem : b->mem, l->b.off = op->b_const ? 0 : (long)(b->offset / sizeof(float));
    l->c.mem = op->p.c_input ? c->mem : op->c_mem, l->c.off = op->p.c_input ? (long)(c->offset / sizeof(float)) : 0;
    l->y.mem = y->mem, l->y.off = (long)(y->offset / sizeof(float));
    /* Offsets plus extents must fit the kernels' int arithmetic. */
    if (l->a.off > GEMM_MAX_ELEMS - (long)(l->m * l->k) || l->b.off > GEMM_MAX_ELEMS - (long)(l->n * l->k) ||
        l->y.off > GEMM_MAX_ELEMS - (long)(l->m * l->n) || l->c.off > GEMM_MAX_ELEMS - (long)(l->m * l->n))
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "gemm: tensor offsets above 2^31 elements");
    op->state = GEMM_READY;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_gemm_enqueue(oclnn_gemm *op, uint32_t queue, oclnn_event **event) {
    if (event) *event = NULL;
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "gemm_enqueue: op is NULL");
    return enqueue_exec(op->ctx, &op->ex, op->state == GEMM_READY, "gemm", queue, event);
}

oclnn_gemm_backend oclnn_gemm_get_backend(const oclnn_gemm *op) {
    return !op ? OCLNN_GEMM_BACKEND_AUTO : op->use_clblast ? OCLNN_GEMM_BACKEND_CLBLAST : OCLNN_GEMM_BACKEND_OCLNN;
}

void oclnn_gemm_destroy(oclnn_gemm *op) {
    if (!op) return;
    oclnn_gemm_exec_release(&op->ex);
    if (op->b_mem) clw_ReleaseMemObject(op->b_mem);
    if (op->c_mem) clw_ReleaseMemObject(op->c_mem);
    oclnn_free(op->ctx->alloc, op);
}

/* ------------------------------------------------------------------------------------------------------------
 * MatMul
 * ---------------------------------------------------------------------------------------------------------- */

struct oclnn_matmul {
    oclnn_context *ctx;
    int use_clblast;
    int b_const;
    size_t b_ndim;
    int64_t b_dims[OCLNN_KERNEL_MAX_DIMS];
    cl_mem b_mem;         /* constant B: packed per batch matrix (ours) or as given (CLBlast) */
    size_t b_mat_stride;  /* elements between the constant B's batch matrices in b_mem */
    gemm_exec ex;
    size_t a_ndim, bd_ndim, y_ndim;
    int64_t a_dims[OCLNN_KERNEL_MAX_DIMS], bd[OCLNN_KERNEL_MAX_DIMS], y_dims[OCLNN_KERNEL_MAX_DIMS];
    int state;
};

oclnn_status oclnn_matmul_create(oclnn_context *ctx, oclnn_gemm_backend backend, const float *b, size_t b_ndim,
                                 const int64_t *b_dims, oclnn_matmul **out) {
    oclnn_errbuf *eb = ctx ? &ctx->err : NULL;
    if (!out) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "matmul_create: out is NULL");
    *out = NULL;
    if (!ctx) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "matmul_create: ctx is NULL");
    if (b && (!b_dims || b_ndim < 1 || b_ndim > OCLNN_KERNEL_MAX_DIMS || dims_product(b_ndim, b_dims) < 0))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "matmul: constant B needs 1 to %d dims of >= 1 and < 2^31 elements (got %zu dims)",
                          OCLNN_KERNEL_MAX_DIMS, b_ndim);
    oclnn_matmul *op = oclnn_calloc(ctx->alloc, 1, sizeof *op);
    if (!op) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating matmul");
    op->ctx = ctx;
    op->b_const = b != NULL;
    oclnn_status st;
    if ((st = oclnn_gemm_choose_backend(ctx, backend, &op->use_clblast))) goto fail;
    if (b) {
        op->b_ndim = b_ndim;
        memcpy(op->b_dims, b_dims, b_ndim * sizeof *b_dims);
        size_t K = (size_t)b_dims[b_ndim == 1 ? 0 : b_ndim - 2], N = b_ndim == 1 ? 1 : (size_t)b_dims[b_ndim - 1];
        size_t total = (size_t)dims_product(b_ndim, b_dims);
        if (op->use_clblast) {
            op->b_mat_stride = K * N;
            st = upload(ctx, "clCreateBuffer (matmul B)", b, total, &op->b_mem);
        } else {
            st = upload_packed_b(ctx, b, total / (K * N), K * N, K, N, N, 1, &op->b_mat_stride, &op->b_mem);
        }
        if (st) goto fail;
    }
    gemm_kcfg cfg;
    oclnn_gemm_kcfg_init(&cfg);
    cfg.b_packed = op->b_const && !op->use_clblast;
    if ((st = oclnn_gemm_exec_create(ctx, &op->ex, &cfg, op->use_clblast, 1))) goto fail;
    op->state = GEMM_CREATED;
    *out = op;
    return OCLNN_STATUS_OK;
fail:
    oclnn_matmul_destroy(op);
    return st;
}

/* Batch strides (elements) of one operand's batch dims, right-aligned against the output's 3 padded batch dims;
 * broadcast dims get stride 0. @p mat is the operand's matrix size. */
static void batch_strides(size_t nb, const int64_t *bd, const int64_t out3[3], long mat, long bs[3]) {
    long stride = mat;
    for (int i = 0; i < 3; i++) {
        /* i = 0 is the innermost batch dim. */
        int64_t d = (size_t)i < nb ? bd[nb - 1 - (size_t)i] : 1;
        bs[i] = (d == 1 && out3[2 - i] != 1) ? 0 : stride;
        stride *= (long)d;
    }
}

oclnn_status oclnn_matmul_reshape(oclnn_matmul *op, size_t a_ndim, const int64_t *a_dims, size_t b_ndim,
                                  const int64_t *b_dims, size_t *y_ndim, int64_t *y_dims) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "matmul_reshape: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    if (op->b_const) b_ndim = op->b_ndim, b_dims = op->b_dims;
    if (!a_dims || !b_dims) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "matmul: the dims of A and B must be given");
    if (a_ndim < 1 || a_ndim > OCLNN_KERNEL_MAX_DIMS || b_ndim < 1 || b_ndim > OCLNN_KERNEL_MAX_DIMS ||
        dims_product(a_ndim, a_dims) < 0 || dims_product(b_ndim, b_dims) < 0)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE,
                          "matmul: A (%zu-D) and B (%zu-D) need 1 to 5 dims >= 1 and < 2^31 elements", a_ndim, b_ndim);
    int64_t M = a_ndim == 1 ? 1 : a_dims[a_ndim - 2], K = a_dims[a_ndim - 1];
    int64_t Kb = b_ndim == 1 ? b_dims[0] : b_dims[b_ndim - 2], N = b_ndim == 1 ? 1 : b_dims[b_ndim - 1];
    if (K != Kb)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "matmul: inner dimensions differ: A has K = %lld, B has %lld",
                          (long long)K, (long long)Kb);
    size_t na = a_ndim > 2 ? a_ndim - 2 : 0, nb = b_ndim > 2 ? b_ndim - 2 : 0, no = na > nb ? na : nb;
    size_t yn = no + (a_ndim > 1) + (b_ndim > 1);
    if (yn > OCLNN_KERNEL_MAX_DIMS)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "matmul: the result would have %zu dims (at most %d)", yn,
                          OCLNN_KERNEL_MAX_DIMS);
    int64_t yd[OCLNN_KERNEL_MAX_DIMS], out3[3] = {1, 1, 1};
    for (size_t i = 0; i < no; i++) {
        /* Right-aligned numpy broadcast of the batch dims. */
        int64_t da = i < no - na ? 1 : a_dims[i - (no - na)], db = i < no - nb ? 1 : b_dims[i - (no - nb)];
        if (da != db && da != 1 && db != 1)
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "matmul: batch dim %zu does not broadcast (%lld vs %lld)",
                              i, (long long)da, (long long)db);
        yd[i] = da > db ? da : db;
        out3[3 - no + i] = yd[i];
    }
    size_t k = no;
    if (a_ndim > 1) yd[k++] = M;
    if (b_ndim > 1) yd[k++] = N;
    if (yn == 0) yd[0] = 1, yn = 1;
    if (dims_product(yn, yd) < 0) return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "matmul: Y above 2^31 elements");
    op->state = GEMM_CREATED;
    op->a_ndim = a_ndim, op->bd_ndim = b_ndim, op->y_ndim = yn;
    memcpy(op->a_dims, a_dims, a_ndim * sizeof *a_dims);
    memcpy(op->bd, b_dims, b_ndim * sizeof *b_dims);
    memcpy(op->y_dims, yd, yn * sizeof *yd);
    gemm_launch *l = &op->ex.l;
    memset(l, 0, sizeof *l);
    l->m = M, l->n = N, l->k = K, l->alpha = 1.0f, l->beta = 0.0f;
    l->zn0 = out3[2], l->zn1 = out3[1], l->batch = out3[0] * out3[1] * out3[2];
    batch_strides(na, a_dims, out3, (long)(M * K), l->a.bs);
    l->a.s0 = K, l->a.s1 = 1;
    if (op->ex.cfg.b_packed) {
        batch_strides(nb, b_dims, out3, (long)op->b_mat_stride, l->b.bs);
        l->b.s0 = 0, l->b.s1 = (long)K * OCLNN_GEMM_DEFAULT_NR;
    } else {
        batch_strides(nb, b_dims, out3, (long)(K * N), l->b.bs);
        l->b.s0 = N, l->b.s1 = 1;
    }
    int64_t ones[3] = {1, 1, 1};
    batch_strides(3, out3, ones, (long)(M * N), l->y.bs); /* Y is dense: no dim broadcasts */
    l->y.s0 = N;
    op->state = GEMM_RESHAPED;
    if (y_ndim) *y_ndim = yn;
    if (y_dims) memcpy(y_dims, yd, yn * sizeof *yd);
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_matmul_setup(oclnn_matmul *op, const oclnn_tensor *a, const oclnn_tensor *b, oclnn_tensor *y) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "matmul_setup: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    if (op->state == GEMM_CREATED) return oclnn_fail(eb, OCLNN_STATUS_INVALID_STATE, "matmul: setup before reshape");
    oclnn_status st;
    if ((st = check_tensor(eb, "matmul", "A", a, op->a_ndim, op->a_dims)) ||
        (st = check_tensor(eb, "matmul", "Y", y, op->y_ndim, op->y_dims)))
        return st;
    if (op->b_const && b) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "matmul: B is constant, no B tensor is taken");
    if (!op->b_const && (st = check_tensor(eb, "matmul", "B", b, op->bd_ndim, op->bd))) return st;
    if (overlaps(y, a) || overlaps(y, b)) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "matmul: Y overlaps an input");
    gemm_launch *l = &op->ex.l;
    op->state = GEMM_RESHAPED;
    l->a.mem = a->mem, l->a.off = (long)(a->offset / sizeof(float));
    l->b.mem = op->b_const ? op->b_mem : b->mem, l->b.off = op->b_const ? 0 : (long)(b->offset / sizeof(float));
    l->y.mem = y->mem, l->y.off = (long)(y->offset / sizeof(float));
    if (l->a.off > GEMM_MAX_ELEMS - (long)(a->nbytes / 4) || (b && l->b.off > GEMM_MAX_ELEMS - (long)(b->nbytes / 4)) ||
        l->y.off > GEMM_MAX_ELEMS - (long)(y->nbytes / 4))
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "matmul: tensor offsets above 2^31 elements");
    op->state = GEMM_READY;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_matmul_enqueue(oclnn_matmul *op, uint32_t queue, oclnn_event **event) {
    if (event) *event = NULL;
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "matmul_enqueue: op is NULL");
    return enqueue_exec(op->ctx, &op->ex, op->state == GEMM_READY, "matmul", queue, event);
}

oclnn_gemm_backend oclnn_matmul_get_backend(const oclnn_matmul *op) {
    return !op ? OCLNN_GEMM_BACKEND_AUTO : op->use_clblast ? OCLNN_GEMM_BACKEND_CLBLAST : OCLNN_GEMM_BACKEND_OCLNN;
}

void oclnn_matmul_destroy(oclnn_matmul *op) {
    if (!op) return;
    oclnn_gemm_exec_release(&op->ex);
    if (op->b_mem) clw_ReleaseMemObject(op->b_mem);
    oclnn_free(op->ctx->alloc, op);
}
