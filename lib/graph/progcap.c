/* progcap.c - the cap on distinct kernel programs one runtime may compile (max_programs, OCLNN_MAX_PROGRAMS).
 * Kernel sizes, strides, dilations and fused activations are -D options, so each distinct combination is a
 * program build (seconds of CPU on some drivers): a hostile model could ask for hundreds. The count is taken on
 * the fused graph, before any operator is created, from what each node's kernels are specialised on.
 */
#include <string.h>

#include "graph/rt_util.h"

/* Attributes that never reach a -D option: they are kernel arguments (axes, pads) or host arithmetic (output
 * sizes). Everything else a node carries counts, so a new attribute errs on the side of more configurations. */
static int attr_ignored(const oclnn_ir_node *n, const char *name) {
    static const char *const host_only[] = {"pads",  "auto_pad", "output_shape", "output_padding", "axis",
                                            "axes",  "perm",     "split",        "keepdims",       "allowzero",
                                            "value", "ceil_mode"};
    for (size_t i = 0; i < sizeof host_only / sizeof *host_only; i++)
        if (!strcmp(name, host_only[i])) return 1;
    /* a conv's group only picks the algorithm (depthwise, grouped): conv_class() stands in for it */
    return !strcmp(name, "group") && (!strcmp(n->op_type, "Conv") || !strcmp(n->op_type, "ConvTranspose"));
}

typedef struct key_hash {
    uint64_t a, b; /* two FNV-1a streams with different seeds: 128 bits, so distinct keys never merge in practice */
} key_hash;

static void feed(key_hash *h, const void *data, size_t len) {
    h->a = oclnn_hash64(data, len, h->a);
    h->b = oclnn_hash64(data, len, h->b ^ 0x9e3779b97f4a7c15ull);
}

static void feed_i64(key_hash *h, int64_t v) { feed(h, &v, sizeof v); }

static void feed_str(key_hash *h, const char *s) { feed(h, s ? s : "", s ? strlen(s) + 1 : 1); }

/* 0: ungrouped, 1: depthwise (one input channel per group), 2: other grouped convolutions */
static int64_t conv_class(const oclnn_graph *g, const oclnn_ir_node *n) {
    int64_t groups = oclnn_ir_attr_int(n, "group", 1);
    const oclnn_ir_value *w = rt_in(g, n, 1);
    if (groups == 1) return 0;
    return w && w->ndim >= 2 && w->dims[1] == 1 ? 1 : 2;
}

/* What the node's kernels are compiled for: op type, present inputs, the fusion, the weights' window (Conv) and
 * every attribute that is not host-only, in name order (so the attribute order of a model does not matter). */
static key_hash node_key(const oclnn_graph *g, const oclnn_ir_node *n) {
    key_hash h = {OCLNN_HASH_SEED, OCLNN_HASH_SEED};
    feed_str(&h, n->op_type);
    /* optional inputs (a bias, Gemm's C) change the program; how many inputs a Concat or Sum has does not */
    for (size_t k = 0; k < 3; k++)
        feed_i64(&h, k < n->num_inputs && n->inputs[k] >= 0);
    feed_i64(&h, n->fuse.activation);
    feed(&h, &n->fuse.alpha, sizeof n->fuse.alpha);
    feed(&h, &n->fuse.beta, sizeof n->fuse.beta);
    feed_i64(&h, n->fuse.residual);
    if (!strcmp(n->op_type, "Conv") || !strcmp(n->op_type, "ConvTranspose")) {
        const oclnn_ir_value *w = rt_in(g, n, 1);
        feed_i64(&h, conv_class(g, n));
        for (size_t d = 2; w && d < w->ndim; d++)
            feed_i64(&h, w->dims[d]);
    }
    const char *last = NULL; /* selection by name: attribute lists are short and names unique per node */
    for (;;) {
        const oclnn_ir_attr *next = NULL;
        for (size_t i = 0; i < n->num_attrs; i++) {
            const oclnn_ir_attr *a = &n->attrs[i];
            if (!a->name || attr_ignored(n, a->name) || (last && strcmp(a->name, last) <= 0)) continue;
            if (!next || strcmp(a->name, next->name) < 0) next = a;
        }
        if (!next) break;
        last = next->name;
        feed_str(&h, next->name);
        feed_i64(&h, next->type);
        feed_i64(&h, next->i);
        feed(&h, &next->f, sizeof next->f);
        feed_str(&h, next->s);
        feed_i64(&h, (int64_t)next->count);
        if (next->ints && next->count) feed(&h, next->ints, next->count * sizeof *next->ints);
        if (next->floats && next->count) feed(&h, next->floats, next->count * sizeof *next->floats);
    }
    return h;
}

/* An open-addressing set of keys (a == 0 && b == 0 marks a free slot; a real key that hashes there is nudged). */
typedef struct key_set {
    key_hash *slot;
    size_t cap, used;
} key_set;

static int set_insert(const oclnn_allocator *al, key_set *set, key_hash h, int *added) {
    if (!h.a && !h.b) h.b = 1;
    if ((set->used + 1) * 2 > set->cap) {
        size_t ncap = set->cap ? set->cap * 2 : 64;
        key_hash *ns = oclnn_calloc(al, ncap, sizeof *ns);
        if (!ns) return 0;
        for (size_t i = 0; i < set->cap; i++) {
            key_hash k = set->slot[i];
            if (!k.a && !k.b) continue;
            size_t j = (size_t)k.a & (ncap - 1);
            while (ns[j].a || ns[j].b)
                j = (j + 1) & (ncap - 1);
            ns[j] = k;
        }
        oclnn_free(al, set->slot);
        set->slot = ns;
        set->cap = ncap;
    }
    size_t j = (size_t)h.a & (set->cap - 1);
    for (; set->slot[j].a || set->slot[j].b; j = (j + 1) & (set->cap - 1))
        if (set->slot[j].a == h.a && set->slot[j].b == h.b) {
            *added = 0;
            return 1;
        }
    set->slot[j] = h;
    set->used++;
    *added = 1;
    return 1;
}

oclnn_status rt_check_programs(const oclnn_graph *g, uint64_t max, uint32_t *count) {
    key_set set = {0};
    oclnn_status s = OCLNN_STATUS_OK;
    for (size_t i = 0; i < g->num_nodes && !s; i++) {
        const oclnn_ir_node *n = &g->nodes[i];
        if (n->dead) continue;
        int added;
        if (!set_insert(OCLNN_IR_ALLOC(g), &set, node_key(g, n), &added))
            s = oclnn_fail(OCLNN_IR_ERR(g), OCLNN_STATUS_OUT_OF_HOST_MEMORY, "runtime: counting kernel configurations");
        else if (added && set.used > max)
            s = rt_fail(g, n, OCLNN_STATUS_LIMIT_EXCEEDED,
                        "it needs kernel configuration %zu of this graph; the program limit (max_programs, "
                        "OCLNN_MAX_PROGRAMS) is %llu",
                        set.used, (unsigned long long)max);
    }
    *count = (uint32_t)(set.used > UINT32_MAX ? UINT32_MAX : set.used);
    oclnn_free(OCLNN_IR_ALLOC(g), set.slot);
    return s;
}
