/* axis_util.c - helpers of the operators that work along one axis (softmax, argmax, LRN): axis resolution, the
 * [outer][len][inner] view, shape and tensor checks with messages that name the rule, and 1-D launch sizes.
 */
#include <stdio.h>

#include "ops/axis_util.h"

bool oclnn_axis_resolve(int32_t axis, size_t ndim, size_t *out) {
    int64_t r = (int64_t)ndim, a = axis;
    if (a < -r || a >= r) return false;
    *out = (size_t)(a < 0 ? a + r : a);
    return true;
}

void oclnn_axis_split(const int64_t *dims, size_t ndim, size_t axis, size_t *outer, size_t *len, size_t *inner) {
    size_t o = 1, i = 1;
    for (size_t d = 0; d < axis; d++)
        o *= (size_t)dims[d];
    for (size_t d = axis + 1; d < ndim; d++)
        i *= (size_t)dims[d];
    *outer = o;
    *len = (size_t)dims[axis];
    *inner = i;
}

static const char *dtype_name(oclnn_dtype t) {
    switch (t) {
    case OCLNN_DTYPE_F32: return "f32";
    case OCLNN_DTYPE_F16: return "f16";
    case OCLNN_DTYPE_I32: return "i32";
    case OCLNN_DTYPE_I64: return "i64";
    default: return "unknown";
    }
}

/* "2x3x4" into buf, for messages. */
static const char *shape_str(char *buf, size_t cap, size_t ndim, const int64_t *dims) {
    size_t len = 0;
    buf[0] = '\0';
    for (size_t d = 0; d < ndim && len < cap; d++) {
        int w = snprintf(buf + len, cap - len, d ? "x%lld" : "%lld", (long long)dims[d]);
        if (w < 0) break;
        len += (size_t)w;
    }
    return buf;
}

oclnn_status oclnn_axis_check_shape(oclnn_errbuf *eb, const char *op, size_t ndim, const int64_t *dims, size_t *count) {
    if (!dims || ndim < 1 || ndim > OCLNN_KERNEL_MAX_DIMS)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "%s: the input has 1 to %d dimensions, got %zu", op,
                          OCLNN_KERNEL_MAX_DIMS, dims ? ndim : 0);
    size_t total = 1;
    for (size_t d = 0; d < ndim; d++) {
        if (dims[d] < 1)
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "%s: dimension %zu is %lld, must be >= 1", op, d,
                              (long long)dims[d]);
        if ((uint64_t)dims[d] > OCLNN_AXIS_MAX_ELEMENTS || !oclnn_mul_size(total, (size_t)dims[d], &total) ||
            total > OCLNN_AXIS_MAX_ELEMENTS)
            return oclnn_fail(eb, OCLNN_STATUS_UNSUPPORTED, "%s: tensors above 2^31 - 1 elements", op);
    }
    *count = total;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_axis_check_tensor(oclnn_errbuf *eb, const char *op, const char *what, const oclnn_tensor *t,
                                     oclnn_dtype dtype, size_t ndim, const int64_t *dims) {
    char want[96], got[96];
    if (!t) return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "%s: %s tensor is NULL", op, what);
    if (t->dtype != dtype)
        return oclnn_fail(eb,
                          dtype == OCLNN_DTYPE_F32 && t->dtype == OCLNN_DTYPE_F16 ? OCLNN_STATUS_UNSUPPORTED
                                                                                  : OCLNN_STATUS_INVALID_ARGUMENT,
                          "%s: %s must be %s, got %s", op, what, dtype_name(dtype), dtype_name(t->dtype));
    if (t->offset % oclnn_dtype_size(dtype))
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT,
                          "%s: %s starts at byte %zu, which is not a whole number of %s elements", op, what, t->offset,
                          dtype_name(dtype));
    int same = t->ndim == ndim;
    for (size_t d = 0; same && d < ndim; d++)
        same = t->dims[d] == dims[d];
    if (!same)
        return oclnn_fail(eb, OCLNN_STATUS_INVALID_SHAPE, "%s: %s must have shape %s (from reshape), got %s", op, what,
                          shape_str(want, sizeof want, ndim, dims), shape_str(got, sizeof got, t->ndim, t->dims));
    return OCLNN_STATUS_OK;
}

bool oclnn_tensors_overlap(const oclnn_tensor *a, const oclnn_tensor *b) {
    return a->mem == b->mem && a->offset < b->offset + b->nbytes && b->offset < a->offset + a->nbytes;
}

void oclnn_axis_launch_1d(const oclnn_context *ctx, size_t n, size_t *global, size_t *local) {
    size_t l = 64;
    if (ctx->info.max_work_group_size && ctx->info.max_work_group_size < l) l = (size_t)ctx->info.max_work_group_size;
    *local = l;
    *global = (n + l - 1) / l * l;
}
