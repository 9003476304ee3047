"""Markdown / MDX image scanner: exact spans, CommonMark semantics, raw HTML hand-off."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import altbot.parse.markdown as mdmod
from altbot.model import LineIndex, Syntax
from altbot.parse.base import ParseResult
from altbot.parse.markdown import parse_markdown



class RecordingScanner:
    """Stand-in for HtmlScanner that records the calls made to it."""

    instances: list["RecordingScanner"] = []

    def __init__(self, text, path, index, *, lang=None, lang_source=None):
        self.text = text
        self.events: list[tuple] = []
        self.hidden: str | None = None
        RecordingScanner.instances.append(self)

    def feed(self, start, end):
        assert 0 <= start <= end <= len(self.text)
        chunk = self.text[start:end]
        self.events.append(("feed", chunk))
        if 'aria-hidden="true"' in chunk:
            self.hidden = "aria-hidden"
        elif chunk.startswith("</"):
            self.hidden = None

    def context(self):
        self.events.append(("context",))
        return (self.hidden, "fr" if self.hidden else None, "html-lang" if self.hidden else None)

    def finish(self):
        self.events.append(("finish",))
        return ParseResult()


@pytest.fixture
def fake_html(monkeypatch):
    RecordingScanner.instances = []

    def make(text, path, index, lang, lang_source):
        return RecordingScanner(text, path, index, lang=lang, lang_source=lang_source)

    monkeypatch.setattr(mdmod, "_make_scanner", make)
    return RecordingScanner.instances


def parse(src: str, **kw) -> ParseResult:
    res = parse_markdown(src, "t.md", LineIndex(src), **kw)
    assert not any("internal error" in e.message for e in res.errors), res.errors
    return res


def cut(src: str, span) -> str:
    return src[span.start : span.end]


def summary(src: str, res: ParseResult) -> list[tuple]:
    """(element text, raw alt text, alt, src, title) for each Markdown image."""
    out = []
    for im in res.images:
        if im.syntax is not Syntax.MARKDOWN:
            continue
        assert im.element == "md-image"
        assert im.insert_at == im.alt_span.start
        assert (im.line, im.column) == LineIndex(src).position(im.element_span.start)
        out.append((cut(src, im.element_span), cut(src, im.alt_span), im.alt, im.src, im.title))
    return out


# ---------------------------------------------------------------------------- tables

CASES = [
    pytest.param("![alt](a.png)", [("![alt](a.png)", "alt", "alt", "a.png", None)], id="inline"),
    pytest.param(
        'x ![alt](a.png "The title") y',
        [('![alt](a.png "The title")', "alt", "alt", "a.png", "The title")],
        id="inline-title",
    ),
    pytest.param(
        "![alt]( a.png  'T' )", [("![alt]( a.png  'T' )", "alt", "alt", "a.png", "T")], id="title-single-quotes"
    ),
    pytest.param("![](x.png)", [("![](x.png)", "", "", "x.png", None)], id="empty-alt"),
    pytest.param(
        "![a b](<my image.png>)",
        [("![a b](<my image.png>)", "a b", "a b", "my%20image.png", None)],
        id="pointy-dest-spaces",
    ),
    pytest.param(
        "![Alt][Ref]\n\n[ref]: /i.png 'T'\n",
        [("![Alt][Ref]", "Alt", "Alt", "/i.png", "T")],
        id="full-ref-case-insensitive",
    ),
    pytest.param(
        "![Foo][]\n\n[FOO]: /i.png\n", [("![Foo][]", "Foo", "Foo", "/i.png", None)], id="collapsed-ref"
    ),
    pytest.param(
        "Text ![foo] more.\n\n[foo]: /i.png\n",
        [("![foo]", "foo", "foo", "/i.png", None)],
        id="shortcut-ref",
    ),
    pytest.param(
        "![foo]\n\n> [foo]: /q.png\n", [("![foo]", "foo", "foo", "/q.png", None)], id="def-in-blockquote"
    ),
    pytest.param("![foo]\n\n[bar]: /q.png\n", [], id="undefined-ref"),
    pytest.param(
        "![a [b] c](x)", [("![a [b] c](x)", "a [b] c", "a [b] c", "x", None)], id="nested-brackets"
    ),
    pytest.param(
        "![a [b [c]] d](x)",
        [("![a [b [c]] d](x)", "a [b [c]] d", "a [b [c]] d", "x", None)],
        id="deep-nested-brackets",
    ),
    pytest.param(r"![a \] b](x)", [(r"![a \] b](x)", r"a \] b", "a ] b", "x", None)], id="escaped-bracket"),
    pytest.param(r"![\*not em\*](x)", [(r"![\*not em\*](x)", r"\*not em\*", "*not em*", "x", None)], id="escapes"),
    pytest.param("![a &amp; b](x)", [("![a &amp; b](x)", "a &amp; b", "a & b", "x", None)], id="entity"),
    pytest.param(r"\![foo](x)", [], id="escaped-bang-is-link"),
    pytest.param("![foo](x", [], id="unclosed-paren"),
    pytest.param("![foo] (x)", [], id="space-before-paren"),
    pytest.param("! [foo](x)", [], id="space-after-bang"),
    pytest.param(
        "![*foo* `bar`](x)", [("![*foo* `bar`](x)", "*foo* `bar`", "foo bar", "x", None)], id="flatten-em-code"
    ),
    pytest.param(
        "![a [link](/u) b](x)", [("![a [link](/u) b](x)", "a [link](/u) b", "a link b", "x", None)], id="flatten-link"
    ),
    pytest.param(
        "![foo ![bar](/b) baz](x)",
        [("![foo ![bar](/b) baz](x)", "foo ![bar](/b) baz", "foo bar baz", "x", None)],
        id="image-in-alt-is-alt",
    ),
    pytest.param(
        "[![badge](b.svg)](https://ci)", [("![badge](b.svg)", "badge", "badge", "b.svg", None)], id="image-in-link"
    ),
    pytest.param(
        "[![a](1.png) and ![b](2.png)][r]\n\n[r]: /l\n",
        [("![a](1.png)", "a", "a", "1.png", None), ("![b](2.png)", "b", "b", "2.png", None)],
        id="images-in-ref-link",
    ),
    pytest.param(
        "*![em](e.png)* **![strong](s.png)**",
        [("![em](e.png)", "em", "em", "e.png", None), ("![strong](s.png)", "strong", "strong", "s.png", None)],
        id="in-emphasis",
    ),
    pytest.param(
        "- ![one](1.png)\n- item\n  ![two](2.png)\n",
        [("![one](1.png)", "one", "one", "1.png", None), ("![two](2.png)", "two", "two", "2.png", None)],
        id="list-items",
    ),
    pytest.param(
        "> quote ![q](q.png)\n> ![multi\n> line](m.png)\n",
        [
            ("![q](q.png)", "q", "q", "q.png", None),
            ("![multi\n> line](m.png)", "multi\n> line", "multi\nline", "m.png", None),
        ],
        id="blockquote-multiline",
    ),
    pytest.param(
        "> 1. > ![deep](d.png)\n>    > lazy ![l](l.png)\n",
        [("![deep](d.png)", "deep", "deep", "d.png", None), ("![l](l.png)", "l", "l", "l.png", None)],
        id="nested-containers",
    ),
    pytest.param(
        "> a\nlazy ![z](z.png)\n", [("![z](z.png)", "z", "z", "z.png", None)], id="lazy-continuation"
    ),
    pytest.param(
        "![multi\nline\nalt](m.png)",
        [("![multi\nline\nalt](m.png)", "multi\nline\nalt", "multi\nline\nalt", "m.png", None)],
        id="multiline-alt",
    ),
    pytest.param(
        "![a](\n  b.png\n  'T'\n)", [("![a](\n  b.png\n  'T'\n)", "a", "a", "b.png", "T")], id="multiline-dest"
    ),
    pytest.param("# Head ![h](h.png) ##\n", [("![h](h.png)", "h", "h", "h.png", None)], id="atx-heading"),
    pytest.param(
        "Set ![s](s.png)\n===\n", [("![s](s.png)", "s", "s", "s.png", None)], id="setext-heading"
    ),
    pytest.param("```\n![a](b)\n```\n", [], id="fenced-code"),
    pytest.param("~~~md\n![a](b)\n", [], id="unclosed-fence"),
    pytest.param("    ![a](b)\n", [], id="indented-code"),
    pytest.param("`![a](b)`", [], id="code-span"),
    pytest.param("``x ` ![a](b) ``", [], id="code-span-double"),
    pytest.param("`a` ![b](c) `d`", [("![b](c)", "b", "b", "c", None)], id="between-code-spans"),
    pytest.param("\\`![b](c)`", [("![b](c)", "b", "b", "c", None)], id="escaped-backtick"),
    pytest.param("-\t![t](t.png)\n", [("![t](t.png)", "t", "t", "t.png", None)], id="tab-list"),
    pytest.param(">\t![t](t.png)\n", [("![t](t.png)", "t", "t", "t.png", None)], id="tab-quote"),
    pytest.param(
        "- a\n\t![t](t.png)\n", [("![t](t.png)", "t", "t", "t.png", None)], id="tab-partially-consumed"
    ),
    pytest.param(
        "> - a\n>\t![t](t.png)\n", [("![t](t.png)", "t", "t", "t.png", None)], id="tab-quote-list"
    ),
    pytest.param("a\tb ![t](t\u00e9.png)\t\n", [("![t](t\u00e9.png)", "t", "t", "t%C3%A9.png", None)], id="tab-inline"),
    pytest.param(
        "x\0y ![a\0](b)", [("![a\0](b)", "a\0", "a\ufffd", "b", None)], id="nul-char"
    ),
]


@pytest.mark.parametrize("src, expected", CASES)
def test_images(src, expected, fake_html):
    assert summary(src, parse(src)) == expected


NEWLINE_CASES = [
    pytest.param("a\r\n\r\n![x\r\ny](z.png)\r\n", "![x\r\ny](z.png)", "x\r\ny", "x\ny", id="crlf"),
    pytest.param("a\r\r![x\ry](z.png)\r", "![x\ry](z.png)", "x\ry", "x\ny", id="lone-cr"),
    pytest.param("a\r\n\r> b\n> ![x\r\n> y](z.png)\r", "![x\r\n> y](z.png)", "x\r\n> y", "x\ny", id="mixed"),
    pytest.param("\r\n\r\n\r\n    code\r\n\r\n- ![a](z.png)", "![a](z.png)", "a", "a", id="crlf-after-code"),
]


@pytest.mark.parametrize("src, element, raw_alt, alt", NEWLINE_CASES)
def test_newlines(src, element, raw_alt, alt, fake_html):
    res = parse(src)
    [im] = res.images
    assert cut(src, im.element_span) == element
    assert cut(src, im.alt_span) == raw_alt
    assert im.alt == alt
    assert (im.line, im.column) == LineIndex(src).position(im.element_span.start)


REF_KINDS = [
    pytest.param("![a](x)", (None, None), id="inline"),
    pytest.param("![a][Label]\n\n[label]: x", ("Label", "full"), id="full"),
    pytest.param("![a][]\n\n[a]: x", ("a", "collapsed"), id="collapsed"),
    pytest.param("![a]\n\n[a]: x", ("a", "shortcut"), id="shortcut"),
    pytest.param("![a][b\n\n[a]: x", ("a", "shortcut"), id="shortcut-then-bracket"),
]


@pytest.mark.parametrize("src, extra", REF_KINDS)
def test_reference_kind(src, extra, fake_html):
    [im] = parse(src).images
    assert ((im.hints.ref, im.hints.ref_kind) if im.hints else (None, None)) == extra
    assert im.fixable and im.alt is not None and im.syntax is Syntax.MARKDOWN


# ---------------------------------------------------------------------------- attributes

ATTR_CASES = [
    pytest.param('![](x.png){alt="A cat"}', '![](x.png){alt="A cat"}', "A cat", "A cat", id="pandoc"),
    pytest.param(
        "![](x.png){width=50% alt='It\\'s'}", "![](x.png){width=50% alt='It\\'s'}", "It\\'s", "It's", id="single-q"
    ),
    pytest.param(
        '![old](x.png){: .big alt="kram"}', '![old](x.png){: .big alt="kram"}', "kram", "kram", id="kramdown-ial"
    ),
    pytest.param('![b](x.png){#id .c alt=bare}', '![b](x.png){#id .c alt=bare}', "bare", "bare", id="unquoted"),
    pytest.param('![b](x.png){.wide}', "![b](x.png){.wide}", "b", "b", id="no-alt-in-attrs"),
    pytest.param('![b][r]{alt="r"}\n\n[r]: x.png', '![b][r]{alt="r"}', "r", "r", id="ref-with-attrs"),
    pytest.param('![b](x.png) {alt="no"}', "![b](x.png)", "b", "b", id="not-attached"),
    pytest.param('![b](x.png){{< shortcode >}}', "![b](x.png)", "b", "b", id="not-attrs"),
    pytest.param('![b](x.png){alt="a\nb"}', "![b](x.png)", "b", "b", id="no-newline-in-attrs"),
]


@pytest.mark.parametrize("src, element, raw_alt, alt", ATTR_CASES)
def test_attribute_blocks(src, element, raw_alt, alt, fake_html):
    [im] = parse(src).images
    assert cut(src, im.element_span) == element
    assert cut(src, im.alt_span) == raw_alt
    assert im.alt == alt
    assert im.insert_at == im.alt_span.start


def test_attribute_block_is_not_parsed_as_markdown(fake_html):
    src = '![](x.png){alt="![no](y.png) <b>"}'
    res = parse(src)
    assert [im.src for im in res.images] == ["x.png"]
    assert not any(e[0] == "feed" for e in fake_html[0].events)


# ---------------------------------------------------------------------------- code regions


@pytest.mark.parametrize(
    "src, regions",
    [
        pytest.param("a\n\n```\n![a](b)\n```\nz", ["```\n![a](b)\n```\n"], id="fence"),
        pytest.param("a\n\n    ![a](b)\n\nz", ["    ![a](b)\n"], id="indented"),
        pytest.param("a `![a](b)` c", ["`![a](b)`"], id="span-parsed"),
        pytest.param("a `{{< figure >}}` c", ["`{{< figure >}}`"], id="span-with-lt"),
        pytest.param("a ``{{% figure %}}`` \\`x` c `y", ["``{{% figure %}}``", "` c `"], id="span-fast-path"),
        pytest.param("[`a`](`b`) `c`", ["`a`", "`c`"], id="span-with-link"),
        pytest.param("a\r\n`x\r\ny`", ["`x\r\ny`"], id="span-crlf"),
        pytest.param("> ```\n> {{< x >}}\n> ```\n", ["> ```\n> {{< x >}}\n> ```\n"], id="fence-in-quote"),
    ],
)
def test_excluded_regions(src, regions, fake_html):
    res = parse(src)
    assert [cut(src, sp) for sp in res.excluded] == regions


# ---------------------------------------------------------------------------- raw HTML hand-off


def test_html_feed_order_and_context(fake_html):
    src = (
        "<div>\n<img src=a.png>\n</div>\n\n"
        'Text <span aria-hidden="true">![hid](h.png)</span> ![vis](v.png)\n\n'
        "  <!-- altbot-ignore -->\n\n"
        "> <p>quoted</p>\n"
    )
    res = parse(src)
    [scanner] = fake_html
    assert scanner.events == [
        ("feed", "<div>\n<img src=a.png>\n</div>"),
        ("feed", '<span aria-hidden="true">'),
        ("context",),
        ("feed", "</span>"),
        ("context",),
        ("feed", "  <!-- altbot-ignore -->"),
        ("feed", "<p>quoted</p>"),
        ("finish",),
    ]
    hid, vis = res.images
    assert (hid.hidden, hid.lang, hid.lang_source) == ("aria-hidden", "fr", "html-lang")
    assert (vis.hidden, vis.lang) == (None, None)


def test_html_inside_alt_is_not_fed(fake_html):
    src = "![a <b>bold</b>](x.png)"
    [im] = parse(src).images
    assert im.alt == "a <b>bold</b>"  # the reference renderer keeps raw HTML in alt
    assert [e for e in fake_html[0].events if e[0] == "feed"] == []


def test_lang_from_arguments(fake_html):
    [im] = parse("![a](b)", lang="de", lang_source="front-matter").images
    assert (im.lang, im.lang_source) == ("de", "front-matter")


def test_scanner_result_is_merged(monkeypatch):
    from altbot.model import FileError, Span

    class S(RecordingScanner):
        def finish(self):
            return ParseResult(ignore_marks=[3], ignore_file=True, excluded=[Span(0, 1)], errors=[FileError("t.md", "x")])

    monkeypatch.setattr(mdmod, "_make_scanner", lambda t, p, i, l, s: S(t, p, i))
    res = parse_markdown("<br>", "t.md", LineIndex("<br>"))
    assert res.ignore_marks == [3] and res.ignore_file and res.errors[0].message == "x"


def test_real_html_scanner_img_in_markdown():
    src = 'Intro\n\n<img src="a.png" alt="An A">\n\nText <img src="b.png"> and ![md](c.png)\n'
    res = parse(src)
    by_src = {im.src: im for im in res.images}
    assert by_src["a.png"].syntax is Syntax.HTML and by_src["a.png"].alt == "An A"
    assert cut(src, by_src["a.png"].alt_span) == "An A"
    assert by_src["b.png"].syntax is Syntax.HTML and by_src["b.png"].alt is None
    assert by_src["c.png"].syntax is Syntax.MARKDOWN


def test_real_html_scanner_aria_hidden_wrapper():
    src = '<span aria-hidden="true">![deco](d.png)</span> ![shown](s.png)\n'
    res = parse(src)
    deco, shown = sorted(res.images, key=lambda im: im.element_span.start)
    assert deco.hidden is not None
    assert shown.hidden is None


def test_real_html_scanner_ignore_comment():
    src = "<!-- altbot-ignore -->\n![a](b)\n\nx <!-- altbot-ignore-file --> y\n"
    res = parse(src)
    assert res.ignore_marks and res.ignore_marks[0] <= src.index("![a]")
    assert res.ignore_file


# ---------------------------------------------------------------------------- MDX


def test_mdx_mode(fake_html):
    src = (
        "import X from './x'\n\n"
        "<Tabs>\n  <Tab>\n    ![in jsx](j.png)\n  </Tab>\n</Tabs>\n\n"
        "    ![indented is not code](i.png)\n\n"
        "```js\n{/* altbot-ignore */}\n![in code](c.png)\n```\n\n"
        "{/* altbot-ignore */}\n![next](n.png){width=3}\n\n"
        "`{/* altbot-ignore-file */}`\n"
    )
    res = parse(src, mdx=True)
    assert fake_html == []  # no HTML scanning in MDX
    assert [im.alt for im in res.images] == ["in jsx", "indented is not code", "next"]
    assert cut(src, res.images[2].element_span) == "![next](n.png)"  # {…} is an expression
    assert res.ignore_marks == [src.index("{/* altbot-ignore */}\n![next]") + len("{/* altbot-ignore */}")]
    assert not res.ignore_file
    assert "```js\n{/* altbot-ignore */}\n![in code](c.png)\n```\n" in [cut(src, s) for s in res.excluded]


def test_mdx_ignore_file(fake_html):
    src = "{/*altbot-ignore-file*/}\n\n![a](b)\n"
    res = parse(src, mdx=True)
    assert res.ignore_file
    assert [cut(src, s) for s in res.excluded] == ["{/*altbot-ignore-file*/}"]


# ---------------------------------------------------------------------------- start offset


def test_start_offset_skips_front_matter(fake_html):
    src = "---\r\nimage: ![fm](no.png)\r\n---\r\n# T\r\n\r\n![body\r\nalt](yes.png)\r\n"
    start = src.index("# T")
    res = parse(src, start=start)
    [im] = res.images
    assert im.src == "yes.png"
    assert cut(src, im.alt_span) == "body\r\nalt"
    assert (im.line, im.column) == (6, 1)


def test_start_offset_no_cr(fake_html):
    src = "+++\ntitle = '![x](y)'\n+++\n\n- ![a](b)"
    res = parse(src, start=src.index("\n- ") + 1)
    assert [cut(src, im.element_span) for im in res.images] == ["![a](b)"]


# ---------------------------------------------------------------------------- spec examples vs markdown-it HTML

SPEC = [
    '![foo](/url "title")',
    '![foo *bar*]\n\n[foo *bar*]: train.jpg "train & tracks"',
    "![foo ![bar](/url)](/url2)",
    "![foo [bar](/url)](/url2)",
    '![foo *bar*][]\n\n[foo *bar*]: train.jpg "train & tracks"',
    '![foo *bar*][foobar]\n\n[FOOBAR]: train.jpg "train & tracks"',
    "![foo](train.jpg)",
    'My ![foo bar](/path/to/train.jpg  "title"   )',
    "![foo](<url>)",
    "![](/url)",
    "![foo][bar]\n\n[bar]: /url",
    "![foo][bar]\n\n[BAR]: /url",
    '![foo][]\n\n[foo]: /url "title"',
    '![*foo* bar][]\n\n[*foo* bar]: /url "title"',
    '![Foo][]\n\n[foo]: /url "title"',
    '![foo] \n[]\n\n[foo]: /url "title"',
    '![foo]\n\n[foo]: /url "title"',
    '![*foo* bar]\n\n[*foo* bar]: /url "title"',
    '![[foo]]\n\n[[foo]]: /url "title"',
    '![Foo]\n\n[foo]: /url "title"',
    '!\\[foo]\n\n[foo]: /url "title"',
    '\\![foo]\n\n[foo]: /url "title"',
    "[![moon](moon.jpg)](/uri)",
    "![a\\*b &auml; `c` <i>d</i>](/p\\(q\\) 'x &amp; y')",
    "![ä](/ü?a=b&c=d#frag)",
    "- ![x](y)\n\n      ![code](no)\n",
    "![foo\nbar](/url)",
    "[link ![img](i.png \"t\")][ref]\n\n[ref]: /r",
]

_IMG_RE = re.compile(r"<img ([^>]*?) ?/?>")
_ATTR_RE = re.compile(r'(\w+)="([^"]*)"')


def reference_images(src: str) -> list[tuple]:
    out = []
    for m in _IMG_RE.finditer(MarkdownIt("commonmark").render(src)):
        attrs = {k: html.unescape(v) for k, v in _ATTR_RE.findall(m.group(1))}
        out.append((attrs.get("src"), attrs.get("alt"), attrs.get("title")))
    return out


@pytest.mark.parametrize("src", SPEC)
def test_commonmark_spec_examples(src, fake_html):
    res = parse(src)
    assert [(im.src, im.alt, im.title) for im in res.images] == reference_images(src)
    for im in res.images:
        assert cut(src, im.element_span).startswith("![")


# ---------------------------------------------------------------------------- properties

_ALPHABET = "![]()<>`*_\\ \t\n\r>-#{}=\"':/.ab1\0"
_TOKENS = st.sampled_from(
    ["![a](b)", "![", "](", "[r]: /u\n", "```\n", "    ", "> ", "- ", "1. ", "<img src=x>", "<!--", "-->",
     "{alt=\"q\"}", "{/* altbot-ignore */}", "\r\n", "\t", "`", "\\", "[", "]"]
)
_TEXT = st.lists(st.one_of(st.text(alphabet=_ALPHABET, max_size=6), _TOKENS), max_size=40).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.text(alphabet="-+\n\r![]a", max_size=8), body=_TEXT, mdx=st.booleans())
def test_property_never_raises(prefix, body, mdx, fake_html):
    text = prefix + body
    res = parse_markdown(text, "p.md", LineIndex(text), start=len(prefix), mdx=mdx)
    assert not res.errors, res.errors
    for im in res.images:
        el, alt = im.element_span, im.alt_span
        assert len(prefix) <= el.start <= el.end <= len(text)
        assert text[el.start : el.end].startswith("![")
        assert el.start <= alt.start <= alt.end <= el.end
        assert im.alt is not None
    for sp in res.excluded:
        assert len(prefix) <= sp.start <= sp.end <= len(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_TEXT)
def test_property_matches_reference_renderer(body, fake_html):
    """Without attribute blocks, src/alt/title agree with markdown-it's own HTML output."""
    if "{" in body or "<" in body or "\0" in body:
        return
    res = parse(body)
    assert [(im.src, im.alt, im.title) for im in res.images] == reference_images(body)


def test_attribute_items_and_style(fake_html):
    src = "![](x.png){#i .c width=50% alt='A \\'q\\'' data-x=\"1\"}"
    [im] = parse(src).images
    assert im.attrs == (("width", "50%"), ("alt", "A 'q'"), ("data-x", "1"))
    assert im.hints.attrs == "pandoc" and im.hints.alt_quote == "'"
    assert im.alt == "A 'q'"


def test_unalignable_line_is_never_guessed():
    assert mdmod._align_line("![a](b)", "something else", 0, mdmod._WS_TAIL_RE) is None
    assert mdmod._align_line("  ![a](b)", "\t![a](b)", 10, mdmod._WS_TAIL_RE) == (11, 2)
    assert mdmod._align_line("# x", "## x", 0, mdmod._HEADING_TAIL_RE) == (1, 0)


def test_mdx_unterminated_comment(fake_html):
    src = "{/* altbot-ignore\n\n![a](b)\n" + "{/* x " * 50
    res = parse(src, mdx=True)
    assert res.ignore_marks == [] and [im.alt for im in res.images] == ["a"]


@settings(max_examples=200, deadline=None)
@given(body=_TEXT)
def test_property_with_real_html_scanner(body):
    res = parse_markdown(body, "p.md", LineIndex(body))
    assert not any("internal error" in e.message for e in res.errors), res.errors
    for im in res.images:
        assert 0 <= im.element_span.start <= im.element_span.end <= len(body)


# -- Python-Markdown (MkDocs) and kramdown (Jekyll): a block-level HTML element is raw up to its
# matching end tag, blank lines and all, and Markdown starts again on the next line. Each row was
# checked against Python-Markdown 3 and kramdown 2 (GFM input): the images they render.

BALANCED = [
    # a Markdown image inside a raw block is text to them (was: an image, as CommonMark reads it)
    pytest.param('<div align="center">\n\n![logo](logo.png)\n\n</div>\n', [], id="inside-a-block-after-blank-lines"),
    # the line after an end tag is Markdown to them (was: raw HTML, the image missed)
    pytest.param('<div class="x">\ntext\n</div>\n![after](a.png)\n', ["a.png"], id="right-after-the-end-tag"),
    pytest.param('<div>\n<div>\ninner\n</div>\nmore ![m](m.png)\n</div>\n![after](a.png)\n', ["a.png"], id="nested-same-name"),
    pytest.param('<div>x</div>\n![d](d.png)\n', ["d.png"], id="one-line-block"),
    pytest.param('<section><div>\nx\n</div></section>\n![e](e.png)\n', ["e.png"], id="outer-element"),
    pytest.param('<DIV>\nx\n</div>\n![g](g.png)\n', ["g.png"], id="any-case"),
    pytest.param('para\n<div>\nx\n</div>\n![b](b.png)\n', ["b.png"], id="after-a-paragraph"),
    pytest.param('  <div>\nx\n</div>\n![c](c.png)\n', ["c.png"], id="indented-start-tag"),
    pytest.param('<div>\ntext\n\n![a](a.png)\n', [], id="never-closed-runs-to-the-end"),
    # no change: a blank line after the end tag, code, an inline element, raw <img> in a block
    pytest.param('<p align="center">\n  <img src="x.png">\n</p>\n\n![after](a.png)\n', ["x.png", "a.png"], id="blank-line-after"),
    pytest.param('```html\n<div>\n```\n![a](a.png)\n', ["a.png"], id="start-tag-in-a-fence"),
    pytest.param('<div>\n<img src="x.png">\n\n<img src="y.png">\n</div>\n', ["x.png", "y.png"], id="raw-images-inside"),
    pytest.param('![a](a.png)\n\n<hr>\n\n![b](b.png)\n', ["a.png", "b.png"], id="void-element-apart"),
]


@pytest.mark.parametrize("text, srcs", BALANCED)
@pytest.mark.parametrize("engine", ["pulldown", "markdown-it"])
def test_balanced_html_blocks_as_python_markdown_and_kramdown_read_them(text, srcs, engine):
    from altbot.model import LineIndex
    from altbot.parse.markdown import parse_markdown

    r = parse_markdown(text, "p.md", LineIndex(text), engine=engine, balanced_html=True)
    assert r.errors == []
    assert [im.src for im in sorted(r.images, key=lambda im: im.element_span.start)] == srcs
    # no change without the option: CommonMark's reading
    plain = parse_markdown(text, "p.md", LineIndex(text), engine=engine)
    assert plain.errors == []


def test_balanced_html_end_tag_still_closes_its_element_for_the_scanner():
    from altbot.model import LineIndex
    from altbot.parse.markdown import parse_markdown

    text = '<div lang="fr" aria-hidden="true">\n<img src="x.png">\n</div>\n![after](a.png)\n'
    r = parse_markdown(text, "p.md", LineIndex(text), balanced_html=True)
    got = sorted(r.images, key=lambda im: im.element_span.start)
    assert [(im.src, im.hidden, im.lang) for im in got] == [("x.png", "aria-hidden", "fr"), ("a.png", None, None)]


@pytest.mark.parametrize(
    "text, parsed, srcs, excluded",
    [
        # a block whose "![" has no "]" after it holds no image: it is not inline-parsed (the parse
        # of a run of "![" was markdown-it's cost, ~50 µs each), and its code spans are still found
        ("![" * 50 + " `code ![` " + "![" * 50 + "\n", False, [], ["`code ![`"]),
        ("x ![ y [ z\n", False, [], []),
        # no change: a "]" after the "![" (an image, or the chance of one), or JSX in the block
        ("![" * 50 + "](a.png)\n", True, ["a.png"], []),
        ("![a](b.png) ![\n", True, ["b.png"], []),
        ('![ <img src="c.png" /> ![\n', True, ["c.png"], []),
        ("] ![ x\n", False, [], []),
    ],
)
def test_a_block_that_can_hold_no_image_is_not_inline_parsed(monkeypatch, text, parsed, srcs, excluded):
    from altbot.model import Kind, SourceFile
    from altbot.parse import parse_source

    calls = []
    real = mdmod._Parser._inline
    monkeypatch.setattr(mdmod._Parser, "_inline", lambda self, *a: (calls.append(1), real(self, *a))[1])
    result = parse_source(SourceFile("p.mdx", "/p.mdx", Kind.MDX, text.encode(), text, "utf-8"))
    assert bool(calls) is parsed
    assert [im.src for im in result.images] == srcs
    assert [text[s.start : s.end] for s in result.excluded] == excluded
