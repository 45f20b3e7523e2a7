/* deconv3d_ref.c - see deconv3d_ref.h. The definition itself: every input voxel scatters x * w through every tap
 * to output (i*s + k*d - pad) per axis; whatever lands outside the output is dropped. It shares nothing with the
 * kernel's gather over the taps of each output voxel. */
#include "deconv3d_ref.h"

#include <math.h>

#include "conv2d_ref.h" /* ref_activation, ref_activation_slope */

void deconv3d_ref(const deconv3d_ref_params *p, const float *x, const float *wt, const float *bias, const float *res,
                  double *y, double *mag) {
    const int cg = p->c / p->groups, kg = p->k / p->groups;
    const size_t in_vol = (size_t)p->in[0] * p->in[1] * p->in[2], out_vol = (size_t)p->out[0] * p->out[1] * p->out[2];
    const size_t taps = (size_t)p->kernel[0] * p->kernel[1] * p->kernel[2];
    for (int n = 0; n < p->n; n++)
        for (int k = 0; k < p->k; k++)
            for (size_t i = 0; i < out_vol; i++) {
                y[((size_t)n * p->k + k) * out_vol + i] = bias ? bias[k] : 0;
                mag[((size_t)n * p->k + k) * out_vol + i] = bias ? fabs(bias[k]) : 0;
            }
    for (int n = 0; n < p->n; n++)
        for (int c = 0; c < p->c; c++) {
            const int g = c / cg;
            for (int iz = 0; iz < p->in[0]; iz++)
                for (int iy = 0; iy < p->in[1]; iy++)
                    for (int ix = 0; ix < p->in[2]; ix++) {
                        double xv = x[((size_t)n * p->c + c) * in_vol + ((size_t)iz * p->in[1] + iy) * p->in[2] + ix];
                        for (int kl = 0; kl < kg; kl++)
                            for (int kz = 0; kz < p->kernel[0]; kz++)
                                for (int ky = 0; ky < p->kernel[1]; ky++)
                                    for (int kx = 0; kx < p->kernel[2]; kx++) {
                                        int oz = iz * p->stride[0] + kz * p->dilation[0] - p->pad[0];
                                        int oy = iy * p->stride[1] + ky * p->dilation[1] - p->pad[1];
                                        int ox = ix * p->stride[2] + kx * p->dilation[2] - p->pad[2];
                                        if (oz < 0 || oz >= p->out[0] || oy < 0 || oy >= p->out[1] || ox < 0 ||
                                            ox >= p->out[2])
                                            continue;
                                        double wv = wt[((size_t)c * kg + kl) * taps +
                                                       ((size_t)kz * p->kernel[1] + ky) * p->kernel[2] + kx];
                                        size_t o = ((size_t)n * p->k + g * kg + kl) * out_vol +
                                                   ((size_t)oz * p->out[1] + oy) * p->out[2] + ox;
                                        y[o] += xv * wv;
                                        mag[o] += fabs(xv * wv);
                                    }
                    }
        }
    size_t total = (size_t)p->n * p->k * out_vol;
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
