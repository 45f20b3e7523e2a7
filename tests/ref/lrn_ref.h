/* lrn_ref.h - naive LRN across channels in double, with the ONNX window: channels
 * [c - floor((size - 1) / 2), c + ceil((size - 1) / 2)] clipped to the tensor.
 */
#ifndef OCLNN_LRN_REF_H
#define OCLNN_LRN_REF_H

#include <stddef.h>

/* x and y are n x c x inner. y = x / (bias + alpha / size * square_sum)^beta. */
void lrn_ref(const float *x, double *y, size_t n, size_t c, size_t inner, int size, double alpha, double beta,
             double bias);

#endif
