/* fuzz_image.c - libFuzzer target for the segmentation demo's image decoding (demos/seg_image.c: stb_image behind
 * the demo's caps on file size and pixel count, checked before decoding): any bytes give an image within the caps
 * or an error message; never a crash, a leak or an out-of-bounds access.
 */
#include <stdint.h>
#include <string.h>

#include "seg_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    seg_image img;
    char err[SEG_ERR_LEN];
    memset(&img, 0, sizeof img);
    err[0] = 0;
    if (seg_image_load_memory(data, size, "fuzz-input", &img, err, sizeof err) == 0) {
        if (img.w < 1 || img.h < 1 || img.w > SEG_IMAGE_MAX_SIDE || img.h > SEG_IMAGE_MAX_SIDE || !img.rgb)
            __builtin_trap();
        volatile uint8_t sink = 0;
        size_t n = (size_t)img.w * (size_t)img.h * 3;
        for (size_t i = 0; i < n; i += 61)
            sink ^= img.rgb[i];
        sink ^= img.rgb[n - 1];
        (void)sink;
        seg_image_free(&img);
    } else if (!err[0]) {
        __builtin_trap(); /* every refusal says why */
    }
    return 0;
}
