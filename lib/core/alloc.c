/* alloc.c - host allocation through the caller's hook, and the FNV-1a hash used for cache keys. */
#include <stdlib.h>
#include <string.h>

#include "core.h"

void *oclnn_malloc(const oclnn_allocator *a, size_t size) {
    if (size == 0) size = 1;
    return a ? a->malloc(size, a->user) : malloc(size);
}

void *oclnn_calloc(const oclnn_allocator *a, size_t count, size_t size) {
    size_t total;
    if (!oclnn_mul_size(count, size, &total)) return NULL;
    void *p = oclnn_malloc(a, total);
    if (p) memset(p, 0, total);
    return p;
}

void *oclnn_realloc(const oclnn_allocator *a, void *p, size_t size) {
    if (size == 0) size = 1;
    return a ? a->realloc(p, size, a->user) : realloc(p, size);
}

void oclnn_free(const oclnn_allocator *a, void *p) {
    if (!p) return;
    if (a)
        a->free(p, a->user);
    else
        free(p);
}

char *oclnn_strdup(const oclnn_allocator *a, const char *s) {
    size_t n = strlen(s) + 1;
    char *d = oclnn_malloc(a, n);
    if (d) memcpy(d, s, n);
    return d;
}

uint64_t oclnn_hash64(const void *data, size_t len, uint64_t seed) {
    const unsigned char *p = data;
    uint64_t h = seed;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}
