/* fuse.c - graph rewrites before execution: Identity/Dropout/zero-Pad removal, HardSwish chains collapsed into one node,
 * BatchNormalization folded into the preceding Conv's weights, activations and residual Adds fused into their
 * producer (recorded in node->fuse), and dead-node removal. Nodes are marked dead, never deleted; nothing recurses.
 */
#include "graph/ir.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define A(g) OCLNN_IR_ALLOC(g)
#define E(g) OCLNN_IR_ERR(g)

static oclnn_status oom(oclnn_graph *g) {
    return oclnn_fail(E(g), OCLNN_STATUS_OUT_OF_HOST_MEMORY, "fuse: out of host memory");
}

static int default_domain(const oclnn_ir_node *n) { return !n->domain || !*n->domain || !strcmp(n->domain, "ai.onnx"); }

static int is_op(const oclnn_ir_node *n, const char *op) {
    return !n->dead && default_domain(n) && !strcmp(n->op_type, op);
}

/* The live node producing value @p v, or -1. */
static int producer(const oclnn_graph *g, int v) {
    if (v < 0) return -1;
    int p = g->values[v].producer;
    return p >= 0 && !g->nodes[p].dead ? p : -1;
}

/* Exactly one live use and not a graph output: the value can disappear into a fused node. */
static int single_use(const oclnn_graph *g, const uint32_t *cnt, int v) {
    return v >= 0 && cnt[v] == 1 && !g->values[v].is_output;
}

/* The single element of an F32 constant. */
static int const_scalar(const oclnn_graph *g, int v, double *out) {
    if (v < 0) return 0;
    const oclnn_ir_value *c = &g->values[v];
    if (c->kind != OCLNN_IR_CONSTANT || c->dtype != OCLNN_DTYPE_F32 || c->nbytes != sizeof(float) || !c->data) return 0;
    *out = *(const float *)c->data;
    return 1;
}

static int near(double a, double b) { return fabs(a - b) <= 1e-5 * fabs(b) + 1e-7; }

static int const_is(const oclnn_graph *g, int v, double want) {
    double x;
    return const_scalar(g, v, &x) && near(x, want);
}

static const char *display(const oclnn_ir_node *n) { return n->display_op ? n->display_op : n->op_type; }

/* node->display_op = "<display of node>+<what>". */
static oclnn_status append_display(oclnn_graph *g, int ni, const char *what) {
    const char *cur = display(&g->nodes[ni]);
    size_t len = strlen(cur) + strlen(what) + 2;
    char *s = oclnn_malloc(A(g), len);
    if (!s) return oom(g);
    snprintf(s, len, "%s+%s", cur, what);
    oclnn_free(A(g), g->nodes[ni].display_op);
    g->nodes[ni].display_op = s;
    return OCLNN_STATUS_OK;
}

/* Node @p p takes over output value @p y (the output of a node being fused away). */
static void take_output(oclnn_graph *g, int p, int x, int y) {
    g->nodes[p].outputs[0] = y;
    g->values[y].producer = p;
    if (x >= 0 && x != y) g->values[x].producer = -1;
}

/* Makes the node's input array @p count long, new slots -1. */
static oclnn_status resize_inputs(oclnn_graph *g, int ni, size_t count) {
    oclnn_ir_node *n = &g->nodes[ni];
    if (count <= n->num_inputs) {
        n->num_inputs = count;
        return OCLNN_STATUS_OK;
    }
    int *in = oclnn_realloc(A(g), n->inputs, count * sizeof *in);
    if (!in) return oom(g);
    for (size_t k = n->num_inputs; k < count; k++)
        in[k] = -1;
    n->inputs = in;
    n->num_inputs = count;
    return OCLNN_STATUS_OK;
}

/* Dropout behaves as Identity at inference unless training_mode (op set 12+, input 2) is a true constant or its
 * mask output is used. */
static int dropout_is_identity(const oclnn_graph *g, const oclnn_ir_node *n, const uint32_t *cnt) {
    if (n->num_outputs > 1 && n->outputs[1] >= 0 && (cnt[n->outputs[1]] || g->values[n->outputs[1]].is_output))
        return 0;
    if (n->num_inputs > 2 && n->inputs[2] >= 0) {
        const oclnn_ir_value *t = &g->values[n->inputs[2]];
        if (t->kind != OCLNN_IR_CONSTANT || !t->data || !t->nbytes) return 0;
        for (size_t b = 0; b < t->nbytes; b++)
            if (((const unsigned char *)t->data)[b]) return 0;
    }
    return 1;
}

/* A Pad that pads nothing (all pads zero, as torch exports before some AveragePools) copies its input: an Identity.
 * Pads come from the attribute before op set 11 and from a constant input from 11 on. */
static int pad_is_identity(const oclnn_graph *g, const oclnn_ir_node *n) {
    if (n->opset < 11) {
        size_t cnt;
        const int64_t *pads = oclnn_ir_attr_ints(n, "pads", &cnt);
        if (!pads && n->opset < 2) pads = oclnn_ir_attr_ints(n, "paddings", &cnt);
        for (size_t i = 0; pads && i < cnt; i++)
            if (pads[i]) return 0;
        return pads != NULL;
    }
    if (n->num_inputs < 2 || n->inputs[1] < 0) return 0;
    const oclnn_ir_value *p = &g->values[n->inputs[1]];
    if (p->kind != OCLNN_IR_CONSTANT || !p->data || p->dtype != OCLNN_DTYPE_I64) return 0;
    if (n->num_inputs > 3 && n->inputs[3] >= 0) return 0; /* op set 18 axes: leave it to the operator */
    for (size_t i = 0; i < p->nbytes / sizeof(int64_t); i++)
        if (((const int64_t *)p->data)[i]) return 0;
    return 1;
}

/* ---- Identity / Dropout ---- */

static oclnn_status remove_identities(oclnn_graph *g) {
    uint32_t *cnt = NULL;
    int *order = NULL, *alias = NULL;
    size_t count;
    oclnn_status s = oclnn_ir_use_counts(g, &cnt);
    if (!s) s = oclnn_ir_topo_order(g, &order, &count);
    if (s) goto out;
    alias = oclnn_malloc(A(g), (g->num_values ? g->num_values : 1) * sizeof *alias);
    if (!alias) {
        s = oom(g);
        goto out;
    }
    for (size_t v = 0; v < g->num_values; v++)
        alias[v] = -1;
    /* In topological order an Identity's input is already resolved, so chains collapse without recursion. */
    for (size_t k = 0; k < count; k++) {
        oclnn_ir_node *n = &g->nodes[order[k]];
        int ident = is_op(n, "Identity") || (is_op(n, "Dropout") && dropout_is_identity(g, n, cnt)) ||
                    (is_op(n, "Pad") && pad_is_identity(g, n));
        if (!ident || n->num_inputs < 1 || n->inputs[0] < 0 || n->num_outputs < 1 || n->outputs[0] < 0) continue;
        int x = n->inputs[0], y = n->outputs[0];
        if (g->values[y].is_output) continue; /* kept: the runtime aliases a graph output to its input */
        alias[y] = alias[x] >= 0 ? alias[x] : x;
        n->dead = 1;
        g->values[y].producer = -1;
    }
    for (size_t i = 0; i < g->num_nodes; i++) {
        oclnn_ir_node *n = &g->nodes[i];
        if (n->dead) continue;
        for (size_t k = 0; k < n->num_inputs; k++)
            if (n->inputs[k] >= 0 && alias[n->inputs[k]] >= 0) n->inputs[k] = alias[n->inputs[k]];
    }
out:
    oclnn_free(A(g), cnt);
    oclnn_free(A(g), order);
    oclnn_free(A(g), alias);
    return s;
}

/* ---- HardSwish chains ---- */

/* Clip bounds: attributes before op set 11, optional constant inputs from 11 on; absent = -inf / +inf. */
static int clip_bounds(const oclnn_graph *g, const oclnn_ir_node *n, double *lo, double *hi) {
    *lo = -INFINITY;
    *hi = INFINITY;
    if (n->opset < 11) {
        *lo = oclnn_ir_attr_float(n, "min", -INFINITY);
        *hi = oclnn_ir_attr_float(n, "max", INFINITY);
        return 1;
    }
    if (n->num_inputs > 1 && n->inputs[1] >= 0 && !const_scalar(g, n->inputs[1], lo)) return 0;
    if (n->num_inputs > 2 && n->inputs[2] >= 0 && !const_scalar(g, n->inputs[2], hi)) return 0;
    return 1;
}

/* The input of a two-input node that is not @p v; -2 when @p v is not one of its inputs. */
static int other_input(const oclnn_ir_node *n, int v) {
    if (n->num_inputs != 2) return -2;
    if (n->inputs[0] == v) return n->inputs[1];
    if (n->inputs[1] == v) return n->inputs[0];
    return -2;
}

/* Whether node @p ni scales value @p v by 1/6: Div(v, 6), Mul(v, 1/6) or Mul(1/6, v). */
static int is_div6(const oclnn_graph *g, int ni, int v) {
    if (ni < 0) return 0;
    const oclnn_ir_node *n = &g->nodes[ni];
    if (is_op(n, "Div")) return n->num_inputs == 2 && n->inputs[0] == v && const_is(g, n->inputs[1], 6.0);
    if (is_op(n, "Mul")) return const_is(g, other_input(n, v), 1.0 / 6.0);
    return 0;
}

/* Whether node @p ni is Mul(x, v) or Mul(v, x). */
static int is_mul_by(const oclnn_graph *g, int ni, int v, int x) {
    return ni >= 0 && is_op(&g->nodes[ni], "Mul") && other_input(&g->nodes[ni], v) == x;
}

/* Replaces the chain (nodes dead[0..nd)) computing hardswish(x) into value y by one HardSwish node. */
static oclnn_status make_hardswish(oclnn_graph *g, int x, int y, const int *dead, size_t nd) {
    int last = dead[nd - 1];
    for (size_t k = 0; k < nd; k++)
        g->nodes[dead[k]].dead = 1;
    g->values[y].producer = -1;
    return oclnn_ir_add_node(g, "HardSwish", "", g->nodes[last].name, g->nodes[last].opset, 1, &x, 1, &y, 0, NULL,
                             NULL);
}

/*
 * PyTorch and Paddle export hardswish as x * Clip(x + 3, 0, 6) / 6 (Paddle, PP-OCRv4: Add -> Clip -> Mul(x, .)
 * -> Div(., 6)), with Mul by 1/6 instead of Div, the scaling before the Mul, or as x * HardSigmoid(x, 1/6, 1/2).
 */
static oclnn_status fuse_hardswish(oclnn_graph *g) {
    uint32_t *cnt;
    oclnn_status s = oclnn_ir_use_counts(g, &cnt);
    if (s) return s;
    int *cons = oclnn_malloc(A(g), (g->num_values ? g->num_values : 1) * sizeof *cons);
    if (!cons) {
        oclnn_free(A(g), cnt);
        return oom(g);
    }
    for (size_t v = 0; v < g->num_values; v++)
        cons[v] = -1;
    for (size_t i = 0; i < g->num_nodes; i++)
        for (size_t k = 0; !g->nodes[i].dead && k < g->nodes[i].num_inputs; k++)
            if (g->nodes[i].inputs[k] >= 0) cons[g->nodes[i].inputs[k]] = (int)i;
    size_t nn = g->num_nodes; /* nodes added here are not visited */
    for (size_t i = 0; i < nn && !s; i++) {
        const oclnn_ir_node *n = &g->nodes[i];
        if (n->num_outputs < 1 || n->outputs[0] < 0 || n->num_inputs < 1 || n->inputs[0] < 0) continue;
        int v = n->outputs[0];
        if (is_op(n, "HardSigmoid")) {
            int x = n->inputs[0];
            if (!near(oclnn_ir_attr_float(n, "alpha", 0.2f), 1.0 / 6.0) ||
                !near(oclnn_ir_attr_float(n, "beta", 0.5f), 0.5))
                continue;
            if (!single_use(g, cnt, v) || !is_mul_by(g, cons[v], v, x)) continue;
            int chain[2] = {(int)i, cons[v]};
            s = make_hardswish(g, x, g->nodes[cons[v]].outputs[0], chain, 2);
            continue;
        }
        if (!is_op(n, "Clip")) continue;
        double lo, hi;
        int av = n->inputs[0], a = producer(g, av);
        if (!clip_bounds(g, n, &lo, &hi) || lo != 0.0 || hi != 6.0 || a < 0 || !is_op(&g->nodes[a], "Add") ||
            !single_use(g, cnt, av) || !single_use(g, cnt, v))
            continue;
        const oclnn_ir_node *an = &g->nodes[a];
        if (an->num_inputs != 2) continue;
        int x = const_is(g, an->inputs[1], 3.0) ? an->inputs[0] : const_is(g, an->inputs[0], 3.0) ? an->inputs[1] : -1;
        if (x < 0 || g->values[x].kind == OCLNN_IR_CONSTANT) continue;
        int m = cons[v], q = -1;
        if (is_mul_by(g, m, v, x)) { /* x * clip, then / 6 */
            int mv = g->nodes[m].outputs[0];
            if (single_use(g, cnt, mv) && is_div6(g, cons[mv], mv)) q = cons[mv];
        } else if (is_div6(g, m, v)) { /* clip / 6, then * x */
            int dv = g->nodes[m].outputs[0];
            if (single_use(g, cnt, dv) && is_mul_by(g, cons[dv], dv, x)) q = cons[dv];
        }
        if (q < 0) continue;
        int chain[4] = {a, (int)i, m, q};
        s = make_hardswish(g, x, g->nodes[q].outputs[0], chain, 4);
    }
    oclnn_free(A(g), cnt);
    oclnn_free(A(g), cons);
    return s;
}

/* ---- BatchNormalization into Conv / ConvTranspose ---- */

/* F32 constant with @p count elements, or NULL. */
static const float *const_f32(const oclnn_graph *g, int v, size_t count) {
    if (v < 0) return NULL;
    const oclnn_ir_value *c = &g->values[v];
    if (c->kind != OCLNN_IR_CONSTANT || c->dtype != OCLNN_DTYPE_F32 || !c->data || c->nbytes != count * sizeof(float))
        return NULL;
    return c->data;
}

/* A Conv/ConvTranspose whose weights (and bias) can be rewritten: constant F32 W of rank >= 3, no fusion yet. */
typedef struct conv_info {
    int node, transposed;
    size_t m;     /* output channels */
    size_t total; /* weight elements */
    int64_t group;
} conv_info;

/* Whether value @p x is the output of such a conv and only feeds the node being folded into it. */
static int rewritable_conv(const oclnn_graph *g, const uint32_t *cnt, int x, conv_info *ci) {
    int c = producer(g, x);
    if (c < 0 || !single_use(g, cnt, x)) return 0;
    const oclnn_ir_node *cv = &g->nodes[c];
    int transposed = is_op(cv, "ConvTranspose");
    if ((!transposed && !is_op(cv, "Conv")) || cv->outputs[0] != x || cv->fuse.activation != OCLNN_ACTIVATION_NONE ||
        cv->fuse.residual != OCLNN_RESIDUAL_NONE || cv->num_inputs < 2 || cv->num_inputs > 3 || cv->inputs[1] < 0)
        return 0;
    const oclnn_ir_value *wv = &g->values[cv->inputs[1]];
    if (wv->kind != OCLNN_IR_CONSTANT || wv->dtype != OCLNN_DTYPE_F32 || wv->ndim < 3 || !wv->data) return 0;
    int64_t group = transposed ? oclnn_ir_attr_int(cv, "group", 1) : 1;
    if (group < 1 || wv->dims[0] < 1 || wv->dims[1] < 1 || (transposed && wv->dims[0] % group)) return 0;
    ci->node = c;
    ci->transposed = transposed;
    ci->group = group;
    ci->total = wv->nbytes / sizeof(float);
    ci->m = transposed ? (size_t)wv->dims[1] * (size_t)group : (size_t)wv->dims[0];
    if (!ci->m || ci->total % ci->m) return 0;
    int bv = cv->num_inputs > 2 ? cv->inputs[2] : -1;
    return bv < 0 || const_f32(g, bv, ci->m) != NULL;
}

/* Whether value @p v is read by one node only, the conv being rewritten: counted once (cnt, for the @p ncnt values
 * that existed when the pass began), or made by an earlier fold of this conv, which only it reads. */
static int only_this_conv(const oclnn_graph *g, const uint32_t *cnt, size_t ncnt, int v) {
    return !g->values[v].is_output && ((size_t)v >= ncnt || cnt[v] == 1);
}

/*
 * y = conv(x) * scale[o] + shift[o] per output channel o (either may be NULL) as new weights and bias, computed in
 * double and rounded once; they are new values because the old ones may be shared with another node. The conv
 * takes over value @p y from the node @p dead, which is marked dead; @p what goes into the display spelling.
 */
static oclnn_status rewrite_conv(oclnn_graph *g, const conv_info *ci, const double *scale, const double *shift,
                                 int dead, int y, const char *what, const uint32_t *cnt, size_t ncnt) {
    const oclnn_ir_node *cv = &g->nodes[ci->node];
    const int wv_index = cv->inputs[1];
    const oclnn_ir_value *wv = &g->values[wv_index];
    int bv = cv->num_inputs > 2 ? cv->inputs[2] : -1, x = cv->outputs[0];
    const float *w = wv->data, *bias = bv >= 0 ? g->values[bv].data : NULL;
    size_t m = ci->m, total = ci->total;
    float *nw = scale ? oclnn_malloc(A(g), total * sizeof *nw) : NULL, *nb = oclnn_malloc(A(g), m * sizeof *nb);
    char *wname = NULL, *bname = NULL;
    oclnn_status s = OCLNN_STATUS_OK;
    int nwi = cv->inputs[1], nbi;
    if ((scale && !nw) || !nb) {
        s = oom(g);
        goto out;
    }
    for (size_t o = 0; o < m; o++)
        nb[o] = (float)((bias ? (double)bias[o] : 0.0) * (scale ? scale[o] : 1.0) + (shift ? shift[o] : 0.0));
    if (scale && !ci->transposed) { /* W [M][C/g][k...] */
        size_t inner = total / m;
        for (size_t o = 0; o < m; o++)
            for (size_t k = 0; k < inner; k++)
                nw[o * inner + k] = (float)((double)w[o * inner + k] * scale[o]);
    } else if (scale) { /* W [C][M/g][k...]: input channel c is in group c / (C/g), whose outputs follow */
        size_t c = (size_t)wv->dims[0], mg = (size_t)wv->dims[1], inner = total / (c * mg);
        size_t cg = c / (size_t)ci->group;
        for (size_t ic = 0; ic < c; ic++)
            for (size_t j = 0; j < mg; j++) {
                double fo = scale[(ic / cg) * mg + j];
                for (size_t k = 0; k < inner; k++) {
                    size_t i = (ic * mg + j) * inner + k;
                    nw[i] = (float)((double)w[i] * fo);
                }
            }
    }
    int64_t wdims[OCLNN_IR_MAX_DIMS], bdims[1] = {(int64_t)m};
    size_t wnd = wv->ndim;
    memcpy(wdims, wv->dims, sizeof wdims);
    wname = scale ? oclnn_ir_unique_name(g, wv->name) : NULL;
    bname = oclnn_ir_unique_name(g, bv >= 0 ? g->values[bv].name : g->nodes[ci->node].name);
    if ((scale && !wname) || !bname) {
        s = oom(g);
        goto out;
    }
    if (scale) s = oclnn_ir_add_constant(g, wname, OCLNN_DTYPE_F32, wnd, wdims, nw, &nwi); /* wv moves */
    if (!s && (bv >= 0 || shift)) s = oclnn_ir_add_constant(g, bname, OCLNN_DTYPE_F32, 1, bdims, nb, &nbi);
    else nbi = -1; /* a scaled conv without a bias keeps none */
    if (!s) s = resize_inputs(g, ci->node, 3);
    if (s) goto out;
    g->nodes[ci->node].inputs[1] = nwi;
    g->nodes[ci->node].inputs[2] = nbi;
    g->nodes[dead].dead = 1;
    /* weights only this conv read are not needed any more: release their bytes now (a graph compiled from a copy
     * only drops its reference; a consumed one frees them before the next conv's new weights are made) */
    if (nwi != wv_index && only_this_conv(g, cnt, ncnt, wv_index)) oclnn_ir_drop_data(g, wv_index);
    if (bv >= 0 && nbi != bv && only_this_conv(g, cnt, ncnt, bv)) oclnn_ir_drop_data(g, bv);
    take_output(g, ci->node, x, y);
    s = append_display(g, ci->node, what);
out:
    oclnn_free(A(g), nw);
    oclnn_free(A(g), nb);
    oclnn_free(A(g), wname);
    oclnn_free(A(g), bname);
    return s;
}

static oclnn_status fold_bn(oclnn_graph *g, int bi, const uint32_t *cnt, size_t ncnt) {
    const oclnn_ir_node *bn = &g->nodes[bi];
    conv_info ci;
    if (bn->num_inputs != 5 || bn->num_outputs < 1 || bn->outputs[0] < 0) return OCLNN_STATUS_OK;
    for (size_t o = 1; o < bn->num_outputs; o++) /* training outputs (running statistics) */
        if (bn->outputs[o] >= 0 && (cnt[bn->outputs[o]] || g->values[bn->outputs[o]].is_output)) return OCLNN_STATUS_OK;
    if (oclnn_ir_attr_int(bn, "training_mode", 0) != 0 || oclnn_ir_attr_int(bn, "spatial", 1) != 1 ||
        !rewritable_conv(g, cnt, bn->inputs[0], &ci))
        return OCLNN_STATUS_OK;
    size_t m = ci.m;
    const float *scale = const_f32(g, bn->inputs[1], m), *beta = const_f32(g, bn->inputs[2], m);
    const float *mean = const_f32(g, bn->inputs[3], m), *var = const_f32(g, bn->inputs[4], m);
    if (!scale || !beta || !mean || !var) return OCLNN_STATUS_OK;
    double eps = oclnn_ir_attr_float(bn, "epsilon", 1e-5f);
    double *f = oclnn_malloc(A(g), 2 * m * sizeof *f);
    if (!f) return oom(g);
    /* y = (conv(x) + b - mean) * scale / sqrt(var + eps) + beta = conv(x) * f + (b * f + beta - mean * f) */
    for (size_t o = 0; o < m; o++) {
        f[o] = (double)scale[o] / sqrt((double)var[o] + eps);
        f[m + o] = (double)beta[o] - (double)mean[o] * f[o];
    }
    oclnn_status s = rewrite_conv(g, &ci, f, f + m, bi, bn->outputs[0], "BatchNormalization", cnt, ncnt);
    oclnn_free(A(g), f);
    return s;
}

/* A constant that broadcasts per output channel onto a conv output of rank @p rank: one element, or @p m along axis
 * 1 and 1 elsewhere (so the result keeps the conv's shape). *count receives 1 or m. */
static const float *channel_const(const oclnn_graph *g, int v, size_t m, size_t rank, size_t *count) {
    if (v < 0) return NULL;
    const oclnn_ir_value *c = &g->values[v];
    if (c->kind != OCLNN_IR_CONSTANT || c->dtype != OCLNN_DTYPE_F32 || !c->data || c->ndim > rank) return NULL;
    size_t n = c->nbytes / sizeof(float);
    if (n != 1 && n != m) return NULL;
    for (size_t k = 0; k < c->ndim; k++)
        if (c->dims[k] != 1 && !(rank - c->ndim + k == 1 && (size_t)c->dims[k] == m)) return NULL;
    *count = n;
    return c->data;
}

/* Conv -> Mul / Add / Sub by a per-channel or scalar constant (PP-OCRv4's LearnableAffineBlock, a bias written as
 * an Add): folded into the conv's weights and bias. */
static oclnn_status fold_affine(oclnn_graph *g, int ni, const uint32_t *cnt, size_t ncnt) {
    const oclnn_ir_node *n = &g->nodes[ni];
    int mul = is_op(n, "Mul"), sub = is_op(n, "Sub");
    if ((!mul && !sub && !is_op(n, "Add")) || n->num_inputs != 2 || n->num_outputs != 1 || n->outputs[0] < 0 ||
        n->fuse.activation != OCLNN_ACTIVATION_NONE)
        return OCLNN_STATUS_OK;
    for (int side = 0; side < (sub ? 1 : 2); side++) { /* c - conv(x) would negate the weights: left alone */
        conv_info ci;
        size_t count;
        if (!rewritable_conv(g, cnt, n->inputs[side], &ci)) continue;
        size_t rank = g->values[g->nodes[ci.node].inputs[1]].ndim;
        const float *c = channel_const(g, n->inputs[1 - side], ci.m, rank, &count);
        if (!c) continue;
        double *v = oclnn_malloc(A(g), ci.m * sizeof *v);
        if (!v) return oom(g);
        for (size_t o = 0; o < ci.m; o++)
            v[o] = (sub ? -1.0 : 1.0) * (double)c[count == 1 ? 0 : o];
        oclnn_status s = rewrite_conv(g, &ci, mul ? v : NULL, mul ? NULL : v, ni, n->outputs[0], n->op_type, cnt, ncnt);
        oclnn_free(A(g), v);
        return s;
    }
    return OCLNN_STATUS_OK;
}

/* ---- activations ---- */

/* The fused code and parameters of activation node @p n; NONE when it is not one we fuse. */
static oclnn_activation activation_of(const oclnn_graph *g, const oclnn_ir_node *n, float *alpha, float *beta) {
    *alpha = 0.0f;
    *beta = 0.0f;
    if (n->dead || !default_domain(n)) return OCLNN_ACTIVATION_NONE;
    const char *t = n->op_type;
    if (!strcmp(t, "Relu")) return OCLNN_ACTIVATION_RELU;
    if (!strcmp(t, "Sigmoid")) return OCLNN_ACTIVATION_SIGMOID;
    if (!strcmp(t, "Tanh")) return OCLNN_ACTIVATION_TANH;
    if (!strcmp(t, "HardSwish")) return OCLNN_ACTIVATION_HARD_SWISH;
    if (!strcmp(t, "LeakyRelu")) {
        *alpha = oclnn_ir_attr_float(n, "alpha", 0.01f);
        return OCLNN_ACTIVATION_LEAKY_RELU;
    }
    if (!strcmp(t, "HardSigmoid")) {
        *alpha = oclnn_ir_attr_float(n, "alpha", 0.2f);
        *beta = oclnn_ir_attr_float(n, "beta", 0.5f);
        return OCLNN_ACTIVATION_HARD_SIGMOID;
    }
    if (!strcmp(t, "Clip")) {
        double lo, hi;
        if (!clip_bounds(g, n, &lo, &hi)) return OCLNN_ACTIVATION_NONE;
        *alpha = (float)lo;
        *beta = (float)hi;
        return OCLNN_ACTIVATION_CLIP;
    }
    return OCLNN_ACTIVATION_NONE;
}

static int takes_activation(const oclnn_ir_node *n) {
    static const char *const ops[] = {"Conv", "ConvTranspose", "Gemm", "BatchNormalization",
                                      "Add",  "Sub",           "Mul",  "Div"};
    for (size_t k = 0; k < sizeof ops / sizeof *ops; k++)
        if (is_op(n, ops[k])) return 1;
    return 0;
}

static oclnn_status fuse_activations(oclnn_graph *g) {
    uint32_t *cnt;
    oclnn_status s = oclnn_ir_use_counts(g, &cnt);
    /* Fusing moves a value from one producer to another: use counts stay valid throughout. */
    for (size_t i = 0; i < g->num_nodes && !s; i++) {
        oclnn_ir_node *a = &g->nodes[i];
        float alpha, beta;
        oclnn_activation act = activation_of(g, a, &alpha, &beta);
        if (act == OCLNN_ACTIVATION_NONE || a->num_inputs < 1 || a->num_outputs != 1 || a->outputs[0] < 0) continue;
        int x = a->inputs[0], p = producer(g, x);
        if (p < 0 || !single_use(g, cnt, x)) continue;
        oclnn_ir_node *pn = &g->nodes[p];
        if (!takes_activation(pn) || pn->outputs[0] != x || pn->fuse.activation != OCLNN_ACTIVATION_NONE ||
            pn->fuse.residual == OCLNN_RESIDUAL_AFTER_ACTIVATION)
            continue;
        pn->fuse.activation = act;
        pn->fuse.alpha = alpha;
        pn->fuse.beta = beta;
        a->dead = 1;
        take_output(g, p, x, a->outputs[0]);
        s = append_display(g, p, a->op_type);
    }
    oclnn_free(A(g), cnt);
    return s;
}

/* ---- residual Add into Conv / ConvTranspose ---- */

static int same_known_shape(const oclnn_ir_value *a, const oclnn_ir_value *b) {
    if (!a->has_shape || !b->has_shape || a->ndim != b->ndim || a->dtype != OCLNN_DTYPE_F32 ||
        b->dtype != OCLNN_DTYPE_F32)
        return 0;
    for (size_t d = 0; d < a->ndim; d++)
        if (a->dims[d] < 0 || a->dims[d] != b->dims[d]) return 0;
    return 1;
}

static oclnn_status fuse_residuals(oclnn_graph *g) {
    uint32_t *cnt;
    oclnn_status s = oclnn_ir_use_counts(g, &cnt);
    for (size_t i = 0; i < g->num_nodes && !s; i++) {
        oclnn_ir_node *add = &g->nodes[i];
        if (!is_op(add, "Add") || add->num_inputs != 2 || add->num_outputs != 1 || add->outputs[0] < 0 ||
            add->fuse.residual != OCLNN_RESIDUAL_NONE)
            continue;
        for (int side = 0; side < 2; side++) {
            int x = add->inputs[side], r = add->inputs[1 - side], c = producer(g, x);
            if (c < 0 || r < 0 || r == x || !single_use(g, cnt, x) || g->values[r].kind == OCLNN_IR_CONSTANT ||
                !same_known_shape(&g->values[x], &g->values[r]))
                continue;
            oclnn_ir_node *cv = &g->nodes[c];
            if ((!is_op(cv, "Conv") && !is_op(cv, "ConvTranspose")) || cv->outputs[0] != x || cv->num_inputs > 3 ||
                cv->fuse.residual != OCLNN_RESIDUAL_NONE ||
                (cv->fuse.activation != OCLNN_ACTIVATION_NONE && add->fuse.activation != OCLNN_ACTIVATION_NONE))
                continue;
            /* The runtime's layout: X, W, B padded with -1, then the residual as the last input. */
            s = resize_inputs(g, c, 4);
            if (s) break;
            cv = &g->nodes[c];
            cv->inputs[3] = r;
            if (cv->fuse.activation != OCLNN_ACTIVATION_NONE) {
                cv->fuse.residual = OCLNN_RESIDUAL_AFTER_ACTIVATION;
            } else {
                cv->fuse.residual = OCLNN_RESIDUAL_BEFORE_ACTIVATION;
                cv->fuse.activation = add->fuse.activation;
                cv->fuse.alpha = add->fuse.alpha;
                cv->fuse.beta = add->fuse.beta;
            }
            add->dead = 1;
            take_output(g, c, x, add->outputs[0]);
            s = append_display(g, c, display(add));
            break;
        }
    }
    oclnn_free(A(g), cnt);
    return s;
}

/* ---- entry points ---- */

oclnn_status oclnn_ir_fuse(oclnn_graph *g, const oclnn_runtime_options *options) {
    if (!g) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "fuse: graph is NULL");
    oclnn_status s = remove_identities(g);
    if (!s && (!options || options->fuse)) {
        uint32_t *cnt = NULL;
        s = fuse_hardswish(g);
        if (!s) s = oclnn_ir_use_counts(g, &cnt);
        size_t ncnt = g->num_values;
        /* In topological order, so Conv -> Add(bias) -> BN -> Mul(scale) folds step by step. A fold moves one
         * value from the folded node to the conv and uses nothing new: the counts stay valid. */
        int *order = NULL;
        size_t count = 0;
        if (!s) s = oclnn_ir_topo_order(g, &order, &count);
        for (size_t k = 0; k < count && !s; k++) {
            int i = order[k];
            if (is_op(&g->nodes[i], "BatchNormalization"))
                s = fold_bn(g, i, cnt, ncnt);
            else
                s = fold_affine(g, i, cnt, ncnt);
        }
        oclnn_free(A(g), order);
        oclnn_free(A(g), cnt);
        /* activations first, so that Conv->Relu->Add is seen as a residual after the activation and Conv->Add->Relu
         * brings the Add's fused activation along */
        if (!s) s = fuse_activations(g);
        if (!s) s = fuse_residuals(g);
    }
    if (!s) s = oclnn_ir_remove_dead(g);
    return s;
}

oclnn_status oclnn_ir_remove_dead(oclnn_graph *g) {
    if (!g) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "remove_dead: graph is NULL");
    int *order;
    size_t count;
    oclnn_status s = oclnn_ir_topo_order(g, &order, &count);
    if (s) return s;
    unsigned char *needed = oclnn_calloc(A(g), g->num_values ? g->num_values : 1, 1);
    if (!needed) {
        oclnn_free(A(g), order);
        return oom(g);
    }
    for (size_t k = 0; k < g->num_outputs; k++)
        needed[g->outputs[k]] = 1;
    /* Reverse topological order: every consumer is decided before its producers. */
    for (size_t k = count; k-- > 0;) {
        oclnn_ir_node *n = &g->nodes[order[k]];
        int live = 0;
        for (size_t o = 0; o < n->num_outputs; o++)
            if (n->outputs[o] >= 0 && needed[n->outputs[o]]) live = 1;
        if (!live) {
            n->dead = 1;
            continue;
        }
        for (size_t i = 0; i < n->num_inputs; i++)
            if (n->inputs[i] >= 0) needed[n->inputs[i]] = 1;
    }
    oclnn_free(A(g), needed);
    oclnn_free(A(g), order);
    return OCLNN_STATUS_OK;
}
