/* demo_segmentation - runs a segmentation network from an ONNX file on an image through oclnn's public graph API:
 * PP-OCR's text detector (DB) in binary mode (probability map -> boxes), or any N x C x H x W classifier such as an
 * FCN in classes mode (argmax over channels on the device, VOC palette). Everything but the network call lives in
 * seg_cli.c, seg_image.c and seg_post.c, which tests/test_seg_post.c checks. Usage: see seg_usage (--help).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oclnn.h"
#include "seg_cli.h"
#include "seg_image.h"
#include "seg_post.h"

#ifndef OCLNN_SOURCE_DIR
#define OCLNN_SOURCE_DIR NULL
#endif

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void print_dims(FILE *f, size_t ndim, const int64_t *dims) {
    fputc('[', f);
    for (size_t i = 0; i < ndim; i++)
        fprintf(f, i ? ", %lld" : "%lld", (long long)dims[i]);
    fputc(']', f);
}

/* One line for a failed library call; memory and limit failures get the way out. */
static int lib_error(oclnn_context *ctx, oclnn_status st, const char *what, int in_w, int in_h) {
    /* the library's message starts with the status name */
    fprintf(stderr, "demo_segmentation: %s: %s", what, oclnn_last_error(ctx));
    if (st == OCLNN_STATUS_OUT_OF_DEVICE_MEMORY || st == OCLNN_STATUS_LIMIT_EXCEEDED || st == OCLNN_STATUS_OUT_OF_HOST_MEMORY)
        fprintf(stderr, "; a %dx%d network input does not fit this device: try a smaller --max-side", in_w, in_h);
    fputc('\n', stderr);
    return 1;
}

static int host_oom(const char *what) {
    fprintf(stderr, "demo_segmentation: out of host memory for the %s\n", what);
    return 1;
}

typedef struct demo {
    seg_args args;
    seg_image img;
    oclnn_context *ctx;
    oclnn_graph *graph;
    oclnn_runtime *rt;
    oclnn_argmax *argmax;
    oclnn_tensor *classes;
    float *input, *prob;
    int64_t *cls;
    uint8_t *mask, *overlay, *fg;
    seg_box *boxes;
    char *json;
    seg_stage stage;
} demo;

static void demo_free(demo *d) {
    seg_stage_abort(&d->stage);
    oclnn_tensor_destroy(d->classes);
    oclnn_argmax_destroy(d->argmax);
    oclnn_runtime_destroy(d->rt);
    oclnn_graph_destroy(d->graph);
    oclnn_context_destroy(d->ctx);
    seg_image_free(&d->img);
    free(d->input);
    free(d->prob);
    free(d->cls);
    free(d->mask);
    free(d->overlay);
    free(d->fg);
    free(d->boxes);
    free(d->json);
}

static int run(demo *d) {
    seg_args *a = &d->args;
    char err[SEG_ERR_LEN], model[SEG_PATH_LEN], path[SEG_PATH_LEN];
    oclnn_status st;
    if (a->model) snprintf(model, sizeof model, "%s", a->model);
    else if (seg_default_model(getenv("OCLNN_MODEL"), getenv("OCLNN_MODELS_DIR"), getenv("HOME"), OCLNN_SOURCE_DIR,
                               model, sizeof model, err, sizeof err)) {
        fprintf(stderr, "demo_segmentation: %s\n", err);
        return 1;
    }
    /* Fail on an unwritable destination before the slow part. */
    if (seg_check_writable(a->out_prefix, err, sizeof err) || seg_image_load(a->image, &d->img, err, sizeof err)) {
        fprintf(stderr, "demo_segmentation: %s\n", err);
        return 1;
    }
    int in_w, in_h;
    seg_target_size(d->img.w, d->img.h, a->max_side, &in_w, &in_h);

    oclnn_context_options opts;
    oclnn_context_options_init(&opts);
    opts.device = a->device;
    if ((st = oclnn_context_create(&opts, &d->ctx))) {
        fprintf(stderr, "demo_segmentation: %s\n", oclnn_last_error(NULL));
        return 1;
    }
    oclnn_device_info info;
    oclnn_context_device_info(d->ctx, &info);
    printf("device: %s / %s (%u compute units, %.1f GiB)\n", info.platform_name, info.name, info.compute_units,
           info.global_mem_bytes / 1073741824.0);

    double t0 = now_ms();
    if ((st = oclnn_onnx_load_file(d->ctx, model, &d->graph))) return lib_error(d->ctx, st, model, in_w, in_h);
    double t_parse = now_ms() - t0;
    size_t nin = oclnn_graph_num_inputs(d->graph), nout = oclnn_graph_num_outputs(d->graph);
    printf("model: %s: %zu input(s), %zu output(s), %zu nodes\n", model, nin, nout, oclnn_graph_num_nodes(d->graph));
    if (nin != 1) {
        fprintf(stderr, "demo_segmentation: %s has %zu inputs; the demo feeds one image input\n", model, nin);
        return 1;
    }
    oclnn_dtype dt;
    size_t nd;
    int64_t dims[OCLNN_MAX_DIMS];
    const char *in_name = oclnn_graph_input_name(d->graph, 0);
    if ((st = oclnn_graph_input_shape(d->graph, 0, &dt, &nd, dims))) return lib_error(d->ctx, st, "input", in_w, in_h);
    printf("  input %s ", in_name);
    print_dims(stdout, nd, dims);
    printf("\n");
    if (nd != 4 || dt != OCLNN_DTYPE_F32 || (dims[1] != 3 && dims[1] != -1)) {
        fprintf(stderr, "demo_segmentation: input %s is not a float N x 3 x H x W image tensor\n", in_name);
        return 1;
    }
    if (dims[2] > 0 && dims[3] > 0) { /* a model exported with a fixed size: feed that size */
        in_h = (int)dims[2];
        in_w = (int)dims[3];
    }
    int64_t fixed[4] = {1, 3, in_h, in_w};
    if ((st = oclnn_graph_fix_input(d->graph, in_name, 4, fixed))) return lib_error(d->ctx, st, "input shape", in_w, in_h);
    if ((st = oclnn_runtime_create(d->ctx, d->graph, NULL, &d->rt)))
        return lib_error(d->ctx, st, "compiling the network", in_w, in_h);
    double t_load = now_ms() - t0;

    /* The first 4-D output is the map. */
    const char *out_name = NULL;
    int64_t od[OCLNN_MAX_DIMS];
    size_t ond = 0;
    for (size_t i = 0; i < oclnn_runtime_num_outputs(d->rt); i++) {
        const char *name = oclnn_runtime_output_name(d->rt, i);
        int64_t t[OCLNN_MAX_DIMS];
        size_t tn;
        if ((st = oclnn_runtime_shape(d->rt, name, &dt, &tn, t))) return lib_error(d->ctx, st, name, in_w, in_h);
        printf("  output %s ", name);
        print_dims(stdout, tn, t);
        printf("\n");
        if (!out_name && tn == 4 && dt == OCLNN_DTYPE_F32) {
            out_name = name;
            ond = tn;
            memcpy(od, t, sizeof t);
        } else if (!out_name && i == 0) {
            ond = tn;
            memcpy(od, t, sizeof t);
        }
    }
    int mode = seg_check_output(ond, od, a->mode, err, sizeof err);
    if (mode < 0) {
        fprintf(stderr, "demo_segmentation: %s: %s\n", model, err);
        return 1;
    }
    int map_w = (int)od[3], map_h = (int)od[2];
    size_t map_n = (size_t)map_w * map_h;
    printf("image: %s %dx%d -> network input %dx%d, output map %dx%d x %lld channel(s), %s mode\n", a->image, d->img.w,
           d->img.h, in_w, in_h, map_w, map_h, (long long)od[1], mode == 1 ? "binary" : "classes");
    printf("load: %.1f ms (parse %.1f ms, compile %.1f ms)\n", t_load, t_parse, t_load - t_parse);

    size_t in_n = (size_t)3 * in_w * in_h;
    d->input = malloc(in_n * sizeof(float));
    if (!d->input) return host_oom("input");
    seg_preprocess(&d->img, in_w, in_h, d->input);

    /* Runs: set_input + invoke. The first includes the memory plan and first-touch costs. */
    double *times = malloc(sizeof(double) * (size_t)a->runs);
    if (!times) return host_oom("timings");
    double t_first = 0;
    for (int r = 0; r <= a->runs; r++) {
        double t = now_ms();
        st = oclnn_runtime_set_input(d->rt, in_name, d->input, in_n * sizeof(float));
        if (!st) st = oclnn_runtime_invoke(d->rt);
        if (st) {
            free(times);
            return lib_error(d->ctx, st, "running the network", in_w, in_h);
        }
        t = now_ms() - t;
        if (r == 0) t_first = t;
        else times[r - 1] = t;
    }
    qsort(times, (size_t)a->runs, sizeof(double), cmp_double);
    printf("first run: %.1f ms; steady: %.1f ms (median of %d)\n", t_first, times[a->runs / 2], a->runs);
    free(times);

    int img_n = d->img.w * d->img.h;
    d->mask = malloc((size_t)img_n * 3);
    d->overlay = malloc((size_t)img_n * 3);
    d->fg = malloc((size_t)img_n);
    if (!d->mask || !d->overlay || !d->fg) return host_oom("pictures");
    int nboxes = 0;
    if (mode == 1) {
        d->prob = malloc(map_n * sizeof(float));
        if (!d->prob) return host_oom("output");
        if ((st = oclnn_runtime_get_output(d->rt, out_name, d->prob, map_n * sizeof(float))))
            return lib_error(d->ctx, st, "reading the output", in_w, in_h);
        if (seg_prob_normalise(d->prob, map_n)) printf("output holds logits: sigmoid applied\n");
        seg_post_params pp;
        seg_post_params_init(&pp);
        pp.threshold = a->threshold;
        pp.box_threshold = a->box_threshold;
        pp.unclip = a->unclip;
        if (seg_db_boxes(d->prob, map_w, map_h, d->img.w, d->img.h, &pp, &d->boxes, &nboxes))
            return host_oom("post-processing");
        seg_heat_image(d->prob, map_w, map_h, d->img.w, d->img.h, d->mask);
        seg_foreground(d->prob, a->threshold, NULL, map_w, map_h, d->img.w, d->img.h, d->fg);
    } else {
        /* Argmax over the channels on the device, reading the runtime's output tensor in place. */
        oclnn_tensor *logits;
        oclnn_argmax_params ap;
        oclnn_argmax_params_init(&ap);
        ap.axis = 1;
        ap.keepdims = 0;
        size_t cn;
        int64_t cd[OCLNN_MAX_DIMS];
        double t = now_ms();
        if ((st = oclnn_runtime_tensor(d->rt, out_name, &logits)) || (st = oclnn_argmax_create(d->ctx, &ap, &d->argmax)) ||
            (st = oclnn_argmax_reshape(d->argmax, 4, od, &cn, cd)) ||
            (st = oclnn_tensor_create(d->ctx, OCLNN_DTYPE_I64, cn, cd, &d->classes)) ||
            (st = oclnn_argmax_setup(d->argmax, logits, d->classes)) || (st = oclnn_argmax_enqueue(d->argmax, 0, NULL)))
            return lib_error(d->ctx, st, "argmax over the classes", in_w, in_h);
        d->cls = malloc(map_n * sizeof(int64_t));
        if (!d->cls) return host_oom("classes");
        if ((st = oclnn_tensor_read(d->classes, 0, map_n * sizeof(int64_t), d->cls)))
            return lib_error(d->ctx, st, "reading the classes", in_w, in_h);
        printf("argmax on the device: %.1f ms (first call, includes building its kernel)\n", now_ms() - t);
        int64_t counts[21] = {0}, other = 0;
        for (size_t i = 0; i < map_n; i++)
            d->cls[i] >= 0 && d->cls[i] < 21 ? counts[d->cls[i]]++ : other++;
        printf("classes present (VOC index: share of pixels):");
        for (int c = 0; c < 21; c++)
            if (counts[c]) printf(" %d: %.1f%%", c, 100.0 * counts[c] / map_n);
        if (other) printf(" >=21: %.1f%%", 100.0 * other / map_n);
        printf("\n");
        seg_class_image(d->cls, map_w, map_h, d->img.w, d->img.h, d->mask);
        seg_foreground(NULL, 0, d->cls, map_w, map_h, d->img.w, d->img.h, d->fg);
    }
    seg_blend(&d->img, d->mask, d->fg, d->overlay);
    /* Axis-aligned boxes in green, then the rotated rectangles in orange (what matters for slanted text). */
    static const uint8_t green[3] = {0, 255, 0}, orange[3] = {255, 140, 0};
    for (int i = 0; i < nboxes; i++) {
        const seg_box *b = &d->boxes[i];
        seg_draw_rect(d->overlay, d->img.w, d->img.h, (int)lroundf(b->x0), (int)lroundf(b->y0), (int)lroundf(b->x1),
                      (int)lroundf(b->y1), 2, green);
    }
    for (int i = 0; i < nboxes; i++)
        seg_draw_quad(d->overlay, d->img.w, d->img.h, d->boxes[i].quad, 2, orange);
    if (mode == 1) printf("boxes: %d (threshold %.2f, box threshold %.2f, unclip %.2f)\n", nboxes, a->threshold,
                          a->box_threshold, a->unclip);

    /* All outputs are staged and renamed together: a failure leaves none of them. */
    seg_stage_init(&d->stage);
    snprintf(path, sizeof path, "%s_mask.png", a->out_prefix);
    if (seg_stage_png(&d->stage, path, d->img.w, d->img.h, 3, d->mask, err, sizeof err)) goto write_failed;
    snprintf(path, sizeof path, "%s_overlay.png", a->out_prefix);
    if (seg_stage_png(&d->stage, path, d->img.w, d->img.h, 3, d->overlay, err, sizeof err)) goto write_failed;
    if (mode == 1) {
        d->json = seg_boxes_json(d->boxes, nboxes);
        snprintf(path, sizeof path, "%s_boxes.json", a->out_prefix);
        if (!d->json) {
            snprintf(err, sizeof err, "out of host memory for the boxes' JSON");
            goto write_failed;
        }
        if (seg_stage_bytes(&d->stage, path, d->json, strlen(d->json), err, sizeof err)) goto write_failed;
    }
    if (seg_stage_commit(&d->stage, err, sizeof err)) goto write_failed;
    printf("wrote %s_mask.png, %s_overlay.png%s%s%s\n", a->out_prefix, a->out_prefix, mode == 1 ? ", " : "",
           mode == 1 ? a->out_prefix : "", mode == 1 ? "_boxes.json" : "");
    return 0;
write_failed:
    fprintf(stderr, "demo_segmentation: %s\n", err);
    return 1;
}

int main(int argc, char **argv) {
    demo d;
    memset(&d, 0, sizeof d);
    char err[SEG_ERR_LEN];
    if (seg_parse_args(argc, argv, &d.args, err, sizeof err)) {
        fprintf(stderr, "demo_segmentation: %s\n", err);
        return 2;
    }
    if (d.args.help) {
        fputs(seg_usage, stdout);
        return 0;
    }
    int r = run(&d);
    demo_free(&d);
    return r;
}
