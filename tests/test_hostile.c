/* test_hostile.c - hostile models: one small model per rule of the reliability issue (attribute values outside the
 * op's spec, shapes that overflow or exceed the limits, node and depth limits, cycles), each refused with its exact
 * status and a message naming the node or tensor and the rule; the limits API and its environment variables; and a
 * 100,000-node chain that loads, plans and runs without recursion (or is refused by the node limit). Runs under
 * ASan+UBSan in scripts/test.sh's asan run: no refusal may read out of bounds or overflow on the way.
 */
#include <math.h>
#include <time.h>

#include "common.h"
#include "device/clw.h"
#include "onnx.pb-c.h"

static const char *cache_dir;

static oclnn_attr attr_int(const char *name, int64_t v) {
    oclnn_attr a = {0};
    a.name = name;
    a.type = OCLNN_ATTR_INT;
    a.i = v;
    return a;
}

static oclnn_attr attr_ints(const char *name, size_t count, const int64_t *v) {
    oclnn_attr a = {0};
    a.name = name;
    a.type = OCLNN_ATTR_INTS;
    a.count = count;
    a.ints = v;
    return a;
}

static oclnn_attr attr_floats(const char *name, size_t count, const float *v) {
    oclnn_attr a = {0};
    a.name = name;
    a.type = OCLNN_ATTR_FLOATS;
    a.count = count;
    a.floats = v;
    return a;
}

/* x [n,c,h,w] -> one node (op, attrs, extra constant inputs named "w", "b") -> y */
typedef struct hmodel {
    const char *op;
    int64_t xd[4];
    int64_t wd[4]; /* weights "w" when wd[0] > 0 (zeros) */
    size_t nattrs;
    oclnn_attr attrs[4];
} hmodel;

static oclnn_graph *one_node(oclnn_context *ctx, const hmodel *m) {
    oclnn_graph *g;
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, m->xd));
    const char *in[2] = {"x", "w"}, *out = "y";
    size_t nin = 1;
    if (m->wd[0] > 0) {
        size_t cnt = (size_t)(m->wd[0] * m->wd[1] * m->wd[2] * m->wd[3]);
        float *w = calloc(cnt ? cnt : 1, sizeof *w);
        assert_non_null(w);
        assert_ok(ctx, oclnn_graph_add_constant(g, "w", OCLNN_DTYPE_F32, 4, m->wd, w));
        free(w);
        nin = 2;
    }
    assert_ok(ctx, oclnn_graph_add_node(g, m->op, "hostile", nin, in, 1, &out, m->nattrs, m->attrs));
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    return g;
}

/* runtime_create must fail with @p want and a message containing every needle; nothing is left behind */
static void expect_refusal(oclnn_context *ctx, const char *what, oclnn_graph *g, oclnn_status want,
                           const char *const *needles) {
    oclnn_runtime *rt = (oclnn_runtime *)0x1;
    oclnn_status s = oclnn_runtime_create(ctx, g, NULL, &rt);
    printf("  %-36s -> %s: %s\n", what, oclnn_status_name(s), oclnn_last_error(ctx));
    if (s != want)
        fail_msg("%s: expected %s, got %s: %s", what, oclnn_status_name(want), oclnn_status_name(s),
                 oclnn_last_error(ctx));
    assert_null(rt);
    for (; *needles; needles++)
        if (!strstr(oclnn_last_error(ctx), *needles))
            fail_msg("%s: message '%s' does not mention '%s'", what, oclnn_last_error(ctx), *needles);
    oclnn_graph_destroy(g);
}

#define NEEDLES(...) ((const char *const[]){__VA_ARGS__, NULL})

static void test_attribute_rules(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    static const int64_t k0[2] = {0, 3}, k3[2] = {3, 3}, s0[2] = {0, 1}, s1[2] = {1, 1}, sbig[2] = {1, 1ll << 40};
    static const int64_t pneg[4] = {0, -1, 0, 0}, pbig[4] = {0, 0, 0, 1ll << 40}, op2[2] = {2, 0};
    static const int64_t dbig[2] = {1ll << 33, 1};
    const struct {
        const char *what;
        hmodel m;
        oclnn_status want;
        const char *needle;
    } cases[] = {
        {"Conv group 0",
         {"Conv", {1, 4, 5, 5}, {2, 4, 3, 3}, 1, {attr_int("group", 0)}},
         OCLNN_STATUS_INVALID_SHAPE,
         "group 0"},
        {"Conv group not dividing channels",
         {"Conv", {1, 6, 5, 5}, {4, 2, 3, 3}, 1, {attr_int("group", 4)}},
         OCLNN_STATUS_INVALID_SHAPE,
         "with group 4"},
        {"Conv group 2^62 (product overflows)",
         {"Conv", {1, 6, 5, 5}, {4, 2, 3, 3}, 1, {attr_int("group", 1ll << 62)}},
         OCLNN_STATUS_INVALID_SHAPE,
         "with group"},
        {"Conv zero stride",
         {"Conv", {1, 3, 5, 5}, {2, 3, 3, 3}, 1, {attr_ints("strides", 2, s0)}},
         OCLNN_STATUS_INVALID_ARGUMENT,
         "strides/dilations must be >= 1"},
        {"Conv stride 2^40",
         {"Conv", {1, 3, 5, 5}, {2, 3, 3, 3}, 1, {attr_ints("strides", 2, sbig)}},
         OCLNN_STATUS_INVALID_ARGUMENT,
         "above 2^31-1"},
        {"Conv dilation 2^33",
         {"Conv", {1, 3, 5, 5}, {2, 3, 3, 3}, 1, {attr_ints("dilations", 2, dbig)}},
         OCLNN_STATUS_INVALID_ARGUMENT,
         "above 2^31-1"},
        {"Conv negative pad",
         {"Conv", {1, 3, 5, 5}, {2, 3, 3, 3}, 1, {attr_ints("pads", 4, pneg)}},
         OCLNN_STATUS_INVALID_ARGUMENT,
         "pads >= 0"},
        {"Conv pad 2^40",
         {"Conv", {1, 3, 5, 5}, {2, 3, 3, 3}, 1, {attr_ints("pads", 4, pbig)}},
         OCLNN_STATUS_INVALID_ARGUMENT,
         "above 2^31-1"},
        {"Conv kernel_shape disagrees",
         {"Conv", {1, 3, 5, 5}, {2, 3, 3, 3}, 1, {attr_ints("kernel_shape", 2, k0)}},
         OCLNN_STATUS_INVALID_SHAPE,
         "kernel_shape disagrees"},
        {"MaxPool zero kernel",
         {"MaxPool", {1, 3, 5, 5}, {0}, 1, {attr_ints("kernel_shape", 2, k0)}},
         OCLNN_STATUS_INVALID_ARGUMENT,
         "kernel_shape is missing or < 1"},
        {"MaxPool no kernel_shape",
         {"MaxPool", {1, 3, 5, 5}, {0}, 0, {{0}}},
         OCLNN_STATUS_INVALID_ARGUMENT,
         "kernel_shape is missing"},
        {"MaxPool window larger than input",
         {"MaxPool", {1, 3, 2, 2}, {0}, 1, {attr_ints("kernel_shape", 2, k3)}},
         OCLNN_STATUS_INVALID_SHAPE,
         "leaves no output"},
        {"MaxPool ceil_mode 2",
         {"MaxPool", {1, 3, 5, 5}, {0}, 2, {attr_ints("kernel_shape", 2, k3), attr_int("ceil_mode", 2)}},
         OCLNN_STATUS_INVALID_ARGUMENT,
         "ceil_mode = 2"},
        {"LpPool p 0",
         {"LpPool", {1, 3, 5, 5}, {0}, 2, {attr_ints("kernel_shape", 2, k3), attr_int("p", 0)}},
         OCLNN_STATUS_INVALID_ARGUMENT,
         "p = 0"},
        {"AveragePool count_include_pad 2^32",
         {"AveragePool",
          {1, 3, 5, 5},
          {0},
          2,
          {attr_ints("kernel_shape", 2, k3), attr_int("count_include_pad", 1ll << 32)}},
         OCLNN_STATUS_INVALID_ARGUMENT,
         "count_include_pad"},
        {"MaxPool auto_pad unknown",
         {"MaxPool",
          {1, 3, 5, 5},
          {0},
          2,
          {attr_ints("kernel_shape", 2, k3), {.name = "auto_pad", .type = OCLNN_ATTR_STRING, .s = "SAME"}}},
         OCLNN_STATUS_INVALID_ARGUMENT,
         "auto_pad 'SAME'"},
        {"Softmax axis out of range",
         {"Softmax", {1, 3, 5, 5}, {0}, 1, {attr_int("axis", 4)}},
         OCLNN_STATUS_INVALID_ARGUMENT,
         "axis = 4"},
        {"Softmax axis 2^32 (wraps to 0)",
         {"Softmax", {1, 3, 5, 5}, {0}, 1, {attr_int("axis", 1ll << 32)}},
         OCLNN_STATUS_INVALID_ARGUMENT,
         "axis = 4294967296"},
        {"ArgMax axis -5",
         {"ArgMax", {1, 3, 5, 5}, {0}, 1, {attr_int("axis", -5)}},
         OCLNN_STATUS_INVALID_ARGUMENT,
         "axis = -5"},
        {"ArgMax keepdims 7",
         {"ArgMax", {1, 3, 5, 5}, {0}, 1, {attr_int("keepdims", 7)}},
         OCLNN_STATUS_INVALID_ARGUMENT,
         "keepdims = 7"},
        {"LRN size 0", {"LRN", {1, 3, 5, 5}, {0}, 1, {attr_int("size", 0)}}, OCLNN_STATUS_INVALID_ARGUMENT, "size = 0"},
        {"Concat axis 9",
         {"Concat", {1, 3, 5, 5}, {0}, 1, {attr_int("axis", 9)}},
         OCLNN_STATUS_INVALID_ARGUMENT,
         "axis"},
        {"Flatten axis 7",
         {"Flatten", {1, 3, 5, 5}, {0}, 1, {attr_int("axis", 7)}},
         OCLNN_STATUS_INVALID_ARGUMENT,
         "axis"},
        {"ConvTranspose output_padding >= stride",
         {"ConvTranspose",
          {1, 3, 5, 5},
          {3, 2, 3, 3},
          2,
          {attr_ints("output_padding", 2, op2), attr_ints("strides", 2, s1)}},
         OCLNN_STATUS_INVALID_ARGUMENT,
         "output_padding"},
        {"ConvTranspose stride 2^31-1 (extent overflows)",
         {"ConvTranspose", {1, 3, 5, 5}, {3, 2, 3, 3}, 1, {attr_ints("strides", 2, (const int64_t[]){INT32_MAX, 1})}},
         OCLNN_STATUS_LIMIT_EXCEEDED,
         "above 2^31-1"},
        {"Unknown op type",
         {"FrobnicateV2", {1, 3, 5, 5}, {0}, 0, {{0}}},
         OCLNN_STATUS_UNSUPPORTED,
         "operator not supported"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_refusal(ctx, cases[i].what, one_node(ctx, &cases[i].m), cases[i].want,
                       NEEDLES("'hostile'", cases[i].needle));
    oclnn_context_destroy(ctx);
}

/* Resize by scales 1e5 x 1e5 on a 1x1x8x8 map: 6.4e11 elements, far over the tensor limit, refused at inference */
static void test_shape_limits(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    oclnn_graph *g;
    const int64_t xd[4] = {1, 1, 8, 8}, sd[1] = {4};
    const float scales[4] = {1, 1, 1e5f, 1e5f};
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd));
    assert_ok(ctx, oclnn_graph_add_constant(g, "scales", OCLNN_DTYPE_F32, 1, sd, scales));
    const char *in[3] = {"x", "", "scales"}, *out = "y";
    assert_ok(ctx, oclnn_graph_add_node(g, "Resize", "huge_resize", 3, in, 1, &out, 0, NULL));
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    expect_refusal(ctx, "Resize to 800000x800000", g, OCLNN_STATUS_LIMIT_EXCEEDED,
                   NEEDLES("'huge_resize'", "output 'y'", "max_tensor_bytes"));
    (void)attr_floats;

    /* an input over max_tensor_bytes; an arena over max_arena_bytes; the same graphs pass with the defaults */
    oclnn_limits lim, def;
    assert_ok(ctx, oclnn_context_get_limits(ctx, &def));
    const int64_t bd[4] = {1, 1, 512, 1024}; /* 2 MiB */
    for (int pass = 0; pass < 3; pass++) {
        lim = def;
        if (pass == 0) lim.max_tensor_bytes = 1 << 20;
        if (pass == 1) lim.max_arena_bytes = 3 << 20; /* two live 2 MiB intermediates need 4 MiB */
        assert_ok(ctx, oclnn_context_set_limits(ctx, &lim));
        assert_ok(ctx, oclnn_graph_create(ctx, &g));
        assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, bd));
        const char *names[5] = {"x", "a", "b", "c", "y"};
        for (int k = 0; k < 4; k++) {
            char nn[8];
            snprintf(nn, sizeof nn, "n%d", k);
            assert_ok(ctx,
                      oclnn_graph_add_node(g, k % 2 ? "Tanh" : "Sigmoid", nn, 1, &names[k], 1, &names[k + 1], 0, NULL));
        }
        assert_ok(ctx, oclnn_graph_add_output(g, "y"));
        if (pass == 0)
            expect_refusal(ctx, "input over max_tensor_bytes", g, OCLNN_STATUS_LIMIT_EXCEEDED,
                           NEEDLES("input 'x'", "2097152 bytes", "max_tensor_bytes", "OCLNN_MAX_TENSOR_MB"));
        else if (pass == 1)
            expect_refusal(ctx, "arena over max_arena_bytes", g, OCLNN_STATUS_LIMIT_EXCEEDED,
                           NEEDLES("arena needs 4194304 bytes", "max_arena_bytes", "OCLNN_MAX_ARENA_MB"));
        else {
            oclnn_runtime *rt;
            assert_ok(ctx, oclnn_runtime_create(ctx, g, NULL, &rt));
            oclnn_runtime_destroy(rt);
            oclnn_graph_destroy(g);
        }
    }
    /* a constant over max_tensor_bytes is refused when added */
    lim = def;
    lim.max_tensor_bytes = 1024;
    assert_ok(ctx, oclnn_context_set_limits(ctx, &lim));
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    static float big[512];
    const int64_t cd[1] = {512};
    assert_int_equal(oclnn_graph_add_constant(g, "too_big", OCLNN_DTYPE_F32, 1, cd, big), OCLNN_STATUS_LIMIT_EXCEEDED);
    assert_non_null(strstr(oclnn_last_error(ctx), "'too_big' has 2048 bytes"));
    printf("  %-36s -> LIMIT_EXCEEDED: %s\n", "constant over max_tensor_bytes", oclnn_last_error(ctx));
    oclnn_graph_destroy(g);
    /* an input dim above 2^31-1 */
    assert_ok(ctx, oclnn_context_set_limits(ctx, &def));
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    const int64_t wide[2] = {1, 3000000000ll};
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 2, wide));
    const char *xi = "x", *yo = "y";
    assert_ok(ctx, oclnn_graph_add_node(g, "Relu", "r", 1, &xi, 1, &yo, 0, NULL));
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    expect_refusal(ctx, "input dim 3e9", g, OCLNN_STATUS_LIMIT_EXCEEDED, NEEDLES("input 'x'", "2^31-1"));
    /* invalid limits */
    lim = def;
    lim.max_nodes = 0;
    assert_int_equal(oclnn_context_set_limits(ctx, &lim), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_int_equal(oclnn_context_set_limits(ctx, NULL), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_int_equal(oclnn_context_get_limits(NULL, &lim), OCLNN_STATUS_INVALID_ARGUMENT);
    oclnn_context_destroy(ctx);
}

static void test_graph_rules(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    oclnn_graph *g;
    const int64_t xd[2] = {2, 3};
    /* a cycle: a = Relu(b), b = Neg(a) */
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 2, xd));
    const char *ia[2] = {"x", "b"}, *oa = "a", *ib = "a", *ob = "b";
    assert_ok(ctx, oclnn_graph_add_node(g, "Add", "loop_add", 2, ia, 1, &oa, 0, NULL));
    assert_ok(ctx, oclnn_graph_add_node(g, "Relu", "loop_relu", 1, &ib, 1, &ob, 0, NULL));
    assert_ok(ctx, oclnn_graph_add_output(g, "b"));
    expect_refusal(ctx, "cycle", g, OCLNN_STATUS_INVALID_MODEL, NEEDLES("cycle", "loop_"));
    /* two producers of one name */
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 2, xd));
    const char *xi = "x", *yo = "y";
    assert_ok(ctx, oclnn_graph_add_node(g, "Relu", "first", 1, &xi, 1, &yo, 0, NULL));
    assert_int_equal(oclnn_graph_add_node(g, "Sigmoid", "second", 1, &xi, 1, &yo, 0, NULL), OCLNN_STATUS_INVALID_MODEL);
    assert_non_null(strstr(oclnn_last_error(ctx), "'second'"));
    printf("  %-36s -> INVALID_MODEL: %s\n", "two producers", oclnn_last_error(ctx));
    oclnn_graph_destroy(g);
    /* a dangling input and an output nobody produces */
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 2, xd));
    const char *gi = "ghost";
    assert_ok(ctx, oclnn_graph_add_node(g, "Relu", "reads_ghost", 1, &gi, 1, &yo, 0, NULL));
    assert_ok(ctx, oclnn_graph_add_output(g, "y"));
    expect_refusal(ctx, "dangling input", g, OCLNN_STATUS_INVALID_MODEL, NEEDLES("'reads_ghost'", "'ghost'"));
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 2, xd));
    assert_ok(ctx, oclnn_graph_add_node(g, "Relu", "r", 1, &xi, 1, &yo, 0, NULL));
    assert_ok(ctx, oclnn_graph_add_output(g, "never"));
    expect_refusal(ctx, "output never produced", g, OCLNN_STATUS_INVALID_MODEL, NEEDLES("'never'"));
    /* the node limit in the builder, the depth limit at runtime creation */
    oclnn_limits lim;
    assert_ok(ctx, oclnn_context_get_limits(ctx, &lim));
    oclnn_limits small = lim;
    small.max_nodes = 5;
    small.max_depth = 3;
    assert_ok(ctx, oclnn_context_set_limits(ctx, &small));
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 2, xd));
    const char *names[7] = {"x", "v1", "v2", "v3", "v4", "v5", "v6"};
    for (int k = 0; k < 6; k++) {
        char nn[8];
        snprintf(nn, sizeof nn, "n%d", k + 1);
        oclnn_status s = oclnn_graph_add_node(g, "Relu", nn, 1, &names[k], 1, &names[k + 1], 0, NULL);
        if (k < 5)
            assert_ok(ctx, s);
        else {
            assert_int_equal(s, OCLNN_STATUS_LIMIT_EXCEEDED);
            assert_non_null(strstr(oclnn_last_error(ctx), "node 'n6' (Relu) would be node 6"));
            assert_non_null(strstr(oclnn_last_error(ctx), "OCLNN_MAX_NODES) is 5"));
            printf("  %-36s -> LIMIT_EXCEEDED: %s\n", "node limit (builder)", oclnn_last_error(ctx));
        }
    }
    assert_ok(ctx, oclnn_graph_add_output(g, "v5"));
    expect_refusal(ctx, "depth limit", g, OCLNN_STATUS_LIMIT_EXCEEDED,
                   NEEDLES("node 'n4' (Relu)", "4 nodes deep", "OCLNN_MAX_DEPTH) is 3"));
    /* the node limit in the importer, before anything is built: a 6-node ONNX model */
    Onnx__ModelProto m = ONNX__MODEL_PROTO__INIT;
    Onnx__GraphProto gp = ONNX__GRAPH_PROTO__INIT;
    Onnx__OperatorSetIdProto ops = ONNX__OPERATOR_SET_ID_PROTO__INIT, *opp = &ops;
    Onnx__NodeProto nodes[6], *np[6];
    char *ins[6], *outs[6];
    for (int k = 0; k < 6; k++) {
        Onnx__NodeProto init = ONNX__NODE_PROTO__INIT;
        nodes[k] = init;
        nodes[k].op_type = "Relu";
        ins[k] = (char *)names[k];
        outs[k] = (char *)names[k + 1];
        nodes[k].n_input = nodes[k].n_output = 1;
        nodes[k].input = &ins[k];
        nodes[k].output = &outs[k];
        np[k] = &nodes[k];
    }
    ops.domain = "";
    ops.has_version = 1;
    ops.version = 13;
    m.has_ir_version = 1;
    m.ir_version = 8;
    m.n_opset_import = 1;
    m.opset_import = &opp;
    m.graph = &gp;
    gp.n_node = 6;
    gp.node = np;
    size_t len = onnx__model_proto__get_packed_size(&m);
    uint8_t *buf = malloc(len);
    assert_non_null(buf);
    onnx__model_proto__pack(&m, buf);
    assert_int_equal(oclnn_onnx_load_buffer(ctx, buf, len, NULL, &g), OCLNN_STATUS_LIMIT_EXCEEDED);
    assert_null(g);
    assert_non_null(strstr(oclnn_last_error(ctx), "the graph has 6 nodes; the node limit"));
    printf("  %-36s -> LIMIT_EXCEEDED: %s\n", "node limit (ONNX import)", oclnn_last_error(ctx));
    free(buf);
    oclnn_context_destroy(ctx);
}

/* The program cap: 70 parallel max pools of distinct widths (1x1 .. 1x70, each a -DKW= variant) are refused when the
 * 65th configuration is counted, before any program is built (the context's cache saw no request); with a limit of 2,
 * a graph of two configurations (Relu and Sigmoid branches, each twice) passes and one of 1 is refused. */
static void test_program_cap(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(cache_dir);
    enum { BRANCHES = 70 };
    oclnn_graph *g;
    const int64_t xd[4] = {1, 2, 3, 80};
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd));
    for (int k = 1; k <= BRANCHES; k++) {
        char nn[16], out[16];
        snprintf(nn, sizeof nn, "pool%d", k);
        snprintf(out, sizeof out, "y%d", k);
        const int64_t ks[2] = {1, k};
        oclnn_attr a = {0};
        a.name = "kernel_shape";
        a.type = OCLNN_ATTR_INTS;
        a.count = 2;
        a.ints = ks;
        const char *in = "x", *o = out;
        assert_ok(ctx, oclnn_graph_add_node(g, "MaxPool", nn, 1, &in, 1, &o, 1, &a));
        assert_ok(ctx, oclnn_graph_add_output(g, out));
    }
    oclnn_cache_stats before, after;
    assert_ok(ctx, oclnn_context_cache_stats(ctx, &before));
    double t0 = (double)clock() / CLOCKS_PER_SEC;
    expect_refusal(ctx, "70 distinct pool widths", g, OCLNN_STATUS_LIMIT_EXCEEDED,
                   NEEDLES("node 'pool65' (MaxPool)", "kernel configuration 65",
                           "program limit (max_programs, OCLNN_MAX_PROGRAMS) is 64"));
    double t1 = (double)clock() / CLOCKS_PER_SEC;
    assert_ok(ctx, oclnn_context_cache_stats(ctx, &after));
    printf("  refused in %.3f s CPU, %llu programs requested\n", t1 - t0,
           (unsigned long long)(after.memory_hits + after.disk_hits + after.source_builds - before.memory_hits -
                                before.disk_hits - before.source_builds));
    assert_true(after.memory_hits == before.memory_hits && after.disk_hits == before.disk_hits &&
                after.source_builds == before.source_builds);

    oclnn_limits def, lim;
    assert_ok(ctx, oclnn_context_get_limits(ctx, &def));
    for (uint64_t max = 2; max >= 1; max--) {
        lim = def;
        lim.max_programs = max;
        assert_ok(ctx, oclnn_context_set_limits(ctx, &lim));
        assert_ok(ctx, oclnn_graph_create(ctx, &g));
        assert_ok(ctx, oclnn_graph_add_input(g, "x", OCLNN_DTYPE_F32, 4, xd));
        const char *ops[4] = {"Relu", "Relu", "Sigmoid", "Sigmoid"}, *names[4] = {"r0", "r1", "s0", "s1"};
        for (int k = 0; k < 4; k++) {
            const char *in = "x", *o = names[k];
            assert_ok(ctx, oclnn_graph_add_node(g, ops[k], names[k], 1, &in, 1, &o, 0, NULL));
            assert_ok(ctx, oclnn_graph_add_output(g, names[k]));
        }
        if (max == 1) {
            expect_refusal(ctx, "two configurations, limit 1", g, OCLNN_STATUS_LIMIT_EXCEEDED,
                           NEEDLES("node 's0' (Sigmoid)", "kernel configuration 2", "is 1"));
            break;
        }
        oclnn_runtime *rt;
        assert_ok(ctx, oclnn_runtime_create(ctx, g, NULL, &rt));
        oclnn_runtime_stats st;
        assert_ok(ctx, oclnn_runtime_stats_get(rt, &st));
        assert_int_equal(st.programs, 2);
        oclnn_runtime_destroy(rt);
        oclnn_graph_destroy(g);
    }
    lim = def;
    lim.max_programs = 0;
    assert_int_equal(oclnn_context_set_limits(ctx, &lim), OCLNN_STATUS_INVALID_ARGUMENT);
    oclnn_context_destroy(ctx);
}

/* The environment variables, read at context creation. */
static void test_limits_env(void **state) {
    (void)state;
    oclnn_limits def, got;
    oclnn_limits_default(&def);
    assert_true(def.max_tensor_bytes == 16ull << 30 && def.max_arena_bytes == 64ull << 30);
    assert_true(def.max_nodes == 1000000 && def.max_depth == 1000000 && def.max_programs == 64);
    setenv("OCLNN_MAX_TENSOR_MB", "3", 1);
    setenv("OCLNN_MAX_ARENA_MB", "5", 1);
    setenv("OCLNN_MAX_NODES", "77", 1);
    setenv("OCLNN_MAX_DEPTH", "11", 1);
    setenv("OCLNN_MAX_PROGRAMS", "9", 1);
    oclnn_context *ctx = test_context(cache_dir);
    assert_ok(ctx, oclnn_context_get_limits(ctx, &got));
    assert_true(got.max_tensor_bytes == 3ull << 20 && got.max_arena_bytes == 5ull << 20);
    assert_true(got.max_nodes == 77 && got.max_depth == 11 && got.max_programs == 9);
    oclnn_context_destroy(ctx);
    unsetenv("OCLNN_MAX_PROGRAMS");
    const char *vars[5] = {"OCLNN_MAX_TENSOR_MB", "OCLNN_MAX_ARENA_MB", "OCLNN_MAX_NODES", "OCLNN_MAX_DEPTH",
                           "OCLNN_MAX_PROGRAMS"};
    const char *bad[5] = {"0", "-3", "12x", "99999999999999", "0x10"};
    for (int v = 0; v < 5; v++) {
        oclnn_context_options o;
        test_options(&o, cache_dir);
        setenv(vars[v], bad[v], 1);
        ctx = (oclnn_context *)0x1;
        assert_int_equal(oclnn_context_create(&o, &ctx), OCLNN_STATUS_INVALID_ARGUMENT);
        assert_null(ctx);
        assert_non_null(strstr(oclnn_last_error(NULL), vars[v]));
        printf("  %s=%s -> INVALID_ARGUMENT: %s\n", vars[v], bad[v], oclnn_last_error(NULL));
        unsetenv(vars[v]);
    }
}

/* 100,000 nodes in a chain (Mul by -1, one Relu): built, planned and run without recursion or quadratic work; the same
 * chain under a node limit of 50,000 is refused when the 50,001st node is added. */
static void test_long_chain(void **state) {
    (void)state;
    enum { FULL = 100000 };
    oclnn_context *ctx = test_context(cache_dir);
    /* slow devices (rusticl on llvmpipe: over 8 minutes for 100,000 kernels) run a 2,000-node chain; the 100,000-node
     * build and its refusal by the node limit below are host work and run everywhere */
    const int N = test_device_is_slow(ctx) ? 2000 : FULL;
    oclnn_graph *g;
    const int64_t xd[2] = {1, 7};
    double t0 = (double)clock() / CLOCKS_PER_SEC;
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    assert_ok(ctx, oclnn_graph_add_input(g, "v0", OCLNN_DTYPE_F32, 2, xd));
    const float minus_one = -1.0f;
    const int64_t one = 1;
    assert_ok(ctx, oclnn_graph_add_constant(g, "m1", OCLNN_DTYPE_F32, 1, &one, &minus_one));
    char in[16], out[16], nn[16];
    for (int k = 0; k < N; k++) {
        snprintf(in, sizeof in, "v%d", k);
        snprintf(out, sizeof out, "v%d", k + 1);
        snprintf(nn, sizeof nn, "n%d", k);
        const char *pi[2] = {in, "m1"}, *po = out;
        /* products by -1, with one Relu in the middle: y = -relu(x), and any node skipped or run twice flips the
         * sign */
        if (k == N / 2)
            assert_ok(ctx, oclnn_graph_add_node(g, "Relu", nn, 1, pi, 1, &po, 0, NULL));
        else
            assert_ok(ctx, oclnn_graph_add_node(g, "Mul", nn, 2, pi, 1, &po, 0, NULL));
    }
    assert_ok(ctx, oclnn_graph_add_output(g, out));
    double t1 = (double)clock() / CLOCKS_PER_SEC;
    oclnn_runtime *rt;
    assert_ok(ctx, oclnn_runtime_create(ctx, g, NULL, &rt));
    double t2 = (double)clock() / CLOCKS_PER_SEC;
    const float x[7] = {-3, -1, -0.5f, 0, 0.25f, 2, 7};
    float y[7];
    assert_ok(ctx, oclnn_runtime_set_input(rt, "v0", x, sizeof x));
    assert_ok(ctx, oclnn_runtime_invoke(rt));
    assert_ok(ctx, oclnn_runtime_get_output(rt, out, y, sizeof y));
    double t3 = (double)clock() / CLOCKS_PER_SEC;
    oclnn_runtime_stats stats;
    assert_ok(ctx, oclnn_runtime_stats_get(rt, &stats));
    printf("  %d-node chain: build %.2f s, runtime_create %.2f s, invoke %.2f s (CPU), %u steps, arena %llu bytes\n", N,
           t1 - t0, t2 - t1, t3 - t2, stats.steps, (unsigned long long)stats.arena_bytes);
    assert_int_equal(stats.steps, N - 1); /* the Relu is fused into the Mul before it */
    /* 50,000 negations (even: x), the Relu, 49,999 negations (odd): exactly -relu(x) */
    for (int i = 0; i < 7; i++)
        if (y[i] != -(x[i] > 0 ? x[i] : 0.0f))
            fail_msg("chain output %d is %g, not %g", i, (double)y[i], (double)-x[i]);
    oclnn_runtime_destroy(rt);
    /* two live buffers at a time: the plan is two aligned 28-byte slots, not 100,000 */
    assert_true(stats.arena_bytes <= 2 * 1024);
    oclnn_graph_destroy(g);

    oclnn_limits lim;
    assert_ok(ctx, oclnn_context_get_limits(ctx, &lim));
    lim.max_nodes = FULL / 2;
    assert_ok(ctx, oclnn_context_set_limits(ctx, &lim));
    assert_ok(ctx, oclnn_graph_create(ctx, &g));
    assert_ok(ctx, oclnn_graph_add_input(g, "v0", OCLNN_DTYPE_F32, 2, xd));
    oclnn_status s = OCLNN_STATUS_OK;
    int k = 0;
    for (; k < FULL && !s; k++) {
        snprintf(in, sizeof in, "v%d", k);
        snprintf(out, sizeof out, "v%d", k + 1);
        const char *pi = in, *po = out;
        s = oclnn_graph_add_node(g, "Relu", NULL, 1, &pi, 1, &po, 0, NULL);
    }
    assert_int_equal(s, OCLNN_STATUS_LIMIT_EXCEEDED);
    assert_int_equal(k, FULL / 2 + 1);
    printf("  %d-node chain under max_nodes %d -> LIMIT_EXCEEDED: %s\n", FULL, FULL / 2, oclnn_last_error(ctx));
    oclnn_graph_destroy(g);
    oclnn_context_destroy(ctx);
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    cache_dir = test_tmpdir("hostile-cache");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attribute_rules), cmocka_unit_test(test_shape_limits), cmocka_unit_test(test_graph_rules),
        cmocka_unit_test(test_limits_env),      cmocka_unit_test(test_long_chain),
        cmocka_unit_test(test_program_cap),
    };
    if (getenv("TEST_HOSTILE_FILTER")) cmocka_set_test_filter(getenv("TEST_HOSTILE_FILTER"));
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    return r || clw_live_objects() != 0;
}
