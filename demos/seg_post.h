/* seg_post.h - the segmentation demo's host-side numerics: PP-OCR-style preprocessing (sizes that are multiples
 * of 32, ImageNet mean/std, NCHW float), DB post-processing of a probability map (threshold, 8-connected
 * components by union-find, unclip, score, scaling to the image), rotated minimum-area rectangles, the boxes as
 * JSON, and the pictures (heat map, VOC palette, overlay with boxes).
 */
#ifndef SEG_POST_H
#define SEG_POST_H

#include <stddef.h>
#include <stdint.h>

#include "seg_image.h"

/**
 * Network input size for a @p w x @p h image: scaled down (never up) so the longer side is at most @p max_side,
 * then each side rounded to the nearest multiple of 32 (at least 32; at most max_side rounded down to 32).
 * Returns 0, or -1 when max_side < 32 or the image is empty.
 */
int seg_target_size(int w, int h, int max_side, int *out_w, int *out_h);

/** Bilinear resize (half-pixel centres) of @p img to @p w x @p h, RGB/255, (x - mean) / std per channel, written
 * as a 1 x 3 x h x w float tensor into @p out. The resampling is done in float, without rounding to 8 bits. */
void seg_preprocess(const seg_image *img, int w, int h, float *out);
extern const float seg_mean[3], seg_std[3];

/** Binary mode: when some value lies outside [0, 1] the map holds logits: apply a sigmoid in place and return 1;
 * else leave it and return 0. NaNs become 0. */
int seg_prob_normalise(float *prob, size_t n);

/**
 * 8-connected components of the nonzero pixels of @p mask (w x h, row-major): @p labels gets 0 for background and
 * 1..*count for components, numbered in raster order of their first pixel. Union-find with an explicit parent
 * array (no recursion). Returns 0, or -1 when out of memory.
 */
int seg_components(const uint8_t *mask, int w, int h, int32_t *labels, int *count);

typedef struct seg_post_params {
    float threshold;     /**< pixels with probability > threshold are text (default 0.3) */
    float box_threshold; /**< components whose mean probability is below are dropped (default 0.6) */
    float unclip;        /**< unclip ratio r (default 1.5) */
    int min_pixels;      /**< components with fewer pixels are dropped (default 10) */
    int min_side;        /**< components whose bounding box or minimum-area rectangle has a side shorter are
                              dropped (default 3) */
    int max_boxes;       /**< at most this many boxes, the first in raster order (default 1000, as PP-OCR) */
} seg_post_params;

void seg_post_params_init(seg_post_params *p);

/** One detection in image pixels. */
typedef struct seg_box {
    float x0, y0, x1, y1; /**< bounding box of the unclipped rotated rectangle, scaled, clipped to the image:
                               [x0, x1) x [y0, y1) */
    float score;          /**< mean probability over the component's pixels */
    int pixels;           /**< component size in map pixels */
    float quad[8];        /**< minimum-area rotated rectangle of the component, unclipped and scaled: 4 corners
                               (x, y), clockwise in image coordinates (y down), not clipped */
} seg_box;

/**
 * The unclip distance D = A * r / L of DB for a w x h rectangle (A, L its area and perimeter). As PP-OCR does with
 * pyclipper, each component's minimum-area rectangle (around its pixels' corners) is grown by its own D on every
 * side; the axis-aligned box is that grown rectangle's bounding box.
 */
double seg_unclip_distance(double w, double h, double ratio);

/**
 * DB post-processing of a map_w x map_h probability map for an image of img_w x img_h: threshold, components,
 * filters (pixels, sides, score), minimum-area rectangle, unclip, scale by img/map, bounding box clipped to the
 * image. Boxes come in raster order of their components' first pixels. *boxes is malloc'ed (NULL when none).
 * Returns 0 or -1 (out of memory).
 */
int seg_db_boxes(const float *prob, int map_w, int map_h, int img_w, int img_h, const seg_post_params *p,
                 seg_box **boxes, int *count);

/** Minimum-area enclosing rectangle of @p n points (x, y pairs; n >= 1): its 4 corners into @p quad and its area.
 * Convex hull (monotone chain), then each hull edge's direction (the optimal rectangle has a side on one). */
double seg_min_area_rect(const double *pts, int n, double quad[8]);

/** The boxes as JSON: [[x0, y0, x1, y1, score, [[qx, qy] x 4]], ...]: integer pixel coordinates (rounded), score
 * with 4 decimals, the rotated rectangle's corners with 1 decimal. malloc'ed, NUL-terminated. NULL on no memory. */
char *seg_boxes_json(const seg_box *boxes, int count);

/** The VOC palette colour of class @p cls (the standard bit-interleaved 256-entry palette, used mod 256). */
void seg_voc_color(int64_t cls, uint8_t rgb[3]);

/** Heat map colour of a probability in [0, 1] (dark blue -> cyan -> yellow -> red). */
void seg_heat_color(float p, uint8_t rgb[3]);

/** Heat map of a map_w x map_h probability map, resized bilinearly to the image's size, into @p out (RGB). */
void seg_heat_image(const float *prob, int map_w, int map_h, int img_w, int img_h, uint8_t *out);
/** Palette image of a map_w x map_h class map, resized to the image's size by nearest neighbour, into @p out. */
void seg_class_image(const int64_t *cls, int map_w, int map_h, int img_w, int img_h, uint8_t *out);
/** Overlay: out = img blended 50% with @p mask where @p fg (one byte a pixel, may be NULL: everywhere). */
void seg_blend(const seg_image *img, const uint8_t *mask, const uint8_t *fg, uint8_t *out);
/** Nearest-neighbour foreground flags at image size: class != 0, or probability > threshold. Either map may be
 * NULL (the other is used). */
void seg_foreground(const float *prob, float threshold, const int64_t *cls, int map_w, int map_h, int img_w,
                    int img_h, uint8_t *fg);

/** Draws the outline of [x0, x1) x [y0, y1) with @p thickness pixels inside the box, clipped to the image. */
void seg_draw_rect(uint8_t *rgb, int w, int h, int x0, int y0, int x1, int y1, int thickness, const uint8_t color[3]);

/** Draws the closed polygon of the 4 corners (x, y pairs) with lines @p thickness pixels wide (a square brush
 * stepped every half pixel along each edge), clipped to the image. */
void seg_draw_quad(uint8_t *rgb, int w, int h, const float quad[8], int thickness, const uint8_t color[3]);

/** Nearest-neighbour source index for output index @p i: floor((i + 0.5) * src / dst), within [0, src - 1]. */
int seg_nearest_coord(int i, int dst_n, int src_n);

/**
 * Checks a network output's shape for a mode: it must be 4-D N x C x H x W with N = 1 and H, W >= 1. @p mode is
 * 0 (auto), 1 (binary) or 2 (classes); binary needs C = 1, classes C >= 2. Returns the mode it resolves to
 * (1 or 2), or -1 with a message.
 */
int seg_check_output(size_t ndim, const int64_t *dims, int mode, char *err, size_t errlen);

#endif
