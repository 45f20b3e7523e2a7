/* bench_gemm.c - timings behind the GEMM choices: CLBlast's first call in a process, a square SGEMM (ours vs
 * CLBlast), the VGG fc6 GEMV in GB/s of weights streamed, and a 1x1 conv (direct vs gemm). Public API only;
 * medians of wall-clock enqueue + finish over --runs runs after a warm-up. Usage: bench-gemm [runs] [size]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oclnn.h"

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

#define CHECK(expr)                                                                                          \
    do {                                                                                                     \
        oclnn_status st_ = (expr);                                                                           \
        if (st_) {                                                                                           \
            fprintf(stderr, "%s: %s\n", #expr, oclnn_last_error(ctx));                                      \
            exit(1);                                                                                         \
        }                                                                                                    \
    } while (0)

static oclnn_context *ctx;
static int runs = 10;
static double last_min; /* fastest run of the last median_ms: less sensitive to a shared, loaded machine */

typedef oclnn_status (*enqueue_fn)(void *op);
static oclnn_status enq_gemm(void *op) { return oclnn_gemm_enqueue(op, 0, NULL); }
static oclnn_status enq_conv(void *op) { return oclnn_conv2d_enqueue(op, 0, NULL); }

/* Median milliseconds of one enqueue + finish. */
static double median_ms(enqueue_fn f, void *op) {
    double t[256];
    CHECK(f(op)); /* warm-up */
    CHECK(oclnn_context_finish(ctx));
    for (int i = 0; i < runs; i++) {
        double t0 = now_ms();
        CHECK(f(op));
        CHECK(oclnn_context_finish(ctx));
        t[i] = now_ms() - t0;
    }
    qsort(t, (size_t)runs, sizeof t[0], cmp);
    last_min = t[0];
    return t[runs / 2];
}

static float *rnd(size_t n) {
    float *v = malloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++) v[i] = (float)((i * 2654435761u) % 1000) / 1000.0f - 0.5f;
    return v;
}

static oclnn_tensor *tensor2(int64_t a, int64_t b) {
    int64_t d[2] = {a, b};
    oclnn_tensor *t;
    CHECK(oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, d, &t));
    CHECK(oclnn_tensor_zero(t));
    return t;
}

/* A square SGEMM with both operands bound (as MatMul/Gemm of activations); returns median ms, and *first_ms the
 * wall time of the very first enqueue + finish. */
static double square(int n, oclnn_gemm_backend be, int b_const, double *first_ms) {
    oclnn_gemm_params p;
    oclnn_gemm_params_init(&p);
    p.backend = be;
    oclnn_gemm *op;
    int64_t d[2] = {n, n}, yd[2];
    float *h = rnd((size_t)n * n);
    CHECK(oclnn_gemm_create(ctx, &p, b_const ? h : NULL, d, NULL, 0, NULL, &op));
    CHECK(oclnn_gemm_reshape(op, d, d, yd));
    oclnn_tensor *a = tensor2(n, n), *b = tensor2(n, n), *y = tensor2(n, n);
    CHECK(oclnn_tensor_write(a, 0, (size_t)n * n * 4, h));
    CHECK(oclnn_tensor_write(b, 0, (size_t)n * n * 4, h));
    CHECK(oclnn_gemm_setup(op, a, b_const ? NULL : b, NULL, y));
    double t0 = now_ms();
    CHECK(oclnn_gemm_enqueue(op, 0, NULL));
    CHECK(oclnn_context_finish(ctx));
    if (first_ms) *first_ms = now_ms() - t0;
    double ms = median_ms(enq_gemm, op);
    oclnn_gemm_destroy(op);
    oclnn_tensor_destroy(a);
    oclnn_tensor_destroy(b);
    oclnn_tensor_destroy(y);
    free(h);
    return ms;
}

/* Fully-connected: Y[M][N] = X[M][K] W^T + bias with constant weights W [N][K] (ONNX Gemm transB = 1). */
static double fc(int M, int K, int N, oclnn_gemm_backend be) {
    oclnn_gemm_params p;
    oclnn_gemm_params_init(&p);
    p.trans_b = 1;
    p.backend = be;
    float *w = rnd((size_t)N * K), *bias = rnd((size_t)N);
    int64_t wd[2] = {N, K}, bd[1] = {N}, ad[2] = {M, K}, yd[2];
    oclnn_gemm *op;
    CHECK(oclnn_gemm_create(ctx, &p, w, wd, bias, 1, bd, &op));
    CHECK(oclnn_gemm_reshape(op, ad, NULL, yd));
    oclnn_tensor *a = tensor2(M, K), *y = tensor2(M, N);
    CHECK(oclnn_gemm_setup(op, a, NULL, NULL, y));
    double ms = median_ms(enq_gemm, op);
    oclnn_gemm_destroy(op);
    oclnn_tensor_destroy(a);
    oclnn_tensor_destroy(y);
    free(w);
    free(bias);
    return ms;
}

static double conv(int C, int K, int H, int kh, int stride, oclnn_conv_algo algo) {
    oclnn_conv2d_params p;
    oclnn_conv2d_params_init(&p);
    p.in_channels = C;
    p.out_channels = K;
    p.kernel_h = p.kernel_w = kh;
    p.stride_h = p.stride_w = stride;
    p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = kh / 2;
    p.activation = OCLNN_ACTIVATION_RELU;
    p.algo = algo;
    float *w = rnd((size_t)K * C * kh * kh), *b = rnd((size_t)K);
    oclnn_conv2d *op;
    CHECK(oclnn_conv2d_create(ctx, &p, w, (size_t)K * C * kh * kh, b, K, &op));
    size_t oh, ow;
    CHECK(oclnn_conv2d_reshape(op, 1, H, H, &oh, &ow));
    int64_t dx[4] = {1, C, H, H}, dy[4] = {1, K, (int64_t)oh, (int64_t)ow};
    oclnn_tensor *x, *y;
    CHECK(oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &x));
    CHECK(oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &y));
    CHECK(oclnn_tensor_zero(x));
    CHECK(oclnn_conv2d_setup(op, x, y, 0, NULL, 0));
    double ms = median_ms(enq_conv, op);
    oclnn_conv2d_destroy(op);
    oclnn_tensor_destroy(x);
    oclnn_tensor_destroy(y);
    free(w);
    free(b);
    return ms;
}

int main(int argc, char **argv) {
    if (argc > 1) runs = atoi(argv[1]);
    if (runs < 1 || runs > 256) runs = 10;
    int sq = argc > 2 ? atoi(argv[2]) : 512;
    const char *only = getenv("BENCH_ONLY"); /* "square", "fc", "conv" or unset for all */
    oclnn_context_options o;
    oclnn_context_options_init(&o);
    if (oclnn_context_create(&o, &ctx)) {
        fprintf(stderr, "%s\n", oclnn_last_error(NULL));
        return 1;
    }
    oclnn_device_info d;
    oclnn_context_device_info(ctx, &d);
    printf("device: %s (%s), median of %d runs\n", d.name, d.platform_name, runs);
    if (!only || !strcmp(only, "square")) {
        double first, clb = square(sq, OCLNN_GEMM_BACKEND_CLBLAST, 0, &first), cmin = last_min;
        double ours = square(sq, OCLNN_GEMM_BACKEND_OCLNN, 0, NULL), omin = last_min;
        double packed = square(sq, OCLNN_GEMM_BACKEND_OCLNN, 1, NULL), pmin = last_min;
        double gf = 2.0 * sq * sq * sq / 1e6;
        printf("CLBlast first call in this process (%d SGEMM, compiles its kernels): %.0f ms\n", sq, first);
        printf("SGEMM %d: oclnn %.2f ms = %.1f GFLOP/s (best %.1f), CLBlast %.2f ms = %.1f GFLOP/s (best %.1f)\n", sq,
               ours, gf / ours, gf / omin, clb, gf / clb, gf / cmin);
        printf("SGEMM %d with a constant (packed) B: oclnn %.2f ms = %.1f GFLOP/s (best %.1f)\n", sq, packed,
               gf / packed, gf / pmin);
    }
    if (!only || !strcmp(only, "fc")) {
        static const int shapes[][3] = {{1, 25088, 4096}, {1, 4096, 4096}, {8, 4096, 4096}};
        for (int i = 0; i < 3; i++) {
            int M = shapes[i][0], K = shapes[i][1], N = shapes[i][2];
            double ms = fc(M, K, N, OCLNN_GEMM_BACKEND_OCLNN), omin = last_min;
            double clb = fc(M, K, N, OCLNN_GEMM_BACKEND_CLBLAST);
            double gb = (double)K * N * 4 / 1e6;
            printf("FC M=%d K=%d N=%d: oclnn %.2f ms = %.1f GB/s of weights (best %.1f), %.1f GFLOP/s; CLBlast %.2f ms = "
                   "%.1f GB/s\n",
                   M, K, N, ms, gb / ms, gb / omin, 2.0 * M * K * N / 1e6 / ms, clb, gb / clb);
        }
    }
    if (!only || !strcmp(only, "conv")) {
        static const int shapes[][4] = {{256, 64, 56, 1}, {64, 256, 56, 1}, {512, 128, 28, 1}, {128, 128, 28, 3}};
        for (int i = 0; i < 4; i++) {
            int C = shapes[i][0], K = shapes[i][1], H = shapes[i][2], kh = shapes[i][3];
            double dir = conv(C, K, H, kh, 1, OCLNN_CONV_ALGO_DIRECT), dmin = last_min;
            double gem = conv(C, K, H, kh, 1, OCLNN_CONV_ALGO_GEMM), gmin = last_min;
            double gf = 2.0 * C * K * H * H * kh * kh / 1e6;
            printf("conv %dx%d %d->%d @%d: direct %.2f ms = %.1f GFLOP/s (best %.1f), gemm %.2f ms = %.1f GFLOP/s "
                   "(best %.1f)\n",
                   kh, kh, C, K, H, dir, gf / dir, gf / dmin, gem, gf / gem, gf / gmin);
        }
    }
    oclnn_context_destroy(ctx);
    return 0;
}
