/* softmax.c - the Softmax / LogSoftmax operator (ONNX opset 13, and opset < 13 flattening by flag): the axis
 * seen as [outer][len][inner], the choice between cl/softmax.cl's two kernels, and the lifecycle
 * create -> reshape -> setup -> enqueue -> destroy.
 */
#include <string.h>

#include "ops/axis_util.h"

enum { SOFTMAX_CREATED, SOFTMAX_RESHAPED, SOFTMAX_READY };

/* The work-group size of softmax_rows (cl/softmax.cl's default WG), and the shortest row that it serves: below
 * it, most items of a group would be idle and one work-item per row (softmax_strided) does better. */
#define ROWS_WG 64
#define ROWS_MIN_LEN (2 * ROWS_WG)
/* Positions per work-item of softmax_strided, rows per work-item of softmax_short_rows: the file's default VEC
 * (one AVX2 register of floats) on GPUs, 16 floats on CPUs, so that a work-item reads and writes whole 64-byte
 * lines of each channel: the channels of a map lie a multiple of 4 KiB apart and share cache sets, so a half line
 * left for the next work-item is evicted before it gets there (per-pixel softmax over 21 classes of a 512x512 map
 * 1.3x faster on POCL/AVX-512, 25% -> 33% of a copy kernel's bandwidth). */
#define STRIDED_VEC_GPU 8
#define STRIDED_VEC_CPU 16
/* Longest axis softmax_strided keeps in private memory on CPUs (cl/softmax.cl's CACHE_LEN default). */
#define STRIDED_CACHE_LEN 64

struct oclnn_softmax {
    oclnn_context *ctx;
    oclnn_softmax_params p;
    cl_kernel strided, rows, short_rows;
    size_t vec;  /* VEC of the program: STRIDED_VEC_CPU or STRIDED_VEC_GPU */
    int rows_ok; /* the device runs softmax_rows with ROWS_WG items */
    /* Set by reshape. */
    size_t ndim;
    int64_t dims[OCLNN_KERNEL_MAX_DIMS];
    size_t outer, len, inner;
    cl_kernel kernel; /* the one of the three that serves this shape (not owned) */
    size_t global, local;
    int state;
};

void oclnn_softmax_params_init(oclnn_softmax_params *p) {
    if (!p) return;
    memset(p, 0, sizeof *p);
    p->axis = -1;
}

oclnn_status oclnn_softmax_create(oclnn_context *ctx, const oclnn_softmax_params *params, oclnn_softmax **out) {
    oclnn_errbuf *eb = ctx ? &ctx->err : NULL;
    if (!out) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "softmax_create: out is NULL");
    *out = NULL;
    if (!ctx || !params)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "softmax_create: ctx and params must be set");
    if (params->axis < -OCLNN_KERNEL_MAX_DIMS || params->axis >= OCLNN_KERNEL_MAX_DIMS)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "softmax: axis %d is outside [-%d, %d] for any tensor",
                          params->axis, OCLNN_KERNEL_MAX_DIMS, OCLNN_KERNEL_MAX_DIMS - 1);
    if ((unsigned)params->log > 1 || (unsigned)params->flatten_2d > 1)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "softmax: log (%d) and flatten_2d (%d) must be 0 or 1",
                          params->log, params->flatten_2d);
    oclnn_softmax *op = oclnn_calloc(ctx->alloc, 1, sizeof *op);
    if (!op) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating softmax");
    op->ctx = ctx;
    op->p = *params;
    oclnn_opts o;
    oclnn_opts_init(&o);
    oclnn_opts_int(&o, "LOG", params->log, 0);
    op->vec = ctx->info.type == OCLNN_DEVICE_TYPE_CPU ? STRIDED_VEC_CPU : STRIDED_VEC_GPU;
    oclnn_opts_int(&o, "VEC", (long)op->vec, 8);
    oclnn_opts_int(&o, "WG", ROWS_WG, 64);
    /* Private column copies help CPUs (cache-set conflicts between passes) and would spill on GPUs. */
    oclnn_opts_int(&o, "CACHE_LEN", ctx->info.type == OCLNN_DEVICE_TYPE_CPU ? STRIDED_CACHE_LEN : 0, 64);
    oclnn_status st = oclnn_kernel_create(ctx, OCLNN_KERNEL_SOFTMAX, o.buf, "softmax_strided", &op->strided);
    if (!st) st = oclnn_kernel_create(ctx, OCLNN_KERNEL_SOFTMAX, o.buf, "softmax_rows", &op->rows);
    if (!st) st = oclnn_kernel_create(ctx, OCLNN_KERNEL_SOFTMAX, o.buf, "softmax_short_rows", &op->short_rows);
    if (st) {
        oclnn_softmax_destroy(op);
        return st;
    }
    /* A device may run a kernel with fewer items per group than its maximum (registers, local memory). */
    size_t kwg = 0;
    if (clw_GetKernelWorkGroupInfo(op->rows, ctx->device, CL_KERNEL_WORK_GROUP_SIZE, sizeof kwg, &kwg, NULL) ==
        CL_SUCCESS)
        op->rows_ok = kwg >= ROWS_WG;
    op->state = SOFTMAX_CREATED;
    *out = op;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_softmax_reshape(oclnn_softmax *op, size_t ndim, const int64_t *dims) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "softmax_reshape: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    size_t count, axis;
    oclnn_status st = oclnn_axis_check_shape(eb, "softmax", ndim, dims, &count);
    if (st) return st;
    if (!oclnn_axis_resolve(op->p.axis, ndim, &axis))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "softmax: axis %d is outside [-%zu, %zu] for a %zu-D input", op->p.axis, ndim, ndim - 1,
                          ndim);
    op->state = SOFTMAX_CREATED; /* until the new shape is complete */
    oclnn_axis_split(dims, ndim, axis, &op->outer, &op->len, &op->inner);
    if (op->p.flatten_2d) { /* opset < 13: one row of everything from axis on */
        op->len *= op->inner;
        op->inner = 1;
    }
    op->ndim = ndim;
    memcpy(op->dims, dims, ndim * sizeof *dims);
    if (op->inner == 1 && op->len >= ROWS_MIN_LEN && op->rows_ok) {
        op->kernel = op->rows;
        op->local = ROWS_WG;
        op->global = op->outer * ROWS_WG;
    } else if (op->inner == 1) {
        op->kernel = op->short_rows;
        oclnn_axis_launch_1d(op->ctx, (op->outer + op->vec - 1) / op->vec, &op->global, &op->local);
    } else {
        op->kernel = op->strided;
        oclnn_axis_launch_1d(op->ctx, op->outer * ((op->inner + op->vec - 1) / op->vec), &op->global,
                             &op->local);
    }
    op->state = SOFTMAX_RESHAPED;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_softmax_setup(oclnn_softmax *op, const oclnn_tensor *input, oclnn_tensor *output) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "softmax_setup: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    if (op->state == SOFTMAX_CREATED)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_STATE, "softmax: setup before reshape");
    oclnn_status st;
    if ((st = oclnn_axis_check_tensor(eb, "softmax", "input", input, OCLNN_DTYPE_F32, op->ndim, op->dims)) ||
        (st = oclnn_axis_check_tensor(eb, "softmax", "output", output, OCLNN_DTYPE_F32, op->ndim, op->dims)))
        return st;
    /* In place is safe (each element is read and written by one work-item); a shifted overlap is not. */
    if (oclnn_tensors_overlap(input, output) && input->offset != output->offset)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "softmax: input and output overlap without being the same");
    op->state = SOFTMAX_RESHAPED;
    int x_off = (int)(input->offset / sizeof(float)), y_off = (int)(output->offset / sizeof(float));
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
    if (k == op->strided) err |= clw_SetKernelArg(k, i++, sizeof(int), &inner);
    if (err != CL_SUCCESS) return oclnn_fail(eb, OCLNN_STATUS_OPENCL_ERROR, "softmax: clSetKernelArg failed");
    op->state = SOFTMAX_READY;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_softmax_enqueue(oclnn_softmax *op, uint32_t queue, oclnn_event **event) {
    if (event) *event = NULL;
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "softmax_enqueue: op is NULL");
    oclnn_context *ctx = op->ctx;
    if (op->state != SOFTMAX_READY)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_STATE, "softmax: enqueue before reshape and setup");
    if (queue >= ctx->num_queues)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "softmax: queue %u of %u", queue, ctx->num_queues);
    cl_event ev = NULL;
    cl_int err = clw_EnqueueNDRangeKernel(ctx->queues[queue], op->kernel, 1, &op->global, &op->local, 0, NULL,
                                          event ? &ev : NULL);
    if (err != CL_SUCCESS) return clw_fail(&ctx->err, err, "clEnqueueNDRangeKernel (softmax)");
    return event ? oclnn_event_wrap(ctx, ev, event) : OCLNN_STATUS_OK;
}

void oclnn_softmax_destroy(oclnn_softmax *op) {
    if (!op) return;
    if (op->strided) clw_ReleaseKernel(op->strided);
    if (op->short_rows) clw_ReleaseKernel(op->short_rows);
    if (op->rows) clw_ReleaseKernel(op->rows);
    oclnn_free(op->ctx->alloc, op);
}
