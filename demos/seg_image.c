/* seg_image.c - see seg_image.h. Decoding is in seg_decode.c (libpng, libjpeg-turbo); PNG writing uses
 * stb_image_write from Debian's libstb (compiled there; we only include its declarations). Every error becomes one
 * line naming the file and the rule that failed.
 */
#include "seg_image.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stb_image_write.h>

#include "seg_decode.h"

static int fail(char *err, size_t errlen, const char *fmt, ...) {
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int seg_image_alloc(int w, int h, seg_image *out, char *err, size_t errlen) {
    out->w = out->h = 0;
    out->rgb = NULL;
    if (w < 1 || h < 1 || w > SEG_IMAGE_MAX_SIDE * 4 || h > SEG_IMAGE_MAX_SIDE * 4)
        return fail(err, errlen, "image size %dx%d out of range", w, h);
    out->rgb = malloc((size_t)w * (size_t)h * 3);
    if (!out->rgb) return fail(err, errlen, "out of host memory for a %dx%d image", w, h);
    out->w = w;
    out->h = h;
    return 0;
}

void seg_image_free(seg_image *img) {
    if (!img) return;
    free(img->rgb); /* malloc'd by the decoders or seg_image_alloc */
    img->rgb = NULL;
    img->w = img->h = 0;
}

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

int seg_image_load_memory(const void *data, size_t size, const char *name, seg_image *out, char *err,
                          size_t errlen) {
    out->w = out->h = 0;
    out->rgb = NULL;
    const uint8_t *b = data;
    if (size == 0) return fail(err, errlen, "%s: empty file, not an image", name);
    if (size > SEG_IMAGE_MAX_FILE)
        return fail(err, errlen, "%s: file of %zu bytes exceeds the %zu-byte cap", name, size, SEG_IMAGE_MAX_FILE);
    /* PNG and JPEG only, told apart by their signatures: the demo needs no other format, and every other decoder is
     * more code facing untrusted bytes. */
    static const uint8_t png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    int is_png = size >= 8 && memcmp(b, png_sig, 8) == 0;
    int is_jpeg = size >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF;
    if (!is_png && !is_jpeg) return fail(err, errlen, "%s: not a readable PNG/JPEG image (unknown signature)", name);
    /* A PNG's IHDR gives the size even where the decoder refuses the header, so the message can say what is wrong */
    if (is_png && size >= 24 && memcmp(b + 12, "IHDR", 4) == 0) {
        uint32_t w = be32(b + 16), h = be32(b + 20);
        if (w == 0 || h == 0) return fail(err, errlen, "%s: image is empty (%ux%u pixels)", name, w, h);
        if (w > SEG_IMAGE_MAX_SIDE || h > SEG_IMAGE_MAX_SIDE)
            return fail(err, errlen, "%s: image of %ux%u pixels exceeds the %dx%d cap", name, w, h, SEG_IMAGE_MAX_SIDE,
                        SEG_IMAGE_MAX_SIDE);
    }
    int w = 0, h = 0;
    uint8_t *px = NULL;
    char why[256] = "";
    int r = is_png ? seg_png_decode(b, size, SEG_IMAGE_MAX_SIDE, &w, &h, &px, why, sizeof why)
                   : seg_jpeg_decode(b, size, SEG_IMAGE_MAX_SIDE, &w, &h, &px, why, sizeof why);
    switch (r) {
    case SEG_DECODE_OK:
        out->w = w;
        out->h = h;
        out->rgb = px;
        return 0;
    case SEG_DECODE_SIZE:
        if (w < 1 || h < 1) return fail(err, errlen, "%s: image is empty (%dx%d pixels)", name, w, h);
        return fail(err, errlen, "%s: image of %dx%d pixels exceeds the %dx%d cap", name, w, h, SEG_IMAGE_MAX_SIDE,
                    SEG_IMAGE_MAX_SIDE);
    case SEG_DECODE_NOMEM:
        return fail(err, errlen, "%s: out of host memory decoding the image", name);
    default:
        return fail(err, errlen, "%s: corrupt or truncated image (%s)", name, why);
    }
}

int seg_image_load(const char *path, seg_image *out, char *err, size_t errlen) {
    out->w = out->h = 0;
    out->rgb = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return fail(err, errlen, "%s: cannot open (%s)", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return fail(err, errlen, "%s: not a regular file", path);
    }
    size_t size = (size_t)st.st_size;
    if (size > SEG_IMAGE_MAX_FILE) {
        fclose(f);
        return fail(err, errlen, "%s: file of %zu bytes exceeds the %zu-byte cap", path, size, SEG_IMAGE_MAX_FILE);
    }
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf) {
        fclose(f);
        return fail(err, errlen, "%s: out of host memory reading %zu bytes", path, size);
    }
    size_t got = fread(buf, 1, size, f);
    int rd_err = ferror(f);
    fclose(f);
    if (rd_err || got != size) {
        free(buf);
        return fail(err, errlen, "%s: read error", path);
    }
    int r = seg_image_load_memory(buf, size, path, out, err, errlen);
    free(buf);
    return r;
}

void seg_bilinear_coord(int i, int dst_n, int src_n, int *i0, int *i1, float *frac) {
    double s = ((double)i + 0.5) * (double)src_n / (double)dst_n - 0.5;
    if (s < 0) s = 0;
    int a = (int)s;
    if (a >= src_n - 1) {
        *i0 = *i1 = src_n - 1;
        *frac = 0.0f;
        return;
    }
    *i0 = a;
    *i1 = a + 1;
    *frac = (float)(s - a);
}

int seg_image_resize(const seg_image *src, int w, int h, seg_image *out, char *err, size_t errlen) {
    if (seg_image_alloc(w, h, out, err, errlen)) return -1;
    int *x0 = malloc(sizeof(int) * (size_t)w * 2);
    float *fx = malloc(sizeof(float) * (size_t)w);
    if (!x0 || !fx) {
        free(x0);
        free(fx);
        seg_image_free(out);
        return fail(err, errlen, "out of host memory resizing to %dx%d", w, h);
    }
    for (int x = 0; x < w; x++)
        seg_bilinear_coord(x, w, src->w, &x0[2 * x], &x0[2 * x + 1], &fx[x]);
    for (int y = 0; y < h; y++) {
        int y0, y1;
        float fy;
        seg_bilinear_coord(y, h, src->h, &y0, &y1, &fy);
        const uint8_t *r0 = src->rgb + (size_t)y0 * src->w * 3, *r1 = src->rgb + (size_t)y1 * src->w * 3;
        uint8_t *d = out->rgb + (size_t)y * w * 3;
        for (int x = 0; x < w; x++) {
            int a = x0[2 * x] * 3, b = x0[2 * x + 1] * 3;
            for (int c = 0; c < 3; c++) {
                float top = r0[a + c] + (r0[b + c] - r0[a + c]) * fx[x];
                float bot = r1[a + c] + (r1[b + c] - r1[a + c]) * fx[x];
                float v = top + (bot - top) * fy;
                d[x * 3 + c] = (uint8_t)lrintf(v < 0 ? 0 : v > 255 ? 255 : v);
            }
        }
    }
    free(x0);
    free(fx);
    return 0;
}

typedef struct membuf {
    uint8_t *data;
    size_t size, cap;
    int failed;
} membuf;

static void membuf_write(void *context, void *data, int size) {
    membuf *m = context;
    if (m->failed || size <= 0) return;
    if (m->size + (size_t)size > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 65536;
        while (cap < m->size + (size_t)size)
            cap *= 2;
        uint8_t *p = realloc(m->data, cap);
        if (!p) {
            m->failed = 1;
            return;
        }
        m->data = p;
        m->cap = cap;
    }
    memcpy(m->data + m->size, data, (size_t)size);
    m->size += (size_t)size;
}

int seg_png_encode(int w, int h, int channels, const uint8_t *pixels, uint8_t **png, size_t *size, char *err,
                   size_t errlen) {
    *png = NULL;
    *size = 0;
    if (w < 1 || h < 1 || channels < 1 || channels > 4 || (size_t)w * (size_t)channels > INT_MAX)
        return fail(err, errlen, "PNG encoder: bad image %dx%dx%d", w, h, channels);
    membuf m = {0};
    if (!stbi_write_png_to_func(membuf_write, &m, w, h, channels, pixels, w * channels) || m.failed) {
        free(m.data);
        return fail(err, errlen, "PNG encoder failed for a %dx%d image (out of host memory?)", w, h);
    }
    *png = m.data;
    *size = m.size;
    return 0;
}

void seg_stage_init(seg_stage *s) { memset(s, 0, sizeof *s); }

int seg_stage_bytes(seg_stage *s, const char *path, const void *data, size_t size, char *err, size_t errlen) {
    if (s->n >= SEG_STAGE_MAX) return fail(err, errlen, "%s: too many staged outputs", path);
    char *tmp = s->tmp[s->n];
    if (snprintf(tmp, SEG_PATH_LEN, "%s.tmp-XXXXXX", path) >= SEG_PATH_LEN)
        return fail(err, errlen, "%s: path too long", path);
    int fd = mkstemp(tmp);
    if (fd < 0) return fail(err, errlen, "%s: cannot create the output file (%s)", path, strerror(errno));
    const uint8_t *p = data;
    size_t left = size;
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int e = n < 0 ? errno : EIO;
            close(fd);
            unlink(tmp);
            return fail(err, errlen, "%s: write failed (%s)", path, strerror(e));
        }
        p += n;
        left -= (size_t)n;
    }
    /* mkstemp makes 0600; outputs are ordinary files */
    if (fchmod(fd, 0644) != 0 || close(fd) != 0) {
        int e = errno;
        unlink(tmp);
        return fail(err, errlen, "%s: cannot finish the output file (%s)", path, strerror(e));
    }
    snprintf(s->dst[s->n], SEG_PATH_LEN, "%s", path);
    s->n++;
    return 0;
}

int seg_stage_png(seg_stage *s, const char *path, int w, int h, int channels, const uint8_t *pixels, char *err,
                  size_t errlen) {
    uint8_t *png;
    size_t size;
    if (seg_png_encode(w, h, channels, pixels, &png, &size, err, errlen)) return -1;
    int r = seg_stage_bytes(s, path, png, size, err, errlen);
    free(png);
    return r;
}

int seg_stage_commit(seg_stage *s, char *err, size_t errlen) {
    for (int i = 0; i < s->n; i++) {
        if (rename(s->tmp[i], s->dst[i]) != 0) {
            int e = errno;
            fail(err, errlen, "%s: cannot rename the output into place (%s)", s->dst[i], strerror(e));
            for (int j = 0; j < i; j++)
                unlink(s->dst[j]);
            for (int j = i; j < s->n; j++)
                unlink(s->tmp[j]);
            s->n = 0;
            return -1;
        }
    }
    s->n = 0;
    return 0;
}

void seg_stage_abort(seg_stage *s) {
    for (int i = 0; i < s->n; i++)
        unlink(s->tmp[i]);
    s->n = 0;
}

int seg_write_png(const char *path, int w, int h, int channels, const uint8_t *pixels, char *err, size_t errlen) {
    seg_stage s;
    seg_stage_init(&s);
    if (seg_stage_png(&s, path, w, h, channels, pixels, err, errlen)) return -1;
    return seg_stage_commit(&s, err, errlen);
}

int seg_check_writable(const char *path_prefix, char *err, size_t errlen) {
    char tmp[SEG_PATH_LEN];
    if (!path_prefix || !*path_prefix) return fail(err, errlen, "empty output prefix");
    if (snprintf(tmp, sizeof tmp, "%s.probe-XXXXXX", path_prefix) >= (int)sizeof tmp)
        return fail(err, errlen, "%s: path too long", path_prefix);
    int fd = mkstemp(tmp);
    if (fd < 0) return fail(err, errlen, "%s: cannot write output files there (%s)", path_prefix, strerror(errno));
    close(fd);
    unlink(tmp);
    return 0;
}
