"""altbot reads a page's bytes as Chromium reads them: every byte of each single-byte web
encoding, and every two- and three-byte sequence of EUC-JP, decoded by altbot's codec for the
label and by Chromium's ``TextDecoder``. Where Chromium shows U+FFFD, altbot's codec must refuse
the bytes (a page with them is one file's error naming the byte). Needs Debian's chromium and
Playwright, as the review page's browser tests do: they skip without them, and fail under CI=true."""

from __future__ import annotations

import shutil

import pytest

from altbot.discover import decode, whatwg_codec
from altbot.model import FileError, Kind
from rendered_text import missing  # skip locally, fail under CI=true

SINGLE_BYTE = (
    "windows-874 windows-1250 windows-1251 windows-1252 windows-1253 windows-1254 windows-1255 windows-1256 "
    "windows-1257 windows-1258 ibm866 iso-8859-2 iso-8859-3 iso-8859-4 iso-8859-5 iso-8859-6 iso-8859-7 iso-8859-8 "
    "iso-8859-10 iso-8859-13 iso-8859-14 iso-8859-15 iso-8859-16 koi8-r koi8-u macintosh x-mac-cyrillic"
).split()


@pytest.fixture(scope="module")
def text_decoder():
    """``decode(label, sequences)``: Chromium's TextDecoder reading each byte sequence alone."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed (pip install playwright)")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        missing("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.set_content("<html></html>")

        def decode(label: str, sequences: list[bytes]) -> list[list[int]]:
            """Each sequence's code points. The bytes go as one base64 string and come back as one
            string, NUL between readings (no sequence here reads as NUL): a list per sequence
            each way took seconds."""
            import base64

            joined = page.evaluate(
                """([label, data, lengths]) => {
                     const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
                     const d = new TextDecoder(label); const out = []; let at = 0;
                     for (const n of lengths) { out.push(d.decode(bytes.subarray(at, at + n))); at += n; }
                     return out.join("\\u0000"); }""",
                [label, base64.b64encode(b"".join(sequences)).decode("ascii"), [len(s) for s in sequences]],
            )
            return [[ord(c) for c in reading] for reading in joined.split("\0")]

        yield decode
        browser.close()


def _compare(label: str, sequences: list[bytes], browser: list[list[int]]) -> list[tuple]:
    """(bytes, altbot's reading, Chromium's) wherever they differ; None for "refused"/U+FFFD.
    altbot's reading is its decode of a page that declares ``label`` and holds the bytes."""
    meta = f'<meta charset="{label}">'
    wrong = []
    for seq, points in zip(sequences, browser):
        want = None if 0xFFFD in points else "".join(map(chr, points))
        got = decode(meta.encode() + seq, Kind.HTML, "page.html")
        got = None if isinstance(got, FileError) else got[0][len(meta) :]
        if got is not None and [ord(c) for c in got] == points:
            continue  # the same reading, U+FFFD itself included (GB18030 has bytes for it)
        if got != want:
            wrong.append((seq.hex(), got, want))
    return wrong


@pytest.mark.parametrize("label", SINGLE_BYTE)
def test_every_byte_of_a_single_byte_encoding_reads_as_in_chromium(text_decoder, label):
    sequences = [bytes([b]) for b in range(0x80, 0x100)]
    assert _compare(label, sequences, text_decoder(label, sequences)) == []


def test_every_euc_jp_sequence_reads_as_in_chromium(text_decoder):
    cells = range(0xA1, 0xFF)
    sequences = [bytes([a, b]) for a in cells for b in cells] + [bytes([0x8E, b]) for b in range(0xA1, 0xE0)]
    sequences += [bytes([0x8F, a, b]) for a in cells for b in cells]
    assert _compare("euc-jp", sequences, text_decoder("euc-jp", sequences)) == []


def test_euc_jp_writes_what_it_reads():
    """Every character the EUC-JP codec reads from a two-byte sequence encodes to bytes that read
    back as it (a character browsers read from no bytes is refused, never written as another)."""
    codec = whatwg_codec(b"euc-jp")
    cells = range(0xA1, 0xFF)
    for a in cells:
        for b in cells:
            try:
                ch = bytes([a, b]).decode(codec)
            except UnicodeDecodeError:
                continue
            assert ch.encode(codec).decode(codec) == ch, (hex(a), hex(b), ch)
    for ch in "\u301c\u2016\u2212\u00a2\u00a3\u00ac":  # what Python's euc_jp writes for ～ ∥ － ￠ ￡ ￢
        with pytest.raises(UnicodeEncodeError):
            ch.encode(codec)
        assert ch.encode(codec, "xmlcharrefreplace") == f"&#{ord(ch)};".encode()


@pytest.mark.parametrize(
    "label, leads, trails",
    [
        ("shift_jis", [*range(0x81, 0xA0), *range(0xE0, 0xFD)], [*range(0x40, 0x7F), *range(0x80, 0xFD)]),
        ("euc-kr", range(0x81, 0xFF), range(0x41, 0xFF)),
        # was: 20 pairs read otherwise (GB18030-2022's remappings)
        ("gbk", range(0x81, 0xFF), [*range(0x40, 0x7F), *range(0x80, 0xFF)]),
        # was: 203 pairs refused or read otherwise (HKSCS-2008, control pictures, punctuation)
        ("big5", range(0x81, 0xFF), [*range(0x40, 0x7F), *range(0x80, 0xFF)]),
    ],
)
def test_every_two_byte_sequence_reads_as_in_chromium(text_decoder, label, leads, trails):
    """Shift_JIS (as cp932) and EUC-KR (as cp949) read every pair as Chromium does, as before;
    GBK/GB18030 and Big5 now too."""
    sequences = [bytes([a, b]) for a in leads for b in trails]
    if label == "big5":  # index-big5's four two-code-point pairs: Chromium reads a lone surrogate there
        sequences = [s for s in sequences if s not in BIG5_TWO_POINTS]
    assert _compare(label, sequences, text_decoder(label, sequences)) == []


# index-big5 reads these as two code points; Chromium's TextDecoder gives U+0093 U+DF04 and the
# like (a lone surrogate, in no index), so they are checked against the index itself
BIG5_TWO_POINTS = {b"\x88\x62": "\u00ca\u0304", b"\x88\x64": "\u00ca\u030c", b"\x88\xa3": "\u00ea\u0304", b"\x88\xa5": "\u00ea\u030c"}


def test_big5_two_code_point_pairs_read_as_the_index():
    for seq, text in BIG5_TWO_POINTS.items():
        assert seq.decode("whatwg-big5") == text
        assert text.encode("whatwg-big5") == seq  # and written back as one code


def test_big5_writes_what_it_reads():
    """Every pair's reading encodes to bytes that read back as it; the characters Python's
    big5hkscs writes at codes browsers read as others are refused (a character reference under
    xmlcharrefreplace), never written as the other character."""
    codec = whatwg_codec(b"big5")
    for a in range(0x81, 0xFF):
        for b in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]:
            try:
                text = bytes([a, b]).decode(codec)
            except UnicodeDecodeError:
                continue
            assert text.encode(codec).decode(codec) == text, (hex(a), hex(b), text)
    for ch in "\u2022\u00a5\u00a2\u00a3\u203e":  # Python writes them at 0xA145, 0xA244, …, read as ‧ ￥ ￠ ￡ ¯
        with pytest.raises(UnicodeEncodeError):
            ch.encode(codec)
        assert ch.encode(codec, "xmlcharrefreplace") == f"&#{ord(ch)};".encode()
    assert "\u2550\u5341".encode(codec) == b"\xf9\xf9\xa4\x51"  # WHATWG's encoder: the last of two codes (═), the first (十)


def test_big5_reads_a_page_through_python_and_byte_by_byte_alike():
    """The fast way (Python's codec, the refused pairs through the index) and the pair-by-pair
    way give the same text, and refuse the same byte, on random pages of Big5's edge bytes."""
    import random

    from altbot.whatwg_codecs import _big5_decode

    def read(data, final):
        try:
            return _big5_decode(data, "strict", final)
        except UnicodeDecodeError as exc:
            return exc.start

    rnd = random.Random(5)
    alphabet = [0x20, 0x40, 0x41, 0x45, 0x62, 0x7E, 0x7F, 0x80, 0x81, 0x87, 0x88, 0xA0, 0xA1, 0xA3, 0xA4, 0xC6, 0xCF, 0xF9, 0xFE, 0xFF]
    for _ in range(20000):
        data = bytes(rnd.choice(alphabet) for _ in range(rnd.randint(0, 8)))
        slow = read(data + b"\x20", False)  # the pair-by-pair way (not final), a space to end it
        fast = read(data + b"\x20", True)
        assert slow == fast, data.hex()


def test_every_four_byte_gb18030_sequence_of_the_bmp_reads_as_in_chromium(text_decoder):
    """0x81308130-0x8439FE39 (was: 0x8135F437 read as U+1E3F, which browsers read at 0xA8BC)."""
    sequences = [
        bytes([a, b, c, d]) for a in range(0x81, 0x85) for b in range(0x30, 0x3A) for c in range(0x81, 0xFF) for d in range(0x30, 0x3A)
    ]
    assert _compare("gb18030", sequences, text_decoder("gb18030", sequences)) == []


def test_gb18030_writes_what_it_reads():
    codec = whatwg_codec(b"gb18030")
    for a in range(0x81, 0xFF):
        for b in [*range(0x40, 0x7F), *range(0x80, 0xFF)]:
            try:
                ch = bytes([a, b]).decode(codec)
            except UnicodeDecodeError:
                continue
            assert ch.encode(codec).decode(codec) == ch, (hex(a), hex(b), ch)
    with pytest.raises(UnicodeEncodeError):
        "\ue78d".encode(codec)  # Python writes 0xA6D9 for it, which browsers read as \ufe10
    assert "\ue78d".encode(codec, "xmlcharrefreplace") == b"&#59277;"
