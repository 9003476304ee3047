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
