"""Markdown / MDX: images with exact source spans, raw HTML handed to the HTML scanner.

CommonMark semantics come from markdown-it-py (``MarkdownIt("commonmark")``).
markdown-it works on a newline-normalised copy of the body and on block
*content* (container prefixes and indentation stripped), so positions are
recovered in two steps:

1. inline rules ``image``, ``html_inline`` and ``backticks`` are wrapped to
   record ``state.pos`` before/after the rule in the pushed token's ``meta``
   (only for the top-level inline state of a block: images nested in another
   image's alt are alt text);
2. each content line of a block is aligned with its normalised source line (it
   is a suffix of it, modulo trailing whitespace / a heading's closing ``#``
   sequence, and spaces synthesised from a partially consumed tab), and a
   normalised offset is mapped back to the original text (``\\r\\n`` / lone
   ``\\r`` kept) through per-line deltas.

A position that cannot be aligned is never guessed: the image is reported as a
``FileError`` instead.

Only blocks whose content can hold an image or raw HTML (``![``, ``<``) are
inline-parsed; code spans of the other blocks are found by a small scanner that
is exact when the block has no ``[`` or ``<``.

Context for the decorative-image judgement (``altbot.decorative``), in
``Image.context`` (an ``ImageContext``), from the block's inline tokens:

``in_link``, ``link_href``, ``link_title``
    the image is inside a Markdown link ``[...](href "title")`` (or an
    autolink), with that link's destination and title.
``link_text``
    the link's own text (text and code spans; no image's alt), whitespace
    collapsed: ``[![](icon.png) Home](/)`` → ``Home``.
``link_only_image``
    ``"1"`` when the image is the link's only content: no other text and no
    other image with a non-empty alt (``[![](logo.png)](/)``).
``adjacent_text``
    up to ~80 characters of the block's text right before and after the
    image (joined by a space), only for images whose alt is empty or blank.

Images in raw HTML get the HTML scanner's keys (``altbot.parse.html``).

MDX: a top-level paragraph that starts with ``import``/``export`` and a space
(or has such a line right after a line of JSX tags and expressions only, anywhere in it,
which mdxjs reads as a flow element that interrupts the paragraph: ``jsx.flow_esm_start``)
starts an ESM block, JavaScript as far as ``jsx.esm_blocks`` reads it: its
tokens are skipped (no image, code span or comment of Markdown's in it) and
the block is recorded in ``ParseResult.esm`` for the JSX scanner. A Markdown
image or ``{/* altbot-ignore */}`` inside top-level JavaScript or a JSX tag
(``jsx.code_regions``: ``{"![a](b.png)"}``, ``<Card title="![a](b.png)" />``)
is none; an escaped ``\\{/* altbot-ignore */}`` is text, no comment. A Markdown image's
alt is text: ``parse_source`` hands its span to the JSX scanner as excluded, so
``![<img src="x.png" />](y.png)`` is one image, as in mdxjs.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace as dc_replace
from types import SimpleNamespace

from altbot.model import FileError, Image, ImageContext, LineIndex, MarkdownHints, Span, Syntax
from altbot.parse.base import ParseResult
from altbot.parse.markdown_common import ATTRS_RE as _ATTRS_RE
from altbot.parse.markdown_common import Link as _Link
from altbot.parse.markdown_common import attr_block, md_image, reference
from altbot.parse.markdown_common import context_pairs
from altbot.parse.markdown_common import TagFeeder, context_at
from altbot.parse.markdown_common import make_scanner as _common_make_scanner
from altbot.parse.markdown_common import needs_verdict as _needs_verdict

TYPE_CHECKING = False  # typing is for the type checker only: a check never imports it
if TYPE_CHECKING:
    from typing import Any

    from markdown_it import MarkdownIt
    from markdown_it.rules_inline.state_inline import StateInline

__all__ = ["parse_markdown"]

_TOP = "__altbot_top_state"
_META = "altbot_span"
_ATTR_META = "altbot_attrs"

_NEWLINE_RE = re.compile(r"\r\n?|\n")

# MDX comments ``{/* altbot-ignore */}``: what ``\{[ \t\r\n]*/\*((?:[^*]|\*(?!/))*)\*/[ \t\r\n]*\}``
# matches, found by _mdx_comment_spans without rescanning for a missing ``*/``.
_MDX_OPEN_RE = re.compile(r"\{[ \t\r\n]*/\*")
_MDX_WS_RE = re.compile(r"[ \t\r\n]*")

# Code spans in blocks without ``[`` / ``<``: only escapes and backtick runs matter.
_ESC_OR_TICKS_RE = re.compile(r"\\[\s\S]|`+")
_TICKS_RE = re.compile(r"`+")
_CLOSERS: dict[int, re.Pattern[str]] = {}

_HEADING_TAIL_RE = re.compile(r"[ \t]*(?:#+[ \t]*)?\Z")
_WS_TAIL_RE = re.compile(r"[ \t\f\v]*\Z")


class _Unaligned(Exception):
    """A content offset that cannot be mapped back to the source with certainty."""


# --------------------------------------------------------------------------- parser


def _wrap(rule: Any, kind: str, attrs: bool) -> Any:
    def wrapped(state: StateInline, silent: bool) -> bool:
        pos = state.pos
        n = len(state.tokens)
        ok = rule(state, silent)
        if not ok:
            return False
        attr_span = None
        if attrs and state.pos < state.posMax and state.src[state.pos] == "{":
            m = _ATTRS_RE.match(state.src, state.pos, state.posMax)
            if m is not None:
                attr_span = (m.start(), m.end())
                state.pos = m.end()
        if not silent and len(state.tokens) > n and state.env.get(_TOP) is state:
            tok = state.tokens[-1]
            if tok.type == kind:
                tok.meta[_META] = (pos, state.pos)
                if attr_span is not None:
                    tok.meta[_ATTR_META] = attr_span
        return True

    return wrapped


def _build(mdx: bool) -> MarkdownIt:
    from markdown_it import MarkdownIt, rules_inline

    md = MarkdownIt("commonmark")
    # We normalise newlines ourselves and inline-parse only the blocks that matter.
    md.core.ruler.disable(["normalize", "inline", "text_join"])
    ruler = md.inline.ruler
    ruler.at("image", _wrap(rules_inline.image, "image", attrs=not mdx))
    ruler.at("html_inline", _wrap(rules_inline.html_inline, "html_inline", attrs=False))
    ruler.at("backticks", _wrap(rules_inline.backtick, "code_inline", attrs=False))
    if mdx:
        # MDX v2: no indented code; ``<...>`` is JSX, handled by another scanner.
        md.block.ruler.disable(["code", "html_block"])
        md.inline.ruler.disable(["html_inline"])
    return md


_MD: dict[bool, MarkdownIt] = {}


def _md(mdx: bool) -> MarkdownIt:
    md = _MD.get(mdx)
    if md is None:
        md = _MD[mdx] = _build(mdx)
    return md


def _make_scanner(
    text: str, path: str, index: LineIndex, lang: str | None, lang_source: str | None, context: bool = True
) -> Any:
    return _common_make_scanner(text, path, index, lang, lang_source, context)


# --------------------------------------------------------------------------- positions


class _Doc:
    """The normalised body and the way back to offsets in the original text."""

    def __init__(self, text: str, start: int) -> None:
        body = text[start:]
        self.start = start
        has_cr = "\r" in body
        norm = _NEWLINE_RE.sub("\n", body) if has_cr else body
        if "\0" in norm:
            norm = norm.replace("\0", "\ufffd")
        self.norm = norm
        self._has_cr = has_cr
        self._body = body
        self._nls: list[int] | None = None
        self._delta: list[int] | None = None

    @property
    def nls(self) -> list[int]:
        if self._nls is None:
            self._nls = [0]
            self._nls.extend(m.end() for m in re.finditer("\n", self.norm))
            if self._has_cr:
                ols = [0]
                ols.extend(m.end() for m in _NEWLINE_RE.finditer(self._body))
                self._delta = [o - n for o, n in zip(ols, self._nls)]
        return self._nls

    def line(self, i: int) -> tuple[int, str]:
        nls = self.nls
        s = nls[i]
        e = nls[i + 1] - 1 if i + 1 < len(nls) else len(self.norm)
        return s, self.norm[s:e]

    def line_start(self, i: int) -> int:
        """Original offset of the start of normalised line ``i`` (or the end of the text)."""
        nls = self.nls
        if i >= len(nls):
            return self.start + len(self._body)
        return self.orig(nls[i])

    def orig(self, npos: int) -> int:
        if not self._has_cr:
            return self.start + npos
        nls = self.nls
        assert self._delta is not None
        return self.start + npos + self._delta[bisect.bisect_right(nls, npos) - 1]


class _Block:
    """Maps offsets in a block token's content to original offsets."""

    def __init__(self, doc: _Doc, content: str, line0: int, heading: bool) -> None:
        self.doc = doc
        lines = content.split("\n")
        starts = []
        c = 0
        for ln in lines:
            starts.append(c)
            c += len(ln) + 1
        self.starts = starts
        self.align: list[tuple[int, int] | None] = []
        nlines = len(doc.nls)
        tail_re = _HEADING_TAIL_RE if heading else _WS_TAIL_RE
        for i, ln in enumerate(lines):
            li = line0 + i
            if li >= nlines:
                self.align.append(None)
                continue
            s0, src = doc.line(li)
            self.align.append(_align_line(ln, src, s0, tail_re))

    def orig(self, c: int) -> int:
        li = bisect.bisect_right(self.starts, c) - 1
        a = self.align[li]
        if a is None:
            raise _Unaligned(c)
        base, pad = a
        off = c - self.starts[li]
        if off < pad:  # inside spaces synthesised from a tab: no token starts there
            off = pad
        return self.doc.orig(base + off - pad)


def _align_line(ln: str, src: str, s0: int, tail_re: re.Pattern[str]) -> tuple[int, int] | None:
    """Where content line ``ln`` sits in source line ``src`` (normalised offset, pad)."""
    if not ln:
        return (s0 + len(src), 0)
    p = src.rfind(ln)
    if p >= 0 and tail_re.match(src, p + len(ln)):
        return (s0 + p, 0)
    body = ln.lstrip(" ")
    pad = len(ln) - len(body)
    if pad and body:
        p = src.rfind(body)
        if p > 0 and src[p - 1] == "\t" and tail_re.match(src, p + len(body)):
            return (s0 + p, pad)
    if pad and not body:
        return (s0 + len(src), pad)
    return None


_LINK_DEST_RE = re.compile(r"\]\(")


def _tick_in_link(s: str) -> bool:
    """Whether a backtick may sit in an inline link's destination or title.

    Only then can a link change where code spans are (``[a](`b`)`` has none);
    link *text* does not matter: code spans take precedence inside it.
    """
    close = tick = -1  # the next ')' and '`' found so far: reused while still ahead
    for m in _LINK_DEST_RE.finditer(s):
        start = m.end()
        if 0 <= close < start:
            close = -1
        if close < 0:
            close = s.find(")", start)
            if close < 0:
                close = len(s)
        if tick < start:
            tick = s.find("`", start)
            if tick < 0:
                return False  # no backtick after this point at all
        if tick < close:
            return True
    return False


def _code_spans(s: str) -> list[tuple[int, int]]:
    """Code spans of inline content without ``<`` (only escapes and backtick runs matter).

    Exact unless a link destination/title holds a backtick, see ``_tick_in_link``.
    """
    last: dict[int, int] = {}
    for m in _TICKS_RE.finditer(s):
        last[m.end() - m.start()] = m.start()
    out = []
    pos = 0
    while True:
        m = _ESC_OR_TICKS_RE.search(s, pos)
        if m is None:
            break
        pos = m.end()
        if s[m.start()] == "\\":
            continue
        n = pos - m.start()
        if last.get(n, -1) < pos:
            continue
        closer = _CLOSERS.get(n)
        if closer is None:
            closer = _CLOSERS[n] = re.compile(r"(?<!`)`{%d}(?!`)" % n)
        c = closer.search(s, pos)
        if c is None:  # pragma: no cover - ``last`` says there is one
            continue
        out.append((m.start(), c.end()))
        pos = c.end()
    return out


# --------------------------------------------------------------------------- main


def parse_markdown(
    text: str,
    path: str,
    index: LineIndex,
    *,
    start: int = 0,
    lang: str | None = None,
    lang_source: str | None = None,
    mdx: bool = False,
    context: bool = True,
    engine: str | None = None,
    markdown_html: bool = False,
    balanced_html: bool | str = False,
    paragraph_tags: tuple[tuple[int, int], ...] | list[tuple[int, int]] = (),
) -> ParseResult:
    """Images of a Markdown (or MDX) body ``text[start:]``; offsets are into ``text``.

    Raw HTML is scanned by one ``HtmlScanner`` per document (not in MDX mode, where
    JSX is another scanner's job); its images, ignore marks and errors are merged
    into the result. Code blocks and code spans go to ``excluded``. ``context=False``
    computes no ImageContext (link text, adjacent text), here or in raw HTML. Never raises.

    ``markdown_html``: an HTML block whose tag has a ``markdown`` attribute holds Markdown (MkDocs'
    md_in_html, kramdown). ``balanced_html``: ``"raw"`` (or True) reads HTML blocks as
    Python-Markdown and kramdown do, up to the matching end tag, and ``"markdown"`` as kramdown's
    ``parse_block_html`` does (``parse.blocks.balanced_html_blocks``). ``paragraph_tags``: tags
    that start a line but begin no HTML block (Python-Markdown's admonition, details and tab
    content, ``parse.blocks.paragraph_tags``): the Markdown parser reads each as ``FILLER`` text
    (its line stays in the paragraph; context and alt texts drop it), the HTML scanner as written.

    ``engine``: ``"pulldown"`` (pulldown-cmark through pyromark, the default for Markdown
    where pyromark is installed), or ``"markdown-it"`` (markdown-it-py: MDX, and the exact
    fallback). Both give the same result (tests/test_markdown_engines.py). The pulldown engine
    hands markdown-it what it cannot read exactly: a text with a NUL or a lone surrogate, and
    one whose attribute block holds Markdown punctuation (see ``markdown_pulldown``).
    """
    start = max(0, min(start, len(text)))
    raw_blocks: list[tuple[int, int]] = []
    tags: list[tuple[int, int]] = []
    filled: set[tuple[int, int]] = set()  # of tags, those the Markdown parser reads as FILLER text
    if (markdown_html or balanced_html) and not mdx:
        from altbot.parse import blocks

        if markdown_html:
            tags = [t for t in blocks.markdown_tags(text) if t[0] >= start]
        if balanced_html:  # Python-Markdown's and kramdown's HTML blocks: raw up to the matching end tag
            raw_blocks, blanks, as_text = blocks.balanced_html_blocks(
                text, start, skip_markdown=markdown_html, markdown_inside=balanced_html == "markdown"
            )
            tags = _apart(sorted(tags + blanks + as_text))
            filled.update(as_text)
    if paragraph_tags and not mdx:
        mine = {t for t in paragraph_tags if t[0] >= start}
        tags = _apart(sorted(tags + list(mine)))
        filled.update(mine)
    letters = frozenset(t for t in tags if t in filled)
    result = _parse_markdown(text, path, index, start, lang, lang_source, mdx, context, engine, tags, letters)
    if raw_blocks:  # a Markdown image inside one is text to the generator
        result.images = [
            im for im in result.images
            if im.syntax is not Syntax.MARKDOWN or blocks.containing(raw_blocks, im.element_span.start) is None
        ]
    return result


def _apart(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans without those that overlap an earlier one."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if not out or s >= out[-1][1]:
            out.append((s, e))
    return out


def _parse_markdown(text, path, index, start, lang, lang_source, mdx, context, engine, tags, letters=frozenset()) -> ParseResult:
    """``parse_markdown`` on ``text`` as the Markdown parser reads it: ``tags`` blanked, which
    the HTML scanner reads (and the page) as written."""
    result = ParseResult(lang=lang, lang_source=lang_source)
    make = _make_scanner
    made: list[Any] = []
    if tags:
        from altbot.parse.blocks import open_markdown_html

        html_text, text = text, open_markdown_html(text, tags, letters)

        def make(_read, *args, **kw):
            made.append(TagFeeder(_make_scanner(html_text, *args, **kw), tags))
            return made[-1]

    try:
        if not mdx and engine != "markdown-it" and _pulldown() is not None:
            from altbot.parse import markdown_pulldown

            try:
                if markdown_pulldown.parse_body(
                    text, path, index, start, lang, lang_source, result, context=context, make_scanner=make
                ):
                    if tags and not made:  # nothing else for the scanner: the blanked tags are still HTML
                        extra = {} if context else {"context": False}
                        result.extend(make(text, path, index, lang, lang_source, **extra).finish())
                    return result
            except markdown_pulldown.MarkupInAttributeBlock:
                result = ParseResult(lang=lang, lang_source=lang_source)  # markdown-it reads it
        if engine == "pulldown" and _pulldown() is None:
            raise RuntimeError("pyromark is not installed")
        _Parser(text, path, index, start, lang, lang_source, mdx, result, context, make).run()
    except Exception as exc:  # never raise: report instead
        result.errors.append(
            FileError(path, f"internal error while parsing Markdown ({type(exc).__name__}: {exc})")
        )
    return result


_PULLDOWN: list[Any] = []


def _pulldown() -> Any:
    """The pyromark module, or None where it is not installed (no wheel for the platform)."""
    if not _PULLDOWN:
        try:
            import pyromark
        except ImportError:  # pragma: no cover - a dependency; markdown-it stays exact
            pyromark = None
        _PULLDOWN.append(pyromark)
    return _PULLDOWN[0]


class _Parser:
    def __init__(
        self,
        text: str,
        path: str,
        index: LineIndex,
        start: int,
        lang: str | None,
        lang_source: str | None,
        mdx: bool,
        result: ParseResult,
        context: bool = True,
        make_scanner: Any = None,
    ) -> None:
        self.make_scanner = make_scanner or _make_scanner
        self.text = text
        self.path = path
        self.index = index
        self.start = max(0, min(start, len(text)))
        self.lang = lang
        self.lang_source = lang_source
        self.mdx = mdx
        self.result = result
        self.context = context
        self.md = _md(mdx)
        self.scanner: Any = None

    def run(self) -> None:
        doc = _Doc(self.text, self.start)
        if not self.mdx:
            # context is passed only when off: a stand-in scanner need not know it
            extra = {} if self.context else {"context": False}
            self.scanner = self.make_scanner(self.text, self.path, self.index, self.lang, self.lang_source, **extra)
        try:
            self._walk(doc)
        finally:
            if self.scanner is not None:
                self.result.extend(self.scanner.finish())
        if self.mdx:
            regions = self._mdx_code()
            self._mdx_comments(regions)

    def _walk(self, doc: _Doc) -> None:
        md = self.md
        env: dict[str, Any] = {}
        tokens = md.parse(doc.norm, env)
        mdx = self.mdx
        excluded = self.result.excluded
        heading = False
        esm = self._esm(doc, tokens) if mdx else []  # (first, last) lines of each ESM block
        k = 0
        for tok in tokens:
            if esm and tok.map is not None:
                while k < len(esm) and esm[k][1] < tok.map[0]:
                    k += 1
                if k < len(esm) and esm[k][0] <= tok.map[0]:
                    continue  # JavaScript: the JSX scanner reads it
            ttype = tok.type
            if ttype == "inline":
                content = tok.content
                if tok.map is None:
                    continue
                bang = content.find("![")
                # an image needs a "]" after its "![": a block without one holds none (and its
                # inline parse was the cost of a run of "![": markdown-it tries each as a label)
                if (bang >= 0 and content.find("]", bang + 2) >= 0) or "<" in content or ("`" in content and _tick_in_link(content)):
                    self._inline(doc, tok, env, heading)
                elif "`" in content:
                    spans = _code_spans(content)
                    if spans:
                        blk = _Block(doc, content, tok.map[0], heading)
                        for s, e in spans:
                            self._exclude(blk, s, e)
            elif ttype == "heading_open":
                heading = tok.markup.startswith("#")
            elif ttype == "heading_close":
                heading = False
            elif ttype in ("fence", "code_block"):
                if tok.map is not None:
                    s = doc.line_start(tok.map[0])
                    e = doc.line_start(tok.map[1])
                    if e > s:
                        excluded.append(Span(s, e))
            elif ttype == "html_block" and not mdx:
                if tok.map is not None:
                    self._html_block(doc, tok)

    def _esm(self, doc: _Doc, tokens: list[Any]) -> list[tuple[int, int]]:
        """MDX ESM: a top-level paragraph whose first line starts with ``import`` or ``export``
        and a space (so not one continuing a paragraph, nor in a container) starts a block of
        JavaScript, as far as ``jsx.esm_blocks`` reads it. Records each block in
        ``result.esm``; returns the (first, last) normalised lines of each."""
        from altbot.parse.jsx import Scanner, esm_blocks, flow_esm_start

        starts = []
        norm = doc.norm
        sc = None  # one scanner for every paragraph: its memo keeps them linear together
        for tok in tokens:
            if tok.type == "paragraph_open" and tok.level == 0 and tok.map is not None:
                s0, line = doc.line(tok.map[0])
                if line.startswith(("import ", "export ")):
                    starts.append(s0)
                    continue
                e = doc.nls[tok.map[1]] if tok.map[1] < len(doc.nls) else len(norm)
                if norm.find("\nimport ", s0, e) >= 0 or norm.find("\nexport ", s0, e) >= 0:
                    # an import/export line in the paragraph: ESM if it follows a line of JSX only
                    if sc is None:
                        sc = Scanner(norm)
                    a = flow_esm_start(norm, s0, e, sc)
                    if a is not None:
                        starts.append(a)
        if not starts:
            return []

        out = []
        nls = doc.nls
        for b in esm_blocks(doc.norm, 0, (), starts):
            out.append((bisect.bisect_right(nls, b.start) - 1, bisect.bisect_right(nls, b.end) - 1))
            self.result.esm.append(Span(doc.orig(b.start), doc.orig(b.end)))
        return out

    def _mdx_code(self) -> list[Span]:
        """MDX: the JavaScript and JSX tags at the top level (``jsx.code_regions``). A Markdown
        image in one (``{"![a](b.png)"}``, ``<Card title="![a](b.png)" />``) is no image: dropped.
        Returns them, in order, for the comments."""
        result = self.result
        text = self.text
        if not result.images and text.find("/*", self.start) < 0:
            return []
        from altbot.parse.jsx import code_regions

        regions = code_regions(text, self.index, start=self.start, excluded=list(result.excluded), esm=result.esm)
        regions.sort(key=lambda r: r.start)
        if regions and result.images:
            starts = [r.start for r in regions]
            kept = []
            for im in result.images:
                p = im.element_span.start
                i = bisect.bisect_right(starts, p) - 1
                if i < 0 or regions[i].end <= p:
                    kept.append(im)
            result.images = kept
        return regions

    def _exclude(self, blk: _Block, s: int, e: int) -> None:
        try:
            os_, oe = blk.orig(s), blk.orig(e)
        except _Unaligned:
            return
        if oe > os_:
            self.result.excluded.append(Span(os_, oe))

    def _html_block(self, doc: _Doc, tok: Any) -> None:
        content = tok.content
        if content.endswith("\n"):
            content = content[:-1]
        blk = _Block(doc, content, tok.map[0], False)
        try:
            s = blk.orig(0)
            e = blk.orig(len(content))
        except _Unaligned:
            # fall back to the whole lines: still the block's own text
            s = doc.line_start(tok.map[0])
            e = doc.line_start(tok.map[1])
        if e > s:
            self.scanner.feed(s, e)

    def _inline(self, doc: _Doc, tok: Any, env: dict[str, Any], heading: bool) -> None:
        from markdown_it.rules_core.text_join import text_join
        from markdown_it.rules_inline.state_inline import StateInline

        md = self.md
        content = tok.content
        children: list[Any] = []
        tok.children = children
        state = StateInline(content, md, env, children)
        env[_TOP] = state
        try:
            md.inline.tokenize(state)
            for rule in md.inline.ruler2.getRules(""):
                rule(state)
        finally:
            env.pop(_TOP, None)
        text_join(SimpleNamespace(tokens=[tok]))  # type: ignore[arg-type]
        children = tok.children  # text_join builds a new list: the old one still holds the joined-away pieces
        blk: _Block | None = None
        links: list[_Link] = []  # open links, innermost last
        found: list[tuple[int, Image, _Link | None]] = []  # (child index, image, its innermost link)
        for ci, child in enumerate(children):
            ctype = child.type
            if links:
                if ctype == "text" or ctype == "code_inline":
                    links[-1].text.append(child.content)
                elif ctype == "softbreak" or ctype == "hardbreak":
                    links[-1].text.append(" ")
                elif ctype == "link_close":
                    links.pop()
            if ctype == "link_open":
                links.append(_Link(child.attrGet("href"), child.attrGet("title")))
            span = child.meta.get(_META) if child.meta else None
            if span is None:
                continue
            if blk is None:
                blk = _Block(doc, content, tok.map[0], heading)
            ctype = child.type
            if ctype == "code_inline":
                self._exclude(blk, span[0], span[1])
            elif ctype == "html_inline":
                if self.scanner is not None:
                    try:
                        s, e = blk.orig(span[0]), blk.orig(span[1])
                    except _Unaligned:
                        self.result.errors.append(self._error(doc, tok, "raw HTML"))
                        continue
                    self.scanner.feed(s, e)
            elif ctype == "image":
                try:
                    image = self._image(blk, content, child, span, env)
                except _Unaligned:
                    self.result.errors.append(self._error(doc, tok, "an image"))
                    continue
                link = links[-1] if links else None
                if link is not None:
                    link.images.append(image)
                found.append((ci, image, link))
        if not self.context:
            self.result.images.extend(image for _, image, _ in found)
            return
        text_at: list[int] | None = None  # indices of the children with text, for adjacent text
        pieces: list[str] = []  # their texts
        for ci, image, link in found:
            verdict = _needs_verdict(image)
            if verdict and text_at is None:
                text_at = [k for k, child in enumerate(children) if _token_text(child)]
                pieces = [_token_text(children[k]) for k in text_at]
            if link is None and not verdict:
                ctx = None
            else:
                split = bisect.bisect_left(text_at, ci) if text_at is not None else 0
                ctx = context_pairs(image, link, pieces, split)
            if ctx:
                image = dc_replace(image, context=ImageContext.from_pairs(ctx))
            self.result.images.append(image)

    def _error(self, doc: _Doc, tok: Any, what: str) -> FileError:
        line, col = self.index.position(doc.line_start(tok.map[0]))
        return FileError(
            self.path,
            f"could not locate {what} of this Markdown block exactly in the source; it was skipped",
            line,
            col,
        )

    def _image(self, blk: _Block, src: str, tok: Any, span: tuple[int, int], env: dict[str, Any]) -> Image:
        s, e = span
        label_start = s + 2
        label_end = label_start + len(tok.content)
        attr_span = tok.meta.get(_ATTR_META)
        main_end = attr_span[0] if attr_span is not None else e

        ref_kind, ref = reference(src, label_start, label_end, main_end)
        attrs_style = alt_quote = None
        alt = self.md.renderer.renderInlineAsText(tok.children, self.md.options, env)
        alt_start, alt_end = blk.orig(label_start), blk.orig(label_end)
        attrs: tuple[tuple[str, str | None], ...] = ()
        if attr_span is not None:
            attrs, attrs_style, alt_item = attr_block(src, attr_span)
            if alt_item is not None:
                alt, vs, ve, alt_quote = alt_item
                alt_start, alt_end = blk.orig(vs), blk.orig(ve)
        hints = MarkdownHints(ref_kind, ref, attrs_style, alt_quote) if (ref_kind or attrs_style) else None
        el_start, el_end = blk.orig(s), blk.orig(e)

        hidden = None
        lang, lang_source = self.lang, self.lang_source
        if self.scanner is not None:
            h, ctx_lang, ctx_src = context_at(self.scanner, el_start)
            hidden = h
            if ctx_lang is not None:
                lang, lang_source = ctx_lang, ctx_src
        title = tok.attrGet("title")
        return md_image(
            self.path,
            self.index,
            (el_start, el_end),
            str(tok.attrGet("src") or ""),
            alt,
            (alt_start, alt_end),
            str(title) if title is not None else None,
            (hidden, lang, lang_source),
            attrs,
            hints,
        )

    def _mdx_comments(self, regions: list[Span]) -> None:
        """``{/* … */}`` comments: suppressions, and excluded, with the Markdown images written in
        them. Not in code (a string, a code span) nor in JavaScript or a JSX tag (``regions``, in
        order)."""
        text = self.text
        if text.find("/*", self.start) < 0:
            return
        result = self.result
        ex = sorted((sp.start, sp.end) for sp in result.excluded)
        ex_starts = [a for a, _ in ex]
        js_starts = [r.start for r in regions]
        found = []
        for start, end, body in _mdx_comment_spans(text, self.start):
            i = bisect.bisect_right(ex_starts, start) - 1
            if i >= 0 and ex[i][1] > start:
                continue
            i = bisect.bisect_right(js_starts, start) - 1
            if i >= 0 and regions[i].start < start < regions[i].end:
                continue
            result.comment(body, end)
            found.append(Span(start, end))
        result.excluded.extend(found)
        if found and result.images:  # a Markdown image in a comment is no image (mdxjs renders nothing)
            starts = [sp.start for sp in found]
            kept = []
            for im in result.images:
                i = bisect.bisect_right(starts, im.element_span.start) - 1
                if i < 0 or found[i].end <= im.element_span.start:
                    kept.append(im)
            result.images = kept


def _mdx_comment_spans(text: str, pos: int):
    """(start, end, body) of each ``{/* ... */}`` from ``pos``, in linear time (see ``_MDX_OPEN_RE``);
    not one whose ``{`` is escaped (``\\{/* … */}`` is text in mdxjs)."""
    from altbot.parse.jsx import is_escaped

    n = len(text)
    start = pos
    close = -1  # the next '*/' found so far
    after: dict[int, int] = {}  # '*/' offset -> offset past the blanks that follow it
    while True:
        m = _MDX_OPEN_RE.search(text, pos)
        if m is None:
            return
        body = m.end()
        if close < body:
            close = text.find("*/", body)
            if close < 0:
                return  # no comment can end any more
        k = after.get(close)
        if k is None:
            k = after[close] = _MDX_WS_RE.match(text, close + 2).end()
        if k < n and text[k] == "}" and not is_escaped(text, m.start(), start):
            yield m.start(), k + 1, text[body:close]
            pos = k + 1
        else:
            pos = m.start() + 1






def _token_text(t: Any) -> str:
    ttype = t.type
    if ttype == "text" or ttype == "code_inline":
        return t.content
    if ttype == "softbreak" or ttype == "hardbreak":
        return " "
    return ""
