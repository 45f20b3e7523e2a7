/* resize.cl - Resize/Upsample of NCHW float32 tensors over H and W. OpenCL C 1.2.
 *
 * Compile-time options: none. Modes are separate kernels, and every size is an argument, so one program serves
 * every shape and mode. Source coordinates are not computed here: the host evaluates the ONNX coordinate
 * transformation in double once per reshape and passes tables (tab), so the kernels cannot round differently
 * from the specification. Table layout, OH + OW rows of three ints each kind:
 *   tab[0 .. OH)        y0   (nearest: the source row)      tab[3OH .. 3OH+OW)       x0
 *   tab[OH .. 2OH)      y1   (linear: the second row)       tab[3OH+OW .. 3OH+2OW)   x1
 *   tab[2OH .. 3OH)     wy   (linear: weight of y1, float bits)  tab[3OH+2OW .. 3OH+3OW)  wx
 * Cubic tables have eight rows per axis instead: four source indices, then their four weights (float bits):
 *   tab[k OH + y] (k < 4) rows, tab[(4 + k) OH + y] weights; then the same for x from tab[8 OH], with OW.
 * Outputs go to channels [out_c_offset, + C) of an N x out_c_total x OH x OW tensor.
 */

/* Each work-item writes one output row, so the source row and the channel are worked out once per row and the
 * loop over x streams (a CPU driver vectorises it). global = (OH, N * C). */
__kernel void resize_nearest(__global const float *in, int in_off, __global float *out, int out_off,
                             __global const int *tab, int C, int H, int W, int OH, int OW, int out_c_offset,
                             int out_c_total) {
    const int y = get_global_id(0), z = get_global_id(1);
    const int n = z / C, c = z - n * C;
    __global const float *src = in + in_off + (z * H + tab[y]) * W;
    __global float *dst = out + out_off + ((n * out_c_total + out_c_offset + c) * OH + y) * OW;
    __global const int *tx = tab + 3 * OH;
    for (int x = 0; x < OW; ++x) dst[x] = src[tx[x]];
}

/* Bilinear: blends the two source rows along y, then the two columns along x, each as a + w * (b - a) with w the
 * weight of the second sample. One output row per work-item. global = (OH, N * C). */
__kernel void resize_linear(__global const float *in, int in_off, __global float *out, int out_off,
                            __global const int *tab, int C, int H, int W, int OH, int OW, int out_c_offset,
                            int out_c_total) {
    const int y = get_global_id(0), z = get_global_id(1);
    const int n = z / C, c = z - n * C;
    __global const float *r0 = in + in_off + (z * H + tab[y]) * W, *r1 = in + in_off + (z * H + tab[OH + y]) * W;
    const float wy = as_float(tab[2 * OH + y]);
    __global float *dst = out + out_off + ((n * out_c_total + out_c_offset + c) * OH + y) * OW;
    __global const int *tx0 = tab + 3 * OH, *tx1 = tx0 + OW, *twx = tx1 + OW;
    for (int x = 0; x < OW; ++x) {
        const int x0 = tx0[x], x1 = tx1[x];
        const float a = r0[x0] + wy * (r1[x0] - r0[x0]), b = r0[x1] + wy * (r1[x1] - r0[x1]);
        dst[x] = a + as_float(twx[x]) * (b - a);
    }
}

/* Cubic: 4 x 4 taps, the x blend of each of the four source rows, weighted along y. One output row per
 * work-item. global = (OH, N * C). */
__kernel void resize_cubic(__global const float *in, int in_off, __global float *out, int out_off,
                           __global const int *tab, int C, int H, int W, int OH, int OW, int out_c_offset,
                           int out_c_total) {
    const int y = get_global_id(0), z = get_global_id(1);
    const int n = z / C, c = z - n * C;
    __global const float *src = in + in_off + z * H * W;
    __global const float *r0 = src + tab[y] * W, *r1 = src + tab[OH + y] * W;
    __global const float *r2 = src + tab[2 * OH + y] * W, *r3 = src + tab[3 * OH + y] * W;
    const float w0 = as_float(tab[4 * OH + y]), w1 = as_float(tab[5 * OH + y]);
    const float w2 = as_float(tab[6 * OH + y]), w3 = as_float(tab[7 * OH + y]);
    __global float *dst = out + out_off + ((n * out_c_total + out_c_offset + c) * OH + y) * OW;
    __global const int *tx = tab + 8 * OH;
    for (int x = 0; x < OW; ++x) {
        float acc = 0.0f;
        for (int k = 0; k < 4; ++k) {
            const int i = tx[k * OW + x];
            const float v = w0 * r0[i] + w1 * r1[i] + w2 * r2[i] + w3 * r3[i];
            acc += as_float(tx[(4 + k) * OW + x]) * v;
        }
        dst[x] = acc;
    }
}

/* Bilinear doubling of the width with half-pixel centres (Resize linear x2 half_pixel / pytorch_half_pixel, the
 * DBNet case): out[2i] = v[i-1] + 0.75 (v[i] - v[i-1]), out[2i+1] = v[i] + 0.25 (v[i+1] - v[i]) with borders
 * clamped, where v is the y-blend of the two source rows (from the table, any y mapping). The same lerps as
 * resize_linear, but on contiguous float4s. global = (OH, N * C). */
#define RS_V(i) (r0[i] + wy * (r1[i] - r0[i]))
__kernel void resize_linear_x2(__global const float *in, int in_off, __global float *out, int out_off,
                               __global const int *tab, int C, int H, int W, int OH, int out_c_offset,
                               int out_c_total) {
    const int y = get_global_id(0), z = get_global_id(1);
    const int n = z / C, c = z - n * C;
    __global const float *r0 = in + in_off + (z * H + tab[y]) * W, *r1 = in + in_off + (z * H + tab[OH + y]) * W;
    const float wy = as_float(tab[2 * OH + y]);
    __global float *dst = out + out_off + ((n * out_c_total + out_c_offset + c) * OH + y) * (2 * W);
    float vm = RS_V(0), v0 = vm;
    int i = 0;
    /* 4 source columns per step, needing columns i - 1 .. i + 4. */
    for (i = 1; i + 5 <= W; i += 4) {
        const float4 a = vload4(0, r0 + i), b = vload4(0, r1 + i);
        const float4 v = a + wy * (b - a);
        const float4 prev = (float4)(RS_V(i - 1), v.s012), next = (float4)(v.s123, RS_V(i + 4));
        const float4 e = prev + 0.75f * (v - prev), o = v + 0.25f * (next - v);
        vstore8((float8)(e.s0, o.s0, e.s1, o.s1, e.s2, o.s2, e.s3, o.s3), 0, dst + 2 * i);
    }
    /* Column 0 (its left neighbour is itself) and whatever the vector loop left over. */
    for (int j = 0; j < W; j = (j == 0 && i > 1) ? i : j + 1) {
        vm = RS_V(max(j - 1, 0));
        v0 = RS_V(j);
        const float vp = RS_V(min(j + 1, W - 1));
        dst[2 * j] = vm + 0.75f * (v0 - vm);
        dst[2 * j + 1] = v0 + 0.25f * (vp - v0);
    }
}

/* Nearest upsampling by integer factors (source = destination / factor, e.g. asymmetric + floor x2 or x4, the
 * DBNet/FPN case): each work-item reads one input row once, 4 pixels at a time, and writes their fy x (4 fx)
 * blocks with vector stores; x2 and x4 have dedicated paths. global = (H, N * C). */
__kernel void resize_nearest_up(__global const float *in, int in_off, __global float *out, int out_off, int C,
                                int H, int W, int fy, int fx, int out_c_offset, int out_c_total) {
    const int y = get_global_id(0), z = get_global_id(1);
    const int n = z / C, c = z - n * C;
    const int OW = W * fx, OH = H * fy;
    __global const float *src = in + in_off + (z * H + y) * W;
    __global float *dst = out + out_off + ((n * out_c_total + out_c_offset + c) * OH + y * fy) * OW;
    int x0 = 0;
    if (fx == 2) {
        for (; x0 + 4 <= W; x0 += 4) {
            const float4 v = vload4(0, src + x0);
            const float8 o = (float8)(v.s0, v.s0, v.s1, v.s1, v.s2, v.s2, v.s3, v.s3);
            for (int r = 0; r < fy; ++r) vstore8(o, 0, dst + r * OW + 2 * x0);
        }
    } else if (fx == 4) {
        for (; x0 + 4 <= W; x0 += 4) {
            const float4 v = vload4(0, src + x0);
            /* Two float8 rather than one float16: a 16-wide vector argument changes the ABI without AVX-512. */
            const float8 lo = (float8)(v.s0, v.s0, v.s0, v.s0, v.s1, v.s1, v.s1, v.s1);
            const float8 hi = (float8)(v.s2, v.s2, v.s2, v.s2, v.s3, v.s3, v.s3, v.s3);
            for (int r = 0; r < fy; ++r) {
                vstore8(lo, 0, dst + r * OW + 4 * x0);
                vstore8(hi, 0, dst + r * OW + 4 * x0 + 8);
            }
        }
    }
    /* Other factors, and the last W % 4 pixels of x2 and x4. */
    for (int r = 0; r < fy; ++r)
        for (int i = x0 * fx; i < OW; ++i) dst[r * OW + i] = src[i / fx];
}
