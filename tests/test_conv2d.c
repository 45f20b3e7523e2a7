/* test_conv2d.c - the conv2d operator against the naive double reference (tests/ref/conv2d_ref.c): a case table
 * of odd sizes and every attribute, shapes from real networks, and a negative table of exact statuses.
 *
 * Accuracy contract, checked on every element: |y - y_ref| <= TOL * M + ABS_TOL, where M is the magnitude sum
 * sum|w*x| + |bias| + |residual| (scaled by the activation's largest slope). TOL_DIRECT = 1e-5 (fp32 FMA
 * accumulation in any order stays far below it); ABS_TOL = 1e-6 covers exp/tanh ulps on values near zero.
 * Every case that the Winograd algorithms support also runs with each of them, against TOL_WINOGRAD2X2/4X4,
 * and every case runs on the gemm algorithm (im2col, or the input itself for 1x1, + our GEMM kernel) against
 * TOL_DIRECT. Depthwise cases (groups == in_channels) also run on the depthwise algorithm, against TOL_DIRECT
 * (it sums the same products in another order, with FMA).
 */
#include "common.h"

#include <math.h>

#include "device/clw.h"
#include "oclnn_cl.h"
#include "program/program.h"
#include "ref/conv2d_ref.h"

#define TOL_DIRECT 1e-5
/* Winograd adds the rounding of the transforms: F(2x2) measured worst |err|/M 1.4e-7 and F(4x4) 2.0e-6 on this
 * table (POCL, seed below; F(4x4)'s input transform multiplies by up to 5 and its output transform by up to 8,
 * and the errors grow with the channel count). The bounds keep a margin of 5x or more. */
#define TOL_WINOGRAD2X2 1e-6
#define TOL_WINOGRAD4X4 1e-5
#define ABS_TOL 1e-6
#define SENTINEL 777.25f

typedef struct conv_case {
    const char *name;
    int n, c, h, w, k, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, groups;
    int auto_pad, bias, act;
    float alpha, beta;
    int residual;
    int extra_c; /* output (and residual) tensors have this many more channels; the result goes in the middle */
    int small;   /* also run on the slow rusticl device */
} conv_case;

/* name, n, c, h, w, k, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, groups, auto_pad, bias, act, alpha, beta, residual,
 * extra_c, small */
static const conv_case cases[] = {
    {"odd 27x37 23->19 3x3", 1, 23, 27, 37, 19, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 0, 0, 1},
    {"1x1 23->19 no bias", 1, 23, 27, 37, 19, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1},
    {"5x5 s2", 1, 7, 27, 37, 19, 5, 5, 2, 2, 1, 1, 2, 2, 2, 2, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"7x7 s2 stem", 1, 3, 45, 39, 8, 7, 7, 2, 2, 1, 1, 3, 3, 3, 3, 1, 0, 1, 1, 0, 0, 0, 0, 0},
    {"11x11 s4", 1, 3, 67, 63, 16, 11, 11, 4, 4, 1, 1, 2, 2, 2, 2, 1, 0, 1, 1, 0, 0, 0, 0, 0},
    {"1x7", 1, 9, 17, 19, 11, 1, 7, 1, 1, 1, 1, 0, 3, 0, 3, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"7x1", 1, 9, 17, 19, 11, 7, 1, 1, 1, 1, 1, 3, 0, 3, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"3x3 s3", 1, 5, 28, 31, 7, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"3x3 s4 s1 mixed", 1, 5, 29, 30, 7, 3, 3, 4, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"3x3 d2", 1, 6, 27, 37, 10, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 1, 0, 1, 0, 0, 0, 0, 0, 1},
    {"3x3 d3", 1, 6, 27, 37, 10, 3, 3, 1, 1, 3, 3, 3, 3, 3, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0},
    {"3x3 d2 s2 d1x3", 1, 4, 23, 29, 9, 3, 3, 2, 1, 1, 3, 0, 2, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"asymmetric pads", 1, 5, 21, 23, 6, 3, 3, 1, 1, 1, 1, 0, 2, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1},
    {"groups 2", 1, 22, 19, 21, 18, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2, 0, 1, 0, 0, 0, 0, 0, 0},
    {"groups 4", 1, 24, 19, 21, 20, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 4, 0, 1, 0, 0, 0, 0, 0, 1},
    {"depthwise 3x3", 1, 19, 27, 37, 19, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 19, 0, 1, 1, 0, 0, 0, 0, 1},
    {"depthwise 3x3 s2", 1, 16, 27, 37, 16, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 16, 0, 1, 0, 0, 0, 0, 0, 0},
    {"depthwise 5x5 d2", 1, 8, 23, 25, 8, 5, 5, 1, 1, 2, 2, 4, 4, 4, 4, 8, 0, 0, 0, 0, 0, 0, 0, 0},
    {"depthwise x2 mult", 1, 8, 15, 17, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 8, 0, 1, 0, 0, 0, 0, 0, 0},
    {"leaky relu", 1, 5, 13, 17, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 2, 0.1f, 0, 0, 0, 0},
    {"relu6 clip", 1, 5, 13, 17, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 3, 0, 6, 0, 0, 0},
    {"clip 0..+inf (Clip with min only)", 1, 5, 13, 17, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 3, 0, INFINITY, 0, 0, 0},
    {"clip -inf..0.25", 1, 5, 13, 17, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 3, -INFINITY, 0.25f, 0, 0, 0},
    {"clip -0.5..0.5", 1, 5, 13, 17, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 3, -0.5f, 0.5f, 0, 0, 0},
    {"sigmoid", 1, 5, 13, 17, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 4, 0, 0, 0, 0, 0},
    {"tanh", 1, 5, 13, 17, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 5, 0, 0, 0, 0, 0},
    {"hard sigmoid", 1, 5, 13, 17, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 6, 0.2f, 0.5f, 0, 0, 0},
    {"hard swish", 1, 5, 13, 17, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 7, 0, 0, 0, 0, 1},
    {"residual then relu", 1, 7, 15, 19, 21, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 1, 0, 1},
    {"relu then residual", 1, 7, 15, 19, 21, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 2, 0, 0},
    {"channel offset", 1, 9, 15, 19, 13, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 0, 10, 1},
    {"offset + residual", 2, 9, 15, 19, 13, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 1, 6, 0},
    {"batch 3", 3, 23, 27, 37, 19, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"SAME_UPPER s2 k4", 1, 5, 27, 36, 7, 4, 4, 2, 2, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1},
    {"SAME_LOWER s2 k4", 1, 5, 27, 36, 7, 4, 4, 2, 2, 1, 1, 0, 0, 0, 0, 1, 2, 1, 0, 0, 0, 0, 0, 0},
    {"SAME_UPPER d2", 1, 5, 20, 21, 7, 3, 3, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0},
    {"VALID", 1, 5, 27, 37, 7, 3, 3, 2, 2, 1, 1, 9, 9, 9, 9, 1, 3, 1, 0, 0, 0, 0, 0, 0},
    {"kernel = padded input", 1, 3, 5, 6, 4, 7, 8, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1},
    {"33 out channels", 1, 8, 11, 13, 33, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    /* Shapes from real networks (channels and kernels as in the network; spatial size cut where noted). */
    {"VGG-16 conv1_2 64->64 (@56 of 224)", 1, 64, 56, 56, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0},
    {"VGG-16 conv3 256->256 @28 (of 56)", 1, 256, 28, 28, 256, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0},
    {"VGG-16 conv5 512->512 @14", 1, 512, 14, 14, 512, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0},
    {"GoogLeNet 1x1 192->64 @28", 1, 192, 28, 28, 64, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0},
    {"GoogLeNet 5x5 16->32 @28", 1, 16, 28, 28, 32, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2, 1, 0, 1, 1, 0, 0, 0, 0, 0},
    {"Inception-v3 1x7 128->128 @17", 1, 128, 17, 17, 128, 1, 7, 1, 1, 1, 1, 0, 3, 0, 3, 1, 0, 1, 1, 0, 0, 0, 0, 0},
    {"Inception-v3 7x1 128->192 @17", 1, 128, 17, 17, 192, 7, 1, 1, 1, 1, 1, 3, 0, 3, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0},
    {"Inception-v3 3x3 s2 valid 288->384 @35", 1, 288, 35, 35, 384, 3, 3, 2, 2, 1, 1, 0, 0, 0, 0, 1, 3, 1, 1, 0, 0, 0, 0, 0},
    {"DenseNet-121 1x1 256->128 @28", 1, 256, 28, 28, 128, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0},
    {"DenseNet-121 3x3 128->32 into concat @28", 1, 128, 28, 28, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 256, 0},
    {"ResNet-50 1x1 s2 512->1024 @28", 1, 512, 28, 28, 1024, 1, 1, 2, 2, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    {"ResNet-50 3x3 64->64 +res relu @56", 1, 64, 56, 56, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0},
    {"ResNet-50 stem 7x7 s2 3->64 @224", 1, 3, 224, 224, 64, 7, 7, 2, 2, 1, 1, 3, 3, 3, 3, 1, 0, 1, 1, 0, 0, 0, 0, 0},
    {"AlexNet 11x11 s4 3->64 @224", 1, 3, 224, 224, 64, 11, 11, 4, 4, 1, 1, 2, 2, 2, 2, 1, 0, 1, 1, 0, 0, 0, 0, 0},
    {"MobileNet dw 3x3 s2 32 @112", 1, 32, 112, 112, 32, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 32, 0, 1, 3, 0, 6, 0, 0, 0},
    /* Depthwise (groups == C): the depthwise algorithm's interior and edge paths, every stride it treats apart
     * (1: vector loads, 2: even lanes, others: gathers), row and column tails of its 8-pixel x 4-row tiles. */
    {"dw 3x3 s1 27x37 23ch relu6", 1, 23, 27, 37, 23, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 23, 0, 1, 3, 0, 6, 0, 0, 1},
    {"dw 3x3 s2 27x37 23ch", 1, 23, 27, 37, 23, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 23, 0, 1, 0, 0, 0, 0, 0, 1},
    {"dw 5x5 s1 hardswish", 1, 23, 27, 37, 23, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2, 23, 0, 1, 7, 0, 0, 0, 0, 1},
    {"dw 5x5 s2 hardswish", 1, 23, 27, 37, 23, 5, 5, 2, 2, 1, 1, 2, 2, 2, 2, 23, 0, 1, 7, 0, 0, 0, 0, 0},
    {"dw 7x7 s1", 1, 12, 23, 29, 12, 7, 7, 1, 1, 1, 1, 3, 3, 3, 3, 12, 0, 1, 0, 0, 0, 0, 0, 0},
    {"dw 3x3 multiplier 2 s1", 1, 11, 21, 19, 22, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 11, 0, 1, 1, 0, 0, 0, 0, 1},
    {"dw 5x5 multiplier 2 s2", 1, 11, 21, 19, 22, 5, 5, 2, 2, 1, 1, 2, 2, 2, 2, 11, 0, 1, 0, 0, 0, 0, 0, 0},
    {"dw 3x3 multiplier 3 s2x1", 1, 5, 21, 19, 15, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1, 5, 0, 1, 0, 0, 0, 0, 0, 0},
    {"dw 3x3 d2", 1, 9, 27, 37, 9, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 9, 0, 1, 0, 0, 0, 0, 0, 1},
    {"dw 3x3 d2 s2 d1x3", 1, 9, 27, 37, 9, 3, 3, 2, 2, 2, 3, 2, 3, 1, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0},
    {"dw 3x3 s3", 1, 7, 28, 31, 7, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 7, 0, 1, 0, 0, 0, 0, 0, 0},
    {"dw 3x3 s1x4 mixed", 1, 7, 29, 30, 7, 3, 3, 1, 4, 1, 1, 1, 1, 1, 1, 7, 0, 1, 0, 0, 0, 0, 0, 0},
    {"dw asymmetric pads", 1, 7, 21, 23, 7, 3, 3, 1, 1, 1, 1, 0, 2, 1, 0, 7, 0, 1, 0, 0, 0, 0, 0, 1},
    {"dw 5x5 asymmetric pads s2", 1, 7, 21, 23, 7, 5, 5, 2, 2, 1, 1, 1, 0, 3, 4, 7, 0, 1, 0, 0, 0, 0, 0, 0},
    {"dw 1x7", 1, 6, 17, 19, 6, 1, 7, 1, 1, 1, 1, 0, 3, 0, 3, 6, 0, 1, 0, 0, 0, 0, 0, 0},
    {"dw 7x1 s2", 1, 6, 17, 19, 6, 7, 1, 2, 2, 1, 1, 3, 0, 3, 0, 6, 0, 1, 0, 0, 0, 0, 0, 0},
    {"dw 1x1 s2", 1, 6, 17, 19, 6, 1, 1, 2, 2, 1, 1, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0},
    {"dw 15x15 s1", 1, 3, 20, 24, 3, 15, 15, 1, 1, 1, 1, 7, 7, 7, 7, 3, 0, 1, 0, 0, 0, 0, 0, 0},
    {"dw narrow 5x3 map", 1, 4, 5, 3, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 4, 0, 1, 0, 0, 0, 0, 0, 1},
    {"dw leaky relu", 1, 10, 13, 17, 10, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 10, 0, 1, 2, 0.1f, 0, 0, 0, 0},
    {"dw clip -0.5..0.5", 1, 10, 13, 17, 10, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 10, 0, 1, 3, -0.5f, 0.5f, 0, 0, 0},
    {"dw clip -inf..0.25", 1, 10, 13, 17, 10, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 10, 0, 1, 3, -INFINITY, 0.25f, 0, 0, 0},
    {"dw sigmoid", 1, 10, 13, 17, 10, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 10, 0, 1, 4, 0, 0, 0, 0, 0},
    {"dw tanh", 1, 10, 13, 17, 10, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 10, 0, 1, 5, 0, 0, 0, 0, 0},
    {"dw hard sigmoid", 1, 10, 13, 17, 10, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 10, 0, 1, 6, 0.2f, 0.5f, 0, 0, 0},
    {"dw hard swish s2", 1, 10, 13, 17, 10, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 10, 0, 1, 7, 0, 0, 0, 0, 1},
    {"dw residual then relu", 1, 10, 15, 19, 10, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 10, 0, 1, 1, 0, 0, 1, 0, 1},
    {"dw hardswish then residual", 1, 10, 15, 19, 10, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 10, 0, 1, 7, 0, 0, 2, 0, 0},
    {"dw channel offset", 1, 9, 15, 19, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 9, 0, 1, 1, 0, 0, 0, 10, 1},
    {"dw offset + residual x2 batch 2", 2, 9, 15, 19, 18, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 9, 0, 1, 3, 0, 6, 1, 6, 0},
    {"dw batch 3 27x37 23ch", 3, 23, 27, 37, 23, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 23, 0, 1, 0, 0, 0, 0, 0, 0},
    {"dw SAME_UPPER s2 k4", 1, 6, 27, 36, 6, 4, 4, 2, 2, 1, 1, 0, 0, 0, 0, 6, 1, 1, 0, 0, 0, 0, 0, 0},
    {"dw SAME_LOWER 5x5 s2", 1, 6, 27, 36, 6, 5, 5, 2, 2, 1, 1, 0, 0, 0, 0, 6, 2, 1, 0, 0, 0, 0, 0, 0},
    {"dw VALID 3x3", 1, 6, 27, 37, 6, 3, 3, 1, 1, 1, 1, 9, 9, 9, 9, 6, 3, 1, 0, 0, 0, 0, 0, 0},
    {"MobileNetV2 dw 3x3 s1 144 @56", 1, 144, 56, 56, 144, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 144, 0, 1, 3, 0, 6, 0, 0, 0},
    {"MobileNetV2 dw 3x3 s2 96 @112", 1, 96, 112, 112, 96, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 96, 0, 1, 3, 0, 6, 0, 0, 0},
    {"PP-OCRv4-like dw 5x5 s1 48 @160", 1, 48, 160, 160, 48, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2, 48, 0, 1, 7, 0, 0, 0, 0, 0},
    {"PP-OCRv4-like dw 5x5 s2 48 @160", 1, 48, 160, 160, 48, 5, 5, 2, 2, 1, 1, 2, 2, 2, 2, 48, 0, 1, 7, 0, 0, 0, 0, 0},
};

/* Per algorithm, over all elements and cases: the largest |err| / bound and |err| / M. */
static double worst_ratio[OCLNN_CONV_ALGO_COUNT_];
static double worst_rel[OCLNN_CONV_ALGO_COUNT_];

static double algo_tol(oclnn_conv_algo a) {
    if (a == OCLNN_CONV_ALGO_WINOGRAD4X4) return TOL_WINOGRAD4X4;
    return a == OCLNN_CONV_ALGO_WINOGRAD2X2 ? TOL_WINOGRAD2X2 : TOL_DIRECT;
}

/* ONNX output size and begin pad of one axis, computed here independently of the library. */
static void ref_axis(int in, int k, int s, int d, int ap, int pb, int pe, int *out, int *pad) {
    int eff = d * (k - 1) + 1;
    if (ap == 1 || ap == 2) {
        *out = (in + s - 1) / s;
        int total = (*out - 1) * s + eff - in;
        if (total < 0) total = 0;
        *pad = ap == 1 ? total / 2 : total - total / 2;
        return;
    }
    if (ap == 3) pb = pe = 0;
    *out = (in + pb + pe - eff) / s + 1;
    *pad = pb;
}

static void fill(float *v, size_t n, uint64_t *seed) {
    for (size_t i = 0; i < n; i++) v[i] = test_rand_float(seed, -1.0f, 1.0f);
}

static oclnn_conv2d_params case_params(const conv_case *cc, oclnn_conv_algo algo) {
    oclnn_conv2d_params p;
    oclnn_conv2d_params_init(&p);
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
    p.auto_pad = (oclnn_auto_pad)cc->auto_pad;
    p.activation = (oclnn_activation)cc->act;
    p.activation_alpha = cc->alpha;
    p.activation_beta = cc->beta;
    p.residual = (oclnn_residual)cc->residual;
    p.algo = algo;
    return p;
}

/* Runs one case with each of @p algos against one reference computation. */
static void run_case(oclnn_context *ctx, const conv_case *cc, const oclnn_conv_algo *algos, int nalgos) {
    uint64_t seed = TEST_SEED ^ (uint64_t)(cc - cases) * 0x9E3779B97F4A7C15ull;
    int oh, ow, pt, pl;
    ref_axis(cc->h, cc->kh, cc->sh, cc->dh, cc->auto_pad, cc->pt, cc->pb, &oh, &pt);
    ref_axis(cc->w, cc->kw, cc->sw, cc->dw, cc->auto_pad, cc->pl, cc->pr, &ow, &pl);
    size_t nx = (size_t)cc->n * cc->c * cc->h * cc->w, nwt = (size_t)cc->k * (cc->c / cc->groups) * cc->kh * cc->kw;
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
    conv2d_ref_params rp = {cc->n, cc->c, cc->h, cc->w, cc->k, cc->kh, cc->kw, cc->sh, cc->sw, cc->dh, cc->dw,
                            pt, pl, oh, ow, cc->groups, cc->act, cc->alpha, cc->beta, cc->residual};
    conv2d_ref(&rp, x, wt, cc->bias ? b : NULL, res, yr, mag);

    for (int ai = 0; ai < nalgos; ai++) {
    oclnn_conv_algo algo = algos[ai];
    double tol = algo_tol(algo);
    oclnn_conv2d_params p = case_params(cc, algo);
    oclnn_conv2d *op;
    assert_ok(ctx, oclnn_conv2d_create(ctx, &p, wt, nwt, cc->bias ? b : NULL, cc->bias ? (size_t)cc->k : 0, &op));
    assert_int_equal(oclnn_conv2d_algo(op), algo);
    size_t goh, gow;
    assert_ok(ctx, oclnn_conv2d_reshape(op, cc->n, cc->h, cc->w, &goh, &gow));
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
        assert_ok(ctx, oclnn_conv2d_setup(op, tx, ty, coff, tr, roff));
    } else {
        assert_ok(ctx, oclnn_conv2d_setup(op, tx, ty, coff, NULL, 0));
    }
    assert_ok(ctx, oclnn_conv2d_enqueue(op, 0, NULL));
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
                double err = fabs((double)got - yr[o]), bound = tol * mag[o] + ABS_TOL;
                if (!(err <= bound))
                    fail_msg("%s (%s): n %d k %d pixel %d: got %.9g want %.9g, err %.3g > bound %.3g (seed 0x%llx)",
                             cc->name, oclnn_conv_algo_name(algo), n, ch - coff, i, (double)got, yr[o], err, bound,
                             (unsigned long long)TEST_SEED);
                if (err / bound > worst_ratio[algo]) worst_ratio[algo] = err / bound;
                if (mag[o] > 0 && err / mag[o] > worst_rel[algo]) worst_rel[algo] = err / mag[o];
            }
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_tensor_destroy(tr);
    oclnn_conv2d_destroy(op);
    }
    free(x);
    free(wt);
    free(b);
    free(res);
    free(restot);
    free(y);
    free(yr);
    free(mag);
}

/* Every case runs with direct and gemm (both claim every valid configuration), with each Winograd algorithm that
 * supports it (3x3, stride 1, dilation 1, one group) and with depthwise where groups == in_channels, each against
 * its own tolerance. */
static void test_case_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    int slow = test_device_is_slow(ctx), ran[OCLNN_CONV_ALGO_COUNT_] = {0};
    static const oclnn_conv_algo candidates[] = {OCLNN_CONV_ALGO_DIRECT, OCLNN_CONV_ALGO_WINOGRAD2X2,
                                                 OCLNN_CONV_ALGO_WINOGRAD4X4, OCLNN_CONV_ALGO_GEMM,
                                                 OCLNN_CONV_ALGO_DEPTHWISE};
    enum { NCAND = sizeof candidates / sizeof candidates[0] };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (slow && !cases[i].small) continue;
        oclnn_conv_algo algos[NCAND];
        int nalgos = 0;
        for (int a = 0; a < NCAND; a++) {
            oclnn_conv2d_params p = case_params(&cases[i], candidates[a]);
            if (oclnn_conv2d_supported(&p, candidates[a], NULL)) algos[nalgos++] = candidates[a];
        }
        if (algos[0] != OCLNN_CONV_ALGO_DIRECT) fail_msg("%s: direct must support every valid case", cases[i].name);
        run_case(ctx, &cases[i], algos, nalgos);
        for (int a = 0; a < nalgos; a++) ran[algos[a]]++;
    }
    for (int a = 0; a < NCAND; a++)
        printf("# %s: %d cases, worst |err|/bound %.3g, worst |err|/M %.3g (tol %.0e)\n",
               oclnn_conv_algo_name(candidates[a]), ran[candidates[a]], worst_ratio[candidates[a]],
               worst_rel[candidates[a]], algo_tol(candidates[a]));
    /* The Winograd runs must not have silently vanished from the table. */
    assert_true(ran[OCLNN_CONV_ALGO_WINOGRAD2X2] >= 5 && ran[OCLNN_CONV_ALGO_WINOGRAD4X4] >= 5);
    assert_int_equal(ran[OCLNN_CONV_ALGO_GEMM], ran[OCLNN_CONV_ALGO_DIRECT]);
    assert_true(ran[OCLNN_CONV_ALGO_DEPTHWISE] >= (slow ? 8 : 40));
    oclnn_context_destroy(ctx);
}

/* The accuracy check can fail: a kernel whose result is off by one ulp-scaled step more than the bound is caught.
 * (Guards against a reference or bound so loose that anything passes.) */
static void test_bound_is_tight_enough(void **state) {
    (void)state;
    double m = 10.0, yref = 3.0;
    double wrong = yref + TOL_DIRECT * m * 2 + ABS_TOL;
    assert_false(fabs(wrong - yref) <= TOL_DIRECT * m + ABS_TOL);
    /* A bias-sized error (dropping the bias) is always far outside the bound, for every algorithm's tolerance. */
    assert_true(0.01 > TOL_DIRECT * 100 + ABS_TOL);
    assert_true(0.01 > TOL_WINOGRAD4X4 * 100 + ABS_TOL && TOL_WINOGRAD2X2 < TOL_WINOGRAD4X4);
}

/* Configurations that prebuild_all warms are exactly the ones the operator asks for. */
static void test_prebuild_covers_operator(void **state) {
    (void)state;
    const char *dir = test_tmpdir("prebuild");
    oclnn_context *warm = test_context(dir);
    assert_ok(warm, oclnn_context_prebuild_all(warm, NULL));
    oclnn_context_destroy(warm);
    oclnn_context *ctx = test_context(dir);
#define A OCLNN_CONV_ALGO_AUTO
    static const struct {
        int c, k, kh, kw, s, d, groups, bias, act, residual;
        oclnn_conv_algo algo;
    } cfg[] = {
        {8, 16, 1, 1, 1, 1, 1, 0, 0, 0, A}, {8, 16, 1, 1, 1, 1, 1, 1, 1, 0, A}, {8, 16, 3, 3, 1, 1, 1, 1, 1, 0, A},
        {8, 16, 3, 3, 1, 1, 1, 1, 1, 1, A}, {8, 16, 3, 3, 2, 1, 1, 1, 0, 0, A}, {8, 16, 3, 3, 1, 2, 1, 1, 0, 0, A},
        {8, 16, 5, 5, 1, 1, 1, 1, 0, 0, A}, {3, 16, 7, 7, 2, 1, 1, 1, 1, 0, A}, {8, 16, 1, 7, 1, 1, 1, 1, 0, 0, A},
        {8, 16, 7, 1, 1, 1, 1, 1, 0, 0, A}, {3, 16, 11, 11, 4, 1, 1, 1, 1, 0, A}, {8, 8, 3, 3, 1, 1, 8, 1, 1, 0, A},
        /* depthwise (AUTO picks the depthwise algorithm): MobileNet, PP-OCR */
        {8, 8, 3, 3, 1, 1, 8, 0, 0, 0, A},  {8, 8, 3, 3, 1, 1, 8, 1, 0, 0, A},  {8, 8, 3, 3, 2, 1, 8, 1, 0, 0, A},
        {8, 8, 3, 3, 2, 1, 8, 1, 1, 0, A},  {8, 8, 3, 3, 1, 1, 8, 1, 3, 0, A},  {8, 8, 3, 3, 2, 1, 8, 1, 3, 0, A},
        {8, 8, 3, 3, 1, 1, 8, 1, 7, 0, A},  {8, 8, 3, 3, 2, 1, 8, 1, 7, 0, A},  {8, 8, 5, 5, 1, 1, 8, 1, 7, 0, A},
        {8, 8, 5, 5, 2, 1, 8, 1, 7, 0, A},
        {8, 8, 3, 3, 1, 1, 8, 1, 1, 0, OCLNN_CONV_ALGO_DIRECT},
        {8, 16, 3, 3, 1, 1, 1, 1, 1, 0, OCLNN_CONV_ALGO_WINOGRAD4X4},
        {8, 16, 3, 3, 1, 1, 1, 1, 1, 1, OCLNN_CONV_ALGO_WINOGRAD4X4},
        {8, 16, 3, 3, 1, 1, 1, 1, 1, 0, OCLNN_CONV_ALGO_WINOGRAD2X2},
    };
#undef A
    for (size_t i = 0; i < sizeof cfg / sizeof cfg[0]; i++) {
        oclnn_conv2d_params p;
        oclnn_conv2d_params_init(&p);
        p.in_channels = cfg[i].c;
        p.out_channels = cfg[i].k;
        p.groups = cfg[i].groups;
        p.kernel_h = cfg[i].kh;
        p.kernel_w = cfg[i].kw;
        p.stride_h = p.stride_w = cfg[i].s;
        p.dilation_h = p.dilation_w = cfg[i].d;
        p.activation = (oclnn_activation)cfg[i].act;
        if (p.activation == OCLNN_ACTIVATION_CLIP) { /* ReLU6 */
            p.activation_alpha = 0;
            p.activation_beta = 6;
        }
        p.residual = (oclnn_residual)cfg[i].residual;
        p.algo = cfg[i].algo;
        if (cfg[i].kh == 3 && cfg[i].s == 1 && cfg[i].d == 1 && cfg[i].groups == 1)
            p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = 1;
        size_t nw = (size_t)cfg[i].k * (cfg[i].c / cfg[i].groups) * cfg[i].kh * cfg[i].kw;
        float *w = calloc(nw, 4), b[16] = {0};
        oclnn_conv2d *op;
        assert_ok(ctx, oclnn_conv2d_create(ctx, &p, w, nw, cfg[i].bias ? b : NULL, cfg[i].bias ? (size_t)cfg[i].k : 0, &op));
        oclnn_conv2d_destroy(op);
        free(w);
        oclnn_cache_stats s;
        oclnn_context_cache_stats(ctx, &s);
        if (s.source_builds) fail_msg("configuration %zu is not among the registry's variants", i);
    }
    oclnn_context_destroy(ctx);
}

static oclnn_conv2d_params base_params(void) {
    oclnn_conv2d_params p;
    oclnn_conv2d_params_init(&p);
    p.in_channels = 6;
    p.out_channels = 4;
    p.kernel_h = p.kernel_w = 3;
    return p;
}

/* Impossible configurations get their exact status and a message naming the rule. */
static void test_negative_table(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    float w[6 * 4 * 9 * 4] = {0}, b[8] = {0};
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
        {"activation 99", "activation", 4, 99, OCLNN_STATUS_INVALID_ARGUMENT},
        {"clip min > max", "Clip", 5, 0, OCLNN_STATUS_INVALID_ARGUMENT},
        {"clip min NaN", "Clip", 5, 1, OCLNN_STATUS_INVALID_ARGUMENT},
        {"leaky relu alpha NaN", "NaN", 5, 2, OCLNN_STATUS_INVALID_ARGUMENT},
        {"weights too short", "weights have", 6, 6 * 4 * 9 - 1, OCLNN_STATUS_INVALID_ARGUMENT},
        {"weights too long", "weights have", 6, 6 * 4 * 9 + 1, OCLNN_STATUS_INVALID_ARGUMENT},
        {"bias count", "bias has", 7, 3, OCLNN_STATUS_INVALID_ARGUMENT},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        oclnn_conv2d_params p = base_params();
        size_t nw = 6 * 4 * 9, nb = 4;
        switch (bad[i].field) {
        case 0: p.groups = bad[i].value; break;
        case 1: p.stride_w = bad[i].value; break;
        case 2: p.dilation_h = bad[i].value; break;
        case 3: p.kernel_w = bad[i].value; break;
        case 4: p.activation = (oclnn_activation)bad[i].value; break;
        case 5:
            p.activation = bad[i].value == 2 ? OCLNN_ACTIVATION_LEAKY_RELU : OCLNN_ACTIVATION_CLIP;
            p.activation_alpha = bad[i].value ? NAN : 1;
            p.activation_beta = -1;
            break;
        case 6: nw = (size_t)bad[i].value; break;
        case 7: nb = (size_t)bad[i].value; break;
        }
        oclnn_conv2d *op = (oclnn_conv2d *)ctx;
        oclnn_status st = oclnn_conv2d_create(ctx, &p, w, nw, b, nb, &op);
        if (st != bad[i].want)
            fail_msg("%s: got %s (%s), want %s", bad[i].name, oclnn_status_name(st), oclnn_last_error(ctx),
                     oclnn_status_name(bad[i].want));
        assert_null(op);
        if (!strstr(oclnn_last_error(ctx), bad[i].msg))
            fail_msg("%s: message '%s' lacks '%s'", bad[i].name, oclnn_last_error(ctx), bad[i].msg);
        assert_int_equal(oclnn_conv2d_supported(&p, OCLNN_CONV_ALGO_DIRECT, NULL),
                         bad[i].field >= 6 ? 1 : 0); /* counts are not part of the params */
    }

    /* Shape and state errors. */
    oclnn_conv2d_params p = base_params();
    p.kernel_h = p.kernel_w = 5;
    oclnn_conv2d *op;
    assert_ok(ctx, oclnn_conv2d_create(ctx, &p, w, 6 * 4 * 25, NULL, 0, &op));
    assert_int_equal(oclnn_conv2d_enqueue(op, 0, NULL), OCLNN_STATUS_INVALID_STATE);
    int64_t dx[4] = {1, 6, 9, 9}, dy[4] = {1, 4, 5, 5}, dbad[4] = {1, 4, 5, 6};
    oclnn_tensor *tx, *ty, *tbad;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &tx));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &ty));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dbad, &tbad));
    assert_int_equal(oclnn_conv2d_setup(op, tx, ty, 0, NULL, 0), OCLNN_STATUS_INVALID_STATE);
    /* A kernel larger than the padded input. */
    size_t oh, ow;
    assert_int_equal(oclnn_conv2d_reshape(op, 1, 4, 9, &oh, &ow), OCLNN_STATUS_INVALID_SHAPE);
    assert_non_null(strstr(oclnn_last_error(ctx), "larger than the padded input"));
    assert_int_equal(oclnn_conv2d_reshape(op, 0, 9, 9, &oh, &ow), OCLNN_STATUS_INVALID_SHAPE);
    assert_ok(ctx, oclnn_conv2d_reshape(op, 1, 9, 9, &oh, &ow));
    assert_int_equal(oh, 5);
    assert_int_equal(oclnn_conv2d_setup(op, tx, tbad, 0, NULL, 0), OCLNN_STATUS_INVALID_SHAPE);
    assert_int_equal(oclnn_conv2d_setup(op, tx, ty, 1, NULL, 0), OCLNN_STATUS_INVALID_SHAPE); /* offset overflows */
    assert_int_equal(oclnn_conv2d_setup(op, ty, ty, 0, NULL, 0), OCLNN_STATUS_INVALID_SHAPE);
    assert_int_equal(oclnn_conv2d_setup(op, tx, ty, 0, ty, 0), OCLNN_STATUS_INVALID_ARGUMENT); /* residual unasked */
    assert_ok(ctx, oclnn_conv2d_setup(op, tx, ty, 0, NULL, 0));
    assert_int_equal(oclnn_conv2d_enqueue(op, 5, NULL), OCLNN_STATUS_INVALID_ARGUMENT);
    oclnn_event *ev;
    assert_ok(ctx, oclnn_conv2d_enqueue(op, 0, &ev));
    assert_ok(ctx, oclnn_event_wait(ev));
    oclnn_event_destroy(ev);
    assert_int_equal(oclnn_conv2d_algo(op), OCLNN_CONV_ALGO_DIRECT);
    oclnn_conv2d_destroy(op);
    /* Input and output sharing memory is refused. */
    int64_t dsq[4] = {1, 4, 9, 9};
    oclnn_tensor *tsq;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dsq, &tsq));
    p = base_params();
    p.in_channels = 4;
    p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = 1;
    assert_ok(ctx, oclnn_conv2d_create(ctx, &p, w, 4 * 4 * 9, NULL, 0, &op));
    assert_ok(ctx, oclnn_conv2d_reshape(op, 1, 9, 9, NULL, NULL));
    assert_int_equal(oclnn_conv2d_setup(op, tsq, tsq, 0, NULL, 0), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_non_null(strstr(oclnn_last_error(ctx), "overlap"));
    oclnn_conv2d_destroy(op);
    /* OCLNN_CONV_ALGO names an algorithm or fails clearly. */
    setenv("OCLNN_CONV_ALGO", "fastest-please", 1);
    assert_int_equal(oclnn_conv2d_create(ctx, &p, w, 4 * 4 * 9, NULL, 0, &op), OCLNN_STATUS_INVALID_ARGUMENT);
    assert_non_null(strstr(oclnn_last_error(ctx), "fastest-please"));
    setenv("OCLNN_CONV_ALGO", "direct", 1);
    assert_ok(ctx, oclnn_conv2d_create(ctx, &p, w, 4 * 4 * 9, NULL, 0, &op));
    oclnn_conv2d_destroy(op);
    unsetenv("OCLNN_CONV_ALGO");
    oclnn_tensor_destroy(tsq);
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_tensor_destroy(tbad);
    oclnn_context_destroy(ctx);
}

/* A reshape to another size reuses the compiled program: no new build. The sizes grow and shrink, so the Winograd
 * workspaces are both regrown and reused larger than needed. */
static void reshape_never_recompiles(oclnn_conv_algo algo) {
    oclnn_context *ctx = test_context(NULL);
    oclnn_conv2d_params p = base_params();
    p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = 1;
    p.algo = algo;
    float w[6 * 4 * 9];
    uint64_t seed = TEST_SEED;
    fill(w, 6 * 4 * 9, &seed);
    oclnn_conv2d *op;
    assert_ok(ctx, oclnn_conv2d_create(ctx, &p, w, 6 * 4 * 9, NULL, 0, &op));
    oclnn_cache_stats s0, s1;
    oclnn_context_cache_stats(ctx, &s0);
    static const int sizes[][3] = {{1, 9, 9}, {2, 17, 5}, {1, 3, 31}, {3, 8, 8}};
    for (int i = 0; i < 4; i++) {
        int n = sizes[i][0], h = sizes[i][1], wd = sizes[i][2];
        size_t oh, ow;
        assert_ok(ctx, oclnn_conv2d_reshape(op, n, h, wd, &oh, &ow));
        int64_t dx[4] = {n, 6, h, wd}, dy[4] = {n, 4, (int64_t)oh, (int64_t)ow};
        oclnn_tensor *tx, *ty;
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &tx));
        assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &ty));
        size_t nx = (size_t)n * 6 * h * wd, ny = (size_t)n * 4 * oh * ow;
        float *x = malloc(nx * 4), *y = malloc(ny * 4);
        double *yr = malloc(ny * 8), *mag = malloc(ny * 8);
        fill(x, nx, &seed);
        assert_ok(ctx, oclnn_tensor_write(tx, 0, nx * 4, x));
        assert_ok(ctx, oclnn_conv2d_setup(op, tx, ty, 0, NULL, 0));
        assert_ok(ctx, oclnn_conv2d_enqueue(op, 0, NULL));
        assert_ok(ctx, oclnn_tensor_read(ty, 0, ny * 4, y));
        conv2d_ref_params rp = {n, 6, h, wd, 4, 3, 3, 1, 1, 1, 1, 1, 1, (int)oh, (int)ow, 1, 0, 0, 0, 0};
        conv2d_ref(&rp, x, w, NULL, NULL, yr, mag);
        for (size_t j = 0; j < ny; j++)
            if (!(fabs(y[j] - yr[j]) <= algo_tol(algo) * mag[j] + ABS_TOL))
                fail_msg("%s size %d: element %zu", oclnn_conv_algo_name(algo), i, j);
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
    assert_int_equal(oclnn_conv2d_algo(op), algo);
    oclnn_conv2d_destroy(op);
    oclnn_context_destroy(ctx);
}

static void test_reshape_never_recompiles(void **state) {
    (void)state;
    reshape_never_recompiles(OCLNN_CONV_ALGO_DIRECT);
    reshape_never_recompiles(OCLNN_CONV_ALGO_WINOGRAD2X2);
    reshape_never_recompiles(OCLNN_CONV_ALGO_WINOGRAD4X4);
}

/* Winograd's rules: what it cannot run is refused as UNSUPPORTED naming the rule, by the query and by create. */
static void test_winograd_rules(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    float w[6 * 4 * 25] = {0};
    static const struct {
        const char *name, *msg;
        int kh, kw, stride, dilation, groups;
    } bad[] = {
        {"5x5 kernel", "3x3 kernel", 5, 5, 1, 1, 1}, {"1x3 kernel", "3x3 kernel", 1, 3, 1, 1, 1},
        {"stride 2", "stride 1", 3, 3, 2, 1, 1},     {"dilation 2", "dilation 1", 3, 3, 1, 2, 1},
        {"groups 2", "one group", 3, 3, 1, 1, 2},
    };
    for (int a = OCLNN_CONV_ALGO_WINOGRAD2X2; a <= OCLNN_CONV_ALGO_WINOGRAD4X4; a++)
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            oclnn_conv2d_params p = base_params();
            p.kernel_h = bad[i].kh;
            p.kernel_w = bad[i].kw;
            p.stride_h = bad[i].stride;
            p.dilation_w = bad[i].dilation;
            p.groups = bad[i].groups;
            p.algo = (oclnn_conv_algo)a;
            const char *why = NULL;
            assert_int_equal(oclnn_conv2d_supported(&p, p.algo, &why), 0);
            if (!why || !strstr(why, bad[i].msg)) fail_msg("%s: reason '%s' lacks '%s'", bad[i].name, why, bad[i].msg);
            assert_int_equal(oclnn_conv2d_supported(&p, OCLNN_CONV_ALGO_DIRECT, NULL), 1);
            oclnn_conv2d *op = (oclnn_conv2d *)ctx;
            size_t nw = (size_t)4 * (6 / bad[i].groups) * bad[i].kh * bad[i].kw;
            oclnn_status st = oclnn_conv2d_create(ctx, &p, w, nw, NULL, 0, &op);
            if (st != OCLNN_STATUS_UNSUPPORTED || !strstr(oclnn_last_error(ctx), bad[i].msg))
                fail_msg("%s: got %s (%s)", bad[i].name, oclnn_status_name(st), oclnn_last_error(ctx));
            assert_null(op);
            /* AUTO falls back to direct for the same params. */
            p.algo = OCLNN_CONV_ALGO_AUTO;
            assert_ok(ctx, oclnn_conv2d_create(ctx, &p, w, nw, NULL, 0, &op));
            assert_int_equal(oclnn_conv2d_algo(op), OCLNN_CONV_ALGO_DIRECT);
            oclnn_conv2d_destroy(op);
        }
    /* The names parse, and OCLNN_CONV_ALGO can ask for them. */
    oclnn_conv_algo parsed;
    assert_int_equal(oclnn_conv_algo_parse("winograd4x4", &parsed), 0);
    assert_int_equal(parsed, OCLNN_CONV_ALGO_WINOGRAD4X4);
    assert_string_equal(oclnn_conv_algo_name(OCLNN_CONV_ALGO_WINOGRAD2X2), "winograd2x2");
    oclnn_conv2d_params p = base_params();
    oclnn_conv2d *op;
    setenv("OCLNN_CONV_ALGO", "winograd2x2", 1);
    assert_ok(ctx, oclnn_conv2d_create(ctx, &p, w, 6 * 4 * 9, NULL, 0, &op));
    assert_int_equal(oclnn_conv2d_algo(op), OCLNN_CONV_ALGO_WINOGRAD2X2);
    oclnn_conv2d_destroy(op);
    p.stride_w = 2;
    assert_int_equal(oclnn_conv2d_create(ctx, &p, w, 6 * 4 * 9, NULL, 0, &op), OCLNN_STATUS_UNSUPPORTED);
    assert_non_null(strstr(oclnn_last_error(ctx), "stride 1"));
    unsetenv("OCLNN_CONV_ALGO");
    oclnn_context_destroy(ctx);
}

/* The heuristic: AUTO takes winograd4x4 for 3x3 stride-1 convolutions with enough channels, depthwise for depthwise
 * convolutions with a channel multiplier up to 4, direct otherwise. */
static void test_auto_choice(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    static const struct {
        int c, k, stride, groups;
        oclnn_conv_algo want;
    } cfg[] = {
        {256, 256, 1, 1, OCLNN_CONV_ALGO_WINOGRAD4X4}, {64, 64, 1, 1, OCLNN_CONV_ALGO_WINOGRAD4X4},
        {64, 64, 2, 1, OCLNN_CONV_ALGO_DIRECT},        {4, 4, 1, 1, OCLNN_CONV_ALGO_DIRECT},
        {144, 144, 1, 144, OCLNN_CONV_ALGO_DEPTHWISE}, {96, 96, 2, 96, OCLNN_CONV_ALGO_DEPTHWISE},
        {32, 64, 1, 32, OCLNN_CONV_ALGO_DEPTHWISE},    {32, 128, 1, 32, OCLNN_CONV_ALGO_DEPTHWISE},
        {16, 128, 1, 16, OCLNN_CONV_ALGO_DIRECT},      {64, 64, 1, 32, OCLNN_CONV_ALGO_DIRECT},
    };
    for (size_t i = 0; i < sizeof cfg / sizeof cfg[0]; i++) {
        oclnn_conv2d_params p = base_params();
        p.in_channels = cfg[i].c;
        p.out_channels = cfg[i].k;
        p.stride_h = p.stride_w = cfg[i].stride;
        p.groups = cfg[i].groups;
        size_t nw = (size_t)(cfg[i].c / cfg[i].groups) * cfg[i].k * 9;
        float *w = calloc(nw, sizeof(float));
        oclnn_conv2d *op;
        assert_ok(ctx, oclnn_conv2d_create(ctx, &p, w, nw, NULL, 0, &op));
        if (oclnn_conv2d_algo(op) != cfg[i].want)
            fail_msg("%d->%d stride %d groups %d: AUTO chose %s, want %s", cfg[i].c, cfg[i].k, cfg[i].stride,
                     cfg[i].groups, oclnn_conv_algo_name(oclnn_conv2d_algo(op)), oclnn_conv_algo_name(cfg[i].want));
        oclnn_conv2d_destroy(op);
        free(w);
    }
    oclnn_context_destroy(ctx);
}

/* create -> reshape (small) -> reshape (larger: the workspaces grow) -> setup -> enqueue, with one failure injected
 * at each point in turn. Every run ends OK or with a status and a message, and leaks no OpenCL object. */
static oclnn_status winograd_scenario(oclnn_context *ctx, oclnn_conv_algo algo, oclnn_tensor *tx, oclnn_tensor *ty) {
    oclnn_conv2d_params p = base_params();
    p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = 1;
    p.algo = algo;
    float w[6 * 4 * 9] = {0}, b[4] = {0};
    oclnn_conv2d *op = NULL;
    oclnn_status st;
    if ((st = oclnn_conv2d_create(ctx, &p, w, 6 * 4 * 9, b, 4, &op))) return st;
    if ((st = oclnn_conv2d_reshape(op, 1, 5, 5, NULL, NULL))) goto done;
    if ((st = oclnn_conv2d_reshape(op, 1, 13, 11, NULL, NULL))) goto done;
    if ((st = oclnn_conv2d_setup(op, tx, ty, 0, NULL, 0))) goto done;
    if ((st = oclnn_conv2d_enqueue(op, 0, NULL))) goto done;
    st = oclnn_context_finish(ctx);
done:
    if (st && !*oclnn_last_error(ctx)) fail_msg("status %s without a message", oclnn_status_name(st));
    oclnn_conv2d_destroy(op);
    return st;
}

static void test_winograd_fault_sweep(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    int64_t dx[4] = {1, 6, 13, 11}, dy[4] = {1, 4, 13, 11};
    oclnn_tensor *tx, *ty;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &tx));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &ty));
    static const clw_fault_kind kinds[] = {CLW_FAULT_ALLOC, CLW_FAULT_ENQUEUE};
    for (int a = OCLNN_CONV_ALGO_WINOGRAD2X2; a <= OCLNN_CONV_ALGO_WINOGRAD4X4; a++) {
        assert_ok(ctx, winograd_scenario(ctx, (oclnn_conv_algo)a, tx, ty)); /* builds the program once */
        int64_t live = clw_live_objects();
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
            int failed = 0;
            for (uint64_t k = 1; k < 64; k++) {
                clw_fault_reset();
                clw_fault_set(kinds[i], k);
                oclnn_status st = winograd_scenario(ctx, (oclnn_conv_algo)a, tx, ty);
                uint64_t calls = clw_calls(kinds[i]);
                clw_fault_reset();
                if (clw_live_objects() != live) fail_msg("%s: fault %zu at %llu leaks", oclnn_conv_algo_name(a), i,
                                                        (unsigned long long)k);
                if (calls < k) {
                    assert_ok(ctx, st); /* the fault was never reached */
                    break;
                }
                if (st == OCLNN_STATUS_OK) fail_msg("%s: fault %zu at %llu went unnoticed", oclnn_conv_algo_name(a), i,
                                                    (unsigned long long)k);
                failed++;
            }
            /* Allocations: U, bias, 3 kernels, 2 workspaces twice; enqueues: 3 launches and a finish. */
            assert_true(failed >= (kinds[i] == CLW_FAULT_ALLOC ? 7 : 4));
        }
    }
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_context_destroy(ctx);
}

/* Depthwise's rules: what it cannot run is refused as UNSUPPORTED naming the rule, by the query and by create, and
 * AUTO then falls back to direct. */
static void test_depthwise_rules(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    static float w[16 * 4 * 16 * 16];
    static const struct {
        const char *name, *msg;
        int c, k, groups, kh, kw;
    } bad[] = {
        {"one group", "groups == in_channels", 4, 4, 1, 3, 3},
        {"groups 2 of 4 channels", "groups == in_channels", 4, 8, 2, 3, 3},
        {"16x3 kernel", "up to 15x15", 4, 4, 4, 16, 3},
        {"3x16 kernel", "up to 15x15", 4, 8, 4, 3, 16},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        oclnn_conv2d_params p;
        oclnn_conv2d_params_init(&p);
        p.in_channels = bad[i].c;
        p.out_channels = bad[i].k;
        p.groups = bad[i].groups;
        p.kernel_h = bad[i].kh;
        p.kernel_w = bad[i].kw;
        p.algo = OCLNN_CONV_ALGO_DEPTHWISE;
        const char *why = NULL;
        assert_int_equal(oclnn_conv2d_supported(&p, p.algo, &why), 0);
        if (!why || !strstr(why, bad[i].msg)) fail_msg("%s: reason '%s' lacks '%s'", bad[i].name, why, bad[i].msg);
        size_t nw = (size_t)bad[i].k * (bad[i].c / bad[i].groups) * bad[i].kh * bad[i].kw;
        oclnn_conv2d *op = (oclnn_conv2d *)ctx;
        oclnn_status st = oclnn_conv2d_create(ctx, &p, w, nw, NULL, 0, &op);
        if (st != OCLNN_STATUS_UNSUPPORTED || !strstr(oclnn_last_error(ctx), bad[i].msg))
            fail_msg("%s: got %s (%s)", bad[i].name, oclnn_status_name(st), oclnn_last_error(ctx));
        assert_null(op);
        p.algo = OCLNN_CONV_ALGO_AUTO;
        assert_ok(ctx, oclnn_conv2d_create(ctx, &p, w, nw, NULL, 0, &op));
        assert_int_equal(oclnn_conv2d_algo(op), OCLNN_CONV_ALGO_DIRECT);
        oclnn_conv2d_destroy(op);
    }
    /* The name parses, and OCLNN_CONV_ALGO can ask for it. */
    oclnn_conv_algo parsed;
    assert_int_equal(oclnn_conv_algo_parse("depthwise", &parsed), 0);
    assert_int_equal(parsed, OCLNN_CONV_ALGO_DEPTHWISE);
    oclnn_conv2d_params p;
    oclnn_conv2d_params_init(&p);
    p.in_channels = p.out_channels = p.groups = 4;
    p.kernel_h = p.kernel_w = 3;
    oclnn_conv2d *op;
    setenv("OCLNN_CONV_ALGO", "direct", 1);
    assert_ok(ctx, oclnn_conv2d_create(ctx, &p, w, 4 * 9, NULL, 0, &op));
    assert_int_equal(oclnn_conv2d_algo(op), OCLNN_CONV_ALGO_DIRECT);
    oclnn_conv2d_destroy(op);
    setenv("OCLNN_CONV_ALGO", "depthwise", 1);
    assert_ok(ctx, oclnn_conv2d_create(ctx, &p, w, 4 * 9, NULL, 0, &op));
    assert_int_equal(oclnn_conv2d_algo(op), OCLNN_CONV_ALGO_DEPTHWISE);
    oclnn_conv2d_destroy(op);
    p.groups = 2;
    assert_int_equal(oclnn_conv2d_create(ctx, &p, w, 4 * 2 * 9, NULL, 0, &op), OCLNN_STATUS_UNSUPPORTED);
    assert_non_null(strstr(oclnn_last_error(ctx), "groups == in_channels"));
    unsetenv("OCLNN_CONV_ALGO");
    oclnn_context_destroy(ctx);
}

/* Depthwise create -> reshape -> reshape (another size: no rebuild) -> setup -> enqueue, one failure injected at
 * each point in turn: every run ends OK or with a status and a message, and leaks no OpenCL object. */
static oclnn_status depthwise_scenario(oclnn_context *ctx, oclnn_tensor *tx, oclnn_tensor *ty) {
    oclnn_conv2d_params p;
    oclnn_conv2d_params_init(&p);
    p.in_channels = p.groups = 6;
    p.out_channels = 12;
    p.kernel_h = p.kernel_w = 3;
    p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = 1;
    p.algo = OCLNN_CONV_ALGO_DEPTHWISE;
    float w[12 * 9] = {0}, b[12] = {0};
    oclnn_conv2d *op = NULL;
    oclnn_status st;
    if ((st = oclnn_conv2d_create(ctx, &p, w, 12 * 9, b, 12, &op))) return st;
    if ((st = oclnn_conv2d_reshape(op, 1, 5, 5, NULL, NULL))) goto done;
    if ((st = oclnn_conv2d_reshape(op, 1, 13, 11, NULL, NULL))) goto done;
    if ((st = oclnn_conv2d_setup(op, tx, ty, 0, NULL, 0))) goto done;
    if ((st = oclnn_conv2d_enqueue(op, 0, NULL))) goto done;
    st = oclnn_context_finish(ctx);
done:
    if (st && !*oclnn_last_error(ctx)) fail_msg("status %s without a message", oclnn_status_name(st));
    oclnn_conv2d_destroy(op);
    return st;
}

static void test_depthwise_fault_sweep(void **state) {
    (void)state;
    oclnn_context *ctx = test_context(NULL);
    int64_t dx[4] = {1, 6, 13, 11}, dy[4] = {1, 12, 13, 11};
    oclnn_tensor *tx, *ty;
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dx, &tx));
    assert_ok(ctx, oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dy, &ty));
    assert_ok(ctx, depthwise_scenario(ctx, tx, ty)); /* builds the program once */
    int64_t live = clw_live_objects();
    static const clw_fault_kind kinds[] = {CLW_FAULT_ALLOC, CLW_FAULT_ENQUEUE};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        int failed = 0;
        for (uint64_t k = 1; k < 32; k++) {
            clw_fault_reset();
            clw_fault_set(kinds[i], k);
            oclnn_status st = depthwise_scenario(ctx, tx, ty);
            uint64_t calls = clw_calls(kinds[i]);
            clw_fault_reset();
            if (clw_live_objects() != live) fail_msg("depthwise: fault %zu at %llu leaks", i, (unsigned long long)k);
            if (calls < k) {
                assert_ok(ctx, st); /* the fault was never reached */
                break;
            }
            if (st == OCLNN_STATUS_OK) fail_msg("depthwise: fault %zu at %llu went unnoticed", i, (unsigned long long)k);
            failed++;
        }
        /* Allocations: weights, bias, kernel; enqueues: the launch and the finish. */
        assert_true(failed >= (kinds[i] == CLW_FAULT_ALLOC ? 3 : 2));
    }
    oclnn_tensor_destroy(tx);
    oclnn_tensor_destroy(ty);
    oclnn_context_destroy(ctx);
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_table),   cmocka_unit_test(test_bound_is_tight_enough),
        cmocka_unit_test(test_prebuild_covers_operator), cmocka_unit_test(test_negative_table),
        cmocka_unit_test(test_reshape_never_recompiles), cmocka_unit_test(test_winograd_rules),
        cmocka_unit_test(test_auto_choice),              cmocka_unit_test(test_winograd_fault_sweep),
        cmocka_unit_test(test_depthwise_rules),          cmocka_unit_test(test_depthwise_fault_sweep),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    return r || clw_live_objects() != 0;
}
