#!/usr/bin/env python3
"""Exports the test networks (random, seeded weights) to ONNX with reference inputs and ONNX Runtime outputs,
and the PP-OCRv4 detector's reference pair. For each NAME: NAME.onnx, NAME.input.npy, NAME.output.npy, NAME.json.

Run:  /work/venv/bin/python tools/export_networks.py [--out DIR] [--only lenet5,resnet50] [--opset 11] [--force]
Needs torch + torchvision (export), onnx, numpy, onnxruntime (references), PIL (PP-OCR input). No downloads.
"""
import argparse
import hashlib
import json
import shutil
import os
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = 0
IMAGENET_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
IMAGENET_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)
PPOCR_FILE = "ch_PP-OCRv4_det_infer.onnx"
# The same network twice: as the PyPI wheel ships it (opset 12, what scripts/get-model.sh fetches) and as
# ../shared/models/NOTES.md describes it (opset 11). The reference is computed from whichever file is used.
PPOCR_SHA256S = ("d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9",
                 "30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff")
# Published parameter counts (torch nn.Module parameters) that this export must reproduce; the check fails
# the run when torchvision (or our own builder) drifts.
PUBLISHED_PARAMS_M = {"alexnet": 61.1, "vgg16": 138.4, "densenet121": 7.98}
# Nets whose raw exporter output is kept in raw/NAME.onnx: FCN-8s's two 2x upsamplers share one weight tensor, which
# torch's exporter de-duplicates into an Identity node (an import test); raw and cleaned files compute the same output.
RAW_NETS = ("fcn8s_vgg16",)


# ------------------------------------------------------------------------------------------------ networks
def build_lenet5():
    """LeNet-5 as in LeCun et al. 1998: 32x32 grey input, tanh, average pooling, FC 120-84-10 (no RBF head)."""
    import torch.nn as nn
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.Tanh(), nn.AvgPool2d(2),          # C1 28x28, S2 14x14
        nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2),         # C3 10x10, S4 5x5
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.Tanh(),                   # C5 (a full 5x5 conv = FC on 5x5 maps)
        nn.Linear(120, 84), nn.Tanh(),                           # F6
        nn.Linear(84, 10))


def build_fcn8s(num_classes=21):
    """FCN-8s (Long, Shelhamer, Darrell 2015) on a VGG-16 backbone, written for static 224x224 export.

    Instead of Caffe's pad=100 on conv1_1 (which makes every VGG layer ~3.5x bigger), the VGG convs keep padding 1
    and fc6 is a 7x7 conv with padding 3, so pool5 (7x7) keeps its size. Kept from the paper: fc6/fc7 as convs,
    1x1 score layers on pool3 and pool4, learned 2x/2x/8x upsampling with ConvTranspose (k4 s2, k4 s2, k16 s8,
    no padding, bilinear init) and Caffe-style crops of the overshooting upsampled maps, exported as Slice.
    A little noise on the bilinear weights makes the transposed convs mix channels (as trained ones do); the two
    2x upsamplers get the same tensor (both start from the same bilinear kernel in the paper), which the exporter
    turns into an Identity on a shared initializer."""
    import torch
    import torch.nn as nn
    import torchvision

    class FCN8s(nn.Module):
        def __init__(self):
            super().__init__()
            feats = list(torchvision.models.vgg16(weights=None).features)  # 31 layers; pools at 4, 9, 16, 23, 30
            self.to_pool3, self.to_pool4, self.to_pool5 = (nn.Sequential(*feats[:17]), nn.Sequential(*feats[17:24]),
                                                           nn.Sequential(*feats[24:]))
            self.fc6 = nn.Sequential(nn.Conv2d(512, 4096, 7, padding=3), nn.ReLU(inplace=True), nn.Dropout2d())
            self.fc7 = nn.Sequential(nn.Conv2d(4096, 4096, 1), nn.ReLU(inplace=True), nn.Dropout2d())
            self.score_fr = nn.Conv2d(4096, num_classes, 1)
            self.score_pool4 = nn.Conv2d(512, num_classes, 1)
            self.score_pool3 = nn.Conv2d(256, num_classes, 1)
            self.upscore2 = nn.ConvTranspose2d(num_classes, num_classes, 4, stride=2, bias=False)
            self.upscore_pool4 = nn.ConvTranspose2d(num_classes, num_classes, 4, stride=2, bias=False)
            self.upscore8 = nn.ConvTranspose2d(num_classes, num_classes, 16, stride=8, bias=False)
            with torch.no_grad():
                for k, ups in ((4, (self.upscore2, self.upscore_pool4)), (16, (self.upscore8,))):
                    f = (k + 1) // 2
                    c = f - 1 if k % 2 else f - 0.5
                    t = 1 - (torch.arange(k, dtype=torch.float32) - c).abs() / f
                    w = 0.02 * torch.randn(num_classes, num_classes, k, k)
                    w += torch.eye(num_classes)[:, :, None, None] * (t[:, None] * t[None, :])
                    for up in ups:
                        up.weight.copy_(w)

        @staticmethod
        def crop(x, like, off):  # Caffe Crop layer: a window of `like`'s size at offset `off`
            return x[:, :, off:off + like.shape[2], off:off + like.shape[3]]

        def forward(self, x):
            p3 = self.to_pool3(x)                                    # stride 8
            p4 = self.to_pool4(p3)                                   # stride 16
            s = self.score_fr(self.fc7(self.fc6(self.to_pool5(p4))))  # stride 32
            s = self.upscore2(s)                                     # 7 -> 16
            s4 = self.score_pool4(p4)
            s = self.crop(s, s4, 1) + s4                             # 14
            s = self.upscore_pool4(s)                                # 14 -> 30
            s3 = self.score_pool3(p3)
            s = self.crop(s, s3, 1) + s3                             # 28
            return self.crop(self.upscore8(s), x, 4)                 # 28 -> 232 -> 224

    return FCN8s()


def build_c3d_small(num_classes=10):
    """A C3D-style clip classifier (Tran et al. 2015, cut down to three blocks): 3x3x3 Conv3d (padding 1) +
    BatchNorm3d + ReLU + MaxPool3d per block (the first pools space only, as C3D's pool1), a global average pool
    over the last 2x7x7 volume (AvgPool3d, exported as a 3-D AveragePool) and a linear classifier, on a
    1x3x8x56x56 clip."""
    import torch.nn as nn
    return nn.Sequential(
        nn.Conv3d(3, 16, 3, padding=1), nn.BatchNorm3d(16), nn.ReLU(), nn.MaxPool3d((1, 2, 2)),   # 16x8x28x28
        nn.Conv3d(16, 32, 3, padding=1), nn.BatchNorm3d(32), nn.ReLU(), nn.MaxPool3d(2),          # 32x4x14x14
        nn.Conv3d(32, 64, 3, padding=1), nn.BatchNorm3d(64), nn.ReLU(), nn.MaxPool3d(2),          # 64x2x7x7
        nn.AvgPool3d((2, 7, 7)), nn.Flatten(), nn.Linear(64, num_classes))


def networks():
    """name -> (builder, input shape, is_classifier). Builders run right after torch.manual_seed(SEED)."""
    import torchvision.models as tvm
    return {
        "lenet5": (build_lenet5, (1, 1, 32, 32), True),
        "alexnet": (lambda: tvm.alexnet(weights=None), (1, 3, 224, 224), True),
        "vgg16": (lambda: tvm.vgg16(weights=None), (1, 3, 224, 224), True),
        "googlenet": (lambda: tvm.googlenet(weights=None, aux_logits=False, init_weights=True), (1, 3, 224, 224),
                      True),
        "inception_v3": (lambda: tvm.inception_v3(weights=None, aux_logits=False, init_weights=True),
                         (1, 3, 299, 299), True),
        "resnet50": (lambda: tvm.resnet50(weights=None), (1, 3, 224, 224), True),
        "densenet121": (lambda: tvm.densenet121(weights=None), (1, 3, 224, 224), True),
        "fcn8s_vgg16": (build_fcn8s, (1, 3, 224, 224), False),
        "c3d_small": (build_c3d_small, (1, 3, 8, 56, 56), True),
    }


def randomise_bn(model, shape, gen):
    """Give every BatchNorm non-trivial running stats and affine parameters, so that an importer's BN folding is
    exercised (fresh BN is the identity). Running stats are measured on two image-like inputs in train mode
    (cumulative average), so activations stay O(1) through 100+ layers whatever the conv init (Inception-v3's
    std-0.1 init overflows to 1e11 with unit stats); then mean and variance are jittered and gamma/beta drawn
    at random. All-zero conv/linear biases get small random values, so bias paths are tested too."""
    import torch
    import torch.nn as nn
    bns = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Conv3d, nn.Linear, nn.ConvTranspose2d)) and m.bias is not None \
                    and not m.bias.any():
                m.bias.copy_(0.05 * torch.randn(m.bias.shape, generator=gen))
        if bns:
            for m in bns:
                m.reset_running_stats()
                m.momentum = None
            model.train()
            model(torch.from_numpy(np.concatenate([like_input(shape, seed=s) for s in (11, 12)])))
            model.eval()
        for m in bns:
            c = m.num_features
            m.running_mean.add_(0.1 * m.running_var.sqrt() * torch.randn(c, generator=gen))
            m.running_var.mul_(0.8 + 0.4 * torch.rand(c, generator=gen))     # x [0.8, 1.2)
            m.weight.copy_(0.6 + 0.6 * torch.rand(c, generator=gen))         # [0.6, 1.2)
            m.bias.copy_(0.1 * torch.randn(c, generator=gen))
            m.momentum = 0.1
    return len(bns)


# ------------------------------------------------------------------------------------------------ helpers
def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


def image_like_input(shape, seed):
    """A float32 NCHW tensor scaled like a normalised image: smooth blobs plus pixel noise in [0,1], then
    (x - mean) / std per channel (ImageNet statistics; a single channel uses the grey mean/std)."""
    rng = np.random.default_rng(seed)
    n, c, h, w = shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    img = np.empty(shape, dtype=np.float32)
    for b in range(n):
        for ch in range(c):
            fy, fx, py, px = rng.uniform(0.5, 3.0, 2).tolist() + rng.uniform(0, 2 * np.pi, 2).tolist()
            smooth = 0.5 + 0.25 * np.sin(2 * np.pi * fy * yy / h + py) * np.cos(2 * np.pi * fx * xx / w + px)
            img[b, ch] = np.clip(smooth + 0.25 * (rng.random((h, w), dtype=np.float32) - 0.5), 0, 1)
    mean = IMAGENET_MEAN if c == 3 else np.array([0.449] * c, np.float32)
    std = IMAGENET_STD if c == 3 else np.array([0.226] * c, np.float32)
    return ((img - mean[None, :, None, None]) / std[None, :, None, None]).astype(np.float32)


def video_like_input(shape, seed):
    """A float32 NCDHW clip of image_like_input frames whose blobs drift from frame to frame (a moving scene)."""
    rng = np.random.default_rng(seed)
    n, c, t, h, w = shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    clip = np.empty(shape, dtype=np.float32)
    for b in range(n):
        for ch in range(c):
            fy, fx, py, px, vy, vx = rng.uniform(0.5, 3.0, 2).tolist() + rng.uniform(0, 2 * np.pi, 2).tolist() + \
                rng.uniform(-0.4, 0.4, 2).tolist()
            for f in range(t):
                smooth = 0.5 + 0.25 * np.sin(2 * np.pi * fy * yy / h + py + vy * f) * \
                    np.cos(2 * np.pi * fx * xx / w + px + vx * f)
                clip[b, ch, f] = np.clip(smooth + 0.25 * (rng.random((h, w), dtype=np.float32) - 0.5), 0, 1)
    return ((clip - IMAGENET_MEAN[None, :, None, None, None]) / IMAGENET_STD[None, :, None, None, None]).astype(
        np.float32)


def like_input(shape, seed):
    return video_like_input(shape, seed) if len(shape) == 5 else image_like_input(shape, seed)


def ort_run(path, feeds):
    """The reference: ONNX Runtime CPU with all graph optimisations and 2 intra-op threads."""
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.intra_op_num_threads = 2
    sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    return sess.run(None, feeds)


def count_onnx(path, input_shape=None):
    """Weight element count (initializers plus Constant-node tensors) and MACs of Conv / ConvTranspose / Gemm / MatMul,
    from ONNX shape inference. input_shape fixes a dynamic input first; Constants become initializers in a copy so
    that shape inference can read Resize scales and the like."""
    import onnx
    from onnx import numpy_helper, shape_inference
    m = onnx.load(path)
    g = m.graph
    n_const = 0
    for node in [n for n in g.node if n.op_type == "Constant"]:
        a = next((a for a in node.attribute if a.name == "value"), None)
        if a is not None:
            t = numpy_helper.from_array(numpy_helper.to_array(a.t), node.output[0])
            g.initializer.append(t)
            g.node.remove(node)
            n_const += 1
    if input_shape:
        for d, v in zip(g.input[0].type.tensor_type.shape.dim, input_shape):
            d.dim_value = v
    g = shape_inference.infer_shapes(m).graph
    shapes = {vi.name: [d.dim_value for d in vi.type.tensor_type.shape.dim]
              for vi in list(g.input) + list(g.value_info) + list(g.output)}
    shapes.update({i.name: list(i.dims) for i in g.initializer})
    macs, unknown = {}, 0
    for node in g.node:
        if node.op_type in ("Conv", "ConvTranspose", "Gemm", "MatMul") and \
                not all(shapes.get(t) and 0 not in shapes[t] for t in (node.input[0], node.input[1], node.output[0])):
            unknown += 1  # a shape inference could not fix: reported, never guessed
            continue
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        if node.op_type == "Conv":          # W: [Cout, Cin/group, kh, kw]; each output element: Cin/group*kh*kw
            v = int(np.prod(shapes[node.output[0]])) * int(np.prod(shapes[node.input[1]][1:]))
        elif node.op_type == "ConvTranspose":  # W: [Cin, Cout/group, kh, kw]; each input element scatters Cout/g*kh*kw
            v = int(np.prod(shapes[node.input[0]])) * int(np.prod(shapes[node.input[1]][1:]))
        elif node.op_type in ("Gemm", "MatMul"):
            a = shapes[node.input[0]]
            k = a[0] if attrs.get("transA", 0) else a[-1]
            v = int(np.prod(shapes[node.output[0]])) * k
        else:
            continue
        macs[node.op_type] = macs.get(node.op_type, 0) + v
    ops = {}
    for node in g.node:
        ops[node.op_type] = ops.get(node.op_type, 0) + 1
    return {"initializer_elements": int(sum(int(np.prod(i.dims)) for i in g.initializer)), "constants_inlined": n_const,
            "macs_nodes_unknown_shape": unknown,
            "macs": int(sum(macs.values())), "macs_by_op": macs, "ops": dict(sorted(ops.items())),
            "opset": max((o.version for o in m.opset_import if o.domain in ("", "ai.onnx")), default=0)}


def inline_identity_initializers(model):
    """torch's exporter de-duplicates equal initializers and reads the copies through Identity nodes; OpenCV 4.6
    cannot import those, so the published file has each Identity(initializer) replaced by its own initializer."""
    import onnx
    inits = {i.name: i for i in model.graph.initializer}
    keep, n = [], 0
    for node in model.graph.node:
        if node.op_type == "Identity" and node.input[0] in inits:
            t = onnx.TensorProto()
            t.CopyFrom(inits[node.input[0]])
            t.name = node.output[0]
            model.graph.initializer.append(t)
            n += 1
        else:
            keep.append(node)
    del model.graph.node[:]
    model.graph.node.extend(keep)
    return n


def up_to_date(out, name, opset):
    """True when NAME's four files exist and NAME.json records this .onnx's sha256 (and the same opset, and the raw
    export's sha256 where one is kept)."""
    files = [os.path.join(out, f"{name}.{e}") for e in ("onnx", "input.npy", "output.npy", "json")]
    if not all(os.path.exists(f) for f in files):
        return False
    try:
        with open(files[3]) as f:
            meta = json.load(f)
    except (OSError, ValueError):
        return False
    if meta.get("raw_export"):  # the kept raw export must be there and unchanged too
        raw = os.path.join(out, meta["raw_export"])
        if not os.path.exists(raw) or sha256(raw) != meta.get("raw_sha256"):
            return False
    return meta.get("opset") == opset and meta.get("sha256") == sha256(files[0])


def write_meta(out, name, meta):
    with open(os.path.join(out, f"{name}.json"), "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")


# ------------------------------------------------------------------------------------------------ exports
def export_network(out, name, opset):
    import onnx
    import torch
    builder, shape, classifier = networks()[name]
    torch.manual_seed(SEED)
    model = builder()
    n_bn = randomise_bn(model, shape, torch.Generator().manual_seed(SEED + 1))
    model.eval()
    n_params = sum(p.numel() for p in model.parameters())
    x = like_input(shape, seed=1000 + sum(map(ord, name)))
    path = os.path.join(out, f"{name}.onnx")
    raw = os.path.join(out, "raw", f"{name}.onnx")
    os.makedirs(os.path.dirname(raw), exist_ok=True)
    tmp = raw if name in RAW_NETS else path + ".raw.tmp"
    with torch.no_grad():
        # PRESERVE (model in eval mode) keeps BatchNormalization nodes; EVAL would fold them into the convs.
        torch.onnx.export(model, torch.from_numpy(x), tmp, opset_version=opset, do_constant_folding=True,
                          training=torch.onnx.TrainingMode.PRESERVE, input_names=["input"], output_names=["output"])
        y_torch = model(torch.from_numpy(x)).numpy()
    m = onnx.load(tmp)
    n_identity = inline_identity_initializers(m)
    onnx.checker.check_model(m)
    onnx.save(m, path)
    if tmp != raw:
        os.remove(tmp)
    elif n_identity == 0:
        print(f"  warning: raw/{name}.onnx has no Identity(initializer) nodes")
    y = ort_run(path, {"input": x})[0]
    np.save(os.path.join(out, f"{name}.input.npy"), x)
    np.save(os.path.join(out, f"{name}.output.npy"), y)
    c = count_onnx(path)
    if c["macs_nodes_unknown_shape"]:
        raise RuntimeError(f"{c['macs_nodes_unknown_shape']} Conv/Gemm nodes without inferred shapes")
    meta = {
        "name": name, "opset": opset, "sha256": sha256(path), "seed": SEED,
        "inputs": [{"name": "input", "shape": list(x.shape)}], "outputs": [{"name": "output", "shape": list(y.shape)}],
        "torch_params": int(n_params), "onnx_initializer_elements": c["initializer_elements"],
        "macs": c["macs"], "macs_by_op": c["macs_by_op"], "ops": c["ops"], "batchnorm_layers": n_bn,
        "identity_initializers_inlined": n_identity,
        "raw_export": os.path.relpath(raw, out) if name in RAW_NETS else None,
        "raw_sha256": sha256(raw) if name in RAW_NETS else None,
        "output_abs_max": float(np.abs(y).max()), "output_std": float(y.std()),
        "ort_vs_torch_max_abs_diff": float(np.abs(y - y_torch).max()),
        "ort_vs_torch_max_rel_diff": float(np.abs(y - y_torch).max() / max(np.abs(y_torch).max(), 1e-30)),
        "versions": versions(),
    }
    if classifier:
        order = np.argsort(-y[0], kind="stable")
        meta["top5"] = [int(i) for i in order[:5]]
        meta["top5_min_gap"] = float(-np.diff(y[0][order[:6]]).max())  # smallest margin between ranks 1..6
    write_meta(out, name, meta)
    return meta


def find_ppocr(explicit):
    models = os.environ.get("OCLNN_MODELS_DIR", os.path.join(os.path.expanduser("~"), ".cache", "oclnn", "models"))
    cands = [explicit] if explicit else [os.environ.get("OCLNN_PPOCR_DET"), os.path.join(models, PPOCR_FILE),
                                         os.path.join(ROOT, "..", "shared", "models", PPOCR_FILE),
                                         os.path.join(ROOT, "..", "..", "shared", "models", PPOCR_FILE)]  # worktrees
    for c in cands:
        if c and os.path.exists(c):
            return os.path.normpath(c)
    return None


def ppocr_input():
    """1x3x640x640: the committed sample scene (demos/data/scene.png) letterboxed onto grey, so the detector sees
    real text; a seeded synthetic image when the scene is absent. RGB/255, ImageNet mean/std."""
    scene = os.path.join(ROOT, "demos", "data", "scene.png")
    if os.path.exists(scene):
        from PIL import Image
        im = Image.open(scene).convert("RGB")
        s = 640 / max(im.size)
        im = im.resize((round(im.size[0] * s), round(im.size[1] * s)), Image.BILINEAR)
        canvas = Image.new("RGB", (640, 640), (128, 128, 128))
        canvas.paste(im, ((640 - im.size[0]) // 2, (640 - im.size[1]) // 2))
        a = np.asarray(canvas, dtype=np.float32) / 255.0
        x = ((a - IMAGENET_MEAN) / IMAGENET_STD).transpose(2, 0, 1)[None]
        return np.ascontiguousarray(x, dtype=np.float32), "demos/data/scene.png sha256 " + sha256(scene)
    return image_like_input((1, 3, 640, 640), seed=640), "synthetic (image_like_input seed 640)"


def export_ppocr(out, src):
    import onnxruntime as ort
    src_sha = sha256(src)
    if src_sha not in PPOCR_SHA256S:
        raise RuntimeError(f"{src}: sha256 {src_sha} is neither of the known ones {PPOCR_SHA256S}")
    x, origin = ppocr_input()
    sess = ort.InferenceSession(src, providers=["CPUExecutionProvider"])
    iname, oname = sess.get_inputs()[0].name, sess.get_outputs()[0].name
    y = ort_run(src, {iname: x})[0]
    np.save(os.path.join(out, "ppocr_det.input.npy"), x)
    np.save(os.path.join(out, "ppocr_det.output.npy"), y)
    c = count_onnx(src, list(x.shape))
    meta = {"name": "ppocr_det", "model": os.path.abspath(src), "sha256": src_sha, "opset": c["opset"],
            "input_origin": origin, "inputs": [{"name": iname, "shape": list(x.shape)}],
            "outputs": [{"name": oname, "shape": list(y.shape)}],
            "onnx_weight_elements": c["initializer_elements"], "constant_nodes": c["constants_inlined"],
            "macs": c["macs"], "macs_by_op": c["macs_by_op"], "macs_nodes_unknown_shape": c["macs_nodes_unknown_shape"],
            "ops": c["ops"], "output_mean": float(y.mean()), "output_frac_above_0.3": float((y > 0.3).mean()),
            "versions": versions()}
    # A copy beside the other networks, so every consumer opens NAME.onnx: an absolute path in the JSON breaks when
    # the models folder is shared between checkouts (CI and a developer's tree on one machine did exactly that).
    dst = os.path.join(out, "ppocr_det.onnx")
    if not os.path.exists(dst) or sha256(dst) != src_sha:
        shutil.copyfile(src, dst + ".tmp")
        os.replace(dst + ".tmp", dst)
    meta["model"] = "ppocr_det.onnx"
    meta["model_source"] = os.path.abspath(src)
    write_meta(out, "ppocr_det", meta)
    return meta


def versions():
    import onnx
    import onnxruntime
    import torch
    import torchvision
    return {"torch": torch.__version__, "torchvision": torchvision.__version__, "onnx": onnx.__version__,
            "onnxruntime": onnxruntime.__version__, "numpy": np.__version__}


def check_published(name, meta):
    want = PUBLISHED_PARAMS_M.get(name)
    if want is None:
        return True
    digits = len(str(want).split(".")[1])
    got = round(meta["torch_params"] / 1e6, digits)
    print(f"  published parameter count {name}: {want}M, torch count {meta['torch_params']:,} -> {got}M "
          f"{'OK' if got == want else 'MISMATCH'}")
    return got == want


def main():
    names = list(networks()) + ["ppocr_det"]
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.environ.get("OCLNN_MODELS_DIR") or os.path.expanduser("~/.cache/oclnn/models"))
    ap.add_argument("--only", help="comma-separated subset of: " + ",".join(names))
    ap.add_argument("--opset", type=int, default=11)
    ap.add_argument("--ppocr", help=f"path of {PPOCR_FILE} (default: $OCLNN_PPOCR_DET, then the models folder (scripts/get-model.sh puts it there), then ../shared/models/)")
    ap.add_argument("--force", action="store_true", help="re-export even when the recorded sha256 matches")
    a = ap.parse_args()
    sel = a.only.split(",") if a.only else names
    bad = [n for n in sel if n not in names]
    if bad:
        ap.error(f"unknown network(s) {bad}; known: {names}")
    os.makedirs(a.out, exist_ok=True)
    import torch
    torch.set_num_threads(2)
    ok, t_all = True, time.perf_counter()
    for name in sel:
        t0 = time.perf_counter()
        try:
            if name != "ppocr_det" and not a.force and up_to_date(a.out, name, a.opset):
                with open(os.path.join(a.out, f"{name}.json")) as f:
                    meta = json.load(f)
                print(f"{name}: up to date (sha256 {meta['sha256'][:12]}), {time.perf_counter() - t0:.1f}s")
            elif name == "ppocr_det":  # no torch export: always recomputed (~2 s)
                src = find_ppocr(a.ppocr)
                if src is None:
                    print(f"ppocr_det: FAILED: {PPOCR_FILE} not found (--ppocr PATH or $OCLNN_PPOCR_DET)")
                    ok = False
                    continue
                meta = export_ppocr(a.out, src)
                print(f"ppocr_det: {meta['outputs'][0]['shape']} from {src}, {time.perf_counter() - t0:.1f}s")
            else:
                meta = export_network(a.out, name, a.opset)
                print(f"{name}: exported in {time.perf_counter() - t0:.1f}s: {meta['torch_params'] / 1e6:.2f}M params, "
                      f"{meta['macs'] / 1e6:,.1f} M MACs, out {meta['outputs'][0]['shape']}, "
                      f"ORT vs torch max |diff| {meta['ort_vs_torch_max_abs_diff']:.2e} = "
                      f"{meta['ort_vs_torch_max_rel_diff']:.1e} of |y| max "
                      f"{meta['output_abs_max']:.3g}, {meta['identity_initializers_inlined']} Identity inlined")
            if name != "ppocr_det":
                ok &= check_published(name, meta)
        except Exception as e:  # report and go on with the others; the exit status says it failed
            print(f"{name}: FAILED: {type(e).__name__}: {e}")
            ok = False
        sys.stdout.flush()
    print(f"total {time.perf_counter() - t_all:.1f}s, output in {a.out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
