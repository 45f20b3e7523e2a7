/* test_cache_kill.c - the disk cache survives writers killed at any moment. A template process builds a small graph's
 * programs into a cache folder; then 200 writer processes, up to four at a time, store those (key, binary) entries
 * into one shared folder in a tight loop through the library's writer (oclnn_disk_cache_store) and are each killed
 * with SIGKILL after a random delay, mid-write as often as not. A reader process then checks every entry file: it
 * verifies (same key, same binary as the template's) or is rejected, never a wrong binary; and a context on the
 * folder runs the graph with outputs bit-identical to the template's, loading each program from disk or rebuilding
 * it (oclnn_context_cache_stats: disk_hits / disk_rejected). A deliberately truncated entry shows the rejection path,
 * and the reader's store removes the temporary files the killed writers left.
 */
#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "device/clw.h"
#include "program/disk_cache.h"

enum { ROUNDS = 200, PARALLEL = 4, MAX_ENTRIES = 64 };

static oclnn_attr attr_ints(const char *name, size_t count, const int64_t *v) {
    oclnn_attr a = {0};
    a.name = name;
    a.type = OCLNN_ATTR_INTS;
    a.count = count;
    a.ints = v;
    return a;
}

static const float *input(void) {
    static float x[2 * 7 * 9];
    static int made;
    if (!made) {
        uint64_t seed = TEST_SEED;
        for (size_t i = 0; i < sizeof x / sizeof *x; i++)
            x[i] = test_rand_float(&seed, -2, 2);
        made = 1;
    }
    return x;
}

/* Relu -> MaxPool 3x3 -> Softmax on a 1x2x7x9 input, on a context whose disk cache is @p dir. Returns 0 and the 2x5x7
 * output in @p y (70 floats), or -1. *stats receives the context's cache statistics. */
static int run_graph(const char *dir, float *y, oclnn_cache_stats *stats) {
    oclnn_context_options co;
    test_options(&co, dir);
    co.disk_cache = 1;
    oclnn_context *ctx = NULL;
    oclnn_graph *g = NULL;
    oclnn_runtime *rt = NULL;
    int rc = -1;
    const int64_t xd[4] = {1, 2, 7, 9}, k3[2] = {3, 3};
    const char *x = "x", *r = "r", *p = "p", *out = "y";
    oclnn_attr pk = attr_ints("kernel_shape", 2, k3);
    if (oclnn_context_create(&co, &ctx) || oclnn_graph_create(ctx, &g) ||
        oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd) ||
        oclnn_graph_add_node(g, "Relu", "relu", 1, &x, 1, &r, 0, NULL) ||
        oclnn_graph_add_node(g, "MaxPool", "pool", 1, &r, 1, &p, 1, &pk) ||
        oclnn_graph_add_node(g, "Softmax", "softmax", 1, &p, 1, &out, 0, NULL) || oclnn_graph_add_output(g, "y") ||
        oclnn_runtime_create(ctx, g, NULL, &rt) ||
        oclnn_runtime_set_input(rt, "x", input(), 2 * 7 * 9 * sizeof(float)) || oclnn_runtime_invoke(rt) ||
        oclnn_runtime_get_output(rt, "y", y, 2 * 5 * 7 * sizeof(float)) || oclnn_context_cache_stats(ctx, stats))
        fprintf(stderr, "run_graph: %s\n", ctx ? oclnn_last_error(ctx) : oclnn_last_error(NULL));
    else
        rc = 0;
    oclnn_runtime_destroy(rt);
    oclnn_graph_destroy(g);
    oclnn_context_destroy(ctx);
    return rc;
}

typedef struct entry {
    char *key;
    unsigned char *bin;
    size_t len;
} entry;

/* Every verified entry of @p dir (up to MAX_ENTRIES); counts the rejected ones and leftover temporary files. */
static size_t read_entries(const char *dir, entry *e, size_t *rejected, size_t *tmp_files) {
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    size_t n = 0;
    *rejected = 0;
    *tmp_files = 0;
    while ((de = readdir(d))) {
        if (strstr(de->d_name, ".tmp.")) {
            (*tmp_files)++;
            continue;
        }
        size_t l = strlen(de->d_name);
        if (l < 4 || strcmp(de->d_name + l - 4, ".bin")) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        entry x;
        oclnn_disk_result r = oclnn_disk_cache_read_file(NULL, path, &x.key, &x.bin, &x.len);
        if (r == OCLNN_DISK_HIT && n < MAX_ENTRIES)
            e[n++] = x;
        else if (r == OCLNN_DISK_HIT) {
            free(x.key);
            free(x.bin);
        } else
            (*rejected)++;
    }
    closedir(d);
    return n;
}

/* A writer: stores the template's entries into @p dir, round and round, until it is killed. */
static void writer(const char *dir, const entry *t, size_t n, unsigned seed) {
    for (unsigned i = seed;; i++) {
        const entry *e = &t[i % n];
        oclnn_disk_cache_store(dir, e->key, e->bin, e->len);
    }
}

static void test_cache_kill(void **state) {
    (void)state;
    const char *tdir = test_tmpdir("cache-template"), *dir = test_tmpdir("cache-killed");
    float ref[70], y[70];
    oclnn_cache_stats st;
    /* every OpenCL user is a child: OpenCL runtimes do not survive fork(), so the parent never initialises one */
    char refpath[4096];
    snprintf(refpath, sizeof refpath, "%s.ref", tdir);
    fflush(stdout);
    pid_t tp = fork();
    assert_true(tp >= 0);
    if (tp == 0) {
        int rc = run_graph(tdir, ref, &st);
        FILE *f = rc ? NULL : fopen(refpath, "wb");
        int ok = f && fwrite(ref, sizeof ref, 1, f) == 1;
        if (f) ok = fclose(f) == 0 && ok;
        printf("  template: %llu source builds, %llu disk writes\n", (unsigned long long)st.source_builds,
               (unsigned long long)st.disk_writes);
        fflush(stdout);
        _exit(ok && clw_live_objects() == 0 ? 0 : 1);
    }
    int tstatus;
    waitpid(tp, &tstatus, 0);
    assert_true(WIFEXITED(tstatus) && WEXITSTATUS(tstatus) == 0);
    FILE *rf = fopen(refpath, "rb");
    assert_non_null(rf);
    assert_int_equal(fread(ref, sizeof ref, 1, rf), 1);
    fclose(rf);
    unlink(refpath);
    entry t[MAX_ENTRIES];
    size_t rej, tmps;
    size_t n = read_entries(tdir, t, &rej, &tmps);
    printf("  template: %zu cache entries\n", n);
    assert_true(n >= 3); /* relu, pool, softmax programs at least */
    assert_int_equal(rej, 0);

    uint64_t seed = TEST_SEED;
    pid_t live[PARALLEL] = {0};
    int kills = 0, mid_run = 0;
    double t0 = (double)time(NULL);
    for (int round = 0; round < ROUNDS; round++) {
        int slot = round % PARALLEL;
        if (live[slot]) {
            /* the oldest writer dies now: a random moment of its loop */
            kill(live[slot], SIGKILL);
            int status;
            waitpid(live[slot], &status, 0);
            kills += WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
        }
        fflush(stdout);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) writer(dir, t, n, (unsigned)round);
        live[slot] = pid;
        /* 0-4 ms: short enough that a kill lands inside one of the entry's writes often */
        struct timespec ts = {0, (long)(test_rand_u64(&seed) % 4000000)};
        nanosleep(&ts, NULL);
        mid_run++;
    }
    for (int s = 0; s < PARALLEL; s++) {
        if (!live[s]) continue;
        kill(live[s], SIGKILL);
        int status;
        waitpid(live[s], &status, 0);
        kills += WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    }
    printf("  %d writers started, %d killed by SIGKILL in %.0f s\n", mid_run, kills, (double)time(NULL) - t0);
    assert_int_equal(kills, ROUNDS);

    /* every entry that verifies is exactly a template entry: the right key with the right binary */
    entry got[MAX_ENTRIES];
    size_t m = read_entries(dir, got, &rej, &tmps);
    printf("  after the kills: %zu entries verify, %zu rejected, %zu temporary files left by killed writers\n", m, rej,
           tmps);
    for (size_t i = 0; i < m; i++) {
        size_t k = 0;
        while (k < n && strcmp(t[k].key, got[i].key))
            k++;
        if (k == n) fail_msg("entry %zu has a key no writer wrote", i);
        if (got[i].len != t[k].len || memcmp(got[i].bin, t[k].bin, t[k].len))
            fail_msg("entry %zu verifies but holds another binary", i);
        free(got[i].key);
        free(got[i].bin);
    }
    assert_int_equal(rej, 0); /* rename is atomic: a kill leaves a temporary file, never a torn entry */

    /* a torn entry (as a crash without rename would leave): truncate one, the reader must reject and rebuild it */
    char victim[4200];
    oclnn_disk_cache_path(dir, t[0].key, victim, sizeof victim);
    assert_int_equal(truncate(victim, 40), 0);

    /* the reader, in a process of its own like the writers */
    fflush(stdout);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int rc = run_graph(dir, y, &st);
        printf("  reader: %llu disk hits, %llu rejected (rebuilt), %llu misses, %llu source builds, outputs %s\n",
               (unsigned long long)st.disk_hits, (unsigned long long)st.disk_rejected,
               (unsigned long long)st.disk_misses, (unsigned long long)st.source_builds,
               rc == 0 && !memcmp(y, ref, sizeof y) ? "bit-identical" : "WRONG");
        int ok = rc == 0 && !memcmp(y, ref, sizeof y) && st.disk_rejected == 1 && st.disk_hits + 1 >= n &&
                 clw_live_objects() == 0;
        fflush(stdout);
        _exit(ok ? 0 : 1);
    }
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    /* the rejected entry was rewritten: everything verifies again, and that store removed the dead writers'
     * temporary files */
    m = read_entries(dir, got, &rej, &tmps);
    printf("  after the reader: %zu entries verify, %zu rejected, %zu temporary files\n", m, rej, tmps);
    assert_int_equal(rej, 0);
    assert_int_equal(m, n);
    assert_int_equal(tmps, 0);
    for (size_t i = 0; i < m; i++)
        free(got[i].key), free(got[i].bin);
    for (size_t i = 0; i < n; i++)
        free(t[i].key), free(t[i].bin);
}

int main(void) {
    /* not test_print_seed(): it initialises OpenCL in this process, which its children could not use after fork */
    printf("# %s: seed 0x%016llx, device from OCLNN_DEVICE='%s'\n", __FILE__, (unsigned long long)TEST_SEED,
           getenv("OCLNN_DEVICE") ? getenv("OCLNN_DEVICE") : "");
    fflush(stdout);
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_cache_kill)};
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    return r || clw_live_objects() != 0;
}
