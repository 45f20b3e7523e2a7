/* oclnn-bench-conv - times convolution layers with every algorithm that supports them (a driver in the spirit of
 * MIOpenDriver): median ms and GFLOP/s counted as direct-convolution FLOPs, and the heuristic's choice.
 *   oclnn-bench-conv [--device SPEC] [--iterations N] [--algo all|NAME] [--json FILE] [--layer SPEC]... [--set default]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oclnn.h"

typedef struct layer {
    char spec[256];
    int n, c, h, w, k, kh, kw, sh, sw, ph, pw, dh, dw, group, transposed, outpad;
    int d, kd, sd, pd, dd; /* 3-D layers: depth d > 0 (0: a 2-D layer), kernel, stride, pad, dilation along it */
} layer;

static const char *const default_set[] = {
    "n=1,c=256,h=56,w=56,k=256,kh=3,kw=3,stride=1,pad=1",           /* VGG-16 conv3 */
    "n=1,c=64,h=224,w=224,k=64,kh=3,kw=3,stride=1,pad=1",           /* VGG-16 conv1_2 */
    "n=1,c=256,h=56,w=56,k=64,kh=1,kw=1,stride=1,pad=0",            /* ResNet-50 1x1 reduce */
    "n=1,c=512,h=28,w=28,k=512,kh=3,kw=3,stride=1,pad=2,dil=2",     /* dilated (DeepLab-style) */
    "n=1,c=21,h=28,w=28,k=21,kh=16,kw=16,stride=8,pad=0,transposed=1", /* FCN-8s upscore8, 28 -> 232 */
};

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Parses "key=value,..." over the defaults; returns 0 on success. */
static int parse_layer(const char *s, layer *l) {
    *l = (layer){"", 1, 256, 56, 56, 256, 3, 3, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 3, 1, 1, 1};
    snprintf(l->spec, sizeof l->spec, "%s", s);
    char buf[256];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        char *eq = strchr(tok, '=');
        if (!eq) return -1;
        *eq = 0;
        char *end;
        long v = strtol(eq + 1, &end, 10);
        if (*end || v < 0 || v > 1000000) return -1;
        const char *key = tok;
        int iv = (int)v;
#define KEY(name, ...)                                                                                       \
    if (strcmp(key, name) == 0) {                                                                            \
        __VA_ARGS__;                                                                                         \
        continue;                                                                                            \
    }
        KEY("n", l->n = iv) KEY("c", l->c = iv) KEY("h", l->h = iv) KEY("w", l->w = iv) KEY("k", l->k = iv)
        KEY("kh", l->kh = iv) KEY("kw", l->kw = iv) KEY("stride", l->sh = l->sw = iv) KEY("sh", l->sh = iv)
        KEY("sw", l->sw = iv) KEY("pad", l->ph = l->pw = iv) KEY("ph", l->ph = iv) KEY("pw", l->pw = iv)
        KEY("dil", l->dh = l->dw = iv) KEY("dh", l->dh = iv) KEY("dw", l->dw = iv) KEY("group", l->group = iv)
        KEY("transposed", l->transposed = iv) KEY("outpad", l->outpad = iv) KEY("d", l->d = iv)
        KEY("kd", l->kd = iv) KEY("sd", l->sd = iv) KEY("pd", l->pd = iv) KEY("dd", l->dd = iv)
#undef KEY
        return -1;
    }
    return 0;
}

typedef struct result {
    double median_ms, min_ms, gflops;
} result;

/* Times enqueue + finish of @p enqueue after two warm-up runs (first-launch costs are not the layer's). */
static oclnn_status time_runs(oclnn_context *ctx, oclnn_status (*enqueue)(void *op), void *op, int iters,
                              const layer *l, size_t oh, size_t ow, result *r) {
    double *t = calloc((size_t)iters, sizeof *t);
    oclnn_status st = t ? OCLNN_STATUS_OK : OCLNN_STATUS_OUT_OF_HOST_MEMORY;
    for (int i = -2; !st && i < iters; i++) {
        double t0 = now_ms();
        st = enqueue(op);
        if (!st) st = oclnn_context_finish(ctx);
        if (i >= 0) t[i] = now_ms() - t0;
    }
    if (!st) {
        qsort(t, (size_t)iters, sizeof *t, cmp_double);
        r->median_ms = iters % 2 ? t[iters / 2] : 0.5 * (t[iters / 2 - 1] + t[iters / 2]);
        r->min_ms = t[0];
        /* Direct-convolution FLOPs: for a transposed layer, every input pixel times every tap and channel (a 3-D
         * layer passes its output depth times height as @p oh). */
        double pix = l->transposed ? (double)l->h * l->w : (double)oh * ow;
        double flop = 2.0 * l->n * l->k * pix * (l->c / l->group) * l->kh * l->kw * (l->d ? l->kd : 1);
        r->gflops = flop / (r->median_ms * 1e6);
    }
    free(t);
    return st;
}

static oclnn_status enqueue_conv(void *op) { return oclnn_conv2d_enqueue(op, 0, NULL); }
static oclnn_status enqueue_deconv(void *op) { return oclnn_deconv2d_enqueue(op, 0, NULL); }
static oclnn_status enqueue_conv3d(void *op) { return oclnn_conv_enqueue(op, 0, NULL); }

/* 3-D layers run on the rank-based operator, whose one 3-D algorithm is the direct kernel. */
static oclnn_status run_3d(oclnn_context *ctx, const layer *l, oclnn_conv_algo algo, int iters, result *r,
                           oclnn_conv_algo *chosen) {
    if (algo != OCLNN_CONV_ALGO_AUTO && algo != OCLNN_CONV_ALGO_DIRECT) return OCLNN_STATUS_UNSUPPORTED;
    oclnn_conv_params p;
    oclnn_conv_params_init(&p);
    p.rank = 3;
    p.in_channels = l->c;
    p.out_channels = l->k;
    p.groups = l->group;
    const int k[3] = {l->kd, l->kh, l->kw}, s[3] = {l->sd, l->sh, l->sw}, dl[3] = {l->dd, l->dh, l->dw};
    const int pad[3] = {l->pd, l->ph, l->pw};
    for (int a = 0; a < 3; a++) {
        p.kernel[a] = k[a], p.stride[a] = s[a], p.dilation[a] = dl[a];
        p.pad_begin[a] = p.pad_end[a] = pad[a];
    }
    p.algo = algo;
    size_t nw = (size_t)l->k * (l->c / (l->group ? l->group : 1)) * l->kd * l->kh * l->kw;
    float *w = malloc(nw * sizeof *w), *b = malloc(l->k * sizeof *b);
    for (size_t i = 0; i < nw; i++) w[i] = (float)((i * 2654435761u) % 1000) * 1e-4f - 0.05f;
    for (int i = 0; i < l->k; i++) b[i] = 0.01f;
    oclnn_conv *op = NULL;
    oclnn_tensor *x = NULL, *y = NULL;
    size_t in[3] = {(size_t)l->d, (size_t)l->h, (size_t)l->w}, out[3] = {0, 0, 0};
    oclnn_status st = oclnn_conv_create(ctx, &p, w, nw, b, l->k, &op);
    if (!st) *chosen = oclnn_conv_get_algo(op);
    if (!st) st = oclnn_conv_reshape(op, l->n, in, out);
    int64_t dx[5] = {l->n, l->c, l->d, l->h, l->w};
    int64_t dy[5] = {l->n, l->k, (int64_t)out[0], (int64_t)out[1], (int64_t)out[2]};
    if (!st) st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 5, dx, &x);
    if (!st) st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 5, dy, &y);
    if (!st) st = oclnn_tensor_zero(x);
    if (!st) st = oclnn_conv_setup(op, x, y, 0, NULL, 0);
    if (!st) st = time_runs(ctx, enqueue_conv3d, op, iters, l, out[0] * out[1], out[2], r);
    free(w);
    free(b);
    oclnn_tensor_destroy(x);
    oclnn_tensor_destroy(y);
    oclnn_conv_destroy(op);
    return st;
}

/* Transposed layers have one algorithm, the direct gather, reported as "direct". */
static oclnn_status run_transposed(oclnn_context *ctx, const layer *l, oclnn_conv_algo algo, int iters, result *r,
                                   oclnn_conv_algo *chosen) {
    if (algo != OCLNN_CONV_ALGO_AUTO && algo != OCLNN_CONV_ALGO_DIRECT) return OCLNN_STATUS_UNSUPPORTED;
    oclnn_deconv2d_params p;
    oclnn_deconv2d_params_init(&p);
    p.in_channels = l->c;
    p.out_channels = l->k;
    p.groups = l->group;
    p.kernel_h = l->kh;
    p.kernel_w = l->kw;
    p.stride_h = l->sh;
    p.stride_w = l->sw;
    p.dilation_h = l->dh;
    p.dilation_w = l->dw;
    p.pad_top = p.pad_bottom = l->ph;
    p.pad_left = p.pad_right = l->pw;
    p.output_padding_h = p.output_padding_w = l->outpad;
    size_t nw = (size_t)l->c * (l->k / (l->group ? l->group : 1)) * l->kh * l->kw;
    float *w = malloc(nw * sizeof *w), *b = malloc(l->k * sizeof *b);
    for (size_t i = 0; i < nw; i++) w[i] = (float)((i * 2654435761u) % 1000) * 1e-4f - 0.05f;
    for (int i = 0; i < l->k; i++) b[i] = 0.01f;
    oclnn_deconv2d *op = NULL;
    oclnn_tensor *x = NULL, *y = NULL;
    size_t oh = 0, ow = 0;
    oclnn_status st = oclnn_deconv2d_create(ctx, &p, w, nw, b, l->k, &op);
    *chosen = OCLNN_CONV_ALGO_DIRECT;
    if (!st) st = oclnn_deconv2d_reshape(op, l->n, l->h, l->w, &oh, &ow);
    int64_t dx[4] = {l->n, l->c, l->h, l->w}, dy[4] = {l->n, l->k, (int64_t)oh, (int64_t)ow};
    if (!st) st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &x);
    if (!st) st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &y);
    if (!st) st = oclnn_tensor_zero(x);
    if (!st) st = oclnn_deconv2d_setup(op, x, y, 0, NULL, 0);
    if (!st) st = time_runs(ctx, enqueue_deconv, op, iters, l, oh, ow, r);
    free(w);
    free(b);
    oclnn_tensor_destroy(x);
    oclnn_tensor_destroy(y);
    oclnn_deconv2d_destroy(op);
    return st;
}

/* Runs one layer with one algorithm; returns the status (UNSUPPORTED when the algorithm declines). */
static oclnn_status run(oclnn_context *ctx, const layer *l, oclnn_conv_algo algo, int iters, result *r,
                        oclnn_conv_algo *chosen) {
    if (l->transposed) return run_transposed(ctx, l, algo, iters, r, chosen);
    if (l->d) return run_3d(ctx, l, algo, iters, r, chosen);
    oclnn_conv2d_params p;
    oclnn_conv2d_params_init(&p);
    p.in_channels = l->c;
    p.out_channels = l->k;
    p.groups = l->group;
    p.kernel_h = l->kh;
    p.kernel_w = l->kw;
    p.stride_h = l->sh;
    p.stride_w = l->sw;
    p.dilation_h = l->dh;
    p.dilation_w = l->dw;
    p.pad_top = p.pad_bottom = l->ph;
    p.pad_left = p.pad_right = l->pw;
    p.algo = algo;
    if (algo != OCLNN_CONV_ALGO_AUTO && !oclnn_conv2d_supported(&p, algo, NULL)) return OCLNN_STATUS_UNSUPPORTED;
    size_t nw = (size_t)l->k * (l->c / (l->group ? l->group : 1)) * l->kh * l->kw;
    float *w = malloc(nw * sizeof *w), *b = malloc(l->k * sizeof *b);
    for (size_t i = 0; i < nw; i++) w[i] = (float)((i * 2654435761u) % 1000) * 1e-4f - 0.05f;
    for (int i = 0; i < l->k; i++) b[i] = 0.01f;
    oclnn_conv2d *op = NULL;
    oclnn_tensor *x = NULL, *y = NULL;
    size_t oh = 0, ow = 0;
    oclnn_status st = oclnn_conv2d_create(ctx, &p, w, nw, b, l->k, &op);
    if (!st) *chosen = oclnn_conv2d_algo(op);
    if (!st) st = oclnn_conv2d_reshape(op, l->n, l->h, l->w, &oh, &ow);
    int64_t dx[4] = {l->n, l->c, l->h, l->w}, dy[4] = {l->n, l->k, (int64_t)oh, (int64_t)ow};
    if (!st) st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &x);
    if (!st) st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &y);
    if (!st) st = oclnn_tensor_zero(x);
    if (!st) st = oclnn_conv2d_setup(op, x, y, 0, NULL, 0);
    if (!st) st = time_runs(ctx, enqueue_conv, op, iters, l, oh, ow, r);
    free(w);
    free(b);
    oclnn_tensor_destroy(x);
    oclnn_tensor_destroy(y);
    oclnn_conv2d_destroy(op);
    return st;
}

static void usage(void) {
    fputs("usage: oclnn-bench-conv [--device SPEC] [--iterations N] [--algo all|NAME] [--json FILE]\n"
          "                        [--layer SPEC]... [--set default]\n"
          "  SPEC keys: n,c,h,w,k,kh,kw,stride|sh,sw,pad|ph,pw,dil|dh,dw,group,transposed,outpad\n"
          "             d,kd,sd,pd,dd: a 3-D layer of depth d (kernel kd, stride sd, pad pd, dilation dd; defaults\n"
          "             3, 1, 1, 1); stride, pad and dil then set the height and width only\n"
          "  e.g. --layer n=1,c=256,h=56,w=56,k=256,kh=3,kw=3,stride=1,pad=1,dil=1,group=1\n"
          "       --layer n=1,c=64,d=8,h=56,w=56,k=128,kd=3,kh=3,kw=3,pad=1\n",
          stderr);
}

int main(int argc, char **argv) {
    const char *device = NULL, *json = NULL, *algo_name = "all";
    int iters = 10;
    layer layers[64];
    int nl = 0, want_default = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--device") == 0 && v) device = argv[++i];
        else if (strcmp(a, "--iterations") == 0 && v) iters = atoi(argv[++i]);
        else if (strcmp(a, "--algo") == 0 && v) algo_name = argv[++i];
        else if (strcmp(a, "--json") == 0 && v) json = argv[++i];
        else if (strcmp(a, "--set") == 0 && v && strcmp(v, "default") == 0) want_default = 1, i++;
        else if (strcmp(a, "--layer") == 0 && v && nl < 64) {
            if (parse_layer(argv[++i], &layers[nl])) {
                fprintf(stderr, "oclnn-bench-conv: bad layer spec '%s'\n", argv[i]);
                return 2;
            }
            nl++;
        } else {
            usage();
            return strcmp(a, "--help") == 0 ? 0 : 2;
        }
    }
    if (iters < 1) iters = 1;
    if (nl == 0) want_default = 1;
    for (size_t i = 0; want_default && i < sizeof default_set / sizeof *default_set && nl < 64; i++)
        parse_layer(default_set[i], &layers[nl++]);
    oclnn_conv_algo only = OCLNN_CONV_ALGO_AUTO;
    int all = strcmp(algo_name, "all") == 0;
    if (!all && oclnn_conv_algo_parse(algo_name, &only)) {
        fprintf(stderr, "oclnn-bench-conv: unknown algorithm '%s'\n", algo_name);
        return 2;
    }
    oclnn_context_options o;
    oclnn_context_options_init(&o);
    o.device = device;
    oclnn_context *ctx;
    if (oclnn_context_create(&o, &ctx)) {
        fprintf(stderr, "oclnn-bench-conv: %s\n", oclnn_last_error(NULL));
        return 1;
    }
    oclnn_device_info info;
    oclnn_context_device_info(ctx, &info);
    printf("device: %s / %s, %d iterations per measurement (median)\n", info.platform_name, info.name, iters);
    printf("%-66s %-12s %10s %10s %9s\n", "layer", "algo", "median_ms", "min_ms", "GFLOP/s");
    FILE *jf = json ? fopen(json, "w") : NULL;
    if (json && !jf) fprintf(stderr, "oclnn-bench-conv: cannot write %s\n", json);
    if (jf) fputs("[\n", jf);
    int first = 1, failures = 0;
    for (int li = 0; li < nl; li++) {
        oclnn_conv_algo chosen = OCLNN_CONV_ALGO_AUTO;
        result dummy;
        /* What the heuristic picks (timed as well, but reported under the algorithm's own name). */
        oclnn_status cst = run(ctx, &layers[li], OCLNN_CONV_ALGO_AUTO, 1, &dummy, &chosen);
        if (cst) {
            printf("%-66s %-12s %s\n", layers[li].spec, "-", oclnn_last_error(ctx));
            failures++;
            continue;
        }
        for (int a = 1; a < OCLNN_CONV_ALGO_COUNT_; a++) {
            if (!all && (oclnn_conv_algo)a != only) continue;
            result r;
            oclnn_conv_algo got;
            oclnn_status st = run(ctx, &layers[li], (oclnn_conv_algo)a, iters, &r, &got);
            if (st == OCLNN_STATUS_UNSUPPORTED) { /* the algorithm declines this layer: not a failure */
                if (!all) printf("%-66s %-12s unsupported\n", layers[li].spec, oclnn_conv_algo_name((oclnn_conv_algo)a));
                continue;
            }
            if (st) {
                printf("%-66s %-12s error: %s\n", layers[li].spec, oclnn_conv_algo_name((oclnn_conv_algo)a),
                       oclnn_last_error(ctx));
                failures++;
                continue;
            }
            int is_chosen = (oclnn_conv_algo)a == chosen;
            printf("%-66s %-12s %10.3f %10.3f %9.1f%s\n", layers[li].spec, oclnn_conv_algo_name((oclnn_conv_algo)a),
                   r.median_ms, r.min_ms, r.gflops, is_chosen ? "  <- chosen" : "");
            if (jf) {
                fprintf(jf, "%s  {\"layer\": \"%s\", \"algo\": \"%s\", \"median_ms\": %.4f, \"min_ms\": %.4f, "
                            "\"gflops\": %.2f, \"chosen\": %s, \"device\": \"%s\"}",
                        first ? "" : ",\n", layers[li].spec, oclnn_conv_algo_name((oclnn_conv_algo)a), r.median_ms,
                        r.min_ms, r.gflops, is_chosen ? "true" : "false", info.name);
                first = 0;
            }
        }
    }
    if (jf) {
        fputs("\n]\n", jf);
        fclose(jf);
    }
    oclnn_context_destroy(ctx);
    return failures ? 1 : 0;
}
