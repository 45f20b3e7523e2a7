#!/usr/bin/env bash
# Convolution layers in oclnn and in the peers, in one run on this machine: oclnn-bench-conv --set default beside
# ONNX Runtime, OpenCV DNN (CPU, and its OpenCL target on POCL with --with-ocv-ocl) and PyTorch, measured by
# ../shared/bench/layer_bench.py, plus this CPU's FMA peak (bench/peak.c). Prints one markdown table.
# Usage: bench/compare_layers.sh [BUILD_DIR] [--with-ocv-ocl]
# Needs Debian's python3-torch, python3-torchvision, python3-opencv, python3-onnx (installed here if missing) and onnxruntime from PyPI
# (in .venv, made with --system-site-packages so that Debian's torch is visible). ../shared is never written to.
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
backends=ort,ocv_cpu,torch
[ "${2:-}" = "--with-ocv-ocl" ] && backends=$backends,ocv_ocl
shared=${OCLNN_SHARED:-../shared}
[ -f "$shared/bench/layer_bench.py" ] || { echo "need $shared/bench/layer_bench.py"; exit 1; }
for p in python3-torch python3-torchvision python3-opencv python3-onnx python3-venv; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$p"; }
done
[ -x .venv/bin/python ] || /usr/bin/python3 -m venv --system-site-packages .venv
.venv/bin/python -c 'import onnxruntime' 2>/dev/null || .venv/bin/pip install -q onnxruntime
py=$PWD/.venv/bin/python
[ -x "$build/tools/oclnn-bench-conv" ] || { echo "build first: $build/tools/oclnn-bench-conv"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$shared/bench" "$work/bench"                         # the peers' scripts write next to themselves
rm -rf "$work/bench/results"                                # so that the only results file is this run's
cc -O2 -fopenmp bench/peak.c -o "$work/peak"
"$work/peak" | tee "$work/peak.txt"
peak=$(sed -n 's/.*median \([0-9.]*\) GFLOP.*/\1/p' "$work/peak.txt" | tail -1)  # all threads, median
layers=conv3x3_256_256_56,conv3x3_64_64_224,conv1x1_256_64_56,conv3x3d2_512_512_28,convT_21_k16s8_28
(cd "$work/bench" && "$py" export_models.py ${layers//,/ } >"$work/export.log" 2>&1) || { cat "$work/export.log"; exit 1; }
"$build/tools/oclnn-bench-conv" --set default --iterations 15 --json "$work/oclnn.json"
(cd "$work/bench" && "$py" layer_bench.py --names "$layers" --backends "$backends" --runs 9 --peak-gflops "$peak" \
  >/dev/null 2>"$work/peers.err") || { cat "$work/peers.err"; exit 1; }
"$py" bench/compare_layers.py "$work/oclnn.json" "$work"/bench/results/layers-*.json "$peak"
