/* common.h - shared test helpers: the device under test (from OCLNN_DEVICE), a temporary cache folder,
 * a counting allocator for out-of-memory sweeps, and a fixed, printed random seed.
 */
#ifndef OCLNN_TEST_COMMON_H
#define OCLNN_TEST_COMMON_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "oclnn.h"

/* Options for the device under test: OCLNN_DEVICE picks it; the disk cache goes to a per-process temp folder
 * unless @p cache_dir is given, so tests never touch the user's cache. */
void test_options(oclnn_context_options *o, const char *cache_dir);
/* A context on the device under test, failing the test with the library's message if it cannot be made. */
oclnn_context *test_context(const char *cache_dir);
/* A fresh empty folder under $TMPDIR (removed at exit). */
const char *test_tmpdir(const char *tag);
void test_rmtree(const char *path);

/* True on the slow devices (rusticl/llvmpipe, Oclgrind), where case tables are cut down. */
int test_device_is_slow(oclnn_context *ctx);

/* xorshift64*: the tests' one random source. */
uint64_t test_rand_u64(uint64_t *state);
float test_rand_float(uint64_t *state, float lo, float hi);
#define TEST_SEED 0x0c1a2b3c4d5e6f70ull
void test_print_seed(const char *file, uint64_t seed);

/* Allocator that fails its k-th allocation (fail_at = k, 0: never) and counts what is live. */
typedef struct test_alloc {
    oclnn_allocator hooks;
    long calls;
    long fail_at;
    long live;
} test_alloc;
void test_alloc_init(test_alloc *t);

#define assert_ok(ctx, expr)                                                                                 \
    do {                                                                                                     \
        oclnn_status st_ = (expr);                                                                           \
        if (st_ != OCLNN_STATUS_OK) fail_msg("%s -> %s: %s", #expr, oclnn_status_name(st_), oclnn_last_error(ctx)); \
    } while (0)

#endif
