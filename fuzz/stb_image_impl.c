/* stb_image_impl.c - the image decoder compiled into fuzz_image itself: Debian's libstb.so is not instrumented, so
 * without this copy libFuzzer would see no coverage inside the decoder and ASan no access it makes. The
 * executable's definitions take precedence over the shared library's. Settings are stb's defaults, as Debian's. */
#define STB_IMAGE_IMPLEMENTATION
#include <stb_image.h>
