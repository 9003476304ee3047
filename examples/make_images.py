#!/usr/bin/env python3
"""Generate the image files of the ``examples/site`` demo site.

Deterministic: every random choice comes from a fixed seed, and nothing
depends on the clock or the machine except the font (DejaVu Sans when it is
installed, else Pillow's built-in font). Only Pillow is needed.

    python examples/make_images.py                 # writes into examples/site
    python examples/make_images.py --out /tmp/x    # writes the same tree into /tmp/x

Files written (paths relative to the output directory) are listed in
``OUTPUTS``.
"""

from __future__ import annotations

import argparse
import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "site"

IMAGES = "static/images"
# relative path -> Pillow format name ("SVG" for the hand-written SVG files)
OUTPUTS: dict[str, str] = {
    f"{IMAGES}/landscape.jpg": "JPEG",
    f"{IMAGES}/team-photo_2024.jpg": "JPEG",
    f"{IMAGES}/IMG_1234.png": "PNG",
    f"{IMAGES}/chart.webp": "WEBP",
    f"{IMAGES}/chart.png": "PNG",
    f"{IMAGES}/divider.png": "PNG",
    f"{IMAGES}/spacer.gif": "GIF",
    f"{IMAGES}/home.svg": "SVG",
    f"{IMAGES}/search.svg": "SVG",
    f"{IMAGES}/logo.svg": "SVG",
    "static/svg/menu.svg": "SVG",
    "content/en/blog/grand-opening/sale-banner.png": "PNG",
}
# Raster files whose pixels depend on the font that was found.
TEXT_IMAGES = (
    f"{IMAGES}/IMG_1234.png",
    f"{IMAGES}/chart.webp",
    f"{IMAGES}/chart.png",
    "content/en/blog/grand-opening/sale-banner.png",
)
# EXIF ImageDescription (tag 0x010E) written into landscape.jpg only.
LANDSCAPE_DESCRIPTION = "Green hills under a setting sun"

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/local/share/fonts/DejaVuSans.ttf",
    "/Library/Fonts/DejaVuSans.ttf",
)
BOLD_CANDIDATES = tuple(p.replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf") for p in FONT_CANDIDATES)


def find_font(bold: bool = False) -> str | None:
    """Path of DejaVu Sans (Bold) if installed, else None."""
    for p in BOLD_CANDIDATES if bold else FONT_CANDIDATES:
        if Path(p).is_file():
            return p
    return None


def font(size: int, bold: bool = False) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    path = find_font(bold) or find_font(False)
    if path:
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


# --------------------------------------------------------------------------- helpers


def lerp(a: tuple[int, ...], b: tuple[int, ...], t: float) -> tuple[int, ...]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def vertical_gradient(size: tuple[int, int], stops: list[tuple[float, tuple[int, int, int]]]) -> Image.Image:
    w, h = size
    col = Image.new("RGB", (1, h))
    px = col.load()
    for y in range(h):
        t = y / max(h - 1, 1)
        for (t0, c0), (t1, c1) in zip(stops, stops[1:]):
            if t0 <= t <= t1:
                px[0, y] = lerp(c0, c1, (t - t0) / (t1 - t0 or 1))
                break
    return col.resize((w, h))


def add_noise(img: Image.Image, seed: int, amount: float) -> Image.Image:
    """Blend deterministic grain (from ``random.Random(seed)``) into ``img``."""
    rng = random.Random(seed)
    w, h = img.size
    grain = Image.frombytes("L", (w, h), rng.randbytes(w * h)).filter(ImageFilter.GaussianBlur(0.6))
    return Image.blend(img, Image.merge("RGB", (grain, grain, grain)), amount)


def save_svg(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


# --------------------------------------------------------------------------- rasters


def landscape(path: Path) -> None:
    w, h = 640, 400
    img = vertical_gradient(
        (w, h),
        [(0.0, (38, 64, 139)), (0.45, (233, 150, 122)), (0.62, (255, 204, 128)), (1.0, (255, 220, 150))],
    )
    # sun with a soft glow
    glow = Image.new("L", (w, h), 0)
    gd = ImageDraw.Draw(glow)
    cx, cy = 430, 215
    gd.ellipse((cx - 90, cy - 90, cx + 90, cy + 90), fill=120)
    glow = glow.filter(ImageFilter.GaussianBlur(40))
    img = Image.composite(Image.new("RGB", (w, h), (255, 236, 170)), img, glow)
    d = ImageDraw.Draw(img)
    d.ellipse((cx - 38, cy - 38, cx + 38, cy + 38), fill=(255, 244, 200))
    # three layers of hills, far to near
    rng = random.Random(1234)
    layers = [
        (250, 28, (96, 130, 120), (70, 105, 95)),
        (290, 34, (66, 128, 70), (44, 98, 50)),
        (335, 26, (38, 98, 42), (24, 70, 30)),
    ]
    for base, amp, top, bottom in layers:
        f1, f2 = rng.uniform(0.006, 0.012), rng.uniform(0.018, 0.03)
        p1, p2 = rng.uniform(0, math.tau), rng.uniform(0, math.tau)
        pts = [(x, base - amp * math.sin(x * f1 + p1) - amp * 0.35 * math.sin(x * f2 + p2)) for x in range(0, w + 8, 8)]
        mask = Image.new("L", (w, h), 0)
        ImageDraw.Draw(mask).polygon(pts + [(w, h), (0, h)], fill=255)
        top_y = int(min(y for _, y in pts))
        fill = vertical_gradient((w, h), [(0.0, top), (top_y / h, top), (1.0, bottom)])
        img = Image.composite(fill, img, mask)
    # a few trees on the nearest hill
    d = ImageDraw.Draw(img)
    for _ in range(9):
        x = rng.randint(20, w - 20)
        y = rng.randint(350, 385)
        s = rng.randint(10, 18)
        d.polygon([(x, y - 2 * s), (x - s // 2, y), (x + s // 2, y)], fill=(18, 52, 22))
    img = add_noise(img, seed=7, amount=0.06).filter(ImageFilter.GaussianBlur(0.5))
    exif = Image.Exif()
    exif[0x010E] = LANDSCAPE_DESCRIPTION  # ImageDescription
    exif[0x0131] = "altbot examples/make_images.py"  # Software
    img.save(path, "JPEG", quality=78, exif=exif)


def team_photo(path: Path) -> None:
    w, h = 480, 320
    img = vertical_gradient((w, h), [(0.0, (214, 206, 190)), (0.68, (196, 186, 168)), (0.69, (120, 90, 64)), (1.0, (92, 66, 44))])
    d = ImageDraw.Draw(img)
    # a window and a plant behind the team
    d.rectangle((30, 30, 150, 150), fill=(186, 214, 236), outline=(245, 245, 240), width=6)
    d.line((90, 30, 90, 150), fill=(245, 245, 240), width=4)
    d.ellipse((400, 110, 460, 190), fill=(60, 120, 60))
    d.rectangle((415, 180, 445, 225), fill=(150, 80, 50))
    rng = random.Random(2024)
    skins = [(241, 194, 160), (198, 134, 100), (141, 85, 54), (224, 172, 140), (170, 110, 80), (236, 188, 150)]
    shirts = [(200, 60, 60), (50, 90, 170), (240, 180, 40), (60, 140, 90), (120, 70, 150), (30, 30, 40)]
    hairs = [(40, 30, 20), (90, 60, 30), (20, 20, 20), (160, 120, 60), (60, 40, 30), (200, 200, 200)]
    n = 6
    for i in range(n):
        x = 60 + i * 72 + rng.randint(-6, 6)
        back = i % 2 == 1
        y = (150 if back else 175) + rng.randint(-5, 5)
        r = 22
        d.rounded_rectangle((x - 34, y + r + 4, x + 34, h + 20), radius=24, fill=shirts[i])
        d.rectangle((x - 8, y + r - 4, x + 8, y + r + 10), fill=skins[i])
        d.ellipse((x - r, y - r, x + r, y + r), fill=skins[i])
        d.chord((x - r - 2, y - r - 4, x + r + 2, y + r), 180, 360, fill=hairs[i])
        d.ellipse((x - 9, y - 2, x - 5, y + 2), fill=(30, 30, 30))
        d.ellipse((x + 5, y - 2, x + 9, y + 2), fill=(30, 30, 30))
        d.arc((x - 8, y + 3, x + 8, y + 13), 20, 160, fill=(110, 40, 40), width=2)
    img = add_noise(img, seed=11, amount=0.07).filter(ImageFilter.GaussianBlur(0.7))
    img.save(path, "JPEG", quality=76)  # no EXIF on purpose


def settings_screenshot(path: Path) -> None:
    w, h = 480, 360
    img = Image.new("RGB", (w, h), (228, 232, 238))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((16, 16, w - 16, h - 16), radius=12, fill=(255, 255, 255), outline=(180, 186, 196), width=2)
    d.rounded_rectangle((16, 16, w - 16, 62), radius=12, fill=(238, 240, 244))
    d.rectangle((16, 48, w - 16, 62), fill=(238, 240, 244))
    d.line((16, 62, w - 16, 62), fill=(200, 204, 212), width=1)
    for i, c in enumerate([(237, 106, 94), (245, 191, 79), (98, 197, 84)]):
        d.ellipse((32 + i * 22, 32, 46 + i * 22, 46), fill=c)
    d.text((w // 2, 39), "Settings", font=font(22, bold=True), fill=(30, 30, 36), anchor="mm")
    body = font(20)
    rows = [("Dark mode", True), ("Notifications", False), ("Auto-save", True)]
    y = 92
    for label, on in rows:
        d.text((44, y), label, font=body, fill=(30, 30, 36), anchor="lm")
        tx = w - 110
        d.rounded_rectangle((tx, y - 13, tx + 52, y + 13), radius=13, fill=(52, 199, 89) if on else (200, 200, 206))
        kx = tx + 39 if on else tx + 13
        d.ellipse((kx - 11, y - 11, kx + 11, y + 11), fill=(255, 255, 255))
        d.line((44, y + 24, w - 44, y + 24), fill=(232, 234, 238))
        y += 48
    d.text((44, y), "Language", font=body, fill=(30, 30, 36), anchor="lm")
    d.rounded_rectangle((w - 190, y - 15, w - 58, y + 15), radius=6, outline=(180, 186, 196), width=2)
    d.text((w - 180, y), "English", font=body, fill=(30, 30, 36), anchor="lm")
    d.polygon([(w - 80, y - 4), (w - 68, y - 4), (w - 74, y + 4)], fill=(90, 90, 100))
    by = h - 50
    d.rounded_rectangle((w - 244, by - 18, w - 150, by + 18), radius=8, outline=(180, 186, 196), width=2, fill=(250, 250, 252))
    d.text((w - 197, by), "Cancel", font=body, fill=(30, 30, 36), anchor="mm")
    d.rounded_rectangle((w - 136, by - 18, w - 44, by + 18), radius=8, fill=(10, 110, 230))
    d.text((w - 90, by), "Save", font=font(20, bold=True), fill=(255, 255, 255), anchor="mm")
    img.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, "PNG", optimize=True)


def sale_banner(path: Path) -> None:
    w, h = 600, 240
    img = vertical_gradient((w, h), [(0.0, (200, 30, 45)), (1.0, (150, 10, 30))])
    d = ImageDraw.Draw(img)
    rng = random.Random(99)
    for _ in range(40):  # confetti
        x, y = rng.randint(0, w), rng.randint(0, h)
        c = rng.choice([(255, 214, 0), (255, 255, 255), (255, 150, 40)])
        d.rectangle((x, y, x + 6, y + 3), fill=c)
    d.rounded_rectangle((40, 30, w - 40, h - 30), radius=16, fill=(255, 214, 0))
    d.text((w // 2, 92), "Grand Opening Sale", font=font(40, bold=True), fill=(160, 10, 30), anchor="mm")
    d.text((w // 2, 150), "30% off everything", font=font(30), fill=(40, 20, 20), anchor="mm")
    d.text((w // 2, 186), "Saturday, 10 am - 6 pm", font=font(20), fill=(40, 20, 20), anchor="mm")
    img.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, "PNG", optimize=True)


def bar_chart() -> Image.Image:
    w, h = 480, 300
    img = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.text((w // 2, 22), "Visitors per quarter (2024)", font=font(20, bold=True), fill=(30, 30, 36), anchor="mm")
    left, right, top, bottom = 70, w - 24, 50, h - 44
    small = font(14)
    vmax = 5000
    for v in range(0, vmax + 1, 1000):
        y = bottom - (bottom - top) * v / vmax
        d.line((left, y, right, y), fill=(225, 228, 234))
        d.text((left - 8, y), f"{v:,}", font=small, fill=(80, 80, 90), anchor="rm")
    d.line((left, top, left, bottom), fill=(60, 60, 70), width=2)
    d.line((left, bottom, right, bottom), fill=(60, 60, 70), width=2)
    data = [("Q1", 1200), ("Q2", 2100), ("Q3", 3300), ("Q4", 4800)]
    colors = [(66, 133, 244), (52, 168, 83), (251, 188, 5), (234, 67, 53)]
    slot = (right - left) / len(data)
    for i, ((label, v), c) in enumerate(zip(data, colors)):
        x0 = left + i * slot + slot * 0.2
        x1 = left + (i + 1) * slot - slot * 0.2
        y = bottom - (bottom - top) * v / vmax
        d.rectangle((x0, y, x1, bottom - 1), fill=c)
        d.text(((x0 + x1) / 2, y - 10), f"{v:,}", font=small, fill=(30, 30, 36), anchor="mm")
        d.text(((x0 + x1) / 2, bottom + 16), label, font=font(16, bold=True), fill=(30, 30, 36), anchor="mm")
    return img


def chart_webp(path: Path) -> None:
    bar_chart().save(path, "WEBP", lossless=True, quality=100, method=6)


def chart_png(path: Path) -> None:
    bar_chart().quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, "PNG", optimize=True)


def divider(path: Path) -> None:
    w, h = 600, 4
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    px = img.load()
    for x in range(w):
        a = round(255 * min(1.0, x / 120, (w - 1 - x) / 120))
        for y in (1, 2):
            px[x, y] = (150, 156, 166, a)
    img.save(path, "PNG", optimize=True)


def spacer(path: Path) -> None:
    img = Image.new("P", (1, 1), 0)
    img.putpalette([0, 0, 0, 255, 255, 255])
    img.save(path, "GIF", transparency=0)


# --------------------------------------------------------------------------- SVG

HOME_SVG = """\
<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
  <path d="M3 10.5 12 3l9 7.5"/>
  <path d="M5 9v11h5v-6h4v6h5V9"/>
</svg>
"""

SEARCH_SVG = """\
<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round">
  <circle cx="10.5" cy="10.5" r="6.5"/>
  <path d="m15.5 15.5 5 5"/>
</svg>
"""

LOGO_SVG = """\
<svg xmlns="http://www.w3.org/2000/svg" width="160" height="40" viewBox="0 0 160 40" role="img" aria-labelledby="logo-title">
  <title id="logo-title">altbot</title>
  <rect x="2" y="4" width="32" height="32" rx="8" fill="#0a6ee6"/>
  <path d="M10 28 18 12l8 16M13 23h10" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/>
  <text x="44" y="28" font-family="DejaVu Sans, Verdana, sans-serif" font-size="22" font-weight="bold" fill="#1e1e24">altbot</text>
</svg>
"""

MENU_SVG = """\
<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round">
  <path d="M4 6h16M4 12h16M4 18h16"/>
</svg>
"""


def generate(out: Path) -> list[Path]:
    """Write every file of ``OUTPUTS`` under ``out``; return their paths."""
    makers = {
        f"{IMAGES}/landscape.jpg": landscape,
        f"{IMAGES}/team-photo_2024.jpg": team_photo,
        f"{IMAGES}/IMG_1234.png": settings_screenshot,
        f"{IMAGES}/chart.webp": chart_webp,
        f"{IMAGES}/chart.png": chart_png,
        f"{IMAGES}/divider.png": divider,
        f"{IMAGES}/spacer.gif": spacer,
        f"{IMAGES}/home.svg": lambda p: save_svg(p, HOME_SVG),
        f"{IMAGES}/search.svg": lambda p: save_svg(p, SEARCH_SVG),
        f"{IMAGES}/logo.svg": lambda p: save_svg(p, LOGO_SVG),
        "static/svg/menu.svg": lambda p: save_svg(p, MENU_SVG),
        "content/en/blog/grand-opening/sale-banner.png": sale_banner,
    }
    assert makers.keys() == OUTPUTS.keys()
    written = []
    for rel, make in makers.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        make(path)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory (default: examples/site)")
    args = ap.parse_args(argv)
    total = 0
    for path in generate(args.out):
        size = path.stat().st_size
        total += size
        print(f"{size:>8}  {path.relative_to(args.out)}")
    print(f"{total:>8}  total")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
