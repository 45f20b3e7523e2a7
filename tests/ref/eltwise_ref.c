/* eltwise_ref.c - see eltwise_ref.h. Deliberately the plainest loops: it reads like the ONNX spec. */
#include "eltwise_ref.h"

#include <math.h>

int eltwise_ref_broadcast(int an, const int64_t *ad, int bn, const int64_t *bd, int *on, int64_t *od) {
    int r = an > bn ? an : bn;
    for (int i = 0; i < r; i++) {
        /* Right-aligned: the axis i - (r - n) of an operand of rank n, missing axes are 1. */
        int64_t x = i - (r - an) >= 0 ? ad[i - (r - an)] : 1, y = i - (r - bn) >= 0 ? bd[i - (r - bn)] : 1;
        if (x != y && x != 1 && y != 1) return 0;
        od[i] = x == 1 ? y : x;
    }
    *on = r;
    return 1;
}

size_t eltwise_ref_count(int n, const int64_t *d) {
    size_t c = 1;
    for (int i = 0; i < n; i++) c *= (size_t)d[i];
    return c;
}

double eltwise_ref_op(int op, double a, double b) {
    switch (op) {
    case 0: return a + b;
    case 1: return a - b;
    case 2: return a * b;
    case 3: return a / b;
    case 4: return a > b ? a : b;
    case 5: return a < b ? a : b;
    default: return a >= 0 ? a : b * a;
    }
}

/* The flat index in an operand of rank n of the output coordinates idx (rank on): size-1 axes read index 0. */
static size_t operand_index(int n, const int64_t *d, int on, const int64_t *idx) {
    size_t off = 0;
    for (int i = 0; i < n; i++) {
        int64_t k = idx[i + on - n];
        off = off * (size_t)d[i] + (size_t)(d[i] == 1 ? 0 : k);
    }
    return off;
}

void eltwise_ref_binary(int op, int an, const int64_t *ad, const float *a, int bn, const int64_t *bd, const float *b,
                        int on, const int64_t *od, double *z) {
    size_t total = eltwise_ref_count(on, od);
    for (size_t t = 0; t < total; t++) {
        int64_t idx[8];
        size_t rest = t;
        for (int i = on - 1; i >= 0; i--) {
            idx[i] = (int64_t)(rest % (size_t)od[i]);
            rest /= (size_t)od[i];
        }
        z[t] = eltwise_ref_op(op, a[operand_index(an, ad, on, idx)], b[operand_index(bn, bd, on, idx)]);
    }
}

void eltwise_ref_batchnorm(const float *x, int n, int c, size_t spatial, const float *scale, const float *bias,
                           const float *mean, const float *var, float eps, double *z, double *mag) {
    for (int i = 0; i < n; i++)
        for (int k = 0; k < c; k++)
            for (size_t s = 0; s < spatial; s++) {
                size_t t = ((size_t)i * c + k) * spatial + s;
                double norm = ((double)x[t] - mean[k]) / sqrt((double)var[k] + (double)eps);
                z[t] = scale[k] * norm + bias[k];
                mag[t] = fabs(scale[k] * norm) + fabs((double)bias[k]) +
                         fabs((double)scale[k] * mean[k] / sqrt((double)var[k] + (double)eps));
            }
}
