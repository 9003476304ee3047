"""Calibrate ``altbot.caption.classifier.CONFIDENCE_THRESHOLD``.

Pillow cannot draw photographs, so this measures what it can measure honestly:

* false positives: how often EfficientNet-Lite0 gives a confident, non-denylisted
  label to an image that shows no object at all (flat colours, gradients, noise,
  text screenshots, code, tables, charts, UI mock-ups, geometric shapes,
  stripes/checkers, letter logos). Every such label would be a wrong alt text.
* recall on a handful of drawn objects that ImageNet does have (analog clock,
  traffic light, ...), to see what a threshold costs.
* optionally, ``--photos DIR`` with files named ``<label>__anything.jpg``
  (label with spaces as ``_``): precision on real photos you have locally.

Run: ``python benchmarks/calibrate_classifier.py [-n 40] [--photos DIR]``.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from PIL import Image, ImageDraw, ImageFilter, ImageFont  # noqa: E402

from altbot.caption import classifier as C  # noqa: E402

FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", os.path.expanduser("~/.fonts"))
WORDS = (
    "the quick brown fox jumps over lazy dog release notes install configure server "
    "error warning total revenue quarter users settings profile click here download "
    "documentation build passed failed function return value import export"
).split()


def fonts() -> list[str]:
    found = []
    for d in FONT_DIRS:
        for root, _, files in os.walk(d):
            found += [os.path.join(root, f) for f in files if f.lower().endswith((".ttf", ".otf"))]
    return sorted(found)


def font(rng: random.Random, size: int):
    fs = fonts()
    if fs:
        return ImageFont.truetype(rng.choice(fs), size)
    return ImageFont.load_default(size=size)


def rcol(rng):
    return tuple(rng.randrange(256) for _ in range(3))


def size(rng):
    return rng.choice([(640, 400), (400, 400), (800, 450), (300, 500), (1024, 768)])


# -- non-object images --------------------------------------------------------


def flat(rng):
    return Image.new("RGB", size(rng), rcol(rng))


def gradient(rng):
    w, h = size(rng)
    a, b = rcol(rng), rcol(rng)
    im = Image.linear_gradient("L").resize((w, h)).rotate(rng.choice([0, 90, 45, 180]), expand=False)
    return Image.composite(Image.new("RGB", (w, h), a), Image.new("RGB", (w, h), b), im)


def radial(rng):
    w, h = size(rng)
    im = Image.radial_gradient("L").resize((w, h))
    return Image.composite(Image.new("RGB", (w, h), rcol(rng)), Image.new("RGB", (w, h), rcol(rng)), im)


def noise(rng):
    w, h = size(rng)
    im = Image.effect_noise((w, h), rng.choice([20, 60, 120])).convert("RGB")
    if rng.random() < 0.5:
        im = im.filter(ImageFilter.GaussianBlur(rng.choice([1, 4, 12])))
    return Image.blend(im, Image.new("RGB", (w, h), rcol(rng)), 0.4)


def text_page(rng):
    w, h = size(rng)
    dark = rng.random() < 0.3
    bg, fg = ((30, 30, 30), (230, 230, 230)) if dark else ((255, 255, 255), (20, 20, 20))
    im = Image.new("RGB", (w, h), bg)
    d = ImageDraw.Draw(im)
    s = rng.choice([14, 18, 24, 32])
    f = font(rng, s)
    y = 10
    while y < h - s:
        d.text((12, y), " ".join(rng.choice(WORDS) for _ in range(rng.randrange(3, 12))), font=f, fill=fg)
        y += int(s * 1.5)
    return im


def table(rng):
    w, h = size(rng)
    im = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(im)
    f = font(rng, 16)
    rows, cols = rng.randrange(4, 15), rng.randrange(3, 7)
    for r in range(rows):
        for c in range(cols):
            x0, y0 = c * w // cols, r * h // rows
            d.rectangle((x0, y0, x0 + w // cols, y0 + h // rows), outline=(160, 160, 160), fill=(235, 240, 250) if r == 0 else None)
            d.text((x0 + 5, y0 + 4), str(rng.randrange(10000)) if r else rng.choice(WORDS), font=f, fill="black")
    return im


def bar_chart(rng):
    w, h = size(rng)
    im = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(im)
    n = rng.randrange(3, 12)
    d.line((40, 20, 40, h - 30, w - 10, h - 30), fill="black", width=2)
    bw = (w - 60) // n
    for i in range(n):
        top = rng.randrange(30, h - 40)
        d.rectangle((50 + i * bw, top, 50 + i * bw + bw * 2 // 3, h - 31), fill=rcol(rng))
    return im


def line_chart(rng):
    w, h = size(rng)
    im = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(im)
    for gx in range(40, w, 60):
        d.line((gx, 10, gx, h - 30), fill=(225, 225, 225))
    for _ in range(rng.randrange(1, 4)):
        y = h / 2
        pts = []
        for x in range(40, w - 10, 10):
            y = min(h - 30, max(10, y + rng.uniform(-25, 25)))
            pts.append((x, y))
        d.line(pts, fill=rcol(rng), width=3)
    d.line((40, 10, 40, h - 30, w - 10, h - 30), fill="black", width=2)
    return im


def pie_chart(rng):
    w, h = size(rng)
    im = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(im)
    r = min(w, h) // 2 - 20
    cx, cy = w // 2, h // 2
    a = 0.0
    while a < 360:
        b = min(360, a + rng.uniform(20, 140))
        d.pieslice((cx - r, cy - r, cx + r, cy + r), a, b, fill=rcol(rng))
        a = b
    return im


def ui(rng):
    w, h = size(rng)
    im = Image.new("RGB", (w, h), (245, 246, 248))
    d = ImageDraw.Draw(im)
    f = font(rng, 16)
    d.rectangle((0, 0, w, 48), fill=rcol(rng))
    d.text((16, 14), "Dashboard", font=f, fill="white")
    for i in range(rng.randrange(2, 6)):
        x = 20 + (i % 3) * (w // 3)
        y = 70 + (i // 3) * 140
        d.rounded_rectangle((x, y, x + w // 3 - 30, y + 110), 8, fill="white", outline=(210, 210, 215))
        d.text((x + 10, y + 10), rng.choice(WORDS).title(), font=f, fill=(40, 40, 40))
        d.rounded_rectangle((x + 10, y + 70, x + 100, y + 98), 6, fill=rcol(rng))
    return im


def shapes(rng):
    w, h = size(rng)
    im = Image.new("RGB", (w, h), rcol(rng))
    d = ImageDraw.Draw(im)
    for _ in range(rng.randrange(1, 12)):
        x, y = rng.randrange(w), rng.randrange(h)
        s = rng.randrange(20, 200)
        kind = rng.random()
        if kind < 0.33:
            d.ellipse((x, y, x + s, y + s), fill=rcol(rng))
        elif kind < 0.66:
            d.rectangle((x, y, x + s, y + s // 2), fill=rcol(rng))
        else:
            d.polygon([(x, y), (x + s, y), (x + s // 2, y - s)], fill=rcol(rng))
    return im


def pattern(rng):
    w, h = size(rng)
    im = Image.new("RGB", (w, h), rcol(rng))
    d = ImageDraw.Draw(im)
    step = rng.choice([8, 16, 32, 64])
    c = rcol(rng)
    if rng.random() < 0.5:
        for x in range(0, w + h, step * 2):
            d.line((x, 0, x - h, h), fill=c, width=step // 2)
    else:
        for i in range(0, w, step):
            for j in range(0, h, step):
                if (i // step + j // step) % 2:
                    d.rectangle((i, j, i + step, j + step), fill=c)
    return im


def logo(rng):
    im = Image.new("RGB", (400, 400), rcol(rng))
    d = ImageDraw.Draw(im)
    d.ellipse((50, 50, 350, 350), fill=rcol(rng))
    f = font(rng, 180)
    d.text((200, 200), rng.choice("ABCDEFGHKMNPRSTXZ"), font=f, fill=rcol(rng), anchor="mm")
    return im


def code(rng):
    w, h = size(rng)
    im = Image.new("RGB", (w, h), (40, 42, 54))
    d = ImageDraw.Draw(im)
    mono = [p for p in fonts() if "Mono" in p]
    f = ImageFont.truetype(mono[0], 15) if mono else font(rng, 15)
    y = 8
    while y < h - 16:
        indent = rng.randrange(0, 4) * 4
        line = " " * indent + rng.choice(["def ", "return ", "if ", "for x in ", "import ", ""]) + "_".join(rng.sample(WORDS, 2)) + "()"
        d.text((10, y), line, font=f, fill=rcol(rng))
        y += 20
    return im


NEGATIVE = {
    "flat": flat,
    "gradient": gradient,
    "radial": radial,
    "noise": noise,
    "text": text_page,
    "table": table,
    "bar chart": bar_chart,
    "line chart": line_chart,
    "pie chart": pie_chart,
    "ui": ui,
    "shapes": shapes,
    "pattern": pattern,
    "logo": logo,
    "code": code,
}

# -- drawn objects that ImageNet has ----------------------------------------------


def analog_clock(rng):
    im = Image.new("RGB", (300, 300), rcol(rng))
    d = ImageDraw.Draw(im)
    d.ellipse((20, 20, 280, 280), fill="white", outline="black", width=10)
    for i in range(12):
        a = i * math.pi / 6
        d.line((150 + 110 * math.sin(a), 150 - 110 * math.cos(a), 150 + 125 * math.sin(a), 150 - 125 * math.cos(a)), fill="black", width=6)
    h, m = rng.uniform(0, 6.28), rng.uniform(0, 6.28)
    d.line((150, 150, 150 + 70 * math.sin(h), 150 - 70 * math.cos(h)), fill="black", width=9)
    d.line((150, 150, 150 + 105 * math.sin(m), 150 - 105 * math.cos(m)), fill="black", width=5)
    return im


def traffic_light(rng):
    im = Image.new("RGB", (200, 300), (120 + rng.randrange(40), 170, 230))
    d = ImageDraw.Draw(im)
    d.rectangle((90, 200, 110, 300), fill=(60, 60, 60))
    d.rounded_rectangle((60, 20, 140, 220), 20, fill=(30, 30, 30))
    lit = rng.randrange(3)
    on = [(255, 30, 30), (255, 190, 0), (30, 230, 60)]
    off = [(90, 20, 20), (90, 70, 0), (0, 80, 0)]
    for k in range(3):
        d.ellipse((75, 35 + k * 60, 125, 85 + k * 60), fill=on[k] if k == lit else off[k])
    return im


POSITIVE = {"analog clock": analog_clock, "traffic light": traffic_light}


def photos(directory):
    for name in sorted(os.listdir(directory)):
        if "__" in name:
            label = name.split("__", 1)[0].replace("_", " ")
            with Image.open(os.path.join(directory, name)) as im:
                yield label, im.convert("RGB")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=30, help="images per non-object kind (default 30)")
    ap.add_argument("--positives", type=int, default=10, help="drawn images per object class")
    ap.add_argument("--photos", help="directory of real photos named <label>__*.jpg")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    t0 = time.time()
    clf = C.Classifier()

    thresholds = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
    print(f"threshold in classifier.py: {C.CONFIDENCE_THRESHOLD}; denylist: {len(C.DENYLIST)} classes\n")
    print("non-object images (every label above the threshold would be a wrong alt):")
    all_neg = []
    for kind, make in NEGATIVE.items():
        preds = clf.classify_many([make(rng) for _ in range(args.n)])
        all_neg += preds
        usable = [p for p in preds if p.label not in C.DENYLIST]
        worst = max(usable, key=lambda p: p.probability, default=None)
        print(
            f"  {kind:11s} n={len(preds):3d}  max allowed-class p={worst.probability if worst else 0:.2f}"
            f" ({worst.label if worst else '-'})  denylisted tops={len(preds) - len(usable)}"
        )
    print()
    pos = []
    for label, make in POSITIVE.items():
        for p in clf.classify_many([make(rng) for _ in range(args.positives)]):
            pos.append((label, p))
    if args.photos:
        items = list(photos(args.photos))
        for (label, _), p in zip(items, clf.classify_many([im for _, im in items])):
            pos.append((label, p))
    print(f"{'thr':>5} {'neg FP':>8} {'FP rate':>8} {'pos kept':>9} {'pos correct':>12} {'precision':>10}")
    for t in thresholds:
        fp = sum(1 for p in all_neg if p.probability >= t and p.label not in C.DENYLIST)
        kept = [(lab, p) for lab, p in pos if p.probability >= t and p.label not in C.DENYLIST]
        correct = sum(1 for lab, p in kept if p.label == lab)
        wrong = len(kept) - correct + fp
        precision = correct / (correct + wrong) if correct + wrong else float("nan")
        mark = "  <- CONFIDENCE_THRESHOLD" if abs(t - C.CONFIDENCE_THRESHOLD) < 1e-9 else ""
        print(
            f"{t:5.2f} {fp:8d} {fp / len(all_neg):8.3f} {len(kept):5d}/{len(pos):<3d} {correct:12d} {precision:10.3f}{mark}"
        )
    top = sorted((p for p in all_neg if p.label not in C.DENYLIST), key=lambda p: -p.probability)[:5]
    print("\nhighest non-object scores (allowed classes):", ", ".join(f"{p.label} {p.probability:.2f}" for p in top))
    print(f"\n{len(all_neg)} non-object + {len(pos)} object images in {time.time() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
