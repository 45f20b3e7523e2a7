/* oclnn_cl.h - interop between oclnn and a caller's own OpenCL objects.
 *
 * The only public header that includes CL/cl.h. Caller objects handed to oclnn are retained and released,
 * never freed: the caller keeps ownership of its references.
 */
#ifndef OCLNN_CL_H
#define OCLNN_CL_H

#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#include <CL/cl.h>

#include "oclnn.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Wraps a caller's context and in-order queue. The device is the queue's device. oclnn retains both and uses
 * @p queue as its queue 0; when options->num_queues > 1 it creates the extra queues itself in @p context.
 * @param options NULL for defaults; options->device is ignored
 */
OCLNN_API oclnn_status oclnn_context_create_from_cl(cl_context context, cl_command_queue queue,
                                                    const oclnn_context_options *options, oclnn_context **out);

OCLNN_API cl_context oclnn_context_cl_context(const oclnn_context *ctx);
OCLNN_API cl_device_id oclnn_context_cl_device(const oclnn_context *ctx);
/** Queue @p index (0 .. num_queues-1), NULL when out of range. Not retained for the caller. */
OCLNN_API cl_command_queue oclnn_context_cl_queue(const oclnn_context *ctx, uint32_t index);

/**
 * Makes a tensor view of a caller's buffer at @p byte_offset. The buffer is retained and released when the
 * tensor is destroyed. Fails if the buffer is too small for the shape.
 */
OCLNN_API oclnn_status oclnn_tensor_wrap_cl_mem(oclnn_context *ctx, cl_mem buffer, size_t byte_offset,
                                                oclnn_dtype dtype, size_t ndim, const int64_t *dims,
                                                oclnn_tensor **out);

/** The tensor's buffer (not retained for the caller) and the byte offset of its first element. */
OCLNN_API cl_mem oclnn_tensor_cl_mem(const oclnn_tensor *tensor, size_t *byte_offset);

/** The OpenCL event behind @p event (not retained for the caller). */
OCLNN_API cl_event oclnn_event_cl_event(const oclnn_event *event);

#ifdef __cplusplus
}
#endif

#endif /* OCLNN_CL_H */
