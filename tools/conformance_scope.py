#!/usr/bin/env python3
"""conformance_scope.py - which ONNX backend tests (libonnx-testdata) form the "float32 CNN set" of issue 8.

A test is in scope when every tensor of its model (graph inputs, outputs, initializers, Constant values) and of its
test data is float32, every node is in the default ONNX domain, and every op type is one of the CNN set (issue 5's
operators plus Conv/ConvTranspose). Prints one line per test ("in" or "out: reason") and the counts.
Run with Debian's python3 (onnx 1.12): python3 tools/conformance_scope.py [--in-only] [DATA_DIR]
"""
import os
import sys

import onnx

CNN_OPS = {
    "Conv", "ConvTranspose", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "LpPool",
    "BatchNormalization", "LRN", "Relu", "LeakyRelu", "PRelu", "Sigmoid", "Tanh", "Clip", "HardSigmoid",
    "HardSwish", "Softmax", "LogSoftmax", "Add", "Sub", "Mul", "Div", "Max", "Min", "Sum", "Gemm", "MatMul",
    "Concat", "Split", "Slice", "Pad", "Transpose", "Flatten", "Reshape", "Squeeze", "Unsqueeze", "Identity",
    "Dropout", "Resize", "Upsample", "ArgMax",
}
SUITES = ["node", "pytorch-converted", "pytorch-operator", "simple"]
FLOAT = onnx.TensorProto.FLOAT


def type_name(t):
    return onnx.TensorProto.DataType.Name(t)


def classify(folder):
    """Returns None when the test is in scope, else the reason."""
    model = onnx.load(os.path.join(folder, "model.onnx"))
    g = model.graph
    for imp in model.opset_import:
        if imp.domain not in ("", "ai.onnx"):
            return "domain %s" % imp.domain
    bad_ops = sorted({n.op_type for n in g.node if n.domain not in ("", "ai.onnx") or n.op_type not in CNN_OPS})
    if bad_ops:
        return "ops outside the CNN set: " + ",".join(bad_ops)
    for vi in list(g.input) + list(g.output):
        tt = vi.type.tensor_type
        if not vi.type.HasField("tensor_type"):
            return "non-tensor value '%s'" % vi.name
        if tt.elem_type != FLOAT:
            return "value '%s' is %s" % (vi.name, type_name(tt.elem_type))
    for init in g.initializer:
        if init.data_type != FLOAT:
            return "initializer '%s' is %s" % (init.name, type_name(init.data_type))
    for n in g.node:
        for a in n.attribute:
            if a.type == onnx.AttributeProto.TENSOR and a.t.data_type != FLOAT:
                return "node %s attribute '%s' is %s" % (n.op_type, a.name, type_name(a.t.data_type))
        if len(n.output) > 1 and n.op_type not in ("Split",):
            # Dropout's mask, BatchNormalization's training statistics, MaxPool's indices
            used = [o for o in n.output[1:] if o]
            if used and n.op_type == "MaxPool":
                return "MaxPool indices output (INT64)"
    for ds in sorted(os.listdir(folder)):
        d = os.path.join(folder, ds)
        if not ds.startswith("test_data_set") or not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            t = onnx.TensorProto()
            with open(os.path.join(d, f), "rb") as fh:
                t.ParseFromString(fh.read())
            if t.data_type != FLOAT:
                return "test data %s/%s is %s" % (ds, f, type_name(t.data_type))
    return None


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    in_only = "--in-only" in sys.argv
    root = args[0] if args else "/usr/share/libonnx-testdata/data"
    n_in = n_all = 0
    for suite in SUITES:
        for name in sorted(os.listdir(os.path.join(root, suite))):
            folder = os.path.join(root, suite, name)
            if not os.path.isfile(os.path.join(folder, "model.onnx")):
                continue
            n_all += 1
            reason = classify(folder)
            if reason is None:
                n_in += 1
                print("%s/%s in" % (suite, name))
            elif not in_only:
                print("%s/%s out: %s" % (suite, name, reason))
    print("# %d of %d tests in the float32 CNN set" % (n_in, n_all), file=sys.stderr)


if __name__ == "__main__":
    main()
