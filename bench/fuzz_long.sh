#!/usr/bin/env bash
# Long fuzzing runs: each libFuzzer target (fuzz_onnx, fuzz_npy, fuzz_image) for N minutes, one after the other,
# from a scratch copy of its seed corpus; prints executions, coverage (libFuzzer's cov:), corpus size and crashes per
# target, and leaves any crash input in build-fuzz/long-crash-<target>-* (add it to fuzz/regressions/<target>/).
# Usage: bash bench/fuzz_long.sh [MINUTES, default 30] [TARGETS, default "onnx npy image"]
# FUZZ_TIMEOUT (seconds, default 120) is the per-input limit: an input whose model needs a kernel variant POCL has
# not compiled yet takes seconds, and minutes on a machine loaded with other builds.
set -u
cd "$(dirname "$0")/.."
min=${1:-30}
targets=${2:-"onnx npy image"}
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang meson setup build-fuzz -Dwerror=true --buildtype=debugoptimized -Dfuzz=true -Dtests=false \
    -Db_sanitize=address,undefined -Db_lundef=false >/dev/null || exit 1
fi
ninja -C build-fuzz >/dev/null || exit 1
# fast_unwind_on_malloc=0: POCL allocates from kernel libraries it later unloads; only the slow unwinder reaches
# libpocl's frames, which tests/lsan.supp suppresses (libFuzzer checks leaks after every input)
export OCLNN_DEVICE=${OCLNN_DEVICE:-pocl} OCLNN_CACHE_DIR=$PWD/build-fuzz/oclnn-cache
export ASAN_OPTIONS=detect_leaks=1:detect_odr_violation=0:fast_unwind_on_malloc=0
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0:leak_check_at_exit=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
fail=0
for t in $targets; do
  dir=build-fuzz/long-corpus-$t
  rm -rf "$dir" && cp -r "fuzz/corpus/$t" "$dir"
  log=build-fuzz/long-$t.log
  "build-fuzz/fuzz/fuzz_$t" -max_total_time=$((min * 60)) -rss_limit_mb=4096 -timeout="${FUZZ_TIMEOUT:-120}" \
    -print_final_stats=1 -artifact_prefix="build-fuzz/long-crash-$t-" "$dir" >"$log" 2>&1
  rc=$?
  execs=$(grep -a '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  cov=$(grep -aoE 'cov: [0-9]+' "$log" | tail -1 | awk '{print $2}')
  corp=$(ls "$dir" | wc -l)
  # libFuzzer also writes slow-unit-* files (inputs over 10 s: here a kernel variant POCL compiles for the first
  # time on a loaded machine); those are reported apart, they are not failures
  crashes=$(ls build-fuzz/long-crash-$t-* 2>/dev/null | grep -vc -- '-slow-unit-')
  slow=$(ls build-fuzz/long-crash-$t-slow-unit-* 2>/dev/null | wc -l)
  slowest=$(grep -a '^stat::slowest_unit_time_sec' "$log" | awk '{print $2}')
  echo "fuzz_$t: ${min} min, ${execs:-?} executions, cov ${cov:-?}, corpus $corp, crashes $crashes," \
       "slow units $slow (slowest ${slowest:-?} s) (exit $rc)"
  [ $rc -eq 0 ] || fail=1
done
exit $fail
