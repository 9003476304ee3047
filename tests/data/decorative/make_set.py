"""Generate the labelled decorative/informative set: images + labels.json.

Deterministic (fixed seeds, no fonts beyond Pillow's built-in bitmap font).
Run from anywhere:  python tests/data/decorative/make_set.py

Each case is an image file and the markup it appears in, with the verdict a
careful human would give. Markup cases follow the W3C WAI "Decorative Images"
tutorial (image as part of a text link, image with an adjacent text
alternative, image used for ambience, decorative borders) and the ACT rule
"Image not in the accessibility tree is decorative" (46ca7f: role=presentation,
role=none, aria-hidden); the markup strings are written for this set.

labels.json: file → {"label": "decorative"|"informative", "markup": "...",
"syntax": "html"|"markdown", "why": "...", optional "caption": {Caption fields},
optional "reuse_count": n}.
"""

from __future__ import annotations

import json
import math
import os
import random

import numpy as np
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- image makers


def solid(w, h, colour, mode="RGB"):
    return Image.new(mode, (w, h), colour)


def hline(w, h, colour=(200, 200, 200), bg=(255, 255, 255)):
    im = Image.new("RGB", (w, h), bg)
    d = ImageDraw.Draw(im)
    d.rectangle([0, h // 2 - 1, w, h // 2], fill=colour)
    return im


def dotted_line(w, h, step=6):
    im = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(im)
    for x in range(0, w, step):
        d.rectangle([x, 0, x + step // 2 - 1, h - 1], fill=(150, 150, 150))
    return im


def gradient(w, h, a, b, vertical=False):
    arr = np.zeros((h, w, 3), dtype=np.float64)
    n = h if vertical else w
    t = np.linspace(0.0, 1.0, n)
    for c in range(3):
        ramp = a[c] + (b[c] - a[c]) * t
        arr[:, :, c] = ramp[:, None] if vertical else ramp[None, :]
    return Image.fromarray(arr.round().astype(np.uint8), "RGB")


def radial(w, h, a, b):
    yy, xx = np.mgrid[0:h, 0:w]
    r = np.sqrt((xx - w / 2) ** 2 + (yy - h / 2) ** 2) / math.hypot(w / 2, h / 2)
    arr = np.stack([a[c] + (b[c] - a[c]) * r for c in range(3)], axis=2)
    return Image.fromarray(arr.round().astype(np.uint8), "RGB")


def tiled(w, h, tile):
    im = Image.new("RGB", (w, h))
    for y in range(0, h, tile.height):
        for x in range(0, w, tile.width):
            im.paste(tile, (x, y))
    return im


def checker_tile(n, c1, c2):
    t = Image.new("RGB", (2 * n, 2 * n), c1)
    d = ImageDraw.Draw(t)
    d.rectangle([0, 0, n - 1, n - 1], fill=c2)
    d.rectangle([n, n, 2 * n - 1, 2 * n - 1], fill=c2)
    return t


def dots_tile(n, bg, fg):
    t = Image.new("RGB", (n, n), bg)
    ImageDraw.Draw(t).ellipse([n // 4, n // 4, 3 * n // 4, 3 * n // 4], fill=fg)
    return t


def transparent(w, h, dot=0):
    im = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    if dot:
        ImageDraw.Draw(im).ellipse([w // 2 - dot, h // 2 - dot, w // 2 + dot, h // 2 + dot], fill=(90, 90, 90, 255))
    return im


def icon(n, kind, colour=(40, 90, 160)):
    """A flat pictogram on transparency: house, phone, mail, arrow, magnifier, bird, cart."""
    s = 4  # draw large, scale down: anti-aliased edges like a real icon
    im = Image.new("RGBA", (n * s, n * s), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    N = n * s
    if kind == "house":
        d.polygon([(N * 0.1, N * 0.5), (N * 0.5, N * 0.1), (N * 0.9, N * 0.5)], fill=colour)
        d.rectangle([N * 0.22, N * 0.5, N * 0.78, N * 0.9], fill=colour)
        d.rectangle([N * 0.42, N * 0.62, N * 0.58, N * 0.9], fill=(0, 0, 0, 0))
    elif kind == "phone":
        d.rounded_rectangle([N * 0.3, N * 0.08, N * 0.7, N * 0.92], radius=N * 0.08, fill=colour)
        d.rectangle([N * 0.36, N * 0.18, N * 0.64, N * 0.75], fill=(255, 255, 255, 255))
    elif kind == "mail":
        d.rectangle([N * 0.08, N * 0.25, N * 0.92, N * 0.75], fill=colour)
        d.line([(N * 0.08, N * 0.25), (N * 0.5, N * 0.55), (N * 0.92, N * 0.25)], fill=(255, 255, 255, 255), width=s * 2)
    elif kind == "arrow":
        d.rectangle([N * 0.42, N * 0.1, N * 0.58, N * 0.6], fill=colour)
        d.polygon([(N * 0.2, N * 0.55), (N * 0.8, N * 0.55), (N * 0.5, N * 0.88)], fill=colour)
    elif kind == "search":
        d.ellipse([N * 0.12, N * 0.12, N * 0.65, N * 0.65], outline=colour, width=s * 3)
        d.line([(N * 0.58, N * 0.58), (N * 0.9, N * 0.9)], fill=colour, width=s * 4)
    elif kind == "bird":
        d.ellipse([N * 0.15, N * 0.3, N * 0.8, N * 0.8], fill=colour)
        d.ellipse([N * 0.55, N * 0.15, N * 0.88, N * 0.48], fill=colour)
        d.polygon([(N * 0.86, N * 0.28), (N * 0.98, N * 0.33), (N * 0.86, N * 0.38)], fill=(240, 160, 20, 255))
    elif kind == "cart":
        d.line([(N * 0.05, N * 0.2), (N * 0.22, N * 0.2), (N * 0.32, N * 0.65), (N * 0.85, N * 0.65)], fill=colour, width=s * 2)
        d.rectangle([N * 0.28, N * 0.3, N * 0.9, N * 0.55], fill=colour)
        d.ellipse([N * 0.3, N * 0.72, N * 0.44, N * 0.86], fill=colour)
        d.ellipse([N * 0.7, N * 0.72, N * 0.84, N * 0.86], fill=colour)
    return im.resize((n, n), Image.Resampling.LANCZOS)


def bullet(n, colour=(200, 40, 40)):
    im = Image.new("RGBA", (n * 4, n * 4), (0, 0, 0, 0))
    ImageDraw.Draw(im).ellipse([2, 2, n * 4 - 3, n * 4 - 3], fill=colour)
    return im.resize((n, n), Image.Resampling.LANCZOS)


def photo(w, h, seed, kind="landscape"):
    """Photo-like: smooth random fields at several scales plus sensor noise."""
    rs = np.random.RandomState(seed)

    def field(scale):
        small = rs.rand(max(2, h // scale), max(2, w // scale))
        im = Image.fromarray((small * 255).astype(np.uint8), "L").resize((w, h), Image.Resampling.BICUBIC)
        return np.asarray(im, dtype=np.float64) / 255.0

    f = 0.5 * field(24) + 0.3 * field(8) + 0.2 * field(3)
    yy = np.linspace(0, 1, h)[:, None] * np.ones((1, w))
    if kind == "landscape":
        horizon = 0.45 + 0.1 * (field(40) - 0.5)
        sky = yy < horizon
        r = np.where(sky, 120 + 80 * yy, 50 + 90 * f)
        g = np.where(sky, 170 + 60 * yy, 90 + 110 * f)
        b = np.where(sky, 230 - 20 * yy, 40 + 60 * f)
    elif kind == "portrait":
        cx, cy = w / 2, h * 0.45
        xx = np.linspace(0, w, w)[None, :] * np.ones((h, 1))
        face = ((xx - cx) / (w * 0.22)) ** 2 + ((yy * h - cy) / (h * 0.3)) ** 2 < 1
        r = np.where(face, 200 + 40 * f, 60 + 80 * f)
        g = np.where(face, 150 + 40 * f, 70 + 60 * f)
        b = np.where(face, 120 + 30 * f, 90 + 90 * f)
    else:  # interior / ambience: warm blurred light
        r = 150 + 100 * f
        g = 100 + 80 * f
        b = 60 + 50 * f
    arr = np.stack([r, g, b], axis=2) + rs.normal(0, 6, (h, w, 3))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")


def bar_chart(w, h, seed, title="Sales by quarter"):
    rnd = random.Random(seed)
    im = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(im)
    d.text((10, 6), title, fill=(20, 20, 20))
    d.line([(30, 25), (30, h - 25), (w - 10, h - 25)], fill=(0, 0, 0), width=1)
    n = 6
    bw = (w - 60) // n
    for i in range(n):
        v = rnd.randint(20, h - 60)
        x = 40 + i * bw
        d.rectangle([x, h - 25 - v, x + bw - 10, h - 26], fill=[(66, 133, 244), (219, 68, 55), (244, 180, 0)][i % 3])
        d.text((x, h - 20), f"Q{i + 1}", fill=(60, 60, 60))
    for k in range(5):
        y = h - 25 - k * (h - 50) // 4
        d.text((2, y - 5), str(k * 25), fill=(60, 60, 60))
    return im


def line_chart(w, h, seed):
    rnd = random.Random(seed)
    im = Image.new("RGB", (w, h), (252, 252, 252))
    d = ImageDraw.Draw(im)
    for y in range(30, h - 20, 30):
        d.line([(30, y), (w - 10, y)], fill=(225, 225, 225))
    d.line([(30, 20), (30, h - 20), (w - 10, h - 20)], fill=(0, 0, 0))
    for series, colour in enumerate([(30, 120, 200), (220, 90, 40)]):
        pts = []
        v = rnd.uniform(0.3, 0.7)
        for i in range(12):
            v = min(0.95, max(0.05, v + rnd.uniform(-0.15, 0.15)))
            pts.append((35 + i * (w - 50) / 11, h - 20 - v * (h - 50)))
        d.line(pts, fill=colour, width=2)
        for p in pts:
            d.ellipse([p[0] - 2, p[1] - 2, p[0] + 2, p[1] + 2], fill=colour)
    d.text((36, 4), "Visitors per month, 2025", fill=(0, 0, 0))
    return im


def pie_chart(n, seed):
    rnd = random.Random(seed)
    im = Image.new("RGB", (n, n), (255, 255, 255))
    d = ImageDraw.Draw(im)
    start = 0.0
    colours = [(66, 133, 244), (219, 68, 55), (244, 180, 0), (15, 157, 88), (171, 71, 188)]
    parts = [rnd.random() + 0.2 for _ in colours]
    total = sum(parts)
    for p, c in zip(parts, colours):
        end = start + 360 * p / total
        d.pieslice([10, 10, n - 60, n - 60], start, end, fill=c)
        start = end
    for i, c in enumerate(colours):
        d.rectangle([n - 50, 12 + i * 14, n - 42, 20 + i * 14], fill=c)
        d.text((n - 38, 10 + i * 14), f"{chr(65 + i)}", fill=(0, 0, 0))
    return im


def screenshot(w, h, seed, lines):
    rnd = random.Random(seed)
    im = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(im)
    d.rectangle([0, 0, w, 18], fill=(230, 230, 235))
    for i, c in enumerate([(255, 95, 86), (255, 189, 46), (39, 201, 63)]):
        d.ellipse([6 + i * 14, 5, 14 + i * 14, 13], fill=c)
    d.rectangle([0, 19, 70, h], fill=(245, 246, 248))
    for i, item in enumerate(["General", "Account", "Privacy", "Network"]):
        d.text((8, 28 + i * 16), item, fill=(40, 40, 40))
    y = 28
    for text in lines:
        d.text((82, y), text, fill=(rnd.randint(0, 40),) * 3)
        y += 15
    d.rounded_rectangle([w - 80, h - 30, w - 10, h - 10], radius=4, fill=(0, 110, 230))
    d.text((w - 62, h - 26), "Save", fill=(255, 255, 255))
    return im


def diagram(w, h):
    im = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(im)
    boxes = [(20, 30, "Browser"), (120, 30, "CDN"), (220, 30, "Origin"), (120, 120, "Cache")]
    for x, y, label in boxes:
        d.rectangle([x, y, x + 70, y + 36], outline=(30, 30, 30), width=2, fill=(235, 244, 255))
        d.text((x + 8, y + 12), label, fill=(0, 0, 0))
    for (x1, y1), (x2, y2) in [((90, 48), (120, 48)), ((190, 48), (220, 48)), ((155, 66), (155, 120))]:
        d.line([(x1, y1), (x2, y2)], fill=(200, 30, 30), width=2)
        d.polygon([(x2, y2), (x2 - 6, y2 - 4), (x2 - 6, y2 + 4)] if y1 == y2 else [(x2, y2), (x2 - 4, y2 - 6), (x2 + 4, y2 - 6)], fill=(200, 30, 30))
    return im


def map_image(w, h, seed):
    rs = np.random.RandomState(seed)
    im = Image.new("RGB", (w, h), (232, 226, 212))
    d = ImageDraw.Draw(im)
    d.polygon([(0, h * 0.7), (w * 0.3, h * 0.55), (w * 0.6, h * 0.8), (w, h * 0.6), (w, h), (0, h)], fill=(170, 205, 235))
    for _ in range(9):
        x1, y1, x2, y2 = rs.randint(0, w, 4)
        d.line([(x1, 0), (x2, h)], fill=(255, 255, 255), width=int(rs.randint(2, 5)))
        d.line([(0, y1), (w, y2)], fill=(250, 210, 120), width=2)
    for i in range(5):
        x, y = rs.randint(20, w - 20), rs.randint(20, h // 2)
        d.rectangle([x, y, x + 6, y + 6], fill=(200, 40, 40))
        d.text((x + 9, y - 2), f"Stop {i + 1}", fill=(20, 20, 20))
    return im


def qr_like(modules, seed, scale=4):
    rs = np.random.RandomState(seed)
    grid = rs.rand(modules, modules) < 0.5
    for ox, oy in ((0, 0), (modules - 7, 0), (0, modules - 7)):  # finder patterns
        grid[oy : oy + 7, ox : ox + 7] = True
        grid[oy + 1 : oy + 6, ox + 1 : ox + 6] = False
        grid[oy + 2 : oy + 5, ox + 2 : ox + 5] = True
    arr = np.where(grid, 0, 255).astype(np.uint8)
    arr = np.pad(arr, 4, constant_values=255)
    im = Image.fromarray(arr, "L").resize(((modules + 8) * scale,) * 2, Image.Resampling.NEAREST)
    return im.convert("RGB")


def text_banner(w, h, text, bg=(200, 30, 60)):
    im = Image.new("RGB", (w, h), bg)
    d = ImageDraw.Draw(im)
    small = Image.new("RGB", (w // 3, h // 3), bg)
    ImageDraw.Draw(small).text((6, h // 6 - 6), text, fill=(255, 255, 255))
    im.paste(small.resize((w, h), Image.Resampling.NEAREST))
    d.rectangle([0, 0, w - 1, h - 1], outline=(255, 255, 255), width=2)
    return im


def stars(n_full, size=16):
    im = Image.new("RGBA", (size * 5, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    for i in range(5):
        cx, cy, r = i * size + size / 2, size / 2, size / 2 - 1
        pts = []
        for k in range(10):
            rr = r if k % 2 == 0 else r * 0.45
            a = -math.pi / 2 + k * math.pi / 5
            pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
        d.polygon(pts, fill=(245, 180, 0, 255) if i < n_full else (210, 210, 210, 255))
    return im


def logo(w, h, text, colour=(20, 60, 140)):
    im = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    d.ellipse([2, 2, h - 2, h - 2], fill=colour)
    d.polygon([(h * 0.3, h * 0.7), (h * 0.5, h * 0.25), (h * 0.7, h * 0.7)], fill=(255, 255, 255, 255))
    d.text((h + 6, h // 2 - 6), text, fill=colour)
    return im


def sparkline(w, h, seed):
    rnd = random.Random(seed)
    im = Image.new("RGB", (w, h), (255, 255, 255))
    v = [rnd.uniform(0.1, 0.9) for _ in range(20)]
    ImageDraw.Draw(im).line([(i * (w - 1) / 19, (1 - x) * (h - 1)) for i, x in enumerate(v)], fill=(30, 100, 200), width=1)
    return im


def corner_ornament(n):
    im = Image.new("RGBA", (n, n), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    for k in range(0, n, 6):
        d.arc([-n + k, -n + k, n - k, n - k], 0, 90, fill=(150, 110, 60, 255), width=2)
    return im


# ---------------------------------------------------------------- the cases

D, I = "decorative", "informative"


def cases():
    """(file, image, label, markup, why, extra fields)."""
    c = []

    def add(file, im, label, markup, why, **more):
        c.append((file, im, label, markup, why, more))

    # --- dividers, rules, spacers, pixels, shims (pixels decide; neutral names on purpose)
    add("asset-01.png", hline(600, 4), D, '<p>End of part one.</p><img src="asset-01.png"><p>Part two.</p>',
        "thin horizontal rule between sections")
    add("asset-02.png", dotted_line(640, 3), D, '<div class="post"><img src="asset-02.png" alt=""></div>',
        "dotted separator line")
    add("divider-wave.png", hline(480, 10, (120, 160, 200), (245, 248, 252)), D,
        '<section><h2>Menu</h2></section><img src="divider-wave.png" alt=""><section><h2>Hours</h2></section>',
        "divider named as such")
    add("spacer.gif", transparent(1, 1), D, '<td><img src="spacer.gif" width="20" height="1"></td>',
        "classic table-layout spacer GIF")
    add("t.gif", solid(1, 1, (255, 255, 255)), D,
        '<img src="t.gif" width="1" height="1" style="position:absolute">', "1×1 tracking pixel")
    add("asset-06.png", solid(3, 3, (0, 0, 0)), D, '<span><img src="asset-06.png"></span>', "3×3 dot")
    add("asset-07.png", transparent(40, 40), D, '<p><img src="asset-07.png" alt=""> </p>',
        "fully transparent shim")
    add("asset-08.png", transparent(64, 64, dot=3), D, '<div class="row"><img src="asset-08.png"></div>',
        "mostly transparent with a tiny dot")
    add("asset-09.png", solid(120, 90, (236, 240, 243)), D, '<div class="card"><img src="asset-09.png"></div>',
        "flat colour block")
    # --- gradients and patterns
    add("asset-10.png", gradient(320, 60, (30, 60, 120), (120, 180, 240)), D,
        '<header><img src="asset-10.png"><h1>Welcome</h1></header>', "horizontal gradient band")
    add("asset-11.png", gradient(200, 200, (250, 250, 250), (200, 210, 225), vertical=True), D,
        '<div><img src="asset-11.png" alt=""></div>', "vertical gradient panel")
    add("asset-12.png", radial(160, 160, (255, 240, 200), (230, 160, 80)), D,
        '<aside><img src="asset-12.png"></aside>', "radial glow")
    add("asset-13.png", tiled(160, 120, checker_tile(6, (245, 245, 245), (225, 225, 225))), D,
        '<div><img src="asset-13.png"></div>', "checkerboard texture")
    add("asset-14.png", tiled(240, 96, dots_tile(12, (255, 250, 240), (230, 200, 160))), D,
        '<footer><img src="asset-14.png"></footer>', "polka-dot pattern")
    add("bg-paper.png", tiled(200, 200, checker_tile(2, (250, 248, 240), (244, 240, 228))), D,
        '<img src="bg-paper.png" class="page-bg">', "paper texture background")
    add("shadow-bottom.png", gradient(400, 12, (0, 0, 0), (255, 255, 255), vertical=True), D,
        '<div class="panel">Text</div><img src="shadow-bottom.png">', "drop shadow strip")
    # --- W3C WAI decorative border / ornament
    add("border-top.png", tiled(600, 8, checker_tile(4, (150, 110, 60), (250, 240, 220))), D,
        '<div class="frame"><img src="border-top.png" alt=""><p>Poem text</p></div>',
        "WAI decorative border")
    add("corner-flourish.png", corner_ornament(64), D,
        '<div class="frame"><img src="corner-flourish.png" class="ornament"></div>', "WAI decorative corner")
    add("bullet-red.png", bullet(8), D, "<ul><li><img src=\"bullet-red.png\"> Free delivery</li></ul>",
        "list bullet image")
    # --- icons next to text (WAI: image as part of a text link / adjacent text alternative)
    add("icon-home.png", icon(24, "house"), D, '<a href="/"><img src="icon-home.png" width="24" height="24"> Home</a>',
        "WAI image as part of a text link")
    add("phone.png", icon(20, "phone"), D,
        '<p><img src="phone.png" width="20" height="20"> Phone: 555 0100</p>', "icon beside the text it repeats")
    add("i-mail.png", icon(24, "mail"), D, "<button><img src=\"i-mail.png\"> Send message</button>",
        "icon in a button with its own text")
    add("dl.png", icon(16, "arrow"), D,
        '<a href="/report.pdf"><img src="dl.png"> Download the annual report (PDF)</a>', "download icon in a text link")
    add("cart.png", icon(32, "cart"), D, "[![](cart.png) Your cart](/cart)", "Markdown: icon inside a text link",
        syntax="markdown")
    add("tiger-resting.jpg", photo(240, 160, 7), D,
        '<div class="card"><img src="tiger-resting.jpg"><p>A tiger resting in the shade of a tree</p></div>',
        "WAI image with an adjacent text alternative")
    # --- ACT rule 46ca7f: image not in the accessibility tree
    add("act-presentation.jpg", photo(200, 140, 11), D,
        '<img src="act-presentation.jpg" role="presentation">', "ACT: role=presentation")
    add("act-none.jpg", photo(200, 140, 12, "interior"), D, '<img src="act-none.jpg" role="none" alt="">',
        "ACT: role=none")
    add("act-hidden.jpg", photo(200, 140, 13), D, '<img src="act-hidden.jpg" aria-hidden="true">',
        "ACT: aria-hidden")
    # --- WAI ambience (eye-candy): one with a hint in the class, one with none (expected miss)
    add("cafe-hero.jpg", photo(320, 120, 21, "interior"), D,
        '<img src="cafe-hero.jpg" class="hero-background" alt="">', "WAI ambience image (class says background)")
    add("ambience.jpg", photo(320, 120, 22, "interior"), D, '<img src="ambience.jpg" alt="">',
        "WAI ambience image with no hint in the markup: only a human can tell")
    add("swirl.png", tiled(300, 30, dots_tile(10, (255, 255, 255), (180, 200, 230))), D,
        '<div class="intro"><img src="swirl.png"></div>', "chat model says decorative",
        caption={"text": None, "confidence": None, "backend": "server", "model": "chat-vlm", "decorative": True})

    # --- informative
    add("sales-q.png", bar_chart(320, 200, 1), I, '<img src="sales-q.png">', "bar chart")
    add("fig-2.png", line_chart(320, 200, 2), I,
        '<figure><img src="fig-2.png"><figcaption>Figure 2: monthly visitors</figcaption></figure>',
        "line chart in a figure")
    add("share.png", pie_chart(200, 3), I, '<p>Market share: <img src="share.png"></p>', "pie chart")
    add("IMG_2041.jpg", photo(240, 160, 31), I, '<img src="IMG_2041.jpg">', "photo with a camera file name")
    add("portrait.jpg", photo(160, 200, 32, "portrait"), I,
        '<div class="bio"><img src="portrait.jpg"><p>Ada joined in 2019.</p></div>', "portrait")
    add("harbour.jpg", photo(240, 160, 33), I,
        '<figure><img src="harbour.jpg"><figcaption>Photo: J. Smith</figcaption></figure>', "photo in a figure")
    add("settings.png", screenshot(320, 200, 4, ["Dark mode: on", "Language: English", "Font size: 14",
                                                   "Auto-update: weekly"]), I,
        '<p>Open the settings:</p><img src="settings.png">', "screenshot with text")
    add("step-3.png", screenshot(300, 180, 5, ["Proxy: none", "DNS: automatic", "IPv6: enabled"]), I,
        "![](step-3.png)", "Markdown screenshot", syntax="markdown")
    add("architecture.png", diagram(300, 170), I, '<img src="architecture.png">', "diagram")
    add("route.png", map_image(260, 180, 6), I, '<p>How to find us <img src="route.png"></p>', "map")
    add("site-logo.png", logo(140, 40, "Example Co"), I, '<header><a href="/"><img src="site-logo.png"></a></header>',
        "logo as the only content of the home link", reuse_count=40)
    add("logo-md.png", logo(120, 36, "Docs"), I, "[![](logo-md.png)](/)", "Markdown: logo as the link's only content",
        syntax="markdown")
    add("search.png", icon(24, "search"), I, "<button type=\"submit\"><img src=\"search.png\"></button>",
        "icon as a button's only content")
    add("bird.png", icon(24, "bird"), I,
        '<a href="https://social.example/@us"><img src="bird.png" width="24" height="24"></a>',
        "social icon as a link's only content")
    add("go.png", icon(24, "arrow", (20, 140, 60)), I, '<input type="image" src="go.png">', "image button (control)")
    add("qr-contact.png", qr_like(25, 8), I, '<p>Scan to save our contact: <img src="qr-contact.png"></p>',
        "QR code (two colours, but content)")
    add("sale.png", text_banner(360, 72, "SUMMER SALE -50%"), I, '<img src="sale.png">', "text as image",
        caption={"text": "a red banner with white text", "confidence": 0.8, "backend": "server",
                 "ocr_text": "SUMMER SALE -50%"})
    add("rating-4.png", stars(4), I, '<p>Rated <img src="rating-4.png"></p>', "star rating image")
    add("spark.png", sparkline(100, 20, 9), I, '<td>Visits <img src="spark.png"></td>', "sparkline chart")
    add("team.jpg", photo(280, 180, 41), I, '<img src="team.jpg" alt="">',
        "a photo wrongly marked alt=\"\" (content)")
    add("menu-dish.jpg", photo(200, 200, 42, "interior"), I,
        '<li><img src="menu-dish.jpg"><h3>Dish of the day</h3></li>', "dish photo in a menu")
    return c


def main() -> None:
    labels = {}
    files = []
    for file, im, label, markup, why, more in cases():
        path = os.path.join(HERE, file)
        if file.endswith(".jpg"):
            im.convert("RGB").save(path, "JPEG", quality=80, optimize=True)
        elif file.endswith(".gif"):
            if im.mode == "RGBA":
                p = Image.new("P", im.size, 0)
                p.info["transparency"] = 0
                p.save(path, "GIF", transparency=0)
            else:
                im.save(path, "GIF")
        else:
            im.save(path, "PNG", optimize=True)
        entry = {"label": label, "markup": markup, "syntax": more.get("syntax", "html"), "why": why}
        for key in ("caption", "reuse_count"):
            if key in more:
                entry[key] = more[key]
        labels[file] = entry
        files.append(file)
    with open(os.path.join(HERE, "labels.json"), "w", encoding="utf-8") as fh:
        json.dump(labels, fh, indent=1, ensure_ascii=False, sort_keys=True)
        fh.write("\n")
    total = sum(os.path.getsize(os.path.join(HERE, f)) for f in files)
    print(f"{len(files)} images, {total / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
