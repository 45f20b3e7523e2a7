/* conv2d_gemm.c - the gemm convolution algorithm: one GEMM per (image, group), Y[k][p] = W[k][c,ky,kx] X[c,ky,kx][p],
 * on cl/gemm.cl with the weights packed at create and the conv epilogue (bias, residual, activation, channel
 * offset) fused into the GEMM's store. A 1x1 stride-1 unpadded conv reads the input as B directly; any other
 * goes through im2col into a workspace (sized at reshape) written straight in the kernel's B panel layout.
 */
#include "ops/conv2d_impl.h"
#include "ops/gemm_impl.h"

#include <string.h>

typedef struct gemm_conv_state {
    gemm_exec ex;
    cl_kernel im2col;  /* NULL for the direct 1x1 case */
    cl_mem weights;    /* packed A panels, one block per group */
    cl_mem bias;       /* NULL when there is none */
    cl_mem workspace;  /* im2col panels of every (image, group) */
    size_t ws_elems;   /* capacity of workspace */
    size_t group_a;    /* packed weight elements per group */
    int pointwise;     /* 1x1, stride 1, no padding: B is the input itself */
    size_t im2col_global[3];
} gemm_conv_state;

static int gemm_supported(const oclnn_device_info *dev, const oclnn_conv2d_params *p, const char **why) {
    /* Every valid configuration: groups are a batch of GEMMs, anything else is im2col. Input sizes whose
     * workspace cannot be allocated are refused at reshape. */
    (void)dev;
    (void)p;
    *why = NULL;
    return 1;
}

static int pointwise(const oclnn_conv2d_params *p) {
    return p->kernel_h == 1 && p->kernel_w == 1 && p->stride_h == 1 && p->stride_w == 1 &&
           (p->auto_pad != OCLNN_AUTO_PAD_NOTSET ||
            (p->pad_top == 0 && p->pad_left == 0 && p->pad_bottom == 0 && p->pad_right == 0));
}

static oclnn_status gemm_create(oclnn_conv2d *op, const float *weights, const float *bias) {
    oclnn_context *ctx = op->ctx;
    const oclnn_conv2d_params *p = &op->p;
    gemm_conv_state *s = oclnn_calloc(ctx->alloc, 1, sizeof *s);
    if (!s) return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating conv2d gemm state");
    op->impl = s;
    s->pointwise = pointwise(p);
    size_t G = p->groups, Kg = p->out_channels / G, kdim = (size_t)(p->in_channels / G) * p->kernel_h * p->kernel_w;
    gemm_kcfg cfg;
    oclnn_gemm_kcfg_init(&cfg);
    /* Narrow groups get a row tile that is all work (depthwise: one row). */
    cfg.mr = Kg < OCLNN_GEMM_DEFAULT_MR ? (int)Kg : OCLNN_GEMM_DEFAULT_MR;
    cfg.a_packed = 1;
    cfg.b_packed = !s->pointwise;
    cfg.has_c = op->has_bias;
    cfg.has_res = p->residual != OCLNN_RESIDUAL_NONE;
    cfg.res_after = p->residual == OCLNN_RESIDUAL_AFTER_ACTIVATION;
    cfg.act = p->activation;
    cfg.act_alpha = p->activation_alpha;
    cfg.act_beta = p->activation_beta;

    s->group_a = oclnn_gemm_packed_size(Kg, kdim, cfg.mr);
    size_t total, bytes;
    if (!oclnn_mul_size(s->group_a, G, &total) || !oclnn_mul_size(total, sizeof(float), &bytes) ||
        total > INT32_MAX || bytes > ctx->info.max_alloc_bytes)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_DEVICE_MEMORY,
                          "conv2d: packed weights of %zu floats exceed the device's largest allocation", total);
    float *packed = oclnn_malloc(ctx->alloc, bytes);
    if (!packed) return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "conv2d: packing %zu weights", total);
    /* ONNX weights [K][C/G][KH][KW] are row-major [K][kdim]: group g is rows g*Kg.. of that matrix. */
    for (size_t g = 0; g < G; g++)
        oclnn_gemm_pack(weights + g * Kg * kdim, kdim, 1, Kg, kdim, cfg.mr, packed + g * s->group_a);
    cl_int err;
    s->weights = clw_CreateBuffer(ctx->cl, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, bytes, packed, &err);
    oclnn_free(ctx->alloc, packed);
    if (!s->weights) return clw_fail(&ctx->err, err, "clCreateBuffer (conv2d gemm weights)");
    if (bias) {
        s->bias = clw_CreateBuffer(ctx->cl, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, p->out_channels * sizeof(float),
                                   (void *)bias, &err);
        if (!s->bias) return clw_fail(&ctx->err, err, "clCreateBuffer (conv2d gemm bias)");
    }
    /* Always our kernel: CLBlast cannot read packed panels or fuse the conv epilogue. */
    oclnn_status st = oclnn_gemm_exec_create(ctx, &s->ex, &cfg, 0, 0);
    if (st || s->pointwise) return st;
    oclnn_opts o;
    oclnn_opts_init(&o);
    oclnn_gemm_options(&cfg, &o); /* the same program as the GEMM: im2col only depends on NR */
    return oclnn_kernel_create(ctx, OCLNN_KERNEL_GEMM, o.buf, "gemm_im2col", &s->im2col);
}

static oclnn_status gemm_reshape(oclnn_conv2d *op) {
    oclnn_context *ctx = op->ctx;
    gemm_conv_state *s = op->impl;
    const oclnn_conv2d_params *p = &op->p;
    size_t G = p->groups, kdim = (size_t)(p->in_channels / G) * p->kernel_h * p->kernel_w, ohw = op->oh * op->ow;
    if (s->pointwise) return OCLNN_STATUS_OK; /* 1x1 s1 without pads (auto_pad gives none): oh = h, ow = w */
    size_t npanels = (ohw + OCLNN_GEMM_DEFAULT_NR - 1) / OCLNN_GEMM_DEFAULT_NR, need, bytes;
    if (!oclnn_mul_size(npanels * OCLNN_GEMM_DEFAULT_NR, kdim, &need) || !oclnn_mul_size(need, op->n * G, &need) ||
        !oclnn_mul_size(need, sizeof(float), &bytes) || need > INT32_MAX || bytes > ctx->info.max_alloc_bytes)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_UNSUPPORTED,
                          "conv2d gemm: the im2col workspace (%zu x %zu per image and group) exceeds the device's "
                          "largest allocation or 2^31 elements",
                          kdim, ohw);
    if (op->ws_lent) { /* the graph runtime lends a shared one before setup */
        op->ws_need[0] = bytes;
    } else if (need > s->ws_elems) {
        if (s->workspace) clw_ReleaseMemObject(s->workspace);
        s->ws_elems = 0;
        cl_int err;
        s->workspace = clw_CreateBuffer(ctx->cl, CL_MEM_READ_WRITE, bytes, NULL, &err);
        if (!s->workspace) return clw_fail(&ctx->err, err, "clCreateBuffer (conv2d gemm workspace)");
        s->ws_elems = need;
    }
    s->im2col_global[0] = npanels * OCLNN_GEMM_DEFAULT_NR;
    s->im2col_global[1] = kdim;
    s->im2col_global[2] = op->n * G;
    return OCLNN_STATUS_OK;
}

static oclnn_status gemm_setup(oclnn_conv2d *op, const conv2d_binding *b) {
    gemm_conv_state *s = op->impl;
    const oclnn_conv2d_params *p = &op->p;
    long G = p->groups, Kg = p->out_channels / G, Cg = p->in_channels / G, ohw = (long)(op->oh * op->ow);
    long kdim = Cg * p->kernel_h * p->kernel_w, hw = (long)(op->h * op->w);
    gemm_launch *l = &s->ex.l;
    memset(l, 0, sizeof *l);
    /* Batch z = n * G + g: z0 is the group, z1 the image. */
    l->m = Kg, l->n = ohw, l->k = kdim, l->alpha = 1.0f, l->beta = 1.0f;
    l->zn0 = G, l->zn1 = (long)op->n, l->batch = G * (long)op->n;
    l->a.mem = s->weights, l->a.s0 = kdim * s->ex.cfg.mr, l->a.bs[0] = (long)s->group_a;
    if (s->pointwise) {
        l->b.mem = b->in, l->b.off = (long)b->in_off, l->b.s0 = hw, l->b.s1 = 1;
        l->b.bs[0] = Cg * hw, l->b.bs[1] = p->in_channels * hw;
    } else {
        long per_z = (long)(s->im2col_global[0] * (size_t)kdim);
        l->b.mem = op->ws_lent ? op->ws[0] : s->workspace, l->b.s1 = kdim * OCLNN_GEMM_DEFAULT_NR;
        l->b.bs[0] = per_z, l->b.bs[1] = per_z * G;
    }
    if (s->bias) l->c.mem = s->bias, l->c.s0 = 1, l->c.s1 = 0, l->c.bs[0] = Kg;
    l->y.mem = b->out, l->y.off = (long)(b->out_off + b->out_c_offset * (size_t)ohw), l->y.s0 = ohw;
    l->y.bs[0] = Kg * ohw, l->y.bs[1] = (long)b->out_c_total * ohw;
    if (b->res) {
        l->r.mem = b->res, l->r.off = (long)(b->res_off + b->res_c_offset * (size_t)ohw), l->r.s0 = ohw;
        l->r.bs[0] = Kg * ohw, l->r.bs[1] = (long)b->res_c_total * ohw;
    }
    if (!s->im2col) return OCLNN_STATUS_OK;
    cl_kernel k = s->im2col;
    int args[] = {(int)b->in_off, (int)p->in_channels, (int)op->h, (int)op->w};
    int args2[] = {0, (int)op->oh, (int)op->ow, (int)p->groups, (int)p->kernel_h, (int)p->kernel_w, (int)p->stride_h,
                   (int)p->stride_w, (int)p->dilation_h, (int)p->dilation_w, (int)op->pad_top, (int)op->pad_left};
    cl_int err = CL_SUCCESS;
    cl_uint i = 0;
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &b->in);
    for (size_t a = 0; a < sizeof args / sizeof args[0]; a++) err |= clw_SetKernelArg(k, i++, sizeof(int), &args[a]);
    cl_mem ws = op->ws_lent ? op->ws[0] : s->workspace;
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &ws);
    for (size_t a = 0; a < sizeof args2 / sizeof args2[0]; a++) err |= clw_SetKernelArg(k, i++, sizeof(int), &args2[a]);
    if (err != CL_SUCCESS) return oclnn_fail(&op->ctx->err, OCLNN_STATUS_OPENCL_ERROR, "conv2d gemm: clSetKernelArg failed");
    return OCLNN_STATUS_OK;
}

static oclnn_status gemm_enqueue(oclnn_conv2d *op, cl_command_queue q, cl_event *ev) {
    gemm_conv_state *s = op->impl;
    if (s->im2col) {
        cl_int err = clw_EnqueueNDRangeKernel(q, s->im2col, 3, s->im2col_global, NULL, 0, NULL, NULL);
        if (err != CL_SUCCESS) return clw_fail(&op->ctx->err, err, "clEnqueueNDRangeKernel (conv2d im2col)");
    }
    return oclnn_gemm_exec_enqueue(&s->ex, q, ev);
}

static void gemm_destroy(oclnn_conv2d *op) {
    gemm_conv_state *s = op->impl;
    if (!s) return;
    oclnn_gemm_exec_release(&s->ex);
    if (s->im2col) clw_ReleaseKernel(s->im2col);
    if (s->weights) clw_ReleaseMemObject(s->weights);
    if (s->bias) clw_ReleaseMemObject(s->bias);
    if (s->workspace) clw_ReleaseMemObject(s->workspace);
    oclnn_free(op->ctx->alloc, s);
    op->impl = NULL;
}

const conv2d_algorithm oclnn_conv2d_gemm_algorithm = {
    OCLNN_CONV_ALGO_GEMM, gemm_supported, gemm_create, gemm_reshape, gemm_setup, gemm_enqueue, gemm_destroy,
};
