"""Indented Markdown blocks of Python-Markdown extensions, as MkDocs renders them (parse stage).

MkDocs reads Markdown with Python-Markdown, whose ``admonition``, ``pymdownx.details`` and
``pymdownx.tabbed`` extensions write a block as a fence line and its content indented by four
spaces::

    !!! note "Before you start"

        ![](install.png)

CommonMark reads those indented lines as a code block, so the images in them would be no
images. ``as_list_items`` writes each fence line as the first line of an ordered list item
(``1. ***`` and spaces, the same length), whose content CommonMark reads from an indent of
three: the block's lines are then Markdown inside it, with every offset unchanged, so each
image's spans (and the fix's edits) are those of the page as written. A block's own indented
code (eight spaces) stays code; a fence inside a code block stays code.

Only the fences the site's ``mkdocs.yml`` enables are read so (``Site.block_fences``).

Inside such a block Python-Markdown finds no HTML block (its HTML preprocessor reads the page's
top level only): a tag that starts a line there is inline HTML in a paragraph, and the images
around it are Markdown. ``paragraph_tags`` finds those tags; the Markdown parser is shown each
as ``FILLER`` characters (text, so its line stays in the paragraph), the HTML scanner as written.

``open_markdown_html`` does the same for an HTML block whose opening tag carries a ``markdown``
attribute (MkDocs' ``md_in_html``: ``<figure markdown>``; kramdown, Jekyll's Markdown:
``<div markdown="1">``): those generators read its content as Markdown, where CommonMark reads
the lines up to a blank one as raw HTML. The Markdown parser reads the text with the opening
tag blanked (spaces, the same length), so the content is Markdown at its own offsets; the HTML
scanner reads the tag itself, where it stands, so its ``aria-hidden``, ``hidden`` and ``lang``
reach the images inside, up to the block's end tag (which stays HTML).
"""

from __future__ import annotations

import bisect
import re

from altbot.parse.base import FILLER

# each fence line as the extension's own pattern reads it: the fence, a type and/or a quoted title
_FENCE_LINE = {
    "!!!": r"!!! ?[\w-]+(?: +[\w-]+)*(?: +\"[^\"\n]*\")? *",
    "???": r"\?\?\?\+? ?(?:[\w-]+(?: +[\w-]+)*(?: +\"[^\"\n]*\")?|\"[^\"\n]*\") *",
    "===": r"===(?:\+!|!\+|\+|!)? +\"[^\"\n]*\" *",
}


def _pattern(fences: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"^[ \t]*(" + "|".join(_FENCE_LINE[f] for f in fences) + r")(?=\r?$)", re.M)


def as_list_items(text: str, fences: tuple[str, ...]) -> str:
    """``text`` with each fence line of ``fences`` (at any indent) written as ``1. ***`` (or, for a
    fence line of four or five characters, ``1. .``) padded with spaces to its length: the same
    text, character for character, elsewhere."""
    fences = tuple(f for f in fences if f in _FENCE_LINE)
    if not fences or not any(f in text for f in fences):
        return text

    def item(m: re.Match) -> str:
        line = m.group(0)
        lead = len(line) - len(m.group(1))
        # a rule, not a paragraph, where it fits: a line right after it is then no paragraph's
        # continuation, so one indented four more is code, as Python-Markdown reads the block
        first = "1. ***" if len(m.group(1)) >= 6 else "1. ."
        return line[:lead] + first + " " * (len(m.group(1)) - len(first))

    return _pattern(fences).sub(item, text)


# an opening tag at a line's start (up to three spaces in) with a markdown attribute: bare, or
# 1 / block / span (markdown="0" turns Markdown off); the tag's other attributes kept as read
_MARKDOWN_TAG = re.compile(
    r"^[ ]{0,3}(<[A-Za-z][A-Za-z0-9-]*"
    r"(?:[ \t]+[A-Za-z_:][-\w:.]*(?:=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s\"'=<>`]+))?)*?"  # the attributes before it
    r"[ \t]+markdown(?:=(?:\"(?:1|block|span)\"|'(?:1|block|span)'|1|block|span))?"
    r"(?=[\s/>])[^>\n]*>)",
    re.M,
)


def markdown_tags(text: str) -> list[tuple[int, int]]:
    """The spans of the opening tags that carry a ``markdown`` attribute, in order."""
    if "markdown" not in text:
        return []
    return [m.span(1) for m in _MARKDOWN_TAG.finditer(text)]


def open_markdown_html(text: str, tags: list[tuple[int, int]] | None = None, letters: frozenset = frozenset()) -> str:
    """``text`` with each opening tag that carries a ``markdown`` attribute (or each of ``tags``)
    blanked to spaces; those of ``letters`` are written as ``FILLER`` instead: text that starts no
    block and keeps its line in the paragraph (see ``paragraph_tags``), and that the Markdown
    parsers' context drops."""
    if tags is None:
        tags = markdown_tags(text)
    if not tags:
        return text
    out, pos = [], 0
    for s, e in tags:
        out.append(text[pos:s])
        fill = FILLER if (s, e) in letters else " "
        span = text[s:e]
        if "\n" in span or "\r" in span:  # a block's lines: each blanked, its line breaks kept
            out.append(_NOT_BREAK.sub(fill, span))
        else:
            out.append(fill * (e - s))
        pos = e
    out.append(text[pos:])
    return "".join(out)


_NOT_BREAK = re.compile(r"[^\r\n]")
# a tag that starts a line of a block's content (after its indent): a start or end tag, to its
# first '>' on that line; a code fence
_LINE_TAG = re.compile(r"</?[A-Za-z][^>\r\n]*>")
_CODE_FENCE = re.compile(r"(`{3,}|~{3,})")
_LINES = re.compile(r"([^\r\n]*)(?:\r\n|\r|\n|\Z)")


def _width(indent: str) -> int:
    w = 0
    for c in indent:
        w = (w // 4 + 1) * 4 if c == "\t" else w + 1
    return w


def paragraph_tags(text: str, fences: tuple[str, ...]) -> list[tuple[int, int]]:
    """The HTML tags that start a line of an admonition's, details' or tab's content, which
    Python-Markdown reads as inline HTML in a paragraph: inside those blocks no line starts an
    HTML block, so ``<figure markdown>`` and the ``![](a.png)`` on the next line are a paragraph
    holding HTML and an image, where CommonMark (in the list item ``as_list_items`` makes of the
    block) reads an HTML block whose lines are raw. Only lines the list item could read as an
    HTML block's start (up to three spaces past its content's indent of three) and not in a
    fenced code block; the first tag of each. Linear: one pass over the lines."""
    fences = tuple(f for f in fences if f in _FENCE_LINE)
    if not fences or not any(f in text for f in fences):
        return []
    fence_line = _pattern(fences)
    out: list[tuple[int, int]] = []
    stack: list[int] = []  # the indents of the fence lines whose content this line may be in
    code: tuple[int, str] | None = None  # an open code fence in a block: (its indent, its fence)
    for lm in _LINES.finditer(text):  # lines as CommonMark ends them (not str.splitlines: no U+2028)
        start, content = lm.start(), lm.group(1)
        if not content and lm.start() == len(text):
            break
        body = content.lstrip(" \t")
        if not body:
            continue  # a blank line ends no block
        indent = _width(content[: len(content) - len(body)])
        while stack and indent <= stack[-1]:
            stack.pop()  # a line at or left of a fence's indent is past its content
        if not stack:
            code = None
        if fence_line.match(content):
            stack.append(indent)
            code = None
            continue
        if not stack:
            continue
        rel = indent - (stack[-1] + 3)  # from the list item's content
        if code is not None:
            if 0 <= rel <= 3 and body.startswith(code[1]) and not body.strip(code[1][0]).strip():
                code = None  # its closing fence
            continue
        if not 0 <= rel <= 3:
            continue  # lazy or code: no block starts here
        f = _CODE_FENCE.match(body)
        if f is not None:
            code = (indent, f.group(1))
            continue
        m = _LINE_TAG.match(body)
        if m is not None:
            s = start + len(content) - len(body)
            out.append((s, s + m.end()))
    return out


# -- Python-Markdown and kramdown: a block-level HTML element is raw up to its matching end tag ---
#
# Both read an HTML block from a line that starts with a block-level element's start tag to the
# end tag that matches it (the same name, nested ones counted), blank lines and all, and start
# Markdown again on the next line. CommonMark ends the block at the first blank line instead: a
# Markdown image after one is an image to it and text to them, and the line right after the end
# tag is raw HTML to it and Markdown to them. ``balanced_html_blocks`` finds those blocks: the
# images that start inside one are no images, and where the end tag ends its line and another
# line follows at once, the line up to it is read blanked by the Markdown parser (a blank line
# ends CommonMark's block there) and as written by the HTML scanner.

_BLOCK_NAMES = (
    "address article aside blockquote body canvas caption center colgroup dd details dialog dir div dl dt "
    "fieldset figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 header hgroup html iframe legend li "
    "main menu nav noscript ol optgroup option p pre section summary table tbody td tfoot th thead tr ul video"
)
_BLOCK_VOID = "hr"
_BLOCK_START = re.compile(
    r"^[ ]{0,3}<(/?)(" + "|".join(_BLOCK_NAMES.split() + [_BLOCK_VOID]) + r")(?=[\s/>]|$)", re.I | re.M
)
_FENCE_OPEN = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})", re.M)
# a line that is one complete tag of another element (<img src="a.png">, </span>): CommonMark starts
# an HTML block there (its type 7) that runs to a blank line; to them it is inline, in a paragraph
_ATTRIBUTE = r"""[ \t]+[A-Za-z_:][\w.:-]*(?:[ \t]*=[ \t]*(?:[^\s"'=<>`]+|'[^'\n]*'|"[^"\n]*"))?"""
_LONE_TAG = re.compile(
    r"^[ ]{0,3}(?:<([A-Za-z][A-Za-z0-9-]*)(?:" + _ATTRIBUTE + r")*[ \t]*/?>|</([A-Za-z][A-Za-z0-9-]*)[ \t]*>)[ \t]*$", re.M
)
_NOT_INLINE = frozenset(_BLOCK_NAMES.split() + [_BLOCK_VOID, "script", "style", "textarea"])


def _fences(text: str, start: int) -> list[tuple[int, int]]:
    """Fenced code blocks from ``start`` (a start tag in one is code), each found once."""
    out: list[tuple[int, int]] = []
    pos = start
    while (m := _FENCE_OPEN.search(text, pos)) is not None:
        fence = m.group(1)
        nl = text.find("\n", m.end())
        if fence[0] == "`" and "`" in text[m.end() : nl if nl >= 0 else len(text)]:
            pos = m.end()  # a backtick in the info string: no fence (CommonMark)
            continue
        close = re.compile(r"^[ ]{0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$", re.M)
        end_m = close.search(text, nl + 1) if nl >= 0 else None
        end = end_m.end() if end_m else len(text)
        out.append((m.start(), end))
        if end_m is None:
            break
        pos = end
    return out


def balanced_html_blocks(
    text: str, start: int = 0, skip_markdown: bool = False, markdown_inside: bool = False
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[tuple[int, int]]]:
    """(the raw blocks, from start tag to matching end tag; the spans to read blanked, in order;
    the spans to read as ``FILLER`` text, in order). Where text follows a raw block's end tag on
    its line, both generators read it as Markdown: the block's lines before that line are read
    blanked and the line up to the end tag as ``FILLER``, so that CommonMark ends no HTML block
    there and the rest of the line is a paragraph's (the HTML scanner reads them as written).
    ``skip_markdown``: a start tag with a ``markdown`` attribute opens Markdown, not a raw block.
    ``markdown_inside``: every block holds Markdown (kramdown's ``parse_block_html``): no raw
    block, and each start tag alone on its line is read blanked, as a ``markdown="1"`` one is."""
    blocks: list[tuple[int, int]] = []
    blanks: list[tuple[int, int]] = []
    as_text: list[tuple[int, int]] = []
    if "<" not in text:
        return blocks, blanks, as_text
    fences = _fences(text, start)
    pos = start
    n = len(text)
    lone = _LONE_TAG.search(text, pos)
    m = _BLOCK_START.search(text, pos)
    while True:  # each search is redone only once the scan has passed its match: linear
        if m is not None and m.start() < pos:
            m = _BLOCK_START.search(text, pos)
        if lone is not None and lone.start() < pos:
            lone = _LONE_TAG.search(text, pos)
        if lone is not None and (m is None or lone.start() < m.start()):
            if (lone.group(1) or lone.group(2)).lower() not in _NOT_INLINE and containing(fences, lone.start()) is None:
                _blank_if_followed(text, lone.start(), lone.end(), blanks)
            pos = lone.end()
            continue
        if m is None:
            break
        s = text.index("<", m.start())
        fence = containing(fences, s)
        if fence is not None:  # a start tag in code: code
            pos = fence[1]
            continue
        name = m.group(2).lower()
        tag_end = text.find(">", m.end())
        if tag_end < 0:
            break  # no tag closes after here
        if skip_markdown and _MARKDOWN_TAG.match(text, m.start()):
            pos = tag_end + 1
            continue
        if m.group(1) or name == _BLOCK_VOID or text[tag_end - 1] == "/":
            end = tag_end + 1  # an end tag that closes nothing, a void or self-closed one: this tag alone
        elif markdown_inside:  # its content is Markdown, read on from its start tag
            nl = text.find("\n", tag_end)
            line_end = nl if nl >= 0 else n
            if not text[tag_end + 1 : line_end].strip():
                blanks.append((s, tag_end + 1))
            else:  # an element on one line (<p>x</p>): a block of its own, as in the raw reading
                end = _matching_end(text, name, tag_end + 1, line_end)
                if end >= 0 and not text[end:line_end].strip():
                    _blank_if_followed(text, text.rfind("\n", 0, s) + 1, end, blanks)
            pos = tag_end + 1
            continue
        else:
            end = _matching_end(text, name, tag_end + 1)
        if end < 0:
            blocks.append((s, n))  # never closed: raw to the end, as both read it
            break
        if not markdown_inside:
            blocks.append((s, end))
        nl = text.find("\n", end)
        line_end = nl if nl >= 0 else n
        end_line = text.rfind("\n", 0, end) + 1
        if not text[end:line_end].strip():
            _blank_if_followed(text, end_line, end, blanks)
        else:  # Markdown after the end tag on its line: the block up to it is no HTML block to CommonMark
            if end_line > s:
                blanks.append((s, end_line))
            as_text.append((max(s, end_line), end))
        pos = line_end
    return blocks, blanks, as_text


def containing(spans: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    """The span of ``spans`` (sorted, apart) that holds ``pos``, or None."""
    k = bisect.bisect_right(spans, (pos, 1 << 62)) - 1
    return spans[k] if k >= 0 and pos < spans[k][1] else None


def _blank_if_followed(text: str, line_start: int, end: int, blanks: list[tuple[int, int]]) -> None:
    """Read [line_start, end) blanked where a non-blank line follows at once: CommonMark would
    take that line into the HTML block it starts there, which the generator ends here."""
    nl = text.find("\n", end)
    if nl < 0:
        return
    nxt = text.find("\n", nl + 1)
    if text[nl + 1 : nxt if nxt >= 0 else len(text)].strip():
        blanks.append((line_start, end))


def _matching_end(text: str, name: str, pos: int, endpos: int | None = None) -> int:
    """Where the end tag that matches an open ``name`` ends, counting nested ones (before
    ``endpos``); -1 if none."""
    tags = re.compile(r"<(/?)" + re.escape(name) + r"(?=[\s/>])", re.I)
    depth = 1
    for t in tags.finditer(text, pos, len(text) if endpos is None else endpos):
        gt = text.find(">", t.end())
        if gt < 0:
            return -1
        if t.group(1):
            depth -= 1
            if depth == 0:
                return gt + 1
        elif text[gt - 1] != "/":
            depth += 1
    return -1
