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
    X(CONV2D_DIRECT, "conv2d_direct.cl", OCLNN_CONV2D_DIRECT_VARIANTS)                                      \
    X(DATAMOVE, "datamove.cl", ";-DPAD_MODE=1;-DPAD_MODE=2;-DPAD_MODE=3")                                    \
    X(RESIZE, "resize.cl", "")

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

typedef enum oclnn_kernel_id {
#define X(id, file, variants) OCLNN_KERNEL_##id,
    OCLNN_KERNEL_LIST(X)
#undef X
        OCLNN_KERNEL_COUNT
} oclnn_kernel_id;

#endif
