/* conv2d_ref.c - see conv2d_ref.h. Deliberately the plainest loops: it reads like the ONNX spec. */
#include "conv2d_ref.h"

#include <math.h>

double ref_activation(int act, double x, double a, double b) {
    switch (act) {
    case 1: return x > 0 ? x : 0;
    case 2: return x >= 0 ? x : a * x;
    case 3: return x < a ? a : x > b ? b : x;
    case 4: return 1.0 / (1.0 + exp(-x));
    case 5: return tanh(x);
    case 6: return fmax(0.0, fmin(1.0, a * x + b));
    case 7: return x * fmax(0.0, fmin(1.0, x / 6.0 + 0.5));
    default: return x;
    }
}

double ref_activation_slope(int act, double a) {
    switch (act) {
    case 2: return fabs(a) > 1 ? fabs(a) : 1;
    case 4: return 0.25;
    case 6: return fabs(a);
    case 7: return 1.5;
    default: return 1;
    }
}

void conv2d_ref(const conv2d_ref_params *p, const float *x, const float *wt, const float *bias, const float *res,
                double *y, double *mag) {
    int cg = p->c / p->groups, kg = p->k / p->groups;
    for (int n = 0; n < p->n; n++)
        for (int k = 0; k < p->k; k++) {
            int g = k / kg;
            for (int oy = 0; oy < p->oh; oy++)
                for (int ox = 0; ox < p->ow; ox++) {
                    double s = bias ? bias[k] : 0, m = bias ? fabs(bias[k]) : 0;
                    for (int c = 0; c < cg; c++)
                        for (int ky = 0; ky < p->kh; ky++)
                            for (int kx = 0; kx < p->kw; kx++) {
                                int iy = oy * p->sh - p->pad_top + ky * p->dh;
                                int ix = ox * p->sw - p->pad_left + kx * p->dw;
                                if (iy < 0 || iy >= p->h || ix < 0 || ix >= p->w) continue;
                                double xv = x[(((size_t)n * p->c + g * cg + c) * p->h + iy) * p->w + ix];
                                double wv = wt[(((size_t)k * cg + c) * p->kh + ky) * p->kw + kx];
                                s += xv * wv;
                                m += fabs(xv * wv);
                            }
                    size_t o = (((size_t)n * p->k + k) * p->oh + oy) * p->ow + ox;
                    double r = p->residual ? res[o] : 0;
                    if (p->residual == 1) {
                        s += r;
                        m += fabs(r);
                    }
                    s = ref_activation(p->act, s, p->alpha, p->beta);
                    if (p->residual == 2) s += r;
                    y[o] = s;
                    mag[o] = m * ref_activation_slope(p->act, p->alpha) + (p->residual == 2 ? fabs(r) : 0);
                }
        }
}
