/* rt_conv.c - graph ops Conv and ConvTranspose (1-D and 2-D) on oclnn_conv2d / oclnn_deconv2d: weights and bias
 * are read from constants at create (packed once); the node's fusion (activation, residual as its last input) goes
 * into the operator's epilogue. Outputs may be channel slices of a concat (out_offset). 1-D runs as 2-D with H = 1
 * on 4-D views of the 3-D tensors.
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

static oclnn_status conv_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    if (!rt_known(g, n, 0) || !rt_known(g, n, 1)) return OCLNN_STATUS_OK;
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

static oclnn_status deconv_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    if (!rt_known(g, n, 0) || !rt_known(g, n, 1)) return OCLNN_STATUS_OK;
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
    return conv_create_common(st, g, n, 0);
}
static oclnn_status deconv_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
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

const oclnn_rt_op oclnn_rt_op_conv = {
    "Conv", conv_infer, conv_create, conv_reshape, conv_setup, conv_enqueue, conv_destroy, 1, 0};
const oclnn_rt_op oclnn_rt_op_conv_transpose = {
    "ConvTranspose", deconv_infer, deconv_create, conv_reshape, conv_setup, conv_enqueue, conv_destroy, 1, 0};
