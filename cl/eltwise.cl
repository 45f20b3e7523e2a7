/* eltwise.cl - elementwise kernels, NCHW float32, OpenCL C 1.2: unary activations, binary ops with numpy
 * broadcasting (Add, Sub, Mul, Div, Max, Min, PRelu) and the per-channel affine y = a[c]*x + b[c] that a folded
 * BatchNormalization runs. The host code is lib/ops/eltwise.c and lib/ops/batchnorm.c.
 *
 * Compile-time options (-D), all optional:
 *   ACT     activation applied to every result, the codes of oclnn_activation: 0 none, 1 ReLU,
 *           2 LeakyReLU(alpha), 3 Clip(alpha, beta), 4 Sigmoid, 5 Tanh, 6 HardSigmoid(alpha, beta),
 *           7 HardSwish                                                                   (default 0)
 *           alpha and beta are kernel ARGUMENTS here (not -D literals as in conv2d_direct.cl), so one program
 *           serves every attribute value; the math is the same as oclnn_act() there.
 *   OP      binary operation of the eltwise_binary_* kernels: 0 Add, 1 Sub, 2 Mul, 3 Div, 4 Max, 5 Min,
 *           6 PRelu (y = x >= 0 ? x : slope * x, slope the second operand)                 (default 0)
 *   VEC     float vector width of the contiguous paths: 1, 2, 4, 8 or 16                  (default 8)
 *   UNROLL  vectors per work-item of the contiguous kernels                                (default 4)
 *   BCAST_UNROLL  vectors per work-item of eltwise_binary_bcast: 16 * 8 floats measured 2-3x faster than
 *           4 * 8 on POCL, whose cost per work-item dominates shorter chunks                (default 16)
 *
 * Layout of eltwise_unary and eltwise_binary_same: work-group g owns the block of get_local_size(0) * VEC * UNROLL
 * consecutive elements starting at g times that; work-item l of it handles vectors l, l + lsize, ... of the
 * block. Neighbouring work-items touch neighbouring vectors (coalesced on GPUs), and a CPU driver that runs the
 * work-items of a group in a loop still streams through one contiguous block. A block that overhangs the end
 * takes the scalar, guarded path. Indices are int: the host refuses tensors of 2^31 elements or more.
 */

#ifndef ACT
#define ACT 0
#endif
#ifndef OP
#define OP 0
#endif
#ifndef VEC
#define VEC 8
#endif
#ifndef UNROLL
#define UNROLL 4
#endif
#ifndef BCAST_UNROLL
#define BCAST_UNROLL 16
#endif

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#if VEC == 1
#define VT float
#define VLOAD(p) (*(p))
#define VSTORE(v, p) (*(p) = (v))
#else
#define VT CAT(float, VEC)
/* Unaligned vector loads and stores as single instructions: POCL splits vload8/vstore8 into 2-float pieces
 * (measured: the general broadcast path at 15% of a copy's bandwidth with them). A packed struct (OpenCL C
 * 6.11.1) tells the compiler that the whole vector may sit at any float address, as in cl/pool2d.cl. */
typedef struct __attribute__((packed)) {
    VT v;
} vt_unaligned;
#define VLOAD(p) (((__global const vt_unaligned *)(p))->v)
#define VSTORE(x, p) (((__global vt_unaligned *)(p))->v = (x))
#endif

/* The activation for a float or a float vector. Every line means what oclnn_act() in conv2d_direct.cl means
 * (select(a, b, c) is c ? b : a elementwise). */
#define DEFINE_ACT(T)                                                                                        \
    T CAT(act_, T)(T x, float alpha, float beta) {                                                          \
        (void)alpha;                                                                                         \
        (void)beta;                                                                                          \
        ACT_BODY                                                                                             \
    }
#if ACT == 0
#define ACT_BODY return x;
#elif ACT == 1
#define ACT_BODY return fmax(x, 0.0f);
#elif ACT == 2
#define ACT_BODY return select(alpha * x, x, x >= 0.0f);
#elif ACT == 3
#define ACT_BODY return fmin(fmax(x, alpha), beta);
#elif ACT == 4
#define ACT_BODY return 1.0f / (1.0f + exp(-x));
#elif ACT == 5
#define ACT_BODY return tanh(x);
#elif ACT == 6
#define ACT_BODY return fmax(fmin(alpha * x + beta, 1.0f), 0.0f);
#elif ACT == 7
#define ACT_BODY return x * fmax(fmin(x * (1.0f / 6.0f) + 0.5f, 1.0f), 0.0f);
#else
#error "unknown ACT"
#endif
DEFINE_ACT(float)
#if VEC != 1
DEFINE_ACT(VT)
#endif

/* The binary operation on two values of one type T (a scalar operand is widened by the caller). */
#define DEFINE_OP(T)                                                                                         \
    T CAT(op_, T)(T a, T b) { OP_BODY }
#if OP == 0
#define OP_BODY return a + b;
#elif OP == 1
#define OP_BODY return a - b;
#elif OP == 2
#define OP_BODY return a * b;
#elif OP == 3
#define OP_BODY return a / b;
#elif OP == 4
#define OP_BODY return fmax(a, b);
#elif OP == 5
#define OP_BODY return fmin(a, b);
#elif OP == 6
#define OP_BODY return select(b * a, a, a >= 0.0f);
#else
#error "unknown OP"
#endif
DEFINE_OP(float)
#if VEC != 1
DEFINE_OP(VT)
#endif

#define ACT_S(x) act_float(x, alpha, beta)
#define ACT_V(x) CAT(act_, VT)(x, alpha, beta)
#define OP_S(a, b) op_float(a, b)
#define OP_V(a, b) CAT(op_, VT)(a, b)

/* First element of this work-item's first vector, the stride between its vectors, and whether its whole block
 * lies inside [0, E). */
#define BLOCK_SETUP(E)                                                                                       \
    const int lsize = (int)get_local_size(0);                                                                \
    const int block = (int)get_group_id(0) * lsize * (VEC * UNROLL);                                         \
    const int first = block + (int)get_local_id(0) * VEC;                                                    \
    const int vstride = lsize * VEC;                                                                         \
    const int full = block + lsize * (VEC * UNROLL) <= (E);

/* y[i] = act(x[i]) for i < E. x == y (in place) is allowed: every element is read and written by one
 * work-item. global = (blocks * lsize). */
__kernel void eltwise_unary(__global const float *x, int x_off, __global float *y, int y_off, int E, float alpha,
                            float beta) {
    BLOCK_SETUP(E)
    x += x_off;
    y += y_off;
    if (full) {
        for (int u = 0; u < UNROLL; ++u) {
            const int i = first + u * vstride;
            VSTORE(ACT_V(VLOAD(x + i)), y + i);
        }
    } else {
        for (int u = 0; u < UNROLL; ++u)
            for (int j = 0; j < VEC; ++j) {
                const int i = first + u * vstride + j;
                if (i < E) y[i] = ACT_S(x[i]);
            }
    }
}

/* Both operands have the output's shape: y[n][i] = act(a[n][i] op b[n][i]) for i < E elements per batch item
 * n (global dim 1). a and b are contiguous (batch stride E); y's batch stride y_bs > E when the result goes
 * into a channel slice of a wider tensor. */
__kernel void eltwise_binary_same(__global const float *a, int a_off, __global const float *b, int b_off,
                                  __global float *y, int y_off, int y_bs, int E, float alpha, float beta) {
    BLOCK_SETUP(E)
    const int n = (int)get_global_id(1);
    a += a_off + n * E;
    b += b_off + n * E;
    y += y_off + n * y_bs;
    if (full) {
        for (int u = 0; u < UNROLL; ++u) {
            const int i = first + u * vstride;
            VSTORE(ACT_V(OP_V(VLOAD(a + i), VLOAD(b + i))), y + i);
        }
    } else {
        for (int u = 0; u < UNROLL; ++u)
            for (int j = 0; j < VEC; ++j) {
                const int i = first + u * vstride + j;
                if (i < E) y[i] = ACT_S(OP_S(a[i], b[i]));
            }
    }
}

/* The general case: any broadcast. The host merges adjacent axes along which a, b and y are all contiguous
 * together (so [N,C,H,W] + [N,1,H,W] becomes [N,C,H*W], rows of H*W elements) and pads to 5 dims d0..d4 (d0
 * from the NDRange). as*, bs* are element strides of a and b (0 on a broadcast axis), ys* those of y
 * (ys4 = 1). After the merge an operand's innermost stride is 0 or 1 (broadcast, or contiguous), so a work-item
 * takes XT = VEC * BCAST_UNROLL consecutive elements of one innermost row as whole vectors, loaded or splat from
 * one value (per-channel [C,1,1], scalar and SE-block [N,C,1,1] operands splat one value over rows of H*W). A
 * chunk that overhangs the row end takes whole vectors while they fit, then scalars. The chunks of the d3 rows are
 * numbered along global dim 0, so that work-groups hold a fixed number of chunks however short the rows are.
 * global = (ceil(d4 / XT) * d3 rounded up to the local size, d0 * d1 * d2). */
#define XT (VEC * BCAST_UNROLL)
__kernel void eltwise_binary_bcast(__global const float *a, int a_off, __global const float *b, int b_off,
                                   __global float *y, int y_off, int d1, int d2, int d3, int d4, int as0, int as1,
                                   int as2, int as3, int as4, int bs0, int bs1, int bs2, int bs3, int bs4, int ys0,
                                   int ys1, int ys2, int ys3, float alpha, float beta) {
    const int chunks = (d4 + XT - 1) / XT; /* per row */
    const int g = (int)get_global_id(0);
    const int i3 = g / chunks;
    const int x0 = (g - i3 * chunks) * XT;
    const int z = (int)get_global_id(1);
    if (i3 >= d3) return;
    const int i0 = z / (d2 * d1), r = z - i0 * (d2 * d1);
    const int i1 = r / d2, i2 = r - i1 * d2;
    a += a_off + i0 * as0 + i1 * as1 + i2 * as2 + i3 * as3;
    b += b_off + i0 * bs0 + i1 * bs1 + i2 * bs2 + i3 * bs3;
    y += y_off + i0 * ys0 + i1 * ys1 + i2 * ys2 + i3 * ys3;
    /* The splat values: a broadcast operand's innermost row is one element. Read only for that operand: an
     * operand read in place may be the output, whose first element another work-item writes. */
    const VT sa = as4 ? (VT)(0.0f) : (VT)(a[0]), sb = bs4 ? (VT)(0.0f) : (VT)(b[0]);
    if (x0 + XT <= d4) {
        /* One loop per stride pair, each straight vector code with no select between a load and a splat. Both
         * strides 0 cannot occur: the output's extent on an axis comes from an operand that has it. */
#define BCAST_CHUNK(LA, LB)                                                                                  \
    for (int u = 0; u < BCAST_UNROLL; ++u) {                                                                 \
        const int i = x0 + u * VEC;                                                                          \
        VSTORE(ACT_V(OP_V(LA, LB)), y + i);                                                                  \
    }
        if (as4 && bs4)
            BCAST_CHUNK(VLOAD(a + i), VLOAD(b + i))
        else if (as4)
            BCAST_CHUNK(VLOAD(a + i), sb)
        else
            BCAST_CHUNK(sa, VLOAD(b + i))
#undef BCAST_CHUNK
    } else {
        int i = x0;
        for (; i + VEC <= d4; i += VEC)
            VSTORE(ACT_V(OP_V(as4 ? VLOAD(a + i) : sa, bs4 ? VLOAD(b + i) : sb)), y + i);
        for (; i < d4; ++i)
            y[i] = ACT_S(OP_S(a[i * as4], b[i * bs4]));
    }
}

/* y[t] = act(ab[2c] * x[t] + ab[2c+1]) with c = (t / L) % M: a folded BatchNormalization (scale and shift
 * interleaved per channel), L = spatial size, M = channels, E = all elements. In place is allowed. As in
 * eltwise_binary_bcast, a work-item takes XT consecutive elements of one row of L (one channel of one batch item)
 * as whole vectors, then a tail, and the rows' chunks are numbered along global dim 0: one division per work-item
 * finds the row and its channel. global = ceil(L / XT) * (E / L) rounded up to the local size. */
__kernel void eltwise_scale_shift(__global const float *x, int x_off, __global const float *ab, int L, int M,
                                  __global float *y, int y_off, int E, float alpha, float beta) {
    const int chunks = (L + XT - 1) / XT; /* per row */
    const int g = (int)get_global_id(0);
    const int row = g / chunks; /* n * M + c */
    if (row >= E / L) return;
    const int x0 = (g - row * chunks) * XT;
    const int c = row % M;
    const float sa = ab[2 * c], sb = ab[2 * c + 1];
    x += x_off + row * L;
    y += y_off + row * L;
    if (x0 + XT <= L) {
        for (int u = 0; u < BCAST_UNROLL; ++u) {
            const int i = x0 + u * VEC;
            VSTORE(ACT_V(sa * VLOAD(x + i) + sb), y + i);
        }
    } else {
        int i = x0;
        for (; i + VEC <= L; i += VEC)
            VSTORE(ACT_V(sa * VLOAD(x + i) + sb), y + i);
        for (; i < L; ++i)
            y[i] = ACT_S(sa * x[i] + sb);
    }
}

/* BatchNormalization in training mode (ONNX training_mode = 1), first pass: one work-group of BN_WG work-items per
 * channel c reduces the N*L values of that channel (N batch items, M channels, L spatial elements) to the batch
 * mean and the population variance, in two passes (mean, then the squared deviations, which loses nothing to
 * cancellation), and writes ab[2c], ab[2c+1] = scale / sqrt(var + epsilon), B - mean * that for
 * eltwise_scale_shift. stats holds scale[M], B[M], input_mean[M], input_var[M]; with has_running, the running
 * statistics input_mean * momentum + mean * (1 - momentum) (var alike) go to rmean / rvar. NDRange: BN_WG * M,
 * work-group BN_WG. */
#define BN_WG 64
float bn_group_sum(__local float *part, float v) {
    const int lid = (int)get_local_id(0);
    part[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = BN_WG / 2; s > 0; s >>= 1) {
        if (lid < s) part[lid] += part[lid + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    const float r = part[0];
    barrier(CLK_LOCAL_MEM_FENCE); /* part is reused by the next sum */
    return r;
}

__kernel __attribute__((reqd_work_group_size(BN_WG, 1, 1)))
void batchnorm_stats(__global const float *x, int x_off, int N, int M, int L, __global const float *stats,
                     float epsilon, float momentum, __global float *ab, int has_running, __global float *rmean,
                     int rmean_off, __global float *rvar, int rvar_off) {
    __local float part[BN_WG];
    const int c = (int)get_group_id(0), lid = (int)get_local_id(0);
    const int count = N * L;
    float s = 0.0f;
    for (int i = lid; i < count; i += BN_WG) {
        const int n = i / L;
        s += x[x_off + (n * M + c) * L + (i - n * L)];
    }
    const float mean = bn_group_sum(part, s) / (float)count;
    float q = 0.0f;
    for (int i = lid; i < count; i += BN_WG) {
        const int n = i / L;
        const float d = x[x_off + (n * M + c) * L + (i - n * L)] - mean;
        q = fma(d, d, q);
    }
    const float var = bn_group_sum(part, q) / (float)count;
    if (lid == 0) {
        const float a = stats[c] / sqrt(var + epsilon);
        ab[2 * c] = a;
        ab[2 * c + 1] = stats[M + c] - mean * a;
        if (has_running) {
            rmean[rmean_off + c] = stats[2 * M + c] * momentum + mean * (1.0f - momentum);
            rvar[rvar_off + c] = stats[3 * M + c] * momentum + var * (1.0f - momentum);
        }
    }
}
