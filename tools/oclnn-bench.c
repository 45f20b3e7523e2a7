/* oclnn-bench - times an ONNX model: cold and warm time to first result (each in a fresh process, cold with empty
 * oclnn and POCL caches), then the steady median/min/max of invoke in this process, peak memory and, with
 * --profile, a per-node table. --json writes the figures for scripts.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "oclnn.h"
#include "tool_common.h"

extern char **environ;

static void usage(FILE *f) {
    fputs("usage: oclnn-bench MODEL.onnx [options]\n"
          "  -n, --iterations N     timed runs (default 20)\n"
          "  -w, --warmup N         untimed runs first (default 3)\n"
          "  -j, --json FILE        write the figures as JSON\n"
          "  -d, --device SPEC      device (index, P:D, gpu, cpu or a name substring)\n"
          "  -s, --shape [NAME=]D   fix an input's dynamic dims, e.g. x=1,3,640,640\n"
          "  -q, --queues N         in-order queues for independent branches (default 1)\n"
          "  -p, --profile          per-node times (one extra profiled run)\n"
          "      --no-cold          skip the cold and warm first-run measurements (they start child processes)\n"
          "      --no-fuse          run node by node\n"
          "      --rss              print VmRSS/VmHWM at each stage (bare process, context, load, runtime, first\n"
          "                         invoke, steady), and the peak above the context-only process\n"
          "  -h, --help\n",
          f);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* VmRSS and VmHWM (peak) of this process in KiB, -1 when /proc cannot tell. */
static void rss_read(long *rss, long *hwm) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    *rss = *hwm = -1;
    while (f && fgets(line, sizeof line, f)) {
        if (!strncmp(line, "VmRSS:", 6)) *rss = atol(line + 6);
        if (!strncmp(line, "VmHWM:", 6)) *hwm = atol(line + 6);
    }
    if (f) fclose(f);
}

static long rss_kb(void) {
    long r, h;
    rss_read(&r, &h);
    return r;
}

static long peak_rss_kb(void) {
    long r, h;
    rss_read(&r, &h);
    return h;
}

/* --rss: one line per stage. The baseline is the process that has created the oclnn context and nothing else
 * (POCL maps its libraries and LLVM there, and a process using oclnn pays that whatever the model); the bare
 * process (before the context) is printed too. */
static int rss_on;
static long rss_ctx_kb = -1;

static void rss_stage(const char *name) {
    if (!rss_on) return;
    long r, h;
    rss_read(&r, &h);
    if (!strcmp(name, "context")) rss_ctx_kb = r;
    printf("rss %-16s VmRSS %7.1f MiB  VmHWM %7.1f MiB", name, r / 1024.0, h / 1024.0);
    if (rss_ctx_kb >= 0) printf("  (above the context: RSS %+7.1f, peak %+7.1f)", (r - rss_ctx_kb) / 1024.0,
                                (h - rss_ctx_kb) / 1024.0);
    printf("\n");
    fflush(stdout);
}

/* Fills every input with a fixed pseudo-random pattern in [-1, 1). */
static int feed_inputs(tool_model *m) {
    uint32_t seed = 12345;
    for (size_t k = 0; k < oclnn_runtime_num_inputs(m->rt); k++) {
        const char *name = oclnn_runtime_input_name(m->rt, k);
        oclnn_dtype dt;
        size_t nd, n = 1;
        int64_t dims[OCLNN_MAX_DIMS];
        if (oclnn_runtime_shape(m->rt, name, &dt, &nd, dims)) return -1;
        for (size_t d = 0; d < nd; d++) n *= (size_t)dims[d];
        size_t es = oclnn_dtype_size(dt);
        unsigned char *buf = calloc(n ? n : 1, es);
        if (!buf) return -1;
        if (dt == OCLNN_DTYPE_F32)
            for (size_t i = 0; i < n; i++) {
                seed = seed * 1664525u + 1013904223u;
                ((float *)buf)[i] = (float)(seed >> 8) / 8388608.0f - 1.0f;
            }
        oclnn_status s = oclnn_runtime_set_input(m->rt, name, buf, n * es);
        free(buf);
        if (s) return -1;
    }
    return 0;
}

/* Child mode: open, feed, one invoke; print the time from process start of the work to the first result. */
static int first_only(const char *model, const tool_model_options *mo) {
    char msg[2048];
    tool_model m;
    double t0 = tool_now_ms();
    if (tool_model_open(model, mo, &m, msg, sizeof msg)) {
        fprintf(stderr, "oclnn-bench: %s\n", msg);
        return 1;
    }
    int rc = feed_inputs(&m) || oclnn_runtime_invoke(m.rt);
    double t1 = tool_now_ms();
    /* CPU time of all the process's threads so far: compiling dominates a cold start, and this figure moves less
     * than the wall time on a shared machine (kernel runs on POCL's threads count too). */
    struct timespec cpu;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    if (rc) fprintf(stderr, "oclnn-bench: %s\n", tool_one_line(oclnn_last_error(m.ctx)));
    else printf("first_ms %.3f\ncpu_ms %.3f\n", t1 - t0, (double)cpu.tv_sec * 1e3 + (double)cpu.tv_nsec / 1e6);
    tool_model_close(&m);
    return rc;
}

/* Runs this executable in --first-only mode with the given cache directories; returns the reported time. */
static double spawn_first(char **argv0_args, const char *cache_dir, const char *pocl_dir) {
    char out_path[] = "/tmp/oclnn-bench-XXXXXX";
    int fd = mkstemp(out_path);
    if (fd < 0) return -1;
    size_t ne = 0;
    while (environ[ne]) ne++;
    char **env = calloc(ne + 3, sizeof *env);
    char e1[4200], e2[4200];
    snprintf(e1, sizeof e1, "OCLNN_CACHE_DIR=%s", cache_dir);
    snprintf(e2, sizeof e2, "POCL_CACHE_DIR=%s", pocl_dir);
    size_t k = 0;
    for (size_t i = 0; i < ne; i++)
        if (strncmp(environ[i], "OCLNN_CACHE_DIR=", 16) && strncmp(environ[i], "POCL_CACHE_DIR=", 15) &&
            strncmp(environ[i], "OCLNN_CACHE=", 12))
            env[k++] = environ[i];
    env[k++] = e1;
    env[k++] = e2;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd, 1);
    pid_t pid;
    double ms = -1;
    if (posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv0_args, env) == 0) {
        int st;
        waitpid(pid, &st, 0);
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
            FILE *f = fopen(out_path, "r");
            if (f && fscanf(f, "first_ms %lf", &ms) != 1) ms = -1;
            if (f) fclose(f);
        }
    }
    posix_spawn_file_actions_destroy(&fa);
    close(fd);
    unlink(out_path);
    free(env);
    return ms;
}

int main(int argc, char **argv) {
    long bare_rss, bare_hwm;
    rss_read(&bare_rss, &bare_hwm);
    const char *model = NULL, *device = NULL, *json = NULL;
    int iters = 20, warmup = 3, profile = 0, cold = 1, fuse = 1, child = 0;
    uint32_t queues = 1;
    tool_shape shapes[TOOL_MAX_SHAPES];
    size_t nshapes = 0;
    char msg[2048];
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        if (tool_opt(argc, argv, &i, "-h", "--help", NULL)) {
            usage(stdout);
            return 0;
        } else if (tool_opt(argc, argv, &i, "-n", "--iterations", &v)) {
            if (!v || atoi(v) < 1) return fprintf(stderr, "oclnn-bench: --iterations needs a count >= 1\n"), 2;
            iters = atoi(v);
        } else if (tool_opt(argc, argv, &i, "-w", "--warmup", &v)) {
            if (!v || atoi(v) < 0) return fprintf(stderr, "oclnn-bench: --warmup needs a count >= 0\n"), 2;
            warmup = atoi(v);
        } else if (tool_opt(argc, argv, &i, "-j", "--json", &v)) {
            if (!v) return fprintf(stderr, "oclnn-bench: --json needs a file\n"), 2;
            json = v;
        } else if (tool_opt(argc, argv, &i, "-d", "--device", &v)) {
            if (!v) return fprintf(stderr, "oclnn-bench: --device needs a value\n"), 2;
            device = v;
        } else if (tool_opt(argc, argv, &i, "-s", "--shape", &v)) {
            if (!v) return fprintf(stderr, "oclnn-bench: --shape needs a value\n"), 2;
            if (nshapes == TOOL_MAX_SHAPES) return fprintf(stderr, "oclnn-bench: too many --shape\n"), 2;
            if (tool_parse_shape(v, &shapes[nshapes++], msg, sizeof msg))
                return fprintf(stderr, "oclnn-bench: %s\n", msg), 2;
        } else if (tool_opt(argc, argv, &i, "-q", "--queues", &v)) {
            if (!v || atoi(v) < 1 || atoi(v) > 16) return fprintf(stderr, "oclnn-bench: --queues needs 1..16\n"), 2;
            queues = (uint32_t)atoi(v);
        } else if (tool_opt(argc, argv, &i, "-p", "--profile", NULL)) {
            profile = 1;
        } else if (tool_opt(argc, argv, &i, NULL, "--no-cold", NULL)) {
            cold = 0;
        } else if (tool_opt(argc, argv, &i, NULL, "--rss", NULL)) {
            rss_on = 1;
        } else if (tool_opt(argc, argv, &i, NULL, "--no-fuse", NULL)) {
            fuse = 0;
        } else if (tool_opt(argc, argv, &i, NULL, "--first-only", NULL)) {
            child = 1;
        } else if (argv[i][0] != '-' && !model) {
            model = argv[i];
        } else {
            fprintf(stderr, "oclnn-bench: unknown argument '%s' (see --help)\n", argv[i]);
            return 2;
        }
    }
    if (!model) {
        fprintf(stderr, "oclnn-bench: no model given (usage: oclnn-bench MODEL.onnx [options]; see --help)\n");
        return 2;
    }
    tool_model_options mo = {device, queues, 0, fuse, shapes, nshapes, NULL};
    if (child) return first_only(model, &mo);

    double cold_ms = -1, warm_ms = -1;
    if (cold) {
        /* The child gets this command line with --first-only added; the shapes and device carry over. */
        char **cargs = calloc((size_t)argc + 2, sizeof *cargs);
        char cache_tmpl[] = "/tmp/oclnn-bench-cache-XXXXXX", pocl_tmpl[] = "/tmp/oclnn-bench-pocl-XXXXXX";
        if (!cargs || !mkdtemp(cache_tmpl) || !mkdtemp(pocl_tmpl)) {
            fprintf(stderr, "oclnn-bench: cannot make temporary cache directories\n");
            free(cargs);
            return 1;
        }
        int k = 0;
        for (int i = 0; i < argc; i++) {
            if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
                i++;
                continue;
            }
            cargs[k++] = argv[i];
        }
        cargs[k++] = "--first-only";
        cold_ms = spawn_first(cargs, cache_tmpl, pocl_tmpl);
        warm_ms = spawn_first(cargs, cache_tmpl, pocl_tmpl);
        free(cargs);
        char cmd[256];
        snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", cache_tmpl, pocl_tmpl);
        if (system(cmd) != 0) fprintf(stderr, "oclnn-bench: could not remove %s\n", cache_tmpl);
        if (cold_ms < 0 || warm_ms < 0) {
            fprintf(stderr, "oclnn-bench: the first-run child failed (run with --no-cold to see the error here)\n");
            return 1;
        }
    }

    long rss0 = rss_kb();
    if (rss_on)
        printf("rss %-16s VmRSS %7.1f MiB  VmHWM %7.1f MiB\n", "bare", bare_rss / 1024.0, bare_hwm / 1024.0);
    tool_model m;
    mo.stage = rss_stage;
    if (tool_model_open(model, &mo, &m, msg, sizeof msg)) {
        fprintf(stderr, "oclnn-bench: %s\n", msg);
        return 1;
    }
    int rc = 1;
    double *t = calloc((size_t)iters, sizeof *t);
    if (!t || feed_inputs(&m)) {
        fprintf(stderr, "oclnn-bench: %s\n", t ? tool_one_line(oclnn_last_error(m.ctx)) : "out of memory");
        goto out;
    }
    for (int i = 0; i < warmup + iters; i++) {
        double t0 = tool_now_ms();
        if (oclnn_runtime_invoke(m.rt)) {
            fprintf(stderr, "oclnn-bench: %s\n", tool_one_line(oclnn_last_error(m.ctx)));
            goto out;
        }
        if (i >= warmup) t[i - warmup] = tool_now_ms() - t0;
        if (i == 0) rss_stage("first invoke");
    }
    rss_stage("steady");
    qsort(t, (size_t)iters, sizeof *t, cmp_double);
    double med = iters % 2 ? t[iters / 2] : 0.5 * (t[iters / 2 - 1] + t[iters / 2]);
    oclnn_runtime_stats st;
    oclnn_runtime_stats_get(m.rt, &st);
    long peak = peak_rss_kb();
    oclnn_device_info di;
    oclnn_context_device_info(m.ctx, &di);
    printf("model %s on %s\n", model, di.name);
    if (cold) printf("first result: cold %.1f ms (empty caches), warm %.1f ms (disk cache)\n", cold_ms, warm_ms);
    printf("steady over %d runs: median %.3f ms, min %.3f, max %.3f\n", iters, med, t[0], t[iters - 1]);
    printf("%u steps, %u kernels per run, %.3f GMACs (%.1f GFLOP/s at the median)\n", st.steps, st.kernels_per_invoke,
           st.macs / 1e9, 2.0 * st.macs / (med * 1e6));
    printf("device memory: arena %.2f MiB (naive %.2f, lower bound %.2f), weights %.2f MiB\n",
           st.arena_bytes / 1048576.0, st.naive_bytes / 1048576.0, st.lower_bound_bytes / 1048576.0,
           st.weight_bytes / 1048576.0);
    printf("process RSS: %.1f MiB before the model, peak %.1f MiB\n", rss0 / 1024.0, peak / 1024.0);
    if (rss_on)
        printf("rss peak above the context-only process %.1f MiB (budget: weights %.1f + arena %.1f + 64 = %.1f MiB)\n",
               (peak - rss_ctx_kb) / 1024.0, st.weight_bytes / 1048576.0, st.arena_bytes / 1048576.0,
               st.weight_bytes / 1048576.0 + st.arena_bytes / 1048576.0 + 64);
    if (profile) {
        tool_model pm;
        tool_model_options po = mo;
        po.profile = 1;
        po.stage = NULL;
        tool_model_close(&m);
        if (tool_model_open(model, &po, &pm, msg, sizeof msg) || feed_inputs(&pm) || oclnn_runtime_invoke(pm.rt) ||
            oclnn_runtime_invoke(pm.rt)) {
            fprintf(stderr, "oclnn-bench: profiling: %s\n", pm.ctx ? tool_one_line(oclnn_last_error(pm.ctx)) : msg);
            tool_model_close(&pm);
            goto out;
        }
        double total = 0;
        printf("%-4s %-36s %-30s %-12s %-16s %10s\n", "#", "node", "op", "algo", "output", "time_us");
        for (size_t k = 0; k < oclnn_runtime_num_steps(pm.rt); k++) {
            oclnn_node_info ni;
            if (oclnn_runtime_step_info(pm.rt, k, &ni)) continue;
            char shape[64];
            tool_format_dims(shape, sizeof shape, ni.ndim, ni.dims);
            printf("%-4zu %-36.36s %-30.30s %-12.12s %-16.16s %10.1f\n", k, ni.name, ni.op_type, ni.algo, shape,
                   ni.time_ns / 1e3);
            total += ni.time_ns / 1e3;
        }
        printf("total kernel time %.1f us\n", total);
        tool_model_close(&pm);
    }
    if (json) {
        FILE *f = fopen(json, "w");
        if (!f) {
            fprintf(stderr, "oclnn-bench: cannot write %s\n", json);
            goto out;
        }
        fprintf(f,
                "{\"model\": \"%s\", \"device\": \"%s\", \"cold_first_ms\": %.3f, \"warm_first_ms\": %.3f, "
                "\"median_ms\": %.4f, \"min_ms\": %.4f, \"max_ms\": %.4f, \"iterations\": %d, "
                "\"arena_bytes\": %llu, \"naive_activation_bytes\": %llu, \"lower_bound_bytes\": %llu, "
                "\"weight_bytes\": %llu, \"peak_device_bytes\": %llu, \"rss_before_mb\": %.1f, \"peak_rss_mb\": %.1f, "
                "\"steps\": %u, \"kernels_per_run\": %u, \"macs\": %llu}\n",
                model, di.name, cold_ms, warm_ms, med, t[0], t[iters - 1], iters, (unsigned long long)st.arena_bytes,
                (unsigned long long)st.naive_bytes, (unsigned long long)st.lower_bound_bytes,
                (unsigned long long)st.weight_bytes, (unsigned long long)(st.arena_bytes + st.weight_bytes),
                rss0 / 1024.0, peak / 1024.0, st.steps, st.kernels_per_invoke, (unsigned long long)st.macs);
        fclose(f);
    }
    rc = 0;
out:
    free(t);
    tool_model_close(&m);
    return rc;
}
