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
    ],
)
def test_every_two_byte_sequence_reads_as_in_chromium(text_decoder, label, leads, trails):
    """Shift_JIS (as cp932) and EUC-KR (as cp949) read every pair as Chromium does, as before;
    GBK/GB18030 now too. (Big5 does not yet: see the README's encodings.)"""
    sequences = [bytes([a, b]) for a in leads for b in trails]
    assert _compare(label, sequences, text_decoder(label, sequences)) == []


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
