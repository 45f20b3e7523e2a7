/* seg_decode.h - PNG and JPEG from memory to 8-bit RGB (demos/seg_decode.c: libpng and libjpeg-turbo), never
 * ending the process and never decoding more than max_side pixels on either side. */
#ifndef SEG_DECODE_H
#define SEG_DECODE_H

#include <stddef.h>
#include <stdint.h>

enum {
    SEG_DECODE_OK = 0,
    SEG_DECODE_CORRUPT, /* *why says what the decoder refused */
    SEG_DECODE_SIZE,    /* 0 pixels or over max_side: *w and *h hold the header's size */
    SEG_DECODE_NOMEM,
};

/* On SEG_DECODE_OK *rgb is w*h*3 bytes, malloc'd (free with free()); otherwise *rgb is NULL. */
int seg_png_decode(const uint8_t *data, size_t size, int max_side, int *w, int *h, uint8_t **rgb, char *why,
                   size_t whylen);
int seg_jpeg_decode(const uint8_t *data, size_t size, int max_side, int *w, int *h, uint8_t **rgb, char *why,
                    size_t whylen);

#endif
