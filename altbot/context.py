"""What a captioner is told about an image's place on its page (between decide and caption).

Alt text serves the image's purpose on the page, so a context-aware captioner
(a chat VLM, a local server) is given, most telling first and within
``MAX_CONTEXT`` characters in all: where the image links to, its own title,
its figure caption, the nearest heading above it, the page's title, and the
sentence or two around it. Markup, code and template tags are stripped; only
what a reader sees is passed on: in MDX, its ESM (``import``/``export``) blocks are
JavaScript, no text, and a directive's fence (Docusaurus' ``:::tip``, MkDocs'
``!!! note``) is markup, its title text. Pure: the page's text in, pairs out.
"""

from __future__ import annotations

import re

from altbot.model import Image, Kind

MAX_CONTEXT = 300
_WINDOW = 1500  # characters of page text looked at on each side of the image

_FRONT_MATTER = re.compile(r"\A\ufeff?(---|\+\+\+)[ \t]*\r?\n(.*?)^(?:\1|\.\.\.)[ \t]*\r?$", re.M | re.S)
_FM_TITLE = re.compile(r"""^title[ \t]*[:=][ \t]*(['"]?)(.+?)\1[ \t]*\r?$""", re.M)
_HTML_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)
_MD_HEADING = re.compile(r"^[ ]{0,3}(#{1,6})[ \t]+(.+?)[ \t#]*\r?$", re.M)
_HTML_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", re.I | re.S)
_SENTENCE_END = re.compile(r"(?<=[.!?…。！？])\s+")
_FENCE = re.compile(r"^[ \t]*(```|~~~)", re.M)
# a container directive's fence: ":::tip Title" / ":::" (remark-directive, Docusaurus
# admonitions), MkDocs' "!!! note" / "??? note" and its tabs' '=== "Label"' (the title or label,
# in quotes, is text)
_DIRECTIVE = re.compile(r"^[ \t]*(?::{3,}[\w-]*|(?:!!!|\?\?\?\+?)[ \t]+[\w-]+|===(?:\+!|!\+|\+|!)?(?=[ \t]+\"))", re.M)


def _clean(text: str) -> str:
    from altbot.language import visible_text

    return visible_text(_DIRECTIVE.sub(" ", text), limit=_WINDOW)


def without(text: str, spans) -> str:
    """``text`` with each span (an MDX ESM block: JavaScript) blanked to spaces, line breaks
    kept, so offsets into it stay those of the page."""
    if not spans:
        return text
    out, pos = [], 0
    for sp in sorted(spans, key=lambda s: s.start):
        if sp.start < pos:
            continue
        out.append(text[pos : sp.start])
        out.append(re.sub(r"[^\r\n]", " ", text[sp.start : sp.end]))
        pos = sp.end
    out.append(text[pos:])
    return "".join(out)


def page_title(text: str, kind: Kind) -> str | None:
    fm = _FRONT_MATTER.match(text[:20000])
    m = _FM_TITLE.search(fm.group(2)) if fm else None
    if m and m.group(2).strip() and "{{" not in m.group(2):
        return _clean(m.group(2)) or None
    if kind is Kind.HTML:
        m = _HTML_TITLE.search(text, 0, 65536)
        if m:
            return _clean(m.group(1)) or None
    return None


def _in_fence(text: str, pos: int, start: int) -> bool:
    return len(_FENCE.findall(text, start, pos)) % 2 == 1


def _heading_before(text: str, kind: Kind, pos: int) -> tuple[int, int, str] | None:
    """(start, end, text) of the last heading that starts before ``pos`` (in a window: linear)."""
    start = max(0, pos - 20 * _WINDOW)
    found = None
    if kind is not Kind.HTML:
        for m in _MD_HEADING.finditer(text, start, pos):
            if not _in_fence(text, m.start(), start):
                found = (m.start(), m.end(), m.group(2))
    for m in _HTML_HEADING.finditer(text, start, pos):
        if m.end() <= pos and (found is None or m.start() > found[0]):
            found = (m.start(), m.end(), m.group(2))
    return found


def nearest_heading(text: str, kind: Kind, pos: int) -> str | None:
    found = _heading_before(text, kind, pos)
    return (_clean(found[2]) or None) if found else None


_HEAD_END = re.compile(r"</head\s*>|<body\b[^>]*>", re.I)


def _sentences(before: str, after: str) -> str:
    b = [s for s in _SENTENCE_END.split(before) if s.strip()]
    a = [s for s in _SENTENCE_END.split(after) if s.strip()]
    return " ".join(b[-2:] + a[:1]).strip()


def around_text(text: str, kind: Kind, img: Image) -> str | None:
    """The sentence or two around the image, as a reader sees them (not the headings or the head)."""
    s, e = img.element_span.start, img.element_span.end
    floor = max(0, s - _WINDOW)
    fm = _FRONT_MATTER.match(text[:20000])
    if fm:
        floor = max(floor, fm.end())
    head = _HEAD_END.search(text, 0, s) if kind is Kind.HTML else None
    if head:
        floor = max(floor, head.end())
    heading = _heading_before(text, kind, s)
    if heading:
        floor = max(floor, heading[1])
    before = _clean(text[floor:s])
    nxt = _MD_HEADING.search(text, e, e + _WINDOW) if kind is not Kind.HTML else None
    nxt_html = _HTML_HEADING.search(text, e, e + _WINDOW)
    ceiling = min([m.start() for m in (nxt, nxt_html) if m] + [e + _WINDOW])
    after = _clean(text[e:ceiling])
    return _sentences(before, after) or None


def _fit(pairs: list[tuple[str, str]], limit: int) -> tuple[tuple[str, str], ...]:
    """Keep the pairs in order of importance while they fit; shorten the last one at a word."""
    out: list[tuple[str, str]] = []
    used = 0
    for key, value in pairs:
        value = " ".join(value.split())
        if not value:
            continue
        room = limit - used - len(key) - 2
        if room < 12:
            break
        if len(value) > room:
            cut = value.rfind(" ", 0, room - 1)
            value = value[: cut if cut > room // 2 else room - 1].rstrip(" ,;:") + "…"
        out.append((key, value))
        used += len(key) + 2 + len(value)
    return tuple(out)


def page_context(
    text: str, kind: Kind, img: Image, link: str | None = None, limit: int = MAX_CONTEXT, code=()
) -> tuple[tuple[str, str], ...]:
    """(key, value) pairs for the caption request, most telling first, at most ``limit`` characters.
    ``code``: spans of ``text`` that are no text a reader sees (an MDX page's ESM blocks)."""
    from altbot.model import context_of

    text = without(text, code)
    pairs: list[tuple[str, str]] = []
    if link:
        pairs.append(("link", link))
    if img.title:
        pairs.append(("title", img.title))
    ctx = context_of(img)
    if ctx is not None and ctx.figcaption:
        pairs.append(("figure caption", ctx.figcaption))
    heading = nearest_heading(text, kind, img.element_span.start)
    if heading:
        pairs.append(("section", heading))
    title = page_title(text, kind)
    if title and title != heading:
        pairs.append(("page", title))
    around = around_text(text, kind, img)
    if around:
        pairs.append(("text", around))
    return _fit(pairs, limit)
