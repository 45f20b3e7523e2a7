/* test_eltwise.c - the elementwise operators (unary activations, Identity, binary ops with broadcasting, PRelu,
 * BatchNormalization) against the double references of tests/ref/eltwise_ref.c and conv2d_ref.c's activations:
 * case tables over ranks, broadcast patterns, odd sizes, batches, channel slices and in place; a negative table
 * of exact statuses; lifecycle, cache and failure-sweep checks.
 *
 * Accuracy contract, checked on every element. z is the exact (double) result of the operation before the
 * activation, y = act(z) the reference output, S the activation's largest slope (ref_activation_slope):
 *   |got - y| <= TOL_OP(op) * |z| * S + TOL_ACT(act) * (|y| + S * |z|) + ABS_TOL
 *   TOL_OP  = 1e-6 for Add, Sub, Mul, Max, Min, PRelu (IEEE f32 rounds these correctly: 6e-8 relative),
 *             4e-6 for Div (OpenCL 1.2 allows 2.5 ulp)
 *   TOL_ACT = 0 for none, ReLU, Clip (exact after the op), 1e-6 for LeakyReLU, HardSigmoid, HardSwish (two or
 *             three roundings, which can cancel: hence relative to |z| too), 4e-6 for Sigmoid and Tanh (exp and
 *             tanh may be 3 and 5 ulp off, the division 2.5 ulp)
 *   ABS_TOL = 1e-7 (sigmoid values that underflow in f32)
 * BatchNormalization uses |z| := mag, the size of the terms the folded a*x + b adds (see eltwise_ref.h), with
 * TOL_OP 1e-6 (float rounding of a, b, the product and the sum: 4 * 6e-8). Identity and in-place Identity are
 * compared exactly, and elements outside an output channel slice must keep their sentinel exactly.
 * BatchNormalization in training mode (batch statistics computed on the device in float) is checked against the
 * double reference of the normalisation with the double batch mean and population variance:
 *   |got - y| <= BN_TRAIN_TOL * (|a| * (|x - mean| + std) + |y|) + ABS_TOL, a = scale / std, std = sqrt(var + eps)
 * BN_TRAIN_TOL = 1e-4: a work-item's float sum of at most a few hundred values (the cases' channels hold <= 40000
 * of them over 64 work-items), then a 6-level tree, stays within ~1e-5 relative of the sum of magnitudes; the
 * deviations pass removes the mean first, so channels far from zero lose nothing to cancellation. The running
 * statistics: |got - want| <= BN_TRAIN_TOL * (|input stat * momentum| + |batch stat * (1 - momentum)|) + ABS_TOL.
 */
#include "common.h"

#include <math.h>

#include "device/clw.h"
#include "program/program.h"
#include "ref/conv2d_ref.h"
#include "ref/eltwise_ref.h"

#define ABS_TOL 1e-7
#define SENTINEL 777.25f
#define VIEW_PAD 5 /* A tensors are views this many floats into a larger buffer, so offsets are exercised */

static double worst_ratio[5]; /* largest |err| / bound: unary, binary, prelu, batchnorm, batchnorm training */

static double tol_op(int op) { return op == OCLNN_BINARY_DIV ? 4e-6 : 1e-6; }

static double tol_act(int act) {
    switch (act) {
    case OCLNN_ACTIVATION_NONE:
    case OCLNN_ACTIVATION_RELU:
    case OCLNN_ACTIVATION_CLIP: return 0;
    case OCLNN_ACTIVATION_SIGMOID:
    case OCLNN_ACTIVATION_TANH: return 4e-6;
    default: return 1e-6;
    }
}

/* The documented bound for one element: z before the activation (or the BatchNorm magnitude), y after. */
static double bound_of(double top, int act, float alpha, double z, double y) {
    double s = ref_activation_slope(act, alpha);
    return top * fabs(z) * s + tol_act(act) * (fabs(y) + s * fabs(z)) + ABS_TOL;
}

/* Fails the test on the first element outside its bound; records the worst ratio in worst_ratio[kind]. */
static void check_elem(int kind, const char *name, size_t i, float got, double want, double bound) {
    double err = fabs((double)got - want);
    if (!(err <= bound))
        fail_msg("%s: element %zu: got %.9g want %.9g, err %.3g > bound %.3g (seed 0x%llx)", name, i, (double)got,
                 want, err, bound, (unsigned long long)TEST_SEED);
    if (err / bound > worst_ratio[kind]) worst_ratio[kind] = err / bound;
}

static void fill(float *v, size_t n, uint64_t *seed, float lo, float hi) {
    for (size_t i = 0; i < n; i++) v[i] = test_rand_float(seed, lo, hi);
}

/* A device tensor holding @p data; with @p pad, a view VIEW_PAD floats into a larger buffer (*base keeps it). */
static oclnn_tensor *upload(oclnn_context *ctx, int ndim, const int64_t *dims, const float *data, int pad,
                            oclnn_tensor **base) {
    size_t n = eltwise_ref_count(ndim, dims);
    oclnn_tensor *t;
    *base = NULL;
    if (pad) {
        int64_t flat = (int64_t)(n + VIEW_PAD);
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 1, &flat, base));
        assert_ok(ctx, oclnn_tensor_view(*base, VIEW_PAD * sizeof(float), OCLNN_DTYPE_F32, (size_t)ndim, dims, &t));
    } else {
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, (size_t)ndim, dims, &t));
    }
    if (data) assert_ok(ctx, oclnn_tensor_write(t, 0, n * sizeof(float), data));
    return t;
}

/* ---- unary ---- */

typedef struct unary_case {
    const char *name;
    int act;
    float alpha, beta;
    int ndim;
    int64_t d[5];
    int inplace;
    int small; /* also run on the slow rusticl device */
} unary_case;

static const unary_case unary_cases[] = {
    {"identity copy 27x37", 0, 0, 0, 4, {1, 23, 27, 37}, 0, 1},
    {"identity in place", 0, 0, 0, 4, {3, 23, 27, 37}, 1, 1},
    {"relu 27x37 batch 3", 1, 0, 0, 4, {3, 23, 27, 37}, 0, 0},
    {"relu in place", 1, 0, 0, 4, {1, 23, 27, 37}, 1, 1},
    {"relu rank 1 odd", 1, 0, 0, 1, {1001}, 0, 1},
    {"relu rank 5", 1, 0, 0, 5, {2, 3, 5, 7, 9}, 1, 0},
    {"leaky relu 0.1", 2, 0.1f, 0, 4, {1, 23, 27, 37}, 0, 0},
    {"leaky relu in place rank 3", 2, 0.2f, 0, 3, {23, 27, 37}, 1, 1},
    {"relu6 (clip 0..6)", 3, 0, 6, 4, {3, 23, 27, 37}, 1, 0},
    {"clip -0.5..0.5", 3, -0.5f, 0.5f, 2, {23, 999}, 0, 1},
    {"clip min only (max +inf)", 3, -1.0f, INFINITY, 4, {1, 23, 27, 37}, 0, 0},
    {"sigmoid", 4, 0, 0, 4, {3, 23, 27, 37}, 0, 1},
    {"sigmoid in place", 4, 0, 0, 4, {1, 23, 27, 37}, 1, 0},
    {"tanh", 5, 0, 0, 4, {1, 23, 27, 37}, 0, 1},
    {"tanh in place rank 2", 5, 0, 0, 2, {23, 37}, 1, 0},
    {"hard sigmoid 0.2 0.5", 6, 0.2f, 0.5f, 4, {1, 23, 27, 37}, 0, 1},
    {"hard swish", 7, 0, 0, 4, {3, 23, 27, 37}, 0, 1},
    {"hard swish in place 64x16x16", 7, 0, 0, 4, {1, 64, 16, 16}, 1, 0},
};

static void run_unary(oclnn_context *ctx, const unary_case *uc, uint64_t seed) {
    size_t n = eltwise_ref_count(uc->ndim, uc->d);
    float *x = malloc(n * 4), *y = malloc(n * 4);
    fill(x, n, &seed, -7.0f, 7.0f);
    oclnn_unary_params p;
    oclnn_unary_params_init(&p);
    p.activation = (oclnn_activation)uc->act;
    p.alpha = uc->alpha;
    p.beta = uc->beta;
    oclnn_unary *op;
    assert_ok(ctx, oclnn_unary_create(ctx, &p, &op));
    assert_ok(ctx, oclnn_unary_reshape(op, (size_t)uc->ndim, uc->d));
    oclnn_tensor *bx, *by, *tx = upload(ctx, uc->ndim, uc->d, x, 1, &bx), *ty = tx;
    if (!uc->inplace) {
        for (size_t i = 0; i < n; i++) y[i] = SENTINEL;
        ty = upload(ctx, uc->ndim, uc->d, y, 0, &by);
    }
    assert_ok(ctx, oclnn_unary_setup(op, tx, ty));
    oclnn_event *ev;
    assert_ok(ctx, oclnn_unary_enqueue(op, 0, &ev));
    assert_ok(ctx, oclnn_event_wait(ev));
    oclnn_event_destroy(ev);
    assert_ok(ctx, oclnn_tensor_read(ty, 0, n * 4, y));
    for (size_t i = 0; i < n; i++) {
        if (uc->act == OCLNN_ACTIVATION_NONE) {
            if (y[i] != x[i]) fail_msg("%s: element %zu: %.9g is not the input %.9g", uc->name, i, y[i], x[i]);
            continue;
        }
        double want = ref_activation(uc->act, x[i], uc->alpha, uc->beta);
        check_elem(0, uc->name, i, y[i], want, bound_of(0, uc->act, uc->alpha, x[i], want));
    }
    if (ty != tx) oclnn_tensor_destroy(ty);
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(bx);
    oclnn_unary_destroy(op);
    free(x);
    free(y);
}

static void test_unary_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    int slow = test_device_is_slow(ctx), ran = 0;
    for (size_t i = 0; i < sizeof unary_cases / sizeof unary_cases[0]; i++) {
        if (slow && !unary_cases[i].small) continue;
        run_unary(ctx, &unary_cases[i], TEST_SEED ^ (i * 0x9E3779B97F4A7C15ull));
        ran++;
    }
    printf("# unary: %d cases, worst |err|/bound %.3g\n", ran, worst_ratio[0]);
    oclnn_context_destroy(ctx);
}

/* ---- binary ---- */

typedef struct bin_case {
    const char *name;
    int op, act;
    float alpha, beta;
    int an;
    int64_t ad[5];
    int bn;
    int64_t bd[5];
    int extra_c; /* the output's axis 1 is this much wider; the result goes to channels from extra_c / 2 */
    int inplace; /* 1: the output is A, 2: the output is B */
    int small;
} bin_case;

enum { ADD, SUB, MUL, DIV, MAX, MIN };

static const bin_case bin_cases[] = {
    {"same shape add 27x37", ADD, 0, 0, 0, 4, {1, 23, 27, 37}, 4, {1, 23, 27, 37}, 0, 0, 1},
    {"same shape sub batch 3", SUB, 0, 0, 0, 4, {3, 23, 27, 37}, 4, {3, 23, 27, 37}, 0, 0, 0},
    {"same shape div", DIV, 0, 0, 0, 4, {1, 23, 27, 37}, 4, {1, 23, 27, 37}, 0, 0, 1},
    {"same shape max in place (A)", MAX, 0, 0, 0, 4, {3, 23, 27, 37}, 4, {3, 23, 27, 37}, 0, 1, 0},
    {"same shape min in place (B)", MIN, 0, 0, 0, 4, {1, 23, 27, 37}, 4, {1, 23, 27, 37}, 0, 2, 1},
    {"DBNet add + relu", ADD, 1, 0, 0, 4, {1, 32, 40, 40}, 4, {1, 32, 40, 40}, 0, 0, 0},
    {"add + relu into channel slice", ADD, 1, 0, 0, 4, {3, 23, 27, 37}, 4, {3, 23, 27, 37}, 6, 0, 1},
    {"[N,C,H,W] + [C,1,1] (27x37)", ADD, 0, 0, 0, 4, {3, 23, 27, 37}, 3, {23, 1, 1}, 0, 0, 1},
    {"[N,C,H,W] * [C,1,1] (16x16)", MUL, 0, 0, 0, 4, {3, 23, 16, 16}, 3, {23, 1, 1}, 0, 0, 0},
    {"[C,1,1] - [N,C,H,W]", SUB, 0, 0, 0, 3, {23, 1, 1}, 4, {3, 23, 16, 16}, 0, 0, 1},
    {"[C,1,1] / [N,C,H,W] in place (B)", DIV, 0, 0, 0, 3, {23, 1, 1}, 4, {1, 23, 27, 37}, 0, 2, 0},
    {"SE: [N,C,H,W] * [N,C,1,1]", MUL, 0, 0, 0, 4, {3, 23, 27, 37}, 4, {3, 23, 1, 1}, 0, 0, 1},
    {"SE 64ch 14x14 in place (A)", MUL, 0, 0, 0, 4, {2, 64, 14, 14}, 4, {2, 64, 1, 1}, 0, 1, 0},
    {"SE [N,C,1,1] * [N,C,H,W] 16x16", MUL, 0, 0, 0, 4, {3, 24, 1, 1}, 4, {3, 24, 16, 16}, 0, 0, 0},
    {"scalar [1] sub", SUB, 0, 0, 0, 4, {3, 23, 27, 37}, 1, {1}, 0, 0, 1},
    {"[1] - x (swapped)", SUB, 0, 0, 0, 1, {1}, 4, {3, 23, 27, 37}, 0, 0, 0},
    {"[1] / x", DIV, 0, 0, 0, 1, {1}, 4, {1, 23, 27, 37}, 0, 0, 1},
    {"[1,1,1,1] * x", MUL, 0, 0, 0, 4, {1, 1, 1, 1}, 4, {3, 23, 16, 16}, 0, 0, 0},
    {"x max [W]", MAX, 0, 0, 0, 4, {3, 23, 27, 37}, 1, {37}, 0, 0, 1},
    {"[W] - x (rank 1 with rank 4)", SUB, 0, 0, 0, 1, {37}, 4, {3, 23, 27, 37}, 0, 0, 0},
    {"[W=16] min x", MIN, 0, 0, 0, 1, {16}, 4, {1, 23, 16, 16}, 0, 0, 1},
    {"[H,W] + x", ADD, 0, 0, 0, 2, {27, 37}, 4, {3, 23, 27, 37}, 0, 0, 0},
    {"[N,1,H,W] + [1,C,1,1] (both broadcast)", ADD, 0, 0, 0, 4, {3, 1, 27, 37}, 4, {1, 23, 1, 1}, 0, 0, 1},
    {"[N,1,H,W] / [1,C,1,W]", DIV, 0, 0, 0, 4, {3, 1, 27, 37}, 4, {1, 23, 1, 37}, 0, 0, 0},
    {"[N,1,H,W] * [N,C,H,W]", MUL, 0, 0, 0, 4, {3, 1, 27, 37}, 4, {3, 23, 27, 37}, 0, 0, 1},
    {"[N,C,H,W] - [N,1,H,1] in place (A)", SUB, 0, 0, 0, 4, {3, 23, 27, 37}, 4, {3, 1, 27, 1}, 0, 1, 1},
    {"[C,H,1] max [W] into slice", MAX, 0, 0, 0, 3, {23, 27, 1}, 1, {37}, 4, 0, 0},
    {"broadcast into channel slice", ADD, 0, 0, 0, 4, {3, 1, 27, 37}, 4, {1, 23, 1, 1}, 5, 0, 1},
    {"per-channel into channel slice", MUL, 0, 0, 0, 4, {3, 23, 16, 16}, 3, {23, 1, 1}, 9, 0, 0},
    {"rank 5 [2,3,4,5,6] + [3,1,1,6]", ADD, 0, 0, 0, 5, {2, 3, 4, 5, 6}, 4, {3, 1, 1, 6}, 0, 0, 1},
    {"rank 5 with rank 5 both broadcast", SUB, 0, 0, 0, 5, {2, 1, 4, 1, 6}, 5, {1, 3, 1, 5, 1}, 2, 0, 0},
    {"rank 2 [N,C] * [C]", MUL, 0, 0, 0, 2, {5, 23}, 1, {23}, 0, 0, 1},
    /* The general path merges axes into long rows (H*W here) and works in vectors of 8 and chunks of 128: whole
     * chunks only, vectors then scalars (45), into a slice (no merge across it), in place. */
    {"[N,1,H,W] + [N,C,H,W] 16x16 (merged rows)", ADD, 0, 0, 0, 4, {3, 1, 16, 16}, 4, {3, 23, 16, 16}, 0, 0, 1},
    {"[N,C,H,W] * [N,1,H,W] into slice", MUL, 1, 0, 0, 4, {2, 23, 16, 16}, 4, {2, 1, 16, 16}, 3, 0, 0},
    {"[N,1,45] + [N,C,1] (vector, scalar tails)", ADD, 0, 0, 0, 3, {2, 1, 45}, 3, {2, 23, 1}, 0, 0, 1},
    {"[N,C,H,W] - [1,C,H,W] in place (A)", SUB, 0, 0, 0, 4, {3, 23, 27, 37}, 4, {1, 23, 27, 37}, 0, 1, 1},
    {"add + sigmoid", ADD, 4, 0, 0, 4, {1, 23, 27, 37}, 3, {23, 1, 1}, 0, 0, 1},
    {"mul + tanh", MUL, 5, 0, 0, 4, {1, 23, 27, 37}, 4, {1, 23, 27, 37}, 0, 0, 0},
    {"sub + leaky 0.1", SUB, 2, 0.1f, 0, 4, {3, 1, 27, 37}, 4, {1, 23, 1, 1}, 0, 0, 0},
    {"add + clip -1..1", ADD, 3, -1, 1, 4, {1, 23, 27, 37}, 1, {1}, 0, 0, 0},
    {"div + hard sigmoid", DIV, 6, 0.2f, 0.5f, 4, {1, 23, 27, 37}, 4, {1, 23, 27, 37}, 0, 0, 0},
    {"add + hard swish", ADD, 7, 0, 0, 4, {1, 23, 27, 37}, 4, {1, 23, 1, 1}, 0, 0, 1},
};

static void run_binary(oclnn_context *ctx, const bin_case *bc, const char *name, uint64_t seed) {
    int on;
    int64_t od[5];
    if (!eltwise_ref_broadcast(bc->an, bc->ad, bc->bn, bc->bd, &on, od)) fail_msg("%s: bad case", name);
    size_t na = eltwise_ref_count(bc->an, bc->ad), nb = eltwise_ref_count(bc->bn, bc->bd), no = eltwise_ref_count(on, od);
    int coff = bc->extra_c / 2;
    int64_t wd[5];
    memcpy(wd, od, sizeof wd);
    if (on >= 2) wd[1] += bc->extra_c;
    size_t nw = eltwise_ref_count(on, wd), inner = 1;
    for (int i = 2; i < on; i++) inner *= (size_t)od[i];
    float *a = malloc(na * 4), *b = malloc(nb * 4), *y = malloc(nw * 4);
    double *z = malloc(no * 8);
    fill(a, na, &seed, -2.0f, 2.0f);
    fill(b, nb, &seed, -2.0f, 2.0f);
    if (bc->op == DIV) /* denominators away from zero, both signs */
        for (size_t i = 0; i < nb; i++) b[i] = (b[i] < 0 ? -0.25f : 0.25f) + b[i] * 0.875f;
    eltwise_ref_binary(bc->op, bc->an, bc->ad, a, bc->bn, bc->bd, b, on, od, z);

    oclnn_binary_params p;
    oclnn_binary_params_init(&p);
    p.op = (oclnn_binary_op)bc->op;
    p.activation = (oclnn_activation)bc->act;
    p.activation_alpha = bc->alpha;
    p.activation_beta = bc->beta;
    oclnn_binary *op;
    assert_ok(ctx, oclnn_binary_create(ctx, &p, &op));
    size_t gn = 99;
    int64_t god[5];
    assert_ok(ctx, oclnn_binary_reshape(op, (size_t)bc->an, bc->ad, (size_t)bc->bn, bc->bd, &gn, god));
    if ((int)gn != on || memcmp(god, od, (size_t)on * sizeof *od)) fail_msg("%s: wrong output shape", name);
    oclnn_tensor *base_a, *base_b, *base_y = NULL;
    oclnn_tensor *ta = upload(ctx, bc->an, bc->ad, a, 1, &base_a), *tb = upload(ctx, bc->bn, bc->bd, b, 0, &base_b);
    oclnn_tensor *ty = bc->inplace == 1 ? ta : bc->inplace == 2 ? tb : NULL;
    if (!ty) {
        for (size_t i = 0; i < nw; i++) y[i] = SENTINEL;
        ty = upload(ctx, on, wd, y, 0, &base_y);
    }
    assert_ok(ctx, oclnn_binary_setup(op, ta, tb, ty, (size_t)coff));
    assert_ok(ctx, oclnn_binary_enqueue(op, 0, NULL));
    assert_ok(ctx, oclnn_tensor_read(ty, 0, nw * 4, y));
    /* Walk the (possibly wider) output: channels outside the slice keep the sentinel. */
    size_t chans = on >= 2 ? (size_t)od[1] : 1, wchans = on >= 2 ? (size_t)wd[1] : 1;
    for (size_t t = 0; t < nw; t++) {
        size_t ch = on >= 2 ? t / inner % wchans : 0, n = on >= 2 ? t / inner / wchans : 0;
        if (ch < (size_t)coff || ch >= (size_t)coff + chans) {
            if (y[t] != SENTINEL) fail_msg("%s: channel %zu outside the slice was written", name, ch);
            continue;
        }
        size_t o = on >= 2 ? (n * chans + ch - (size_t)coff) * inner + t % inner : t;
        double want = ref_activation(bc->act, z[o], bc->alpha, bc->beta);
        check_elem(1, name, o, y[t], want, bound_of(tol_op(bc->op), bc->act, bc->alpha, z[o], want));
    }
    if (ty != ta && ty != tb) oclnn_tensor_destroy(ty);
    oclnn_tensor_destroy(ta);
    oclnn_tensor_destroy(tb);
    if (!bc->inplace) oclnn_tensor_destroy(base_y);
    oclnn_tensor_destroy(base_a);
    oclnn_binary_destroy(op);
    free(a);
    free(b);
    free(y);
    free(z);
}

static void test_binary_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    int slow = test_device_is_slow(ctx), ran = 0;
    for (size_t i = 0; i < sizeof bin_cases / sizeof bin_cases[0]; i++) {
        if (slow && !bin_cases[i].small) continue;
        run_binary(ctx, &bin_cases[i], bin_cases[i].name, TEST_SEED ^ (i * 0x9E3779B97F4A7C15ull));
        ran++;
    }
    printf("# binary table: %d cases, worst |err|/bound %.3g\n", ran, worst_ratio[1]);
    oclnn_context_destroy(ctx);
}

/* Every rank pairing 1..4 with 1..4, twice, with size-1 axes on either side: A keeps the output's trailing dims of
 * [2,5,7,9] but sets some to 1, B others; the op cycles through all six. Small enough for every device. */
static void test_binary_rank_pairings(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    static const int64_t full[4] = {2, 5, 7, 9};
    int ran = 0;
    for (int pat = 0; pat < 2; pat++)
        for (int ra = 1; ra <= 4; ra++)
            for (int rb = 1; rb <= 4; rb++) {
                bin_case bc;
                memset(&bc, 0, sizeof bc);
                bc.op = (ra * 4 + rb + pat) % 6;
                bc.act = pat && ra == rb ? OCLNN_ACTIVATION_RELU : 0;
                bc.an = ra;
                bc.bn = rb;
                for (int i = 0; i < ra; i++) bc.ad[i] = (i + ra + pat) % 3 == 0 ? 1 : full[4 - ra + i];
                for (int i = 0; i < rb; i++) bc.bd[i] = (i + rb + pat) % 2 == 0 ? 1 : full[4 - rb + i];
                char name[64];
                snprintf(name, sizeof name, "pairing rank %d with rank %d, pattern %d, op %d", ra, rb, pat, bc.op);
                run_binary(ctx, &bc, name, TEST_SEED + (uint64_t)(pat * 16 + ra * 4 + rb));
                ran++;
            }
    printf("# binary rank pairings: %d cases, worst |err|/bound %.3g\n", ran, worst_ratio[1]);
    oclnn_context_destroy(ctx);
}

/* ---- PRelu ---- */

typedef struct prelu_case {
    const char *name;
    int ndim;
    int64_t d[5];
    int sn;
    int64_t sd[5];
    int per_channel, inplace, small;
} prelu_case;

static const prelu_case prelu_cases[] = {
    {"slope [C,1,1] 27x37 batch 3", 4, {3, 23, 27, 37}, 3, {23, 1, 1}, 0, 0, 1},
    {"slope [C,1,1] 16x16 in place", 4, {1, 23, 16, 16}, 3, {23, 1, 1}, 0, 1, 0},
    {"per-channel [C] (PyTorch weight)", 4, {3, 23, 27, 37}, 1, {23}, 1, 0, 1},
    {"scalar slope [1]", 4, {1, 23, 27, 37}, 1, {1}, 0, 1, 1},
    {"per-channel flag with one value", 4, {1, 7, 9, 11}, 1, {1}, 1, 0, 0},
    {"slope [W] (ONNX: last axis)", 4, {1, 23, 27, 37}, 1, {37}, 0, 0, 0},
    {"full-shape slope", 3, {23, 27, 37}, 3, {23, 27, 37}, 0, 0, 1},
    {"rank 2 [N,C] slope [C]", 2, {5, 23}, 1, {23}, 0, 0, 1},
    {"rank 5 slope [C,1,1,1]", 5, {2, 6, 3, 4, 5}, 4, {6, 1, 1, 1}, 0, 0, 0},
};

static void run_prelu(oclnn_context *ctx, const prelu_case *pc, uint64_t seed) {
    size_t n = eltwise_ref_count(pc->ndim, pc->d), ns = eltwise_ref_count(pc->sn, pc->sd);
    float *x = malloc(n * 4), *s = malloc(ns * 4), *y = malloc(n * 4);
    double *z = malloc(n * 8);
    fill(x, n, &seed, -3.0f, 3.0f);
    fill(s, ns, &seed, -0.5f, 0.5f);
    if (pc->per_channel) {
        /* The reference reads the slope as the [C,1,...] shape that the flag stands for. */
        int64_t rs[5] = {(int64_t)ns, 1, 1, 1, 1};
        eltwise_ref_binary(6, pc->ndim, pc->d, x, pc->ndim - 1, rs, s, pc->ndim, pc->d, z);
    } else {
        eltwise_ref_binary(6, pc->ndim, pc->d, x, pc->sn, pc->sd, s, pc->ndim, pc->d, z);
    }
    oclnn_prelu_params p;
    oclnn_prelu_params_init(&p);
    p.slope_ndim = (size_t)pc->sn;
    memcpy(p.slope_dims, pc->sd, sizeof pc->sd);
    p.per_channel = pc->per_channel;
    oclnn_prelu *op;
    assert_ok(ctx, oclnn_prelu_create(ctx, &p, s, ns, &op));
    assert_ok(ctx, oclnn_prelu_reshape(op, (size_t)pc->ndim, pc->d));
    oclnn_tensor *bx, *by, *tx = upload(ctx, pc->ndim, pc->d, x, 1, &bx), *ty = tx;
    if (!pc->inplace) ty = upload(ctx, pc->ndim, pc->d, NULL, 0, &by);
    assert_ok(ctx, oclnn_prelu_setup(op, tx, ty));
    assert_ok(ctx, oclnn_prelu_enqueue(op, 0, NULL));
    assert_ok(ctx, oclnn_tensor_read(ty, 0, n * 4, y));
    for (size_t i = 0; i < n; i++) check_elem(2, pc->name, i, y[i], z[i], bound_of(1e-6, 0, 0, z[i], z[i]));
    if (ty != tx) oclnn_tensor_destroy(ty);
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(bx);
    oclnn_prelu_destroy(op);
    free(x);
    free(s);
    free(y);
    free(z);
}

static void test_prelu_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    int slow = test_device_is_slow(ctx), ran = 0;
    for (size_t i = 0; i < sizeof prelu_cases / sizeof prelu_cases[0]; i++) {
        if (slow && !prelu_cases[i].small) continue;
        run_prelu(ctx, &prelu_cases[i], TEST_SEED ^ (i * 0x2545F4914F6CDD1Dull));
        ran++;
    }
    printf("# prelu: %d cases, worst |err|/bound %.3g\n", ran, worst_ratio[2]);
    oclnn_context_destroy(ctx);
}

/* ---- BatchNormalization ---- */

typedef struct bn_case {
    const char *name;
    int ndim;
    int64_t d[5];
    int act, inplace, small;
} bn_case;

static const bn_case bn_cases[] = {
    {"27x37 23 channels batch 3", 4, {3, 23, 27, 37}, 0, 0, 1},
    {"16x16 in place + relu", 4, {1, 23, 16, 16}, 1, 1, 1},
    {"64ch 56x56 + relu", 4, {1, 64, 56, 56}, 1, 0, 0},
    {"rank 2 [N,C]", 2, {5, 23}, 0, 0, 1},
    {"rank 3 [N,C,L]", 3, {2, 7, 33}, 5, 1, 0},
    {"rank 5", 5, {2, 3, 4, 5, 6}, 7, 0, 0},
};

static void run_bn(oclnn_context *ctx, const bn_case *bc, uint64_t seed) {
    size_t n = eltwise_ref_count(bc->ndim, bc->d), c = (size_t)bc->d[1], spatial = n / ((size_t)bc->d[0] * c);
    float *x = malloc(n * 4), *y = malloc(n * 4), *sc = malloc(c * 4), *bi = malloc(c * 4), *mu = malloc(c * 4),
          *var = malloc(c * 4);
    double *z = malloc(n * 8), *mag = malloc(n * 8);
    fill(x, n, &seed, -3.0f, 3.0f);
    fill(sc, c, &seed, -2.0f, 2.0f);
    fill(bi, c, &seed, -1.0f, 1.0f);
    fill(mu, c, &seed, -1.0f, 1.0f);
    fill(var, c, &seed, 0.05f, 2.0f);
    const float eps = 1e-3f;
    eltwise_ref_batchnorm(x, (int)bc->d[0], (int)c, spatial, sc, bi, mu, var, eps, z, mag);
    oclnn_batchnorm_params p;
    oclnn_batchnorm_params_init(&p);
    p.channels = (uint32_t)c;
    p.epsilon = eps;
    p.activation = (oclnn_activation)bc->act;
    oclnn_batchnorm *op;
    assert_ok(ctx, oclnn_batchnorm_create(ctx, &p, sc, bi, mu, var, &op));
    assert_ok(ctx, oclnn_batchnorm_reshape(op, (size_t)bc->ndim, bc->d));
    oclnn_tensor *bx, *by, *tx = upload(ctx, bc->ndim, bc->d, x, 1, &bx), *ty = tx;
    if (!bc->inplace) ty = upload(ctx, bc->ndim, bc->d, NULL, 0, &by);
    assert_ok(ctx, oclnn_batchnorm_setup(op, tx, ty));
    assert_ok(ctx, oclnn_batchnorm_enqueue(op, 0, NULL));
    assert_ok(ctx, oclnn_tensor_read(ty, 0, n * 4, y));
    for (size_t i = 0; i < n; i++) {
        double want = ref_activation(bc->act, z[i], p.activation_alpha, p.activation_beta);
        double s = ref_activation_slope(bc->act, p.activation_alpha);
        double bound = 1e-6 * mag[i] * s + tol_act(bc->act) * (fabs(want) + s * fabs(z[i])) + ABS_TOL;
        check_elem(3, bc->name, i, y[i], want, bound);
    }
    if (ty != tx) oclnn_tensor_destroy(ty);
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(bx);
    oclnn_batchnorm_destroy(op);
    free(x);
    free(y);
    free(sc);
    free(bi);
    free(mu);
    free(var);
    free(z);
    free(mag);
}

static void test_batchnorm_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    int slow = test_device_is_slow(ctx), ran = 0;
    for (size_t i = 0; i < sizeof bn_cases / sizeof bn_cases[0]; i++) {
        if (slow && !bn_cases[i].small) continue;
        run_bn(ctx, &bn_cases[i], TEST_SEED ^ (i * 0xD1B54A32D192ED03ull));
        ran++;
    }
    printf("# batchnorm: %d cases, worst |err|/bound %.3g\n", ran, worst_ratio[3]);
    oclnn_context_destroy(ctx);
}

/* ---- BatchNormalization, training mode ---- */

#define BN_TRAIN_TOL 1e-4

typedef struct bn_train_case {
    const char *name;
    int ndim;
    int64_t d[5];
    int act, inplace, running, small;
    float offset, momentum; /* offset: added to every x (values far from zero) */
} bn_train_case;

static const bn_train_case bn_train_cases[] = {
    {"27x37 23 channels batch 3, running stats", 4, {3, 23, 27, 37}, 0, 0, 1, 1, 0, 0.9f},
    {"rank 2 [5,7] in place + relu", 2, {5, 7}, 1, 1, 1, 1, 0, 0.9f},
    {"rank 3 [2,3,5] no running stats", 3, {2, 3, 5}, 0, 0, 0, 1, 0, 0.9f},
    {"rank 5 offset 100, momentum 0.3", 5, {2, 3, 4, 5, 6}, 0, 0, 1, 0, 100, 0.3f},
    {"batch 1 one channel 201x199", 4, {1, 1, 201, 199}, 5, 0, 1, 0, -7, 0.99f},
};

static void run_bn_train(oclnn_context *ctx, const bn_train_case *bc, uint64_t seed) {
    size_t n = eltwise_ref_count(bc->ndim, bc->d), c = (size_t)bc->d[1], batch = (size_t)bc->d[0];
    size_t spatial = n / (batch * c);
    float *x = malloc(n * 4), *y = malloc(n * 4), *sc = malloc(c * 4), *bi = malloc(c * 4), *mu = malloc(c * 4),
          *var = malloc(c * 4), *bm = malloc(c * 4), *bv = malloc(c * 4), *rm = malloc(c * 4), *rv = malloc(c * 4);
    double *z = malloc(n * 8), *mag = malloc(n * 8), *dm = malloc(c * 8), *dv = malloc(c * 8);
    fill(x, n, &seed, -3.0f, 3.0f);
    for (size_t i = 0; i < n; i++) x[i] += bc->offset;
    fill(sc, c, &seed, -2.0f, 2.0f);
    fill(bi, c, &seed, -1.0f, 1.0f);
    fill(mu, c, &seed, -1.0f, 1.0f);
    fill(var, c, &seed, 0.05f, 2.0f);
    const float eps = 1e-3f;
    /* The batch statistics in double, then the inference reference with them (its mean and var are floats: the
     * rounding of the double statistics to float is far inside the bound). */
    for (size_t ch = 0; ch < c; ch++) {
        double s = 0, q = 0;
        for (size_t b = 0; b < batch; b++)
            for (size_t i = 0; i < spatial; i++) s += x[(b * c + ch) * spatial + i];
        dm[ch] = s / (double)(batch * spatial);
        for (size_t b = 0; b < batch; b++)
            for (size_t i = 0; i < spatial; i++) {
                double d = x[(b * c + ch) * spatial + i] - dm[ch];
                q += d * d;
            }
        dv[ch] = q / (double)(batch * spatial);
        bm[ch] = (float)dm[ch];
        bv[ch] = (float)dv[ch];
    }
    eltwise_ref_batchnorm(x, (int)batch, (int)c, spatial, sc, bi, bm, bv, eps, z, mag);
    oclnn_batchnorm_params p;
    oclnn_batchnorm_params_init(&p);
    assert_true(p.training_mode == 0 && p.momentum == 0.9f);
    p.channels = (uint32_t)c;
    p.epsilon = eps;
    p.activation = (oclnn_activation)bc->act;
    p.training_mode = 1;
    p.momentum = bc->momentum;
    oclnn_batchnorm *op;
    assert_ok(ctx, oclnn_batchnorm_create(ctx, &p, sc, bi, mu, var, &op));
    assert_ok(ctx, oclnn_batchnorm_reshape(op, (size_t)bc->ndim, bc->d));
    oclnn_tensor *bx, *by = NULL, *tx = upload(ctx, bc->ndim, bc->d, x, 1, &bx), *ty = tx, *trm = NULL, *trv = NULL;
    if (!bc->inplace) ty = upload(ctx, bc->ndim, bc->d, NULL, 0, &by);
    int64_t dc = (int64_t)c;
    if (bc->running) {
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 1, &dc, &trm));
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 1, &dc, &trv));
    }
    assert_ok(ctx, oclnn_batchnorm_setup_training(op, tx, ty, trm, trv));
    /* Twice: the statistics are recomputed from the input at every run, not carried over. */
    for (int run = 0; run < 2; run++) {
        if (run && bc->inplace) assert_ok(ctx, oclnn_tensor_write(tx, 0, n * 4, x));
        assert_ok(ctx, oclnn_batchnorm_enqueue(op, 0, NULL));
    }
    assert_ok(ctx, oclnn_tensor_read(ty, 0, n * 4, y));
    for (size_t i = 0; i < n; i++) {
        size_t ch = (i / spatial) % c;
        double sd = sqrt(dv[ch] + eps), a = sc[ch] / sd;
        double want = ref_activation(bc->act, z[i], p.activation_alpha, p.activation_beta);
        double bound = BN_TRAIN_TOL * (fabs(a) * (fabs(x[i] - dm[ch]) + sd) + fabs(want)) + ABS_TOL;
        check_elem(4, bc->name, i, y[i], want, bound);
    }
    if (bc->running) {
        assert_ok(ctx, oclnn_tensor_read(trm, 0, c * 4, rm));
        assert_ok(ctx, oclnn_tensor_read(trv, 0, c * 4, rv));
        double m = bc->momentum;
        for (size_t ch = 0; ch < c; ch++) {
            double wm = mu[ch] * m + dm[ch] * (1 - m), wv = var[ch] * m + dv[ch] * (1 - m);
            check_elem(4, "running_mean", ch, rm[ch], wm,
                       BN_TRAIN_TOL * (fabs(mu[ch] * m) + fabs(dm[ch] * (1 - m))) + ABS_TOL);
            check_elem(4, "running_var", ch, rv[ch], wv,
                       BN_TRAIN_TOL * (fabs(var[ch] * m) + fabs(dv[ch] * (1 - m))) + ABS_TOL);
        }
    }
    if (ty != tx) oclnn_tensor_destroy(ty);
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(bx);
    oclnn_tensor_destroy(by);
    oclnn_tensor_destroy(trm);
    oclnn_tensor_destroy(trv);
    oclnn_batchnorm_destroy(op);
    free(x), free(y), free(sc), free(bi), free(mu), free(var), free(bm), free(bv), free(rm), free(rv);
    free(z), free(mag), free(dm), free(dv);
}

static void test_batchnorm_training(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    int slow = test_device_is_slow(ctx), ran = 0;
    for (size_t i = 0; i < sizeof bn_train_cases / sizeof bn_train_cases[0]; i++) {
        if (slow && !bn_train_cases[i].small) continue;
        run_bn_train(ctx, &bn_train_cases[i], TEST_SEED ^ (i * 0x94D049BB133111EBull));
        ran++;
    }
    printf("# batchnorm training: %d cases, worst |err|/bound %.3g\n", ran, worst_ratio[4]);
    /* The bound can fail: normalising with the input's running mean and var instead of the batch's (what
     * inference mode does) is far outside it for data whose statistics differ. */
    double a = 1.0 / sqrt(1.0 + 1e-3), x = 2.0, batch_mean = 0.5, wrong = (x - 0.0) * a, right = (x - batch_mean) * a;
    assert_false(fabs(wrong - right) <= BN_TRAIN_TOL * (fabs(a) * (fabs(x - batch_mean) + 1) + fabs(right)));
    oclnn_context_destroy(ctx);
}

/* The bounds can fail: errors a wrong kernel would make land outside them. */
static void test_bounds_catch_errors(void **state) {
    (void)state;
    /* A result 8 ulp-sized steps off for Add, or 40 for Div, is outside. */
    assert_false(fabs(1.0 * (1 + 8e-6) - 1.0) <= bound_of(tol_op(ADD), 0, 0, 1.0, 1.0));
    assert_false(fabs(1.0 * (1 + 8e-6) - 1.0) <= bound_of(tol_op(DIV), 0, 0, 1.0, 1.0));
    /* Operands swapped in Sub (0.75 - 0.5 vs 0.5 - 0.75). */
    assert_false(fabs(-0.25 - 0.25) <= bound_of(tol_op(SUB), 0, 0, 0.25, 0.25));
    /* Sigmoid evaluated in half precision (1e-3 relative) near 0.5. */
    assert_false(fabs(0.5005 - 0.5) <= bound_of(0, OCLNN_ACTIVATION_SIGMOID, 0, 0.0, 0.5));
    /* A dropped activation: relu(-0.01) = 0, not -0.01. */
    assert_false(fabs(-0.01 - 0.0) <= bound_of(tol_op(ADD), OCLNN_ACTIVATION_RELU, 0, -0.01, 0.0));
    /* The sentinel differs from every value an operator writes in these tables (|values| < 777). */
    assert_true(SENTINEL > 100);
}

/* ---- negative table and lifecycle ---- */

static void expect(oclnn_context *ctx, const char *name, oclnn_status got, oclnn_status want, const char *msg) {
    if (got != want)
        fail_msg("%s: got %s (%s), want %s", name, oclnn_status_name(got), oclnn_last_error(ctx),
                 oclnn_status_name(want));
    if (msg && !strstr(oclnn_last_error(ctx), msg))
        fail_msg("%s: message '%s' lacks '%s'", name, oclnn_last_error(ctx), msg);
}

static void test_negative_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    const oclnn_status ARG = OCLNN_STATUS_INVALID_ARGUMENT, SHAPE = OCLNN_STATUS_INVALID_SHAPE,
                       STATE = OCLNN_STATUS_INVALID_STATE;
    /* Bad attributes at create, each with its rule in the message. */
    static const struct {
        const char *name, *msg;
        int act;
        float alpha, beta;
    } bad_act[] = {
        {"activation 99", "out of range", 99, 0, 0},
        {"clip min > max", "Clip needs min", 3, 1, -1},
        {"clip NaN", "Clip needs min", 3, NAN, 1},
        {"leaky alpha inf", "must be finite", 2, INFINITY, 0},
        {"hard sigmoid beta NaN", "must be finite", 6, 0.2f, NAN},
    };
    for (size_t i = 0; i < sizeof bad_act / sizeof bad_act[0]; i++) {
        oclnn_unary_params up;
        oclnn_unary_params_init(&up);
        up.activation = (oclnn_activation)bad_act[i].act;
        up.alpha = bad_act[i].alpha;
        up.beta = bad_act[i].beta;
        oclnn_unary *u = (oclnn_unary *)ctx;
        expect(ctx, bad_act[i].name, oclnn_unary_create(ctx, &up, &u), ARG, bad_act[i].msg);
        assert_null(u);
        oclnn_binary_params bp;
        oclnn_binary_params_init(&bp);
        bp.activation = up.activation;
        bp.activation_alpha = up.alpha;
        bp.activation_beta = up.beta;
        oclnn_binary *b = (oclnn_binary *)ctx;
        expect(ctx, bad_act[i].name, oclnn_binary_create(ctx, &bp, &b), ARG, bad_act[i].msg);
        assert_null(b);
    }
    oclnn_binary_params bp;
    oclnn_binary_params_init(&bp);
    bp.op = (oclnn_binary_op)6;
    oclnn_binary *bop;
    expect(ctx, "binary op 6", oclnn_binary_create(ctx, &bp, &bop), ARG, "op 6 out of range");
    expect(ctx, "unary NULL params", oclnn_unary_create(ctx, NULL, NULL), ARG, "out is NULL");

    /* Binary shapes. */
    bp.op = OCLNN_BINARY_ADD;
    assert_ok(ctx, oclnn_binary_create(ctx, &bp, &bop));
    int64_t d234[3] = {2, 3, 4}, d54[2] = {5, 4}, d6[6] = {1, 1, 1, 1, 1, 1}, d0[2] = {3, 0}, od[5];
    size_t on;
    expect(ctx, "impossible broadcast", oclnn_binary_reshape(bop, 3, d234, 2, d54, &on, od), SHAPE,
           "shapes [2,3,4] and [5,4] do not broadcast");
    expect(ctx, "rank 6", oclnn_binary_reshape(bop, 6, d6, 2, d54, &on, od), SHAPE, "rank must be 1 to 5");
    expect(ctx, "rank 0", oclnn_binary_reshape(bop, 3, d234, 0, d54, &on, od), SHAPE, "rank must be 1 to 5");
    expect(ctx, "zero dim", oclnn_binary_reshape(bop, 2, d0, 2, d54, &on, od), SHAPE, "must be >= 1");
    expect(ctx, "setup after failed reshape", oclnn_binary_setup(bop, NULL, NULL, NULL, 0), STATE, "before reshape");
    expect(ctx, "enqueue before setup", oclnn_binary_enqueue(bop, 0, NULL), STATE, "before reshape and setup");
    int64_t d1234[4] = {2, 3, 1, 4}, d314[3] = {3, 1, 4}, dout[4] = {2, 3, 1, 4}, dwide[4] = {2, 5, 1, 4},
            dbad[4] = {2, 3, 2, 4}, d34[2] = {3, 4};
    oclnn_tensor *ta, *tb, *ty, *twide, *tbad, *t34, *th;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, d1234, &ta));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 3, d314, &tb));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dout, &ty));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dwide, &twide));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dbad, &tbad));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, d34, &t34));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F16, 4, dout, &th));
    assert_ok(ctx, oclnn_binary_reshape(bop, 4, d1234, 3, d314, &on, od));
    assert_int_equal(on, 4);
    expect(ctx, "A NULL", oclnn_binary_setup(bop, NULL, tb, ty, 0), ARG, "A tensor is NULL");
    expect(ctx, "A of the wrong shape", oclnn_binary_setup(bop, tbad, tb, ty, 0), SHAPE, "A must be f32 [2,3,1,4]");
    expect(ctx, "B of the wrong rank", oclnn_binary_setup(bop, ta, t34, ty, 0), SHAPE, "B must be f32 [3,1,4]");
    expect(ctx, "output of the wrong shape", oclnn_binary_setup(bop, ta, tb, tbad, 0), SHAPE, "output must be");
    expect(ctx, "output f16", oclnn_binary_setup(bop, ta, tb, th, 0), SHAPE, "got f16");
    expect(ctx, "channel offset overflows", oclnn_binary_setup(bop, ta, tb, twide, 3), SHAPE, "do not fit");
    expect(ctx, "broadcast operand in place", oclnn_binary_setup(bop, ta, tb, tb, 0), SHAPE, "output must be");
    assert_ok(ctx, oclnn_binary_setup(bop, ta, tb, twide, 2));
    assert_ok(ctx, oclnn_binary_setup(bop, ta, tb, ta, 0)); /* in place on the full operand */
    expect(ctx, "queue 5", oclnn_binary_enqueue(bop, 5, NULL), ARG, "queue 5 of 1");
    oclnn_event *ev;
    assert_ok(ctx, oclnn_binary_enqueue(bop, 0, &ev));
    assert_ok(ctx, oclnn_event_wait(ev));
    oclnn_event_destroy(ev);
    /* Overlaps other than exact in place. */
    int64_t d4[1] = {4}, d8[1] = {8};
    oclnn_tensor *buf, *v0, *v1;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 1, d8, &buf));
    assert_ok(ctx, oclnn_tensor_view(buf, 0, OCLNN_DTYPE_F32, 1, d4, &v0));
    assert_ok(ctx, oclnn_tensor_view(buf, 8, OCLNN_DTYPE_F32, 1, d4, &v1));
    assert_ok(ctx, oclnn_binary_reshape(bop, 1, d4, 1, d4, &on, od));
    expect(ctx, "shifted overlap", oclnn_binary_setup(bop, v0, v0, v1, 0), ARG, "overlaps A");
    expect(ctx, "channel offset on rank 1", oclnn_binary_setup(bop, v0, v0, v1, 1), SHAPE, "rank >= 2");
    int64_t d1[1] = {1};
    oclnn_tensor *v_one;
    assert_ok(ctx, oclnn_tensor_view(buf, 16, OCLNN_DTYPE_F32, 1, d1, &v_one));
    assert_ok(ctx, oclnn_binary_reshape(bop, 1, d4, 1, d1, &on, od));
    expect(ctx, "output over a broadcast operand", oclnn_binary_setup(bop, v1, v_one, v1, 0), ARG, "overlaps B");
    assert_ok(ctx, oclnn_binary_setup(bop, v0, v_one, v0, 0));
    int64_t d24[2] = {2, 4}, d28[2] = {2, 8};
    assert_ok(ctx, oclnn_binary_reshape(bop, 2, d24, 2, d24, &on, od));
    oclnn_tensor *s24, *s24_view, *big, *big_a;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, d24, &s24));
    assert_ok(ctx, oclnn_tensor_view(s24, 0, OCLNN_DTYPE_F32, 2, d24, &s24_view)); /* the same elements */
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, d28, &big));
    assert_ok(ctx, oclnn_tensor_view(big, 0, OCLNN_DTYPE_F32, 2, d24, &big_a));
    expect(ctx, "in place into a channel slice", oclnn_binary_setup(bop, big_a, s24, big, 0), ARG, "overlaps A");
    assert_ok(ctx, oclnn_binary_setup(bop, s24, s24, s24_view, 0)); /* x + x in place */
    oclnn_binary_destroy(bop);
    oclnn_binary_destroy(NULL);

    /* Unary lifecycle and shapes. */
    oclnn_unary_params up;
    oclnn_unary_params_init(&up);
    up.activation = OCLNN_ACTIVATION_RELU;
    oclnn_unary *u;
    assert_ok(ctx, oclnn_unary_create(ctx, &up, &u));
    expect(ctx, "unary setup before reshape", oclnn_unary_setup(u, ta, ta), STATE, "before reshape");
    expect(ctx, "unary enqueue before setup", oclnn_unary_enqueue(u, 0, NULL), STATE, "before reshape and setup");
    expect(ctx, "unary rank 6", oclnn_unary_reshape(u, 6, d6), SHAPE, "rank must be 1 to 5");
    assert_ok(ctx, oclnn_unary_reshape(u, 4, d1234));
    expect(ctx, "unary mismatched output", oclnn_unary_setup(u, ta, tbad), SHAPE, "output must be f32 [2,3,1,4]");
    expect(ctx, "unary NULL input", oclnn_unary_setup(u, NULL, ta), ARG, "input tensor is NULL");
    assert_ok(ctx, oclnn_unary_reshape(u, 1, d4));
    expect(ctx, "unary shifted overlap", oclnn_unary_setup(u, v0, v1), ARG, "overlap without being the same");
    assert_ok(ctx, oclnn_unary_setup(u, v1, v1));
    assert_ok(ctx, oclnn_unary_enqueue(u, 0, NULL));
    oclnn_unary_destroy(u);
    oclnn_unary_destroy(NULL);
    /* Identity in place still hands out an event. */
    up.activation = OCLNN_ACTIVATION_NONE;
    assert_ok(ctx, oclnn_unary_create(ctx, &up, &u));
    assert_ok(ctx, oclnn_unary_reshape(u, 1, d4));
    assert_ok(ctx, oclnn_unary_setup(u, v0, v0));
    assert_ok(ctx, oclnn_unary_enqueue(u, 0, &ev));
    assert_non_null(ev);
    assert_ok(ctx, oclnn_event_wait(ev));
    oclnn_event_destroy(ev);
    oclnn_unary_destroy(u);

    /* PRelu. */
    oclnn_prelu_params pp;
    oclnn_prelu_params_init(&pp);
    float slope[8] = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f};
    oclnn_prelu *pr = (oclnn_prelu *)ctx;
    pp.slope_ndim = 1;
    pp.slope_dims[0] = 3;
    expect(ctx, "slope count", oclnn_prelu_create(ctx, &pp, slope, 2, &pr), ARG, "slope has 2 values");
    assert_null(pr);
    pp.slope_ndim = 6;
    expect(ctx, "slope rank 6", oclnn_prelu_create(ctx, &pp, slope, 1, &pr), ARG, "slope_dims must be");
    expect(ctx, "slope NULL", oclnn_prelu_create(ctx, &pp, NULL, 1, &pr), ARG, "must be set");
    pp.slope_ndim = 3;
    pp.slope_dims[0] = 2;
    pp.slope_dims[1] = 3;
    pp.slope_dims[2] = 1;
    assert_ok(ctx, oclnn_prelu_create(ctx, &pp, slope, 6, &pr));
    expect(ctx, "slope cannot broadcast", oclnn_prelu_reshape(pr, 2, d54), SHAPE, "do not broadcast");
    int64_t d134[3] = {1, 3, 4};
    expect(ctx, "slope would broadcast X", oclnn_prelu_reshape(pr, 3, d134), SHAPE, "does not broadcast to X");
    expect(ctx, "prelu setup before reshape", oclnn_prelu_setup(pr, ta, ta), STATE, "before reshape");
    int64_t d2341[4] = {5, 2, 3, 4};
    assert_ok(ctx, oclnn_prelu_reshape(pr, 4, d2341));
    expect(ctx, "prelu mismatched input", oclnn_prelu_setup(pr, ta, ta), SHAPE, "input must be f32 [5,2,3,4]");
    oclnn_prelu_destroy(pr);
    pp.per_channel = 1;
    pp.slope_ndim = 1;
    pp.slope_dims[0] = 4;
    assert_ok(ctx, oclnn_prelu_create(ctx, &pp, slope, 4, &pr));
    expect(ctx, "per-channel count", oclnn_prelu_reshape(pr, 4, d1234), SHAPE, "needs 1 or C = 3 values");
    oclnn_prelu_destroy(pr);
    oclnn_prelu_destroy(NULL);

    /* BatchNormalization. */
    oclnn_batchnorm_params np;
    oclnn_batchnorm_params_init(&np);
    float one[3] = {1, 1, 1}, zero[3] = {0, 0, 0}, negv[3] = {1, -1, 1};
    oclnn_batchnorm *bn = (oclnn_batchnorm *)ctx;
    np.channels = 0;
    expect(ctx, "bn 0 channels", oclnn_batchnorm_create(ctx, &np, one, zero, zero, one, &bn), ARG, "channels (0)");
    assert_null(bn);
    np.channels = 3;
    expect(ctx, "bn var + eps < 0", oclnn_batchnorm_create(ctx, &np, one, zero, zero, negv, &bn), ARG,
           "channel 1: var + epsilon");
    assert_ok(ctx, oclnn_batchnorm_create(ctx, &np, one, zero, zero, zero, &bn)); /* var 0 is fine with eps > 0 */
    oclnn_batchnorm_destroy(bn);
    np.epsilon = 0;
    expect(ctx, "bn var 0 eps 0", oclnn_batchnorm_create(ctx, &np, one, zero, zero, zero, &bn), ARG, "must be > 0");
    np.epsilon = NAN;
    expect(ctx, "bn eps NaN", oclnn_batchnorm_create(ctx, &np, one, zero, zero, one, &bn), ARG, "epsilon (nan)");
    np.epsilon = 1e-5f;
    np.activation = (oclnn_activation)8;
    expect(ctx, "bn activation 8", oclnn_batchnorm_create(ctx, &np, one, zero, zero, one, &bn), ARG, "out of range");
    np.activation = 0;
    expect(ctx, "bn NULL mean", oclnn_batchnorm_create(ctx, &np, one, zero, NULL, one, &bn), ARG, "must be set");
    assert_ok(ctx, oclnn_batchnorm_create(ctx, &np, one, zero, zero, one, &bn));
    expect(ctx, "bn rank 1", oclnn_batchnorm_reshape(bn, 1, d4), SHAPE, "must be N x 3");
    expect(ctx, "bn wrong channels", oclnn_batchnorm_reshape(bn, 2, d54), SHAPE, "[5,4] must be N x 3");
    expect(ctx, "bn enqueue before setup", oclnn_batchnorm_enqueue(bn, 0, NULL), STATE, "before reshape and setup");
    int64_t d23[2] = {2, 3};
    assert_ok(ctx, oclnn_batchnorm_reshape(bn, 2, d23));
    expect(ctx, "bn mismatched input", oclnn_batchnorm_setup(bn, ta, ta), SHAPE, "input must be f32 [2,3]");
    expect(ctx, "bn setup_training in inference mode", oclnn_batchnorm_setup_training(bn, ta, ta, NULL, NULL), STATE,
           "inference mode");
    oclnn_batchnorm_destroy(bn);
    /* Training mode. */
    np.training_mode = 1;
    np.momentum = NAN;
    expect(ctx, "bn momentum NaN", oclnn_batchnorm_create(ctx, &np, one, zero, zero, one, &bn), ARG, "momentum");
    assert_null(bn);
    np.momentum = 0.9f;
    float infv[3] = {1, INFINITY, 1};
    expect(ctx, "bn training inf scale", oclnn_batchnorm_create(ctx, &np, infv, zero, zero, one, &bn), ARG,
           "channel 1: scale, B, mean and var must be finite");
    assert_ok(ctx, oclnn_batchnorm_create(ctx, &np, one, zero, zero, negv, &bn)); /* var only feeds running_var */
    assert_ok(ctx, oclnn_batchnorm_reshape(bn, 2, d23));
    {
        int64_t d3 = 3, d4r = 4;
        oclnn_tensor *x23, *r3, *r3b, *r4;
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, d23, &x23));
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 1, &d3, &r3));
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 1, &d3, &r3b));
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 1, &d4r, &r4));
        expect(ctx, "bn running_mean only", oclnn_batchnorm_setup_training(bn, x23, x23, r3, NULL), ARG,
               "both running statistics or neither");
        expect(ctx, "bn running_var of 4", oclnn_batchnorm_setup_training(bn, x23, x23, r3, r4), SHAPE,
               "running_var must be an f32 tensor of 3 elements");
        expect(ctx, "bn enqueue after a failed setup", oclnn_batchnorm_enqueue(bn, 0, NULL), STATE,
               "before reshape and setup");
        assert_ok(ctx, oclnn_batchnorm_setup_training(bn, x23, x23, r3, r3b));
        assert_ok(ctx, oclnn_batchnorm_setup(bn, x23, x23)); /* training without the running outputs */
        oclnn_tensor_destroy(x23);
        oclnn_tensor_destroy(r3);
        oclnn_tensor_destroy(r3b);
        oclnn_tensor_destroy(r4);
    }
    assert_int_equal(oclnn_batchnorm_setup_training(NULL, ta, ta, NULL, NULL), ARG);
    oclnn_batchnorm_destroy(bn);
    np.training_mode = 0;
    oclnn_batchnorm_destroy(NULL);

    oclnn_tensor *all[] = {ta, tb, ty, twide, tbad, t34, th, v0, v1, v_one, s24_view, s24, big_a, big, buf};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) oclnn_tensor_destroy(all[i]);
    oclnn_context_destroy(ctx);
}

/* A reshape to other shapes (and other broadcast paths) reuses the programs: no new build. */
static void test_reshape_never_recompiles(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    oclnn_binary_params bp;
    oclnn_binary_params_init(&bp);
    bp.op = OCLNN_BINARY_SUB;
    oclnn_binary *op;
    assert_ok(ctx, oclnn_binary_create(ctx, &bp, &op));
    oclnn_cache_stats s0, s1;
    oclnn_context_cache_stats(ctx, &s0);
    static const bin_case shapes[] = {
        {"same", SUB, 0, 0, 0, 4, {2, 3, 5, 7}, 4, {2, 3, 5, 7}, 0, 0, 0},
        {"per-channel", SUB, 0, 0, 0, 4, {2, 3, 5, 7}, 3, {3, 1, 1}, 0, 0, 0},
        {"row swapped", SUB, 0, 0, 0, 1, {7}, 3, {3, 5, 7}, 0, 0, 0},
        {"general", SUB, 0, 0, 0, 3, {3, 1, 7}, 4, {2, 1, 5, 1}, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        const bin_case *bc = &shapes[i];
        size_t on;
        int64_t od[5];
        assert_ok(ctx, oclnn_binary_reshape(op, (size_t)bc->an, bc->ad, (size_t)bc->bn, bc->bd, &on, od));
        oclnn_tensor *ta, *tb, *ty;
        size_t na = eltwise_ref_count(bc->an, bc->ad), nb = eltwise_ref_count(bc->bn, bc->bd);
        size_t no = eltwise_ref_count((int)on, od);
        float *a = malloc(na * 4), *b = malloc(nb * 4), *y = malloc(no * 4);
        double *z = malloc(no * 8);
        uint64_t seed = TEST_SEED + i;
        fill(a, na, &seed, -1, 1);
        fill(b, nb, &seed, -1, 1);
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, (size_t)bc->an, bc->ad, &ta));
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, (size_t)bc->bn, bc->bd, &tb));
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, on, od, &ty));
        assert_ok(ctx, oclnn_tensor_write(ta, 0, na * 4, a));
        assert_ok(ctx, oclnn_tensor_write(tb, 0, nb * 4, b));
        assert_ok(ctx, oclnn_binary_setup(op, ta, tb, ty, 0));
        assert_ok(ctx, oclnn_binary_enqueue(op, 0, NULL));
        assert_ok(ctx, oclnn_tensor_read(ty, 0, no * 4, y));
        eltwise_ref_binary(SUB, bc->an, bc->ad, a, bc->bn, bc->bd, b, (int)on, od, z);
        for (size_t j = 0; j < no; j++) check_elem(1, bc->name, j, y[j], z[j], bound_of(tol_op(SUB), 0, 0, z[j], z[j]));
        free(a);
        free(b);
        free(y);
        free(z);
        oclnn_tensor_destroy(ta);
        oclnn_tensor_destroy(tb);
        oclnn_tensor_destroy(ty);
    }
    oclnn_context_cache_stats(ctx, &s1);
    assert_int_equal(s1.source_builds, s0.source_builds);
    assert_int_equal(s1.disk_hits, s0.disk_hits);
    oclnn_binary_destroy(op);
    oclnn_context_destroy(ctx);
}

/* Every configuration the operators request is among the registry's variants (what prebuild_all warms). */
static void test_prebuild_covers_operators(void **state) {
    (void)state;
    const char *dir = test_tmpdir("prebuild");
    oclnn_context *warm = test_context(dir);
    assert_ok(warm, oclnn_context_prebuild_all(warm, NULL));
    oclnn_context_destroy(warm);
    oclnn_context *ctx = test_context(dir);
    float v[4] = {1, 1, 1, 1}, z[4] = {0};
    for (int act = 0; act <= OCLNN_ACTIVATION_HARD_SWISH; act++) {
        oclnn_unary_params up;
        oclnn_unary_params_init(&up);
        up.activation = (oclnn_activation)act;
        up.beta = 1; /* Clip needs min <= max */
        oclnn_unary *u;
        assert_ok(ctx, oclnn_unary_create(ctx, &up, &u));
        oclnn_unary_destroy(u);
        oclnn_batchnorm_params np;
        oclnn_batchnorm_params_init(&np);
        np.channels = 4;
        np.activation = (oclnn_activation)act;
        np.activation_beta = 1;
        oclnn_batchnorm *bn;
        assert_ok(ctx, oclnn_batchnorm_create(ctx, &np, v, z, z, v, &bn));
        oclnn_batchnorm_destroy(bn);
    }
    for (int o = 0; o < OCLNN_BINARY_OP_COUNT_; o++) {
        oclnn_binary_params bp;
        oclnn_binary_params_init(&bp);
        bp.op = (oclnn_binary_op)o;
        oclnn_binary *b;
        assert_ok(ctx, oclnn_binary_create(ctx, &bp, &b));
        oclnn_binary_destroy(b);
    }
    oclnn_binary_params bp;
    oclnn_binary_params_init(&bp);
    bp.activation = OCLNN_ACTIVATION_RELU; /* Add + Relu */
    oclnn_binary *b;
    assert_ok(ctx, oclnn_binary_create(ctx, &bp, &b));
    oclnn_binary_destroy(b);
    oclnn_prelu_params pp;
    oclnn_prelu_params_init(&pp);
    oclnn_prelu *pr;
    assert_ok(ctx, oclnn_prelu_create(ctx, &pp, v, 1, &pr));
    oclnn_prelu_destroy(pr);
    oclnn_cache_stats s;
    oclnn_context_cache_stats(ctx, &s);
    if (s.source_builds) fail_msg("%llu configurations are not among the registry's variants",
                                  (unsigned long long)s.source_builds);
    oclnn_context_destroy(ctx);
}

/* ---- failure sweeps ---- */

/* Runs each operator once on a fresh context; returns the first failing status (its message is set). */
static oclnn_status fault_scenario(const oclnn_allocator *alloc, const char *dir) {
    oclnn_context_options o;
    test_options(&o, dir);
    o.allocator = alloc;
    o.log_level = OCLNN_LOG_NONE;
    oclnn_context *ctx = NULL;
    oclnn_tensor *tx = NULL, *tc = NULL;
    oclnn_unary *u = NULL;
    oclnn_binary *b = NULL;
    oclnn_prelu *pr = NULL;
    oclnn_batchnorm *bn = NULL, *bnt = NULL;
    oclnn_tensor *rm = NULL, *rv = NULL;
    float x[24], s[2] = {0.5f, 0.25f};
    for (int i = 0; i < 24; i++) x[i] = (float)i - 11.5f;
    int64_t dx[4] = {2, 2, 2, 3}, dc[3] = {2, 1, 1};
    oclnn_status st = oclnn_context_create(&o, &ctx);
    if (st) return st;
    oclnn_unary_params up;
    oclnn_unary_params_init(&up);
    up.activation = OCLNN_ACTIVATION_SIGMOID;
    oclnn_binary_params bp;
    oclnn_binary_params_init(&bp);
    oclnn_prelu_params pp;
    oclnn_prelu_params_init(&pp);
    pp.per_channel = 1;
    pp.slope_dims[0] = 2;
    oclnn_batchnorm_params np;
    oclnn_batchnorm_params_init(&np);
    np.channels = 2;
    if ((st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &tx))) goto done;
    if ((st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 3, dc, &tc))) goto done;
    if ((st = oclnn_tensor_write(tx, 0, sizeof x, x))) goto done;
    if ((st = oclnn_tensor_write(tc, 0, sizeof s, s))) goto done;
    if ((st = oclnn_unary_create(ctx, &up, &u)) || (st = oclnn_unary_reshape(u, 4, dx)) ||
        (st = oclnn_unary_setup(u, tx, tx)) || (st = oclnn_unary_enqueue(u, 0, NULL)))
        goto done;
    if ((st = oclnn_binary_create(ctx, &bp, &b)) || (st = oclnn_binary_reshape(b, 4, dx, 3, dc, NULL, NULL)) ||
        (st = oclnn_binary_setup(b, tx, tc, tx, 0)) || (st = oclnn_binary_enqueue(b, 0, NULL)))
        goto done;
    if ((st = oclnn_prelu_create(ctx, &pp, s, 2, &pr)) || (st = oclnn_prelu_reshape(pr, 4, dx)) ||
        (st = oclnn_prelu_setup(pr, tx, tx)) || (st = oclnn_prelu_enqueue(pr, 0, NULL)))
        goto done;
    if ((st = oclnn_batchnorm_create(ctx, &np, s, s, s, s, &bn)) || (st = oclnn_batchnorm_reshape(bn, 4, dx)) ||
        (st = oclnn_batchnorm_setup(bn, tx, tx)))
        goto done;
    np.training_mode = 1; /* and in training mode, with the running statistics */
    int64_t d2 = 2;
    if ((st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 1, &d2, &rm)) ||
        (st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 1, &d2, &rv)) ||
        (st = oclnn_batchnorm_create(ctx, &np, s, s, s, s, &bnt)) || (st = oclnn_batchnorm_reshape(bnt, 4, dx)) ||
        (st = oclnn_batchnorm_setup_training(bnt, tx, tx, rm, rv)) || (st = oclnn_batchnorm_enqueue(bnt, 0, NULL)))
        goto done;
    oclnn_event *ev = NULL;
    if ((st = oclnn_batchnorm_enqueue(bn, 0, &ev))) goto done;
    st = oclnn_event_wait(ev);
    oclnn_event_destroy(ev);
    if (!st) st = oclnn_tensor_read(tx, 0, sizeof x, x);
done:
    if (st && strlen(oclnn_last_error(ctx)) == 0) fail_msg("status %s without a message", oclnn_status_name(st));
    oclnn_unary_destroy(u);
    oclnn_binary_destroy(b);
    oclnn_prelu_destroy(pr);
    oclnn_batchnorm_destroy(bn);
    oclnn_batchnorm_destroy(bnt);
    oclnn_tensor_destroy(rm);
    oclnn_tensor_destroy(rv);
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(tc);
    oclnn_context_destroy(ctx);
    return st;
}

static void test_failure_sweeps(void **state) {
    (void)state;
    const char *dir = test_tmpdir("faults");
    assert_ok(NULL, fault_scenario(NULL, dir)); /* warms the disk cache: the sweeps take the binary path */
    test_alloc ta;
    test_alloc_init(&ta);
    assert_ok(NULL, fault_scenario(&ta.hooks, dir));
    long total = ta.calls, reported = 0;
    for (long k = 1; k <= total; k++) {
        test_alloc_init(&ta);
        ta.fail_at = k;
        oclnn_status st = fault_scenario(&ta.hooks, dir);
        if (st != OCLNN_STATUS_OK && st != OCLNN_STATUS_OUT_OF_HOST_MEMORY)
            fail_msg("host allocation %ld: unexpected %s: %s", k, oclnn_status_name(st), oclnn_last_error(NULL));
        reported += st != OCLNN_STATUS_OK;
        if (ta.live != 0 || clw_live_objects() != 0)
            fail_msg("host allocation %ld failed: %ld allocations, %lld OpenCL objects leaked", k, ta.live,
                     (long long)clw_live_objects());
    }
    assert_true(reported > 0);
    static const clw_fault_kind kinds[] = {CLW_FAULT_ALLOC, CLW_FAULT_BUILD, CLW_FAULT_ENQUEUE};
    long cl_failures = 0;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        clw_fault_reset();
        assert_ok(NULL, fault_scenario(NULL, dir));
        uint64_t n = clw_calls(kinds[i]);
        for (uint64_t k = 1; k <= n; k++) {
            clw_fault_reset();
            clw_fault_set(kinds[i], k);
            oclnn_status st = fault_scenario(NULL, dir);
            clw_fault_reset();
            cl_failures += st != OCLNN_STATUS_OK;
            if (clw_live_objects() != 0)
                fail_msg("OpenCL fault %zu/%llu: %lld objects leaked (%s)", i, (unsigned long long)k,
                         (long long)clw_live_objects(), oclnn_status_name(st));
        }
    }
    printf("# sweeps: %ld host allocations, %ld OpenCL faults reported\n", total, cl_failures);
    assert_true(cl_failures > 0);
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unary_table),
        cmocka_unit_test(test_binary_table),
        cmocka_unit_test(test_binary_rank_pairings),
        cmocka_unit_test(test_prelu_table),
        cmocka_unit_test(test_batchnorm_table),
        cmocka_unit_test(test_batchnorm_training),
        cmocka_unit_test(test_bounds_catch_errors),
        cmocka_unit_test(test_negative_table),
        cmocka_unit_test(test_reshape_never_recompiles),
        cmocka_unit_test(test_prebuild_covers_operators),
        cmocka_unit_test(test_failure_sweeps),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    return r || clw_live_objects() != 0;
}
