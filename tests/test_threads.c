/* test_threads.c - the thread-safety contract of oclnn.h: one context (and its program cache, in memory and on
 * disk) shared by four threads, each building its own graph with the builder API and running its own runtime many
 * times. The threads start together on an empty disk cache, so they race to build, write and load the same
 * programs. Every output of every run must be bit-identical to the same graph run single-threaded afterwards on the
 * same context (same device, same kernels: any difference is a race). scripts/test.sh also runs this test in a
 * ThreadSanitizer build (the 'tsan' run), which must report no race in oclnn.
 */
#include <pthread.h>

#include "common.h"
#include "device/clw.h"

enum { THREADS = 4, RUNS = 25 };

static oclnn_context *shared;

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

/* deterministic weights: the same for every thread and every run */
static float *weights(uint64_t seed, size_t n) {
    float *w = malloc(n * sizeof *w);
    if (!w) return NULL;
    for (size_t i = 0; i < n; i++)
        w[i] = test_rand_float(&seed, -0.5f, 0.5f);
    return w;
}

#define TRY(expr)                                                                                                      \
    do {                                                                                                               \
        if ((st = (expr))) goto done;                                                                                  \
    } while (0)

/* Four different small graphs, 1x3x13x11 in, built on @p ctx. Returns the status; *out the graph. */
static oclnn_status build(oclnn_context *ctx, int which, oclnn_graph **out) {
    oclnn_status st;
    oclnn_graph *g = NULL;
    const int64_t xd[4] = {1, 3, 13, 11}, w3[4] = {6, 3, 3, 3}, w1[4] = {6, 3, 1, 1}, bd[1] = {6};
    const int64_t k2[2] = {2, 2}, p1[4] = {1, 1, 1, 1}, s2[2] = {2, 2};
    float *wa = weights(TEST_SEED + 1, 6 * 3 * 9), *wb = weights(TEST_SEED + 2, 6 * 3), *b = weights(TEST_SEED + 3, 6);
    if (!wa || !wb || !b) {
        st = OCLNN_STATUS_OUT_OF_HOST_MEMORY;
        goto done;
    }
    TRY(oclnn_graph_create(ctx, &g));
    TRY(oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd));
    TRY(oclnn_graph_add_constant(g, "w3", OCLNN_DTYPE_F32, 4, w3, wa));
    TRY(oclnn_graph_add_constant(g, "w1", OCLNN_DTYPE_F32, 4, w1, wb));
    TRY(oclnn_graph_add_constant(g, "b", OCLNN_DTYPE_F32, 1, bd, b));
    const char *c3[3] = {"x", "w3", "b"}, *c1[3] = {"x", "w1", "b"};
    oclnn_attr pads = attr_ints("pads", 4, p1);
    switch (which) {
    case 0: { /* Conv 3x3 + Relu + MaxPool 2x2 */
        const char *a = "a", *r = "r", *y = "y";
        oclnn_attr pool[2] = {attr_ints("kernel_shape", 2, k2), attr_ints("strides", 2, s2)};
        TRY(oclnn_graph_add_node(g, "Conv", "conv", 3, c3, 1, &a, 1, &pads));
        TRY(oclnn_graph_add_node(g, "Relu", "relu", 1, &a, 1, &r, 0, NULL));
        TRY(oclnn_graph_add_node(g, "MaxPool", "pool", 1, &r, 1, &y, 2, pool));
        break;
    }
    case 1: { /* Conv 3x3 + Conv 1x1 residual + Sigmoid */
        const char *a = "a", *c = "c", *s = "s", *y = "y", *add[2] = {"a", "c"};
        TRY(oclnn_graph_add_node(g, "Conv", "conv3", 3, c3, 1, &a, 1, &pads));
        TRY(oclnn_graph_add_node(g, "Conv", "conv1", 3, c1, 1, &c, 0, NULL));
        TRY(oclnn_graph_add_node(g, "Add", "add", 2, add, 1, &s, 0, NULL));
        TRY(oclnn_graph_add_node(g, "Sigmoid", "sig", 1, &s, 1, &y, 0, NULL));
        break;
    }
    case 2: { /* Conv 1x1 + GlobalAveragePool + Flatten + Softmax */
        const char *a = "a", *p = "p", *f = "f", *y = "y";
        oclnn_attr ax = attr_int("axis", 1);
        TRY(oclnn_graph_add_node(g, "Conv", "conv", 3, c1, 1, &a, 0, NULL));
        TRY(oclnn_graph_add_node(g, "GlobalAveragePool", "gap", 1, &a, 1, &p, 0, NULL));
        TRY(oclnn_graph_add_node(g, "Flatten", "flat", 1, &p, 1, &f, 1, &ax));
        TRY(oclnn_graph_add_node(g, "Softmax", "softmax", 1, &f, 1, &y, 0, NULL));
        break;
    }
    default: { /* two branches concatenated, then average-pooled (zero-copy concat, two queues) */
        const char *a = "a", *c = "c", *k = "k", *y = "y", *cat[2] = {"a", "c"};
        oclnn_attr ax = attr_int("axis", 1);
        oclnn_attr pool[2] = {attr_ints("kernel_shape", 2, k2), attr_ints("strides", 2, s2)};
        TRY(oclnn_graph_add_node(g, "Conv", "conv3", 3, c3, 1, &a, 1, &pads));
        TRY(oclnn_graph_add_node(g, "Conv", "conv1", 3, c1, 1, &c, 0, NULL));
        TRY(oclnn_graph_add_node(g, "Concat", "cat", 2, cat, 1, &k, 1, &ax));
        TRY(oclnn_graph_add_node(g, "AveragePool", "pool", 1, &k, 1, &y, 2, pool));
        break;
    }
    }
    TRY(oclnn_graph_add_output(g, "y"));
done:
    free(wa), free(wb), free(b);
    if (st) oclnn_graph_destroy(g), g = NULL;
    *out = g;
    return st;
}

typedef struct job {
    int which;
    float *out; /* RUNS outputs of `len` floats */
    size_t len;
    oclnn_status status;
    char msg[512];
} job;

static float xin[3 * 13 * 11];

/* Builds graph `which`, makes a runtime on @p ctx and runs it RUNS times, keeping every output. */
static void run_job(oclnn_context *ctx, job *j) {
    oclnn_graph *g = NULL;
    oclnn_runtime *rt = NULL;
    oclnn_status st;
    oclnn_runtime_options o;
    oclnn_runtime_options_init(&o);
    o.num_queues = 2;
    TRY(build(ctx, j->which, &g));
    TRY(oclnn_runtime_create(ctx, g, &o, &rt));
    oclnn_tensor *yt;
    TRY(oclnn_runtime_tensor(rt, "y", &yt));
    j->len = oclnn_tensor_nbytes(yt) / sizeof(float);
    j->out = calloc(RUNS * j->len, sizeof(float));
    if (!j->out) {
        st = OCLNN_STATUS_OUT_OF_HOST_MEMORY;
        goto done;
    }
    for (int r = 0; r < RUNS; r++) {
        TRY(oclnn_runtime_set_input(rt, "x", xin, sizeof xin));
        TRY(oclnn_runtime_invoke(rt));
        TRY(oclnn_runtime_get_output(rt, "y", j->out + (size_t)r * j->len, j->len * sizeof(float)));
    }
done:
    j->status = st;
    /* the context's last-error message is shared by the threads: copy it at once (tests only read it on failure) */
    if (st) snprintf(j->msg, sizeof j->msg, "%s", oclnn_last_error(ctx));
    oclnn_runtime_destroy(rt);
    oclnn_graph_destroy(g);
}

static void *thread_main(void *arg) {
    run_job(shared, arg);
    return NULL;
}

static void test_four_threads(void **state) {
    (void)state;
    uint64_t seed = TEST_SEED;
    for (size_t i = 0; i < sizeof xin / sizeof *xin; i++)
        xin[i] = test_rand_float(&seed, -1, 1);
    const char *cache = test_tmpdir("threads-cache"); /* empty: the threads race to build and write programs */
    oclnn_context_options co;
    test_options(&co, cache);
    co.num_queues = 2;
    co.disk_cache = 1;
    assert_ok(NULL, oclnn_context_create(&co, &shared));
    job jobs[THREADS], ref[THREADS];
    pthread_t th[THREADS];
    memset(jobs, 0, sizeof jobs);
    memset(ref, 0, sizeof ref);
    for (int t = 0; t < THREADS; t++) {
        jobs[t].which = t;
        assert_int_equal(pthread_create(&th[t], NULL, thread_main, &jobs[t]), 0);
    }
    for (int t = 0; t < THREADS; t++)
        assert_int_equal(pthread_join(th[t], NULL), 0);
    for (int t = 0; t < THREADS; t++)
        if (jobs[t].status) fail_msg("thread %d: %s: %s", t, oclnn_status_name(jobs[t].status), jobs[t].msg);
    /* the reference: the same graphs one after another on one thread, same context */
    for (int t = 0; t < THREADS; t++) {
        ref[t].which = t;
        run_job(shared, &ref[t]);
        if (ref[t].status) fail_msg("single-threaded %d: %s", t, ref[t].msg);
        assert_int_equal(ref[t].len, jobs[t].len);
        size_t diff = 0;
        for (int r = 0; r < RUNS; r++)
            diff += memcmp(jobs[t].out + (size_t)r * jobs[t].len, ref[t].out, jobs[t].len * sizeof(float)) != 0;
        for (int r = 1; r < RUNS; r++)
            diff += memcmp(ref[t].out + (size_t)r * ref[t].len, ref[t].out, ref[t].len * sizeof(float)) != 0;
        printf("  graph %d: %zu outputs of %zu floats, %zu runs differ from the single-threaded run\n", t, (size_t)RUNS,
               jobs[t].len, diff);
        if (diff) fail_msg("graph %d: %zu runs differ", t, diff);
        free(jobs[t].out);
    }
    oclnn_cache_stats cs;
    assert_ok(shared, oclnn_context_cache_stats(shared, &cs));
    printf("  cache: %llu memory hits, %llu disk hits, %llu disk writes, %llu source builds, %llu rejected\n",
           (unsigned long long)cs.memory_hits, (unsigned long long)cs.disk_hits, (unsigned long long)cs.disk_writes,
           (unsigned long long)cs.source_builds, (unsigned long long)cs.disk_rejected);
    assert_int_equal(cs.disk_rejected, 0);
    oclnn_context_destroy(shared);
    /* a second context on the same disk cache: everything loads from disk, nothing is rebuilt */
    assert_ok(NULL, oclnn_context_create(&co, &shared));
    memset(jobs, 0, sizeof jobs);
    for (int t = 0; t < THREADS; t++) {
        jobs[t].which = t;
        assert_int_equal(pthread_create(&th[t], NULL, thread_main, &jobs[t]), 0);
    }
    for (int t = 0; t < THREADS; t++)
        assert_int_equal(pthread_join(th[t], NULL), 0);
    for (int t = 0; t < THREADS; t++) {
        if (jobs[t].status) fail_msg("warm thread %d: %s", t, jobs[t].msg);
        for (int r = 0; r < RUNS; r++)
            if (memcmp(jobs[t].out + (size_t)r * jobs[t].len, ref[t].out, jobs[t].len * sizeof(float)))
                fail_msg("warm thread %d, run %d: differs from the single-threaded run", t, r);
        free(jobs[t].out);
        free(ref[t].out);
    }
    assert_ok(shared, oclnn_context_cache_stats(shared, &cs));
    printf("  warm cache: %llu disk hits, %llu source builds, %llu rejected\n", (unsigned long long)cs.disk_hits,
           (unsigned long long)cs.source_builds, (unsigned long long)cs.disk_rejected);
    assert_int_equal(cs.source_builds, 0);
    assert_int_equal(cs.disk_rejected, 0);
    oclnn_context_destroy(shared);
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_four_threads)};
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    return r || clw_live_objects() != 0;
}
