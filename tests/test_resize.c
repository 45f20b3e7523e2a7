/* test_resize.c - Resize/Upsample against the reference of tests/ref/datamove_ref.c (which interpolates the way the
 * ONNX reference implementation does: edge-padded neighbours and ratio coefficients), worked examples from the
 * ONNX operator documentation, a case table over every mode, cubic cases (ref_resize_cubic, bound CUBIC_TOL times
 * the sum of |weight x|), and a negative table of exact statuses.
 *
 * Accuracy contract: nearest is exact (bit for bit). Linear is within LINEAR_TOL * max|x| absolute of the double
 * reference: the kernel's two fp32 lerps a + w(b - a) round a handful of times on values of magnitude <= max|x|,
 * far below 1e-6 relative.
 */
#include "common.h"

#include <math.h>

#include "device/clw.h"
#include "program/program.h"
#include "ref/datamove_ref.h"

#define LINEAR_TOL 1e-6
#define SENTINEL 777.25f

enum { NEAR = 0, LIN = 1 };
enum { HP = 0, PT = 1, AC = 2, AS = 3, TFNN = 4, HPS = 5 };
enum { RPF = 0, RPC = 1, FL = 2, CE = 3 };

typedef struct resize_case {
    const char *name;
    int n, c, h, w;
    int mode, coord, nearest;
    float sh, sw; /* scales, used when oh == 0 */
    int oh, ow;   /* sizes */
    int extra_c;  /* output has this many more channels; the result goes at channel offset extra_c / 2 */
    int small;
} resize_case;

static const resize_case cases[] = {
    {"nearest x2 asymmetric floor 23ch @27x37 (fast)", 1, 23, 27, 37, NEAR, AS, FL, 2, 2, 0, 0, 0, 1},
    {"nearest x4 asymmetric floor batch 3 (fast)", 3, 5, 27, 37, NEAR, AS, FL, 4, 4, 0, 0, 0, 0},
    {"nearest x3 x2 asymmetric floor (fast, W % 4 = 3)", 1, 7, 13, 19, NEAR, AS, FL, 3, 2, 0, 0, 0, 0},
    {"nearest x2 half_pixel round_prefer_floor (fast)", 1, 7, 27, 37, NEAR, HP, RPF, 2, 2, 0, 0, 0, 1},
    {"nearest x2 half_pixel round_prefer_ceil", 3, 4, 27, 37, NEAR, HP, RPC, 2, 2, 0, 0, 0, 0},
    {"nearest sizes 27x37 -> 40x50 half_pixel", 1, 6, 27, 37, NEAR, HP, RPF, 0, 0, 40, 50, 0, 1},
    {"nearest x0.5 asymmetric floor", 1, 5, 27, 37, NEAR, AS, FL, 0.5f, 0.5f, 0, 0, 0, 0},
    {"nearest x0.6 half_pixel round_prefer_floor", 3, 3, 27, 37, NEAR, HP, RPF, 0.6f, 0.6f, 0, 0, 0, 0},
    {"nearest x1.5 half_pixel ceil", 1, 3, 27, 37, NEAR, HP, CE, 1.5f, 1.5f, 0, 0, 0, 0},
    {"nearest x1.7 half_pixel floor", 1, 3, 27, 37, NEAR, HP, FL, 1.7f, 2.3f, 0, 0, 0, 0},
    {"nearest x2 tf_half_pixel_for_nn", 1, 3, 27, 37, NEAR, TFNN, RPF, 2, 2, 0, 0, 0, 0},
    {"nearest sizes align_corners", 1, 3, 27, 37, NEAR, AC, RPF, 0, 0, 50, 61, 0, 1},
    {"nearest sizes pytorch_half_pixel", 1, 3, 27, 37, NEAR, PT, RPC, 0, 0, 13, 80, 0, 0},
    {"nearest x1.5 half_pixel_symmetric", 1, 3, 27, 37, NEAR, HPS, RPF, 1.5f, 1.3f, 0, 0, 0, 0},
    {"nearest x2 into channels 4.. of 31", 2, 23, 27, 37, NEAR, AS, FL, 2, 2, 0, 0, 8, 1},
    {"linear x2 half_pixel 23ch @27x37", 1, 23, 27, 37, LIN, HP, RPF, 2, 2, 0, 0, 0, 1},
    {"linear x2 half_pixel batch 3", 3, 5, 27, 37, LIN, HP, RPF, 2, 2, 0, 0, 0, 0},
    {"linear x2 align_corners", 1, 5, 27, 37, LIN, AC, RPF, 2, 2, 0, 0, 0, 1},
    {"linear x2 asymmetric", 1, 5, 27, 37, LIN, AS, RPF, 2, 2, 0, 0, 0, 0},
    {"linear x2 pytorch_half_pixel", 1, 5, 27, 37, LIN, PT, RPF, 2, 2, 0, 0, 0, 0},
    {"linear sizes to 1 x 50 pytorch_half_pixel", 1, 5, 27, 37, LIN, PT, RPF, 0, 0, 1, 50, 0, 0},
    {"linear x0.6 half_pixel", 1, 5, 27, 37, LIN, HP, RPF, 0.6f, 0.6f, 0, 0, 0, 0},
    {"linear sizes 27x37 -> 13x50", 3, 4, 27, 37, LIN, HP, RPF, 0, 0, 13, 50, 0, 0},
    {"linear x1.7 x2.3 half_pixel", 1, 3, 27, 37, LIN, HP, RPF, 1.7f, 2.3f, 0, 0, 0, 0},
    {"linear x1.5 half_pixel_symmetric", 1, 3, 27, 37, LIN, HPS, RPF, 1.5f, 1.3f, 0, 0, 0, 0},
    {"linear 1x1 -> 5x7 align_corners", 1, 2, 1, 1, LIN, AC, RPF, 0, 0, 5, 7, 0, 0},
    {"linear x2 into channels 2.. of 9", 1, 5, 27, 37, LIN, HP, RPF, 2, 2, 0, 0, 4, 0},
    {"upsample-9 nearest x2", 1, 3, 27, 37, NEAR, AS, FL, 2, 2, 0, 0, 0, 0},
    {"FPN/DBNet nearest x2 256ch @40x40", 1, 256, 40, 40, NEAR, AS, FL, 2, 2, 0, 0, 0, 0},
    {"DBNet bilinear x2 64ch @80x80", 1, 64, 80, 80, LIN, HP, RPF, 2, 2, 0, 0, 0, 0},
};

static double worst_ratio; /* largest |err| / bound of the linear cases */

static void run_case(oclnn_context *ctx, const resize_case *rc) {
    oclnn_resize_params p;
    oclnn_resize_params_init(&p);
    p.mode = (oclnn_resize_mode)rc->mode;
    p.coord = (oclnn_resize_coord)rc->coord;
    p.nearest_mode = (oclnn_resize_nearest_mode)rc->nearest;
    p.scale_h = rc->sh;
    p.scale_w = rc->sw;
    p.out_height = (size_t)rc->oh;
    p.out_width = (size_t)rc->ow;
    /* The reference's own output size and scales: floor(in * scale) with the given scale, or sizes with out / in. */
    int oh = rc->oh ? rc->oh : (int)floor(rc->h * (double)rc->sh), ow = rc->ow ? rc->ow : (int)floor(rc->w * (double)rc->sw);
    double sh = rc->oh ? (double)rc->oh / rc->h : rc->sh, sw = rc->ow ? (double)rc->ow / rc->w : rc->sw;
    oclnn_resize *op;
    assert_ok(ctx, oclnn_resize_create(ctx, &p, &op));
    size_t goh, gow;
    assert_ok(ctx, oclnn_resize_reshape(op, rc->n, rc->c, rc->h, rc->w, &goh, &gow));
    if ((int)goh != oh || (int)gow != ow) fail_msg("%s: output %zux%zu, want %dx%d", rc->name, goh, gow, oh, ow);
    size_t nx = (size_t)rc->n * rc->c * rc->h * rc->w, ny = (size_t)rc->n * rc->c * oh * ow;
    int ctot = rc->c + rc->extra_c, coff = rc->extra_c / 2;
    size_t nyt = (size_t)rc->n * ctot * oh * ow;
    uint64_t seed = TEST_SEED;
    float *x = malloc(nx * 4), *y = malloc(nyt * 4);
    double *yr = malloc(ny * 8), maxabs = 0;
    for (size_t i = 0; i < nx; i++) {
        x[i] = test_rand_float(&seed, -3, 3);
        if (fabs(x[i]) > maxabs) maxabs = fabs(x[i]);
    }
    ref_resize(rc->n, rc->c, rc->h, rc->w, oh, ow, sh, sw, rc->mode, rc->coord, rc->nearest, x, yr);
    int64_t dx[4] = {rc->n, rc->c, rc->h, rc->w}, dy[4] = {rc->n, ctot, oh, ow};
    oclnn_tensor *tx, *ty;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &tx));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &ty));
    assert_ok(ctx, oclnn_tensor_write(tx, 0, nx * 4, x));
    for (size_t i = 0; i < nyt; i++) y[i] = SENTINEL;
    assert_ok(ctx, oclnn_tensor_write(ty, 0, nyt * 4, y));
    assert_ok(ctx, oclnn_resize_setup(op, tx, ty, (size_t)coff));
    assert_ok(ctx, oclnn_resize_enqueue(op, 0, NULL));
    assert_ok(ctx, oclnn_tensor_read(ty, 0, nyt * 4, y));
    double bound = LINEAR_TOL * maxabs;
    for (int n = 0; n < rc->n; n++)
        for (int ch = 0; ch < ctot; ch++)
            for (int i = 0; i < oh * ow; i++) {
                float got = y[((size_t)n * ctot + ch) * oh * ow + i];
                if (ch < coff || ch >= coff + rc->c) {
                    if (got != SENTINEL) fail_msg("%s: channel %d outside the slice was written", rc->name, ch);
                    continue;
                }
                double want = yr[((size_t)n * rc->c + ch - coff) * oh * ow + i];
                if (rc->mode == NEAR) {
                    float wf = (float)want; /* a copied input value: exact in float */
                    if (memcmp(&got, &wf, 4))
                        fail_msg("%s: n %d c %d pixel (%d, %d): got %.9g want %.9g", rc->name, n, ch - coff, i / ow,
                                 i % ow, (double)got, want);
                } else {
                    double err = fabs(got - want);
                    if (!(err <= bound))
                        fail_msg("%s: n %d c %d pixel (%d, %d): got %.9g want %.9g, err %.3g > bound %.3g", rc->name, n,
                                 ch - coff, i / ow, i % ow, (double)got, want, err, bound);
                    if (err / bound > worst_ratio) worst_ratio = err / bound;
                }
            }
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_resize_destroy(op);
    free(x);
    free(y);
    free(yr);
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
    printf("# resize: %d cases, nearest exact, linear worst |err| / (%.0e max|x|) = %.3g\n", ran, LINEAR_TOL,
           worst_ratio);
    oclnn_context_destroy(ctx);
}

/* Cubic mode against ref_resize_cubic: odd sizes, up and down, every coordinate mode, both A values the backend
 * tests use, exclude_outside. Bound: CUBIC_TOL * sum |w x| per output (weights can be negative; fp32 sums of 16
 * products). */
#define CUBIC_TOL 1e-6
typedef struct cubic_case {
    const char *name;
    int n, c, h, w, coord;
    float sh, sw;
    int oh, ow;
    float a;
    int exclude;
} cubic_case;

static const cubic_case cubic_cases[] = {
    {"cubic x2 half_pixel 7ch @13x17", 1, 7, 13, 17, HP, 2, 2, 0, 0, -0.75f, 0},
    {"cubic x0.6 half_pixel batch 2", 2, 3, 13, 17, HP, 0.6f, 0.6f, 0, 0, -0.75f, 0},
    {"cubic x1.7 x2.3 A -0.5 exclude_outside", 1, 3, 13, 17, HP, 1.7f, 2.3f, 0, 0, -0.5f, 1},
    {"cubic x0.8 A -0.5 exclude_outside", 1, 3, 13, 17, HP, 0.8f, 0.8f, 0, 0, -0.5f, 1},
    {"cubic sizes 13x17 -> 29x11 align_corners", 1, 3, 13, 17, AC, 0, 0, 29, 11, -0.75f, 0},
    {"cubic x0.8 x0.7 align_corners (scales: in * scale - 1)", 2, 3, 13, 17, AC, 0.8f, 0.7f, 0, 0, -0.75f, 0},
    {"cubic x3 asymmetric", 1, 3, 5, 9, AS, 3, 3, 0, 0, -0.75f, 0},
    {"cubic sizes -> 1 x 20 pytorch_half_pixel", 1, 3, 13, 17, PT, 0, 0, 1, 20, -0.75f, 0},
    {"cubic x1.5 half_pixel_symmetric", 1, 3, 13, 17, HPS, 1.5f, 1.3f, 0, 0, -0.75f, 0},
};

static void test_cubic(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    double worst = 0;
    for (size_t ci = 0; ci < sizeof cubic_cases / sizeof cubic_cases[0]; ci++) {
        const cubic_case *rc = &cubic_cases[ci];
        oclnn_resize_params p;
        oclnn_resize_params_init(&p);
        assert_true(p.cubic_coeff_a == -0.75f && p.exclude_outside == 0);
        p.mode = OCLNN_RESIZE_CUBIC;
        p.coord = (oclnn_resize_coord)rc->coord;
        p.scale_h = rc->sh, p.scale_w = rc->sw;
        p.out_height = (size_t)rc->oh, p.out_width = (size_t)rc->ow;
        p.cubic_coeff_a = rc->a;
        p.exclude_outside = rc->exclude;
        int oh = rc->oh ? rc->oh : (int)floor(rc->h * (double)rc->sh);
        int ow = rc->ow ? rc->ow : (int)floor(rc->w * (double)rc->sw);
        double sh = rc->oh ? (double)rc->oh / rc->h : rc->sh, sw = rc->ow ? (double)rc->ow / rc->w : rc->sw;
        oclnn_resize *op;
        assert_ok(ctx, oclnn_resize_create(ctx, &p, &op));
        size_t goh, gow;
        assert_ok(ctx, oclnn_resize_reshape(op, rc->n, rc->c, rc->h, rc->w, &goh, &gow));
        if ((int)goh != oh || (int)gow != ow) fail_msg("%s: output %zux%zu, want %dx%d", rc->name, goh, gow, oh, ow);
        size_t nx = (size_t)rc->n * rc->c * rc->h * rc->w, ny = (size_t)rc->n * rc->c * oh * ow;
        uint64_t seed = TEST_SEED ^ ci;
        float *x = malloc(nx * 4), *y = malloc(ny * 4);
        double *yr = malloc(ny * 8), *mag = malloc(ny * 8);
        for (size_t i = 0; i < nx; i++) x[i] = test_rand_float(&seed, -3, 3);
        ref_resize_cubic(rc->n, rc->c, rc->h, rc->w, oh, ow, sh, sw, rc->coord, rc->a, rc->exclude, x, yr, mag);
        int64_t dx[4] = {rc->n, rc->c, rc->h, rc->w}, dy[4] = {rc->n, rc->c, oh, ow};
        oclnn_tensor *tx, *ty;
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &tx));
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &ty));
        assert_ok(ctx, oclnn_tensor_write(tx, 0, nx * 4, x));
        assert_ok(ctx, oclnn_resize_setup(op, tx, ty, 0));
        assert_ok(ctx, oclnn_resize_enqueue(op, 0, NULL));
        assert_ok(ctx, oclnn_tensor_read(ty, 0, ny * 4, y));
        for (size_t i = 0; i < ny; i++) {
            double err = fabs(y[i] - yr[i]), bound = CUBIC_TOL * mag[i] + 1e-7;
            if (!(err <= bound))
                fail_msg("%s: element %zu: got %.9g want %.9g, err %.3g > bound %.3g", rc->name, i, (double)y[i],
                         yr[i], err, bound);
            if (err / bound > worst) worst = err / bound;
        }
        printf("  %s: %zu elements ok\n", rc->name, ny);
        oclnn_tensor_destroy(tx);
        oclnn_tensor_destroy(ty);
        oclnn_resize_destroy(op);
        free(x), free(y), free(yr), free(mag);
    }
    printf("# resize cubic: worst |err| / bound = %.3g\n", worst);
    oclnn_context_destroy(ctx);
}

/* Worked examples of the ONNX Resize documentation (its backend test cases), run through both the reference and
 * the operator: this is what ties the reference to the specification rather than to the kernels. */
typedef struct spec_example {
    const char *name;
    int h, w, mode, coord, nearest;
    float sh, sw;
    int oh, ow; /* sizes, or 0 with scales */
    float in[16];
    int eh, ew;
    float want[64];
} spec_example;

static const spec_example examples[] = {
    {"resize_upsample_scales_linear", 2, 2, LIN, HP, RPF, 2, 2, 0, 0, {1, 2, 3, 4}, 4, 4,
     {1, 1.25f, 1.75f, 2, 1.5f, 1.75f, 2.25f, 2.5f, 2.5f, 2.75f, 3.25f, 3.5f, 3, 3.25f, 3.75f, 4}},
    {"resize_upsample_scales_linear_align_corners", 2, 2, LIN, AC, RPF, 2, 2, 0, 0, {1, 2, 3, 4}, 4, 4,
     {1, 1.3333333f, 1.6666666f, 2, 1.6666666f, 2, 2.3333333f, 2.6666666f, 2.3333333f, 2.6666666f, 3, 3.3333333f, 3,
      3.3333333f, 3.6666666f, 4}},
    {"resize_downsample_scales_nearest", 2, 4, NEAR, HP, RPF, 0.6f, 0.6f, 0, 0, {1, 2, 3, 4, 5, 6, 7, 8}, 1, 2, {1, 3}},
    {"resize_downsample_scales_linear", 2, 4, LIN, HP, RPF, 0.6f, 0.6f, 0, 0, {1, 2, 3, 4, 5, 6, 7, 8}, 1, 2,
     {2.6666665f, 4.3333331f}},
    /* align_corners with scales: x_original = x * (in - 1) / (in * scale - 1), 2.4 - 1 here, not out - 1. */
    {"resize_downsample_scales_linear_align_corners", 2, 4, LIN, AC, RPF, 0.6f, 0.6f, 0, 0, {1, 2, 3, 4, 5, 6, 7, 8},
     1, 2, {1, 3.14285707f}},
    {"resize_upsample_scales_nearest", 2, 2, NEAR, HP, RPF, 2, 3, 0, 0, {1, 2, 3, 4}, 4, 6,
     {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4}},
    {"resize_upsample_sizes_nearest_ceil_half_pixel", 4, 4, NEAR, HP, CE, 0, 0, 8, 8,
     {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, 8, 8,
     {1, 2, 2, 3, 3, 4, 4, 4, 5, 6, 6, 7, 7, 8, 8, 8, 5, 6, 6, 7, 7, 8, 8, 8, 9, 10, 10, 11, 11, 12, 12, 12,
      9, 10, 10, 11, 11, 12, 12, 12, 13, 14, 14, 15, 15, 16, 16, 16, 13, 14, 14, 15, 15, 16, 16, 16,
      13, 14, 14, 15, 15, 16, 16, 16}},
    {"resize_upsample_sizes_nearest_floor_align_corners", 4, 4, NEAR, AC, FL, 0, 0, 8, 8,
     {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, 8, 8,
     {1, 1, 1, 2, 2, 3, 3, 4, 1, 1, 1, 2, 2, 3, 3, 4, 1, 1, 1, 2, 2, 3, 3, 4, 5, 5, 5, 6, 6, 7, 7, 8,
      5, 5, 5, 6, 6, 7, 7, 8, 9, 9, 9, 10, 10, 11, 11, 12, 9, 9, 9, 10, 10, 11, 11, 12, 13, 13, 13, 14, 14, 15, 15, 16}},
    {"resize_upsample_sizes_nearest_round_prefer_ceil_asymmetric", 4, 4, NEAR, AS, RPC, 0, 0, 8, 8,
     {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, 8, 8,
     {1, 2, 2, 3, 3, 4, 4, 4, 5, 6, 6, 7, 7, 8, 8, 8, 5, 6, 6, 7, 7, 8, 8, 8, 9, 10, 10, 11, 11, 12, 12, 12,
      9, 10, 10, 11, 11, 12, 12, 12, 13, 14, 14, 15, 15, 16, 16, 16, 13, 14, 14, 15, 15, 16, 16, 16,
      13, 14, 14, 15, 15, 16, 16, 16}},
};

static void test_spec_examples(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    for (size_t e = 0; e < sizeof examples / sizeof examples[0]; e++) {
        const spec_example *ex = &examples[e];
        int n = ex->eh * ex->ew;
        double sh = ex->oh ? (double)ex->oh / ex->h : ex->sh, sw = ex->ow ? (double)ex->ow / ex->w : ex->sw, ref[64];
        ref_resize(1, 1, ex->h, ex->w, ex->eh, ex->ew, sh, sw, ex->mode, ex->coord, ex->nearest, ex->in, ref);
        oclnn_resize_params p;
        oclnn_resize_params_init(&p);
        p.mode = (oclnn_resize_mode)ex->mode;
        p.coord = (oclnn_resize_coord)ex->coord;
        p.nearest_mode = (oclnn_resize_nearest_mode)ex->nearest;
        p.scale_h = ex->sh;
        p.scale_w = ex->sw;
        p.out_height = (size_t)ex->oh;
        p.out_width = (size_t)ex->ow;
        oclnn_resize *op;
        size_t oh, ow;
        assert_ok(ctx, oclnn_resize_create(ctx, &p, &op));
        assert_ok(ctx, oclnn_resize_reshape(op, 1, 1, ex->h, ex->w, &oh, &ow));
        if ((int)oh != ex->eh || (int)ow != ex->ew) fail_msg("%s: output %zux%zu", ex->name, oh, ow);
        int64_t dx[4] = {1, 1, ex->h, ex->w}, dy[4] = {1, 1, ex->eh, ex->ew};
        oclnn_tensor *tx, *ty;
        float got[64];
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &tx));
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &ty));
        assert_ok(ctx, oclnn_tensor_write(tx, 0, (size_t)ex->h * ex->w * 4, ex->in));
        assert_ok(ctx, oclnn_resize_setup(op, tx, ty, 0));
        assert_ok(ctx, oclnn_resize_enqueue(op, 0, NULL));
        assert_ok(ctx, oclnn_tensor_read(ty, 0, (size_t)n * 4, got));
        /* The documented values are printed to 8 digits: 1e-6 relative covers that rounding. */
        for (int i = 0; i < n; i++) {
            double tol = 1e-6 * fabs(ex->want[i]);
            if (!(fabs(ref[i] - ex->want[i]) <= tol))
                fail_msg("%s: reference element %d is %.9g, the specification says %.9g", ex->name, i, ref[i],
                         (double)ex->want[i]);
            if (!(fabs(got[i] - ex->want[i]) <= tol))
                fail_msg("%s: operator element %d is %.9g, the specification says %.9g", ex->name, i, (double)got[i],
                         (double)ex->want[i]);
        }
        oclnn_tensor_destroy(tx);
        oclnn_tensor_destroy(ty);
        oclnn_resize_destroy(op);
    }
    oclnn_context_destroy(ctx);
}

/* The accuracy checks can fail: a one-ulp change in a nearest result and an error just over the linear bound are
 * both caught. */
static void test_bounds_are_strict(void **state) {
    (void)state;
    float a = 1.5f, b = nextafterf(a, 2.0f);
    assert_true(memcmp(&a, &b, 4) != 0);
    double maxabs = 3, want = 1.0, wrong = want + 1.01 * LINEAR_TOL * maxabs;
    assert_false(fabs(wrong - want) <= LINEAR_TOL * maxabs);
    /* Picking the neighbouring sample in bilinear x2 (an error of ~1/4 of a pixel step) is far outside. */
    assert_true(0.25 * 1e-3 > LINEAR_TOL * maxabs);
}

typedef struct neg_case {
    const char *name;
    int field;
    double value;
    oclnn_status want;
    const char *msg;
} neg_case;

static const neg_case negs[] = {
    {"scale 0", 0, 0, OCLNN_STATUS_INVALID_ARGUMENT, "must be finite and > 0"},
    {"scale -2", 0, -2, OCLNN_STATUS_INVALID_ARGUMENT, "must be finite and > 0"},
    {"scale NaN", 0, NAN, OCLNN_STATUS_INVALID_ARGUMENT, "must be finite and > 0"},
    {"scale inf", 0, INFINITY, OCLNN_STATUS_INVALID_ARGUMENT, "must be finite and > 0"},
    {"mode 9", 1, 9, OCLNN_STATUS_INVALID_ARGUMENT, "mode 9"},
    {"cubic_coeff_a NaN", 5, NAN, OCLNN_STATUS_INVALID_ARGUMENT, "cubic_coeff_a must be finite"},
    {"tf_crop_and_resize", 2, OCLNN_RESIZE_TF_CROP_AND_RESIZE, OCLNN_STATUS_UNSUPPORTED, "tf_crop_and_resize"},
    {"coordinate mode 42", 2, 42, OCLNN_STATUS_INVALID_ARGUMENT, "coordinate_transformation_mode 42"},
    {"nearest_mode 5", 3, 5, OCLNN_STATUS_INVALID_ARGUMENT, "nearest_mode"},
    {"only one output size", 4, 10, OCLNN_STATUS_INVALID_ARGUMENT, "both output sizes"},
};

static void test_negative_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    for (size_t i = 0; i < sizeof negs / sizeof negs[0]; i++) {
        oclnn_resize_params p;
        oclnn_resize_params_init(&p);
        switch (negs[i].field) {
        case 0: p.scale_w = (float)negs[i].value; break;
        case 1: p.mode = (oclnn_resize_mode)(int)negs[i].value; break;
        case 2: p.coord = (oclnn_resize_coord)(int)negs[i].value; break;
        case 3: p.nearest_mode = (oclnn_resize_nearest_mode)(int)negs[i].value; break;
        case 5:
            p.mode = OCLNN_RESIZE_CUBIC;
            p.cubic_coeff_a = (float)negs[i].value;
            break;
        default: p.out_height = (size_t)negs[i].value; break;
        }
        oclnn_resize *op = (oclnn_resize *)ctx;
        oclnn_status st = oclnn_resize_create(ctx, &p, &op);
        if (st != negs[i].want)
            fail_msg("%s: got %s (%s), want %s", negs[i].name, oclnn_status_name(st), oclnn_last_error(ctx),
                     oclnn_status_name(negs[i].want));
        assert_null(op);
        if (!strstr(oclnn_last_error(ctx), negs[i].msg))
            fail_msg("%s: message '%s' lacks '%s'", negs[i].name, oclnn_last_error(ctx), negs[i].msg);
    }
    /* Shape and state errors. */
    oclnn_resize_params p;
    oclnn_resize_params_init(&p);
    p.scale_h = p.scale_w = 0.3f;
    oclnn_resize *op;
    assert_ok(ctx, oclnn_resize_create(ctx, &p, &op));
    assert_int_equal(oclnn_resize_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE);
    size_t oh, ow;
    assert_int_equal(oclnn_resize_reshape(op, 1, 3, 3, 9, &oh, &ow), OCLNN_STATUS_INVALID_SHAPE); /* floor(0.9) */
    assert_non_null(strstr(oclnn_last_error(ctx), "zero dimension"));
    assert_int_equal(oclnn_resize_reshape(op, 0, 3, 9, 9, &oh, &ow), OCLNN_STATUS_INVALID_SHAPE);
    int64_t dx[4] = {1, 3, 9, 9}, dy[4] = {1, 3, 2, 2}, dbad[4] = {1, 3, 2, 3};
    oclnn_tensor *tx, *ty, *tbad;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &tx));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &ty));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dbad, &tbad));
    assert_int_equal(oclnn_resize_setup(op, tx, ty, 0), OCLNN_STATUS_INVALID_STATE);
    assert_ok(ctx, oclnn_resize_reshape(op, 1, 3, 9, 9, &oh, &ow));
    assert_int_equal(oh, 2);
    assert_int_equal(oclnn_resize_setup(op, tx, tbad, 0), OCLNN_STATUS_INVALID_SHAPE);
    assert_int_equal(oclnn_resize_setup(op, tx, ty, 1), OCLNN_STATUS_INVALID_SHAPE); /* channel offset overflows */
    assert_int_equal(oclnn_resize_setup(op, tx, NULL, 0), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_int_equal(oclnn_resize_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE);
    assert_ok(ctx, oclnn_resize_setup(op, tx, ty, 0));
    assert_int_equal(oclnn_resize_enqueue(op, 3, NULL), OCLNN_STATUS_INVALID_ARGUMENT);
    oclnn_event *ev;
    assert_ok(ctx, oclnn_resize_enqueue(op, 0, &ev));
    assert_ok(ctx, oclnn_event_wait(ev));
    oclnn_event_destroy(ev);
    oclnn_resize_destroy(op);
    /* Input and output sharing memory is refused. */
    p.scale_h = p.scale_w = 1;
    assert_ok(ctx, oclnn_resize_create(ctx, &p, &op));
    assert_ok(ctx, oclnn_resize_reshape(op, 1, 3, 9, 9, NULL, NULL));
    assert_int_equal(oclnn_resize_setup(op, tx, tx, 0), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_non_null(strstr(oclnn_last_error(ctx), "overlap"));
    oclnn_resize_destroy(op);
    oclnn_resize_destroy(NULL);
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_tensor_destroy(tbad);
    oclnn_context_destroy(ctx);
}

/* Reshapes to other sizes (sizes-mode, so the factor changes) never build a program. */
static void test_reshape_never_recompiles(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    oclnn_resize_params p;
    oclnn_resize_params_init_upsample(&p, OCLNN_RESIZE_NEAREST);
    p.scale_h = p.scale_w = 2;
    oclnn_resize *op;
    assert_ok(ctx, oclnn_resize_create(ctx, &p, &op));
    oclnn_resize_params q;
    oclnn_resize_params_init_upsample(&q, OCLNN_RESIZE_LINEAR);
    q.out_height = 20;
    q.out_width = 30;
    oclnn_resize *lin;
    assert_ok(ctx, oclnn_resize_create(ctx, &q, &lin));
    oclnn_cache_stats s0, s1;
    oclnn_context_cache_stats(ctx, &s0);
    static const int sizes[][4] = {{1, 3, 5, 7}, {2, 4, 10, 15}, {1, 1, 27, 37}};
    for (int i = 0; i < 3; i++) {
        oclnn_resize *ops[2] = {op, lin};
        for (int k = 0; k < 2; k++) {
            size_t oh, ow;
            const int *s = sizes[i];
            assert_ok(ctx, oclnn_resize_reshape(ops[k], s[0], s[1], s[2], s[3], &oh, &ow));
            int64_t dx[4] = {s[0], s[1], s[2], s[3]}, dy[4] = {s[0], s[1], (int64_t)oh, (int64_t)ow};
            oclnn_tensor *tx, *ty;
            assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &tx));
            assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &ty));
            size_t nx = (size_t)s[0] * s[1] * s[2] * s[3], ny = (size_t)s[0] * s[1] * oh * ow;
            float *x = malloc(nx * 4), *y = malloc(ny * 4);
            double *yr = malloc(ny * 8);
            uint64_t seed = TEST_SEED + (uint64_t)i;
            for (size_t j = 0; j < nx; j++) x[j] = test_rand_float(&seed, -1, 1);
            assert_ok(ctx, oclnn_tensor_write(tx, 0, nx * 4, x));
            assert_ok(ctx, oclnn_resize_setup(ops[k], tx, ty, 0));
            assert_ok(ctx, oclnn_resize_enqueue(ops[k], 0, NULL));
            assert_ok(ctx, oclnn_tensor_read(ty, 0, ny * 4, y));
            double sh = k ? (double)oh / s[2] : 2, sw = k ? (double)ow / s[3] : 2;
            ref_resize(s[0], s[1], s[2], s[3], (int)oh, (int)ow, sh, sw, k, AS, FL, x, yr);
            for (size_t j = 0; j < ny; j++)
                if (!(fabs(y[j] - yr[j]) <= (k ? LINEAR_TOL : 0))) fail_msg("size %d op %d: element %zu", i, k, j);
            free(x);
            free(y);
            free(yr);
            oclnn_tensor_destroy(tx);
            oclnn_tensor_destroy(ty);
        }
    }
    oclnn_context_cache_stats(ctx, &s1);
    assert_int_equal(s1.source_builds, s0.source_builds);
    assert_int_equal(s1.disk_hits, s0.disk_hits);
    oclnn_resize_destroy(op);
    oclnn_resize_destroy(lin);
    oclnn_context_destroy(ctx);
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_table),        cmocka_unit_test(test_spec_examples),
        cmocka_unit_test(test_bounds_are_strict), cmocka_unit_test(test_negative_table),
        cmocka_unit_test(test_reshape_never_recompiles), cmocka_unit_test(test_cubic),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    return r || clw_live_objects() != 0;
}
