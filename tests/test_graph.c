/* test_graph.c - the graph runtime end to end: graphs built with the public builder, run, and compared with a
 * naive reference chain (tests/ref, double accumulation): Conv-BN-Relu-MaxPool at odd sizes (fused and node by
 * node, exact kernel counts), a residual block, a DenseNet block and an Inception module (exact arena bytes,
 * zero-copy concats, 1 vs 4 queues bitwise), reshape without program builds, a classifier head, Resize+Concat (FPN),
 * weights fed as graph inputs (compiled at the first invoke, recompiled when they change), 1-D Conv, ConvTranspose
 * and pools, 3-D max and average pooling, a negative table of exact statuses and messages, and failure sweeps (every
 * OpenCL call and host allocation of creating and of running a DenseNet block and an Inception module fails in turn).
 *
 * Accuracy: the reference carries, next to every value, a magnitude M (the same chain run on |x| with |weights|:
 * Conv M = sum |w| M_in + |b|, BN |a| M_in + |a mean| + |B|, Add M_a + M_b, pools and activations pass M through).
 * Every operator is within 1e-5 * M of its exact result on its actual inputs (README's contracts; winograd4x4 is
 * the loosest), errors carried from earlier layers are bounded by the same M, and the reference rounds to float
 * between layers as the device does; with at most 6 layers: |y - y_ref| <= 1e-4 * M + 1e-6 on every element.
 * Softmax outputs move by at most twice the largest input error: the same bound with M the row's largest M.
 */
#include "common.h"

#include <math.h>

#include "device/clw.h"
#include "op_faults.h"
#include "graph/ir.h"
#include "ref/argmax_ref.h"
#include "ref/conv2d_ref.h"
#include "ref/datamove_ref.h"
#include "ref/deconv3d_ref.h"
#include "ref/deconv_ref.h"
#include "ref/eltwise_ref.h"
#include "ref/gemm_ref.h"
#include "ref/lrn_ref.h"
#include "ref/pool_ref.h"
#include "ref/softmax_ref.h"

#define TOL_REL 1e-4
#define TOL_ABS 1e-6

static const char *cache_dir;

/* ---- reference tensors: float values (as the device holds them) and double magnitudes ---- */

typedef struct tt {
    int n, c, h, w;
    float *v;
    double *m;
} tt;

static size_t tt_count(const tt *t) { return (size_t)t->n * t->c * t->h * t->w; }

static tt tt_new(int n, int c, int h, int w) {
    tt t = {n, c, h, w, NULL, NULL};
    t.v = calloc(tt_count(&t), sizeof *t.v);
    t.m = calloc(tt_count(&t), sizeof *t.m);
    assert_non_null(t.v);
    assert_non_null(t.m);
    return t;
}

static void tt_free(tt *t) {
    free(t->v);
    free(t->m);
    t->v = NULL;
    t->m = NULL;
}

static tt tt_random(uint64_t *seed, int n, int c, int h, int w) {
    tt t = tt_new(n, c, h, w);
    for (size_t i = 0; i < tt_count(&t); i++) {
        t.v[i] = test_rand_float(seed, -1, 1);
        t.m[i] = fabs(t.v[i]);
    }
    return t;
}

static float *rand_vec(uint64_t *seed, size_t count, float lo, float hi) {
    float *p = malloc(count * sizeof *p);
    assert_non_null(p);
    for (size_t i = 0; i < count; i++)
        p[i] = test_rand_float(seed, lo, hi);
    return p;
}

/* Conv (ONNX semantics, symmetric pads, stride 1 or 2) with an optional Relu. */
static tt ref_conv(const tt *x, const float *wt, const float *bias, int k, int kh, int kw, int stride, int pad,
                   int relu) {
    conv2d_ref_params p = {0};
    p.n = x->n, p.c = x->c, p.h = x->h, p.w = x->w, p.k = k, p.kh = kh, p.kw = kw, p.sh = p.sw = stride;
    p.dh = p.dw = 1, p.pad_top = p.pad_left = pad, p.groups = 1;
    p.oh = (x->h + 2 * pad - kh) / stride + 1, p.ow = (x->w + 2 * pad - kw) / stride + 1;
    tt y = tt_new(x->n, k, p.oh, p.ow);
    size_t ny = tt_count(&y), nw = (size_t)k * x->c * kh * kw;
    double *yd = malloc(ny * sizeof *yd), *md = malloc(ny * sizeof *md), *mm = malloc(ny * sizeof *mm);
    float *xm = malloc(tt_count(x) * sizeof *xm), *wa = malloc(nw * sizeof *wa), *ba = malloc((size_t)k * sizeof *ba);
    for (size_t i = 0; i < tt_count(x); i++)
        xm[i] = (float)x->m[i];
    for (size_t i = 0; i < nw; i++)
        wa[i] = fabsf(wt[i]);
    for (int i = 0; i < k; i++)
        ba[i] = bias ? fabsf(bias[i]) : 0;
    p.act = relu ? 1 : 0;
    conv2d_ref(&p, x->v, wt, bias, NULL, yd, md);
    p.act = 0;
    conv2d_ref(&p, xm, wa, ba, NULL, mm, md);
    for (size_t i = 0; i < ny; i++) {
        y.v[i] = (float)yd[i];
        y.m[i] = mm[i];
    }
    free(yd), free(md), free(mm), free(xm), free(wa), free(ba);
    return y;
}

static tt ref_bn(const tt *x, const float *sc, const float *b, const float *mean, const float *var, float eps) {
    tt y = tt_new(x->n, x->c, x->h, x->w);
    size_t hw = (size_t)x->h * x->w;
    for (size_t i = 0; i < tt_count(x); i++) {
        size_t c = i / hw % (size_t)x->c;
        double a = sc[c] / sqrt((double)var[c] + eps);
        y.v[i] = (float)(a * ((double)x->v[i] - mean[c]) + b[c]);
        y.m[i] = fabs(a) * x->m[i] + fabs(a * mean[c]) + fabs(b[c]);
    }
    return y;
}

static tt ref_relu(const tt *x) {
    tt y = tt_new(x->n, x->c, x->h, x->w);
    for (size_t i = 0; i < tt_count(x); i++) {
        y.v[i] = x->v[i] > 0 ? x->v[i] : 0;
        y.m[i] = x->m[i];
    }
    return y;
}

static tt ref_add(const tt *a, const tt *b, int relu) {
    tt y = tt_new(a->n, a->c, a->h, a->w);
    for (size_t i = 0; i < tt_count(a); i++) {
        double s = (double)a->v[i] + b->v[i];
        y.v[i] = (float)(relu && s < 0 ? 0 : s);
        y.m[i] = a->m[i] + b->m[i];
    }
    return y;
}

/* MaxPool k x k, stride s, no padding, floor mode (the magnitudes: the window's largest). */
static tt ref_maxpool(const tt *x, int k, int s) {
    pool_ref_params p = {0};
    p.type = 0, p.n = x->n, p.c = x->c, p.h = x->h, p.w = x->w, p.kh = p.kw = k, p.sh = p.sw = s, p.dh = p.dw = 1;
    p.oh = (x->h - k) / s + 1, p.ow = (x->w - k) / s + 1, p.p = 2;
    tt y = tt_new(x->n, x->c, p.oh, p.ow);
    size_t ny = tt_count(&y);
    double *yd = malloc(ny * sizeof *yd), *wm = malloc(ny * sizeof *wm);
    float *xm = malloc(tt_count(x) * sizeof *xm);
    for (size_t i = 0; i < tt_count(x); i++)
        xm[i] = (float)x->m[i];
    pool_ref(&p, x->v, yd, wm);
    for (size_t i = 0; i < ny; i++)
        y.v[i] = (float)yd[i];
    pool_ref(&p, xm, yd, wm);
    for (size_t i = 0; i < ny; i++)
        y.m[i] = yd[i];
    free(yd), free(wm), free(xm);
    return y;
}

/* MaxPool 3x3 stride 1 pad 1 (Inception's pool branch). */
static tt ref_maxpool_same3(const tt *x) {
    tt y = tt_new(x->n, x->c, x->h, x->w);
    for (int nc = 0; nc < x->n * x->c; nc++)
        for (int i = 0; i < x->h; i++)
            for (int j = 0; j < x->w; j++) {
                float best = -INFINITY;
                double bm = 0;
                for (int a = i - 1; a <= i + 1; a++)
                    for (int b = j - 1; b <= j + 1; b++) {
                        if (a < 0 || b < 0 || a >= x->h || b >= x->w) continue;
                        size_t o = ((size_t)nc * x->h + a) * x->w + b;
                        if (x->v[o] > best) best = x->v[o];
                        if (x->m[o] > bm) bm = x->m[o];
                    }
                size_t o = ((size_t)nc * x->h + i) * x->w + j;
                y.v[o] = best;
                y.m[o] = bm;
            }
    return y;
}

static tt tt_concat(const tt *const *parts, int count) {
    int c = 0;
    for (int i = 0; i < count; i++)
        c += parts[i]->c;
    tt y = tt_new(parts[0]->n, c, parts[0]->h, parts[0]->w);
    size_t hw = (size_t)y.h * y.w;
    for (int n = 0; n < y.n; n++) {
        int off = 0;
        for (int i = 0; i < count; i++) {
            size_t len = (size_t)parts[i]->c * hw;
            memcpy(y.v + ((size_t)n * c + off) * hw, parts[i]->v + n * len, len * sizeof(float));
            memcpy(y.m + ((size_t)n * c + off) * hw, parts[i]->m + n * len, len * sizeof(double));
            off += parts[i]->c;
        }
    }
    return y;
}

/* Checks the device output against the reference on every element. */
static void check_close(const char *what, const float *y, const tt *ref) {
    double worst = 0;
    for (size_t i = 0; i < tt_count(ref); i++) {
        double err = fabs((double)y[i] - ref->v[i]), bound = TOL_REL * ref->m[i] + TOL_ABS;
        if (!(err <= bound))
            fail_msg("%s: element %zu is %.9g, reference %.9g (error %.3g > bound %.3g)", what, i, y[i], ref->v[i], err,
                     bound);
        if (err / bound > worst) worst = err / bound;
    }
    printf("  %s: %zu elements, worst error / bound = %.3f\n", what, tt_count(ref), worst);
}

/* ---- graph building ---- */

static void add_const(oclnn_graph *g, const char *name, size_t ndim, const int64_t *dims, const float *data) {
    assert_ok(NULL, oclnn_graph_add_constant(g, name, OCLNN_DTYPE_F32, ndim, dims, data));
}

static void add_node(oclnn_graph *g, const char *op, const char *name, size_t nin, const char *const *ins,
                     const char *out, size_t nattr, const oclnn_attr *attrs) {
    assert_ok(NULL, oclnn_graph_add_node(g, op, name, nin, ins, 1, &out, nattr, attrs));
}

static oclnn_attr attr_ints(const char *name, size_t count, const int64_t *v) {
    oclnn_attr a = {0};
    a.name = name, a.type = OCLNN_ATTR_INTS, a.count = count, a.ints = v;
    return a;
}

static oclnn_attr attr_int(const char *name, int64_t v) {
    oclnn_attr a = {0};
    a.name = name, a.type = OCLNN_ATTR_INT, a.i = v;
    return a;
}

static oclnn_attr attr_float(const char *name, float v) {
    oclnn_attr a = {0};
    a.name = name, a.type = OCLNN_ATTR_FLOAT, a.f = v;
    return a;
}

static oclnn_attr attr_str(const char *name, const char *v) {
    oclnn_attr a = {0};
    a.name = name, a.type = OCLNN_ATTR_STRING, a.s = v;
    return a;
}

/* A Conv node "name" with weights "name_w" and bias "name_b" (random, scaled by 1/sqrt(fan-in)); the weights are
 * returned for the reference (the caller frees them). */
static void conv_node(oclnn_graph *g, uint64_t *seed, const char *name, const char *in, const char *out, int c, int k,
                      int ks, int stride, int pad, float **w, float **b) {
    char wn[64], bn[64];
    snprintf(wn, sizeof wn, "%s_w", name);
    snprintf(bn, sizeof bn, "%s_b", name);
    float r = 1.0f / sqrtf((float)(c * ks * ks));
    *w = rand_vec(seed, (size_t)k * c * ks * ks, -r, r);
    *b = rand_vec(seed, (size_t)k, -0.5f, 0.5f);
    int64_t wd[4] = {k, c, ks, ks}, bd[1] = {k};
    add_const(g, wn, 4, wd, *w);
    add_const(g, bn, 1, bd, *b);
    int64_t kshape[2] = {ks, ks}, strides[2] = {stride, stride}, pads[4] = {pad, pad, pad, pad};
    oclnn_attr at[3] = {attr_ints("kernel_shape", 2, kshape), attr_ints("strides", 2, strides),
                        attr_ints("pads", 4, pads)};
    const char *ins[3] = {in, wn, bn};
    add_node(g, "Conv", name, 3, ins, out, 3, at);
}

typedef struct bn_w {
    float *sc, *b, *mean, *var;
} bn_w;

static bn_w bn_node(oclnn_graph *g, uint64_t *seed, const char *name, const char *in, const char *out, int c) {
    bn_w p = {rand_vec(seed, (size_t)c, 0.5f, 1.5f), rand_vec(seed, (size_t)c, -0.5f, 0.5f),
              rand_vec(seed, (size_t)c, -0.3f, 0.3f), rand_vec(seed, (size_t)c, 0.5f, 2.0f)};
    const char *suffix[4] = {"s", "b", "m", "v"};
    float *data[4] = {p.sc, p.b, p.mean, p.var};
    char names[4][64];
    int64_t d[1] = {c};
    for (int i = 0; i < 4; i++) {
        snprintf(names[i], sizeof names[i], "%s_%s", name, suffix[i]);
        add_const(g, names[i], 1, d, data[i]);
    }
    const char *ins[5] = {in, names[0], names[1], names[2], names[3]};
    oclnn_attr eps = attr_float("epsilon", 1e-5f);
    add_node(g, "BatchNormalization", name, 5, ins, out, 1, &eps);
    return p;
}

static void bn_free(bn_w *p) { free(p->sc), free(p->b), free(p->mean), free(p->var); }

static void relu_node(oclnn_graph *g, const char *name, const char *in, const char *out) {
    add_node(g, "Relu", name, 1, &in, out, 0, NULL);
}

static oclnn_runtime *make_rt(oclnn_context *ctx, oclnn_graph *g, int fuse, uint32_t queues, int views) {
    oclnn_runtime_options o;
    oclnn_runtime_options_init(&o);
    o.fuse = fuse;
    o.num_queues = queues;
    o.concat_views = views;
    oclnn_runtime *rt = NULL;
    assert_ok(ctx, oclnn_runtime_create(ctx, g, &o, &rt));
    return rt;
}

static float *run(oclnn_context *ctx, oclnn_runtime *rt, const char *in, const tt *x, const char *out, size_t count) {
    assert_ok(ctx, oclnn_runtime_set_input(rt, in, x->v, tt_count(x) * sizeof(float)));
    assert_ok(ctx, oclnn_runtime_invoke(rt));
    float *y = malloc(count * sizeof *y);
    assert_non_null(y);
    assert_ok(ctx, oclnn_runtime_get_output(rt, out, y, count * sizeof *y));
    return y;
}

/* ---- Conv -> BN -> Relu -> MaxPool, fused and node by node ---- */

static void test_conv_bn_relu_pool(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    uint64_t seed = TEST_SEED ^ 1;
    oclnn_graph *g;
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    int64_t xd[4] = {1, 5, 23, 19};
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd));
    float *w, *b;
    conv_node(g, &seed, "conv", "x", "c", 5, 7, 3, 1, 1, &w, &b);
    bn_w bn = bn_node(g, &seed, "bn", "c", "n", 7);
    relu_node(g, "relu", "n", "r");
    int64_t k3[2] = {3, 3}, s2[2] = {2, 2};
    oclnn_attr pa[2] = {attr_ints("kernel_shape", 2, k3), attr_ints("strides", 2, s2)};
    const char *pin = "r";
    add_node(g, "MaxPool", "pool", 1, &pin, "y", 2, pa);
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));

    tt x = tt_random(&seed, 1, 5, 23, 19);
    tt c = ref_conv(&x, w, b, 7, 3, 3, 1, 1, 0), n = ref_bn(&c, bn.sc, bn.b, bn.mean, bn.var, 1e-5f);
    tt r = ref_relu(&n), y = ref_maxpool(&r, 3, 2);
    assert_int_equal(y.h, 11);
    assert_int_equal(y.w, 9);

    /* the direct algorithm: one kernel per conv, so the kernel counts are exact */
    setenv("OCLNN_CONV_ALGO", "direct", 1);
    oclnn_runtime *unfused = make_rt(ctx, g, 0, 1, 1), *fused = make_rt(ctx, g, 1, 1, 1);
    unsetenv("OCLNN_CONV_ALGO");
    float *yu = run(ctx, unfused, "x", &x, "y", tt_count(&y)), *yf = run(ctx, fused, "x", &x, "y", tt_count(&y));
    check_close("Conv-BN-Relu-MaxPool node by node", yu, &y);
    check_close("Conv-BN-Relu-MaxPool fused", yf, &y);
    oclnn_runtime_stats su, sf;
    assert_ok(ctx, oclnn_runtime_stats_get(unfused, &su));
    assert_ok(ctx, oclnn_runtime_stats_get(fused, &sf));
    assert_int_equal(su.steps, 4);
    assert_int_equal(su.kernels_per_invoke, 4); /* conv, bn, relu, pool */
    /* with fusion Conv+BN+Relu is one kernel and the pool another */
    assert_int_equal(sf.steps, 2);
    assert_int_equal(sf.kernels_per_invoke, 2);
    /* learned parameters as PyTorch counts them: weights, bias, BN's scale and shift (not its running statistics) */
    assert_int_equal(su.params, 7 * 5 * 9 + 7 + 2 * 7);
    assert_int_equal(sf.params, su.params);
    assert_int_equal(su.source_nodes, 4);
    assert_int_equal(su.macs >= (uint64_t)7 * 23 * 19 * 5 * 9, 1);
    oclnn_node_info info;
    assert_ok(ctx, oclnn_runtime_step_info(unfused, 0, &info));
    assert_string_equal(info.name, "conv");
    assert_string_equal(info.op_type, "Conv");
    assert_string_equal(info.algo, "direct");
    assert_int_equal(info.ndim, 4);
    assert_int_equal(info.dims[1], 7);
    assert_int_equal(info.params, 7 * 5 * 9 + 7);
    assert_int_equal(info.macs, (uint64_t)7 * 23 * 19 * 5 * 9);
    assert_int_equal(oclnn_runtime_step_info(unfused, 4, &info), OCLNN_STATUS_INVALID_ARGUMENT);
    /* naive = conv, bn, relu outputs (the pool's is a graph output); all chained: the arena holds two at once */
    assert_int_equal(su.naive_bytes, 3 * 7 * 23 * 19 * 4);
    assert_true(su.arena_bytes >= su.lower_bound_bytes);
    assert_true(su.lower_bound_bytes >= 2 * 7 * 23 * 19 * 4);
    assert_true(su.arena_bytes < su.naive_bytes);
    /* the graph may go away: the runtime keeps its own copy */
    oclnn_graph_destroy(g);
    free(yu);
    yu = run(ctx, unfused, "x", &x, "y", tt_count(&y));
    check_close("after the graph was destroyed", yu, &y);
    const char *dot = test_tmpdir("dot");
    char path[512];
    snprintf(path, sizeof path, "%s/g.dot", dot);
    assert_ok(ctx, oclnn_runtime_write_dot(unfused, path));
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char buf[256] = "";
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_non_null(strstr(buf, "digraph"));
    oclnn_runtime_destroy(unfused);
    oclnn_runtime_destroy(fused);
    free(yu), free(yf), free(w), free(b);
    bn_free(&bn);
    tt_free(&x), tt_free(&c), tt_free(&n), tt_free(&r), tt_free(&y);
    oclnn_context_destroy(ctx);
}

/* ---- residual block: Conv, Relu, Conv, Add(x), Relu ---- */

static void test_residual_block(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    uint64_t seed = TEST_SEED ^ 2;
    oclnn_graph *g;
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    int64_t xd[4] = {1, 6, 13, 11};
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd));
    float *w1, *b1, *w2, *b2;
    conv_node(g, &seed, "conv1", "x", "c1", 6, 6, 3, 1, 1, &w1, &b1);
    relu_node(g, "relu1", "c1", "r1");
    conv_node(g, &seed, "conv2", "r1", "c2", 6, 6, 3, 1, 1, &w2, &b2);
    const char *ai[2] = {"c2", "x"};
    add_node(g, "Add", "add", 2, ai, "s", 0, NULL);
    relu_node(g, "relu2", "s", "y");
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    tt x = tt_random(&seed, 1, 6, 13, 11);
    tt c1 = ref_conv(&x, w1, b1, 6, 3, 3, 1, 1, 1), c2 = ref_conv(&c1, w2, b2, 6, 3, 3, 1, 1, 0);
    tt y = ref_add(&c2, &x, 1);
    for (int fuse = 0; fuse <= 1; fuse++) {
        /* 4 queues asked of a one-queue context: capped, everything on queue 0 */
        oclnn_runtime *rt = make_rt(ctx, g, fuse, fuse ? 1 : 4, 1);
        for (size_t i = 0; i < oclnn_runtime_num_steps(rt); i++) {
            oclnn_node_info info;
            assert_ok(ctx, oclnn_runtime_step_info(rt, i, &info));
            assert_int_equal(info.queue, 0);
        }
        float *out = run(ctx, rt, "x", &x, "y", tt_count(&y));
        check_close(fuse ? "residual block fused" : "residual block node by node", out, &y);
        free(out);
        oclnn_runtime_destroy(rt);
    }
    oclnn_graph_destroy(g);
    free(w1), free(b1), free(w2), free(b2);
    tt_free(&x), tt_free(&c1), tt_free(&c2), tt_free(&y);
    oclnn_context_destroy(ctx);
}

/* ---- DenseNet block: chained concats share one buffer ---- */

static void test_densenet_block(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    uint64_t seed = TEST_SEED ^ 3;
    oclnn_graph *g;
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    /* 16 x 16 maps: one channel plane is 1024 bytes, so every buffer is a multiple of any base alignment <= 1024 */
    int64_t xd[4] = {1, 3, 16, 16};
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd));
    float *w[5], *b[5];
    bn_w bn[3];
    conv_node(g, &seed, "conv0", "x", "x0", 3, 8, 3, 1, 1, &w[0], &b[0]);
    const char *cat_in[4] = {"x0", "y1", "y2", "y3"};
    const char *bn_in[3] = {"x0", "c1", "c2"};
    const char *cat_out[3] = {"c1", "c2", "c3"};
    for (int l = 0; l < 3; l++) {
        char nb[16], nbo[16], nr[16], nro[16], nc[16];
        snprintf(nb, sizeof nb, "bn%d", l + 1), snprintf(nbo, sizeof nbo, "b%d", l + 1);
        snprintf(nr, sizeof nr, "relu%d", l + 1), snprintf(nro, sizeof nro, "r%d", l + 1);
        snprintf(nc, sizeof nc, "conv%d", l + 1);
        bn[l] = bn_node(g, &seed, nb, bn_in[l], nbo, 8 + 4 * l);
        relu_node(g, nr, nbo, nro);
        conv_node(g, &seed, nc, nro, cat_in[l + 1], 8 + 4 * l, 4, 3, 1, 1, &w[l + 1], &b[l + 1]);
        char cn[16];
        snprintf(cn, sizeof cn, "cat%d", l + 1);
        oclnn_attr ax = attr_int("axis", 1);
        add_node(g, "Concat", cn, (size_t)l + 2, cat_in, cat_out[l], 1, &ax);
    }
    conv_node(g, &seed, "trans", "c3", "y", 20, 8, 1, 1, 0, &w[4], &b[4]);
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));

    tt x = tt_random(&seed, 1, 3, 16, 16);
    tt feats[4];
    feats[0] = ref_conv(&x, w[0], b[0], 8, 3, 3, 1, 1, 0);
    tt cats[3];
    for (int l = 0; l < 3; l++) {
        const tt *parts[4] = {&feats[0], &feats[1], &feats[2], &feats[3]};
        const tt *in = l == 0 ? &feats[0] : &cats[l - 1];
        tt bo = ref_bn(in, bn[l].sc, bn[l].b, bn[l].mean, bn[l].var, 1e-5f);
        tt ro = ref_relu(&bo);
        feats[l + 1] = ref_conv(&ro, w[l + 1], b[l + 1], 4, 3, 3, 1, 1, 0);
        cats[l] = tt_concat(parts, l + 2);
        tt_free(&bo), tt_free(&ro);
    }
    tt y = ref_conv(&cats[2], w[4], b[4], 8, 1, 1, 1, 0, 0);

    oclnn_runtime *rt = make_rt(ctx, g, 0, 1, 1), *copy = make_rt(ctx, g, 0, 1, 0);
    float *out = run(ctx, rt, "x", &x, "y", tt_count(&y)), *out2 = run(ctx, copy, "x", &x, "y", tt_count(&y));
    check_close("DenseNet block, zero-copy concats", out, &y);
    check_close("DenseNet block, copying concats", out2, &y);
    /* Steps: conv0 0, bn1 1, relu1 2, conv1 3, cat1 4, bn2 5, relu2 6, conv2 7, cat2 8, bn3 9, relu3 10, conv3 11,
     * cat3 12, trans 13. With views x0, y1, y2, y3, c1 and c2 all live in cat3's buffer (20 planes = 20480 bytes),
     * live from step 0 (conv0 writes x0) to 13 (trans reads c3). The others (plane = 1024 bytes):
     *   b1 [1,2] 8192, r1 [2,3] 8192, b2 [5,6] 12288, r2 [6,7] 12288, b3 [9,10] 16384, r3 [10,11] 16384.
     * Greedy by size: c3 @0; b3 @20480; r3 @36864 (overlaps c3, b3); b2 @20480; r2 @32768; b1 @20480; r1 @28672.
     * Arena = 36864 + 16384 = 53248 = the lower bound (step 10: c3 + b3 + r3).
     * Naive: x0 8192, b1, r1 8192 each, y1 4096, c1 12288, b2, r2 12288 each, y2 4096, c2 16384, b3, r3 16384 each,
     * y3 4096, c3 20480: 143360. */
    oclnn_runtime_stats s;
    assert_ok(ctx, oclnn_runtime_stats_get(rt, &s));
    assert_int_equal(s.arena_bytes, 53248);
    assert_int_equal(s.lower_bound_bytes, 53248);
    assert_int_equal(s.naive_bytes, 143360);
    size_t views = 0;
    for (size_t i = 0; i < oclnn_runtime_num_steps(rt); i++) {
        oclnn_node_info info;
        assert_ok(ctx, oclnn_runtime_step_info(rt, i, &info));
        if (!strcmp(info.op_type, "Concat")) {
            assert_string_equal(info.algo, "view");
            assert_int_equal(info.kernels, 0);
            views++;
        }
    }
    assert_int_equal(views, 3);
    oclnn_runtime_stats s2;
    assert_ok(ctx, oclnn_runtime_stats_get(copy, &s2));
    /* the copying runtime differs only by its concats' kernels (the copies it enqueues) */
    uint32_t concat_kernels = 0;
    for (size_t i = 0; i < oclnn_runtime_num_steps(copy); i++) {
        oclnn_node_info info;
        assert_ok(ctx, oclnn_runtime_step_info(copy, i, &info));
        if (strcmp(info.op_type, "Concat")) continue;
        assert_string_equal(info.algo, "");
        assert_true(info.kernels >= 1);
        concat_kernels += info.kernels;
    }
    assert_int_equal(s2.kernels_per_invoke, s.kernels_per_invoke + concat_kernels);
    /* Copying concats: x0 [0,12] 8192, y1 [3,12], y2 [7,12], y3 [11,12] 4096 each, c1 [4,5] 12288, c2 [8,9] 16384,
     * c3 [12,13] 20480, b/r as above. Peak at steps 9 and 10: x0 + y1 + y2 + c2 + b3 (or b3 + r3) = 49152.
     * Greedy (ties by first step): c3 @0, c2 @0, b3 @16384, r3 @0, c1 @0, b2 @12288, r2 @0, x0 @32768, b1 @0,
     * r1 @8192, y1 @40960, y2 @45056, y3 @20480 (best fit): 49152. The zero-copy block buffer is live for the whole
     * block, so here the views cost 4096 bytes of arena and save the copies. */
    assert_int_equal(s2.arena_bytes, 49152);
    assert_int_equal(s2.lower_bound_bytes, 49152);
    free(out), free(out2);
    oclnn_runtime_destroy(rt);
    oclnn_runtime_destroy(copy);
    oclnn_graph_destroy(g);
    for (int i = 0; i < 5; i++)
        free(w[i]), free(b[i]);
    for (int i = 0; i < 3; i++)
        bn_free(&bn[i]), tt_free(&cats[i]);
    for (int i = 0; i < 4; i++)
        tt_free(&feats[i]);
    tt_free(&x), tt_free(&y);
    oclnn_context_destroy(ctx);
}

/* ---- Inception module: four branches on four queues ---- */

static void test_inception(void **state) {
    (void)state;
    oclnn_context_options co;
    test_options(&co, cache_dir);
    co.num_queues = 4;
    oclnn_context *ctx = NULL;
    assert_ok(NULL, oclnn_context_create(&co, &ctx));
    uint64_t seed = TEST_SEED ^ 4;
    oclnn_graph *g;
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    int64_t xd[4] = {1, 5, 16, 16};
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd));
    float *w[7], *b[7];
    conv_node(g, &seed, "stem", "x", "s", 5, 8, 3, 1, 1, &w[0], &b[0]);
    conv_node(g, &seed, "b1", "s", "o1", 8, 4, 1, 1, 0, &w[1], &b[1]);
    conv_node(g, &seed, "b2a", "s", "t2", 8, 4, 1, 1, 0, &w[2], &b[2]);
    conv_node(g, &seed, "b2b", "t2", "o2", 4, 6, 3, 1, 1, &w[3], &b[3]);
    conv_node(g, &seed, "b3a", "s", "t3", 8, 2, 1, 1, 0, &w[4], &b[4]);
    conv_node(g, &seed, "b3b", "t3", "o3", 2, 3, 5, 1, 2, &w[5], &b[5]);
    int64_t k3[2] = {3, 3}, p1[4] = {1, 1, 1, 1};
    oclnn_attr pa[2] = {attr_ints("kernel_shape", 2, k3), attr_ints("pads", 4, p1)};
    const char *pin = "s";
    add_node(g, "MaxPool", "pool", 1, &pin, "t4", 2, pa);
    conv_node(g, &seed, "b4", "t4", "o4", 8, 3, 1, 1, 0, &w[6], &b[6]);
    const char *ci[4] = {"o1", "o2", "o3", "o4"};
    oclnn_attr ax = attr_int("axis", 1);
    add_node(g, "Concat", "cat", 4, ci, "y", 1, &ax);
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));

    tt x = tt_random(&seed, 1, 5, 16, 16);
    tt s = ref_conv(&x, w[0], b[0], 8, 3, 3, 1, 1, 0);
    tt o1 = ref_conv(&s, w[1], b[1], 4, 1, 1, 1, 0, 0);
    tt t2 = ref_conv(&s, w[2], b[2], 4, 1, 1, 1, 0, 0), o2 = ref_conv(&t2, w[3], b[3], 6, 3, 3, 1, 1, 0);
    tt t3 = ref_conv(&s, w[4], b[4], 2, 1, 1, 1, 0, 0), o3 = ref_conv(&t3, w[5], b[5], 3, 5, 5, 1, 2, 0);
    tt t4 = ref_maxpool_same3(&s), o4 = ref_conv(&t4, w[6], b[6], 3, 1, 1, 1, 0, 0);
    const tt *parts[4] = {&o1, &o2, &o3, &o4};
    tt y = tt_concat(parts, 4);

    oclnn_runtime *r1 = make_rt(ctx, g, 0, 1, 1), *r4 = make_rt(ctx, g, 0, 4, 1);
    float *y1 = run(ctx, r1, "x", &x, "y", tt_count(&y)), *y4 = run(ctx, r4, "x", &x, "y", tt_count(&y));
    check_close("Inception, 1 queue", y1, &y);
    check_close("Inception, 4 queues", y4, &y);
    assert_memory_equal(y1, y4, tt_count(&y) * sizeof(float));
    /* Steps: stem 0, b1 1, b2a 2, b3a 3, pool 4, b2b 5, b3b 6, b4 7, cat 8; the concat writes y (a graph output)
     * in place. Arena: s 8 planes (8192 bytes), t2 4096, t3 2048, t4 8192; planes are 1024 bytes.
     * 1 queue: s [0,4], t2 [2,5], t3 [3,6], t4 [4,7]: all live at step 4, arena = lower bound = 22528.
     * 4 queues (b1 on the stem's queue 0, b2 1, b3 2, b4 3): every buffer stays live until the concat joins the
     * queues (s [0,7], t2 [2,7], t3 [3,7], t4 [4,7]) and the arena is again 22528, now with no reuse at all. */
    oclnn_runtime_stats st1, st4;
    assert_ok(ctx, oclnn_runtime_stats_get(r1, &st1));
    assert_ok(ctx, oclnn_runtime_stats_get(r4, &st4));
    assert_int_equal(st1.arena_bytes, 22528);
    assert_int_equal(st1.lower_bound_bytes, 22528);
    assert_int_equal(st4.arena_bytes, 22528);
    uint32_t used = 0;
    for (size_t i = 0; i < oclnn_runtime_num_steps(r4); i++) {
        oclnn_node_info info;
        assert_ok(ctx, oclnn_runtime_step_info(r4, i, &info));
        used |= 1u << info.queue;
        if (!strcmp(info.name, "b2b")) assert_int_equal(info.queue, 1);
        if (!strcmp(info.name, "b3b")) assert_int_equal(info.queue, 2);
        if (!strcmp(info.name, "b4")) assert_int_equal(info.queue, 3);
        if (!strcmp(info.name, "cat")) assert_int_equal(info.kernels, 0);
    }
    assert_int_equal(used, 0xF);
    /* repeated runs stay identical */
    for (int rep = 0; rep < 3; rep++) {
        float *again = run(ctx, r4, "x", &x, "y", tt_count(&y));
        assert_memory_equal(y1, again, tt_count(&y) * sizeof(float));
        free(again);
    }
    /* batch 2: the slices are no longer contiguous; the producers still write at their channel offsets */
    {
        const int64_t d2[4] = {2, 5, 16, 16};
        assert_ok(ctx, oclnn_runtime_reshape(r1, "x", 4, d2));
        assert_ok(ctx, oclnn_runtime_reshape(r4, "x", 4, d2));
        tt xb = tt_random(&seed, 2, 5, 16, 16);
        tt sb = ref_conv(&xb, w[0], b[0], 8, 3, 3, 1, 1, 0);
        tt p1 = ref_conv(&sb, w[1], b[1], 4, 1, 1, 1, 0, 0);
        tt q2 = ref_conv(&sb, w[2], b[2], 4, 1, 1, 1, 0, 0), p2 = ref_conv(&q2, w[3], b[3], 6, 3, 3, 1, 1, 0);
        tt q3 = ref_conv(&sb, w[4], b[4], 2, 1, 1, 1, 0, 0), p3 = ref_conv(&q3, w[5], b[5], 3, 5, 5, 1, 2, 0);
        tt q4 = ref_maxpool_same3(&sb), p4 = ref_conv(&q4, w[6], b[6], 3, 1, 1, 1, 0, 0);
        const tt *pb[4] = {&p1, &p2, &p3, &p4};
        tt yb = tt_concat(pb, 4);
        float *z1 = run(ctx, r1, "x", &xb, "y", tt_count(&yb)), *z4 = run(ctx, r4, "x", &xb, "y", tt_count(&yb));
        check_close("Inception batch 2, 1 queue", z1, &yb);
        check_close("Inception batch 2, 4 queues", z4, &yb);
        assert_memory_equal(z1, z4, tt_count(&yb) * sizeof(float));
        for (size_t i = 0; i < oclnn_runtime_num_steps(r4); i++) {
            oclnn_node_info info;
            assert_ok(ctx, oclnn_runtime_step_info(r4, i, &info));
            if (!strcmp(info.name, "cat")) assert_int_equal(info.kernels, 0);
        }
        free(z1), free(z4);
        tt_free(&xb), tt_free(&sb), tt_free(&p1), tt_free(&q2), tt_free(&p2), tt_free(&q3), tt_free(&p3);
        tt_free(&q4), tt_free(&p4), tt_free(&yb);
    }
    free(y1), free(y4);
    oclnn_runtime_destroy(r1);
    oclnn_runtime_destroy(r4);
    oclnn_graph_destroy(g);
    for (int i = 0; i < 7; i++)
        free(w[i]), free(b[i]);
    tt_free(&x), tt_free(&s), tt_free(&o1), tt_free(&t2), tt_free(&o2), tt_free(&t3), tt_free(&o3), tt_free(&t4);
    tt_free(&o4), tt_free(&y);
    oclnn_context_destroy(ctx);
}

/* ---- reshape: new input sizes, no program built ---- */

static void test_reshape(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    uint64_t seed = TEST_SEED ^ 5;
    oclnn_graph *g;
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    int64_t xd[4] = {1, 5, 23, 19};
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd));
    float *w, *b;
    conv_node(g, &seed, "conv", "x", "c", 5, 7, 3, 1, 1, &w, &b);
    relu_node(g, "relu", "c", "r");
    int64_t k3[2] = {3, 3}, s2[2] = {2, 2};
    oclnn_attr pa[2] = {attr_ints("kernel_shape", 2, k3), attr_ints("strides", 2, s2)};
    const char *pin = "r";
    add_node(g, "MaxPool", "pool", 1, &pin, "y", 2, pa);
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    oclnn_runtime *rt = make_rt(ctx, g, 1, 1, 1);
    const int64_t sizes[3][4] = {{1, 5, 23, 19}, {2, 5, 31, 17}, {1, 5, 9, 41}};
    oclnn_cache_stats before, after;
    for (int i = 0; i < 3; i++) {
        if (i == 1) assert_ok(ctx, oclnn_context_cache_stats(ctx, &before));
        assert_ok(ctx, oclnn_runtime_reshape(rt, "x", 4, sizes[i]));
        tt x = tt_random(&seed, (int)sizes[i][0], 5, (int)sizes[i][2], (int)sizes[i][3]);
        tt c = ref_conv(&x, w, b, 7, 3, 3, 1, 1, 1), y = ref_maxpool(&c, 3, 2);
        oclnn_dtype dt;
        size_t nd;
        int64_t od[OCLNN_MAX_DIMS];
        assert_ok(ctx, oclnn_runtime_shape(rt, "y", &dt, &nd, od));
        assert_int_equal(nd, 4);
        assert_int_equal(od[0], y.n);
        assert_int_equal(od[2], y.h);
        assert_int_equal(od[3], y.w);
        float *out = run(ctx, rt, "x", &x, "y", tt_count(&y));
        char what[64];
        snprintf(what, sizeof what, "reshaped to [%d,5,%d,%d]", x.n, x.h, x.w);
        check_close(what, out, &y);
        free(out);
        tt_free(&x), tt_free(&c), tt_free(&y);
    }
    assert_ok(ctx, oclnn_context_cache_stats(ctx, &after));
    assert_int_equal(after.source_builds, before.source_builds);
    assert_int_equal(after.disk_hits, before.disk_hits);
    /* a wrong rank or an empty dim is refused, and the runtime stays usable */
    const int64_t bad[4] = {1, 5, 0, 3};
    assert_int_equal(oclnn_runtime_reshape(rt, "x", 3, bad), OCLNN_STATUS_INVALID_SHAPE);
    assert_int_equal(oclnn_runtime_reshape(rt, "x", 4, bad), OCLNN_STATUS_INVALID_SHAPE);
    assert_int_equal(oclnn_runtime_reshape(rt, "nope", 4, sizes[0]), OCLNN_STATUS_INVALID_ARGUMENT);
    float junk[4] = {0};
    assert_int_equal(oclnn_runtime_set_input(rt, "x", junk, sizeof junk), OCLNN_STATUS_INVALID_ARGUMENT);
    oclnn_runtime_destroy(rt);
    oclnn_graph_destroy(g);
    free(w), free(b);
    oclnn_context_destroy(ctx);
}

/* ---- classifier head: GlobalAveragePool, Flatten, Gemm, Softmax ---- */

static void test_classifier_head(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    uint64_t seed = TEST_SEED ^ 6;
    oclnn_graph *g;
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    const int N = 2, C = 7, H = 3, W = 5, K = 10;
    int64_t xd[4] = {N, C, H, W};
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd));
    const char *in = "x";
    add_node(g, "GlobalAveragePool", "gap", 1, &in, "p", 0, NULL);
    in = "p";
    oclnn_attr ax = attr_int("axis", 1);
    add_node(g, "Flatten", "flat", 1, &in, "f", 1, &ax);
    float *wt = rand_vec(&seed, (size_t)K * C, -0.5f, 0.5f), *bias = rand_vec(&seed, (size_t)K, -0.5f, 0.5f);
    int64_t wd[2] = {K, C}, bd[1] = {K};
    add_const(g, "fc_w", 2, wd, wt);
    add_const(g, "fc_b", 1, bd, bias);
    const char *gi[3] = {"f", "fc_w", "fc_b"};
    oclnn_attr tb = attr_int("transB", 1);
    add_node(g, "Gemm", "fc", 3, gi, "logits", 1, &tb);
    in = "logits";
    add_node(g, "Softmax", "prob", 1, &in, "y", 1, &ax);
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    tt x = tt_random(&seed, N, C, H, W);
    tt y = tt_new(N, K, 1, 1);
    for (int n = 0; n < N; n++) {
        double feat[16], fm[16], logit[16], mx = -INFINITY, sum = 0, mmax = 0;
        for (int c = 0; c < C; c++) {
            double s = 0, sm = 0;
            for (int i = 0; i < H * W; i++)
                s += x.v[(n * C + c) * H * W + i], sm += x.m[(n * C + c) * H * W + i];
            feat[c] = (float)(s / (H * W));
            fm[c] = sm / (H * W);
        }
        for (int k = 0; k < K; k++) {
            double s = bias[k], sm = fabs(bias[k]);
            for (int c = 0; c < C; c++)
                s += feat[c] * wt[k * C + c], sm += fm[c] * fabs(wt[k * C + c]);
            logit[k] = (float)s;
            if (logit[k] > mx) mx = logit[k];
            if (sm > mmax) mmax = sm;
        }
        for (int k = 0; k < K; k++)
            sum += exp(logit[k] - mx);
        for (int k = 0; k < K; k++) {
            y.v[n * K + k] = (float)(exp(logit[k] - mx) / sum);
            y.m[n * K + k] = 2 * mmax; /* softmax: twice the row's largest input error */
        }
    }
    oclnn_runtime *rt = make_rt(ctx, g, 1, 1, 1);
    float *out = run(ctx, rt, "x", &x, "y", tt_count(&y));
    check_close("GAP-Flatten-Gemm-Softmax", out, &y);
    size_t nd;
    int64_t od[OCLNN_MAX_DIMS];
    assert_ok(ctx, oclnn_runtime_shape(rt, "y", NULL, &nd, od));
    assert_int_equal(nd, 2);
    assert_int_equal(od[0], N);
    assert_int_equal(od[1], K);
    /* Flatten is metadata only */
    for (size_t i = 0; i < oclnn_runtime_num_steps(rt); i++) {
        oclnn_node_info info;
        assert_ok(ctx, oclnn_runtime_step_info(rt, i, &info));
        if (!strcmp(info.op_type, "Flatten")) assert_int_equal(info.kernels, 0);
    }
    free(out), free(wt), free(bias);
    tt_free(&x), tt_free(&y);
    oclnn_runtime_destroy(rt);
    oclnn_graph_destroy(g);
    oclnn_context_destroy(ctx);
}

/* ---- FPN: Resize x2 of a coarse map concatenated with a fine one ---- */

static void test_resize_concat(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    uint64_t seed = TEST_SEED ^ 7;
    oclnn_graph *g;
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    int64_t cd[4] = {1, 6, 9, 7}, fd[4] = {1, 3, 18, 14};
    assert_ok(ctx, oclnn_graph_add_input(g, "coarse", OCLNN_DTYPE_F32, 4, cd));
    assert_ok(ctx, oclnn_graph_add_input(g, "fine", OCLNN_DTYPE_F32, 4, fd));
    float *w1, *b1, *w2, *b2;
    conv_node(g, &seed, "lat_c", "coarse", "a", 6, 4, 1, 1, 0, &w1, &b1);
    conv_node(g, &seed, "lat_f", "fine", "bf", 3, 5, 3, 1, 1, &w2, &b2);
    float scales[4] = {1, 1, 2, 2};
    int64_t sd[1] = {4};
    add_const(g, "scales", 1, sd, scales);
    const char *ri[3] = {"a", "", "scales"};
    oclnn_attr ra[3] = {attr_str("mode", "nearest"), attr_str("coordinate_transformation_mode", "asymmetric"),
                        attr_str("nearest_mode", "floor")};
    add_node(g, "Resize", "up", 3, ri, "u", 3, ra);
    const char *ci[2] = {"u", "bf"};
    oclnn_attr ax = attr_int("axis", 1);
    add_node(g, "Concat", "cat", 2, ci, "y", 1, &ax);
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    tt xc = tt_random(&seed, 1, 6, 9, 7), xf = tt_random(&seed, 1, 3, 18, 14);
    tt a = ref_conv(&xc, w1, b1, 4, 1, 1, 1, 0, 0), bf = ref_conv(&xf, w2, b2, 5, 3, 3, 1, 1, 0);
    tt u = tt_new(1, 4, 18, 14);
    for (int c = 0; c < 4; c++)
        for (int i = 0; i < 18; i++)
            for (int j = 0; j < 14; j++) {
                size_t o = ((size_t)c * 18 + i) * 14 + j, s = ((size_t)c * 9 + i / 2) * 7 + j / 2;
                u.v[o] = a.v[s];
                u.m[o] = a.m[s];
            }
    const tt *parts[2] = {&u, &bf};
    tt y = tt_concat(parts, 2);
    oclnn_runtime *rt = make_rt(ctx, g, 1, 1, 1);
    assert_ok(ctx, oclnn_runtime_set_input(rt, "fine", xf.v, tt_count(&xf) * sizeof(float)));
    float *out = run(ctx, rt, "coarse", &xc, "y", tt_count(&y));
    check_close("FPN Resize+Concat", out, &y);
    for (size_t i = 0; i < oclnn_runtime_num_steps(rt); i++) {
        oclnn_node_info info;
        assert_ok(ctx, oclnn_runtime_step_info(rt, i, &info));
        if (!strcmp(info.op_type, "Concat")) assert_int_equal(info.kernels, 0);
    }
    /* the device tensors of inputs and outputs are reachable without a copy */
    oclnn_tensor *t = NULL;
    assert_ok(ctx, oclnn_runtime_tensor(rt, "y", &t));
    assert_int_equal(oclnn_tensor_nbytes(t), tt_count(&y) * sizeof(float));
    assert_int_equal(oclnn_runtime_num_inputs(rt), 2);
    assert_string_equal(oclnn_runtime_input_name(rt, 1), "fine");
    assert_null(oclnn_runtime_input_name(rt, 2));
    free(out), free(w1), free(b1), free(w2), free(b2);
    tt_free(&xc), tt_free(&xf), tt_free(&a), tt_free(&bf), tt_free(&u), tt_free(&y);
    oclnn_runtime_destroy(rt);
    oclnn_graph_destroy(g);
    oclnn_context_destroy(ctx);
}

/* ---- fusion as the passes record it (node->fuse), honoured by the op implementations ---- */

static void test_fused_nodes(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    uint64_t seed = TEST_SEED ^ 9;
    oclnn_graph *g;
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    int64_t xd[4] = {1, 4, 9, 11};
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd));
    float *w, *b;
    conv_node(g, &seed, "conv", "x", "c", 4, 4, 3, 1, 1, &w, &b);
    bn_w bn = bn_node(g, &seed, "bn", "c", "n", 4);
    const char *ai[2] = {"n", "x"};
    add_node(g, "Add", "add", 2, ai, "y", 0, NULL);
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    /* what fuse.c writes: Conv + residual x (before the activation) + Relu; BN + LeakyRelu 0.1; Add + Relu */
    oclnn_ir_node *conv = &g->nodes[0], *bnn = &g->nodes[1], *add = &g->nodes[2];
    int xv = oclnn_ir_find(g, "x");
    int *ins = oclnn_realloc(OCLNN_IR_ALLOC(g), conv->inputs, 4 * sizeof(int));
    assert_non_null(ins);
    ins[3] = xv;
    conv->inputs = ins;
    conv->num_inputs = 4;
    conv->fuse.activation = OCLNN_ACTIVATION_RELU;
    conv->fuse.residual = OCLNN_RESIDUAL_BEFORE_ACTIVATION;
    conv->display_op = oclnn_strdup(OCLNN_IR_ALLOC(g), "Conv+Add+Relu");
    bnn->fuse.activation = OCLNN_ACTIVATION_LEAKY_RELU;
    bnn->fuse.alpha = 0.1f;
    add->fuse.activation = OCLNN_ACTIVATION_RELU;

    tt x = tt_random(&seed, 1, 4, 9, 11);
    conv2d_ref_params p = {0};
    p.n = 1, p.c = 4, p.h = 9, p.w = 11, p.k = 4, p.kh = p.kw = 3, p.sh = p.sw = p.dh = p.dw = 1, p.pad_top = 1;
    p.pad_left = 1, p.oh = 9, p.ow = 11, p.groups = 1, p.act = 1, p.residual = 1;
    tt c = tt_new(1, 4, 9, 11);
    double *cd = malloc(396 * sizeof *cd);
    conv2d_ref(&p, x.v, w, b, x.v, cd, c.m);
    for (int i = 0; i < 396; i++)
        c.v[i] = (float)cd[i];
    tt nn = ref_bn(&c, bn.sc, bn.b, bn.mean, bn.var, 1e-5f);
    for (int i = 0; i < 396; i++)
        nn.v[i] = nn.v[i] >= 0 ? nn.v[i] : 0.1f * nn.v[i];
    tt y = ref_add(&nn, &x, 1);
    oclnn_runtime *rt = make_rt(ctx, g, 0, 1, 1);
    float *out = run(ctx, rt, "x", &x, "y", tt_count(&y));
    check_close("Conv+Add+Relu, BN+LeakyRelu, Add+Relu from node->fuse", out, &y);
    oclnn_node_info info;
    assert_ok(ctx, oclnn_runtime_step_info(rt, 0, &info));
    assert_string_equal(info.op_type, "Conv+Add+Relu");
    oclnn_runtime_stats st;
    assert_ok(ctx, oclnn_runtime_stats_get(rt, &st));
    assert_int_equal(st.steps, 3);
    free(out), free(w), free(b), free(cd);
    bn_free(&bn);
    tt_free(&x), tt_free(&c), tt_free(&nn), tt_free(&y);
    oclnn_runtime_destroy(rt);
    oclnn_graph_destroy(g);
    oclnn_context_destroy(ctx);
}

/* ---- the op zoo: one node per graph, every op family and attribute form against tests/ref ----
 * Bounds: data movement, pooling maxima and ArgMax exact; the others within the operators' own contracts (README),
 * checked as |y - ref| <= rel * M + abs with M the magnitude the reference reports (or |ref|). */

typedef struct zval {
    const char *name;
    int is_const;
    size_t ndim;
    int64_t dims[5];
    const void *data; /* float, or int64 for I64 constants */
    int i64;
} zval;

static size_t zcount(size_t ndim, const int64_t *dims) {
    size_t n = 1;
    for (size_t i = 0; i < ndim; i++)
        n *= (size_t)dims[i];
    return n;
}

/* Builds a one-node graph (op set @p opset), runs it and returns output @p k (malloc'ed, *count elements). */
static void *zoo_run(oclnn_context *ctx, const char *op, int64_t opset, size_t nin, const zval *ins, size_t nout,
                     const char *const *outs, size_t nattr, const oclnn_attr *attrs, size_t k, size_t *count) {
    oclnn_graph *g;
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    assert_ok(ctx, oclnn_graph_set_opset(g, opset < 7 ? 7 : opset));
    const char *names[8];
    for (size_t i = 0; i < nin; i++) {
        names[i] = ins[i].name;
        if (!*ins[i].name) continue;
        if (ins[i].is_const)
            assert_ok(ctx, oclnn_graph_add_constant(g, ins[i].name, ins[i].i64 ? OCLNN_DTYPE_I64 : OCLNN_DTYPE_F32,
                                                    ins[i].ndim, ins[i].dims, ins[i].data));
        else
            assert_ok(ctx, oclnn_graph_add_input(g, ins[i].name, OCLNN_DTYPE_F32, ins[i].ndim, ins[i].dims));
    }
    assert_ok(ctx, oclnn_graph_add_node(g, op, "zoo", nin, names, nout, outs, nattr, attrs));
    /* the builder starts at op set 7; the ONNX importer also takes opsets 1-6, whose forms the node then has */
    if (opset < 7) g->nodes[g->num_nodes - 1].opset = opset;
    for (size_t i = 0; i < nout; i++)
        assert_ok(ctx, oclnn_graph_add_output(g, outs[i]));
    oclnn_runtime *rt = make_rt(ctx, g, 1, 1, 1);
    oclnn_graph_destroy(g);
    for (size_t i = 0; i < nin; i++)
        if (*ins[i].name && !ins[i].is_const)
            assert_ok(ctx, oclnn_runtime_set_input(rt, ins[i].name, ins[i].data,
                                                   zcount(ins[i].ndim, ins[i].dims) * sizeof(float)));
    assert_ok(ctx, oclnn_runtime_invoke(rt));
    oclnn_dtype dt;
    size_t nd;
    int64_t d[OCLNN_MAX_DIMS];
    assert_ok(ctx, oclnn_runtime_shape(rt, outs[k], &dt, &nd, d));
    *count = zcount(nd, d);
    size_t bytes = *count * oclnn_dtype_size(dt);
    void *y = malloc(bytes);
    assert_non_null(y);
    assert_ok(ctx, oclnn_runtime_get_output(rt, outs[k], y, bytes));
    oclnn_runtime_destroy(rt);
    return y;
}

static void zoo_check(const char *what, const float *y, size_t n, const double *ref, size_t want, const double *mag,
                      double rel, double abs_) {
    if (n != want) fail_msg("%s: %zu output elements, expected %zu", what, n, want);
    for (size_t i = 0; i < n; i++) {
        double m = mag ? mag[i] : fabs(ref[i]), err = fabs((double)y[i] - ref[i]);
        if (!(err <= rel * m + abs_))
            fail_msg("%s: element %zu is %.9g, reference %.9g (bound %.3g)", what, i, y[i], ref[i], rel * m + abs_);
    }
    printf("  %s: %zu elements ok\n", what, n);
}

static void zoo_exact(const char *what, const float *y, size_t n, const float *ref, size_t want) {
    if (n != want) fail_msg("%s: %zu output elements, expected %zu", what, n, want);
    if (memcmp(y, ref, n * sizeof *y)) fail_msg("%s: not bit-exact", what);
    printf("  %s: %zu elements exact\n", what, n);
}

static void test_op_zoo(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    uint64_t seed = TEST_SEED ^ 8;
    const int64_t xd[4] = {2, 3, 5, 7};
    const size_t nx = 210;
    float *x = rand_vec(&seed, nx, -2, 2);
    double *ref = malloc(4096 * sizeof *ref), *mag = malloc(4096 * sizeof *mag);
    float *fref = malloc(4096 * sizeof *fref);
    const char *y1[1] = {"y"};
    size_t n;
    zval X = {"x", 0, 4, {2, 3, 5, 7}, x, 0};

    /* activations, attribute and input forms */
    struct {
        const char *op;
        int64_t opset;
        int act;
        float a, b;
        int nattr;
        oclnn_attr attrs[2];
        int nin;
        float lo, hi;
    } acts[] = {
        {"Relu", 18, 1, 0, 0, 0, {{0}}, 1, 0, 0},
        {"LeakyRelu", 18, 2, 0.2f, 0, 1, {attr_float("alpha", 0.2f)}, 1, 0, 0},
        {"LeakyRelu", 18, 2, 0.01f, 0, 0, {{0}}, 1, 0, 0},
        {"Sigmoid", 18, 4, 0, 0, 0, {{0}}, 1, 0, 0},
        {"Tanh", 18, 5, 0, 0, 0, {{0}}, 1, 0, 0},
        {"HardSigmoid", 18, 6, 0.3f, 0.4f, 2, {attr_float("alpha", 0.3f), attr_float("beta", 0.4f)}, 1, 0, 0},
        {"HardSwish", 18, 7, 0, 0, 0, {{0}}, 1, 0, 0},
        {"Clip", 7, 3, -0.3f, 0.4f, 2, {attr_float("min", -0.3f), attr_float("max", 0.4f)}, 1, 0, 0},
        {"Clip", 13, 3, -0.5f, 1.25f, 0, {{0}}, 3, -0.5f, 1.25f},
        {"Clip", 13, 3, -3.4e38f, 0.75f, 0, {{0}}, 3, NAN, 0.75f},
    };
    for (size_t c = 0; c < sizeof acts / sizeof *acts; c++) {
        zval ins[3] = {X, {"mn", 1, 0, {0}, &acts[c].lo, 0}, {"mx", 1, 0, {0}, &acts[c].hi, 0}};
        if (isnan(acts[c].lo)) ins[1].name = ""; /* min omitted */
        float *y = zoo_run(ctx, acts[c].op, acts[c].opset, (size_t)acts[c].nin, ins, 1, y1, (size_t)acts[c].nattr,
                           acts[c].attrs, 0, &n);
        for (size_t i = 0; i < nx; i++)
            ref[i] = ref_activation(acts[c].act, x[i], acts[c].a, acts[c].b);
        char what[64];
        snprintf(what, sizeof what, "%s (opset %lld)", acts[c].op, (long long)acts[c].opset);
        zoo_check(what, y, n, ref, nx, NULL, 4e-6, 1e-7);
        free(y);
    }
    { /* PRelu with a per-channel slope [3,1,1] */
        float slope[3] = {0.1f, -0.5f, 2.0f};
        zval ins[2] = {X, {"slope", 1, 3, {3, 1, 1}, slope, 0}};
        float *y = zoo_run(ctx, "PRelu", 18, 2, ins, 1, y1, 0, NULL, 0, &n);
        for (size_t i = 0; i < nx; i++)
            ref[i] = eltwise_ref_op(6, x[i], slope[i / 35 % 3]);
        zoo_check("PRelu [3,1,1]", y, n, ref, nx, NULL, 1e-6, 1e-7);
        free(y);
    }
    { /* PRelu of opset 6: a 1-D slope of C values is per channel (opset 7 would align it with W) */
        float slope[3] = {0.25f, -1.5f, 3.0f};
        zval ins[2] = {X, {"slope", 1, 1, {3}, slope, 0}};
        float *y = zoo_run(ctx, "PRelu", 6, 2, ins, 1, y1, 0, NULL, 0, &n);
        for (size_t i = 0; i < nx; i++)
            ref[i] = eltwise_ref_op(6, x[i], slope[i / 35 % 3]);
        zoo_check("PRelu opset 6 [3]", y, n, ref, nx, NULL, 1e-6, 1e-7);
        free(y);
    }
    /* binaries with broadcasting, an input or a constant operand */
    float *b = rand_vec(&seed, 21, 0.5f, 2), *c3 = rand_vec(&seed, nx, -1, 1);
    const char *bops[] = {"Add", "Sub", "Mul", "Div", "Max", "Min"};
    for (int op = 0; op < 6; op++)
        for (int cst = 0; cst <= 1; cst++) {
            zval ins[2] = {X, {"b", cst, 3, {3, 1, 7}, b, 0}};
            float *y = zoo_run(ctx, bops[op], 18, 2, ins, 1, y1, 0, NULL, 0, &n);
            int64_t od[4] = {2, 3, 5, 7}, bd[3] = {3, 1, 7};
            eltwise_ref_binary(op, 4, xd, x, 3, bd, b, 4, od, ref);
            char what[64];
            snprintf(what, sizeof what, "%s [2,3,5,7] x %s [3,1,7]", bops[op], cst ? "constant" : "input");
            zoo_check(what, y, n, ref, nx, NULL, op == 3 ? 4e-6 : 1e-6, 1e-7);
            free(y);
        }
    { /* Sum of three, Max of one (a copy) */
        zval ins[3] = {X, {"b", 1, 3, {3, 1, 7}, b, 0}, {"c", 0, 4, {2, 3, 5, 7}, c3, 0}};
        float *y = zoo_run(ctx, "Sum", 18, 3, ins, 1, y1, 0, NULL, 0, &n);
        int64_t od[4] = {2, 3, 5, 7}, bd[3] = {3, 1, 7};
        eltwise_ref_binary(0, 4, xd, x, 3, bd, b, 4, od, ref);
        for (size_t i = 0; i < nx; i++) {
            mag[i] = fabs(x[i]) + 2 + fabs(c3[i]);
            ref[i] += c3[i];
        }
        zoo_check("Sum of 3", y, n, ref, nx, mag, 2e-7, 1e-7);
        free(y);
        y = zoo_run(ctx, "Max", 18, 1, ins, 1, y1, 0, NULL, 0, &n);
        zoo_exact("Max of 1 (copy)", y, n, x, nx);
        free(y);
    }
    { /* Transpose */
        int64_t perm[4] = {0, 2, 3, 1};
        oclnn_attr a = attr_ints("perm", 4, perm);
        float *y = zoo_run(ctx, "Transpose", 18, 1, &X, 1, y1, 1, &a, 0, &n);
        ref_transpose(4, xd, perm, x, fref);
        zoo_exact("Transpose [0,2,3,1]", y, n, fref, nx);
        free(y);
    }
    { /* Slice from constant inputs (negative step) and from attributes (op set 9) */
        int64_t st[2] = {1, -1}, en[2] = {3, -7}, ax[2] = {1, 3}, sp[2] = {1, -2};
        zval ins[5] = {
            X, {"st", 1, 1, {2}, st, 1}, {"en", 1, 1, {2}, en, 1}, {"ax", 1, 1, {2}, ax, 1}, {"sp", 1, 1, {2}, sp, 1}};
        float *y = zoo_run(ctx, "Slice", 13, 5, ins, 1, y1, 0, NULL, 0, &n);
        int64_t od[4];
        ref_slice_dims(4, xd, 2, st, en, ax, sp, od);
        ref_slice(4, xd, 2, st, en, ax, sp, x, fref);
        zoo_exact("Slice (inputs, step -2)", y, n, fref, zcount(4, od));
        free(y);
        int64_t st9[2] = {0, 1}, en9[2] = {1, 4}, ax9[2] = {0, 2}, one[2] = {1, 1};
        oclnn_attr at[3] = {attr_ints("starts", 2, st9), attr_ints("ends", 2, en9), attr_ints("axes", 2, ax9)};
        y = zoo_run(ctx, "Slice", 9, 1, &X, 1, y1, 3, at, 0, &n);
        ref_slice_dims(4, xd, 2, st9, en9, ax9, one, od);
        ref_slice(4, xd, 2, st9, en9, ax9, one, x, fref);
        zoo_exact("Slice (op set 9 attributes)", y, n, fref, zcount(4, od));
        free(y);
    }
    { /* Pad: constant from inputs (op set 13), reflect from attributes (op set 2 -> 7 here) */
        int64_t pads[8] = {0, 0, 1, 2, 0, 1, 0, 1};
        float val = 0.5f;
        zval ins[3] = {X, {"pads", 1, 1, {8}, pads, 1}, {"val", 1, 0, {0}, &val, 0}};
        float *y = zoo_run(ctx, "Pad", 13, 3, ins, 1, y1, 0, NULL, 0, &n);
        ref_pad(4, xd, pads, 0, 0.5f, x, fref);
        zoo_exact("Pad constant 0.5 (inputs)", y, n, fref, 2 * 4 * 6 * 10);
        free(y);
        oclnn_attr at[2] = {attr_ints("pads", 8, pads), attr_str("mode", "reflect")};
        y = zoo_run(ctx, "Pad", 7, 1, &X, 1, y1, 2, at, 0, &n);
        ref_pad(4, xd, pads, 1, 0, x, fref);
        zoo_exact("Pad reflect (attributes)", y, n, fref, 2 * 4 * 6 * 10);
        free(y);
    }
    { /* Split: sizes from an input (op set 13), equal parts from num_outputs (op set 18) */
        int64_t sp[2] = {1, 2};
        zval ins[2] = {X, {"split", 1, 1, {2}, sp, 1}};
        const char *outs[2] = {"y0", "y1"};
        oclnn_attr ax = attr_int("axis", 1);
        for (int k = 0; k < 2; k++) {
            float *y = zoo_run(ctx, "Split", 13, 2, ins, 2, outs, 1, &ax, (size_t)k, &n);
            int64_t st[1] = {k ? 1 : 0}, en[1] = {k ? 3 : 1}, a1[1] = {1}, s1[1] = {1};
            ref_slice(4, xd, 1, st, en, a1, s1, x, fref);
            zoo_exact(k ? "Split [1,2] part 1" : "Split [1,2] part 0", y, n, fref, (size_t)(k ? 140 : 70));
            free(y);
        }
        oclnn_attr at[2] = {attr_int("axis", 3), attr_int("num_outputs", 2)};
        for (int k = 0; k < 2; k++) {
            float *y = zoo_run(ctx, "Split", 18, 1, &X, 2, outs, 2, at, (size_t)k, &n);
            int64_t st[1] = {k ? 4 : 0}, en[1] = {k ? 7 : 4}, a1[1] = {3}, s1[1] = {1};
            ref_slice(4, xd, 1, st, en, a1, s1, x, fref);
            zoo_exact(k ? "Split num_outputs 2 of 7, part 1" : "Split num_outputs 2 of 7, part 0", y, n, fref,
                      (size_t)(k ? 90 : 120));
            free(y);
        }
    }
    { /* ArgMax along channels, keepdims 0 */
        oclnn_attr at[2] = {attr_int("axis", 1), attr_int("keepdims", 0)};
        int64_t *y = zoo_run(ctx, "ArgMax", 18, 1, &X, 1, y1, 2, at, 0, &n);
        int64_t want[70];
        argmax_ref(x, want, 2, 3, 35, 0);
        assert_int_equal(n, 70);
        assert_memory_equal(y, want, sizeof want);
        printf("  ArgMax axis 1: 70 indices exact\n");
        free(y);
    }
    { /* LRN */
        oclnn_attr at[4] = {attr_int("size", 3), attr_float("alpha", 0.01f), attr_float("beta", 0.75f),
                            attr_float("bias", 1.0f)};
        float *y = zoo_run(ctx, "LRN", 18, 1, &X, 1, y1, 4, at, 0, &n);
        lrn_ref(x, ref, 2, 3, 35, 3, 0.01, 0.75, 1.0);
        zoo_check("LRN size 3", y, n, ref, nx, NULL, 4e-6, 1e-7);
        free(y);
    }
    { /* pools: AveragePool 3x3/2 pad 1 excluding pads, LpPool p=2 2x2, GlobalMaxPool */
        int64_t k3[2] = {3, 3}, s2[2] = {2, 2}, p1[4] = {1, 1, 1, 1}, k2[2] = {2, 2};
        oclnn_attr at[3] = {attr_ints("kernel_shape", 2, k3), attr_ints("strides", 2, s2), attr_ints("pads", 4, p1)};
        pool_ref_params p = {0};
        p.n = 2, p.c = 3, p.h = 5, p.w = 7, p.dh = p.dw = 1, p.p = 2;
        struct {
            const char *op;
            int type, nattr, kh, sh, pad, oh, ow;
            const oclnn_attr *at;
            double rel;
        } pc[] = {
            {"AveragePool", 1, 3, 3, 2, 1, 3, 4, at, 1e-6},
            {"LpPool", 2, 1, 2, 1, 0, 4, 6, NULL, 1e-6},
            {"GlobalMaxPool", 3, 0, 1, 1, 0, 1, 1, NULL, 0},
        };
        oclnn_attr lp = attr_ints("kernel_shape", 2, k2);
        pc[1].at = &lp;
        for (int c = 0; c < 3; c++) {
            float *y = zoo_run(ctx, pc[c].op, 18, 1, &X, 1, y1, (size_t)pc[c].nattr, pc[c].at, 0, &n);
            p.type = pc[c].type, p.kh = p.kw = pc[c].kh, p.sh = p.sw = pc[c].sh;
            p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = pc[c].pad, p.oh = pc[c].oh, p.ow = pc[c].ow;
            pool_ref(&p, x, ref, mag);
            zoo_check(pc[c].op, y, n, ref, (size_t)(6 * pc[c].oh * pc[c].ow), pc[c].type == 2 ? NULL : mag, pc[c].rel,
                      pc[c].rel ? 1e-7 : 0);
            free(y);
        }
    }
    { /* ConvTranspose 3 -> 4, 3x3, stride 2, pad 1, output_padding 1: 5x7 -> 10x14 */
        float *w = rand_vec(&seed, 3 * 4 * 9, -0.5f, 0.5f), *bias = rand_vec(&seed, 4, -0.5f, 0.5f);
        zval ins[3] = {X, {"w", 1, 4, {3, 4, 3, 3}, w, 0}, {"b", 1, 1, {4}, bias, 0}};
        int64_t s2[2] = {2, 2}, p1[4] = {1, 1, 1, 1}, op1[2] = {1, 1};
        oclnn_attr at[3] = {attr_ints("strides", 2, s2), attr_ints("pads", 4, p1), attr_ints("output_padding", 2, op1)};
        float *y = zoo_run(ctx, "ConvTranspose", 18, 3, ins, 1, y1, 3, at, 0, &n);
        deconv_ref_params p = {0};
        p.n = 2, p.c = 3, p.h = 5, p.w = 7, p.k = 4, p.kh = p.kw = 3, p.sh = p.sw = 2, p.dh = p.dw = 1;
        p.pad_top = p.pad_left = 1, p.oh = 10, p.ow = 14, p.groups = 1;
        deconv_ref(&p, x, w, bias, NULL, ref, mag);
        zoo_check("ConvTranspose stride 2, output_padding 1", y, n, ref, 2 * 4 * 10 * 14, mag, 1e-5, 1e-6);
        free(y), free(w), free(bias);
    }
    { /* MatMul: batched A by a constant B, and two inputs */
        float *bm = rand_vec(&seed, 7 * 4, -1, 1);
        zval ins[2] = {X, {"b", 1, 2, {7, 4}, bm, 0}};
        float *y = zoo_run(ctx, "MatMul", 18, 2, ins, 1, y1, 0, NULL, 0, &n);
        for (int bt = 0; bt < 6; bt++)
            gemm_ref(5, 4, 7, 1.0f, x + bt * 35, 7, 1, bm, 4, 1, 0, NULL, 0, 0, 0, 0, 0, ref + bt * 20, mag + bt * 20);
        zoo_check("MatMul [2,3,5,7] x constant [7,4]", y, n, ref, 120, mag, 1e-5, 1e-6);
        free(y);
        ins[1].is_const = 0;
        y = zoo_run(ctx, "MatMul", 18, 2, ins, 1, y1, 0, NULL, 0, &n);
        zoo_check("MatMul [2,3,5,7] x input [7,4]", y, n, ref, 120, mag, 1e-5, 1e-6);
        free(y);
        /* Gemm with transA and C as an input */
        float *cm = rand_vec(&seed, 5 * 4, -1, 1);
        zval gi[3] = {{"a", 0, 2, {7, 5}, x, 0}, {"b", 1, 2, {7, 4}, bm, 0}, {"c", 0, 2, {5, 4}, cm, 0}};
        oclnn_attr at[3] = {attr_int("transA", 1), attr_float("alpha", 0.5f), attr_float("beta", 2.0f)};
        y = zoo_run(ctx, "Gemm", 18, 3, gi, 1, y1, 3, at, 0, &n);
        gemm_ref(5, 4, 7, 0.5f, x, 1, 5, bm, 4, 1, 2.0f, cm, 4, 1, 0, 0, 0, ref, mag);
        zoo_check("Gemm transA, alpha, beta, C input", y, n, ref, 20, mag, 1e-5, 1e-6);
        free(y), free(bm), free(cm);
    }
    { /* LogSoftmax op set 11 (flattened from axis 1) and Softmax op set 13 on axis 1 */
        zval in3 = {"x", 0, 3, {2, 3, 35}, x, 0};
        oclnn_attr ax = attr_int("axis", 1);
        float *y = zoo_run(ctx, "LogSoftmax", 11, 1, &in3, 1, y1, 1, &ax, 0, &n);
        softmax_ref(x, ref, 2, 105, 1, 1);
        for (size_t i = 0; i < nx; i++)
            mag[i] = 1 + fabs(ref[i]);
        zoo_check("LogSoftmax op set 11 (2-D flattening)", y, n, ref, nx, mag, 2e-6, 0);
        free(y);
        y = zoo_run(ctx, "Softmax", 13, 1, &in3, 1, y1, 1, &ax, 0, &n);
        softmax_ref(x, ref, 2, 3, 35, 0);
        zoo_check("Softmax op set 13 axis 1", y, n, ref, nx, NULL, 2e-6, 1e-6);
        free(y);
    }
    { /* Upsample op set 9 (scales input) nearest x2, x3 */
        float sc[4] = {1, 1, 2, 3};
        zval ins[2] = {X, {"scales", 1, 1, {4}, sc, 0}};
        float *y = zoo_run(ctx, "Upsample", 9, 2, ins, 1, y1, 0, NULL, 0, &n);
        ref_resize(2, 3, 5, 7, 10, 21, 2, 3, 0, 3, 2, x, ref);
        for (size_t i = 0; i < 2 * 3 * 10 * 21; i++)
            fref[i] = (float)ref[i];
        zoo_exact("Upsample op set 9 nearest x2 x3", y, n, fref, 2 * 3 * 10 * 21);
        free(y);
    }
    { /* Resize op set 13 to sizes (linear, align_corners), op set 10 (scales input, nearest) */
        int64_t sizes[4] = {2, 3, 8, 12};
        zval ins[4] = {X, {"", 0, 0, {0}, NULL, 0}, {"", 0, 0, {0}, NULL, 0}, {"sizes", 1, 1, {4}, sizes, 1}};
        oclnn_attr at[2] = {attr_str("mode", "linear"), attr_str("coordinate_transformation_mode", "align_corners")};
        float *y = zoo_run(ctx, "Resize", 13, 4, ins, 1, y1, 2, at, 0, &n);
        ref_resize(2, 3, 5, 7, 8, 12, 8.0 / 5, 12.0 / 7, 1, 2, 0, x, ref);
        for (size_t i = 0; i < 576; i++)
            mag[i] = 2; /* max|x| */
        zoo_check("Resize op set 13 sizes 8x12 linear align_corners", y, n, ref, 576, mag, 1e-6, 0);
        free(y);
        float sc[4] = {1, 1, 2, 2};
        zval in10[2] = {X, {"scales", 1, 1, {4}, sc, 0}};
        y = zoo_run(ctx, "Resize", 10, 2, in10, 1, y1, 0, NULL, 0, &n);
        ref_resize(2, 3, 5, 7, 10, 14, 2, 2, 0, 3, 2, x, ref);
        for (size_t i = 0; i < 840; i++)
            fref[i] = (float)ref[i];
        zoo_exact("Resize op set 10 nearest x2", y, n, fref, 840);
        free(y);
    }
    { /* Concat on axis 2 with a constant input: the copying kernel */
        float *k = rand_vec(&seed, 2 * 3 * 2 * 7, -1, 1);
        zval ins[2] = {X, {"k", 1, 4, {2, 3, 2, 7}, k, 0}};
        oclnn_attr ax = attr_int("axis", -2);
        float *y = zoo_run(ctx, "Concat", 18, 2, ins, 1, y1, 1, &ax, 0, &n);
        int64_t d1[4] = {2, 3, 2, 7};
        const int64_t *dims[2] = {xd, d1};
        const float *parts[2] = {x, k};
        ref_concat(4, 2, dims, 2, parts, fref);
        zoo_exact("Concat axis -2 with a constant", y, n, fref, 294);
        free(y), free(k);
    }
    { /* aliases: Reshape -> Relu -> Unsqueeze -> Squeeze (a graph output: copied), Identity, Dropout */
        oclnn_graph *g;
        assert_ok(ctx, oclnn_graph_create(ctx, &g));
        assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd));
        int64_t shape[2] = {6, -1}, sd[1] = {2}, axd[1] = {1}, axes[1] = {1};
        assert_ok(ctx, oclnn_graph_add_constant(g, "shape", OCLNN_DTYPE_I64, 1, sd, shape));
        assert_ok(ctx, oclnn_graph_add_constant(g, "axes", OCLNN_DTYPE_I64, 1, axd, axes));
        const char *ri[2] = {"x", "shape"}, *ui[2] = {"r", "axes"}, *si[2] = {"u", "axes"}, *di = "s", *ii = "d";
        add_node(g, "Reshape", "reshape", 2, ri, "rs", 0, NULL);
        relu_node(g, "relu", "rs", "r");
        add_node(g, "Unsqueeze", "unsq", 2, ui, "u", 0, NULL);
        add_node(g, "Squeeze", "sq", 2, si, "s", 0, NULL);
        add_node(g, "Dropout", "drop", 1, &di, "d", 0, NULL);
        add_node(g, "Identity", "id", 1, &ii, "y", 0, NULL);
        assert_ok(ctx, oclnn_graph_add_output(g, "y"));
        assert_ok(ctx, oclnn_graph_add_output(g, "s"));
        oclnn_runtime *rt = make_rt(ctx, g, 0, 1, 1);
        oclnn_graph_destroy(g);
        assert_ok(ctx, oclnn_runtime_set_input(rt, "x", x, nx * sizeof(float)));
        assert_ok(ctx, oclnn_runtime_invoke(rt));
        float *y = malloc(nx * sizeof *y);
        for (size_t i = 0; i < nx; i++)
            fref[i] = x[i] > 0 ? x[i] : 0;
        assert_ok(ctx, oclnn_runtime_get_output(rt, "y", y, nx * sizeof *y));
        zoo_exact("Reshape-Relu-Unsqueeze-Squeeze-Dropout-Identity", y, nx, fref, nx);
        assert_ok(ctx, oclnn_runtime_get_output(rt, "s", y, nx * sizeof *y));
        zoo_exact("the Squeeze output too", y, nx, fref, nx);
        oclnn_runtime_stats st;
        assert_ok(ctx, oclnn_runtime_stats_get(rt, &st));
        assert_int_equal(st.kernels_per_invoke, 3); /* Relu, and a copy for each output that is an alias */
        int64_t d[OCLNN_MAX_DIMS];
        size_t nd;
        assert_ok(ctx, oclnn_runtime_shape(rt, "s", NULL, &nd, d));
        assert_int_equal(nd, 2);
        assert_int_equal(d[1], 35);
        free(y);
        oclnn_runtime_destroy(rt);
    }
    free(x), free(b), free(c3), free(ref), free(mag), free(fref);
    oclnn_context_destroy(ctx);
}

/* ---- profiling: per-step times from OpenCL events ---- */

static void test_profile(void **state) {
    (void)state;
    oclnn_context_options co;
    test_options(&co, cache_dir);
    co.profiling = 1;
    co.num_queues = 2;
    oclnn_context *ctx = NULL;
    assert_ok(NULL, oclnn_context_create(&co, &ctx));
    uint64_t seed = TEST_SEED ^ 10;
    oclnn_graph *g;
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    int64_t xd[4] = {1, 3, 12, 10};
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd));
    float *w1, *b1, *w2, *b2;
    conv_node(g, &seed, "a", "x", "ya", 3, 4, 3, 1, 1, &w1, &b1);
    conv_node(g, &seed, "b", "x", "yb", 3, 4, 1, 1, 0, &w2, &b2);
    const char *ai[2] = {"ya", "yb"};
    add_node(g, "Add", "add", 2, ai, "y", 0, NULL);
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    oclnn_runtime_options o;
    oclnn_runtime_options_init(&o);
    o.profile = 1;
    o.num_queues = 2;
    o.fuse = 0; /* fused, the Add would become conv a's residual and serialise the two branches */
    oclnn_runtime *rt = NULL;
    assert_ok(ctx, oclnn_runtime_create(ctx, g, &o, &rt));
    tt x = tt_random(&seed, 1, 3, 12, 10);
    tt ya = ref_conv(&x, w1, b1, 4, 3, 3, 1, 1, 0), yb = ref_conv(&x, w2, b2, 4, 1, 1, 1, 0, 0);
    tt y = ref_add(&ya, &yb, 0);
    float *out = run(ctx, rt, "x", &x, "y", tt_count(&y));
    check_close("two branches on two queues, profiled", out, &y);
    for (size_t i = 0; i < oclnn_runtime_num_steps(rt); i++) {
        oclnn_node_info info;
        assert_ok(ctx, oclnn_runtime_step_info(rt, i, &info));
        printf("  %-4s %-5s queue %u, %u kernels, %llu ns\n", info.name, info.op_type, info.queue, info.kernels,
               (unsigned long long)info.time_ns);
        assert_true(info.time_ns > 0);
        if (!strcmp(info.name, "b")) assert_int_equal(info.queue, 1);
    }
    /* profiling needs a profiling context */
    oclnn_context *plain = test_context(cache_dir);
    oclnn_runtime *bad = (oclnn_runtime *)0x1;
    assert_int_equal(oclnn_runtime_create(plain, g, &o, &bad), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_null(bad);
    oclnn_context_destroy(plain);
    free(out), free(w1), free(b1), free(w2), free(b2);
    tt_free(&x), tt_free(&ya), tt_free(&yb), tt_free(&y);
    oclnn_runtime_destroy(rt);
    oclnn_graph_destroy(g);
    oclnn_context_destroy(ctx);
}

/* ---- failure sweeps: every host allocation, OpenCL allocation and enqueue of building a graph, compiling it
 * (two convs, a zero-copy concat, a Relu, a Flatten output copied out) and running it fails in turn ---- */

static oclnn_status fault_scenario(oclnn_context *ctx, int *verified) {
    enum { C = 3, H = 6, W = 5, K1 = 2, K2 = 2 };
    static float x[C * H * W], w1[K1 * C * 9], b1[K1], w2[K2 * C], b2[K2];
    for (int i = 0; i < C * H * W; i++)
        x[i] = (float)((i * 7) % 11) / 5.0f - 1.0f;
    for (int i = 0; i < K1 * C * 9; i++)
        w1[i] = (float)((i * 5) % 13) / 13.0f - 0.5f;
    for (int i = 0; i < K2 * C; i++)
        w2[i] = (float)((i * 3) % 7) / 7.0f - 0.5f;
    b1[0] = 0.25f, b1[1] = -0.5f, b2[0] = 0.125f, b2[1] = -0.25f;
    oclnn_graph *g = NULL;
    oclnn_runtime *rt = NULL;
    const int64_t xd[4] = {1, C, H, W}, w1d[4] = {K1, C, 3, 3}, w2d[4] = {K2, C, 1, 1}, bd[1] = {2};
    const int64_t pads[4] = {1, 1, 1, 1};
    oclnn_attr pa = attr_ints("pads", 4, pads), ax = attr_int("axis", 1);
    const char *c1[3] = {"x", "w1", "b1"}, *c2[3] = {"x", "w2", "b2"}, *ci[2] = {"a", "b"}, *ri = "c", *fi = "r";
    const char *oa = "a", *ob = "b", *oc = "c", *orr = "r", *oy = "y";
    float y[(K1 + K2) * H * W];
    oclnn_status st;
    if ((st = oclnn_graph_create(ctx, &g)) || (st = oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd)) ||
        (st = oclnn_graph_add_constant(g, "w1", OCLNN_DTYPE_F32, 4, w1d, w1)) ||
        (st = oclnn_graph_add_constant(g, "b1", OCLNN_DTYPE_F32, 1, bd, b1)) ||
        (st = oclnn_graph_add_constant(g, "w2", OCLNN_DTYPE_F32, 4, w2d, w2)) ||
        (st = oclnn_graph_add_constant(g, "b2", OCLNN_DTYPE_F32, 1, bd, b2)) ||
        (st = oclnn_graph_add_node(g, "Conv", "c1", 3, c1, 1, &oa, 1, &pa)) ||
        (st = oclnn_graph_add_node(g, "Conv", "c2", 3, c2, 1, &ob, 0, NULL)) ||
        (st = oclnn_graph_add_node(g, "Concat", "cat", 2, ci, 1, &oc, 1, &ax)) ||
        (st = oclnn_graph_add_node(g, "Relu", "relu", 1, &ri, 1, &orr, 0, NULL)) ||
        (st = oclnn_graph_add_node(g, "Flatten", "flat", 1, &fi, 1, &oy, 1, &ax)) ||
        (st = oclnn_graph_add_output(g, "y")) || (st = oclnn_runtime_create(ctx, g, NULL, &rt)) ||
        (st = oclnn_runtime_set_input(rt, "x", x, sizeof x)) || (st = oclnn_runtime_invoke(rt)) ||
        (st = oclnn_runtime_get_output(rt, "y", y, sizeof y)))
        goto done;
    {
        conv2d_ref_params p = {0};
        p.n = 1, p.c = C, p.h = H, p.w = W, p.k = K1, p.kh = p.kw = 3, p.sh = p.sw = p.dh = p.dw = 1;
        p.pad_top = p.pad_left = 1, p.oh = H, p.ow = W, p.groups = 1, p.act = 1;
        double ref[(K1 + K2) * H * W], mag[(K1 + K2) * H * W];
        conv2d_ref(&p, x, w1, b1, NULL, ref, mag);
        p.k = K2, p.kh = p.kw = 1, p.pad_top = p.pad_left = 0;
        conv2d_ref(&p, x, w2, b2, NULL, ref + K1 * H * W, mag + K1 * H * W);
        for (int i = 0; i < (K1 + K2) * H * W; i++)
            if (!(fabs(y[i] - ref[i]) <= 1e-5 * mag[i] + 1e-6)) fail_msg("fault scenario: element %d is wrong", i);
        *verified = 1;
    }
done:
    oclnn_runtime_destroy(rt);
    oclnn_graph_destroy(g);
    return st;
}

static void test_fault_sweeps(void **state) {
    (void)state;
    test_op_fault_sweeps("graph runtime", fault_scenario, cache_dir);
}

/* ---- failures during creation and during a run, on a DenseNet block and an Inception module: each OpenCL
 * allocation, each enqueue and each host allocation made by runtime_create fails in turn (a status, nothing leaked);
 * then, on a good runtime, each one made by set_input + invoke + get_output fails in turn: a status, nothing leaked,
 * and the same runtime's next run gives the exact reference output (it stays usable). ---- */

/* The DenseNet block of test_densenet_block (3 BN-Relu-Conv layers, growing concats, a transition conv). */
static oclnn_graph *densenet_graph(oclnn_context *ctx, const char **in, const char **out, int64_t *xd) {
    uint64_t seed = TEST_SEED ^ 3;
    oclnn_graph *g;
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    const int64_t d[4] = {1, 3, 16, 16};
    memcpy(xd, d, sizeof d);
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd));
    float *w, *b;
    conv_node(g, &seed, "conv0", "x", "x0", 3, 8, 3, 1, 1, &w, &b);
    free(w), free(b);
    const char *cat_in[4] = {"x0", "y1", "y2", "y3"}, *bn_in[3] = {"x0", "c1", "c2"}, *cat_out[3] = {"c1", "c2", "c3"};
    for (int l = 0; l < 3; l++) {
        char nb[16], nbo[16], nr[16], nro[16], nc[16], cn[16];
        snprintf(nb, sizeof nb, "bn%d", l + 1), snprintf(nbo, sizeof nbo, "b%d", l + 1);
        snprintf(nr, sizeof nr, "relu%d", l + 1), snprintf(nro, sizeof nro, "r%d", l + 1);
        snprintf(nc, sizeof nc, "conv%d", l + 1), snprintf(cn, sizeof cn, "cat%d", l + 1);
        bn_w bw = bn_node(g, &seed, nb, bn_in[l], nbo, 8 + 4 * l);
        bn_free(&bw);
        relu_node(g, nr, nbo, nro);
        conv_node(g, &seed, nc, nro, cat_in[l + 1], 8 + 4 * l, 4, 3, 1, 1, &w, &b);
        free(w), free(b);
        oclnn_attr ax = attr_int("axis", 1);
        add_node(g, "Concat", cn, (size_t)l + 2, cat_in, cat_out[l], 1, &ax);
    }
    conv_node(g, &seed, "trans", "c3", "y", 20, 8, 1, 1, 0, &w, &b);
    free(w), free(b);
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    *in = "x", *out = "y";
    return g;
}

/* The Inception module of test_inception (four branches, a 4-way zero-copy concat). */
static oclnn_graph *inception_graph(oclnn_context *ctx, const char **in, const char **out, int64_t *xd) {
    uint64_t seed = TEST_SEED ^ 4;
    oclnn_graph *g;
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    const int64_t d[4] = {1, 5, 16, 16};
    memcpy(xd, d, sizeof d);
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd));
    float *w[7], *b[7];
    conv_node(g, &seed, "stem", "x", "s", 5, 8, 3, 1, 1, &w[0], &b[0]);
    conv_node(g, &seed, "b1", "s", "o1", 8, 4, 1, 1, 0, &w[1], &b[1]);
    conv_node(g, &seed, "b2a", "s", "t2", 8, 4, 1, 1, 0, &w[2], &b[2]);
    conv_node(g, &seed, "b2b", "t2", "o2", 4, 6, 3, 1, 1, &w[3], &b[3]);
    conv_node(g, &seed, "b3a", "s", "t3", 8, 2, 1, 1, 0, &w[4], &b[4]);
    conv_node(g, &seed, "b3b", "t3", "o3", 2, 3, 5, 1, 2, &w[5], &b[5]);
    int64_t k3[2] = {3, 3}, p1[4] = {1, 1, 1, 1};
    oclnn_attr pa[2] = {attr_ints("kernel_shape", 2, k3), attr_ints("pads", 4, p1)};
    const char *pin = "s";
    add_node(g, "MaxPool", "pool", 1, &pin, "t4", 2, pa);
    conv_node(g, &seed, "b4", "t4", "o4", 8, 3, 1, 1, 0, &w[6], &b[6]);
    const char *ci[4] = {"o1", "o2", "o3", "o4"};
    oclnn_attr ax = attr_int("axis", 1);
    add_node(g, "Concat", "cat", 4, ci, "y", 1, &ax);
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    for (int i = 0; i < 7; i++)
        free(w[i]), free(b[i]);
    *in = "x", *out = "y";
    return g;
}

typedef oclnn_graph *(*graph_fn)(oclnn_context *ctx, const char **in, const char **out, int64_t *xd);

static int fault_status_ok(oclnn_status st) {
    return st == OCLNN_STATUS_OUT_OF_DEVICE_MEMORY || st == OCLNN_STATUS_OUT_OF_HOST_MEMORY ||
           st == OCLNN_STATUS_OPENCL_ERROR;
}

/* set_input + invoke + get_output; *y must hold the output */
static oclnn_status run_once(oclnn_runtime *rt, const char *in, const float *x, size_t xn, const char *out, float *y,
                             size_t yn) {
    oclnn_status st = oclnn_runtime_set_input(rt, in, x, xn * sizeof *x);
    if (!st) st = oclnn_runtime_invoke(rt);
    if (!st) st = oclnn_runtime_get_output(rt, out, y, yn * sizeof *y);
    return st;
}

/* kind: 0..CLW_FAULT_KIND_COUNT-1 an OpenCL fault kind, CLW_FAULT_KIND_COUNT host allocations */
static void run_fault_sweep(const char *what, graph_fn make, uint32_t queues, int kind) {
    test_alloc ta;
    test_alloc_init(&ta);
    oclnn_context_options co;
    test_options(&co, cache_dir);
    co.num_queues = queues;
    co.log_level = OCLNN_LOG_NONE;
    if (kind == CLW_FAULT_KIND_COUNT) co.allocator = &ta.hooks;
    oclnn_context *ctx = NULL;
    assert_ok(NULL, oclnn_context_create(&co, &ctx));
    const char *in, *out;
    int64_t xd[4];
    oclnn_graph *g = make(ctx, &in, &out, xd);
    oclnn_runtime_options ro;
    oclnn_runtime_options_init(&ro);
    ro.num_queues = queues;
    size_t xn = (size_t)(xd[0] * xd[1] * xd[2] * xd[3]);
    float *x = malloc(xn * sizeof *x);
    assert_non_null(x);
    uint64_t seed = TEST_SEED ^ 7;
    for (size_t i = 0; i < xn; i++)
        x[i] = test_rand_float(&seed, -1, 1);
    /* the reference: a clean create and run (programs warm in the context afterwards) */
    oclnn_runtime *rt = NULL;
    assert_ok(ctx, oclnn_runtime_create(ctx, g, &ro, &rt));
    oclnn_tensor *yt;
    assert_ok(ctx, oclnn_runtime_tensor(rt, out, &yt));
    size_t yn = oclnn_tensor_nbytes(yt) / sizeof(float);
    float *ref = malloc(yn * sizeof *ref), *y = malloc(yn * sizeof *y);
    assert_non_null(ref);
    assert_non_null(y);
    assert_ok(ctx, run_once(rt, in, x, xn, out, ref, yn));
    oclnn_runtime_destroy(rt);
    const char *kinds[] = {"alloc", "build", "enqueue", "host alloc"};
    for (int phase = 0; phase < 2; phase++) {
        /* count the calls of this kind that the phase makes */
        int64_t live0 = clw_live_objects();
        long hlive0 = ta.live;
        oclnn_runtime *keep = NULL;
        if (phase == 1) assert_ok(ctx, oclnn_runtime_create(ctx, g, &ro, &keep));
        long h0 = ta.calls;
        clw_fault_reset();
        if (phase == 0) {
            assert_ok(ctx, oclnn_runtime_create(ctx, g, &ro, &rt));
            oclnn_runtime_destroy(rt);
        } else
            assert_ok(ctx, run_once(keep, in, x, xn, out, y, yn));
        uint64_t total = kind == CLW_FAULT_KIND_COUNT ? (uint64_t)(ta.calls - h0) : clw_calls((clw_fault_kind)kind);
        uint64_t failures = 0;
        for (uint64_t k = 1; k <= total; k++) {
            clw_fault_reset();
            if (kind == CLW_FAULT_KIND_COUNT)
                ta.fail_at = ta.calls + (long)k;
            else
                clw_fault_set((clw_fault_kind)kind, k);
            oclnn_status st;
            if (phase == 0) {
                rt = (oclnn_runtime *)0x1;
                st = oclnn_runtime_create(ctx, g, &ro, &rt);
                if (st) assert_null(rt);
                oclnn_runtime_destroy(st ? NULL : rt);
            } else
                st = run_once(keep, in, x, xn, out, y, yn);
            ta.fail_at = 0;
            clw_fault_reset();
            if (st && !fault_status_ok(st))
                fail_msg("%s, %s %s call %llu: unexpected %s: %s", what, phase ? "run" : "create", kinds[kind],
                         (unsigned long long)k, oclnn_status_name(st), oclnn_last_error(ctx));
            if (st && !oclnn_last_error(ctx)[0]) fail_msg("%s: a status without a message", what);
            failures += st != OCLNN_STATUS_OK;
            if (phase == 1) {
                /* the runtime stays usable: the next run is exact */
                assert_ok(ctx, run_once(keep, in, x, xn, out, y, yn));
                if (memcmp(y, ref, yn * sizeof *y))
                    fail_msg("%s: the run after a failed %s call %llu differs", what, kinds[kind],
                             (unsigned long long)k);
            }
            if (phase == 0 && (clw_live_objects() != live0 || ta.live != hlive0))
                fail_msg("%s: create, %s call %llu: %lld OpenCL objects and %ld host allocations leaked", what,
                         kinds[kind], (unsigned long long)k, (long long)(clw_live_objects() - live0),
                         ta.live - hlive0);
        }
        oclnn_runtime_destroy(keep);
        if (clw_live_objects() != live0 || ta.live != hlive0)
            fail_msg("%s: %s sweep leaked %lld OpenCL objects, %ld host allocations", what, phase ? "run" : "create",
                     (long long)(clw_live_objects() - live0), ta.live - hlive0);
        printf("# %s, %s: %llu %s calls, %llu failures reported%s\n", what, phase ? "run" : "create",
               (unsigned long long)total, kinds[kind], (unsigned long long)failures,
               phase ? ", every next run exact" : "");
        /* a run creates no OpenCL object (the arena and the kernels exist already) and creation enqueues nothing
         * (weights go in with their buffers): those sweeps have no call to fail; every other one has */
        if ((phase == 1 && kind == CLW_FAULT_ALLOC) || (phase == 0 && kind == CLW_FAULT_ENQUEUE))
            assert_int_equal(total, 0);
        else
            assert_true(total >= 1 && failures >= 1);
    }
    free(x), free(y), free(ref);
    oclnn_graph_destroy(g);
    oclnn_context_destroy(ctx);
    if (kind == CLW_FAULT_KIND_COUNT) assert_int_equal(ta.live, 0);
}

static void test_run_fault_sweeps(void **state) {
    (void)state;
    const int kinds[3] = {CLW_FAULT_ALLOC, CLW_FAULT_ENQUEUE, CLW_FAULT_KIND_COUNT};
    for (int k = 0; k < 3; k++) {
        run_fault_sweep("DenseNet block", densenet_graph, 1, kinds[k]);
        run_fault_sweep("Inception module, 4 queues", inception_graph, 4, kinds[k]);
    }
}

/* ---- negative cases ---- */

static void expect_fail(oclnn_context *ctx, oclnn_graph *g, oclnn_status want, const char *const *needles) {
    oclnn_runtime *rt = (oclnn_runtime *)0x1;
    oclnn_status s = oclnn_runtime_create(ctx, g, NULL, &rt);
    if (s != want)
        fail_msg("expected %s, got %s: %s", oclnn_status_name(want), oclnn_status_name(s), oclnn_last_error(ctx));
    assert_null(rt);
    for (; *needles; needles++)
        if (!strstr(oclnn_last_error(ctx), *needles))
            fail_msg("message '%s' does not mention '%s'", oclnn_last_error(ctx), *needles);
    printf("  %s: %s\n", oclnn_status_name(s), oclnn_last_error(ctx));
    oclnn_graph_destroy(g);
}

static oclnn_graph *neg_graph(oclnn_context *ctx, const int64_t *xd) {
    oclnn_graph *g;
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 2, xd));
    return g;
}

static void test_negative(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    const int64_t d34[2] = {3, 4};
    const char *x = "x";
    { /* unknown op */
        oclnn_graph *g = neg_graph(ctx, d34);
        add_node(g, "FooBar", "foo", 1, &x, "y", 0, NULL);
        assert_ok(ctx, oclnn_graph_add_output(g, "y"));
        const char *n[] = {"node 'foo' (FooBar)", "not supported", NULL};
        expect_fail(ctx, g, OCLNN_STATUS_UNSUPPORTED, n);
    }
    { /* dangling input */
        oclnn_graph *g = neg_graph(ctx, d34);
        const char *ins[2] = {"x", "ghost"};
        add_node(g, "Add", "add", 2, ins, "y", 0, NULL);
        assert_ok(ctx, oclnn_graph_add_output(g, "y"));
        const char *n[] = {"node 'add' (Add)", "'ghost'", "never produced", NULL};
        expect_fail(ctx, g, OCLNN_STATUS_INVALID_MODEL, n);
    }
    { /* output never produced */
        oclnn_graph *g = neg_graph(ctx, d34);
        add_node(g, "Relu", "relu", 1, &x, "y", 0, NULL);
        assert_ok(ctx, oclnn_graph_add_output(g, "y"));
        assert_ok(ctx, oclnn_graph_add_output(g, "nowhere"));
        const char *n[] = {"'nowhere'", "never produced", NULL};
        expect_fail(ctx, g, OCLNN_STATUS_INVALID_MODEL, n);
    }
    { /* cycle */
        oclnn_graph *g = neg_graph(ctx, d34);
        const char *a[2] = {"x", "b"}, *bi[1] = {"a"};
        add_node(g, "Add", "n1", 2, a, "a", 0, NULL);
        add_node(g, "Relu", "n2", 1, bi, "b", 0, NULL);
        assert_ok(ctx, oclnn_graph_add_output(g, "b"));
        const char *n[] = {"cycle", NULL};
        expect_fail(ctx, g, OCLNN_STATUS_INVALID_MODEL, n);
    }
    { /* shapes that do not broadcast */
        oclnn_graph *g = neg_graph(ctx, d34);
        const int64_t d54[2] = {5, 4};
        assert_ok(ctx, oclnn_graph_add_input(g, "z", OCLNN_DTYPE_F32, 2, d54));
        const char *ins[2] = {"x", "z"};
        add_node(g, "Add", "mismatch", 2, ins, "y", 0, NULL);
        assert_ok(ctx, oclnn_graph_add_output(g, "y"));
        const char *n[] = {"node 'mismatch' (Add)", "3x4", "5x4", NULL};
        expect_fail(ctx, g, OCLNN_STATUS_INVALID_SHAPE, n);
    }
    { /* a dynamic input dim left at create */
        const int64_t dyn[2] = {-1, 4};
        oclnn_graph *g = neg_graph(ctx, dyn);
        add_node(g, "Relu", "relu", 1, &x, "y", 0, NULL);
        assert_ok(ctx, oclnn_graph_add_output(g, "y"));
        const char *n[] = {"input 'x'", "-1", NULL};
        expect_fail(ctx, g, OCLNN_STATUS_INVALID_SHAPE, n);
    }
    { /* Conv weights fed as a graph input */
        oclnn_graph *g;
        assert_ok(ctx, oclnn_graph_create(ctx, &g));
        const int64_t xd[4] = {1, 2, 5, 5}, wd[4] = {3, 2, 3, 3};
        assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd));
        assert_ok(ctx, oclnn_graph_add_input(g, "w", OCLNN_DTYPE_F32, 4, wd));
        const char *ins[2] = {"x", "w"};
        add_node(g, "Conv", "conv_w_input", 2, ins, "y", 0, NULL);
        assert_ok(ctx, oclnn_graph_add_output(g, "y"));
        /* accepted: compiled at the first invoke (test_weight_inputs), which needs w */
        oclnn_runtime *rt = NULL;
        assert_ok(ctx, oclnn_runtime_create(ctx, g, NULL, &rt));
        assert_int_equal(oclnn_runtime_invoke(rt), OCLNN_STATUS_INVALID_STATE);
        printf("  %s: %s\n", oclnn_status_name(OCLNN_STATUS_INVALID_STATE), oclnn_last_error(ctx));
        if (!strstr(oclnn_last_error(ctx), "weight input 'w' was never set"))
            fail_msg("message '%s' does not name the weight input", oclnn_last_error(ctx));
        oclnn_runtime_destroy(rt);
        oclnn_graph_destroy(g);
    }
    { /* a zero-size input: refused when fixed, as unsupported */
        const int64_t d_any[2] = {-1, 4}, d0[2] = {0, 4};
        oclnn_graph *g = neg_graph(ctx, d_any);
        assert_int_equal(oclnn_graph_fix_input(g, "x", 2, d0), OCLNN_STATUS_UNSUPPORTED);
        printf("  UNSUPPORTED: %s\n", oclnn_last_error(ctx));
        if (!strstr(oclnn_last_error(ctx), "'x' dim 0 is 0: zero-size tensors are not supported"))
            fail_msg("message '%s' does not explain the zero-size input", oclnn_last_error(ctx));
        oclnn_graph_destroy(g);
    }
    { /* a shape op nobody folded */
        oclnn_graph *g = neg_graph(ctx, d34);
        add_node(g, "Shape", "shape", 1, &x, "y", 0, NULL);
        assert_ok(ctx, oclnn_graph_add_output(g, "y"));
        const char *n[] = {"node 'shape' (Shape)", NULL};
        int changed = 0;
        (void)changed;
        oclnn_runtime *rt = NULL;
        oclnn_status s = oclnn_runtime_create(ctx, g, NULL, &rt);
        /* folded by fold.c when linked (then the output is a constant, refused as such), else unsupported */
        assert_int_equal(s, OCLNN_STATUS_UNSUPPORTED);
        assert_null(rt);
        printf("  %s: %s\n", oclnn_status_name(s), oclnn_last_error(ctx));
        if (!strstr(oclnn_last_error(ctx), "graph output 'y' is a constant"))
            assert_non_null(strstr(oclnn_last_error(ctx), n[0]));
        oclnn_graph_destroy(g);
    }
    oclnn_runtime_destroy(NULL);
    assert_int_equal(oclnn_runtime_create(ctx, NULL, NULL, NULL), OCLNN_STATUS_INVALID_ARGUMENT);
    oclnn_context_destroy(ctx);
}

/* ---- 1-D Conv, ConvTranspose, MaxPool and AveragePool ([N,C,W] data, run as 2-D with H = 1) against naive 1-D
 * loops (double accumulation). Conv bound: 1e-5 * (sum |w x| + |b|) + 1e-6; max pooling exact; average 1e-6 relative.
 * ---- */

static void test_one_d(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    uint64_t seed = TEST_SEED ^ 14;
    const int N = 2, C = 6, W = 23, G = 2, K = 4, KW = 3;
    float *x = rand_vec(&seed, (size_t)N * C * W, -2, 2), *w = rand_vec(&seed, (size_t)K * (C / G) * KW, -1, 1);
    float *b = rand_vec(&seed, (size_t)K, -1, 1);
    double *ref = calloc(4096, sizeof *ref), *mag = calloc(4096, sizeof *mag);
    const char *y1[1] = {"y"};
    size_t n;
    zval X = {"x", 0, 3, {N, C, W}, x, 0};
    { /* Conv: group 2, stride 2, dilation 2, pads [2, 1] */
        const int s = 2, d = 2, pl = 2, pr = 1, ow = (W + pl + pr - d * (KW - 1) - 1) / s + 1;
        int64_t ks[1] = {KW}, st[1] = {s}, dl[1] = {d}, pads[2] = {pl, pr};
        oclnn_attr at[5] = {attr_ints("kernel_shape", 1, ks), attr_ints("strides", 1, st),
                            attr_ints("dilations", 1, dl), attr_ints("pads", 2, pads), attr_int("group", G)};
        zval ins[3] = {X, {"w", 1, 3, {K, C / G, KW}, w, 0}, {"b", 1, 1, {K}, b, 0}};
        float *y = zoo_run(ctx, "Conv", 18, 3, ins, 1, y1, 5, at, 0, &n);
        for (int i = 0; i < N; i++)
            for (int k = 0; k < K; k++)
                for (int o = 0; o < ow; o++) {
                    double acc = b[k], m = fabs(b[k]);
                    int c0 = k / (K / G) * (C / G);
                    for (int c = 0; c < C / G; c++)
                        for (int j = 0; j < KW; j++) {
                            int p = o * s + j * d - pl;
                            if (p < 0 || p >= W) continue;
                            double v = (double)w[(k * (C / G) + c) * KW + j] * x[(i * C + c0 + c) * W + p];
                            acc += v, m += fabs(v);
                        }
                    ref[(i * K + k) * ow + o] = acc, mag[(i * K + k) * ow + o] = m;
                }
        zoo_check("Conv 1-D g2 s2 d2 p[2,1]", y, n, ref, (size_t)N * K * ow, mag, 1e-5, 1e-6);
        free(y);
    }
    { /* ConvTranspose: stride 2, output_padding 1, pads [1, 0]; W is [C, K, KW] */
        const int s = 2, opad = 1, pl = 1, pr = 0, co = 3, ow = s * (W - 1) + opad + KW - pl - pr;
        float *wt = rand_vec(&seed, (size_t)C * co * KW, -1, 1);
        int64_t st[1] = {s}, op[1] = {opad}, pads[2] = {pl, pr};
        oclnn_attr at[3] = {attr_ints("strides", 1, st), attr_ints("output_padding", 1, op), attr_ints("pads", 2, pads)};
        zval ins[2] = {X, {"w", 1, 3, {C, co, KW}, wt, 0}};
        float *y = zoo_run(ctx, "ConvTranspose", 18, 2, ins, 1, y1, 3, at, 0, &n);
        memset(ref, 0, 4096 * sizeof *ref), memset(mag, 0, 4096 * sizeof *mag);
        for (int i = 0; i < N; i++)
            for (int c = 0; c < C; c++)
                for (int p = 0; p < W; p++)
                    for (int k = 0; k < co; k++)
                        for (int j = 0; j < KW; j++) {
                            int o = p * s + j - pl;
                            if (o < 0 || o >= ow) continue;
                            double v = (double)wt[(c * co + k) * KW + j] * x[(i * C + c) * W + p];
                            ref[(i * co + k) * ow + o] += v, mag[(i * co + k) * ow + o] += fabs(v);
                        }
        zoo_check("ConvTranspose 1-D s2 op1 p[1,0]", y, n, ref, (size_t)N * co * ow, mag, 1e-5, 1e-6);
        free(y), free(wt);
    }
    for (int avg = 0; avg <= 1; avg++) { /* pools: kernel 4, stride 3, pads [1, 2], ceil_mode 1 */
        const int k = 4, s = 3, pl = 1, pr = 2;
        int ow = (W + pl + pr - k + s - 1) / s + 1;
        if ((ow - 1) * s >= W + pl) ow--; /* a last window that would start in the right pad is dropped (ORT) */
        int64_t ks[1] = {k}, st[1] = {s}, pads[2] = {pl, pr};
        oclnn_attr at[4] = {attr_ints("kernel_shape", 1, ks), attr_ints("strides", 1, st), attr_ints("pads", 2, pads),
                            attr_int("ceil_mode", 1)};
        float *y = zoo_run(ctx, avg ? "AveragePool" : "MaxPool", 18, 1, &X, 1, y1, 4, at, 0, &n);
        for (int i = 0; i < N * C; i++)
            for (int o = 0; o < ow; o++) {
                double acc = avg ? 0 : -INFINITY;
                int cnt = 0;
                for (int j = 0; j < k; j++) {
                    int p = o * s + j - pl;
                    if (p < 0 || p >= W) continue;
                    acc = avg ? acc + x[i * W + p] : fmax(acc, x[i * W + p]);
                    cnt++;
                }
                ref[i * ow + o] = avg ? acc / cnt : acc; /* count_include_pad 0 */
            }
        zoo_check(avg ? "AveragePool 1-D k4 s3 p[1,2] ceil" : "MaxPool 1-D k4 s3 p[1,2] ceil", y, n, ref,
                  (size_t)N * C * ow, NULL, avg ? 1e-6 : 0, 0);
        free(y);
    }
    free(x), free(w), free(b), free(ref), free(mag);
    oclnn_context_destroy(ctx);
}

/* ---- 3-D MaxPool, AveragePool, LpPool and the global pools ([N,C,D,H,W], on the rank-based oclnn_pool: a (kh, kw)
 * pass then a depth pass) against a naive 3-D window loop: max exact, average within 1e-6 relative (two divisions
 * instead of one), Lp p=2 within 1e-6 relative (two square roots), the global average within 1e-4 of max|x|. ---- */

static void test_three_d_pool(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    uint64_t seed = TEST_SEED ^ 15;
    const int N = 2, C = 3, D = 5, H = 9, W = 11;
    float *x = rand_vec(&seed, (size_t)N * C * D * H * W, -2, 2);
    double *ref = calloc(8192, sizeof *ref);
    const char *y1[1] = {"y"};
    size_t n;
    zval X = {"x", 0, 5, {N, C, D, H, W}, x, 0};
    /* kernel 3x2x3, strides 2x1x2, pads (1,0,1 / 1,1,0), dilation 1x2x1 for the max (AveragePool has dilations from op
     * set 19 on, above oclnn's 18); ceil_mode for the average */
    const int in[3] = {D, H, W};
    /* max, average excluding pads (ceil_mode), average including pads, Lp p=2, global average, global max */
    for (int c = 0; c < 6; c++) {
        int avg = c == 1 || c == 2, lp = c == 3, global = c >= 4, gmax = c == 5, cip = c == 2, ceil_mode = c == 1;
        int k[3] = {3, 2, 3}, s[3] = {2, 1, 2}, pb[3] = {1, 0, 1}, pe[3] = {1, 1, 0}, o[3];
        int dl[3] = {1, c == 0 ? 2 : 1, 1};
        for (int a = 0; a < 3 && global; a++)
            k[a] = in[a], s[a] = 1, pb[a] = pe[a] = 0;
        for (int a = 0; a < 3; a++) {
            int span = in[a] + pb[a] + pe[a] - dl[a] * (k[a] - 1) - 1;
            o[a] = (ceil_mode ? (span + s[a] - 1) / s[a] : span / s[a]) + 1;
            if (ceil_mode && (o[a] - 1) * s[a] >= in[a] + pb[a]) o[a]--; /* no window starting in the end pad */
        }
        int64_t ks[3] = {k[0], k[1], k[2]}, st[3] = {s[0], s[1], s[2]}, dd[3] = {dl[0], dl[1], dl[2]};
        int64_t pads[6] = {pb[0], pb[1], pb[2], pe[0], pe[1], pe[2]};
        oclnn_attr at[5] = {attr_ints("kernel_shape", 3, ks), attr_ints("strides", 3, st), attr_ints("pads", 6, pads),
                            lp ? attr_int("p", 2) : attr_int("ceil_mode", ceil_mode),
                            avg ? attr_int("count_include_pad", cip) : attr_ints("dilations", 3, dd)};
        static const char *const ops[6] = {"MaxPool",     "AveragePool",       "AveragePool",
                                           "LpPool",      "GlobalAveragePool", "GlobalMaxPool"};
        float *y = zoo_run(ctx, ops[c], 18, 1, &X, 1, y1, global ? 0 : lp ? 4 : 5, global ? NULL : at, 0, &n);
        double *mag = calloc(8192, sizeof *mag);
        size_t i = 0;
        for (int z = 0; z < N * C; z++)
            for (int od = 0; od < o[0]; od++)
                for (int oy = 0; oy < o[1]; oy++)
                    for (int ox = 0; ox < o[2]; ox++, i++) {
                        double acc = avg || lp || (global && !gmax) ? 0 : -INFINITY, m = 0;
                        int cnt = 0, cntpad = 1, pos[3] = {od, oy, ox};
                        for (int a = 0; a < 3; a++) { /* taps inside the padded extent, per axis */
                            int t = 0;
                            for (int j = 0; j < k[a]; j++) {
                                int p = pos[a] * s[a] + j * dl[a] - pb[a];
                                t += p >= -pb[a] && p < in[a] + pe[a];
                            }
                            cntpad *= t;
                        }
                        for (int a = 0; a < k[0]; a++)
                            for (int b = 0; b < k[1]; b++)
                                for (int e = 0; e < k[2]; e++) {
                                    int pd = od * s[0] + a * dl[0] - pb[0], py = oy * s[1] + b * dl[1] - pb[1];
                                    int px = ox * s[2] + e * dl[2] - pb[2];
                                    if (pd < 0 || pd >= D || py < 0 || py >= H || px < 0 || px >= W) continue;
                                    double v = x[(((size_t)z * D + pd) * H + py) * W + px];
                                    acc = lp ? acc + v * v : avg || (global && !gmax) ? acc + v : fmax(acc, v);
                                    m = fmax(m, fabs(v));
                                    cnt++;
                                }
                        ref[i] = lp ? sqrt(acc) : avg ? acc / (cip ? cntpad : cnt) : global && !gmax ? acc / cnt : acc;
                        mag[i] = global && !gmax ? m : fabs(ref[i]);
                    }
        const char *what[6] = {"MaxPool 3-D k3x2x3 s2x1x2 d1x2x1", "AveragePool 3-D ceil exclude pad",
                               "AveragePool 3-D include pad", "LpPool 3-D p=2 k3x2x3 s2x1x2",
                               "GlobalAveragePool 5-D", "GlobalMaxPool 5-D"};
        int exact = c == 0 || gmax;
        /* the global average sums 495 arbitrary floats in one pass: <= 494 u of sum|x| / 495 <= 3e-5 of max|x| */
        zoo_check(what[c], y, n, ref, i, mag, exact ? 0 : global ? 1e-4 : 1e-6, avg ? 1e-7 : 0);
        free(y);
        free(mag);
    }
    free(x), free(ref);
    oclnn_context_destroy(ctx);
}

/* ---- ConvTranspose 3-D (5-D X and W) and BatchNormalization in training mode through the runtime ---- */

static void test_deconv3d_bn_training(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    uint64_t seed = TEST_SEED ^ 16;
    const int N = 2, C = 4, K = 6, G = 2, D = 3, H = 5, W = 4, kk[3] = {3, 2, 3};
    float *x = rand_vec(&seed, (size_t)N * C * D * H * W, -2, 2);
    float *w = rand_vec(&seed, (size_t)C * (K / G) * kk[0] * kk[1] * kk[2], -0.5f, 0.5f);
    float *b = rand_vec(&seed, (size_t)K, -0.5f, 0.5f);
    const char *y1[1] = {"y"};
    size_t n;
    zval X = {"x", 0, 5, {N, C, D, H, W}, x, 0}, Wt = {"w", 1, 5, {C, K / G, kk[0], kk[1], kk[2]}, w, 0};
    zval B = {"b", 1, 1, {K}, b, 0};
    /* strides 2x1x2, pads (1,0,0 / 0,1,1), output_padding (1,0,1), dilations 1x2x1, group 2; then the same by
     * output_shape with SAME_UPPER */
    for (int form = 0; form < 2; form++) {
        int64_t st[3] = {2, 1, 2}, pads[6] = {1, 0, 0, 0, 1, 1}, op[3] = {1, 0, 1}, dl[3] = {1, 2, 1}, os[3] = {7, 6, 9};
        deconv3d_ref_params rp = {N, C, K, G, {D, H, W}, {kk[0], kk[1], kk[2]}, {2, 1, 2}, {1, 2, 1}, {0, 0, 0},
                                  {0, 0, 0}, 0, 0, 0, 0};
        const int in[3] = {D, H, W};
        for (int a = 0; a < 3; a++) {
            int full = (int)st[a] * (in[a] - 1) + (int)op[a] + (int)dl[a] * (kk[a] - 1) + 1;
            if (form == 0) {
                rp.out[a] = full - (int)pads[a] - (int)pads[a + 3];
                rp.pad[a] = (int)pads[a];
            } else { /* SAME_UPPER with output_shape: total padding full - out, the smaller half first */
                rp.out[a] = (int)os[a];
                rp.pad[a] = (full - (int)os[a]) / 2;
            }
        }
        oclnn_attr at[6] = {attr_ints("strides", 3, st), attr_ints("output_padding", 3, op),
                            attr_ints("dilations", 3, dl), attr_int("group", G),
                            form ? attr_ints("output_shape", 3, os) : attr_ints("pads", 6, pads),
                            attr_str("auto_pad", form ? "SAME_UPPER" : "NOTSET")};
        zval ins[3] = {X, Wt, B};
        float *y = zoo_run(ctx, "ConvTranspose", 11, 3, ins, 1, y1, 6, at, 0, &n);
        size_t ny = (size_t)N * K * rp.out[0] * rp.out[1] * rp.out[2];
        double *ref = malloc(ny * sizeof *ref), *mag = malloc(ny * sizeof *mag);
        deconv3d_ref(&rp, x, w, b, NULL, ref, mag);
        zoo_check(form ? "ConvTranspose 3-D output_shape SAME_UPPER" : "ConvTranspose 3-D s2x1x2 d1x2x1 group 2", y,
                  n, ref, ny, mag, 1e-5, 1e-6);
        free(y), free(ref), free(mag);
    }

    /* BatchNormalization training_mode (op set 15): Y with the batch's statistics, running mean and variance. */
    const int BN = 3, BC = 5, BL = 7 * 3;
    float *bx = rand_vec(&seed, (size_t)BN * BC * BL, -1, 3);
    float *sc = rand_vec(&seed, BC, 0.5f, 1.5f), *bb = rand_vec(&seed, BC, -0.5f, 0.5f);
    float *mu = rand_vec(&seed, BC, -0.3f, 0.3f), *var = rand_vec(&seed, BC, 0.5f, 2.0f);
    zval bins[5] = {{"x", 0, 4, {BN, BC, 7, 3}, bx, 0}, {"s", 1, 1, {BC}, sc, 0}, {"bias", 1, 1, {BC}, bb, 0},
                    {"mean", 1, 1, {BC}, mu, 0}, {"var", 1, 1, {BC}, var, 0}};
    const char *outs3[3] = {"y", "running_mean", "running_var"};
    oclnn_attr bat[3] = {attr_int("training_mode", 1), attr_float("epsilon", 1e-2f), attr_float("momentum", 0.8f)};
    double bm[5], bv[5], *yref = malloc((size_t)BN * BC * BL * sizeof *yref), *ymag = malloc(BN * BC * BL * 8);
    double rm[5], rv[5], rmag[5], vmag[5];
    for (int c = 0; c < BC; c++) {
        double sum = 0, q = 0;
        for (int i = 0; i < BN * BL; i++) sum += bx[((size_t)(i / BL) * BC + c) * BL + i % BL];
        bm[c] = sum / (BN * BL);
        for (int i = 0; i < BN * BL; i++) {
            double d = bx[((size_t)(i / BL) * BC + c) * BL + i % BL] - bm[c];
            q += d * d;
        }
        bv[c] = q / (BN * BL);
        rm[c] = mu[c] * 0.8 + bm[c] * 0.2, rmag[c] = fabs(mu[c] * 0.8) + fabs(bm[c] * 0.2);
        rv[c] = var[c] * 0.8 + bv[c] * 0.2, vmag[c] = fabs(var[c] * 0.8) + fabs(bv[c] * 0.2);
        double sd = sqrt(bv[c] + (double)1e-2f), a = sc[c] / sd;
        for (int i = 0; i < BN * BL; i++) {
            size_t o = ((size_t)(i / BL) * BC + c) * BL + i % BL;
            yref[o] = (bx[o] - bm[c]) * a + bb[c];
            ymag[o] = fabs(a) * (fabs(bx[o] - bm[c]) + sd) + fabs(yref[o]); /* as test_eltwise's training bound */
        }
    }
    const char *what[3] = {"BatchNormalization training Y", "running_mean", "running_var"};
    for (size_t k = 0; k < 3; k++) {
        float *y = zoo_run(ctx, "BatchNormalization", 15, 5, bins, 3, outs3, 3, bat, k, &n);
        zoo_check(what[k], y, n, k == 0 ? yref : k == 1 ? rm : rv, k == 0 ? (size_t)BN * BC * BL : (size_t)BC,
                  k == 0 ? ymag : k == 1 ? rmag : vmag, 1e-4, 1e-6);
        free(y);
    }
    free(x), free(w), free(b), free(bx), free(sc), free(bb), free(mu), free(var), free(yref), free(ymag);
    oclnn_context_destroy(ctx);
}

/* ---- 6-D values inside a graph: PyTorch's PixelShuffle export, Reshape to [N, C, r, r, H, W], Transpose
 * [0, 1, 4, 2, 5, 3], Reshape to [N, C, H*r, W*r]; compared exactly with the pixel shuffle written out ---- */

static void test_six_d_pixel_shuffle(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    uint64_t seed = TEST_SEED ^ 17;
    enum { N = 2, C = 3, R = 2, H = 5, W = 7 };
    float *x = rand_vec(&seed, (size_t)N * C * R * R * H * W, -2, 2);
    oclnn_graph *g;
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    int64_t xd[4] = {N, C * R * R, H, W}, s6[6] = {N, C, R, R, H, W}, s4[4] = {N, C, H * R, W * R}, d6 = 6, d4 = 4;
    int64_t perm[6] = {0, 1, 4, 2, 5, 3};
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd));
    assert_ok(ctx, oclnn_graph_add_constant(g, "s6", OCLNN_DTYPE_I64, 1, &d6, s6));
    assert_ok(ctx, oclnn_graph_add_constant(g, "s4", OCLNN_DTYPE_I64, 1, &d4, s4));
    const char *r1[2] = {"x", "s6"}, *tin[1] = {"x6"}, *r2[2] = {"t6", "s4"};
    oclnn_attr pa = attr_ints("perm", 6, perm);
    add_node(g, "Reshape", "to6", 2, r1, "x6", 0, NULL);
    add_node(g, "Transpose", "shuffle", 1, tin, "t6", 1, &pa);
    add_node(g, "Reshape", "to4", 2, r2, "y", 0, NULL);
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    oclnn_runtime *rt = make_rt(ctx, g, 1, 1, 1);
    oclnn_graph_destroy(g);
    const size_t n = (size_t)N * C * R * R * H * W;
    float *y = malloc(n * sizeof *y), *want = malloc(n * sizeof *want);
    for (int b = 0; b < N; b++)
        for (int c = 0; c < C; c++)
            for (int i = 0; i < R; i++)
                for (int j = 0; j < R; j++)
                    for (int h = 0; h < H; h++)
                        for (int w = 0; w < W; w++)
                            want[(((size_t)b * C + c) * H * R + h * R + i) * W * R + w * R + j] =
                                x[((((size_t)b * C + c) * R * R + i * R + j) * H + h) * W + w];
    assert_ok(ctx, oclnn_runtime_set_input(rt, "x", x, n * sizeof *x));
    assert_ok(ctx, oclnn_runtime_invoke(rt));
    assert_ok(ctx, oclnn_runtime_get_output(rt, "y", y, n * sizeof *y));
    if (memcmp(y, want, n * sizeof *y)) fail_msg("6-D pixel shuffle: not bit-exact");
    printf("  6-D pixel shuffle: %zu elements exact\n", n);
    oclnn_runtime_destroy(rt);
    free(x), free(y), free(want);
    oclnn_context_destroy(ctx);
}

/* ---- weights fed as graph inputs (the ONNX backend tests' form): compiled at the first invoke, recompiled when
 * the weights change ---- */

static void test_weight_inputs(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    uint64_t seed = TEST_SEED ^ 13;
    const int c = 5, k = 6, h = 9, w = 11;
    oclnn_graph *g = NULL;
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    int64_t xd[4] = {1, c, h, w}, wd[4] = {k, c, 3, 3}, bd[1] = {k};
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd));
    assert_ok(ctx, oclnn_graph_add_input(g, "W", OCLNN_DTYPE_F32, 4, wd));
    assert_ok(ctx, oclnn_graph_add_input(g, "B", OCLNN_DTYPE_F32, 1, bd));
    int64_t kshape[2] = {3, 3}, pads[4] = {1, 1, 1, 1};
    oclnn_attr at[2] = {attr_ints("kernel_shape", 2, kshape), attr_ints("pads", 4, pads)};
    const char *ins[3] = {"x", "W", "B"};
    add_node(g, "Conv", "conv", 3, ins, "c", 2, at);
    relu_node(g, "relu", "c", "y");
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    oclnn_runtime *rt = make_rt(ctx, g, 1, 1, 1);
    assert_int_equal(oclnn_runtime_num_inputs(rt), 3);
    oclnn_tensor *t = NULL;
    assert_int_equal(oclnn_runtime_tensor(rt, "W", &t), OCLNN_STATUS_UNSUPPORTED);
    assert_null(t);
    tt x = tt_random(&seed, 1, c, h, w);
    float *y = malloc((size_t)k * h * w * sizeof *y);
    assert_non_null(y);
    assert_ok(ctx, oclnn_runtime_set_input(rt, "x", x.v, tt_count(&x) * sizeof(float)));
    /* W and B not set yet: nothing to compile with */
    assert_int_equal(oclnn_runtime_invoke(rt), OCLNN_STATUS_INVALID_STATE);
    assert_non_null(strstr(oclnn_last_error(ctx), "'W' was never set"));
    assert_int_equal(oclnn_runtime_get_output(rt, "y", y, (size_t)k * h * w * sizeof *y), OCLNN_STATUS_INVALID_STATE);
    assert_int_equal(oclnn_runtime_set_input(rt, "W", x.v, 7), OCLNN_STATUS_INVALID_ARGUMENT);
    for (int round = 0; round < 3; round++) {
        /* round 1 changes the weights (a recompile), round 2 sets the same ones again (none) */
        float r = 1.0f / sqrtf((float)(c * 9));
        uint64_t wseed = seed ^ (uint64_t)(round == 2 ? 1 : round);
        float *wt = rand_vec(&wseed, (size_t)k * c * 9, -r, r), *b = rand_vec(&wseed, (size_t)k, -0.5f, 0.5f);
        assert_ok(ctx, oclnn_runtime_set_input(rt, "W", wt, (size_t)k * c * 9 * sizeof(float)));
        assert_ok(ctx, oclnn_runtime_set_input(rt, "B", b, (size_t)k * sizeof(float)));
        assert_ok(ctx, oclnn_runtime_invoke(rt));
        assert_ok(ctx, oclnn_runtime_get_output(rt, "y", y, (size_t)k * h * w * sizeof *y));
        tt ref = ref_conv(&x, wt, b, k, 3, 3, 1, 1, 1);
        char what[64];
        snprintf(what, sizeof what, "weights as inputs, round %d", round);
        check_close(what, y, &ref);
        /* the compiled graph is described once it exists: one fused Conv+Relu step */
        assert_int_equal(oclnn_runtime_num_steps(rt), 1);
        tt_free(&ref);
        free(wt), free(b);
    }
    /* another input shape: the weights stay, the runtime follows */
    int64_t xd2[4] = {1, c, 7, 5};
    assert_ok(ctx, oclnn_runtime_reshape(rt, "x", 4, xd2));
    tt x2 = tt_random(&seed, 1, c, 7, 5);
    uint64_t wseed = seed ^ 7;
    float r = 1.0f / sqrtf((float)(c * 9));
    float *wt = rand_vec(&wseed, (size_t)k * c * 9, -r, r), *b = rand_vec(&wseed, (size_t)k, -0.5f, 0.5f);
    assert_ok(ctx, oclnn_runtime_set_input(rt, "W", wt, (size_t)k * c * 9 * sizeof(float)));
    assert_ok(ctx, oclnn_runtime_set_input(rt, "B", b, (size_t)k * sizeof(float)));
    /* new weights and a new shape before x is set again: the recompile must not feed x's data of the old shape */
    assert_ok(ctx, oclnn_runtime_invoke(rt));
    float *y2 = run(ctx, rt, "x", &x2, "y", (size_t)k * 7 * 5);
    tt ref2 = ref_conv(&x2, wt, b, k, 3, 3, 1, 1, 1);
    check_close("weights as inputs, reshaped", y2, &ref2);
    tt_free(&ref2), tt_free(&x2), tt_free(&x);
    free(wt), free(b), free(y), free(y2);
    oclnn_runtime_destroy(rt);
    oclnn_graph_destroy(g);
    oclnn_context_destroy(ctx);
}

/* ---- a consumed graph, shared workspaces ----
 * A chain of three Winograd convs with different channel counts (so different workspace needs) and a BN folded into
 * the first: made once with oclnn_runtime_create (the graph kept, destroyed later) and once with
 * oclnn_runtime_create_consume (the graph handed over and freed). Both match the reference, also after a reshape to
 * a larger input, which must grow the runtime's shared workspaces. */

static oclnn_graph *wino_chain(oclnn_context *ctx, uint64_t *seed, float **w, float **b, bn_w *bn) {
    oclnn_graph *g;
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    int64_t xd[4] = {1, 5, 23, 19};
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd));
    conv_node(g, seed, "c1", "x", "y1", 5, 7, 3, 1, 1, &w[0], &b[0]);
    *bn = bn_node(g, seed, "bn", "y1", "n1", 7);
    relu_node(g, "relu", "n1", "r1");
    conv_node(g, seed, "c2", "r1", "y2", 7, 19, 3, 1, 1, &w[1], &b[1]);
    conv_node(g, seed, "c3", "y2", "y", 19, 6, 3, 1, 1, &w[2], &b[2]);
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    return g;
}

static void test_consume_shared_workspaces(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    uint64_t seed = TEST_SEED ^ 21;
    float *w[3], *b[3];
    bn_w bn;
    oclnn_graph *g = wino_chain(ctx, &seed, w, b, &bn);
    oclnn_runtime_options o;
    oclnn_runtime_options_init(&o);
    setenv("OCLNN_CONV_ALGO", "winograd4x4", 1);
    oclnn_runtime *kept, *consumed;
    assert_ok(ctx, oclnn_runtime_create(ctx, g, &o, &kept));
    assert_ok(ctx, oclnn_runtime_create_consume(ctx, &g, &o, &consumed));
    unsetenv("OCLNN_CONV_ALGO");
    assert_null(g);
    size_t wino = 0;
    for (size_t i = 0; i < oclnn_runtime_num_steps(consumed); i++) {
        oclnn_node_info info;
        assert_ok(ctx, oclnn_runtime_step_info(consumed, i, &info));
        wino += !strcmp(info.algo, "winograd4x4");
    }
    assert_int_equal(wino, 3);
    oclnn_runtime_stats st;
    assert_ok(ctx, oclnn_runtime_stats_get(consumed, &st));
    assert_int_equal(st.params, (7 * 5 * 9 + 7) + 2 * 7 + (19 * 7 * 9 + 19) + (6 * 19 * 9 + 6));
    const int64_t sizes[2][4] = {{1, 5, 23, 19}, {2, 5, 37, 29}};
    for (int i = 0; i < 2; i++) {
        assert_ok(ctx, oclnn_runtime_reshape(kept, "x", 4, sizes[i]));
        assert_ok(ctx, oclnn_runtime_reshape(consumed, "x", 4, sizes[i]));
        tt x = tt_random(&seed, (int)sizes[i][0], 5, (int)sizes[i][2], (int)sizes[i][3]);
        tt y1 = ref_conv(&x, w[0], b[0], 7, 3, 3, 1, 1, 0), n1 = ref_bn(&y1, bn.sc, bn.b, bn.mean, bn.var, 1e-5f);
        tt r1 = ref_relu(&n1), y2 = ref_conv(&r1, w[1], b[1], 19, 3, 3, 1, 1, 0);
        tt y = ref_conv(&y2, w[2], b[2], 6, 3, 3, 1, 1, 0);
        float *a = run(ctx, kept, "x", &x, "y", tt_count(&y)), *c = run(ctx, consumed, "x", &x, "y", tt_count(&y));
        char what[96];
        snprintf(what, sizeof what, "Winograd chain [%d,5,%d,%d], graph kept", x.n, x.h, x.w);
        check_close(what, a, &y);
        snprintf(what, sizeof what, "Winograd chain [%d,5,%d,%d], graph consumed", x.n, x.h, x.w);
        check_close(what, c, &y);
        free(a), free(c);
        tt_free(&x), tt_free(&y1), tt_free(&n1), tt_free(&r1), tt_free(&y2), tt_free(&y);
    }
    oclnn_runtime_destroy(kept);
    oclnn_runtime_destroy(consumed);

    /* negative cases: the graph is destroyed and *graph cleared whatever fails */
    oclnn_runtime *rt = (oclnn_runtime *)&rt;
    assert_int_equal(oclnn_runtime_create_consume(ctx, NULL, &o, &rt), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_null(rt);
    g = NULL;
    assert_int_equal(oclnn_runtime_create_consume(ctx, &g, &o, &rt), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    assert_int_equal(oclnn_runtime_create_consume(ctx, &g, &o, NULL), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_null(g);
    oclnn_context *other = test_context(cache_dir);
    assert_ok(other, oclnn_graph_create(other, &g));
    assert_int_equal(oclnn_runtime_create_consume(ctx, &g, &o, &rt), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_null(g);
    assert_null(rt);
    oclnn_context_destroy(other);
    assert_ok(ctx, oclnn_graph_create(ctx, &g)); /* compiling fails: an op the runtime does not run */
    int64_t d[2] = {2, 3};
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 2, d));
    const char *in = "x";
    add_node(g, "NoSuchOp", "bad", 1, &in, "y", 0, NULL);
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    assert_int_equal(oclnn_runtime_create_consume(ctx, &g, &o, &rt), OCLNN_STATUS_UNSUPPORTED);
    assert_null(g);
    assert_null(rt);
    for (int i = 0; i < 3; i++)
        free(w[i]), free(b[i]);
    bn_free(&bn);
    oclnn_context_destroy(ctx);
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    cache_dir = test_tmpdir("graph_cache");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conv_bn_relu_pool), cmocka_unit_test(test_residual_block),
        cmocka_unit_test(test_densenet_block),    cmocka_unit_test(test_inception),
        cmocka_unit_test(test_reshape),           cmocka_unit_test(test_classifier_head),
        cmocka_unit_test(test_resize_concat),     cmocka_unit_test(test_op_zoo),
        cmocka_unit_test(test_fused_nodes),       cmocka_unit_test(test_profile),
        cmocka_unit_test(test_negative),          cmocka_unit_test(test_fault_sweeps),
        cmocka_unit_test(test_weight_inputs),     cmocka_unit_test(test_one_d),
        cmocka_unit_test(test_three_d_pool),      cmocka_unit_test(test_deconv3d_bn_training),
        cmocka_unit_test(test_six_d_pixel_shuffle),
        cmocka_unit_test(test_run_fault_sweeps),  cmocka_unit_test(test_consume_shared_workspaces),
    };
    /* slow devices (rusticl, Oclgrind) run the small table: the fused chain, the four-queue Inception module (for
     * Oclgrind's race detector), the fusion flags and the negative cases */
    const struct CMUnitTest small[] = {
        cmocka_unit_test(test_conv_bn_relu_pool),
        cmocka_unit_test(test_inception),
        cmocka_unit_test(test_fused_nodes),
        cmocka_unit_test(test_negative),
    };
    if (getenv("TEST_GRAPH_FILTER")) cmocka_set_test_filter(getenv("TEST_GRAPH_FILTER")); /* e.g. "test_inception" */
    oclnn_context *probe = test_context(cache_dir);
    int slow = test_device_is_slow(probe);
    oclnn_context_destroy(probe);
    int r = slow ? cmocka_run_group_tests(small, NULL, NULL) : cmocka_run_group_tests(tests, NULL, NULL);
    return r || clw_live_objects() != 0;
}
