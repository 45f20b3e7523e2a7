/* test_gemm.c - Gemm and MatMul against the naive double reference (tests/ref/gemm_ref.c): case tables of odd
 * sizes, transposes, every C broadcast, constant and bound B, GEMV shapes, numpy batch broadcasting and 1-D
 * operands, on both backends (our kernel and CLBlast); then a negative table of exact statuses.
 *
 * Accuracy contract, checked on every element: |y - y_ref| <= TOL * M + ABS_TOL, with M = sum|alpha*a*b| + |beta*c|
 * scaled by the activation's largest slope; TOL = 1e-5 and ABS_TOL = 1e-6 as in test_conv2d.c (fp32 accumulation
 * in any order, K up to a few thousand, stays far below it).
 */
#include "common.h"

#include <math.h>

#include "device/clw.h"
#include "ref/gemm_ref.h"

#define TOL 1e-5
#define ABS_TOL 1e-6
#define SENTINEL 777.25f

static double worst_ratio;

static void fill(float *v, size_t n, uint64_t *seed) {
    for (size_t i = 0; i < n; i++) v[i] = test_rand_float(seed, -1.0f, 1.0f);
}

/* Checks y against the reference; y has `pad` sentinel floats after the result (must stay untouched). */
static void check(const char *name, const float *y, const double *yr, const double *mag, size_t n, size_t pad) {
    for (size_t i = 0; i < n; i++) {
        double err = fabs((double)y[i] - yr[i]), bound = TOL * mag[i] + ABS_TOL;
        if (!(err <= bound))
            fail_msg("%s: element %zu: got %.9g want %.9g, err %.3g > bound %.3g (seed 0x%llx)", name, i, (double)y[i],
                     yr[i], err, bound, (unsigned long long)TEST_SEED);
        if (err / bound > worst_ratio) worst_ratio = err / bound;
    }
    for (size_t i = n; i < n + pad; i++)
        if (y[i] != SENTINEL) fail_msg("%s: wrote past the output (element %zu)", name, i);
}

/* ---------------------------------------------------------------------------------------------------------- */

enum { C_NONE, C_SCALAR, C_N, C_1N, C_M1, C_MN, C_IN_N, C_IN_MN };

typedef struct gemm_case {
    const char *name;
    int m, n, k, ta, tb;
    float alpha, beta;
    int b_const, c_kind, act;
    oclnn_gemm_backend backend;
    int small;
} gemm_case;

#define OURS OCLNN_GEMM_BACKEND_OCLNN
#define CLB OCLNN_GEMM_BACKEND_CLBLAST

/* name, M, N, K, transA, transB, alpha, beta, constant B, C, activation, backend, small */
static const gemm_case gcases[] = {
    {"odd 27x37x23 bias relu", 27, 37, 23, 0, 0, 1, 1, 1, C_N, 1, OURS, 1},
    {"transA transB bound B, C input [M,N]", 19, 23, 31, 1, 1, 0.5f, 2.0f, 0, C_IN_MN, 0, OURS, 1},
    {"bound B, no C, edges", 13, 5, 9, 0, 0, 1, 0, 0, C_NONE, 0, OURS, 0},
    {"bound B transposed, C input [N]", 7, 33, 17, 0, 1, 1, 1, 0, C_IN_N, 0, OURS, 0},
    {"FC transB const, batch 3", 3, 50, 77, 0, 1, 1, 1, 1, C_N, 0, OURS, 1},
    {"GEMV M=1 K=1000 N=257 relu", 1, 257, 1000, 0, 1, 1, 1, 1, C_N, 1, OURS, 0},
    {"GEMV M=2", 2, 40, 64, 0, 0, 1, 1, 1, C_1N, 0, OURS, 0},
    {"scalar C, alpha 2 beta -1", 11, 21, 13, 0, 0, 2.0f, -1.0f, 1, C_SCALAR, 0, OURS, 0},
    {"C [M,1] leaky", 11, 21, 13, 1, 0, 1, 0.5f, 1, C_M1, 2, OURS, 0},
    {"C [M,N] const sigmoid", 9, 18, 6, 0, 0, 1, 1, 1, C_MN, 4, OURS, 0},
    {"K=1", 7, 9, 1, 0, 0, 1, 1, 1, C_N, 0, OURS, 0},
    {"N=1", 7, 1, 9, 0, 0, 1, 1, 0, C_N, 0, OURS, 0},
    {"M=N=K=1", 1, 1, 1, 0, 0, 1, 1, 1, C_SCALAR, 0, OURS, 1},
    {"VGG fc8 M=1 K=4096 N=1000", 1, 1000, 4096, 0, 1, 1, 1, 1, C_N, 0, OURS, 0},
    {"fc batch 8 K=2048 N=512 relu", 8, 512, 2048, 0, 1, 1, 1, 1, C_N, 1, OURS, 0},
    {"square 129", 129, 129, 129, 0, 0, 1, 0, 1, C_NONE, 0, OURS, 0},
    {"CLBlast transA, bias, leaky", 19, 23, 31, 1, 0, 1.5f, 1, 0, C_N, 2, CLB, 0},
    {"CLBlast transB const, C [M,N]", 17, 29, 40, 0, 1, 1, 0.5f, 1, C_MN, 0, CLB, 0},
    {"CLBlast GEMV no epilogue", 1, 100, 300, 0, 1, 1, 0, 1, C_NONE, 0, CLB, 0},
};

static void run_gemm_case(oclnn_context *ctx, const gemm_case *gc) {
    uint64_t seed = TEST_SEED ^ (uint64_t)(gc - gcases) * 0x9E3779B97F4A7C15ull;
    int M = gc->m, N = gc->n, K = gc->k;
    int64_t ad[2] = {gc->ta ? K : M, gc->ta ? M : K}, bd[2] = {gc->tb ? N : K, gc->tb ? K : N}, yd[2];
    size_t na = (size_t)M * K, nb = (size_t)K * N, ny = (size_t)M * N;
    float *a = malloc(na * 4), *b = malloc(nb * 4), *c = malloc(ny * 4), *y = malloc((ny + 8) * 4);
    double *yr = malloc(ny * 8), *mag = malloc(ny * 8);
    fill(a, na, &seed);
    fill(b, nb, &seed);
    fill(c, ny, &seed);
    /* C's stored dims and its broadcast strides over [M][N]. */
    size_t c_ndim = 0;
    int64_t cd[2] = {1, 1};
    long csm = 0, csn = 0;
    switch (gc->c_kind) {
    case C_SCALAR: break;
    case C_N: case C_IN_N: c_ndim = 1, cd[0] = N, csn = 1; break;
    case C_1N: c_ndim = 2, cd[1] = N, csn = 1; break;
    case C_M1: c_ndim = 2, cd[0] = M, csm = 1; break;
    case C_MN: case C_IN_MN: c_ndim = 2, cd[0] = M, cd[1] = N, csm = N, csn = 1; break;
    }
    gemm_ref(M, N, K, gc->alpha, a, gc->ta ? 1 : K, gc->ta ? M : 1, b, gc->tb ? 1 : N, gc->tb ? K : 1, gc->beta,
             gc->c_kind == C_NONE ? NULL : c, csm, csn, gc->act, 0.1f, 0, yr, mag);

    oclnn_gemm_params p;
    oclnn_gemm_params_init(&p);
    p.trans_a = gc->ta;
    p.trans_b = gc->tb;
    p.alpha = gc->alpha;
    p.beta = gc->beta;
    p.activation = (oclnn_activation)gc->act;
    p.activation_alpha = 0.1f;
    p.c_input = gc->c_kind >= C_IN_N;
    p.backend = gc->backend;
    int c_const = gc->c_kind != C_NONE && !p.c_input;
    oclnn_gemm *op;
    assert_ok(ctx, oclnn_gemm_create(ctx, &p, gc->b_const ? b : NULL, bd, c_const ? c : NULL, c_const ? c_ndim : 0, cd,
                                     &op));
    assert_int_equal(oclnn_gemm_get_backend(op), gc->backend);
    assert_ok(ctx, oclnn_gemm_reshape(op, ad, bd, yd));
    assert_int_equal(yd[0], M);
    assert_int_equal(yd[1], N);
    oclnn_tensor *ta, *tb = NULL, *tc = NULL, *ty, *tyb;
    int64_t ybig = (int64_t)ny + 8;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, ad, &ta));
    assert_ok(ctx, oclnn_tensor_write(ta, 0, na * 4, a));
    if (!gc->b_const) {
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, bd, &tb));
        assert_ok(ctx, oclnn_tensor_write(tb, 0, nb * 4, b));
    }
    if (p.c_input) {
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, c_ndim, c_ndim == 1 ? cd : cd, &tc));
        assert_ok(ctx, oclnn_tensor_write(tc, 0, (size_t)(cd[0] * (c_ndim == 2 ? cd[1] : 1)) * 4, c));
    }
    /* Y is a view 4 floats into a larger buffer, with sentinels around it. */
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 1, &ybig, &tyb));
    for (size_t i = 0; i < ny + 8; i++) y[i] = SENTINEL;
    assert_ok(ctx, oclnn_tensor_write(tyb, 0, (ny + 8) * 4, y));
    assert_ok(ctx, oclnn_tensor_view(tyb, 16, OCLNN_DTYPE_F32, 2, yd, &ty));
    assert_ok(ctx, oclnn_gemm_setup(op, ta, tb, tc, ty));
    assert_ok(ctx, oclnn_gemm_enqueue(op, 0, NULL));
    assert_ok(ctx, oclnn_tensor_read(tyb, 0, (ny + 8) * 4, y));
    for (int i = 0; i < 4; i++)
        if (y[i] != SENTINEL) fail_msg("%s: wrote before the output", gc->name);
    check(gc->name, y + 4, yr, mag, ny, 4);
    oclnn_tensor_destroy(ta);
    oclnn_tensor_destroy(tb);
    oclnn_tensor_destroy(tc);
    oclnn_tensor_destroy(ty);
    oclnn_tensor_destroy(tyb);
    oclnn_gemm_destroy(op);
    free(a);
    free(b);
    free(c);
    free(y);
    free(yr);
    free(mag);
}

static void test_gemm_case_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    int slow = test_device_is_slow(ctx), ran = 0;
    worst_ratio = 0;
    for (size_t i = 0; i < sizeof gcases / sizeof gcases[0]; i++) {
        if (slow && !gcases[i].small) continue;
        run_gemm_case(ctx, &gcases[i]);
        ran++;
    }
    printf("# gemm: %d cases, worst |err|/bound %.3g (tol %.0e)\n", ran, worst_ratio, TOL);
    oclnn_context_destroy(ctx);
}

/* ---------------------------------------------------------------------------------------------------------- */

typedef struct matmul_case {
    const char *name;
    int an;
    int64_t ad[5];
    int bn;
    int64_t bdims[5];
    int b_const;
    oclnn_gemm_backend backend;
    int yn;
    int64_t yd[5]; /* the expected output shape */
    int small;
} matmul_case;

static const matmul_case mcases[] = {
    {"2-D", 2, {27, 23}, 2, {23, 37}, 0, OURS, 2, {27, 37}, 1},
    {"1-D A", 1, {23}, 2, {23, 37}, 0, OURS, 1, {37}, 0},
    {"1-D B", 2, {27, 23}, 1, {23}, 0, OURS, 1, {27}, 0},
    {"1-D x 1-D", 1, {23}, 1, {23}, 0, OURS, 1, {1}, 0},
    {"batched", 3, {3, 13, 17}, 3, {3, 17, 19}, 0, OURS, 3, {3, 13, 19}, 1},
    {"broadcast batch", 5, {2, 1, 5, 7, 9}, 4, {3, 1, 9, 11}, 0, OURS, 5, {2, 3, 5, 7, 11}, 0},
    {"1-D A with batched B", 1, {9}, 3, {4, 9, 6}, 0, OURS, 2, {4, 6}, 0},
    {"const B shared by batch", 3, {4, 7, 9}, 2, {9, 11}, 1, OURS, 3, {4, 7, 11}, 1},
    {"const B batched, broadcast A", 4, {2, 1, 7, 9}, 3, {3, 9, 5}, 1, OURS, 4, {2, 3, 7, 5}, 0},
    {"const 1-D B", 3, {2, 5, 8}, 1, {8}, 1, OURS, 2, {2, 5}, 0},
    {"CLBlast broadcast batch", 3, {3, 13, 17}, 2, {17, 19}, 0, CLB, 3, {3, 13, 19}, 0},
    {"CLBlast const B batched", 3, {2, 6, 10}, 3, {2, 10, 7}, 1, CLB, 3, {2, 6, 7}, 0},
};

static int64_t prod(int n, const int64_t *d) {
    int64_t p = 1;
    for (int i = 0; i < n; i++) p *= d[i];
    return p;
}

static void run_matmul_case(oclnn_context *ctx, const matmul_case *mc) {
    uint64_t seed = TEST_SEED ^ (uint64_t)(mc - mcases + 100) * 0x9E3779B97F4A7C15ull;
    size_t na = (size_t)prod(mc->an, mc->ad), nb = (size_t)prod(mc->bn, mc->bdims), ny = (size_t)prod(mc->yn, mc->yd);
    float *a = malloc(na * 4), *b = malloc(nb * 4), *y = malloc(ny * 4);
    double *yr = malloc(ny * 8), *mag = malloc(ny * 8);
    fill(a, na, &seed);
    fill(b, nb, &seed);
    /* The reference walks the output's batch index and maps it to each operand numpy's way. */
    int M = mc->an == 1 ? 1 : (int)mc->ad[mc->an - 2], K = (int)mc->ad[mc->an - 1];
    int N = mc->bn == 1 ? 1 : (int)mc->bdims[mc->bn - 1];
    int nba = mc->an > 2 ? mc->an - 2 : 0, nbb = mc->bn > 2 ? mc->bn - 2 : 0, nbo = nba > nbb ? nba : nbb;
    int64_t ob[3] = {1, 1, 1}, ab[3] = {1, 1, 1}, bb[3] = {1, 1, 1}; /* right-aligned in 3 */
    for (int i = 0; i < nba; i++) ab[3 - nba + i] = mc->ad[i];
    for (int i = 0; i < nbb; i++) bb[3 - nbb + i] = mc->bdims[i];
    for (int i = 0; i < 3; i++) ob[i] = ab[i] > bb[i] ? ab[i] : bb[i];
    (void)nbo;
    for (int64_t i0 = 0; i0 < ob[0]; i0++)
        for (int64_t i1 = 0; i1 < ob[1]; i1++)
            for (int64_t i2 = 0; i2 < ob[2]; i2++) {
                int64_t ia = ((ab[0] > 1 ? i0 : 0) * ab[1] + (ab[1] > 1 ? i1 : 0)) * ab[2] + (ab[2] > 1 ? i2 : 0);
                int64_t ib = ((bb[0] > 1 ? i0 : 0) * bb[1] + (bb[1] > 1 ? i1 : 0)) * bb[2] + (bb[2] > 1 ? i2 : 0);
                int64_t io = (i0 * ob[1] + i1) * ob[2] + i2;
                gemm_ref(M, N, K, 1.0f, a + ia * M * K, K, 1, b + ib * K * N, N, 1, 0, NULL, 0, 0, 0, 0, 0,
                         yr + io * M * N, mag + io * M * N);
            }
    oclnn_matmul *op;
    assert_ok(ctx, oclnn_matmul_create(ctx, mc->backend, mc->b_const ? b : NULL, mc->bn, mc->bdims, &op));
    size_t yn;
    int64_t yd[5];
    assert_ok(ctx, oclnn_matmul_reshape(op, mc->an, mc->ad, mc->bn, mc->bdims, &yn, yd));
    if ((int)yn != mc->yn || memcmp(yd, mc->yd, yn * sizeof *yd)) fail_msg("%s: wrong output shape", mc->name);
    oclnn_tensor *ta, *tb = NULL, *ty;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, mc->an, mc->ad, &ta));
    assert_ok(ctx, oclnn_tensor_write(ta, 0, na * 4, a));
    if (!mc->b_const) {
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, mc->bn, mc->bdims, &tb));
        assert_ok(ctx, oclnn_tensor_write(tb, 0, nb * 4, b));
    }
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, yn, yd, &ty));
    assert_ok(ctx, oclnn_matmul_setup(op, ta, tb, ty));
    oclnn_event *ev;
    assert_ok(ctx, oclnn_matmul_enqueue(op, 0, &ev));
    assert_ok(ctx, oclnn_event_wait(ev));
    oclnn_event_destroy(ev);
    assert_ok(ctx, oclnn_tensor_read(ty, 0, ny * 4, y));
    check(mc->name, y, yr, mag, ny, 0);
    oclnn_tensor_destroy(ta);
    oclnn_tensor_destroy(tb);
    oclnn_tensor_destroy(ty);
    oclnn_matmul_destroy(op);
    free(a);
    free(b);
    free(y);
    free(yr);
    free(mag);
}

static void test_matmul_case_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    int slow = test_device_is_slow(ctx), ran = 0;
    worst_ratio = 0;
    for (size_t i = 0; i < sizeof mcases / sizeof mcases[0]; i++) {
        if (slow && !mcases[i].small) continue;
        run_matmul_case(ctx, &mcases[i]);
        ran++;
    }
    printf("# matmul: %d cases, worst |err|/bound %.3g (tol %.0e)\n", ran, worst_ratio, TOL);
    oclnn_context_destroy(ctx);
}

/* The bound catches a real error: dropping C, or one K term, is far outside it. */
static void test_bound_is_tight_enough(void **state) {
    (void)state;
    double y[1], mag[1];
    float a[2] = {0.5f, 0.25f}, b[2] = {0.75f, -0.5f}, c = 0.125f;
    gemm_ref(1, 1, 2, 1, a, 2, 1, b, 1, 1, 1, &c, 0, 0, 0, 0, 0, y, mag);
    assert_true(fabs(y[0] - (0.375 - 0.125 + 0.125)) < 1e-12);
    assert_false(fabs((0.375 - 0.125) - y[0]) <= TOL * mag[0] + ABS_TOL); /* C dropped */
    assert_false(fabs((0.375 + 0.125) - y[0]) <= TOL * mag[0] + ABS_TOL); /* a K term dropped */
}

/* ---------------------------------------------------------------------------------------------------------- */

static void test_negative_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    float w[64] = {0};
    int64_t bd[2] = {4, 8}, cd[2] = {3, 8}, c3[3] = {1, 1, 8};
    static const struct {
        const char *name, *msg;
        int field;
        oclnn_status want;
    } bad[] = {
        {"transA 2", "must be 0 or 1", 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"activation 99", "activation", 1, OCLNN_STATUS_INVALID_ARGUMENT},
        {"clip min > max", "Clip", 2, OCLNN_STATUS_INVALID_ARGUMENT},
        {"C given twice", "twice", 3, OCLNN_STATUS_INVALID_ARGUMENT},
        {"C with 3 dims", "0 to 2", 4, OCLNN_STATUS_INVALID_ARGUMENT},
        {"backend 7", "backend", 5, OCLNN_STATUS_INVALID_ARGUMENT},
        {"B dim 0", "constant B", 6, OCLNN_STATUS_INVALID_ARGUMENT},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        oclnn_gemm_params p;
        oclnn_gemm_params_init(&p);
        int64_t bdi[2] = {4, 8};
        const int64_t *cdi = cd;
        size_t cn = 2;
        switch (bad[i].field) {
        case 0: p.trans_a = 2; break;
        case 1: p.activation = (oclnn_activation)99; break;
        case 2: p.activation = OCLNN_ACTIVATION_CLIP, p.activation_alpha = 1, p.activation_beta = -1; break;
        case 3: p.c_input = 1; break;
        case 4: cn = 3, cdi = c3; break;
        case 5: p.backend = (oclnn_gemm_backend)7; break;
        case 6: bdi[1] = 0; break;
        }
        oclnn_gemm *op = (oclnn_gemm *)ctx;
        oclnn_status st = oclnn_gemm_create(ctx, &p, w, bdi, w, cn, cdi, &op);
        if (st != bad[i].want)
            fail_msg("%s: got %s (%s), want %s", bad[i].name, oclnn_status_name(st), oclnn_last_error(ctx),
                     oclnn_status_name(bad[i].want));
        assert_null(op);
        if (!strstr(oclnn_last_error(ctx), bad[i].msg))
            fail_msg("%s: message '%s' lacks '%s'", bad[i].name, oclnn_last_error(ctx), bad[i].msg);
    }
    /* Shapes and lifecycle. */
    oclnn_gemm_params p;
    oclnn_gemm_params_init(&p);
    oclnn_gemm *op;
    assert_ok(ctx, oclnn_gemm_create(ctx, &p, w, bd, w, 2, cd, &op));
    int64_t ad[2] = {3, 4}, adk[2] = {3, 5}, ad5[2] = {5, 4}, yd[2];
    oclnn_tensor *ta, *ty, *tbad;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, ad, &ta));
    int64_t ydims[2] = {3, 8};
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, ydims, &ty));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, ad5, &tbad));
    assert_int_equal(oclnn_gemm_setup(op, ta, NULL, NULL, ty), OCLNN_STATUS_INVALID_STATE);
    assert_int_equal(oclnn_gemm_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE);
    assert_int_equal(oclnn_gemm_reshape(op, adk, NULL, yd), OCLNN_STATUS_INVALID_SHAPE);
    assert_non_null(strstr(oclnn_last_error(ctx), "inner dimensions"));
    assert_int_equal(oclnn_gemm_reshape(op, ad5, NULL, yd), OCLNN_STATUS_INVALID_SHAPE); /* C [3,8] vs M = 5 */
    assert_non_null(strstr(oclnn_last_error(ctx), "broadcast"));
    assert_ok(ctx, oclnn_gemm_reshape(op, ad, NULL, yd));
    assert_int_equal(oclnn_gemm_setup(op, tbad, NULL, NULL, ty), OCLNN_STATUS_INVALID_SHAPE);
    assert_int_equal(oclnn_gemm_setup(op, ta, ta, NULL, ty), OCLNN_STATUS_INVALID_ARGUMENT); /* B is constant */
    assert_int_equal(oclnn_gemm_setup(op, ta, NULL, ta, ty), OCLNN_STATUS_INVALID_ARGUMENT); /* C unasked */
    assert_int_equal(oclnn_gemm_setup(op, ta, NULL, NULL, NULL), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_ok(ctx, oclnn_gemm_setup(op, ta, NULL, NULL, ty));
    assert_int_equal(oclnn_gemm_enqueue(op, 9, NULL), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_ok(ctx, oclnn_gemm_enqueue(op, 0, NULL));
    oclnn_gemm_destroy(op);
    /* Y overlapping an input. */
    int64_t sq[2] = {4, 4};
    oclnn_tensor *tsq;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, sq, &tsq));
    assert_ok(ctx, oclnn_gemm_create(ctx, &p, NULL, NULL, NULL, 0, NULL, &op));
    assert_ok(ctx, oclnn_gemm_reshape(op, sq, sq, yd));
    assert_int_equal(oclnn_gemm_setup(op, tsq, tbad, NULL, tsq), OCLNN_STATUS_INVALID_SHAPE); /* B not 4x4 */
    assert_int_equal(oclnn_gemm_setup(op, tsq, tsq, NULL, tsq), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_non_null(strstr(oclnn_last_error(ctx), "overlaps"));
    oclnn_gemm_destroy(op);
    /* OCLNN_GEMM names a backend or fails clearly. */
    setenv("OCLNN_GEMM", "fastest", 1);
    assert_int_equal(oclnn_gemm_create(ctx, &p, w, bd, NULL, 0, NULL, &op), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_non_null(strstr(oclnn_last_error(ctx), "OCLNN_GEMM"));
    setenv("OCLNN_GEMM", "oclnn", 1);
    assert_ok(ctx, oclnn_gemm_create(ctx, &p, w, bd, NULL, 0, NULL, &op));
    assert_int_equal(oclnn_gemm_get_backend(op), OCLNN_GEMM_BACKEND_OCLNN);
    oclnn_gemm_destroy(op);
    unsetenv("OCLNN_GEMM");
    /* MatMul. */
    oclnn_matmul *mm = (oclnn_matmul *)ctx;
    int64_t b6[6] = {1, 1, 1, 1, 4, 4};
    assert_int_equal(oclnn_matmul_create(ctx, OCLNN_GEMM_BACKEND_AUTO, w, 6, b6, &mm), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_null(mm);
    assert_ok(ctx, oclnn_matmul_create(ctx, OCLNN_GEMM_BACKEND_AUTO, NULL, 0, NULL, &mm));
    size_t yn;
    int64_t ymd[5], a3[3] = {3, 2, 4}, b3[3] = {2, 4, 5}, b2[2] = {5, 5};
    assert_int_equal(oclnn_matmul_reshape(mm, 3, a3, 3, b3, &yn, ymd), OCLNN_STATUS_INVALID_SHAPE);
    assert_non_null(strstr(oclnn_last_error(ctx), "broadcast"));
    assert_int_equal(oclnn_matmul_reshape(mm, 3, a3, 2, b2, &yn, ymd), OCLNN_STATUS_INVALID_SHAPE);
    assert_non_null(strstr(oclnn_last_error(ctx), "inner dimensions"));
    assert_int_equal(oclnn_matmul_reshape(mm, 0, a3, 2, b2, &yn, ymd), OCLNN_STATUS_INVALID_SHAPE);
    assert_int_equal(oclnn_matmul_setup(mm, ta, ta, ty), OCLNN_STATUS_INVALID_STATE);
    assert_int_equal(oclnn_matmul_enqueue(mm, 0, NULL), OCLNN_STATUS_INVALID_STATE);
    oclnn_matmul_destroy(mm);
    oclnn_tensor_destroy(tsq);
    oclnn_tensor_destroy(ta);
    oclnn_tensor_destroy(ty);
    oclnn_tensor_destroy(tbad);
    oclnn_context_destroy(ctx);
}

/* A reshape to another M (GEMV and the blocked kernel) reuses the programs built at create. */
static void test_reshape_never_recompiles(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    enum { K = 37, N = 29 };
    float b[K * N], c[N];
    uint64_t seed = TEST_SEED;
    fill(b, K * N, &seed);
    fill(c, N, &seed);
    oclnn_gemm_params p;
    oclnn_gemm_params_init(&p);
    p.backend = OURS;
    oclnn_gemm *op;
    int64_t bd[2] = {K, N}, cd[1] = {N};
    assert_ok(ctx, oclnn_gemm_create(ctx, &p, b, bd, c, 1, cd, &op));
    oclnn_cache_stats s0, s1;
    oclnn_context_cache_stats(ctx, &s0);
    static const int ms[] = {1, 7, 2, 13};
    for (int i = 0; i < 4; i++) {
        int M = ms[i];
        int64_t ad[2] = {M, K}, yd[2];
        assert_ok(ctx, oclnn_gemm_reshape(op, ad, NULL, yd));
        oclnn_tensor *ta, *ty;
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, ad, &ta));
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, yd, &ty));
        float *a = malloc((size_t)M * K * 4), *y = malloc((size_t)M * N * 4);
        double *yr = malloc((size_t)M * N * 8), *mag = malloc((size_t)M * N * 8);
        fill(a, (size_t)M * K, &seed);
        assert_ok(ctx, oclnn_tensor_write(ta, 0, (size_t)M * K * 4, a));
        assert_ok(ctx, oclnn_gemm_setup(op, ta, NULL, NULL, ty));
        assert_ok(ctx, oclnn_gemm_enqueue(op, 0, NULL));
        assert_ok(ctx, oclnn_tensor_read(ty, 0, (size_t)M * N * 4, y));
        gemm_ref(M, N, K, 1, a, K, 1, b, N, 1, 1, c, 0, 1, 0, 0, 0, yr, mag);
        check("reshape", y, yr, mag, (size_t)M * N, 0);
        free(a);
        free(y);
        free(yr);
        free(mag);
        oclnn_tensor_destroy(ta);
        oclnn_tensor_destroy(ty);
    }
    oclnn_context_cache_stats(ctx, &s1);
    assert_int_equal(s1.source_builds, s0.source_builds);
    assert_int_equal(s1.disk_hits, s0.disk_hits);
    oclnn_gemm_destroy(op);
    oclnn_context_destroy(ctx);
}

/* The configurations prebuild_all warms are exactly the ones the operators ask for. */
static void test_prebuild_covers_operators(void **state) {
    (void)state;
    const char *dir = test_tmpdir("prebuild");
    oclnn_context *warm = test_context(dir);
    assert_ok(warm, oclnn_context_prebuild_all(warm, NULL));
    oclnn_context_destroy(warm);
    oclnn_context *ctx = test_context(dir);
    float w[16 * 9 * 8] = {0}, bias[16] = {0};
    int64_t bd[2] = {16, 8}, cd[1] = {16};
    for (int i = 0; i < 4; i++) {
        /* FC layers (constant transposed weights, bias, with and without ReLU) and a Gemm with a bound B. */
        oclnn_gemm_params p;
        oclnn_gemm_params_init(&p);
        p.backend = OURS;
        p.trans_b = i < 2;
        p.activation = i == 1 ? OCLNN_ACTIVATION_RELU : OCLNN_ACTIVATION_NONE;
        oclnn_gemm *op;
        assert_ok(ctx, oclnn_gemm_create(ctx, &p, i < 3 ? w : NULL, bd, i < 3 ? bias : NULL, i < 3 ? 1 : 0, cd, &op));
        oclnn_gemm_destroy(op);
    }
    oclnn_matmul *mm;
    assert_ok(ctx, oclnn_matmul_create(ctx, OURS, NULL, 0, NULL, &mm));
    oclnn_matmul_destroy(mm);
    static const struct {
        int kh, act, residual;
    } cv[] = {{1, 0, 0}, {1, 1, 0}, {3, 1, 0}, {3, 1, 1}};
    for (size_t i = 0; i < sizeof cv / sizeof cv[0]; i++) {
        oclnn_conv2d_params p;
        oclnn_conv2d_params_init(&p);
        p.in_channels = 8;
        p.out_channels = 16;
        p.kernel_h = p.kernel_w = cv[i].kh;
        p.activation = (oclnn_activation)cv[i].act;
        p.residual = (oclnn_residual)cv[i].residual;
        p.algo = OCLNN_CONV_ALGO_GEMM;
        oclnn_conv2d *op;
        assert_ok(ctx, oclnn_conv2d_create(ctx, &p, w, (size_t)16 * 8 * cv[i].kh * cv[i].kh, bias, 16, &op));
        oclnn_conv2d_destroy(op);
    }
    oclnn_cache_stats st;
    oclnn_context_cache_stats(ctx, &st);
    if (st.source_builds) fail_msg("%llu configurations are not among the registry's variants",
                                   (unsigned long long)st.source_builds);
    oclnn_context_destroy(ctx);
}

/* AUTO picks gemm only for the class where it measured faster (1x1, stride 1, unpadded, one group), and only on
 * GPUs: on CPU devices the direct kernel measured faster for every 1x1 layer tried (lib/ops/conv2d.c). */
static void test_conv_auto_choice(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    oclnn_device_info di;
    assert_ok(ctx, oclnn_context_device_info(ctx, &di));
    const oclnn_conv_algo one_by_one = di.type == OCLNN_DEVICE_TYPE_GPU ? OCLNN_CONV_ALGO_GEMM : OCLNN_CONV_ALGO_DIRECT;
    float w[8 * 8 * 9] = {0};
    static const struct {
        int kh, stride, pad, groups;
        oclnn_conv_algo want;
    } cfg[] = {{1, 1, 0, 1, OCLNN_CONV_ALGO_AUTO /* one_by_one */}, {1, 2, 0, 1, OCLNN_CONV_ALGO_DIRECT},
               {1, 1, 1, 1, OCLNN_CONV_ALGO_DIRECT}, {1, 1, 0, 2, OCLNN_CONV_ALGO_DIRECT},
               {3, 1, 1, 1, OCLNN_CONV_ALGO_DIRECT}};
    for (size_t i = 0; i < sizeof cfg / sizeof cfg[0]; i++) {
        oclnn_conv2d_params p;
        oclnn_conv2d_params_init(&p);
        p.in_channels = p.out_channels = 8;
        p.kernel_h = p.kernel_w = cfg[i].kh;
        p.stride_h = p.stride_w = cfg[i].stride;
        p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = cfg[i].pad;
        p.groups = cfg[i].groups;
        oclnn_conv2d *op;
        assert_ok(ctx, oclnn_conv2d_create(ctx, &p, w, (size_t)8 * (8 / cfg[i].groups) * cfg[i].kh * cfg[i].kh, NULL,
                                           0, &op));
        oclnn_conv_algo want = cfg[i].want == OCLNN_CONV_ALGO_AUTO ? one_by_one : cfg[i].want;
        if (oclnn_conv2d_algo(op) != want)
            fail_msg("config %zu: AUTO chose %s, want %s", i, oclnn_conv_algo_name(oclnn_conv2d_algo(op)),
                     oclnn_conv_algo_name(want));
        oclnn_conv2d_destroy(op);
    }
    oclnn_context_destroy(ctx);
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gemm_case_table),        cmocka_unit_test(test_matmul_case_table),
        cmocka_unit_test(test_bound_is_tight_enough),  cmocka_unit_test(test_negative_table),
        cmocka_unit_test(test_reshape_never_recompiles), cmocka_unit_test(test_prebuild_covers_operators),
        cmocka_unit_test(test_conv_auto_choice),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    return r || clw_live_objects() != 0;
}
