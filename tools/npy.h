/* npy.h - a small NumPy .npy reader/writer for the tools and tests (format 1.0, 2.0 and 3.0 headers; little-endian
 * float32, int64, int32 and uint8; C order only). The reader never trusts the header: sizes are checked against the
 * input's length with caps. Uses only the public oclnn.h (for the status codes).
 */
#ifndef OCLNN_TOOLS_NPY_H
#define OCLNN_TOOLS_NPY_H

#include <stddef.h>
#include <stdint.h>

#include "oclnn.h"

#define NPY_MAX_DIMS 16
#define NPY_MAX_HEADER (1u << 20) /* bytes of header dict we accept (NumPy writes < 200) */

typedef enum npy_dtype {
    NPY_F32 = 0, /* '<f4' */
    NPY_I64 = 1, /* '<i8' */
    NPY_I32 = 2, /* '<i4' */
    NPY_U8 = 3,  /* '|u1' */
} npy_dtype;

typedef struct npy_array {
    npy_dtype dtype;
    size_t ndim; /* 0 for a scalar */
    int64_t dims[NPY_MAX_DIMS];
    void *data;    /* malloc'd, row-major; free with npy_free */
    size_t nbytes; /* product of dims x element size */
} npy_array;

/** Bytes per element of @p dtype (0 for an unknown value). */
size_t npy_dtype_size(npy_dtype dtype);

/**
 * Parses a whole .npy image. @p msg (may be NULL) receives a message on failure.
 * @retval OCLNN_STATUS_INVALID_MODEL for a malformed header or a data size that does not match the shape
 * @retval OCLNN_STATUS_UNSUPPORTED for Fortran order, big-endian or another dtype
 * @retval OCLNN_STATUS_LIMIT_EXCEEDED for a header past NPY_MAX_HEADER, more than NPY_MAX_DIMS dims, or a size that
 *         overflows
 * @retval OCLNN_STATUS_OUT_OF_HOST_MEMORY
 */
oclnn_status npy_read_buffer(const void *buf, size_t size, npy_array *out, char *msg, size_t msg_size);

/** Reads a .npy file (at most @p max_bytes; 0: no cap beyond the address space). IO_ERROR when it cannot. */
oclnn_status npy_read_file(const char *path, size_t max_bytes, npy_array *out, char *msg, size_t msg_size);

/** Serializes @p a (format 1.0, or 2.0 when the header needs it) into a malloc'd buffer. */
oclnn_status npy_write_buffer(const npy_array *a, void **buf, size_t *size, char *msg, size_t msg_size);

oclnn_status npy_write_file(const char *path, const npy_array *a, char *msg, size_t msg_size);

/** Frees the data and zeroes @p a. NULL is a no-op. */
void npy_free(npy_array *a);

#endif
