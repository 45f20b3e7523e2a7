/* eltwise_ref.h - naive references for the elementwise operators, in double, written from the ONNX spec with no
 * shortcut: every output element finds its operands' elements from its own coordinates. Activations come from
 * conv2d_ref.h (ref_activation), so standalone and fused activations are held to one definition.
 */
#ifndef OCLNN_ELTWISE_REF_H
#define OCLNN_ELTWISE_REF_H

#include <stddef.h>
#include <stdint.h>

/* numpy / ONNX multidirectional broadcast of two shapes; returns 0 when they do not broadcast. */
int eltwise_ref_broadcast(int an, const int64_t *ad, int bn, const int64_t *bd, int *on, int64_t *od);
size_t eltwise_ref_count(int n, const int64_t *d);

/* op: 0 Add, 1 Sub, 2 Mul, 3 Div, 4 Max, 5 Min, 6 PRelu (a >= 0 ? a : b * a). */
double eltwise_ref_op(int op, double a, double b);

/* z[t] = a[...] op b[...] over the broadcast output (on, od), before any activation. */
void eltwise_ref_binary(int op, int an, const int64_t *ad, const float *a, int bn, const int64_t *bd, const float *b,
                        int on, const int64_t *od, double *z);

/* BatchNormalization (inference) on N x C x spatial, straight from the formula; z before any activation, and
 * mag = |a * (x - mean)| + |a * mean| + |B| with a = scale / sqrt(var + eps): it bounds |a*x| + |B - mean*a|,
 * the terms the folded form y = a*x + b adds up. */
void eltwise_ref_batchnorm(const float *x, int n, int c, size_t spatial, const float *scale, const float *bias,
                           const float *mean, const float *var, float eps, double *z, double *mag);

#endif
