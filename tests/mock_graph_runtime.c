/* mock_graph_runtime.c - a test double for the ONNX importer and the graph runtime (oclnn_onnx_load_file and the
 * oclnn_runtime_* calls the segmentation demo makes), so the demo's executable is tested before lib/onnx and
 * lib/graph/runtime.c are in the library. It recognises the models of tests/data/make_seg_models.py by their graph
 * name, builds the graph with the real public builder, and computes each model on the host exactly as its ONNX file
 * defines it; the output also lives in a real device tensor (the demo's argmax reads it there). Input planes over
 * MOCK_MAX_PIXELS are refused with OUT_OF_DEVICE_MEMORY, standing in for a device that is too small.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "device/device.h"
#include "oclnn.h"

#define MOCK_MAX_PIXELS (4096 * 4096)

typedef enum { MOCK_BINARY = 1, MOCK_CLASSES, MOCK_FLAT } mock_kind;

static const struct {
    const char *graph_name, *out_name;
    mock_kind kind;
} models[] = {{"seg_test_binary", "prob", MOCK_BINARY},
              {"seg_test_classes", "scores", MOCK_CLASSES},
              {"seg_test_flat", "flat", MOCK_FLAT}};

oclnn_status oclnn_onnx_load_file(oclnn_context *ctx, const char *path, oclnn_graph **out) {
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return oclnn_fail(&ctx->err, OCLNN_STATUS_IO_ERROR, "onnx (mock): cannot open %s", path);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    int m = -1;
    for (int k = 0; k < 3 && m < 0; k++)
        if (memmem(buf, n, models[k].graph_name, strlen(models[k].graph_name))) m = k;
    if (m < 0) return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_MODEL, "onnx (mock): %s is not a test model", path);
    oclnn_graph *g = NULL;
    int64_t dims[4] = {1, 3, -1, -1};
    const char *x[] = {"x"}, *o[] = {models[m].out_name};
    oclnn_status st = oclnn_graph_create(ctx, &g);
    if (!st) st = oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, dims);
    /* One node stands for the model's few; only the count printed by the demo differs from the file. */
    if (!st) st = oclnn_graph_add_node(g, "Identity", NULL, 1, x, 1, o, 0, NULL);
    if (!st) st = oclnn_graph_add_output(g, models[m].out_name);
    if (st) {
        oclnn_graph_destroy(g);
        return st;
    }
    *out = g;
    return OCLNN_STATUS_OK;
}

struct oclnn_runtime {
    oclnn_context *ctx;
    mock_kind kind;
    const char *out_name;
    int64_t h, w;
    float *in, *out;
    size_t in_n, out_n;
    oclnn_tensor *out_t;
    int ran;
};

oclnn_status oclnn_runtime_create(oclnn_context *ctx, const oclnn_graph *graph, const oclnn_runtime_options *options,
                                  oclnn_runtime **out) {
    (void)options;
    *out = NULL;
    const char *on = oclnn_graph_output_name(graph, 0);
    int m = -1;
    for (int k = 0; k < 3; k++)
        if (on && strcmp(on, models[k].out_name) == 0) m = k;
    oclnn_dtype dt;
    size_t nd;
    int64_t d[OCLNN_MAX_DIMS];
    if (m < 0 || oclnn_graph_input_shape(graph, 0, &dt, &nd, d))
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_MODEL, "runtime (mock): not a graph of the mock importer");
    if (d[2] < 1 || d[3] < 1) return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_SHAPE, "runtime (mock): input dims not fixed");
    if (d[2] * d[3] > MOCK_MAX_PIXELS)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_DEVICE_MEMORY,
                          "runtime (mock): input [1, 3, %lld, %lld] needs more memory than the device has",
                          (long long)d[2], (long long)d[3]);
    oclnn_runtime *rt = calloc(1, sizeof *rt);
    if (!rt) return OCLNN_STATUS_OUT_OF_HOST_MEMORY;
    rt->ctx = ctx;
    rt->kind = models[m].kind;
    rt->out_name = models[m].out_name;
    rt->h = d[2];
    rt->w = d[3];
    rt->in_n = (size_t)3 * rt->h * rt->w;
    rt->out_n = rt->kind == MOCK_BINARY ? (size_t)rt->h * rt->w : rt->kind == MOCK_CLASSES ? rt->in_n : 3;
    rt->in = malloc(rt->in_n * sizeof(float));
    rt->out = malloc(rt->out_n * sizeof(float));
    int64_t od[4] = {1, rt->kind == MOCK_BINARY ? 1 : 3, rt->h, rt->w};
    oclnn_status st = rt->in && rt->out ? OCLNN_STATUS_OK : OCLNN_STATUS_OUT_OF_HOST_MEMORY;
    if (!st) st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, rt->kind == MOCK_FLAT ? 2 : 4, od, &rt->out_t);
    if (st) {
        oclnn_runtime_destroy(rt);
        return st;
    }
    *out = rt;
    return OCLNN_STATUS_OK;
}

void oclnn_runtime_destroy(oclnn_runtime *rt) {
    if (!rt) return;
    oclnn_tensor_destroy(rt->out_t);
    free(rt->in);
    free(rt->out);
    free(rt);
}

size_t oclnn_runtime_num_outputs(const oclnn_runtime *rt) { return rt ? 1 : 0; }
const char *oclnn_runtime_output_name(const oclnn_runtime *rt, size_t index) {
    return rt && index == 0 ? rt->out_name : NULL;
}

oclnn_status oclnn_runtime_shape(oclnn_runtime *rt, const char *name, oclnn_dtype *dtype, size_t *ndim, int64_t *dims) {
    *dtype = OCLNN_DTYPE_F32;
    if (strcmp(name, "x") == 0) {
        *ndim = 4;
        dims[0] = 1, dims[1] = 3, dims[2] = rt->h, dims[3] = rt->w;
    } else if (strcmp(name, rt->out_name) == 0) {
        *ndim = rt->kind == MOCK_FLAT ? 2 : 4;
        int64_t d[4] = {1, rt->kind == MOCK_BINARY ? 1 : 3, rt->h, rt->w};
        memcpy(dims, d, sizeof d);
    } else
        return oclnn_fail(&rt->ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "runtime (mock): no value %s", name);
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_runtime_set_input(oclnn_runtime *rt, const char *name, const void *data, size_t bytes) {
    if (strcmp(name, "x") || bytes != rt->in_n * sizeof(float))
        return oclnn_fail(&rt->ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "runtime (mock): bad input %s (%zu bytes)", name,
                          bytes);
    memcpy(rt->in, data, bytes);
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_runtime_invoke(oclnn_runtime *rt) {
    size_t plane = (size_t)rt->h * rt->w;
    if (rt->kind == MOCK_BINARY) /* Conv 1x1 (weights -1, bias -2) + Sigmoid */
        for (size_t i = 0; i < plane; i++)
            rt->out[i] = 1.0f / (1.0f + expf(rt->in[i] + rt->in[plane + i] + rt->in[2 * plane + i] + 2.0f));
    else if (rt->kind == MOCK_CLASSES) /* identity Conv 1x1 */
        memcpy(rt->out, rt->in, rt->in_n * sizeof(float));
    else /* GlobalAveragePool + Flatten */
        for (int c = 0; c < 3; c++) {
            double s = 0;
            for (size_t i = 0; i < plane; i++)
                s += rt->in[c * plane + i];
            rt->out[c] = (float)(s / plane);
        }
    rt->ran = 1;
    return oclnn_tensor_write(rt->out_t, 0, rt->out_n * sizeof(float), rt->out);
}

oclnn_status oclnn_runtime_get_output(oclnn_runtime *rt, const char *name, void *data, size_t bytes) {
    if (!rt->ran) return oclnn_fail(&rt->ctx->err, OCLNN_STATUS_INVALID_STATE, "runtime (mock): get_output before invoke");
    if (strcmp(name, rt->out_name) || bytes != rt->out_n * sizeof(float))
        return oclnn_fail(&rt->ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "runtime (mock): bad output %s (%zu bytes)", name,
                          bytes);
    memcpy(data, rt->out, bytes);
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_runtime_tensor(oclnn_runtime *rt, const char *name, oclnn_tensor **tensor) {
    if (strcmp(name, rt->out_name))
        return oclnn_fail(&rt->ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "runtime (mock): no tensor %s", name);
    *tensor = rt->out_t;
    return OCLNN_STATUS_OK;
}
