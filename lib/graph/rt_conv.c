/* rt_conv.c - graph ops Conv and ConvTranspose (1-D and 2-D) on oclnn_conv2d / oclnn_deconv2d, 3-D Conv on the
 * rank-based oclnn_conv and 3-D ConvTranspose on oclnn_deconv: weights and bias are read from constants at create
 * (packed once); the node's fusion (activation, residual as its last input) goes into the operator's epilogue.
 * Outputs may be channel slices of a concat (out_offset). 1-D runs as 2-D with H = 1 on 4-D views of the 3-D tensors.
 */
#include "graph/rt_util.h"
#include "ops/conv2d_impl.h"

#include <string.h>

_Static_assert(OCLNN_RT_WS_SLOTS == OCLNN_CONV2D_WS_SLOTS, "a step's workspace slots are conv2d's");

typedef struct rt_conv {
    oclnn_conv2d *conv;
    oclnn_deconv2d *deconv;
    int res_in; /* input index of the fused residual, -1 when none */
    oclnn_tensor *view[3]; /* 1-D: 4-D views of X, Y and the residual, made at setup */
    oclnn_conv *conv3;     /* 3-D Conv (5-D X and W) */
    oclnn_deconv *deconv3; /* ConvTranspose of 5-D X and W */
} rt_conv;

static int conv_res_index(const oclnn_ir_node *n) {
    return n->fuse.residual != OCLNN_RESIDUAL_NONE ? (int)n->num_inputs - 1 : -1;
}

/* The bias input (index 2) when present and not the residual. */
static int conv_has_bias(const oclnn_graph *g, const oclnn_ir_node *n) {
    int ri = conv_res_index(n);
    return rt_in(g, n, 2) && ri != 2;
}

static oclnn_status conv_shapes(const oclnn_graph *g, const oclnn_ir_node *n, const oclnn_ir_value **x,
                                const oclnn_ir_value **w) {
    *x = rt_in(g, n, 0);
    *w = rt_in(g, n, 1);
    if (!*x || !*w) return rt_fail(g, n, OCLNN_STATUS_INVALID_MODEL, "needs inputs X and W");
    if ((*x)->ndim != (*w)->ndim || ((*x)->ndim != 4 && (*x)->ndim != 3))
        return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED,
                       "only 1-D and 2-D convolutions (3-D or 4-D X and W) are supported, X has %zu dims and W %zu",
                       (*x)->ndim, (*w)->ndim);
    return OCLNN_STATUS_OK;
}

/* ---- 3-D Conv: 5-D X and W, attributes of rank 3, on oclnn_conv ---- */

/* One axis of a 3-D Conv's output (ONNX formulas; SAME keeps ceil(in / stride)); < 1 when nothing fits. */
static int64_t conv3d_axis_out(int64_t in, int64_t k, int64_t s, int64_t d, int64_t pa, int64_t pb,
                               oclnn_auto_pad ap) {
    if (ap == OCLNN_AUTO_PAD_SAME_UPPER || ap == OCLNN_AUTO_PAD_SAME_LOWER) return (in + s - 1) / s;
    if (ap == OCLNN_AUTO_PAD_VALID) pa = pb = 0;
    int64_t span = in + pa + pb - (d * (k - 1) + 1);
    return span < 0 ? 0 : span / s + 1;
}

/* The operator's parameters (node fusion included) and the output's spatial sizes, from X, W and the attributes:
 * kernel_shape (when given, as W's), strides, dilations (3 values each), pads (6: D, H, W begins then ends),
 * auto_pad and group, with ONNX's defaults. */
static oclnn_status conv3d_params(const oclnn_graph *g, const oclnn_ir_node *n, oclnn_conv_params *p,
                                  int64_t out[3]) {
    const oclnn_ir_value *x = rt_in(g, n, 0), *w = rt_in(g, n, 1);
    if (!x || !w) return rt_fail(g, n, OCLNN_STATUS_INVALID_MODEL, "needs inputs X and W");
    if (x->ndim != 5 || w->ndim != 5)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE,
                       "a 3-D convolution needs 5-D X and W, X has %zu dims and W %zu", x->ndim, w->ndim);
    int64_t k[8], st[8] = {1, 1, 1}, dl[8] = {1, 1, 1}, pd[8] = {0, 0, 0, 0, 0, 0}, ks[8];
    for (int a = 0; a < 3; a++)
        k[a] = w->dims[2 + a];
    size_t c = rt_attr_ints(n, "kernel_shape", ks, 8);
    if (c && (c != 3 || ks[0] != k[0] || ks[1] != k[1] || ks[2] != k[2]))
        return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "kernel_shape disagrees with the 3-D weights");
    if ((c = rt_attr_ints(n, "strides", st, 8)) && c != 3)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "strides needs 3 values, has %zu", c);
    if ((c = rt_attr_ints(n, "dilations", dl, 8)) && c != 3)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "dilations needs 3 values, has %zu", c);
    if ((c = rt_attr_ints(n, "pads", pd, 8)) && c != 6)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "pads needs 6 values, has %zu", c);
    for (int a = 0; a < 3; a++) {
        if (k[a] < 1 || st[a] < 1 || dl[a] < 1 || pd[a] < 0 || pd[a + 3] < 0)
            return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT,
                           "kernel, strides and dilations must be >= 1 and pads >= 0");
        /* the operator takes 32-bit geometry, and the window arithmetic must not overflow */
        if (k[a] > INT32_MAX || st[a] > INT32_MAX || dl[a] > INT32_MAX || pd[a] > INT32_MAX || pd[a + 3] > INT32_MAX)
            return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "kernel/strides/dilations/pads value above 2^31-1");
    }
    int64_t groups = oclnn_ir_attr_int(n, "group", 1);
    if (groups < 1 || groups > x->dims[1] || x->dims[1] != w->dims[1] * groups || w->dims[0] % groups ||
        x->dims[1] > INT32_MAX || w->dims[0] > INT32_MAX)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "X has %lld channels but W is [%lld,%lld,..] with group %lld",
                       (long long)x->dims[1], (long long)w->dims[0], (long long)w->dims[1], (long long)groups);
    oclnn_conv_params_init(p);
    oclnn_status s = rt_auto_pad(g, n, &p->auto_pad);
    if (s) return s;
    p->rank = 3;
    p->in_channels = (uint32_t)x->dims[1];
    p->out_channels = (uint32_t)w->dims[0];
    p->groups = (uint32_t)groups;
    for (int a = 0; a < 3; a++) {
        p->kernel[a] = (uint32_t)k[a], p->stride[a] = (uint32_t)st[a], p->dilation[a] = (uint32_t)dl[a];
        p->pad_begin[a] = (uint32_t)pd[a], p->pad_end[a] = (uint32_t)pd[a + 3];
        out[a] = conv3d_axis_out(x->dims[2 + a], k[a], st[a], dl[a], pd[a], pd[a + 3], p->auto_pad);
        if (out[a] < 1)
            return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE,
                           "axis %d: an input of %lld leaves no output for a kernel of %lld", a,
                           (long long)x->dims[2 + a], (long long)k[a]);
    }
    p->activation = n->fuse.activation;
    p->activation_alpha = n->fuse.alpha;
    p->activation_beta = n->fuse.beta;
    p->residual = n->fuse.residual;
    return OCLNN_STATUS_OK;
}

static oclnn_status conv3d_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    oclnn_conv_params p;
    int64_t o[3];
    oclnn_status s = conv3d_params(g, n, &p, o);
    if (s) return s;
    const oclnn_ir_value *x = rt_in(g, n, 0), *w = rt_in(g, n, 1);
    int64_t d[5] = {x->dims[0], w->dims[0], o[0], o[1], o[2]};
    rt_set_out(g, n, 0, OCLNN_DTYPE_F32, 5, d);
    return OCLNN_STATUS_OK;
}

static oclnn_status conv3d_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    oclnn_conv_params p;
    int64_t o[3];
    oclnn_status s = conv3d_params(g, n, &p, o);
    if (s) return s;
    const float *wd, *bd = NULL;
    size_t wc, bc = 0;
    if ((s = rt_const_floats(g, n, 1, &wd, &wc))) return s;
    if (conv_has_bias(g, n) && (s = rt_const_floats(g, n, 2, &bd, &bc))) return s;
    rt_conv *c = oclnn_calloc(st->ctx->alloc, 1, sizeof *c);
    if (!c) return rt_fail(g, n, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "out of host memory");
    st->op = c;
    c->res_in = conv_res_index(n);
    s = oclnn_conv_create(st->ctx, &p, wd, wc, bd, bc, &c->conv3);
    if (s) return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    st->algo = oclnn_conv_algo_name(oclnn_conv_get_algo(c->conv3));
    st->params = wc + bc;
    st->weight_bytes = (wc + bc) * sizeof(float);
    return OCLNN_STATUS_OK;
}

static oclnn_status conv3d_reshape(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_conv *c = st->op;
    const oclnn_ir_value *x = rt_in(g, n, 0), *w = rt_in(g, n, 1), *y = rt_out(g, n, 0);
    size_t in[3] = {(size_t)x->dims[2], (size_t)x->dims[3], (size_t)x->dims[4]}, out[3];
    oclnn_status s = oclnn_conv_reshape(c->conv3, (size_t)x->dims[0], in, out);
    if (s) return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    if ((int64_t)out[0] != y->dims[2] || (int64_t)out[1] != y->dims[3] || (int64_t)out[2] != y->dims[4])
        return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE,
                       "operator output %zux%zux%zu differs from the inferred %lldx%lldx%lld", out[0], out[1], out[2],
                       (long long)y->dims[2], (long long)y->dims[3], (long long)y->dims[4]);
    /* every output element sums C/g*kd*kh*kw products */
    st->macs = (uint64_t)oclnn_ir_numel(y) * (uint64_t)w->dims[1] * (uint64_t)w->dims[2] * (uint64_t)w->dims[3] *
               (uint64_t)w->dims[4];
    st->kernels = 1;
    return OCLNN_STATUS_OK;
}

static oclnn_status conv3d_setup(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_conv *c = st->op;
    const oclnn_tensor *res = c->res_in >= 0 ? st->in[c->res_in] : NULL;
    size_t roff = c->res_in >= 0 ? st->in_offset[c->res_in] : 0;
    oclnn_status s = oclnn_conv_setup(c->conv3, st->in[0], st->out[0], st->out_offset[0], res, roff);
    if (s) return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    return OCLNN_STATUS_OK;
}

static oclnn_status conv_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    if (!rt_known(g, n, 0) || !rt_known(g, n, 1)) return OCLNN_STATUS_OK;
    if (rt_in(g, n, 0)->ndim == 5) return conv3d_infer(g, n);
    const oclnn_ir_value *x, *w;
    oclnn_status s = conv_shapes(g, n, &x, &w);
    if (s) return s;
    int64_t groups = oclnn_ir_attr_int(n, "group", 1);
    if (groups < 1 || groups > x->dims[1] || x->dims[1] != w->dims[1] * groups || w->dims[0] % groups)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "X has %lld channels but W is [%lld,%lld,..] with group %lld",
                       (long long)x->dims[1], (long long)w->dims[0], (long long)w->dims[1], (long long)groups);
    int64_t x4[4], w4[4];
    int rank = rt_dims4(x, x4);
    rt_dims4(w, w4);
    rt_window win;
    if ((s = rt_window_read(g, n, rank, w4[2], w4[3], &win))) return s;
    int64_t d[4] = {x->dims[0], w->dims[0], 0, 0};
    if ((s = rt_window_out(g, n, &win, x4[2], x4[3], &d[2], &d[3]))) return s;
    if (rank == 1) d[2] = d[3];
    rt_set_out(g, n, 0, OCLNN_DTYPE_F32, (size_t)rank + 2, d);
    return OCLNN_STATUS_OK;
}

/* ConvTranspose: per axis full = s*(in-1) + output_padding + d*(k-1) + 1, then pads or output_shape. */
static oclnn_status deconv_geometry(const oclnn_graph *g, const oclnn_ir_node *n, const oclnn_ir_value *x,
                                    const oclnn_ir_value *w, oclnn_deconv2d_params *p, int64_t out[2]) {
    int64_t x4[4], w4[4];
    int rank = rt_dims4(x, x4);
    rt_dims4(w, w4);
    rt_window win;
    oclnn_status s = rt_window_read(g, n, rank, w4[2], w4[3], &win);
    if (s) return s;
    int64_t groups = oclnn_ir_attr_int(n, "group", 1);
    if (groups < 1 || groups > x->dims[1] || x->dims[1] != w->dims[0] || x->dims[1] % groups)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE,
                       "X has %lld channels but W has %lld input channels, with group %lld",
                       (long long)x->dims[1], (long long)w->dims[0], (long long)groups);
    int64_t op[2] = {0, 0}, os[8];
    size_t nop = rt_attr_ints(n, "output_padding", op, 2);
    if (rank == 1 && nop) op[1] = op[0], op[0] = 0;
    size_t nos = rt_attr_ints(n, "output_shape", os, 8);
    if (rank == 1 && nos) { /* [W] (or [N,C,W]) as [1, W] */
        os[0] = 1, os[1] = os[nos - 1];
        nos = 2;
    }
    /* ONNX: output_padding must be smaller than the stride or the dilation of its axis */
    if (op[0] < 0 || op[1] < 0 || (op[0] >= win.sh && op[0] >= win.dh) || (op[1] >= win.sw && op[1] >= win.dw))
        return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT,
                       "output_padding (%lld, %lld) must be >= 0 and below the stride or dilation", (long long)op[0],
                       (long long)op[1]);
    for (size_t i = 0; i < nos; i++)
        if (os[i] < 1 || os[i] > INT32_MAX)
            return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "output_shape value %lld is outside 1..2^31-1",
                           (long long)os[i]);
    oclnn_deconv2d_params_init(p);
    p->in_channels = (uint32_t)x->dims[1];
    p->out_channels = (uint32_t)(w->dims[1] * groups);
    p->groups = (uint32_t)groups;
    p->kernel_h = (uint32_t)win.kh, p->kernel_w = (uint32_t)win.kw;
    p->stride_h = (uint32_t)win.sh, p->stride_w = (uint32_t)win.sw;
    p->dilation_h = (uint32_t)win.dh, p->dilation_w = (uint32_t)win.dw;
    p->pad_top = (uint32_t)win.pt, p->pad_left = (uint32_t)win.pl;
    p->pad_bottom = (uint32_t)win.pb, p->pad_right = (uint32_t)win.pr;
    p->output_padding_h = (uint32_t)op[0], p->output_padding_w = (uint32_t)op[1];
    p->auto_pad = win.auto_pad;
    if (nos >= 2) {
        p->output_shape_h = (uint32_t)os[nos - 2];
        p->output_shape_w = (uint32_t)os[nos - 1];
    }
    int64_t in[2] = {x4[2], x4[3]}, k[2] = {win.kh, win.kw}, st[2] = {win.sh, win.sw};
    int64_t dl[2] = {win.dh, win.dw}, pa[2] = {win.pt, win.pl}, pb[2] = {win.pb, win.pr};
    for (int a = 0; a < 2; a++) {
        /* every term is below 2^62 (32-bit geometry), their sum may not be: bound it before computing */
        if ((double)st[a] * (double)(in[a] - 1) + (double)dl[a] * (double)(k[a] - 1) > (double)INT32_MAX)
            return rt_fail(g, n, OCLNN_STATUS_LIMIT_EXCEEDED, "the output extent of axis %d is above 2^31-1", a);
        int64_t full = st[a] * (in[a] - 1) + op[a] + dl[a] * (k[a] - 1) + 1;
        if (nos >= 2)
            out[a] = os[nos - 2 + a];
        else if (win.auto_pad == OCLNN_AUTO_PAD_SAME_UPPER || win.auto_pad == OCLNN_AUTO_PAD_SAME_LOWER)
            out[a] = in[a] * st[a];
        else if (win.auto_pad == OCLNN_AUTO_PAD_VALID)
            out[a] = full;
        else
            out[a] = full - pa[a] - pb[a];
        if (out[a] < 1) return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "the pads leave no output");
    }
    return OCLNN_STATUS_OK;
}

/* ConvTranspose 3-D: the attributes of spatial rank 3 (ONNX defaults: strides and dilations 1, no pads), checked
 * against W, into @p p; @p out receives the output's D, H, W. */
static oclnn_status deconv3_geometry(const oclnn_graph *g, const oclnn_ir_node *n, const oclnn_ir_value *x,
                                     const oclnn_ir_value *w, oclnn_deconv_params *p, int64_t out[3]) {
    int64_t groups = oclnn_ir_attr_int(n, "group", 1);
    if (groups < 1 || groups > x->dims[1] || x->dims[1] != w->dims[0] || x->dims[1] % groups)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE,
                       "X has %lld channels but W has %lld input channels, with group %lld",
                       (long long)x->dims[1], (long long)w->dims[0], (long long)groups);
    if ((double)w->dims[1] * (double)groups > (double)INT32_MAX)
        return rt_fail(g, n, OCLNN_STATUS_LIMIT_EXCEEDED, "W's %lld output channels per group are above 2^31",
                       (long long)w->dims[1]);
    static const char *const names[] = {"kernel_shape", "strides", "dilations", "pads", "output_padding",
                                        "output_shape"};
    int64_t v[6][8], dflt[6] = {0, 1, 1, 0, 0, 0};
    size_t cnt[6];
    for (int a = 0; a < 6; a++) {
        cnt[a] = rt_attr_ints(n, names[a], v[a], 8);
        size_t want = a == 3 ? 6 : 3;
        /* output_shape may also be given with N and C in front (5 values), as the 2-D path accepts */
        if (cnt[a] && cnt[a] != want && !(a == 5 && cnt[a] == 5))
            return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "%s has %zu values, a 3-D ConvTranspose needs %zu",
                           names[a], cnt[a], want);
        if (a == 5 && cnt[a] == 5) memmove(v[a], v[a] + 2, 3 * sizeof v[a][0]);
        for (size_t i = 0; i < want; i++) {
            if (!cnt[a]) v[a][i] = a == 0 ? w->dims[2 + i % 3] : dflt[a];
            int64_t lo = a <= 2 || a == 5 ? (a == 5 && !cnt[a] ? 0 : 1) : 0;
            if (v[a][i] < lo || v[a][i] > INT32_MAX)
                return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "%s value %lld is outside %lld..2^31-1", names[a],
                               (long long)v[a][i], (long long)lo);
        }
    }
    for (int a = 0; a < 3; a++)
        if (v[0][a] != w->dims[2 + a])
            return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "kernel_shape %lld of axis %d differs from W's %lld",
                           (long long)v[0][a], a, (long long)w->dims[2 + a]);
    oclnn_deconv_params_init(p);
    p->rank = 3;
    p->in_channels = (uint32_t)x->dims[1];
    p->out_channels = (uint32_t)(w->dims[1] * groups);
    p->groups = (uint32_t)groups;
    oclnn_status s = rt_auto_pad(g, n, &p->auto_pad);
    if (s) return s;
    for (int a = 0; a < 3; a++) {
        p->kernel[a] = (uint32_t)v[0][a];
        p->stride[a] = (uint32_t)v[1][a];
        p->dilation[a] = (uint32_t)v[2][a];
        p->pad_begin[a] = (uint32_t)v[3][a];
        p->pad_end[a] = (uint32_t)v[3][a + 3];
        p->output_padding[a] = (uint32_t)v[4][a];
        p->output_shape[a] = cnt[5] ? (uint32_t)v[5][a] : 0;
        /* ONNX: output_padding must be smaller than the stride or the dilation of its axis */
        if (v[4][a] >= v[1][a] && v[4][a] >= v[2][a])
            return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT,
                           "output_padding %lld of axis %d must be below the stride %lld or dilation %lld",
                           (long long)v[4][a], a, (long long)v[1][a], (long long)v[2][a]);
        int64_t in = x->dims[2 + a];
        if ((double)v[1][a] * (double)(in - 1) + (double)v[2][a] * (double)(v[0][a] - 1) > (double)INT32_MAX)
            return rt_fail(g, n, OCLNN_STATUS_LIMIT_EXCEEDED, "the output extent of axis %d is above 2^31-1", a);
        int64_t full = v[1][a] * (in - 1) + v[4][a] + v[2][a] * (v[0][a] - 1) + 1;
        if (cnt[5])
            out[a] = v[5][a];
        else if (p->auto_pad == OCLNN_AUTO_PAD_SAME_UPPER || p->auto_pad == OCLNN_AUTO_PAD_SAME_LOWER)
            out[a] = in * v[1][a];
        else if (p->auto_pad == OCLNN_AUTO_PAD_VALID)
            out[a] = full;
        else
            out[a] = full - v[3][a] - v[3][a + 3];
        if (out[a] < 1) return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "the pads leave no output on axis %d", a);
    }
    return OCLNN_STATUS_OK;
}

static int is_deconv3(const oclnn_graph *g, const oclnn_ir_node *n) {
    const oclnn_ir_value *x = rt_in(g, n, 0), *w = rt_in(g, n, 1);
    return x && w && x->ndim == 5 && w->ndim == 5;
}

static oclnn_status deconv3_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    const oclnn_ir_value *x = rt_in(g, n, 0), *w = rt_in(g, n, 1);
    oclnn_deconv_params p;
    int64_t o[3];
    oclnn_status s = deconv3_geometry(g, n, x, w, &p, o);
    if (s) return s;
    int64_t d[5] = {x->dims[0], p.out_channels, o[0], o[1], o[2]};
    rt_set_out(g, n, 0, OCLNN_DTYPE_F32, 5, d);
    return OCLNN_STATUS_OK;
}

static oclnn_status deconv_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    if (!rt_known(g, n, 0) || !rt_known(g, n, 1)) return OCLNN_STATUS_OK;
    if (is_deconv3(g, n)) return deconv3_infer(g, n);
    const oclnn_ir_value *x, *w;
    oclnn_status s = conv_shapes(g, n, &x, &w);
    if (s) return s;
    oclnn_deconv2d_params p;
    int64_t o[2];
    if ((s = deconv_geometry(g, n, x, w, &p, o))) return s;
    int64_t d[4] = {x->dims[0], p.out_channels, o[0], o[1]};
    if (x->ndim == 3) d[2] = d[3];
    rt_set_out(g, n, 0, OCLNN_DTYPE_F32, x->ndim, d);
    return OCLNN_STATUS_OK;
}

static oclnn_status conv_create_common(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n,
                                       int transposed) {
    const oclnn_ir_value *x, *w;
    oclnn_status s = conv_shapes(g, n, &x, &w);
    if (s) return s;
    const float *wd, *bd = NULL;
    size_t wc, bc = 0;
    if ((s = rt_const_floats(g, n, 1, &wd, &wc))) return s;
    if (conv_has_bias(g, n) && (s = rt_const_floats(g, n, 2, &bd, &bc))) return s;
    rt_conv *c = oclnn_calloc(st->ctx->alloc, 1, sizeof *c);
    if (!c) return rt_fail(g, n, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "out of host memory");
    st->op = c;
    c->res_in = conv_res_index(n);
    if (!transposed) {
        oclnn_conv2d_params p;
        oclnn_conv2d_params_init(&p);
        int64_t x4[4], w4[4];
        int rank = rt_dims4(x, x4);
        rt_dims4(w, w4);
        rt_window win;
        if ((s = rt_window_read(g, n, rank, w4[2], w4[3], &win))) return s;
        int64_t groups = oclnn_ir_attr_int(n, "group", 1);
        p.in_channels = (uint32_t)x->dims[1];
        p.out_channels = (uint32_t)w->dims[0];
        p.groups = (uint32_t)groups;
        p.kernel_h = (uint32_t)win.kh, p.kernel_w = (uint32_t)win.kw;
        p.stride_h = (uint32_t)win.sh, p.stride_w = (uint32_t)win.sw;
        p.dilation_h = (uint32_t)win.dh, p.dilation_w = (uint32_t)win.dw;
        p.pad_top = (uint32_t)win.pt, p.pad_left = (uint32_t)win.pl;
        p.pad_bottom = (uint32_t)win.pb, p.pad_right = (uint32_t)win.pr;
        p.auto_pad = win.auto_pad;
        p.activation = n->fuse.activation;
        p.activation_alpha = n->fuse.alpha;
        p.activation_beta = n->fuse.beta;
        p.residual = n->fuse.residual;
        s = oclnn_conv2d_create(st->ctx, &p, wd, wc, bd, bc, &c->conv);
        if (s) return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
        oclnn_conv2d_borrow_workspaces(c->conv); /* the runtime's, shared by the convs of a queue */
        st->algo = oclnn_conv_algo_name(oclnn_conv2d_algo(c->conv));
    } else {
        oclnn_deconv2d_params p;
        int64_t o[2];
        if ((s = deconv_geometry(g, n, x, w, &p, o))) return s;
        p.activation = n->fuse.activation;
        p.activation_alpha = n->fuse.alpha;
        p.activation_beta = n->fuse.beta;
        p.residual = n->fuse.residual;
        s = oclnn_deconv2d_create(st->ctx, &p, wd, wc, bd, bc, &c->deconv);
        if (s) return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
        st->algo = "polyphase";
    }
    st->params = wc + bc;
    st->weight_bytes = (wc + bc) * sizeof(float);
    return OCLNN_STATUS_OK;
}

static oclnn_status conv_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    const oclnn_ir_value *x = rt_in(g, n, 0);
    if (x && x->ndim == 5) return conv3d_create(st, g, n);
    return conv_create_common(st, g, n, 0);
}
static oclnn_status deconv3_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    const oclnn_ir_value *x = rt_in(g, n, 0), *w = rt_in(g, n, 1);
    const float *wd, *bd = NULL;
    size_t wc, bc = 0;
    oclnn_status s;
    if ((s = rt_const_floats(g, n, 1, &wd, &wc))) return s;
    if (conv_has_bias(g, n) && (s = rt_const_floats(g, n, 2, &bd, &bc))) return s;
    oclnn_deconv_params p;
    int64_t o[3];
    if ((s = deconv3_geometry(g, n, x, w, &p, o))) return s;
    p.activation = n->fuse.activation;
    p.activation_alpha = n->fuse.alpha;
    p.activation_beta = n->fuse.beta;
    p.residual = n->fuse.residual;
    rt_conv *c = oclnn_calloc(st->ctx->alloc, 1, sizeof *c);
    if (!c) return rt_fail(g, n, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "out of host memory");
    st->op = c;
    c->res_in = conv_res_index(n);
    if ((s = oclnn_deconv_create(st->ctx, &p, wd, wc, bd, bc, &c->deconv3)))
        return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    st->algo = "gather3d";
    st->params = wc + bc;
    st->weight_bytes = (wc + bc) * sizeof(float);
    return OCLNN_STATUS_OK;
}

static oclnn_status deconv_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    if (is_deconv3(g, n)) return deconv3_create(st, g, n);
    return conv_create_common(st, g, n, 1);
}

static oclnn_status conv_reshape(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_conv *c = st->op;
    const oclnn_ir_value *x = rt_in(g, n, 0), *w = rt_in(g, n, 1), *y = rt_out(g, n, 0);
    int64_t x4[4], w4[4], y4[4];
    rt_dims4(x, x4), rt_dims4(w, w4), rt_dims4(y, y4);
    size_t oh, ow;
    oclnn_status s = c->conv ? oclnn_conv2d_reshape(c->conv, (size_t)x4[0], (size_t)x4[2], (size_t)x4[3], &oh, &ow)
                             : oclnn_deconv2d_reshape(c->deconv, (size_t)x4[0], (size_t)x4[2], (size_t)x4[3], &oh, &ow);
    if (s) return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    if ((int64_t)oh != y4[2] || (int64_t)ow != y4[3])
        return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "operator output %zux%zu differs from the inferred %lldx%lld",
                       oh, ow, (long long)y4[2], (long long)y4[3]);
    if (c->conv) oclnn_conv2d_workspace_need(c->conv, st->ws_need);
    /* macs: every output element of a conv sums C/g*kh*kw products; a deconv spreads every input the same way */
    uint64_t per = (uint64_t)w4[1] * (uint64_t)w4[2] * (uint64_t)w4[3];
    st->macs = c->conv ? (uint64_t)oclnn_ir_numel(y) * per : (uint64_t)oclnn_ir_numel(x) * per;
    st->kernels = c->conv && oclnn_conv2d_algo(c->conv) >= OCLNN_CONV_ALGO_WINOGRAD2X2 &&
                          oclnn_conv2d_algo(c->conv) <= OCLNN_CONV_ALGO_WINOGRAD4X4
                      ? 3
                      : 1;
    return OCLNN_STATUS_OK;
}

static oclnn_status conv_setup(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_conv *c = st->op;
    oclnn_tensor *t[3] = {st->in[0], st->out[0], c->res_in >= 0 ? st->in[c->res_in] : NULL};
    oclnn_status s = OCLNN_STATUS_OK;
    for (int k = 0; k < 3; k++) { /* 1-D: the operators see [N,C,1,W] */
        oclnn_tensor_destroy(c->view[k]);
        c->view[k] = NULL;
        if (!s) s = rt_view4(t[k], &c->view[k]);
        if (c->view[k]) t[k] = c->view[k];
    }
    size_t roff = c->res_in >= 0 ? st->in_offset[c->res_in] : 0;
    if (c->conv) oclnn_conv2d_lend_workspaces(c->conv, st->ws, st->ws_bytes);
    if (!s)
        s = c->conv ? oclnn_conv2d_setup(c->conv, t[0], t[1], st->out_offset[0], t[2], roff)
                    : oclnn_deconv2d_setup(c->deconv, t[0], t[1], st->out_offset[0], t[2], roff);
    if (s) return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    return OCLNN_STATUS_OK;
}

static oclnn_status conv_enqueue(oclnn_rt_step *st, uint32_t queue) {
    rt_conv *c = st->op;
    return c->conv ? oclnn_conv2d_enqueue(c->conv, queue, NULL) : oclnn_deconv2d_enqueue(c->deconv, queue, NULL);
}

static void conv_destroy(oclnn_rt_step *st) {
    rt_conv *c = st->op;
    if (!c) return;
    oclnn_conv2d_destroy(c->conv);
    oclnn_deconv2d_destroy(c->deconv);
    for (int k = 0; k < 3; k++)
        oclnn_tensor_destroy(c->view[k]);
    oclnn_free(st->ctx->alloc, c);
    st->op = NULL;
}

/* Conv's entry points: a 3-D step goes to oclnn_conv, the others to the shared 1-D/2-D functions above. */
static oclnn_status conv_nd_reshape(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_conv *c = st->op;
    return c->conv3 ? conv3d_reshape(st, g, n) : conv_reshape(st, g, n);
}
static oclnn_status conv_nd_setup(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_conv *c = st->op;
    return c->conv3 ? conv3d_setup(st, g, n) : conv_setup(st, g, n);
}
static oclnn_status conv_nd_enqueue(oclnn_rt_step *st, uint32_t queue) {
    rt_conv *c = st->op;
    return c->conv3 ? oclnn_conv_enqueue(c->conv3, queue, NULL) : conv_enqueue(st, queue);
}
static void conv_nd_destroy(oclnn_rt_step *st) {
    rt_conv *c = st->op;
    if (c) oclnn_conv_destroy(c->conv3);
    conv_destroy(st);
}

/* ---- ConvTranspose: the 3-D steps (c->deconv3), the others as Conv's ---- */

static oclnn_status deconv_reshape(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_conv *c = st->op;
    if (!c->deconv3) return conv_reshape(st, g, n);
    const oclnn_ir_value *x = rt_in(g, n, 0), *w = rt_in(g, n, 1), *y = rt_out(g, n, 0);
    size_t in[3], out[3];
    for (int a = 0; a < 3; a++) in[a] = (size_t)x->dims[2 + a];
    oclnn_status s = oclnn_deconv_reshape(c->deconv3, (size_t)x->dims[0], in, out);
    if (s) return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    for (int a = 0; a < 3; a++)
        if ((int64_t)out[a] != y->dims[2 + a])
            return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE,
                           "operator output %zu on axis %d differs from the inferred %lld", out[a], a,
                           (long long)y->dims[2 + a]);
    /* every input element is spread over K/g * kd*kh*kw outputs */
    st->macs = (uint64_t)oclnn_ir_numel(x) * (uint64_t)w->dims[1] * (uint64_t)w->dims[2] * (uint64_t)w->dims[3] *
               (uint64_t)w->dims[4];
    st->kernels = 1;
    return OCLNN_STATUS_OK;
}

static oclnn_status deconv_setup(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_conv *c = st->op;
    if (!c->deconv3) return conv_setup(st, g, n);
    oclnn_tensor *res = c->res_in >= 0 ? st->in[c->res_in] : NULL;
    size_t roff = c->res_in >= 0 ? st->in_offset[c->res_in] : 0;
    oclnn_status s = oclnn_deconv_setup(c->deconv3, st->in[0], st->out[0], st->out_offset[0], res, roff);
    if (s) return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    return OCLNN_STATUS_OK;
}

static oclnn_status deconv_enqueue(oclnn_rt_step *st, uint32_t queue) {
    rt_conv *c = st->op;
    return c->deconv3 ? oclnn_deconv_enqueue(c->deconv3, queue, NULL) : conv_enqueue(st, queue);
}

static void deconv_destroy(oclnn_rt_step *st) {
    rt_conv *c = st->op;
    if (c) oclnn_deconv_destroy(c->deconv3);
    conv_destroy(st);
}

const oclnn_rt_op oclnn_rt_op_conv = {
    "Conv", conv_infer, conv_create, conv_nd_reshape, conv_nd_setup, conv_nd_enqueue, conv_nd_destroy, 1, 0};
const oclnn_rt_op oclnn_rt_op_conv_transpose = {
    "ConvTranspose", deconv_infer, deconv_create, deconv_reshape, deconv_setup, deconv_enqueue, deconv_destroy, 1, 0};
