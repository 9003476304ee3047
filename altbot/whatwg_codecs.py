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
  are the standard ones (0xA6D9 is ︐), and 0xA8BC and 0x8135F437 trade U+1E3F and U+E7C7;
- Big5 is WHATWG's index-big5 (HKSCS-2008 on Big5-2003): the HKSCS-2008 additions (0x87xx),
  the compatibility codes HKSCS keeps for characters Big5 has elsewhere, the control pictures
  at 0xA3C0-0xA3E0, six radicals at 0xC6xx, which Python's big5hkscs (HKSCS-2004) refuses,
  and 11 punctuation marks it reads otherwise (0xA145 is ‧, where Python reads •).

Bytes WHATWG leaves undefined too (browsers show U+FFFD there) stay errors. The codecs are
named "whatwg-" and Python's name (``whatwg-windows-1252`` for cp1252) and are registered
when this module is imported: a page's ``SourceFile.encoding`` names one in any process that
encodes an edit into it.
"""

from __future__ import annotations

import codecs
import re

WINDOWS_1252 = "whatwg-windows-1252"
EUC_JP = "whatwg-euc-jp"
GB18030 = "whatwg-gb18030"
BIG5 = "whatwg-big5"

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


# -- Big5 ----------------------------------------------------------------------------------------

# WHATWG's index-big5 wherever Python's big5hkscs reads otherwise or refuses a pair: "LEADTRAIL:
# code point" in hex, as Chromium's TextDecoder reads them (every pair of the index was compared;
# all others read as Python reads them). Not here: 0x8862, 0x8864, 0x88A3, 0x88A5, which the
# index reads as two code points (Ê̄ Ê̌ ê̄ ê̌), as Python does; Chromium's TextDecoder gives a
# lone surrogate there, which the index has nowhere.
_BIG5_DIFF = (
    "877A:3875 877B:21D53 877C:2369E 877D:26021 877E:3EEC 87A1:258DE 87A2:3AF5 87A3:7AFC 87A4:9F97 "
    "87A5:24161 87A6:2890D 87A7:231EA 87A8:20A8A 87A9:2325E 87AA:430A 87AB:8484 87AC:9F96 87AD:942F "
    "87AE:4930 87AF:8613 87B0:5896 87B1:974A 87B2:9218 87B3:79D0 87B4:7A32 87B5:6660 87B6:6A29 "
    "87B7:889D 87B8:744C 87B9:7BC5 87BA:6782 87BB:7A2C 87BC:524F 87BD:9046 87BE:34E6 87BF:73C4 "
    "87C0:25DB9 87C1:74C6 87C2:9FC7 87C3:57B3 87C4:492F 87C5:544C 87C6:4131 87C7:2368E 87C8:5818 "
    "87C9:7A72 87CA:27B65 87CB:8B8F 87CC:46AE 87CD:26E88 87CE:4181 87CF:25D99 87D0:7BAE 87D1:224BC "
    "87D2:9FC8 87D3:224C1 87D4:224C9 87D5:224CC 87D6:9FC9 87D7:8504 87D8:235BB 87D9:40B4 87DA:9FCA "
    "87DB:44E1 87DC:2ADFF 87DD:62C1 87DE:706E 87DF:9FCB 8E69:7BB8 8E6F:7C06 8E7E:7CCE 8EAB:7DD2 "
    "8EB4:7E1D 8ECD:8005 8ED0:8028 8F57:83C1 8F69:84A8 8F6E:840F 8FCB:89A6 8FCC:89A9 8FFE:8D77 "
    "906D:90FD 907A:92B9 90DC:975C 90F1:97FF 91BF:9F16 9244:8503 92AF:5159 92B0:515B 92B1:515D "
    "92B2:515E 92C8:936E 92D1:7479 9447:6D67 94CA:799B 95D9:9097 9644:975D 96ED:701E 96FC:5B28 "
    "9B76:7201 9B78:77D7 9B7B:7E87 9BC6:99D6 9BDE:91D4 9BEC:60DE 9BF6:6FB6 9C42:8F36 9C53:4FBB "
    "9C62:71DF 9C68:9104 9C6B:9DF0 9C77:83CF 9CBC:5C10 9CBD:79E3 9CD0:5A67 9D57:8F0B 9D5A:7B51 "
    "9DC4:62D0 9EA9:6062 9EEF:75F9 9EFD:6C4A 9F60:9B2E 9F66:9F17 9FCB:50ED 9FD8:5F0C A063:880F "
    "A077:62CE A0D5:7468 A0DF:7162 A0E4:7250 A145:2027 A14E:FE51 A1C2:AF A1E3:FF5E A1F2:2295 "
    "A1F3:2299 A241:2215 A242:FE68 A244:FFE5 A246:FFE0 A247:FFE1 A3C0:2400 A3C1:2401 A3C2:2402 "
    "A3C3:2403 A3C4:2404 A3C5:2405 A3C6:2406 A3C7:2407 A3C8:2408 A3C9:2409 A3CA:240A A3CB:240B "
    "A3CC:240C A3CD:240D A3CE:240E A3CF:240F A3D0:2410 A3D1:2411 A3D2:2412 A3D3:2413 A3D4:2414 "
    "A3D5:2415 A3D6:2416 A3D7:2417 A3D8:2418 A3D9:2419 A3DA:241A A3DB:241B A3DC:241C A3DD:241D "
    "A3DE:241E A3DF:241F A3E0:2421 A3E1:20AC C6CF:5EF4 C6D3:65E0 C6D5:7676 C6D7:96B6 C6DE:3003 "
    "C6DF:4EDD FA5F:5029 FA66:507D FABD:5305 FAC5:5344 FAD5:537F FB48:5605 FBB8:5A77 FBF3:5E75 "
    "FBF9:5ED0 FC4F:5F58 FC6C:60A4 FCB9:6490 FCE2:6674 FCF1:675E FDB7:6C9C FDB8:6E1D FDBB:6E2F "
    "FDF1:716E FE52:732A FE6F:745C FEAA:74E9 FEDD:7809 "
)
# a pair: a lead byte 0x81-0xFE and a trail 0x40-0x7E or 0xA1-0xFE (the bytes read as Latin-1)
_BIG5_PAIR = re.compile("[\x81-\xfe][\x40-\x7e\xa1-\xfe]")
_BIG5_RUN = re.compile("(?:[\x00-\x7f]|[\x81-\xfe][\x40-\x7e\xa1-\xfe])*")
# what the encoder writes as one code: the index's two-code-point entries, then any character
_BIG5_CHAR = re.compile("[\u00ca\u00ea][\u0304\u030c]|.", re.S)
# WHATWG's encoder writes these from the last of their two pointers, all others from the first
_BIG5_LAST = frozenset("\u2550\u255e\u2561\u256a\u5341\u5345")
_BIG5_REFUSED = "altbot-big5-refused"  # the error handler that reads the pairs Python refuses
_BIG5_TABLES: tuple[dict[str, str], dict[str, bytes], frozenset[str]] | None = None


def _big5_tables() -> tuple[dict[str, str], dict[str, bytes], frozenset[str]]:
    """(pair as two Latin-1 characters -> what browsers read, text -> the bytes written for it,
    the characters Python reads from a pair where browsers read another). Built on first use (a
    Big5 page is rare): ~20,000 pairs decoded with Python's codec, then the index's differences.
    The bytes written are those WHATWG's encoder writes; a character it cannot write (only an
    HKSCS code below 0xA1 reads as it) gets that code, which browsers read as it."""
    global _BIG5_TABLES
    if _BIG5_TABLES is None:
        read: dict[str, str] = {}
        for lead in range(0x81, 0xFF):
            for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
                pair = bytes((lead, trail))
                try:
                    read[pair.decode("latin-1")] = pair.decode("big5hkscs")
                except UnicodeDecodeError:
                    pass
        misread: set[str] = set()
        refused: dict[bytes, str] = {}
        for entry in _BIG5_DIFF.split():
            code, point = entry.split(":")
            pair = bytes.fromhex(code).decode("latin-1")
            if pair in read:
                misread.add(read[pair])
            else:
                refused[bytes.fromhex(code)] = chr(int(point, 16))
            read[pair] = chr(int(point, 16))

        def handler(exc: UnicodeError):
            if isinstance(exc, UnicodeDecodeError):
                got = refused.get(exc.object[exc.start : exc.start + 2])
                if got is not None:
                    return got, exc.start + 2
            raise exc

        codecs.register_error(_BIG5_REFUSED, handler)
        write: dict[str, bytes] = {}
        hkscs: dict[str, bytes] = {}
        for pair, text in sorted(read.items()):  # in pointer order
            code = pair.encode("latin-1")
            if code[0] < 0xA1:
                hkscs.setdefault(text, code)
            elif text not in write or text in _BIG5_LAST:
                write[text] = code
        _BIG5_TABLES = read, {**hkscs, **write}, frozenset(misread)
    return _BIG5_TABLES


def _big5_decode(data: bytes, errors: str, final: bool = True) -> tuple[str, int]:
    """What browsers read from ``data``, and how many bytes that took (a lead byte at the end of
    a part that is not ``final`` is held back). Bytes browsers read as U+FFFD go to ``errors``.

    Python's codec reads the page first, the pairs it refuses through the index (the usual page
    takes this way, at C speed); where that fails, or gives a character Python misreads, the page
    is read pair by pair through the whole index."""
    read, _, misread = _big5_tables()
    data = bytes(data)
    if final:
        try:
            fast = data.decode("big5hkscs", _BIG5_REFUSED)
        except UnicodeDecodeError:
            fast = None
        if fast is not None and misread.isdisjoint(fast):
            return fast, len(data)
    text = data.decode("latin-1")
    out: list[str] = []
    pos, n = 0, len(text)
    missing: list[int] = []  # where the chunk being read has a pair the index leaves empty

    def pair(m: re.Match) -> str:
        got = read.get(m.group())
        if got is None:
            missing.append(m.start())
            return ""
        return got

    while pos < n:
        end = _BIG5_RUN.match(text, pos).end()
        chunk = text[pos:end]
        missing.clear()
        decoded = _BIG5_PAIR.sub(pair, chunk)
        if missing:  # a well-formed pair the index leaves empty: an error there, two bytes
            end = pos + missing[0]
            decoded = _BIG5_PAIR.sub(pair, chunk[: missing[0]])
            bad = end + 2
        elif end == n:
            out.append(decoded)
            break
        elif not final and end == n - 1 and "\x81" <= text[end] <= "\xfe":
            out.append(decoded)
            return "".join(out), end  # a lead byte whose trail is still to come
        else:  # 0x80, 0xFF, or a lead byte without a trail (an ASCII byte after it is read again)
            lead = "\x81" <= text[end] <= "\xfe"
            bad = end + (2 if lead and end + 1 < n and text[end + 1] >= "\x80" else 1)
        out.append(decoded)
        exc = UnicodeDecodeError(BIG5, data, end, bad, "browsers read these bytes as U+FFFD")
        if errors == "strict":
            raise exc
        rep, pos = codecs.lookup_error(errors)(exc)
        out.append(rep)
    return "".join(out), n


def _big5() -> codecs.CodecInfo:
    def decode(input, errors="strict"):
        return _big5_decode(input, errors)

    def encode(input, errors="strict"):
        write = _big5_tables()[1]
        text = str(input)
        out: list[bytes] = []
        pos = 0
        while pos < len(text):
            piece = _BIG5_CHAR.match(text, pos).group()
            if piece not in write and len(piece) == 2:
                piece = piece[0]  # Ê and a mark the index has no one code for: each on its own
            if piece < "\x80":
                out.append(piece.encode("ascii"))
            elif piece in write:
                out.append(write[piece])
            else:
                exc = UnicodeEncodeError(BIG5, text, pos, pos + 1, "browsers read no Big5 bytes as this character")
                if errors == "strict":
                    raise exc
                rep, pos = codecs.lookup_error(errors)(exc)
                out.append(rep.encode("ascii") if isinstance(rep, str) else rep)
                continue
            pos += len(piece)
        return b"".join(out), len(text)

    class IncrementalEncoder(codecs.IncrementalEncoder):
        def encode(self, input, final=False):
            return encode(input, self.errors)[0]

    class IncrementalDecoder(codecs.BufferedIncrementalDecoder):
        def _buffer_decode(self, input, errors, final):
            return _big5_decode(input, errors, final)

    return codecs.CodecInfo(encode, decode, incrementalencoder=IncrementalEncoder, incrementaldecoder=IncrementalDecoder, name=BIG5)


def _search(name: str) -> codecs.CodecInfo | None:
    name = name.replace("_", "-")
    if name in _TABLES:
        return _single_byte(name)
    if name == EUC_JP:
        return _euc_jp()
    if name == GB18030:
        return _gb18030()
    if name == BIG5:
        return _big5()
    return None


codecs.register(_search)
