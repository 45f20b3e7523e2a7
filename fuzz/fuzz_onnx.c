/* fuzz_onnx.c - libFuzzer target for the ONNX path: bytes -> oclnn_onnx_load_buffer -> (if it loads) dynamic input
 * dims fixed to small values -> runtime_create -> set inputs -> invoke -> read outputs, on one context made once
 * (POCL; programs come from the context's cache after their first build). Tight limits keep every input cheap;
 * any outcome is fine except a crash, a leak, an out-of-bounds access, undefined behaviour or a status without a
 * message. Set OCLNN_FUZZ_NO_RUN=1 to stop after the load (faster, importer only).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oclnn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static oclnn_context *ctx;
static int no_run;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    oclnn_context_options o;
    oclnn_context_options_init(&o);
    o.num_queues = 2;
    o.log_level = OCLNN_LOG_NONE;
    if (oclnn_context_create(&o, &ctx)) {
        /* no device: the importer alone is still worth fuzzing */
        ctx = NULL;
    }
    if (ctx) {
        /* small models only: whatever a hostile model asks for, an input costs milliseconds and megabytes */
        oclnn_limits l;
        oclnn_context_get_limits(ctx, &l);
        l.max_tensor_bytes = 4 << 20;
        l.max_arena_bytes = 16 << 20;
        l.max_nodes = 256;
        l.max_depth = 256;
        l.max_programs = 8; /* each distinct kernel configuration is a program build: keep executions fast */
        oclnn_context_set_limits(ctx, &l);
    }
    no_run = getenv("OCLNN_FUZZ_NO_RUN") && atoi(getenv("OCLNN_FUZZ_NO_RUN"));
    return 0;
}

static void check_message(oclnn_status s) {
    if (s && !oclnn_last_error(ctx)[0]) __builtin_trap();
}

static void run(const oclnn_graph *g) {
    oclnn_runtime_options ro;
    oclnn_runtime_options_init(&ro);
    ro.num_queues = 2;
    oclnn_runtime *rt = NULL;
    oclnn_status s = oclnn_runtime_create(ctx, g, &ro, &rt);
    check_message(s);
    if (s) return;
    for (size_t i = 0; i < oclnn_runtime_num_inputs(rt) && !s; i++) {
        const char *name = oclnn_runtime_input_name(rt, i);
        oclnn_tensor *t;
        if ((s = oclnn_runtime_tensor(rt, name, &t))) break;
        size_t bytes = oclnn_tensor_nbytes(t);
        float *x = malloc(bytes ? bytes : 1);
        if (!x) break;
        for (size_t k = 0; k < bytes / sizeof(float); k++)
            x[k] = (float)((int)(k % 7) - 3) * 0.5f;
        s = oclnn_runtime_set_input(rt, name, x, bytes);
        free(x);
    }
    for (int round = 0; round < 2 && !s; round++)
        s = oclnn_runtime_invoke(rt); /* twice: a runtime must be reusable */
    for (size_t i = 0; i < oclnn_runtime_num_outputs(rt) && !s; i++) {
        const char *name = oclnn_runtime_output_name(rt, i);
        oclnn_tensor *t;
        if ((s = oclnn_runtime_tensor(rt, name, &t))) break;
        size_t bytes = oclnn_tensor_nbytes(t);
        void *y = malloc(bytes ? bytes : 1);
        if (!y) break;
        s = oclnn_runtime_get_output(rt, name, y, bytes);
        free(y);
    }
    check_message(s);
    oclnn_runtime_destroy(rt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!ctx) return 0;
    oclnn_graph *g = NULL;
    oclnn_status s = oclnn_onnx_load_buffer(ctx, data, size, NULL, &g);
    check_message(s);
    if (s) {
        if (g) __builtin_trap(); /* out-params are NULL on failure */
        return 0;
    }
    /* dynamic dims (<= 0) become 2; inputs stay small (the limits refuse the rest) */
    int ok = 1;
    for (size_t i = 0; i < oclnn_graph_num_inputs(g) && ok; i++) {
        oclnn_dtype dt;
        size_t nd;
        int64_t d[OCLNN_MAX_DIMS + 4];
        if (oclnn_graph_input_shape(g, i, &dt, &nd, d)) {
            ok = 0;
            break;
        }
        int fixed = 0;
        for (size_t k = 0; k < nd && k < OCLNN_MAX_DIMS; k++)
            if (d[k] <= 0) d[k] = 2, fixed = 1;
        if (fixed && nd <= OCLNN_MAX_DIMS) check_message(oclnn_graph_fix_input(g, oclnn_graph_input_name(g, i), nd, d));
    }
    if (ok && !no_run) run(g);
    oclnn_graph_destroy(g);
    return 0;
}
