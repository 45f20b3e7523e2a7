/* pool_ref.c - see pool_ref.h. Deliberately the plainest loops: one output at a time, every tap of its window,
 * as the ONNX operator descriptions read. */
#include "pool_ref.h"

#include <float.h>
#include <math.h>
#include <stddef.h>

void pool_ref(const pool_ref_params *p, const float *x, double *y, double *wmax) {
    int global = p->type == 3 || p->type == 4;
    int kh = global ? p->h : p->kh, kw = global ? p->w : p->kw;
    int sh = global ? 1 : p->sh, sw = global ? 1 : p->sw, dh = global ? 1 : p->dh, dw = global ? 1 : p->dw;
    int pt = global ? 0 : p->pad_top, pl = global ? 0 : p->pad_left;
    int pb = global ? 0 : p->pad_bottom, pr = global ? 0 : p->pad_right;
    for (int n = 0; n < p->n; n++)
        for (int c = 0; c < p->c; c++)
            for (int oy = 0; oy < p->oh; oy++)
                for (int ox = 0; ox < p->ow; ox++) {
                    double mx = -DBL_MAX, sum = 0, m = 0;
                    int real = 0, padded = 0;
                    for (int ky = 0; ky < kh; ky++)
                        for (int kx = 0; kx < kw; kx++) {
                            int iy = oy * sh - pt + ky * dh, ix = ox * sw - pl + kx * dw;
                            /* count_include_pad counts taps inside the padded extent, not beyond it. */
                            if (iy >= -pt && iy < p->h + pb && ix >= -pl && ix < p->w + pr) padded++;
                            if (iy < 0 || iy >= p->h || ix < 0 || ix >= p->w) continue;
                            double v = x[(((size_t)n * p->c + c) * p->h + iy) * p->w + ix];
                            real++;
                            if (v > mx) mx = v;
                            sum += p->type == 2 ? pow(fabs(v), p->p) : v;
                            if (fabs(v) > m) m = fabs(v);
                        }
                    double r;
                    if (p->type == 0 || p->type == 3)
                        r = real ? mx : -FLT_MAX; /* an empty window: ONNX Runtime's start value */
                    else if (p->type == 2)
                        r = pow(sum, 1.0 / p->p);
                    else {
                        int count = p->type == 1 && p->count_include_pad ? padded : real;
                        r = count ? sum / count : 0;
                    }
                    size_t o = (((size_t)n * p->c + c) * p->oh + oy) * p->ow + ox;
                    y[o] = r;
                    wmax[o] = m;
                }
}
