/* conv2d_direct_pack.h - host-side helpers for cl/conv2d_direct.cl: size of the packed
 * weight buffer, packing of ONNX-layout weights into the kernel's read order, and the
 * NDRange for a launch. Pure C11, no OpenCL dependency. */
#ifndef OCLNN_CONV2D_DIRECT_PACK_H
#define OCLNN_CONV2D_DIRECT_PACK_H

#include <stddef.h>

/* Tile defaults matching the kernel's own defaults (tuned for POCL on an AVX2 CPU:
 * 16 channels = 2 ymm registers x 6 pixels = 12 accumulator registers of 16). */
#define OCLNN_CONV2D_DIRECT_DEFAULT_OC_TILE 16
#define OCLNN_CONV2D_DIRECT_DEFAULT_OW_TILE 6

/* Number of OC_TILE-wide output-channel blocks per group: ceil((K/groups) / oc_tile). */
int oclnn_conv2d_direct_blocks_per_group(int K, int groups, int oc_tile);

/* Number of floats in the packed weight buffer:
 * groups * blocks_per_group * (C/groups) * KH * KW * oc_tile. */
size_t oclnn_conv2d_direct_packed_size(int K, int C, int groups, int KH, int KW, int oc_tile);

/* Packs w (ONNX layout [K][C/groups][KH][KW]) into packed (packed_size floats) as
 *   packed[g][kb][ky][c][kx][j] = w[g*Kg + kb*oc_tile + j][c][ky][kx]
 * with Kg = K/groups, c in [0, C/groups), and zeros where kb*oc_tile + j >= Kg
 * (each group is padded separately, so a channel block never straddles groups). */
void oclnn_conv2d_direct_pack(const float *w, float *packed, int K, int C, int groups,
                              int KH, int KW, int oc_tile);

/* The same for channel blocks [first, first + count) only (block b = g * blocks_per_group + kb), written from
 * packed[0]: the packed buffer is those blocks one after another, each (C/groups) * KH * KW * oc_tile floats,
 * so it can be filled a chunk at a time. */
void oclnn_conv2d_direct_pack_blocks(const float *w, float *packed, int K, int C, int groups,
                                     int KH, int KW, int oc_tile, size_t first, size_t count);

/* Global / local sizes for the kernel (local is always 1x1x1, as the kernel requires):
 *   global[0] = ceil(OW / ow_tile)              tile of ow_tile output columns
 *   global[1] = OH                              output row
 *   global[2] = N * groups * blocks_per_group   (n, g, channel block), block fastest */
void oclnn_conv2d_direct_ndrange(int N, int K, int OH, int OW, int groups, int oc_tile,
                                 int ow_tile, size_t global[3], size_t local[3]);

#endif /* OCLNN_CONV2D_DIRECT_PACK_H */
