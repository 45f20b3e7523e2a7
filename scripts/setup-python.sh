#!/usr/bin/env bash
# Makes .venv: Debian's python3 with its site packages (torch, torchvision, onnx, numpy, PIL) plus ONNX Runtime from
# PyPI, which makes the reference outputs. Debian's torch works only in /usr/bin/python3, hence this layout.
# Prints the interpreter's path.
set -eu
cd "$(dirname "$0")/.."
ORT_VERSION=${ORT_VERSION:-1.32.0}
if [ ! -x .venv/bin/python ]; then
  /usr/bin/python3 -m venv --system-site-packages .venv >&2
fi
if ! .venv/bin/python -c "import onnxruntime" 2>/dev/null; then
  .venv/bin/pip install -q "onnxruntime==$ORT_VERSION" >&2
fi
echo "$PWD/.venv/bin/python"
