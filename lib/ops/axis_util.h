/* axis_util.h - what the operators that work along one axis (softmax.c, argmax.c, lrn.c) share: resolving an
 * ONNX axis, viewing a shape as [outer][len][inner], checking input shapes and bound tensors, and the size of a
 * 1-D launch.
 */
#ifndef OCLNN_AXIS_UTIL_H
#define OCLNN_AXIS_UTIL_H

#include "program/program.h"

/* The kernels index with 32-bit ints: shapes with more elements are refused (UNSUPPORTED), never wrapped. */
#define OCLNN_AXIS_MAX_ELEMENTS ((size_t)INT32_MAX)

/* Maps an ONNX axis in [-ndim, ndim - 1] to [0, ndim); false when it is outside that range. */
bool oclnn_axis_resolve(int32_t axis, size_t ndim, size_t *out);

/* The shape seen as [outer][len][inner] around dims[axis] (outer or inner is 1 when there is nothing). */
void oclnn_axis_split(const int64_t *dims, size_t ndim, size_t axis, size_t *outer, size_t *len, size_t *inner);

/* An input shape for operator @p op: 1..5 dims (INVALID_SHAPE), each >= 1 (INVALID_SHAPE), at most
 * OCLNN_AXIS_MAX_ELEMENTS elements (UNSUPPORTED). *count receives the element count. */
oclnn_status oclnn_axis_check_shape(oclnn_errbuf *eb, const char *op, size_t ndim, const int64_t *dims, size_t *count);

/* A bound tensor: not NULL (INVALID_ARGUMENT), of @p dtype (f16 where f32 is wanted is UNSUPPORTED, any other
 * mismatch INVALID_ARGUMENT), with an offset that is a whole number of elements (INVALID_ARGUMENT) and exactly
 * the shape @p ndim x @p dims (INVALID_SHAPE). */
oclnn_status oclnn_axis_check_tensor(oclnn_errbuf *eb, const char *op, const char *what, const oclnn_tensor *t,
                                     oclnn_dtype dtype, size_t ndim, const int64_t *dims);

/* Whether the byte ranges of two tensors share memory. */
bool oclnn_tensors_overlap(const oclnn_tensor *a, const oclnn_tensor *b);

/* A 1-D NDRange of @p n work-items: the local size is min(64, the device's largest work-group) and the global
 * size @p n rounded up to it (kernels guard the tail). */
void oclnn_axis_launch_1d(const oclnn_context *ctx, size_t n, size_t *global, size_t *local);

#endif
