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
