/* gemm_ref.h - naive GEMM reference (ONNX Gemm plus oclnn's fused activation), accumulated in double, that also
 * returns for every output the magnitude sum the accuracy bound is measured against. Operands are read through
 * strides, so transposes, broadcasts and batch slices are the caller's pointer arithmetic.
 */
#ifndef OCLNN_GEMM_REF_H
#define OCLNN_GEMM_REF_H

/* Y(m, n) = act(alpha * sum_k A(m,k) B(k,n) + beta * C(m,n)) with A(m,k) = a[m*a_sm + k*a_sk], B(k,n) =
 * b[k*b_sk + n*b_sn], C(m,n) = c[m*c_sm + n*c_sn] (c may be NULL). y and mag are dense [M][N]:
 * mag = (sum |alpha*a*b| + |beta*c|) * the activation's largest slope. */
void gemm_ref(int M, int N, int K, float alpha, const float *a, long a_sm, long a_sk, const float *b, long b_sk,
              long b_sn, float beta, const float *c, long c_sm, long c_sn, int act, float act_alpha,
              float act_beta, double *y, double *mag);

#endif
