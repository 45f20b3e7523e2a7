/* test_soak.c - soak and determinism: 10,000 invokes of a small network (builder API: a conv stem, two branches
 * joined by a zero-copy concat, a residual add, global pooling and softmax) on one queue and on three. After a
 * warm-up of 2,000 invokes (POCL and the allocators settle: about 1.3 MiB in the first 1,000 under ASan), process RSS
 * (/proc/self/status VmRSS) and device memory (bytes of live OpenCL buffers, lib/device/clw.c) may grow by at most
 * 1 MiB over the rest of the run, the live OpenCL object count not at all, and every output must be bit-identical
 * to the first. A slow device (rusticl on llvmpipe: ~200 us per launch, four minutes for the full run) and the
 * reduced-table runs (OCLNN_TEST_REDUCED=1: ASan) make 2,000 invokes after a warm-up of 500; the POCL run makes all
 * 10,000.
 */
#include <stdio.h>
#include <time.h>

#include "common.h"
#include "device/clw.h"

#include <unistd.h>

enum { INVOKES = 10000, WARMUP = 2000, SLOW_INVOKES = 2000, SLOW_WARMUP = 500, CHECKS = 10 };
#define MAX_GROWTH (1 << 20)

static const char *cache_dir;

static oclnn_attr attr_int(const char *name, int64_t v) {
    oclnn_attr a = {0};
    a.name = name;
    a.type = OCLNN_ATTR_INT;
    a.i = v;
    return a;
}

static oclnn_attr attr_ints(const char *name, size_t count, const int64_t *v) {
    oclnn_attr a = {0};
    a.name = name;
    a.type = OCLNN_ATTR_INTS;
    a.count = count;
    a.ints = v;
    return a;
}

static long rss_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long kib = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1) break;
    fclose(f);
    return kib;
}

static void add_conv(oclnn_context *ctx, oclnn_graph *g, uint64_t *seed, const char *name, const char *in,
                     const char *out, int cin, int cout, int k) {
    char wn[32], bn[32];
    snprintf(wn, sizeof wn, "%s_w", name);
    snprintf(bn, sizeof bn, "%s_b", name);
    size_t nw = (size_t)cout * cin * k * k;
    float *w = malloc(nw * sizeof *w), b[16];
    assert_non_null(w);
    for (size_t i = 0; i < nw; i++)
        w[i] = test_rand_float(seed, -0.5f, 0.5f);
    for (int i = 0; i < cout; i++)
        b[i] = test_rand_float(seed, -0.1f, 0.1f);
    const int64_t wd[4] = {cout, cin, k, k}, bd[1] = {cout}, p = k / 2, pads[4] = {p, p, p, p};
    assert_ok(ctx, oclnn_graph_add_constant(g, wn, OCLNN_DTYPE_F32, 4, wd, w));
    assert_ok(ctx, oclnn_graph_add_constant(g, bn, OCLNN_DTYPE_F32, 1, bd, b));
    const char *ins[3] = {in, wn, bn};
    oclnn_attr pa = attr_ints("pads", 4, pads);
    assert_ok(ctx, oclnn_graph_add_node(g, "Conv", name, 3, ins, 1, &out, 1, &pa));
    free(w);
}

static oclnn_graph *small_net(oclnn_context *ctx) {
    uint64_t seed = TEST_SEED;
    oclnn_graph *g;
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    const int64_t xd[4] = {1, 3, 9, 7};
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd));
    add_conv(ctx, g, &seed, "stem", "x", "s", 3, 8, 3);
    const char *s = "s", *r = "r";
    assert_ok(ctx, oclnn_graph_add_node(g, "Relu", "stem_relu", 1, &s, 1, &r, 0, NULL));
    add_conv(ctx, g, &seed, "left", "r", "l", 8, 4, 1);
    add_conv(ctx, g, &seed, "right", "r", "rr", 8, 4, 3);
    const char *cat[2] = {"l", "rr"}, *c = "c", *add[2] = {"c", "r"}, *a = "a", *p = "p", *f = "f", *y = "y";
    oclnn_attr ax = attr_int("axis", 1);
    assert_ok(ctx, oclnn_graph_add_node(g, "Concat", "cat", 2, cat, 1, &c, 1, &ax));
    assert_ok(ctx, oclnn_graph_add_node(g, "Add", "residual", 2, add, 1, &a, 0, NULL));
    assert_ok(ctx, oclnn_graph_add_node(g, "GlobalAveragePool", "gap", 1, &a, 1, &p, 0, NULL));
    assert_ok(ctx, oclnn_graph_add_node(g, "Flatten", "flat", 1, &p, 1, &f, 1, &ax));
    assert_ok(ctx, oclnn_graph_add_node(g, "Softmax", "softmax", 1, &f, 1, &y, 0, NULL));
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    return g;
}

static void soak(uint32_t queues) {
    oclnn_context_options co;
    test_options(&co, cache_dir);
    co.num_queues = queues;
    oclnn_context *ctx = NULL;
    assert_ok(NULL, oclnn_context_create(&co, &ctx));
    oclnn_graph *g = small_net(ctx);
    oclnn_runtime_options ro;
    oclnn_runtime_options_init(&ro);
    ro.num_queues = queues;
    oclnn_runtime *rt;
    assert_ok(ctx, oclnn_runtime_create(ctx, g, &ro, &rt));
    oclnn_graph_destroy(g);
    float x[3 * 9 * 7], first[8], y[8];
    uint64_t seed = TEST_SEED ^ queues;
    for (size_t i = 0; i < sizeof x / sizeof *x; i++)
        x[i] = test_rand_float(&seed, -1, 1);
    long rss0 = 0, rss_max = 0;
    int64_t dev0 = 0, obj0 = 0;
    size_t differ = 0;
    int slow = test_device_is_slow(ctx);
    const int invokes = slow ? SLOW_INVOKES : INVOKES, warmup = slow ? SLOW_WARMUP : WARMUP;
    double t0 = (double)clock() / CLOCKS_PER_SEC;
    for (int i = 0; i < invokes; i++) {
        if (i == warmup) {
            rss0 = rss_kib();
            dev0 = clw_live_buffer_bytes();
            obj0 = clw_live_objects();
        }
        assert_ok(ctx, oclnn_runtime_set_input(rt, "x", x, sizeof x));
        assert_ok(ctx, oclnn_runtime_invoke(rt));
        assert_ok(ctx, oclnn_runtime_get_output(rt, "y", i ? y : first, sizeof y));
        if (i && memcmp(y, first, sizeof y)) differ++;
        if (i > warmup && i % (invokes / CHECKS) == 0) {
            long r = rss_kib();
            if (r > rss_max) rss_max = r;
            printf("    invoke %5d: RSS %ld KiB, device buffers %lld bytes\n", i, r,
                   (long long)clw_live_buffer_bytes());
        }
    }
    long rss1 = rss_kib();
    if (rss1 > rss_max) rss_max = rss1;
    int64_t dev1 = clw_live_buffer_bytes(), obj1 = clw_live_objects();
    double t1 = (double)clock() / CLOCKS_PER_SEC;
    printf("  %u queue(s): %d invokes in %.1f s CPU; RSS %ld -> %ld KiB (peak %ld, growth %ld KiB); device buffers "
           "%lld -> %lld bytes; OpenCL objects %lld -> %lld; %zu outputs differ from the first\n",
           queues, invokes, t1 - t0, rss0, rss1, rss_max, rss_max - rss0, (long long)dev0, (long long)dev1,
           (long long)obj0, (long long)obj1, differ);
    assert_true(rss0 > 0);
    if ((rss_max - rss0) * 1024 > MAX_GROWTH) fail_msg("RSS grew by %ld KiB after the warm-up", rss_max - rss0);
    if (dev1 - dev0 > MAX_GROWTH) fail_msg("device memory grew by %lld bytes", (long long)(dev1 - dev0));
    assert_true(dev0 > 0);
    assert_int_equal(obj1, obj0);
    assert_int_equal(differ, 0);
    /* the output is a softmax: a sanity check that the runs computed something */
    float sum = 0;
    for (int i = 0; i < 8; i++)
        sum += first[i];
    assert_true(sum > 0.999f && sum < 1.001f);
    oclnn_runtime_destroy(rt);
    oclnn_context_destroy(ctx);
}

static void test_soak_one_queue(void **state) {
    (void)state;
    soak(1);
}

static void test_soak_three_queues(void **state) {
    (void)state;
    soak(3);
}

int main(int argc, char **argv) {
    (void)argc;
#if defined(__SANITIZE_ADDRESS__)
    /* ASan's quarantine keeps up to 256 MiB of freed blocks out of reuse: RSS growth that is not ours. Run again with
     * it off (the other options kept) so that the RSS bound measures the library. */
    const char *ao = getenv("ASAN_OPTIONS");
    if (!ao || !strstr(ao, "quarantine_size_mb")) {
        char opts[2048];
        snprintf(opts, sizeof opts, "%s%squarantine_size_mb=0", ao ? ao : "", ao && *ao ? ":" : "");
        setenv("ASAN_OPTIONS", opts, 1);
        execv("/proc/self/exe", argv);
        perror("execv");
        return 1;
    }
#else
    (void)argv;
#endif
    test_print_seed(__FILE__, TEST_SEED);
    cache_dir = test_tmpdir("soak-cache");
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_soak_one_queue), cmocka_unit_test(test_soak_three_queues)};
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    return r || clw_live_objects() != 0;
}
