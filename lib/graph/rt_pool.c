/* rt_pool.c - graph ops MaxPool, AveragePool, LpPool, GlobalAveragePool and GlobalMaxPool (2-D) on oclnn_pool2d.
 * Outputs may be channel slices of a concat (Inception's pool branch, DenseNet's transition).
 */
#include "graph/rt_util.h"

#include <string.h>

static oclnn_pool_type pool_type(const oclnn_ir_node *n) {
    if (!strcmp(n->op_type, "MaxPool")) return OCLNN_POOL_MAX;
    if (!strcmp(n->op_type, "AveragePool")) return OCLNN_POOL_AVG;
    if (!strcmp(n->op_type, "LpPool")) return OCLNN_POOL_LP;
    if (!strcmp(n->op_type, "GlobalMaxPool")) return OCLNN_POOL_GLOBAL_MAX;
    return OCLNN_POOL_GLOBAL_AVG;
}

static int is_global(oclnn_pool_type t) { return t == OCLNN_POOL_GLOBAL_MAX || t == OCLNN_POOL_GLOBAL_AVG; }

static oclnn_status pool_params(const oclnn_graph *g, const oclnn_ir_node *n, oclnn_pool2d_params *p, rt_window *w) {
    oclnn_pool2d_params_init(p);
    p->type = pool_type(n);
    const oclnn_ir_value *x = rt_in(g, n, 0);
    if (!x) return rt_fail(g, n, OCLNN_STATUS_INVALID_MODEL, "needs input X");
    if (x->ndim != 4) return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "only 2-D pooling (4-D input) is supported");
    if (n->num_outputs > 1 && n->outputs[1] >= 0)
        return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "the Indices output is not supported");
    if (is_global(p->type)) return OCLNN_STATUS_OK;
    oclnn_status s = rt_window_read(g, n, 0, 0, w);
    if (s) return s;
    if (oclnn_ir_attr_int(n, "storage_order", 0) != 0)
        return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "storage_order 1 is not supported");
    p->kernel_h = (uint32_t)w->kh, p->kernel_w = (uint32_t)w->kw;
    p->stride_h = (uint32_t)w->sh, p->stride_w = (uint32_t)w->sw;
    p->dilation_h = (uint32_t)w->dh, p->dilation_w = (uint32_t)w->dw;
    p->pad_top = (uint32_t)w->pt, p->pad_left = (uint32_t)w->pl, p->pad_bottom = (uint32_t)w->pb;
    p->pad_right = (uint32_t)w->pr;
    p->auto_pad = w->auto_pad;
    p->ceil_mode = w->ceil_mode;
    int64_t cip = 0, pn = 2;
    if ((s = rt_attr_int_in(g, n, "count_include_pad", 0, 0, 1, &cip))) return s;
    if ((s = rt_attr_int_in(g, n, "p", 2, 1, INT32_MAX, &pn))) return s;
    p->count_include_pad = (int)cip;
    p->p = (uint32_t)pn;
    return OCLNN_STATUS_OK;
}

static oclnn_status pool_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    if (!rt_known(g, n, 0)) return OCLNN_STATUS_OK;
    oclnn_pool2d_params p;
    rt_window w;
    oclnn_status s = pool_params(g, n, &p, &w);
    if (s) return s;
    const oclnn_ir_value *x = rt_in(g, n, 0);
    int64_t d[4] = {x->dims[0], x->dims[1], 1, 1};
    if (!is_global(p.type) && (s = rt_window_out(g, n, &w, x->dims[2], x->dims[3], &d[2], &d[3]))) return s;
    rt_set_out(g, n, 0, OCLNN_DTYPE_F32, 4, d);
    return OCLNN_STATUS_OK;
}

static oclnn_status pool_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    oclnn_pool2d_params p;
    rt_window w;
    oclnn_status s = pool_params(g, n, &p, &w);
    if (s) return s;
    s = oclnn_pool2d_create(st->ctx, &p, (oclnn_pool2d **)&st->op);
    if (s) return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    st->algo = "";
    return OCLNN_STATUS_OK;
}

static oclnn_status pool_reshape(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    const oclnn_ir_value *x = rt_in(g, n, 0), *y = rt_out(g, n, 0);
    size_t oh, ow;
    oclnn_status s = oclnn_pool2d_reshape(st->op, (size_t)x->dims[0], (size_t)x->dims[1], (size_t)x->dims[2],
                                          (size_t)x->dims[3], &oh, &ow);
    if (s) return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    if ((int64_t)oh != y->dims[2] || (int64_t)ow != y->dims[3])
        return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "operator output %zux%zu differs from the inferred %lldx%lld",
                       oh, ow, (long long)y->dims[2], (long long)y->dims[3]);
    oclnn_pool_type t = pool_type(n);
    uint64_t win = is_global(t) ? (uint64_t)(x->dims[2] * x->dims[3]) : 1; /* window elements per output */
    size_t c;
    const int64_t *k = oclnn_ir_attr_ints(n, "kernel_shape", &c);
    if (!is_global(t) && k && c == 2) win = (uint64_t)(k[0] * k[1]);
    st->macs = oclnn_ir_numel(y) * win;
    st->kernels = 1;
    return OCLNN_STATUS_OK;
}

static oclnn_status pool_setup(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    oclnn_status s = oclnn_pool2d_setup(st->op, st->in[0], st->out[0], st->out_offset[0]);
    return s ? rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx)) : OCLNN_STATUS_OK;
}

static oclnn_status pool_enqueue(oclnn_rt_step *st, uint32_t queue) {
    return oclnn_pool2d_enqueue(st->op, queue, NULL);
}

static void pool_destroy(oclnn_rt_step *st) {
    oclnn_pool2d_destroy(st->op);
    st->op = NULL;
}

#define POOL_OP(sym, name)                                                                                             \
    const oclnn_rt_op sym = {name, pool_infer, pool_create, pool_reshape, pool_setup, pool_enqueue, pool_destroy, 1, 0};
POOL_OP(oclnn_rt_op_maxpool, "MaxPool")
POOL_OP(oclnn_rt_op_avgpool, "AveragePool")
POOL_OP(oclnn_rt_op_lppool, "LpPool")
POOL_OP(oclnn_rt_op_global_avgpool, "GlobalAveragePool")
POOL_OP(oclnn_rt_op_global_maxpool, "GlobalMaxPool")
