/* rt_util.c - helpers shared by the runtime's op families: errors that name the node, constant inputs as numbers,
 * output shapes, and the ONNX window (kernel/stride/dilation/pads) arithmetic.
 */
#include "graph/rt_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

oclnn_status rt_fail(const oclnn_graph *g, const oclnn_ir_node *n, oclnn_status s, const char *fmt, ...) {
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return oclnn_fail(OCLNN_IR_ERR(g), s, "node '%s' (%s): %s", n->name, n->op_type, msg);
}

oclnn_ir_value *rt_in(const oclnn_graph *g, const oclnn_ir_node *n, size_t k) {
    if (k >= n->num_inputs || n->inputs[k] < 0) return NULL;
    return &g->values[n->inputs[k]];
}

oclnn_ir_value *rt_out(const oclnn_graph *g, const oclnn_ir_node *n, size_t k) {
    if (k >= n->num_outputs || n->outputs[k] < 0) return NULL;
    return &g->values[n->outputs[k]];
}

int rt_known(const oclnn_graph *g, const oclnn_ir_node *n, size_t k) {
    const oclnn_ir_value *v = rt_in(g, n, k);
    if (!v || !v->has_shape) return 0;
    for (size_t d = 0; d < v->ndim; d++)
        if (v->dims[d] < 0) return 0;
    return 1;
}

int rt_is_const(const oclnn_graph *g, const oclnn_ir_node *n, size_t k) {
    const oclnn_ir_value *v = rt_in(g, n, k);
    return v && v->kind == OCLNN_IR_CONSTANT && v->data;
}

void rt_set_out(oclnn_graph *g, const oclnn_ir_node *n, size_t k, oclnn_dtype dt, size_t ndim, const int64_t *dims) {
    oclnn_ir_value *v = rt_out(g, n, k);
    if (!v) return;
    v->dtype = dt;
    v->has_shape = 1;
    v->ndim = ndim;
    for (size_t d = 0; d < OCLNN_IR_MAX_DIMS; d++)
        v->dims[d] = d < ndim ? dims[d] : 0;
}

oclnn_status rt_const_ints(const oclnn_graph *g, const oclnn_ir_node *n, size_t k, int64_t *buf, size_t cap,
                           size_t *count) {
    const oclnn_ir_value *v = rt_in(g, n, k);
    *count = 0;
    if (!v || v->kind != OCLNN_IR_CONSTANT || !v->data)
        return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "input %zu ('%s') must be a constant", k, v ? v->name : "");
    size_t es = oclnn_dtype_size(v->dtype), num = es ? v->nbytes / es : 0;
    if (num > cap)
        return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "input %zu has %zu values (at most %zu)", k, num, cap);
    for (size_t i = 0; i < num; i++) {
        if (v->dtype == OCLNN_DTYPE_I64)
            buf[i] = ((const int64_t *)v->data)[i];
        else if (v->dtype == OCLNN_DTYPE_I32)
            buf[i] = ((const int32_t *)v->data)[i];
        else if (v->dtype == OCLNN_DTYPE_F32)
            buf[i] = (int64_t)((const float *)v->data)[i];
        else
            return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "input %zu has a data type that is not an integer", k);
    }
    *count = num;
    return OCLNN_STATUS_OK;
}

oclnn_status rt_const_floats(const oclnn_graph *g, const oclnn_ir_node *n, size_t k, const float **data,
                             size_t *count) {
    const oclnn_ir_value *v = rt_in(g, n, k);
    *data = NULL;
    *count = 0;
    if (!v || v->kind != OCLNN_IR_CONSTANT || !v->data)
        return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED,
                       "input %zu ('%s') must be a constant (weights fed at run time "
                       "are not supported)",
                       k, v ? v->name : "");
    if (v->dtype != OCLNN_DTYPE_F32)
        return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "input %zu ('%s') must be float32", k, v->name);
    *data = v->data;
    *count = v->nbytes / sizeof(float);
    return OCLNN_STATUS_OK;
}

size_t rt_attr_ints(const oclnn_ir_node *n, const char *name, int64_t *buf, size_t cap) {
    size_t c;
    const int64_t *a = oclnn_ir_attr_ints(n, name, &c);
    if (!a) return 0;
    if (c > cap) c = cap;
    memcpy(buf, a, c * sizeof *a);
    return c;
}

oclnn_status rt_check_tensor(const oclnn_graph *g, const oclnn_ir_node *n, const oclnn_ir_value *v) {
    if (!v || !v->has_shape) return OCLNN_STATUS_OK;
    const oclnn_limits *l = &g->ctx->limits;
    size_t bytes = oclnn_dtype_size(v->dtype);
    int overflow = 0;
    for (size_t d = 0; d < v->ndim && d < OCLNN_IR_MAX_DIMS; d++) {
        if (v->dims[d] < 0) return OCLNN_STATUS_OK; /* not known yet */
        if (v->dims[d] > INT32_MAX) {
            if (n)
                return rt_fail(g, n, OCLNN_STATUS_LIMIT_EXCEEDED, "output '%s' has dim %zu = %lld (at most 2^31-1)",
                               v->name, d, (long long)v->dims[d]);
            return oclnn_fail(&g->ctx->err, OCLNN_STATUS_LIMIT_EXCEEDED,
                              "graph: input '%s' has dim %zu = %lld (at most 2^31-1)", v->name, d,
                              (long long)v->dims[d]);
        }
        overflow |= !oclnn_mul_size(bytes, (size_t)v->dims[d], &bytes);
    }
    if (!overflow && bytes <= l->max_tensor_bytes) return OCLNN_STATUS_OK;
    char size[48];
    if (overflow)
        snprintf(size, sizeof size, "more than 2^64");
    else
        snprintf(size, sizeof size, "%zu", bytes);
    if (n)
        return rt_fail(g, n, OCLNN_STATUS_LIMIT_EXCEEDED,
                       "output '%s' would take %s bytes; the tensor limit (max_tensor_bytes, OCLNN_MAX_TENSOR_MB) is "
                       "%llu",
                       v->name, size, (unsigned long long)l->max_tensor_bytes);
    return oclnn_fail(&g->ctx->err, OCLNN_STATUS_LIMIT_EXCEEDED,
                      "graph: input '%s' would take %s bytes; the tensor limit (max_tensor_bytes, OCLNN_MAX_TENSOR_MB) "
                      "is %llu",
                      v->name, size, (unsigned long long)l->max_tensor_bytes);
}

oclnn_status rt_attr_int_in(const oclnn_graph *g, const oclnn_ir_node *n, const char *name, int64_t def, int64_t lo,
                            int64_t hi, int64_t *out) {
    int64_t v = oclnn_ir_attr_int(n, name, def);
    if (v < lo || v > hi)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "attribute %s = %lld is outside [%lld, %lld]", name,
                       (long long)v, (long long)lo, (long long)hi);
    if (out) *out = v;
    return OCLNN_STATUS_OK;
}

oclnn_status rt_auto_pad(const oclnn_graph *g, const oclnn_ir_node *n, oclnn_auto_pad *ap) {
    const char *s = oclnn_ir_attr_string(n, "auto_pad", "NOTSET");
    if (!strcmp(s, "NOTSET"))
        *ap = OCLNN_AUTO_PAD_NOTSET;
    else if (!strcmp(s, "SAME_UPPER"))
        *ap = OCLNN_AUTO_PAD_SAME_UPPER;
    else if (!strcmp(s, "SAME_LOWER"))
        *ap = OCLNN_AUTO_PAD_SAME_LOWER;
    else if (!strcmp(s, "VALID"))
        *ap = OCLNN_AUTO_PAD_VALID;
    else
        return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "auto_pad '%s' is not an ONNX value", s);
    return OCLNN_STATUS_OK;
}

oclnn_status rt_window_read(const oclnn_graph *g, const oclnn_ir_node *n, int rank, int64_t kh, int64_t kw,
                            rt_window *w) {
    int64_t v[8];
    size_t r = rank == 1 ? 1 : 2; /* 1-D: the attributes describe W; H is a window of 1 without pads */
    memset(w, 0, sizeof *w);
    w->kh = kh;
    w->kw = kw;
    size_t c = rt_attr_ints(n, "kernel_shape", v, 8);
    if (c) {
        if (c != r)
            return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "kernel_shape has %zu dims for %zu-D data (1-D and 2-D only)",
                           c, r);
        if (r == 1) v[1] = v[0], v[0] = 1;
        if ((kh && v[0] != kh) || (kw && v[1] != kw))
            return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "kernel_shape disagrees with the weights");
        w->kh = v[0];
        w->kw = v[1];
    }
    if (w->kh < 1 || w->kw < 1) return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "kernel_shape is missing or < 1");
    w->sh = w->sw = w->dh = w->dw = 1;
    c = rt_attr_ints(n, "strides", v, 8);
    if (c == r)
        w->sh = r == 1 ? 1 : v[0], w->sw = v[r - 1];
    else if (c)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "strides needs %zu values, has %zu", r, c);
    c = rt_attr_ints(n, "dilations", v, 8);
    if (c == r)
        w->dh = r == 1 ? 1 : v[0], w->dw = v[r - 1];
    else if (c)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "dilations needs %zu values, has %zu", r, c);
    c = rt_attr_ints(n, "pads", v, 8);
    if (c == 2 * r && r == 2)
        w->pt = v[0], w->pl = v[1], w->pb = v[2], w->pr = v[3];
    else if (c == 2 * r)
        w->pl = v[0], w->pr = v[1];
    else if (c)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "pads needs %zu values, has %zu", 2 * r, c);
    if (w->sh < 1 || w->sw < 1 || w->dh < 1 || w->dw < 1 || w->pt < 0 || w->pl < 0 || w->pb < 0 || w->pr < 0)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "strides/dilations must be >= 1 and pads >= 0");
    /* the operators take 32-bit geometry, and the window arithmetic below must not overflow */
    const int64_t all[] = {w->kh, w->kw, w->sh, w->sw, w->dh, w->dw, w->pt, w->pl, w->pb, w->pr};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        if (all[i] > INT32_MAX)
            return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT,
                           "kernel_shape/strides/dilations/pads value %lld is above 2^31-1", (long long)all[i]);
    int64_t cm = 0;
    oclnn_status s = rt_attr_int_in(g, n, "ceil_mode", 0, 0, 1, &cm);
    if (s) return s;
    w->ceil_mode = (int)cm;
    if ((s = rt_auto_pad(g, n, &w->auto_pad))) return s;
    /* ONNX: explicit pads cannot be used together with an auto_pad that computes them */
    if (w->auto_pad != OCLNN_AUTO_PAD_NOTSET && (w->pt || w->pl || w->pb || w->pr))
        return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "auto_pad '%s' cannot be combined with nonzero pads",
                       oclnn_ir_attr_string(n, "auto_pad", "NOTSET"));
    return OCLNN_STATUS_OK;
}

int rt_dims4(const oclnn_ir_value *v, int64_t d[4]) {
    if (!v || (v->ndim != 3 && v->ndim != 4)) return 0;
    d[0] = v->dims[0], d[1] = v->dims[1];
    d[2] = v->ndim == 3 ? 1 : v->dims[2];
    d[3] = v->dims[v->ndim - 1];
    return (int)v->ndim - 2;
}

oclnn_status rt_view4(oclnn_tensor *t, oclnn_tensor **view) {
    *view = NULL;
    if (!t || t->ndim != 3) return OCLNN_STATUS_OK;
    int64_t d[4] = {t->dims[0], t->dims[1], 1, t->dims[2]};
    return oclnn_tensor_view(t, 0, t->dtype, 4, d, view);
}

static int64_t axis_out(int64_t in, int64_t k, int64_t s, int64_t d, int64_t pa, int64_t pb, oclnn_auto_pad ap,
                        int ceil_mode) {
    int64_t eff = d * (k - 1) + 1;
    if (ap == OCLNN_AUTO_PAD_SAME_UPPER || ap == OCLNN_AUTO_PAD_SAME_LOWER) return (in + s - 1) / s;
    if (ap == OCLNN_AUTO_PAD_VALID) pa = pb = 0;
    int64_t span = in + pa + pb - eff;
    if (span < 0) return 0;
    int64_t out = (ceil_mode ? (span + s - 1) / s : span / s) + 1;
    if (ceil_mode && (out - 1) * s >= in + pa) out--; /* the last window may not start inside the end padding */
    return out;
}

oclnn_status rt_window_out(const oclnn_graph *g, const oclnn_ir_node *n, const rt_window *w, int64_t h, int64_t wd,
                           int64_t *oh, int64_t *ow) {
    *oh = axis_out(h, w->kh, w->sh, w->dh, w->pt, w->pb, w->auto_pad, w->ceil_mode);
    *ow = axis_out(wd, w->kw, w->sw, w->dw, w->pl, w->pr, w->auto_pad, w->ceil_mode);
    if (*oh < 1 || *ow < 1)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "a %lldx%lld input leaves no output for a %lldx%lld window",
                       (long long)h, (long long)wd, (long long)w->kh, (long long)w->kw);
    return OCLNN_STATUS_OK;
}

oclnn_status rt_dev_dims(const oclnn_graph *g, const oclnn_ir_node *n, const oclnn_ir_value *v, size_t *ndim,
                         int64_t *dims) {
    if (v->ndim > OCLNN_MAX_DIMS)
        return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "'%s' has %zu dims (device tensors have at most %d)", v->name,
                       v->ndim, OCLNN_MAX_DIMS);
    *ndim = v->ndim ? v->ndim : 1;
    dims[0] = 1;
    for (size_t d = 0; d < v->ndim; d++)
        dims[d] = v->dims[d];
    return OCLNN_STATUS_OK;
}

oclnn_status rt_upload(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n, size_t k, oclnn_tensor **t) {
    *t = NULL;
    const float *data;
    size_t count, nd = 0;
    int64_t dims[OCLNN_MAX_DIMS];
    oclnn_status s = rt_const_floats(g, n, k, &data, &count);
    if (s) return s;
    if ((s = rt_dev_dims(g, n, rt_in(g, n, k), &nd, dims))) return s;
    if (!count) return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "input %zu is an empty constant", k);
    if ((s = oclnn_tensor_create(st->ctx, OCLNN_DTYPE_F32, nd, dims, t)))
        return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    if ((s = oclnn_tensor_write(*t, 0, count * sizeof(float), data))) {
        oclnn_tensor_destroy(*t);
        *t = NULL;
        return rt_fail(g, n, s, "%s", oclnn_last_error(st->ctx));
    }
    return OCLNN_STATUS_OK;
}

/* The ONNX type of the attributes the CNN op set reads, by name (the same type in every op that has them). A value of
 * another type would read as a default (0, "", no list) and compute garbage: it is refused instead. Names not listed
 * (Constant's value, Pad-2's value, op-specific extras) are left to their readers. */
static const struct {
    const char *name;
    int type;
} attr_types[] = {
    {"axis", OCLNN_ATTR_INT},
    {"group", OCLNN_ATTR_INT},
    {"size", OCLNN_ATTR_INT},
    {"p", OCLNN_ATTR_INT},
    {"ceil_mode", OCLNN_ATTR_INT},
    {"count_include_pad", OCLNN_ATTR_INT},
    {"storage_order", OCLNN_ATTR_INT},
    {"transA", OCLNN_ATTR_INT},
    {"transB", OCLNN_ATTR_INT},
    {"keepdims", OCLNN_ATTR_INT},
    {"select_last_index", OCLNN_ATTR_INT},
    {"allowzero", OCLNN_ATTR_INT},
    {"exclude_outside", OCLNN_ATTR_INT},
    {"antialias", OCLNN_ATTR_INT},
    {"num_outputs", OCLNN_ATTR_INT},
    {"training_mode", OCLNN_ATTR_INT},
    {"spatial", OCLNN_ATTR_INT},
    {"kernel_shape", OCLNN_ATTR_INTS},
    {"strides", OCLNN_ATTR_INTS},
    {"pads", OCLNN_ATTR_INTS},
    {"dilations", OCLNN_ATTR_INTS},
    {"output_padding", OCLNN_ATTR_INTS},
    {"output_shape", OCLNN_ATTR_INTS},
    {"perm", OCLNN_ATTR_INTS},
    {"axes", OCLNN_ATTR_INTS},
    {"split", OCLNN_ATTR_INTS},
    {"starts", OCLNN_ATTR_INTS},
    {"ends", OCLNN_ATTR_INTS},
    {"alpha", OCLNN_ATTR_FLOAT},
    {"beta", OCLNN_ATTR_FLOAT},
    {"bias", OCLNN_ATTR_FLOAT},
    {"epsilon", OCLNN_ATTR_FLOAT},
    {"momentum", OCLNN_ATTR_FLOAT},
    {"min", OCLNN_ATTR_FLOAT},
    {"max", OCLNN_ATTR_FLOAT},
    {"cubic_coeff_a", OCLNN_ATTR_FLOAT},
    {"extrapolation_value", OCLNN_ATTR_FLOAT},
    {"mode", OCLNN_ATTR_STRING},
    {"auto_pad", OCLNN_ATTR_STRING},
    {"coordinate_transformation_mode", OCLNN_ATTR_STRING},
    {"nearest_mode", OCLNN_ATTR_STRING},
    {"keep_aspect_ratio_policy", OCLNN_ATTR_STRING},
};

static const char *attr_type_name(int t) {
    switch (t) {
    case OCLNN_ATTR_INT: return "an INT";
    case OCLNN_ATTR_FLOAT: return "a FLOAT";
    case OCLNN_ATTR_STRING: return "a STRING";
    case OCLNN_ATTR_INTS: return "INTS";
    case OCLNN_ATTR_FLOATS: return "FLOATS";
    case OCLNN_IR_ATTR_TENSOR: return "a TENSOR";
    default: return "another type";
    }
}

/* Values that a pass could otherwise act on before the op's own checks run: BatchNormalization's spatial = 0 (op sets
 * before 9: statistics per element, which BN folding would treat as per channel) and ConvTranspose's list lengths
 * (read into fixed arrays that would silently drop extra values). */
static oclnn_status check_attr_values(const oclnn_graph *g, const oclnn_ir_node *n) {
    if (!strcmp(n->op_type, "BatchNormalization") && n->opset < 9 && oclnn_ir_attr_int(n, "spatial", 1) != 1)
        return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "spatial = %lld (per-element statistics) is not supported",
                       (long long)oclnn_ir_attr_int(n, "spatial", 1));
    const oclnn_ir_value *w = rt_in(g, n, 1);
    if (!strcmp(n->op_type, "ConvTranspose") && w && w->has_shape && w->ndim >= 3) {
        size_t r = w->ndim - 2, c;
        if (oclnn_ir_attr_ints(n, "output_padding", &c) && c != r)
            return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "output_padding has %zu values for %zu spatial dims",
                           c, r);
        if (oclnn_ir_attr_ints(n, "output_shape", &c) && c != r && c != r + 2)
            return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "output_shape has %zu values for %zu spatial dims", c,
                           r);
    }
    return OCLNN_STATUS_OK;
}

oclnn_status rt_check_attrs(const oclnn_graph *g) {
    for (size_t i = 0; i < g->num_nodes; i++) {
        const oclnn_ir_node *n = &g->nodes[i];
        if (n->dead || (n->domain[0] && strcmp(n->domain, "ai.onnx"))) continue;
        for (size_t k = 0; k < n->num_attrs; k++) {
            const oclnn_ir_attr *a = &n->attrs[k];
            if (!a->name) continue;
            for (size_t t = 0; t < sizeof attr_types / sizeof *attr_types; t++)
                if (!strcmp(a->name, attr_types[t].name) && a->type != attr_types[t].type)
                    return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "attribute %s is %s; ONNX defines it as %s",
                                   a->name, attr_type_name(a->type), attr_type_name(attr_types[t].type));
        }
        oclnn_status s = check_attr_values(g, n);
        if (s) return s;
    }
    return OCLNN_STATUS_OK;
}
