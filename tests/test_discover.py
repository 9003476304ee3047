"""Walking, ignoring and decoding: every file either decodes exactly or gets a clear error."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from altbot.config import Config, config_from_table
from altbot.discover import decode, iter_candidates, read_source
from altbot.model import FileError, Kind


@pytest.mark.parametrize(
    "raw, kind, text, encoding, bom",
    [
        pytest.param(b"<p>caf\xc3\xa9</p>", Kind.HTML, "<p>café</p>", "utf-8", b"", id="utf8"),
        pytest.param(codecs.BOM_UTF8 + b"# hi\r\n", Kind.MARKDOWN, "# hi\r\n", "utf-8", codecs.BOM_UTF8, id="utf8-bom-crlf"),
        pytest.param(
            codecs.BOM_UTF16_LE + "<p>é</p>".encode("utf-16-le"), Kind.HTML, "<p>é</p>", "utf-16-le", codecs.BOM_UTF16_LE,
            id="utf16le-bom",
        ),
        pytest.param(
            codecs.BOM_UTF16_BE + "<p>é</p>".encode("utf-16-be"), Kind.HTML, "<p>é</p>", "utf-16-be", codecs.BOM_UTF16_BE,
            id="utf16be-bom",
        ),
        pytest.param(
            b'<meta charset="iso-8859-1"><p>caf\xe9</p>', Kind.HTML, '<meta charset="iso-8859-1"><p>café</p>', "cp1252", b"",
            id="meta-charset-latin1",
        ),
        pytest.param(
            b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><p>\x93q\x94</p>',
            Kind.HTML,
            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><p>\u201cq\u201d</p>',
            "cp1252",
            b"",
            id="http-equiv-cp1252",
        ),
        pytest.param(b"a\rb\nc\r\n", Kind.MARKDOWN, "a\rb\nc\r\n", "utf-8", b"", id="mixed-newlines-kept"),
        # what browsers decode, though Python's codec of the same name refuses it
        pytest.param(
            b'<meta charset="shift_jis">\x87\x40', Kind.HTML, '<meta charset="shift_jis">\u2460', "cp932", b"", id="shift_jis-nec-row"
        ),
        pytest.param(b'<meta charset="gb2312">\x81\x40', Kind.HTML, '<meta charset="gb2312">\u4e02', "whatwg-gb18030", b"", id="gb2312-gbk"),
        pytest.param(b'<meta charset="big5">\x92\x77', Kind.HTML, '<meta charset="big5">\u3435', "whatwg-big5", b"", id="big5-hkscs"),
        # Big5 as WHATWG's index-big5 reads it (was: refused, or another character)
        pytest.param(b'<meta charset="big5">\x87\x7a\xa3\xc0\xc6\xcf', Kind.HTML, '<meta charset="big5">\u3875\u2400\u5ef4',
                     "whatwg-big5", b"", id="big5-hkscs-2008-control-picture-radical"),
        pytest.param(b'<meta charset="big5">\xa1\x45\xa2\x41\xa2\x44', Kind.HTML, '<meta charset="big5">\u2027\u2215\uffe5',
                     "whatwg-big5", b"", id="big5-punctuation"),
        pytest.param(b'<meta charset="big5">\x88\x62\x88\x66', Kind.HTML, '<meta charset="big5">\u00ca\u0304\u00ca',
                     "whatwg-big5", b"", id="big5-two-code-points-no-change"),
        pytest.param(b'<meta charset="big5">\xa4\xa4\xa4\xe5 abc', Kind.HTML, '<meta charset="big5">\u4e2d\u6587 abc',
                     "whatwg-big5", b"", id="big5-no-change"),
        pytest.param(
            b'<meta charset="latin1">\x81\x8d\xe9',
            Kind.HTML,
            '<meta charset="latin1">\x81\x8d\xe9',
            "whatwg-windows-1252",
            b"",
            id="latin1-c1-bytes",
        ),
        # where WHATWG's index differs from Python's codec: the bytes as Chromium's TextDecoder reads them
        pytest.param(b'<meta charset="windows-1250">\x81\x98\xe9', Kind.HTML, '<meta charset="windows-1250">\x81\x98\xe9',
                     "whatwg-cp1250", b"", id="windows-1250-c1"),
        pytest.param(b'<meta charset="windows-1250">\xe9', Kind.HTML, '<meta charset="windows-1250">\xe9', "cp1250", b"",
                     id="windows-1250-no-change"),
        pytest.param(b'<meta charset="windows-1255">\xca', Kind.HTML, '<meta charset="windows-1255">\u05ba', "whatwg-cp1255",
                     b"", id="windows-1255-holam-haser"),
        pytest.param(b'<meta charset="koi8-u">\xae\xbe', Kind.HTML, '<meta charset="koi8-u">\u045e\u040e', "whatwg-koi8-u",
                     b"", id="koi8-u-is-koi8-ru"),  # was: '\u255d\u256c', box drawing
        pytest.param(b'<meta charset="koi8-u">\xa6', Kind.HTML, '<meta charset="koi8-u">\u0456', "whatwg-koi8-u", b"",
                     id="koi8-u-other-letters-unchanged"),
        pytest.param(b'<meta charset="base64">caf\xc3\xa9', Kind.HTML, '<meta charset="base64">caf\xe9', "utf-8", b"", id="base64-is-no-web-charset"),
    ],
)
def test_decode_round_trips(raw, kind, text, encoding, bom):
    got = decode(raw, kind, "x")
    assert got == (text, encoding, bom)
    t, enc, b = got
    assert b + t.encode(enc) == raw


@pytest.mark.parametrize(
    "raw, kind, fragment",
    [
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", Kind.HTML, "binary file", id="binary"),
        pytest.param(b"<p>caf\xe9</p>", Kind.HTML, "<meta charset>", id="latin1-undeclared-html"),
        pytest.param(b"line\ncaf\xe9", Kind.MARKDOWN, "re-save the file as UTF-8", id="latin1-markdown"),
        pytest.param(b'<meta charset="iso-2022-kr">x', Kind.HTML, "browsers do not decode", id="replacement-encoding"),
        pytest.param(b'<meta charset="hz-gb-2312">x', Kind.HTML, "re-save it as UTF-8", id="replacement-hz"),
        # no change: a byte WHATWG leaves undefined too (browsers show U+FFFD) stays an error
        pytest.param(b'<meta charset="windows-1253">\xaa', Kind.HTML, "(byte 0xaa)", id="windows-1253-undefined"),
        pytest.param(b'<meta charset="windows-874">\xdb', Kind.HTML, "(byte 0xdb)", id="windows-874-undefined"),
    ],
)
def test_decode_errors_are_clear(raw, kind, fragment):
    got = decode(raw, kind, "x.html")
    assert isinstance(got, FileError)
    assert fragment in got.message


def test_a_koi8_u_page_is_written_in_koi8_ru():
    """An alt with ў goes into a KOI8-U page as the byte browsers read as ў (was: Python's
    koi8-u, where 0xAE is a box-drawing character and ў cannot be written)."""
    _, enc, _ = decode(b'<meta charset="koi8-u">\xa6', Kind.HTML, "x.html")  # a page without ў in it too
    assert "\u045e\u040e".encode(enc) == b"\xae\xbe"
    with pytest.raises(UnicodeEncodeError):
        "\u255d".encode(enc)  # not in WHATWG's KOI8-U: fix writes a character reference instead


def test_undecodable_error_names_line():
    got = decode(b"ok\nok\nbad \xff here", Kind.MARKDOWN, "x.md")
    assert isinstance(got, FileError) and got.line == 3


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(content)


def _paths(root: Path, cfg: Config, args=None) -> tuple[list[str], list[FileError]]:
    errors: list[FileError] = []
    got = [Path(c.path).relative_to(root.resolve()).as_posix() for c in iter_candidates(args or [str(root)], cfg, errors)]
    return got, errors


def test_walk_respects_gitignore_types_and_globs(tmp_path):
    (tmp_path / ".git").mkdir()
    _tree(
        tmp_path,
        {
            ".gitignore": "public/\n*.draft.md\n",
            "content/a.md": "",
            "content/b.draft.md": "",
            "content/sub/.gitignore": "secret.html\n",
            "content/sub/secret.html": "",
            "content/sub/page.html": "",
            "content/c.mdx": "",
            "content/d.txt": "",
            "public/index.html": "",
            "node_modules/x/readme.md": "",
            "layouts/x.HTM": "",
        },
    )
    cfg = Config(root=tmp_path)
    got, errors = _paths(tmp_path, cfg)
    assert errors == []
    assert got == ["content/a.md", "content/c.mdx", "content/sub/page.html", "layouts/x.HTM"]

    cfg = Config(root=tmp_path, respect_gitignore=False)
    got, _ = _paths(tmp_path, cfg)
    assert "public/index.html" in got and "content/b.draft.md" in got and "content/sub/secret.html" in got
    assert not any(p.startswith("node_modules") for p in got)

    cfg = config_from_table({"exclude": ["layouts/"], "include": ["content/**"]}, root=tmp_path)
    got, _ = _paths(tmp_path, cfg)
    assert got == ["content/a.md", "content/c.mdx", "content/sub/page.html"]


def test_explicit_files(tmp_path):
    _tree(tmp_path, {"a.html": "", "notes.txt": "", "ignored.md": ""})
    (tmp_path / ".gitignore").write_text("ignored.md\n")
    cfg = config_from_table({"exclude": ["a.html"]}, root=tmp_path)
    args = [str(tmp_path / n) for n in ("a.html", "notes.txt", "ignored.md", "missing.md")]
    got, errors = _paths(tmp_path, cfg, args)
    # excluded by config even when named; .gitignore does not apply to a named file
    assert got == ["ignored.md"]
    messages = sorted(e.message for e in errors)
    assert messages[0] == "no such file or directory"
    assert "unsupported file type '.txt'" in messages[1]


def test_custom_extension_mapping(tmp_path):
    _tree(tmp_path, {"page.njk": "", "a.md": ""})
    cfg = config_from_table({"extensions": {".njk": "html"}}, root=tmp_path)
    got, _ = _paths(tmp_path, cfg)
    assert got == ["a.md", "page.njk"]


def test_huge_file_is_an_error(tmp_path):
    f = tmp_path / "big.html"
    f.write_bytes(b"<p>" + b"x" * 2000)
    cfg = Config(root=tmp_path, max_file_size=1000)
    (cand,) = iter_candidates([str(f)], cfg, [])
    got = read_source(cand, cfg)
    assert isinstance(got, FileError) and "over the" in got.message and "max-file-size" in got.message


def test_display_paths_are_relative_to_cwd_with_slashes(tmp_path, monkeypatch):
    _tree(tmp_path, {"site/content/a.md": "", "other/b.html": ""})
    monkeypatch.chdir(tmp_path / "site")
    cfg = Config(root=tmp_path)
    shown = [c.display for c in iter_candidates([".", "../other", str(tmp_path / "other" / "b.html")], cfg, [])]
    # the walked dir is shown as given; a file already found is not listed twice
    assert shown == ["content/a.md", "../other/b.html"]


@pytest.mark.parametrize(
    "path, walked, base, shown",
    [
        ("/srv/site/content/a.md", "/srv/site", ".", "content/a.md"),  # no change
        ("/srv/site/content/a.md", "/srv/site", "../site", "../site/content/a.md"),  # no change
        # a walk of / (``altbot check ../..`` up to it): was "mp/site/..." (the first letter lost)
        ("/srv/site/a.md", "/", "../..", "../../srv/site/a.md"),
        ("/srv/site/a.md", "/", "/", "/srv/site/a.md"),
    ],
)
def test_a_path_found_in_a_walk_is_shown_below_the_path_given(path, walked, base, shown):
    from altbot.discover import _shown_below

    assert _shown_below(path, walked, base) == shown


@pytest.mark.parametrize(
    "head, expected",
    [
        pytest.param(b'<meta charset="iso-8859-1">', "cp1252", id="charset"),
        pytest.param(b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', "cp1252", id="http-equiv"),
        pytest.param(b'<meta content="text/html; charset=euc-jp" http-equiv="content-type">', "whatwg-euc-jp", id="content-first"),
        pytest.param(b"<!-- <meta charset=koi8-r> --><meta charset='shift_jis'>", "cp932", id="commented-out-meta-skipped"),
        pytest.param(b'<meta charset="bogus"><meta charset="latin2">', "iso8859-2", id="unknown-label-then-next"),
        pytest.param(b'<meta name="x" content="charset=latin1">', None, id="content-without-http-equiv-no-change"),
        pytest.param(b"<metaphor charset=latin1>", None, id="not-a-meta-no-change"),
        pytest.param(b'<meta charset="utf-16">', "utf-8", id="utf16-means-utf8"),
        pytest.param(b"x" * 1020 + b"<meta charset=latin1>", None, id="past-1024-bytes-no-change"),
        pytest.param(b"<p>no meta</p>", None, id="none-no-change"),
        # WHATWG's labels, never any Python codec name: the others are skipped, as browsers skip them
        pytest.param(b'<meta charset="base64">', None, id="base64-skipped"),
        pytest.param(b'<meta charset="hex"><meta charset="latin2">', "iso8859-2", id="hex-skipped-then-next"),
        pytest.param(b'<meta charset="rot13">', None, id="rot13-skipped"),
        pytest.param(b'<meta charset="undefined">', None, id="undefined-skipped"),
        pytest.param(b'<meta charset="punycode">', None, id="punycode-skipped"),
        pytest.param(b'<meta charset="idna">', None, id="idna-skipped"),
        pytest.param(b'<meta charset="unicode-escape">', None, id="unicode-escape-skipped"),
        pytest.param(b'<meta charset="utf-7">', None, id="utf-7-skipped"),
        pytest.param(b'<meta charset="utf-8-sig">', None, id="utf-8-sig-skipped"),
        pytest.param(b'<meta charset="cp037">', None, id="ebcdic-skipped"),
        pytest.param(b'<meta charset="windows-31j">', "cp932", id="windows-31j-is-shift_jis"),
        pytest.param(b'<meta charset="ms932">', "cp932", id="ms932-is-shift_jis-no-change"),
        pytest.param(b'<meta charset="gb2312">', "whatwg-gb18030", id="gb2312-decodes-as-gb18030"),
        pytest.param(b'<meta charset="big5">', "whatwg-big5", id="big5-decodes-as-index-big5"),
        pytest.param(b'<meta charset="euc-kr">', "cp949", id="euc-kr-is-uhc"),
        pytest.param(b'<meta charset="iso-2022-kr">', "replacement", id="iso-2022-kr-is-replacement"),
        pytest.param(b'<meta charset="x-user-defined">', "cp1252", id="x-user-defined-means-windows-1252"),
        pytest.param(b'<meta charset="UTF-16LE">', "utf-8", id="utf-16le-means-utf8-no-change"),
        pytest.param(b'<meta charset=" US-ASCII ">', "cp1252", id="ascii-whitespace-and-case-no-change"),
        pytest.param(b'<meta charset="utf8">', "utf-8", id="utf8-no-change"),
    ],
)
def test_whatwg_prescan(head, expected):
    from altbot.discover import _declared_html_encoding

    assert _declared_html_encoding(head) == expected
