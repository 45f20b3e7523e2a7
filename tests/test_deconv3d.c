/* test_deconv3d.c - the rank-based transposed convolution oclnn_deconv (3-D on cl/deconv3d.cl, 1-D and 2-D through
 * oclnn_deconv2d) against the naive double scatter reference tests/ref/deconv3d_ref.c: a case table over strides,
 * dilations, pads, output_padding, output_shape, auto_pad, groups, batch and the fused epilogue on odd volumes, a
 * negative table of exact statuses, state and binding errors, reshape without recompiling, and failure sweeps.
 *
 * Accuracy contract, checked on every element: |y - y_ref| <= TOL * M + ABS_TOL, where M is the magnitude sum
 * sum|w*x| + |bias| + |residual| (scaled by the activation's largest slope), TOL = 1e-5 (fp32 FMA accumulation of
 * at most a few hundred products in any order stays far below it) and ABS_TOL = 1e-6 (exp/tanh ulps near zero).
 * Outputs that no tap reaches must equal the epilogue of the bias alone, which the same bound (M = |bias|) pins.
 */
#include "common.h"

#include <math.h>

#include "device/clw.h"
#include "oclnn_cl.h"
#include "program/program.h"
#include "ref/deconv3d_ref.h"

#define TOL 1e-5
#define ABS_TOL 1e-6
#define SENTINEL 777.25f

enum { NOTSET = 0, SU = 1, SL = 2, VALID = 3 };

/* Spatial arrays hold `rank` values, the outermost axis first (D, H, W for rank 3; W alone for rank 1). */
typedef struct dc3_case {
    const char *name;
    int rank, n, c, k, groups;
    int in[3], ks[3], st[3], dl[3], pb[3], pe[3], op[3], os[3];
    int auto_pad, bias, act;
    float alpha, beta;
    int residual;
    int extra_c; /* output (and residual) tensors have this many more channels; the result goes in the middle */
    int small;   /* also run on the slow rusticl device */
} dc3_case;

#define ONE3 {1, 1, 1}
#define ZERO3 {0, 0, 0}

static const dc3_case cases[] = {
    {"3x5x7 7->5 k3 s1 p1 bias", 3, 1, 7, 5, 1, {3, 5, 7}, {3, 3, 3}, ONE3, ONE3, {1, 1, 1}, {1, 1, 1}, ZERO3, ZERO3,
     NOTSET, 1, 0, 0, 0, 0, 0, 1},
    {"2x2x2 s2 (3-D U-Net up) 3x5x7 6->4", 3, 1, 6, 4, 1, {3, 5, 7}, {2, 2, 2}, {2, 2, 2}, ONE3, ZERO3, ZERO3, ZERO3,
     ZERO3, NOTSET, 1, 1, 0, 0, 0, 0, 1},
    {"3x3x3 s(1,2,2) p1 op(0,1,1)", 3, 1, 5, 7, 1, {3, 5, 7}, {3, 3, 3}, {1, 2, 2}, ONE3, {1, 1, 1}, {1, 1, 1},
     {0, 1, 1}, ZERO3, NOTSET, 1, 0, 0, 0, 0, 0, 1},
    {"dilation 2 k3 s2 p2 op1", 3, 1, 5, 6, 1, {3, 5, 7}, {3, 3, 3}, {2, 2, 2}, {2, 2, 2}, {2, 2, 2}, {2, 2, 2},
     {1, 1, 1}, ZERO3, NOTSET, 1, 0, 0, 0, 0, 0, 0},
    {"dilation (2,1,3) s2 (gcd 2 on axis 0)", 3, 1, 4, 5, 1, {4, 5, 6}, {3, 2, 3}, {2, 2, 2}, {2, 1, 3},
     {1, 0, 2}, {1, 0, 1}, {1, 1, 0}, ZERO3, NOTSET, 1, 0, 0, 0, 0, 0, 0},
    {"output_padding (1,2,0) k2 s3 gaps", 3, 1, 5, 3, 1, {3, 4, 5}, {2, 2, 2}, {3, 3, 3}, ONE3, ZERO3, ZERO3,
     {1, 2, 0}, ZERO3, NOTSET, 1, 0, 0, 0, 0, 0, 1},
    {"k1 s2 gaps (bias only between)", 3, 1, 3, 5, 1, {3, 5, 7}, ONE3, {2, 2, 2}, ONE3, ZERO3, ZERO3, {1, 0, 1},
     ZERO3, NOTSET, 1, 0, 0, 0, 0, 0, 0},
    {"groups 2 6->4 k3 s2 p1", 3, 1, 6, 4, 2, {3, 5, 7}, {3, 3, 3}, {2, 2, 2}, ONE3, ONE3, ONE3, ZERO3, ZERO3,
     NOTSET, 1, 0, 0, 0, 0, 0, 1},
    {"groups 3 9->6 k2x3x2", 3, 1, 9, 6, 3, {3, 4, 5}, {2, 3, 2}, {2, 1, 2}, ONE3, ZERO3, {0, 1, 0}, ZERO3, ZERO3,
     NOTSET, 1, 0, 0, 0, 0, 0, 0},
    {"depthwise 5 k3 s2", 3, 1, 5, 5, 5, {3, 5, 7}, {3, 3, 3}, {2, 2, 2}, ONE3, ONE3, ONE3, {1, 1, 1}, ZERO3, NOTSET,
     1, 0, 0, 0, 0, 0, 0},
    {"batch 2 7->5 k2x3x2 s(2,1,3) asymmetric pads", 3, 2, 7, 5, 1, {3, 5, 7}, {2, 3, 2}, {2, 1, 3}, ONE3, {0, 2, 1},
     {1, 0, 0}, ZERO3, ZERO3, NOTSET, 1, 0, 0, 0, 0, 0, 1},
    {"19 out channels (tile 8, 3 blocks) 13->19", 3, 1, 13, 19, 1, {3, 4, 5}, {3, 3, 3}, {2, 2, 2}, ONE3, ONE3, ONE3,
     ZERO3, ZERO3, NOTSET, 1, 0, 0, 0, 0, 0, 0},
    {"no bias 1 out channel", 3, 1, 4, 1, 1, {3, 5, 7}, {3, 3, 3}, {2, 2, 2}, ONE3, ZERO3, ZERO3, ZERO3, ZERO3, NOTSET,
     0, 0, 0, 0, 0, 0, 0},
    {"pads larger than the kernel", 3, 1, 3, 4, 1, {4, 5, 6}, {3, 3, 3}, {2, 2, 2}, ONE3, {3, 4, 2}, {2, 3, 4}, ZERO3,
     ZERO3, NOTSET, 1, 0, 0, 0, 0, 0, 0},
    {"SAME_UPPER k3 s2", 3, 1, 3, 4, 1, {3, 5, 7}, {3, 3, 3}, {2, 2, 2}, ONE3, ZERO3, ZERO3, ZERO3, ZERO3, SU, 1, 0,
     0, 0, 0, 0, 1},
    {"SAME_LOWER k4 s2 op1", 3, 1, 3, 4, 1, {3, 5, 7}, {4, 4, 4}, {2, 2, 2}, ONE3, ZERO3, ZERO3, {1, 1, 1}, ZERO3, SL,
     1, 0, 0, 0, 0, 0, 0},
    {"VALID ignores pads", 3, 1, 3, 4, 1, {3, 4, 5}, {3, 3, 3}, {2, 2, 2}, ONE3, {5, 5, 5}, {5, 5, 5}, {1, 0, 1},
     ZERO3, VALID, 1, 0, 0, 0, 0, 0, 0},
    {"output_shape odd totals", 3, 1, 3, 4, 1, {3, 5, 7}, {3, 3, 3}, {2, 2, 2}, ONE3, {9, 9, 9}, {9, 9, 9}, ZERO3,
     {6, 8, 13}, NOTSET, 1, 0, 0, 0, 0, 0, 1},
    {"output_shape SAME_UPPER", 3, 1, 3, 4, 1, {3, 5, 7}, {3, 3, 3}, {2, 2, 2}, ONE3, ZERO3, ZERO3, ZERO3,
     {6, 10, 13}, SU, 1, 0, 0, 0, 0, 0, 0},
    {"output_shape full + 1 (last planes bias only)", 3, 1, 3, 4, 1, {3, 5, 7}, {3, 3, 3}, {2, 2, 2}, ONE3, ZERO3,
     ZERO3, ZERO3, {8, 12, 16}, NOTSET, 1, 0, 0, 0, 0, 0, 0},
    /* The epilogue. */
    {"relu", 3, 1, 5, 6, 1, {3, 4, 5}, {3, 3, 3}, {2, 2, 2}, ONE3, ONE3, ONE3, ZERO3, ZERO3, NOTSET, 1, 1, 0, 0, 0, 0,
     0},
    {"leaky relu", 3, 1, 5, 6, 1, {3, 4, 5}, {3, 3, 3}, {2, 2, 2}, ONE3, ONE3, ONE3, ZERO3, ZERO3, NOTSET, 1, 2, 0.1f,
     0, 0, 0, 0},
    {"clip -0.5..0.5", 3, 1, 5, 6, 1, {3, 4, 5}, {3, 3, 3}, {2, 2, 2}, ONE3, ONE3, ONE3, ZERO3, ZERO3, NOTSET, 1, 3,
     -0.5f, 0.5f, 0, 0, 0},
    {"sigmoid", 3, 1, 5, 6, 1, {3, 4, 5}, {3, 3, 3}, {2, 2, 2}, ONE3, ONE3, ONE3, ZERO3, ZERO3, NOTSET, 1, 4, 0, 0, 0,
     0, 0},
    {"tanh", 3, 1, 5, 6, 1, {3, 4, 5}, {3, 3, 3}, {2, 2, 2}, ONE3, ONE3, ONE3, ZERO3, ZERO3, NOTSET, 1, 5, 0, 0, 0, 0,
     0},
    {"hard sigmoid", 3, 1, 5, 6, 1, {3, 4, 5}, {3, 3, 3}, {2, 2, 2}, ONE3, ONE3, ONE3, ZERO3, ZERO3, NOTSET, 1, 6,
     0.2f, 0.5f, 0, 0, 0},
    {"hard swish", 3, 1, 5, 6, 1, {3, 4, 5}, {3, 3, 3}, {2, 2, 2}, ONE3, ONE3, ONE3, ZERO3, ZERO3, NOTSET, 1, 7, 0, 0,
     0, 0, 0},
    {"residual then relu, channel offset", 3, 1, 5, 6, 1, {3, 4, 5}, {2, 2, 2}, {2, 2, 2}, ONE3, ZERO3, ZERO3, ZERO3,
     ZERO3, NOTSET, 1, 1, 0, 0, 1, 5, 1},
    {"relu then residual, batch 2, offset", 3, 2, 6, 6, 2, {3, 4, 5}, {3, 3, 3}, {1, 2, 2}, ONE3, ONE3, ONE3, ZERO3,
     ZERO3, NOTSET, 1, 1, 0, 0, 2, 4, 0},
    /* Ranks 1 and 2 through the same API (oclnn_deconv2d underneath; 1-D on 4-D views). */
    {"rank 2 k3 s2 p1 op1 7->5", 2, 1, 7, 5, 1, {9, 11}, {3, 3}, {2, 2}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {0},
     NOTSET, 1, 0, 0, 0, 0, 0, 1},
    {"rank 2 groups 2 output_shape", 2, 2, 6, 4, 2, {7, 9}, {4, 3}, {2, 3}, {1, 1}, {0}, {0}, {0}, {15, 26}, NOTSET,
     1, 1, 0, 0, 0, 0, 0},
    {"rank 1 k3 s2 op1 residual, offset", 1, 2, 7, 5, 1, {13}, {3}, {2}, {1}, {1}, {0}, {1}, {0}, NOTSET, 1, 1, 0, 0,
     1, 3, 1},
    {"rank 1 SAME_LOWER d2", 1, 1, 3, 4, 1, {11}, {3}, {2}, {2}, {0}, {0}, {0}, {0}, SL, 0, 0, 0, 0, 0, 0, 0},
};

static double worst_ratio; /* largest |err| / bound over all elements and cases */
static double worst_rel;   /* largest |err| / M */

/* ONNX ConvTranspose output size and begin pad of one axis, written here from the spec independently of the
 * library (as in test_deconv.c). */
static void ref_axis(int in, int k, int s, int d, int op, int os, int ap, int pb, int pe, int *out, int *pad) {
    int full = s * (in - 1) + op + d * (k - 1) + 1;
    if (os || ap == SU || ap == SL) {
        *out = os ? os : in * s;
        int total = full - *out;
        int half = total >= 0 ? total / 2 : -((1 - total) / 2); /* ONNX's Python floor division */
        *pad = ap == SU ? half : total - half;
        return;
    }
    if (ap == VALID) pb = pe = 0;
    *out = full - pb - pe;
    *pad = pb;
}

static void fill(float *v, size_t n, uint64_t *seed) {
    for (size_t i = 0; i < n; i++) v[i] = test_rand_float(seed, -1.0f, 1.0f);
}

static oclnn_deconv_params case_params(const dc3_case *cc) {
    oclnn_deconv_params p;
    oclnn_deconv_params_init(&p);
    p.rank = (uint32_t)cc->rank;
    p.in_channels = (uint32_t)cc->c;
    p.out_channels = (uint32_t)cc->k;
    p.groups = (uint32_t)cc->groups;
    for (int a = 0; a < cc->rank; a++) {
        p.kernel[a] = (uint32_t)cc->ks[a];
        p.stride[a] = (uint32_t)cc->st[a];
        p.dilation[a] = (uint32_t)cc->dl[a];
        p.pad_begin[a] = (uint32_t)cc->pb[a];
        p.pad_end[a] = (uint32_t)cc->pe[a];
        p.output_padding[a] = (uint32_t)cc->op[a];
        p.output_shape[a] = (uint32_t)cc->os[a];
    }
    p.auto_pad = (oclnn_auto_pad)cc->auto_pad;
    p.activation = (oclnn_activation)cc->act;
    p.activation_alpha = cc->alpha;
    p.activation_beta = cc->beta;
    p.residual = (oclnn_residual)cc->residual;
    return p;
}

static void run_case(oclnn_context *ctx, const dc3_case *cc) {
    uint64_t seed = TEST_SEED ^ (uint64_t)(cc - cases) * 0x9E3779B97F4A7C15ull;
    const int r = cc->rank, lead = 3 - r; /* the reference sees 3 axes, the first `lead` of size 1 */
    deconv3d_ref_params rp = {cc->n, cc->c, cc->k, cc->groups, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1},
                              {0, 0, 0}, {1, 1, 1}, cc->act, cc->alpha, cc->beta, cc->residual};
    for (int a = 0; a < r; a++) {
        int A = lead + a;
        rp.in[A] = cc->in[a], rp.kernel[A] = cc->ks[a], rp.stride[A] = cc->st[a], rp.dilation[A] = cc->dl[a];
        ref_axis(cc->in[a], cc->ks[a], cc->st[a], cc->dl[a], cc->op[a], cc->os[a], cc->auto_pad, cc->pb[a], cc->pe[a],
                 &rp.out[A], &rp.pad[A]);
    }
    size_t in_vol = (size_t)rp.in[0] * rp.in[1] * rp.in[2], out_vol = (size_t)rp.out[0] * rp.out[1] * rp.out[2];
    size_t taps = (size_t)rp.kernel[0] * rp.kernel[1] * rp.kernel[2];
    size_t nx = (size_t)cc->n * cc->c * in_vol, nwt = (size_t)cc->c * (cc->k / cc->groups) * taps;
    size_t ny = (size_t)cc->n * cc->k * out_vol;
    int ctot = cc->k + cc->extra_c, coff = cc->extra_c / 2;
    size_t nytot = (size_t)cc->n * ctot * out_vol;
    float *x = malloc(nx * 4), *wt = malloc(nwt * 4), *b = malloc(cc->k * 4), *res = malloc(ny * 4);
    float *restot = malloc(nytot * 4), *y = malloc(nytot * 4);
    double *yr = malloc(ny * 8), *mag = malloc(ny * 8);
    fill(x, nx, &seed);
    fill(wt, nwt, &seed);
    fill(b, cc->k, &seed);
    fill(res, ny, &seed);
    deconv3d_ref(&rp, x, wt, cc->bias ? b : NULL, res, yr, mag);

    oclnn_deconv_params p = case_params(cc);
    oclnn_deconv *op;
    assert_ok(ctx, oclnn_deconv_create(ctx, &p, wt, nwt, cc->bias ? b : NULL, cc->bias ? (size_t)cc->k : 0, &op));
    size_t in_sz[3], out_sz[3] = {0, 0, 0};
    for (int a = 0; a < r; a++) in_sz[a] = (size_t)cc->in[a];
    assert_ok(ctx, oclnn_deconv_reshape(op, (size_t)cc->n, in_sz, out_sz));
    for (int a = 0; a < r; a++)
        if ((int)out_sz[a] != rp.out[lead + a])
            fail_msg("%s: output axis %d is %zu, want %d", cc->name, a, out_sz[a], rp.out[lead + a]);
    int64_t dx[5] = {cc->n, cc->c}, dy[5] = {cc->n, ctot};
    for (int a = 0; a < r; a++) dx[2 + a] = cc->in[a], dy[2 + a] = rp.out[lead + a];
    oclnn_tensor *tx, *ty, *tr = NULL;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, (size_t)r + 2, dx, &tx));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, (size_t)r + 2, dy, &ty));
    assert_ok(ctx, oclnn_tensor_write(tx, 0, nx * 4, x));
    for (size_t i = 0; i < nytot; i++) y[i] = SENTINEL;
    assert_ok(ctx, oclnn_tensor_write(ty, 0, nytot * 4, y));
    if (cc->residual) {
        /* The residual lives at its own channel offset (the other end of a wider tensor). */
        int roff = cc->extra_c - coff;
        for (size_t i = 0; i < nytot; i++) restot[i] = -SENTINEL;
        for (int n = 0; n < cc->n; n++)
            memcpy(restot + ((size_t)n * ctot + roff) * out_vol, res + (size_t)n * cc->k * out_vol,
                   (size_t)cc->k * out_vol * 4);
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, (size_t)r + 2, dy, &tr));
        assert_ok(ctx, oclnn_tensor_write(tr, 0, nytot * 4, restot));
        assert_ok(ctx, oclnn_deconv_setup(op, tx, ty, (size_t)coff, tr, (size_t)roff));
    } else {
        assert_ok(ctx, oclnn_deconv_setup(op, tx, ty, (size_t)coff, NULL, 0));
    }
    assert_ok(ctx, oclnn_deconv_enqueue(op, 0, NULL));
    assert_ok(ctx, oclnn_tensor_read(ty, 0, nytot * 4, y));
    for (int n = 0; n < cc->n; n++)
        for (int ch = 0; ch < ctot; ch++)
            for (size_t i = 0; i < out_vol; i++) {
                float got = y[((size_t)n * ctot + ch) * out_vol + i];
                if (ch < coff || ch >= coff + cc->k) {
                    if (got != SENTINEL) fail_msg("%s: channel %d outside the slice was written", cc->name, ch);
                    continue;
                }
                size_t o = ((size_t)n * cc->k + ch - coff) * out_vol + i;
                double err = fabs((double)got - yr[o]), bound = TOL * mag[o] + ABS_TOL;
                if (!(err <= bound))
                    fail_msg("%s: n %d k %d voxel %zu: got %.9g want %.9g, err %.3g > bound %.3g (seed 0x%llx)",
                             cc->name, n, ch - coff, i, (double)got, yr[o], err, bound, (unsigned long long)TEST_SEED);
                if (err / bound > worst_ratio) worst_ratio = err / bound;
                if (mag[o] > 0 && err / mag[o] > worst_rel) worst_rel = err / mag[o];
            }
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_tensor_destroy(tr);
    oclnn_deconv_destroy(op);
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
    int slow = test_device_is_slow(ctx), ran = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (slow && !cases[i].small) continue;
        run_case(ctx, &cases[i]);
        ran++;
    }
    printf("# deconv: %d cases, worst |err|/bound %.3g, worst |err|/M %.3g (tol %.0e)\n", ran, worst_ratio, worst_rel,
           TOL);
    oclnn_context_destroy(ctx);
}

/* The checks can fail: the reference tells apart what a wrong kernel would mix up (the kernel not flipped, i.e. a
 * plain convolution; the input read back to front; the odd padding voxel on the wrong side; a dropped bias) by far
 * more than the bound. */
static void test_checks_can_fail(void **state) {
    (void)state;
    enum { C = 2, K = 2, KS = 3, D = 3, H = 4, W = 5 };
    uint64_t seed = TEST_SEED;
    float x[C * D * H * W], xt[C * D * H * W], wt[C * K * KS * KS * KS], wflip[C * K * KS * KS * KS], b[K];
    fill(x, C * D * H * W, &seed);
    fill(wt, C * K * KS * KS * KS, &seed);
    fill(b, K, &seed);
    const int T = KS * KS * KS;
    for (int i = 0; i < C * K; i++)
        for (int t = 0; t < T; t++) wflip[i * T + t] = wt[i * T + T - 1 - t];
    deconv3d_ref_params rp = {1, C, K, 1, {D, H, W}, {KS, KS, KS}, {2, 2, 2}, {1, 1, 1}, {0, 0, 0}, {7, 9, 11},
                              0, 0, 0, 0};
    enum { NY = K * 7 * 9 * 11 };
    static double y0[NY], m0[NY], y1[NY], m1[NY];
    deconv3d_ref(&rp, x, wt, b, NULL, y0, m0);
    for (int k = 0; k < 4; k++) {
        deconv3d_ref_params rq = rp;
        const float *xx = x, *ww = wt, *bb = b;
        if (k == 0) ww = wflip;
        if (k == 1) { /* every channel's volume read back to front */
            for (int c = 0; c < C; c++)
                for (int i = 0; i < D * H * W; i++) xt[c * D * H * W + i] = x[c * D * H * W + D * H * W - 1 - i];
            xx = xt;
        }
        if (k == 2) rq.pad[0] = rq.pad[1] = rq.pad[2] = 1;
        if (k == 3) bb = NULL;
        deconv3d_ref(&rq, xx, ww, bb, NULL, y1, m1);
        int caught = 0;
        for (int i = 0; i < NY; i++) caught |= !(fabs(y1[i] - y0[i]) <= TOL * m0[i] + ABS_TOL);
        if (!caught) fail_msg("the bound would not catch wrong variant %d", k);
    }
}

/* The registry's deconv3d variants are exactly what the operator asks for in those configurations. */
static void test_prebuild_covers_operator(void **state) {
    (void)state;
    const char *dir = test_tmpdir("prebuild3d");
    oclnn_context *warm = test_context(dir);
    assert_ok(warm, oclnn_context_prebuild_all(warm, NULL));
    oclnn_context_destroy(warm);
    oclnn_context *ctx = test_context(dir);
    static const struct {
        int c, k, ks, bias;
    } cfg[] = {{8, 4, 2, 0}, {8, 3, 2, 1}, {4, 8, 3, 1}};
    for (size_t i = 0; i < sizeof cfg / sizeof cfg[0]; i++) {
        oclnn_deconv_params p;
        oclnn_deconv_params_init(&p);
        p.rank = 3;
        p.in_channels = (uint32_t)cfg[i].c;
        p.out_channels = (uint32_t)cfg[i].k;
        for (int a = 0; a < 3; a++) p.kernel[a] = (uint32_t)cfg[i].ks, p.stride[a] = 2;
        size_t nw = (size_t)cfg[i].k * cfg[i].c * cfg[i].ks * cfg[i].ks * cfg[i].ks;
        float *w = calloc(nw, 4), *b = calloc((size_t)cfg[i].k, 4);
        oclnn_deconv *op;
        assert_ok(ctx, oclnn_deconv_create(ctx, &p, w, nw, cfg[i].bias ? b : NULL, cfg[i].bias ? (size_t)cfg[i].k : 0,
                                           &op));
        oclnn_deconv_destroy(op);
        free(w);
        free(b);
        oclnn_cache_stats s;
        oclnn_context_cache_stats(ctx, &s);
        if (s.source_builds) fail_msg("configuration %zu is not among the registry's variants", i);
    }
    oclnn_context_destroy(ctx);
}

static oclnn_deconv_params base_params(void) {
    oclnn_deconv_params p;
    oclnn_deconv_params_init(&p);
    p.rank = 3;
    p.in_channels = 6;
    p.out_channels = 4;
    for (int a = 0; a < 3; a++) p.kernel[a] = 3, p.stride[a] = 2;
    return p;
}

enum { NW3 = 6 * 4 * 27 };

/* Impossible configurations get their exact status and a message naming the rule. */
static void test_negative_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    static float w[6 * 4 * 65 * 9], b[8];
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
        {"kernel 0 on axis 1", "axis 1", 2, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"stride 0 on axis 2", "axis 2", 3, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"dilation 0 on axis 0", "axis 0", 4, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"kernel 65", "kernel, stride or dilation above 64", 2, 65, OCLNN_STATUS_UNSUPPORTED},
        {"stride 65", "kernel, stride or dilation above 64", 3, 65, OCLNN_STATUS_UNSUPPORTED},
        {"output_padding 2 = stride 2 > dilation 1", "output_padding", 5, 2, OCLNN_STATUS_INVALID_ARGUMENT},
        {"output_shape on two axes only", "every size or none", 6, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"output_shape with VALID", "VALID", 7, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"SAME k1 s2 needs negative pads", "negative padding", 8, 0, OCLNN_STATUS_UNSUPPORTED},
        {"activation 99", "activation", 9, 99, OCLNN_STATUS_INVALID_ARGUMENT},
        {"clip min > max", "Clip", 10, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"weights too short", "weights have", 11, NW3 - 1, OCLNN_STATUS_INVALID_ARGUMENT},
        {"weights too long", "weights have", 11, NW3 + 1, OCLNN_STATUS_INVALID_ARGUMENT},
        {"bias count", "bias has", 12, 3, OCLNN_STATUS_INVALID_ARGUMENT},
        {"pad above 2^24", "pads or output_shape above", 13, 0, OCLNN_STATUS_UNSUPPORTED},
        {"rank 2 with a bad group (oclnn_deconv2d's rule)", "must divide", 14, 0, OCLNN_STATUS_INVALID_ARGUMENT},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        oclnn_deconv_params p = base_params();
        size_t nw = NW3, nb = 4;
        switch (bad[i].field) {
        case 0: p.rank = (uint32_t)bad[i].value; break;
        case 1: p.groups = (uint32_t)bad[i].value; break;
        case 2: p.kernel[1] = (uint32_t)bad[i].value; break;
        case 3: p.stride[2] = (uint32_t)bad[i].value; break;
        case 4: p.dilation[0] = (uint32_t)bad[i].value; break;
        case 5: p.output_padding[1] = (uint32_t)bad[i].value; break;
        case 6: p.output_shape[0] = p.output_shape[2] = 9; break;
        case 7:
            p.auto_pad = OCLNN_AUTO_PAD_VALID;
            p.output_shape[0] = p.output_shape[1] = p.output_shape[2] = 9;
            break;
        case 8:
            p.auto_pad = OCLNN_AUTO_PAD_SAME_UPPER;
            p.kernel[0] = p.kernel[1] = p.kernel[2] = 1;
            nw = 6 * 4;
            break;
        case 9: p.activation = (oclnn_activation)bad[i].value; break;
        case 10:
            p.activation = OCLNN_ACTIVATION_CLIP;
            p.activation_alpha = 1;
            p.activation_beta = -1;
            break;
        case 11: nw = (size_t)bad[i].value; break;
        case 12: nb = (size_t)bad[i].value; break;
        case 13: p.pad_end[1] = (1u << 24) + 1; break;
        case 14:
            p.rank = 2;
            p.groups = 4;
            nw = 6 * 4 * 9;
            break;
        }
        oclnn_deconv *op = (oclnn_deconv *)ctx;
        oclnn_status st = oclnn_deconv_create(ctx, &p, w, nw, b, nb, &op);
        if (st != bad[i].want)
            fail_msg("%s: got %s (%s), want %s", bad[i].name, oclnn_status_name(st), oclnn_last_error(ctx),
                     oclnn_status_name(bad[i].want));
        assert_null(op);
        if (!strstr(oclnn_last_error(ctx), bad[i].msg))
            fail_msg("%s: message '%s' lacks '%s'", bad[i].name, oclnn_last_error(ctx), bad[i].msg);
    }
    oclnn_deconv *op = (oclnn_deconv *)ctx;
    assert_int_equal(oclnn_deconv_create(ctx, NULL, w, NW3, NULL, 0, &op), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_null(op);
    oclnn_deconv_params p = base_params();
    assert_int_equal(oclnn_deconv_create(ctx, &p, NULL, NW3, NULL, 0, &op), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_int_equal(oclnn_deconv_create(ctx, &p, w, NW3, NULL, 0, NULL), OCLNN_STATUS_INVALID_ARGUMENT);
    size_t one[3] = {1, 1, 1};
    assert_int_equal(oclnn_deconv_reshape(NULL, 1, one, NULL), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_int_equal(oclnn_deconv_setup(NULL, NULL, NULL, 0, NULL, 0), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_int_equal(oclnn_deconv_enqueue(NULL, 0, NULL), OCLNN_STATUS_INVALID_ARGUMENT);
    oclnn_deconv_destroy(NULL);

    /* Shape errors found at reshape: output_shape beyond what the input reaches, pads that leave nothing. */
    size_t in9[3] = {9, 9, 9}, in10[3] = {10, 10, 10}, out[3];
    p.output_shape[0] = p.output_shape[1] = p.output_shape[2] = 21; /* 9 in, k3 s2: full = 2*8 + 3 = 19, 2 short */
    assert_ok(ctx, oclnn_deconv_create(ctx, &p, w, NW3, NULL, 0, &op));
    assert_int_equal(oclnn_deconv_reshape(op, 1, in9, out), OCLNN_STATUS_INVALID_SHAPE);
    assert_non_null(strstr(oclnn_last_error(ctx), "output_shape 21 of axis 0 is larger than"));
    assert_ok(ctx, oclnn_deconv_reshape(op, 1, in10, out)); /* full = 21 */
    assert_int_equal(out[0], 21);
    assert_int_equal(oclnn_deconv_reshape(op, 1, NULL, out), OCLNN_STATUS_INVALID_ARGUMENT);
    oclnn_deconv_destroy(op);
    p = base_params();
    p.pad_begin[2] = 10;
    p.pad_end[2] = 9; /* 9 wide: full = 19, nothing left */
    assert_ok(ctx, oclnn_deconv_create(ctx, &p, w, NW3, NULL, 0, &op));
    assert_int_equal(oclnn_deconv_reshape(op, 1, in9, out), OCLNN_STATUS_INVALID_SHAPE);
    assert_non_null(strstr(oclnn_last_error(ctx), "leave no output"));
    size_t in_ok[3] = {2, 3, 10};
    assert_ok(ctx, oclnn_deconv_reshape(op, 1, in_ok, out));
    assert_int_equal(out[0], 5);
    assert_int_equal(out[1], 7);
    assert_int_equal(out[2], 2);
    size_t in_zero[3] = {2, 0, 10};
    assert_int_equal(oclnn_deconv_reshape(op, 1, in_zero, out), OCLNN_STATUS_INVALID_SHAPE);
    assert_int_equal(oclnn_deconv_reshape(op, 0, in_ok, out), OCLNN_STATUS_INVALID_SHAPE);
    oclnn_deconv_destroy(op);

    /* State and binding errors. */
    p = base_params();
    for (int a = 0; a < 3; a++) p.pad_begin[a] = p.pad_end[a] = 1;
    assert_ok(ctx, oclnn_deconv_create(ctx, &p, w, NW3, NULL, 0, &op));
    assert_int_equal(oclnn_deconv_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE);
    int64_t dx[5] = {1, 6, 3, 4, 5}, dy[5] = {1, 4, 5, 7, 9}, dbad[5] = {1, 4, 5, 7, 10}, d4[4] = {1, 4, 35, 9};
    oclnn_tensor *tx, *ty, *tbad, *t4;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 5, dx, &tx));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 5, dy, &ty));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 5, dbad, &tbad));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, d4, &t4));
    assert_int_equal(oclnn_deconv_setup(op, tx, ty, 0, NULL, 0), OCLNN_STATUS_INVALID_STATE);
    size_t in345[3] = {3, 4, 5};
    assert_ok(ctx, oclnn_deconv_reshape(op, 1, in345, out));
    assert_int_equal(out[2], 9);
    assert_int_equal(oclnn_deconv_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE);
    assert_int_equal(oclnn_deconv_setup(op, tx, tbad, 0, NULL, 0), OCLNN_STATUS_INVALID_SHAPE);
    assert_int_equal(oclnn_deconv_setup(op, tx, t4, 0, NULL, 0), OCLNN_STATUS_INVALID_SHAPE); /* 4-D for rank 3 */
    assert_int_equal(oclnn_deconv_setup(op, tx, ty, 1, NULL, 0), OCLNN_STATUS_INVALID_SHAPE); /* offset overflows */
    assert_int_equal(oclnn_deconv_setup(op, ty, ty, 0, NULL, 0), OCLNN_STATUS_INVALID_SHAPE);
    assert_int_equal(oclnn_deconv_setup(op, tx, NULL, 0, NULL, 0), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_int_equal(oclnn_deconv_setup(op, tx, ty, 0, ty, 0), OCLNN_STATUS_INVALID_ARGUMENT); /* residual unasked */
    assert_int_equal(oclnn_deconv_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE); /* a failed setup unbinds */
    assert_ok(ctx, oclnn_deconv_setup(op, tx, ty, 0, NULL, 0));
    assert_int_equal(oclnn_deconv_enqueue(op, 5, NULL), OCLNN_STATUS_INVALID_ARGUMENT);
    oclnn_event *ev;
    assert_ok(ctx, oclnn_deconv_enqueue(op, 0, &ev));
    assert_ok(ctx, oclnn_event_wait(ev));
    oclnn_event_destroy(ev);
    /* A new size needs a new setup. */
    assert_ok(ctx, oclnn_deconv_reshape(op, 1, in9, out));
    assert_int_equal(oclnn_deconv_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE);
    oclnn_deconv_destroy(op);
    /* Residual required but missing. */
    p.residual = OCLNN_RESIDUAL_BEFORE_ACTIVATION;
    assert_ok(ctx, oclnn_deconv_create(ctx, &p, w, NW3, NULL, 0, &op));
    assert_ok(ctx, oclnn_deconv_reshape(op, 1, in345, NULL));
    assert_int_equal(oclnn_deconv_setup(op, tx, ty, 0, NULL, 0), OCLNN_STATUS_INVALID_ARGUMENT);
    oclnn_deconv_destroy(op);
    /* Input and output sharing memory. */
    int64_t dsq[5] = {1, 4, 3, 4, 5};
    oclnn_tensor *tsq;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 5, dsq, &tsq));
    p = base_params();
    p.in_channels = 4;
    for (int a = 0; a < 3; a++) p.stride[a] = 1, p.pad_begin[a] = p.pad_end[a] = 1;
    assert_ok(ctx, oclnn_deconv_create(ctx, &p, w, 4 * 4 * 27, NULL, 0, &op));
    assert_ok(ctx, oclnn_deconv_reshape(op, 1, in345, NULL));
    assert_int_equal(oclnn_deconv_setup(op, tsq, tsq, 0, NULL, 0), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_non_null(strstr(oclnn_last_error(ctx), "overlap"));
    oclnn_deconv_destroy(op);
    /* Rank 1 wants 3-D tensors. */
    p = base_params();
    p.rank = 1;
    assert_ok(ctx, oclnn_deconv_create(ctx, &p, w, 6 * 4 * 3, NULL, 0, &op));
    size_t in5[1] = {5};
    assert_ok(ctx, oclnn_deconv_reshape(op, 1, in5, out));
    assert_int_equal(out[0], 11);
    assert_int_equal(oclnn_deconv_setup(op, tx, ty, 0, NULL, 0), OCLNN_STATUS_INVALID_SHAPE);
    assert_non_null(strstr(oclnn_last_error(ctx), "3-D tensors"));
    oclnn_deconv_destroy(op);
    oclnn_tensor_destroy(tsq);
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_tensor_destroy(tbad);
    oclnn_tensor_destroy(t4);
    oclnn_context_destroy(ctx);
}

/* A reshape to another size reuses the compiled program: no new build, and the results stay right. */
static void test_reshape_never_recompiles(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    oclnn_deconv_params p = base_params();
    for (int a = 0; a < 3; a++) p.pad_begin[a] = p.pad_end[a] = 1;
    p.output_padding[0] = 1;
    static float w[NW3];
    uint64_t seed = TEST_SEED;
    fill(w, NW3, &seed);
    oclnn_deconv *op;
    assert_ok(ctx, oclnn_deconv_create(ctx, &p, w, NW3, NULL, 0, &op));
    oclnn_cache_stats s0, s1;
    oclnn_context_cache_stats(ctx, &s0);
    static const int sizes[][4] = {{1, 3, 5, 7}, {2, 4, 3, 5}, {1, 1, 2, 9}};
    for (int i = 0; i < 3; i++) {
        int n = sizes[i][0];
        size_t in[3] = {(size_t)sizes[i][1], (size_t)sizes[i][2], (size_t)sizes[i][3]}, out[3];
        assert_ok(ctx, oclnn_deconv_reshape(op, (size_t)n, in, out));
        for (int a = 0; a < 3; a++) assert_int_equal(out[a], 2 * (in[a] - 1) + 3 - 2 + (a == 0));
        int64_t dx[5] = {n, 6, sizes[i][1], sizes[i][2], sizes[i][3]};
        int64_t dy[5] = {n, 4, (int64_t)out[0], (int64_t)out[1], (int64_t)out[2]};
        oclnn_tensor *tx, *ty;
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 5, dx, &tx));
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 5, dy, &ty));
        size_t nx = (size_t)n * 6 * in[0] * in[1] * in[2], ny = (size_t)n * 4 * out[0] * out[1] * out[2];
        float *x = malloc(nx * 4), *y = malloc(ny * 4);
        double *yr = malloc(ny * 8), *mag = malloc(ny * 8);
        fill(x, nx, &seed);
        assert_ok(ctx, oclnn_tensor_write(tx, 0, nx * 4, x));
        assert_ok(ctx, oclnn_deconv_setup(op, tx, ty, 0, NULL, 0));
        assert_ok(ctx, oclnn_deconv_enqueue(op, 0, NULL));
        assert_ok(ctx, oclnn_tensor_read(ty, 0, ny * 4, y));
        deconv3d_ref_params rp = {n, 6, 4, 1, {sizes[i][1], sizes[i][2], sizes[i][3]}, {3, 3, 3}, {2, 2, 2},
                                  {1, 1, 1}, {1, 1, 1}, {(int)out[0], (int)out[1], (int)out[2]}, 0, 0, 0, 0};
        deconv3d_ref(&rp, x, w, NULL, NULL, yr, mag);
        for (size_t j = 0; j < ny; j++)
            if (!(fabs(y[j] - yr[j]) <= TOL * mag[j] + ABS_TOL)) fail_msg("size %d: element %zu", i, j);
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
    oclnn_deconv_destroy(op);
    oclnn_context_destroy(ctx);
}

/* Every host allocation and every OpenCL allocation and enqueue of create/reshape/setup/enqueue fails in turn, for
 * rank 3 and rank 1 (which makes views): each run ends in OK or the matching status and leaves nothing behind. */
static void test_failure_sweeps(void **state) {
    (void)state;
    test_alloc ta;
    test_alloc_init(&ta);
    oclnn_context_options o;
    test_options(&o, NULL);
    o.allocator = &ta.hooks;
    o.log_level = OCLNN_LOG_NONE;
    oclnn_context *ctx;
    assert_ok(NULL, oclnn_context_create(&o, &ctx));
    static float w[NW3], b[4];
    static const char *const kind_name[] = {"host allocation", "OpenCL allocation", "OpenCL enqueue"};
    for (int rank = 3; rank >= 1; rank -= 2) {
        oclnn_deconv_params p = base_params();
        p.rank = (uint32_t)rank;
        p.residual = OCLNN_RESIDUAL_AFTER_ACTIVATION;
        size_t nw = rank == 3 ? NW3 : 6 * 4 * 3, in[3] = {3, 4, 5};
        int64_t dx[5] = {1, 6, 3, 4, 5}, dy[5] = {1, 4, 7, 9, 11};
        if (rank == 1) dx[2] = 5, dy[2] = 11;
        oclnn_tensor *tx, *ty, *tr;
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, (size_t)rank + 2, dx, &tx));
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, (size_t)rank + 2, dy, &ty));
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, (size_t)rank + 2, dy, &tr));
        if (rank == 1) in[0] = 5;
        /* Warm the context's program cache first: what it keeps is the cache's, not a leak. */
        oclnn_deconv *warm;
        assert_ok(ctx, oclnn_deconv_create(ctx, &p, w, nw, b, 4, &warm));
        oclnn_deconv_destroy(warm);
        for (int kind = 0; kind < 3; kind++) {
            long failures = 0;
            for (long k = 1;; k++) {
                long live0 = ta.live;
                int64_t objs0 = clw_live_objects();
                if (kind == 0)
                    ta.fail_at = ta.calls + k;
                else {
                    clw_fault_reset();
                    clw_fault_set(kind == 1 ? CLW_FAULT_ALLOC : CLW_FAULT_ENQUEUE, (uint64_t)k);
                }
                oclnn_deconv *op = NULL;
                oclnn_status st = oclnn_deconv_create(ctx, &p, w, nw, b, 4, &op);
                if (!st) st = oclnn_deconv_reshape(op, 1, in, NULL);
                if (!st) st = oclnn_deconv_setup(op, tx, ty, 0, tr, 0);
                if (!st) st = oclnn_deconv_enqueue(op, 0, NULL);
                if (!st) st = oclnn_context_finish(ctx);
                oclnn_deconv_destroy(op);
                int fired = kind == 0 ? ta.calls >= ta.fail_at
                                      : clw_calls(kind == 1 ? CLW_FAULT_ALLOC : CLW_FAULT_ENQUEUE) >= (uint64_t)k;
                ta.fail_at = 0;
                clw_fault_reset();
                if (st && st != OCLNN_STATUS_OUT_OF_HOST_MEMORY && st != OCLNN_STATUS_OUT_OF_DEVICE_MEMORY)
                    fail_msg("rank %d %s failure %ld: unexpected %s: %s", rank, kind_name[kind], k,
                             oclnn_status_name(st), oclnn_last_error(ctx));
                if (ta.live != live0 || clw_live_objects() != objs0)
                    fail_msg("rank %d %s failure %ld: %ld host allocations and %lld OpenCL objects leaked", rank,
                             kind_name[kind], k, ta.live - live0, (long long)(clw_live_objects() - objs0));
                failures += st != OCLNN_STATUS_OK;
                if (!fired) break; /* the sequence no longer reaches a k-th call: every point has been tried */
            }
            printf("# rank %d %s failure sweep: %ld failures reported, no leaks\n", rank, kind_name[kind], failures);
            assert_true(failures >= 1);
        }
        oclnn_tensor_destroy(tx);
        oclnn_tensor_destroy(ty);
        oclnn_tensor_destroy(tr);
    }
    oclnn_context_destroy(ctx);
    assert_int_equal(ta.live, 0);
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_table),
        cmocka_unit_test(test_checks_can_fail),
        cmocka_unit_test(test_prebuild_covers_operator),
        cmocka_unit_test(test_negative_table),
        cmocka_unit_test(test_reshape_never_recompiles),
        cmocka_unit_test(test_failure_sweeps),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    return r || clw_live_objects() != 0;
}
