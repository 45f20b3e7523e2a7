/* pool2d.c - the pooling operator family (ONNX MaxPool, AveragePool, LpPool, GlobalMaxPool, GlobalAveragePool):
 * parameter validation, ONNX / ONNX Runtime output shapes (auto_pad, ceil_mode), the choice between the global
 * kernels, and the lifecycle create -> reshape -> setup -> enqueue -> destroy over cl/pool2d.cl.
 */
#include <string.h>

#include "program/program.h"

enum { POOL_CREATED, POOL_RESHAPED, POOL_READY };

/* The kernels index with 32-bit ints; larger extents are refused rather than wrapped. Windows are unrolled, so
 * their size is capped like conv2d's. */
#define POOL_MAX_EXTENT (1u << 24)
#define POOL_MAX_KERNEL 64u     /* largest size pool2d_window unrolls */
#define POOL_MAX_LARGE (1u << 20) /* largest size pool2d_large takes (its index arithmetic stays in int) */
/* cl/pool2d.cl's defaults: options at these values are left out of the build options. */
#define POOL_DEFAULT_K 3
#define POOL_DEFAULT_S 2
#define POOL_DEFAULT_GWG 64
#define POOL_DEFAULT_ROWS 4

struct oclnn_pool2d {
    oclnn_context *ctx;
    oclnn_pool2d_params p;
    int is_global;
    int gwg;                          /* work-group size of pool2d_global_wg */
    int rows;                         /* output rows per work-item of pool2d_window */
    cl_kernel window, loop, wg;       /* window for MAX/AVG/LP; loop and wg for the global types */
    cl_kernel active;                 /* the one reshape chose */
    size_t n, c, h, w, oh, ow;
    uint32_t pad_top, pad_left;       /* begin pads after auto_pad */
    size_t ext_h, ext_w;              /* in + end pad: where the padded extent stops */
    size_t global[1], local[1];
    int use_local;
    int state;
};

void oclnn_pool2d_params_init(oclnn_pool2d_params *p) {
    if (!p) return;
    memset(p, 0, sizeof *p);
    p->type = OCLNN_POOL_MAX;
    p->kernel_h = p->kernel_w = 1;
    p->stride_h = p->stride_w = 1;
    p->dilation_h = p->dilation_w = 1;
    p->p = 2;
}

static int is_global_type(oclnn_pool_type t) { return t == OCLNN_POOL_GLOBAL_MAX || t == OCLNN_POOL_GLOBAL_AVG; }

/* The message names the rule that fails. The global types read no window field, so none is checked. */
static oclnn_status validate(oclnn_errbuf *eb, const oclnn_pool2d_params *p) {
    if ((unsigned)p->type > OCLNN_POOL_GLOBAL_AVG)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pool2d: type %d is not a pooling type", (int)p->type);
    if (is_global_type(p->type)) return OCLNN_STATUS_OK;
    if (!p->kernel_h || !p->kernel_w)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pool2d: kernel size %ux%u must be >= 1", p->kernel_h,
                          p->kernel_w);
    if (!p->stride_h || !p->stride_w)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pool2d: stride %ux%u must be >= 1", p->stride_h,
                          p->stride_w);
    if (!p->dilation_h || !p->dilation_w)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pool2d: dilation %ux%u must be >= 1", p->dilation_h,
                          p->dilation_w);
    if ((unsigned)p->auto_pad > OCLNN_AUTO_PAD_VALID)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pool2d: auto_pad %d out of range", (int)p->auto_pad);
    if ((p->ceil_mode != 0 && p->ceil_mode != 1) || (p->count_include_pad != 0 && p->count_include_pad != 1))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pool2d: ceil_mode (%d) and count_include_pad (%d) must be 0 or 1",
                          p->ceil_mode, p->count_include_pad);
    /* ONNX requires every pad to be smaller than the kernel along its axis (ONNX Runtime enforces it). */
    if (p->auto_pad == OCLNN_AUTO_PAD_NOTSET &&
        (p->pad_top >= p->kernel_h || p->pad_bottom >= p->kernel_h || p->pad_left >= p->kernel_w ||
         p->pad_right >= p->kernel_w))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "pool2d: pads (top %u, left %u, bottom %u, right %u) must be smaller than the kernel %ux%u",
                          p->pad_top, p->pad_left, p->pad_bottom, p->pad_right, p->kernel_h, p->kernel_w);
    if (p->type == OCLNN_POOL_LP && p->p == 0)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pool2d: Lp pooling needs p >= 1");
    if (p->type == OCLNN_POOL_LP && p->p > 2)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "pool2d: Lp pooling is implemented for p = 1 and 2, not %u", p->p);
    if (p->kernel_h > POOL_MAX_LARGE || p->kernel_w > POOL_MAX_LARGE || p->stride_h > POOL_MAX_LARGE ||
        p->stride_w > POOL_MAX_LARGE || p->dilation_h > POOL_MAX_LARGE || p->dilation_w > POOL_MAX_LARGE)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "pool2d: kernel, stride or dilation above %u", POOL_MAX_LARGE);
    return OCLNN_STATUS_OK;
}

/* Windows whose loops cannot unroll (a size above POOL_MAX_KERNEL) run pool2d_large, with the sizes as arguments. */
static int is_large(const oclnn_pool2d_params *p) {
    return p->kernel_h > POOL_MAX_KERNEL || p->kernel_w > POOL_MAX_KERNEL || p->stride_h > POOL_MAX_KERNEL ||
           p->stride_w > POOL_MAX_KERNEL || p->dilation_h > POOL_MAX_KERNEL || p->dilation_w > POOL_MAX_KERNEL;
}

/* The largest power of two <= min(want, the device's work-group limit): the tree in pool2d_global_wg halves. */
static int choose_gwg(const oclnn_device_info *d) {
    uint64_t lim = d->max_work_group_size < d->max_work_item_sizes[0] ? d->max_work_group_size : d->max_work_item_sizes[0];
    int g = POOL_DEFAULT_GWG;
    while (g > 1 && (uint64_t)g > lim) g /= 2;
    return g;
}

static void build_options(const oclnn_pool2d *op, oclnn_opts *o) {
    const oclnn_pool2d_params *p = &op->p;
    int mode = p->type == OCLNN_POOL_MAX || p->type == OCLNN_POOL_GLOBAL_MAX ? 0
               : p->type == OCLNN_POOL_LP                                     ? 2
                                                                              : 1;
    oclnn_opts_int(o, "MODE", mode, 0);
    if (op->is_global) {
        oclnn_opts_int(o, "GWG", op->gwg, POOL_DEFAULT_GWG);
        return;
    }
    if (mode == 2) oclnn_opts_int(o, "LP_P", p->p, 2);
    if (is_large(p)) { /* pool2d_large takes the sizes as arguments */
        if (mode == 1) oclnn_opts_int(o, "COUNT_PAD", p->count_include_pad, 0);
        return;
    }
    oclnn_opts_int(o, "KH", p->kernel_h, POOL_DEFAULT_K);
    oclnn_opts_int(o, "KW", p->kernel_w, POOL_DEFAULT_K);
    oclnn_opts_int(o, "SH", p->stride_h, POOL_DEFAULT_S);
    oclnn_opts_int(o, "SW", p->stride_w, POOL_DEFAULT_S);
    oclnn_opts_int(o, "DH", p->dilation_h, 1);
    oclnn_opts_int(o, "DW", p->dilation_w, 1);
    if (mode == 1) oclnn_opts_int(o, "COUNT_PAD", p->count_include_pad, 0);
    oclnn_opts_int(o, "ROWS", op->rows, POOL_DEFAULT_ROWS);
}

/* Output rows per work-item of pool2d_window. A block shares the input rows between vertically adjacent windows
 * (stride 2 3x3 reads 9 rows for 4 output rows instead of 12), but its loops unroll over every input row of the
 * block, so large, strided or dilated windows get one row each. */
static int choose_rows(const oclnn_pool2d_params *p) {
    if (is_large(p)) return 1;
    return p->kernel_h <= 4 && p->kernel_w <= 4 && p->stride_h <= 4 && p->dilation_h == 1 ? POOL_DEFAULT_ROWS : 1;
}

oclnn_status oclnn_pool2d_create(oclnn_context *ctx, const oclnn_pool2d_params *params, oclnn_pool2d **out) {
    oclnn_errbuf *eb = ctx ? &ctx->err : NULL;
    if (!out) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pool2d_create: out is NULL");
    *out = NULL;
    if (!ctx || !params) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pool2d_create: ctx and params must be set");
    oclnn_status st = validate(eb, params);
    if (st) return st;
    oclnn_pool2d *op = oclnn_calloc(ctx->alloc, 1, sizeof *op);
    if (!op) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating pool2d");
    op->ctx = ctx;
    op->p = *params;
    op->is_global = is_global_type(params->type);
    op->gwg = choose_gwg(&ctx->info);
    op->rows = choose_rows(params);
    op->state = POOL_CREATED;
    oclnn_opts o;
    oclnn_opts_init(&o);
    build_options(op, &o);
    /* Both global kernels come from one program; reshape picks one by shape without compiling. */
    if (op->is_global) {
        if ((st = oclnn_kernel_create(ctx, OCLNN_KERNEL_POOL2D, o.buf, "pool2d_global", &op->loop))) goto fail;
        if ((st = oclnn_kernel_create(ctx, OCLNN_KERNEL_POOL2D, o.buf, "pool2d_global_wg", &op->wg))) goto fail;
    } else if ((st = oclnn_kernel_create(ctx, OCLNN_KERNEL_POOL2D, o.buf,
                                         is_large(params) ? "pool2d_large" : "pool2d_window", &op->window))) {
        goto fail;
    }
    *out = op;
    return OCLNN_STATUS_OK;
fail:
    oclnn_pool2d_destroy(op);
    return st;
}

/* Output size and pads of one window axis (see oclnn_pool.h); false when the window does not fit the padded
 * input. */
static bool axis_shape(size_t in, uint32_t k, uint32_t s, uint32_t d, oclnn_auto_pad ap, uint32_t pb, uint32_t pe,
                       int ceil_mode, size_t *out, uint32_t *pad_begin, uint32_t *pad_end) {
    size_t eff = (size_t)d * (k - 1) + 1;
    if (ap == OCLNN_AUTO_PAD_SAME_UPPER || ap == OCLNN_AUTO_PAD_SAME_LOWER) {
        size_t o = (in + s - 1) / s;
        size_t need = (o - 1) * s + eff;
        size_t total = need > in ? need - in : 0;
        *pad_begin = (uint32_t)(ap == OCLNN_AUTO_PAD_SAME_UPPER ? total / 2 : total - total / 2);
        *pad_end = (uint32_t)total - *pad_begin;
        *out = o;
        return true;
    }
    if (ap == OCLNN_AUTO_PAD_VALID) pb = pe = 0;
    size_t padded = in + pb + pe;
    if (padded < eff) return false;
    size_t o = (padded - eff) / s + 1;
    if (ceil_mode && (padded - eff) % s) {
        o++;
        /* ONNX Runtime drops a last window that would start in the end padding. */
        if ((o - 1) * s >= in + pb) o--;
    }
    *pad_begin = pb;
    *pad_end = pe;
    *out = o;
    return true;
}

/* Global pooling: one work-item per channel when there are enough channels to fill the device (and always for
 * small maps, where a work-group would idle), otherwise a work-group per channel. */
static void choose_global_kernel(oclnn_pool2d *op) {
    const oclnn_device_info *d = &op->ctx->info;
    size_t nc = op->n * op->c, hw = op->h * op->w;
    size_t lanes = (size_t)(d->compute_units ? d->compute_units : 1) * (d->type == OCLNN_DEVICE_TYPE_GPU ? 256 : 4);
    if (hw <= 64 || nc >= lanes || op->gwg < 2) {
        op->active = op->loop;
        op->use_local = 0;
        op->global[0] = nc;
    } else {
        op->active = op->wg;
        op->use_local = 1;
        op->global[0] = nc * (size_t)op->gwg;
        op->local[0] = (size_t)op->gwg;
    }
}

/* The work-groups of pool2d_window / pool2d_large over their @p items work-items (blocks of rows of each channel,
 * in channel order). On CPUs, one size per device for every layer: POCL compiles a kernel anew for each work-group
 * size it is launched with (0.4-0.9 s of CPU for pool2d_window), and DenseNet-121's four pools had four sizes. The
 * size, a power of two up to 256, aims at about WG_PER_CU work-groups per compute unit for a ~1000-item layer (a
 * 56x56 map of 64 channels, 28x28 of 128, ...; 128 on 2 cores, as fast as the per-layer sizes before on ResNet's
 * stem and VGG's pool1 in bench-pool): left to itself, POCL cuts the range into as many work-groups as cores, so one
 * core busy elsewhere stalls the whole pool, and one work-group per channel pays POCL's per-work-group cost hundreds
 * of times. The range is rounded up to a whole number of groups. Elsewhere (GPUs) the driver chooses. */
#define WG_PER_CU 4
#define WINDOW_ITEMS 1024
static void choose_window_local(oclnn_pool2d *op, size_t items) {
    const oclnn_device_info *d = &op->ctx->info;
    op->global[0] = items;
    op->use_local = 0;
    if (d->type != OCLNN_DEVICE_TYPE_CPU) return;
    size_t groups = (size_t)(d->compute_units ? d->compute_units : 1) * WG_PER_CU, l = 256;
    while (l > 1 && (l * groups > WINDOW_ITEMS || l > d->max_work_group_size || l > d->max_work_item_sizes[0])) l /= 2;
    op->local[0] = l;
    op->global[0] = (items + l - 1) / l * l;
    op->use_local = 1;
}

oclnn_status oclnn_pool2d_reshape(oclnn_pool2d *op, size_t batch, size_t channels, size_t height, size_t width,
                                  size_t *out_height, size_t *out_width) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "pool2d_reshape: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    const oclnn_pool2d_params *p = &op->p;
    if (!batch || !channels || !height || !width)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "pool2d: input %zux%zux%zux%zu has a zero dimension", batch,
                          channels, height, width);
    if (batch > POOL_MAX_EXTENT || channels > POOL_MAX_EXTENT || height > POOL_MAX_EXTENT || width > POOL_MAX_EXTENT)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "pool2d: input dimensions above 2^24");
    size_t oh = 1, ow = 1;
    uint32_t pt = 0, pl = 0, pb = 0, pr = 0;
    if (!op->is_global &&
        (!axis_shape(height, p->kernel_h, p->stride_h, p->dilation_h, p->auto_pad, p->pad_top, p->pad_bottom,
                     p->ceil_mode, &oh, &pt, &pb) ||
         !axis_shape(width, p->kernel_w, p->stride_w, p->dilation_w, p->auto_pad, p->pad_left, p->pad_right,
                     p->ceil_mode, &ow, &pl, &pr)))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE,
                          "pool2d: kernel %ux%u (dilation %ux%u) is larger than the padded input %zux%zu", p->kernel_h,
                          p->kernel_w, p->dilation_h, p->dilation_w,
                          height + (p->auto_pad == OCLNN_AUTO_PAD_VALID ? 0 : p->pad_top + p->pad_bottom),
                          width + (p->auto_pad == OCLNN_AUTO_PAD_VALID ? 0 : p->pad_left + p->pad_right));
    /* Every element index must fit the kernels' 32-bit arithmetic (the output's is checked again at setup, where
     * its channel total is known). */
    size_t in_elems;
    if (!oclnn_mul_size(batch, channels, &in_elems) || !oclnn_mul_size(in_elems, height, &in_elems) ||
        !oclnn_mul_size(in_elems, width, &in_elems) || in_elems > INT32_MAX)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "pool2d: tensors above 2^31 elements");
    op->n = batch;
    op->c = channels;
    op->h = height;
    op->w = width;
    op->oh = oh;
    op->ow = ow;
    op->pad_top = pt;
    op->pad_left = pl;
    op->ext_h = height + pb;
    op->ext_w = width + pr;
    if (op->is_global) {
        choose_global_kernel(op);
    } else {
        op->active = op->window;
        /* (ceil(oh / rows) blocks) x N*C items: below 2^31 as oh * N*C, a product the output's element count bounds
         * (checked at setup), plus less than one work-group. */
        choose_window_local(op, (oh + (size_t)op->rows - 1) / (size_t)op->rows * batch * channels);
    }
    op->state = POOL_RESHAPED; /* the tensors must be bound again: their shapes are kernel arguments */
    if (out_height) *out_height = oh;
    if (out_width) *out_width = ow;
    return OCLNN_STATUS_OK;
}

/* A 4-D f32 tensor with batch n, channels [c_off, c_off + c) inside dims[1] (exactly c when !wider), h x w. */
static oclnn_status check_tensor(oclnn_errbuf *eb, const char *what, const oclnn_tensor *t, size_t n, size_t c_off,
                                 size_t c, size_t h, size_t w, int wider) {
    if (!t) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pool2d: %s tensor is NULL", what);
    if (t->dtype != OCLNN_DTYPE_F32 || t->ndim != 4 || (size_t)t->dims[0] != n || (size_t)t->dims[2] != h ||
        (size_t)t->dims[3] != w || (size_t)t->dims[1] < c_off + c || (!wider && (size_t)t->dims[1] != c) ||
        t->offset % sizeof(float))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE,
                          "pool2d: %s must be f32 %zu x %s%zu + %zu x %zu x %zu, got %zu-D %lld x %lld x %lld x %lld",
                          what, n, wider ? ">= " : "", c_off, c, h, w, t->ndim, (long long)t->dims[0],
                          (long long)(t->ndim > 1 ? t->dims[1] : 0), (long long)(t->ndim > 2 ? t->dims[2] : 0),
                          (long long)(t->ndim > 3 ? t->dims[3] : 0));
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_pool2d_setup(oclnn_pool2d *op, const oclnn_tensor *input, oclnn_tensor *output,
                                size_t output_channel_offset) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "pool2d_setup: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    if (op->state == POOL_CREATED) return oclnn_fail(eb, OCLNN_STATUS_INVALID_STATE, "pool2d: setup before reshape");
    oclnn_status st;
    if ((st = check_tensor(eb, "input", input, op->n, 0, op->c, op->h, op->w, 0))) return st;
    if ((st = check_tensor(eb, "output", output, op->n, output_channel_offset, op->c, op->oh, op->ow, 1))) return st;
    if (input->mem == output->mem && input->offset < output->offset + output->nbytes &&
        output->offset < input->offset + input->nbytes)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "pool2d: input and output overlap");
    size_t ctot = (size_t)output->dims[1], out_elems;
    if (!oclnn_mul_size(op->n * ctot, op->oh * op->ow, &out_elems) || out_elems > INT32_MAX ||
        (!op->is_global && op->global[0] > INT32_MAX) ||
        input->offset / sizeof(float) > INT32_MAX || output->offset / sizeof(float) > INT32_MAX)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "pool2d: tensors above 2^31 elements");
    op->state = POOL_RESHAPED; /* until every argument is set */
    int in_off = (int)(input->offset / sizeof(float)), out_off = (int)(output->offset / sizeof(float));
    int C = (int)op->c, coff = (int)output_channel_offset, ct = (int)ctot;
    cl_kernel k = op->active;
    cl_int err = CL_SUCCESS;
    cl_uint i = 0;
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &input->mem);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &in_off);
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &output->mem);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &out_off);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &C);
    if (!op->is_global) {
        int args[] = {(int)(op->n * op->c), (int)op->h,        (int)op->w,     (int)op->oh,   (int)op->ow,
                      (int)op->pad_top,     (int)op->pad_left, (int)op->ext_h, (int)op->ext_w};
        for (size_t a = 0; a < sizeof args / sizeof args[0]; a++) err |= clw_SetKernelArg(k, i++, sizeof(int), &args[a]);
        if (is_large(&op->p)) { /* after out_c_offset and out_c_total */
            const oclnn_pool2d_params *p = &op->p;
            int w[] = {(int)p->kernel_h, (int)p->kernel_w, (int)p->stride_h,
                       (int)p->stride_w, (int)p->dilation_h, (int)p->dilation_w};
            for (size_t a = 0; a < sizeof w / sizeof w[0]; a++) err |= clw_SetKernelArg(k, i + 2 + (cl_uint)a, sizeof(int), &w[a]);
        }
    } else {
        int hw = (int)(op->h * op->w), nc = (int)(op->n * op->c);
        err |= clw_SetKernelArg(k, i++, sizeof(int), &hw);
        if (k == op->loop) err |= clw_SetKernelArg(k, i++, sizeof(int), &nc);
    }
    err |= clw_SetKernelArg(k, i++, sizeof(int), &coff);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &ct);
    if (err != CL_SUCCESS) return oclnn_fail(eb, OCLNN_STATUS_OPENCL_ERROR, "pool2d: clSetKernelArg failed");
    op->state = POOL_READY;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_pool2d_enqueue(oclnn_pool2d *op, uint32_t queue, oclnn_event **event) {
    if (event) *event = NULL;
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "pool2d_enqueue: op is NULL");
    oclnn_context *ctx = op->ctx;
    if (op->state != POOL_READY)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_STATE, "pool2d: enqueue before reshape and setup");
    if (queue >= ctx->num_queues)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "pool2d: queue %u of %u", queue, ctx->num_queues);
    cl_event ev = NULL;
    cl_int err = clw_EnqueueNDRangeKernel(ctx->queues[queue], op->active, 1, op->global,
                                          op->use_local ? op->local : NULL, 0, NULL, event ? &ev : NULL);
    if (err != CL_SUCCESS) return clw_fail(&ctx->err, err, "clEnqueueNDRangeKernel (pool2d)");
    return event ? oclnn_event_wrap(ctx, ev, event) : OCLNN_STATUS_OK;
}

void oclnn_pool2d_destroy(oclnn_pool2d *op) {
    if (!op) return;
    if (op->window) clw_ReleaseKernel(op->window);
    if (op->loop) clw_ReleaseKernel(op->loop);
    if (op->wg) clw_ReleaseKernel(op->wg);
    oclnn_free(op->ctx->alloc, op);
}
