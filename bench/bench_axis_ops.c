/* bench_axis_ops.c - times Softmax, ArgMax and LRN on the shapes they are tuned for, each next to a copy of the
 * same bytes (clEnqueueCopyBuffer: what memory traffic alone costs) and, for the per-pixel softmax, next to the
 * same data in NHWC order (softmax over the last axis of [H*W, C]: one work-item per short row, strided reads).
 * The per-pixel softmax and argmax also print GB/s (bytes read + written) beside a plain OpenCL copy kernel (one
 * float per work-item) of the input's bytes, timed in turns with them.
 * Usage: bench-axis [repetitions]   (OCLNN_DEVICE picks the device). Prints medians of kernel times.
 */
#include <stdio.h>
#include <stdlib.h>

#include "oclnn.h"
#include "oclnn_cl.h"

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define CHECK(expr)                                                                                                    \
    do {                                                                                                               \
        oclnn_status st_ = (expr);                                                                                     \
        if (st_) {                                                                                                     \
            fprintf(stderr, "%s: %s\n", #expr, oclnn_last_error(ctx));                                                 \
            exit(1);                                                                                                   \
        }                                                                                                              \
    } while (0)

typedef oclnn_status (*enqueue_fn)(void *op, uint32_t queue, oclnn_event **ev);
static oclnn_status enq_softmax(void *op, uint32_t q, oclnn_event **ev) { return oclnn_softmax_enqueue(op, q, ev); }
static oclnn_status enq_argmax(void *op, uint32_t q, oclnn_event **ev) { return oclnn_argmax_enqueue(op, q, ev); }
static oclnn_status enq_lrn(void *op, uint32_t q, oclnn_event **ev) { return oclnn_lrn_enqueue(op, q, ev); }

/* Median kernel time in ms of @p reps runs (after one warm-up). */
static double time_op(oclnn_context *ctx, void *op, enqueue_fn fn, int reps) {
    double *t = malloc(sizeof(double) * (size_t)reps);
    for (int r = -1; r < reps; r++) {
        oclnn_event *ev;
        uint64_t ns = 0;
        CHECK(fn(op, 0, &ev));
        CHECK(oclnn_event_wait(ev));
        CHECK(oclnn_event_elapsed_ns(ev, &ns));
        oclnn_event_destroy(ev);
        if (r >= 0) t[r] = ns / 1e6;
    }
    qsort(t, (size_t)reps, sizeof *t, cmp_double);
    double m = t[reps / 2];
    free(t);
    return m;
}

static double time_copy(oclnn_context *ctx, oclnn_tensor *src, oclnn_tensor *dst, size_t bytes, int reps) {
    double *t = malloc(sizeof(double) * (size_t)reps);
    cl_command_queue q = oclnn_context_cl_queue(ctx, 0);
    for (int r = -1; r < reps; r++) {
        cl_event ev;
        cl_ulong a = 0, b = 0;
        clEnqueueCopyBuffer(q, oclnn_tensor_cl_mem(src, NULL), oclnn_tensor_cl_mem(dst, NULL), 0, 0, bytes, 0, NULL,
                            &ev);
        clWaitForEvents(1, &ev);
        clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START, sizeof a, &a, NULL);
        clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof b, &b, NULL);
        clReleaseEvent(ev);
        if (r >= 0) t[r] = (double)(b - a) / 1e6;
    }
    qsort(t, (size_t)reps, sizeof *t, cmp_double);
    double m = t[reps / 2];
    free(t);
    return m;
}

/* A plain copy kernel, one float per work-item, and its median time in ms over @p reps runs. */
static const char *copy_src = "__kernel void copy(__global const float *restrict s, __global float *restrict d) {\n"
                              "    d[get_global_id(0)] = s[get_global_id(0)];\n"
                              "}\n";

static double time_copy_kernel(oclnn_context *ctx, cl_kernel k, oclnn_tensor *src, oclnn_tensor *dst, size_t n,
                               int reps) {
    double *t = malloc(sizeof(double) * (size_t)reps);
    cl_command_queue q = oclnn_context_cl_queue(ctx, 0);
    cl_mem s = oclnn_tensor_cl_mem(src, NULL), d = oclnn_tensor_cl_mem(dst, NULL);
    clSetKernelArg(k, 0, sizeof s, &s);
    clSetKernelArg(k, 1, sizeof d, &d);
    for (int r = -1; r < reps; r++) {
        cl_event ev;
        cl_ulong a = 0, b = 0;
        if (clEnqueueNDRangeKernel(q, k, 1, NULL, &n, NULL, 0, NULL, &ev) != CL_SUCCESS) {
            fprintf(stderr, "copy kernel failed\n");
            exit(1);
        }
        clWaitForEvents(1, &ev);
        clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START, sizeof a, &a, NULL);
        clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof b, &b, NULL);
        clReleaseEvent(ev);
        if (r >= 0) t[r] = (double)(b - a) / 1e6;
    }
    qsort(t, (size_t)reps, sizeof *t, cmp_double);
    double m = t[reps / 2];
    free(t);
    return m;
}

static oclnn_tensor *tensor(oclnn_context *ctx, oclnn_dtype dt, size_t ndim, const int64_t *dims, int fill) {
    oclnn_tensor *t;
    CHECK(oclnn_tensor_create(ctx, dt, ndim, dims, &t));
    if (fill) {
        size_t n = oclnn_tensor_nbytes(t) / 4;
        float *v = malloc(n * 4);
        uint32_t s = 12345;
        for (size_t i = 0; i < n; i++) {
            s = s * 1664525u + 1013904223u;
            v[i] = (float)(s >> 8) / (float)(1 << 24) * 8.0f - 4.0f;
        }
        CHECK(oclnn_tensor_write(t, 0, n * 4, v));
        free(v);
    }
    return t;
}

static oclnn_softmax *softmax_op(oclnn_context *ctx, int axis, size_t ndim, const int64_t *dims, oclnn_tensor *x,
                                 oclnn_tensor *y) {
    oclnn_softmax_params p;
    oclnn_softmax_params_init(&p);
    p.axis = axis;
    oclnn_softmax *op;
    CHECK(oclnn_softmax_create(ctx, &p, &op));
    CHECK(oclnn_softmax_reshape(op, ndim, dims));
    CHECK(oclnn_softmax_setup(op, x, y));
    return op;
}

int main(int argc, char **argv) {
    int reps = argc > 1 ? atoi(argv[1]) : 15;
    if (reps < 1) reps = 1;
    oclnn_context_options o;
    oclnn_context_options_init(&o);
    o.profiling = 1;
    oclnn_context *ctx = NULL;
    CHECK(oclnn_context_create(&o, &ctx));
    oclnn_device_info info;
    CHECK(oclnn_context_device_info(ctx, &info));
    printf("device: %s (%s), median of %d runs, kernel time\n", info.name, info.platform_name, reps);

    /* Per-pixel softmax and argmax over 21 classes of a 512x512 map. */
    int64_t nchw[4] = {1, 21, 512, 512}, nhwc[2] = {512 * 512, 21}, amd[3] = {1, 512, 512};
    size_t bytes = (size_t)21 * 512 * 512 * 4;
    oclnn_tensor *x = tensor(ctx, OCLNN_DTYPE_F32, 4, nchw, 1), *y = tensor(ctx, OCLNN_DTYPE_F32, 4, nchw, 0);
    oclnn_tensor *xr = tensor(ctx, OCLNN_DTYPE_F32, 2, nhwc, 1), *yr = tensor(ctx, OCLNN_DTYPE_F32, 2, nhwc, 0);
    oclnn_tensor *idx = tensor(ctx, OCLNN_DTYPE_I64, 3, amd, 0);
    double copy = time_copy(ctx, x, y, bytes, reps);
    oclnn_softmax *sm = softmax_op(ctx, 1, 4, nchw, x, y);
    oclnn_softmax *smr = softmax_op(ctx, -1, 2, nhwc, xr, yr);
    cl_context clc = oclnn_context_cl_context(ctx);
    cl_device_id dev = oclnn_context_cl_device(ctx);
    cl_int err;
    cl_program cprog = clCreateProgramWithSource(clc, 1, &copy_src, NULL, &err);
    if (err != CL_SUCCESS || clBuildProgram(cprog, 1, &dev, "", NULL, NULL) != CL_SUCCESS) {
        fprintf(stderr, "copy kernel build failed\n");
        return 1;
    }
    cl_kernel ck = clCreateKernel(cprog, "copy", &err);
    /* The softmax and its copy kernel in turns (reps each), three times: both medians see the same load. */
    double ts[3], tc[3];
    for (int i = 0; i < 3; i++) {
        ts[i] = time_op(ctx, sm, enq_softmax, reps);
        tc[i] = time_copy_kernel(ctx, ck, x, y, bytes / 4, reps);
    }
    qsort(ts, 3, sizeof *ts, cmp_double);
    qsort(tc, 3, sizeof *tc, cmp_double);
    double t_sm = ts[1], t_ck = tc[1];
    double t_smr = time_op(ctx, smr, enq_softmax, reps);
    oclnn_argmax_params ap;
    oclnn_argmax_params_init(&ap);
    ap.axis = 1;
    ap.keepdims = 0;
    oclnn_argmax *am;
    CHECK(oclnn_argmax_create(ctx, &ap, &am));
    CHECK(oclnn_argmax_reshape(am, 4, nchw, NULL, NULL));
    CHECK(oclnn_argmax_setup(am, x, idx));
    double t_am = time_op(ctx, am, enq_argmax, reps);
    double t_ck2 = time_copy_kernel(ctx, ck, x, y, bytes / 4, reps);
    clReleaseKernel(ck);
    clReleaseProgram(cprog);
    printf("copy of the 1x21x512x512 f32 map (%.1f MB):       %8.3f ms\n", bytes / 1e6, copy);
    printf("softmax channel axis, NCHW 1x21x512x512:          %8.3f ms (%.2fx the copy)\n", t_sm, t_sm / copy);
    printf("  %7.2f GB/s; copy kernel %.3f ms, %.2f GB/s: softmax at %.0f%% of it\n", 2.0 * bytes / t_sm / 1e6, t_ck,
           2.0 * bytes / t_ck / 1e6, 100.0 * t_ck / t_sm);
    printf("softmax last axis, same data as NHWC [262144,21]: %8.3f ms (%.2fx the copy)\n", t_smr, t_smr / copy);
    printf("argmax channel axis, NCHW 1x21x512x512 -> int64:  %8.3f ms (%.2fx the copy)\n", t_am, t_am / copy);
    /* argmax reads the map and writes 512x512 int64: bytes * (1 + 8 / (4 * 21)); the copy moves 2 * bytes. */
    double am_bytes = bytes + 512.0 * 512 * 8;
    printf("  %7.2f GB/s; copy kernel %.3f ms, %.2f GB/s: argmax at %.0f%% of it\n", am_bytes / t_am / 1e6, t_ck2,
           2.0 * bytes / t_ck2 / 1e6, 100.0 * (am_bytes / t_am) / (2.0 * bytes / t_ck2));
    oclnn_softmax_destroy(sm);
    oclnn_softmax_destroy(smr);
    oclnn_argmax_destroy(am);

    /* Classifier logits. */
    static const int64_t rows[][2] = {{1, 1000}, {64, 1000}};
    for (int i = 0; i < 2; i++) {
        oclnn_tensor *a = tensor(ctx, OCLNN_DTYPE_F32, 2, rows[i], 1), *b = tensor(ctx, OCLNN_DTYPE_F32, 2, rows[i], 0);
        double c = time_copy(ctx, a, b, (size_t)rows[i][0] * 1000 * 4, reps);
        oclnn_softmax *op = softmax_op(ctx, -1, 2, rows[i], a, b);
        double t = time_op(ctx, op, enq_softmax, reps);
        printf("softmax last axis [%lld,1000]:                  %8.3f ms (copy %.3f ms)\n", (long long)rows[i][0], t,
               c);
        oclnn_softmax_destroy(op);
        oclnn_tensor_destroy(a);
        oclnn_tensor_destroy(b);
    }

    /* AlexNet's first LRN. */
    int64_t an[4] = {1, 96, 55, 55};
    oclnn_tensor *la = tensor(ctx, OCLNN_DTYPE_F32, 4, an, 1), *lb = tensor(ctx, OCLNN_DTYPE_F32, 4, an, 0);
    oclnn_lrn_params lp;
    oclnn_lrn_params_init(&lp);
    oclnn_lrn *lrn;
    CHECK(oclnn_lrn_create(ctx, &lp, &lrn));
    CHECK(oclnn_lrn_reshape(lrn, 4, an));
    CHECK(oclnn_lrn_setup(lrn, la, lb));
    double t_lrn = time_op(ctx, lrn, enq_lrn, reps);
    double c_lrn = time_copy(ctx, la, lb, (size_t)96 * 55 * 55 * 4, reps);
    printf("lrn size 5, AlexNet 1x96x55x55:                   %8.3f ms (copy %.3f ms)\n", t_lrn, c_lrn);
    oclnn_lrn_destroy(lrn);
    oclnn_tensor *all[] = {x, y, xr, yr, idx, la, lb};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        oclnn_tensor_destroy(all[i]);
    oclnn_context_destroy(ctx);
    return 0;
}
