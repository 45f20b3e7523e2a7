/* rt_misc.c - graph ops Gemm, MatMul (oclnn_gemm / oclnn_matmul, constant B packed at create), Softmax and
 * LogSoftmax (opset < 13 flattening too), ArgMax (int64 output) and LRN.
 */
#include "graph/rt_util.h"

#include <string.h>

typedef struct rt_misc {
    oclnn_gemm *gemm;
    oclnn_matmul *matmul;
    oclnn_softmax *softmax;
    oclnn_argmax *argmax;
    oclnn_lrn *lrn;
    oclnn_tensor *a_const; /* MatMul/Gemm with a constant A */
    int b_const, c_const;
} rt_misc;

static rt_misc *misc_new(oclnn_rt_step *st) { return st->op = oclnn_calloc(st->ctx->alloc, 1, sizeof(rt_misc)); }

static void misc_destroy(oclnn_rt_step *st) {
    rt_misc *m = st->op;
    if (!m) return;
    oclnn_gemm_destroy(m->gemm);
    oclnn_matmul_destroy(m->matmul);
    oclnn_softmax_destroy(m->softmax);
    oclnn_argmax_destroy(m->argmax);
    oclnn_lrn_destroy(m->lrn);
    oclnn_tensor_destroy(m->a_const);
    oclnn_free(st->ctx->alloc, m);
    st->op = NULL;
}

#define NEW_MISC(m)                                                                                                    \
    rt_misc *m = misc_new(st);                                                                                         \
    if (!m) return rt_fail(g, n, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "out of host memory")
#define CHECK(expr)                                                                                                    \
    do {                                                                                                               \
        oclnn_status s_ = (expr);                                                                                      \
        if (s_) return rt_fail(g, n, s_, "%s", oclnn_last_error(st->ctx));                                             \
    } while (0)

static const oclnn_tensor *a_tensor(const oclnn_rt_step *st) {
    const rt_misc *m = st->op;
    return st->in[0] ? st->in[0] : m->a_const;
}

/* ---- Gemm ---- */

static oclnn_status gemm_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    if (!rt_known(g, n, 0) || !rt_known(g, n, 1)) return OCLNN_STATUS_OK;
    const oclnn_ir_value *a = rt_in(g, n, 0), *b = rt_in(g, n, 1);
    if (a->ndim != 2 || b->ndim != 2) return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "A and B must be 2-D");
    int64_t ta = 0, tb = 0;
    oclnn_status s = rt_attr_int_in(g, n, "transA", 0, 0, 1, &ta);
    if (!s) s = rt_attr_int_in(g, n, "transB", 0, 0, 1, &tb);
    if (s) return s;
    int64_t ka = ta ? a->dims[0] : a->dims[1], kb = tb ? b->dims[1] : b->dims[0];
    if (ka != kb)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "A has K = %lld but B has K = %lld", (long long)ka,
                       (long long)kb);
    int64_t d[2] = {ta ? a->dims[1] : a->dims[0], tb ? b->dims[0] : b->dims[1]};
    rt_set_out(g, n, 0, OCLNN_DTYPE_F32, 2, d);
    return OCLNN_STATUS_OK;
}

static oclnn_status gemm_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    NEW_MISC(m);
    oclnn_gemm_params p;
    oclnn_gemm_params_init(&p);
    p.trans_a = (int)oclnn_ir_attr_int(n, "transA", 0);
    p.trans_b = (int)oclnn_ir_attr_int(n, "transB", 0);
    p.alpha = oclnn_ir_attr_float(n, "alpha", 1.0f);
    p.beta = oclnn_ir_attr_float(n, "beta", 1.0f);
    p.activation = n->fuse.activation;
    p.activation_alpha = n->fuse.alpha;
    p.activation_beta = n->fuse.beta;
    const float *b = NULL, *c = NULL;
    size_t bc = 0, cc = 0, cn = 0;
    int64_t bd[2] = {0, 0}, cd[OCLNN_MAX_DIMS];
    oclnn_status s;
    if (rt_is_const(g, n, 0)) {
        if ((s = rt_upload(st, g, n, 0, &m->a_const))) return s;
    }
    if (rt_is_const(g, n, 1)) {
        if ((s = rt_const_floats(g, n, 1, &b, &bc))) return s;
        bd[0] = rt_in(g, n, 1)->dims[0];
        bd[1] = rt_in(g, n, 1)->dims[1];
        m->b_const = 1;
    }
    const oclnn_ir_value *cv = rt_in(g, n, 2);
    if (cv && rt_is_const(g, n, 2)) {
        if ((s = rt_const_floats(g, n, 2, &c, &cc))) return s;
        if ((s = rt_dev_dims(g, n, cv, &cn, cd))) return s;
        if (!cv->ndim) cn = 0;
        m->c_const = 1;
    } else if (cv)
        p.c_input = 1;
    CHECK(oclnn_gemm_create(st->ctx, &p, b, bd, c, cn, cd, &m->gemm));
    st->params = bc + cc;
    st->weight_bytes = (bc + cc) * sizeof(float);
    st->algo = oclnn_gemm_get_backend(m->gemm) == OCLNN_GEMM_BACKEND_CLBLAST ? "clblast" : "oclnn";
    return OCLNN_STATUS_OK;
}

static oclnn_status gemm_reshape(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_misc *m = st->op;
    const oclnn_ir_value *a = rt_in(g, n, 0), *b = rt_in(g, n, 1);
    int64_t y[2];
    CHECK(oclnn_gemm_reshape(m->gemm, a->dims, m->b_const ? NULL : b->dims, y));
    int64_t k = oclnn_ir_attr_int(n, "transA", 0) ? a->dims[0] : a->dims[1];
    st->macs = (uint64_t)(y[0] * y[1] * k);
    st->kernels = 1;
    return OCLNN_STATUS_OK;
}

static oclnn_status gemm_setup(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_misc *m = st->op;
    CHECK(oclnn_gemm_setup(m->gemm, a_tensor(st), m->b_const ? NULL : st->in[1], m->c_const ? NULL : st->in[2],
                           st->out[0]));
    return OCLNN_STATUS_OK;
}

/* ---- MatMul ---- */

static oclnn_status matmul_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    if (!rt_known(g, n, 0) || !rt_known(g, n, 1)) return OCLNN_STATUS_OK;
    const oclnn_ir_value *a = rt_in(g, n, 0), *b = rt_in(g, n, 1);
    if (!a->ndim || !b->ndim) return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "operands must have at least 1 dim");
    int64_t ad[OCLNN_IR_MAX_DIMS + 1], bd[OCLNN_IR_MAX_DIMS + 1], od[OCLNN_IR_MAX_DIMS + 1];
    size_t an = a->ndim, bn = b->ndim;
    memcpy(ad, a->dims, an * sizeof *ad);
    memcpy(bd, b->dims, bn * sizeof *bd);
    if (an == 1) ad[1] = ad[0], ad[0] = 1, an = 2;
    if (bn == 1) bd[1] = 1, bn = 2;
    if (ad[an - 1] != bd[bn - 2])
        return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "A has K = %lld but B has K = %lld", (long long)ad[an - 1],
                       (long long)bd[bn - 2]);
    size_t ab = an - 2, bb = bn - 2, ob = ab > bb ? ab : bb, on = 0;
    for (size_t i = 0; i < ob; i++) {
        int64_t x = i < ob - ab ? 1 : ad[i - (ob - ab)], y = i < ob - bb ? 1 : bd[i - (ob - bb)];
        if (x != y && x != 1 && y != 1) return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "batch dims do not broadcast");
        od[on++] = x == 1 ? y : x;
    }
    if (a->ndim > 1) od[on++] = ad[an - 2];
    if (b->ndim > 1) od[on++] = bd[bn - 1];
    rt_set_out(g, n, 0, OCLNN_DTYPE_F32, on, od);
    return OCLNN_STATUS_OK;
}

static oclnn_status matmul_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    NEW_MISC(m);
    const float *b = NULL;
    size_t bc = 0, bn = 0;
    int64_t bd[OCLNN_MAX_DIMS];
    oclnn_status s;
    if (rt_is_const(g, n, 0) && (s = rt_upload(st, g, n, 0, &m->a_const))) return s;
    if (rt_is_const(g, n, 1)) {
        if ((s = rt_const_floats(g, n, 1, &b, &bc))) return s;
        if ((s = rt_dev_dims(g, n, rt_in(g, n, 1), &bn, bd))) return s;
        m->b_const = 1;
    }
    CHECK(oclnn_matmul_create(st->ctx, OCLNN_GEMM_BACKEND_AUTO, b, bn, bd, &m->matmul));
    st->params = bc;
    st->weight_bytes = bc * sizeof(float);
    st->algo = oclnn_matmul_get_backend(m->matmul) == OCLNN_GEMM_BACKEND_CLBLAST ? "clblast" : "oclnn";
    return OCLNN_STATUS_OK;
}

static oclnn_status matmul_reshape(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_misc *m = st->op;
    size_t an, bn, yn;
    int64_t ad[OCLNN_MAX_DIMS], bd[OCLNN_MAX_DIMS], yd[OCLNN_MAX_DIMS];
    oclnn_status s = rt_dev_dims(g, n, rt_in(g, n, 0), &an, ad);
    if (!s) s = rt_dev_dims(g, n, rt_in(g, n, 1), &bn, bd);
    if (s) return s;
    CHECK(oclnn_matmul_reshape(m->matmul, an, ad, bn, bd, &yn, yd));
    st->macs = oclnn_ir_numel(rt_out(g, n, 0)) * (uint64_t)ad[an - 1];
    st->kernels = 1;
    return OCLNN_STATUS_OK;
}

static oclnn_status matmul_setup(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_misc *m = st->op;
    CHECK(oclnn_matmul_setup(m->matmul, a_tensor(st), m->b_const ? NULL : st->in[1], st->out[0]));
    return OCLNN_STATUS_OK;
}

/* ---- Softmax, LogSoftmax, LRN: same shape out ---- */

static oclnn_status same_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    if (!rt_known(g, n, 0)) return OCLNN_STATUS_OK;
    const oclnn_ir_value *x = rt_in(g, n, 0);
    int64_t r = (int64_t)x->ndim;
    oclnn_status s = !strcmp(n->op_type, "LRN")
                         ? rt_attr_int_in(g, n, "size", 0, 1, INT32_MAX, NULL)
                         : rt_attr_int_in(g, n, "axis", n->opset < 13 ? 1 : -1, -r, r - 1, NULL);
    if (s) return s;
    rt_set_out(g, n, 0, OCLNN_DTYPE_F32, x->ndim, x->dims);
    return OCLNN_STATUS_OK;
}

static oclnn_status softmax_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    NEW_MISC(m);
    oclnn_softmax_params p;
    oclnn_softmax_params_init(&p);
    p.log = !strcmp(n->op_type, "LogSoftmax");
    p.flatten_2d = n->opset < 13;
    p.axis = (int32_t)oclnn_ir_attr_int(n, "axis", n->opset < 13 ? 1 : -1);
    CHECK(oclnn_softmax_create(st->ctx, &p, &m->softmax));
    return OCLNN_STATUS_OK;
}

static oclnn_status lrn_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    NEW_MISC(m);
    oclnn_lrn_params p;
    oclnn_lrn_params_init(&p);
    p.size = (uint32_t)oclnn_ir_attr_int(n, "size", 0);
    p.alpha = oclnn_ir_attr_float(n, "alpha", 1e-4f);
    p.beta = oclnn_ir_attr_float(n, "beta", 0.75f);
    p.bias = oclnn_ir_attr_float(n, "bias", 1.0f);
    CHECK(oclnn_lrn_create(st->ctx, &p, &m->lrn));
    return OCLNN_STATUS_OK;
}

static oclnn_status argmax_params(const oclnn_ir_node *n, oclnn_argmax_params *p) {
    oclnn_argmax_params_init(p);
    p->axis = (int32_t)oclnn_ir_attr_int(n, "axis", 0);
    p->keepdims = (int)oclnn_ir_attr_int(n, "keepdims", 1);
    p->select_last_index = (int)oclnn_ir_attr_int(n, "select_last_index", 0);
    return OCLNN_STATUS_OK;
}

static oclnn_status argmax_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    if (!rt_known(g, n, 0)) return OCLNN_STATUS_OK;
    const oclnn_ir_value *x = rt_in(g, n, 0);
    oclnn_argmax_params p;
    argmax_params(n, &p);
    oclnn_status s = rt_attr_int_in(g, n, "axis", 0, -(int64_t)x->ndim, (int64_t)x->ndim - 1, NULL);
    if (!s) s = rt_attr_int_in(g, n, "keepdims", 1, 0, 1, NULL);
    if (!s) s = rt_attr_int_in(g, n, "select_last_index", 0, 0, 1, NULL);
    if (s) return s;
    int64_t ax = p.axis < 0 ? p.axis + (int64_t)x->ndim : p.axis;
    if (ax < 0 || ax >= (int64_t)x->ndim)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "axis %d is outside the input's %zu dims", p.axis, x->ndim);
    int64_t d[OCLNN_IR_MAX_DIMS];
    size_t on = 0;
    for (size_t i = 0; i < x->ndim; i++) {
        if ((int64_t)i == ax) {
            if (p.keepdims) d[on++] = 1;
        } else
            d[on++] = x->dims[i];
    }
    rt_set_out(g, n, 0, OCLNN_DTYPE_I64, on, d);
    return OCLNN_STATUS_OK;
}

static oclnn_status argmax_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    NEW_MISC(m);
    oclnn_argmax_params p;
    argmax_params(n, &p);
    CHECK(oclnn_argmax_create(st->ctx, &p, &m->argmax));
    return OCLNN_STATUS_OK;
}

static oclnn_status one_reshape(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_misc *m = st->op;
    size_t nd;
    int64_t d[OCLNN_MAX_DIMS];
    oclnn_status s = rt_dev_dims(g, n, rt_in(g, n, 0), &nd, d);
    if (s) return s;
    if (m->softmax)
        CHECK(oclnn_softmax_reshape(m->softmax, nd, d));
    else if (m->lrn)
        CHECK(oclnn_lrn_reshape(m->lrn, nd, d));
    else
        CHECK(oclnn_argmax_reshape(m->argmax, nd, d, NULL, NULL));
    st->macs = oclnn_ir_numel(rt_in(g, n, 0));
    st->kernels = 1;
    return OCLNN_STATUS_OK;
}

static oclnn_status one_setup(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_misc *m = st->op;
    if (m->softmax)
        CHECK(oclnn_softmax_setup(m->softmax, st->in[0], st->out[0]));
    else if (m->lrn)
        CHECK(oclnn_lrn_setup(m->lrn, st->in[0], st->out[0]));
    else
        CHECK(oclnn_argmax_setup(m->argmax, st->in[0], st->out[0]));
    return OCLNN_STATUS_OK;
}

static oclnn_status misc_enqueue(oclnn_rt_step *st, uint32_t q) {
    rt_misc *m = st->op;
    if (m->gemm) return oclnn_gemm_enqueue(m->gemm, q, NULL);
    if (m->matmul) return oclnn_matmul_enqueue(m->matmul, q, NULL);
    if (m->softmax) return oclnn_softmax_enqueue(m->softmax, q, NULL);
    if (m->lrn) return oclnn_lrn_enqueue(m->lrn, q, NULL);
    return oclnn_argmax_enqueue(m->argmax, q, NULL);
}

const oclnn_rt_op oclnn_rt_op_gemm = {
    "Gemm", gemm_infer, gemm_create, gemm_reshape, gemm_setup, misc_enqueue, misc_destroy, 0, 0};
const oclnn_rt_op oclnn_rt_op_matmul = {
    "MatMul", matmul_infer, matmul_create, matmul_reshape, matmul_setup, misc_enqueue, misc_destroy, 0, 0};
const oclnn_rt_op oclnn_rt_op_softmax = {
    "Softmax", same_infer, softmax_create, one_reshape, one_setup, misc_enqueue, misc_destroy, 0, 0};
const oclnn_rt_op oclnn_rt_op_log_softmax = {
    "LogSoftmax", same_infer, softmax_create, one_reshape, one_setup, misc_enqueue, misc_destroy, 0, 0};
const oclnn_rt_op oclnn_rt_op_lrn = {"LRN",        same_infer, lrn_create, one_reshape, one_setup, misc_enqueue,
                                     misc_destroy, 0,          0};
const oclnn_rt_op oclnn_rt_op_argmax = {
    "ArgMax", argmax_infer, argmax_create, one_reshape, one_setup, misc_enqueue, misc_destroy, 0, 0};
