/* seg_stb.c - stb_image compiled into the demo instead of taken from Debian's libstb.so (found by fuzz/fuzz_image):
 * libstb's assertions abort the whole process on a crafted progressive JPEG, and without them stb reads out of
 * bounds right after. Here a failed assertion ends the decode instead: it jumps back to seg_stb_load(), which frees
 * every block stb allocated during that decode (they are tracked) and reports a corrupt image.
 */
#include "seg_stb.h"

#include <setjmp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef union blk {
    struct {
        union blk *prev, *next;
    } l;
    max_align_t align;
} blk;

static _Thread_local blk *live;       /* blocks stb holds, newest first */
static _Thread_local jmp_buf *guard; /* set while seg_stb_load decodes */

static void link_blk(blk *b) {
    b->l.prev = NULL;
    b->l.next = live;
    if (live) live->l.prev = b;
    live = b;
}

static void unlink_blk(blk *b) {
    if (b->l.prev) b->l.prev->l.next = b->l.next;
    else live = b->l.next;
    if (b->l.next) b->l.next->l.prev = b->l.prev;
}

static void *stb_malloc(size_t n) {
    blk *b = malloc(sizeof *b + n);
    if (!b) return NULL;
    link_blk(b);
    return b + 1;
}

static void stb_free(void *p) {
    if (!p) return;
    blk *b = (blk *)p - 1;
    unlink_blk(b);
    free(b);
}

static void *stb_realloc(void *p, size_t n) {
    if (!p) return stb_malloc(n);
    blk *b = (blk *)p - 1;
    unlink_blk(b);
    blk *b2 = realloc(b, sizeof *b + n);
    if (!b2) {
        link_blk(b);
        return NULL;
    }
    link_blk(b2);
    return b2 + 1;
}

static void stb_assert_failed(void) {
    if (guard) longjmp(*guard, 1);
    abort();
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wunused-function"
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ASSERT(x) ((x) ? (void)0 : stb_assert_failed())
#define STBI_MALLOC(n) stb_malloc(n)
#define STBI_FREE(p) stb_free(p)
#define STBI_REALLOC(p, n) stb_realloc(p, n)
#include <stb_image.h>
#pragma GCC diagnostic pop

int seg_stb_info(const uint8_t *data, int size, int *w, int *h, int *comp) {
    jmp_buf jb;
    blk *mark = live;
    volatile int ok = 0;
    if (setjmp(jb) == 0) {
        guard = &jb;
        ok = stbi_info_from_memory(data, size, w, h, comp);
    } else {
        while (live != mark) stb_free(live + 1);
    }
    guard = NULL;
    return ok;
}

uint8_t *seg_stb_load(const uint8_t *data, int size, int *w, int *h, const char **why) {
    jmp_buf jb;
    blk *mark = live;
    uint8_t *volatile out = NULL;
    *why = "";
    if (setjmp(jb) == 0) {
        guard = &jb;
        int c = 0;
        uint8_t *px = stbi_load_from_memory(data, size, w, h, &c, 3);
        if (!px) *why = stbi_failure_reason();
        else {
            /* the caller frees with free(): hand over a plain malloc'd copy */
            size_t n = (size_t)*w * (size_t)*h * 3;
            out = malloc(n ? n : 1);
            if (out) memcpy(out, px, n);
            else *why = "out of memory";
            stb_free(px);
        }
    } else {
        while (live != mark) stb_free(live + 1);
        *why = "inconsistent Huffman code";
        out = NULL;
    }
    guard = NULL;
    return out;
}

const char *seg_stb_failure_reason(void) { return stbi_failure_reason(); }
