/* ir.h - the graph IR shared by the builder API, the ONNX importer, the passes and the runtime.
 *
 * Values and nodes live in growable arrays and refer to each other by index. Names are unique per value
 * (a hash table maps them). Passes mark nodes dead instead of removing them, so indices stay stable.
 */
#ifndef OCLNN_GRAPH_IR_H
#define OCLNN_GRAPH_IR_H

#include "oclnn.h"
#include "oclnn_graph.h"
#include "core/core.h"
#include "device/device.h"

/* ONNX values may have more dims than device tensors (shape arithmetic, 3-D conv weights). */
#define OCLNN_IR_MAX_DIMS 8

typedef enum oclnn_ir_kind {
    OCLNN_IR_INPUT = 1,        /* graph input, fed at run time */
    OCLNN_IR_CONSTANT = 2,     /* host data known at load time (initializers, Constant nodes, folded values) */
    OCLNN_IR_INTERMEDIATE = 3, /* produced by a node */
} oclnn_ir_kind;

/* The bytes of a constant, shared by reference count between a graph and its clones (the runtime's copy, an
 * inner runtime's): constant data is never written once set (passes make new values), so a clone costs no copy of
 * the weights. Defined in ir.c. */
typedef struct oclnn_ir_data oclnn_ir_data;

typedef struct oclnn_ir_value {
    char *name;
    oclnn_ir_kind kind;
    oclnn_dtype dtype;  /* F32 activations; constants keep their type (I64 shapes, ...) */
    int has_shape;      /* 0: not inferred yet (rank unknown) */
    size_t ndim;
    int64_t dims[OCLNN_IR_MAX_DIMS]; /* -1: unknown / dynamic */
    char *dim_param[OCLNN_IR_MAX_DIMS]; /* symbolic name of a dynamic input dim, or NULL */
    void *data;         /* CONSTANT: host copy, row-major elements of dtype (read-only; held through shared) */
    oclnn_ir_data *shared; /* CONSTANT: the reference-counted owner of data; NULL when the data was dropped */
    size_t nbytes;      /* CONSTANT: bytes of data (kept when the data is dropped) */
    int is_output;      /* listed as a graph output */
    int producer;       /* node index; -1 for inputs and constants */
} oclnn_ir_value;

/* Attribute types: the public ones plus a tensor (ONNX Constant/ConstantOfShape 'value') and anything else. */
#define OCLNN_IR_ATTR_TENSOR 100
#define OCLNN_IR_ATTR_OTHER 101 /* graph, sparse tensor, type protos...: kept only so errors can name them */

typedef struct oclnn_ir_attr {
    char *name;
    int type; /* oclnn_attr_type or OCLNN_IR_ATTR_* */
    int64_t i;
    float f;
    char *s;
    size_t count;
    int64_t *ints;
    float *floats;
    int tensor; /* TENSOR: index of a CONSTANT value that is not an edge of the graph */
} oclnn_ir_attr;

/* What passes fused into a node; the runtime's op implementations honour it. */
typedef struct oclnn_ir_fusion {
    oclnn_activation activation;
    float alpha, beta;
    oclnn_residual residual; /* when not NONE, the node's last input is the residual tensor */
} oclnn_ir_fusion;

typedef struct oclnn_ir_node {
    char *name;
    char *op_type;
    char *domain;   /* "" for the default ONNX domain */
    int64_t opset;  /* the version of the node's domain the model imports */
    size_t num_inputs;
    int *inputs;    /* value indices; -1 for an omitted optional input */
    size_t num_outputs;
    int *outputs;   /* value indices; -1 for an omitted optional output */
    size_t num_attrs;
    oclnn_ir_attr *attrs;
    oclnn_ir_fusion fuse;
    char *display_op; /* set by passes ("Conv+Add+Relu"); NULL: op_type */
    int dead;         /* removed by a pass */
} oclnn_ir_node;

struct oclnn_graph {
    oclnn_context *ctx; /* errors and the allocator */
    int64_t opset;      /* default-domain op set (builder default 18) */
    oclnn_ir_value *values;
    size_t num_values, cap_values;
    oclnn_ir_node *nodes;
    size_t num_nodes, cap_nodes;
    int *inputs; /* value indices, in declaration order */
    size_t num_inputs, cap_inputs;
    int *outputs;
    size_t num_outputs, cap_outputs;
    /* name -> value index, open addressing; slots hold index + 1 (0 = empty) */
    uint32_t *hash;
    size_t hash_cap;
    uint64_t name_counter; /* for made-up names */
};

#define OCLNN_IR_ALLOC(g) ((g)->ctx ? (g)->ctx->alloc : NULL)
#define OCLNN_IR_ERR(g) (&(g)->ctx->err)

oclnn_status oclnn_ir_create(oclnn_context *ctx, oclnn_graph **out);
void oclnn_ir_destroy(oclnn_graph *g);

/* Deep copy (the runtime keeps its own graph). */
oclnn_status oclnn_ir_clone(const oclnn_graph *g, oclnn_graph **out);

/* Index of the value called @p name, or -1. */
int oclnn_ir_find(const oclnn_graph *g, const char *name);

/* Adds a value; fails (INVALID_MODEL) if the name exists. *index receives its index. */
oclnn_status oclnn_ir_add_value(oclnn_graph *g, const char *name, oclnn_ir_kind kind, int *index);

/* Returns the value called @p name, adding an INTERMEDIATE one without a shape if it does not exist yet. */
oclnn_status oclnn_ir_get_or_add(oclnn_graph *g, const char *name, int *index);

/* Adds a constant value (data copied), for the importer and for passes that fold. */
oclnn_status oclnn_ir_add_constant(oclnn_graph *g, const char *name, oclnn_dtype dtype, size_t ndim,
                                   const int64_t *dims, const void *data, int *index);

/* Turns an existing value into a constant holding @p data (copied); used by constant folding. */
oclnn_status oclnn_ir_set_constant(oclnn_graph *g, int value, oclnn_dtype dtype, size_t ndim, const int64_t *dims,
                                   const void *data);

/* The same two without a copy: the graph takes @p data, a block from the context's allocator holding exactly the
 * bytes the dims and dtype need (the importer hands over decoded tensors). It is freed on failure too. */
oclnn_status oclnn_ir_add_constant_take(oclnn_graph *g, const char *name, oclnn_dtype dtype, size_t ndim,
                                        const int64_t *dims, void *data, int *index);
oclnn_status oclnn_ir_set_constant_take(oclnn_graph *g, int value, oclnn_dtype dtype, size_t ndim,
                                        const int64_t *dims, void *data);

/* Releases this graph's reference to a constant's bytes (data becomes NULL; kind, dims and nbytes stay): the
 * runtime drops the weights it has packed into device buffers. */
void oclnn_ir_drop_data(oclnn_graph *g, int value);

/* A fresh name "prefix_N" that no value has. Returned string is owned by the caller (oclnn_free). */
char *oclnn_ir_unique_name(oclnn_graph *g, const char *prefix);

/*
 * Appends a node (inputs/outputs are value indices, copied; attrs are deep-copied). Sets the outputs' producer
 * and fails with INVALID_MODEL if an output already has one. *index (may be NULL) receives the node index.
 */
oclnn_status oclnn_ir_add_node(oclnn_graph *g, const char *op_type, const char *domain, const char *name,
                               int64_t opset, size_t num_inputs, const int *inputs, size_t num_outputs,
                               const int *outputs, size_t num_attrs, const oclnn_ir_attr *attrs, int *index);

/* Deep copy of one attribute into @p dst (dst->tensor indices are kept as they are). */
oclnn_status oclnn_ir_attr_copy(oclnn_graph *g, oclnn_ir_attr *dst, const oclnn_ir_attr *src);
void oclnn_ir_attr_free(oclnn_graph *g, oclnn_ir_attr *a);

/* Attribute lookup. The getters return @p def when the attribute is absent. */
const oclnn_ir_attr *oclnn_ir_attr_find(const oclnn_ir_node *n, const char *name);
int64_t oclnn_ir_attr_int(const oclnn_ir_node *n, const char *name, int64_t def);
float oclnn_ir_attr_float(const oclnn_ir_node *n, const char *name, float def);
const char *oclnn_ir_attr_string(const oclnn_ir_node *n, const char *name, const char *def);
/* INTS: *count receives the length (0 when absent) and the array is returned (NULL when absent). */
const int64_t *oclnn_ir_attr_ints(const oclnn_ir_node *n, const char *name, size_t *count);

/* Number of elements of a value with a known shape (1 for rank 0); 0 on overflow or unknown dims. */
uint64_t oclnn_ir_numel(const oclnn_ir_value *v);

/* Values consumed by live nodes or listed as outputs: counts[v] = number of (live node, input slot) uses. */
oclnn_status oclnn_ir_use_counts(const oclnn_graph *g, uint32_t **counts);

/* Node indices of live nodes in a topological order (Kahn's algorithm, no recursion); fails on a cycle. */
oclnn_status oclnn_ir_topo_order(const oclnn_graph *g, int **order, size_t *count);

/* ---- Passes (lib/graph/fold.c, fuse.c, infer.c) ---- */

/* Infers dtype and shape of every intermediate value from the inputs' (fully known) shapes. Names the node
 * on failure. Nodes whose outputs cannot be inferred yet (inputs unknown) are left as they are. */
oclnn_status oclnn_ir_infer_shapes(oclnn_graph *g);
/* The same; with @p strict 0, nodes of op types the runtime cannot run are skipped instead of refused (their
 * outputs stay unknown), so that constant folding can still remove them (shape sub-graphs). */
oclnn_status oclnn_ir_infer_shapes_ex(oclnn_graph *g, int strict);

/* Evaluates on the host every live node whose inputs are all constants (and Shape/Size nodes whose input
 * shape is known), turning its outputs into constants and marking it dead. *changed is set when it folded. */
oclnn_status oclnn_ir_fold_constants(oclnn_graph *g, int *changed);

/* Identity/Dropout removal, BN folding, activation/residual fusion (options->fuse), dead-node removal. */
oclnn_status oclnn_ir_fuse(oclnn_graph *g, const oclnn_runtime_options *options);

/* Marks nodes dead whose outputs nobody needs. */
oclnn_status oclnn_ir_remove_dead(oclnn_graph *g);

#endif
