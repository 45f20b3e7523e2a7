/* resize.cl - Resize/Upsample of NCHW float32 tensors over H and W. OpenCL C 1.2.
 *
 * Compile-time options: none. Modes are separate kernels, and every size is an argument, so one program serves
 * every shape and mode. Source coordinates are not computed here: the host evaluates the ONNX coordinate
 * transformation in double once per reshape and passes tables (tab), so the kernels cannot round differently
 * from the specification. Table layout, OH + OW rows of three ints each kind:
 *   tab[0 .. OH)        y0   (nearest: the source row)      tab[3OH .. 3OH+OW)       x0
 *   tab[OH .. 2OH)      y1   (linear: the second row)       tab[3OH+OW .. 3OH+2OW)   x1
 *   tab[2OH .. 3OH)     wy   (linear: weight of y1, float bits)  tab[3OH+2OW .. 3OH+3OW)  wx
 * Outputs go to channels [out_c_offset, + C) of an N x out_c_total x OH x OW tensor.
 */

/* One output pixel per work-item. global = (OW, OH, N * C). */
__kernel void resize_nearest(__global const float *in, int in_off, __global float *out, int out_off,
                             __global const int *tab, int C, int H, int W, int OH, int OW, int out_c_offset,
                             int out_c_total) {
    const int x = get_global_id(0), y = get_global_id(1), z = get_global_id(2);
    const int n = z / C, c = z - n * C;
    const int sy = tab[y], sx = tab[3 * OH + x];
    out[out_off + ((n * out_c_total + out_c_offset + c) * OH + y) * OW + x] = in[in_off + (z * H + sy) * W + sx];
}

/* Bilinear: interpolates along x on both rows, then along y, each as a + w * (b - a) with w the weight of the
 * second sample. global = (OW, OH, N * C). */
__kernel void resize_linear(__global const float *in, int in_off, __global float *out, int out_off,
                            __global const int *tab, int C, int H, int W, int OH, int OW, int out_c_offset,
                            int out_c_total) {
    const int x = get_global_id(0), y = get_global_id(1), z = get_global_id(2);
    const int n = z / C, c = z - n * C;
    const int y0 = tab[y], y1 = tab[OH + y], x0 = tab[3 * OH + x], x1 = tab[3 * OH + OW + x];
    const float wy = as_float(tab[2 * OH + y]), wx = as_float(tab[3 * OH + 2 * OW + x]);
    __global const float *r0 = in + in_off + (z * H + y0) * W, *r1 = in + in_off + (z * H + y1) * W;
    const float a = r0[x0] + wx * (r0[x1] - r0[x0]);
    const float b = r1[x0] + wx * (r1[x1] - r1[x0]);
    out[out_off + ((n * out_c_total + out_c_offset + c) * OH + y) * OW + x] = a + wy * (b - a);
}

/* Nearest upsampling by integer factors (source = destination / factor, e.g. asymmetric + floor x2 or x4, the
 * DBNet/FPN case): each work-item reads 4 input pixels of one row once and writes their fy x (4 fx) block with
 * vector stores; x2 and x4 have dedicated paths. global = (ceil(W / 4), H, N * C). */
__kernel void resize_nearest_up(__global const float *in, int in_off, __global float *out, int out_off, int C,
                                int H, int W, int fy, int fx, int out_c_offset, int out_c_total) {
    const int q = get_global_id(0), y = get_global_id(1), z = get_global_id(2);
    const int n = z / C, c = z - n * C;
    const int x0 = q * 4, OW = W * fx, OH = H * fy;
    __global const float *src = in + in_off + (z * H + y) * W + x0;
    __global float *dst = out + out_off + ((n * out_c_total + out_c_offset + c) * OH + y * fy) * OW + x0 * fx;
    if (x0 + 4 <= W) {
        const float4 v = vload4(0, src);
        if (fx == 2) {
            const float8 o = (float8)(v.s0, v.s0, v.s1, v.s1, v.s2, v.s2, v.s3, v.s3);
            for (int r = 0; r < fy; ++r) vstore8(o, 0, dst + r * OW);
        } else if (fx == 4) {
            const float16 o = (float16)(v.s0, v.s0, v.s0, v.s0, v.s1, v.s1, v.s1, v.s1, v.s2, v.s2, v.s2, v.s2, v.s3,
                                        v.s3, v.s3, v.s3);
            for (int r = 0; r < fy; ++r) vstore16(o, 0, dst + r * OW);
        } else {
            const float s[4] = {v.s0, v.s1, v.s2, v.s3};
            for (int r = 0; r < fy; ++r)
                for (int i = 0; i < 4 * fx; ++i) dst[r * OW + i] = s[i / fx];
        }
    } else {
        const int m = W - x0; /* 1..3 pixels left in the row */
        for (int r = 0; r < fy; ++r)
            for (int i = 0; i < m * fx; ++i) dst[r * OW + i] = src[i / fx];
    }
}
