/* conv2d_depthwise.c - the depthwise convolution algorithm (groups == in_channels, any channel multiplier): one
 * launch of cl/conv2d_depthwise.cl, which vectorises along the output row instead of over output channels. The
 * weights need no packing (ONNX's [K][1][KH][KW] is already one contiguous block per channel).
 */
#include "ops/conv2d_impl.h"

/* The kernel unrolls every tap of a work-item's rows into registers; beyond this size the unrolled body (and its
 * compile time) outgrows what the layout is for, and the direct algorithm serves such kernels. */
#define DW_MAX_KERNEL 15u
/* cl/conv2d_depthwise.cl's defaults. */
#define DW_DEFAULT_VEC 8
#define DW_DEFAULT_ROWS 4

typedef struct depthwise_state {
    int rows;
    cl_kernel kernel;
    cl_mem weights;
    cl_mem bias; /* NULL when there is none */
    size_t global[3], local[3];
} depthwise_state;

static int depthwise_supported(const oclnn_device_info *dev, const oclnn_conv2d_params *p, const char **why) {
    (void)dev;
    *why = NULL;
    /* validate() has already checked that groups divides out_channels, so K is a multiple of C here. */
    if (p->groups != p->in_channels || p->out_channels % p->in_channels)
        *why = "depthwise needs groups == in_channels and out_channels a multiple of in_channels";
    else if (p->kernel_h > DW_MAX_KERNEL || p->kernel_w > DW_MAX_KERNEL)
        *why = "depthwise supports kernels up to 15x15 (larger ones use direct)";
    return *why == NULL;
}

static oclnn_status depthwise_create(oclnn_conv2d *op, const float *weights, const float *bias) {
    oclnn_context *ctx = op->ctx;
    const oclnn_conv2d_params *p = &op->p;
    depthwise_state *s = oclnn_calloc(ctx->alloc, 1, sizeof *s);
    if (!s) return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating conv2d depthwise state");
    op->impl = s;
    s->rows = DW_DEFAULT_ROWS;
    size_t K = p->out_channels, bytes = K * p->kernel_h * p->kernel_w * sizeof(float); /* K <= 2^24, taps <= 225 */
    if (bytes > ctx->info.max_alloc_bytes)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_DEVICE_MEMORY,
                          "conv2d depthwise: %zu bytes of weights exceed the device's largest allocation", bytes);
    cl_int err;
    s->weights = clw_CreateBuffer(ctx->cl, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, bytes, (void *)weights, &err);
    if (!s->weights) return clw_fail(&ctx->err, err, "clCreateBuffer (conv2d depthwise weights)");
    if (bias) {
        s->bias = clw_CreateBuffer(ctx->cl, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, K * sizeof(float), (void *)bias,
                                   &err);
        if (!s->bias) return clw_fail(&ctx->err, err, "clCreateBuffer (conv2d depthwise bias)");
    }
    oclnn_opts o;
    oclnn_opts_init(&o);
    oclnn_opts_int(&o, "KH", p->kernel_h, 3);
    oclnn_opts_int(&o, "KW", p->kernel_w, 3);
    oclnn_opts_int(&o, "SH", p->stride_h, 1);
    oclnn_opts_int(&o, "SW", p->stride_w, 1);
    oclnn_opts_int(&o, "DH", p->dilation_h, 1);
    oclnn_opts_int(&o, "DW", p->dilation_w, 1);
    oclnn_opts_int(&o, "ROWS", s->rows, DW_DEFAULT_ROWS);
    oclnn_conv2d_epilogue_options(op, &o);
    return oclnn_kernel_create(ctx, OCLNN_KERNEL_CONV2D_DEPTHWISE, o.buf, "conv2d_depthwise", &s->kernel);
}

static oclnn_status depthwise_reshape(oclnn_conv2d *op) {
    depthwise_state *s = op->impl;
    /* One work-item per (ROWS output rows, image, output channel); it walks the whole row. */
    s->global[0] = (op->oh + (size_t)s->rows - 1) / (size_t)s->rows;
    s->global[1] = op->n * op->p.out_channels;
    s->global[2] = 1;
    s->local[0] = s->local[1] = s->local[2] = 1;
    return OCLNN_STATUS_OK;
}

static oclnn_status depthwise_setup(oclnn_conv2d *op, const conv2d_binding *b) {
    depthwise_state *s = op->impl;
    const oclnn_conv2d_params *p = &op->p;
    cl_mem res_mem = b->res ? b->res : s->weights; /* any valid buffer stands in for an unused one */
    cl_mem bias_mem = s->bias ? s->bias : s->weights;
    int in_off = (int)b->in_off, out_off = (int)b->out_off, res_off = (int)b->res_off;
    int args[] = {(int)op->n,           (int)p->in_channels, (int)op->h,          (int)op->w,
                  (int)p->out_channels, (int)op->oh,         (int)op->ow,         (int)op->pad_top,
                  (int)op->pad_left,    (int)b->out_c_offset, (int)b->out_c_total, (int)b->res_c_offset,
                  (int)b->res_c_total};
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
    if (err != CL_SUCCESS)
        return oclnn_fail(&op->ctx->err, OCLNN_STATUS_OPENCL_ERROR, "conv2d depthwise: clSetKernelArg failed");
    return OCLNN_STATUS_OK;
}

static oclnn_status depthwise_enqueue(oclnn_conv2d *op, cl_command_queue q, cl_event *ev) {
    depthwise_state *s = op->impl;
    cl_int err = clw_EnqueueNDRangeKernel(q, s->kernel, 2, s->global, s->local, 0, NULL, ev);
    return err == CL_SUCCESS ? OCLNN_STATUS_OK
                             : clw_fail(&op->ctx->err, err, "clEnqueueNDRangeKernel (conv2d depthwise)");
}

static void depthwise_destroy(oclnn_conv2d *op) {
    depthwise_state *s = op->impl;
    if (!s) return;
    if (s->kernel) clw_ReleaseKernel(s->kernel);
    if (s->weights) clw_ReleaseMemObject(s->weights);
    if (s->bias) clw_ReleaseMemObject(s->bias);
    oclnn_free(op->ctx->alloc, s);
    op->impl = NULL;
}

const conv2d_algorithm oclnn_conv2d_depthwise_algorithm = {
    OCLNN_CONV_ALGO_DEPTHWISE, depthwise_supported, depthwise_create,  depthwise_reshape,
    depthwise_setup,           depthwise_enqueue,   depthwise_destroy,
};
