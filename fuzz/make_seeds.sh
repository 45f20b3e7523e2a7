#!/usr/bin/env bash
# Rebuilds the seed corpora of fuzz/corpus/ from the test files, minimised with libFuzzer's -merge=1:
#   onnx:  tests/data/*.onnx and the ONNX backend-test models (libonnx-testdata) that tests/onnx_conformance.txt
#          marks 'pass', under 4 KiB each
#   npy:   tests/data/*.npy
#   image: tiny images in every format stb_image decodes (fuzz/make_image_seeds.py, Debian's python3 with cv2/PIL)
# Usage: bash fuzz/make_seeds.sh BUILD_FUZZ_DIR
set -eu
cd "$(dirname "$0")/.."
b=${1:?usage: make_seeds.sh BUILD_FUZZ_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/onnx" "$tmp/npy" "$tmp/image"
cp tests/data/*.onnx "$tmp/onnx/"
d=/usr/share/libonnx-testdata/data
for t in $(grep ' pass$' tests/onnx_conformance.txt | awk '{print $1}'); do
  f=$d/$t/model.onnx
  [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 4096 ] && cp "$f" "$tmp/onnx/$(echo "$t" | tr / _).onnx"
done
cp tests/data/*.npy "$tmp/npy/"
/usr/bin/python3 fuzz/make_image_seeds.py "$tmp/image"
for t in onnx npy image; do
  rm -rf "fuzz/corpus/$t"
  mkdir -p "fuzz/corpus/$t"
  "$b/fuzz/fuzz_$t" -merge=1 "fuzz/corpus/$t" "$tmp/$t"
done
