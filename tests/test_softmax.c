/* test_softmax.c - Softmax and LogSoftmax against the naive double reference (tests/ref/softmax_ref.c): every axis
 * of 1-D to 5-D tensors, negative axes, opset < 13 flattening, odd sizes, both kernels, in place, at offsets;
 * special values; a negative table of exact statuses.
 *
 * Accuracy contract, checked on every element (y_ref in double):
 *   Softmax     |y - y_ref| <= 1e-6 + 2e-6 * |y_ref|
 *   LogSoftmax  |y - y_ref| <= 2e-6 * (1 + |y_ref|)
 * exp and log are within 3-4 ulp in OpenCL C; the sum is accumulated in blocks of 16, so its relative error stays
 * a few 1e-7 even over rows of 20,000 terms; 1 / s and the final product add two roundings.
 */
#include "common.h"

#include <math.h>

#include "device/clw.h"
#include "op_faults.h"
#include "program/program.h"
#include "ref/softmax_ref.h"

#define SM_ABS 1e-6
#define SM_REL 2e-6
#define LSM_REL 2e-6
#define PAD 3 /* elements before and after every tensor's view inside its buffer */
#define SENTINEL 777.25f

static const char *cache_dir;

typedef struct sm_case {
    const char *name;
    int ndim;
    int64_t dims[5];
    int axis, log, flatten;
    float lo, hi; /* input range */
    int inplace;
    int small; /* also run on the slow rusticl device */
} sm_case;

static const sm_case cases[] = {
    {"[1,1000] logits, last axis", 2, {1, 1000}, -1, 0, 0, -8, 8, 0, 1},
    {"[3,1000] logits, log", 2, {3, 1000}, -1, 1, 0, -8, 8, 0, 1},
    {"[2,21,27,37] classes, channel axis", 4, {2, 21, 27, 37}, 1, 0, 0, -6, 6, 0, 1},
    {"[3,23,27,37] channel axis, log", 4, {3, 23, 27, 37}, 1, 1, 0, -6, 6, 0, 0},
    {"[1,21,64,64] channel axis in place", 4, {1, 21, 64, 64}, 1, 0, 0, -6, 6, 1, 0},
    {"[1,100,9,11] 100 classes, beyond the private column", 4, {1, 100, 9, 11}, 1, 0, 0, -6, 6, 0, 1},
    {"[1,64,9,11] 64 classes, log", 4, {1, 64, 9, 11}, 1, 1, 0, -6, 6, 0, 0},
    {"[1,65,9,11] 65 classes, in place", 4, {1, 65, 9, 11}, 1, 0, 0, -6, 6, 1, 0},
    {"[1,23,27,37] axis -3 = 1", 4, {1, 23, 27, 37}, -3, 0, 0, -4, 4, 0, 0},
    {"[3,23,27,37] axis 0 (batch)", 4, {3, 23, 27, 37}, 0, 0, 0, -4, 4, 0, 0},
    {"[3,23,27,37] axis 2 (rows)", 4, {3, 23, 27, 37}, 2, 1, 0, -4, 4, 0, 0},
    {"[3,23,27,37] axis -1 (columns)", 4, {3, 23, 27, 37}, -1, 0, 0, -4, 4, 0, 0},
    {"5-D axis 0", 5, {3, 4, 5, 6, 7}, 0, 0, 0, -4, 4, 0, 1},
    {"5-D axis 1", 5, {3, 4, 5, 6, 7}, 1, 1, 0, -4, 4, 0, 0},
    {"5-D axis 2", 5, {3, 4, 5, 6, 7}, 2, 0, 0, -4, 4, 0, 0},
    {"5-D axis 3", 5, {3, 4, 5, 6, 7}, 3, 1, 0, -4, 4, 0, 0},
    {"5-D axis 4", 5, {3, 4, 5, 6, 7}, 4, 0, 0, -4, 4, 0, 1},
    {"5-D axis -2", 5, {3, 4, 5, 6, 7}, -2, 0, 0, -4, 4, 0, 0},
    {"5-D axis -5", 5, {3, 4, 5, 6, 7}, -5, 1, 0, -4, 4, 0, 0},
    {"3-D axis 1", 3, {3, 23, 37}, 1, 0, 0, -4, 4, 0, 0},
    {"3-D axis -1 short rows", 3, {3, 23, 37}, -1, 1, 0, -4, 4, 0, 0},
    {"1-D [7]", 1, {7}, 0, 0, 0, -4, 4, 0, 1},
    {"1-D [1000] log", 1, {1000}, -1, 1, 0, -4, 4, 0, 0},
    {"1-D [1]", 1, {1}, 0, 0, 0, -4, 4, 0, 1},
    {"[5,1] axis 1 (length 1)", 2, {5, 1}, 1, 1, 0, -4, 4, 0, 0},
    {"[4,127] last axis below the row kernel", 2, {4, 127}, -1, 0, 0, -8, 8, 0, 0},
    {"[37,21] class scores, last axis", 2, {37, 21}, -1, 0, 0, -8, 8, 0, 1},
    {"[1,45,21] class scores, log, in place", 3, {1, 45, 21}, 2, 1, 0, -8, 8, 1, 0},
    {"[16,127] short rows, in place", 2, {16, 127}, 1, 0, 0, -8, 8, 1, 0},
    {"[4,128] last axis at the row kernel", 2, {4, 128}, -1, 0, 0, -8, 8, 0, 1},
    {"[2,3001] long odd rows in place", 2, {2, 3001}, -1, 1, 0, -8, 8, 1, 0},
    {"[3,1007] rows with a 7-element tail, in place", 2, {3, 1007}, -1, 0, 0, -8, 8, 1, 1},
    {"[2,1000] values 50..120 (exp overflows)", 2, {2, 1000}, -1, 0, 0, 50, 120, 0, 1},
    {"[2,9,7,5] values 50..120, channel axis", 4, {2, 9, 7, 5}, 1, 0, 0, 50, 120, 0, 1},
    {"[1,9,7,5] values -120..-50, log", 4, {1, 9, 7, 5}, 1, 1, 0, -120, -50, 0, 1},
    {"[1,9,7,5] values -30..30", 4, {1, 9, 7, 5}, 1, 0, 0, -30, 30, 0, 0},
    /* opset < 13: everything from axis on is one row. */
    {"flatten [2,3,4,5] axis 1", 4, {2, 3, 4, 5}, 1, 0, 1, -4, 4, 0, 1},
    {"flatten [3,23,27,37] axis 1, log", 4, {3, 23, 27, 37}, 1, 1, 1, -4, 4, 0, 0},
    {"flatten [3,23,27,37] axis -2", 4, {3, 23, 27, 37}, -2, 0, 1, -4, 4, 0, 0},
    {"flatten 3-D axis 0 (one row)", 3, {3, 23, 37}, 0, 0, 1, -4, 4, 0, 0},
    {"flatten axis -1 = opset 13", 4, {3, 5, 7, 9}, -1, 1, 1, -4, 4, 0, 0},
};

static double worst_ratio[2], worst_err[2]; /* [log]: largest |err| / bound, largest |err| */

static void fill(float *v, size_t n, float lo, float hi, uint64_t *seed) {
    for (size_t i = 0; i < n; i++)
        v[i] = test_rand_float(seed, lo, hi);
}

static double bound_of(int log, double ref) { return log ? LSM_REL * (1 + fabs(ref)) : SM_ABS + SM_REL * fabs(ref); }

/* A tensor of @p count elements as a view PAD elements into a buffer of count + 2*PAD, the padding set to pad. */
static oclnn_tensor *padded_tensor(oclnn_context *ctx, int ndim, const int64_t *dims, size_t count, float pad,
                                   oclnn_tensor **base) {
    int64_t n = (int64_t)(count + 2 * PAD);
    oclnn_tensor *v;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 1, &n, base));
    float *p = malloc((size_t)n * 4);
    for (int64_t i = 0; i < n; i++)
        p[i] = pad;
    assert_ok(ctx, oclnn_tensor_write(*base, 0, (size_t)n * 4, p));
    free(p);
    assert_ok(ctx, oclnn_tensor_view(*base, PAD * 4, OCLNN_DTYPE_F32, (size_t)ndim, dims, &v));
    return v;
}

static void run_case(oclnn_context *ctx, oclnn_softmax *op, const sm_case *sc) {
    uint64_t seed = TEST_SEED ^ (uint64_t)(sc - cases + 1) * 0x9E3779B97F4A7C15ull;
    /* The reference's [outer][len][inner] view, derived here independently of the library. */
    int axis = sc->axis < 0 ? sc->axis + sc->ndim : sc->axis;
    size_t outer = 1, len = (size_t)sc->dims[axis], inner = 1, count;
    for (int d = 0; d < axis; d++)
        outer *= (size_t)sc->dims[d];
    for (int d = axis + 1; d < sc->ndim; d++)
        inner *= (size_t)sc->dims[d];
    if (sc->flatten) {
        len *= inner;
        inner = 1;
    }
    count = outer * len * inner;
    float *x = malloc(count * 4), *y = malloc((count + 2 * PAD) * 4);
    double *yr = malloc(count * 8);
    fill(x, count, sc->lo, sc->hi, &seed);
    softmax_ref(x, yr, outer, len, inner, sc->log);

    assert_ok(ctx, oclnn_softmax_reshape(op, (size_t)sc->ndim, sc->dims));
    oclnn_tensor *xb, *yb = NULL, *tx, *ty;
    tx = padded_tensor(ctx, sc->ndim, sc->dims, count, -SENTINEL, &xb);
    assert_ok(ctx, oclnn_tensor_write(tx, 0, count * 4, x));
    if (sc->inplace)
        assert_ok(ctx, oclnn_tensor_view(xb, PAD * 4, OCLNN_DTYPE_F32, (size_t)sc->ndim, sc->dims, &ty));
    else
        ty = padded_tensor(ctx, sc->ndim, sc->dims, count, SENTINEL, &yb);
    assert_ok(ctx, oclnn_softmax_setup(op, tx, ty));
    assert_ok(ctx, oclnn_softmax_enqueue(op, 0, NULL));
    assert_ok(ctx, oclnn_tensor_read(sc->inplace ? xb : yb, 0, (count + 2 * PAD) * 4, y));
    float pad = sc->inplace ? -SENTINEL : SENTINEL;
    for (int i = 0; i < PAD; i++)
        if (y[i] != pad || y[PAD + count + i] != pad)
            fail_msg("%s: the padding around the output was written", sc->name);
    for (size_t i = 0; i < count; i++) {
        double got = y[PAD + i], err = fabs(got - yr[i]), bound = bound_of(sc->log, yr[i]);
        if (!(err <= bound))
            fail_msg("%s: element %zu: got %.9g want %.9g, err %.3g > bound %.3g (seed 0x%llx)", sc->name, i, got,
                     yr[i], err, bound, (unsigned long long)TEST_SEED);
        if (err / bound > worst_ratio[sc->log]) worst_ratio[sc->log] = err / bound;
        if (err > worst_err[sc->log]) worst_err[sc->log] = err;
    }
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_tensor_destroy(xb);
    oclnn_tensor_destroy(yb);
    free(x);
    free(y);
    free(yr);
}

static oclnn_softmax *make_op(oclnn_context *ctx, int axis, int log, int flatten) {
    oclnn_softmax_params p;
    oclnn_softmax_params_init(&p);
    p.axis = axis;
    p.log = log;
    p.flatten_2d = flatten;
    oclnn_softmax *op;
    assert_ok(ctx, oclnn_softmax_create(ctx, &p, &op));
    return op;
}

static void test_case_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    int slow = test_device_is_slow(ctx), ran = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (slow && !cases[i].small) continue;
        oclnn_softmax *op = make_op(ctx, cases[i].axis, cases[i].log, cases[i].flatten);
        run_case(ctx, op, &cases[i]);
        oclnn_softmax_destroy(op);
        ran++;
    }
    printf("# %d cases; softmax: worst |err| %.3g, worst |err|/bound %.3g; logsoftmax: worst |err| %.3g, worst "
           "|err|/bound %.3g\n",
           ran, worst_err[0], worst_ratio[0], worst_err[1], worst_ratio[1]);
    oclnn_context_destroy(ctx);
}

/* One operator, several shapes: a reshape reuses the compiled program, and each result is still right. */
static void test_reshape_never_recompiles(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    oclnn_softmax *op = make_op(ctx, 1, 0, 0);
    oclnn_cache_stats s0, s1;
    oclnn_context_cache_stats(ctx, &s0);
    static const sm_case shapes[] = {
        {"reshape [2,21,9,11]", 4, {2, 21, 9, 11}, 1, 0, 0, -4, 4, 0, 1},
        {"reshape [3,500] (rows)", 2, {3, 500}, 1, 0, 0, -4, 4, 0, 1},
        {"reshape [3,5,7]", 3, {3, 5, 7}, 1, 0, 0, -4, 4, 0, 1},
        {"reshape [2,3,4,5,6]", 5, {2, 3, 4, 5, 6}, 1, 0, 0, -4, 4, 0, 1},
    };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        run_case(ctx, op, &shapes[i]);
    oclnn_context_cache_stats(ctx, &s1);
    assert_int_equal(s1.source_builds, s0.source_builds);
    assert_int_equal(s1.disk_hits, s0.disk_hits);
    oclnn_softmax_destroy(op);
    oclnn_context_destroy(ctx);
}

/* -inf entries (masks) give exactly 0 / -inf; a NaN poisons its row and only its row; huge values do not overflow. */
static void test_special_values(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    /* [2, L] rows: L = 5 runs the strided kernel, L = 200 the row kernel. */
    static const int lens[] = {5, 200};
    for (int li = 0; li < 2; li++)
        for (int log = 0; log < 2; log++) {
            int L = lens[li];
            int64_t dims[2] = {3, L};
            float *x = malloc((size_t)3 * L * 4), *y = malloc((size_t)3 * L * 4);
            for (int i = 0; i < 3 * L; i++)
                x[i] = (float)(i % 7) - 3.0f;
            x[0] = x[2] = -INFINITY; /* row 0: masked entries */
            x[L + 1] = NAN;          /* row 1: a NaN */
            x[2 * L] = 3.0e38f;      /* row 2: a value near FLT_MAX */
            x[2 * L + 1] = 3.0e38f;
            oclnn_tensor *tx, *ty;
            assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, dims, &tx));
            assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, dims, &ty));
            assert_ok(ctx, oclnn_tensor_write(tx, 0, (size_t)3 * L * 4, x));
            oclnn_softmax *op = make_op(ctx, -1, log, 0);
            assert_ok(ctx, oclnn_softmax_reshape(op, 2, dims));
            assert_ok(ctx, oclnn_softmax_setup(op, tx, ty));
            assert_ok(ctx, oclnn_softmax_enqueue(op, 0, NULL));
            assert_ok(ctx, oclnn_tensor_read(ty, 0, (size_t)3 * L * 4, y));
            double *yr = malloc((size_t)3 * L * 8);
            softmax_ref(x, yr, 3, (size_t)L, 1, log);
            for (int i = 0; i < 3 * L; i++) {
                int row = i / L;
                if (row == 1) {
                    if (!isnan(y[i]))
                        fail_msg("L %d log %d: row with a NaN: element %d is %g", L, log, i, (double)y[i]);
                    continue;
                }
                if (isinf(x[i])) {
                    if (y[i] != (log ? -INFINITY : 0.0f))
                        fail_msg("L %d log %d: masked element %d is %g", L, log, i, (double)y[i]);
                    continue;
                }
                double err = fabs((double)y[i] - yr[i]);
                if (!(err <= bound_of(log, yr[i])))
                    fail_msg("L %d log %d: element %d: got %.9g want %.9g", L, log, i, (double)y[i], yr[i]);
            }
            /* Two equal maxima near FLT_MAX share the mass; nothing overflowed to inf or NaN. */
            if (!log && fabs(y[2 * L] - 0.5) > 1e-6)
                fail_msg("L %d: huge values: got %g, want 0.5", L, (double)y[2 * L]);
            oclnn_softmax_destroy(op);
            oclnn_tensor_destroy(tx);
            oclnn_tensor_destroy(ty);
            free(x);
            free(y);
            free(yr);
        }
    oclnn_context_destroy(ctx);
}

/* The options the operator asks for are exactly the registry's variants: after prebuild_all nothing is built. */
static void test_prebuild_covers_operator(void **state) {
    (void)state;
    const char *dir = test_tmpdir("prebuild");
    oclnn_context *warm = test_context(dir);
    assert_ok(warm, oclnn_context_prebuild_all(warm, NULL));
    oclnn_context_destroy(warm);
    oclnn_context *ctx = test_context(dir);
    for (int log = 0; log < 2; log++)
        for (int flatten = 0; flatten < 2; flatten++) {
            oclnn_softmax_destroy(make_op(ctx, 1, log, flatten));
            oclnn_cache_stats s;
            oclnn_context_cache_stats(ctx, &s);
            if (s.source_builds) fail_msg("log %d flatten %d is not among the registry's variants", log, flatten);
        }
    oclnn_context_destroy(ctx);
}

#define expect_status(ctx, expr, want, msg)                                                                            \
    do {                                                                                                               \
        oclnn_status st_ = (expr);                                                                                     \
        if (st_ != (want))                                                                                             \
            fail_msg("%s -> %s (%s), want %s", #expr, oclnn_status_name(st_), oclnn_last_error(ctx),                   \
                     oclnn_status_name(want));                                                                         \
        if (!strstr(oclnn_last_error(ctx), msg))                                                                       \
            fail_msg("%s: message '%s' lacks '%s'", #expr, oclnn_last_error(ctx), msg);                                \
    } while (0)

/* Impossible or unsupported requests get their exact status and a message naming the rule. */
static void test_negative_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    static const struct {
        const char *name, *msg;
        int axis, log, flatten;
        oclnn_status want;
    } bad[] = {
        {"axis 5", "axis 5", 5, 0, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"axis -6", "axis -6", -6, 0, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"log 2", "must be 0 or 1", -1, 2, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"flatten -1", "must be 0 or 1", -1, 0, -1, OCLNN_STATUS_INVALID_ARGUMENT},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        oclnn_softmax_params p;
        oclnn_softmax_params_init(&p);
        p.axis = bad[i].axis;
        p.log = bad[i].log;
        p.flatten_2d = bad[i].flatten;
        oclnn_softmax *op = (oclnn_softmax *)ctx;
        expect_status(ctx, oclnn_softmax_create(ctx, &p, &op), bad[i].want, bad[i].msg);
        assert_null(op);
    }
    oclnn_softmax *op = (oclnn_softmax *)ctx;
    expect_status(ctx, oclnn_softmax_create(ctx, NULL, &op), OCLNN_STATUS_INVALID_ARGUMENT, "params");
    assert_null(op);

    /* Shapes, axis against rank, lifecycle order, tensors. */
    op = make_op(ctx, 2, 0, 0);
    int64_t d3[3] = {2, 3, 4}, d2[2] = {2, 3}, d6[6] = {1, 1, 1, 1, 1, 1}, dz[3] = {2, 0, 4}, dbig[3] = {2, 1 << 30, 4};
    oclnn_tensor *tx, *ty, *t2, *t16, *ti32, *tbase, *tshift, *tmis;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 3, d3, &tx));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 3, d3, &ty));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, d2, &t2));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F16, 3, d3, &t16));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_I32, 3, d3, &ti32));
    int64_t nbase = 2 * 3 * 4 + 8;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 1, &nbase, &tbase));
    assert_ok(ctx, oclnn_tensor_view(tbase, 0, OCLNN_DTYPE_F32, 3, d3, &tshift));
    oclnn_tensor *tshift2;
    assert_ok(ctx, oclnn_tensor_view(tbase, 4 * 4, OCLNN_DTYPE_F32, 3, d3, &tshift2));
    assert_ok(ctx, oclnn_tensor_view(tbase, 2, OCLNN_DTYPE_F32, 3, d3, &tmis));
    expect_status(ctx, oclnn_softmax_setup(op, tx, ty), OCLNN_STATUS_INVALID_STATE, "before reshape");
    expect_status(ctx, oclnn_softmax_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE, "before reshape");
    expect_status(ctx, oclnn_softmax_reshape(op, 2, d2), OCLNN_STATUS_INVALID_ARGUMENT, "axis 2 is outside [-2, 1]");
    expect_status(ctx, oclnn_softmax_reshape(op, 0, d3), OCLNN_STATUS_INVALID_SHAPE, "1 to 5 dimensions");
    expect_status(ctx, oclnn_softmax_reshape(op, 6, d6), OCLNN_STATUS_INVALID_SHAPE, "1 to 5 dimensions");
    expect_status(ctx, oclnn_softmax_reshape(op, 3, NULL), OCLNN_STATUS_INVALID_SHAPE, "1 to 5 dimensions");
    expect_status(ctx, oclnn_softmax_reshape(op, 3, dz), OCLNN_STATUS_INVALID_SHAPE, "dimension 1 is 0");
    expect_status(ctx, oclnn_softmax_reshape(op, 3, dbig), OCLNN_STATUS_UNSUPPORTED, "2^31");
    expect_status(ctx, oclnn_softmax_setup(op, tx, ty), OCLNN_STATUS_INVALID_STATE, "before reshape");
    assert_ok(ctx, oclnn_softmax_reshape(op, 3, d3));
    expect_status(ctx, oclnn_softmax_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE, "before reshape and setup");
    expect_status(ctx, oclnn_softmax_setup(op, NULL, ty), OCLNN_STATUS_INVALID_ARGUMENT, "input tensor is NULL");
    expect_status(ctx, oclnn_softmax_setup(op, tx, NULL), OCLNN_STATUS_INVALID_ARGUMENT, "output tensor is NULL");
    expect_status(ctx, oclnn_softmax_setup(op, tx, t2), OCLNN_STATUS_INVALID_SHAPE, "must have shape 2x3x4");
    expect_status(ctx, oclnn_softmax_setup(op, t2, ty), OCLNN_STATUS_INVALID_SHAPE, "got 2x3");
    expect_status(ctx, oclnn_softmax_setup(op, t16, ty), OCLNN_STATUS_UNSUPPORTED, "must be f32, got f16");
    expect_status(ctx, oclnn_softmax_setup(op, tx, ti32), OCLNN_STATUS_INVALID_ARGUMENT, "must be f32, got i32");
    expect_status(ctx, oclnn_softmax_setup(op, tmis, ty), OCLNN_STATUS_INVALID_ARGUMENT, "whole number");
    expect_status(ctx, oclnn_softmax_setup(op, tshift, tshift2), OCLNN_STATUS_INVALID_ARGUMENT, "overlap");
    assert_ok(ctx, oclnn_softmax_setup(op, tshift, tshift)); /* in place */
    assert_ok(ctx, oclnn_softmax_setup(op, tx, ty));
    expect_status(ctx, oclnn_softmax_enqueue(op, 5, NULL), OCLNN_STATUS_INVALID_ARGUMENT, "queue 5");
    oclnn_event *ev;
    assert_ok(ctx, oclnn_softmax_enqueue(op, 0, &ev));
    assert_ok(ctx, oclnn_event_wait(ev));
    oclnn_event_destroy(ev);
    /* A new shape needs a new setup; a failed reshape keeps the last good one. */
    expect_status(ctx, oclnn_softmax_reshape(op, 2, d2), OCLNN_STATUS_INVALID_ARGUMENT, "axis 2");
    assert_ok(ctx, oclnn_softmax_enqueue(op, 0, NULL));
    int64_t d3b[3] = {2, 3, 5};
    assert_ok(ctx, oclnn_softmax_reshape(op, 3, d3b));
    expect_status(ctx, oclnn_softmax_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE, "before reshape and setup");
    expect_status(ctx, oclnn_softmax_setup(op, tx, ty), OCLNN_STATUS_INVALID_SHAPE, "must have shape 2x3x5");
    oclnn_softmax_destroy(op);
    oclnn_softmax_destroy(NULL);
    expect_status(NULL, oclnn_softmax_reshape(NULL, 3, d3), OCLNN_STATUS_INVALID_ARGUMENT, "op is NULL");
    expect_status(NULL, oclnn_softmax_setup(NULL, tx, ty), OCLNN_STATUS_INVALID_ARGUMENT, "op is NULL");
    expect_status(NULL, oclnn_softmax_enqueue(NULL, 0, NULL), OCLNN_STATUS_INVALID_ARGUMENT, "op is NULL");
    oclnn_tensor *all[] = {tx, ty, t2, t16, ti32, tshift, tshift2, tmis, tbase};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        oclnn_tensor_destroy(all[i]);
    oclnn_context_destroy(ctx);
}

/* One small run for the failure sweeps: a channel softmax with whole vectors and a tail. */
static oclnn_status fault_scenario(oclnn_context *ctx, int *verified) {
    enum { N = 2 * 5 * 27 };
    int64_t dims[4] = {2, 5, 3, 9};
    float x[N], y[N];
    double yr[N];
    for (int i = 0; i < N; i++)
        x[i] = (float)((i * 7) % 11) - 5.0f;
    oclnn_softmax *op = NULL;
    oclnn_tensor *tx = NULL, *ty = NULL;
    oclnn_event *ev = NULL;
    oclnn_softmax_params p;
    oclnn_softmax_params_init(&p);
    p.axis = 1;
    oclnn_status st;
    if ((st = oclnn_softmax_create(ctx, &p, &op)) || (st = oclnn_softmax_reshape(op, 4, dims)) ||
        (st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dims, &tx)) ||
        (st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dims, &ty)) ||
        (st = oclnn_tensor_write(tx, 0, sizeof x, x)) || (st = oclnn_softmax_setup(op, tx, ty)) ||
        (st = oclnn_softmax_enqueue(op, 0, &ev)) || (st = oclnn_event_wait(ev)) ||
        (st = oclnn_tensor_read(ty, 0, sizeof y, y)))
        goto done;
    softmax_ref(x, yr, 2, 5, 27, 0);
    for (int i = 0; i < N; i++)
        if (!(fabs(y[i] - yr[i]) <= bound_of(0, yr[i]))) fail_msg("fault scenario: element %d is wrong", i);
    *verified = 1;
done:
    oclnn_event_destroy(ev);
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_softmax_destroy(op);
    return st;
}

/* Each host allocation and each OpenCL allocation and enqueue fails in turn: clean statuses, no leaks. */
static void test_fault_sweeps(void **state) {
    (void)state;
    test_op_fault_sweeps("softmax", fault_scenario, cache_dir);
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    cache_dir = test_tmpdir("softmax-cache"); /* shared by the tests: each variant is compiled once */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_table),     cmocka_unit_test(test_reshape_never_recompiles),
        cmocka_unit_test(test_special_values), cmocka_unit_test(test_prebuild_covers_operator),
        cmocka_unit_test(test_negative_table), cmocka_unit_test(test_fault_sweeps),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    return r || clw_live_objects() != 0;
}
