/* seg_post.c - see seg_post.h. Pure host code with no OpenCL: the demo's pre- and post-processing, tested on its
 * own by tests/test_seg_post.c. Loops only, no recursion (component labelling uses a union-find array).
 */
#include "seg_post.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const float seg_mean[3] = {0.485f, 0.456f, 0.406f};
const float seg_std[3] = {0.229f, 0.224f, 0.225f};

int seg_target_size(int w, int h, int max_side, int *out_w, int *out_h) {
    if (w < 1 || h < 1 || max_side < 32) return -1;
    int longest = w > h ? w : h;
    double ratio = longest > max_side ? (double)max_side / longest : 1.0;
    int cap = max_side / 32 * 32;
    int sz[2] = {(int)(w * ratio), (int)(h * ratio)}; /* truncation, as PP-OCR's int(w * ratio) */
    for (int i = 0; i < 2; i++) {
        long r = lround(sz[i] / 32.0) * 32;
        sz[i] = (int)(r < 32 ? 32 : r > cap ? cap : r);
    }
    *out_w = sz[0];
    *out_h = sz[1];
    return 0;
}

void seg_preprocess(const seg_image *img, int w, int h, float *out) {
    size_t plane = (size_t)w * h;
    for (int y = 0; y < h; y++) {
        int y0, y1;
        float fy;
        seg_bilinear_coord(y, h, img->h, &y0, &y1, &fy);
        const uint8_t *r0 = img->rgb + (size_t)y0 * img->w * 3, *r1 = img->rgb + (size_t)y1 * img->w * 3;
        for (int x = 0; x < w; x++) {
            int x0, x1;
            float fx;
            seg_bilinear_coord(x, w, img->w, &x0, &x1, &fx);
            for (int c = 0; c < 3; c++) {
                float top = r0[x0 * 3 + c] + (r0[x1 * 3 + c] - r0[x0 * 3 + c]) * fx;
                float bot = r1[x0 * 3 + c] + (r1[x1 * 3 + c] - r1[x0 * 3 + c]) * fx;
                float v = (top + (bot - top) * fy) / 255.0f;
                out[c * plane + (size_t)y * w + x] = (v - seg_mean[c]) / seg_std[c];
            }
        }
    }
}

int seg_prob_normalise(float *prob, size_t n) {
    int logits = 0;
    for (size_t i = 0; i < n && !logits; i++)
        logits = prob[i] < 0.0f || prob[i] > 1.0f;
    for (size_t i = 0; i < n; i++) {
        float v = prob[i];
        if (v != v) v = logits ? -INFINITY : 0.0f; /* NaN: no evidence of text */
        prob[i] = logits ? 1.0f / (1.0f + expf(-v)) : v;
    }
    return logits;
}

static int32_t uf_find(int32_t *parent, int32_t a) {
    while (parent[a] != a) {
        parent[a] = parent[parent[a]]; /* path halving */
        a = parent[a];
    }
    return a;
}

static int32_t uf_union(int32_t *parent, int32_t a, int32_t b) {
    a = uf_find(parent, a);
    b = uf_find(parent, b);
    if (a == b) return a;
    if (a < b) {
        parent[b] = a;
        return a;
    }
    parent[a] = b;
    return b;
}

int seg_components(const uint8_t *mask, int w, int h, int32_t *labels, int *count) {
    *count = 0;
    size_t n = (size_t)w * h;
    /* Provisional labels: at most one per pixel (+1 for the unused 0). */
    int32_t *parent = malloc((n + 1) * sizeof *parent);
    if (!parent) return -1;
    int32_t next = 1;
    parent[0] = 0;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            size_t i = (size_t)y * w + x;
            if (!mask[i]) {
                labels[i] = 0;
                continue;
            }
            /* Already-visited 8-neighbours: W, NW, N, NE. */
            int32_t l = 0;
            int32_t nb[4] = {x > 0 ? labels[i - 1] : 0, (x > 0 && y > 0) ? labels[i - w - 1] : 0,
                             y > 0 ? labels[i - w] : 0, (y > 0 && x + 1 < w) ? labels[i - w + 1] : 0};
            for (int k = 0; k < 4; k++) {
                if (!nb[k]) continue;
                l = l ? uf_union(parent, l, nb[k]) : uf_find(parent, nb[k]);
            }
            if (!l) {
                l = next++;
                parent[l] = l;
            }
            labels[i] = l;
        }
    }
    /* Second pass: roots to 1..count in raster order of each component's first pixel. */
    int32_t *final_id = calloc((size_t)next, sizeof *final_id);
    if (!final_id) {
        free(parent);
        return -1;
    }
    int32_t c = 0;
    for (size_t i = 0; i < n; i++) {
        if (!labels[i]) continue;
        int32_t r = uf_find(parent, labels[i]);
        if (!final_id[r]) final_id[r] = ++c;
        labels[i] = final_id[r];
    }
    free(final_id);
    free(parent);
    *count = c;
    return 0;
}

void seg_post_params_init(seg_post_params *p) {
    p->threshold = 0.3f;
    p->box_threshold = 0.6f;
    p->unclip = 1.5f;
    p->min_pixels = 10;
    p->min_side = 3;
    p->max_boxes = 1000;
}

double seg_unclip_distance(double w, double h, double ratio) {
    double perimeter = 2.0 * (w + h);
    return perimeter > 0 ? w * h * ratio / perimeter : 0.0;
}

static double cross(const double *o, const double *a, const double *b) {
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

static int cmp_point(const void *pa, const void *pb) {
    const double *a = pa, *b = pb;
    if (a[0] != b[0]) return a[0] < b[0] ? -1 : 1;
    return (a[1] > b[1]) - (a[1] < b[1]);
}

double seg_min_area_rect(const double *pts, int n, double quad[8]) {
    double *p = malloc(sizeof(double) * 2 * (size_t)n), *hull = malloc(sizeof(double) * 4 * ((size_t)n + 1));
    if (!p || !hull) {
        free(p);
        free(hull);
        for (int k = 0; k < 4; k++) {
            quad[2 * k] = pts[0];
            quad[2 * k + 1] = pts[1];
        }
        return -1.0;
    }
    memcpy(p, pts, sizeof(double) * 2 * (size_t)n);
    qsort(p, (size_t)n, 2 * sizeof(double), cmp_point);
    /* Andrew's monotone chain: lower then upper hull, collinear points dropped. */
    int m = 0;
    for (int i = 0; i < n; i++) {
        while (m >= 2 && cross(&hull[2 * (m - 2)], &hull[2 * (m - 1)], &p[2 * i]) <= 0)
            m--;
        hull[2 * m] = p[2 * i], hull[2 * m + 1] = p[2 * i + 1], m++;
    }
    for (int i = n - 2, lo = m + 1; i >= 0; i--) {
        while (m >= lo && cross(&hull[2 * (m - 2)], &hull[2 * (m - 1)], &p[2 * i]) <= 0)
            m--;
        hull[2 * m] = p[2 * i], hull[2 * m + 1] = p[2 * i + 1], m++;
    }
    if (m > 1) m--; /* the last point repeats the first */
    double best = INFINITY;
    double ux = 1, uy = 0, u0 = pts[0], u1 = pts[0], v0 = pts[1], v1 = pts[1];
    for (int e = 0; e < m; e++) {
        const double *a = &hull[2 * e], *b = &hull[2 * ((e + 1) % m)];
        double dx = b[0] - a[0], dy = b[1] - a[1], len = sqrt(dx * dx + dy * dy);
        if (m > 1 && len == 0) continue;
        double cx = m > 1 ? dx / len : 1, cy = m > 1 ? dy / len : 0;
        double lo_u = INFINITY, hi_u = -INFINITY, lo_v = INFINITY, hi_v = -INFINITY;
        for (int k = 0; k < m; k++) {
            double pu = hull[2 * k] * cx + hull[2 * k + 1] * cy, pv = -hull[2 * k] * cy + hull[2 * k + 1] * cx;
            lo_u = fmin(lo_u, pu), hi_u = fmax(hi_u, pu), lo_v = fmin(lo_v, pv), hi_v = fmax(hi_v, pv);
        }
        double area = (hi_u - lo_u) * (hi_v - lo_v);
        if (area < best) best = area, ux = cx, uy = cy, u0 = lo_u, u1 = hi_u, v0 = lo_v, v1 = hi_v;
    }
    /* Corners back from (u, v): x = u * ux - v * uy, y = u * uy + v * ux. */
    double cu[4] = {u0, u1, u1, u0}, cv[4] = {v0, v0, v1, v1};
    for (int k = 0; k < 4; k++) {
        quad[2 * k] = cu[k] * ux - cv[k] * uy;
        quad[2 * k + 1] = cu[k] * uy + cv[k] * ux;
    }
    free(p);
    free(hull);
    return best;
}

/* Puts the corners clockwise on screen (y down: increasing atan2 angle), starting from the one with least x + y. */
static void order_quad(double q[8]) {
    double cx = (q[0] + q[2] + q[4] + q[6]) / 4, cy = (q[1] + q[3] + q[5] + q[7]) / 4, ang[4], t[8];
    int idx[4] = {0, 1, 2, 3};
    for (int k = 0; k < 4; k++)
        ang[k] = atan2(q[2 * k + 1] - cy, q[2 * k] - cx);
    for (int i = 1; i < 4; i++) /* insertion sort of four */
        for (int j = i; j > 0 && ang[idx[j]] < ang[idx[j - 1]]; j--) {
            int s = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = s;
        }
    int start = 0;
    for (int k = 1; k < 4; k++)
        if (q[2 * idx[k]] + q[2 * idx[k] + 1] < q[2 * idx[start]] + q[2 * idx[start] + 1]) start = k;
    for (int k = 0; k < 4; k++) {
        int s = idx[(start + k) % 4];
        t[2 * k] = q[2 * s];
        t[2 * k + 1] = q[2 * s + 1];
    }
    memcpy(q, t, sizeof t);
}

/* The minimum-area rectangle of one component, unclipped, in map coordinates: hull of the corners of its leftmost
 * and rightmost pixel in each row; each side moved out by D of the rectangle's own area and perimeter. Returns the
 * rectangle's shorter side before unclipping. */
static double component_quad(const int32_t *rmin, const int32_t *rmax, int y0, int rows, double ratio, double *pts,
                             double q[8]) {
    int n = 0;
    for (int r = 0; r < rows; r++) {
        if (rmin[r] > rmax[r]) continue;
        double y = y0 + r, xl = rmin[r], xr = rmax[r] + 1.0;
        double c[8] = {xl, y, xr, y, xl, y + 1, xr, y + 1};
        memcpy(&pts[2 * n], c, sizeof c);
        n += 4;
    }
    seg_min_area_rect(pts, n, q);
    double ax = q[2] - q[0], ay = q[3] - q[1], bx = q[6] - q[0], by = q[7] - q[1];
    double la = sqrt(ax * ax + ay * ay), lb = sqrt(bx * bx + by * by);
    double d = seg_unclip_distance(la, lb, ratio);
    double ua[2] = {la > 0 ? ax / la : 1, la > 0 ? ay / la : 0}, ub[2] = {lb > 0 ? bx / lb : 0, lb > 0 ? by / lb : 1};
    double sa[4] = {-1, 1, 1, -1}, sb[4] = {-1, -1, 1, 1};
    for (int k = 0; k < 4; k++) {
        q[2 * k] += d * (sa[k] * ua[0] + sb[k] * ub[0]);
        q[2 * k + 1] += d * (sa[k] * ua[1] + sb[k] * ub[1]);
    }
    return la < lb ? la : lb;
}

typedef struct comp_stat {
    int npix, x0, y0, x1, y1;
    double sum;
} comp_stat;

static float clampf(double v, double lo, double hi) { return (float)(v < lo ? lo : v > hi ? hi : v); }

int seg_db_boxes(const float *prob, int map_w, int map_h, int img_w, int img_h, const seg_post_params *p,
                 seg_box **boxes, int *count) {
    *boxes = NULL;
    *count = 0;
    size_t n = (size_t)map_w * map_h;
    uint8_t *mask = malloc(n);
    int32_t *labels = malloc(n * sizeof *labels);
    comp_stat *cs = NULL;
    int32_t *keep = NULL, *row_off = NULL, *rmin = NULL, *rmax = NULL;
    double *pts = NULL;
    seg_box *out = NULL;
    int nc = 0, ret = -1;
    if (!mask || !labels) goto done;
    for (size_t i = 0; i < n; i++)
        mask[i] = prob[i] > p->threshold; /* false for NaN */
    if (seg_components(mask, map_w, map_h, labels, &nc)) goto done;
    cs = calloc((size_t)nc + 1, sizeof *cs);
    keep = calloc((size_t)nc + 1, sizeof *keep);
    if (!cs || !keep) goto done;
    for (int c = 1; c <= nc; c++)
        cs[c].x0 = map_w, cs[c].y0 = map_h, cs[c].x1 = -1, cs[c].y1 = -1;
    for (int y = 0; y < map_h; y++)
        for (int x = 0; x < map_w; x++) {
            int32_t l = labels[(size_t)y * map_w + x];
            if (!l) continue;
            comp_stat *s = &cs[l];
            s->npix++;
            s->sum += prob[(size_t)y * map_w + x];
            if (x < s->x0) s->x0 = x;
            if (x > s->x1) s->x1 = x;
            if (y < s->y0) s->y0 = y;
            if (y > s->y1) s->y1 = y;
        }
    /* Cheap filters first (size, score); candidates get 1..cand in keep[] and rows of per-row extremes for their
     * rotated rectangles, whose shorter side is the last filter (as PP-OCR's on its minAreaRect). */
    int cand = 0, kept = 0;
    size_t rows_total = 0, max_rows = 0;
    for (int c = 1; c <= nc; c++) {
        comp_stat *s = &cs[c];
        int bw = s->x1 - s->x0 + 1, bh = s->y1 - s->y0 + 1;
        if (s->npix < p->min_pixels || bw < p->min_side || bh < p->min_side) continue;
        if (s->sum / s->npix < p->box_threshold) continue;
        keep[c] = ++cand;
        rows_total += (size_t)bh;
        if ((size_t)bh > max_rows) max_rows = (size_t)bh;
    }
    if (cand == 0) {
        ret = 0;
        goto done;
    }
    out = calloc((size_t)cand, sizeof *out);
    row_off = malloc(((size_t)cand + 1) * sizeof *row_off);
    rmin = malloc(rows_total * sizeof *rmin);
    rmax = malloc(rows_total * sizeof *rmax);
    pts = malloc(max_rows * 8 * sizeof *pts);
    if (!out || !row_off || !rmin || !rmax || !pts) goto done;
    row_off[0] = 0;
    for (int c = 1; c <= nc; c++)
        if (keep[c]) row_off[keep[c]] = row_off[keep[c] - 1] + (cs[c].y1 - cs[c].y0 + 1);
    for (size_t r = 0; r < rows_total; r++)
        rmin[r] = INT32_MAX, rmax[r] = -1;
    for (int y = 0; y < map_h; y++)
        for (int x = 0; x < map_w; x++) {
            int32_t l = labels[(size_t)y * map_w + x];
            if (!l || !keep[l]) continue;
            size_t r = (size_t)row_off[keep[l] - 1] + (size_t)(y - cs[l].y0);
            if (x < rmin[r]) rmin[r] = x;
            if (x > rmax[r]) rmax[r] = x;
        }
    /* The axis-aligned box is the bounding box of the unclipped rotated rectangle (PP-OCR unclips that rectangle),
     * scaled to the image and clipped to it; the rectangle's corners are not clipped. */
    double sx = (double)img_w / map_w, sy = (double)img_h / map_h;
    for (int c = 1; c <= nc && kept < p->max_boxes; c++) {
        if (!keep[c]) continue;
        comp_stat *s = &cs[c];
        double q[8];
        int off = row_off[keep[c] - 1];
        if (component_quad(rmin + off, rmax + off, s->y0, s->y1 - s->y0 + 1, p->unclip, pts, q) < p->min_side) continue;
        seg_box *b = &out[kept++];
        double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
        for (int k = 0; k < 4; k++) {
            q[2 * k] *= sx;
            q[2 * k + 1] *= sy;
            x0 = fmin(x0, q[2 * k]), x1 = fmax(x1, q[2 * k]), y0 = fmin(y0, q[2 * k + 1]), y1 = fmax(y1, q[2 * k + 1]);
        }
        order_quad(q);
        for (int k = 0; k < 8; k++)
            b->quad[k] = (float)q[k];
        b->x0 = clampf(x0, 0, img_w);
        b->y0 = clampf(y0, 0, img_h);
        b->x1 = clampf(x1, 0, img_w);
        b->y1 = clampf(y1, 0, img_h);
        b->score = (float)(s->sum / s->npix);
        b->pixels = s->npix;
    }
    if (kept == 0) {
        ret = 0;
        goto done;
    }
    *boxes = out;
    *count = kept;
    out = NULL;
    ret = 0;
done:
    free(mask);
    free(labels);
    free(cs);
    free(keep);
    free(row_off);
    free(rmin);
    free(rmax);
    free(pts);
    free(out);
    return ret;
}

char *seg_boxes_json(const seg_box *boxes, int count) {
    size_t cap = 64 + (size_t)count * 192, len = 0;
    char *s = malloc(cap);
    if (!s) return NULL;
    len += (size_t)snprintf(s + len, cap - len, "[");
    for (int i = 0; i < count; i++) {
        const seg_box *b = &boxes[i];
        len += (size_t)snprintf(s + len, cap - len, "%s\n  [%ld, %ld, %ld, %ld, %.4f, [", i ? "," : "", lroundf(b->x0),
                                lroundf(b->y0), lroundf(b->x1), lroundf(b->y1), (double)b->score);
        for (int k = 0; k < 4; k++)
            len += (size_t)snprintf(s + len, cap - len, "%s[%.1f, %.1f]", k ? ", " : "", (double)b->quad[2 * k],
                                    (double)b->quad[2 * k + 1]);
        len += (size_t)snprintf(s + len, cap - len, "]]");
    }
    snprintf(s + len, cap - len, "%s]\n", count ? "\n" : "");
    return s;
}

void seg_voc_color(int64_t cls, uint8_t rgb[3]) {
    int c = (int)(((cls % 256) + 256) % 256);
    int r = 0, g = 0, b = 0;
    for (int j = 0; j < 8; j++, c >>= 3) {
        r |= ((c >> 0) & 1) << (7 - j);
        g |= ((c >> 1) & 1) << (7 - j);
        b |= ((c >> 2) & 1) << (7 - j);
    }
    rgb[0] = (uint8_t)r, rgb[1] = (uint8_t)g, rgb[2] = (uint8_t)b;
}

void seg_heat_color(float p, uint8_t rgb[3]) {
    static const float stops[4][3] = {{0, 0, 96}, {0, 200, 255}, {255, 230, 0}, {220, 0, 0}};
    float t = p != p ? 0.0f : p < 0 ? 0.0f : p > 1 ? 1.0f : p;
    float s = t * 3.0f;
    int k = s >= 3.0f ? 2 : (int)s;
    float f = s - (float)k;
    for (int c = 0; c < 3; c++)
        rgb[c] = (uint8_t)lrintf(stops[k][c] + (stops[k + 1][c] - stops[k][c]) * f);
}

int seg_nearest_coord(int i, int dst_n, int src_n) {
    long s = (long)(((double)i + 0.5) * src_n / dst_n);
    return (int)(s < 0 ? 0 : s >= src_n ? src_n - 1 : s);
}

void seg_heat_image(const float *prob, int map_w, int map_h, int img_w, int img_h, uint8_t *out) {
    for (int y = 0; y < img_h; y++) {
        int y0, y1;
        float fy;
        seg_bilinear_coord(y, img_h, map_h, &y0, &y1, &fy);
        for (int x = 0; x < img_w; x++) {
            int x0, x1;
            float fx;
            seg_bilinear_coord(x, img_w, map_w, &x0, &x1, &fx);
            const float *r0 = prob + (size_t)y0 * map_w, *r1 = prob + (size_t)y1 * map_w;
            float top = r0[x0] + (r0[x1] - r0[x0]) * fx, bot = r1[x0] + (r1[x1] - r1[x0]) * fx;
            seg_heat_color(top + (bot - top) * fy, out + ((size_t)y * img_w + x) * 3);
        }
    }
}

void seg_class_image(const int64_t *cls, int map_w, int map_h, int img_w, int img_h, uint8_t *out) {
    for (int y = 0; y < img_h; y++) {
        const int64_t *row = cls + (size_t)seg_nearest_coord(y, img_h, map_h) * map_w;
        for (int x = 0; x < img_w; x++)
            seg_voc_color(row[seg_nearest_coord(x, img_w, map_w)], out + ((size_t)y * img_w + x) * 3);
    }
}

void seg_foreground(const float *prob, float threshold, const int64_t *cls, int map_w, int map_h, int img_w,
                    int img_h, uint8_t *fg) {
    for (int y = 0; y < img_h; y++) {
        size_t row = (size_t)seg_nearest_coord(y, img_h, map_h) * map_w;
        for (int x = 0; x < img_w; x++) {
            size_t i = row + (size_t)seg_nearest_coord(x, img_w, map_w);
            fg[(size_t)y * img_w + x] = cls ? cls[i] != 0 : prob[i] > threshold;
        }
    }
}

void seg_blend(const seg_image *img, const uint8_t *mask, const uint8_t *fg, uint8_t *out) {
    size_t n = (size_t)img->w * img->h;
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < 3; c++) {
            int a = img->rgb[i * 3 + c];
            out[i * 3 + c] = (uint8_t)(!fg || fg[i] ? (a + mask[i * 3 + c] + 1) / 2 : a);
        }
}

void seg_draw_rect(uint8_t *rgb, int w, int h, int x0, int y0, int x1, int y1, int thickness, const uint8_t color[3]) {
    /* The band is measured from the box's own edges; only the loop is clipped, so a box partly outside the image
     * shows just the part of its outline that is inside. */
    int ya = y0 < 0 ? 0 : y0, yb = y1 > h ? h : y1, xa = x0 < 0 ? 0 : x0, xb = x1 > w ? w : x1;
    for (int y = ya; y < yb; y++)
        for (int x = xa; x < xb; x++) {
            if (y >= y0 + thickness && y < y1 - thickness && x >= x0 + thickness && x < x1 - thickness) continue;
            memcpy(rgb + ((size_t)y * w + x) * 3, color, 3);
        }
}

void seg_draw_quad(uint8_t *rgb, int w, int h, const float quad[8], int thickness, const uint8_t color[3]) {
    for (int e = 0; e < 4; e++) {
        double ax = quad[2 * e], ay = quad[2 * e + 1], bx = quad[2 * ((e + 1) % 4)], by = quad[2 * ((e + 1) % 4) + 1];
        double len = sqrt((bx - ax) * (bx - ax) + (by - ay) * (by - ay));
        int steps = (int)fmin(ceil(len * 2), 1e6) + 1;
        for (int i = 0; i <= steps; i++) {
            double t = (double)i / steps, x = ax + (bx - ax) * t, y = ay + (by - ay) * t;
            /* brush centred on the line: pixels whose centres lie within thickness / 2 of (x, y) along each axis */
            int x0 = (int)floor(x - thickness / 2.0 + 0.5), y0 = (int)floor(y - thickness / 2.0 + 0.5);
            for (int dy = 0; dy < thickness; dy++)
                for (int dx = 0; dx < thickness; dx++) {
                    int px = x0 + dx, py = y0 + dy;
                    if (px >= 0 && py >= 0 && px < w && py < h) memcpy(rgb + ((size_t)py * w + px) * 3, color, 3);
                }
        }
    }
}

int seg_check_output(size_t ndim, const int64_t *dims, int mode, char *err, size_t errlen) {
    if (ndim != 4) {
        snprintf(err, errlen, "the model's output is %zu-D; the demo needs a 4-D N x C x H x W map", ndim);
        return -1;
    }
    if (dims[0] != 1 || dims[1] < 1 || dims[2] < 1 || dims[3] < 1) {
        snprintf(err, errlen, "the model's output shape [%lld, %lld, %lld, %lld] is not 1 x C x H x W",
                 (long long)dims[0], (long long)dims[1], (long long)dims[2], (long long)dims[3]);
        return -1;
    }
    if (mode == 0) return dims[1] == 1 ? 1 : 2;
    if (mode == 1 && dims[1] != 1) {
        snprintf(err, errlen, "--mode binary needs a 1-channel output; this model has %lld channels (use --mode classes)",
                 (long long)dims[1]);
        return -1;
    }
    if (mode == 2 && dims[1] < 2) {
        snprintf(err, errlen, "--mode classes needs an output with 2 or more channels; this model has 1 (use --mode binary)");
        return -1;
    }
    return mode;
}
