"""Codecs that read (and write) pages as browsers do, where Python's codec of the same name
differs from the WHATWG Encoding Standard's index (discover stage).

Each difference was found by decoding every byte (and every two- and three-byte sequence of
the multibyte encodings) with Chromium's ``TextDecoder`` and with Python, and is re-checked
against Chromium by ``tests/test_attack_encodings.py``:

- the windows code pages decode the bytes Microsoft leaves undefined in 0x80-0x9F as the C1
  controls U+0080-U+009F (Python refuses them); windows-1255 has U+05BA at 0xCA;
- KOI8-U is KOI8-RU: 0xAE and 0xBE are ў and Ў (Python's koi8-u reads box drawing there);
- EUC-JP's two-byte table is the one Shift_JIS reads through (Windows' cp932): NEC's row 13
  (①, ㍉, ㈱ …) and the NEC-selected IBM rows, which Python's euc_jp refuses, and ～ ∥ － ￠ ￡ ￢
  where Python reads 〜 ‖ − ¢ £ ¬; the JIS X 0212 sequence 0x8F 0xA2 0xB7 is ～, not "~";
- GB18030 (and GBK) is GB18030-2022: 19 two-byte codes Python reads as private-use characters
  are the standard ones (0xA6D9 is ︐), and 0xA8BC and 0x8135F437 trade U+1E3F and U+E7C7.

Bytes WHATWG leaves undefined too (browsers show U+FFFD there) stay errors. The codecs are
named "whatwg-" and Python's name (``whatwg-windows-1252`` for cp1252) and are registered
when this module is imported: a page's ``SourceFile.encoding`` names one in any process that
encodes an edit into it.
"""

from __future__ import annotations

import codecs

WINDOWS_1252 = "whatwg-windows-1252"
EUC_JP = "whatwg-euc-jp"
GB18030 = "whatwg-gb18030"

# single-byte: name -> (Python codec, C1 controls for its holes in 0x80-0x9F, other patches)
_TABLES: dict[str, tuple[str, bool, dict[int, str]]] = {
    WINDOWS_1252: ("cp1252", True, {}),
    **{f"whatwg-{cp}": (cp, True, {}) for cp in ("cp874", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "cp1258")},
    "whatwg-cp1255": ("cp1255", True, {0xCA: "\u05ba"}),
    "whatwg-koi8-u": ("koi8_u", False, {0xAE: "\u045e", 0xBE: "\u040e"}),
}

# The codec a decode falls back to when Python's refuses the page's bytes. (KOI8-U and EUC-JP
# are always read with their own: the label table names "whatwg-koi8-u" and EUC_JP itself.)
FALLBACK = {codec: name for name, (codec, c1, _) in _TABLES.items() if c1}


def _single_byte(name: str) -> codecs.CodecInfo:
    import importlib

    codec, c1, patches = _TABLES[name]
    base = importlib.import_module(f"encodings.{codec}").decoding_table
    table = "".join(
        patches.get(i) or (chr(i) if c1 and ch == "\ufffe" and 0x80 <= i <= 0x9F else ch) for i, ch in enumerate(base)
    )
    encoding_table = codecs.charmap_build(table)

    def encode(input, errors="strict"):
        return codecs.charmap_encode(input, errors, encoding_table)

    def decode(input, errors="strict"):
        return codecs.charmap_decode(input, errors, table)

    # the incremental forms are what splicing an edit into the bytes decodes with
    class IncrementalEncoder(codecs.IncrementalEncoder):
        def encode(self, input, final=False):
            return codecs.charmap_encode(input, self.errors, encoding_table)[0]

    class IncrementalDecoder(codecs.IncrementalDecoder):
        def decode(self, input, final=False):
            return codecs.charmap_decode(input, self.errors, table)[0]

    return codecs.CodecInfo(encode, decode, incrementalencoder=IncrementalEncoder, incrementaldecoder=IncrementalDecoder, name=name)


# -- EUC-JP ----------------------------------------------------------------------------------

# what Python's euc_jp reads from these two-byte sequences, and what browsers read there; no
# other sequence gives Python these characters, so a translation of its output is exact
_EUC_JP_PAIRS = (("\u301c", "\uff5e"), ("\u2016", "\u2225"), ("\u2212", "\uff0d"), ("\u00a2", "\uffe0"),
                 ("\u00a3", "\uffe1"), ("\u00ac", "\uffe2"))  # fmt: skip
_EUC_JP_READ = str.maketrans(dict(_EUC_JP_PAIRS))
_EUC_JP_WRITE = str.maketrans({web: py for py, web in _EUC_JP_PAIRS})
# characters that browsers' EUC-JP gives back from no bytes: an encoding error (a character
# reference, under xmlcharrefreplace) where Python's table would write bytes read as another
_EUC_JP_UNWRITABLE = frozenset(py for py, _ in _EUC_JP_PAIRS)
_JIS0212_TILDE = b"\x8f\xa2\xb7"  # JIS X 0212's tilde: ～ in browsers, "~" in Python


def _sjis_pair(lead: int, trail: int) -> bytes:
    """The Shift_JIS bytes of the JIS X 0208 cell an EUC-JP pair names (one index, two layouts)."""
    pointer = (lead - 0xA1) * 94 + (trail - 0xA1)
    a, b = divmod(pointer, 188)
    return bytes((a + (0x81 if a < 0x1F else 0xC1), b + (0x40 if b < 0x3F else 0x41)))


def _euc_pair(sjis: bytes) -> bytes | None:
    """The EUC-JP pair of a two-byte Shift_JIS code, when its cell is one EUC-JP has (rows 1-94)."""
    if len(sjis) != 2:
        return None
    lead, trail = sjis
    pointer = (lead - (0x81 if lead < 0xA0 else 0xC1)) * 188 + (trail - (0x40 if trail < 0x7F else 0x41))
    if not 0 <= pointer < 94 * 94:
        return None
    row, cell = divmod(pointer, 94)
    return bytes((row + 0xA1, cell + 0xA1))


def _euc_jp_decode_errors(fallback: str):
    def handler(exc: UnicodeError):
        if isinstance(exc, UnicodeDecodeError):
            data, i = exc.object, exc.start
            if i + 1 < len(data) and 0xA1 <= data[i] <= 0xFE and 0xA1 <= data[i + 1] <= 0xFE:
                try:
                    return _sjis_pair(data[i], data[i + 1]).decode("cp932"), i + 2
                except UnicodeDecodeError:
                    pass
        return codecs.lookup_error(fallback)(exc)

    return handler


def _euc_jp_encode_errors(fallback: str):
    def handler(exc: UnicodeError):
        if isinstance(exc, UnicodeEncodeError):
            out = []
            for k in range(exc.start, exc.end):
                ch = exc.object[k]
                try:
                    pair = _euc_pair(ch.encode("cp932"))
                except UnicodeEncodeError:
                    pair = None
                if pair is None:
                    if out:  # what was written so far, then the fallback's answer for the rest
                        return b"".join(out), k
                    sub = UnicodeEncodeError(exc.encoding, exc.object, k, k + 1, exc.reason)
                    return codecs.lookup_error(fallback)(sub)
                out.append(pair)
            return b"".join(out), exc.end
        return codecs.lookup_error(fallback)(exc)

    return handler


def _handler(kind: str, errors: str) -> str:
    """The name of the EUC-JP error handler of ``kind`` that defers to ``errors``."""
    name = f"altbot-euc-jp-{kind}-{errors}"
    try:
        codecs.lookup_error(name)
    except LookupError:
        codecs.register_error(name, (_euc_jp_decode_errors if kind == "decode" else _euc_jp_encode_errors)(errors))
    return name


def _euc_jp_decode_part(data: bytes, errors: str, final: bool = True, decoder=None) -> str:
    if decoder is not None:
        return decoder.decode(data, final).translate(_EUC_JP_READ)
    return data.decode("euc_jp", _handler("decode", errors)).translate(_EUC_JP_READ)


def _euc_jp() -> codecs.CodecInfo:
    def decode(input, errors="strict"):
        data = bytes(input)
        parts = data.split(_JIS0212_TILDE)
        return "\uff5e".join(_euc_jp_decode_part(p, errors) for p in parts), len(data)

    encode, IncrementalEncoder = _encoder(
        EUC_JP, "euc_jp", _EUC_JP_UNWRITABLE, _EUC_JP_WRITE, lambda errors: _handler("encode", errors)
    )

    class IncrementalDecoder(codecs.IncrementalDecoder):
        def __init__(self, errors="strict"):
            super().__init__(errors)
            self._inner = codecs.getincrementaldecoder("euc_jp")(_handler("decode", errors))
            self._held = b""

        def decode(self, input, final=False):
            data = self._held + bytes(input)
            self._held = b""
            if not final:  # hold back what may begin 0x8F 0xA2 0xB7 (0x8F is never a trail byte)
                for k in (2, 1):
                    if data.endswith(_JIS0212_TILDE[:k]):
                        data, self._held = data[:-k], data[-k:]
                        break
            parts = data.split(_JIS0212_TILDE)
            return "\uff5e".join(
                _euc_jp_decode_part(p, self.errors, final or n < len(parts) - 1, self._inner) for n, p in enumerate(parts)
            )

        def reset(self):
            self._inner.reset()
            self._held = b""

    return codecs.CodecInfo(encode, decode, incrementalencoder=IncrementalEncoder, incrementaldecoder=IncrementalDecoder, name=EUC_JP)


# -- GB18030 (and GBK, which browsers decode with it) -------------------------------------------

# GB18030-2022 as browsers read it: 19 two-byte codes Python reads as private-use characters are
# the standard ones (0xA6D9 is ︐, not U+E78D), and 0xA8BC and 0x8135F437 trade U+1E3F and U+E7C7
_GB18030_READ_PAIRS = (
    ("\ue5e5", "\u3000"), ("\ue78d", "\ufe10"), ("\ue78e", "\ufe12"), ("\ue78f", "\ufe11"), ("\ue790", "\ufe13"),
    ("\ue791", "\ufe14"), ("\ue792", "\ufe15"), ("\ue793", "\ufe16"), ("\ue794", "\ufe17"), ("\ue795", "\ufe18"),
    ("\ue796", "\ufe19"), ("\ue81e", "\u9fb4"), ("\ue826", "\u9fb5"), ("\ue82b", "\u9fb6"), ("\ue82c", "\u9fb7"),
    ("\ue832", "\u9fb8"), ("\ue843", "\u9fb9"), ("\ue854", "\u9fba"), ("\ue864", "\u9fbb"),
)  # fmt: skip
_GB18030_SWAP = {0x1E3F: "\ue7c7", 0xE7C7: "\u1e3f"}
_GB18030_READ = str.maketrans({**dict(_GB18030_READ_PAIRS), **{chr(k): v for k, v in _GB18030_SWAP.items()}})
# written as Python's codec writes them (the standard ones in four bytes, which browsers read
# back as them), but for the swapped pair; the private-use ones browsers read from no bytes
_GB18030_WRITE = str.maketrans(_GB18030_SWAP)
_GB18030_UNWRITABLE = frozenset(pua for pua, _ in _GB18030_READ_PAIRS)


def _refuse(text: str, unwritable: frozenset, errors: str, name: str) -> str:
    """``text`` with each character in ``unwritable`` raising (strict) or replaced by ``errors``' handler."""
    if unwritable.isdisjoint(text):
        return text
    pieces = []
    for k, ch in enumerate(text):
        if ch not in unwritable:
            pieces.append(ch)
            continue
        exc = UnicodeEncodeError(name, text, k, k + 1, "browsers read no bytes as this character")
        if errors == "strict":
            raise exc
        rep = codecs.lookup_error(errors)(exc)[0]
        pieces.append(rep if isinstance(rep, str) else rep.decode("ascii"))
    return "".join(pieces)


def _encoder(name: str, codec: str, unwritable: frozenset, write: dict, errors_for=lambda errors: errors):
    """``encode`` and an IncrementalEncoder for a codec that writes through Python's ``codec``:
    the characters browsers read from no bytes refused (``_refuse``), the rest translated by
    ``write`` and encoded with the error handler ``errors_for`` names for the caller's ``errors``."""

    def encode(input, errors="strict"):
        text = _refuse(str(input), unwritable, errors, name)
        return text.translate(write).encode(codec, errors_for(errors)), len(input)

    class IncrementalEncoder(codecs.IncrementalEncoder):
        def encode(self, input, final=False):
            return encode(input, self.errors)[0]

    return encode, IncrementalEncoder


def _gb18030() -> codecs.CodecInfo:
    def decode(input, errors="strict"):
        data = bytes(input)
        return data.decode("gb18030", errors).translate(_GB18030_READ), len(data)

    encode, IncrementalEncoder = _encoder(GB18030, "gb18030", _GB18030_UNWRITABLE, _GB18030_WRITE)

    class IncrementalDecoder(codecs.IncrementalDecoder):
        def __init__(self, errors="strict"):
            super().__init__(errors)
            self._inner = codecs.getincrementaldecoder("gb18030")(errors)

        def decode(self, input, final=False):
            return self._inner.decode(input, final).translate(_GB18030_READ)

        def reset(self):
            self._inner.reset()

    return codecs.CodecInfo(encode, decode, incrementalencoder=IncrementalEncoder, incrementaldecoder=IncrementalDecoder, name=GB18030)


def _search(name: str) -> codecs.CodecInfo | None:
    name = name.replace("_", "-")
    if name in _TABLES:
        return _single_byte(name)
    if name == EUC_JP:
        return _euc_jp()
    if name == GB18030:
        return _gb18030()
    return None


codecs.register(_search)
