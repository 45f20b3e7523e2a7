#!/usr/bin/env bash
# The main job: installs what is missing, builds oclnn, lists the OpenCL devices and runs a convolution
# through the library on the default device (and on rusticl when it is present).
set -eu
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
[ -f build/build.ninja ] || meson setup build --buildtype=release >/dev/null
ninja -C build >/dev/null
export RUSTICL_ENABLE=${RUSTICL_ENABLE:-llvmpipe}
./build/tools/oclnn-info --devices
./build/demos/demo_conv "$@"
