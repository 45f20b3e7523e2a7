/* oclnn-info - prints the OpenCL devices oclnn sees, the one it would select, and its cache settings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oclnn.h"

static const char *type_name(oclnn_device_type t) {
    return t == OCLNN_DEVICE_TYPE_GPU ? "gpu" : t == OCLNN_DEVICE_TYPE_CPU ? "cpu" : t == OCLNN_DEVICE_TYPE_ACCELERATOR ? "accel" : "other";
}

static void usage(void) {
    puts("usage: oclnn-info [--devices] [--device SPEC] [--build-all]\n"
         "  --devices      list every OpenCL device (default)\n"
         "  --device SPEC  show which device SPEC selects (index, P:D, gpu, cpu or a name substring)\n"
         "  --build-all    create a context on the selected device and build every embedded kernel variant");
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
    const char *spec = NULL;
    int build_all = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--devices") == 0) {
        } else if (strcmp(argv[i], "--device") == 0 && i + 1 < argc) {
            spec = argv[++i];
        } else if (strcmp(argv[i], "--build-all") == 0) {
            build_all = 1;
        } else {
            usage();
            return strcmp(argv[i], "--help") == 0 ? 0 : 2;
        }
    }
    size_t n = 0;
    oclnn_status st = oclnn_device_enumerate(NULL, 0, &n);
    if (st) {
        fprintf(stderr, "oclnn-info: %s\n", oclnn_last_error(NULL));
        return 1;
    }
    oclnn_device_info *infos = calloc(n ? n : 1, sizeof *infos);
    if (!infos || oclnn_device_enumerate(infos, n, &n)) {
        fprintf(stderr, "oclnn-info: %s\n", infos ? oclnn_last_error(NULL) : "out of memory");
        free(infos);
        return 1;
    }
    printf("%zu OpenCL device(s)\n", n);
    for (size_t i = 0; i < n; i++) print_device(&infos[i]);
    free(infos);
    oclnn_device_info sel;
    if (oclnn_device_select(spec, &sel) != OCLNN_STATUS_OK) {
        fprintf(stderr, "oclnn-info: %s\n", oclnn_last_error(NULL));
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
        fprintf(stderr, "oclnn-info: %s\n", oclnn_last_error(NULL));
        return 1;
    }
    size_t built = 0;
    st = oclnn_context_prebuild_all(ctx, &built);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    oclnn_cache_stats cs;
    oclnn_context_cache_stats(ctx, &cs);
    if (st) fprintf(stderr, "oclnn-info: %s\n", oclnn_last_error(ctx));
    else
        printf("context + %zu programs: %.1f ms (%llu built from source, %llu loaded from the disk cache '%s')\n",
               built, (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) * 1e-6,
               (unsigned long long)cs.source_builds, (unsigned long long)cs.disk_hits, oclnn_context_cache_dir(ctx));
    oclnn_context_destroy(ctx);
    return st ? 1 : 0;
}
