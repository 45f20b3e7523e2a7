/* gemm_ref.c - see gemm_ref.h. The plainest triple loop; the activation comes from conv2d_ref.c. */
#include "gemm_ref.h"

#include <math.h>

#include "conv2d_ref.h"

void gemm_ref(int M, int N, int K, float alpha, const float *a, long a_sm, long a_sk, const float *b, long b_sk,
              long b_sn, float beta, const float *c, long c_sm, long c_sn, int act, float act_alpha,
              float act_beta, double *y, double *mag) {
    for (int m = 0; m < M; m++)
        for (int n = 0; n < N; n++) {
            double s = 0, g = 0;
            for (int k = 0; k < K; k++) {
                double p = (double)alpha * a[m * a_sm + k * a_sk] * b[k * b_sk + n * b_sn];
                s += p;
                g += fabs(p);
            }
            if (c) {
                double t = (double)beta * c[m * c_sm + n * c_sn];
                s += t;
                g += fabs(t);
            }
            y[(long)m * N + n] = ref_activation(act, s, act_alpha, act_beta);
            mag[(long)m * N + n] = g * ref_activation_slope(act, act_alpha);
        }
}
