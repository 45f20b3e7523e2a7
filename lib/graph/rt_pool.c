/* rt_pool.c - graph ops MaxPool, AveragePool, LpPool, GlobalAveragePool and GlobalMaxPool (1-D, 2-D, and 3-D
 * max/average windows) on oclnn_pool2d. Outputs may be channel slices of a concat (Inception's pool branch,
 * DenseNet's transition). 1-D runs as 2-D with H = 1 on 4-D views of the 3-D tensors. A 3-D max or average window is
 * a box, so it runs as two 2-D passes: (kh, kw) over every depth slice ([N, C*D, H, W]) into a scratch tensor, then
 * (kd, 1) over depth ([N, C, D, OH*OW]); max is exact, and the average divides by the two axes' counts in turn.
 */
#include "graph/rt_util.h"

#include <string.h>

typedef struct rt_pool {
    oclnn_pool2d *pool;
    oclnn_tensor *view[2]; /* 1-D and 3-D: 4-D views of X and Y, made at setup */
    oclnn_pool2d *pool_d;  /* 3-D: the depth pass */
    oclnn_tensor *scratch; /* 3-D: the (kh, kw) pass's output [N, C*D, OH, OW] */
    oclnn_tensor *sview;   /* 3-D: scratch as [N, C, D, OH*OW] */
} rt_pool;

static void win_to_params(const oclnn_ir_node *n, const rt_window *w, oclnn_pool2d_params *p) {
    p->kernel_h = (uint32_t)w->kh, p->kernel_w = (uint32_t)w->kw;
    p->stride_h = (uint32_t)w->sh, p->stride_w = (uint32_t)w->sw;
    p->dilation_h = (uint32_t)w->dh, p->dilation_w = (uint32_t)w->dw;
    p->pad_top = (uint32_t)w->pt, p->pad_left = (uint32_t)w->pl, p->pad_bottom = (uint32_t)w->pb;
    p->pad_right = (uint32_t)w->pr;
    p->auto_pad = w->auto_pad;
    p->ceil_mode = w->ceil_mode;
    p->count_include_pad = (int)oclnn_ir_attr_int(n, "count_include_pad", 0);
    p->p = (uint32_t)oclnn_ir_attr_int(n, "p", 2);
}

/* 3-D window attributes (3 kernel sizes, strides, dilations, 6 pads) split into the (kh, kw) window @p hw and the
 * depth window @p dw (as (kd, 1), its pads at the top and bottom). */
static oclnn_status windows3d(const oclnn_graph *g, const oclnn_ir_node *n, rt_window *hw, rt_window *dw) {
    int64_t k[3] = {0, 0, 0}, st[3] = {1, 1, 1}, dl[3] = {1, 1, 1}, pd[6] = {0, 0, 0, 0, 0, 0};
    if (rt_attr_ints(n, "kernel_shape", k, 3) != 3 || oclnn_ir_attr_find(n, "kernel_shape")->count != 3)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "kernel_shape needs 3 values for 3-D pooling");
    size_t c;
    if ((c = rt_attr_ints(n, "strides", st, 3)) && c != 3)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "strides needs 3 values, has %zu", c);
    if ((c = rt_attr_ints(n, "dilations", dl, 3)) && c != 3)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "dilations needs 3 values, has %zu", c);
    if ((c = rt_attr_ints(n, "pads", pd, 6)) && c != 6)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "pads needs 6 values, has %zu", c);
    for (int a = 0; a < 3; a++) {
        if (k[a] < 1 || st[a] < 1 || dl[a] < 1 || pd[a] < 0 || pd[a + 3] < 0)
            return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT,
                           "kernel_shape, strides and dilations must be >= 1 and pads >= 0");
        /* the operators take 32-bit geometry, and the window arithmetic must not overflow */
        if (k[a] > INT32_MAX || st[a] > INT32_MAX || dl[a] > INT32_MAX || pd[a] > INT32_MAX || pd[a + 3] > INT32_MAX)
            return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT,
                           "kernel_shape/strides/dilations/pads value of axis %d is above 2^31-1", a);
    }
    int64_t cm;
    oclnn_status s = rt_attr_int_in(g, n, "ceil_mode", 0, 0, 1, &cm);
    if (s) return s;
    memset(hw, 0, sizeof *hw);
    memset(dw, 0, sizeof *dw);
    s = rt_auto_pad(g, n, &hw->auto_pad);
    if (s) return s;
    dw->auto_pad = hw->auto_pad;
    hw->ceil_mode = dw->ceil_mode = (int)cm;
    hw->kh = k[1], hw->kw = k[2], hw->sh = st[1], hw->sw = st[2], hw->dh = dl[1], hw->dw = dl[2];
    hw->pt = pd[1], hw->pl = pd[2], hw->pb = pd[4], hw->pr = pd[5];
    dw->kh = k[0], dw->kw = 1, dw->sh = st[0], dw->sw = 1, dw->dh = dl[0], dw->dw = 1;
    dw->pt = pd[0], dw->pb = pd[3];
    return OCLNN_STATUS_OK;
}


static oclnn_pool_type pool_type(const oclnn_ir_node *n) {
    if (!strcmp(n->op_type, "MaxPool")) return OCLNN_POOL_MAX;
    if (!strcmp(n->op_type, "AveragePool")) return OCLNN_POOL_AVG;
    if (!strcmp(n->op_type, "LpPool")) return OCLNN_POOL_LP;
    if (!strcmp(n->op_type, "GlobalMaxPool")) return OCLNN_POOL_GLOBAL_MAX;
    return OCLNN_POOL_GLOBAL_AVG;
}

static int is_global(oclnn_pool_type t) { return t == OCLNN_POOL_GLOBAL_MAX || t == OCLNN_POOL_GLOBAL_AVG; }

/* What the ONNX spec forbids that the window arithmetic would otherwise accept: dilations before the op set that
 * introduced them (MaxPool 10, LpPool 18, AveragePool 19, later than oclnn's 18), pads as wide as the window (a
 * window entirely in the padding has no element: max would be -inf, the average 0/0), and explicit pads together
 * with an auto_pad that computes them. */
static oclnn_status pool_spec_checks(const oclnn_graph *g, const oclnn_ir_node *n, oclnn_pool_type t) {
    int64_t since = t == OCLNN_POOL_MAX ? 10 : t == OCLNN_POOL_LP ? 18 : 19;
    if (oclnn_ir_attr_find(n, "dilations") && n->opset < since)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT,
                       "attribute dilations is not part of %s before op set %lld (the model imports %lld)", n->op_type,
                       (long long)since, (long long)n->opset);
    size_t nk, np;
    const int64_t *k = oclnn_ir_attr_ints(n, "kernel_shape", &nk), *pads = oclnn_ir_attr_ints(n, "pads", &np);
    if (k && pads && np == 2 * nk)
        for (size_t i = 0; i < np; i++)
            if (pads[i] >= k[i % nk])
                return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT,
                               "pads[%zu] = %lld is not smaller than the kernel (%lld): a window would hold only "
                               "padding",
                               i, (long long)pads[i], (long long)k[i % nk]);
    return OCLNN_STATUS_OK;
}

/* The (kh, kw) pass's parameters and window; for 3-D also the depth pass's (pd, wd; NULL: not wanted). */
static oclnn_status pool_params(const oclnn_graph *g, const oclnn_ir_node *n, oclnn_pool2d_params *p, rt_window *w,
                                oclnn_pool2d_params *pd, rt_window *wd) {
    oclnn_pool2d_params_init(p);
    p->type = pool_type(n);
    const oclnn_ir_value *x = rt_in(g, n, 0);
    if (!x) return rt_fail(g, n, OCLNN_STATUS_INVALID_MODEL, "needs input X");
    int three = x->ndim == 5 && (p->type == OCLNN_POOL_MAX || p->type == OCLNN_POOL_AVG);
    if (x->ndim != 4 && x->ndim != 3 && !three)
        return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED,
                       "only 1-D and 2-D pooling (3-D or 4-D input), and 3-D max or average windows, are supported");
    if (n->num_outputs > 1 && n->outputs[1] >= 0)
        return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "the Indices output is not supported");
    if (is_global(p->type)) return OCLNN_STATUS_OK;
    int64_t so;
    oclnn_status sso = rt_attr_int_in(g, n, "storage_order", 0, 0, 1, &so);
    if (sso) return sso;
    if (so) return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "storage_order 1 is not supported");
    {
        int64_t cip = 0, pn = 2; /* checked here; win_to_params reads them */
        oclnn_status sc;
        if ((sc = rt_attr_int_in(g, n, "count_include_pad", 0, 0, 1, &cip))) return sc;
        if ((sc = rt_attr_int_in(g, n, "p", 2, 1, INT32_MAX, &pn))) return sc;
    }
    oclnn_status sv = pool_spec_checks(g, n, p->type);
    if (sv) return sv;
    if (three) {
        rt_window dwin;
        oclnn_status s = windows3d(g, n, w, &dwin);
        if (s) return s;
        win_to_params(n, w, p);
        if (pd) {
            *pd = *p;
            win_to_params(n, &dwin, pd);
        }
        if (wd) *wd = dwin;
        return OCLNN_STATUS_OK;
    }
    oclnn_status s = rt_window_read(g, n, (int)x->ndim - 2, x->ndim == 3 ? 1 : 0, 0, w);
    if (s) return s;
    win_to_params(n, w, p);
    return OCLNN_STATUS_OK;
}

static oclnn_status pool_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    if (!rt_known(g, n, 0)) return OCLNN_STATUS_OK;
    oclnn_pool2d_params p;
    rt_window w, wd;
    oclnn_status s = pool_params(g, n, &p, &w, NULL, &wd);
    if (s) return s;
    const oclnn_ir_value *x = rt_in(g, n, 0);
    if (x->ndim == 5) {
        int64_t d[5] = {x->dims[0], x->dims[1], 0, 0, 0}, one;
        if ((s = rt_window_out(g, n, &w, x->dims[3], x->dims[4], &d[3], &d[4]))) return s;
        if ((s = rt_window_out(g, n, &wd, x->dims[2], 1, &d[2], &one))) return s;
        rt_set_out(g, n, 0, OCLNN_DTYPE_F32, 5, d);
        return OCLNN_STATUS_OK;
    }
    int64_t x4[4], d[4] = {x->dims[0], x->dims[1], 1, 1};
    rt_dims4(x, x4);
    if (!is_global(p.type) && (s = rt_window_out(g, n, &w, x4[2], x4[3], &d[2], &d[3]))) return s;
    if (x->ndim == 3) d[2] = d[3];
    rt_set_out(g, n, 0, OCLNN_DTYPE_F32, x->ndim, d);
    return OCLNN_STATUS_OK;
}

static oclnn_status pool_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    oclnn_pool2d_params p, pd;
    rt_window w;
    oclnn_status s = pool_params(g, n, &p, &w, &pd, NULL);
    if (s) return s;
    rt_pool *r = oclnn_calloc(st->ctx->alloc, 1, sizeof *r);
    if (!r) return rt_fail(g, n, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "out of host memory");
    st->op = r;
    s = oclnn_pool2d_create(st->ctx, &p, &r->pool);
    if (!s && rt_in(g, n, 0)->ndim == 5) s = oclnn_pool2d_create(st->ctx, &pd, &r->pool_d);
    if (s) return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    st->algo = "";
    return OCLNN_STATUS_OK;
}

/* 3-D: the (kh, kw) pass over [N, C*D, H, W] into the scratch tensor, then the depth pass over [N, C, D, OH*OW]. */
static oclnn_status pool3d_reshape(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    const oclnn_ir_value *x = rt_in(g, n, 0), *y = rt_out(g, n, 0);
    rt_pool *r = st->op;
    size_t N = (size_t)x->dims[0], C = (size_t)x->dims[1], D = (size_t)x->dims[2], oh, ow, od, w2;
    oclnn_status s = oclnn_pool2d_reshape(r->pool, N, C * D, (size_t)x->dims[3], (size_t)x->dims[4], &oh, &ow);
    if (!s) s = oclnn_pool2d_reshape(r->pool_d, N, C, D, oh * ow, &od, &w2);
    if (s) return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    if ((int64_t)od != y->dims[2] || (int64_t)oh != y->dims[3] || (int64_t)ow != y->dims[4] || w2 != oh * ow)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "operator output %zux%zux%zu differs from the inferred one",
                       od, oh, ow);
    oclnn_tensor_destroy(r->scratch);
    r->scratch = NULL;
    int64_t sd[4] = {(int64_t)N, (int64_t)(C * D), (int64_t)oh, (int64_t)ow};
    if ((s = oclnn_tensor_create(st->ctx, OCLNN_DTYPE_F32, 4, sd, &r->scratch)))
        return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    size_t c;
    const int64_t *k = oclnn_ir_attr_ints(n, "kernel_shape", &c);
    st->macs = (uint64_t)(N * C * D * oh * ow) * (uint64_t)(k[1] * k[2]) + oclnn_ir_numel(y) * (uint64_t)k[0];
    st->kernels = 2;
    return OCLNN_STATUS_OK;
}

static oclnn_status pool_reshape(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    if (rt_in(g, n, 0)->ndim == 5) return pool3d_reshape(st, g, n);
    const oclnn_ir_value *x = rt_in(g, n, 0), *y = rt_out(g, n, 0);
    int64_t x4[4], y4[4];
    rt_dims4(x, x4), rt_dims4(y, y4);
    size_t oh, ow;
    rt_pool *r = st->op;
    oclnn_status s =
        oclnn_pool2d_reshape(r->pool, (size_t)x4[0], (size_t)x4[1], (size_t)x4[2], (size_t)x4[3], &oh, &ow);
    if (s) return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    if ((int64_t)oh != y4[2] || (int64_t)ow != y4[3])
        return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "operator output %zux%zu differs from the inferred %lldx%lld",
                       oh, ow, (long long)y4[2], (long long)y4[3]);
    oclnn_pool_type t = pool_type(n);
    uint64_t win = is_global(t) ? (uint64_t)(x4[2] * x4[3]) : 1; /* window elements per output */
    size_t c;
    const int64_t *k = oclnn_ir_attr_ints(n, "kernel_shape", &c);
    if (!is_global(t) && k && c == 2) win = (uint64_t)(k[0] * k[1]);
    if (!is_global(t) && k && c == 1) win = (uint64_t)k[0];
    st->macs = oclnn_ir_numel(y) * win;
    st->kernels = 1;
    return OCLNN_STATUS_OK;
}

static oclnn_status pool_setup(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_pool *r = st->op;
    oclnn_tensor *t[2] = {st->in[0], st->out[0]};
    oclnn_status s = OCLNN_STATUS_OK;
    if (r->pool_d) { /* 3-D: x as [N, C*D, H, W], the scratch as [N, C, D, OH*OW], y as [N, Ctot, OD, OH*OW] */
        for (int k = 0; k < 2; k++)
            oclnn_tensor_destroy(r->view[k]), r->view[k] = NULL;
        oclnn_tensor_destroy(r->sview);
        r->sview = NULL;
        const int64_t *xd = t[0]->dims, *yd = t[1]->dims, *sd = r->scratch->dims;
        int64_t v0[4] = {xd[0], xd[1] * xd[2], xd[3], xd[4]}, v1[4] = {yd[0], yd[1], yd[2], yd[3] * yd[4]};
        int64_t vs[4] = {sd[0], xd[1], xd[2], sd[2] * sd[3]};
        s = oclnn_tensor_view(t[0], 0, OCLNN_DTYPE_F32, 4, v0, &r->view[0]);
        if (!s) s = oclnn_tensor_view(t[1], 0, OCLNN_DTYPE_F32, 4, v1, &r->view[1]);
        if (!s) s = oclnn_tensor_view(r->scratch, 0, OCLNN_DTYPE_F32, 4, vs, &r->sview);
        if (!s) s = oclnn_pool2d_setup(r->pool, r->view[0], r->scratch, 0);
        if (!s) s = oclnn_pool2d_setup(r->pool_d, r->sview, r->view[1], st->out_offset[0]);
        return s ? rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx)) : OCLNN_STATUS_OK;
    }
    for (int k = 0; k < 2; k++) { /* 1-D: the operator sees [N,C,1,W] */
        oclnn_tensor_destroy(r->view[k]);
        r->view[k] = NULL;
        if (!s) s = rt_view4(t[k], &r->view[k]);
        if (r->view[k]) t[k] = r->view[k];
    }
    if (!s) s = oclnn_pool2d_setup(r->pool, t[0], t[1], st->out_offset[0]);
    return s ? rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx)) : OCLNN_STATUS_OK;
}

static oclnn_status pool_enqueue(oclnn_rt_step *st, uint32_t queue) {
    rt_pool *r = st->op;
    oclnn_status s = oclnn_pool2d_enqueue(r->pool, queue, NULL);
    return s || !r->pool_d ? s : oclnn_pool2d_enqueue(r->pool_d, queue, NULL); /* in order on one queue */
}

static void pool_destroy(oclnn_rt_step *st) {
    rt_pool *r = st->op;
    if (!r) return;
    oclnn_pool2d_destroy(r->pool);
    oclnn_pool2d_destroy(r->pool_d);
    for (int k = 0; k < 2; k++)
        oclnn_tensor_destroy(r->view[k]);
    oclnn_tensor_destroy(r->sview);
    oclnn_tensor_destroy(r->scratch);
    oclnn_free(st->ctx->alloc, r);
    st->op = NULL;
}

#define POOL_OP(sym, name)                                                                                             \
    const oclnn_rt_op sym = {name, pool_infer, pool_create, pool_reshape, pool_setup, pool_enqueue, pool_destroy, 1, 0};
POOL_OP(oclnn_rt_op_maxpool, "MaxPool")
POOL_OP(oclnn_rt_op_avgpool, "AveragePool")
POOL_OP(oclnn_rt_op_lppool, "LpPool")
POOL_OP(oclnn_rt_op_global_avgpool, "GlobalAveragePool")
POOL_OP(oclnn_rt_op_global_maxpool, "GlobalMaxPool")
