/* op_faults.h - failure sweeps for one operator: a scenario (create, reshape, setup, enqueue, read back, verify,
 * destroy) on a warm context runs once per host allocation and once per OpenCL allocation and enqueue call, each
 * failing in turn. Every run must end in OK with a verified result or in the status that failure maps to, and
 * leave no host allocation or OpenCL object behind.
 */
#ifndef OCLNN_TEST_OP_FAULTS_H
#define OCLNN_TEST_OP_FAULTS_H

#include "common.h"

/* Runs the operator once on @p ctx; sets *verified when the result was read back and checked. */
typedef oclnn_status (*op_scenario_fn)(oclnn_context *ctx, int *verified);

/* Sweeps host OOM and OpenCL alloc / enqueue faults through @p scenario; fails the test on a leak or a status that
 * does not match the failure. @p cache_dir holds warm programs (or is filled by the first run). */
void test_op_fault_sweeps(const char *name, op_scenario_fn scenario, const char *cache_dir);

#endif
