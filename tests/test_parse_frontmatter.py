"""Tests for altbot.parse.frontmatter."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from altbot.model import LineIndex, Span, Syntax
from altbot.parse.base import DEFAULT_FRONT_MATTER_FIELDS, FrontMatterField
from altbot.parse.frontmatter import parse_front_matter, split_front_matter
import altbot.parse.frontmatter as fm_mod
from altbot.parse.base import ParseResult

F = DEFAULT_FRONT_MATTER_FIELDS


def parse(text, fields=F):
    return parse_front_matter(text, "doc.md", LineIndex(text), fields)


def sl(text, span):
    return None if span is None else text[span.start : span.end]


# ---------------------------------------------------------------- splitting

SPLIT_CASES = [
    pytest.param("---\na: 1\n---\nbody", ("yaml", 13), id="yaml-lf"),
    pytest.param("---\r\na: 1\r\n---\r\nbody", ("yaml", 16), id="yaml-crlf"),
    pytest.param("---\na: 1\n...\nbody", ("yaml", 13), id="yaml-dots-closer"),
    pytest.param("---  \na: 1\n---\t\nbody", ("yaml", 16), id="trailing-blanks"),
    pytest.param("---\na: 1\n---", ("yaml", 12), id="closer-at-eof"),
    pytest.param("---\n---\n", ("yaml", 8), id="empty-yaml"),
    pytest.param("+++\na = 1\n+++\nbody", ("toml", 14), id="toml"),
    pytest.param("+++\r\na = 1\r\n+++\r\n", ("toml", 17), id="toml-crlf"),
    pytest.param("---\na: 1\n", None, id="unclosed"),
    pytest.param("--- x\na: 1\n---\n", None, id="text-after-opener"),
    pytest.param("----\na: 1\n---\n", None, id="four-dashes"),
    pytest.param("\n---\na: 1\n---\n", None, id="not-at-start"),
    pytest.param("# Title\n", None, id="none"),
    pytest.param("", None, id="empty"),
    pytest.param("---", None, id="opener-only"),
    pytest.param("+++\na = 1\n---\n", None, id="mismatched-closer"),
]


@pytest.mark.parametrize("text, expected", SPLIT_CASES)
def test_split(text, expected):
    fm = split_front_matter(text)
    if expected is None:
        assert fm is None
        return
    fmt, body_start = expected
    assert fm.format == fmt
    assert fm.body_start == body_start
    assert fm.span.start == 0 and fm.span.end == body_start


# ------------------------------------------------------------------ images

# expected: list of (src, alt, alt_span_text, element_text, line, column, insert_text)
# insert_text: the text that follows insert_at (first 12 chars)
IMAGE_CASES = [
    pytest.param(
        "---\ntitle: Hi\nimage: /img/a.jpg\nimage_alt: A cat\n---\n",
        [("/img/a.jpg", "A cat", "A cat", "image: /img/a.jpg", 3, 1, "image_alt: A")],
        id="yaml-plain",
    ),
    pytest.param(
        "---\r\nimage: \"/img/a.jpg\"\r\nimage_alt: \"A \\\"cat\\\"\"\r\n---\r\n",
        [('/img/a.jpg', 'A "cat"', 'A \\"cat\\"', 'image: "/img/a.jpg"', 2, 1, "image_alt: \"")],
        id="yaml-double-crlf",
    ),
    pytest.param(
        "---\nimage: 'a.jpg' # hero\nimage_alt: 'It''s' # alt\n---\n",
        [("a.jpg", "It's", "It''s", "image: 'a.jpg'", 2, 1, "image_alt: '")],
        id="yaml-single-comments",
    ),
    pytest.param(
        "---\nimage: a.jpg\n---\n",
        [("a.jpg", None, None, "image: a.jpg", 2, 1, "---\n")],
        id="yaml-missing-alt",
    ),
    pytest.param(
        "---\nimage: a.jpg\nimage_alt:\n---\n",
        [("a.jpg", "", "", "image: a.jpg", 2, 1, "image_alt:\n-")],
        id="yaml-empty-alt",
    ),
    pytest.param(
        "---\nimage: a.jpg\nimage_alt: ~\n---\n",
        [("a.jpg", "", "~", "image: a.jpg", 2, 1, "image_alt: ~")],
        id="yaml-null-alt",
    ),
    pytest.param(
        "---\nimage: a.jpg\nimage_alt: \"\"\n---\n",
        [("a.jpg", "", "", "image: a.jpg", 2, 1, "image_alt: \"")],
        id="yaml-empty-quoted-alt",
    ),
    pytest.param(
        "---\ncover:\n  image: c.png\n  alt: Cover\n---\n",
        [("c.png", "Cover", "Cover", "image: c.png", 3, 3, "  alt: Cover")],
        id="yaml-nested",
    ),
    pytest.param(
        "---\ncover: {image: c.png, alt: \"Flow\"}\n---\n",
        [("c.png", "Flow", "Flow", "image: c.png", 2, 9, ", alt: \"Flow")],
        id="yaml-flow-mapping",
    ),
    pytest.param(
        "---\nimages:\n  - src: a.jpg\n    alt: First\n  - src: b.jpg\n---\n",
        [
            ("a.jpg", "First", "First", "src: a.jpg", 3, 5, "    alt: Fir"),
            ("b.jpg", None, None, "src: b.jpg", 5, 5, "---\n"),
        ],
        id="yaml-list-of-mappings",
    ),
    pytest.param(
        "---\nimage: |\n  a.jpg\nimage_alt: >-\n  folded\n  alt\n---\n",
        [("a.jpg\n", "folded alt", "image_alt: >-"[11:] + "\n  folded\n  alt", "image: |\n  a.jpg", 2, 1, "image_alt: >")],
        id="yaml-block-scalars",
    ),
    pytest.param(
        "---\nimage: \"\"\nthumbnail: 42\ncover: x.jpg\n---\n",
        [],
        id="yaml-empty-or-non-string-images",
    ),
    pytest.param("---\ntitle: x\n---\n![a](b.png)\n", [], id="yaml-no-image"),
    pytest.param(
        "+++\ntitle = \"x\"\nimage = \"/a.jpg\" # c\nimage_alt = 'A cat'\n+++\n",
        [("/a.jpg", "A cat", "A cat", 'image = "/a.jpg"', 3, 1, "image_alt = ")],
        id="toml-top-level",
    ),
    pytest.param(
        "+++\r\nimage = \"/a.jpg\"\r\n+++\r\nbody",
        [("/a.jpg", None, None, 'image = "/a.jpg"', 2, 1, "+++\r\nbody")],
        id="toml-missing-alt-crlf",
    ),
    pytest.param(
        "+++\n[cover]\n  image = \"c.png\"\n  alt = \"\"\n+++\n",
        [("c.png", "", "", 'image = "c.png"', 3, 3, '  alt = ""\n+')],
        id="toml-table",
    ),
    pytest.param(
        "+++\n[[images]]\nsrc = 'a.jpg'\nalt = \"\"\"\nMulti\"\"\"\n[[images]]\nsrc = \"b.jpg\"\n+++\n",
        [
            ("a.jpg", "Multi", "\nMulti", "src = 'a.jpg'", 3, 1, 'alt = """\nMu'),
            ("b.jpg", None, None, 'src = "b.jpg"', 7, 1, "+++\n"),
        ],
        id="toml-array-of-tables",
    ),
    pytest.param(
        "+++\ncover.image = \"q.jpg\"\n+++\n",
        [("q.jpg", None, None, 'cover.image = "q.jpg"', 2, 1, "+++\n")],
        id="toml-dotted-key",
    ),
    pytest.param(
        "+++\nimages = [{src = \"a\", alt = \"b\"}]\n+++\n",
        [("a", "b", "b", 'src = "a"', 2, 12, ', alt = "b"}')],
        id="toml-inline-tables",
    ),
]


@pytest.mark.parametrize("text, expected", IMAGE_CASES)
def test_images(text, expected):
    fm, result = parse(text)
    assert fm is not None
    assert result.errors == []
    got = [
        (
            im.src,
            im.alt,
            sl(text, im.alt_span),
            sl(text, im.element_span),
            im.line,
            im.column,
            text[im.insert_at : im.insert_at + 12],
        )
        for im in result.images
    ]
    assert got == expected
    for im in result.images:
        assert im.syntax is Syntax.FRONTMATTER
        assert im.element == "front-matter"
        assert im.fixable


def test_extra_records_how_to_insert():
    text = "---\r\nimages:\r\n  - src: a.jpg\r\n---\r\n"
    _, result = parse(text)
    (im,) = result.images
    h = im.hints
    assert h.key == "src"
    assert h.alt_key == "alt"
    assert h.indent == "    "
    assert h.newline == "\r\n"
    assert h.format == "yaml"
    assert h.path == "images[0].src"
    assert h.field == "images[].src"
    assert not h.flow
    assert text[im.insert_at :].startswith("---")


def test_toml_dotted_alt_key_keeps_prefix():
    text = "+++\ncover.image = \"q.jpg\"\n+++\n"
    _, result = parse(text)
    assert result.images[0].hints.alt_key == "cover.alt"


def test_flow_extra():
    text = "---\ncover: {image: c.png}\n---\n"
    _, result = parse(text)
    (im,) = result.images
    assert im.hints.flow
    assert text[im.insert_at] == "}"


def test_custom_fields():
    text = "---\nhero:\n  banner:\n    - url: x.png\n      text: X\n---\n"
    fields = (FrontMatterField("hero.banner[].url", "hero.banner[].text"),)
    _, result = parse(text, fields)
    assert [(i.src, i.alt) for i in result.images] == [("x.png", "X")]


def test_alias_alt_is_not_editable():
    text = "---\nbase: &a Shared\nimage: a.jpg\nimage_alt: *a\n---\n"
    _, result = parse(text)
    (im,) = result.images
    assert im.dynamic_alt
    assert im.alt_span.start == im.alt_span.end


@pytest.mark.parametrize(
    "text, lang",
    [
        pytest.param("---\nlang: fr\n---\n", "fr", id="lang"),
        pytest.param("---\nlanguage: de-CH\n---\n", "de-CH", id="language"),
        pytest.param("+++\nlocale = \"pt_BR\"\n+++\n", "pt_BR", id="locale-toml"),
        pytest.param("---\nlang: 5\n---\n", None, id="not-a-string"),
        pytest.param("---\ntitle: x\n---\n", None, id="absent"),
    ],
)
def test_lang(text, lang):
    _, result = parse(text)
    assert result.lang == lang
    assert result.lang_source == ("front-matter" if lang else None)


@pytest.mark.parametrize(
    "text, line",
    [
        pytest.param("---\ntitle: x\nimage: [a.jpg\n---\nbody\n", 4, id="yaml-unclosed-flow"),
        pytest.param("---\ntitle: a: b\nimage: a.jpg\n---\n", 2, id="yaml-colon"),
        pytest.param("---\r\na: 1\r\na: 2\r\n---\r\n", 3, id="yaml-duplicate-key"),
        pytest.param("---\n- a\n- b\n---\n", 2, id="yaml-not-mapping"),
        pytest.param("+++\ntitle = \"x\"\nimage = a.jpg\n+++\n", 3, id="toml-unquoted"),
        pytest.param("+++\r\na = 1\r\na = 2\r\n+++\r\n", 3, id="toml-duplicate"),
    ],
)
def test_invalid(text, line):
    fm, result = parse(text)
    assert fm is not None and fm.data is None
    assert result.images == []
    assert len(result.errors) == 1
    err = result.errors[0]
    assert err.path == "doc.md"
    assert "front matter" in err.message
    assert err.line == line
    assert fm.body_start == split_front_matter(text).body_start


def test_no_front_matter():
    fm, result = parse("# Hello\n")
    assert fm is None
    assert result.images == [] and result.errors == []


def test_data_loaded():
    fm, _ = parse("---\ntitle: x\ntags: [a, b]\n---\n")
    assert fm.data == {"title": "x", "tags": ["a", "b"]}
    fm, _ = parse("+++\ntitle = 'x'\n[cover]\nimage = 'c'\n+++\n")
    assert fm.data == {"title": "x", "cover": {"image": "c"}}


# -------------------------------------------------------------- robustness

_pieces = st.sampled_from(
    [
        "---", "+++", "...", "\n", "\r\n", "\r", " ", "  ", "- ", ":", ": ", "=", " = ",
        "image", "image_alt", "cover", "images", "src", "alt", "[", "]", "[[images]]",
        "{", "}", ",", '"', "'", '"""', "#", "a.jpg", "~", "|", ">", "&a", "*a", "\t",
        "lang", "\ufeff", "\x85", "\u2028", "é",
    ]
)


def _check(text):
    fm, result = parse(text)
    n = len(text)
    for im in result.images:
        for sp in (im.element_span, im.alt_span):
            if sp is not None:
                assert 0 <= sp.start <= sp.end <= n
        assert 0 <= im.insert_at <= n
        assert im.line >= 1 and im.column >= 1
    if fm is not None:
        assert 0 <= fm.body_start <= n


@settings(max_examples=300, deadline=None)
@given(st.lists(_pieces, max_size=40).map("".join))
def test_fuzz_structured(text):
    _check("---\n" + text + "\n---\n")
    _check("+++\n" + text + "\n+++\n")
    _check(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_fuzz_any_text(text):
    _check(text)
    _check("---\n" + text + "\n---\n")
    _check("+++\n" + text + "\n+++\n")


@pytest.mark.parametrize(
    "text, offset_text",
    [
        pytest.param("---\nimage: a.jpg\nimage_alt:\n---\n", "image_alt:", id="no-blank"),
        pytest.param("---\nimage: a.jpg\nimage_alt: \n---\n", "image_alt: ", id="one-blank"),
        pytest.param("---\r\nimage: a.jpg\r\nimage_alt:   # todo\r\n---\r\n", "image_alt: ", id="comment"),
    ],
)
def test_empty_alt_span_is_after_colon_and_one_blank(text, offset_text):
    _, result = parse(text)
    (im,) = result.images
    pos = text.index(offset_text) + len(offset_text)
    assert (im.alt_span.start, im.alt_span.end) == (pos, pos)
    assert im.hints.alt_style == "empty"


# -------------------------------------------------------------- imageless="lang" (what parse_source asks)

_LAZY_CASES = [
    "---\ntitle: x\n---\nbody",
    "---\ntitle: x\nlang: fr\n---\n",
    "---\ntitle: x\nlanguage: de-CH\n---\n",
    "---\nlocale: \"pt-BR\"\nlang: \"\"\n---\n",
    "---\nlang: no\n---\n",  # a YAML 1.1 boolean: no page language
    "---\ntitle: a: b\n---\n",  # invalid, nothing to read: no longer reported
    "---\ntitle: a: b\nlang: fr\n---\n",  # invalid with a language key: reported
    "---\na: 1\na: 2\n---\n",
    "---\n- a\n- b\n---\n",
    "---\nx: 2024-13-01\n---\n",
    "---\n\"im\\x61ge\": a.png\n---\n",  # an escape spells the key
    "---\nbase: &b {image: a.png}\n<<: *b\n---\n",
    "---\n? image\n: a.png\n---\n",
    "---\ncover:\n  image: c.png\n  alt: C\n---\n",
    "---\ntitle: x\nimage: a.jpg\nimage_alt:\n---\n",
    "+++\ntitle = 'x'\n+++\n",
    "+++\ntitle = 'x'\nlang = 'fr'\n+++\n",
    "+++\na = 1\na = 2\n+++\n",
    "+++\n\"im\\u0061ge\" = 'a.png'\n+++\n",
    "+++\n[cover]\nimage = 'c.png'\n+++\n",
]


def _lazy_agrees(text: str, fields=F) -> None:
    full_fm, full = parse_front_matter(text, "doc.md", LineIndex(text), fields)
    lazy_fm, lazy = parse_front_matter(text, "doc.md", LineIndex(text), fields, imageless="lang")
    assert lazy.images == full.images
    assert (lazy.lang, lazy.lang_source) == (full.lang, full.lang_source)
    assert lazy.excluded == full.excluded
    assert (lazy_fm is None) == (full_fm is None)
    if lazy_fm is not None:
        assert lazy_fm.body_start == full_fm.body_start
    if lazy.errors != full.errors:
        # only a front matter that can hold no image field nor language (nor alias) goes unread
        assert lazy.errors == [] and lazy_fm.data is None
        body = text[lazy_fm.content_span.start : lazy_fm.content_span.end]
        assert not any(k in body for k in ("image", "thumbnail", "cover", "hero", "gallery", "lang", "locale", "*", "\\"))


@pytest.mark.parametrize("text", _LAZY_CASES)
def test_imageless_lang_agrees_with_a_full_load(text):
    _lazy_agrees(text)


def test_imageless_lang_skips_what_holds_nothing():
    fm, result = parse_front_matter("---\ntitle: a: b\n---\n", "doc.md", LineIndex("---\ntitle: a: b\n---\n"), F,
                                    imageless="lang")
    assert fm is not None and fm.data is None and result.errors == [] and result.excluded == [fm.span]
    text = "---\ntitle: a: b\nlang: fr\n---\n"
    _, result = parse_front_matter(text, "doc.md", LineIndex(text), F, imageless="lang")
    assert len(result.errors) == 1 and "invalid YAML" in result.errors[0].message


def test_imageless_lang_custom_fields():
    fields = (FrontMatterField("banner.src", "banner.alt"),)
    _lazy_agrees("---\nbanner:\n  src: b.png\n---\n", fields)
    _lazy_agrees("---\nimage: a.png\n---\n", fields)  # not a configured field: nothing to find


@settings(max_examples=300, deadline=None)
@given(st.lists(_pieces, max_size=40).map("".join))
def test_fuzz_imageless_lang_agrees(text):
    _lazy_agrees("---\n" + text + "\n---\n")
    _lazy_agrees("+++\n" + text + "\n+++\n")


def _split_by_lines(text):
    """split_front_matter as it was, line by line: the reference for its one-search version."""
    import re

    def lines(pos=0):
        while pos < len(text):
            end = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)").match(text, pos).end()
            cend = end - 2 if text.endswith("\r\n", 0, end) else (end - 1 if text[end - 1] in "\r\n" else end)
            yield pos, cend, end
            pos = end

    if text.startswith("---"):
        fmt, closers = "yaml", ("---", "...")
    elif text.startswith("+++"):
        fmt, closers = "toml", ("+++",)
    else:
        return None
    it = lines()
    first = next(it, None)
    if first is None or text[3 : first[1]].strip(" \t") or first[2] == first[1]:
        return None
    for start, cend, end in it:
        if text[start:cend].rstrip(" \t") in closers:
            return fmt, end, first[2], start
    return None


_SPLIT_PIECES = st.sampled_from(["---", "+++", "...", "-", "+", ".", "\n", "\r\n", "\r", " ", "\t", "\f", "a", "é"])


@settings(max_examples=500, deadline=None)
@given(st.lists(_SPLIT_PIECES, max_size=30).map("".join))
def test_split_agrees_with_the_line_by_line_reading(text):
    fm = split_front_matter(text)
    got = None if fm is None else (fm.format, fm.body_start, fm.content_span.start, fm.content_span.end)
    assert got == _split_by_lines(text)
    assert fm is None or fm.span == Span(0, fm.body_start)


# ---------------------------------------------------------------- the flat-YAML fast path (issue 12)

_FLAT_KEYS = st.sampled_from(["title", "lang", "image", "image_alt", "yes", "on", "n", "a_b", "Key9", "x-y"])
_FLAT_VALUES = st.sampled_from(
    ['"Post 9661"', "'It''s'", "'Team, photo'", '"a \\" b"', "/images/a.jpg", "en", "true", "True", "no", "null",
     "~", "2026-01-02", "12", ".5", "-x", "a: b", "a #b", "a#b", "It's", "été", "x*y", "&a", "*a", "!t", "|", ">",
     "[a]", "{a: 1}", "yes please", "Null value", "", "\t", "a\tb", '"unclosed', "'q'", "off", "Off x"]
)
_FLAT_LINE = st.tuples(_FLAT_KEYS, st.sampled_from([": ", ":  ", ":", " : "]), _FLAT_VALUES,
                       st.sampled_from(["", " ", "  "]), st.sampled_from(["\n", "\r\n", "\n\n", "\n  \n", "\n# c\n"]))


@settings(max_examples=400, deadline=None)
@given(lines=st.lists(_FLAT_LINE, min_size=1, max_size=6), tree=st.booleans())
def test_flat_yaml_fast_path_reads_what_pyyaml_reads(lines, tree):
    content = "".join(k + c + v + t + nl for k, c, v, t, nl in lines)
    text = "---\n" + content + "---\nbody\n"
    fm = fm_mod.split_front_matter(text)
    assert fm is not None
    index = LineIndex(text)
    fast = fm_mod._flat_yaml(text, fm.content_span, index, tree)
    if fast is None:
        return  # PyYAML reads it
    slow_result = ParseResult()
    orig = fm_mod._flat_yaml
    try:
        fm_mod._flat_yaml = lambda *a: None
        slow = fm_mod._parse_yaml(text, fm, "p.md", index, slow_result, tree)
    finally:
        fm_mod._flat_yaml = orig
    assert not slow_result.errors
    assert fast == slow


@pytest.mark.parametrize(
    "content, flat",
    [
        pytest.param('title: "Post"\nlang: en\nimage: /a.jpg\n', True, id="flat"),
        pytest.param("title: yes\n", False, id="boolean-value"),
        pytest.param("date: 2026-01-02\n", False, id="timestamp"),
        pytest.param("title: a # comment\n", False, id="comment"),
        pytest.param("tags:\n  - a\n", False, id="nested"),
        pytest.param("title: a\ntitle: b\n", False, id="duplicate-key"),
        pytest.param("on: x\n", False, id="boolean-key"),
        pytest.param('title: "a \\"q\\""\n', False, id="escape"),
        pytest.param("title: hello\n  world\n", False, id="continued-plain-scalar"),
        pytest.param("image_alt:\n", False, id="empty-value"),
    ],
)
def test_flat_yaml_takes_only_what_it_reads_exactly(content, flat):
    text = "---\n" + content + "---\n"
    fm = fm_mod.split_front_matter(text)
    assert (fm_mod._flat_yaml(text, fm.content_span, LineIndex(text), True) is not None) is flat


@pytest.mark.parametrize(
    "text, error",
    [
        ('---\nimage: a.png\nimage_alt: "A cat"\n---\n', None),  # no change: text
        ("---\nimage: a.png\nimage_alt: ''\n---\n", None),  # no change: empty is a finding, not an error
        ("---\nimage: a.png\nimage_alt: '{{ .Title }}'\n---\n", None),  # no change: a template expression
        ("---\nimage: a.png\nimage_alt: []\n---\n", "`image_alt` is a list, not text"),
        ("---\nimage: a.png\nimage_alt:\n  - a cat\n---\n", "`image_alt` is a list, not text"),
        ("---\nimage: a.png\nimage_alt: {a: b}\n---\n", "`image_alt` is a mapping, not text"),
        ('+++\nimage = "a.png"\nimage_alt = ["x"]\n+++\n', "`image_alt` is a list, not text"),
        ('+++\nimage = "a.png"\n\n[image_alt]\nx = "y"\n+++\n', "`image_alt` is a mapping, not text"),
        ('+++\nimage = "a.png"\nimage_alt.x = "y"\n+++\n', "`image_alt` is a mapping, not text"),
        ('+++\nimage = "a.png"\n\n[[image_alt]]\nx = "y"\n+++\n', "`image_alt` is a list, not text"),
    ],
)
def test_an_alt_that_is_not_text_is_an_error_not_a_silent_pass(text, error):
    from altbot.rules import status_of

    _, res = parse(text)
    [img] = res.images
    got = [e.message for e in res.errors]
    if error is None:
        assert got == []
        assert status_of(img) != "invalid"
    else:
        assert img.dynamic_alt  # never proposed for an edit: the key holds something else
        assert status_of(img) == "invalid"  # scan says so (was: "ok", alt='')
        assert len(got) == 1 and error in got[0]
        # the line of the key, or of the TOML table header that opens it (was: line 1 for a table)
        line, column = (4, 2) if "\n[image_alt]" in text else (4, 3) if "[[" in text else (3, 1)
        assert (res.errors[0].line, res.errors[0].column) == (line, column)
