/* seg_cli.c - see seg_cli.h. */
#include "seg_cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char seg_usage[] =
    "usage: demo_segmentation [options] IMAGE OUT_PREFIX\n"
    "  -m, --model M.onnx        model (default: $OCLNN_MODEL, else ~/.cache/oclnn/models/" SEG_MODEL_FILE
    " from scripts/get-model.sh, else the checkout's ../shared/models copy)\n"
    "  -d, --device SPEC         OpenCL device: index, P:D, gpu/cpu, or a name substring (default $OCLNN_DEVICE)\n"
    "      --mode classes|binary binary: 1-channel probability map, DB boxes; classes: argmax over channels\n"
    "                            (default: by the output's channel count)\n"
    "  -t, --threshold T         binary: probability above which a pixel is text (default 0.3)\n"
    "  -b, --box-threshold B     binary: least mean probability of a box (default 0.6)\n"
    "  -u, --unclip R            binary: unclip ratio, boxes grow by area * R / perimeter (default 1.5)\n"
    "  -s, --max-side N          longest network input side, >= 32 (default 960)\n"
    "  -r, --runs N              timed runs for the steady-state median (default 5)\n"
    "  -h, --help\n"
    "Writes OUT_PREFIX_mask.png, OUT_PREFIX_overlay.png and, in binary mode, OUT_PREFIX_boxes.json.\n";

static int fail(char *err, size_t errlen, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static int parse_float(const char *opt, const char *s, float lo, float hi, float *out, char *err, size_t errlen) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !(v >= lo && v <= hi)) {
        char range[64];
        snprintf(range, sizeof range, "a number in [%g, %g]", (double)lo, (double)hi);
        snprintf(err, errlen, "%s: '%s' is not %s", opt, s, range);
        return -1;
    }
    *out = (float)v;
    return 0;
}

static int parse_int(const char *opt, const char *s, long lo, long hi, int *out, char *err, size_t errlen) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < lo || v > hi) {
        snprintf(err, errlen, "%s: '%s' is not an integer in [%ld, %ld]", opt, s, lo, hi);
        return -1;
    }
    *out = (int)v;
    return 0;
}

int seg_parse_args(int argc, char **argv, seg_args *a, char *err, size_t errlen) {
    memset(a, 0, sizeof *a);
    a->threshold = 0.3f;
    a->box_threshold = 0.6f;
    a->unclip = 1.5f;
    a->max_side = 960;
    a->runs = 5;
    const char *pos[2];
    int npos = 0, only_pos = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (only_pos || arg[0] != '-' || arg[1] == '\0') {
            if (npos == 2) return fail(err, errlen, "unexpected argument '%s' (IMAGE and OUT_PREFIX are given)", arg);
            pos[npos++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            a->help = 1;
            return 0;
        }
        /* "--name=value" or "--name value" / "-x value" */
        char name[64];
        const char *val = NULL, *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
        size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
        if (nlen >= sizeof name) return fail(err, errlen, "unknown option '%s'", arg);
        memcpy(name, arg, nlen);
        name[nlen] = '\0';
        static const char *const opts[][2] = {{"--model", "-m"},     {"--device", "-d"}, {"--mode", NULL},
                                              {"--threshold", "-t"}, {"--box-threshold", "-b"},
                                              {"--unclip", "-u"},    {"--max-side", "-s"}, {"--runs", "-r"}};
        int which = -1;
        for (int k = 0; k < (int)(sizeof opts / sizeof opts[0]); k++)
            if (strcmp(name, opts[k][0]) == 0 || (opts[k][1] && strcmp(name, opts[k][1]) == 0)) which = k;
        if (which < 0) return fail(err, errlen, "unknown option '%s' (see --help)", name);
        if (eq) val = eq + 1;
        else if (i + 1 < argc) val = argv[++i];
        else return fail(err, errlen, "option %s needs a value", name);
        switch (which) {
        case 0: a->model = val; break;
        case 1: a->device = val; break;
        case 2:
            if (strcmp(val, "binary") == 0) a->mode = 1;
            else if (strcmp(val, "classes") == 0) a->mode = 2;
            else return fail(err, errlen, "--mode: '%s' is not binary or classes", val);
            break;
        case 3:
            if (parse_float(name, val, 0.0f, 1.0f, &a->threshold, err, errlen)) return -1;
            break;
        case 4:
            if (parse_float(name, val, 0.0f, 1.0f, &a->box_threshold, err, errlen)) return -1;
            break;
        case 5:
            if (parse_float(name, val, 0.0f, 10.0f, &a->unclip, err, errlen)) return -1;
            break;
        case 6:
            if (parse_int(name, val, 32, SEG_IMAGE_MAX_SIDE, &a->max_side, err, errlen)) return -1;
            break;
        default:
            if (parse_int(name, val, 1, 1000, &a->runs, err, errlen)) return -1;
            break;
        }
    }
    if (npos < 2) return fail(err, errlen, "missing %s (usage: demo_segmentation [options] IMAGE OUT_PREFIX)",
                              npos == 0 ? "IMAGE and OUT_PREFIX" : "OUT_PREFIX");
    a->image = pos[0];
    a->out_prefix = pos[1];
    return 0;
}

int seg_default_model(const char *env_model, const char *models_dir, const char *home, const char *source_dir,
                      char *path, size_t pathlen, char *err, size_t errlen) {
    if (env_model && *env_model) {
        if (access(env_model, R_OK) == 0) {
            snprintf(path, pathlen, "%s", env_model);
            return 0;
        }
        snprintf(err, errlen, "$OCLNN_MODEL names %s, which cannot be read (%s)", env_model, strerror(errno));
        return -1;
    }
    char cache[SEG_PATH_LEN], shared[SEG_PATH_LEN];
    if (models_dir && *models_dir) snprintf(cache, sizeof cache, "%s/%s", models_dir, SEG_MODEL_FILE);
    else snprintf(cache, sizeof cache, "%s/.cache/oclnn/models/%s", home && *home ? home : "~", SEG_MODEL_FILE);
    snprintf(shared, sizeof shared, "%s/../shared/models/%s", source_dir ? source_dir : ".", SEG_MODEL_FILE);
    if (access(cache, R_OK) == 0) {
        snprintf(path, pathlen, "%s", cache);
        return 0;
    }
    if (source_dir && access(shared, R_OK) == 0) {
        snprintf(path, pathlen, "%s", shared);
        return 0;
    }
    snprintf(err, errlen,
             "no model: $OCLNN_MODEL is not set, %s does not exist (run scripts/get-model.sh), and neither does %s; "
             "or pass --model M.onnx",
             cache, shared);
    return -1;
}
