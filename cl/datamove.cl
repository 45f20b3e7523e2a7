/* datamove.cl - copy kernels for Concat, Split, Slice, Transpose (one strided 5-D copy serves them all, plus a
 * register-blocked batched 2-D transpose for NCHW <-> NHWC) and Pad. OpenCL C 1.2, float32, results are exact copies.
 *
 * Compile-time option (-D), optional:
 *   PAD_MODE  dm_pad's mode: 0 constant, 1 reflect, 2 edge, 3 wrap (oclnn_pad_mode)       (default 0)
 *
 * Every shape, stride and offset is a kernel argument (element units, 32-bit: tensors stay below 2^31
 * elements), so one program serves every shape. Strides may be negative (Slice with negative steps).
 */

#ifndef PAD_MODE
#define PAD_MODE 0
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

/* Batched transpose of contiguous matrices: src is B x R x C, dst is B x C x R. Each work-item moves an 8 x 8
 * block through registers: 8 row loads and 8 row stores of 8 floats, so both sides stream (no local memory and no
 * barrier, which CPU drivers execute slowly). Partial blocks at the borders go element by element.
 * global = (ceil(C / 8), ceil(R / 8), B). */
#define DM_COL(j) (float8)(r0.s##j, r1.s##j, r2.s##j, r3.s##j, r4.s##j, r5.s##j, r6.s##j, r7.s##j)
__kernel void dm_transpose(__global const float *src, int src_off, __global float *dst, int dst_off, int R, int C) {
    const int c0 = get_global_id(0) * 8, rr0 = get_global_id(1) * 8, b = get_global_id(2);
    src += src_off + b * R * C + rr0 * C + c0;
    dst += dst_off + b * R * C + c0 * R + rr0;
    if (rr0 + 8 <= R && c0 + 8 <= C) {
        const float8 r0 = vload8(0, src), r1 = vload8(0, src + C), r2 = vload8(0, src + 2 * C),
                     r3 = vload8(0, src + 3 * C), r4 = vload8(0, src + 4 * C), r5 = vload8(0, src + 5 * C),
                     r6 = vload8(0, src + 6 * C), r7 = vload8(0, src + 7 * C);
        vstore8(DM_COL(0), 0, dst);
        vstore8(DM_COL(1), 0, dst + R);
        vstore8(DM_COL(2), 0, dst + 2 * R);
        vstore8(DM_COL(3), 0, dst + 3 * R);
        vstore8(DM_COL(4), 0, dst + 4 * R);
        vstore8(DM_COL(5), 0, dst + 5 * R);
        vstore8(DM_COL(6), 0, dst + 6 * R);
        vstore8(DM_COL(7), 0, dst + 7 * R);
    } else {
        const int nr = min(8, R - rr0), nc = min(8, C - c0);
        for (int j = 0; j < nc; ++j)
            for (int i = 0; i < nr; ++i) dst[j * R + i] = src[i * C + j];
    }
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
