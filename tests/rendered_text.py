"""Text rendered with real fonts for the OCR tests (DejaVu for accents, Greek and Cyrillic; an
installed Japanese font for Japanese: Pillow's default font has none of these)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from functools import lru_cache

import pytest
from PIL import Image, ImageDraw, ImageFont


@lru_cache(maxsize=None)
def font_file(pattern: str) -> str | None:
    """The file fontconfig picks for ``pattern`` when it really has it (family or language)."""
    if shutil.which("fc-list") is None:
        return None
    if pattern.startswith(":lang="):
        out = subprocess.run(["fc-list", pattern, "file"], capture_output=True, text=True).stdout
        files = sorted(line.split(":")[0].strip() for line in out.splitlines() if line.strip())
        return files[0] if files else None
    out = subprocess.run(["fc-match", "-f", "%{family}\t%{file}", pattern], capture_output=True, text=True).stdout
    family, _, path = out.partition("\t")
    want = pattern.split(":")[0]
    return path if want.casefold() in family.casefold() and os.path.isfile(path) else None


def need_font(pattern: str, package: str) -> str:
    path = font_file(pattern)
    if path is None:
        missing(f"no {pattern} font (apt-get install {package})")
    return path  # type: ignore[return-value]


def missing(why: str) -> None:
    """Skip locally; fail in CI, which installs everything these tests read (.ci/run)."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must have this: {why}")
    pytest.skip(why)


def render(lines: list[str], font_path: str, size: int = 36, bg=(255, 255, 255), fg=(0, 0, 0), pad: int | None = None) -> Image.Image:
    font = ImageFont.truetype(font_path, size)
    pad = size if pad is None else pad
    step = int(size * 1.6)
    width = max(int(font.getlength(line)) for line in lines) + 2 * pad
    im = Image.new("RGB", (width, len(lines) * step + pad), bg)
    d = ImageDraw.Draw(im)
    for i, line in enumerate(lines):
        d.text((pad, pad // 2 + i * step), line, font=font, fill=fg)
    return im


def png(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()
