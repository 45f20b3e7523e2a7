/* conv2d_winograd.c - the Winograd algorithms F(2x2,3x3) and F(4x4,3x3) for 3x3, stride 1, dilation 1, one-group
 * convolutions: the filter transform and its packing at create, the workspaces (transformed input V and the
 * products M) at reshape, and three launches of cl/conv2d_winograd.cl per enqueue.
 */
#include <string.h>

#include "ops/conv2d_impl.h"

/* The GEMM register block; cl/conv2d_winograd.cl's defaults, which the host never overrides. */
#define WINO_K_TILE 16
#define WINO_P_TILE 6

typedef struct winograd_state {
    int m, a, t; /* output tile size, input patch size (m + 2), transform points (a * a) */
    int kb;      /* channel blocks of WINO_K_TILE */
    cl_kernel input, gemm, output;
    cl_mem u;    /* transformed, packed filter: U[t][kb][c][WINO_K_TILE] */
    cl_mem bias; /* NULL when there is none */
    cl_mem v, mw; /* workspaces, grown at reshape, never shrunk */
    size_t v_bytes, mw_bytes;
    int th, tw, p, pb; /* tiles of the current shape */
    int vts;           /* V's stride between transform points, in floats */
    size_t g_in[3], g_gemm[3], g_out[3];
} winograd_state;

static int winograd_supported(const oclnn_device_info *dev, const oclnn_conv2d_params *p, const char **why) {
    (void)dev;
    *why = NULL;
    if (p->kernel_h != 3 || p->kernel_w != 3) *why = "winograd needs a 3x3 kernel";
    else if (p->stride_h != 1 || p->stride_w != 1) *why = "winograd needs stride 1";
    else if (p->dilation_h != 1 || p->dilation_w != 1) *why = "winograd needs dilation 1";
    else if (p->groups != 1) *why = "winograd supports one group only (grouped and depthwise convolutions use direct)";
    return *why == NULL;
}

/* G (a x 3) of Lavin & Gray for the interpolation points the kernels' B^T and A^T use. */
static const double G2[4][3] = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
static const double G4[6][3] = {
    {1.0 / 4, 0, 0},
    {-1.0 / 6, -1.0 / 6, -1.0 / 6},
    {-1.0 / 6, 1.0 / 6, -1.0 / 6},
    {1.0 / 24, 1.0 / 12, 1.0 / 6},
    {1.0 / 24, -1.0 / 12, 1.0 / 6},
    {0, 0, 1},
};

/* U[t][kb][c][j] = (G g G^T)[t] of filter k = kb * WINO_K_TILE + j, input channel c; zero for k >= K. Computed in
 * double and rounded once, so the filter transform adds no error of its own beyond that rounding. */
static void transform_filter(const float *w, float *u, int m, int K, int C, int kb) {
    const int a = m + 2, t_count = a * a;
    const double(*g)[3] = m == 4 ? G4 : G2;
    for (int k = 0; k < K; k++)
        for (int c = 0; c < C; c++) {
            const float *f = w + ((size_t)k * C + c) * 9;
            double gf[6][3], r[6][6];
            for (int i = 0; i < a; i++) /* G f */
                for (int x = 0; x < 3; x++) gf[i][x] = g[i][0] * f[x] + g[i][1] * f[3 + x] + g[i][2] * f[6 + x];
            for (int i = 0; i < a; i++) /* (G f) G^T */
                for (int j = 0; j < a; j++) r[i][j] = gf[i][0] * g[j][0] + gf[i][1] * g[j][1] + gf[i][2] * g[j][2];
            for (int t = 0; t < t_count; t++)
                u[(((size_t)t * kb + k / WINO_K_TILE) * C + c) * WINO_K_TILE + k % WINO_K_TILE] =
                    (float)r[t / a][t % a];
        }
}

static oclnn_status winograd_create(oclnn_conv2d *op, const float *weights, const float *bias, int m) {
    oclnn_context *ctx = op->ctx;
    const oclnn_conv2d_params *p = &op->p;
    winograd_state *s = oclnn_calloc(ctx->alloc, 1, sizeof *s);
    if (!s) return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating conv2d winograd state");
    op->impl = s;
    s->m = m;
    s->a = m + 2;
    s->t = s->a * s->a;
    int K = (int)p->out_channels, C = (int)p->in_channels;
    s->kb = (K + WINO_K_TILE - 1) / WINO_K_TILE;
    size_t un, bytes;
    if (!oclnn_mul_size((size_t)s->t * s->kb * WINO_K_TILE, (size_t)C, &un) ||
        !oclnn_mul_size(un, sizeof(float), &bytes) || bytes > ctx->info.max_alloc_bytes || un > INT32_MAX)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_DEVICE_MEMORY,
                          "conv2d winograd: the transformed filter (%d x %d x %d floats) exceeds the device's largest "
                          "allocation or 2^31 elements",
                          s->t, K, C);
    float *u = oclnn_calloc(ctx->alloc, un, sizeof(float)); /* zeros: padded channels contribute exactly 0 */
    if (!u) return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "conv2d winograd: packing %zu floats", un);
    transform_filter(weights, u, m, K, C, s->kb);
    cl_int err;
    s->u = clw_CreateBuffer(ctx->cl, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, bytes, u, &err);
    oclnn_free(ctx->alloc, u);
    if (!s->u) return clw_fail(&ctx->err, err, "clCreateBuffer (conv2d winograd filter)");
    if (bias) {
        s->bias = clw_CreateBuffer(ctx->cl, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, (size_t)K * sizeof(float),
                                   (void *)bias, &err);
        if (!s->bias) return clw_fail(&ctx->err, err, "clCreateBuffer (conv2d winograd bias)");
    }
    oclnn_opts o;
    oclnn_opts_init(&o);
    oclnn_opts_int(&o, "WINO_M", m, 4);
    oclnn_conv2d_epilogue_options(op, &o);
    oclnn_status st;
    if ((st = oclnn_kernel_create(ctx, OCLNN_KERNEL_CONV2D_WINOGRAD, o.buf, "winograd_input", &s->input))) return st;
    if ((st = oclnn_kernel_create(ctx, OCLNN_KERNEL_CONV2D_WINOGRAD, o.buf, "winograd_gemm", &s->gemm))) return st;
    return oclnn_kernel_create(ctx, OCLNN_KERNEL_CONV2D_WINOGRAD, o.buf, "winograd_output", &s->output);
}

static oclnn_status winograd2_create(oclnn_conv2d *op, const float *weights, const float *bias) {
    return winograd_create(op, weights, bias, 2);
}

static oclnn_status winograd4_create(oclnn_conv2d *op, const float *weights, const float *bias) {
    return winograd_create(op, weights, bias, 4);
}

/* Makes *buf at least @p need bytes; a smaller shape keeps the larger buffer. */
static oclnn_status grow(oclnn_context *ctx, cl_mem *buf, size_t *have, size_t need, const char *what) {
    if (*buf && *have >= need) return OCLNN_STATUS_OK;
    if (*buf) clw_ReleaseMemObject(*buf);
    *buf = NULL;
    *have = 0;
    cl_int err;
    *buf = clw_CreateBuffer(ctx->cl, CL_MEM_READ_WRITE, need, NULL, &err);
    if (!*buf) return clw_fail(&ctx->err, err, what);
    *have = need;
    return OCLNN_STATUS_OK;
}

static oclnn_status winograd_reshape(oclnn_conv2d *op) {
    winograd_state *s = op->impl;
    oclnn_context *ctx = op->ctx;
    int th = (int)((op->oh + s->m - 1) / s->m), tw = (int)((op->ow + s->m - 1) / s->m);
    size_t p = (size_t)op->n * th * tw, pb = (p + WINO_P_TILE - 1) / WINO_P_TILE;
    /* V: T x vts floats; M: Kb x Pb x T x P_TILE x K_TILE floats. Offsets inside the kernels are size_t, but tile
     * and channel indices are ints: both stay below 2^31 elements. vts is Pb x C x P_TILE rounded up to 4 KiB plus
     * one 64-byte line, so the T streams an input work-item writes land in T different cache sets (an unpadded
     * stride such as 2^11 x 99 floats put all 36 of F(4x4) in two sets and made the input transform several times
     * slower than the GEMM). */
    size_t vts, vn, mn, vb, mb;
    if (!oclnn_mul_size(pb * WINO_P_TILE, op->p.in_channels, &vts) || vts > INT32_MAX ||
        !oclnn_mul_size((vts + 1023) / 1024 * 1024 + 16, (size_t)s->t, &vn) ||
        !oclnn_mul_size((size_t)s->t * pb * WINO_P_TILE, (size_t)s->kb * WINO_K_TILE, &mn) || vn > INT32_MAX ||
        mn > INT32_MAX)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_UNSUPPORTED, "conv2d winograd: workspaces above 2^31 elements");
    vb = vn * sizeof(float);
    mb = mn * sizeof(float);
    if (vb > ctx->info.max_alloc_bytes || mb > ctx->info.max_alloc_bytes)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_DEVICE_MEMORY,
                          "conv2d winograd: a workspace (%zu or %zu bytes) exceeds the device's largest allocation", vb,
                          mb);
    oclnn_status st;
    if (op->ws_lent) { /* the graph runtime lends shared ones before setup */
        op->ws_need[0] = vb;
        op->ws_need[1] = mb;
    } else {
        if ((st = grow(ctx, &s->v, &s->v_bytes, vb, "clCreateBuffer (conv2d winograd input workspace)"))) return st;
        if ((st = grow(ctx, &s->mw, &s->mw_bytes, mb, "clCreateBuffer (conv2d winograd product workspace)")))
            return st;
    }
    s->th = th;
    s->tw = tw;
    s->p = (int)p;
    s->pb = (int)pb;
    s->vts = (int)((vts + 1023) / 1024 * 1024 + 16);
    size_t g_in[3] = {op->p.in_channels, pb, 1}, g_gemm[3] = {pb, (size_t)s->kb, (size_t)s->t},
           g_out[3] = {pb, (size_t)s->kb, 1};
    memcpy(s->g_in, g_in, sizeof g_in);
    memcpy(s->g_gemm, g_gemm, sizeof g_gemm);
    memcpy(s->g_out, g_out, sizeof g_out);
    return OCLNN_STATUS_OK;
}

static oclnn_status winograd_setup(oclnn_conv2d *op, const conv2d_binding *b) {
    winograd_state *s = op->impl;
    const oclnn_conv2d_params *p = &op->p;
    cl_mem res_mem = b->res ? b->res : s->u; /* any valid buffer stands in for an unused one */
    cl_mem bias_mem = s->bias ? s->bias : s->u;
    cl_mem v = op->ws_lent ? op->ws[0] : s->v, mw = op->ws_lent ? op->ws[1] : s->mw;
    int in_off = (int)b->in_off, out_off = (int)b->out_off, res_off = (int)b->res_off;
    int C = (int)p->in_channels, K = (int)p->out_channels;
    int in_args[] = {C, (int)op->h, (int)op->w, (int)op->pad_top, (int)op->pad_left, s->th, s->tw, s->p, s->pb};
    int gemm_args[] = {C, s->kb, s->pb};
    int out_args[] = {K,     (int)op->oh, (int)op->ow, s->th,           s->tw,           s->p,
                      s->kb, s->pb,       (int)b->out_c_offset, (int)b->out_c_total, (int)b->res_c_offset,
                      (int)b->res_c_total};
    cl_int err = CL_SUCCESS;
    cl_uint i = 0;
    err |= clw_SetKernelArg(s->input, i++, sizeof(cl_mem), &b->in);
    err |= clw_SetKernelArg(s->input, i++, sizeof(int), &in_off);
    err |= clw_SetKernelArg(s->input, i++, sizeof(cl_mem), &v);
    err |= clw_SetKernelArg(s->input, i++, sizeof(int), &s->vts);
    for (size_t a = 0; a < sizeof in_args / sizeof in_args[0]; a++)
        err |= clw_SetKernelArg(s->input, i++, sizeof(int), &in_args[a]);
    i = 0;
    err |= clw_SetKernelArg(s->gemm, i++, sizeof(cl_mem), &s->u);
    err |= clw_SetKernelArg(s->gemm, i++, sizeof(cl_mem), &v);
    err |= clw_SetKernelArg(s->gemm, i++, sizeof(cl_mem), &mw);
    err |= clw_SetKernelArg(s->gemm, i++, sizeof(int), &s->vts);
    for (size_t a = 0; a < sizeof gemm_args / sizeof gemm_args[0]; a++)
        err |= clw_SetKernelArg(s->gemm, i++, sizeof(int), &gemm_args[a]);
    i = 0;
    err |= clw_SetKernelArg(s->output, i++, sizeof(cl_mem), &mw);
    err |= clw_SetKernelArg(s->output, i++, sizeof(cl_mem), &bias_mem);
    err |= clw_SetKernelArg(s->output, i++, sizeof(cl_mem), &b->out);
    err |= clw_SetKernelArg(s->output, i++, sizeof(int), &out_off);
    err |= clw_SetKernelArg(s->output, i++, sizeof(cl_mem), &res_mem);
    err |= clw_SetKernelArg(s->output, i++, sizeof(int), &res_off);
    for (size_t a = 0; a < sizeof out_args / sizeof out_args[0]; a++)
        err |= clw_SetKernelArg(s->output, i++, sizeof(int), &out_args[a]);
    if (err != CL_SUCCESS)
        return oclnn_fail(&op->ctx->err, OCLNN_STATUS_OPENCL_ERROR, "conv2d winograd: clSetKernelArg failed");
    return OCLNN_STATUS_OK;
}

static oclnn_status winograd_enqueue(oclnn_conv2d *op, cl_command_queue q, cl_event *ev) {
    winograd_state *s = op->impl;
    static const size_t one[3] = {1, 1, 1};
    /* The context's queues are in order: each stage sees the previous one's results. */
    cl_int err = clw_EnqueueNDRangeKernel(q, s->input, 2, s->g_in, one, 0, NULL, NULL);
    if (err != CL_SUCCESS) return clw_fail(&op->ctx->err, err, "clEnqueueNDRangeKernel (conv2d winograd input)");
    err = clw_EnqueueNDRangeKernel(q, s->gemm, 3, s->g_gemm, one, 0, NULL, NULL);
    if (err != CL_SUCCESS) return clw_fail(&op->ctx->err, err, "clEnqueueNDRangeKernel (conv2d winograd gemm)");
    err = clw_EnqueueNDRangeKernel(q, s->output, 2, s->g_out, one, 0, NULL, ev);
    return err == CL_SUCCESS ? OCLNN_STATUS_OK
                             : clw_fail(&op->ctx->err, err, "clEnqueueNDRangeKernel (conv2d winograd output)");
}

static void winograd_destroy(oclnn_conv2d *op) {
    winograd_state *s = op->impl;
    if (!s) return;
    if (s->input) clw_ReleaseKernel(s->input);
    if (s->gemm) clw_ReleaseKernel(s->gemm);
    if (s->output) clw_ReleaseKernel(s->output);
    if (s->u) clw_ReleaseMemObject(s->u);
    if (s->bias) clw_ReleaseMemObject(s->bias);
    if (s->v) clw_ReleaseMemObject(s->v);
    if (s->mw) clw_ReleaseMemObject(s->mw);
    oclnn_free(op->ctx->alloc, s);
    op->impl = NULL;
}

const conv2d_algorithm oclnn_conv2d_winograd2x2_algorithm = {
    OCLNN_CONV_ALGO_WINOGRAD2X2, winograd_supported, winograd2_create, winograd_reshape,
    winograd_setup,              winograd_enqueue,   winograd_destroy,
};

const conv2d_algorithm oclnn_conv2d_winograd4x4_algorithm = {
    OCLNN_CONV_ALGO_WINOGRAD4X4, winograd_supported, winograd4_create, winograd_reshape,
    winograd_setup,              winograd_enqueue,   winograd_destroy,
};
