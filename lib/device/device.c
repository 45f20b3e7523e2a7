/* device.c - platform and device discovery through the ICD loader, capability queries, and the device-spec
 * matcher behind OCLNN_DEVICE ("1", "0:1", "gpu", "pocl", ...).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "device.h"

static void query_str_p(cl_platform_id p, cl_platform_info what, char *dst, size_t cap) {
    dst[0] = 0;
    if (clw_GetPlatformInfo(p, what, cap, dst, NULL) != CL_SUCCESS) dst[0] = 0;
    dst[cap - 1] = 0;
}

/* Long strings (some drivers report >128 chars) are fetched whole and then truncated, since a too-small buffer
 * makes clGetDeviceInfo fail outright. */
static void query_str_d(cl_device_id d, cl_device_info what, char *dst, size_t cap) {
    char buf[1024];
    size_t n = 0;
    dst[0] = 0;
    if (clw_GetDeviceInfo(d, what, sizeof buf, buf, &n) != CL_SUCCESS) return;
    buf[sizeof buf - 1] = 0;
    size_t len = strlen(buf);
    if (len >= cap) len = cap - 1;
    memcpy(dst, buf, len);
    dst[len] = 0;
}

static int has_ext(const char *exts, const char *name) {
    size_t n = strlen(name);
    for (const char *p = exts; (p = strstr(p, name)) != NULL; p += n)
        if ((p == exts || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0)) return 1;
    return 0;
}

void oclnn_device_query(cl_platform_id p, cl_device_id d, oclnn_device_info *info) {
    query_str_p(p, CL_PLATFORM_NAME, info->platform_name, sizeof info->platform_name);
    query_str_p(p, CL_PLATFORM_VENDOR, info->platform_vendor, sizeof info->platform_vendor);
    query_str_p(p, CL_PLATFORM_VERSION, info->platform_version, sizeof info->platform_version);
    query_str_d(d, CL_DEVICE_NAME, info->name, sizeof info->name);
    query_str_d(d, CL_DEVICE_VENDOR, info->vendor, sizeof info->vendor);
    query_str_d(d, CL_DRIVER_VERSION, info->driver_version, sizeof info->driver_version);
    query_str_d(d, CL_DEVICE_VERSION, info->device_version, sizeof info->device_version);
    query_str_d(d, CL_DEVICE_OPENCL_C_VERSION, info->opencl_c_version, sizeof info->opencl_c_version);
    info->opencl_c_major = 1;
    info->opencl_c_minor = 0;
    sscanf(info->opencl_c_version, "OpenCL C %d.%d", &info->opencl_c_major, &info->opencl_c_minor);

    cl_device_type t = 0;
    clw_GetDeviceInfo(d, CL_DEVICE_TYPE, sizeof t, &t, NULL);
    info->type = (t & CL_DEVICE_TYPE_GPU)           ? OCLNN_DEVICE_TYPE_GPU
                 : (t & CL_DEVICE_TYPE_CPU)         ? OCLNN_DEVICE_TYPE_CPU
                 : (t & CL_DEVICE_TYPE_ACCELERATOR) ? OCLNN_DEVICE_TYPE_ACCELERATOR
                                                    : OCLNN_DEVICE_TYPE_OTHER;
    cl_uint u = 0;
    cl_ulong ul = 0;
    size_t sz = 0;
#define QU(param, field)                                                                                     \
    u = 0;                                                                                                   \
    clw_GetDeviceInfo(d, param, sizeof u, &u, NULL);                                                         \
    info->field = u;
#define QUL(param, field)                                                                                    \
    ul = 0;                                                                                                  \
    clw_GetDeviceInfo(d, param, sizeof ul, &ul, NULL);                                                       \
    info->field = ul;
    QU(CL_DEVICE_MAX_COMPUTE_UNITS, compute_units)
    QU(CL_DEVICE_PREFERRED_VECTOR_WIDTH_FLOAT, preferred_vector_width_float)
    QU(CL_DEVICE_PREFERRED_VECTOR_WIDTH_HALF, preferred_vector_width_half)
    QU(CL_DEVICE_NATIVE_VECTOR_WIDTH_FLOAT, native_vector_width_float)
    QU(CL_DEVICE_MAX_CLOCK_FREQUENCY, max_clock_mhz)
    QUL(CL_DEVICE_GLOBAL_MEM_SIZE, global_mem_bytes)
    QUL(CL_DEVICE_LOCAL_MEM_SIZE, local_mem_bytes)
    QUL(CL_DEVICE_MAX_MEM_ALLOC_SIZE, max_alloc_bytes)
#undef QU
#undef QUL
    clw_GetDeviceInfo(d, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof sz, &sz, NULL);
    info->max_work_group_size = sz;
    size_t wis[3] = {0, 0, 0};
    clw_GetDeviceInfo(d, CL_DEVICE_MAX_WORK_ITEM_SIZES, sizeof wis, wis, NULL);
    for (int i = 0; i < 3; i++) info->max_work_item_sizes[i] = wis[i];

    size_t n = 0;
    char *exts = NULL;
    if (clw_GetDeviceInfo(d, CL_DEVICE_EXTENSIONS, 0, NULL, &n) == CL_SUCCESS && n > 0 && (exts = malloc(n + 1))) {
        if (clw_GetDeviceInfo(d, CL_DEVICE_EXTENSIONS, n, exts, NULL) != CL_SUCCESS) exts[0] = 0;
        exts[n] = 0;
    }
    const char *e = exts ? exts : "";
    cl_device_fp_config fp64 = 0;
    clw_GetDeviceInfo(d, CL_DEVICE_DOUBLE_FP_CONFIG, sizeof fp64, &fp64, NULL);
    info->has_fp16 = has_ext(e, "cl_khr_fp16");
    info->has_fp64 = has_ext(e, "cl_khr_fp64") || fp64 != 0;
    info->has_subgroups = has_ext(e, "cl_khr_subgroups") || has_ext(e, "cl_intel_subgroups");
    free(exts);
}

oclnn_status oclnn_device_list(const oclnn_allocator *a, oclnn_errbuf *eb, oclnn_device_entry **entries,
                               size_t *count) {
    *entries = NULL;
    *count = 0;
    cl_uint np = 0;
    cl_int err = clw_GetPlatformIDs(0, NULL, &np);
    /* No ICD installed at all is "no device", not an error of the caller's making. */
    if (err == -1001 /* CL_PLATFORM_NOT_FOUND_KHR */ || np == 0) return OCLNN_STATUS_OK;
    if (err != CL_SUCCESS) return clw_fail(eb, err, "clGetPlatformIDs");
    cl_platform_id *plats = oclnn_calloc(a, np, sizeof *plats);
    if (!plats) return oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "listing %u platforms", np);
    err = clw_GetPlatformIDs(np, plats, NULL);
    if (err != CL_SUCCESS) {
        oclnn_free(a, plats);
        return clw_fail(eb, err, "clGetPlatformIDs");
    }
    oclnn_device_entry *list = NULL;
    size_t total = 0;
    oclnn_status st = OCLNN_STATUS_OK;
    for (cl_uint p = 0; p < np && st == OCLNN_STATUS_OK; p++) {
        cl_uint nd = 0;
        if (clw_GetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, 0, NULL, &nd) != CL_SUCCESS || nd == 0) continue;
        cl_device_id *devs = oclnn_calloc(a, nd, sizeof *devs);
        oclnn_device_entry *grown = devs ? oclnn_realloc(a, list, (total + nd) * sizeof *list) : NULL;
        if (!devs || !grown) {
            oclnn_free(a, devs);
            st = oclnn_fail(eb, OCLNN_STATUS_OUT_OF_HOST_MEMORY, "listing devices");
            break;
        }
        list = grown;
        if (clw_GetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, nd, devs, NULL) == CL_SUCCESS) {
            for (cl_uint d = 0; d < nd; d++) {
                oclnn_device_entry *en = &list[total];
                memset(en, 0, sizeof *en);
                en->platform = plats[p];
                en->device = devs[d];
                oclnn_device_query(plats[p], devs[d], &en->info);
                en->info.index = (uint32_t)total;
                en->info.platform_index = p;
                en->info.device_index = d;
                total++;
            }
        }
        oclnn_free(a, devs);
    }
    oclnn_free(a, plats);
    if (st != OCLNN_STATUS_OK) {
        oclnn_free(a, list);
        return st;
    }
    *entries = list;
    *count = total;
    return OCLNN_STATUS_OK;
}

static int contains_ci(const char *hay, const char *needle) {
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i])) i++;
        if (i == n) return 1;
    }
    return n == 0;
}

static int parse_uint(const char *s, const char *end, unsigned long *out) {
    if (s == end) return 0;
    unsigned long v = 0;
    for (const char *p = s; p < end; p++) {
        if (!isdigit((unsigned char)*p) || v > 100000) return 0;
        v = v * 10 + (unsigned long)(*p - '0');
    }
    *out = v;
    return 1;
}

static const char *type_name(oclnn_device_type t) {
    switch (t) {
    case OCLNN_DEVICE_TYPE_CPU: return "cpu";
    case OCLNN_DEVICE_TYPE_GPU: return "gpu";
    case OCLNN_DEVICE_TYPE_ACCELERATOR: return "accelerator";
    default: return "other";
    }
}

oclnn_status oclnn_device_match(const oclnn_device_entry *entries, size_t count, const char *spec,
                                oclnn_errbuf *eb, size_t *index) {
    const char *env = getenv("OCLNN_DEVICE");
    if (!spec || !*spec) spec = env;
    if (count == 0)
        return oclnn_fail(eb, OCLNN_STATUS_NO_DEVICE,
                          "no OpenCL device found through the ICD loader (install an ICD such as pocl-opencl-icd; "
                          "Mesa rusticl needs RUSTICL_ENABLE=llvmpipe or a driver name)");
    if (!spec || !*spec) {
        for (size_t i = 0; i < count; i++)
            if (entries[i].info.type == OCLNN_DEVICE_TYPE_GPU) {
                *index = i;
                return OCLNN_STATUS_OK;
            }
        *index = 0;
        return OCLNN_STATUS_OK;
    }
    /* Trim surrounding spaces: specs often come from shell variables. */
    char buf[256];
    while (isspace((unsigned char)*spec)) spec++;
    snprintf(buf, sizeof buf, "%s", spec);
    for (size_t n = strlen(buf); n > 0 && isspace((unsigned char)buf[n - 1]); n--) buf[n - 1] = 0;
    const char *end = buf + strlen(buf);
    const char *colon = strchr(buf, ':');
    unsigned long a = 0, b = 0;
    size_t found = count;
    if (!colon && parse_uint(buf, end, &a)) {
        if (a < count) found = a;
    } else if (colon && parse_uint(buf, colon, &a) && parse_uint(colon + 1, end, &b)) {
        for (size_t i = 0; i < count; i++)
            if (entries[i].info.platform_index == a && entries[i].info.device_index == b) found = i;
    } else {
        int want = -1;
        if (strcasecmp(buf, "gpu") == 0) want = OCLNN_DEVICE_TYPE_GPU;
        if (strcasecmp(buf, "cpu") == 0) want = OCLNN_DEVICE_TYPE_CPU;
        if (strcasecmp(buf, "accelerator") == 0) want = OCLNN_DEVICE_TYPE_ACCELERATOR;
        for (size_t i = 0; i < count && found == count; i++) {
            const oclnn_device_info *in = &entries[i].info;
            if (want >= 0 ? (int)in->type == want
                          : (contains_ci(in->platform_name, buf) || contains_ci(in->platform_vendor, buf) ||
                             contains_ci(in->name, buf)))
                found = i;
        }
    }
    if (found < count) {
        *index = found;
        return OCLNN_STATUS_OK;
    }
    oclnn_fail(eb, OCLNN_STATUS_DEVICE_NOT_FOUND,
               "device spec '%s'%s matches no device (use an index, 'platform:device', 'gpu', 'cpu', or part of "
               "a platform or device name). Devices:",
               buf, (spec == env) ? " (from OCLNN_DEVICE)" : "");
    for (size_t i = 0; i < count; i++) {
        const oclnn_device_info *in = &entries[i].info;
        oclnn_err_append(eb, "\n  %u (%u:%u) [%s] %s / %s", in->index, in->platform_index, in->device_index,
                         type_name(in->type), in->platform_name, in->name);
    }
    return OCLNN_STATUS_DEVICE_NOT_FOUND;
}

oclnn_status oclnn_device_enumerate(oclnn_device_info *infos, size_t capacity, size_t *count) {
    if (!count || (capacity && !infos))
        return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "oclnn_device_enumerate: NULL pointer");
    *count = 0;
    oclnn_device_entry *list;
    size_t n;
    oclnn_status st = oclnn_device_list(NULL, NULL, &list, &n);
    if (st) return st;
    for (size_t i = 0; i < n && i < capacity; i++) infos[i] = list[i].info;
    *count = n;
    oclnn_free(NULL, list);
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_device_select(const char *spec, oclnn_device_info *info) {
    if (!info) return oclnn_fail(NULL, OCLNN_STATUS_INVALID_ARGUMENT, "oclnn_device_select: info is NULL");
    oclnn_device_entry *list;
    size_t n, idx;
    oclnn_status st = oclnn_device_list(NULL, NULL, &list, &n);
    if (st) return st;
    st = oclnn_device_match(list, n, spec, NULL, &idx);
    if (st == OCLNN_STATUS_OK) *info = list[idx].info;
    oclnn_free(NULL, list);
    return st;
}
