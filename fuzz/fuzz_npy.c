/* fuzz_npy.c - libFuzzer target for the tools' .npy reader (tools/npy.c): any bytes must give an array whose size
 * matches its shape, or a status; never a crash, a leak or an out-of-bounds read (ASan, UBSan).
 */
#include <stdint.h>
#include <string.h>

#include "npy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    npy_array a;
    char msg[256];
    memset(&a, 0, sizeof a);
    oclnn_status s = npy_read_buffer(data, size, &a, msg, sizeof msg);
    if (s == OCLNN_STATUS_OK) {
        /* the contract: nbytes is the product of the dims times the element size, all of it readable */
        size_t n = npy_dtype_size(a.dtype);
        for (size_t d = 0; d < a.ndim; d++)
            n *= (size_t)a.dims[d];
        if (n != a.nbytes || (a.nbytes && !a.data)) __builtin_trap();
        volatile uint8_t sink = 0;
        for (size_t i = 0; i < a.nbytes; i++)
            sink ^= ((const uint8_t *)a.data)[i];
        (void)sink;
        npy_free(&a);
    } else if (!memchr(msg, 0, sizeof msg) || !msg[0]) {
        __builtin_trap(); /* every refusal says why */
    }
    return 0;
}
