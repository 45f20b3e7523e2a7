/* onnx_tensor.h - ONNX TensorProto decoding shared by the importer (initializers, Constant values) and the
 * tensor-file readers (the backend tests' input_0.pb / output_0.pb), plus the protobuf-c allocator bridge and the
 * bounded file reads the ONNX layer needs (the model file, external data).
 */
#ifndef OCLNN_ONNX_TENSOR_H
#define OCLNN_ONNX_TENSOR_H

#include "graph/ir.h"
#include "onnx.pb-c.h"

/* A decoded tensor: elements converted to the oclnn dtype (see oclnn_onnx_decode_tensor), row-major. */
typedef struct oclnn_onnx_tensor {
    char *name; /* owned, "" when the proto has none */
    oclnn_dtype dtype;
    size_t ndim;
    int64_t dims[OCLNN_IR_MAX_DIMS];
    void *data;    /* owned (context allocator); never NULL after a successful decode, even for 0 elements */
    size_t nbytes; /* product of dims x oclnn_dtype_size(dtype) */
} oclnn_onnx_tensor;

/* protobuf-c allocations through the context's allocator; `failed` tells a parse failure from an allocation one. */
typedef struct oclnn_onnx_pballoc {
    ProtobufCAllocator pb;
    const oclnn_allocator *alloc;
    int failed;
} oclnn_onnx_pballoc;
void oclnn_onnx_pballoc_init(oclnn_onnx_pballoc *a, oclnn_context *ctx);

/* Files the ONNX layer reads are capped at 2 GiB, like protobuf messages (external data is not). */
#define OCLNN_ONNX_MAX_FILE ((size_t)2 << 30)

/* Reads a whole regular file (at most @p cap bytes) into memory from the context's allocator. */
oclnn_status oclnn_onnx_read_file(oclnn_context *ctx, const char *path, size_t cap, void **data, size_t *size);

/* A model file in memory: mapped read-only, or read into a buffer where mapping fails. */
typedef struct oclnn_onnx_file {
    const void *data; /* NULL for an empty file */
    size_t size;
    int mapped;
} oclnn_onnx_file;

/* Maps a whole regular file (at most @p cap bytes); release it with oclnn_onnx_unmap_file. */
oclnn_status oclnn_onnx_map_file(oclnn_context *ctx, const char *path, size_t cap, oclnn_onnx_file *out);
void oclnn_onnx_unmap_file(oclnn_context *ctx, oclnn_onnx_file *f);
/* Gives the pages of a mapped file in [addr, addr + len) back to the kernel (addr and len page-aligned); they are
 * read again if touched. */
void oclnn_onnx_drop_range(const void *addr, size_t len);
size_t oclnn_onnx_page_size(void);

/* The ONNX data type's name ("FLOAT", "BFLOAT16", ...) for messages; "type N" for unknown ones. */
const char *oclnn_onnx_dtype_name(int32_t onnx_type);

/* 1 when the importer can hold ONNX data type @p onnx_type (FLOAT, FLOAT16, DOUBLE, INT64, and the small integer
 * types and BOOL widened to I32); *dtype receives the oclnn type it becomes. */
int oclnn_onnx_dtype_supported(int32_t onnx_type, oclnn_dtype *dtype);

/*
 * Decodes @p t: raw_data (little-endian) or the typed fields, or external data read relative to @p base_dir
 * (NULL: external data is refused). DOUBLE becomes F32; BOOL, INT8, UINT8, INT16, UINT16, INT32 become I32;
 * FLOAT16 stays F16 (bits). Checks the data length against the dims exactly. @p what names the tensor in messages
 * ("initializer 'w'"). On failure *out is zeroed and nothing is left allocated.
 */
oclnn_status oclnn_onnx_decode_tensor(oclnn_context *ctx, const Onnx__TensorProto *t, const char *base_dir,
                                      const char *what, oclnn_onnx_tensor *out);

/* The same for the importer, which decodes each tensor of the parsed model once: when raw_data needs no conversion
 * (FLOAT, FLOAT16, INT32, INT64 on a little-endian host) its buffer moves into out->data instead of being copied,
 * and otherwise it is freed once converted, so the parsed model shrinks while the graph grows. @p t must come from
 * a protobuf-c unpack with oclnn_onnx_pballoc on @p ctx (same allocator); its raw_data is empty afterwards. */
oclnn_status oclnn_onnx_decode_tensor_consume(oclnn_context *ctx, Onnx__TensorProto *t, const char *base_dir,
                                              const char *what, oclnn_onnx_tensor *out);

/* Reads one serialized TensorProto (the ONNX backend tests' .pb files). External data is read relative to
 * @p base_dir (NULL: refused). Free the result with oclnn_onnx_tensor_free. */
oclnn_status oclnn_onnx_read_tensor_pb(oclnn_context *ctx, const void *data, size_t size, const char *base_dir,
                                       oclnn_onnx_tensor *out);
/* The same from a file; external data is looked up next to it. */
oclnn_status oclnn_onnx_read_tensor_file(oclnn_context *ctx, const char *path, oclnn_onnx_tensor *out);

/* Frees what a decode or read left in @p t and zeroes it. NULL is a no-op. */
void oclnn_onnx_tensor_free(oclnn_context *ctx, oclnn_onnx_tensor *t);

#endif
