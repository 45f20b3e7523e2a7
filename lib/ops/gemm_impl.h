/* gemm_impl.h - the engine shared by the Gemm/MatMul operators (gemm.c) and conv2d's gemm algorithm
 * (conv2d_gemm.c): configuration and -D options of cl/gemm.cl, packing of constant operands into panels,
 * the arguments of one batched launch, and its execution by our kernel or by CLBlast.
 */
#ifndef OCLNN_GEMM_IMPL_H
#define OCLNN_GEMM_IMPL_H

#include "program/program.h"

/* Packed weights above this many bytes are uploaded through a staging buffer of a few MiB, a chunk at a time
 * (conv2d direct, gemm); smaller ones go in with their buffer (CL_MEM_COPY_HOST_PTR), so creating an operator
 * enqueues nothing. */
#define OCLNN_STAGED_UPLOAD_MIN ((size_t)16 << 20)

/* cl/gemm.cl's defaults: 6 rows x 16 columns (2 AVX2 vectors) per work-item, 12 of 16 ymm registers of sums. */
#define OCLNN_GEMM_DEFAULT_MR 6
#define OCLNN_GEMM_DEFAULT_NR 16
#define OCLNN_GEMM_DEFAULT_VEC 8
/* Row tile of the GEMV variant (M small: fully-connected layers at batch 1). */
#define OCLNN_GEMM_GEMV_MR 1
/* Largest M that runs on the GEMV variant: up to here, re-streaming B per row costs less than computing
 * MR - M rows of padding. */
#define OCLNN_GEMM_GEMV_MAX_M 2

/* The kernel's compile-time configuration (see the -D list at the top of cl/gemm.cl). */
typedef struct gemm_kcfg {
    int mr, nr, vec;
    int a_packed, b_packed, b_gather;
    int has_c, has_res, res_after;
    int act;
    float act_alpha, act_beta;
} gemm_kcfg;

void oclnn_gemm_kcfg_init(gemm_kcfg *c);
/* The -D options of @p c, each left out at the file's default. */
void oclnn_gemm_options(const gemm_kcfg *c, oclnn_opts *o);

/* One operand of a launch: buffer, element offset, two strides (A: sm, sk; B: sk, sn; C: sm, sn; Y and R: sm)
 * and the three batch strides. Packed operands use s0 (A) or s1 (B) as the panel stride. */
typedef struct gemm_operand {
    cl_mem mem;
    long off, s0, s1;
    long bs[3];
} gemm_operand;

/* One batched launch: Y(z) = act(alpha * A(z) B(z) + beta * C(z) [+ R(z)]) for z < batch, where
 * z = (z2 * zn1 + z1) * zn0 + z0 picks each operand's batch offset. */
typedef struct gemm_launch {
    gemm_operand a, b, c, y, r;
    long m, n, k;
    float alpha, beta;
    long zn0, zn1, batch;
} gemm_launch;

/* Panels of @p tile rows: dst[r / tile][k][r % tile] = src[r * s_row + k * s_k], zero past @p rows. */
size_t oclnn_gemm_packed_size(size_t rows, size_t k, int tile);
void oclnn_gemm_pack(const float *src, size_t s_row, size_t s_k, size_t rows, size_t k, int tile, float *dst);

/* Which implementation runs a GEMM: params, then $OCLNN_GEMM ("oclnn" or "clblast"), then the device (our kernel
 * on CPUs, where it measured 10-30x CLBlast on POCL; CLBlast elsewhere). Sets *use_clblast. */
oclnn_status oclnn_gemm_choose_backend(oclnn_context *ctx, int requested, int *use_clblast);

/* A GEMM ready to run: the kernels it needs and the launch arguments (filled by the operator). */
typedef struct gemm_exec {
    oclnn_context *ctx;
    int clblast;
    gemm_kcfg cfg;
    cl_kernel kmain;  /* our kernel, cfg.mr rows */
    cl_kernel kgemv;  /* our kernel with OCLNN_GEMM_GEMV_MR rows, or NULL */
    cl_kernel kepi;   /* CLBlast path: the epilogue pass, NULL when there is nothing to add */
    gemm_launch l;
} gemm_exec;

/* Builds the kernels for @p cfg (and the GEMV variant when @p with_gemv). With CLBlast, cfg's packing flags must
 * be 0 and only the epilogue is compiled. */
oclnn_status oclnn_gemm_exec_create(oclnn_context *ctx, gemm_exec *e, const gemm_kcfg *cfg, int use_clblast,
                                    int with_gemv);
/* Enqueues e->l on @p q; @p ev (may be NULL) receives an event for the last command. Unused operands of the
 * launch may have a NULL mem. */
oclnn_status oclnn_gemm_exec_enqueue(gemm_exec *e, cl_command_queue q, cl_event *ev);
void oclnn_gemm_exec_release(gemm_exec *e);

/* NDRange of our kernel for a launch. */
void oclnn_gemm_ndrange(int mr, int nr, const gemm_launch *l, size_t global[3]);

#endif
