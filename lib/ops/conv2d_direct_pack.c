/* conv2d_direct_pack.c - weight packing and NDRange computation for cl/conv2d_direct.cl.
 * The packed order is exactly the order in which one work-item streams its weights, so
 * the kernel only issues contiguous vector loads. */
#include "conv2d_direct_pack.h"

#include <string.h>

int oclnn_conv2d_direct_blocks_per_group(int K, int groups, int oc_tile)
{
    int kg = K / groups;
    return (kg + oc_tile - 1) / oc_tile;
}

size_t oclnn_conv2d_direct_packed_size(int K, int C, int groups, int KH, int KW, int oc_tile)
{
    size_t blocks = (size_t)groups * (size_t)oclnn_conv2d_direct_blocks_per_group(K, groups, oc_tile);
    return blocks * (size_t)(C / groups) * (size_t)KH * (size_t)KW * (size_t)oc_tile;
}

void oclnn_conv2d_direct_pack_blocks(const float *w, float *packed, int K, int C, int groups,
                                     int KH, int KW, int oc_tile, size_t first, size_t count)
{
    const int kg = K / groups, cg = C / groups;
    const int kbg = oclnn_conv2d_direct_blocks_per_group(K, groups, oc_tile);
    const size_t block = (size_t)cg * (size_t)KH * (size_t)KW * (size_t)oc_tile;
    /* Zero first: padded channels must contribute exactly 0 (they are computed, not stored). */
    memset(packed, 0, count * block * sizeof(float));
    size_t o = 0;
    for (size_t b = first; b < first + count; ++b) {
        const int g = (int)(b / (size_t)kbg), kb = (int)(b % (size_t)kbg);
        /* ky outside c: the kernel skips whole kernel rows that fall in the padding,
         * and for a fixed ky walks all input channels as one sequential stream. */
        for (int ky = 0; ky < KH; ++ky)
            for (int c = 0; c < cg; ++c)
                for (int kx = 0; kx < KW; ++kx)
                    for (int j = 0; j < oc_tile; ++j, ++o) {
                        int kl = kb * oc_tile + j;
                        if (kl < kg) {
                            size_t k = (size_t)g * kg + kl;
                            packed[o] = w[((k * cg + c) * KH + ky) * KW + kx];
                        }
                    }
    }
}

void oclnn_conv2d_direct_pack(const float *w, float *packed, int K, int C, int groups,
                              int KH, int KW, int oc_tile)
{
    size_t blocks = (size_t)groups * (size_t)oclnn_conv2d_direct_blocks_per_group(K, groups, oc_tile);
    oclnn_conv2d_direct_pack_blocks(w, packed, K, C, groups, KH, KW, oc_tile, 0, blocks);
}

void oclnn_conv2d_direct_ndrange(int N, int K, int OH, int OW, int groups, int oc_tile,
                                 int ow_tile, size_t global[3], size_t local[3])
{
    /* x tiles fastest: consecutive work-groups reuse the same weight block (L2-resident)
     * and neighbouring input columns. */
    global[0] = (size_t)((OW + ow_tile - 1) / ow_tile);
    global[1] = (size_t)OH;
    global[2] = (size_t)N * (size_t)groups * (size_t)oclnn_conv2d_direct_blocks_per_group(K, groups, oc_tile);
    local[0] = local[1] = local[2] = 1;
}
