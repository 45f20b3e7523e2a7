/* tool_common.h - what oclnn-run, oclnn-info and oclnn-bench share: option spelling, shape specs, and opening a
 * model into a context + runtime through the public API only.
 */
#ifndef OCLNN_TOOL_COMMON_H
#define OCLNN_TOOL_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "oclnn.h"

#define TOOL_MAX_SHAPES 16

/* A fixed shape for a named input ("x=1,3,640,640"); name "" applies to the only (or first) input. */
typedef struct tool_shape {
    char name[256];
    size_t ndim;
    int64_t dims[OCLNN_MAX_DIMS];
} tool_shape;

/* Whether argv[i] is the option spelled -s or --long (also --long=VALUE: *value points after '='). Options that
 * take a value consume argv[i + 1] when no '=' form was used; returns 0 when the value is missing. */
int tool_opt(int argc, char **argv, int *i, const char *s, const char *l, const char **value);

/* Parses "NAME=d0,d1,..." or "d0xd1x..." (dims >= 1). Returns 0 on success, else writes a message. */
int tool_parse_shape(const char *spec, tool_shape *out, char *msg, size_t msg_size);

typedef struct tool_model {
    oclnn_context *ctx;
    oclnn_graph *graph;
    oclnn_runtime *rt;
    double load_ms;    /* onnx_load_file */
    double create_ms;  /* runtime_create: passes, kernel builds (or cache loads), weight packing, plan */
} tool_model;

typedef struct tool_model_options {
    const char *device;
    uint32_t num_queues;
    int profile;
    int fuse;
    const tool_shape *shapes;
    size_t num_shapes;
    /* Called after the context is created, after the model is parsed and after the runtime is created (with
     * "context", "load", "runtime"), for oclnn-bench --rss; NULL: none. */
    void (*stage)(const char *name);
} tool_model_options;

/* Creates the context, loads @p path, fixes dynamic input dims from @p opt->shapes (a dynamic dim without one
 * is an error naming the input), and creates the runtime from the graph, which it consumes (m->graph is NULL
 * afterwards: oclnn_runtime_create_consume). On failure writes one line into @p msg and frees all. */
oclnn_status tool_model_open(const char *path, const tool_model_options *opt, tool_model *m, char *msg,
                             size_t msg_size);
void tool_model_close(tool_model *m);

/* The two halves of tool_model_open, for a tool that reads the graph's inputs before fixing their shapes:
 * load creates the context and parses the model; prepare fixes the shapes and creates the runtime. Each frees
 * everything on failure. */
oclnn_status tool_model_load(const char *path, const tool_model_options *opt, tool_model *m, char *msg,
                             size_t msg_size);
oclnn_status tool_model_prepare(const tool_model_options *opt, tool_model *m, char *msg, size_t msg_size);

/* "1x3x224x224" */
void tool_format_dims(char *buf, size_t size, size_t ndim, const int64_t *dims);

double tool_now_ms(void);

/* @p msg on one line (newlines and the indentation after them become "; "), in a static buffer: the tools print
 * every error as one line. */
const char *tool_one_line(const char *msg);

#endif
