/* infer.c - the shape-inference driver and the op registry lookup: walks live nodes in topological order and
 * calls each op type's infer (lib/graph/rt_<family>.c). Op types without a vtable are refused, naming the node.
 */
#include <string.h>

#include "graph/rt_op.h"
#include "graph/rt_op_list.h"
#include "graph/rt_util.h"

static const oclnn_rt_op *const registry[] = {
#define OCLNN_X_(name, sym) &sym,
    OCLNN_RT_OP_LIST(OCLNN_X_)
#undef OCLNN_X_
};

const oclnn_rt_op *oclnn_rt_op_find(const char *op_type) {
    if (!op_type) return NULL;
    for (size_t i = 0; i < sizeof registry / sizeof *registry; i++)
        if (!strcmp(registry[i]->op_type, op_type)) return registry[i];
    return NULL;
}

oclnn_status oclnn_ir_infer_shapes_ex(oclnn_graph *g, int strict) {
    int *order;
    size_t count;
    oclnn_status s = oclnn_ir_topo_order(g, &order, &count);
    if (s) return s;
    for (size_t i = 0; i < count && !s; i++) {
        const oclnn_ir_node *n = &g->nodes[order[i]];
        const oclnn_rt_op *vt = n->domain[0] && strcmp(n->domain, "ai.onnx") ? NULL : oclnn_rt_op_find(n->op_type);
        if (!vt && !strict) continue; /* host-only ops (Shape, Gather, ...): constant folding may remove them */
        if (!vt) {
            s = rt_fail(g, n, OCLNN_STATUS_UNSUPPORTED, "operator not supported%s%s", n->domain[0] ? " in domain " : "",
                        n->domain);
            break;
        }
        s = vt->infer(g, n);
        /* an input the op reads on the host (Reshape's shape) may be computed by nodes folding has not evaluated
         * yet (Concat or Slice of constants): leave the outputs unknown; the strict pass reports what remains */
        if (!strict && s == OCLNN_STATUS_UNSUPPORTED) {
            s = OCLNN_STATUS_OK;
            continue;
        }
        /* before anything is allocated for them: sizes within the limits, dims the operators can index */
        for (size_t k = 0; k < n->num_outputs && !s; k++)
            s = rt_check_tensor(g, n, rt_out(g, n, k));
    }
    oclnn_free(OCLNN_IR_ALLOC(g), order);
    return s;
}

oclnn_status oclnn_ir_infer_shapes(oclnn_graph *g) { return oclnn_ir_infer_shapes_ex(g, 1); }
