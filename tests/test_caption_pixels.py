from __future__ import annotations

import gzip
import io
import struct
import zlib

import pytest
from PIL import Image

from altbot.caption.pixels import (
    SVG_NO_RASTERIZER,
    ImageDecodeError,
    avif_supported,
    is_photo_format,
    is_svg,
    open_image,
    sniff_format,
)


def encode(im: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format=fmt, **kw)
    return buf.getvalue()


def red(size=(40, 20), mode="RGB"):
    return Image.new(mode, size, (255, 0, 0) if mode == "RGB" else (255, 0, 0, 255))


FORMATS = [
    pytest.param("JPEG", {}, id="jpeg"),
    pytest.param("PNG", {}, id="png"),
    pytest.param("GIF", {}, id="gif"),
    pytest.param("WEBP", {"lossless": True}, id="webp"),
    pytest.param("BMP", {}, id="bmp"),
    pytest.param("TIFF", {}, id="tiff"),
    pytest.param("ICO", {"sizes": [(32, 32)]}, id="ico"),
    pytest.param(
        "AVIF", {}, id="avif", marks=pytest.mark.skipif(not avif_supported(), reason="Pillow built without AVIF")
    ),
]


@pytest.mark.parametrize("fmt,kw", FORMATS)
def test_each_format_decodes_to_rgb(fmt, kw):
    size = (32, 32) if fmt == "ICO" else (40, 20)
    data = encode(red(size), fmt, **kw)
    assert sniff_format(data) == fmt
    im = open_image(data)
    assert im.mode == "RGB"
    assert im.size == size
    r, g, b = im.getpixel((size[0] // 2, size[1] // 2))
    assert r > 200 and g < 60 and b < 60


def test_downscale_long_side():
    im = open_image(encode(red((3000, 1000)), "PNG"), max_side=300)
    assert im.size == (300, 100)
    jpeg = open_image(encode(red((2000, 1500)), "JPEG"), max_side=256)
    assert max(jpeg.size) == 256 and jpeg.size[0] > jpeg.size[1]


def test_exif_orientation_applied():
    src = Image.new("RGB", (60, 30), (0, 0, 255))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise on display
    data = encode(src, "JPEG", exif=exif.tobytes())
    im = open_image(data)
    assert im.size == (30, 60)


def test_animated_gif_first_frame():
    frames = [Image.new("RGB", (20, 20), c) for c in ((0, 255, 0), (255, 0, 0), (0, 0, 255))]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    im = open_image(buf.getvalue())
    r, g, b = im.getpixel((10, 10))
    assert g > 200 and r < 60


def test_transparency_flattened_on_white():
    im = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    im.putpixel((0, 0), (0, 0, 0, 255))
    out = open_image(encode(im, "PNG"))
    assert out.mode == "RGB"
    assert out.getpixel((5, 5)) == (255, 255, 255)
    assert out.getpixel((0, 0)) == (0, 0, 0)
    pal = Image.new("P", (10, 10), 0)
    pal.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    out = open_image(encode(pal, "PNG", transparency=0))
    assert out.getpixel((1, 1)) == (255, 255, 255)


def test_sixteen_bit_grey_png():
    im = Image.new("I;16", (8, 8), 65535)
    out = open_image(encode(im, "PNG"))
    assert out.getpixel((0, 0)) == (255, 255, 255)


def test_cmyk_jpeg():
    out = open_image(encode(Image.new("CMYK", (8, 8), (0, 0, 0, 0)), "JPEG"))
    assert out.mode == "RGB"


def _png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")


def test_bomb_header_claiming_huge_size():
    with pytest.raises(ImageDecodeError) as err:
        open_image(_png_claiming(100_000, 100_000))
    assert "decompression bomb" in err.value.reason


def test_bomb_via_lowered_limit(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    data = encode(red((40, 30)), "PNG")  # 1200 px: over the warning limit, under 2× (error) limit
    with pytest.raises(ImageDecodeError) as err:
        open_image(data)
    assert "decompression bomb" in err.value.reason and "1000" in err.value.reason


def test_truncated_file():
    data = encode(Image.effect_noise((200, 200), 50).convert("RGB"), "JPEG")
    with pytest.raises(ImageDecodeError) as err:
        open_image(data[: len(data) // 2])
    assert "truncated" in err.value.reason
    png = encode(Image.effect_noise((200, 200), 50), "PNG")
    with pytest.raises(ImageDecodeError) as err:
        open_image(png[: len(png) // 2])
    assert "truncated" in err.value.reason or "corrupt" in err.value.reason


@pytest.mark.parametrize(
    "data,needle",
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b"hello world, not an image", "not a supported image", id="text"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "", id="bad-png"),
    ],
)
def test_garbage_gives_a_reason(data, needle):
    with pytest.raises(ImageDecodeError) as err:
        open_image(data)
    assert needle in err.value.reason


def test_unlisted_format_is_refused():
    data = encode(red(), "PCX")
    with pytest.raises(ImageDecodeError) as err:
        open_image(data)
    assert "not a supported image" in err.value.reason


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>Logo</title></svg>'


@pytest.mark.parametrize(
    "data,expected",
    [
        pytest.param(SVG, True, id="plain"),
        pytest.param(b'<?xml version="1.0"?>\n<!-- made by hand -->\n' + SVG, True, id="prolog"),
        pytest.param(b'\xef\xbb\xbf<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">' + SVG, True, id="doctype"),
        pytest.param(gzip.compress(SVG), True, id="svgz"),
        pytest.param(b"<html><body><svg></svg></body></html>", False, id="html-with-svg"),
        pytest.param(b"\x89PNG\r\n\x1a\n", False, id="png"),
        pytest.param(b"", False, id="empty"),
    ],
)
def test_is_svg(data, expected):
    assert is_svg(data) is expected


def test_svg_without_rasterizer(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_cairo(name, *a, **k):
        if name == "cairosvg":
            raise ImportError(name)
        return real_import(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_cairo)
    with pytest.raises(ImageDecodeError) as err:
        open_image(SVG)
    assert err.value.reason == SVG_NO_RASTERIZER


def test_photo_format():
    assert is_photo_format(encode(red(), "JPEG"))
    assert not is_photo_format(encode(red(), "PNG"))
