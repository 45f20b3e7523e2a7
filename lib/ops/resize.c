/* resize.c - Resize (opset 11-19) and Upsample (opset 7-9) over H and W of NCHW tensors: nearest, bilinear, cubic.
 * Each reshape evaluates the ONNX coordinate transformation in double into per-row and per-column tables that
 * the kernels (cl/resize.cl) only look up; integer nearest upsampling and bilinear half-pixel x2 (recognised from
 * the tables, whatever attributes produced them) take vectorised kernels.
 */
#include <math.h>
#include <string.h>

#include "ops/conv2d_impl.h"

enum { RS_CREATED, RS_RESHAPED, RS_READY };

#define RS_MAX_INDEX INT32_MAX

struct oclnn_resize {
    oclnn_context *ctx;
    oclnn_resize_params p;
    int state;
    cl_kernel gather; /* resize_nearest, resize_linear or resize_cubic */
    cl_kernel up;     /* resize_nearest_up (nearest), resize_linear_x2 (linear) */
    cl_mem tab;       /* the coordinate tables, RS_ROWS * (OH + OW) ints */
    size_t tab_cap;   /* ints the buffer holds */
    int *host_tab;
    size_t n, c, h, w, oh, ow;
    int fy, fx; /* > 0: integer nearest upsampling through resize_nearest_up */
    int x2;     /* linear with a half-pixel doubling of the width: resize_linear_x2 */
    cl_mem in, out;
    int in_off, out_off, out_c_offset, out_c_total;
};

void oclnn_resize_params_init(oclnn_resize_params *p) {
    if (!p) return;
    memset(p, 0, sizeof *p);
    p->mode = OCLNN_RESIZE_NEAREST;
    p->coord = OCLNN_RESIZE_HALF_PIXEL;
    p->nearest_mode = OCLNN_RESIZE_ROUND_PREFER_FLOOR;
    p->scale_h = p->scale_w = 1.0f;
    p->cubic_coeff_a = -0.75f;
}

/* Table rows per output coordinate: i0, i1, w1 (nearest, linear); four indices then four weights (cubic). */
#define RS_ROWS(p) ((p)->mode == OCLNN_RESIZE_CUBIC ? 8 : 3)

void oclnn_resize_params_init_upsample(oclnn_resize_params *p, oclnn_resize_mode mode) {
    if (!p) return;
    oclnn_resize_params_init(p);
    p->mode = mode;
    p->coord = OCLNN_RESIZE_ASYMMETRIC;
    p->nearest_mode = OCLNN_RESIZE_FLOOR;
}

static oclnn_status validate(oclnn_errbuf *eb, const oclnn_resize_params *p) {
    if (p->mode == OCLNN_RESIZE_CUBIC && !isfinite(p->cubic_coeff_a))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "resize: cubic_coeff_a must be finite");
    if ((unsigned)p->mode > OCLNN_RESIZE_CUBIC)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "resize: mode %d is not nearest, linear or cubic",
                          (int)p->mode);
    if (p->coord == OCLNN_RESIZE_TF_CROP_AND_RESIZE)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED,
                          "resize: coordinate_transformation_mode tf_crop_and_resize (needs a roi) is not implemented");
    if ((unsigned)p->coord > OCLNN_RESIZE_TF_CROP_AND_RESIZE)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "resize: coordinate_transformation_mode %d is unknown",
                          (int)p->coord);
    if ((unsigned)p->nearest_mode > OCLNN_RESIZE_CEIL)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "resize: nearest_mode %d is unknown", (int)p->nearest_mode);
    if (!p->out_height != !p->out_width)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "resize: give both output sizes (%zu x %zu) or neither (then the scales)", p->out_height,
                          p->out_width);
    if (!p->out_height && !(p->scale_h > 0 && p->scale_w > 0 && isfinite(p->scale_h) && isfinite(p->scale_w)))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "resize: scales %g x %g must be finite and > 0",
                          (double)p->scale_h, (double)p->scale_w);
    if (p->out_height > RS_MAX_INDEX || p->out_width > RS_MAX_INDEX)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "resize: output sizes above 2^31");
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_resize_create(oclnn_context *ctx, const oclnn_resize_params *params, oclnn_resize **out) {
    oclnn_errbuf *eb = ctx ? &ctx->err : NULL;
    if (!out) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "resize_create: out is NULL");
    *out = NULL;
    if (!ctx || !params) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "resize_create: ctx and params must be set");
    oclnn_status st = validate(eb, params);
    if (st) return st;
    oclnn_resize *op = oclnn_calloc(ctx->alloc, 1, sizeof *op);
    if (!op) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "allocating resize");
    op->ctx = ctx;
    op->p = *params;
    op->state = RS_CREATED;
    int nearest = params->mode == OCLNN_RESIZE_NEAREST, cubic = params->mode == OCLNN_RESIZE_CUBIC;
    st = oclnn_kernel_create(ctx, OCLNN_KERNEL_RESIZE, "",
                             nearest ? "resize_nearest" : cubic ? "resize_cubic" : "resize_linear", &op->gather);
    if (!st && !cubic) /* cubic has no fast path */
        st = oclnn_kernel_create(ctx, OCLNN_KERNEL_RESIZE, "", nearest ? "resize_nearest_up" : "resize_linear_x2", &op->up);
    if (st) {
        oclnn_resize_destroy(op);
        return st;
    }
    *out = op;
    return OCLNN_STATUS_OK;
}

/* x_original for output coordinate @p x, as the ONNX Resize specification writes it. */
static double source_coord(oclnn_resize_coord mode, double x, double scale, size_t in, size_t out) {
    switch (mode) {
    case OCLNN_RESIZE_PYTORCH_HALF_PIXEL: return out > 1 ? (x + 0.5) / scale - 0.5 : 0.0;
    case OCLNN_RESIZE_ALIGN_CORNERS: {
        /* The spec's reference divides by in * scale - 1, not out - 1: with scales whose product with the input
         * length is not whole (downsampling by 0.6) the two differ, and the backend tests expect the former. With
         * sizes, scale = out / in and both agree. A single output reads x = 0. */
        double len = scale * (double)in;
        (void)out;
        return len > 1 ? x * (double)(in - 1) / (len - 1) : 0.0;
    }
    case OCLNN_RESIZE_ASYMMETRIC: return x / scale;
    case OCLNN_RESIZE_TF_HALF_PIXEL_FOR_NN: return (x + 0.5) / scale;
    case OCLNN_RESIZE_HALF_PIXEL_SYMMETRIC: {
        double adjustment = (double)out / (scale * (double)in), center = (double)in / 2;
        return center * (1 - adjustment) + (x + 0.5) / scale - 0.5;
    }
    default: return (x + 0.5) / scale - 0.5; /* half_pixel */
    }
}

static int64_t clampi(int64_t v, size_t len) { return v < 0 ? 0 : v > (int64_t)len - 1 ? (int64_t)len - 1 : v; }

/* One axis' table: i0[out], i1[out], weight bits[out] (see cl/resize.cl). */
static void axis_table(const oclnn_resize_params *p, double scale, size_t in, size_t out, int *t) {
    for (size_t x = 0; x < out; x++) {
        double xo = source_coord(p->coord, (double)x, scale, in, out), f = floor(xo), frac = xo - f;
        int64_t i0, i1 = 0;
        float w = 0;
        if (p->mode == OCLNN_RESIZE_NEAREST) {
            switch (p->nearest_mode) {
            case OCLNN_RESIZE_ROUND_PREFER_CEIL: i0 = (int64_t)f + (frac >= 0.5); break;
            case OCLNN_RESIZE_FLOOR: i0 = (int64_t)f; break;
            case OCLNN_RESIZE_CEIL: i0 = (int64_t)ceil(xo); break;
            default: i0 = (int64_t)f + (frac > 0.5); break; /* round_prefer_floor */
            }
            i0 = clampi(i0, in);
        } else {
            /* Samples outside the input take the border value (the spec pads with edge values). */
            i0 = clampi((int64_t)f, in);
            i1 = clampi((int64_t)f + 1, in);
            w = (float)frac;
        }
        t[x] = (int)i0;
        t[out + x] = (int)i1;
        memcpy(&t[2 * out + x], &w, sizeof w);
    }
}

/* ONNX's cubic coefficients for the taps at distances 1 + r, r, 1 - r and 2 - r (r in (0, 1]). */
static void cubic_coeffs(double r, double a, double c[4]) {
    double s = 1 - r;
    c[0] = ((a * (r + 1) - 5 * a) * (r + 1) + 8 * a) * (r + 1) - 4 * a;
    c[1] = ((a + 2) * r - (a + 3)) * r * r + 1;
    c[2] = ((a + 2) * s - (a + 3)) * s * s + 1;
    c[3] = ((a * (s + 1) - 5 * a) * (s + 1) + 8 * a) * (s + 1) - 4 * a;
}

/* One axis' cubic table: idx[k][out] for k < 4, then weight bits[k][out]. As ONNX's reference: the four taps
 * nearest x_original, ratio r = x - floor(x) (1 when x is whole, so the taps are x - 2 .. x + 1), indices outside
 * the input read the edge value, or with exclude_outside get weight 0 and the rest are renormalised. */
static void cubic_table(const oclnn_resize_params *p, double scale, size_t in, size_t out, int *t) {
    for (size_t x = 0; x < out; x++) {
        double xo = source_coord(p->coord, (double)x, scale, in, out), f = floor(xo), r = xo - f, c[4], sum = 0;
        if (r == 0) r = 1, f -= 1;
        cubic_coeffs(r, p->cubic_coeff_a, c);
        for (int k = 0; k < 4; k++) {
            int64_t i = (int64_t)f - 1 + k;
            if (p->exclude_outside && (i < 0 || i >= (int64_t)in)) c[k] = 0;
            sum += c[k];
        }
        for (int k = 0; k < 4; k++) {
            float w = (float)(p->exclude_outside && sum != 0 ? c[k] / sum : c[k]);
            t[k * out + x] = (int)clampi((int64_t)f - 1 + k, in);
            memcpy(&t[(4 + k) * out + x], &w, sizeof w);
        }
    }
}

/* Whether a linear x table is the half-pixel doubling (what resize_linear_x2 computes), whatever mode made it. */
static int half_pixel_x2(const int *t, size_t in, size_t out) {
    if (out != 2 * in) return 0;
    for (size_t x = 0; x < out; x++) {
        double xo = ((double)x + 0.5) / 2 - 0.5, f = floor(xo);
        float w = (float)(xo - f), tw;
        memcpy(&tw, &t[2 * out + x], sizeof tw);
        if (t[x] != clampi((int64_t)f, in) || t[out + x] != clampi((int64_t)f + 1, in) || tw != w) return 0;
    }
    return 1;
}

/* Whether the nearest table is src = dst / f for an integer f (so resize_nearest_up can run it). */
static int integer_factor(const int *t, size_t in, size_t out) {
    if (out % in) return 0;
    size_t f = out / in;
    for (size_t x = 0; x < out; x++)
        if ((size_t)t[x] != x / f) return 0;
    return (int)f;
}

oclnn_status oclnn_resize_reshape(oclnn_resize *op, size_t batch, size_t channels, size_t height, size_t width,
                                  size_t *out_height, size_t *out_width) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "resize_reshape: op is NULL");
    oclnn_context *ctx = op->ctx;
    oclnn_errbuf *eb = &ctx->err;
    const oclnn_resize_params *p = &op->p;
    op->state = RS_CREATED;
    if (!batch || !channels || !height || !width)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "resize: input %zux%zux%zux%zu has a zero dimension", batch,
                          channels, height, width);
    size_t oh = p->out_height, ow = p->out_width;
    double sh, sw;
    if (oh) {
        sh = (double)oh / (double)height;
        sw = (double)ow / (double)width;
    } else {
        sh = p->scale_h;
        sw = p->scale_w;
        double fh = floor((double)height * sh), fw = floor((double)width * sw);
        if (fh < 1 || fw < 1)
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE,
                              "resize: output floor(%zu * %g) x floor(%zu * %g) has a zero dimension", height, sh,
                              width, sw);
        if (fh > RS_MAX_INDEX || fw > RS_MAX_INDEX)
            return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "resize: output sizes above 2^31");
        oh = (size_t)fh;
        ow = (size_t)fw;
    }
    size_t in_e, out_e;
    if (!oclnn_mul_size(batch, channels, &in_e) || !oclnn_mul_size(in_e, height, &in_e) ||
        !oclnn_mul_size(in_e, width, &in_e) || in_e > RS_MAX_INDEX || !oclnn_mul_size(batch, channels, &out_e) ||
        !oclnn_mul_size(out_e, oh, &out_e) || !oclnn_mul_size(out_e, ow, &out_e) || out_e > RS_MAX_INDEX)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "resize: tensors above 2^31 elements");
    size_t rows = RS_ROWS(p), need = rows * (oh + ow);
    if (need > op->tab_cap) {
        if (op->tab) clw_ReleaseMemObject(op->tab);
        oclnn_free(ctx->alloc, op->host_tab);
        op->tab = NULL;
        op->tab_cap = 0;
        op->host_tab = oclnn_malloc(ctx->alloc, need * sizeof(int));
        if (!op->host_tab) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "resize: coordinate tables");
        cl_int err;
        op->tab = clw_CreateBuffer(ctx->cl, CL_MEM_READ_ONLY, need * sizeof(int), NULL, &err);
        if (!op->tab) return clw_fail(eb, err, "clCreateBuffer (resize tables)");
        op->tab_cap = need;
    }
    if (p->mode == OCLNN_RESIZE_CUBIC) {
        cubic_table(p, sh, height, oh, op->host_tab);
        cubic_table(p, sw, width, ow, op->host_tab + rows * oh);
    } else {
        axis_table(p, sh, height, oh, op->host_tab);
        axis_table(p, sw, width, ow, op->host_tab + rows * oh);
    }
    op->fy = op->fx = 0;
    if (p->mode == OCLNN_RESIZE_NEAREST) {
        int fy = integer_factor(op->host_tab, height, oh), fx = integer_factor(op->host_tab + 3 * oh, width, ow);
        if (fy && fx) op->fy = fy, op->fx = fx;
    }
    op->x2 = p->mode == OCLNN_RESIZE_LINEAR && half_pixel_x2(op->host_tab + 3 * oh, width, ow);
    /* Blocking, on queue 0: the tables are in place before any later enqueue on any queue. */
    cl_int err = clw_EnqueueWriteBuffer(ctx->queues[0], op->tab, CL_TRUE, 0, need * sizeof(int), op->host_tab, 0, NULL,
                                        NULL);
    if (err != CL_SUCCESS) return clw_fail(eb, err, "clEnqueueWriteBuffer (resize tables)");
    op->n = batch;
    op->c = channels;
    op->h = height;
    op->w = width;
    op->oh = oh;
    op->ow = ow;
    op->state = RS_RESHAPED;
    if (out_height) *out_height = oh;
    if (out_width) *out_width = ow;
    return OCLNN_STATUS_OK;
}

static oclnn_status check_tensor(oclnn_errbuf *eb, const char *what, const oclnn_tensor *t, size_t n, size_t c_off,
                                 size_t c, size_t h, size_t w) {
    if (!t) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "resize: %s tensor is NULL", what);
    if (t->dtype != OCLNN_DTYPE_F32 || t->ndim != 4 || (size_t)t->dims[0] != n || (size_t)t->dims[2] != h ||
        (size_t)t->dims[3] != w || (size_t)t->dims[1] < c_off + c || t->offset % sizeof(float))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE,
                          "resize: %s must be f32 %zu x (>= %zu + %zu) x %zu x %zu, got %zu-D %lld x %lld x %lld x %lld",
                          what, n, c_off, c, h, w, t->ndim, (long long)t->dims[0],
                          (long long)(t->ndim > 1 ? t->dims[1] : 0), (long long)(t->ndim > 2 ? t->dims[2] : 0),
                          (long long)(t->ndim > 3 ? t->dims[3] : 0));
    if (t->offset / sizeof(float) + t->nbytes / sizeof(float) > RS_MAX_INDEX)
        return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "resize: %s ends beyond element 2^31 of its buffer", what);
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_resize_setup(oclnn_resize *op, const oclnn_tensor *input, oclnn_tensor *output,
                                size_t output_channel_offset) {
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "resize_setup: op is NULL");
    oclnn_errbuf *eb = &op->ctx->err;
    if (op->state == RS_CREATED) return oclnn_fail(eb, OCLNN_STATUS_INVALID_STATE, "resize: setup before reshape");
    op->state = RS_RESHAPED;
    oclnn_status st;
    if ((st = check_tensor(eb, "input", input, op->n, 0, op->c, op->h, op->w))) return st;
    if ((st = check_tensor(eb, "output", output, op->n, output_channel_offset, op->c, op->oh, op->ow))) return st;
    if (input->mem == output->mem && input->offset < output->offset + output->nbytes &&
        output->offset < input->offset + input->nbytes)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "resize: input and output overlap");
    op->in = input->mem;
    op->out = output->mem;
    op->in_off = (int)(input->offset / sizeof(float));
    op->out_off = (int)(output->offset / sizeof(float));
    op->out_c_offset = (int)output_channel_offset;
    op->out_c_total = (int)output->dims[1];
    op->state = RS_READY;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_resize_enqueue(oclnn_resize *op, uint32_t queue, oclnn_event **event) {
    if (event) *event = NULL;
    if (!op) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "resize_enqueue: op is NULL");
    oclnn_context *ctx = op->ctx;
    if (op->state != RS_READY)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_STATE, "resize: enqueue before reshape and setup");
    if (queue >= ctx->num_queues)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "resize: queue %u of %u", queue, ctx->num_queues);
    int c = (int)op->c, h = (int)op->h, w = (int)op->w, oh = (int)op->oh, ow = (int)op->ow;
    cl_int err = CL_SUCCESS;
    cl_uint i = 0;
    size_t global[2];
    cl_kernel k = op->fy || op->x2 ? op->up : op->gather;
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &op->in);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &op->in_off);
    err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &op->out);
    err |= clw_SetKernelArg(k, i++, sizeof(int), &op->out_off);
    if (op->fy) {
        int a[] = {c, h, w, op->fy, op->fx, op->out_c_offset, op->out_c_total};
        for (size_t j = 0; j < sizeof a / sizeof a[0]; j++) err |= clw_SetKernelArg(k, i++, sizeof(int), &a[j]);
        global[0] = op->h;
    } else {
        int a[] = {c, h, w, oh, ow, op->out_c_offset, op->out_c_total};
        err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &op->tab);
        for (size_t j = 0; j < sizeof a / sizeof a[0]; j++) {
            if (op->x2 && j == 4) continue; /* resize_linear_x2 has no OW: it is 2 W */
            err |= clw_SetKernelArg(k, i++, sizeof(int), &a[j]);
        }
        global[0] = op->oh;
    }
    global[1] = op->n * op->c;
    if (err != CL_SUCCESS) return oclnn_fail(&ctx->err, OCLNN_STATUS_OPENCL_ERROR, "resize: clSetKernelArg failed");
    cl_event ev = NULL;
    err = clw_EnqueueNDRangeKernel(ctx->queues[queue], k, 2, global, NULL, 0, NULL, event ? &ev : NULL);
    if (err != CL_SUCCESS) return clw_fail(&ctx->err, err, "clEnqueueNDRangeKernel (resize)");
    return event ? oclnn_event_wrap(ctx, ev, event) : OCLNN_STATUS_OK;
}

void oclnn_resize_destroy(oclnn_resize *op) {
    if (!op) return;
    if (op->gather) clw_ReleaseKernel(op->gather);
    if (op->up) clw_ReleaseKernel(op->up);
    if (op->tab) clw_ReleaseMemObject(op->tab);
    oclnn_free(op->ctx->alloc, op->host_tab);
    oclnn_free(op->ctx->alloc, op);
}
