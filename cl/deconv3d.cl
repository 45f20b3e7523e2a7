/* deconv3d.cl - transposed 3-D convolution (ONNX ConvTranspose on NCDHW float32) as a gather: each work-item owns
 * one output voxel for OC_TILE output channels and sums only the input taps that reach it, so no atomics and no
 * zero insertion. Fused bias / residual / activation epilogue as in conv2d_transposed.cl. OpenCL C 1.2.
 *
 * Output position p = o + pad (per axis) receives input i through tap k when i*S + k*DIL == p. The taps that can
 * reach p form one residue class k = k0 + m*STEP (STEP = S / gcd(S, DIL)); for them (p - k*DIL) is a multiple of
 * S and i = (p - k*DIL) / S, kept when 0 <= i < in. Weights must be packed by pack_weights() in lib/ops/deconv.c:
 * packed[g][kb][kd][kh][kw][c][j] = w[g*Cg + c][kb*OC_TILE + j][kd][kh][kw], zero for channels past the group.
 *
 * Compile-time options (-D), all optional:
 *   KD, KH, KW        kernel depth / height / width                           (default 2, 2, 2)
 *   SD, SH, SW        strides                                                 (default 2, 2, 2)
 *   DD, DH, DW        dilations                                               (default 1, 1, 1)
 *   OC_TILE           output channels per work-item; must equal the packer's  (default 4)
 *   HAS_BIAS          1: add bias[k] (bias buffer holds K floats)             (default 0)
 *   HAS_RESIDUAL      1: add a residual tensor read like the output           (default 0)
 *   RESIDUAL_AFTER_ACT 1: residual added after the activation, 0: before     (default 0)
 *   ACT               activation code as in conv2d_direct.cl (0 none .. 7 HardSwish)   (default 0)
 *   ACT_ALPHA, ACT_BETA  float literals for the activation                   (default 0.01f, 0.0f)
 *
 * Epilogue order: acc + bias; [+ residual if !RESIDUAL_AFTER_ACT]; activation; [+ residual if RESIDUAL_AFTER_ACT].
 * Shapes and the begin pads (>= 0) are arguments. NDRange: (OW, OD * OH, N * groups * ceil((K/groups) / OC_TILE)),
 * any work-group size. Every index fits in an int (the operator refuses tensors of 2^31 elements or more).
 */

#ifndef KD
#define KD 2
#endif
#ifndef KH
#define KH 2
#endif
#ifndef KW
#define KW 2
#endif
#ifndef SD
#define SD 2
#endif
#ifndef SH
#define SH 2
#endif
#ifndef SW
#define SW 2
#endif
#ifndef DD
#define DD 1
#endif
#ifndef DH
#define DH 1
#endif
#ifndef DW
#define DW 1
#endif
#ifndef OC_TILE
#define OC_TILE 4
#endif
#ifndef HAS_BIAS
#define HAS_BIAS 0
#endif
#ifndef HAS_RESIDUAL
#define HAS_RESIDUAL 0
#endif
#ifndef RESIDUAL_AFTER_ACT
#define RESIDUAL_AFTER_ACT 0
#endif
#ifndef ACT
#define ACT 0
#endif
#ifndef ACT_ALPHA
#define ACT_ALPHA 0.01f
#endif
#ifndef ACT_BETA
#define ACT_BETA 0.0f
#endif

#if KD < 1 || KH < 1 || KW < 1 || SD < 1 || SH < 1 || SW < 1 || DD < 1 || DH < 1 || DW < 1 || OC_TILE < 1
#error "kernel sizes, strides, dilations and OC_TILE must be >= 1"
#endif

float oclnn_act(float x)
{
#if ACT == 0
    return x;
#elif ACT == 1
    return fmax(x, 0.0f);
#elif ACT == 2
    return x >= 0.0f ? x : (ACT_ALPHA) * x;
#elif ACT == 3
    return fmin(fmax(x, (ACT_ALPHA)), (ACT_BETA));
#elif ACT == 4
    return 1.0f / (1.0f + exp(-x));
#elif ACT == 5
    return tanh(x);
#elif ACT == 6
    return fmax(0.0f, fmin(1.0f, (ACT_ALPHA) * x + (ACT_BETA)));
#elif ACT == 7
    return x * fmax(0.0f, fmin(1.0f, x * (1.0f / 6.0f) + 0.5f));
#else
#error "unknown ACT"
#endif
}

/* The tap step of an axis: taps k and k + s/gcd(s, d) reach outputs of the same phase. */
int tap_step(int s, int d)
{
    int a = s, b = d;
    while (b) {
        int t = a % b;
        a = b;
        b = t;
    }
    return s / a;
}

/* The first tap k0 in [0, step) whose k0*d is congruent to p mod s, or -1 when none is (p not a multiple of
 * gcd(s, d): such outputs get the bias only). */
int first_tap(int p, int s, int d, int step)
{
    const int r = p % s;
    for (int k = 0; k < step; ++k)
        if ((k * d) % s == r)
            return k;
    return -1;
}

__kernel void deconv3d(__global const float *restrict in, int in_off,
                       __global const float *restrict wpacked,
                       __global const float *restrict bias,
                       __global float *restrict out, int out_off,
                       __global const float *restrict res, int res_off,
                       int N, int C, int D, int H, int W, int K, int OD, int OH, int OW,
                       int pad_d, int pad_h, int pad_w, int groups,
                       int out_c_offset, int out_c_total, int res_c_offset, int res_c_total)
{
    const int ox = get_global_id(0);
    const int dy = get_global_id(1);
    const int z = get_global_id(2);
    const int Kg = K / groups;
    const int Cg = C / groups;
    const int kbg = (Kg + OC_TILE - 1) / OC_TILE;
    const int kb = z % kbg;
    const int ng = z / kbg;
    const int g = ng % groups;
    const int n = ng / groups;
    const int oy = dy % OH;
    const int od = dy / OH;
    if (ox >= OW || od >= OD || n >= N)
        return;

    const int pd = od + pad_d, py = oy + pad_h, px = ox + pad_w;
    const int stz = tap_step(SD, DD), sty = tap_step(SH, DH), stx = tap_step(SW, DW);
    const int kd0 = first_tap(pd, SD, DD, stz), ky0 = first_tap(py, SH, DH, sty), kx0 = first_tap(px, SW, DW, stx);

    float acc[OC_TILE];
    for (int j = 0; j < OC_TILE; ++j)
        acc[j] = 0.0f;

    /* Input channels of this group are Cg planes of D*H*W apart; packed weights of one tap are Cg*OC_TILE apart. */
    const int plane = D * H * W;
    __global const float *xg = in + in_off + (n * C + g * Cg) * plane;
    __global const float *wg = wpacked + (g * kbg + kb) * (KD * KH * KW * Cg * OC_TILE);
    if (kd0 >= 0 && ky0 >= 0 && kx0 >= 0) {
        for (int kd = kd0; kd < KD; kd += stz) {
            const int td = pd - kd * DD;
            if (td < 0)
                break; /* later taps reach further back still */
            const int id = td / SD;
            if (id >= D)
                continue;
            for (int ky = ky0; ky < KH; ky += sty) {
                const int ty = py - ky * DH;
                if (ty < 0)
                    break;
                const int iy = ty / SH;
                if (iy >= H)
                    continue;
                for (int kx = kx0; kx < KW; kx += stx) {
                    const int tx = px - kx * DW;
                    if (tx < 0)
                        break;
                    const int ix = tx / SW;
                    if (ix >= W)
                        continue;
                    __global const float *xp = xg + (id * H + iy) * W + ix;
                    __global const float *wp = wg + ((kd * KH + ky) * KW + kx) * (Cg * OC_TILE);
                    for (int c = 0; c < Cg; ++c) {
                        const float xv = xp[c * plane];
                        for (int j = 0; j < OC_TILE; ++j)
                            acc[j] = fma(xv, wp[c * OC_TILE + j], acc[j]);
                    }
                }
            }
        }
    }

    const int ospatial = (od * OH + oy) * OW + ox;
    const int oplane = OD * OH * OW;
    for (int j = 0; j < OC_TILE; ++j) {
        const int kl = kb * OC_TILE + j;
        if (kl >= Kg)
            break;
        const int k = g * Kg + kl;
        float v = acc[j];
#if HAS_BIAS
        v += bias[k];
#endif
#if HAS_RESIDUAL
        const float r = res[res_off + (n * res_c_total + res_c_offset + k) * oplane + ospatial];
#if !RESIDUAL_AFTER_ACT
        v += r;
#endif
#endif
        v = oclnn_act(v);
#if HAS_RESIDUAL && RESIDUAL_AFTER_ACT
        v += r;
#endif
        out[out_off + (n * out_c_total + out_c_offset + k) * oplane + ospatial] = v;
    }
}
