#!/usr/bin/env python3
"""Checks the sample scenes with the real PP-OCRv4 text detector in ONNX Runtime: every true line box must be found
with IoU >= 0.8, with at most one extra box. This is the reference pipeline the C demo reproduces.

Run:  /work/venv/bin/python demos/check_scene_ort.py [--model PATH] [SCENE.png ...]   (default: demos/data/scene*.png)
Pipeline: RGB/255, ImageNet mean/std, resize to multiples of 32 (longest side <= 960), NCHW; probability > 0.3;
4-connected components (own flood fill); drop components under 10 px; fit an oriented rectangle (principal axes,
through pixel centres as DB's contour + minAreaRect),
score = mean probability inside it (keep >= 0.6), expand each side by D = area * 1.5 / perimeter (DB's unclip),
scale back and take the axis-aligned box. Exit status 1 when a scene fails the criterion.
"""
import argparse
import glob
import json
import os
import sys

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = "ch_PP-OCRv4_det_infer.onnx"
MEAN = np.array([0.485, 0.456, 0.406], np.float32)
STD = np.array([0.229, 0.224, 0.225], np.float32)
THRESH, BOX_THRESH, MIN_AREA, UNCLIP = 0.3, 0.6, 10, 1.5
IOU_OK, MAX_EXTRA = 0.8, 1


def preprocess(img):
    w, h = img.size
    s = min(1.0, 960 / max(w, h))
    nw, nh = (max(32, int(round(v * s / 32)) * 32) for v in (w, h))
    a = np.asarray(img.convert("RGB").resize((nw, nh), Image.BILINEAR), np.float32) / 255.0
    return np.ascontiguousarray(((a - MEAN) / STD).transpose(2, 0, 1)[None]), (w / nw, h / nh)


def components(mask):
    """4-connected components of a boolean map by iterative flood fill; returns a list of (ys, xs) index arrays."""
    h, w = mask.shape
    seen = np.zeros_like(mask, dtype=bool)
    out = []
    for y0, x0 in zip(*np.nonzero(mask)):
        if seen[y0, x0]:
            continue
        seen[y0, x0] = True
        stack, ys, xs = [(y0, x0)], [], []
        while stack:
            y, x = stack.pop()
            ys.append(y)
            xs.append(x)
            for ny, nx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
                if 0 <= ny < h and 0 <= nx < w and mask[ny, nx] and not seen[ny, nx]:
                    seen[ny, nx] = True
                    stack.append((ny, nx))
        out.append((np.array(ys), np.array(xs)))
    return out


def detect(prob, scale):
    """Boxes [x0, y0, x1, y1, score] in input-image pixels from the probability map (H x W)."""
    boxes = []
    for ys, xs in components(prob > THRESH):
        if len(ys) < MIN_AREA:
            continue
        pts = np.stack([xs, ys], 1).astype(np.float64)
        c = pts.mean(0)
        _, vecs = np.linalg.eigh(np.cov((pts - c).T) + 1e-9 * np.eye(2))
        u, v = vecs[:, 1], vecs[:, 0]                       # long axis, short axis
        pu, pv = (pts - c) @ u, (pts - c) @ v
        lo = np.array([pu.min(), pv.min()])                  # pixel centres, like DB's contour + minAreaRect
        hi = np.array([pu.max(), pv.max()])
        # score: mean probability over the pixels inside the oriented rectangle
        y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
        gy, gx = np.mgrid[y0:y1, x0:x1]
        q = np.stack([gx.ravel() - c[0], gy.ravel() - c[1]], 1)
        inside = ((q @ u >= lo[0]) & (q @ u <= hi[0]) & (q @ v >= lo[1]) & (q @ v <= hi[1])).reshape(gy.shape)
        score = float(prob[y0:y1, x0:x1][inside].mean())
        if score < BOX_THRESH:
            continue
        ext = hi - lo
        d = ext[0] * ext[1] * UNCLIP / (2 * (ext[0] + ext[1]))
        lo, hi = lo - d, hi + d
        corners = np.array([c + a * u + b * v for a in (lo[0], hi[0]) for b in (lo[1], hi[1])])
        bx0, by0 = corners.min(0)
        bx1, by1 = corners.max(0)
        boxes.append([bx0 * scale[0], by0 * scale[1], bx1 * scale[0], by1 * scale[1], score])
    return boxes


def iou(a, b):
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = iw * ih
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def find_model(explicit):
    root = os.path.dirname(HERE)
    for c in ([explicit] if explicit else [os.environ.get("OCLNN_PPOCR_DET"),
                                           os.path.join(root, "..", "shared", "models", MODEL),
                                           os.path.join(root, "..", "..", "shared", "models", MODEL)]):
        if c and os.path.exists(c):
            return c
    sys.exit(f"{MODEL} not found: pass --model or set $OCLNN_PPOCR_DET")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model")
    ap.add_argument("scenes", nargs="*")
    a = ap.parse_args()
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 2
    sess = ort.InferenceSession(find_model(a.model), so, providers=["CPUExecutionProvider"])
    scenes = a.scenes or sorted(glob.glob(os.path.join(HERE, "data", "scene*.png")))
    ok = True
    for path in scenes:
        truth = json.load(open(path[:-4] + "_boxes.json"))["boxes"]
        x, scale = preprocess(Image.open(path))
        prob = sess.run(None, {sess.get_inputs()[0].name: x})[0][0, 0]
        det = detect(prob, scale)
        ious = [max((iou(t, d) for d in det), default=0.0) for t in truth]
        extra = sum(1 for d in det if max((iou(t, d) for t in truth), default=0.0) < 0.5)
        good = min(ious) >= IOU_OK and extra <= MAX_EXTRA
        ok &= good
        print(f"{os.path.basename(path)}: {len(truth)} lines, {len(det)} boxes, IoU per line "
              f"{' '.join(f'{v:.3f}' for v in ious)}, min {min(ious):.3f}, extra {extra} -> "
              f"{'OK' if good else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
