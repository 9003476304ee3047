"""Metadata captioner: real files written with Pillow, XMP packets embedded by hand."""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image, PngImagePlugin

from altbot.caption.base import CaptionRequest, get_captioner
from altbot.caption.metadata import best_description, clean, parse_xml, read_metadata, UnsafeXML
from altbot.images import ImageData, content_key


def xmp(body: str) -> str:
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/">'
        f"{body}</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    )


def alt(prop: str, **langs: str) -> str:
    lis = "".join(f'<rdf:li xml:lang="{k.replace("_", "-")}">{v}</rdf:li>' for k, v in langs.items())
    return f"<{prop}><rdf:Alt>{lis}</rdf:Alt></{prop}>"


IPTC_ALT = "Iptc4xmpCore:AltTextAccessibility"
IPTC_EXT = "Iptc4xmpCore:ExtDescrAccessibility"


def jpeg(exif: Image.Exif | None = None, xmp_packet: str | None = None) -> bytes:
    buf = io.BytesIO()
    im = Image.new("RGB", (16, 12), (200, 30, 30))
    im.save(buf, "JPEG", exif=exif.tobytes() if exif is not None else b"")
    data = buf.getvalue()
    if xmp_packet is not None:
        payload = b"http://ns.adobe.com/xap/1.0/\x00" + xmp_packet.encode("utf-8")
        seg = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
        data = data[:2] + seg + data[2:]
    return data


def png(info: PngImagePlugin.PngInfo | None = None) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (16, 12), (0, 90, 200)).save(buf, "PNG", pnginfo=info)
    return buf.getvalue()


def run(data: bytes, lang: str | None = None, name: str = "x.jpg"):
    cap = get_captioner("metadata")
    req = CaptionRequest(ImageData(content_key(data), data, name, None, name), lang=lang)
    return cap.caption([req])[0]


def test_iptc_alt_text_in_jpeg_app1_wins_and_picks_language():
    packet = xmp(
        alt(IPTC_ALT, x_default="Two kayaks on a calm lake", fr="Deux kayaks sur un lac calme")
        + alt("dc:description", x_default="Holiday 2023")
    )
    data = jpeg(xmp_packet=packet)
    meta = read_metadata(data)
    assert meta["format"] == "jpeg"
    assert meta["alt_text"] == {"x-default": "Two kayaks on a calm lake", "fr": "Deux kayaks sur un lac calme"}
    c = run(data, lang="fr-FR")
    assert (c.text, c.lang, c.confidence, c.backend, c.low_confidence) == (
        "Deux kayaks sur un lac calme", "fr", 0.9, "metadata", True
    )
    c = run(data, lang="de")
    assert c.text == "Two kayaks on a calm lake" and c.lang is None  # x-default: language unknown


def test_x_default_takes_the_tag_of_the_language_it_repeats():
    packet = xmp(alt(IPTC_ALT, x_default="A red bicycle", en_GB="A red bicycle"))
    c = run(jpeg(xmp_packet=packet))
    assert (c.text, c.lang) == ("A red bicycle", "en-GB")


def test_extended_description_then_dc_description_then_title():
    ext = xmp(alt(IPTC_EXT, x_default="Line chart of sales, rising from 2 to 9 million") + alt("dc:title", en="Sales"))
    assert run(jpeg(xmp_packet=ext)).text == "Line chart of sales, rising from 2 to 9 million"
    assert run(jpeg(xmp_packet=ext)).confidence == 0.7
    desc = xmp(alt("dc:description", de="Ein Hund im Schnee") + alt("dc:title", de="Winter"))
    c = run(jpeg(xmp_packet=desc))
    assert (c.text, c.lang, c.confidence) == ("Ein Hund im Schnee", "de", 0.6)
    title = xmp(alt("dc:title", en="Lighthouse at dusk"))
    c = run(jpeg(xmp_packet=title))
    assert (c.text, c.lang, c.confidence) == ("Lighthouse at dusk", "en", 0.4)


def test_xmp_beats_exif_and_exif_is_used_alone():
    exif = Image.Exif()
    exif[0x010E] = "A cyclist crossing a bridge"
    assert run(jpeg(exif)).text == "A cyclist crossing a bridge"
    assert run(jpeg(exif)).lang is None
    packet = xmp(alt("dc:description", x_default="From XMP"))
    assert run(jpeg(exif, packet)).text == "From XMP"


@pytest.mark.parametrize("junk", ["OLYMPUS DIGITAL CAMERA", "SONY DSC", "   ", "IMG_1234", "KODAK Digital Still Camera"])
def test_camera_boilerplate_is_not_a_description(junk):
    exif = Image.Exif()
    exif[0x010E] = junk
    exif[0x010F] = "OLYMPUS"
    c = run(jpeg(exif))
    assert c.text is None
    assert c.reason == "no description in the file's metadata"


def test_png_text_chunks_and_itxt_xmp():
    info = PngImagePlugin.PngInfo()
    info.add_text("Title", "Quarterly chart")
    info.add_text("Description", "Bar chart: revenue per quarter, Q4 highest")
    c = run(png(info), name="c.png")
    assert (c.text, c.confidence) == ("Bar chart: revenue per quarter, Q4 highest", 0.5)
    info = PngImagePlugin.PngInfo()
    info.add_itxt("Title", "Logo de l’association", lang="fr")
    c = run(png(info), name="c.png")
    assert (c.text, c.lang) == ("Logo de l’association", "fr")
    info = PngImagePlugin.PngInfo()
    info.add_text("Description", "ignored: XMP alt text wins")
    info.add_itxt("XML:com.adobe.xmp", xmp(alt(IPTC_ALT, x_default="Company logo: a blue wave")))
    assert run(png(info), name="c.png").text == "Company logo: a blue wave"


def test_webp_xmp_chunk_and_scan_fallback():
    buf = io.BytesIO()
    Image.new("RGB", (16, 12), "green").save(buf, "WEBP", xmp=xmp(alt(IPTC_ALT, x_default="A green field")).encode())
    data = buf.getvalue()
    assert b"XMP " in data
    assert run(data, name="f.webp").text == "A green field"
    # GIF has no XMP chunk walker: the packet is found by scanning
    buf = io.BytesIO()
    Image.new("P", (4, 4)).save(buf, "GIF", comment=xmp(alt("dc:description", x_default="Animated spinner")).encode())
    assert run(buf.getvalue(), name="s.gif").text == "Animated spinner"


SVG = """<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xml:lang="es" viewBox="0 0 10 10">
  <title>Icono de casa</title>
  <desc>Una casa con tejado rojo</desc>
  <g><title>inner group title</title></g>
</svg>"""


def test_svg_title_and_desc():
    data = SVG.encode()
    meta = read_metadata(data)
    assert meta["svg_title"] == {"es": "Icono de casa"}
    assert meta["svg_desc"] == {"es": "Una casa con tejado rojo"}
    c = run(data, name="home.svg")
    assert (c.text, c.lang, c.confidence) == ("Icono de casa", "es", 0.7)
    only_desc = b'<svg xmlns="http://www.w3.org/2000/svg"><desc>A magnifying glass</desc></svg>'
    assert run(only_desc, name="s.svg").text == "A magnifying glass"


def test_svg_with_entities_is_refused_not_expanded():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><title>&b;</title></svg>'
    ).encode()
    c = run(bomb, name="bomb.svg")
    assert c.text is None
    assert "DOCTYPE" in c.reason
    with pytest.raises(UnsafeXML):
        parse_xml('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>')


def test_files_without_metadata_and_garbage():
    assert run(png(), name="p.png").text is None
    assert run(jpeg(), name="p.jpg").reason == "no description in the file's metadata"
    c = run(b"\x00\x01 not an image", name="x.bin")
    assert c.text is None and c.backend == "metadata"
    broken = jpeg(xmp_packet="<x:xmpmeta><unclosed></x:xmpmeta>")
    c = run(broken)
    assert c.text is None and "XMP not parsed" in c.reason


def test_best_description_and_clean_helpers():
    assert best_description({"title": {None: "  Sunset  over\n the sea "}}).text == "Sunset over the sea"
    assert best_description({"description": {"x-default": "SONY DSC"}}) is None
    assert clean("Apple pie on a table") == "Apple pie on a table"
    assert clean("Apple iPhone 12") is None
