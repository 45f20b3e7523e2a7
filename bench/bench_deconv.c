/* bench-deconv - times the transposed convolution on real layers (FCN-8s upscore8, the DBNet head at a
 * 640x640 input) and, for comparison in the same run, the same FCN layer computed the zero-insertion way: a plain
 * oclnn_conv2d over the stride-dilated, padded input with the flipped kernel (what the direct gather avoids).
 * Prints the median and minimum wall time of enqueue + finish over the runs. Uses the public API only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "oclnn.h"

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* CPU time of every thread of the process (the driver's worker threads included). On a shared machine the wall
 * time depends on the load; CPU time per run, divided by the cores, is what an idle machine would take. */
static double cpu_ms(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct layer {
    const char *name;
    int c, k, h, w, ks, s, pad, bias, act;
} layer;

static const layer layers[] = {
    {"FCN-8s upscore8 21->21 k16 s8 28x28 -> 232x232", 21, 21, 28, 28, 16, 8, 0, 0, 0},
    {"DBNet head 96->24 k2 s2 160x160 -> 320x320 (+bias, ReLU)", 96, 24, 160, 160, 2, 2, 0, 1, 1},
    {"DBNet head 24->24 k2 s2 160x160 -> 320x320 (+bias, ReLU)", 24, 24, 160, 160, 2, 2, 0, 1, 1},
    {"DBNet head 24->1 k2 s2 320x320 -> 640x640 (+bias, sigmoid)", 24, 1, 320, 320, 2, 2, 0, 1, 4},
    {"FCN-8s upscore2 21->21 k4 s2 16x16 -> 34x34", 21, 21, 16, 16, 4, 2, 0, 0, 0},
};

#define CHECK(ctx, expr)                                                                                     \
    do {                                                                                                     \
        oclnn_status st_ = (expr);                                                                           \
        if (st_) {                                                                                           \
            fprintf(stderr, "%s: %s: %s\n", #expr, oclnn_status_name(st_), oclnn_last_error(ctx));           \
            exit(1);                                                                                         \
        }                                                                                                    \
    } while (0)

static float *random_floats(size_t n, unsigned *seed) {
    float *v = malloc(n * sizeof *v);
    if (!v) exit(1);
    for (size_t i = 0; i < n; i++) {
        *seed = *seed * 1664525u + 1013904223u;
        v[i] = (float)((*seed >> 8) / 16777216.0) - 0.5f;
    }
    return v;
}

/* Runs @p enqueue @p runs times after warm-up; prints median and min of enqueue + finish. Returns the median. */
typedef oclnn_status (*enqueue_fn)(void *op);
static oclnn_status enq_deconv(void *op) { return oclnn_deconv2d_enqueue(op, 0, NULL); }
static oclnn_status enq_conv(void *op) { return oclnn_conv2d_enqueue(op, 0, NULL); }

static double time_runs(oclnn_context *ctx, enqueue_fn fn, void *op, int runs, double gmac, const char *name) {
    double *t = malloc((size_t)runs * sizeof *t);
    for (int i = 0; i < 3; i++) CHECK(ctx, fn(op));
    CHECK(ctx, oclnn_context_finish(ctx));
    double c0 = cpu_ms();
    for (int i = 0; i < runs; i++) {
        double t0 = now_ms();
        CHECK(ctx, fn(op));
        CHECK(ctx, oclnn_context_finish(ctx));
        t[i] = now_ms() - t0;
    }
    double cpu = (cpu_ms() - c0) / runs;
    qsort(t, (size_t)runs, sizeof *t, cmp_double);
    double med = runs % 2 ? t[runs / 2] : 0.5 * (t[runs / 2 - 1] + t[runs / 2]);
    printf("%-62s median %8.3f ms  min %8.3f ms  CPU %8.3f ms/run  (%d runs, %.3f GMAC, %.1f GFLOP/s at the median)\n",
           name, med, t[0], cpu, runs, gmac, 2 * gmac / med * 1e3);
    free(t);
    return med;
}

static void bench_layer(oclnn_context *ctx, const layer *L, int runs, unsigned *seed) {
    oclnn_deconv2d_params p;
    oclnn_deconv2d_params_init(&p);
    p.in_channels = L->c;
    p.out_channels = L->k;
    p.kernel_h = p.kernel_w = L->ks;
    p.stride_h = p.stride_w = L->s;
    p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = L->pad;
    p.activation = (oclnn_activation)L->act;
    size_t nw = (size_t)L->c * L->k * L->ks * L->ks;
    float *w = random_floats(nw, seed), *b = random_floats(L->k, seed);
    oclnn_deconv2d *op;
    CHECK(ctx, oclnn_deconv2d_create(ctx, &p, w, nw, L->bias ? b : NULL, L->bias ? (size_t)L->k : 0, &op));
    size_t oh, ow;
    CHECK(ctx, oclnn_deconv2d_reshape(op, 1, L->h, L->w, &oh, &ow));
    int64_t dx[4] = {1, L->c, L->h, L->w}, dy[4] = {1, L->k, (int64_t)oh, (int64_t)ow};
    oclnn_tensor *tx, *ty;
    CHECK(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &tx));
    CHECK(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &ty));
    size_t nx = (size_t)L->c * L->h * L->w;
    float *x = random_floats(nx, seed);
    CHECK(ctx, oclnn_tensor_write(tx, 0, nx * 4, x));
    CHECK(ctx, oclnn_deconv2d_setup(op, tx, ty, 0, NULL, 0));
    /* Useful multiply-adds: every (input pixel, tap, output channel) that lands inside the output. With no
     * padding and no output_padding every one lands. */
    double gmac = (double)L->c * L->k * L->ks * L->ks * L->h * L->w / 1e9;
    time_runs(ctx, enq_deconv, op, runs, gmac, L->name);
    oclnn_deconv2d_destroy(op);
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    free(w);
    free(b);
    free(x);
}

/* The zero-insertion baseline: conv2d (stride 1, no groups) over the input with (s-1) zeros between pixels and
 * k-1-pad zeros around it, with the kernel flipped and transposed to [out][in]. The dilated input is prepared on
 * the host once (not timed): only the convolution is timed. */
static void bench_zero_insertion(oclnn_context *ctx, const layer *L, int runs, unsigned *seed) {
    int e = L->ks - 1 - L->pad;
    int zh = (L->h - 1) * L->s + 1 + 2 * e, zw = (L->w - 1) * L->s + 1 + 2 * e;
    size_t nw = (size_t)L->c * L->k * L->ks * L->ks;
    float *w = random_floats(nw, seed), *wc = malloc(nw * sizeof *wc);
    for (int c = 0; c < L->c; c++)
        for (int k = 0; k < L->k; k++)
            for (int t = 0; t < L->ks * L->ks; t++)
                wc[((size_t)k * L->c + c) * L->ks * L->ks + t] = w[((size_t)c * L->k + k) * L->ks * L->ks + L->ks * L->ks - 1 - t];
    oclnn_conv2d_params p;
    oclnn_conv2d_params_init(&p);
    p.in_channels = L->c;
    p.out_channels = L->k;
    p.kernel_h = p.kernel_w = L->ks;
    p.algo = OCLNN_CONV_ALGO_DIRECT;
    oclnn_conv2d *op;
    CHECK(ctx, oclnn_conv2d_create(ctx, &p, wc, nw, NULL, 0, &op));
    size_t oh, ow;
    CHECK(ctx, oclnn_conv2d_reshape(op, 1, zh, zw, &oh, &ow));
    int64_t dx[4] = {1, L->c, zh, zw}, dy[4] = {1, L->k, (int64_t)oh, (int64_t)ow};
    oclnn_tensor *tx, *ty;
    CHECK(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &tx));
    CHECK(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &ty));
    size_t nz = (size_t)L->c * zh * zw;
    float *z = calloc(nz, sizeof *z), *x = random_floats((size_t)L->c * L->h * L->w, seed);
    for (int c = 0; c < L->c; c++)
        for (int y = 0; y < L->h; y++)
            for (int xx = 0; xx < L->w; xx++)
                z[((size_t)c * zh + e + y * L->s) * zw + e + xx * L->s] = x[((size_t)c * L->h + y) * L->w + xx];
    CHECK(ctx, oclnn_tensor_write(tx, 0, nz * 4, z));
    CHECK(ctx, oclnn_conv2d_setup(op, tx, ty, 0, NULL, 0));
    char name[128];
    snprintf(name, sizeof name, "  same layer as zero insertion + conv2d direct (%dx%d -> %zux%zu)", zh, zw, oh, ow);
    double gmac = (double)L->c * L->k * L->ks * L->ks * L->h * L->w / 1e9;
    time_runs(ctx, enq_conv, op, runs, gmac, name);
    oclnn_conv2d_destroy(op);
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    free(w);
    free(wc);
    free(z);
    free(x);
}

int main(int argc, char **argv) {
    int runs = argc > 1 ? atoi(argv[1]) : 21;
    if (runs < 1) {
        fprintf(stderr, "usage: bench-deconv [runs (default 21)]\n");
        return 2;
    }
    oclnn_context_options o;
    oclnn_context_options_init(&o);
    oclnn_context *ctx;
    CHECK(NULL, oclnn_context_create(&o, &ctx));
    oclnn_device_info d;
    CHECK(ctx, oclnn_context_device_info(ctx, &d));
    double load[3] = {0, 0, 0};
    if (getloadavg(load, 3) < 1) load[0] = -1;
    printf("# device: %s (%s), %u compute units, %d runs per layer, wall time of enqueue + finish; load average "
           "%.1f\n", d.name, d.platform_name, d.compute_units, runs, load[0]);
    unsigned seed = 12345;
    for (size_t i = 0; i < sizeof layers / sizeof layers[0]; i++) {
        bench_layer(ctx, &layers[i], runs, &seed);
        if (i == 0) bench_zero_insertion(ctx, &layers[i], runs < 5 ? runs : 5, &seed);
    }
    oclnn_context_destroy(ctx);
    return 0;
}
