/* test_datamove.c - Concat, Split, Slice, Pad, Transpose and the shape helpers against the naive references of
 * tests/ref/datamove_ref.c: case tables over every axis, ranks 1..5 (Transpose 1..6), odd sizes and batches,
 * outputs at element offsets, and negative tables of exact statuses.
 *
 * Accuracy contract: data movement is exact. Every element is compared bit for bit (memcmp) with the reference,
 * and the guard elements around every output (it lives at an offset inside a larger buffer) must be untouched.
 */
#include "common.h"

#include <math.h>

#include "device/clw.h"
#include "program/program.h"
#include "ref/datamove_ref.h"

#define SENTINEL 777.25f
#define GUARD 9 /* floats of sentinel after each placed tensor */

static uint64_t seed = TEST_SEED;

/* A tensor placed at an element offset inside a larger buffer, so that stray writes and offset bugs show. */
typedef struct placed {
    oclnn_tensor *base, *t;
    size_t n, off;
} placed;

static placed place(oclnn_context *ctx, int ndim, const int64_t *dims, size_t off, const float *data) {
    placed p = {NULL, NULL, ref_count(ndim, dims), off};
    int64_t total = (int64_t)(p.n + off + GUARD);
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 1, &total, &p.base));
    float *h = malloc((size_t)total * 4);
    for (int64_t i = 0; i < total; i++) h[i] = SENTINEL;
    if (data) memcpy(h + off, data, p.n * 4);
    assert_ok(ctx, oclnn_tensor_write(p.base, 0, (size_t)total * 4, h));
    free(h);
    assert_ok(ctx, oclnn_tensor_view(p.base, off * 4, OCLNN_DTYPE_F32, (size_t)ndim, dims, &p.t));
    return p;
}

/* Bit-exact comparison of the placed tensor with @p want, and untouched guards. */
static void check_placed(const placed *p, const float *want, const char *what, const char *name) {
    size_t total = p->n + p->off + GUARD;
    float *h = malloc(total * 4);
    assert_ok(NULL, oclnn_tensor_read(p->base, 0, total * 4, h));
    for (size_t i = 0; i < total; i++) {
        if (i >= p->off && i < p->off + p->n) {
            if (memcmp(&h[i], &want[i - p->off], 4))
                fail_msg("%s: %s element %zu is %.9g, want %.9g (seed 0x%llx)", name, what, i - p->off, (double)h[i],
                         (double)want[i - p->off], (unsigned long long)TEST_SEED);
        } else if (h[i] != SENTINEL) {
            fail_msg("%s: %s guard element %zu was written", name, what, i);
        }
    }
    free(h);
}

static void unplace(placed *p) {
    oclnn_tensor_destroy(p->t);
    oclnn_tensor_destroy(p->base);
}

static float *random_data(size_t n) {
    float *x = malloc(n * 4);
    for (size_t i = 0; i < n; i++) x[i] = test_rand_float(&seed, -1, 1);
    return x;
}

/* ---- Concat ---- */

typedef struct concat_case {
    const char *name;
    int ndim;
    int64_t dims[5]; /* the axis entry is replaced by each input's size */
    int axis, k;
    int64_t sizes[8]; /* all 0: input i gets i % 3 + 1 */
    int small;
} concat_case;

static const concat_case concat_cases[] = {
    {"channels 23+5+11 @27x37", 4, {1, 0, 27, 37}, 1, 3, {23, 5, 11}, 1},
    {"batch 3 channels, axis -3", 4, {3, 0, 7, 9}, -3, 2, {4, 6}, 1},
    {"batch axis", 4, {0, 3, 5, 7}, 0, 3, {1, 3, 2}, 0},
    {"H axis 27+10", 4, {1, 23, 0, 37}, 2, 2, {27, 10}, 0},
    {"W axis, batch 3", 4, {3, 5, 27, 0}, 3, 3, {37, 1, 8}, 1},
    {"rank 1", 1, {0}, 0, 3, {5, 1, 7}, 1},
    {"rank 2 axis -2", 2, {0, 13}, -2, 2, {9, 4}, 0},
    {"rank 2 axis -1", 2, {6, 0}, -1, 3, {3, 7, 2}, 0},
    {"rank 3 axis 1", 3, {2, 0, 6}, 1, 2, {3, 3}, 0},
    {"rank 5 axis -1", 5, {2, 3, 1, 4, 0}, -1, 4, {3, 1, 2, 5}, 1},
    {"rank 5 axis 2", 5, {2, 3, 0, 4, 5}, 2, 2, {2, 3}, 0},
    {"single input", 3, {2, 0, 5}, 1, 1, {4}, 0},
    {"64 inputs on channels", 4, {1, 0, 5, 7}, 1, 64, {0}, 0},
    {"64 inputs on W, batch 3", 4, {3, 2, 3, 0}, -1, 64, {0}, 0},
};

static void run_concat(oclnn_context *ctx, const concat_case *cc) {
    int r = cc->ndim, k = cc->k, axis = cc->axis < 0 ? cc->axis + r : cc->axis;
    int64_t dims[64][5], od[5];
    const int64_t *dp[64];
    size_t nd[64];
    float *in[64];
    placed pin[64];
    for (int i = 0; i < k; i++) {
        memcpy(dims[i], cc->dims, sizeof dims[i]);
        dims[i][axis] = cc->sizes[0] ? cc->sizes[i] : i % 3 + 1;
        dp[i] = dims[i];
        nd[i] = (size_t)r;
        in[i] = random_data(ref_count(r, dims[i]));
        pin[i] = place(ctx, r, dims[i], (size_t)(3 + i) % 5, in[i]);
    }
    oclnn_concat *op;
    assert_ok(ctx, oclnn_concat_create(ctx, cc->axis, (size_t)k, &op));
    assert_ok(ctx, oclnn_concat_reshape(op, nd, dp, od));
    float *want = malloc(ref_count(r, od) * 4);
    ref_concat(r, k, dp, axis, (const float *const *)in, want);
    placed pout = place(ctx, r, od, 5, NULL);
    const oclnn_tensor *ts[64];
    for (int i = 0; i < k; i++) ts[i] = pin[i].t;
    assert_ok(ctx, oclnn_concat_setup(op, ts, pout.t));
    oclnn_event *ev;
    assert_ok(ctx, oclnn_concat_enqueue(op, 0, &ev));
    assert_ok(ctx, oclnn_event_wait(ev));
    oclnn_event_destroy(ev);
    check_placed(&pout, want, "output", cc->name);
    for (int i = 0; i < k; i++) {
        check_placed(&pin[i], in[i], "input", cc->name); /* inputs are left alone */
        unplace(&pin[i]);
        free(in[i]);
    }
    unplace(&pout);
    free(want);
    oclnn_concat_destroy(op);
}

static void test_concat_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    int slow = test_device_is_slow(ctx), ran = 0;
    for (size_t i = 0; i < sizeof concat_cases / sizeof concat_cases[0]; i++) {
        if (slow && !concat_cases[i].small) continue;
        run_concat(ctx, &concat_cases[i]);
        ran++;
    }
    printf("# concat: %d cases, exact\n", ran);
    oclnn_context_destroy(ctx);
}

/* A producer that wrote into its slice of the output in place: that input is skipped, the others are copied. */
static void test_concat_in_place(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    int64_t d0[4] = {1, 3, 5, 7}, d1[4] = {1, 4, 5, 7}, od[4];
    float *a = random_data(105), *b = random_data(140), want[245];
    memcpy(want, a, sizeof(float) * 105);
    memcpy(want + 105, b, sizeof(float) * 140);
    int64_t ot[4] = {1, 7, 5, 7};
    oclnn_tensor *out, *slice;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, ot, &out));
    assert_ok(ctx, oclnn_tensor_view(out, 105 * 4, OCLNN_DTYPE_F32, 4, d1, &slice));
    assert_ok(ctx, oclnn_tensor_write(slice, 0, 140 * 4, b)); /* the producer's work */
    placed pa = place(ctx, 4, d0, 2, a);
    oclnn_concat *op;
    assert_ok(ctx, oclnn_concat_create(ctx, 1, 2, &op));
    const int64_t *dp[2] = {d0, d1};
    size_t nd[2] = {4, 4};
    assert_ok(ctx, oclnn_concat_reshape(op, nd, dp, od));
    const oclnn_tensor *ts[2] = {pa.t, slice};
    assert_ok(ctx, oclnn_concat_setup(op, ts, out));
    assert_ok(ctx, oclnn_concat_enqueue(op, 0, NULL));
    float got[245];
    assert_ok(ctx, oclnn_tensor_read(out, 0, sizeof got, got));
    assert_memory_equal(got, want, sizeof got);
    /* Both inputs in place: nothing is launched, and the event still completes. */
    oclnn_tensor *slice0;
    assert_ok(ctx, oclnn_tensor_view(out, 0, OCLNN_DTYPE_F32, 4, d0, &slice0));
    ts[0] = slice0;
    assert_ok(ctx, oclnn_concat_setup(op, ts, out));
    oclnn_event *ev;
    assert_ok(ctx, oclnn_concat_enqueue(op, 0, &ev));
    assert_ok(ctx, oclnn_event_wait(ev));
    oclnn_event_destroy(ev);
    assert_ok(ctx, oclnn_tensor_read(out, 0, sizeof got, got));
    assert_memory_equal(got, want, sizeof got);
    /* A view of the output that is not its own slice is refused. */
    oclnn_tensor *wrong;
    assert_ok(ctx, oclnn_tensor_view(out, 4, OCLNN_DTYPE_F32, 4, d0, &wrong));
    ts[0] = wrong;
    assert_int_equal(oclnn_concat_setup(op, ts, out), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_non_null(strstr(oclnn_last_error(ctx), "overlaps"));
    oclnn_concat_destroy(op);
    oclnn_tensor_destroy(wrong);
    oclnn_tensor_destroy(slice0);
    oclnn_tensor_destroy(slice);
    oclnn_tensor_destroy(out);
    unplace(&pa);
    free(a);
    free(b);
    oclnn_context_destroy(ctx);
}

/* ---- Split ---- */

typedef struct split_case {
    const char *name;
    int ndim;
    int64_t dims[5];
    int axis, k;
    int64_t sizes[6]; /* all 0: equal parts */
    int small;
} split_case;

static const split_case split_cases[] = {
    {"channels 23 -> 5+11+7 @27x37", 4, {1, 23, 27, 37}, 1, 3, {5, 11, 7}, 1},
    {"batch 3 channels equal 4", 4, {3, 12, 5, 7}, -3, 4, {0}, 1},
    {"batch axis", 4, {3, 2, 5, 7}, 0, 2, {1, 2}, 0},
    {"H axis equal, last smaller", 4, {1, 3, 27, 37}, 2, 4, {0}, 0},
    {"W axis -1", 4, {3, 5, 7, 37}, -1, 3, {30, 1, 6}, 1},
    {"rank 1", 1, {13}, 0, 2, {6, 7}, 0},
    {"rank 2 axis 1", 2, {7, 10}, 1, 5, {0}, 0},
    {"rank 3 axis -2", 3, {2, 9, 4}, -2, 3, {2, 3, 4}, 0},
    {"rank 5 axis 3", 5, {2, 3, 2, 7, 3}, 3, 2, {3, 4}, 1},
    {"one output", 3, {2, 3, 4}, 0, 1, {0}, 0},
};

static void run_split(oclnn_context *ctx, const split_case *sc) {
    int r = sc->ndim, k = sc->k, axis = sc->axis < 0 ? sc->axis + r : sc->axis;
    size_t n = ref_count(r, sc->dims);
    float *x = random_data(n);
    oclnn_split *op;
    assert_ok(ctx, oclnn_split_create(ctx, sc->axis, (size_t)k, sc->sizes[0] ? sc->sizes : NULL, &op));
    int64_t od[6 * 5];
    assert_ok(ctx, oclnn_split_reshape(op, (size_t)r, sc->dims, od));
    placed pin = place(ctx, r, sc->dims, 4, x), pout[6];
    oclnn_tensor *ts[6];
    int64_t at = 0, len = sc->dims[axis], chunk = (len + k - 1) / k;
    for (int i = 0; i < k; i++) {
        int64_t want = sc->sizes[0] ? sc->sizes[i] : i + 1 < k ? chunk : len - chunk * (k - 1);
        for (int a = 0; a < r; a++)
            if (od[i * r + a] != (a == axis ? want : sc->dims[a]))
                fail_msg("%s: output %d dim %d is %lld", sc->name, i, a, (long long)od[i * r + a]);
        pout[i] = place(ctx, r, od + i * r, (size_t)(1 + 2 * i), NULL);
        ts[i] = pout[i].t;
    }
    assert_ok(ctx, oclnn_split_setup(op, pin.t, ts));
    assert_ok(ctx, oclnn_split_enqueue(op, 0, NULL));
    for (int i = 0; i < k; i++) {
        /* Output i is the Slice [at, at + size) of the axis: the slice reference computes it independently. */
        int64_t st = at, en = at + od[i * r + axis], ax = axis, step = 1;
        float *want = malloc(ref_count(r, od + i * r) * 4);
        ref_slice(r, sc->dims, 1, &st, &en, &ax, &step, x, want);
        check_placed(&pout[i], want, "output", sc->name);
        at = en;
        free(want);
        unplace(&pout[i]);
    }
    unplace(&pin);
    free(x);
    oclnn_split_destroy(op);
}

static void test_split_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    int slow = test_device_is_slow(ctx), ran = 0;
    for (size_t i = 0; i < sizeof split_cases / sizeof split_cases[0]; i++) {
        if (slow && !split_cases[i].small) continue;
        run_split(ctx, &split_cases[i]);
        ran++;
    }
    printf("# split: %d cases, exact\n", ran);
    oclnn_context_destroy(ctx);
}

/* ---- Slice ---- */

#define BIG INT64_MAX
#define SMALL INT64_MIN

typedef struct slice_case {
    const char *name;
    int ndim;
    int64_t dims[5];
    int count;
    int64_t starts[5], ends[5], axes[5], steps[5];
    int no_axes, no_steps, small;
} slice_case;

static const slice_case slice_cases[] = {
    {"FCN crop 19.. of 65x75 to 27x37", 4, {1, 21, 65, 75}, 2, {19, 19}, {46, 56}, {2, 3}, {1, 1}, 0, 0, 1},
    {"FCN crop, batch 3, axes -2 -1", 4, {3, 5, 65, 75}, 2, {19, 19}, {46, 56}, {-2, -1}, {1, 1}, 0, 0, 0},
    {"channels 3..20 of 23", 4, {1, 23, 27, 37}, 1, {3}, {20}, {1}, {1}, 0, 1, 0},
    {"no axes: leading axes", 4, {3, 23, 7, 9}, 2, {1, 2}, {3, 22}, {0}, {1}, 1, 1, 0},
    {"negative starts and ends", 3, {5, 27, 37}, 3, {-4, -20, -37}, {-1, -3, -2}, {0, 1, 2}, {1, 1, 1}, 0, 0, 1},
    {"steps 2 and 3", 4, {3, 23, 27, 37}, 3, {0, 1, 2}, {23, 27, 37}, {1, 2, 3}, {2, 3, 5}, 0, 0, 0},
    {"step -1 reverses W", 4, {1, 4, 27, 37}, 1, {-1}, {SMALL}, {3}, {-1}, 0, 0, 1},
    {"step -2 from the end", 4, {3, 23, 7, 9}, 2, {BIG, 20}, {SMALL, 2}, {1, 3}, {-2, -3}, 0, 0, 0},
    {"clamped: start past the end, step -1", 2, {9, 11}, 1, {100}, {-100}, {1}, {-1}, 0, 0, 0},
    {"clamped: ends INT64_MAX, starts -1000", 3, {4, 6, 8}, 2, {-1000, 2}, {BIG, BIG}, {0, 2}, {1, 1}, 0, 0, 0},
    {"negative step, start -1000 clamps to 0", 2, {5, 6}, 1, {-1000}, {SMALL}, {1}, {-1}, 0, 0, 0},
    {"step larger than the axis", 3, {4, 6, 8}, 2, {1, 7}, {4, 0}, {1, 2}, {100, -1000}, 0, 0, 0},
    {"rank 1", 1, {31}, 1, {3}, {29}, {0}, {4}, 0, 0, 0},
    {"rank 5 every axis", 5, {3, 4, 5, 6, 7}, 5, {1, -1, 0, 5, 1}, {3, 0, 5, 0, 7}, {0, 1, 2, 3, 4}, {1, -1, 2, -2, 3}, 0, 0, 1},
    {"rank 5 axis order mixed", 5, {3, 4, 5, 6, 7}, 2, {1, 2}, {6, 5}, {-1, 1}, {2, 1}, 0, 0, 0},
    {"no op (count 0)", 2, {3, 4}, 0, {0}, {0}, {0}, {0}, 1, 1, 0},
};

static void run_slice(oclnn_context *ctx, const slice_case *sc) {
    int r = sc->ndim, c = sc->count;
    int64_t axes[5], steps[5], od[5], want_d[5];
    for (int i = 0; i < c; i++) {
        axes[i] = sc->no_axes ? i : sc->axes[i];
        steps[i] = sc->no_steps ? 1 : sc->steps[i];
    }
    assert_true(ref_slice_dims(r, sc->dims, c, sc->starts, sc->ends, axes, steps, want_d));
    size_t n = ref_count(r, sc->dims);
    float *x = random_data(n), *want = malloc(ref_count(r, want_d) * 4);
    ref_slice(r, sc->dims, c, sc->starts, sc->ends, axes, steps, x, want);
    oclnn_slice *op;
    assert_ok(ctx, oclnn_slice_create(ctx, (size_t)c, sc->starts, sc->ends, sc->no_axes ? NULL : sc->axes,
                                      sc->no_steps ? NULL : sc->steps, &op));
    assert_ok(ctx, oclnn_slice_reshape(op, (size_t)r, sc->dims, od));
    for (int a = 0; a < r; a++)
        if (od[a] != want_d[a]) fail_msg("%s: dim %d is %lld, want %lld", sc->name, a, (long long)od[a], (long long)want_d[a]);
    placed pin = place(ctx, r, sc->dims, 1, x), pout = place(ctx, r, od, 6, NULL);
    assert_ok(ctx, oclnn_slice_setup(op, pin.t, pout.t));
    assert_ok(ctx, oclnn_slice_enqueue(op, 0, NULL));
    check_placed(&pout, want, "output", sc->name);
    unplace(&pin);
    unplace(&pout);
    free(x);
    free(want);
    oclnn_slice_destroy(op);
}

static void test_slice_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    int slow = test_device_is_slow(ctx), ran = 0;
    for (size_t i = 0; i < sizeof slice_cases / sizeof slice_cases[0]; i++) {
        if (slow && !slice_cases[i].small) continue;
        run_slice(ctx, &slice_cases[i]);
        ran++;
    }
    printf("# slice: %d cases, exact\n", ran);
    oclnn_context_destroy(ctx);
}

/* ---- Pad ---- */

typedef struct pad_case {
    const char *name;
    int ndim;
    int64_t dims[5];
    int64_t pads[10];
    int mode;
    float value;
    int small;
} pad_case;

static const pad_case pad_cases[] = {
    {"constant 1 @27x37 23ch", 4, {1, 23, 27, 37}, {0, 0, 1, 1, 0, 0, 1, 1}, 0, 0.0f, 1},
    {"constant -2.5 asym, batch 3", 4, {3, 5, 27, 37}, {0, 1, 2, 0, 0, 2, 0, 3}, 0, -2.5f, 0},
    {"reflect 2 @27x37", 4, {1, 23, 27, 37}, {0, 0, 2, 2, 0, 0, 2, 2}, 1, 0, 1},
    {"reflect beyond len-1 (periodic)", 4, {3, 2, 3, 4}, {0, 0, 5, 7, 0, 0, 6, 9}, 1, 0, 0},
    {"reflect on a length-1 axis", 3, {2, 1, 5}, {0, 2, 1, 0, 3, 1}, 1, 0, 0},
    {"edge 3 @27x37", 4, {1, 23, 27, 37}, {0, 0, 3, 3, 0, 0, 3, 3}, 2, 0, 0},
    {"edge all axes, batch 3", 4, {3, 4, 5, 6}, {1, 2, 3, 4, 2, 1, 0, 5}, 2, 0, 1},
    {"wrap", 4, {3, 4, 5, 6}, {0, 1, 7, 2, 0, 6, 3, 13}, 3, 0, 0},
    {"negative pads crop (constant)", 4, {3, 5, 27, 37}, {0, -1, -2, 3, 0, -2, 4, -5}, 0, 1.5f, 1},
    {"negative pads crop (reflect)", 4, {1, 3, 27, 37}, {0, 0, -3, 2, 0, 0, 4, -6}, 1, 0, 0},
    {"negative pads crop (edge)", 3, {3, 9, 11}, {-1, -8, 2, 0, 3, -9}, 2, 0, 0},
    {"rank 1", 1, {13}, {4, 9}, 1, 0, 0},
    {"rank 2 constant", 2, {7, 10}, {3, 0, 1, 2}, 0, 9.0f, 0},
    {"rank 5 reflect", 5, {2, 3, 4, 5, 6}, {1, 0, 2, 3, 1, 0, 2, 1, 4, 5}, 1, 0, 1},
    {"rank 5 edge", 5, {2, 3, 4, 5, 6}, {1, 1, 1, 1, 1, 2, 2, 2, 2, 2}, 2, 0, 0},
    {"no pads", 3, {2, 3, 4}, {0, 0, 0, 0, 0, 0}, 0, 0, 0},
};

static void run_pad(oclnn_context *ctx, const pad_case *pc) {
    int r = pc->ndim;
    int64_t od[5];
    oclnn_pad *op;
    assert_ok(ctx, oclnn_pad_create(ctx, (oclnn_pad_mode)pc->mode, pc->value, (size_t)r, pc->pads, &op));
    assert_ok(ctx, oclnn_pad_reshape(op, pc->dims, od));
    for (int a = 0; a < r; a++)
        if (od[a] != pc->dims[a] + pc->pads[a] + pc->pads[r + a]) fail_msg("%s: dim %d is %lld", pc->name, a, (long long)od[a]);
    size_t n = ref_count(r, pc->dims);
    float *x = random_data(n), *want = malloc(ref_count(r, od) * 4);
    ref_pad(r, pc->dims, pc->pads, pc->mode, pc->value, x, want);
    placed pin = place(ctx, r, pc->dims, 3, x), pout = place(ctx, r, od, 2, NULL);
    assert_ok(ctx, oclnn_pad_setup(op, pin.t, pout.t));
    assert_ok(ctx, oclnn_pad_enqueue(op, 0, NULL));
    check_placed(&pout, want, "output", pc->name);
    unplace(&pin);
    unplace(&pout);
    free(x);
    free(want);
    oclnn_pad_destroy(op);
}

static void test_pad_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    int slow = test_device_is_slow(ctx), ran = 0;
    for (size_t i = 0; i < sizeof pad_cases / sizeof pad_cases[0]; i++) {
        if (slow && !pad_cases[i].small) continue;
        run_pad(ctx, &pad_cases[i]);
        ran++;
    }
    printf("# pad: %d cases, exact\n", ran);
    oclnn_context_destroy(ctx);
}

/* ---- Transpose ---- */

typedef struct transpose_case {
    const char *name;
    int ndim;
    int64_t dims[6];
    int64_t perm[6];
    int no_perm, small;
} transpose_case;

static const transpose_case transpose_cases[] = {
    {"NCHW->NHWC 23ch @27x37 (tiled)", 4, {1, 23, 27, 37}, {0, 2, 3, 1}, 0, 1},
    {"NHWC->NCHW batch 3 (tiled)", 4, {3, 27, 37, 23}, {0, 3, 1, 2}, 0, 1},
    {"NCHW->NHWC 3ch (strided)", 4, {3, 3, 27, 37}, {0, 2, 3, 1}, 0, 0},
    {"2-D 27x37 (tiled)", 2, {27, 37}, {1, 0}, 0, 0},
    {"2-D reversed by default", 2, {23, 9}, {0}, 1, 0},
    {"rank 3 reversed by default", 3, {3, 5, 7}, {0}, 1, 0},
    {"swap H W", 4, {3, 5, 27, 37}, {0, 1, 3, 2}, 0, 0},
    {"channels to front", 4, {3, 5, 7, 9}, {1, 0, 2, 3}, 0, 0},
    {"identity", 4, {3, 5, 7, 9}, {0, 1, 2, 3}, 0, 0},
    {"rank 1", 1, {17}, {0}, 0, 0},
    {"rank 5 mixed", 5, {2, 3, 4, 5, 6}, {4, 2, 0, 3, 1}, 0, 1},
    {"rank 5 reversed", 5, {2, 3, 4, 5, 6}, {0}, 1, 0},
    {"rank 5 one-dims", 5, {1, 7, 1, 9, 1}, {3, 2, 4, 1, 0}, 0, 0},
    {"pixel shuffle 5-D", 5, {2, 4, 4, 9, 11}, {0, 3, 1, 4, 2}, 0, 0},
    /* Rank 6 (OCLNN_MAX_DIMS): PyTorch's PixelShuffle [N, C, r, r, H, W] -> [N, C, H, r, W, r] merges N and C into
     * 5 strided axes; size-1 axes drop out. */
    {"rank 6 pixel shuffle r2", 6, {2, 3, 2, 2, 5, 7}, {0, 1, 4, 2, 5, 3}, 0, 1},
    {"rank 6 one-dims (ONNX test_operator_permute2's form)", 6, {1, 3, 1, 5, 1, 7}, {0, 1, 4, 2, 5, 3}, 0, 0},
    {"rank 6 two merged pairs", 6, {2, 3, 4, 5, 3, 2}, {4, 5, 0, 1, 3, 2}, 0, 0},
};

static void run_transpose(oclnn_context *ctx, const transpose_case *tc) {
    int r = tc->ndim;
    int64_t perm[6], od[6];
    for (int i = 0; i < r; i++) perm[i] = tc->no_perm ? r - 1 - i : tc->perm[i];
    size_t n = ref_count(r, tc->dims);
    float *x = random_data(n), *want = malloc(n * 4);
    ref_transpose(r, tc->dims, perm, x, want);
    oclnn_transpose *op;
    assert_ok(ctx, oclnn_transpose_create(ctx, (size_t)r, tc->no_perm ? NULL : tc->perm, &op));
    assert_ok(ctx, oclnn_transpose_reshape(op, tc->dims, od));
    for (int a = 0; a < r; a++)
        if (od[a] != tc->dims[perm[a]]) fail_msg("%s: dim %d is %lld", tc->name, a, (long long)od[a]);
    placed pin = place(ctx, r, tc->dims, 7, x), pout = place(ctx, r, od, 3, NULL);
    assert_ok(ctx, oclnn_transpose_setup(op, pin.t, pout.t));
    assert_ok(ctx, oclnn_transpose_enqueue(op, 0, NULL));
    check_placed(&pout, want, "output", tc->name);
    unplace(&pin);
    unplace(&pout);
    free(x);
    free(want);
    oclnn_transpose_destroy(op);
}

static void test_transpose_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    int slow = test_device_is_slow(ctx), ran = 0;
    for (size_t i = 0; i < sizeof transpose_cases / sizeof transpose_cases[0]; i++) {
        if (slow && !transpose_cases[i].small) continue;
        run_transpose(ctx, &transpose_cases[i]);
        ran++;
    }
    printf("# transpose: %d cases, exact\n", ran);
    oclnn_context_destroy(ctx);
}


/* ---- Shape helpers ---- */

enum { SH_RESHAPE, SH_RESHAPE0, SH_FLATTEN, SH_SQUEEZE, SH_SQUEEZE_ALL, SH_UNSQUEEZE };

typedef struct shape_case {
    int kind;
    int ndim;
    int64_t dims[6];
    int nargs;
    int64_t args[7]; /* reshape: the shape; flatten: the axis; (un)squeeze: the axes */
    oclnn_status want;
    int out_ndim;
    int64_t out[6];
    const char *msg; /* for failures: a part of the message */
} shape_case;

#define OK_ OCLNN_STATUS_OK
#define BADSHAPE OCLNN_STATUS_INVALID_SHAPE
#define BADARG OCLNN_STATUS_INVALID_ARGUMENT
#define UNSUP OCLNN_STATUS_UNSUPPORTED

static const shape_case shape_cases[] = {
    {SH_RESHAPE, 3, {2, 3, 4}, 2, {4, -1}, OK_, 2, {4, 6}, NULL},
    {SH_RESHAPE, 3, {2, 3, 4}, 2, {0, -1}, OK_, 2, {2, 12}, NULL},
    {SH_RESHAPE, 3, {2, 3, 4}, 3, {0, 0, 4}, OK_, 3, {2, 3, 4}, NULL},
    {SH_RESHAPE, 4, {1, 23, 27, 37}, 1, {-1}, OK_, 1, {22977}, NULL},
    {SH_RESHAPE, 3, {2, 3, 4}, 5, {1, 2, 1, 3, 4}, OK_, 5, {1, 2, 1, 3, 4}, NULL},
    {SH_RESHAPE, 3, {2, 3, 4}, 3, {-1, 0, 2}, OK_, 3, {4, 3, 2}, NULL},
    {SH_RESHAPE, 3, {2, 3, 4}, 2, {3, 0}, BADSHAPE, 0, {0}, "9 elements"},
    {SH_RESHAPE, 3, {2, 3, 4}, 2, {-1, -1}, BADSHAPE, 0, {0}, "more than one -1"},
    {SH_RESHAPE, 3, {2, 3, 4}, 2, {5, -1}, BADSHAPE, 0, {0}, "not a multiple"},
    {SH_RESHAPE, 3, {2, 3, 4}, 4, {2, 3, 0, 0}, BADSHAPE, 0, {0}, "input has rank 3"},
    {SH_RESHAPE, 3, {2, 3, 4}, 2, {-2, 12}, BADSHAPE, 0, {0}, ">= -1"},
    {SH_RESHAPE, 3, {2, 3, 4}, 0, {0}, UNSUP, 0, {0}, "rank-0"},
    {SH_RESHAPE, 3, {2, 3, 4}, 6, {1, 1, 2, 3, 4, 1}, OK_, 6, {1, 1, 2, 3, 4, 1}, NULL},
    {SH_RESHAPE, 3, {2, 3, 4}, 7, {1, 1, 2, 3, 4, 1, 1}, UNSUP, 0, {0}, "above"},
    {SH_RESHAPE, 3, {2, 0, 4}, 1, {-1}, BADSHAPE, 0, {0}, "input dim 1"},
    {SH_RESHAPE0, 3, {2, 3, 4}, 2, {24, 1}, OK_, 2, {24, 1}, NULL},
    {SH_RESHAPE0, 3, {2, 3, 4}, 2, {0, -1}, BADSHAPE, 0, {0}, "allowzero forbids"},
    {SH_RESHAPE0, 3, {2, 3, 4}, 2, {0, 24}, BADSHAPE, 0, {0}, "holds no elements"},
    {SH_FLATTEN, 4, {2, 3, 4, 5}, 1, {0}, OK_, 2, {1, 120}, NULL},
    {SH_FLATTEN, 4, {2, 3, 4, 5}, 1, {2}, OK_, 2, {6, 20}, NULL},
    {SH_FLATTEN, 4, {2, 3, 4, 5}, 1, {4}, OK_, 2, {120, 1}, NULL},
    {SH_FLATTEN, 4, {2, 3, 4, 5}, 1, {-1}, OK_, 2, {24, 5}, NULL},
    {SH_FLATTEN, 4, {2, 3, 4, 5}, 1, {-4}, OK_, 2, {1, 120}, NULL},
    {SH_FLATTEN, 4, {2, 3, 4, 5}, 1, {5}, BADARG, 0, {0}, "outside"},
    {SH_FLATTEN, 4, {2, 3, 4, 5}, 1, {-5}, BADARG, 0, {0}, "outside"},
    {SH_SQUEEZE_ALL, 4, {1, 3, 1, 5}, 0, {0}, OK_, 2, {3, 5}, NULL},
    {SH_SQUEEZE, 4, {1, 3, 1, 5}, 1, {0}, OK_, 3, {3, 1, 5}, NULL},
    {SH_SQUEEZE, 4, {1, 3, 1, 5}, 1, {-2}, OK_, 3, {1, 3, 5}, NULL},
    {SH_SQUEEZE, 5, {1, 3, 1, 5, 1}, 3, {-1, 0, 2}, OK_, 2, {3, 5}, NULL},
    {SH_SQUEEZE, 4, {1, 3, 1, 5}, 1, {1}, BADSHAPE, 0, {0}, "not 1"},
    {SH_SQUEEZE, 4, {1, 3, 1, 5}, 1, {4}, BADARG, 0, {0}, "outside"},
    {SH_SQUEEZE, 4, {1, 3, 1, 5}, 2, {0, -4}, BADARG, 0, {0}, "repeated"},
    {SH_SQUEEZE_ALL, 2, {1, 1}, 0, {0}, UNSUP, 0, {0}, "rank 0"},
    {SH_UNSQUEEZE, 2, {3, 5}, 1, {0}, OK_, 3, {1, 3, 5}, NULL},
    {SH_UNSQUEEZE, 2, {3, 5}, 1, {-1}, OK_, 3, {3, 5, 1}, NULL},
    {SH_UNSQUEEZE, 2, {3, 5}, 2, {0, 3}, OK_, 4, {1, 3, 5, 1}, NULL},
    {SH_UNSQUEEZE, 2, {3, 5}, 2, {1, -2}, OK_, 4, {3, 1, 1, 5}, NULL},
    {SH_UNSQUEEZE, 1, {7}, 4, {4, 0, 2, -4}, OK_, 5, {1, 1, 1, 7, 1}, NULL},
    {SH_UNSQUEEZE, 2, {3, 5}, 1, {3}, BADARG, 0, {0}, "outside"},
    {SH_UNSQUEEZE, 2, {3, 5}, 2, {0, 0}, BADARG, 0, {0}, "repeated"},
    {SH_UNSQUEEZE, 4, {2, 3, 4, 5}, 2, {0, 1}, OK_, 6, {1, 1, 2, 3, 4, 5}, NULL},
    {SH_UNSQUEEZE, 4, {2, 3, 4, 5}, 3, {0, 1, -1}, UNSUP, 0, {0}, "above"},
    {SH_SQUEEZE, 6, {1, 3, 1, 5, 1, 2}, 2, {0, 4}, OK_, 4, {3, 1, 5, 2}, NULL},
};

static oclnn_status run_shape(const shape_case *c, size_t *nd, int64_t *od) {
    switch (c->kind) {
    case SH_RESHAPE:
    case SH_RESHAPE0:
        return oclnn_shape_reshape((size_t)c->ndim, c->dims, (size_t)c->nargs, c->args, c->kind == SH_RESHAPE0, nd, od);
    case SH_FLATTEN: *nd = 2; return oclnn_shape_flatten((size_t)c->ndim, c->dims, c->args[0], od);
    case SH_SQUEEZE: return oclnn_shape_squeeze((size_t)c->ndim, c->dims, (size_t)c->nargs, c->args, nd, od);
    case SH_SQUEEZE_ALL: return oclnn_shape_squeeze((size_t)c->ndim, c->dims, 0, NULL, nd, od);
    default: return oclnn_shape_unsqueeze((size_t)c->ndim, c->dims, (size_t)c->nargs, c->args, nd, od);
    }
}

static void test_shape_helpers(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof shape_cases / sizeof shape_cases[0]; i++) {
        const shape_case *c = &shape_cases[i];
        size_t nd = 99;
        int64_t od[6] = {-7, -7, -7, -7, -7, -7};
        oclnn_status st = run_shape(c, &nd, od);
        if (st != c->want)
            fail_msg("shape case %zu: got %s (%s), want %s", i, oclnn_status_name(st), oclnn_last_error(NULL),
                     oclnn_status_name(c->want));
        if (st) {
            if (!strstr(oclnn_last_error(NULL), c->msg))
                fail_msg("shape case %zu: message '%s' lacks '%s'", i, oclnn_last_error(NULL), c->msg);
            continue;
        }
        if ((int)nd != c->out_ndim) fail_msg("shape case %zu: rank %zu, want %d", i, nd, c->out_ndim);
        for (int a = 0; a < c->out_ndim; a++)
            if (od[a] != c->out[a]) fail_msg("shape case %zu: dim %d is %lld, want %lld", i, a, (long long)od[a], (long long)c->out[a]);
    }
}

/* Views shaped by the helpers read the right data, and operators accept them. */
static void test_shape_views(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    int64_t dims[4] = {2, 3, 4, 5}, rd[5], fd[2], sd[5], ud[5];
    float *x = random_data(120), got[120];
    oclnn_tensor *t, *vr, *vf, *vu, *half;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dims, &t));
    assert_ok(ctx, oclnn_tensor_write(t, 0, sizeof got, x));
    size_t nr, ns, nu;
    int64_t shape[3] = {0, -1, 5}, one[1] = {0};
    assert_ok(NULL, oclnn_shape_reshape(4, dims, 3, shape, 0, &nr, rd));
    assert_ok(NULL, oclnn_shape_flatten(4, dims, 1, fd));
    assert_ok(NULL, oclnn_shape_unsqueeze(4, dims, 1, one, &nu, ud));
    assert_ok(ctx, oclnn_tensor_view(t, 0, OCLNN_DTYPE_F32, nr, rd, &vr));
    assert_ok(ctx, oclnn_tensor_view(t, 0, OCLNN_DTYPE_F32, 2, fd, &vf));
    assert_ok(ctx, oclnn_tensor_view(t, 0, OCLNN_DTYPE_F32, nu, ud, &vu));
    assert_ok(NULL, oclnn_shape_squeeze(nu, ud, 0, NULL, &ns, sd));
    assert_int_equal(ns, 4);
    /* The second batch item alone, squeezed: a view at an offset. */
    int64_t item[4] = {1, 3, 4, 5};
    assert_ok(NULL, oclnn_shape_squeeze(4, item, 1, one, &ns, sd));
    assert_ok(ctx, oclnn_tensor_view(t, 60 * 4, OCLNN_DTYPE_F32, ns, sd, &half));
    oclnn_tensor *views[3] = {vr, vf, vu};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(oclnn_tensor_nbytes(views[i]), sizeof got);
        assert_ok(ctx, oclnn_tensor_read(views[i], 0, sizeof got, got));
        assert_memory_equal(got, x, sizeof got);
    }
    assert_ok(ctx, oclnn_tensor_read(half, 0, 60 * 4, got));
    assert_memory_equal(got, x + 60, 60 * 4);
    /* Transpose of the reshaped view [2, 12, 5] -> [2, 5, 12]. */
    int64_t perm[3] = {0, 2, 1}, od[3];
    float want[120];
    ref_transpose(3, rd, perm, x, want);
    oclnn_transpose *op;
    assert_ok(ctx, oclnn_transpose_create(ctx, 3, perm, &op));
    assert_ok(ctx, oclnn_transpose_reshape(op, rd, od));
    oclnn_tensor *out;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 3, od, &out));
    assert_ok(ctx, oclnn_transpose_setup(op, vr, out));
    assert_ok(ctx, oclnn_transpose_enqueue(op, 0, NULL));
    assert_ok(ctx, oclnn_tensor_read(out, 0, sizeof got, got));
    assert_memory_equal(got, want, sizeof got);
    oclnn_transpose_destroy(op);
    oclnn_tensor_destroy(out);
    oclnn_tensor_destroy(half);
    oclnn_tensor_destroy(vu);
    oclnn_tensor_destroy(vf);
    oclnn_tensor_destroy(vr);
    oclnn_tensor_destroy(t);
    free(x);
    oclnn_context_destroy(ctx);
}

/* ---- Negative table ---- */

typedef struct neg_case {
    const char *name;
    oclnn_status want;
    const char *msg;
} neg_case;

static const neg_case neg_cases[] = {
    {"concat: 0 inputs", BADARG, "inputs"},
    {"concat: axis 6", BADARG, "axis"},
    {"concat: rank mismatch", BADSHAPE, "rank"},
    {"concat: dims mismatch off the axis", BADSHAPE, "only axis"},
    {"concat: axis 2 of a rank-2 input", BADARG, "outside"},
    {"concat: output of the wrong shape", BADSHAPE, "output 0 must be"},
    {"concat: an input of the wrong shape", BADSHAPE, "input 1 must be"},
    {"concat: input dim 0", BADSHAPE, "must be >= 1"},
    {"concat: rank 7", BADSHAPE, "rank 7"},
    {"split: sizes do not sum to the axis", BADSHAPE, "sum to"},
    {"split: negative size", BADARG, "must be >= 0"},
    {"split: size 0", UNSUP, "empty"},
    {"split: 3 equal parts of 4", UNSUP, "empty"},
    {"split: outputs overlap", BADARG, "overlap"},
    {"slice: step 0", BADARG, "step"},
    {"slice: repeated axis", BADARG, "repeated"},
    {"slice: axis out of range", BADARG, "outside"},
    {"slice: empty result", UNSUP, "no element"},
    {"slice: 7 axes", BADARG, "at most"},
    {"pad: mode 7", BADARG, "mode"},
    {"pad: crop of a whole axis", BADSHAPE, "crop all"},
    {"pad: rank 0", BADARG, "rank"},
    {"pad: input and output overlap", BADARG, "overlap"},
    {"transpose: perm repeats an axis", BADARG, "permutation"},
    {"transpose: perm out of range", BADARG, "permutation"},
    {"transpose: setup before reshape", OCLNN_STATUS_INVALID_STATE, "before reshape"},
    {"transpose: enqueue before setup", OCLNN_STATUS_INVALID_STATE, "before reshape and setup"},
    {"transpose: queue 9", BADARG, "queue"},
    {"transpose: f16 input", BADSHAPE, "must be f32"},
    {"transpose: rank 6 keeping 6 strided axes", UNSUP, "6 strided axes"},
    {"pad: rank 6", BADARG, "must be 1..5"},
};

/* Runs negative case @p i; returns its status. Objects it makes are freed here. */
static oclnn_status run_neg(oclnn_context *ctx, int i) {
    int64_t d2[2] = {3, 4}, d2b[2] = {3, 5}, d3[3] = {3, 4, 5}, d3z[3] = {3, 0, 5}, d7[7] = {1, 1, 1, 1, 1, 1, 1};
    const int64_t *dp[2];
    size_t nd[2] = {2, 2};
    int64_t od[12];
    oclnn_status st = OCLNN_STATUS_OK;
    oclnn_concat *cc = NULL;
    oclnn_split *sp = NULL;
    oclnn_slice *sl = NULL;
    oclnn_pad *pd = NULL;
    oclnn_transpose *tp = NULL;
    oclnn_tensor *a = NULL, *b = NULL, *c = NULL;
    switch (i) {
    case 0: st = oclnn_concat_create(ctx, 0, 0, &cc); break;
    case 1: st = oclnn_concat_create(ctx, 6, 2, &cc); break;
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
    case 7:
    case 8:
        assert_ok(ctx, oclnn_concat_create(ctx, i == 4 ? 2 : 0, 2, &cc));
        dp[0] = d2;
        dp[1] = i == 3 ? d2b : i == 7 ? d3z : d2;
        if (i == 2) nd[1] = 3;
        if (i == 7) nd[0] = nd[1] = 3, dp[0] = d3;
        if (i == 8) nd[0] = nd[1] = 7, dp[0] = dp[1] = d7;
        if ((st = oclnn_concat_reshape(cc, nd, dp, od)) || i < 5) break;
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, d2, &a));
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, i == 5 ? d2 : d2b, &b));
        if (i == 6) assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, (int64_t[]){6, 4}, &c));
        {
            const oclnn_tensor *ins[2] = {a, i == 6 ? b : a};
            st = oclnn_concat_setup(cc, ins, i == 5 ? b : c);
        }
        break;
    case 9: st = oclnn_split_create(ctx, 1, 2, (int64_t[]){2, 3}, &sp), st = st ? st : oclnn_split_reshape(sp, 2, d2, od); break;
    case 10: st = oclnn_split_create(ctx, 1, 2, (int64_t[]){5, -1}, &sp); break;
    case 11: st = oclnn_split_create(ctx, 1, 2, (int64_t[]){4, 0}, &sp); break;
    case 12: assert_ok(ctx, oclnn_split_create(ctx, 0, 3, NULL, &sp)); st = oclnn_split_reshape(sp, 2, (int64_t[]){4, 2}, od); break;
    case 13: {
        assert_ok(ctx, oclnn_split_create(ctx, 1, 2, NULL, &sp));
        assert_ok(ctx, oclnn_split_reshape(sp, 2, d2, od));
        int64_t big = 12;
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 1, &big, &c));
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, d2, &a));
        int64_t half[2] = {3, 2};
        assert_ok(ctx, oclnn_tensor_view(c, 0, OCLNN_DTYPE_F32, 2, half, &b));
        oclnn_tensor *outs[2] = {b, b};
        st = oclnn_split_setup(sp, a, outs);
        break;
    }
    case 14: st = oclnn_slice_create(ctx, 1, (int64_t[]){0}, (int64_t[]){3}, NULL, (int64_t[]){0}, &sl); break;
    case 15:
    case 16:
    case 17: {
        int64_t st2[2] = {0, 0}, en2[2] = {2, i == 17 ? 0 : 2}, ax2[2] = {1, i == 15 ? -1 : i == 16 ? 2 : 0};
        assert_ok(ctx, oclnn_slice_create(ctx, 2, st2, en2, ax2, NULL, &sl));
        st = oclnn_slice_reshape(sl, 2, d2, od);
        break;
    }
    case 18: st = oclnn_slice_create(ctx, 7, d7, d7, NULL, NULL, &sl); break;
    case 19: st = oclnn_pad_create(ctx, (oclnn_pad_mode)7, 0, 2, (int64_t[]){0, 0, 0, 0}, &pd); break;
    case 20:
        assert_ok(ctx, oclnn_pad_create(ctx, OCLNN_PAD_REFLECT, 0, 2, (int64_t[]){0, -3, 5, -1}, &pd));
        st = oclnn_pad_reshape(pd, d2, od);
        break;
    case 21: st = oclnn_pad_create(ctx, OCLNN_PAD_EDGE, 0, 0, (int64_t[]){0}, &pd); break;
    case 22: {
        assert_ok(ctx, oclnn_pad_create(ctx, OCLNN_PAD_CONSTANT, 0, 2, (int64_t[]){0, 0, 0, 0}, &pd));
        assert_ok(ctx, oclnn_pad_reshape(pd, d2, od));
        int64_t big = 13;
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 1, &big, &c));
        assert_ok(ctx, oclnn_tensor_view(c, 0, OCLNN_DTYPE_F32, 2, d2, &a));
        assert_ok(ctx, oclnn_tensor_view(c, 4, OCLNN_DTYPE_F32, 2, d2, &b));
        st = oclnn_pad_setup(pd, a, b);
        break;
    }
    case 23: st = oclnn_transpose_create(ctx, 3, (int64_t[]){0, 0, 1}, &tp); break;
    case 24: st = oclnn_transpose_create(ctx, 3, (int64_t[]){0, 3, 1}, &tp); break;
    case 29: /* reversing 6 axes of sizes > 1 leaves no pair to merge */
        assert_ok(ctx, oclnn_transpose_create(ctx, 6, (int64_t[]){5, 4, 3, 2, 1, 0}, &tp));
        st = oclnn_transpose_reshape(tp, (int64_t[]){2, 3, 2, 3, 2, 3}, od);
        break;
    case 30: st = oclnn_pad_create(ctx, OCLNN_PAD_EDGE, 0, 6, (int64_t[]){0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, &pd); break;
    default: {
        assert_ok(ctx, oclnn_transpose_create(ctx, 2, NULL, &tp));
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 2, d2, &a));
        int64_t t2[2] = {4, 3};
        assert_ok(ctx, oclnn_tensor_create(ctx, i == 28 ? OCLNN_DTYPE_F16 : OCLNN_DTYPE_F32, 2, t2, &b));
        if (i == 25) {
            st = oclnn_transpose_setup(tp, a, b);
            break;
        }
        assert_ok(ctx, oclnn_transpose_reshape(tp, d2, od));
        if (i == 26) {
            st = oclnn_transpose_enqueue(tp, 0, NULL);
            break;
        }
        if (i == 28) {
            st = oclnn_transpose_setup(tp, b, a);
            break;
        }
        assert_ok(ctx, oclnn_transpose_setup(tp, a, b));
        st = oclnn_transpose_enqueue(tp, 9, NULL);
        break;
    }
    }
    oclnn_concat_destroy(cc);
    oclnn_split_destroy(sp);
    oclnn_slice_destroy(sl);
    oclnn_pad_destroy(pd);
    oclnn_transpose_destroy(tp);
    oclnn_tensor_destroy(a);
    oclnn_tensor_destroy(b);
    oclnn_tensor_destroy(c);
    return st;
}

static void test_negative_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    for (int i = 0; i < (int)(sizeof neg_cases / sizeof neg_cases[0]); i++) {
        oclnn_status st = run_neg(ctx, i);
        if (st != neg_cases[i].want)
            fail_msg("%s: got %s (%s), want %s", neg_cases[i].name, oclnn_status_name(st), oclnn_last_error(ctx),
                     oclnn_status_name(neg_cases[i].want));
        if (!strstr(oclnn_last_error(ctx), neg_cases[i].msg))
            fail_msg("%s: message '%s' lacks '%s'", neg_cases[i].name, oclnn_last_error(ctx), neg_cases[i].msg);
    }
    /* A failed create leaves NULL behind. */
    oclnn_concat *cc = (oclnn_concat *)ctx;
    assert_int_equal(oclnn_concat_create(ctx, 0, 0, &cc), BADARG);
    assert_null(cc);
    oclnn_context_destroy(ctx);
}

/* New shapes reuse the programs: no build and no disk load after create. */
static void test_reshape_never_recompiles(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    oclnn_pad *pd;
    oclnn_transpose *tp;
    oclnn_concat *cc;
    assert_ok(ctx, oclnn_pad_create(ctx, OCLNN_PAD_REFLECT, 0, 4, (int64_t[]){0, 0, 1, 2, 0, 0, 2, 1}, &pd));
    assert_ok(ctx, oclnn_transpose_create(ctx, 4, (int64_t[]){0, 2, 3, 1}, &tp));
    assert_ok(ctx, oclnn_concat_create(ctx, 1, 2, &cc));
    oclnn_cache_stats s0, s1;
    oclnn_context_cache_stats(ctx, &s0);
    static const int64_t sizes[][4] = {{1, 3, 5, 7}, {3, 23, 27, 37}, {2, 1, 9, 4}};
    for (int i = 0; i < 3; i++) {
        int64_t od[4];
        const int64_t *dp[2] = {sizes[i], sizes[i]};
        size_t nd[2] = {4, 4};
        size_t n = ref_count(4, sizes[i]);
        float *x = random_data(n), *want = malloc(n * 8), *got = malloc(n * 8);
        oclnn_tensor *tx, *ty;
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, sizes[i], &tx));
        assert_ok(ctx, oclnn_tensor_write(tx, 0, n * 4, x));
        assert_ok(ctx, oclnn_transpose_reshape(tp, sizes[i], od));
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, od, &ty));
        assert_ok(ctx, oclnn_transpose_setup(tp, tx, ty));
        assert_ok(ctx, oclnn_transpose_enqueue(tp, 0, NULL));
        assert_ok(ctx, oclnn_tensor_read(ty, 0, n * 4, got));
        ref_transpose(4, sizes[i], (int64_t[]){0, 2, 3, 1}, x, want);
        assert_memory_equal(got, want, n * 4);
        oclnn_tensor_destroy(ty);
        assert_ok(ctx, oclnn_pad_reshape(pd, sizes[i], od));
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, od, &ty));
        assert_ok(ctx, oclnn_pad_setup(pd, tx, ty));
        assert_ok(ctx, oclnn_pad_enqueue(pd, 0, NULL));
        size_t m = ref_count(4, od);
        float *pw = malloc(m * 4), *pg = malloc(m * 4);
        assert_ok(ctx, oclnn_tensor_read(ty, 0, m * 4, pg));
        ref_pad(4, sizes[i], (int64_t[]){0, 0, 1, 2, 0, 0, 2, 1}, 1, 0, x, pw);
        assert_memory_equal(pg, pw, m * 4);
        free(pw);
        free(pg);
        oclnn_tensor_destroy(ty);
        assert_ok(ctx, oclnn_concat_reshape(cc, nd, dp, od));
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, od, &ty));
        const oclnn_tensor *ins[2] = {tx, tx};
        assert_ok(ctx, oclnn_concat_setup(cc, ins, ty));
        assert_ok(ctx, oclnn_concat_enqueue(cc, 0, NULL));
        assert_ok(ctx, oclnn_tensor_read(ty, 0, n * 8, got));
        const float *xs[2] = {x, x};
        ref_concat(4, 2, dp, 1, xs, want);
        assert_memory_equal(got, want, n * 8);
        oclnn_tensor_destroy(ty);
        oclnn_tensor_destroy(tx);
        free(x);
        free(want);
        free(got);
    }
    oclnn_context_cache_stats(ctx, &s1);
    assert_int_equal(s1.source_builds, s0.source_builds);
    assert_int_equal(s1.disk_hits, s0.disk_hits);
    oclnn_pad_destroy(pd);
    oclnn_transpose_destroy(tp);
    oclnn_concat_destroy(cc);
    oclnn_context_destroy(ctx);
}

/* Every option set the operators ask for is among the registry's variants (what prebuild_all warms). Only this
 * family's entries are warmed here, the way prebuild_all walks them, to keep the test short. */
static void test_prebuild_covers_operators(void **state) {
    (void)state;
    const char *dir = test_tmpdir("prebuild");
    oclnn_context *warm = test_context(dir);
    oclnn_kernel_id ids[2] = {OCLNN_KERNEL_DATAMOVE, OCLNN_KERNEL_RESIZE};
    for (int i = 0; i < 2; i++)
        for (const char *v = oclnn_kernel_variants(ids[i]);;) {
            const char *e = strchr(v, ';');
            char opts[256];
            snprintf(opts, sizeof opts, "%.*s", (int)(e ? (size_t)(e - v) : strlen(v)), v);
            cl_program prog;
            assert_ok(warm, oclnn_program_get(warm, ids[i], opts, &prog));
            clw_ReleaseProgram(prog);
            if (!e) break;
            v = e + 1;
        }
    oclnn_context_destroy(warm);
    oclnn_context *ctx = test_context(dir);
    for (int m = 0; m <= OCLNN_PAD_WRAP; m++) {
        oclnn_pad *pd;
        assert_ok(ctx, oclnn_pad_create(ctx, (oclnn_pad_mode)m, 0, 1, (int64_t[]){1, 1}, &pd));
        oclnn_pad_destroy(pd);
    }
    oclnn_concat *cc;
    oclnn_split *sp;
    oclnn_slice *sl;
    oclnn_transpose *tp;
    assert_ok(ctx, oclnn_concat_create(ctx, 0, 2, &cc));
    assert_ok(ctx, oclnn_split_create(ctx, 0, 2, NULL, &sp));
    assert_ok(ctx, oclnn_slice_create(ctx, 0, NULL, NULL, NULL, NULL, &sl));
    assert_ok(ctx, oclnn_transpose_create(ctx, 2, NULL, &tp));
    oclnn_concat_destroy(cc);
    oclnn_split_destroy(sp);
    oclnn_slice_destroy(sl);
    oclnn_transpose_destroy(tp);
    for (int m = OCLNN_RESIZE_NEAREST; m <= OCLNN_RESIZE_LINEAR; m++) {
        oclnn_resize_params p;
        oclnn_resize_params_init(&p);
        p.mode = (oclnn_resize_mode)m;
        oclnn_resize *rs;
        assert_ok(ctx, oclnn_resize_create(ctx, &p, &rs));
        oclnn_resize_destroy(rs);
    }
    oclnn_cache_stats s;
    oclnn_context_cache_stats(ctx, &s);
    assert_int_equal(s.source_builds, 0);
    oclnn_context_destroy(ctx);
}

/* Every operator's lifecycle once: create, reshape, setup, enqueue with an event, destroy. x and y are 1x4x3x5,
 * h0 and h1 1x2x3x5, c 1x8x3x5. Returns the first failing status; everything made here is freed here. */
static oclnn_status lifecycle(oclnn_context *ctx, oclnn_tensor *x, oclnn_tensor *y, oclnn_tensor *h0, oclnn_tensor *h1,
                              oclnn_tensor *c) {
    int64_t d[4] = {1, 4, 3, 5}, od[10], zero8[8] = {0}, one = 1, three = 3, id[4] = {0, 1, 2, 3};
    const int64_t *dp[2] = {d, d};
    size_t nd[2] = {4, 4};
    const oclnn_tensor *ins[2] = {x, y};
    oclnn_tensor *halves[2] = {h0, h1};
    oclnn_concat *cc = NULL;
    oclnn_split *sp = NULL;
    oclnn_slice *sl = NULL;
    oclnn_pad *pd = NULL;
    oclnn_transpose *tp = NULL;
    oclnn_resize *rs = NULL;
    oclnn_event *ev[6] = {NULL};
    oclnn_resize_params rp;
    oclnn_resize_params_init(&rp);
    rp.mode = OCLNN_RESIZE_LINEAR;
    oclnn_status st;
    if ((st = oclnn_concat_create(ctx, 1, 2, &cc)) || (st = oclnn_concat_reshape(cc, nd, dp, od)) ||
        (st = oclnn_concat_setup(cc, ins, c)) || (st = oclnn_concat_enqueue(cc, 0, &ev[0])))
        goto done;
    if ((st = oclnn_split_create(ctx, 1, 2, NULL, &sp)) || (st = oclnn_split_reshape(sp, 4, d, od)) ||
        (st = oclnn_split_setup(sp, x, halves)) || (st = oclnn_split_enqueue(sp, 0, &ev[1])))
        goto done;
    if ((st = oclnn_slice_create(ctx, 1, &one, &three, &one, NULL, &sl)) || (st = oclnn_slice_reshape(sl, 4, d, od)) ||
        (st = oclnn_slice_setup(sl, x, h0)) || (st = oclnn_slice_enqueue(sl, 0, &ev[2])))
        goto done;
    if ((st = oclnn_pad_create(ctx, OCLNN_PAD_EDGE, 0, 4, zero8, &pd)) || (st = oclnn_pad_reshape(pd, d, od)) ||
        (st = oclnn_pad_setup(pd, x, y)) || (st = oclnn_pad_enqueue(pd, 0, &ev[3])))
        goto done;
    if ((st = oclnn_transpose_create(ctx, 4, id, &tp)) || (st = oclnn_transpose_reshape(tp, d, od)) ||
        (st = oclnn_transpose_setup(tp, x, y)) || (st = oclnn_transpose_enqueue(tp, 0, &ev[4])))
        goto done;
    if ((st = oclnn_resize_create(ctx, &rp, &rs)) || (st = oclnn_resize_reshape(rs, 1, 4, 3, 5, NULL, NULL)) ||
        (st = oclnn_resize_setup(rs, x, y, 0)) || (st = oclnn_resize_enqueue(rs, 0, &ev[5])))
        goto done;
    st = oclnn_event_wait(ev[5]);
done:
    if (st && strlen(oclnn_last_error(ctx)) == 0) fail_msg("status %s without a message", oclnn_status_name(st));
    for (int i = 0; i < 6; i++) oclnn_event_destroy(ev[i]);
    oclnn_concat_destroy(cc);
    oclnn_split_destroy(sp);
    oclnn_slice_destroy(sl);
    oclnn_pad_destroy(pd);
    oclnn_transpose_destroy(tp);
    oclnn_resize_destroy(rs);
    return st;
}

/* Failure sweeps: every host allocation, OpenCL object creation and enqueue of the lifecycles fails once in turn;
 * each run ends in OK or a clean status with a message, and leaves no host allocation and no OpenCL object. */
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
    int64_t d[4] = {1, 4, 3, 5}, dh[4] = {1, 2, 3, 5}, dc[4] = {1, 8, 3, 5};
    oclnn_tensor *x, *y, *h0, *h1, *c;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, d, &x));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, d, &y));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dh, &h0));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dh, &h1));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dc, &c));
    assert_ok(ctx, lifecycle(ctx, x, y, h0, h1, c)); /* warms the programs: the sweeps hit the operators' calls */
    long live0 = ta.live;
    int64_t cl0 = clw_live_objects();
    int failures = 0;
    for (int kind = -1; kind <= (int)CLW_FAULT_ENQUEUE; kind++) {
        if (kind == CLW_FAULT_BUILD) continue; /* programs come from the memory cache here */
        for (uint64_t k = 1;; k++) {
            long calls0 = ta.calls;
            if (kind < 0) {
                ta.fail_at = calls0 + (long)k;
            } else {
                clw_fault_reset();
                clw_fault_set((clw_fault_kind)kind, k);
            }
            oclnn_status st = lifecycle(ctx, x, y, h0, h1, c);
            int hit = kind < 0 ? ta.calls - calls0 >= (long)k : clw_calls((clw_fault_kind)kind) >= k;
            ta.fail_at = 0;
            clw_fault_reset();
            oclnn_context_finish(ctx);
            if (ta.live != live0 || clw_live_objects() != cl0)
                fail_msg("fault kind %d at %llu: %ld host allocations and %lld OpenCL objects leaked", kind,
                         (unsigned long long)k, ta.live - live0, (long long)(clw_live_objects() - cl0));
            if (!hit) {
                assert_ok(ctx, st);
                break;
            }
            failures += st != OCLNN_STATUS_OK;
        }
    }
    printf("# failure sweeps: %d injected failures reported cleanly\n", failures);
    assert_true(failures > 10);
    oclnn_tensor_destroy(x);
    oclnn_tensor_destroy(y);
    oclnn_tensor_destroy(h0);
    oclnn_tensor_destroy(h1);
    oclnn_tensor_destroy(c);
    oclnn_context_destroy(ctx);
    assert_int_equal(ta.live, 0);
}

/* The exactness check can fail: a one-ulp change is caught by the bitwise compare. */
static void test_exact_check_is_strict(void **state) {
    (void)state;
    float a = 0.3f, b = nextafterf(a, 1.0f), z = 0.0f, nz = -0.0f;
    assert_true(memcmp(&a, &b, 4) != 0);
    assert_true(memcmp(&z, &nz, 4) != 0); /* even a sign-of-zero change */
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concat_table),         cmocka_unit_test(test_concat_in_place),
        cmocka_unit_test(test_split_table),          cmocka_unit_test(test_slice_table),
        cmocka_unit_test(test_pad_table),            cmocka_unit_test(test_transpose_table),
        cmocka_unit_test(test_shape_helpers),        cmocka_unit_test(test_shape_views),
        cmocka_unit_test(test_negative_table),       cmocka_unit_test(test_reshape_never_recompiles),
        cmocka_unit_test(test_prebuild_covers_operators), cmocka_unit_test(test_exact_check_is_strict),
        cmocka_unit_test(test_failure_sweeps),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    return r || clw_live_objects() != 0;
}
