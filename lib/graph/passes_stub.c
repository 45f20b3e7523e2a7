/* passes_stub.c - TEMPORARY no-op definitions of the graph passes (fold.c, fuse.c) so that the runtime links and
 * calls the real names before those land. Weak: the real definitions replace them. Delete when merging.
 */
#include "graph/ir.h"

__attribute__((weak)) oclnn_status oclnn_ir_fold_constants(oclnn_graph *g, int *changed) {
    (void)g;
    *changed = 0;
    return OCLNN_STATUS_OK;
}

__attribute__((weak)) oclnn_status oclnn_ir_fuse(oclnn_graph *g, const oclnn_runtime_options *options) {
    (void)g, (void)options;
    return OCLNN_STATUS_OK;
}

__attribute__((weak)) oclnn_status oclnn_ir_remove_dead(oclnn_graph *g) {
    (void)g;
    return OCLNN_STATUS_OK;
}
