/* bench-pool - memory bandwidth of pooling against a plain OpenCL copy kernel moving the same bytes, on the
 * selected device ($OCLNN_DEVICE). Median of 20 timed runs (profiling events) after one warm-up.
 * Not a test: timings depend on the machine and its load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oclnn.h"
#include "oclnn_cl.h"

#define RUNS 20

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v) {
    qsort(v, RUNS, sizeof *v, cmp_u64);
    return (v[RUNS / 2 - 1] + v[RUNS / 2]) / 2;
}

#define CHECK(ctx, expr)                                                                                     \
    do {                                                                                                     \
        oclnn_status st_ = (expr);                                                                           \
        if (st_) {                                                                                           \
            fprintf(stderr, "%s: %s\n", #expr, oclnn_last_error(ctx));                                      \
            exit(1);                                                                                         \
        }                                                                                                    \
    } while (0)

/* Median kernel time of one pooling configuration over an n x c x h x w input; *bytes receives in + out. */
static uint64_t time_pool(oclnn_context *ctx, const oclnn_pool2d_params *p, int c, int h, int w, size_t *bytes) {
    oclnn_pool2d *op;
    size_t oh, ow;
    CHECK(ctx, oclnn_pool2d_create(ctx, p, &op));
    CHECK(ctx, oclnn_pool2d_reshape(op, 1, c, h, w, &oh, &ow));
    int64_t dx[4] = {1, c, h, w}, dy[4] = {1, c, (int64_t)oh, (int64_t)ow};
    oclnn_tensor *tx, *ty;
    CHECK(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &tx));
    CHECK(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &ty));
    CHECK(ctx, oclnn_tensor_zero(tx));
    CHECK(ctx, oclnn_pool2d_setup(op, tx, ty, 0));
    uint64_t t[RUNS];
    for (int i = -1; i < RUNS; i++) {
        oclnn_event *ev;
        CHECK(ctx, oclnn_pool2d_enqueue(op, 0, &ev));
        CHECK(ctx, oclnn_event_wait(ev));
        uint64_t ns;
        CHECK(ctx, oclnn_event_elapsed_ns(ev, &ns));
        oclnn_event_destroy(ev);
        if (i >= 0) t[i] = ns;
    }
    *bytes = oclnn_tensor_nbytes(tx) + oclnn_tensor_nbytes(ty);
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_pool2d_destroy(op);
    return median(t);
}

static const char *copy_src = "__kernel void copy(__global const float *restrict s, __global float *restrict d) {\n"
                              "    size_t i = get_global_id(0);\n"
                              "    d[i] = s[i];\n"
                              "}\n";

/* Median time of the copy kernel reading and writing bytes / 2 each. */
static uint64_t time_copy(oclnn_context *ctx, size_t bytes) {
    cl_context cl = oclnn_context_cl_context(ctx);
    cl_device_id dev = oclnn_context_cl_device(ctx);
    cl_command_queue q = oclnn_context_cl_queue(ctx, 0);
    size_t n = bytes / 2 / sizeof(float);
    cl_int err;
    cl_program prog = clCreateProgramWithSource(cl, 1, &copy_src, NULL, &err);
    if (err || clBuildProgram(prog, 1, &dev, "", NULL, NULL)) {
        fprintf(stderr, "copy kernel build failed\n");
        exit(1);
    }
    cl_kernel k = clCreateKernel(prog, "copy", &err);
    cl_mem s = clCreateBuffer(cl, CL_MEM_READ_WRITE, n * sizeof(float), NULL, &err);
    cl_mem d = clCreateBuffer(cl, CL_MEM_READ_WRITE, n * sizeof(float), NULL, &err);
    float zero = 0;
    clEnqueueFillBuffer(q, s, &zero, sizeof zero, 0, n * sizeof(float), 0, NULL, NULL);
    clSetKernelArg(k, 0, sizeof s, &s);
    clSetKernelArg(k, 1, sizeof d, &d);
    uint64_t t[RUNS];
    for (int i = -1; i < RUNS; i++) {
        cl_event ev;
        if (clEnqueueNDRangeKernel(q, k, 1, NULL, &n, NULL, 0, NULL, &ev) || clWaitForEvents(1, &ev)) {
            fprintf(stderr, "copy kernel failed\n");
            exit(1);
        }
        cl_ulong a, b;
        clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START, sizeof a, &a, NULL);
        clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof b, &b, NULL);
        clReleaseEvent(ev);
        if (i >= 0) t[i] = b - a;
    }
    clReleaseMemObject(s);
    clReleaseMemObject(d);
    clReleaseKernel(k);
    clReleaseProgram(prog);
    return median(t);
}

static void report(const char *what, size_t bytes, uint64_t ns) {
    printf("%-44s %8.1f KiB %9.1f us %7.2f GB/s\n", what, bytes / 1024.0, ns / 1e3, (double)bytes / (double)ns);
}

int main(void) {
    oclnn_context_options o;
    oclnn_context_options_init(&o);
    o.profiling = 1;
    oclnn_context *ctx;
    CHECK(NULL, oclnn_context_create(&o, &ctx));
    oclnn_device_info d;
    oclnn_context_device_info(ctx, &d);
    printf("device: %s (%s), medians of %d runs; GB/s = (bytes read + written) / kernel time\n", d.name,
           d.platform_name, RUNS);
    oclnn_pool2d_params p;
    oclnn_pool2d_params_init(&p);
    p.kernel_h = p.kernel_w = 3;
    p.stride_h = p.stride_w = 2;
    p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = 1;
    size_t bytes;
    uint64_t ns = time_pool(ctx, &p, 64, 112, 112, &bytes);
    report("max pool 3x3 s2 p1, 64x112x112 -> 64x56x56", bytes, ns);
    report("copy kernel, same bytes", bytes, time_copy(ctx, bytes));
    oclnn_pool2d_params_init(&p);
    p.type = OCLNN_POOL_GLOBAL_AVG;
    ns = time_pool(ctx, &p, 64, 56, 56, &bytes);
    report("global avg pool 64x56x56", bytes, ns);
    ns = time_pool(ctx, &p, 2048, 7, 7, &bytes);
    report("global avg pool 2048x7x7", bytes, ns);
    ns = time_pool(ctx, &p, 3, 224, 224, &bytes);
    report("global avg pool 3x224x224 (work-group)", bytes, ns);
    report("copy kernel, same bytes", bytes, time_copy(ctx, bytes));
    oclnn_context_destroy(ctx);
    return 0;
}
