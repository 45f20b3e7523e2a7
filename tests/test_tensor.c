/* test_tensor.c - tensors: shapes, upload/download round trips at byte offsets (blocking and with events),
 * zero fill, range checks, impossible shapes and allocations larger than the device allows.
 */
#include "common.h"

#include "device/clw.h"
#include "oclnn_cl.h"

static void test_shapes(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    static const struct {
        size_t ndim;
        int64_t dims[7];
        oclnn_status want;
    } cases[] = {
        {1, {1}, OCLNN_STATUS_OK},
        {4, {3, 23, 27, 37}, OCLNN_STATUS_OK},
        {5, {1, 2, 3, 4, 5}, OCLNN_STATUS_OK},
        {6, {2, 3, 1, 2, 5, 7}, OCLNN_STATUS_OK},
        {0, {1}, OCLNN_STATUS_INVALID_SHAPE},
        {7, {1, 1, 1, 1, 1, 1, 1}, OCLNN_STATUS_INVALID_SHAPE},
        {2, {4, 0}, OCLNN_STATUS_INVALID_SHAPE},
        {2, {-3, 4}, OCLNN_STATUS_INVALID_SHAPE},
        {3, {INT64_MAX, 4, 4}, OCLNN_STATUS_INVALID_SHAPE},            /* overflows size_t */
        {2, {1ll << 32, 1ll << 31}, OCLNN_STATUS_INVALID_SHAPE},       /* 2^65 bytes: overflows */
        {2, {1ll << 20, 1ll << 20}, OCLNN_STATUS_OUT_OF_DEVICE_MEMORY}, /* 4 TiB: no device has it */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        oclnn_tensor *t = (oclnn_tensor *)ctx;
        oclnn_status st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, cases[i].ndim, cases[i].dims, &t);
        if (st != cases[i].want)
            fail_msg("case %zu: got %s (%s), want %s", i, oclnn_status_name(st), oclnn_last_error(ctx),
                     oclnn_status_name(cases[i].want));
        if (st) {
            assert_null(t);
            assert_true(strlen(oclnn_last_error(ctx)) > 0);
            continue;
        }
        size_t elems = 1;
        int64_t got[OCLNN_MAX_DIMS];
        assert_int_equal(oclnn_tensor_ndim(t), cases[i].ndim);
        oclnn_tensor_dims(t, got);
        for (size_t d = 0; d < cases[i].ndim; d++) {
            assert_int_equal(got[d], cases[i].dims[d]);
            elems *= (size_t)cases[i].dims[d];
        }
        assert_int_equal(oclnn_tensor_nbytes(t), elems * 4);
        assert_int_equal(oclnn_tensor_dtype(t), OCLNN_DTYPE_F32);
        oclnn_tensor_destroy(t);
    }
    /* f16 tensors can be made (2 bytes an element); an unknown dtype cannot. */
    oclnn_tensor *t;
    int64_t d3[1] = {7};
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F16, 1, d3, &t));
    assert_int_equal(oclnn_tensor_nbytes(t), 14);
    oclnn_tensor_destroy(t);
    /* Integer tensors (ArgMax writes int64 indices): 4 and 8 bytes an element. */
    assert_int_equal(oclnn_dtype_size(OCLNN_DTYPE_I32), 4);
    assert_int_equal(oclnn_dtype_size(OCLNN_DTYPE_I64), 8);
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_I64, 1, d3, &t));
    assert_int_equal(oclnn_tensor_nbytes(t), 56);
    assert_int_equal(oclnn_tensor_dtype(t), OCLNN_DTYPE_I64);
    oclnn_tensor_destroy(t);
    assert_int_equal(oclnn_tensor_create(ctx, (oclnn_dtype)7, 1, d3, &t), OCLNN_STATUS_INVALID_ARGUMENT);
    oclnn_context_destroy(ctx);
}

/* Writes and reads at odd offsets and lengths agree with a host mirror of the tensor. */
static void test_round_trips(void **state) {
    (void)state;
    uint64_t seed = TEST_SEED;
    oclnn_context *ctx = test_context(NULL);
    int64_t dims[4] = {3, 23, 27, 37};
    size_t n = 3 * 23 * 27 * 37;
    oclnn_tensor *t;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dims, &t));
    float *mirror = malloc(n * 4), *buf = malloc(n * 4), *back = malloc(n * 4);
    for (size_t i = 0; i < n; i++) mirror[i] = test_rand_float(&seed, -1, 1);
    assert_ok(ctx, oclnn_tensor_write(t, 0, n * 4, mirror));
    for (int round = 0; round < 40; round++) {
        size_t a = test_rand_u64(&seed) % (n * 4), b = test_rand_u64(&seed) % (n * 4);
        size_t off = a < b ? a : b, len = (a < b ? b - a : a - b) + 1;
        if (off + len > n * 4) len = n * 4 - off;
        unsigned char *src = (unsigned char *)buf;
        for (size_t i = 0; i < len; i++) src[i] = (unsigned char)test_rand_u64(&seed);
        if (round % 2) {
            oclnn_event *ev;
            assert_ok(ctx, oclnn_tensor_write_async(t, off, len, src, &ev));
            assert_ok(ctx, oclnn_event_wait(ev));
            oclnn_event_destroy(ev);
        } else {
            assert_ok(ctx, oclnn_tensor_write(t, off, len, src));
        }
        memcpy((unsigned char *)mirror + off, src, len);
        /* Read back a different random window, once async. */
        size_t roff = test_rand_u64(&seed) % (n * 4), rlen = 1 + test_rand_u64(&seed) % (n * 4 - roff);
        if (round % 3 == 0) {
            oclnn_event *ev;
            assert_ok(ctx, oclnn_tensor_read_async(t, roff, rlen, back, &ev));
            assert_ok(ctx, oclnn_event_wait(ev));
            oclnn_event_destroy(ev);
        } else {
            assert_ok(ctx, oclnn_tensor_read(t, roff, rlen, back));
        }
        if (memcmp(back, (unsigned char *)mirror + roff, rlen) != 0)
            fail_msg("round %d: read [%zu,+%zu) differs (seed 0x%llx)", round, roff, rlen, (unsigned long long)TEST_SEED);
    }
    assert_ok(ctx, oclnn_tensor_read(t, 0, n * 4, back));
    assert_memory_equal(back, mirror, n * 4);
    /* Zero fill. */
    assert_ok(ctx, oclnn_tensor_zero(t));
    assert_ok(ctx, oclnn_tensor_read(t, 0, n * 4, back));
    for (size_t i = 0; i < n; i++) assert_true(back[i] == 0.0f);
    /* Ranges outside the tensor, overflowing ranges and NULL pointers are refused. */
    assert_int_equal(oclnn_tensor_write(t, n * 4 - 3, 4, buf), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_non_null(strstr(oclnn_last_error(ctx), "outside"));
    assert_int_equal(oclnn_tensor_read(t, SIZE_MAX - 1, 4, buf), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_int_equal(oclnn_tensor_read(t, 0, 4, NULL), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_int_equal(oclnn_tensor_write(NULL, 0, 4, buf), OCLNN_STATUS_INVALID_ARGUMENT);
    oclnn_event *ev = (oclnn_event *)buf;
    assert_int_equal(oclnn_tensor_read_async(t, n * 4, 1, buf, &ev), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_null(ev);
    assert_ok(ctx, oclnn_tensor_read(t, n * 4, 0, buf)); /* an empty range at the end is fine */
    free(mirror);
    free(buf);
    free(back);
    oclnn_tensor_destroy(t);
    oclnn_context_destroy(ctx);
}

/* Views alias their base: writes through one are read through the other; out-of-range views are refused. */
static void test_views(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    int64_t dims[4] = {2, 5, 3, 7};
    oclnn_tensor *t, *v, *flat;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dims, &t));
    float x[210], y[210];
    for (int i = 0; i < 210; i++) x[i] = (float)i;
    assert_ok(ctx, oclnn_tensor_write(t, 0, sizeof x, x));
    int64_t fd[2] = {2, 105};
    assert_ok(ctx, oclnn_tensor_view(t, 0, OCLNN_DTYPE_F32, 2, fd, &flat)); /* Flatten */
    int64_t vd[3] = {2, 3, 7};                                             /* channels 1..2 of batch 0 */
    assert_ok(ctx, oclnn_tensor_view(t, 21 * 4, OCLNN_DTYPE_F32, 3, vd, &v));
    oclnn_tensor_destroy(t); /* the views keep the memory alive */
    assert_ok(ctx, oclnn_tensor_read(v, 0, 42 * 4, y));
    for (int i = 0; i < 42; i++) assert_true(y[i] == (float)(21 + i));
    float z[42] = {0};
    assert_ok(ctx, oclnn_tensor_write(v, 0, sizeof z, z));
    assert_ok(ctx, oclnn_tensor_read(flat, 0, sizeof y, y));
    for (int i = 0; i < 210; i++) assert_true(y[i] == ((i >= 21 && i < 63) ? 0.0f : (float)i));
    oclnn_tensor *bad = (oclnn_tensor *)ctx;
    assert_int_equal(oclnn_tensor_view(flat, 4, OCLNN_DTYPE_F32, 2, fd, &bad), OCLNN_STATUS_INVALID_SHAPE);
    assert_null(bad);
    assert_int_equal(oclnn_tensor_view(flat, SIZE_MAX - 2, OCLNN_DTYPE_F32, 1, fd, &bad), OCLNN_STATUS_INVALID_SHAPE);
    oclnn_tensor_destroy(v);
    oclnn_tensor_destroy(flat);
    oclnn_context_destroy(ctx);
}

static void test_event_profiling(void **state) {
    (void)state;
    oclnn_context_options o;
    test_options(&o, NULL);
    o.profiling = 1;
    oclnn_context *ctx;
    assert_ok(NULL, oclnn_context_create(&o, &ctx));
    int64_t dims[1] = {1 << 16};
    oclnn_tensor *t;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 1, dims, &t));
    float *src = calloc(1 << 16, 4);
    oclnn_event *ev;
    assert_ok(ctx, oclnn_tensor_write_async(t, 0, 1 << 18, src, &ev));
    assert_ok(ctx, oclnn_event_wait(ev));
    uint64_t ns = 0;
    assert_ok(ctx, oclnn_event_elapsed_ns(ev, &ns));
    assert_non_null(oclnn_event_cl_event(ev));
    oclnn_event_destroy(ev);
    free(src);
    oclnn_tensor_destroy(t);
    oclnn_context_destroy(ctx);
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_views),
        cmocka_unit_test(test_event_profiling),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    return r || clw_live_objects() != 0;
}
