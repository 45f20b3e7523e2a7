/* oclnn.h - public API of oclnn, a portable OpenCL compute backend for CNN inference.
 *
 * Everything here is plain C with opaque handles; no OpenCL header is needed. Interop with a caller's own
 * cl_context, queue and buffers lives in oclnn_cl.h alone.
 */
#ifndef OCLNN_H
#define OCLNN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(OCLNN_BUILDING_DLL)
#define OCLNN_API __declspec(dllexport)
#elif defined(__GNUC__)
#define OCLNN_API __attribute__((visibility("default")))
#else
#define OCLNN_API
#endif

#define OCLNN_VERSION_MAJOR 0
#define OCLNN_VERSION_MINOR 1
#define OCLNN_VERSION_PATCH 0

/* ------------------------------------------------------------------------------------------------------
 * Status codes. One list; the enum and oclnn_status_string() are both generated from it.
 * ---------------------------------------------------------------------------------------------------- */
#define OCLNN_STATUS_LIST(X)                                                                                 \
    X(OK, "success")                                                                                         \
    X(INVALID_ARGUMENT, "invalid argument")                                                                  \
    X(INVALID_STATE, "call made in the wrong state")                                                         \
    X(INVALID_SHAPE, "impossible shape")                                                                     \
    X(UNSUPPORTED, "unsupported configuration")                                                              \
    X(OUT_OF_HOST_MEMORY, "out of host memory")                                                              \
    X(OUT_OF_DEVICE_MEMORY, "out of device memory")                                                          \
    X(NO_DEVICE, "no OpenCL device available")                                                               \
    X(DEVICE_NOT_FOUND, "no OpenCL device matches the device spec")                                          \
    X(BUILD_FAILED, "OpenCL program build failed")                                                           \
    X(OPENCL_ERROR, "OpenCL call failed")                                                                    \
    X(IO_ERROR, "file I/O failed")                                                                           \
    X(INVALID_MODEL, "invalid model")                                                                        \
    X(LIMIT_EXCEEDED, "a configured limit was exceeded")

typedef enum oclnn_status {
#define OCLNN_X_(name, str) OCLNN_STATUS_##name,
    OCLNN_STATUS_LIST(OCLNN_X_)
#undef OCLNN_X_
        OCLNN_STATUS_COUNT_
} oclnn_status;

/** @retval a static, never-NULL string describing @p status ("unknown status" for values out of range). */
OCLNN_API const char *oclnn_status_string(oclnn_status status);

/** @retval the status name without prefix, e.g. "BUILD_FAILED". */
OCLNN_API const char *oclnn_status_name(oclnn_status status);

/* ------------------------------------------------------------------------------------------------------
 * Logging and host memory.
 * ---------------------------------------------------------------------------------------------------- */
typedef enum oclnn_log_level {
    OCLNN_LOG_NONE = 0,
    OCLNN_LOG_ERROR = 1,
    OCLNN_LOG_WARN = 2,
    OCLNN_LOG_INFO = 3,
    OCLNN_LOG_DEBUG = 4,
} oclnn_log_level;

/** Receives each log line (no trailing newline). Must be thread-safe if the library is used from several threads. */
typedef void (*oclnn_log_fn)(oclnn_log_level level, const char *message, void *user);

/** Host allocator hook. All three functions must be set; realloc may be called with ptr == NULL. */
typedef struct oclnn_allocator {
    void *(*malloc)(size_t size, void *user);
    void *(*realloc)(void *ptr, size_t size, void *user);
    void (*free)(void *ptr, void *user);
    void *user;
} oclnn_allocator;

/* ------------------------------------------------------------------------------------------------------
 * Devices.
 * ---------------------------------------------------------------------------------------------------- */
typedef enum oclnn_device_type {
    OCLNN_DEVICE_TYPE_OTHER = 0,
    OCLNN_DEVICE_TYPE_CPU = 1,
    OCLNN_DEVICE_TYPE_GPU = 2,
    OCLNN_DEVICE_TYPE_ACCELERATOR = 3,
} oclnn_device_type;

/** What oclnn knows of one OpenCL device. Strings are NUL-terminated and truncated to fit. */
typedef struct oclnn_device_info {
    uint32_t index;          /**< global index, the one OCLNN_DEVICE="N" selects */
    uint32_t platform_index; /**< index of the platform in the ICD loader's list */
    uint32_t device_index;   /**< index of the device within its platform ("P:D" selects it) */
    char platform_name[128];
    char platform_vendor[128];
    char platform_version[128];
    char name[128];
    char vendor[128];
    char driver_version[128];
    char device_version[128];
    char opencl_c_version[64];
    oclnn_device_type type;
    uint32_t compute_units;
    uint64_t global_mem_bytes;
    uint64_t local_mem_bytes;
    uint64_t max_alloc_bytes;
    uint64_t max_work_group_size;
    uint64_t max_work_item_sizes[3];
    uint32_t preferred_vector_width_float;
    uint32_t preferred_vector_width_half;
    uint32_t native_vector_width_float;
    uint32_t max_clock_mhz;
    int has_fp16;     /**< cl_khr_fp16 */
    int has_fp64;     /**< cl_khr_fp64 or a nonzero double FP config */
    int has_subgroups; /**< cl_khr_subgroups or cl_intel_subgroups */
    int opencl_c_major, opencl_c_minor;
} oclnn_device_info;

/**
 * Enumerates every device of every platform the ICD loader knows.
 * @param infos    array to fill, may be NULL when @p capacity is 0
 * @param capacity number of entries in @p infos
 * @param count    receives the total number of devices (may exceed @p capacity)
 * @retval OCLNN_STATUS_OK even when no device exists (count = 0)
 */
OCLNN_API oclnn_status oclnn_device_enumerate(oclnn_device_info *infos, size_t capacity, size_t *count);

/**
 * Resolves a device spec the way oclnn_context_create() does: NULL or "" means $OCLNN_DEVICE, else the first GPU,
 * else the first device. A spec is an index "1", a pair "platform:device", a type "gpu"/"cpu"/"accelerator", or a
 * case-insensitive substring of the platform or device name ("pocl", "rusticl", "nvidia").
 * @retval OCLNN_STATUS_DEVICE_NOT_FOUND with a message (oclnn_last_error(NULL)) listing the devices that exist.
 */
OCLNN_API oclnn_status oclnn_device_select(const char *spec, oclnn_device_info *info);

/* ------------------------------------------------------------------------------------------------------
 * Context: one device, its cl_context, in-order queues, the program cache and the last-error message.
 *
 * Threads. A context may be shared by any number of threads: its program cache (in memory and on disk, where
 * concurrent writers, even in other processes, never expose a torn entry) is locked, and graphs, runtimes, operators
 * and tensors may be created and destroyed on it concurrently. Everything made from a context (a graph, a runtime,
 * an operator, a tensor, an event) is used by one thread at a time: two threads may each run their own runtime at
 * once, never the same one. oclnn_context_set_limits() must be called before the context is shared. The context's
 * last error (oclnn_last_error(ctx)) is shared too: with several threads, copy it right after the failing call, or
 * treat it as a hint; the status itself is always exact. Calls without a context report to a per-thread message.
 * The log callback may be called from any thread that uses the context.
 * ---------------------------------------------------------------------------------------------------- */
typedef struct oclnn_context oclnn_context;

typedef struct oclnn_context_options {
    const char *device;        /**< device spec, NULL: $OCLNN_DEVICE or the default */
    uint32_t num_queues;       /**< in-order queues to create, >= 1 (default 1) */
    int profiling;             /**< enable CL_QUEUE_PROFILING_ENABLE (default 0) */
    int disk_cache;            /**< 1 on, 0 off, -1 from $OCLNN_CACHE (default -1: on unless OCLNN_CACHE=0) */
    const char *cache_dir;     /**< NULL: $OCLNN_CACHE_DIR, else $XDG_CACHE_HOME/oclnn, else ~/.cache/oclnn */
    const char *kernel_dir;    /**< NULL: $OCLNN_KERNEL_DIR, else the kernels embedded at build time */
    const oclnn_allocator *allocator; /**< NULL: the C library's malloc */
    oclnn_log_fn log_fn;       /**< NULL: lines go to stderr */
    void *log_user;
    int log_level;             /**< an oclnn_log_level, or -1 (default): $OCLNN_LOG, else warn */
} oclnn_context_options;

/** Fills @p options with the defaults. */
OCLNN_API void oclnn_context_options_init(oclnn_context_options *options);

/**
 * Creates a context on the selected device.
 * @param options NULL for the defaults
 * @param out     receives the context, NULL on failure (then oclnn_last_error(NULL) says why)
 */
OCLNN_API oclnn_status oclnn_context_create(const oclnn_context_options *options, oclnn_context **out);

/** Releases everything the context owns. NULL is a no-op. Objects created from the context must be destroyed first. */
OCLNN_API void oclnn_context_destroy(oclnn_context *ctx);

/**
 * The last error message of @p ctx, or of the calling thread for calls made without a context (ctx == NULL).
 * Never NULL; valid until the next failing call on the same context (or thread).
 */
OCLNN_API const char *oclnn_last_error(const oclnn_context *ctx);

/** Copies the description of the context's device into @p info. */
OCLNN_API oclnn_status oclnn_context_device_info(const oclnn_context *ctx, oclnn_device_info *info);

/** Blocks until every queue of the context is idle. */
OCLNN_API oclnn_status oclnn_context_finish(oclnn_context *ctx);

/** Program cache statistics of one context, counted since its creation. */
typedef struct oclnn_cache_stats {
    uint64_t memory_hits;   /**< programs found in the context's in-memory cache */
    uint64_t disk_hits;     /**< programs loaded from a disk-cache binary */
    uint64_t disk_misses;   /**< disk lookups that found no usable entry */
    uint64_t disk_rejected; /**< entries found but corrupt, truncated or for another key (then rebuilt) */
    uint64_t disk_writes;   /**< entries written */
    uint64_t source_builds; /**< programs compiled from OpenCL C source */
    double build_ms;        /**< wall time spent obtaining programs (source builds and binary loads) */
} oclnn_cache_stats;

OCLNN_API oclnn_status oclnn_context_cache_stats(const oclnn_context *ctx, oclnn_cache_stats *stats);

/**
 * Writes the disk-cache entries of the programs this context built from source and has not written yet. On POCL,
 * entries are written here or when the context is destroyed rather than right after each build: reading a
 * program's binary makes POCL compile every kernel of it once more, seconds that would otherwise delay the first
 * result (elsewhere entries are written at build time and this does nothing). A failed write is logged as a
 * warning, as at build time; the status is OK unless @p ctx is NULL.
 */
OCLNN_API oclnn_status oclnn_context_cache_flush(oclnn_context *ctx);

/** The directory the disk cache uses, or "" when the disk cache is off. */
OCLNN_API const char *oclnn_context_cache_dir(const oclnn_context *ctx);

/**
 * Builds every embedded kernel variant that oclnn's registry lists (what the operators will need), through the
 * cache. Useful to warm the cache ahead of time, and for tests and benchmarks.
 * @param built receives the number of programs obtained (may be NULL)
 */
OCLNN_API oclnn_status oclnn_context_prebuild_all(oclnn_context *ctx, size_t *built);

/* ------------------------------------------------------------------------------------------------------
 * Limits: hard caps on what a model may make the library do, checked before anything is allocated. A model that
 * goes over one is refused with OCLNN_STATUS_LIMIT_EXCEEDED and a message naming the limit and the node or tensor.
 * The defaults are far above any real CNN; lower them when the models come from untrusted sources.
 * ---------------------------------------------------------------------------------------------------- */
typedef struct oclnn_limits {
    uint64_t max_tensor_bytes; /**< one activation, input or constant (default 16 GiB; $OCLNN_MAX_TENSOR_MB) */
    uint64_t max_arena_bytes;  /**< a runtime's planned activation arena (default 64 GiB; $OCLNN_MAX_ARENA_MB) */
    uint64_t max_nodes;        /**< nodes of one graph, imported or built (default 1,000,000; $OCLNN_MAX_NODES) */
    uint64_t max_depth;        /**< longest input-to-output chain of nodes (default 1,000,000; $OCLNN_MAX_DEPTH) */
    uint64_t max_programs;     /**< distinct kernel configurations (op type, kernel window, strides, dilations, fused
                                    activation...) one runtime compiles, counted before it compiles any (default 64;
                                    the networks of tests/test_networks.c need at most 20; $OCLNN_MAX_PROGRAMS) */
} oclnn_limits;

/** Fills @p limits with the built-in defaults (the environment is not read). */
OCLNN_API void oclnn_limits_default(oclnn_limits *limits);

/** The context's limits: the defaults, overridden by the environment variables above at context creation. */
OCLNN_API oclnn_status oclnn_context_get_limits(const oclnn_context *ctx, oclnn_limits *limits);

/**
 * Replaces the context's limits for graphs and runtimes made afterwards. Every field must be >= 1. Set them before
 * the context is shared between threads. (OCLNN_MAX_ALLOC_MB is separate: it caps every device buffer as a device
 * with less memory would, and a buffer over it fails with OCLNN_STATUS_OUT_OF_DEVICE_MEMORY.)
 */
OCLNN_API oclnn_status oclnn_context_set_limits(oclnn_context *ctx, const oclnn_limits *limits);

/* ------------------------------------------------------------------------------------------------------
 * Tensors: device memory with a data type and an NCHW shape of 1 to OCLNN_MAX_DIMS (6) dimensions.
 * ---------------------------------------------------------------------------------------------------- */
typedef enum oclnn_dtype {
    OCLNN_DTYPE_F32 = 0,
    OCLNN_DTYPE_F16 = 1, /**< reserved: tensors can be made, no operator accepts it yet */
    OCLNN_DTYPE_I32 = 2, /**< 32-bit signed integers */
    OCLNN_DTYPE_I64 = 3, /**< 64-bit signed integers: indices as ONNX writes them (ArgMax) */
} oclnn_dtype;

/** Tensors and graph values have 1 to OCLNN_MAX_DIMS dims. Most operators take 1 to 5 (see each header); the
 * metadata ops (Reshape, Squeeze, ...) and the copies (Transpose, Concat, Split, Slice) take 6. */
#define OCLNN_MAX_DIMS 6

typedef struct oclnn_tensor oclnn_tensor;
typedef struct oclnn_event oclnn_event;

/** Size of one element of @p dtype in bytes, 0 for an unknown type. */
OCLNN_API size_t oclnn_dtype_size(oclnn_dtype dtype);

/**
 * Allocates an uninitialised device tensor.
 * @retval OCLNN_STATUS_INVALID_SHAPE for ndim outside 1..6, a dimension < 1, or a size that overflows
 * @retval OCLNN_STATUS_OUT_OF_DEVICE_MEMORY when the device cannot hold it
 */
OCLNN_API oclnn_status oclnn_tensor_create(oclnn_context *ctx, oclnn_dtype dtype, size_t ndim, const int64_t *dims,
                                           oclnn_tensor **out);
/**
 * A tensor that aliases @p base's memory from @p byte_offset (relative to base's first byte) with its own dtype
 * and shape: Reshape/Flatten/Squeeze without a copy, or a channel slice of a concat. It keeps the memory alive
 * until destroyed. Fails with OCLNN_STATUS_INVALID_SHAPE if the view does not fit inside @p base.
 */
OCLNN_API oclnn_status oclnn_tensor_view(oclnn_tensor *base, size_t byte_offset, oclnn_dtype dtype, size_t ndim,
                                         const int64_t *dims, oclnn_tensor **out);
/** NULL is a no-op. */
OCLNN_API void oclnn_tensor_destroy(oclnn_tensor *tensor);

OCLNN_API oclnn_dtype oclnn_tensor_dtype(const oclnn_tensor *tensor);
OCLNN_API size_t oclnn_tensor_ndim(const oclnn_tensor *tensor);
/** Copies the dims (ndim of them) into @p dims. */
OCLNN_API void oclnn_tensor_dims(const oclnn_tensor *tensor, int64_t *dims);
OCLNN_API size_t oclnn_tensor_nbytes(const oclnn_tensor *tensor);

/** Blocking copy of @p bytes from host @p src into the tensor at @p byte_offset (on queue 0). */
OCLNN_API oclnn_status oclnn_tensor_write(oclnn_tensor *tensor, size_t byte_offset, size_t bytes, const void *src);
/** Blocking copy of @p bytes at @p byte_offset of the tensor into host @p dst (after all queued work on queue 0). */
OCLNN_API oclnn_status oclnn_tensor_read(const oclnn_tensor *tensor, size_t byte_offset, size_t bytes, void *dst);
/** Non-blocking write: @p src must stay valid until @p event completes; destroy the event afterwards. */
OCLNN_API oclnn_status oclnn_tensor_write_async(oclnn_tensor *tensor, size_t byte_offset, size_t bytes,
                                                const void *src, oclnn_event **event);
/** Non-blocking read: @p dst is filled once @p event completes. */
OCLNN_API oclnn_status oclnn_tensor_read_async(const oclnn_tensor *tensor, size_t byte_offset, size_t bytes,
                                               void *dst, oclnn_event **event);
/** Fills the whole tensor with zero bytes (non-blocking, queue 0). */
OCLNN_API oclnn_status oclnn_tensor_zero(oclnn_tensor *tensor);

OCLNN_API oclnn_status oclnn_event_wait(oclnn_event *event);
/** Execution time in nanoseconds; the queue must have been created with profiling. */
OCLNN_API oclnn_status oclnn_event_elapsed_ns(oclnn_event *event, uint64_t *ns);
/** NULL is a no-op. Does not wait. */
OCLNN_API void oclnn_event_destroy(oclnn_event *event);

#ifdef __cplusplus
}
#endif

#include "oclnn_ops.h"
#include "oclnn_graph.h"

#endif /* OCLNN_H */
