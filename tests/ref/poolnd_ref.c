/* poolnd_ref.c - see poolnd_ref.h. Deliberately plain: axes past the rank are windows of one over a size of one,
 * and each output walks its whole window as the ONNX operator descriptions read. */
#include "poolnd_ref.h"

#include <float.h>
#include <math.h>
#include <stddef.h>

void poolnd_ref(const poolnd_ref_params *p, const float *x, double *y, double *wmax) {
    int global = p->type == 3 || p->type == 4;
    int in[3], out[3], k[3], s[3], d[3], pb[3], pe[3];
    for (int a = 0; a < 3; a++) { /* axis a of the 3-D walk is axis a - (3 - rank) of the caller, or a unit axis */
        int b = a - (3 - p->rank), real = b >= 0;
        in[a] = real ? p->in[b] : 1;
        out[a] = real && !global ? p->out[b] : 1;
        k[a] = !real ? 1 : global ? in[a] : p->k[b];
        s[a] = real && !global ? p->s[b] : 1;
        d[a] = real && !global ? p->d[b] : 1;
        pb[a] = real && !global ? p->pad_begin[b] : 0;
        pe[a] = real && !global ? p->pad_end[b] : 0;
    }
    size_t o = 0;
    for (int n = 0; n < p->n; n++)
        for (int c = 0; c < p->c; c++)
            for (int oz = 0; oz < out[0]; oz++)
                for (int oy = 0; oy < out[1]; oy++)
                    for (int ox = 0; ox < out[2]; ox++, o++) {
                        double mx = -DBL_MAX, sum = 0, m = 0;
                        long real = 0, padded = 0;
                        for (int kz = 0; kz < k[0]; kz++)
                            for (int ky = 0; ky < k[1]; ky++)
                                for (int kx = 0; kx < k[2]; kx++) {
                                    int iz = oz * s[0] - pb[0] + kz * d[0], iy = oy * s[1] - pb[1] + ky * d[1];
                                    int ix = ox * s[2] - pb[2] + kx * d[2];
                                    /* count_include_pad counts taps inside the padded extent, not beyond it. */
                                    if (iz >= -pb[0] && iz < in[0] + pe[0] && iy >= -pb[1] && iy < in[1] + pe[1] &&
                                        ix >= -pb[2] && ix < in[2] + pe[2])
                                        padded++;
                                    if (iz < 0 || iz >= in[0] || iy < 0 || iy >= in[1] || ix < 0 || ix >= in[2])
                                        continue;
                                    double v = x[((((size_t)n * p->c + c) * in[0] + iz) * in[1] + iy) * in[2] + ix];
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
                            long count = p->type == 1 && p->count_include_pad ? padded : real;
                            r = count ? sum / (double)count : 0;
                        }
                        y[o] = r;
                        wmax[o] = m;
                    }
}
