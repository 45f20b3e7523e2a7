/* oclnn-info - prints the OpenCL devices oclnn sees, the one it would select, and its cache settings; given a
 * model, prints the compiled graph: one line per step (op, algorithm, shape, parameters, MACs), the totals, the
 * memory plan, and optionally a Graphviz picture.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oclnn.h"
#include "tool_common.h"

static const char *type_name(oclnn_device_type t) {
    return t == OCLNN_DEVICE_TYPE_GPU ? "gpu" : t == OCLNN_DEVICE_TYPE_CPU ? "cpu" : t == OCLNN_DEVICE_TYPE_ACCELERATOR ? "accel" : "other";
}

static void usage(FILE *f) {
    fputs("usage: oclnn-info [--devices] [--device SPEC] [--build-all]\n"
          "       oclnn-info MODEL.onnx [--dot FILE.dot] [--shape [NAME=]DIMS] [--device SPEC] [--no-fuse]\n"
          "  --devices             list every OpenCL device (default)\n"
          "  -d, --device SPEC     the device (index, P:D, gpu, cpu or a name substring)\n"
          "  --build-all           create a context on the device and build every embedded kernel variant\n"
          "  MODEL.onnx            print the compiled graph: steps, algorithms, shapes, parameters, MACs, memory plan\n"
          "  --dot FILE            also write the compiled graph as Graphviz dot\n"
          "  -s, --shape [NAME=]D  fix an input's dynamic dims, e.g. x=1,3,640,640\n"
          "  --no-fuse             show the graph without fusion\n",
          f);
}

static int model_info(const char *path, const char *device, const char *dot, const tool_shape *shapes,
                      size_t nshapes, int fuse) {
    char msg[2048];
    tool_model m;
    tool_model_options mo = {device, 1, 0, fuse, shapes, nshapes, NULL};
    if (tool_model_open(path, &mo, &m, msg, sizeof msg)) {
        fprintf(stderr, "oclnn-info: %s\n", msg);
        return 1;
    }
    oclnn_device_info di;
    oclnn_context_device_info(m.ctx, &di);
    printf("model    %s\ndevice   %s (%s)\n", path, di.name, di.platform_name);
    for (size_t k = 0; k < oclnn_runtime_num_inputs(m.rt); k++) {
        const char *n = oclnn_runtime_input_name(m.rt, k);
        size_t nd;
        int64_t dims[OCLNN_MAX_DIMS];
        char b[128] = "?";
        if (!oclnn_runtime_shape(m.rt, n, NULL, &nd, dims)) tool_format_dims(b, sizeof b, nd, dims);
        printf("input    %s %s\n", n, b);
    }
    for (size_t k = 0; k < oclnn_runtime_num_outputs(m.rt); k++) {
        const char *n = oclnn_runtime_output_name(m.rt, k);
        size_t nd;
        int64_t dims[OCLNN_MAX_DIMS];
        char b[128] = "?";
        if (!oclnn_runtime_shape(m.rt, n, NULL, &nd, dims)) tool_format_dims(b, sizeof b, nd, dims);
        printf("output   %s %s\n", n, b);
    }
    printf("\n%-4s %-36s %-30s %-12s %-16s %5s %12s %14s\n", "#", "node", "op", "algo", "output", "queue", "params",
           "MACs");
    size_t ns = oclnn_runtime_num_steps(m.rt);
    for (size_t k = 0; k < ns; k++) {
        oclnn_node_info ni;
        if (oclnn_runtime_step_info(m.rt, k, &ni)) continue;
        char shape[64];
        tool_format_dims(shape, sizeof shape, ni.ndim, ni.dims);
        printf("%-4zu %-36.36s %-30.30s %-12.12s %-16.16s %5u %12llu %14llu\n", k, ni.name, ni.op_type, ni.algo, shape,
               ni.queue, (unsigned long long)ni.params, (unsigned long long)ni.macs);
    }
    oclnn_runtime_stats st;
    int rc = 0;
    if (oclnn_runtime_stats_get(m.rt, &st)) {
        fprintf(stderr, "oclnn-info: %s\n", tool_one_line(oclnn_last_error(m.ctx)));
        rc = 1;
    } else {
        printf("\nsteps %u (from %u graph nodes), %u kernels per run\n", st.steps, st.source_nodes,
               st.kernels_per_invoke);
        /* three significant digits, as papers print parameter counts (61.1M, 138.4M, 7.98M) */
        double pm = st.params / 1e6;
        printf("parameters %.*fM (%llu), %.3f GMACs per run, packed weights %.1f MiB\n", pm >= 10 ? 1 : 2, pm,
               (unsigned long long)st.params, st.macs / 1e9, st.weight_bytes / 1048576.0);
        printf("memory plan: naive %.2f MiB (one buffer per activation), planned arena %.2f MiB, lower bound %.2f "
               "MiB (%.3fx)\n",
               st.naive_bytes / 1048576.0, st.arena_bytes / 1048576.0, st.lower_bound_bytes / 1048576.0,
               st.lower_bound_bytes ? (double)st.arena_bytes / (double)st.lower_bound_bytes : 0.0);
        printf("load %.1f ms, prepare %.1f ms\n", m.load_ms, m.create_ms);
    }
    if (!rc && dot && oclnn_runtime_write_dot(m.rt, dot)) {
        fprintf(stderr, "oclnn-info: %s\n", tool_one_line(oclnn_last_error(m.ctx)));
        rc = 1;
    }
    tool_model_close(&m);
    return rc;
}

static void print_device(const oclnn_device_info *d) {
    printf("%u (%u:%u) [%s] %s\n", d->index, d->platform_index, d->device_index, type_name(d->type), d->name);
    printf("    platform   %s | %s | %s\n", d->platform_name, d->platform_vendor, d->platform_version);
    printf("    vendor     %s, driver %s, %s, %s\n", d->vendor, d->driver_version, d->device_version, d->opencl_c_version);
    printf("    compute    %u units @ %u MHz, max work-group %llu (%llu x %llu x %llu)\n", d->compute_units,
           d->max_clock_mhz, (unsigned long long)d->max_work_group_size,
           (unsigned long long)d->max_work_item_sizes[0], (unsigned long long)d->max_work_item_sizes[1],
           (unsigned long long)d->max_work_item_sizes[2]);
    printf("    memory     global %.1f MiB, local %.1f KiB, max alloc %.1f MiB\n", d->global_mem_bytes / 1048576.0,
           d->local_mem_bytes / 1024.0, d->max_alloc_bytes / 1048576.0);
    printf("    vectors    float preferred %u native %u, half preferred %u; fp16 %s, fp64 %s, subgroups %s\n",
           d->preferred_vector_width_float, d->native_vector_width_float, d->preferred_vector_width_half,
           d->has_fp16 ? "yes" : "no", d->has_fp64 ? "yes" : "no", d->has_subgroups ? "yes" : "no");
}

int main(int argc, char **argv) {
    const char *spec = NULL, *model = NULL, *dot = NULL;
    int build_all = 0, fuse = 1;
    tool_shape shapes[TOOL_MAX_SHAPES];
    size_t nshapes = 0;
    char msg[512];
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        if (tool_opt(argc, argv, &i, NULL, "--devices", NULL)) {
        } else if (tool_opt(argc, argv, &i, "-d", "--device", &v)) {
            if (!v) return fprintf(stderr, "oclnn-info: --device needs a value\n"), 2;
            spec = v;
        } else if (tool_opt(argc, argv, &i, NULL, "--build-all", NULL)) {
            build_all = 1;
        } else if (tool_opt(argc, argv, &i, NULL, "--dot", &v)) {
            if (!v) return fprintf(stderr, "oclnn-info: --dot needs a file\n"), 2;
            dot = v;
        } else if (tool_opt(argc, argv, &i, "-s", "--shape", &v)) {
            if (!v) return fprintf(stderr, "oclnn-info: --shape needs a value\n"), 2;
            if (nshapes == TOOL_MAX_SHAPES) return fprintf(stderr, "oclnn-info: too many --shape\n"), 2;
            if (tool_parse_shape(v, &shapes[nshapes++], msg, sizeof msg))
                return fprintf(stderr, "oclnn-info: %s\n", msg), 2;
        } else if (tool_opt(argc, argv, &i, NULL, "--no-fuse", NULL)) {
            fuse = 0;
        } else if (tool_opt(argc, argv, &i, "-h", "--help", NULL)) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] != '-' && !model) {
            model = argv[i];
        } else {
            fprintf(stderr, "oclnn-info: unknown argument '%s' (see --help)\n", argv[i]);
            return 2;
        }
    }
    if (model) return model_info(model, spec, dot, shapes, nshapes, fuse);
    if (dot || nshapes) {
        fprintf(stderr, "oclnn-info: --dot and --shape need a model\n");
        return 2;
    }
    size_t n = 0;
    oclnn_status st = oclnn_device_enumerate(NULL, 0, &n);
    if (st) {
        fprintf(stderr, "oclnn-info: %s\n", tool_one_line(oclnn_last_error(NULL)));
        return 1;
    }
    oclnn_device_info *infos = calloc(n ? n : 1, sizeof *infos);
    if (!infos || oclnn_device_enumerate(infos, n, &n)) {
        fprintf(stderr, "oclnn-info: %s\n", infos ? tool_one_line(oclnn_last_error(NULL)) : "out of memory");
        free(infos);
        return 1;
    }
    printf("%zu OpenCL device(s)\n", n);
    for (size_t i = 0; i < n; i++) print_device(&infos[i]);
    free(infos);
    oclnn_device_info sel;
    if (oclnn_device_select(spec, &sel) != OCLNN_STATUS_OK) {
        fprintf(stderr, "oclnn-info: %s\n", tool_one_line(oclnn_last_error(NULL)));
        return 1;
    }
    printf("selected: %u (%s / %s)\n", sel.index, sel.platform_name, sel.name);
    if (!build_all) return 0;
    oclnn_context_options o;
    oclnn_context_options_init(&o);
    o.device = spec;
    oclnn_context *ctx;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (oclnn_context_create(&o, &ctx)) {
        fprintf(stderr, "oclnn-info: %s\n", tool_one_line(oclnn_last_error(NULL)));
        return 1;
    }
    size_t built = 0;
    st = oclnn_context_prebuild_all(ctx, &built);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    oclnn_cache_stats cs;
    oclnn_context_cache_stats(ctx, &cs);
    if (st) fprintf(stderr, "oclnn-info: %s\n", tool_one_line(oclnn_last_error(ctx)));
    else
        printf("context + %zu programs: %.1f ms (%llu built from source, %llu loaded from the disk cache '%s')\n",
               built, (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) * 1e-6,
               (unsigned long long)cs.source_builds, (unsigned long long)cs.disk_hits, oclnn_context_cache_dir(ctx));
    oclnn_context_destroy(ctx);
    return st ? 1 : 0;
}
