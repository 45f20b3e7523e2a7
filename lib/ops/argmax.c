/* argmax.c - the ArgMax operator (ONNX: axis, keepdims, select_last_index; int64 indices): output shapes, and
 * the lifecycle create -> reshape -> setup -> enqueue -> destroy around cl/argmax.cl.
 */
#include <string.h>

#include "ops/axis_util.h"

enum { ARGMAX_CREATED, ARGMAX_RESHAPED, ARGMAX_READY };

/* Positions per work-item (cl/argmax.cl's default VEC: one AVX2 register of floats). */
#define ARGMAX_VEC 8

struct oclnn_argmax {
    oclnn_context *ctx;
    oclnn_argmax_params p;
    cl_kernel kernel;
    /* Set by reshape. */
    size_t ndim, out_ndim;
    int64_t dims[OCLNN_KERNEL_MAX_DIMS], out_dims[OCLNN_KERNEL_MAX_DIMS];
    size_t outer, len, inner;
    size_t global, local;
    int state;
};

void oclnn_argmax_params_init(oclnn_argmax_params *p) {
    if (!p) return;
    memset(p, 0, sizeof *p);
    p->keepdims = 1;
}

oclnn_status oclnn_argmax_create(oclnn_context *ctx, const oclnn_argmax_params *params, oclnn_argmax **out) {
    oclnn_errbuf *eb = ctx ? &ctx->err : NULL;
    if (!out) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "argmax_create: out is NULL");
    *out = NULL;
    if (!ctx || !params)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "argmax_create: ctx and params must be set");
    if (params->axis < -OCLNN_KERNEL_MAX_DIMS || params->axis >= OCLNN_KERNEL_MAX_DIMS)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "argmax: axis %d is outside [-%d, %d] for any tensor",
                          params->axis, OCLNN_KERNEL_MAX_DIMS, OCLNN_KERNEL_MAX_DIMS - 1);
    if ((unsigned)params->keepdims > 1 || (unsigned)params->select_last_index > 1)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "argmax: keepdims (%d) and select_last_index (%d) must be 0 or 1", params->keepdims,
                          params->select_last_index);
    oclnn_argmax *op = oclnn_calloc(ctx->alloc, 1, sizeof *op);
    if (!op) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating argmax");
    op->ctx = ctx;
    op->p = *params;
    oclnn_opts o;
    oclnn_opts_init(&o);
    oclnn_opts_int(&o, "SELECT_LAST", params->select_last_index, 0);
    oclnn_opts_int(&o, "VEC", ARGMAX_VEC, 8);
    oclnn_status st = oclnn_kernel_create(ctx, OCLNN_KERNEL_ARGMAX, o.buf, "argmax_strided", &op->kernel);
    if (st) {
        oclnn_argmax_destroy(op);
        return st;
    }
    op->state = ARGMAX_CREATED;
    *out = op;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_argmax_reshape(oclnn_argmax *op, size_t ndim, const int64_t *dims, size_t *out_ndim,
                                  int64_t *out_dims) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "argmax_reshape: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    size_t count, axis;
    oclnn_status st = oclnn_axis_check_shape(eb, "argmax", ndim, dims, &count);
    if (st) return st;
    if (!oclnn_axis_resolve(op->p.axis, ndim, &axis))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "argmax: axis %d is outside [-%zu, %zu] for a %zu-D input",
                          op->p.axis, ndim, ndim - 1, ndim);
    op->ndim = ndim;
    memcpy(op->dims, dims, ndim * sizeof *dims);
    oclnn_axis_split(dims, ndim, axis, &op->outer, &op->len, &op->inner);
    op->out_ndim = 0;
    for (size_t d = 0; d < ndim; d++) {
        if (d != axis)
            op->out_dims[op->out_ndim++] = dims[d];
        else if (op->p.keepdims)
            op->out_dims[op->out_ndim++] = 1;
    }
    oclnn_axis_launch_1d(op->ctx, op->outer * ((op->inner + ARGMAX_VEC - 1) / ARGMAX_VEC), &op->global, &op->local);
    op->state = ARGMAX_RESHAPED;
    if (out_ndim) *out_ndim = op->out_ndim;
    if (out_dims) memcpy(out_dims, op->out_dims, op->out_ndim * sizeof *out_dims);
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_argmax_setup(oclnn_argmax *op, const oclnn_tensor *input, oclnn_tensor *output) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "argmax_setup: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    if (op->state == ARGMAX_CREATED) return oclnn_fail(eb, OCLNN_STATUS_INVALID_STATE, "argmax: setup before reshape");
    static const int64_t scalar[1] = {1}; /* a 0-D result is held by a [1] tensor */
    oclnn_status st;
    if ((st = oclnn_axis_check_tensor(eb, "argmax", "input", input, OCLNN_DTYPE_F32, op->ndim, op->dims)) ||
        (st = oclnn_axis_check_tensor(eb, "argmax", "output", output, OCLNN_DTYPE_I64, op->out_ndim ? op->out_ndim : 1,
                                      op->out_ndim ? op->out_dims : scalar)))
        return st;
    if (oclnn_tensors_overlap(input, output))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "argmax: input and output overlap");
    op->state = ARGMAX_RESHAPED;
    int x_off = (int)(input->offset / sizeof(float)), y_off = (int)(output->offset / sizeof(int64_t));
    int outer = (int)op->outer, len = (int)op->len, inner = (int)op->inner;
    cl_kernel k = op->kernel;
    cl_int err = CL_SUCCESS;
    cl_uint i = 0;
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &input->mem);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &x_off);
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &output->mem);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &y_off);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &outer);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &len);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &inner);
    if (err != CL_SUCCESS) return oclnn_fail(eb, OCLNN_STATUS_OPENCL_ERROR, "argmax: clSetKernelArg failed");
    op->state = ARGMAX_READY;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_argmax_enqueue(oclnn_argmax *op, uint32_t queue, oclnn_event **event) {
    if (event) *event = NULL;
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "argmax_enqueue: op is NULL");
    oclnn_context *ctx = op->ctx;
    if (op->state != ARGMAX_READY)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_STATE, "argmax: enqueue before reshape and setup");
    if (queue >= ctx->num_queues)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "argmax: queue %u of %u", queue, ctx->num_queues);
    cl_event ev = NULL;
    cl_int err = clw_EnqueueNDRangeKernel(ctx->queues[queue], op->kernel, 1, &op->global, &op->local, 0, NULL,
                                          event ? &ev : NULL);
    if (err != CL_SUCCESS) return clw_fail(&ctx->err, err, "clEnqueueNDRangeKernel (argmax)");
    return event ? oclnn_event_wrap(ctx, ev, event) : OCLNN_STATUS_OK;
}

void oclnn_argmax_destroy(oclnn_argmax *op) {
    if (!op) return;
    if (op->kernel) clw_ReleaseKernel(op->kernel);
    oclnn_free(op->ctx->alloc, op);
}
