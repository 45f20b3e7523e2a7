/* test_seg_post.c - the segmentation demo's host code (demos/seg_*.c), no device: connected components against a
 * naive flood fill (exact labels), DB filters, score, unclip and scaling against the formulas, rotated rectangles
 * against a brute-force angle sweep, JSON read back, PNG/JPEG round trips, preprocessing against a double
 * reference, the image decoder's refusals (missing, not an image, truncated, 0x0, over the cap), progressive,
 * greyscale, CMYK and crafted JPEGs (written with libjpeg), staged outputs
 * that leave nothing behind, the command line and the default model's lookup.
 *
 * Bounds: components, palette, nearest mapping, PNG round trip: exact. Preprocessing: |x - ref| <= 1e-5 (float
 * bilinear of 8-bit values, one division by std ~0.22). Box coordinates: 1e-3 pixels (float storage of values
 * < 1000). Scores: 1e-6 (double sum, float result). Min-area rectangle: within 1e-9 relative of the best of a
 * 0.001-degree sweep, and not below it by more than the sweep's step can miss (0.1%). JPEG q95 of a smooth image:
 * max 12 levels.
 */
#include "common.h"

#include <dirent.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jpeglib.h>
#include <stb_image_write.h>

#include "seg_cli.h"
#include "seg_image.h"
#include "seg_post.h"

/* ---- naive references ------------------------------------------------------------------------------------ */

/* 8-connected flood fill with an explicit stack, components numbered in raster order of their first pixel. */
static int ref_components(const uint8_t *m, int w, int h, int32_t *lab) {
    size_t n = (size_t)w * h;
    int32_t *stack = malloc(n * sizeof *stack);
    memset(lab, 0, n * sizeof *lab);
    int c = 0;
    for (size_t s = 0; s < n; s++) {
        if (!m[s] || lab[s]) continue;
        c++;
        size_t top = 0;
        stack[top++] = (int32_t)s;
        lab[s] = c;
        while (top) {
            int32_t p = stack[--top];
            int px = p % w, py = p / w;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    int qx = px + dx, qy = py + dy;
                    if (qx < 0 || qy < 0 || qx >= w || qy >= h) continue;
                    size_t q = (size_t)qy * w + qx;
                    if (m[q] && !lab[q]) {
                        lab[q] = c;
                        stack[top++] = (int32_t)q;
                    }
                }
        }
    }
    free(stack);
    return c;
}

static void check_components(const char *name, const uint8_t *m, int w, int h) {
    size_t n = (size_t)w * h;
    int32_t *a = malloc(n * 4), *b = malloc(n * 4);
    int na = -1, nb = ref_components(m, w, h, b);
    assert_int_equal(seg_components(m, w, h, a, &na), 0);
    if (na != nb) fail_msg("%s (%dx%d): %d components, reference %d", name, w, h, na, nb);
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) fail_msg("%s (%dx%d): pixel (%zu, %zu) label %d, reference %d", name, w, h, i % w, i / w, a[i], b[i]);
    free(a);
    free(b);
}

/* A map drawn with '#' for foreground. */
static uint8_t *draw(const char *const *rows, int h, int *w) {
    *w = (int)strlen(rows[0]);
    uint8_t *m = malloc((size_t)*w * h);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < *w; x++)
            m[y * *w + x] = rows[y][x] == '#';
    return m;
}

static void test_components_crafted(void **state) {
    (void)state;
    static const char *const diag[] = {"#......", ".#....#", "..#..#.", "...##..", "......#"};
    static const char *const ring[] = {"#########", "#.......#", "#..###..#", "#..#.#..#", "#..###..#", "#.......#",
                                       "#########"};
    static const char *const merge[] = {"#.#.#.#.#", "#.#.#.#.#", "#########"}; /* merges found late */
    static const char *const w_shape[] = {".#...#...#", "..#.#.#.#.", "...#...#.."};
    static const char *const spiral[] = {"#######", "......#", "#####.#", "#...#.#", "#.###.#", "#.....#", "#######"};
    struct {
        const char *name;
        const char *const *rows;
        int h;
    } maps[] = {{"touching diagonals", diag, 5}, {"ring, hole, island", ring, 7}, {"comb merged at the bottom", merge, 3},
                {"W through diagonals", w_shape, 3}, {"spiral", spiral, 7}};
    for (size_t k = 0; k < sizeof maps / sizeof maps[0]; k++) {
        int w;
        uint8_t *m = draw(maps[k].rows, maps[k].h, &w);
        check_components(maps[k].name, m, w, maps[k].h);
        int32_t *lab = malloc((size_t)w * maps[k].h * 4);
        int n;
        seg_components(m, w, maps[k].h, lab, &n);
        /* The properties the drawings are made for, besides the reference's labels. */
        if (k == 0) assert_true(n == 2 && lab[0] == lab[3 * w + 4] && lab[w + 6] == lab[3 * w + 4] && lab[4 * w + 6] != lab[0]);
        if (k == 1) assert_true(n == 2 && lab[0] != lab[2 * w + 3] && lab[3 * w + 4] == 0);
        if (k == 2 || k == 3 || k == 4) assert_int_equal(n, 1);
        free(lab);
        free(m);
    }
    uint8_t one = 1, zero = 0;
    check_components("1x1 set", &one, 1, 1);
    check_components("1x1 clear", &zero, 1, 1);
}

static void test_components_random(void **state) {
    (void)state;
    uint64_t seed = TEST_SEED ^ 1;
    static const int sizes[][2] = {{27, 37}, {1, 17}, {17, 1}, {61, 3}, {101, 99}};
    static const float dens[] = {0.2f, 0.45f, 0.6f, 0.85f};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (size_t d = 0; d < sizeof dens / sizeof dens[0]; d++) {
            int w = sizes[s][0], h = sizes[s][1];
            uint8_t *m = malloc((size_t)w * h);
            for (int i = 0; i < w * h; i++)
                m[i] = test_rand_float(&seed, 0, 1) < dens[d];
            char name[64];
            snprintf(name, sizeof name, "random density %.2f", (double)dens[d]);
            check_components(name, m, w, h);
            free(m);
        }
}

/* ---- DB boxes ---------------------------------------------------------------------------------------------- */

static void near(const char *what, double got, double want, double tol) {
    if (!(fabs(got - want) <= tol)) fail_msg("%s: %.6f, expected %.6f (tolerance %g)", what, got, want, tol);
}

static double clampd(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

/* One filled rectangle [x, x+rw) x [y, y+rh) with random probabilities in [lo, hi] on a map of 0.05. */
static float *rect_map(int w, int h, int x, int y, int rw, int rh, float lo, float hi, uint64_t *seed, double *mean) {
    float *p = malloc(sizeof(float) * (size_t)w * h);
    double sum = 0;
    for (int i = 0; i < w * h; i++)
        p[i] = 0.05f;
    for (int j = y; j < y + rh; j++)
        for (int i = x; i < x + rw; i++)
            sum += p[j * w + i] = test_rand_float(seed, lo, hi);
    *mean = sum / (rw * rh);
    return p;
}

static void test_boxes_unclip_scale_score(void **state) {
    (void)state;
    uint64_t seed = TEST_SEED ^ 2;
    struct {
        int mw, mh, x, y, rw, rh, iw, ih;
        float r;
    } cases[] = {
        {31, 23, 5, 7, 13, 4, 97, 61, 1.5f},    /* non-integer scales */
        {31, 23, 0, 0, 9, 5, 31, 23, 2.0f},     /* touching the top-left corner: clipped at 0 */
        {33, 29, 20, 21, 13, 8, 132, 116, 1.5f}, /* touching the bottom-right corner */
        {40, 40, 10, 10, 3, 4, 37, 41, 0.0f},   /* no unclip; shrinking scale */
        {64, 48, 3, 30, 50, 3, 1000, 750, 3.0f},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        double mean;
        float *p = rect_map(cases[k].mw, cases[k].mh, cases[k].x, cases[k].y, cases[k].rw, cases[k].rh, 0.62f, 1.0f,
                            &seed, &mean);
        seg_post_params pp;
        seg_post_params_init(&pp);
        pp.unclip = cases[k].r;
        seg_box *b;
        int n;
        assert_int_equal(seg_db_boxes(p, cases[k].mw, cases[k].mh, cases[k].iw, cases[k].ih, &pp, &b, &n), 0);
        assert_int_equal(n, 1);
        double rw = cases[k].rw, rh = cases[k].rh, d = rw * rh * cases[k].r / (2 * (rw + rh));
        near("unclip distance", seg_unclip_distance(rw, rh, cases[k].r), d, 1e-12);
        double sx = (double)cases[k].iw / cases[k].mw, sy = (double)cases[k].ih / cases[k].mh;
        near("x0", b[0].x0, clampd((cases[k].x - d) * sx, 0, cases[k].iw), 1e-3);
        near("y0", b[0].y0, clampd((cases[k].y - d) * sy, 0, cases[k].ih), 1e-3);
        near("x1", b[0].x1, clampd((cases[k].x + rw + d) * sx, 0, cases[k].iw), 1e-3);
        near("y1", b[0].y1, clampd((cases[k].y + rh + d) * sy, 0, cases[k].ih), 1e-3);
        near("score", b[0].score, mean, 1e-6);
        assert_int_equal(b[0].pixels, cases[k].rw * cases[k].rh);
        /* The rotated rectangle of an axis-aligned one: the rectangle grown by D, scaled, unclipped; corners from
         * the top-left, clockwise on screen. */
        double qx[4] = {cases[k].x - d, cases[k].x + rw + d, cases[k].x + rw + d, cases[k].x - d};
        double qy[4] = {cases[k].y - d, cases[k].y - d, cases[k].y + rh + d, cases[k].y + rh + d};
        for (int c = 0; c < 4; c++) {
            near("quad x", b[0].quad[2 * c], qx[c] * sx, 1e-3);
            near("quad y", b[0].quad[2 * c + 1], qy[c] * sy, 1e-3);
        }
        free(b);
        free(p);
    }
}

static void test_boxes_filters(void **state) {
    (void)state;
    /* Components: A 3x3 (9 px < 10), B 2x8 (side 2 < 3), C 5x2+... 10 px in 5x2 (side 2), D 4x3 mean 0.55 (below
     * 0.6), E 4x3 mean 0.65, F 3x4 of 0.31 but only with threshold 0.3 (> 0.3, mean < 0.6). */
    int w = 41, h = 17;
    float *p = calloc((size_t)w * h, sizeof(float));
    struct {
        int x, y, rw, rh;
        float v;
        int kept;
    } comps[] = {{1, 1, 3, 3, 0.9f, 0}, {6, 1, 2, 8, 0.9f, 0}, {10, 1, 5, 2, 0.9f, 0},
                 {17, 1, 4, 3, 0.55f, 0}, {23, 1, 4, 3, 0.65f, 1}, {29, 1, 3, 4, 0.31f, 0}, {1, 10, 10, 5, 0.8f, 1}};
    size_t nc = sizeof comps / sizeof comps[0];
    for (size_t c = 0; c < nc; c++)
        for (int y = comps[c].y; y < comps[c].y + comps[c].rh; y++)
            for (int x = comps[c].x; x < comps[c].x + comps[c].rw; x++)
                p[y * w + x] = comps[c].v;
    seg_post_params pp;
    seg_post_params_init(&pp);
    seg_box *b;
    int n;
    assert_int_equal(seg_db_boxes(p, w, h, w, h, &pp, &b, &n), 0);
    int want = 0;
    for (size_t c = 0; c < nc; c++)
        want += comps[c].kept;
    assert_int_equal(n, want);
    /* Boxes come in raster order of the components' first pixels: E (row 1) then G (row 10). */
    near("E score", b[0].score, 0.65, 1e-6);
    near("G score", b[1].score, 0.8, 1e-6);
    free(b);
    /* box_threshold 0.5 keeps D too; threshold 0.6 drops D (0.55 is background then) and F. */
    pp.box_threshold = 0.5f;
    assert_int_equal(seg_db_boxes(p, w, h, w, h, &pp, &b, &n), 0);
    assert_int_equal(n, want + 1);
    free(b);
    pp.box_threshold = 0.0f;
    pp.threshold = 0.6f;
    assert_int_equal(seg_db_boxes(p, w, h, w, h, &pp, &b, &n), 0);
    assert_int_equal(n, want);
    free(b);
    /* max_boxes */
    pp.max_boxes = 1;
    assert_int_equal(seg_db_boxes(p, w, h, w, h, &pp, &b, &n), 0);
    assert_int_equal(n, 1);
    near("first box", b[0].score, 0.65, 1e-6);
    free(b);
    /* Nothing above the threshold: no boxes, NULL array. */
    for (int i = 0; i < w * h; i++)
        p[i] = 0.1f;
    seg_post_params_init(&pp);
    assert_int_equal(seg_db_boxes(p, w, h, w, h, &pp, &b, &n), 0);
    assert_int_equal(n, 0);
    assert_null(b);
    free(p);
}

static double sweep_min_area(const double *pts, int n) {
    double best = INFINITY;
    for (int a = 0; a < 90000; a++) {
        double t = a * 1e-3 * M_PI / 180, c = cos(t), s = sin(t);
        double u0 = INFINITY, u1 = -INFINITY, v0 = INFINITY, v1 = -INFINITY;
        for (int i = 0; i < n; i++) {
            double u = pts[2 * i] * c + pts[2 * i + 1] * s, v = -pts[2 * i] * s + pts[2 * i + 1] * c;
            u0 = fmin(u0, u), u1 = fmax(u1, u), v0 = fmin(v0, v), v1 = fmax(v1, v);
        }
        best = fmin(best, (u1 - u0) * (v1 - v0));
    }
    return best;
}

static void test_min_area_rect(void **state) {
    (void)state;
    uint64_t seed = TEST_SEED ^ 3;
    for (int k = 0; k < 6; k++) {
        int n = 3 + k * 7;
        double *pts = malloc(sizeof(double) * 2 * (size_t)n), q[8];
        /* Points inside a rotated, elongated rectangle, a few on it. */
        double ang = test_rand_float(&seed, 0, 3.1f), len = test_rand_float(&seed, 5, 40), wid = test_rand_float(&seed, 1, 6);
        for (int i = 0; i < n; i++) {
            double u = test_rand_float(&seed, 0, (float)len), v = test_rand_float(&seed, 0, (float)wid);
            pts[2 * i] = 50 + u * cos(ang) - v * sin(ang);
            pts[2 * i + 1] = 30 + u * sin(ang) + v * cos(ang);
        }
        double area = seg_min_area_rect(pts, n, q), ref = sweep_min_area(pts, n);
        if (!(area <= ref * (1 + 1e-9) + 1e-12 && area >= ref * (1 - 1e-3)))
            fail_msg("case %d: area %.9f, sweep %.9f", k, area, ref);
        /* The corners make a rectangle of that area containing every point. */
        double ax = q[2] - q[0], ay = q[3] - q[1], bx = q[6] - q[0], by = q[7] - q[1];
        near("right angle", ax * bx + ay * by, 0, 1e-6 * (1 + area));
        near("area", fabs(ax * by - ay * bx), area, 1e-6 * (1 + area));
        for (int i = 0; i < n; i++) {
            double px = pts[2 * i] - q[0], py = pts[2 * i + 1] - q[1];
            double ua = (px * ax + py * ay) / (ax * ax + ay * ay), ub = (px * bx + py * by) / (bx * bx + by * by);
            if (area > 0 && !(ua >= -1e-9 && ua <= 1 + 1e-9 && ub >= -1e-9 && ub <= 1 + 1e-9))
                fail_msg("case %d: point %d outside the rectangle (%g, %g)", k, i, ua, ub);
        }
        free(pts);
    }
}

static void test_rotated_component(void **state) {
    (void)state;
    /* A diagonal bar 4 pixels wide per row (3.5 across): its rotated rectangle is much smaller than its bounding box,
     * and the axis-aligned box is the bounding box of the grown rectangle, not the component's bounding box grown. */
    int w = 45, h = 45;
    float *p = calloc((size_t)w * h, sizeof(float));
    for (int i = 2; i < 40; i++)
        for (int t = 0; t < 4; t++)
            p[i * w + i + t] = 0.9f;
    seg_post_params pp;
    seg_post_params_init(&pp);
    pp.unclip = 0.0f;
    seg_box *b;
    int n;
    assert_int_equal(seg_db_boxes(p, w, h, w, h, &pp, &b, &n), 0);
    assert_int_equal(n, 1);
    double pts[38 * 8];
    int np = 0;
    for (int i = 2; i < 40; i++) {
        double c[8] = {i, i, i + 4, i, i, i + 1, i + 4, i + 1};
        memcpy(&pts[np * 2], c, sizeof c);
        np += 4;
    }
    double q[8], area = seg_min_area_rect(pts, np, q);
    const float *bq = b[0].quad;
    double ax = bq[2] - bq[0], ay = bq[3] - bq[1], bx = bq[6] - bq[0], by = bq[7] - bq[1];
    near("component quad area", fabs(ax * by - ay * bx), area, 1e-2);
    assert_true(area < 0.25 * (b[0].x1 - b[0].x0) * (b[0].y1 - b[0].y0));
    free(b);
    /* With unclip 1.5 on a 2x larger image: the box is the bounding box of the rectangle grown by its own D on each
     * side (computed here from the rectangle's sides), scaled, clipped. */
    pp.unclip = 1.5f;
    assert_int_equal(seg_db_boxes(p, w, h, 2 * w, 2 * h, &pp, &b, &n), 0);
    assert_int_equal(n, 1);
    double ux = q[2] - q[0], uy = q[3] - q[1], vx = q[6] - q[0], vy = q[7] - q[1];
    double lu = sqrt(ux * ux + uy * uy), lv = sqrt(vx * vx + vy * vy), d = lu * lv * 1.5 / (2 * (lu + lv));
    double cx = (q[0] + q[4]) / 2, cy = (q[1] + q[5]) / 2, hu = lu / 2 + d, hv = lv / 2 + d;
    /* half-extents of the grown rectangle along x and y */
    double ex = hu * fabs(ux / lu) + hv * fabs(vx / lv), ey = hu * fabs(uy / lu) + hv * fabs(vy / lv);
    near("rotated x0", b[0].x0, clampd(2 * (cx - ex), 0, 2 * w), 1e-3);
    near("rotated y0", b[0].y0, clampd(2 * (cy - ey), 0, 2 * h), 1e-3);
    near("rotated x1", b[0].x1, clampd(2 * (cx + ex), 0, 2 * w), 1e-3);
    near("rotated y1", b[0].y1, clampd(2 * (cy + ey), 0, 2 * h), 1e-3);
    free(b);
    /* Two pixels per row (2.1 across): the bounding box is 39 x 38, but the rotated rectangle's short side is under 3,
     * so it is dropped, as PP-OCR drops it. */
    memset(p, 0, sizeof(float) * (size_t)w * h);
    for (int i = 2; i < 40; i++)
        for (int t = 0; t < 2; t++)
            p[i * w + i + t] = 0.9f;
    assert_int_equal(seg_db_boxes(p, w, h, w, h, &pp, &b, &n), 0);
    assert_int_equal(n, 0);
    free(p);
}

static void test_json(void **state) {
    (void)state;
    seg_box boxes[3] = {
        {1.4f, 2.6f, 30.5f, 40.49f, 0.61234f, 9, {1, 2, 30, 2, 30, 40, 1, 40}},
        {0, 0, 7, 8, 0.99999f, 10, {0.25f, 0, 7, 0.75f, 7, 8, 0, 8}},
        {100, 200, 300, 400, 0.6f, 11, {100, 200, 300, 200, 300, 400, 100, 400}},
    };
    char *s = seg_boxes_json(boxes, 3);
    assert_non_null(s);
    const char *c = s;
    assert_int_equal(*c++, '[');
    for (int i = 0; i < 3; i++) {
        long x0, y0, x1, y1;
        double sc, q[8];
        int used = 0;
        int got = sscanf(c, " [%ld, %ld, %ld, %ld, %lf, [[%lf, %lf], [%lf, %lf], [%lf, %lf], [%lf, %lf]]]%n", &x0, &y0, &x1,
                         &y1, &sc, &q[0], &q[1], &q[2], &q[3], &q[4], &q[5], &q[6], &q[7], &used);
        if (got != 13 || used == 0) fail_msg("box %d: cannot read back %s", i, c);
        c += used;
        assert_int_equal(x0, lroundf(boxes[i].x0));
        assert_int_equal(y0, lroundf(boxes[i].y0));
        assert_int_equal(x1, lroundf(boxes[i].x1));
        assert_int_equal(y1, lroundf(boxes[i].y1));
        near("score", sc, boxes[i].score, 5e-5);
        for (int k = 0; k < 8; k++)
            near("quad", q[k], boxes[i].quad[k], 0.05 + 1e-9);
        if (i < 2) assert_int_equal(*c++, ',');
    }
    assert_string_equal(c, "\n]\n");
    free(s);
    s = seg_boxes_json(NULL, 0);
    assert_string_equal(s, "[]\n");
    free(s);
}

/* ---- images ------------------------------------------------------------------------------------------------ */

static char *path_in(const char *dir, const char *name) {
    static char buf[8][1024];
    static int k;
    char *p = buf[k++ % 8];
    snprintf(p, 1024, "%s/%s", dir, name);
    return p;
}

static int dir_entries(const char *dir) {
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

static void write_bytes(const char *path, const void *data, size_t n) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static void random_image(seg_image *img, int w, int h, uint64_t *seed) {
    assert_int_equal(seg_image_alloc(w, h, img, NULL, 0), 0);
    for (int i = 0; i < w * h * 3; i++)
        img->rgb[i] = (uint8_t)(test_rand_u64(seed) >> 56);
}

static void test_png_round_trip(void **state) {
    (void)state;
    uint64_t seed = TEST_SEED ^ 4;
    const char *dir = test_tmpdir("seg-png");
    static const int sizes[][2] = {{37, 23}, {1, 1}, {1, 19}, {255, 3}};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        seg_image a, b;
        char err[SEG_ERR_LEN];
        random_image(&a, sizes[s][0], sizes[s][1], &seed);
        char name[32];
        snprintf(name, sizeof name, "rt%zu.png", s);
        const char *p = path_in(dir, name);
        if (seg_write_png(p, a.w, a.h, 3, a.rgb, err, sizeof err)) fail_msg("%s", err);
        if (seg_image_load(p, &b, err, sizeof err)) fail_msg("%s", err);
        assert_int_equal(b.w, a.w);
        assert_int_equal(b.h, a.h);
        assert_memory_equal(a.rgb, b.rgb, (size_t)a.w * a.h * 3);
        struct stat st;
        assert_int_equal(stat(p, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0644);
        seg_image_free(&a);
        seg_image_free(&b);
    }
    assert_int_equal(dir_entries(dir), 4); /* no temporaries left */
    /* A grey (1-channel) PNG loads as RGB with equal channels. */
    uint8_t grey[5 * 3];
    for (int i = 0; i < 15; i++)
        grey[i] = (uint8_t)(i * 17);
    char err[SEG_ERR_LEN];
    seg_image g;
    assert_int_equal(seg_write_png(path_in(dir, "grey.png"), 5, 3, 1, grey, err, sizeof err), 0);
    assert_int_equal(seg_image_load(path_in(dir, "grey.png"), &g, err, sizeof err), 0);
    for (int i = 0; i < 15; i++)
        for (int c = 0; c < 3; c++)
            assert_int_equal(g.rgb[i * 3 + c], grey[i]);
    seg_image_free(&g);
    /* JPEG of a smooth picture. */
    int w = 45, h = 31;
    uint8_t *px = malloc((size_t)w * h * 3);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            px[(y * w + x) * 3] = (uint8_t)(x * 5);
            px[(y * w + x) * 3 + 1] = (uint8_t)(y * 7);
            px[(y * w + x) * 3 + 2] = (uint8_t)(100 + x + y);
        }
    assert_true(stbi_write_jpg(path_in(dir, "smooth.jpg"), w, h, 3, px, 95));
    assert_int_equal(seg_image_load(path_in(dir, "smooth.jpg"), &g, err, sizeof err), 0);
    assert_int_equal(g.w, w);
    assert_int_equal(g.h, h);
    int worst = 0;
    for (int i = 0; i < w * h * 3; i++)
        worst = abs(g.rgb[i] - px[i]) > worst ? abs(g.rgb[i] - px[i]) : worst;
    printf("JPEG q95 round trip: max difference %d levels\n", worst);
    assert_true(worst <= 12);
    seg_image_free(&g);
    free(px);
}

static uint32_t crc32_ref(const uint8_t *p, size_t n) {
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & -(c & 1));
    }
    return ~c;
}

static void put32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

/* A PNG made of the signature, an IHDR for w x h RGB8 and IEND, with correct CRCs and no pixel data. */
static size_t png_header_only(uint8_t *b, uint32_t w, uint32_t h) {
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    memcpy(b, sig, 8);
    put32(b + 8, 13);
    memcpy(b + 12, "IHDR", 4);
    put32(b + 16, w);
    put32(b + 20, h);
    b[24] = 8, b[25] = 2, b[26] = 0, b[27] = 0, b[28] = 0;
    put32(b + 29, crc32_ref(b + 12, 17));
    put32(b + 33, 0);
    memcpy(b + 37, "IEND", 4);
    put32(b + 41, crc32_ref(b + 37, 4));
    return 45;
}

static void expect_refusal(const char *path, const char *needle) {
    seg_image img = {5, 5, (uint8_t *)&img};
    char err[SEG_ERR_LEN] = "";
    int r = seg_image_load(path, &img, err, sizeof err);
    if (r != -1) fail_msg("%s: loaded (%dx%d), expected a refusal with '%s'", path, img.w, img.h, needle);
    assert_null(img.rgb);
    assert_int_equal(img.w, 0);
    if (!strstr(err, needle)) fail_msg("%s: message '%s' lacks '%s'", path, err, needle);
    assert_null(strchr(err, '\n'));
    printf("refused as expected: %s\n", err);
}

static void test_bad_images(void **state) {
    (void)state;
    const char *dir = test_tmpdir("seg-bad");
    char err[SEG_ERR_LEN];
    expect_refusal(path_in(dir, "missing.png"), "cannot open");
    expect_refusal(dir, "not a regular file");
    write_bytes(path_in(dir, "empty.png"), "", 0);
    expect_refusal(path_in(dir, "empty.png"), "empty file");
    const char text[] = "this is a text file, not an image\n";
    write_bytes(path_in(dir, "text.png"), text, sizeof text - 1);
    expect_refusal(path_in(dir, "text.png"), "not a readable PNG/JPEG image");
    /* Truncated: a valid noisy PNG cut in half (the header still reads, the pixels do not). */
    uint64_t seed = TEST_SEED ^ 5;
    seg_image a;
    random_image(&a, 64, 48, &seed);
    uint8_t *png;
    size_t size;
    assert_int_equal(seg_png_encode(a.w, a.h, 3, a.rgb, &png, &size, err, sizeof err), 0);
    write_bytes(path_in(dir, "truncated.png"), png, size / 2);
    expect_refusal(path_in(dir, "truncated.png"), "corrupt or truncated");
    write_bytes(path_in(dir, "whole.png"), png, size);
    seg_image b;
    assert_int_equal(seg_image_load(path_in(dir, "whole.png"), &b, err, sizeof err), 0); /* the control */
    seg_image_free(&b);
    free(png);
    seg_image_free(&a);
    uint8_t hdr[64];
    write_bytes(path_in(dir, "zero.png"), hdr, png_header_only(hdr, 0, 0));
    expect_refusal(path_in(dir, "zero.png"), "empty (0x0 pixels)");
    write_bytes(path_in(dir, "zero_w.png"), hdr, png_header_only(hdr, 0, 7));
    expect_refusal(path_in(dir, "zero_w.png"), "empty (0x7 pixels)");
    /* Over the cap, judged from the header: a header-only file says "cap", not "corrupt". */
    write_bytes(path_in(dir, "huge.png"), hdr, png_header_only(hdr, 9000, 9000));
    expect_refusal(path_in(dir, "huge.png"), "9000x9000 pixels exceeds the 8192x8192 cap");
    write_bytes(path_in(dir, "tall.png"), hdr, png_header_only(hdr, 1, 8193));
    expect_refusal(path_in(dir, "tall.png"), "1x8193 pixels exceeds");
    write_bytes(path_in(dir, "vast.png"), hdr, png_header_only(hdr, 1u << 30, 1u << 30)); /* beyond libpng's own limit */
    expect_refusal(path_in(dir, "vast.png"), "exceeds the 8192x8192 cap");
    /* A real JPEG just over the cap (8193 x 2): libjpeg reads its header, nothing is decoded. */
    uint8_t *row = calloc(8193 * 2 * 3, 1);
    assert_true(stbi_write_jpg(path_in(dir, "wide.jpg"), 8193, 2, 3, row, 50));
    expect_refusal(path_in(dir, "wide.jpg"), "8193x2 pixels exceeds the 8192x8192 cap");
    /* ... and 8192 x 2 loads. */
    assert_true(stbi_write_jpg(path_in(dir, "edge.jpg"), 8192, 2, 3, row, 50));
    assert_int_equal(seg_image_load(path_in(dir, "edge.jpg"), &b, err, sizeof err), 0);
    assert_int_equal(b.w, 8192);
    seg_image_free(&b);
    free(row);
}

/* ---- JPEG variants, written with libjpeg itself ------------------------------------------------------------- */

typedef enum { JPG_BASELINE, JPG_PROGRESSIVE, JPG_MANY_SCANS } jpg_kind;

/* Encodes px (w x h, comps 1 = grey, 3 = RGB, 4 = CMYK) at quality 95. JPG_MANY_SCANS writes a valid progressive
 * file with one scan per component and AC coefficient: 1 + 63 x comps scans. Returns a malloc'd buffer. */
static uint8_t *jpeg_encode(const uint8_t *px, int w, int h, int comps, jpg_kind kind, unsigned long *size) {
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr e;
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    unsigned char *buf = NULL;
    *size = 0;
    jpeg_mem_dest(&c, &buf, size);
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = comps;
    c.in_color_space = comps == 1 ? JCS_GRAYSCALE : comps == 3 ? JCS_RGB : JCS_CMYK;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 95, TRUE);
    static jpeg_scan_info scans[1 + 63 * 4];
    if (kind == JPG_PROGRESSIVE) jpeg_simple_progression(&c);
    if (kind == JPG_MANY_SCANS) {
        int n = 0;
        scans[n].comps_in_scan = comps;
        for (int k = 0; k < comps; k++)
            scans[n].component_index[k] = k;
        scans[n].Ss = scans[n].Se = scans[n].Ah = scans[n].Al = 0;
        n++;
        for (int k = 0; k < comps; k++)
            for (int coef = 1; coef < 64; coef++, n++) {
                scans[n].comps_in_scan = 1;
                scans[n].component_index[0] = k;
                scans[n].Ss = scans[n].Se = coef;
                scans[n].Ah = scans[n].Al = 0;
            }
        c.scan_info = scans;
        c.num_scans = n;
    }
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = (JSAMPROW)(px + (size_t)c.next_scanline * w * comps);
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    return buf;
}

static int max_diff(const uint8_t *a, const uint8_t *b, size_t n) {
    int worst = 0;
    for (size_t i = 0; i < n; i++)
        worst = abs(a[i] - b[i]) > worst ? abs(a[i] - b[i]) : worst;
    return worst;
}

/* Progressive and greyscale JPEGs decode like baseline ones (max 12 levels at q95 on a smooth picture, the bound of
 * the round trip above); truncated, CMYK, undefined-table and 190-scan files are refused with the reason. */
static void test_jpeg_variants(void **state) {
    (void)state;
    const char *dir = test_tmpdir("seg-jpeg");
    char err[SEG_ERR_LEN];
    int w = 53, h = 29;
    uint8_t *px = malloc((size_t)w * h * 4), *grey = malloc((size_t)w * h);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t *p = px + ((size_t)y * w + x) * 3;
            p[0] = (uint8_t)(x * 4), p[1] = (uint8_t)(y * 8), p[2] = (uint8_t)(90 + x + y);
            grey[y * w + x] = (uint8_t)(30 + 2 * x + 3 * y);
        }
    unsigned long n;
    seg_image g;
    /* progressive RGB */
    uint8_t *j = jpeg_encode(px, w, h, 3, JPG_PROGRESSIVE, &n);
    write_bytes(path_in(dir, "progressive.jpg"), j, n);
    assert_int_equal(seg_image_load(path_in(dir, "progressive.jpg"), &g, err, sizeof err), 0);
    assert_int_equal(g.w, w);
    assert_int_equal(g.h, h);
    int worst = max_diff(g.rgb, px, (size_t)w * h * 3);
    printf("progressive JPEG q95: max difference %d levels\n", worst);
    assert_true(worst <= 12);
    seg_image_free(&g);
    /* truncated: the same file cut before its last scans */
    write_bytes(path_in(dir, "progressive_cut.jpg"), j, n * 2 / 3);
    expect_refusal(path_in(dir, "progressive_cut.jpg"), "corrupt or truncated image");
    free(j);
    /* baseline, truncated in the entropy-coded data */
    j = jpeg_encode(px, w, h, 3, JPG_BASELINE, &n);
    size_t sos = 0;
    for (size_t i = 0; i + 1 < n; i++)
        if (j[i] == 0xFF && j[i + 1] == 0xDA) {
            sos = i;
            break;
        }
    assert_true(sos > 0 && j[sos + 4] == 3);
    write_bytes(path_in(dir, "baseline_cut.jpg"), j, sos + (n - sos) / 2);
    expect_refusal(path_in(dir, "baseline_cut.jpg"), "corrupt or truncated image (Premature end of JPEG file)");
    /* a scan that selects Huffman tables no DHT segment defined: libjpeg refuses, stb 2.27 read garbage tables */
    j[sos + 6] = 0x23; /* component 1: DC table 2, AC table 3 */
    write_bytes(path_in(dir, "undefined_table.jpg"), j, n);
    expect_refusal(path_in(dir, "undefined_table.jpg"), "Huffman table");
    free(j);
    /* greyscale: three equal channels */
    j = jpeg_encode(grey, w, h, 1, JPG_BASELINE, &n);
    write_bytes(path_in(dir, "grey.jpg"), j, n);
    free(j);
    assert_int_equal(seg_image_load(path_in(dir, "grey.jpg"), &g, err, sizeof err), 0);
    worst = 0;
    for (int i = 0; i < w * h; i++) {
        assert_int_equal(g.rgb[i * 3], g.rgb[i * 3 + 1]);
        assert_int_equal(g.rgb[i * 3], g.rgb[i * 3 + 2]);
        worst = abs(g.rgb[i * 3] - grey[i]) > worst ? abs(g.rgb[i * 3] - grey[i]) : worst;
    }
    printf("greyscale JPEG q95: max difference %d levels\n", worst);
    assert_true(worst <= 12);
    seg_image_free(&g);
    /* CMYK has no RGB conversion in libjpeg: refused, not mis-coloured */
    memset(px, 128, (size_t)w * h * 4);
    j = jpeg_encode(px, w, h, 4, JPG_BASELINE, &n);
    write_bytes(path_in(dir, "cmyk.jpg"), j, n);
    free(j);
    expect_refusal(path_in(dir, "cmyk.jpg"), "Unsupported color conversion");
    /* 190 scans: a valid file, but past the demo's cap of 100 */
    j = jpeg_encode(px, w, h, 3, JPG_MANY_SCANS, &n);
    write_bytes(path_in(dir, "many_scans.jpg"), j, n);
    free(j);
    expect_refusal(path_in(dir, "many_scans.jpg"), "more than 100 progressive scans");
    free(px);
    free(grey);
}

static void test_outputs_atomic(void **state) {
    (void)state;
    const char *dir = test_tmpdir("seg-out");
    char err[SEG_ERR_LEN];
    uint8_t px[2 * 2 * 3] = {0};
    /* Unwritable destinations. */
    assert_int_equal(seg_check_writable("/nonexistent/dir/x", err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/dir/x: cannot write output files there"));
    assert_int_equal(seg_write_png("/nonexistent/dir/x_mask.png", 2, 2, 3, px, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot create the output file"));
    assert_int_equal(seg_check_writable(path_in(dir, "ok"), err, sizeof err), 0);
    assert_int_equal(dir_entries(dir), 0);
    /* All or nothing: the second destination is a folder, so its rename fails; the first must not remain. */
    assert_int_equal(mkdir(path_in(dir, "b.png"), 0755), 0);
    seg_stage s;
    seg_stage_init(&s);
    assert_int_equal(seg_stage_png(&s, path_in(dir, "a.png"), 2, 2, 3, px, err, sizeof err), 0);
    assert_int_equal(seg_stage_png(&s, path_in(dir, "b.png"), 2, 2, 3, px, err, sizeof err), 0);
    assert_int_equal(seg_stage_bytes(&s, path_in(dir, "c.json"), "[]\n", 3, err, sizeof err), 0);
    assert_int_equal(dir_entries(dir), 4); /* b.png folder + three temporaries */
    assert_int_equal(seg_stage_commit(&s, err, sizeof err), -1);
    assert_non_null(strstr(err, "b.png: cannot rename"));
    assert_int_equal(dir_entries(dir), 1); /* only the folder */
    assert_int_equal(access(path_in(dir, "a.png"), F_OK), -1);
    /* Abort removes the temporaries; commit of a good set leaves exactly the files. */
    seg_stage_init(&s);
    assert_int_equal(seg_stage_png(&s, path_in(dir, "a.png"), 2, 2, 3, px, err, sizeof err), 0);
    seg_stage_abort(&s);
    assert_int_equal(dir_entries(dir), 1);
    assert_int_equal(seg_stage_png(&s, path_in(dir, "a.png"), 2, 2, 3, px, err, sizeof err), 0);
    assert_int_equal(seg_stage_bytes(&s, path_in(dir, "c.json"), "[]\n", 3, err, sizeof err), 0);
    assert_int_equal(seg_stage_commit(&s, err, sizeof err), 0);
    assert_int_equal(dir_entries(dir), 3);
    assert_int_equal(access(path_in(dir, "c.json"), R_OK), 0);
}

/* ---- preprocessing ----------------------------------------------------------------------------------------- */

static double ref_sample(const seg_image *img, int c, double sx, double sy) {
    /* half-pixel centres, clamped at the borders */
    sx = sx < 0 ? 0 : sx;
    sy = sy < 0 ? 0 : sy;
    int x0 = (int)floor(sx), y0 = (int)floor(sy);
    if (x0 > img->w - 1) x0 = img->w - 1;
    if (y0 > img->h - 1) y0 = img->h - 1;
    int x1 = x0 + 1 < img->w ? x0 + 1 : img->w - 1, y1 = y0 + 1 < img->h ? y0 + 1 : img->h - 1;
    double fx = x1 == x0 ? 0 : sx - x0, fy = y1 == y0 ? 0 : sy - y0;
#define PX(x, y) (double)img->rgb[((size_t)(y) * img->w + (x)) * 3 + c]
    return (1 - fy) * ((1 - fx) * PX(x0, y0) + fx * PX(x1, y0)) + fy * ((1 - fx) * PX(x0, y1) + fx * PX(x1, y1));
#undef PX
}

static void test_preprocess(void **state) {
    (void)state;
    static const double mean[3] = {0.485, 0.456, 0.406}, sd[3] = {0.229, 0.224, 0.225};
    uint64_t seed = TEST_SEED ^ 6;
    static const int cases[][4] = {{37, 23, 64, 32}, {37, 23, 32, 32}, {101, 67, 96, 64}, {1, 1, 32, 32}, {5, 300, 32, 288}};
    double worst = 0;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        seg_image img;
        random_image(&img, cases[k][0], cases[k][1], &seed);
        int w = cases[k][2], h = cases[k][3];
        float *out = malloc(sizeof(float) * 3 * (size_t)w * h);
        seg_preprocess(&img, w, h, out);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    double sx = (x + 0.5) * img.w / w - 0.5, sy = (y + 0.5) * img.h / h - 0.5;
                    double ref = (ref_sample(&img, c, sx, sy) / 255.0 - mean[c]) / sd[c];
                    double e = fabs(out[((size_t)c * h + y) * w + x] - ref);
                    worst = e > worst ? e : worst;
                    if (!(e <= 1e-5)) fail_msg("case %zu c%d (%d,%d): %f vs %f", k, c, x, y, (double)out[((size_t)c * h + y) * w + x], ref);
                }
        free(out);
        seg_image_free(&img);
    }
    printf("preprocessing: worst difference %.3g\n", worst);
    /* Bilinear u8 resize: within half a level of the double reference (rounding). */
    seg_image img, r;
    random_image(&img, 29, 17, &seed);
    char err[SEG_ERR_LEN];
    assert_int_equal(seg_image_resize(&img, 41, 9, &r, err, sizeof err), 0);
    for (int c = 0; c < 3; c++)
        for (int y = 0; y < 9; y++)
            for (int x = 0; x < 41; x++) {
                double ref = ref_sample(&img, c, (x + 0.5) * 29 / 41 - 0.5, (y + 0.5) * 17 / 9.0 - 0.5);
                near("resize", r.rgb[(y * 41 + x) * 3 + c], ref, 0.5 + 1e-3);
            }
    seg_image_free(&img);
    seg_image_free(&r);
}

/* PP-OCR's DetResizeForTest (limit_type max) in double, Python's round replaced by half-away. */
static void test_target_size(void **state) {
    (void)state;
    static const int cases[][3] = {{1920, 1080, 960}, {1080, 1920, 960}, {640, 480, 960}, {17, 5, 960},
                                   {8192, 31, 960},  {500, 333, 100},  {1000, 1000, 959}, {33, 49, 32}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        int w = cases[k][0], h = cases[k][1], m = cases[k][2], ow, oh;
        assert_int_equal(seg_target_size(w, h, m, &ow, &oh), 0);
        double ratio = (w > h ? w : h) > m ? (double)m / (w > h ? w : h) : 1.0;
        int ref[2] = {(int)(w * ratio), (int)(h * ratio)};
        for (int i = 0; i < 2; i++) {
            int v = (int)floor(ref[i] / 32.0 + 0.5) * 32;
            ref[i] = v < 32 ? 32 : v > m / 32 * 32 ? m / 32 * 32 : v;
        }
        if (ow != ref[0] || oh != ref[1]) fail_msg("%dx%d max %d: %dx%d, expected %dx%d", w, h, m, ow, oh, ref[0], ref[1]);
        assert_true(ow % 32 == 0 && oh % 32 == 0 && ow <= m && oh <= m && ow >= 32 && oh >= 32);
    }
    int ow, oh;
    assert_int_equal(seg_target_size(10, 10, 31, &ow, &oh), -1);
    assert_int_equal(seg_target_size(0, 10, 960, &ow, &oh), -1);
}

/* ---- outputs and pictures ---------------------------------------------------------------------------------- */

static void test_prob_and_output_checks(void **state) {
    (void)state;
    float p[5] = {0, 0.25f, 1, 0.5f, NAN}, q[5] = {-3, 0.5f, 2, 40, NAN};
    assert_int_equal(seg_prob_normalise(p, 5), 0);
    assert_true(p[1] == 0.25f && p[2] == 1 && p[4] == 0);
    double orig[5] = {-3, 0.5, 2, 40, -INFINITY};
    assert_int_equal(seg_prob_normalise(q, 5), 1);
    for (int i = 0; i < 5; i++)
        near("sigmoid", q[i], 1 / (1 + exp(-orig[i])), 1e-6);
    char err[SEG_ERR_LEN];
    int64_t d3[3] = {1, 5, 5}, d1[4] = {1, 1, 17, 9}, d21[4] = {1, 21, 17, 9}, d2b[4] = {2, 21, 17, 9};
    assert_int_equal(seg_check_output(3, d3, 0, err, sizeof err), -1);
    assert_non_null(strstr(err, "3-D; the demo needs a 4-D"));
    assert_int_equal(seg_check_output(4, d2b, 0, err, sizeof err), -1);
    assert_int_equal(seg_check_output(4, d1, 0, err, sizeof err), 1);
    assert_int_equal(seg_check_output(4, d21, 0, err, sizeof err), 2);
    assert_int_equal(seg_check_output(4, d1, 1, err, sizeof err), 1);
    assert_int_equal(seg_check_output(4, d21, 2, err, sizeof err), 2);
    assert_int_equal(seg_check_output(4, d21, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "21 channels"));
    assert_int_equal(seg_check_output(4, d1, 2, err, sizeof err), -1);
}

static void test_pictures(void **state) {
    (void)state;
    /* The published PASCAL VOC 2012 palette of the 21 classes. */
    static const uint8_t voc[21][3] = {{0, 0, 0},       {128, 0, 0},   {0, 128, 0},    {128, 128, 0},  {0, 0, 128},
                                       {128, 0, 128},   {0, 128, 128}, {128, 128, 128}, {64, 0, 0},    {192, 0, 0},
                                       {64, 128, 0},    {192, 128, 0}, {64, 0, 128},   {192, 0, 128},  {64, 128, 128},
                                       {192, 128, 128}, {0, 64, 0},    {128, 64, 0},   {0, 192, 0},    {128, 192, 0},
                                       {0, 64, 128}};
    for (int c = 0; c < 21; c++) {
        uint8_t rgb[3];
        seg_voc_color(c, rgb);
        assert_memory_equal(rgb, voc[c], 3);
    }
    /* Class map 7x5 to a 23x11 image by nearest neighbour. */
    int64_t cls[35];
    for (int i = 0; i < 35; i++)
        cls[i] = (i * 7) % 21;
    uint8_t img[23 * 11 * 3], fg[23 * 11];
    seg_class_image(cls, 7, 5, 23, 11, img);
    seg_foreground(NULL, 0, cls, 7, 5, 23, 11, fg);
    for (int y = 0; y < 11; y++)
        for (int x = 0; x < 23; x++) {
            int sx = (int)floor((x + 0.5) * 7 / 23), sy = (int)floor((y + 0.5) * 5 / 11);
            assert_memory_equal(img + (y * 23 + x) * 3, voc[cls[sy * 7 + sx]], 3);
            assert_int_equal(fg[y * 23 + x], cls[sy * 7 + sx] != 0);
        }
    /* Heat colours: the ends and monotone red towards 1 from the middle. */
    uint8_t lo[3], hi[3], mid[3];
    seg_heat_color(0, lo);
    seg_heat_color(1, hi);
    seg_heat_color(0.5f, mid);
    assert_true(lo[2] > lo[0] && hi[0] > hi[2] && mid[1] > mid[2] / 2);
    /* Rectangles: a pixel changes iff inside the box and within 2 of one of its edges (clipped). */
    static const int boxes[][4] = {{3, 2, 15, 9}, {-4, -3, 5, 4}, {20, 8, 30, 20}, {10, 4, 12, 6}};
    for (size_t k = 0; k < sizeof boxes / sizeof boxes[0]; k++) {
        uint8_t can[23 * 11 * 3];
        static const uint8_t red[3] = {255, 0, 0};
        memset(can, 0, sizeof can);
        const int *b = boxes[k];
        seg_draw_rect(can, 23, 11, b[0], b[1], b[2], b[3], 2, red);
        for (int y = 0; y < 11; y++)
            for (int x = 0; x < 23; x++) {
                int in = x >= b[0] && x < b[2] && y >= b[1] && y < b[3];
                int edge = x < b[0] + 2 || x >= b[2] - 2 || y < b[1] + 2 || y >= b[3] - 2;
                if (can[(y * 23 + x) * 3] != ((in && edge) ? 255 : 0)) fail_msg("box %zu pixel (%d, %d)", k, x, y);
            }
    }
    /* Quads: a pixel changes iff its centre is within 1 pixel (along x and y) of a point of an edge, for a 2-px
     * line; checked against the segment distance computed here, with half a pixel of slack either way for the
     * brush's stepping. */
    static const float quads[][8] = {{3, 2, 18, 4, 16, 9, 2, 7}, {-5, 1, 10, -3, 25, 12, 5, 14}};
    for (size_t k = 0; k < sizeof quads / sizeof quads[0]; k++) {
        uint8_t can[23 * 11 * 3];
        static const uint8_t c1[3] = {1, 2, 3};
        memset(can, 0, sizeof can);
        seg_draw_quad(can, 23, 11, quads[k], 2, c1);
        for (int y = 0; y < 11; y++)
            for (int x = 0; x < 23; x++) {
                double cx = x + 0.5, cy = y + 0.5, best = INFINITY; /* Chebyshev distance to the outline */
                for (int e = 0; e < 4; e++) {
                    const float *q = quads[k];
                    double ax = q[2 * e], ay = q[2 * e + 1], bx = q[2 * ((e + 1) % 4)], by = q[2 * ((e + 1) % 4) + 1];
                    for (int i = 0; i <= 2000; i++) {
                        double t = i / 2000.0, px = ax + (bx - ax) * t, py = ay + (by - ay) * t;
                        best = fmin(best, fmax(fabs(px - cx), fabs(py - cy)));
                    }
                }
                int on = can[(y * 23 + x) * 3] == 1;
                if (best < 0.5 && !on) fail_msg("quad %zu: pixel (%d, %d) at %.2f from the outline not drawn", k, x, y, best);
                if (best > 1.5 && on) fail_msg("quad %zu: pixel (%d, %d) at %.2f from the outline drawn", k, x, y, best);
            }
    }
    /* Blend: (a + m + 1) / 2 on foreground, a elsewhere. */
    seg_image im = {2, 1, (uint8_t[]){10, 20, 30, 40, 50, 60}};
    uint8_t mask[6] = {255, 0, 100, 0, 0, 0}, f[2] = {1, 0}, out[6];
    seg_blend(&im, mask, f, out);
    uint8_t want[6] = {133, 10, 65, 40, 50, 60};
    assert_memory_equal(out, want, 6);
}

/* ---- command line ------------------------------------------------------------------------------------------ */

static int parse(seg_args *a, char *err, const char *const *argv) {
    int argc = 0;
    while (argv[argc])
        argc++;
    return seg_parse_args(argc, (char **)argv, a, err, SEG_ERR_LEN);
}

static void test_cli(void **state) {
    (void)state;
    seg_args a;
    char err[SEG_ERR_LEN];
    assert_int_equal(parse(&a, err, (const char *const[]){"demo", "in.png", "out/x", NULL}), 0);
    assert_true(a.mode == 0 && a.threshold == 0.3f && a.box_threshold == 0.6f && a.unclip == 1.5f && a.max_side == 960);
    assert_null(a.model);
    assert_string_equal(a.image, "in.png");
    assert_string_equal(a.out_prefix, "out/x");
    assert_int_equal(parse(&a, err, (const char *const[]){"demo", "-m", "m.onnx", "--device=pocl", "--mode", "classes",
                                                          "-t", "0.4", "--box-threshold=0.7", "-u", "2", "-s", "640",
                                                          "-r", "3", "i.jpg", "o", NULL}),
                     0);
    assert_string_equal(a.model, "m.onnx");
    assert_string_equal(a.device, "pocl");
    assert_true(a.mode == 2 && a.threshold == 0.4f && a.box_threshold == 0.7f && a.unclip == 2.0f && a.max_side == 640 &&
                a.runs == 3);
    assert_int_equal(parse(&a, err, (const char *const[]){"demo", "--mode=binary", "--", "-odd.png", "o", NULL}), 0);
    assert_true(a.mode == 1);
    assert_string_equal(a.image, "-odd.png");
    assert_int_equal(parse(&a, err, (const char *const[]){"demo", "--help", NULL}), 0);
    assert_true(a.help);
    struct {
        const char *const argv[8];
        const char *msg;
    } bad[] = {
        {{"demo", NULL}, "missing IMAGE and OUT_PREFIX"},
        {{"demo", "in.png", NULL}, "missing OUT_PREFIX"},
        {{"demo", "a", "b", "c", NULL}, "unexpected argument 'c'"},
        {{"demo", "--frobnicate", "a", "b", NULL}, "unknown option '--frobnicate'"},
        {{"demo", "a", "b", "--model", NULL}, "option --model needs a value"},
        {{"demo", "--mode", "colour", "a", "b", NULL}, "--mode: 'colour' is not binary or classes"},
        {{"demo", "-t", "1.5", "a", "b", NULL}, "-t: '1.5' is not a number in [0, 1]"},
        {{"demo", "--threshold=x", "a", "b", NULL}, "--threshold: 'x' is not a number"},
        {{"demo", "--max-side", "31", "a", "b", NULL}, "--max-side: '31' is not an integer in [32, 8192]"},
        {{"demo", "-s", "96x", "a", "b", NULL}, "-s: '96x' is not an integer"},
        {{"demo", "--unclip", "-1", "a", "b", NULL}, "--unclip: '-1' is not a number in [0, 10]"},
        {{"demo", "--box-threshold=", "a", "b", NULL}, "--box-threshold: '' is not a number"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        err[0] = '\0';
        assert_int_equal(parse(&a, err, bad[k].argv), -1);
        if (!strstr(err, bad[k].msg)) fail_msg("case %zu: '%s' lacks '%s'", k, err, bad[k].msg);
    }
}

static void test_default_model(void **state) {
    (void)state;
    const char *home = test_tmpdir("seg-home"), *src = test_tmpdir("seg-src");
    char path[SEG_PATH_LEN], err[SEG_ERR_LEN], cache[1024], shared[1024], src_dir[1024], d[1024];
    snprintf(src_dir, sizeof src_dir, "%s/checkout", src);
    snprintf(cache, sizeof cache, "%s/.cache/oclnn/models/" SEG_MODEL_FILE, home);
    snprintf(shared, sizeof shared, "%s/checkout/../shared/models/" SEG_MODEL_FILE, src);
    /* None exists: one message naming all three. */
    assert_int_equal(seg_default_model(NULL, NULL, home, src_dir, path, sizeof path, err, sizeof err), -1);
    assert_non_null(strstr(err, "$OCLNN_MODEL"));
    assert_non_null(strstr(err, cache));
    assert_non_null(strstr(err, shared));
    assert_non_null(strstr(err, "scripts/get-model.sh"));
    /* The checkout's copy. */
    snprintf(d, sizeof d, "%s/checkout", src), mkdir(d, 0755);
    snprintf(d, sizeof d, "%s/shared", src), mkdir(d, 0755);
    snprintf(d, sizeof d, "%s/shared/models", src), mkdir(d, 0755);
    write_bytes(shared, "x", 1);
    assert_int_equal(seg_default_model("", NULL, home, src_dir, path, sizeof path, err, sizeof err), 0);
    assert_string_equal(path, shared);
    /* The user cache wins over it. */
    snprintf(d, sizeof d, "%s/.cache", home), mkdir(d, 0755);
    snprintf(d, sizeof d, "%s/.cache/oclnn", home), mkdir(d, 0755);
    snprintf(d, sizeof d, "%s/.cache/oclnn/models", home), mkdir(d, 0755);
    write_bytes(cache, "x", 1);
    assert_int_equal(seg_default_model(NULL, NULL, home, src_dir, path, sizeof path, err, sizeof err), 0);
    assert_string_equal(path, cache);
    /* $OCLNN_MODELS_DIR replaces the cache folder. */
    assert_int_equal(seg_default_model(NULL, src, home, NULL, path, sizeof path, err, sizeof err), -1);
    assert_non_null(strstr(err, src));
    /* $OCLNN_MODEL wins, and must exist. */
    assert_int_equal(seg_default_model(shared, NULL, home, src_dir, path, sizeof path, err, sizeof err), 0);
    assert_string_equal(path, shared);
    assert_int_equal(seg_default_model("/nonexistent/m.onnx", NULL, home, src_dir, path, sizeof path, err, sizeof err), -1);
    assert_non_null(strstr(err, "$OCLNN_MODEL names /nonexistent/m.onnx"));
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_components_crafted),
        cmocka_unit_test(test_components_random),
        cmocka_unit_test(test_boxes_unclip_scale_score),
        cmocka_unit_test(test_boxes_filters),
        cmocka_unit_test(test_min_area_rect),
        cmocka_unit_test(test_rotated_component),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_png_round_trip),
        cmocka_unit_test(test_bad_images),
        cmocka_unit_test(test_jpeg_variants),
        cmocka_unit_test(test_outputs_atomic),
        cmocka_unit_test(test_preprocess),
        cmocka_unit_test(test_target_size),
        cmocka_unit_test(test_prob_and_output_checks),
        cmocka_unit_test(test_pictures),
        cmocka_unit_test(test_cli),
        cmocka_unit_test(test_default_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
