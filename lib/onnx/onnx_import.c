/* onnx_import.c - ONNX ModelProto -> graph IR (lib/graph/ir.h): op set checks, initializers and Constant nodes as
 * constants, typed graph inputs, nodes with their attributes, and the whole-graph checks (one producer per name,
 * no dangling inputs, outputs defined). Loops only: nothing recurses on the graph's depth.
 */
#include "onnx/onnx_tensor.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#define A(ctx) ((ctx)->alloc)

/* ---- a set of names (pointers into the parsed model), to find the initializers the graph uses ---- */

typedef struct name_set {
    const char **slots;
    size_t cap;
} name_set;

static size_t str_hash(const char *s) { return (size_t)oclnn_hash64(s, strlen(s), OCLNN_HASH_SEED); }

/* An empty set sized up front for @p total names (it never grows). */
static int set_init(oclnn_context *ctx, name_set *set, size_t total) {
    size_t cap = 64;
    while (cap < total * 2 + 1) {
        if (cap > SIZE_MAX / 4) return 0;
        cap *= 2;
    }
    set->slots = oclnn_calloc(A(ctx), cap, sizeof *set->slots);
    set->cap = cap;
    return set->slots != NULL;
}

static void set_add(name_set *set, const char *s) {
    if (!s || !*s) return;
    size_t mask = set->cap - 1;
    for (size_t h = str_hash(s) & mask;; h = (h + 1) & mask) {
        if (!set->slots[h]) {
            set->slots[h] = s;
            return;
        }
        if (!strcmp(set->slots[h], s)) return;
    }
}

static int set_has(const name_set *set, const char *s) {
    if (!s || !*s) return 0;
    size_t mask = set->cap - 1;
    for (size_t h = str_hash(s) & mask; set->slots[h]; h = (h + 1) & mask)
        if (!strcmp(set->slots[h], s)) return 1;
    return 0;
}

/* ---- import state ---- */

/* Where one initializer's serialized TensorProto lies in the model's bytes. */
typedef struct init_span {
    size_t off, len;
} init_span;

typedef struct importer {
    oclnn_context *ctx;
    oclnn_graph *g;
    Onnx__ModelProto *m; /* its tensors' raw bytes move into the graph as they are read */
    const char *base_dir;
    int64_t opset;
    /* Split parse (see split_model): the initializers were cut out of m and are unpacked one at a time from
     * bytes[spans[i]]; bytes is a read-only file mapping when `mapped` (its pages are dropped once read). */
    const uint8_t *bytes;
    const init_span *spans;
    size_t num_spans;
    int mapped;
    oclnn_onnx_pballoc *pa;
} importer;

#define ERR(im) (&(im)->ctx->err)

static oclnn_status oom(importer *im) {
    return oclnn_fail(ERR(im), OCLNN_STATUS_OUT_OF_HOST_MEMORY, "onnx: out of host memory");
}

static const char *str(const char *s) { return s ? s : ""; }

static int is_default_domain(const char *d) { return !d || !*d || !strcmp(d, "ai.onnx"); }

static oclnn_status push_index(importer *im, int **arr, size_t *n, size_t *cap, int v) {
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        int *p = oclnn_realloc(A(im->ctx), *arr, nc * sizeof *p);
        if (!p) return oom(im);
        *arr = p;
        *cap = nc;
    }
    (*arr)[(*n)++] = v;
    return OCLNN_STATUS_OK;
}

/* Op set of the default domain, 1..18; other imported domains are fine until a node uses them. */
static oclnn_status read_opset(importer *im) {
    int found = 0;
    for (size_t i = 0; i < im->m->n_opset_import; i++) {
        const Onnx__OperatorSetIdProto *o = im->m->opset_import[i];
        if (!is_default_domain(o->domain)) continue;
        if (found)
            return oclnn_fail(ERR(im), OCLNN_STATUS_INVALID_MODEL, "onnx: the model imports the default domain twice");
        found = 1;
        if (o->version < 1)
            return oclnn_fail(ERR(im), OCLNN_STATUS_INVALID_MODEL, "onnx: op set version %lld is not valid",
                              (long long)o->version);
        if (o->version > 18)
            return oclnn_fail(ERR(im), OCLNN_STATUS_UNSUPPORTED,
                              "onnx: the model uses op set %lld of the default domain (supported: 1..18)",
                              (long long)o->version);
        im->opset = o->version;
    }
    /* a model of another domain only (ai.onnx.preview.training, ai.onnx.ml) is valid, just not ours */
    if (!found && im->m->n_opset_import)
        return oclnn_fail(ERR(im), OCLNN_STATUS_UNSUPPORTED,
                          "onnx: the model imports domain '%s' and not the default ONNX domain (the only one supported)",
                          im->m->opset_import[0]->domain ? im->m->opset_import[0]->domain : "");
    if (!found)
        return oclnn_fail(ERR(im), OCLNN_STATUS_INVALID_MODEL,
                          "onnx: opset_import names no version of the default ONNX domain");
    im->g->opset = im->opset;
    return OCLNN_STATUS_OK;
}

/* Decodes @p t and adds it as a constant called @p name (or sets the existing, not yet produced value). The
 * decoded bytes go to the graph without a copy, and t's raw bytes are moved or freed (decode_tensor_consume). */
static oclnn_status add_tensor(importer *im, Onnx__TensorProto *t, const char *name, const char *what, int *index) {
    oclnn_onnx_tensor ten;
    oclnn_status s = oclnn_onnx_decode_tensor_consume(im->ctx, t, im->base_dir, what, &ten);
    if (s) return s;
    int idx = oclnn_ir_find(im->g, name);
    void *data = ten.data;
    ten.data = NULL; /* taken by the graph, which frees it on failure too */
    if (idx >= 0) {
        const oclnn_ir_value *v = &im->g->values[idx];
        if (v->kind != OCLNN_IR_INTERMEDIATE || v->producer >= 0) {
            oclnn_free(im->ctx->alloc, data);
            s = oclnn_fail(ERR(im), OCLNN_STATUS_INVALID_MODEL, "onnx: %s: '%s' is defined twice", what, name);
        } else {
            s = oclnn_ir_set_constant_take(im->g, idx, ten.dtype, ten.ndim, ten.dims, data);
        }
    } else {
        s = oclnn_ir_add_constant_take(im->g, name, ten.dtype, ten.ndim, ten.dims, data, &idx);
    }
    oclnn_onnx_tensor_free(im->ctx, &ten);
    if (!s && index) *index = idx;
    return s;
}

/* One initializer: dropped when unused and of a type we cannot hold, else decoded into the graph. */
static oclnn_status read_initializer(importer *im, Onnx__TensorProto *t, size_t i, const name_set *used,
                                     name_set *skipped, int *skip) {
    *skip = 0;
    if (!t->name || !*t->name)
        return oclnn_fail(ERR(im), OCLNN_STATUS_INVALID_MODEL, "onnx: initializer %zu has no name", i);
    oclnn_dtype dt;
    if (!set_has(used, t->name) && t->has_data_type && !oclnn_onnx_dtype_supported(t->data_type, &dt)) {
        *skip = 1;
        if (skipped) set_add(skipped, t->name); /* so that a graph input of that name is not taken for a real input */
        return OCLNN_STATUS_OK;
    }
    char what[256];
    snprintf(what, sizeof what, "initializer '%.160s'", t->name);
    if (oclnn_ir_find(im->g, t->name) >= 0)
        return oclnn_fail(ERR(im), OCLNN_STATUS_INVALID_MODEL, "onnx: %s is defined twice", what);
    return add_tensor(im, t, t->name, what, NULL);
}

/* Gives the pages of a mapped model that lie wholly inside [off, off + len) back to the kernel: they were read. */
static void drop_pages(const importer *im, size_t off, size_t len) {
    if (!im->mapped) return;
    size_t page = oclnn_onnx_page_size(), b = (off + page - 1) / page * page, e = (off + len) / page * page;
    if (e > b) oclnn_onnx_drop_range(im->bytes + b, e - b);
}

/* Initializers that a node or a graph output uses (others with a type we cannot hold are dropped). With a split
 * parse each is unpacked on its own and freed once in the graph, so the weights are held once, not twice. The
 * names of skipped ones are kept in *skip_names (for the set, which holds pointers). */
static oclnn_status read_initializers(importer *im, const name_set *used, name_set *skipped, char ***skip_names,
                                      size_t *num_skip) {
    const Onnx__GraphProto *gp = im->m->graph;
    oclnn_status s = OCLNN_STATUS_OK;
    int skip;
    for (size_t i = 0; i < gp->n_initializer && !s; i++)
        s = read_initializer(im, gp->initializer[i], i, used, skipped, &skip);
    for (size_t i = 0; i < im->num_spans && !s; i++) {
        Onnx__TensorProto *t = onnx__tensor_proto__unpack(&im->pa->pb, im->spans[i].len, im->bytes + im->spans[i].off);
        if (!t)
            return im->pa->failed ? oom(im)
                                  : oclnn_fail(ERR(im), OCLNN_STATUS_INVALID_MODEL,
                                               "not an ONNX model: protobuf parse failed (initializer %zu)", i);
        s = read_initializer(im, t, i, used, NULL, &skip);
        if (!s && skip) {
            char *name = oclnn_strdup(A(im->ctx), t->name);
            char **grown = name ? oclnn_realloc(A(im->ctx), *skip_names, (*num_skip + 1) * sizeof *grown) : NULL;
            if (!grown) {
                oclnn_free(A(im->ctx), name);
                s = oom(im);
            } else {
                *skip_names = grown;
                grown[(*num_skip)++] = name;
                set_add(skipped, name);
            }
        }
        onnx__tensor_proto__free_unpacked(t, &im->pa->pb);
        drop_pages(im, im->spans[i].off, im->spans[i].len);
    }
    return s;
}

/* Graph inputs that are not initializers, with dtype and dims from their type. */
static oclnn_status read_inputs(importer *im, const name_set *skipped) {
    const Onnx__GraphProto *gp = im->m->graph;
    oclnn_graph *g = im->g;
    for (size_t i = 0; i < gp->n_input; i++) {
        const Onnx__ValueInfoProto *vi = gp->input[i];
        const char *name = str(vi->name);
        if (!*name) return oclnn_fail(ERR(im), OCLNN_STATUS_INVALID_MODEL, "onnx: graph input %zu has no name", i);
        int idx = oclnn_ir_find(g, name);
        if (set_has(skipped, name)) continue;
        if (idx >= 0) {
            if (g->values[idx].kind == OCLNN_IR_CONSTANT) continue; /* old exporters list weights as inputs */
            return oclnn_fail(ERR(im), OCLNN_STATUS_INVALID_MODEL, "onnx: graph input '%s' is listed twice", name);
        }
        const Onnx__TypeProto *tp = vi->type;
        if (!tp || tp->value_case != ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE || !tp->tensor_type)
            return oclnn_fail(ERR(im), OCLNN_STATUS_UNSUPPORTED, "onnx: graph input '%s' is not a tensor", name);
        const Onnx__TypeProto__Tensor *tt = tp->tensor_type;
        /* inputs are fed as they are declared: no widening here, the caller's bytes must match */
        oclnn_dtype dtype;
        int32_t et = tt->has_elem_type ? tt->elem_type : 0;
        switch (et) {
        case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT: dtype = OCLNN_DTYPE_F32; break;
        case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT16: dtype = OCLNN_DTYPE_F16; break;
        case ONNX__TENSOR_PROTO__DATA_TYPE__INT32: dtype = OCLNN_DTYPE_I32; break;
        case ONNX__TENSOR_PROTO__DATA_TYPE__INT64: dtype = OCLNN_DTYPE_I64; break;
        default:
            return oclnn_fail(ERR(im), OCLNN_STATUS_UNSUPPORTED,
                              "onnx: graph input '%s' has element type %s (supported: FLOAT, FLOAT16, INT32, INT64)",
                              name, oclnn_onnx_dtype_name(et));
        }
        const Onnx__TensorShapeProto *sh = tt->shape;
        if (sh && sh->n_dim > OCLNN_IR_MAX_DIMS)
            return oclnn_fail(ERR(im), OCLNN_STATUS_LIMIT_EXCEEDED, "onnx: graph input '%s' has rank %zu (at most %d)",
                              name, sh->n_dim, OCLNN_IR_MAX_DIMS);
        oclnn_status s = oclnn_ir_add_value(g, name, OCLNN_IR_INPUT, &idx);
        if (s) return s;
        oclnn_ir_value *v = &g->values[idx];
        v->dtype = dtype;
        v->has_shape = sh != NULL; /* no shape: the rank is unknown */
        v->ndim = sh ? sh->n_dim : 0;
        for (size_t d = 0; d < v->ndim; d++) {
            const Onnx__TensorShapeProto__Dimension *dim = sh->dim[d];
            if (dim->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE) {
                if (dim->dim_value < 0)
                    return oclnn_fail(ERR(im), OCLNN_STATUS_INVALID_MODEL,
                                      "onnx: graph input '%s' has a negative dim (%lld at %zu)", name,
                                      (long long)dim->dim_value, d);
                v->dims[d] = dim->dim_value;
            } else {
                v->dims[d] = -1;
                const char *sym = dim->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM &&
                                          dim->dim_param && *dim->dim_param
                                      ? dim->dim_param
                                      : "?";
                if (!(v->dim_param[d] = oclnn_strdup(A(im->ctx), sym))) return oom(im);
            }
        }
        s = push_index(im, &g->inputs, &g->num_inputs, &g->cap_inputs, idx);
        if (s) return s;
    }
    return OCLNN_STATUS_OK;
}

/* The attribute's type, inferred from the fields that are set when an old exporter left `type` out. */
static int attr_type(const Onnx__AttributeProto *a) {
    if (a->has_type && a->type != ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__UNDEFINED) return (int)a->type;
    if (a->n_floats) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS;
    if (a->n_ints) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS;
    if (a->n_strings) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRINGS;
    if (a->n_tensors) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSORS;
    if (a->t) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR;
    if (a->has_s) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING;
    if (a->has_f) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT;
    if (a->has_i) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT;
    return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__UNDEFINED;
}

/* A Constant node: its one output becomes a constant value; the node itself is not kept. */
static oclnn_status read_constant(importer *im, const Onnx__NodeProto *n, const char *nname) {
    if (n->n_output != 1 || !n->output[0] || !*n->output[0] || n->n_attribute != 1)
        return oclnn_fail(ERR(im), OCLNN_STATUS_INVALID_MODEL,
                          "onnx: Constant node '%s' must have one named output and one attribute", nname);
    const Onnx__AttributeProto *a = n->attribute[0];
    const char *an = str(a->name), *out = n->output[0];
    char what[320];
    snprintf(what, sizeof what, "Constant node '%.100s' (value '%.100s')", nname, out);
    int type = attr_type(a);
    if (!strcmp(an, "value") && type == ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR && a->t)
        return add_tensor(im, a->t, out, what, NULL);
    /* the scalar and list forms (op set 12+) as a TensorProto view, so they take the one path */
    Onnx__TensorProto t = ONNX__TENSOR_PROTO__INIT;
    int64_t len = 0;
    t.has_data_type = 1;
    if (!strcmp(an, "value_float") && type == ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT) {
        t.data_type = ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT;
        t.n_float_data = 1;
        t.float_data = (float *)&a->f;
    } else if (!strcmp(an, "value_int") && type == ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT) {
        t.data_type = ONNX__TENSOR_PROTO__DATA_TYPE__INT64;
        t.n_int64_data = 1;
        t.int64_data = (int64_t *)&a->i;
    } else if (!strcmp(an, "value_floats") && type == ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS) {
        t.data_type = ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT;
        t.n_float_data = a->n_floats;
        t.float_data = a->floats;
        len = (int64_t)a->n_floats;
        t.n_dims = 1;
        t.dims = &len;
    } else if (!strcmp(an, "value_ints") && type == ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS) {
        t.data_type = ONNX__TENSOR_PROTO__DATA_TYPE__INT64;
        t.n_int64_data = a->n_ints;
        t.int64_data = a->ints;
        len = (int64_t)a->n_ints;
        t.n_dims = 1;
        t.dims = &len;
    } else {
        return oclnn_fail(ERR(im), OCLNN_STATUS_UNSUPPORTED,
                          "onnx: Constant node '%s' has attribute '%s' (supported: value, value_float, value_floats, "
                          "value_int, value_ints)",
                          nname, an);
    }
    return add_tensor(im, &t, out, what, NULL);
}

/* Converts the node's attributes into @p at (strings copied to NUL-terminated ones, tensors added as
 * constants that are not edges); free with free_attrs. */
static oclnn_status read_attrs(importer *im, const Onnx__NodeProto *n, const char *nname, oclnn_ir_attr *at) {
    for (size_t k = 0; k < n->n_attribute; k++) {
        const Onnx__AttributeProto *a = n->attribute[k];
        oclnn_ir_attr *d = &at[k];
        d->name = (char *)str(a->name);
        d->tensor = -1;
        if (!*d->name)
            return oclnn_fail(ERR(im), OCLNN_STATUS_INVALID_MODEL, "onnx: node '%s' has an attribute without a name",
                              nname);
        switch (attr_type(a)) {
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT:
            d->type = OCLNN_ATTR_INT;
            d->i = a->i;
            break;
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT:
            d->type = OCLNN_ATTR_FLOAT;
            d->f = a->f;
            break;
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING:
            d->type = OCLNN_ATTR_STRING;
            d->s = oclnn_malloc(A(im->ctx), a->s.len + 1);
            if (!d->s) return oom(im);
            if (a->s.len) memcpy(d->s, a->s.data, a->s.len);
            d->s[a->s.len] = 0;
            break;
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS:
            d->type = OCLNN_ATTR_INTS;
            d->count = a->n_ints;
            d->ints = a->ints; /* a view: add_node copies it */
            break;
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS:
            d->type = OCLNN_ATTR_FLOATS;
            d->count = a->n_floats;
            d->floats = a->floats;
            break;
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR: {
            if (!a->t)
                return oclnn_fail(ERR(im), OCLNN_STATUS_INVALID_MODEL,
                                  "onnx: node '%s' attribute '%s' is a TENSOR without a tensor", nname, d->name);
            char prefix[256], what[320];
            snprintf(prefix, sizeof prefix, "%.100s::%.100s", nname, d->name);
            snprintf(what, sizeof what, "node '%.100s' attribute '%.100s'", nname, d->name);
            char *cname = oclnn_ir_unique_name(im->g, prefix);
            if (!cname) return oom(im);
            oclnn_status s = add_tensor(im, a->t, cname, what, &d->tensor);
            oclnn_free(A(im->ctx), cname);
            if (s) return s;
            d->type = OCLNN_IR_ATTR_TENSOR;
            break;
        }
        default: d->type = OCLNN_IR_ATTR_OTHER; break; /* graphs, strings lists...: the runtime refuses by name */
        }
    }
    return OCLNN_STATUS_OK;
}

static void free_attrs(importer *im, oclnn_ir_attr *at, size_t n) {
    for (size_t k = 0; k < n; k++)
        if (at[k].type == OCLNN_ATTR_STRING) oclnn_free(A(im->ctx), at[k].s);
}

static oclnn_status read_node(importer *im, const Onnx__NodeProto *n, size_t index, int *io, oclnn_ir_attr *at) {
    oclnn_graph *g = im->g;
    const char *op = str(n->op_type);
    char nname[128];
    snprintf(nname, sizeof nname, "%.120s", n->name && *n->name ? n->name : "");
    if (!*nname) snprintf(nname, sizeof nname, "#%zu", index); /* for messages; the IR makes up a real name */
    if (!*op) return oclnn_fail(ERR(im), OCLNN_STATUS_INVALID_MODEL, "onnx: node '%s' has no op_type", nname);
    if (!is_default_domain(n->domain))
        return oclnn_fail(ERR(im), OCLNN_STATUS_UNSUPPORTED,
                          "onnx: node '%s' (%s) is in domain '%s' (only the default ONNX domain is supported)", nname,
                          op, n->domain);
    if (!strcmp(op, "Constant")) return read_constant(im, n, nname);
    int *in = io, *out = io + n->n_input;
    for (size_t i = 0; i < n->n_input; i++) {
        if (!n->input[i] || !*n->input[i])
            in[i] = -1;
        else {
            oclnn_status s = oclnn_ir_get_or_add(g, n->input[i], &in[i]);
            if (s) return s;
        }
    }
    for (size_t i = 0; i < n->n_output; i++) {
        if (!n->output[i] || !*n->output[i])
            out[i] = -1;
        else {
            oclnn_status s = oclnn_ir_get_or_add(g, n->output[i], &out[i]);
            if (s) return s;
            const oclnn_ir_value *v = &g->values[out[i]];
            if (v->kind != OCLNN_IR_INTERMEDIATE || v->producer >= 0)
                return oclnn_fail(ERR(im), OCLNN_STATUS_INVALID_MODEL, "onnx: node '%s' (%s) writes '%s', which %s",
                                  nname, op, v->name,
                                  v->producer >= 0 ? "another node already produces"
                                                   : "is a graph input, an initializer or a Constant");
        }
    }
    memset(at, 0, n->n_attribute * sizeof *at);
    oclnn_status s = read_attrs(im, n, nname, at);
    if (!s)
        s = oclnn_ir_add_node(g, op, "", n->name, im->opset, n->n_input, in, n->n_output, out, n->n_attribute, at,
                              NULL);
    free_attrs(im, at, n->n_attribute);
    return s;
}

static oclnn_status read_nodes(importer *im) {
    const Onnx__GraphProto *gp = im->m->graph;
    size_t max_io = 1, max_attrs = 1;
    for (size_t i = 0; i < gp->n_node; i++) {
        const Onnx__NodeProto *n = gp->node[i];
        size_t io;
        if (!oclnn_add_size(n->n_input, n->n_output, &io)) return oom(im);
        if (io > max_io) max_io = io;
        if (n->n_attribute > max_attrs) max_attrs = n->n_attribute;
    }
    /* scratch sized for the largest node, reused by every node */
    int *io = oclnn_malloc(A(im->ctx), max_io * sizeof *io);
    oclnn_ir_attr *at = oclnn_malloc(A(im->ctx), max_attrs * sizeof *at);
    oclnn_status s = io && at ? OCLNN_STATUS_OK : oom(im);
    for (size_t i = 0; i < gp->n_node && !s; i++)
        s = read_node(im, gp->node[i], i, io, at);
    oclnn_free(A(im->ctx), io);
    oclnn_free(A(im->ctx), at);
    return s;
}

/* Every node input defined by someone; the graph outputs defined and listed once. */
static oclnn_status check_graph(importer *im) {
    oclnn_graph *g = im->g;
    for (size_t i = 0; i < g->num_nodes; i++) {
        const oclnn_ir_node *n = &g->nodes[i];
        for (size_t k = 0; k < n->num_inputs; k++) {
            if (n->inputs[k] < 0) continue;
            const oclnn_ir_value *v = &g->values[n->inputs[k]];
            if (v->kind == OCLNN_IR_INTERMEDIATE && v->producer < 0)
                return oclnn_fail(ERR(im), OCLNN_STATUS_INVALID_MODEL,
                                  "onnx: node '%s' (%s) reads '%s', which no initializer, graph input or node defines",
                                  n->name, n->op_type, v->name);
        }
    }
    const Onnx__GraphProto *gp = im->m->graph;
    if (!gp->n_output) return oclnn_fail(ERR(im), OCLNN_STATUS_INVALID_MODEL, "onnx: the graph has no outputs");
    for (size_t i = 0; i < gp->n_output; i++) {
        const char *name = str(gp->output[i]->name);
        int idx = oclnn_ir_find(g, name);
        if (idx < 0 || (g->values[idx].kind == OCLNN_IR_INTERMEDIATE && g->values[idx].producer < 0))
            return oclnn_fail(ERR(im), OCLNN_STATUS_INVALID_MODEL,
                              "onnx: graph output '%s' is produced by no node and is no input or initializer", name);
        if (g->values[idx].is_output)
            return oclnn_fail(ERR(im), OCLNN_STATUS_INVALID_MODEL, "onnx: graph output '%s' is listed twice", name);
        g->values[idx].is_output = 1;
        oclnn_status s = push_index(im, &g->outputs, &g->num_outputs, &g->cap_outputs, idx);
        if (s) return s;
    }
    return OCLNN_STATUS_OK;
}

/* Names that nodes read and the graph outputs: the initializers worth decoding. */
static oclnn_status collect_used(importer *im, name_set *used) {
    const Onnx__GraphProto *gp = im->m->graph;
    size_t total = gp->n_output;
    for (size_t i = 0; i < gp->n_node; i++)
        if (!oclnn_add_size(total, gp->node[i]->n_input, &total)) return oom(im);
    if (!set_init(im->ctx, used, total)) return oom(im);
    for (size_t i = 0; i < gp->n_node; i++)
        for (size_t k = 0; k < gp->node[i]->n_input; k++)
            set_add(used, gp->node[i]->input[k]);
    for (size_t i = 0; i < gp->n_output; i++)
        set_add(used, gp->output[i]->name);
    return OCLNN_STATUS_OK;
}

static oclnn_status import_model(importer *im) {
    const Onnx__GraphProto *gp = im->m->graph;
    if (!gp) return oclnn_fail(ERR(im), OCLNN_STATUS_INVALID_MODEL, "onnx: the model has no graph");
    oclnn_status s = read_opset(im);
    if (s) return s;
    if (!gp->n_node) return oclnn_fail(ERR(im), OCLNN_STATUS_INVALID_MODEL, "onnx: the graph has no nodes");
    if (gp->n_node > im->ctx->limits.max_nodes)
        return oclnn_fail(ERR(im), OCLNN_STATUS_LIMIT_EXCEEDED,
                          "onnx: the graph has %zu nodes; the node limit (max_nodes, OCLNN_MAX_NODES) is %llu",
                          gp->n_node, (unsigned long long)im->ctx->limits.max_nodes);
    if (!gp->n_output) return oclnn_fail(ERR(im), OCLNN_STATUS_INVALID_MODEL, "onnx: the graph has no outputs");
    name_set used = {0}, skipped = {0};
    char **skip_names = NULL;
    size_t num_skip = 0;
    s = collect_used(im, &used);
    if (!s && !set_init(im->ctx, &skipped, gp->n_initializer + im->num_spans)) s = oom(im);
    if (!s) s = read_initializers(im, &used, &skipped, &skip_names, &num_skip);
    if (!s) s = read_inputs(im, &skipped);
    oclnn_free(A(im->ctx), used.slots);
    oclnn_free(A(im->ctx), skipped.slots);
    for (size_t i = 0; i < num_skip; i++)
        oclnn_free(A(im->ctx), skip_names[i]);
    oclnn_free(A(im->ctx), skip_names);
    if (!s) s = read_nodes(im);
    if (!s) s = check_graph(im);
    return s;
}

/* ---- split parse ----
 * protobuf-c copies every bytes field when it unpacks a message, so unpacking a whole ModelProto holds the weights
 * twice (the model's bytes and the parsed copies). The model is therefore cut in two: the bytes of the graph's
 * initializer entries (GraphProto field 5) are located by walking the wire format's framing (tags and lengths only;
 * protobuf-c still decodes every message), the rest is copied into a small buffer that protobuf-c unpacks, and each
 * initializer is unpacked on its own while the graph is built. Anything the walk does not expect (a second graph
 * field, a deprecated group, a truncated length) sends the model through the whole-message path, whose parser
 * then reports what is wrong. */

/* Reads a varint at p[*i] (below n); 0 when malformed. */
static int wire_varint(const uint8_t *p, size_t n, size_t *i, uint64_t *v) {
    *v = 0;
    for (int shift = 0; shift < 64 && *i < n; shift += 7) {
        uint8_t b = p[(*i)++];
        *v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) return 1;
    }
    return 0;
}

/* The field at p[*i]: its number, and where its value starts and ends (a length-delimited one's payload). */
static int wire_field(const uint8_t *p, size_t n, size_t *i, uint32_t *field, int *wt, size_t *vb, size_t *ve) {
    uint64_t tag, v;
    if (!wire_varint(p, n, i, &tag) || tag >> 3 == 0 || tag >> 3 > UINT32_MAX) return 0;
    *field = (uint32_t)(tag >> 3);
    *wt = (int)(tag & 7);
    *vb = *i;
    switch (*wt) {
    case 0:
        if (!wire_varint(p, n, i, &v)) return 0;
        break;
    case 1:
    case 5: {
        size_t len = *wt == 1 ? 8 : 4;
        if (n - *i < len) return 0;
        *i += len;
        break;
    }
    case 2:
        if (!wire_varint(p, n, i, &v) || v > n - *i) return 0;
        *vb = *i;
        *i += (size_t)v;
        break;
    default: return 0; /* groups (deprecated) and invalid wire types */
    }
    *ve = *i;
    return 1;
}

static size_t put_varint(uint8_t *o, uint64_t v) {
    size_t k = 0;
    do {
        o[k++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v);
    return k;
}

/* Finds the initializer entries of @p p (a ModelProto); on success *stripped (context allocator) holds the model
 * without them and *spans their payloads. Returns 0 (nothing allocated) to take the whole-message path: a walk
 * failure, or no initializers. OUT_OF_HOST_MEMORY is reported through @p s. */
static int split_model(oclnn_context *ctx, const uint8_t *p, size_t n, uint8_t **stripped, size_t *stripped_len,
                       init_span **spans, size_t *num_spans, oclnn_status *s) {
    *s = OCLNN_STATUS_OK;
    *stripped = NULL;
    *spans = NULL;
    size_t i = 0, gb = 0, ge = 0, fb = 0, graphs = 0;
    while (i < n) {
        size_t start = i, vb, ve;
        uint32_t f;
        int wt;
        if (!wire_field(p, n, &i, &f, &wt, &vb, &ve)) return 0;
        if (f == 7) {
            if (wt != 2 || graphs++) return 0;
            fb = start, gb = vb, ge = ve;
        }
    }
    if (!graphs) return 0;
    size_t count = 0, kept = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (i = gb; i < ge;) {
            size_t start = i, vb, ve;
            uint32_t f;
            int wt;
            if (!wire_field(p, ge, &i, &f, &wt, &vb, &ve)) goto walk_failed;
            if (f == 5 && wt != 2) goto walk_failed;
            if (f != 5) {
                if (pass) memcpy(*stripped + kept, p + start, i - start);
                kept += i - start;
            } else if (pass) {
                (*spans)[count].off = vb;
                (*spans)[count].len = ve - vb;
                count++;
            } else {
                count++;
            }
        }
        if (pass) break;
        if (!count) return 0;
        /* [fields before the graph][tag 7, new length, graph fields but the initializers][fields after the graph],
         * sized exactly: a buffer as large as the model would be a large block freed at once, which raises glibc's
         * mmap threshold so that the weights allocated next come from the heap, where freeing them leaves holes */
        uint8_t head[32];
        size_t hl = put_varint(head, (7u << 3) | 2u);
        hl += put_varint(head + hl, kept);
        *stripped_len = fb + hl + kept + (n - ge);
        *spans = oclnn_malloc(ctx->alloc, count * sizeof **spans);
        *stripped = oclnn_malloc(ctx->alloc, *stripped_len);
        if (!*spans || !*stripped) {
            *s = oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "onnx_load: out of host memory");
            goto walk_failed;
        }
        count = 0;
        kept = 0;
    }
    /* the graph fields were written at offset 0: move them behind the new header */
    uint8_t head[32];
    size_t hl = put_varint(head, (7u << 3) | 2u);
    hl += put_varint(head + hl, kept);
    memmove(*stripped + fb + hl, *stripped, kept);
    memcpy(*stripped, p, fb);
    memcpy(*stripped + fb, head, hl);
    memcpy(*stripped + fb + hl + kept, p + ge, n - ge);
    *num_spans = count;
    return 1;
walk_failed: /* only the first pass can get here (the second walks the same bytes), but free either way */
    oclnn_free(ctx->alloc, *spans);
    oclnn_free(ctx->alloc, *stripped);
    *spans = NULL;
    *stripped = NULL;
    return 0;
}

/* Parses @p size bytes at @p data into *m (protobuf-c, through the context's allocator held by @p pa). */
static oclnn_status unpack(oclnn_context *ctx, const void *data, size_t size, oclnn_onnx_pballoc *pa,
                           Onnx__ModelProto **m) {
    oclnn_onnx_pballoc_init(pa, ctx);
    *m = onnx__model_proto__unpack(&pa->pb, size, data ? data : "");
    if (*m) return OCLNN_STATUS_OK;
    if (pa->failed) return oclnn_fail(&ctx->err, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "onnx_load: out of host memory");
    return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_MODEL, "not an ONNX model: protobuf parse failed");
}

/* Parses the model at @p data (split when it can be, see above), builds the graph and frees the parsed model. */
static oclnn_status load(oclnn_context *ctx, const void *data, size_t size, int mapped, const char *base_dir,
                         oclnn_graph **out) {
    oclnn_onnx_pballoc pa;
    Onnx__ModelProto *m = NULL;
    uint8_t *stripped = NULL;
    size_t stripped_len = 0;
    init_span *spans = NULL;
    size_t num_spans = 0;
    oclnn_status s = OCLNN_STATUS_OK;
    if (data && split_model(ctx, data, size, &stripped, &stripped_len, &spans, &num_spans, &s))
        s = unpack(ctx, stripped, stripped_len, &pa, &m);
    else if (!s)
        s = unpack(ctx, data, size, &pa, &m);
    oclnn_free(ctx->alloc, stripped);
    importer im = {.ctx = ctx, .m = m, .base_dir = base_dir, .bytes = data, .spans = spans,
                   .num_spans = num_spans, .mapped = mapped, .pa = &pa};
    if (!s) s = oclnn_ir_create(ctx, &im.g);
    if (!s) s = import_model(&im);
    if (m) onnx__model_proto__free_unpacked(m, &pa.pb);
    oclnn_free(ctx->alloc, spans);
    if (s) {
        oclnn_ir_destroy(im.g);
        return s;
    }
    *out = im.g;
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_onnx_load_buffer(oclnn_context *ctx, const void *data, size_t size, const char *base_dir,
                                    oclnn_graph **out) {
    if (!out) return oclnn_fail(ctx ? &ctx->err : NULL, OCLNN_STATUS_INVALID_ARGUMENT, "onnx_load: out is NULL");
    *out = NULL;
    if (!ctx) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "onnx_load: ctx is NULL");
    if (!data && size) return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "onnx_load: data is NULL");
    if (size > OCLNN_ONNX_MAX_FILE)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_LIMIT_EXCEEDED, "onnx_load: %zu bytes (protobuf's limit is 2 GiB)",
                          size);
    return load(ctx, data, size, 0, base_dir, out);
}

oclnn_status oclnn_onnx_load_file(oclnn_context *ctx, const char *path, oclnn_graph **out) {
    if (!out) return oclnn_fail(ctx ? &ctx->err : NULL, OCLNN_STATUS_INVALID_ARGUMENT, "onnx_load: out is NULL");
    *out = NULL;
    if (!ctx || !path)
        return oclnn_fail(ctx ? &ctx->err : NULL, OCLNN_STATUS_INVALID_ARGUMENT, "onnx_load: ctx and path must be set");
    if (strlen(path) >= PATH_MAX)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "onnx_load: path is too long");
    /* external data lives next to the model */
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else {
        memcpy(dir, path, (size_t)(slash - path)); /* shorter than PATH_MAX: checked above */
        dir[slash - path] = 0;
    }
    /* The file is mapped, not read into a buffer: its pages are clean and given back as the initializers are read,
     * so the graph holds the only copy of the weights that stays. */
    oclnn_onnx_file f;
    oclnn_status s = oclnn_onnx_map_file(ctx, path, OCLNN_ONNX_MAX_FILE, &f);
    if (s) return s;
    s = load(ctx, f.data, f.size, f.mapped, dir, out);
    oclnn_onnx_unmap_file(ctx, &f);
    return s;
}
