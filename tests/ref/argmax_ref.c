/* argmax_ref.c - naive ArgMax (see argmax_ref.h). */
#include "ref/argmax_ref.h"

#include <math.h>

/* a > b in the order where NaN is above +inf (and NaNs are equal). */
static int greater(float a, float b) {
    if (isnan(a)) return !isnan(b);
    if (isnan(b)) return 0;
    return a > b;
}

void argmax_ref(const float *x, int64_t *y, size_t outer, size_t len, size_t inner, int select_last) {
    for (size_t o = 0; o < outer; o++)
        for (size_t i = 0; i < inner; i++) {
            const float *xp = x + o * len * inner + i;
            size_t best = 0;
            for (size_t c = 1; c < len; c++) {
                float v = xp[c * inner], b = xp[best * inner];
                if (select_last ? !greater(b, v) : greater(v, b)) best = c;
            }
            y[o * inner + i] = (int64_t)best;
        }
}
