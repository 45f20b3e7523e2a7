# make_onnx_tensors.py - writes the TensorProto files test_onnx_import.c reads, with ONNX's own serializer
# (onnx.numpy_helper), so the reader is checked against an independent writer. Values follow the formulas that
# the test recomputes. Run: /work/venv/bin/python tests/data/make_onnx_tensors.py tests/data
import sys
import numpy as np
from onnx import numpy_helper

out = sys.argv[1]
f = (np.arange(2 * 3 * 5, dtype=np.float32) * 0.25 - 3.0).reshape(2, 3, 5)  # v[i] = i/4 - 3
i64 = np.array([-(2**40), -1, 0, 7, 2**62], dtype=np.int64)
b = np.array([[True, False, True], [False, False, True]])
for name, arr in (("tensor_f32_2x3x5", f), ("tensor_i64_5", i64), ("tensor_bool_2x3", b)):
    t = numpy_helper.from_array(arr, name)
    with open(f"{out}/{name}.pb", "wb") as fh:
        fh.write(t.SerializeToString())

# A small model written by onnx.helper (unpacked attribute lists, typed tensor fields, Constant forms, an omitted
# input, symbolic and missing dims, nodes out of order), checked by test_onnx_import.c's test_helper_model.
from onnx import TensorProto, helper

x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4, None, 2])
outs = [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in ("y", "s2", "u2", "t")]
inits = [
    helper.make_tensor("w", TensorProto.FLOAT, [1, 4, 1, 1], [0.5, -1.0, 2.0, 3.25]),  # float_data
    helper.make_tensor("s", TensorProto.INT64, [2], [3, -4]),  # int64_data
    helper.make_tensor("u", TensorProto.UINT8, [3], [0, 128, 255]),  # int32_data
]
nodes = [
    helper.make_node("Mul", ["x", "w"], ["m"], name="mul"),
    helper.make_node("Resize", ["m", "", "c2"], ["r"], name="resize", mode="nearest",
                     coordinate_transformation_mode="asymmetric"),
    helper.make_node("Constant", [], ["c2"], value=numpy_helper.from_array(np.array([1, 1, 2, 2], np.float32))),
    helper.make_node("LeakyRelu", ["r"], ["y"], alpha=0.2),
    helper.make_node("Identity", ["s"], ["s2"]),
    helper.make_node("Cast", ["u"], ["u2"], to=TensorProto.FLOAT),
    helper.make_node("Constant", [], ["c"], value_floats=[1.5, 2.5]),
    helper.make_node("Transpose", ["x"], ["t0"], perm=[0, 2, 1, 3]),
    helper.make_node("Add", ["t0", "c"], ["t"]),
]
g = helper.make_graph(nodes, "helper_model", [x], outs, inits)
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
with open(f"{out}/helper_model.onnx", "wb") as fh:
    fh.write(m.SerializeToString())
