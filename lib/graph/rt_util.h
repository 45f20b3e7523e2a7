/* rt_util.h - helpers shared by the runtime's op families (lib/graph/rt_*.c): node-named errors, constant
 * inputs read as numbers, shape setters, and the ONNX window arithmetic of Conv and the pools.
 */
#ifndef OCLNN_GRAPH_RT_UTIL_H
#define OCLNN_GRAPH_RT_UTIL_H

#include "graph/rt_op.h"

/* oclnn_fail with the message prefixed by "node 'NAME' (OpType): ". */
oclnn_status rt_fail(const oclnn_graph *g, const oclnn_ir_node *n, oclnn_status s, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The limits every tensor the graph describes must respect (context limits, dims the operators can index):
 * LIMIT_EXCEEDED naming the node (NULL: a graph input) and the tensor. Values without a known shape pass. */
oclnn_status rt_check_tensor(const oclnn_graph *g, const oclnn_ir_node *n, const oclnn_ir_value *v);

/* Input / output value k of node n, NULL when absent or omitted. */
oclnn_ir_value *rt_in(const oclnn_graph *g, const oclnn_ir_node *n, size_t k);
oclnn_ir_value *rt_out(const oclnn_graph *g, const oclnn_ir_node *n, size_t k);
/* 1 when input k is present and its shape fully known. */
int rt_known(const oclnn_graph *g, const oclnn_ir_node *n, size_t k);
int rt_is_const(const oclnn_graph *g, const oclnn_ir_node *n, size_t k);
/* Sets output k's shape (has_shape = 1). */
void rt_set_out(oclnn_graph *g, const oclnn_ir_node *n, size_t k, oclnn_dtype dt, size_t ndim, const int64_t *dims);
/* Reads constant input k (INT64 or INT32; FLOAT accepted when @p allow_float) into @p buf (cap entries).
 * UNSUPPORTED naming the node when the input is not a constant. */
oclnn_status rt_const_ints(const oclnn_graph *g, const oclnn_ir_node *n, size_t k, int64_t *buf, size_t cap,
                           size_t *count);
oclnn_status rt_const_floats(const oclnn_graph *g, const oclnn_ir_node *n, size_t k, const float **data, size_t *count);
/* ints attribute copied into buf (up to cap); returns its length, or 0 when absent. */
size_t rt_attr_ints(const oclnn_ir_node *n, const char *name, int64_t *buf, size_t cap);
/* Integer attribute @p name (default @p def) that must lie in [lo, hi]: INVALID_ARGUMENT naming the node and the
 * attribute otherwise, before any cast to a narrower type can wrap it into range. */
oclnn_status rt_attr_int_in(const oclnn_graph *g, const oclnn_ir_node *n, const char *name, int64_t def, int64_t lo,
                            int64_t hi, int64_t *out);
/* auto_pad attribute. INVALID_ARGUMENT for an unknown spelling. */
oclnn_status rt_auto_pad(const oclnn_graph *g, const oclnn_ir_node *n, oclnn_auto_pad *ap);

/* A 2-D window (Conv, pools): kernel, strides, dilations, pads (top, left, bottom, right) and auto_pad, read from
 * the attributes (of spatial rank 1 or 2) with ONNX defaults; kernel from @p kh/kw when nonzero (Conv takes it from
 * the weights). */
typedef struct rt_window {
    int64_t kh, kw, sh, sw, dh, dw, pt, pl, pb, pr;
    oclnn_auto_pad auto_pad;
    int ceil_mode;
} rt_window;
oclnn_status rt_window_read(const oclnn_graph *g, const oclnn_ir_node *n, int rank, int64_t kh, int64_t kw,
                            rt_window *w);
/* 1-D ops (3-D data [N,C,W]) run on the 2-D operators as [N,C,1,W]: the attributes of rank 1 describe W, and H is a
 * window of 1 (rt_window_read with rank 1). rt_dims4 gives a 3-D or 4-D value's dims as 4-D and returns its spatial
 * rank (1 or 2), 0 for other ranks; rt_view4 makes a 4-D view of a 3-D tensor (*view NULL when t is not 3-D). */
int rt_dims4(const oclnn_ir_value *v, int64_t d[4]);
oclnn_status rt_view4(oclnn_tensor *t, oclnn_tensor **view);
/* Output extent of one axis (ONNX formulas, SAME pads split as ONNX); INVALID_SHAPE naming the node when < 1. */
oclnn_status rt_window_out(const oclnn_graph *g, const oclnn_ir_node *n, const rt_window *w, int64_t h, int64_t wd,
                           int64_t *oh, int64_t *ow);

/* Activation of a fused node (node->fuse), as the operators take it. */
#define RT_ACT(n) ((n)->fuse.activation)

/* Device copy of constant input k (f32; rank 0 becomes [1]) for ops whose operands may be constants (Add of a
 * bias, Mul by a scale). The caller owns *t. */
oclnn_status rt_upload(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n, size_t k, oclnn_tensor **t);
/* Shape of value v as device-tensor dims (rank 0 -> [1]); UNSUPPORTED above OCLNN_MAX_DIMS. */
oclnn_status rt_dev_dims(const oclnn_graph *g, const oclnn_ir_node *n, const oclnn_ir_value *v, size_t *ndim,
                         int64_t *dims);
/* Every attribute of a live default-domain node whose name the CNN op set reads has its ONNX type (axis an INT,
 * kernel_shape INTS, mode a STRING, ...): INVALID_ARGUMENT naming the node and the attribute otherwise; and the values
 * a pass could act on before the op's own checks (BatchNormalization's spatial, ConvTranspose's list lengths). */
oclnn_status rt_check_attrs(const oclnn_graph *g);

/* The cap on distinct kernel configurations (lib/graph/progcap.c): counts what the live nodes of a fused graph are
 * specialised on and refuses with LIMIT_EXCEEDED, naming the node, the count and max_programs, before anything is
 * compiled. *count receives the configurations counted (up to the refusal). */
oclnn_status rt_check_programs(const oclnn_graph *g, uint64_t max, uint32_t *count);
#endif
