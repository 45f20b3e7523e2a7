#!/usr/bin/env bash
# One benchmark run of the peers (ONNX Runtime, OpenCV DNN CPU and OpenCL/POCL, PyTorch) and oclnn-bench (when built)
# on the exported test networks, plus the FMA peak of this CPU; writes bench/results/networks-<date>.md (+ .json).
# Usage: bench/run_networks.sh [RUNS] [WARMUP]   (env: PY, OCLNN_MODELS_DIR, OCLNN_BENCH, NAMES, BACKENDS)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
PY=${PY:-/work/venv/bin/python}
[ -x "$PY" ] || PY=python3
runs=${1:-5}
warmup=${2:-1}
models=${OCLNN_MODELS_DIR:-$HOME/.cache/oclnn/models}
export OCLNN_MODELS_DIR=$models
names=${NAMES:-densenet121,googlenet,inception_v3,fcn8s_vgg16,resnet50,ppocr_det}

# Models and references: cheap when they are up to date (sha256 recorded in NAME.json).
"$PY" "$root/tools/export_networks.py" --out "$models" --only "$names" 2>&1 | grep -v -i warn

# FMA peak: the shared peak.c (AVX-512, -march=native) when it is there, else this repo's portable one.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
peak_src=""
for c in "$root/../shared/bench/peak.c" "$root/../../shared/bench/peak.c"; do
  [ -f "$c" ] && { peak_src=$(cd "$(dirname "$c")" && pwd)/peak.c; break; }
done
if [ -n "$peak_src" ] && gcc -O2 -march=native -fopenmp "$peak_src" -o "$tmp/peak" 2>/dev/null; then :
else peak_src=$root/bench/peak.c; gcc -O2 -fopenmp "$peak_src" -o "$tmp/peak"; fi
"$tmp/peak" | tee "$tmp/peak.txt"

"$PY" "$root/bench/run_networks.py" --models "$models" --names "$names" --runs "$runs" --warmup "$warmup" \
  ${BACKENDS:+--backends "$BACKENDS"} --peak "$tmp/peak.txt" --peak-source "${peak_src#$root/}"
