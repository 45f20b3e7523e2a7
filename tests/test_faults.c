/* test_faults.c - failure sweeps. A scenario (context, tensors, transfers, a program build through the cache,
 * a kernel launch, read-back) runs once per failure point: every host allocation through the allocator hook,
 * and every OpenCL allocation, build and enqueue call through the fault injector. Each run must end in OK or a
 * clean status with a message, and leave no host allocation and no OpenCL object behind.
 */
#include "common.h"

#include "device/clw.h"
#include "oclnn_cl.h"
#include "program/program.h"
#include "ref/conv2d_ref.h"

#include <math.h>

enum { C = 5, HW = 7 * 3, CTOT = 9, COFF = 3 };

/* Copies a 5-channel tensor into channels [3, 8) of a 9-channel one with the registry's copy kernel, then runs a
 * 3x3 conv2d (5 -> 4 channels, bias, ReLU) on it and checks both results. */
static oclnn_status scenario(const oclnn_allocator *alloc, const char *cache_dir, int *verified) {
    oclnn_context_options o;
    test_options(&o, cache_dir);
    o.allocator = alloc;
    o.log_level = OCLNN_LOG_NONE;
    oclnn_context *ctx = NULL;
    oclnn_tensor *src = NULL, *dst = NULL, *cy = NULL;
    oclnn_conv2d *conv = NULL;
    float wt[4 * C * 9], bias[4] = {0.5f, -0.25f, 0.125f, 0};
    for (int i = 0; i < 4 * C * 9; i++) wt[i] = (float)((i * 7) % 11) / 11.0f - 0.5f;
    oclnn_event *ev = NULL;
    cl_kernel k = NULL;
    float in[C * HW], out[CTOT * HW], zeros[CTOT * HW] = {0};
    for (int i = 0; i < C * HW; i++) in[i] = (float)i + 0.25f;
    int64_t ds[3] = {C, 3, 7}, dd[3] = {CTOT, 3, 7};
    oclnn_status st = oclnn_context_create(&o, &ctx);
    if (st) return st;
    if ((st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 3, ds, &src))) goto done;
    if ((st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 3, dd, &dst))) goto done;
    if ((st = oclnn_tensor_write_async(src, 0, sizeof in, in, &ev))) goto done;
    if ((st = oclnn_event_wait(ev))) goto done;
    if ((st = oclnn_tensor_write(dst, 0, sizeof zeros, zeros))) goto done;
    if ((st = oclnn_kernel_create(ctx, OCLNN_KERNEL_TENSOR_UTIL, "", "oclnn_copy_channels_f32", &k))) goto done;
    cl_mem ms = oclnn_tensor_cl_mem(src, NULL), md = oclnn_tensor_cl_mem(dst, NULL);
    int zero = 0, c = C, hw = HW, coff = COFF, ctot = CTOT;
    clSetKernelArg(k, 0, sizeof ms, &ms);
    clSetKernelArg(k, 1, sizeof zero, &zero);
    clSetKernelArg(k, 2, sizeof md, &md);
    clSetKernelArg(k, 3, sizeof zero, &zero);
    clSetKernelArg(k, 4, sizeof c, &c);
    clSetKernelArg(k, 5, sizeof hw, &hw);
    clSetKernelArg(k, 6, sizeof coff, &coff);
    clSetKernelArg(k, 7, sizeof ctot, &ctot);
    size_t g[3] = {HW, C, 1};
    cl_int err = clw_EnqueueNDRangeKernel(oclnn_context_cl_queue(ctx, 0), k, 3, g, NULL, 0, NULL, NULL);
    if (err != CL_SUCCESS) {
        st = clw_fail(NULL, err, "clEnqueueNDRangeKernel");
        goto done;
    }
    if ((st = oclnn_tensor_read(dst, 0, sizeof out, out))) goto done;
    for (int ch = 0; ch < CTOT; ch++)
        for (int i = 0; i < HW; i++) {
            float want = (ch >= COFF && ch < COFF + C) ? in[(ch - COFF) * HW + i] : 0.0f;
            if (out[ch * HW + i] != want) fail_msg("copy mismatch at channel %d, %d", ch, i);
        }
    oclnn_conv2d_params p;
    oclnn_conv2d_params_init(&p);
    p.in_channels = C;
    p.out_channels = 4;
    p.kernel_h = p.kernel_w = 3;
    p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = 1;
    p.activation = OCLNN_ACTIVATION_RELU;
    int64_t dc[4] = {1, 4, 3, 7}, dsrc4[4] = {1, C, 3, 7};
    oclnn_tensor *src4 = NULL;
    float cout[4 * HW];
    if ((st = oclnn_conv2d_create(ctx, &p, wt, sizeof wt / sizeof wt[0], bias, 4, &conv))) goto done;
    if ((st = oclnn_conv2d_reshape(conv, 1, 3, 7, NULL, NULL))) goto done;
    if ((st = oclnn_tensor_create(ctx, OCLNN_DTYPE_F32, 4, dc, &cy))) goto done;
    if ((st = oclnn_tensor_view(src, 0, OCLNN_DTYPE_F32, 4, dsrc4, &src4))) goto done;
    st = oclnn_conv2d_setup(conv, src4, cy, 0, NULL, 0);
    oclnn_tensor_destroy(src4);
    if (st) goto done;
    if ((st = oclnn_conv2d_enqueue(conv, 0, NULL))) goto done;
    if ((st = oclnn_tensor_read(cy, 0, sizeof cout, cout))) goto done;
    double yr[4 * HW], mag[4 * HW];
    conv2d_ref_params rp = {1, C, 3, 7, 4, 3, 3, 1, 1, 1, 1, 1, 1, 3, 7, 1, 1, 0, 0, 0};
    conv2d_ref(&rp, in, wt, bias, NULL, yr, mag);
    for (int i = 0; i < 4 * HW; i++)
        if (!(fabs(cout[i] - yr[i]) <= 1e-5 * mag[i] + 1e-6)) fail_msg("conv mismatch at %d", i);
    *verified = 1;
done:
    if (st && ctx && strlen(oclnn_last_error(ctx)) == 0 && strlen(oclnn_last_error(NULL)) == 0)
        fail_msg("status %s without a message", oclnn_status_name(st));
    if (k) clw_ReleaseKernel(k);
    oclnn_event_destroy(ev);
    oclnn_tensor_destroy(src);
    oclnn_tensor_destroy(dst);
    oclnn_tensor_destroy(cy);
    oclnn_conv2d_destroy(conv);
    oclnn_context_destroy(ctx);
    return st;
}

/* Host out-of-memory sweep: fail allocation k for every k until the scenario no longer allocates that many. */
static void test_oom_sweep(void **state) {
    (void)state;
    for (int warm = 0; warm < 2; warm++) {
        /* Cold (empty disk cache: the source build path) and warm (the binary load path). */
        const char *dir = test_tmpdir("oom");
        if (warm) {
            int v = 0;
            assert_ok(NULL, scenario(NULL, dir, &v));
        }
        test_alloc ta;
        test_alloc_init(&ta);
        int v = 0;
        assert_ok(NULL, scenario(&ta.hooks, dir, &v));
        assert_int_equal(ta.live, 0);
        long total = ta.calls, failures = 0;
        assert_true(total > 5);
        for (long k = 1; k <= total; k++) {
            test_alloc_init(&ta);
            ta.fail_at = k;
            v = 0;
            /* Cold runs need an empty cache each time, so the source-build path is the one exercised. */
            oclnn_status st = scenario(&ta.hooks, warm ? dir : test_tmpdir("oom-cold"), &v);
            if (st != OCLNN_STATUS_OK && st != OCLNN_STATUS_OUT_OF_HOST_MEMORY)
                fail_msg("%s: allocation %ld: unexpected %s: %s", warm ? "warm" : "cold", k, oclnn_status_name(st),
                         oclnn_last_error(NULL));
            failures += st != OCLNN_STATUS_OK;
            if (ta.live != 0) fail_msg("allocation %ld failed: %ld host allocations leaked", k, ta.live);
            if (clw_live_objects() != 0)
                fail_msg("allocation %ld failed: %lld OpenCL objects leaked", k, (long long)clw_live_objects());
        }
        printf("# %s: %ld host allocations, %ld of their failures reported, the rest absorbed\n",
               warm ? "warm" : "cold", total, failures);
        assert_true(failures > 0);
    }
}

/* OpenCL fault sweep: each allocation, build and enqueue call fails in turn. */
static void test_opencl_fault_sweep(void **state) {
    (void)state;
    static const struct {
        clw_fault_kind kind;
        const char *name;
        oclnn_status want[2];
    } kinds[] = {
        {CLW_FAULT_ALLOC, "alloc", {OCLNN_STATUS_OUT_OF_DEVICE_MEMORY, OCLNN_STATUS_OUT_OF_HOST_MEMORY}},
        {CLW_FAULT_BUILD, "build", {OCLNN_STATUS_BUILD_FAILED, OCLNN_STATUS_BUILD_FAILED}},
        {CLW_FAULT_ENQUEUE, "enqueue", {OCLNN_STATUS_OUT_OF_DEVICE_MEMORY, OCLNN_STATUS_OUT_OF_DEVICE_MEMORY}},
    };
    for (int warm = 0; warm < 2; warm++) {
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
            const char *dir = test_tmpdir("fault");
            int v = 0;
            if (warm) assert_ok(NULL, scenario(NULL, dir, &v));
            clw_fault_reset();
            const char *cold_dir = warm ? dir : test_tmpdir("fault-count");
            assert_ok(NULL, scenario(NULL, cold_dir, &v));
            uint64_t total = clw_calls(kinds[i].kind);
            assert_true(total >= 1);
            uint64_t failures = 0;
            for (uint64_t k = 1; k <= total; k++) {
                /* Cold runs need an empty cache each time, so the build path is the one exercised. */
                const char *d = warm ? dir : test_tmpdir("fault-cold");
                clw_fault_reset();
                clw_fault_set(kinds[i].kind, k);
                v = 0;
                oclnn_status st = scenario(NULL, d, &v);
                if (st && st != kinds[i].want[0] && st != kinds[i].want[1])
                    fail_msg("%s call %llu: unexpected %s", kinds[i].name, (unsigned long long)k, oclnn_status_name(st));
                if (!st && !v) fail_msg("%s call %llu: OK without a verified result", kinds[i].name, (unsigned long long)k);
                failures += st != OCLNN_STATUS_OK;
                if (clw_live_objects() != 0)
                    fail_msg("%s call %llu: %lld OpenCL objects leaked", kinds[i].name, (unsigned long long)k,
                             (long long)clw_live_objects());
            }
            clw_fault_reset();
            printf("# %s %s: %llu calls, %llu failures reported\n", warm ? "warm" : "cold", kinds[i].name,
                   (unsigned long long)total, (unsigned long long)failures);
            /* A failed binary load is recovered by a source build, so only cold builds must all surface. */
            if (!(warm && kinds[i].kind == CLW_FAULT_BUILD)) assert_true(failures >= 1);
        }
    }
}

int main(void) {
    test_print_seed(__FILE__, TEST_SEED);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oom_sweep),
        cmocka_unit_test(test_opencl_fault_sweep),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    return r || clw_live_objects() != 0;
}
