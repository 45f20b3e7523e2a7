/* test_argmax.c - ArgMax against the naive reference (tests/ref/argmax_ref.c), exact on every index: every axis of
 * 1-D to 5-D tensors, negative axes, keepdims, select_last_index, inputs full of ties, odd sizes and batches, views
 * at offsets; NaN and infinities; a negative table of exact statuses.
 */
#include "common.h"

#include <math.h>

#include "device/clw.h"
#include "op_faults.h"
#include "program/program.h"
#include "ref/argmax_ref.h"

#define PAD 3 /* elements before and after every tensor's view inside its buffer */
#define SENTINEL_IDX (-7)

static const char *cache_dir;

typedef struct am_case {
    const char *name;
    int ndim;
    int64_t dims[5];
    int axis, keepdims, last;
    int ties;  /* values from {0, 1, 2, 3}: most positions have tied maxima */
    int small; /* also run on the slow rusticl device */
} am_case;

static const am_case cases[] = {
    {"[1,21,27,37] per-pixel class", 4, {1, 21, 27, 37}, 1, 0, 0, 0, 1},
    {"[3,23,27,37] channel axis keepdims", 4, {3, 23, 27, 37}, 1, 1, 0, 0, 0},
    {"[3,23,27,37] channel ties first", 4, {3, 23, 27, 37}, 1, 1, 0, 1, 1},
    {"[3,23,27,37] channel ties last", 4, {3, 23, 27, 37}, 1, 0, 1, 1, 1},
    {"[3,23,27,37] axis 0", 4, {3, 23, 27, 37}, 0, 1, 0, 1, 0},
    {"[3,23,27,37] axis 2", 4, {3, 23, 27, 37}, 2, 0, 1, 1, 0},
    {"[3,23,27,37] axis -1", 4, {3, 23, 27, 37}, -1, 1, 0, 1, 0},
    {"[3,23,27,37] axis -4", 4, {3, 23, 27, 37}, -4, 0, 0, 0, 0},
    {"5-D axis 0", 5, {3, 4, 5, 6, 7}, 0, 1, 1, 1, 0},
    {"5-D axis 1", 5, {3, 4, 5, 6, 7}, 1, 0, 0, 1, 0},
    {"5-D axis 2", 5, {3, 4, 5, 6, 7}, 2, 1, 0, 0, 0},
    {"5-D axis 3", 5, {3, 4, 5, 6, 7}, 3, 0, 1, 1, 0},
    {"5-D axis -1", 5, {3, 4, 5, 6, 7}, -1, 1, 1, 1, 1},
    {"[3,1000] logits top-1", 2, {3, 1000}, -1, 0, 0, 0, 1},
    {"[3,1000] logits ties last", 2, {3, 1000}, 1, 1, 1, 1, 0},
    {"1-D [37] to a scalar", 1, {37}, 0, 0, 0, 1, 1},
    {"1-D [37] keepdims", 1, {37}, -1, 1, 1, 1, 0},
    {"[5,1] axis 1 (length 1)", 2, {5, 1}, 1, 0, 0, 0, 0},
    {"3-D [3,23,37] axis 1", 3, {3, 23, 37}, 1, 0, 1, 1, 0},
};

static int64_t expected_out_dims(const am_case *ac, int axis, int64_t *od) {
    int64_t k = 0;
    for (int d = 0; d < ac->ndim; d++)
        if (d != axis)
            od[k++] = ac->dims[d];
        else if (ac->keepdims)
            od[k++] = 1;
    return k;
}

static void run_case(oclnn_context *ctx, const am_case *ac) {
    uint64_t seed = TEST_SEED ^ (uint64_t)(ac - cases + 1) * 0x9E3779B97F4A7C15ull;
    int axis = ac->axis < 0 ? ac->axis + ac->ndim : ac->axis;
    size_t outer = 1, len = (size_t)ac->dims[axis], inner = 1;
    for (int d = 0; d < axis; d++)
        outer *= (size_t)ac->dims[d];
    for (int d = axis + 1; d < ac->ndim; d++)
        inner *= (size_t)ac->dims[d];
    size_t count = outer * len * inner, ocount = outer * inner;
    float *x = malloc(count * 4);
    int64_t *yr = malloc(ocount * 8), *y = malloc((ocount + 2 * PAD) * 8);
    for (size_t i = 0; i < count; i++)
        x[i] = ac->ties ? (float)(test_rand_u64(&seed) % 4) : test_rand_float(&seed, -10.0f, 10.0f);
    argmax_ref(x, yr, outer, len, inner, ac->last);

    oclnn_argmax_params p;
    oclnn_argmax_params_init(&p);
    p.axis = ac->axis;
    p.keepdims = ac->keepdims;
    p.select_last_index = ac->last;
    oclnn_argmax *op;
    assert_ok(ctx, oclnn_argmax_create(ctx, &p, &op));
    size_t ondim = 99;
    int64_t od[5], want[5];
    assert_ok(ctx, oclnn_argmax_reshape(op, (size_t)ac->ndim, ac->dims, &ondim, od));
    int64_t wn = expected_out_dims(ac, axis, want);
    if ((int64_t)ondim != wn || memcmp(od, want, (size_t)wn * 8))
        fail_msg("%s: output shape has %zu dims, want %lld", ac->name, ondim, (long long)wn);
    int64_t nx = (int64_t)(count + 2 * PAD), ny = (int64_t)(ocount + 2 * PAD), one = 1;
    oclnn_tensor *xb, *yb, *tx, *ty;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 1, &nx, &xb));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_I64, 1, &ny, &yb));
    assert_ok(ctx, oclnn_tensor_view(xb, PAD * 4, OCLNN_DTYPE_F32, (size_t)ac->ndim, ac->dims, &tx));
    assert_ok(ctx, oclnn_tensor_view(yb, PAD * 8, OCLNN_DTYPE_I64, wn ? (size_t)wn : 1, wn ? want : &one, &ty));
    assert_ok(ctx, oclnn_tensor_write(tx, 0, count * 4, x));
    for (int64_t i = 0; i < ny; i++)
        y[i] = SENTINEL_IDX;
    assert_ok(ctx, oclnn_tensor_write(yb, 0, (size_t)ny * 8, y));
    assert_ok(ctx, oclnn_argmax_setup(op, tx, ty));
    assert_ok(ctx, oclnn_argmax_enqueue(op, 0, NULL));
    assert_ok(ctx, oclnn_tensor_read(yb, 0, (size_t)ny * 8, y));
    for (int i = 0; i < PAD; i++)
        if (y[i] != SENTINEL_IDX || y[PAD + ocount + i] != SENTINEL_IDX)
            fail_msg("%s: the padding around the output was written", ac->name);
    for (size_t i = 0; i < ocount; i++)
        if (y[PAD + i] != yr[i])
            fail_msg("%s: position %zu: got %lld want %lld (seed 0x%llx)", ac->name, i, (long long)y[PAD + i],
                     (long long)yr[i], (unsigned long long)TEST_SEED);
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_tensor_destroy(xb);
    oclnn_tensor_destroy(yb);
    oclnn_argmax_destroy(op);
    free(x);
    free(y);
    free(yr);
}

static void test_case_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    int slow = test_device_is_slow(ctx), ran = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (slow && !cases[i].small) continue;
        run_case(ctx, &cases[i]);
        ran++;
    }
    printf("# %d cases, every index exact\n", ran);
    oclnn_context_destroy(ctx);
}

/* NaN is above every number; infinities order as usual; along rows (stride 1) and down columns (stride 8). */
static void test_special_values(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    enum { R = 8, L = 5 };
    const float inf = INFINITY, nan = NAN;
    /* Each row with its answer for ties-first and ties-last. */
    const float v[R][L] = {
        {1, 0, 3, 0, 2},
        {1, nan, 3, nan, 2},
        {nan, 1, 2, 3, 4},
        {nan, nan, nan, nan, nan},
        {-inf, -inf, -inf, -inf, -inf},
        {inf, 5, inf, -inf, 1},
        {-inf, -3e38f, -inf, -3e38f, -inf},
        {-0.0f, 0.0f, -0.0f, -1, -2},
    };
    static const int64_t first[R] = {2, 1, 0, 0, 0, 0, 1, 0}, lastv[R] = {2, 3, 0, 4, 4, 2, 3, 2};
    float x[R * L], xt[L * R];
    for (int r = 0; r < R; r++)
        for (int c = 0; c < L; c++)
            x[r * L + c] = xt[c * R + r] = v[r][c];
    for (int last = 0; last < 2; last++)
        for (int transposed = 0; transposed < 2; transposed++) {
            oclnn_argmax_params p;
            oclnn_argmax_params_init(&p);
            p.axis = transposed ? 0 : 1;
            p.keepdims = 0;
            p.select_last_index = last;
            int64_t dims[2] = {transposed ? L : R, transposed ? R : L}, nout = R;
            oclnn_argmax *op;
            oclnn_tensor *tx, *ty;
            assert_ok(ctx, oclnn_argmax_create(ctx, &p, &op));
            assert_ok(ctx, oclnn_argmax_reshape(op, 2, dims, NULL, NULL));
            assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, dims, &tx));
            assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_I64, 1, &nout, &ty));
            assert_ok(ctx, oclnn_tensor_write(tx, 0, sizeof x, transposed ? xt : x));
            assert_ok(ctx, oclnn_argmax_setup(op, tx, ty));
            assert_ok(ctx, oclnn_argmax_enqueue(op, 0, NULL));
            int64_t y[R];
            assert_ok(ctx, oclnn_tensor_read(ty, 0, sizeof y, y));
            for (int r = 0; r < R; r++) {
                int64_t want = last ? lastv[r] : first[r];
                if (y[r] != want)
                    fail_msg("row %d (last %d, transposed %d): got %lld want %lld", r, last, transposed,
                             (long long)y[r], (long long)want);
            }
            /* The reference agrees with the hand-written answers (it checks the case table). */
            int64_t yr[R];
            argmax_ref(x, yr, R, L, 1, last);
            assert_memory_equal(yr, y, sizeof y);
            oclnn_argmax_destroy(op);
            oclnn_tensor_destroy(tx);
            oclnn_tensor_destroy(ty);
        }
    oclnn_context_destroy(ctx);
}

/* After prebuild_all the operator builds nothing, and a reshape to other shapes never recompiles. */
static void test_prebuild_and_reshape(void **state) {
    (void)state;
    const char *dir = test_tmpdir("prebuild");
    oclnn_context *warm = test_context(dir);
    assert_ok(warm, oclnn_context_prebuild_all(warm, NULL));
    oclnn_context_destroy(warm);
    oclnn_context *ctx = test_context(dir);
    for (int last = 0; last < 2; last++)
        for (int keep = 0; keep < 2; keep++) {
            oclnn_argmax_params p;
            oclnn_argmax_params_init(&p);
            p.axis = 1;
            p.keepdims = keep;
            p.select_last_index = last;
            oclnn_argmax *op;
            assert_ok(ctx, oclnn_argmax_create(ctx, &p, &op));
            static const int64_t shapes[][4] = {{1, 21, 9, 11}, {3, 5, 7, 1}, {2, 1000, 1, 1}};
            for (int s = 0; s < 3; s++)
                assert_ok(ctx, oclnn_argmax_reshape(op, 4, shapes[s], NULL, NULL));
            oclnn_argmax_destroy(op);
            oclnn_cache_stats s;
            oclnn_context_cache_stats(ctx, &s);
            if (s.source_builds) fail_msg("select_last %d keepdims %d built a program", last, keep);
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
        int axis, keepdims, last;
        oclnn_status want;
    } bad[] = {
        {"axis 5", "axis 5", 5, 1, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"axis -6", "axis -6", -6, 1, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"keepdims 2", "must be 0 or 1", 0, 2, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"select_last_index -1", "must be 0 or 1", 0, 1, -1, OCLNN_STATUS_INVALID_ARGUMENT},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        oclnn_argmax_params p;
        oclnn_argmax_params_init(&p);
        p.axis = bad[i].axis;
        p.keepdims = bad[i].keepdims;
        p.select_last_index = bad[i].last;
        oclnn_argmax *op = (oclnn_argmax *)ctx;
        expect_status(ctx, oclnn_argmax_create(ctx, &p, &op), bad[i].want, bad[i].msg);
        assert_null(op);
    }
    oclnn_argmax *op = (oclnn_argmax *)ctx;
    expect_status(ctx, oclnn_argmax_create(ctx, NULL, &op), OCLNN_STATUS_INVALID_ARGUMENT, "params");
    assert_null(op);

    oclnn_argmax_params p;
    oclnn_argmax_params_init(&p);
    p.axis = -1;
    p.keepdims = 0;
    assert_ok(ctx, oclnn_argmax_create(ctx, &p, &op));
    int64_t d3[3] = {2, 3, 4}, d2[2] = {2, 3}, dk[3] = {2, 3, 1}, d6[6] = {1, 1, 1, 1, 1, 1}, dz[3] = {2, 3, -4};
    int64_t nbase = 16;
    oclnn_tensor *tx, *ty, *tyk, *tyf, *tyi32, *tx16, *txi64, *tbase, *tmis, *tfx, *tfy;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 3, d3, &tx));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_I64, 2, d2, &ty));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_I64, 3, dk, &tyk));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, d2, &tyf));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_I32, 2, d2, &tyi32));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F16, 3, d3, &tx16));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_I64, 3, d3, &txi64));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_I64, 1, &nbase, &tbase));
    assert_ok(ctx, oclnn_tensor_view(tbase, 4, OCLNN_DTYPE_I64, 2, d2, &tmis));
    assert_ok(ctx, oclnn_tensor_view(tbase, 0, OCLNN_DTYPE_F32, 3, d3, &tfx));
    assert_ok(ctx, oclnn_tensor_view(tbase, 64, OCLNN_DTYPE_I64, 2, d2, &tfy));
    expect_status(ctx, oclnn_argmax_setup(op, tx, ty), OCLNN_STATUS_INVALID_STATE, "before reshape");
    expect_status(ctx, oclnn_argmax_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE, "before reshape");
    expect_status(ctx, oclnn_argmax_reshape(op, 0, d3, NULL, NULL), OCLNN_STATUS_INVALID_SHAPE, "1 to 5 dimensions");
    expect_status(ctx, oclnn_argmax_reshape(op, 6, d6, NULL, NULL), OCLNN_STATUS_INVALID_SHAPE, "1 to 5 dimensions");
    expect_status(ctx, oclnn_argmax_reshape(op, 3, dz, NULL, NULL), OCLNN_STATUS_INVALID_SHAPE, "dimension 2 is -4");
    assert_ok(ctx, oclnn_argmax_reshape(op, 3, d3, NULL, NULL));
    expect_status(ctx, oclnn_argmax_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE, "before reshape and setup");
    expect_status(ctx, oclnn_argmax_setup(op, tx, tyk), OCLNN_STATUS_INVALID_SHAPE,
                  "must have shape 2x3 (from reshape), got 2x3x1");
    expect_status(ctx, oclnn_argmax_setup(op, tx, tyf), OCLNN_STATUS_INVALID_ARGUMENT, "must be i64, got f32");
    expect_status(ctx, oclnn_argmax_setup(op, tx, tyi32), OCLNN_STATUS_INVALID_ARGUMENT, "must be i64, got i32");
    expect_status(ctx, oclnn_argmax_setup(op, tx16, ty), OCLNN_STATUS_UNSUPPORTED, "must be f32, got f16");
    expect_status(ctx, oclnn_argmax_setup(op, txi64, ty), OCLNN_STATUS_INVALID_ARGUMENT, "must be f32, got i64");
    expect_status(ctx, oclnn_argmax_setup(op, tx, tmis), OCLNN_STATUS_INVALID_ARGUMENT, "whole number");
    expect_status(ctx, oclnn_argmax_setup(op, tfx, tfy), OCLNN_STATUS_INVALID_ARGUMENT, "overlap");
    expect_status(ctx, oclnn_argmax_setup(op, NULL, ty), OCLNN_STATUS_INVALID_ARGUMENT, "input tensor is NULL");
    assert_ok(ctx, oclnn_argmax_setup(op, tx, ty));
    expect_status(ctx, oclnn_argmax_enqueue(op, 1, NULL), OCLNN_STATUS_INVALID_ARGUMENT, "queue 1");
    oclnn_event *ev;
    assert_ok(ctx, oclnn_argmax_enqueue(op, 0, &ev));
    assert_ok(ctx, oclnn_event_wait(ev));
    oclnn_event_destroy(ev);
    /* The axis is checked against the rank; a failed reshape keeps the last good shape and binding. */
    oclnn_argmax_destroy(op);
    p.axis = 2;
    p.keepdims = 1;
    assert_ok(ctx, oclnn_argmax_create(ctx, &p, &op));
    expect_status(ctx, oclnn_argmax_reshape(op, 2, d2, NULL, NULL), OCLNN_STATUS_INVALID_ARGUMENT,
                  "axis 2 is outside [-2, 1]");
    assert_ok(ctx, oclnn_argmax_reshape(op, 3, d3, NULL, NULL));
    expect_status(ctx, oclnn_argmax_setup(op, tx, ty), OCLNN_STATUS_INVALID_SHAPE, "must have shape 2x3x1");
    assert_ok(ctx, oclnn_argmax_setup(op, tx, tyk));
    oclnn_argmax_destroy(op);
    oclnn_argmax_destroy(NULL);
    expect_status(NULL, oclnn_argmax_reshape(NULL, 3, d3, NULL, NULL), OCLNN_STATUS_INVALID_ARGUMENT, "op is NULL");
    oclnn_tensor *all[] = {tx, ty, tyk, tyf, tyi32, tx16, txi64, tmis, tfx, tfy, tbase};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        oclnn_tensor_destroy(all[i]);
    oclnn_context_destroy(ctx);
}

/* One small run for the failure sweeps: a per-pixel argmax with whole vectors and a tail. */
static oclnn_status fault_scenario(oclnn_context *ctx, int *verified) {
    enum { N = 2 * 5 * 27, NO = 2 * 27 };
    int64_t dims[4] = {2, 5, 3, 9}, odims[3] = {2, 3, 9};
    float x[N];
    int64_t y[NO], yr[NO];
    for (int i = 0; i < N; i++)
        x[i] = (float)((i * 7) % 11);
    oclnn_argmax *op = NULL;
    oclnn_tensor *tx = NULL, *ty = NULL;
    oclnn_event *ev = NULL;
    oclnn_argmax_params p;
    oclnn_argmax_params_init(&p);
    p.axis = 1;
    p.keepdims = 0;
    oclnn_status st;
    if ((st = oclnn_argmax_create(ctx, &p, &op)) || (st = oclnn_argmax_reshape(op, 4, dims, NULL, NULL)) ||
        (st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dims, &tx)) ||
        (st = oclnn_tensor_create(ctx, OCLNN_DTYPE_I64, 3, odims, &ty)) ||
        (st = oclnn_tensor_write(tx, 0, sizeof x, x)) || (st = oclnn_argmax_setup(op, tx, ty)) ||
        (st = oclnn_argmax_enqueue(op, 0, &ev)) || (st = oclnn_event_wait(ev)) ||
        (st = oclnn_tensor_read(ty, 0, sizeof y, y)))
        goto done;
    argmax_ref(x, yr, 2, 5, 27, 0);
    if (memcmp(y, yr, sizeof y)) fail_msg("fault scenario: wrong indices");
    *verified = 1;
done:
    oclnn_event_destroy(ev);
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_argmax_destroy(op);
    return st;
}

/* Each host allocation and each OpenCL allocation and enqueue fails in turn: clean statuses, no leaks. */
static void test_fault_sweeps(void **state) {
    (void)state;
    test_op_fault_sweeps("argmax", fault_scenario, cache_dir);
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    cache_dir = test_tmpdir("argmax-cache"); /* shared by the tests: each variant is compiled once */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_table),           cmocka_unit_test(test_special_values),
        cmocka_unit_test(test_prebuild_and_reshape), cmocka_unit_test(test_negative_table),
        cmocka_unit_test(test_fault_sweeps),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    return r || clw_live_objects() != 0;
}
