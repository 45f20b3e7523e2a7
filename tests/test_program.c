/* test_program.c - runtime compilation: canonical options, every registry variant builds, the in-memory and
 * disk caches (miss then hit, deferred writes, corrupt entries, key changes, concurrent writers), dev-mode kernels
 * and build errors that carry the compiler's log.
 */
#include "common.h"

#include <dirent.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "program/program.h"

static const char good_src[] = "__kernel void k(__global float *x) { x[get_global_id(0)] += VALUE; }\n"
                               "#ifndef VALUE\n#error VALUE must be defined\n#endif\n";

static void test_options_canonical(void **state) {
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"", ""},
        {"   ", ""},
        {"-DB=1 -DA=2", "-DA=2 -DB=1"},
        {"-DA=2 -DA=2", "-DA=2"},
        {"-DA=1 -DA=2", "-DA=2"},                 /* the last definition wins, as on a command line */
        {" -DKW=3\t-DKH=3\n-DACT=1 ", "-DACT=1 -DKH=3 -DKW=3"},
        {"-DA -DAB=1 -DA=3", "-DA=3 -DAB=1"},    /* "-DA" and "-DA=3" name the same macro */
        {"-cl-mad-enable -DX=1", "-DX=1 -cl-mad-enable"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[256];
        assert_true(oclnn_options_canonical(cases[i].in, out, sizeof out));
        if (strcmp(out, cases[i].out) != 0) fail_msg("case %zu: '%s' -> '%s', want '%s'", i, cases[i].in, out, cases[i].out);
    }
    char tiny[4];
    assert_false(oclnn_options_canonical("-DLONG=1", tiny, sizeof tiny));
}

static size_t count_variants(void) {
    size_t n = 0;
    for (int id = 0; id < OCLNN_KERNEL_COUNT; id++) {
        n++;
        for (const char *s = oclnn_kernel_variants((oclnn_kernel_id)id); *s; s++) n += *s == ';';
    }
    return n;
}

/* Every embedded kernel variant builds on this device (cold, straight from source). */
static void test_all_kernels_build(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    size_t built = 0;
    assert_ok(ctx, oclnn_context_prebuild_all(ctx, &built));
    assert_int_equal(built, count_variants());
    oclnn_cache_stats s;
    assert_ok(ctx, oclnn_context_cache_stats(ctx, &s));
    assert_int_equal(s.source_builds, built);
    printf("# built %zu programs from source in %.0f ms\n", built, s.build_ms);
    oclnn_context_destroy(ctx);
}

static void get_prog(oclnn_context *ctx, const char *opts) {
    cl_program p;
    assert_ok(ctx, oclnn_program_get_source(ctx, "good.cl", good_src, sizeof good_src - 1, opts, &p));
    clw_ReleaseProgram(p);
}

static oclnn_cache_stats stats_of(oclnn_context *ctx) {
    oclnn_cache_stats s;
    assert_ok(ctx, oclnn_context_cache_stats(ctx, &s));
    return s;
}

/* Runs good.cl's kernel with @p opts on 8 floats of @p ctx, with work-groups of @p local (0: the driver's choice),
 * and checks that it added @p value to each. */
static void run_prog(oclnn_context *ctx, const char *opts, size_t local, float value) {
    cl_program p;
    assert_ok(ctx, oclnn_program_get_source(ctx, "good.cl", good_src, sizeof good_src - 1, opts, &p));
    cl_int err;
    cl_kernel k = clCreateKernel(p, "k", &err);
    assert_int_equal(err, CL_SUCCESS);
    int64_t dims[1] = {8};
    oclnn_tensor *t;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 1, dims, &t));
    float x[8] = {0, 1, 2, 3, 4, 5, 6, 7}, y[8];
    assert_ok(ctx, oclnn_tensor_write(t, 0, sizeof x, x));
    cl_mem m = oclnn_tensor_cl_mem(t, NULL);
    clSetKernelArg(k, 0, sizeof m, &m);
    size_t g = 8;
    assert_int_equal(
        clEnqueueNDRangeKernel(oclnn_context_cl_queue(ctx, 0), k, 1, NULL, &g, local ? &local : NULL, 0, NULL, NULL),
        CL_SUCCESS);
    assert_ok(ctx, oclnn_tensor_read(t, 0, sizeof y, y));
    for (int i = 0; i < 8; i++) assert_true(y[i] == x[i] + value);
    clReleaseKernel(k);
    clw_ReleaseProgram(p);
    oclnn_tensor_destroy(t);
}

static void test_cache_miss_then_hit(void **state) {
    (void)state;
    const char *dir = test_tmpdir("hit");
    oclnn_context *a = test_context(dir);
    get_prog(a, "-DVALUE=1.0f");
    oclnn_cache_stats s = stats_of(a);
    assert_int_equal(s.source_builds, 1);
    assert_int_equal(s.disk_misses, 1);
    assert_int_equal(s.memory_hits, 0);
    /* Same options in another order: the same program, from memory. */
    get_prog(a, " -DVALUE=1.0f  ");
    s = stats_of(a);
    assert_int_equal(s.memory_hits, 1);
    assert_int_equal(s.source_builds, 1);
    /* Launched before its entry is written (POCL writes at the flush; its binary then also carries the work-group
     * function this launch compiled), then flushed: one write, however often flushed. */
    run_prog(a, "-DVALUE=1.0f", 4, 1.0f);
    assert_ok(a, oclnn_context_cache_flush(a));
    assert_ok(a, oclnn_context_cache_flush(a));
    s = stats_of(a);
    assert_int_equal(s.disk_writes, 1); /* every device we test on returns program binaries */
    assert_int_equal(s.source_builds, 1);
    char path[4200], canon[256], key[2048];
    assert_true(oclnn_options_canonical("-DVALUE=1.0f", canon, sizeof canon));
    oclnn_cache_key(a, oclnn_hash64(good_src, sizeof good_src - 1, OCLNN_HASH_SEED), canon, key, sizeof key);
    oclnn_cache_entry_path(a, key, path, sizeof path);
    assert_int_equal(access(path, R_OK), 0);
    /* A second context (as a second process would) builds nothing. */
    oclnn_context *b = test_context(dir);
    get_prog(b, "-DVALUE=1.0f");
    s = stats_of(b);
    assert_int_equal(s.source_builds, 0);
    assert_int_equal(s.disk_hits, 1);
    /* The program from the disk runs and computes what the source says, with the local size launched before the
     * write and with another one. */
    run_prog(b, "-DVALUE=1.0f", 4, 1.0f);
    run_prog(b, "-DVALUE=1.0f", 2, 1.0f);
    assert_ok(b, oclnn_context_cache_flush(b));
    assert_int_equal(stats_of(b).disk_writes, 0); /* loaded entries are not written again */
    oclnn_context_destroy(a);
    oclnn_context_destroy(b);
    assert_int_equal(oclnn_context_cache_flush(NULL), OCLNN_STATUS_INVALID_ARGUMENT);
}

/* Entries not flushed are written when the context goes, and entries of another context are its own business. */
static void test_cache_written_at_destroy(void **state) {
    (void)state;
    const char *dir = test_tmpdir("destroy");
    oclnn_context *a = test_context(dir);
    run_prog(a, "-DVALUE=7.0f", 0, 7.0f);
    get_prog(a, "-DVALUE=8.0f");
    oclnn_context_destroy(a);
    oclnn_context *b = test_context(dir);
    run_prog(b, "-DVALUE=7.0f", 0, 7.0f);
    run_prog(b, "-DVALUE=8.0f", 0, 8.0f);
    oclnn_cache_stats s = stats_of(b);
    assert_int_equal(s.disk_hits, 2);
    assert_int_equal(s.source_builds, 0);
    oclnn_context_destroy(b);
    /* With the disk cache off nothing is pending and a flush is a no-op. */
    oclnn_context_options o;
    test_options(&o, dir);
    o.disk_cache = 0;
    oclnn_context *c;
    assert_ok(NULL, oclnn_context_create(&o, &c));
    run_prog(c, "-DVALUE=9.0f", 0, 9.0f);
    assert_ok(c, oclnn_context_cache_flush(c));
    s = stats_of(c);
    assert_int_equal(s.disk_writes, 0);
    assert_int_equal(s.source_builds, 1);
    oclnn_context_destroy(c);
}

static void entry_path(oclnn_context *ctx, const char *opts, char *path, size_t cap) {
    char canon[256], key[2048];
    assert_true(oclnn_options_canonical(opts, canon, sizeof canon));
    oclnn_cache_key(ctx, oclnn_hash64(good_src, sizeof good_src - 1, OCLNN_HASH_SEED), canon, key, sizeof key);
    oclnn_cache_entry_path(ctx, key, path, cap);
}

typedef enum { FLIP_BINARY_BYTE, TRUNCATE, BAD_MAGIC, EMPTY, APPEND_GARBAGE, FLIP_KEY_BYTE } damage;

static void damage_file(const char *path, damage d) {
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    assert_true(size > 64);
    unsigned char c;
    switch (d) {
    case FLIP_BINARY_BYTE:
    case FLIP_KEY_BYTE: {
        long at = d == FLIP_BINARY_BYTE ? size - size / 3 : 40;
        fseek(f, at, SEEK_SET);
        assert_int_equal(fread(&c, 1, 1, f), 1);
        c ^= 0x5a;
        fseek(f, at, SEEK_SET);
        fwrite(&c, 1, 1, f);
        break;
    }
    case BAD_MAGIC:
        fseek(f, 0, SEEK_SET);
        fwrite("XXXX", 1, 4, f);
        break;
    case APPEND_GARBAGE:
        fseek(f, 0, SEEK_END);
        fwrite("garbage", 1, 7, f);
        break;
    case TRUNCATE:
    case EMPTY: break;
    }
    fclose(f);
    if (d == TRUNCATE) assert_int_equal(truncate(path, size / 2), 0);
    if (d == EMPTY) assert_int_equal(truncate(path, 0), 0);
}

/* Every kind of damaged entry is detected, silently rebuilt from source, and rewritten. */
static void test_cache_corrupt_entry_recovered(void **state) {
    (void)state;
    static const damage kinds[] = {FLIP_BINARY_BYTE, TRUNCATE, BAD_MAGIC, EMPTY, APPEND_GARBAGE, FLIP_KEY_BYTE};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        const char *dir = test_tmpdir("corrupt");
        oclnn_context *a = test_context(dir);
        get_prog(a, "-DVALUE=2.0f");
        assert_ok(a, oclnn_context_cache_flush(a));
        char path[4200];
        entry_path(a, "-DVALUE=2.0f", path, sizeof path);
        assert_int_equal(access(path, R_OK), 0);
        oclnn_context_destroy(a);
        damage_file(path, kinds[i]);
        oclnn_context *b = test_context(dir);
        get_prog(b, "-DVALUE=2.0f");
        assert_ok(b, oclnn_context_cache_flush(b));
        oclnn_cache_stats s = stats_of(b);
        if (s.disk_rejected != 1 || s.source_builds != 1 || s.disk_writes != 1)
            fail_msg("damage %zu: rejected %llu, builds %llu, writes %llu", i, (unsigned long long)s.disk_rejected,
                     (unsigned long long)s.source_builds, (unsigned long long)s.disk_writes);
        oclnn_context_destroy(b);
        oclnn_context *c = test_context(dir);
        get_prog(c, "-DVALUE=2.0f");
        s = stats_of(c);
        assert_int_equal(s.disk_hits, 1);
        assert_int_equal(s.source_builds, 0);
        oclnn_context_destroy(c);
    }
}

/* The key (and so the file) changes with the options, the source, the driver, the device and the platform. */
static void test_cache_key_changes(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    char base[2048], k[2048];
    oclnn_cache_key(ctx, 1, "-DA=1", base, sizeof base);
    oclnn_cache_key(ctx, 1, "-DA=2", k, sizeof k);
    assert_string_not_equal(base, k);
    oclnn_cache_key(ctx, 2, "-DA=1", k, sizeof k);
    assert_string_not_equal(base, k);
    char saved[128];
    char *fields[] = {ctx->info.driver_version, ctx->info.name, ctx->info.platform_version, ctx->info.platform_name};
    for (int i = 0; i < 4; i++) {
        memcpy(saved, fields[i], sizeof saved);
        strcat(fields[i], "x");
        oclnn_cache_key(ctx, 1, "-DA=1", k, sizeof k);
        assert_string_not_equal(base, k);
        char p1[4200], p2[4200];
        oclnn_cache_entry_path(ctx, base, p1, sizeof p1);
        oclnn_cache_entry_path(ctx, k, p2, sizeof p2);
        assert_string_not_equal(p1, p2);
        memcpy(fields[i], saved, sizeof saved);
    }
    oclnn_cache_key(ctx, 1, "-DA=1", k, sizeof k);
    assert_string_equal(base, k);
    /* Behaviour, not just strings: new options and new source each cost one build. */
    get_prog(ctx, "-DVALUE=3.0f");
    get_prog(ctx, "-DVALUE=4.0f");
    static const char other[] = "__kernel void k(__global float *x) { x[get_global_id(0)] *= VALUE; }\n";
    cl_program p;
    assert_ok(ctx, oclnn_program_get_source(ctx, "other.cl", other, sizeof other - 1, "-DVALUE=3.0f", &p));
    clw_ReleaseProgram(p);
    assert_int_equal(stats_of(ctx).source_builds, 3);
    oclnn_context_destroy(ctx);
}

typedef struct writer_arg {
    const char *dir;
    int ok;
    char msg[512];
} writer_arg;

static void *writer(void *p) {
    writer_arg *w = p;
    oclnn_context_options o;
    test_options(&o, w->dir);
    oclnn_context *ctx;
    if (oclnn_context_create(&o, &ctx)) {
        snprintf(w->msg, sizeof w->msg, "%s", oclnn_last_error(NULL));
        return NULL;
    }
    w->ok = 1;
    for (int v = 0; v < 3 && w->ok; v++) {
        char opts[64];
        snprintf(opts, sizeof opts, "-DVALUE=%d.0f", 10 + v);
        cl_program prog;
        if (oclnn_program_get_source(ctx, "good.cl", good_src, sizeof good_src - 1, opts, &prog)) {
            w->ok = 0;
            snprintf(w->msg, sizeof w->msg, "%s", oclnn_last_error(ctx));
        } else {
            clw_ReleaseProgram(prog);
        }
    }
    oclnn_context_destroy(ctx);
    return NULL;
}

/* Several writers fill one cache folder at once; every entry ends up whole and no temporary file remains. */
static void test_cache_concurrent_writers(void **state) {
    (void)state;
    const char *dir = test_tmpdir("concurrent");
    enum { N = 4 };
    pthread_t th[N];
    writer_arg args[N];
    for (int i = 0; i < N; i++) {
        args[i] = (writer_arg){dir, 0, ""};
        assert_int_equal(pthread_create(&th[i], NULL, writer, &args[i]), 0);
    }
    for (int i = 0; i < N; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < N; i++)
        if (!args[i].ok) fail_msg("writer %d: %s", i, args[i].msg);
    DIR *d = opendir(dir);
    assert_non_null(d);
    int entries = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        assert_null(strstr(e->d_name, ".tmp."));
        entries++;
    }
    closedir(d);
    assert_int_equal(entries, 3);
    oclnn_context *ctx = test_context(dir);
    for (int v = 0; v < 3; v++) {
        char opts[64];
        snprintf(opts, sizeof opts, "-DVALUE=%d.0f", 10 + v);
        get_prog(ctx, opts);
    }
    oclnn_cache_stats s = stats_of(ctx);
    assert_int_equal(s.disk_hits, 3);
    assert_int_equal(s.source_builds, 0);
    oclnn_context_destroy(ctx);
}

/* A kernel with a syntax error gives BUILD_FAILED and a message that carries the compiler's log. */
static void test_build_error_has_log(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    static const char bad[] = "__kernel void k(__global float *x) { x[0] = undeclared_identifier_q7; }\n";
    cl_program p = (cl_program)1;
    oclnn_status st = oclnn_program_get_source(ctx, "bad.cl", bad, sizeof bad - 1, "-DZ=1", &p);
    assert_int_equal(st, OCLNN_STATUS_BUILD_FAILED);
    assert_null(p);
    const char *msg = oclnn_last_error(ctx);
    assert_non_null(strstr(msg, "bad.cl"));
    assert_non_null(strstr(msg, "build log"));
    assert_non_null(strstr(msg, "undeclared_identifier_q7"));
    /* A missing -D in a file that requires it also fails with the #error text. */
    st = oclnn_program_get_source(ctx, "good.cl", good_src, sizeof good_src - 1, "", &p);
    assert_int_equal(st, OCLNN_STATUS_BUILD_FAILED);
    assert_non_null(strstr(oclnn_last_error(ctx), "VALUE must be defined"));
    /* Failures are not cached: the context still works. */
    get_prog(ctx, "-DVALUE=5.0f");
    oclnn_context_destroy(ctx);
}

/* OCLNN_KERNEL_DIR (or the kernel_dir option) reads kernels from a folder; an edit there changes the key. */
static void test_kernel_dir(void **state) {
    (void)state;
    const char *kdir = test_tmpdir("kernels");
    char path[700];
    snprintf(path, sizeof path, "%s/tensor_util.cl", kdir);
    oclnn_context_options o;
    test_options(&o, NULL);
    o.kernel_dir = kdir;
    oclnn_context *ctx;
    assert_ok(NULL, oclnn_context_create(&o, &ctx));
    cl_program p;
    assert_int_equal(oclnn_program_get(ctx, OCLNN_KERNEL_TENSOR_UTIL, "", &p), OCLNN_STATUS_IO_ERROR);
    assert_non_null(strstr(oclnn_last_error(ctx), "tensor_util.cl"));
    FILE *f = fopen(path, "w");
    fputs("__kernel void oclnn_fill_f32(__global float *d, int off, int n, float v) { d[off] = v + 1.0f; }\n", f);
    fclose(f);
    assert_ok(ctx, oclnn_program_get(ctx, OCLNN_KERNEL_TENSOR_UTIL, "", &p));
    clw_ReleaseProgram(p);
    f = fopen(path, "a");
    fputs("// edited\n", f);
    fclose(f);
    assert_ok(ctx, oclnn_program_get(ctx, OCLNN_KERNEL_TENSOR_UTIL, "", &p));
    clw_ReleaseProgram(p);
    assert_int_equal(stats_of(ctx).source_builds, 2);
    oclnn_context_destroy(ctx);
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_canonical),
        cmocka_unit_test(test_all_kernels_build),
        cmocka_unit_test(test_cache_miss_then_hit),
        cmocka_unit_test(test_cache_written_at_destroy),
        cmocka_unit_test(test_cache_corrupt_entry_recovered),
        cmocka_unit_test(test_cache_key_changes),
        cmocka_unit_test(test_cache_concurrent_writers),
        cmocka_unit_test(test_build_error_has_log),
        cmocka_unit_test(test_kernel_dir),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    return r || clw_live_objects() != 0;
}
