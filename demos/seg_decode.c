/* seg_decode.c - the demo's PNG and JPEG decoding: libpng's simplified API and libjpeg-turbo, both fuzzed for
 * years by OSS-Fuzz. The demo decoded with stb_image 2.27 before; fuzz/fuzz_image kept finding out-of-bounds reads
 * in its JPEG decoder (fuzz/regressions/image/ keeps the inputs), so the untrusted path now goes through these two.
 * Neither library may end the process: libjpeg's fatal errors jump back here, libpng's simplified API does the same.
 */
#include "seg_decode.h"

#include <setjmp.h>
#include <stdio.h> /* jpeglib.h needs FILE */
#include <stdlib.h>
#include <string.h>

#include <jerror.h>
#include <jpeglib.h>
#include <png.h>

static void set_why(char *why, size_t whylen, const char *msg) {
    if (why && whylen) snprintf(why, whylen, "%s", msg && *msg ? msg : "unknown decoder error");
}

int seg_png_decode(const uint8_t *data, size_t size, int max_side, int *w, int *h, uint8_t **rgb, char *why,
                   size_t whylen) {
    *w = *h = 0;
    *rgb = NULL;
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&img, data, size)) {
        set_why(why, whylen, img.message);
        png_image_free(&img);
        return SEG_DECODE_CORRUPT;
    }
    if (img.width == 0 || img.height == 0 || img.width > (png_uint_32)max_side || img.height > (png_uint_32)max_side) {
        *w = (int)img.width; /* libpng refuses sizes over 2^31 - 1 */
        *h = (int)img.height;
        png_image_free(&img);
        return SEG_DECODE_SIZE;
    }
    /* RGBA, then the alpha is dropped: a transparent pixel keeps its colour, as every decoder the demo had did */
    img.format = PNG_FORMAT_RGBA;
    size_t n = (size_t)img.width * img.height;
    uint8_t *rgba = malloc(n * 4), *out = malloc(n * 3);
    if (!rgba || !out) {
        free(rgba);
        free(out);
        png_image_free(&img);
        set_why(why, whylen, "out of host memory");
        return SEG_DECODE_NOMEM;
    }
    if (!png_image_finish_read(&img, NULL, rgba, 0, NULL)) {
        set_why(why, whylen, img.message);
        png_image_free(&img);
        free(rgba);
        free(out);
        return SEG_DECODE_CORRUPT;
    }
    for (size_t i = 0; i < n; i++)
        memcpy(out + i * 3, rgba + i * 4, 3);
    free(rgba);
    *w = (int)img.width;
    *h = (int)img.height;
    *rgb = out;
    png_image_free(&img); /* finish_read already released it; a second free is a documented no-op */
    return SEG_DECODE_OK;
}

/* libjpeg reports errors through callbacks: a fatal one (error_exit) must not return, so it jumps back to the
 * decode; a warning is kept when it says the data ended early, because a truncated file decodes to grey rows. */
typedef struct jerr {
    struct jpeg_error_mgr pub;
    jmp_buf jb;
    int truncated;
    char msg[JMSG_LENGTH_MAX];
} jerr;

static void jerr_exit(j_common_ptr c) {
    jerr *e = (jerr *)c->err;
    (*c->err->format_message)(c, e->msg);
    longjmp(e->jb, 1);
}

static void jerr_emit(j_common_ptr c, int level) {
    jerr *e = (jerr *)c->err;
    if (level >= 0) return; /* trace messages */
    int code = c->err->msg_code;
    if (code == JWRN_JPEG_EOF || code == JWRN_HIT_MARKER) {
        if (!e->truncated) (*c->err->format_message)(c, e->msg);
        e->truncated = 1;
    }
    c->err->num_warnings++;
}

/* A progressive JPEG may hold any number of scans, each a pass over the whole image: a few kilobytes of scan headers
 * could keep the decoder busy for minutes. Real encoders write about ten; past this many the file is refused. */
#define SEG_JPEG_MAX_SCANS 100

typedef struct jprog {
    struct jpeg_progress_mgr pub;
    jerr *err;
} jprog;

static void jprog_check(j_common_ptr c) {
    j_decompress_ptr d = (j_decompress_ptr)c;
    if (c->is_decompressor && d->input_scan_number > SEG_JPEG_MAX_SCANS) {
        jerr *e = (jerr *)c->err;
        snprintf(e->msg, sizeof e->msg, "more than %d progressive scans", SEG_JPEG_MAX_SCANS);
        longjmp(e->jb, 1);
    }
}

int seg_jpeg_decode(const uint8_t *data, size_t size, int max_side, int *w, int *h, uint8_t **rgb, char *why,
                    size_t whylen) {
    *w = *h = 0;
    *rgb = NULL;
    struct jpeg_decompress_struct d;
    jerr e;
    jprog prog;
    memset(&d, 0, sizeof d);
    memset(&e, 0, sizeof e);
    d.err = jpeg_std_error(&e.pub);
    e.pub.error_exit = jerr_exit;
    e.pub.emit_message = jerr_emit;
    uint8_t *volatile out = NULL;
    volatile int status = SEG_DECODE_CORRUPT;
    if (setjmp(e.jb)) {
        jpeg_destroy_decompress(&d);
        free(out);
        set_why(why, whylen, e.msg);
        return status;
    }
    jpeg_create_decompress(&d);
    /* libjpeg's own cap on the memory of one decode (the coefficient buffers of a progressive 8192x8192 image fit) */
    d.mem->max_memory_to_use = 512L << 20;
    prog.pub.progress_monitor = jprog_check;
    prog.err = &e;
    d.progress = &prog.pub;
    jpeg_mem_src(&d, data, (unsigned long)size);
    jpeg_read_header(&d, TRUE);
    if (d.image_width == 0 || d.image_height == 0 || d.image_width > (JDIMENSION)max_side ||
        d.image_height > (JDIMENSION)max_side) {
        *w = (int)d.image_width; /* at most 65500 in a JPEG */
        *h = (int)d.image_height;
        jpeg_destroy_decompress(&d);
        return SEG_DECODE_SIZE;
    }
    d.out_color_space = JCS_RGB; /* greyscale and YCbCr convert; CMYK/YCCK refuse with libjpeg's message */
    jpeg_start_decompress(&d);
    if (d.output_components != 3) {
        snprintf(e.msg, sizeof e.msg, "%d colour components after conversion, 3 expected", d.output_components);
        longjmp(e.jb, 1);
    }
    size_t stride = (size_t)d.output_width * 3;
    out = malloc(stride * d.output_height);
    if (!out) {
        status = SEG_DECODE_NOMEM;
        snprintf(e.msg, sizeof e.msg, "out of host memory");
        longjmp(e.jb, 1);
    }
    while (d.output_scanline < d.output_height) {
        JSAMPROW row = out + stride * d.output_scanline;
        if (jpeg_read_scanlines(&d, &row, 1) != 1) break; /* suspension cannot happen with a memory source */
    }
    if (d.output_scanline != d.output_height || e.truncated) {
        if (!e.truncated) snprintf(e.msg, sizeof e.msg, "the decoder stopped early");
        longjmp(e.jb, 1);
    }
    jpeg_finish_decompress(&d);
    if (e.truncated) longjmp(e.jb, 1); /* the end-of-image check found it */
    *w = (int)d.output_width;
    *h = (int)d.output_height;
    *rgb = out;
    jpeg_destroy_decompress(&d);
    return SEG_DECODE_OK;
}
