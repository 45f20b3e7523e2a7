/* onnx_conformance.c - runs ONNX's backend test suite (libonnx-testdata: node/, pytorch-converted/,
 * pytorch-operator/, simple/) through the public API and checks the results against tests/onnx_conformance.txt.
 *
 * Each test folder has model.onnx and test_data_set_N/{input_K.pb, output_K.pb}. Inputs feed the graph inputs in
 * order (weights too, when a test passes them as inputs); outputs are compared with ONNX's backend tolerance,
 * |got - want| <= atol + rtol * |want| with rtol = 1e-3, atol = 1e-7, element by element (integers exactly).
 * The expectations file lists every test as `pass`, `unsupported: reason` or `fail: detail` (what went wrong, for
 * a test that ran or was refused for another reason than a missing feature); the run fails when a `pass` test
 * does not pass, or when a test passes that is not listed as `pass` (the list can only move forward).
 *
 *   onnx_conformance [--suite DIR] [--expect FILE] [--update] [--filter SUBSTR] [--verbose]
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "graph/ir.h"
#include "oclnn.h"
#include "onnx/onnx_tensor.h"

#define MAX_TESTS 2048
#define RTOL 1e-3
#define ATOL 1e-7

typedef struct result {
    char id[160];  /* "node/test_abs" */
    char verdict[8]; /* "pass", "fail", "unsup" */
    char detail[400];
    char ops[200]; /* op types of the model, space separated */
} result;

typedef struct expect {
    char id[160];
    int pass;
    char reason[400];
} expect;

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int file_exists(const char *p) {
    struct stat st;
    return stat(p, &st) == 0;
}

/* Collects the op types of a loaded graph, deduplicated, in first-seen order. */
static void collect_ops(const oclnn_graph *g, char *buf, size_t size) {
    buf[0] = 0;
    for (size_t i = 0; i < g->num_nodes; i++) {
        const char *op = g->nodes[i].op_type;
        char key[80];
        snprintf(key, sizeof key, " %s ", op);
        char padded[260];
        snprintf(padded, sizeof padded, " %s ", buf);
        if (strstr(padded, key)) continue;
        size_t l = strlen(buf);
        snprintf(buf + l, size - l, "%s%s", l ? " " : "", op);
    }
}

static void set(result *r, const char *verdict, const char *fmt, const char *a, const char *b) {
    snprintf(r->verdict, sizeof r->verdict, "%s", verdict);
    snprintf(r->detail, sizeof r->detail, fmt, a, b);
    for (char *p = r->detail; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t') *p = ' ';
}

static int compare(const oclnn_onnx_tensor *want, const void *got, size_t k, result *r) {
    size_t n = want->nbytes / oclnn_dtype_size(want->dtype);
    char buf[256];
    for (size_t i = 0; i < n; i++) {
        double w, g;
        if (want->dtype == OCLNN_DTYPE_F32) {
            w = ((const float *)want->data)[i];
            g = ((const float *)got)[i];
        } else if (want->dtype == OCLNN_DTYPE_I64) {
            w = (double)((const int64_t *)want->data)[i];
            g = (double)((const int64_t *)got)[i];
        } else if (want->dtype == OCLNN_DTYPE_I32) {
            w = ((const int32_t *)want->data)[i];
            g = ((const int32_t *)got)[i];
        } else {
            set(r, "unsup", "output %s has a data type the runner does not compare%s", want->name, "");
            return -1;
        }
        int ok = want->dtype == OCLNN_DTYPE_F32 ? (isnan(w) ? isnan(g) : fabs(g - w) <= ATOL + RTOL * fabs(w)) : g == w;
        if (!ok) {
            snprintf(buf, sizeof buf, "output %zu element %zu: got %.9g, want %.9g", k, i, g, w);
            set(r, "fail", "%s%s", buf, "");
            return -1;
        }
    }
    return 0;
}

static void run_test(oclnn_context *ctx, const char *dir, result *r) {
    char path[8192];
    oclnn_graph *g = NULL;
    oclnn_runtime *rt = NULL;
    oclnn_onnx_tensor ins[64], outs[64];
    size_t nin = 0, nout = 0;
    memset(ins, 0, sizeof ins);
    memset(outs, 0, sizeof outs);
    snprintf(path, sizeof path, "%s/model.onnx", dir);
    oclnn_status s = oclnn_onnx_load_file(ctx, path, &g);
    if (s) {
        set(r, s == OCLNN_STATUS_UNSUPPORTED ? "unsup" : "fail", "load: %s%s", oclnn_last_error(ctx), "");
        return;
    }
    collect_ops(g, r->ops, sizeof r->ops);
    int sets = 0;
    for (;; sets++) {
        snprintf(path, sizeof path, "%s/test_data_set_%d", dir, sets);
        if (!file_exists(path)) break;
    }
    if (!sets) {
        set(r, "unsup", "no test data sets%s%s", "", "");
        goto out;
    }
    for (int ds = 0; ds < sets; ds++) {
        for (size_t k = 0; k < nin; k++) oclnn_onnx_tensor_free(ctx, &ins[k]);
        for (size_t k = 0; k < nout; k++) oclnn_onnx_tensor_free(ctx, &outs[k]);
        nin = nout = 0;
        for (;; nin++) {
            snprintf(path, sizeof path, "%s/test_data_set_%d/input_%zu.pb", dir, ds, nin);
            if (nin == 64 || !file_exists(path)) break;
            if ((s = oclnn_onnx_read_tensor_file(ctx, path, &ins[nin]))) {
                set(r, s == OCLNN_STATUS_UNSUPPORTED ? "unsup" : "fail", "input: %s%s", oclnn_last_error(ctx), "");
                goto out;
            }
        }
        for (;; nout++) {
            snprintf(path, sizeof path, "%s/test_data_set_%d/output_%zu.pb", dir, ds, nout);
            if (nout == 64 || !file_exists(path)) break;
            if ((s = oclnn_onnx_read_tensor_file(ctx, path, &outs[nout]))) {
                set(r, s == OCLNN_STATUS_UNSUPPORTED ? "unsup" : "fail", "output: %s%s", oclnn_last_error(ctx), "");
                goto out;
            }
        }
        size_t gi = oclnn_graph_num_inputs(g);
        if (nin != gi) {
            char a[64];
            snprintf(a, sizeof a, "%zu input files for %zu graph inputs", nin, gi);
            set(r, "fail", "%s%s", a, "");
            goto out;
        }
        if (nout > oclnn_graph_num_outputs(g)) {
            set(r, "fail", "more output files than graph outputs%s%s", "", "");
            goto out;
        }
        for (size_t k = 0; k < nin; k++) {
            if (ins[k].ndim > OCLNN_MAX_DIMS) {
                set(r, "unsup", "input %s has more dims than OCLNN_MAX_DIMS%s", oclnn_graph_input_name(g, k), "");
                goto out;
            }
            if (!rt && (s = oclnn_graph_fix_input(g, oclnn_graph_input_name(g, k), ins[k].ndim, ins[k].dims))) {
                set(r, s == OCLNN_STATUS_UNSUPPORTED ? "unsup" : "fail", "inputs: %s%s", oclnn_last_error(ctx), "");
                goto out;
            }
        }
        if (!rt && (s = oclnn_runtime_create(ctx, g, NULL, &rt))) {
            set(r, s == OCLNN_STATUS_UNSUPPORTED ? "unsup" : "fail", "%s%s", oclnn_last_error(ctx), "");
            goto out;
        }
        for (size_t k = 0; k < nin; k++) {
            const char *name = oclnn_graph_input_name(g, k);
            if ((s = oclnn_runtime_reshape(rt, name, ins[k].ndim, ins[k].dims)) ||
                (s = oclnn_runtime_set_input(rt, name, ins[k].data, ins[k].nbytes))) {
                set(r, s == OCLNN_STATUS_UNSUPPORTED ? "unsup" : "fail", "input: %s%s", oclnn_last_error(ctx), "");
                goto out;
            }
        }
        if ((s = oclnn_runtime_invoke(rt))) {
            set(r, s == OCLNN_STATUS_UNSUPPORTED ? "unsup" : "fail", "invoke: %s%s", oclnn_last_error(ctx), "");
            goto out;
        }
        for (size_t k = 0; k < nout; k++) {
            const char *name = oclnn_graph_output_name(g, k);
            oclnn_dtype dt;
            size_t nd;
            int64_t dims[OCLNN_MAX_DIMS];
            if ((s = oclnn_runtime_shape(rt, name, &dt, &nd, dims))) {
                set(r, "fail", "output shape: %s%s", oclnn_last_error(ctx), "");
                goto out;
            }
            int same = nd == outs[k].ndim && dt == outs[k].dtype;
            for (size_t d = 0; same && d < nd; d++) same = dims[d] == outs[k].dims[d];
            if (!same) {
                char a[128] = "", b[128] = "";
                for (size_t d = 0; d < nd; d++) snprintf(a + strlen(a), sizeof a - strlen(a), "%lld ", (long long)dims[d]);
                for (size_t d = 0; d < outs[k].ndim; d++)
                    snprintf(b + strlen(b), sizeof b - strlen(b), "%lld ", (long long)outs[k].dims[d]);
                set(r, "fail", "output shape/type [ %s] differs from the expected [ %s]", a, b);
                goto out;
            }
            void *buf = malloc(outs[k].nbytes ? outs[k].nbytes : 1);
            if (!buf || (s = oclnn_runtime_get_output(rt, name, buf, outs[k].nbytes))) {
                set(r, "fail", "get_output: %s%s", buf ? oclnn_last_error(ctx) : "out of memory", "");
                free(buf);
                goto out;
            }
            int bad = compare(&outs[k], buf, k, r);
            free(buf);
            if (bad) goto out;
        }
    }
    set(r, "pass", "%s%s", "", "");
out:
    for (size_t k = 0; k < nin; k++) oclnn_onnx_tensor_free(ctx, &ins[k]);
    for (size_t k = 0; k < nout; k++) oclnn_onnx_tensor_free(ctx, &outs[k]);
    oclnn_runtime_destroy(rt);
    oclnn_graph_destroy(g);
}

static size_t read_expect(const char *path, expect **out) {
    FILE *f = fopen(path, "r");
    *out = NULL;
    if (!f) return 0;
    expect *e = calloc(MAX_TESTS, sizeof *e);
    size_t n = 0;
    char line[1024];
    while (e && n < MAX_TESTS && fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n') continue;
        line[strcspn(line, "\n")] = 0;
        char *sp = strchr(line, ' ');
        if (!sp) continue;
        *sp = 0;
        snprintf(e[n].id, sizeof e[n].id, "%.159s", line);
        e[n].pass = !strncmp(sp + 1, "pass", 4);
        snprintf(e[n].reason, sizeof e[n].reason, "%.399s", sp + 1);
        n++;
    }
    fclose(f);
    *out = e;
    return n;
}

int main(int argc, char **argv) {
    const char *suite = "/usr/share/libonnx-testdata/data", *expect_path = NULL, *filter = NULL;
    int update = 0, verbose = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--suite") && i + 1 < argc) suite = argv[++i];
        else if (!strcmp(argv[i], "--expect") && i + 1 < argc) expect_path = argv[++i];
        else if (!strcmp(argv[i], "--filter") && i + 1 < argc) filter = argv[++i];
        else if (!strcmp(argv[i], "--update")) update = 1;
        else if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v")) verbose = 1;
        else {
            fprintf(stderr, "usage: onnx_conformance [--suite DIR] [--expect FILE] [--update] [--filter S] [-v]\n");
            return 2;
        }
    }
    static const char *groups[] = {"node", "pytorch-converted", "pytorch-operator", "simple"};
    char **ids = calloc(MAX_TESTS, sizeof *ids);
    size_t nt = 0;
    for (size_t gi = 0; gi < 4; gi++) {
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", suite, groups[gi]);
        DIR *d = opendir(p);
        if (!d) {
            fprintf(stderr, "onnx_conformance: cannot open %s (install libonnx-testdata)\n", p);
            return 1;
        }
        struct dirent *de;
        while ((de = readdir(d)) && nt < MAX_TESTS) {
            if (de->d_name[0] == '.') continue;
            char id[300];
            snprintf(id, sizeof id, "%s/%s", groups[gi], de->d_name);
            ids[nt++] = strdup(id);
        }
        closedir(d);
    }
    qsort(ids, nt, sizeof *ids, cmp_str);

    oclnn_context_options co;
    oclnn_context_options_init(&co);
    co.log_level = OCLNN_LOG_ERROR;
    oclnn_context *ctx;
    if (oclnn_context_create(&co, &ctx)) {
        fprintf(stderr, "onnx_conformance: %s\n", oclnn_last_error(NULL));
        return 1;
    }
    result *res = calloc(nt ? nt : 1, sizeof *res);
    size_t npass = 0, nfail = 0, nunsup = 0;
    for (size_t i = 0; i < nt; i++) {
        result *r = &res[i];
        snprintf(r->id, sizeof r->id, "%s", ids[i]);
        if (filter && !strstr(ids[i], filter)) {
            snprintf(r->verdict, sizeof r->verdict, "skip");
            continue;
        }
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/%s", suite, ids[i]);
        run_test(ctx, dir, r);
        if (!strcmp(r->verdict, "pass")) npass++;
        else if (!strcmp(r->verdict, "fail")) nfail++;
        else nunsup++;
        if (verbose || strcmp(r->verdict, "unsup"))
            printf("%-60s %s%s%s\n", r->id, !strcmp(r->verdict, "unsup") ? "unsupported" : r->verdict,
                   r->detail[0] ? ": " : "", r->detail);
        fflush(stdout);
    }
    printf("\n%zu tests: %zu pass, %zu fail, %zu unsupported\n", nt, npass, nfail, nunsup);

    /* Summary by operator: the tests each op type appears in, and how many of them pass. */
    printf("\n%-28s %6s %6s\n", "operator", "tests", "pass");
    char **opsseen = calloc(4096, sizeof *opsseen);
    size_t nops = 0;
    for (size_t i = 0; i < nt; i++) {
        char tmp[200];
        snprintf(tmp, sizeof tmp, "%s", res[i].ops);
        for (char *tok = strtok(tmp, " "); tok; tok = strtok(NULL, " ")) {
            size_t k = 0;
            while (k < nops && strcmp(opsseen[k], tok)) k++;
            if (k == nops && nops < 4096) opsseen[nops++] = strdup(tok);
        }
    }
    qsort(opsseen, nops, sizeof *opsseen, cmp_str);
    for (size_t k = 0; k < nops; k++) {
        size_t tests = 0, pass = 0;
        char key[80];
        snprintf(key, sizeof key, " %s ", opsseen[k]);
        for (size_t i = 0; i < nt; i++) {
            char padded[260];
            snprintf(padded, sizeof padded, " %s ", res[i].ops);
            if (!strstr(padded, key)) continue;
            tests++;
            pass += !strcmp(res[i].verdict, "pass");
        }
        if (pass) printf("%-28s %6zu %6zu\n", opsseen[k], tests, pass);
        free(opsseen[k]);
    }
    free(opsseen);

    int rc = 0;
    if (expect_path && update) {
        expect *old = NULL; /* tests outside --filter keep their line */
        size_t nold = filter ? read_expect(expect_path, &old) : 0;
        FILE *f = fopen(expect_path, "w");
        if (!f) {
            fprintf(stderr, "onnx_conformance: cannot write %s\n", expect_path);
            rc = 1;
        } else {
            fprintf(f, "# ONNX backend tests (libonnx-testdata): `pass`, `unsupported: reason` (refused with a status),\n"
                       "# or `fail: detail` (ran, or was refused for a reason other than a missing feature).\n"
                       "# Regenerate with: onnx_conformance --expect tests/onnx_conformance.txt --update\n");
            for (size_t i = 0; i < nt; i++) {
                if (!strcmp(res[i].verdict, "skip")) {
                    size_t k = 0;
                    while (k < nold && strcmp(old[k].id, res[i].id)) k++;
                    if (k < nold) fprintf(f, "%s %s\n", res[i].id, old[k].reason);
                    else fprintf(f, "%s unsupported: not run yet (outside --filter)\n", res[i].id);
                } else if (!strcmp(res[i].verdict, "pass"))
                    fprintf(f, "%s pass\n", res[i].id);
                else
                    fprintf(f, "%s %s: %s\n", res[i].id, !strcmp(res[i].verdict, "fail") ? "fail" : "unsupported",
                            res[i].detail);
            }
            fclose(f);
        }
        free(old);
    } else if (expect_path) {
        expect *e;
        size_t ne = read_expect(expect_path, &e);
        if (!ne) {
            fprintf(stderr, "onnx_conformance: cannot read %s\n", expect_path);
            rc = 1;
        }
        for (size_t i = 0; i < nt && ne; i++) {
            if (!strcmp(res[i].verdict, "skip")) continue;
            size_t k = 0;
            while (k < ne && strcmp(e[k].id, res[i].id)) k++;
            int passed = !strcmp(res[i].verdict, "pass");
            if (k == ne) {
                printf("REGRESSION? %s is not listed in %s\n", res[i].id, expect_path);
                rc = 1;
            } else if (e[k].pass && !passed) {
                printf("REGRESSION: %s is listed as pass but gave: %s %s\n", res[i].id, res[i].verdict, res[i].detail);
                rc = 1;
            } else if (!e[k].pass && passed) {
                printf("PROGRESS: %s passes but is listed as '%s': update the file (--update)\n", res[i].id,
                       e[k].reason);
                rc = 1;
            }
        }
        free(e);
    }
    for (size_t i = 0; i < nt; i++) free(ids[i]);
    free(ids);
    free(res);
    oclnn_context_destroy(ctx);
    return rc;
}
