/* test_onnx_import.c - the ONNX importer (lib/onnx): ModelProtos built here with the generated protobuf-c structs,
 * serialized and loaded, then the IR checked value by value (dims, data, attributes, op sets, inputs/outputs,
 * Constant handling, dtype widening, external data); the real PP-OCRv4 detector against numbers from the onnx
 * Python package; TensorProto files written by onnx.numpy_helper; a negative table of exact statuses and message
 * substrings; every truncated prefix of a model; an out-of-memory sweep. Data must match exactly (it is copied
 * or widened, never computed).
 */
#include "common.h"

#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include "device/clw.h"
#include "graph/ir.h"
#include "onnx.pb-c.h"
#include "onnx/onnx_tensor.h"

static oclnn_context *ctx;
static const char *tmp;

/* ---- building ModelProtos ---- */

#define TM_MAX 48

typedef struct tmodel {
    Onnx__ModelProto m;
    Onnx__GraphProto g;
    Onnx__OperatorSetIdProto ops[2], *opp[2];
    Onnx__NodeProto nodes[TM_MAX], *np[TM_MAX];
    Onnx__AttributeProto attrs[TM_MAX], *ap[TM_MAX];
    size_t nattrs;
    Onnx__TensorProto tensors[TM_MAX], *tp[TM_MAX];
    size_t ntensors;
    Onnx__ValueInfoProto vis[TM_MAX], *inp[TM_MAX], *outp[TM_MAX];
    size_t nvis;
    Onnx__TypeProto types[TM_MAX];
    Onnx__TypeProto__Tensor tts[TM_MAX];
    Onnx__TensorShapeProto shapes[TM_MAX];
    Onnx__TensorShapeProto__Dimension dims[TM_MAX][9], *dimp[TM_MAX][9];
    char *strs[4 * TM_MAX];
    size_t nstrs;
    int64_t i64s[4 * TM_MAX];
    size_t ni64;
    Onnx__StringStringEntryProto ext[TM_MAX], *extp[TM_MAX];
    size_t next;
} tmodel;

static tmodel *tm_new(int64_t opset) {
    tmodel *t = calloc(1, sizeof *t);
    assert_non_null(t);
    Onnx__ModelProto m = ONNX__MODEL_PROTO__INIT;
    Onnx__GraphProto g = ONNX__GRAPH_PROTO__INIT;
    Onnx__OperatorSetIdProto o = ONNX__OPERATOR_SET_ID_PROTO__INIT;
    t->m = m;
    t->g = g;
    t->m.has_ir_version = 1;
    t->m.ir_version = 8;
    t->m.graph = &t->g;
    t->g.name = "test";
    t->g.node = t->np;
    t->g.initializer = t->tp;
    t->g.input = t->inp;
    t->g.output = t->outp;
    t->ops[0] = o;
    t->ops[0].domain = "";
    t->ops[0].has_version = 1;
    t->ops[0].version = opset;
    t->opp[0] = &t->ops[0];
    t->m.opset_import = t->opp;
    t->m.n_opset_import = 1;
    return t;
}

static char **tm_strs(tmodel *t, size_t n, const char *const *s) {
    assert_true(t->nstrs + n <= 4 * TM_MAX);
    char **p = &t->strs[t->nstrs];
    for (size_t i = 0; i < n; i++)
        p[i] = (char *)s[i];
    t->nstrs += n;
    return p;
}

static int64_t *tm_i64(tmodel *t, size_t n, const int64_t *v) {
    assert_true(t->ni64 + n <= 4 * TM_MAX);
    int64_t *p = &t->i64s[t->ni64];
    memcpy(p, v, n * sizeof *v);
    t->ni64 += n;
    return p;
}

static Onnx__NodeProto *tm_node(tmodel *t, const char *op, const char *name, size_t nin, const char *const *in,
                                size_t nout, const char *const *out) {
    assert_true(t->g.n_node < TM_MAX);
    Onnx__NodeProto init = ONNX__NODE_PROTO__INIT;
    Onnx__NodeProto *n = &t->nodes[t->g.n_node];
    *n = init;
    n->op_type = (char *)op;
    n->name = (char *)name;
    n->n_input = nin;
    n->input = tm_strs(t, nin, in);
    n->n_output = nout;
    n->output = tm_strs(t, nout, out);
    t->np[t->g.n_node++] = n;
    return n;
}

static Onnx__AttributeProto *tm_attr(tmodel *t, Onnx__NodeProto *n, const char *name,
                                     Onnx__AttributeProto__AttributeType type) {
    assert_true(t->nattrs < TM_MAX);
    Onnx__AttributeProto init = ONNX__ATTRIBUTE_PROTO__INIT;
    Onnx__AttributeProto *a = &t->attrs[t->nattrs];
    *a = init;
    a->name = (char *)name;
    a->has_type = 1;
    a->type = type;
    t->ap[t->nattrs++] = a;
    if (!n->n_attribute) n->attribute = &t->ap[t->nattrs - 1];
    assert_true(n->attribute + n->n_attribute == &t->ap[t->nattrs - 1]); /* a node's attributes are added together */
    n->n_attribute++;
    return a;
}

static void tm_attr_int(tmodel *t, Onnx__NodeProto *n, const char *name, int64_t v) {
    Onnx__AttributeProto *a = tm_attr(t, n, name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT);
    a->has_i = 1;
    a->i = v;
}

static void tm_attr_ints(tmodel *t, Onnx__NodeProto *n, const char *name, size_t cnt, const int64_t *v) {
    Onnx__AttributeProto *a = tm_attr(t, n, name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS);
    a->n_ints = cnt;
    a->ints = tm_i64(t, cnt, v);
}

/* A tensor (not yet placed anywhere): float data as raw little-endian bytes or float_data. */
static Onnx__TensorProto *tm_tensor(tmodel *t, const char *name, int32_t type, size_t ndim, const int64_t *dims) {
    assert_true(t->ntensors < TM_MAX);
    Onnx__TensorProto init = ONNX__TENSOR_PROTO__INIT;
    Onnx__TensorProto *x = &t->tensors[t->ntensors++];
    *x = init;
    x->name = (char *)name;
    x->has_data_type = 1;
    x->data_type = type;
    x->n_dims = ndim;
    x->dims = tm_i64(t, ndim, dims);
    return x;
}

static void tm_raw(Onnx__TensorProto *x, const void *data, size_t bytes) {
    x->has_raw_data = 1;
    x->raw_data.len = bytes;
    x->raw_data.data = (uint8_t *)data;
}

static void tm_add_init(tmodel *t, Onnx__TensorProto *x) { t->tp[t->g.n_initializer++] = x; }

/* A value info; dims of -1 become dim_param @p sym (or no value at all when sym is NULL). */
static Onnx__ValueInfoProto *tm_vi(tmodel *t, const char *name, int32_t elem, size_t ndim, const int64_t *dims,
                                   const char *sym) {
    assert_true(t->nvis < TM_MAX && ndim <= 9);
    size_t k = t->nvis++;
    Onnx__ValueInfoProto vi = ONNX__VALUE_INFO_PROTO__INIT;
    Onnx__TypeProto ty = ONNX__TYPE_PROTO__INIT;
    Onnx__TypeProto__Tensor tt = ONNX__TYPE_PROTO__TENSOR__INIT;
    Onnx__TensorShapeProto sh = ONNX__TENSOR_SHAPE_PROTO__INIT;
    t->vis[k] = vi;
    t->types[k] = ty;
    t->tts[k] = tt;
    t->shapes[k] = sh;
    t->vis[k].name = (char *)name;
    t->vis[k].type = &t->types[k];
    t->types[k].value_case = ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE;
    t->types[k].tensor_type = &t->tts[k];
    t->tts[k].has_elem_type = 1;
    t->tts[k].elem_type = elem;
    t->tts[k].shape = &t->shapes[k];
    t->shapes[k].n_dim = ndim;
    t->shapes[k].dim = t->dimp[k];
    for (size_t d = 0; d < ndim; d++) {
        Onnx__TensorShapeProto__Dimension di = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__INIT;
        t->dims[k][d] = di;
        if (dims[d] >= 0) {
            t->dims[k][d].value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE;
            t->dims[k][d].dim_value = dims[d];
        } else if (sym) {
            t->dims[k][d].value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM;
            t->dims[k][d].dim_param = (char *)sym;
        }
        t->dimp[k][d] = &t->dims[k][d];
    }
    return &t->vis[k];
}

static void tm_input(tmodel *t, const char *name, int32_t elem, size_t ndim, const int64_t *dims, const char *sym) {
    t->inp[t->g.n_input++] = tm_vi(t, name, elem, ndim, dims, sym);
}

static void tm_output(tmodel *t, const char *name) {
    int64_t d = 1;
    t->outp[t->g.n_output++] = tm_vi(t, name, ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT, 1, &d, NULL);
}

static void tm_external(tmodel *t, Onnx__TensorProto *x, const char *loc, const char *offset, const char *length) {
    const char *keys[3] = {"location", "offset", "length"}, *vals[3] = {loc, offset, length};
    x->has_data_location = 1;
    x->data_location = ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL;
    x->external_data = &t->extp[t->next];
    for (int i = 0; i < 3; i++) {
        if (!vals[i]) continue;
        Onnx__StringStringEntryProto e = ONNX__STRING_STRING_ENTRY_PROTO__INIT;
        t->ext[t->next] = e;
        t->ext[t->next].key = (char *)keys[i];
        t->ext[t->next].value = (char *)vals[i];
        t->extp[t->next] = &t->ext[t->next];
        t->next++;
        x->n_external_data++;
    }
}

static uint8_t *tm_pack(tmodel *t, size_t *len) {
    *len = onnx__model_proto__get_packed_size(&t->m);
    uint8_t *buf = malloc(*len ? *len : 1);
    assert_non_null(buf);
    assert_int_equal(onnx__model_proto__pack(&t->m, buf), *len);
    return buf;
}

static oclnn_status load_tm(tmodel *t, const char *base_dir, oclnn_graph **g) {
    size_t len;
    uint8_t *buf = tm_pack(t, &len);
    oclnn_status s = oclnn_onnx_load_buffer(ctx, buf, len, base_dir, g);
    free(buf);
    return s;
}

static const oclnn_ir_value *val(const oclnn_graph *g, const char *name) {
    int i = oclnn_ir_find(g, name);
    if (i < 0) fail_msg("value '%s' is missing", name);
    return &g->values[i];
}

static const oclnn_ir_node *node_by_op(const oclnn_graph *g, const char *op) {
    for (size_t i = 0; i < g->num_nodes; i++)
        if (!strcmp(g->nodes[i].op_type, op)) return &g->nodes[i];
    fail_msg("no %s node", op);
    return NULL;
}

/* ---- the standard model: conv, made-up names, omitted inputs, Constant forms, tensor attributes ---- */

#define WN (4 * 3 * 1 * 1)
static float w_data[WN], b_data[4] = {0.5f, -1.25f, 3.0f, 1e-3f}, scales_data[4] = {1, 1, 2, 2};
static const int32_t cos_value[1] = {-7};

static tmodel *standard_model(void) {
    uint64_t seed = TEST_SEED;
    for (int i = 0; i < WN; i++)
        w_data[i] = test_rand_float(&seed, -1, 1);
    tmodel *t = tm_new(13);
    const int64_t xd[4] = {-1, 3, -1, 5};
    tm_input(t, "x", ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT, 4, xd, NULL);
    t->dims[0][0].value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM; /* dim 0 symbolic, 2 bare */
    t->dims[0][0].dim_param = "batch";
    const int64_t wd[4] = {4, 3, 1, 1}, bd[1] = {4}, sd[1] = {4};
    Onnx__TensorProto *w = tm_tensor(t, "W", ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT, 4, wd);
    tm_raw(w, w_data, sizeof w_data); /* the host is little-endian, as raw_data is */
    tm_add_init(t, w);
    tm_input(t, "W", ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT, 4, wd, NULL); /* old exporters list weights as inputs */
    Onnx__TensorProto *b = tm_tensor(t, "B", ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT, 1, bd);
    b->n_float_data = 4;
    b->float_data = b_data;
    tm_add_init(t, b);
    Onnx__TensorProto *sc = tm_tensor(t, "scales", ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT, 1, sd);
    tm_raw(sc, scales_data, sizeof scales_data);
    tm_add_init(t, sc);

    /* Mul comes before the Relu that produces its input: define-before-use is not required */
    Onnx__NodeProto *mul = tm_node(t, "Mul", "mul0", 2, (const char *[]){"r", "k"}, 1, (const char *[]){"m"});
    (void)mul;
    Onnx__NodeProto *conv = tm_node(t, "Conv", "conv0", 3, (const char *[]){"x", "W", "B"}, 1, (const char *[]){"c"});
    const int64_t ks[2] = {1, 1}, pads[4] = {0, 0, 0, 0};
    tm_attr_ints(t, conv, "kernel_shape", 2, ks);
    tm_attr_ints(t, conv, "pads", 4, pads);
    tm_attr_int(t, conv, "group", 1);
    Onnx__AttributeProto *ap = tm_attr(t, conv, "auto_pad", ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING);
    ap->has_s = 1;
    ap->s.data = (uint8_t *)"NOTSET";
    ap->s.len = 6;
    Onnx__NodeProto *relu = tm_node(t, "LeakyRelu", "", 1, (const char *[]){"c"}, 1, (const char *[]){"r"});
    Onnx__AttributeProto *al = tm_attr(t, relu, "alpha", ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT);
    al->has_f = 1;
    al->f = 0.125f;
    Onnx__NodeProto *k = tm_node(t, "Constant", "const_k", 0, NULL, 1, (const char *[]){"k"});
    Onnx__AttributeProto *kv = tm_attr(t, k, "value_float", ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT);
    kv->has_f = 1;
    kv->f = 0.5f;
    Onnx__NodeProto *shc = tm_node(t, "Constant", "", 0, NULL, 1, (const char *[]){"shape_c"});
    const int64_t shv[2] = {1, -1};
    tm_attr_ints(t, shc, "value_ints", 2, shv);
    Onnx__NodeProto *vc = tm_node(t, "Constant", "const_v", 0, NULL, 1, (const char *[]){"vec"});
    Onnx__AttributeProto *va = tm_attr(t, vc, "value", ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR);
    const int64_t vd[2] = {2, 2};
    va->t = tm_tensor(t, "", ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE, 2, vd);
    static double vdata[4] = {1.5, -2.25, 1e30, 3.0};
    va->t->n_double_data = 4;
    va->t->double_data = vdata;
    tm_node(t, "Resize", "resize0", 3, (const char *[]){"m", "", "scales"}, 1, (const char *[]){"y"});
    tm_node(t, "Identity", "id0", 1, (const char *[]){"W"}, 1, (const char *[]){"W2"});
    Onnx__NodeProto *cos =
        tm_node(t, "ConstantOfShape", "cos0", 1, (const char *[]){"shape_c"}, 1, (const char *[]){"z"});
    Onnx__AttributeProto *ca = tm_attr(t, cos, "value", ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR);
    const int64_t cd[1] = {1};
    ca->t = tm_tensor(t, "", ONNX__TENSOR_PROTO__DATA_TYPE__INT32, 1, cd);
    tm_raw(ca->t, cos_value, sizeof cos_value);
    tm_node(t, "Add", "add0", 2, (const char *[]){"vec", "vec"}, 1, (const char *[]){"v2"});
    tm_output(t, "y");
    tm_output(t, "W2");
    tm_output(t, "z");
    tm_output(t, "v2");
    return t;
}

static tmodel *small_model(void);

static void test_standard_model(void **state) {
    (void)state;
    tmodel *t = standard_model();
    oclnn_graph *g;
    assert_ok(ctx, load_tm(t, NULL, &g));
    assert_int_equal(g->opset, 13);
    /* inputs: x only (W is an initializer) */
    assert_int_equal(oclnn_graph_num_inputs(g), 1);
    assert_string_equal(oclnn_graph_input_name(g, 0), "x");
    const oclnn_ir_value *x = val(g, "x");
    assert_int_equal(x->kind, OCLNN_IR_INPUT);
    assert_int_equal(x->dtype, OCLNN_DTYPE_F32);
    assert_int_equal(x->ndim, 4);
    const int64_t xd[4] = {-1, 3, -1, 5};
    for (int d = 0; d < 4; d++)
        assert_int_equal(x->dims[d], xd[d]);
    assert_string_equal(x->dim_param[0], "batch");
    assert_string_equal(x->dim_param[2], "?");
    assert_null(x->dim_param[1]);
    /* constants, exact */
    const oclnn_ir_value *w = val(g, "W");
    assert_int_equal(w->kind, OCLNN_IR_CONSTANT);
    assert_int_equal(w->ndim, 4);
    assert_int_equal(w->nbytes, sizeof w_data);
    assert_memory_equal(w->data, w_data, sizeof w_data);
    const oclnn_ir_value *b = val(g, "B");
    assert_int_equal(b->nbytes, sizeof b_data);
    assert_memory_equal(b->data, b_data, sizeof b_data);
    const oclnn_ir_value *k = val(g, "k");
    assert_int_equal(k->kind, OCLNN_IR_CONSTANT);
    assert_int_equal(k->ndim, 0);
    assert_int_equal(k->dtype, OCLNN_DTYPE_F32);
    assert_true(((float *)k->data)[0] == 0.5f);
    const oclnn_ir_value *sc = val(g, "shape_c");
    assert_int_equal(sc->dtype, OCLNN_DTYPE_I64);
    assert_int_equal(sc->ndim, 1);
    assert_int_equal(sc->dims[0], 2);
    assert_int_equal(((int64_t *)sc->data)[0], 1);
    assert_int_equal(((int64_t *)sc->data)[1], -1);
    const oclnn_ir_value *vec = val(g, "vec");
    assert_int_equal(vec->dtype, OCLNN_DTYPE_F32); /* DOUBLE narrowed */
    assert_int_equal(vec->ndim, 2);
    const double vref[4] = {1.5, -2.25, 1e30, 3.0};
    for (int i = 0; i < 4; i++)
        assert_true(((float *)vec->data)[i] == (float)vref[i]);
    /* nodes: the three Constants are values, not nodes */
    assert_int_equal(g->num_nodes, 7);
    const char *ops[7] = {"Mul", "Conv", "LeakyRelu", "Resize", "Identity", "ConstantOfShape", "Add"};
    for (int i = 0; i < 7; i++) {
        assert_string_equal(g->nodes[i].op_type, ops[i]);
        assert_int_equal(g->nodes[i].opset, 13);
        assert_string_equal(g->nodes[i].domain, "");
        assert_true(g->nodes[i].name && *g->nodes[i].name);
    }
    for (int i = 0; i < 7; i++)
        for (int j = 0; j < i; j++)
            assert_string_not_equal(g->nodes[i].name, g->nodes[j].name);
    const oclnn_ir_node *conv = node_by_op(g, "Conv");
    assert_string_equal(conv->name, "conv0");
    assert_int_equal(conv->num_inputs, 3);
    assert_int_equal(conv->inputs[0], oclnn_ir_find(g, "x"));
    assert_int_equal(conv->inputs[1], oclnn_ir_find(g, "W"));
    assert_int_equal(conv->inputs[2], oclnn_ir_find(g, "B"));
    size_t cnt;
    const int64_t *ks = oclnn_ir_attr_ints(conv, "kernel_shape", &cnt);
    assert_int_equal(cnt, 2);
    assert_int_equal(ks[0], 1);
    assert_int_equal(ks[1], 1);
    oclnn_ir_attr_ints(conv, "pads", &cnt);
    assert_int_equal(cnt, 4);
    assert_int_equal(oclnn_ir_attr_int(conv, "group", -5), 1);
    assert_string_equal(oclnn_ir_attr_string(conv, "auto_pad", ""), "NOTSET");
    const oclnn_ir_node *lr = node_by_op(g, "LeakyRelu");
    assert_true(oclnn_ir_attr_float(lr, "alpha", 0) == 0.125f);
    assert_int_equal(val(g, "c")->producer, conv - g->nodes);
    assert_int_equal(val(g, "r")->producer, lr - g->nodes);
    const oclnn_ir_node *rs = node_by_op(g, "Resize");
    assert_int_equal(rs->num_inputs, 3);
    assert_int_equal(rs->inputs[1], -1);
    assert_int_equal(rs->inputs[2], oclnn_ir_find(g, "scales"));
    /* ConstantOfShape's value: a constant that is not an edge */
    const oclnn_ir_node *cs = node_by_op(g, "ConstantOfShape");
    const oclnn_ir_attr *cv = oclnn_ir_attr_find(cs, "value");
    assert_non_null(cv);
    assert_int_equal(cv->type, OCLNN_IR_ATTR_TENSOR);
    assert_true(cv->tensor >= 0 && (size_t)cv->tensor < g->num_values);
    const oclnn_ir_value *ct = &g->values[cv->tensor];
    assert_int_equal(ct->kind, OCLNN_IR_CONSTANT);
    assert_int_equal(ct->dtype, OCLNN_DTYPE_I32);
    assert_int_equal(((int32_t *)ct->data)[0], -7);
    for (size_t i = 0; i < g->num_nodes; i++)
        for (size_t j = 0; j < g->nodes[i].num_inputs; j++)
            assert_int_not_equal(g->nodes[i].inputs[j], cv->tensor);
    /* outputs in order */
    assert_int_equal(oclnn_graph_num_outputs(g), 4);
    const char *outs[4] = {"y", "W2", "z", "v2"};
    for (int i = 0; i < 4; i++) {
        assert_string_equal(oclnn_graph_output_name(g, (size_t)i), outs[i]);
        assert_true(val(g, outs[i])->is_output);
    }
    assert_false(val(g, "m")->is_output);
    /* the IR is consistent: a topological order exists */
    int *order;
    size_t n;
    assert_ok(ctx, oclnn_ir_topo_order(g, &order, &n));
    assert_int_equal(n, 7);
    free(order);
    oclnn_graph_destroy(g);
    free(t);
}

/* ---- every dtype the importer holds, from raw bytes and from the typed fields ---- */

static void test_dtypes(void **state) {
    (void)state;
    tmodel *t = tm_new(18);
    const int64_t d3[1] = {3}, d2[1] = {2};
    static const int8_t i8[3] = {-3, 5, 127};
    static const uint8_t b1[3] = {1, 0, 7}; /* any non-zero byte is true */
    static const int16_t i16[3] = {-32768, 1, 32767};
    static const int32_t i32[3] = {INT32_MIN, -1, INT32_MAX};
    static const int64_t i64[3] = {INT64_MIN, -1, (int64_t)1 << 40};
    static const double dbl[2] = {0.1, -3.5e38};
    static int32_t u8_typed[3] = {0, 200, 255}, u16_typed[3] = {0, 40000, 65535}, f16_typed[2] = {0x3c00, 0xc000};
    static const uint16_t f16_raw[2] = {0x7bff, 0x0001};
    static int64_t i64_typed[2] = {-5, 9};
    struct {
        const char *name;
        int32_t type;
        const void *raw;
        size_t raw_bytes;
        const int64_t *dims;
    } raws[] = {
        {"i8", ONNX__TENSOR_PROTO__DATA_TYPE__INT8, i8, sizeof i8, d3},
        {"b1", ONNX__TENSOR_PROTO__DATA_TYPE__BOOL, b1, sizeof b1, d3},
        {"i16", ONNX__TENSOR_PROTO__DATA_TYPE__INT16, i16, sizeof i16, d3},
        {"i32", ONNX__TENSOR_PROTO__DATA_TYPE__INT32, i32, sizeof i32, d3},
        {"i64", ONNX__TENSOR_PROTO__DATA_TYPE__INT64, i64, sizeof i64, d3},
        {"dbl", ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE, dbl, sizeof dbl, d2},
        {"f16r", ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT16, f16_raw, sizeof f16_raw, d2},
    };
    char names[16][16];
    int nn = 0;
    for (size_t i = 0; i < sizeof raws / sizeof raws[0]; i++) {
        Onnx__TensorProto *x = tm_tensor(t, raws[i].name, raws[i].type, 1, raws[i].dims);
        tm_raw(x, raws[i].raw, raws[i].raw_bytes);
        tm_add_init(t, x);
    }
    Onnx__TensorProto *x = tm_tensor(t, "u8t", ONNX__TENSOR_PROTO__DATA_TYPE__UINT8, 1, d3);
    x->n_int32_data = 3;
    x->int32_data = u8_typed;
    tm_add_init(t, x);
    x = tm_tensor(t, "u16t", ONNX__TENSOR_PROTO__DATA_TYPE__UINT16, 1, d3);
    x->n_int32_data = 3;
    x->int32_data = u16_typed;
    tm_add_init(t, x);
    x = tm_tensor(t, "f16t", ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT16, 1, d2);
    x->n_int32_data = 2;
    x->int32_data = f16_typed;
    tm_add_init(t, x);
    x = tm_tensor(t, "i64t", ONNX__TENSOR_PROTO__DATA_TYPE__INT64, 1, d2);
    x->n_int64_data = 2;
    x->int64_data = i64_typed;
    tm_add_init(t, x);
    /* an unused string tensor is dropped without complaint; so is an unused BFLOAT16 one */
    x = tm_tensor(t, "unused_str", ONNX__TENSOR_PROTO__DATA_TYPE__STRING, 1, d2);
    tm_add_init(t, x);
    x = tm_tensor(t, "unused_bf16", ONNX__TENSOR_PROTO__DATA_TYPE__BFLOAT16, 1, d2);
    tm_input(t, "unused_bf16", ONNX__TENSOR_PROTO__DATA_TYPE__BFLOAT16, 1, d2, NULL); /* listed as an input too */
    tm_raw(x, f16_raw, sizeof f16_raw);
    tm_add_init(t, x);
    const char *used[] = {"i8", "b1", "i16", "i32", "i64", "dbl", "f16r", "u8t", "u16t", "f16t", "i64t"};
    for (size_t i = 0; i < sizeof used / sizeof used[0]; i++) {
        snprintf(names[nn], sizeof names[nn], "o_%s", used[i]);
        tm_node(t, "Identity", NULL, 1, &used[i], 1, (const char *const[]){names[nn]});
        tm_output(t, names[nn]);
        nn++;
    }
    oclnn_graph *g;
    assert_ok(ctx, load_tm(t, NULL, &g));
    assert_int_equal(oclnn_ir_find(g, "unused_str"), -1);
    assert_int_equal(oclnn_ir_find(g, "unused_bf16"), -1);
    assert_int_equal(oclnn_graph_num_inputs(g), 0);
    const struct {
        const char *name;
        oclnn_dtype dtype;
        int64_t iv[3];
        size_t n;
    } ints[] = {
        {"i8", OCLNN_DTYPE_I32, {-3, 5, 127}, 3},
        {"b1", OCLNN_DTYPE_I32, {1, 0, 1}, 3},
        {"i16", OCLNN_DTYPE_I32, {-32768, 1, 32767}, 3},
        {"i32", OCLNN_DTYPE_I32, {INT32_MIN, -1, INT32_MAX}, 3},
        {"u8t", OCLNN_DTYPE_I32, {0, 200, 255}, 3},
        {"u16t", OCLNN_DTYPE_I32, {0, 40000, 65535}, 3},
        {"i64", OCLNN_DTYPE_I64, {INT64_MIN, -1, (int64_t)1 << 40}, 3},
        {"i64t", OCLNN_DTYPE_I64, {-5, 9, 0}, 2},
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        const oclnn_ir_value *v = val(g, ints[i].name);
        assert_int_equal(v->dtype, ints[i].dtype);
        assert_int_equal(v->dims[0], (int64_t)ints[i].n);
        assert_int_equal(v->nbytes, ints[i].n * oclnn_dtype_size(ints[i].dtype));
        for (size_t e = 0; e < ints[i].n; e++) {
            int64_t got = v->dtype == OCLNN_DTYPE_I32 ? ((int32_t *)v->data)[e] : ((int64_t *)v->data)[e];
            if (got != ints[i].iv[e])
                fail_msg("%s[%zu] = %lld, expected %lld", ints[i].name, e, (long long)got, (long long)ints[i].iv[e]);
        }
    }
    const oclnn_ir_value *v = val(g, "dbl");
    assert_int_equal(v->dtype, OCLNN_DTYPE_F32);
    assert_true(((float *)v->data)[0] == (float)0.1 && ((float *)v->data)[1] == (float)-3.5e38);
    v = val(g, "f16r");
    assert_int_equal(v->dtype, OCLNN_DTYPE_F16);
    assert_int_equal(((uint16_t *)v->data)[0], 0x7bff);
    assert_int_equal(((uint16_t *)v->data)[1], 0x0001);
    v = val(g, "f16t");
    assert_int_equal(((uint16_t *)v->data)[0], 0x3c00);
    assert_int_equal(((uint16_t *)v->data)[1], 0xc000);
    oclnn_graph_destroy(g);
    free(t);
}

/* ---- external data ---- */

static void write_file(const char *path, const void *data, size_t n) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static float ext_data[7 * 3];

/* A model whose one initializer "E" [7,3] lives at @p loc (offset and length strings may be NULL). */
static tmodel *external_model(const char *loc, const char *offset, const char *length) {
    tmodel *t = tm_new(11);
    const int64_t d[2] = {7, 3};
    Onnx__TensorProto *x = tm_tensor(t, "E", ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT, 2, d);
    tm_external(t, x, loc, offset, length);
    tm_add_init(t, x);
    tm_node(t, "Relu", "relu_e", 1, (const char *[]){"E"}, 1, (const char *[]){"y"});
    tm_output(t, "y");
    return t;
}

static void make_external_files(char *dir, size_t size) {
    snprintf(dir, size, "%s/ext", tmp);
    mkdir(dir, 0755);
    char path[1024], sub[1024];
    uint64_t seed = TEST_SEED + 7;
    for (size_t i = 0; i < 7 * 3; i++)
        ext_data[i] = test_rand_float(&seed, -5, 5);
    uint8_t buf[16 + sizeof ext_data];
    memset(buf, 0xAB, sizeof buf);
    memcpy(buf + 16, ext_data, sizeof ext_data);
    snprintf(path, sizeof path, "%s/weights.bin", dir);
    write_file(path, buf, sizeof buf);
    snprintf(sub, sizeof sub, "%s/sub", dir);
    mkdir(sub, 0755);
    snprintf(path, sizeof path, "%s/sub/w.bin", dir);
    write_file(path, ext_data, sizeof ext_data);
    /* outside the model folder, and a link to it from inside */
    snprintf(path, sizeof path, "%s/outside.bin", tmp);
    write_file(path, ext_data, sizeof ext_data);
    snprintf(sub, sizeof sub, "%s/link.bin", dir);
    unlink(sub);
    assert_int_equal(symlink(path, sub), 0);
}

static void test_external_data(void **state) {
    (void)state;
    char dir[512];
    make_external_files(dir, sizeof dir);
    const struct {
        const char *loc, *offset, *length;
    } ok[] = {{"weights.bin", "16", "84"}, {"sub/w.bin", NULL, NULL}, {"./sub/w.bin", "0", NULL}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        tmodel *t = external_model(ok[i].loc, ok[i].offset, ok[i].length);
        oclnn_graph *g;
        assert_ok(ctx, load_tm(t, dir, &g));
        const oclnn_ir_value *e = val(g, "E");
        assert_int_equal(e->nbytes, sizeof ext_data);
        assert_memory_equal(e->data, ext_data, sizeof ext_data);
        oclnn_graph_destroy(g);
        /* load_file finds it next to the model */
        char mpath[1024];
        snprintf(mpath, sizeof mpath, "%s/model.onnx", dir);
        size_t len;
        uint8_t *buf = tm_pack(t, &len);
        write_file(mpath, buf, len);
        free(buf);
        assert_ok(ctx, oclnn_onnx_load_file(ctx, mpath, &g));
        assert_memory_equal(val(g, "E")->data, ext_data, sizeof ext_data);
        oclnn_graph_destroy(g);
        free(t);
    }
}

/* ---- the real model ---- */

static void test_ppocr_det(void **state) {
    (void)state;
    const char *dir = getenv("OCLNN_TEST_MODELS");
    if (!dir) fail_msg("OCLNN_TEST_MODELS is not set (tests/meson.build sets it)");
    char path[1024];
    snprintf(path, sizeof path, "%s/ch_PP-OCRv4_det_infer.onnx", dir);
    if (access(path, R_OK) != 0) fail_msg("%s is missing: the test needs it (see shared/models/NOTES.md)", path);
    oclnn_graph *g;
    assert_ok(ctx, oclnn_onnx_load_file(ctx, path, &g));
    /*
     * Expected figures, from the onnx Python package (onnx.load, then Counter(n.op_type for n in graph.node)):
     * 672 nodes of which 342 are Constant (every weight is a Constant node; no initializers), op set 11,
     * input 'x' [p2o.DynamicDimension.0, 3, p2o.DynamicDimension.1, p2o.DynamicDimension.2], output
     * 'sigmoid_0.tmp_0'; the Constants hold 1,171,841 float32 elements whose |x| sums to 867986021.8128695 (in
     * float64); the first Conv, p2o.Conv.0, reads x and conv2d_0.w_0 [16,3,3,3] (|w| sum 152.82564251258736)
     * with strides [2,2] and pads [1,1,1,1].
     */
    static const struct {
        const char *op;
        size_t count;
    } ops[] = {{"Add", 89},         {"BatchNormalization", 3},
               {"Clip", 24},        {"Concat", 1},
               {"Conv", 62},        {"ConvTranspose", 2},
               {"Div", 24},         {"GlobalAveragePool", 10},
               {"HardSigmoid", 10}, {"Mul", 86},
               {"Relu", 12},        {"Resize", 6},
               {"Sigmoid", 1}};
    size_t total = 0;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        size_t c = 0;
        for (size_t n = 0; n < g->num_nodes; n++)
            c += !strcmp(g->nodes[n].op_type, ops[i].op);
        if (c != ops[i].count) fail_msg("%s: %zu nodes, expected %zu", ops[i].op, c, ops[i].count);
        total += c;
    }
    assert_int_equal(total, 672 - 342);
    assert_int_equal(g->num_nodes, 672 - 342);
    assert_int_equal(g->opset, 11);
    for (size_t n = 0; n < g->num_nodes; n++)
        assert_int_equal(g->nodes[n].opset, 11);
    assert_int_equal(oclnn_graph_num_inputs(g), 1);
    const oclnn_ir_value *x = val(g, "x");
    assert_int_equal(x->ndim, 4);
    assert_int_equal(x->dims[0], -1);
    assert_int_equal(x->dims[1], 3);
    assert_int_equal(x->dims[2], -1);
    assert_int_equal(x->dims[3], -1);
    assert_string_equal(x->dim_param[0], "p2o.DynamicDimension.0");
    assert_string_equal(x->dim_param[3], "p2o.DynamicDimension.2");
    assert_int_equal(oclnn_graph_num_outputs(g), 1);
    assert_string_equal(oclnn_graph_output_name(g, 0), "sigmoid_0.tmp_0");
    size_t nconst = 0, elems = 0;
    double abs_sum = 0, comp = 0; /* Kahan: within 2 eps of the exact sum */
    for (size_t i = 0; i < g->num_values; i++) {
        const oclnn_ir_value *v = &g->values[i];
        if (v->kind != OCLNN_IR_CONSTANT) continue;
        nconst++;
        assert_int_equal(v->dtype, OCLNN_DTYPE_F32);
        size_t n = v->nbytes / 4;
        assert_int_equal(n, oclnn_ir_numel(v));
        elems += n;
        for (size_t e = 0; e < n; e++) {
            double y = fabs((double)((float *)v->data)[e]) - comp, s2 = abs_sum + y;
            comp = (s2 - abs_sum) - y;
            abs_sum = s2;
        }
    }
    assert_int_equal(nconst, 342);
    assert_int_equal(elems, 1171841);
    /* numpy's pairwise float64 sum is within log2(n) eps |sum| = 2e-6 of the exact one, ours within 2e-7 */
    if (fabs(abs_sum - 867986021.8128695) > 1e-5) fail_msg("constant |x| sum %.10f", abs_sum);
    const oclnn_ir_node *conv = node_by_op(g, "Conv");
    assert_string_equal(conv->name, "p2o.Conv.0");
    assert_int_equal(conv->inputs[0], oclnn_ir_find(g, "x"));
    const oclnn_ir_value *w = &g->values[conv->inputs[1]];
    assert_string_equal(w->name, "conv2d_0.w_0");
    const int64_t wd[4] = {16, 3, 3, 3};
    assert_int_equal(w->ndim, 4);
    double ws = 0;
    for (int d = 0; d < 4; d++)
        assert_int_equal(w->dims[d], wd[d]);
    for (size_t e = 0; e < 16 * 27; e++)
        ws += fabs((double)((float *)w->data)[e]);
    if (fabs(ws - 152.82564251258736) > 1e-9) fail_msg("conv2d_0.w_0 |w| sum %.12f", ws);
    size_t cnt;
    const int64_t *st = oclnn_ir_attr_ints(conv, "strides", &cnt);
    assert_int_equal(cnt, 2);
    assert_int_equal(st[0], 2);
    assert_int_equal(st[1], 2);
    int *order;
    size_t n;
    assert_ok(ctx, oclnn_ir_topo_order(g, &order, &n));
    assert_int_equal(n, 330);
    free(order);
    oclnn_graph_destroy(g);
}

/* ---- a model written by onnx.helper (tests/data/make_onnx_tensors.py): another serializer's encoding ---- */

static void test_helper_model(void **state) {
    (void)state;
    const char *dir = getenv("OCLNN_TEST_DATA");
    if (!dir) fail_msg("OCLNN_TEST_DATA is not set (tests/meson.build sets it)");
    char path[1024];
    snprintf(path, sizeof path, "%s/helper_model.onnx", dir);
    oclnn_graph *g;
    assert_ok(ctx, oclnn_onnx_load_file(ctx, path, &g));
    assert_int_equal(g->opset, 17);
    assert_int_equal(oclnn_graph_num_inputs(g), 1);
    const oclnn_ir_value *x = val(g, "x");
    const int64_t xd[4] = {-1, 4, -1, 2};
    assert_int_equal(x->ndim, 4);
    for (int d = 0; d < 4; d++)
        assert_int_equal(x->dims[d], xd[d]);
    assert_string_equal(x->dim_param[0], "N");
    assert_string_equal(x->dim_param[2], "?");
    const float wv[4] = {0.5f, -1.0f, 2.0f, 3.25f}, c2v[4] = {1, 1, 2, 2}, cv[2] = {1.5f, 2.5f};
    const oclnn_ir_value *w = val(g, "w");
    assert_int_equal(w->ndim, 4);
    assert_int_equal(w->dims[1], 4);
    assert_memory_equal(w->data, wv, sizeof wv);
    const oclnn_ir_value *sv = val(g, "s");
    assert_int_equal(sv->dtype, OCLNN_DTYPE_I64);
    assert_int_equal(((int64_t *)sv->data)[0], 3);
    assert_int_equal(((int64_t *)sv->data)[1], -4);
    const oclnn_ir_value *u = val(g, "u");
    assert_int_equal(u->dtype, OCLNN_DTYPE_I32);
    assert_int_equal(((int32_t *)u->data)[1], 128);
    assert_int_equal(((int32_t *)u->data)[2], 255);
    assert_memory_equal(val(g, "c2")->data, c2v, sizeof c2v);
    assert_memory_equal(val(g, "c")->data, cv, sizeof cv);
    assert_int_equal(val(g, "c")->dims[0], 2);
    assert_int_equal(g->num_nodes, 7);
    const char *ops[7] = {"Mul", "Resize", "LeakyRelu", "Identity", "Cast", "Transpose", "Add"};
    for (int i = 0; i < 7; i++)
        assert_string_equal(g->nodes[i].op_type, ops[i]);
    const oclnn_ir_node *rs = node_by_op(g, "Resize");
    assert_int_equal(rs->inputs[1], -1);
    assert_int_equal(rs->inputs[2], oclnn_ir_find(g, "c2"));
    assert_string_equal(oclnn_ir_attr_string(rs, "mode", ""), "nearest");
    assert_string_equal(oclnn_ir_attr_string(rs, "coordinate_transformation_mode", ""), "asymmetric");
    assert_true(oclnn_ir_attr_float(node_by_op(g, "LeakyRelu"), "alpha", 0) == 0.2f);
    assert_int_equal(oclnn_ir_attr_int(node_by_op(g, "Cast"), "to", 0), 1);
    size_t cnt;
    const int64_t *perm = oclnn_ir_attr_ints(node_by_op(g, "Transpose"), "perm", &cnt);
    assert_int_equal(cnt, 4);
    assert_int_equal(perm[1], 2);
    assert_int_equal(perm[2], 1);
    assert_int_equal(oclnn_graph_num_outputs(g), 4);
    assert_string_equal(oclnn_graph_output_name(g, 3), "t");
    oclnn_graph_destroy(g);
}

/* ---- TensorProto files written by onnx.numpy_helper (tests/data/make_onnx_tensors.py) ---- */

static void test_tensor_files(void **state) {
    (void)state;
    const char *dir = getenv("OCLNN_TEST_DATA");
    if (!dir) fail_msg("OCLNN_TEST_DATA is not set (tests/meson.build sets it)");
    char path[1024];
    oclnn_onnx_tensor t;
    snprintf(path, sizeof path, "%s/tensor_f32_2x3x5.pb", dir);
    assert_ok(ctx, oclnn_onnx_read_tensor_file(ctx, path, &t));
    assert_string_equal(t.name, "tensor_f32_2x3x5");
    assert_int_equal(t.dtype, OCLNN_DTYPE_F32);
    assert_int_equal(t.ndim, 3);
    assert_int_equal(t.dims[0], 2);
    assert_int_equal(t.dims[1], 3);
    assert_int_equal(t.dims[2], 5);
    assert_int_equal(t.nbytes, 30 * 4);
    for (int i = 0; i < 30; i++)
        assert_true(((float *)t.data)[i] == (float)i * 0.25f - 3.0f);
    oclnn_onnx_tensor_free(ctx, &t);
    snprintf(path, sizeof path, "%s/tensor_i64_5.pb", dir);
    assert_ok(ctx, oclnn_onnx_read_tensor_file(ctx, path, &t));
    const int64_t iv[5] = {-((int64_t)1 << 40), -1, 0, 7, (int64_t)1 << 62};
    assert_int_equal(t.dtype, OCLNN_DTYPE_I64);
    assert_int_equal(t.ndim, 1);
    for (int i = 0; i < 5; i++)
        assert_int_equal(((int64_t *)t.data)[i], iv[i]);
    oclnn_onnx_tensor_free(ctx, &t);
    snprintf(path, sizeof path, "%s/tensor_bool_2x3.pb", dir);
    assert_ok(ctx, oclnn_onnx_read_tensor_file(ctx, path, &t));
    const int32_t bv[6] = {1, 0, 1, 0, 0, 1};
    assert_int_equal(t.dtype, OCLNN_DTYPE_I32);
    assert_int_equal(t.ndim, 2);
    for (int i = 0; i < 6; i++)
        assert_int_equal(((int32_t *)t.data)[i], bv[i]);
    oclnn_onnx_tensor_free(ctx, &t);
    oclnn_onnx_tensor_free(ctx, NULL);
    /* from memory, and the errors */
    Onnx__TensorProto x = ONNX__TENSOR_PROTO__INIT;
    int64_t d[2] = {2, 2};
    float f[3] = {1, 2, 3};
    x.name = "short";
    x.has_data_type = 1;
    x.data_type = ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT;
    x.n_dims = 2;
    x.dims = d;
    x.n_float_data = 3;
    x.float_data = f;
    uint8_t buf[256];
    size_t len = onnx__tensor_proto__pack(&x, buf);
    assert_int_equal(oclnn_onnx_read_tensor_pb(ctx, buf, len, NULL, &t), OCLNN_STATUS_INVALID_MODEL);
    assert_non_null(strstr(oclnn_last_error(ctx), "'short'"));
    assert_null(t.data);
    d[1] = 1;
    x.n_float_data = 2;
    len = onnx__tensor_proto__pack(&x, buf);
    assert_ok(ctx, oclnn_onnx_read_tensor_pb(ctx, buf, len, NULL, &t));
    assert_true(((float *)t.data)[0] == 1.0f && ((float *)t.data)[1] == 2.0f);
    oclnn_onnx_tensor_free(ctx, &t);
    assert_int_equal(oclnn_onnx_read_tensor_pb(ctx, "\x07\x01", 2, NULL, &t), OCLNN_STATUS_INVALID_MODEL);
    assert_non_null(strstr(oclnn_last_error(ctx), "protobuf parse failed"));
    snprintf(path, sizeof path, "%s/no_such_tensor.pb", dir);
    assert_int_equal(oclnn_onnx_read_tensor_file(ctx, path, &t), OCLNN_STATUS_IO_ERROR);
    assert_non_null(strstr(oclnn_last_error(ctx), "no_such_tensor.pb"));
}

/* op sets 1 and 18 load; 'ai.onnx' is the default domain; an imported but unused domain is harmless */
static void test_opsets(void **state) {
    (void)state;
    const int64_t versions[2] = {1, 18};
    for (int i = 0; i < 2; i++) {
        tmodel *t = small_model();
        t->ops[0].version = versions[i];
        t->ops[0].domain = i ? "ai.onnx" : "";
        Onnx__OperatorSetIdProto ml = ONNX__OPERATOR_SET_ID_PROTO__INIT;
        ml.domain = "ai.onnx.ml";
        ml.has_version = 1;
        ml.version = 3;
        t->ops[1] = ml;
        t->opp[1] = &t->ops[1];
        t->m.n_opset_import = 2;
        t->nodes[0].domain = "ai.onnx";
        oclnn_graph *g;
        assert_ok(ctx, load_tm(t, NULL, &g));
        assert_int_equal(g->opset, versions[i]);
        assert_int_equal(g->num_nodes, 2);
        for (size_t n = 0; n < 2; n++) {
            assert_int_equal(g->nodes[n].opset, versions[i]);
            assert_string_equal(g->nodes[n].domain, "");
        }
        oclnn_graph_destroy(g);
        free(t);
    }
}

/* ---- negative table ---- */

typedef void (*mutate_fn)(tmodel *t);

/* a small valid model: x -> Relu -> y, with an initializer "W" [3] used by Add */
static tmodel *small_model(void) {
    static float w[3] = {1, 2, 3};
    tmodel *t = tm_new(13);
    const int64_t xd[1] = {3};
    tm_input(t, "x", ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT, 1, xd, NULL);
    Onnx__TensorProto *x = tm_tensor(t, "W", ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT, 1, xd);
    tm_raw(x, w, sizeof w);
    tm_add_init(t, x);
    tm_node(t, "Add", "add0", 2, (const char *[]){"x", "W"}, 1, (const char *[]){"a"});
    tm_node(t, "Relu", "relu0", 1, (const char *[]){"a"}, 1, (const char *[]){"y"});
    tm_output(t, "y");
    return t;
}

static void m_domain(tmodel *t) { t->nodes[1].domain = "com.microsoft"; }
static void m_opset19(tmodel *t) { t->ops[0].version = 19; }
static void m_opset0(tmodel *t) { t->ops[0].version = 0; }
static void m_no_opset(tmodel *t) { t->m.n_opset_import = 0; }
static void m_training_only(tmodel *t) { t->ops[0].domain = "ai.onnx.preview.training"; }
static void m_short(tmodel *t) { t->tensors[0].raw_data.len = 8; }
static void m_long(tmodel *t) {
    static float w[4];
    tm_raw(&t->tensors[0], w, sizeof w);
}
static void m_typed_short(tmodel *t) {
    static float w[2] = {1, 2};
    t->tensors[0].has_raw_data = 0;
    t->tensors[0].n_float_data = 2;
    t->tensors[0].float_data = w;
}
static void m_negdim(tmodel *t) { t->tensors[0].dims[0] = -3; }
static void m_rank9(tmodel *t) {
    static const int64_t d[9] = {1, 1, 1, 1, 1, 1, 1, 1, 3};
    t->tensors[0].n_dims = 9;
    t->tensors[0].dims = (int64_t *)d;
}
static void m_numel_overflow(tmodel *t) {
    static const int64_t d[3] = {(int64_t)1 << 40, (int64_t)1 << 40, 3};
    t->tensors[0].n_dims = 3;
    t->tensors[0].dims = (int64_t *)d;
}
static void m_bytes_overflow(tmodel *t) {
    static const int64_t d[1] = {(int64_t)1 << 62};
    t->tensors[0].dims = (int64_t *)d;
}
static void m_dangling(tmodel *t) { t->nodes[1].input[0] = "nowhere"; }
static void m_two_producers(tmodel *t) {
    tm_node(t, "Neg", "neg0", 1, (const char *[]){"x"}, 1, (const char *[]){"a"});
}
static void m_writes_initializer(tmodel *t) {
    tm_node(t, "Neg", "neg1", 1, (const char *[]){"x"}, 1, (const char *[]){"W"});
}
static void m_missing_output(tmodel *t) { t->vis[1].name = "ghost"; }
static void m_no_outputs(tmodel *t) { t->g.n_output = 0; }
static void m_no_nodes(tmodel *t) { t->g.n_node = 0; }
static void m_no_graph(tmodel *t) { t->m.graph = NULL; }
static void m_dup_output(tmodel *t) { tm_output(t, "y"); }
static void m_dup_initializer(tmodel *t) { tm_add_init(t, &t->tensors[0]); }
static void m_string_used(tmodel *t) { t->tensors[0].data_type = ONNX__TENSOR_PROTO__DATA_TYPE__STRING; }
static void m_bf16_used(tmodel *t) { t->tensors[0].data_type = ONNX__TENSOR_PROTO__DATA_TYPE__BFLOAT16; }
static void m_no_dtype(tmodel *t) { t->tensors[0].has_data_type = 0; }
static void m_segment(tmodel *t) {
    static Onnx__TensorProto__Segment seg = ONNX__TENSOR_PROTO__SEGMENT__INIT;
    t->tensors[0].segment = &seg;
}
static void m_input_string(tmodel *t) { t->tts[0].elem_type = ONNX__TENSOR_PROTO__DATA_TYPE__STRING; }
static void m_input_negdim(tmodel *t) { t->dims[0][0].dim_value = -2; }
static void m_const_string(tmodel *t) {
    Onnx__NodeProto *n = tm_node(t, "Constant", "cs", 0, NULL, 1, (const char *[]){"s"});
    Onnx__AttributeProto *a = tm_attr(t, n, "value_string", ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING);
    a->has_s = 1;
    a->s.data = (uint8_t *)"hi";
    a->s.len = 2;
}
static void m_const_twice(tmodel *t) {
    Onnx__NodeProto *n = tm_node(t, "Constant", "cw", 0, NULL, 1, (const char *[]){"a"});
    tm_attr_int(t, n, "value_int", 3);
}
static void m_no_op_type(tmodel *t) { t->nodes[1].op_type = ""; }
static void m_ext_missing(tmodel *t) { tm_external(t, &t->tensors[0], "missing.bin", NULL, NULL); }
static void m_ext_dotdot(tmodel *t) { tm_external(t, &t->tensors[0], "sub/../../outside.bin", NULL, NULL); }
static void m_ext_absolute(tmodel *t) { tm_external(t, &t->tensors[0], "/etc/passwd", NULL, NULL); }
static void m_ext_link(tmodel *t) { tm_external(t, &t->tensors[0], "link.bin", NULL, NULL); }
static void m_ext_past_end(tmodel *t) { tm_external(t, &t->tensors[0], "sub/w.bin", "80", NULL); }
static void m_ext_bad_length(tmodel *t) { tm_external(t, &t->tensors[0], "sub/w.bin", NULL, "11"); }
static void m_ext_bad_offset(tmodel *t) { tm_external(t, &t->tensors[0], "sub/w.bin", "-4", NULL); }
static void m_ext_no_location(tmodel *t) { tm_external(t, &t->tensors[0], NULL, "0", NULL); }
static void m_ext_no_base(tmodel *t) { tm_external(t, &t->tensors[0], "sub/w.bin", NULL, NULL); }

static void test_negative_table(void **state) {
    (void)state;
    char dir[512];
    make_external_files(dir, sizeof dir);
    const struct {
        const char *what;
        mutate_fn mutate;
        int base; /* 1: load with the external-data folder as base_dir */
        oclnn_status status;
        const char *sub1, *sub2, *sub3;
    } cases[] = {
        {"unknown op domain", m_domain, 0, OCLNN_STATUS_UNSUPPORTED, "'relu0'", "Relu", "com.microsoft"},
        {"op set 19", m_opset19, 0, OCLNN_STATUS_UNSUPPORTED, "op set 19", NULL, NULL},
        {"op set 0", m_opset0, 0, OCLNN_STATUS_INVALID_MODEL, "op set version 0", NULL, NULL},
        {"no op set at all", m_no_opset, 0, OCLNN_STATUS_INVALID_MODEL, "default ONNX domain", NULL, NULL},
        {"another domain only", m_training_only, 0, OCLNN_STATUS_UNSUPPORTED, "'ai.onnx.preview.training'",
         "not the default ONNX domain", "the only one supported"},
        {"raw data shorter than dims", m_short, 0, OCLNN_STATUS_INVALID_MODEL, "'W'", "8 bytes", "need 12"},
        {"raw data longer than dims", m_long, 0, OCLNN_STATUS_INVALID_MODEL, "'W'", "16 bytes", "need 12"},
        {"float_data shorter than dims", m_typed_short, 0, OCLNN_STATUS_INVALID_MODEL, "'W'", "2 values", "need 3"},
        {"negative dim", m_negdim, 0, OCLNN_STATUS_INVALID_MODEL, "'W'", "negative dim", NULL},
        {"rank 9", m_rank9, 0, OCLNN_STATUS_LIMIT_EXCEEDED, "'W'", "rank 9", NULL},
        {"dims product overflows", m_numel_overflow, 0, OCLNN_STATUS_LIMIT_EXCEEDED, "'W'", "overflows", NULL},
        {"bytes overflow", m_bytes_overflow, 0, OCLNN_STATUS_LIMIT_EXCEEDED, "'W'", "too large", NULL},
        {"dangling input", m_dangling, 0, OCLNN_STATUS_INVALID_MODEL, "'relu0'", "'nowhere'", "no initializer"},
        {"two producers", m_two_producers, 0, OCLNN_STATUS_INVALID_MODEL, "'neg0'", "'a'", "already produces"},
        {"node writes an initializer", m_writes_initializer, 0, OCLNN_STATUS_INVALID_MODEL, "'neg1'", "'W'",
         "initializer"},
        {"missing graph output", m_missing_output, 0, OCLNN_STATUS_INVALID_MODEL, "'ghost'", "produced by no node",
         NULL},
        {"no graph outputs", m_no_outputs, 0, OCLNN_STATUS_INVALID_MODEL, "no outputs", NULL, NULL},
        {"no nodes", m_no_nodes, 0, OCLNN_STATUS_INVALID_MODEL, "no nodes", NULL, NULL},
        {"no graph", m_no_graph, 0, OCLNN_STATUS_INVALID_MODEL, "no graph", NULL, NULL},
        {"output listed twice", m_dup_output, 0, OCLNN_STATUS_INVALID_MODEL, "'y'", "twice", NULL},
        {"initializer twice", m_dup_initializer, 0, OCLNN_STATUS_INVALID_MODEL, "'W'", "twice", NULL},
        {"used STRING tensor", m_string_used, 0, OCLNN_STATUS_UNSUPPORTED, "'W'", "STRING", NULL},
        {"used BFLOAT16 tensor", m_bf16_used, 0, OCLNN_STATUS_UNSUPPORTED, "'W'", "BFLOAT16", NULL},
        {"tensor without data type", m_no_dtype, 0, OCLNN_STATUS_INVALID_MODEL, "'W'", "no data type", NULL},
        {"segmented tensor", m_segment, 0, OCLNN_STATUS_UNSUPPORTED, "'W'", "segment", NULL},
        {"string graph input", m_input_string, 0, OCLNN_STATUS_UNSUPPORTED, "'x'", "STRING", NULL},
        {"negative input dim", m_input_negdim, 0, OCLNN_STATUS_INVALID_MODEL, "'x'", "negative dim", NULL},
        {"Constant value_string", m_const_string, 0, OCLNN_STATUS_UNSUPPORTED, "'cs'", "value_string", NULL},
        {"Constant writes a produced name", m_const_twice, 0, OCLNN_STATUS_INVALID_MODEL, "'cw'", "'a'", "twice"},
        {"node without op_type", m_no_op_type, 0, OCLNN_STATUS_INVALID_MODEL, "'relu0'", "no op_type", NULL},
        {"external file missing", m_ext_missing, 1, OCLNN_STATUS_IO_ERROR, "'W'", "missing.bin", NULL},
        {"external path with ..", m_ext_dotdot, 1, OCLNN_STATUS_INVALID_MODEL, "'W'", "'..'", "outside.bin"},
        {"external absolute path", m_ext_absolute, 1, OCLNN_STATUS_INVALID_MODEL, "'W'", "absolute", "/etc/passwd"},
        {"external link leaving the folder", m_ext_link, 1, OCLNN_STATUS_INVALID_MODEL, "'W'", "outside", NULL},
        {"external data past the end", m_ext_past_end, 1, OCLNN_STATUS_INVALID_MODEL, "'W'", "past the end", NULL},
        {"external length mismatch", m_ext_bad_length, 1, OCLNN_STATUS_INVALID_MODEL, "'W'", "length 11", NULL},
        {"external offset not a number", m_ext_bad_offset, 1, OCLNN_STATUS_INVALID_MODEL, "'W'", "'-4'", NULL},
        {"external without location", m_ext_no_location, 1, OCLNN_STATUS_INVALID_MODEL, "'W'", "location", NULL},
        {"external data, no base_dir", m_ext_no_base, 0, OCLNN_STATUS_INVALID_ARGUMENT, "'W'", "base_dir", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tmodel *t = small_model();
        cases[i].mutate(t);
        oclnn_graph *g = (oclnn_graph *)&g;
        oclnn_status s = load_tm(t, cases[i].base ? dir : NULL, &g);
        const char *msg = oclnn_last_error(ctx);
        printf("  %-34s -> %s: %s\n", cases[i].what, oclnn_status_name(s), msg);
        if (s != cases[i].status)
            fail_msg("%s: %s, expected %s (%s)", cases[i].what, oclnn_status_name(s),
                     oclnn_status_name(cases[i].status), msg);
        assert_null(g);
        const char *subs[3] = {cases[i].sub1, cases[i].sub2, cases[i].sub3};
        for (int k = 0; k < 3; k++)
            if (subs[k] && !strstr(msg, subs[k])) fail_msg("%s: message lacks \"%s\": %s", cases[i].what, subs[k], msg);
        free(t);
    }
    /* the unmutated model loads, so every case above failed for its own reason */
    tmodel *t = small_model();
    oclnn_graph *g;
    assert_ok(ctx, load_tm(t, NULL, &g));
    oclnn_graph_destroy(g);
    free(t);
    /* garbage: field number 0 is never valid, so the parse fails whatever follows */
    uint64_t seed = TEST_SEED + 3;
    uint8_t junk[257];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (uint8_t)test_rand_u64(&seed);
    junk[0] = 0x07;
    assert_int_equal(oclnn_onnx_load_buffer(ctx, junk, sizeof junk, NULL, &g), OCLNN_STATUS_INVALID_MODEL);
    assert_non_null(strstr(oclnn_last_error(ctx), "not an ONNX model: protobuf parse failed"));
    assert_null(g);
    /* arguments and files */
    assert_int_equal(oclnn_onnx_load_buffer(NULL, junk, 1, NULL, &g), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_int_equal(oclnn_onnx_load_buffer(ctx, junk, 1, NULL, NULL), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_int_equal(oclnn_onnx_load_buffer(ctx, NULL, 5, NULL, &g), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_int_equal(oclnn_onnx_load_file(ctx, NULL, &g), OCLNN_STATUS_INVALID_ARGUMENT);
    char path[1024];
    snprintf(path, sizeof path, "%s/no_such_model.onnx", tmp);
    assert_int_equal(oclnn_onnx_load_file(ctx, path, &g), OCLNN_STATUS_IO_ERROR);
    assert_non_null(strstr(oclnn_last_error(ctx), "no_such_model.onnx"));
    assert_int_equal(oclnn_onnx_load_file(ctx, tmp, &g), OCLNN_STATUS_IO_ERROR); /* a folder */
    assert_null(g);
}

/* ---- every truncated prefix fails cleanly or loads a consistent graph ---- */

static void check_consistent(const oclnn_graph *g) {
    for (size_t i = 0; i < g->num_nodes; i++) {
        const oclnn_ir_node *n = &g->nodes[i];
        for (size_t k = 0; k < n->num_inputs; k++) {
            assert_true(n->inputs[k] >= -1 && n->inputs[k] < (int)g->num_values);
            if (n->inputs[k] >= 0) {
                const oclnn_ir_value *v = &g->values[n->inputs[k]];
                assert_true(v->kind != OCLNN_IR_INTERMEDIATE || v->producer >= 0);
            }
        }
        for (size_t k = 0; k < n->num_outputs; k++)
            if (n->outputs[k] >= 0) assert_int_equal(g->values[n->outputs[k]].producer, (int)i);
    }
    assert_true(g->num_outputs > 0);
    for (size_t i = 0; i < g->num_values; i++)
        if (g->values[i].kind == OCLNN_IR_CONSTANT)
            assert_int_equal(g->values[i].nbytes, oclnn_ir_numel(&g->values[i]) * oclnn_dtype_size(g->values[i].dtype));
}

static void test_truncated_prefixes(void **state) {
    (void)state;
    tmodel *t = standard_model();
    size_t len;
    uint8_t *buf = tm_pack(t, &len);
    size_t ok = 0, failed = 0;
    for (size_t n = 1; n < len; n++) {
        /* a fresh copy of exactly n bytes, so ASan sees any read past the prefix */
        uint8_t *p = malloc(n);
        memcpy(p, buf, n);
        oclnn_graph *g;
        oclnn_status s = oclnn_onnx_load_buffer(ctx, p, n, NULL, &g);
        if (s == OCLNN_STATUS_OK) {
            check_consistent(g);
            oclnn_graph_destroy(g);
            ok++;
        } else {
            if (s != OCLNN_STATUS_INVALID_MODEL && s != OCLNN_STATUS_UNSUPPORTED)
                fail_msg("prefix %zu of %zu: %s (%s)", n, len, oclnn_status_name(s), oclnn_last_error(ctx));
            assert_null(g);
            failed++;
        }
        free(p);
    }
    printf("  %zu prefixes of %zu bytes: %zu loaded a consistent graph, %zu failed cleanly\n", len - 1, len, ok,
           failed);
    assert_true(failed > 0);
    /* every byte flipped (all bits, then the low bit): whatever the parse makes of it, a clean status */
    size_t flips_ok = 0;
    for (size_t n = 0; n < 2 * len; n++) {
        uint8_t *p = malloc(len);
        memcpy(p, buf, len);
        p[n % len] ^= n < len ? 0xFF : 0x01;
        oclnn_graph *g;
        oclnn_status s = oclnn_onnx_load_buffer(ctx, p, len, NULL, &g);
        if (s == OCLNN_STATUS_OK) {
            check_consistent(g);
            oclnn_graph_destroy(g);
            flips_ok++;
        } else {
            /* INVALID_ARGUMENT: a flip that marks a tensor EXTERNAL, loaded without base_dir */
            if (s != OCLNN_STATUS_INVALID_MODEL && s != OCLNN_STATUS_UNSUPPORTED && s != OCLNN_STATUS_LIMIT_EXCEEDED &&
                s != OCLNN_STATUS_INVALID_ARGUMENT)
                fail_msg("flip at %zu: %s (%s)", n % len, oclnn_status_name(s), oclnn_last_error(ctx));
            assert_null(g);
        }
        free(p);
    }
    printf("  %zu single-byte corruptions: %zu loaded a consistent graph, the others failed cleanly\n", 2 * len,
           flips_ok);
    free(buf);
    /* The same model with the op sets first and every graph member in a record of its own (protobuf merges
     * repeated occurrences of the graph field), so prefixes that end between records parse into partial graphs. */
    uint8_t *split = malloc(2 * len + 64 * TM_MAX);
    size_t sl = 0;
    Onnx__GraphProto *full = t->m.graph;
    t->m.graph = NULL;
    sl = onnx__model_proto__pack(&t->m, split);
    t->m.graph = full;
    size_t records = 0, rec_ends[4 * TM_MAX];
    for (int kind = 0; kind < 4; kind++) {
        size_t count = kind == 0   ? full->n_input
                       : kind == 1 ? full->n_initializer
                       : kind == 2 ? full->n_node
                                   : full->n_output;
        for (size_t i = 0; i < count; i++) {
            Onnx__GraphProto one = ONNX__GRAPH_PROTO__INIT;
            if (kind == 0) one.n_input = 1, one.input = &full->input[i];
            if (kind == 1) one.n_initializer = 1, one.initializer = &full->initializer[i];
            if (kind == 2) one.n_node = 1, one.node = &full->node[i];
            if (kind == 3) one.n_output = 1, one.output = &full->output[i];
            size_t gl = onnx__graph_proto__get_packed_size(&one);
            split[sl++] = 0x3A; /* field 7 (graph), length-delimited */
            for (size_t v = gl;; v >>= 7) {
                split[sl++] = (uint8_t)((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
                if (v < 0x80) break;
            }
            sl += onnx__graph_proto__pack(&one, split + sl);
            rec_ends[records++] = sl;
        }
    }
    size_t partial = 0;
    ok = failed = 0;
    for (size_t n = 1; n <= sl; n++) {
        uint8_t *p = malloc(n);
        memcpy(p, split, n);
        oclnn_graph *g;
        oclnn_status s = oclnn_onnx_load_buffer(ctx, p, n, NULL, &g);
        int at_record_end = 0;
        for (size_t r = 0; r < records; r++)
            at_record_end |= rec_ends[r] == n;
        if (s == OCLNN_STATUS_OK) {
            check_consistent(g);
            if (n == sl)
                assert_int_equal(g->num_nodes, 7); /* the whole split model is the standard one */
            else
                partial++;
            oclnn_graph_destroy(g);
            ok++;
        } else {
            if (s != OCLNN_STATUS_INVALID_MODEL && s != OCLNN_STATUS_UNSUPPORTED)
                fail_msg("split prefix %zu of %zu: %s (%s)", n, sl, oclnn_status_name(s), oclnn_last_error(ctx));
            assert_null(g);
            if (n == sl) fail_msg("the whole split model fails: %s", oclnn_last_error(ctx));
            /* between records the parse succeeds and the graph checks refuse it: the message says which */
            if (at_record_end) assert_null(strstr(oclnn_last_error(ctx), "protobuf parse failed"));
            failed++;
        }
        free(p);
    }
    printf("  split form: %zu prefixes of %zu bytes in %zu records: %zu loaded (%zu partial graphs), %zu failed "
           "cleanly\n",
           sl, sl, records, ok, partial, failed);
    free(split);
    free(t);
}

/* ---- out of memory at every allocation ---- */

static void test_oom_sweep(void **state) {
    (void)state;
    test_alloc ta;
    test_alloc_init(&ta);
    oclnn_context_options o;
    test_options(&o, NULL);
    o.allocator = &ta.hooks;
    oclnn_context *c;
    assert_int_equal(oclnn_context_create(&o, &c), OCLNN_STATUS_OK);
    tmodel *t = standard_model();
    size_t len;
    uint8_t *buf = tm_pack(t, &len);
    long base_live = ta.live;
    long k = 1;
    for (;; k++) {
        ta.fail_at = ta.calls + k;
        oclnn_graph *g;
        oclnn_status s = oclnn_onnx_load_buffer(c, buf, len, NULL, &g);
        ta.fail_at = 0;
        if (s == OCLNN_STATUS_OK) {
            oclnn_graph_destroy(g);
            assert_int_equal(ta.live, base_live);
            break;
        }
        if (s != OCLNN_STATUS_OUT_OF_HOST_MEMORY)
            fail_msg("failing allocation %ld: %s (%s)", k, oclnn_status_name(s), oclnn_last_error(c));
        assert_null(g);
        if (ta.live != base_live) fail_msg("failing allocation %ld leaks %ld blocks", k, ta.live - base_live);
    }
    printf("  out-of-memory sweep: %ld allocations, each failure reported and nothing leaked\n", k - 1);
    assert_true(k > 20);
    free(buf);
    free(t);
    oclnn_context_destroy(c);
}

/* ---- split parse ----
 * The importer unpacks the initializers one at a time from the model's bytes (lib/onnx/onnx_import.c, split_model).
 * A model whose graph arrives as two fields (protobuf merges them) takes the whole-message path instead: both must
 * give the same graph, with every initializer exact, from memory and from a (mapped) file. */

static size_t put_varint_t(uint8_t *o, uint64_t v) {
    size_t k = 0;
    do {
        o[k++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v);
    return k;
}

static void check_split_graph(const oclnn_graph *g, const float *extra, size_t n_extra) {
    check_consistent(g);
    const oclnn_ir_value *w = val(g, "W");
    assert_int_equal(w->kind, OCLNN_IR_CONSTANT);
    assert_memory_equal(w->data, w_data, sizeof w_data);
    assert_memory_equal(val(g, "B")->data, b_data, sizeof b_data);
    if (!extra) {
        assert_int_equal(oclnn_ir_find(g, "extra"), -1);
        return;
    }
    const oclnn_ir_value *e = val(g, "extra");
    assert_int_equal(e->kind, OCLNN_IR_CONSTANT);
    assert_int_equal(e->nbytes, n_extra * sizeof(float));
    assert_memory_equal(e->data, extra, n_extra * sizeof(float));
}

static void test_split_parse(void **state) {
    (void)state;
    tmodel *t = standard_model();
    size_t len;
    uint8_t *buf = tm_pack(t, &len);
    /* a second graph field holding one more initializer (5 x 7 floats, odd so no size is a round number) */
    enum { NE = 35 };
    float extra[NE];
    for (int i = 0; i < NE; i++)
        extra[i] = (float)i * 0.375f - 4.0f;
    Onnx__TensorProto x = ONNX__TENSOR_PROTO__INIT;
    int64_t xd[2] = {5, 7};
    x.name = "extra";
    x.has_data_type = 1;
    x.data_type = ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT;
    x.n_dims = 2;
    x.dims = xd;
    tm_raw(&x, extra, sizeof extra);
    size_t tl = onnx__tensor_proto__get_packed_size(&x);
    uint8_t *tb = malloc(tl), head[32], ghead[32];
    assert_non_null(tb);
    assert_int_equal(onnx__tensor_proto__pack(&x, tb), tl);
    size_t hl = put_varint_t(head, (5u << 3) | 2u);
    hl += put_varint_t(head + hl, tl);
    size_t gl = put_varint_t(ghead, (7u << 3) | 2u);
    gl += put_varint_t(ghead + gl, hl + tl);
    size_t len2 = len + gl + hl + tl;
    uint8_t *buf2 = malloc(len2);
    assert_non_null(buf2);
    memcpy(buf2, buf, len);
    memcpy(buf2 + len, ghead, gl);
    memcpy(buf2 + len + gl, head, hl);
    memcpy(buf2 + len + gl + hl, tb, tl);
    const uint8_t *bufs[2] = {buf, buf2};
    const size_t lens[2] = {len, len2};
    for (int k = 0; k < 2; k++) {
        oclnn_graph *g;
        assert_ok(ctx, oclnn_onnx_load_buffer(ctx, bufs[k], lens[k], NULL, &g));
        check_split_graph(g, k ? extra : NULL, NE);
        oclnn_graph_destroy(g);
        char path[512];
        snprintf(path, sizeof path, "%s/split%d.onnx", tmp, k);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(bufs[k], 1, lens[k], f), lens[k]);
        fclose(f);
        assert_ok(ctx, oclnn_onnx_load_file(ctx, path, &g));
        check_split_graph(g, k ? extra : NULL, NE);
        oclnn_graph_destroy(g);
        unlink(path);
    }
    /* malformed initializers inside a well-framed graph: test_truncated_prefixes and its flipped bytes */
    free(tb), free(buf), free(buf2);
    free(t);
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    tmp = test_tmpdir("onnx");
    ctx = test_context(NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standard_model),
        cmocka_unit_test(test_dtypes),
        cmocka_unit_test(test_external_data),
        cmocka_unit_test(test_ppocr_det),
        cmocka_unit_test(test_tensor_files),
        cmocka_unit_test(test_helper_model),
        cmocka_unit_test(test_opsets),
        cmocka_unit_test(test_negative_table),
        cmocka_unit_test(test_truncated_prefixes),
        cmocka_unit_test(test_split_parse),
        cmocka_unit_test(test_oom_sweep),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    oclnn_context_destroy(ctx);
    return r || clw_live_objects() != 0;
}
