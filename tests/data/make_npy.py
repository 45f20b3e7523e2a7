# make_npy.py - writes the .npy files test_npy.c reads, with NumPy's own writer (format 1.0, 2.0 and 3.0 headers),
# so the reader is checked against an independent writer. v[i] = i * 0.5 - 4 in C order.
# Run: /work/venv/bin/python tests/data/make_npy.py tests/data
import sys
import numpy as np

out = sys.argv[1]
a = (np.arange(3 * 5 * 2, dtype=np.float32) * 0.5 - 4.0).reshape(3, 5, 2)
for ver in ((1, 0), (2, 0), (3, 0)):
    with open(f"{out}/npy_f32_3x5x2_v{ver[0]}.npy", "wb") as f:
        np.lib.format.write_array(f, a, version=ver)
np.save(f"{out}/npy_i64_4.npy", np.array([-(2**40), -1, 0, 2**62], dtype=np.int64))
np.save(f"{out}/npy_u8_2x3.npy", np.array([[0, 1, 255], [7, 128, 9]], dtype=np.uint8))
np.save(f"{out}/npy_i32_scalar.npy", np.array(-123456, dtype=np.int32))
