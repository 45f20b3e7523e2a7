/* kernel_list.h - the kernel registry: one X-macro list of every .cl file in cl/.
 *
 * X(ID, file, variants): `variants` is a ';'-separated list of canonical -D option sets that the operators use
 * commonly. oclnn_context_prebuild_all() and test_all_kernels_build compile every one of them, so a variant
 * that stops compiling on some driver is caught by the tests, and a cache can be warmed ahead of time.
 */
#ifndef OCLNN_KERNEL_LIST_H
#define OCLNN_KERNEL_LIST_H

#define OCLNN_KERNEL_LIST(X)                                                                                 \
    X(TENSOR_UTIL, "tensor_util.cl", "")                                                                     \
    X(CONV2D_DIRECT, "conv2d_direct.cl", OCLNN_CONV2D_DIRECT_VARIANTS)                                     \
    X(POOL2D, "pool2d.cl", OCLNN_POOL2D_VARIANTS)                                                         \
    X(CONV2D_WINOGRAD, "conv2d_winograd.cl", OCLNN_CONV2D_WINOGRAD_VARIANTS)                               \
    X(GEMM, "gemm.cl", OCLNN_GEMM_VARIANTS)                                                                \
    X(SOFTMAX, "softmax.cl", "-DVEC=16;-DLOG=1 -DVEC=16;-DCACHE_LEN=0;-DCACHE_LEN=0 -DLOG=1")                  \
    X(ARGMAX, "argmax.cl", ";-DSELECT_LAST=1")                                                             \
    X(LRN, "lrn.cl", ";-DBETA_MODE=1;-DBETA_MODE=1 -DSIZE=3")                                          \
    X(ELTWISE, "eltwise.cl", OCLNN_ELTWISE_VARIANTS)                                                   \
    X(CONV2D_TRANSPOSED, "conv2d_transposed.cl", OCLNN_CONV2D_TRANSPOSED_VARIANTS)                     \
    X(DATAMOVE, "datamove.cl", ";-DPAD_MODE=1;-DPAD_MODE=2;-DPAD_MODE=3")                                  \
    X(RESIZE, "resize.cl", "")                                                                         \
    X(CONV2D_DEPTHWISE, "conv2d_depthwise.cl", OCLNN_CONV2D_DEPTHWISE_VARIANTS)                             \
    X(CONV3D, "conv3d.cl", OCLNN_CONV3D_VARIANTS)                                                       \
    X(DECONV3D, "deconv3d.cl", ";-DHAS_BIAS=1;-DHAS_BIAS=1 -DKD=3 -DKH=3 -DKW=3 -DOC_TILE=8")

/* The direct convolution's common configurations, written the way lib/ops/conv2d.c names them (options at
 * the file's default are left out): 1x1, 3x3 (+ residual), 3x3 s2, 3x3 d2, 5x5, 7x7 s2 stems, 1x7/7x1,
 * 11x11 s4, and depthwise 3x3. Kept here so that the registry stays one list. */
#define OCLNN_CONV2D_DIRECT_VARIANTS                                                                         \
    "-DKH=1 -DKW=1;"                                                                                         \
    "-DACT=1 -DHAS_BIAS=1 -DKH=1 -DKW=1;"                                                                    \
    "-DACT=1 -DHAS_BIAS=1;"                                                                                  \
    "-DACT=1 -DHAS_BIAS=1 -DHAS_RESIDUAL=1;"                                                                 \
    "-DHAS_BIAS=1 -DSH=2 -DSW=2;"                                                                            \
    "-DDH=2 -DDW=2 -DHAS_BIAS=1;"                                                                            \
    "-DHAS_BIAS=1 -DKH=5 -DKW=5;"                                                                            \
    "-DACT=1 -DHAS_BIAS=1 -DKH=7 -DKW=7 -DSH=2 -DSW=2;"                                                      \
    "-DHAS_BIAS=1 -DKH=1 -DKW=7;"                                                                            \
    "-DHAS_BIAS=1 -DKH=7 -DKW=1;"                                                                            \
    "-DACT=1 -DHAS_BIAS=1 -DKH=11 -DKW=11 -DSH=4 -DSW=4;"                                                    \
    "-DACT=1 -DHAS_BIAS=1 -DOC_TILE=1 -DOW_TILE=8"

/* Pooling as lib/ops/pool2d.c names it: max 3x3 s2 (ResNet, GoogLeNet; also GlobalMaxPool), max 2x2 s2 (VGG),
 * max 3x3 s1 (GoogLeNet branches), average 3x3 s1 (Inception-v3), average 2x2 s2 (DenseNet), and "-DMODE=1"
 * (GlobalAveragePool, and average 3x3 s2). */
#define OCLNN_POOL2D_VARIANTS                                                                                \
    ";"                                                                                                      \
    "-DKH=2 -DKW=2;"                                                                                         \
    "-DSH=1 -DSW=1;"                                                                                         \
    "-DMODE=1 -DSH=1 -DSW=1;"                                                                                \
    "-DKH=2 -DKW=2 -DMODE=1;"                                                                                \
    "-DMODE=1"
/* Winograd (lib/ops/conv2d_winograd.c): F(4x4) (the file's default) and F(2x2) with bias + ReLU, and F(4x4) with
 * bias, residual and ReLU (ResNet's 3x3 convs). */
#define OCLNN_CONV2D_WINOGRAD_VARIANTS                                                                       \
    "-DACT=1 -DHAS_BIAS=1;"                                                                                  \
    "-DACT=1 -DHAS_BIAS=1 -DHAS_RESIDUAL=1;"                                                                 \
    "-DACT=1 -DHAS_BIAS=1 -DWINO_M=2"
/* cl/gemm.cl as lib/ops/gemm.c and conv2d_gemm.c name it: Gemm/MatMul with a dynamic B (each with its GEMV
 * row tile MR=1), fully-connected layers with packed weights, bias and optional ReLU, and the 1x1 / im2col
 * convolutions (1x1 is AUTO's choice) with and without bias (+ ReLU, + residual). */
#define OCLNN_GEMM_VARIANTS                                                                                  \
    ";"                                                                                                      \
    "-DMR=1;"                                                                                                \
    "-DB_PACKED=1;"                                                                                          \
    "-DB_PACKED=1 -DMR=1;"                                                                                   \
    "-DB_PACKED=1 -DHAS_C=1;"                                                                                \
    "-DB_PACKED=1 -DHAS_C=1 -DMR=1;"                                                                         \
    "-DACT=1 -DB_PACKED=1 -DHAS_C=1;"                                                                        \
    "-DACT=1 -DB_PACKED=1 -DHAS_C=1 -DMR=1;"                                                                 \
    "-DA_PACKED=1;"                                                                                          \
    "-DA_PACKED=1 -DHAS_C=1;"                                                                                \
    "-DACT=1 -DA_PACKED=1 -DHAS_C=1;"                                                                        \
    "-DACT=1 -DA_PACKED=1 -DB_PACKED=1 -DHAS_C=1;"                                                           \
    "-DACT=1 -DA_PACKED=1 -DB_PACKED=1 -DHAS_C=1 -DHAS_RESIDUAL=1"
/* The elementwise programs as lib/ops/eltwise.c and batchnorm.c name them: Identity needs none; every activation
 * alone (unary, BatchNorm + act, Add + act); every binary op, and PRelu (OP=6), without one. */
#define OCLNN_ELTWISE_VARIANTS                                                                               \
    ";-DACT=1;-DACT=2;-DACT=3;-DACT=4;-DACT=5;-DACT=6;-DACT=7;"                                              \
    "-DOP=1;-DOP=2;-DOP=3;-DOP=4;-DOP=5;-DOP=6"
/* The transposed convolution's common configurations, named as lib/ops/conv2d_transposed.c names them: k4 s2
 * (DCGAN/U-Net style, plain, + bias, + bias ReLU), k3 s2 + bias, FCN-8s upscore2 k4 s2 and upscore8 k16 s8 on 21
 * channels (24-channel tiles), the DBNet head's k2 s2 24-channel layer (bias, ReLU) and its 1-channel sigmoid. */
#define OCLNN_CONV2D_TRANSPOSED_VARIANTS                                                                     \
    ";"                                                                                                      \
    "-DHAS_BIAS=1;"                                                                                          \
    "-DACT=1 -DHAS_BIAS=1;"                                                                                  \
    "-DHAS_BIAS=1 -DKH=3 -DKW=3;"                                                                            \
    "-DOC_TILE=24 -DOW_TILE=4;"                                                                              \
    "-DKH=16 -DKW=16 -DOC_TILE=24 -DOW_TILE=4 -DSH=8 -DSW=8;"                                                \
    "-DACT=1 -DHAS_BIAS=1 -DKH=2 -DKW=2 -DOC_TILE=24 -DOW_TILE=4;"                                           \
    "-DACT=4 -DHAS_BIAS=1 -DKH=2 -DKW=2 -DOC_TILE=1 -DOW_TILE=8"

/* The depthwise convolution as lib/ops/conv2d_depthwise.c names it: MobileNet's 3x3 s1/s2 with bias and ReLU6 or
 * ReLU, or without an activation (ReLU6 is sometimes a separate node), PP-OCR's 3x3 and 5x5 s1/s2 with bias +
 * HardSwish, and the file's default (3x3 s1, nothing fused). */
#define OCLNN_CONV2D_DEPTHWISE_VARIANTS                                                                      \
    ";"                                                                                                      \
    "-DHAS_BIAS=1;"                                                                                          \
    "-DHAS_BIAS=1 -DSH=2 -DSW=2;"                                                                            \
    "-DACT=1 -DHAS_BIAS=1;"                                                                                  \
    "-DACT=1 -DHAS_BIAS=1 -DSH=2 -DSW=2;"                                                                    \
    "-DACT=3 -DACT_ALPHA=0.000000000e+00f -DACT_BETA=6.000000000e+00f -DHAS_BIAS=1;"                         \
    "-DACT=3 -DACT_ALPHA=0.000000000e+00f -DACT_BETA=6.000000000e+00f -DHAS_BIAS=1 -DSH=2 -DSW=2;"           \
    "-DACT=7 -DHAS_BIAS=1;"                                                                                  \
    "-DACT=7 -DHAS_BIAS=1 -DSH=2 -DSW=2;"                                                                    \
    "-DACT=7 -DHAS_BIAS=1 -DKH=5 -DKW=5;"                                                                    \
    "-DACT=7 -DHAS_BIAS=1 -DKH=5 -DKW=5 -DSH=2 -DSW=2"

/* The 3-D convolution as lib/ops/conv.c names it: C3D's 3x3x3 with bias + ReLU (and without an activation, for a
 * BatchNorm that stays apart), and the 1x1x1 and 1x3x3 / 3x1x1 layers of I3D and (2+1)-D networks with bias + ReLU. */
#define OCLNN_CONV3D_VARIANTS                                                                                \
    "-DACT=1 -DHAS_BIAS=1;"                                                                                  \
    "-DHAS_BIAS=1;"                                                                                          \
    "-DACT=1 -DHAS_BIAS=1 -DKD=1 -DKH=1 -DKW=1;"                                                             \
    "-DACT=1 -DHAS_BIAS=1 -DKD=1;"                                                                           \
    "-DACT=1 -DHAS_BIAS=1 -DKH=1 -DKW=1"

typedef enum oclnn_kernel_id {
#define X(id, file, variants) OCLNN_KERNEL_##id,
    OCLNN_KERNEL_LIST(X)
#undef X
        OCLNN_KERNEL_COUNT
} oclnn_kernel_id;

#endif
