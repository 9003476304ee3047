"""Offline captioner: metadata → OCR → EfficientNet-Lite0 label, on images drawn with Pillow."""

from __future__ import annotations

import glob
import io
import json
import math
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from altbot.caption.base import CaptionRequest
from altbot.images import ImageData, content_key

from altbot.caption.offline import MODEL


def test_import_does_not_load_torch_or_onnxruntime():
    code = (
        "import sys, json\n"
        "import altbot.caption.offline, altbot.caption.classifier, altbot.caption.ocr, altbot.caption.metadata\n"
        "print(json.dumps([m for m in ('torch', 'onnxruntime', 'cv2', 'rapidocr') if m in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def font(size: int):
    for pattern in ("/usr/share/fonts/**/DejaVuSans-Bold.ttf", "/usr/share/fonts/**/*.ttf"):
        found = sorted(glob.glob(pattern, recursive=True))
        if found:
            return ImageFont.truetype(found[0], size)
    return ImageFont.load_default(size=size)


def encode(im: Image.Image, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt)
    return buf.getvalue()


def req(data: bytes, name: str = "x.png", lang: str | None = None) -> CaptionRequest:
    return CaptionRequest(ImageData(content_key(data), data, name, None, name), lang=lang)


def sign() -> Image.Image:
    im = Image.new("RGB", (600, 200), (250, 240, 200))
    ImageDraw.Draw(im).text((20, 70), "GRAND OPENING SALE", font=font(44), fill=(180, 0, 0))
    return im


def page() -> Image.Image:
    im = Image.new("RGB", (640, 420), "white")
    d = ImageDraw.Draw(im)
    lines = [
        "Release notes for version two",
        "Faster startup on large projects",
        "Fixed a crash when saving files",
        "Thanks to all our contributors",
    ]
    for i, line in enumerate(lines):
        d.text((30, 30 + i * 95), line, font=font(30), fill="black")
    return im


def clock() -> Image.Image:
    im = Image.new("RGB", (300, 300), (235, 235, 230))
    d = ImageDraw.Draw(im)
    d.ellipse((20, 20, 280, 280), fill="white", outline="black", width=10)
    for i in range(12):
        a = i * math.pi / 6
        d.line((150 + 110 * math.sin(a), 150 - 110 * math.cos(a), 150 + 125 * math.sin(a), 150 - 125 * math.cos(a)), fill="black", width=6)
    d.line((150, 150, 150 + 70 * math.sin(1), 150 - 70 * math.cos(1)), fill="black", width=9)
    d.line((150, 150, 150 + 105 * math.sin(4), 150 - 105 * math.cos(4)), fill="black", width=5)
    return im


@pytest.fixture(scope="module")
def offline():
    from altbot.caption import offline as mod

    return mod.OfflineCaptioner(threads=2)


@pytest.fixture(scope="module")
def ocr_engine(offline):
    return offline._ocr


def test_ocr_reads_drawn_text_in_reading_order(ocr_engine):
    r = ocr_engine.read_text(sign())
    assert r.text == "GRAND OPENING SALE"
    assert r.confidence > 0.8 and len(r.boxes) == 1
    assert 0.05 < r.coverage < 0.4
    # two columns on one row, then a second row: top-to-bottom, left-to-right
    im = Image.new("RGB", (700, 260), "white")
    d = ImageDraw.Draw(im)
    d.text((380, 40), "RIGHT", font=font(48), fill="black")
    d.text((20, 40), "LEFT", font=font(48), fill="black")
    d.text((20, 160), "BOTTOM", font=font(48), fill="black")
    assert ocr_engine.read_text(im).text == "LEFT RIGHT BOTTOM"
    assert ocr_engine.read_text(Image.new("RGB", (200, 100), "navy")).text == ""
    assert r.engine == "rapidocr"


def test_classifier_strict_load_and_confident_label(offline):
    from altbot.caption.classifier import CONFIDENCE_THRESHOLD, imagenet_labels

    clf = offline._classifier
    labels = imagenet_labels()
    assert (len(labels), labels[0], labels[281], labels[409], labels[999]) == (
        1000, "tench", "tabby cat", "analog clock", "toilet paper"
    )
    label, p = clf.classify(clock())
    assert label == "analog clock" and p >= CONFIDENCE_THRESHOLD
    label, p = clf.classify(Image.linear_gradient("L").convert("RGB"))
    assert p < CONFIDENCE_THRESHOLD


def test_metadata_comes_first(offline):
    from altbot.caption.metadata import NS_IPTC

    packet = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description xmlns:Iptc4xmpCore="{NS_IPTC}"><Iptc4xmpCore:AltTextAccessibility><rdf:Alt>'
        '<rdf:li xml:lang="en">A shop window with a sale banner</rdf:li></rdf:Alt>'
        "</Iptc4xmpCore:AltTextAccessibility></rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()
    data = encode(sign(), "JPEG")
    payload = b"http://ns.adobe.com/xap/1.0/\x00" + packet
    data = data[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + data[2:]
    c = offline.caption([req(data, "x.jpg")])[0]
    assert (c.text, c.lang, c.confidence, c.backend, c.model, c.low_confidence) == (
        "A shop window with a sale banner", "en", 0.9, "offline", MODEL, True
    )


def test_sign_text_and_mostly_text_and_label(offline):
    s, p, k = offline.caption([req(encode(sign())), req(encode(page())), req(encode(clock()))])
    assert s.text == 'Sign reading "GRAND OPENING SALE"'
    assert (s.ocr_text, s.lang, s.backend, s.model) == ("GRAND OPENING SALE", "en", "offline", MODEL)
    assert p.text == p.ocr_text and p.lang is None
    for word in ("Release", "startup", "crash", "contributors"):
        assert word in p.text
    assert "mostly text" in p.reason
    assert (k.text, k.lang, k.ocr_text) == ("Analog clock", "en", None)
    assert k.confidence >= 0.7


def test_nothing_usable_gives_reasons(offline, monkeypatch):
    from altbot.caption import offline as mod

    flat, tiny, junk, svg_plain, svg_titled = offline.caption(
        [
            req(encode(Image.new("RGB", (320, 200), (20, 120, 90)))),
            req(encode(Image.new("RGB", (1, 1), "white")), "spacer.gif"),
            req(b"GIF89a this is not really an image", "broken.gif"),
            req(b'<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h4v4z"/></svg>', "i.svg"),
            req(b'<svg xmlns="http://www.w3.org/2000/svg" lang="de"><title>Suche</title></svg>', "s.svg"),
        ]
    )
    assert flat.text is None and flat.decorative and flat.reason == "the image is a single flat colour"
    assert tiny.text is None and tiny.decorative
    assert junk.text is None and junk.reason.startswith("cannot decode the image")
    assert svg_plain.text is None and "SVG" in svg_plain.reason
    assert (svg_titled.text, svg_titled.lang) == ("Suche", "de")
    noise = Image.effect_noise((256, 192), 40).convert("RGB")
    (c,) = offline.caption([req(encode(noise))])
    assert c.text is None and c.reason.startswith("no metadata, no readable text and no confident object label")
    monkeypatch.setattr(mod, "MAX_PIXELS", 1000)
    (big,) = offline.caption([req(encode(clock()))])
    assert big.text is None and "too large" in big.reason


def test_exif_orientation_is_applied(offline):
    # the sign drawn sideways, with an EXIF tag saying "rotate 90° CW to display"
    rotated = sign().transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    rotated.save(buf, "JPEG", exif=exif.tobytes(), quality=95)
    from altbot.caption.offline import decode_image

    assert rotated.size == (200, 600) and decode_image(buf.getvalue()).size == (600, 200)  # shown upright
    (c,) = offline.caption([req(buf.getvalue(), "x.jpg")])
    # read the right way up (a sideways sign reads as nothing), spaces and all
    assert c.ocr_text == "GRAND OPENING SALE"

