/* test_lrn.c - LRN across channels against the naive double reference (tests/ref/lrn_ref.c): odd and even window
 * sizes (the ONNX window), windows wider than the channels, the AlexNet / GoogLeNet settings, 2-D to 5-D inputs,
 * batches, views at offsets; a hand-computed even window; a negative table of exact statuses.
 *
 * Accuracy contract, checked on every element: |y - y_ref| <= 4e-6 * |y_ref| + 1e-7. OpenCL's pow is within
 * 16 ulp (1e-6 relative), the forms used for beta 0.75, 0.5 and 1 (rsqrt, sqrt, division) within a few ulp
 * together; the float square sum of at most `size` terms and alpha / size add a few ulp, which beta scales.
 * The absolute term covers outputs that are zero or nearly so. Cases cover every beta form.
 */
#include "common.h"

#include <math.h>

#include "device/clw.h"
#include "op_faults.h"
#include "program/program.h"
#include "ref/lrn_ref.h"

#define LRN_REL 4e-6
#define LRN_ABS 1e-7
#define PAD 3 /* elements before and after every tensor's view inside its buffer */
#define SENTINEL 777.25f

static const char *cache_dir;

typedef struct lrn_case {
    const char *name;
    int ndim;
    int64_t dims[5];
    int size;
    float alpha, beta, bias, range; /* inputs in [-range, range] */
    int small;                      /* also run on the slow rusticl device */
} lrn_case;

static const lrn_case cases[] = {
    {"AlexNet norm1 [1,96,55,55]", 4, {1, 96, 55, 55}, 5, 1e-4f, 0.75f, 1.0f, 30, 0},
    {"GoogLeNet norm2 [1,192,28,28] (@28 of 56)", 4, {1, 192, 28, 28}, 5, 1e-4f, 0.75f, 1.0f, 30, 0},
    {"[3,23,27,37] size 5, strong", 4, {3, 23, 27, 37}, 5, 1.0f, 0.75f, 2.0f, 2, 1},
    {"[1,23,27,37] size 3", 4, {1, 23, 27, 37}, 3, 0.5f, 0.75f, 1.0f, 2, 1},
    {"[1,23,27,37] size 5 beta 0.6 (pow)", 4, {1, 23, 27, 37}, 5, 1.0f, 0.6f, 1.0f, 2, 1},
    {"[1,23,27,37] size 5 beta 2.5 (pow), large t", 4, {1, 23, 27, 37}, 5, 30.0f, 2.5f, 1.0f, 30, 0},
    {"[1,23,27,37] size 4 (even)", 4, {1, 23, 27, 37}, 4, 1.0f, 0.75f, 2.0f, 2, 1},
    {"[1,23,27,37] size 2 (even)", 4, {1, 23, 27, 37}, 2, 2.0f, 0.5f, 1.0f, 2, 0},
    {"[1,23,27,37] size 1", 4, {1, 23, 27, 37}, 1, 1.0f, 1.0f, 1.0f, 2, 0},
    {"[1,23,27,37] size 7 beta 1", 4, {1, 23, 27, 37}, 7, 1.0f, 1.0f, 0.5f, 2, 0},
    {"[2,23,9,11] size 24 > channels", 4, {2, 23, 9, 11}, 24, 3.0f, 0.75f, 1.0f, 2, 0},
    {"[2,23,9,11] size 46, even, beyond both ends", 4, {2, 23, 9, 11}, 46, 3.0f, 0.75f, 1.0f, 2, 0},
    {"[3,23,27,37] batch 3, bias 2, beta 0.5", 4, {3, 23, 27, 37}, 5, 1e-2f, 0.5f, 2.0f, 10, 0},
    {"negative beta", 4, {1, 7, 5, 3}, 3, 0.3f, -0.6f, 1.0f, 2, 0},
    {"2-D [5,23]", 2, {5, 23}, 5, 1.0f, 0.75f, 1.0f, 2, 1},
    {"3-D [2,23,37]", 3, {2, 23, 37}, 5, 1.0f, 0.75f, 1.0f, 2, 0},
    {"5-D [2,7,3,4,5]", 5, {2, 7, 3, 4, 5}, 4, 1.0f, 0.75f, 1.0f, 2, 1},
    {"1 channel", 4, {2, 1, 7, 9}, 5, 1.0f, 0.75f, 1.0f, 2, 0},
};

static double worst_ratio, worst_rel;

static void run_case(oclnn_context *ctx, oclnn_lrn *op, const lrn_case *lc) {
    uint64_t seed = TEST_SEED ^ (uint64_t)(lc - cases + 1) * 0x9E3779B97F4A7C15ull;
    size_t n = (size_t)lc->dims[0], c = (size_t)lc->dims[1], inner = 1;
    for (int d = 2; d < lc->ndim; d++)
        inner *= (size_t)lc->dims[d];
    size_t count = n * c * inner;
    float *x = malloc(count * 4), *y = malloc((count + 2 * PAD) * 4);
    double *yr = malloc(count * 8);
    for (size_t i = 0; i < count; i++)
        x[i] = test_rand_float(&seed, -lc->range, lc->range);
    lrn_ref(x, yr, n, c, inner, lc->size, lc->alpha, lc->beta, lc->bias);

    assert_ok(ctx, oclnn_lrn_reshape(op, (size_t)lc->ndim, lc->dims));
    int64_t nb = (int64_t)(count + 2 * PAD);
    oclnn_tensor *xb, *yb, *tx, *ty;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 1, &nb, &xb));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 1, &nb, &yb));
    assert_ok(ctx, oclnn_tensor_view(xb, PAD * 4, OCLNN_DTYPE_F32, (size_t)lc->ndim, lc->dims, &tx));
    assert_ok(ctx, oclnn_tensor_view(yb, PAD * 4, OCLNN_DTYPE_F32, (size_t)lc->ndim, lc->dims, &ty));
    for (int64_t i = 0; i < nb; i++)
        y[i] = SENTINEL;
    assert_ok(ctx, oclnn_tensor_write(xb, 0, (size_t)nb * 4, y)); /* padding around the input: large values */
    assert_ok(ctx, oclnn_tensor_write(yb, 0, (size_t)nb * 4, y));
    assert_ok(ctx, oclnn_tensor_write(tx, 0, count * 4, x));
    assert_ok(ctx, oclnn_lrn_setup(op, tx, ty));
    assert_ok(ctx, oclnn_lrn_enqueue(op, 0, NULL));
    assert_ok(ctx, oclnn_tensor_read(yb, 0, (size_t)nb * 4, y));
    for (int i = 0; i < PAD; i++)
        if (y[i] != SENTINEL || y[PAD + count + i] != SENTINEL)
            fail_msg("%s: the padding around the output was written", lc->name);
    for (size_t i = 0; i < count; i++) {
        double got = y[PAD + i], err = fabs(got - yr[i]), bound = LRN_REL * fabs(yr[i]) + LRN_ABS;
        if (!(err <= bound))
            fail_msg("%s: element %zu: got %.9g want %.9g, err %.3g > bound %.3g (seed 0x%llx)", lc->name, i, got,
                     yr[i], err, bound, (unsigned long long)TEST_SEED);
        if (err / bound > worst_ratio) worst_ratio = err / bound;
        if (yr[i] != 0 && err / fabs(yr[i]) > worst_rel) worst_rel = err / fabs(yr[i]);
    }
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_tensor_destroy(xb);
    oclnn_tensor_destroy(yb);
    free(x);
    free(y);
    free(yr);
}

static oclnn_lrn *make_op(oclnn_context *ctx, int size, float alpha, float beta, float bias) {
    oclnn_lrn_params p;
    oclnn_lrn_params_init(&p);
    p.size = (uint32_t)size;
    p.alpha = alpha;
    p.beta = beta;
    p.bias = bias;
    oclnn_lrn *op;
    assert_ok(ctx, oclnn_lrn_create(ctx, &p, &op));
    return op;
}

static void test_case_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    int slow = test_device_is_slow(ctx), ran = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (slow && !cases[i].small) continue;
        const lrn_case *lc = &cases[i];
        oclnn_lrn *op = make_op(ctx, lc->size, lc->alpha, lc->beta, lc->bias);
        run_case(ctx, op, lc);
        oclnn_lrn_destroy(op);
        ran++;
    }
    printf("# %d cases, worst |err|/bound %.3g, worst |err|/|ref| %.3g (bound %.0e*|ref| + %.0e)\n", ran, worst_ratio,
           worst_rel, LRN_REL, LRN_ABS);
    oclnn_context_destroy(ctx);
}

/* The ONNX window for size 4 is c-1 .. c+2 (not c-2 .. c+1): checked against numbers worked out by hand. With
 * alpha = size, beta = 1, bias = 0: y_c = x_c / (sum of x^2 over the window). */
static void test_even_window_by_hand(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    oclnn_lrn *op = make_op(ctx, 4, 4.0f, 1.0f, 0.0f);
    int64_t dims[2] = {1, 4};
    const float x[4] = {1, 2, 3, 4};
    const double want[4] = {1.0 / 14, 2.0 / 30, 3.0 / 29, 4.0 / 25}; /* windows {0,1,2} {0..3} {1,2,3} {2,3} */
    float y[4];
    oclnn_tensor *tx, *ty;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, dims, &tx));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, dims, &ty));
    assert_ok(ctx, oclnn_tensor_write(tx, 0, sizeof x, x));
    assert_ok(ctx, oclnn_lrn_reshape(op, 2, dims));
    assert_ok(ctx, oclnn_lrn_setup(op, tx, ty));
    assert_ok(ctx, oclnn_lrn_enqueue(op, 0, NULL));
    assert_ok(ctx, oclnn_tensor_read(ty, 0, sizeof y, y));
    double yr[4];
    lrn_ref(x, yr, 1, 4, 1, 4, 4.0, 1.0, 0.0);
    for (int i = 0; i < 4; i++) {
        if (!(fabs(y[i] - want[i]) <= LRN_REL * want[i] + LRN_ABS))
            fail_msg("channel %d: got %.9g want %.9g", i, (double)y[i], want[i]);
        if (!(fabs(yr[i] - want[i]) <= 1e-15)) fail_msg("the reference disagrees at channel %d", i);
    }
    oclnn_lrn_destroy(op);
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_context_destroy(ctx);
}

/* After prebuild_all the common configurations (size 5 and 3 with beta 0.75, size 5 with any other beta) build
 * nothing, and a reshape to other shapes never recompiles. */
static void test_prebuild_and_reshape(void **state) {
    (void)state;
    const char *dir = test_tmpdir("prebuild");
    oclnn_context *warm = test_context(dir);
    assert_ok(warm, oclnn_context_prebuild_all(warm, NULL));
    oclnn_context_destroy(warm);
    oclnn_context *ctx = test_context(dir);
    static const int sizes[] = {5, 3, 5};
    static const float betas[] = {0.75f, 0.75f, 0.6f};
    for (int s = 0; s < 3; s++) {
        oclnn_lrn *op = make_op(ctx, sizes[s], 1e-4f, betas[s], 1.0f);
        static const lrn_case shapes[] = {
            {"reshape [1,9,5,7]", 4, {1, 9, 5, 7}, 0, 0, 0, 0, 2, 1},
            {"reshape [2,4,3]", 3, {2, 4, 3}, 0, 0, 0, 0, 2, 1},
        };
        for (int i = 0; i < 2; i++) {
            lrn_case lc = shapes[i];
            lc.size = sizes[s];
            lc.alpha = 1e-4f;
            lc.beta = betas[s];
            lc.bias = 1.0f;
            run_case(ctx, op, &lc);
        }
        oclnn_lrn_destroy(op);
        oclnn_cache_stats st;
        oclnn_context_cache_stats(ctx, &st);
        if (st.source_builds) fail_msg("size %d beta %g built a program", sizes[s], (double)betas[s]);
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

static void test_negative_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    static const struct {
        const char *name, *msg;
        int size;
        float alpha, beta, bias;
        oclnn_status want;
    } bad[] = {
        {"size 0", "size must be >= 1", 0, 1e-4f, 0.75f, 1, OCLNN_STATUS_INVALID_ARGUMENT},
        {"size 128", "size 128 is above 127", 128, 1e-4f, 0.75f, 1, OCLNN_STATUS_UNSUPPORTED},
        {"alpha NaN", "must be finite", 5, NAN, 0.75f, 1, OCLNN_STATUS_INVALID_ARGUMENT},
        {"beta inf", "must be finite", 5, 1e-4f, INFINITY, 1, OCLNN_STATUS_INVALID_ARGUMENT},
        {"bias -inf", "must be finite", 5, 1e-4f, 0.75f, -INFINITY, OCLNN_STATUS_INVALID_ARGUMENT},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        oclnn_lrn_params p;
        oclnn_lrn_params_init(&p);
        p.size = (uint32_t)bad[i].size;
        p.alpha = bad[i].alpha;
        p.beta = bad[i].beta;
        p.bias = bad[i].bias;
        oclnn_lrn *op = (oclnn_lrn *)ctx;
        expect_status(ctx, oclnn_lrn_create(ctx, &p, &op), bad[i].want, bad[i].msg);
        assert_null(op);
    }
    oclnn_lrn *op = (oclnn_lrn *)ctx;
    expect_status(ctx, oclnn_lrn_create(ctx, NULL, &op), OCLNN_STATUS_INVALID_ARGUMENT, "params");
    assert_null(op);

    op = make_op(ctx, 5, 1e-4f, 0.75f, 1.0f);
    int64_t d4[4] = {1, 3, 4, 5}, d4b[4] = {1, 3, 5, 4}, d1[1] = {7}, d6[6] = {1, 1, 1, 1, 1, 1}, dz[4] = {1, 0, 4, 5};
    int64_t nbase = 200;
    oclnn_tensor *tx, *ty, *tyb, *t16, *tbase, *tva, *tvb;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, d4, &tx));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, d4, &ty));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, d4b, &tyb));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F16, 4, d4, &t16));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 1, &nbase, &tbase));
    assert_ok(ctx, oclnn_tensor_view(tbase, 0, OCLNN_DTYPE_F32, 4, d4, &tva));
    assert_ok(ctx, oclnn_tensor_view(tbase, 0, OCLNN_DTYPE_F32, 4, d4, &tvb));
    expect_status(ctx, oclnn_lrn_setup(op, tx, ty), OCLNN_STATUS_INVALID_STATE, "before reshape");
    expect_status(ctx, oclnn_lrn_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE, "before reshape");
    expect_status(ctx, oclnn_lrn_reshape(op, 1, d1), OCLNN_STATUS_INVALID_SHAPE, "2 to 5 dimensions");
    expect_status(ctx, oclnn_lrn_reshape(op, 6, d6), OCLNN_STATUS_INVALID_SHAPE, "2 to 5 dimensions, got 6");
    expect_status(ctx, oclnn_lrn_reshape(op, 4, NULL), OCLNN_STATUS_INVALID_SHAPE, "2 to 5 dimensions, got 0");
    expect_status(ctx, oclnn_lrn_reshape(op, 4, dz), OCLNN_STATUS_INVALID_SHAPE, "dimension 1 is 0");
    assert_ok(ctx, oclnn_lrn_reshape(op, 4, d4));
    expect_status(ctx, oclnn_lrn_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE, "before reshape and setup");
    expect_status(ctx, oclnn_lrn_setup(op, tx, tyb), OCLNN_STATUS_INVALID_SHAPE,
                  "must have shape 1x3x4x5 (from reshape), got 1x3x5x4");
    expect_status(ctx, oclnn_lrn_setup(op, t16, ty), OCLNN_STATUS_UNSUPPORTED, "must be f32, got f16");
    expect_status(ctx, oclnn_lrn_setup(op, tva, tvb), OCLNN_STATUS_INVALID_ARGUMENT, "overlap");
    expect_status(ctx, oclnn_lrn_setup(op, tx, NULL), OCLNN_STATUS_INVALID_ARGUMENT, "output tensor is NULL");
    assert_ok(ctx, oclnn_lrn_setup(op, tx, ty));
    expect_status(ctx, oclnn_lrn_enqueue(op, 3, NULL), OCLNN_STATUS_INVALID_ARGUMENT, "queue 3");
    oclnn_event *ev;
    assert_ok(ctx, oclnn_lrn_enqueue(op, 0, &ev));
    assert_ok(ctx, oclnn_event_wait(ev));
    oclnn_event_destroy(ev);
    assert_ok(ctx, oclnn_lrn_reshape(op, 4, d4b));
    expect_status(ctx, oclnn_lrn_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE, "before reshape and setup");
    oclnn_lrn_destroy(op);
    oclnn_lrn_destroy(NULL);
    expect_status(NULL, oclnn_lrn_setup(NULL, tx, ty), OCLNN_STATUS_INVALID_ARGUMENT, "op is NULL");
    oclnn_tensor *all[] = {tx, ty, tyb, t16, tva, tvb, tbase};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        oclnn_tensor_destroy(all[i]);
    oclnn_context_destroy(ctx);
}

/* One small run for the failure sweeps: AlexNet's LRN on pixels with whole vectors and a tail. */
static oclnn_status fault_scenario(oclnn_context *ctx, int *verified) {
    enum { N = 2 * 7 * 27 };
    int64_t dims[4] = {2, 7, 3, 9};
    float x[N], y[N];
    double yr[N];
    for (int i = 0; i < N; i++)
        x[i] = (float)((i * 7) % 11) - 5.0f;
    oclnn_lrn *op = NULL;
    oclnn_tensor *tx = NULL, *ty = NULL;
    oclnn_event *ev = NULL;
    oclnn_lrn_params p;
    oclnn_lrn_params_init(&p);
    oclnn_status st;
    if ((st = oclnn_lrn_create(ctx, &p, &op)) || (st = oclnn_lrn_reshape(op, 4, dims)) ||
        (st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dims, &tx)) ||
        (st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dims, &ty)) ||
        (st = oclnn_tensor_write(tx, 0, sizeof x, x)) || (st = oclnn_lrn_setup(op, tx, ty)) ||
        (st = oclnn_lrn_enqueue(op, 0, &ev)) || (st = oclnn_event_wait(ev)) ||
        (st = oclnn_tensor_read(ty, 0, sizeof y, y)))
        goto done;
    lrn_ref(x, yr, 2, 7, 27, p.size, p.alpha, p.beta, p.bias);
    for (int i = 0; i < N; i++)
        if (!(fabs(y[i] - yr[i]) <= LRN_REL * fabs(yr[i]) + LRN_ABS))
            fail_msg("fault scenario: element %d is wrong", i);
    *verified = 1;
done:
    oclnn_event_destroy(ev);
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_lrn_destroy(op);
    return st;
}

/* Each host allocation and each OpenCL allocation and enqueue fails in turn: clean statuses, no leaks. */
static void test_fault_sweeps(void **state) {
    (void)state;
    test_op_fault_sweeps("lrn", fault_scenario, cache_dir);
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    cache_dir = test_tmpdir("lrn-cache"); /* shared by the tests: each variant is compiled once */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_table),           cmocka_unit_test(test_even_window_by_hand),
        cmocka_unit_test(test_prebuild_and_reshape), cmocka_unit_test(test_negative_table),
        cmocka_unit_test(test_fault_sweeps),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    return r || clw_live_objects() != 0;
}
