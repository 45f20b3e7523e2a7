/* conv3d_ref.c - see conv3d_ref.h. Deliberately the plainest loops: it reads like the ONNX spec. */
#include "conv3d_ref.h"

#include <math.h>

#include "conv2d_ref.h"

void conv3d_ref(const conv3d_ref_params *p, const float *x, const float *wt, const float *bias, const float *res,
                double *y, double *mag) {
    int cg = p->c / p->groups, kg = p->k / p->groups;
    const int *I = p->in, *O = p->out, *K = p->kernel, *S = p->stride, *D = p->dilation, *P = p->pad;
    for (int n = 0; n < p->n; n++)
        for (int k = 0; k < p->k; k++) {
            int g = k / kg;
            for (int oz = 0; oz < O[0]; oz++)
                for (int oy = 0; oy < O[1]; oy++)
                    for (int ox = 0; ox < O[2]; ox++) {
                        double s = bias ? bias[k] : 0, m = bias ? fabs(bias[k]) : 0;
                        for (int c = 0; c < cg; c++)
                            for (int kz = 0; kz < K[0]; kz++)
                                for (int ky = 0; ky < K[1]; ky++)
                                    for (int kx = 0; kx < K[2]; kx++) {
                                        int iz = oz * S[0] - P[0] + kz * D[0];
                                        int iy = oy * S[1] - P[1] + ky * D[1];
                                        int ix = ox * S[2] - P[2] + kx * D[2];
                                        if (iz < 0 || iz >= I[0] || iy < 0 || iy >= I[1] || ix < 0 || ix >= I[2])
                                            continue;
                                        double xv =
                                            x[((((size_t)n * p->c + g * cg + c) * I[0] + iz) * I[1] + iy) * I[2] + ix];
                                        double wv = wt[((((size_t)k * cg + c) * K[0] + kz) * K[1] + ky) * K[2] + kx];
                                        s += xv * wv;
                                        m += fabs(xv * wv);
                                    }
                        size_t o = ((((size_t)n * p->k + k) * O[0] + oz) * O[1] + oy) * O[2] + ox;
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
