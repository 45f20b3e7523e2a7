/* embedded.h - the table of kernel sources that scripts/embed_kernels.py generates at build time. */
#ifndef OCLNN_EMBEDDED_H
#define OCLNN_EMBEDDED_H

#include <stddef.h>
#include <stdint.h>

typedef struct oclnn_embedded_kernel {
    const char *file;
    const char *source; /* NUL-terminated */
    size_t length;
    uint64_t hash; /* FNV-1a 64 of the bytes */
} oclnn_embedded_kernel;

extern const oclnn_embedded_kernel oclnn_embedded_kernels[];
extern const size_t oclnn_embedded_kernel_count;

#endif
