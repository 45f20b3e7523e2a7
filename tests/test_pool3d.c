/* test_pool3d.c - the rank-based pooling operator (oclnn_pool) against the naive N-D double reference
 * (tests/ref/poolnd_ref.c): a 3-D case table of odd volumes and every attribute, 1-D and 2-D cases through the same
 * API, hand-checked output sizes, a negative table of exact statuses, a no-recompile check and fault sweeps.
 *
 * Accuracy contract, checked on every element (u = 2^-24; rank 3 runs as an (H, W) pass then a depth pass):
 *  - max (window and global) and Lp with p = 1: exact. Lp p = 1 is exact because the inputs are multiples of 2^-10
 *    in [-1, 1] ("grid") for every non-max case: every partial sum of up to 2^14 of them is exact in fp32.
 *  - average: |y - y_ref| <= 1e-6 * max|x in the window|. On grid inputs the first pass's sums are exact; its
 *    division rounds by <= 2.5 u |v| (OpenCL 1.2); the depth pass sums kd values of magnitude <= max|x| with
 *    kd - 1 roundings and divides once more: in all <= (kd + 4) u max|x|, below 1e-6 for kd <= 12 (this table's
 *    largest depth window has 3 taps). Ranks 1 and 2 have one division only.
 *  - Lp with p = 2: |y - y_ref| <= 1e-6 * y_ref. On grid inputs with at most 16 (H, W) taps the first sum of squares
 *    is exact; sqrt rounds by <= 3 u; squaring again, the depth sum of kd positive terms and the last sqrt give
 *    <= ((7 + kd - 1) / 2 + 3) u relative, 7.5 u for kd = 3.
 */
#include "common.h"

#include <float.h>
#include <math.h>

#include "device/clw.h"
#include "op_faults.h"
#include "ref/poolnd_ref.h"

#define TOL 1e-6
#define SENTINEL 777.25f

enum { MAX = OCLNN_POOL_MAX, AVG = OCLNN_POOL_AVG, LP = OCLNN_POOL_LP, GMAX = OCLNN_POOL_GLOBAL_MAX,
       GAVG = OCLNN_POOL_GLOBAL_AVG };
enum { NOTSET = 0, UPPER = 1, LOWER = 2, VALID = 3 };

typedef struct pool_case {
    const char *name;
    int type, rank, n, c;
    int in[3], k[3], s[3], d[3], pb[3], pe[3];
    int auto_pad, ceil, cip, p;
    int extra_c; /* the output tensor has this many more channels; the result goes in the middle */
    int small;   /* also run on the slow devices */
    int generic; /* arbitrary floats in [-1, 1] instead of the grid (max only) */
} pool_case;

#define V3(a, b, c) {a, b, c}
/* name, type, rank, n, c, in, k, s, d, pad_begin, pad_end, auto_pad, ceil, cip, p, extra_c, small, generic */
static const pool_case cases[] = {
    /* 3-D: D x H x W */
    {"max 3x3x3 s1 p1 5x9x11 batch 2", MAX, 3, 2, 3, V3(5, 9, 11), V3(3, 3, 3), V3(1, 1, 1), V3(1, 1, 1), V3(1, 1, 1),
     V3(1, 1, 1), NOTSET, 0, 0, 2, 0, 1, 1},
    {"max 2x2x2 s2 5x9x11", MAX, 3, 1, 5, V3(5, 9, 11), V3(2, 2, 2), V3(2, 2, 2), V3(1, 1, 1), V3(0, 0, 0),
     V3(0, 0, 0), NOTSET, 0, 0, 2, 0, 0, 1},
    {"max 2x2x2 s2 ceil 5x9x11", MAX, 3, 1, 3, V3(5, 9, 11), V3(2, 2, 2), V3(2, 2, 2), V3(1, 1, 1), V3(0, 0, 0),
     V3(0, 0, 0), NOTSET, 1, 0, 2, 0, 1, 1},
    {"max 3x3x3 stride 2 in depth only, asymmetric pads", MAX, 3, 2, 3, V3(5, 9, 11), V3(3, 3, 3), V3(2, 1, 1),
     V3(1, 1, 1), V3(1, 0, 2), V3(0, 2, 1), NOTSET, 0, 0, 2, 0, 1, 1},
    {"max 3x3x3 dilation 2 p2", MAX, 3, 1, 3, V3(5, 9, 11), V3(3, 3, 3), V3(1, 1, 1), V3(2, 2, 2), V3(2, 2, 1),
     V3(2, 1, 2), NOTSET, 0, 0, 2, 0, 0, 1},
    {"max 3x3x3 dilation (2,1,2) s2 ceil", MAX, 3, 1, 5, V3(5, 9, 11), V3(3, 3, 3), V3(2, 2, 2), V3(2, 1, 2),
     V3(1, 0, 1), V3(0, 1, 0), NOTSET, 1, 0, 2, 0, 1, 1},
    {"max 1x3x3 s(1,2,2) p(0,1,1)", MAX, 3, 1, 7, V3(5, 9, 11), V3(1, 3, 3), V3(1, 2, 2), V3(1, 1, 1), V3(0, 1, 1),
     V3(0, 1, 1), NOTSET, 0, 0, 2, 0, 0, 1},
    {"max 3x3x3 VALID s2 ceil (pads ignored)", MAX, 3, 1, 3, V3(6, 9, 10), V3(3, 3, 3), V3(2, 2, 2), V3(1, 1, 1),
     V3(2, 2, 2), V3(2, 2, 2), VALID, 1, 0, 2, 0, 0, 1},
    {"max 3x2x3 SAME_UPPER s2", MAX, 3, 1, 3, V3(5, 9, 11), V3(3, 2, 3), V3(2, 2, 2), V3(1, 1, 1), V3(0, 0, 0),
     V3(0, 0, 0), UPPER, 0, 0, 2, 0, 0, 1},
    {"max 2x2x2 s2 batch 2 into channel offset", MAX, 3, 2, 3, V3(5, 9, 11), V3(2, 2, 2), V3(2, 2, 2), V3(1, 1, 1),
     V3(0, 1, 0), V3(1, 0, 1), NOTSET, 1, 0, 2, 5, 1, 1},
    {"max window with no input (d3)", MAX, 3, 1, 2, V3(2, 2, 2), V3(2, 2, 2), V3(1, 1, 1), V3(3, 3, 3), V3(1, 1, 1),
     V3(1, 1, 1), NOTSET, 0, 0, 2, 0, 1, 1},
    {"max 66x2x3 depth above 64 (pool2d_large)", MAX, 3, 1, 2, V3(67, 5, 6), V3(66, 2, 3), V3(1, 2, 1), V3(1, 1, 1),
     V3(0, 1, 1), V3(0, 0, 1), NOTSET, 0, 0, 2, 0, 0, 1},
    {"avg 3x3x3 s1 p1 exclude pad batch 2", AVG, 3, 2, 3, V3(5, 9, 11), V3(3, 3, 3), V3(1, 1, 1), V3(1, 1, 1),
     V3(1, 1, 1), V3(1, 1, 1), NOTSET, 0, 0, 2, 0, 1, 0},
    {"avg 3x3x3 s1 p1 include pad", AVG, 3, 1, 5, V3(5, 9, 11), V3(3, 3, 3), V3(1, 1, 1), V3(1, 1, 1), V3(1, 1, 1),
     V3(1, 1, 1), NOTSET, 0, 1, 2, 0, 1, 0},
    {"avg 2x2x2 s2 ceil include pad", AVG, 3, 1, 3, V3(5, 9, 11), V3(2, 2, 2), V3(2, 2, 2), V3(1, 1, 1),
     V3(0, 0, 0), V3(0, 0, 0), NOTSET, 1, 1, 2, 0, 1, 0},
    {"avg 2x2x2 s2 ceil exclude pad, asymmetric pads", AVG, 3, 2, 3, V3(5, 9, 11), V3(2, 2, 2), V3(2, 2, 2),
     V3(1, 1, 1), V3(1, 0, 1), V3(0, 1, 0), NOTSET, 1, 0, 2, 0, 0, 0},
    {"avg 2x2x2 s3 ceil include pad drops a window in the pad", AVG, 3, 1, 3, V3(6, 6, 7), V3(2, 2, 2), V3(3, 3, 3),
     V3(1, 1, 1), V3(0, 0, 0), V3(1, 1, 1), NOTSET, 1, 1, 2, 0, 1, 0},
    {"avg 1x3x3 s(1,2,2) ceil include pad", AVG, 3, 1, 5, V3(5, 9, 11), V3(1, 3, 3), V3(1, 2, 2), V3(1, 1, 1),
     V3(0, 1, 1), V3(0, 0, 1), NOTSET, 1, 1, 2, 0, 0, 0},
    {"avg 3x3x3 stride 2 in depth only, include pad", AVG, 3, 1, 3, V3(5, 9, 11), V3(3, 3, 3), V3(2, 1, 1),
     V3(1, 1, 1), V3(2, 1, 0), V3(1, 0, 2), NOTSET, 0, 1, 2, 0, 0, 0},
    {"avg 3x3x3 stride 2 in depth only, exclude pad ceil", AVG, 3, 2, 3, V3(5, 9, 11), V3(3, 3, 3), V3(2, 1, 1),
     V3(1, 1, 1), V3(1, 1, 1), V3(1, 1, 1), NOTSET, 1, 0, 2, 0, 1, 0},
    {"avg 3x3x3 dilation 2 exclude pad", AVG, 3, 1, 3, V3(5, 9, 11), V3(3, 3, 3), V3(1, 2, 1), V3(2, 2, 2),
     V3(2, 1, 1), V3(1, 2, 2), NOTSET, 0, 0, 2, 0, 0, 0},
    {"avg 3x3x3 dilation 2 include pad ceil", AVG, 3, 1, 3, V3(5, 9, 11), V3(3, 3, 3), V3(2, 2, 2), V3(2, 2, 2),
     V3(1, 2, 1), V3(2, 1, 2), NOTSET, 1, 1, 2, 0, 1, 0},
    {"avg 3x3x3 SAME_UPPER s2 include pad", AVG, 3, 1, 3, V3(5, 9, 11), V3(3, 3, 3), V3(2, 2, 2), V3(1, 1, 1),
     V3(0, 0, 0), V3(0, 0, 0), UPPER, 0, 1, 2, 0, 0, 0},
    {"avg 2x2x2 SAME_LOWER s(2,1,1) exclude pad", AVG, 3, 1, 3, V3(5, 9, 11), V3(2, 2, 2), V3(2, 1, 1), V3(1, 1, 1),
     V3(0, 0, 0), V3(0, 0, 0), LOWER, 0, 0, 2, 0, 0, 0},
    {"avg 3x3x3 s2 p1 into channel offset", AVG, 3, 2, 3, V3(5, 9, 11), V3(3, 3, 3), V3(2, 2, 2), V3(1, 1, 1),
     V3(1, 1, 1), V3(1, 1, 1), NOTSET, 0, 1, 2, 4, 1, 0},
    {"avg window with no input (d3)", AVG, 3, 1, 2, V3(2, 2, 2), V3(2, 2, 2), V3(1, 1, 1), V3(3, 3, 3), V3(1, 1, 1),
     V3(1, 1, 1), NOTSET, 0, 0, 2, 0, 1, 0},
    {"lp p2 3x3x3 s2 p1 ceil", LP, 3, 1, 3, V3(5, 9, 11), V3(3, 3, 3), V3(2, 2, 2), V3(1, 1, 1), V3(1, 1, 1),
     V3(1, 1, 1), NOTSET, 1, 0, 2, 0, 1, 0},
    {"lp p1 2x2x2 s(2,1,1) d(1,2,1)", LP, 3, 2, 3, V3(5, 9, 11), V3(2, 2, 2), V3(2, 1, 1), V3(1, 2, 1), V3(0, 0, 0),
     V3(0, 1, 0), NOTSET, 0, 0, 1, 0, 1, 0},
    {"global max 5x9x11 x7 into channel offset", GMAX, 3, 1, 7, V3(5, 9, 11), V3(0, 0, 0), V3(0, 0, 0), V3(0, 0, 0),
     V3(0, 0, 0), V3(0, 0, 0), NOTSET, 0, 0, 2, 3, 1, 1},
    {"global avg 5x9x11 batch 2 x3", GAVG, 3, 2, 3, V3(5, 9, 11), V3(0, 0, 0), V3(0, 0, 0), V3(0, 0, 0), V3(0, 0, 0),
     V3(0, 0, 0), NOTSET, 0, 0, 2, 0, 1, 0},
    /* 1-D: W only */
    {"1-D max k3 s2 p1 W 37 batch 2", MAX, 1, 2, 5, V3(37, 0, 0), V3(3, 0, 0), V3(2, 0, 0), V3(1, 0, 0),
     V3(1, 0, 0), V3(1, 0, 0), NOTSET, 0, 0, 2, 0, 1, 1},
    {"1-D avg k4 s3 p(1,2) ceil include pad", AVG, 1, 1, 3, V3(37, 0, 0), V3(4, 0, 0), V3(3, 0, 0), V3(1, 0, 0),
     V3(1, 0, 0), V3(2, 0, 0), NOTSET, 1, 1, 2, 0, 1, 0},
    {"1-D avg k3 d2 exclude pad into channel offset", AVG, 1, 2, 3, V3(29, 0, 0), V3(3, 0, 0), V3(1, 0, 0),
     V3(2, 0, 0), V3(2, 0, 0), V3(1, 0, 0), NOTSET, 0, 0, 2, 4, 1, 0},
    {"1-D lp p2 k3 s1 SAME_LOWER", LP, 1, 1, 3, V3(31, 0, 0), V3(3, 0, 0), V3(1, 0, 0), V3(1, 0, 0), V3(0, 0, 0),
     V3(0, 0, 0), LOWER, 0, 0, 2, 0, 1, 0},
    {"1-D global avg W 37 x5", GAVG, 1, 2, 5, V3(37, 0, 0), V3(0, 0, 0), V3(0, 0, 0), V3(0, 0, 0), V3(0, 0, 0),
     V3(0, 0, 0), NOTSET, 0, 0, 2, 0, 1, 0},
    /* 2-D: H x W */
    {"2-D max 3x3 s2 p1 ceil 13x14", MAX, 2, 2, 3, V3(13, 14, 0), V3(3, 3, 0), V3(2, 2, 0), V3(1, 1, 0),
     V3(1, 1, 0), V3(1, 1, 0), NOTSET, 1, 0, 2, 0, 1, 1},
    {"2-D avg 3x2 s(2,1) asymmetric include pad into offset", AVG, 2, 1, 5, V3(27, 37, 0), V3(3, 2, 0),
     V3(2, 1, 0), V3(1, 1, 0), V3(2, 0, 0), V3(0, 1, 0), NOTSET, 0, 1, 2, 3, 1, 0},
    {"2-D global max 13x14 x3", GMAX, 2, 1, 3, V3(13, 14, 0), V3(0, 0, 0), V3(0, 0, 0), V3(0, 0, 0), V3(0, 0, 0),
     V3(0, 0, 0), NOTSET, 0, 0, 2, 0, 1, 1},
};

static double worst_ratio; /* largest |err| / bound over the elements with a nonzero bound */

/* ONNX output size and pads of one axis, computed here independently of the library (see oclnn_pool.h). */
static void ref_axis(int in, int k, int s, int d, int ap, int ceil_mode, int pb, int pe, int *out, int *pad_b,
                     int *pad_e) {
    int eff = d * (k - 1) + 1;
    if (ap == UPPER || ap == LOWER) {
        *out = (in + s - 1) / s;
        int total = (*out - 1) * s + eff - in;
        if (total < 0) total = 0;
        *pad_b = ap == UPPER ? total / 2 : total - total / 2;
        *pad_e = total - *pad_b;
        return;
    }
    if (ap == VALID) pb = pe = 0;
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

/* Number of elements outside their bound; prints the first unless quiet. */
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

static void set_params(const pool_case *pc, oclnn_pool_params *p) {
    oclnn_pool_params_init(p);
    p->type = (oclnn_pool_type)pc->type;
    p->rank = (uint32_t)pc->rank;
    for (int a = 0; a < pc->rank; a++) {
        p->kernel[a] = (uint32_t)pc->k[a];
        p->stride[a] = (uint32_t)pc->s[a];
        p->dilation[a] = (uint32_t)pc->d[a];
        p->pad_begin[a] = (uint32_t)pc->pb[a];
        p->pad_end[a] = (uint32_t)pc->pe[a];
    }
    p->auto_pad = (oclnn_auto_pad)pc->auto_pad;
    p->ceil_mode = pc->ceil;
    p->count_include_pad = pc->cip;
    p->p = (uint32_t)pc->p;
}

static void run_case(oclnn_context *ctx, const pool_case *pc) {
    uint64_t seed = TEST_SEED ^ (uint64_t)(pc - cases) * 0x9E3779B97F4A7C15ull;
    int global = pc->type == GMAX || pc->type == GAVG, r = pc->rank;
    poolnd_ref_params rp = {.type = pc->type, .rank = r, .n = pc->n, .c = pc->c, .count_include_pad = pc->cip,
                            .p = pc->p};
    size_t in_sp[3], plane_in = 1, plane = 1;
    for (int a = 0; a < r; a++) {
        rp.in[a] = pc->in[a];
        rp.out[a] = 1;
        rp.k[a] = pc->k[a], rp.s[a] = pc->s[a], rp.d[a] = pc->d[a];
        if (!global)
            ref_axis(pc->in[a], pc->k[a], pc->s[a], pc->d[a], pc->auto_pad, pc->ceil, pc->pb[a], pc->pe[a],
                     &rp.out[a], &rp.pad_begin[a], &rp.pad_end[a]);
        in_sp[a] = (size_t)pc->in[a];
        plane_in *= (size_t)pc->in[a];
        plane *= (size_t)rp.out[a];
    }
    size_t nx = (size_t)pc->n * pc->c * plane_in, ny = (size_t)pc->n * pc->c * plane;
    int ctot = pc->c + pc->extra_c, coff = pc->extra_c / 2;
    size_t nytot = (size_t)pc->n * ctot * plane;
    float *x = malloc(nx * 4), *y = malloc(nytot * 4), *yc = malloc(ny * 4);
    double *yr = malloc(ny * 8), *wmax = malloc(ny * 8);
    fill(x, nx, pc->generic, &seed);
    poolnd_ref(&rp, x, yr, wmax);

    oclnn_pool_params p;
    set_params(pc, &p);
    oclnn_pool *op;
    assert_ok(ctx, oclnn_pool_create(ctx, &p, &op));
    size_t out_sp[3] = {0, 0, 0};
    assert_ok(ctx, oclnn_pool_reshape(op, pc->n, pc->c, in_sp, out_sp));
    for (int a = 0; a < r; a++)
        if ((int)out_sp[a] != rp.out[a])
            fail_msg("%s: axis %d: output %zu, want %d", pc->name, a, out_sp[a], rp.out[a]);
    int64_t dx[5] = {pc->n, pc->c}, dy[5] = {pc->n, ctot};
    for (int a = 0; a < r; a++)
        dx[a + 2] = pc->in[a], dy[a + 2] = rp.out[a];
    oclnn_tensor *tx, *ty;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, (size_t)r + 2, dx, &tx));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, (size_t)r + 2, dy, &ty));
    assert_ok(ctx, oclnn_tensor_write(tx, 0, nx * 4, x));
    for (size_t i = 0; i < nytot; i++)
        y[i] = SENTINEL;
    assert_ok(ctx, oclnn_tensor_write(ty, 0, nytot * 4, y));
    assert_ok(ctx, oclnn_pool_setup(op, tx, ty, (size_t)coff));
    oclnn_event *ev;
    assert_ok(ctx, oclnn_pool_enqueue(op, 0, &ev));
    assert_ok(ctx, oclnn_event_wait(ev));
    oclnn_event_destroy(ev);
    assert_ok(ctx, oclnn_tensor_read(ty, 0, nytot * 4, y));
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
    oclnn_pool_destroy(op);
    free(x);
    free(y);
    free(yc);
    free(yr);
    free(wmax);
}

static const char *cache_dir;

static void test_case_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    int slow = test_device_is_slow(ctx), ran = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (slow && !cases[i].small) continue;
        run_case(ctx, &cases[i]);
        ran++;
    }
    printf("# pool (rank-based): %d cases, worst |err|/bound %.3g (max and Lp p=1 exact, tol %.0e)\n", ran,
           worst_ratio, TOL);
    oclnn_context_destroy(ctx);
}

/* The checker and the reference catch the errors a two-pass 3-D pool can plausibly make: one grid step off in one
 * input, a depth window one tap short, the wrong count_include_pad, the depth stride on the wrong axis. */
static void test_bound_can_fail(void **state) {
    (void)state;
    enum { N = 1, C = 2, D = 5, H = 6, W = 7, NX = N * C * D * H * W };
    float x[NX], x2[NX];
    uint64_t seed = TEST_SEED;
    fill(x, NX, 0, &seed);
    for (int type = MAX; type <= AVG; type++) {
        poolnd_ref_params a = {.type = type, .rank = 3, .n = N, .c = C, .in = {D, H, W}, .out = {3, 3, 4},
                               .k = {3, 3, 3}, .s = {2, 2, 2}, .d = {1, 1, 1}, .pad_begin = {1, 1, 1},
                               .pad_end = {1, 1, 1}, .count_include_pad = 0, .p = 2};
        enum { NY = C * 3 * 3 * 4 };
        double ya[NY], yb[NY], wa[NY], wb[NY];
        float got[NY];
        poolnd_ref(&a, x, ya, wa);
        /* The largest input of the first window (taps [0,2)^3) one grid step larger. */
        memcpy(x2, x, sizeof x);
        int at = 0;
        for (int z = 0; z < 2; z++)
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 2; j++)
                    if (x[(z * H + i) * W + j] > x[at]) at = (z * H + i) * W + j;
        x2[at] = x[at] + 1.0f / 1024;
        poolnd_ref(&a, x2, yb, wb);
        for (int i = 0; i < NY; i++)
            got[i] = (float)yb[i];
        assert_true(check("perturbed", type, 2, got, ya, wa, NY, 1) > 0);
        poolnd_ref_params b = a;
        b.k[0] = 2; /* a depth window one tap short */
        poolnd_ref(&b, x, yb, wb);
        for (int i = 0; i < NY; i++)
            got[i] = (float)yb[i];
        assert_true(check("short depth window", type, 2, got, ya, wa, NY, 1) > 0);
        if (type == AVG) {
            b = a;
            b.count_include_pad = 1;
            poolnd_ref(&b, x, yb, wb);
            for (int i = 0; i < NY; i++)
                got[i] = (float)yb[i];
            assert_true(check("count_include_pad", type, 2, got, ya, wa, NY, 1) > 0);
        }
    }
}

/* Output sizes worked out by hand for each axis of a 3-D window, including ONNX Runtime's dropped ceil window. */
static void test_output_sizes(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    static const struct {
        int in[3], k[3], s[3], d[3], pb[3], pe[3], ap, ceil, want[3];
    } t[] = {
        /* (5-2)/2 = 1.5: floor 2, ceil 3; (9-2)/2 = 3.5: 4 / 5; (11-2)/2 = 4.5: 5 / 6 */
        {{5, 9, 11}, {2, 2, 2}, {2, 2, 2}, {1, 1, 1}, {0, 0, 0}, {0, 0, 0}, 0, 0, {2, 4, 5}},
        {{5, 9, 11}, {2, 2, 2}, {2, 2, 2}, {1, 1, 1}, {0, 0, 0}, {0, 0, 0}, 0, 1, {3, 5, 6}},
        /* stride 2 in depth only: (5+1+0-3)/2+1 = 2; H, W keep their size with pads 1 */
        {{5, 9, 11}, {3, 3, 3}, {2, 1, 1}, {1, 1, 1}, {1, 1, 1}, {0, 1, 1}, 0, 0, {2, 9, 11}},
        /* 6 + 1 end pad, k2 s3: ceil gives 3 but the third window would start at 6 = in: dropped */
        {{6, 6, 6}, {2, 2, 2}, {3, 3, 3}, {1, 1, 1}, {0, 0, 0}, {1, 1, 1}, 0, 1, {2, 2, 2}},
        /* dilation 2: eff 5; D: 5+2+2-5 = 4 -> 3; H: 9+1+0-5 = 5 -> 6; W: 11-5 = 6 -> 7 */
        {{5, 9, 11}, {3, 3, 3}, {1, 1, 1}, {2, 2, 2}, {2, 1, 0}, {2, 0, 0}, 0, 0, {5, 6, 7}},
        /* SAME: ceil(in / s) per axis */
        {{5, 9, 11}, {3, 2, 3}, {2, 2, 3}, {1, 1, 1}, {0, 0, 0}, {0, 0, 0}, 1, 1, {3, 5, 4}},
        /* VALID keeps ceil_mode: (6-3)/2 = 1.5 -> 3, (9-3)/2 = 3 -> 4, (10-3)/2 = 3.5 -> 5 */
        {{6, 9, 10}, {3, 3, 3}, {2, 2, 2}, {1, 1, 1}, {2, 2, 2}, {2, 2, 2}, 3, 1, {3, 4, 5}},
        /* window = input */
        {{3, 4, 5}, {3, 4, 5}, {1, 1, 1}, {1, 1, 1}, {0, 0, 0}, {0, 0, 0}, 0, 0, {1, 1, 1}},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        oclnn_pool_params p;
        oclnn_pool_params_init(&p);
        p.rank = 3;
        for (int a = 0; a < 3; a++) {
            p.kernel[a] = (uint32_t)t[i].k[a], p.stride[a] = (uint32_t)t[i].s[a], p.dilation[a] = (uint32_t)t[i].d[a];
            p.pad_begin[a] = (uint32_t)t[i].pb[a], p.pad_end[a] = (uint32_t)t[i].pe[a];
        }
        p.auto_pad = (oclnn_auto_pad)t[i].ap;
        p.ceil_mode = t[i].ceil;
        oclnn_pool *op;
        assert_ok(ctx, oclnn_pool_create(ctx, &p, &op));
        size_t in[3] = {(size_t)t[i].in[0], (size_t)t[i].in[1], (size_t)t[i].in[2]}, out[3] = {0, 0, 0};
        assert_ok(ctx, oclnn_pool_reshape(op, 1, 1, in, out));
        for (int a = 0; a < 3; a++) {
            if ((int)out[a] != t[i].want[a]) fail_msg("row %zu axis %d: %zu, want %d", i, a, out[a], t[i].want[a]);
            int o, b, e;
            ref_axis(t[i].in[a], t[i].k[a], t[i].s[a], t[i].d[a], t[i].ap, t[i].ceil, t[i].pb[a], t[i].pe[a], &o, &b,
                     &e);
            if (o != t[i].want[a]) fail_msg("row %zu axis %d: the test's own ref_axis says %d", i, a, o);
        }
        oclnn_pool_destroy(op);
    }
    oclnn_context_destroy(ctx);
}

static void expect_status(oclnn_context *ctx, oclnn_status got, oclnn_status want, const char *msg, const char *what) {
    if (got != want)
        fail_msg("%s: got %s (%s), want %s", what, oclnn_status_name(got), ctx ? oclnn_last_error(ctx) : "",
                 oclnn_status_name(want));
    if (ctx && msg && !strstr(oclnn_last_error(ctx), msg))
        fail_msg("%s: message '%s' lacks '%s'", what, oclnn_last_error(ctx), msg);
}

/* Impossible configurations get their exact status and a message naming the rule. */
static void test_negative_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    static const struct {
        const char *name, *msg;
        int field, value;
        oclnn_status want;
    } bad[] = {
        {"rank 0", "rank 0", 0, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"rank 4", "rank 4", 0, 4, OCLNN_STATUS_INVALID_ARGUMENT},
        {"type 5", "not a pooling type", 1, 5, OCLNN_STATUS_INVALID_ARGUMENT},
        {"type -1", "not a pooling type", 1, -1, OCLNN_STATUS_INVALID_ARGUMENT},
        {"kernel 0 on axis 2", "axis 2: kernel (0)", 2, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"stride 0 on axis 0", "axis 0: kernel (3), stride (0)", 3, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"dilation 0 on axis 1", "dilation (0)", 4, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"pad_begin = kernel", "axis 0: pads (3, 0) must be smaller than the kernel", 5, 3,
         OCLNN_STATUS_INVALID_ARGUMENT},
        {"pad_end > kernel", "axis 2: pads (0, 7) must be smaller", 6, 7, OCLNN_STATUS_INVALID_ARGUMENT},
        {"auto_pad 4", "auto_pad", 7, 4, OCLNN_STATUS_INVALID_ARGUMENT},
        {"ceil_mode 2", "ceil_mode", 8, 2, OCLNN_STATUS_INVALID_ARGUMENT},
        {"count_include_pad -1", "count_include_pad", 9, -1, OCLNN_STATUS_INVALID_ARGUMENT},
        {"Lp p 0", "p >= 1", 10, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"Lp p 3", "p = 1 and 2", 10, 3, OCLNN_STATUS_UNSUPPORTED},
        {"kernel 2^20 + 1", "above 1048576", 2, (1 << 20) + 1, OCLNN_STATUS_UNSUPPORTED},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        oclnn_pool_params p;
        oclnn_pool_params_init(&p);
        p.rank = 3;
        p.kernel[0] = p.kernel[1] = p.kernel[2] = 3;
        switch (bad[i].field) {
        case 0: p.rank = (uint32_t)bad[i].value; break;
        case 1: p.type = (oclnn_pool_type)bad[i].value; break;
        case 2: p.kernel[2] = (uint32_t)bad[i].value; break;
        case 3: p.stride[0] = (uint32_t)bad[i].value; break;
        case 4: p.dilation[1] = (uint32_t)bad[i].value; break;
        case 5: p.pad_begin[0] = (uint32_t)bad[i].value; break;
        case 6: p.pad_end[2] = (uint32_t)bad[i].value; break;
        case 7: p.auto_pad = (oclnn_auto_pad)bad[i].value; break;
        case 8: p.ceil_mode = bad[i].value; break;
        case 9:
            p.type = OCLNN_POOL_AVG;
            p.count_include_pad = bad[i].value;
            break;
        case 10:
            p.type = OCLNN_POOL_LP;
            p.p = (uint32_t)bad[i].value;
            break;
        }
        oclnn_pool *op = (oclnn_pool *)ctx;
        expect_status(ctx, oclnn_pool_create(ctx, &p, &op), bad[i].want, bad[i].msg, bad[i].name);
        assert_null(op);
    }
    oclnn_pool_params p;
    oclnn_pool *op = (oclnn_pool *)ctx;
    expect_status(ctx, oclnn_pool_create(ctx, NULL, &op), OCLNN_STATUS_INVALID_ARGUMENT, "params", "NULL params");
    assert_null(op);
    oclnn_pool_params_init(&p);
    expect_status(ctx, oclnn_pool_create(ctx, &p, NULL), OCLNN_STATUS_INVALID_ARGUMENT, "out is NULL", "NULL out");
    /* Entries past the rank are ignored, pads too when auto_pad replaces them, and every window field for the
     * global types (whose rank is still checked). */
    oclnn_pool_params_init(&p);
    p.rank = 1;
    p.kernel[0] = 3;
    p.kernel[1] = p.stride[2] = 0;
    p.pad_begin[1] = 9;
    assert_ok(ctx, oclnn_pool_create(ctx, &p, &op));
    oclnn_pool_destroy(op);
    oclnn_pool_params_init(&p);
    p.rank = 3;
    p.kernel[0] = p.kernel[1] = p.kernel[2] = 2;
    p.pad_end[1] = 5;
    p.auto_pad = OCLNN_AUTO_PAD_VALID;
    assert_ok(ctx, oclnn_pool_create(ctx, &p, &op));
    oclnn_pool_destroy(op);
    oclnn_pool_params_init(&p);
    p.type = OCLNN_POOL_GLOBAL_AVG;
    p.rank = 3;
    p.kernel[0] = p.stride[1] = 0;
    assert_ok(ctx, oclnn_pool_create(ctx, &p, &op));
    oclnn_pool_destroy(op);
    p.rank = 4;
    expect_status(ctx, oclnn_pool_create(ctx, &p, &op), OCLNN_STATUS_INVALID_ARGUMENT, "rank 4", "global rank 4");

    /* Shape and state errors on a rank-3 window: kernel 3x3x3, stride (2,1,1), pads 1 on D only. */
    oclnn_pool_params_init(&p);
    p.type = OCLNN_POOL_AVG;
    p.rank = 3;
    p.kernel[0] = p.kernel[1] = p.kernel[2] = 3;
    p.stride[0] = 2;
    p.pad_begin[0] = p.pad_end[0] = 1;
    assert_ok(ctx, oclnn_pool_create(ctx, &p, &op));
    int64_t dx[5] = {2, 3, 5, 4, 6}, dy[5] = {2, 3, 3, 2, 4}, dwide[5] = {2, 6, 3, 2, 4}, dbad[5] = {2, 3, 3, 2, 5};
    int64_t d4[4] = {2, 3, 20, 6};
    oclnn_tensor *tx, *ty, *twide, *tbad, *t4;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 5, dx, &tx));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 5, dy, &ty));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 5, dwide, &twide));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 5, dbad, &tbad));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, d4, &t4));
    expect_status(ctx, oclnn_pool_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE, "before reshape", "enqueue first");
    expect_status(ctx, oclnn_pool_setup(op, tx, ty, 0), OCLNN_STATUS_INVALID_STATE, "before reshape", "setup first");
    size_t out[3];
    size_t s_ok[3] = {5, 4, 6}, s_d1[3] = {1, 4, 6}, s_h2[3] = {5, 2, 6}, s_zero[3] = {5, 0, 6};
    /* depth 1 + 2 pads = 3 fits exactly; H of 2 is smaller than the 3-wide window */
    assert_ok(ctx, oclnn_pool_reshape(op, 2, 3, s_d1, out));
    expect_status(ctx, oclnn_pool_reshape(op, 2, 3, s_h2, out), OCLNN_STATUS_INVALID_SHAPE,
                  "axis 1: kernel 3 (dilation 1) is larger than the padded input 2", "window > padded input");
    expect_status(ctx, oclnn_pool_setup(op, tx, ty, 0), OCLNN_STATUS_INVALID_STATE, "before reshape",
                  "setup after a failed reshape");
    expect_status(ctx, oclnn_pool_reshape(op, 2, 3, s_zero, out), OCLNN_STATUS_INVALID_SHAPE, "zero", "zero H");
    expect_status(ctx, oclnn_pool_reshape(op, 0, 3, s_ok, out), OCLNN_STATUS_INVALID_SHAPE, "zero", "zero batch");
    expect_status(ctx, oclnn_pool_reshape(op, 2, 0, s_ok, out), OCLNN_STATUS_INVALID_SHAPE, "zero", "zero channels");
    expect_status(ctx, oclnn_pool_reshape(op, 2, 3, NULL, out), OCLNN_STATUS_INVALID_ARGUMENT, "in_spatial",
                  "NULL in_spatial");
    size_t s_huge[3] = {5, (size_t)1 << 25, 6};
    expect_status(ctx, oclnn_pool_reshape(op, 1, 1, s_huge, out), OCLNN_STATUS_UNSUPPORTED, "above 2^24", "H 2^25");
    assert_ok(ctx, oclnn_pool_reshape(op, 2, 3, s_ok, out));
    if (out[0] != 3 || out[1] != 2 || out[2] != 4) fail_msg("output %zux%zux%zu, want 3x2x4", out[0], out[1], out[2]);
    expect_status(ctx, oclnn_pool_setup(op, tx, tbad, 0), OCLNN_STATUS_INVALID_SHAPE, "output must be",
                  "wrong output W");
    expect_status(ctx, oclnn_pool_setup(op, tx, ty, 1), OCLNN_STATUS_INVALID_SHAPE, "output must be",
                  "offset past the channels");
    expect_status(ctx, oclnn_pool_setup(op, tx, twide, 4), OCLNN_STATUS_INVALID_SHAPE, "output must be",
                  "offset past a wider output");
    expect_status(ctx, oclnn_pool_setup(op, twide, ty, 0), OCLNN_STATUS_INVALID_SHAPE, "input must be",
                  "input with wrong channels");
    expect_status(ctx, oclnn_pool_setup(op, t4, ty, 0), OCLNN_STATUS_INVALID_SHAPE, "5-D tensor", "4-D input");
    expect_status(ctx, oclnn_pool_setup(op, tx, t4, 0), OCLNN_STATUS_INVALID_SHAPE, "5-D tensor", "4-D output");
    expect_status(ctx, oclnn_pool_setup(op, tx, NULL, 0), OCLNN_STATUS_INVALID_ARGUMENT, "NULL", "NULL output");
    expect_status(ctx, oclnn_pool_setup(op, NULL, ty, 0), OCLNN_STATUS_INVALID_ARGUMENT, "NULL", "NULL input");
    expect_status(ctx, oclnn_pool_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE, "before reshape",
                  "enqueue after a failed setup");
    assert_ok(ctx, oclnn_pool_setup(op, tx, twide, 3));
    expect_status(ctx, oclnn_pool_enqueue(op, 99, NULL), OCLNN_STATUS_INVALID_ARGUMENT, "queue 99",
                  "queue out of range");
    oclnn_event *ev = (oclnn_event *)ctx;
    assert_ok(ctx, oclnn_pool_enqueue(op, 0, &ev));
    assert_ok(ctx, oclnn_event_wait(ev));
    oclnn_event_destroy(ev);
    /* A reshape unbinds the tensors: their shapes are kernel arguments. */
    assert_ok(ctx, oclnn_pool_reshape(op, 2, 3, s_ok, NULL));
    expect_status(ctx, oclnn_pool_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE, "before reshape",
                  "enqueue after reshape");
    oclnn_pool_destroy(op);
    /* Input and output sharing memory is refused (a view of the input as the output). */
    oclnn_pool_params_init(&p);
    p.rank = 3;
    p.kernel[0] = p.kernel[1] = p.kernel[2] = 1;
    assert_ok(ctx, oclnn_pool_create(ctx, &p, &op));
    assert_ok(ctx, oclnn_pool_reshape(op, 2, 3, s_ok, NULL));
    expect_status(ctx, oclnn_pool_setup(op, tx, tx, 0), OCLNN_STATUS_INVALID_ARGUMENT, "overlap", "in = out");
    oclnn_pool_destroy(op);
    /* Rank 1 wants 3-D tensors. */
    oclnn_pool_params_init(&p);
    p.rank = 1;
    p.kernel[0] = 2;
    assert_ok(ctx, oclnn_pool_create(ctx, &p, &op));
    size_t w6[1] = {6};
    assert_ok(ctx, oclnn_pool_reshape(op, 2, 3, w6, out));
    assert_int_equal(out[0], 5);
    expect_status(ctx, oclnn_pool_setup(op, t4, ty, 0), OCLNN_STATUS_INVALID_SHAPE, "3-D tensor", "rank 1, 4-D in");
    oclnn_pool_destroy(op);
    oclnn_pool_destroy(NULL);
    expect_status(NULL, oclnn_pool_reshape(NULL, 1, 1, s_ok, NULL), OCLNN_STATUS_INVALID_ARGUMENT, NULL, "NULL op");
    expect_status(NULL, oclnn_pool_setup(NULL, tx, ty, 0), OCLNN_STATUS_INVALID_ARGUMENT, NULL, "NULL op");
    expect_status(NULL, oclnn_pool_enqueue(NULL, 0, NULL), OCLNN_STATUS_INVALID_ARGUMENT, NULL, "NULL op");
    oclnn_tensor *all[] = {tx, ty, twide, tbad, t4};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        oclnn_tensor_destroy(all[i]);
    oclnn_context_destroy(ctx);
}

/* Reshapes of a rank-3 operator to other volumes reuse its programs (the scratch buffer is all that changes). */
static void test_reshape_never_recompiles(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    oclnn_pool_params p;
    oclnn_pool_params_init(&p);
    p.type = OCLNN_POOL_AVG;
    p.rank = 3;
    for (int a = 0; a < 3; a++)
        p.kernel[a] = 2, p.stride[a] = 2, p.pad_end[a] = 1;
    p.ceil_mode = 1;
    oclnn_pool *op;
    assert_ok(ctx, oclnn_pool_create(ctx, &p, &op));
    oclnn_cache_stats s0, s1;
    oclnn_context_cache_stats(ctx, &s0);
    static const int sizes[][5] = {{1, 3, 5, 9, 11}, {2, 2, 3, 4, 5}, {1, 5, 7, 3, 9}};
    for (int i = 0; i < 3; i++) {
        pool_case pc = {"reshape", AVG, 3, sizes[i][0], sizes[i][1], V3(sizes[i][2], sizes[i][3], sizes[i][4]),
                        V3(2, 2, 2), V3(2, 2, 2), V3(1, 1, 1), V3(0, 0, 0), V3(1, 1, 1), NOTSET, 1, 0, 2, 0, 1, 0};
        size_t in[3] = {(size_t)pc.in[0], (size_t)pc.in[1], (size_t)pc.in[2]}, out[3];
        assert_ok(ctx, oclnn_pool_reshape(op, (size_t)pc.n, (size_t)pc.c, in, out));
        poolnd_ref_params rp = {.type = AVG, .rank = 3, .n = pc.n, .c = pc.c, .p = 2};
        size_t nx = (size_t)pc.n * pc.c, ny = nx;
        for (int a = 0; a < 3; a++) {
            rp.in[a] = pc.in[a], rp.k[a] = 2, rp.s[a] = 2, rp.d[a] = 1;
            ref_axis(pc.in[a], 2, 2, 1, 0, 1, 0, 1, &rp.out[a], &rp.pad_begin[a], &rp.pad_end[a]);
            if ((int)out[a] != rp.out[a]) fail_msg("size %d axis %d: %zu, want %d", i, a, out[a], rp.out[a]);
            nx *= (size_t)pc.in[a], ny *= out[a];
        }
        int64_t dx[5] = {pc.n, pc.c, pc.in[0], pc.in[1], pc.in[2]};
        int64_t dy[5] = {pc.n, pc.c, (int64_t)out[0], (int64_t)out[1], (int64_t)out[2]};
        oclnn_tensor *tx, *ty;
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 5, dx, &tx));
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 5, dy, &ty));
        float *x = malloc(nx * 4), *y = malloc(ny * 4);
        double *yr = malloc(ny * 8), *wm = malloc(ny * 8);
        uint64_t seed = TEST_SEED + (uint64_t)i;
        fill(x, nx, 0, &seed);
        assert_ok(ctx, oclnn_tensor_write(tx, 0, nx * 4, x));
        assert_ok(ctx, oclnn_pool_setup(op, tx, ty, 0));
        assert_ok(ctx, oclnn_pool_enqueue(op, 0, NULL));
        assert_ok(ctx, oclnn_tensor_read(ty, 0, ny * 4, y));
        poolnd_ref(&rp, x, yr, wm);
        if (check("reshape", AVG, 2, y, yr, wm, ny, 0)) fail_msg("size %d: outside the bound", i);
        free(x), free(y), free(yr), free(wm);
        oclnn_tensor_destroy(tx);
        oclnn_tensor_destroy(ty);
    }
    oclnn_context_cache_stats(ctx, &s1);
    assert_int_equal(s1.source_builds, s0.source_builds);
    assert_int_equal(s1.disk_hits, s0.disk_hits);
    assert_int_equal(s1.memory_hits, s0.memory_hits);
    oclnn_pool_destroy(op);
    oclnn_context_destroy(ctx);
}

/* One small rank-3 run for the failure sweeps: average 2x3x2 over 3x4x5, include pad, both passes and the
 * scratch buffer. */
static oclnn_status fault_scenario(oclnn_context *ctx, int *verified) {
    enum { N = 1, C = 3, NX = N * C * 3 * 4 * 5 };
    float x[NX], y[NX];
    double yr[NX], wm[NX];
    for (int i = 0; i < NX; i++)
        x[i] = (float)((i * 7) % 11 - 5) / 8.0f;
    oclnn_pool_params p;
    oclnn_pool_params_init(&p);
    p.type = OCLNN_POOL_AVG;
    p.rank = 3;
    p.kernel[0] = 2, p.kernel[1] = 3, p.kernel[2] = 2;
    p.pad_begin[1] = p.pad_end[1] = 1, p.pad_end[2] = 1;
    p.count_include_pad = 1;
    size_t in[3] = {3, 4, 5}, out[3] = {0, 0, 0};
    oclnn_pool *op = NULL;
    oclnn_tensor *tx = NULL, *ty = NULL;
    oclnn_event *ev = NULL;
    int64_t dx[5] = {N, C, 3, 4, 5}, dy[5] = {N, C, 2, 4, 5};
    oclnn_status st;
    if ((st = oclnn_pool_create(ctx, &p, &op)) || (st = oclnn_pool_reshape(op, N, C, in, out)) ||
        (st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 5, dx, &tx)) ||
        (st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 5, dy, &ty)) ||
        (st = oclnn_tensor_write(tx, 0, sizeof x, x)) || (st = oclnn_pool_setup(op, tx, ty, 0)) ||
        (st = oclnn_pool_enqueue(op, 0, &ev)) || (st = oclnn_event_wait(ev)) ||
        (st = oclnn_tensor_read(ty, 0, (size_t)N * C * 2 * 4 * 5 * sizeof(float), y)))
        goto done;
    poolnd_ref_params rp = {.type = AVG, .rank = 3, .n = N, .c = C, .in = {3, 4, 5}, .out = {2, 4, 5},
                            .k = {2, 3, 2}, .s = {1, 1, 1}, .d = {1, 1, 1}, .pad_begin = {0, 1, 0},
                            .pad_end = {0, 1, 1}, .count_include_pad = 1, .p = 2};
    poolnd_ref(&rp, x, yr, wm);
    if (out[0] != 2 || out[1] != 4 || out[2] != 5) fail_msg("fault scenario: output %zux%zux%zu", out[0], out[1], out[2]);
    if (check("fault scenario", AVG, 2, y, yr, wm, (size_t)N * C * 2 * 4 * 5, 0))
        fail_msg("fault scenario: elements outside the bound");
    *verified = 1;
done:
    oclnn_event_destroy(ev);
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_pool_destroy(op);
    return st;
}

/* Each host allocation and each OpenCL allocation and enqueue fails in turn: clean statuses, no leaks. */
static void test_fault_sweeps(void **state) {
    (void)state;
    test_op_fault_sweeps("pool rank 3", fault_scenario, cache_dir);
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    cache_dir = test_tmpdir("pool3d-cache"); /* shared by the tests: each variant is compiled once */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_table),       cmocka_unit_test(test_bound_can_fail),
        cmocka_unit_test(test_output_sizes),     cmocka_unit_test(test_negative_table),
        cmocka_unit_test(test_reshape_never_recompiles), cmocka_unit_test(test_fault_sweeps),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    return r || clw_live_objects() != 0;
}
