"""The HTML scanner finds exactly what it found before its hot path was rewritten (issue 12).

``tests/oracle_html_scanner.py`` is a copy of ``altbot/parse/html.py`` from
before the rewrite, its tokenizer as it was; a later change of meaning (``<image>``
as ``img``, names from content with the descendants' text alternatives) is made
in both, the oracle's in its own plain code. Every image (all fields, context
included), error, excluded span, ignore mark and page language of the product scanner must equal
the oracle's, over: the benchmark's generated pages, every HTML, Markdown and
MDX file under tests/ and examples/, every HTML snippet of the parser tests,
and a seeded generator of random markup (tags, attributes, templates,
comments, raw text, CDATA, entities, CRLF, non-ASCII names). Each input runs
whole, in consecutive ranges (comparing the open elements after each, white
box: the two share their internals) and in separate ranges cutting tags (as
Markdown feeds raw HTML); and with ``context=False``, whose images must be the
oracle's without their ImageContext.

One part is not the oracle's own: how an inline ``style`` hides an element (the CSS cascade
of ``display`` and an inherited, overridable ``visibility``), which the oracle takes from
the product after that reading was corrected; the tokenizer is what this file checks.
"""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from pathlib import Path

import pytest

import altbot.parse.html as html
import altbot.parse.markdown as markdown
from altbot.model import LineIndex
from tests import oracle_html_scanner as oracle

ROOT = Path(__file__).resolve().parent.parent


def _outcome(scanner, text: str, ranges) -> tuple:
    # after each range: the insertion context, and (white-box, the two share their
    # internals) the open elements with their inherited state
    states = []
    for a, b in ranges:
        scanner.feed(a, b)
        stack = [(el.name, el.hidden, el.lang, el.lang_source, el.foreign, el.start) for el in scanner._stack]
        states.append((scanner.context(), stack, {k: v for k, v in scanner._counts.items() if v}))
    r = scanner.finish()
    return r.images, r.errors, r.excluded, r.ignore_marks, r.ignore_file, r.lang, r.lang_source, states


def _old(text: str, ranges) -> tuple:
    sc = oracle.HtmlScanner(text, "f.html", LineIndex(text), lang="en", lang_source="config")
    return _outcome(sc, text, ranges)


def _new(text: str, ranges, context: bool = True) -> tuple:
    sc = html.HtmlScanner(text, "f.html", LineIndex(text), lang="en", lang_source="config", context=context)
    return _outcome(sc, text, ranges)


def _without_context(outcome: tuple) -> tuple:
    return ([replace(im, context=None) for im in outcome[0]], *outcome[1:])


def _diff(a: tuple, b: tuple) -> str:
    names = ("images", "errors", "excluded", "ignore_marks", "ignore_file", "lang", "lang_source", "states")
    for name, x, y in zip(names, a, b):
        if x != y:
            if name == "images" and len(x) == len(y):
                for i, (p, q) in enumerate(zip(x, y)):
                    if p != q:
                        fields = [f for f in p.__dataclass_fields__ if getattr(p, f) != getattr(q, f)]
                        return f"image {i}: " + "; ".join(f"{f}: {getattr(p, f)!r} != {getattr(q, f)!r}" for f in fields)
            return f"{name}: {x!r} != {y!r}"
    return ""


def assert_same(text: str, ranges=None) -> None:
    """The product scanner, with context and without, agrees with the oracle on ``text``."""
    ranges = ranges or [(0, len(text))]
    want = _old(text, ranges)
    got = _new(text, ranges)
    assert got == want, (_diff(got, want), text[:300])
    bare = _without_context(want)
    got = _new(text, ranges, context=False)
    assert got == bare, ("context=False", _diff(got, bare), text[:300])


def _random_ranges(rng: random.Random, n: int) -> list[tuple[int, int]]:
    """A few separate ranges with gaps, cutting tags anywhere (as Markdown may)."""
    cuts = sorted(rng.sample(range(n + 1), min(n + 1, rng.randrange(2, 9))))
    pairs = list(zip(cuts[::2], cuts[1::2]))
    return pairs or [(0, n)]


def _tag_ranges(text: str, seed: int = 0) -> list[tuple[int, int]]:
    """Consecutive ranges over the whole text, each ending after a random one in six '>': the
    state is compared at each end."""
    rng = random.Random(seed)
    cuts = [0] + [i + 1 for i, c in enumerate(text) if c == ">" and rng.random() < 1 / 6] + [len(text)]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a] or [(0, len(text))]


# ---------------------------------------------------------------- corpora


def _fixture_files() -> list[Path]:
    out = []
    for top in (ROOT / "tests", ROOT / "examples"):
        for p in sorted(top.rglob("*")):
            if p.suffix in (".html", ".htm", ".md", ".mdx", ".markdown") and p.is_file():
                out.append(p)
    return out


def _test_snippets() -> list[str]:
    """Every string parameter of the HTML and decorative parser tests that looks like markup."""
    import tests.test_decorative as dec
    import tests.test_parse_html as t

    out = []
    for mod in (t, dec):
        for value in vars(mod).values():
            if isinstance(value, list):
                for param in value:
                    for v in getattr(param, "values", (param,)) if not isinstance(param, str) else (param,):
                        if isinstance(v, str) and "<" in v:
                            out.append(v)
    return out


def _generated_pages(n: int) -> list[str]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import check_speed as cs
    finally:
        sys.path.pop(0)
    rng = random.Random(7)
    pages = []
    for i in range(n):
        fields = dict(
            i=i, lang="fr" if i % 3 == 0 else "en", para=cs._para(rng, 60), para_short=cs._para(rng, 12),
            alt=cs._para(rng, 6).rstrip("."),
        )
        pages.append(cs.HTML_PAGE.format(**fields))
    return pages


# Random markup: trees of elements, mostly balanced, with junk in them.
_NAMES = (
    "img input area label svg math html script style textarea title xmp iframe noembed noframes plaintext "
    "p div li ul ol dl dt dd h1 h6 table td th tr caption button a figure figcaption section nav header main "
    "span b em i code small template noscript picture source br hr wbr meta link foreignObject desc mi "
    "annotation-xml g path custom-el x:y a.b SPAN Li DIV Br IMG lin\u212a \u017fpan \u0130mg d\u0131v p\u00e9 "
    "object select option menu center form blockquote pre summary details image IMAGE Image tbody thead tfoot TD Tr "
    "ruby rt rp rb rtc optgroup Option meter output progress"
).split()
# what closes, scopes and carries elements
_STRUCTURE = "p li dt dd div ul ol dl span a b button table td th tr tbody figure figcaption hr br h1 section label svg".split()
_ATTR_NAMES = (
    "src alt id role lang xml:lang hidden aria-hidden style title aria-label aria-labelledby for type href class "
    "ID Role LANG Style data-x tabindex aria-describedby srcset \u0131d r\u00f6le"
).split()
_VALUES = [
    "", "x", "y", "a.png", "img", "image", "IMAGE", "true", "presentation", "none", "display:none",
    "visibility: hidden", "fr", "de-CH", "x y", "a>b", "a<b", "{{ x }}", "{% y %}", "'q'", '"q"', "&amp;", "&#233;",
    "\u00e9", "\u017f", "/", "x/", "a=b", "`t`", "{", "}", " ", "\n",
]
_WS = [" ", " ", " ", "\n", "\t", "\r\n", "  ", "\f"]
_TEXT = [
    "word ", "two words ", "&amp; ", "&lt;", "&#x41;", "&nbsp;", "caf\u00e9 ", "\u65e5\u672c ", "a < b ", "<", ">",
    "{", "}", "{{ x }}", "{% if a %}", "{% endif %}", "{# c #}", "<% e %>", "{{< figure src=a >}}", "{{ '<img src=t>' }}",
    "\r\n", "\r", "\n", "\n\n", "--", "]]>", "?>", "%}", "}}", "#}",
    # a script's escaped and double-escaped states (script_end)
    "-->", "--!>", "<!--<script>", "<script>", "</script>", "</SCRIPT >", "<script/", "<!--->",
]
_JUNK = [
    "<!-- c -->", "<!-- altbot-ignore -->", "<!--altbot-ignore-file-->", "<!-->", "<!--->", "<!--", "<!x>",
    "<?php echo 1 ?>", "<?x>", "<![CDATA[ <img src=c> ]]>", "<![CDATA[", "<!DOCTYPE html>", "</>", "</ x>", "</",
    "</p>", "</li>", "</div>", "</a>", "</span>", "</svg>", "</x y=z>", "<img", "<a href=x", '<img alt="', "{{", "{%",
]


def _attrs(rng: random.Random) -> str:
    out = []
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3, 5))):
        name = rng.choice(_ATTR_NAMES)
        value = rng.choice(_VALUES)
        form = rng.random()
        if form < 0.15:
            out.append(rng.choice(_WS) + name)
        elif form < 0.55:
            out.append(f'{rng.choice(_WS)}{name}="{value.replace(chr(34), "")}"')
        elif form < 0.7:
            out.append(f"{rng.choice(_WS)}{name}='{value.replace(chr(39), '')}'")
        elif form < 0.85:
            v = "".join(c for c in value if c not in " \t\n\r\f>\"'") or "v"
            out.append(f"{rng.choice(_WS)}{name}={v}")
        elif form < 0.95:
            value = rng.choice(("x", '"x"', "x/"))
            out.append(f"{rng.choice(_WS)}{name} {rng.choice(('=', ' = ', '= '))}{value}")
        else:
            out.append(rng.choice(_WS) + rng.choice(("{{ attrs }}", "{% if x %}hidden{% endif %}", "<% a %>", "{{")))
    return "".join(out)


_STATE_ATTRS = [" hidden", ' aria-hidden="true"', ' style="display:none"', " lang=de", ' xml:lang="el"', " id=t1",
                " id=t2", ' role="img"', " role=presentation", ' aria-label="L"', " for=i1", ' aria-label=" "',
                ' style="visibility:hidden"', ' style="visibility:visible"', " aria-labelledby=t2"]
_IMAGES = ["<img src=a.png>", '<img src="b.png" alt="">', "<img alt=B src=b aria-labelledby=t1>", "<IMG SRC=c>",
           "<input type=image src=i id=i1>", '<area href="/x">', "<svg role=img><title>T</title></svg>",
           '<span role="img" aria-labelledby="t2 t1"></span>', "<img src=d title=D>",
           # <image> is an img in HTML content, svg's own element in foreign content
           '<image src="e.png">', "<IMAGE SRC=e2 alt=E2 aria-labelledby=t2>", '<svg><image href="f.png"/></svg>',
           # what a name from content reads: alts, aria-labels, image buttons, hidden parts
           '<span id=t1>T <img src=g alt=G><b aria-label=AB>x</b></span>', '<img src=h alt="" title=H aria-describedby=d>',
           "<input type=image value=V title=T>", '<i aria-label="I" hidden>x</i>', "<img src=k alt=K hidden>",
           '<p id=t2>P<img src=m alt="M" role=presentation><img src=n aria-label=N></p>',
           # a label labels its first labelable descendant: controls before an image button
           "<input type=image src=j>", "<input type=HIDDEN>", "<input>", "<label for=''>F <input type=image src=l></label>"]


def _node(rng: random.Random, depth: int) -> str:
    r = rng.random()
    if r < 0.25 or depth > 5:
        return "".join(rng.choice(_TEXT) for _ in range(rng.randrange(1, 4)))
    if r < 0.45:
        return rng.choice(_IMAGES)
    if r < 0.53:
        return rng.choice(_JUNK)
    name = rng.choice(_NAMES if rng.random() < 0.6 else _STRUCTURE)
    if rng.random() < 0.2:
        name = name.upper() if rng.random() < 0.5 else name.capitalize()
    tail = rng.choice(("", "", "", " ", "/", " /", "\n"))
    attrs = _attrs(rng) + (rng.choice(_STATE_ATTRS) if rng.random() < 0.3 else "")
    start = f"<{name}{attrs}{tail}>"
    if rng.random() < 0.15:
        return start
    children = "".join(_node(rng, depth + 1) for _ in range(rng.choice((0, 1, 1, 2, 3))))
    end_name = name if rng.random() < 0.85 else rng.choice(_STRUCTURE)
    end = rng.choice((f"</{end_name}>", f"</{end_name}>", f"</{end_name} >", f"</{end_name.upper()}>", f"</{end_name}\n>"))
    if rng.random() < 0.1:
        end = ""
    return start + children + end + (rng.choice(_IMAGES) if rng.random() < 0.3 else "")


def _random_page(seed: int) -> str:
    rng = random.Random(seed)
    return "".join(_node(rng, 0) for _ in range(rng.randrange(1, 12)))


# ---------------------------------------------------------------- tests


def test_generated_pages():
    for page in _generated_pages(40):
        assert_same(page)
        assert_same(page, _tag_ranges(page))


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_fixture_files(path):
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix in (".html", ".htm"):
        assert_same(text)
        assert_same(text, _tag_ranges(text))
        assert_same(text, _random_ranges(random.Random(len(text)), len(text)))
    else:
        _assert_same_markdown(text, mdx=path.suffix == ".mdx")


def test_parser_test_snippets():
    snippets = _test_snippets()
    assert len(snippets) > 100
    for text in snippets:
        assert_same(text)
        assert_same(text, _tag_ranges(text))


@pytest.mark.parametrize("chunk", range(10))
def test_random_markup(chunk):
    for seed in range(chunk * 300, chunk * 300 + 300):
        text = _random_page(seed)
        assert_same(text, _tag_ranges(text, seed))
        assert_same(text, _tag_ranges(text, seed + 1))
        if seed % 3 == 0:
            assert_same(text, _random_ranges(random.Random(seed), len(text)))


def test_names_from_long_content():
    """The limits of a name from content: descendants looked at, characters read and kept."""
    rng = random.Random(5)
    pieces = ["word ", "<img src=a alt=A>", "<b aria-label=L>x</b>", "<i hidden>h</i>", "<img src=n>", "\n",
              "<span hidden><img src=h alt=H></span>", "<img src=w alt='" + "long " * 60 + "'>", "x" * 300,
              # a block's tags read as spaces (the long text's index too), an inline's as nothing
              "<p>para</p>", "<div hidden>h</div>", "<li>item", "<br>", "<span>in</span>", "</TD>"]
    for seed in range(16):
        rng.seed(seed)
        body = "".join(rng.choice(pieces) for _ in range(rng.choice((10, 250, 256, 257, 400, 900))))
        hidden = rng.choice(("", " hidden"))
        assert_same(f'<div id="t"{hidden}>{body}</div><img src="b" aria-labelledby="t">')
        assert_same(f'<label for="i"{hidden}>{body}</label><input type="image" id="i" src="b">')
    # at the limits: descendants looked at (nameless images, hidden elements), characters read
    for k in (255, 256, 257):
        for filler in ("<img src=n>", "<i hidden>h</i>", "<b>x</b><img src=n alt=''>"):
            assert_same(f'<div id="t">{filler * k}<img src=a alt=A>tail</div><img src="b" aria-labelledby="t">')
    for k in (1996, 1997, 1998):
        assert_same(f'<div id="t">{" " * k}<img src=a alt=X>tail</div><img src="b" aria-labelledby="t">')
    # unclosed targets, each holding all the images after it
    nested = "".join(f'<span id="s{k}">{pieces[k % len(pieces)]}<img src="i{k}" aria-labelledby="s{k} s0">' for k in range(300))
    assert_same(nested)


def _assert_same_markdown(text: str, mdx: bool = False) -> None:
    def run(make, context=True):
        saved = markdown._make_scanner
        markdown._make_scanner = make
        try:
            r = markdown.parse_markdown(text, "f.md", LineIndex(text), mdx=mdx, context=context)
        finally:
            markdown._make_scanner = saved
        return r.images, r.errors, r.excluded, r.ignore_marks, r.ignore_file

    def old(text, path, index, lang, lang_source, context=True):
        return oracle.HtmlScanner(text, path, index, lang=lang, lang_source=lang_source)

    want = run(old)
    assert run(markdown._make_scanner) == want
    # without context, Markdown images lose theirs too
    assert run(markdown._make_scanner, context=False) == ([replace(im, context=None) for im in want[0]], *want[1:])


def test_markdown_raw_html():
    rng = random.Random(12)
    for seed in range(150):
        rng.seed(seed)
        parts = []
        for _ in range(rng.randrange(1, 8)):
            kind = rng.random()
            if kind < 0.4:
                parts.append(_random_page(seed * 31 + len(parts)))
            elif kind < 0.7:
                parts.append(rng.choice(("![a](x.png)", "![](y.png)", "[![](z.png)](/l)", "text *em*", "`<img src=c>`")))
            else:
                parts.append(rng.choice(("\n\n", "\n", "\n```\n<img src=f>\n```\n", "\n> ", "\n- ")))
        _assert_same_markdown("".join(parts))
