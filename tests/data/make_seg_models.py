#!/usr/bin/env python3
"""Writes the tiny ONNX models test_demo_segmentation runs the demo with (checked in next to this script):
  seg_test_binary.onnx   x [1,3,H,W] -> Conv 1x1 (3->1, weights -1, bias -2) -> Sigmoid -> prob [1,1,H,W]:
                         dark pixels give probabilities near 1, light ones near 0 (a "text detector" for dark ink)
  seg_test_classes.onnx  x -> Conv 1x1 (3->3, identity, bias 0) -> scores [1,3,H,W]: argmax is the channel with the
                         largest normalised value
  seg_test_flat.onnx     x -> GlobalAveragePool -> Flatten -> flat [1,3]: no 4-D output
Each graph's name is its file's stem (the mock runtime of tests/mock_graph_runtime.c recognises them by it).
Usage: make_seg_models.py [OUT_DIR]"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, "h", "w"])


def save(name, nodes, inits, output):
    g = helper.make_graph(nodes, name, [x], [output], initializer=inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)], producer_name="oclnn tests")
    m.ir_version = 7
    onnx.checker.check_model(m, full_check=True)
    onnx.save(m, os.path.join(out, name + ".onnx"))


w1 = numpy_helper.from_array(np.full((1, 3, 1, 1), -1.0, np.float32), "w")
b1 = numpy_helper.from_array(np.array([-2.0], np.float32), "b")
save("seg_test_binary", [helper.make_node("Conv", ["x", "w", "b"], ["logit"]), helper.make_node("Sigmoid", ["logit"], ["prob"])],
     [w1, b1], helper.make_tensor_value_info("prob", TensorProto.FLOAT, [1, 1, "h", "w"]))
w3 = numpy_helper.from_array(np.eye(3, dtype=np.float32).reshape(3, 3, 1, 1), "w")
b3 = numpy_helper.from_array(np.zeros(3, np.float32), "b")
save("seg_test_classes", [helper.make_node("Conv", ["x", "w", "b"], ["scores"])], [w3, b3],
     helper.make_tensor_value_info("scores", TensorProto.FLOAT, [1, 3, "h", "w"]))
save("seg_test_flat", [helper.make_node("GlobalAveragePool", ["x"], ["pooled"]), helper.make_node("Flatten", ["pooled"], ["flat"])],
     [], helper.make_tensor_value_info("flat", TensorProto.FLOAT, [1, 3]))
