/* plan.c - the activation memory planner. Buffers are placed one by one; each goes into the smallest gap between
 * the already placed buffers whose live intervals overlap its own (best fit), or after the last of them. The order
 * matters: largest first is TFLite's greedy-by-size strategy and reaches the lower bound on chains and blocks; on
 * DenseNet's long-lived block buffers, placing by first use or by lifetime can do better, so each order is tried
 * and the smallest arena kept.
 */
#include "graph/plan.h"

#include <stdlib.h>
#include <string.h>

static int by_size_desc(const void *a, const void *b) {
    const oclnn_plan_buf *x = *(const oclnn_plan_buf *const *)a, *y = *(const oclnn_plan_buf *const *)b;
    if (x->size != y->size) return x->size < y->size ? 1 : -1;
    if (x->first != y->first) return x->first < y->first ? -1 : 1;
    return x < y ? -1 : x > y;
}

static int by_first(const void *a, const void *b) {
    const oclnn_plan_buf *x = *(const oclnn_plan_buf *const *)a, *y = *(const oclnn_plan_buf *const *)b;
    if (x->first != y->first) return x->first < y->first ? -1 : 1;
    return by_size_desc(a, b);
}

static int by_lifetime_desc(const void *a, const void *b) {
    const oclnn_plan_buf *x = *(const oclnn_plan_buf *const *)a, *y = *(const oclnn_plan_buf *const *)b;
    uint32_t lx = x->last - x->first, ly = y->last - y->first;
    if (lx != ly) return lx < ly ? 1 : -1;
    return by_size_desc(a, b);
}

/* size x lifetime: the area a buffer covers in the (time, bytes) plane */
static int by_area_desc(const void *a, const void *b) {
    const oclnn_plan_buf *x = *(const oclnn_plan_buf *const *)a, *y = *(const oclnn_plan_buf *const *)b;
    double ax = (double)x->size * (x->last - x->first + 1), ay = (double)y->size * (y->last - y->first + 1);
    if (ax != ay) return ax < ay ? 1 : -1;
    return by_size_desc(a, b);
}

static int by_offset(const void *a, const void *b) {
    const oclnn_plan_buf *x = *(const oclnn_plan_buf *const *)a, *y = *(const oclnn_plan_buf *const *)b;
    if (x->offset != y->offset) return x->offset < y->offset ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* The placed buffers, indexed for "which of them overlap [a, b] in time" without looking at the others: a segment
 * tree over the steps holds each buffer at the O(log S) nodes that tile its interval (the buffers containing step a
 * lie on the path from leaf a to the root), and a list per step holds the buffers starting there (those starting in
 * (a, b]). A query costs O(log S + (b - a) + answers) instead of a scan of every placed buffer, so that a
 * 100,000-node chain plans in milliseconds. Entries live in one pool of linked-list cells. */
typedef struct plan_index {
    size_t leaves;   /* power of two >= steps */
    int32_t *head;   /* 2 * leaves tree nodes, then steps start lists: first cell, -1 when empty */
    int32_t *next;   /* per cell */
    uint32_t *buf;   /* per cell: index into order[] */
    size_t cells, cap;
} plan_index;

static int index_push(const oclnn_allocator *a, plan_index *ix, size_t node, uint32_t b) {
    if (ix->cells == ix->cap) {
        size_t nc = ix->cap ? 2 * ix->cap : 1024;
        int32_t *nn = oclnn_realloc(a, ix->next, nc * sizeof *nn);
        if (!nn) return 0;
        ix->next = nn;
        uint32_t *nb = oclnn_realloc(a, ix->buf, nc * sizeof *nb);
        if (!nb) return 0;
        ix->buf = nb;
        ix->cap = nc;
    }
    ix->buf[ix->cells] = b;
    ix->next[ix->cells] = ix->head[node];
    ix->head[node] = (int32_t)ix->cells++;
    return 1;
}

static int index_add(const oclnn_allocator *a, plan_index *ix, const oclnn_plan_buf *pb, uint32_t b) {
    if (!index_push(a, ix, 2 * ix->leaves + pb->first, b)) return 0;
    size_t l = pb->first + ix->leaves, r = (size_t)pb->last + 1 + ix->leaves;
    for (; l < r; l >>= 1, r >>= 1) {
        if ((l & 1) && !index_push(a, ix, l++, b)) return 0;
        if ((r & 1) && !index_push(a, ix, --r, b)) return 0;
    }
    return 1;
}

oclnn_status oclnn_plan_arena(const oclnn_allocator *a, oclnn_errbuf *eb, oclnn_plan_buf *bufs, size_t n,
                              uint64_t align, uint64_t *arena, uint64_t *lower_bound) {
    *arena = 0;
    *lower_bound = 0;
    if (!n) return OCLNN_STATUS_OK;
    if (n > UINT32_MAX / 2) return oclnn_fail(eb, OCLNN_STATUS_LIMIT_EXCEEDED, "plan: %zu buffers", n);
    uint32_t steps = 0;
    for (size_t i = 0; i < n; i++) {
        if (bufs[i].size > UINT64_MAX - align || bufs[i].first > bufs[i].last)
            return oclnn_fail(eb, OCLNN_STATUS_INVALID_ARGUMENT, "plan: buffer %zu is malformed", i);
        bufs[i].size = (bufs[i].size + align - 1) / align * align;
        if (bufs[i].last + 1 > steps) steps = bufs[i].last + 1;
    }
    plan_index ix = {0};
    ix.leaves = 1;
    while (ix.leaves < steps) ix.leaves *= 2;
    oclnn_plan_buf **order = oclnn_malloc(a, 2 * n * sizeof *order);
    uint64_t *offs = oclnn_malloc(a, n * sizeof *offs);
    ix.head = oclnn_malloc(a, (2 * ix.leaves + steps) * sizeof *ix.head);
    if (!order || !offs || !ix.head) {
        oclnn_free(a, order);
        oclnn_free(a, offs);
        oclnn_free(a, ix.head);
        return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "plan: out of host memory");
    }
    oclnn_plan_buf **ov = order + n;
    int (*const cmps[])(const void *, const void *) = {by_size_desc, by_first, by_lifetime_desc, by_area_desc};
    uint64_t best_total = UINT64_MAX;
    oclnn_status st = OCLNN_STATUS_OK;
    for (size_t c = 0; c < sizeof cmps / sizeof *cmps && !st; c++) {
        for (size_t i = 0; i < n; i++) order[i] = &bufs[i];
        qsort(order, n, sizeof *order, cmps[c]);
        for (size_t i = 0; i < 2 * ix.leaves + steps; i++) ix.head[i] = -1;
        ix.cells = 0;
        uint64_t total = 0;
        for (size_t i = 0; i < n; i++) {
            oclnn_plan_buf *b = order[i];
            /* the placed buffers that overlap b in time: those live at b->first, and those starting inside b */
            size_t k = 0;
            for (size_t node = b->first + ix.leaves; node >= 1; node >>= 1)
                for (int32_t e = ix.head[node]; e >= 0; e = ix.next[e])
                    ov[k++] = order[ix.buf[e]];
            for (uint32_t t = b->first + 1; t <= b->last; t++)
                for (int32_t e = ix.head[2 * ix.leaves + t]; e >= 0; e = ix.next[e])
                    ov[k++] = order[ix.buf[e]];
            qsort(ov, k, sizeof *ov, by_offset);
            uint64_t best = UINT64_MAX, best_gap = UINT64_MAX, cur = 0;
            for (size_t j = 0; j < k; j++) {
                if (ov[j]->offset >= cur + b->size && ov[j]->offset - cur < best_gap) {
                    best_gap = ov[j]->offset - cur;
                    best = cur;
                }
                uint64_t end = ov[j]->offset + ov[j]->size;
                if (end > cur) cur = end;
            }
            b->offset = best != UINT64_MAX ? best : cur;
            if (!index_add(a, &ix, b, (uint32_t)i)) {
                st = oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "plan: out of host memory");
                break;
            }
            if (b->offset + b->size > total) total = b->offset + b->size;
        }
        if (!st && total < best_total) {
            best_total = total;
            for (size_t i = 0; i < n; i++) offs[i] = bufs[i].offset;
        }
    }
    for (size_t i = 0; i < n && !st; i++) bufs[i].offset = offs[i];
    uint64_t total = best_total;
    oclnn_free(a, offs);
    oclnn_free(a, order);
    oclnn_free(a, ix.head);
    oclnn_free(a, ix.next);
    oclnn_free(a, ix.buf);
    if (st) return st;
    /* the lower bound: a sweep over the steps with +size at first and -size after last */
    int64_t *delta = oclnn_calloc(a, (size_t)steps + 1, sizeof *delta);
    if (!delta) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "plan: out of host memory");
    for (size_t i = 0; i < n; i++) {
        delta[bufs[i].first] += (int64_t)bufs[i].size;
        delta[bufs[i].last + 1] -= (int64_t)bufs[i].size;
    }
    int64_t live = 0, peak = 0;
    for (uint32_t s = 0; s <= steps; s++) {
        live += delta[s];
        if (live > peak) peak = live;
    }
    oclnn_free(a, delta);
    *arena = total;
    *lower_bound = (uint64_t)peak;
    return OCLNN_STATUS_OK;
}
