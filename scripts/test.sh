#!/usr/bin/env bash
# The test command: installs what is missing, builds oclnn, and runs the whole cmocka suite on POCL and on
# Mesa rusticl (llvmpipe), then once more on POCL in an AddressSanitizer + UndefinedBehaviorSanitizer build, and
# the kernel tests under Oclgrind (reduced tables), which must report no memory error and no data race. The POCL
# run also exports the test networks with their ONNX Runtime references (tools/export_networks.py, cached in
# $OCLNN_MODELS_DIR) and runs them (suite 'networks') and ONNX's backend tests (suite 'conformance').
# Prints one line per run and, last, "N passed, N failed" over every test case; exits non-zero on any failure.
#   OCLNN_TEST_SKIP_INSTALL=1  do not call scripts/install-deps.sh
# Then the reliability runs: 'fuzz' (a clang libFuzzer build: the crash regressions of fuzz/regressions/ replayed,
# then each target fuzzed for $OCLNN_FUZZ_SECONDS (60) from its seed corpus, one pass/fail each) and 'tsan' (a
# ThreadSanitizer build running tests/test_threads.c only).
#   OCLNN_TEST_RUNS="pocl rusticl asan oclgrind fuzz tsan"  the runs to make (default: all six)
set -u
cd "$(dirname "$0")/.."
[ "${OCLNN_TEST_SKIP_INSTALL:-0}" = 1 ] || bash scripts/install-deps.sh || { echo "dependency install failed"; exit 1; }
runs=${OCLNN_TEST_RUNS:-"pocl rusticl asan oclgrind fuzz tsan"}
# Tests that launch kernels; Oclgrind runs these with their slow-device tables.
oclgrind_tests="test_conv2d test_conv3d test_deconv test_deconv3d test_pool2d test_pool3d test_gemm test_softmax test_argmax test_lrn test_eltwise test_datamove test_resize test_graph"
werror=-Dwerror=true
# Whole networks and the ONNX backend suite run once, on POCL; the other runs take the unit tests.
unit="--no-suite networks --no-suite conformance"
total_pass=0
total_fail=0
export OCLNN_LOG=${OCLNN_LOG:-warn}

setup() { # dir, extra meson args...
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" $werror "$@" >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log"; return 1; }
  fi
  ninja -C "$dir" >"$dir.build.log" 2>&1 || { tail -50 "$dir.build.log"; return 1; }
}

# Sums cmocka's per-binary "[  PASSED  ] N test(s)." / "[  FAILED  ] N test(s)" lines of one meson run, plus
# meson tests that are not cmocka binaries (one case each); a binary that died before cmocka could print counts
# as one failure.
count() { # dir label
  local log=$1/meson-logs/testlog.txt pass fail mfail mok bins badbins
  pass=$(grep -aoE '^\[  PASSED  \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
  fail=$(grep -aoE '^\[  FAILED  \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
  mfail=$(grep -aE '^(Fail|Timeout): +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
  mok=$(grep -aE '^Ok: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
  bins=$(grep -acE '^\[==========\] [0-9]+ test\(s\) run' "$log")
  badbins=$(grep -acE '^\[  FAILED  \] [0-9]+ test\(s\), listed below' "$log")
  pass=$((pass + mok - (bins - badbins)))
  [ "$fail" -eq 0 ] && [ "$mfail" -gt 0 ] && fail=$mfail
  echo "$2: $pass passed, $fail failed"
  total_pass=$((total_pass + pass))
  total_fail=$((total_fail + fail))
}

run() { # label dir meson-test-args env...
  local label=$1 dir=$2 margs=$3; shift 3
  env "$@" meson test -C "$dir" --print-errorlogs --no-rebuild $margs >"$dir.test-$label.log" 2>&1
  local rc=$?
  [ $rc -ne 0 ] && tail -80 "$dir.test-$label.log"
  count "$dir" "$label"
  [ $rc -ne 0 ] && [ "$total_fail" -eq 0 ] && total_fail=1
}

for r in $runs; do
  t_run=$SECONDS
  case $r in
    pocl)
      setup build-release --buildtype=release || { total_fail=$((total_fail + 1)); continue; }
      run pocl build-release "$unit" OCLNN_DEVICE=pocl
      bash scripts/get-model.sh >build-release.get-model.log 2>&1 \
        || { tail -5 build-release.get-model.log; echo "model download failed"; total_fail=$((total_fail + 1)); }
      py=$(bash scripts/setup-python.sh) && "$py" tools/export_networks.py >build-release.export.log 2>&1 \
        || { tail -30 build-release.export.log; echo "network export failed"; total_fail=$((total_fail + 1)); }
      run pocl-networks build-release "--suite networks --suite conformance" OCLNN_DEVICE=pocl ;;
    rusticl)
      setup build-release --buildtype=release || { total_fail=$((total_fail + 1)); continue; }
      run rusticl build-release "$unit" OCLNN_DEVICE=rusticl RUSTICL_ENABLE=llvmpipe ;;
    asan)
      setup build-asan --buildtype=debugoptimized -Db_sanitize=address,undefined -Db_lundef=false \
        || { total_fail=$((total_fail + 1)); continue; }
      # fast_unwind_on_malloc=0 lets LSan see libpocl/LLVM frames (tests/lsan.supp suppresses by library), but the
      # slow unwinder on every malloc was a third of the run's CPU; 12 frames still reach them (6 do not)
      run asan build-asan "$unit" OCLNN_DEVICE=pocl OCLNN_TEST_REDUCED=1 \
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_odr_violation=0:fast_unwind_on_malloc=0:malloc_context_size=12 \
        LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0 \
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ;;
    oclgrind)
      setup build-release --buildtype=release || { total_fail=$((total_fail + 1)); continue; }
      for t in $oclgrind_tests; do
        out=build-release.oclgrind-$t.out
        OCLNN_CACHE=0 oclgrind --data-races --check-api "build-release/tests/$t" >"$out" 2>&1
        rc=$?
        p=$(grep -aoE '^\[  PASSED  \] [0-9]+ test' "$out" | awk '{s+=$4} END {print s+0}')
        f=$(grep -aoE '^\[  FAILED  \] [0-9]+ test' "$out" | awk '{s+=$4} END {print s+0}')
        # Any Oclgrind diagnostic (invalid access, data race, API error) fails the run. Every kernel diagnostic
        # names its kernel on a "Kernel:" line. (Its uninitialised-value plugin stops on LLVM 15's freeze
        # instruction, so it is not used.)
        if grep -aqE '^[[:space:]]+Kernel: |OCLGRIND FATAL|runtime error detected' "$out"; then
          grep -aE -B1 -A4 '^[[:space:]]+Kernel: |OCLGRIND FATAL|runtime error detected' "$out" | head -40
          f=$((f + 1))
        fi
        [ $rc -ne 0 ] && [ "$f" -eq 0 ] && { tail -30 "$out"; f=1; }
        echo "oclgrind $t: $p passed, $f failed"
        total_pass=$((total_pass + p))
        total_fail=$((total_fail + f))
      done ;;
    fuzz)
      CC=clang setup build-fuzz --buildtype=debugoptimized -Dfuzz=true -Dtests=false \
        -Db_sanitize=address,undefined -Db_lundef=false || { total_fail=$((total_fail + 1)); continue; }
      fenv=(OCLNN_DEVICE=pocl OCLNN_CACHE_DIR=$PWD/build-fuzz/oclnn-cache
        ASAN_OPTIONS=detect_leaks=1:detect_odr_violation=0:fast_unwind_on_malloc=0
        LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0:leak_check_at_exit=0
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1)
      run fuzz-regressions build-fuzz "--suite fuzz" "${fenv[@]}"
      for t in onnx npy image; do
        # fuzz a scratch copy: the repository's corpus stays as committed; a crash leaves its input in build-fuzz/
        rm -rf "build-fuzz/corpus-$t" && cp -r "fuzz/corpus/$t" "build-fuzz/corpus-$t"
        out=build-fuzz.fuzz-$t.log
        env "${fenv[@]}" "build-fuzz/fuzz/fuzz_$t" -max_total_time="${OCLNN_FUZZ_SECONDS:-60}" -rss_limit_mb=4096 \
          -timeout=120 -print_final_stats=1 -artifact_prefix="build-fuzz/crash-$t-" "build-fuzz/corpus-$t" >"$out" 2>&1
        rc=$?
        stats=$(grep -aE '^stat::number_of_executed_units|^#[0-9]+.*(DONE|cov:)' "$out" | tail -2 | tr '\n' ' ')
        if [ $rc -eq 0 ]; then
          echo "fuzz_$t: 1 passed, 0 failed ($stats)"; total_pass=$((total_pass + 1))
        else
          grep -aE -A30 '^==[0-9]+==ERROR|runtime error|deadly signal' "$out" | head -50
          echo "fuzz_$t: 0 passed, 1 failed (crash input: build-fuzz/crash-$t-*; add it to fuzz/regressions/$t/)"
          total_fail=$((total_fail + 1))
        fi
      done ;;
    tsan)
      # only the thread test is built and run here
      if [ ! -f build-tsan/build.ninja ]; then
        meson setup build-tsan $werror --buildtype=debugoptimized -Db_sanitize=thread -Db_lundef=false \
          >build-tsan.setup.log 2>&1 || { cat build-tsan.setup.log; total_fail=$((total_fail + 1)); continue; }
      fi
      ninja -C build-tsan tests/test_threads >build-tsan.build.log 2>&1 \
        || { tail -50 build-tsan.build.log; total_fail=$((total_fail + 1)); continue; }
      run tsan build-tsan "test_threads" OCLNN_DEVICE=pocl \
        TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp ;;
    *) echo "unknown run '$r'"; total_fail=$((total_fail + 1)) ;;
  esac
  echo "time $r: $((SECONDS - t_run)) s (build included)"
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
