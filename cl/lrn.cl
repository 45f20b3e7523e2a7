/* lrn.cl - Local Response Normalization across channels (ONNX LRN) of a float32 N x C x (inner) tensor.
 * OpenCL C 1.2.
 *
 * -D options, all optional:
 *   SIZE  channels in the window (ONNX `size`), 1..127                             (default 5)
 *
 * y = x * (bias + alpha_over_size * square_sum)^-beta, square_sum over channels [c - PRE, c + POST] clipped to
 * [0, C - 1], PRE = floor((SIZE - 1) / 2), POST = ceil((SIZE - 1) / 2) (ONNX; an even SIZE reaches further
 * after c). alpha / size, beta and bias are kernel arguments: they vary per model, the window does not.
 *
 * Kernel lrn_across_channels: one work-item per (n, pixel), walking the channels with stride `inner` (so
 * neighbouring work-items read neighbouring addresses) and keeping the SIZE squares of the window in registers,
 * shifted by one channel per step. The window is summed afresh in channel order at every step rather than
 * updated by adding one square and subtracting another, which would let rounding errors of large squares
 * linger in small sums. global = N*inner rounded up to the local size.
 */

#ifndef SIZE
#define SIZE 5
#endif

#if SIZE < 1 || SIZE > 127
#error "SIZE must be 1..127"
#endif

#define PRE ((SIZE - 1) / 2)
#define POST (SIZE - 1 - PRE)

__kernel void lrn_across_channels(__global const float *x, int x_off, __global float *y, int y_off, int N, int C,
                                  int inner, float alpha_over_size, float beta, float bias)
{
    const int gid = get_global_id(0);
    if (gid >= N * inner)
        return;
    const int n = gid / inner, i = gid - n * inner;
    __global const float *xp = x + x_off + n * C * inner + i;
    __global float *yp = y + y_off + n * C * inner + i;

    float sq[SIZE]; /* sq[j]: square of channel c - PRE + j, 0 outside [0, C) */
    _Pragma("unroll") for (int j = 0; j < SIZE; ++j) {
        const int ch = j - PRE;
        const float v = ch >= 0 && ch < C ? xp[ch * inner] : 0.0f;
        sq[j] = v * v;
    }
    for (int c = 0; c < C; ++c) {
        float s = 0.0f;
        _Pragma("unroll") for (int j = 0; j < SIZE; ++j)
            s += sq[j];
        const float v = xp[c * inner];
        yp[c * inner] = v * pow(bias + alpha_over_size * s, -beta);
        _Pragma("unroll") for (int j = 0; j < SIZE - 1; ++j)
            sq[j] = sq[j + 1];
        const int ch = c + 1 + POST;
        const float w = ch < C ? xp[ch * inner] : 0.0f;
        sq[SIZE - 1] = w * w;
    }
}
