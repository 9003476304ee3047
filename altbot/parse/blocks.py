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
