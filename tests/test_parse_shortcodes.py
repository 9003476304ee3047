"""Tests for altbot.parse.shortcodes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from altbot.model import LineIndex, Span, Syntax
from altbot.parse.shortcodes import parse_shortcodes


def scan(text, **kw):
    return parse_shortcodes(text, "doc.md", LineIndex(text), **kw)


def sl(text, span):
    return None if span is None else text[span.start : span.end]


# expected: list of (element, src, alt, alt_span_text, element_text, text_before_insert_at, title)
CASES = [
    pytest.param(
        '{{< figure src="x.jpg" alt="A cat" >}}',
        [("figure", "x.jpg", "A cat", "A cat", '{{< figure src="x.jpg" alt="A cat" >}}', 'src="x.jpg"', None)],
        id="quoted",
    ),
    pytest.param(
        "{{% figure src=x.jpg %}}",
        [("figure", "x.jpg", None, None, "{{% figure src=x.jpg %}}", "src=x.jpg", None)],
        id="percent-unquoted-no-alt",
    ),
    pytest.param(
        "{{<figure src=b.png/>}}",
        [("figure", "b.png", None, None, "{{<figure src=b.png/>}}", "src=b.png", None)],
        id="tight-self-closing",
    ),
    pytest.param(
        '{{< figure src="a.png" alt="" />}}',
        [("figure", "a.png", "", "", '{{< figure src="a.png" alt="" />}}', 'src="a.png"', None)],
        id="self-closing-empty-alt",
    ),
    pytest.param(
        "{{< figure alt=`raw \"q\"` src=`r.png` title=\"T\" >}}",
        [("figure", "r.png", 'raw "q"', 'raw "q"', "{{< figure alt=`raw \"q\"` src=`r.png` title=\"T\" >}}", "src=`r.png`", "T")],
        id="backticks-and-title",
    ),
    pytest.param(
        '{{< figure src="x" alt="Say \\"hi\\"" >}}',
        [("figure", "x", 'Say "hi"', 'Say \\"hi\\"', '{{< figure src="x" alt="Say \\"hi\\"" >}}', 'src="x"', None)],
        id="escaped-quote",
    ),
    pytest.param(
        '{{< figure\r\n  src="c.jpg"\r\n  alt="Multi"\r\n>}}',
        [("figure", "c.jpg", "Multi", "Multi", '{{< figure\r\n  src="c.jpg"\r\n  alt="Multi"\r\n>}}', 'src="c.jpg"', None)],
        id="multiline-crlf",
    ),
    pytest.param(
        "{{< figure >}}",
        [("figure", None, None, None, "{{< figure >}}", "{{< figure", None)],
        id="no-params-insert-after-name",
    ),
    pytest.param(
        '{{< figure "pos" src="p.jpg" >}}',
        [("figure", "p.jpg", None, None, '{{< figure "pos" src="p.jpg" >}}', 'src="p.jpg"', None)],
        id="positional-skipped",
    ),
    pytest.param(
        '{{< figure src="a>b.jpg" alt="x %}} y" >}}',
        [("figure", "a>b.jpg", "x %}} y", "x %}} y", '{{< figure src="a>b.jpg" alt="x %}} y" >}}', 'src="a>b.jpg"', None)],
        id="delimiters-inside-quotes",
    ),
    pytest.param('{{</* figure src="a.jpg" */>}}', [], id="escaped-comment"),
    pytest.param('{{%/* figure src="a.jpg" */%}}', [], id="escaped-comment-percent"),
    pytest.param('{{< gallery src="a.jpg" >}}', [], id="other-shortcode"),
    pytest.param("{{< /figure >}}", [], id="closing-shortcode"),
    pytest.param("{{ .Title }} and {{ figure }}", [], id="template-not-shortcode"),
    pytest.param("no shortcodes here", [], id="plain-text"),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_shortcodes(text, expected):
    result = scan(text)
    assert result.errors == []
    got = [
        (
            im.element,
            im.src,
            im.alt,
            sl(text, im.alt_span),
            sl(text, im.element_span),
            text[: im.insert_at][-len(exp[5]) :] if (exp := expected[k]) else None,
            im.title,
        )
        for k, im in enumerate(result.images)
    ]
    assert got == expected
    for im in result.images:
        assert im.syntax is Syntax.SHORTCODE
        assert (im.line, im.column) == LineIndex(text).position(im.element_span.start)


def test_line_column_and_attrs():
    text = 'Intro\r\n\r\n  {{< figure src="a.jpg" alt="A" class=wide >}}\r\n'
    (im,) = scan(text).images
    assert (im.line, im.column) == (3, 3)
    assert im.attrs == (("src", "a.jpg"), ("alt", "A"), ("class", "wide"))


def test_custom_names_and_lang():
    text = '{{< img src="a.jpg" >}} {{< figure src="b.jpg" >}}'
    result = scan(text, names=("img",), lang="fr", lang_source="front-matter")
    assert [(i.element, i.src, i.lang, i.lang_source) for i in result.images] == [
        ("img", "a.jpg", "fr", "front-matter")
    ]


def test_excluded_and_range():
    text = '```\n{{< figure src="a.jpg" >}}\n```\n{{< figure src="b.jpg" >}}\n{{< figure src="c.jpg" >}}'
    code = Span(0, text.index("```\n{{< figure src=\"b") + 4)
    end = text.index('{{< figure src="c')
    result = scan(text, excluded=[code], end=end)
    assert [i.src for i in result.images] == ["b.jpg"]
    result = scan(text, start=end)
    assert [i.src for i in result.images] == ["c.jpg"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('{{< figure src="a.jpg" alt="oops >}}', id="unclosed-quote"),
        pytest.param('{{< figure src="a.jpg"', id="unclosed-shortcode"),
        pytest.param('{{< figure src="a.jpg" %}}', id="mismatched-delimiters"),
    ],
)
def test_unterminated(text):
    result = scan(text)
    assert result.images == []
    (err,) = result.errors
    assert "figure" in err.message and err.line == 1 and err.column == 1


_pieces = st.sampled_from(
    ["{{<", "{{%", ">}}", "%}}", "/>}}", "/*", "*/", " ", "\n", "\r\n", "figure", "/figure",
     "src=", "alt=", "title=", '"', "`", "\\", "a.jpg", "x y", "=", "{{", "}}"]
)


def _check(text, **kw):
    result = scan(text, **kw)
    n = len(text)
    for im in result.images:
        for sp in (im.element_span, im.alt_span):
            if sp is not None:
                assert 0 <= sp.start <= sp.end <= n
        assert 0 <= im.insert_at <= n
        assert im.element_span.start <= im.insert_at <= im.element_span.end


@settings(max_examples=300, deadline=None)
@given(st.lists(_pieces, max_size=40).map("".join), st.integers(-5, 50), st.integers(-5, 60))
def test_fuzz_structured(text, start, end):
    _check(text)
    _check(text, start=start, end=end, excluded=[Span(0, min(3, len(text)))])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_fuzz_any_text(text):
    _check(text)
    _check("{{< figure " + text)
