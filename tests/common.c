/* common.c - see common.h. */
#include "common.h"

#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp_root[512];

static int rm_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void test_rmtree(const char *path) { nftw(path, rm_cb, 16, FTW_DEPTH | FTW_PHYS); }

static void cleanup(void) {
    if (tmp_root[0]) test_rmtree(tmp_root);
}

const char *test_tmpdir(const char *tag) {
    static char paths[32][600];
    static int used;
    if (!tmp_root[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(tmp_root, sizeof tmp_root, "%s/oclnn-test-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(tmp_root)) return "/tmp";
        atexit(cleanup);
    }
    char *p = paths[used++ % 32];
    static int counter;
    snprintf(p, 600, "%s/%s-%d", tmp_root, tag, counter++);
    mkdir(p, 0755);
    return p;
}

void test_options(oclnn_context_options *o, const char *cache_dir) {
    oclnn_context_options_init(o);
    o->cache_dir = cache_dir ? cache_dir : test_tmpdir("cache");
    o->disk_cache = 1;
}

oclnn_context *test_context(const char *cache_dir) {
    oclnn_context_options o;
    test_options(&o, cache_dir);
    oclnn_context *ctx = NULL;
    oclnn_status st = oclnn_context_create(&o, &ctx);
    if (st) fail_msg("context_create: %s", oclnn_last_error(NULL));
    return ctx;
}

int test_device_is_slow(oclnn_context *ctx) {
    oclnn_device_info d;
    oclnn_context_device_info(ctx, &d);
    /* rusticl on llvmpipe runs 100-1000x slower than POCL; Oclgrind interprets every work-item. The sanitizer run
     * asks for the reduced tables too (OCLNN_TEST_REDUCED=1): it looks for host-side errors, which the reduced
     * tables reach through the same code paths, and the full tables already ran on POCL. */
    const char *r = getenv("OCLNN_TEST_REDUCED");
    if (r && *r == '1') return 1;
    return strstr(d.platform_name, "rusticl") != NULL || strstr(d.name, "llvmpipe") != NULL ||
           strstr(d.platform_name, "Oclgrind") != NULL;
}

uint64_t test_rand_u64(uint64_t *s) {
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

float test_rand_float(uint64_t *s, float lo, float hi) {
    return lo + (hi - lo) * (float)((test_rand_u64(s) >> 40) / (double)(1ull << 24));
}

void test_print_seed(const char *file, uint64_t seed) {
    oclnn_device_info d;
    const char *dev = oclnn_device_select(NULL, &d) == OCLNN_STATUS_OK ? d.name : "(none)";
    printf("# %s: seed 0x%016llx, device '%s'\n", file, (unsigned long long)seed, dev);
}

static void *ta_malloc(size_t n, void *u) {
    test_alloc *t = u;
    t->calls++;
    if (t->fail_at && t->calls == t->fail_at) return NULL;
    void *p = malloc(n);
    if (p) t->live++;
    return p;
}
static void *ta_realloc(void *p, size_t n, void *u) {
    test_alloc *t = u;
    t->calls++;
    if (t->fail_at && t->calls == t->fail_at) return NULL;
    void *q = realloc(p, n);
    if (q && !p) t->live++;
    return q;
}
static void ta_free(void *p, void *u) {
    test_alloc *t = u;
    if (p) t->live--;
    free(p);
}

void test_alloc_init(test_alloc *t) {
    memset(t, 0, sizeof *t);
    t->hooks.malloc = ta_malloc;
    t->hooks.realloc = ta_realloc;
    t->hooks.free = ta_free;
    t->hooks.user = t;
}
