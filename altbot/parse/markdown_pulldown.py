"""Markdown on pulldown-cmark (``pyromark``): the same images as ``altbot.parse.markdown``, at C speed.

pulldown-cmark is a CommonMark parser in Rust. ``pyromark.events_with_range``
yields each event of a document with its UTF-8 byte range in the original text:
no newline normalisation and no container stripping to undo, so every span is
exact by construction (CRLF, tabs, block quotes and list items included). Byte
offsets become character offsets through the non-ASCII runs of the text (none for
an ASCII text).

It reports what the markdown-it engine reports, field for field: the same
elements, spans, alt text (as markdown-it's ``renderInlineAsText``), ``src`` and
link ``href`` in markdown-it's normal form (``markdown_common.normalize_link``),
Pandoc/kramdown attribute blocks, reference kinds, code regions for ``excluded``,
raw HTML handed to the HTML scanner, and the decorative context. Two known
quirks are handled here: the range of a collapsed reference ``![x][]`` stops
before its ``[]``, and an attribute block after an image is text to
pulldown-cmark (its events are dropped, as markdown-it consumes the block).

Where the two engines part, pulldown-cmark follows the CommonMark spec and
markdown-it does not: markdown-it refuses a ``javascript:``, ``vbscript:``,
``file:`` or non-image ``data:`` destination and then sees no image or link at
all; here ``![](data:image/svg+xml,...)`` is an image (its alt is checked), and a
link with such a destination gives no link context, as in markdown-it.

MDX is not read here (MDX turns off indented code and raw HTML, which pulldown-cmark
cannot), nor a text with a NUL (CommonMark reads it as U+FFFD; pulldown-cmark does not,
and a replacement would move every offset), nor one that Rust cannot take (lone
surrogates): ``parse_markdown`` gives those to markdown-it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace as dc_replace

TYPE_CHECKING = False  # typing is for the type checker only: a check never imports it
if TYPE_CHECKING:
    from typing import Any, Callable

import pyromark

from altbot.model import Image, ImageContext, LineIndex, MarkdownHints, Span
from altbot.parse.base import ParseResult
from altbot.parse.markdown_common import (
    ATTRS_RE,
    Link,
    attr_block,
    context_at,
    context_pairs,
    md_image,
    needs_verdict,
    normalize_link,
    normalize_link_text,
    reference,
    valid_link,
)

__all__ = ["MarkupInAttributeBlock", "parse_body"]

_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]+")
# ``![](<a>"t")``: pulldown-cmark takes a title glued to a ``<...>`` destination; the spec
# wants blanks between them, so the text is no image
_GLUED_TITLE_RE = re.compile(r"""\([ \t\r\n]*<(?:[^<>\\\r\n]|\\.)*>["'(]""")
# Inline containers; every other Start/End is a block boundary. A run of inline events
# between two boundaries is one markdown-it ``inline`` token (a tight list item has no
# Paragraph event, but markdown-it gives it a hidden paragraph).
_INLINE = frozenset({"Emphasis", "Strong", "Strikethrough", "Link", "Image", "Superscript", "Subscript"})


def _collapsed_end(raw: bytes, info: dict[str, Any], end: int) -> int:
    """An image's end: pulldown-cmark's range of ``![x][]`` stops before the ``[]``."""
    if info.get("link_type") == "Collapsed" and raw[end : end + 2] == b"[]":
        return end + 2
    return end


class MarkupInAttributeBlock(Exception):
    """An attribute block holds a character that could open Markdown reaching past it."""


_OPENERS_RE = re.compile(r"[`<\[\]*_]")


def _check_attr_block(block: str) -> None:
    """markdown-it consumes an attribute block before any other inline rule sees it; to
    pulldown-cmark it is text, so a backtick, ``<``, bracket or emphasis mark in it can pair
    with one after it (``{alt='a`'} ![b`](c)`` is a code span there). Such a document is
    read by markdown-it instead."""
    if _OPENERS_RE.search(block):
        raise MarkupInAttributeBlock(block)


def _can_parse(body: str) -> bool:
    """Whether pulldown-cmark reads this text as CommonMark does: not with a NUL (the spec reads
    it as U+FFFD, pulldown-cmark does not), and not with lone surrogates (no Rust string)."""
    if "\0" in body:
        return False
    if body.isascii():
        return True
    try:
        body.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _Offsets:
    """UTF-8 byte offsets of the parsed body → character offsets of the whole text.

    The parsed body is the original with each ``\r\n`` and lone ``\r`` as ``\n`` (pulldown-cmark
    reads a CRLF inside a code span as two spaces, and does not end an indented code block at
    a lone CR); ``crs`` are the offsets, in the parsed body's characters, of the ``\n`` of each
    CRLF.
    """

    __slots__ = ("base", "runs", "bstarts", "crs")

    def __init__(self, body: str, base: int, crs: list[int] | None = None) -> None:
        self.base = base
        self.crs = crs
        self.runs: list[tuple[int, int, int, str]] | None = None  # (byte start, byte length, char start, run)
        self.bstarts: list[int] = []
        if body.isascii():
            return
        runs = []
        extra = 0
        for m in _NON_ASCII_RE.finditer(body):
            run = m.group()
            blen = len(run.encode("utf-8"))
            runs.append((m.start() + extra, blen, m.start(), run))
            extra += blen - len(run)
        self.runs = runs
        self.bstarts = [r[0] for r in runs]

    def char(self, b: int) -> int:
        runs = self.runs
        if runs is None:
            return self.base + b
        i = bisect.bisect_right(self.bstarts, b) - 1
        if i < 0:
            return self.base + b
        bs, blen, cs, run = runs[i]
        if b >= bs + blen:
            return self.base + cs + len(run) + (b - bs - blen)
        return self.base + cs + len(run.encode("utf-8")[: b - bs].decode("utf-8", "ignore"))

    def char_crlf(self, b: int) -> int:
        c = _Offsets.char(self, b) - self.base
        return self.base + c + bisect.bisect_left(self.crs, c)  # type: ignore[arg-type]


class _Img:
    """An image being read: its start event and the alt text of its children."""

    __slots__ = ("start", "end", "info", "alt", "last", "split", "link")

    def __init__(self, start: int, end: int, info: dict[str, Any], split: int, link: Link | None) -> None:
        self.start = start
        self.end = end
        self.info = info
        self.alt: list[str] = []
        self.last = start + 2  # the end of the last event inside the image (bytes)
        self.split = split
        self.link = link


# what each Start pushes on the stack: its kind, and the Link or _Img it opened
_OTHER, _BLOCK, _LINK, _AUTOLINK, _IMAGE, _IGNORED = range(6)


def parse_body(
    text: str,
    path: str,
    index: LineIndex,
    start: int,
    lang: str | None,
    lang_source: str | None,
    result: ParseResult,
    *,
    context: bool,
    make_scanner: Callable[..., Any],
) -> bool:
    """Images, code regions and raw HTML of the Markdown body ``text[start:]`` into ``result``;
    False, with ``result`` untouched, for a text pulldown-cmark cannot read exactly (``_can_parse``)."""
    body = text[start:]
    if not _can_parse(body):
        return False
    if "![" not in body and "<" not in body and "`" not in body and "{{" not in text:
        return True  # no image, no raw HTML, no code span, and no shortcode that a code block could hide
    _Reader(text, path, index, start, lang, lang_source, result, context, make_scanner).run(body)
    return True


class _Reader:
    def __init__(
        self,
        text: str,
        path: str,
        index: LineIndex,
        start: int,
        lang: str | None,
        lang_source: str | None,
        result: ParseResult,
        context: bool,
        make_scanner: Callable[..., Any],
    ) -> None:
        self.text = text
        self.path = path
        self.index = index
        self.start = start
        self.lang = lang
        self.lang_source = lang_source
        self.result = result
        self.context = context
        self.make_scanner = make_scanner
        self.scanner: Any = None

    def run(self, body: str) -> None:
        extra = {} if self.context else {"context": False}
        self.scanner = self.make_scanner(self.text, self.path, self.index, self.lang, self.lang_source, **extra)
        try:
            self._walk(body)
        finally:
            self.result.extend(self.scanner.finish())

    # ------------------------------------------------------------------ the walk

    def _walk(self, body: str) -> None:
        crs = None
        if "\r" in body:
            if "\r\n" in body:
                crs = [m.start() - i for i, m in enumerate(re.finditer("\r\n", body))]
                body = body.replace("\r\n", "\n")
            # a lone CR ends a line too, but not an indented code block to pulldown-cmark;
            # as LF it reads the same and moves no offset
            body = body.replace("\r", "\n")
        raw = body.encode("utf-8")
        off = _Offsets(body, self.start, crs)
        char = off.char_crlf if crs else off.char
        result = self.result
        excluded = result.excluded
        scanner = self.scanner
        want_context = self.context

        stack: list[tuple[int, Any]] = []
        links: list[Link] = []  # open links outside any image, innermost last
        img: _Img | None = None  # the top-level image being read
        depth = 0  # image nesting (an image in an image's alt is alt text)
        pieces: list[str] | None = [] if want_context else None  # texts of the current block
        text_run = False  # whether the last piece is a text run that a Text event continues
        pending: list[tuple[Image, int, Link | None]] = []  # images of the block, for their context
        skip_from = skip_until = -1  # an attribute block: events that start in it are not Markdown
        autolink = 0  # inside an autolink: its text reads as markdown-it's normalizeLinkText

        for ev, rng in pyromark.events_with_range(body):
            s = rng["start"]
            if skip_from <= s < skip_until:
                e = rng["end"]
                if isinstance(ev, dict):
                    if "Start" in ev:
                        stack.append((_IGNORED, None))
                        continue
                    if "End" in ev:
                        kind, _ = stack.pop()
                        if kind == _IGNORED:
                            continue
                        # an element opened before the attribute block ends after it: fall through
                    elif "Text" in ev and e > skip_until:
                        tail = raw[skip_until:e]
                        if len(ev["Text"].encode("utf-8")) == e - s:  # the text is its source: cut it
                            ev = {"Text": tail.decode("utf-8", "ignore")}
                            s = skip_until
                        else:
                            continue
                    else:
                        continue
                else:
                    continue
            if isinstance(ev, str):  # SoftBreak, HardBreak, Rule
                if ev == "SoftBreak" or ev == "HardBreak":
                    if depth:
                        img.alt.append("\n")  # type: ignore[union-attr]
                        img.last = rng["end"]  # type: ignore[union-attr]
                    elif pieces is not None:
                        pieces.append(" ")
                        text_run = False
                        if links:
                            links[-1].text.append(" ")
                continue
            key = next(iter(ev))
            if key == "Text":
                value = ev["Text"]
                if depth:
                    img.alt.append(value)  # type: ignore[union-attr]
                    img.last = rng["end"]  # type: ignore[union-attr]
                elif pieces is not None:
                    if autolink:
                        value = normalize_link_text(value)
                    if text_run:
                        pieces[-1] += value
                    else:
                        pieces.append(value)
                        text_run = True
                    if links:
                        links[-1].text.append(value)
            elif key == "Code":
                value = ev["Code"]
                if depth:
                    img.alt.append(value)  # type: ignore[union-attr]
                    img.last = rng["end"]  # type: ignore[union-attr]
                else:
                    a, b = char(s), char(rng["end"])
                    if b > a:
                        excluded.append(Span(a, b))
                    if pieces is not None:
                        if value:
                            pieces.append(value)
                        text_run = False
                        if links:
                            links[-1].text.append(value)
            elif key == "InlineHtml":
                if depth:
                    img.alt.append(ev["InlineHtml"])  # type: ignore[union-attr]
                    img.last = rng["end"]  # type: ignore[union-attr]
                else:
                    scanner.feed(char(s), char(rng["end"]))
                    text_run = False
            elif key == "Start":
                tag = ev["Start"]
                name = tag if isinstance(tag, str) else next(iter(tag))
                if depth:  # inside an image's alt: only its text matters, and where the label ends
                    if name == "Image":
                        depth += 1
                        stack.append((_IMAGE, tag["Image"]))
                    else:
                        img.last = max(img.last, rng["end"])  # type: ignore[union-attr]
                        stack.append((_OTHER, None))
                    continue
                if name == "Image":
                    info = tag["Image"]
                    img = _Img(s, rng["end"], info, len(pieces) if pieces is not None else 0, links[-1] if links else None)
                    depth = 1
                    text_run = False
                    stack.append((_IMAGE, img))
                    continue
                elif name == "Link":
                    info = tag["Link"]
                    text_run = False
                    ltype = info["link_type"]
                    if ltype == "Email":
                        href = normalize_link("mailto:" + info["dest_url"])
                    else:
                        href = normalize_link(info["dest_url"])
                    if not valid_link(href):
                        stack.append((_OTHER, None))  # markdown-it makes no link of it
                        continue
                    link = Link(href, info["title"] or None)
                    links.append(link)
                    if ltype in ("Autolink", "Email"):
                        autolink += 1
                        stack.append((_AUTOLINK, link))
                    else:
                        stack.append((_LINK, link))
                    continue
                elif name in _INLINE:
                    text_run = False
                    stack.append((_OTHER, None))
                    continue
                # a block boundary
                if pending:
                    self._flush(pending, pieces)
                    pending = []
                pieces = [] if want_context else None
                text_run = False
                if name == "CodeBlock":
                    self._code_block(raw, char, s, rng["end"])
                    stack.append((_BLOCK, None))
                elif name == "HtmlBlock":
                    e = rng["end"]
                    ls = s  # the block's own indentation is its text, as in markdown-it
                    while ls > 0 and s - ls < 3 and raw[ls - 1 : ls] == b" ":
                        ls -= 1
                    if ls == 0 or raw[ls - 1 : ls] == b"\n":
                        s = ls
                    if raw.endswith(b"\n", s, e):  # (a CRLF maps back to before its CR)
                        e -= 1
                    if e > s:
                        scanner.feed(char(s), char(e))
                    stack.append((_BLOCK, None))
                else:
                    stack.append((_BLOCK, None))
            elif key == "End":
                kind, obj = stack.pop()
                if depth:
                    if kind == _IMAGE:
                        depth -= 1
                        end = rng["end"]
                        if depth == 0:
                            assert img is not None
                            end = _collapsed_end(raw, img.info, end)
                            image, attr_end = self._image(raw, char, img, end)
                            split, link, img = img.split, img.link, None
                            if image is None:
                                continue
                            if links:
                                links[-1].images.append(image)
                            if want_context:
                                pending.append((image, split, link))
                            else:
                                result.images.append(image)
                        else:
                            end = _collapsed_end(raw, obj, end)
                            img.last = max(img.last, end)  # type: ignore[union-attr]
                            _, attr_end = self._attr_block_at(raw, char, end)
                        if attr_end is not None:
                            skip_from, skip_until = end, attr_end
                    else:
                        img.last = max(img.last, rng["end"])  # type: ignore[union-attr]
                    continue
                if kind == _LINK or kind == _AUTOLINK:
                    links.pop()
                    if kind == _AUTOLINK:
                        autolink -= 1
                    text_run = False
                elif kind == _BLOCK:
                    if pending:
                        self._flush(pending, pieces)
                        pending = []
                    pieces = [] if want_context else None
                    text_run = False
                else:
                    text_run = False
            else:  # Html inside an HTML block (fed whole at its start), footnotes, math, task markers
                if depth:
                    img.last = max(img.last, rng["end"])  # type: ignore[union-attr]
                text_run = False
        if pending:  # an image outside any block (pulldown-cmark always has one)
            self._flush(pending, pieces)

    def _flush(self, pending: list[tuple[Image, int, Link | None]], pieces: list[str] | None) -> None:
        """The images of one inline run, with their context (the run's text is complete now)."""
        images = self.result.images
        for image, split, link in pending:
            if link is not None or needs_verdict(image):
                ctx = context_pairs(image, link, pieces or [], split)
                if ctx:
                    image = dc_replace(image, context=ImageContext.from_pairs(ctx))
            images.append(image)

    # ------------------------------------------------------------------ pieces

    def _code_block(self, raw: bytes, char: Callable[[int], int], s: int, e: int) -> None:
        """A code block's whole lines (container prefixes and fences included), as markdown-it's map.
        ``raw`` ends its lines with LF only (see ``_walk``)."""
        ls = raw.rfind(b"\n", 0, s) + 1
        if e > s and raw[e - 1 : e] != b"\n":
            nl = raw.find(b"\n", e)
            e = nl + 1 if nl >= 0 else len(raw)
        if e == len(raw):  # an unclosed block ends at the last line break before a blank last line
            last = raw.rfind(b"\n", 0, e) + 1
            if last > ls and not raw[last:e].strip():
                e = last
        a, b = char(ls), char(e)
        if b > a:
            self.result.excluded.append(Span(a, b))

    def _attr_block_at(self, raw: bytes, char: Callable[[int], int], end: int) -> tuple[re.Match[str] | None, int | None]:
        """The attribute block right after an image that ends at byte ``end`` (its match in the
        text, and the byte offset past it), or (None, None)."""
        if raw[end : end + 1] != b"{":
            return None, None
        m = ATTRS_RE.match(self.text, char(end))
        if m is None:
            return None, None
        _check_attr_block(m.group())
        return m, end + len(m.group().encode("utf-8"))

    def _image(
        self, raw: bytes, char: Callable[[int], int], img: _Img, end: int
    ) -> tuple[Image | None, int | None]:
        text = self.text
        info = img.info
        s = char(img.start)
        e = char(end)
        label_start = s + 2
        lb = raw.find(b"]", max(img.start + 2, img.last))
        label_end = char(lb) if 0 <= lb < end else e - 1
        after = label_end + 1

        if after < e and text[after] == "(" and _GLUED_TITLE_RE.match(text, after, e):
            return None, None  # not an image to CommonMark (and markdown-it): see _GLUED_TITLE_RE
        ref_kind, ref = reference(text, label_start, label_end, e)
        attrs_style = alt_quote = None
        alt = "".join(img.alt)
        alt_start, alt_end = label_start, label_end
        attrs: tuple[tuple[str, str | None], ...] = ()
        el_end = e
        m, attr_end = self._attr_block_at(raw, char, end)
        if m is not None:
            el_end = m.end()
            attrs, attrs_style, alt_item = attr_block(text, (m.start(), m.end()))
            if alt_item is not None:
                alt, alt_start, alt_end, alt_quote = alt_item
        hints = MarkdownHints(ref_kind, ref, attrs_style, alt_quote) if (ref_kind or attrs_style) else None

        lang, lang_source = self.lang, self.lang_source
        hidden, ctx_lang, ctx_src = context_at(self.scanner, s)
        if ctx_lang is not None:
            lang, lang_source = ctx_lang, ctx_src
        image = md_image(
            self.path,
            self.index,
            (s, el_end),
            normalize_link(info.get("dest_url") or ""),
            alt,
            (alt_start, alt_end),
            info.get("title") or None,
            (hidden, lang, lang_source),
            attrs,
            hints,
        )
        return image, attr_end

