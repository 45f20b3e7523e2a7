/* softmax_ref.c - naive Softmax / LogSoftmax in double (see softmax_ref.h). */
#include "ref/softmax_ref.h"

#include <math.h>

void softmax_ref(const float *x, double *y, size_t outer, size_t len, size_t inner, int log_) {
    for (size_t o = 0; o < outer; o++)
        for (size_t i = 0; i < inner; i++) {
            const float *xp = x + o * len * inner + i;
            double *yp = y + o * len * inner + i;
            double m = -INFINITY, s = 0;
            for (size_t c = 0; c < len; c++)
                m = fmax(m, (double)xp[c * inner]);
            for (size_t c = 0; c < len; c++)
                s += exp((double)xp[c * inner] - m);
            for (size_t c = 0; c < len; c++) {
                double d = (double)xp[c * inner] - m;
                yp[c * inner] = log_ ? d - log(s) : exp(d) / s;
            }
        }
}
