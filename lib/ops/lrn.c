/* lrn.c - the LRN operator (ONNX LRN across channels): parameter rules and the lifecycle
 * create -> reshape -> setup -> enqueue -> destroy around cl/lrn.cl.
 */
#include <math.h>
#include <string.h>

#include "ops/axis_util.h"

enum { LRN_CREATED, LRN_RESHAPED, LRN_READY };

#define LRN_MAX_SIZE 127 /* cl/lrn.cl unrolls the window; beyond this it would only bloat the kernel */
#define LRN_VEC 8        /* pixels per work-item: cl/lrn.cl's default VEC, one AVX2 register of floats */

struct oclnn_lrn {
    oclnn_context *ctx;
    oclnn_lrn_params p;
    cl_kernel kernel;
    /* Set by reshape. */
    size_t ndim;
    int64_t dims[OCLNN_KERNEL_MAX_DIMS];
    size_t n, c, inner;
    size_t global, local;
    int state;
};

/* cl/lrn.cl's BETA_MODE: the betas with a faster exact-enough form than pow (0: none). */
static int beta_mode(float beta) {
    if (beta == 0.75f) return 1;
    if (beta == 0.5f) return 2;
    if (beta == 1.0f) return 3;
    return 0;
}

void oclnn_lrn_params_init(oclnn_lrn_params *p) {
    if (!p) return;
    memset(p, 0, sizeof *p);
    p->size = 5;
    p->alpha = 1e-4f;
    p->beta = 0.75f;
    p->bias = 1.0f;
}

oclnn_status oclnn_lrn_create(oclnn_context *ctx, const oclnn_lrn_params *params, oclnn_lrn **out) {
    oclnn_errbuf *eb = ctx ? &ctx->err : NULL;
    if (!out) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "lrn_create: out is NULL");
    *out = NULL;
    if (!ctx || !params) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "lrn_create: ctx and params must be set");
    if (!params->size) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "lrn: size must be >= 1");
    if (!isfinite(params->alpha) || !isfinite(params->beta) || !isfinite(params->bias))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "lrn: alpha (%g), beta (%g) and bias (%g) must be finite",
                          (double)params->alpha, (double)params->beta, (double)params->bias);
    if (params->size > LRN_MAX_SIZE)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "lrn: size %u is above %d", params->size, LRN_MAX_SIZE);
    oclnn_lrn *op = oclnn_calloc(ctx->alloc, 1, sizeof *op);
    if (!op) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating lrn");
    op->ctx = ctx;
    op->p = *params;
    oclnn_opts o;
    oclnn_opts_init(&o);
    oclnn_opts_int(&o, "SIZE", params->size, 5);
    oclnn_opts_int(&o, "VEC", LRN_VEC, 8);
    oclnn_opts_int(&o, "BETA_MODE", beta_mode(params->beta), 0);
    oclnn_status st = oclnn_kernel_create(ctx, OCLNN_KERNEL_LRN, o.buf, "lrn_across_channels", &op->kernel);
    if (st) {
        oclnn_lrn_destroy(op);
        return st;
    }
    op->state = LRN_CREATED;
    *out = op;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_lrn_reshape(oclnn_lrn *op, size_t ndim, const int64_t *dims) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "lrn_reshape: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    size_t count, outer;
    if (!dims || ndim < 2 || ndim > OCLNN_KERNEL_MAX_DIMS)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "lrn: the input is N x C x ..., 2 to %d dimensions, got %zu",
                          OCLNN_KERNEL_MAX_DIMS, dims ? ndim : 0);
    oclnn_status st = oclnn_axis_check_shape(eb, "lrn", ndim, dims, &count);
    if (st) return st;
    op->ndim = ndim;
    memcpy(op->dims, dims, ndim * sizeof *dims);
    oclnn_axis_split(dims, ndim, 1, &outer, &op->c, &op->inner);
    op->n = outer;
    oclnn_axis_launch_1d(op->ctx, op->n * ((op->inner + LRN_VEC - 1) / LRN_VEC), &op->global, &op->local);
    op->state = LRN_RESHAPED;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_lrn_setup(oclnn_lrn *op, const oclnn_tensor *input, oclnn_tensor *output) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "lrn_setup: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    if (op->state == LRN_CREATED) return oclnn_fail(eb, OCLNN_STATUS_INVALID_STATE, "lrn: setup before reshape");
    oclnn_status st;
    if ((st = oclnn_axis_check_tensor(eb, "lrn", "input", input, OCLNN_DTYPE_F32, op->ndim, op->dims)) ||
        (st = oclnn_axis_check_tensor(eb, "lrn", "output", output, OCLNN_DTYPE_F32, op->ndim, op->dims)))
        return st;
    /* A work-item reads channels ahead of the one it writes: in place would read results. */
    if (oclnn_tensors_overlap(input, output))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "lrn: input and output overlap");
    op->state = LRN_RESHAPED;
    int x_off = (int)(input->offset / sizeof(float)), y_off = (int)(output->offset / sizeof(float));
    int n = (int)op->n, c = (int)op->c, inner = (int)op->inner;
    float aos = (float)((double)op->p.alpha / op->p.size), beta = op->p.beta, bias = op->p.bias;
    cl_kernel k = op->kernel;
    cl_int err = CL_SUCCESS;
    cl_uint i = 0;
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &input->mem);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &x_off);
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &output->mem);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &y_off);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &n);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &c);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &inner);
    err |= clw_SetKernelArg(k, i++, sizeof(float), &aos);
    err |= clw_SetKernelArg(k, i++, sizeof(float), &beta);
    err |= clw_SetKernelArg(k, i++, sizeof(float), &bias);
    if (err != CL_SUCCESS) return oclnn_fail(eb, OCLNN_STATUS_OPENCL_ERROR, "lrn: clSetKernelArg failed");
    op->state = LRN_READY;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_lrn_enqueue(oclnn_lrn *op, uint32_t queue, oclnn_event **event) {
    if (event) *event = NULL;
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "lrn_enqueue: op is NULL");
    oclnn_context *ctx = op->ctx;
    if (op->state != LRN_READY)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_STATE, "lrn: enqueue before reshape and setup");
    if (queue >= ctx->num_queues)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "lrn: queue %u of %u", queue, ctx->num_queues);
    cl_event ev = NULL;
    cl_int err = clw_EnqueueNDRangeKernel(ctx->queues[queue], op->kernel, 1, &op->global, &op->local, 0, NULL,
                                          event ? &ev : NULL);
    if (err != CL_SUCCESS) return clw_fail(&ctx->err, err, "clEnqueueNDRangeKernel (lrn)");
    return event ? oclnn_event_wrap(ctx, ev, event) : OCLNN_STATUS_OK;
}

void oclnn_lrn_destroy(oclnn_lrn *op) {
    if (!op) return;
    if (op->kernel) clw_ReleaseKernel(op->kernel);
    oclnn_free(op->ctx->alloc, op);
}
