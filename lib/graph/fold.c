/* fold.c - constant folding: evaluates on the host every node whose inputs are all constants (the shape
 * sub-graphs exporters write, such as Shape -> Gather -> Unsqueeze -> Concat -> Reshape) and Shape/Size of values
 * whose shape is fully known, and turns their outputs into constants. Elements are computed as 8-byte cells
 * (int64 for I32/I64, double for F32/F16) and stored back in the output's type. Booleans are I32 0/1, as the importer
 * holds them.
 */
#include "graph/ir.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Larger results are left to the device: folding would only move the work and the memory to the host. */
#define FOLD_MAX_BYTES ((size_t)64 << 20)

typedef union cell {
    int64_t i;
    double f;
} cell;

/* A host tensor in cells. */
typedef struct ht {
    int isf;           /* 1: cells hold doubles (F32, F16); 0: int64 (I32, I64) */
    oclnn_dtype dtype; /* the type it is stored as */
    size_t nd;
    int64_t d[OCLNN_IR_MAX_DIMS];
    size_t n;
    cell *c; /* NULL for an omitted input */
} ht;

typedef struct fctx {
    oclnn_graph *g;
    const oclnn_ir_node *n;
    size_t nin;
    ht *in;
    ht out;
    int skip; /* set when the node is left alone (too large, a type or case we do not evaluate) */
} fctx;

/* ---- half precision (IEEE binary16), round to nearest even ---- */

static float h2f(uint16_t h) {
    uint32_t e = (h >> 10) & 0x1f, m = h & 0x3ff, x;
    float r;
    if (e == 0) {
        r = ldexpf((float)m, -24);
    } else {
        x = e == 31 ? 0x7f800000u | (m << 13) : ((e + 112) << 23) | (m << 13);
        memcpy(&r, &x, 4);
    }
    return (h & 0x8000) ? -r : r;
}

static uint16_t f2h(float f) {
    uint32_t x;
    memcpy(&x, &f, 4);
    uint16_t sign = (uint16_t)((x >> 16) & 0x8000);
    uint32_t a = x & 0x7fffffffu;
    if (a >= 0x7f800000u) return sign | 0x7c00 | (a > 0x7f800000u ? 0x200 : 0);
    if (a >= 0x477ff000u) return sign | 0x7c00; /* >= 65520 rounds to infinity */
    if (a < 0x38800000u) {                      /* below 2^-14: subnormal, units of 2^-24 (the product is exact) */
        float v;
        memcpy(&v, &a, 4);
        return sign | (uint16_t)lrintf(v * 16777216.0f);
    }
    uint32_t h = ((a >> 23) - 112) << 10 | ((a & 0x7fffff) >> 13), rest = a & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (h & 1))) h++; /* a carry into the exponent is still right */
    return sign | (uint16_t)h;
}

/* ---- helpers ---- */

static oclnn_status bad(fctx *f, oclnn_status st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static oclnn_status bad(fctx *f, oclnn_status st, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return oclnn_fail(OCLNN_IR_ERR(f->g), st, "fold: %s node '%s': %s", f->n->op_type, f->n->name, msg);
}

static int is_float_dtype(oclnn_dtype t) { return t == OCLNN_DTYPE_F32 || t == OCLNN_DTYPE_F16; }

static int known_dtype(oclnn_dtype t) {
    return t == OCLNN_DTYPE_F32 || t == OCLNN_DTYPE_F16 || t == OCLNN_DTYPE_I32 || t == OCLNN_DTYPE_I64;
}

/* Elements of a shape; 0 with *ok = 0 on overflow. */
static size_t shape_numel(size_t nd, const int64_t *d, int *ok) {
    size_t n = 1;
    *ok = 1;
    for (size_t k = 0; k < nd; k++)
        if (d[k] < 0 || !oclnn_mul_size(n, (size_t)d[k], &n)) *ok = 0;
    return *ok ? n : 0;
}

static oclnn_status oom(fctx *f) {
    return oclnn_fail(OCLNN_IR_ERR(f->g), OCLNN_STATUS_OUT_OF_HOST_MEMORY, "fold: out of host memory");
}

/* Reads constant value @p vi into cells. */
static oclnn_status load(fctx *f, int vi, ht *t) {
    const oclnn_ir_value *v = &f->g->values[vi];
    int ok;
    memset(t, 0, sizeof *t);
    t->dtype = v->dtype;
    t->isf = is_float_dtype(v->dtype);
    t->nd = v->ndim;
    memcpy(t->d, v->dims, sizeof t->d);
    t->n = shape_numel(v->ndim, v->dims, &ok);
    if (!ok || !known_dtype(v->dtype) || t->n * oclnn_dtype_size(v->dtype) != v->nbytes || (t->n && !v->data)) {
        f->skip = 1;
        return OCLNN_STATUS_OK;
    }
    t->c = oclnn_malloc(OCLNN_IR_ALLOC(f->g), (t->n ? t->n : 1) * sizeof *t->c);
    if (!t->c) return oom(f);
    for (size_t i = 0; i < t->n; i++) {
        switch (v->dtype) {
        case OCLNN_DTYPE_F32: t->c[i].f = ((const float *)v->data)[i]; break;
        case OCLNN_DTYPE_F16: t->c[i].f = h2f(((const uint16_t *)v->data)[i]); break;
        case OCLNN_DTYPE_I32: t->c[i].i = ((const int32_t *)v->data)[i]; break;
        default: t->c[i].i = ((const int64_t *)v->data)[i]; break;
        }
    }
    return OCLNN_STATUS_OK;
}

/* Allocates the output; sets f->skip when it would be larger than the folding cap. */
static oclnn_status out_alloc(fctx *f, oclnn_dtype dtype, size_t nd, const int64_t *d) {
    ht *t = &f->out;
    int ok;
    size_t bytes;
    t->dtype = dtype;
    t->isf = is_float_dtype(dtype);
    t->nd = nd;
    for (size_t k = 0; k < OCLNN_IR_MAX_DIMS; k++)
        t->d[k] = k < nd ? d[k] : 0;
    t->n = shape_numel(nd, d, &ok);
    if (!ok || !oclnn_mul_size(t->n, oclnn_dtype_size(dtype), &bytes) || bytes > FOLD_MAX_BYTES) {
        f->skip = 1;
        return OCLNN_STATUS_OK;
    }
    t->c = oclnn_calloc(OCLNN_IR_ALLOC(f->g), t->n ? t->n : 1, sizeof *t->c);
    return t->c ? OCLNN_STATUS_OK : oom(f);
}

/* Writes the output cells into value @p vi as a constant of the output's dtype. */
static oclnn_status store(fctx *f, int vi) {
    ht *t = &f->out;
    size_t es = oclnn_dtype_size(t->dtype);
    void *buf = oclnn_malloc(OCLNN_IR_ALLOC(f->g), t->n ? t->n * es : 1);
    if (!buf) return oom(f);
    for (size_t i = 0; i < t->n; i++) {
        switch (t->dtype) {
        case OCLNN_DTYPE_F32: ((float *)buf)[i] = (float)t->c[i].f; break;
        case OCLNN_DTYPE_F16: ((uint16_t *)buf)[i] = f2h((float)t->c[i].f); break;
        case OCLNN_DTYPE_I32: ((int32_t *)buf)[i] = (int32_t)t->c[i].i; break; /* wraps, as static_cast does */
        default: ((int64_t *)buf)[i] = t->c[i].i; break;
        }
    }
    oclnn_status s = oclnn_ir_set_constant(f->g, vi, t->dtype, t->nd, t->d, buf);
    oclnn_free(OCLNN_IR_ALLOC(f->g), buf);
    return s;
}

/* Normalises an axis in [-rank, rank); 0 when out of range. */
static int norm_axis(int64_t a, size_t rank, size_t *out) {
    if (a < 0) a += (int64_t)rank;
    if (a < 0 || a >= (int64_t)rank) return 0;
    *out = (size_t)a;
    return 1;
}

/* Row-major strides of a shape (in elements). */
static void strides_of(size_t nd, const int64_t *d, int64_t *st) {
    int64_t s = 1;
    for (size_t k = nd; k-- > 0;) {
        st[k] = s;
        s *= d[k];
    }
}

/* Multidirectional broadcasting (numpy rules) of @p k shapes into @p nd / @p d; 0 when incompatible. */
static int bcast_shape(size_t k, const ht *const *ts, size_t *nd, int64_t *d) {
    size_t r = 0;
    for (size_t i = 0; i < k; i++)
        if (ts[i]->nd > r) r = ts[i]->nd;
    for (size_t j = 0; j < r; j++)
        d[j] = 1;
    for (size_t i = 0; i < k; i++) {
        size_t off = r - ts[i]->nd;
        for (size_t j = 0; j < ts[i]->nd; j++) {
            int64_t a = ts[i]->d[j], *o = &d[off + j];
            if (a == *o || a == 1) continue;
            if (*o != 1) return 0;
            *o = a;
        }
    }
    *nd = r;
    return 1;
}

/* Strides of @p t as seen through the broadcast output shape (0 along broadcast dims). */
static void bcast_strides(const ht *t, size_t ond, int64_t *bst) {
    int64_t st[OCLNN_IR_MAX_DIMS];
    strides_of(t->nd, t->d, st);
    size_t off = ond - t->nd;
    for (size_t j = 0; j < ond; j++)
        bst[j] = j < off || t->d[j - off] == 1 ? 0 : st[j - off];
}

/* Offset in an input with strides @p bst of output element @p lin of shape (@p nd, @p d). */
static size_t src_offset(size_t lin, size_t nd, const int64_t *d, const int64_t *bst) {
    size_t off = 0;
    for (size_t j = nd; j-- > 0;) {
        size_t i = lin % (size_t)d[j];
        lin /= (size_t)d[j];
        off += i * (size_t)bst[j];
    }
    return off;
}

/* An input holding integers (axes, shapes, indices); sets skip when it is absent or holds floats. */
static const ht *int_input(fctx *f, size_t k) {
    if (k >= f->nin || !f->in[k].c || f->in[k].isf) {
        f->skip = 1;
        return NULL;
    }
    return &f->in[k];
}

/* ---- element-wise ---- */

enum { B_ADD, B_SUB, B_MUL, B_DIV, B_MAX, B_MIN, B_EQ };

static oclnn_status fold_binary(fctx *f, int op) {
    size_t k = f->nin;
    const ht *ts[64];
    if (k < 1 || k > 64) return f->skip = 1, OCLNN_STATUS_OK;
    for (size_t i = 0; i < k; i++) {
        ts[i] = &f->in[i];
        if (!ts[i]->c || ts[i]->dtype != ts[0]->dtype) return f->skip = 1, OCLNN_STATUS_OK;
    }
    if (op != B_MAX && op != B_MIN && k != 2) return f->skip = 1, OCLNN_STATUS_OK;
    size_t nd;
    int64_t d[OCLNN_IR_MAX_DIMS], bst[64][OCLNN_IR_MAX_DIMS];
    if (!bcast_shape(k, ts, &nd, d)) return bad(f, OCLNN_STATUS_INVALID_SHAPE, "the input shapes do not broadcast");
    int isf = ts[0]->isf;
    oclnn_status s = out_alloc(f, op == B_EQ ? OCLNN_DTYPE_I32 : ts[0]->dtype, nd, d);
    if (s || f->skip) return s;
    for (size_t i = 0; i < k; i++)
        bcast_strides(ts[i], nd, bst[i]);
    for (size_t e = 0; e < f->out.n; e++) {
        cell acc = ts[0]->c[src_offset(e, nd, d, bst[0])];
        for (size_t i = 1; i < k; i++) {
            cell b = ts[i]->c[src_offset(e, nd, d, bst[i])];
            if (isf) {
                /* double results rounded once to float equal float arithmetic for + - * / (53 >= 2*24+2 bits) */
                switch (op) {
                case B_ADD: acc.f += b.f; break;
                case B_SUB: acc.f -= b.f; break;
                case B_MUL: acc.f *= b.f; break;
                case B_DIV: acc.f /= b.f; break;
                case B_MAX: acc.f = isnan(acc.f) || isnan(b.f) ? NAN : fmax(acc.f, b.f); break;
                case B_MIN: acc.f = isnan(acc.f) || isnan(b.f) ? NAN : fmin(acc.f, b.f); break;
                default: acc.i = acc.f == b.f; break;
                }
            } else {
                uint64_t ua = (uint64_t)acc.i, ub = (uint64_t)b.i; /* two's complement wrap, no UB */
                switch (op) {
                case B_ADD: acc.i = (int64_t)(ua + ub); break;
                case B_SUB: acc.i = (int64_t)(ua - ub); break;
                case B_MUL: acc.i = (int64_t)(ua * ub); break;
                case B_DIV:
                    /* Integer Div truncates toward zero: ONNX Runtime's CPU Div<int32/int64>
                     * (onnxruntime/core/providers/cpu/math/element_wise_ops.cc) divides with C++ '/', and the ONNX
                     * reference (onnx/reference/ops/op_div.py) casts numpy's true quotient back to the int type. */
                    if (b.i == 0 || (acc.i == INT64_MIN && b.i == -1)) return f->skip = 1, OCLNN_STATUS_OK;
                    acc.i /= b.i;
                    break;
                case B_MAX: acc.i = acc.i > b.i ? acc.i : b.i; break;
                case B_MIN: acc.i = acc.i < b.i ? acc.i : b.i; break;
                default: acc.i = acc.i == b.i; break;
                }
            }
        }
        f->out.c[e] = acc;
    }
    return OCLNN_STATUS_OK;
}

enum { U_NEG, U_ABS, U_SQRT, U_FLOOR, U_CEIL, U_COPY };

static oclnn_status fold_unary(fctx *f, int op) {
    const ht *x = &f->in[0];
    if (!x->c || (!x->isf && (op == U_SQRT || op == U_FLOOR || op == U_CEIL))) return f->skip = 1, OCLNN_STATUS_OK;
    oclnn_status s = out_alloc(f, x->dtype, x->nd, x->d);
    if (s || f->skip) return s;
    for (size_t e = 0; e < x->n; e++) {
        cell a = x->c[e];
        if (x->isf) {
            switch (op) {
            case U_NEG: a.f = -a.f; break;
            case U_ABS: a.f = fabs(a.f); break;
            case U_SQRT: a.f = sqrt(a.f); break;
            case U_FLOOR: a.f = floor(a.f); break;
            case U_CEIL: a.f = ceil(a.f); break;
            default: break;
            }
        } else if (op == U_NEG || (op == U_ABS && a.i < 0)) {
            a.i = (int64_t)(0 - (uint64_t)a.i);
        }
        f->out.c[e] = a;
    }
    return OCLNN_STATUS_OK;
}

static oclnn_status fold_where(fctx *f) {
    if (f->nin != 3 || !f->in[0].c || !f->in[1].c || !f->in[2].c || f->in[0].isf || f->in[1].dtype != f->in[2].dtype)
        return f->skip = 1, OCLNN_STATUS_OK;
    const ht *ts[3] = {&f->in[0], &f->in[1], &f->in[2]};
    size_t nd;
    int64_t d[OCLNN_IR_MAX_DIMS], bst[3][OCLNN_IR_MAX_DIMS];
    if (!bcast_shape(3, ts, &nd, d)) return bad(f, OCLNN_STATUS_INVALID_SHAPE, "the input shapes do not broadcast");
    oclnn_status s = out_alloc(f, ts[1]->dtype, nd, d);
    if (s || f->skip) return s;
    for (size_t i = 0; i < 3; i++)
        bcast_strides(ts[i], nd, bst[i]);
    for (size_t e = 0; e < f->out.n; e++)
        f->out.c[e] = ts[0]->c[src_offset(e, nd, d, bst[0])].i ? ts[1]->c[src_offset(e, nd, d, bst[1])]
                                                               : ts[2]->c[src_offset(e, nd, d, bst[2])];
    return OCLNN_STATUS_OK;
}

/* ONNX TensorProto data types and how the importer holds them: FLOAT 1 and DOUBLE 11 as F32, FLOAT16 10 as F16,
 * INT64 7 as I64; INT32 6, BOOL 9 and the narrow UINT8 2, INT8 3, UINT16 4, INT16 5 as I32. Unsigned 32/64-bit types
 * are not held. */
static oclnn_status fold_cast(fctx *f) {
    const ht *x = &f->in[0];
    int64_t to = oclnn_ir_attr_int(f->n, "to", 0);
    oclnn_dtype dt;
    switch (to) {
    case 1:
    case 11: dt = OCLNN_DTYPE_F32; break;
    case 10: dt = OCLNN_DTYPE_F16; break;
    case 7: dt = OCLNN_DTYPE_I64; break;
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
    case 9: dt = OCLNN_DTYPE_I32; break;
    default: return f->skip = 1, OCLNN_STATUS_OK;
    }
    if (!x->c) return f->skip = 1, OCLNN_STATUS_OK;
    oclnn_status s = out_alloc(f, dt, x->nd, x->d);
    if (s || f->skip) return s;
    for (size_t e = 0; e < x->n; e++) {
        cell a = x->c[e], r;
        if (to == 9) {
            r.i = x->isf ? a.f != 0 : a.i != 0;
        } else if (is_float_dtype(dt)) {
            r.f = x->isf ? a.f : (double)a.i;
            if (dt == OCLNN_DTYPE_F32 || x->dtype == OCLNN_DTYPE_I64) r.f = (float)r.f; /* round as the source */
        } else {
            if (x->isf) {
                /* float -> int truncates toward zero (static_cast in ONNX Runtime); values that do not fit are
                 * undefined there, so they are left to the runtime */
                double lim = dt == OCLNN_DTYPE_I32 ? 2147483648.0 : 9223372036854775808.0;
                if (!(a.f > -lim - 1.0 && a.f < lim)) return f->skip = 1, OCLNN_STATUS_OK;
                r.i = (int64_t)a.f;
            } else {
                r.i = a.i;
            }
            /* integer narrowing wraps (two's complement), as static_cast does */
            switch (to) {
            case 2: r.i = (uint8_t)r.i; break;
            case 3: r.i = (int8_t)r.i; break;
            case 4: r.i = (uint16_t)r.i; break;
            case 5: r.i = (int16_t)r.i; break;
            case 6: r.i = (int32_t)r.i; break;
            default: break;
            }
        }
        f->out.c[e] = r;
    }
    return OCLNN_STATUS_OK;
}

/* ---- shapes and data movement ---- */

static oclnn_status fold_shape(fctx *f, int size_only) {
    const oclnn_ir_value *v = &f->g->values[f->n->inputs[0]];
    int64_t d[OCLNN_IR_MAX_DIMS];
    if (size_only) {
        int ok;
        size_t n = shape_numel(v->ndim, v->dims, &ok);
        if (!ok) return f->skip = 1, OCLNN_STATUS_OK;
        oclnn_status s = out_alloc(f, OCLNN_DTYPE_I64, 0, d);
        if (s || f->skip) return s;
        f->out.c[0].i = (int64_t)n;
        return OCLNN_STATUS_OK;
    }
    int64_t r = (int64_t)v->ndim, start = 0, end = r;
    if (f->n->opset >= 15) { /* Shape-15: start/end slice the shape, negative from the end, clamped */
        start = oclnn_ir_attr_int(f->n, "start", 0);
        end = oclnn_ir_attr_int(f->n, "end", r);
        if (start < 0) start += r;
        if (end < 0) end += r;
        start = start < 0 ? 0 : start > r ? r : start;
        end = end < 0 ? 0 : end > r ? r : end;
        if (end < start) end = start;
    }
    d[0] = end - start;
    oclnn_status s = out_alloc(f, OCLNN_DTYPE_I64, 1, d);
    if (s || f->skip) return s;
    for (int64_t k = start; k < end; k++)
        f->out.c[k - start].i = v->dims[k];
    return OCLNN_STATUS_OK;
}

static oclnn_status fold_gather(fctx *f) {
    const ht *x = &f->in[0], *ix = int_input(f, 1);
    size_t axis;
    if (!ix || !x->c) return f->skip = 1, OCLNN_STATUS_OK;
    int64_t a = oclnn_ir_attr_int(f->n, "axis", 0);
    if (!norm_axis(a, x->nd, &axis))
        return bad(f, OCLNN_STATUS_INVALID_MODEL, "axis %lld is outside the input's rank %zu", (long long)a, x->nd);
    if (x->nd - 1 + ix->nd > OCLNN_IR_MAX_DIMS) return f->skip = 1, OCLNN_STATUS_OK;
    int64_t d[OCLNN_IR_MAX_DIMS];
    size_t nd = 0;
    for (size_t k = 0; k < axis; k++)
        d[nd++] = x->d[k];
    for (size_t k = 0; k < ix->nd; k++)
        d[nd++] = ix->d[k];
    for (size_t k = axis + 1; k < x->nd; k++)
        d[nd++] = x->d[k];
    int64_t dim = x->d[axis];
    for (size_t e = 0; e < ix->n; e++)
        if (ix->c[e].i < -dim || ix->c[e].i >= dim)
            return bad(f, OCLNN_STATUS_INVALID_MODEL, "index %lld is out of range [-%lld, %lld) on axis %zu",
                       (long long)ix->c[e].i, (long long)dim, (long long)dim, axis);
    oclnn_status s = out_alloc(f, x->dtype, nd, d);
    if (s || f->skip) return s;
    size_t outer = 1, inner = 1;
    for (size_t k = 0; k < axis; k++)
        outer *= (size_t)x->d[k];
    for (size_t k = axis + 1; k < x->nd; k++)
        inner *= (size_t)x->d[k];
    cell *o = f->out.c;
    for (size_t p = 0; p < outer; p++)
        for (size_t e = 0; e < ix->n; e++) {
            int64_t i = ix->c[e].i < 0 ? ix->c[e].i + dim : ix->c[e].i;
            memcpy(o, x->c + (p * (size_t)dim + (size_t)i) * inner, inner * sizeof *o);
            o += inner;
        }
    return OCLNN_STATUS_OK;
}

/* The axes of Unsqueeze/Squeeze/ReduceX: an attribute before op set @p input_from (13 for Squeeze, Unsqueeze and
 * ReduceSum, 18 for the other reductions), the second input from then on. *present = 0 when neither is given. */
static int get_axes(fctx *f, int64_t input_from, int64_t *axes, size_t *count, int *present) {
    *present = 0;
    *count = 0;
    if (f->n->opset < input_from) {
        size_t c;
        const int64_t *a = oclnn_ir_attr_ints(f->n, "axes", &c);
        if (!a) return 1;
        if (c > OCLNN_IR_MAX_DIMS) return 0;
        memcpy(axes, a, c * sizeof *a);
        *count = c;
    } else {
        if (f->nin < 2 || !f->in[1].c) return 1;
        const ht *t = int_input(f, 1);
        if (!t || t->n > OCLNN_IR_MAX_DIMS) return 0;
        for (size_t k = 0; k < t->n; k++)
            axes[k] = t->c[k].i;
        *count = t->n;
    }
    *present = 1;
    return 1;
}

static oclnn_status copy_reshaped(fctx *f, size_t nd, const int64_t *d) {
    oclnn_status s = out_alloc(f, f->in[0].dtype, nd, d);
    if (s || f->skip) return s;
    memcpy(f->out.c, f->in[0].c, f->in[0].n * sizeof *f->out.c);
    return OCLNN_STATUS_OK;
}

static oclnn_status fold_unsqueeze(fctx *f) {
    const ht *x = &f->in[0];
    int64_t axes[OCLNN_IR_MAX_DIMS], d[OCLNN_IR_MAX_DIMS];
    size_t na;
    int present;
    if (!x->c || !get_axes(f, 13, axes, &na, &present) || f->skip || x->nd + na > OCLNN_IR_MAX_DIMS)
        return f->skip = 1, OCLNN_STATUS_OK;
    if (!present) return bad(f, OCLNN_STATUS_INVALID_MODEL, "no axes");
    size_t r = x->nd + na;
    int mark[OCLNN_IR_MAX_DIMS] = {0};
    for (size_t k = 0; k < na; k++) {
        size_t a;
        if (!norm_axis(axes[k], r, &a) || mark[a])
            return bad(f, OCLNN_STATUS_INVALID_MODEL, "axis %lld is out of range or repeated (output rank %zu)",
                       (long long)axes[k], r);
        mark[a] = 1;
    }
    for (size_t k = 0, j = 0; k < r; k++)
        d[k] = mark[k] ? 1 : x->d[j++];
    return copy_reshaped(f, r, d);
}

static oclnn_status fold_squeeze(fctx *f) {
    const ht *x = &f->in[0];
    int64_t axes[OCLNN_IR_MAX_DIMS], d[OCLNN_IR_MAX_DIMS];
    size_t na, nd = 0;
    int present, mark[OCLNN_IR_MAX_DIMS] = {0};
    if (!x->c || !get_axes(f, 13, axes, &na, &present) || f->skip) return f->skip = 1, OCLNN_STATUS_OK;
    for (size_t k = 0; k < na; k++) {
        size_t a;
        if (!norm_axis(axes[k], x->nd, &a))
            return bad(f, OCLNN_STATUS_INVALID_MODEL, "axis %lld is outside rank %zu", (long long)axes[k], x->nd);
        if (x->d[a] != 1)
            return bad(f, OCLNN_STATUS_INVALID_SHAPE, "axis %zu has size %lld, not 1", a, (long long)x->d[a]);
        mark[a] = 1;
    }
    for (size_t k = 0; k < x->nd; k++)
        if (!(present ? mark[k] : x->d[k] == 1)) d[nd++] = x->d[k];
    return copy_reshaped(f, nd, d);
}

static oclnn_status fold_reshape(fctx *f) {
    const ht *x = &f->in[0];
    int64_t shp[OCLNN_IR_MAX_DIMS], d[OCLNN_IR_MAX_DIMS];
    size_t ns;
    if (!x->c) return f->skip = 1, OCLNN_STATUS_OK;
    if (f->n->opset < 5) {
        const int64_t *a = oclnn_ir_attr_ints(f->n, "shape", &ns);
        if (!a || ns > OCLNN_IR_MAX_DIMS) return f->skip = 1, OCLNN_STATUS_OK;
        memcpy(shp, a, ns * sizeof *a);
    } else {
        const ht *t = int_input(f, 1);
        if (!t || t->nd != 1 || t->n > OCLNN_IR_MAX_DIMS) return f->skip = 1, OCLNN_STATUS_OK;
        ns = t->n;
        for (size_t k = 0; k < ns; k++)
            shp[k] = t->c[k].i;
    }
    int64_t az = f->n->opset >= 14 ? oclnn_ir_attr_int(f->n, "allowzero", 0) : 0;
    if (az != 0 && az != 1) return bad(f, OCLNN_STATUS_INVALID_ARGUMENT, "attribute allowzero = %lld is not 0 or 1",
                                       (long long)az);
    int allowzero = az == 1;
    int infer = -1;
    size_t known = 1;
    for (size_t k = 0; k < ns; k++) {
        int64_t v = shp[k];
        if (v == -1) {
            if (infer >= 0) return bad(f, OCLNN_STATUS_INVALID_SHAPE, "the shape has more than one -1");
            infer = (int)k;
            continue;
        }
        if (v == 0 && !allowzero) {
            if (k >= x->nd)
                return bad(f, OCLNN_STATUS_INVALID_SHAPE, "shape[%zu] = 0 copies a dim the input (rank %zu) lacks", k,
                           x->nd);
            v = x->d[k];
        }
        if (v < 0) return bad(f, OCLNN_STATUS_INVALID_SHAPE, "shape[%zu] is %lld", k, (long long)v);
        d[k] = v;
        if (!oclnn_mul_size(known, (size_t)v, &known)) return f->skip = 1, OCLNN_STATUS_OK;
    }
    if (infer >= 0) {
        if (known == 0 || x->n % known)
            return bad(f, OCLNN_STATUS_INVALID_SHAPE, "%zu elements cannot take the shape (-1 with %zu known)", x->n,
                       known);
        d[infer] = (int64_t)(x->n / known);
    } else if (known != x->n) {
        return bad(f, OCLNN_STATUS_INVALID_SHAPE, "%zu elements cannot take a shape of %zu", x->n, known);
    }
    return copy_reshaped(f, ns, d);
}

static oclnn_status fold_flatten(fctx *f) {
    const ht *x = &f->in[0];
    if (!x->c) return f->skip = 1, OCLNN_STATUS_OK;
    int64_t a = oclnn_ir_attr_int(f->n, "axis", 1);
    if (a < 0) a += (int64_t)x->nd;
    if (a < 0 || a > (int64_t)x->nd)
        return bad(f, OCLNN_STATUS_INVALID_MODEL, "axis %lld is outside [-%zu, %zu]",
                   (long long)oclnn_ir_attr_int(f->n, "axis", 1), x->nd, x->nd);
    int64_t d[2] = {1, 1};
    for (size_t k = 0; k < x->nd; k++)
        d[(int64_t)k < a ? 0 : 1] *= x->d[k];
    return copy_reshaped(f, 2, d);
}

static oclnn_status fold_concat(fctx *f) {
    const ht *x0 = &f->in[0];
    size_t axis;
    for (size_t k = 0; k < f->nin; k++)
        if (!f->in[k].c || f->in[k].dtype != x0->dtype) return f->skip = 1, OCLNN_STATUS_OK;
    if (f->nin < 1) return f->skip = 1, OCLNN_STATUS_OK;
    int64_t a = oclnn_ir_attr_int(f->n, "axis", 0);
    if (!norm_axis(a, x0->nd, &axis))
        return bad(f, OCLNN_STATUS_INVALID_MODEL, "axis %lld is outside rank %zu", (long long)a, x0->nd);
    int64_t d[OCLNN_IR_MAX_DIMS];
    memcpy(d, x0->d, sizeof d);
    d[axis] = 0;
    for (size_t k = 0; k < f->nin; k++) {
        const ht *x = &f->in[k];
        if (x->nd != x0->nd)
            return bad(f, OCLNN_STATUS_INVALID_SHAPE, "input %zu has rank %zu, not %zu", k, x->nd, x0->nd);
        for (size_t j = 0; j < x->nd; j++)
            if (j != axis && x->d[j] != x0->d[j])
                return bad(f, OCLNN_STATUS_INVALID_SHAPE, "input %zu dim %zu is %lld, not %lld", k, j,
                           (long long)x->d[j], (long long)x0->d[j]);
        d[axis] += x->d[axis];
    }
    oclnn_status s = out_alloc(f, x0->dtype, x0->nd, d);
    if (s || f->skip) return s;
    size_t outer = 1, inner = 1;
    for (size_t j = 0; j < axis; j++)
        outer *= (size_t)d[j];
    for (size_t j = axis + 1; j < x0->nd; j++)
        inner *= (size_t)d[j];
    cell *o = f->out.c;
    for (size_t p = 0; p < outer; p++)
        for (size_t k = 0; k < f->nin; k++) {
            size_t blk = (size_t)f->in[k].d[axis] * inner;
            memcpy(o, f->in[k].c + p * blk, blk * sizeof *o);
            o += blk;
        }
    return OCLNN_STATUS_OK;
}

/* Copies into the output the elements of x at start[d] + i * step[d] along every dim d (Slice). */
static void gather_strided(fctx *f, const ht *x, const int64_t *start, const int64_t *step) {
    int64_t st[OCLNN_IR_MAX_DIMS];
    strides_of(x->nd, x->d, st);
    for (size_t e = 0; e < f->out.n; e++) {
        size_t lin = e;
        int64_t off = 0;
        for (size_t j = f->out.nd; j-- > 0;) {
            int64_t i = (int64_t)(lin % (size_t)f->out.d[j]);
            lin /= (size_t)f->out.d[j];
            off += (start[j] + i * step[j]) * st[j];
        }
        f->out.c[e] = x->c[off];
    }
}

static oclnn_status fold_slice(fctx *f) {
    const ht *x = &f->in[0];
    int64_t starts[OCLNN_IR_MAX_DIMS], ends[OCLNN_IR_MAX_DIMS], axes[OCLNN_IR_MAX_DIMS], steps[OCLNN_IR_MAX_DIMS];
    size_t n;
    if (!x->c) return f->skip = 1, OCLNN_STATUS_OK;
    if (f->n->opset < 10) { /* Slice-1: starts, ends, axes attributes, step 1 */
        size_t ne, na;
        const int64_t *s = oclnn_ir_attr_ints(f->n, "starts", &n), *e = oclnn_ir_attr_ints(f->n, "ends", &ne);
        const int64_t *a = oclnn_ir_attr_ints(f->n, "axes", &na);
        if (!s || !e || ne != n || (a && na != n) || n > OCLNN_IR_MAX_DIMS)
            return bad(f, OCLNN_STATUS_INVALID_MODEL, "starts/ends/axes attributes are missing or differ in length");
        for (size_t k = 0; k < n; k++) {
            starts[k] = s[k];
            ends[k] = e[k];
            axes[k] = a ? a[k] : (int64_t)k;
            steps[k] = 1;
        }
    } else {
        const ht *s = int_input(f, 1), *e = int_input(f, 2);
        if (!s || !e) return f->skip = 1, OCLNN_STATUS_OK;
        n = s->n;
        if (e->n != n || n > OCLNN_IR_MAX_DIMS)
            return bad(f, OCLNN_STATUS_INVALID_MODEL, "starts and ends differ in length");
        for (size_t k = 0; k < n; k++) {
            starts[k] = s->c[k].i;
            ends[k] = e->c[k].i;
            axes[k] = (int64_t)k;
            steps[k] = 1;
        }
        for (size_t q = 3; q < 5 && q < f->nin; q++) {
            if (!f->in[q].c) continue;
            const ht *t = int_input(f, q);
            if (!t) return f->skip = 1, OCLNN_STATUS_OK;
            if (t->n != n) return bad(f, OCLNN_STATUS_INVALID_MODEL, "input %zu differs in length from starts", q);
            for (size_t k = 0; k < n; k++)
                (q == 3 ? axes : steps)[k] = t->c[k].i;
        }
    }
    int64_t b[OCLNN_IR_MAX_DIMS], stp[OCLNN_IR_MAX_DIMS], d[OCLNN_IR_MAX_DIMS];
    int seen[OCLNN_IR_MAX_DIMS] = {0};
    for (size_t j = 0; j < x->nd; j++) {
        b[j] = 0;
        stp[j] = 1;
        d[j] = x->d[j];
    }
    for (size_t k = 0; k < n; k++) {
        size_t a;
        if (!norm_axis(axes[k], x->nd, &a) || seen[a])
            return bad(f, OCLNN_STATUS_INVALID_MODEL, "axis %lld is out of range or repeated", (long long)axes[k]);
        seen[a] = 1;
        int64_t dim = x->d[a], s = starts[k], e = ends[k], st = steps[k];
        if (st == 0) return bad(f, OCLNN_STATUS_INVALID_MODEL, "step 0 on axis %zu", a);
        if (s < 0) s += dim;
        if (e < 0) e += dim;
        if (st > 0) { /* clamp as the ONNX spec says: [0, dim] forwards, [0, dim-1] / [-1, dim-1] backwards */
            s = s < 0 ? 0 : s > dim ? dim : s;
            e = e < 0 ? 0 : e > dim ? dim : e;
        } else {
            s = s < 0 ? 0 : s > dim - 1 ? dim - 1 : s;
            e = e < -1 ? -1 : e > dim - 1 ? dim - 1 : e;
        }
        /* ceil(span / |step|) in unsigned arithmetic: a step may be INT64_MIN or INT64_MAX */
        int64_t span = st > 0 ? e - s : s - e;
        uint64_t ast = st > 0 ? (uint64_t)st : (uint64_t)0 - (uint64_t)st;
        int64_t cnt = span > 0 ? (int64_t)(((uint64_t)span - 1) / ast + 1) : 0;
        if (cnt == 1) st = 1; /* the step no longer matters, and a huge one would overflow the offsets */
        b[a] = s;
        stp[a] = st;
        d[a] = cnt;
    }
    oclnn_status s = out_alloc(f, x->dtype, x->nd, d);
    if (s || f->skip) return s;
    gather_strided(f, x, b, stp);
    return OCLNN_STATUS_OK;
}

enum { R_SUM, R_PROD, R_MAX, R_MIN, R_MEAN };

/* ReduceSum/Prod/Max/Min/Mean: keepdims, noop_with_empty_axes, axes as get_axes reads them. */
static oclnn_status fold_reduce(fctx *f, int op) {
    const ht *x = &f->in[0];
    int64_t axes[OCLNN_IR_MAX_DIMS], d[OCLNN_IR_MAX_DIMS], kd[OCLNN_IR_MAX_DIMS], st[OCLNN_IR_MAX_DIMS];
    size_t na, nd = 0;
    int present, mark[OCLNN_IR_MAX_DIMS] = {0};
    if (!x->c || !get_axes(f, op == R_SUM ? 13 : 18, axes, &na, &present) || f->skip)
        return f->skip = 1, OCLNN_STATUS_OK;
    int keep = oclnn_ir_attr_int(f->n, "keepdims", 1) != 0;
    if (!na) {
        if (oclnn_ir_attr_int(f->n, "noop_with_empty_axes", 0)) return copy_reshaped(f, x->nd, x->d);
        for (size_t k = 0; k < x->nd; k++)
            mark[k] = 1;
    }
    for (size_t k = 0; k < na; k++) {
        size_t a;
        if (!norm_axis(axes[k], x->nd, &a))
            return bad(f, OCLNN_STATUS_INVALID_MODEL, "axis %lld is outside rank %zu", (long long)axes[k], x->nd);
        mark[a] = 1;
    }
    for (size_t k = 0; k < x->nd; k++) {
        kd[k] = mark[k] ? 1 : x->d[k];
        if (mark[k] && x->d[k] == 0 && (op == R_MAX || op == R_MIN || op == R_MEAN))
            return f->skip = 1, OCLNN_STATUS_OK; /* empty reduction without an identity element */
        if (!mark[k] || keep) d[nd++] = kd[k];
    }
    oclnn_status s = out_alloc(f, x->dtype, nd, d);
    if (s || f->skip) return s;
    /* accumulate every input element into its output (same linear index as the keepdims shape) */
    strides_of(x->nd, kd, st);
    for (size_t k = 0; k < x->nd; k++)
        if (mark[k]) st[k] = 0;
    unsigned char *seen = oclnn_calloc(OCLNN_IR_ALLOC(f->g), f->out.n ? f->out.n : 1, 1);
    if (!seen) return oom(f);
    for (size_t e = 0; e < f->out.n; e++) {
        if (x->isf)
            f->out.c[e].f = op == R_PROD ? 1.0 : 0.0;
        else
            f->out.c[e].i = op == R_PROD ? 1 : 0;
    }
    for (size_t e = 0; e < x->n; e++) {
        size_t o = src_offset(e, x->nd, x->d, st);
        cell *acc = &f->out.c[o], v = x->c[e];
        int first = !seen[o];
        seen[o] = 1;
        if (x->isf) {
            switch (op) {
            case R_PROD: acc->f *= v.f; break;
            case R_MAX: acc->f = first || v.f > acc->f || isnan(v.f) ? v.f : acc->f; break;
            case R_MIN: acc->f = first || v.f < acc->f || isnan(v.f) ? v.f : acc->f; break;
            default: acc->f += v.f; break;
            }
        } else {
            switch (op) {
            case R_PROD: acc->i = (int64_t)((uint64_t)acc->i * (uint64_t)v.i); break;
            case R_MAX: acc->i = first || v.i > acc->i ? v.i : acc->i; break;
            case R_MIN: acc->i = first || v.i < acc->i ? v.i : acc->i; break;
            default: acc->i = (int64_t)((uint64_t)acc->i + (uint64_t)v.i); break;
            }
        }
    }
    oclnn_free(OCLNN_IR_ALLOC(f->g), seen);
    if (op == R_MEAN) {
        size_t cnt = f->out.n ? x->n / f->out.n : 1;
        for (size_t e = 0; e < f->out.n; e++) {
            if (x->isf)
                f->out.c[e].f /= (double)cnt;
            else
                f->out.c[e].i /= (int64_t)cnt;
        }
    }
    return OCLNN_STATUS_OK;
}

static oclnn_status fold_transpose(fctx *f) {
    const ht *x = &f->in[0];
    int64_t perm[OCLNN_IR_MAX_DIMS], d[OCLNN_IR_MAX_DIMS], st[OCLNN_IR_MAX_DIMS], pst[OCLNN_IR_MAX_DIMS];
    int seen[OCLNN_IR_MAX_DIMS] = {0};
    size_t np;
    if (!x->c) return f->skip = 1, OCLNN_STATUS_OK;
    const int64_t *p = oclnn_ir_attr_ints(f->n, "perm", &np);
    if (!p) np = x->nd;
    if (np != x->nd) return bad(f, OCLNN_STATUS_INVALID_MODEL, "perm has %zu entries for rank %zu", np, x->nd);
    for (size_t k = 0; k < np; k++) {
        perm[k] = p ? p[k] : (int64_t)(np - 1 - k);
        if (perm[k] < 0 || perm[k] >= (int64_t)np || seen[perm[k]])
            return bad(f, OCLNN_STATUS_INVALID_MODEL, "perm is not a permutation of 0..%zu", np - 1);
        seen[perm[k]] = 1;
        d[k] = x->d[perm[k]];
    }
    oclnn_status s = out_alloc(f, x->dtype, np, d);
    if (s || f->skip) return s;
    strides_of(x->nd, x->d, st);
    for (size_t k = 0; k < np; k++)
        pst[k] = st[perm[k]];
    for (size_t e = 0; e < f->out.n; e++)
        f->out.c[e] = x->c[src_offset(e, np, d, pst)];
    return OCLNN_STATUS_OK;
}

static oclnn_status fold_expand(fctx *f) {
    const ht *x = &f->in[0], *sh = int_input(f, 1);
    if (!sh || !x->c || sh->nd != 1 || sh->n > OCLNN_IR_MAX_DIMS) return f->skip = 1, OCLNN_STATUS_OK;
    ht t = {0};
    t.nd = sh->n;
    for (size_t k = 0; k < sh->n; k++) {
        t.d[k] = sh->c[k].i;
        if (t.d[k] < 0) return bad(f, OCLNN_STATUS_INVALID_SHAPE, "shape[%zu] is %lld", k, (long long)t.d[k]);
    }
    const ht *ts[2] = {x, &t};
    size_t nd;
    int64_t d[OCLNN_IR_MAX_DIMS], bst[OCLNN_IR_MAX_DIMS];
    if (!bcast_shape(2, ts, &nd, d))
        return bad(f, OCLNN_STATUS_INVALID_SHAPE, "the input does not broadcast to the shape");
    oclnn_status s = out_alloc(f, x->dtype, nd, d);
    if (s || f->skip) return s;
    bcast_strides(x, nd, bst);
    for (size_t e = 0; e < f->out.n; e++)
        f->out.c[e] = x->c[src_offset(e, nd, d, bst)];
    return OCLNN_STATUS_OK;
}

static oclnn_status fold_tile(fctx *f) {
    const ht *x = &f->in[0], *r = int_input(f, 1);
    int64_t d[OCLNN_IR_MAX_DIMS], st[OCLNN_IR_MAX_DIMS];
    if (!r || !x->c) return f->skip = 1, OCLNN_STATUS_OK;
    if (r->n != x->nd) return bad(f, OCLNN_STATUS_INVALID_MODEL, "%zu repeats for rank %zu", r->n, x->nd);
    for (size_t k = 0; k < x->nd; k++) {
        if (r->c[k].i < 0) return bad(f, OCLNN_STATUS_INVALID_MODEL, "repeats[%zu] is negative", k);
        if (r->c[k].i && x->d[k] > INT64_MAX / r->c[k].i) return f->skip = 1, OCLNN_STATUS_OK;
        d[k] = x->d[k] * r->c[k].i;
    }
    oclnn_status s = out_alloc(f, x->dtype, x->nd, d);
    if (s || f->skip) return s;
    strides_of(x->nd, x->d, st);
    for (size_t e = 0; e < f->out.n; e++) {
        size_t lin = e, off = 0;
        for (size_t j = x->nd; j-- > 0;) {
            size_t i = lin % (size_t)d[j];
            lin /= (size_t)d[j];
            off += (i % (size_t)x->d[j]) * (size_t)st[j];
        }
        f->out.c[e] = x->c[off];
    }
    return OCLNN_STATUS_OK;
}

/* The single element of constant value @p vi as a cell, with its dtype; 0 when it is not a 1-element constant. */
static int scalar_of(fctx *f, int vi, cell *c, oclnn_dtype *dt) {
    ht t;
    if (vi < 0 || f->g->values[vi].kind != OCLNN_IR_CONSTANT) return 0;
    if (load(f, vi, &t) || f->skip || !t.c || t.n != 1) {
        oclnn_free(OCLNN_IR_ALLOC(f->g), t.c);
        return 0;
    }
    *c = t.c[0];
    *dt = t.dtype;
    oclnn_free(OCLNN_IR_ALLOC(f->g), t.c);
    return 1;
}

static oclnn_status fold_constant_of_shape(fctx *f) {
    const ht *sh = int_input(f, 0);
    int64_t d[OCLNN_IR_MAX_DIMS];
    if (!sh || sh->nd != 1 || sh->n > OCLNN_IR_MAX_DIMS) return f->skip = 1, OCLNN_STATUS_OK;
    for (size_t k = 0; k < sh->n; k++) {
        d[k] = sh->c[k].i;
        if (d[k] < 0) return bad(f, OCLNN_STATUS_INVALID_SHAPE, "shape[%zu] is %lld", k, (long long)d[k]);
    }
    cell v = {.f = 0.0};
    oclnn_dtype dt = OCLNN_DTYPE_F32;
    const oclnn_ir_attr *a = oclnn_ir_attr_find(f->n, "value");
    if (a && (a->type != OCLNN_IR_ATTR_TENSOR || !scalar_of(f, a->tensor, &v, &dt))) {
        if (f->skip) return OCLNN_STATUS_OK;
        return bad(f, OCLNN_STATUS_INVALID_MODEL, "'value' is not a one-element tensor");
    }
    oclnn_status s = out_alloc(f, dt, sh->n, d);
    if (s || f->skip) return s;
    for (size_t e = 0; e < f->out.n; e++)
        f->out.c[e] = v;
    return OCLNN_STATUS_OK;
}

static oclnn_status fold_range(fctx *f) {
    if (f->nin != 3) return f->skip = 1, OCLNN_STATUS_OK;
    const ht *s0 = &f->in[0], *l = &f->in[1], *dl = &f->in[2];
    if (!s0->c || !l->c || !dl->c || s0->n != 1 || l->n != 1 || dl->n != 1 || s0->dtype != l->dtype ||
        s0->dtype != dl->dtype)
        return f->skip = 1, OCLNN_STATUS_OK;
    int isf = s0->isf;
    double start = isf ? s0->c[0].f : (double)s0->c[0].i, limit = isf ? l->c[0].f : (double)l->c[0].i;
    double delta = isf ? dl->c[0].f : (double)dl->c[0].i;
    if (delta == 0) return bad(f, OCLNN_STATUS_INVALID_MODEL, "delta is 0");
    int64_t cnt;
    if (!isf) {
        /* ceil(span / |delta|) in unsigned arithmetic: the span may reach 2^64 - 1 and delta INT64_MIN */
        int64_t a = s0->c[0].i, b = l->c[0].i, st = dl->c[0].i;
        uint64_t span = st > 0 ? (b > a ? (uint64_t)b - (uint64_t)a : 0) : (a > b ? (uint64_t)a - (uint64_t)b : 0);
        uint64_t ast = st > 0 ? (uint64_t)st : (uint64_t)0 - (uint64_t)st;
        uint64_t c = span ? (span - 1) / ast + 1 : 0;
        if (c > (uint64_t)INT64_MAX) return f->skip = 1, OCLNN_STATUS_OK;
        cnt = (int64_t)c;
    } else {
        /* ONNX Runtime (onnxruntime/core/providers/cpu/generator/range.cc): n = ceil((limit - start) / delta) in
         * double, values by accumulating delta in T */
        double q = ceil((limit - start) / delta);
        if (!(q < 1e15)) return f->skip = 1, OCLNN_STATUS_OK;
        cnt = q > 0 ? (int64_t)q : 0;
    }
    int64_t d[1] = {cnt};
    oclnn_status s = out_alloc(f, s0->dtype, 1, d);
    if (s || f->skip) return s;
    cell v = s0->c[0];
    for (size_t e = 0; e < f->out.n; e++) {
        f->out.c[e] = v;
        if (isf)
            v.f = s0->dtype == OCLNN_DTYPE_F32 ? (double)((float)v.f + (float)dl->c[0].f) : v.f + dl->c[0].f;
        else
            v.i = (int64_t)((uint64_t)v.i + (uint64_t)dl->c[0].i);
    }
    return OCLNN_STATUS_OK;
}

/* Constant nodes the importer did not turn into values: value (tensor), value_float(s), value_int(s). */
static oclnn_status fold_constant(fctx *f) {
    const oclnn_ir_node *n = f->n;
    const oclnn_ir_attr *a;
    oclnn_status s;
    int64_t d[1];
    if ((a = oclnn_ir_attr_find(n, "value")) && a->type == OCLNN_IR_ATTR_TENSOR) {
        ht t;
        if (a->tensor < 0 || (size_t)a->tensor >= f->g->num_values) return f->skip = 1, OCLNN_STATUS_OK;
        s = load(f, a->tensor, &t);
        if (s || f->skip) return s;
        f->out = t;
        return OCLNN_STATUS_OK;
    }
    if ((a = oclnn_ir_attr_find(n, "value_float")) || (a = oclnn_ir_attr_find(n, "value_int"))) {
        int isf = !strcmp(a->name, "value_float");
        s = out_alloc(f, isf ? OCLNN_DTYPE_F32 : OCLNN_DTYPE_I64, 0, d);
        if (s || f->skip) return s;
        if (isf)
            f->out.c[0].f = a->type == OCLNN_ATTR_INT ? (double)a->i : (double)a->f;
        else
            f->out.c[0].i = a->i;
        return OCLNN_STATUS_OK;
    }
    if ((a = oclnn_ir_attr_find(n, "value_floats")) || (a = oclnn_ir_attr_find(n, "value_ints"))) {
        int isf = a->type == OCLNN_ATTR_FLOATS;
        d[0] = (int64_t)a->count;
        s = out_alloc(f, isf ? OCLNN_DTYPE_F32 : OCLNN_DTYPE_I64, 1, d);
        if (s || f->skip) return s;
        for (size_t e = 0; e < a->count; e++) {
            if (isf)
                f->out.c[e].f = a->floats[e];
            else
                f->out.c[e].i = a->ints ? a->ints[e] : 0;
        }
        return OCLNN_STATUS_OK;
    }
    return f->skip = 1, OCLNN_STATUS_OK;
}

/* ---- driver ---- */

/* The ops folding evaluates: enum suffix, ONNX op type. */
#define FOLD_OPS(X)                                                                                                    \
    X(SHAPE, "Shape")                                                                                                  \
    X(SIZE, "Size")                                                                                                    \
    X(GATHER, "Gather")                                                                                                \
    X(UNSQUEEZE, "Unsqueeze")                                                                                          \
    X(SQUEEZE, "Squeeze")                                                                                              \
    X(CONCAT, "Concat")                                                                                                \
    X(SLICE, "Slice")                                                                                                  \
    X(CAST, "Cast")                                                                                                    \
    X(RESHAPE, "Reshape")                                                                                              \
    X(FLATTEN, "Flatten")                                                                                              \
    X(IDENTITY, "Identity")                                                                                            \
    X(DROPOUT, "Dropout")                                                                                              \
    X(ADD, "Add")                                                                                                      \
    X(SUB, "Sub")                                                                                                      \
    X(MUL, "Mul")                                                                                                      \
    X(DIV, "Div")                                                                                                      \
    X(MAX, "Max")                                                                                                      \
    X(MIN, "Min")                                                                                                      \
    X(NEG, "Neg")                                                                                                      \
    X(ABS, "Abs")                                                                                                      \
    X(SQRT, "Sqrt")                                                                                                    \
    X(FLOOR, "Floor")                                                                                                  \
    X(CEIL, "Ceil")                                                                                                    \
    X(EQUAL, "Equal")                                                                                                  \
    X(WHERE, "Where")                                                                                                  \
    X(CONSTANT_OF_SHAPE, "ConstantOfShape")                                                                            \
    X(RANGE, "Range")                                                                                                  \
    X(EXPAND, "Expand")                                                                                                \
    X(TRANSPOSE, "Transpose")                                                                                          \
    X(TILE, "Tile")                                                                                                    \
    X(CONSTANT, "Constant")                                                                                            \
    X(RSUM, "ReduceSum")                                                                                               \
    X(RPROD, "ReduceProd")                                                                                             \
    X(RMAX, "ReduceMax")                                                                                               \
    X(RMIN, "ReduceMin")                                                                                               \
    X(RMEAN, "ReduceMean")

typedef enum fop {
    F_NONE,
#define F_ENUM_(e, name) F_##e,
    FOLD_OPS(F_ENUM_)
#undef F_ENUM_
} fop;

static const struct {
    const char *name;
    fop op;
} fold_ops[] = {
#define F_ROW_(e, name) {name, F_##e},
    FOLD_OPS(F_ROW_)
#undef F_ROW_
};

static fop lookup(const oclnn_ir_node *n) {
    if (n->domain && *n->domain && strcmp(n->domain, "ai.onnx")) return F_NONE;
    for (size_t k = 0; k < sizeof fold_ops / sizeof *fold_ops; k++)
        if (!strcmp(fold_ops[k].name, n->op_type)) return fold_ops[k].op;
    return F_NONE;
}

/* Whether the node can be evaluated now: Shape/Size need a fully known input shape, the others constant inputs. */
static int foldable(const oclnn_graph *g, const oclnn_ir_node *n, fop op) {
    if (!n->num_outputs || n->outputs[0] < 0) return 0;
    for (size_t o = 1; o < n->num_outputs; o++)
        if (n->outputs[o] >= 0) return 0; /* Dropout's mask: left to the runtime */
    if (op == F_SHAPE || op == F_SIZE) {
        if (n->num_inputs < 1 || n->inputs[0] < 0) return 0;
        const oclnn_ir_value *v = &g->values[n->inputs[0]];
        if (!v->has_shape) return 0;
        for (size_t d = 0; d < v->ndim; d++)
            if (v->dims[d] < 0) return 0;
        return 1;
    }
    for (size_t k = 0; k < n->num_inputs; k++)
        if (n->inputs[k] >= 0 && g->values[n->inputs[k]].kind != OCLNN_IR_CONSTANT) return 0;
    return op == F_CONSTANT || (n->num_inputs > 0 && n->inputs[0] >= 0);
}

static oclnn_status eval(fctx *f, fop op) {
    switch (op) {
    case F_SHAPE: return fold_shape(f, 0);
    case F_SIZE: return fold_shape(f, 1);
    case F_GATHER: return fold_gather(f);
    case F_UNSQUEEZE: return fold_unsqueeze(f);
    case F_SQUEEZE: return fold_squeeze(f);
    case F_CONCAT: return fold_concat(f);
    case F_SLICE: return fold_slice(f);
    case F_CAST: return fold_cast(f);
    case F_RESHAPE: return fold_reshape(f);
    case F_FLATTEN: return fold_flatten(f);
    case F_IDENTITY: return fold_unary(f, U_COPY);
    case F_DROPOUT: {
        /* training_mode (op set 12+, input 2) true would drop elements: left to the runtime */
        if (f->nin > 2 && f->in[2].c && f->in[2].n == 1 && (f->in[2].isf ? f->in[2].c[0].f : f->in[2].c[0].i))
            return f->skip = 1, OCLNN_STATUS_OK;
        return fold_unary(f, U_COPY);
    }
    case F_ADD: return fold_binary(f, B_ADD);
    case F_SUB: return fold_binary(f, B_SUB);
    case F_MUL: return fold_binary(f, B_MUL);
    case F_DIV: return fold_binary(f, B_DIV);
    case F_MAX: return fold_binary(f, B_MAX);
    case F_MIN: return fold_binary(f, B_MIN);
    case F_EQUAL: return fold_binary(f, B_EQ);
    case F_NEG: return fold_unary(f, U_NEG);
    case F_ABS: return fold_unary(f, U_ABS);
    case F_SQRT: return fold_unary(f, U_SQRT);
    case F_FLOOR: return fold_unary(f, U_FLOOR);
    case F_CEIL: return fold_unary(f, U_CEIL);
    case F_WHERE: return fold_where(f);
    case F_CONSTANT_OF_SHAPE: return fold_constant_of_shape(f);
    case F_RANGE: return fold_range(f);
    case F_EXPAND: return fold_expand(f);
    case F_TRANSPOSE: return fold_transpose(f);
    case F_TILE: return fold_tile(f);
    case F_CONSTANT: return fold_constant(f);
    case F_RSUM: return fold_reduce(f, R_SUM);
    case F_RPROD: return fold_reduce(f, R_PROD);
    case F_RMAX: return fold_reduce(f, R_MAX);
    case F_RMIN: return fold_reduce(f, R_MIN);
    case F_RMEAN: return fold_reduce(f, R_MEAN);
    default: f->skip = 1; return OCLNN_STATUS_OK;
    }
}

/* Evaluates node @p ni; *folded = 1 when its output became a constant. */
static oclnn_status fold_node(oclnn_graph *g, int ni, fop op, int *folded) {
    const oclnn_allocator *al = OCLNN_IR_ALLOC(g);
    fctx f;
    memset(&f, 0, sizeof f);
    f.g = g;
    f.n = &g->nodes[ni];
    f.nin = f.n->num_inputs;
    *folded = 0;
    f.in = oclnn_calloc(al, f.nin ? f.nin : 1, sizeof *f.in);
    if (!f.in) return oom(&f);
    oclnn_status s = OCLNN_STATUS_OK;
    int shape_only = op == F_SHAPE || op == F_SIZE;
    for (size_t k = 0; k < f.nin && !shape_only; k++) /* inputs are held as 8-byte cells: bound that too */
        if (f.n->inputs[k] >= 0) {
            const oclnn_ir_value *v = &g->values[f.n->inputs[k]];
            size_t es = oclnn_dtype_size(v->dtype);
            if (!es || v->nbytes / es > 4 * FOLD_MAX_BYTES / sizeof(cell)) f.skip = 1;
        }
    for (size_t k = 0; k < f.nin && !s && !f.skip && !shape_only; k++)
        if (f.n->inputs[k] >= 0) s = load(&f, f.n->inputs[k], &f.in[k]);
    if (!s && !f.skip) s = eval(&f, op);
    if (!s && !f.skip) {
        s = store(&f, f.n->outputs[0]);
        if (!s) {
            g->nodes[ni].dead = 1;
            *folded = 1;
        }
    }
    for (size_t k = 0; k < f.nin; k++)
        oclnn_free(al, f.in[k].c);
    oclnn_free(al, f.in);
    oclnn_free(al, f.out.c);
    return s;
}

oclnn_status oclnn_ir_fold_constants(oclnn_graph *g, int *changed) {
    if (changed) *changed = 0;
    if (!g) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "fold_constants: graph is NULL");
    int *order;
    size_t count;
    oclnn_status s = oclnn_ir_topo_order(g, &order, &count);
    if (s) return s;
    /* One walk in topological order: a folded node's outputs are constants by the time its consumers come. */
    for (size_t k = 0; k < count && !s; k++) {
        int ni = order[k], folded = 0;
        const oclnn_ir_node *n = &g->nodes[ni];
        fop op = lookup(n);
        if (n->dead || op == F_NONE || !foldable(g, n, op)) continue;
        s = fold_node(g, ni, op, &folded);
        if (folded && changed) *changed = 1;
    }
    oclnn_free(OCLNN_IR_ALLOC(g), order);
    return s;
}
