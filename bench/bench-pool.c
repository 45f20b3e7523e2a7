/* bench-pool - memory bandwidth of pooling against a plain OpenCL copy kernel moving the same bytes, on the
 * selected device ($OCLNN_DEVICE). Medians of 31 timed runs (profiling events) after one warm-up, the pooling and
 * copy runs alternating. Not a test: timings depend on the machine and its load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oclnn.h"
#include "oclnn_cl.h"

#define RUNS 31

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v) {
    qsort(v, RUNS, sizeof *v, cmp_u64);
    return v[RUNS / 2];
}

#define CHECK(ctx, expr)                                                                                     \
    do {                                                                                                     \
        oclnn_status st_ = (expr);                                                                           \
        if (st_) {                                                                                           \
            fprintf(stderr, "%s: %s\n", #expr, oclnn_last_error(ctx));                                      \
            exit(1);                                                                                         \
        }                                                                                                    \
    } while (0)

static const char *copy_src = "__kernel void copy(__global const float *restrict s, __global float *restrict d) {\n"
                              "    size_t i = get_global_id(0);\n"
                              "    d[i] = s[i];\n"
                              "}\n";

/* The copy kernel over n floats, built once. */
typedef struct copy_run {
    cl_command_queue q;
    cl_program prog;
    cl_kernel k;
    cl_mem s, d;
    size_t n;
} copy_run;

static void copy_init(oclnn_context *ctx, size_t n, copy_run *c) {
    cl_context cl = oclnn_context_cl_context(ctx);
    cl_device_id dev = oclnn_context_cl_device(ctx);
    cl_int err;
    c->q = oclnn_context_cl_queue(ctx, 0);
    c->n = n;
    c->prog = clCreateProgramWithSource(cl, 1, &copy_src, NULL, &err);
    if (err || clBuildProgram(c->prog, 1, &dev, "", NULL, NULL)) {
        fprintf(stderr, "copy kernel build failed\n");
        exit(1);
    }
    c->k = clCreateKernel(c->prog, "copy", &err);
    c->s = clCreateBuffer(cl, CL_MEM_READ_WRITE, n * sizeof(float), NULL, &err);
    c->d = clCreateBuffer(cl, CL_MEM_READ_WRITE, n * sizeof(float), NULL, &err);
    float zero = 0;
    clEnqueueFillBuffer(c->q, c->s, &zero, sizeof zero, 0, n * sizeof(float), 0, NULL, NULL);
    clSetKernelArg(c->k, 0, sizeof c->s, &c->s);
    clSetKernelArg(c->k, 1, sizeof c->d, &c->d);
}

static uint64_t copy_once(copy_run *c) {
    cl_event ev;
    if (clEnqueueNDRangeKernel(c->q, c->k, 1, NULL, &c->n, NULL, 0, NULL, &ev) || clWaitForEvents(1, &ev)) {
        fprintf(stderr, "copy kernel failed\n");
        exit(1);
    }
    cl_ulong a, b;
    clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START, sizeof a, &a, NULL);
    clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof b, &b, NULL);
    clReleaseEvent(ev);
    return b - a;
}

static void copy_release(copy_run *c) {
    clReleaseMemObject(c->s);
    clReleaseMemObject(c->d);
    clReleaseKernel(c->k);
    clReleaseProgram(c->prog);
}

static void report(const char *what, size_t bytes, uint64_t ns) {
    printf("%-52s %8.1f KiB %9.1f us %7.2f GB/s\n", what, bytes / 1024.0, ns / 1e3, (double)bytes / (double)ns);
}

/* One pooling configuration over a 1 x c x h x w input, and beside it the copy kernel moving the same bytes (in
 * + out, half read and half written). The two alternate run by run, so that both medians see the same load on a
 * shared machine. */
static void bench(oclnn_context *ctx, const char *what, const oclnn_pool2d_params *p, int c, int h, int w,
                  int with_copy) {
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
    size_t bytes = oclnn_tensor_nbytes(tx) + oclnn_tensor_nbytes(ty);
    copy_run cr;
    if (with_copy) copy_init(ctx, bytes / 2 / sizeof(float), &cr);
    uint64_t t[RUNS], tc[RUNS];
    for (int i = -1; i < RUNS; i++) {
        oclnn_event *ev;
        CHECK(ctx, oclnn_pool2d_enqueue(op, 0, &ev));
        CHECK(ctx, oclnn_event_wait(ev));
        uint64_t ns;
        CHECK(ctx, oclnn_event_elapsed_ns(ev, &ns));
        oclnn_event_destroy(ev);
        uint64_t nc = with_copy ? copy_once(&cr) : 0;
        if (i >= 0) {
            t[i] = ns;
            tc[i] = nc;
        }
    }
    uint64_t mp = median(t);
    report(what, bytes, mp);
    if (with_copy) {
        uint64_t mc = median(tc);
        printf("%-52s %8s     %9.1f us %7.2f GB/s  (pool at %.0f%% of it)\n", "  copy kernel, same bytes", "", mc / 1e3,
               (double)bytes / (double)mc, 100.0 * (double)mc / (double)mp);
        copy_release(&cr);
    }
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_pool2d_destroy(op);
}

static oclnn_pool2d_params window(oclnn_pool_type type, uint32_t k, uint32_t s, uint32_t pad) {
    oclnn_pool2d_params p;
    oclnn_pool2d_params_init(&p);
    p.type = type;
    p.kernel_h = p.kernel_w = k;
    p.stride_h = p.stride_w = s;
    p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = pad;
    return p;
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
    oclnn_pool2d_params p = window(OCLNN_POOL_MAX, 3, 2, 1);
    bench(ctx, "max 3x3 s2 p1, 64x112x112 -> 56x56 (ResNet stem)", &p, 64, 112, 112, 1);
    p = window(OCLNN_POOL_MAX, 2, 2, 0);
    bench(ctx, "max 2x2 s2, 64x224x224 -> 112x112 (VGG-16 pool1)", &p, 64, 224, 224, 1);
    p = window(OCLNN_POOL_AVG, 3, 1, 1);
    bench(ctx, "avg 3x3 s1 p1, 192x35x35 (Inception-v3)", &p, 192, 35, 35, 1);
    oclnn_pool2d_params_init(&p);
    p.type = OCLNN_POOL_GLOBAL_AVG;
    bench(ctx, "global avg pool 64x56x56", &p, 64, 56, 56, 0);
    bench(ctx, "global avg pool 2048x7x7", &p, 2048, 7, 7, 0);
    bench(ctx, "global avg pool 3x224x224 (work-group)", &p, 3, 224, 224, 1);
    oclnn_context_destroy(ctx);
    return 0;
}
