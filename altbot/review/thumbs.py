"""Thumbnails for the review page: image bytes → a small JPEG or PNG, cached in memory.

Raster images are decoded by the caption stage's safe loader (a fixed list of
decoders, the decompression-bomb guard, EXIF orientation) and downscaled on the
server, so the browser never receives a camera's 20 MB original. SVG is served
as it is, under a Content-Security-Policy that lets nothing in it run or load.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from dataclasses import dataclass

SIZES = (320, 1280)  # the card's thumbnail, and "larger"
CACHE_BYTES = 64 * 1024 * 1024
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@dataclass(frozen=True)
class Thumb:
    body: bytes
    media_type: str
    encoding: str | None = None  # "gzip" for .svgz
    policy: str | None = None  # a Content-Security-Policy of its own (SVG)


class ThumbError(Exception):
    """No thumbnail for this image; the message says why (shown on the page)."""


def make_thumb(data: bytes, size: int) -> Thumb:
    """``data`` downscaled so its long side is at most ``size`` (SVG: as it is)."""
    from altbot.caption.pixels import ImageDecodeError, is_photo_format, is_svg, open_image

    if is_svg(data):
        if data[:2] == b"\x1f\x8b":
            return Thumb(data, "image/svg+xml", "gzip", SVG_POLICY)
        return Thumb(data, "image/svg+xml", None, SVG_POLICY)
    try:
        im = open_image(data, max_side=size)
    except ImageDecodeError as exc:
        raise ThumbError(exc.reason) from None
    out = io.BytesIO()
    if is_photo_format(data):
        im.save(out, "JPEG", quality=82, optimize=True)
        return Thumb(out.getvalue(), "image/jpeg")
    im.save(out, "PNG", optimize=True)
    return Thumb(out.getvalue(), "image/png")


class ThumbCache:
    """Thumbnails by (image content hash, size), least recently used dropped past ``limit`` bytes."""

    def __init__(self, limit: int = CACHE_BYTES) -> None:
        self.limit = limit
        self._items: OrderedDict[tuple[str, int], Thumb | ThumbError] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.made = 0  # thumbnails computed (not served from the cache): for tests

    def get(self, key: str, size: int) -> Thumb | ThumbError | None:
        with self._lock:
            hit = self._items.get((key, size))
            if hit is not None:
                self._items.move_to_end((key, size))
            return hit

    def make(self, key: str, data: bytes, size: int) -> Thumb | ThumbError:
        hit = self.get(key, size)
        if hit is not None:
            return hit
        try:
            thumb: Thumb | ThumbError = make_thumb(data, size)
        except ThumbError as exc:
            thumb = exc
        with self._lock:
            self.made += 1
            if (key, size) not in self._items:
                self._items[(key, size)] = thumb
                self._bytes += _size(thumb)
            while self._bytes > self.limit and len(self._items) > 1:
                _, old = self._items.popitem(last=False)
                self._bytes -= _size(old)
        return thumb


def _size(t: Thumb | ThumbError) -> int:
    return len(t.body) if isinstance(t, Thumb) else 64

