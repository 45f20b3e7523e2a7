/* test_attr_audit.c - the attribute audit of the CNN op set against the ONNX spec: a table of single-node models
 * whose attribute or constant-input values are outside what the spec allows (or what oclnn implements), each refused
 * by oclnn_runtime_create with its exact status and a message naming the node and the attribute; then valid edge
 * values (clamped Slice bounds, huge and negative steps, cropping pads, Resize axes) run and checked element by
 * element against a naive reference. Runs under ASan+UBSan in scripts/test.sh: no refusal may overflow on the way.
 */
#include <math.h>

#include "common.h"
#include "device/clw.h"

static const char *cache_dir;

/* One extra input of the node: 'f' f32 constant, 'i' i64 constant, '-' omitted, 0 none. Data NULL means zeros. */
typedef struct cin {
    char t;
    int nd;
    int64_t d[4];
    const void *data;
} cin;

typedef struct acase {
    const char *what;
    const char *op;
    int64_t opset; /* 0: 18 */
    int xn;        /* rank of x (0: 4) */
    int64_t xd[5];
    cin in[4];
    size_t na;
    oclnn_attr a[4];
    int nout; /* 0: 1 */
    oclnn_status want;
    const char *needle;
} acase;

#define AI(n, v) {.name = n, .type = OCLNN_ATTR_INT, .i = (v)}
#define AF(n, v) {.name = n, .type = OCLNN_ATTR_FLOAT, .f = (v)}
#define AS(n, v) {.name = n, .type = OCLNN_ATTR_STRING, .s = (v)}
#define AIS(n, ...)                                                                                                    \
    {.name = n,                                                                                                        \
     .type = OCLNN_ATTR_INTS,                                                                                          \
     .count = sizeof((const int64_t[]){__VA_ARGS__}) / sizeof(int64_t),                                                \
     .ints = (const int64_t[]){__VA_ARGS__}}
#define F1(...) {'f', 1, {sizeof((const float[]){__VA_ARGS__}) / sizeof(float)}, (const float[]){__VA_ARGS__}}
#define I1(...) {'i', 1, {sizeof((const int64_t[]){__VA_ARGS__}) / sizeof(int64_t)}, (const int64_t[]){__VA_ARGS__}}
#define OMIT {'-', 0, {0}, NULL}
#define X4 {1, 3, 5, 5}

static size_t numel(int nd, const int64_t *d) {
    size_t n = 1;
    for (int i = 0; i < nd; i++)
        n *= (size_t)d[i];
    return n;
}

/* x -> the node (x, extra inputs) -> y (and y1.. for several outputs) */
static oclnn_graph *build(oclnn_context *ctx, const acase *c) {
    oclnn_graph *g;
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    assert_ok(ctx, oclnn_graph_set_opset(g, c->opset ? c->opset : 18));
    int xn = c->xn ? c->xn : 4;
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, (size_t)xn, c->xd));
    const char *in[5] = {"x"};
    char names[4][8];
    size_t nin = 1;
    for (size_t k = 0; k < 4 && c->in[k].t; k++) {
        const cin *ci = &c->in[k];
        if (ci->t == '-') {
            in[nin++] = "";
            continue;
        }
        snprintf(names[k], sizeof names[k], "c%zu", k);
        size_t cnt = numel(ci->nd, ci->d);
        void *zeros = NULL;
        const void *data = ci->data;
        if (!data) data = zeros = calloc(cnt ? cnt : 1, 8);
        assert_ok(ctx, oclnn_graph_add_constant(g, names[k], ci->t == 'f' ? OCLNN_DTYPE_F32 : OCLNN_DTYPE_I64,
                                                (size_t)ci->nd, ci->d, data));
        free(zeros);
        in[nin++] = names[k];
    }
    int nout = c->nout ? c->nout : 1;
    const char *outs[4] = {"y", "y1", "y2", "y3"};
    assert_ok(ctx, oclnn_graph_add_node(g, c->op, "audited", nin, in, (size_t)nout, outs, c->na, c->a));
    for (int k = 0; k < nout; k++)
        assert_ok(ctx, oclnn_graph_add_output(g, outs[k]));
    return g;
}

static const float qnan = NAN, pinf = INFINITY;

static const acase refusals[] = {
    /* ---- attribute types: a value of another type would read as a default ---- */
    {"Softmax axis as FLOAT 1e30", "Softmax", 0, 0, X4, {{0}}, 1, {AF("axis", 1e30f)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "attribute axis is a FLOAT; ONNX defines it as an INT"},
    {"Concat axis as STRING", "Concat", 0, 0, X4, {{'f', 4, {1, 3, 5, 5}, NULL}}, 1, {AS("axis", "1")}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "attribute axis is a STRING"},
    {"MaxPool kernel_shape as INT", "MaxPool", 0, 0, X4, {{0}}, 1, {AI("kernel_shape", 3)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "attribute kernel_shape is an INT; ONNX defines it as INTS"},
    {"Transpose perm as FLOATS", "Transpose", 0, 0, X4, {{0}}, 1,
     {{.name = "perm", .type = OCLNN_ATTR_FLOATS, .count = 4, .floats = (const float[]){0, 2, 1, 3}}}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "attribute perm is FLOATS"},
    {"LeakyRelu alpha as INT", "LeakyRelu", 0, 0, X4, {{0}}, 1, {AI("alpha", 1)}, 0, OCLNN_STATUS_INVALID_ARGUMENT,
     "attribute alpha is an INT; ONNX defines it as a FLOAT"},
    {"Resize mode as INT", "Resize", 0, 0, X4, {OMIT, F1(1, 1, 2, 2)}, 1, {AI("mode", 1)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "attribute mode is an INT"},
    /* ---- Resize (op set 18: X, roi, scales, sizes) ---- */
    {"Resize mode bicubic", "Resize", 0, 0, X4, {OMIT, F1(1, 1, 2, 2)}, 1, {AS("mode", "bicubic")}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "mode 'bicubic'"},
    {"Resize coordinate mode", "Resize", 0, 0, X4, {OMIT, F1(1, 1, 2, 2)}, 1,
     {AS("coordinate_transformation_mode", "middle")}, 0, OCLNN_STATUS_INVALID_ARGUMENT,
     "coordinate_transformation_mode 'middle'"},
    {"Resize nearest_mode", "Resize", 0, 0, X4, {OMIT, F1(1, 1, 2, 2)}, 1, {AS("nearest_mode", "nearest")}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "nearest_mode 'nearest'"},
    {"Resize cubic_coeff_a NaN", "Resize", 0, 0, X4, {OMIT, F1(1, 1, 2, 2)}, 2,
     {AS("mode", "cubic"), AF("cubic_coeff_a", NAN)}, 0, OCLNN_STATUS_INVALID_ARGUMENT, "cubic_coeff_a"},
    {"Resize exclude_outside 2", "Resize", 0, 0, X4, {OMIT, F1(1, 1, 2, 2)}, 1, {AI("exclude_outside", 2)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "exclude_outside = 2"},
    {"Resize scales and sizes", "Resize", 0, 0, X4, {OMIT, F1(1, 1, 2, 2), I1(1, 3, 10, 10)}, 0, {{0}}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "both scales and sizes"},
    {"Resize neither", "Resize", 0, 0, X4, {OMIT}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_MODEL, "needs scales or sizes"},
    {"Resize scale 0", "Resize", 0, 0, X4, {OMIT, F1(1, 1, 0, 2)}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_ARGUMENT,
     "scales[2] = 0"},
    {"Resize scale -2", "Resize", 0, 0, X4, {OMIT, F1(1, 1, 2, -2)}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_ARGUMENT,
     "scales[3] = -2"},
    {"Resize scale NaN", "Resize", 0, 0, X4, {OMIT, {'f', 1, {4}, (const float[]){1, 1, NAN, 2}}}, 0, {{0}}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "scales[2] = nan"},
    {"Resize scale inf", "Resize", 0, 0, X4, {OMIT, {'f', 1, {4}, (const float[]){1, 1, 2, INFINITY}}}, 0, {{0}}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "scales[3] = inf"},
    {"Resize scale 1e30", "Resize", 0, 0, X4, {OMIT, F1(1, 1, 1e30f, 1)}, 0, {{0}}, 0, OCLNN_STATUS_LIMIT_EXCEEDED,
     "above 2^31-1"},
    {"Resize sizes of rank 3", "Resize", 0, 0, X4, {OMIT, OMIT, I1(1, 3, 10)}, 0, {{0}}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "sizes has 3 values"},
    {"Resize sizes 0", "Resize", 0, 0, X4, {OMIT, OMIT, I1(1, 3, 0, 10)}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_ARGUMENT,
     "sizes[2] = 0"},
    {"Resize sizes -4", "Resize", 0, 0, X4, {OMIT, OMIT, I1(1, 3, 8, -4)}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_ARGUMENT,
     "sizes[3] = -4"},
    {"Resize sizes 2^40", "Resize", 0, 0, X4, {OMIT, OMIT, I1(1, 3, 8, 1ll << 40)}, 0, {{0}}, 0,
     OCLNN_STATUS_LIMIT_EXCEEDED, "2^31-1"},
    {"Resize batch scale 2", "Resize", 0, 0, X4, {OMIT, F1(2, 1, 1, 1)}, 0, {{0}}, 0, OCLNN_STATUS_UNSUPPORTED,
     "only H and W"},
    {"Resize axes repeated", "Resize", 0, 0, X4, {OMIT, OMIT, I1(10, 10)}, 1, {AIS("axes", 3, 3)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "axes"},
    {"Resize axes out of range", "Resize", 0, 0, X4, {OMIT, OMIT, I1(10, 10)}, 1, {AIS("axes", 2, 4)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "axes"},
    {"Resize sizes vs axes", "Resize", 0, 0, X4, {OMIT, OMIT, I1(1, 3, 10, 10)}, 1, {AIS("axes", 2, 3)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "sizes has 4 values"},
    {"Resize antialias 1", "Resize", 0, 0, X4, {OMIT, F1(1, 1, 0.5f, 0.5f)}, 2, {AS("mode", "linear"),
     AI("antialias", 1)}, 0, OCLNN_STATUS_UNSUPPORTED, "antialias"},
    {"Resize antialias 3", "Resize", 0, 0, X4, {OMIT, F1(1, 1, 2, 2)}, 1, {AI("antialias", 3)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "antialias = 3"},
    {"Resize keep_aspect_ratio_policy", "Resize", 0, 0, X4, {OMIT, OMIT, I1(1, 3, 10, 10)}, 1,
     {AS("keep_aspect_ratio_policy", "fit")}, 0, OCLNN_STATUS_INVALID_ARGUMENT, "keep_aspect_ratio_policy 'fit'"},
    {"Resize tf_crop_and_resize", "Resize", 0, 0, X4, {OMIT, F1(1, 1, 2, 2)}, 1,
     {AS("coordinate_transformation_mode", "tf_crop_and_resize")}, 0, OCLNN_STATUS_UNSUPPORTED, "tf_crop_and_resize"},
    {"Upsample scale 0.5", "Upsample", 9, 0, X4, {F1(1, 1, 0.5f, 2)}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_ARGUMENT,
     "scales[2] = 0.5"},
    {"Upsample-7 scales NaN", "Upsample", 7, 0, X4, {{0}}, 1,
     {{.name = "scales", .type = OCLNN_ATTR_FLOATS, .count = 4, .floats = (const float[]){1, 1, NAN, 2}}}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "scales[2] = nan"},
    /* ---- Pad (op set 18: X, pads, constant_value, axes) ---- */
    {"Pad mode symmetric", "Pad", 0, 0, X4, {I1(0, 0, 1, 1, 0, 0, 1, 1)}, 1, {AS("mode", "symmetric")}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "mode 'symmetric'"},
    {"Pad pads length 6", "Pad", 0, 0, X4, {I1(0, 1, 1, 0, 1, 1)}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_ARGUMENT,
     "pads has 6 values for 4 dims"},
    {"Pad crops everything", "Pad", 0, 0, X4, {I1(0, 0, -3, 0, 0, 0, -2, 0)}, 0, {{0}}, 0,
     OCLNN_STATUS_INVALID_SHAPE, "axis 2"},
    {"Pad pads INT64_MAX", "Pad", 0, 0, X4, {I1(0, 0, INT64_MAX, 0, 0, 0, 1, 0)}, 0, {{0}}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "pads"},
    {"Pad pads INT64_MIN", "Pad", 0, 0, X4, {I1(0, 0, INT64_MIN, 0, 0, 0, 1, 0)}, 0, {{0}}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "pads"},
    {"Pad constant_value of 2", "Pad", 0, 0, X4, {I1(0, 0, 1, 1, 0, 0, 1, 1), F1(1, 2)}, 0, {{0}}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "constant_value"},
    {"Pad axes repeated", "Pad", 0, 0, X4, {I1(1, 1, 1, 1), OMIT, I1(2, 2)}, 0, {{0}}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "repeated"},
    {"Pad-2 pads length 3", "Pad", 7, 0, X4, {{0}}, 1, {AIS("pads", 1, 1, 1)}, 0, OCLNN_STATUS_INVALID_ARGUMENT,
     "pads has 3 values"},
    /* ---- Slice (op set 18: X, starts, ends, axes, steps) ---- */
    {"Slice step 0", "Slice", 0, 0, X4, {I1(0), I1(3), I1(2), I1(0)}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_ARGUMENT,
     "step"},
    {"Slice axes repeated", "Slice", 0, 0, X4, {I1(0, 1), I1(3, 4), I1(2, 2)}, 0, {{0}}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "repeated"},
    {"Slice axis 4 of 4", "Slice", 0, 0, X4, {I1(0), I1(3), I1(4)}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_ARGUMENT,
     "axis"},
    {"Slice axis -5", "Slice", 0, 0, X4, {I1(0), I1(3), I1(-5)}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_ARGUMENT, "axis"},
    {"Slice lengths differ", "Slice", 0, 0, X4, {I1(0, 0), I1(3)}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_ARGUMENT,
     "differ in length"},
    {"Slice empty", "Slice", 0, 0, X4, {I1(3), I1(1), I1(2)}, 0, {{0}}, 0, OCLNN_STATUS_UNSUPPORTED, "empty"},
    {"Slice-1 axes out of range", "Slice", 9, 0, X4, {{0}}, 3, {AIS("starts", 0), AIS("ends", 2), AIS("axes", 7)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "axis"},
    /* ---- Split, Concat, Transpose ---- */
    {"Split sizes not summing", "Split", 0, 0, X4, {I1(2, 2)}, 1, {AI("axis", 2)}, 2, OCLNN_STATUS_INVALID_SHAPE,
     "sum to 4"},
    {"Split negative size", "Split", 0, 0, X4, {I1(6, -1)}, 1, {AI("axis", 2)}, 2, OCLNN_STATUS_INVALID_ARGUMENT,
     "split[1] = -1"},
    {"Split zero size", "Split", 0, 0, X4, {I1(5, 0)}, 1, {AI("axis", 2)}, 2, OCLNN_STATUS_UNSUPPORTED,
     "split[1] = 0"},
    {"Split sizes overflow", "Split", 0, 0, X4, {I1(INT64_MAX, INT64_MAX)}, 1, {AI("axis", 2)}, 2,
     OCLNN_STATUS_INVALID_SHAPE, "split"},
    {"Split count vs outputs", "Split", 0, 0, X4, {I1(2, 3)}, 1, {AI("axis", 2)}, 3, OCLNN_STATUS_INVALID_ARGUMENT,
     "2 sizes for 3 outputs"},
    {"Split num_outputs vs outputs", "Split", 0, 0, X4, {{0}}, 2, {AI("axis", 2), AI("num_outputs", 3)}, 2,
     OCLNN_STATUS_INVALID_ARGUMENT, "num_outputs = 3"},
    {"Split axis 4", "Split", 0, 0, X4, {{0}}, 1, {AI("axis", 4)}, 2, OCLNN_STATUS_INVALID_ARGUMENT, "axis"},
    {"Concat axis -5", "Concat", 0, 0, X4, {{'f', 4, {1, 3, 5, 5}, NULL}}, 1, {AI("axis", -5)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "axis"},
    {"Concat rank differs", "Concat", 0, 0, X4, {{'f', 3, {1, 3, 5}, NULL}}, 1, {AI("axis", 1)}, 0,
     OCLNN_STATUS_INVALID_SHAPE, "input 1"},
    {"Transpose perm repeats", "Transpose", 0, 0, X4, {{0}}, 1, {AIS("perm", 0, 1, 1, 2)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "perm"},
    {"Transpose perm short", "Transpose", 0, 0, X4, {{0}}, 1, {AIS("perm", 0, 2, 1)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "perm"},
    {"Transpose perm 40", "Transpose", 0, 0, X4, {{0}}, 1, {AIS("perm", 0, 1, 2, 40)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "perm"},
    {"Transpose perm -1", "Transpose", 0, 0, X4, {{0}}, 1, {AIS("perm", 0, 1, 2, -1)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "perm"},
    /* ---- Reshape, Flatten, Squeeze, Unsqueeze ---- */
    {"Reshape two -1", "Reshape", 0, 0, X4, {I1(-1, 5, -1)}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_SHAPE, "-1"},
    {"Reshape -2", "Reshape", 0, 0, X4, {I1(3, -2, 5)}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_SHAPE, "-2"},
    {"Reshape 0 past rank", "Reshape", 0, 0, X4, {I1(1, 3, 5, 5, 0)}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_SHAPE, "0"},
    {"Reshape count mismatch", "Reshape", 0, 0, X4, {I1(7, 11)}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_SHAPE, "75"},
    {"Reshape allowzero 0 with -1", "Reshape", 0, 0, X4, {I1(0, -1)}, 1, {AI("allowzero", 1)}, 0,
     OCLNN_STATUS_INVALID_SHAPE, "allowzero"},
    {"Reshape allowzero 2", "Reshape", 0, 0, X4, {I1(3, 25)}, 1, {AI("allowzero", 2)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "allowzero = 2"},
    {"Reshape huge product", "Reshape", 0, 0, X4, {I1(1ll << 40, 1ll << 40, -1)}, 0, {{0}}, 0,
     OCLNN_STATUS_INVALID_SHAPE, "overflows"},
    {"Flatten axis 5", "Flatten", 0, 0, X4, {{0}}, 1, {AI("axis", 5)}, 0, OCLNN_STATUS_INVALID_ARGUMENT, "axis"},
    {"Flatten axis -5", "Flatten", 0, 0, X4, {{0}}, 1, {AI("axis", -5)}, 0, OCLNN_STATUS_INVALID_ARGUMENT, "axis"},
    {"Squeeze a dim of 3", "Squeeze", 0, 0, X4, {I1(1)}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_SHAPE, "axis 1"},
    {"Unsqueeze axes repeated", "Unsqueeze", 0, 2, {3, 5}, {I1(0, 0)}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_ARGUMENT,
     "repeated"},
    /* ---- Softmax, LRN, Gemm, MatMul, Clip, activations ---- */
    {"Softmax axis -5", "Softmax", 0, 0, X4, {{0}}, 1, {AI("axis", -5)}, 0, OCLNN_STATUS_INVALID_ARGUMENT,
     "axis = -5"},
    {"Softmax-11 axis 4", "Softmax", 11, 0, X4, {{0}}, 1, {AI("axis", 4)}, 0, OCLNN_STATUS_INVALID_ARGUMENT,
     "axis = 4"},
    {"LRN size -3", "LRN", 0, 0, X4, {{0}}, 1, {AI("size", -3)}, 0, OCLNN_STATUS_INVALID_ARGUMENT, "size = -3"},
    {"LRN size 2^40", "LRN", 0, 0, X4, {{0}}, 1, {AI("size", 1ll << 40)}, 0, OCLNN_STATUS_INVALID_ARGUMENT,
     "size = 1099511627776"},
    {"LRN size 200", "LRN", 0, 0, X4, {{0}}, 1, {AI("size", 200)}, 0, OCLNN_STATUS_UNSUPPORTED, "above 127"},
    {"LRN no size", "LRN", 0, 0, X4, {{0}}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_ARGUMENT, "size"},
    {"LRN alpha NaN", "LRN", 0, 0, X4, {{0}}, 2, {AI("size", 3), AF("alpha", NAN)}, 0, OCLNN_STATUS_INVALID_ARGUMENT,
     "alpha"},
    {"Gemm K mismatch", "Gemm", 0, 2, {3, 7}, {{'f', 2, {6, 4}, NULL}}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_SHAPE, "7"},
    {"Gemm transB K mismatch", "Gemm", 0, 2, {3, 7}, {{'f', 2, {7, 4}, NULL}}, 1, {AI("transB", 1)}, 0,
     OCLNN_STATUS_INVALID_SHAPE, "7"},
    {"Gemm transA 2", "Gemm", 0, 2, {3, 7}, {{'f', 2, {7, 4}, NULL}}, 1, {AI("transA", 2)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "transA = 2"},
    {"Gemm B rank 3", "Gemm", 0, 2, {3, 7}, {{'f', 3, {1, 7, 4}, NULL}}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_SHAPE,
     "2-D"},
    {"Gemm C not broadcastable", "Gemm", 0, 2, {3, 7}, {{'f', 2, {7, 4}, NULL}, {'f', 1, {3}, NULL}}, 0, {{0}}, 0,
     OCLNN_STATUS_INVALID_SHAPE, "C"},
    {"MatMul K mismatch", "MatMul", 0, 2, {3, 7}, {{'f', 2, {6, 4}, NULL}}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_SHAPE,
     "7"},
    {"Clip min > max", "Clip", 0, 0, X4, {F1(2), F1(1)}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_ARGUMENT, "min"},
    {"Clip min NaN", "Clip", 0, 0, X4, {{'f', 0, {0}, &qnan}}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_ARGUMENT, "min"},
    {"Clip min of 2 values", "Clip", 0, 0, X4, {F1(0, 1)}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_SHAPE,
     "min/max must be scalars"},
    {"Clip-6 min > max", "Clip", 7, 0, X4, {{0}}, 2, {AF("min", 3), AF("max", -3)}, 0, OCLNN_STATUS_INVALID_ARGUMENT,
     "min"},
    {"LeakyRelu alpha inf", "LeakyRelu", 0, 0, X4, {{0}}, 1, {AF("alpha", INFINITY)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "alpha"},
    {"HardSigmoid beta NaN", "HardSigmoid", 0, 0, X4, {{0}}, 1, {AF("beta", NAN)}, 0, OCLNN_STATUS_INVALID_ARGUMENT,
     "beta"},
    {"Add shapes", "Add", 0, 0, X4, {{'f', 1, {4}, NULL}}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_SHAPE, "broadcast"},
    /* ---- pooling ---- */
    {"AveragePool kernel > padded input", "AveragePool", 0, 0, X4, {{0}}, 2,
     {AIS("kernel_shape", 8, 8), AIS("pads", 1, 1, 1, 1)}, 0, OCLNN_STATUS_INVALID_SHAPE, "leaves no output"},
    {"MaxPool pads >= kernel", "MaxPool", 0, 0, X4, {{0}}, 2, {AIS("kernel_shape", 3, 3), AIS("pads", 3, 0, 0, 0)},
     0, OCLNN_STATUS_INVALID_ARGUMENT, "pads"},
    {"AveragePool pads >= kernel", "AveragePool", 0, 0, X4, {{0}}, 2,
     {AIS("kernel_shape", 2, 2), AIS("pads", 0, 0, 0, 2)}, 0, OCLNN_STATUS_INVALID_ARGUMENT, "pads"},
    {"AveragePool-18 dilations", "AveragePool", 18, 0, X4, {{0}}, 2,
     {AIS("kernel_shape", 2, 2), AIS("dilations", 2, 2)}, 0, OCLNN_STATUS_INVALID_ARGUMENT, "dilations"},
    {"MaxPool-8 dilations", "MaxPool", 8, 0, X4, {{0}}, 2, {AIS("kernel_shape", 2, 2), AIS("dilations", 2, 2)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "dilations"},
    {"LpPool-11 dilations", "LpPool", 11, 0, X4, {{0}}, 2, {AIS("kernel_shape", 2, 2), AIS("dilations", 2, 2)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "dilations"},
    {"MaxPool strides of 3", "MaxPool", 0, 0, X4, {{0}}, 2, {AIS("kernel_shape", 2, 2), AIS("strides", 1, 1, 1)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "strides needs 2 values"},
    {"MaxPool VALID with pads", "MaxPool", 0, 0, X4, {{0}}, 3,
     {AIS("kernel_shape", 2, 2), AIS("pads", 1, 1, 1, 1), AS("auto_pad", "VALID")}, 0, OCLNN_STATUS_INVALID_ARGUMENT,
     "auto_pad"},
    {"MaxPool 3-D kernel 2^40", "MaxPool", 0, 5, {1, 2, 4, 5, 5}, {{0}}, 1, {AIS("kernel_shape", 1ll << 40, 2, 2)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "above 2^31-1"},
    {"MaxPool 3-D ceil_mode 3", "MaxPool", 0, 5, {1, 2, 4, 5, 5}, {{0}}, 2,
     {AIS("kernel_shape", 2, 2, 2), AI("ceil_mode", 3)}, 0, OCLNN_STATUS_INVALID_ARGUMENT, "ceil_mode = 3"},
    /* ---- Conv, BatchNormalization ---- */
    {"Conv pads of 3", "Conv", 0, 0, X4, {{'f', 4, {2, 3, 3, 3}, NULL}}, 1, {AIS("pads", 1, 1, 1)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "pads needs 4 values"},
    {"Conv kernel_shape disagrees", "Conv", 0, 0, X4, {{'f', 4, {2, 3, 3, 3}, NULL}}, 1,
     {AIS("kernel_shape", 3, 2)}, 0, OCLNN_STATUS_INVALID_SHAPE, "kernel_shape"},
    {"Conv bias length", "Conv", 0, 0, X4, {{'f', 4, {2, 3, 3, 3}, NULL}, {'f', 1, {3}, NULL}}, 0, {{0}}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "bias has 3 elements, needs 2"},
    {"Conv W channels", "Conv", 0, 0, X4, {{'f', 4, {2, 4, 3, 3}, NULL}}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_SHAPE,
     "channels"},
    {"ConvTranspose output_shape -1", "ConvTranspose", 0, 0, X4, {{'f', 4, {3, 2, 3, 3}, NULL}}, 1,
     {AIS("output_shape", -1, 7)}, 0, OCLNN_STATUS_INVALID_ARGUMENT, "output_shape"},
    {"ConvTranspose output_shape of 3", "ConvTranspose", 0, 0, X4, {{'f', 4, {3, 2, 3, 3}, NULL}}, 1,
     {AIS("output_shape", 7, 7, 7)}, 0, OCLNN_STATUS_INVALID_ARGUMENT, "output_shape has 3 values for 2 spatial dims"},
    {"ConvTranspose pads of 3", "ConvTranspose", 0, 0, X4, {{'f', 4, {3, 2, 3, 3}, NULL}}, 1, {AIS("pads", 1, 1, 1)},
     0, OCLNN_STATUS_INVALID_ARGUMENT, "pads needs 4 values"},
    {"ConvTranspose output_padding of 3", "ConvTranspose", 0, 0, X4, {{'f', 4, {3, 2, 3, 3}, NULL}}, 2,
     {AIS("strides", 2, 2), AIS("output_padding", 1, 1, 1)}, 0, OCLNN_STATUS_INVALID_ARGUMENT,
     "output_padding has 3 values for 2 spatial dims"},
    {"ConvTranspose group 2 of 3", "ConvTranspose", 0, 0, X4, {{'f', 4, {3, 2, 3, 3}, NULL}}, 1, {AI("group", 2)}, 0,
     OCLNN_STATUS_INVALID_SHAPE, "group 2"},
    {"BatchNormalization-7 spatial 0", "BatchNormalization", 7, 0, X4,
     {{'f', 1, {3}, NULL}, {'f', 1, {3}, NULL}, {'f', 1, {3}, NULL}, {'f', 1, {3}, NULL}}, 1, {AI("spatial", 0)}, 0,
     OCLNN_STATUS_UNSUPPORTED, "spatial"},
    {"Squeeze axis 4 of 4", "Squeeze", 0, 0, {1, 3, 5, 1}, {I1(4)}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_ARGUMENT,
     "axis"},
    {"Unsqueeze axis 9", "Unsqueeze", 0, 2, {3, 5}, {I1(9)}, 0, {{0}}, 0, OCLNN_STATUS_INVALID_ARGUMENT, "axis"},
    {"ArgMax select_last_index 2", "ArgMax", 0, 0, X4, {{0}}, 1, {AI("select_last_index", 2)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "select_last_index = 2"},
    {"PRelu slope not broadcastable", "PRelu", 0, 0, X4, {{'f', 1, {4}, NULL}}, 0, {{0}}, 0,
     OCLNN_STATUS_INVALID_SHAPE, "do not broadcast"},
    {"MaxPool storage_order 2", "MaxPool", 0, 0, X4, {{0}}, 2, {AIS("kernel_shape", 2, 2), AI("storage_order", 2)},
     0, OCLNN_STATUS_INVALID_ARGUMENT, "storage_order = 2"},
    {"Gemm transB 5", "Gemm", 0, 2, {3, 7}, {{'f', 2, {4, 7}, NULL}}, 1, {AI("transB", 5)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "transB = 5"},
    {"Softmax on rank 2 axis 2", "Softmax", 0, 2, {3, 7}, {{0}}, 1, {AI("axis", 2)}, 0, OCLNN_STATUS_INVALID_ARGUMENT,
     "axis = 2"},
    {"BatchNormalization scale length", "BatchNormalization", 0, 0, X4,
     {{'f', 1, {2}, NULL}, {'f', 1, {3}, NULL}, {'f', 1, {3}, NULL}, {'f', 1, {3}, NULL}}, 0, {{0}}, 0,
     OCLNN_STATUS_INVALID_SHAPE, "input 1 has 2 values for 3 channels"},
    {"BatchNormalization epsilon NaN", "BatchNormalization", 0, 0, X4,
     {{'f', 1, {3}, NULL}, {'f', 1, {3}, NULL}, {'f', 1, {3}, NULL}, {'f', 1, {3}, NULL}}, 1, {AF("epsilon", NAN)}, 0,
     OCLNN_STATUS_INVALID_ARGUMENT, "epsilon"},
};

static void test_refusals(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    int bad = 0;
    for (size_t i = 0; i < sizeof refusals / sizeof *refusals; i++) {
        const acase *c = &refusals[i];
        oclnn_graph *g = build(ctx, c);
        oclnn_runtime *rt = (oclnn_runtime *)0x1;
        oclnn_status s = oclnn_runtime_create(ctx, g, NULL, &rt);
        const char *msg = oclnn_last_error(ctx);
        int ok = s == c->want && !rt && strstr(msg, "'audited'") && strstr(msg, c->needle);
        printf("  %s %-36s -> %s: %s\n", ok ? "ok  " : "FAIL", c->what, oclnn_status_name(s), s ? msg : "");
        if (!ok) {
            printf("       wanted %s and '%s'\n", oclnn_status_name(c->want), c->needle);
            bad++;
        }
        if (!s) oclnn_runtime_destroy(rt);
        oclnn_graph_destroy(g);
    }
    oclnn_context_destroy(ctx);
    (void)pinf;
    if (bad) fail_msg("%d of %zu refusals were wrong", bad, sizeof refusals / sizeof *refusals);
}

/* ---- valid edge values, computed: each output element is one input element (or the pad value), exactly ---- */

/* Source coordinates of output coordinate o (4-D, x [1,3,5,7]); returns 0 when the element is padding. */
typedef int (*src_fn)(const int64_t o[4], int64_t s[4]);

static int src_slice_mixed(const int64_t o[4], int64_t s[4]) { /* axis 3: 6,4,2,0; axis 2: 0,3 */
    s[0] = o[0], s[1] = o[1], s[2] = 3 * o[2], s[3] = 6 - 2 * o[3];
    return 1;
}
static int src_slice_min_step(const int64_t o[4], int64_t s[4]) { /* channel 2 only */
    s[0] = o[0], s[1] = 2, s[2] = o[2], s[3] = o[3];
    return 1;
}
static int src_slice_max_step(const int64_t o[4], int64_t s[4]) { /* column 1 only */
    s[0] = o[0], s[1] = o[1], s[2] = o[2], s[3] = 1;
    return 1;
}
static int src_pad_crop(const int64_t o[4], int64_t s[4]) { /* H: crop 1 top, pad 1 bottom; W: pad 2 left, crop 3 */
    s[0] = o[0], s[1] = o[1], s[2] = o[2] + 1, s[3] = o[3] - 2;
    return s[2] < 5 && s[3] >= 0;
}
static int src_resize_axes(const int64_t o[4], int64_t s[4]) { /* asymmetric + floor, both scales exactly 2 */
    s[0] = o[0], s[1] = o[1], s[2] = o[2] / 2, s[3] = o[3] / 2;
    return 1;
}
static int src_split_second(const int64_t o[4], int64_t s[4]) { /* output 1 of split [2, 3] on H */
    s[0] = o[0], s[1] = o[1], s[2] = o[2] + 2, s[3] = o[3];
    return 1;
}

static int src_reshape(const int64_t o[4], int64_t s[4]) { /* [1,5,3,7] over the same bytes as [1,3,5,7] */
    int64_t lin = ((o[0] * 5 + o[1]) * 3 + o[2]) * 7 + o[3];
    s[3] = lin % 7, lin /= 7;
    s[2] = lin % 5, lin /= 5;
    s[1] = lin % 3, s[0] = lin / 3;
    return 1;
}

typedef struct vcase {
    acase c;
    const char *out;
    int64_t yd[4];
    src_fn src;
    float pad_value;
} vcase;

#define XV {1, 3, 5, 7}

static const vcase valids[] = {
    {{"Slice clamped bounds, steps -2 and 3", "Slice", 0, 0, XV,
      {I1(-1, INT64_MIN), I1(INT64_MIN, INT64_MAX), I1(3, 2), I1(-2, 3)}, 0, {{0}}, 0, 0, NULL},
     "y", {1, 3, 2, 4}, src_slice_mixed, 0},
    {{"Slice step INT64_MIN", "Slice", 0, 0, XV, {I1(-1), I1(INT64_MIN), I1(1), I1(INT64_MIN)}, 0, {{0}}, 0, 0, NULL},
     "y", {1, 1, 5, 7}, src_slice_min_step, 0},
    {{"Slice step INT64_MAX", "Slice", 0, 0, XV, {I1(1), I1(INT64_MAX), I1(-1), I1(INT64_MAX)}, 0, {{0}}, 0, 0, NULL},
     "y", {1, 3, 5, 1}, src_slice_max_step, 0},
    {{"Pad negative pads crop", "Pad", 0, 0, XV, {I1(0, 0, -1, 2, 0, 0, 1, -3), F1(1.5f)}, 0, {{0}}, 0, 0, NULL}, "y",
     {1, 3, 5, 6}, src_pad_crop, 1.5f},
    {{"Resize sizes on axes [3, 2]", "Resize", 0, 0, XV, {OMIT, OMIT, I1(14, 10)}, 3,
      {AIS("axes", 3, 2), AS("coordinate_transformation_mode", "asymmetric"), AS("nearest_mode", "floor")}, 0, 0, NULL},
     "y", {1, 3, 10, 14}, src_resize_axes, 0},
    {{"Reshape [0, 5, -1, 7] (0 copies)", "Reshape", 0, 0, XV, {I1(0, 5, -1, 7)}, 0, {{0}}, 0, 0, NULL}, "y",
     {1, 5, 3, 7}, src_reshape, 0},
    {{"Split sizes [2, 3] on H", "Split", 0, 0, XV, {I1(2, 3)}, 1, {AI("axis", -2)}, 2, 0, NULL}, "y1", {1, 3, 3, 7},
     src_split_second, 0},
};

static void test_valid_edges(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    uint64_t seed = TEST_SEED;
    float x[105];
    for (size_t i = 0; i < 105; i++)
        x[i] = test_rand_float(&seed, -4.0f, 4.0f);
    for (size_t i = 0; i < sizeof valids / sizeof *valids; i++) {
        const vcase *v = &valids[i];
        oclnn_graph *g = build(ctx, &v->c);
        oclnn_runtime *rt;
        assert_ok(ctx, oclnn_runtime_create(ctx, g, NULL, &rt));
        oclnn_dtype dt;
        size_t nd;
        int64_t yd[OCLNN_MAX_DIMS];
        assert_ok(ctx, oclnn_runtime_shape(rt, v->out, &dt, &nd, yd));
        assert_int_equal(nd, 4);
        for (int d = 0; d < 4; d++)
            if (yd[d] != v->yd[d])
                fail_msg("%s: output dim %d is %lld, not %lld", v->c.what, d, (long long)yd[d], (long long)v->yd[d]);
        size_t ny = numel(4, yd);
        float *y = malloc(ny * sizeof *y);
        assert_non_null(y);
        assert_ok(ctx, oclnn_runtime_set_input(rt, "x", x, sizeof x));
        assert_ok(ctx, oclnn_runtime_invoke(rt));
        assert_ok(ctx, oclnn_runtime_get_output(rt, v->out, y, ny * sizeof *y));
        /* bound: exact (data movement copies bits) */
        size_t e = 0;
        int64_t o[4], s[4];
        for (o[0] = 0; o[0] < yd[0]; o[0]++)
            for (o[1] = 0; o[1] < yd[1]; o[1]++)
                for (o[2] = 0; o[2] < yd[2]; o[2]++)
                    for (o[3] = 0; o[3] < yd[3]; o[3]++, e++) {
                        float want = v->src(o, s) ? x[((s[0] * 3 + s[1]) * 5 + s[2]) * 7 + s[3]] : v->pad_value;
                        if (memcmp(&y[e], &want, sizeof want))
                            fail_msg("%s: element %zu is %g, not %g", v->c.what, e, (double)y[e], (double)want);
                    }
        printf("  %-40s -> %lldx%lldx%lldx%lld, %zu elements exact\n", v->c.what, (long long)yd[0], (long long)yd[1],
               (long long)yd[2], (long long)yd[3], ny);
        free(y);
        oclnn_runtime_destroy(rt);
        oclnn_graph_destroy(g);
    }
    oclnn_context_destroy(ctx);
}

/* Gather runs only as constant folding (shape sub-graphs): out-of-range indices on constant data are refused there,
 * naming the node, before anything reads past the data. Graph: y = x + Gather(c[4,3], idx, axis 0). */
static void test_gather_indices(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    const int64_t bad_idx[3] = {4, -5, INT64_MIN};
    for (int i = 0; i < 3; i++) {
        oclnn_graph *g;
        const int64_t xd[2] = {1, 3}, cd[2] = {4, 3}, id[1] = {1};
        static const float c[12];
        assert_ok(ctx, oclnn_graph_create(ctx, &g));
        assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 2, xd));
        assert_ok(ctx, oclnn_graph_add_constant(g, "c", OCLNN_DTYPE_F32, 2, cd, c));
        assert_ok(ctx, oclnn_graph_add_constant(g, "idx", OCLNN_DTYPE_I64, 1, id, &bad_idx[i]));
        const char *gi[2] = {"c", "idx"}, *go = "gathered", *ai[2] = {"x", "gathered"}, *ao = "y";
        assert_ok(ctx, oclnn_graph_add_node(g, "Gather", "audited", 2, gi, 1, &go, 0, NULL));
        assert_ok(ctx, oclnn_graph_add_node(g, "Add", "add", 2, ai, 1, &ao, 0, NULL));
        assert_ok(ctx, oclnn_graph_add_output(g, "y"));
        oclnn_runtime *rt = (oclnn_runtime *)0x1;
        oclnn_status s = oclnn_runtime_create(ctx, g, NULL, &rt);
        printf("  Gather index %lld -> %s: %s\n", (long long)bad_idx[i], oclnn_status_name(s), oclnn_last_error(ctx));
        assert_int_equal(s, OCLNN_STATUS_INVALID_MODEL);
        assert_null(rt);
        assert_non_null(strstr(oclnn_last_error(ctx), "'audited'"));
        assert_non_null(strstr(oclnn_last_error(ctx), "out of range [-4, 4)"));
        oclnn_graph_destroy(g);
    }
    oclnn_context_destroy(ctx);
}

/* Constant folding with extreme steps (host arithmetic that must not overflow): y = Reshape(x, shape) where shape is
 * folded from Slice(c, step INT64_MIN or INT64_MAX) or Range(75, 74, INT64_MIN), each exactly [75]; the Slice feeds
 * the Reshape before folding has run, so shape inference must wait for it. */
static void test_fold_edges(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    float x[75], y[75];
    for (int i = 0; i < 75; i++)
        x[i] = (float)i - 37.5f;
    for (int c = 0; c < 3; c++) {
        oclnn_graph *g;
        const int64_t xd[4] = {1, 3, 5, 5}, three = 3, one = 1;
        assert_ok(ctx, oclnn_graph_create(ctx, &g));
        assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd));
        const char *rin[2] = {"x", "shape"}, *ro = "y", *so = "shape";
        if (c < 2) {
            const int64_t cv[2][3] = {{75, 1, 2}, {2, 1, 75}};
            const int64_t st[2] = {0, -1}, en[2] = {INT64_MAX, INT64_MIN}, sp[2] = {INT64_MAX, INT64_MIN}, ax = 0;
            assert_ok(ctx, oclnn_graph_add_constant(g, "c", OCLNN_DTYPE_I64, 1, &three, cv[c]));
            assert_ok(ctx, oclnn_graph_add_constant(g, "st", OCLNN_DTYPE_I64, 1, &one, &st[c]));
            assert_ok(ctx, oclnn_graph_add_constant(g, "en", OCLNN_DTYPE_I64, 1, &one, &en[c]));
            assert_ok(ctx, oclnn_graph_add_constant(g, "ax", OCLNN_DTYPE_I64, 1, &one, &ax));
            assert_ok(ctx, oclnn_graph_add_constant(g, "sp", OCLNN_DTYPE_I64, 1, &one, &sp[c]));
            const char *si[5] = {"c", "st", "en", "ax", "sp"};
            assert_ok(ctx, oclnn_graph_add_node(g, "Slice", "audited", 5, si, 1, &so, 0, NULL));
        } else {
            const int64_t v[3] = {75, 74, INT64_MIN}; /* one element: 75 */
            assert_ok(ctx, oclnn_graph_add_constant(g, "r0", OCLNN_DTYPE_I64, 0, NULL, &v[0]));
            assert_ok(ctx, oclnn_graph_add_constant(g, "r1", OCLNN_DTYPE_I64, 0, NULL, &v[1]));
            assert_ok(ctx, oclnn_graph_add_constant(g, "r2", OCLNN_DTYPE_I64, 0, NULL, &v[2]));
            const char *ri[3] = {"r0", "r1", "r2"};
            assert_ok(ctx, oclnn_graph_add_node(g, "Range", "audited", 3, ri, 1, &so, 0, NULL));
        }
        assert_ok(ctx, oclnn_graph_add_node(g, "Reshape", "reshape", 2, rin, 1, &ro, 0, NULL));
        assert_ok(ctx, oclnn_graph_add_output(g, "y"));
        oclnn_runtime *rt;
        assert_ok(ctx, oclnn_runtime_create(ctx, g, NULL, &rt));
        oclnn_dtype dt;
        size_t nd;
        int64_t yd[OCLNN_MAX_DIMS];
        assert_ok(ctx, oclnn_runtime_shape(rt, "y", &dt, &nd, yd));
        assert_int_equal(nd, 1);
        assert_int_equal(yd[0], 75);
        assert_ok(ctx, oclnn_runtime_set_input(rt, "x", x, sizeof x));
        assert_ok(ctx, oclnn_runtime_invoke(rt));
        assert_ok(ctx, oclnn_runtime_get_output(rt, "y", y, sizeof y));
        assert_memory_equal(x, y, sizeof x); /* a reshape copies bits */
        const char *what[3] = {"Slice step INT64_MAX", "Slice step INT64_MIN", "Range delta INT64_MIN"};
        printf("  folded %-24s -> shape [75], 75 elements exact\n", what[c]);
        oclnn_runtime_destroy(rt);
        oclnn_graph_destroy(g);
    }
    oclnn_context_destroy(ctx);
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    cache_dir = test_tmpdir("audit-cache");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_gather_indices),
        cmocka_unit_test(test_valid_edges),
        cmocka_unit_test(test_fold_edges),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    return r || clw_live_objects() != 0;
}
