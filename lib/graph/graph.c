/* graph.c - the public graph builder and introspection API (oclnn_graph.h) over the IR of ir.h. */
#include "graph/ir.h"

#include <string.h>

#define E(g) OCLNN_IR_ERR(g)

oclnn_status oclnn_graph_create(oclnn_context *ctx, oclnn_graph **out) { return oclnn_ir_create(ctx, out); }

void oclnn_graph_destroy(oclnn_graph *graph) { oclnn_ir_destroy(graph); }

static oclnn_status push_index(oclnn_graph *g, int **arr, size_t *n, size_t *cap, int v) {
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        int *p = oclnn_realloc(OCLNN_IR_ALLOC(g), *arr, nc * sizeof *p);
        if (!p) return oclnn_fail(E(g), OCLNN_STATUS_OUT_OF_HOST_MEMORY, "graph: out of host memory");
        *arr = p;
        *cap = nc;
    }
    (*arr)[(*n)++] = v;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_graph_add_input(oclnn_graph *g, const char *name, oclnn_dtype dtype, size_t ndim,
                                   const int64_t *dims) {
    if (!g) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "graph_add_input: graph is NULL");
    if (!name || (ndim && !dims) || ndim > OCLNN_IR_MAX_DIMS || !oclnn_dtype_size(dtype))
        return oclnn_fail(E(g), OCLNN_STATUS_INVALID_ARGUMENT,
                          "graph_add_input: needs a name, a known dtype and 0..%d dims", OCLNN_IR_MAX_DIMS);
    for (size_t d = 0; d < ndim; d++)
        if (dims[d] < -1)
            return oclnn_fail(E(g), OCLNN_STATUS_INVALID_SHAPE, "graph_add_input: '%s' dim %zu is %lld", name, d,
                              (long long)dims[d]);
    int idx;
    oclnn_status s = oclnn_ir_add_value(g, name, OCLNN_IR_INPUT, &idx);
    if (s) return s;
    oclnn_ir_value *v = &g->values[idx];
    v->dtype = dtype;
    v->has_shape = 1;
    v->ndim = ndim;
    for (size_t d = 0; d < ndim; d++) v->dims[d] = dims[d];
    return push_index(g, &g->inputs, &g->num_inputs, &g->cap_inputs, idx);
}

oclnn_status oclnn_graph_add_constant(oclnn_graph *g, const char *name, oclnn_dtype dtype, size_t ndim,
                                      const int64_t *dims, const void *data) {
    if (!g) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "graph_add_constant: graph is NULL");
    if (!name || (ndim && !dims) || !data)
        return oclnn_fail(E(g), OCLNN_STATUS_INVALID_ARGUMENT, "graph_add_constant: name, dims and data must be set");
    return oclnn_ir_add_constant(g, name, dtype, ndim, dims, data, NULL);
}

oclnn_status oclnn_graph_add_node(oclnn_graph *g, const char *op_type, const char *name, size_t num_inputs,
                                  const char *const *inputs, size_t num_outputs, const char *const *outputs,
                                  size_t num_attrs, const oclnn_attr *attrs) {
    if (!g) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "graph_add_node: graph is NULL");
    if (!op_type || (num_inputs && !inputs) || !num_outputs || !outputs || (num_attrs && !attrs))
        return oclnn_fail(E(g), OCLNN_STATUS_INVALID_ARGUMENT,
                          "graph_add_node: needs an op_type, at least one output, and arrays for the counts given");
    const oclnn_allocator *al = OCLNN_IR_ALLOC(g);
    int *in = oclnn_malloc(al, (num_inputs + num_outputs + 1) * sizeof *in);
    oclnn_ir_attr *at = oclnn_calloc(al, num_attrs + 1, sizeof *at);
    oclnn_status s = OCLNN_STATUS_OK;
    if (!in || !at) {
        s = oclnn_fail(E(g), OCLNN_STATUS_OUT_OF_HOST_MEMORY, "graph: out of host memory");
        goto out;
    }
    int *out = in + num_inputs;
    for (size_t i = 0; i < num_inputs && !s; i++) {
        if (!inputs[i] || !*inputs[i]) in[i] = -1;
        else s = oclnn_ir_get_or_add(g, inputs[i], &in[i]);
    }
    for (size_t i = 0; i < num_outputs && !s; i++) {
        if (!outputs[i] || !*outputs[i]) out[i] = -1;
        else s = oclnn_ir_get_or_add(g, outputs[i], &out[i]);
    }
    for (size_t i = 0; i < num_attrs && !s; i++) {
        /* the IR attribute has the public one's members; views of the caller's arrays, copied by add_node */
        at[i].name = (char *)attrs[i].name;
        at[i].type = attrs[i].type;
        at[i].i = attrs[i].i;
        at[i].f = attrs[i].f;
        at[i].s = (char *)attrs[i].s;
        at[i].count = attrs[i].count;
        at[i].ints = (int64_t *)attrs[i].ints;
        at[i].floats = (float *)attrs[i].floats;
        if (!at[i].name)
            s = oclnn_fail(E(g), OCLNN_STATUS_INVALID_ARGUMENT, "graph_add_node: attribute %zu has no name", i);
    }
    if (!s) s = oclnn_ir_add_node(g, op_type, "", name, g->opset, num_inputs, in, num_outputs, out, num_attrs, at, NULL);
out:
    oclnn_free(al, in);
    oclnn_free(al, at);
    return s;
}

oclnn_status oclnn_graph_add_output(oclnn_graph *g, const char *name) {
    if (!g) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "graph_add_output: graph is NULL");
    if (!name) return oclnn_fail(E(g), OCLNN_STATUS_INVALID_ARGUMENT, "graph_add_output: name is NULL");
    int idx;
    oclnn_status s = oclnn_ir_get_or_add(g, name, &idx);
    if (s) return s;
    if (g->values[idx].is_output)
        return oclnn_fail(E(g), OCLNN_STATUS_INVALID_ARGUMENT, "graph_add_output: '%s' is already an output", name);
    g->values[idx].is_output = 1;
    return push_index(g, &g->outputs, &g->num_outputs, &g->cap_outputs, idx);
}

oclnn_status oclnn_graph_set_opset(oclnn_graph *g, int64_t opset) {
    if (!g) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "graph_set_opset: graph is NULL");
    if (opset < 7 || opset > 18)
        return oclnn_fail(E(g), OCLNN_STATUS_UNSUPPORTED, "graph_set_opset: op set %lld (supported: 7..18)",
                          (long long)opset);
    g->opset = opset;
    return OCLNN_STATUS_OK;
}

size_t oclnn_graph_num_inputs(const oclnn_graph *g) { return g ? g->num_inputs : 0; }
size_t oclnn_graph_num_outputs(const oclnn_graph *g) { return g ? g->num_outputs : 0; }

size_t oclnn_graph_num_nodes(const oclnn_graph *g) {
    size_t n = 0;
    for (size_t i = 0; g && i < g->num_nodes; i++) n += !g->nodes[i].dead;
    return n;
}

const char *oclnn_graph_input_name(const oclnn_graph *g, size_t i) {
    return g && i < g->num_inputs ? g->values[g->inputs[i]].name : NULL;
}

const char *oclnn_graph_output_name(const oclnn_graph *g, size_t i) {
    return g && i < g->num_outputs ? g->values[g->outputs[i]].name : NULL;
}

oclnn_status oclnn_graph_input_shape(const oclnn_graph *g, size_t index, oclnn_dtype *dtype, size_t *ndim,
                                     int64_t *dims) {
    if (!g) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "graph_input_shape: graph is NULL");
    if (index >= g->num_inputs)
        return oclnn_fail(E(g), OCLNN_STATUS_INVALID_ARGUMENT, "graph_input_shape: index %zu out of range (%zu inputs)",
                          index, g->num_inputs);
    const oclnn_ir_value *v = &g->values[g->inputs[index]];
    if (v->ndim > OCLNN_MAX_DIMS && dims)
        return oclnn_fail(E(g), OCLNN_STATUS_UNSUPPORTED, "graph_input_shape: input '%s' has rank %zu (at most %d)",
                          v->name, v->ndim, OCLNN_MAX_DIMS);
    if (dtype) *dtype = v->dtype;
    if (ndim) *ndim = v->ndim;
    if (dims)
        for (size_t d = 0; d < v->ndim; d++) dims[d] = v->dims[d];
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_graph_fix_input(oclnn_graph *g, const char *name, size_t ndim, const int64_t *dims) {
    if (!g) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "graph_fix_input: graph is NULL");
    int idx = name ? oclnn_ir_find(g, name) : -1;
    if (idx < 0 || g->values[idx].kind != OCLNN_IR_INPUT)
        return oclnn_fail(E(g), OCLNN_STATUS_INVALID_ARGUMENT, "graph_fix_input: '%s' is not a graph input",
                          name ? name : "(null)");
    oclnn_ir_value *v = &g->values[idx];
    if (ndim != v->ndim || (ndim && !dims))
        return oclnn_fail(E(g), OCLNN_STATUS_INVALID_SHAPE, "graph_fix_input: '%s' has rank %zu, not %zu", name,
                          v->ndim, ndim);
    for (size_t d = 0; d < ndim; d++)
        if (dims[d] == 0)
            return oclnn_fail(E(g), OCLNN_STATUS_UNSUPPORTED,
                              "graph_fix_input: '%s' dim %zu is 0: zero-size tensors are not supported", name, d);
    for (size_t d = 0; d < ndim; d++)
        if (dims[d] < 1 || (v->dims[d] >= 0 && v->dim_param[d] == NULL && v->dims[d] != dims[d]))
            return oclnn_fail(E(g), OCLNN_STATUS_INVALID_SHAPE,
                              "graph_fix_input: '%s' dim %zu: %lld given, %lld declared", name, d,
                              (long long)dims[d], (long long)v->dims[d]);
    for (size_t d = 0; d < ndim; d++) v->dims[d] = dims[d];
    return OCLNN_STATUS_OK;
}
