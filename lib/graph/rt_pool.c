/* rt_pool.c - graph ops MaxPool, AveragePool, LpPool, GlobalAveragePool and GlobalMaxPool over 1, 2 or 3 spatial
 * axes on the rank-based oclnn_pool (include/oclnn_pool.h): 1-D runs there as 2-D with H = 1, 3-D as
 * an (H, W) pass then a depth pass. Outputs may be channel slices of a concat (Inception's pool branch, DenseNet's
 * transition).
 */
#include "graph/rt_util.h"

#include <string.h>

typedef struct rt_pool {
    oclnn_pool *pool;
    oclnn_pool_params p;
} rt_pool;

/* The windows as rank-based params: rank 1 takes @p w's W axis, rank 2 its H and W axes, rank 3 the depth window
 * @p wd (its H axis) then @p w's H and W. */
static void win_to_params(const oclnn_ir_node *n, int rank, const rt_window *w, const rt_window *wd,
                          oclnn_pool_params *p) {
    int a = 0;
    const int64_t *ax[3][5] = {{&wd->kh, &wd->sh, &wd->dh, &wd->pt, &wd->pb},
                               {&w->kh, &w->sh, &w->dh, &w->pt, &w->pb},
                               {&w->kw, &w->sw, &w->dw, &w->pl, &w->pr}};
    for (int src = 3 - rank; src < 3; src++, a++) {
        p->kernel[a] = (uint32_t)*ax[src][0], p->stride[a] = (uint32_t)*ax[src][1];
        p->dilation[a] = (uint32_t)*ax[src][2];
        p->pad_begin[a] = (uint32_t)*ax[src][3], p->pad_end[a] = (uint32_t)*ax[src][4];
    }
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

/* The operator's parameters and the windows the output sizes are inferred from: @p w the (H, W) window (1-D: W with
 * a window of 1 in H), @p wd the 3-D depth window as an (H) window of width 1. */
static oclnn_status pool_params(const oclnn_graph *g, const oclnn_ir_node *n, oclnn_pool_params *p, rt_window *w,
                                rt_window *wd) {
    oclnn_pool_params_init(p);
    p->type = pool_type(n);
    const oclnn_ir_value *x = rt_in(g, n, 0);
    if (!x) return rt_fail(g, n, OCLNN_STATUS_INVALID_MODEL, "needs input X");
    int three = x->ndim == 5;
    if (x->ndim < 3 || x->ndim > 5)
        return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "only 1-D, 2-D and 3-D pooling (3-D to 5-D input) is supported");
    p->rank = (uint32_t)x->ndim - 2;
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
    oclnn_status s = three ? windows3d(g, n, w, wd) : rt_window_read(g, n, (int)x->ndim - 2, x->ndim == 3 ? 1 : 0, 0, w);
    if (s) return s;
    win_to_params(n, (int)p->rank, w, wd, p);
    return OCLNN_STATUS_OK;
}

static oclnn_status pool_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    if (!rt_known(g, n, 0)) return OCLNN_STATUS_OK;
    oclnn_pool_params p;
    rt_window w, wd;
    oclnn_status s = pool_params(g, n, &p, &w, &wd);
    if (s) return s;
    const oclnn_ir_value *x = rt_in(g, n, 0);
    if (x->ndim == 5) {
        int64_t d[5] = {x->dims[0], x->dims[1], 1, 1, 1}, one;
        if (is_global(p.type)) {
            rt_set_out(g, n, 0, OCLNN_DTYPE_F32, 5, d);
            return OCLNN_STATUS_OK;
        }
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
    oclnn_pool_params p;
    rt_window w, wd;
    oclnn_status s = pool_params(g, n, &p, &w, &wd);
    if (s) return s;
    rt_pool *r = oclnn_calloc(st->ctx->alloc, 1, sizeof *r);
    if (!r) return rt_fail(g, n, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "out of host memory");
    st->op = r;
    r->p = p;
    if ((s = oclnn_pool_create(st->ctx, &p, &r->pool))) return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    st->algo = "";
    return OCLNN_STATUS_OK;
}

static oclnn_status pool_reshape(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    const oclnn_ir_value *x = rt_in(g, n, 0), *y = rt_out(g, n, 0);
    rt_pool *r = st->op;
    uint32_t rank = r->p.rank;
    size_t in[3], out[3];
    for (uint32_t a = 0; a < rank; a++)
        in[a] = (size_t)x->dims[a + 2];
    oclnn_status s = oclnn_pool_reshape(r->pool, (size_t)x->dims[0], (size_t)x->dims[1], in, out);
    if (s) return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    for (uint32_t a = 0; a < rank; a++)
        if ((int64_t)out[a] != y->dims[a + 2])
            return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE,
                           "operator output %zu differs from the inferred %lld on spatial axis %u", out[a],
                           (long long)y->dims[a + 2], a);
    /* window elements per output; 3-D counts its two passes: the (H, W) window over every depth slice, then the
     * depth window */
    uint64_t win = 1, plane = 1;
    for (uint32_t a = 0; a < rank; a++)
        win *= is_global(r->p.type) ? in[a] : r->p.kernel[a];
    st->macs = oclnn_ir_numel(y) * win;
    st->kernels = 1;
    if (rank == 3 && !is_global(r->p.type)) {
        plane = (uint64_t)(x->dims[0] * x->dims[1] * x->dims[2]) * out[1] * out[2];
        st->macs = plane * r->p.kernel[1] * r->p.kernel[2] + oclnn_ir_numel(y) * r->p.kernel[0];
        st->kernels = 2;
    }
    return OCLNN_STATUS_OK;
}

static oclnn_status pool_setup(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_pool *r = st->op;
    oclnn_status s = oclnn_pool_setup(r->pool, st->in[0], st->out[0], st->out_offset[0]);
    return s ? rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx)) : OCLNN_STATUS_OK;
}

static oclnn_status pool_enqueue(oclnn_rt_step *st, uint32_t queue) {
    rt_pool *r = st->op;
    return oclnn_pool_enqueue(r->pool, queue, NULL);
}

static void pool_destroy(oclnn_rt_step *st) {
    rt_pool *r = st->op;
    if (!r) return;
    oclnn_pool_destroy(r->pool);
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
