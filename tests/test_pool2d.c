/* test_pool2d.c - the pooling operators against the naive double reference (tests/ref/pool_ref.c): a case table
 * of odd sizes and every attribute, shapes from real networks, hand-checked output sizes, a negative table of
 * exact statuses, and failure sweeps.
 *
 * Accuracy contract, checked on every element:
 *  - max (window and global) and Lp with p = 1: exact.
 *  - average: |y - y_ref| <= 1e-6 * max|x in the window|. Inputs are multiples of 2^-10 in [-1, 1] ("grid"), so
 *    every partial sum of up to 2^14 of them is exact in fp32 whatever the order; only the division rounds, by at
 *    most 2.5 ulp (OpenCL 1.2), i.e. <= 5 * 2^-24 * |y| < 3e-7 * max|x|. Cases marked generic use arbitrary floats
 *    in [-1, 1] on at most 9 taps: (taps - 1) sum roundings plus the division stay below 13 * 2^-24 < 1e-6.
 *  - Lp with p = 2: |y - y_ref| <= 1e-6 * y_ref. On grid inputs with at most 16 taps the sum of squares is exact
 *    and only sqrt rounds (<= 3 ulp); generic 3x3 adds at most 9 * 2^-24 / 2 relative before the root.
 */
#include "common.h"

#include <float.h>
#include <math.h>

#include "device/clw.h"
#include "program/program.h"
#include "ref/pool_ref.h"

#define TOL 1e-6
#define SENTINEL 777.25f

enum { MAX = OCLNN_POOL_MAX, AVG = OCLNN_POOL_AVG, LP = OCLNN_POOL_LP, GMAX = OCLNN_POOL_GLOBAL_MAX,
       GAVG = OCLNN_POOL_GLOBAL_AVG };

typedef struct pool_case {
    const char *name;
    int type, n, c, h, w, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr;
    int auto_pad, ceil, cip, p;
    int extra_c; /* the output tensor has this many more channels; the result goes in the middle */
    int small;   /* also run on the slow rusticl device */
    int generic; /* arbitrary floats instead of the 2^-10 grid */
} pool_case;

/* name, type, n, c, h, w, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, auto_pad, ceil, cip, p, extra_c, small, generic */
static const pool_case cases[] = {
    {"max 1x1 s1 27x37", MAX, 1, 5, 27, 37, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 1},
    {"max 2x2 s2 27x37", MAX, 1, 5, 27, 37, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 1},
    {"max 2x2 s2 ceil 27x37", MAX, 1, 5, 27, 37, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 0, 1, 0, 2, 0, 1, 1},
    {"max 3x3 s2 13x14", MAX, 1, 6, 13, 14, 3, 3, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 1},
    {"max 3x3 s2 ceil 13x14", MAX, 1, 6, 13, 14, 3, 3, 2, 2, 1, 1, 0, 0, 0, 0, 0, 1, 0, 2, 0, 1, 1},
    {"max 3x3 s2 p1 ceil 7x7", MAX, 2, 4, 7, 7, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 0, 1, 0, 2, 0, 1, 1},
    {"max 4x4 s3 ceil 27x37", MAX, 1, 3, 27, 37, 4, 4, 3, 3, 1, 1, 1, 2, 3, 0, 0, 1, 0, 2, 0, 0, 1},
    {"max 3x3 s1 asymmetric pads", MAX, 1, 5, 13, 14, 3, 3, 1, 1, 1, 1, 0, 2, 1, 0, 0, 0, 0, 2, 0, 0, 1},
    {"max 3x2 d2 s1 p1", MAX, 1, 4, 27, 37, 3, 2, 1, 1, 2, 2, 1, 1, 2, 1, 0, 0, 0, 2, 0, 0, 1},
    {"max 3x3 d2 s2 ceil", MAX, 1, 4, 27, 37, 3, 3, 2, 2, 2, 2, 1, 0, 0, 1, 0, 1, 0, 2, 0, 1, 1},
    {"max 1x3 s1x3", MAX, 1, 3, 13, 14, 1, 3, 1, 3, 1, 1, 0, 1, 0, 1, 0, 0, 0, 2, 0, 0, 1},
    {"max SAME_UPPER k4 s2", MAX, 1, 5, 27, 36, 4, 4, 2, 2, 1, 1, 0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 1},
    {"max SAME_LOWER k4 s3", MAX, 1, 5, 13, 14, 4, 4, 3, 3, 1, 1, 0, 0, 0, 0, 2, 0, 0, 2, 0, 1, 1},
    {"max VALID k3 s2 ceil (pads ignored)", MAX, 1, 5, 26, 36, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 3, 1, 0, 2, 0, 0, 1},
    {"max batch 3 into channel offset", MAX, 3, 6, 13, 14, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 0, 2, 7, 1, 1},
    {"max window with no input (d3)", MAX, 1, 2, 2, 2, 2, 2, 1, 1, 3, 3, 1, 1, 1, 1, 0, 0, 0, 2, 0, 1, 1},
    /* sizes above 64: pool2d_large (loops, sizes as arguments) */
    {"max 67x5 d1x70 s65x2 large", MAX, 1, 3, 151, 291, 67, 5, 65, 2, 1, 70, 3, 1, 2, 4, 0, 1, 0, 2, 0, 1, 1},
    {"avg 3x70 s2 exclude pad large", AVG, 2, 2, 29, 157, 3, 70, 2, 2, 1, 1, 1, 5, 1, 9, 0, 0, 0, 2, 0, 1, 0},
    {"avg 66x3 s1x3 include pad ceil large", AVG, 1, 2, 97, 31, 66, 3, 1, 3, 1, 1, 2, 1, 0, 2, 0, 1, 1, 2, 4, 0, 0},
    {"avg 3x3 s1 p1 exclude pad", AVG, 1, 5, 27, 37, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 2, 0, 0, 0},
    {"avg 3x3 s1 p1 include pad", AVG, 1, 5, 27, 37, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 2, 0, 1, 0},
    {"avg 3x3 s2 ceil include pad 13x14", AVG, 1, 5, 13, 14, 3, 3, 2, 2, 1, 1, 0, 0, 0, 0, 0, 1, 1, 2, 0, 1, 0},
    {"avg 3x3 s2 ceil include pad p(1,1,0,0)", AVG, 1, 4, 27, 37, 3, 3, 2, 2, 1, 1, 1, 1, 0, 0, 0, 1, 1, 2, 0, 0, 0},
    {"avg 3x3 s2 ceil exclude pad 7x7", AVG, 2, 3, 7, 7, 3, 3, 2, 2, 1, 1, 1, 1, 0, 0, 0, 1, 0, 2, 0, 1, 0},
    {"avg 4x4 s3 ceil include pad asym", AVG, 1, 3, 27, 37, 4, 4, 3, 3, 1, 1, 3, 0, 1, 2, 0, 1, 1, 2, 0, 0, 0},
    {"avg 2x3 d2 s1 include pad", AVG, 1, 4, 13, 14, 2, 3, 1, 1, 2, 2, 1, 2, 1, 2, 0, 0, 1, 2, 0, 0, 0},
    {"avg 3x3 d2 s2 ceil exclude pad", AVG, 1, 4, 27, 37, 3, 3, 2, 2, 2, 2, 2, 2, 0, 1, 0, 1, 0, 2, 0, 0, 0},
    {"avg SAME_UPPER k4 s2 include pad", AVG, 1, 5, 27, 36, 4, 4, 2, 2, 1, 1, 0, 0, 0, 0, 1, 0, 1, 2, 0, 1, 0},
    {"avg SAME_LOWER k3 s1 exclude pad", AVG, 1, 5, 13, 14, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0, 2, 0, 0, 2, 0, 0, 0},
    {"avg SAME_LOWER k2 s2 include pad", AVG, 1, 5, 13, 14, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 2, 0, 1, 2, 0, 0, 0},
    {"avg VALID k3 s2 ceil include pad", AVG, 1, 5, 26, 36, 3, 3, 2, 2, 1, 1, 0, 0, 0, 0, 3, 1, 1, 2, 0, 0, 0},
    {"avg 2x2 s3 ceil drops a window in the pad", AVG, 1, 3, 6, 6, 2, 2, 3, 3, 1, 1, 0, 0, 1, 1, 0, 1, 1, 2, 0, 1, 0},
    {"avg 3x3 s2 p1 generic floats", AVG, 1, 5, 27, 37, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 0, 2, 0, 0, 1},
    {"avg batch 3 k2 s2 into channel offset", AVG, 3, 5, 27, 37, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 2, 4, 0, 0},
    {"avg window with no input (d3)", AVG, 1, 2, 2, 2, 2, 2, 1, 1, 3, 3, 1, 1, 1, 1, 0, 0, 0, 2, 0, 1, 0},
    {"lp p2 3x3 s2 p1 ceil", LP, 1, 5, 27, 37, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 0, 1, 0, 2, 0, 1, 0},
    {"lp p1 2x2 s2", LP, 2, 5, 13, 14, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0},
    {"lp p1 4x4 s1 SAME_UPPER", LP, 1, 3, 13, 14, 4, 4, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0},
    {"lp p2 3x3 s1 d2 generic floats", LP, 1, 4, 27, 37, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 0, 0, 0, 2, 0, 0, 1},
    {"global max 7x7 x512 (one work-item per channel)", GMAX, 1, 512, 7, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 1},
    {"global max 56x56 batch 3 x2 (work-group per channel)", GMAX, 3, 2, 56, 56, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 1},
    {"global max 27x37 x4 into channel offset", GMAX, 1, 4, 27, 37, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 5, 1, 1},
    {"global avg 7x7 batch 3 x19", GAVG, 3, 19, 7, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1, 0},
    {"global avg 1x1 x23", GAVG, 1, 23, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1, 0},
    {"global avg 56x56 x64 (one work-item per channel)", GAVG, 1, 64, 56, 56, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0},
    {"global avg 56x56 x3 (work-group per channel)", GAVG, 1, 3, 56, 56, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1, 0},
    {"global avg 13x14 x5 into channel offset", GAVG, 1, 5, 13, 14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 6, 1, 0},
    /* 3x3 s1 with one padding column each side and W > 8 runs its border columns in vectors (EDGE3 in
     * cl/pool2d.cl): W 9 (the border groups overlap), 16, 21; every mode; W 8 and a missing right pad keep the
     * scalar border columns. */
    {"max 3x3 s1 p1 W 9 border vectors", MAX, 1, 3, 9, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 2, 0, 1, 1},
    {"avg 3x3 s1 p1 exclude pad W 16", AVG, 2, 3, 11, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 2, 0, 1, 0},
    {"avg 3x3 s1 p1 include pad W 9 into offset", AVG, 1, 3, 5, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 2, 3, 1, 0},
    {"avg 3x3 s1 p1 exclude pad W 21 generic", AVG, 1, 3, 7, 21, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 2, 0, 1, 1},
    {"lp2 3x3 s1 p1 W 21", LP, 1, 3, 7, 21, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 2, 0, 1, 1},
    {"lp1 3x3 s1 p1 W 10", LP, 1, 2, 6, 10, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 1, 0},
    {"max 3x3 s1 p1 W 8 (scalar borders)", MAX, 1, 3, 6, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 2, 0, 1, 1},
    {"avg 3x3 s1 p(1,1,1,0) W 20 (scalar pads)", AVG, 1, 3, 7, 20, 3, 3, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 2, 0, 1, 0},
    /* Shapes from real networks (channels and windows as in the network). */
    {"VGG-16 pool1 max 2x2 s2 64 @112 (of 224)", MAX, 1, 64, 112, 112, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 1},
    {"ResNet-50 max 3x3 s2 p1 64 @112", MAX, 1, 64, 112, 112, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 0, 2, 0, 0, 1},
    {"GoogLeNet 3a pool max 3x3 s1 p1 192 @28 into concat", MAX, 1, 192, 28, 28, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 2, 64, 0, 1},
    {"GoogLeNet pool2 max 3x3 s2 ceil 192 @56", MAX, 1, 192, 56, 56, 3, 3, 2, 2, 1, 1, 0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 1},
    {"GoogLeNet pool1 max 3x3 s2 ceil 64 @112", MAX, 1, 64, 112, 112, 3, 3, 2, 2, 1, 1, 0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 1},
    {"Inception-v3 avg 3x3 s1 p1 exclude pad 192 @35", AVG, 1, 192, 35, 35, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 2, 0, 0, 0},
    {"Inception-v3 final avg 8x8 VALID 2048 @8", AVG, 1, 2048, 8, 8, 8, 8, 1, 1, 1, 1, 0, 0, 0, 0, 3, 0, 0, 2, 0, 0, 0},
    {"DenseNet-121 transition avg 2x2 s2 128 @56", AVG, 1, 128, 56, 56, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0},
    {"ResNet-50 global avg 2048 @7", GAVG, 1, 2048, 7, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0},
};

static double worst_ratio; /* largest |err| / bound over the elements with a nonzero bound */

/* ONNX output size and pads of one axis, computed here independently of the library (see oclnn_pool.h). */
static void ref_axis(int in, int k, int s, int d, int ap, int ceil_mode, int pb, int pe, int *out, int *pad_b,
                     int *pad_e) {
    int eff = d * (k - 1) + 1;
    if (ap == 1 || ap == 2) {
        *out = (in + s - 1) / s;
        int total = (*out - 1) * s + eff - in;
        if (total < 0) total = 0;
        *pad_b = ap == 1 ? total / 2 : total - total / 2;
        *pad_e = total - *pad_b;
        return;
    }
    if (ap == 3) pb = pe = 0;
    double q = (double)(in + pb + pe - eff) / s;
    *out = (int)(ceil_mode ? ceil(q) : floor(q)) + 1;
    if (ceil_mode && (*out - 1) * s >= in + pb) (*out)--; /* ONNX Runtime: no window starts in the end pad */
    *pad_b = pb;
    *pad_e = pe;
}

static void fill(float *v, size_t n, int generic, uint64_t *seed) {
    for (size_t i = 0; i < n; i++)
        v[i] = generic ? test_rand_float(seed, -1.0f, 1.0f)
                       : (float)((int)(test_rand_u64(seed) % 2049) - 1024) / 1024.0f;
}

/* The bound of one element (see the top of the file); 0 means the result must be exact. */
static double bound_of(int type, int p, double ref, double wmax) {
    if (type == AVG || type == GAVG) return TOL * wmax;
    if (type == LP && p == 2) return TOL * ref;
    return 0;
}

/* Number of elements of got (n x c x oh x ow) outside their bound; prints the first. */
static long check(const char *name, int type, int p, const float *got, const double *ref, const double *wmax,
                  size_t count, int quiet) {
    long bad = 0;
    for (size_t i = 0; i < count; i++) {
        double err = fabs((double)got[i] - ref[i]), bound = bound_of(type, p, ref[i], wmax[i]);
        if (!(err <= bound)) {
            if (!bad && !quiet)
                printf("# %s: element %zu: got %.9g want %.9g, err %.3g > bound %.3g (seed 0x%llx)\n", name, i,
                       (double)got[i], ref[i], err, bound, (unsigned long long)TEST_SEED);
            bad++;
        } else if (bound > 0 && err / bound > worst_ratio && !quiet) {
            worst_ratio = err / bound;
        }
    }
    return bad;
}

static void set_params(const pool_case *pc, oclnn_pool2d_params *p) {
    oclnn_pool2d_params_init(p);
    p->type = (oclnn_pool_type)pc->type;
    if (pc->type == GMAX || pc->type == GAVG) return;
    p->kernel_h = pc->kh;
    p->kernel_w = pc->kw;
    p->stride_h = pc->sh;
    p->stride_w = pc->sw;
    p->dilation_h = pc->dh;
    p->dilation_w = pc->dw;
    p->pad_top = pc->pt;
    p->pad_left = pc->pl;
    p->pad_bottom = pc->pb;
    p->pad_right = pc->pr;
    p->auto_pad = (oclnn_auto_pad)pc->auto_pad;
    p->ceil_mode = pc->ceil;
    p->count_include_pad = pc->cip;
    p->p = pc->p;
}

static void run_case(oclnn_context *ctx, const pool_case *pc) {
    uint64_t seed = TEST_SEED ^ (uint64_t)(pc - cases) * 0x9E3779B97F4A7C15ull;
    int global = pc->type == GMAX || pc->type == GAVG;
    int oh = 1, ow = 1, pt = 0, pl = 0, pb = 0, pr = 0;
    if (!global) {
        ref_axis(pc->h, pc->kh, pc->sh, pc->dh, pc->auto_pad, pc->ceil, pc->pt, pc->pb, &oh, &pt, &pb);
        ref_axis(pc->w, pc->kw, pc->sw, pc->dw, pc->auto_pad, pc->ceil, pc->pl, pc->pr, &ow, &pl, &pr);
    }
    size_t nx = (size_t)pc->n * pc->c * pc->h * pc->w, ny = (size_t)pc->n * pc->c * oh * ow;
    int ctot = pc->c + pc->extra_c, coff = pc->extra_c / 2;
    size_t nytot = (size_t)pc->n * ctot * oh * ow;
    float *x = malloc(nx * 4), *y = malloc(nytot * 4), *yc = malloc(ny * 4);
    double *yr = malloc(ny * 8), *wmax = malloc(ny * 8);
    fill(x, nx, pc->generic, &seed);
    pool_ref_params rp = {pc->type, pc->n, pc->c, pc->h, pc->w, pc->kh, pc->kw, pc->sh, pc->sw, pc->dh, pc->dw,
                          pt, pl, pb, pr, oh, ow, pc->cip, pc->p};
    pool_ref(&rp, x, yr, wmax);

    oclnn_pool2d_params p;
    set_params(pc, &p);
    oclnn_pool2d *op;
    assert_ok(ctx, oclnn_pool2d_create(ctx, &p, &op));
    size_t goh, gow;
    assert_ok(ctx, oclnn_pool2d_reshape(op, pc->n, pc->c, pc->h, pc->w, &goh, &gow));
    if ((int)goh != oh || (int)gow != ow) fail_msg("%s: output %zux%zu, want %dx%d", pc->name, goh, gow, oh, ow);
    int64_t dx[4] = {pc->n, pc->c, pc->h, pc->w}, dy[4] = {pc->n, ctot, oh, ow};
    oclnn_tensor *tx, *ty;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &tx));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &ty));
    assert_ok(ctx, oclnn_tensor_write(tx, 0, nx * 4, x));
    for (size_t i = 0; i < nytot; i++) y[i] = SENTINEL;
    assert_ok(ctx, oclnn_tensor_write(ty, 0, nytot * 4, y));
    assert_ok(ctx, oclnn_pool2d_setup(op, tx, ty, coff));
    assert_ok(ctx, oclnn_pool2d_enqueue(op, 0, NULL));
    assert_ok(ctx, oclnn_tensor_read(ty, 0, nytot * 4, y));
    size_t plane = (size_t)oh * ow;
    for (int n = 0; n < pc->n; n++)
        for (int ch = 0; ch < ctot; ch++) {
            const float *src = y + ((size_t)n * ctot + ch) * plane;
            if (ch >= coff && ch < coff + pc->c) {
                memcpy(yc + ((size_t)n * pc->c + ch - coff) * plane, src, plane * 4);
                continue;
            }
            for (size_t i = 0; i < plane; i++)
                if (src[i] != SENTINEL) fail_msg("%s: channel %d outside the slice was written", pc->name, ch);
        }
    if (check(pc->name, pc->type, pc->p, yc, yr, wmax, ny, 0)) fail_msg("%s: elements outside the bound", pc->name);
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_pool2d_destroy(op);
    free(x);
    free(y);
    free(yc);
    free(yr);
    free(wmax);
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
    printf("# pool2d: %d cases, worst |err|/bound %.3g (max and Lp p=1 exact, tol %.0e)\n", ran, worst_ratio, TOL);
    oclnn_context_destroy(ctx);
}

/* The checker catches the errors a pooling kernel can plausibly make: one grid step off in one input, the wrong
 * count_include_pad, a window one tap short. Each must put some element outside the bound. */
static void test_bound_can_fail(void **state) {
    (void)state;
    enum { N = 1, C = 2, H = 13, W = 14 };
    float x[N * C * H * W];
    uint64_t seed = TEST_SEED;
    fill(x, N * C * H * W, 0, &seed);
    for (int type = MAX; type <= AVG; type++) {
        pool_ref_params a = {type, N, C, H, W, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 7, 7, 0, 2};
        double ya[C * 49], yb[C * 49], wa[C * 49], wb[C * 49];
        float got[C * 49];
        pool_ref(&a, x, ya, wa);
        /* The largest input of the first window one grid step (2^-10) larger. */
        float x2[N * C * H * W];
        memcpy(x2, x, sizeof x);
        int at = 0;
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
                if (x[i * W + j] > x[at]) at = i * W + j;
        x2[at] = x[at] + 1.0f / 1024;
        pool_ref(&a, x2, yb, wb);
        for (int i = 0; i < C * 49; i++) got[i] = (float)yb[i];
        assert_true(check("perturbed", type, 2, got, ya, wa, C * 49, 1) > 0);
        /* A 3x2 window instead of 3x3. */
        pool_ref_params b = a;
        b.kw = 2;
        pool_ref(&b, x, yb, wb);
        for (int i = 0; i < C * 49; i++) got[i] = (float)yb[i];
        assert_true(check("short window", type, 2, got, ya, wa, C * 49, 1) > 0);
        if (type == AVG) {
            b = a;
            b.count_include_pad = 1;
            pool_ref(&b, x, yb, wb);
            for (int i = 0; i < C * 49; i++) got[i] = (float)yb[i];
            assert_true(check("count_include_pad", type, 2, got, ya, wa, C * 49, 1) > 0);
        }
    }
}

/* Output sizes worked out by hand, including ONNX Runtime's dropped last ceil_mode window. */
static void test_output_sizes(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    static const struct {
        int in, k, s, d, pb, pe, ap, ceil, want;
    } t[] = {
        {112, 3, 2, 1, 0, 0, 0, 1, 56}, /* GoogLeNet pool1 */
        {112, 3, 2, 1, 0, 0, 0, 0, 55},
        {112, 3, 2, 1, 1, 1, 0, 0, 56}, /* ResNet stem pool */
        {13, 3, 2, 1, 0, 0, 0, 1, 6},   /* (13 - 3) / 2 = 5 exactly: ceil changes nothing */
        {14, 3, 2, 1, 0, 0, 0, 1, 7},
        {14, 3, 2, 1, 0, 0, 0, 0, 6},
        {6, 2, 3, 1, 0, 1, 0, 1, 2},    /* ceil gives 3, but the third window would start at 6 = in: dropped */
        {6, 2, 3, 1, 0, 1, 0, 0, 2},
        {7, 3, 2, 2, 1, 0, 0, 1, 3},    /* dilated: eff 5, (8 - 5) / 2 = 1.5 -> 3 */
        {26, 3, 2, 1, 1, 1, 3, 1, 13},  /* VALID ignores pads, keeps ceil_mode: (26 - 3) / 2 = 11.5 -> 13 */
        {26, 3, 2, 1, 1, 1, 3, 0, 12},
        {27, 4, 2, 1, 0, 0, 1, 0, 14},  /* SAME: ceil(27 / 2) */
        {27, 4, 2, 1, 0, 0, 2, 1, 14},  /* SAME ignores ceil_mode */
        {3, 3, 1, 1, 0, 0, 0, 0, 1},    /* window = input */
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        oclnn_pool2d_params p;
        oclnn_pool2d_params_init(&p);
        p.kernel_h = p.kernel_w = t[i].k;
        p.stride_h = p.stride_w = t[i].s;
        p.dilation_h = p.dilation_w = t[i].d;
        p.pad_top = p.pad_left = t[i].pb;
        p.pad_bottom = p.pad_right = t[i].pe;
        p.auto_pad = (oclnn_auto_pad)t[i].ap;
        p.ceil_mode = t[i].ceil;
        oclnn_pool2d *op;
        assert_ok(ctx, oclnn_pool2d_create(ctx, &p, &op));
        size_t oh = 0, ow = 0;
        assert_ok(ctx, oclnn_pool2d_reshape(op, 1, 1, t[i].in, t[i].in, &oh, &ow));
        if ((int)oh != t[i].want || (int)ow != t[i].want) fail_msg("row %zu: %zu, want %d", i, oh, t[i].want);
        int o, a, b;
        ref_axis(t[i].in, t[i].k, t[i].s, t[i].d, t[i].ap, t[i].ceil, t[i].pb, t[i].pe, &o, &a, &b);
        if (o != t[i].want) fail_msg("row %zu: the test's own ref_axis says %d", i, o);
        oclnn_pool2d_destroy(op);
    }
    oclnn_context_destroy(ctx);
}

/* Impossible configurations get their exact status and a message naming the rule. */
static void test_negative_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    static const struct {
        const char *name, *msg;
        int field, value;
        oclnn_status want;
    } bad[] = {
        {"type 5", "not a pooling type", 0, 5, OCLNN_STATUS_INVALID_ARGUMENT},
        {"type -1", "not a pooling type", 0, -1, OCLNN_STATUS_INVALID_ARGUMENT},
        {"kernel 0", "kernel", 1, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"stride 0", "stride", 2, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"dilation 0", "dilation", 3, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"pad = kernel", "smaller than the kernel", 4, 3, OCLNN_STATUS_INVALID_ARGUMENT},
        {"pad > kernel", "smaller than the kernel", 5, 7, OCLNN_STATUS_INVALID_ARGUMENT},
        {"auto_pad 4", "auto_pad", 6, 4, OCLNN_STATUS_INVALID_ARGUMENT},
        {"ceil_mode 2", "ceil_mode", 7, 2, OCLNN_STATUS_INVALID_ARGUMENT},
        {"count_include_pad -1", "count_include_pad", 8, -1, OCLNN_STATUS_INVALID_ARGUMENT},
        {"Lp p 0", "p >= 1", 9, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"Lp p 3", "p = 1 and 2", 9, 3, OCLNN_STATUS_UNSUPPORTED},
        {"kernel 2^20 + 1", "above 1048576", 1, (1 << 20) + 1, OCLNN_STATUS_UNSUPPORTED},
        {"stride 2^20 + 1", "above 1048576", 2, (1 << 20) + 1, OCLNN_STATUS_UNSUPPORTED},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        oclnn_pool2d_params p;
        oclnn_pool2d_params_init(&p);
        p.kernel_h = p.kernel_w = 3;
        switch (bad[i].field) {
        case 0: p.type = (oclnn_pool_type)bad[i].value; break;
        case 1: p.kernel_w = bad[i].value; break;
        case 2: p.stride_h = bad[i].value; break;
        case 3: p.dilation_w = bad[i].value; break;
        case 4: p.pad_bottom = bad[i].value; break;
        case 5: p.pad_left = bad[i].value; break;
        case 6: p.auto_pad = (oclnn_auto_pad)bad[i].value; break;
        case 7: p.ceil_mode = bad[i].value; break;
        case 8:
            p.type = OCLNN_POOL_AVG;
            p.count_include_pad = bad[i].value;
            break;
        case 9:
            p.type = OCLNN_POOL_LP;
            p.p = bad[i].value;
            break;
        }
        oclnn_pool2d *op = (oclnn_pool2d *)ctx;
        oclnn_status st = oclnn_pool2d_create(ctx, &p, &op);
        if (st != bad[i].want)
            fail_msg("%s: got %s (%s), want %s", bad[i].name, oclnn_status_name(st), oclnn_last_error(ctx),
                     oclnn_status_name(bad[i].want));
        assert_null(op);
        if (!strstr(oclnn_last_error(ctx), bad[i].msg))
            fail_msg("%s: message '%s' lacks '%s'", bad[i].name, oclnn_last_error(ctx), bad[i].msg);
    }
    oclnn_pool2d *op = (oclnn_pool2d *)ctx;
    assert_int_equal(oclnn_pool2d_create(ctx, NULL, &op), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_null(op);
    /* Pads are not checked when auto_pad replaces them, nor any window field for the global types. */
    oclnn_pool2d_params p;
    oclnn_pool2d_params_init(&p);
    p.kernel_h = p.kernel_w = 3;
    p.pad_top = 9;
    p.auto_pad = OCLNN_AUTO_PAD_VALID;
    assert_ok(ctx, oclnn_pool2d_create(ctx, &p, &op));
    oclnn_pool2d_destroy(op);
    oclnn_pool2d_params_init(&p);
    p.type = OCLNN_POOL_GLOBAL_AVG;
    p.kernel_h = p.stride_w = 0;
    assert_ok(ctx, oclnn_pool2d_create(ctx, &p, &op));
    oclnn_pool2d_destroy(op);

    /* Shape and state errors. */
    oclnn_pool2d_params_init(&p);
    p.kernel_h = p.kernel_w = 5;
    p.stride_h = p.stride_w = 2;
    p.pad_top = p.pad_bottom = 1;
    assert_ok(ctx, oclnn_pool2d_create(ctx, &p, &op));
    assert_int_equal(oclnn_pool2d_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE);
    int64_t dx[4] = {2, 3, 9, 9}, dy[4] = {2, 3, 4, 3}, dwide[4] = {2, 5, 4, 3}, dbad[4] = {2, 3, 4, 4};
    oclnn_tensor *tx, *ty, *twide, *tbad;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &tx));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &ty));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dwide, &twide));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dbad, &tbad));
    assert_int_equal(oclnn_pool2d_setup(op, tx, ty, 0), OCLNN_STATUS_INVALID_STATE);
    size_t oh, ow;
    /* The 5-wide window does not fit 4 columns (no left/right pads); 3 rows + 2 pad rows are exactly enough. */
    assert_int_equal(oclnn_pool2d_reshape(op, 2, 3, 9, 4, &oh, &ow), OCLNN_STATUS_INVALID_SHAPE);
    assert_non_null(strstr(oclnn_last_error(ctx), "larger than the padded input"));
    assert_int_equal(oclnn_pool2d_reshape(op, 2, 3, 2, 9, &oh, &ow), OCLNN_STATUS_INVALID_SHAPE);
    assert_ok(ctx, oclnn_pool2d_reshape(op, 2, 3, 3, 9, &oh, &ow));
    assert_int_equal(oclnn_pool2d_reshape(op, 0, 3, 9, 9, &oh, &ow), OCLNN_STATUS_INVALID_SHAPE);
    assert_int_equal(oclnn_pool2d_reshape(op, 2, 0, 9, 9, &oh, &ow), OCLNN_STATUS_INVALID_SHAPE);
    assert_ok(ctx, oclnn_pool2d_reshape(op, 2, 3, 9, 9, &oh, &ow));
    assert_int_equal(oh, 4);
    assert_int_equal(ow, 3);
    assert_int_equal(oclnn_pool2d_setup(op, tx, tbad, 0), OCLNN_STATUS_INVALID_SHAPE);
    assert_int_equal(oclnn_pool2d_setup(op, tx, ty, 1), OCLNN_STATUS_INVALID_SHAPE); /* offset overflows */
    assert_int_equal(oclnn_pool2d_setup(op, tx, twide, 3), OCLNN_STATUS_INVALID_SHAPE);
    assert_int_equal(oclnn_pool2d_setup(op, ty, ty, 0), OCLNN_STATUS_INVALID_SHAPE);
    assert_int_equal(oclnn_pool2d_setup(op, tx, NULL, 0), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_ok(ctx, oclnn_pool2d_setup(op, tx, twide, 2));
    assert_int_equal(oclnn_pool2d_enqueue(op, 5, NULL), OCLNN_STATUS_INVALID_ARGUMENT);
    oclnn_event *ev;
    assert_ok(ctx, oclnn_pool2d_enqueue(op, 0, &ev));
    assert_ok(ctx, oclnn_event_wait(ev));
    oclnn_event_destroy(ev);
    /* A reshape unbinds the tensors: their shapes are kernel arguments. */
    assert_ok(ctx, oclnn_pool2d_reshape(op, 2, 3, 9, 9, &oh, &ow));
    assert_int_equal(oclnn_pool2d_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE);
    oclnn_pool2d_destroy(op);
    /* Input and output sharing memory is refused. */
    int64_t dsq[4] = {1, 2, 9, 9};
    oclnn_tensor *tsq;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dsq, &tsq));
    oclnn_pool2d_params_init(&p);
    p.kernel_h = p.kernel_w = 3;
    p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = 1;
    assert_ok(ctx, oclnn_pool2d_create(ctx, &p, &op));
    assert_ok(ctx, oclnn_pool2d_reshape(op, 1, 2, 9, 9, NULL, NULL));
    assert_int_equal(oclnn_pool2d_setup(op, tsq, tsq, 0), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_non_null(strstr(oclnn_last_error(ctx), "overlap"));
    oclnn_pool2d_destroy(op);
    oclnn_pool2d_destroy(NULL);
    oclnn_tensor_destroy(tsq);
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_tensor_destroy(twide);
    oclnn_tensor_destroy(tbad);
    oclnn_context_destroy(ctx);
}

/* Runs one operator over an n x c x h x w input and checks it against the reference. */
static void run_shape(oclnn_context *ctx, oclnn_pool2d *op, const oclnn_pool2d_params *p, int n, int c, int h, int w,
                      uint64_t *seed) {
    size_t oh, ow;
    assert_ok(ctx, oclnn_pool2d_reshape(op, n, c, h, w, &oh, &ow));
    int64_t dx[4] = {n, c, h, w}, dy[4] = {n, c, (int64_t)oh, (int64_t)ow};
    oclnn_tensor *tx, *ty;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &tx));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &ty));
    size_t nx = (size_t)n * c * h * w, ny = (size_t)n * c * oh * ow;
    float *x = malloc(nx * 4), *y = malloc(ny * 4);
    double *yr = malloc(ny * 8), *wm = malloc(ny * 8);
    fill(x, nx, 0, seed);
    assert_ok(ctx, oclnn_tensor_write(tx, 0, nx * 4, x));
    assert_ok(ctx, oclnn_pool2d_setup(op, tx, ty, 0));
    assert_ok(ctx, oclnn_pool2d_enqueue(op, 0, NULL));
    assert_ok(ctx, oclnn_tensor_read(ty, 0, ny * 4, y));
    pool_ref_params rp = {p->type, n, c, h, w, (int)p->kernel_h, (int)p->kernel_w, (int)p->stride_h,
                          (int)p->stride_w, (int)p->dilation_h, (int)p->dilation_w, (int)p->pad_top,
                          (int)p->pad_left, (int)p->pad_bottom, (int)p->pad_right, (int)oh, (int)ow,
                          p->count_include_pad, (int)p->p};
    pool_ref(&rp, x, yr, wm);
    if (check("reshape", p->type, (int)p->p, y, yr, wm, ny, 0)) fail_msg("%dx%dx%dx%d: outside the bound", n, c, h, w);
    free(x);
    free(y);
    free(yr);
    free(wm);
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
}

/* A reshape to another size reuses the compiled program, also when global pooling switches between its one
 * work-item per channel and work-group per channel kernels. */
static void test_reshape_never_recompiles(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    uint64_t seed = TEST_SEED;
    for (int global = 0; global < 2; global++) {
        oclnn_pool2d_params p;
        oclnn_pool2d_params_init(&p);
        p.type = global ? OCLNN_POOL_GLOBAL_AVG : OCLNN_POOL_AVG;
        p.kernel_h = p.kernel_w = 3;
        p.stride_h = p.stride_w = 2;
        p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = 1;
        p.ceil_mode = 1;
        oclnn_pool2d *op;
        assert_ok(ctx, oclnn_pool2d_create(ctx, &p, &op));
        oclnn_cache_stats s0, s1;
        oclnn_context_cache_stats(ctx, &s0);
        static const int sizes[][4] = {{1, 3, 56, 56}, {2, 40, 7, 7}, {1, 2, 3, 31}, {3, 1, 20, 9}};
        for (int i = 0; i < 4; i++) run_shape(ctx, op, &p, sizes[i][0], sizes[i][1], sizes[i][2], sizes[i][3], &seed);
        oclnn_context_cache_stats(ctx, &s1);
        assert_int_equal(s1.source_builds, s0.source_builds);
        assert_int_equal(s1.disk_hits, s0.disk_hits);
        assert_int_equal(s1.memory_hits, s0.memory_hits);
        oclnn_pool2d_destroy(op);
    }
    oclnn_context_destroy(ctx);
}

/* The configurations of real networks are among the registry's variants, written as the operator asks. */
static void test_prebuild_covers_operator(void **state) {
    (void)state;
    const char *dir = test_tmpdir("prebuild");
    oclnn_context *warm = test_context(dir);
    assert_ok(warm, oclnn_context_prebuild_all(warm, NULL));
    oclnn_context_destroy(warm);
    oclnn_context *ctx = test_context(dir);
    static const struct {
        int type, k, s, pad, ceil, cip;
    } cfg[] = {
        {MAX, 3, 2, 1, 0, 0}, {MAX, 3, 2, 0, 1, 0}, {MAX, 2, 2, 0, 0, 0}, {MAX, 3, 1, 1, 0, 0},
        {AVG, 3, 1, 1, 0, 0}, {AVG, 2, 2, 0, 0, 0}, {AVG, 3, 2, 1, 0, 0}, {GAVG, 0, 0, 0, 0, 0},
        {GMAX, 0, 0, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cfg / sizeof cfg[0]; i++) {
        oclnn_pool2d_params p;
        oclnn_pool2d_params_init(&p);
        p.type = (oclnn_pool_type)cfg[i].type;
        if (cfg[i].k) p.kernel_h = p.kernel_w = cfg[i].k;
        if (cfg[i].s) p.stride_h = p.stride_w = cfg[i].s;
        p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = cfg[i].pad;
        p.ceil_mode = cfg[i].ceil;
        p.count_include_pad = cfg[i].cip;
        oclnn_pool2d *op;
        assert_ok(ctx, oclnn_pool2d_create(ctx, &p, &op));
        oclnn_pool2d_destroy(op);
        oclnn_cache_stats s;
        oclnn_context_cache_stats(ctx, &s);
        if (s.source_builds) fail_msg("configuration %zu is not among the registry's variants", i);
    }
    oclnn_context_destroy(ctx);
}

/* Every OpenCL allocation and enqueue of the lifecycle, and every host allocation, made to fail in turn: each
 * run ends in OK or a clean status, and leaves nothing behind. */
static void test_failure_sweep(void **state) {
    (void)state;
    test_alloc ta;
    test_alloc_init(&ta);
    oclnn_context_options o;
    test_options(&o, NULL);
    o.allocator = &ta.hooks;
    o.log_level = OCLNN_LOG_NONE;
    oclnn_context *ctx;
    assert_ok(NULL, oclnn_context_create(&o, &ctx));
    int64_t dx[4] = {1, 3, 9, 9}, dy[4] = {1, 3, 1, 1};
    oclnn_tensor *tx, *ty;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &tx));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &ty));
    /* One clean run first: the context's program cache keeps what it built, which is not a leak. */
    oclnn_pool2d_params p0;
    oclnn_pool2d_params_init(&p0);
    p0.type = OCLNN_POOL_GLOBAL_MAX;
    oclnn_pool2d *op0;
    assert_ok(ctx, oclnn_pool2d_create(ctx, &p0, &op0));
    oclnn_pool2d_destroy(op0);
    long live0 = ta.live;
    int64_t objs0 = clw_live_objects();
    static const clw_fault_kind kinds[] = {CLW_FAULT_ALLOC, CLW_FAULT_ENQUEUE};
    for (int mode = 0; mode < 3; mode++) {
        for (uint64_t k = 1;; k++) {
            clw_fault_reset();
            ta.fail_at = 0;
            if (mode < 2)
                clw_fault_set(kinds[mode], k);
            else
                ta.fail_at = ta.calls + (long)k;
            oclnn_pool2d_params p;
            oclnn_pool2d_params_init(&p);
            p.type = OCLNN_POOL_GLOBAL_MAX;
            oclnn_pool2d *op = NULL;
            oclnn_status st = oclnn_pool2d_create(ctx, &p, &op);
            if (!st) st = oclnn_pool2d_reshape(op, 1, 3, 9, 9, NULL, NULL);
            if (!st) st = oclnn_pool2d_setup(op, tx, ty, 0);
            if (!st) st = oclnn_pool2d_enqueue(op, 0, NULL);
            if (!st) st = oclnn_context_finish(ctx);
            oclnn_pool2d_destroy(op);
            int fired = mode < 2 ? clw_calls(kinds[mode]) >= k : ta.calls >= ta.fail_at;
            clw_fault_reset();
            ta.fail_at = 0;
            if (st && !*oclnn_last_error(ctx)) fail_msg("mode %d, fault %llu: status without a message", mode, (unsigned long long)k);
            if (ta.live != live0 || clw_live_objects() != objs0)
                fail_msg("mode %d, fault %llu: leaked %ld host allocations, %lld OpenCL objects", mode,
                         (unsigned long long)k, ta.live - live0, (long long)(clw_live_objects() - objs0));
            if (!fired) {
                assert_ok(ctx, st);
                break;
            }
        }
    }
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_context_destroy(ctx);
    assert_int_equal(ta.live, 0);
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_table),          cmocka_unit_test(test_bound_can_fail),
        cmocka_unit_test(test_output_sizes),        cmocka_unit_test(test_negative_table),
        cmocka_unit_test(test_reshape_never_recompiles), cmocka_unit_test(test_prebuild_covers_operator),
        cmocka_unit_test(test_failure_sweep),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    return r || clw_live_objects() != 0;
}
