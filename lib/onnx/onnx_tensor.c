/* onnx_tensor.c - one TensorProto decoder for initializers, Constant values and tensor files: dtype mapping,
 * exact length checks, little-endian raw data or typed fields, external data confined to the model's folder.
 * Also the protobuf-c allocator bridge and the bounded whole-file read the ONNX layer uses.
 */
#include "onnx/onnx_tensor.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- protobuf-c allocator ---- */

static void *pb_alloc(void *user, size_t size) {
    oclnn_onnx_pballoc *a = user;
    void *p = oclnn_malloc(a->alloc, size ? size : 1);
    if (!p) a->failed = 1;
    return p;
}

static void pb_free(void *user, void *p) {
    oclnn_onnx_pballoc *a = user;
    oclnn_free(a->alloc, p);
}

void oclnn_onnx_pballoc_init(oclnn_onnx_pballoc *a, oclnn_context *ctx) {
    a->pb.alloc = pb_alloc;
    a->pb.free = pb_free;
    a->pb.allocator_data = a;
    a->alloc = ctx->alloc;
    a->failed = 0;
}

/* ---- files ---- */

/* Opens @p path for reading and checks that it is a regular file; *size receives its length. */
static oclnn_status open_regular(oclnn_context *ctx, const char *path, const char *what, FILE **f, uint64_t *size) {
    *f = fopen(path, "rb");
    if (!*f)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_IO_ERROR, "onnx: %s: cannot open '%s': %s", what, path,
                          strerror(errno));
    struct stat st;
    if (fstat(fileno(*f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(*f);
        *f = NULL;
        return oclnn_fail(&ctx->err, OCLNN_STATUS_IO_ERROR, "onnx: %s: '%s' is not a regular file", what, path);
    }
    *size = (uint64_t)st.st_size;
    return OCLNN_STATUS_OK;
}

/* Reads @p n bytes at @p offset of an open file into a fresh buffer. */
static oclnn_status read_range(oclnn_context *ctx, FILE *f, const char *path, const char *what, uint64_t offset,
                               size_t n, void **out) {
    *out = NULL;
    void *buf = oclnn_malloc(ctx->alloc, n ? n : 1);
    if (!buf) return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "onnx: %s: out of host memory", what);
    if (offset > (uint64_t)INT64_MAX || fseeko(f, (off_t)offset, SEEK_SET) != 0 || fread(buf, 1, n, f) != n) {
        oclnn_free(ctx->alloc, buf);
        return oclnn_fail(&ctx->err, OCLNN_STATUS_IO_ERROR, "onnx: %s: cannot read %zu bytes of '%s'", what, n, path);
    }
    *out = buf;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_onnx_read_file(oclnn_context *ctx, const char *path, size_t cap, void **data, size_t *size) {
    *data = NULL;
    *size = 0;
    FILE *f;
    uint64_t len;
    oclnn_status s = open_regular(ctx, path, "model", &f, &len);
    if (s) return s;
    if (len > cap) {
        fclose(f);
        return oclnn_fail(&ctx->err, OCLNN_STATUS_LIMIT_EXCEEDED, "onnx: '%s' has %llu bytes (at most %zu)", path,
                          (unsigned long long)len, cap);
    }
    s = read_range(ctx, f, path, "model", 0, (size_t)len, data);
    fclose(f);
    if (!s) *size = (size_t)len;
    return s;
}

oclnn_status oclnn_onnx_map_file(oclnn_context *ctx, const char *path, size_t cap, oclnn_onnx_file *out) {
    memset(out, 0, sizeof *out);
    FILE *f;
    uint64_t len;
    oclnn_status s = open_regular(ctx, path, "model", &f, &len);
    if (s) return s;
    if (len > cap) {
        fclose(f);
        return oclnn_fail(&ctx->err, OCLNN_STATUS_LIMIT_EXCEEDED, "onnx: '%s' has %llu bytes (at most %zu)", path,
                          (unsigned long long)len, cap);
    }
    if (len) {
        /* read-only private mapping: clean file pages the kernel can drop; a file system that cannot map is read */
        void *p = mmap(NULL, (size_t)len, PROT_READ, MAP_PRIVATE, fileno(f), 0);
        if (p != MAP_FAILED) {
            out->data = p;
            out->mapped = 1;
        } else {
            void *buf;
            s = read_range(ctx, f, path, "model", 0, (size_t)len, &buf);
            out->data = buf;
        }
    }
    fclose(f);
    if (s) return s;
    out->size = (size_t)len;
    return OCLNN_STATUS_OK;
}

size_t oclnn_onnx_page_size(void) {
    long p = sysconf(_SC_PAGESIZE);
    return p > 0 ? (size_t)p : 4096;
}

void oclnn_onnx_drop_range(const void *addr, size_t len) {
    /* a private read-only file mapping: the pages are read from the file again if touched */
    (void)madvise((void *)addr, len, MADV_DONTNEED);
}

void oclnn_onnx_unmap_file(oclnn_context *ctx, oclnn_onnx_file *f) {
    if (f->mapped)
        munmap((void *)f->data, f->size);
    else
        oclnn_free(ctx->alloc, (void *)f->data);
    memset(f, 0, sizeof *f);
}

/* ---- data types ---- */

const char *oclnn_onnx_dtype_name(int32_t t) {
    static const char *const names[] = {
        "UNDEFINED",      "FLOAT",      "UINT8",          "INT8",       "UINT16",   "INT16",
        "INT32",          "INT64",      "STRING",         "BOOL",       "FLOAT16",  "DOUBLE",
        "UINT32",         "UINT64",     "COMPLEX64",      "COMPLEX128", "BFLOAT16", "FLOAT8E4M3FN",
        "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4",      "INT4",
    };
    if (t >= 0 && (size_t)t < sizeof names / sizeof names[0]) return names[t];
    return "an unknown type";
}

/* Bytes per element as ONNX stores the type in raw_data / external data; 0 for types we do not hold. */
static size_t onnx_elem_size(int32_t t) {
    switch (t) {
    case ONNX__TENSOR_PROTO__DATA_TYPE__BOOL:
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT8:
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT8: return 1;
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT16:
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT16:
    case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT16: return 2;
    case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT:
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT32: return 4;
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT64:
    case ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE: return 8;
    default: return 0;
    }
}

int oclnn_onnx_dtype_supported(int32_t t, oclnn_dtype *dtype) {
    switch (t) {
    case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT:
    case ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE: *dtype = OCLNN_DTYPE_F32; return 1;
    case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT16: *dtype = OCLNN_DTYPE_F16; return 1;
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT64: *dtype = OCLNN_DTYPE_I64; return 1;
    case ONNX__TENSOR_PROTO__DATA_TYPE__BOOL:
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT8:
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT8:
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT16:
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT16:
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT32: *dtype = OCLNN_DTYPE_I32; return 1;
    default: return 0;
    }
}

/* ---- external data ---- */

/* Strict decimal parse of a non-negative integer (the offset/length values). */
static int parse_u64(const char *s, uint64_t *v) {
    if (!s || !*s) return 0;
    uint64_t r = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return 0;
        if (__builtin_mul_overflow(r, 10u, &r) || __builtin_add_overflow(r, (uint64_t)(*s - '0'), &r)) return 0;
    }
    *v = r;
    return 1;
}

/* Rejects locations that could leave base_dir: absolute paths and any ".." component. */
static int path_is_confined(const char *loc) {
    if (!*loc || loc[0] == '/' || loc[0] == '\\') return 0;
    for (const char *p = loc; *p;) {
        const char *e = p;
        while (*e && *e != '/' && *e != '\\')
            e++;
        if (e - p == 2 && p[0] == '.' && p[1] == '.') return 0;
        p = *e ? e + 1 : e;
    }
    return 1;
}

/* Reads @p n bytes of external data described by t->external_data, relative to @p base_dir. */
static oclnn_status read_external(oclnn_context *ctx, const Onnx__TensorProto *t, const char *base_dir,
                                  const char *what, size_t n, void **out) {
    *out = NULL;
    oclnn_errbuf *eb = &ctx->err;
    const char *loc = NULL;
    uint64_t offset = 0, length = 0;
    int has_length = 0;
    for (size_t i = 0; i < t->n_external_data; i++) {
        const Onnx__StringStringEntryProto *e = t->external_data[i];
        const char *k = e->key ? e->key : "", *v = e->value ? e->value : "";
        if (!strcmp(k, "location"))
            loc = v;
        else if (!strcmp(k, "offset") && !parse_u64(v, &offset))
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_MODEL, "onnx: %s: external data offset '%s' is not a number",
                              what, v);
        else if (!strcmp(k, "length")) {
            if (!parse_u64(v, &length))
                return oclnn_fail(eb, OCLNN_STATUS_INVALID_MODEL, "onnx: %s: external data length '%s' is not a number",
                                  what, v);
            has_length = 1;
        }
    }
    if (!base_dir)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "onnx: %s uses external data, which a model loaded from memory without a base_dir cannot "
                          "read",
                          what);
    if (!loc || !*loc)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_MODEL, "onnx: %s: external data without a location", what);
    if (!path_is_confined(loc))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_MODEL,
                          "onnx: %s: external data location '%s' is absolute or has a '..' component (it must stay "
                          "inside the model's folder)",
                          what, loc);
    if (has_length && length != n)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_MODEL,
                          "onnx: %s: external data length %llu, its dims need %zu bytes", what,
                          (unsigned long long)length, n);
    size_t blen = strlen(base_dir), llen = strlen(loc), plen;
    if (!oclnn_add_size(blen, llen + 2, &plen) || plen > PATH_MAX)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_MODEL, "onnx: %s: external data path is too long", what);
    char path[PATH_MAX], real_base[PATH_MAX], real_path[PATH_MAX];
    memcpy(path, base_dir, blen); /* fits: plen <= PATH_MAX */
    path[blen] = '/';
    memcpy(path + blen + 1, loc, llen + 1);
    /* the component check cannot see symbolic links: compare the resolved paths as well */
    if (!realpath(base_dir, real_base) || !realpath(path, real_path))
        return oclnn_fail(eb, OCLNN_STATUS_IO_ERROR, "onnx: %s: cannot open external data file '%s': %s", what, path,
                          strerror(errno));
    size_t rb = strlen(real_base);
    if (strncmp(real_path, real_base, rb) != 0 || (real_path[rb] != '/' && strcmp(real_base, "/") != 0))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_MODEL,
                          "onnx: %s: external data file '%s' resolves outside the model's folder", what, path);
    FILE *f;
    uint64_t fsize;
    oclnn_status s = open_regular(ctx, real_path, what, &f, &fsize);
    if (s) return s;
    if (offset > fsize || (uint64_t)n > fsize - offset) {
        fclose(f);
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_MODEL,
                          "onnx: %s: external data [%llu, +%zu) ends past the end of '%s' (%llu bytes)", what,
                          (unsigned long long)offset, n, path, (unsigned long long)fsize);
    }
    s = read_range(ctx, f, path, what, offset, n, out);
    fclose(f);
    return s;
}

/* ---- decoding ---- */

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }

/* Converts @p n little-endian elements of ONNX type @p t at @p src into oclnn elements at @p dst. */
static void convert_raw(int32_t t, const uint8_t *src, size_t n, void *dst) {
    float *f = dst;
    int32_t *i32 = dst;
    int64_t *i64 = dst;
    uint16_t *h = dst;
    for (size_t k = 0; k < n; k++) {
        switch (t) {
        case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT: {
            uint32_t b = rd32(src + 4 * k);
            memcpy(&f[k], &b, 4);
            break;
        }
        case ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE: {
            uint64_t b = rd64(src + 8 * k);
            double d;
            memcpy(&d, &b, 8);
            f[k] = (float)d;
            break;
        }
        case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT16: h[k] = rd16(src + 2 * k); break;
        case ONNX__TENSOR_PROTO__DATA_TYPE__INT64: i64[k] = (int64_t)rd64(src + 8 * k); break;
        case ONNX__TENSOR_PROTO__DATA_TYPE__INT32: i32[k] = (int32_t)rd32(src + 4 * k); break;
        case ONNX__TENSOR_PROTO__DATA_TYPE__INT16: i32[k] = (int16_t)rd16(src + 2 * k); break;
        case ONNX__TENSOR_PROTO__DATA_TYPE__UINT16: i32[k] = rd16(src + 2 * k); break;
        case ONNX__TENSOR_PROTO__DATA_TYPE__INT8: i32[k] = (int8_t)src[k]; break;
        case ONNX__TENSOR_PROTO__DATA_TYPE__UINT8: i32[k] = src[k]; break;
        case ONNX__TENSOR_PROTO__DATA_TYPE__BOOL: i32[k] = src[k] != 0; break;
        default: break;
        }
    }
}

/* Converts the typed field of @p t (already checked to hold @p n values) into oclnn elements at @p dst. */
static void convert_typed(const Onnx__TensorProto *t, size_t n, void *dst) {
    float *f = dst;
    int32_t *i32 = dst;
    int64_t *i64 = dst;
    uint16_t *h = dst;
    for (size_t k = 0; k < n; k++) {
        switch (t->data_type) {
        case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT: f[k] = t->float_data[k]; break;
        case ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE: f[k] = (float)t->double_data[k]; break;
        case ONNX__TENSOR_PROTO__DATA_TYPE__INT64: i64[k] = t->int64_data[k]; break;
        /* FLOAT16 bits travel in int32_data, one per value */
        case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT16: h[k] = (uint16_t)t->int32_data[k]; break;
        case ONNX__TENSOR_PROTO__DATA_TYPE__BOOL: i32[k] = t->int32_data[k] != 0; break;
        default: i32[k] = t->int32_data[k]; break; /* INT32 and the narrower integers */
        }
    }
}

/* The typed field that holds values of type @p t, and its count. */
static const char *typed_field(const Onnx__TensorProto *t, size_t *count) {
    switch (t->data_type) {
    case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT: *count = t->n_float_data; return "float_data";
    case ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE: *count = t->n_double_data; return "double_data";
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT64: *count = t->n_int64_data; return "int64_data";
    default: *count = t->n_int32_data; return "int32_data";
    }
}

static int host_is_little_endian(void) {
    const uint16_t one = 1;
    return *(const uint8_t *)&one == 1;
}

/* The decoder; @p owner is @p t itself when its raw_data may be taken or freed (the importer), else NULL. */
static oclnn_status decode(oclnn_context *ctx, const Onnx__TensorProto *t, Onnx__TensorProto *owner,
                           const char *base_dir, const char *what, oclnn_onnx_tensor *out) {
    oclnn_errbuf *eb = &ctx->err;
    memset(out, 0, sizeof *out);
    if (!t->has_data_type || t->data_type == ONNX__TENSOR_PROTO__DATA_TYPE__UNDEFINED)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_MODEL, "onnx: %s has no data type", what);
    oclnn_dtype dtype;
    if (!oclnn_onnx_dtype_supported(t->data_type, &dtype))
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED,
                          "onnx: %s has data type %s (%d); supported: FLOAT, FLOAT16, DOUBLE, INT64, INT32, INT16, "
                          "UINT16, INT8, UINT8, BOOL",
                          what, oclnn_onnx_dtype_name(t->data_type), (int)t->data_type);
    if (t->segment) return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "onnx: %s is a segment of a tensor", what);
    if (t->n_dims > OCLNN_IR_MAX_DIMS)
        return oclnn_fail(eb, OCLNN_STATUS_LIMIT_EXCEEDED, "onnx: %s has rank %zu (at most %d)", what, t->n_dims,
                          OCLNN_IR_MAX_DIMS);
    size_t numel = 1;
    for (size_t d = 0; d < t->n_dims; d++) {
        if (t->dims[d] < 0)
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_MODEL, "onnx: %s has a negative dim (%lld at %zu)", what,
                              (long long)t->dims[d], d);
        if ((uint64_t)t->dims[d] > SIZE_MAX || !oclnn_mul_size(numel, (size_t)t->dims[d], &numel))
            return oclnn_fail(eb, OCLNN_STATUS_LIMIT_EXCEEDED, "onnx: %s: the product of its dims overflows", what);
    }
    size_t src_bytes, dst_bytes;
    if (!oclnn_mul_size(numel, onnx_elem_size(t->data_type), &src_bytes) ||
        !oclnn_mul_size(numel, oclnn_dtype_size(dtype), &dst_bytes))
        return oclnn_fail(eb, OCLNN_STATUS_LIMIT_EXCEEDED, "onnx: %s is too large (%zu elements)", what, numel);

    void *external = NULL;
    const uint8_t *raw = NULL;
    if (t->has_data_location && t->data_location == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL) {
        oclnn_status s = read_external(ctx, t, base_dir, what, src_bytes, &external);
        if (s) return s;
        raw = external;
    } else if (t->has_raw_data) {
        if (t->raw_data.len != src_bytes)
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_MODEL,
                              "onnx: %s holds %zu bytes of raw data; its dims and type need %zu", what, t->raw_data.len,
                              src_bytes);
        raw = t->raw_data.data;
        /* the same bytes in the same layout: the buffer protobuf-c made (from the same allocator) moves over */
        if (owner && src_bytes && src_bytes == dst_bytes && host_is_little_endian()) {
            out->name = oclnn_strdup(ctx->alloc, t->name ? t->name : "");
            if (!out->name) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "onnx: %s: out of host memory", what);
            out->data = owner->raw_data.data;
            owner->raw_data.data = NULL;
            owner->raw_data.len = 0;
            owner->has_raw_data = 0;
            goto done;
        }
    } else {
        size_t count;
        const char *field = typed_field(t, &count);
        if (count != numel)
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_MODEL, "onnx: %s holds %zu values in %s; its dims need %zu",
                              what, count, field, numel);
    }
    out->data = oclnn_malloc(ctx->alloc, dst_bytes ? dst_bytes : 1);
    out->name = oclnn_strdup(ctx->alloc, t->name ? t->name : "");
    if (!out->data || !out->name) {
        oclnn_free(ctx->alloc, external);
        oclnn_onnx_tensor_free(ctx, out);
        return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "onnx: %s: out of host memory", what);
    }
    if (raw)
        convert_raw(t->data_type, raw, numel, out->data);
    else
        convert_typed(t, numel, out->data);
    if (owner && raw && !external) { /* converted: the parsed copy is not needed any more */
        oclnn_free(ctx->alloc, owner->raw_data.data);
        owner->raw_data.data = NULL;
        owner->raw_data.len = 0;
        owner->has_raw_data = 0;
    }
    oclnn_free(ctx->alloc, external);
done:
    out->dtype = dtype;
    out->ndim = t->n_dims;
    for (size_t d = 0; d < t->n_dims; d++)
        out->dims[d] = t->dims[d];
    out->nbytes = dst_bytes;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_onnx_decode_tensor(oclnn_context *ctx, const Onnx__TensorProto *t, const char *base_dir,
                                      const char *what, oclnn_onnx_tensor *out) {
    return decode(ctx, t, NULL, base_dir, what, out);
}

oclnn_status oclnn_onnx_decode_tensor_consume(oclnn_context *ctx, Onnx__TensorProto *t, const char *base_dir,
                                              const char *what, oclnn_onnx_tensor *out) {
    return decode(ctx, t, t, base_dir, what, out);
}

void oclnn_onnx_tensor_free(oclnn_context *ctx, oclnn_onnx_tensor *t) {
    if (!t) return;
    const oclnn_allocator *a = ctx ? ctx->alloc : NULL;
    oclnn_free(a, t->name);
    oclnn_free(a, t->data);
    memset(t, 0, sizeof *t);
}

/* ---- tensor files ---- */

oclnn_status oclnn_onnx_read_tensor_pb(oclnn_context *ctx, const void *data, size_t size, const char *base_dir,
                                       oclnn_onnx_tensor *out) {
    if (!out) return oclnn_fail(ctx ? &ctx->err : NULL, OCLNN_STATUS_INVALID_ARGUMENT, "onnx_read_tensor: out is NULL");
    memset(out, 0, sizeof *out);
    if (!ctx || (!data && size))
        return oclnn_fail(ctx ? &ctx->err : NULL, OCLNN_STATUS_INVALID_ARGUMENT,
                          "onnx_read_tensor: ctx and data must be set");
    oclnn_onnx_pballoc pa;
    oclnn_onnx_pballoc_init(&pa, ctx);
    Onnx__TensorProto *t = onnx__tensor_proto__unpack(&pa.pb, size, data);
    if (!t) {
        if (pa.failed)
            return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "onnx_read_tensor: out of host memory");
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_MODEL, "not an ONNX tensor: protobuf parse failed");
    }
    char what[160];
    snprintf(what, sizeof what, "tensor '%.120s'", t->name ? t->name : "");
    oclnn_status s = oclnn_onnx_decode_tensor(ctx, t, base_dir, what, out);
    onnx__tensor_proto__free_unpacked(t, &pa.pb);
    return s;
}

/* The folder part of @p path ("." when it has none), into @p dir. */
static void dir_of(const char *path, char *dir, size_t size) {
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, size, ".");
    else if (slash == path)
        snprintf(dir, size, "/");
    else {
        size_t n = (size_t)(slash - path) < size - 1 ? (size_t)(slash - path) : size - 1;
        memcpy(dir, path, n);
        dir[n] = 0;
    }
}

oclnn_status oclnn_onnx_read_tensor_file(oclnn_context *ctx, const char *path, oclnn_onnx_tensor *out) {
    if (!out) return oclnn_fail(ctx ? &ctx->err : NULL, OCLNN_STATUS_INVALID_ARGUMENT, "onnx_read_tensor: out is NULL");
    memset(out, 0, sizeof *out);
    if (!ctx || !path)
        return oclnn_fail(ctx ? &ctx->err : NULL, OCLNN_STATUS_INVALID_ARGUMENT,
                          "onnx_read_tensor: ctx and path must be set");
    if (strlen(path) >= PATH_MAX)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "onnx_read_tensor: path is too long");
    void *buf;
    size_t size;
    oclnn_status s = oclnn_onnx_read_file(ctx, path, OCLNN_ONNX_MAX_FILE, &buf, &size);
    if (s) return s;
    char dir[PATH_MAX];
    dir_of(path, dir, sizeof dir);
    s = oclnn_onnx_read_tensor_pb(ctx, buf, size, dir, out);
    oclnn_free(ctx->alloc, buf);
    return s;
}
