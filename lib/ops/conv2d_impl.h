/* conv2d_impl.h - the contract between the conv2d operator (conv2d.c: validation, shapes, auto_pad, choice of
 * algorithm, state machine) and each algorithm (conv2d_direct.c, ...). An algorithm sees a validated operator
 * whose shape fields are set, and owns whatever it keeps in op->impl.
 */
#ifndef OCLNN_CONV2D_IMPL_H
#define OCLNN_CONV2D_IMPL_H

#include "program/program.h"

#define OCLNN_CONV2D_WS_SLOTS 2 /* winograd: transformed input V and products M; gemm: im2col */

struct oclnn_conv2d {
    oclnn_context *ctx;
    oclnn_conv2d_params p;
    oclnn_conv_algo algo;
    const struct conv2d_algorithm *impl_fns;
    void *impl; /* the algorithm's state */
    int has_bias;
    /* Set by reshape before the algorithm's reshape runs. */
    size_t n, h, w, oh, ow;
    uint32_t pad_top, pad_left; /* begin pads after auto_pad */
    int state;                  /* CREATED, RESHAPED, READY */
    /* Workspaces lent by the graph runtime, which shares one set among the convs of a queue (they run one after
     * another): with ws_lent set, an algorithm's reshape records the bytes it needs per slot in ws_need instead of
     * allocating its own, and its setup binds ws[] (checked to hold ws_need by oclnn_conv2d_setup). */
    int ws_lent;
    size_t ws_need[OCLNN_CONV2D_WS_SLOTS];
    cl_mem ws[OCLNN_CONV2D_WS_SLOTS]; /* retained */
    size_t ws_bytes[OCLNN_CONV2D_WS_SLOTS];
};

/* Tensors bound by setup, already checked against the shapes. Offsets are in elements. */
typedef struct conv2d_binding {
    cl_mem in, out, res; /* res is NULL without a residual */
    size_t in_off, out_off, res_off;
    size_t out_c_offset, out_c_total, res_c_offset, res_c_total;
} conv2d_binding;

typedef struct conv2d_algorithm {
    oclnn_conv_algo algo;
    /* Whether the algorithm can run these (valid) params on this device; *why names the rule when not. */
    int (*supported)(const oclnn_device_info *dev, const oclnn_conv2d_params *p, const char **why);
    /* Packs weights (ONNX layout) and bias (NULL or out_channels values), builds programs. */
    oclnn_status (*create)(oclnn_conv2d *op, const float *weights, const float *bias);
    /* New input size (op->n/h/w/oh/ow/pads are set): NDRanges, workspaces. Must not compile. */
    oclnn_status (*reshape)(oclnn_conv2d *op);
    oclnn_status (*setup)(oclnn_conv2d *op, const conv2d_binding *b);
    /* Enqueues all work on @p q; when @p ev is not NULL it receives an event for the last command. */
    oclnn_status (*enqueue)(oclnn_conv2d *op, cl_command_queue q, cl_event *ev);
    void (*destroy)(oclnn_conv2d *op); /* frees op->impl; op->impl may be NULL or half-built */
} conv2d_algorithm;

extern const conv2d_algorithm oclnn_conv2d_direct_algorithm;
extern const conv2d_algorithm oclnn_conv2d_winograd2x2_algorithm;
extern const conv2d_algorithm oclnn_conv2d_winograd4x4_algorithm;
extern const conv2d_algorithm oclnn_conv2d_gemm_algorithm;
extern const conv2d_algorithm oclnn_conv2d_depthwise_algorithm;

/* For the graph runtime (lib/graph/rt_conv.c): switches @p op to lent workspaces (call right after create, before
 * the first reshape); after each reshape, the bytes needed per slot; before setup, the buffers (at least that
 * large; retained by the operator until it is destroyed or lent others). */
void oclnn_conv2d_borrow_workspaces(oclnn_conv2d *op);
void oclnn_conv2d_workspace_need(const oclnn_conv2d *op, size_t need[OCLNN_CONV2D_WS_SLOTS]);
void oclnn_conv2d_lend_workspaces(oclnn_conv2d *op, const cl_mem ws[OCLNN_CONV2D_WS_SLOTS],
                                  const size_t bytes[OCLNN_CONV2D_WS_SLOTS]);

/* Checks that @p t is a 4-D f32 tensor n x (>= c_off + c) x h x w at a whole-element offset: the input, output
 * or residual of a conv-like operator (@p op names it in the message). INVALID_SHAPE, or INVALID_ARGUMENT if NULL. */
oclnn_status oclnn_check_nchw_slice(oclnn_errbuf *eb, const char *op, const char *what, const oclnn_tensor *t,
                                    size_t n, size_t c_off, size_t c, size_t h, size_t w);
/* The fused epilogue's options (ACT, ACT_ALPHA, ACT_BETA, HAS_BIAS, HAS_RESIDUAL, RESIDUAL_AFTER_ACT), which every
 * conv kernel file spells the same way (the 3-D conv and deconv kernels too); the second form reads a conv2d's. */
void oclnn_conv_epilogue_options(oclnn_opts *o, int has_bias, oclnn_residual residual, oclnn_activation act,
                                 float alpha, float beta);
void oclnn_conv2d_epilogue_options(const oclnn_conv2d *op, oclnn_opts *o);

#endif
