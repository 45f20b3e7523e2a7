/* context.c - the context: one device, its cl_context and in-order queues, resolved settings, and the
 * last-error message. It can own its OpenCL objects or wrap (retain) the caller's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"

void oclnn_context_options_init(oclnn_context_options *o) {
    if (!o) return;
    memset(o, 0, sizeof *o);
    o->num_queues = 1;
    o->disk_cache = -1;
    o->log_level = -1;
}

/* The cache folder: option, else $OCLNN_CACHE_DIR, else $XDG_CACHE_HOME/oclnn, else $HOME/.cache/oclnn. */
static const char *resolve_cache_dir(const char *opt, char *buf, size_t cap) {
    const char *e;
    if (opt && *opt)
        snprintf(buf, cap, "%s", opt);
    else if ((e = getenv("OCLNN_CACHE_DIR")) && *e)
        snprintf(buf, cap, "%s", e);
    else if ((e = getenv("XDG_CACHE_HOME")) && *e)
        snprintf(buf, cap, "%s/oclnn", e);
    else if ((e = getenv("HOME")) && *e)
        snprintf(buf, cap, "%s/.cache/oclnn", e);
    else
        return NULL; /* nowhere sensible to write: run without a disk cache */
    return buf;
}

static int disk_cache_wanted(int opt) {
    if (opt >= 0) return opt != 0;
    const char *e = getenv("OCLNN_CACHE");
    return !(e && (strcmp(e, "0") == 0 || strcmp(e, "off") == 0));
}

void oclnn_limits_default(oclnn_limits *l) {
    if (!l) return;
    l->max_tensor_bytes = 16ull << 30;
    l->max_arena_bytes = 64ull << 30;
    l->max_nodes = 1000000;
    l->max_depth = 1000000;
    l->max_programs = 64;
}

/* One limit from the environment: a whole number from 1 to @p max, times @p unit. */
static oclnn_status limit_env(const char *name, uint64_t unit, uint64_t max, uint64_t *value) {
    const char *e = getenv(name);
    if (!e || !*e) return OCLNN_STATUS_OK;
    char *end;
    unsigned long long v = strtoull(e, &end, 10);
    if (*end || !v || v > max || e[0] == '-')
        return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "%s='%s' is not a whole number from 1 to %llu", name,
                          e, (unsigned long long)max);
    *value = (uint64_t)v * unit;
    return OCLNN_STATUS_OK;
}

static oclnn_status limits_from_env(oclnn_limits *l) {
    oclnn_status s = limit_env("OCLNN_MAX_TENSOR_MB", 1ull << 20, 1ull << 40, &l->max_tensor_bytes);
    if (!s) s = limit_env("OCLNN_MAX_ARENA_MB", 1ull << 20, 1ull << 40, &l->max_arena_bytes);
    if (!s) s = limit_env("OCLNN_MAX_NODES", 1, INT32_MAX - 2, &l->max_nodes);
    if (!s) s = limit_env("OCLNN_MAX_DEPTH", 1, INT32_MAX - 2, &l->max_depth);
    if (!s) s = limit_env("OCLNN_MAX_PROGRAMS", 1, INT32_MAX - 2, &l->max_programs);
    return s;
}

oclnn_status oclnn_context_get_limits(const oclnn_context *ctx, oclnn_limits *limits) {
    if (!ctx || !limits) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "context_get_limits: NULL argument");
    *limits = ctx->limits;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_context_set_limits(oclnn_context *ctx, const oclnn_limits *limits) {
    if (!ctx || !limits)
        return oclnn_fail(ctx ? &ctx->err : NULL, OCLNN_STATUS_INVALID_ARGUMENT, "context_set_limits: NULL argument");
    if (!limits->max_tensor_bytes || !limits->max_arena_bytes || !limits->max_nodes || !limits->max_depth ||
        !limits->max_programs)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "context_set_limits: every limit must be >= 1");
    ctx->limits = *limits;
    return OCLNN_STATUS_OK;
}

/* Allocates the context shell and resolves everything that does not need OpenCL. */
static oclnn_status context_alloc(const oclnn_context_options *opt, oclnn_context **out) {
    const oclnn_allocator *a = opt->allocator;
    if (a && (!a->malloc || !a->realloc || !a->free))
        return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "allocator hook must set malloc, realloc and free");
    if (opt->num_queues < 1 || opt->num_queues > 64)
        return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "num_queues must be 1..64, got %u",
                          opt->num_queues);
    oclnn_context *ctx = oclnn_calloc(a, 1, sizeof *ctx);
    if (!ctx) return oclnn_fail(NULL, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating the context");
    if (pthread_mutex_init(&ctx->lock, NULL) != 0) {
        oclnn_free(a, ctx);
        return oclnn_fail(NULL, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "creating the context lock");
    }
    if (a) {
        ctx->alloc_storage = *a;
        ctx->alloc = &ctx->alloc_storage;
    }
    ctx->log.fn = opt->log_fn;
    ctx->log.user = opt->log_user;
    ctx->log.level = oclnn_log_level_from_env(opt->log_level);
    ctx->profiling = opt->profiling != 0;
    ctx->num_queues = opt->num_queues;
    ctx->disk_cache = disk_cache_wanted(opt->disk_cache);
    oclnn_limits_default(&ctx->limits);
    oclnn_status lst = limits_from_env(&ctx->limits);
    if (lst) {
        oclnn_context_destroy(ctx);
        return lst;
    }
    const char *cap = getenv("OCLNN_MAX_ALLOC_MB");
    if (cap && *cap) {
        char *end;
        unsigned long long mb = strtoull(cap, &end, 10);
        if (*end || !mb || mb > (1ull << 40)) {
            oclnn_context_destroy(ctx);
            return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT,
                              "OCLNN_MAX_ALLOC_MB='%s' is not a size in MiB from 1 to 2^40", cap);
        }
        ctx->alloc_cap = (uint64_t)mb << 20;
    }
    const char *kd = opt->kernel_dir ? opt->kernel_dir : getenv("OCLNN_KERNEL_DIR");
    oclnn_status st = OCLNN_STATUS_OK;
    ctx->queues = oclnn_calloc(ctx->alloc, ctx->num_queues, sizeof *ctx->queues);
    if (!ctx->queues) st = OCLNN_STATUS_OUT_OF_HOST_MEMORY;
    char dirbuf[4096];
    const char *dir = ctx->disk_cache ? resolve_cache_dir(opt->cache_dir, dirbuf, sizeof dirbuf) : NULL;
    ctx->disk_cache = dir != NULL;
    if (!st && dir && !(ctx->cache_dir = oclnn_strdup(ctx->alloc, dir))) st = OCLNN_STATUS_OUT_OF_HOST_MEMORY;
    if (!st && kd && *kd && !(ctx->kernel_dir = oclnn_strdup(ctx->alloc, kd))) st = OCLNN_STATUS_OUT_OF_HOST_MEMORY;
    if (st) {
        oclnn_context_destroy(ctx);
        return oclnn_fail(NULL, st, "allocating the context");
    }
    *out = ctx;
    return OCLNN_STATUS_OK;
}

static oclnn_status create_queues(oclnn_context *ctx, uint32_t first) {
    cl_command_queue_properties props = ctx->profiling ? CL_QUEUE_PROFILING_ENABLE : 0;
    for (uint32_t i = first; i < ctx->num_queues; i++) {
        cl_int err;
        ctx->queues[i] = clw_CreateCommandQueue(ctx->cl, ctx->device, props, &err);
        if (!ctx->queues[i]) return clw_fail(NULL, err, "clCreateCommandQueue");
    }
    return OCLNN_STATUS_OK;
}

static void log_created(oclnn_context *ctx) {
    oclnn_log(&ctx->log, OCLNN_LOG_INFO, "context on '%s' / '%s' (%s), %u queue(s), disk cache %s",
              ctx->info.platform_name, ctx->info.name, ctx->info.driver_version, ctx->num_queues,
              ctx->cache_dir ? ctx->cache_dir : "off");
}

oclnn_status oclnn_context_create(const oclnn_context_options *options, oclnn_context **out) {
    if (!out) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "oclnn_context_create: out is NULL");
    *out = NULL;
    oclnn_context_options defaults;
    if (!options) {
        oclnn_context_options_init(&defaults);
        options = &defaults;
    }
    oclnn_context *ctx;
    oclnn_status st = context_alloc(options, &ctx);
    if (st) return st;
    oclnn_device_entry *list = NULL;
    size_t n = 0, idx = 0;
    st = oclnn_device_list(ctx->alloc, NULL, &list, &n);
    if (!st) st = oclnn_device_match(list, n, options->device, NULL, &idx);
    if (!st) {
        ctx->platform = list[idx].platform;
        ctx->device = list[idx].device;
        ctx->info = list[idx].info;
        cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)ctx->platform, 0};
        cl_int err;
        ctx->cl = clw_CreateContext(props, 1, &ctx->device, &err);
        if (!ctx->cl) st = clw_fail(NULL, err, "clCreateContext");
    }
    oclnn_free(ctx->alloc, list);
    if (!st) st = create_queues(ctx, 0);
    if (st) {
        oclnn_context_destroy(ctx);
        return st;
    }
    log_created(ctx);
    *out = ctx;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_context_create_from_cl(cl_context context, cl_command_queue queue,
                                          const oclnn_context_options *options, oclnn_context **out) {
    if (!out) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "oclnn_context_create_from_cl: out is NULL");
    *out = NULL;
    if (!context || !queue)
        return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "oclnn_context_create_from_cl: NULL context or queue");
    oclnn_context_options defaults;
    if (!options) {
        oclnn_context_options_init(&defaults);
        options = &defaults;
    }
    cl_device_id dev;
    cl_context qctx;
    cl_command_queue_properties qprops = 0;
    cl_int err = clw_GetCommandQueueInfo(queue, CL_QUEUE_DEVICE, sizeof dev, &dev, NULL);
    if (err == CL_SUCCESS) err = clw_GetCommandQueueInfo(queue, CL_QUEUE_CONTEXT, sizeof qctx, &qctx, NULL);
    if (err == CL_SUCCESS) err = clw_GetCommandQueueInfo(queue, CL_QUEUE_PROPERTIES, sizeof qprops, &qprops, NULL);
    if (err != CL_SUCCESS) return clw_fail(NULL, err, "clGetCommandQueueInfo");
    if (qctx != context)
        return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "the queue does not belong to the given context");
    if (qprops & CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE)
        return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "oclnn needs an in-order queue");
    cl_platform_id plat;
    err = clw_GetDeviceInfo(dev, CL_DEVICE_PLATFORM, sizeof plat, &plat, NULL);
    if (err != CL_SUCCESS) return clw_fail(NULL, err, "clGetDeviceInfo(CL_DEVICE_PLATFORM)");

    oclnn_context *ctx;
    oclnn_status st = context_alloc(options, &ctx);
    if (st) return st;
    ctx->wrapped = 1;
    ctx->platform = plat;
    ctx->device = dev;
    oclnn_device_query(plat, dev, &ctx->info);
    /* Profiling follows the caller's queue: extra queues must match queue 0 for timings to be comparable. */
    ctx->profiling = (qprops & CL_QUEUE_PROFILING_ENABLE) != 0;
    if (clw_RetainContext(context) == CL_SUCCESS) ctx->cl = context;
    if (ctx->cl && clw_RetainCommandQueue(queue) == CL_SUCCESS) ctx->queues[0] = queue;
    if (!ctx->cl || !ctx->queues[0]) st = oclnn_fail(NULL, OCLNN_STATUS_OPENCL_ERROR, "retaining the caller's objects");
    if (!st) st = create_queues(ctx, 1);
    if (st) {
        oclnn_context_destroy(ctx);
        return st;
    }
    log_created(ctx);
    *out = ctx;
    return OCLNN_STATUS_OK;
}

void oclnn_context_destroy(oclnn_context *ctx) {
    if (!ctx) return;
    /* Queues drained first: the program cache may still write deferred disk entries, from idle programs. */
    if (ctx->queues)
        for (uint32_t i = 0; i < ctx->num_queues; i++)
            if (ctx->queues[i]) clFinish(ctx->queues[i]); /* never faulted: teardown must not fail half-way */
    if (ctx->programs_destroy) ctx->programs_destroy(ctx);
    if (ctx->queues) {
        for (uint32_t i = 0; i < ctx->num_queues; i++)
            if (ctx->queues[i]) clw_ReleaseCommandQueue(ctx->queues[i]);
    }
    if (ctx->cl) clw_ReleaseContext(ctx->cl);
    const oclnn_allocator *a = ctx->alloc;
    pthread_mutex_destroy(&ctx->lock);
    oclnn_free(a, ctx->queues);
    oclnn_free(a, ctx->cache_dir);
    oclnn_free(a, ctx->kernel_dir);
    oclnn_free(a, ctx);
}

const char *oclnn_last_error(const oclnn_context *ctx) { return ctx ? ctx->err.msg : oclnn_thread_errbuf()->msg; }

oclnn_status oclnn_context_device_info(const oclnn_context *ctx, oclnn_device_info *info) {
    if (!ctx || !info) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "oclnn_context_device_info: NULL");
    *info = ctx->info;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_context_finish(oclnn_context *ctx) {
    if (!ctx) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "oclnn_context_finish: ctx is NULL");
    for (uint32_t i = 0; i < ctx->num_queues; i++) {
        cl_int err = clw_Finish(ctx->queues[i]);
        if (err != CL_SUCCESS) return clw_fail(&ctx->err, err, "clFinish");
    }
    return OCLNN_STATUS_OK;
}

const char *oclnn_context_cache_dir(const oclnn_context *ctx) {
    return (ctx && ctx->disk_cache && ctx->cache_dir) ? ctx->cache_dir : "";
}

cl_context oclnn_context_cl_context(const oclnn_context *ctx) { return ctx ? ctx->cl : NULL; }
cl_device_id oclnn_context_cl_device(const oclnn_context *ctx) { return ctx ? ctx->device : NULL; }
cl_command_queue oclnn_context_cl_queue(const oclnn_context *ctx, uint32_t index) {
    return (ctx && index < ctx->num_queues) ? ctx->queues[index] : NULL;
}
