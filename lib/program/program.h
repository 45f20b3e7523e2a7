/* program.h - runtime kernel compilation: the registry of embedded sources, canonical -D options, the
 * per-context in-memory program cache and the on-disk binary cache.
 */
#ifndef OCLNN_PROGRAM_H
#define OCLNN_PROGRAM_H

#include "device/device.h"
#include "program/kernel_list.h"

/* A growing option string: oclnn_opts_add(&o, "-DKH=%d", 3). Overflow is remembered and reported at build. */
typedef struct oclnn_opts {
    char buf[1024];
    size_t len;
    int overflow;
} oclnn_opts;

void oclnn_opts_init(oclnn_opts *o);
void oclnn_opts_add(oclnn_opts *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Adds -DNAME=v unless v is the .cl file's default, so equal configurations share one cache key and the
 * registry's variant list can name configurations the way the operators do. */
void oclnn_opts_int(oclnn_opts *o, const char *name, long v, long dflt);

/* Adds -DNAME=<float literal> that round-trips @p v exactly; infinities become INFINITY / (-INFINITY), which
 * OpenCL C defines (a Clip with no upper bound has max = +inf). NaN must be rejected by the caller. */
void oclnn_opts_float(oclnn_opts *o, const char *name, float v);

/* Sorts and de-duplicates whitespace-separated options ("-DB=1 -DA=2 -DA=2" -> "-DA=2 -DB=1"), so that equal
 * option sets give one cache key. A later "-DX=" replaces an earlier one of the same name. Returns false when
 * @p cap is too small. */
bool oclnn_options_canonical(const char *in, char *out, size_t cap);

/* The source of a registry entry: embedded, or read from the context's kernel_dir (dev mode). */
const char *oclnn_kernel_file(oclnn_kernel_id id);
const char *oclnn_kernel_variants(oclnn_kernel_id id);

/* Returns a built program for @p id with @p options (retained: release it with clw_ReleaseProgram). */
oclnn_status oclnn_program_get(oclnn_context *ctx, oclnn_kernel_id id, const char *options, cl_program *out);

/* Same for an arbitrary source (tests, and kernels outside the registry); @p name appears in messages. */
oclnn_status oclnn_program_get_source(oclnn_context *ctx, const char *name, const char *source, size_t length,
                                      const char *options, cl_program *out);

/* Convenience: program_get + clCreateKernel. */
oclnn_status oclnn_kernel_create(oclnn_context *ctx, oclnn_kernel_id id, const char *options, const char *kernel_name,
                                 cl_kernel *out);

/* The disk-cache file name for a key (exposed so tests can corrupt entries). */
void oclnn_cache_entry_path(const oclnn_context *ctx, const char *key, char *path, size_t cap);
/* The full cache key a (source hash, canonical options) pair gets on this context's device. */
void oclnn_cache_key(const oclnn_context *ctx, uint64_t source_hash, const char *canonical_options, char *key,
                     size_t cap);

#define OCLNN_CACHE_FORMAT_VERSION 1

#endif
