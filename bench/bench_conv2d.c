/* bench_conv2d.c - median time and GFLOP/s of the conv2d algorithms (direct, winograd2x2, winograd4x4) on 3x3
 * stride-1 VGG layers, all in one run and interleaved run by run so the figures are comparable. FLOPs are
 * counted as direct convolution (2 * N * K * C * 9 * OH * OW) for every algorithm. Uses the public API only.
 *   bench_conv2d [runs (default 10)] [layer filter substring]    OCLNN_DEVICE picks the device.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oclnn.h"

typedef struct layer {
    const char *name;
    int c, k, hw;
} layer;

static const layer layers[] = {
    {"VGG conv3 3x3 256->256 @56", 256, 256, 56},
    {"VGG conv1 3x3 64->64 @224", 64, 64, 224},
    {"VGG conv4 3x3 512->512 @28", 512, 512, 28},
    {"3x3 32->32 @112", 32, 32, 112},
    {"3x3 16->16 @112", 16, 16, 112},
};

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

#define CHECK(expr)                                                                                          \
    do {                                                                                                     \
        oclnn_status st_ = (expr);                                                                           \
        if (st_ != OCLNN_STATUS_OK) {                                                                        \
            fprintf(stderr, "%s: %s\n", #expr, oclnn_last_error(ctx));                                       \
            exit(1);                                                                                         \
        }                                                                                                    \
    } while (0)

static oclnn_conv2d *make_op(oclnn_context *ctx, const layer *l, oclnn_conv_algo algo, const float *w, oclnn_tensor *x,
                             oclnn_tensor *y) {
    oclnn_conv2d_params p;
    oclnn_conv2d_params_init(&p);
    p.in_channels = l->c;
    p.out_channels = l->k;
    p.kernel_h = p.kernel_w = 3;
    p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = 1;
    p.activation = OCLNN_ACTIVATION_RELU;
    p.algo = algo;
    oclnn_conv2d *op;
    CHECK(oclnn_conv2d_create(ctx, &p, w, (size_t)l->k * l->c * 9, NULL, 0, &op));
    CHECK(oclnn_conv2d_reshape(op, 1, l->hw, l->hw, NULL, NULL));
    CHECK(oclnn_conv2d_setup(op, x, y, 0, NULL, 0));
    CHECK(oclnn_conv2d_enqueue(op, 0, NULL)); /* warm-up: first-touch of workspaces */
    CHECK(oclnn_context_finish(ctx));
    return op;
}

static double median(double *t, int n) {
    qsort(t, n, sizeof *t, cmp_double);
    return n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
}

int main(int argc, char **argv) {
    int runs = argc > 1 ? atoi(argv[1]) : 10;
    const char *filter = argc > 2 ? argv[2] : NULL;
    if (runs < 1) runs = 1;
    oclnn_context_options o;
    oclnn_context_options_init(&o);
    oclnn_context *ctx = NULL;
    if (oclnn_context_create(&o, &ctx) != OCLNN_STATUS_OK) {
        fprintf(stderr, "no context: %s\n", oclnn_last_error(NULL));
        return 1;
    }
    oclnn_device_info info;
    CHECK(oclnn_context_device_info(ctx, &info));
    printf("device: %s; median of %d runs; GFLOP/s counted as direct convolution\n", info.name, runs);
    static const oclnn_conv_algo algos[] = {OCLNN_CONV_ALGO_DIRECT, OCLNN_CONV_ALGO_WINOGRAD2X2,
                                            OCLNN_CONV_ALGO_WINOGRAD4X4};
    for (size_t li = 0; li < sizeof layers / sizeof layers[0]; li++) {
        const layer *l = &layers[li];
        if (filter && !strstr(l->name, filter)) continue;
        size_t nw = (size_t)l->k * l->c * 9, nx = (size_t)l->c * l->hw * l->hw;
        float *w = malloc(nw * sizeof(float)), *xh = malloc(nx * sizeof(float));
        for (size_t i = 0; i < nw; i++) w[i] = (float)((i * 2654435761u) % 1000) / 1000.0f - 0.5f;
        for (size_t i = 0; i < nx; i++) xh[i] = (float)((i * 40503u) % 1000) / 1000.0f - 0.5f;
        int64_t dx[4] = {1, l->c, l->hw, l->hw}, dy[4] = {1, l->k, l->hw, l->hw};
        oclnn_tensor *x, *y;
        CHECK(oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &x));
        CHECK(oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &y));
        CHECK(oclnn_tensor_write(x, 0, nx * sizeof(float), xh));
        double flops = 2.0 * l->k * l->c * 9 * (double)l->hw * l->hw, direct_ms = 0;
        printf("%s (%.2f GFLOP)\n", l->name, flops * 1e-9);
        enum { NA = sizeof algos / sizeof algos[0] };
        oclnn_conv2d *ops[NA];
        double *t[NA];
        for (int a = 0; a < NA; a++) {
            ops[a] = make_op(ctx, l, algos[a], w, x, y);
            t[a] = malloc(sizeof(double) * runs);
        }
        /* Round robin: on a shared machine, load changes hit every algorithm alike. */
        for (int r = 0; r < runs; r++)
            for (int a = 0; a < NA; a++) {
                double t0 = now_ms();
                CHECK(oclnn_conv2d_enqueue(ops[a], 0, NULL));
                CHECK(oclnn_context_finish(ctx));
                t[a][r] = now_ms() - t0;
            }
        for (int a = 0; a < NA; a++) {
            double ms = median(t[a], runs);
            if (a == 0) direct_ms = ms;
            printf("  %-12s %9.2f ms %8.1f GFLOP/s  %5.2fx direct\n", oclnn_conv_algo_name(algos[a]), ms,
                   flops / (ms * 1e6), direct_ms / ms);
            oclnn_conv2d_destroy(ops[a]);
            free(t[a]);
        }
        oclnn_tensor_destroy(x);
        oclnn_tensor_destroy(y);
        free(w);
        free(xh);
    }
    oclnn_context_destroy(ctx);
    return 0;
}
