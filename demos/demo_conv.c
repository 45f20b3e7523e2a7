/* demo_conv - the smallest complete use of oclnn: pick a device, run one 3x3 convolution with a fused ReLU
 * through the public API, check it against a plain C loop, and print the time. Also the README's example.
 * Usage: demo_conv [--device SPEC] [C K H W]   (default 64 64 56 56)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oclnn.h"

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    const char *device = NULL;
    int dims[4] = {64, 64, 56, 56}, nd = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--device") == 0 && i + 1 < argc) device = argv[++i];
        else if (nd < 4) dims[nd++] = atoi(argv[i]);
    }
    int C = dims[0], K = dims[1], H = dims[2], W = dims[3];
    if (C < 1 || K < 1 || H < 1 || W < 1) {
        fprintf(stderr, "usage: demo_conv [--device SPEC] [C K H W]\n");
        return 2;
    }
    oclnn_context_options opts;
    oclnn_context_options_init(&opts);
    opts.device = device;
    oclnn_context *ctx = NULL;
    if (oclnn_context_create(&opts, &ctx) != OCLNN_STATUS_OK) {
        fprintf(stderr, "demo_conv: %s\n", oclnn_last_error(NULL));
        return 1;
    }
    oclnn_device_info info;
    oclnn_context_device_info(ctx, &info);
    printf("device: %s / %s\n", info.platform_name, info.name);

    size_t nx = (size_t)C * H * W, nw = (size_t)K * C * 9, ny = (size_t)K * H * W;
    float *x = malloc(nx * 4), *w = malloc(nw * 4), *b = malloc(K * 4), *y = malloc(ny * 4);
    srand(1);
    for (size_t i = 0; i < nx; i++) x[i] = rand() / (float)RAND_MAX - 0.5f;
    for (size_t i = 0; i < nw; i++) w[i] = (rand() / (float)RAND_MAX - 0.5f) * 0.1f;
    for (int i = 0; i < K; i++) b[i] = 0.01f * i;

    oclnn_conv2d_params p;
    oclnn_conv2d_params_init(&p);
    p.in_channels = C;
    p.out_channels = K;
    p.kernel_h = p.kernel_w = 3;
    p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = 1;
    p.activation = OCLNN_ACTIVATION_RELU;
    oclnn_conv2d *conv = NULL;
    oclnn_tensor *tx = NULL, *ty = NULL;
    int64_t dx[4] = {1, C, H, W}, dy[4] = {1, K, H, W};
    size_t oh, ow;
    double t0 = now_ms();
    oclnn_status st = oclnn_conv2d_create(ctx, &p, w, nw, b, K, &conv);
    double t_create = now_ms() - t0;
    if (!st) st = oclnn_conv2d_reshape(conv, 1, H, W, &oh, &ow);
    if (!st) st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &tx);
    if (!st) st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &ty);
    if (!st) st = oclnn_tensor_write(tx, 0, nx * 4, x);
    if (!st) st = oclnn_conv2d_setup(conv, tx, ty, 0, NULL, 0);
    double times[20];
    int runs = 0;
    for (; !st && runs < 20; runs++) {
        double t = now_ms();
        st = oclnn_conv2d_enqueue(conv, 0, NULL);
        if (!st) st = oclnn_context_finish(ctx);
        times[runs] = now_ms() - t;
    }
    if (!st) st = oclnn_tensor_read(ty, 0, ny * 4, y);
    int bad = 0;
    if (!st) {
        /* Check a sample of outputs against a plain loop in double. */
        for (size_t s = 0; s < ny; s += 97) {
            int k = (int)(s / ((size_t)H * W)), oy = (int)(s / W % H), ox = (int)(s % W);
            double acc = b[k], mag = fabs(b[k]);
            for (int c = 0; c < C; c++)
                for (int ky = 0; ky < 3; ky++)
                    for (int kx = 0; kx < 3; kx++) {
                        int iy = oy + ky - 1, ix = ox + kx - 1;
                        if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                        double t = (double)w[((size_t)k * C + c) * 9 + ky * 3 + kx] * x[((size_t)c * H + iy) * W + ix];
                        acc += t;
                        mag += fabs(t);
                    }
            acc = acc > 0 ? acc : 0;
            if (fabs(y[s] - acc) > 1e-5 * mag + 1e-6) bad++;
        }
        qsort(times, runs, sizeof times[0], cmp_double);
        double med = times[runs / 2], gflop = 2.0 * K * C * 9 * (double)oh * ow * 1e-9;
        printf("conv 3x3 %d->%d @%dx%d + bias + ReLU (%s): create %.1f ms, median %.3f ms over %d runs, %.1f GFLOP/s\n",
               C, K, H, W, oclnn_conv_algo_name(oclnn_conv2d_algo(conv)), t_create, med, runs, gflop / (med * 1e-3));
        printf("check against a C loop: %s\n", bad ? "MISMATCH" : "ok");
    } else {
        fprintf(stderr, "demo_conv: %s\n", oclnn_last_error(ctx));
    }
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_conv2d_destroy(conv);
    oclnn_context_destroy(ctx);
    free(x);
    free(w);
    free(b);
    free(y);
    return (st || bad) ? 1 : 0;
}
