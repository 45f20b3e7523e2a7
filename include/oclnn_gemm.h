/* oclnn_gemm.h - dense layers: ONNX Gemm (Y = alpha * op(A) op(B) + beta * C, C broadcast to [M,N]) and MatMul
 * (numpy semantics: batched, broadcast batch dimensions, 1-D operands). Included by oclnn_ops.h.
 *
 * Both follow the operator lifecycle create -> reshape -> setup -> enqueue -> destroy. A constant B (weights) is
 * given at create and packed once; otherwise B is a tensor bound at setup.
 */
#ifndef OCLNN_GEMM_H
#define OCLNN_GEMM_H

#ifdef __cplusplus
extern "C" {
#endif

/** Which implementation runs the matrix product. */
typedef enum oclnn_gemm_backend {
    OCLNN_GEMM_BACKEND_AUTO = 0,    /**< $OCLNN_GEMM ("oclnn" or "clblast") if set, else oclnn's kernel on CPU
                                         devices and CLBlast on the others */
    OCLNN_GEMM_BACKEND_OCLNN = 1,   /**< oclnn's register-blocked kernel (cl/gemm.cl) */
    OCLNN_GEMM_BACKEND_CLBLAST = 2, /**< CLBlast's SGEMM plus an oclnn epilogue pass */
} oclnn_gemm_backend;

typedef struct oclnn_gemm_params {
    int trans_a, trans_b; /**< ONNX transA / transB: A is stored [K][M], B is stored [N][K] */
    float alpha, beta;
    int c_input; /**< 1: C is a tensor bound at setup (then no constant C is given at create) */
    oclnn_activation activation; /**< fused after adding C (FC + ReLU) */
    float activation_alpha, activation_beta;
    oclnn_gemm_backend backend;
} oclnn_gemm_params;

typedef struct oclnn_gemm oclnn_gemm;

/** Defaults: no transposes, alpha = beta = 1, no C input, no activation, AUTO backend. */
OCLNN_API void oclnn_gemm_params_init(oclnn_gemm_params *params);

/**
 * Creates a Gemm.
 * @param b      constant B, row-major as stored ([K][N], or [N][K] with trans_b); NULL: B is bound at setup
 * @param b_dims the two stored dimensions of the constant B (ignored when @p b is NULL)
 * @param c      constant C, row-major, of @p c_ndim (0, 1 or 2) dims @p c_dims, unidirectionally broadcastable to
 *               [M][N] (a bias is [N]); NULL with c_ndim 0 for none. Copied now.
 * @retval OCLNN_STATUS_INVALID_ARGUMENT naming the rule for bad params, dims or a C given twice
 */
OCLNN_API oclnn_status oclnn_gemm_create(oclnn_context *ctx, const oclnn_gemm_params *params, const float *b,
                                         const int64_t b_dims[2], const float *c, size_t c_ndim,
                                         const int64_t *c_dims, oclnn_gemm **out);

/**
 * Sets the stored shapes of A ([M][K], or [K][M] with trans_a) and of B (NULL when B is constant).
 * @param y_dims receives [M][N]
 * @retval OCLNN_STATUS_INVALID_SHAPE when K differs or the constant C does not broadcast to [M][N]
 */
OCLNN_API oclnn_status oclnn_gemm_reshape(oclnn_gemm *op, const int64_t a_dims[2], const int64_t b_dims[2],
                                          int64_t y_dims[2]);

/** Binds 2-D f32 tensors of the reshaped shapes; @p b is NULL when B is constant, @p c unless c_input is set. */
OCLNN_API oclnn_status oclnn_gemm_setup(oclnn_gemm *op, const oclnn_tensor *a, const oclnn_tensor *b,
                                        const oclnn_tensor *c, oclnn_tensor *y);

OCLNN_API oclnn_status oclnn_gemm_enqueue(oclnn_gemm *op, uint32_t queue, oclnn_event **event);

/** The backend chosen at create (never AUTO). */
OCLNN_API oclnn_gemm_backend oclnn_gemm_get_backend(const oclnn_gemm *op);

/** NULL is a no-op. */
OCLNN_API void oclnn_gemm_destroy(oclnn_gemm *op);

typedef struct oclnn_matmul oclnn_matmul;

/**
 * Creates a MatMul. @p b is a constant B of @p b_ndim (1..5) dims (copied now), or NULL: B is bound at setup.
 * @p backend as for Gemm.
 */
OCLNN_API oclnn_status oclnn_matmul_create(oclnn_context *ctx, oclnn_gemm_backend backend, const float *b,
                                           size_t b_ndim, const int64_t *b_dims, oclnn_matmul **out);

/**
 * Sets the shapes (numpy rules: a 1-D A is a row [1][K] and a 1-D B a column [K][1], that dimension is dropped
 * from the result; batch dimensions broadcast). @p b_dims is ignored when B is constant. The output has at most
 * 5 dims, hence at most 3 batch dims; a 1-D x 1-D product (a scalar in numpy) is returned as dims [1].
 * @param y_ndim, y_dims receive the output shape (y_dims has room for OCLNN_MAX_DIMS)
 * @retval OCLNN_STATUS_INVALID_SHAPE when K differs or batch dims do not broadcast
 */
OCLNN_API oclnn_status oclnn_matmul_reshape(oclnn_matmul *op, size_t a_ndim, const int64_t *a_dims, size_t b_ndim,
                                            const int64_t *b_dims, size_t *y_ndim, int64_t *y_dims);

/** Binds f32 tensors of the reshaped shapes; @p b is NULL when B is constant. */
OCLNN_API oclnn_status oclnn_matmul_setup(oclnn_matmul *op, const oclnn_tensor *a, const oclnn_tensor *b,
                                          oclnn_tensor *y);

OCLNN_API oclnn_status oclnn_matmul_enqueue(oclnn_matmul *op, uint32_t queue, oclnn_event **event);

OCLNN_API oclnn_gemm_backend oclnn_matmul_get_backend(const oclnn_matmul *op);

/** NULL is a no-op. */
OCLNN_API void oclnn_matmul_destroy(oclnn_matmul *op);

#ifdef __cplusplus
}
#endif

#endif
