/* runtime.c - compiles a graph into steps (one per live node, in topological order), plans activation memory in
 * one arena (plan.c) with zero-copy channel concats, schedules independent branches on several in-order queues
 * joined by events, and runs it. Shapes can change (oclnn_runtime_reshape) without recompiling any kernel.
 */
#include <stdio.h>
#include <string.h>

#include "graph/plan.h"
#include "graph/rt_op.h"
#include "graph/rt_util.h"

#define A(rt) ((rt)->ctx->alloc)
#define E(rt) (&(rt)->ctx->err)

struct oclnn_runtime {
    oclnn_context *ctx;
    oclnn_runtime_options opt;
    oclnn_graph *g;   /* the compiled graph (a copy: the runtime does not depend on the caller's) */
    oclnn_graph *src; /* the graph before the passes, kept when folding used input shapes (re-folded at reshape) */
    size_t num_steps;
    oclnn_rt_step *steps;
    int *step_of_node; /* node -> step index, -1 for dead nodes */
    /* scheduling (fixed at create) */
    uint32_t num_queues;
    uint32_t *queue; /* per step */
    int **waits;     /* per step: steps on other queues to wait for (-1 terminated), NULL when none */
    uint8_t *signal; /* per step: another queue waits for it: record an event after it */
    uint64_t *hb;    /* happens-before bitsets, num_steps x hb_words */
    size_t hb_words;
    /* per value (re-made at every prepare) */
    int *root;           /* the value whose buffer holds it, -1 for constants and unused values */
    uint32_t *chan_off;  /* channel offset inside the root (zero-copy concat) */
    size_t *byte_off;    /* contiguous byte offset inside the root (aliases, batch-1 concat slices) */
    uint8_t *is_slice;   /* a channel slice of a zero-copy concat's buffer (or an alias of one) */
    oclnn_tensor **vt;   /* bound tensor per value (views), NULL when none */
    oclnn_tensor **own;  /* graph inputs' and outputs' own buffers */
    uint64_t *arena_off; /* per root in the arena */
    oclnn_tensor *arena;
    cl_mem *ws;        /* per queue and slot (num_queues x OCLNN_RT_WS_SLOTS): scratch the steps share, grow-only */
    size_t *ws_bytes;
    uint8_t *view_concat; /* per step: a concat whose producers wrote in place (no kernel) */
    uint8_t *alias_copy;  /* per step: an alias whose output is a graph output (a buffer copy) */
    uint64_t *time_ns;
    oclnn_runtime_stats stats;
    uint64_t align;
    int dirty; /* input shapes changed: re-infer, reshape, re-plan, re-setup before the next use */
    /* Weights fed as graph inputs (see "weight inputs" below): g keeps them as inputs, nothing else is compiled
     * here; inner is the runtime compiled with their current data as constants. */
    int weight_mode;
    uint8_t *is_weight;  /* per value of g: a graph input that an op reads on the host (weights, scales, ...) */
    void **host;         /* per value of g: the last data set_input gave (weights, and inputs for a recompile) */
    size_t *host_bytes;
    int recompile;       /* a weight input's data or an input's shape changed since inner was compiled */
    oclnn_runtime *inner;
};

void oclnn_runtime_options_init(oclnn_runtime_options *o) {
    if (!o) return;
    memset(o, 0, sizeof *o);
    o->num_queues = 1;
    o->fuse = 1;
    o->concat_views = 1;
}

static oclnn_status oom(oclnn_runtime *rt) {
    return oclnn_fail(E(rt), OCLNN_STATUS_OUT_OF_HOST_MEMORY, "runtime: out of host memory");
}

static int hb_has(const oclnn_runtime *rt, size_t s, size_t t) {
    return (rt->hb[s * rt->hb_words + t / 64] >> (t % 64)) & 1;
}

/* ---- teardown ---- */

static void unbind(oclnn_runtime *rt) {
    if (!rt->vt) return;
    for (size_t v = 0; v < rt->g->num_values; v++) {
        oclnn_tensor_destroy(rt->vt[v]);
        rt->vt[v] = NULL;
    }
}

void oclnn_runtime_destroy(oclnn_runtime *rt) {
    if (!rt) return;
    oclnn_runtime_destroy(rt->inner);
    if (rt->host && rt->g)
        for (size_t v = 0; v < rt->g->num_values; v++)
            oclnn_free(A(rt), rt->host[v]);
    oclnn_free(A(rt), rt->host);
    oclnn_free(A(rt), rt->host_bytes);
    oclnn_free(A(rt), rt->is_weight);
    unbind(rt);
    /* newest first: POCL keeps a program's kernels in a list with the newest at its head, so releasing them in
     * creation order costs O(kernels) each, quadratic for a 100,000-node chain */
    for (size_t i = rt->num_steps; i-- > 0;) {
        if (rt->steps[i].vt && rt->steps[i].vt->destroy) rt->steps[i].vt->destroy(&rt->steps[i]);
        if (rt->waits) oclnn_free(A(rt), rt->waits[i]);
    }
    if (rt->own && rt->g)
        for (size_t v = 0; v < rt->g->num_values; v++)
            oclnn_tensor_destroy(rt->own[v]);
    oclnn_tensor_destroy(rt->arena);
    for (size_t i = 0; rt->ws && i < (size_t)rt->num_queues * OCLNN_RT_WS_SLOTS; i++)
        if (rt->ws[i]) clw_ReleaseMemObject(rt->ws[i]);
    oclnn_free(A(rt), rt->ws);
    oclnn_free(A(rt), rt->ws_bytes);
    oclnn_free(A(rt), rt->steps);
    oclnn_free(A(rt), rt->step_of_node);
    oclnn_free(A(rt), rt->queue);
    oclnn_free(A(rt), rt->waits);
    oclnn_free(A(rt), rt->signal);
    oclnn_free(A(rt), rt->hb);
    oclnn_free(A(rt), rt->root);
    oclnn_free(A(rt), rt->chan_off);
    oclnn_free(A(rt), rt->byte_off);
    oclnn_free(A(rt), rt->is_slice);
    oclnn_free(A(rt), rt->vt);
    oclnn_free(A(rt), rt->own);
    oclnn_free(A(rt), rt->arena_off);
    oclnn_free(A(rt), rt->view_concat);
    oclnn_free(A(rt), rt->alias_copy);
    oclnn_free(A(rt), rt->time_ns);
    oclnn_ir_destroy(rt->g);
    oclnn_ir_destroy(rt->src);
    oclnn_free(A(rt), rt);
}

/* ---- compile: checks, passes, steps ---- */

static oclnn_status check_graph(oclnn_runtime *rt) {
    const oclnn_graph *g = rt->g;
    oclnn_status st = rt_check_attrs(g); /* before any pass reads an attribute */
    if (st) return st;
    for (size_t i = 0; i < g->num_nodes; i++) {
        const oclnn_ir_node *n = &g->nodes[i];
        if (n->dead) continue;
        for (size_t k = 0; k < n->num_inputs; k++) {
            int v = n->inputs[k];
            if (v < 0) continue;
            const oclnn_ir_value *val = &g->values[v];
            if (val->kind == OCLNN_IR_INTERMEDIATE && (val->producer < 0 || g->nodes[val->producer].dead))
                return oclnn_fail(E(rt), OCLNN_STATUS_INVALID_MODEL,
                                  "node '%s' (%s): input '%s' is never produced (not a graph input, a constant or a "
                                  "node's output)",
                                  n->name, n->op_type, val->name);
        }
    }
    if (!g->num_outputs) return oclnn_fail(E(rt), OCLNN_STATUS_INVALID_MODEL, "runtime: the graph has no outputs");
    for (size_t i = 0; i < g->num_outputs; i++) {
        const oclnn_ir_value *val = &g->values[g->outputs[i]];
        if (val->kind == OCLNN_IR_INTERMEDIATE && (val->producer < 0 || g->nodes[val->producer].dead))
            return oclnn_fail(E(rt), OCLNN_STATUS_INVALID_MODEL, "runtime: graph output '%s' is never produced",
                              val->name);
        if (val->kind == OCLNN_IR_CONSTANT)
            return oclnn_fail(E(rt), OCLNN_STATUS_UNSUPPORTED, "runtime: graph output '%s' is a constant", val->name);
    }
    for (size_t i = 0; i < g->num_inputs; i++) {
        const oclnn_ir_value *val = &g->values[g->inputs[i]];
        for (size_t d = 0; d < val->ndim; d++)
            if (val->dims[d] < 1)
                return oclnn_fail(E(rt), OCLNN_STATUS_INVALID_SHAPE,
                                  "runtime: input '%s' has dim %zu = %lld: every input dim must be known (>= 1) at "
                                  "create (oclnn_graph_fix_input)",
                                  val->name, d, (long long)val->dims[d]);
        if (val->dtype != OCLNN_DTYPE_F32)
            return oclnn_fail(E(rt), OCLNN_STATUS_UNSUPPORTED, "runtime: input '%s' is not float32", val->name);
        oclnn_status s = rt_check_tensor(g, NULL, val);
        if (s) return s;
    }
    return OCLNN_STATUS_OK;
}

/* Infers shapes and folds until nothing changes; *folded tells whether anything was folded. */
static oclnn_status infer_fold(oclnn_graph *g, int *folded) {
    *folded = 0;
    for (int round = 0; round < 1000; round++) {
        oclnn_status s = oclnn_ir_infer_shapes_ex(g, 0);
        if (s) return s;
        int changed = 0;
        if ((s = oclnn_ir_fold_constants(g, &changed))) return s;
        if (!changed) return OCLNN_STATUS_OK;
        *folded = 1;
    }
    return OCLNN_STATUS_OK;
}

/* The passes after folding: fusion, dead nodes, final shapes. */
static oclnn_status fuse_passes(oclnn_runtime *rt, oclnn_graph *g) {
    oclnn_status s = oclnn_ir_fuse(g, &rt->opt);
    if (!s) s = oclnn_ir_remove_dead(g);
    if (!s) s = oclnn_ir_infer_shapes(g);
    return s;
}

/* The passes a runtime runs on a fresh copy of the graph. */
static oclnn_status run_passes(oclnn_runtime *rt, oclnn_graph *g, int *folded) {
    oclnn_status s = infer_fold(g, folded);
    return s ? s : fuse_passes(rt, g);
}

/* Every value a live node reads or writes has a known shape, within device tensor limits. */
static oclnn_status check_shapes(oclnn_runtime *rt) {
    const oclnn_graph *g = rt->g;
    for (size_t i = 0; i < g->num_inputs; i++) {
        oclnn_status s = rt_check_tensor(g, NULL, &g->values[g->inputs[i]]);
        if (s) return s;
    }
    for (size_t i = 0; i < g->num_nodes; i++) {
        const oclnn_ir_node *n = &g->nodes[i];
        if (n->dead) continue;
        for (size_t k = 0; k < n->num_outputs; k++) {
            const oclnn_ir_value *v = rt_out(g, n, k);
            if (!v) continue;
            if (!v->has_shape || !oclnn_ir_numel(v))
                return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE,
                               "the shape of output '%s' could not be inferred or "
                               "is empty",
                               v->name);
            if (v->ndim > OCLNN_MAX_DIMS)
                return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "output '%s' has %zu dims (at most %d)", v->name,
                               v->ndim, OCLNN_MAX_DIMS);
        }
    }
    return OCLNN_STATUS_OK;
}

/* The steps whose outputs step s reads (each once), in input order. */
static size_t step_preds(const oclnn_runtime *rt, size_t s, int *preds) {
    const oclnn_graph *g = rt->g;
    const oclnn_ir_node *n = &g->nodes[rt->steps[s].node];
    size_t np = 0;
    for (size_t k = 0; k < n->num_inputs; k++) {
        int v = n->inputs[k];
        if (v < 0 || g->values[v].producer < 0) continue;
        int p = rt->step_of_node[g->values[v].producer];
        int dup = 0;
        for (size_t j = 0; j < np; j++)
            dup |= preds[j] == p;
        if (!dup && p >= 0) preds[np++] = p;
    }
    return np;
}

/* Queues: a step continues the queue of its first producer that no other step continued yet; otherwise (a second
 * branch leaving a split point) it takes the next queue round robin. Cross-queue producers are waited for with
 * events. hb[s] = the steps certainly complete when s starts (its producers, the earlier steps of its queue, and
 * transitively what they waited for): the memory plan keeps buffers apart unless hb orders their uses. */
static oclnn_status schedule(oclnn_runtime *rt) {
    size_t ns = rt->num_steps;
    /* hb takes ns^2 bits: beyond 32768 steps (128 MiB) the graph runs on one queue, which needs no hb at all (a
     * 100,000-node chain must not cost gigabytes) */
    if (ns > 32768) rt->num_queues = 1;
    rt->hb_words = (ns + 63) / 64 ? (ns + 63) / 64 : 1;
    rt->queue = oclnn_calloc(A(rt), ns ? ns : 1, sizeof *rt->queue);
    rt->waits = oclnn_calloc(A(rt), ns ? ns : 1, sizeof *rt->waits);
    rt->signal = oclnn_calloc(A(rt), ns ? ns : 1, 1);
    if (rt->num_queues == 1) {
        /* one in-order queue orders everything: no events, no waits */
        if (!rt->queue || !rt->waits || !rt->signal) return oom(rt);
        return OCLNN_STATUS_OK;
    }
    rt->hb = oclnn_calloc(A(rt), (ns ? ns : 1) * rt->hb_words, sizeof *rt->hb);
    uint8_t *continued = oclnn_calloc(A(rt), ns ? ns : 1, 1);
    int *last_on = oclnn_malloc(A(rt), rt->num_queues * sizeof *last_on);
    int preds[OCLNN_RT_MAX_IO];
    if (!rt->queue || !rt->waits || !rt->signal || !rt->hb || !continued || !last_on) {
        oclnn_free(A(rt), continued);
        oclnn_free(A(rt), last_on);
        return oom(rt);
    }
    for (uint32_t q = 0; q < rt->num_queues; q++)
        last_on[q] = -1;
    uint32_t rr = 0;
    int source_continued = 0;
    oclnn_status st = OCLNN_STATUS_OK;
    for (size_t s = 0; s < ns && !st; s++) {
        size_t np = step_preds(rt, s, preds);
        uint32_t q = 0;
        int found = 0;
        for (size_t j = 0; j < np && !found; j++)
            if (!continued[preds[j]]) {
                q = rt->queue[preds[j]];
                continued[preds[j]] = 1;
                found = 1;
            }
        /* steps that read only graph inputs branch from a virtual source step on queue 0 */
        if (!found && !np && !source_continued) {
            source_continued = 1;
            found = 1;
        }
        if (!found && rt->num_queues > 1) {
            rr = (rr + 1) % rt->num_queues;
            q = rr;
        }
        rt->queue[s] = q;
        uint64_t *h = rt->hb + s * rt->hb_words;
        int prev = last_on[q];
        if (prev >= 0) {
            const uint64_t *hp = rt->hb + (size_t)prev * rt->hb_words;
            for (size_t w = 0; w < rt->hb_words; w++)
                h[w] |= hp[w];
            h[prev / 64] |= 1ull << (prev % 64);
        }
        size_t nw = 0;
        int waits[OCLNN_RT_MAX_IO];
        for (size_t j = 0; j < np; j++) {
            int p = preds[j];
            if (!((h[p / 64] >> (p % 64)) & 1)) {
                waits[nw++] = p; /* not ordered yet: another queue's step */
                rt->signal[p] = 1;
            }
            const uint64_t *hp = rt->hb + (size_t)p * rt->hb_words;
            for (size_t w = 0; w < rt->hb_words; w++)
                h[w] |= hp[w];
            h[p / 64] |= 1ull << (p % 64);
        }
        if (nw) {
            rt->waits[s] = oclnn_malloc(A(rt), (nw + 1) * sizeof(int));
            if (!rt->waits[s])
                st = oom(rt);
            else {
                memcpy(rt->waits[s], waits, nw * sizeof(int));
                rt->waits[s][nw] = -1;
            }
        }
        last_on[q] = (int)s;
    }
    oclnn_free(A(rt), continued);
    oclnn_free(A(rt), last_on);
    return st;
}

/* Input slots whose constant data an op reads only when it is created (it packs or uploads them then): weights,
 * biases, normalisation parameters. Shape-like constants (Reshape's shape, Resize's scales, Pad's pads...) are read
 * again when shapes change, so they are not listed. */
static int read_at_create_only(const char *op, size_t k) {
    static const struct {
        const char *op;
        uint32_t mask;
    } t[] = {{"Conv", 0x6}, {"ConvTranspose", 0x6}, {"BatchNormalization", 0x1e}, {"PRelu", 0x2},
             {"Gemm", 0x7}, {"MatMul", 0x3}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(t[i].op, op)) return k < 32 && ((t[i].mask >> k) & 1);
    return 0;
}

/* Per value of rt->g: how many live (node, input slot) uses read it only at create, or UINT32_MAX when another use
 * reads it later (or it is not a constant). */
static oclnn_status create_only_uses(oclnn_runtime *rt, uint32_t **out) {
    oclnn_graph *g = rt->g;
    uint32_t *c = oclnn_calloc(A(rt), g->num_values ? g->num_values : 1, sizeof *c);
    if (!c) return oom(rt);
    for (size_t v = 0; v < g->num_values; v++)
        if (g->values[v].kind != OCLNN_IR_CONSTANT || g->values[v].is_output) c[v] = UINT32_MAX;
    for (size_t i = 0; i < g->num_nodes; i++) {
        const oclnn_ir_node *n = &g->nodes[i];
        if (n->dead) continue;
        for (size_t k = 0; k < n->num_inputs; k++) {
            int v = n->inputs[k];
            if (v < 0 || c[v] == UINT32_MAX) continue;
            c[v] = read_at_create_only(n->op_type, k) ? c[v] + 1 : UINT32_MAX;
        }
    }
    *out = c;
    return OCLNN_STATUS_OK;
}

/* Drops the runtime's reference to the host bytes of constants that every live reader has packed into its own
 * device buffers at create: the graph the runtime was made from keeps its copy (shared, ir.h) unless it was handed
 * over (oclnn_runtime_create_consume), and once it is gone the weights live only on the device. */
static oclnn_status drop_packed_constants(oclnn_runtime *rt) {
    uint32_t *c;
    oclnn_status s = create_only_uses(rt, &c);
    if (s) return s;
    for (size_t v = 0; v < rt->g->num_values; v++)
        if (c[v] != UINT32_MAX) oclnn_ir_drop_data(rt->g, (int)v);
    oclnn_free(A(rt), c);
    return OCLNN_STATUS_OK;
}

/* Creates one step per live node in topological order. A constant that only creates read is dropped as soon as its
 * last reader has packed it, so the host copies shrink while the device copies grow (peak memory). */
static oclnn_status build_steps(oclnn_runtime *rt) {
    oclnn_graph *g = rt->g;
    int *order;
    size_t count;
    uint32_t *left;
    oclnn_status s = create_only_uses(rt, &left);
    if (s) return s;
    for (size_t v = 0; v < g->num_values; v++) /* no live reader: weights the passes replaced (BN folding) */
        if (!left[v]) oclnn_ir_drop_data(g, (int)v);
    s = oclnn_ir_topo_order(g, &order, &count);
    if (s) {
        oclnn_free(A(rt), left);
        return s;
    }
    rt->steps = oclnn_calloc(A(rt), count ? count : 1, sizeof *rt->steps);
    rt->step_of_node = oclnn_malloc(A(rt), (g->num_nodes ? g->num_nodes : 1) * sizeof(int));
    if (!rt->steps || !rt->step_of_node) {
        oclnn_free(A(rt), order);
        oclnn_free(A(rt), left);
        return oom(rt);
    }
    for (size_t i = 0; i < g->num_nodes; i++)
        rt->step_of_node[i] = -1;
    for (size_t i = 0; i < count; i++) {
        const oclnn_ir_node *n = &g->nodes[order[i]];
        oclnn_rt_step *st = &rt->steps[i];
        st->ctx = rt->ctx;
        st->node = order[i];
        st->algo = "";
        rt->step_of_node[order[i]] = (int)i;
        const oclnn_rt_op *vt = n->domain[0] && strcmp(n->domain, "ai.onnx") ? NULL : oclnn_rt_op_find(n->op_type);
        if (!vt) {
            s = rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "operator not supported");
            break;
        }
        if (n->num_inputs > OCLNN_RT_MAX_IO || n->num_outputs > OCLNN_RT_MAX_IO) {
            s = rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "more than %d inputs or outputs", OCLNN_RT_MAX_IO);
            break;
        }
        rt->num_steps = i + 1; /* counted now so that destroy releases a half-made step */
        st->vt = vt;
        st->is_alias = vt->alias_output;
        if ((s = vt->create(st, g, n))) break;
        for (size_t k = 0; k < n->num_inputs; k++) {
            int v = n->inputs[k];
            if (v >= 0 && left[v] != UINT32_MAX && left[v] && !--left[v]) oclnn_ir_drop_data(g, v);
        }
    }
    oclnn_free(A(rt), order);
    oclnn_free(A(rt), left);
    return s;
}

/* The longest chain of steps (steps are in topological order, so one forward sweep), against max_depth. */
static oclnn_status check_depth(oclnn_runtime *rt) {
    size_t ns = rt->num_steps;
    uint32_t *depth = oclnn_malloc(A(rt), (ns ? ns : 1) * sizeof *depth);
    if (!depth) return oom(rt);
    int preds[OCLNN_RT_MAX_IO];
    oclnn_status s = OCLNN_STATUS_OK;
    for (size_t i = 0; i < ns && !s; i++) {
        size_t np = step_preds(rt, i, preds);
        uint32_t d = 0;
        for (size_t j = 0; j < np; j++)
            if (depth[preds[j]] > d) d = depth[preds[j]];
        depth[i] = d + 1;
        if (depth[i] > rt->ctx->limits.max_depth)
            s = rt_fail(rt->g, &rt->g->nodes[rt->steps[i].node], OCLNN_STATUS_LIMIT_EXCEEDED,
                        "it is %u nodes deep; the depth limit (max_depth, OCLNN_MAX_DEPTH) is %llu", depth[i],
                        (unsigned long long)rt->ctx->limits.max_depth);
    }
    oclnn_free(A(rt), depth);
    return s;
}

/* ---- prepare: shapes, views, memory plan, binding, setup ---- */

static uint64_t value_bytes(const oclnn_ir_value *v) { return oclnn_ir_numel(v) * oclnn_dtype_size(v->dtype); }

/* Whether step s writes output k into a channel slice of a larger tensor. */
static int step_can_view(const oclnn_runtime *rt, size_t s, size_t k) {
    const oclnn_rt_step *st = &rt->steps[s];
    const oclnn_ir_node *n = &rt->g->nodes[st->node];
    if (!(st->vt->out_view_mask >> k & 1)) return 0;
    /* a chain of binaries (Sum of 3) runs its later links in place on the output, which a slice does not allow;
     * one input is a plain copy */
    static const char *const binaries[] = {"Add", "Sub", "Mul", "Div", "Max", "Min", "Sum"};
    for (size_t i = 0; i < sizeof binaries / sizeof *binaries; i++)
        if (!strcmp(n->op_type, binaries[i])) return n->num_inputs == 2;
    return 1;
}

/* Decides which channel concats are zero-copy: root/chan_off of their inputs point into the concat's buffer
 * (or, for DenseNet's growing concats, into the buffer of the longest concat that extends their input list). */
static void plan_views(oclnn_runtime *rt, uint32_t *uses) {
    const oclnn_graph *g = rt->g;
    size_t ns = rt->num_steps;
    memset(rt->view_concat, 0, ns ? ns : 1);
    if (!rt->opt.concat_views) return;
    /* candidates */
    for (size_t s = 0; s < ns; s++) {
        const oclnn_ir_node *n = &g->nodes[rt->steps[s].node];
        if (strcmp(n->op_type, "Concat")) continue;
        const oclnn_ir_value *y = rt_out(g, n, 0);
        int64_t axis = oclnn_ir_attr_int(n, "axis", 0);
        if (!y || y->ndim != 4 || (axis < 0 ? axis + 4 : axis) != 1) continue;
        int ok = 1;
        for (size_t k = 0; k < n->num_inputs && ok; k++) {
            int v = n->inputs[k];
            if (v < 0) {
                ok = 0;
                break;
            }
            const oclnn_ir_value *x = &g->values[v];
            if (x->kind != OCLNN_IR_INTERMEDIATE || x->is_output || x->dtype != OCLNN_DTYPE_F32) {
                ok = 0;
                break;
            }
            int ps = rt->step_of_node[x->producer];
            const oclnn_ir_node *pn = &g->nodes[x->producer];
            size_t pk = 0;
            while (pk < pn->num_outputs && pn->outputs[pk] != v)
                pk++;
            if (ps < 0 || !step_can_view(rt, (size_t)ps, pk)) ok = 0;
            for (size_t j = 0; j < k && ok; j++)
                ok = n->inputs[j] != v;
            /* at batch > 1 a slice is not contiguous: only the concat may read it */
            if (y->dims[0] != 1 && uses[v] != 1) ok = 0;
        }
        rt->view_concat[s] = (uint8_t)ok;
    }
    /* the chain root of each candidate: the candidate with the most inputs whose list starts with its list */
    int *croot = oclnn_malloc(A(rt), (ns ? ns : 1) * sizeof *croot);
    if (!croot) {
        memset(rt->view_concat, 0, ns ? ns : 1);
        return;
    }
    for (size_t s = 0; s < ns; s++) {
        croot[s] = (int)s;
        if (!rt->view_concat[s]) continue;
        const oclnn_ir_node *n = &g->nodes[rt->steps[s].node];
        /* a member's output is a prefix of the root's buffer: contiguous at batch 1 only, and not a graph output
         * (those have buffers of their own) */
        if (g->values[n->outputs[0]].dims[0] != 1 || g->values[n->outputs[0]].is_output) continue;
        for (size_t t = 0; t < ns; t++) {
            if (t == s || !rt->view_concat[t]) continue;
            const oclnn_ir_node *m = &g->nodes[rt->steps[t].node];
            const oclnn_ir_node *best = &g->nodes[rt->steps[croot[s]].node];
            if (m->num_inputs <= n->num_inputs || m->num_inputs <= best->num_inputs) continue;
            if (!memcmp(m->inputs, n->inputs, n->num_inputs * sizeof(int))) croot[s] = (int)t;
        }
    }
    /* claims: roots first (a member is only a view if its root is), conflicting claims make a concat a copy */
    for (int pass = 0; pass < 2; pass++)
        for (size_t s = 0; s < ns; s++) {
            if (!rt->view_concat[s] || (croot[s] == (int)s) != (pass == 0)) continue;
            if (pass == 1 && !rt->view_concat[croot[s]]) {
                rt->view_concat[s] = 0;
                continue;
            }
            const oclnn_ir_node *n = &g->nodes[rt->steps[s].node];
            int r = g->nodes[rt->steps[croot[s]].node].outputs[0];
            int ok = 1;
            uint32_t off = 0;
            for (size_t k = 0; k < n->num_inputs && ok; k++) {
                int v = n->inputs[k];
                if (rt->root[v] != v && (rt->root[v] != r || rt->chan_off[v] != off)) ok = 0;
                off += (uint32_t)g->values[v].dims[1];
            }
            if (!ok) {
                rt->view_concat[s] = 0;
                continue;
            }
            off = 0;
            const oclnn_ir_value *y = &g->values[n->outputs[0]];
            size_t plane = (size_t)(y->dims[2] * y->dims[3]) * sizeof(float);
            for (size_t k = 0; k < n->num_inputs; k++) {
                int v = n->inputs[k];
                rt->root[v] = r;
                rt->chan_off[v] = off;
                rt->byte_off[v] = off * plane;
                rt->is_slice[v] = 1;
                off += (uint32_t)g->values[v].dims[1];
            }
            int yv = n->outputs[0];
            rt->root[yv] = r;
            rt->chan_off[yv] = 0;
            rt->byte_off[yv] = 0;
            rt->is_slice[yv] = yv != r;
        }
    oclnn_free(A(rt), croot);
}

static oclnn_status dev_dims_of(oclnn_runtime *rt, const oclnn_ir_value *v, size_t *nd, int64_t *d) {
    if (v->ndim > OCLNN_MAX_DIMS)
        return oclnn_fail(E(rt), OCLNN_STATUS_UNSUPPORTED, "runtime: '%s' has %zu dims (at most %d)", v->name, v->ndim,
                          OCLNN_MAX_DIMS);
    *nd = v->ndim ? v->ndim : 1;
    d[0] = 1;
    for (size_t i = 0; i < v->ndim; i++)
        d[i] = v->dims[i];
    return OCLNN_STATUS_OK;
}

/* Own buffers for graph inputs and outputs, re-made when their size changes. */
static oclnn_status own_buffers(oclnn_runtime *rt) {
    oclnn_graph *g = rt->g;
    for (size_t v = 0; v < g->num_values; v++) {
        const oclnn_ir_value *val = &g->values[v];
        int need = (val->kind == OCLNN_IR_INPUT) || (val->is_output && val->kind == OCLNN_IR_INTERMEDIATE);
        if (!need) continue;
        size_t nd = 0;
        int64_t d[OCLNN_MAX_DIMS];
        oclnn_status s = dev_dims_of(rt, val, &nd, d);
        if (s) return s;
        if (rt->own[v]) {
            if (oclnn_tensor_nbytes(rt->own[v]) == value_bytes(val) && rt->own[v]->ndim == nd &&
                !memcmp(rt->own[v]->dims, d, nd * sizeof *d))
                continue;
            oclnn_tensor_destroy(rt->own[v]);
            rt->own[v] = NULL;
        }
        if ((s = oclnn_tensor_create(rt->ctx, val->dtype, nd, d, &rt->own[v]))) return s;
    }
    return OCLNN_STATUS_OK;
}

static oclnn_status plan_memory(oclnn_runtime *rt) {
    oclnn_graph *g = rt->g;
    size_t nv = g->num_values, ns = rt->num_steps;
    uint32_t *uses;
    oclnn_status s = oclnn_ir_use_counts(g, &uses);
    if (s) return s;
    for (size_t v = 0; v < nv; v++) {
        const oclnn_ir_value *val = &g->values[v];
        rt->root[v] = val->kind == OCLNN_IR_CONSTANT ? -1 : (int)v;
        rt->chan_off[v] = 0;
        rt->byte_off[v] = 0;
        rt->is_slice[v] = 0;
    }
    plan_views(rt, uses);
    /* aliases share their input's buffer, unless the output must be a buffer of its own (a graph output) */
    memset(rt->alias_copy, 0, ns ? ns : 1);
    for (size_t i = 0; i < ns; i++) {
        const oclnn_ir_node *n = &g->nodes[rt->steps[i].node];
        if (!rt->steps[i].is_alias) continue;
        int x = n->inputs[0], y = n->outputs[0];
        if (x < 0 || g->values[x].kind == OCLNN_IR_CONSTANT) {
            oclnn_free(A(rt), uses);
            return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "an alias of a constant is not supported");
        }
        if (g->values[y].is_output) {
            rt->alias_copy[i] = 1;
            continue;
        }
        rt->root[y] = rt->root[x];
        rt->chan_off[y] = rt->chan_off[x];
        rt->byte_off[y] = rt->byte_off[x];
        rt->is_slice[y] = rt->is_slice[x];
    }
    /* live intervals of the arena roots: every step that writes or reads a value held in them */
    uint32_t *first = oclnn_malloc(A(rt), (nv ? nv : 1) * sizeof *first);
    uint32_t *last = oclnn_malloc(A(rt), (nv ? nv : 1) * sizeof *last);
    int *slot = oclnn_malloc(A(rt), (nv ? nv : 1) * sizeof *slot);
    oclnn_plan_buf *bufs = oclnn_calloc(A(rt), nv ? nv : 1, sizeof *bufs);
    if (!first || !last || !slot || !bufs) {
        s = oom(rt);
        goto out;
    }
    for (size_t v = 0; v < nv; v++)
        first[v] = UINT32_MAX, last[v] = 0, slot[v] = -1;
    uint64_t naive = 0;
    for (size_t i = 0; i < ns; i++) {
        const oclnn_ir_node *n = &g->nodes[rt->steps[i].node];
        for (size_t pass = 0; pass < 2; pass++) {
            size_t cnt = pass ? n->num_outputs : n->num_inputs;
            for (size_t k = 0; k < cnt; k++) {
                int v = pass ? n->outputs[k] : n->inputs[k];
                if (v < 0 || rt->root[v] < 0) continue;
                int r = rt->root[v];
                if (first[r] == UINT32_MAX || first[r] > i) first[r] = (uint32_t)i;
                if (last[r] < i) last[r] = (uint32_t)i;
                if (pass && !rt->steps[i].is_alias && !g->values[v].is_output) naive += value_bytes(&g->values[v]);
            }
        }
    }
    /* with several queues a buffer stays live until every step that might run beside its users has finished:
     * up to the last step whose happens-before set misses one of them */
    size_t nb = 0;
    uint64_t lb = 0;
    int users[4 * OCLNN_RT_MAX_IO];
    for (size_t r = 0; r < nv; r++) {
        if (first[r] == UINT32_MAX || rt->root[r] != (int)r) continue;
        const oclnn_ir_value *val = &g->values[r];
        if (val->kind != OCLNN_IR_INTERMEDIATE || val->is_output) continue;
        uint32_t end = last[r];
        if (rt->num_queues > 1) {
            /* the steps that touch a value held in r; too many to list: treat every step of the interval as one */
            size_t nu = 0;
            for (size_t u = first[r]; u <= last[r]; u++) {
                const oclnn_ir_node *n = &g->nodes[rt->steps[u].node];
                int touches = 0;
                for (size_t k = 0; k < n->num_inputs && !touches; k++)
                    touches = n->inputs[k] >= 0 && rt->root[n->inputs[k]] == (int)r;
                for (size_t k = 0; k < n->num_outputs && !touches; k++)
                    touches = n->outputs[k] >= 0 && rt->root[n->outputs[k]] == (int)r;
                if (!touches) continue;
                if (nu == sizeof users / sizeof *users) {
                    nu = SIZE_MAX;
                    break;
                }
                users[nu++] = (int)u;
            }
            for (size_t w = ns - 1; w > last[r]; w--) {
                int missing = 0;
                if (nu == SIZE_MAX)
                    for (size_t u = first[r]; u <= last[r] && !missing; u++)
                        missing = !hb_has(rt, w, u);
                else
                    for (size_t j = 0; j < nu && !missing; j++)
                        missing = !hb_has(rt, w, (size_t)users[j]);
                if (missing) {
                    end = (uint32_t)w;
                    break;
                }
            }
        }
        bufs[nb].size = value_bytes(val);
        bufs[nb].first = first[r];
        bufs[nb].last = end;
        slot[r] = (int)nb++;
    }
    uint64_t arena;
    if ((s = oclnn_plan_arena(A(rt), E(rt), bufs, nb, rt->align, &arena, &lb))) goto out;
    if (arena > rt->ctx->limits.max_arena_bytes) {
        s = oclnn_fail(E(rt), OCLNN_STATUS_LIMIT_EXCEEDED,
                       "runtime: the activation arena needs %llu bytes; the arena limit (max_arena_bytes, "
                       "OCLNN_MAX_ARENA_MB) is %llu",
                       (unsigned long long)arena, (unsigned long long)rt->ctx->limits.max_arena_bytes);
        goto out;
    }
    for (size_t r = 0; r < nv; r++)
        rt->arena_off[r] = slot[r] >= 0 ? bufs[slot[r]].offset : 0;
    if (!rt->arena || oclnn_tensor_nbytes(rt->arena) != arena) {
        oclnn_tensor_destroy(rt->arena);
        rt->arena = NULL;
        if (arena) {
            int64_t d = (int64_t)(arena / sizeof(float));
            if ((s = oclnn_tensor_create(rt->ctx, OCLNN_DTYPE_F32, 1, &d, &rt->arena))) goto out;
        }
    }
    rt->stats.arena_bytes = arena;
    rt->stats.naive_bytes = naive;
    rt->stats.lower_bound_bytes = lb;
out:
    oclnn_free(A(rt), uses);
    oclnn_free(A(rt), first);
    oclnn_free(A(rt), last);
    oclnn_free(A(rt), slot);
    oclnn_free(A(rt), bufs);
    return s;
}

/* The tensor of root r (the arena view or the own buffer). */
static oclnn_tensor *root_tensor(oclnn_runtime *rt, int r) { return rt->own[r] ? rt->own[r] : rt->vt[r]; }

static oclnn_status bind(oclnn_runtime *rt) {
    oclnn_graph *g = rt->g;
    size_t nv = g->num_values;
    unbind(rt);
    oclnn_status s = OCLNN_STATUS_OK;
    /* roots first, then the values inside them */
    for (int pass = 0; pass < 2 && !s; pass++)
        for (size_t v = 0; v < nv && !s; v++) {
            int r = rt->root[v];
            if (r < 0 || (r == (int)v) != (pass == 0)) continue;
            const oclnn_ir_value *val = &g->values[v];
            if (!oclnn_ir_numel(val)) continue; /* unused, never inferred */
            size_t nd = 0;
            int64_t d[OCLNN_MAX_DIMS];
            if ((s = dev_dims_of(rt, val, &nd, d))) break;
            if (pass == 0) {
                if (rt->own[v]) continue;
                if (!rt->arena) continue;
                s = oclnn_tensor_view(rt->arena, rt->arena_off[v], val->dtype, nd, d, &rt->vt[v]);
            } else {
                oclnn_tensor *base = root_tensor(rt, r);
                /* a channel slice at batch > 1 is not contiguous: only its producer (through the root) and the
                 * zero-copy concat touch it */
                if (!base || (rt->is_slice[v] && val->dims[0] != 1)) continue;
                s = oclnn_tensor_view(base, rt->byte_off[v], val->dtype, nd, d, &rt->vt[v]);
            }
        }
    if (s) return s;
    for (size_t i = 0; i < rt->num_steps; i++) {
        oclnn_rt_step *st = &rt->steps[i];
        const oclnn_ir_node *n = &g->nodes[st->node];
        for (size_t k = 0; k < n->num_inputs; k++) {
            int v = n->inputs[k];
            st->in[k] = v < 0 || rt->root[v] < 0 ? NULL : rt->own[v] ? rt->own[v] : rt->vt[v];
            st->in_offset[k] = 0;
        }
        for (size_t k = 0; k < n->num_outputs; k++) {
            int v = n->outputs[k];
            st->out[k] = NULL;
            st->out_offset[k] = 0;
            if (v < 0) continue;
            int r = rt->root[v];
            if (rt->is_slice[v] && step_can_view(rt, i, k) && !st->is_alias && !rt->view_concat[i]) {
                st->out[k] = root_tensor(rt, r); /* a slice of a zero-copy concat */
                st->out_offset[k] = rt->chan_off[v];
            } else
                st->out[k] = rt->own[v] ? rt->own[v] : rt->vt[v];
        }
    }
    return OCLNN_STATUS_OK;
}

/* Per-value arrays, (re)made for the current graph; own buffers and views must be gone. */
static oclnn_status value_arrays(oclnn_runtime *rt) {
    size_t nv = rt->g->num_values ? rt->g->num_values : 1;
    oclnn_free(A(rt), rt->root);
    oclnn_free(A(rt), rt->chan_off);
    oclnn_free(A(rt), rt->byte_off);
    oclnn_free(A(rt), rt->is_slice);
    oclnn_free(A(rt), rt->vt);
    oclnn_free(A(rt), rt->own);
    oclnn_free(A(rt), rt->arena_off);
    rt->root = oclnn_calloc(A(rt), nv, sizeof *rt->root);
    rt->chan_off = oclnn_calloc(A(rt), nv, sizeof *rt->chan_off);
    rt->byte_off = oclnn_calloc(A(rt), nv, sizeof *rt->byte_off);
    rt->is_slice = oclnn_calloc(A(rt), nv, 1);
    rt->vt = oclnn_calloc(A(rt), nv, sizeof *rt->vt);
    rt->own = oclnn_calloc(A(rt), nv, sizeof *rt->own);
    rt->arena_off = oclnn_calloc(A(rt), nv, sizeof *rt->arena_off);
    if (!rt->root || !rt->chan_off || !rt->byte_off || !rt->is_slice || !rt->vt || !rt->own || !rt->arena_off)
        return oom(rt);
    return OCLNN_STATUS_OK;
}

/* Runs the passes again on the kept original with the new input shapes, and swaps the result in when it has the
 * same live nodes (the steps, and their compiled kernels, stay); a different structure cannot be reshaped. */
static oclnn_status refold(oclnn_runtime *rt) {
    oclnn_graph *g2;
    oclnn_status s = oclnn_ir_clone(rt->src, &g2);
    if (s) return s;
    for (size_t i = 0; i < g2->num_inputs; i++) {
        oclnn_ir_value *v2 = &g2->values[g2->inputs[i]];
        const oclnn_ir_value *v = &rt->g->values[oclnn_ir_find(rt->g, v2->name)];
        v2->ndim = v->ndim;
        memcpy(v2->dims, v->dims, sizeof v2->dims);
    }
    int folded;
    s = run_passes(rt, g2, &folded);
    size_t live = 0;
    for (size_t i = 0; !s && i < g2->num_nodes; i++)
        live += !g2->nodes[i].dead;
    if (!s && live != rt->num_steps)
        s = oclnn_fail(E(rt), OCLNN_STATUS_UNSUPPORTED,
                       "runtime: with the new input shapes the graph folds to %zu "
                       "steps instead of %zu; create a new runtime",
                       live, rt->num_steps);
    for (size_t i = 0; !s && i < rt->num_steps; i++) {
        const oclnn_ir_node *n = &rt->g->nodes[rt->steps[i].node];
        int idx = rt->steps[i].node;
        if ((size_t)idx >= g2->num_nodes || g2->nodes[idx].dead || strcmp(g2->nodes[idx].op_type, n->op_type))
            s = oclnn_fail(E(rt), OCLNN_STATUS_UNSUPPORTED,
                           "runtime: with the new input shapes node '%s' (%s) folds "
                           "away or changes; create a new runtime",
                           n->name, n->op_type);
    }
    if (s) {
        oclnn_ir_destroy(g2);
        return s;
    }
    unbind(rt);
    for (size_t v = 0; v < rt->g->num_values; v++)
        oclnn_tensor_destroy(rt->own[v]);
    oclnn_ir_destroy(rt->g);
    rt->g = g2;
    s = drop_packed_constants(rt);
    return s ? s : value_arrays(rt);
}

/* One scratch buffer per queue and slot, as large as the largest need of the steps on that queue: steps of one
 * queue run one after another, so they can share it (DenseNet-121's 58 Winograd convs held 57 MiB of workspaces
 * of their own, 4.6 MiB shared). Grown, never shrunk: a reshape back to a smaller input keeps them. */
static oclnn_status bind_workspaces(oclnn_runtime *rt) {
    size_t nq = rt->num_queues, n = nq * OCLNN_RT_WS_SLOTS;
    if (!rt->ws) {
        rt->ws = oclnn_calloc(A(rt), n, sizeof *rt->ws);
        rt->ws_bytes = oclnn_calloc(A(rt), n, sizeof *rt->ws_bytes);
        if (!rt->ws || !rt->ws_bytes) return oom(rt);
    }
    for (size_t q = 0; q < nq; q++)
        for (size_t k = 0; k < OCLNN_RT_WS_SLOTS; k++) {
            size_t need = 0, slot = q * OCLNN_RT_WS_SLOTS + k;
            for (size_t i = 0; i < rt->num_steps; i++)
                if (rt->queue[i] == q && rt->steps[i].ws_need[k] > need) need = rt->steps[i].ws_need[k];
            if (need <= rt->ws_bytes[slot]) continue;
            if (rt->ws[slot]) clw_ReleaseMemObject(rt->ws[slot]);
            rt->ws_bytes[slot] = 0;
            cl_int err;
            rt->ws[slot] = clw_CreateBuffer(rt->ctx->cl, CL_MEM_READ_WRITE, need, NULL, &err);
            if (!rt->ws[slot]) return clw_fail(E(rt), err, "clCreateBuffer (runtime workspace)");
            rt->ws_bytes[slot] = need;
        }
    for (size_t i = 0; i < rt->num_steps; i++)
        for (size_t k = 0; k < OCLNN_RT_WS_SLOTS; k++) {
            size_t slot = rt->queue[i] * OCLNN_RT_WS_SLOTS + k;
            rt->steps[i].ws[k] = rt->ws[slot];
            rt->steps[i].ws_bytes[k] = rt->ws_bytes[slot];
        }
    return OCLNN_STATUS_OK;
}

static oclnn_status prepare(oclnn_runtime *rt, int reinfer) {
    oclnn_status s;
    if (reinfer && rt->src) {
        if ((s = refold(rt))) return s;
        if ((s = check_shapes(rt))) return s;
    } else if (reinfer) {
        oclnn_graph *g = rt->g;
        for (size_t v = 0; v < g->num_values; v++)
            if (g->values[v].kind == OCLNN_IR_INTERMEDIATE) g->values[v].has_shape = 0;
        if ((s = oclnn_ir_infer_shapes(g))) return s;
        if ((s = check_shapes(rt))) return s;
    }
    oclnn_graph *g = rt->g;
    uint64_t macs = 0;
    for (size_t i = 0; i < rt->num_steps; i++) {
        oclnn_rt_step *st = &rt->steps[i];
        if (st->vt->reshape && (s = st->vt->reshape(st, g, &g->nodes[st->node]))) return s;
        macs += st->macs;
    }
    if ((s = bind_workspaces(rt))) return s;
    if ((s = own_buffers(rt))) return s;
    if ((s = plan_memory(rt))) return s;
    if ((s = bind(rt))) return s;
    uint32_t kernels = 0;
    for (size_t i = 0; i < rt->num_steps; i++) {
        oclnn_rt_step *st = &rt->steps[i];
        if (rt->view_concat[i])
            st->kernels = 0;
        else if (rt->alias_copy[i])
            st->kernels = 1;
        else if (st->vt->setup && (s = st->vt->setup(st, g, &g->nodes[st->node])))
            return s;
        kernels += st->kernels;
    }
    rt->stats.macs = macs;
    rt->stats.kernels_per_invoke = kernels;
    rt->dirty = 0;
    return OCLNN_STATUS_OK;
}

static uint64_t count_params(const oclnn_graph *g) {
    /* float constants consumed by live nodes, each once, as the model stores them; BN's running mean and variance
     * are statistics, not learned parameters, so they are left out as PyTorch's parameter counts leave them out
     * (DenseNet-121: 7.98M, as published) */
    uint64_t p = 0;
    uint8_t *seen = oclnn_calloc(OCLNN_IR_ALLOC(g), g->num_values ? g->num_values : 1, 1);
    if (!seen) return 0;
    for (size_t i = 0; i < g->num_nodes; i++) {
        const oclnn_ir_node *n = &g->nodes[i];
        if (n->dead) continue;
        int bn = !strcmp(n->op_type, "BatchNormalization");
        for (size_t k = 0; k < n->num_inputs; k++) {
            int v = n->inputs[k];
            if (bn && k >= 3) continue;
            if (v < 0 || seen[v] || g->values[v].kind != OCLNN_IR_CONSTANT || g->values[v].dtype != OCLNN_DTYPE_F32)
                continue;
            seen[v] = 1;
            p += g->values[v].nbytes / sizeof(float);
        }
    }
    oclnn_free(OCLNN_IR_ALLOC(g), seen);
    return p;
}

/* ---- weight inputs ----
 * ONNX lets a model take its weights (Conv's W and B, BatchNormalization's statistics, PRelu's slope, Clip's bounds,
 * Resize's scales, ...) as graph inputs; the backend tests do. Ops read those inputs on the host when they are
 * created (to pack weights, or to know shapes), so such a graph is compiled when it is first invoked, with the
 * weight inputs' data as constants, and recompiled when that data changes (compared bytewise at set_input). The
 * caller's data is kept on the host for that: weight inputs must be set with oclnn_runtime_set_input, not written
 * through oclnn_runtime_tensor. Other inputs are kept on the host too, to feed a recompiled runtime. */

/* Input slots an op type reads on the host at create/infer (they must be constants when it is compiled). */
static int reads_on_host(const char *op, size_t k) {
    static const struct {
        const char *op;
        uint32_t mask;
    } t[] = {{"Conv", 0x6},    {"ConvTranspose", 0x6}, {"BatchNormalization", 0x1e}, {"PRelu", 0x2},
             {"Clip", 0x6},    {"Resize", 0xe},        {"Upsample", 0x2},            {"Pad", 0xe},
             {"Slice", 0x1e},  {"Reshape", 0x2},       {"Squeeze", 0x2},             {"Unsqueeze", 0x2},
             {"Split", 0x2}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(t[i].op, op)) return k < 32 && ((t[i].mask >> k) & 1);
    return 0;
}

/* Marks the weight inputs of rt->g; rt->weight_mode is set when there is one. */
static oclnn_status weight_find(oclnn_runtime *rt) {
    const oclnn_graph *g = rt->g;
    rt->is_weight = oclnn_calloc(A(rt), g->num_values ? g->num_values : 1, 1);
    if (!rt->is_weight) return oom(rt);
    for (size_t i = 0; i < g->num_nodes; i++) {
        const oclnn_ir_node *n = &g->nodes[i];
        if (n->dead || (n->domain && n->domain[0])) continue;
        for (size_t k = 0; k < n->num_inputs; k++)
            if (n->inputs[k] >= 0 && g->values[n->inputs[k]].kind == OCLNN_IR_INPUT && reads_on_host(n->op_type, k)) {
                rt->is_weight[n->inputs[k]] = 1;
                rt->weight_mode = 1;
            }
    }
    if (!rt->weight_mode) return OCLNN_STATUS_OK;
    rt->host = oclnn_calloc(A(rt), g->num_values, sizeof *rt->host);
    rt->host_bytes = oclnn_calloc(A(rt), g->num_values, sizeof *rt->host_bytes);
    if (!rt->host || !rt->host_bytes) return oom(rt);
    rt->recompile = 1;
    return OCLNN_STATUS_OK;
}

/* Compiles rt->inner from rt->g with the weight inputs' data as constants, then feeds it the other inputs. */
static oclnn_status weight_compile(oclnn_runtime *rt) {
    const oclnn_graph *g = rt->g;
    for (size_t i = 0; i < g->num_inputs; i++) {
        int v = g->inputs[i];
        if (rt->is_weight[v] && !rt->host[v])
            return oclnn_fail(E(rt), OCLNN_STATUS_INVALID_STATE,
                              "runtime: weight input '%s' was never set (oclnn_runtime_set_input)", g->values[v].name);
    }
    oclnn_runtime_destroy(rt->inner);
    rt->inner = NULL;
    oclnn_graph *c = NULL;
    oclnn_status s = oclnn_ir_clone(g, &c);
    size_t kept = 0;
    for (size_t i = 0; !s && i < c->num_inputs; i++) {
        int v = c->inputs[i];
        oclnn_ir_value *val = &c->values[v];
        if (!rt->is_weight[v])
            c->inputs[kept++] = v;
        else
            s = oclnn_ir_set_constant(c, v, val->dtype, val->ndim, val->dims, rt->host[v]);
    }
    if (!s) {
        c->num_inputs = kept;
        s = oclnn_runtime_create(rt->ctx, c, &rt->opt, &rt->inner);
    }
    oclnn_ir_destroy(c);
    for (size_t i = 0; !s && i < g->num_inputs; i++) { /* data set for another shape is not fed */
        int v = g->inputs[i];
        const oclnn_ir_value *val = &g->values[v];
        if (!rt->is_weight[v] && rt->host[v] &&
            rt->host_bytes[v] == (size_t)oclnn_ir_numel(val) * oclnn_dtype_size(val->dtype))
            s = oclnn_runtime_set_input(rt->inner, val->name, rt->host[v], rt->host_bytes[v]);
    }
    if (s) {
        oclnn_runtime_destroy(rt->inner);
        rt->inner = NULL;
        return s;
    }
    rt->recompile = 0;
    return OCLNN_STATUS_OK;
}

/* The compiled runtime of a weight-mode runtime, or an INVALID_STATE error naming what is missing. */
static oclnn_status weight_inner(oclnn_runtime *rt, const char *what) {
    if (rt->inner && !rt->recompile) return OCLNN_STATUS_OK;
    return oclnn_fail(E(rt), OCLNN_STATUS_INVALID_STATE,
                      "%s: the graph takes weights as inputs and is compiled at the next invoke (set them, then "
                      "invoke)",
                      what);
}

/* set_input of a weight-mode runtime: keeps a host copy; a weight whose bytes change forces a recompile. */
static oclnn_status weight_set_input(oclnn_runtime *rt, int v, const void *data, size_t bytes) {
    const oclnn_ir_value *val = &rt->g->values[v];
    size_t want = (size_t)oclnn_ir_numel(val) * oclnn_dtype_size(val->dtype);
    if (bytes != want)
        return oclnn_fail(E(rt), OCLNN_STATUS_INVALID_ARGUMENT, "runtime_set_input: '%s' takes %zu bytes, not %zu",
                          val->name, want, bytes);
    if (rt->is_weight[v] && rt->host[v] && rt->host_bytes[v] == bytes && !memcmp(rt->host[v], data, bytes))
        return OCLNN_STATUS_OK;
    if (!rt->host[v] || rt->host_bytes[v] != bytes) {
        oclnn_free(A(rt), rt->host[v]);
        rt->host_bytes[v] = 0;
        if (!(rt->host[v] = oclnn_malloc(A(rt), bytes ? bytes : 1))) return oom(rt);
        rt->host_bytes[v] = bytes;
    }
    memcpy(rt->host[v], data, bytes);
    if (rt->is_weight[v]) rt->recompile = 1;
    if (rt->inner && !rt->recompile) return oclnn_runtime_set_input(rt->inner, val->name, data, bytes);
    return OCLNN_STATUS_OK;
}

/* Creates a runtime from @p graph: compiles a clone of it, or @p owned itself (== graph), which the runtime then
 * owns (destroyed on failure too). */
static oclnn_status create(oclnn_context *ctx, const oclnn_graph *graph, oclnn_graph *owned,
                           const oclnn_runtime_options *options, oclnn_runtime **out) {
    oclnn_runtime *rt = oclnn_calloc(ctx->alloc, 1, sizeof *rt);
    if (!rt) {
        oclnn_ir_destroy(owned);
        return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "runtime_create: out of host memory");
    }
    rt->g = owned;
    rt->ctx = ctx;
    if (options)
        rt->opt = *options;
    else
        oclnn_runtime_options_init(&rt->opt);
    rt->num_queues = rt->opt.num_queues < 1 ? 1 : rt->opt.num_queues;
    if (rt->num_queues > ctx->num_queues) rt->num_queues = ctx->num_queues;
    oclnn_status s = OCLNN_STATUS_OK;
    if (rt->opt.profile && !ctx->profiling)
        s = oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_ARGUMENT,
                       "runtime_create: profile needs a context created with profiling = 1");
    cl_uint bits = 0;
    if (!s && clw_GetDeviceInfo(ctx->device, CL_DEVICE_MEM_BASE_ADDR_ALIGN, sizeof bits, &bits, NULL) == CL_SUCCESS &&
        bits >= 8 * sizeof(float))
        rt->align = bits / 8;
    else
        rt->align = 256;
    if (!s && !owned) s = oclnn_ir_clone(graph, &rt->g);
    if (!s) s = weight_find(rt);
    if (!s && rt->weight_mode) {
        *out = rt; /* compiled at the first invoke, when the weight inputs' data is known */
        return OCLNN_STATUS_OK;
    }
    if (!s) {
        rt->stats.source_nodes = (uint32_t)graph->num_nodes;
        rt->stats.params = count_params(graph);
        s = check_graph(rt);
    }
    oclnn_graph *g = rt->g, *given = NULL;
    /* an owned graph is changed by the passes: a clone of it as given (its constants' bytes are shared, not copied)
     * is kept until it is known whether folding needs it, and dropped before fusion, so that the weights BN folding
     * replaces can be freed as it goes */
    if (!s && owned) s = oclnn_ir_clone(owned, &given);
    int folded = 0;
    if (!s) s = infer_fold(g, &folded);
    /* folding may have evaluated shape sub-graphs (Shape -> Gather -> Concat -> Reshape) for these input shapes:
     * keep the graph as given, to fold again when an input is reshaped */
    if (!s && folded && given) {
        rt->src = given;
        given = NULL;
    } else if (!s && folded) {
        s = oclnn_ir_clone(graph, &rt->src);
    }
    oclnn_ir_destroy(given);
    if (!s) s = fuse_passes(rt, g);
    if (!s) s = check_graph(rt); /* passes must leave every read value produced */
    if (!s) s = check_shapes(rt);
    if (!s) s = rt_check_programs(g, ctx->limits.max_programs, &rt->stats.programs); /* before compiling */
    if (!s) s = build_steps(rt);
    if (!s) s = check_depth(rt);
    if (!s) s = value_arrays(rt);
    if (!s) {
        size_t ns = rt->num_steps ? rt->num_steps : 1;
        rt->view_concat = oclnn_calloc(ctx->alloc, ns, 1);
        rt->alias_copy = oclnn_calloc(ctx->alloc, ns, 1);
        rt->time_ns = oclnn_calloc(ctx->alloc, ns, sizeof *rt->time_ns);
        if (!rt->view_concat || !rt->alias_copy || !rt->time_ns) s = oom(rt);
    }
    if (!s) s = schedule(rt);
    if (!s) s = prepare(rt, 0);
    if (!s) s = drop_packed_constants(rt);
    if (s) {
        oclnn_runtime_destroy(rt);
        return s;
    }
    rt->stats.steps = (uint32_t)rt->num_steps;
    *out = rt;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_runtime_create(oclnn_context *ctx, const oclnn_graph *graph, const oclnn_runtime_options *options,
                                  oclnn_runtime **out) {
    if (!out) return oclnn_fail(ctx ? &ctx->err : NULL, OCLNN_STATUS_INVALID_ARGUMENT, "runtime_create: out is NULL");
    *out = NULL;
    if (!ctx || !graph)
        return oclnn_fail(ctx ? &ctx->err : NULL, OCLNN_STATUS_INVALID_ARGUMENT,
                          "runtime_create: ctx or graph is NULL");
    return create(ctx, graph, NULL, options, out);
}

oclnn_status oclnn_runtime_create_consume(oclnn_context *ctx, oclnn_graph **graph, const oclnn_runtime_options *options,
                                          oclnn_runtime **out) {
    oclnn_graph *g = graph ? *graph : NULL;
    if (graph) *graph = NULL;
    if (!out || !ctx || !g) {
        oclnn_ir_destroy(g);
        if (out) *out = NULL;
        return oclnn_fail(ctx ? &ctx->err : NULL, OCLNN_STATUS_INVALID_ARGUMENT,
                          "runtime_create_consume: ctx, graph, *graph and out must be set");
    }
    *out = NULL;
    if (g->ctx != ctx) { /* the graph's constants are freed through its context's allocator */
        oclnn_ir_destroy(g);
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_ARGUMENT,
                          "runtime_create_consume: the graph was made on another context");
    }
    return create(ctx, g, g, options, out);
}

/* ---- inputs, outputs, shapes ---- */

static int io_value(const oclnn_runtime *rt, const char *name, int want_input) {
    int v = oclnn_ir_find(rt->g, name);
    if (v < 0) return -1;
    const oclnn_ir_value *val = &rt->g->values[v];
    if (want_input == 1) return val->kind == OCLNN_IR_INPUT ? v : -1;
    if (want_input == 0) return val->is_output ? v : -1;
    return val->kind == OCLNN_IR_INPUT || val->is_output ? v : -1;
}

static oclnn_status ensure(oclnn_runtime *rt) { return rt->dirty ? prepare(rt, 1) : OCLNN_STATUS_OK; }

size_t oclnn_runtime_num_inputs(const oclnn_runtime *rt) { return rt ? rt->g->num_inputs : 0; }
size_t oclnn_runtime_num_outputs(const oclnn_runtime *rt) { return rt ? rt->g->num_outputs : 0; }
const char *oclnn_runtime_input_name(const oclnn_runtime *rt, size_t i) {
    return rt && i < rt->g->num_inputs ? rt->g->values[rt->g->inputs[i]].name : NULL;
}
const char *oclnn_runtime_output_name(const oclnn_runtime *rt, size_t i) {
    return rt && i < rt->g->num_outputs ? rt->g->values[rt->g->outputs[i]].name : NULL;
}

oclnn_status oclnn_runtime_reshape(oclnn_runtime *rt, const char *name, size_t ndim, const int64_t *dims) {
    if (!rt) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "runtime_reshape: rt is NULL");
    int v = name ? io_value(rt, name, 1) : -1;
    if (v < 0)
        return oclnn_fail(E(rt), OCLNN_STATUS_INVALID_ARGUMENT, "runtime_reshape: '%s' is not an input",
                          name ? name : "(null)");
    oclnn_ir_value *val = &rt->g->values[v];
    if (!dims || ndim != val->ndim)
        return oclnn_fail(E(rt), OCLNN_STATUS_INVALID_SHAPE, "runtime_reshape: input '%s' has %zu dims, not %zu", name,
                          val->ndim, ndim);
    for (size_t d = 0; d < ndim; d++)
        if (dims[d] < 1)
            return oclnn_fail(E(rt), OCLNN_STATUS_INVALID_SHAPE, "runtime_reshape: dim %zu of '%s' is %lld", d, name,
                              (long long)dims[d]);
    int same = 1;
    for (size_t d = 0; d < ndim; d++)
        same &= val->dims[d] == dims[d];
    if (same) return OCLNN_STATUS_OK;
    for (size_t d = 0; d < ndim; d++)
        val->dims[d] = dims[d];
    if (rt->weight_mode) {
        if (rt->is_weight[v]) { /* a weight's shape is part of the compiled graph; its data must be set again */
            oclnn_free(A(rt), rt->host[v]);
            rt->host[v] = NULL;
            rt->host_bytes[v] = 0;
            rt->recompile = 1;
        }
        if (rt->inner && !rt->recompile) return oclnn_runtime_reshape(rt->inner, name, ndim, dims);
        return OCLNN_STATUS_OK;
    }
    rt->dirty = 1;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_runtime_shape(oclnn_runtime *rt, const char *name, oclnn_dtype *dtype, size_t *ndim, int64_t *dims) {
    if (!rt || !name || !ndim || !dims)
        return oclnn_fail(rt ? E(rt) : NULL, OCLNN_STATUS_INVALID_ARGUMENT, "runtime_shape: NULL argument");
    int v = io_value(rt, name, -1);
    if (v < 0)
        return oclnn_fail(E(rt), OCLNN_STATUS_INVALID_ARGUMENT, "runtime_shape: '%s' is not an input or output", name);
    if (rt->weight_mode && rt->g->values[v].kind != OCLNN_IR_INPUT) {
        oclnn_status s = weight_inner(rt, "runtime_shape");
        return s ? s : oclnn_runtime_shape(rt->inner, name, dtype, ndim, dims);
    }
    oclnn_status s = rt->weight_mode ? OCLNN_STATUS_OK : ensure(rt);
    if (s) return s;
    const oclnn_ir_value *val = &rt->g->values[v];
    if (dtype) *dtype = val->dtype;
    *ndim = val->ndim;
    for (size_t d = 0; d < val->ndim && d < OCLNN_MAX_DIMS; d++)
        dims[d] = val->dims[d];
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_runtime_tensor(oclnn_runtime *rt, const char *name, oclnn_tensor **tensor) {
    if (!tensor) return oclnn_fail(rt ? E(rt) : NULL, OCLNN_STATUS_INVALID_ARGUMENT, "runtime_tensor: tensor is NULL");
    *tensor = NULL;
    if (!rt || !name) return oclnn_fail(rt ? E(rt) : NULL, OCLNN_STATUS_INVALID_ARGUMENT, "runtime_tensor: NULL");
    int v = io_value(rt, name, -1);
    if (v < 0)
        return oclnn_fail(E(rt), OCLNN_STATUS_INVALID_ARGUMENT, "runtime_tensor: '%s' is not an input or output", name);
    if (rt->weight_mode) {
        if (rt->is_weight[v])
            return oclnn_fail(E(rt), OCLNN_STATUS_UNSUPPORTED,
                              "runtime_tensor: input '%s' holds weights, read on the host: set it with "
                              "oclnn_runtime_set_input",
                              name);
        oclnn_status s = weight_inner(rt, "runtime_tensor");
        return s ? s : oclnn_runtime_tensor(rt->inner, name, tensor);
    }
    oclnn_status s = ensure(rt);
    if (s) return s;
    *tensor = rt->own[v];
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_runtime_set_input(oclnn_runtime *rt, const char *name, const void *data, size_t bytes) {
    if (!rt || !name || !data)
        return oclnn_fail(rt ? E(rt) : NULL, OCLNN_STATUS_INVALID_ARGUMENT, "runtime_set_input: NULL argument");
    int v = io_value(rt, name, 1);
    if (v < 0) return oclnn_fail(E(rt), OCLNN_STATUS_INVALID_ARGUMENT, "runtime_set_input: '%s' is not an input", name);
    if (rt->weight_mode) return weight_set_input(rt, v, data, bytes);
    oclnn_status s = ensure(rt);
    if (s) return s;
    size_t want = oclnn_tensor_nbytes(rt->own[v]);
    if (bytes != want)
        return oclnn_fail(E(rt), OCLNN_STATUS_INVALID_ARGUMENT, "runtime_set_input: '%s' takes %zu bytes, not %zu",
                          name, want, bytes);
    return oclnn_tensor_write(rt->own[v], 0, bytes, data);
}

oclnn_status oclnn_runtime_get_output(oclnn_runtime *rt, const char *name, void *data, size_t bytes) {
    if (!rt || !name || !data)
        return oclnn_fail(rt ? E(rt) : NULL, OCLNN_STATUS_INVALID_ARGUMENT, "runtime_get_output: NULL argument");
    int v = io_value(rt, name, 0);
    if (v < 0)
        return oclnn_fail(E(rt), OCLNN_STATUS_INVALID_ARGUMENT, "runtime_get_output: '%s' is not an output", name);
    if (rt->weight_mode) {
        oclnn_status s = weight_inner(rt, "runtime_get_output");
        return s ? s : oclnn_runtime_get_output(rt->inner, name, data, bytes);
    }
    oclnn_status s = ensure(rt);
    if (s) return s;
    size_t want = oclnn_tensor_nbytes(rt->own[v]);
    if (bytes != want)
        return oclnn_fail(E(rt), OCLNN_STATUS_INVALID_ARGUMENT, "runtime_get_output: '%s' has %zu bytes, not %zu", name,
                          want, bytes);
    return oclnn_tensor_read(rt->own[v], 0, bytes, data);
}

/* ---- invoke ---- */

static oclnn_status cl_check(oclnn_runtime *rt, cl_int err, const char *what) {
    return err == CL_SUCCESS ? OCLNN_STATUS_OK : clw_fail(E(rt), err, what);
}

oclnn_status oclnn_runtime_invoke(oclnn_runtime *rt) {
    if (!rt) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "runtime_invoke: rt is NULL");
    if (rt->weight_mode) {
        oclnn_status s = rt->recompile || !rt->inner ? weight_compile(rt) : OCLNN_STATUS_OK;
        return s ? s : oclnn_runtime_invoke(rt->inner);
    }
    oclnn_status s = ensure(rt);
    if (s) return s;
    size_t ns = rt->num_steps;
    cl_event *done = oclnn_calloc(A(rt), ns ? ns : 1, sizeof *done);
    cl_event *prof = rt->opt.profile ? oclnn_calloc(A(rt), 2 * (ns ? ns : 1), sizeof *prof) : NULL;
    if (!done || (rt->opt.profile && !prof)) {
        oclnn_free(A(rt), done);
        return oom(rt);
    }
    uint32_t kernels = 0;
    for (size_t i = 0; i < ns && !s; i++) {
        oclnn_rt_step *st = &rt->steps[i];
        cl_command_queue q = rt->ctx->queues[rt->queue[i]];
        if (rt->waits[i]) {
            cl_event w[OCLNN_RT_MAX_IO];
            cl_uint nw = 0;
            for (const int *p = rt->waits[i]; *p >= 0; p++)
                w[nw++] = done[*p];
            if ((s = cl_check(rt, clw_EnqueueBarrier(q, nw, w, NULL), "runtime: join of queues"))) break;
        }
        if (prof && (s = cl_check(rt, clw_EnqueueMarker(q, 0, NULL, &prof[2 * i]), "runtime: profiling marker"))) break;
        uint64_t before = clw_thread_calls(CLW_FAULT_ENQUEUE);
        if (rt->alias_copy[i]) {
            const oclnn_tensor *x = st->in[0];
            oclnn_tensor *y = st->out[0];
            s = cl_check(rt, clw_EnqueueCopyBuffer(q, x->mem, y->mem, x->offset, y->offset, y->nbytes, 0, NULL, NULL),
                         "runtime: copy of an output");
        } else if (!rt->view_concat[i] && !st->is_alias)
            s = st->vt->enqueue(st, rt->queue[i]);
        if (s) {
            const oclnn_ir_node *n = &rt->g->nodes[st->node];
            char msg[300];
            snprintf(msg, sizeof msg, "%s", oclnn_last_error(rt->ctx));
            s = oclnn_fail(E(rt), s, "node '%s' (%s): %s", n->name, n->op_type, msg);
            break;
        }
        /* kernels as enqueued (the operators' launches): what kernels_per_invoke reports */
        st->kernels = (uint32_t)(clw_thread_calls(CLW_FAULT_ENQUEUE) - before);
        kernels += st->kernels;
        if (prof && (s = cl_check(rt, clw_EnqueueMarker(q, 0, NULL, &prof[2 * i + 1]), "runtime: profiling marker")))
            break;
        if (rt->signal[i] && (s = cl_check(rt, clw_EnqueueMarker(q, 0, NULL, &done[i]), "runtime: event of a step")))
            break;
        /* Another queue will wait for this event: OpenCL only promises progress across queues for commands that
         * were flushed (rusticl deadlocks otherwise; POCL happens to submit eagerly). */
        if (rt->signal[i] && (s = cl_check(rt, clw_Flush(q), "runtime: flush"))) break;
    }
    for (uint32_t q = 0; q < rt->num_queues; q++) /* every queue submitted before any is waited for */
        clw_Flush(rt->ctx->queues[q]);
    for (uint32_t q = 0; q < rt->num_queues; q++) {
        oclnn_status f = cl_check(rt, clw_Finish(rt->ctx->queues[q]), "runtime: finish");
        if (!s) s = f;
    }
    if (!s) rt->stats.kernels_per_invoke = kernels;
    for (size_t i = 0; i < ns; i++) {
        if (done[i]) clw_ReleaseEvent(done[i]);
        if (!prof) continue;
        if (!s && prof[2 * i] && prof[2 * i + 1]) {
            cl_ulong t0 = 0, t1 = 0;
            clw_GetEventProfilingInfo(prof[2 * i], CL_PROFILING_COMMAND_END, sizeof t0, &t0, NULL);
            clw_GetEventProfilingInfo(prof[2 * i + 1], CL_PROFILING_COMMAND_END, sizeof t1, &t1, NULL);
            rt->time_ns[i] = t1 > t0 ? t1 - t0 : 0;
        }
        if (prof[2 * i]) clw_ReleaseEvent(prof[2 * i]);
        if (prof[2 * i + 1]) clw_ReleaseEvent(prof[2 * i + 1]);
    }
    oclnn_free(A(rt), done);
    oclnn_free(A(rt), prof);
    return s;
}

/* ---- introspection ---- */

/* A weight-mode runtime describes its compiled runtime (no steps before the first invoke). */
size_t oclnn_runtime_num_steps(const oclnn_runtime *rt) {
    return !rt ? 0 : rt->weight_mode ? oclnn_runtime_num_steps(rt->inner) : rt->num_steps;
}

oclnn_status oclnn_runtime_step_info(const oclnn_runtime *rt, size_t index, oclnn_node_info *info) {
    if (rt && rt->weight_mode && rt->inner) return oclnn_runtime_step_info(rt->inner, index, info);
    if (!rt || !info || index >= rt->num_steps)
        return oclnn_fail(rt ? E((oclnn_runtime *)rt) : NULL, OCLNN_STATUS_INVALID_ARGUMENT,
                          "runtime_step_info: no step %zu", index);
    const oclnn_rt_step *st = &rt->steps[index];
    const oclnn_ir_node *n = &rt->g->nodes[st->node];
    memset(info, 0, sizeof *info);
    info->name = n->name;
    info->op_type = n->display_op ? n->display_op : n->op_type;
    info->algo = rt->view_concat[index] ? "view" : st->is_alias ? (rt->alias_copy[index] ? "copy" : "alias") : st->algo;
    const oclnn_ir_value *y = rt_out(rt->g, n, 0);
    if (y) {
        info->ndim = y->ndim < OCLNN_MAX_DIMS ? y->ndim : OCLNN_MAX_DIMS;
        for (size_t d = 0; d < info->ndim; d++)
            info->dims[d] = y->dims[d];
    }
    info->params = st->params;
    info->macs = st->macs;
    info->queue = rt->queue[index];
    info->kernels = st->kernels;
    info->time_ns = rt->time_ns[index];
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_runtime_stats_get(oclnn_runtime *rt, oclnn_runtime_stats *stats) {
    if (!rt || !stats) return oclnn_fail(rt ? E(rt) : NULL, OCLNN_STATUS_INVALID_ARGUMENT, "runtime_stats: NULL");
    if (rt->weight_mode) {
        oclnn_status s = weight_inner(rt, "runtime_stats");
        return s ? s : oclnn_runtime_stats_get(rt->inner, stats);
    }
    oclnn_status s = ensure(rt);
    if (s) return s;
    rt->stats.weight_bytes = 0;
    for (size_t i = 0; i < rt->num_steps; i++)
        rt->stats.weight_bytes += rt->steps[i].weight_bytes;
    *stats = rt->stats;
    return OCLNN_STATUS_OK;
}

/* Writes @p s as the inside of a dot string (quotes and backslashes escaped). */
static void dot_str(FILE *f, const char *s) {
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', f);
        fputc(*s, f);
    }
}

oclnn_status oclnn_runtime_write_dot(const oclnn_runtime *rt, const char *path) {
    if (!rt || !path)
        return oclnn_fail(rt ? E((oclnn_runtime *)rt) : NULL, OCLNN_STATUS_INVALID_ARGUMENT,
                          "runtime_write_dot: NULL argument");
    if (rt->weight_mode) {
        oclnn_status s = weight_inner((oclnn_runtime *)rt, "runtime_write_dot");
        return s ? s : oclnn_runtime_write_dot(rt->inner, path);
    }
    FILE *f = fopen(path, "w");
    if (!f)
        return oclnn_fail(E((oclnn_runtime *)rt), OCLNN_STATUS_IO_ERROR, "runtime_write_dot: cannot write '%s'", path);
    const oclnn_graph *g = rt->g;
    fprintf(f, "digraph oclnn {\n  rankdir=TB;\n  node [shape=box, fontname=\"monospace\"];\n");
    for (size_t v = 0; v < g->num_values; v++) {
        if (g->values[v].kind != OCLNN_IR_INPUT && !g->values[v].is_output) continue;
        fprintf(f, "  v%zu [shape=ellipse, label=\"", v);
        dot_str(f, g->values[v].name);
        fprintf(f, "\"];\n");
    }
    for (size_t i = 0; i < rt->num_steps; i++) {
        oclnn_node_info info;
        oclnn_runtime_step_info(rt, i, &info);
        fprintf(f, "  s%zu [label=\"", i);
        dot_str(f, info.name);
        fprintf(f, "\\n");
        dot_str(f, info.op_type);
        fprintf(f, "%s%s\\n", *info.algo ? " " : "", info.algo);
        for (size_t d = 0; d < info.ndim; d++)
            fprintf(f, "%s%lld", d ? "x" : "", (long long)info.dims[d]);
        fprintf(f, "  q%u k%u\"];\n", info.queue, info.kernels);
        const oclnn_ir_node *n = &g->nodes[rt->steps[i].node];
        for (size_t k = 0; k < n->num_inputs; k++) {
            int v = n->inputs[k];
            if (v < 0) continue;
            if (g->values[v].kind == OCLNN_IR_INPUT)
                fprintf(f, "  v%d -> s%zu;\n", v, i);
            else if (g->values[v].producer >= 0 && rt->step_of_node[g->values[v].producer] >= 0)
                fprintf(f, "  s%d -> s%zu;\n", rt->step_of_node[g->values[v].producer], i);
        }
        for (size_t k = 0; k < n->num_outputs; k++)
            if (n->outputs[k] >= 0 && g->values[n->outputs[k]].is_output)
                fprintf(f, "  s%zu -> v%d;\n", i, n->outputs[k]);
    }
    fprintf(f, "}\n");
    int bad = ferror(f);
    if (fclose(f) || bad)
        return oclnn_fail(E((oclnn_runtime *)rt), OCLNN_STATUS_IO_ERROR, "runtime_write_dot: writing '%s' failed",
                          path);
    return OCLNN_STATUS_OK;
}
