/* datamove_ref.h - naive references for the data-movement operators and Resize, written from the ONNX operator
 * specification (element by element, no stride tricks) so that they share no code or plan with the library.
 */
#ifndef OCLNN_DATAMOVE_REF_H
#define OCLNN_DATAMOVE_REF_H

#include <stddef.h>
#include <stdint.h>

/* Element count of a shape. */
size_t ref_count(int ndim, const int64_t *dims);

/* Concat of k inputs (dims[i] each of rank ndim) along a normalised axis. */
void ref_concat(int ndim, int k, const int64_t *const *dims, int axis, const float *const *in, float *out);
/* Output dims of an ONNX Slice (opset 10+) on a normalised-axes list; returns 0 if any axis is empty. */
int ref_slice_dims(int ndim, const int64_t *dims, int count, const int64_t *starts, const int64_t *ends,
                   const int64_t *axes, const int64_t *steps, int64_t *out_dims);
void ref_slice(int ndim, const int64_t *dims, int count, const int64_t *starts, const int64_t *ends,
               const int64_t *axes, const int64_t *steps, const float *in, float *out);
/* Pad (mode 0 constant, 1 reflect, 2 edge, 3 wrap), negative pads crop first. */
void ref_pad(int ndim, const int64_t *dims, const int64_t *pads, int mode, float value, const float *in, float *out);
void ref_transpose(int ndim, const int64_t *dims, const int64_t *perm, const float *in, float *out);

/* Resize over H, W of n x c x h x w. mode 0 nearest, 1 linear; coord and nearest as oclnn_resize_coord /
 * oclnn_resize_nearest_mode; scale_* are the ONNX scales (given, or out/in for sizes). */
void ref_resize(int n, int c, int h, int w, int oh, int ow, double scale_h, double scale_w, int mode, int coord,
                int nearest, const float *in, double *out);
/* Cubic Resize (ONNX reference: two edge pads, four nearest taps, cubic_coeff_a @p a, exclude_outside); mag gets
 * sum |weight * x| of every output for the accuracy bound. */
void ref_resize_cubic(int n, int c, int h, int w, int oh, int ow, double scale_h, double scale_w, int coord,
                      double a, int exclude, const float *in, double *out, double *mag);

#endif
