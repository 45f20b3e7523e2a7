/* clw.c - the thin OpenCL layer: each wrapper consults the fault injector, then calls OpenCL and keeps the
 * live-object count. Kept deliberately mechanical so that it is obviously correct.
 */
#include <stdatomic.h>
#include <stdio.h>

#include "clw.h"

static _Atomic uint64_t calls[CLW_FAULT_KIND_COUNT];
static _Atomic uint64_t fault_at[CLW_FAULT_KIND_COUNT];
static _Atomic int64_t live;
static _Atomic int64_t live_bytes;
static _Thread_local uint64_t thread_calls[CLW_FAULT_KIND_COUNT];

void clw_fault_set(clw_fault_kind kind, uint64_t k) {
    atomic_store(&calls[kind], 0);
    atomic_store(&fault_at[kind], k);
}

void clw_fault_reset(void) {
    for (int i = 0; i < CLW_FAULT_KIND_COUNT; i++) {
        atomic_store(&calls[i], 0);
        atomic_store(&fault_at[i], 0);
    }
}

uint64_t clw_calls(clw_fault_kind kind) { return atomic_load(&calls[kind]); }
int64_t clw_live_objects(void) { return atomic_load(&live); }
int64_t clw_live_buffer_bytes(void) { return atomic_load(&live_bytes); }
uint64_t clw_thread_calls(clw_fault_kind kind) { return thread_calls[kind]; }

/* True when this call is the one armed to fail; the fault fires once. */
static int fault(clw_fault_kind kind) {
    thread_calls[kind]++;
    uint64_t n = atomic_fetch_add(&calls[kind], 1) + 1;
    uint64_t at = atomic_load(&fault_at[kind]);
    if (at && n == at) {
        atomic_store(&fault_at[kind], 0);
        return 1;
    }
    return 0;
}

static void track(const void *obj, int delta) {
    if (obj) atomic_fetch_add(&live, delta);
}

const char *clw_error_name(cl_int err) {
    switch (err) {
#define E(x) \
    case x: return #x;
        E(CL_SUCCESS) E(CL_DEVICE_NOT_FOUND) E(CL_DEVICE_NOT_AVAILABLE) E(CL_COMPILER_NOT_AVAILABLE)
        E(CL_MEM_OBJECT_ALLOCATION_FAILURE) E(CL_OUT_OF_RESOURCES) E(CL_OUT_OF_HOST_MEMORY)
        E(CL_PROFILING_INFO_NOT_AVAILABLE) E(CL_MEM_COPY_OVERLAP) E(CL_IMAGE_FORMAT_MISMATCH)
        E(CL_IMAGE_FORMAT_NOT_SUPPORTED) E(CL_BUILD_PROGRAM_FAILURE) E(CL_MAP_FAILURE)
        E(CL_MISALIGNED_SUB_BUFFER_OFFSET) E(CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST)
        E(CL_COMPILE_PROGRAM_FAILURE) E(CL_LINKER_NOT_AVAILABLE) E(CL_LINK_PROGRAM_FAILURE)
        E(CL_DEVICE_PARTITION_FAILED) E(CL_KERNEL_ARG_INFO_NOT_AVAILABLE) E(CL_INVALID_VALUE)
        E(CL_INVALID_DEVICE_TYPE) E(CL_INVALID_PLATFORM) E(CL_INVALID_DEVICE) E(CL_INVALID_CONTEXT)
        E(CL_INVALID_QUEUE_PROPERTIES) E(CL_INVALID_COMMAND_QUEUE) E(CL_INVALID_HOST_PTR)
        E(CL_INVALID_MEM_OBJECT) E(CL_INVALID_IMAGE_FORMAT_DESCRIPTOR) E(CL_INVALID_IMAGE_SIZE)
        E(CL_INVALID_SAMPLER) E(CL_INVALID_BINARY) E(CL_INVALID_BUILD_OPTIONS) E(CL_INVALID_PROGRAM)
        E(CL_INVALID_PROGRAM_EXECUTABLE) E(CL_INVALID_KERNEL_NAME) E(CL_INVALID_KERNEL_DEFINITION)
        E(CL_INVALID_KERNEL) E(CL_INVALID_ARG_INDEX) E(CL_INVALID_ARG_VALUE) E(CL_INVALID_ARG_SIZE)
        E(CL_INVALID_KERNEL_ARGS) E(CL_INVALID_WORK_DIMENSION) E(CL_INVALID_WORK_GROUP_SIZE)
        E(CL_INVALID_WORK_ITEM_SIZE) E(CL_INVALID_GLOBAL_OFFSET) E(CL_INVALID_EVENT_WAIT_LIST)
        E(CL_INVALID_EVENT) E(CL_INVALID_OPERATION) E(CL_INVALID_GL_OBJECT) E(CL_INVALID_BUFFER_SIZE)
        E(CL_INVALID_MIP_LEVEL) E(CL_INVALID_GLOBAL_WORK_SIZE) E(CL_INVALID_PROPERTY)
        E(CL_INVALID_IMAGE_DESCRIPTOR) E(CL_INVALID_COMPILER_OPTIONS) E(CL_INVALID_LINKER_OPTIONS)
        E(CL_INVALID_DEVICE_PARTITION_COUNT)
#undef E
    case -1001: return "CL_PLATFORM_NOT_FOUND_KHR";
    default: return "unknown OpenCL error";
    }
}

oclnn_status clw_fail(oclnn_errbuf *eb, cl_int err, const char *what) {
    oclnn_status st;
    switch (err) {
    case CL_MEM_OBJECT_ALLOCATION_FAILURE:
    case CL_OUT_OF_RESOURCES:
    case CL_INVALID_BUFFER_SIZE: st = OCLNN_STATUS_OUT_OF_DEVICE_MEMORY; break;
    case CL_OUT_OF_HOST_MEMORY: st = OCLNN_STATUS_OUT_OF_HOST_MEMORY; break;
    case CL_BUILD_PROGRAM_FAILURE:
    case CL_INVALID_BUILD_OPTIONS:
    case CL_COMPILER_NOT_AVAILABLE:
    case CL_INVALID_BINARY: st = OCLNN_STATUS_BUILD_FAILED; break;
    default: st = OCLNN_STATUS_OPENCL_ERROR; break;
    }
    return oclnn_fail(eb, st, "%s failed: %s (%d)", what, clw_error_name(err), (int)err);
}

/* Object creators: an injected fault reports an allocation failure, as a driver out of memory would. */
#define CREATE_FAULT(kind, errcode)                                                                          \
    if (fault(kind)) {                                                                                       \
        if (err) *err = (errcode);                                                                           \
        return NULL;                                                                                         \
    }

cl_context clw_CreateContext(const cl_context_properties *props, cl_uint ndev, const cl_device_id *devs,
                             cl_int *err) {
    CREATE_FAULT(CLW_FAULT_ALLOC, CL_OUT_OF_HOST_MEMORY)
    cl_context c = clCreateContext(props, ndev, devs, NULL, NULL, err);
    track(c, 1);
    return c;
}
cl_int clw_RetainContext(cl_context c) {
    cl_int e = clRetainContext(c);
    if (e == CL_SUCCESS) track(c, 1);
    return e;
}
cl_int clw_ReleaseContext(cl_context c) {
    track(c, -1);
    return clReleaseContext(c);
}

cl_command_queue clw_CreateCommandQueue(cl_context c, cl_device_id d, cl_command_queue_properties p, cl_int *err) {
    CREATE_FAULT(CLW_FAULT_ALLOC, CL_OUT_OF_RESOURCES)
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
    /* clCreateCommandQueue is the 1.2 entry point; every 2.x/3.x driver still exports it. */
    cl_command_queue q = clCreateCommandQueue(c, d, p, err);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
    track(q, 1);
    return q;
}
cl_int clw_RetainCommandQueue(cl_command_queue q) {
    cl_int e = clRetainCommandQueue(q);
    if (e == CL_SUCCESS) track(q, 1);
    return e;
}
cl_int clw_ReleaseCommandQueue(cl_command_queue q) {
    track(q, -1);
    return clReleaseCommandQueue(q);
}

cl_mem clw_CreateBuffer(cl_context c, cl_mem_flags f, size_t size, void *host, cl_int *err) {
    CREATE_FAULT(CLW_FAULT_ALLOC, CL_MEM_OBJECT_ALLOCATION_FAILURE)
    cl_mem m = clCreateBuffer(c, f, size, host, err);
    track(m, 1);
    if (m) atomic_fetch_add(&live_bytes, (int64_t)size);
    return m;
}
cl_int clw_RetainMemObject(cl_mem m) {
    cl_int e = clRetainMemObject(m);
    if (e == CL_SUCCESS) track(m, 1);
    return e;
}
cl_int clw_ReleaseMemObject(cl_mem m) {
    track(m, -1);
    /* the last reference frees the buffer's memory */
    cl_uint refs = 0;
    size_t size = 0;
    if (m && clGetMemObjectInfo(m, CL_MEM_REFERENCE_COUNT, sizeof refs, &refs, NULL) == CL_SUCCESS && refs == 1 &&
        clGetMemObjectInfo(m, CL_MEM_SIZE, sizeof size, &size, NULL) == CL_SUCCESS)
        atomic_fetch_sub(&live_bytes, (int64_t)size);
    return clReleaseMemObject(m);
}

cl_program clw_CreateProgramWithSource(cl_context c, cl_uint n, const char **src, const size_t *len, cl_int *err) {
    CREATE_FAULT(CLW_FAULT_ALLOC, CL_OUT_OF_HOST_MEMORY)
    cl_program p = clCreateProgramWithSource(c, n, src, len, err);
    track(p, 1);
    return p;
}
cl_program clw_CreateProgramWithBinary(cl_context c, cl_device_id d, size_t len, const unsigned char *bin,
                                       cl_int *status, cl_int *err) {
    CREATE_FAULT(CLW_FAULT_ALLOC, CL_OUT_OF_HOST_MEMORY)
    cl_program p = clCreateProgramWithBinary(c, 1, &d, &len, &bin, status, err);
    track(p, 1);
    return p;
}
cl_int clw_BuildProgram(cl_program p, cl_device_id d, const char *options) {
    if (fault(CLW_FAULT_BUILD)) return CL_BUILD_PROGRAM_FAILURE;
    return clBuildProgram(p, 1, &d, options, NULL, NULL);
}
cl_int clw_RetainProgram(cl_program p) {
    cl_int e = clRetainProgram(p);
    if (e == CL_SUCCESS) track(p, 1);
    return e;
}
cl_int clw_ReleaseProgram(cl_program p) {
    track(p, -1);
    return clReleaseProgram(p);
}

cl_kernel clw_CreateKernel(cl_program p, const char *name, cl_int *err) {
    CREATE_FAULT(CLW_FAULT_ALLOC, CL_OUT_OF_RESOURCES)
    cl_kernel k = clCreateKernel(p, name, err);
    track(k, 1);
    return k;
}
cl_int clw_ReleaseKernel(cl_kernel k) {
    track(k, -1);
    return clReleaseKernel(k);
}
cl_int clw_SetKernelArg(cl_kernel k, cl_uint index, size_t size, const void *value) {
    return clSetKernelArg(k, index, size, value);
}

/* Enqueues: an injected fault reports CL_OUT_OF_RESOURCES, what a driver returns when it cannot queue work. */
#define ENQUEUE_FAULT                                                                                        \
    if (fault(CLW_FAULT_ENQUEUE)) return CL_OUT_OF_RESOURCES;
#define TRACK_EVENT(r, ev)                                                                                   \
    if ((r) == CL_SUCCESS && (ev)) track(*(ev), 1);

cl_int clw_EnqueueNDRangeKernel(cl_command_queue q, cl_kernel k, cl_uint dims, const size_t *global,
                                const size_t *local, cl_uint nwait, const cl_event *wait, cl_event *ev) {
    ENQUEUE_FAULT
    cl_int r = clEnqueueNDRangeKernel(q, k, dims, NULL, global, local, nwait, wait, ev);
    TRACK_EVENT(r, ev)
    return r;
}
cl_int clw_EnqueueWriteBuffer(cl_command_queue q, cl_mem m, cl_bool blocking, size_t off, size_t size,
                              const void *src, cl_uint nwait, const cl_event *wait, cl_event *ev) {
    ENQUEUE_FAULT
    cl_int r = clEnqueueWriteBuffer(q, m, blocking, off, size, src, nwait, wait, ev);
    TRACK_EVENT(r, ev)
    return r;
}
cl_int clw_EnqueueReadBuffer(cl_command_queue q, cl_mem m, cl_bool blocking, size_t off, size_t size, void *dst,
                             cl_uint nwait, const cl_event *wait, cl_event *ev) {
    ENQUEUE_FAULT
    cl_int r = clEnqueueReadBuffer(q, m, blocking, off, size, dst, nwait, wait, ev);
    TRACK_EVENT(r, ev)
    return r;
}
cl_int clw_EnqueueFillBuffer(cl_command_queue q, cl_mem m, const void *pattern, size_t psize, size_t off,
                             size_t size, cl_uint nwait, const cl_event *wait, cl_event *ev) {
    ENQUEUE_FAULT
    cl_int r = clEnqueueFillBuffer(q, m, pattern, psize, off, size, nwait, wait, ev);
    TRACK_EVENT(r, ev)
    return r;
}
cl_int clw_EnqueueCopyBuffer(cl_command_queue q, cl_mem src, cl_mem dst, size_t soff, size_t doff, size_t size,
                             cl_uint nwait, const cl_event *wait, cl_event *ev) {
    ENQUEUE_FAULT
    cl_int r = clEnqueueCopyBuffer(q, src, dst, soff, doff, size, nwait, wait, ev);
    TRACK_EVENT(r, ev)
    return r;
}
cl_int clw_EnqueueMarker(cl_command_queue q, cl_uint nwait, const cl_event *wait, cl_event *ev) {
    ENQUEUE_FAULT
    cl_int r = clEnqueueMarkerWithWaitList(q, nwait, wait, ev);
    TRACK_EVENT(r, ev)
    return r;
}
cl_int clw_EnqueueBarrier(cl_command_queue q, cl_uint nwait, const cl_event *wait, cl_event *ev) {
    ENQUEUE_FAULT
    cl_int r = clEnqueueBarrierWithWaitList(q, nwait, wait, ev);
    TRACK_EVENT(r, ev)
    return r;
}
cl_int clw_Finish(cl_command_queue q) {
    ENQUEUE_FAULT
    return clFinish(q);
}
/* Not a fault-injection point: a flush only hands queued work to the device and never fails on a valid queue. */
cl_int clw_Flush(cl_command_queue q) { return clFlush(q); }
cl_int clw_WaitForEvents(cl_uint n, const cl_event *evs) {
    ENQUEUE_FAULT
    return clWaitForEvents(n, evs);
}
cl_int clw_RetainEvent(cl_event e) {
    cl_int r = clRetainEvent(e);
    if (r == CL_SUCCESS) track(e, 1);
    return r;
}
cl_int clw_ReleaseEvent(cl_event e) {
    track(e, -1);
    return clReleaseEvent(e);
}
