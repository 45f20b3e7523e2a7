/* lrn.cl - Local Response Normalization across channels (ONNX LRN) of a float32 N x C x (inner) tensor.
 * OpenCL C 1.2.
 *
 * -D options, all optional:
 *   SIZE  channels in the window (ONNX `size`), 1..127                             (default 5)
 *   VEC   positions along `inner` per work-item: 1, 2, 4, 8 or 16                  (default 8)
 *   BETA_MODE  how t^-beta is computed: 0 pow(t, -beta) for any beta; 1 beta = 0.75 (AlexNet, GoogLeNet, the
 *         ONNX default) as rsqrt(t) * sqrt(rsqrt(t)); 2 beta = 0.5 as rsqrt(t); 3 beta = 1 as 1 / t.
 *         The special forms are within a few ulp, like pow, but an order of magnitude faster on CPU
 *         drivers whose vector pow is slow (POCL)                                   (default 0)
 *
 * y = x * (bias + alpha_over_size * square_sum)^-beta, square_sum over channels [c - PRE, c + POST] clipped to
 * [0, C - 1], PRE = floor((SIZE - 1) / 2), POST = ceil((SIZE - 1) / 2) (ONNX; an even SIZE reaches further
 * after c). alpha / size, beta and bias are kernel arguments: they vary per model, the window does not.
 *
 * Kernel lrn_across_channels: one work-item per VEC consecutive pixels of one image, walking the channels with
 * stride `inner` on VEC-wide vectors (neighbouring work-items read neighbouring addresses) and keeping the SIZE
 * squares of the window in registers, shifted by one channel per step. Pixels past the last whole vector of an
 * image take a scalar loop. The window is summed afresh in channel order at every step rather than updated by
 * adding one square and subtracting another, which would let rounding errors of large squares linger in small
 * sums. global = N * ceil(inner / VEC) rounded up to the local size.
 */

#ifndef SIZE
#define SIZE 5
#endif
#ifndef VEC
#define VEC 8
#endif

#if SIZE < 1 || SIZE > 127
#error "SIZE must be 1..127"
#endif

#ifndef BETA_MODE
#define BETA_MODE 0
#endif

/* t^-beta for t of type T. */
#if BETA_MODE == 0
#define POW_NEG_BETA(T, t) pow(t, (T)(-beta))
#elif BETA_MODE == 1
#define POW_NEG_BETA(T, t) (rsqrt(t) * sqrt(rsqrt(t)))
#elif BETA_MODE == 2
#define POW_NEG_BETA(T, t) rsqrt(t)
#elif BETA_MODE == 3
#define POW_NEG_BETA(T, t) ((T)(1.0f) / (t))
#else
#error "BETA_MODE must be 0..3"
#endif

#define PRE ((SIZE - 1) / 2)
#define POST (SIZE - 1 - PRE)

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#if VEC == 1
typedef float vecf;
#define VLOAD(p) (*(p))
#define VSTORE(v, p) (*(p) = (v))
#else
typedef CAT(float, VEC) vecf;
#define VLOAD(p) CAT(vload, VEC)(0, p)
#define VSTORE(v, p) CAT(vstore, VEC)(v, 0, p)
#endif
#define SLOAD(p) (*(p))
#define SSTORE(v, p) (*(p) = (v))

/* The channel walk of one pixel (or VEC neighbouring pixels) starting at xp / yp, for element type T. */
#define LRN_COLUMN(T, LD, ST, xp, yp)                                                                      \
    {                                                                                                      \
        T sq[SIZE]; /* sq[j]: square of channel c - PRE + j, 0 outside [0, C) */                           \
        _Pragma("unroll") for (int j = 0; j < SIZE; ++j) {                                                 \
            const int ch = j - PRE;                                                                        \
            const T v = ch >= 0 && ch < C ? LD((xp) + ch * inner) : (T)(0.0f);                             \
            sq[j] = v * v;                                                                                 \
        }                                                                                                  \
        for (int c = 0; c < C; ++c) {                                                                      \
            T s = (T)(0.0f);                                                                               \
            _Pragma("unroll") for (int j = 0; j < SIZE; ++j)                                               \
                s += sq[j];                                                                                \
            const T v = LD((xp) + c * inner);                                                              \
            ST(v * POW_NEG_BETA(T, (T)(bias) + (T)(alpha_over_size) * s), (yp) + c * inner);                \
            _Pragma("unroll") for (int j = 0; j < SIZE - 1; ++j)                                           \
                sq[j] = sq[j + 1];                                                                         \
            const int ch = c + 1 + POST;                                                                   \
            const T w = ch < C ? LD((xp) + ch * inner) : (T)(0.0f);                                        \
            sq[SIZE - 1] = w * w;                                                                          \
        }                                                                                                  \
    }

__kernel void lrn_across_channels(__global const float *x, int x_off, __global float *y, int y_off, int N, int C,
                                  int inner, float alpha_over_size, float beta, float bias)
{
    const int nb = (inner + VEC - 1) / VEC; /* vectors per image */
    const int gid = get_global_id(0);
    if (gid >= N * nb)
        return;
    const int n = gid / nb, i0 = (gid - n * nb) * VEC;
    __global const float *xp = x + x_off + n * C * inner + i0;
    __global float *yp = y + y_off + n * C * inner + i0;
    if (i0 + VEC <= inner) {
        LRN_COLUMN(vecf, VLOAD, VSTORE, xp, yp)
    } else {
        for (int i = 0; i < inner - i0; ++i)
            LRN_COLUMN(float, SLOAD, SSTORE, xp + i, yp + i)
    }
}
