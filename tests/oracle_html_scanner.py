# Test-only oracle: a copy of altbot/parse/html.py as of commit 0dcfb26 (before issue 12
# rewrote its hot path). tests/test_html_equivalence.py checks that the product scanner
# finds exactly what this one finds. Its tokenizer is not to be optimised or rewritten;
# a change of what the scanner means (which tags are images, how a name is computed) is
# made here too, in this file's own plain way: `<image>` as `img` in HTML content, and
# names from content with descendants' text alternatives (_content_name; aria-label is
# one more attribute that sends a tag to _start_tag), where a block's tags separate words
# (_name_token). Do not import it from altbot.
"""Span-exact HTML scanner: finds images and what names them.

A small regex-driven tokenizer instead of a library parser, because we need
the character offsets of attribute *values* (to edit them in place) and must
survive template syntax (Jinja, Liquid, Go/Hugo, Nunjucks, Handlebars, ERB)
anywhere in the markup.

What it models of the HTML tokenizer: tags with double-, single-, unquoted
and bare attributes; comments (``<!-- -->``, bogus ``<!x>``/``<?x>``/``</ x>``);
raw-text/RCDATA elements (script, style, textarea, title, ...); foreign
content (an svg ``<title>`` is ordinary content and names the svg). The tree
is a plain open-element stack, good enough to inherit ``aria-hidden``,
``hidden``, ``display:none`` and ``lang``. Template blocks are opaque in text
and between attributes, and balanced blocks inside quoted values may contain
the quote character (Hugo ``src="{{ "a.svg" | relURL }}"``).

Accessible-name semantics follow the accname computation as used by axe-core
(image-alt, input-image-alt, area-alt, role-img-alt, svg-img-alt) and ACT rule
23a2a8. ``aria-labelledby`` and ``<label for>`` are resolved in ``finish()``,
so forward references work.

Context for the decorative-image judgement (``altbot.decorative``) goes in
``Image.context`` (an ``ImageContext``), computed lazily (only for images, and
only when a link, button or figure is open; each open element points to the
nearest of these, so nothing walks the stack):

``in_link`` / ``in_button``
    ``"1"`` when the image is inside an ``<a>`` / ``<button>`` (the nearest one).
``link_href``, ``link_title``, ``link_label``
    the link's (or button's) ``href``, ``title`` and ``aria-label``, when set.
``link_text``
    the text content of that link or button (markup stripped, so no image's
    alt), whitespace collapsed; filled in ``finish()`` once the element closed.
``link_only_image`` / ``button_only_image``
    ``"1"`` when the image is that element's only content: no other text and
    no other image with a non-empty alt or name.
``figcaption``
    the text of the ``<figcaption>`` of the enclosing ``<figure>``.
``adjacent_text``
    up to ~80 characters of text right before and right after the image
    (joined by a space) within the same block: the scan stops at block-level
    tags, ``<br>``, comments and raw-text elements. Only for the images that
    need a decorative/informative verdict: alt absent, empty or blank, in the
    accessibility tree and not ``role=presentation``.

An element's text content (``link_text``, ``figcaption``, names from
``aria-labelledby`` and ``<label>``) is read from at most 2,000 characters of
its text and kept to 1,000: an element left open holds the rest of the page.
"""

from __future__ import annotations

import bisect
import re
from html import unescape

from altbot.model import FileError, HtmlHints, Image, ImageContext, LineIndex, Span, Syntax
from altbot.parse.base import IGNORE_FILE, IGNORE_NEXT, ParseResult, is_ignore_comment

__all__ = ["HtmlScanner", "parse_html"]

# ---------------------------------------------------------------- tables

VOID_ELEMENTS = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen frame basefont bgsound".split()
)
# Elements whose content is not markup, in HTML content (raw text and RCDATA).
RAW_TEXT_ELEMENTS = frozenset("script style textarea title xmp iframe noembed noframes plaintext".split())
# Inside svg/math only these stay opaque (an svg <title> is ordinary content).
RAW_TEXT_FOREIGN = frozenset(("script", "style"))
# Children of these are parsed as HTML again (HTML integration points, MathML text points).
_INTEGRATION_POINTS = frozenset("foreignobject desc title annotation-xml mi mo mn ms mtext".split())

# WAI-ARIA 1.2 global states and properties. aria-hidden is deliberately left
# out: `role="presentation" aria-hidden="true"` is the usual decorative idiom,
# and a hidden image is out of the tree anyway.
GLOBAL_ARIA = frozenset(
    (
        "aria-atomic",
        "aria-busy",
        "aria-controls",
        "aria-current",
        "aria-describedby",
        "aria-details",
        "aria-disabled",
        "aria-dropeffect",
        "aria-errormessage",
        "aria-flowto",
        "aria-grabbed",
        "aria-haspopup",
        "aria-invalid",
        "aria-keyshortcuts",
        "aria-label",
        "aria-labelledby",
        "aria-live",
        "aria-owns",
        "aria-relevant",
        "aria-roledescription",
    )
)

# Start tags that close an open <p> (HTML "close a p element" in button scope).
_P_CLOSERS = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hgroup hr li dd dt listing main menu nav ol p pre section summary table ul".split()
)
# Searching the stack for an element to close implicitly stops at these.
_SCOPE_BOUNDARY = frozenset("applet caption html table td th marquee object template button svg math".split())
_LI_BOUNDARY = _SCOPE_BOUNDARY | {"ul", "ol", "menu"}
_DD_BOUNDARY = _SCOPE_BOUNDARY | {"dl"}
_COUNTED = frozenset(
    ("p", "li", "dt", "dd", "td", "th", "tr", "tbody", "thead", "tfoot", "option", "optgroup", "rb", "rt", "rp", "rtc", "a")
)
# the adoption agency for an <a> while an <a> is open (HTML's lists, written out again here)
_ORACLE_FORMATTING = {"b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"}
_ORACLE_MARKERS = {"td", "th", "caption", "template", "object", "applet", "marquee", "html"}
_ORACLE_SPECIAL = set(
    """address applet area article aside base basefont bgsound blockquote body br button caption center col colgroup
    dd details dir div dl dt embed fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head
    header hgroup hr html iframe img input keygen li link listing main marquee menu meta nav noembed noframes
    noscript object ol p param plaintext pre script search section select source style summary table tbody td
    template textarea tfoot th thead title tr track ul wbr xmp""".split()
)
# Start tags that always take the full path (images, names, raw text, foreign content).
_SPECIAL_TAGS = RAW_TEXT_ELEMENTS | {"img", "image", "input", "area", "label", "svg", "math", "html"}

# ---------------------------------------------------------------- regexes

_NAME = r"[A-Za-z][^\t\n\f\r />{<]*"
# An attribute without template syntax, and unambiguous (every attribute is
# preceded by whitespace), so that a failed match backtracks in linear time.
_PLAIN_ATTR = (
    r"[\t\n\f\r ]+[^\t\n\f\r />={<\"'][^\t\n\f\r />={<\"']*"
    r"(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:\"[^\"{<]*\"|'[^'{<]*'|[^\t\n\f\r >\"'{<=`]+))?"
)
# Everything that can start markup or a template block in text. Simple end
# tags (group 1) and plain start tags (groups 2-4) are matched whole.
_CAND_TAGS = (
    r"<(?:/(" + _NAME + r")[\t\n\f\r ]*>"
    r"|(" + _NAME + r")((?:" + _PLAIN_ATTR + r")*)[\t\n\f\r ]*(/?)>"
    r"|[A-Za-z/!?%])"
)
_CAND = re.compile(_CAND_TAGS + r"|\{[{%#]")
# Once no template block can close any more, '{' needs no look at all (a page of
# '{' would otherwise cost a step per character).
_CAND_NO_TPL = re.compile(_CAND_TAGS)
# Attributes that make a plain start tag worth the full treatment (false
# positives inside values only cost time).
_INTERESTING_ATTR = re.compile(
    r"[\t\n\f\r ](?:id|lang|xml:lang|hidden|aria-hidden|style|role|aria-label)(?=[\t\n\f\r =/>]|$)", re.I
)
_TAG_NAME = re.compile(r"[A-Za-z][^\t\n\f\r />{<]*")
_WS_SLASH = re.compile(r"[\t\n\f\r /]*")
_EQ = re.compile(r"[\t\n\f\r ]*=[\t\n\f\r ]*")
# The common attribute: plain name, value without template syntax. Anything
# else (templates, `{`, `<`, odd characters) falls back to the careful path.
_FAST_ATTR = re.compile(
    r"([^\t\n\f\r />={<][^\t\n\f\r />={<]*)"
    r"(?:[\t\n\f\r ]*=[\t\n\f\r ]*"
    r"(?:\"([^\"{<]*)\"|'([^'{<]*)'|([^\t\n\f\r >\"'{<=`]+)(?=[\t\n\f\r >]))"
    r"|(?![\t\n\f\r ]*=)(?=[\t\n\f\r />]))"
)
# Attribute name in the careful path: the first character may be anything
# that is not whitespace, '/' or '>' (already checked); no template starts.
_SLOW_NAME = re.compile(r".(?:[^\t\n\f\r />=<{]|\{(?![{%#])|<(?!%))*", re.S)
_UNQUOTED = re.compile(r"(?:[^\t\n\f\r >{<]|\{(?![{%#])|<(?!%))*")
_DQ_STOP = re.compile(r"\"|\{[{%#]|<%")
_SQ_STOP = re.compile(r"'|\{[{%#]|<%")
_TPL_OPEN = re.compile(r"\{\{\{|\{\{<|\{\{%|\{\{|\{%|\{#|<%")
_TPL_CLOSE = {
    "{{{": ("}}}", "}}"),
    "{{<": (">}}", "}}"),
    "{{%": ("%}}", "}}"),
    "{{": ("}}",),
    "{%": ("%}",),
    "{#": ("#}",),
    "<%": ("%>",),
}
_HAS_TPL = re.compile(r"\{\{|\{%|<%")
_COMMENT_END = re.compile(r"--!?>")
# For text content of referenced elements: drop comments, script/style and tags.
_STRIP_MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1\s*>|\Z)|<[A-Za-z/!?][^>]*>?",
    re.S | re.I,
)
# In a name from content, a start or end tag of one of these elements reads as a space (the
# browsers' default blocks, list items, table parts and <br>: Chromium and axe-core separate
# their words); every other tag reads as nothing. The tag's name counts in ASCII case only.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote center details dir div dl fieldset figcaption figure footer form h1 h2 h3 "
    "h4 h5 h6 header hgroup hr li dd dt listing main menu nav ol p pre section summary table ul br legend search "
    "xmp plaintext option caption thead tbody tfoot tr td th".split()
)
_TOKEN_TAG = re.compile(r"</?([A-Za-z][^\t\n\f\r />]*)")


def _name_token(m: re.Match) -> str:
    """What a _STRIP_MARKUP token reads as in a name from content."""
    token = m.group()
    if m.group(1) is not None:  # script or style
        return ""
    tm = _TOKEN_TAG.match(token)
    if tm is None or tm.end() == len(token):  # a comment, <!x>, <?x>, or a tag cut before its end
        return ""
    name = tm.group(1)
    return " " if name.isascii() and name.lower() in _BLOCK_TAGS else ""


# An element's text content (names, link text, figcaption) is read from at most
# this many characters of its text and kept to _TEXT_MAX: an element left open
# holds the rest of the page, and every image inside a chain of them would
# otherwise copy it (quadratic time and memory).
_TEXT_READ = 2000
_TEXT_MAX = 1000
_PARTS_MAX = 256  # descendants a name from content looks at
_RAW_END: dict[str, re.Pattern[str]] = {}
# Where "adjacent text" stops: block-level tags, <br>/<hr>, comments, raw-text elements.
_BLOCK_EDGE = re.compile(
    r"<!|</?(?:p|div|li|ul|ol|dl|dt|dd|td|th|tr|table|caption|h[1-6]|section|article|header|footer|nav|main"
    r"|aside|figure|figcaption|blockquote|pre|form|fieldset|legend|body|html|head|br|hr|script|style|template"
    r"|noscript|textarea|title|select|button|details|summary|address|picture|video|audio|iframe|object|svg)"
    r"(?=[\t\n\f\r />])[^>]*>?",
    re.I,
)
# Block containers the adjacent-text walk may enter when a side has no text of its own.
_BLOCK_CROSS = re.compile(
    r"</?(?:p|div|li|dt|dd|td|th|h[1-6]|section|article|header|footer|main|aside|figure|figcaption|blockquote"
    r"|address|details|summary|caption|legend)(?=[\t\n\f\r />])",
    re.I,
)
# Template blocks in adjacent text: what ``re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|<%.*?%>", " ", s, flags=re.S)``
# replaces, found by _drop_templates without rescanning for a missing closer.
_ADJ_TPL_OPEN = re.compile(r"\{[{%#]|<%")
_ADJ_TPL_CLOSE = {"{{": "}}", "{%": "%}", "{#": "#}", "<%": "%>"}
_ADJ_WINDOW = 400  # characters scanned on each side of an image
_ADJ_CHARS = 80  # characters kept on each side


def _script_end(text: str, start: int, end: int):
    """The oracle's own walk of the script data states, one character at a time, as the
    tokenizer's states are written (WHATWG 13.2.5.4-13.2.5.31): the ``</script`` match that
    ends the element, or None. (The product finds the same with three regexes.)"""
    close = _raw_end("script")
    state, i = "data", start
    while i < end:
        c = text[i]
        if state == "data":
            if text.startswith("<!--", i) and i + 4 <= end:
                state, i = "escaped-dash-dash", i + 4
                continue
            if c == "<":
                m = close.match(text, i, end)
                if m:
                    return m
        elif state in ("escaped", "escaped-dash", "escaped-dash-dash"):
            if c == "-":
                state = "escaped-dash" if state == "escaped" else "escaped-dash-dash"
            elif c == ">" and state == "escaped-dash-dash":
                state = "data"
            elif c == "<":
                m = close.match(text, i, end)
                if m:
                    return m
                state = "escaped"
                if text[i + 1 : i + 7].lower() == "script" and i + 7 < end and text[i + 7] in "\t\n\f\r />":
                    state, i = "double", i + 7
                    continue
            else:
                state = "escaped"
        else:  # double-escaped, and its dash states
            if c == "-":
                state = "double-dash" if state == "double" else "double-dash-dash"
            elif c == ">" and state == "double-dash-dash":
                state = "data"
            elif c == "<":
                state = "double"
                if text[i + 1 : i + 8].lower() == "/script" and i + 8 < end and text[i + 8] in "\t\n\f\r />":
                    state, i = "escaped", i + 8
                    continue
            else:
                state = "double"
        i += 1
    return None


def _raw_end(name: str) -> re.Pattern[str]:
    pat = _RAW_END.get(name)
    if pat is None:
        pat = _RAW_END[name] = re.compile(r"</" + re.escape(name) + r"(?=[\t\n\f\r />])", re.I)
    return pat


def _drop_templates(s: str) -> str:
    """Each template block of ``s`` replaced by a space (see ``_ADJ_TPL_OPEN``), in linear time."""
    out: list[str] = []
    absent: set[str] = set()  # closers not in the rest of s
    pos = 0
    i = 0
    while True:
        m = _ADJ_TPL_OPEN.search(s, i)
        if m is None:
            break
        i = m.start()
        close = _ADJ_TPL_CLOSE[m.group()]
        j = -1 if close in absent else s.find(close, i + 2)
        if j < 0:
            absent.add(close)
            i += 1
            continue
        out.append(s[pos:i])
        out.append(" ")
        pos = i = j + 2
    out.append(s[pos:])
    return "".join(out)


def _decode(raw: str) -> str:
    return unescape(raw) if "&" in raw else raw


def _collapse(s: str) -> str:
    return " ".join(s.split())


def _image_text(p: "_Pending") -> str:
    """An image's text alternative where a name comes from content: aria-label, alt, (an
    image button's) value, title, "Submit" (axe-core's order); nothing when presentational,
    nor for an alt="" img without a global ARIA attribute or tabindex."""
    kw = p.kw
    values: dict = {}
    for a, v in kw["attrs"]:
        values.setdefault(a, v)
    if p.aria_label is not None and p.aria_label.strip() != "":
        return p.aria_label
    if kw["presentational"]:
        return ""
    if kw["alt"] not in (None, ""):
        return kw["alt"]
    is_input = kw["element"] == "input"
    if is_input and values.get("value"):
        return values["value"]
    if kw["element"] == "img" and kw["alt"] == "":
        if "tabindex" not in values and not any(a in GLOBAL_ARIA for a in values):
            return ""
    if p.title:
        return p.title
    return "Submit" if is_input else ""


def _has_own_name(p: "_Pending") -> bool:
    """Whether an image has a non-empty alt, aria-label or aria-labelledby of its own."""
    alt = p.kw.get("alt")
    return bool((alt and alt.strip()) or (p.aria_label and p.aria_label.strip()) or p.labelledby)


# ---------------------------------------------------------------- records


class _Rec:
    """An element whose content or attributes are needed in finish()."""

    __slots__ = ("start", "end", "tag", "aria_label", "alt", "title", "for_id", "hidden", "control")

    def __init__(self, start: int, tag: str, aria_label=None, alt=None, title=None, for_id=None, hidden=None) -> None:
        self.start = start  # content start (end of the start tag)
        self.end: int | None = None  # content end, set when the element closes
        self.tag = tag
        self.aria_label = aria_label
        self.alt = alt
        self.title = title
        self.for_id = for_id  # <label for=...> ("" labels nothing)
        self.hidden = hidden
        self.control = False  # a label's: has its first labelable descendant started?


def _claim_labels(stack: list) -> list:
    """A labelable element starts: every open label still without one has it as its first
    labelable descendant (marked here); those without for= (outermost first) label it."""
    out = []
    for el in stack:
        if el.label is not None and not el.label.control:
            el.label.control = True
            if el.label.for_id is None:
                out.append(el.label)
    return out


class _Named:
    """A descendant a name from content reads specially: an image, an element with an
    aria-label, or an element hidden where its parent is not."""

    def __init__(self, at, start, label=None, hidden=None, image=None) -> None:
        self.at = at
        self.start = start
        self.end = start if image is not None else None
        self.label = label
        self.hidden = hidden
        self.image = image


# _El.near: the nearest open element (this one included) of each kind, so that
# questions about the ancestors take one step instead of a walk down the stack
# (a walk per image or per tag is quadratic under many unclosed elements).
_NEAR_LINK, _NEAR_FIGURE, _NEAR_LABEL, _NEAR_P, _NEAR_LI, _NEAR_DD = range(6)
_NO_NEAR: tuple = (None,) * 6


class _El:
    """An open element on the stack, with its inherited state."""

    __slots__ = (
        "name", "hidden", "lang", "lang_source", "foreign", "recs", "label", "svg_img", "start", "ctx", "depth", "near",
    )

    def __init__(self, name, hidden, lang, lang_source, foreign, start=-1) -> None:
        self.name = name
        self.start = start  # offset of the start tag's '<'
        self.ctx: _Ctx | None = None  # link/button/figure context, made when an image needs it
        self.hidden = hidden
        self.lang = lang
        self.lang_source = lang_source
        self.foreign = foreign
        self.recs: list[_Rec] | None = None
        self.label: _Rec | None = None  # a <label>'s record, with its for= id
        self.svg_img: _Pending | None = None
        self.depth = 0  # index in the stack
        # nearest open <a>/<button>, <figure>, element with a label record, and the
        # nearest p / li / dt-dd or the boundary of its scope (see _implied_closes)
        self.near: tuple = _NO_NEAR


# Element names that start a kind of _El.near (all others inherit their parent's).
_NEAR_NAMES = (
    frozenset(("a", "button", "figure", "p", "li", "dt", "dd")) | _SCOPE_BOUNDARY | _LI_BOUNDARY | _DD_BOUNDARY
)


def _push(stack: list, el: _El) -> None:
    """Put ``el`` on the stack, with its depth and nearest-element pointers."""
    name = el.name
    near = stack[-1].near if stack else _NO_NEAR
    if name in _NEAR_NAMES or el.label is not None:
        near = list(near)
        if name == "a" or name == "button":
            near[_NEAR_LINK] = el
        if name == "figure":
            near[_NEAR_FIGURE] = el
        if el.label is not None:
            near[_NEAR_LABEL] = el
        if name == "p" or name in _SCOPE_BOUNDARY:
            near[_NEAR_P] = el
        if name == "li" or name in _LI_BOUNDARY:
            near[_NEAR_LI] = el
        if name == "dt" or name == "dd" or name in _DD_BOUNDARY:
            near[_NEAR_DD] = el
        near = tuple(near)
    el.near = near
    el.depth = len(stack)
    stack.append(el)


class _Ctx:
    """An <a>, <button> or <figure> that contains an image (or a figcaption)."""

    __slots__ = ("name", "rec", "attrs", "images", "caption", "info")

    def __init__(self, name: str, rec: _Rec, attrs: dict[str, str]) -> None:
        self.name = name
        self.rec = rec  # content of the element, ends when it closes
        self.attrs = attrs  # href, title, aria-label (decoded)
        self.images: list[_Pending] = []
        self.caption: _Rec | None = None  # a figure's first <figcaption>
        self.info: tuple[str, bool] | None = None  # (text, has other named images), computed once


class _Pending:
    """An image whose name is resolved in finish()."""

    __slots__ = ("kw", "labelledby", "aria_label", "title", "input_id", "labels", "title_rec", "link", "figure")

    def __init__(self, kw: dict, labelledby, aria_label, title) -> None:
        self.kw = kw
        self.labelledby = labelledby
        self.aria_label = aria_label
        self.title = title
        self.input_id: str | None = None
        self.labels: list[_Rec] | None = None
        self.title_rec: _Rec | None = None
        self.link: _Ctx | None = None  # nearest enclosing <a> or <button>
        self.figure: _Ctx | None = None  # nearest enclosing <figure>


class _TextIndex:
    """``_STRIP_MARKUP`` run once over the whole text, for the text content of long elements.

    Stripping ``text[s:e]`` gives the whole-text tokens clipped to ``[s, e)`` when
    ``s`` is not inside a token (a match never depends on the end of the text
    before its own end, and every alternative matches whenever its opening
    does). Long elements read their text here in O(log n) instead of stripping
    their whole content, which is quadratic for a chain of unclosed elements.
    When ``s`` falls inside a token (a ``<!--`` in an attribute value, say),
    reading starts after that token: cheap, not exact.
    """

    def __init__(self, text: str, names: bool = False) -> None:
        starts: list[int] = []
        ends: list[int] = []
        before: list[int] = []  # characters of text before each token
        width: list[int] = []  # what each token reads as: nothing, or a block's space (names)
        pieces: list[str] = []
        pos = total = 0
        for m in _STRIP_MARKUP.finditer(text):
            a, b = m.span()
            if a > pos:
                pieces.append(text[pos:a])
                total += a - pos
            starts.append(a)
            ends.append(b)
            before.append(total)
            reads = _name_token(m) if names else ""
            pieces.append(reads)
            width.append(len(reads))
            total += len(reads)
            pos = b
        pieces.append(text[pos:])
        self._starts, self._ends, self._before, self._width = starts, ends, before, width
        self._stripped = "".join(pieces)

    def _offset(self, x: int) -> tuple[int, int]:
        """(offset in the stripped text at ``x``, index of the token ``x`` is strictly inside or -1)."""
        i = bisect.bisect_right(self._starts, x) - 1
        if i < 0:
            return x, -1
        if x < self._ends[i]:
            return self._before[i], (i if x > self._starts[i] else -1)
        return self._before[i] + self._width[i] + x - self._ends[i], -1

    def text(self, s: int, e: int, limit: int) -> str:
        """The first ``limit`` characters of ``_STRIP_MARKUP.sub("", text[s:e])``."""
        a, _ = self._offset(s)
        b, inside = self._offset(e)
        out = self._stripped[a : min(max(a, b), a + limit)]
        # a token cut by e keeps its markup, except a lone '<' at the very end
        if inside >= 0 and self._starts[inside] == e - 1 and b - a < limit:
            out += "<"
        return out


# ---------------------------------------------------------------- scanner


class HtmlScanner:
    """Incremental scanner over ranges of one text; see the module docstring."""

    def __init__(
        self,
        text: str,
        path: str,
        index: LineIndex,
        *,
        lang: str | None = None,
        lang_source: str | None = None,
        xml: bool | None = None,
    ) -> None:
        self._text = text
        self._path = path
        self._xml = path.lower().endswith(".xhtml") if xml is None else xml  # "/>" closes anything
        self._index = index
        self.lang = lang
        self.lang_source = lang_source
        self._stack: list[_El] = []
        # how many elements of each name are open: end tags without an open
        # match, and implied closes, are decided without walking the stack
        self._counts: dict[str, int] = dict.fromkeys(_COUNTED, 0)
        # closer -> offset after which it is known absent, up to the end of the range being fed
        self._absent: dict[str, int] = {}
        self._absent_to_end: dict[str, int] = {}  # the same, up to the end of the text
        self._pending: list[_Pending] = []
        self._ids: dict[str, _Rec] = {}
        self._labels_for: dict[str, list[_Rec]] = {}
        self._texts: dict[tuple[int, int], str] = {}  # (start, end) -> text content
        self._names: dict[int, str] = {}  # id(rec) -> its name as a referenced element
        self._named: list[_Named] = []
        self._text_index: _TextIndex | None = None
        self._name_index: _TextIndex | None = None  # block tags read as spaces
        self._pos = 0  # end of the last range fed
        self._doc_lang: tuple[str, str] | None = None
        self._result = ParseResult()

    # ------------------------------------------------------------ public

    def feed(self, start: int, end: int) -> None:
        """Scan ``text[start:end]``; the open-element stack persists across calls."""
        text = self._text
        end = min(end, len(text))
        start = max(start, self._pos, 0)
        if start >= end:
            return
        self._pos = end
        self._absent = {}  # valid for one range end only
        pos = start
        search = _CAND.search
        interesting = _INTERESTING_ATTR.search
        special = _SPECIAL_TAGS
        stack = self._stack
        counts = self._counts
        while True:
            m = search(text, pos, end)
            if m is None:
                return
            i = m.start()
            li = m.lastindex
            if li == 1:  # simple end tag
                pos = m.end()
                name = m.group(1).lower()
                if stack:
                    top = stack[-1]
                    if top.name == name and top.recs is None:
                        stack.pop()
                        counts[name] -= 1
                        continue
                if not counts.get(name):
                    continue
                for k in range(len(stack) - 1, -1, -1):
                    if stack[k].name == name:
                        self._pop_to(k, i)
                        break
                continue
            if li is not None:  # plain start tag
                tag = m.group(2)
                name = tag.lower()
                if name in special or (m.end(3) > m.start(3) and interesting(text, m.start(3), m.end())):
                    pos = self._start_tag(i, tag, m.end(2), end)
                    continue
                pos = m.end()
                if name in _P_CLOSERS and counts["p"] or name in _COUNTED:
                    self._implied_closes(name, i)
                if name in VOID_ELEMENTS:
                    continue
                # "/>" closes in XHTML and in svg/math content; an HTML element stays open
                if m.end(4) > m.start(4) and (self._xml or stack and stack[-1].foreign and stack[-1].name not in _INTEGRATION_POINTS):
                    continue
                if stack:
                    parent = stack[-1]
                    pf = parent.foreign
                    _push(
                        stack,
                        _El(
                            name,
                            parent.hidden,
                            parent.lang,
                            parent.lang_source,
                            pf and parent.name not in _INTEGRATION_POINTS,
                            i,
                        ),
                    )
                else:
                    _push(stack, _El(name, None, self.lang, self.lang_source, False, i))
                counts[name] = counts.get(name, 0) + 1
                if name in ("button", "meter", "output", "progress", "select") and not stack[-1].foreign:
                    _claim_labels(stack)
                if name == "figcaption" and counts.get("figure"):
                    self._figcaption(stack[-1], pos)
                continue
            c = text[i + 1]
            if text[i] == "{":
                j = self._skip_template(i, end)
                pos = j if j >= 0 else i + 1
                if j < 0 and all(self._find(close, i, end) < 0 for close in ("}}", "%}", "#}")):
                    search = _CAND_NO_TPL.search
            elif c == "!":
                pos = self._markup_declaration(i, end)
            elif c == "/":
                pos = self._end_tag(i, end)
            elif c == "?":
                pos = self._processing_instruction(i, end)
            elif c == "%":
                j = self._skip_template(i, end)
                pos = j if j >= 0 else i + 1
            else:
                tm = _TAG_NAME.match(text, i + 1, end)
                pos = self._start_tag(i, tm.group(), tm.end(), end)

    def context(self) -> tuple[str | None, str | None, str | None]:
        """(hidden_reason, lang, lang_source) at the current insertion point."""
        if self._stack:
            top = self._stack[-1]
            return top.hidden, top.lang, top.lang_source
        return None, self.lang, self.lang_source

    def finish(self) -> ParseResult:
        """Resolve names across everything fed and return the result."""
        for el in self._stack:
            if el.recs:
                for rec in el.recs:
                    if rec.end is None:
                        rec.end = self._pos
        result = self._result
        images = []
        for p in self._pending:
            kw = p.kw
            name, source = self._resolve_name(p)
            kw["name"] = name
            kw["name_source"] = source
            alt = kw["alt"]
            if p.link is not None or p.figure is not None or not alt or alt.isspace():
                ctx = self._context_extra(p)
                if ctx:
                    kw["context"] = ImageContext.from_pairs(ctx)
            images.append(Image(**kw))
        result.images = images
        if self._doc_lang is not None:
            result.lang, result.lang_source = self._doc_lang
        else:
            result.lang, result.lang_source = self.lang, self.lang_source
        return result

    # ------------------------------------------------------------ helpers

    def _error(self, pos: int, message: str) -> None:
        line, column = self._index.position(pos)
        self._result.errors.append(FileError(self._path, message, line, column))

    def _find(self, needle: str, start: int, end: int) -> int:
        """``text.find(needle, start, end)``, remembering where ``needle`` is absent (see ``_absent``)."""
        absent = self._absent
        if absent.get(needle, end + 1) <= start:
            return -1
        j = self._text.find(needle, start, end)
        if j < 0:
            absent[needle] = start
        return j

    def _skip_template(self, p: int, end: int) -> int:
        """End of the balanced template block starting at ``p``, or -1."""
        text = self._text
        m = _TPL_OPEN.match(text, p, end)
        if m is None:
            return -1
        after = m.end()
        absent = self._absent
        for close in _TPL_CLOSE[m.group()]:
            if absent.get(close, end + 1) <= after:
                continue
            j = text.find(close, after, end)
            if j >= 0:
                return j + len(close)
            absent[close] = after
        return -1

    def _bogus_comment(self, i: int, body_start: int, end: int, close: str = ">") -> int:
        j = self._text.find(close, body_start, end)
        if j < 0:
            self._result.excluded.append(Span(i, end))
            self._error(i, "unterminated HTML comment starting here")
            return end
        stop = j + len(close)
        self._result.excluded.append(Span(i, stop))
        return stop

    def _markup_declaration(self, i: int, end: int) -> int:
        text = self._text
        if text.startswith("<!--", i, end):
            k = i + 4
            if text.startswith(">", k, end):
                stop, body = k + 1, ""
            elif text.startswith("->", k, end):
                stop, body = k + 2, ""
            else:
                cm = _COMMENT_END.search(text, k, end)
                if cm is None:
                    self._result.excluded.append(Span(i, end))
                    self._error(i, "unterminated HTML comment starting here")
                    return end
                stop, body = cm.end(), text[k : cm.start()]
            self._result.excluded.append(Span(i, stop))
            kind = is_ignore_comment(body)
            if kind == IGNORE_NEXT:
                self._result.ignore_marks.append(stop)
            elif kind == IGNORE_FILE:
                self._result.ignore_file = True
            return stop
        if text.startswith("<![CDATA[", i, end):
            j = self._find("]]>", i + 9, end)
            if j >= 0:
                self._result.excluded.append(Span(i, j + 3))
                return j + 3
        # <!DOCTYPE ...>, <![CDATA[ in HTML content, <!x>: bogus comment up to '>'
        return self._bogus_comment(i, i + 2, end)

    def _processing_instruction(self, i: int, end: int) -> int:
        # <?php ... ?> and <?xml ... ?> end at '?>'; HTML itself would stop at '>'.
        j = self._find("?>", i + 2, end)
        if j >= 0:
            self._result.excluded.append(Span(i, j + 2))
            return j + 2
        return self._bogus_comment(i, i + 2, end)

    # ------------------------------------------------------------ tags

    def _parse_attrs(self, p: int, end: int):
        """Attributes from ``p`` to the closing '>'.

        Returns (tag_end, self_closing, attrs, has_template) or None at EOF.
        Each attr is (lowercase name, name_end, value_start, value_end, attr_end);
        value_start is -1 for a bare attribute.
        """
        text = self._text
        attrs: list[tuple[str, int, int, int, int]] = []
        has_tpl = False
        ws = _WS_SLASH.match
        fast = _FAST_ATTR.match
        while True:
            m = ws(text, p, end)
            q = m.end()
            if q >= end:
                return None
            c = text[q]
            if c == ">":
                return q + 1, (q > p and text[q - 1] == "/"), attrs, has_tpl
            p = q
            fm = fast(text, p, end)
            if fm is not None:
                ne = fm.end(1)
                vs = fm.start(2)
                if vs >= 0:
                    attrs.append((fm.group(1).lower(), ne, vs, fm.end(2), fm.end()))
                else:
                    vs = fm.start(3)
                    if vs >= 0:
                        attrs.append((fm.group(1).lower(), ne, vs, fm.end(3), fm.end()))
                    else:
                        vs = fm.start(4)
                        if vs >= 0:
                            attrs.append((fm.group(1).lower(), ne, vs, fm.end(4), fm.end()))
                        else:
                            attrs.append((fm.group(1).lower(), ne, -1, -1, ne))
                p = fm.end()
                continue
            # careful path: template blocks, odd names, values with templates
            if c == "{" or c == "<":
                j = self._skip_template(p, end)
                if j >= 0:
                    has_tpl = True
                    p = j
                    continue
            nm = _SLOW_NAME.match(text, p, end)
            ne = nm.end()
            name = text[p:ne].lower()
            em = _EQ.match(text, ne, end)
            if em is None:
                attrs.append((name, ne, -1, -1, ne))
                p = ne
                continue
            q = em.end()
            if q >= end:
                return None
            c = text[q]
            if c == '"' or c == "'":
                stop = _DQ_STOP if c == '"' else _SQ_STOP
                r = q + 1
                while True:
                    sm = stop.search(text, r, end)
                    if sm is None:
                        return None
                    s = sm.start()
                    if text[s] == c:
                        break
                    j = self._skip_template(s, end)
                    r = j if j >= 0 else s + 1
                attrs.append((name, ne, q + 1, s, s + 1))
                p = s + 1
            elif c == ">":
                attrs.append((name, ne, q, q, q))
                p = q
            else:
                r = q
                while True:
                    r = _UNQUOTED.match(text, r, end).end()
                    if r < end and (text[r] == "{" or text[r] == "<"):
                        j = self._skip_template(r, end)
                        r = j if j >= 0 else r + 1
                        continue
                    break
                attrs.append((name, ne, q, r, r))
                p = r

    def _pop_to(self, idx: int, pos: int) -> None:
        stack = self._stack
        counts = self._counts
        for k in range(len(stack) - 1, idx - 1, -1):
            el = stack[k]
            if el.recs:
                for rec in el.recs:
                    if rec.end is None:
                        rec.end = pos
            counts[el.name] -= 1
        del stack[idx:]

    def _close_implied(self, kind: int, target: tuple[str, ...], pos: int) -> None:
        """Close the nearest ``target`` element unless a boundary of its scope comes first."""
        stack = self._stack
        if stack:
            el = stack[-1].near[kind]  # the nearest target or boundary
            if el is not None and el.name in target:
                self._pop_to(el.depth, pos)

    def _oracle_adopt_link(self, i: int) -> None:
        """The oracle's own adoption agency for an <a> start tag: find the open HTML <a> below
        any marker; end it and what the parser drops; put back what goes on outside it."""
        stack = self._stack
        if stack and stack[-1].foreign and stack[-1].name not in _INTEGRATION_POINTS:
            return
        names = [el.name for el in stack]
        for k in reversed(range(len(stack))):
            if stack[k].foreign or (names[k] != "a" and names[k] in _ORACLE_MARKERS):
                return
            if names[k] == "a":
                break
        else:
            return
        inside = list(range(k + 1, len(stack)))
        first_block = min((j for j in inside if names[j] in _ORACLE_SPECIAL), default=len(stack))
        goes_on = [j for j in inside if j >= first_block or names[j] in _ORACLE_FORMATTING]
        moved = [(stack[j - 1], stack[j]) for j in goes_on]
        for j in [k] + [j for j in inside if j not in goes_on]:
            for rec in stack[j].recs or []:
                if rec.end is None:
                    rec.end = i
            self._counts[names[j]] -= 1
        del stack[k:]
        for was_under, el in moved:
            under = stack[-1] if stack else None
            if el.hidden == was_under.hidden:
                el.hidden = None if under is None else under.hidden
            if el.lang == was_under.lang and el.lang_source == was_under.lang_source:
                el.lang = self.lang if under is None else under.lang
                el.lang_source = self.lang_source if under is None else under.lang_source
            _push(stack, el)

    def _implied_closes(self, name: str, i: int) -> None:
        counts = self._counts
        if name in _P_CLOSERS and counts["p"]:
            self._close_implied(_NEAR_P, ("p",), i)
        if name == "a":
            if counts["a"]:
                self._oracle_adopt_link(i)
        elif name == "li" and counts["li"]:
            self._close_implied(_NEAR_LI, ("li",), i)
        elif (name == "dt" or name == "dd") and (counts["dt"] or counts["dd"]):
            self._close_implied(_NEAR_DD, ("dt", "dd"), i)
        elif name in ("option", "optgroup"):  # the current node only
            if self._stack and self._stack[-1].name == "option":
                self._pop_to(len(self._stack) - 1, i)
            if name == "optgroup" and self._stack and self._stack[-1].name == "optgroup" and counts.get("select"):
                self._pop_to(len(self._stack) - 1, i)
        elif name in ("rb", "rt", "rp", "rtc"):
            names = [el.name for el in self._stack]
            ruby = next((n for n in reversed(names) if n == "ruby" or n in _SCOPE_BOUNDARY), None)
            if ruby == "ruby":
                implied = {"dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt"} | ({"rtc"} if name in ("rb", "rtc") else set())
                while self._stack and self._stack[-1].name in implied:
                    self._pop_to(len(self._stack) - 1, i)
        elif name in ("td", "th", "tr", "tbody", "thead", "tfoot"):
            # the oracle's own way: walk down the stack to the part to close, stopping at a table
            targets = [("td", "th")]
            if name in ("tr", "tbody", "thead", "tfoot"):
                targets.append(("tr",))
            if name in ("tbody", "thead", "tfoot"):
                targets.append(("tbody", "thead", "tfoot"))
            for target in targets:
                for k in range(len(self._stack) - 1, -1, -1):
                    el_name = self._stack[k].name
                    if el_name in target:
                        self._pop_to(k, i)
                        break
                    if el_name in ("table", "template", "html"):
                        break

    def _end_tag(self, i: int, end: int) -> int:
        text = self._text
        tm = _TAG_NAME.match(text, i + 2, end)
        if tm is None:
            if text.startswith(">", i + 2, end):
                return i + 3  # </> is ignored
            if i + 2 >= end:
                return end  # "</" at the very end is text
            return self._bogus_comment(i, i + 2, end)
        r = self._parse_attrs(tm.end(), end)
        if r is None:
            self._error(i, "unterminated HTML tag starting here")
            return end
        name = tm.group().lower()
        stack = self._stack
        if not self._counts.get(name):
            return r[0]
        for k in range(len(stack) - 1, -1, -1):
            if stack[k].name == name:
                self._pop_to(k, i)
                break
        return r[0]

    def _start_tag(self, i: int, tag: str, name_end: int, end: int) -> int:
        r = self._parse_attrs(name_end, end)
        if r is None:
            self._error(i, "unterminated HTML tag starting here")
            return end
        tag_end, self_closing, attrs, has_tpl = r
        text = self._text
        name = tag.lower()

        amap: dict[str, tuple[str, int, int, int, int]] = {}
        for a in attrs:
            if a[0] not in amap:
                amap[a[0]] = a

        def val(key: str) -> str | None:
            a = amap.get(key)
            if a is None or a[2] < 0:
                return None if a is None else ""
            return _decode(text[a[2] : a[3]])

        counts = self._counts
        self._implied_closes(name, i)

        stack = self._stack
        parent = stack[-1] if stack else None
        if parent is not None:
            p_hidden, p_lang, p_lsrc, p_foreign = parent.hidden, parent.lang, parent.lang_source, parent.foreign
        else:
            p_hidden, p_lang, p_lsrc, p_foreign = None, self.lang, self.lang_source, False
        in_foreign = p_foreign and parent.name not in _INTEGRATION_POINTS
        if name == "image" and not in_foreign:
            name = "img"  # "in body": an "image" start tag is an img

        # out of the accessibility tree?
        hidden = None
        visibility = None
        if "aria-hidden" in amap and (val("aria-hidden") or "").strip().lower() == "true":
            hidden = "aria-hidden"
        elif "hidden" in amap:
            hidden = "hidden"
        elif "style" in amap:
            # the CSS reading itself is not what this oracle checks: the scanner's own
            from altbot.parse.html import style_hides

            display_none, visibility = style_hides(val("style") or "")
            if display_none:
                hidden = "display:none"
        if hidden is None:
            if visibility is not None and p_hidden in (None, "visibility:hidden"):
                hidden = "visibility:hidden" if visibility == "hidden" else None
            else:
                hidden = p_hidden

        lang, lsrc = p_lang, p_lsrc
        for key in ("xml:lang", "lang"):  # xml:lang wins when both are set
            if key in amap:
                v = (val(key) or "").strip()
                if v:
                    lang, lsrc = v, "lang-attribute"
                    if name == "html" and self._doc_lang is None:
                        self._doc_lang = (lang, lsrc)
                    break

        foreign = name == "svg" or name == "math" or (p_foreign and parent.name not in _INTEGRATION_POINTS)

        # is it an image?
        kind = None
        control = False
        if name == "img":
            kind = "img"
        elif name == "input":
            if (val("type") or "").lower() == "image":  # an enumerated value: " image " is no image button
                kind = "img"
                control = True
        elif name == "area":
            if "href" in amap:
                kind = "img"
                control = True
        role = None
        if "role" in amap:
            toks = (val("role") or "").split()
            role = toks[0].lower() if toks else None
        if kind is None and role == "img":
            kind = "role"

        pending = None
        if kind is not None:
            pending = self._image(i, name_end, tag_end, name, kind, control, role, amap, attrs, val, hidden, lang, lsrc, has_tpl)
            if kind == "img":
                self._named.append(_Named(i, tag_end, hidden=hidden, image=pending))
            if name == "input":
                idv = val("id")
                # <label for=x> labels the first element with id x only
                pending.input_id = idv if idv and idv not in self._ids else None
                pending.labels = _claim_labels(stack) or None
        if not (pending is not None and name == "input") and not foreign and (
            name in ("button", "meter", "output", "progress", "select", "textarea")
            or name == "input" and (val("type") or "").lower() != "hidden"
        ):
            _claim_labels(stack)

        if pending is not None and (counts.get("a") or counts.get("button") or counts.get("figure")):
            self._attach_context(pending)

        el = None
        closes = self_closing and (foreign or self._xml)  # in HTML, a non-void element's "/>" is ignored
        raw = name in (RAW_TEXT_FOREIGN if foreign else RAW_TEXT_ELEMENTS) and not closes
        push = not raw and not closes and name not in VOID_ELEMENTS
        if push:
            el = _El(name, hidden, lang, lsrc, foreign, i)

        recs: list = []
        if kind != "img":
            label = val("aria-label")
            if label is not None and label.strip() == "":
                label = None
            first_hidden = hidden if p_hidden is None else None
            if label is not None or (first_hidden is not None and (push or raw)):
                named = _Named(i, tag_end, label=label, hidden=first_hidden)
                self._named.append(named)
                recs.append(named)
        idv = val("id")
        if idv and idv not in self._ids:
            alt = val("alt") if kind == "img" else None
            rec = _Rec(tag_end, name, val("aria-label"), alt, val("title"), hidden=hidden)
            self._ids[idv] = rec
            recs.append(rec)
        if name == "label" and el is not None:
            for_id = val("for")
            lab = _Rec(tag_end, name, val("aria-label"), for_id=for_id, hidden=hidden)
            if for_id:
                self._labels_for.setdefault(for_id, []).append(lab)
            el.label = lab
            recs.append(lab)
        if (
            name == "title"
            and foreign
            and parent is not None
            and parent.name == "svg"
            and parent.svg_img is not None
            and parent.svg_img.title_rec is None
        ):
            rec = _Rec(tag_end, name)
            parent.svg_img.title_rec = rec
            recs.append(rec)
        if name == "svg" and el is not None and pending is not None:
            el.svg_img = pending
        if name == "figcaption" and el is not None and counts.get("figure"):
            rec = self._figcaption(None, tag_end)
            if rec is not None:
                recs.append(rec)

        if el is not None:
            if recs:
                el.recs = recs
            _push(stack, el)
            counts[name] = counts.get(name, 0) + 1
            return tag_end
        if raw:
            if name == "plaintext":
                stop = close = end
            else:
                cm = _script_end(text, tag_end, end) if name == "script" and not foreign else _raw_end(name).search(text, tag_end, end)
                if cm is None:
                    stop = close = end
                else:
                    close = cm.start()
                    rr = self._parse_attrs(cm.end(), end)
                    if rr is None:
                        self._error(close, "unterminated HTML tag starting here")
                        stop = end
                    else:
                        stop = rr[0]
            if close > tag_end:
                self._result.excluded.append(Span(tag_end, close))
            for rec in recs:
                rec.end = close
            return stop
        for rec in recs:
            rec.end = tag_end
        return tag_end

    def _image(self, i, name_end, tag_end, name, kind, control, role, amap, attrs, val, hidden, lang, lsrc, has_tpl) -> _Pending:
        text = self._text
        line, column = self._index.position(i)
        src = alt = alt_span = insert_at = None
        dynamic = False
        fixable = kind == "img"
        if kind == "img":
            if name != "area":
                src = val("src")
            a = amap.get("alt")
            if a is not None:
                if a[2] < 0:
                    alt, alt_span = "", Span(a[1], a[1])
                else:
                    raw = text[a[2] : a[3]]
                    alt, alt_span = _decode(raw), Span(a[2], a[3])
                for b in attrs:
                    if b[0] == "alt" and b[2] >= 0 and _HAS_TPL.search(text, b[2], b[3]):
                        dynamic = True
                        break
            else:
                s = amap.get("src") if name != "area" else None
                insert_at = s[4] if s is not None else name_end
        presentational = False
        if role in ("none", "presentation"):
            conflict = control or "tabindex" in amap or not GLOBAL_ARIA.isdisjoint(amap)
            presentational = not conflict
        attr_values = tuple(
            (a[0], None if a[2] < 0 else _decode(text[a[2] : a[3]])) for a in attrs
        )
        title = val("title")
        labelledby = val("aria-labelledby")
        kw = dict(
            path=self._path,
            syntax=Syntax.HTML,
            element=name,
            element_span=Span(i, tag_end),
            line=line,
            column=column,
            src=src,
            alt=alt,
            alt_span=alt_span,
            insert_at=insert_at,
            title=title,
            hidden=hidden,
            presentational=presentational,
            control=control,
            dynamic_alt=dynamic,
            fixable=fixable,
            lang=lang,
            lang_source=lsrc,
            attrs=attr_values,
        )
        if has_tpl:
            kw["hints"] = HtmlHints(template_in_tag=True)
        pending = _Pending(kw, labelledby, val("aria-label"), title)
        self._pending.append(pending)
        return pending

    # ------------------------------------------------------------ context

    def _ctx_of(self, el: _El) -> _Ctx:
        """The context record of an open <a>/<button>/<figure>, made on first use."""
        ctx = el.ctx
        if ctx is not None:
            return ctx
        text = self._text
        attrs: dict[str, str] = {}
        content_start = el.start
        # a figure's own attributes and content are not needed, only its figcaption
        tm = _TAG_NAME.match(text, el.start + 1) if el.start >= 0 and el.name != "figure" else None
        if tm is not None:
            saved = self._absent
            self._absent = self._absent_to_end  # the cache is only valid for its range end
            try:
                r = self._parse_attrs(tm.end(), len(text))
            finally:
                self._absent = saved
            if r is not None:
                content_start = r[0]
                for a in r[2]:
                    if a[0] in ("href", "title", "aria-label") and a[0] not in attrs and a[2] >= 0:
                        attrs[a[0]] = _collapse(_decode(text[a[2] : a[3]]))
        rec = _Rec(content_start, el.name)
        if el.name != "figure":
            if el.recs is None:
                el.recs = [rec]
            else:
                el.recs.append(rec)
        ctx = el.ctx = _Ctx(el.name, rec, attrs)
        return ctx

    def _figcaption(self, el: _El | None, content_start: int) -> _Rec | None:
        """A <figcaption> opened inside a <figure>: the figure's caption record (the first one only).

        ``el`` is the figcaption's element when it is already on the stack (its
        record is added to it), None when the caller adds the record itself.
        """
        stack = self._stack
        anc = stack[-1].near[_NEAR_FIGURE] if stack else None
        if anc is None or anc is el:
            return None
        ctx = self._ctx_of(anc)
        if ctx.caption is not None:
            return None
        rec = ctx.caption = _Rec(content_start, "figcaption")
        if el is not None:
            el.recs = [rec] if el.recs is None else el.recs + [rec]
        return rec

    def _attach_context(self, pending: _Pending) -> None:
        """Record the nearest enclosing link/button and figure of an image."""
        if not self._stack:
            return
        near = self._stack[-1].near
        anc = near[_NEAR_LINK]
        if anc is not None:
            ctx = self._ctx_of(anc)
            ctx.images.append(pending)
            pending.link = ctx
        anc = near[_NEAR_FIGURE]
        if anc is not None:
            pending.figure = self._ctx_of(anc)

    def _link_info(self, ctx: _Ctx) -> tuple[str, int]:
        """(text content, number of images with a non-empty alt or name) of a link/button."""
        info = ctx.info
        if info is None:
            named = 0
            for q in ctx.images:
                if _has_own_name(q):
                    named += 1
            info = ctx.info = (self._rec_text(ctx.rec), named)
        return info

    def _context_extra(self, p: _Pending) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        ctx = p.link
        if ctx is not None:
            text, named = self._link_info(ctx)
            kind = "link" if ctx.name == "a" else "button"
            out.append(("in_" + kind, "1"))
            for key in ("href", "title", "aria-label"):
                v = ctx.attrs.get(key)
                if v:
                    out.append(("link_" + ("label" if key == "aria-label" else key), v))
            if text:
                out.append(("link_text", text))
            elif named - (1 if _has_own_name(p) else 0) == 0:
                out.append((kind + "_only_image", "1"))
        fig = p.figure
        if fig is not None and fig.caption is not None:
            cap = self._rec_text(fig.caption)
            if cap:
                out.append(("figcaption", cap))
        kw = p.kw
        alt = kw["alt"]
        if kw["fixable"] and (not alt or alt.isspace()) and kw["hidden"] is None and not kw["presentational"]:
            adjacent = self._adjacent_text(kw["element_span"])
            if adjacent:
                out.append(("adjacent_text", adjacent))
        return out

    def _adjacent_text(self, span: Span) -> str:
        """Text right before and after the element, within its block (~80 characters each side).

        Walks text nodes outwards, stepping over inline tags, and stops at a
        block-level tag (``_BLOCK_EDGE``), after ``_ADJ_CHARS`` characters or
        ``_ADJ_WINDOW`` characters of source. When a side has no text at all,
        the walk may enter one neighbouring block (``<img><p>A tiger</p>``:
        the sibling paragraph is the image's text alternative). Cheap, not
        exact: a ``>`` inside an attribute value can cut a node short.
        """
        text = self._text
        edge = _BLOCK_EDGE.match
        cross = _BLOCK_CROSS.match
        lo = max(0, span.start - _ADJ_WINDOW)
        parts: list[str] = []
        got = 0
        crossed = False
        j = span.start
        while got < _ADJ_CHARS and j > lo:
            k = text.rfind(">", lo, j)
            seg = text[k + 1 if k >= 0 else lo : j]  # no '>' in the window: its text only
            if seg and not seg.isspace():
                parts.append(seg)
                got += len(seg)
            if k < 0:
                break
            t = text.rfind("<", lo, k)
            if t < 0:
                break
            if edge(text, t):
                # a closing block tag before any text: enter that previous sibling block once
                if got or crossed or text[t + 1] != "/" or not cross(text, t):
                    break
                crossed = True
            j = t
        b = _collapse(_decode("".join(reversed(parts)))) if parts else ""
        hi = min(len(text), span.end + _ADJ_WINDOW, max(self._pos, span.end))
        parts = []
        got = 0
        crossed = False
        j = span.end
        while got < _ADJ_CHARS and j < hi:
            t = text.find("<", j, hi)
            seg = text[j:t] if t >= 0 else text[j:hi]
            if seg and not seg.isspace():
                parts.append(seg)
                got += len(seg)
            if t < 0:
                break
            if edge(text, t):
                # an opening block tag before any text: enter that next sibling block once
                if got or crossed or text[t + 1] == "/" or not cross(text, t):
                    break
                crossed = True
            k = text.find(">", t, hi)
            if k < 0:
                break
            j = k + 1
        a = _collapse(_decode("".join(parts))) if parts else ""
        if "{" in b or "<%" in b:
            b = _collapse(_drop_templates(b))
        if "{" in a or "<%" in a:
            a = _collapse(_drop_templates(a))
        if len(b) > _ADJ_CHARS:
            b = b[-_ADJ_CHARS:]
            sp = b.find(" ")
            b = b[sp + 1 :] if 0 <= sp < 20 else b
        if len(a) > _ADJ_CHARS:
            a = a[:_ADJ_CHARS]
            sp = a.rfind(" ")
            a = a[:sp] if sp > _ADJ_CHARS - 20 else a
        return (b + " " + a).strip() if b and a else (b or a)

    # ------------------------------------------------------------ names

    def _rec_text(self, rec: _Rec) -> str:
        """The element's text content: markup stripped, whitespace collapsed (see ``_TEXT_READ``)."""
        end = rec.end if rec.end is not None else self._pos
        if end <= rec.start:
            return ""
        key = (rec.start, end)
        hit = self._texts.get(key)
        if hit is None:
            if end - rec.start <= _TEXT_READ:
                body = _STRIP_MARKUP.sub("", self._text[rec.start : end])
            else:
                if self._text_index is None:
                    self._text_index = _TextIndex(self._text)
                body = self._text_index.text(rec.start, end, _TEXT_READ)
            hit = self._texts[key] = _collapse(_decode(body))[:_TEXT_MAX]
        return hit

    def _referenced_name(self, rec: _Rec) -> str:
        hit = self._names.get(id(rec))
        if hit is None:
            hit = self._names[id(rec)] = self._referenced_name_of(rec)
        return hit

    def _text_between(self, a: int, b: int) -> str:
        """The text of ``text[a:b]`` in a name from content: a block's tag reads as a space."""
        if b <= a:
            return ""
        if b - a <= _TEXT_READ:
            return _decode(_STRIP_MARKUP.sub(_name_token, self._text[a:b]))
        if self._name_index is None:
            self._name_index = _TextIndex(self._text, names=True)
        return _decode(self._name_index.text(a, b, _TEXT_READ))

    def _content_name(self, rec: _Rec, skip=None) -> str:
        """Text content, with images' text alternatives and aria-labels in place of what they
        hold, and no hidden descendant unless rec is hidden; no labelledby followed."""
        end = self._pos if rec.end is None else rec.end
        if end <= rec.start:
            return ""
        inside = [d for d in self._named if rec.start <= d.at < end]
        if not inside:
            return _collapse(self._text_between(rec.start, end))[:_TEXT_MAX]
        out = ""
        pos = rec.start
        covered_to = -1
        looked = 0
        for d in inside:
            if d.at < covered_to:
                continue  # within one whose content is left out or named by its aria-label
            if looked >= _PARTS_MAX:
                end = d.at
                break
            looked += 1
            d_end = self._pos if d.end is None else d.end
            drop = d.hidden is not None and rec.hidden is None
            if d.image is not None:
                if drop or d.image is skip:
                    continue
                alt = _image_text(d.image)
                if alt == "":
                    continue
                out += self._text_between(pos, d.at) + " " + alt + " "
                pos = d.start
            elif drop:
                out += self._text_between(pos, d.at)
                pos = covered_to = d_end
            elif d.label is not None:
                out += self._text_between(pos, d.at) + " " + d.label + " "
                pos = covered_to = d_end
            else:
                continue
            if len(out) >= _TEXT_READ:
                return _collapse(out)[:_TEXT_MAX]
        out += self._text_between(pos, end)
        return _collapse(out)[:_TEXT_MAX]

    def _referenced_name_of(self, rec: _Rec) -> str:
        for v in (rec.aria_label, rec.alt):
            if v and v.strip():
                return _collapse(v)
        content = self._content_name(rec)
        if content:
            return content
        if rec.title and rec.title.strip():
            return _collapse(rec.title)
        return ""

    def _resolve_name(self, p: _Pending) -> tuple[str | None, str | None]:
        if p.labelledby:
            parts = []
            size = 0
            for ref in p.labelledby.split():
                rec = self._ids.get(ref)
                if rec is not None:
                    s = self._referenced_name(rec)
                    if s:
                        parts.append(s)
                        size += len(s) + 1
                        if size > _TEXT_MAX:  # a name is no essay: the rest would only be cut off
                            break
            if parts:
                return " ".join(parts), "aria-labelledby"
        if p.aria_label and p.aria_label.strip():
            return p.aria_label.strip(), "aria-label"
        if p.kw["element"] == "input":
            labels = list(p.labels or ())
            if p.input_id:
                seen = {id(lab) for lab in labels}
                for lab in self._labels_for.get(p.input_id, ()):
                    if id(lab) not in seen:
                        seen.add(id(lab))
                        labels.append(lab)
            parts = []
            size = 0
            for lab in labels:
                if lab.aria_label and lab.aria_label.strip():
                    t = _collapse(lab.aria_label)
                else:
                    t = self._content_name(lab, skip=p)
                if t:
                    parts.append(t)
                    size += len(t) + 1
                    if size > _TEXT_MAX:
                        break
            if parts:
                return " ".join(parts), "label"
        if p.title_rec is not None:
            t = self._rec_text(p.title_rec)
            if t:
                return t, "svg-title"
        if p.title and p.title.strip():
            return p.title.strip(), "title"
        return None, None


def parse_html(
    text: str,
    path: str,
    index: LineIndex | None = None,
    *,
    lang: str | None = None,
    lang_source: str | None = None,
) -> ParseResult:
    """Whole-document convenience: feed(0, len(text)) then finish()."""
    scanner = HtmlScanner(text, path, index if index is not None else LineIndex(text), lang=lang, lang_source=lang_source)
    scanner.feed(0, len(text))
    return scanner.finish()
