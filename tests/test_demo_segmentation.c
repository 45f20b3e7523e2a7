/* test_demo_segmentation.c - the segmentation demo's executable, run as a user runs it (fork + exec, stdout and
 * stderr captured): binary mode on dark rectangles (boxes checked against the rectangles and the unclip formula),
 * classes mode on colour blocks (palette colours against argmax of the normalised colour, computed here), and
 * every refusal with its exit status, a single stderr line naming the problem, and no file left behind.
 * Usage: test_demo_segmentation DEMO MODELS_DIR. The device-memory case shrinks the device's largest buffer with
 * OCLNN_MAX_ALLOC_MB, so it is refused the same way on any device.
 */
#include "common.h"

#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "seg_image.h"
#include "seg_post.h"

static const char *demo, *models, *dir;
static char out_text[65536], err_text[65536];

static void slurp(const char *path, char *buf, size_t cap) {
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, cap - 1, f) : 0;
    buf[n] = '\0';
    if (f) fclose(f);
}

/* Runs the demo with @p args (NULL-terminated); returns its exit status, stdout/stderr in out_text/err_text. */
static int run_demo(const char *const *args) {
    char so[1024], se[1024];
    snprintf(so, sizeof so, "%s/stdout.txt", dir);
    snprintf(se, sizeof se, "%s/stderr.txt", dir);
    const char *argv[32];
    int n = 0;
    argv[n++] = demo;
    for (int i = 0; args[i]; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        int fo = open(so, O_WRONLY | O_CREAT | O_TRUNC, 0644), fe = open(se, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fo, 1);
        dup2(fe, 2);
        execv(demo, (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    slurp(so, out_text, sizeof out_text);
    slurp(se, err_text, sizeof err_text);
    unlink(so);
    unlink(se);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static const char *tmp_path(const char *name) {
    static char buf[16][1024];
    static int k;
    char *p = buf[k++ % 16];
    snprintf(p, 1024, "%s/%s", dir, name);
    return p;
}

static const char *model(const char *stem) {
    static char buf[4][1024];
    static int k;
    char *p = buf[k++ % 4];
    snprintf(p, 1024, "%s/%s.onnx", models, stem);
    return p;
}

static int entries(const char *d) {
    DIR *dd = opendir(d);
    int n = 0;
    struct dirent *e;
    while (dd && (e = readdir(dd)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    if (dd) closedir(dd);
    return n;
}

static void write_file(const char *path, const void *data, size_t n) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

/* ---- inputs ------------------------------------------------------------------------------------------------ */

#define IMG_W 203
#define IMG_H 141
static const int rects[3][4] = {{20, 15, 90, 35}, {120, 30, 181, 48}, {37, 90, 150, 121}}; /* [x0, x1) x [y0, y1) */
static const uint8_t blocks[4][3] = {{250, 20, 20}, {20, 250, 20}, {20, 20, 250}, {128, 128, 128}};

static void make_inputs(void) {
    char err[SEG_ERR_LEN];
    seg_image im;
    assert_int_equal(seg_image_alloc(IMG_W, IMG_H, &im, err, sizeof err), 0);
    memset(im.rgb, 255, (size_t)IMG_W * IMG_H * 3);
    for (int r = 0; r < 3; r++)
        for (int y = rects[r][1]; y < rects[r][3]; y++)
            memset(im.rgb + ((size_t)y * IMG_W + rects[r][0]) * 3, 0, (size_t)(rects[r][2] - rects[r][0]) * 3);
    assert_int_equal(seg_write_png(tmp_path("dark.png"), IMG_W, IMG_H, 3, im.rgb, err, sizeof err), 0);
    /* Four vertical colour blocks for classes mode. */
    for (int y = 0; y < IMG_H; y++)
        for (int x = 0; x < IMG_W; x++)
            memcpy(im.rgb + ((size_t)y * IMG_W + x) * 3, blocks[x * 4 / IMG_W], 3);
    assert_int_equal(seg_write_png(tmp_path("blocks.png"), IMG_W, IMG_H, 3, im.rgb, err, sizeof err), 0);
    /* Truncated: the block image cut to 60 bytes (header intact, pixels missing). */
    uint8_t *png;
    size_t size;
    assert_int_equal(seg_png_encode(IMG_W, IMG_H, 3, im.rgb, &png, &size, err, sizeof err), 0);
    write_file(tmp_path("truncated.png"), png, 60);
    free(png);
    seg_image_free(&im);
    const char text[] = "P3 this is not an image\n";
    write_file(tmp_path("text.png"), text, sizeof text - 1);
    /* Header-only PNGs of 0x0 and 9000x9000 (CRCs computed below). */
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    for (int k = 0; k < 2; k++) {
        uint8_t b[45];
        uint32_t wh = k ? 9000 : 0;
        memcpy(b, sig, 8);
        uint8_t ihdr[25] = {0, 0, 0, 13, 'I', 'H', 'D', 'R', (uint8_t)(wh >> 24), (uint8_t)(wh >> 16), (uint8_t)(wh >> 8),
                            (uint8_t)wh, (uint8_t)(wh >> 24), (uint8_t)(wh >> 16), (uint8_t)(wh >> 8), (uint8_t)wh, 8, 2, 0, 0, 0};
        memcpy(b + 8, ihdr, 21);
        uint8_t iend[8] = {0, 0, 0, 0, 'I', 'E', 'N', 'D'};
        memcpy(b + 33, iend, 8);
        for (int c = 0; c < 2; c++) { /* CRC-32 of type + data of IHDR, then IEND */
            const uint8_t *p = c ? b + 37 : b + 12;
            size_t n = c ? 4 : 17;
            uint32_t crc = 0xffffffffu;
            for (size_t i = 0; i < n; i++) {
                crc ^= p[i];
                for (int j = 0; j < 8; j++)
                    crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
            }
            crc = ~crc;
            uint8_t *q = c ? b + 41 : b + 29;
            q[0] = (uint8_t)(crc >> 24), q[1] = (uint8_t)(crc >> 16), q[2] = (uint8_t)(crc >> 8), q[3] = (uint8_t)crc;
        }
        write_file(tmp_path(k ? "huge.png" : "zero.png"), b, 45);
    }
    mkdir(tmp_path("out"), 0755);
}

/* ---- successful runs --------------------------------------------------------------------------------------- */

static void test_binary(void **state) {
    (void)state;
    const char *prefix = tmp_path("out/dark");
    int rc = run_demo((const char *const[]){"--model", model("seg_test_binary"), "--runs", "3", tmp_path("dark.png"), prefix, NULL});
    if (rc != 0) fail_msg("exit %d, stderr: %s", rc, err_text);
    printf("%s", out_text);
    assert_non_null(strstr(out_text, "boxes: 3 "));
    assert_non_null(strstr(out_text, "binary mode"));
    assert_non_null(strstr(out_text, "steady:"));
    char path[1024], err[SEG_ERR_LEN], json[4096];
    seg_image m;
    for (int k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "%s%s", prefix, k ? "_overlay.png" : "_mask.png");
        if (seg_image_load(path, &m, err, sizeof err)) fail_msg("%s", err);
        assert_true(m.w == IMG_W && m.h == IMG_H);
        seg_image_free(&m);
    }
    snprintf(path, sizeof path, "%s_boxes.json", prefix);
    slurp(path, json, sizeof json);
    /* Each rectangle's box contains it and exceeds it by at most D (the unclip distance of the rectangle's size,
     * scaled to the map and back) plus 3 pixels (the threshold's shift on the resampled edge, rounding). */
    int in_w, in_h;
    seg_target_size(IMG_W, IMG_H, 960, &in_w, &in_h);
    const char *c = strchr(json, '[') + 1;
    for (int r = 0; r < 3; r++) {
        long b[4];
        double score;
        int used = 0;
        if (sscanf(c, " [%ld, %ld, %ld, %ld, %lf, [%*[^]]], %*[^]]], %*[^]]], %*[^]]]]]%n", &b[0], &b[1], &b[2], &b[3], &score,
                   &used) != 5 || !used)
            fail_msg("box %d: cannot read %s", r, c);
        c += used + 1;
        double sx = (double)in_w / IMG_W, sy = (double)in_h / IMG_H;
        double mw = (rects[r][2] - rects[r][0]) * sx, mh = (rects[r][3] - rects[r][1]) * sy;
        double d = seg_unclip_distance(mw, mh, 1.5), dx = d / sx + 3, dy = d / sy + 3;
        printf("box %d: [%ld, %ld, %ld, %ld] score %.4f, rectangle [%d, %d, %d, %d], allowance %.1f x %.1f\n", r, b[0],
               b[1], b[2], b[3], score, rects[r][0], rects[r][1], rects[r][2], rects[r][3], dx, dy);
        assert_true(b[0] <= rects[r][0] && b[0] >= rects[r][0] - dx);
        assert_true(b[1] <= rects[r][1] && b[1] >= rects[r][1] - dy);
        assert_true(b[2] >= rects[r][2] && b[2] <= rects[r][2] + dx);
        assert_true(b[3] >= rects[r][3] && b[3] <= rects[r][3] + dy);
        assert_true(score > 0.9 && score <= 1.0);
    }
    assert_int_equal(entries(tmp_path("out")), 3);
}

static void test_classes(void **state) {
    (void)state;
    const char *prefix = tmp_path("out/blocks");
    int rc = run_demo((const char *const[]){"-m", model("seg_test_classes"), "--mode", "classes", "-r", "1",
                                            tmp_path("blocks.png"), prefix, NULL});
    if (rc != 0) fail_msg("exit %d, stderr: %s", rc, err_text);
    printf("%s", out_text);
    assert_non_null(strstr(out_text, "classes mode"));
    char path[1024], err[SEG_ERR_LEN];
    seg_image m;
    snprintf(path, sizeof path, "%s_mask.png", prefix);
    if (seg_image_load(path, &m, err, sizeof err)) fail_msg("%s", err);
    assert_true(m.w == IMG_W && m.h == IMG_H);
    static const double mean[3] = {0.485, 0.456, 0.406}, sd[3] = {0.229, 0.224, 0.225};
    for (int b = 0; b < 4; b++) {
        int cls = 0;
        double best = -1e9;
        for (int c = 0; c < 3; c++) {
            double v = (blocks[b][c] / 255.0 - mean[c]) / sd[c];
            if (v > best) best = v, cls = c;
        }
        uint8_t want[3];
        seg_voc_color(cls, want);
        /* block centres, away from the resampled edges */
        int x = (2 * b + 1) * IMG_W / 8;
        for (int y = 5; y < IMG_H - 5; y += 7)
            if (memcmp(m.rgb + ((size_t)y * IMG_W + x) * 3, want, 3))
                fail_msg("block %d (%d, %d): colour %d %d %d, class %d wants %d %d %d", b, x, y, m.rgb[(y * IMG_W + x) * 3],
                         m.rgb[(y * IMG_W + x) * 3 + 1], m.rgb[(y * IMG_W + x) * 3 + 2], cls, want[0], want[1], want[2]);
    }
    seg_image_free(&m);
    snprintf(path, sizeof path, "%s_boxes.json", prefix);
    assert_int_equal(access(path, F_OK), -1); /* no boxes in classes mode */
    snprintf(path, sizeof path, "%s_overlay.png", prefix);
    assert_int_equal(access(path, R_OK), 0);
}

/* ---- refusals ---------------------------------------------------------------------------------------------- */

static void test_refusals(void **state) {
    (void)state;
    const char *none = "/nonexistent/models/none.onnx";
    struct {
        const char *name;
        const char *args[12];
        int rc;
        const char *msg;
        int small_device; /* run with OCLNN_MAX_ALLOC_MB=64 */
    } cases[] = {
        {"missing image", {"-m", "BIN", "IN:missing.png", "OUT", NULL}, 1, "missing.png: cannot open", 0},
        {"not an image", {"-m", "BIN", "IN:text.png", "OUT", NULL}, 1, "not a readable PNG/JPEG image", 0},
        {"truncated PNG", {"-m", "BIN", "IN:truncated.png", "OUT", NULL}, 1, "corrupt or truncated image", 0},
        {"0x0 image", {"-m", "BIN", "IN:zero.png", "OUT", NULL}, 1, "image is empty (0x0 pixels)", 0},
        {"over the cap", {"-m", "BIN", "IN:huge.png", "OUT", NULL}, 1, "9000x9000 pixels exceeds the 8192x8192 cap", 0},
        {"unwritable output", {"-m", "BIN", "IN:dark.png", "/nonexistent/dir/x", NULL}, 1,
         "/nonexistent/dir/x: cannot write output files there", 0},
        {"no 4-D output", {"-m", "FLAT", "IN:dark.png", "OUT", NULL}, 1, "the model's output is 2-D; the demo needs a 4-D", 0},
        {"binary on 3 channels", {"-m", "CLS", "--mode", "binary", "IN:dark.png", "OUT", NULL}, 1,
         "--mode binary needs a 1-channel output; this model has 3 channels", 0},
        {"classes on 1 channel", {"-m", "BIN", "--mode", "classes", "IN:dark.png", "OUT", NULL}, 1,
         "--mode classes needs an output with 2 or more channels", 0},
        {"missing model", {"-m", none, "IN:dark.png", "OUT", NULL}, 1, "none.onnx: IO_ERROR", 0},
        {"not a model", {"-m", "IN:dark.png", "IN:dark.png", "OUT", NULL}, 1, "INVALID_MODEL", 0},
        {"bad option", {"--frobnicate", "IN:dark.png", "OUT", NULL}, 2, "unknown option '--frobnicate'", 0},
        {"bad threshold", {"-t", "2", "IN:dark.png", "OUT", NULL}, 2, "-t: '2' is not a number in [0, 1]", 0},
        {"missing operand", {"IN:dark.png", NULL}, 2, "missing OUT_PREFIX", 0},
        /* a device whose largest buffer is 64 MiB (OCLNN_MAX_ALLOC_MB): the 1x3x4192x4192 input (201 MiB) does not fit */
        {"device memory", {"-m", "BIN", "--max-side", "8192", "IN:big.png", "OUT", NULL}, 1,
         "OUT_OF_DEVICE_MEMORY", 1},
    };
    { /* a real 4200 x 4200 image */
        char err[SEG_ERR_LEN];
        seg_image big;
        assert_int_equal(seg_image_alloc(4200, 4200, &big, err, sizeof err), 0);
        memset(big.rgb, 200, (size_t)4200 * 4200 * 3);
        assert_int_equal(seg_write_png(tmp_path("big.png"), 4200, 4200, 3, big.rgb, err, sizeof err), 0);
        seg_image_free(&big);
    }
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        if (cases[k].small_device) setenv("OCLNN_MAX_ALLOC_MB", "64", 1);
        const char *argv[12];
        char outdir[1024];
        snprintf(outdir, sizeof outdir, "%s/refusal-%zu", dir, k);
        mkdir(outdir, 0755);
        int n = 0;
        for (int i = 0; cases[k].args[i]; i++) {
            const char *a = cases[k].args[i];
            if (!strcmp(a, "BIN")) a = model("seg_test_binary");
            else if (!strcmp(a, "CLS")) a = model("seg_test_classes");
            else if (!strcmp(a, "FLAT")) a = model("seg_test_flat");
            else if (!strncmp(a, "IN:", 3)) a = tmp_path(a + 3);
            else if (!strcmp(a, "OUT")) {
                static char o[1100];
                snprintf(o, sizeof o, "%s/x", outdir);
                a = o;
            }
            argv[n++] = a;
        }
        argv[n] = NULL;
        int rc = run_demo(argv);
        unsetenv("OCLNN_MAX_ALLOC_MB");
        printf("%-22s exit %d: %s", cases[k].name, rc, err_text);
        if (rc != cases[k].rc) fail_msg("%s: exit %d, expected %d; stderr: %s", cases[k].name, rc, cases[k].rc, err_text);
        if (!strstr(err_text, cases[k].msg)) fail_msg("%s: stderr '%s' lacks '%s'", cases[k].name, err_text, cases[k].msg);
        char *nl = strchr(err_text, '\n');
        if (!nl || nl[1] != '\0') fail_msg("%s: stderr is not one line: '%s'", cases[k].name, err_text);
        if (entries(outdir) != 0) fail_msg("%s: files left in %s", cases[k].name, outdir);
    }
    /* --help succeeds and prints the usage. */
    assert_int_equal(run_demo((const char *const[]){"--help", NULL}), 0);
    assert_non_null(strstr(out_text, "usage: demo_segmentation"));
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: test_demo_segmentation DEMO MODELS_DIR\n");
        return 2;
    }
    demo = argv[1];
    models = argv[2];
    test_print_seed(__FILE__, TEST_SEED); /* no random input here; printed as every test does */
    dir = test_tmpdir("demo-seg");
    make_inputs();
    printf("demo %s, models in %s\n", demo, models);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binary),
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
