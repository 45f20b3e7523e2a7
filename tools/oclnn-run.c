/* oclnn-run - runs an ONNX model on .npy inputs and writes its outputs as .npy files, optionally with a per-node
 * time table. Errors print one line and exit nonzero.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npy.h"
#include "oclnn.h"
#include "tool_common.h"

#define MAX_IO 64

static void usage(FILE *f) {
    fputs("usage: oclnn-run MODEL.onnx -i [NAME=]IN.npy ... [-o [NAME=]OUT.npy ...] [options]\n"
          "  -i, --input [NAME=]FILE    an input tensor (float32 .npy, C order); unnamed ones fill the model's\n"
          "                             inputs in order\n"
          "  -o, --output [NAME=]FILE   where to write an output; unnamed ones take the outputs in order.\n"
          "                             Without -o, a summary of every output is printed\n"
          "  -d, --device SPEC          device (index, P:D, gpu, cpu or a name substring; default $OCLNN_DEVICE)\n"
          "  -p, --profile              print a per-node time table\n"
          "  -q, --queues N             in-order queues for independent branches (default 1)\n"
          "      --no-fuse              run node by node (no BN folding or activation fusion)\n"
          "  -h, --help\n",
          f);
}

typedef struct io_arg {
    const char *name; /* NULL: positional */
    const char *path;
} io_arg;

/* "NAME=path" when the part before '=' looks like a tensor name rather than a path. */
static io_arg split_io(char *s) {
    io_arg a = {NULL, s};
    char *eq = strchr(s, '=');
    if (eq && eq != s && !memchr(s, '/', (size_t)(eq - s))) {
        *eq = 0;
        a.name = s;
        a.path = eq + 1;
    }
    return a;
}

static int fail(const char *fmt, const char *a, const char *b) {
    fprintf(stderr, "oclnn-run: ");
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    return 1;
}

static void summarize(const char *name, const float *v, size_t n, size_t ndim, const int64_t *dims) {
    char shape[128];
    tool_format_dims(shape, sizeof shape, ndim, dims);
    double mn = n ? v[0] : 0, mx = n ? v[0] : 0, sum = 0;
    for (size_t i = 0; i < n; i++) {
        mn = v[i] < mn ? v[i] : mn;
        mx = v[i] > mx ? v[i] : mx;
        sum += v[i];
    }
    printf("output %s: %s  min %.6g  max %.6g  mean %.6g", name, shape, mn, mx, n ? sum / (double)n : 0.0);
    if (ndim == 2 && dims[0] == 1 && n >= 5) {
        size_t top[5] = {0};
        for (int k = 0; k < 5; k++) {
            size_t best = (size_t)-1;
            for (size_t i = 0; i < n; i++) {
                int taken = 0;
                for (int j = 0; j < k; j++) taken |= top[j] == i;
                if (!taken && (best == (size_t)-1 || v[i] > v[best])) best = i;
            }
            top[k] = best;
        }
        printf("  top5 %zu %zu %zu %zu %zu", top[0], top[1], top[2], top[3], top[4]);
    }
    putchar('\n');
}

int main(int argc, char **argv) {
    const char *model = NULL, *device = NULL;
    io_arg ins[MAX_IO], outs[MAX_IO];
    size_t nin = 0, nout = 0;
    int profile = 0, fuse = 1;
    uint32_t queues = 1;
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        if (tool_opt(argc, argv, &i, "-h", "--help", NULL)) {
            usage(stdout);
            return 0;
        } else if (tool_opt(argc, argv, &i, "-i", "--input", &v)) {
            if (!v) return fail("%s needs a value%s", argv[i], "");
            if (nin == MAX_IO) return fail("at most %s inputs%s", "64", "");
            ins[nin++] = split_io((char *)v);
        } else if (tool_opt(argc, argv, &i, "-o", "--output", &v)) {
            if (!v) return fail("%s needs a value%s", argv[i], "");
            if (nout == MAX_IO) return fail("at most %s outputs%s", "64", "");
            outs[nout++] = split_io((char *)v);
        } else if (tool_opt(argc, argv, &i, "-d", "--device", &v)) {
            if (!v) return fail("%s needs a value%s", argv[i], "");
            device = v;
        } else if (tool_opt(argc, argv, &i, "-q", "--queues", &v)) {
            if (!v || atoi(v) < 1 || atoi(v) > 16) return fail("--queues needs a count from 1 to 16%s%s", "", "");
            queues = (uint32_t)atoi(v);
        } else if (tool_opt(argc, argv, &i, "-p", "--profile", NULL)) {
            profile = 1;
        } else if (tool_opt(argc, argv, &i, NULL, "--no-fuse", NULL)) {
            fuse = 0;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return fail("unknown option '%s' (see --help)%s", argv[i], "");
        } else if (!model) {
            model = argv[i];
        } else {
            return fail("unexpected argument '%s' (one model only)%s", argv[i], "");
        }
    }
    if (!model) {
        fprintf(stderr, "oclnn-run: no model given (usage: oclnn-run MODEL.onnx -i IN.npy ...; see --help)\n");
        return 2;
    }
    if (!nin) return fail("no input given (-i [NAME=]IN.npy)%s%s", "", "");

    char msg[2048];
    npy_array arrays[MAX_IO];
    memset(arrays, 0, sizeof arrays);
    int rc = 1;
    tool_model m = {0};
    tool_shape shapes[MAX_IO];
    for (size_t k = 0; k < nin; k++) {
        if (npy_read_file(ins[k].path, (size_t)4 << 30, &arrays[k], msg, sizeof msg)) {
            fprintf(stderr, "oclnn-run: input %s: %s\n", ins[k].path, msg);
            goto out;
        }
        if (arrays[k].ndim > OCLNN_MAX_DIMS || arrays[k].ndim == 0) {
            fprintf(stderr, "oclnn-run: input %s has %zu dims (1..%d supported)\n", ins[k].path, arrays[k].ndim,
                    OCLNN_MAX_DIMS);
            goto out;
        }
    }
    /* Parse the model once: its inputs name the files' shapes, which then fix its dynamic dims. */
    tool_model_options mo = {device, queues, profile, fuse, shapes, nin, NULL};
    if (tool_model_load(model, &mo, &m, msg, sizeof msg)) {
        fprintf(stderr, "oclnn-run: %s\n", msg);
        goto out;
    }
    {
        const oclnn_graph *g = m.graph;
        size_t gi = oclnn_graph_num_inputs(g);
        int used[MAX_IO] = {0};
        size_t next = 0;
        int bad = 0;
        for (size_t k = 0; k < nin && !bad; k++) {
            const char *name = ins[k].name;
            if (!name) {
                while (next < gi) {
                    int named = 0;
                    for (size_t j = 0; j < nin; j++)
                        if (ins[j].name && !strcmp(ins[j].name, oclnn_graph_input_name(g, next))) named = 1;
                    if (!named && !used[next]) break;
                    next++;
                }
                if (next >= gi) {
                    fprintf(stderr, "oclnn-run: %zu inputs given, the model has %zu\n", nin, gi);
                    bad = 1;
                    break;
                }
                name = oclnn_graph_input_name(g, next);
                used[next++] = 1;
            }
            size_t idx = gi;
            for (size_t j = 0; j < gi; j++)
                if (!strcmp(oclnn_graph_input_name(g, j), name)) idx = j;
            if (idx == gi) {
                fprintf(stderr, "oclnn-run: the model has no input '%s'\n", name);
                bad = 1;
                break;
            }
            oclnn_dtype dt;
            size_t nd;
            int64_t dims[OCLNN_MAX_DIMS];
            oclnn_graph_input_shape(g, idx, &dt, &nd, dims);
            int dt_ok = (dt == OCLNN_DTYPE_F32 && arrays[k].dtype == NPY_F32) ||
                        (dt == OCLNN_DTYPE_I64 && arrays[k].dtype == NPY_I64) ||
                        (dt == OCLNN_DTYPE_I32 && arrays[k].dtype == NPY_I32);
            char want[128], got[128];
            tool_format_dims(want, sizeof want, nd, dims);
            tool_format_dims(got, sizeof got, arrays[k].ndim, arrays[k].dims);
            if (!dt_ok) {
                fprintf(stderr, "oclnn-run: input '%s' (%s): wrong data type (the model wants %s)\n", name,
                        ins[k].path, dt == OCLNN_DTYPE_F32 ? "float32" : dt == OCLNN_DTYPE_I64 ? "int64" : "int32");
                bad = 1;
                break;
            }
            int shape_ok = nd == arrays[k].ndim;
            for (size_t d = 0; shape_ok && d < nd; d++)
                if (dims[d] >= 0 && dims[d] != arrays[k].dims[d]) shape_ok = 0;
            if (!shape_ok) {
                fprintf(stderr, "oclnn-run: input '%s' (%s) has shape %s, the model wants %s (-1 = any)\n", name,
                        ins[k].path, got, want);
                bad = 1;
                break;
            }
            snprintf(shapes[k].name, sizeof shapes[k].name, "%s", name);
            shapes[k].ndim = nd;
            memcpy(shapes[k].dims, arrays[k].dims, nd * sizeof(int64_t));
        }
        for (size_t k = 0; k < nin && !bad; k++) ins[k].name = shapes[k].name;
        if (!bad && nin < gi) {
            fprintf(stderr, "oclnn-run: the model has %zu inputs, %zu given\n", gi, nin);
            bad = 1;
        }
        if (bad) goto out;
    }
    if (tool_model_prepare(&mo, &m, msg, sizeof msg)) {
        fprintf(stderr, "oclnn-run: %s\n", msg);
        goto out;
    }
    for (size_t k = 0; k < nin; k++)
        if (oclnn_runtime_set_input(m.rt, ins[k].name, arrays[k].data, arrays[k].nbytes)) {
            fprintf(stderr, "oclnn-run: %s\n", tool_one_line(oclnn_last_error(m.ctx)));
            goto out;
        }
    double t0 = tool_now_ms();
    if (oclnn_runtime_invoke(m.rt)) {
        fprintf(stderr, "oclnn-run: %s\n", tool_one_line(oclnn_last_error(m.ctx)));
        goto out;
    }
    double run_ms = tool_now_ms() - t0;
    size_t go = oclnn_runtime_num_outputs(m.rt);
    if (nout > go) {
        fprintf(stderr, "oclnn-run: %zu outputs requested, the model has %zu\n", nout, go);
        goto out;
    }
    size_t next_out = 0;
    for (size_t k = 0; k < (nout ? nout : go); k++) {
        const char *name = nout ? outs[k].name : NULL;
        if (!name) name = oclnn_runtime_output_name(m.rt, next_out++);
        oclnn_dtype dt;
        npy_array a;
        memset(&a, 0, sizeof a);
        if (oclnn_runtime_shape(m.rt, name, &dt, &a.ndim, a.dims)) {
            fprintf(stderr, "oclnn-run: %s\n", tool_one_line(oclnn_last_error(m.ctx)));
            goto out;
        }
        a.dtype = dt == OCLNN_DTYPE_I64 ? NPY_I64 : dt == OCLNN_DTYPE_I32 ? NPY_I32 : NPY_F32;
        size_t n = 1;
        for (size_t d = 0; d < a.ndim; d++) n *= (size_t)a.dims[d];
        a.nbytes = n * npy_dtype_size(a.dtype);
        a.data = malloc(a.nbytes ? a.nbytes : 1);
        if (!a.data) {
            fprintf(stderr, "oclnn-run: out of memory\n");
            goto out;
        }
        if (oclnn_runtime_get_output(m.rt, name, a.data, a.nbytes)) {
            fprintf(stderr, "oclnn-run: %s\n", tool_one_line(oclnn_last_error(m.ctx)));
            npy_free(&a);
            goto out;
        }
        if (nout) {
            if (npy_write_file(outs[k].path, &a, msg, sizeof msg)) {
                fprintf(stderr, "oclnn-run: output %s: %s\n", outs[k].path, msg);
                npy_free(&a);
                goto out;
            }
        } else if (a.dtype == NPY_F32) {
            summarize(name, a.data, n, a.ndim, a.dims);
        } else {
            char shape[128];
            tool_format_dims(shape, sizeof shape, a.ndim, a.dims);
            printf("output %s: %s (integer)\n", name, shape);
        }
        npy_free(&a);
    }
    fprintf(stderr, "oclnn-run: load %.1f ms, prepare %.1f ms, first run %.2f ms\n", m.load_ms, m.create_ms, run_ms);
    if (profile) {
        size_t ns = oclnn_runtime_num_steps(m.rt);
        double total = 0;
        printf("%-4s %-40s %-28s %-12s %-18s %10s\n", "#", "node", "op", "algo", "output", "time_us");
        for (size_t k = 0; k < ns; k++) {
            oclnn_node_info ni;
            if (oclnn_runtime_step_info(m.rt, k, &ni)) continue;
            char shape[64];
            tool_format_dims(shape, sizeof shape, ni.ndim, ni.dims);
            printf("%-4zu %-40.40s %-28.28s %-12.12s %-18.18s %10.1f\n", k, ni.name, ni.op_type, ni.algo, shape,
                   ni.time_ns / 1e3);
            total += ni.time_ns / 1e3;
        }
        printf("total kernel time %.1f us over %zu steps\n", total, ns);
    }
    rc = 0;
out:
    tool_model_close(&m);
    for (size_t k = 0; k < nin; k++) npy_free(&arrays[k]);
    return rc;
}
