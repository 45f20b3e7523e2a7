/* conv2d_direct.c - the direct convolution algorithm: packs weights for cl/conv2d_direct.cl, picks tiles per
 * device, and launches one kernel. It supports every valid configuration, so it is also the fallback.
 */
#include "ops/conv2d_direct_pack.h"
#include "ops/conv2d_impl.h"
#include "ops/gemm_impl.h" /* OCLNN_STAGED_UPLOAD_MIN */

typedef struct direct_state {
    int oc_tile, ow_tile;
    cl_kernel kernel;
    cl_mem weights; /* packed */
    cl_mem bias;    /* NULL when there is none */
    size_t global[3], local[3];
} direct_state;

/* Per-device tiles. The defaults suit CPU drivers with 8-wide float vectors (AVX2 under POCL: 12 of 16 ymm
 * registers hold accumulators); narrow groups (depthwise) shrink the channel tile so no work is padding. */
static void choose_tiles(const oclnn_device_info *d, const oclnn_conv2d_params *p, int *oc_tile, int *ow_tile) {
    unsigned kg = p->out_channels / p->groups;
    *oc_tile = OCLNN_CONV2D_DIRECT_DEFAULT_OC_TILE;
    *ow_tile = OCLNN_CONV2D_DIRECT_DEFAULT_OW_TILE;
    if (kg < 16) {
        *oc_tile = kg <= 1 ? 1 : kg <= 2 ? 2 : kg <= 4 ? 4 : 8;
        *ow_tile = 8;
    }
    (void)d;
}

static int direct_supported(const oclnn_device_info *dev, const oclnn_conv2d_params *p, const char **why) {
    (void)dev;
    (void)p;
    *why = NULL;
    return 1;
}

static oclnn_status direct_create(oclnn_conv2d *op, const float *weights, const float *bias) {
    oclnn_context *ctx = op->ctx;
    const oclnn_conv2d_params *p = &op->p;
    direct_state *s = oclnn_calloc(ctx->alloc, 1, sizeof *s);
    if (!s) return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating conv2d state");
    op->impl = s;
    choose_tiles(&ctx->info, p, &s->oc_tile, &s->ow_tile);
    int K = (int)p->out_channels, C = (int)p->in_channels, G = (int)p->groups;
    size_t packed_n = oclnn_conv2d_direct_packed_size(K, C, G, (int)p->kernel_h, (int)p->kernel_w, s->oc_tile);
    size_t bytes;
    if (!oclnn_mul_size(packed_n, sizeof(float), &bytes) || bytes > ctx->info.max_alloc_bytes)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_DEVICE_MEMORY,
                          "conv2d: packed weights of %zu floats exceed the device's largest allocation", packed_n);
    /* Large weights are packed a few MiB of channel blocks at a time through a staging buffer: packing all of them
     * on the host first held them three times during the upload (the caller's, the packed copy, the device's: 3 x
     * 392 MiB for FCN-8s's 7x7 fc6). Smaller ones go in with their buffer in one piece, so that creating an
     * operator enqueues nothing (a blocking write would wait for whatever another thread queued meanwhile). */
    size_t blocks = (size_t)G * (size_t)oclnn_conv2d_direct_blocks_per_group(K, G, s->oc_tile);
    size_t block = blocks ? packed_n / blocks : 0, per = block ? ((size_t)4 << 20) / sizeof(float) / block : 1;
    if (per < 1) per = 1;
    if (per > blocks || bytes <= OCLNN_STAGED_UPLOAD_MIN) per = blocks;
    float *stage = oclnn_malloc(ctx->alloc, (per * block > 0 ? per * block : 1) * sizeof(float));
    if (!stage) return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "conv2d: packing %zu weights", packed_n);
    cl_int err;
    if (per == blocks) { /* one piece */
        oclnn_conv2d_direct_pack_blocks(weights, stage, K, C, G, (int)p->kernel_h, (int)p->kernel_w, s->oc_tile, 0,
                                        blocks);
        s->weights = clw_CreateBuffer(ctx->cl, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, bytes, stage, &err);
        oclnn_free(ctx->alloc, stage);
        if (!s->weights) return clw_fail(&ctx->err, err, "clCreateBuffer (conv2d weights)");
        blocks = 0; /* nothing left to stage */
        stage = NULL;
    } else {
        s->weights = clw_CreateBuffer(ctx->cl, CL_MEM_READ_ONLY, bytes, NULL, &err);
    }
    oclnn_status st = s->weights ? OCLNN_STATUS_OK : clw_fail(&ctx->err, err, "clCreateBuffer (conv2d weights)");
    for (size_t b = 0; b < blocks && !st; b += per) {
        size_t n = blocks - b < per ? blocks - b : per;
        oclnn_conv2d_direct_pack_blocks(weights, stage, K, C, G, (int)p->kernel_h, (int)p->kernel_w, s->oc_tile, b,
                                        n);
        err = clw_EnqueueWriteBuffer(ctx->queues[0], s->weights, CL_TRUE, b * block * sizeof(float),
                                     n * block * sizeof(float), stage, 0, NULL, NULL);
        if (err != CL_SUCCESS) st = clw_fail(&ctx->err, err, "clEnqueueWriteBuffer (conv2d weights)");
    }
    oclnn_free(ctx->alloc, stage);
    if (st) return st; /* s->weights, if made, is released by destroy */
    if (bias) {
        s->bias = clw_CreateBuffer(ctx->cl, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, (size_t)K * sizeof(float),
                                   (void *)bias, &err);
        if (!s->bias) return clw_fail(&ctx->err, err, "clCreateBuffer (conv2d bias)");
    }
    oclnn_opts o;
    oclnn_opts_init(&o);
    oclnn_opts_int(&o, "KH", p->kernel_h, 3);
    oclnn_opts_int(&o, "KW", p->kernel_w, 3);
    oclnn_opts_int(&o, "SH", p->stride_h, 1);
    oclnn_opts_int(&o, "SW", p->stride_w, 1);
    oclnn_opts_int(&o, "DH", p->dilation_h, 1);
    oclnn_opts_int(&o, "DW", p->dilation_w, 1);
    oclnn_opts_int(&o, "OC_TILE", s->oc_tile, OCLNN_CONV2D_DIRECT_DEFAULT_OC_TILE);
    oclnn_opts_int(&o, "OW_TILE", s->ow_tile, OCLNN_CONV2D_DIRECT_DEFAULT_OW_TILE);
    oclnn_conv2d_epilogue_options(op, &o);
    return oclnn_kernel_create(ctx, OCLNN_KERNEL_CONV2D_DIRECT, o.buf, "conv2d_direct", &s->kernel);
}

static oclnn_status direct_reshape(oclnn_conv2d *op) {
    direct_state *s = op->impl;
    oclnn_conv2d_direct_ndrange((int)op->n, (int)op->p.out_channels, (int)op->oh, (int)op->ow, (int)op->p.groups,
                                s->oc_tile, s->ow_tile, s->global, s->local);
    return OCLNN_STATUS_OK;
}

static oclnn_status direct_setup(oclnn_conv2d *op, const conv2d_binding *b) {
    direct_state *s = op->impl;
    const oclnn_conv2d_params *p = &op->p;
    cl_mem res_mem = b->res ? b->res : s->weights; /* any valid buffer stands in for an unused one */
    cl_mem bias_mem = s->bias ? s->bias : s->weights;
    int in_off = (int)b->in_off, out_off = (int)b->out_off, res_off = (int)b->res_off;
    int args[] = {(int)op->n,        (int)p->in_channels,  (int)op->h,           (int)op->w,
                  (int)p->out_channels, (int)op->oh,       (int)op->ow,          (int)op->pad_top,
                  (int)op->pad_left, (int)p->groups,       (int)b->out_c_offset, (int)b->out_c_total,
                  (int)b->res_c_offset, (int)b->res_c_total};
    cl_kernel k = s->kernel;
    cl_int err = CL_SUCCESS;
    cl_uint i = 0;
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &b->in);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &in_off);
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &s->weights);
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &bias_mem);
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &b->out);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &out_off);
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &res_mem);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &res_off);
    for (size_t a = 0; a < sizeof args / sizeof args[0]; a++) err |= clw_SetKernelArg(k, i++, sizeof(int), &args[a]);
    if (err != CL_SUCCESS) return oclnn_fail(&op->ctx->err, OCLNN_STATUS_OPENCL_ERROR, "conv2d: clSetKernelArg failed");
    return OCLNN_STATUS_OK;
}

static oclnn_status direct_enqueue(oclnn_conv2d *op, cl_command_queue q, cl_event *ev) {
    direct_state *s = op->impl;
    cl_int err = clw_EnqueueNDRangeKernel(q, s->kernel, 3, s->global, s->local, 0, NULL, ev);
    return err == CL_SUCCESS ? OCLNN_STATUS_OK : clw_fail(&op->ctx->err, err, "clEnqueueNDRangeKernel (conv2d direct)");
}

static void direct_destroy(oclnn_conv2d *op) {
    direct_state *s = op->impl;
    if (!s) return;
    if (s->kernel) clw_ReleaseKernel(s->kernel);
    if (s->weights) clw_ReleaseMemObject(s->weights);
    if (s->bias) clw_ReleaseMemObject(s->bias);
    oclnn_free(op->ctx->alloc, s);
    op->impl = NULL;
}

const conv2d_algorithm oclnn_conv2d_direct_algorithm = {
    OCLNN_CONV_ALGO_DIRECT, direct_supported, direct_create, direct_reshape, direct_setup, direct_enqueue, direct_destroy,
};
