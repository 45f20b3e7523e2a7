/* rt_op.h - how the runtime executes one graph node: a vtable per ONNX op type, registered in rt_op_list.h.
 *
 * Each op family lives in lib/graph/rt_<family>.c and maps IR nodes onto the standalone operators of
 * oclnn_ops.h. The runtime calls: infer (host, at every reshape) -> create (once; reads constant inputs such as
 * weights from the graph) -> reshape (value shapes are inferred in the graph) -> setup (tensors bound) ->
 * enqueue (every invoke) -> destroy.
 */
#ifndef OCLNN_GRAPH_RT_OP_H
#define OCLNN_GRAPH_RT_OP_H

#include "graph/ir.h"

#define OCLNN_RT_WS_SLOTS 2 /* workspace slots of a step (conv2d's: OCLNN_CONV2D_WS_SLOTS) */
#define OCLNN_RT_MAX_IO 64 /* inputs or outputs of one node (Concat of an Inception module, Split) */

/* One executable step: one live (possibly fused) IR node. */
typedef struct oclnn_rt_step {
    oclnn_context *ctx;
    const struct oclnn_rt_op *vt;
    int node;     /* IR node index in the runtime's graph */
    void *op;     /* the operator handle(s), owned by the vtable's create/destroy */
    /* Bound by the runtime before setup. in[k] is NULL for an omitted input or one that create consumed as a
     * constant (weights). A view output writes channels [out_offset[k], +C) of out[k] (a concat's tensor). */
    oclnn_tensor *in[OCLNN_RT_MAX_IO];
    oclnn_tensor *out[OCLNN_RT_MAX_IO];
    size_t out_offset[OCLNN_RT_MAX_IO];
    size_t in_offset[OCLNN_RT_MAX_IO]; /* channel offset of a residual read from a concat tensor */
    /* Filled by create/reshape for introspection. */
    const char *algo;  /* static string, "" when none */
    uint64_t params;   /* weight elements */
    uint64_t weight_bytes; /* device memory the step's constants take (packed weights, uploaded operands) */
    uint64_t macs;     /* per run, set at reshape */
    uint32_t kernels;  /* kernels per run, set at reshape (0: metadata only) */
    int is_alias;      /* output shares the input's memory (Reshape, Flatten, Squeeze, Identity): no enqueue */
    /* Scratch shared by the steps of one queue (they run one after another): reshape sets the bytes the step
     * needs per slot, and the runtime binds buffers at least that large before setup. */
    size_t ws_need[OCLNN_RT_WS_SLOTS];
    cl_mem ws[OCLNN_RT_WS_SLOTS];
    size_t ws_bytes[OCLNN_RT_WS_SLOTS];
} oclnn_rt_step;

typedef struct oclnn_rt_op {
    const char *op_type;
    /* Sets dtype/ndim/dims (has_shape) of the node's outputs from its inputs' shapes and constant data.
     * Leaves them untouched when an input shape is still unknown. Names the node on bad attributes/shapes. */
    oclnn_status (*infer)(oclnn_graph *g, const oclnn_ir_node *n);
    oclnn_status (*create)(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n);
    oclnn_status (*reshape)(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n);
    oclnn_status (*setup)(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n);
    oclnn_status (*enqueue)(oclnn_rt_step *st, uint32_t queue);
    void (*destroy)(oclnn_rt_step *st);
    /* Flags: which outputs may be channel slices of a larger tensor (bit k: output k), so a channel concat of
     * them is zero-copy; and whether inputs may be read at a channel offset (residuals). */
    uint32_t out_view_mask;
    int alias_output; /* output 0 is input 0's memory with another shape (metadata-only ops) */
} oclnn_rt_op;

/* Finds the vtable for an op type of the default ONNX domain; NULL when unsupported. */
const oclnn_rt_op *oclnn_rt_op_find(const char *op_type);

#endif
