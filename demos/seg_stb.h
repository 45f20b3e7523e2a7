/* seg_stb.h - the demo's stb_image decoding (demos/seg_stb.c): PNG/JPEG from memory, never aborting the process. */
#ifndef SEG_STB_H
#define SEG_STB_H

#include <stdint.h>

/* stbi_info_from_memory: 1 with the size and channels, 0 when stb does not recognise the data. */
int seg_stb_info(const uint8_t *data, int size, int *w, int *h, int *comp);
/* RGB pixels (malloc'd, free with free()), or NULL with *why set. */
uint8_t *seg_stb_load(const uint8_t *data, int size, int *w, int *h, const char **why);
const char *seg_stb_failure_reason(void);

#endif
