/* test_passes.c - the graph passes on the host (lib/graph/fold.c, fuse.c): constant folding of every supported op
 * (with broadcasting, opset forms, the torch Flatten shape sub-graph) against naive references in this file, the
 * fusion rules checked structurally (dead nodes, fuse fields, display_op, rewired inputs), BN folding against
 * tests/ref conv2d/deconv references, negative cases with exact statuses, and 100,000-node chains.
 *
 * Accuracy contract for BN folding, checked per element: |conv(x, W', b') - BN(conv(x, W, b))| <= 2^-22 * mag + 1e-12,
 * where mag = sum |W' x| + |b'| (both sides accumulate in double; W' and b' are each rounded to float once, a
 * relative error of at most 2^-24 per term, and the double BN of the reference adds far less). Folded values of
 * all other ops are compared exactly (float ops are computed in double and rounded once, which equals float
 * arithmetic for + - * / and sqrt).
 */
#include "common.h"

#include <math.h>

#include "device/clw.h"
#include "graph/ir.h"
#include "ref/conv2d_ref.h"
#include "ref/deconv_ref.h"

#define S(...) ((const char *const[]){__VA_ARGS__})
#define NS(...) (sizeof(S(__VA_ARGS__)) / sizeof(const char *))
#define NODE(g, op, name, ins, outs) add_node_(g, op, name, S ins, NS ins, S outs, NS outs, NULL, 0)
#define NODEA(g, op, name, ins, outs, attrs)                                                                           \
    add_node_(g, op, name, S ins, NS ins, S outs, NS outs, attrs, sizeof attrs / sizeof *attrs)
#define L(...) (__VA_ARGS__) /* a name list for NODE: L("a", "b") */
/* for (each name n of a literal list) */
#define FOR_EACH(n, ...) for (const char *const *n = S(__VA_ARGS__, NULL); *n; n++)

static oclnn_context *ctx;
static uint64_t rng = TEST_SEED;

/* ---- builders ---- */

static oclnn_graph *new_graph(int64_t opset) {
    oclnn_graph *g;
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    assert_ok(ctx, oclnn_graph_set_opset(g, opset));
    return g;
}

static void add_node_(oclnn_graph *g, const char *op, const char *name, const char *const *in, size_t nin,
                      const char *const *out, size_t nout, const oclnn_attr *attrs, size_t nattrs) {
    assert_ok(ctx, oclnn_graph_add_node(g, op, name, nin, in, nout, out, nattrs, attrs));
}

static void cf32(oclnn_graph *g, const char *name, size_t nd, const int64_t *dims, const float *data) {
    assert_ok(ctx, oclnn_graph_add_constant(g, name, OCLNN_DTYPE_F32, nd, dims, data));
}

static void ci64(oclnn_graph *g, const char *name, size_t nd, const int64_t *dims, const int64_t *data) {
    assert_ok(ctx, oclnn_graph_add_constant(g, name, OCLNN_DTYPE_I64, nd, dims, data));
}

static void ci64v(oclnn_graph *g, const char *name, size_t n, const int64_t *data) {
    int64_t d = (int64_t)n;
    ci64(g, name, 1, &d, data);
}

static void ci64s(oclnn_graph *g, const char *name, int64_t v) { ci64(g, name, 0, NULL, &v); }

static void cf32s(oclnn_graph *g, const char *name, float v) { cf32(g, name, 0, NULL, &v); }

static void input4(oclnn_graph *g, const char *name, int64_t a, int64_t b, int64_t c, int64_t d) {
    int64_t dims[4] = {a, b, c, d};
    assert_ok(ctx, oclnn_graph_add_input(g, name, OCLNN_DTYPE_F32, 4, dims));
}

static int vid(const oclnn_graph *g, const char *name) {
    int v = oclnn_ir_find(g, name);
    if (v < 0) fail_msg("no value '%s'", name);
    return v;
}

static oclnn_ir_node *node(oclnn_graph *g, const char *name) {
    for (size_t i = 0; i < g->num_nodes; i++)
        if (!strcmp(g->nodes[i].name, name)) return &g->nodes[i];
    fail_msg("no node '%s'", name);
    return NULL;
}

/* Sets a value's shape by hand (shape inference is not part of these passes). */
static void set_shape4(oclnn_graph *g, const char *name, int64_t a, int64_t b, int64_t c, int64_t d) {
    oclnn_ir_value *v = &g->values[vid(g, name)];
    v->has_shape = 1;
    v->ndim = 4;
    v->dims[0] = a, v->dims[1] = b, v->dims[2] = c, v->dims[3] = d;
}

static void fold(oclnn_graph *g, int expect_changed) {
    int changed = -1;
    assert_ok(ctx, oclnn_ir_fold_constants(g, &changed));
    assert_int_equal(changed, expect_changed);
}

static void fuse(oclnn_graph *g, int on) {
    oclnn_runtime_options o;
    memset(&o, 0, sizeof o);
    o.fuse = on;
    assert_ok(ctx, oclnn_ir_fuse(g, &o));
}

/* ---- expectations ---- */

static const oclnn_ir_value *constant(oclnn_graph *g, const char *name, oclnn_dtype dt, size_t nd,
                                      const int64_t *dims) {
    const oclnn_ir_value *v = &g->values[vid(g, name)];
    if (v->kind != OCLNN_IR_CONSTANT) fail_msg("'%s' was not folded", name);
    assert_int_equal(v->dtype, dt);
    assert_int_equal(v->ndim, nd);
    for (size_t k = 0; k < nd; k++)
        if (v->dims[k] != dims[k])
            fail_msg("'%s' dim %zu is %lld, expected %lld", name, k, (long long)v->dims[k], (long long)dims[k]);
    assert_int_equal(v->producer, -1);
    return v;
}

/* An integer constant (I64, or I32 where booleans and 32-bit integers are held) equal to @p want. */
static void expect_int(oclnn_graph *g, const char *name, oclnn_dtype dt, size_t nd, const int64_t *dims,
                       const int64_t *want) {
    const oclnn_ir_value *v = constant(g, name, dt, nd, dims);
    size_t n = v->nbytes / oclnn_dtype_size(dt);
    for (size_t i = 0; i < n; i++) {
        int64_t got = dt == OCLNN_DTYPE_I64 ? ((const int64_t *)v->data)[i] : ((const int32_t *)v->data)[i];
        if (got != want[i]) fail_msg("'%s'[%zu] = %lld, expected %lld", name, i, (long long)got, (long long)want[i]);
    }
}

static void expect_i64(oclnn_graph *g, const char *name, size_t nd, const int64_t *dims, const int64_t *want) {
    expect_int(g, name, OCLNN_DTYPE_I64, nd, dims, want);
}

static void expect_f32(oclnn_graph *g, const char *name, size_t nd, const int64_t *dims, const float *want) {
    const oclnn_ir_value *v = constant(g, name, OCLNN_DTYPE_F32, nd, dims);
    size_t n = v->nbytes / 4;
    for (size_t i = 0; i < n; i++) {
        float got = ((const float *)v->data)[i];
        if (memcmp(&got, &want[i], 4) && !(isnan(got) && isnan(want[i])))
            fail_msg("'%s'[%zu] = %.9g, expected %.9g", name, i, got, want[i]);
    }
}

static void expect_dead(oclnn_graph *g, const char *name, int dead) {
    if (node(g, name)->dead != dead) fail_msg("node '%s' should be %s", name, dead ? "dead" : "live");
}

static void expect_error(oclnn_status got, oclnn_status want, const char *needle) {
    if (got != want)
        fail_msg("got %s, expected %s: %s", oclnn_status_name(got), oclnn_status_name(want), oclnn_last_error(ctx));
    if (!strstr(oclnn_last_error(ctx), needle))
        fail_msg("message '%s' does not name '%s'", oclnn_last_error(ctx), needle);
}

static void rand_f32(float *x, size_t n, float lo, float hi) {
    for (size_t i = 0; i < n; i++)
        x[i] = test_rand_float(&rng, lo, hi);
}

/* ---- folding: shape sub-graphs ---- */

/* torch.flatten(x, 1) as exported: Shape -> Gather(0) -> Unsqueeze -> Concat(., [-1]) -> Reshape. */
static void flatten_subgraph(int64_t opset) {
    oclnn_graph *g = new_graph(opset);
    input4(g, "x", 2, 3, 5, 7);
    ci64s(g, "zero", 0);
    ci64v(g, "minus1", 1, (int64_t[]){-1});
    NODE(g, "Shape", "shape", L("x"), L("s"));
    NODEA(g, "Gather", "gather", L("s", "zero"), L("g0"), ((oclnn_attr[]){{.name = "axis", .type = OCLNN_ATTR_INT}}));
    if (opset >= 13) {
        ci64v(g, "axes0", 1, (int64_t[]){0});
        NODE(g, "Unsqueeze", "unsq", L("g0", "axes0"), L("u"));
    } else {
        NODEA(g, "Unsqueeze", "unsq", L("g0"), L("u"),
              ((oclnn_attr[]){{.name = "axes", .type = OCLNN_ATTR_INTS, .count = 1, .ints = (int64_t[]){0}}}));
    }
    NODEA(g, "Concat", "concat", L("u", "minus1"), L("c"),
          ((oclnn_attr[]){{.name = "axis", .type = OCLNN_ATTR_INT, .i = 0}}));
    NODE(g, "Reshape", "reshape", L("x", "c"), L("y"));
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    fold(g, 1);
    expect_i64(g, "s", 1, (int64_t[]){4}, (int64_t[]){2, 3, 5, 7});
    expect_i64(g, "g0", 0, NULL, (int64_t[]){2});
    expect_i64(g, "u", 1, (int64_t[]){1}, (int64_t[]){2});
    expect_i64(g, "c", 1, (int64_t[]){2}, (int64_t[]){2, -1});
    expect_dead(g, "shape", 1);
    expect_dead(g, "gather", 1);
    expect_dead(g, "unsq", 1);
    expect_dead(g, "concat", 1);
    expect_dead(g, "reshape", 0); /* x is fed at run time */
    assert_int_equal(node(g, "reshape")->inputs[1], vid(g, "c"));
    fold(g, 0); /* nothing left */
    oclnn_graph_destroy(g);
}

static void test_fold_flatten_subgraph(void **state) {
    (void)state;
    flatten_subgraph(11);
    flatten_subgraph(13);
    flatten_subgraph(18);
}

static void test_fold_shape_size(void **state) {
    (void)state;
    oclnn_graph *g = new_graph(15);
    input4(g, "x", 2, 3, 5, 7);
    input4(g, "dyn", 1, 3, -1, 7);
    NODEA(g, "Shape", "s1", L("x"), L("mid"),
          ((oclnn_attr[]){{.name = "start", .type = OCLNN_ATTR_INT, .i = 1},
                          {.name = "end", .type = OCLNN_ATTR_INT, .i = -1}}));
    NODEA(g, "Shape", "s2", L("x"), L("tail"), ((oclnn_attr[]){{.name = "start", .type = OCLNN_ATTR_INT, .i = -9}}));
    NODEA(g, "Shape", "s3", L("x"), L("empty"),
          ((oclnn_attr[]){{.name = "start", .type = OCLNN_ATTR_INT, .i = 3},
                          {.name = "end", .type = OCLNN_ATTR_INT, .i = 1}}));
    NODE(g, "Size", "size", L("x"), L("n"));
    NODE(g, "Shape", "sdyn", L("dyn"), L("sd"));
    NODE(g, "Size", "ndyn", L("dyn"), L("nd"));
    fold(g, 1);
    expect_i64(g, "mid", 1, (int64_t[]){2}, (int64_t[]){3, 5});
    expect_i64(g, "tail", 1, (int64_t[]){4}, (int64_t[]){2, 3, 5, 7});
    expect_i64(g, "empty", 1, (int64_t[]){0}, NULL);
    expect_i64(g, "n", 0, NULL, (int64_t[]){210});
    expect_dead(g, "sdyn", 0); /* a dynamic dim: left to the runtime */
    expect_dead(g, "ndyn", 0);
    oclnn_graph_destroy(g);

    /* before op set 15 start/end do not exist */
    g = new_graph(13);
    input4(g, "x", 2, 3, 5, 7);
    NODEA(g, "Shape", "s1", L("x"), L("all"), ((oclnn_attr[]){{.name = "start", .type = OCLNN_ATTR_INT, .i = 2}}));
    fold(g, 1);
    expect_i64(g, "all", 1, (int64_t[]){4}, (int64_t[]){2, 3, 5, 7});
    oclnn_graph_destroy(g);
}

/* ---- folding: element-wise with broadcasting ---- */

/* Naive 4-D broadcasting reference: shapes right-aligned to 4 dims, size-1 dims repeat. */
static void pad4(size_t nd, const int64_t *d, int64_t *p) {
    for (size_t k = 0; k < 4; k++)
        p[k] = k < 4 - nd ? 1 : d[k - (4 - nd)];
}

static size_t at4(const int64_t *p, const int64_t *i) {
    size_t o = 0;
    for (size_t k = 0; k < 4; k++)
        o = o * (size_t)p[k] + (size_t)(p[k] == 1 ? 0 : i[k]);
    return o;
}

static double ref_op(const char *op, double a, double b) {
    if (!strcmp(op, "Add")) return a + b;
    if (!strcmp(op, "Sub")) return a - b;
    if (!strcmp(op, "Mul")) return a * b;
    if (!strcmp(op, "Div")) return a / b;
    if (!strcmp(op, "Max")) return a > b ? a : b;
    if (!strcmp(op, "Min")) return a < b ? a : b;
    return a == b;
}

static int64_t ref_iop(const char *op, int64_t a, int64_t b) {
    if (!strcmp(op, "Add")) return a + b;
    if (!strcmp(op, "Sub")) return a - b;
    if (!strcmp(op, "Mul")) return a * b;
    if (!strcmp(op, "Div")) { /* truncation toward zero, written out rather than with C's '/' */
        int64_t q = (llabs(a) / llabs(b));
        return (a < 0) != (b < 0) ? -q : q;
    }
    if (!strcmp(op, "Max")) return a > b ? a : b;
    if (!strcmp(op, "Min")) return a < b ? a : b;
    return a == b;
}

static void test_fold_binary_broadcast(void **state) {
    (void)state;
    static const char *const ops[] = {"Add", "Sub", "Mul", "Div", "Max", "Min", "Equal"};
    /* A [3,1,5] with B [4,1] -> [3,4,5]; A [2,3,4,5] with B [] (scalar) */
    static const struct {
        size_t na, nb;
        int64_t da[4], db[4], dout[4];
        size_t nout;
    } shapes[] = {
        {3, 2, {3, 1, 5}, {4, 1}, {3, 4, 5}, 3},
        {4, 0, {2, 3, 4, 5}, {0}, {2, 3, 4, 5}, 4},
        {1, 4, {5}, {2, 1, 3, 1}, {2, 1, 3, 5}, 4},
    };
    for (size_t si = 0; si < sizeof shapes / sizeof *shapes; si++)
        for (size_t oi = 0; oi < sizeof ops / sizeof *ops; oi++)
            for (int isint = 0; isint < 2; isint++) {
                const char *op = ops[oi];
                oclnn_graph *g = new_graph(13);
                int64_t pa[4], pb[4], po[4];
                size_t na = 1, nb = 1;
                for (size_t k = 0; k < shapes[si].na; k++)
                    na *= (size_t)shapes[si].da[k];
                for (size_t k = 0; k < shapes[si].nb; k++)
                    nb *= (size_t)shapes[si].db[k];
                float fa[120], fb[120];
                int64_t ia[120], ib[120];
                for (size_t i = 0; i < na; i++) {
                    fa[i] = test_rand_float(&rng, -4, 4);
                    ia[i] = (int64_t)test_rand_float(&rng, -20, 20);
                }
                for (size_t i = 0; i < nb; i++) {
                    fb[i] = test_rand_float(&rng, -4, 4);
                    ib[i] = (int64_t)test_rand_float(&rng, -9, 9);
                    if (i % 3 == 0) fb[i] = fa[i % na], ib[i] = ia[i % na]; /* some equal pairs for Equal */
                    if (ib[i] == 0) ib[i] = 3;
                }
                if (isint) {
                    ci64(g, "a", shapes[si].na, shapes[si].da, ia);
                    ci64(g, "b", shapes[si].nb, shapes[si].db, ib);
                } else {
                    cf32(g, "a", shapes[si].na, shapes[si].da, fa);
                    cf32(g, "b", shapes[si].nb, shapes[si].db, fb);
                }
                NODE(g, op, "op", L("a", "b"), L("y"));
                fold(g, 1);
                expect_dead(g, "op", 1);
                pad4(shapes[si].na, shapes[si].da, pa);
                pad4(shapes[si].nb, shapes[si].db, pb);
                pad4(shapes[si].nout, shapes[si].dout, po);
                float wf[240];
                int64_t wi[240];
                size_t e = 0;
                int64_t i[4];
                for (i[0] = 0; i[0] < po[0]; i[0]++)
                    for (i[1] = 0; i[1] < po[1]; i[1]++)
                        for (i[2] = 0; i[2] < po[2]; i[2]++)
                            for (i[3] = 0; i[3] < po[3]; i[3]++, e++) {
                                size_t x = at4(pa, i), y = at4(pb, i);
                                wf[e] = (float)ref_op(op, fa[x], fb[y]);
                                wi[e] = isint ? ref_iop(op, ia[x], ib[y]) : (int64_t)ref_op(op, fa[x], fb[y]);
                            }
                if (!strcmp(op, "Equal")) /* booleans are I32 0/1, as the importer holds them */
                    expect_int(g, "y", OCLNN_DTYPE_I32, shapes[si].nout, shapes[si].dout, wi);
                else if (isint)
                    expect_i64(g, "y", shapes[si].nout, shapes[si].dout, wi);
                else
                    expect_f32(g, "y", shapes[si].nout, shapes[si].dout, wf);
                oclnn_graph_destroy(g);
            }
}

static void test_fold_variadic_where_unary(void **state) {
    (void)state;
    oclnn_graph *g = new_graph(13);
    float a[15], b[4], c[5], x[4], y[12];
    rand_f32(a, 15, -3, 3);
    rand_f32(b, 4, -3, 3);
    rand_f32(c, 5, -3, 3);
    rand_f32(x, 4, -3, 3);
    rand_f32(y, 12, -3, 3);
    cf32(g, "a", 3, (int64_t[]){3, 1, 5}, a);
    cf32(g, "b", 2, (int64_t[]){4, 1}, b);
    cf32(g, "c", 1, (int64_t[]){5}, c);
    NODE(g, "Max", "max3", L("a", "b", "c"), L("mx"));
    NODE(g, "Min", "min1", L("c"), L("mn"));
    ci64(g, "cond", 2, (int64_t[]){3, 1}, (int64_t[]){1, 0, 1});
    cf32(g, "x", 2, (int64_t[]){1, 4}, x);
    cf32(g, "yy", 2, (int64_t[]){3, 4}, y);
    NODE(g, "Where", "where", L("cond", "x", "yy"), L("w"));
    float u[7] = {-2.5f, -0.5f, 0.0f, 0.5f, 1.5f, 2.25f, 9.0f};
    cf32(g, "u", 1, (int64_t[]){7}, u);
    NODE(g, "Neg", "neg", L("u"), L("neg_y"));
    NODE(g, "Abs", "abs", L("u"), L("abs_y"));
    NODE(g, "Sqrt", "sqrt", L("u"), L("sqrt_y"));
    NODE(g, "Floor", "floor", L("u"), L("floor_y"));
    NODE(g, "Ceil", "ceil", L("u"), L("ceil_y"));
    ci64v(g, "iu", 4, (int64_t[]){-7, 0, 3, INT64_MIN + 1});
    NODE(g, "Neg", "ineg", L("iu"), L("ineg_y"));
    NODE(g, "Abs", "iabs", L("iu"), L("iabs_y"));
    NODE(g, "Sqrt", "isqrt", L("iu"), L("isqrt_y")); /* not defined on integers: left alone */
    fold(g, 1);
    float w[60];
    size_t e = 0;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++)
            for (int k = 0; k < 5; k++)
                w[e++] = fmaxf(fmaxf(a[i * 5 + k], b[j]), c[k]);
    expect_f32(g, "mx", 3, (int64_t[]){3, 4, 5}, w);
    expect_f32(g, "mn", 1, (int64_t[]){5}, c);
    int64_t cnd[3] = {1, 0, 1};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++)
            w[i * 4 + j] = cnd[i] ? x[j] : y[i * 4 + j];
    expect_f32(g, "w", 2, (int64_t[]){3, 4}, w);
    float r[5][7];
    for (int i = 0; i < 7; i++) {
        r[0][i] = -u[i];
        r[1][i] = fabsf(u[i]);
        r[2][i] = sqrtf(u[i]);
        r[3][i] = floorf(u[i]);
        r[4][i] = ceilf(u[i]);
    }
    expect_f32(g, "neg_y", 1, (int64_t[]){7}, r[0]);
    expect_f32(g, "abs_y", 1, (int64_t[]){7}, r[1]);
    expect_f32(g, "sqrt_y", 1, (int64_t[]){7}, r[2]); /* NaN for the negatives */
    expect_f32(g, "floor_y", 1, (int64_t[]){7}, r[3]);
    expect_f32(g, "ceil_y", 1, (int64_t[]){7}, r[4]);
    expect_i64(g, "ineg_y", 1, (int64_t[]){4}, (int64_t[]){7, 0, -3, INT64_MAX});
    expect_i64(g, "iabs_y", 1, (int64_t[]){4}, (int64_t[]){7, 0, 3, INT64_MAX});
    expect_dead(g, "isqrt", 0);
    oclnn_graph_destroy(g);
}

static void test_fold_cast(void **state) {
    (void)state;
    oclnn_graph *g = new_graph(13);
    /* F16 encodings from IEEE 754 binary16: 1 -> 0x3c00, -2 -> 0xc000, 65504 (max) -> 0x7bff, 65520 rounds to
     * infinity 0x7c00, 2^-24 (smallest subnormal) -> 0x0001, 1/3 -> 0x3555 (nearest), 1+2^-11 (a tie) -> 0x3c00 (even)
     */
    float v[8] = {1.0f, -2.0f, 65504.0f, 65520.0f, 5.9604644775390625e-8f, 1.0f / 3.0f, 1.00048828125f, -7.75f};
    const uint16_t h[8] = {0x3c00, 0xc000, 0x7bff, 0x7c00, 0x0001, 0x3555, 0x3c00, 0xc7c0};
    cf32(g, "v", 1, (int64_t[]){8}, v);
    NODEA(g, "Cast", "to_f16", L("v"), L("h"), ((oclnn_attr[]){{.name = "to", .type = OCLNN_ATTR_INT, .i = 10}}));
    NODEA(g, "Cast", "back", L("h"), L("f"), ((oclnn_attr[]){{.name = "to", .type = OCLNN_ATTR_INT, .i = 1}}));
    NODEA(g, "Cast", "to_i32", L("v"), L("i32"), ((oclnn_attr[]){{.name = "to", .type = OCLNN_ATTR_INT, .i = 6}}));
    NODEA(g, "Cast", "to_i64", L("i32"), L("i64"), ((oclnn_attr[]){{.name = "to", .type = OCLNN_ATTR_INT, .i = 7}}));
    NODEA(g, "Cast", "to_f32", L("i64"), L("fi"), ((oclnn_attr[]){{.name = "to", .type = OCLNN_ATTR_INT, .i = 1}}));
    NODEA(g, "Cast", "to_dbl", L("v"), L("dbl"), ((oclnn_attr[]){{.name = "to", .type = OCLNN_ATTR_INT, .i = 11}}));
    /* narrowing wraps as static_cast: 300 -> u8 44, -300 -> 212 / i8 -44, 32768 -> i16 -32768, 65535 -> -1 */
    ci64v(g, "wide", 4, (int64_t[]){300, -300, 32768, 65535});
    NODEA(g, "Cast", "to_u8", L("wide"), L("u8"), ((oclnn_attr[]){{.name = "to", .type = OCLNN_ATTR_INT, .i = 2}}));
    NODEA(g, "Cast", "to_i8", L("wide"), L("i8"), ((oclnn_attr[]){{.name = "to", .type = OCLNN_ATTR_INT, .i = 3}}));
    NODEA(g, "Cast", "to_i16", L("wide"), L("i16"), ((oclnn_attr[]){{.name = "to", .type = OCLNN_ATTR_INT, .i = 5}}));
    NODEA(g, "Cast", "to_bool", L("wide"), L("b"), ((oclnn_attr[]){{.name = "to", .type = OCLNN_ATTR_INT, .i = 9}}));
    NODEA(g, "Cast", "to_u32", L("wide"), L("u32"), ((oclnn_attr[]){{.name = "to", .type = OCLNN_ATTR_INT, .i = 12}}));
    fold(g, 1);
    const oclnn_ir_value *hv = constant(g, "h", OCLNN_DTYPE_F16, 1, (int64_t[]){8});
    for (int i = 0; i < 8; i++)
        if (((const uint16_t *)hv->data)[i] != h[i])
            fail_msg("F16 of %g is 0x%04x, expected 0x%04x", v[i], ((const uint16_t *)hv->data)[i], h[i]);
    float back[8] = {1.0f, -2.0f, 65504.0f, INFINITY, 5.9604644775390625e-8f, 0.333251953125f, 1.0f, -7.75f};
    expect_f32(g, "f", 1, (int64_t[]){8}, back);
    const oclnn_ir_value *iv = constant(g, "i32", OCLNN_DTYPE_I32, 1, (int64_t[]){8});
    int32_t want32[8] = {1, -2, 65504, 65520, 0, 0, 1, -7}; /* truncation toward zero */
    assert_memory_equal(iv->data, want32, sizeof want32);
    expect_i64(g, "i64", 1, (int64_t[]){8}, (int64_t[]){1, -2, 65504, 65520, 0, 0, 1, -7});
    expect_f32(g, "fi", 1, (int64_t[]){8}, (float[]){1, -2, 65504, 65520, 0, 0, 1, -7});
    expect_f32(g, "dbl", 1, (int64_t[]){8}, v); /* DOUBLE is held as F32, as the importer does */
    expect_int(g, "u8", OCLNN_DTYPE_I32, 1, (int64_t[]){4}, (int64_t[]){44, 212, 0, 255});
    expect_int(g, "i8", OCLNN_DTYPE_I32, 1, (int64_t[]){4}, (int64_t[]){44, -44, 0, -1});
    expect_int(g, "i16", OCLNN_DTYPE_I32, 1, (int64_t[]){4}, (int64_t[]){300, -300, -32768, -1});
    expect_int(g, "b", OCLNN_DTYPE_I32, 1, (int64_t[]){4}, (int64_t[]){1, 1, 1, 1});
    expect_dead(g, "to_u32", 0); /* not a type we hold */
    oclnn_graph_destroy(g);
}

/* ---- folding: data movement ---- */

static void test_fold_gather(void **state) {
    (void)state;
    oclnn_graph *g = new_graph(13);
    float x[3 * 5];
    rand_f32(x, 15, -1, 1);
    cf32(g, "x", 2, (int64_t[]){3, 5}, x);
    int64_t idx[4] = {-1, 0, 4, -5};
    ci64(g, "idx", 2, (int64_t[]){2, 2}, idx);
    ci64s(g, "m1", -1);
    NODEA(g, "Gather", "g1", L("x", "idx"), L("y1"),
          ((oclnn_attr[]){{.name = "axis", .type = OCLNN_ATTR_INT, .i = 1}}));
    NODEA(g, "Gather", "g2", L("x", "m1"), L("y2"),
          ((oclnn_attr[]){{.name = "axis", .type = OCLNN_ATTR_INT, .i = -2}}));
    fold(g, 1);
    float w[12];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++)
            w[i * 4 + j] = x[i * 5 + (idx[j] < 0 ? idx[j] + 5 : idx[j])];
    expect_f32(g, "y1", 3, (int64_t[]){3, 2, 2}, w);
    expect_f32(g, "y2", 1, (int64_t[]){5}, x + 10);
    oclnn_graph_destroy(g);
}

static void test_fold_squeeze_unsqueeze(void **state) {
    (void)state;
    for (int64_t opset = 11; opset <= 13; opset += 2) {
        oclnn_graph *g = new_graph(opset);
        int64_t x[6] = {1, 2, 3, 4, 5, 6};
        ci64(g, "x", 4, (int64_t[]){1, 2, 1, 3}, x);
        if (opset >= 13) {
            ci64v(g, "ua", 2, (int64_t[]){-1, 0});
            ci64v(g, "sa", 1, (int64_t[]){-2});
            NODE(g, "Unsqueeze", "u", L("x", "ua"), L("uy"));
            NODE(g, "Squeeze", "s", L("x", "sa"), L("sy"));
        } else {
            NODEA(g, "Unsqueeze", "u", L("x"), L("uy"),
                  ((oclnn_attr[]){{.name = "axes", .type = OCLNN_ATTR_INTS, .count = 2, .ints = (int64_t[]){-1, 0}}}));
            NODEA(g, "Squeeze", "s", L("x"), L("sy"),
                  ((oclnn_attr[]){{.name = "axes", .type = OCLNN_ATTR_INTS, .count = 1, .ints = (int64_t[]){-2}}}));
        }
        NODE(g, "Squeeze", "all", L("x"), L("ay"));
        fold(g, 1);
        expect_i64(g, "uy", 6, (int64_t[]){1, 1, 2, 1, 3, 1}, x);
        expect_i64(g, "sy", 3, (int64_t[]){1, 2, 3}, x);
        expect_i64(g, "ay", 2, (int64_t[]){2, 3}, x);
        oclnn_graph_destroy(g);
    }
}

static void test_fold_concat_slice(void **state) {
    (void)state;
    oclnn_graph *g = new_graph(13);
    int64_t a[2 * 3 * 2], b[2 * 3 * 1], c[2 * 3 * 4];
    for (int i = 0; i < 12; i++)
        a[i] = 100 + i;
    for (int i = 0; i < 6; i++)
        b[i] = 200 + i;
    for (int i = 0; i < 24; i++)
        c[i] = 300 + i;
    ci64(g, "a", 3, (int64_t[]){2, 3, 2}, a);
    ci64(g, "b", 3, (int64_t[]){2, 3, 1}, b);
    ci64(g, "c", 3, (int64_t[]){2, 3, 4}, c);
    NODEA(g, "Concat", "cat", L("a", "b", "c"), L("y"),
          ((oclnn_attr[]){{.name = "axis", .type = OCLNN_ATTR_INT, .i = -1}}));
    /* Slice y [2,3,7]: axis 2 from 6 down to (not) 0 by -2, axis 0 from 1 to INT64_MAX (clamped) */
    ci64v(g, "st", 2, (int64_t[]){-1, 1});
    ci64v(g, "en", 2, (int64_t[]){0, INT64_MAX});
    ci64v(g, "ax", 2, (int64_t[]){-1, 0});
    ci64v(g, "sp", 2, (int64_t[]){-2, 1});
    NODE(g, "Slice", "slice", L("y", "st", "en", "ax", "sp"), L("z"));
    ci64v(g, "st2", 1, (int64_t[]){1});
    ci64v(g, "en2", 1, (int64_t[]){5});                        /* clamped to 2 */
    NODE(g, "Slice", "slice2", L("y", "st2", "en2"), L("z2")); /* axes and steps omitted */
    /* torch's x.flip(1) export: start -1, end INT64_MIN, step -1 */
    ci64v(g, "st3", 1, (int64_t[]){-1});
    ci64v(g, "en3", 1, (int64_t[]){INT64_MIN});
    ci64v(g, "ax3", 1, (int64_t[]){1});
    ci64v(g, "sp3", 1, (int64_t[]){-1});
    NODE(g, "Slice", "flip", L("y", "st3", "en3", "ax3", "sp3"), L("z3"));
    fold(g, 1);
    int64_t y[42], z[9], z2[21], z3[42];
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 7; k++)
                y[(i * 3 + j) * 7 + k] = k < 2   ? a[(i * 3 + j) * 2 + k]
                                         : k < 3 ? b[i * 3 + j]
                                                 : c[(i * 3 + j) * 4 + k - 3];
    expect_i64(g, "y", 3, (int64_t[]){2, 3, 7}, y);
    for (int j = 0; j < 3; j++)
        for (int k = 0; k < 3; k++)
            z[j * 3 + k] = y[(3 + j) * 7 + 6 - 2 * k];
    expect_i64(g, "z", 3, (int64_t[]){1, 3, 3}, z);
    memcpy(z2, y + 21, sizeof z2);
    expect_i64(g, "z2", 3, (int64_t[]){1, 3, 7}, z2);
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 7; k++)
                z3[(i * 3 + j) * 7 + k] = y[(i * 3 + 2 - j) * 7 + k];
    expect_i64(g, "z3", 3, (int64_t[]){2, 3, 7}, z3);
    oclnn_graph_destroy(g);

    /* Slice-1 (attributes) */
    g = new_graph(9);
    ci64(g, "y", 3, (int64_t[]){2, 3, 7}, y);
    NODEA(g, "Slice", "slice", L("y"), L("z"),
          ((oclnn_attr[]){{.name = "starts", .type = OCLNN_ATTR_INTS, .count = 2, .ints = (int64_t[]){1, -3}},
                          {.name = "ends", .type = OCLNN_ATTR_INTS, .count = 2, .ints = (int64_t[]){3, 100}},
                          {.name = "axes", .type = OCLNN_ATTR_INTS, .count = 2, .ints = (int64_t[]){1, 2}}}));
    fold(g, 1);
    int64_t w[2 * 2 * 3];
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            for (int k = 0; k < 3; k++)
                w[(i * 2 + j) * 3 + k] = y[(i * 3 + j + 1) * 7 + 4 + k];
    expect_i64(g, "z", 3, (int64_t[]){2, 2, 3}, w);
    oclnn_graph_destroy(g);
}

static void test_fold_reshape_flatten(void **state) {
    (void)state;
    float x[24];
    rand_f32(x, 24, -1, 1);
    oclnn_graph *g = new_graph(14);
    cf32(g, "x", 3, (int64_t[]){2, 3, 4}, x);
    ci64v(g, "s1", 2, (int64_t[]){0, -1});
    ci64v(g, "s2", 4, (int64_t[]){-1, 1, 3, 2});
    NODE(g, "Reshape", "r1", L("x", "s1"), L("y1"));
    NODE(g, "Reshape", "r2", L("x", "s2"), L("y2"));
    float dummy = 0;
    cf32(g, "empty", 3, (int64_t[]){2, 0, 3}, &dummy);
    ci64v(g, "s3", 3, (int64_t[]){3, 0, 2});
    NODEA(g, "Reshape", "r3", L("empty", "s3"), L("y3"),
          ((oclnn_attr[]){{.name = "allowzero", .type = OCLNN_ATTR_INT, .i = 1}}));
    NODEA(g, "Flatten", "f1", L("x"), L("f1y"), ((oclnn_attr[]){{.name = "axis", .type = OCLNN_ATTR_INT, .i = -1}}));
    NODEA(g, "Flatten", "f0", L("x"), L("f0y"), ((oclnn_attr[]){{.name = "axis", .type = OCLNN_ATTR_INT, .i = 0}}));
    NODE(g, "Identity", "id", L("x"), L("idy"));
    NODE(g, "Dropout", "drop", L("x"), L("dry"));
    fold(g, 1);
    expect_f32(g, "y1", 2, (int64_t[]){2, 12}, x);
    expect_f32(g, "y2", 4, (int64_t[]){4, 1, 3, 2}, x);
    constant(g, "y3", OCLNN_DTYPE_F32, 3, (int64_t[]){3, 0, 2});
    expect_f32(g, "f1y", 2, (int64_t[]){6, 4}, x);
    expect_f32(g, "f0y", 2, (int64_t[]){1, 24}, x);
    expect_f32(g, "idy", 3, (int64_t[]){2, 3, 4}, x);
    expect_f32(g, "dry", 3, (int64_t[]){2, 3, 4}, x);
    oclnn_graph_destroy(g);

    /* Reshape-1 (attribute form; the builder starts at op set 7, the importer takes older models) */
    g = new_graph(7);
    cf32(g, "x", 3, (int64_t[]){2, 3, 4}, x);
    NODEA(g, "Reshape", "r", L("x"), L("y"),
          ((oclnn_attr[]){{.name = "shape", .type = OCLNN_ATTR_INTS, .count = 2, .ints = (int64_t[]){-1, 8}}}));
    node(g, "r")->opset = 4;
    fold(g, 1);
    expect_f32(g, "y", 2, (int64_t[]){3, 8}, x);
    oclnn_graph_destroy(g);
}

static void test_fold_generators(void **state) {
    (void)state;
    oclnn_graph *g = new_graph(13);
    ci64v(g, "shape", 3, (int64_t[]){2, 1, 3});
    NODE(g, "ConstantOfShape", "zeros", L("shape"), L("z"));
    /* a 'value' tensor attribute can only be made through the IR (the public builder has no tensor attributes) */
    int vv, in = vid(g, "shape"), out;
    assert_ok(ctx, oclnn_ir_add_constant(g, "seven", OCLNN_DTYPE_I64, 1, (int64_t[]){1}, (int64_t[]){7}, &vv));
    assert_ok(ctx, oclnn_ir_get_or_add(g, "sevens", &out));
    oclnn_ir_attr at = {.name = "value", .type = OCLNN_IR_ATTR_TENSOR, .tensor = vv};
    assert_ok(ctx, oclnn_ir_add_node(g, "ConstantOfShape", "", "cos7", 13, 1, &in, 1, &out, 1, &at, NULL));
    ci64s(g, "rs", 5);
    ci64s(g, "rl", -4);
    ci64s(g, "rd", -3);
    NODE(g, "Range", "irange", L("rs", "rl", "rd"), L("ir"));
    cf32s(g, "fs", 0.5f);
    cf32s(g, "fl", 2.0f);
    cf32s(g, "fd", 0.4f);
    NODE(g, "Range", "frange", L("fs", "fl", "fd"), L("fr"));
    float x[3] = {1.5f, -2.0f, 3.25f};
    cf32(g, "x", 2, (int64_t[]){3, 1}, x);
    ci64v(g, "eshape", 3, (int64_t[]){2, 1, 4});
    NODE(g, "Expand", "expand", L("x", "eshape"), L("ex"));
    float t[24];
    rand_f32(t, 24, -1, 1);
    cf32(g, "t", 3, (int64_t[]){2, 3, 4}, t);
    NODEA(g, "Transpose", "tr", L("t"), L("tt"),
          ((oclnn_attr[]){{.name = "perm", .type = OCLNN_ATTR_INTS, .count = 3, .ints = (int64_t[]){2, 0, 1}}}));
    NODE(g, "Transpose", "trdef", L("t"), L("td"));
    ci64(g, "tl", 2, (int64_t[]){2, 3}, (int64_t[]){1, 2, 3, 4, 5, 6});
    ci64v(g, "reps", 2, (int64_t[]){2, 3});
    NODE(g, "Tile", "tile", L("tl", "reps"), L("ty"));
    oclnn_attr cint = {.name = "value_ints", .type = OCLNN_ATTR_INTS, .count = 3, .ints = (int64_t[]){4, -5, 6}};
    add_node_(g, "Constant", "cints", NULL, 0, S("cv"), 1, &cint, 1);
    /* 5000 x 5000 floats (95 MiB) exceed the folding cap: left to the device */
    ci64v(g, "big", 2, (int64_t[]){5000, 5000});
    NODE(g, "ConstantOfShape", "huge", L("big"), L("hz"));
    fold(g, 1);
    expect_f32(g, "z", 3, (int64_t[]){2, 1, 3}, (float[]){0, 0, 0, 0, 0, 0});
    expect_i64(g, "sevens", 3, (int64_t[]){2, 1, 3}, (int64_t[]){7, 7, 7, 7, 7, 7});
    expect_i64(g, "ir", 1, (int64_t[]){3}, (int64_t[]){5, 2, -1});
    float fr[4], acc = 0.5f; /* ONNX Runtime accumulates delta in float */
    for (int i = 0; i < 4; i++, acc += 0.4f)
        fr[i] = acc;
    expect_f32(g, "fr", 1, (int64_t[]){4}, fr);
    float ex[24];
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 4; k++)
                ex[(i * 3 + j) * 4 + k] = x[j];
    expect_f32(g, "ex", 3, (int64_t[]){2, 3, 4}, ex);
    float tt[24], td[24];
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 4; k++) {
                tt[(k * 2 + i) * 3 + j] = t[(i * 3 + j) * 4 + k];
                td[(k * 3 + j) * 2 + i] = t[(i * 3 + j) * 4 + k];
            }
    expect_f32(g, "tt", 3, (int64_t[]){4, 2, 3}, tt);
    expect_f32(g, "td", 3, (int64_t[]){4, 3, 2}, td);
    int64_t ty[36];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 9; j++)
            ty[i * 9 + j] = 1 + (i % 2) * 3 + j % 3;
    expect_i64(g, "ty", 2, (int64_t[]){4, 9}, ty);
    expect_i64(g, "cv", 1, (int64_t[]){3}, (int64_t[]){4, -5, 6});
    expect_dead(g, "huge", 0);
    assert_int_equal(g->values[vid(g, "hz")].kind, OCLNN_IR_INTERMEDIATE);
    oclnn_graph_destroy(g);
}

/* ReduceX: attribute axes before op set 13 (ReduceSum) / 18 (the others), the input from then on. */
static void reduce_ref(const float *x, const int64_t *d, const int *mark, int op, float *y) {
    /* x is [3,4,5]; y has the keepdims shape, every output element reduced by a direct loop over its window */
    int64_t od[3];
    for (int k = 0; k < 3; k++)
        od[k] = mark[k] ? 1 : d[k];
    for (int64_t a = 0; a < od[0]; a++)
        for (int64_t b = 0; b < od[1]; b++)
            for (int64_t c = 0; c < od[2]; c++) {
                double acc = op == 1 ? 1 : op == 2 ? -INFINITY : op == 3 ? INFINITY : 0;
                size_t cnt = 0;
                for (int64_t i = 0; i < d[0]; i++)
                    for (int64_t j = 0; j < d[1]; j++)
                        for (int64_t k = 0; k < d[2]; k++) {
                            if ((!mark[0] && i != a) || (!mark[1] && j != b) || (!mark[2] && k != c)) continue;
                            double v = x[(i * d[1] + j) * d[2] + k];
                            acc = op == 1 ? acc * v : op == 2 ? fmax(acc, v) : op == 3 ? fmin(acc, v) : acc + v;
                            cnt++;
                        }
                y[(a * od[1] + b) * od[2] + c] = (float)(op == 4 ? acc / (double)cnt : acc);
            }
}

static void test_fold_reduce(void **state) {
    (void)state;
    static const char *const ops[] = {"ReduceSum", "ReduceProd", "ReduceMax", "ReduceMin", "ReduceMean"};
    int64_t d[3] = {3, 4, 5};
    float x[60], y[60];
    rand_f32(x, 60, 0.5f, 1.5f);
    static const struct {
        int64_t axes[3];
        size_t na;
        int keep;
    } forms[] = {{{1}, 1, 1}, {{-1, 0}, 2, 0}, {{0}, 0, 1}, {{0}, 0, 0}};
    for (int64_t opset = 11; opset <= 18; opset += 7)
        for (size_t oi = 0; oi < 5; oi++)
            for (size_t fi = 0; fi < sizeof forms / sizeof *forms; fi++) {
                oclnn_graph *g = new_graph(opset);
                cf32(g, "x", 3, d, x);
                int input_form = opset >= (oi == 0 ? 13 : 18);
                oclnn_attr at[2] = {
                    {.name = "keepdims", .type = OCLNN_ATTR_INT, .i = forms[fi].keep},
                    {.name = "axes", .type = OCLNN_ATTR_INTS, .count = forms[fi].na, .ints = forms[fi].axes}};
                if (input_form && forms[fi].na) {
                    ci64v(g, "axes", forms[fi].na, forms[fi].axes);
                    add_node_(g, ops[oi], "r", S("x", "axes"), 2, S("y"), 1, at, 1);
                } else {
                    add_node_(g, ops[oi], "r", S("x"), 1, S("y"), 1, at, forms[fi].na ? 2 : 1);
                }
                fold(g, 1);
                int mark[3] = {!forms[fi].na, !forms[fi].na, !forms[fi].na};
                for (size_t k = 0; k < forms[fi].na; k++)
                    mark[(forms[fi].axes[k] + 3) % 3] = 1;
                reduce_ref(x, d, mark, (int)oi, y);
                int64_t od[3];
                size_t nd = 0;
                for (int k = 0; k < 3; k++)
                    if (!mark[k] || forms[fi].keep) od[nd++] = mark[k] ? 1 : d[k];
                /* Sum and Mean accumulate in double on both sides; Prod too: equal after one rounding */
                expect_f32(g, "y", nd, od, y);
                oclnn_graph_destroy(g);
            }
    /* noop_with_empty_axes (op set 18) and an integer ReduceProd of a shape slice (shape sub-graphs) */
    oclnn_graph *g = new_graph(18);
    cf32(g, "x", 3, d, x);
    oclnn_attr noop = {.name = "noop_with_empty_axes", .type = OCLNN_ATTR_INT, .i = 1};
    add_node_(g, "ReduceMax", "noop", S("x"), 1, S("y"), 1, &noop, 1);
    input4(g, "in", 2, 3, 5, 7);
    oclnn_attr st = {.name = "start", .type = OCLNN_ATTR_INT, .i = 1};
    add_node_(g, "Shape", "shape", S("in"), 1, S("s"), 1, &st, 1);
    oclnn_attr k0 = {.name = "keepdims", .type = OCLNN_ATTR_INT, .i = 0};
    add_node_(g, "ReduceProd", "prod", S("s"), 1, S("p"), 1, &k0, 1);
    fold(g, 1);
    expect_f32(g, "y", 3, d, x);
    expect_i64(g, "p", 0, NULL, (int64_t[]){105});
    oclnn_graph_destroy(g);
}

static void test_fold_negative(void **state) {
    (void)state;
    oclnn_graph *g = new_graph(13);
    ci64v(g, "d", 3, (int64_t[]){1, 2, 3});
    ci64s(g, "i", 3);
    NODE(g, "Gather", "bad_gather", L("d", "i"), L("y"));
    int changed = -1;
    expect_error(oclnn_ir_fold_constants(g, &changed), OCLNN_STATUS_INVALID_MODEL, "bad_gather");
    oclnn_graph_destroy(g);

    g = new_graph(13);
    ci64v(g, "d", 3, (int64_t[]){1, 2, 3});
    ci64s(g, "i", -4);
    NODE(g, "Gather", "neg_gather", L("d", "i"), L("y"));
    expect_error(oclnn_ir_fold_constants(g, &changed), OCLNN_STATUS_INVALID_MODEL, "neg_gather");
    oclnn_graph_destroy(g);

    g = new_graph(13);
    float x[6] = {0};
    cf32(g, "x", 2, (int64_t[]){2, 3}, x);
    ci64v(g, "s", 2, (int64_t[]){-1, -1});
    NODE(g, "Reshape", "two_minus_ones", L("x", "s"), L("y"));
    expect_error(oclnn_ir_fold_constants(g, &changed), OCLNN_STATUS_INVALID_SHAPE, "two_minus_ones");
    oclnn_graph_destroy(g);

    g = new_graph(13);
    cf32(g, "x", 2, (int64_t[]){2, 3}, x);
    ci64v(g, "s", 2, (int64_t[]){4, -1});
    NODE(g, "Reshape", "indivisible", L("x", "s"), L("y"));
    expect_error(oclnn_ir_fold_constants(g, &changed), OCLNN_STATUS_INVALID_SHAPE, "indivisible");
    oclnn_graph_destroy(g);

    g = new_graph(13);
    cf32(g, "a", 1, (int64_t[]){2}, x);
    cf32(g, "b", 1, (int64_t[]){3}, x);
    NODE(g, "Add", "no_broadcast", L("a", "b"), L("y"));
    expect_error(oclnn_ir_fold_constants(g, &changed), OCLNN_STATUS_INVALID_SHAPE, "no_broadcast");
    oclnn_graph_destroy(g);

    g = new_graph(13);
    cf32(g, "a", 2, (int64_t[]){2, 3}, x);
    ci64v(g, "ax", 1, (int64_t[]){0});
    NODE(g, "Squeeze", "squeeze_2", L("a", "ax"), L("y"));
    expect_error(oclnn_ir_fold_constants(g, &changed), OCLNN_STATUS_INVALID_SHAPE, "squeeze_2");
    oclnn_graph_destroy(g);

    /* not constant, unknown op, integer division by zero: left alone, no error */
    g = new_graph(13);
    input4(g, "in", 1, 2, 3, 4);
    cf32(g, "a", 1, (int64_t[]){2}, x);
    ci64v(g, "i", 2, (int64_t[]){4, 5});
    ci64v(g, "z", 2, (int64_t[]){1, 0});
    NODE(g, "Relu", "relu", L("in"), L("r"));
    NODE(g, "Softmax", "sm", L("a"), L("s"));
    NODE(g, "Div", "div0", L("i", "z"), L("q"));
    fold(g, 0);
    expect_dead(g, "relu", 0);
    expect_dead(g, "sm", 0);
    expect_dead(g, "div0", 0);
    oclnn_graph_destroy(g);
}

/* ---- fusion ---- */

typedef struct conv_case {
    const char *name;
    int transposed;
    int n, c, h, w, k, kh, kw, s, pad, groups;
    int with_bias;
} conv_case;

/* Conv (or ConvTranspose) -> BatchNormalization folded: structure, and conv(x, W', b') against BN(conv(x, W, b)). */
static void bn_case(const conv_case *cc) {
    oclnn_graph *g = new_graph(13);
    int64_t xd[4] = {cc->n, cc->c, cc->h, cc->w};
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd));
    int64_t wd[4] = {cc->transposed ? cc->c : cc->k, cc->transposed ? cc->k / cc->groups : cc->c / cc->groups, cc->kh,
                     cc->kw};
    size_t wn = (size_t)(wd[0] * wd[1] * wd[2] * wd[3]), k = (size_t)cc->k;
    float *w = malloc(wn * 4), b[64], sc[64], be[64], mu[64], var[64];
    rand_f32(w, wn, -1, 1);
    rand_f32(b, k, -1, 1);
    rand_f32(sc, k, -2, 2);
    rand_f32(be, k, -1, 1);
    rand_f32(mu, k, -1, 1);
    rand_f32(var, k, 0.01f, 3);
    int64_t kd = cc->k;
    cf32(g, "W", 4, wd, w);
    cf32(g, "B", 1, &kd, b);
    cf32(g, "scale", 1, &kd, sc);
    cf32(g, "beta", 1, &kd, be);
    cf32(g, "mean", 1, &kd, mu);
    cf32(g, "var", 1, &kd, var);
    oclnn_attr ca[] = {
        {.name = "strides", .type = OCLNN_ATTR_INTS, .count = 2, .ints = (int64_t[]){cc->s, cc->s}},
        {.name = "pads", .type = OCLNN_ATTR_INTS, .count = 4, .ints = (int64_t[]){cc->pad, cc->pad, cc->pad, cc->pad}},
        {.name = "group", .type = OCLNN_ATTR_INT, .i = cc->groups},
    };
    const char *op = cc->transposed ? "ConvTranspose" : "Conv";
    if (cc->with_bias)
        add_node_(g, op, "conv", S("x", "W", "B"), 3, S("c"), 1, ca, 3);
    else
        add_node_(g, op, "conv", S("x", "W"), 2, S("c"), 1, ca, 3);
    oclnn_attr ba[] = {{.name = "epsilon", .type = OCLNN_ATTR_FLOAT, .f = 1e-3f}};
    NODEA(g, "BatchNormalization", "bn", L("c", "scale", "beta", "mean", "var"), L("y"), ba);
    /* a second conv shares W: the folded weights must be new values */
    NODEA(g, op, "other", L("x", "W"), L("o"), ca);
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    assert_ok(ctx, oclnn_graph_add_output(g, "o"));
    fuse(g, 1);
    expect_dead(g, "bn", 1);
    oclnn_ir_node *cv = node(g, "conv");
    assert_false(cv->dead);
    assert_int_equal(cv->num_inputs, 3);
    assert_int_equal(cv->outputs[0], vid(g, "y"));
    assert_int_equal(g->values[vid(g, "y")].producer, (int)(cv - g->nodes));
    assert_string_equal(cv->display_op,
                        cc->transposed ? "ConvTranspose+BatchNormalization" : "Conv+BatchNormalization");
    assert_int_not_equal(cv->inputs[1], vid(g, "W"));
    assert_int_not_equal(cv->inputs[2], vid(g, "B"));
    assert_int_equal(node(g, "other")->inputs[1], vid(g, "W"));
    assert_memory_equal(g->values[vid(g, "W")].data, w, wn * 4); /* untouched */
    const float *w2 = g->values[cv->inputs[1]].data, *b2 = g->values[cv->inputs[2]].data;
    assert_int_equal(g->values[cv->inputs[1]].nbytes, wn * 4);
    assert_int_equal(g->values[cv->inputs[2]].nbytes, k * 4);

    size_t xn = (size_t)(cc->n * cc->c * cc->h * cc->w);
    float *x = malloc(xn * 4);
    rand_f32(x, xn, -1, 1);
    int oh, ow;
    if (cc->transposed) {
        oh = (cc->h - 1) * cc->s - 2 * cc->pad + cc->kh;
        ow = (cc->w - 1) * cc->s - 2 * cc->pad + cc->kw;
    } else {
        oh = (cc->h + 2 * cc->pad - cc->kh) / cc->s + 1;
        ow = (cc->w + 2 * cc->pad - cc->kw) / cc->s + 1;
    }
    size_t yn = (size_t)cc->n * k * (size_t)(oh * ow);
    double *y0 = malloc(yn * 8), *m0 = malloc(yn * 8), *y1 = malloc(yn * 8), *m1 = malloc(yn * 8);
    if (cc->transposed) {
        deconv_ref_params p = {cc->n, cc->c,   cc->h,   cc->w, cc->k, cc->kh,     cc->kw, cc->s, cc->s, 1,
                               1,     cc->pad, cc->pad, oh,    ow,    cc->groups, 0,      0,     0,     0};
        deconv_ref(&p, x, w, cc->with_bias ? b : NULL, NULL, y0, m0);
        deconv_ref(&p, x, w2, b2, NULL, y1, m1);
    } else {
        conv2d_ref_params p = {cc->n, cc->c,   cc->h,   cc->w, cc->k, cc->kh,     cc->kw, cc->s, cc->s, 1,
                               1,     cc->pad, cc->pad, oh,    ow,    cc->groups, 0,      0,     0,     0};
        conv2d_ref(&p, x, w, cc->with_bias ? b : NULL, NULL, y0, m0);
        conv2d_ref(&p, x, w2, b2, NULL, y1, m1);
    }
    double worst = 0;
    for (size_t i = 0; i < yn; i++) {
        size_t ch = (i / (size_t)(oh * ow)) % k;
        double ref = (y0[i] - mu[ch]) * sc[ch] / sqrt((double)var[ch] + (double)1e-3f) + be[ch];
        double bound = ldexp(m1[i], -22) + 1e-12, err = fabs(y1[i] - ref);
        if (err / bound > worst) worst = err / bound;
        if (!(err <= bound))
            fail_msg("%s: element %zu: folded %.9g, BN %.9g (bound %.3g)", cc->name, i, y1[i], ref, bound);
    }
    printf("  %-40s worst error / bound = %.3f\n", cc->name, worst);
    free(w), free(x), free(y0), free(m0), free(y1), free(m1);
    oclnn_graph_destroy(g);
}

static void test_fuse_bn(void **state) {
    (void)state;
    static const conv_case cases[] = {
        {"conv 3x3 [2,5,9,11] -> 7, pad 1", 0, 2, 5, 9, 11, 7, 3, 3, 1, 1, 1, 1},
        {"conv 1x1 no bias [1,6,7,5] -> 9, groups 3", 0, 1, 6, 7, 5, 9, 1, 1, 1, 0, 3, 0},
        {"conv 3x3 stride 2 [1,3,13,11] -> 5", 0, 1, 3, 13, 11, 5, 3, 3, 2, 1, 1, 1},
        {"convT 4x4 s2 [1,6,5,7] -> 4, groups 2", 1, 1, 6, 5, 7, 4, 4, 4, 2, 1, 2, 1},
        {"convT 3x3 no bias [2,3,4,5] -> 5", 1, 2, 3, 4, 5, 5, 3, 3, 1, 0, 1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        bn_case(&cases[i]);
}

/* Conv/ConvTranspose -> Mul(s) -> Add(c) -> Sub(d) by per-channel and scalar constants (PP-OCRv4's
 * LearnableAffineBlock is Mul(scalar, conv) -> Add(., scalar)) folded into the weights and bias; same bound as BN. */
static void affine_case(int transposed, int with_bias) {
    enum { N = 1, C = 4, H = 6, W = 7, K = 6, KS = 3 };
    oclnn_graph *g = new_graph(13);
    input4(g, "x", N, C, H, W);
    int64_t wd[4] = {transposed ? C : K, transposed ? K : C, KS, KS}, kd[4] = {1, K, 1, 1}, kd3[3] = {K, 1, 1};
    float w[K * C * KS * KS], b[K], sc[K], sh[K], d = 0.75f;
    rand_f32(w, sizeof w / 4, -1, 1);
    rand_f32(b, K, -1, 1);
    rand_f32(sc, K, -2, 2);
    rand_f32(sh, K, -1, 1);
    cf32(g, "W", 4, wd, w);
    cf32(g, "B", 1, wd + (transposed ? 1 : 0), b);
    cf32(g, "s", 4, kd, sc);
    cf32(g, "c", 3, kd3, sh);
    cf32s(g, "d", d);
    const char *op = transposed ? "ConvTranspose" : "Conv";
    if (with_bias)
        add_node_(g, op, "conv", S("x", "W", "B"), 3, S("y0"), 1, NULL, 0);
    else
        add_node_(g, op, "conv", S("x", "W"), 2, S("y0"), 1, NULL, 0);
    NODE(g, "Mul", "mul", L("s", "y0"), L("y1"));
    NODE(g, "Add", "add", L("y1", "c"), L("y2"));
    NODE(g, "Sub", "sub", L("y2", "d"), L("y"));
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    fuse(g, 1);
    FOR_EACH(n, "mul", "add", "sub") expect_dead(g, *n, 1);
    oclnn_ir_node *cv = node(g, "conv");
    char want[64];
    snprintf(want, sizeof want, "%s+Mul+Add+Sub", op);
    assert_string_equal(cv->display_op, want);
    assert_int_equal(cv->num_inputs, 3);
    assert_int_equal(cv->outputs[0], vid(g, "y"));
    /* new values were made; the old weights, read by this conv only, were released (the runtime packs the new) */
    assert_null(g->values[vid(g, "W")].data);
    if (with_bias) assert_null(g->values[vid(g, "B")].data);
    const float *w2 = g->values[cv->inputs[1]].data, *b2 = g->values[cv->inputs[2]].data;
    float x[N * C * H * W];
    rand_f32(x, sizeof x / 4, -1, 1);
    int oh = transposed ? H + KS - 1 : H - KS + 1, ow = transposed ? W + KS - 1 : W - KS + 1;
    size_t yn = (size_t)K * oh * ow;
    double *y0 = malloc(yn * 8), *m0 = malloc(yn * 8), *y1 = malloc(yn * 8), *m1 = malloc(yn * 8);
    if (transposed) {
        deconv_ref_params p = {N, C, H, W, K, KS, KS, 1, 1, 1, 1, 0, 0, oh, ow, 1, 0, 0, 0, 0};
        deconv_ref(&p, x, w, with_bias ? b : NULL, NULL, y0, m0);
        deconv_ref(&p, x, w2, b2, NULL, y1, m1);
    } else {
        conv2d_ref_params p = {N, C, H, W, K, KS, KS, 1, 1, 1, 1, 0, 0, oh, ow, 1, 0, 0, 0, 0};
        conv2d_ref(&p, x, w, with_bias ? b : NULL, NULL, y0, m0);
        conv2d_ref(&p, x, w2, b2, NULL, y1, m1);
    }
    for (size_t i = 0; i < yn; i++) {
        size_t ch = i / (size_t)(oh * ow);
        double ref = y0[i] * sc[ch] + sh[ch] - d, bound = ldexp(m1[i], -22) + 1e-12;
        if (!(fabs(y1[i] - ref) <= bound))
            fail_msg("%s: element %zu: folded %.9g, reference %.9g (bound %.3g)", op, i, y1[i], ref, bound);
    }
    free(y0), free(m0), free(y1), free(m1);
    oclnn_graph_destroy(g);
}

static void test_fuse_affine(void **state) {
    (void)state;
    for (int t = 0; t < 2; t++)
        for (int b = 0; b < 2; b++)
            affine_case(t, b);
    /* Mul alone on a conv without a bias: scaled weights, still no bias */
    float w[4 * 3] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, two = 2, sp[4 * 9] = {0};
    oclnn_graph *g = new_graph(13);
    input4(g, "x", 1, 3, 5, 5);
    cf32(g, "W", 4, (int64_t[]){4, 3, 1, 1}, w);
    cf32s(g, "two", two);
    NODE(g, "Conv", "conv", L("x", "W"), L("c"));
    NODE(g, "Mul", "mul", L("c", "two"), L("y"));
    /* not folded: c - conv (would negate), a spatial constant, Div */
    cf32(g, "spatial", 4, (int64_t[]){1, 4, 3, 3}, sp);
    cf32(g, "perc", 1, (int64_t[]){4}, sp); /* [4] aligns with the last axis, not the channels */
    NODE(g, "Conv", "c2", L("x", "W"), L("c2o"));
    NODE(g, "Sub", "rsub", L("two", "c2o"), L("y2"));
    input4(g, "x3", 1, 3, 3, 3);
    NODE(g, "Conv", "c3", L("x3", "W"), L("c3o"));
    NODE(g, "Mul", "mul_spatial", L("c3o", "spatial"), L("y3"));
    NODE(g, "Conv", "c4", L("x", "W"), L("c4o"));
    NODE(g, "Div", "div", L("c4o", "two"), L("y4"));
    NODE(g, "Conv", "c5", L("x", "W"), L("c5o"));
    NODE(g, "Add", "add_last_axis", L("c5o", "perc"), L("y5"));
    FOR_EACH(o, "y", "y2", "y3", "y4", "y5") assert_ok(ctx, oclnn_graph_add_output(g, *o));
    fuse(g, 1);
    oclnn_ir_node *cv = node(g, "conv");
    expect_dead(g, "mul", 1);
    assert_string_equal(cv->display_op, "Conv+Mul");
    assert_int_equal(cv->num_inputs, 3);
    assert_int_equal(cv->inputs[2], -1);
    const float *w2 = g->values[cv->inputs[1]].data;
    for (int i = 0; i < 12; i++)
        assert_true(w2[i] == 2 * w[i]);
    /* W is read by the other convs too: kept, and never written */
    assert_memory_equal(g->values[vid(g, "W")].data, w, sizeof w);
    FOR_EACH(n, "rsub", "mul_spatial", "div", "add_last_axis") expect_dead(g, *n, 0);
    FOR_EACH(n, "c2", "c3", "c4", "c5") assert_null(node(g, *n)->display_op);
    oclnn_graph_destroy(g);
}

static void test_fuse_bn_not(void **state) {
    (void)state;
    float w[4 * 3] = {0}, v[4] = {1, 1, 1, 1};
    oclnn_graph *g = new_graph(13);
    input4(g, "x", 1, 3, 5, 5);
    cf32(g, "W", 4, (int64_t[]){4, 3, 1, 1}, w);
    cf32(g, "v", 1, (int64_t[]){4}, v);
    NODE(g, "Conv", "conv_shared_out", L("x", "W"), L("c"));
    NODE(g, "BatchNormalization", "bn1", L("c", "v", "v", "v", "v"), L("y1"));
    NODE(g, "Relu", "other_use", L("c"), L("r"));
    NODE(g, "Conv", "conv_is_output", L("x", "W"), L("c2"));
    NODE(g, "BatchNormalization", "bn2", L("c2", "v", "v", "v", "v"), L("y2"));
    input4(g, "scale_in", 4, 1, 1, 1);
    NODE(g, "Conv", "conv3", L("x", "W"), L("c3"));
    NODE(g, "BatchNormalization", "bn_var_scale", L("c3", "scale_in", "v", "v", "v"), L("y3"));
    FOR_EACH(o, "y1", "r", "c2", "y2", "y3") { assert_ok(ctx, oclnn_graph_add_output(g, *o)); }
    fuse(g, 1);
    expect_dead(g, "bn1", 0);
    expect_dead(g, "bn2", 0);
    expect_dead(g, "bn_var_scale", 0);
    assert_null(node(g, "conv3")->display_op);
    oclnn_graph_destroy(g);
}

static void test_fuse_activations(void **state) {
    (void)state;
    float w[4 * 3] = {0}, v[4] = {1, 1, 1, 1}, gw[12] = {0};
    oclnn_graph *g = new_graph(13);
    input4(g, "x", 1, 3, 5, 5);
    cf32(g, "W", 4, (int64_t[]){4, 3, 1, 1}, w);
    cf32(g, "v", 1, (int64_t[]){4}, v);
    NODE(g, "Conv", "conv", L("x", "W"), L("c"));
    NODE(g, "Relu", "relu", L("c"), L("y_relu"));
    NODE(g, "Relu", "relu2", L("y_relu"), L("y_relu2")); /* only one activation per node */
    int64_t gd[2] = {3, 4};
    assert_ok(ctx, oclnn_graph_add_input(g, "m", OCLNN_DTYPE_F32, 2, (int64_t[]){2, 3}));
    cf32(g, "gw", 2, gd, gw);
    NODE(g, "Gemm", "gemm", L("m", "gw"), L("gm"));
    NODEA(g, "LeakyRelu", "leaky", L("gm"), L("y_leaky"),
          ((oclnn_attr[]){{.name = "alpha", .type = OCLNN_ATTR_FLOAT, .f = 0.25f}}));
    NODE(g, "Add", "add", L("x", "x"), L("a"));
    cf32s(g, "lo", -1.5f);
    NODE(g, "Clip", "clip_min_only", L("a", "lo"), L("y_clip"));
    NODE(g, "Mul", "mul", L("x", "x"), L("mu"));
    NODE(g, "Clip", "clip_none", L("mu"), L("y_clip2"));
    NODE(g, "Mul", "mul_var_clip", L("x", "x"), L("mv"));
    NODE(g, "Clip", "clip_var", L("mv", "x"), L("y_clip_var")); /* min is not a constant: not fused */
    NODE(g, "BatchNormalization", "bn", L("x", "v", "v", "v", "v"), L("b"));
    NODEA(g, "HardSigmoid", "hsig", L("b"), L("y_hsig"),
          ((oclnn_attr[]){{.name = "alpha", .type = OCLNN_ATTR_FLOAT, .f = 0.3f}}));
    NODE(g, "Sub", "sub", L("x", "x"), L("s"));
    NODE(g, "Sigmoid", "sig", L("s"), L("y_sig"));
    NODE(g, "Div", "div", L("x", "x"), L("d"));
    NODE(g, "Tanh", "tanh", L("d"), L("y_tanh"));
    NODE(g, "Conv", "conv_two_uses", L("x", "W"), L("c2"));
    NODE(g, "Relu", "r2a", L("c2"), L("y_r2a"));
    NODE(g, "Relu", "r2b", L("c2"), L("y_r2b"));
    NODE(g, "Conv", "conv_output", L("x", "W"), L("c3"));
    NODE(g, "Relu", "r3", L("c3"), L("y_r3"));
    NODE(g, "MaxPool", "pool", L("x"), L("p"));
    NODE(g, "Relu", "r4", L("p"), L("y_r4"));
    const char *outs[] = {"y_relu2", "y_leaky", "y_clip", "y_clip2", "y_hsig", "y_sig",     "y_tanh",
                          "y_r2a",   "y_r2b",   "c3",     "y_r3",    "y_r4",   "y_clip_var"};
    for (size_t i = 0; i < sizeof outs / sizeof *outs; i++)
        assert_ok(ctx, oclnn_graph_add_output(g, outs[i]));

    /* fuse = 0: nothing changes */
    fuse(g, 0);
    for (size_t i = 0; i < g->num_nodes; i++)
        assert_false(g->nodes[i].dead);

    fuse(g, 1);
    static const struct {
        const char *producer, *act, *display;
        oclnn_activation code;
        float alpha, beta;
        const char *out;
    } want[] = {
        {"conv", "relu", "Conv+Relu", OCLNN_ACTIVATION_RELU, 0, 0, "y_relu"},
        {"gemm", "leaky", "Gemm+LeakyRelu", OCLNN_ACTIVATION_LEAKY_RELU, 0.25f, 0, "y_leaky"},
        {"add", "clip_min_only", "Add+Clip", OCLNN_ACTIVATION_CLIP, -1.5f, INFINITY, "y_clip"},
        {"mul", "clip_none", "Mul+Clip", OCLNN_ACTIVATION_CLIP, -INFINITY, INFINITY, "y_clip2"},
        {"bn", "hsig", "BatchNormalization+HardSigmoid", OCLNN_ACTIVATION_HARD_SIGMOID, 0.3f, 0.5f, "y_hsig"},
        {"sub", "sig", "Sub+Sigmoid", OCLNN_ACTIVATION_SIGMOID, 0, 0, "y_sig"},
        {"div", "tanh", "Div+Tanh", OCLNN_ACTIVATION_TANH, 0, 0, "y_tanh"},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        oclnn_ir_node *p = node(g, want[i].producer);
        assert_false(p->dead);
        expect_dead(g, want[i].act, 1);
        assert_string_equal(p->display_op, want[i].display);
        assert_int_equal(p->fuse.activation, want[i].code);
        assert_true(p->fuse.alpha == want[i].alpha);
        assert_true(p->fuse.beta == want[i].beta);
        assert_int_equal(p->fuse.residual, OCLNN_RESIDUAL_NONE);
        assert_int_equal(p->outputs[0], vid(g, want[i].out));
        assert_int_equal(g->values[vid(g, want[i].out)].producer, (int)(p - g->nodes));
    }
    expect_dead(g, "relu2", 0);
    assert_int_equal(node(g, "relu2")->inputs[0], vid(g, "y_relu"));
    FOR_EACH(n, "conv_two_uses", "r2a", "r2b", "conv_output", "r3", "pool", "r4", "mul_var_clip", "clip_var") {
        expect_dead(g, *n, 0);
        assert_int_equal(node(g, *n)->fuse.activation, OCLNN_ACTIVATION_NONE);
    }
    oclnn_graph_destroy(g);

    /* Clip before op set 11: attributes */
    g = new_graph(9);
    input4(g, "x", 1, 3, 5, 5);
    cf32(g, "W", 4, (int64_t[]){4, 3, 1, 1}, w);
    NODE(g, "Conv", "conv", L("x", "W"), L("c"));
    NODEA(g, "Clip", "relu6", L("c"), L("y"),
          ((oclnn_attr[]){{.name = "min", .type = OCLNN_ATTR_FLOAT, .f = 0},
                          {.name = "max", .type = OCLNN_ATTR_FLOAT, .f = 6}}));
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    fuse(g, 1);
    assert_int_equal(node(g, "conv")->fuse.activation, OCLNN_ACTIVATION_CLIP);
    assert_true(node(g, "conv")->fuse.alpha == 0.0f && node(g, "conv")->fuse.beta == 6.0f);
    assert_string_equal(node(g, "conv")->display_op, "Conv+Clip");
    oclnn_graph_destroy(g);
}

/* x -> Conv(W, [B]) -> [BN] -> Add(., skip) -> [Relu] and the variants. */
static void test_fuse_residual(void **state) {
    (void)state;
    float w[4 * 4] = {0}, v[4] = {1, 1, 1, 1};
    oclnn_graph *g = new_graph(13);
    input4(g, "x", 1, 4, 5, 5);
    input4(g, "skip", 1, 4, 5, 5);
    cf32(g, "W", 4, (int64_t[]){4, 4, 1, 1}, w);
    cf32(g, "v", 1, (int64_t[]){4}, v);
    /* ResNet: Conv -> BN -> Add(skip) -> Relu */
    NODE(g, "Conv", "c1", L("x", "W", "v"), L("c1o"));
    NODE(g, "BatchNormalization", "bn1", L("c1o", "v", "v", "v", "v"), L("b1"));
    NODE(g, "Add", "add1", L("skip", "b1"), L("a1"));
    NODE(g, "Relu", "relu1", L("a1"), L("y1"));
    /* no bias: Conv -> Add */
    NODE(g, "Conv", "c2", L("x", "W"), L("c2o"));
    NODE(g, "Add", "add2", L("c2o", "skip"), L("y2"));
    /* activation first: Conv -> Relu -> Add */
    NODE(g, "Conv", "c3", L("x", "W"), L("c3o"));
    NODE(g, "Relu", "relu3", L("c3o"), L("r3"));
    NODE(g, "Add", "add3", L("r3", "skip"), L("y3"));
    /* residual is a constant / broadcasts / unknown shape: not fused */
    float cst[100] = {0};
    cf32(g, "cst", 4, (int64_t[]){1, 4, 5, 5}, cst);
    NODE(g, "Conv", "c4", L("x", "W"), L("c4o"));
    NODE(g, "Add", "add_const", L("c4o", "cst"), L("y4"));
    input4(g, "bias_like", 1, 4, 1, 1);
    NODE(g, "Conv", "c5", L("x", "W"), L("c5o"));
    NODE(g, "Add", "add_bcast", L("c5o", "bias_like"), L("y5"));
    input4(g, "unknown", 1, 4, 5, 5);
    NODE(g, "Relu", "mk_unknown", L("unknown"), L("u"));
    NODE(g, "Conv", "c6", L("x", "W"), L("c6o"));
    NODE(g, "Add", "add_unknown", L("c6o", "u"), L("y6"));
    FOR_EACH(o, "y1", "y2", "y3", "y4", "y5", "y6") { assert_ok(ctx, oclnn_graph_add_output(g, *o)); }
    /* shapes as shape inference would set them (u is left unknown) */
    const char *known[] = {"c1o", "b1", "a1", "y1", "c2o", "y2", "c3o", "r3", "y3", "c4o", "y4", "c5o", "c6o"};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        set_shape4(g, known[i], 1, 4, 5, 5);
    set_shape4(g, "y5", 1, 4, 5, 5);
    fuse(g, 1);

    oclnn_ir_node *c1 = node(g, "c1");
    FOR_EACH(n, "bn1", "add1", "relu1", "add2", "relu3", "add3") { expect_dead(g, *n, 1); }
    assert_string_equal(c1->display_op, "Conv+BatchNormalization+Add+Relu");
    assert_int_equal(c1->fuse.residual, OCLNN_RESIDUAL_BEFORE_ACTIVATION);
    assert_int_equal(c1->fuse.activation, OCLNN_ACTIVATION_RELU);
    assert_int_equal(c1->num_inputs, 4);
    assert_int_equal(c1->inputs[0], vid(g, "x"));
    assert_int_not_equal(c1->inputs[1], vid(g, "W")); /* BN folded */
    assert_true(c1->inputs[2] >= 0);
    assert_int_equal(c1->inputs[3], vid(g, "skip"));
    assert_int_equal(c1->outputs[0], vid(g, "y1"));

    oclnn_ir_node *c2 = node(g, "c2");
    assert_string_equal(c2->display_op, "Conv+Add");
    assert_int_equal(c2->fuse.residual, OCLNN_RESIDUAL_BEFORE_ACTIVATION);
    assert_int_equal(c2->fuse.activation, OCLNN_ACTIVATION_NONE);
    assert_int_equal(c2->num_inputs, 4);
    assert_int_equal(c2->inputs[1], vid(g, "W"));
    assert_int_equal(c2->inputs[2], -1);
    assert_int_equal(c2->inputs[3], vid(g, "skip"));
    assert_int_equal(c2->outputs[0], vid(g, "y2"));

    oclnn_ir_node *c3 = node(g, "c3");
    assert_string_equal(c3->display_op, "Conv+Relu+Add");
    assert_int_equal(c3->fuse.residual, OCLNN_RESIDUAL_AFTER_ACTIVATION);
    assert_int_equal(c3->fuse.activation, OCLNN_ACTIVATION_RELU);
    assert_int_equal(c3->inputs[3], vid(g, "skip"));
    assert_int_equal(c3->outputs[0], vid(g, "y3"));

    FOR_EACH(n, "add_const", "add_bcast", "add_unknown") { expect_dead(g, *n, 0); }
    FOR_EACH(n, "c4", "c5", "c6") {
        assert_int_equal(node(g, *n)->fuse.residual, OCLNN_RESIDUAL_NONE);
        assert_int_equal(node(g, *n)->num_inputs, 2);
    }
    oclnn_graph_destroy(g);
}

/* The HardSwish spellings, as PP-OCRv4 (Paddle, op set 11) and PyTorch export them, and the SE block. */
static void test_fuse_hardswish(void **state) {
    (void)state;
    float w[4 * 4] = {0};
    oclnn_graph *g = new_graph(11);
    input4(g, "x", 1, 4, 5, 5);
    cf32(g, "W", 4, (int64_t[]){4, 4, 1, 1}, w);
    cf32s(g, "three", 3.0f);
    cf32s(g, "zero", 0.0f);
    cf32s(g, "six", 6.0f);
    cf32s(g, "sixth", 1.0f / 6.0f);
    /* 1: conv -> x*Clip(x+3,0,6)/6 (PP-OCRv4: Add -> Clip -> Mul(x, clip) -> Div(., 6)) */
    NODE(g, "Conv", "c1", L("x", "W"), L("a"));
    NODE(g, "Add", "add1", L("a", "three"), L("a3"));
    NODE(g, "Clip", "clip1", L("a3", "zero", "six"), L("ac"));
    NODE(g, "Mul", "mul1", L("a", "ac"), L("am"));
    NODE(g, "Div", "div1", L("am", "six"), L("y1"));
    /* 2: PP-OCRv4's LearnableAffineBlock producer (an Add), Mul by 1/6, operands swapped */
    cf32s(g, "sc", 1.5f);
    NODE(g, "Mul", "lab_mul", L("sc", "x"), L("lm"));
    NODE(g, "Add", "lab_add", L("lm", "sc"), L("b"));
    NODE(g, "Add", "add2", L("three", "b"), L("b3"));
    NODE(g, "Clip", "clip2", L("b3", "zero", "six"), L("bc"));
    NODE(g, "Mul", "mul2", L("bc", "b"), L("bm"));
    NODE(g, "Mul", "div2", L("sixth", "bm"), L("y2"));
    /* 3: Clip / 6 first, then * x */
    NODE(g, "Conv", "c3", L("x", "W"), L("c"));
    NODE(g, "Add", "add3", L("c", "three"), L("c3"));
    NODE(g, "Clip", "clip3", L("c3", "zero", "six"), L("cc"));
    NODE(g, "Div", "div3", L("cc", "six"), L("cd"));
    NODE(g, "Mul", "mul3", L("c", "cd"), L("y3"));
    /* 4: x * HardSigmoid(x, 1/6, 1/2) (PyTorch before op set 14) */
    NODE(g, "Conv", "c4", L("x", "W"), L("d"));
    NODEA(g, "HardSigmoid", "hs4", L("d"), L("dh"),
          ((oclnn_attr[]){{.name = "alpha", .type = OCLNN_ATTR_FLOAT, .f = 0.1666667014f},
                          {.name = "beta", .type = OCLNN_ATTR_FLOAT, .f = 0.5f}}));
    NODE(g, "Mul", "mul4", L("dh", "d"), L("y4"));
    /* 5: SE block: GlobalAveragePool -> Conv -> Relu -> Conv -> HardSigmoid(0.2) -> Mul(x, s) */
    NODE(g, "GlobalAveragePool", "gap", L("x"), L("p"));
    NODE(g, "Conv", "se1", L("p", "W"), L("s1"));
    NODE(g, "Relu", "se_relu", L("s1"), L("s2"));
    NODE(g, "Conv", "se2", L("s2", "W"), L("s3"));
    NODE(g, "HardSigmoid", "se_hs", L("s3"), L("s4"));
    NODE(g, "Mul", "se_mul", L("x", "s4"), L("y5"));
    /* 6: Clip bounds other than 0..6, and an intermediate that is used twice: left alone */
    NODE(g, "Conv", "c6", L("x", "W"), L("e"));
    NODE(g, "Add", "add6", L("e", "three"), L("e3"));
    NODE(g, "Clip", "clip6", L("e3", "zero", "three"), L("ec"));
    NODE(g, "Mul", "mul6", L("e", "ec"), L("em"));
    NODE(g, "Div", "div6", L("em", "six"), L("y6"));
    NODE(g, "Conv", "c7", L("x", "W"), L("f"));
    NODE(g, "Add", "add7", L("f", "three"), L("f3"));
    NODE(g, "Clip", "clip7", L("f3", "zero", "six"), L("fc"));
    NODE(g, "Mul", "mul7", L("f", "fc"), L("fm"));
    NODE(g, "Div", "div7", L("fm", "six"), L("y7"));
    FOR_EACH(o, "y1", "y2", "y3", "y4", "y5", "y6", "y7", "fc") { assert_ok(ctx, oclnn_graph_add_output(g, *o)); }
    fuse(g, 1);
    static const struct {
        const char *producer, *display, *out;
    } want[] = {
        {"c1", "Conv+HardSwish", "y1"},
        {"lab_add", "Add+HardSwish", "y2"},
        {"c3", "Conv+HardSwish", "y3"},
        {"c4", "Conv+HardSwish", "y4"},
    };
    for (size_t i = 0; i < 4; i++) {
        oclnn_ir_node *p = node(g, want[i].producer);
        assert_false(p->dead);
        assert_int_equal(p->fuse.activation, OCLNN_ACTIVATION_HARD_SWISH);
        assert_string_equal(p->display_op, want[i].display);
        assert_int_equal(p->outputs[0], vid(g, want[i].out));
    }
    FOR_EACH(n, "add1", "clip1", "mul1", "div1", "add2", "clip2", "mul2", "div2", "add3", "clip3", "div3", "mul3",
             "hs4", "mul4", "se_relu", "se_hs") {
        expect_dead(g, *n, 1);
    }
    /* the HardSwish nodes made on the way were fused in turn: no live HardSwish remains */
    size_t made = 0;
    for (size_t i = 0; i < g->num_nodes; i++)
        if (!strcmp(g->nodes[i].op_type, "HardSwish")) {
            made++;
            assert_true(g->nodes[i].dead);
        }
    assert_int_equal(made, 4);
    assert_int_equal(node(g, "se1")->fuse.activation, OCLNN_ACTIVATION_RELU);
    oclnn_ir_node *se2 = node(g, "se2");
    assert_int_equal(se2->fuse.activation, OCLNN_ACTIVATION_HARD_SIGMOID);
    assert_true(se2->fuse.alpha == 0.2f && se2->fuse.beta == 0.5f);
    assert_string_equal(se2->display_op, "Conv+HardSigmoid");
    expect_dead(g, "se_mul", 0);
    assert_int_equal(node(g, "se_mul")->inputs[1], vid(g, "s4"));
    /* cases 6 and 7 stay chains; their Clip then fuses into the Add before it as a plain activation */
    FOR_EACH(n, "c6", "c7") assert_int_equal(node(g, *n)->fuse.activation, OCLNN_ACTIVATION_NONE);
    FOR_EACH(n, "add6", "mul6", "div6", "add7", "mul7", "div7") expect_dead(g, *n, 0);
    assert_string_equal(node(g, "add6")->display_op, "Add+Clip");
    assert_true(node(g, "add6")->fuse.alpha == 0.0f && node(g, "add6")->fuse.beta == 3.0f);
    oclnn_graph_destroy(g);

    /* fuse = 0: the chain stays as it is */
    g = new_graph(11);
    input4(g, "x", 1, 4, 5, 5);
    cf32s(g, "three", 3.0f);
    cf32s(g, "zero", 0.0f);
    cf32s(g, "six", 6.0f);
    NODE(g, "Add", "add1", L("x", "three"), L("a3"));
    NODE(g, "Clip", "clip1", L("a3", "zero", "six"), L("ac"));
    NODE(g, "Mul", "mul1", L("x", "ac"), L("am"));
    NODE(g, "Div", "div1", L("am", "six"), L("y1"));
    assert_ok(ctx, oclnn_graph_add_output(g, "y1"));
    size_t before = g->num_nodes;
    fuse(g, 0);
    assert_int_equal(g->num_nodes, before);
    for (size_t i = 0; i < g->num_nodes; i++)
        assert_false(g->nodes[i].dead);
    /* fused: a standalone HardSwish node (x is an input, no producer to fuse into) */
    fuse(g, 1);
    assert_int_equal(g->num_nodes, before + 1);
    oclnn_ir_node *h = &g->nodes[before];
    assert_string_equal(h->op_type, "HardSwish");
    assert_false(h->dead);
    assert_int_equal(h->num_inputs, 1);
    assert_int_equal(h->inputs[0], vid(g, "x"));
    assert_int_equal(h->outputs[0], vid(g, "y1"));
    assert_int_equal(g->values[vid(g, "y1")].producer, (int)before);
    oclnn_graph_destroy(g);
}

static void test_identity_dropout(void **state) {
    (void)state;
    float w[4 * 3] = {0};
    for (int on = 0; on < 2; on++) {
        oclnn_graph *g = new_graph(13);
        input4(g, "x", 1, 3, 5, 5);
        cf32(g, "W", 4, (int64_t[]){4, 3, 1, 1}, w);
        NODE(g, "Conv", "conv", L("x", "W"), L("c"));
        NODE(g, "Identity", "id1", L("c"), L("i1"));
        NODE(g, "Dropout", "drop", L("i1"), L("i2"));
        NODE(g, "Relu", "relu", L("i2"), L("y"));
        NODE(g, "Identity", "id_out", L("x"), L("xo")); /* a graph output: kept */
        NODE(g, "Identity", "id_in", L("xo"), L("xi")); /* removed; its consumer reads xo */
        NODE(g, "Sigmoid", "sig", L("xi"), L("ys"));
        NODE(g, "Dropout", "drop_mask", L("x"), L("dm", "mask")); /* mask used: kept */
        NODE(g, "Cast", "use_mask", L("mask"), L("ym"));
        assert_ok(ctx, oclnn_graph_add_output(g, "y"));
        assert_ok(ctx, oclnn_graph_add_output(g, "xo"));
        assert_ok(ctx, oclnn_graph_add_output(g, "ys"));
        assert_ok(ctx, oclnn_graph_add_output(g, "ym"));
        assert_ok(ctx, oclnn_graph_add_output(g, "dm"));
        fuse(g, on);
        expect_dead(g, "id1", 1);
        expect_dead(g, "drop", 1);
        expect_dead(g, "id_out", 0);
        expect_dead(g, "id_in", 1);
        expect_dead(g, "drop_mask", 0);
        assert_int_equal(node(g, "sig")->inputs[0], vid(g, "xo"));
        if (on) {
            expect_dead(g, "relu", 1);
            assert_int_equal(node(g, "conv")->fuse.activation, OCLNN_ACTIVATION_RELU);
            assert_int_equal(node(g, "conv")->outputs[0], vid(g, "y"));
        } else {
            expect_dead(g, "relu", 0);
            assert_int_equal(node(g, "relu")->inputs[0], vid(g, "c"));
            assert_null(node(g, "conv")->display_op);
        }
        oclnn_graph_destroy(g);
    }
}

/* A Pad whose pads are all zero (torch's export before DenseNet's AveragePools) is an Identity; one that pads is
 * kept, and so is the attribute form with a nonzero pad. */
static void test_zero_pad(void **state) {
    (void)state;
    oclnn_graph *g = new_graph(13);
    input4(g, "x", 1, 3, 5, 5);
    int64_t zeros[8] = {0}, ones[8] = {0, 0, 1, 1, 0, 0, 1, 1};
    ci64(g, "p0", 1, (int64_t[]){8}, zeros);
    ci64(g, "p1", 1, (int64_t[]){8}, ones);
    NODE(g, "Pad", "pad0", L("x", "p0"), L("a"));
    NODE(g, "Pad", "pad1", L("a", "p1"), L("b"));
    NODE(g, "Relu", "relu", L("b"), L("y"));
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    fuse(g, 0);
    expect_dead(g, "pad0", 1);
    expect_dead(g, "pad1", 0);
    assert_int_equal(node(g, "pad1")->inputs[0], vid(g, "x"));
    oclnn_graph_destroy(g);
}

static void test_remove_dead(void **state) {
    (void)state;
    oclnn_graph *g = new_graph(13);
    input4(g, "x", 1, 3, 5, 5);
    NODE(g, "Relu", "a", L("x"), L("a_o"));
    NODE(g, "Sigmoid", "unused1", L("a_o"), L("u1"));
    NODE(g, "Tanh", "unused2", L("u1"), L("u2"));
    NODE(g, "Split", "split", L("a_o"), L("s0", "s1")); /* one output needed keeps it */
    NODE(g, "Relu", "b", L("s1"), L("y"));
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    assert_ok(ctx, oclnn_ir_remove_dead(g));
    expect_dead(g, "a", 0);
    expect_dead(g, "unused1", 1);
    expect_dead(g, "unused2", 1);
    expect_dead(g, "split", 0);
    expect_dead(g, "b", 0);
    assert_int_equal(oclnn_graph_num_nodes(g), 3);
    oclnn_graph_destroy(g);
}

/* 100,000-node chains: no recursion anywhere (this also runs under ASan, whose stack frames are larger). */
static void test_long_chains(void **state) {
    (void)state;
    enum { N = 100000 };
    oclnn_graph *g = new_graph(13);
    input4(g, "x", 1, 3, 5, 5);
    char a[32], b[32];
    for (int i = 0; i < N; i++) {
        if (i)
            snprintf(a, sizeof a, "r%d", i - 1);
        else
            snprintf(a, sizeof a, "x");
        snprintf(b, sizeof b, "r%d", i);
        add_node_(g, i % 2 ? "Relu" : "Identity", NULL, (const char *const[]){a}, 1, (const char *const[]){b}, 1, NULL,
                  0);
    }
    for (int i = 0; i < N; i++) { /* a second chain nobody reads */
        if (i)
            snprintf(a, sizeof a, "d%d", i - 1);
        else
            snprintf(a, sizeof a, "x");
        snprintf(b, sizeof b, "d%d", i);
        add_node_(g, "Relu", NULL, (const char *const[]){a}, 1, (const char *const[]){b}, 1, NULL, 0);
    }
    snprintf(b, sizeof b, "r%d", N - 1);
    assert_ok(ctx, oclnn_graph_add_output(g, b));
    fuse(g, 1);
    assert_int_equal(oclnn_graph_num_nodes(g), N / 2); /* the Relus; Identities and the unread chain are gone */
    oclnn_graph_destroy(g);

    /* folding a chain of constants in one walk */
    g = new_graph(13);
    ci64v(g, "c", 3, (int64_t[]){1, -2, 3});
    for (int i = 0; i < N; i++) {
        if (i)
            snprintf(a, sizeof a, "n%d", i - 1);
        else
            snprintf(a, sizeof a, "c");
        snprintf(b, sizeof b, "n%d", i);
        add_node_(g, "Neg", NULL, (const char *const[]){a}, 1, (const char *const[]){b}, 1, NULL, 0);
    }
    assert_ok(ctx, oclnn_graph_add_output(g, b));
    fold(g, 1);
    expect_i64(g, b, 1, (int64_t[]){3}, (int64_t[]){1, -2, 3}); /* an even number of negations */
    assert_int_equal(oclnn_graph_num_nodes(g), 0);
    oclnn_graph_destroy(g);
}

static void test_null_args(void **state) {
    (void)state;
    int changed;
    assert_int_equal(oclnn_ir_fold_constants(NULL, &changed), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_int_equal(oclnn_ir_fuse(NULL, NULL), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_int_equal(oclnn_ir_remove_dead(NULL), OCLNN_STATUS_INVALID_ARGUMENT);
    /* a cycle is reported, naming a node on it */
    oclnn_graph *g = new_graph(13);
    NODE(g, "Relu", "loop_a", L("q"), L("p"));
    NODE(g, "Relu", "loop_b", L("p"), L("q"));
    assert_ok(ctx, oclnn_graph_add_output(g, "q"));
    expect_error(oclnn_ir_fuse(g, NULL), OCLNN_STATUS_INVALID_MODEL, "loop_");
    expect_error(oclnn_ir_fold_constants(g, &changed), OCLNN_STATUS_INVALID_MODEL, "loop_");
    oclnn_graph_destroy(g);
}

/* One graph exercising every pass, built and rewritten on @p c; *verified when the result has the expected form.
 * Every call goes through the status so that an allocation failure anywhere surfaces as a status. */
static oclnn_status oom_scenario(oclnn_context *c, int *verified) {
    oclnn_graph *g = NULL;
    float w[4 * 4], v[4] = {1, 2, 3, 4}, three = 3, zero = 0, six = 6;
    for (int i = 0; i < 16; i++)
        w[i] = (float)i / 8;
    int64_t wd[4] = {4, 4, 1, 1}, vd = 4, xd[4] = {1, 4, 5, 5}, one = 1, idx1 = 1, axes0 = 0, minus1 = -1;
    oclnn_attr ax0 = {.name = "axis", .type = OCLNN_ATTR_INT, .i = 0};
    oclnn_status s;
    int changed;
#define T(call)                                                                                                        \
    if ((s = (call)) != OCLNN_STATUS_OK) goto out
    T(oclnn_graph_create(c, &g));
    T(oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd));
    T(oclnn_graph_add_input(g, "skip", OCLNN_DTYPE_F32, 4, xd));
    T(oclnn_graph_add_constant(g, "W", OCLNN_DTYPE_F32, 4, wd, w));
    T(oclnn_graph_add_constant(g, "v", OCLNN_DTYPE_F32, 1, &vd, v));
    T(oclnn_graph_add_constant(g, "three", OCLNN_DTYPE_F32, 0, NULL, &three));
    T(oclnn_graph_add_constant(g, "zero", OCLNN_DTYPE_F32, 0, NULL, &zero));
    T(oclnn_graph_add_constant(g, "six", OCLNN_DTYPE_F32, 0, NULL, &six));
    T(oclnn_graph_add_constant(g, "idx1", OCLNN_DTYPE_I64, 0, NULL, &idx1));
    T(oclnn_graph_add_constant(g, "axes0", OCLNN_DTYPE_I64, 1, &one, &axes0));
    T(oclnn_graph_add_constant(g, "minus1", OCLNN_DTYPE_I64, 1, &one, &minus1));
    T(oclnn_graph_add_node(g, "Identity", "id", 1, S("x"), 1, S("xi"), 0, NULL));
    T(oclnn_graph_add_node(g, "Conv", "conv", 3, S("xi", "W", "v"), 1, S("c"), 0, NULL));
    T(oclnn_graph_add_node(g, "BatchNormalization", "bn", 5, S("c", "v", "v", "v", "v"), 1, S("b"), 0, NULL));
    T(oclnn_graph_add_node(g, "Add", "add", 2, S("b", "skip"), 1, S("a"), 0, NULL));
    T(oclnn_graph_add_node(g, "Relu", "relu", 1, S("a"), 1, S("y"), 0, NULL));
    T(oclnn_graph_add_node(g, "Conv", "conv2", 2, S("y", "W"), 1, S("h"), 0, NULL));
    T(oclnn_graph_add_node(g, "Add", "h_add", 2, S("h", "three"), 1, S("h3"), 0, NULL));
    T(oclnn_graph_add_node(g, "Clip", "h_clip", 3, S("h3", "zero", "six"), 1, S("hc"), 0, NULL));
    T(oclnn_graph_add_node(g, "Mul", "h_mul", 2, S("h", "hc"), 1, S("hm"), 0, NULL));
    T(oclnn_graph_add_node(g, "Div", "h_div", 2, S("hm", "six"), 1, S("hs"), 0, NULL));
    T(oclnn_graph_add_node(g, "Shape", "shape", 1, S("hs"), 1, S("sh"), 0, NULL));
    T(oclnn_graph_add_node(g, "Gather", "gather", 2, S("sh", "idx1"), 1, S("n"), 1, &ax0));
    T(oclnn_graph_add_node(g, "Unsqueeze", "unsq", 2, S("n", "axes0"), 1, S("nu"), 0, NULL));
    T(oclnn_graph_add_node(g, "Concat", "cat", 2, S("nu", "minus1"), 1, S("shape2"), 1, &ax0));
    T(oclnn_graph_add_node(g, "Reshape", "reshape", 2, S("hs", "shape2"), 1, S("out"), 0, NULL));
    T(oclnn_graph_add_output(g, "out"));
    /* shapes as inference would set them */
    const char *known[] = {"xi", "c", "b", "a", "y", "h", "h3", "hc", "hm", "hs"};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
        oclnn_ir_value *val = &g->values[oclnn_ir_find(g, known[i])];
        val->has_shape = 1;
        val->ndim = 4;
        memcpy(val->dims, xd, sizeof xd);
    }
    T(oclnn_ir_fold_constants(g, &changed));
    T(oclnn_ir_fuse(g, NULL));
    oclnn_ir_node *cv = node(g, "conv"), *cv2 = node(g, "conv2");
    const oclnn_ir_value *sh2 = &g->values[oclnn_ir_find(g, "shape2")];
    *verified = changed && !strcmp(cv->display_op, "Conv+BatchNormalization+Add+Relu") &&
                cv->inputs[0] == oclnn_ir_find(g, "x") && cv->inputs[3] == oclnn_ir_find(g, "skip") &&
                !strcmp(cv2->display_op, "Conv+HardSwish") && sh2->kind == OCLNN_IR_CONSTANT &&
                ((const int64_t *)sh2->data)[0] == 4 && ((const int64_t *)sh2->data)[1] == -1 &&
                oclnn_graph_num_nodes(g) == 3;
#undef T
out:
    oclnn_graph_destroy(g);
    return s;
}

/* Each host allocation of building, folding and fusing fails in turn: OUT_OF_HOST_MEMORY with a message, nothing
 * leaked; the first pass without a failure gives the verified result. */
static void test_out_of_memory(void **state) {
    (void)state;
    test_alloc ta;
    test_alloc_init(&ta);
    oclnn_context_options o;
    test_options(&o, test_tmpdir("passes-oom"));
    o.allocator = &ta.hooks;
    o.log_level = OCLNN_LOG_NONE;
    oclnn_context *c = NULL;
    assert_ok(NULL, oclnn_context_create(&o, &c));
    int verified = 0;
    long live0 = ta.live, start = ta.calls;
    assert_ok(c, oom_scenario(c, &verified));
    assert_true(verified);
    long total = ta.calls - start, failures = 0;
    for (long k = 1; k <= total; k++) {
        ta.fail_at = ta.calls + k;
        verified = 0;
        oclnn_status st = oom_scenario(c, &verified);
        ta.fail_at = 0;
        if (st && st != OCLNN_STATUS_OUT_OF_HOST_MEMORY)
            fail_msg("allocation %ld: unexpected %s: %s", k, oclnn_status_name(st), oclnn_last_error(c));
        if (!st && !verified) fail_msg("allocation %ld: OK but the graph is not as expected", k);
        if (st && !oclnn_last_error(c)[0]) fail_msg("allocation %ld: no message", k);
        failures += st != OCLNN_STATUS_OK;
        if (ta.live != live0) fail_msg("allocation %ld failed: %ld allocations leaked", k, ta.live - live0);
    }
    printf("# %ld host allocations, %ld failures reported\n", total, failures);
    assert_int_equal(failures, total); /* no allocation of these passes is optional */
    oclnn_context_destroy(c);
    assert_int_equal(ta.live, 0);
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    ctx = test_context(test_tmpdir("passes-cache"));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_flatten_subgraph),
        cmocka_unit_test(test_fold_shape_size),
        cmocka_unit_test(test_fold_binary_broadcast),
        cmocka_unit_test(test_fold_variadic_where_unary),
        cmocka_unit_test(test_fold_cast),
        cmocka_unit_test(test_fold_gather),
        cmocka_unit_test(test_fold_squeeze_unsqueeze),
        cmocka_unit_test(test_fold_concat_slice),
        cmocka_unit_test(test_fold_reshape_flatten),
        cmocka_unit_test(test_fold_generators),
        cmocka_unit_test(test_fold_reduce),
        cmocka_unit_test(test_fold_negative),
        cmocka_unit_test(test_fuse_bn),
        cmocka_unit_test(test_fuse_bn_not),
        cmocka_unit_test(test_fuse_affine),
        cmocka_unit_test(test_fuse_activations),
        cmocka_unit_test(test_fuse_residual),
        cmocka_unit_test(test_fuse_hardswish),
        cmocka_unit_test(test_identity_dropout),
        cmocka_unit_test(test_zero_pad),
        cmocka_unit_test(test_remove_dead),
        cmocka_unit_test(test_long_chains),
        cmocka_unit_test(test_null_args),
        cmocka_unit_test(test_out_of_memory),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    oclnn_context_destroy(ctx);
    return r || clw_live_objects() != 0;
}
