"""MkDocs (Python-Markdown) and Jekyll (kramdown) read an HTML block up to its matching end tag,
and Markdown again from the next line; altbot's ``balanced_html`` reading (parse.blocks) must find
the images they render, no more and no fewer. Checked here against the generators themselves, on
the table of tests/test_parse_markdown.py and on random pages of HTML and Markdown lines.

Python-Markdown is a test dependency; kramdown comes from Debian (.ci/run installs it). Where
kramdown differs on purpose (a raw block holding mis-nested tags of other names, which kramdown's
own HTML parser follows) the random pages leave such nesting out."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess

import pytest

from altbot.model import LineIndex
from altbot.parse.markdown import parse_markdown
from tests.rendered_text import missing
from tests.test_parse_markdown import BALANCED

_SRC = re.compile(r'<img[^>]*\bsrc="([^"]+)"')
# lines of pages: block tags opened and closed (any case, indented), stray end tags, blank lines,
# Markdown and raw images, text, a void block element, an inline tag alone on its line
_LINES = ["<div>", "</div>", '<div class="c">', "<section>", "</section>", "", "", "![](m{i}.png)",
          "text ![](t{i}.png) more", '<img src="r{i}.png">', "para", "<hr>", "  <div>", "<DIV>", "</DIV>",
          "<figure>", "</figure>", "<span>", "</span>"]


def _pages(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["\n".join(rng.choice(_LINES).format(i=k) for k in range(rng.randint(1, 9))) + "\n" for _ in range(count)]


def _ours(text: str, mode: str = "raw") -> list[str]:
    r = parse_markdown(text, "p.md", LineIndex(text), balanced_html=mode)
    assert r.errors == []
    return sorted(im.src for im in r.images)


def _python_markdown():
    try:
        import markdown
    except ImportError:
        missing("Python-Markdown is not installed (pip install markdown)")
    return lambda text: markdown.markdown(text, extensions=["fenced_code", "tables"])  # MkDocs' own extensions


def _kramdown(texts: list[str], parse_block_html: bool = False) -> list[str]:
    if shutil.which("ruby") is None:
        missing("no ruby (apt-get install ruby-kramdown ruby-kramdown-parser-gfm)")
    options = "input: 'GFM'" + (", parse_block_html: true" if parse_block_html else "")  # Jekyll's input is GFM
    script = (
        "require 'json'; require 'kramdown'; require 'kramdown-parser-gfm'; "
        f"puts JSON.dump(JSON.parse(STDIN.read).map {{ |t| Kramdown::Document.new(t, {options}).to_html }})"
    )
    out = subprocess.run(["ruby", "-e", script], input=json.dumps(texts), capture_output=True, text=True)
    if out.returncode != 0:
        missing(f"kramdown did not run ({out.stderr.strip()[-200:]}); apt-get install ruby-kramdown ruby-kramdown-parser-gfm")
    return json.loads(out.stdout)


_TABLE = [p.values[0] for p in BALANCED]


def test_the_table_is_what_python_markdown_renders():
    render = _python_markdown()
    for text in _TABLE:
        assert sorted(_SRC.findall(render(text))) == _ours(text), text


def test_the_table_is_what_kramdown_renders():
    for text, html in zip(_TABLE, _kramdown(_TABLE)):
        assert sorted(_SRC.findall(html)) == _ours(text), text


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_pages_as_python_markdown_renders_them(seed):
    render = _python_markdown()
    for text in _pages(seed, 400):
        assert sorted(_SRC.findall(render(text))) == _ours(text), text


def test_random_pages_as_kramdown_renders_them():
    # nested blocks of one name only: kramdown follows mis-nested tags of other names in a raw
    # block (a <span> left open inside a <div>), which neither Python-Markdown nor altbot does
    lines = [line for line in _LINES if not any(n in line for n in ("section", "figure", "span"))]
    rng = random.Random(7)
    pages = ["\n".join(rng.choice(lines).format(i=k) for k in range(rng.randint(1, 9))) + "\n" for _ in range(800)]
    for text, html in zip(pages, _kramdown(pages)):
        assert sorted(_SRC.findall(html)) == _ours(text), text


def test_random_pages_as_kramdown_with_parse_block_html_renders_them():
    # Jekyll's kramdown: parse_block_html: true reads every HTML block's content as Markdown
    lines = [line for line in _LINES if not any(n in line for n in ("section", "figure", "span"))] + ["<p>x</p>"]
    rng = random.Random(11)
    pages = ["\n".join(rng.choice(lines).format(i=k) for k in range(rng.randint(1, 9))) + "\n" for _ in range(800)]
    for text, html in zip(pages, _kramdown(pages, parse_block_html=True)):
        assert sorted(_SRC.findall(html)) == _ours(text, "markdown"), text


# -- text after a raw block's end tag, on its line: Markdown to both generators -----------------------

_TAIL_TABLE = [
    # was: the rest of the block's line, and the lines after it up to a blank one, were raw HTML
    '<div>\n![](a.png)\n</div> ![](b.png)\n',
    '<div>\n![](a.png)\n</div>text ![](b.png)\nmore ![](c.png)\n',
    '<div>x</div> ![](b.png)\n\n![](c.png)\n',
    '<div>\n</div><img src="r.png"> ![](m.png)\n',
    '<div>\n  <p>x</p>\n</div>  ![](b.png)\n    indented ![](i.png)\n',
    '<section>\n<div>\n</div> tail ![](t.png)\n</section> ![](s.png)\n',
    # no change: nothing (or blanks) after the end tag; a block never closed
    '<div>\n![](a.png)\n</div>\n![](b.png)\n',
    '<div>\n![](a.png)\n</div>   \n![](b.png)\n',
    '<div>\n![](a.png)\n<div>x</div> ![](b.png)\n',
]
_TAIL_LINES = [*_LINES, "</div> ![](e{i}.png)", "<div>x</div> tail ![](o{i}.png)", "</section>text ![](s{i}.png)"]


@pytest.mark.parametrize("text", _TAIL_TABLE)
def test_text_after_an_end_tag_as_python_markdown_renders_it(text):
    render = _python_markdown()
    assert sorted(_SRC.findall(render(text))) == _ours(text), text


def test_text_after_an_end_tag_as_kramdown_renders_it():
    for text, html in zip(_TAIL_TABLE, _kramdown(_TAIL_TABLE)):
        assert sorted(_SRC.findall(html)) == _ours(text), text


def test_random_pages_with_text_after_end_tags():
    render = _python_markdown()
    rng = random.Random(31)
    pages = ["\n".join(rng.choice(_TAIL_LINES).format(i=k) for k in range(rng.randint(1, 9))) + "\n" for _ in range(600)]
    for text in pages:
        assert sorted(_SRC.findall(render(text))) == _ours(text), text
    # kramdown follows mis-nested tags of other names (see above): pages of one block name only
    lines = [line for line in _TAIL_LINES if not any(n in line for n in ("section", "figure", "span"))]
    pages = ["\n".join(rng.choice(lines).format(i=k) for k in range(rng.randint(1, 9))) + "\n" for _ in range(600)]
    for text, html in zip(pages, _kramdown(pages)):
        assert sorted(_SRC.findall(html)) == _ours(text), text


# -- inside an admonition (Python-Markdown's admonition; MkDocs): no line starts an HTML block --------
#
# Its content is read by the block parser, not the preprocessor that finds HTML blocks: a tag that
# starts a line is inline HTML in a paragraph, and the Markdown images around it are images
# (parse.blocks.paragraph_tags). Lines here: tags opened and closed, a markdown attribute, images
# in both syntaxes, text, blank lines, and lines indented a further four (code after a blank line).
_BLOCK_LINES = ["<div>", "</div>", '<div class="c">', "<figure markdown>", "</figure>", "<figcaption>Cap</figcaption>",
                "<p>![](p{i}.png)</p>", "![](m{i}.png)", "text ![](t{i}.png)", '<img src="r{i}.png">', "<span>x</span>",
                "", "", "para", "    ![](c{i}.png)", '    <img src="k{i}.png">']


def _ours_mkdocs(text: str, engine: str | None = None) -> list[str]:
    from altbot.parse.blocks import as_list_items, paragraph_tags

    read = as_list_items(text, ("!!!",))
    r = parse_markdown(read, "p.md", LineIndex(read), balanced_html="raw", markdown_html=True,
                       paragraph_tags=paragraph_tags(text, ("!!!",)), engine=engine)
    assert r.errors == []
    return sorted(im.src for im in r.images)


def _admonition_pages(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    pages = []
    for _ in range(count):
        body = [rng.choice(_BLOCK_LINES).format(i=k) for k in range(rng.randint(1, 8))]
        while body and not body[0]:
            body.pop(0)  # the block's first line is its content (a blank one ends nothing, but keep it plain)
        pages.append("Intro\n\n!!! note\n" + "".join(f"    {line}\n" if line else "\n" for line in body) + "\nAfter ![](after.png)\n")
    return pages


@pytest.mark.parametrize(
    "text",
    [
        # MkDocs Material's figure in an admonition: the image is Markdown (was: raw, missed)
        "!!! note\n    <figure markdown>\n      ![Light](light.png)\n      <figcaption>Light</figcaption>\n    </figure>\n",
        "!!! tip\n    <div class=\"raw\">\n    ![](b.png)\n    </div>\n\n    ![](c.png)\n",
        "!!! note\n    <p>![inline](p.png)</p>\n",
        # no change: raw HTML in it is still HTML; the same block at the top level stays raw
        '!!! note\n    <img src="raw.png">\n',
        '<div class="raw">\n![](d.png)\n</div>\n',
        # no change: an admonition's own indented code
        "!!! note\n    Code:\n\n        <div>\n        ![](code.png)\n",
    ],
)
def test_admonition_content_as_python_markdown_renders_it(text):
    import markdown

    html = markdown.markdown(text, extensions=["admonition", "md_in_html", "fenced_code", "tables"])
    assert sorted(_SRC.findall(html)) == _ours_mkdocs(text) == _ours_mkdocs(text, "markdown-it"), (text, html)


@pytest.mark.parametrize("seed", [21, 22])
def test_random_admonitions_as_python_markdown_renders_them(seed):
    import markdown

    for text in _admonition_pages(seed, 300):
        html = markdown.markdown(text, extensions=["admonition", "md_in_html", "fenced_code", "tables"])
        assert sorted(_SRC.findall(html)) == _ours_mkdocs(text), (text, html)
