"""Inputs made to hurt: every parser stays linear in its input, and an alias bomb is a file error.

Timing tests parse one adversarial input at size N and at 8N in the same test and
compare: linear code takes ~8x as long, quadratic code ~64x. They measure the
process's CPU time, which other processes on a busy machine do not inflate.
Sizes are small, so a quadratic regression costs seconds, not minutes, and a hard
deadline (SIGALRM, wall clock) turns a hang into a failure. The ratio, not a
time, is what is asserted; the deadline is only a guard.
"""

from __future__ import annotations

import contextlib
import random
import re
import signal
import time

import pytest

from altbot.cli import main
from altbot.model import Kind, LineIndex, SourceFile
from altbot.parse import parse_source
from altbot.parse.frontmatter import parse_front_matter

# ---------------------------------------------------------------- timing helpers

SCALE = 8
# Linear code gives ~8 (less when fixed costs dominate); quadratic code gives ~64.
MAX_RATIO = 24
# Below this the larger run is too quick for its ratio to mean anything.
FLOOR = 0.05
DEADLINE = 10.0  # seconds (wall clock) for one case, both sizes: a guard, not a measurement


class _Timeout(BaseException):
    """Not an Exception: the parsers catch those, and a swallowed deadline would cut a run short."""


@contextlib.contextmanager
def deadline(seconds: float):
    """Fail (instead of hanging) when the block runs longer than ``seconds``."""
    if not hasattr(signal, "setitimer"):  # pragma: no cover - Windows: no guard
        yield
        return

    def fire(signum, frame):
        raise _Timeout(f"still running after {seconds:.0f} s: super-linear?")

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _best(fn, arg, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        t = time.process_time()
        fn(arg)
        best = min(best, time.process_time() - t)
    return best


def assert_linear(fn, make, n: int) -> None:
    """``fn(make(SCALE * n))`` takes well under SCALE**2 times ``fn(make(n))``."""
    small, large = make(n), make(SCALE * n)
    with deadline(DEADLINE):
        fn(small)  # warm up: imports, compiled regexes, parser tables
        for attempt in range(2):  # a second look before blaming the code for a noisy neighbour
            t_small = _best(fn, small, 3)
            t_large = _best(fn, large, 1 + attempt)
            if t_large < FLOOR or t_large < MAX_RATIO * t_small:
                return
    pytest.fail(
        f"{len(small)} chars: {t_small * 1000:.1f} ms, {len(large)} chars: {t_large * 1000:.1f} ms "
        f"(x{t_large / t_small:.0f} for x{SCALE} input; linear is ~x{SCALE})"
    )


def _source(kind: Kind):
    def parse(text: str):
        return parse_source(SourceFile("f", "/f", kind, b"", text, "utf-8"))

    return parse


# ---------------------------------------------------------------- front matter: alias bombs


def _alias_bomb(levels: int = 9, width: int = 9) -> str:
    lines = ["a: &a [" + ",".join(['"lol"'] * width) + "]"]
    for prev, name in zip("abcdefghijkl", "bcdefghijklm"[: levels - 1]):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * width) + "]")
    return "\n".join(lines) + "\n"


def _fm(text: str, fields=None):
    from altbot.parse.base import DEFAULT_FRONT_MATTER_FIELDS

    return parse_front_matter(text, "doc.md", LineIndex(text), fields or DEFAULT_FRONT_MATTER_FIELDS)


@pytest.mark.parametrize(
    "yaml_text, line",
    [
        # the 9 * 10 ** 8 values of line 5 go past the limit
        pytest.param(_alias_bomb(), 5, id="billion-laughs"),
        pytest.param(_alias_bomb(levels=12, width=2), 12, id="deep-and-narrow"),
        pytest.param("a: &a [x, *a]\nimage: x.png\n", 1, id="recursive-sequence"),
        pytest.param("a: &a {b: *a}\nimage: x.png\n", 1, id="recursive-mapping"),
        pytest.param(
            "m0: &m0 {k: v}\n"
            + "".join(f"m{i}: &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * 9)}]}}\n" for i in range(1, 9)),
            5,
            id="merge-keys",
        ),
    ],
)
def test_front_matter_alias_bomb_is_a_file_error(yaml_text, line):
    text = "---\n" + yaml_text + "image: x.png\n---\nbody ![](a.png)\n"
    with deadline(5):
        fm, result = _fm(text)
    assert fm is not None and fm.data is None
    assert fm.body_start == text.index("body")
    assert result.images == []
    (err,) = result.errors
    assert err.path == "doc.md"
    assert err.line == line + 1  # the alias's line, counted from the '---' line
    assert "alias" in err.message and "write the values out" in err.message


@pytest.mark.parametrize(
    "yaml_text, alt",
    [
        pytest.param("base: &a Shared\nimage: a.jpg\nimage_alt: *a\n", "*alias", id="scalar-alias"),
        pytest.param(
            "d: &d {image: a.jpg, image_alt: A cat}\ngallery:\n  - *d\n  - *d\n", None, id="mapping-alias-twice"
        ),
        pytest.param("a: &a [x, y]\nb: [*a, *a, *a]\nimage: a.jpg\nimage_alt: Dog\n", "Dog", id="sequence-aliases"),
        pytest.param("image: a.jpg # not *an alias\nimage_alt: 'A *star*'\n", "A *star*", id="asterisks-only"),
    ],
)
def test_front_matter_ordinary_aliases_still_read(yaml_text, alt):
    text = "---\n" + yaml_text + "---\n"
    fm, result = _fm(text)
    assert result.errors == []
    assert isinstance(fm.data, dict)
    if alt is not None:
        (im,) = result.images
        assert im.alt == alt


@pytest.mark.parametrize("seed", range(3))
def test_front_matter_line_positions_from_the_index(seed):
    """The locator's line positions from the LineIndex are those the scans used to find."""
    from altbot.parse.frontmatter import _line_start, _next_line_start

    rng = random.Random(seed)
    for _ in range(300):
        text = "".join(rng.choice(["a", " ", "\n", "\r", "\r\n"]) for _ in range(rng.randrange(0, 14)))
        index = LineIndex(text)
        for pos in range(len(text) + 1):
            assert _next_line_start(text, pos, index) == _next_line_start(text, pos), (text, pos)
            if not text.startswith("\n", pos) or not text.endswith("\r", 0, pos):  # never inside a "\r\n"
                assert _line_start(text, pos, index) == _line_start(text, pos), (text, pos)


def _tree(root, files: dict[str, str]) -> None:
    for name, content in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(content, encoding="utf-8", newline="")


@pytest.mark.parametrize(
    "command",
    [pytest.param(["check"], id="check"), pytest.param(["scan"], id="scan")],
)
def test_cli_reports_alias_bomb_and_goes_on(tmp_path, monkeypatch, capsys, command):
    _tree(
        tmp_path,
        {
            "bomb.md": "---\ntitle: x\n" + _alias_bomb() + "image: x.png\n---\n\n![](hidden.png)\n",
            "ok.md": "# Hi\n\n![](cat.png)\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    with deadline(20):
        rc = main([*command, "."])
    out, err = capsys.readouterr()
    both = out + err
    error_lines = [ln for ln in both.splitlines() if "alias" in ln]
    assert error_lines and error_lines[0].startswith("bomb.md:7:")
    assert "ok.md" in both  # the other file is still checked
    if command == ["check"]:
        assert rc == 1  # findings win over file errors, as everywhere
        assert re.search(r"^ok\.md:3:1 empty-alt", out, re.M)
        assert "1 file error" in out


def test_cli_alias_bomb_alone_exits_2(tmp_path, monkeypatch, capsys):
    _tree(tmp_path, {"bomb.md": "---\n" + _alias_bomb() + "---\n", "ok.md": "![A cat](cat.png)\n"})
    monkeypatch.chdir(tmp_path)
    with deadline(20):
        rc = main(["check", "."])
    out, _ = capsys.readouterr()
    assert rc == 2
    assert "bomb.md:6:" in out


@pytest.mark.parametrize(
    "name, config",
    [
        pytest.param("hugo.yaml", "languageCode: fr\n", id="hugo"),
        pytest.param("_config.yml", "lang: fr\n", id="jekyll"),
        pytest.param("mkdocs.yml", "site_name: x\ntheme: {language: fr}\n", id="mkdocs"),
        pytest.param("config/_default/params.yaml", "x: 1\n", id="hugo-config-dir"),
    ],
)
def test_site_config_alias_bomb_is_a_note_not_a_hang(tmp_path, name, config):
    from altbot.language import LanguageResolver

    _tree(tmp_path, {name: config + _alias_bomb(), "page.md": "# Hi\n", ".git/HEAD": ""})
    if name.startswith("config/"):
        _tree(tmp_path, {"config/_default/hugo.yaml": "languageCode: fr\n"})
    with deadline(10):
        res = LanguageResolver(str(tmp_path), detect=False).page_language(str(tmp_path / "page.md"), "# Hi\n")
    # configs may repeat more values than front matter: the bomb's line 6 goes past the limit
    line = config.count("\n") + 6
    assert any(f"line {line}:" in n and "alias" in n and "write the values out" in n for n in res.notes), res


@pytest.mark.parametrize(
    "name, config",
    [
        pytest.param("hugo.json", '{"languageCode": "fr", "x": ' + "[" * 900 + "]" * 900 + "}", id="hugo-json"),
        pytest.param("hugo.yaml", "languageCode: fr\nx: " + "[" * 150 + "]" * 150 + "\n", id="hugo-yaml"),
    ],
)
def test_site_config_nested_too_deep_is_a_note_not_a_crash(tmp_path, monkeypatch, capsys, name, config):
    from altbot.language import LanguageResolver

    _tree(tmp_path, {name: config, "page.md": "# Hi\n\n![](a.png)\n", ".git/HEAD": ""})
    res = LanguageResolver(str(tmp_path), detect=False).page_language(str(tmp_path / "page.md"), "# Hi\n")
    assert any(name in n and "nested more than" in n for n in res.notes), res
    monkeypatch.chdir(tmp_path)
    assert main(["scan", "."]) == 0  # read every page, no traceback
    assert "a.png" in capsys.readouterr().out


def test_site_config_harmless_aliases_are_read(tmp_path):
    from altbot.language import LanguageResolver

    mkdocs = (
        "site_name: x\n"
        "extra: &shared {language: de}\n"
        "theme:\n  <<: *shared\n  name: material\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
    )
    _tree(tmp_path, {"mkdocs.yml": mkdocs, "docs/page.md": "# Hi\n", ".git/HEAD": ""})
    res = LanguageResolver(str(tmp_path), detect=False).page_language(str(tmp_path / "docs/page.md"), "# Hi\n")
    assert (res.tag, res.source, res.notes) == ("de", "mkdocs-theme-language", ())


# ---------------------------------------------------------------- visible_text (language detection)

# The regex visible_text used to run over the whole page, kept as the oracle: the
# linear scanner must find exactly its matches.
_OLD_STRIP = re.compile(
    r"<!--.*?-->"
    r"|<(script|style|pre|code|svg|math|template|noscript)\b.*?</\1\s*>"
    r"|^[ \t]*(```|~~~).*?^[ \t]*\2[^\n]*$"
    r"|\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}"
    r"|`[^`\n]*`"
    r"|<[^>]*>"
    r"|!?\[([^\]]*)\]\([^)]*\)"
    r"|https?://\S+"
    r"|&[#\w]+;",
    re.S | re.M | re.I,
)
_OLD_FRONT_MATTER = re.compile(r"\A\ufeff?(?:---|\+\+\+)[^\n]*\n.*?^(?:---|\+\+\+|\.\.\.)[ \t]*$", re.S | re.M)


def _old_visible_text(text: str, limit: int = 4000) -> str:
    def repl(m):
        link = m.group(3)
        return f" {link} " if link is not None and not m.group().startswith("!") else " "

    out = _OLD_STRIP.sub(repl, _OLD_FRONT_MATTER.sub("", text, count=1))
    out = re.sub(r"^[ \t]*(?:#{1,6}|[-*+>]|\d+[.)])[ \t]+", "", out, flags=re.M)
    out = re.sub(r"[*_~|]+", " ", out)
    return " ".join(out.split())[:limit]


_VIS_PIECES = [
    "<", ">", "<>", "<!--", "<!-", "-->", "<script>", "</script>", "</SCRIPT >", "<Style>", "</style>", "<pre",
    "</pre>", "<code>", "</code >", "<svg>", "</svg>", "<math", "<template>", "</template>", "<noscript>",
    "</noscript>", "<b>", "<a href=x>", "</script", "ſcript", "</ſcript>", "```", "~~~", "\n", "\n```\n", "  ```",
    "{{", "}}", "{%", "%}", "{#", "#}", "`", "[", "]", "(", ")", "![", "](", "http://", "https://x", "&amp;", "&",
    ";", "#", "# ", "- ", "1. ", "*", "_", "|", "~", " ", "\t", "word", "é", "---\n", "+++\n", "...\n",
]


@pytest.mark.parametrize(
    "text, visible",
    [
        pytest.param(
            "# Title\n\nSome **bold** [link text](http://x) ![img](a.png)\n", "Title Some bold link text", id="md"
        ),
        pytest.param("<p>Bonjour <b>le</b> monde</p><script>var x = '<p>';</script>", "Bonjour le monde", id="html"),
        pytest.param(
            "a <!-- x --> b {{ .Title }} c {% if %} d {# n #} e `code` f &amp; g", "a b c d e f g", id="inline"
        ),
        pytest.param("a\n```\ncode\n```\nb\n~~~\nmore\n~~~\nc", "a b c", id="fences"),
        pytest.param("<SCRIPT>x</script >y<pre>z</PRE>w", "y w", id="raw-any-case"),
        pytest.param("a < b and c > d", "a d", id="lt-gt"),
        pytest.param("a <!-- never closed", "a <!-- never closed", id="open-comment"),
        pytest.param("x {{ y", "x {{ y", id="open-template"),
        pytest.param("[[a] b](c) [d](e)", "[[a] b](c) d", id="nested-link"),
    ],
)
def test_visible_text_no_change(text, visible):
    from altbot.language import visible_text

    assert visible_text(text) == visible == _old_visible_text(text)


@pytest.mark.parametrize("seed", range(4))
def test_visible_text_matches_the_old_regex(seed):
    from altbot.language import visible_text

    rng = random.Random(seed)
    for _ in range(400):
        text = "".join(rng.choice(_VIS_PIECES) for _ in range(rng.randrange(1, 60)))
        for limit in (4000, 7):
            assert visible_text(text, limit) == _old_visible_text(text, limit), (text, limit)
    # long pages, where the scanner may stop as soon as it has enough text
    for _ in range(30):
        text = "".join(rng.choice(_VIS_PIECES + ["\nsome words\n"]) for _ in range(rng.randrange(200, 600)))
        for limit in (4000, 3, 40):
            assert visible_text(text, limit) == _old_visible_text(text, limit), (text, limit)


@pytest.mark.parametrize("seed", range(3))
def test_config_and_tag_readers_match_the_old_regexes(seed):
    from altbot.language import _ATTR
    from altbot.site.readers import strip_js_comments as _strip_js_comments

    # the old regex, with JS strings and template literals kept whole (their '//' is no comment)
    old_comment = re.compile(
        r"""("(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|`(?:[^`\\]|\\.)*`?)|//[^\n]*|/\*.*?\*/""", re.S
    )
    old_attr = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
    rng = random.Random(seed)
    for _ in range(2000):
        js = "".join(rng.choice(["/", "*", "/*", "*/", "//", "\n", "a", " ", "'", '"', "`", "\\"]) for _ in range(rng.randrange(0, 14)))
        assert _strip_js_comments(js) == old_comment.sub(lambda m: m.group(1) or "", js), js
        tag = "".join(rng.choice(["a", "-", ":", "=", " ", '"', "'", ">", "x=1"]) for _ in range(rng.randrange(0, 14)))
        got = [(m.span(), m.groups()) for m in _ATTR.finditer(tag)]
        assert got == [(m.span(), m.groups()) for m in old_attr.finditer(tag)], tag


# ---------------------------------------------------------------- linear time: adversarial tables


def _rep(unit: str, head: str = "", tail: str = ""):
    """A maker of ``head + unit * k + tail`` about ``n`` characters long."""

    def make(n: int) -> str:
        return head + unit * max(1, n // len(unit)) + tail

    return make


def _visible(text: str):
    from altbot.language import visible_text

    return visible_text(text)


_HTML = _source(Kind.HTML)
_MD = _source(Kind.MARKDOWN)
_MDX = _source(Kind.MDX)
_ASTRO = _source(Kind.ASTRO)


def _blocks_html(text: str):
    from altbot.parse.blocks import open_markdown_html

    return open_markdown_html(text)


def _markdown_in_html(text: str):
    from altbot.model import LineIndex
    from altbot.parse.markdown import parse_markdown

    return parse_markdown(text, "p.md", LineIndex(text), markdown_html=True)


def _shortcode_template(text: str):
    from altbot.site.layouts import shortcode_image

    return shortcode_image(text)


def _includes(text: str):
    from altbot.model import LineIndex
    from altbot.parse.liquid import parse_includes

    return parse_includes(text, "p.md", LineIndex(text), includes={"figure": ("image_path", "alt")})


def _comments(text: str):
    from altbot.parse.liquid import comment_spans

    return comment_spans(text, ("liquid", "njk", "kramdown"))


def _relative_includes(text: str):
    from altbot.model import LineIndex
    from altbot.parse.liquid import parse_includes

    return parse_includes(text, "p.md", LineIndex(text), relative_includes={"a.html": ("src", "alt")})


def _relative_calls(text: str):
    import types

    from altbot.site.jekyll import Jekyll

    site = types.SimpleNamespace(_relative_cache={})  # each name a file looked up once
    return Jekyll.relative_includes(site, "/nonexistent/p.md", text)


def _layout_usage(text: str):
    """A Hugo layout read for how it shows front-matter fields (site.layouts.hugo_usage)."""
    import os
    import tempfile

    from altbot.site.layouts import hugo_usage

    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "single.html"), "w", encoding="utf-8") as fh:
            fh.write(text)
        return hugo_usage([d])


def _liquid_layout_usage(text: str):
    """A Jekyll layout read for how it shows front-matter fields (site.layouts.liquid_usage)."""
    import os
    import tempfile

    from altbot.site.layouts import liquid_usage

    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "default.html"), "w", encoding="utf-8") as fh:
            fh.write(text)
        return liquid_usage([d])


def _reason_group(text: str):
    """fix's summary groups skip reasons by their words (plan.reason_group): a reason holds a src."""
    from altbot.plan import reason_group

    return reason_group(text)


def _template_src(text: str):
    """A src written as template actions, resolved as the generator would (site.templates.resolve)."""
    from altbot.site.templates import resolve

    return resolve(text, None)


def _include_template(text: str):
    from altbot.site.layouts import include_image

    return include_image(text)


def _astro_layout(text: str):
    from altbot.site import astro

    return astro._html_lang(astro._template(text)), astro._prop_default(text, "lang")


def _eleventy_layout(text: str):
    from altbot.site import eleventy

    m = eleventy._html_lang(text)
    return eleventy._front_matter_layout(text), m and eleventy._EXPRESSION.match(m.group(1) or m.group(2) or "")


def _content_config(text: str):
    from altbot.site import astro

    return astro._loader_bases(text), [m.group(2) for m in astro._GET_COLLECTION.finditer(text)]


def _paragraph_tags(text: str):
    from altbot.parse.blocks import paragraph_tags

    return paragraph_tags(text, ("!!!", "???", "==="))


def _balanced(text: str):
    from altbot.model import LineIndex
    from altbot.parse.markdown import parse_markdown

    return parse_markdown(text, "p.md", LineIndex(text), balanced_html=True)


def _gallery_calls(text: str):
    import types

    from altbot.site.jekyll import Jekyll

    return Jekyll.page_image_fields(types.SimpleNamespace(galleries={"gallery": ("id", "gallery", "image_path", "alt")}), text)


def _blocks_fences(text: str):
    from altbot.parse.blocks import as_list_items

    return as_list_items(text, ("!!!", "???", "==="))


def _front_matter(text: str):
    return _fm(text)


def _tick_in_link(text: str):
    from altbot.parse.markdown import _tick_in_link

    return _tick_in_link(text)


def _html_lang(text: str):
    from altbot.language import _html_lang

    return _html_lang(text)


def _astro_config(src: str):
    from altbot.site.astro import Astro

    return Astro("/nonexistent", src, [])


def _shortcodes(text: str):
    from altbot.parse.shortcodes import parse_shortcodes

    return parse_shortcodes(text, "f", LineIndex(text))


def _jsx(text: str):
    from altbot.parse.jsx import parse_jsx

    return parse_jsx(text, "f", LineIndex(text))


_WORDS = "word " * 40

# (parser, input maker, n): n is sized so that linear code takes a few ms at 8n,
# and the code before the fix took ~30x to 100x longer.
ATTACKS = [
    # visible_text (scan and fix detect the page language from it)
    pytest.param(_visible, _rep("<"), 4000, id="text-lt"),
    pytest.param(_visible, _rep("{"), 2000, id="text-brace"),
    pytest.param(_visible, _rep("a {{ b "), 4000, id="text-unclosed-tpl"),
    pytest.param(_visible, _rep("{% "), 4000, id="text-unclosed-tag"),
    pytest.param(_visible, _rep("<!-- "), 4000, id="text-unclosed-comment"),
    pytest.param(_visible, _rep("<script>"), 8000, id="text-unclosed-script"),
    pytest.param(_visible, _rep("["), 2000, id="text-bracket"),
    pytest.param(_visible, _rep("!["), 2000, id="text-image-bracket"),
    pytest.param(_visible, lambda n: "[" * n + "]", 2000, id="text-brackets-one-close"),
    pytest.param(_visible, _rep("[a]("), 8000, id="text-link-no-close"),
    # the rest of what language resolution reads: <html lang>, JS site configs
    pytest.param(_html_lang, lambda n: "<html " + "a" * n + ">", 2000, id="lang-html-attribute-run"),
    pytest.param(_astro_config, _rep("/* "), 4000, id="lang-config-unclosed-comments"),
    pytest.param(_astro_config, lambda n: "locales: {" + " " * n + "}", 2000, id="lang-config-blank-locales"),
    # HTML: adjacent text, link/figure/label context, names
    pytest.param(_HTML, _rep("word " * 100 + "<img src=a.png>"), 16000, id="html-prose-between-imgs"),
    pytest.param(_HTML, _rep("{", tail='<img src="a.png">'), 2000, id="html-braces-before-img"),
    pytest.param(_HTML, _rep("{" * 500 + "<img src=a.png>"), 4000, id="html-braces-between-imgs"),
    pytest.param(_HTML, _rep("a {{ b ", tail="<img src=a.png>"), 4000, id="html-unclosed-tpl-before-img"),
    pytest.param(_HTML, _rep("<a href=x><img src=a.png> " + _WORDS), 32000, id="html-unclosed-links"),
    pytest.param(_HTML, _rep("<button><img src=a.png> " + _WORDS), 16000, id="html-unclosed-buttons"),
    pytest.param(_HTML, _rep("<a {{ href=x><img src=a> " + _WORDS), 32000, id="html-unclosed-tpl-in-link"),
    pytest.param(_HTML, _rep('<a title="x>y<!--"><img src=a.png>' + _WORDS), 16000, id="html-comment-in-attribute"),
    pytest.param(
        _HTML,
        lambda n: "<a href=x>" + "<div>" * (n // 10) + "<img src=a alt=x>" * (n // 34),
        16000,
        id="html-deep-link",
    ),
    pytest.param(
        _HTML, lambda n: "<figure>" + "<div>" * (n // 10) + "<img src=a alt=x>" * (n // 34), 8000, id="html-deep-figure"
    ),
    pytest.param(
        _HTML,
        lambda n: "<label>" + "<span>" * (n // 12) + "<input type=image src=a>" * (n // 48),
        8000,
        id="html-deep-label",
    ),
    pytest.param(_HTML, _rep("<span><div>", head="<p><button>"), 8000, id="html-p-in-button-scope"),
    pytest.param(
        _HTML, _rep("<img src=a aria-labelledby=x> " + _WORDS, head="<span id=x>"), 16000, id="html-one-id-many-refs"
    ),
    pytest.param(
        _HTML,
        lambda n: "".join(f"<span id=x{i}>{_WORDS}<img src=a aria-labelledby=x{i}>" for i in range(n // 240)),
        16000,
        id="html-nested-named-spans",
    ),
    pytest.param(
        _HTML,
        lambda n: "<label for=x>L</label>" * (n // 50) + "<input type=image src=a id=x>" * (n // 60),
        2000,
        id="html-duplicate-ids",
    ),
    pytest.param(
        _HTML,
        lambda n: "<figure><figcaption>" + "w " * (n // 2) + "</figcaption>" + "<img src=a alt=x>" * (n // 100),
        16000,
        id="html-big-figcaption",
    ),
    # implied and ignored closes: ruby annotations deep under a ruby, table parts, options, "/>"
    pytest.param(_HTML, lambda n: "<ruby>" + "<div>" * (n // 10) + "<rt>" * (n // 8), 8000, id="html-deep-ruby"),
    pytest.param(_HTML, _rep("<tr><td hidden>", head="<table>"), 8000, id="html-unclosed-table-parts"),
    pytest.param(_HTML, _rep("<option>", head="<select>"), 8000, id="html-unclosed-options"),
    pytest.param(_HTML, _rep("<div hidden/>", tail="<img src=a.png>"), 8000, id="html-self-closed-divs"),
    pytest.param(_HTML, _rep("<!--<script>-->", head="<script>"), 8000, id="html-script-escapes"),
    pytest.param(_HTML, _rep("<script></script>", head="<script><!--"), 8000, id="html-script-double-escaped"),
    pytest.param(_HTML, _rep("<?x>"), 8000, id="html-processing-instructions"),
    pytest.param(_HTML, _rep("<![CDATA[x>"), 8000, id="html-cdata"),
    # a link left open under a marker, many unclosed elements above it, then many links: each <a>
    # asks for the open link it would end (was a walk down the stack each: quadratic, a minute at 1 MB)
    pytest.param(_HTML, lambda n: "<a href=/><object>" + "<span>" * (n // 12) + "<a href=/b>x</a>" * (n // 32), 8000,
                 id="html-links-under-a-marker-many-open-elements"),
    pytest.param(_HTML, lambda n: "<a href=/>" + "<div>" * (n // 10) + "<a href=/b>x" * (n // 24), 8000,
                 id="html-links-left-open-over-blocks"),
    # Markdown, shortcodes, MDX and JSX
    pytest.param(_MD, _rep("*![](a.png)"), 4000, id="md-images-in-emphasis"),
    pytest.param(_tick_in_link, lambda n: "](" * (n // 2) + ")`", 50000, id="md-link-destinations"),
    pytest.param(_shortcodes, _rep("{{< figure "), 2000, id="shortcode-unclosed"),
    pytest.param(_shortcodes, _rep('{{< figure src="'), 2000, id="shortcode-unclosed-quote"),
    pytest.param(_shortcodes, _rep("{{</* "), 8000, id="shortcode-unclosed-escape"),
    pytest.param(_MDX, _rep("{/* "), 4000, id="mdx-unclosed-comments"),
    pytest.param(_MDX, _rep("{/*", tail="*/"), 4000, id="mdx-comments-one-close"),
    pytest.param(_MDX, _rep("<Image alt={"), 2000, id="jsx-unclosed-expressions"),
    pytest.param(_MDX, _rep("<img alt={<a>"), 2000, id="jsx-unclosed-elements"),
    pytest.param(_MDX, _rep("<a {{ href=x><img src=a>"), 2000, id="jsx-braces-in-tags"),
    pytest.param(_MDX, _rep("http://x <Image {"), 2000, id="jsx-line-comment-in-text"),
    # MDX JavaScript: expressions, attribute expressions, ESM (import/export) blocks
    pytest.param(_MDX, _rep('{"'), 2000, id="mdx-expressions-unclosed-strings"),
    pytest.param(_MDX, _rep("{a // "), 2000, id="mdx-expressions-line-comments"),
    pytest.param(_MDX, _rep("//"), 4000, id="mdx-slashes"),
    pytest.param(_MDX, _rep("<img "), 2000, id="mdx-unclosed-img-tags"),
    pytest.param(_MDX, _rep("{`${"), 2000, id="mdx-expressions-unclosed-templates"),
    pytest.param(_MDX, _rep("<!-- a --> ![](b.png) "), 4000, id="mdx-html-comments"),
    pytest.param(_MDX, _rep("<!--"), 4000, id="mdx-unclosed-html-comments"),
    pytest.param(_MDX, _rep("`<!--` "), 4000, id="mdx-html-comment-openers-in-code"),
    # MkDocs' and kramdown's Markdown inside HTML, and MkDocs' block fences (site readers' rewrites)
    pytest.param(_blocks_html, _rep("<div a=b c='d' e "), 4000, id="markdown-tag-attributes-never-closed"),
    pytest.param(_blocks_html, _rep("<div markdown>\n"), 4000, id="markdown-tags"),
    pytest.param(_markdown_in_html, _rep('<div markdown lang="fr">\n![](a.png)\n'), 4000, id="markdown-tags-read-with-images"),
    pytest.param(_blocks_fences, _rep("!!! note a b c d "), 4000, id="admonition-fence-words-one-line"),
    pytest.param(_blocks_fences, _rep("!!! note\n    "), 4000, id="admonition-fences"),
    # Astro: comments, raw-text elements and script fences that never close, or many of them
    pytest.param(_ASTRO, _rep("<!--"), 4000, id="astro-unclosed-comments"),
    pytest.param(_ASTRO, _rep("<script>"), 4000, id="astro-unclosed-scripts"),
    pytest.param(_ASTRO, _rep("<!-- a --><style>x</style><img src=a.png>"), 4000, id="astro-comments-styles-images"),
    pytest.param(_ASTRO, _rep("---\n"), 4000, id="astro-fence-lines"),
    # ancestors' hidden/lang (jsx.apply_scopes): deep nesting over many images, closing tags
    # that match nothing, and one that closes every element opened before it
    pytest.param(_ASTRO, _rep('<div lang="fr" hidden><img src=a.png>'), 2000, id="astro-nested-scopes-images"),
    pytest.param(_MDX, _rep('<div lang="fr"><img src="a.png" />'), 2000, id="mdx-nested-scopes-images"),
    pytest.param(_MDX, _rep("<div></section>"), 2000, id="jsx-closing-tags-matching-nothing"),
    pytest.param(_ASTRO, _rep("<span>", head="<div lang=fr>", tail="</div>"), 2000, id="astro-one-close-pops-many"),
    pytest.param(_MDX, _rep('{x && <p lang="de"><img src="a.png" /></p>} '), 2000, id="mdx-scopes-in-expressions"),
    # a Hugo shortcode template read for its <img> (site.layouts.shortcode_image): actions and tags
    # that never close, many with-blocks, many images
    pytest.param(_shortcode_template, _rep("{{", head="<img "), 4000, id="shortcode-template-unclosed-actions"),
    pytest.param(_shortcode_template, _rep('{{ .Get "a" ', head='<img src="'), 4000, id="shortcode-template-unclosed-get"),
    pytest.param(_shortcode_template, _rep('{{ with .Get "a" }}', tail='<img src="{{ .Get "s" }}" alt="{{ . }}">'), 4000,
                 id="shortcode-template-many-withs"),
    pytest.param(_shortcode_template, _rep('<img alt="{{ . }}" src="{{ .Get "s" }}">'), 4000, id="shortcode-template-many-images"),
    pytest.param(_shortcode_template, _rep('<img src="'), 4000, id="shortcode-template-unclosed-tags"),
    # a Hugo layout read for where it shows front-matter fields (site.layouts.hugo_usage): an <img>
    # or <meta> tag that never closes over many template actions (was: exponential, minutes at 466 bytes)
    pytest.param(_layout_usage, _rep("{% raw %}", head='<img src="{{ .Params.cover }}'), 4000, id="layout-img-tag-over-actions"),
    pytest.param(_layout_usage, _rep("{{ x }}{", head='<meta content="{{ .Params.image }}'), 4000, id="layout-meta-tag-over-actions"),
    pytest.param(_layout_usage, _rep("{{", head="<img "), 4000, id="layout-img-tag-unclosed-actions"),
    # a src of template actions (site.templates.resolve): many "{{" and no "}}" after them (was
    # quadratic: a layout's <img> with 40,000 took minutes to scan)
    pytest.param(_template_src, _rep("{{ "), 16000, id="template-src-unclosed-actions"),
    pytest.param(_template_src, _rep("{{ ", head="{{ x }}"), 16000, id="template-src-unclosed-after-one"),
    pytest.param(_template_src, _rep('{{ "a" }}'), 16000, id="template-src-many-actions"),
    # variables standing for fields, bound again and again, then used again and again (was cubic:
    # 1,000 assigns and 1,000 uses, 35 KB, took a minute), and many references among many images
    pytest.param(_liquid_layout_usage, lambda n: "{% assign x = page.image %}" * (n // 54) + "{{ x }} " * (n // 16), 4000,
                 id="liquid-layout-assigns-and-uses"),
    pytest.param(_liquid_layout_usage, lambda n: "".join(f"{{% assign x = page.f{i} %}}" for i in range(n // 60)) + '<img src="{{ x }}">' * (n // 40),
                 4000, id="liquid-layout-one-variable-many-fields"),
    pytest.param(_layout_usage, lambda n: "{{ $i := .Params.image }}" * (n // 50) + '<img src="{{ $i }}">' * (n // 38), 4000,
                 id="hugo-layout-assigns-and-images"),
    # fix's summary: a skip reason naming a long src with no "/" (was quadratic: 2 s at 16,000 characters)
    pytest.param(_reason_group, lambda n: "image file not found for " + "a" * n + " (looked in a)", 16000, id="fix-summary-long-src"),
    pytest.param(_reason_group, _rep("x.pn "), 16000, id="fix-summary-many-names"),
    # an Astro layout read for its <html lang> (site.astro): tags never closed, many comments, props
    pytest.param(_astro_layout, _rep("<html "), 4000, id="astro-layout-unclosed-html-tags"),
    pytest.param(_astro_layout, _rep("<!--"), 4000, id="astro-layout-unclosed-comments"),
    pytest.param(_astro_layout, _rep("{ lang ", head="---\n", tail="\n---\n"), 4000, id="astro-layout-props"),
    # an Eleventy layout read for its <html lang> (site.eleventy): tags never closed, one long value
    pytest.param(_eleventy_layout, _rep("<html "), 4000, id="eleventy-layout-unclosed-html-tags"),
    pytest.param(_eleventy_layout, lambda n: '<html lang="{{ a' + ".a" * (n // 2) + ' | default(\'x\') }">', 4000,
                 id="eleventy-layout-long-expression"),
    pytest.param(_eleventy_layout, _rep("layout: x\n", head="---\n"), 4000, id="eleventy-front-matter-unclosed"),
    # an Astro content config (site.astro._loader_bases) and routes' getCollection calls: many
    # definitions, one never closed, unclosed export lists and calls
    pytest.param(_content_config, _rep("const b = defineCollection({ loader: glob({ base: './x' }) });\n"), 4000,
                 id="astro-content-config-many"),
    pytest.param(_content_config, _rep("const b = defineCollection(glob( base: ", tail="'x'"), 4000, id="astro-content-config-unclosed"),
    pytest.param(_content_config, _rep("a, ", head="export const collections = {"), 4000, id="astro-collections-unclosed"),
    pytest.param(_content_config, _rep("getCollection('"), 4000, id="astro-get-collection-unclosed"),
    # tags starting lines of admonitions (parse.blocks.paragraph_tags): many blocks, many nested,
    # tags never closed on their line, code fences never closed
    pytest.param(_paragraph_tags, _rep("!!! note\n    <div>\n"), 4000, id="admonition-tags-many"),
    pytest.param(_paragraph_tags, lambda n: "".join("    " * (k % 40) + "!!! note\n" for k in range(n // 12)), 4000,
                 id="admonition-nested-deep"),
    pytest.param(_paragraph_tags, _rep("<div class=\"x ", head="!!! note\n    "), 4000, id="admonition-tag-unclosed"),
    pytest.param(_paragraph_tags, _rep("    ```\n    <div>\n", head="!!! note\n"), 4000, id="admonition-fences"),
    # HTML blocks read as Python-Markdown and kramdown do (parse.blocks.balanced_html_blocks)
    pytest.param(_balanced, _rep("<div>\n"), 4000, id="balanced-unclosed-blocks"),
    pytest.param(_balanced, _rep("<div>\n<div>\n</div>\n"), 4000, id="balanced-nested-never-closed"),
    pytest.param(_balanced, _rep("</div>\n![](a.png)\n"), 4000, id="balanced-stray-end-tags"),
    pytest.param(_balanced, _rep('<img src="a.png">\ntext\n'), 4000, id="balanced-lone-inline-tags"),
    pytest.param(_balanced, _rep("```\n<div>\n"), 4000, id="balanced-fences"),
    pytest.param(_balanced, _rep("<div x\n"), 4000, id="balanced-tags-never-ended"),
    pytest.param(_balanced, _rep("<div>\n</div> ![](a.png)\n"), 4000, id="balanced-text-after-end-tags"),
    pytest.param(_balanced, lambda n: "<div>\n" + "line\n" * (n // 5) + "</div> tail ![](a.png)\n", 4000,
                 id="balanced-long-block-then-text"),
    # Minimal Mistakes' gallery calls in a page (site.jekyll): never closed, or one tag holding many
    pytest.param(_gallery_calls, _rep('{% include gallery id="x" '), 4000, id="gallery-calls-unclosed"),
    pytest.param(_gallery_calls, _rep('{% include gallery id="x" ', tail="%}"), 4000, id="gallery-calls-one-tag"),
    pytest.param(_gallery_calls, _rep('{% include gallery id="x" %}'), 4000, id="gallery-calls-many"),
    # Jekyll include tags (parse.liquid) and include templates (site.layouts.include_image)
    pytest.param(_includes, _rep('{% include figure image_path="a.png" '), 4000, id="include-tags-unclosed"),
    pytest.param(_includes, _rep('{% include figure image_path="a.png" %}'), 4000, id="include-tags-many"),
    pytest.param(_includes, _rep("{% raw %}"), 4000, id="include-raw-blocks-unclosed"),
    pytest.param(_includes, _rep('{% include figure alt="'), 4000, id="include-unclosed-strings"),
    pytest.param(_relative_includes, _rep('{% include_relative a.html src="a.png" '), 4000, id="include-relative-unclosed"),
    # template comments a generator removes (parse.liquid.comment_spans): many, never closed, nested
    pytest.param(_comments, _rep("{% comment %}x{% endcomment %}{# y #}{::comment}z{:/}"), 4000, id="comments-many"),
    pytest.param(_comments, _rep("{::comment}"), 4000, id="comments-kramdown-unclosed"),
    pytest.param(_comments, _rep("{% comment %}"), 4000, id="comments-liquid-nested-unclosed"),
    pytest.param(_comments, _rep("{% comment %}{% raw %}{% endraw %}"), 4000, id="comments-liquid-nested-raw"),
    pytest.param(_comments, _rep("{% comment %}{% endcomment %}{% endcomment %}"), 4000, id="comments-liquid-stray-ends"),
    pytest.param(_comments, _rep("{% raw %}{#"), 4000, id="comments-raw-unclosed"),
    pytest.param(_comments, _rep("{% comment %}{::comment}{# "), 4000, id="comments-nested-unclosed"),
    pytest.param(_relative_includes, _rep('{% include_relative a.html src="a.png" %}'), 4000, id="include-relative-many"),
    pytest.param(_relative_calls, _rep("{% include_relative a.html "), 4000, id="include-relative-calls"),
    pytest.param(_include_template, _rep("{%"), 4000, id="include-template-unclosed-tags"),
    pytest.param(_include_template, _rep('<img src="{{ include.s }}" alt="{{ x }}">{% assign x = include.a %}'), 4000,
                 id="include-template-many-images"),
    # aria-labelledby read in the file (jsx._labelled): many targets, one long target named many times
    pytest.param(_MDX, _rep('<p id="a">x</p><img src="a.png" aria-labelledby="a a" />'), 2000, id="jsx-labelledby-many"),
    pytest.param(_ASTRO, lambda n: '<p id="a">' + "word " * (n // 10) + '</p><img src="a.png" aria-labelledby="' + "a " * (n // 4) + '" />',
                 4000, id="astro-labelledby-one-long-target"),
    # imports of image components (parse.image_components): unclosed name lists, many statements
    pytest.param(_MDX, _rep("import { Image as I, from 'astro:assets'\n"), 2000, id="mdx-image-imports-unclosed"),
    pytest.param(_ASTRO, _rep("import X from '@theme/ThemedImage';\n", head="---\n", tail="---\n<X />"), 2000,
                 id="astro-many-image-imports"),
    # regular expression literals that never close, each '/' inside the one before (one line)
    pytest.param(_MDX, _rep("=/[", head="{", tail="}\n"), 4000, id="mdx-regex-unclosed-classes"),
    pytest.param(_MDX, _rep("(/[/", head="export const a = ", tail="\n"), 4000, id="mdx-esm-regex-classes"),
    pytest.param(_MDX, _rep("=/\\/", head="{", tail="}\n"), 4000, id="mdx-regex-escaped-slashes"),
    pytest.param(_MDX, _rep("{'`"), 2000, id="mdx-expressions-quote-and-backtick"),
    pytest.param(_MDX, _rep("{x && <img src={"), 2000, id="mdx-expressions-unclosed-elements"),
    pytest.param(_MDX, _rep("{<a>{"), 2000, id="mdx-expressions-nested-unclosed"),
    pytest.param(_MDX, _rep('{c && <img src="a.png" />} {"<img src=b>"} '), 4000, id="mdx-expressions-images"),
    pytest.param(_MDX, _rep('<Card icon={<img src="a.png" />} />\n'), 4000, id="jsx-attribute-expression-images"),
    pytest.param(_MDX, _rep("<Card icon={<img "), 2000, id="jsx-attribute-expression-unclosed"),
    pytest.param(_MDX, _rep("export const a = (\n\n"), 2000, id="esm-unclosed-parens"),
    pytest.param(_MDX, _rep("export a = `\\`\n\n"), 2000, id="esm-escaped-backticks"),
    pytest.param(_MDX, _rep("export a = {\n\n"), 2000, id="esm-unclosed-braces"),
    pytest.param(_MDX, _rep("export a = 1\n\n"), 4000, id="esm-many-blocks"),
    # import/export lines after JSX-only lines inside paragraphs (jsx.flow_esm_start)
    pytest.param(_MDX, _rep("t\n<A />\nexport a = (\n\n"), 4000, id="esm-after-jsx-lines-unclosed"),
    pytest.param(_MDX, _rep("t\n<a b={\nexport x\n"), 4000, id="esm-after-unclosed-attribute-lines"),
    pytest.param(_MDX, _rep("t\n{a // \nexport x\n"), 4000, id="esm-after-unclosed-expression-lines"),
    pytest.param(_MDX, _rep("t\n<A><B>\nimport x\n"), 4000, id="esm-after-unclosed-element-lines"),
    pytest.param(_MDX, lambda n: "export const a = [\n" + "'<img src=a>',\n" * (n // 15), 2000, id="esm-unclosed-long"),
    pytest.param(_MDX, _rep('export const A = () => <img src="a.png" /> // <img src=b>\n\n'), 4000, id="esm-images"),
    pytest.param(_jsx, _rep("export (\n\n"), 2000, id="jsx-esm-lines-unclosed"),
    pytest.param(_jsx, _rep("export a = `\\`\n\n"), 2000, id="jsx-esm-escaped-backticks"),
    pytest.param(_jsx, _rep("x\n\nexport a = 1\n"), 4000, id="jsx-esm-after-blank-lines"),
    # front matter
    pytest.param(
        _front_matter,
        lambda n: "---\nimages: [" + ", ".join(f"{{src: a{i}.png}}" for i in range(n // 16)) + "]\n---\n",
        4000,
        id="fm-yaml-flow-on-one-line",
    ),
]


@pytest.mark.parametrize("parse, make, n", ATTACKS)
def test_linear_time(parse, make, n):
    assert_linear(parse, make, n)


# ---------------------------------------------------------------- linear time: seeded fuzz

# Pieces of every syntax the parsers know, the unclosed and the odd ones first.
_BODY_PIECES = [
    "<", ">", "<!--", "-->", "<!", "<?", "</", "<![CDATA[", "<script>", "</script>", "<style>", "<textarea>",
    "<svg>", "<title>", "<a href=x>", "</a>", "<button>", "<figure>", "<figcaption>", "<label>", "<label for=x>",
    "<span id=x>", "<p>", "<div>", "<li>", "<ul>", "<img src=a.png>", '<img src="a.png" alt="">',
    "<img src=a aria-labelledby=x>", "<input type=image src=a id=x>", ' title="', '"', "'", "=", " ",
    "{{", "}}", "{%", "%}", "{#", "<%", "{{<", "{{< figure ", ">}}", "{{</*", "*/", "{/*", "{", "}",
    "<Image alt={", "<Image ", "/>", "`", "``", "```\n", "~~~\n", "*", "_", "[", "]", "](", ")", "![", "![](a.png)",
    "\\", "&amp;", "&", "#", "\n", "\n\n", "  ", "\t", "- ", "> ", "1. ", "word ", "http://x ", "é",
    "<ruby>", "<rt>", "<table>", "<tr>", "<td hidden>", "<option>", "<div hidden/>",
]
_YAML_PIECES = [
    "k: ", "image: a.png", "image_alt: ", "images:", "- ", "  ", "\n", "{", "}", "[", "]", ", ", ": ", "&a ", "*a",
    "? ", '"', "'", "|", ">", "#", "~", "src: x", "<<: ", "!!str ", "...",
]
_TOML_PIECES = [
    "k = ", "[t]", "[[images]]", "src = 'a.png'", '"x"', "'x'", '"""', "{", "}", "[", "]", ", ", ".", "\n", "1",
]


def _fuzz_case(seed: int):
    rng = random.Random(seed)
    kind = rng.choice(["html", "md", "mdx", "text", "yaml", "toml"])
    pieces = {"yaml": _YAML_PIECES, "toml": _TOML_PIECES}.get(kind, _BODY_PIECES)
    unit = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 7)))
    if kind == "yaml":
        return _front_matter, (lambda n: "---\n" + unit * max(1, n // len(unit)) + "\n---\nbody\n")
    if kind == "toml":
        return _front_matter, (lambda n: "+++\n" + unit * max(1, n // len(unit)) + "\n+++\nbody\n")
    head = rng.choice(["", "---\ntitle: x\nimage: a.png\n---\n"])
    fn = {"html": _HTML, "md": _MD, "mdx": _MDX, "text": _visible}[kind]
    return fn, (lambda n: head + unit * max(1, n // len(unit)))


@pytest.mark.parametrize("seed", range(16))
def test_fuzz_linear_time(seed):
    fn, make = _fuzz_case(seed)
    assert_linear(fn, make, 3000)
