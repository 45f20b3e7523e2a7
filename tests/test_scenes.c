/* test_scenes.c - the segmentation demo's pipeline (demos/seg_*.c: preprocessing, PP-OCRv4's detector on the graph
 * runtime, DB post-processing) on the four generated scenes of demos/data, against their true line boxes:
 * - every true box is found with IoU >= 0.5 (the ICDAR criterion), with at most one extra box;
 * - >= 80% of the thresholded mask lies inside the true boxes dilated by 4 pixels.
 * The model: $OCLNN_MODEL, else $OCLNN_MODELS_DIR (default ~/.cache/oclnn/models)/ch_PP-OCRv4_det_infer.onnx
 * (scripts/get-model.sh), else the checkout's ../shared/models copy; the test fails when none exists.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "device/clw.h"
#include "seg_image.h"
#include "seg_post.h"

#define DILATE 4
#define MAX_TRUE 32

static char model_path[2048];
static const char *data_dir; /* demos/data */

static int exists(const char *p) {
    FILE *f = fopen(p, "rb");
    if (f) fclose(f);
    return f != NULL;
}

static int find_model(void) {
    const char *e = getenv("OCLNN_MODEL");
    if (e && exists(e)) return snprintf(model_path, sizeof model_path, "%s", e), 1;
    const char *md = getenv("OCLNN_MODELS_DIR");
    char buf[2048];
    if (md && *md) snprintf(buf, sizeof buf, "%s/ch_PP-OCRv4_det_infer.onnx", md);
    else snprintf(buf, sizeof buf, "%s/.cache/oclnn/models/ch_PP-OCRv4_det_infer.onnx", getenv("HOME") ? getenv("HOME") : ".");
    if (exists(buf)) return snprintf(model_path, sizeof model_path, "%s", buf), 1;
    const char *shared[] = {"/../../shared/models/ch_PP-OCRv4_det_infer.onnx",
                            "/../../../shared/models/ch_PP-OCRv4_det_infer.onnx"};
    for (int i = 0; i < 2; i++) {
        snprintf(buf, sizeof buf, "%s%s", data_dir, shared[i]);
        if (exists(buf)) return snprintf(model_path, sizeof model_path, "%s", buf), 1;
    }
    return 0;
}

/* "boxes": [[x0, y0, x1, y1], ...] of the scene generator's JSON. */
static int read_true_boxes(const char *path, double boxes[][4]) {
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *s = strstr(buf, "\"boxes\"");
    if (!s || !(s = strchr(s, '['))) return -1;
    int count = 0;
    s++;
    while (count < MAX_TRUE) {
        char *open = strchr(s, '['), *close = strchr(s, ']');
        if (!open || (close && close < open)) break; /* the list's closing bracket */
        if (sscanf(open, "[%lf, %lf, %lf, %lf]", &boxes[count][0], &boxes[count][1], &boxes[count][2],
                   &boxes[count][3]) != 4)
            return -1;
        count++;
        s = strchr(open, ']') + 1;
    }
    return count;
}

static double iou(const double a[4], const double b[4]) {
    double ix = fmin(a[2], b[2]) - fmax(a[0], b[0]), iy = fmin(a[3], b[3]) - fmax(a[1], b[1]);
    if (ix <= 0 || iy <= 0) return 0;
    double inter = ix * iy, ua = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
    return inter / ua;
}

static void check_scene(oclnn_context *ctx, const char *stem) {
    char path[2048], err[512];
    snprintf(path, sizeof path, "%s/%s.png", data_dir, stem);
    seg_image img;
    if (seg_image_load(path, &img, err, sizeof err)) fail_msg("%s: %s", path, err);
    snprintf(path, sizeof path, "%s/%s_boxes.json", data_dir, stem);
    double truth[MAX_TRUE][4];
    int nt = read_true_boxes(path, truth);
    if (nt <= 0) fail_msg("%s: no true boxes", path);
    int w, h;
    assert_int_equal(seg_target_size(img.w, img.h, 960, &w, &h), 0);
    float *in = malloc((size_t)3 * w * h * sizeof(float)), *prob = malloc((size_t)w * h * sizeof(float));
    assert_non_null(in);
    assert_non_null(prob);
    seg_preprocess(&img, w, h, in);
    oclnn_graph *g;
    oclnn_runtime *rt;
    assert_ok(ctx, oclnn_onnx_load_file(ctx, model_path, &g));
    int64_t dims[4] = {1, 3, h, w};
    assert_ok(ctx, oclnn_graph_fix_input(g, oclnn_graph_input_name(g, 0), 4, dims));
    assert_ok(ctx, oclnn_runtime_create(ctx, g, NULL, &rt));
    oclnn_graph_destroy(g);
    assert_ok(ctx, oclnn_runtime_set_input(rt, oclnn_runtime_input_name(rt, 0), in, (size_t)3 * w * h * sizeof(float)));
    assert_ok(ctx, oclnn_runtime_invoke(rt));
    assert_ok(ctx, oclnn_runtime_get_output(rt, oclnn_runtime_output_name(rt, 0), prob, (size_t)w * h * sizeof(float)));
    oclnn_runtime_destroy(rt);

    seg_post_params pp;
    seg_post_params_init(&pp);
    seg_box *boxes = NULL;
    int nb = 0;
    assert_int_equal(seg_db_boxes(prob, w, h, img.w, img.h, &pp, &boxes, &nb), 0);
    int matched_boxes = 0;
    double worst = 1;
    for (int t = 0; t < nt; t++) {
        double best = 0;
        for (int b = 0; b < nb; b++) {
            double bb[4] = {boxes[b].x0, boxes[b].y0, boxes[b].x1, boxes[b].y1};
            best = fmax(best, iou(truth[t], bb));
        }
        worst = fmin(worst, best);
        if (best < 0.5) fail_msg("%s: true box %d [%g %g %g %g] best IoU %.3f < 0.5", stem, t, truth[t][0], truth[t][1],
                                 truth[t][2], truth[t][3], best);
    }
    for (int b = 0; b < nb; b++) {
        double bb[4] = {boxes[b].x0, boxes[b].y0, boxes[b].x1, boxes[b].y1}, best = 0;
        for (int t = 0; t < nt; t++) best = fmax(best, iou(truth[t], bb));
        matched_boxes += best >= 0.5;
    }
    int extra = nb - matched_boxes;
    /* the thresholded mask, mapped to image pixels, inside the dilated true boxes */
    size_t in_mask = 0, inside = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            if (!(prob[(size_t)y * w + x] > pp.threshold)) continue;
            in_mask++;
            double ix = (x + 0.5) * img.w / w, iy = (y + 0.5) * img.h / h;
            for (int t = 0; t < nt; t++)
                if (ix >= truth[t][0] - DILATE && ix < truth[t][2] + DILATE && iy >= truth[t][1] - DILATE &&
                    iy < truth[t][3] + DILATE) {
                    inside++;
                    break;
                }
        }
    double frac = in_mask ? (double)inside / (double)in_mask : 0;
    printf("  %-9s %dx%d -> %dx%d: %d true lines, %d boxes (%d extra), worst best-IoU %.3f, mask inside the true "
           "boxes %.1f%%\n",
           stem, img.w, img.h, w, h, nt, nb, extra, worst, 100 * frac);
    if (extra > 1) fail_msg("%s: %d extra boxes (at most 1)", stem, extra);
    if (!(frac >= 0.8)) fail_msg("%s: only %.1f%% of the mask inside the true boxes", stem, 100 * frac);
    free(boxes);
    free(in);
    free(prob);
    seg_image_free(&img);
}

static void test_scenes(void **state) {
    (void)state;
    if (!find_model())
        fail_msg("no PP-OCRv4 detector: run scripts/get-model.sh (or set OCLNN_MODEL / OCLNN_MODELS_DIR)");
    printf("model %s\n", model_path);
    oclnn_context *ctx = test_context(NULL);
    const char *stems[] = {"scene", "scene_s1", "scene_s2", "scene_s3"};
    for (int i = 0; i < 4; i++) check_scene(ctx, stems[i]);
    oclnn_context_destroy(ctx);
}

int main(int argc, char **argv) {
    data_dir = argc > 1 ? argv[1] : "demos/data";
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_scenes)};
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    return r || clw_live_objects() != 0;
}
