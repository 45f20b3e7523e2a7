/* npy.c - NumPy .npy reading and writing for the tools and tests: the magic and version, the header dict parsed as
 * the small grammar NumPy writes (never evaluated), the shape checked against the data actually present.
 */
#include "npy.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char magic[6] = {'\x93', 'N', 'U', 'M', 'P', 'Y'};

static oclnn_status fail(char *msg, size_t msg_size, oclnn_status s, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static oclnn_status fail(char *msg, size_t msg_size, oclnn_status s, const char *fmt, ...) {
    if (msg && msg_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, msg_size, fmt, ap);
        va_end(ap);
    }
    return s;
}

size_t npy_dtype_size(npy_dtype d) {
    switch (d) {
    case NPY_F32: return 4;
    case NPY_I64: return 8;
    case NPY_I32: return 4;
    case NPY_U8: return 1;
    }
    return 0;
}

void npy_free(npy_array *a) {
    if (!a) return;
    free(a->data);
    memset(a, 0, sizeof *a);
}

/* ---- header dict ---- */

typedef struct cursor {
    const char *p, *end;
} cursor;

static void skip_ws(cursor *c) {
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

static int eat(cursor *c, char ch) {
    skip_ws(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return 1;
    }
    return 0;
}

/* A quoted Python string without escapes (NumPy's keys and dtype strings have none). */
static int parse_str(cursor *c, char *out, size_t size) {
    skip_ws(c);
    if (c->p >= c->end || (*c->p != '\'' && *c->p != '"')) return 0;
    char q = *c->p++;
    size_t n = 0;
    while (c->p < c->end && *c->p != q) {
        if (*c->p == '\\' || n + 1 >= size) return 0;
        out[n++] = *c->p++;
    }
    if (c->p >= c->end) return 0;
    c->p++;
    out[n] = 0;
    return 1;
}

static int parse_word(cursor *c, const char *w) {
    skip_ws(c);
    size_t n = strlen(w);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) != 0) return 0;
    c->p += n;
    return 1;
}

/* A non-negative integer (Python 2 wrote a trailing L). 0: not a number; -1: too large. */
static int parse_int(cursor *c, int64_t *v) {
    skip_ws(c);
    if (c->p >= c->end || *c->p < '0' || *c->p > '9') return 0;
    int64_t r = 0;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
        if (__builtin_mul_overflow(r, 10, &r) || __builtin_add_overflow(r, *c->p - '0', &r)) return -1;
        c->p++;
    }
    if (c->p < c->end && *c->p == 'L') c->p++;
    *v = r;
    return 1;
}

static oclnn_status parse_header(const char *h, size_t len, npy_array *a, char *msg, size_t ms) {
    cursor c = {h, h + len};
    int have_descr = 0, have_order = 0, have_shape = 0;
    if (!eat(&c, '{')) return fail(msg, ms, OCLNN_STATUS_INVALID_MODEL, "npy: header is not a dict");
    while (!eat(&c, '}')) {
        char key[32], descr[32];
        if (!parse_str(&c, key, sizeof key) || !eat(&c, ':'))
            return fail(msg, ms, OCLNN_STATUS_INVALID_MODEL, "npy: malformed header dict");
        if (!strcmp(key, "descr")) {
            if (have_descr++ || !parse_str(&c, descr, sizeof descr))
                return fail(msg, ms, OCLNN_STATUS_INVALID_MODEL, "npy: bad or repeated 'descr'");
            if (!strcmp(descr, "<f4"))
                a->dtype = NPY_F32;
            else if (!strcmp(descr, "<i8"))
                a->dtype = NPY_I64;
            else if (!strcmp(descr, "<i4"))
                a->dtype = NPY_I32;
            else if (!strcmp(descr, "|u1") || !strcmp(descr, "<u1"))
                a->dtype = NPY_U8;
            else if (descr[0] == '>')
                return fail(msg, ms, OCLNN_STATUS_UNSUPPORTED, "npy: big-endian dtype '%s' (only little-endian)",
                            descr);
            else
                return fail(msg, ms, OCLNN_STATUS_UNSUPPORTED, "npy: dtype '%s' (supported: <f4, <i8, <i4, |u1)",
                            descr);
        } else if (!strcmp(key, "fortran_order")) {
            if (have_order++) return fail(msg, ms, OCLNN_STATUS_INVALID_MODEL, "npy: repeated 'fortran_order'");
            if (parse_word(&c, "True"))
                return fail(msg, ms, OCLNN_STATUS_UNSUPPORTED, "npy: Fortran-order arrays are not supported");
            if (!parse_word(&c, "False"))
                return fail(msg, ms, OCLNN_STATUS_INVALID_MODEL, "npy: 'fortran_order' is not True or False");
        } else if (!strcmp(key, "shape")) {
            if (have_shape++ || !eat(&c, '('))
                return fail(msg, ms, OCLNN_STATUS_INVALID_MODEL, "npy: bad or repeated 'shape'");
            size_t n = 0;
            int comma = 1;
            while (!eat(&c, ')')) {
                int64_t v;
                int r = comma ? parse_int(&c, &v) : 0;
                if (r < 0) return fail(msg, ms, OCLNN_STATUS_LIMIT_EXCEEDED, "npy: a shape dim overflows");
                if (!r) return fail(msg, ms, OCLNN_STATUS_INVALID_MODEL, "npy: malformed 'shape'");
                if (n >= NPY_MAX_DIMS)
                    return fail(msg, ms, OCLNN_STATUS_LIMIT_EXCEEDED, "npy: more than %d dims", NPY_MAX_DIMS);
                a->dims[n++] = v;
                comma = eat(&c, ',');
            }
            /* Python's "(5)" is the int 5, not a tuple: a single dim needs its comma */
            if (n == 1 && !comma) return fail(msg, ms, OCLNN_STATUS_INVALID_MODEL, "npy: 'shape' is not a tuple");
            a->ndim = n;
        } else {
            return fail(msg, ms, OCLNN_STATUS_INVALID_MODEL, "npy: unknown header key '%s'", key);
        }
        if (!eat(&c, ',')) {
            if (!eat(&c, '}')) return fail(msg, ms, OCLNN_STATUS_INVALID_MODEL, "npy: malformed header dict");
            break;
        }
    }
    skip_ws(&c);
    if (c.p != c.end) return fail(msg, ms, OCLNN_STATUS_INVALID_MODEL, "npy: bytes after the header dict");
    if (!have_descr || !have_order || !have_shape)
        return fail(msg, ms, OCLNN_STATUS_INVALID_MODEL, "npy: header lacks descr, fortran_order or shape");
    return OCLNN_STATUS_OK;
}

oclnn_status npy_read_buffer(const void *buf, size_t size, npy_array *out, char *msg, size_t ms) {
    if (!out) return fail(msg, ms, OCLNN_STATUS_INVALID_ARGUMENT, "npy: out is NULL");
    memset(out, 0, sizeof *out);
    if (!buf && size) return fail(msg, ms, OCLNN_STATUS_INVALID_ARGUMENT, "npy: buffer is NULL");
    const uint8_t *b = buf;
    if (size < 10 || memcmp(b, magic, 6) != 0)
        return fail(msg, ms, OCLNN_STATUS_INVALID_MODEL, "npy: not a .npy file (bad magic or truncated)");
    int major = b[6], minor = b[7];
    size_t hlen, prefix;
    if (major == 1 && minor == 0) {
        hlen = (size_t)b[8] | (size_t)b[9] << 8;
        prefix = 10;
    } else if ((major == 2 || major == 3) && minor == 0) {
        if (size < 12) return fail(msg, ms, OCLNN_STATUS_INVALID_MODEL, "npy: truncated header");
        hlen = (size_t)b[8] | (size_t)b[9] << 8 | (size_t)b[10] << 16 | (size_t)b[11] << 24;
        prefix = 12;
    } else {
        return fail(msg, ms, OCLNN_STATUS_UNSUPPORTED, "npy: format version %d.%d (supported: 1.0, 2.0, 3.0)", major,
                    minor);
    }
    if (hlen > NPY_MAX_HEADER)
        return fail(msg, ms, OCLNN_STATUS_LIMIT_EXCEEDED, "npy: header of %zu bytes (at most %u)", hlen,
                    NPY_MAX_HEADER);
    if (hlen > size - prefix)
        return fail(msg, ms, OCLNN_STATUS_INVALID_MODEL, "npy: header of %zu bytes, the file has %zu after the prefix",
                    hlen, size - prefix);
    npy_array a;
    memset(&a, 0, sizeof a);
    oclnn_status s = parse_header((const char *)b + prefix, hlen, &a, msg, ms);
    if (s) return s;
    size_t numel = 1, nbytes;
    for (size_t d = 0; d < a.ndim; d++)
        if ((uint64_t)a.dims[d] > SIZE_MAX || __builtin_mul_overflow(numel, (size_t)a.dims[d], &numel))
            return fail(msg, ms, OCLNN_STATUS_LIMIT_EXCEEDED, "npy: the product of the shape overflows");
    if (__builtin_mul_overflow(numel, npy_dtype_size(a.dtype), &nbytes))
        return fail(msg, ms, OCLNN_STATUS_LIMIT_EXCEEDED, "npy: the data size overflows");
    size_t have = size - prefix - hlen;
    if (have < nbytes)
        return fail(msg, ms, OCLNN_STATUS_INVALID_MODEL, "npy: data too short: %zu bytes, the shape needs %zu", have,
                    nbytes);
    if (have > nbytes)
        return fail(msg, ms, OCLNN_STATUS_INVALID_MODEL, "npy: %zu bytes after the data the shape needs (%zu)",
                    have - nbytes, nbytes);
    a.data = malloc(nbytes ? nbytes : 1);
    if (!a.data) return fail(msg, ms, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "npy: out of host memory (%zu bytes)", nbytes);
    if (nbytes) memcpy(a.data, b + prefix + hlen, nbytes);
    a.nbytes = nbytes;
    *out = a;
    return OCLNN_STATUS_OK;
}

oclnn_status npy_read_file(const char *path, size_t max_bytes, npy_array *out, char *msg, size_t ms) {
    if (!out) return fail(msg, ms, OCLNN_STATUS_INVALID_ARGUMENT, "npy: out is NULL");
    memset(out, 0, sizeof *out);
    if (!path) return fail(msg, ms, OCLNN_STATUS_INVALID_ARGUMENT, "npy: path is NULL");
    FILE *f = fopen(path, "rb");
    if (!f) return fail(msg, ms, OCLNN_STATUS_IO_ERROR, "npy: cannot open '%s': %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return fail(msg, ms, OCLNN_STATUS_IO_ERROR, "npy: '%s' is not a regular file", path);
    }
    uint64_t len = (uint64_t)st.st_size;
    if ((max_bytes && len > max_bytes) || len > SIZE_MAX) {
        fclose(f);
        return fail(msg, ms, OCLNN_STATUS_LIMIT_EXCEEDED, "npy: '%s' has %llu bytes (cap %zu)", path,
                    (unsigned long long)len, max_bytes);
    }
    void *buf = malloc(len ? (size_t)len : 1);
    if (!buf) {
        fclose(f);
        return fail(msg, ms, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "npy: out of host memory reading '%s'", path);
    }
    size_t got = fread(buf, 1, (size_t)len, f);
    fclose(f);
    oclnn_status s = got == (size_t)len ? npy_read_buffer(buf, (size_t)len, out, msg, ms)
                                        : fail(msg, ms, OCLNN_STATUS_IO_ERROR, "npy: cannot read '%s'", path);
    free(buf);
    return s;
}

/* ---- writing ---- */

oclnn_status npy_write_buffer(const npy_array *a, void **buf, size_t *size, char *msg, size_t ms) {
    if (!buf || !size) return fail(msg, ms, OCLNN_STATUS_INVALID_ARGUMENT, "npy: buf and size must be set");
    *buf = NULL;
    *size = 0;
    if (!a || a->ndim > NPY_MAX_DIMS || !npy_dtype_size(a->dtype))
        return fail(msg, ms, OCLNN_STATUS_INVALID_ARGUMENT, "npy: needs an array of a known dtype and <= %d dims",
                    NPY_MAX_DIMS);
    static const char *const descr[] = {"<f4", "<i8", "<i4", "|u1"};
    char dict[64 + NPY_MAX_DIMS * 22];
    int n = snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': (", descr[a->dtype]);
    size_t numel = 1;
    for (size_t d = 0; d < a->ndim; d++) {
        if (a->dims[d] < 0 || __builtin_mul_overflow(numel, (size_t)a->dims[d], &numel))
            return fail(msg, ms, OCLNN_STATUS_INVALID_ARGUMENT, "npy: dim %zu is negative or overflows", d);
        n += snprintf(dict + n, sizeof dict - (size_t)n, "%lld%s", (long long)a->dims[d],
                      a->ndim == 1      ? ","
                      : d + 1 < a->ndim ? ", "
                                        : "");
    }
    n += snprintf(dict + n, sizeof dict - (size_t)n, "), }");
    size_t nbytes;
    if (__builtin_mul_overflow(numel, npy_dtype_size(a->dtype), &nbytes) || nbytes != a->nbytes || (nbytes && !a->data))
        return fail(msg, ms, OCLNN_STATUS_INVALID_ARGUMENT, "npy: nbytes %zu does not match the shape", a->nbytes);
    /* NumPy pads the header with spaces and a newline so that the data starts 64-byte aligned */
    size_t prefix = 10, hlen = ((prefix + (size_t)n + 1 + 63) / 64) * 64 - prefix;
    int v2 = hlen > 65535;
    if (v2) prefix = 12, hlen = ((prefix + (size_t)n + 1 + 63) / 64) * 64 - prefix;
    size_t total = prefix + hlen + nbytes;
    uint8_t *out = malloc(total);
    if (!out) return fail(msg, ms, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "npy: out of host memory");
    memcpy(out, magic, 6);
    out[6] = v2 ? 2 : 1;
    out[7] = 0;
    for (size_t i = 0; i < (v2 ? 4u : 2u); i++)
        out[8 + i] = (uint8_t)(hlen >> (8 * i));
    memcpy(out + prefix, dict, (size_t)n);
    memset(out + prefix + n, ' ', hlen - (size_t)n - 1);
    out[prefix + hlen - 1] = '\n';
    if (nbytes) memcpy(out + prefix + hlen, a->data, nbytes);
    *buf = out;
    *size = total;
    return OCLNN_STATUS_OK;
}

oclnn_status npy_write_file(const char *path, const npy_array *a, char *msg, size_t ms) {
    void *buf;
    size_t size;
    oclnn_status s = npy_write_buffer(a, &buf, &size, msg, ms);
    if (s) return s;
    FILE *f = path ? fopen(path, "wb") : NULL;
    if (!f) {
        free(buf);
        return fail(msg, ms, OCLNN_STATUS_IO_ERROR, "npy: cannot create '%s': %s", path ? path : "(null)",
                    strerror(errno));
    }
    size_t put = fwrite(buf, 1, size, f);
    int closed = fclose(f);
    free(buf);
    if (put != size || closed != 0)
        return fail(msg, ms, OCLNN_STATUS_IO_ERROR, "npy: cannot write '%s': %s", path, strerror(errno));
    return OCLNN_STATUS_OK;
}
