/* argmax_ref.h - naive ArgMax reference over the middle axis of a tensor seen as [outer][len][inner], with NaN
 * ordered above every number (numpy's and PyTorch's rule, which oclnn follows).
 */
#ifndef OCLNN_ARGMAX_REF_H
#define OCLNN_ARGMAX_REF_H

#include <stddef.h>
#include <stdint.h>

/* y has outer*inner elements. select_last: ties give the last index instead of the first. */
void argmax_ref(const float *x, int64_t *y, size_t outer, size_t len, size_t inner, int select_last);

#endif
