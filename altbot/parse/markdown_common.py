"""What both Markdown engines share: attribute blocks, link context, and markdown-it's URL rules.

``altbot.parse.markdown`` (markdown-it-py) and ``altbot.parse.markdown_pulldown``
(pulldown-cmark, through pyromark) must report the same images with the same
fields; what they compute the same way lives here, so that it cannot drift.
Nothing here imports a Markdown library at module level.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing is for the type checker only: a check never imports it
if TYPE_CHECKING:
    from typing import Any

from altbot.model import Image, LineIndex, MarkdownHints, Span, Syntax, make_image
from altbot.parse.base import FILLER

__all__ = [
    "ADJ_CHARS",
    "ATTRS_RE",
    "Link",
    "attr_block",
    "attr_items",
    "md_image",
    "context_pairs",
    "make_scanner",
    "needs_verdict",
    "reference",
    "normalize_link",
    "normalize_link_text",
    "valid_link",
]

# Pandoc attributes ``{#id .class key=value key="v" key='v'}`` and kramdown IALs
# ``{: ...}``, directly after an image, on the same line.
_ATTR_VALUE = r"""(?:"(?:[^"\\\n]|\\[^\n])*"|'(?:[^'\\\n]|\\[^\n])*'|[^\s"'{}]+)"""
_ATTR_ITEM = r"(?:#[^\s{}#.=\"']+|\.[^\s{}#.=\"']+|[A-Za-z_][\w:.-]*=" + _ATTR_VALUE + r")"
ATTRS_RE = re.compile(r"\{(:)?[ \t]*" + _ATTR_ITEM + r"(?:[ \t]+" + _ATTR_ITEM + r")*[ \t]*\}")
_ATTR_KV_RE = re.compile(
    r"""(?:^|(?<=[\s{:]))([A-Za-z_][\w:.-]*)=(?:"((?:[^"\\\n]|\\[^\n])*)"|'((?:[^'\\\n]|\\[^\n])*)'|([^\s"'{}]+))"""
)
_BACKSLASH_RE = re.compile(r"\\([^\n])")

ADJ_CHARS = 80


def attr_items(src: str, attr_span: tuple[int, int]) -> list[tuple[str, str, int, int, str]]:
    """``key=value`` items of an attribute block: (key, value, value start, value end, quote)."""
    out = []
    for m in _ATTR_KV_RE.finditer(src, attr_span[0], attr_span[1]):
        if m.group(2) is not None:
            g, quote = 2, '"'
        elif m.group(3) is not None:
            g, quote = 3, "'"
        else:
            g, quote = 4, ""
        raw = m.group(g)
        value = _BACKSLASH_RE.sub(r"\1", raw) if quote else raw
        out.append((m.group(1), value, m.start(g), m.end(g), quote))
    return out


def reference(src: str, label_start: int, label_end: int, main_end: int) -> tuple[str | None, str | None]:
    """(kind, label) of an image whose ``[label]`` is ``src[label_start:label_end]`` and whose
    reference part ends at ``main_end``: ``(None, None)`` for an inline image, else
    ``collapsed`` (``![x][]``), ``full`` (``![x][ref]``) or ``shortcut`` (``![x]``)."""
    after = label_end + 1
    if after < main_end and src[after] == "(":
        return None, None
    if src[after:main_end] == "[]":
        return "collapsed", src[label_start:label_end]
    if after < main_end and src[after] == "[":
        return "full", src[after + 1 : main_end - 1]
    return "shortcut", src[label_start:label_end]


def attr_block(
    src: str, attr_span: tuple[int, int]
) -> tuple[tuple[tuple[str, str | None], ...], str, tuple[str, int, int, str] | None]:
    """An attribute block's items, its style (``kramdown`` ``{: …}`` or ``pandoc``), and its
    ``alt`` item as (value, value start, value end, quote), if it has one."""
    items = attr_items(src, attr_span)
    attrs = tuple((key, value) for key, value, _, _, _ in items)
    style = "kramdown" if src.startswith("{:", attr_span[0]) else "pandoc"
    alt = next(((value, vs, ve, quote) for key, value, vs, ve, quote in items if key.lower() == "alt"), None)
    return attrs, style, alt


def md_image(
    path: str,
    index: LineIndex,
    element: tuple[int, int],
    src: str,
    alt: str,
    alt_span: tuple[int, int],
    title: str | None,
    where: tuple[str | None, str | None, str | None],
    attrs: tuple[tuple[str, str | None], ...],
    hints: MarkdownHints | None,
) -> Image:
    """A Markdown image; ``where`` is (hidden, lang, lang source) at its place in the page."""
    line, column = index.position(element[0])
    hidden, lang, lang_source = where
    if FILLER in alt:  # a tag at a line's start in the alt, which the HTML scanner reads
        alt = alt.replace(FILLER, "")
    return make_image(
        path=path,
        syntax=Syntax.MARKDOWN,
        element="md-image",
        element_span=Span(*element),
        line=line,
        column=column,
        src=src,
        alt=alt,
        alt_span=Span(*alt_span),
        insert_at=alt_span[0],
        title=title,
        hidden=hidden,
        fixable=True,
        lang=lang,
        lang_source=lang_source,
        attrs=attrs,
        hints=hints,
    )


def make_scanner(
    text: str, path: str, index: Any, lang: str | None, lang_source: str | None, context: bool = True
) -> Any:
    """The HTML scanner that reads a Markdown file's raw HTML (one per document)."""
    from altbot.parse.html import HtmlScanner

    return HtmlScanner(text, path, index, lang=lang, lang_source=lang_source, context=context)


class TagFeeder:
    """The HTML scanner of a Markdown page whose Markdown parser was shown some spans of HTML
    blanked (``parse.blocks``: markdown-attribute start tags, and the end-tag and lone-tag lines of
    balanced HTML blocks): it reads each of them where it stands, before the raw HTML, the image
    or the end that comes after it, so the elements they open and close hold what they do."""

    def __init__(self, scanner: Any, tags: list[tuple[int, int]]) -> None:
        self.scanner, self.tags, self.k = scanner, tags, 0

    def before(self, pos: int) -> None:
        """Read every tag that starts before ``pos``."""
        tags, k = self.tags, self.k
        while k < len(tags) and tags[k][0] < pos:
            self.scanner.feed(*tags[k])
            k += 1
        self.k = k

    def feed(self, start: int, end: int) -> None:
        """Raw HTML the Markdown parser found at ``start:end``; a tag it was shown blanked inside
        that range (a block's range reaches into the next line's indent, or over a filler line)
        is read whole where it stands, never cut by the range's end."""
        self.before(start)
        tags, k = self.tags, self.k
        while k < len(tags) and tags[k][0] < end:
            s, e = tags[k]
            self.scanner.feed(start, s)
            self.scanner.feed(s, e)
            start = max(start, e)
            k += 1
        self.k = k
        self.scanner.feed(start, end)

    def context(self) -> tuple[str | None, str | None, str | None]:
        return self.scanner.context()

    def finish(self) -> Any:
        self.before(1 << 62)  # every tag left
        return self.scanner.finish()


def context_at(scanner: Any, pos: int) -> tuple[str | None, str | None, str | None]:
    """The scanner's (hidden, lang, lang source) for an image at ``pos``."""
    before = getattr(scanner, "before", None)
    if before is not None:
        before(pos)
    return scanner.context()


class Link:
    """A Markdown link open around inline content."""

    __slots__ = ("href", "title", "text", "images")

    def __init__(self, href: Any, title: Any) -> None:
        self.href = str(href) if href is not None else ""
        self.title = str(title) if title is not None else ""
        self.text: list[str] = []
        self.images: list[Image] = []


def needs_verdict(image: Image) -> bool:
    """Only an image whose alt is empty or blank gets adjacent text (the decorative check's input)."""
    return not image.alt or image.alt.isspace()


def context_pairs(image: Image, link: Link | None, pieces: list[str], split: int) -> list[tuple[str, str]]:
    """The decorative-judgement keys of one image (see ``altbot.parse.markdown``'s docstring).

    ``pieces`` are the texts of the block's inline tokens that have text (text runs, code
    spans, line breaks as one space), in order; ``split`` is how many come before the image.
    """
    out: list[tuple[str, str]] = []
    if link is not None:
        out.append(("in_link", "1"))
        if link.href:
            out.append(("link_href", link.href))
        if link.title:
            out.append(("link_title", link.title))
        text = " ".join("".join(link.text).split())
        if text:
            out.append(("link_text", text))
        elif not any(im is not image and im.alt and not im.alt.isspace() for im in link.images):
            out.append(("link_only_image", "1"))
    if needs_verdict(image):
        before: list[str] = []
        got = 0
        for j in range(split - 1, -1, -1):
            if got >= ADJ_CHARS:
                break
            t = pieces[j]
            before.append(t)
            got += len(t)
        after: list[str] = []
        got = 0
        for j in range(split, len(pieces)):
            if got >= ADJ_CHARS:
                break
            t = pieces[j]
            after.append(t)
            got += len(t)
        b, a = "".join(reversed(before)), "".join(after)
        if FILLER in b or FILLER in a:  # tags the Markdown parser read as text (parse.blocks.paragraph_tags)
            b, a = b.replace(FILLER, " "), a.replace(FILLER, " ")
        b = " ".join(b.split())[-ADJ_CHARS:]
        a = " ".join(a.split())[:ADJ_CHARS]
        adjacent = (b + " " + a).strip()
        if adjacent:
            out.append(("adjacent_text", adjacent))
    return out


# markdown-it's URL rules (``markdown_it.common.normalize_url``), which decide the ``src``
# and ``href`` altbot reports: a URL of only these characters is its own normal form, so the
# common case needs no import; anything else goes through markdown-it's own functions.
_PLAIN_URL_RE = re.compile(r"(?:[A-Za-z0-9;/?:@&=+$,\-_.!~*'()#]|%[0-9A-Fa-f]{2})*")
_PLAIN_TEXT_URL_RE = re.compile(r"[A-Za-z0-9;/?:@&=+$,\-_.!~*'()#]*")
_BAD_PROTO_RE = re.compile(r"^(vbscript|javascript|file|data):")
_GOOD_DATA_RE = re.compile(r"^data:image\/(gif|png|jpeg|webp);")


def normalize_link(url: str) -> str:
    """markdown-it's ``normalizeLink``: percent-encoded, with an IDN host in punycode."""
    if _PLAIN_URL_RE.fullmatch(url):
        return url
    from markdown_it.common.normalize_url import normalizeLink

    return normalizeLink(url)


def normalize_link_text(url: str) -> str:
    """markdown-it's ``normalizeLinkText``: how an autolink's text reads (escapes decoded)."""
    if _PLAIN_TEXT_URL_RE.fullmatch(url) and "xn--" not in url.lower():
        return url
    from markdown_it.common.normalize_url import normalizeLinkText

    return normalizeLinkText(url)


def valid_link(url: str) -> bool:
    """markdown-it's ``validateLink``: no ``javascript:``, ``vbscript:``, ``file:`` or non-image
    ``data:`` destination (markdown-it then makes no link at all)."""
    url = url.strip().lower()
    return bool(_GOOD_DATA_RE.search(url)) if _BAD_PROTO_RE.search(url) else True
