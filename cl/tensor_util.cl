/* tensor_util.cl - small data-movement kernels: fill, and copying a block of channels between tensors
 * (the fallback for a concat that cannot be a view).
 *
 * -D contract: none. Every size is a kernel argument, so one program serves every shape.
 * Tensors are passed as (buffer, element offset) so views need no sub-buffer alignment.
 */

/* dst[off + i] = value for i < count. One work-item per element. */
__kernel void oclnn_fill_f32(__global float *dst, int off, int count, float value) {
    int i = get_global_id(0);
    if (i < count) dst[off + i] = value;
}

/* Copies src (N x C x HW) into dst channels [c_offset, c_offset + C) of an N x c_total x HW tensor.
 * global = (HW, C, N). */
__kernel void oclnn_copy_channels_f32(__global const float *src, int src_off, __global float *dst, int dst_off,
                                      int C, int HW, int c_offset, int c_total) {
    int i = get_global_id(0), c = get_global_id(1), n = get_global_id(2);
    if (i >= HW || c >= C) return;
    dst[dst_off + ((n * c_total + c_offset + c) * HW) + i] = src[src_off + (n * C + c) * HW + i];
}
