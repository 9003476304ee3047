"""Descriptions the author already wrote into the image file.

Priority (first found wins):

1. IPTC Photo Metadata "Alt Text (Accessibility)" — XMP ``Iptc4xmpCore:AltTextAccessibility``
2. IPTC "Extended Description" — XMP ``Iptc4xmpCore:ExtDescrAccessibility``
3. XMP ``dc:description``, then ``dc:title``
4. EXIF ``ImageDescription`` (0x010E), camera boilerplate ignored
5. PNG ``tEXt``/``zTXt``/``iTXt`` ``Description``, then ``Title``
6. SVG ``<title>``, then ``<desc>`` (priority 0 for SVG files: they have nothing else)

XMP packets are found in JPEG APP1, PNG ``iTXt XML:com.adobe.xmp``, the WebP
``XMP `` chunk, or by scanning for ``<x:xmpmeta`` … ``</x:xmpmeta>`` (GIF,
TIFF, AVIF/HEIF …). XML is parsed with ``xml.etree.ElementTree`` after
refusing any DOCTYPE/ENTITY declaration (no entity expansion, no external
resources). Pure standard library plus Pillow (for EXIF) — no heavy imports.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from altbot.caption.base import CaptionRequest, register
from altbot.outcome import Caption
from altbot.tags import primary

NS_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS_DC = "http://purl.org/dc/elements/1.1/"
NS_IPTC = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
NS_SVG = "http://www.w3.org/2000/svg"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

MAX_XML_BYTES = 4 * 1024 * 1024
MAX_TEXT_CHUNK = 1024 * 1024

# (metadata key, confidence, human name of the source)
SOURCES = (
    ("alt_text", 0.9, "IPTC alt text (accessibility)"),
    ("ext_description", 0.7, "IPTC extended description (accessibility)"),
    ("svg_title", 0.7, "SVG <title>"),
    ("svg_desc", 0.6, "SVG <desc>"),
    ("description", 0.6, "XMP dc:description"),
    ("exif_description", 0.5, "EXIF ImageDescription"),
    ("png_description", 0.5, "PNG Description text chunk"),
    ("title", 0.4, "XMP dc:title"),
    ("png_title", 0.4, "PNG Title text chunk"),
)

# Text cameras, phones and editors write by default: not a description.
_JUNK = re.compile(
    r"""^(?:
        .*digital\s+(?:still\s+)?camera.* | .*\bdsc\b.* | .*\bdcim\b.* | (?:\w+\s+)?camera\s+pictures?
      | image | picture | photo | untitled(?:\s+\d+)? | default | none | null | n/?a | description | title | no\s+description
      | (?:created|made|edited|processed)\s+(?:with|by|in)\s+.* | generated\s+by\s+.* | screenshot
      | (?:copyright|\(c\)|©).*
    )$""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
# "NIKON D750", "Canon EOS 5D", "Apple iPhone 12" — but not "Apple pie on a table"
_BRAND = re.compile(
    r"^(?:olympus|sony|nikon|canon|kodak|fujifilm|fuji|samsung|lg|huawei|xiaomi|apple|panasonic|pentax|ricoh"
    r"|leica|minolta|konica|casio|sharp|sanyo|gopro|dji|lumix|google|oneplus|motorola)\b",
    re.IGNORECASE,
)


def _camera_boilerplate(text: str) -> bool:
    if _JUNK.match(text):
        return True
    return bool(_BRAND.match(text)) and len(text) <= 40 and (text.isupper() or any(c.isdigit() for c in text))


class UnsafeXML(ValueError):
    """XML with a DOCTYPE/ENTITY declaration (entity expansion) or too large."""


def parse_xml(text: str | bytes) -> ET.Element:
    """ElementTree parse that refuses DOCTYPE/ENTITY declarations (billion laughs, XXE)."""
    if isinstance(text, bytes):
        if len(text) > MAX_XML_BYTES:
            raise UnsafeXML("XML larger than 4 MiB")
        probe = text.decode("utf-8", "replace")
    else:
        if len(text) > MAX_XML_BYTES:
            raise UnsafeXML("XML larger than 4 MiB")
        probe = text
    if re.search(r"<!\s*(?:DOCTYPE|ENTITY)", probe, re.IGNORECASE):
        raise UnsafeXML("XML with a DOCTYPE or ENTITY declaration is not parsed")
    parser = ET.XMLParser()
    parser.feed(text)
    return parser.close()


def clean(text: str | None) -> str | None:
    """Collapse whitespace; ``None`` for blank text and camera/editor boilerplate."""
    if text is None:
        return None
    text = "".join(ch if ch.isprintable() or ch in "\t\n" else " " for ch in text.replace("\x00", " "))
    text = " ".join(text.split())
    if not text or not any(ch.isalpha() for ch in text):
        return None
    if _camera_boilerplate(text):
        return None
    from altbot.caption.filename import humanize

    # "IMG_1234", "DSC0001.JPG" written as a description
    if " " not in text and humanize(text)[0] is None:
        return None
    return text


# -- container walkers --------------------------------------------------------


def _jpeg_segments(data: bytes):
    """(marker, payload) for the JPEG header segments up to SOS."""
    i = 2
    n = len(data)
    while i + 4 <= n:
        if data[i] != 0xFF:
            return
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        if marker in (0xD9, 0xDA):  # EOI / start of scan: no more metadata
            return
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if length < 2:
            return
        yield marker, data[i + 4 : i + 2 + length]
        i += 2 + length


def _png_chunks(data: bytes):
    i = 8
    n = len(data)
    while i + 8 <= n:
        length, ctype = struct.unpack(">I4s", data[i : i + 8])
        body = data[i + 8 : i + 8 + length]
        yield ctype, body
        if ctype == b"IEND":
            return
        i += 12 + length


def _png_text(ctype: bytes, body: bytes) -> tuple[str, str | None, str] | None:
    """(keyword, language or None, text) of a tEXt/zTXt/iTXt chunk."""
    try:
        key, _, rest = body.partition(b"\x00")
        keyword = key.decode("latin-1")
        if ctype == b"tEXt":
            return keyword, None, rest.decode("latin-1")
        if ctype == b"zTXt":
            return keyword, None, _inflate(rest[1:]).decode("latin-1")
        if ctype == b"iTXt":
            flag, _method = rest[0], rest[1]
            lang, _, rest = rest[2:].partition(b"\x00")
            _translated, _, text = rest.partition(b"\x00")
            if flag:
                text = _inflate(text)
            return keyword, lang.decode("ascii", "replace") or None, text.decode("utf-8", "replace")
    except (IndexError, zlib.error, ValueError):
        return None
    return None


def _inflate(raw: bytes) -> bytes:
    d = zlib.decompressobj()
    out = d.decompress(raw, MAX_TEXT_CHUNK)
    if d.unconsumed_tail:
        raise ValueError("compressed text chunk too large")
    return out


def _riff_chunks(data: bytes):
    i = 12
    n = len(data)
    while i + 8 <= n:
        ctype, length = struct.unpack("<4sI", data[i : i + 8])
        yield ctype, data[i + 8 : i + 8 + length]
        i += 8 + length + (length & 1)


_XMP_SCAN = re.compile(rb"<x:xmpmeta[\s>].*?</x:xmpmeta>", re.DOTALL)
_RDF_SCAN = re.compile(rb"<rdf:RDF[\s>].*?</rdf:RDF>", re.DOTALL)


def detect_format(data: bytes) -> str:
    """The container, lower-case, as the metadata readers name it ("heif" covers AVIF and HEIC)."""
    from altbot.caption.pixels import sniff_format

    fmt = sniff_format(data)
    if fmt is None:
        return "unknown"
    return "heif" if fmt in ("AVIF", "HEIF") else fmt.lower()


# -- XMP -------------------------------------------------------------------------


def _lang_alt(el: ET.Element) -> dict[str | None, str]:
    """Values of an XMP property: rdf:Alt/Bag/Seq of rdf:li (by xml:lang) or plain text."""
    out: dict[str | None, str] = {}
    items = list(el.iter(f"{{{NS_RDF}}}li"))
    if not items:
        text = "".join(el.itertext())
        if text.strip():
            out[el.get(XML_LANG)] = text
        return out
    for li in items:
        text = "".join(li.itertext())
        if text.strip():
            out.setdefault(li.get(XML_LANG) or el.get(XML_LANG), text)
    return out


def parse_xmp(packet: bytes | str) -> dict[str, dict[str | None, str]]:
    """IPTC accessibility and Dublin Core fields of one XMP packet, as ``{lang: text}``."""
    if isinstance(packet, bytes):
        packet = packet.decode("utf-8", "replace")
    # the xpacket wrapper's BOM attribute and stray NULs upset nothing, but trailing padding might
    m = re.search(r"<x:xmpmeta[\s>].*?</x:xmpmeta>", packet, re.DOTALL) or re.search(
        r"<rdf:RDF[\s>].*?</rdf:RDF>", packet, re.DOTALL
    )
    if not m:
        return {}
    root = parse_xml(m.group(0))
    props = {
        "alt_text": f"{{{NS_IPTC}}}AltTextAccessibility",
        "ext_description": f"{{{NS_IPTC}}}ExtDescrAccessibility",
        "description": f"{{{NS_DC}}}description",
        "title": f"{{{NS_DC}}}title",
    }
    out: dict[str, dict[str | None, str]] = {}
    for key, tag in props.items():
        values: dict[str | None, str] = {}
        for el in root.iter(tag):
            for lang, text in _lang_alt(el).items():
                values.setdefault(lang, text)
        for desc in root.iter(f"{{{NS_RDF}}}Description"):  # attribute shorthand
            if tag in desc.attrib:
                values.setdefault(desc.get(XML_LANG), desc.attrib[tag])
        if values:
            out[key] = values
    return out


def find_xmp(data: bytes, fmt: str | None = None) -> list[bytes]:
    fmt = fmt or detect_format(data)
    packets: list[bytes] = []
    try:
        if fmt == "jpeg":
            for marker, payload in _jpeg_segments(data):
                if marker == 0xE1 and payload.startswith(b"http://ns.adobe.com/xap/1.0/\x00"):
                    packets.append(payload[29:])
        elif fmt == "png":
            for ctype, body in _png_chunks(data):
                if ctype == b"iTXt" and body.startswith(b"XML:com.adobe.xmp\x00"):
                    got = _png_text(ctype, body)
                    if got:
                        packets.append(got[2].encode("utf-8"))
        elif fmt == "webp":
            for ctype, body in _riff_chunks(data):
                if ctype == b"XMP ":
                    packets.append(body)
    except (struct.error, IndexError):
        pass
    if not packets:
        packets = _XMP_SCAN.findall(data[: 64 * 1024 * 1024]) or _RDF_SCAN.findall(data[: 64 * 1024 * 1024])
    return packets


# -- EXIF, PNG text, SVG ------------------------------------------------------------


def _exif_description(data: bytes) -> str | None:
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as im:
            exif = im.getexif()
            value = exif.get(0x010E)
            make = str(exif.get(0x010F) or "").strip()
            model = str(exif.get(0x0110) or "").strip()
    except Exception:  # noqa: BLE001 - any undecodable file simply has no EXIF
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    value = value.strip()
    if value and value.lower() in {make.lower(), model.lower(), f"{make} {model}".strip().lower()}:
        return None
    return value


def _svg_text(data: bytes) -> dict[str, dict[str | None, str]]:
    root = parse_xml(data)
    if root.tag not in (f"{{{NS_SVG}}}svg", "svg"):
        return {}
    root_lang = root.get(XML_LANG) or root.get("lang")
    out: dict[str, dict[str | None, str]] = {}
    for child in root:  # only the root's own title/desc name the whole picture
        local = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        if local in ("title", "desc"):
            text = "".join(child.itertext())
            lang = child.get(XML_LANG) or child.get("lang") or root_lang
            if text.strip():
                out.setdefault(f"svg_{local}", {}).setdefault(lang, text)
    return out


def read_metadata(data: bytes) -> dict:
    """Every description-like field of an image file.

    Keys (present only when found): ``format``; ``alt_text``, ``ext_description``,
    ``description``, ``title``, ``svg_title``, ``svg_desc``, ``png_description``,
    ``png_title`` as ``{lang or None: text}``; ``exif_description`` as ``{None: text}``;
    ``errors``: list of problems met while reading (unsafe or broken XML …).
    Texts are raw (not cleaned); :func:`best_description` cleans and chooses.
    """
    out: dict = {"format": detect_format(data)}
    errors: list[str] = []
    fmt = out["format"]
    if fmt == "svg":
        try:
            out.update(_svg_text(data))
        except (ET.ParseError, UnsafeXML) as exc:
            errors.append(f"SVG not parsed: {exc}")
        if errors:
            out["errors"] = errors
        return out
    for packet in find_xmp(data, fmt):
        try:
            for key, values in parse_xmp(packet).items():
                merged = out.setdefault(key, {})
                for lang, text in values.items():
                    merged.setdefault(lang, text)
        except (ET.ParseError, UnsafeXML) as exc:
            errors.append(f"XMP not parsed: {exc}")
    if fmt in ("jpeg", "png", "webp", "tiff", "heif"):
        desc = _exif_description(data)
        if desc is not None:
            out["exif_description"] = {None: desc}
    if fmt == "png":
        try:
            for ctype, body in _png_chunks(data):
                if ctype in (b"tEXt", b"zTXt", b"iTXt"):
                    got = _png_text(ctype, body)
                    if got and got[0].lower() in ("description", "title"):
                        key = "png_" + got[0].lower()
                        out.setdefault(key, {}).setdefault(got[1], got[2])
        except (struct.error, IndexError):
            pass
    if errors:
        out["errors"] = errors
    return out


# -- choosing -------------------------------------------------------------------


def pick_language(values: dict[str | None, str], lang: str | None) -> tuple[str, str | None] | None:
    """(text, lang) from language alternatives: the requested language, else x-default, else the only/first one."""
    cleaned = {k: c for k, v in values.items() if (c := clean(v))}
    if not cleaned:
        return None

    def tag_of(key: str | None, text: str) -> str | None:
        if key and key.lower() != "x-default":
            return key
        # x-default usually repeats one of the languages: take that one's tag
        for k, v in cleaned.items():
            if k and k.lower() != "x-default" and v == text:
                return k
        return None

    if lang:
        for k, v in cleaned.items():
            if k and k.lower() == lang.lower():
                return v, k
        for k, v in cleaned.items():
            if k and k.lower() != "x-default" and primary(k) == primary(lang):
                return v, k
    for k, v in cleaned.items():
        if k and k.lower() == "x-default":
            return v, tag_of(k, v)
    k, v = next(iter(cleaned.items()))
    return v, tag_of(k, v)


@dataclass(frozen=True)
class Description:
    text: str
    confidence: float
    lang: str | None
    source: str  # human name of the field
    key: str = ""  # which field (a SOURCES key)


def best_description(meta: dict, lang: str | None = None) -> Description | None:
    for key, confidence, source in SOURCES:
        values = meta.get(key)
        if not values:
            continue
        got = pick_language(values, lang)
        if got:
            return Description(got[0], confidence, got[1], source, key)
    return None


@register("metadata")
class MetadataCaptioner:
    name = "metadata"
    model: str | None = None
    uses = frozenset({"lang"})  # picks the description in the page's language when the file has several

    def __init__(self, **_options) -> None:
        pass

    def caption(self, requests: Sequence[CaptionRequest]) -> list[Caption]:
        out = []
        for req in requests:
            try:
                meta = read_metadata(req.image.data)
            except Exception as exc:  # noqa: BLE001 - one bad file never stops a batch
                out.append(Caption(None, None, "metadata", reason=f"metadata not readable: {exc}"))
                continue
            desc = best_description(meta, req.lang)
            if desc is None:
                why = "no description in the file's metadata"
                if meta.get("errors"):
                    why += " (" + "; ".join(meta["errors"]) + ")"
                out.append(Caption(None, None, "metadata", reason=why))
                continue
            out.append(
                Caption(
                    text=desc.text,
                    confidence=desc.confidence,
                    backend="metadata",
                    lang=desc.lang,
                    reason=f"from the file's {desc.source}; review before publishing",
                    low_confidence=True,
                    author_alt=desc.key == "alt_text",  # the author's own alt text, nothing guessed
                )
            )
        return out
