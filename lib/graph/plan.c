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

oclnn_status oclnn_plan_arena(const oclnn_allocator *a, oclnn_errbuf *eb, oclnn_plan_buf *bufs, size_t n,
                              uint64_t align, uint64_t *arena, uint64_t *lower_bound) {
    *arena = 0;
    *lower_bound = 0;
    if (!n) return OCLNN_STATUS_OK;
    oclnn_plan_buf **order = oclnn_malloc(a, 3 * n * sizeof *order);
    if (!order) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "plan: out of host memory");
    oclnn_plan_buf **placed = order + n, **ov = order + 2 * n;
    uint32_t steps = 0;
    for (size_t i = 0; i < n; i++) {
        bufs[i].size = (bufs[i].size + align - 1) / align * align;
        if (bufs[i].last + 1 > steps) steps = bufs[i].last + 1;
    }
    int (*const cmps[])(const void *, const void *) = {by_size_desc, by_first, by_lifetime_desc, by_area_desc};
    uint64_t *offs = oclnn_malloc(a, n * sizeof *offs);
    if (!offs) {
        oclnn_free(a, order);
        return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "plan: out of host memory");
    }
    uint64_t best_total = UINT64_MAX;
    for (size_t c = 0; c < sizeof cmps / sizeof *cmps; c++) {
        for (size_t i = 0; i < n; i++) order[i] = &bufs[i];
        qsort(order, n, sizeof *order, cmps[c]);
        size_t np = 0;
        uint64_t total = 0;
        for (size_t i = 0; i < n; i++) {
            oclnn_plan_buf *b = order[i];
            /* the placed buffers that overlap b in time, by offset */
            size_t k = 0;
            for (size_t j = 0; j < np; j++)
                if (placed[j]->first <= b->last && b->first <= placed[j]->last) ov[k++] = placed[j];
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
            placed[np++] = b;
            if (b->offset + b->size > total) total = b->offset + b->size;
        }
        if (total < best_total) {
            best_total = total;
            for (size_t i = 0; i < n; i++) offs[i] = bufs[i].offset;
        }
    }
    for (size_t i = 0; i < n; i++) bufs[i].offset = offs[i];
    uint64_t total = best_total;
    oclnn_free(a, offs);
    oclnn_free(a, order);
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
