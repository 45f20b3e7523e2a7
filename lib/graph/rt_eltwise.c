/* rt_eltwise.c - elementwise graph ops: activations (Relu, LeakyRelu, Sigmoid, Tanh, Clip, HardSigmoid,
 * HardSwish), PRelu, BatchNormalization (inference, and training_mode with its running statistics), the
 * broadcasting binaries (Add, Sub, Mul, Div, Max, Min, Sum; one input is a copy, more than two a chain computed in
 * place), and Identity/Dropout as aliases.
 */
#include "graph/rt_util.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- activations ---- */

static oclnn_status same_shape_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    if (!rt_known(g, n, 0)) return OCLNN_STATUS_OK;
    const oclnn_ir_value *x = rt_in(g, n, 0);
    rt_set_out(g, n, 0, x->dtype, x->ndim, x->dims);
    return OCLNN_STATUS_OK;
}

static oclnn_status unary_params(const oclnn_graph *g, const oclnn_ir_node *n, oclnn_unary_params *p) {
    oclnn_unary_params_init(p);
    const char *t = n->op_type;
    if (!strcmp(t, "Relu"))
        p->activation = OCLNN_ACTIVATION_RELU;
    else if (!strcmp(t, "LeakyRelu")) {
        p->activation = OCLNN_ACTIVATION_LEAKY_RELU;
        p->alpha = oclnn_ir_attr_float(n, "alpha", 0.01f);
    } else if (!strcmp(t, "Sigmoid"))
        p->activation = OCLNN_ACTIVATION_SIGMOID;
    else if (!strcmp(t, "Tanh"))
        p->activation = OCLNN_ACTIVATION_TANH;
    else if (!strcmp(t, "HardSigmoid")) {
        p->activation = OCLNN_ACTIVATION_HARD_SIGMOID;
        p->alpha = oclnn_ir_attr_float(n, "alpha", 0.2f);
        p->beta = oclnn_ir_attr_float(n, "beta", 0.5f);
    } else if (!strcmp(t, "HardSwish"))
        p->activation = OCLNN_ACTIVATION_HARD_SWISH;
    else if (!strcmp(t, "Clip")) {
        p->activation = OCLNN_ACTIVATION_CLIP;
        p->alpha = -FLT_MAX;
        p->beta = FLT_MAX;
        if (n->opset < 11) {
            p->alpha = oclnn_ir_attr_float(n, "min", -FLT_MAX);
            p->beta = oclnn_ir_attr_float(n, "max", FLT_MAX);
        } else {
            for (size_t k = 1; k <= 2; k++) {
                if (!rt_in(g, n, k)) continue;
                const float *d;
                size_t c;
                oclnn_status s = rt_const_floats(g, n, k, &d, &c);
                if (s) return s;
                if (c != 1) return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "min/max must be scalars");
                if (k == 1)
                    p->alpha = d[0];
                else
                    p->beta = d[0];
            }
        }
    } else
        p->activation = OCLNN_ACTIVATION_NONE; /* Sum/Max/Min of one input: a copy */
    return OCLNN_STATUS_OK;
}

typedef struct rt_elt {
    oclnn_unary *unary;
    oclnn_prelu *prelu;
    oclnn_batchnorm *bn;
    oclnn_binary *bin[OCLNN_RT_MAX_IO];
    size_t nbin;
    oclnn_tensor *cst[OCLNN_RT_MAX_IO]; /* device copies of constant operands */
} rt_elt;

static rt_elt *elt_new(oclnn_rt_step *st) {
    rt_elt *e = oclnn_calloc(st->ctx->alloc, 1, sizeof *e);
    st->op = e;
    return e;
}

static void elt_destroy(oclnn_rt_step *st) {
    rt_elt *e = st->op;
    if (!e) return;
    oclnn_unary_destroy(e->unary);
    oclnn_prelu_destroy(e->prelu);
    oclnn_batchnorm_destroy(e->bn);
    for (size_t i = 0; i < OCLNN_RT_MAX_IO; i++) {
        oclnn_binary_destroy(e->bin[i]);
        oclnn_tensor_destroy(e->cst[i]);
    }
    oclnn_free(st->ctx->alloc, e);
    st->op = NULL;
}

static const oclnn_tensor *elt_in(const oclnn_rt_step *st, size_t k) {
    const rt_elt *e = st->op;
    return st->in[k] ? st->in[k] : e->cst[k];
}

static oclnn_status unary_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    oclnn_unary_params p;
    oclnn_status s = unary_params(g, n, &p);
    if (s) return s;
    rt_elt *e = elt_new(st);
    if (!e) return rt_fail(g, n, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "out of host memory");
    if ((s = oclnn_unary_create(st->ctx, &p, &e->unary))) return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    if (rt_is_const(g, n, 0) && (s = rt_upload(st, g, n, 0, &e->cst[0]))) return s;
    return OCLNN_STATUS_OK;
}

static oclnn_status elt_reshape(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_elt *e = st->op;
    const oclnn_ir_value *x = rt_in(g, n, 0);
    size_t nd;
    int64_t d[OCLNN_MAX_DIMS];
    oclnn_status s = rt_dev_dims(g, n, x, &nd, d);
    if (s) return s;
    if (e->unary)
        s = oclnn_unary_reshape(e->unary, nd, d);
    else if (e->prelu)
        s = oclnn_prelu_reshape(e->prelu, nd, d);
    else
        s = oclnn_batchnorm_reshape(e->bn, nd, d);
    if (s) return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    st->macs = oclnn_ir_numel(x);
    st->kernels = 1;
    return OCLNN_STATUS_OK;
}

static oclnn_status elt_setup(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_elt *e = st->op;
    oclnn_status s;
    if (e->unary)
        s = oclnn_unary_setup(e->unary, elt_in(st, 0), st->out[0]);
    else if (e->prelu)
        s = oclnn_prelu_setup(e->prelu, st->in[0], st->out[0]);
    else if (oclnn_ir_attr_int(n, "training_mode", 0))
        s = oclnn_batchnorm_setup_training(e->bn, st->in[0], st->out[0], st->out[1], st->out[2]);
    else
        s = oclnn_batchnorm_setup(e->bn, st->in[0], st->out[0]);
    return s ? rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx)) : OCLNN_STATUS_OK;
}

static oclnn_status elt_enqueue(oclnn_rt_step *st, uint32_t queue) {
    rt_elt *e = st->op;
    if (e->unary) return oclnn_unary_enqueue(e->unary, queue, NULL);
    if (e->prelu) return oclnn_prelu_enqueue(e->prelu, queue, NULL);
    return oclnn_batchnorm_enqueue(e->bn, queue, NULL);
}

/* ---- PRelu, BatchNormalization ---- */

static oclnn_status prelu_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    const float *slope;
    size_t count;
    oclnn_status s = rt_const_floats(g, n, 1, &slope, &count);
    if (s) return s;
    oclnn_prelu_params p;
    oclnn_prelu_params_init(&p);
    if ((s = rt_dev_dims(g, n, rt_in(g, n, 1), &p.slope_ndim, p.slope_dims))) return s;
    /* before opset 7, a 1-D slope of C values is per channel (axis 1), not aligned on the last axis */
    const oclnn_ir_value *x = rt_in(g, n, 0);
    if (n->opset < 7 && p.slope_ndim == 1 && x && x->ndim >= 2 && count > 1 && (int64_t)count == x->dims[1])
        p.per_channel = 1;
    rt_elt *e = elt_new(st);
    if (!e) return rt_fail(g, n, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "out of host memory");
    if ((s = oclnn_prelu_create(st->ctx, &p, slope, count, &e->prelu)))
        return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    st->params = count;
    st->weight_bytes = count * sizeof(float);
    return OCLNN_STATUS_OK;
}

static oclnn_status bn_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    const oclnn_ir_value *x = rt_in(g, n, 0);
    if (!x || x->ndim < 2) return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "X needs at least 2 dims");
    const float *v[4];
    size_t c[4];
    for (size_t k = 0; k < 4; k++) {
        oclnn_status s = rt_const_floats(g, n, k + 1, &v[k], &c[k]);
        if (s) return s;
        if (c[k] != (size_t)x->dims[1])
            return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "input %zu has %zu values for %lld channels", k + 1, c[k],
                           (long long)x->dims[1]);
    }
    oclnn_batchnorm_params p;
    oclnn_batchnorm_params_init(&p);
    p.channels = (uint32_t)x->dims[1];
    p.epsilon = oclnn_ir_attr_float(n, "epsilon", 1e-5f);
    p.training_mode = oclnn_ir_attr_int(n, "training_mode", 0) != 0;
    p.momentum = oclnn_ir_attr_float(n, "momentum", 0.9f);
    p.activation = n->fuse.activation;
    p.activation_alpha = n->fuse.alpha;
    p.activation_beta = n->fuse.beta;
    rt_elt *e = elt_new(st);
    if (!e) return rt_fail(g, n, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "out of host memory");
    oclnn_status s = oclnn_batchnorm_create(st->ctx, &p, v[0], v[1], v[2], v[3], &e->bn);
    if (s) return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    st->params = 4 * c[0];
    st->weight_bytes = 2 * c[0] * sizeof(float); /* folded into a scale and a shift */
    return OCLNN_STATUS_OK;
}

/* ---- binary ---- */

static oclnn_binary_op binary_kind(const oclnn_ir_node *n) {
    const char *t = n->op_type;
    if (!strcmp(t, "Sub")) return OCLNN_BINARY_SUB;
    if (!strcmp(t, "Mul")) return OCLNN_BINARY_MUL;
    if (!strcmp(t, "Div")) return OCLNN_BINARY_DIV;
    if (!strcmp(t, "Max")) return OCLNN_BINARY_MAX;
    if (!strcmp(t, "Min")) return OCLNN_BINARY_MIN;
    return OCLNN_BINARY_ADD; /* Add, Sum */
}

/* Numpy broadcast of a and b into o; 0 when they do not broadcast. */
static int broadcast(size_t an, const int64_t *ad, size_t bn, const int64_t *bd, size_t *on, int64_t *od) {
    size_t n = an > bn ? an : bn;
    for (size_t i = 0; i < n; i++) {
        int64_t x = i < n - an ? 1 : ad[i - (n - an)], y = i < n - bn ? 1 : bd[i - (n - bn)];
        if (x != y && x != 1 && y != 1) return 0;
        od[i] = x == 1 ? y : x;
    }
    *on = n;
    return 1;
}

static oclnn_status binary_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    if (!n->num_inputs) return rt_fail(g, n, OCLNN_STATUS_INVALID_MODEL, "has no inputs");
    for (size_t k = 0; k < n->num_inputs; k++)
        if (!rt_known(g, n, k)) return OCLNN_STATUS_OK;
    const oclnn_ir_value *a = rt_in(g, n, 0);
    size_t on = a->ndim;
    int64_t od[OCLNN_IR_MAX_DIMS];
    memcpy(od, a->dims, sizeof od);
    for (size_t k = 1; k < n->num_inputs; k++) {
        const oclnn_ir_value *b = rt_in(g, n, k);
        int64_t t[OCLNN_IR_MAX_DIMS];
        if (!broadcast(on, od, b->ndim, b->dims, &on, t)) {
            char sa[96] = "", sb[96] = "";
            for (size_t d = 0; d < on; d++)
                snprintf(sa + strlen(sa), sizeof sa - strlen(sa), "%s%lld", d ? "x" : "", (long long)od[d]);
            for (size_t d = 0; d < b->ndim; d++)
                snprintf(sb + strlen(sb), sizeof sb - strlen(sb), "%s%lld", d ? "x" : "", (long long)b->dims[d]);
            return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "shapes %s and %s do not broadcast", sa, sb);
        }
        memcpy(od, t, on * sizeof *t);
    }
    rt_set_out(g, n, 0, OCLNN_DTYPE_F32, on, od);
    return OCLNN_STATUS_OK;
}

static oclnn_status binary_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    if (n->num_inputs == 1) return unary_create(st, g, n);
    rt_elt *e = elt_new(st);
    if (!e) return rt_fail(g, n, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "out of host memory");
    if (n->num_inputs > OCLNN_RT_MAX_IO) return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "too many inputs");
    oclnn_status s;
    e->nbin = n->num_inputs - 1;
    for (size_t i = 0; i < e->nbin; i++) {
        oclnn_binary_params p;
        oclnn_binary_params_init(&p);
        p.op = binary_kind(n);
        if (i + 1 == e->nbin) { /* a fused activation applies to the final result */
            p.activation = n->fuse.activation;
            p.activation_alpha = n->fuse.alpha;
            p.activation_beta = n->fuse.beta;
        }
        if ((s = oclnn_binary_create(st->ctx, &p, &e->bin[i])))
            return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    }
    for (size_t k = 0; k < n->num_inputs; k++) {
        if (!rt_in(g, n, k)) return rt_fail(g, n, OCLNN_STATUS_INVALID_MODEL, "input %zu is omitted", k);
        if (rt_is_const(g, n, k)) {
            if ((s = rt_upload(st, g, n, k, &e->cst[k]))) return s;
            st->weight_bytes += oclnn_tensor_nbytes(e->cst[k]);
        }
    }
    return OCLNN_STATUS_OK;
}

static oclnn_status binary_reshape(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_elt *e = st->op;
    if (e->unary) return elt_reshape(st, g, n);
    const oclnn_ir_value *y = rt_out(g, n, 0);
    size_t an, bn, on;
    int64_t ad[OCLNN_MAX_DIMS], bd[OCLNN_MAX_DIMS], od[OCLNN_MAX_DIMS];
    oclnn_status s = rt_dev_dims(g, n, rt_in(g, n, 0), &an, ad);
    for (size_t i = 0; i < e->nbin && !s; i++) {
        if ((s = rt_dev_dims(g, n, rt_in(g, n, i + 1), &bn, bd))) break;
        if ((s = oclnn_binary_reshape(e->bin[i], an, ad, bn, bd, &on, od)))
            return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
        /* later links run in place on the output: the running result must already have the output's shape */
        if (on != (y->ndim ? y->ndim : 1) || (y->ndim && memcmp(od, y->dims, on * sizeof *od)))
            return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED,
                           "a chain whose partial result (input 0..%zu) is smaller than "
                           "the output is not supported",
                           i + 1);
        an = on;
        memcpy(ad, od, sizeof ad);
    }
    if (s) return s;
    st->macs = oclnn_ir_numel(y) * e->nbin;
    st->kernels = (uint32_t)e->nbin;
    return OCLNN_STATUS_OK;
}

static oclnn_status binary_setup(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_elt *e = st->op;
    if (e->unary) return elt_setup(st, g, n);
    for (size_t i = 0; i < e->nbin; i++) {
        const oclnn_tensor *a = i ? st->out[0] : elt_in(st, 0);
        oclnn_status s = oclnn_binary_setup(e->bin[i], a, elt_in(st, i + 1), st->out[0], st->out_offset[0]);
        if (s) return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    }
    return OCLNN_STATUS_OK;
}

static oclnn_status binary_enqueue(oclnn_rt_step *st, uint32_t queue) {
    rt_elt *e = st->op;
    if (e->unary) return elt_enqueue(st, queue);
    for (size_t i = 0; i < e->nbin; i++) {
        oclnn_status s = oclnn_binary_enqueue(e->bin[i], queue, NULL);
        if (s) return s;
    }
    return OCLNN_STATUS_OK;
}

/* ---- Identity, Dropout: the output is the input's memory ---- */

static oclnn_status alias_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    if (!strcmp(n->op_type, "Dropout") && rt_out(g, n, 1))
        return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "the mask output is not supported");
    return same_shape_infer(g, n);
}
static oclnn_status nop_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    (void)st, (void)g, (void)n;
    return OCLNN_STATUS_OK;
}
static oclnn_status nop_reshape(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    (void)g, (void)n;
    st->kernels = 0;
    return OCLNN_STATUS_OK;
}
static oclnn_status nop_enqueue(oclnn_rt_step *st, uint32_t queue) {
    (void)st, (void)queue;
    return OCLNN_STATUS_OK;
}
static void nop_destroy(oclnn_rt_step *st) { (void)st; }

#define UNARY_OP(sym, name)                                                                                            \
    const oclnn_rt_op sym = {                                                                                          \
        name, same_shape_infer, unary_create, elt_reshape, elt_setup, elt_enqueue, elt_destroy, 0, 0};
UNARY_OP(oclnn_rt_op_relu, "Relu")
UNARY_OP(oclnn_rt_op_leaky_relu, "LeakyRelu")
UNARY_OP(oclnn_rt_op_sigmoid, "Sigmoid")
UNARY_OP(oclnn_rt_op_tanh, "Tanh")
UNARY_OP(oclnn_rt_op_clip, "Clip")
UNARY_OP(oclnn_rt_op_hard_sigmoid, "HardSigmoid")
UNARY_OP(oclnn_rt_op_hard_swish, "HardSwish")
const oclnn_rt_op oclnn_rt_op_prelu = {
    "PRelu", same_shape_infer, prelu_create, elt_reshape, elt_setup, elt_enqueue, elt_destroy, 0, 0};
/* training_mode (opset 14+) may produce running_mean and running_var (outputs 1 and 2, [C] each); the older
 * training outputs (saved mean and var, opsets before 14) are not supported. */
static oclnn_status bn_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    int training = oclnn_ir_attr_int(n, "training_mode", 0) != 0;
    if (training && n->opset < 14)
        return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "training_mode before opset 14 is not supported");
    for (size_t k = 1; k < n->num_outputs; k++)
        if (rt_out(g, n, k) && (!training || k > 2))
            return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED,
                           training ? "outputs past running_mean and running_var are not supported"
                                    : "the training outputs (mean, var, ...) are not supported");
    if (training && (!rt_out(g, n, 1) != !rt_out(g, n, 2)))
        return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "running_mean without running_var (or the reverse)");
    oclnn_status s = same_shape_infer(g, n);
    if (s || !training || !rt_known(g, n, 0)) return s;
    const oclnn_ir_value *x = rt_in(g, n, 0);
    if (x->ndim < 2) return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "X needs at least 2 dims");
    for (size_t k = 1; k <= 2; k++)
        if (rt_out(g, n, k)) rt_set_out(g, n, k, OCLNN_DTYPE_F32, 1, &x->dims[1]);
    return OCLNN_STATUS_OK;
}

const oclnn_rt_op oclnn_rt_op_batchnorm = {
    "BatchNormalization", bn_infer, bn_create, elt_reshape, elt_setup, elt_enqueue, elt_destroy, 0, 0};
#define BINARY_OP(sym, name)                                                                                           \
    const oclnn_rt_op sym = {                                                                                          \
        name, binary_infer, binary_create, binary_reshape, binary_setup, binary_enqueue, elt_destroy, 1, 0};
BINARY_OP(oclnn_rt_op_add, "Add")
BINARY_OP(oclnn_rt_op_sub, "Sub")
BINARY_OP(oclnn_rt_op_mul, "Mul")
BINARY_OP(oclnn_rt_op_div, "Div")
BINARY_OP(oclnn_rt_op_max, "Max")
BINARY_OP(oclnn_rt_op_min, "Min")
BINARY_OP(oclnn_rt_op_sum, "Sum")
const oclnn_rt_op oclnn_rt_op_identity = {"Identity",  alias_infer, nop_create, nop_reshape, NULL, nop_enqueue,
                                          nop_destroy, 0,           1};
const oclnn_rt_op oclnn_rt_op_dropout = {"Dropout",   alias_infer, nop_create, nop_reshape, NULL, nop_enqueue,
                                         nop_destroy, 0,           1};
