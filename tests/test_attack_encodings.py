"""Pages in every encoding a browser reads: fix changes no byte outside the alt, and a charset
no browser reads (a Python codec such as base64) is ignored or one file's error, never the run's."""

from __future__ import annotations

import codecs

import pytest

import altbot
from altbot.caption.base import register
from altbot.cli import main
from altbot.outcome import Caption
from altbot.plan import DecisionError
from tests.conftest import photo


@register("test-encodings")
class _Captioner:
    name = "test-encodings"
    model = "fixed-v1"
    uses = frozenset()

    def __init__(self, **kw) -> None:
        pass

    def caption(self, requests):
        return [Caption("A red square", 0.42, self.name, self.model, None) for _ in requests]


IMG = b'<img src="a.png">'
FIXED = b'<img src="a.png" alt="A red square">'


def _page(meta: bytes, body: bytes) -> bytes:
    return b'<html lang="en"><head>' + meta + b"</head><body>\n<p>" + body + b"</p>\n" + IMG + b"\n</body></html>\n"


def fix(capsys, *argv):
    rc = main(["fix", *argv, "--captioner", "test-encodings", "--no-cache"])
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.mark.parametrize(
    "raw",
    [
        # several byte forms for one text: re-encoding the page used to rewrite them
        pytest.param(_page(b'<meta charset="iso-2022-jp">', b"\x1b$@$3$s$K$A$O\x1b(B \x1b(JYen\x1b(B"), id="iso-2022-jp-old-escapes"),
        pytest.param(_page(b'<meta charset="ms932">', b"\x87\x90 \xfa\x54 \xed\x40"), id="ms932-nec-and-ibm-rows"),
        pytest.param(_page(b'<meta charset="shift_jis">', b"\x87\x40 \x87\x90"), id="shift_jis-nec-circled-one"),
        pytest.param(_page(b'<meta charset="windows-31j">', b"\x87\x40"), id="windows-31j"),
        # labels no browser knows are ignored (the page is UTF-8, as a browser reads it)
        pytest.param(_page(b'<meta charset="utf-7">', b"+AGEAYgBj-"), id="utf-7-is-no-web-label"),
        pytest.param(_page(b'<meta charset="utf-8-sig">', b"caf\xc3\xa9"), id="utf-8-sig-adds-no-bom"),
        pytest.param(_page(b'<meta charset="unicode-escape">', b"a\\nb\r\nc"), id="unicode-escape-keeps-newlines"),
        pytest.param(_page(b'<meta charset="base64">', b"caf\xc3\xa9"), id="base64-ignored"),
        pytest.param(_page(b'<meta charset="rot13"><meta charset="koi8-r">', b"\xf0\xd2\xc9"), id="rot13-ignored-next-meta"),
        pytest.param(_page(b'<meta charset="cp037">', b"plain"), id="ebcdic-ignored"),
        # WHATWG's supersets: pages browsers read that altbot refused
        pytest.param(_page(b'<meta charset="iso-8859-1">', b"caf\xe9 \x81\x8d\x8f\x90\x9d"), id="latin1-c1-bytes"),
        pytest.param(_page(b'<meta charset="gb2312">', b"\x81\x40"), id="gb2312-gbk-character"),
        pytest.param(_page(b'<meta charset="big5">', b"\x92\x77"), id="big5-hkscs-character"),
        pytest.param(_page(b'<meta charset="euc-kr">', b"\x81\x41"), id="euc-kr-uhc-character"),
        # the other windows code pages' C1 bytes, windows-1255's 0xCA and KOI8-U's ў (Chromium's reading)
        pytest.param(_page(b'<meta charset="windows-1250">', b"\xe9 \x81\x83\x88\x90\x98"), id="windows-1250-c1-bytes"),
        pytest.param(_page(b'<meta charset="windows-1251">', b"\xcf\xf0 \x98"), id="windows-1251-c1-byte"),
        pytest.param(_page(b'<meta charset="windows-1253">', b"\xe1 \x81\x9f"), id="windows-1253-c1-bytes"),
        pytest.param(_page(b'<meta charset="iso-8859-9">', b"\xfd \x8e\x9e"), id="windows-1254-c1-bytes"),
        pytest.param(_page(b'<meta charset="windows-1255">', b"\xe0\xca \x8a"), id="windows-1255-05ba-and-c1"),
        pytest.param(_page(b'<meta charset="windows-1257">', b"\xe0 \x83\x9f"), id="windows-1257-c1-bytes"),
        pytest.param(_page(b'<meta charset="windows-1258">', b"\xe0 \x8a\x9e"), id="windows-1258-c1-bytes"),
        pytest.param(_page(b'<meta charset="tis-620">', b"\xa1 \x81\x9f"), id="windows-874-c1-bytes"),
        pytest.param(_page(b'<meta charset="koi8-u">', b"\xae\xbe \xa6"), id="koi8-u-short-u"),
        # EUC-JP's NEC row 13 and IBM rows (Python's euc_jp refused the page), and JIS X 0212's tilde
        pytest.param(_page(b'<meta charset="euc-jp">', b"\xad\xa1\xad\xe2 \xf9\xa1 \xa1\xc1"), id="euc-jp-nec-ibm-rows"),
        pytest.param(_page(b'<meta charset="euc-jp">', b"\x8f\xa2\xb7 ~ \xa4\xb3"), id="euc-jp-jis0212-tilde"),
        pytest.param(_page(b'<meta charset="gb18030">', b"\xa6\xd9 \xa8\xbc \x81\x35\xf4\x37 \xc4\xe3"), id="gb18030-2022-codes"),
        pytest.param(_page(b'<meta charset="big5">', b"\x87\x7a \xa1\x45 \xa3\xe1 \x88\x62 \xa4\xa4"), id="big5-index-codes"),
        # no change: the common encodings, written as ever
        pytest.param(_page(b'<meta charset="utf-8">', b"caf\xc3\xa9"), id="utf-8-no-change"),
        pytest.param(codecs.BOM_UTF8 + _page(b"", b"caf\xc3\xa9").replace(b"\n", b"\r\n"), id="utf-8-bom-crlf-no-change"),
        pytest.param(_page(b'<meta charset="windows-1252">', b"\x93caf\xe9\x94"), id="cp1252-no-change"),
        pytest.param(_page(b'<meta charset="shift_jis">', b"\x82\xb1\x82\xf1"), id="shift_jis-no-change"),
        pytest.param(_page(b'<meta charset="euc-jp">', b"\xa4\xb3\xa4\xf3"), id="euc-jp-no-change"),
        pytest.param(_page(b'<meta charset="koi8-r">', b"\xf0\xd2\xc9"), id="koi8-r-no-change"),
    ],
)
def test_fix_changes_no_byte_outside_the_alt(tmp_path, monkeypatch, capsys, raw):
    monkeypatch.chdir(tmp_path)
    photo(tmp_path / "a.png")
    (tmp_path / "p.html").write_bytes(raw)
    rc, _, err = fix(capsys, ".", "--write")
    assert "internal error" not in err and "Traceback" not in err, err
    assert (tmp_path / "p.html").read_bytes() == raw.replace(IMG, FIXED)
    assert rc == 0  # every finding fixed


@pytest.mark.parametrize(
    "encoding",
    [pytest.param("utf-16-le", id="utf-16-le-bom-no-change"), pytest.param("utf-32-be", id="utf-32-be-bom-no-change")],
)
def test_fix_utf16_32_with_bom_no_change(tmp_path, monkeypatch, capsys, encoding):
    monkeypatch.chdir(tmp_path)
    photo(tmp_path / "a.png")
    bom = codecs.BOM_UTF16_LE if encoding == "utf-16-le" else codecs.BOM_UTF32_BE
    text = _page(b"", b"caf\xc3\xa9 \xf0\x9f\x98\x80").decode("utf-8")
    (tmp_path / "p.html").write_bytes(bom + text.encode(encoding))
    fix(capsys, ".", "--write")
    assert (tmp_path / "p.html").read_bytes() == bom + text.replace(IMG.decode(), FIXED.decode()).encode(encoding)


# An ISO-2022-JP page whose src ends inside a JIS X 0208 run: the missing alt would go where the
# decoder reads two-byte kanji, so it cannot be spliced in; it is refused, never approximated.
JIS_IN_KANJI = b'<img src=\x1b$B$3\x1b(B>'
JIS_IN_ASCII = b'<img src=\x1b$B$3\x1b(B.png>'


@pytest.mark.parametrize(
    "tag, written",
    [
        pytest.param(JIS_IN_KANJI, None, id="insertion-in-a-kanji-run-refused"),
        pytest.param(JIS_IN_ASCII, b'<img src=\x1b$B$3\x1b(B.png alt="A red square">', id="insertion-in-ascii-no-change"),
    ],
)
def test_edit_that_cannot_be_spliced_is_refused_others_written(tmp_path, monkeypatch, capsys, tag, written):
    monkeypatch.chdir(tmp_path)
    photo(tmp_path / "a.png")
    photo(tmp_path / "\u3053.png", 3)
    (tmp_path / "\u3053").write_bytes((tmp_path / "\u3053.png").read_bytes())
    raw = b'<html lang="en"><head><meta charset="iso-2022-jp"></head><body>\n' + tag + b"\n" + IMG + b"\n</body></html>\n"
    (tmp_path / "jis.html").write_bytes(raw)
    (tmp_path / "good.html").write_bytes(b'<html lang="en">' + IMG)
    rc, _, err = fix(capsys, ".", "--write")
    assert "internal error" not in err and "Traceback" not in err, err
    assert (tmp_path / "good.html").read_bytes() == b'<html lang="en">' + FIXED
    got = (tmp_path / "jis.html").read_bytes()
    if written is None:
        assert got == raw.replace(IMG, FIXED)  # the image that can be edited is
        line = next(x for x in err.splitlines() if x.startswith("jis.html"))
        assert "cannot edit 1 image" in line and "iso2022_jp" in line and "UTF-8" in line
        assert rc == 1  # the refused finding remains
    else:
        assert got == raw.replace(IMG, FIXED).replace(tag, written)
        assert "jis.html" not in err


def test_review_decision_that_cannot_be_spliced_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    photo(tmp_path / "k.png", 3)
    (tmp_path / "\u3053").write_bytes((tmp_path / "k.png").read_bytes())
    raw = b'<html lang="en"><head><meta charset="iso-2022-jp"></head><body>\n' + JIS_IN_KANJI + b"\n</body></html>\n"
    (tmp_path / "jis.html").write_bytes(raw)
    plan = altbot.plan_fix(["."], captioner="test-encodings", no_cache=True)
    (p,) = plan.proposals
    with pytest.raises(DecisionError, match="iso2022_jp"):
        plan.decide(p.id, "accept", "A kana")
    assert plan.diff() == ""
    plan.write()
    assert (tmp_path / "jis.html").read_bytes() == raw


@pytest.mark.parametrize(
    "meta, error",
    [
        pytest.param(b'<meta charset="iso-2022-kr">', "browsers do not decode", id="replacement-encoding"),
        pytest.param(b'<meta charset="hz-gb-2312">', "browsers do not decode", id="replacement-hz"),
        pytest.param(b'<meta charset="base64">', None, id="base64-read-as-utf-8"),
        pytest.param(b'<meta charset="hex">', None, id="hex-read-as-utf-8"),
        pytest.param(b'<meta charset="undefined">', None, id="undefined-read-as-utf-8"),
        pytest.param(b'<meta charset="idna">', None, id="idna-read-as-utf-8"),
        pytest.param(b'<meta charset="punycode">', None, id="punycode-read-as-utf-8"),
        pytest.param(b'<meta charset="utf-8">', None, id="utf-8-no-change"),
    ],
)
def test_a_bad_charset_is_one_files_error(tmp_path, monkeypatch, capsys, meta, error):
    monkeypatch.chdir(tmp_path)
    photo(tmp_path / "a.png")
    bad = b'<html lang="en"><head>' + meta + b"</head><body>" + IMG + b"</body></html>"
    (tmp_path / "bad.html").write_bytes(bad)
    (tmp_path / "good.html").write_bytes(b'<html lang="en">' + IMG)
    _, _, err = fix(capsys, ".", "--write")
    assert "internal error" not in err and "Traceback" not in err, err
    assert (tmp_path / "good.html").read_bytes() == b'<html lang="en">' + FIXED
    if error is None:
        assert (tmp_path / "bad.html").read_bytes() == bad.replace(IMG, FIXED)
    else:
        assert (tmp_path / "bad.html").read_bytes() == bad
        (line,) = [x for x in err.splitlines() if x.startswith("bad.html")]
        assert error in line and "UTF-8" in line
    # check says the same per file
    assert main(["check", "bad.html"]) in (0, 1, 2)
    out, err = capsys.readouterr()
    assert "internal error" not in out + err and "Traceback" not in out + err
