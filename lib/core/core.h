/* core.h - internal basics shared by every layer: error reporting, logging, host allocation, hashing
 * and checked size arithmetic. Nothing here knows about OpenCL.
 */
#ifndef OCLNN_CORE_H
#define OCLNN_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oclnn.h"

#define OCLNN_ERRMSG_SIZE 16384

/* The rank the computing operators' kernels index (elementwise, softmax, argmax, LRN, MatMul, Pad). Tensors, the
 * graph and the metadata and copy operators take OCLNN_MAX_DIMS (6) dims: the copies merge a 6-D index space down
 * to at most this many strided axes or refuse it. */
#define OCLNN_KERNEL_MAX_DIMS 5

/* Where a failing call writes its message: a context's buffer, or the calling thread's when no context exists. */
typedef struct oclnn_errbuf {
    char msg[OCLNN_ERRMSG_SIZE];
} oclnn_errbuf;

/* Sink for log lines: the context's callback and level, or the process defaults. */
typedef struct oclnn_logger {
    oclnn_log_fn fn;
    void *user;
    int level;
} oclnn_logger;

oclnn_errbuf *oclnn_thread_errbuf(void);

/* Formats the message into @p eb (or the thread's buffer when NULL) and returns @p status, so that failure paths
 * read `return oclnn_fail(eb, OCLNN_STATUS_X, "...", ...)`. */
oclnn_status oclnn_fail(oclnn_errbuf *eb, oclnn_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends to the message already in @p eb (used to add build logs or context). */
void oclnn_err_append(oclnn_errbuf *eb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Resolves the log level: an explicit level >= 0, else $OCLNN_LOG, else warn. */
int oclnn_log_level_from_env(int explicit_level);
void oclnn_log(const oclnn_logger *lg, oclnn_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Host allocation through the hook (NULL: libc). Failures return NULL; callers report OUT_OF_HOST_MEMORY. */
void *oclnn_malloc(const oclnn_allocator *a, size_t size);
void *oclnn_calloc(const oclnn_allocator *a, size_t count, size_t size);
void *oclnn_realloc(const oclnn_allocator *a, void *p, size_t size);
void oclnn_free(const oclnn_allocator *a, void *p);
char *oclnn_strdup(const oclnn_allocator *a, const char *s);

/* FNV-1a 64-bit. Not cryptographic: it keys caches and detects corruption, not tampering. */
uint64_t oclnn_hash64(const void *data, size_t len, uint64_t seed);
#define OCLNN_HASH_SEED 0xcbf29ce484222325ull

/* Checked arithmetic: false on overflow, never a wrap. */
static inline bool oclnn_mul_size(size_t a, size_t b, size_t *r) { return !__builtin_mul_overflow(a, b, r); }
static inline bool oclnn_add_size(size_t a, size_t b, size_t *r) { return !__builtin_add_overflow(a, b, r); }

double oclnn_now_ms(void);

#endif
