/* seg_stb.c - stb_image compiled into the demo instead of taken from Debian's libstb.so, for two reasons found by
 * fuzz/fuzz_image: libstb is built with assertions, so a crafted progressive JPEG aborts the whole process
 * (stbi__jpeg_huff_decode's consistency assert), and a copy built here is instrumented by the sanitizer builds.
 * Without the assert stb decodes such a file into garbage pixels or refuses it, with no memory error (ASan, UBSan).
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wunused-function"
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ASSERT(x) ((void)0)
#include <stb_image.h>
#pragma GCC diagnostic pop
