/* op_faults.c - see op_faults.h. */
#include "op_faults.h"

#include "device/clw.h"

static void sweep_host(const char *name, op_scenario_fn scenario, const char *cache_dir) {
    test_alloc ta;
    test_alloc_init(&ta);
    oclnn_context_options o;
    test_options(&o, cache_dir);
    o.allocator = &ta.hooks;
    o.log_level = OCLNN_LOG_NONE;
    oclnn_context *ctx = NULL;
    assert_ok(NULL, oclnn_context_create(&o, &ctx));
    int v = 0;
    assert_ok(ctx, scenario(ctx, &v)); /* warms the context's program cache */
    long live0 = ta.live, start = ta.calls;
    assert_ok(ctx, scenario(ctx, &v));
    long total = ta.calls - start, failures = 0;
    assert_true(total >= 1);
    for (long k = 1; k <= total; k++) {
        ta.fail_at = ta.calls + k;
        v = 0;
        oclnn_status st = scenario(ctx, &v);
        ta.fail_at = 0;
        if (st && st != OCLNN_STATUS_OUT_OF_HOST_MEMORY)
            fail_msg("%s: host allocation %ld: unexpected %s: %s", name, k, oclnn_status_name(st),
                     oclnn_last_error(ctx));
        if (!st && !v) fail_msg("%s: host allocation %ld: OK without a verified result", name, k);
        if (st && !oclnn_last_error(ctx)[0]) fail_msg("%s: %s without a message", name, oclnn_status_name(st));
        failures += st != OCLNN_STATUS_OK;
        if (ta.live != live0)
            fail_msg("%s: host allocation %ld failed: %ld allocations leaked", name, k, ta.live - live0);
    }
    printf("# %s: %ld host allocations, %ld failures reported\n", name, total, failures);
    assert_true(failures >= 1);
    oclnn_context_destroy(ctx);
    assert_int_equal(ta.live, 0);
}

static void sweep_opencl(const char *name, op_scenario_fn scenario, const char *cache_dir, clw_fault_kind kind,
                         const char *kind_name) {
    oclnn_context *ctx = test_context(cache_dir);
    int v = 0;
    assert_ok(ctx, scenario(ctx, &v)); /* warms the context's program cache */
    int64_t live0 = clw_live_objects();
    clw_fault_reset();
    assert_ok(ctx, scenario(ctx, &v));
    uint64_t total = clw_calls(kind), failures = 0;
    for (uint64_t k = 1; k <= total; k++) {
        clw_fault_reset();
        clw_fault_set(kind, k);
        v = 0;
        oclnn_status st = scenario(ctx, &v);
        clw_fault_reset();
        if (st && st != OCLNN_STATUS_OUT_OF_DEVICE_MEMORY && st != OCLNN_STATUS_OUT_OF_HOST_MEMORY)
            fail_msg("%s: %s call %llu: unexpected %s: %s", name, kind_name, (unsigned long long)k,
                     oclnn_status_name(st), oclnn_last_error(ctx));
        if (!st && !v)
            fail_msg("%s: %s call %llu: OK without a verified result", name, kind_name, (unsigned long long)k);
        failures += st != OCLNN_STATUS_OK;
        if (clw_live_objects() != live0)
            fail_msg("%s: %s call %llu failed: %lld OpenCL objects leaked", name, kind_name, (unsigned long long)k,
                     (long long)(clw_live_objects() - live0));
    }
    printf("# %s: %llu OpenCL %s calls, %llu failures reported\n", name, (unsigned long long)total, kind_name,
           (unsigned long long)failures);
    assert_true(total >= 1 && failures >= 1);
    oclnn_context_destroy(ctx);
}

void test_op_fault_sweeps(const char *name, op_scenario_fn scenario, const char *cache_dir) {
    sweep_host(name, scenario, cache_dir);
    sweep_opencl(name, scenario, cache_dir, CLW_FAULT_ALLOC, "alloc");
    sweep_opencl(name, scenario, cache_dir, CLW_FAULT_ENQUEUE, "enqueue");
}
