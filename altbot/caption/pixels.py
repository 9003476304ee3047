"""Safe image decoding for caption backends: bytes → a small RGB ``PIL.Image``.

* Only a fixed list of decoders is ever tried (JPEG, PNG, GIF, WebP, AVIF when this
  Pillow has it, BMP, TIFF, ICO, MPO): less attack surface than "whatever Pillow knows".
* Decompression bombs: ``Image.MAX_IMAGE_PIXELS`` is honoured and its *warning*
  level is treated as an error too, with a clear reason.
* EXIF orientation is applied, transparency is flattened on white, the result is
  RGB with its long side at most ``max_side``.
* SVG is not rasterised unless cairosvg is importable (altbot does not depend on one).

Every failure is an ``ImageDecodeError`` whose ``reason`` is shown to the user.
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib

SVG_NO_RASTERIZER = "SVG: no rasterizer installed; described from <title>/<desc> only"

_BASE_FORMATS = ("JPEG", "MPO", "PNG", "GIF", "WEBP", "BMP", "TIFF", "ICO")
_PHOTO_FORMATS = {"JPEG", "MPO", "WEBP", "AVIF", "TIFF"}


class ImageDecodeError(Exception):
    """The bytes cannot be turned into pixels; ``reason`` says why (shown as is)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _svg_head(data: bytes) -> bytes:
    head = data[:4096]
    if head[:2] == b"\x1f\x8b":  # svgz: look at the first few KiB of the gzip stream only
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:4096], 4096)
        except zlib.error:
            return b""
    return head


def is_svg(data: bytes) -> bool:
    """True for SVG (or gzipped SVG) markup: an ``<svg`` root after the XML prolog."""
    head = _svg_head(data)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    head = head.lstrip()
    if not head.startswith(b"<"):
        return False
    low = head.lower()
    i = low.find(b"<svg")
    if i < 0:
        return False
    # everything before <svg must be prolog: <?xml ...?>, <!DOCTYPE ...>, comments, whitespace
    before = low[:i]
    stripped = before
    for opener, closer in ((b"<?", b"?>"), (b"<!--", b"-->"), (b"<!doctype", b">")):
        while opener in stripped:
            a = stripped.find(opener)
            start = a + len(opener)
            if opener == b"<!doctype":
                # an internal subset [ ... ] may hold '>' (entity declarations): skip past it
                bracket, gt = stripped.find(b"[", start), stripped.find(b">", start)
                if bracket >= 0 and (gt < 0 or bracket < gt):
                    end_subset = stripped.find(b"]", bracket)
                    if end_subset < 0:
                        return False
                    start = end_subset
            b = stripped.find(closer, start)
            if b < 0:
                return False
            stripped = stripped[:a] + stripped[b + len(closer) :]
    return not stripped.strip()


def avif_supported() -> bool:
    try:
        from PIL import features

        return bool(features.check("avif"))
    except Exception:  # an old Pillow without the feature name
        return False


def sniff_format(data: bytes) -> str | None:
    """Cheap magic-byte sniffing: "JPEG", "PNG", "GIF", "WEBP", "AVIF", "HEIF", "BMP", "TIFF", "ICO", "SVG" or None.

    The one sniffer altbot has: the decorative check, the pixel loader and the
    metadata reader all ask it (SVG by the same prolog rule everywhere)."""
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp" and data[8:12] in (b"avif", b"avis"):
        return "AVIF"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1"):
        return "HEIF"
    if data[:2] == b"BM":
        return "BMP"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if data[:4] == b"\x00\x00\x01\x00":
        return "ICO"
    if is_svg(data):
        return "SVG"
    return None


def is_photo_format(data: bytes) -> bool:
    """Whether lossy re-encoding (JPEG) suits this image; graphics (PNG, GIF ...) are better kept lossless."""
    return sniff_format(data) in _PHOTO_FORMATS


def _rasterize_svg(data: bytes, max_side: int) -> bytes:
    try:
        import cairosvg  # type: ignore[import-not-found]
    except Exception:
        raise ImageDecodeError(SVG_NO_RASTERIZER) from None
    try:
        return cairosvg.svg2png(bytestring=data, output_width=max_side)
    except Exception as exc:  # noqa: BLE001 - any rasterizer failure is a reason
        raise ImageDecodeError(f"SVG: cannot rasterize ({exc})") from None


def _to_rgb(im):
    from PIL import Image

    if im.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    elif im.mode == "F":
        im = im.convert("L")
    if im.mode == "P":
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
    elif im.mode in ("LA", "PA", "La"):
        im = im.convert("RGBA")
    elif im.mode == "RGBa":
        im = im.convert("RGBA")
    elif im.mode in ("L", "1") and "transparency" in im.info:
        im = im.convert("RGBA")
    elif im.mode == "RGB" and "transparency" in im.info:
        im = im.convert("RGBA")
    if im.mode == "RGBA":
        background = Image.new("RGB", im.size, (255, 255, 255))
        background.paste(im, mask=im.getchannel("A"))
        return background
    if im.mode != "RGB":
        im = im.convert("RGB")
    return im


def open_image(data: bytes, *, max_side: int = 768):
    """Decode ``data`` into an RGB image whose long side is ≤ ``max_side``.

    Raises ``ImageDecodeError(reason)`` for anything that cannot or must not be decoded.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    if max_side < 1:
        raise ValueError("max_side must be positive")
    if not data:
        raise ImageDecodeError("empty image file")
    if is_svg(data):
        data = _rasterize_svg(data, max_side)
    Image.init()  # register every plugin so the format list below can be checked
    formats = [f for f in _BASE_FORMATS if f in Image.OPEN]
    if avif_supported() and "AVIF" in Image.OPEN:
        formats.append("AVIF")
    elif sniff_format(data) == "AVIF":
        raise ImageDecodeError("AVIF: this Pillow build cannot decode AVIF (upgrade Pillow to 11.2+)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data), formats=formats)
            fmt = im.format
            if getattr(im, "n_frames", 1) > 1:
                im.seek(0)  # animated GIF/WebP/APNG: the first frame
            if fmt in ("JPEG", "MPO"):
                # let libjpeg decode at reduced scale: much less memory for camera photos
                im.draft("RGB", (max_side, max_side))
            im.load()
            try:
                im = ImageOps.exif_transpose(im) or im
            except Exception:  # noqa: BLE001 - broken EXIF: keep the pixels as stored
                pass
            im = _to_rgb(im)
            if max(im.size) > max_side:
                im.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=3.0)
            return im
    except ImageDecodeError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        limit = Image.MAX_IMAGE_PIXELS
        raise ImageDecodeError(
            f"image too large to decode safely (decompression bomb guard, limit {limit} pixels): {exc}"
        ) from None
    except UnidentifiedImageError:
        names = ", ".join(f for f in formats if f != "MPO")
        raise ImageDecodeError(f"not a supported image (supported: {names}, SVG)") from None
    except MemoryError:
        raise ImageDecodeError("image too large to decode (out of memory)") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, struct.error) as exc:
        msg = str(exc) or type(exc).__name__
        if "truncated" in msg.lower() or isinstance(exc, EOFError):
            raise ImageDecodeError(f"truncated image file ({msg})") from None
        raise ImageDecodeError(f"corrupt image file ({msg})") from None
    except Exception as exc:  # noqa: BLE001 - a decoder bug must not stop the run
        raise ImageDecodeError(f"cannot decode image ({type(exc).__name__}: {exc})") from None
