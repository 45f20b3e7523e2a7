/* device.h - internal view of contexts, tensors and events (the device layer).
 * Upper layers (program cache, operators) reach OpenCL objects through these structs.
 */
#ifndef OCLNN_DEVICE_H
#define OCLNN_DEVICE_H

#include <pthread.h>

#include "clw.h"
#include "oclnn_cl.h"

struct oclnn_context {
    oclnn_errbuf err;
    oclnn_allocator alloc_storage;
    const oclnn_allocator *alloc; /* NULL: libc */
    oclnn_logger log;
    oclnn_device_info info;
    cl_platform_id platform;
    cl_device_id device;
    cl_context cl;
    cl_command_queue *queues;
    uint32_t num_queues;
    int profiling;
    uint64_t alloc_cap; /* $OCLNN_MAX_ALLOC_MB in bytes (0: none): the largest device buffer we create */
    oclnn_limits limits; /* checked by the graph layer before it allocates */
    int wrapped; /* the cl_context and queue 0 are the caller's (retained) */
    /* Settings of the program layer, resolved at creation (options, else environment). */
    int disk_cache;
    char *cache_dir;  /* NULL when the disk cache is off */
    char *kernel_dir; /* NULL: embedded kernels */
    /* Guards lazily created per-context state of upper layers (the program cache). */
    pthread_mutex_t lock;
    /* The program layer's state; the device layer only owns its lifetime. */
    void *programs;
    void (*programs_destroy)(oclnn_context *ctx);
};

struct oclnn_tensor {
    oclnn_context *ctx;
    cl_mem mem;
    size_t offset; /* bytes */
    size_t nbytes;
    oclnn_dtype dtype;
    size_t ndim;
    int64_t dims[OCLNN_MAX_DIMS];
};

struct oclnn_event {
    oclnn_context *ctx;
    cl_event ev;
};

/* Enumeration with the OpenCL handles that the public oclnn_device_info hides. */
typedef struct oclnn_device_entry {
    cl_platform_id platform;
    cl_device_id device;
    oclnn_device_info info;
} oclnn_device_entry;

/* Lists every device; *entries is allocated with @p a (free with oclnn_free). */
oclnn_status oclnn_device_list(const oclnn_allocator *a, oclnn_errbuf *eb, oclnn_device_entry **entries,
                               size_t *count);
/* Fills info from OpenCL queries. */
void oclnn_device_query(cl_platform_id p, cl_device_id d, oclnn_device_info *info);
/* Picks the entry matching @p spec (see oclnn_device_select). */
oclnn_status oclnn_device_match(const oclnn_device_entry *entries, size_t count, const char *spec,
                                oclnn_errbuf *eb, size_t *index);

/* Wraps a freshly enqueued cl_event for the caller, or releases it when @p out is NULL. */
oclnn_status oclnn_event_wrap(oclnn_context *ctx, cl_event ev, oclnn_event **out);

/* Validates ndim/dims and computes the byte size with checked arithmetic. */
oclnn_status oclnn_shape_bytes(oclnn_errbuf *eb, oclnn_dtype dtype, size_t ndim, const int64_t *dims,
                               size_t *bytes);

#endif
