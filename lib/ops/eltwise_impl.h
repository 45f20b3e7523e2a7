/* eltwise_impl.h - what the elementwise operators (eltwise.c: unary, binary, PRelu; batchnorm.c) share: shape
 * and tensor checks, the launch geometry of cl/eltwise.cl's contiguous kernels, and kernel-argument helpers.
 */
#ifndef OCLNN_ELTWISE_IMPL_H
#define OCLNN_ELTWISE_IMPL_H

#include "program/program.h"

enum { ELT_CREATED, ELT_RESHAPED, ELT_READY };

/* cl/eltwise.cl indexes with int: every tensor's element offset plus its extent stays below this. */
#define ELT_MAX_INDEX ((size_t)INT32_MAX)
/* Work-items per group of the contiguous kernels, and what each handles (VEC * UNROLL at the file defaults). */
#define ELT_LOCAL 64
#define ELT_ELEMS_PER_ITEM 32
/* Elements per work-item of eltwise_binary_bcast along the innermost axis (XT = VEC * BCAST_UNROLL in the .cl
 * file, at its defaults). */
#define ELT_BCAST_XT 128

typedef struct elt_shape {
    size_t ndim;
    int64_t d[OCLNN_KERNEL_MAX_DIMS];
    size_t count;
} elt_shape;

/* Adds -DNAME=v unless v is cl/eltwise.cl's default, so the registry's variants match what operators request. */
void oclnn_elt_opts_int(oclnn_opts *o, const char *name, long v, long dflt);
/* Writes "[2,3,4]" into buf. */
const char *oclnn_elt_shape_str(const elt_shape *s, char *buf, size_t cap);
/* Rank 1..5, every dim >= 1, and an element count the kernels can index (INVALID_SHAPE / UNSUPPORTED). */
oclnn_status oclnn_elt_shape_set(oclnn_errbuf *eb, const char *who, size_t ndim, const int64_t *dims, elt_shape *out);
/* activation in range and Clip with min <= max (INVALID_ARGUMENT). */
oclnn_status oclnn_elt_check_activation(oclnn_errbuf *eb, const char *who, oclnn_activation act, float alpha,
                                        float beta);
/* @p t is a non-NULL f32 tensor of exactly shape @p s (INVALID_ARGUMENT for NULL, INVALID_SHAPE otherwise). */
oclnn_status oclnn_elt_check_tensor(oclnn_errbuf *eb, const char *who, const char *what, const oclnn_tensor *t,
                                    const elt_shape *s);
/* Whether two tensors share any byte, and whether they are exactly the same elements. */
int oclnn_elt_overlap(const oclnn_tensor *a, const oclnn_tensor *b);
int oclnn_elt_same_elements(const oclnn_tensor *a, const oclnn_tensor *b);
/* Input and output of a same-shape operator: both exactly @p s, and either the same elements or disjoint. */
oclnn_status oclnn_elt_check_inout(oclnn_errbuf *eb, const char *who, const oclnn_tensor *in, const oclnn_tensor *out,
                                   const elt_shape *s);
/* Builds cl/eltwise.cl with ACT = @p act and OP = @p op and creates the named kernel. */
oclnn_status oclnn_elt_kernel(oclnn_context *ctx, int act, int op, const char *name, cl_kernel *out);
/* The 1-D (or, with @p batches > 1, 2-D) NDRange of a contiguous kernel over @p elems elements per batch item. */
void oclnn_elt_flat_range(size_t elems, size_t batches, size_t global[2], size_t local[2]);

/* Sets kernel arguments in order; the first failure is kept and reported once by oclnn_elt_args_done. */
typedef struct elt_args {
    cl_kernel k;
    cl_uint i;
    cl_int err;
} elt_args;
void oclnn_elt_arg_mem(elt_args *a, cl_mem m);
void oclnn_elt_arg_int(elt_args *a, size_t v); /* v was checked to fit an int */
void oclnn_elt_arg_float(elt_args *a, float v);
oclnn_status oclnn_elt_args_done(const elt_args *a, oclnn_errbuf *eb, const char *who);

/* Enqueue preamble shared by every operator: the state and the queue index. */
oclnn_status oclnn_elt_check_enqueue(oclnn_context *ctx, const char *who, int state, uint32_t queue);
/* Enqueues @p k and wraps the event for the caller (event may be NULL). */
oclnn_status oclnn_elt_launch(oclnn_context *ctx, uint32_t queue, cl_kernel k, cl_uint dims, const size_t *global,
                              const size_t *local, oclnn_event **event, const char *who);

#endif
