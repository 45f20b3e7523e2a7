/* rt_datamove.c - data-movement graph ops: Concat, Split, Slice, Pad, Transpose, Resize/Upsample on the datamove
 * operators, and the metadata-only Reshape, Flatten, Squeeze, Unsqueeze (aliases: the runtime binds a view of the
 * input's memory). Attribute forms of old op sets and constant-input forms of new ones are both read.
 */
#include "graph/rt_util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct rt_dm {
    oclnn_concat *concat;
    oclnn_split *split;
    oclnn_slice *slice;
    oclnn_pad *pad;
    oclnn_transpose *transpose;
    oclnn_resize *resize;
    oclnn_tensor *cst[OCLNN_RT_MAX_IO]; /* device copies of constant concat inputs */
} rt_dm;

static rt_dm *dm_new(oclnn_rt_step *st) { return st->op = oclnn_calloc(st->ctx->alloc, 1, sizeof(rt_dm)); }

static void dm_destroy(oclnn_rt_step *st) {
    rt_dm *m = st->op;
    if (!m) return;
    oclnn_concat_destroy(m->concat);
    oclnn_split_destroy(m->split);
    oclnn_slice_destroy(m->slice);
    oclnn_pad_destroy(m->pad);
    oclnn_transpose_destroy(m->transpose);
    oclnn_resize_destroy(m->resize);
    for (size_t i = 0; i < OCLNN_RT_MAX_IO; i++)
        oclnn_tensor_destroy(m->cst[i]);
    oclnn_free(st->ctx->alloc, m);
    st->op = NULL;
}

#define NEW_DM(m)                                                                                                      \
    rt_dm *m = dm_new(st);                                                                                             \
    if (!m) return rt_fail(g, n, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "out of host memory")
#define CHECK(expr)                                                                                                    \
    do {                                                                                                               \
        oclnn_status s_ = (expr);                                                                                      \
        if (s_) return rt_fail(g, n, s_, "%s", oclnn_last_error(st->ctx));                                             \
    } while (0)
/* the shape helpers report through the thread's error buffer */
#define CHECK_SHAPE(expr)                                                                                              \
    do {                                                                                                               \
        oclnn_status s_ = (expr);                                                                                      \
        if (s_) return rt_fail(g, n, s_, "%s", oclnn_last_error(NULL));                                                \
    } while (0)

static int all_known(const oclnn_graph *g, const oclnn_ir_node *n, size_t count) {
    for (size_t k = 0; k < count; k++)
        if (!rt_known(g, n, k)) return 0;
    return 1;
}

static int64_t norm_axis(int64_t axis, size_t ndim) { return axis < 0 ? axis + (int64_t)ndim : axis; }

/* ---- Concat ---- */

static oclnn_status concat_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    if (!n->num_inputs) return rt_fail(g, n, OCLNN_STATUS_INVALID_MODEL, "has no inputs");
    if (!all_known(g, n, n->num_inputs)) return OCLNN_STATUS_OK;
    const oclnn_ir_value *a = rt_in(g, n, 0);
    int64_t axis = norm_axis(oclnn_ir_attr_int(n, "axis", 0), a->ndim);
    if (axis < 0 || axis >= (int64_t)a->ndim)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "axis is outside the inputs' %zu dims", a->ndim);
    int64_t d[OCLNN_IR_MAX_DIMS];
    memcpy(d, a->dims, sizeof d);
    for (size_t k = 1; k < n->num_inputs; k++) {
        const oclnn_ir_value *b = rt_in(g, n, k);
        int ok = b->ndim == a->ndim;
        for (size_t i = 0; ok && i < a->ndim; i++)
            ok = (int64_t)i == axis || b->dims[i] == a->dims[i];
        if (!ok)
            return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "input %zu ('%s') does not match input 0 off axis %lld", k,
                           b->name, (long long)axis);
        d[axis] += b->dims[axis];
    }
    rt_set_out(g, n, 0, a->dtype, a->ndim, d);
    return OCLNN_STATUS_OK;
}

static oclnn_status concat_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    NEW_DM(m);
    if (n->num_inputs > OCLNN_RT_MAX_IO)
        return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "more than %d inputs", OCLNN_RT_MAX_IO);
    CHECK(oclnn_concat_create(st->ctx, oclnn_ir_attr_int(n, "axis", 0), n->num_inputs, &m->concat));
    for (size_t k = 0; k < n->num_inputs; k++) {
        if (!rt_is_const(g, n, k)) continue;
        oclnn_status s = rt_upload(st, g, n, k, &m->cst[k]);
        if (s) return s;
        st->weight_bytes += oclnn_tensor_nbytes(m->cst[k]);
    }
    return OCLNN_STATUS_OK;
}

static oclnn_status concat_reshape(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_dm *m = st->op;
    size_t nd[OCLNN_RT_MAX_IO];
    int64_t dims[OCLNN_RT_MAX_IO][OCLNN_MAX_DIMS], out[OCLNN_MAX_DIMS];
    const int64_t *dp[OCLNN_RT_MAX_IO];
    for (size_t k = 0; k < n->num_inputs; k++) {
        oclnn_status s = rt_dev_dims(g, n, rt_in(g, n, k), &nd[k], dims[k]);
        if (s) return s;
        dp[k] = dims[k];
    }
    CHECK(oclnn_concat_reshape(m->concat, nd, dp, out));
    st->kernels = 1;
    return OCLNN_STATUS_OK;
}

static oclnn_status concat_setup(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_dm *m = st->op;
    const oclnn_tensor *in[OCLNN_RT_MAX_IO];
    for (size_t k = 0; k < n->num_inputs; k++)
        in[k] = st->in[k] ? st->in[k] : m->cst[k];
    CHECK(oclnn_concat_setup(m->concat, in, st->out[0]));
    return OCLNN_STATUS_OK;
}

/* ---- Split ---- */

static oclnn_status split_sizes(const oclnn_graph *g, const oclnn_ir_node *n, int64_t *sz, size_t *count) {
    *count = 0;
    if (n->opset < 13) {
        *count = rt_attr_ints(n, "split", sz, OCLNN_RT_MAX_IO);
        return OCLNN_STATUS_OK;
    }
    if (rt_in(g, n, 1)) return rt_const_ints(g, n, 1, sz, OCLNN_RT_MAX_IO, count);
    return OCLNN_STATUS_OK;
}

static oclnn_status split_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    if (!rt_known(g, n, 0)) return OCLNN_STATUS_OK;
    const oclnn_ir_value *x = rt_in(g, n, 0);
    int64_t axis = norm_axis(oclnn_ir_attr_int(n, "axis", 0), x->ndim), sz[OCLNN_RT_MAX_IO];
    size_t count, no = n->num_outputs;
    if (axis < 0 || axis >= (int64_t)x->ndim) return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "axis out of range");
    if (no > OCLNN_RT_MAX_IO || !no) return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "%zu outputs", no);
    oclnn_status s = split_sizes(g, n, sz, &count);
    if (s) return s;
    int64_t len = x->dims[axis], sum = 0, num_outputs;
    /* op set 18: num_outputs (without split) must name the outputs there are */
    if ((s = rt_attr_int_in(g, n, "num_outputs", (int64_t)no, (int64_t)no, (int64_t)no, &num_outputs))) return s;
    if (count) {
        if (count != no)
            return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "split has %zu sizes for %zu outputs", count, no);
        for (size_t i = 0; i < count; i++) {
            if (sz[i] < 0)
                return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "split[%zu] = %lld is negative", i,
                               (long long)sz[i]);
            if (sz[i] == 0)
                return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "split[%zu] = 0 (oclnn has no empty tensors)", i);
        }
        for (size_t i = 0; i < count; i++) {
            if (sz[i] > len || sum > len) /* sums stay below 2^63: each term is at most the axis length */
                return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "split sizes exceed the axis (%lld)", (long long)len);
            sum += sz[i];
        }
        if (sum != len)
            return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "split sizes sum to %lld, the axis has %lld",
                           (long long)sum, (long long)len);
    } else {
        int64_t part = (len + (int64_t)no - 1) / (int64_t)no;
        for (size_t i = 0; i < no; i++) {
            sz[i] = len - sum < part ? len - sum : part;
            sum += sz[i];
        }
    }
    for (size_t i = 0; i < no; i++) {
        int64_t d[OCLNN_IR_MAX_DIMS];
        memcpy(d, x->dims, sizeof d);
        d[axis] = sz[i];
        rt_set_out(g, n, i, x->dtype, x->ndim, d);
    }
    return OCLNN_STATUS_OK;
}

static oclnn_status split_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    NEW_DM(m);
    int64_t sz[OCLNN_RT_MAX_IO];
    size_t count;
    oclnn_status s = split_sizes(g, n, sz, &count);
    if (s) return s;
    for (size_t i = 0; i < n->num_outputs; i++)
        if (n->outputs[i] < 0) return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "omitted outputs are not supported");
    CHECK(oclnn_split_create(st->ctx, oclnn_ir_attr_int(n, "axis", 0), n->num_outputs, count ? sz : NULL, &m->split));
    return OCLNN_STATUS_OK;
}

/* ---- Slice ---- */

typedef struct slice_args {
    size_t count;
    int64_t starts[OCLNN_IR_MAX_DIMS], ends[OCLNN_IR_MAX_DIMS], axes[OCLNN_IR_MAX_DIMS], steps[OCLNN_IR_MAX_DIMS];
} slice_args;

static oclnn_status slice_read(const oclnn_graph *g, const oclnn_ir_node *n, size_t ndim, slice_args *a) {
    size_t c1, c2, c3 = 0, c4 = 0;
    oclnn_status s;
    if (n->opset < 10) {
        c1 = rt_attr_ints(n, "starts", a->starts, OCLNN_IR_MAX_DIMS);
        c2 = rt_attr_ints(n, "ends", a->ends, OCLNN_IR_MAX_DIMS);
        c3 = rt_attr_ints(n, "axes", a->axes, OCLNN_IR_MAX_DIMS);
    } else {
        if ((s = rt_const_ints(g, n, 1, a->starts, OCLNN_IR_MAX_DIMS, &c1))) return s;
        if ((s = rt_const_ints(g, n, 2, a->ends, OCLNN_IR_MAX_DIMS, &c2))) return s;
        if (rt_in(g, n, 3) && (s = rt_const_ints(g, n, 3, a->axes, OCLNN_IR_MAX_DIMS, &c3))) return s;
        if (rt_in(g, n, 4) && (s = rt_const_ints(g, n, 4, a->steps, OCLNN_IR_MAX_DIMS, &c4))) return s;
    }
    if (c1 != c2 || (c3 && c3 != c1) || (c4 && c4 != c1))
        return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "starts, ends, axes and steps differ in length");
    a->count = c1;
    for (size_t i = 0; i < c1; i++) {
        if (!c3) a->axes[i] = (int64_t)i;
        if (!c4) a->steps[i] = 1;
        a->axes[i] = norm_axis(a->axes[i], ndim);
        if (a->axes[i] < 0 || a->axes[i] >= (int64_t)ndim)
            return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "axis %zu is out of range", i);
        if (!a->steps[i]) return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "a step is 0");
    }
    return OCLNN_STATUS_OK;
}

static oclnn_status slice_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    if (!rt_known(g, n, 0)) return OCLNN_STATUS_OK;
    const oclnn_ir_value *x = rt_in(g, n, 0);
    slice_args a;
    oclnn_status s = slice_read(g, n, x->ndim, &a);
    if (s) return s;
    int64_t d[OCLNN_IR_MAX_DIMS];
    memcpy(d, x->dims, sizeof d);
    for (size_t i = 0; i < a.count; i++) {
        int64_t dim = x->dims[a.axes[i]], st = a.starts[i], en = a.ends[i], step = a.steps[i], len;
        if (st < 0) st += dim;
        if (en < 0) en += dim;
        if (step > 0) {
            st = st < 0 ? 0 : st > dim ? dim : st;
            en = en < 0 ? 0 : en > dim ? dim : en;
        } else {
            st = st < 0 ? 0 : st > dim - 1 ? dim - 1 : st;
            en = en < -1 ? -1 : en > dim - 1 ? dim - 1 : en;
        }
        /* ceil(span / |step|) in unsigned arithmetic: a step may be INT64_MIN or INT64_MAX */
        int64_t span = step > 0 ? en - st : st - en;
        uint64_t astep = step > 0 ? (uint64_t)step : (uint64_t)0 - (uint64_t)step;
        len = span > 0 ? (int64_t)(((uint64_t)span - 1) / astep + 1) : 0;
        if (len < 1)
            return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "the slice of axis %lld is empty", (long long)a.axes[i]);
        d[a.axes[i]] = len;
    }
    rt_set_out(g, n, 0, x->dtype, x->ndim, d);
    return OCLNN_STATUS_OK;
}

static oclnn_status slice_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    NEW_DM(m);
    slice_args a;
    oclnn_status s = slice_read(g, n, rt_in(g, n, 0)->ndim, &a);
    if (s) return s;
    CHECK(oclnn_slice_create(st->ctx, a.count, a.starts, a.ends, a.axes, a.steps, &m->slice));
    return OCLNN_STATUS_OK;
}

/* ---- Pad ---- */

static oclnn_status pad_read(const oclnn_graph *g, const oclnn_ir_node *n, size_t ndim, int64_t *pads,
                             oclnn_pad_mode *mode, float *value) {
    const char *ms = oclnn_ir_attr_string(n, "mode", "constant");
    if (!strcmp(ms, "constant"))
        *mode = OCLNN_PAD_CONSTANT;
    else if (!strcmp(ms, "reflect"))
        *mode = OCLNN_PAD_REFLECT;
    else if (!strcmp(ms, "edge"))
        *mode = OCLNN_PAD_EDGE;
    else if (!strcmp(ms, "wrap"))
        *mode = OCLNN_PAD_WRAP;
    else
        return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "mode '%s' is not an ONNX pad mode", ms);
    int64_t raw[2 * OCLNN_IR_MAX_DIMS], axes[OCLNN_IR_MAX_DIMS];
    size_t c, na = 0;
    *value = 0;
    oclnn_status s;
    if (n->opset < 11) {
        c = rt_attr_ints(n, "pads", raw, 2 * OCLNN_IR_MAX_DIMS);
        *value = oclnn_ir_attr_float(n, "value", 0);
    } else {
        if ((s = rt_const_ints(g, n, 1, raw, 2 * OCLNN_IR_MAX_DIMS, &c))) return s;
        if (rt_in(g, n, 2)) {
            const float *v;
            size_t vc;
            if ((s = rt_const_floats(g, n, 2, &v, &vc))) return s;
            if (vc != 1)
                return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "constant_value has %zu values (a scalar)", vc);
            *value = v[0];
        }
        if (rt_in(g, n, 3) && (s = rt_const_ints(g, n, 3, axes, OCLNN_IR_MAX_DIMS, &na))) return s;
    }
    /* beyond 2^31 no tensor could hold the result; checked before any dim arithmetic can overflow */
    for (size_t i = 0; i < c; i++)
        if (raw[i] > INT32_MAX || raw[i] < -(int64_t)INT32_MAX)
            return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "pads[%zu] = %lld is beyond +-(2^31-1)", i,
                           (long long)raw[i]);
    if (!na) {
        if (c != 2 * ndim)
            return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "pads has %zu values for %zu dims", c, ndim);
        memcpy(pads, raw, c * sizeof *raw);
        return OCLNN_STATUS_OK;
    }
    if (c != 2 * na) return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "pads has %zu values for %zu axes", c, na);
    memset(pads, 0, 2 * ndim * sizeof *pads);
    int seen[OCLNN_IR_MAX_DIMS] = {0};
    for (size_t i = 0; i < na; i++) {
        int64_t ax = norm_axis(axes[i], ndim);
        if (ax < 0 || ax >= (int64_t)ndim || seen[ax]++)
            return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "axes[%zu] = %lld is out of range or repeated", i,
                           (long long)axes[i]);
        pads[ax] = raw[i];
        pads[ax + (int64_t)ndim] = raw[i + na];
    }
    return OCLNN_STATUS_OK;
}

static oclnn_status pad_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    if (!rt_known(g, n, 0)) return OCLNN_STATUS_OK;
    const oclnn_ir_value *x = rt_in(g, n, 0);
    int64_t pads[2 * OCLNN_IR_MAX_DIMS], d[OCLNN_IR_MAX_DIMS];
    oclnn_pad_mode mode;
    float v;
    oclnn_status s = pad_read(g, n, x->ndim, pads, &mode, &v);
    if (s) return s;
    for (size_t i = 0; i < x->ndim; i++) {
        d[i] = x->dims[i] + pads[i] + pads[i + x->ndim];
        if (d[i] < 1) return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "pads leave axis %zu empty", i);
    }
    rt_set_out(g, n, 0, x->dtype, x->ndim, d);
    return OCLNN_STATUS_OK;
}

static oclnn_status pad_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    NEW_DM(m);
    const oclnn_ir_value *x = rt_in(g, n, 0);
    int64_t pads[2 * OCLNN_IR_MAX_DIMS];
    oclnn_pad_mode mode;
    float v;
    oclnn_status s = pad_read(g, n, x->ndim, pads, &mode, &v);
    if (s) return s;
    CHECK(oclnn_pad_create(st->ctx, mode, v, x->ndim, pads, &m->pad));
    return OCLNN_STATUS_OK;
}

/* ---- Transpose ---- */

static oclnn_status transpose_perm(const oclnn_graph *g, const oclnn_ir_node *n, size_t ndim, int64_t *perm) {
    size_t c = rt_attr_ints(n, "perm", perm, OCLNN_IR_MAX_DIMS);
    if (!c) {
        for (size_t i = 0; i < ndim; i++)
            perm[i] = (int64_t)(ndim - 1 - i);
        return OCLNN_STATUS_OK;
    }
    unsigned seen = 0;
    for (size_t i = 0; i < c; i++) {
        if (perm[i] < 0 || perm[i] >= (int64_t)ndim || (seen & (1u << perm[i])))
            return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "perm is not a permutation of %zu axes", ndim);
        seen |= 1u << perm[i];
    }
    if (c != ndim) return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "perm has %zu entries for %zu dims", c, ndim);
    return OCLNN_STATUS_OK;
}

static oclnn_status transpose_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    if (!rt_known(g, n, 0)) return OCLNN_STATUS_OK;
    const oclnn_ir_value *x = rt_in(g, n, 0);
    int64_t perm[OCLNN_IR_MAX_DIMS], d[OCLNN_IR_MAX_DIMS];
    oclnn_status s = transpose_perm(g, n, x->ndim, perm);
    if (s) return s;
    for (size_t i = 0; i < x->ndim; i++)
        d[i] = x->dims[perm[i]];
    rt_set_out(g, n, 0, x->dtype, x->ndim, d);
    return OCLNN_STATUS_OK;
}

static oclnn_status transpose_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    NEW_DM(m);
    const oclnn_ir_value *x = rt_in(g, n, 0);
    int64_t perm[OCLNN_IR_MAX_DIMS];
    oclnn_status s = transpose_perm(g, n, x->ndim, perm);
    if (s) return s;
    CHECK(oclnn_transpose_create(st->ctx, x->ndim, perm, &m->transpose));
    return OCLNN_STATUS_OK;
}

/* ---- Resize / Upsample ---- */

/* ONNX string attribute @p name as an index into @p names (default names[0]); INVALID_ARGUMENT naming the node and
 * the attribute for any other spelling. */
static oclnn_status attr_enum(const oclnn_graph *g, const oclnn_ir_node *n, const char *name,
                              const char *const *names, int count, int *out) {
    const char *v = oclnn_ir_attr_string(n, name, names[0]);
    for (int i = 0; i < count; i++)
        if (!strcmp(v, names[i])) return *out = i, OCLNN_STATUS_OK;
    return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "%s '%s' is not an ONNX value", name, v);
}

/* Resize (op sets 10-18) and Upsample: every attribute and the scales/sizes inputs checked against the spec before
 * any of them is converted, then mapped onto the H and W resize of oclnn_resize. */
static oclnn_status resize_read(const oclnn_graph *g, const oclnn_ir_node *n, oclnn_resize_params *p) {
    const oclnn_ir_value *x = rt_in(g, n, 0);
    if (!x || x->ndim != 4) return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "only 4-D NCHW inputs are supported");
    const char *ms = oclnn_ir_attr_string(n, "mode", "nearest");
    oclnn_resize_mode mode;
    if (!strcmp(ms, "nearest"))
        mode = OCLNN_RESIZE_NEAREST;
    else if (!strcmp(ms, "linear") || !strcmp(ms, "bilinear"))
        mode = OCLNN_RESIZE_LINEAR;
    else if (!strcmp(ms, "cubic"))
        mode = OCLNN_RESIZE_CUBIC;
    else
        return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "mode '%s' is unknown", ms);
    int upsample = !strcmp(n->op_type, "Upsample");
    const size_t rank = 4;
    float scales[OCLNN_IR_MAX_DIMS];
    int64_t sizes[OCLNN_IR_MAX_DIMS], axes[OCLNN_IR_MAX_DIMS];
    size_t ns = 0, nz = 0, na = 0;
    oclnn_status s;
    if (upsample || n->opset < 11) {
        oclnn_resize_params_init_upsample(p, mode);
        if (upsample && n->opset < 9) {
            const oclnn_ir_attr *a = oclnn_ir_attr_find(n, "scales");
            ns = a && a->floats ? a->count : 0;
            for (size_t i = 0; i < ns && i < OCLNN_IR_MAX_DIMS; i++)
                scales[i] = a->floats[i];
        } else {
            const float *v;
            if ((s = rt_const_floats(g, n, 1, &v, &ns))) return s;
            for (size_t i = 0; i < ns && i < OCLNN_IR_MAX_DIMS; i++)
                scales[i] = v[i];
        }
    } else {
        oclnn_resize_params_init(p);
        p->mode = mode;
        static const char *const coords[] = {"half_pixel",        "pytorch_half_pixel",        "align_corners",
                                             "asymmetric",        "tf_half_pixel_for_nearest", "half_pixel_symmetric",
                                             "tf_crop_and_resize", "tf_half_pixel_for_nn"};
        int ci = 0, ni = 0, kp = 0;
        if ((s = attr_enum(g, n, "coordinate_transformation_mode", coords, 8, &ci))) return s;
        /* tf_half_pixel_for_nn is the spelling of op sets 11 and 12 */
        p->coord = ci == 7 ? OCLNN_RESIZE_TF_HALF_PIXEL_FOR_NN : (oclnn_resize_coord)ci;
        static const char *const nms[] = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"};
        if ((s = attr_enum(g, n, "nearest_mode", nms, 4, &ni))) return s;
        p->nearest_mode = (oclnn_resize_nearest_mode)ni;
        p->cubic_coeff_a = oclnn_ir_attr_float(n, "cubic_coeff_a", -0.75f);
        int64_t ex, aa;
        if ((s = rt_attr_int_in(g, n, "exclude_outside", 0, 0, 1, &ex))) return s;
        p->exclude_outside = (int)ex;
        /* op set 18: antialias (a wider filter when downscaling) is not implemented; keep_aspect_ratio_policy
         * applies to sizes only */
        if ((s = rt_attr_int_in(g, n, "antialias", 0, 0, 1, &aa))) return s;
        if (aa) return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "antialias = 1 is not implemented");
        static const char *const policies[] = {"stretch", "not_larger", "not_smaller"};
        if ((s = attr_enum(g, n, "keep_aspect_ratio_policy", policies, 3, &kp))) return s;
        na = rt_attr_ints(n, "axes", axes, OCLNN_IR_MAX_DIMS);
        int seen[OCLNN_IR_MAX_DIMS] = {0};
        for (size_t i = 0; i < na; i++) {
            int64_t a = norm_axis(axes[i], rank);
            if (a < 0 || a >= (int64_t)rank || seen[a]++)
                return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT,
                               "axes[%zu] = %lld is out of range for %zu dims or repeated", i, (long long)axes[i],
                               rank);
            axes[i] = a;
        }
        const oclnn_ir_value *sv = rt_in(g, n, 2), *zv = rt_in(g, n, 3);
        int has_s = sv && oclnn_ir_numel(sv) > 0, has_z = zv && oclnn_ir_numel(zv) > 0;
        if (has_s && has_z)
            return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT,
                           "both scales and sizes are given (the spec allows one)");
        if (has_z) {
            if ((s = rt_const_ints(g, n, 3, sizes, OCLNN_IR_MAX_DIMS, &nz))) return s;
        } else if (has_s) {
            const float *v;
            if ((s = rt_const_floats(g, n, 2, &v, &ns))) return s;
            for (size_t i = 0; i < ns && i < OCLNN_IR_MAX_DIMS; i++)
                scales[i] = v[i];
        } else
            return rt_fail(g, n, OCLNN_STATUS_INVALID_MODEL, "needs scales or sizes");
        if (nz && kp)
            return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "keep_aspect_ratio_policy '%s' is not implemented",
                           policies[kp]);
    }
    /* scales / sizes per axis of X: one value per axis, or per entry of axes */
    size_t want = na ? na : rank, got = nz ? nz : ns;
    if (got != want)
        return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "%s has %zu values for %zu %s", nz ? "sizes" : "scales",
                       got, want, na ? "axes" : "dims");
    float fs[4] = {1, 1, 1, 1};
    int64_t fz[4] = {x->dims[0], x->dims[1], x->dims[2], x->dims[3]};
    for (size_t i = 0; i < got; i++) {
        size_t ax = na ? (size_t)axes[i] : i;
        if (nz) {
            if (sizes[i] < 1)
                return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "sizes[%zu] = %lld must be >= 1", i,
                               (long long)sizes[i]);
            if (sizes[i] > INT32_MAX)
                return rt_fail(g, n, OCLNN_STATUS_LIMIT_EXCEEDED, "sizes[%zu] = %lld is above 2^31-1", i,
                               (long long)sizes[i]);
            fz[ax] = sizes[i];
        } else {
            /* Upsample's scales must be >= 1 (it only enlarges); Resize's > 0 */
            if (!(scales[i] > 0) || !isfinite(scales[i]) || (upsample && scales[i] < 1))
                return rt_fail(g, n, OCLNN_STATUS_INVALID_ARGUMENT, "scales[%zu] = %g must be finite and %s", i,
                               (double)scales[i], upsample ? ">= 1" : "> 0");
            fs[ax] = scales[i];
        }
    }
    if (nz) {
        if (fz[0] != x->dims[0] || fz[1] != x->dims[1])
            return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "only H and W can be resized (sizes)");
        p->out_height = (size_t)fz[2];
        p->out_width = (size_t)fz[3];
    } else {
        if (fs[0] != 1.0f || fs[1] != 1.0f)
            return rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "only H and W can be resized (scales)");
        for (int a = 2; a < 4; a++)
            if ((double)x->dims[a] * (double)fs[a] >= 2147483648.0)
                return rt_fail(g, n, OCLNN_STATUS_LIMIT_EXCEEDED, "scales[%d] = %g makes axis %d above 2^31-1", a,
                               (double)fs[a], a);
        p->scale_h = fs[2];
        p->scale_w = fs[3];
    }
    return OCLNN_STATUS_OK;
}

static oclnn_status resize_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    if (!rt_known(g, n, 0)) return OCLNN_STATUS_OK;
    oclnn_resize_params p;
    oclnn_status s = resize_read(g, n, &p);
    if (s) return s;
    const oclnn_ir_value *x = rt_in(g, n, 0);
    int64_t d[4] = {x->dims[0], x->dims[1], (int64_t)p.out_height, (int64_t)p.out_width};
    if (!p.out_height) {
        d[2] = (int64_t)((double)x->dims[2] * (double)p.scale_h);
        d[3] = (int64_t)((double)x->dims[3] * (double)p.scale_w);
    }
    if (d[2] < 1 || d[3] < 1) return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "the output would be empty");
    rt_set_out(g, n, 0, OCLNN_DTYPE_F32, 4, d);
    return OCLNN_STATUS_OK;
}

static oclnn_status resize_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    NEW_DM(m);
    oclnn_resize_params p;
    oclnn_status s = resize_read(g, n, &p);
    if (s) return s;
    CHECK(oclnn_resize_create(st->ctx, &p, &m->resize));
    st->algo = p.mode == OCLNN_RESIZE_NEAREST ? "nearest" : "linear";
    return OCLNN_STATUS_OK;
}

/* ---- shared reshape / setup / enqueue of the copy ops ---- */

static oclnn_status dm_reshape(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_dm *m = st->op;
    if (m->concat) return concat_reshape(st, g, n);
    const oclnn_ir_value *x = rt_in(g, n, 0), *y = rt_out(g, n, 0);
    size_t nd;
    int64_t d[OCLNN_MAX_DIMS], od[OCLNN_RT_MAX_IO * OCLNN_MAX_DIMS];
    oclnn_status s = rt_dev_dims(g, n, x, &nd, d);
    if (s) return s;
    if (m->split)
        CHECK(oclnn_split_reshape(m->split, nd, d, od));
    else if (m->slice)
        CHECK(oclnn_slice_reshape(m->slice, nd, d, od));
    else if (m->pad)
        CHECK(oclnn_pad_reshape(m->pad, d, od));
    else if (m->transpose)
        CHECK(oclnn_transpose_reshape(m->transpose, d, od));
    else {
        size_t oh, ow;
        CHECK(oclnn_resize_reshape(m->resize, (size_t)d[0], (size_t)d[1], (size_t)d[2], (size_t)d[3], &oh, &ow));
        if ((int64_t)oh != y->dims[2] || (int64_t)ow != y->dims[3])
            return rt_fail(g, n, OCLNN_STATUS_INVALID_SHAPE, "operator output %zux%zu differs from the inferred one",
                           oh, ow);
    }
    st->kernels = 1;
    st->macs = 0;
    return OCLNN_STATUS_OK;
}

static oclnn_status dm_setup(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    rt_dm *m = st->op;
    if (m->concat) return concat_setup(st, g, n);
    if (m->split)
        CHECK(oclnn_split_setup(m->split, st->in[0], st->out));
    else if (m->slice)
        CHECK(oclnn_slice_setup(m->slice, st->in[0], st->out[0]));
    else if (m->pad)
        CHECK(oclnn_pad_setup(m->pad, st->in[0], st->out[0]));
    else if (m->transpose)
        CHECK(oclnn_transpose_setup(m->transpose, st->in[0], st->out[0]));
    else
        CHECK(oclnn_resize_setup(m->resize, st->in[0], st->out[0], st->out_offset[0]));
    return OCLNN_STATUS_OK;
}

static oclnn_status dm_enqueue(oclnn_rt_step *st, uint32_t q) {
    rt_dm *m = st->op;
    if (m->concat) return oclnn_concat_enqueue(m->concat, q, NULL);
    if (m->split) return oclnn_split_enqueue(m->split, q, NULL);
    if (m->slice) return oclnn_slice_enqueue(m->slice, q, NULL);
    if (m->pad) return oclnn_pad_enqueue(m->pad, q, NULL);
    if (m->transpose) return oclnn_transpose_enqueue(m->transpose, q, NULL);
    return oclnn_resize_enqueue(m->resize, q, NULL);
}

/* ---- aliases: Reshape, Flatten, Squeeze, Unsqueeze ---- */

static oclnn_status axes_arg(const oclnn_graph *g, const oclnn_ir_node *n, int64_t *axes, size_t *count) {
    *count = 0;
    if (n->opset < 13) {
        *count = rt_attr_ints(n, "axes", axes, OCLNN_IR_MAX_DIMS);
        return OCLNN_STATUS_OK;
    }
    if (rt_in(g, n, 1)) return rt_const_ints(g, n, 1, axes, OCLNN_IR_MAX_DIMS, count);
    return OCLNN_STATUS_OK;
}

static oclnn_status alias_infer(oclnn_graph *g, const oclnn_ir_node *n) {
    if (!rt_known(g, n, 0)) return OCLNN_STATUS_OK;
    const oclnn_ir_value *x = rt_in(g, n, 0);
    size_t xn = x->ndim, on = 0;
    int64_t xd[OCLNN_IR_MAX_DIMS], od[OCLNN_IR_MAX_DIMS];
    memcpy(xd, x->dims, sizeof xd);
    if (!xn) xd[0] = 1, xn = 1; /* a scalar is one element */
    oclnn_status s;
    if (!strcmp(n->op_type, "Reshape")) {
        int64_t shape[OCLNN_IR_MAX_DIMS];
        size_t c;
        int64_t allowzero;
        if ((s = rt_attr_int_in(g, n, "allowzero", 0, 0, 1, &allowzero))) return s;
        if ((s = rt_const_ints(g, n, 1, shape, OCLNN_IR_MAX_DIMS, &c))) return s;
        CHECK_SHAPE(oclnn_shape_reshape(xn, xd, c, shape, (int)allowzero, &on, od));
    } else if (!strcmp(n->op_type, "Flatten")) {
        CHECK_SHAPE(oclnn_shape_flatten(xn, xd, oclnn_ir_attr_int(n, "axis", 1), od));
        on = 2;
    } else {
        int64_t axes[OCLNN_IR_MAX_DIMS];
        size_t c;
        if ((s = axes_arg(g, n, axes, &c))) return s;
        if (!strcmp(n->op_type, "Squeeze"))
            CHECK_SHAPE(oclnn_shape_squeeze(xn, xd, c, c ? axes : NULL, &on, od));
        else
            CHECK_SHAPE(oclnn_shape_unsqueeze(xn, xd, c, axes, &on, od));
    }
    rt_set_out(g, n, 0, x->dtype, on, od);
    return OCLNN_STATUS_OK;
}

static oclnn_status nop_create(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    (void)st, (void)g, (void)n;
    return OCLNN_STATUS_OK;
}
static oclnn_status nop_reshape(oclnn_rt_step *st, const oclnn_graph *g, const oclnn_ir_node *n) {
    (void)g, (void)n;
    st->kernels = 0;
    return OCLNN_STATUS_OK;
}
static oclnn_status nop_enqueue(oclnn_rt_step *st, uint32_t q) {
    (void)st, (void)q;
    return OCLNN_STATUS_OK;
}
static void nop_destroy(oclnn_rt_step *st) { (void)st; }

const oclnn_rt_op oclnn_rt_op_concat = {
    "Concat", concat_infer, concat_create, dm_reshape, dm_setup, dm_enqueue, dm_destroy, 0, 0};
const oclnn_rt_op oclnn_rt_op_split = {
    "Split", split_infer, split_create, dm_reshape, dm_setup, dm_enqueue, dm_destroy, 0, 0};
const oclnn_rt_op oclnn_rt_op_slice = {
    "Slice", slice_infer, slice_create, dm_reshape, dm_setup, dm_enqueue, dm_destroy, 0, 0};
const oclnn_rt_op oclnn_rt_op_pad = {"Pad", pad_infer, pad_create, dm_reshape, dm_setup, dm_enqueue, dm_destroy, 0, 0};
const oclnn_rt_op oclnn_rt_op_transpose = {
    "Transpose", transpose_infer, transpose_create, dm_reshape, dm_setup, dm_enqueue, dm_destroy, 0, 0};
const oclnn_rt_op oclnn_rt_op_resize = {
    "Resize", resize_infer, resize_create, dm_reshape, dm_setup, dm_enqueue, dm_destroy, 1, 0};
const oclnn_rt_op oclnn_rt_op_upsample = {
    "Upsample", resize_infer, resize_create, dm_reshape, dm_setup, dm_enqueue, dm_destroy, 1, 0};
#define ALIAS_OP(sym, name)                                                                                            \
    const oclnn_rt_op sym = {name, alias_infer, nop_create, nop_reshape, NULL, nop_enqueue, nop_destroy, 0, 1};
ALIAS_OP(oclnn_rt_op_reshape, "Reshape")
ALIAS_OP(oclnn_rt_op_flatten, "Flatten")
ALIAS_OP(oclnn_rt_op_squeeze, "Squeeze")
ALIAS_OP(oclnn_rt_op_unsqueeze, "Unsqueeze")
