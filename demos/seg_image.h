/* seg_image.h - the segmentation demo's image I/O: PNG/JPEG decoding with stb_image (size caps checked from the
 * header before any pixel is decoded), bilinear resizing, and PNG/JSON output written atomically (temp file in
 * the destination folder, then rename), several files staged together so a failure leaves none of them.
 */
#ifndef SEG_IMAGE_H
#define SEG_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define SEG_IMAGE_MAX_SIDE 8192                   /* either side; larger images are refused before decoding */
#define SEG_IMAGE_MAX_FILE ((size_t)512 << 20)    /* bytes read from an image file */
#define SEG_ERR_LEN 512
#define SEG_PATH_LEN 4096
#define SEG_STAGE_MAX 8

/** An 8-bit RGB image, rows top to bottom, 3 bytes per pixel. */
typedef struct seg_image {
    int w, h;
    uint8_t *rgb;
} seg_image;

/** Loads a PNG or JPEG (any stb_image format) as RGB. Returns 0, or -1 with a one-line message in @p err. */
int seg_image_load(const char *path, seg_image *out, char *err, size_t errlen);
/** The same from memory; @p name is used in messages. */
int seg_image_load_memory(const void *data, size_t size, const char *name, seg_image *out, char *err, size_t errlen);
/** Allocates an uninitialised w x h image (0, or -1 with a message). */
int seg_image_alloc(int w, int h, seg_image *out, char *err, size_t errlen);
/** Frees the pixels; NULL and a zeroed image are fine. */
void seg_image_free(seg_image *img);

/**
 * Source sample positions for output index @p i of @p dst_n when resampling @p src_n samples with half-pixel
 * centres (OpenCV's INTER_LINEAR, ONNX Resize half_pixel): the two neighbours and the weight of the second.
 */
void seg_bilinear_coord(int i, int dst_n, int src_n, int *i0, int *i1, float *frac);
/** Bilinear resize of @p src to @p w x @p h into a new image (0, or -1 with a message). */
int seg_image_resize(const seg_image *src, int w, int h, seg_image *out, char *err, size_t errlen);

/** Encodes 8-bit pixels (1 to 4 channels) as PNG into a malloc'ed buffer. 0, or -1 with a message. */
int seg_png_encode(int w, int h, int channels, const uint8_t *pixels, uint8_t **png, size_t *size, char *err,
                   size_t errlen);

/** Files written to temporaries next to their destinations and renamed together by seg_stage_commit(). */
typedef struct seg_stage {
    int n;
    char tmp[SEG_STAGE_MAX][SEG_PATH_LEN];
    char dst[SEG_STAGE_MAX][SEG_PATH_LEN];
} seg_stage;

void seg_stage_init(seg_stage *s);
/** Writes @p size bytes to a temporary file beside @p path. On failure nothing of it remains. */
int seg_stage_bytes(seg_stage *s, const char *path, const void *data, size_t size, char *err, size_t errlen);
/** Encodes and stages a PNG. */
int seg_stage_png(seg_stage *s, const char *path, int w, int h, int channels, const uint8_t *pixels, char *err,
                  size_t errlen);
/** Renames every staged file onto its destination. If one rename fails, the temporaries not yet renamed are
 * removed and so are the destinations this call already renamed (so the set is all or nothing). */
int seg_stage_commit(seg_stage *s, char *err, size_t errlen);
/** Removes every staged temporary. */
void seg_stage_abort(seg_stage *s);

/** One PNG written atomically (stage + commit). */
int seg_write_png(const char *path, int w, int h, int channels, const uint8_t *pixels, char *err, size_t errlen);

/** 0 when a file can be created in the folder of @p path_prefix (tried with a temporary that is removed). */
int seg_check_writable(const char *path_prefix, char *err, size_t errlen);

#endif
