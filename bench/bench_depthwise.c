/* bench_depthwise.c - depthwise convolution layers (MobileNetV2, PP-OCR-like) on the direct and the depthwise
 * algorithms, against a plain OpenCL copy kernel moving the same bytes, all in one run and interleaved run by run.
 * Prints median kernel times (profiling events) and GB/s = (input + output + weight bytes) / time.
 *   bench-depthwise [runs (default 30, at least 20)] [layer filter substring]    OCLNN_DEVICE picks the device.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oclnn.h"
#include "oclnn_cl.h"

typedef struct layer {
    const char *name;
    int c, hw, k, s, m; /* channels, input size, kernel, stride, channel multiplier */
    oclnn_activation act;
} layer;

static const layer layers[] = {
    {"MobileNetV2 3x3 s1 144ch @56 ReLU6", 144, 56, 3, 1, 1, OCLNN_ACTIVATION_CLIP},
    {"MobileNetV2 3x3 s2 96ch @112 ReLU6", 96, 112, 3, 2, 1, OCLNN_ACTIVATION_CLIP},
    {"5x5 s1 240ch @40 HardSwish", 240, 40, 5, 1, 1, OCLNN_ACTIVATION_HARD_SWISH},
    {"5x5 s2 120ch @80 HardSwish", 120, 80, 5, 2, 1, OCLNN_ACTIVATION_HARD_SWISH},
    /* For AUTO's rule: a small map (7 of 8 vector lanes used) and channel multipliers 2 and 4, where the direct
     * kernel's channel vectors start to fill. */
    {"MobileNetV2 3x3 s1 960ch @7 ReLU6", 960, 7, 3, 1, 1, OCLNN_ACTIVATION_CLIP},
    {"3x3 s1 32ch x2 @112 ReLU", 32, 112, 3, 1, 2, OCLNN_ACTIVATION_RELU},
    {"3x3 s1 32ch x4 @56 ReLU", 32, 56, 3, 1, 4, OCLNN_ACTIVATION_RELU},
};

#define CHECK(expr)                                                                                          \
    do {                                                                                                     \
        oclnn_status st_ = (expr);                                                                           \
        if (st_ != OCLNN_STATUS_OK) {                                                                        \
            fprintf(stderr, "%s: %s\n", #expr, oclnn_last_error(ctx));                                       \
            exit(1);                                                                                         \
        }                                                                                                    \
    } while (0)

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static double median_ns(uint64_t *t, int n) {
    qsort(t, n, sizeof *t, cmp_u64);
    return n % 2 ? (double)t[n / 2] : 0.5 * ((double)t[n / 2 - 1] + (double)t[n / 2]);
}

static const char *copy_src = "__kernel void copy(__global const float *restrict s, __global float *restrict d) {\n"
                              "    size_t i = get_global_id(0);\n"
                              "    d[i] = s[i];\n"
                              "}\n";

/* A copy of bytes / 2 (read) into bytes / 2 (written): the memory traffic of a layer that reads and writes once. */
typedef struct copy_job {
    cl_program prog;
    cl_kernel k;
    cl_mem s, d;
    size_t n;
} copy_job;

static void copy_init(oclnn_context *ctx, copy_job *j, size_t bytes) {
    cl_context cl = oclnn_context_cl_context(ctx);
    cl_device_id dev = oclnn_context_cl_device(ctx);
    cl_int err;
    j->n = bytes / 2 / sizeof(float);
    j->prog = clCreateProgramWithSource(cl, 1, &copy_src, NULL, &err);
    if (err || clBuildProgram(j->prog, 1, &dev, "", NULL, NULL)) {
        fprintf(stderr, "copy kernel build failed\n");
        exit(1);
    }
    j->k = clCreateKernel(j->prog, "copy", &err);
    j->s = clCreateBuffer(cl, CL_MEM_READ_WRITE, j->n * sizeof(float), NULL, &err);
    j->d = clCreateBuffer(cl, CL_MEM_READ_WRITE, j->n * sizeof(float), NULL, &err);
    float zero = 0;
    clEnqueueFillBuffer(oclnn_context_cl_queue(ctx, 0), j->s, &zero, sizeof zero, 0, j->n * sizeof(float), 0, NULL,
                        NULL);
    clSetKernelArg(j->k, 0, sizeof j->s, &j->s);
    clSetKernelArg(j->k, 1, sizeof j->d, &j->d);
}

static uint64_t copy_run(oclnn_context *ctx, copy_job *j) {
    cl_event ev;
    if (clEnqueueNDRangeKernel(oclnn_context_cl_queue(ctx, 0), j->k, 1, NULL, &j->n, NULL, 0, NULL, &ev) ||
        clWaitForEvents(1, &ev)) {
        fprintf(stderr, "copy kernel failed\n");
        exit(1);
    }
    cl_ulong a, b;
    clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START, sizeof a, &a, NULL);
    clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof b, &b, NULL);
    clReleaseEvent(ev);
    return b - a;
}

static void copy_free(copy_job *j) {
    clReleaseMemObject(j->s);
    clReleaseMemObject(j->d);
    clReleaseKernel(j->k);
    clReleaseProgram(j->prog);
}

static uint64_t conv_run(oclnn_context *ctx, oclnn_conv2d *op) {
    oclnn_event *ev;
    CHECK(oclnn_conv2d_enqueue(op, 0, &ev));
    CHECK(oclnn_event_wait(ev));
    uint64_t ns;
    CHECK(oclnn_event_elapsed_ns(ev, &ns));
    oclnn_event_destroy(ev);
    return ns;
}

int main(int argc, char **argv) {
    int runs = argc > 1 ? atoi(argv[1]) : 30;
    if (runs < 20) runs = 20;
    const char *filter = argc > 2 ? argv[2] : NULL;
    oclnn_context_options o;
    oclnn_context_options_init(&o);
    o.profiling = 1;
    oclnn_context *ctx = NULL;
    if (oclnn_context_create(&o, &ctx) != OCLNN_STATUS_OK) {
        fprintf(stderr, "no context: %s\n", oclnn_last_error(NULL));
        return 1;
    }
    oclnn_device_info info;
    CHECK(oclnn_context_device_info(ctx, &info));
    printf("device: %s (%s); medians of %d interleaved runs; GB/s = (input + output + weights) bytes / time;\n"
           "copy = a plain copy kernel moving the same bytes (half read, half written)\n",
           info.name, info.platform_name, runs);
    static const oclnn_conv_algo algos[] = {OCLNN_CONV_ALGO_DIRECT, OCLNN_CONV_ALGO_DEPTHWISE};
    enum { NA = sizeof algos / sizeof algos[0] };
    for (size_t li = 0; li < sizeof layers / sizeof layers[0]; li++) {
        const layer *l = &layers[li];
        if (filter && !strstr(l->name, filter)) continue;
        int pad = l->k / 2, oh = (l->hw + 2 * pad - l->k) / l->s + 1;
        size_t nw = (size_t)l->c * l->m * l->k * l->k, nx = (size_t)l->c * l->hw * l->hw;
        size_t ny = (size_t)l->c * l->m * oh * oh;
        float *w = malloc(nw * sizeof(float)), *b = malloc((size_t)l->c * l->m * sizeof(float)), *xh = malloc(nx * sizeof(float));
        for (size_t i = 0; i < nw; i++) w[i] = (float)((i * 2654435761u) % 1000) / 1000.0f - 0.5f;
        for (int i = 0; i < l->c * l->m; i++) b[i] = 0.01f * (float)(i % 7);
        for (size_t i = 0; i < nx; i++) xh[i] = (float)((i * 40503u) % 1000) / 1000.0f - 0.5f;
        int64_t dx[4] = {1, l->c, l->hw, l->hw}, dy[4] = {1, l->c * l->m, oh, oh};
        oclnn_tensor *x, *y;
        CHECK(oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &x));
        CHECK(oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &y));
        CHECK(oclnn_tensor_write(x, 0, nx * sizeof(float), xh));
        oclnn_conv2d *ops[NA];
        uint64_t *t[NA + 1];
        for (int a = 0; a < NA; a++) {
            oclnn_conv2d_params p;
            oclnn_conv2d_params_init(&p);
            p.in_channels = p.groups = (uint32_t)l->c;
            p.out_channels = (uint32_t)(l->c * l->m);
            p.kernel_h = p.kernel_w = (uint32_t)l->k;
            p.stride_h = p.stride_w = (uint32_t)l->s;
            p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = (uint32_t)pad;
            p.activation = l->act;
            if (l->act == OCLNN_ACTIVATION_CLIP) { /* ReLU6 = Clip(0, 6) */
                p.activation_alpha = 0;
                p.activation_beta = 6;
            }
            p.algo = algos[a];
            CHECK(oclnn_conv2d_create(ctx, &p, w, nw, b, (size_t)l->c * l->m, &ops[a]));
            CHECK(oclnn_conv2d_reshape(ops[a], 1, l->hw, l->hw, NULL, NULL));
            CHECK(oclnn_conv2d_setup(ops[a], x, y, 0, NULL, 0));
            conv_run(ctx, ops[a]); /* warm-up */
        }
        size_t bytes = (nx + ny + nw) * sizeof(float);
        copy_job cj;
        copy_init(ctx, &cj, bytes);
        copy_run(ctx, &cj);
        for (int a = 0; a <= NA; a++) t[a] = malloc(sizeof(uint64_t) * runs);
        /* Round robin: on a shared machine, load changes hit every variant alike. */
        for (int r = 0; r < runs; r++) {
            for (int a = 0; a < NA; a++) t[a][r] = conv_run(ctx, ops[a]);
            t[NA][r] = copy_run(ctx, &cj);
        }
        double copy_ns = median_ns(t[NA], runs), direct_ns = 0;
        printf("%s (%.2f MB moved)\n", l->name, bytes / 1e6);
        for (int a = 0; a < NA; a++) {
            double ns = median_ns(t[a], runs);
            if (a == 0) direct_ns = ns;
            printf("  %-10s %8.3f ms %7.2f GB/s  %5.2fx direct  %5.2fx copy time\n", oclnn_conv_algo_name(algos[a]),
                   ns / 1e6, bytes / ns, direct_ns / ns, ns / copy_ns);
            oclnn_conv2d_destroy(ops[a]);
        }
        printf("  %-10s %8.3f ms %7.2f GB/s\n", "copy", copy_ns / 1e6, bytes / copy_ns);
        for (int a = 0; a <= NA; a++) free(t[a]);
        copy_free(&cj);
        oclnn_tensor_destroy(x);
        oclnn_tensor_destroy(y);
        free(w);
        free(b);
        free(xh);
    }
    oclnn_context_destroy(ctx);
    return 0;
}
