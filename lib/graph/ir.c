/* ir.c - the graph IR: values, nodes, attributes, the name table, cloning, use counts and topological order.
 * Nothing here recurses on graph depth: a chain of 100,000 nodes is walked with explicit arrays.
 */
#include "graph/ir.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define A(g) OCLNN_IR_ALLOC(g)
#define E(g) OCLNN_IR_ERR(g)

static oclnn_status oom(oclnn_graph *g) {
    return oclnn_fail(E(g), OCLNN_STATUS_OUT_OF_HOST_MEMORY, "graph: out of host memory");
}

/* Atomic count: a runtime and the graph it was made from may be destroyed by different threads. */
struct oclnn_ir_data {
    _Atomic size_t refs;
    void *bytes; /* from the context's allocator */
};

static void data_release(oclnn_graph *g, oclnn_ir_value *v) {
    oclnn_ir_data *d = v->shared;
    v->shared = NULL;
    v->data = NULL;
    if (!d) return;
    if (atomic_fetch_sub(&d->refs, 1) == 1) {
        oclnn_free(A(g), d->bytes);
        oclnn_free(A(g), d);
    }
}

void oclnn_ir_drop_data(oclnn_graph *g, int value) {
    if (g && value >= 0 && (size_t)value < g->num_values) data_release(g, &g->values[value]);
}

/* Grows *arr (elements of @p size) to hold at least @p need; doubles. */
static int grow(oclnn_graph *g, void **arr, size_t *cap, size_t need, size_t size) {
    if (need <= *cap) return 1;
    size_t nc = *cap ? *cap : 16;
    while (nc < need) {
        if (nc > SIZE_MAX / 2) return 0;
        nc *= 2;
    }
    size_t bytes;
    if (!oclnn_mul_size(nc, size, &bytes)) return 0;
    void *p = oclnn_realloc(A(g), *arr, bytes);
    if (!p) return 0;
    memset((char *)p + *cap * size, 0, (nc - *cap) * size);
    *arr = p;
    *cap = nc;
    return 1;
}

oclnn_status oclnn_ir_create(oclnn_context *ctx, oclnn_graph **out) {
    if (!out) return oclnn_fail(ctx ? &ctx->err : NULL, OCLNN_STATUS_INVALID_ARGUMENT, "graph_create: out is NULL");
    *out = NULL;
    if (!ctx) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "graph_create: ctx is NULL");
    oclnn_graph *g = oclnn_calloc(ctx->alloc, 1, sizeof *g);
    if (!g) return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "graph_create: out of host memory");
    g->ctx = ctx;
    g->opset = 18;
    *out = g;
    return OCLNN_STATUS_OK;
}

void oclnn_ir_attr_free(oclnn_graph *g, oclnn_ir_attr *a) {
    if (!a) return;
    oclnn_free(A(g), a->name);
    oclnn_free(A(g), a->s);
    oclnn_free(A(g), a->ints);
    oclnn_free(A(g), a->floats);
    memset(a, 0, sizeof *a);
}

void oclnn_ir_destroy(oclnn_graph *g) {
    if (!g) return;
    for (size_t i = 0; i < g->num_values; i++) {
        oclnn_ir_value *v = &g->values[i];
        oclnn_free(A(g), v->name);
        data_release(g, v);
        for (size_t d = 0; d < OCLNN_IR_MAX_DIMS; d++) oclnn_free(A(g), v->dim_param[d]);
    }
    for (size_t i = 0; i < g->num_nodes; i++) {
        oclnn_ir_node *n = &g->nodes[i];
        oclnn_free(A(g), n->name);
        oclnn_free(A(g), n->op_type);
        oclnn_free(A(g), n->domain);
        oclnn_free(A(g), n->display_op);
        oclnn_free(A(g), n->inputs);
        oclnn_free(A(g), n->outputs);
        for (size_t a = 0; a < n->num_attrs; a++) oclnn_ir_attr_free(g, &n->attrs[a]);
        oclnn_free(A(g), n->attrs);
    }
    oclnn_free(A(g), g->values);
    oclnn_free(A(g), g->nodes);
    oclnn_free(A(g), g->inputs);
    oclnn_free(A(g), g->outputs);
    oclnn_free(A(g), g->hash);
    oclnn_free(A(g), g);
}

/* ---- name table ---- */

static size_t name_hash(const char *s) { return (size_t)oclnn_hash64(s, strlen(s), OCLNN_HASH_SEED); }

int oclnn_ir_find(const oclnn_graph *g, const char *name) {
    if (!g || !name || !g->hash_cap) return -1;
    size_t mask = g->hash_cap - 1;
    for (size_t h = name_hash(name) & mask;; h = (h + 1) & mask) {
        uint32_t slot = g->hash[h];
        if (!slot) return -1;
        if (!strcmp(g->values[slot - 1].name, name)) return (int)(slot - 1);
    }
}

static void hash_insert(oclnn_graph *g, int index) {
    size_t mask = g->hash_cap - 1;
    size_t h = name_hash(g->values[index].name) & mask;
    while (g->hash[h]) h = (h + 1) & mask;
    g->hash[h] = (uint32_t)index + 1;
}

/* Keeps the table at most half full. */
static int hash_reserve(oclnn_graph *g, size_t count) {
    if (count * 2 <= g->hash_cap) return 1;
    size_t nc = g->hash_cap ? g->hash_cap : 64;
    while (nc < count * 2) nc *= 2;
    uint32_t *t = oclnn_calloc(A(g), nc, sizeof *t);
    if (!t) return 0;
    oclnn_free(A(g), g->hash);
    g->hash = t;
    g->hash_cap = nc;
    for (size_t i = 0; i < g->num_values; i++) hash_insert(g, (int)i);
    return 1;
}

oclnn_status oclnn_ir_add_value(oclnn_graph *g, const char *name, oclnn_ir_kind kind, int *index) {
    if (!name || !*name) return oclnn_fail(E(g), OCLNN_STATUS_INVALID_MODEL, "graph: a value has an empty name");
    if (oclnn_ir_find(g, name) >= 0)
        return oclnn_fail(E(g), OCLNN_STATUS_INVALID_MODEL, "graph: value '%s' is defined twice", name);
    if (g->num_values >= INT32_MAX - 1)
        return oclnn_fail(E(g), OCLNN_STATUS_LIMIT_EXCEEDED, "graph: too many values");
    if (!grow(g, (void **)&g->values, &g->cap_values, g->num_values + 1, sizeof *g->values) ||
        !hash_reserve(g, g->num_values + 1))
        return oom(g);
    oclnn_ir_value *v = &g->values[g->num_values];
    memset(v, 0, sizeof *v);
    v->name = oclnn_strdup(A(g), name);
    if (!v->name) return oom(g);
    v->kind = kind;
    v->dtype = OCLNN_DTYPE_F32;
    v->producer = -1;
    int idx = (int)g->num_values++;
    hash_insert(g, idx);
    if (index) *index = idx;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_ir_get_or_add(oclnn_graph *g, const char *name, int *index) {
    int i = oclnn_ir_find(g, name);
    if (i >= 0) {
        *index = i;
        return OCLNN_STATUS_OK;
    }
    return oclnn_ir_add_value(g, name, OCLNN_IR_INTERMEDIATE, index);
}

/* Sets @p v to a constant of @p dtype and @p dims holding @p data: copied, or taken when @p take (then freed on
 * failure as well). */
static oclnn_status set_data(oclnn_graph *g, oclnn_ir_value *v, oclnn_dtype dtype, size_t ndim, const int64_t *dims,
                             const void *data, void *take) {
    oclnn_status s = OCLNN_STATUS_OK;
    if (ndim > OCLNN_IR_MAX_DIMS)
        s = oclnn_fail(E(g), OCLNN_STATUS_UNSUPPORTED, "graph: constant '%s' has rank %zu (at most %d)", v->name,
                       ndim, OCLNN_IR_MAX_DIMS);
    size_t es = oclnn_dtype_size(dtype), n = 1, bytes = 0;
    if (!s && !es)
        s = oclnn_fail(E(g), OCLNN_STATUS_UNSUPPORTED, "graph: constant '%s' has an unknown data type", v->name);
    for (size_t d = 0; d < ndim && !s; d++) {
        if (dims[d] < 0)
            s = oclnn_fail(E(g), OCLNN_STATUS_INVALID_MODEL, "graph: constant '%s' has a negative dim", v->name);
        else if (dims[d] > INT32_MAX)
            s = oclnn_fail(E(g), OCLNN_STATUS_LIMIT_EXCEEDED,
                           "graph: constant '%s' has dim %zu = %lld (at most 2^31-1)", v->name, d, (long long)dims[d]);
        else if (!oclnn_mul_size(n, (size_t)dims[d], &n))
            s = oclnn_fail(E(g), OCLNN_STATUS_LIMIT_EXCEEDED, "graph: constant '%s' is too large", v->name);
    }
    if (!s && !oclnn_mul_size(n, es, &bytes))
        s = oclnn_fail(E(g), OCLNN_STATUS_LIMIT_EXCEEDED, "graph: constant '%s' is too large", v->name);
    if (!s && bytes > g->ctx->limits.max_tensor_bytes)
        s = oclnn_fail(E(g), OCLNN_STATUS_LIMIT_EXCEEDED,
                       "graph: constant '%s' has %zu bytes; the tensor limit (max_tensor_bytes, "
                       "OCLNN_MAX_TENSOR_MB) is %llu",
                       v->name, bytes, (unsigned long long)g->ctx->limits.max_tensor_bytes);
    oclnn_ir_data *d = s ? NULL : oclnn_malloc(A(g), sizeof *d);
    void *copy = take;
    if (!s && !take && d && (copy = oclnn_malloc(A(g), bytes ? bytes : 1)) != NULL && bytes) memcpy(copy, data, bytes);
    if (!s && (!d || !copy)) s = oom(g);
    if (s) {
        oclnn_free(A(g), d);
        oclnn_free(A(g), copy);
        return s;
    }
    atomic_init(&d->refs, 1);
    d->bytes = copy;
    data_release(g, v);
    v->shared = d;
    v->data = copy;
    v->nbytes = bytes;
    v->kind = OCLNN_IR_CONSTANT;
    v->dtype = dtype;
    v->has_shape = 1;
    v->ndim = ndim;
    for (size_t k = 0; k < OCLNN_IR_MAX_DIMS; k++) v->dims[k] = k < ndim ? dims[k] : 0;
    return OCLNN_STATUS_OK;
}

static oclnn_status add_constant(oclnn_graph *g, const char *name, oclnn_dtype dtype, size_t ndim,
                                 const int64_t *dims, const void *data, void *take, int *index) {
    int idx;
    oclnn_status s = oclnn_ir_add_value(g, name, OCLNN_IR_CONSTANT, &idx);
    if (s) {
        oclnn_free(A(g), take);
        return s;
    }
    s = set_data(g, &g->values[idx], dtype, ndim, dims, data, take);
    if (s) return s; /* the value stays, as a constant without data; the graph is being torn down anyway */
    if (index) *index = idx;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_ir_add_constant(oclnn_graph *g, const char *name, oclnn_dtype dtype, size_t ndim,
                                   const int64_t *dims, const void *data, int *index) {
    return add_constant(g, name, dtype, ndim, dims, data, NULL, index);
}

oclnn_status oclnn_ir_add_constant_take(oclnn_graph *g, const char *name, oclnn_dtype dtype, size_t ndim,
                                        const int64_t *dims, void *data, int *index) {
    return add_constant(g, name, dtype, ndim, dims, NULL, data, index);
}

oclnn_status oclnn_ir_set_constant(oclnn_graph *g, int value, oclnn_dtype dtype, size_t ndim, const int64_t *dims,
                                   const void *data) {
    oclnn_ir_value *v = &g->values[value];
    oclnn_status s = set_data(g, v, dtype, ndim, dims, data, NULL);
    if (s) return s;
    v->producer = -1;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_ir_set_constant_take(oclnn_graph *g, int value, oclnn_dtype dtype, size_t ndim,
                                        const int64_t *dims, void *data) {
    oclnn_ir_value *v = &g->values[value];
    oclnn_status s = set_data(g, v, dtype, ndim, dims, NULL, data);
    if (s) return s;
    v->producer = -1;
    return OCLNN_STATUS_OK;
}

char *oclnn_ir_unique_name(oclnn_graph *g, const char *prefix) {
    size_t len = strlen(prefix) + 24;
    char *s = oclnn_malloc(A(g), len);
    if (!s) return NULL;
    do snprintf(s, len, "%s_%llu", prefix, (unsigned long long)g->name_counter++);
    while (oclnn_ir_find(g, s) >= 0);
    return s;
}

/* ---- attributes ---- */

oclnn_status oclnn_ir_attr_copy(oclnn_graph *g, oclnn_ir_attr *dst, const oclnn_ir_attr *src) {
    memset(dst, 0, sizeof *dst);
    dst->type = src->type;
    dst->i = src->i;
    dst->f = src->f;
    dst->tensor = src->tensor;
    dst->count = src->count;
    dst->name = oclnn_strdup(A(g), src->name ? src->name : "");
    if (!dst->name) goto fail;
    if (src->s && !(dst->s = oclnn_strdup(A(g), src->s))) goto fail;
    if (src->ints && src->count) {
        if (!(dst->ints = oclnn_malloc(A(g), src->count * sizeof *dst->ints))) goto fail;
        memcpy(dst->ints, src->ints, src->count * sizeof *dst->ints);
    }
    if (src->floats && src->count) {
        if (!(dst->floats = oclnn_malloc(A(g), src->count * sizeof *dst->floats))) goto fail;
        memcpy(dst->floats, src->floats, src->count * sizeof *dst->floats);
    }
    return OCLNN_STATUS_OK;
fail:
    oclnn_ir_attr_free(g, dst);
    return oom(g);
}

const oclnn_ir_attr *oclnn_ir_attr_find(const oclnn_ir_node *n, const char *name) {
    for (size_t i = 0; i < n->num_attrs; i++)
        if (!strcmp(n->attrs[i].name, name)) return &n->attrs[i];
    return NULL;
}

int64_t oclnn_ir_attr_int(const oclnn_ir_node *n, const char *name, int64_t def) {
    const oclnn_ir_attr *a = oclnn_ir_attr_find(n, name);
    if (!a) return def;
    /* a float outside int64's range (or NaN) must not reach the cast, which would be undefined: it reads as
     * INT64_MIN, which every range check refuses */
    if (a->type == OCLNN_ATTR_FLOAT) return a->f > -9.2e18f && a->f < 9.2e18f ? (int64_t)a->f : INT64_MIN;
    return a->i;
}

float oclnn_ir_attr_float(const oclnn_ir_node *n, const char *name, float def) {
    const oclnn_ir_attr *a = oclnn_ir_attr_find(n, name);
    if (!a) return def;
    if (a->type == OCLNN_ATTR_INT) return (float)a->i;
    return a->f;
}

const char *oclnn_ir_attr_string(const oclnn_ir_node *n, const char *name, const char *def) {
    const oclnn_ir_attr *a = oclnn_ir_attr_find(n, name);
    return a && a->s ? a->s : def;
}

const int64_t *oclnn_ir_attr_ints(const oclnn_ir_node *n, const char *name, size_t *count) {
    const oclnn_ir_attr *a = oclnn_ir_attr_find(n, name);
    if (!a || a->type != OCLNN_ATTR_INTS) {
        *count = 0;
        return NULL;
    }
    *count = a->count;
    return a->ints;
}

/* ---- nodes ---- */

oclnn_status oclnn_ir_add_node(oclnn_graph *g, const char *op_type, const char *domain, const char *name,
                               int64_t opset, size_t num_inputs, const int *inputs, size_t num_outputs,
                               const int *outputs, size_t num_attrs, const oclnn_ir_attr *attrs, int *index) {
    if (!op_type || !*op_type) return oclnn_fail(E(g), OCLNN_STATUS_INVALID_MODEL, "graph: a node has no op_type");
    if (g->num_nodes >= INT32_MAX - 1 || g->num_nodes >= g->ctx->limits.max_nodes)
        return oclnn_fail(E(g), OCLNN_STATUS_LIMIT_EXCEEDED,
                          "graph: node '%s' (%s) would be node %zu; the node limit (max_nodes, OCLNN_MAX_NODES) "
                          "is %llu",
                          name ? name : "", op_type, g->num_nodes + 1, (unsigned long long)g->ctx->limits.max_nodes);
    for (size_t o = 0; o < num_outputs; o++) {
        if (outputs[o] < 0) continue;
        const oclnn_ir_value *v = &g->values[outputs[o]];
        if (v->producer >= 0 || v->kind != OCLNN_IR_INTERMEDIATE)
            return oclnn_fail(E(g), OCLNN_STATUS_INVALID_MODEL,
                              "graph: node '%s' (%s) writes '%s', which is %s", name ? name : "", op_type, v->name,
                              v->producer >= 0 ? "already produced by another node"
                                               : "a graph input or constant");
    }
    if (!grow(g, (void **)&g->nodes, &g->cap_nodes, g->num_nodes + 1, sizeof *g->nodes)) return oom(g);
    oclnn_ir_node *n = &g->nodes[g->num_nodes];
    memset(n, 0, sizeof *n);
    char *made = NULL;
    if (!name || !*name) {
        made = oclnn_ir_unique_name(g, op_type);
        if (!made) return oom(g);
    }
    n->name = made ? made : oclnn_strdup(A(g), name);
    n->op_type = oclnn_strdup(A(g), op_type);
    n->domain = oclnn_strdup(A(g), domain ? domain : "");
    n->opset = opset;
    n->inputs = oclnn_malloc(A(g), (num_inputs ? num_inputs : 1) * sizeof(int));
    n->outputs = oclnn_malloc(A(g), (num_outputs ? num_outputs : 1) * sizeof(int));
    n->attrs = oclnn_calloc(A(g), num_attrs ? num_attrs : 1, sizeof *n->attrs);
    int idx = (int)g->num_nodes++; /* counted now so that destroy frees a half-built node */
    if (!n->name || !n->op_type || !n->domain || !n->inputs || !n->outputs || !n->attrs) return oom(g);
    if (num_inputs) memcpy(n->inputs, inputs, num_inputs * sizeof(int));
    if (num_outputs) memcpy(n->outputs, outputs, num_outputs * sizeof(int));
    n->num_inputs = num_inputs;
    n->num_outputs = num_outputs;
    for (size_t a = 0; a < num_attrs; a++) {
        oclnn_status s = oclnn_ir_attr_copy(g, &n->attrs[a], &attrs[a]);
        if (s) return s;
        n->num_attrs = a + 1;
    }
    for (size_t o = 0; o < num_outputs; o++)
        if (outputs[o] >= 0) g->values[outputs[o]].producer = idx;
    if (index) *index = idx;
    return OCLNN_STATUS_OK;
}

/* ---- whole-graph helpers ---- */

static int int_list_push(oclnn_graph *g, int **arr, size_t *n, size_t *cap, int v) {
    if (!grow(g, (void **)arr, cap, *n + 1, sizeof **arr)) return 0;
    (*arr)[(*n)++] = v;
    return 1;
}

oclnn_status oclnn_ir_clone(const oclnn_graph *src, oclnn_graph **out) {
    *out = NULL;
    oclnn_graph *g;
    oclnn_status s = oclnn_ir_create(src->ctx, &g);
    if (s) return s;
    g->opset = src->opset;
    g->name_counter = src->name_counter;
    for (size_t i = 0; i < src->num_values && !s; i++) {
        const oclnn_ir_value *v = &src->values[i];
        int idx;
        s = oclnn_ir_add_value(g, v->name, v->kind, &idx);
        if (s) break;
        oclnn_ir_value *d = &g->values[idx];
        char *name = d->name;
        *d = *v;
        d->name = name;
        /* constant bytes are shared, not copied (they are never written once set) */
        if (v->shared) atomic_fetch_add(&v->shared->refs, 1);
        for (size_t k = 0; k < OCLNN_IR_MAX_DIMS; k++) {
            d->dim_param[k] = NULL;
            if (v->dim_param[k] && !(d->dim_param[k] = oclnn_strdup(A(g), v->dim_param[k]))) s = oom(g);
        }
        d->producer = -1; /* set again by add_node */
    }
    for (size_t i = 0; i < src->num_nodes && !s; i++) {
        const oclnn_ir_node *n = &src->nodes[i];
        int idx;
        s = oclnn_ir_add_node(g, n->op_type, n->domain, n->name, n->opset, n->num_inputs, n->inputs, n->num_outputs,
                              n->outputs, n->num_attrs, n->attrs, &idx);
        if (s) break;
        oclnn_ir_node *d = &g->nodes[idx];
        d->fuse = n->fuse;
        d->dead = n->dead;
        if (n->display_op && !(d->display_op = oclnn_strdup(A(g), n->display_op))) s = oom(g);
    }
    for (size_t i = 0; i < src->num_inputs && !s; i++)
        if (!int_list_push(g, &g->inputs, &g->num_inputs, &g->cap_inputs, src->inputs[i])) s = oom(g);
    for (size_t i = 0; i < src->num_outputs && !s; i++)
        if (!int_list_push(g, &g->outputs, &g->num_outputs, &g->cap_outputs, src->outputs[i])) s = oom(g);
    if (s) {
        oclnn_ir_destroy(g);
        return s;
    }
    *out = g;
    return OCLNN_STATUS_OK;
}

uint64_t oclnn_ir_numel(const oclnn_ir_value *v) {
    if (!v->has_shape) return 0;
    uint64_t n = 1;
    for (size_t d = 0; d < v->ndim; d++) {
        if (v->dims[d] < 0) return 0;
        if (__builtin_mul_overflow(n, (uint64_t)v->dims[d], &n)) return 0;
    }
    return n;
}

oclnn_status oclnn_ir_use_counts(const oclnn_graph *g, uint32_t **counts) {
    *counts = oclnn_calloc(A(g), g->num_values ? g->num_values : 1, sizeof **counts);
    if (!*counts) return oclnn_fail(E(g), OCLNN_STATUS_OUT_OF_HOST_MEMORY, "graph: out of host memory");
    for (size_t i = 0; i < g->num_nodes; i++) {
        const oclnn_ir_node *n = &g->nodes[i];
        if (n->dead) continue;
        for (size_t k = 0; k < n->num_inputs; k++)
            if (n->inputs[k] >= 0) (*counts)[n->inputs[k]]++;
    }
    for (size_t i = 0; i < g->num_outputs; i++) (*counts)[g->outputs[i]]++;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_ir_topo_order(const oclnn_graph *g, int **order, size_t *count) {
    *order = NULL;
    *count = 0;
    size_t nn = g->num_nodes ? g->num_nodes : 1;
    uint32_t *pending = oclnn_calloc(A(g), nn, sizeof *pending);
    /* consumers of each value as a CSR list, so the walk is linear in the edges */
    uint32_t *start = oclnn_calloc(A(g), g->num_values + 1, sizeof *start);
    int *queue = oclnn_malloc(A(g), nn * sizeof *queue);
    int *cons = NULL;
    size_t edges = 0;
    oclnn_status s = OCLNN_STATUS_OK;
    if (!pending || !start || !queue) goto oom_out;
    for (size_t i = 0; i < g->num_nodes; i++) {
        const oclnn_ir_node *n = &g->nodes[i];
        if (n->dead) continue;
        for (size_t k = 0; k < n->num_inputs; k++) {
            int v = n->inputs[k];
            if (v < 0 || g->values[v].producer < 0 || g->nodes[g->values[v].producer].dead) continue;
            start[v + 1]++;
            edges++;
            pending[i]++;
        }
    }
    for (size_t v = 0; v < g->num_values; v++) start[v + 1] += start[v];
    cons = oclnn_malloc(A(g), (edges ? edges : 1) * sizeof *cons);
    uint32_t *fill = oclnn_calloc(A(g), g->num_values + 1, sizeof *fill);
    if (!cons || !fill) {
        oclnn_free(A(g), fill);
        goto oom_out;
    }
    for (size_t i = 0; i < g->num_nodes; i++) {
        const oclnn_ir_node *n = &g->nodes[i];
        if (n->dead) continue;
        for (size_t k = 0; k < n->num_inputs; k++) {
            int v = n->inputs[k];
            if (v < 0 || g->values[v].producer < 0 || g->nodes[g->values[v].producer].dead) continue;
            cons[start[v] + fill[v]++] = (int)i;
        }
    }
    oclnn_free(A(g), fill);
    size_t head = 0, tail = 0, live = 0;
    for (size_t i = 0; i < g->num_nodes; i++) {
        if (g->nodes[i].dead) continue;
        live++;
        if (!pending[i]) queue[tail++] = (int)i;
    }
    while (head < tail) {
        int ni = queue[head++];
        const oclnn_ir_node *n = &g->nodes[ni];
        for (size_t o = 0; o < n->num_outputs; o++) {
            int v = n->outputs[o];
            if (v < 0) continue;
            for (uint32_t c = start[v]; c < start[v + 1]; c++)
                if (--pending[cons[c]] == 0) queue[tail++] = cons[c];
        }
    }
    if (tail != live) {
        const char *where = "";
        for (size_t i = 0; i < g->num_nodes; i++)
            if (!g->nodes[i].dead && pending[i]) {
                where = g->nodes[i].name;
                break;
            }
        s = oclnn_fail(E(g), OCLNN_STATUS_INVALID_MODEL, "graph: the nodes form a cycle (through node '%s')", where);
        goto out;
    }
    *order = queue;
    *count = tail;
    queue = NULL;
    goto out;
oom_out:
    s = oom((oclnn_graph *)g);
out:
    oclnn_free(A(g), pending);
    oclnn_free(A(g), start);
    oclnn_free(A(g), queue);
    oclnn_free(A(g), cons);
    return s;
}
