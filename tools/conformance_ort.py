#!/usr/bin/env python3
"""conformance_ort.py - ONNX Runtime (CPU) on the float32 CNN set of the ONNX backend tests, next to oclnn's results.

Reads the in-scope list from tools/conformance_scope.py, runs every test data set of each in-scope test through
onnxruntime with ONNX's backend tolerance (|got - want| <= atol + rtol * |want|, rtol 1e-3, atol 1e-7, every
element), reads oclnn's verdicts from tests/onnx_conformance.txt, and prints per test and per operator both counts
(--markdown: the README table). Run with a python3 that has onnxruntime, onnx and numpy:
    python tools/conformance_ort.py [--markdown] [--suite DIR]
"""
import glob
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import conformance_scope  # noqa: E402

RTOL, ATOL = 1e-3, 1e-7


def read_pb(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def run_ort(folder):
    """'pass' or 'fail: reason' for one test folder."""
    model = onnx.load(os.path.join(folder, "model.onnx"))
    inits = {i.name for i in model.graph.initializer}
    in_names = [i.name for i in model.graph.input if i.name not in inits]
    out_names = [o.name for o in model.graph.output]
    so = ort.SessionOptions()
    so.log_severity_level = 4
    try:
        sess = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])
    except Exception as e:  # ORT refuses the model (for example an op set whose kernel it dropped)
        return "fail: load: " + str(e).splitlines()[0][:160]
    for ds in sorted(glob.glob(os.path.join(folder, "test_data_set_*"))):
        ins = [read_pb(p) for p in sorted(glob.glob(os.path.join(ds, "input_*.pb")), key=lambda p: int(os.path.basename(p)[6:-3]))]
        outs = [read_pb(p) for p in sorted(glob.glob(os.path.join(ds, "output_*.pb")), key=lambda p: int(os.path.basename(p)[7:-3]))]
        feeds = dict(zip(in_names, ins))
        try:
            got = sess.run(out_names[: len(outs)], feeds)
        except Exception as e:
            return "fail: run: " + str(e).splitlines()[0][:160]
        for k, (g, w) in enumerate(zip(got, outs)):
            if g.shape != w.shape:
                return "fail: output %d shape %s, want %s" % (k, g.shape, w.shape)
            bad = ~(np.abs(g.astype(np.float64) - w) <= ATOL + RTOL * np.abs(w.astype(np.float64)))
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                return "fail: output %d element %d: got %.9g, want %.9g" % (k, i, g.flat[i], w.flat[i])
    return "pass"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    root = args[0] if args else "/usr/share/libonnx-testdata/data"
    expect_path = os.path.join(HERE, "..", "tests", "onnx_conformance.txt")
    ours = {}
    with open(expect_path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            tid, verdict = line.rstrip("\n").split(" ", 1)
            ours[tid] = verdict
    per_op = {}
    n = n_ort = n_ours = 0
    for suite in conformance_scope.SUITES:
        for name in sorted(os.listdir(os.path.join(root, suite))):
            folder = os.path.join(root, suite, name)
            if not os.path.isfile(os.path.join(folder, "model.onnx")) or conformance_scope.classify(folder):
                continue
            tid = "%s/%s" % (suite, name)
            o = run_ort(folder)
            us = ours.get(tid, "missing")
            n += 1
            n_ort += o == "pass"
            n_ours += us == "pass"
            if "--markdown" not in sys.argv:
                print("%-62s ort %-6s oclnn %s" % (tid, "pass" if o == "pass" else o, us))
            ops = {nd.op_type for nd in onnx.load(os.path.join(folder, "model.onnx")).graph.node}
            for op in ops:
                c = per_op.setdefault(op, [0, 0, 0])
                c[0] += 1
                c[1] += us == "pass"
                c[2] += o == "pass"
    if "--markdown" in sys.argv:
        print("| operator | tests | oclnn | ONNX Runtime %s |" % ort.__version__)
        print("|---|---:|---:|---:|")
        for op in sorted(per_op):
            c = per_op[op]
            print("| %s | %d | %d | %d |" % (op, c[0], c[1], c[2]))
        print("| **all (a test counts once)** | **%d** | **%d** | **%d** |" % (n, n_ours, n_ort))
    else:
        print("# %d in-scope tests: oclnn passes %d, ONNX Runtime %s passes %d" % (n, n_ours, ort.__version__, n_ort))


if __name__ == "__main__":
    main()
