/* softmax_ref.h - naive Softmax / LogSoftmax reference in double over the middle axis of a tensor seen as
 * [outer][len][inner], the way the ONNX operator defines it (max subtracted, which changes nothing exactly).
 */
#ifndef OCLNN_SOFTMAX_REF_H
#define OCLNN_SOFTMAX_REF_H

#include <stddef.h>

/* y has outer*len*inner elements. log: 1 for LogSoftmax. */
void softmax_ref(const float *x, double *y, size_t outer, size_t len, size_t inner, int log);

#endif
