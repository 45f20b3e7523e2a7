#!/usr/bin/env bash
# The command-line tools as a user runs them: oclnn-run, oclnn-info MODEL and oclnn-bench on the exported networks
# ($OCLNN_MODELS_DIR, default ~/.cache/oclnn/models) and on bad input. Every refusal must exit nonzero with exactly
# one line on stderr and no output file left behind.
#   tools_cli.sh BUILD_TOOLS_DIR
set -u
bin=$1
dir=${OCLNN_MODELS_DIR:-$HOME/.cache/oclnn/models}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

# expect_refusal NAME CMD... : nonzero exit, one stderr line
expect_refusal() {
  local name=$1; shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$? lines
  lines=$(wc -l <"$tmp/err")
  if [ $rc -ne 0 ] && [ "$lines" -eq 1 ]; then ok "$name: exit $rc: $(cat "$tmp/err")"
  else bad "$name: exit $rc, $lines stderr lines: $(head -3 "$tmp/err")"; fi
}

# Published parameter counts (torch counts; BN's running statistics are not parameters).
for pair in alexnet:61.1M vgg16:138.4M densenet121:7.98M; do
  n=${pair%%:*} want=${pair#*:}
  if "$bin/oclnn-info" "$dir/$n.onnx" --dot "$tmp/$n.dot" >"$tmp/$n.info" 2>"$tmp/err"; then
    got=$(grep -oE '^parameters [0-9.]+M' "$tmp/$n.info" | cut -d' ' -f2)
    [ "$got" = "$want" ] && ok "oclnn-info $n: $got parameters" || bad "oclnn-info $n: '$got' parameters, want $want"
    grep -q "digraph" "$tmp/$n.dot" && ok "oclnn-info --dot $n" || bad "oclnn-info --dot $n wrote no graph"
    grep -qE '^memory plan: naive .* planned arena .* lower bound' "$tmp/$n.info" && ok "oclnn-info $n memory plan" \
      || bad "oclnn-info $n: no memory plan line"
  else
    bad "oclnn-info $n: $(cat "$tmp/err")"
  fi
done

# oclnn-run with -i/-o long and short spellings; then oclnn-bench's JSON keys.
if "$bin/oclnn-run" "$dir/lenet5.onnx" --input "$dir/lenet5.input.npy" -o "$tmp/y.npy" 2>"$tmp/err" && [ -s "$tmp/y.npy" ]
then ok "oclnn-run lenet5"; else bad "oclnn-run lenet5: $(cat "$tmp/err")"; fi
if "$bin/oclnn-bench" "$dir/lenet5.onnx" -n 3 --json "$tmp/b.json" >"$tmp/out" 2>"$tmp/err"; then
  for k in model device cold_first_ms warm_first_ms median_ms min_ms max_ms arena_bytes naive_activation_bytes \
           lower_bound_bytes; do
    grep -q "\"$k\"" "$tmp/b.json" || bad "oclnn-bench JSON lacks $k"
  done
  ok "oclnn-bench lenet5: $(grep steady "$tmp/out")"
else
  bad "oclnn-bench lenet5: $(cat "$tmp/err")"
fi

# Bad input.
/usr/bin/python3 - "$tmp" <<'PY'
import sys, numpy as np
t = sys.argv[1]
np.save(f"{t}/wrong_shape.npy", np.zeros((1, 1, 28, 28), np.float32))
np.save(f"{t}/wrong_dtype.npy", np.zeros((1, 1, 32, 32), np.float64))
np.save(f"{t}/int64.npy", np.zeros((1, 1, 32, 32), np.int64))
open(f"{t}/garbage.onnx", "wb").write(b"\x0a\xff\xff\xff\xff\x0f garbage")
open(f"{t}/not.npy", "wb").write(b"not a numpy file")
PY
head -c 1000 "$dir/lenet5.onnx" >"$tmp/truncated.onnx"
expect_refusal "run: no arguments" "$bin/oclnn-run"
expect_refusal "run: unknown option" "$bin/oclnn-run" "$dir/lenet5.onnx" --frobnicate
expect_refusal "run: missing model" "$bin/oclnn-run" "$tmp/nope.onnx" -i "$dir/lenet5.input.npy"
expect_refusal "run: corrupt model" "$bin/oclnn-run" "$tmp/garbage.onnx" -i "$dir/lenet5.input.npy"
expect_refusal "run: truncated model" "$bin/oclnn-run" "$tmp/truncated.onnx" -i "$dir/lenet5.input.npy"
expect_refusal "run: wrong input shape" "$bin/oclnn-run" "$dir/lenet5.onnx" -i "$tmp/wrong_shape.npy"
expect_refusal "run: float64 input" "$bin/oclnn-run" "$dir/lenet5.onnx" -i "$tmp/wrong_dtype.npy"
expect_refusal "run: int64 input" "$bin/oclnn-run" "$dir/lenet5.onnx" -i "$tmp/int64.npy"
expect_refusal "run: not an npy" "$bin/oclnn-run" "$dir/lenet5.onnx" -i "$tmp/not.npy"
expect_refusal "run: unknown input name" "$bin/oclnn-run" "$dir/lenet5.onnx" -i "nosuch=$dir/lenet5.input.npy"
expect_refusal "run: unwritable output" "$bin/oclnn-run" "$dir/lenet5.onnx" -i "$dir/lenet5.input.npy" \
  -o /nonexistent/dir/y.npy
expect_refusal "run: bad device" "$bin/oclnn-run" "$dir/lenet5.onnx" -i "$dir/lenet5.input.npy" -d no-such-device
expect_refusal "info: corrupt model" "$bin/oclnn-info" "$tmp/garbage.onnx"
expect_refusal "info: bad shape spec" "$bin/oclnn-info" "$dir/lenet5.onnx" --shape x=1,0
expect_refusal "bench: missing model" "$bin/oclnn-bench" "$tmp/nope.onnx" --no-cold
expect_refusal "bench: bad iterations" "$bin/oclnn-bench" "$dir/lenet5.onnx" -n 0
[ -e /nonexistent/dir/y.npy ] && bad "a partial output was left"
exit $fail
