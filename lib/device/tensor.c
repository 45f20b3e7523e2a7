/* tensor.c - device tensors (a buffer, a byte offset, a dtype and a shape), host transfers, and events. */
#include <string.h>

#include "device.h"

size_t oclnn_dtype_size(oclnn_dtype dtype) {
    switch (dtype) {
    case OCLNN_DTYPE_F32: return 4;
    case OCLNN_DTYPE_F16: return 2;
    case OCLNN_DTYPE_I32: return 4;
    case OCLNN_DTYPE_I64: return 8;
    default: return 0;
    }
}

oclnn_status oclnn_shape_bytes(oclnn_errbuf *eb, oclnn_dtype dtype, size_t ndim, const int64_t *dims, size_t *bytes) {
    size_t es = oclnn_dtype_size(dtype);
    if (!es) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "unknown data type %d", (int)dtype);
    if (ndim < 1 || ndim > OCLNN_MAX_DIMS || !dims)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "a tensor has 1 to %d dimensions, got %zu", OCLNN_MAX_DIMS,
                          ndim);
    size_t total = es;
    for (size_t i = 0; i < ndim; i++) {
        if (dims[i] < 1) return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "dimension %zu is %lld", i, (long long)dims[i]);
        if ((uint64_t)dims[i] > SIZE_MAX || !oclnn_mul_size(total, (size_t)dims[i], &total))
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "tensor size overflows");
    }
    *bytes = total;
    return OCLNN_STATUS_OK;
}

static oclnn_status tensor_new(oclnn_context *ctx, oclnn_dtype dtype, size_t ndim, const int64_t *dims,
                               oclnn_tensor **out, size_t *bytes) {
    oclnn_status st = oclnn_shape_bytes(&ctx->err, dtype, ndim, dims, bytes);
    if (st) return st;
    oclnn_tensor *t = oclnn_calloc(ctx->alloc, 1, sizeof *t);
    if (!t) return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating a tensor");
    t->ctx = ctx;
    t->dtype = dtype;
    t->ndim = ndim;
    memcpy(t->dims, dims, ndim * sizeof *dims);
    t->nbytes = *bytes;
    *out = t;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_tensor_create(oclnn_context *ctx, oclnn_dtype dtype, size_t ndim, const int64_t *dims,
                                 oclnn_tensor **out) {
    if (!out) return oclnn_fail(ctx ? &ctx->err : NULL, OCLNN_STATUS_INVALID_ARGUMENT, "tensor_create: out is NULL");
    *out = NULL;
    if (!ctx) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "tensor_create: ctx is NULL");
    size_t bytes;
    oclnn_tensor *t = NULL;
    oclnn_status st = tensor_new(ctx, dtype, ndim, dims, &t, &bytes);
    if (st) return st;
    /* Checked up front: many drivers accept an oversized request and fail only at first use. */
    uint64_t limit = ctx->info.max_alloc_bytes;
    if (ctx->alloc_cap && (!limit || ctx->alloc_cap < limit)) limit = ctx->alloc_cap;
    if (bytes > limit && limit) {
        oclnn_free(ctx->alloc, t);
        return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_DEVICE_MEMORY,
                          "tensor of %zu bytes exceeds the device's largest allocation (%llu bytes%s)", bytes,
                          (unsigned long long)limit, limit == ctx->alloc_cap ? ", as OCLNN_MAX_ALLOC_MB sets it" : "");
    }
    cl_int err;
    t->mem = clw_CreateBuffer(ctx->cl, CL_MEM_READ_WRITE, bytes, NULL, &err);
    if (!t->mem) {
        oclnn_free(ctx->alloc, t);
        return clw_fail(&ctx->err, err, "clCreateBuffer");
    }
    *out = t;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_tensor_wrap_cl_mem(oclnn_context *ctx, cl_mem buffer, size_t byte_offset, oclnn_dtype dtype,
                                      size_t ndim, const int64_t *dims, oclnn_tensor **out) {
    if (!out) return oclnn_fail(ctx ? &ctx->err : NULL, OCLNN_STATUS_INVALID_ARGUMENT, "tensor_wrap: out is NULL");
    *out = NULL;
    if (!ctx || !buffer) return oclnn_fail(ctx ? &ctx->err : NULL, OCLNN_STATUS_INVALID_ARGUMENT, "tensor_wrap: NULL");
    size_t bytes = 0, size = 0, end;
    oclnn_tensor *t = NULL;
    oclnn_status st = tensor_new(ctx, dtype, ndim, dims, &t, &bytes);
    if (st) return st;
    cl_int err = clw_GetMemObjectInfo(buffer, CL_MEM_SIZE, sizeof size, &size, NULL);
    if (err != CL_SUCCESS) st = clw_fail(&ctx->err, err, "clGetMemObjectInfo");
    else if (!oclnn_add_size(byte_offset, bytes, &end) || end > size)
        st = oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_SHAPE, "buffer of %zu bytes cannot hold %zu bytes at offset %zu",
                        size, bytes, byte_offset);
    else if ((err = clw_RetainMemObject(buffer)) != CL_SUCCESS)
        st = clw_fail(&ctx->err, err, "clRetainMemObject");
    if (st) {
        oclnn_free(ctx->alloc, t);
        return st;
    }
    t->mem = buffer;
    t->offset = byte_offset;
    *out = t;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_tensor_view(oclnn_tensor *base, size_t byte_offset, oclnn_dtype dtype, size_t ndim,
                               const int64_t *dims, oclnn_tensor **out) {
    if (!out) return oclnn_fail(base ? &base->ctx->err : NULL, OCLNN_STATUS_INVALID_ARGUMENT, "tensor_view: out is NULL");
    *out = NULL;
    if (!base) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "tensor_view: base is NULL");
    oclnn_context *ctx = base->ctx;
    size_t bytes = 0, end;
    oclnn_tensor *t = NULL;
    oclnn_status st = tensor_new(ctx, dtype, ndim, dims, &t, &bytes);
    if (st) return st;
    if (!oclnn_add_size(byte_offset, bytes, &end) || end > base->nbytes)
        st = oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_SHAPE, "tensor_view: %zu bytes at offset %zu do not fit in %zu",
                        bytes, byte_offset, base->nbytes);
    else if (clw_RetainMemObject(base->mem) != CL_SUCCESS)
        st = oclnn_fail(&ctx->err, OCLNN_STATUS_OPENCL_ERROR, "tensor_view: clRetainMemObject failed");
    if (st) {
        oclnn_free(ctx->alloc, t);
        return st;
    }
    t->mem = base->mem;
    t->offset = base->offset + byte_offset;
    *out = t;
    return OCLNN_STATUS_OK;
}

void oclnn_tensor_destroy(oclnn_tensor *t) {
    if (!t) return;
    if (t->mem) clw_ReleaseMemObject(t->mem);
    oclnn_free(t->ctx->alloc, t);
}

oclnn_dtype oclnn_tensor_dtype(const oclnn_tensor *t) { return t->dtype; }
size_t oclnn_tensor_ndim(const oclnn_tensor *t) { return t->ndim; }
void oclnn_tensor_dims(const oclnn_tensor *t, int64_t *dims) { memcpy(dims, t->dims, t->ndim * sizeof *dims); }
size_t oclnn_tensor_nbytes(const oclnn_tensor *t) { return t->nbytes; }

cl_mem oclnn_tensor_cl_mem(const oclnn_tensor *t, size_t *byte_offset) {
    if (byte_offset) *byte_offset = t ? t->offset : 0;
    return t ? t->mem : NULL;
}

static oclnn_status check_range(const oclnn_tensor *t, size_t off, size_t bytes, const void *host, const char *what) {
    if (!t) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "%s: tensor is NULL", what);
    size_t end;
    if (!host && bytes) return oclnn_fail(&t->ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "%s: host pointer is NULL", what);
    if (!oclnn_add_size(off, bytes, &end) || end > t->nbytes)
        return oclnn_fail(&t->ctx->err, OCLNN_STATUS_INVALID_ARGUMENT,
                          "%s: range [%zu, +%zu) is outside the tensor's %zu bytes", what, off, bytes, t->nbytes);
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_event_wrap(oclnn_context *ctx, cl_event ev, oclnn_event **out) {
    if (!out) {
        if (ev) clw_ReleaseEvent(ev);
        return OCLNN_STATUS_OK;
    }
    oclnn_event *e = oclnn_calloc(ctx->alloc, 1, sizeof *e);
    if (!e) {
        /* The work is queued and will run; only the caller's handle to it is lost. */
        clWaitForEvents(1, &ev);
        clw_ReleaseEvent(ev);
        return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating an event");
    }
    e->ctx = ctx;
    e->ev = ev;
    *out = e;
    return OCLNN_STATUS_OK;
}

static oclnn_status transfer(oclnn_tensor *t, size_t off, size_t bytes, void *host, int write, int blocking,
                             oclnn_event **event) {
    const char *what = write ? "tensor write" : "tensor read";
    if (event) *event = NULL;
    oclnn_status st = check_range(t, off, bytes, host, what);
    if (st) return st;
    if (!bytes && blocking) return OCLNN_STATUS_OK;
    cl_event ev = NULL;
    cl_event *pev = event ? &ev : NULL;
    cl_command_queue q = t->ctx->queues[0];
    cl_int err;
    if (!bytes)
        err = clw_EnqueueMarker(q, 0, NULL, pev);
    else if (write)
        err = clw_EnqueueWriteBuffer(q, t->mem, blocking, t->offset + off, bytes, host, 0, NULL, pev);
    else
        err = clw_EnqueueReadBuffer(q, t->mem, blocking, t->offset + off, bytes, host, 0, NULL, pev);
    if (err != CL_SUCCESS)
        return clw_fail(&t->ctx->err, err, write ? "clEnqueueWriteBuffer" : "clEnqueueReadBuffer");
    return event ? oclnn_event_wrap(t->ctx, ev, event) : OCLNN_STATUS_OK;
}

oclnn_status oclnn_tensor_write(oclnn_tensor *t, size_t off, size_t bytes, const void *src) {
    return transfer(t, off, bytes, (void *)src, 1, 1, NULL);
}
oclnn_status oclnn_tensor_read(const oclnn_tensor *t, size_t off, size_t bytes, void *dst) {
    return transfer((oclnn_tensor *)t, off, bytes, dst, 0, 1, NULL);
}
oclnn_status oclnn_tensor_write_async(oclnn_tensor *t, size_t off, size_t bytes, const void *src, oclnn_event **ev) {
    if (!ev) return oclnn_fail(t ? &t->ctx->err : NULL, OCLNN_STATUS_INVALID_ARGUMENT, "write_async: event is NULL");
    return transfer(t, off, bytes, (void *)src, 1, 0, ev);
}
oclnn_status oclnn_tensor_read_async(const oclnn_tensor *t, size_t off, size_t bytes, void *dst, oclnn_event **ev) {
    if (!ev) return oclnn_fail(t ? &t->ctx->err : NULL, OCLNN_STATUS_INVALID_ARGUMENT, "read_async: event is NULL");
    return transfer((oclnn_tensor *)t, off, bytes, dst, 0, 0, ev);
}

oclnn_status oclnn_tensor_zero(oclnn_tensor *t) {
    if (!t) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "tensor_zero: tensor is NULL");
    const cl_uchar zero = 0;
    cl_int err = clw_EnqueueFillBuffer(t->ctx->queues[0], t->mem, &zero, 1, t->offset, t->nbytes, 0, NULL, NULL);
    return err == CL_SUCCESS ? OCLNN_STATUS_OK : clw_fail(&t->ctx->err, err, "clEnqueueFillBuffer");
}

oclnn_status oclnn_event_wait(oclnn_event *e) {
    if (!e) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "event_wait: event is NULL");
    cl_int err = clw_WaitForEvents(1, &e->ev);
    return err == CL_SUCCESS ? OCLNN_STATUS_OK : clw_fail(&e->ctx->err, err, "clWaitForEvents");
}

oclnn_status oclnn_event_elapsed_ns(oclnn_event *e, uint64_t *ns) {
    if (!e || !ns) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "event_elapsed_ns: NULL");
    cl_ulong a = 0, b = 0;
    cl_int err = clw_GetEventProfilingInfo(e->ev, CL_PROFILING_COMMAND_START, sizeof a, &a, NULL);
    if (err == CL_SUCCESS) err = clw_GetEventProfilingInfo(e->ev, CL_PROFILING_COMMAND_END, sizeof b, &b, NULL);
    if (err != CL_SUCCESS) return clw_fail(&e->ctx->err, err, "clGetEventProfilingInfo (was profiling enabled?)");
    *ns = b >= a ? b - a : 0;
    return OCLNN_STATUS_OK;
}

void oclnn_event_destroy(oclnn_event *e) {
    if (!e) return;
    clw_ReleaseEvent(e->ev);
    oclnn_free(e->ctx->alloc, e);
}

cl_event oclnn_event_cl_event(const oclnn_event *e) { return e ? e->ev : NULL; }
