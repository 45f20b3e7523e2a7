/* tool_common.c - option parsing, shape specs and model opening shared by the command-line tools. */
#include "tool_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double tool_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int tool_opt(int argc, char **argv, int *i, const char *s, const char *l, const char **value) {
    const char *a = argv[*i];
    size_t ll = l ? strlen(l) : 0;
    int match = (s && !strcmp(a, s)) || (l && !strcmp(a, l));
    if (!match && value && l && !strncmp(a, l, ll) && a[ll] == '=') {
        *value = a + ll + 1;
        return 1;
    }
    if (!match) return 0;
    if (!value) return 1;
    if (*i + 1 >= argc) {
        *value = NULL;
        return 1;
    }
    *value = argv[++*i];
    return 1;
}

int tool_parse_shape(const char *spec, tool_shape *out, char *msg, size_t msg_size) {
    memset(out, 0, sizeof *out);
    const char *eq = strrchr(spec, '=');
    const char *p = spec;
    if (eq) {
        size_t n = (size_t)(eq - spec);
        if (n >= sizeof out->name) {
            snprintf(msg, msg_size, "shape '%s': the name is too long", spec);
            return -1;
        }
        memcpy(out->name, spec, n);
        out->name[n] = 0;
        p = eq + 1;
    }
    while (*p) {
        if (out->ndim == OCLNN_MAX_DIMS) {
            snprintf(msg, msg_size, "shape '%s': more than %d dims", spec, OCLNN_MAX_DIMS);
            return -1;
        }
        char *end;
        errno = 0;
        long long v = strtoll(p, &end, 10);
        if (end == p || errno || v < 1 || v > (1ll << 31)) {
            snprintf(msg, msg_size, "shape '%s': dims must be integers >= 1, separated by ',' or 'x'", spec);
            return -1;
        }
        out->dims[out->ndim++] = v;
        p = end;
        if (*p == ',' || *p == 'x') {
            p++;
            if (!*p) {
                snprintf(msg, msg_size, "shape '%s': trailing separator", spec);
                return -1;
            }
        } else if (*p) {
            snprintf(msg, msg_size, "shape '%s': unexpected '%c'", spec, *p);
            return -1;
        }
    }
    if (!out->ndim) {
        snprintf(msg, msg_size, "shape '%s' has no dims", spec);
        return -1;
    }
    return 0;
}

void tool_format_dims(char *buf, size_t size, size_t ndim, const int64_t *dims) {
    size_t used = 0;
    buf[0] = 0;
    for (size_t d = 0; d < ndim && used < size; d++)
        used += (size_t)snprintf(buf + used, size - used, "%s%lld", d ? "x" : "", (long long)dims[d]);
    if (!ndim) snprintf(buf, size, "scalar");
}

void tool_model_close(tool_model *m) {
    oclnn_runtime_destroy(m->rt);
    oclnn_graph_destroy(m->graph);
    oclnn_context_destroy(m->ctx);
    memset(m, 0, sizeof *m);
}

oclnn_status tool_model_load(const char *path, const tool_model_options *opt, tool_model *m, char *msg,
                             size_t msg_size) {
    memset(m, 0, sizeof *m);
    oclnn_context_options co;
    oclnn_context_options_init(&co);
    co.device = opt->device;
    co.num_queues = opt->num_queues ? opt->num_queues : 1;
    co.profiling = opt->profile;
    oclnn_status s = oclnn_context_create(&co, &m->ctx);
    if (s) {
        snprintf(msg, msg_size, "%s", tool_one_line(oclnn_last_error(NULL)));
        return s;
    }
    if (opt->stage) opt->stage("context");
    double t0 = tool_now_ms();
    s = oclnn_onnx_load_file(m->ctx, path, &m->graph);
    m->load_ms = tool_now_ms() - t0;
    if (s) {
        snprintf(msg, msg_size, "%s", tool_one_line(oclnn_last_error(m->ctx)));
        tool_model_close(m);
    } else if (opt->stage) {
        opt->stage("load");
    }
    return s;
}

oclnn_status tool_model_prepare(const tool_model_options *opt, tool_model *m, char *msg, size_t msg_size) {
    oclnn_status s = OCLNN_STATUS_OK;
    size_t ni = oclnn_graph_num_inputs(m->graph);
    for (size_t k = 0; k < opt->num_shapes; k++) {
        const tool_shape *sh = &opt->shapes[k];
        const char *name = sh->name[0] ? sh->name : (ni ? oclnn_graph_input_name(m->graph, 0) : "");
        if (!sh->name[0] && ni != 1) {
            snprintf(msg, msg_size, "the model has %zu inputs: name the one to shape (NAME=dims)", ni);
            tool_model_close(m);
            return OCLNN_STATUS_INVALID_ARGUMENT;
        }
        s = oclnn_graph_fix_input(m->graph, name, sh->ndim, sh->dims);
        if (s) goto fail;
    }
    for (size_t k = 0; k < ni; k++) {
        size_t nd;
        int64_t dims[OCLNN_MAX_DIMS];
        s = oclnn_graph_input_shape(m->graph, k, NULL, &nd, dims);
        if (s) goto fail;
        for (size_t d = 0; d < nd; d++)
            if (dims[d] < 0) {
                char buf[128];
                tool_format_dims(buf, sizeof buf, nd, dims);
                snprintf(msg, msg_size, "input '%s' has dynamic dims (%s, -1 = dynamic): give them with --shape %s=...",
                         oclnn_graph_input_name(m->graph, k), buf, oclnn_graph_input_name(m->graph, k));
                tool_model_close(m);
                return OCLNN_STATUS_INVALID_SHAPE;
            }
    }
    oclnn_runtime_options ro;
    oclnn_runtime_options_init(&ro);
    ro.num_queues = opt->num_queues ? opt->num_queues : 1;
    ro.profile = opt->profile;
    ro.fuse = opt->fuse;
    double t0 = tool_now_ms();
    /* the graph is handed over: its weights are freed on the host as they are packed into device memory */
    s = oclnn_runtime_create_consume(m->ctx, &m->graph, &ro, &m->rt);
    m->create_ms = tool_now_ms() - t0;
    if (s) goto fail;
    if (opt->stage) opt->stage("runtime");
    return OCLNN_STATUS_OK;
fail:
    snprintf(msg, msg_size, "%s", tool_one_line(oclnn_last_error(m->ctx)));
    tool_model_close(m);
    return s;
}

oclnn_status tool_model_open(const char *path, const tool_model_options *opt, tool_model *m, char *msg,
                             size_t msg_size) {
    oclnn_status s = tool_model_load(path, opt, m, msg, msg_size);
    return s ? s : tool_model_prepare(opt, m, msg, msg_size);
}

const char *tool_one_line(const char *msg) {
    static char buf[4096];
    size_t n = 0;
    for (const char *p = msg; *p && n + 3 < sizeof buf; p++) {
        if (*p == '\n') {
            while (n && buf[n - 1] == ' ') n--;
            if (p[1]) {
                buf[n++] = ';';
                buf[n++] = ' ';
            }
            while (p[1] == ' ' || p[1] == '\t') p++;
        } else {
            buf[n++] = *p;
        }
    }
    buf[n] = 0;
    return buf;
}
