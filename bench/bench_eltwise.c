/* bench_eltwise.c - bandwidth of the elementwise operators against plain OpenCL copy kernels of the same bytes,
 * measured in one run on one device (OCLNN_DEVICE picks it). Times are the median over 20 runs of the kernel's
 * profiled execution; GB/s counts every byte read and written once. Not a test: numbers depend on the machine.
 * Usage: bench-eltwise [N C H W]   (default 64 112 112, i.e. 1 x 64 x 112 x 112)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oclnn.h"
#include "oclnn_cl.h"

#define RUNS 20

static const char copy_src[] =
    "__kernel void copy1(__global const float *s, __global float *d) { size_t i = get_global_id(0); d[i] = s[i]; }\n"
    "__kernel void copy8(__global const float8 *s, __global float8 *d) { size_t i = get_global_id(0); d[i] = s[i]; }\n";

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

#define CHECK(expr)                                                                                          \
    do {                                                                                                     \
        oclnn_status st_ = (expr);                                                                           \
        if (st_) {                                                                                           \
            fprintf(stderr, "%s: %s\n", #expr, oclnn_last_error(ctx));                                       \
            exit(1);                                                                                         \
        }                                                                                                    \
    } while (0)

/* Uniform enqueue wrappers, so one timing loop serves every operator. */
static oclnn_status enq_unary(void *op, uint32_t q, oclnn_event **ev) { return oclnn_unary_enqueue(op, q, ev); }
static oclnn_status enq_binary(void *op, uint32_t q, oclnn_event **ev) { return oclnn_binary_enqueue(op, q, ev); }
static oclnn_status enq_bn(void *op, uint32_t q, oclnn_event **ev) { return oclnn_batchnorm_enqueue(op, q, ev); }

/* Runs @p enqueue RUNS times (after one warm-up) and returns the median kernel time in ms. */
typedef oclnn_status (*enqueue_fn)(void *op, uint32_t q, oclnn_event **ev);
static double time_op(oclnn_context *ctx, enqueue_fn fn, void *op) {
    double t[RUNS];
    for (int r = -1; r < RUNS; r++) {
        oclnn_event *ev;
        CHECK(fn(op, 0, &ev));
        CHECK(oclnn_event_wait(ev));
        uint64_t ns = 0;
        CHECK(oclnn_event_elapsed_ns(ev, &ns));
        oclnn_event_destroy(ev);
        if (r >= 0) t[r] = (double)ns * 1e-6;
    }
    return median(t, RUNS);
}

static double time_copy(cl_command_queue q, cl_kernel k, cl_mem s, cl_mem d, size_t items) {
    double t[RUNS];
    clSetKernelArg(k, 0, sizeof s, &s);
    clSetKernelArg(k, 1, sizeof d, &d);
    for (int r = -1; r < RUNS; r++) {
        cl_event ev;
        if (clEnqueueNDRangeKernel(q, k, 1, NULL, &items, NULL, 0, NULL, &ev) != CL_SUCCESS) {
            fprintf(stderr, "copy kernel failed\n");
            exit(1);
        }
        clWaitForEvents(1, &ev);
        cl_ulong a = 0, b = 0;
        clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START, sizeof a, &a, NULL);
        clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof b, &b, NULL);
        clReleaseEvent(ev);
        if (r >= 0) t[r] = (double)(b - a) * 1e-6;
    }
    return median(t, RUNS);
}

static void report(const char *what, size_t bytes, double ms, double ref_gbs) {
    double gbs = (double)bytes / (ms * 1e-3) / 1e9;
    if (ref_gbs > 0)
        printf("%-44s %8.3f ms %7.2f GB/s  %5.1f%% of the copy kernel\n", what, ms, gbs, 100 * gbs / ref_gbs);
    else
        printf("%-44s %8.3f ms %7.2f GB/s\n", what, ms, gbs);
}

int main(int argc, char **argv) {
    int64_t d[4] = {1, 64, 112, 112};
    if (argc == 5)
        for (int i = 0; i < 4; i++) d[i] = atoll(argv[i + 1]);
    size_t n = (size_t)(d[0] * d[1] * d[2] * d[3]);
    oclnn_context_options o;
    oclnn_context_options_init(&o);
    o.profiling = 1;
    oclnn_context *ctx = NULL;
    CHECK(oclnn_context_create(&o, &ctx));
    oclnn_device_info info;
    oclnn_context_device_info(ctx, &info);
    printf("device: %s (%s), tensors %lld x %lld x %lld x %lld (%.1f MB each), median of %d runs\n", info.name,
           info.platform_name, (long long)d[0], (long long)d[1], (long long)d[2], (long long)d[3], n * 4 / 1e6, RUNS);

    /* The references: copies moving 8n bytes (as Relu in place) and 12n bytes (as Add). */
    cl_context clc = oclnn_context_cl_context(ctx);
    cl_device_id dev = oclnn_context_cl_device(ctx);
    cl_command_queue q = oclnn_context_cl_queue(ctx, 0);
    cl_int err;
    const char *srcp = copy_src;
    cl_program prog = clCreateProgramWithSource(clc, 1, &srcp, NULL, &err);
    if (err != CL_SUCCESS || clBuildProgram(prog, 1, &dev, "", NULL, NULL) != CL_SUCCESS) {
        fprintf(stderr, "copy kernel build failed\n");
        return 1;
    }
    cl_kernel copy1 = clCreateKernel(prog, "copy1", &err), copy8 = clCreateKernel(prog, "copy8", &err);
    size_t big = (n * 3 / 2 + 7) / 8 * 8;
    cl_mem s = clCreateBuffer(clc, CL_MEM_READ_WRITE, big * 4, NULL, &err);
    cl_mem t = clCreateBuffer(clc, CL_MEM_READ_WRITE, big * 4, NULL, &err);
    float zero = 0;
    clEnqueueFillBuffer(q, s, &zero, 4, 0, big * 4, 0, NULL, NULL);
    clEnqueueFillBuffer(q, t, &zero, 4, 0, big * 4, 0, NULL, NULL);
    clFinish(q);
    size_t n8 = (n + 7) / 8 * 8;
    double c_relu = time_copy(q, copy1, s, t, n8), c_add = time_copy(q, copy1, s, t, big);
    double c8_relu = time_copy(q, copy8, s, t, n8 / 8), c8_add = time_copy(q, copy8, s, t, big / 8);
    double ref_relu = 8.0 * n8 / (c_relu * 1e-3) / 1e9, ref_add = 12.0 * (big / 1.5) / (c_add * 1e-3) / 1e9;
    report("copy kernel (float), 8n bytes", 8 * n8, c_relu, 0);
    report("copy kernel (float), 12n bytes", (size_t)(8 * big), c_add, 0);
    report("copy kernel (float8), 8n bytes", 8 * n8, c8_relu, 0);
    report("copy kernel (float8), 12n bytes", (size_t)(8 * big), c8_add, 0);

    oclnn_tensor *x, *y, *z, *c;
    int64_t dc[3] = {d[1], 1, 1};
    CHECK(oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, d, &x));
    CHECK(oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, d, &y));
    CHECK(oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, d, &z));
    CHECK(oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 3, dc, &c));
    CHECK(oclnn_tensor_zero(x));
    CHECK(oclnn_tensor_zero(y));
    CHECK(oclnn_tensor_zero(c));
    CHECK(oclnn_context_finish(ctx));

    oclnn_unary_params up;
    oclnn_unary_params_init(&up);
    up.activation = OCLNN_ACTIVATION_RELU;
    oclnn_unary *relu;
    CHECK(oclnn_unary_create(ctx, &up, &relu));
    CHECK(oclnn_unary_reshape(relu, 4, d));
    CHECK(oclnn_unary_setup(relu, x, x));
    report("Relu in place", 8 * n, time_op(ctx, enq_unary, relu), ref_relu);
    oclnn_unary_destroy(relu);

    oclnn_binary_params bp;
    oclnn_binary_params_init(&bp);
    oclnn_binary *add;
    size_t on;
    int64_t od[5];
    CHECK(oclnn_binary_create(ctx, &bp, &add));
    CHECK(oclnn_binary_reshape(add, 4, d, 4, d, &on, od));
    CHECK(oclnn_binary_setup(add, x, y, z, 0));
    report("Add, same shapes", 12 * n, time_op(ctx, enq_binary, add), ref_add);
    CHECK(oclnn_binary_reshape(add, 4, d, 3, dc, &on, od));
    CHECK(oclnn_binary_setup(add, x, c, z, 0));
    report("Add, [N,C,H,W] + [C,1,1] (8n bytes)", 8 * n, time_op(ctx, enq_binary, add),
           ref_relu);
    int64_t dh[4] = {d[0], 1, d[2], d[3]};
    oclnn_tensor *h;
    CHECK(oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dh, &h));
    CHECK(oclnn_tensor_zero(h));
    CHECK(oclnn_binary_reshape(add, 4, d, 4, dh, &on, od));
    CHECK(oclnn_binary_setup(add, x, h, z, 0));
    report("Add, [N,C,H,W] + [N,1,H,W] (general path)", 8 * n, time_op(ctx, enq_binary, add),
           ref_relu);
    /* The SE block's scale (squeeze-and-excitation): [N,C,H,W] * [N,C,1,1]. */
    bp.op = OCLNN_BINARY_MUL;
    oclnn_binary *mul;
    CHECK(oclnn_binary_create(ctx, &bp, &mul));
    int64_t dse[4] = {d[0], d[1], 1, 1};
    oclnn_tensor *se;
    CHECK(oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dse, &se));
    CHECK(oclnn_tensor_zero(se));
    CHECK(oclnn_binary_reshape(mul, 4, d, 4, dse, &on, od));
    CHECK(oclnn_binary_setup(mul, x, se, z, 0));
    report("Mul, [N,C,H,W] * [N,C,1,1] (SE block)", 8 * n, time_op(ctx, enq_binary, mul), ref_relu);
    oclnn_binary_destroy(mul);
    oclnn_tensor_destroy(se);
    oclnn_binary_destroy(add);
    oclnn_tensor_destroy(h);

    up.activation = OCLNN_ACTIVATION_SIGMOID;
    oclnn_unary *sig;
    CHECK(oclnn_unary_create(ctx, &up, &sig));
    CHECK(oclnn_unary_reshape(sig, 4, d));
    CHECK(oclnn_unary_setup(sig, x, y));
    report("Sigmoid", 8 * n, time_op(ctx, enq_unary, sig), ref_relu);
    oclnn_unary_destroy(sig);

    oclnn_batchnorm_params np;
    oclnn_batchnorm_params_init(&np);
    np.channels = (uint32_t)d[1];
    np.activation = OCLNN_ACTIVATION_RELU;
    float *ones = malloc((size_t)d[1] * 4);
    for (int64_t i = 0; i < d[1]; i++) ones[i] = 1.0f;
    oclnn_batchnorm *bn;
    CHECK(oclnn_batchnorm_create(ctx, &np, ones, ones, ones, ones, &bn));
    CHECK(oclnn_batchnorm_reshape(bn, 4, d));
    CHECK(oclnn_batchnorm_setup(bn, x, x));
    report("BatchNorm + Relu in place", 8 * n, time_op(ctx, enq_bn, bn), ref_relu);
    oclnn_batchnorm_destroy(bn);
    free(ones);

    oclnn_tensor_destroy(x);
    oclnn_tensor_destroy(y);
    oclnn_tensor_destroy(z);
    oclnn_tensor_destroy(c);
    clReleaseKernel(copy1);
    clReleaseKernel(copy8);
    clReleaseProgram(prog);
    clReleaseMemObject(s);
    clReleaseMemObject(t);
    oclnn_context_destroy(ctx);
    return 0;
}
