#!/usr/bin/env python3
"""Renders a sample scene for the text-detection demo: a page or sign with 3-8 printed lines on a textured
background (gradient, noise, a few shapes), rotated by 3-8 degrees, plus the true axis-aligned box of every line.

Run:  python3 demos/make_scene.py [--seed N] [--out demos/data/scene.png]   (writes SCENE.png, SCENE_boxes.json)
Needs PIL, numpy and the DejaVu fonts (Debian: fonts-dejavu-core). Boxes are [x0, y0, x1, y1] in pixels, x1/y1
exclusive, around every pixel the line's ink touches after rotation. --seed changes text, fonts, sizes, colours,
background and angle.
"""
import argparse
import json
import math
import os
import random

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

W, H = 640, 480
FONT_DIR = "/usr/share/fonts/truetype/dejavu"
FONTS = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf",
         "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"]
WORDS = ("open daily market fresh bread coffee station north platform exit garden library museum entrance "
         "parking only staff tickets sale tuesday friday closed notice please keep door quiet zone hours "
         "public welcome river street avenue hotel pharmacy bakery books repair office floor room").split()


def pick_lines(rng):
    """3-8 lines: a title of 1-2 words, then lines of 2-5 words (at least 9 characters), so that lengths vary from
    a word to a sentence. Body lines shorter than that lose too much IoU to a detector's few-pixel box margin."""
    n = rng.randint(3, 8)
    lines = []
    for i in range(n):
        while True:
            words = [rng.choice(WORDS) for _ in range(rng.randint(1, 2) if i == 0 else rng.randint(2, 5))]
            if rng.random() < 0.3:
                words.append(str(rng.randint(1, 2400)))
            text = " ".join(words)
            if i == 0 or len(text) >= 9:
                break
        lines.append(text.upper() if i == 0 and rng.random() < 0.6 else text.capitalize())
    return lines


def space(font):
    """Word gap: 0.3 em, about DejaVu Sans's own space. Monospaced fonts' 0.6 em space at sign sizes makes a text
    detector see separate words, and a scene line must be one line for the demo's boxes."""
    return round(0.3 * font.size)


def words_bbox(text, font):
    """Ink box of `text` drawn word by word with space(font) gaps, relative to the drawing origin."""
    x, box = 0, None
    for w in text.split(" "):
        b = font.getbbox(w)
        box = (b[0] + x, b[1], b[2] + x, b[3]) if box is None else \
            (min(box[0], b[0] + x), min(box[1], b[1]), max(box[2], b[2] + x), max(box[3], b[3]))
        x += font.getlength(w) + space(font)
    return box


def draw_words(draw, origin, text, font):
    x = origin[0]
    for w in text.split(" "):
        draw.text((x, origin[1]), w, font=font, fill=255)
        x += font.getlength(w) + space(font)


def background(rng):
    """Vertical-diagonal gradient between two muted colours, a few soft shapes, low-amplitude pixel noise."""
    c0 = [rng.randint(40, 200) for _ in range(3)]
    c1 = [min(255, max(0, c + rng.randint(-80, 80))) for c in c0]
    grad = Image.linear_gradient("L").resize((W, H)).rotate(rng.uniform(-60, 60), resample=Image.BICUBIC,
                                                            expand=False, fillcolor=128)
    img = Image.composite(Image.new("RGB", (W, H), tuple(c1)), Image.new("RGB", (W, H), tuple(c0)), grad)
    d = ImageDraw.Draw(img)
    for _ in range(rng.randint(3, 6)):
        x, y = rng.randint(-80, W), rng.randint(-80, H)
        s = rng.randint(40, 220)
        col = tuple(min(255, max(0, c + rng.randint(-50, 50))) for c in c0)
        if rng.random() < 0.5:
            d.ellipse([x, y, x + s, y + s * rng.uniform(0.5, 1.5)], fill=col)
        else:
            d.rectangle([x, y, x + s, y + s * rng.uniform(0.3, 1.2)], fill=col)
    img = img.filter(ImageFilter.GaussianBlur(2))
    # seeded grey noise (PIL's effect_noise draws from libc rand(), which other libraries in the process may move);
    # a small sigma keeps the PNG small
    noise = np.random.default_rng(rng.randint(0, 2**31)).normal(128, 6, (H, W)).clip(0, 255).astype(np.uint8)
    return Image.blend(img, Image.fromarray(noise, "L").convert("RGB"), 0.12)


def render(seed):
    rng = random.Random(seed)
    lines = pick_lines(rng)
    dark_on_light = rng.random() < 0.7
    page_col = tuple(rng.randint(215, 250) for _ in range(3)) if dark_on_light else \
        tuple(rng.randint(20, 70) for _ in range(3))
    ink_col = tuple(rng.randint(0, 60) for _ in range(3)) if dark_on_light else \
        tuple(rng.randint(215, 255) for _ in range(3))
    angle = rng.choice((-1, 1)) * rng.uniform(3, 8)
    base = rng.randint(34, 42)  # body size in px (big enough for DB's ~5 px box margin to stay under 20% of IoU)
    # the title is bigger and never monospaced (a mono space at title size splits the line in two for DB)
    specs = [(ImageFont.truetype(os.path.join(FONT_DIR, rng.choice(FONTS[:4] if i == 0 else FONTS)),
                                 round(base * (rng.uniform(1.15, 1.35) if i == 0 else rng.uniform(0.95, 1.1)))), t)
             for i, t in enumerate(lines)]
    # Shrink until the rotated page fits the canvas with a margin.
    for scale in (1.0, 0.9, 0.8, 0.7, 0.6, 0.5):
        fonts = [(f.font_variant(size=max(16, round(f.size * scale))), t) for f, t in specs]
        bbs = [words_bbox(t, f) for f, t in fonts]
        gaps = [round(0.6 * f.size) for f, _ in fonts]  # line spacing 1.6
        margin = round(0.8 * base * scale)
        pw = max(b[2] - b[0] for b in bbs) + 2 * margin
        ph = sum(b[3] - b[1] for b in bbs) + sum(gaps[1:]) + 2 * margin
        a = math.radians(abs(angle))
        rw, rh = pw * math.cos(a) + ph * math.sin(a), pw * math.sin(a) + ph * math.cos(a)
        if rw <= W - 40 and rh <= H - 40:
            break
    px = round((W - pw) / 2 + rng.uniform(-1, 1) * max(0, (W - 40 - rw) / 2))
    py = round((H - ph) / 2 + rng.uniform(-1, 1) * max(0, (H - 40 - rh) / 2))
    centre = (px + pw / 2, py + ph / 2)

    page = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    ImageDraw.Draw(page).rectangle([px, py, px + pw - 1, py + ph - 1], fill=page_col + (255,))
    masks, y = [], py + margin
    align = rng.choice(("left", "centre"))
    for (f, t), b, g in zip(fonts, bbs, gaps):
        y += g if masks else 0
        tw = b[2] - b[0]
        x = px + margin if align == "left" else px + (pw - tw) // 2
        m = Image.new("L", (W, H), 0)
        draw_words(ImageDraw.Draw(m), (x - b[0], y - b[1]), t, f)
        masks.append(m)
        y += b[3] - b[1]
    ink = Image.new("L", (W, H), 0)
    for m in masks:
        ink = ImageChops.lighter(ink, m)
    page.paste(Image.new("RGBA", (W, H), ink_col + (255,)), (0, 0), ink)
    rot = page.rotate(angle, resample=Image.BICUBIC, center=centre)
    # a soft shadow under the page makes it look printed and placed
    shadow = rot.getchannel("A").filter(ImageFilter.GaussianBlur(6)).point(lambda v: v * 0.45)
    scene = background(rng)
    scene.paste(Image.new("RGB", (W, H), (0, 0, 0)), (4, 5), shadow)
    scene.paste(rot.convert("RGB"), (0, 0), rot.getchannel("A"))
    boxes = []
    for m in masks:
        bb = m.rotate(angle, resample=Image.BICUBIC, center=centre).getbbox()
        boxes.append(list(bb))
    return scene, boxes, {"seed": seed, "angle_deg": round(angle, 3), "lines": lines,
                          "fonts": [os.path.basename(f.path) + f"@{f.size}" for f, _ in fonts]}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "scene.png"))
    a = ap.parse_args()
    scene, boxes, info = render(a.seed)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    scene.save(a.out, optimize=True)
    stem = a.out[:-4] if a.out.endswith(".png") else a.out
    with open(stem + "_boxes.json", "w") as f:
        body = json.dumps({"image": os.path.basename(a.out), "width": W, "height": H, "boxes": boxes, **info}, indent=1)
        for b in boxes:  # one box per line
            body = body.replace(json.dumps(b, indent=1).replace("\n", "\n  "), json.dumps(b), 1)
        f.write(body + "\n")
    print(f"{a.out}: {len(boxes)} lines, angle {info['angle_deg']} deg, {os.path.getsize(a.out) // 1024} KB")


if __name__ == "__main__":
    main()
