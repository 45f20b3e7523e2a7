/* lrn_ref.c - naive LRN (see lrn_ref.h). */
#include "ref/lrn_ref.h"

#include <math.h>

void lrn_ref(const float *x, double *y, size_t n, size_t c, size_t inner, int size, double alpha, double beta,
             double bias) {
    long before = (long)floor((size - 1) / 2.0), after = (long)ceil((size - 1) / 2.0);
    for (size_t b = 0; b < n; b++)
        for (size_t ch = 0; ch < c; ch++)
            for (size_t i = 0; i < inner; i++) {
                double s = 0;
                for (long k = (long)ch - before; k <= (long)ch + after; k++) {
                    if (k < 0 || k >= (long)c) continue;
                    double v = x[(b * c + (size_t)k) * inner + i];
                    s += v * v;
                }
                size_t o = (b * c + ch) * inner + i;
                y[o] = x[o] / pow(bias + alpha / size * s, beta);
            }
}
