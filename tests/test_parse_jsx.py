"""Tests for altbot.parse.jsx."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from altbot.model import LineIndex, Span, Syntax
from altbot.parse.jsx import parse_jsx


def scan(text, **kw):
    return parse_jsx(text, "doc.mdx", LineIndex(text), **kw)


def sl(text, span):
    return None if span is None else text[span.start : span.end]


# expected: list of (element, src, alt, alt_span_text, dynamic_alt, element_text, text_before_insert_at)
CASES = [
    pytest.param(
        '<img src="a.jpg" alt="A cat" />',
        [("img", "a.jpg", "A cat", "A cat", False, '<img src="a.jpg" alt="A cat" />', 'src="a.jpg"')],
        id="img-self-closing",
    ),
    pytest.param(
        "<img src='a.jpg' alt='Tom &amp; &#74;erry'>",
        [("img", "a.jpg", "Tom & Jerry", "Tom &amp; &#74;erry", False, "<img src='a.jpg' alt='Tom &amp; &#74;erry'>", "src='a.jpg'")],
        id="single-quotes-entities",
    ),
    pytest.param(
        '<img src="a.jpg" alt="back\\slash" />',
        [("img", "a.jpg", "back\\slash", "back\\slash", False, '<img src="a.jpg" alt="back\\slash" />', 'src="a.jpg"')],
        id="no-backslash-escapes",
    ),
    pytest.param(
        '<Image src={hero} alt={t("hero.alt")} />',
        [("Image", "{hero}", '{t("hero.alt")}', '{t("hero.alt")}', True, '<Image src={hero} alt={t("hero.alt")} />', "src={hero}")],
        id="expression-alt",
    ),
    pytest.param(
        '<Image src="a" alt={"It\'s \\"x\\""} />',
        [("Image", "a", 'It\'s "x"', '{"It\'s \\"x\\""}', False, '<Image src="a" alt={"It\'s \\"x\\""} />', 'src="a"')],
        id="string-literal-expression",
    ),
    pytest.param(
        "<Image src=\"a\" alt={'single'} />",
        [("Image", "a", "single", "{'single'}", False, "<Image src=\"a\" alt={'single'} />", 'src="a"')],
        id="single-literal-expression",
    ),
    pytest.param(
        "<Image src=\"a\" alt={`tpl`} />",
        [("Image", "a", "tpl", "{`tpl`}", False, "<Image src=\"a\" alt={`tpl`} />", 'src="a"')],
        id="template-literal",
    ),
    pytest.param(
        "<Image src=\"a\" alt={`x ${y} }`} />",
        [("Image", "a", "{`x ${y} }`}", "{`x ${y} }`}", True, "<Image src=\"a\" alt={`x ${y} }`} />", 'src="a"')],
        id="template-with-substitution",
    ),
    pytest.param(
        '<Image\n  src={cat}\n  alt={a > b ? "x >" : "y"}\n/>',
        [("Image", "{cat}", '{a > b ? "x >" : "y"}', '{a > b ? "x >" : "y"}', True, '<Image\n  src={cat}\n  alt={a > b ? "x >" : "y"}\n/>', "src={cat}")],
        id="gt-in-expression-multiline",
    ),
    pytest.param(
        '<img\r\n  src="c.png"\r\n  alt="a > b"\r\n>',
        [("img", "c.png", "a > b", "a > b", False, '<img\r\n  src="c.png"\r\n  alt="a > b"\r\n>', 'src="c.png"')],
        id="gt-in-string-crlf",
    ),
    pytest.param(
        '<img src="a.jpg">',
        [("img", "a.jpg", None, None, False, '<img src="a.jpg">', 'src="a.jpg"')],
        id="missing-alt",
    ),
    pytest.param(
        "<Picture/>",
        [("Picture", None, None, None, False, "<Picture/>", "<Picture")],
        id="no-attrs-insert-after-name",
    ),
    pytest.param(
        '<img alt src="a.jpg" />',
        [("img", "a.jpg", "", None, True, '<img alt src="a.jpg" />', 'src="a.jpg"')],
        id="bare-alt",
    ),
    pytest.param(
        '<img {...props} src="a.jpg" />',
        [("img", "a.jpg", "{...props}", None, True, '<img {...props} src="a.jpg" />', 'src="a.jpg"')],
        id="spread-without-alt",
    ),
    pytest.param(
        '<img alt="x" {...props} />',
        [("img", None, "x", "x", True, '<img alt="x" {...props} />', "<img")],
        id="spread-after-alt",
    ),
    pytest.param(
        '<img {...props} alt="x" />',
        [("img", None, "x", "x", False, '<img {...props} alt="x" />', "<img")],
        id="alt-after-spread",
    ),
    pytest.param(
        '<img src="a" /* note */ alt="b" />',
        [("img", "a", "b", "b", False, '<img src="a" /* note */ alt="b" />', 'src="a"')],
        id="comment-between-attributes",
    ),
    pytest.param(
        '<Card icon={<img src="n.png" />} text="<img src=q>">hi <img src="p.png" alt="" /></Card>',
        [
            ("img", "n.png", None, None, False, '<img src="n.png" />', 'src="n.png"'),
            ("img", "p.png", "", "", False, '<img src="p.png" alt="" />', 'src="p.png"'),
        ],
        id="in-attribute-expression-not-in-attribute-string",
    ),
    pytest.param(
        '{cond && <img src="a.png" alt="A" />}',
        [("img", "a.png", "A", "A", False, '<img src="a.png" alt="A" />', 'src="a.png"')],
        id="inside-expression",
    ),
    pytest.param('<Foo.Image src="a.png" />', [], id="member-not-configured"),
    pytest.param('<IMG src="a.png" />', [], id="case-sensitive"),
    pytest.param('<image src="a.png" />', [], id="lowercase-image"),
    pytest.param('{/* <img src="a.png" /> */}', [], id="in-jsx-comment"),
    pytest.param("Use a < b and <https://example.com>.", [], id="no-tags"),
    pytest.param("</img>", [], id="closing-tag"),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_jsx(text, expected):
    result = scan(text)
    assert result.errors == []
    got = []
    for k, im in enumerate(result.images):
        before = expected[k][6] if k < len(expected) else ""
        got.append(
            (
                im.element,
                im.src,
                im.alt,
                sl(text, im.alt_span),
                im.dynamic_alt,
                sl(text, im.element_span),
                text[: im.insert_at][-len(before) :],
            )
        )
    assert got == expected
    for im in result.images:
        assert im.syntax is Syntax.JSX
        assert (im.line, im.column) == LineIndex(text).position(im.element_span.start)


def test_spread_extra():
    (im,) = scan('<img {...props} />').images
    assert im.hints.spread
    assert ("...", "{...props}") in im.attrs
    (im,) = scan('<img alt="" />').images
    assert im.hints is None


def test_member_component_when_configured():
    text = '<Foo.Image src="a.png" alt="A" /><Image src="b" />'
    result = scan(text, components=("Foo.Image",))
    assert [(i.element, i.src) for i in result.images] == [("Foo.Image", "a.png")]


@pytest.mark.parametrize(
    "text, name, source, hidden, presentational",
    [
        pytest.param('<img aria-label="Logo" title="T" />', "Logo", "aria-label", None, False, id="aria-label"),
        pytest.param('<img title="Tip" />', "Tip", "title", None, False, id="title"),
        pytest.param('<img aria-labelledby="cap" />', "cap", "aria-labelledby", None, False, id="labelledby"),
        pytest.param("<img aria-hidden={true} />", None, None, "aria-hidden", False, id="aria-hidden-expr"),
        pytest.param('<img aria-hidden="true" />', None, None, "aria-hidden", False, id="aria-hidden-string"),
        pytest.param('<img aria-hidden="false" />', None, None, None, False, id="aria-hidden-false"),
        pytest.param("<img hidden />", None, None, "hidden", False, id="hidden"),
        pytest.param('<img role="presentation" />', None, None, None, True, id="presentation"),
        pytest.param('<img role="none" />', None, None, None, True, id="none"),
        pytest.param('<img role="none" aria-label="x" />', "x", "aria-label", None, False, id="conflict"),
    ],
)
def test_name_hidden_role(text, name, source, hidden, presentational):
    (im,) = scan(text).images
    assert (im.name, im.name_source, im.hidden, im.presentational) == (name, source, hidden, presentational)


def test_title_and_lang():
    (a, b) = scan('<img title="T" lang="de" /><img />', lang="fr", lang_source="front-matter").images
    assert a.title == "T"
    assert (a.lang, a.lang_source) == ("de", "lang-attribute")
    assert (b.lang, b.lang_source) == ("fr", "front-matter")


def test_ignore_comments():
    text = '{/* altbot-ignore */}\n<img src="a" />\n{ /*altbot-ignore-file*/ }'
    result = scan(text)
    assert result.ignore_marks == [len("{/* altbot-ignore */}")]
    assert result.ignore_file
    assert len(result.images) == 1


def test_ignore_comment_in_excluded_span_is_skipped():
    text = '```\n{/* altbot-ignore */}\n```\n<img src="a" />'
    result = scan(text, excluded=[Span(0, text.index("<img"))])
    assert result.ignore_marks == [] and len(result.images) == 1


def test_excluded_and_start():
    text = '`<img src="a" />` <img src="b" /> <img src="c" />'
    result = scan(text, excluded=[Span(0, 17)], start=1)
    assert [i.src for i in result.images] == ["b", "c"]
    result = scan(text, start=text.index('<img src="c'))
    assert [i.src for i in result.images] == ["c"]


@pytest.mark.parametrize(
    "text, line",
    [
        pytest.param('<img src="a" alt="oops />\n', 1, id="unclosed-string"),
        pytest.param('ok\n<Image src={a alt="x" />', 2, id="unclosed-expression"),
        pytest.param('<img src="a"', 1, id="unclosed-tag"),
        pytest.param("text\r\n{/* never closed", 2, id="unclosed-comment"),
    ],
)
def test_errors(text, line):
    result = scan(text)
    assert result.images == []
    (err,) = result.errors
    assert err.line == line and err.path == "doc.mdx"


_pieces = st.sampled_from(
    ["<img", "<Image", "<Picture", "<Foo.Image", " ", "\n", "\r\n", "src=", "alt=", '"', "'",
     "`", "${", "{", "}", "{...p}", "/>", ">", "</img>", "<", "{/*", "*/}", "*/", "//",
     "altbot-ignore", "a.jpg", "&amp;", "\\", "aria-hidden", "role=\"none\"", "<>", "</>"]
)


def _check(text, **kw):
    result = scan(text, **kw)
    n = len(text)
    for im in result.images:
        for sp in (im.element_span, im.alt_span):
            if sp is not None:
                assert 0 <= sp.start <= sp.end <= n
        assert im.element_span.start <= im.insert_at <= im.element_span.end
    for m in result.ignore_marks:
        assert 0 <= m <= n


@settings(max_examples=400, deadline=None)
@given(st.lists(_pieces, max_size=40).map("".join), st.integers(-3, 40))
def test_fuzz_structured(text, start):
    _check(text)
    _check(text, start=start, excluded=[Span(0, min(5, len(text)))])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_fuzz_any_text(text):
    _check(text)
    _check("<img " + text)
