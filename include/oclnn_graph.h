/* oclnn_graph.h - graphs (built with the C API or imported from ONNX) and the runtime that executes them.
 *
 * A graph is a host-side description: values (graph inputs, constants, intermediates) and nodes with ONNX op
 * types and attributes. A runtime is compiled from a graph (passes, algorithm choice, memory plan) and is
 * independent of it afterwards: the graph may be destroyed while the runtime lives.
 *
 * Threads (see oclnn.h): a graph or a runtime is used by one thread at a time; different graphs and runtimes on one
 * shared context may be used by different threads at once (each thread its own runtime). A runtime's launch counts
 * (oclnn_runtime_stats, oclnn_node_info) count only its own kernels, whatever other threads enqueue meanwhile.
 */
#ifndef OCLNN_GRAPH_H
#define OCLNN_GRAPH_H

#include "oclnn.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct oclnn_graph oclnn_graph;
typedef struct oclnn_runtime oclnn_runtime;

/* ---- Building ---------------------------------------------------------------------------------------- */

typedef enum oclnn_attr_type {
    OCLNN_ATTR_INT = 1,
    OCLNN_ATTR_FLOAT = 2,
    OCLNN_ATTR_STRING = 3,
    OCLNN_ATTR_INTS = 4,
    OCLNN_ATTR_FLOATS = 5,
} oclnn_attr_type;

/** One node attribute, with ONNX's name and meaning. Only the member that @p type names is read. */
typedef struct oclnn_attr {
    const char *name;
    oclnn_attr_type type;
    int64_t i;
    float f;
    const char *s;
    size_t count; /**< elements of ints / floats */
    const int64_t *ints;
    const float *floats;
} oclnn_attr;

/** Creates an empty graph. Errors go to the context's last error; the graph keeps @p ctx for that. */
OCLNN_API oclnn_status oclnn_graph_create(oclnn_context *ctx, oclnn_graph **out);

/** NULL is a no-op. */
OCLNN_API void oclnn_graph_destroy(oclnn_graph *graph);

/** Declares a graph input. A dim of -1 is dynamic: fix it with oclnn_graph_fix_input() or at reshape. */
OCLNN_API oclnn_status oclnn_graph_add_input(oclnn_graph *graph, const char *name, oclnn_dtype dtype, size_t ndim,
                                             const int64_t *dims);

/** Adds a constant (weights, shapes). @p data holds the product of @p dims elements of @p dtype; it is copied. */
OCLNN_API oclnn_status oclnn_graph_add_constant(oclnn_graph *graph, const char *name, oclnn_dtype dtype, size_t ndim,
                                                const int64_t *dims, const void *data);

/**
 * Adds a node with ONNX semantics (op set 18 unless oclnn_graph_set_opset() says otherwise). Inputs name values
 * defined earlier or later (the graph is checked when a runtime is made); "" marks an omitted optional input.
 * @p name may be NULL (a name is made up). Unknown op types are accepted here and refused by the runtime.
 */
OCLNN_API oclnn_status oclnn_graph_add_node(oclnn_graph *graph, const char *op_type, const char *name,
                                            size_t num_inputs, const char *const *inputs, size_t num_outputs,
                                            const char *const *outputs, size_t num_attrs, const oclnn_attr *attrs);

/** Marks a value as a graph output (in the order of the calls). */
OCLNN_API oclnn_status oclnn_graph_add_output(oclnn_graph *graph, const char *name);

/** The default ONNX op set of nodes added with oclnn_graph_add_node (7..18). */
OCLNN_API oclnn_status oclnn_graph_set_opset(oclnn_graph *graph, int64_t opset);

/* ---- ONNX import ------------------------------------------------------------------------------------- */

/**
 * Loads an ONNX model (op sets 1-18 of the default domain). External data is read relative to the file's folder,
 * never outside it. The file is mapped read-only while it loads (its pages are given back as the weights are read,
 * so a large model is not held twice); as with any mapped file, another process truncating it during the load makes
 * the system raise SIGBUS in this one. Where files can change underneath, read them yourself and use
 * oclnn_onnx_load_buffer().
 * @retval OCLNN_STATUS_IO_ERROR when the file cannot be read
 * @retval OCLNN_STATUS_INVALID_MODEL for a corrupt protobuf or an inconsistent graph, naming the node/tensor
 * @retval OCLNN_STATUS_UNSUPPORTED for an op, attribute or data type we do not run, naming node and op_type
 */
OCLNN_API oclnn_status oclnn_onnx_load_file(oclnn_context *ctx, const char *path, oclnn_graph **out);

/** The same from memory. @p base_dir is where external data lives (NULL: external data is refused with
 * OCLNN_STATUS_INVALID_ARGUMENT). */
OCLNN_API oclnn_status oclnn_onnx_load_buffer(oclnn_context *ctx, const void *data, size_t size,
                                              const char *base_dir, oclnn_graph **out);

/* ---- Introspection ----------------------------------------------------------------------------------- */

OCLNN_API size_t oclnn_graph_num_inputs(const oclnn_graph *graph);
OCLNN_API size_t oclnn_graph_num_outputs(const oclnn_graph *graph);
OCLNN_API size_t oclnn_graph_num_nodes(const oclnn_graph *graph);
/** Name of input/output @p index, NULL when out of range. Constants are not inputs. */
OCLNN_API const char *oclnn_graph_input_name(const oclnn_graph *graph, size_t index);
OCLNN_API const char *oclnn_graph_output_name(const oclnn_graph *graph, size_t index);
/** Declared shape of an input; dynamic dims are -1. @p dims needs room for OCLNN_MAX_DIMS. */
OCLNN_API oclnn_status oclnn_graph_input_shape(const oclnn_graph *graph, size_t index, oclnn_dtype *dtype,
                                               size_t *ndim, int64_t *dims);
/** Replaces an input's declared shape (fixes dynamic dims). Same rank; fixed dims must agree. A dim of 0 is
 * OCLNN_STATUS_UNSUPPORTED (zero-size tensors). */
OCLNN_API oclnn_status oclnn_graph_fix_input(oclnn_graph *graph, const char *name, size_t ndim,
                                             const int64_t *dims);

/* ---- Runtime ----------------------------------------------------------------------------------------- */

typedef struct oclnn_runtime_options {
    uint32_t num_queues; /**< queues used for independent branches; capped by the context's (default 1) */
    int fuse;            /**< 1 (default): BN folding, conv+bias+activation(+add) fusion; 0: run node by node */
    int concat_views;    /**< 1 (default): producers write into their slice of a channel concat */
    int profile;         /**< 1: time each node with OpenCL events (oclnn_runtime_node_info's time_ns) */
} oclnn_runtime_options;

OCLNN_API void oclnn_runtime_options_init(oclnn_runtime_options *options);

/**
 * Compiles @p graph for the context's device: folds constants and shape sub-graphs, fuses, chooses each conv's
 * algorithm, builds (or fetches from the cache) every kernel, packs weights and plans memory for the declared
 * input shapes (all dims must be known by then). @p options may be NULL.
 *
 * Weights fed as graph inputs (an input read on the host by an op: Conv/ConvTranspose W and B, BatchNormalization's
 * parameters, PRelu's slope, Clip's bounds, Resize's scales and sizes, Pad/Slice/Reshape/... shape inputs): the
 * graph is then compiled at the first oclnn_runtime_invoke, with those inputs' data as constants, and compiled
 * again when their bytes change. Such inputs must be set with oclnn_runtime_set_input (oclnn_runtime_tensor refuses
 * them), every input's data is also kept on the host (to feed a recompiled runtime), and outputs, steps and stats
 * exist from the first invoke on (before it: OCLNN_STATUS_INVALID_STATE).
 */
OCLNN_API oclnn_status oclnn_runtime_create(oclnn_context *ctx, const oclnn_graph *graph,
                                            const oclnn_runtime_options *options, oclnn_runtime **out);

/**
 * The same, handing the graph over: the runtime compiles *graph itself instead of a copy and frees each weight's
 * host bytes as soon as its operator has packed them into device memory, so host and device copies of the weights
 * never coexist in full (lower peak memory; see README "Peak memory"). *graph is destroyed, on failure too, and set to
 * NULL. The graph must have been made on @p ctx (else OCLNN_STATUS_INVALID_ARGUMENT).
 */
OCLNN_API oclnn_status oclnn_runtime_create_consume(oclnn_context *ctx, oclnn_graph **graph,
                                                    const oclnn_runtime_options *options, oclnn_runtime **out);

/** NULL is a no-op. */
OCLNN_API void oclnn_runtime_destroy(oclnn_runtime *rt);

/**
 * Sets the shape of input @p name. Shapes are re-inferred and memory re-planned at the next invoke; no kernel
 * is recompiled.
 */
OCLNN_API oclnn_status oclnn_runtime_reshape(oclnn_runtime *rt, const char *name, size_t ndim, const int64_t *dims);

OCLNN_API size_t oclnn_runtime_num_inputs(const oclnn_runtime *rt);
OCLNN_API size_t oclnn_runtime_num_outputs(const oclnn_runtime *rt);
OCLNN_API const char *oclnn_runtime_input_name(const oclnn_runtime *rt, size_t index);
OCLNN_API const char *oclnn_runtime_output_name(const oclnn_runtime *rt, size_t index);

/** Current shape of input or output @p name (after reshape). @p dims needs room for OCLNN_MAX_DIMS. */
OCLNN_API oclnn_status oclnn_runtime_shape(oclnn_runtime *rt, const char *name, oclnn_dtype *dtype, size_t *ndim,
                                           int64_t *dims);

/** Copies host data into input @p name; @p bytes must be the input's exact size. */
OCLNN_API oclnn_status oclnn_runtime_set_input(oclnn_runtime *rt, const char *name, const void *data, size_t bytes);

/** Enqueues the whole graph and waits for it. */
OCLNN_API oclnn_status oclnn_runtime_invoke(oclnn_runtime *rt);

/** Copies output @p name to the host; @p bytes must be the output's exact size. Call after invoke. */
OCLNN_API oclnn_status oclnn_runtime_get_output(oclnn_runtime *rt, const char *name, void *data, size_t bytes);

/**
 * The device tensor that holds input or output @p name (owned by the runtime, valid until the next reshape or
 * destroy): write inputs or read outputs there without a host copy.
 */
OCLNN_API oclnn_status oclnn_runtime_tensor(oclnn_runtime *rt, const char *name, oclnn_tensor **tensor);

/** One step of the compiled graph, as oclnn-info and --profile print it. */
typedef struct oclnn_node_info {
    const char *name;    /**< the (first) source node's name */
    const char *op_type; /**< ONNX op type, or a fused spelling such as "Conv+Relu" */
    const char *algo;    /**< the chosen algorithm ("winograd4x4", "gemm", "view", ...), "" when none */
    size_t ndim;
    int64_t dims[OCLNN_MAX_DIMS]; /**< the (first) output's shape */
    uint64_t params;              /**< weight elements the step uses */
    uint64_t macs;                /**< multiply-accumulates per run */
    uint32_t queue;               /**< queue it runs on */
    uint32_t kernels;             /**< kernels it enqueues per run (0 for views and metadata-only nodes) */
    uint64_t time_ns;             /**< last run's time when profiling, else 0 */
} oclnn_node_info;

OCLNN_API size_t oclnn_runtime_num_steps(const oclnn_runtime *rt);
OCLNN_API oclnn_status oclnn_runtime_step_info(const oclnn_runtime *rt, size_t index, oclnn_node_info *info);

typedef struct oclnn_runtime_stats {
    uint64_t arena_bytes;         /**< the planned activation arena */
    uint64_t naive_bytes;         /**< sum of every activation's size (one buffer each) */
    uint64_t lower_bound_bytes;   /**< max over steps of the bytes live at once: no plan can do better */
    uint64_t weight_bytes;        /**< device memory of packed weights */
    uint64_t params;              /**< learned parameters (as PyTorch counts them: BN's running statistics are not) */
    uint64_t macs;                /**< per run */
    uint32_t kernels_per_invoke;  /**< kernels one invoke enqueues */
    uint32_t steps;               /**< executable steps after fusion */
    uint32_t source_nodes;        /**< nodes in the graph before passes */
    uint32_t programs;            /**< distinct kernel configurations, counted against oclnn_limits.max_programs */
} oclnn_runtime_stats;

OCLNN_API oclnn_status oclnn_runtime_stats_get(oclnn_runtime *rt, oclnn_runtime_stats *stats);

/** Writes the compiled graph in Graphviz dot. */
OCLNN_API oclnn_status oclnn_runtime_write_dot(const oclnn_runtime *rt, const char *path);

#ifdef __cplusplus
}
#endif

#endif
