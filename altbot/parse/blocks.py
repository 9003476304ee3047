"""Indented Markdown blocks of Python-Markdown extensions, as MkDocs renders them (parse stage).

MkDocs reads Markdown with Python-Markdown, whose ``admonition``, ``pymdownx.details`` and
``pymdownx.tabbed`` extensions write a block as a fence line and its content indented by four
spaces::

    !!! note "Before you start"

        ![](install.png)

CommonMark reads those indented lines as a code block, so the images in them would be no
images. ``as_list_items`` writes each fence line as the first line of an ordered list item
(``1. .`` and spaces, the same length), whose content CommonMark reads from an indent of
three: the block's lines are then Markdown inside it, with every offset unchanged, so each
image's spans (and the fix's edits) are those of the page as written. A block's own indented
code (eight spaces) stays code; a fence inside a code block stays code.

Only the fences the site's ``mkdocs.yml`` enables are read so (``Site.block_fences``).

``open_markdown_html`` does the same for an HTML block whose opening tag carries a ``markdown``
attribute (MkDocs' ``md_in_html``: ``<figure markdown>``; kramdown, Jekyll's Markdown:
``<div markdown="1">``): those generators read its content as Markdown, where CommonMark reads
the lines up to a blank one as raw HTML. The Markdown parser reads the text with the opening
tag blanked (spaces, the same length), so the content is Markdown at its own offsets; the HTML
scanner reads the tag itself, where it stands, so its ``aria-hidden``, ``hidden`` and ``lang``
reach the images inside, up to the block's end tag (which stays HTML).
"""

from __future__ import annotations

import re

# each fence line as the extension's own pattern reads it: the fence, a type and/or a quoted title
_FENCE_LINE = {
    "!!!": r"!!! ?[\w-]+(?: +[\w-]+)*(?: +\"[^\"\n]*\")? *",
    "???": r"\?\?\?\+? ?(?:[\w-]+(?: +[\w-]+)*(?: +\"[^\"\n]*\")?|\"[^\"\n]*\") *",
    "===": r"===(?:\+!|!\+|\+|!)? +\"[^\"\n]*\" *",
}


def _pattern(fences: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"^[ \t]*(" + "|".join(_FENCE_LINE[f] for f in fences) + r")(?=\r?$)", re.M)


def as_list_items(text: str, fences: tuple[str, ...]) -> str:
    """``text`` with each fence line of ``fences`` (at any indent) written as ``1. .`` padded with
    spaces to its length: the same text, character for character, elsewhere."""
    fences = tuple(f for f in fences if f in _FENCE_LINE)
    if not fences or not any(f in text for f in fences):
        return text

    def item(m: re.Match) -> str:
        line = m.group(0)
        lead = len(line) - len(m.group(1))
        return line[:lead] + "1. ." + " " * (len(m.group(1)) - 4)

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


def open_markdown_html(text: str, tags: list[tuple[int, int]] | None = None) -> str:
    """``text`` with each opening tag that carries a ``markdown`` attribute (or each of ``tags``)
    blanked to spaces."""
    if tags is None:
        tags = markdown_tags(text)
    if not tags:
        return text
    out, pos = [], 0
    for s, e in tags:
        out.append(text[pos:s])
        out.append(" " * (e - s))
        pos = e
    out.append(text[pos:])
    return "".join(out)
