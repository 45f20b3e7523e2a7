/* deconv_ref.c - see deconv_ref.h. The plainest form, the definition itself: every input pixel scatters
 * x * w through every tap to output (iy*s + ky*d - pad); whatever lands outside the output is dropped. It shares
 * nothing with the kernel's polyphase gather. */
#include "deconv_ref.h"

#include <math.h>

#include "conv2d_ref.h" /* ref_activation, ref_activation_slope */

void deconv_ref(const deconv_ref_params *p, const float *x, const float *wt, const float *bias, const float *res,
                double *y, double *mag) {
    int cg = p->c / p->groups, kg = p->k / p->groups;
    size_t plane = (size_t)p->oh * p->ow;
    for (int n = 0; n < p->n; n++)
        for (int k = 0; k < p->k; k++)
            for (size_t i = 0; i < plane; i++) {
                y[((size_t)n * p->k + k) * plane + i] = bias ? bias[k] : 0;
                mag[((size_t)n * p->k + k) * plane + i] = bias ? fabs(bias[k]) : 0;
            }
    for (int n = 0; n < p->n; n++)
        for (int c = 0; c < p->c; c++) {
            int g = c / cg;
            for (int iy = 0; iy < p->h; iy++)
                for (int ix = 0; ix < p->w; ix++) {
                    double xv = x[(((size_t)n * p->c + c) * p->h + iy) * p->w + ix];
                    for (int kl = 0; kl < kg; kl++)
                        for (int ky = 0; ky < p->kh; ky++)
                            for (int kx = 0; kx < p->kw; kx++) {
                                int oy = iy * p->sh + ky * p->dh - p->pad_top;
                                int ox = ix * p->sw + kx * p->dw - p->pad_left;
                                if (oy < 0 || oy >= p->oh || ox < 0 || ox >= p->ow) continue;
                                double wv = wt[(((size_t)c * kg + kl) * p->kh + ky) * p->kw + kx];
                                size_t o = (((size_t)n * p->k + g * kg + kl) * p->oh + oy) * p->ow + ox;
                                y[o] += xv * wv;
                                mag[o] += fabs(xv * wv);
                            }
                }
        }
    size_t total = (size_t)p->n * p->k * plane;
    for (size_t o = 0; o < total; o++) {
        double s = y[o], m = mag[o], r = p->residual ? res[o] : 0;
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
