/* datamove_ref.c - see datamove_ref.h. Every function walks the output element by element, unravels its index
 * and computes where it comes from the way the ONNX specification words it. */
#include "datamove_ref.h"

#include <math.h>
#include <stdlib.h>

size_t ref_count(int ndim, const int64_t *dims) {
    size_t n = 1;
    for (int i = 0; i < ndim; i++) n *= (size_t)dims[i];
    return n;
}

static void unravel(size_t i, int ndim, const int64_t *dims, int64_t *idx) {
    for (int a = ndim - 1; a >= 0; a--) {
        idx[a] = (int64_t)(i % (size_t)dims[a]);
        i /= (size_t)dims[a];
    }
}

static size_t ravel(int ndim, const int64_t *dims, const int64_t *idx) {
    size_t o = 0;
    for (int a = 0; a < ndim; a++) o = o * (size_t)dims[a] + (size_t)idx[a];
    return o;
}

void ref_concat(int ndim, int k, const int64_t *const *dims, int axis, const float *const *in, float *out) {
    int64_t od[8], idx[8];
    for (int a = 0; a < ndim; a++) od[a] = dims[0][a];
    od[axis] = 0;
    for (int i = 0; i < k; i++) od[axis] += dims[i][axis];
    for (size_t e = 0; e < ref_count(ndim, od); e++) {
        unravel(e, ndim, od, idx);
        int i = 0;
        while (idx[axis] >= dims[i][axis]) idx[axis] -= dims[i++][axis]; /* which input holds this position */
        out[e] = in[i][ravel(ndim, dims[i], idx)];
    }
}

/* The ONNX Slice rules for one axis: the clamped start and the element count. */
static int64_t slice_axis(int64_t d, int64_t start, int64_t end, int64_t step, int64_t *first) {
    if (start < 0) start += d;
    if (end < 0) end += d;
    int64_t lo = 0, hi = step > 0 ? d : d - 1, elo = step > 0 ? 0 : -1;
    start = start < lo ? lo : start > hi ? hi : start;
    end = end < elo ? elo : end > hi ? hi : end;
    int64_t n = 0;
    /* Count by walking; a step larger than what is left ends the walk (no overflow with huge steps). */
    for (int64_t i = start; step > 0 ? i < end : i > end;) {
        n++;
        if (step > 0 ? end - i <= step : i - end <= -step) break;
        i += step;
    }
    *first = start;
    return n;
}

int ref_slice_dims(int ndim, const int64_t *dims, int count, const int64_t *starts, const int64_t *ends,
                   const int64_t *axes, const int64_t *steps, int64_t *out_dims) {
    for (int a = 0; a < ndim; a++) out_dims[a] = dims[a];
    for (int i = 0; i < count; i++) {
        int a = (int)(axes[i] < 0 ? axes[i] + ndim : axes[i]);
        int64_t first;
        out_dims[a] = slice_axis(dims[a], starts[i], ends[i], steps[i], &first);
        if (out_dims[a] == 0) return 0;
    }
    return 1;
}

void ref_slice(int ndim, const int64_t *dims, int count, const int64_t *starts, const int64_t *ends,
               const int64_t *axes, const int64_t *steps, const float *in, float *out) {
    int64_t od[8], first[8], step[8], idx[8];
    for (int a = 0; a < ndim; a++) od[a] = dims[a], first[a] = 0, step[a] = 1;
    for (int i = 0; i < count; i++) {
        int a = (int)(axes[i] < 0 ? axes[i] + ndim : axes[i]);
        od[a] = slice_axis(dims[a], starts[i], ends[i], steps[i], &first[a]);
        step[a] = steps[i];
    }
    for (size_t e = 0; e < ref_count(ndim, od); e++) {
        unravel(e, ndim, od, idx);
        for (int a = 0; a < ndim; a++) idx[a] = first[a] + idx[a] * step[a];
        out[e] = in[ravel(ndim, dims, idx)];
    }
}

/* numpy.pad's modes on a (cropped) axis of length L, coordinate c relative to its start; -1: the constant. */
static int64_t pad_coord(int64_t c, int64_t L, int mode) {
    if (c >= 0 && c < L) return c;
    switch (mode) {
    case 0: return -1;
    case 1:
        if (L == 1) return 0;
        while (c < 0 || c >= L) c = c < 0 ? -c : 2 * (L - 1) - c; /* mirror at each border until inside */
        return c;
    case 2: return c < 0 ? 0 : L - 1;
    default:
        while (c < 0) c += L;
        return c % L;
    }
}

void ref_pad(int ndim, const int64_t *dims, const int64_t *pads, int mode, float value, const float *in, float *out) {
    int64_t od[8], len[8], crop[8], pb[8], idx[8];
    for (int a = 0; a < ndim; a++) {
        int64_t b = pads[a], e = pads[ndim + a];
        crop[a] = b < 0 ? -b : 0;
        len[a] = dims[a] - crop[a] - (e < 0 ? -e : 0);
        pb[a] = b > 0 ? b : 0;
        od[a] = dims[a] + b + e;
    }
    for (size_t i = 0; i < ref_count(ndim, od); i++) {
        unravel(i, ndim, od, idx);
        int outside = 0;
        for (int a = 0; a < ndim; a++) {
            int64_t c = pad_coord(idx[a] - pb[a], len[a], mode);
            if (c < 0) outside = 1;
            idx[a] = c + crop[a];
        }
        out[i] = outside ? value : in[ravel(ndim, dims, idx)];
    }
}

void ref_transpose(int ndim, const int64_t *dims, const int64_t *perm, const float *in, float *out) {
    int64_t od[8], idx[8], src[8];
    for (int a = 0; a < ndim; a++) od[a] = dims[perm[a]];
    for (size_t i = 0; i < ref_count(ndim, od); i++) {
        unravel(i, ndim, od, idx);
        for (int a = 0; a < ndim; a++) src[perm[a]] = idx[a];
        out[i] = in[ravel(ndim, dims, src)];
    }
}

/* x_original as the Resize specification defines it (length_resized is the integer output length, except with
 * align_corners, where the spec's reference uses in * scale). */
static double resize_coord(int coord, double x, double scale, int in, int out) {
    switch (coord) {
    case 0: return (x + 0.5) / scale - 0.5;
    case 1: return out > 1 ? (x + 0.5) / scale - 0.5 : 0;
    case 2: return scale * in <= 1 ? 0 : x * (in - 1) / (scale * in - 1); /* the spec's length_resized = in * scale */
    case 3: return x / scale;
    case 4: return (x + 0.5) / scale;
    default: {
        double adjustment = out / (scale * in), center = in / 2.0, offset = center * (1 - adjustment);
        return offset + (x + 0.5) / scale - 0.5;
    }
    }
}

/* One axis as the ONNX reference interpolates it: the data padded by one edge value each side, the two padded
 * positions nearest to x (ties to the lower one), and coefficients from the ratio x - floor(x) (1 when x is
 * whole). Adds each coefficient to w[] of the input position it reads. */
static void resize_coeffs(double xo, int len, int mode, int nearest, double *w) {
    double x = xo + 1;
    int64_t best[2] = {-1, -1};
    for (int64_t i = 0; i < len + 2; i++) {
        for (int k = 0; k < 2; k++) {
            if (best[k] < 0 || fabs(x - i) < fabs(x - best[k])) {
                if (k == 0) best[1] = best[0];
                best[k] = i;
                break;
            }
        }
    }
    if (best[0] > best[1]) {
        int64_t t = best[0];
        best[0] = best[1];
        best[1] = t;
    }
    double fl = floor(xo), ratio = xo == fl ? 1.0 : xo - fl, c[2];
    if (mode == 1) {
        c[0] = 1 - ratio;
        c[1] = ratio;
    } else if (ratio == 1.0) {
        c[0] = 0, c[1] = 1;
    } else {
        switch (nearest) {
        case 0: c[0] = ratio <= 0.5, c[1] = ratio > 0.5; break;
        case 1: c[0] = ratio < 0.5, c[1] = ratio >= 0.5; break;
        case 2: c[0] = 1, c[1] = 0; break;
        default: c[0] = 0, c[1] = 1; break;
        }
    }
    for (int k = 0; k < 2; k++) {
        int64_t p = best[k] - 1; /* back to unpadded: the pads hold the edge values */
        w[p < 0 ? 0 : p >= len ? len - 1 : p] += c[k];
    }
}

void ref_resize(int n, int c, int h, int w, int oh, int ow, double scale_h, double scale_w, int mode, int coord,
                int nearest, const float *in, double *out) {
    double *wy = malloc(sizeof(double) * h), *wx = malloc(sizeof(double) * w);
    for (int y = 0; y < oh; y++) {
        for (int i = 0; i < h; i++) wy[i] = 0;
        resize_coeffs(resize_coord(coord, y, scale_h, h, oh), h, mode, nearest, wy);
        for (int x = 0; x < ow; x++) {
            for (int j = 0; j < w; j++) wx[j] = 0;
            resize_coeffs(resize_coord(coord, x, scale_w, w, ow), w, mode, nearest, wx);
            int iy[4], jx[4], ny = 0, nx = 0; /* at most two taps each */
            for (int i = 0; i < h; i++)
                if (wy[i] != 0) iy[ny++] = i;
            for (int j = 0; j < w; j++)
                if (wx[j] != 0) jx[nx++] = j;
            for (int z = 0; z < n * c; z++) {
                double s = 0;
                for (int a = 0; a < ny; a++)
                    for (int b = 0; b < nx; b++) s += wy[iy[a]] * wx[jx[b]] * in[((size_t)z * h + iy[a]) * w + jx[b]];
                out[((size_t)z * oh + y) * ow + x] = s;
            }
        }
    }
    free(wy);
    free(wx);
}

/* One axis of cubic interpolation as the ONNX reference does it: the data padded by two edge values each side, the
 * four padded positions nearest to x (ties to the lower one), coefficients from the ratio x - floor(x) (1 when x is
 * whole) for the taps at distances 1 + r, r, 1 - r, 2 - r; exclude_outside zeroes the taps outside the input and
 * renormalises. Adds each coefficient to w[] of the input position it reads. */
static void cubic_coeffs_ref(double xo, int len, double a, int exclude, double *w) {
    /* distances measured in unpadded coordinates: shifting xo by the pad (as the Python reference does) can round
     * 2 + 4e-16 to 4 and pick taps that disagree with the ratio */
    double x = xo;
    int64_t idx[4];
    int taken = 0;
    for (int k = 0; k < 4; k++) { /* 4 times the nearest not yet taken, ties to the lower index */
        int64_t best = -1;
        for (int64_t i = 0; i < len + 4; i++) {
            int used = 0;
            for (int j = 0; j < taken; j++) used |= idx[j] == i;
            if (!used && (best < 0 || fabs(x - (double)(i - 2)) < fabs(x - (double)(best - 2)))) best = i;
        }
        idx[taken++] = best;
    }
    for (int i = 0; i < 4; i++) /* ascending */
        for (int j = i + 1; j < 4; j++)
            if (idx[j] < idx[i]) {
                int64_t t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
    double fl = floor(xo), r = xo == fl ? 1.0 : xo - fl, s = 1 - r, c[4], sum = 0;
    c[0] = ((a * (r + 1) - 5 * a) * (r + 1) + 8 * a) * (r + 1) - 4 * a;
    c[1] = ((a + 2) * r - (a + 3)) * r * r + 1;
    c[2] = ((a + 2) * s - (a + 3)) * s * s + 1;
    c[3] = ((a * (s + 1) - 5 * a) * (s + 1) + 8 * a) * (s + 1) - 4 * a;
    for (int k = 0; k < 4; k++) {
        int64_t p = idx[k] - 2;
        if (exclude && (p < 0 || p >= len)) c[k] = 0;
        sum += c[k];
    }
    for (int k = 0; k < 4; k++) {
        int64_t p = idx[k] - 2;
        w[p < 0 ? 0 : p >= len ? len - 1 : p] += exclude ? c[k] / sum : c[k];
    }
}

void ref_resize_cubic(int n, int c, int h, int w, int oh, int ow, double scale_h, double scale_w, int coord,
                      double a, int exclude, const float *in, double *out, double *mag) {
    double *wy = malloc(sizeof(double) * h), *wx = malloc(sizeof(double) * w);
    for (int y = 0; y < oh; y++) {
        for (int i = 0; i < h; i++) wy[i] = 0;
        cubic_coeffs_ref(resize_coord(coord, y, scale_h, h, oh), h, a, exclude, wy);
        for (int x = 0; x < ow; x++) {
            for (int j = 0; j < w; j++) wx[j] = 0;
            cubic_coeffs_ref(resize_coord(coord, x, scale_w, w, ow), w, a, exclude, wx);
            for (int z = 0; z < n * c; z++) {
                double s = 0, m = 0;
                for (int i = 0; i < h; i++) {
                    if (wy[i] == 0) continue;
                    for (int j = 0; j < w; j++) {
                        if (wx[j] == 0) continue;
                        double v = wy[i] * wx[j] * in[((size_t)z * h + i) * w + j];
                        s += v, m += fabs(v);
                    }
                }
                out[((size_t)z * oh + y) * ow + x] = s;
                mag[((size_t)z * oh + y) * ow + x] = m;
            }
        }
    }
    free(wy);
    free(wx);
}
