/* test_deconv.c - the transposed convolution operator against the naive double scatter reference
 * (tests/ref/deconv_ref.c): a sweep of kernels, strides, dilations, pads, output_padding, output_shape, auto_pad,
 * groups and the fused epilogue, layers from FCN-8s and DBNet, failure sweeps, and a negative table of exact statuses.
 *
 * Accuracy contract, checked on every element: |y - y_ref| <= TOL * M + ABS_TOL, where M is the magnitude sum
 * sum|w*x| + |bias| + |residual| (scaled by the activation's largest slope), TOL = 1e-5 (fp32 FMA accumulation in
 * any order stays far below it) and ABS_TOL = 1e-6 (exp/tanh ulps near zero). Outputs that no tap reaches must
 * equal the epilogue of the bias alone, which the same bound (M = |bias|) pins down.
 */
#include "common.h"

#include <math.h>

#include "device/clw.h"
#include "oclnn_cl.h"
#include "program/program.h"
#include "ref/deconv_ref.h"

#define TOL 1e-5
#define ABS_TOL 1e-6
#define SENTINEL 777.25f

typedef struct deconv_case {
    const char *name;
    int n, c, h, w, k, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr;
    int oph, opw, osh, osw; /* output_padding, output_shape (0, 0: none) */
    int groups, auto_pad, bias, act;
    float alpha, beta;
    int residual;
    int extra_c; /* output (and residual) tensors have this many more channels; the result goes in the middle */
    int small;   /* also run on the slow rusticl device */
} deconv_case;

/* name, n, c, h, w, k, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, oph, opw, osh, osw, groups, auto_pad, bias, act,
 * alpha, beta, residual, extra_c, small */
static const deconv_case cases[] = {
    {"odd 13x17 23->19 k3 s2 p1 op1", 1, 23, 13, 17, 19, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 1},
    {"k4 s2 p1 9->11", 1, 9, 13, 17, 11, 4, 4, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1},
    /* Kernel x stride sweep. Kernels smaller than the stride leave outputs no tap reaches (bias only). */
    {"k1 s1", 1, 7, 13, 17, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"k1 s3 gaps", 1, 7, 9, 11, 5, 1, 1, 3, 3, 1, 1, 0, 0, 0, 0, 2, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1},
    {"k2 s1", 1, 7, 13, 17, 5, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"k2 s2", 1, 7, 13, 17, 5, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"k3 s1 p1", 1, 7, 13, 17, 20, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"k3 s3 p0", 1, 7, 13, 17, 5, 3, 3, 3, 3, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"k3 s4 gaps p1", 1, 7, 11, 9, 5, 3, 3, 4, 4, 1, 1, 1, 1, 1, 1, 3, 2, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"k4 s4 op2", 1, 7, 11, 9, 5, 4, 4, 4, 4, 1, 1, 0, 0, 0, 0, 2, 2, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"k5 s1 p2", 1, 7, 13, 17, 5, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"k5 s2 p2 op1", 1, 7, 13, 17, 9, 5, 5, 2, 2, 1, 1, 2, 2, 2, 2, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"k5 s3 p1", 1, 7, 13, 17, 5, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0},
    {"k5 s4 p1 op3", 1, 7, 9, 11, 5, 5, 5, 4, 4, 1, 1, 1, 1, 1, 1, 3, 3, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"k16 s8 p4", 1, 5, 7, 9, 6, 16, 16, 8, 8, 1, 1, 4, 4, 4, 4, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1},
    {"k16 s8 p0 op7", 1, 5, 6, 5, 3, 16, 16, 8, 8, 1, 1, 0, 0, 0, 0, 7, 7, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"k3x2 s1x2 mixed", 1, 6, 11, 13, 7, 3, 2, 1, 2, 1, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"k4x1 s2x1", 1, 6, 11, 13, 7, 4, 1, 2, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"k1x5 s3x2", 1, 6, 11, 13, 7, 1, 5, 3, 2, 1, 1, 0, 2, 0, 1, 2, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    /* Dilation: with gcd(stride, dilation) > 1 whole phases get no taps. */
    {"k3 s1 d2 p2", 1, 7, 13, 17, 5, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1},
    {"k3 s2 d2 p1", 1, 7, 13, 17, 5, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"k3 s2 d3 p2", 1, 7, 13, 17, 5, 3, 3, 2, 2, 3, 3, 2, 2, 2, 2, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"k5 s4 d2 op1", 1, 7, 9, 11, 5, 5, 5, 4, 4, 2, 2, 3, 3, 3, 3, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"k4 s3 d2 op2", 1, 7, 9, 11, 5, 4, 4, 3, 3, 2, 2, 1, 1, 1, 1, 2, 2, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"op2 >= s1 but < d3", 1, 7, 9, 11, 5, 3, 3, 1, 1, 3, 3, 1, 1, 1, 1, 2, 2, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"d1x2 s2x1", 1, 7, 9, 11, 5, 3, 3, 2, 1, 1, 2, 1, 2, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"asymmetric pads 0,2,1,0", 1, 5, 11, 13, 6, 3, 3, 2, 2, 1, 1, 0, 2, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"pads larger than the kernel", 1, 5, 11, 13, 6, 3, 3, 2, 2, 1, 1, 4, 5, 3, 6, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    /* Groups. */
    {"groups 2", 1, 22, 11, 13, 18, 4, 4, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0},
    {"groups 4 k3 s2", 1, 24, 11, 13, 20, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 4, 0, 1, 0, 0, 0, 0, 0, 1},
    {"depthwise k4 s2", 1, 19, 13, 17, 19, 4, 4, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 19, 0, 1, 1, 0, 0, 0, 0, 1},
    {"depthwise k3 s2 d2", 1, 16, 13, 17, 16, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 0, 0, 16, 0, 1, 0, 0, 0, 0, 0, 0},
    {"depthwise x2 mult", 1, 8, 13, 15, 16, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 8, 0, 1, 0, 0, 0, 0, 0, 0},
    /* auto_pad and output_shape: the odd pixel of padding goes to the end under SAME_UPPER, to the beginning
     * otherwise. */
    {"SAME_UPPER k3 s2", 1, 5, 13, 17, 7, 3, 3, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1},
    {"SAME_LOWER k3 s2", 1, 5, 13, 17, 7, 3, 3, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 1, 0, 0, 0, 0, 0, 0},
    {"SAME_UPPER k4 s2 op1", 1, 5, 13, 17, 7, 4, 4, 2, 2, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0},
    {"SAME_LOWER k5 s3 d2", 1, 5, 9, 11, 7, 5, 5, 3, 3, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 1, 0, 0, 0, 0, 0, 0},
    {"VALID ignores pads", 1, 5, 9, 11, 7, 3, 3, 2, 2, 1, 1, 5, 5, 5, 5, 1, 0, 0, 0, 1, 3, 1, 0, 0, 0, 0, 0, 0},
    {"output_shape odd total", 1, 5, 13, 17, 7, 3, 3, 2, 2, 1, 1, 9, 9, 9, 9, 0, 0, 26, 30, 1, 0, 1, 0, 0, 0, 0, 0, 1},
    {"output_shape SAME_UPPER", 1, 5, 13, 17, 7, 3, 3, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 26, 30, 1, 1, 1, 0, 0, 0, 0, 0, 0},
    {"output_shape = full", 1, 5, 9, 11, 7, 4, 4, 2, 2, 1, 1, 0, 0, 0, 0, 1, 1, 21, 25, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"output_shape with op", 1, 5, 9, 11, 7, 4, 4, 2, 2, 1, 1, 0, 0, 0, 0, 1, 1, 18, 19, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    /* one past the full extent (total padding -1): the last row and column get the bias only */
    {"output_shape full + 1", 1, 5, 9, 11, 7, 3, 3, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 20, 24, 1, 0, 1, 0, 0, 0, 0, 0, 1},
    /* The epilogue. */
    {"leaky relu", 1, 5, 9, 11, 9, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 2, 0.1f, 0, 0, 0, 0},
    {"relu6 clip", 1, 5, 9, 11, 9, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 3, 0, 6, 0, 0, 0},
    {"clip -0.5..0.5", 1, 5, 9, 11, 9, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 3, -0.5f, 0.5f, 0, 0, 0},
    {"sigmoid", 1, 5, 9, 11, 9, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 4, 0, 0, 0, 0, 0},
    {"tanh", 1, 5, 9, 11, 9, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 5, 0, 0, 0, 0, 0},
    {"hard sigmoid", 1, 5, 9, 11, 9, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 6, 0.2f, 0.5f, 0, 0, 0},
    {"hard swish", 1, 5, 9, 11, 9, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 7, 0, 0, 0, 0, 0},
    {"residual then relu", 1, 7, 9, 11, 21, 4, 4, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1},
    {"relu then residual", 1, 7, 9, 11, 21, 4, 4, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 2, 0, 0},
    {"channel offset", 1, 9, 9, 11, 13, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 10, 1},
    {"offset + residual batch 2", 2, 9, 9, 11, 13, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 1, 6, 0},
    {"batch 3 23->19", 3, 23, 13, 17, 19, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"33 out channels", 1, 8, 9, 11, 33, 4, 4, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    /* Layers from real networks (channels, kernels and strides as in the network). FCN-8s (Caffe) upsamples the
     * 21 class scores with bias-free deconvolutions and no padding, then crops. */
    {"FCN-8s upscore2 21->21 k4 s2 @16", 1, 21, 16, 16, 21, 4, 4, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0},
    {"FCN-8s upscore_pool4 21->21 k4 s2 @34", 1, 21, 34, 34, 21, 4, 4, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0},
    {"FCN-8s upscore8 21->21 k16 s8 @28 (232 out)", 1, 21, 28, 28, 21, 16, 16, 8, 8, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0},
    /* DBNet's probability head upsamples twice with k2 s2 (bias, then BN + ReLU folded; last: sigmoid). Spatial
     * sizes cut from 160 and 320. */
    {"DBNet head 96->24 k2 s2 relu @40", 1, 96, 40, 40, 24, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0},
    {"DBNet head 24->24 k2 s2 relu @40", 1, 24, 40, 40, 24, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0},
    {"DBNet head 24->1 k2 s2 sigmoid @80", 1, 24, 80, 80, 1, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 4, 0, 0, 0, 0, 1},
    {"DCGAN 128->64 k4 s2 p1 @16", 1, 128, 16, 16, 64, 4, 4, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0},
};

static double worst_ratio; /* largest |err| / bound over all elements and cases */
static double worst_rel;   /* largest |err| / M */

/* ONNX ConvTranspose output size and begin pad of one axis, written here from the spec independently of the
 * library. */
static void ref_axis(int in, int k, int s, int d, int op, int os, int ap, int pb, int pe, int *out, int *pad) {
    int full = s * (in - 1) + op + d * (k - 1) + 1;
    if (os || ap == 1 || ap == 2) {
        *out = os ? os : in * s;
        int total = full - *out;
        int half = total >= 0 ? total / 2 : -((1 - total) / 2); /* ONNX's Python floor division */
        *pad = ap == 1 ? half : total - half;
        return;
    }
    if (ap == 3) pb = pe = 0;
    *out = full - pb - pe;
    *pad = pb;
}

static void fill(float *v, size_t n, uint64_t *seed) {
    for (size_t i = 0; i < n; i++) v[i] = test_rand_float(seed, -1.0f, 1.0f);
}

static oclnn_deconv2d_params case_params(const deconv_case *cc) {
    oclnn_deconv2d_params p;
    oclnn_deconv2d_params_init(&p);
    p.in_channels = cc->c;
    p.out_channels = cc->k;
    p.groups = cc->groups;
    p.kernel_h = cc->kh;
    p.kernel_w = cc->kw;
    p.stride_h = cc->sh;
    p.stride_w = cc->sw;
    p.dilation_h = cc->dh;
    p.dilation_w = cc->dw;
    p.pad_top = cc->pt;
    p.pad_left = cc->pl;
    p.pad_bottom = cc->pb;
    p.pad_right = cc->pr;
    p.output_padding_h = cc->oph;
    p.output_padding_w = cc->opw;
    p.output_shape_h = cc->osh;
    p.output_shape_w = cc->osw;
    p.auto_pad = (oclnn_auto_pad)cc->auto_pad;
    p.activation = (oclnn_activation)cc->act;
    p.activation_alpha = cc->alpha;
    p.activation_beta = cc->beta;
    p.residual = (oclnn_residual)cc->residual;
    return p;
}

static void run_case(oclnn_context *ctx, const deconv_case *cc) {
    uint64_t seed = TEST_SEED ^ (uint64_t)(cc - cases) * 0x9E3779B97F4A7C15ull;
    int oh, ow, pt, pl;
    ref_axis(cc->h, cc->kh, cc->sh, cc->dh, cc->oph, cc->osh, cc->auto_pad, cc->pt, cc->pb, &oh, &pt);
    ref_axis(cc->w, cc->kw, cc->sw, cc->dw, cc->opw, cc->osw, cc->auto_pad, cc->pl, cc->pr, &ow, &pl);
    size_t nx = (size_t)cc->n * cc->c * cc->h * cc->w, nwt = (size_t)cc->c * (cc->k / cc->groups) * cc->kh * cc->kw;
    size_t ny = (size_t)cc->n * cc->k * oh * ow;
    int ctot = cc->k + cc->extra_c, coff = cc->extra_c / 2;
    size_t nytot = (size_t)cc->n * ctot * oh * ow;
    float *x = malloc(nx * 4), *wt = malloc(nwt * 4), *b = malloc(cc->k * 4), *res = malloc(ny * 4);
    float *restot = malloc(nytot * 4), *y = malloc(nytot * 4);
    double *yr = malloc(ny * 8), *mag = malloc(ny * 8);
    fill(x, nx, &seed);
    fill(wt, nwt, &seed);
    fill(b, cc->k, &seed);
    fill(res, ny, &seed);
    deconv_ref_params rp = {cc->n, cc->c, cc->h, cc->w, cc->k, cc->kh, cc->kw, cc->sh, cc->sw, cc->dh, cc->dw,
                            pt, pl, oh, ow, cc->groups, cc->act, cc->alpha, cc->beta, cc->residual};
    deconv_ref(&rp, x, wt, cc->bias ? b : NULL, res, yr, mag);

    oclnn_deconv2d_params p = case_params(cc);
    oclnn_deconv2d *op;
    assert_ok(ctx, oclnn_deconv2d_create(ctx, &p, wt, nwt, cc->bias ? b : NULL, cc->bias ? (size_t)cc->k : 0, &op));
    size_t goh, gow;
    assert_ok(ctx, oclnn_deconv2d_reshape(op, cc->n, cc->h, cc->w, &goh, &gow));
    if ((int)goh != oh || (int)gow != ow) fail_msg("%s: output %zux%zu, want %dx%d", cc->name, goh, gow, oh, ow);
    int64_t dx[4] = {cc->n, cc->c, cc->h, cc->w}, dy[4] = {cc->n, ctot, oh, ow};
    oclnn_tensor *tx, *ty, *tr = NULL;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &tx));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &ty));
    assert_ok(ctx, oclnn_tensor_write(tx, 0, nx * 4, x));
    for (size_t i = 0; i < nytot; i++) y[i] = SENTINEL;
    assert_ok(ctx, oclnn_tensor_write(ty, 0, nytot * 4, y));
    if (cc->residual) {
        /* The residual lives at its own channel offset (the other end of a wider tensor). */
        int roff = cc->extra_c - coff;
        for (size_t i = 0; i < nytot; i++) restot[i] = -SENTINEL;
        for (int n = 0; n < cc->n; n++)
            memcpy(restot + ((size_t)n * ctot + roff) * oh * ow, res + (size_t)n * cc->k * oh * ow,
                   (size_t)cc->k * oh * ow * 4);
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &tr));
        assert_ok(ctx, oclnn_tensor_write(tr, 0, nytot * 4, restot));
        assert_ok(ctx, oclnn_deconv2d_setup(op, tx, ty, coff, tr, roff));
    } else {
        assert_ok(ctx, oclnn_deconv2d_setup(op, tx, ty, coff, NULL, 0));
    }
    assert_ok(ctx, oclnn_deconv2d_enqueue(op, 0, NULL));
    assert_ok(ctx, oclnn_tensor_read(ty, 0, nytot * 4, y));
    for (int n = 0; n < cc->n; n++)
        for (int ch = 0; ch < ctot; ch++)
            for (int i = 0; i < oh * ow; i++) {
                float got = y[((size_t)n * ctot + ch) * oh * ow + i];
                if (ch < coff || ch >= coff + cc->k) {
                    if (got != SENTINEL) fail_msg("%s: channel %d outside the slice was written", cc->name, ch);
                    continue;
                }
                size_t o = ((size_t)n * cc->k + ch - coff) * oh * ow + i;
                double err = fabs((double)got - yr[o]), bound = TOL * mag[o] + ABS_TOL;
                if (!(err <= bound))
                    fail_msg("%s: n %d k %d pixel (%d, %d): got %.9g want %.9g, err %.3g > bound %.3g (seed 0x%llx)",
                             cc->name, n, ch - coff, i / ow, i % ow, (double)got, yr[o], err, bound,
                             (unsigned long long)TEST_SEED);
                if (err / bound > worst_ratio) worst_ratio = err / bound;
                if (mag[o] > 0 && err / mag[o] > worst_rel) worst_rel = err / mag[o];
            }
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_tensor_destroy(tr);
    oclnn_deconv2d_destroy(op);
    free(x);
    free(wt);
    free(b);
    free(res);
    free(restot);
    free(y);
    free(yr);
    free(mag);
}

static void test_case_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    int slow = test_device_is_slow(ctx), ran = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (slow && !cases[i].small) continue;
        run_case(ctx, &cases[i]);
        ran++;
    }
    printf("# deconv2d: %d cases, worst |err|/bound %.3g, worst |err|/M %.3g (tol %.0e)\n", ran, worst_ratio,
           worst_rel, TOL);
    oclnn_context_destroy(ctx);
}

/* The checks can fail: the reference tells apart what a wrong kernel would mix up (the kernel not flipped, i.e. a
 * plain convolution; the odd padding pixel on the wrong side; a dropped bias) by far more than the bound. */
static void test_checks_can_fail(void **state) {
    (void)state;
    enum { C = 3, H = 5, W = 6, K = 2, KS = 3, OH = 11, OW = 13 };
    uint64_t seed = TEST_SEED;
    float x[C * H * W], wt[C * K * KS * KS], wflip[C * K * KS * KS], b[K];
    fill(x, C * H * W, &seed);
    fill(wt, C * K * KS * KS, &seed);
    fill(b, K, &seed);
    for (int i = 0; i < C * K; i++)
        for (int t = 0; t < KS * KS; t++) wflip[i * KS * KS + t] = wt[i * KS * KS + KS * KS - 1 - t];
    double y0[K * OH * OW], m0[K * OH * OW], y1[K * OH * OW], m1[K * OH * OW];
    deconv_ref_params rp = {1, C, H, W, K, KS, KS, 2, 2, 1, 1, 0, 0, OH, OW, 1, 0, 0, 0, 0};
    struct {
        const char *what;
        int pad, flip, bias;
    } wrong[] = {{"unflipped kernel", 0, 1, 1}, {"padding on the other side", 1, 0, 1}, {"bias dropped", 0, 0, 0}};
    deconv_ref(&rp, x, wt, b, NULL, y0, m0);
    for (size_t k = 0; k < sizeof wrong / sizeof wrong[0]; k++) {
        deconv_ref_params rq = rp;
        rq.pad_top = rq.pad_left = wrong[k].pad;
        deconv_ref(&rq, x, wrong[k].flip ? wflip : wt, wrong[k].bias ? b : NULL, NULL, y1, m1);
        int caught = 0;
        for (int i = 0; i < K * OH * OW; i++) caught |= !(fabs(y1[i] - y0[i]) <= TOL * m0[i] + ABS_TOL);
        if (!caught) fail_msg("the bound would not catch: %s", wrong[k].what);
    }
}

/* Configurations that prebuild_all warms are exactly the ones the operator asks for. */
static void test_prebuild_covers_operator(void **state) {
    (void)state;
    const char *dir = test_tmpdir("prebuild");
    oclnn_context *warm = test_context(dir);
    assert_ok(warm, oclnn_context_prebuild_all(warm, NULL));
    oclnn_context_destroy(warm);
    oclnn_context *ctx = test_context(dir);
    static const struct {
        int c, k, kh, s, bias, act;
    } cfg[] = {
        {8, 16, 4, 2, 0, 0},  {8, 16, 4, 2, 1, 0}, {8, 64, 4, 2, 1, 1},  {8, 16, 3, 2, 1, 0},
        {21, 21, 4, 2, 0, 0}, {21, 21, 16, 8, 0, 0}, {96, 24, 2, 2, 1, 1}, {24, 1, 2, 2, 1, 4},
    };
    for (size_t i = 0; i < sizeof cfg / sizeof cfg[0]; i++) {
        oclnn_deconv2d_params p;
        oclnn_deconv2d_params_init(&p);
        p.in_channels = cfg[i].c;
        p.out_channels = cfg[i].k;
        p.kernel_h = p.kernel_w = cfg[i].kh;
        p.stride_h = p.stride_w = cfg[i].s;
        p.activation = (oclnn_activation)cfg[i].act;
        size_t nw = (size_t)cfg[i].k * cfg[i].c * cfg[i].kh * cfg[i].kh;
        float *w = calloc(nw, 4), *b = calloc(cfg[i].k, 4);
        oclnn_deconv2d *op;
        assert_ok(ctx, oclnn_deconv2d_create(ctx, &p, w, nw, cfg[i].bias ? b : NULL, cfg[i].bias ? (size_t)cfg[i].k : 0, &op));
        oclnn_deconv2d_destroy(op);
        free(w);
        free(b);
        oclnn_cache_stats s;
        oclnn_context_cache_stats(ctx, &s);
        if (s.source_builds) fail_msg("configuration %zu is not among the registry's variants", i);
    }
    oclnn_context_destroy(ctx);
}

static oclnn_deconv2d_params base_params(void) {
    oclnn_deconv2d_params p;
    oclnn_deconv2d_params_init(&p);
    p.in_channels = 6;
    p.out_channels = 4;
    p.kernel_h = p.kernel_w = 3;
    p.stride_h = p.stride_w = 2;
    return p;
}

/* Impossible configurations get their exact status and a message naming the rule. */
static void test_negative_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    static float w[6 * 4 * 65 * 3], b[8];
    enum { NW = 6 * 4 * 9 };
    static const struct {
        const char *name, *msg;
        int field, value;
        oclnn_status want;
    } bad[] = {
        {"group 4 does not divide 6 inputs", "must divide", 0, 4, OCLNN_STATUS_INVALID_ARGUMENT},
        {"group 3 does not divide 4 outputs", "must divide", 0, 3, OCLNN_STATUS_INVALID_ARGUMENT},
        {"group 0", "group", 0, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"stride 0", "stride", 1, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"dilation 0", "dilation", 2, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"kernel 0", "kernel", 3, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"kernel 65", "kernel", 3, 65, OCLNN_STATUS_UNSUPPORTED},
        {"output_padding = stride 2 > dilation 1", "output_padding", 4, 2, OCLNN_STATUS_INVALID_ARGUMENT},
        {"output_padding 3 > stride and dilation", "output_padding", 4, 3, OCLNN_STATUS_INVALID_ARGUMENT},
        {"output_padding 2 = dilation 2, stride 1", "output_padding", 5, 2, OCLNN_STATUS_INVALID_ARGUMENT},
        {"output_shape height only", "both sizes or neither", 6, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"output_shape with VALID", "VALID", 7, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"SAME k1 s2 needs negative pads", "negative padding", 8, 0, OCLNN_STATUS_UNSUPPORTED},
        {"activation 99", "activation", 9, 99, OCLNN_STATUS_INVALID_ARGUMENT},
        {"clip min > max", "Clip", 10, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"weights too short", "weights have", 11, NW - 1, OCLNN_STATUS_INVALID_ARGUMENT},
        {"weights too long", "weights have", 11, NW + 1, OCLNN_STATUS_INVALID_ARGUMENT},
        {"bias count", "bias has", 12, 3, OCLNN_STATUS_INVALID_ARGUMENT},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        oclnn_deconv2d_params p = base_params();
        size_t nw = NW, nb = 4;
        switch (bad[i].field) {
        case 0: p.groups = bad[i].value; break;
        case 1: p.stride_w = bad[i].value; break;
        case 2: p.dilation_h = bad[i].value; break;
        case 3: p.kernel_w = bad[i].value; break;
        case 4: p.output_padding_w = bad[i].value; break;
        case 5:
            p.stride_h = 1;
            p.dilation_h = 2;
            p.output_padding_h = bad[i].value;
            break;
        case 6: p.output_shape_h = 9; break;
        case 7:
            p.auto_pad = OCLNN_AUTO_PAD_VALID;
            p.output_shape_h = p.output_shape_w = 9;
            break;
        case 8:
            p.auto_pad = OCLNN_AUTO_PAD_SAME_UPPER;
            p.kernel_h = p.kernel_w = 1;
            nw = 6 * 4;
            break;
        case 9: p.activation = (oclnn_activation)bad[i].value; break;
        case 10:
            p.activation = OCLNN_ACTIVATION_CLIP;
            p.activation_alpha = 1;
            p.activation_beta = -1;
            break;
        case 11: nw = (size_t)bad[i].value; break;
        case 12: nb = (size_t)bad[i].value; break;
        }
        oclnn_deconv2d *op = (oclnn_deconv2d *)ctx;
        oclnn_status st = oclnn_deconv2d_create(ctx, &p, w, nw, b, nb, &op);
        if (st != bad[i].want)
            fail_msg("%s: got %s (%s), want %s", bad[i].name, oclnn_status_name(st), oclnn_last_error(ctx),
                     oclnn_status_name(bad[i].want));
        assert_null(op);
        if (!strstr(oclnn_last_error(ctx), bad[i].msg))
            fail_msg("%s: message '%s' lacks '%s'", bad[i].name, oclnn_last_error(ctx), bad[i].msg);
    }
    oclnn_deconv2d *op = (oclnn_deconv2d *)ctx;
    assert_int_equal(oclnn_deconv2d_create(ctx, NULL, w, NW, NULL, 0, &op), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_null(op);
    oclnn_deconv2d_params p = base_params();
    assert_int_equal(oclnn_deconv2d_create(ctx, &p, NULL, NW, NULL, 0, &op), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_int_equal(oclnn_deconv2d_create(ctx, &p, w, NW, NULL, 0, NULL), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_int_equal(oclnn_deconv2d_reshape(NULL, 1, 1, 1, NULL, NULL), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_int_equal(oclnn_deconv2d_setup(NULL, NULL, NULL, 0, NULL, 0), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_int_equal(oclnn_deconv2d_enqueue(NULL, 0, NULL), OCLNN_STATUS_INVALID_ARGUMENT);
    oclnn_deconv2d_destroy(NULL);

    /* Shape errors found at reshape: output_shape beyond what the input reaches, pads that leave nothing. */
    p.output_shape_h = p.output_shape_w = 21; /* 9x9 input, k3 s2: full = 2*8 + 3 = 19, 2 short */
    assert_ok(ctx, oclnn_deconv2d_create(ctx, &p, w, NW, NULL, 0, &op));
    size_t oh, ow;
    assert_int_equal(oclnn_deconv2d_reshape(op, 1, 9, 9, &oh, &ow), OCLNN_STATUS_INVALID_SHAPE);
    assert_non_null(strstr(oclnn_last_error(ctx), "output_shape 21x21 is larger than"));
    assert_ok(ctx, oclnn_deconv2d_reshape(op, 1, 10, 10, &oh, &ow)); /* full = 21 */
    assert_int_equal(oh, 21);
    oclnn_deconv2d_destroy(op);
    p.output_shape_h = p.output_shape_w = 20; /* 1 short: fine, except under SAME_UPPER (a pad at the start) */
    p.auto_pad = OCLNN_AUTO_PAD_SAME_UPPER;
    assert_ok(ctx, oclnn_deconv2d_create(ctx, &p, w, NW, NULL, 0, &op));
    assert_int_equal(oclnn_deconv2d_reshape(op, 1, 9, 9, &oh, &ow), OCLNN_STATUS_INVALID_SHAPE);
    assert_non_null(strstr(oclnn_last_error(ctx), "output_shape 20x20 is larger than"));
    oclnn_deconv2d_destroy(op);
    p = base_params();
    p.pad_top = 10;
    p.pad_bottom = 9; /* 9 rows: full = 19, nothing left */
    assert_ok(ctx, oclnn_deconv2d_create(ctx, &p, w, NW, NULL, 0, &op));
    assert_int_equal(oclnn_deconv2d_reshape(op, 1, 9, 9, &oh, &ow), OCLNN_STATUS_INVALID_SHAPE);
    assert_non_null(strstr(oclnn_last_error(ctx), "leave no output"));
    assert_ok(ctx, oclnn_deconv2d_reshape(op, 1, 10, 9, &oh, &ow));
    assert_int_equal(oh, 2);
    assert_int_equal(ow, 19);
    oclnn_deconv2d_destroy(op);

    /* State and binding errors. */
    p = base_params();
    p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = 1;
    assert_ok(ctx, oclnn_deconv2d_create(ctx, &p, w, NW, NULL, 0, &op));
    assert_int_equal(oclnn_deconv2d_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE);
    int64_t dx[4] = {1, 6, 5, 5}, dy[4] = {1, 4, 9, 9}, dbad[4] = {1, 4, 9, 10};
    oclnn_tensor *tx, *ty, *tbad;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &tx));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &ty));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dbad, &tbad));
    assert_int_equal(oclnn_deconv2d_setup(op, tx, ty, 0, NULL, 0), OCLNN_STATUS_INVALID_STATE);
    assert_int_equal(oclnn_deconv2d_reshape(op, 0, 5, 5, &oh, &ow), OCLNN_STATUS_INVALID_SHAPE);
    assert_ok(ctx, oclnn_deconv2d_reshape(op, 1, 5, 5, &oh, &ow));
    assert_int_equal(oh, 9);
    assert_int_equal(oclnn_deconv2d_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE);
    assert_int_equal(oclnn_deconv2d_setup(op, tx, tbad, 0, NULL, 0), OCLNN_STATUS_INVALID_SHAPE);
    assert_int_equal(oclnn_deconv2d_setup(op, tx, ty, 1, NULL, 0), OCLNN_STATUS_INVALID_SHAPE); /* offset overflows */
    assert_int_equal(oclnn_deconv2d_setup(op, ty, ty, 0, NULL, 0), OCLNN_STATUS_INVALID_SHAPE);
    assert_int_equal(oclnn_deconv2d_setup(op, tx, NULL, 0, NULL, 0), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_int_equal(oclnn_deconv2d_setup(op, tx, ty, 0, ty, 0), OCLNN_STATUS_INVALID_ARGUMENT); /* residual unasked */
    assert_ok(ctx, oclnn_deconv2d_setup(op, tx, ty, 0, NULL, 0));
    assert_int_equal(oclnn_deconv2d_enqueue(op, 5, NULL), OCLNN_STATUS_INVALID_ARGUMENT);
    oclnn_event *ev;
    assert_ok(ctx, oclnn_deconv2d_enqueue(op, 0, &ev));
    assert_ok(ctx, oclnn_event_wait(ev));
    oclnn_event_destroy(ev);
    /* A new size needs a new setup. */
    assert_ok(ctx, oclnn_deconv2d_reshape(op, 1, 6, 6, &oh, &ow));
    assert_int_equal(oclnn_deconv2d_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE);
    oclnn_deconv2d_destroy(op);
    /* Residual required but missing; input and output sharing memory. */
    p.residual = OCLNN_RESIDUAL_BEFORE_ACTIVATION;
    assert_ok(ctx, oclnn_deconv2d_create(ctx, &p, w, NW, NULL, 0, &op));
    assert_ok(ctx, oclnn_deconv2d_reshape(op, 1, 5, 5, NULL, NULL));
    assert_int_equal(oclnn_deconv2d_setup(op, tx, ty, 0, NULL, 0), OCLNN_STATUS_INVALID_ARGUMENT);
    oclnn_deconv2d_destroy(op);
    int64_t dsq[4] = {1, 4, 9, 9};
    oclnn_tensor *tsq;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dsq, &tsq));
    p = base_params();
    p.in_channels = 4;
    p.stride_h = p.stride_w = 1;
    p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = 1;
    assert_ok(ctx, oclnn_deconv2d_create(ctx, &p, w, 4 * 4 * 9, NULL, 0, &op));
    assert_ok(ctx, oclnn_deconv2d_reshape(op, 1, 9, 9, NULL, NULL));
    assert_int_equal(oclnn_deconv2d_setup(op, tsq, tsq, 0, NULL, 0), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_non_null(strstr(oclnn_last_error(ctx), "overlap"));
    oclnn_deconv2d_destroy(op);
    oclnn_tensor_destroy(tsq);
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_tensor_destroy(tbad);
    oclnn_context_destroy(ctx);
}

/* A reshape to another size reuses the compiled program: no new build, and the results stay right. */
static void test_reshape_never_recompiles(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    oclnn_deconv2d_params p = base_params();
    p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = 1;
    p.output_padding_h = 1;
    float w[6 * 4 * 9];
    uint64_t seed = TEST_SEED;
    fill(w, 6 * 4 * 9, &seed);
    oclnn_deconv2d *op;
    assert_ok(ctx, oclnn_deconv2d_create(ctx, &p, w, 6 * 4 * 9, NULL, 0, &op));
    oclnn_cache_stats s0, s1;
    oclnn_context_cache_stats(ctx, &s0);
    static const int sizes[][3] = {{1, 9, 9}, {2, 17, 5}, {1, 3, 31}, {3, 8, 8}};
    for (int i = 0; i < 4; i++) {
        int n = sizes[i][0], h = sizes[i][1], wd = sizes[i][2];
        size_t oh, ow;
        assert_ok(ctx, oclnn_deconv2d_reshape(op, n, h, wd, &oh, &ow));
        assert_int_equal(oh, 2 * (h - 1) + 1 + 3 - 2);
        assert_int_equal(ow, 2 * (wd - 1) + 3 - 2);
        int64_t dx[4] = {n, 6, h, wd}, dy[4] = {n, 4, (int64_t)oh, (int64_t)ow};
        oclnn_tensor *tx, *ty;
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &tx));
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &ty));
        size_t nx = (size_t)n * 6 * h * wd, ny = (size_t)n * 4 * oh * ow;
        float *x = malloc(nx * 4), *y = malloc(ny * 4);
        double *yr = malloc(ny * 8), *mag = malloc(ny * 8);
        fill(x, nx, &seed);
        assert_ok(ctx, oclnn_tensor_write(tx, 0, nx * 4, x));
        assert_ok(ctx, oclnn_deconv2d_setup(op, tx, ty, 0, NULL, 0));
        assert_ok(ctx, oclnn_deconv2d_enqueue(op, 0, NULL));
        assert_ok(ctx, oclnn_tensor_read(ty, 0, ny * 4, y));
        deconv_ref_params rp = {n, 6, h, wd, 4, 3, 3, 2, 2, 1, 1, 1, 1, (int)oh, (int)ow, 1, 0, 0, 0, 0};
        deconv_ref(&rp, x, w, NULL, NULL, yr, mag);
        for (size_t j = 0; j < ny; j++)
            if (!(fabs(y[j] - yr[j]) <= TOL * mag[j] + ABS_TOL)) fail_msg("size %d: element %zu", i, j);
        free(x);
        free(y);
        free(yr);
        free(mag);
        oclnn_tensor_destroy(tx);
        oclnn_tensor_destroy(ty);
    }
    oclnn_context_cache_stats(ctx, &s1);
    assert_int_equal(s1.source_builds, s0.source_builds);
    assert_int_equal(s1.disk_hits, s0.disk_hits);
    oclnn_deconv2d_destroy(op);
    oclnn_context_destroy(ctx);
}

/* Every host allocation and every OpenCL allocation of create/reshape/setup/enqueue fails in turn: each run ends in
 * OK or the matching status, and leaves nothing behind. */
static void test_failure_sweeps(void **state) {
    (void)state;
    test_alloc ta;
    test_alloc_init(&ta);
    oclnn_context_options o;
    test_options(&o, NULL);
    o.allocator = &ta.hooks;
    o.log_level = OCLNN_LOG_NONE;
    oclnn_context *ctx;
    assert_ok(NULL, oclnn_context_create(&o, &ctx));
    oclnn_deconv2d_params p = base_params();
    p.residual = OCLNN_RESIDUAL_AFTER_ACTIVATION;
    float w[6 * 4 * 9] = {0}, b[4] = {0};
    int64_t dx[4] = {1, 6, 5, 5}, dy[4] = {1, 4, 11, 11};
    oclnn_tensor *tx, *ty, *tr;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &tx));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &ty));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &tr));
    /* Warm the context's program cache first: what it keeps is the cache's, not a leak. */
    oclnn_deconv2d *warm;
    assert_ok(ctx, oclnn_deconv2d_create(ctx, &p, w, 6 * 4 * 9, b, 4, &warm));
    oclnn_deconv2d_destroy(warm);
    static const char *const kind_name[] = {"host allocation", "OpenCL allocation", "OpenCL enqueue"};
    for (int kind = 0; kind < 3; kind++) {
        long failures = 0;
        for (long k = 1;; k++) {
            long live0 = ta.live;
            int64_t objs0 = clw_live_objects();
            if (kind == 0) ta.fail_at = ta.calls + k;
            else {
                clw_fault_reset();
                clw_fault_set(kind == 1 ? CLW_FAULT_ALLOC : CLW_FAULT_ENQUEUE, (uint64_t)k);
            }
            oclnn_deconv2d *op = NULL;
            oclnn_status st = oclnn_deconv2d_create(ctx, &p, w, 6 * 4 * 9, b, 4, &op);
            if (!st) st = oclnn_deconv2d_reshape(op, 1, 5, 5, NULL, NULL);
            if (!st) st = oclnn_deconv2d_setup(op, tx, ty, 0, tr, 0);
            if (!st) st = oclnn_deconv2d_enqueue(op, 0, NULL);
            if (!st) st = oclnn_context_finish(ctx);
            oclnn_deconv2d_destroy(op);
            int fired = kind == 0 ? ta.calls >= ta.fail_at
                                  : clw_calls(kind == 1 ? CLW_FAULT_ALLOC : CLW_FAULT_ENQUEUE) >= (uint64_t)k;
            ta.fail_at = 0;
            clw_fault_reset();
            if (st && st != OCLNN_STATUS_OUT_OF_HOST_MEMORY && st != OCLNN_STATUS_OUT_OF_DEVICE_MEMORY)
                fail_msg("%s failure %ld: unexpected %s: %s", kind_name[kind], k, oclnn_status_name(st),
                         oclnn_last_error(ctx));
            if (ta.live != live0 || clw_live_objects() != objs0)
                fail_msg("%s failure %ld: %ld host allocations and %lld OpenCL objects leaked", kind_name[kind], k,
                         ta.live - live0, (long long)(clw_live_objects() - objs0));
            failures += st != OCLNN_STATUS_OK;
            if (!fired) break; /* the sequence no longer reaches a k-th call: every point has been tried */
        }
        printf("# %s failure sweep: %ld failures reported, no leaks\n", kind_name[kind], failures);
        assert_true(failures >= 1);
    }
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_tensor_destroy(tr);
    oclnn_context_destroy(ctx);
    assert_int_equal(ta.live, 0);
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_table),          cmocka_unit_test(test_checks_can_fail),
        cmocka_unit_test(test_prebuild_covers_operator), cmocka_unit_test(test_negative_table),
        cmocka_unit_test(test_reshape_never_recompiles), cmocka_unit_test(test_failure_sweeps),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    return r || clw_live_objects() != 0;
}
