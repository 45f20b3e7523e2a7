/* datamove.cl - copy kernels for Concat, Split, Slice, Transpose (one strided 5-D copy serves them all, plus a
 * tiled batched 2-D transpose for NCHW <-> NHWC) and Pad. OpenCL C 1.2, float32, results are exact copies.
 *
 * Compile-time options (-D), all optional:
 *   PAD_MODE  dm_pad's mode: 0 constant, 1 reflect, 2 edge, 3 wrap (oclnn_pad_mode)       (default 0)
 *   TILE      side of dm_transpose's square tile; its work-group is TILE x TILE            (default 16)
 *
 * Every shape, stride and offset is a kernel argument (element units, 32-bit: tensors stay below 2^31
 * elements), so one program serves every shape. Strides may be negative (Slice with negative steps).
 */

#ifndef PAD_MODE
#define PAD_MODE 0
#endif
#ifndef TILE
#define TILE 16
#endif

/* dst[dst_off + sum(i_k * t_k)] = src[src_off + sum(i_k * s_k)] over a d0 x d1 x d2 x d3 x d4 index space.
 * global = (d4, d3, d0 * d1 * d2), exact, so there is no bounds check; d0 is implied by the global size. */
__kernel void dm_copy(__global const float *src, int src_off, __global float *dst, int dst_off, int d1, int d2,
                      int s0, int s1, int s2, int s3, int s4, int t0, int t1, int t2, int t3, int t4) {
    const int i4 = get_global_id(0), i3 = get_global_id(1);
    int z = get_global_id(2);
    const int i2 = z % d2;
    z /= d2;
    const int i1 = z % d1, i0 = z / d1;
    dst[dst_off + i0 * t0 + i1 * t1 + i2 * t2 + i3 * t3 + i4 * t4] =
        src[src_off + i0 * s0 + i1 * s1 + i2 * s2 + i3 * s3 + i4 * s4];
}

/* Batched transpose of contiguous matrices: src is B x R x C, dst is B x C x R. A TILE x TILE block goes
 * through local memory so that both the reads and the writes run along rows. The +1 column keeps GPU local
 * banks conflict-free. global = (roundup(C, TILE), roundup(R, TILE), B), local = (TILE, TILE, 1). */
__kernel __attribute__((reqd_work_group_size(TILE, TILE, 1))) void
dm_transpose(__global const float *src, int src_off, __global float *dst, int dst_off, int R, int C) {
    __local float tile[TILE][TILE + 1];
    const int lx = get_local_id(0), ly = get_local_id(1);
    const int c0 = get_group_id(0) * TILE, r0 = get_group_id(1) * TILE;
    const int b = get_global_id(2);
    const int mat = R * C;
    src += src_off + b * mat;
    dst += dst_off + b * mat;
    if (r0 + ly < R && c0 + lx < C) tile[ly][lx] = src[(r0 + ly) * C + c0 + lx];
    barrier(CLK_LOCAL_MEM_FENCE);
    if (c0 + ly < C && r0 + lx < R) dst[(c0 + ly) * R + r0 + lx] = tile[lx][ly];
}

/* Where output coordinate o of an axis reads from: o - p in [0, L) reads there; outside it the mode decides.
 * Returns -1 for "the constant". L is the (already cropped) input length, >= 1. */
int dm_pad_src(int o, int p, int L) {
    int c = o - p;
    if (c >= 0 && c < L) return c;
#if PAD_MODE == 0
    return -1;
#elif PAD_MODE == 1
    if (L == 1) return 0;
    /* Reflection is periodic with period 2(L-1): fold into it, then mirror the second half. */
    const int m = 2 * (L - 1);
    c %= m;
    if (c < 0) c += m;
    return c < L ? c : m - c;
#elif PAD_MODE == 2
    return clamp(c, 0, L - 1);
#elif PAD_MODE == 3
    c %= L;
    return c < 0 ? c + L : c;
#else
#error "unknown PAD_MODE"
#endif
}

/* Pad: dst is a contiguous o0 x o1 x o2 x o3 x o4 tensor; axis k reads the input with stride s_k (any crop of
 * negative pads is already folded into src_off and l_k), after p_k positive begin pads.
 * global = (o4, o3, o0 * o1 * o2). */
__kernel void dm_pad(__global const float *src, int src_off, __global float *dst, int dst_off, int o1, int o2,
                     int o3, int o4, int l0, int l1, int l2, int l3, int l4, int p0, int p1, int p2, int p3, int p4,
                     int s0, int s1, int s2, int s3, int s4, float value) {
    const int i4 = get_global_id(0), i3 = get_global_id(1);
    int z = get_global_id(2);
    const int i2 = z % o2;
    z /= o2;
    const int i1 = z % o1, i0 = z / o1;
    const int c0 = dm_pad_src(i0, p0, l0), c1 = dm_pad_src(i1, p1, l1), c2 = dm_pad_src(i2, p2, l2);
    const int c3 = dm_pad_src(i3, p3, l3), c4 = dm_pad_src(i4, p4, l4);
    float v;
#if PAD_MODE == 0
    if ((c0 | c1 | c2 | c3 | c4) < 0)
        v = value;
    else
#endif
        v = src[src_off + c0 * s0 + c1 * s1 + c2 * s2 + c3 * s3 + c4 * s4];
    dst[dst_off + (((i0 * o1 + i1) * o2 + i2) * o3 + i3) * o4 + i4] = v;
}
