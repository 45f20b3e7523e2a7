/* shape.c - ONNX output-shape rules of the operators that move no data (Reshape, Flatten, Squeeze, Unsqueeze):
 * the result feeds oclnn_tensor_view(). Host only; failures write the calling thread's last error.
 */
#include <string.h>

#include "core/core.h"

static oclnn_status check_input(const char *op, size_t ndim, const int64_t *dims) {
    if (ndim < 1 || ndim > OCLNN_MAX_DIMS || !dims)
        return oclnn_fail(NULL, OCLNN_STATUS_INVALID_SHAPE, "%s: input rank %zu, must be 1..%d", op, ndim,
                          OCLNN_MAX_DIMS);
    for (size_t i = 0; i < ndim; i++)
        if (dims[i] < 1)
            return oclnn_fail(NULL, OCLNN_STATUS_INVALID_SHAPE, "%s: input dim %zu is %lld, must be >= 1", op, i,
                              (long long)dims[i]);
    return OCLNN_STATUS_OK;
}

/* Product of dims; input dims are >= 1 and at most 5 of them, but their product may still overflow. */
static int product(size_t ndim, const int64_t *dims, int64_t *out) {
    int64_t p = 1;
    for (size_t i = 0; i < ndim; i++)
        if (__builtin_mul_overflow(p, dims[i], &p)) return 0;
    *out = p;
    return 1;
}

oclnn_status oclnn_shape_reshape(size_t ndim, const int64_t *dims, size_t shape_ndim, const int64_t *shape,
                                 int allowzero, size_t *out_ndim, int64_t *out_dims) {
    if (!out_ndim || !out_dims || (shape_ndim && !shape))
        return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "reshape: shape, out_ndim and out_dims must be set");
    *out_ndim = 0;
    oclnn_status st = check_input("reshape", ndim, dims);
    if (st) return st;
    if (shape_ndim == 0)
        return oclnn_fail(NULL, OCLNN_STATUS_UNSUPPORTED, "reshape: an empty shape makes a rank-0 tensor");
    if (shape_ndim > OCLNN_MAX_DIMS)
        return oclnn_fail(NULL, OCLNN_STATUS_UNSUPPORTED, "reshape: rank %zu is above %d", shape_ndim, OCLNN_MAX_DIMS);
    int64_t total, known = 1, d[OCLNN_MAX_DIMS];
    if (!product(ndim, dims, &total)) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_SHAPE, "reshape: input size overflows");
    int infer = -1, zero = 0;
    for (size_t i = 0; i < shape_ndim; i++) {
        int64_t s = shape[i];
        if (s == -1) {
            if (infer >= 0)
                return oclnn_fail(NULL, OCLNN_STATUS_INVALID_SHAPE, "reshape: shape has more than one -1 (%d and %zu)",
                                  infer, i);
            infer = (int)i;
            continue;
        }
        if (s < -1)
            return oclnn_fail(NULL, OCLNN_STATUS_INVALID_SHAPE, "reshape: shape[%zu] is %lld, must be >= -1", i,
                              (long long)s);
        if (s == 0 && !allowzero) {
            if (i >= ndim)
                return oclnn_fail(NULL, OCLNN_STATUS_INVALID_SHAPE,
                                  "reshape: shape[%zu] is 0 (copy the input dim) but the input has rank %zu", i, ndim);
            s = dims[i];
        }
        if (s == 0) zero = 1;
        d[i] = s;
        if (__builtin_mul_overflow(known, s, &known))
            return oclnn_fail(NULL, OCLNN_STATUS_INVALID_SHAPE, "reshape: shape size overflows");
    }
    if (zero && infer >= 0)
        return oclnn_fail(NULL, OCLNN_STATUS_INVALID_SHAPE, "reshape: allowzero forbids a 0 together with a -1");
    if (zero)
        return oclnn_fail(NULL, OCLNN_STATUS_INVALID_SHAPE,
                          "reshape: a dimension of 0 (allowzero) holds no elements, the input has %lld",
                          (long long)total);
    if (infer >= 0) {
        if (total % known)
            return oclnn_fail(NULL, OCLNN_STATUS_INVALID_SHAPE,
                              "reshape: cannot infer the -1: %lld elements are not a multiple of %lld",
                              (long long)total, (long long)known);
        d[infer] = total / known;
    } else if (known != total) {
        return oclnn_fail(NULL, OCLNN_STATUS_INVALID_SHAPE, "reshape: shape has %lld elements, the input %lld",
                          (long long)known, (long long)total);
    }
    memcpy(out_dims, d, shape_ndim * sizeof *d);
    *out_ndim = shape_ndim;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_shape_flatten(size_t ndim, const int64_t *dims, int64_t axis, int64_t out_dims[2]) {
    if (!out_dims) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "flatten: out_dims is NULL");
    oclnn_status st = check_input("flatten", ndim, dims);
    if (st) return st;
    int64_t r = (int64_t)ndim;
    if (axis < -r || axis > r)
        return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "flatten: axis %lld is outside [-%zu, %zu]",
                          (long long)axis, ndim, ndim);
    if (axis < 0) axis += r;
    int64_t a, b;
    if (!product((size_t)axis, dims, &a) || !product(ndim - (size_t)axis, dims + axis, &b))
        return oclnn_fail(NULL, OCLNN_STATUS_INVALID_SHAPE, "flatten: size overflows");
    out_dims[0] = a;
    out_dims[1] = b;
    return OCLNN_STATUS_OK;
}

/* Marks normalised axes of a rank-@p rank shape in @p mark; fails on an axis out of range or repeated. */
static oclnn_status mark_axes(const char *op, size_t naxes, const int64_t *axes, size_t rank, int *mark) {
    if (naxes && !axes) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "%s: axes is NULL", op);
    for (size_t i = 0; i < naxes; i++) {
        int64_t a = axes[i], r = (int64_t)rank;
        if (a < -r || a >= r)
            return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "%s: axis %lld is outside [-%zu, %zu)", op,
                              (long long)a, rank, rank);
        if (a < 0) a += r;
        if (mark[a]++)
            return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "%s: axis %lld is repeated", op, (long long)axes[i]);
    }
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_shape_squeeze(size_t ndim, const int64_t *dims, size_t naxes, const int64_t *axes,
                                 size_t *out_ndim, int64_t *out_dims) {
    if (!out_ndim || !out_dims)
        return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "squeeze: out_ndim and out_dims must be set");
    *out_ndim = 0;
    oclnn_status st = check_input("squeeze", ndim, dims);
    if (st) return st;
    int mark[OCLNN_MAX_DIMS] = {0};
    if (axes) {
        if ((st = mark_axes("squeeze", naxes, axes, ndim, mark))) return st;
        for (size_t i = 0; i < ndim; i++)
            if (mark[i] && dims[i] != 1)
                return oclnn_fail(NULL, OCLNN_STATUS_INVALID_SHAPE, "squeeze: axis %zu has size %lld, not 1", i,
                                  (long long)dims[i]);
    } else {
        for (size_t i = 0; i < ndim; i++) mark[i] = dims[i] == 1;
    }
    size_t k = 0;
    int64_t d[OCLNN_MAX_DIMS];
    for (size_t i = 0; i < ndim; i++)
        if (!mark[i]) d[k++] = dims[i];
    if (!k) return oclnn_fail(NULL, OCLNN_STATUS_UNSUPPORTED, "squeeze: the result would have rank 0");
    memcpy(out_dims, d, k * sizeof *d);
    *out_ndim = k;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_shape_unsqueeze(size_t ndim, const int64_t *dims, size_t naxes, const int64_t *axes,
                                   size_t *out_ndim, int64_t *out_dims) {
    if (!out_ndim || !out_dims)
        return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "unsqueeze: out_ndim and out_dims must be set");
    *out_ndim = 0;
    oclnn_status st = check_input("unsqueeze", ndim, dims);
    if (st) return st;
    size_t r = ndim + naxes;
    if (naxes > OCLNN_MAX_DIMS || r > OCLNN_MAX_DIMS)
        return oclnn_fail(NULL, OCLNN_STATUS_UNSUPPORTED, "unsqueeze: rank %zu + %zu axes is above %d", ndim, naxes,
                          OCLNN_MAX_DIMS);
    int mark[OCLNN_MAX_DIMS] = {0};
    if ((st = mark_axes("unsqueeze", naxes, axes, r, mark))) return st;
    int64_t d[OCLNN_MAX_DIMS];
    for (size_t i = 0, k = 0; i < r; i++) d[i] = mark[i] ? 1 : dims[k++];
    memcpy(out_dims, d, r * sizeof *d);
    *out_ndim = r;
    return OCLNN_STATUS_OK;
}
