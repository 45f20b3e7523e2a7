/* program.c - getting a built cl_program: the in-memory cache of a context, then the disk cache, then a
 * build from source. Also the registry accessors and canonical -D options.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disk_cache.h"
#include "embedded.h"
#include "program.h"

/* ---- options ---- */

void oclnn_opts_init(oclnn_opts *o) {
    o->buf[0] = 0;
    o->len = 0;
    o->overflow = 0;
}

void oclnn_opts_add(oclnn_opts *o, const char *fmt, ...) {
    if (o->overflow) return;
    if (o->len && o->len + 1 < sizeof o->buf) o->buf[o->len++] = ' ';
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->len, sizeof o->buf - o->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof o->buf - o->len) {
        o->overflow = 1;
        return;
    }
    o->len += (size_t)n;
}

void oclnn_opts_int(oclnn_opts *o, const char *name, long v, long dflt) {
    if (v != dflt) oclnn_opts_add(o, "-D%s=%ld", name, v);
}

void oclnn_opts_float(oclnn_opts *o, const char *name, float v) {
    if (isinf(v))
        oclnn_opts_add(o, "-D%s=%s", name, v > 0 ? "INFINITY" : "(-INFINITY)");
    else
        /* %.9e round-trips a float and, with the f suffix, is a valid OpenCL C literal. */
        oclnn_opts_add(o, "-D%s=%.9ef", name, (double)v);
}

/* Length of the "-DNAME" part of an option, so "-DX=1" and "-DX=2" compare as the same name. */
static size_t opt_name_len(const char *s, size_t n) {
    if (n > 2 && s[0] == '-' && s[1] == 'D') {
        const char *eq = memchr(s, '=', n);
        return eq ? (size_t)(eq - s) : n;
    }
    return n;
}

typedef struct tok {
    const char *s;
    size_t n;
    size_t order;
} tok;

static int tok_cmp(const void *pa, const void *pb) {
    const tok *a = pa, *b = pb;
    size_t na = opt_name_len(a->s, a->n), nb = opt_name_len(b->s, b->n);
    size_t m = na < nb ? na : nb;
    int c = memcmp(a->s, b->s, m);
    if (c) return c;
    if (na != nb) return na < nb ? -1 : 1;
    return a->order < b->order ? -1 : (a->order > b->order); /* keep the input order among equal names */
}

bool oclnn_options_canonical(const char *in, char *out, size_t cap) {
    tok toks[128];
    size_t nt = 0;
    for (const char *p = in ? in : ""; *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\n') p++;
        if (!*p) break;
        const char *s = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n') p++;
        if (nt == sizeof toks / sizeof toks[0]) return false;
        toks[nt] = (tok){s, (size_t)(p - s), nt};
        nt++;
    }
    qsort(toks, nt, sizeof *toks, tok_cmp);
    size_t len = 0;
    out[0] = 0;
    for (size_t i = 0; i < nt; i++) {
        /* For equal names the last one given wins, as it would on a compiler command line. */
        if (i + 1 < nt && opt_name_len(toks[i].s, toks[i].n) == opt_name_len(toks[i + 1].s, toks[i + 1].n) &&
            memcmp(toks[i].s, toks[i + 1].s, opt_name_len(toks[i].s, toks[i].n)) == 0)
            continue;
        if (len + toks[i].n + 2 > cap) return false;
        if (len) out[len++] = ' ';
        memcpy(out + len, toks[i].s, toks[i].n);
        len += toks[i].n;
        out[len] = 0;
    }
    return true;
}

/* ---- registry ---- */

static const struct {
    const char *file;
    const char *variants;
} registry[] = {
#define X(id, file, variants) {file, variants},
    OCLNN_KERNEL_LIST(X)
#undef X
};

const char *oclnn_kernel_file(oclnn_kernel_id id) { return (unsigned)id < OCLNN_KERNEL_COUNT ? registry[id].file : NULL; }
const char *oclnn_kernel_variants(oclnn_kernel_id id) {
    return (unsigned)id < OCLNN_KERNEL_COUNT ? registry[id].variants : NULL;
}

static const oclnn_embedded_kernel *find_embedded(const char *file) {
    for (size_t i = 0; i < oclnn_embedded_kernel_count; i++)
        if (strcmp(oclnn_embedded_kernels[i].file, file) == 0) return &oclnn_embedded_kernels[i];
    return NULL;
}

/* ---- per-context program cache ---- */

typedef struct entry {
    char *key;
    cl_program prog;
    int unsaved; /* built from source, its disk entry not written yet (deferred writes) */
} entry;

typedef struct program_cache {
    entry *v;
    size_t n, cap;
    oclnn_cache_stats stats;
    /* Write disk entries at oclnn_context_cache_flush() / context destruction instead of right after the build. On
     * POCL, reading a program's binary compiles a generic work-group function for every kernel of the program
     * (pocl_driver_build_poclbinary), which POCL never runs while the program's LLVM IR is at hand: each launch
     * compiles a version specialised to its local size instead. Done at build time, that doubled the codegen on
     * the way to a cold first result (DenseNet-121: about 8 s of 15). Read later, the binary also carries the
     * specialised functions of the launches made so far, so a start from oclnn's cache alone compiles nothing. */
    int defer_writes;
} program_cache;

static void store_binary(oclnn_context *ctx, cl_program p, const char *key, program_cache *pc);

/* Writes the entries of programs built from source whose writes were deferred. Takes the lock itself. */
static void write_unsaved(oclnn_context *ctx, program_cache *pc) {
    for (;;) {
        pthread_mutex_lock(&ctx->lock);
        size_t i = 0;
        while (i < pc->n && !pc->v[i].unsaved) i++;
        cl_program p = NULL;
        char *key = NULL;
        if (i < pc->n) {
            pc->v[i].unsaved = 0;
            /* Retained and copied, so the slow write runs unlocked while other threads use the cache. */
            key = oclnn_strdup(ctx->alloc, pc->v[i].key);
            if (key && clw_RetainProgram(pc->v[i].prog) == CL_SUCCESS) {
                p = pc->v[i].prog;
            } else {
                oclnn_free(ctx->alloc, key);
                key = NULL;
            }
        }
        pthread_mutex_unlock(&ctx->lock);
        if (i == pc->n) return;
        if (!p) continue; /* out of memory: that entry is skipped (only speed is lost), the others still go */
        store_binary(ctx, p, key, pc);
        clw_ReleaseProgram(p);
        oclnn_free(ctx->alloc, key);
    }
}

static void cache_destroy(oclnn_context *ctx) {
    program_cache *pc = ctx->programs;
    if (!pc) return;
    if (ctx->disk_cache) write_unsaved(ctx, pc);
    for (size_t i = 0; i < pc->n; i++) {
        clw_ReleaseProgram(pc->v[i].prog);
        oclnn_free(ctx->alloc, pc->v[i].key);
    }
    oclnn_free(ctx->alloc, pc->v);
    oclnn_free(ctx->alloc, pc);
    ctx->programs = NULL;
}

/* Called with ctx->lock held. */
static program_cache *cache_of(oclnn_context *ctx) {
    if (!ctx->programs) {
        program_cache *pc = oclnn_calloc(ctx->alloc, 1, sizeof(program_cache));
        if (pc) {
            pc->defer_writes = strstr(ctx->info.platform_name, "Portable Computing Language") != NULL;
            ctx->programs = pc;
            ctx->programs_destroy = cache_destroy;
        }
    }
    return ctx->programs;
}

oclnn_status oclnn_context_cache_flush(oclnn_context *ctx) {
    if (!ctx) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "oclnn_context_cache_flush: NULL");
    pthread_mutex_lock(&ctx->lock);
    program_cache *pc = ctx->programs;
    pthread_mutex_unlock(&ctx->lock);
    if (pc && ctx->disk_cache) write_unsaved(ctx, pc);
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_context_cache_stats(const oclnn_context *ctx, oclnn_cache_stats *stats) {
    if (!ctx || !stats) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "oclnn_context_cache_stats: NULL");
    oclnn_context *c = (oclnn_context *)ctx;
    pthread_mutex_lock(&c->lock);
    program_cache *pc = c->programs;
    if (pc)
        *stats = pc->stats;
    else
        memset(stats, 0, sizeof *stats);
    pthread_mutex_unlock(&c->lock);
    return OCLNN_STATUS_OK;
}

void oclnn_cache_key(const oclnn_context *ctx, uint64_t source_hash, const char *canonical_options, char *key,
                     size_t cap) {
    snprintf(key, cap,
             "oclnn program cache v%d\nplatform: %s\nplatform version: %s\ndevice: %s\ndriver: %s\nsource: "
             "%016llx\noptions: %s\n",
             OCLNN_CACHE_FORMAT_VERSION, ctx->info.platform_name, ctx->info.platform_version, ctx->info.name,
             ctx->info.driver_version, (unsigned long long)source_hash, canonical_options);
}

void oclnn_cache_entry_path(const oclnn_context *ctx, const char *key, char *path, size_t cap) {
    oclnn_disk_cache_path(ctx->cache_dir ? ctx->cache_dir : "", key, path, cap);
}

static oclnn_status build_failed(oclnn_context *ctx, cl_program p, cl_int err, const char *name, const char *opts) {
    oclnn_status st = clw_fail(&ctx->err, err, "clBuildProgram");
    oclnn_err_append(&ctx->err, " building '%s' with options '%s' for '%s'", name, opts, ctx->info.name);
    size_t n = 0;
    if (clw_GetProgramBuildInfo(p, ctx->device, CL_PROGRAM_BUILD_LOG, 0, NULL, &n) == CL_SUCCESS && n > 1) {
        char *log = oclnn_malloc(ctx->alloc, n + 1);
        if (log && clw_GetProgramBuildInfo(p, ctx->device, CL_PROGRAM_BUILD_LOG, n, log, NULL) == CL_SUCCESS) {
            log[n] = 0;
            oclnn_err_append(&ctx->err, "\n--- build log ---\n%s", log);
        }
        oclnn_free(ctx->alloc, log);
    }
    oclnn_log(&ctx->log, OCLNN_LOG_INFO, "%s", ctx->err.msg);
    return st;
}

/* Loads a verified disk entry; NULL if the driver refuses the binary (then we rebuild from source). */
static cl_program from_binary(oclnn_context *ctx, const unsigned char *bin, size_t len, const char *opts) {
    cl_int err, bst = CL_SUCCESS;
    cl_program p = clw_CreateProgramWithBinary(ctx->cl, ctx->device, len, bin, &bst, &err);
    if (!p) return NULL;
    if (bst != CL_SUCCESS || clw_BuildProgram(p, ctx->device, opts) != CL_SUCCESS) {
        clw_ReleaseProgram(p);
        return NULL;
    }
    return p;
}

static void store_binary(oclnn_context *ctx, cl_program p, const char *key, program_cache *pc) {
    size_t len = 0;
    if (clw_GetProgramInfo(p, CL_PROGRAM_BINARY_SIZES, sizeof len, &len, NULL) != CL_SUCCESS || len == 0) return;
    unsigned char *bin = oclnn_malloc(ctx->alloc, len);
    if (!bin) return;
    if (clw_GetProgramInfo(p, CL_PROGRAM_BINARIES, sizeof bin, &bin, NULL) == CL_SUCCESS &&
        oclnn_disk_cache_store(ctx->cache_dir, key, bin, len) == 0) {
        pthread_mutex_lock(&ctx->lock);
        pc->stats.disk_writes++;
        pthread_mutex_unlock(&ctx->lock);
    } else {
        oclnn_log(&ctx->log, OCLNN_LOG_WARN, "could not write a program to the disk cache in %s", ctx->cache_dir);
    }
    oclnn_free(ctx->alloc, bin);
}

oclnn_status oclnn_program_get_source(oclnn_context *ctx, const char *name, const char *source, size_t length,
                                      const char *options, cl_program *out) {
    *out = NULL;
    char canon[1024];
    if (!oclnn_options_canonical(options, canon, sizeof canon))
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "build options for '%s' are too long", name);
    char key[2048];
    oclnn_cache_key(ctx, oclnn_hash64(source, length, OCLNN_HASH_SEED), canon, key, sizeof key);

    pthread_mutex_lock(&ctx->lock);
    program_cache *pc = cache_of(ctx);
    if (!pc) {
        pthread_mutex_unlock(&ctx->lock);
        return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating the program cache");
    }
    for (size_t i = 0; i < pc->n; i++)
        if (strcmp(pc->v[i].key, key) == 0 && clw_RetainProgram(pc->v[i].prog) == CL_SUCCESS) {
            pc->stats.memory_hits++;
            *out = pc->v[i].prog;
            pthread_mutex_unlock(&ctx->lock);
            return OCLNN_STATUS_OK;
        }
    pthread_mutex_unlock(&ctx->lock);

    /* Built outside the lock: builds take seconds and other threads may want other programs meanwhile. */
    double t0 = oclnn_now_ms();
    cl_program p = NULL;
    int from_disk = 0, rejected = 0, missed = 0;
    if (ctx->disk_cache) {
        unsigned char *bin = NULL;
        size_t len = 0;
        oclnn_disk_result r = oclnn_disk_cache_load(ctx->alloc, ctx->cache_dir, key, &bin, &len);
        if (r == OCLNN_DISK_HIT) {
            p = from_binary(ctx, bin, len, canon);
            oclnn_free(ctx->alloc, bin);
            if (p) from_disk = 1; else rejected = 1;
        } else {
            missed = r == OCLNN_DISK_MISS;
            rejected = r == OCLNN_DISK_REJECTED;
        }
        if (rejected) oclnn_log(&ctx->log, OCLNN_LOG_INFO, "disk cache entry for '%s' rejected; rebuilding", name);
    }
    if (!p) {
        cl_int err;
        p = clw_CreateProgramWithSource(ctx->cl, 1, &source, &length, &err);
        if (!p) return clw_fail(&ctx->err, err, "clCreateProgramWithSource");
        oclnn_log(&ctx->log, OCLNN_LOG_DEBUG, "building '%s' with '%s'", name, canon);
        err = clw_BuildProgram(p, ctx->device, canon);
        if (err != CL_SUCCESS) {
            oclnn_status st = build_failed(ctx, p, err, name, canon);
            clw_ReleaseProgram(p);
            return st;
        }
    }
    double dt = oclnn_now_ms() - t0;
    oclnn_log(&ctx->log, OCLNN_LOG_DEBUG, "%s '%s' with '%s' in %.1f ms", from_disk ? "loaded" : "built", name, canon,
              dt);
    pthread_mutex_lock(&ctx->lock);
    pc->stats.build_ms += dt;
    pc->stats.disk_hits += from_disk;
    pc->stats.disk_misses += missed;
    pc->stats.disk_rejected += rejected;
    pc->stats.source_builds += !from_disk;
    pthread_mutex_unlock(&ctx->lock);
    int unsaved = !from_disk && ctx->disk_cache;
    if (unsaved && !pc->defer_writes) {
        store_binary(ctx, p, key, pc);
        unsaved = 0;
    }

    pthread_mutex_lock(&ctx->lock);
    /* Another thread may have built the same program meanwhile: keep one, hand the caller that one. */
    for (size_t i = 0; i < pc->n; i++)
        if (strcmp(pc->v[i].key, key) == 0 && clw_RetainProgram(pc->v[i].prog) == CL_SUCCESS) {
            pthread_mutex_unlock(&ctx->lock);
            clw_ReleaseProgram(p);
            *out = pc->v[i].prog;
            return OCLNN_STATUS_OK; /* that one's builder saves it */
        }
    oclnn_status st = OCLNN_STATUS_OK;
    if (pc->n == pc->cap) {
        size_t ncap = pc->cap ? pc->cap * 2 : 16;
        entry *nv = oclnn_realloc(ctx->alloc, pc->v, ncap * sizeof *nv);
        if (nv) {
            pc->v = nv;
            pc->cap = ncap;
        }
    }
    char *kcopy = pc->n < pc->cap ? oclnn_strdup(ctx->alloc, key) : NULL;
    if (kcopy && clw_RetainProgram(p) == CL_SUCCESS) {
        pc->v[pc->n++] = (entry){kcopy, p, unsaved};
    } else {
        /* Not remembering it is harmless except for speed; but out of memory is worth reporting now. */
        oclnn_free(ctx->alloc, kcopy);
        st = oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "caching program '%s'", name);
    }
    pthread_mutex_unlock(&ctx->lock);
    if (st) {
        clw_ReleaseProgram(p);
        return st;
    }
    *out = p;
    return OCLNN_STATUS_OK;
}

static oclnn_status read_file(oclnn_context *ctx, const char *path, char **data, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return oclnn_fail(&ctx->err, OCLNN_STATUS_IO_ERROR, "cannot open kernel file %s (OCLNN_KERNEL_DIR)", path);
    char *buf = NULL;
    size_t n = 0, cap = 0;
    oclnn_status st = OCLNN_STATUS_OK;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 16384;
            char *nb = oclnn_realloc(ctx->alloc, buf, cap);
            if (!nb) {
                st = oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "reading %s", path);
                break;
            }
            buf = nb;
        }
        size_t r = fread(buf + n, 1, 4096, f);
        n += r;
        if (r < 4096) break;
    }
    if (!st && ferror(f)) st = oclnn_fail(&ctx->err, OCLNN_STATUS_IO_ERROR, "reading %s", path);
    fclose(f);
    if (st) {
        oclnn_free(ctx->alloc, buf);
        return st;
    }
    buf[n] = 0;
    *data = buf;
    *len = n;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_program_get(oclnn_context *ctx, oclnn_kernel_id id, const char *options, cl_program *out) {
    if (!out) return oclnn_fail(ctx ? &ctx->err : NULL, OCLNN_STATUS_INVALID_ARGUMENT, "program_get: out is NULL");
    *out = NULL;
    const char *file = oclnn_kernel_file(id);
    if (!ctx || !file) return oclnn_fail(ctx ? &ctx->err : NULL, OCLNN_STATUS_INVALID_ARGUMENT, "unknown kernel id");
    if (ctx->kernel_dir) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", ctx->kernel_dir, file);
        char *src = NULL;
        size_t len = 0;
        oclnn_status st = read_file(ctx, path, &src, &len);
        if (st) return st;
        st = oclnn_program_get_source(ctx, file, src, len, options, out);
        oclnn_free(ctx->alloc, src);
        return st;
    }
    const oclnn_embedded_kernel *k = find_embedded(file);
    if (!k) return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "kernel %s is not embedded", file);
    return oclnn_program_get_source(ctx, file, k->source, k->length, options, out);
}

oclnn_status oclnn_kernel_create(oclnn_context *ctx, oclnn_kernel_id id, const char *options, const char *kernel_name,
                                 cl_kernel *out) {
    cl_program p;
    oclnn_status st = oclnn_program_get(ctx, id, options, &p);
    if (st) return st;
    cl_int err;
    *out = clw_CreateKernel(p, kernel_name, &err);
    clw_ReleaseProgram(p); /* the kernel keeps the program alive */
    if (!*out) {
        st = clw_fail(&ctx->err, err, "clCreateKernel");
        oclnn_err_append(&ctx->err, " for kernel '%s' of %s", kernel_name, oclnn_kernel_file(id));
        return st;
    }
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_context_prebuild_all(oclnn_context *ctx, size_t *built) {
    if (built) *built = 0;
    if (!ctx) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "prebuild_all: ctx is NULL");
    size_t n = 0;
    for (int id = 0; id < OCLNN_KERNEL_COUNT; id++) {
        const char *v = oclnn_kernel_variants((oclnn_kernel_id)id);
        /* An empty list means one variant: the file's defaults. */
        for (const char *s = v;;) {
            const char *e = strchr(s, ';');
            size_t len = e ? (size_t)(e - s) : strlen(s);
            char opts[1024];
            snprintf(opts, sizeof opts, "%.*s", (int)len, s);
            cl_program p;
            oclnn_status st = oclnn_program_get(ctx, (oclnn_kernel_id)id, opts, &p);
            if (st) return st;
            clw_ReleaseProgram(p);
            n++;
            if (!e) break;
            s = e + 1;
        }
    }
    if (built) *built = n;
    /* Warming a cache is the point here: the entries are written now, not when the context goes. */
    return oclnn_context_cache_flush(ctx);
}
