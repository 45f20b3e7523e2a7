"""Tiny seed images (5x7 pixels) in every format stb_image decodes, for fuzz/corpus/image (fuzz/make_seeds.sh)."""
import io
import os
import sys

import cv2
import numpy as np
from PIL import Image

out = sys.argv[1]
rng = np.random.default_rng(7)
rgb = rng.integers(0, 256, (5, 7, 3)).astype(np.uint8)
gray = rgb[..., 0]


def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


write("rgb.png", cv2.imencode(".png", rgb)[1].tobytes())
write("gray.png", cv2.imencode(".png", gray)[1].tobytes())
write("rgba.png", cv2.imencode(".png", np.dstack([rgb, gray]))[1].tobytes())
write("rgb16.png", cv2.imencode(".png", rgb.astype(np.uint16) * 257)[1].tobytes())
write("rgb.jpg", cv2.imencode(".jpg", rgb, [cv2.IMWRITE_JPEG_QUALITY, 80])[1].tobytes())
write("prog.jpg", cv2.imencode(".jpg", rgb, [cv2.IMWRITE_JPEG_PROGRESSIVE, 1])[1].tobytes())
write("gray.jpg", cv2.imencode(".jpg", gray)[1].tobytes())
write("rgb.bmp", cv2.imencode(".bmp", rgb)[1].tobytes())
write("rgb.ppm", cv2.imencode(".ppm", rgb)[1].tobytes())
write("gray.pgm", cv2.imencode(".pgm", gray)[1].tobytes())
write("rgb.hdr", cv2.imencode(".hdr", rgb.astype(np.float32) / 255)[1].tobytes())
im = Image.fromarray(rgb)
for fmt, name, kw in [("GIF", "pal.gif", {}), ("TGA", "rgb.tga", {}), ("PNG", "pal.png", {}),
                      ("PNG", "interlaced.png", {"interlace": 1})]:
    b = io.BytesIO()
    (im.convert("P") if name.startswith("pal") else im).save(b, fmt, **kw)
    write(name, b.getvalue())
