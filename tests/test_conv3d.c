/* test_conv3d.c - the rank-based convolution (include/oclnn_conv.h) against the naive double reference
 * (tests/ref/conv3d_ref.c): 3-D cases of odd sizes and every attribute on the direct 3-D kernel, 1-D and 2-D cases
 * through the same API, the registry's variants, reshape without recompiles, faults, and a negative table.
 *
 * Accuracy contract, checked on every element: |y - y_ref| <= TOL * M + ABS_TOL, where M is the magnitude sum
 * sum|w*x| + |bias| + |residual| (scaled by the activation's largest slope), as in test_conv2d.c: TOL = 1e-5 (fp32
 * FMA accumulation in any order stays far below it), ABS_TOL = 1e-6 covers exp/tanh ulps on values near zero.
 */
#include "common.h"

#include <math.h>

#include "device/clw.h"
#include "program/program.h"
#include "ref/conv3d_ref.h"

#define TOL 1e-5
#define ABS_TOL 1e-6
#define SENTINEL 777.25f

typedef struct conv_case {
    const char *name;
    int rank, n, c, k, groups;
    int in[3], kernel[3], stride[3], dilation[3], pb[3], pe[3]; /* the first `rank` entries, ONNX order */
    int auto_pad, bias, act;
    float alpha, beta;
    int residual;
    int extra_c; /* output (and residual) tensors have this many more channels; the result goes in the middle */
    int small;   /* also run on the slow rusticl device */
} conv_case;

#define V3(a, b, c) {a, b, c}
#define ONE3 {1, 1, 1}
#define ZERO3 {0, 0, 0}
/* name, rank, n, c, k, groups, in, kernel, stride, dilation, pad begin, pad end, auto_pad, bias, act, alpha, beta,
 * residual, extra_c, small */
static const conv_case cases[] = {
    {"3x3x3 5x9x11 23->19 relu", 3, 1, 23, 19, 1,
     V3(5, 9, 11), V3(3, 3, 3), ONE3, ONE3, ONE3, ONE3, 0, 1, 1, 0, 0, 0, 0, 1},
    {"3x3x3 no pads no bias", 3, 1, 7, 9, 1,
     V3(5, 9, 11), V3(3, 3, 3), ONE3, ONE3, ZERO3, ZERO3, 0, 0, 0, 0, 0, 0, 0, 1},
    {"1x3x3 23->19", 3, 1, 23, 19, 1,
     V3(5, 9, 11), V3(1, 3, 3), ONE3, ONE3, V3(0, 1, 1), V3(0, 1, 1), 0, 1, 0, 0, 0, 0, 0, 1},
    {"3x1x1 temporal", 3, 1, 12, 17, 1,
     V3(7, 9, 11), V3(3, 1, 1), ONE3, ONE3, V3(1, 0, 0), V3(1, 0, 0), 0, 1, 1, 0, 0, 0, 0, 0},
    {"1x1x1 23->19", 3, 1, 23, 19, 1, V3(5, 9, 11), ONE3, ONE3, ONE3, ZERO3, ZERO3, 0, 1, 0, 0, 0, 0, 0, 0},
    {"stride 2 in depth only", 3, 1, 9, 13, 1,
     V3(9, 9, 11), V3(3, 3, 3), V3(2, 1, 1), ONE3, ONE3, ONE3, 0, 1, 0, 0, 0, 0, 0, 1},
    {"stride 2 all axes", 3, 1, 9, 13, 1,
     V3(9, 13, 15), V3(3, 3, 3), V3(2, 2, 2), ONE3, ONE3, ONE3, 0, 1, 1, 0, 0, 0, 0, 0},
    {"strides 3x1x2", 3, 1, 5, 6, 1,
     V3(10, 9, 17), V3(3, 3, 3), V3(3, 1, 2), ONE3, ZERO3, ONE3, 0, 1, 0, 0, 0, 0, 0, 0},
    {"dilation 2", 3, 1, 6, 10, 1,
     V3(7, 9, 11), V3(3, 3, 3), ONE3, V3(2, 2, 2), V3(2, 2, 2), V3(2, 2, 2), 0, 1, 0, 0, 0, 0, 0, 1},
    {"dilations 2x1x3 stride 2x1x1", 3, 1, 4, 9, 1,
     V3(9, 9, 13), V3(3, 3, 3), V3(2, 1, 1), V3(2, 1, 3), V3(1, 1, 2), V3(0, 1, 1), 0, 1, 0, 0, 0, 0, 0, 0},
    {"kernel 2x4x5", 3, 1, 5, 7, 1,
     V3(6, 9, 11), V3(2, 4, 5), ONE3, ONE3, V3(1, 2, 2), V3(0, 1, 2), 0, 1, 0, 0, 0, 0, 0, 0},
    {"asymmetric pads", 3, 1, 5, 6, 1,
     V3(5, 9, 11), V3(3, 3, 3), ONE3, ONE3, V3(0, 2, 1), V3(2, 0, 1), 0, 1, 0, 0, 0, 0, 0, 1},
    {"groups 2", 3, 1, 22, 18, 2, V3(5, 9, 11), V3(3, 3, 3), ONE3, ONE3, ONE3, ONE3, 0, 1, 0, 0, 0, 0, 0, 1},
    {"groups 4 stride 2", 3, 1, 24, 20, 4,
     V3(5, 9, 11), V3(3, 3, 3), V3(2, 2, 2), ONE3, ONE3, ONE3, 0, 1, 1, 0, 0, 0, 0, 0},
    {"depthwise", 3, 1, 19, 19, 19, V3(5, 9, 11), V3(3, 3, 3), ONE3, ONE3, ONE3, ONE3, 0, 1, 0, 0, 0, 0, 0, 1},
    {"depthwise multiplier 2", 3, 1, 8, 16, 8,
     V3(5, 9, 11), V3(3, 3, 3), ONE3, ONE3, ONE3, ONE3, 0, 0, 1, 0, 0, 0, 0, 0},
    {"batch 2", 3, 2, 23, 19, 1, V3(5, 9, 11), V3(3, 3, 3), ONE3, ONE3, ONE3, ONE3, 0, 1, 0, 0, 0, 0, 0, 0},
    {"batch 3 groups 2 stride 2x2x1", 3, 3, 6, 10, 2,
     V3(5, 7, 9), V3(3, 3, 3), V3(2, 2, 1), ONE3, ONE3, ONE3, 0, 1, 0, 0, 0, 0, 0, 0},
    {"33 out channels", 3, 1, 8, 33, 1, V3(3, 7, 13), V3(3, 3, 3), ONE3, ONE3, ONE3, ONE3, 0, 1, 0, 0, 0, 0, 0, 0},
    {"leaky relu", 3, 1, 5, 9, 1, V3(5, 9, 11), V3(3, 3, 3), ONE3, ONE3, ONE3, ONE3, 0, 1, 2, 0.1f, 0, 0, 0, 0},
    {"relu6 clip", 3, 1, 5, 9, 1, V3(5, 9, 11), V3(3, 3, 3), ONE3, ONE3, ONE3, ONE3, 0, 1, 3, 0, 6, 0, 0, 0},
    {"clip -0.5..0.5", 3, 1, 5, 9, 1, V3(5, 9, 11), V3(3, 3, 3), ONE3, ONE3, ONE3, ONE3, 0, 1, 3, -0.5f, 0.5f, 0, 0, 0},
    {"clip -inf..0.25", 3, 1, 5, 9, 1,
     V3(5, 9, 11), V3(3, 3, 3), ONE3, ONE3, ONE3, ONE3, 0, 1, 3, -INFINITY, 0.25f, 0, 0, 0},
    {"sigmoid", 3, 1, 5, 9, 1, V3(5, 9, 11), V3(3, 3, 3), ONE3, ONE3, ONE3, ONE3, 0, 1, 4, 0, 0, 0, 0, 0},
    {"tanh", 3, 1, 5, 9, 1, V3(5, 9, 11), V3(3, 3, 3), ONE3, ONE3, ONE3, ONE3, 0, 1, 5, 0, 0, 0, 0, 0},
    {"hard sigmoid", 3, 1, 5, 9, 1, V3(5, 9, 11), V3(3, 3, 3), ONE3, ONE3, ONE3, ONE3, 0, 1, 6, 0.2f, 0.5f, 0, 0, 0},
    {"hard swish", 3, 1, 5, 9, 1, V3(5, 9, 11), V3(3, 3, 3), ONE3, ONE3, ONE3, ONE3, 0, 1, 7, 0, 0, 0, 0, 1},
    {"residual then relu", 3, 1, 7, 21, 1, V3(5, 9, 11), V3(3, 3, 3), ONE3, ONE3, ONE3, ONE3, 0, 1, 1, 0, 0, 1, 0, 1},
    {"relu then residual", 3, 1, 7, 21, 1, V3(5, 9, 11), V3(3, 3, 3), ONE3, ONE3, ONE3, ONE3, 0, 1, 1, 0, 0, 2, 0, 0},
    {"channel offset", 3, 1, 9, 13, 1, V3(5, 9, 11), V3(3, 3, 3), ONE3, ONE3, ONE3, ONE3, 0, 1, 1, 0, 0, 0, 10, 1},
    {"offset + residual batch 2", 3, 2, 9, 13, 1,
     V3(5, 9, 11), V3(1, 3, 3), ONE3, ONE3, V3(0, 1, 1), V3(0, 1, 1), 0, 1, 1, 0, 0, 1, 6, 0},
    {"SAME_UPPER s2 k4x3x4", 3, 1, 5, 7, 1,
     V3(7, 9, 12), V3(4, 3, 4), V3(2, 2, 2), ONE3, ZERO3, ZERO3, 1, 1, 0, 0, 0, 0, 0, 1},
    {"SAME_LOWER s2 k4x3x4", 3, 1, 5, 7, 1,
     V3(7, 9, 12), V3(4, 3, 4), V3(2, 2, 2), ONE3, ZERO3, ZERO3, 2, 1, 0, 0, 0, 0, 0, 0},
    {"SAME_UPPER d2", 3, 1, 5, 7, 1,
     V3(5, 9, 11), V3(3, 3, 3), ONE3, V3(2, 2, 2), ZERO3, ZERO3, 1, 0, 0, 0, 0, 0, 0, 0},
    {"VALID (pads ignored)", 3, 1, 5, 7, 1,
     V3(5, 9, 11), V3(3, 3, 3), V3(1, 2, 2), ONE3, V3(9, 9, 9), V3(9, 9, 9), 3, 1, 0, 0, 0, 0, 0, 0},
    {"kernel = padded input", 3, 1, 3, 4, 1, V3(3, 5, 6), V3(5, 7, 8), ONE3, ONE3, ONE3, ONE3, 0, 1, 0, 0, 0, 0, 0, 1},
    {"width 1, height 1", 3, 1, 4, 5, 1, V3(6, 1, 1), V3(3, 1, 1), ONE3, ONE3, ONE3, ZERO3, 0, 1, 0, 0, 0, 0, 0, 1},
    {"C3D-like 32->64 @4x14x14 relu", 3, 1, 32, 64, 1,
     V3(4, 14, 14), V3(3, 3, 3), ONE3, ONE3, ONE3, ONE3, 0, 1, 1, 0, 0, 0, 0, 0},
    /* 1-D through the rank-based API (the 2-D operator with H = 1 on 3-D tensors) */
    {"1-D 23->19 k3", 1, 1, 23, 19, 1, {37}, {3}, {1}, {1}, {1}, {1}, 0, 1, 1, 0, 0, 0, 0, 1},
    {"1-D k5 s2 d2 asymmetric", 1, 2, 7, 9, 1, {41}, {5}, {2}, {2}, {3}, {1}, 0, 1, 0, 0, 0, 0, 0, 1},
    {"1-D groups 3", 1, 1, 9, 12, 3, {29}, {3}, {1}, {1}, {1}, {1}, 0, 0, 4, 0, 0, 0, 0, 0},
    {"1-D depthwise", 1, 1, 8, 8, 8, {29}, {3}, {1}, {1}, {1}, {1}, 0, 1, 0, 0, 0, 0, 0, 0},
    {"1-D SAME_LOWER s2 k4", 1, 1, 5, 7, 1, {30}, {4}, {2}, {1}, {0}, {0}, 2, 1, 0, 0, 0, 0, 0, 1},
    {"1-D residual + offset", 1, 2, 6, 10, 1, {23}, {3}, {1}, {1}, {1}, {1}, 0, 1, 1, 0, 0, 1, 4, 1},
    /* 2-D through the rank-based API */
    {"2-D 27x37 23->19 s2x1", 2, 1, 23, 19, 1,
     {27, 37}, {3, 3}, {2, 1}, {1, 1}, {1, 0}, {1, 2}, 0, 1, 1, 0, 0, 0, 0, 1},
    {"2-D groups 2 relu then residual", 2, 1, 6, 8, 2,
     {9, 11}, {3, 5}, {1, 1}, {1, 1}, {1, 2}, {1, 2}, 0, 1, 1, 0, 0, 2, 2, 0},
};

static double worst_ratio, worst_rel;

/* ONNX output size and begin pad of one axis, computed here independently of the library. */
static void ref_axis(int in, int k, int s, int d, int ap, int pb, int pe, int *out, int *pad) {
    int eff = d * (k - 1) + 1;
    if (ap == 1 || ap == 2) {
        *out = (in + s - 1) / s;
        int total = (*out - 1) * s + eff - in;
        if (total < 0) total = 0;
        *pad = ap == 1 ? total / 2 : total - total / 2;
        return;
    }
    if (ap == 3) pb = pe = 0;
    *out = (in + pb + pe - eff) / s + 1;
    *pad = pb;
}

static void fill(float *v, size_t n, uint64_t *seed) {
    for (size_t i = 0; i < n; i++) v[i] = test_rand_float(seed, -1.0f, 1.0f);
}

static oclnn_conv_params case_params(const conv_case *cc) {
    oclnn_conv_params p;
    oclnn_conv_params_init(&p);
    p.rank = (uint32_t)cc->rank;
    p.in_channels = cc->c;
    p.out_channels = cc->k;
    p.groups = cc->groups;
    for (int a = 0; a < cc->rank; a++) {
        p.kernel[a] = cc->kernel[a];
        p.stride[a] = cc->stride[a];
        p.dilation[a] = cc->dilation[a];
        p.pad_begin[a] = cc->pb[a];
        p.pad_end[a] = cc->pe[a];
    }
    p.auto_pad = (oclnn_auto_pad)cc->auto_pad;
    p.activation = (oclnn_activation)cc->act;
    p.activation_alpha = cc->alpha;
    p.activation_beta = cc->beta;
    p.residual = (oclnn_residual)cc->residual;
    return p;
}

static void run_case(oclnn_context *ctx, const conv_case *cc) {
    uint64_t seed = TEST_SEED ^ (uint64_t)(cc - cases) * 0x9E3779B97F4A7C15ull;
    /* The reference sees every case as 3-D: the axes before the case's rank have size 1 and a kernel of 1. */
    conv3d_ref_params rp = {cc->n, cc->c, cc->k, cc->groups, ONE3, ONE3, ONE3, ONE3, ZERO3, ONE3,
                            cc->act, cc->alpha, cc->beta, cc->residual};
    int lead = 3 - cc->rank;
    for (int a = 0; a < cc->rank; a++) {
        int r = lead + a;
        rp.in[r] = cc->in[a];
        rp.kernel[r] = cc->kernel[a];
        rp.stride[r] = cc->stride[a];
        rp.dilation[r] = cc->dilation[a];
        ref_axis(cc->in[a], cc->kernel[a], cc->stride[a], cc->dilation[a], cc->auto_pad, cc->pb[a], cc->pe[a],
                 &rp.out[r], &rp.pad[r]);
    }
    size_t sin = (size_t)rp.in[0] * rp.in[1] * rp.in[2], sout = (size_t)rp.out[0] * rp.out[1] * rp.out[2];
    size_t nx = (size_t)cc->n * cc->c * sin, ny = (size_t)cc->n * cc->k * sout;
    size_t nwt = (size_t)cc->k * (cc->c / cc->groups) * rp.kernel[0] * rp.kernel[1] * rp.kernel[2];
    int ctot = cc->k + cc->extra_c, coff = cc->extra_c / 2, roff = cc->extra_c - coff;
    size_t nytot = (size_t)cc->n * ctot * sout;
    float *x = malloc(nx * 4), *wt = malloc(nwt * 4), *b = malloc(cc->k * 4), *res = malloc(ny * 4);
    float *restot = malloc(nytot * 4), *y = malloc(nytot * 4);
    double *yr = malloc(ny * 8), *mag = malloc(ny * 8);
    fill(x, nx, &seed);
    fill(wt, nwt, &seed);
    fill(b, cc->k, &seed);
    fill(res, ny, &seed);
    conv3d_ref(&rp, x, wt, cc->bias ? b : NULL, res, yr, mag);

    oclnn_conv_params p = case_params(cc);
    oclnn_conv *op;
    assert_ok(ctx, oclnn_conv_create(ctx, &p, wt, nwt, cc->bias ? b : NULL, cc->bias ? (size_t)cc->k : 0, &op));
    if (cc->rank == 3) assert_int_equal(oclnn_conv_get_algo(op), OCLNN_CONV_ALGO_DIRECT);
    size_t in_sp[3], out_sp[3] = {0, 0, 0};
    for (int a = 0; a < cc->rank; a++) in_sp[a] = (size_t)cc->in[a];
    assert_ok(ctx, oclnn_conv_reshape(op, cc->n, in_sp, out_sp));
    for (int a = 0; a < cc->rank; a++)
        if ((int)out_sp[a] != rp.out[lead + a])
            fail_msg("%s: axis %d output %zu, want %d", cc->name, a, out_sp[a], rp.out[lead + a]);
    int64_t dx[5] = {cc->n, cc->c}, dy[5] = {cc->n, ctot};
    for (int a = 0; a < cc->rank; a++) dx[2 + a] = cc->in[a], dy[2 + a] = rp.out[lead + a];
    size_t nd = (size_t)cc->rank + 2;
    oclnn_tensor *tx, *ty, *tr = NULL;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, nd, dx, &tx));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, nd, dy, &ty));
    assert_ok(ctx, oclnn_tensor_write(tx, 0, nx * 4, x));
    for (size_t i = 0; i < nytot; i++) y[i] = SENTINEL;
    assert_ok(ctx, oclnn_tensor_write(ty, 0, nytot * 4, y));
    if (cc->residual) {
        /* The residual lives at its own channel offset (the other end of a wider tensor). */
        for (size_t i = 0; i < nytot; i++) restot[i] = -SENTINEL;
        for (int n = 0; n < cc->n; n++)
            memcpy(restot + ((size_t)n * ctot + roff) * sout, res + (size_t)n * cc->k * sout, (size_t)cc->k * sout * 4);
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, nd, dy, &tr));
        assert_ok(ctx, oclnn_tensor_write(tr, 0, nytot * 4, restot));
    }
    assert_ok(ctx, oclnn_conv_setup(op, tx, ty, coff, tr, cc->residual ? roff : 0));
    assert_ok(ctx, oclnn_conv_enqueue(op, 0, NULL));
    assert_ok(ctx, oclnn_tensor_read(ty, 0, nytot * 4, y));
    for (int n = 0; n < cc->n; n++)
        for (int ch = 0; ch < ctot; ch++)
            for (size_t i = 0; i < sout; i++) {
                float got = y[((size_t)n * ctot + ch) * sout + i];
                if (ch < coff || ch >= coff + cc->k) {
                    if (got != SENTINEL) fail_msg("%s: channel %d outside the slice was written", cc->name, ch);
                    continue;
                }
                size_t o = ((size_t)n * cc->k + ch - coff) * sout + i;
                double err = fabs((double)got - yr[o]), bound = TOL * mag[o] + ABS_TOL;
                if (!(err <= bound))
                    fail_msg("%s: n %d k %d element %zu: got %.9g want %.9g, err %.3g > bound %.3g (seed 0x%llx)",
                             cc->name, n, ch - coff, i, (double)got, yr[o], err, bound, (unsigned long long)TEST_SEED);
                if (err / bound > worst_ratio) worst_ratio = err / bound;
                if (mag[o] > 0 && err / mag[o] > worst_rel) worst_rel = err / mag[o];
            }
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_tensor_destroy(tr);
    oclnn_conv_destroy(op);
    free(x);
    free(wt);
    free(b);
    free(res);
    free(restot);
    free(y);
    free(yr);
    free(mag);
}

static void test_case_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    int slow = test_device_is_slow(ctx), ran[4] = {0};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (slow && !cases[i].small) continue;
        run_case(ctx, &cases[i]);
        ran[cases[i].rank]++;
    }
    printf("# %d 3-D, %d 1-D, %d 2-D cases: worst |err|/bound %.3g, worst |err|/M %.3g (tol %.0e)\n", ran[3], ran[1],
           ran[2], worst_ratio, worst_rel, TOL);
    assert_true(ran[3] >= (slow ? 10 : 35) && ran[1] >= (slow ? 3 : 6) && ran[2] >= 1);
    oclnn_context_destroy(ctx);
}

/* The accuracy check can fail: an error of twice the bound is caught, and dropping a bias is far outside it. */
static void test_bound_is_tight_enough(void **state) {
    (void)state;
    double m = 10.0, yref = 3.0;
    double wrong = yref + TOL * m * 2 + ABS_TOL;
    assert_false(fabs(wrong - yref) <= TOL * m + ABS_TOL);
    assert_true(0.01 > TOL * 100 + ABS_TOL);
}

/* Every variant the registry lists for cl/conv3d.cl compiles, and the operator asks for exactly those strings. */
static void test_registry_variants(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(test_tmpdir("conv3d_variants"));
    const char *list = oclnn_kernel_variants(OCLNN_KERNEL_CONV3D);
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", list);
    size_t built = 0;
    for (char *save = NULL, *v = strtok_r(buf, ";", &save); v; v = strtok_r(NULL, ";", &save), built++) {
        cl_program prog;
        assert_ok(ctx, oclnn_program_get(ctx, OCLNN_KERNEL_CONV3D, v, &prog));
        clw_ReleaseProgram(prog);
    }
    assert_true(built >= 5);
    oclnn_cache_stats s0, s1;
    oclnn_context_cache_stats(ctx, &s0);
    static const struct {
        int kd, kh, kw, act;
    } cfg[] = {{3, 3, 3, 1}, {3, 3, 3, 0}, {1, 1, 1, 1}, {1, 3, 3, 1}, {3, 1, 1, 1}};
    for (size_t i = 0; i < sizeof cfg / sizeof cfg[0]; i++) {
        oclnn_conv_params p;
        oclnn_conv_params_init(&p);
        p.rank = 3;
        p.in_channels = 8;
        p.out_channels = 32; /* 16 or more per group: the default tiles */
        p.kernel[0] = cfg[i].kd, p.kernel[1] = cfg[i].kh, p.kernel[2] = cfg[i].kw;
        p.activation = (oclnn_activation)cfg[i].act;
        size_t nw = (size_t)8 * 32 * cfg[i].kd * cfg[i].kh * cfg[i].kw;
        float *w = calloc(nw, 4), b[32] = {0};
        oclnn_conv *op;
        assert_ok(ctx, oclnn_conv_create(ctx, &p, w, nw, b, 32, &op));
        oclnn_conv_destroy(op);
        free(w);
    }
    oclnn_context_cache_stats(ctx, &s1);
    if (s1.source_builds != s0.source_builds)
        fail_msg("%llu configurations are not among the registry's variants",
                 (unsigned long long)(s1.source_builds - s0.source_builds));
    oclnn_context_destroy(ctx);
}

/* One program serves every input size: reshapes to other volumes build nothing, and the results stay right. */
static void test_reshape_never_recompiles(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    oclnn_conv_params p;
    oclnn_conv_params_init(&p);
    p.rank = 3;
    p.in_channels = 3;
    p.out_channels = 5;
    for (int a = 0; a < 3; a++) p.kernel[a] = 3, p.pad_begin[a] = p.pad_end[a] = 1;
    p.stride[0] = 2;
    uint64_t seed = TEST_SEED + 1;
    float w[5 * 3 * 27], b[5];
    fill(w, 5 * 3 * 27, &seed);
    fill(b, 5, &seed);
    oclnn_conv *op;
    assert_ok(ctx, oclnn_conv_create(ctx, &p, w, 5 * 3 * 27, b, 5, &op));
    oclnn_cache_stats s0, s1;
    oclnn_context_cache_stats(ctx, &s0);
    static const int sizes[][4] = {{1, 5, 9, 11}, {2, 3, 4, 17}, {1, 9, 7, 5}};
    for (size_t i = 0; i < 3; i++) {
        size_t in[3] = {(size_t)sizes[i][1], (size_t)sizes[i][2], (size_t)sizes[i][3]}, out[3];
        assert_ok(ctx, oclnn_conv_reshape(op, (size_t)sizes[i][0], in, out));
        conv3d_ref_params rp = {sizes[i][0], 3, 5, 1, {sizes[i][1], sizes[i][2], sizes[i][3]}, V3(3, 3, 3),
                                V3(2, 1, 1), ONE3, ONE3, {(int)out[0], (int)out[1], (int)out[2]}, 0, 0, 0, 0};
        assert_int_equal(out[0], (sizes[i][1] + 2 - 3) / 2 + 1);
        size_t nx = (size_t)sizes[i][0] * 3 * in[0] * in[1] * in[2];
        size_t ny = (size_t)sizes[i][0] * 5 * out[0] * out[1] * out[2];
        float *x = malloc(nx * 4), *y = malloc(ny * 4);
        double *yr = malloc(ny * 8), *mag = malloc(ny * 8);
        fill(x, nx, &seed);
        conv3d_ref(&rp, x, w, b, NULL, yr, mag);
        int64_t dx[5] = {sizes[i][0], 3, sizes[i][1], sizes[i][2], sizes[i][3]};
        int64_t dy[5] = {sizes[i][0], 5, (int64_t)out[0], (int64_t)out[1], (int64_t)out[2]};
        oclnn_tensor *tx, *ty;
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 5, dx, &tx));
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 5, dy, &ty));
        assert_ok(ctx, oclnn_tensor_write(tx, 0, nx * 4, x));
        assert_ok(ctx, oclnn_conv_setup(op, tx, ty, 0, NULL, 0));
        assert_ok(ctx, oclnn_conv_enqueue(op, 0, NULL));
        assert_ok(ctx, oclnn_tensor_read(ty, 0, ny * 4, y));
        for (size_t j = 0; j < ny; j++)
            if (!(fabs(y[j] - yr[j]) <= TOL * mag[j] + ABS_TOL))
                fail_msg("size %zu element %zu: got %.9g want %.9g", i, j, (double)y[j], yr[j]);
        free(x);
        free(y);
        free(yr);
        free(mag);
        oclnn_tensor_destroy(tx);
        oclnn_tensor_destroy(ty);
    }
    oclnn_context_cache_stats(ctx, &s1);
    assert_int_equal(s1.source_builds, s0.source_builds);
    assert_int_equal(s1.disk_hits, s0.disk_hits);
    oclnn_conv_destroy(op);
    oclnn_context_destroy(ctx);
}

static oclnn_conv_params base_params(void) {
    oclnn_conv_params p;
    oclnn_conv_params_init(&p);
    p.rank = 3;
    p.in_channels = 6;
    p.out_channels = 4;
    p.kernel[0] = p.kernel[1] = p.kernel[2] = 3;
    return p;
}

/* Impossible configurations get their exact status and a message naming the rule. */
static void test_negative_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    static float w[6 * 4 * 27 * 2], b[8];
    static const struct {
        const char *name, *msg;
        int field, value;
        oclnn_status want;
    } bad[] = {
        {"rank 0", "rank 0", 0, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"rank 4", "rank 4", 0, 4, OCLNN_STATUS_INVALID_ARGUMENT},
        {"group 4 does not divide 6 inputs", "must divide", 1, 4, OCLNN_STATUS_INVALID_ARGUMENT},
        {"group 3 does not divide 4 outputs", "must divide", 1, 3, OCLNN_STATUS_INVALID_ARGUMENT},
        {"group 0", "group", 1, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"depth stride 0", "stride", 2, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"width dilation 0", "dilation", 3, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"depth kernel 0", "kernel", 4, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"depth kernel 65", "above 64", 4, 65, OCLNN_STATUS_UNSUPPORTED},
        {"activation 99", "activation", 5, 99, OCLNN_STATUS_INVALID_ARGUMENT},
        {"clip min > max", "Clip", 6, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"winograd for 3-D", "direct only", 7, OCLNN_CONV_ALGO_WINOGRAD4X4, OCLNN_STATUS_UNSUPPORTED},
        {"gemm for 3-D", "direct only", 7, OCLNN_CONV_ALGO_GEMM, OCLNN_STATUS_UNSUPPORTED},
        {"weights too short", "weights have", 8, 6 * 4 * 27 - 1, OCLNN_STATUS_INVALID_ARGUMENT},
        {"weights of a 2-D kernel", "weights have", 8, 6 * 4 * 9, OCLNN_STATUS_INVALID_ARGUMENT},
        {"bias count", "bias has", 9, 3, OCLNN_STATUS_INVALID_ARGUMENT},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        oclnn_conv_params p = base_params();
        size_t nw = 6 * 4 * 27, nb = 4;
        switch (bad[i].field) {
        case 0: p.rank = (uint32_t)bad[i].value; break;
        case 1: p.groups = (uint32_t)bad[i].value; break;
        case 2: p.stride[0] = (uint32_t)bad[i].value; break;
        case 3: p.dilation[2] = (uint32_t)bad[i].value; break;
        case 4: p.kernel[0] = (uint32_t)bad[i].value; break;
        case 5: p.activation = (oclnn_activation)bad[i].value; break;
        case 6:
            p.activation = OCLNN_ACTIVATION_CLIP;
            p.activation_alpha = 1;
            p.activation_beta = -1;
            break;
        case 7: p.algo = (oclnn_conv_algo)bad[i].value; break;
        case 8: nw = (size_t)bad[i].value; break;
        case 9: nb = (size_t)bad[i].value; break;
        }
        oclnn_conv *op = (oclnn_conv *)ctx;
        oclnn_status st = oclnn_conv_create(ctx, &p, w, nw, b, nb, &op);
        if (st != bad[i].want)
            fail_msg("%s: got %s (%s), want %s", bad[i].name, oclnn_status_name(st), oclnn_last_error(ctx),
                     oclnn_status_name(bad[i].want));
        assert_null(op);
        if (!strstr(oclnn_last_error(ctx), bad[i].msg))
            fail_msg("%s: message '%s' lacks '%s'", bad[i].name, oclnn_last_error(ctx), bad[i].msg);
    }
    assert_int_equal(oclnn_conv_create(ctx, NULL, w, 1, NULL, 0, NULL), OCLNN_STATUS_INVALID_ARGUMENT);

    /* Shape and state errors on a 3x3x3 conv without pads. */
    oclnn_conv_params p = base_params();
    oclnn_conv *op;
    assert_ok(ctx, oclnn_conv_create(ctx, &p, w, 6 * 4 * 27, NULL, 0, &op));
    assert_int_equal(oclnn_conv_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE);
    int64_t dx[5] = {1, 6, 5, 6, 7}, dy[5] = {1, 4, 3, 4, 5}, dbad[5] = {1, 4, 3, 4, 6}, d4[4] = {1, 4, 4, 5};
    oclnn_tensor *tx, *ty, *tbad, *t4;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 5, dx, &tx));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 5, dy, &ty));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 5, dbad, &tbad));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, d4, &t4));
    assert_int_equal(oclnn_conv_setup(op, tx, ty, 0, NULL, 0), OCLNN_STATUS_INVALID_STATE);
    size_t out[3];
    const size_t small_d[3] = {2, 6, 7}, zero[3] = {5, 0, 7}, good[3] = {5, 6, 7};
    /* the kernel (3) is larger than the unpadded depth 2 */
    assert_int_equal(oclnn_conv_reshape(op, 1, small_d, out), OCLNN_STATUS_INVALID_SHAPE);
    assert_non_null(strstr(oclnn_last_error(ctx), "larger than the padded input"));
    assert_int_equal(oclnn_conv_reshape(op, 1, zero, out), OCLNN_STATUS_INVALID_SHAPE);
    assert_int_equal(oclnn_conv_reshape(op, 0, good, out), OCLNN_STATUS_INVALID_SHAPE);
    assert_int_equal(oclnn_conv_reshape(op, 1, NULL, out), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_int_equal(oclnn_conv_setup(op, tx, ty, 0, NULL, 0), OCLNN_STATUS_INVALID_STATE); /* failed reshape */
    assert_ok(ctx, oclnn_conv_reshape(op, 1, good, out));
    assert_true(out[0] == 3 && out[1] == 4 && out[2] == 5);
    assert_int_equal(oclnn_conv_setup(op, tx, tbad, 0, NULL, 0), OCLNN_STATUS_INVALID_SHAPE);
    assert_int_equal(oclnn_conv_setup(op, tx, t4, 0, NULL, 0), OCLNN_STATUS_INVALID_SHAPE); /* 4-D for rank 3 */
    assert_int_equal(oclnn_conv_setup(op, tx, ty, 1, NULL, 0), OCLNN_STATUS_INVALID_SHAPE); /* offset overflows */
    assert_int_equal(oclnn_conv_setup(op, ty, ty, 0, NULL, 0), OCLNN_STATUS_INVALID_SHAPE);
    assert_int_equal(oclnn_conv_setup(op, tx, ty, 0, ty, 0), OCLNN_STATUS_INVALID_ARGUMENT); /* residual unasked */
    assert_int_equal(oclnn_conv_setup(op, tx, NULL, 0, NULL, 0), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_int_equal(oclnn_conv_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE); /* the failed setup */
    assert_ok(ctx, oclnn_conv_setup(op, tx, ty, 0, NULL, 0));
    assert_int_equal(oclnn_conv_enqueue(op, 99, NULL), OCLNN_STATUS_INVALID_ARGUMENT);
    oclnn_event *ev;
    assert_ok(ctx, oclnn_conv_enqueue(op, 0, &ev));
    assert_ok(ctx, oclnn_event_wait(ev));
    oclnn_event_destroy(ev);
    oclnn_conv_destroy(op);
    /* Input and output sharing memory is refused (the same tensor for both, shapes made to match). */
    p.in_channels = p.out_channels = 4;
    p.pad_begin[0] = p.pad_begin[1] = p.pad_begin[2] = p.pad_end[0] = p.pad_end[1] = p.pad_end[2] = 1;
    assert_ok(ctx, oclnn_conv_create(ctx, &p, w, 4 * 4 * 27, NULL, 0, &op));
    const size_t same[3] = {3, 4, 5};
    assert_ok(ctx, oclnn_conv_reshape(op, 1, same, out));
    assert_int_equal(oclnn_conv_setup(op, ty, ty, 0, NULL, 0), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_non_null(strstr(oclnn_last_error(ctx), "overlap"));
    oclnn_conv_destroy(op);
    /* Rank 1 takes 3-D tensors only. */
    p = base_params();
    p.rank = 1;
    assert_ok(ctx, oclnn_conv_create(ctx, &p, w, 6 * 4 * 3, NULL, 0, &op));
    const size_t w1[1] = {7};
    assert_ok(ctx, oclnn_conv_reshape(op, 1, w1, out));
    assert_int_equal(out[0], 5);
    assert_int_equal(oclnn_conv_setup(op, tx, ty, 0, NULL, 0), OCLNN_STATUS_INVALID_SHAPE);
    assert_non_null(strstr(oclnn_last_error(ctx), "3-D"));
    oclnn_conv_destroy(op);
    oclnn_conv_destroy(NULL);
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_tensor_destroy(tbad);
    oclnn_tensor_destroy(t4);
    oclnn_context_destroy(ctx);
}

/* create -> reshape -> reshape (larger) -> setup -> enqueue with one failure injected at each point in turn: every
 * run ends OK or with a status and a message, and leaks no OpenCL object. */
static oclnn_status fault_scenario(oclnn_context *ctx, oclnn_tensor *tx, oclnn_tensor *ty) {
    oclnn_conv_params p = base_params();
    p.out_channels = 12;
    for (int a = 0; a < 3; a++) p.pad_begin[a] = p.pad_end[a] = 1;
    p.activation = OCLNN_ACTIVATION_RELU;
    static float w[12 * 6 * 27], b[12];
    oclnn_conv *op = NULL;
    oclnn_status st;
    const size_t s0[3] = {3, 3, 3}, s1[3] = {5, 7, 9};
    if ((st = oclnn_conv_create(ctx, &p, w, 12 * 6 * 27, b, 12, &op))) return st;
    if ((st = oclnn_conv_reshape(op, 1, s0, NULL))) goto done;
    if ((st = oclnn_conv_reshape(op, 1, s1, NULL))) goto done;
    if ((st = oclnn_conv_setup(op, tx, ty, 0, NULL, 0))) goto done;
    if ((st = oclnn_conv_enqueue(op, 0, NULL))) goto done;
    st = oclnn_context_finish(ctx);
done:
    if (st && !*oclnn_last_error(ctx)) fail_msg("status %s without a message", oclnn_status_name(st));
    oclnn_conv_destroy(op);
    return st;
}

static void test_fault_sweep(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    int64_t dx[5] = {1, 6, 5, 7, 9}, dy[5] = {1, 12, 5, 7, 9};
    oclnn_tensor *tx, *ty;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 5, dx, &tx));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 5, dy, &ty));
    assert_ok(ctx, fault_scenario(ctx, tx, ty)); /* builds the program once */
    int64_t live = clw_live_objects();
    static const clw_fault_kind kinds[] = {CLW_FAULT_ALLOC, CLW_FAULT_ENQUEUE};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        int failed = 0;
        for (uint64_t k = 1; k < 32; k++) {
            clw_fault_reset();
            clw_fault_set(kinds[i], k);
            oclnn_status st = fault_scenario(ctx, tx, ty);
            uint64_t calls = clw_calls(kinds[i]);
            clw_fault_reset();
            if (clw_live_objects() != live) fail_msg("fault %zu at %llu leaks", i, (unsigned long long)k);
            if (calls < k) {
                assert_ok(ctx, st); /* the fault was never reached */
                break;
            }
            if (st == OCLNN_STATUS_OK) fail_msg("fault %zu at %llu went unnoticed", i, (unsigned long long)k);
            failed++;
        }
        /* Allocations: weights, bias, kernel; enqueues: the launch and the finish. */
        assert_true(failed >= (kinds[i] == CLW_FAULT_ALLOC ? 3 : 2));
    }
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_context_destroy(ctx);
}

/* The graph runs a 5-D Conv with every attribute, and fuses BatchNormalization, a residual Add and Relu into it as
 * for 2-D: X -> Conv(group 2, strides 1x2x1, dilations 1x1x2, 6 asymmetric pads) -> BN -> Add(R) -> Relu, with
 * fusion (one step) and without (four), against the reference with BN applied in double. The bound adds the
 * magnitudes BN's scale multiplies and its shift, |bias|, |mean| and |R|. */
static void run_graph(oclnn_context *ctx, int fuse) {
    enum { N = 2, C = 6, K = 8, G = 2, D = 5, H = 9, W = 11 };
    const int kd = 3, kh = 3, kw = 2;
    const int64_t xd[5] = {N, C, D, H, W}, wd[5] = {K, C / G, kd, kh, kw}, kdim[1] = {K};
    const int64_t pads[6] = {1, 0, 2, 0, 1, 1}, strides[3] = {1, 2, 1}, dils[3] = {1, 1, 2}, group = G;
    conv3d_ref_params rp = {N, C, K, G, {D, H, W}, {kd, kh, kw}, {1, 2, 1}, {1, 1, 2}, {1, 0, 2}, ONE3, 0, 0, 0, 0};
    for (int a = 0; a < 3; a++)
        rp.out[a] = (rp.in[a] + (int)pads[a] + (int)pads[a + 3] - rp.dilation[a] * (rp.kernel[a] - 1) - 1) /
                        rp.stride[a] + 1;
    size_t sout = (size_t)rp.out[0] * rp.out[1] * rp.out[2], nx = (size_t)N * C * D * H * W, ny = (size_t)N * K * sout;
    size_t nw = (size_t)K * (C / G) * kd * kh * kw;
    uint64_t seed = TEST_SEED + 7;
    float *x = malloc(nx * 4), *w = malloc(nw * 4), *r = malloc(ny * 4), *y = malloc(ny * 4);
    float b[K], gamma[K], beta[K], mean[K], var[K];
    double *yr = malloc(ny * 8), *mag = malloc(ny * 8);
    fill(x, nx, &seed);
    fill(w, nw, &seed);
    fill(r, ny, &seed);
    fill(b, K, &seed);
    fill(gamma, K, &seed);
    fill(beta, K, &seed);
    fill(mean, K, &seed);
    for (int k = 0; k < K; k++) var[k] = test_rand_float(&seed, 0.25f, 2.0f);
    conv3d_ref(&rp, x, w, NULL, NULL, yr, mag);
    oclnn_graph *g;
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 5, xd));
    int64_t yd[5] = {N, K, rp.out[0], rp.out[1], rp.out[2]};
    assert_ok(ctx, oclnn_graph_add_input(g, "r", OCLNN_DTYPE_F32, 5, yd));
    assert_ok(ctx, oclnn_graph_add_constant(g, "w", OCLNN_DTYPE_F32, 5, wd, w));
    assert_ok(ctx, oclnn_graph_add_constant(g, "b", OCLNN_DTYPE_F32, 1, kdim, b));
    assert_ok(ctx, oclnn_graph_add_constant(g, "gamma", OCLNN_DTYPE_F32, 1, kdim, gamma));
    assert_ok(ctx, oclnn_graph_add_constant(g, "beta", OCLNN_DTYPE_F32, 1, kdim, beta));
    assert_ok(ctx, oclnn_graph_add_constant(g, "mean", OCLNN_DTYPE_F32, 1, kdim, mean));
    assert_ok(ctx, oclnn_graph_add_constant(g, "var", OCLNN_DTYPE_F32, 1, kdim, var));
    const oclnn_attr conv_attrs[4] = {{.name = "pads", .type = OCLNN_ATTR_INTS, .count = 6, .ints = pads},
                                      {.name = "strides", .type = OCLNN_ATTR_INTS, .count = 3, .ints = strides},
                                      {.name = "dilations", .type = OCLNN_ATTR_INTS, .count = 3, .ints = dils},
                                      {.name = "group", .type = OCLNN_ATTR_INT, .i = group}};
    const char *conv_in[3] = {"x", "w", "b"}, *conv_out[1] = {"c"};
    const char *bn_in[5] = {"c", "gamma", "beta", "mean", "var"}, *bn_out[1] = {"bn"};
    const char *add_in[2] = {"bn", "r"}, *add_out[1] = {"s"}, *relu_in[1] = {"s"}, *relu_out[1] = {"y"};
    assert_ok(ctx, oclnn_graph_add_node(g, "Conv", "conv", 3, conv_in, 1, conv_out, 4, conv_attrs));
    assert_ok(ctx, oclnn_graph_add_node(g, "BatchNormalization", "bn", 5, bn_in, 1, bn_out, 0, NULL));
    assert_ok(ctx, oclnn_graph_add_node(g, "Add", "add", 2, add_in, 1, add_out, 0, NULL));
    assert_ok(ctx, oclnn_graph_add_node(g, "Relu", "relu", 1, relu_in, 1, relu_out, 0, NULL));
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    oclnn_runtime_options o;
    oclnn_runtime_options_init(&o);
    o.fuse = fuse;
    oclnn_runtime *rt;
    assert_ok(ctx, oclnn_runtime_create(ctx, g, &o, &rt));
    oclnn_graph_destroy(g);
    assert_ok(ctx, oclnn_runtime_set_input(rt, "x", x, nx * 4));
    assert_ok(ctx, oclnn_runtime_set_input(rt, "r", r, ny * 4));
    assert_ok(ctx, oclnn_runtime_invoke(rt));
    assert_ok(ctx, oclnn_runtime_get_output(rt, "y", y, ny * 4));
    assert_int_equal(oclnn_runtime_num_steps(rt), fuse ? 1 : 4);
    oclnn_node_info info;
    assert_ok(ctx, oclnn_runtime_step_info(rt, 0, &info));
    if (fuse) assert_string_equal(info.op_type, "Conv+BatchNormalization+Add+Relu");
    assert_string_equal(info.algo, "direct");
    assert_int_equal(info.ndim, 5);
    assert_int_equal(info.macs, (uint64_t)ny * (C / G) * kd * kh * kw);
    for (int n = 0; n < N; n++)
        for (int k = 0; k < K; k++) {
            double f = gamma[k] / sqrt((double)var[k] + 1e-5);
            for (size_t i = 0; i < sout; i++) {
                size_t o = ((size_t)n * K + k) * sout + i;
                double v = (yr[o] + b[k] - mean[k]) * f + beta[k] + r[o];
                double want = v > 0 ? v : 0;
                double m = (mag[o] + fabs(b[k]) + fabs(mean[k])) * fabs(f) + fabs(beta[k]) + fabs(r[o]);
                double err = fabs(y[o] - want), bound = TOL * m + ABS_TOL;
                if (!(err <= bound))
                    fail_msg("graph (fuse %d): n %d k %d element %zu: got %.9g want %.9g, err %.3g > %.3g", fuse, n, k,
                             i, (double)y[o], want, err, bound);
            }
        }
    oclnn_runtime_destroy(rt);
    free(x);
    free(w);
    free(r);
    free(y);
    free(yr);
    free(mag);
}

static void test_graph_fusion(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    run_graph(ctx, 1);
    run_graph(ctx, 0);
    oclnn_context_destroy(ctx);
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_table),         cmocka_unit_test(test_bound_is_tight_enough),
        cmocka_unit_test(test_registry_variants),  cmocka_unit_test(test_reshape_never_recompiles),
        cmocka_unit_test(test_negative_table),     cmocka_unit_test(test_fault_sweep),
        cmocka_unit_test(test_graph_fusion),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    return r || clw_live_objects() != 0;
}
