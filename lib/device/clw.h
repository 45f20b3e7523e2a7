/* clw.h - the one thin layer every OpenCL call of the library goes through.
 *
 * It exists for two reasons: tests can make the k-th call of a kind fail (fault injection) and check that the
 * library reports it and leaks nothing, and it counts live OpenCL objects so that a leak is visible without a
 * sanitizer. Names mirror the OpenCL entry points with a clw_ prefix.
 */
#ifndef OCLNN_CLW_H
#define OCLNN_CLW_H

#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#include <CL/cl.h>
#include <stdint.h>

#include "core/core.h"

/* Kinds of calls a test can make fail. */
#define CLW_FAULT_KIND_LIST(X)                                                                               \
    X(ALLOC, "object creation: context, queue, buffer, program, kernel")                                     \
    X(BUILD, "program build")                                                                                \
    X(ENQUEUE, "enqueue, finish and wait")

typedef enum clw_fault_kind {
#define X(name, desc) CLW_FAULT_##name,
    CLW_FAULT_KIND_LIST(X)
#undef X
        CLW_FAULT_KIND_COUNT
} clw_fault_kind;

/* Testing controls. clw_fault_set(kind, k): the k-th call of @p kind from now fails once (k = 0 disarms).
 * clw_calls(kind): calls of that kind since the last clw_fault_reset(). Process-wide and thread-safe. */
void clw_fault_set(clw_fault_kind kind, uint64_t k);
void clw_fault_reset(void);
uint64_t clw_calls(clw_fault_kind kind);
/* Calls of @p kind made by the calling thread (never reset): a runtime counts its own launches with it, unaffected by
 * other threads on the same context. */
uint64_t clw_thread_calls(clw_fault_kind kind);
/* OpenCL objects created (or retained) by the library and not yet released. */
int64_t clw_live_objects(void);
/* Bytes of the buffers clw_CreateBuffer made that are still allocated (the soak test's device memory figure). */
int64_t clw_live_buffer_bytes(void);

const char *clw_error_name(cl_int err);
/* Maps an OpenCL error to a status and writes "what: CL_ERROR_NAME (code)" into @p eb. */
oclnn_status clw_fail(oclnn_errbuf *eb, cl_int err, const char *what);

cl_context clw_CreateContext(const cl_context_properties *props, cl_uint ndev, const cl_device_id *devs, cl_int *err);
cl_int clw_RetainContext(cl_context c);
cl_int clw_ReleaseContext(cl_context c);
cl_command_queue clw_CreateCommandQueue(cl_context c, cl_device_id d, cl_command_queue_properties p, cl_int *err);
cl_int clw_RetainCommandQueue(cl_command_queue q);
cl_int clw_ReleaseCommandQueue(cl_command_queue q);
cl_mem clw_CreateBuffer(cl_context c, cl_mem_flags f, size_t size, void *host, cl_int *err);
cl_int clw_RetainMemObject(cl_mem m);
cl_int clw_ReleaseMemObject(cl_mem m);
cl_program clw_CreateProgramWithSource(cl_context c, cl_uint n, const char **src, const size_t *len, cl_int *err);
cl_program clw_CreateProgramWithBinary(cl_context c, cl_device_id d, size_t len, const unsigned char *bin,
                                       cl_int *status, cl_int *err);
cl_int clw_BuildProgram(cl_program p, cl_device_id d, const char *options);
cl_int clw_RetainProgram(cl_program p);
cl_int clw_ReleaseProgram(cl_program p);
cl_kernel clw_CreateKernel(cl_program p, const char *name, cl_int *err);
cl_int clw_ReleaseKernel(cl_kernel k);
cl_int clw_SetKernelArg(cl_kernel k, cl_uint index, size_t size, const void *value);
cl_int clw_EnqueueNDRangeKernel(cl_command_queue q, cl_kernel k, cl_uint dims, const size_t *global,
                                const size_t *local, cl_uint nwait, const cl_event *wait, cl_event *ev);
cl_int clw_EnqueueWriteBuffer(cl_command_queue q, cl_mem m, cl_bool blocking, size_t off, size_t size,
                              const void *src, cl_uint nwait, const cl_event *wait, cl_event *ev);
cl_int clw_EnqueueReadBuffer(cl_command_queue q, cl_mem m, cl_bool blocking, size_t off, size_t size, void *dst,
                             cl_uint nwait, const cl_event *wait, cl_event *ev);
cl_int clw_EnqueueFillBuffer(cl_command_queue q, cl_mem m, const void *pattern, size_t psize, size_t off,
                             size_t size, cl_uint nwait, const cl_event *wait, cl_event *ev);
cl_int clw_EnqueueCopyBuffer(cl_command_queue q, cl_mem src, cl_mem dst, size_t soff, size_t doff, size_t size,
                             cl_uint nwait, const cl_event *wait, cl_event *ev);
cl_int clw_EnqueueMarker(cl_command_queue q, cl_uint nwait, const cl_event *wait, cl_event *ev);
/* Later commands of the (in-order) queue wait for @p wait: the graph runtime joins branches run on other queues. */
cl_int clw_EnqueueBarrier(cl_command_queue q, cl_uint nwait, const cl_event *wait, cl_event *ev);
cl_int clw_Finish(cl_command_queue q);
cl_int clw_Flush(cl_command_queue q);
cl_int clw_WaitForEvents(cl_uint n, const cl_event *evs);
cl_int clw_RetainEvent(cl_event e);
cl_int clw_ReleaseEvent(cl_event e);

/* Queries are never faulted: they cannot run out of resources in any way a test needs to cover. */
#define clw_GetPlatformIDs clGetPlatformIDs
#define clw_GetPlatformInfo clGetPlatformInfo
#define clw_GetDeviceIDs clGetDeviceIDs
#define clw_GetDeviceInfo clGetDeviceInfo
#define clw_GetProgramInfo clGetProgramInfo
#define clw_GetProgramBuildInfo clGetProgramBuildInfo
#define clw_GetCommandQueueInfo clGetCommandQueueInfo
#define clw_GetMemObjectInfo clGetMemObjectInfo
#define clw_GetEventProfilingInfo clGetEventProfilingInfo
#define clw_GetKernelWorkGroupInfo clGetKernelWorkGroupInfo

#endif
