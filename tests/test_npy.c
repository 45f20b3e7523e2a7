/* test_npy.c - the .npy reader/writer of tools/npy.c: files written by NumPy itself (format 1.0, 2.0, 3.0;
 * tests/data/make_npy.py), round trips of every dtype and odd shapes through buffers and files, and a table of
 * bad inputs with exact statuses and message substrings (truncation at every length, magic, version, Fortran
 * order, dtypes, shape overflow, header and data sizes that do not match the file). Data must match exactly.
 */
#include "common.h"

#include "npy.h"

static char msg[512];

static void check_numpy_file(const char *name, npy_dtype dtype, size_t ndim, const int64_t *dims) {
    const char *dir = getenv("OCLNN_TEST_DATA");
    if (!dir) fail_msg("OCLNN_TEST_DATA is not set (tests/meson.build sets it)");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    npy_array a;
    oclnn_status s = npy_read_file(path, 0, &a, msg, sizeof msg);
    if (s) fail_msg("%s: %s: %s", name, oclnn_status_name(s), msg);
    assert_int_equal(a.dtype, dtype);
    assert_int_equal(a.ndim, ndim);
    size_t n = 1;
    for (size_t d = 0; d < ndim; d++) {
        assert_int_equal(a.dims[d], dims[d]);
        n *= (size_t)dims[d];
    }
    assert_int_equal(a.nbytes, n * npy_dtype_size(dtype));
    for (size_t i = 0; i < n; i++) {
        if (dtype == NPY_F32 && ((float *)a.data)[i] != (float)i * 0.5f - 4.0f)
            fail_msg("%s[%zu] = %g", name, i, ((float *)a.data)[i]);
    }
    if (dtype == NPY_I64) {
        const int64_t v[4] = {-((int64_t)1 << 40), -1, 0, (int64_t)1 << 62};
        for (size_t i = 0; i < 4; i++)
            assert_int_equal(((int64_t *)a.data)[i], v[i]);
    }
    if (dtype == NPY_U8) {
        const uint8_t v[6] = {0, 1, 255, 7, 128, 9};
        assert_memory_equal(a.data, v, 6);
    }
    if (dtype == NPY_I32) assert_int_equal(((int32_t *)a.data)[0], -123456);
    npy_free(&a);
}

static void test_numpy_files(void **state) {
    (void)state;
    const int64_t d352[3] = {3, 5, 2}, d4[1] = {4}, d23[2] = {2, 3};
    check_numpy_file("npy_f32_3x5x2_v1.npy", NPY_F32, 3, d352);
    check_numpy_file("npy_f32_3x5x2_v2.npy", NPY_F32, 3, d352);
    check_numpy_file("npy_f32_3x5x2_v3.npy", NPY_F32, 3, d352);
    check_numpy_file("npy_i64_4.npy", NPY_I64, 1, d4);
    check_numpy_file("npy_u8_2x3.npy", NPY_U8, 2, d23);
    check_numpy_file("npy_i32_scalar.npy", NPY_I32, 0, NULL);
}

static void test_round_trip(void **state) {
    (void)state;
    uint64_t seed = TEST_SEED;
    const struct {
        npy_dtype dtype;
        size_t ndim;
        int64_t dims[NPY_MAX_DIMS];
    } cases[] = {
        {NPY_F32, 4, {1, 3, 27, 37}},
        {NPY_F32, 0, {0}},
        {NPY_I64, 1, {5}},
        {NPY_I32, 3, {2, 7, 3}},
        {NPY_U8, 2, {23, 19}},
        {NPY_F32, 2, {0, 4}},
        {NPY_I64, 16, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3}},
    };
    const char *tmp = test_tmpdir("npy");
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        npy_array a = {.dtype = cases[c].dtype, .ndim = cases[c].ndim};
        size_t n = 1;
        for (size_t d = 0; d < a.ndim; d++)
            n *= (size_t)(a.dims[d] = cases[c].dims[d]);
        a.nbytes = n * npy_dtype_size(a.dtype);
        a.data = malloc(a.nbytes + 1);
        for (size_t i = 0; i < a.nbytes; i++)
            ((uint8_t *)a.data)[i] = (uint8_t)test_rand_u64(&seed);
        void *buf;
        size_t size;
        assert_int_equal(npy_write_buffer(&a, &buf, &size, msg, sizeof msg), OCLNN_STATUS_OK);
        assert_int_equal((size - a.nbytes) % 64, 0); /* data aligned as NumPy aligns it */
        npy_array b;
        oclnn_status s = npy_read_buffer(buf, size, &b, msg, sizeof msg);
        if (s) fail_msg("case %zu: %s", c, msg);
        assert_int_equal(b.dtype, a.dtype);
        assert_int_equal(b.ndim, a.ndim);
        for (size_t d = 0; d < a.ndim; d++)
            assert_int_equal(b.dims[d], a.dims[d]);
        assert_int_equal(b.nbytes, a.nbytes);
        if (a.nbytes) assert_memory_equal(b.data, a.data, a.nbytes);
        npy_free(&b);
        char path[1024];
        snprintf(path, sizeof path, "%s/rt%zu.npy", tmp, c);
        assert_int_equal(npy_write_file(path, &a, msg, sizeof msg), OCLNN_STATUS_OK);
        assert_int_equal(npy_read_file(path, size, &b, msg, sizeof msg), OCLNN_STATUS_OK);
        if (a.nbytes) assert_memory_equal(b.data, a.data, a.nbytes);
        npy_free(&b);
        assert_int_equal(npy_read_file(path, size - 1, &b, msg, sizeof msg), OCLNN_STATUS_LIMIT_EXCEEDED);
        /* every truncation of the image fails cleanly, and says so */
        for (size_t k = 0; k < size; k++) {
            void *p = malloc(k + 1);
            memcpy(p, buf, k);
            s = npy_read_buffer(p, k, &b, msg, sizeof msg);
            if (s != OCLNN_STATUS_INVALID_MODEL) fail_msg("case %zu prefix %zu: %s", c, k, oclnn_status_name(s));
            assert_null(b.data);
            free(p);
        }
        free(buf);
        free(a.data);
    }
    npy_free(NULL);
    npy_array b;
    assert_int_equal(npy_read_file("/nonexistent/x.npy", 0, &b, msg, sizeof msg), OCLNN_STATUS_IO_ERROR);
    assert_int_equal(npy_read_file(tmp, 0, &b, msg, sizeof msg), OCLNN_STATUS_IO_ERROR); /* a folder */
    npy_array bad = {.dtype = NPY_F32, .ndim = 1, .dims = {3}, .nbytes = 8};
    void *buf;
    size_t size;
    assert_int_equal(npy_write_buffer(&bad, &buf, &size, msg, sizeof msg), OCLNN_STATUS_INVALID_ARGUMENT);
}

/* A .npy image: magic, version, header length (as the version stores it, or @p hlen_override), dict, data. */
static size_t build(uint8_t *out, int major, const char *dict, size_t data_bytes, long long hlen_override) {
    size_t dl = strlen(dict), prefix = major == 1 ? 10 : 12;
    memcpy(out, "\x93NUMPY", 6);
    out[6] = (uint8_t)major;
    out[7] = 0;
    unsigned long long hlen = hlen_override >= 0 ? (unsigned long long)hlen_override : dl;
    for (size_t i = 0; i < prefix - 8; i++)
        out[8 + i] = (uint8_t)(hlen >> (8 * i));
    memcpy(out + prefix, dict, dl);
    memset(out + prefix + dl, 0x5a, data_bytes);
    return prefix + dl + data_bytes;
}

static void test_bad_headers(void **state) {
    (void)state;
    const struct {
        const char *what;
        int major;
        const char *dict;
        size_t data;
        long long hlen;
        oclnn_status status;
        const char *sub;
    } cases[] = {
        {"valid (control)", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }\n", 24, -1, OCLNN_STATUS_OK,
         NULL},
        {"valid v2, keys reordered", 2, "{\"shape\": (3,), \"fortran_order\": False, \"descr\": \"<i8\"}", 24, -1,
         OCLNN_STATUS_OK, NULL},
        {"fortran order", 1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", 24, -1,
         OCLNN_STATUS_UNSUPPORTED, "Fortran"},
        {"dtype <f8", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", 16, -1, OCLNN_STATUS_UNSUPPORTED,
         "'<f8'"},
        {"big-endian >f4", 1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", 8, -1,
         OCLNN_STATUS_UNSUPPORTED, "big-endian"},
        {"structured dtype", 1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", 8, -1,
         OCLNN_STATUS_INVALID_MODEL, "'descr'"},
        {"dim overflows int64", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", 0,
         -1, OCLNN_STATUS_LIMIT_EXCEEDED, "overflows"},
        {"shape product overflows", 1,
         "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 16), }", 0, -1,
         OCLNN_STATUS_LIMIT_EXCEEDED, "product"},
        {"bytes overflow", 1, "{'descr': '<i8', 'fortran_order': False, 'shape': (4611686018427387904,), }", 0, -1,
         OCLNN_STATUS_LIMIT_EXCEEDED, "overflows"},
        {"17 dims", 1, "{'descr': '|u1', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1), }", 1,
         -1, OCLNN_STATUS_LIMIT_EXCEEDED, "dims"},
        {"negative dim", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", 0, -1,
         OCLNN_STATUS_INVALID_MODEL, "shape"},
        {"shape not a tuple", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (5), }", 20, -1,
         OCLNN_STATUS_INVALID_MODEL, "tuple"},
        {"data too short", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 23, -1,
         OCLNN_STATUS_INVALID_MODEL, "too short"},
        {"data too long", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 25, -1,
         OCLNN_STATUS_INVALID_MODEL, "after the data"},
        {"header longer than the file", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 8, 5000,
         OCLNN_STATUS_INVALID_MODEL, "header of 5000"},
        {"header past the cap", 2, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 8, 1LL << 31,
         OCLNN_STATUS_LIMIT_EXCEEDED, "at most"},
        {"missing key", 1, "{'descr': '<f4', 'shape': (2,), }", 8, -1, OCLNN_STATUS_INVALID_MODEL, "lacks"},
        {"unknown key", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", 8, -1,
         OCLNN_STATUS_INVALID_MODEL, "'x'"},
        {"repeated key", 1, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", 8, -1,
         OCLNN_STATUS_INVALID_MODEL, "repeated"},
        {"not a dict", 1, "['descr', '<f4']", 8, -1, OCLNN_STATUS_INVALID_MODEL, "not a dict"},
        {"unterminated dict", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)", 8, -1,
         OCLNN_STATUS_INVALID_MODEL, "malformed"},
        {"garbage after the dict", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} x", 8, -1,
         OCLNN_STATUS_INVALID_MODEL, "after the header"},
        {"fortran_order not a bool", 1, "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}", 8, -1,
         OCLNN_STATUS_INVALID_MODEL, "True or False"},
        {"version 4.0", 4, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", 8, -1, OCLNN_STATUS_UNSUPPORTED,
         "version 4.0"},
    };
    uint8_t buf[1024];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = build(buf, cases[i].major, cases[i].dict, cases[i].data, cases[i].hlen);
        npy_array a;
        msg[0] = 0;
        oclnn_status s = npy_read_buffer(buf, n, &a, msg, sizeof msg);
        printf("  %-28s -> %s: %s\n", cases[i].what, oclnn_status_name(s), s ? msg : "");
        if (s != cases[i].status)
            fail_msg("%s: %s, expected %s (%s)", cases[i].what, oclnn_status_name(s),
                     oclnn_status_name(cases[i].status), msg);
        if (cases[i].sub && !strstr(msg, cases[i].sub))
            fail_msg("%s: message lacks \"%s\": %s", cases[i].what, cases[i].sub, msg);
        if (s) assert_null(a.data);
        npy_free(&a);
    }
    npy_array a;
    memcpy(buf, "\x93NUMPZ\x01\x00\x00\x00", 10);
    assert_int_equal(npy_read_buffer(buf, 10, &a, msg, sizeof msg), OCLNN_STATUS_INVALID_MODEL);
    assert_non_null(strstr(msg, "magic"));
    assert_int_equal(npy_read_buffer(NULL, 0, &a, msg, sizeof msg), OCLNN_STATUS_INVALID_MODEL);
    assert_int_equal(npy_read_buffer(NULL, 3, &a, msg, sizeof msg), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_int_equal(npy_read_buffer(buf, 10, NULL, NULL, 0), OCLNN_STATUS_INVALID_ARGUMENT);
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numpy_files),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_bad_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
