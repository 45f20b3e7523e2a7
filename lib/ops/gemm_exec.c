/* gemm_exec.c - see gemm_impl.h: options and packing for cl/gemm.cl, and the execution of one batched GEMM by
 * our kernel or by CLBlast (whose status codes are turned into OCLNN_STATUS_OPENCL_ERROR here).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <clblast_c.h>

#include "ops/conv2d_impl.h"
#include "ops/gemm_impl.h"

void oclnn_gemm_kcfg_init(gemm_kcfg *c) {
    memset(c, 0, sizeof *c);
    c->mr = OCLNN_GEMM_DEFAULT_MR;
    c->nr = OCLNN_GEMM_DEFAULT_NR;
    c->vec = OCLNN_GEMM_DEFAULT_VEC;
    c->act_alpha = 0.01f;
}

/* The epilogue's options, spelled as conv2d_direct.cl spells them. */
static void epilogue_options(const gemm_kcfg *c, oclnn_opts *o) {
    oclnn_opts_int(o, "HAS_C", c->has_c, 0);
    oclnn_opts_int(o, "HAS_RESIDUAL", c->has_res, 0);
    oclnn_opts_int(o, "RESIDUAL_AFTER_ACT", c->res_after, 0);
    oclnn_opts_int(o, "ACT", c->act, 0);
    if (c->act == OCLNN_ACTIVATION_LEAKY_RELU || c->act == OCLNN_ACTIVATION_CLIP ||
        c->act == OCLNN_ACTIVATION_HARD_SIGMOID) {
        /* %.9e round-trips a float exactly and is a valid OpenCL C literal with the f suffix. */
        oclnn_opts_float(o, "ACT_ALPHA", c->act_alpha);
        oclnn_opts_float(o, "ACT_BETA", c->act_beta);
    }
}

void oclnn_gemm_options(const gemm_kcfg *c, oclnn_opts *o) {
    oclnn_opts_int(o, "MR", c->mr, OCLNN_GEMM_DEFAULT_MR);
    oclnn_opts_int(o, "NR", c->nr, OCLNN_GEMM_DEFAULT_NR);
    oclnn_opts_int(o, "VEC", c->vec, OCLNN_GEMM_DEFAULT_VEC);
    oclnn_opts_int(o, "A_PACKED", c->a_packed, 0);
    oclnn_opts_int(o, "B_PACKED", c->b_packed, 0);
    oclnn_opts_int(o, "B_GATHER", c->b_gather, 0);
    epilogue_options(c, o);
}

size_t oclnn_gemm_packed_size(size_t rows, size_t k, int tile) {
    return (rows + (size_t)tile - 1) / (size_t)tile * (size_t)tile * k;
}

void oclnn_gemm_pack(const float *src, size_t s_row, size_t s_k, size_t rows, size_t k, int tile, float *dst) {
    size_t panels = (rows + (size_t)tile - 1) / (size_t)tile, o = 0;
    for (size_t p = 0; p < panels; p++)
        for (size_t kk = 0; kk < k; kk++)
            for (int j = 0; j < tile; j++, o++) {
                size_t r = p * (size_t)tile + (size_t)j;
                /* Padding rows are computed, never stored: they must be exact zeros all the same. */
                dst[o] = r < rows ? src[r * s_row + kk * s_k] : 0.0f;
            }
}

oclnn_status oclnn_gemm_choose_backend(oclnn_context *ctx, int requested, int *use_clblast) {
    if (requested == OCLNN_GEMM_BACKEND_OCLNN || requested == OCLNN_GEMM_BACKEND_CLBLAST) {
        *use_clblast = requested == OCLNN_GEMM_BACKEND_CLBLAST;
        return OCLNN_STATUS_OK;
    }
    if (requested != OCLNN_GEMM_BACKEND_AUTO)
        return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_ARGUMENT, "gemm: backend %d is out of range", requested);
    const char *env = getenv("OCLNN_GEMM");
    if (env && *env) {
        if (strcasecmp(env, "oclnn") && strcasecmp(env, "clblast"))
            return oclnn_fail(&ctx->err, OCLNN_STATUS_INVALID_ARGUMENT,
                              "OCLNN_GEMM='%s' must be 'oclnn' or 'clblast'", env);
        *use_clblast = strcasecmp(env, "clblast") == 0;
        return OCLNN_STATUS_OK;
    }
    /* Measured on POCL 3.1 (2-core AVX2, bench/bench_gemm.c): our kernel 10-30x CLBlast 1.5.3 on a 512 SGEMM
     * and on FC layers, and CLBlast's first call compiles for seconds (47 s with POCL's cache cold). On GPUs CLBlast's tuned, work-group-cooperative kernels are the better bet. */
    *use_clblast = ctx->info.type != OCLNN_DEVICE_TYPE_CPU;
    return OCLNN_STATUS_OK;
}

static oclnn_status kernel_for(oclnn_context *ctx, const gemm_kcfg *c, const char *name, int epilogue_only,
                               cl_kernel *out) {
    oclnn_opts o;
    oclnn_opts_init(&o);
    if (epilogue_only)
        epilogue_options(c, &o);
    else
        oclnn_gemm_options(c, &o);
    return oclnn_kernel_create(ctx, OCLNN_KERNEL_GEMM, o.buf, name, out);
}

oclnn_status oclnn_gemm_exec_create(oclnn_context *ctx, gemm_exec *e, const gemm_kcfg *cfg, int use_clblast,
                                    int with_gemv) {
    memset(e, 0, sizeof *e);
    e->ctx = ctx;
    e->clblast = use_clblast;
    e->cfg = *cfg;
    if (use_clblast) {
        if (cfg->has_c || cfg->has_res || cfg->act) return kernel_for(ctx, cfg, "gemm_epilogue", 1, &e->kepi);
        return OCLNN_STATUS_OK;
    }
    oclnn_status st = kernel_for(ctx, cfg, "gemm", 0, &e->kmain);
    if (st || !with_gemv || cfg->mr == OCLNN_GEMM_GEMV_MR) return st;
    gemm_kcfg g = *cfg;
    g.mr = OCLNN_GEMM_GEMV_MR;
    return kernel_for(ctx, &g, "gemm", 0, &e->kgemv);
}

void oclnn_gemm_exec_release(gemm_exec *e) {
    if (e->kmain) clw_ReleaseKernel(e->kmain);
    if (e->kgemv) clw_ReleaseKernel(e->kgemv);
    if (e->kepi) clw_ReleaseKernel(e->kepi);
    e->kmain = e->kgemv = e->kepi = NULL;
}

void oclnn_gemm_ndrange(int mr, int nr, const gemm_launch *l, size_t global[3]) {
    global[0] = (size_t)((l->m + mr - 1) / mr);
    global[1] = (size_t)((l->n + nr - 1) / nr);
    global[2] = (size_t)l->batch;
}

/* Sets arguments from @p first on: buffer, offset and strides of each operand in turn. The kernels index with
 * int: the operators have checked that every offset fits. */
#define ARG_MEM(m) err |= clw_SetKernelArg(k, i++, sizeof(cl_mem), &(m))
#define ARG_INT(v) \
    do { \
        cl_int v_ = (cl_int)(v); \
        err |= clw_SetKernelArg(k, i++, sizeof v_, &v_); \
    } while (0)
#define ARG_FLOAT(v) \
    do { \
        cl_float v_ = (v); \
        err |= clw_SetKernelArg(k, i++, sizeof v_, &v_); \
    } while (0)
#define ARG_BS(op) \
    do { \
        cl_int4 v_ = {{(cl_int)(op).bs[0], (cl_int)(op).bs[1], (cl_int)(op).bs[2], 0}}; \
        err |= clw_SetKernelArg(k, i++, sizeof v_, &v_); \
    } while (0)

static oclnn_status set_gemm_args(gemm_exec *e, cl_kernel k) {
    gemm_launch *l = &e->l;
    /* Any valid buffer stands in for an unused one. */
    cl_mem any = l->a.mem, cm = l->c.mem ? l->c.mem : any, rm = l->r.mem ? l->r.mem : any;
    cl_int err = CL_SUCCESS;
    cl_uint i = 0;
    ARG_MEM(l->a.mem); ARG_INT(l->a.off); ARG_INT(l->a.s0); ARG_INT(l->a.s1);
    ARG_MEM(l->b.mem); ARG_INT(l->b.off); ARG_INT(l->b.s0); ARG_INT(l->b.s1);
    ARG_MEM(cm); ARG_INT(l->c.off); ARG_INT(l->c.s0); ARG_INT(l->c.s1);
    ARG_MEM(l->y.mem); ARG_INT(l->y.off); ARG_INT(l->y.s0);
    ARG_MEM(rm); ARG_INT(l->r.off); ARG_INT(l->r.s0);
    ARG_INT(l->m); ARG_INT(l->n); ARG_INT(l->k); ARG_FLOAT(l->alpha); ARG_FLOAT(l->beta);
    ARG_INT(l->zn0); ARG_INT(l->zn1);
    ARG_BS(l->a); ARG_BS(l->b); ARG_BS(l->c); ARG_BS(l->y); ARG_BS(l->r);
    if (err != CL_SUCCESS) return oclnn_fail(&e->ctx->err, OCLNN_STATUS_OPENCL_ERROR, "gemm: clSetKernelArg failed");
    return OCLNN_STATUS_OK;
}

static oclnn_status set_epilogue_args(gemm_exec *e, cl_kernel k) {
    gemm_launch *l = &e->l;
    cl_mem any = l->y.mem, cm = l->c.mem ? l->c.mem : any, rm = l->r.mem ? l->r.mem : any;
    cl_int err = CL_SUCCESS;
    cl_uint i = 0;
    ARG_MEM(l->y.mem); ARG_INT(l->y.off); ARG_INT(l->y.s0);
    ARG_MEM(cm); ARG_INT(l->c.off); ARG_INT(l->c.s0); ARG_INT(l->c.s1);
    ARG_MEM(rm); ARG_INT(l->r.off); ARG_INT(l->r.s0);
    ARG_INT(l->m); ARG_INT(l->n); ARG_FLOAT(l->beta); ARG_INT(l->zn0); ARG_INT(l->zn1);
    ARG_BS(l->y); ARG_BS(l->c); ARG_BS(l->r);
    if (err != CL_SUCCESS) return oclnn_fail(&e->ctx->err, OCLNN_STATUS_OPENCL_ERROR, "gemm: clSetKernelArg failed");
    return OCLNN_STATUS_OK;
}

static long batch_offset(const gemm_operand *op, long z, long zn0, long zn1) {
    long z0 = z % zn0, z1 = (z / zn0) % zn1, z2 = z / (zn0 * zn1);
    return op->off + z0 * op->bs[0] + z1 * op->bs[1] + z2 * op->bs[2];
}

/* One CLBlast SGEMM per batch entry (broadcast batch strides rule out its strided-batched call in general).
 * Row-major: an operand whose k (A) or n (B) stride is 1 is "not transposed" with that leading dimension. */
static oclnn_status enqueue_clblast(gemm_exec *e, cl_command_queue q) {
    gemm_launch *l = &e->l;
    int ta = !(l->a.s1 == 1 && (l->a.s0 >= l->k || l->m == 1));
    size_t lda = ta ? (size_t)(l->a.s1 > l->m ? l->a.s1 : l->m) : (size_t)(l->a.s0 > l->k ? l->a.s0 : l->k);
    int tb = !(l->b.s1 == 1 && (l->b.s0 >= l->n || l->k == 1));
    size_t ldb = tb ? (size_t)(l->b.s1 > l->k ? l->b.s1 : l->k) : (size_t)(l->b.s0 > l->n ? l->b.s0 : l->n);
    if ((ta && l->a.s0 != 1 && l->m > 1) || (tb && l->b.s0 != 1 && l->k > 1))
        return oclnn_fail(&e->ctx->err, OCLNN_STATUS_UNSUPPORTED,
                          "gemm: CLBlast needs each operand contiguous along one axis");
    for (long z = 0; z < l->batch; z++) {
        CLBlastStatusCode s = CLBlastSgemm(
            CLBlastLayoutRowMajor, ta ? CLBlastTransposeYes : CLBlastTransposeNo,
            tb ? CLBlastTransposeYes : CLBlastTransposeNo, (size_t)l->m, (size_t)l->n, (size_t)l->k, l->alpha,
            l->a.mem, (size_t)batch_offset(&l->a, z, l->zn0, l->zn1), lda, l->b.mem,
            (size_t)batch_offset(&l->b, z, l->zn0, l->zn1), ldb, 0.0f, l->y.mem,
            (size_t)batch_offset(&l->y, z, l->zn0, l->zn1), (size_t)l->y.s0, &q, NULL);
        if (s != CLBlastSuccess)
            return oclnn_fail(&e->ctx->err, OCLNN_STATUS_OPENCL_ERROR,
                              "gemm: CLBlastSgemm %ldx%ldx%ld failed with CLBlast status %d", l->m, l->n, l->k,
                              (int)s);
    }
    return OCLNN_STATUS_OK;
}

oclnn_status oclnn_gemm_exec_enqueue(gemm_exec *e, cl_command_queue q, cl_event *ev) {
    oclnn_status st;
    cl_int err;
    if (!e->clblast) {
        cl_kernel k = e->kgemv && e->l.m <= OCLNN_GEMM_GEMV_MAX_M ? e->kgemv : e->kmain;
        int mr = k == e->kgemv ? OCLNN_GEMM_GEMV_MR : e->cfg.mr;
        if ((st = set_gemm_args(e, k))) return st;
        size_t global[3], local[3] = {1, 1, 1};
        oclnn_gemm_ndrange(mr, e->cfg.nr, &e->l, global);
        err = clw_EnqueueNDRangeKernel(q, k, 3, global, local, 0, NULL, ev);
        return err == CL_SUCCESS ? OCLNN_STATUS_OK : clw_fail(&e->ctx->err, err, "clEnqueueNDRangeKernel (gemm)");
    }
    if ((st = enqueue_clblast(e, q))) return st;
    if (e->kepi) {
        if ((st = set_epilogue_args(e, e->kepi))) return st;
        size_t global[3] = {(size_t)e->l.n, (size_t)e->l.m, (size_t)e->l.batch};
        err = clw_EnqueueNDRangeKernel(q, e->kepi, 3, global, NULL, 0, NULL, ev);
        return err == CL_SUCCESS ? OCLNN_STATUS_OK
                                 : clw_fail(&e->ctx->err, err, "clEnqueueNDRangeKernel (gemm epilogue)");
    }
    /* CLBlast's own events are not counted by clw; a marker gives the caller one that is. */
    if (!ev) return OCLNN_STATUS_OK;
    err = clw_EnqueueMarker(q, 0, NULL, ev);
    return err == CL_SUCCESS ? OCLNN_STATUS_OK : clw_fail(&e->ctx->err, err, "clEnqueueMarker (gemm)");
}
