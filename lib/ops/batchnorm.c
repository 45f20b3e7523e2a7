/* batchnorm.c - BatchNormalization. Inference mode folds the four per-channel arrays on the host, in double, into
 * y = a*x + b, which cl/eltwise.cl's eltwise_scale_shift applies (with a fused activation). Training mode computes
 * a and b from the batch's statistics on the device first (batchnorm_stats), with the running statistics.
 */
#include <math.h>
#include <string.h>

#include "ops/eltwise_impl.h"

struct oclnn_batchnorm {
    oclnn_context *ctx;
    oclnn_batchnorm_params p;
    cl_kernel kernel;
    cl_mem ab; /* a[c], b[c] interleaved */
    elt_shape shape;
    int state;
    size_t global[2], local[2];
    /* training mode */
    cl_kernel stats_kernel;
    cl_mem stats; /* scale[C], B[C], mean[C], var[C] */
    size_t stats_global, stats_local;
};

#define BN_WG 64 /* batchnorm_stats' work-group size (cl/eltwise.cl) */

void oclnn_batchnorm_params_init(oclnn_batchnorm_params *p) {
    if (!p) return;
    memset(p, 0, sizeof *p);
    p->channels = 1;
    p->epsilon = 1e-5f;
    p->activation_alpha = 0.01f;
    p->momentum = 0.9f;
}

/* Training mode: the four arrays go to the device as they are; ab is computed there at every enqueue. */
static oclnn_status create_training(oclnn_context *ctx, const oclnn_batchnorm_params *p, const float *scale,
                                    const float *bias, const float *mean, const float *var, oclnn_batchnorm **out) {
    oclnn_errbuf *eb = &ctx->err;
    size_t c = p->channels;
    if (!isfinite(p->momentum))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "batchnorm: momentum (%g) must be finite",
                          (double)p->momentum);
    for (size_t i = 0; i < c; i++)
        if (!isfinite(scale[i]) || !isfinite(bias[i]) || !isfinite(mean[i]) || !isfinite(var[i]))
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                              "batchnorm: channel %zu: scale, B, mean and var must be finite", i);
    float *host = oclnn_malloc(ctx->alloc, 4 * c * sizeof(float));
    oclnn_batchnorm *op = oclnn_calloc(ctx->alloc, 1, sizeof *op);
    if (!host || !op) {
        oclnn_free(ctx->alloc, host);
        oclnn_free(ctx->alloc, op);
        return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating batchnorm (training mode)");
    }
    memcpy(host, scale, c * sizeof(float));
    memcpy(host + c, bias, c * sizeof(float));
    memcpy(host + 2 * c, mean, c * sizeof(float));
    memcpy(host + 3 * c, var, c * sizeof(float));
    op->ctx = ctx;
    op->p = *p;
    cl_int err;
    oclnn_status st = OCLNN_STATUS_OK;
    op->stats = clw_CreateBuffer(ctx->cl, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, 4 * c * sizeof(float), host, &err);
    oclnn_free(ctx->alloc, host);
    if (!op->stats) st = clw_fail(eb, err, "clCreateBuffer (batchnorm statistics)");
    if (!st) {
        op->ab = clw_CreateBuffer(ctx->cl, CL_MEM_READ_WRITE, 2 * c * sizeof(float), NULL, &err);
        if (!op->ab) st = clw_fail(eb, err, "clCreateBuffer (batchnorm scale and shift)");
    }
    if (!st) st = oclnn_elt_kernel(ctx, OCLNN_ACTIVATION_NONE, 0, "batchnorm_stats", &op->stats_kernel);
    if (!st) st = oclnn_elt_kernel(ctx, p->activation, 0, "eltwise_scale_shift", &op->kernel);
    if (st) {
        oclnn_batchnorm_destroy(op);
        return st;
    }
    op->state = ELT_CREATED;
    *out = op;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_batchnorm_create(oclnn_context *ctx, const oclnn_batchnorm_params *params, const float *scale,
                                    const float *bias, const float *mean, const float *var, oclnn_batchnorm **out) {
    oclnn_errbuf *eb = ctx ? &ctx->err : NULL;
    if (!out) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "batchnorm_create: out is NULL");
    *out = NULL;
    if (!ctx || !params || !scale || !bias || !mean || !var)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "batchnorm_create: ctx, params, scale, bias, mean and var must be set");
    const oclnn_batchnorm_params *p = params;
    if (p->channels < 1 || p->channels > ELT_MAX_INDEX / 2)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "batchnorm: channels (%u) must be 1 to 2^30", p->channels);
    if (!(p->epsilon >= 0) || !isfinite(p->epsilon))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "batchnorm: epsilon (%g) must be finite and >= 0",
                          (double)p->epsilon);
    oclnn_status st = oclnn_elt_check_activation(eb, "batchnorm", p->activation, p->activation_alpha,
                                                 p->activation_beta);
    if (st) return st;
    size_t c = p->channels;
    if (p->training_mode) return create_training(ctx, p, scale, bias, mean, var, out);
    float *ab = oclnn_malloc(ctx->alloc, 2 * c * sizeof(float));
    if (!ab) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "batchnorm: folding %zu channels", c);
    for (size_t i = 0; i < c; i++) {
        double v = (double)var[i] + (double)p->epsilon;
        /* In double, so that the only float rounding left is of the final a and b. */
        double a = (double)scale[i] / sqrt(v), b = (double)bias[i] - (double)mean[i] * a;
        if (!(v > 0) || !isfinite(a) || !isfinite(b) || fabs(a) > 3.4e38 || fabs(b) > 3.4e38) {
            oclnn_free(ctx->alloc, ab);
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                              "batchnorm: channel %zu: var + epsilon (%g) must be > 0 and scale / sqrt(var + epsilon), "
                              "B - mean * that finite f32 values (scale %g, B %g, mean %g)",
                              i, v, (double)scale[i], (double)bias[i], (double)mean[i]);
        }
        ab[2 * i] = (float)a;
        ab[2 * i + 1] = (float)b;
    }
    oclnn_batchnorm *op = oclnn_calloc(ctx->alloc, 1, sizeof *op);
    if (!op) {
        oclnn_free(ctx->alloc, ab);
        return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating batchnorm");
    }
    op->ctx = ctx;
    op->p = *p;
    cl_int err;
    op->ab = clw_CreateBuffer(ctx->cl, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, 2 * c * sizeof(float), ab, &err);
    oclnn_free(ctx->alloc, ab);
    if (!op->ab) st = clw_fail(eb, err, "clCreateBuffer (batchnorm scale and shift)");
    else st = oclnn_elt_kernel(ctx, p->activation, 0, "eltwise_scale_shift", &op->kernel);
    if (st) {
        oclnn_batchnorm_destroy(op);
        return st;
    }
    op->state = ELT_CREATED;
    *out = op;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_batchnorm_reshape(oclnn_batchnorm *op, size_t ndim, const int64_t *dims) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "batchnorm_reshape: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    op->state = ELT_CREATED;
    oclnn_status st = oclnn_elt_shape_set(eb, "batchnorm", ndim, dims, &op->shape);
    if (st) return st;
    if (ndim < 2 || dims[1] != (int64_t)op->p.channels) {
        char s[96];
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "batchnorm: input %s must be N x %u x ... (rank 2 to 5)",
                          oclnn_elt_shape_str(&op->shape, s, sizeof s), op->p.channels);
    }
    /* eltwise_scale_shift: chunks of ELT_BCAST_XT elements of each of the N*C rows of spatial elements,
     * ELT_LOCAL chunks per group. */
    size_t rows = (size_t)dims[0] * op->p.channels, spatial = op->shape.count / rows;
    op->global[0] = (spatial + ELT_BCAST_XT - 1) / ELT_BCAST_XT * rows;
    op->global[0] = (op->global[0] + ELT_LOCAL - 1) / ELT_LOCAL * ELT_LOCAL;
    op->global[1] = 1;
    op->local[0] = ELT_LOCAL;
    op->local[1] = 1;
    op->stats_global = BN_WG * (size_t)op->p.channels;
    op->stats_local = BN_WG;
    op->state = ELT_RESHAPED;
    return OCLNN_STATUS_OK;
}

/* An f32 tensor of exactly @p c elements for a running statistic. */
static oclnn_status check_running(oclnn_errbuf *eb, const char *what, const oclnn_tensor *t, size_t c) {
    if (t->dtype != OCLNN_DTYPE_F32 || t->nbytes != c * sizeof(float) || t->offset % sizeof(float))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "batchnorm: %s must be an f32 tensor of %zu elements", what,
                          c);
    return OCLNN_STATUS_OK;
}

static oclnn_status setup_common(oclnn_batchnorm *op, const oclnn_tensor *input, oclnn_tensor *output,
                                 oclnn_tensor *running_mean, oclnn_tensor *running_var) {
    oclnn_errbuf *eb = &op->ctx->err;
    if (op->state == ELT_CREATED) return oclnn_fail(eb, OCLNN_STATUS_INVALID_STATE, "batchnorm: setup before reshape");
    oclnn_status st = oclnn_elt_check_inout(eb, "batchnorm", input, output, &op->shape);
    if (st) return st;
    if (!running_mean != !running_var)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "batchnorm: give both running statistics or neither");
    if (running_mean && ((st = check_running(eb, "running_mean", running_mean, op->p.channels)) ||
                         (st = check_running(eb, "running_var", running_var, op->p.channels))))
        return st;
    op->state = ELT_RESHAPED;
    if (op->p.training_mode) {
        int has = running_mean != NULL;
        elt_args s = {op->stats_kernel, 0, CL_SUCCESS};
        oclnn_elt_arg_mem(&s, input->mem);
        oclnn_elt_arg_int(&s, input->offset / sizeof(float));
        oclnn_elt_arg_int(&s, (size_t)op->shape.d[0]);
        oclnn_elt_arg_int(&s, op->p.channels);
        oclnn_elt_arg_int(&s, op->shape.count / ((size_t)op->shape.d[0] * op->p.channels));
        oclnn_elt_arg_mem(&s, op->stats);
        oclnn_elt_arg_float(&s, op->p.epsilon);
        oclnn_elt_arg_float(&s, op->p.momentum);
        oclnn_elt_arg_mem(&s, op->ab);
        oclnn_elt_arg_int(&s, (size_t)has);
        oclnn_elt_arg_mem(&s, has ? running_mean->mem : op->ab); /* any valid buffer stands in for an unused one */
        oclnn_elt_arg_int(&s, has ? running_mean->offset / sizeof(float) : 0);
        oclnn_elt_arg_mem(&s, has ? running_var->mem : op->ab);
        oclnn_elt_arg_int(&s, has ? running_var->offset / sizeof(float) : 0);
        if ((st = oclnn_elt_args_done(&s, eb, "batchnorm"))) return st;
    }
    size_t spatial = op->shape.count / ((size_t)op->shape.d[0] * op->p.channels);
    elt_args a = {op->kernel, 0, CL_SUCCESS};
    oclnn_elt_arg_mem(&a, input->mem);
    oclnn_elt_arg_int(&a, input->offset / sizeof(float));
    oclnn_elt_arg_mem(&a, op->ab);
    oclnn_elt_arg_int(&a, spatial);
    oclnn_elt_arg_int(&a, op->p.channels);
    oclnn_elt_arg_mem(&a, output->mem);
    oclnn_elt_arg_int(&a, output->offset / sizeof(float));
    oclnn_elt_arg_int(&a, op->shape.count);
    oclnn_elt_arg_float(&a, op->p.activation_alpha);
    oclnn_elt_arg_float(&a, op->p.activation_beta);
    if ((st = oclnn_elt_args_done(&a, eb, "batchnorm"))) return st;
    op->state = ELT_READY;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_batchnorm_setup(oclnn_batchnorm *op, const oclnn_tensor *input, oclnn_tensor *output) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "batchnorm_setup: op is NULL");
    return setup_common(op, input, output, NULL, NULL);
}

oclnn_status oclnn_batchnorm_setup_training(oclnn_batchnorm *op, const oclnn_tensor *input, oclnn_tensor *output,
                                            oclnn_tensor *running_mean, oclnn_tensor *running_var) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "batchnorm_setup_training: op is NULL");
    if (!op->p.training_mode)
        return oclnn_fail(&op->ctx->err, OCLNN_STATUS_INVALID_STATE,
                          "batchnorm: setup_training on an operator created in inference mode");
    return setup_common(op, input, output, running_mean, running_var);
}

oclnn_status oclnn_batchnorm_enqueue(oclnn_batchnorm *op, uint32_t queue, oclnn_event **event) {
    if (event) *event = NULL;
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "batchnorm_enqueue: op is NULL");
    oclnn_status st = oclnn_elt_check_enqueue(op->ctx, "batchnorm", op->state, queue);
    if (!st && op->p.training_mode) /* the in-order queue runs the statistics before the normalization */
        st = oclnn_elt_launch(op->ctx, queue, op->stats_kernel, 1, &op->stats_global, &op->stats_local, NULL,
                              "batchnorm statistics");
    return st ? st : oclnn_elt_launch(op->ctx, queue, op->kernel, 1, op->global, op->local, event, "batchnorm");
}

void oclnn_batchnorm_destroy(oclnn_batchnorm *op) {
    if (!op) return;
    if (op->kernel) clw_ReleaseKernel(op->kernel);
    if (op->stats_kernel) clw_ReleaseKernel(op->stats_kernel);
    if (op->ab) clw_ReleaseMemObject(op->ab);
    if (op->stats) clw_ReleaseMemObject(op->stats);
    oclnn_free(op->ctx->alloc, op);
}
