#!/usr/bin/env bash
# The main job: installs what is missing, builds oclnn, lists the OpenCL devices, fetches the default model
# (PP-OCRv4's text detector, scripts/get-model.sh) and runs the segmentation demo on demos/data/scene.png, writing
# out/scene_mask.png, out/scene_overlay.png and out/scene_boxes.json. Extra arguments go to demo_segmentation.
set -eu
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
[ -f build/build.ninja ] || meson setup build --buildtype=release >/dev/null
ninja -C build >/dev/null
export RUSTICL_ENABLE=${RUSTICL_ENABLE:-llvmpipe}
./build/tools/oclnn-info --devices
if [ ! -x build/demos/demo_segmentation ]; then
  echo "run-demo: build/demos/demo_segmentation was not built: this checkout's library lacks the graph runtime" \
       "(lib/graph/runtime.c) or the ONNX importer (lib/onnx/)" >&2
  exit 1
fi
bash scripts/get-model.sh
mkdir -p out
./build/demos/demo_segmentation "$@" demos/data/scene.png out/scene
