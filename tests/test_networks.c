/* test_networks.c - whole networks through the C API against ONNX Runtime's outputs (tools/export_networks.py
 * writes NAME.onnx, NAME.input.npy, NAME.output.npy and NAME.json into $OCLNN_MODELS_DIR, default
 * ~/.cache/oclnn/models). A missing file fails the test: run the exporter first (scripts/test.sh does).
 *
 * Bound: every element |ours - ORT| <= 1e-4 * max|ORT output| (the contract: float32 accumulation in a
 * different order over up to ~25k-term dot products, Winograd F(4x4,3x3) included), and the top-5 classes of
 * classifiers are the same as ORT's. Two nets also run with four queues (bit-identical to one queue) and one
 * without fusion (same bound).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "common.h"
#include "device/clw.h"
#include "npy.h"

static double test_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

#define BOUND_REL 1e-4

typedef struct net_case {
    const char *name;
    int classifier;  /* top-5 check */
    int multi_queue; /* also run with 4 queues, compare bitwise */
    int unfused;     /* also run with fuse = 0 */
} net_case;

static const net_case cases[] = {
    {"lenet5", 1, 0, 1},     {"alexnet", 1, 0, 0},      {"vgg16", 1, 0, 0},
    {"googlenet", 1, 1, 0},  {"inception_v3", 1, 0, 0}, {"resnet50", 1, 0, 1},
    {"densenet121", 1, 1, 0}, {"fcn8s_vgg16", 0, 0, 0},  {"ppocr_det", 0, 0, 0},
    {"c3d_small", 1, 0, 1}, /* 3-D: Conv3d+BN+ReLU+MaxPool3d x3, a 3-D average pool, Gemm on a 1x3x8x56x56 clip */
};

static char models_dir[1024];

static void path_of(char *buf, size_t size, const char *name, const char *suffix) {
    snprintf(buf, size, "%s/%s%s", models_dir, name, suffix);
}

/* Reads "top5": [a, b, c, d, e] from the exporter's JSON. */
static int read_top5(const char *name, long top5[5]) {
    char p[1200];
    path_of(p, sizeof p, name, ".json");
    FILE *f = fopen(p, "r");
    if (!f) return -1;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *s = strstr(buf, "\"top5\"");
    if (!s || !(s = strchr(s, '['))) return -1;
    s++;
    for (int k = 0; k < 5; k++) {
        char *end;
        top5[k] = strtol(s, &end, 10);
        if (end == s) return -1;
        s = end;
        while (*s == ',' || *s == ' ' || *s == '\n') s++;
    }
    return 0;
}

static void top5_of(const float *v, size_t n, long out[5]) {
    for (int k = 0; k < 5; k++) {
        long best = -1;
        for (size_t i = 0; i < n; i++) {
            int taken = 0;
            for (int j = 0; j < k; j++) taken |= out[j] == (long)i;
            if (!taken && (best < 0 || v[i] > v[best])) best = (long)i;
        }
        out[k] = best;
    }
}

/* NAME.onnx, or for models that are not ours (the PP-OCR detector) the file the exporter's JSON names. */
static void model_path(char *buf, size_t size, const char *name) {
    path_of(buf, size, name, ".onnx");
    FILE *f = fopen(buf, "rb");
    if (f) {
        fclose(f);
        return;
    }
    char p[1200];
    path_of(p, sizeof p, name, ".json");
    static char js[1 << 16];
    f = fopen(p, "r");
    size_t n = f ? fread(js, 1, sizeof js - 1, f) : 0;
    if (f) fclose(f);
    js[n] = 0;
    char *s = strstr(js, "\"model\"");
    if (s && (s = strchr(s + 7, '"'))) {
        char *e = strchr(s + 1, '"');
        if (e && (size_t)(e - s - 1) < size) {
            memcpy(buf, s + 1, (size_t)(e - s - 1));
            buf[e - s - 1] = 0;
        }
    }
}

/* Runs @p name once; returns the output in *out (malloc'd). */
static void run_net(oclnn_context *ctx, const char *name, const npy_array *in, int fuse, uint32_t queues, float **out,
                    size_t *count, oclnn_runtime_stats *stats) {
    char p[1200];
    model_path(p, sizeof p, name);
    oclnn_graph *g = NULL;
    oclnn_runtime *rt = NULL;
    oclnn_status s = oclnn_onnx_load_file(ctx, p, &g);
    if (s) fail_msg("%s: load: %s", name, oclnn_last_error(ctx));
    const char *in_name = oclnn_graph_input_name(g, 0);
    assert_int_equal(oclnn_graph_num_inputs(g), 1);
    s = oclnn_graph_fix_input(g, in_name, in->ndim, in->dims);
    if (s) fail_msg("%s: fix_input: %s", name, oclnn_last_error(ctx));
    oclnn_runtime_options ro;
    oclnn_runtime_options_init(&ro);
    ro.fuse = fuse;
    ro.num_queues = queues;
    double t0 = test_now_ms();
    s = oclnn_runtime_create(ctx, g, &ro, &rt);
    if (s) fail_msg("%s: runtime_create: %s", name, oclnn_last_error(ctx));
    double t1 = test_now_ms();
    oclnn_graph_destroy(g); /* the runtime must not need it */
    in_name = oclnn_runtime_input_name(rt, 0);
    assert_ok(ctx, oclnn_runtime_set_input(rt, in_name, in->data, in->nbytes));
    s = oclnn_runtime_invoke(rt);
    if (s) fail_msg("%s: invoke: %s", name, oclnn_last_error(ctx));
    double t2 = test_now_ms();
    const char *out_name = oclnn_runtime_output_name(rt, 0);
    size_t nd;
    int64_t dims[OCLNN_MAX_DIMS];
    assert_int_equal(oclnn_runtime_shape(rt, out_name, NULL, &nd, dims), OCLNN_STATUS_OK);
    size_t n = 1;
    for (size_t d = 0; d < nd; d++) n *= (size_t)dims[d];
    *out = malloc(n * sizeof(float));
    assert_non_null(*out);
    assert_int_equal(oclnn_runtime_get_output(rt, out_name, *out, n * sizeof(float)), OCLNN_STATUS_OK);
    *count = n;
    assert_int_equal(oclnn_runtime_stats_get(rt, stats), OCLNN_STATUS_OK);
    printf("  %-14s fuse=%d queues=%u: prepare %.0f ms, first run %.0f ms, %u steps, %u kernels, arena %.2f MiB "
           "(lower bound %.2f, naive %.2f), %.2fM params\n",
           name, fuse, queues, t1 - t0, t2 - t1, stats->steps, stats->kernels_per_invoke, stats->arena_bytes / 1048576.0,
           stats->lower_bound_bytes / 1048576.0, stats->naive_bytes / 1048576.0, stats->params / 1e6);
    /* the program cap's default (64) keeps a margin of at least 2x over every real network (PP-OCR needs 20) */
    oclnn_limits def;
    oclnn_limits_default(&def);
    printf("  %-14s %u kernel configurations (max_programs default %llu)\n", name, stats->programs,
           (unsigned long long)def.max_programs);
    assert_true(stats->programs >= 1 && 2 * (uint64_t)stats->programs <= def.max_programs);
    oclnn_runtime_destroy(rt);
}

static void check_close(const char *name, const float *got, const npy_array *ref) {
    size_t n = ref->nbytes / sizeof(float);
    const float *r = ref->data;
    double mx = 0, worst = 0;
    size_t worst_i = 0;
    for (size_t i = 0; i < n; i++) mx = fmax(mx, fabs(r[i]));
    double bound = BOUND_REL * mx;
    for (size_t i = 0; i < n; i++) {
        double e = fabs((double)got[i] - r[i]);
        if (!(e <= worst)) {
            worst = e;
            worst_i = i;
        }
    }
    printf("  %-14s max |err| %.3g at %zu (bound %.3g = 1e-4 x %.4g): %.2f of the bound\n", name, worst, worst_i,
           bound, mx, bound > 0 ? worst / bound : 0);
    if (!(worst <= bound))
        fail_msg("%s: element %zu: got %.9g, ONNX Runtime %.9g (|err| %.3g > bound %.3g)", name, worst_i,
                 got[worst_i], r[worst_i], worst, bound);
}

static void test_network(void **state) {
    const net_case *c = *state;
    oclnn_context_options co;
    test_options(&co, NULL);
    co.num_queues = 4;
    oclnn_context *ctx;
    assert_int_equal(oclnn_context_create(&co, &ctx), OCLNN_STATUS_OK);
    char p[1200], msg[512];
    npy_array in, ref;
    path_of(p, sizeof p, c->name, ".input.npy");
    if (npy_read_file(p, 0, &in, msg, sizeof msg)) fail_msg("%s: %s (run tools/export_networks.py)", p, msg);
    path_of(p, sizeof p, c->name, ".output.npy");
    if (npy_read_file(p, 0, &ref, msg, sizeof msg)) fail_msg("%s: %s (run tools/export_networks.py)", p, msg);
    float *out;
    size_t n;
    oclnn_runtime_stats st;
    run_net(ctx, c->name, &in, 1, 1, &out, &n, &st);
    assert_int_equal(n * sizeof(float), ref.nbytes);
    check_close(c->name, out, &ref);
    if (c->classifier) {
        long want[5], got[5];
        if (read_top5(c->name, want)) fail_msg("%s: no top5 in the JSON", c->name);
        top5_of(out, n, got);
        for (int k = 0; k < 5; k++)
            if (got[k] != want[k])
                fail_msg("%s: top-5 differ at rank %d: ours %ld %ld %ld %ld %ld, ORT %ld %ld %ld %ld %ld", c->name, k,
                         got[0], got[1], got[2], got[3], got[4], want[0], want[1], want[2], want[3], want[4]);
    }
    if (!strcmp(c->name, "ppocr_det")) {
        /* the demo's binary mask (probability > 0.3) against ONNX Runtime's: IoU >= 0.999 */
        size_t inter = 0, uni = 0;
        const float *r = ref.data;
        for (size_t i = 0; i < n; i++) {
            int a = out[i] > 0.3f, b = r[i] > 0.3f;
            inter += a && b;
            uni += a || b;
        }
        double iou = uni ? (double)inter / (double)uni : 1.0;
        printf("  %-14s thresholded mask IoU with ONNX Runtime's: %.6f (%zu text pixels)\n", c->name, iou, uni);
        if (!(iou >= 0.999)) fail_msg("%s: mask IoU %.6f < 0.999", c->name, iou);
    }
    if (!strcmp(c->name, "fcn8s_vgg16")) {
        /* classes mode: the per-pixel argmax over the 21 channels equals ONNX Runtime's everywhere */
        const float *r = ref.data;
        size_t hw = n / 21, diff = 0;
        for (size_t p = 0; p < hw; p++) {
            size_t ai = 0, bi = 0;
            for (size_t k = 1; k < 21; k++) {
                if (out[k * hw + p] > out[ai * hw + p]) ai = k;
                if (r[k * hw + p] > r[bi * hw + p]) bi = k;
            }
            diff += ai != bi;
        }
        printf("  %-14s argmax over 21 classes: %zu of %zu pixels differ from ONNX Runtime's\n", c->name, diff, hw);
        assert_int_equal(diff, 0);
    }
    if (c->multi_queue) {
        float *out4;
        size_t n4;
        oclnn_runtime_stats st4;
        run_net(ctx, c->name, &in, 1, 4, &out4, &n4, &st4);
        assert_int_equal(n4, n);
        assert_memory_equal(out4, out, n * sizeof(float));
        assert_int_equal(st4.kernels_per_invoke, st.kernels_per_invoke);
        free(out4);
    }
    if (c->unfused) {
        float *outu;
        size_t nu;
        oclnn_runtime_stats stu;
        run_net(ctx, c->name, &in, 0, 1, &outu, &nu, &stu);
        assert_int_equal(nu, n);
        check_close(c->name, outu, &ref);
        assert_true(stu.kernels_per_invoke > st.kernels_per_invoke);
        free(outu);
    }
    free(out);
    npy_free(&in);
    npy_free(&ref);
    oclnn_context_destroy(ctx);
}

int main(void) {
    const char *e = getenv("OCLNN_MODELS_DIR");
    if (e && *e) snprintf(models_dir, sizeof models_dir, "%s", e);
    else snprintf(models_dir, sizeof models_dir, "%s/.cache/oclnn/models", getenv("HOME") ? getenv("HOME") : ".");
    printf("models from %s\n", models_dir);
    struct CMUnitTest tests[sizeof cases / sizeof cases[0]];
    size_t nt = 0;
    const char *only = getenv("OCLNN_TEST_NETWORKS"); /* comma list, for local runs; CI runs all */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (only && *only && !strstr(only, cases[i].name)) continue;
        struct CMUnitTest t = {cases[i].name, test_network, NULL, NULL, (void *)&cases[i]};
        tests[nt++] = t;
    }
    int r = _cmocka_run_group_tests("networks", tests, nt, NULL, NULL);
    return r || clw_live_objects() != 0;
}
