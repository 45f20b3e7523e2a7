/* plan.h - the activation memory planner: buffers with live intervals over the step order get byte offsets in
 * one arena (greedy by size, best fit, as TFLite's arena planner does).
 */
#ifndef OCLNN_GRAPH_PLAN_H
#define OCLNN_GRAPH_PLAN_H

#include "core/core.h"

typedef struct oclnn_plan_buf {
    uint64_t size;        /* bytes, already aligned */
    uint32_t first, last; /* steps during which the buffer is live (inclusive) */
    uint64_t offset;      /* result */
} oclnn_plan_buf;

/* Assigns offsets (multiples of @p align) so that buffers live at the same time never overlap. *arena receives
 * the arena size, *lower_bound the largest sum of sizes live at one step (no plan can do better). */
oclnn_status oclnn_plan_arena(const oclnn_allocator *a, oclnn_errbuf *eb, oclnn_plan_buf *bufs, size_t n,
                              uint64_t align, uint64_t *arena, uint64_t *lower_bound);

#endif
