#!/usr/bin/env bash
# Runs every exported network through the oclnn-run tool (as a user would) and checks its .npy output against ONNX
# Runtime's with the same bound as test_networks.c: |ours - ORT| <= 1e-4 x max|ORT| per element, same top-5.
#   networks_cli.sh OCLNN_RUN  (models from $OCLNN_MODELS_DIR, default ~/.cache/oclnn/models)
set -u
run=$1
dir=${OCLNN_MODELS_DIR:-$HOME/.cache/oclnn/models}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for n in lenet5 alexnet vgg16 googlenet inception_v3 resnet50 densenet121 fcn8s_vgg16 ppocr_det c3d_small; do
  if [ ! -f "$dir/$n.onnx" ]; then echo "$n: missing $dir/$n.onnx"; fail=1; continue; fi
  model=$dir/$n.onnx
  if ! "$run" "$model" -i "$dir/$n.input.npy" -o "$tmp/$n.npy" 2>"$tmp/$n.err"; then
    echo "$n: oclnn-run failed: $(tail -1 "$tmp/$n.err")"; fail=1; continue
  fi
  /usr/bin/python3 - "$tmp/$n.npy" "$dir/$n.output.npy" "$dir/$n.json" "$n" <<'PY' || fail=1
import json, sys
import numpy as np
got, ref, meta, name = np.load(sys.argv[1]), np.load(sys.argv[2]), json.load(open(sys.argv[3])), sys.argv[4]
assert got.shape == ref.shape, f"{name}: shape {got.shape} != {ref.shape}"
bound = 1e-4 * float(np.abs(ref).max())
err = np.abs(got.astype(np.float64) - ref)
i = int(err.argmax())
ok = err.max() <= bound
top = meta.get("top5")
if top is not None:
    ours = list(np.argsort(-got.reshape(-1), kind="stable")[:5])
    ok = ok and ours == top
    print(f"{name}: max |err| {err.max():.3g} (bound {bound:.3g}), top-5 {ours} vs ORT {top}: {'ok' if ok else 'FAIL'}")
else:
    print(f"{name}: max |err| {err.max():.3g} at {i} (bound {bound:.3g}): {'ok' if ok else 'FAIL'}")
sys.exit(0 if ok else 1)
PY
done
exit $fail
