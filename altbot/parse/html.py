"""Span-exact HTML scanner: finds images and what names them.

A small regex-driven tokenizer instead of a library parser, because we need
the character offsets of attribute *values* (to edit them in place) and must
survive template syntax (Jinja, Liquid, Go/Hugo, Nunjucks, Handlebars, ERB)
anywhere in the markup.

What it models of the HTML tokenizer: tags with double-, single-, unquoted
and bare attributes; comments (``<!-- -->``, bogus ``<!x>``/``<?x>``/``</ x>``);
raw-text/RCDATA elements (script, style, textarea, title, ...); foreign
content (an svg ``<title>`` is ordinary content and names the svg); a start
tag ``<image>`` is an ``<img>`` in HTML content, as tree construction renames
it, and svg's or MathML's own element in foreign content. The tree
is a plain open-element stack, good enough to inherit ``aria-hidden``,
``hidden``, ``display:none`` and ``lang``, with the implied closes of ``p``,
``li``, ``dt``/``dd``, a table's cells, rows and row groups, ``option`` and
ruby's annotations; a non-void HTML element's ``/>`` is ignored, as browsers
ignore it (it closes in foreign content, and anywhere in an ``.xhtml`` file). Template blocks are opaque in text
and between attributes, and balanced blocks inside quoted values may contain
the quote character (Hugo ``src="{{ "a.svg" | relURL }}"``).

Accessible-name semantics follow the accname computation as used by axe-core
(image-alt, input-image-alt, area-alt, role-img-alt, svg-img-alt) and ACT rule
23a2a8. ``aria-labelledby`` and ``<label for>`` are resolved in ``finish()``,
so forward references work. The name of a referenced element or a label from
its content (``_content_name``) is its text with each descendant image's text
alternative in it (aria-label, alt; an image button's value, title or
"Submit"), a descendant's aria-label in place of what it holds, a space for
each tag of a block element (``_NAME_BLOCKS``: p, div, li, br, ...), and no hidden
descendant unless the element is hidden itself; no aria-labelledby inside it is
followed, so references never loop, and the control a label labels adds nothing.
A label without for= labels its first labelable descendant only (``_first_in_labels``).

Context for the decorative-image judgement (``altbot.decorative``) goes in
``Image.context`` (an ``ImageContext``), computed lazily (only for images, and
only when a link, button or figure is open; each open element points to the
nearest of these, so nothing walks the stack), and not at all with
``context=False`` (``altbot check``, which judges no image):

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
its text and kept to 1,000, and a name from content looks at no more than 256
of the images, aria-labelled and hidden elements in it: an element left open
holds the rest of the page.
"""

from __future__ import annotations

import bisect
import re

from altbot.model import FileError, HtmlHints, ImageContext, LineIndex, Span, Syntax, make_image
from altbot.parse.base import VOID_ELEMENTS, ParseResult

__all__ = ["HtmlScanner", "parse_html"]

# ---------------------------------------------------------------- tables

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
# Table parts a start tag closes implicitly ("close the cell", "clear the stack back to a table
# body/row context"): a td/th by any cell, row or row group; a tr by a row or row group; a row
# group by a row group; none past a table (or template, html) boundary.
_TABLE_BOUNDARY = frozenset(("table", "template", "html"))
_CELLS = ("td", "th")
_ROW_GROUPS = ("tbody", "thead", "tfoot")
_CELL_CLOSERS = frozenset(_CELLS + ("tr",) + _ROW_GROUPS)
# Start tags that close the current node when it is an option (optgroup: an optgroup too, in a
# select), and ruby annotations that close the open rb/rt/rp (rtc) when a ruby is in scope.
_OPTION_CLOSERS = frozenset(("option", "optgroup"))
_RUBY_PARTS = frozenset(("rb", "rt", "rp", "rtc"))
_IMPLIED_END = frozenset(("dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc"))
_IMPLIED_END_BUT_RTC = _IMPLIED_END - {"rtc"}  # what an rt or rp closes
_COUNTED = frozenset(("p", "li", "dt", "dd", "a")) | _CELL_CLOSERS | _OPTION_CLOSERS | _RUBY_PARTS
# An <a> start tag while an <a> is open (a missing </a>) runs HTML's adoption agency: the open
# link ends there, and what was opened inside it (the first "special" element and all in it,
# and the formatting elements, which the parser reopens) goes on outside it. A table cell, a
# caption, a template, an object, an applet or a marquee between the two keeps them apart.
_FORMATTING = frozenset("b big code em font i nobr s small strike strong tt u".split())
_FORMATTING_MARKERS = frozenset("td th caption template object applet marquee html".split())
_HTML_SPECIAL = frozenset(
    "address applet area article aside base basefont bgsound blockquote body br button caption center col colgroup "
    "dd details dir div dl dt embed fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head "
    "header hgroup hr html iframe img input keygen li link listing main marquee menu meta nav noembed noframes "
    "noscript object ol p param plaintext pre script search section select source style summary table tbody td "
    "template textarea tfoot th thead title tr track ul wbr xmp".split()
)
# Elements whose start and end tags separate the words of a name from content, as the block boxes
# browsers give them by default end a line (Chromium and axe-core put a space there): the elements
# whose start tag closes a <p> (but dialog, not rendered unless open), <br>, and the other default
# blocks, list items and table parts. Inline elements (span, b, a, label, button, ...) join their
# text without a space.
_NAME_BLOCKS = (_P_CLOSERS - {"dialog"}) | frozenset(
    "br legend search xmp plaintext option caption thead tbody tfoot tr td th".split()
)
# Start tags that always take the full path (images, names, raw text, foreign content);
# "image" is an img in HTML content (WHATWG "in body") and svg/math's own element in foreign content.
_SPECIAL_TAGS = RAW_TEXT_ELEMENTS | {"img", "image", "input", "area", "label", "svg", "math", "html"}

# ---------------------------------------------------------------- regexes
#
# Each is compiled on first use (``_RX``): Python compiles a pattern in Python
# code, 0.1 to 1 ms each, and a check of Markdown files without raw HTML needs
# none of them.

_NAME = r"[A-Za-z][^\t\n\f\r />{<]*"


def _any_case(names) -> str:
    """An alternation of ``names`` matching them in any ASCII case, as a trie of character
    classes: the regex engine tries a branch only when its first class matches (it cannot
    for IGNORECASE literals). For these names, which no non-ASCII letter lowercases into,
    it matches exactly when ``str.lower()`` gives the name."""
    groups: dict[str, list[str]] = {}
    for n in names:
        if n:
            groups.setdefault(n[0].lower(), []).append(n[1:])
    alts = []
    for c, rest in sorted(groups.items()):
        head = f"[{c}{c.upper()}]" if c.isalpha() else re.escape(c)
        tail = _any_case(rest) if any(rest) else ""
        if "" in rest and tail:
            tail = f"(?:{tail})?"
        alts.append(head + tail)
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


# An attribute without template syntax, and unambiguous (every attribute is
# preceded by whitespace), so that a failed match backtracks in linear time;
# not one that changes what an element's content inherits or names (id, lang,
# xml:lang, hidden, aria-hidden, style, role), nor aria-label, which stands for the
# element's content in a name computed from content (``_content_name``).
_STATE_ATTRS = ("id", "lang", "xml:lang", "hidden", "aria-hidden", "style", "role", "aria-label")
_BORING_ATTR = (
    r"[\t\n\f\r ]+(?!" + _any_case(_STATE_ATTRS) + r"[\t\n\f\r />=])"
    r"[^\t\n\f\r />={<\"'][^\t\n\f\r />={<\"']*"
    r"(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:\"[^\"{<]*\"|'[^'{<]*'|[^\t\n\f\r >\"'{<=`]+))?"
)
# Everything that can start markup or a template block in text. Simple end
# tags (group 1) and plain start tags (groups 2-3: name, self-closing slash)
# are matched whole. A plain start tag needs no more than a push: its name is
# not one of _SPECIAL_TAGS and its attributes are all _BORING_ATTR. So is one
# whose only other attribute is a quoted aria-label without template syntax
# (groups 4-7: name, value in double or single quotes, slash), an alternative
# tried only once the plain one failed; it adds a _Part. The rest take the full
# path of _start_tag (which would give these tags the same result). Without the
# template alternative the pattern starts with a literal '<', which the regex
# engine finds with a fast scan instead of testing each character.
_NOT_SPECIAL = r"(?!" + _any_case(_SPECIAL_TAGS) + r"[\t\n\f\r />])"
_CAND_TAGS = (
    r"<(?:/(" + _NAME + r")[\t\n\f\r ]*>"
    r"|" + _NOT_SPECIAL + r"(" + _NAME + r")(?:" + _BORING_ATTR + r")*[\t\n\f\r ]*(/?)>"
    r"|" + _NOT_SPECIAL + r"(" + _NAME + r")(?:" + _BORING_ATTR + r")*"
    r"[\t\n\f\r ]+" + _any_case(("aria-label",)) + r"[\t\n\f\r ]*=[\t\n\f\r ]*(?:\"([^\"{<]*)\"|'([^'{<]*)')"
    r"(?:" + _BORING_ATTR + r")*[\t\n\f\r ]*(/?)>"
    r"|[A-Za-z/!?%])"
)

_PATTERNS: dict[str, tuple] = {
    "CAND": (_CAND_TAGS + r"|\{[{%#]", 0),
    # once no template block can close any more, '{' needs no look at all
    "CAND_NO_TPL": (_CAND_TAGS, 0),
    "TAG_NAME": (r"[A-Za-z][^\t\n\f\r />{<]*", 0),
    "WS_SLASH": (r"[\t\n\f\r /]*", 0),
    "EQ": (r"[\t\n\f\r ]*=[\t\n\f\r ]*", 0),
    # The common attribute: plain name, value without template syntax. Anything
    # else (templates, `{`, `<`, odd characters) falls back to the careful path.
    "FAST_ATTR": (
        r"([^\t\n\f\r />={<][^\t\n\f\r />={<]*)"
        r"(?:[\t\n\f\r ]*=[\t\n\f\r ]*"
        r"(?:\"([^\"{<]*)\"|'([^'{<]*)'|([^\t\n\f\r >\"'{<=`]+)(?=[\t\n\f\r >]))"
        r"|(?![\t\n\f\r ]*=)(?=[\t\n\f\r />]))",
        0,
    ),
    # One step of the attribute loop, where it is simple: whitespace and '/' then the
    # tag's '>' (group 1) or a FAST_ATTR attribute (groups 2-5); None elsewhere.
    "ATTR_STEP": (
        r"[\t\n\f\r /]*(?:(>)|([^\t\n\f\r />={<][^\t\n\f\r />={<]*)"
        r"(?:[\t\n\f\r ]*=[\t\n\f\r ]*"
        r"(?:\"([^\"{<]*)\"|'([^'{<]*)'|([^\t\n\f\r >\"'{<=`]+)(?=[\t\n\f\r >]))"
        r"|(?![\t\n\f\r ]*=)(?=[\t\n\f\r />])))",
        0,
    ),
    # Attribute name in the careful path: the first character may be anything
    # that is not whitespace, '/' or '>' (already checked); no template starts.
    "SLOW_NAME": (r".(?:[^\t\n\f\r />=<{]|\{(?![{%#])|<(?!%))*", re.S),
    "UNQUOTED": (r"(?:[^\t\n\f\r >{<]|\{(?![{%#])|<(?!%))*", 0),
    "DQ_STOP": (r"\"|\{[{%#]|<%", 0),
    "SQ_STOP": (r"'|\{[{%#]|<%", 0),
    "TPL_OPEN": (r"\{\{\{|\{\{<|\{\{%|\{\{|\{%|\{#|<%", 0),
    "HAS_TPL": (r"\{\{|\{%|<%", 0),
    "COMMENT_END": (r"--!?>", 0),
    "STYLE_COMMENT": (r"/\*.*?(?:\*/|\Z)", re.S),
    "STYLE_IMPORTANT": (r"!\s*important\s*$", re.I),
    # For text content of referenced elements: drop comments, script/style and tags.
    "STRIP_MARKUP": (r"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1\s*>|\Z)|<[A-Za-z/!?][^>]*>?", re.S | re.I),
    # The same tokens for a name from content; group 2 (empty) is set on a start or end tag of
    # _NAME_BLOCKS, which gives a space (its name in ASCII case only: no re.I, which would let
    # "\u017fection" be a section).
    "STRIP_NAME": (
        r"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1\s*>|\Z)"
        r"|<(?:(?=/?(?-i:" + _any_case(_NAME_BLOCKS) + r")[\t\n\f\r />])()|)[A-Za-z/!?][^>]*>?",
        re.S | re.I,
    ),
    # Where "adjacent text" stops: block-level tags, <br>/<hr>, comments, raw-text elements.
    "BLOCK_EDGE": (
        r"<!|</?(?:p|div|li|ul|ol|dl|dt|dd|td|th|tr|table|caption|h[1-6]|section|article|header|footer|nav|main"
        r"|aside|figure|figcaption|blockquote|pre|form|fieldset|legend|body|html|head|br|hr|script|style|template"
        r"|noscript|textarea|title|select|button|details|summary|address|picture|video|audio|iframe|object|svg)"
        r"(?=[\t\n\f\r />])[^>]*>?",
        re.I,
    ),
    # Block containers the adjacent-text walk may enter when a side has no text of its own.
    "BLOCK_CROSS": (
        r"</?(?:p|div|li|dt|dd|td|th|h[1-6]|section|article|header|footer|main|aside|figure|figcaption|blockquote"
        r"|address|details|summary|caption|legend)(?=[\t\n\f\r />])",
        re.I,
    ),
    # Template blocks in adjacent text: what ``re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|<%.*?%>", " ", s, flags=re.S)``
    # replaces, found by _drop_templates without rescanning for a missing closer.
    "ADJ_TPL_OPEN": (r"\{[{%#]|<%", 0),
    # A script's states (script_end): script data, escaped, double-escaped.
    "SCRIPT_DATA": (r"(<!--)|(</script(?=[\t\n\f\r />]))", re.I),
    "SCRIPT_ESCAPED": (r"(-->)|(</script(?=[\t\n\f\r />]))|(<script(?=[\t\n\f\r />]))", re.I),
    "SCRIPT_DOUBLE": (r"(-->)|(</script(?=[\t\n\f\r />]))", re.I),
}


class _Regexes:
    """``_PATTERNS`` as attributes, each compiled when first read."""

    def __getattr__(self, name: str) -> re.Pattern[str]:
        try:
            source, flags = _PATTERNS[name]
        except KeyError:
            raise AttributeError(name) from None
        pat = re.compile(source, flags)
        setattr(self, name, pat)
        return pat


_RX = _Regexes()

_TPL_CLOSE = {
    "{{{": ("}}}", "}}"),
    "{{<": (">}}", "}}"),
    "{{%": ("%}}", "}}"),
    "{{": ("}}",),
    "{%": ("%}",),
    "{#": ("#}",),
    "<%": ("%>",),
}
# An element's text content (names, link text, figcaption) is read from at most
# this many characters of its text and kept to _TEXT_MAX: an element left open
# holds the rest of the page, and every image inside a chain of them would
# otherwise copy it (quadratic time and memory).
_TEXT_READ = 2000
_TEXT_MAX = 1000
# A name computed from content considers at most this many of the element's named or
# hidden descendants (``_Part``), so that nested targets cost no quadratic time either.
_PARTS_MAX = 256
_RAW_END: dict[str, re.Pattern[str]] = {}
_ADJ_TPL_CLOSE = {"{{": "}}", "{%": "%}", "{#": "#}", "<%": "%>"}
_ADJ_WINDOW = 400  # characters scanned on each side of an image
_ADJ_CHARS = 80  # characters kept on each side


def _raw_end(name: str) -> re.Pattern[str]:
    pat = _RAW_END.get(name)
    if pat is None:
        pat = _RAW_END[name] = re.compile(r"</" + re.escape(name) + r"(?=[\t\n\f\r />])", re.I)
    return pat


def script_end(text: str, start: int, end: int) -> re.Match[str] | None:
    """The ``</script`` that ends a script element whose content starts at ``start``, as the
    tokenizer's script data states find it (WHATWG 13.2.5.4-13.2.5.31), or None.

    A ``<!--`` enters the escaped state, where ``<script`` (then whitespace, ``/`` or ``>``)
    enters the double-escaped one: there ``</script`` goes back to the escaped state instead
    of ending the element. ``-->`` goes back to plain script data from either. Only a script
    with a ``<!--`` before its first ``</script`` takes the state walk."""
    close = _raw_end("script")
    m = close.search(text, start, end)
    if text.find("<!--", start, m.start() if m is not None else end) < 0:
        return m
    data, escaped, double = _RX.SCRIPT_DATA, _RX.SCRIPT_ESCAPED, _RX.SCRIPT_DOUBLE
    state, p = data, start
    while True:
        m = state.search(text, p, end)
        if m is None:
            return None
        if state is data:
            if m.group(2):
                return m
            # right after "<!--" the tokenizer is in the escaped dash-dash state: "<!-->" ends it
            state, p = escaped, m.end() - 2
        elif state is escaped:
            if m.group(1):
                state, p = data, m.end()
            elif m.group(2):
                return m
            else:
                state, p = double, m.end()
        else:
            state, p = (data if m.group(1) else escaped), m.end()


def _drop_templates(s: str) -> str:
    """Each template block of ``s`` replaced by a space (see ``_ADJ_TPL_OPEN``), in linear time."""
    out: list[str] = []
    absent: set[str] = set()  # closers not in the rest of s
    pos = 0
    i = 0
    while True:
        m = _RX.ADJ_TPL_OPEN.search(s, i)
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


def _declarations(style: str) -> list[str]:
    """A style attribute's declarations: split at the ``;`` outside strings and brackets."""
    out: list[str] = []
    depth = 0
    quote = ""
    start = 0
    i = 0
    n = len(style)
    while i < n:
        c = style[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth = max(0, depth - 1)
        elif c == ";" and not depth:
            out.append(style[start:i])
            start = i + 1
        i += 1
    out.append(style[start:])
    return out


def style_hides(style: str) -> tuple[bool, str | None]:
    """(``display`` is ``none``, ``visibility``: "hidden", "visible" or None for unset) as the
    cascade reads an inline style: comments and strings are no declarations, a custom property
    (``--x: display:none``) is not ``display``, the last declaration wins unless an earlier one
    is ``!important``."""
    low = style.lower()
    if "display" not in low and "visibility" not in low:
        return False, None
    got: dict[str, tuple[str, bool]] = {}
    for decl in _declarations(_RX.STYLE_COMMENT.sub(" ", style)):
        prop, colon, value = decl.partition(":")
        prop = prop.strip().lower()
        if not colon or prop not in ("display", "visibility"):
            continue
        m = _RX.STYLE_IMPORTANT.search(value)
        important = m is not None
        value = (value[: m.start()] if m else value).strip().lower()
        if prop in got and got[prop][1] and not important:
            continue
        got[prop] = (value, important)
    display = got.get("display", ("", False))[0]
    vis = got.get("visibility", (None, False))[0]
    if vis in ("hidden", "collapse"):
        visibility: str | None = "hidden"
    elif vis in ("visible", "initial", "revert"):
        visibility = "visible"
    else:  # unset, inherit, or a value the browser drops
        visibility = None
    return display == "none", visibility


def _decode(raw: str) -> str:
    if "&" not in raw:
        return raw
    from html import unescape  # html.entities is a big table: loaded when a page has a reference

    return unescape(raw)


def _collapse(s: str) -> str:
    return " ".join(s.split())


def _image_text(p: "_Pending") -> str:
    """The text alternative of an image inside an element whose name comes from its content
    (accname 2C-2I, axe-core's order): a non-blank aria-label; nothing for a presentational
    image; the alt when it is not empty; then an image button's value, the title, and a button's
    default "Submit". An ``alt=""`` img is presentational itself unless a global ARIA attribute
    or a tabindex says otherwise. Its aria-labelledby is not followed (a labelledby traversal
    does not recurse)."""
    label = p.aria_label
    if label and label.strip():
        return label
    kw = p.kw
    if kw["presentational"]:
        return ""
    alt = kw["alt"]
    if alt:
        return alt
    attrs = kw["attrs"]
    element = kw["element"]
    if element == "input":
        for a, v in attrs:
            if a == "value":
                if v:
                    return v
                break
    elif alt is not None and element == "img":
        if not any(a == "tabindex" or a in GLOBAL_ARIA for a, _ in attrs):
            return ""
    title = p.title
    if title:
        return title
    return "Submit" if element == "input" else ""


def _has_own_name(p: "_Pending") -> bool:
    """Whether an image has a non-empty alt, aria-label or aria-labelledby of its own."""
    alt = p.kw.get("alt")
    return bool((alt and alt.strip()) or (p.aria_label and p.aria_label.strip()) or p.labelledby)


# ---------------------------------------------------------------- records


class _Rec:
    """An element whose content or attributes are needed in finish()."""

    __slots__ = ("start", "end", "tag", "aria_label", "alt", "title", "for_id", "hidden", "control", "outer")

    def __init__(self, start: int, tag: str, aria_label=None, alt=None, title=None, for_id=None, hidden=None) -> None:
        self.start = start  # content start (end of the start tag)
        self.end: int | None = None  # content end, set when the element closes
        self.tag = tag
        self.aria_label = aria_label
        self.alt = alt
        self.title = title
        self.for_id = for_id  # <label for=...>: its value, "" included (which labels nothing)
        self.hidden = hidden  # the element's hidden reason (its own or inherited), for names from its content
        self.control = False  # a <label>'s: has a labelable element started in it yet?
        self.outer: _Rec | None = None  # a <label>'s: the label it stands in, if any


# HTML's labelable elements (input but type=hidden; form-associated custom elements are not
# seen): a <label> without for= labels the first of them that starts in it, and only that one
_LABELABLE = frozenset(("button", "input", "meter", "output", "progress", "select", "textarea"))


def _first_in_labels(stack: list) -> list[_Rec]:
    """The open <label>s (outermost first) that a labelable element starting now is the first
    labelable descendant of; each is marked, so no later element is. Those with for= label
    the element that id names instead, so they are marked but not returned."""
    anc = stack[-1].near[_NEAR_LABEL] if stack else None
    lab = anc.label if anc is not None else None
    out: list[_Rec] = []
    while lab is not None and not lab.control:  # an outer label is marked when an inner one is
        lab.control = True
        if lab.for_id is None:
            out.append(lab)
        lab = lab.outer
    out.reverse()
    return out


class _Part:
    """What a name computed from content does not read as plain text: an image (``pending``),
    or an element with a non-blank aria-label (``label``) or the first hidden one on its
    path (``hidden`` set, its parent not hidden). The scan keeps the elements in ``_parts``;
    the images join them (``_name_parts``) only once a name from content is computed."""

    __slots__ = ("at", "start", "end", "label", "hidden", "pending")

    def __init__(self, at: int, start: int, label, hidden, pending=None) -> None:
        self.at = at  # offset of the start tag's '<'
        self.start = start  # end of the start tag
        self.end: int | None = start if pending is not None else None  # content end, set when it closes
        self.label = label
        self.hidden = hidden
        self.pending = pending


# _El.near: the nearest open element (this one included) of each kind, so that
# questions about the ancestors take one step instead of a walk down the stack
# (a walk per image or per tag is quadratic under many unclosed elements).
(
    _NEAR_LINK, _NEAR_FIGURE, _NEAR_LABEL, _NEAR_P, _NEAR_LI, _NEAR_DD, _NEAR_CELL, _NEAR_ROW, _NEAR_GROUP, _NEAR_RUBY,
    _NEAR_A,
) = range(11)  # fmt: skip
_NO_NEAR: tuple = (None,) * 11


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
    | _CELL_CLOSERS | _TABLE_BOUNDARY | {"ruby"}
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
        if name in _CELL_CLOSERS or name in _TABLE_BOUNDARY:
            boundary = name in _TABLE_BOUNDARY
            if boundary or name in _CELLS:
                near[_NEAR_CELL] = el
            if boundary or name == "tr":
                near[_NEAR_ROW] = el
            if boundary or name in _ROW_GROUPS:
                near[_NEAR_GROUP] = el
        if name == "ruby" or name in _SCOPE_BOUNDARY:
            near[_NEAR_RUBY] = el
        if name == "a" or name in _FORMATTING_MARKERS or name == "svg" or name == "math":
            near[_NEAR_A] = el  # the open link an <a> start tag would end, or what keeps it apart
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


def _block_space(m: re.Match[str]) -> str:
    """What a ``_STRIP_NAME`` token reads as: a space for a block's tag, nothing for the rest."""
    return "" if m.group(2) is None else " "


class _TextIndex:
    """``_STRIP_MARKUP`` run once over the whole text, for the text content of long elements
    (``names``: ``_STRIP_NAME``, a block's tag read as one space, for names from content).

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
        before: list[int] = []  # characters of stripped text before each token
        after: list[int] = []  # and after it (one more where the token reads as a space)
        pieces: list[str] = []
        pos = total = 0
        for m in (_RX.STRIP_NAME if names else _RX.STRIP_MARKUP).finditer(text):
            a, b = m.span()
            if a > pos:
                pieces.append(text[pos:a])
                total += a - pos
            starts.append(a)
            ends.append(b)
            before.append(total)
            if names and m.group(2) is not None:
                pieces.append(" ")
                total += 1
            after.append(total)
            pos = b
        pieces.append(text[pos:])
        self._starts, self._ends, self._before, self._after = starts, ends, before, after
        self._stripped = "".join(pieces)

    def _offset(self, x: int) -> tuple[int, int]:
        """(offset in the stripped text at ``x``, index of the token ``x`` is strictly inside or -1)."""
        i = bisect.bisect_right(self._starts, x) - 1
        if i < 0:
            return x, -1
        if x < self._ends[i]:
            return self._before[i], (i if x > self._starts[i] else -1)
        return self._after[i] + x - self._ends[i], -1

    def text(self, s: int, e: int, limit: int) -> str:
        """The first ``limit`` characters of ``_STRIP_MARKUP.sub("", text[s:e])`` (or of
        ``_STRIP_NAME.sub(_block_space, text[s:e])``)."""
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
        context: bool = True,
        xml: bool | None = None,
    ) -> None:
        self._text = text
        self._path = path
        # XHTML (an .xhtml file, served as XML): "/>" closes any element; in HTML it closes
        # only in svg and math content (a non-void HTML element's self-closing flag is ignored)
        self._xml = path.lower().endswith(".xhtml") if xml is None else xml
        self._index = index
        self.lang = lang
        self.lang_source = lang_source
        # compute each image's ImageContext (link, figure, adjacent text); only the
        # decorative check reads it, so `check` turns it off
        self._context = context
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
        self._parts: list[_Part] = []  # elements with an aria-label or hidden, in document order
        self._all_parts: tuple[list[_Part], list[int]] | None = None  # with the images, and where each starts
        self._text_index: _TextIndex | None = None
        self._name_index: _TextIndex | None = None  # the same with block tags as spaces
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
        rx = _RX
        # With no template closer in the range, no template block can close, and
        # '{' needs no look (a template opener without its closer is text).
        tpl = text.find("}}", start, end) >= 0 or text.find("%}", start, end) >= 0 or text.find("#}", start, end) >= 0
        tokens = (rx.CAND if tpl else rx.CAND_NO_TPL).finditer
        tag_name = rx.TAG_NAME.match
        void = VOID_ELEMENTS
        p_closers = _P_CLOSERS
        counted = _COUNTED
        near_names = _NEAR_NAMES
        integration = _INTEGRATION_POINTS
        labelable = _LABELABLE
        stack = self._stack
        counts = self._counts
        context = self._context
        xml = self._xml
        while True:
            # simple end tags and plain start tags in this loop; anything else breaks
            # out of it, and scanning goes on from where that thing ends
            for m in tokens(text, pos, end):
                end_name, start_name, slash, labelled, dq, sq, lslash = m.groups()
                if end_name is not None:  # simple end tag
                    name = end_name.lower()
                    if stack:
                        top = stack[-1]
                        if top.name == name:
                            if top.recs is None:
                                stack.pop()
                                counts[name] -= 1
                            else:  # its records end here
                                self._pop_to(len(stack) - 1, m.start())
                            continue
                    if not counts.get(name):
                        continue
                    for k in range(len(stack) - 1, -1, -1):
                        if stack[k].name == name:
                            self._pop_to(k, m.start())
                            break
                    continue
                if start_name is not None or labelled is not None:
                    # a plain start tag, or one but for its quoted aria-label (kept as a _Part)
                    i = m.start()
                    part = None
                    if start_name is not None:
                        name = start_name.lower()
                    else:
                        name = labelled.lower()
                        slash = lslash
                        label = dq if dq is not None else sq
                        if "&" in label:
                            label = _decode(label)
                        if label and not label.isspace():
                            part = _Part(i, m.end(), label, None)  # none of its attributes hides it
                            self._parts.append(part)
                    if name in p_closers and counts["p"] or name in counted:
                        self._implied_closes(name, i)
                    if name in void or slash and (xml or stack and stack[-1].foreign and stack[-1].name not in integration):
                        if part is not None:  # "/>" closes only in XHTML and in svg/math content
                            part.end = m.end()
                        continue
                    if stack:
                        parent = stack[-1]
                        el = _El(
                            name,
                            parent.hidden,
                            parent.lang,
                            parent.lang_source,
                            parent.foreign and parent.name not in integration,
                            i,
                        )
                        if part is not None:
                            el.recs = [part]
                        if name in near_names:
                            _push(stack, el)
                        else:  # what _push does for a name that changes no nearest element
                            el.near = parent.near
                            el.depth = len(stack)
                            stack.append(el)
                    else:
                        el = _El(name, None, self.lang, self.lang_source, False, i)
                        if part is not None:
                            el.recs = [part]
                        _push(stack, el)
                    counts[name] = counts.get(name, 0) + 1
                    if name in labelable and counts.get("label") and not el.foreign:
                        _first_in_labels(stack)  # as in _start_tag (its nearest label is its parent's)
                    if context and name == "figcaption" and counts.get("figure"):
                        self._figcaption(el, m.end())
                    continue
                i = m.start()
                c = text[i + 1]
                if text[i] == "{":
                    j = self._skip_template(i, end)
                    pos = j if j >= 0 else i + 1
                    if j < 0 and all(self._find(close, i, end) < 0 for close in ("}}", "%}", "#}")):
                        tokens = rx.CAND_NO_TPL.finditer
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
                    tm = tag_name(text, i + 1, end)
                    pos = self._start_tag(i, tm.group(), tm.end(), end)
                break
            else:
                return

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
            if self._context and (p.link is not None or p.figure is not None or not alt or alt.isspace()):
                ctx = self._context_extra(p)
                if ctx:
                    kw["context"] = ImageContext.from_pairs(ctx)
            images.append(make_image(**kw))
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
        m = _RX.TPL_OPEN.match(text, p, end)
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
                cm = _RX.COMMENT_END.search(text, k, end)
                if cm is None:
                    self._result.excluded.append(Span(i, end))
                    self._error(i, "unterminated HTML comment starting here")
                    return end
                stop, body = cm.end(), text[k : cm.start()]
            self._result.excluded.append(Span(i, stop))
            self._result.comment(body, stop)
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
        rx = _RX
        step = rx.ATTR_STEP.match
        ws = rx.WS_SLASH.match
        fast = rx.FAST_ATTR.match
        while True:
            sm = step(text, p, end)
            if sm is not None:  # the common case in one match: WS_SLASH then '>' or FAST_ATTR
                li = sm.lastindex
                if li == 1:
                    q = sm.start(1)
                    return q + 1, (q > p and text[q - 1] == "/"), attrs, has_tpl
                ne = sm.end(2)
                if li == 2:
                    attrs.append((sm.group(2).lower(), ne, -1, -1, ne))
                    p = ne
                else:
                    p = sm.end()
                    attrs.append((sm.group(2).lower(), ne, sm.start(li), sm.end(li), p))
                continue
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
            nm = _RX.SLOW_NAME.match(text, p, end)
            ne = nm.end()
            name = text[p:ne].lower()
            em = _RX.EQ.match(text, ne, end)
            if em is None:
                attrs.append((name, ne, -1, -1, ne))
                p = ne
                continue
            q = em.end()
            if q >= end:
                return None
            c = text[q]
            if c == '"' or c == "'":
                stop = _RX.DQ_STOP if c == '"' else _RX.SQ_STOP
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
                    r = _RX.UNQUOTED.match(text, r, end).end()
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

    def _implied_closes(self, name: str, i: int) -> None:
        counts = self._counts
        if name in _P_CLOSERS and counts["p"]:
            self._close_implied(_NEAR_P, ("p",), i)
        if name == "a":
            if counts["a"]:
                self._adopt_open_link(i)
        elif name == "li" and counts["li"]:
            self._close_implied(_NEAR_LI, ("li",), i)
        elif (name == "dt" or name == "dd") and (counts["dt"] or counts["dd"]):
            self._close_implied(_NEAR_DD, ("dt", "dd"), i)
        elif name in _OPTION_CLOSERS:
            stack = self._stack
            if stack and stack[-1].name == "option":
                self._pop_to(len(stack) - 1, i)
            if name == "optgroup" and stack and stack[-1].name == "optgroup" and counts.get("select"):
                self._pop_to(len(stack) - 1, i)
        elif name in _RUBY_PARTS:
            self._ruby_closes(name, i)
        elif name in _CELL_CLOSERS:
            if counts["td"] or counts["th"]:
                self._close_implied(_NEAR_CELL, _CELLS, i)
            if name != "td" and name != "th":
                if counts["tr"]:
                    self._close_implied(_NEAR_ROW, ("tr",), i)
                if name != "tr" and (counts["tbody"] or counts["thead"] or counts["tfoot"]):
                    self._close_implied(_NEAR_GROUP, _ROW_GROUPS, i)

    def _adopt_open_link(self, i: int) -> None:
        """An HTML <a> start tag at ``i`` with an <a> open: the open link ends here, and the
        elements that go on outside it (see _FORMATTING) lose what they inherited from it
        (hidden, lang, the nearest link), as the tree builder moves or reopens them. An
        element's own hidden or lang is told from an inherited one by its parent's value."""
        stack = self._stack
        if not stack or stack[-1].foreign and stack[-1].name not in _INTEGRATION_POINTS:
            return  # an SVG or MathML <a>: no adoption agency
        # the nearest <a>, marker or svg/math, in one step (a walk down the stack for each <a>
        # was quadratic: 20,000 unclosed spans under an <object>, then 20,000 links, took a minute)
        el = stack[-1].near[_NEAR_A]
        if el is None or el.name != "a" or el.foreign:
            return
        k = el.depth
        above = stack[k + 1 :]
        block = next((m for m, el in enumerate(above) if el.name in _HTML_SPECIAL), len(above))
        kept: list[tuple[_El, _El]] = []  # (the element under it before, the element), in order
        ended = [stack[k]]  # the link, and what the parser drops with it
        for m, el in enumerate(above):
            if m >= block or el.name in _FORMATTING:
                kept.append((stack[k + m], el))
            else:
                ended.append(el)
        counts = self._counts
        for el in ended:
            for rec in el.recs or ():
                if rec.end is None:
                    rec.end = i
            counts[el.name] -= 1
        del stack[k:]
        for old_parent, el in kept:
            parent = stack[-1] if stack else None
            if el.hidden == old_parent.hidden:  # inherited, not its own
                el.hidden = parent.hidden if parent is not None else None
            if (el.lang, el.lang_source) == (old_parent.lang, old_parent.lang_source):
                el.lang, el.lang_source = (parent.lang, parent.lang_source) if parent is not None else (self.lang, self.lang_source)
            _push(stack, el)

    def _ruby_closes(self, name: str, i: int) -> None:
        """rb/rt/rp/rtc with a ruby in scope: "generate implied end tags" (rt and rp leave an rtc open)."""
        stack = self._stack
        ruby = stack[-1].near[_NEAR_RUBY] if stack else None  # the nearest ruby or scope boundary
        if ruby is None or ruby.name != "ruby":
            return
        closing = _IMPLIED_END if name in ("rb", "rtc") else _IMPLIED_END_BUT_RTC
        k = len(stack)
        while k > 0 and stack[k - 1].name in closing:
            k -= 1
        if k < len(stack):
            self._pop_to(k, i)

    def _end_tag(self, i: int, end: int) -> int:
        text = self._text
        tm = _RX.TAG_NAME.match(text, i + 2, end)
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

        # the first of each name counts (reversed: later ones are overwritten by earlier)
        amap: dict[str, tuple[str, int, int, int, int]] = {a[0]: a for a in reversed(attrs)}

        def val(key: str) -> str | None:
            a = amap.get(key)
            if a is None or a[2] < 0:
                return None if a is None else ""
            return _decode(text[a[2] : a[3]])

        counts = self._counts
        if name in _P_CLOSERS or name in _COUNTED:
            self._implied_closes(name, i)

        stack = self._stack
        parent = stack[-1] if stack else None
        if parent is not None:
            p_hidden, p_lang, p_lsrc, p_foreign = parent.hidden, parent.lang, parent.lang_source, parent.foreign
        else:
            p_hidden, p_lang, p_lsrc, p_foreign = None, self.lang, self.lang_source, False
        if name == "image" and not (p_foreign and parent.name not in _INTEGRATION_POINTS):
            # WHATWG "in body": a start tag named "image" is renamed "img" and reprocessed (in
            # svg and math content it is their own element); the source keeps its spelling
            name = "img"

        # out of the accessibility tree?
        hidden = None
        visibility = None
        if "aria-hidden" in amap and (val("aria-hidden") or "").strip().lower() == "true":
            hidden = "aria-hidden"
        elif "hidden" in amap:
            hidden = "hidden"
        elif "style" in amap:
            display_none, visibility = style_hides(val("style") or "")
            if display_none:
                hidden = "display:none"
        if hidden is None:
            # visibility is inherited, and a descendant may make itself visible again; nothing
            # undoes aria-hidden, hidden or display:none on an ancestor
            if visibility is not None and p_hidden in (None, "visibility:hidden"):
                hidden = "visibility:hidden" if visibility == "hidden" else None
            else:
                hidden = p_hidden

        lang, lsrc = p_lang, p_lsrc
        for key in ("xml:lang", "lang") if ("lang" in amap or "xml:lang" in amap) else ():  # xml:lang wins
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
            pending = self._image(i, name_end, tag_end, name, kind, control, role, amap, attrs, hidden, lang, lsrc, has_tpl)
            if name == "input":
                idv = val("id")
                # <label for=x> labels the first element with id x only (finish() reads those)
                pending.input_id = idv if idv and idv not in self._ids else None
                labels = _first_in_labels(stack) if counts.get("label") else None
                if labels:
                    pending.labels = labels
        if name in _LABELABLE and counts.get("label") and not foreign and (pending is None or name != "input"):
            if name != "input" or (val("type") or "").lower() != "hidden":
                _first_in_labels(stack)  # a later image button in these labels is not labelled by them

        if pending is not None and self._context and (counts.get("a") or counts.get("button") or counts.get("figure")):
            self._attach_context(pending)

        el = None
        closes = self_closing and (foreign or self._xml)  # an HTML element's "/>" is ignored
        raw = name in (RAW_TEXT_FOREIGN if foreign else RAW_TEXT_ELEMENTS) and not closes
        push = not raw and not closes and name not in VOID_ELEMENTS
        if push:
            el = _El(name, hidden, lang, lsrc, foreign, i)

        recs: list = []
        if kind != "img" and (hidden is not None and p_hidden is None or "aria-label" in amap):
            # a name from content skips this element's content (hidden) or reads its aria-label instead
            label = val("aria-label") if "aria-label" in amap else None
            if label is not None and not label.strip():
                label = None
            if label is not None or hidden is not None and p_hidden is None and (push or raw):
                part = _Part(i, tag_end, label, hidden if p_hidden is None else None)
                self._parts.append(part)
                recs.append(part)
        idv = val("id") if "id" in amap else None
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
            outer = parent.near[_NEAR_LABEL] if parent is not None else None
            lab.outer = outer.label if outer is not None else None
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
        if name == "figcaption" and el is not None and self._context and counts.get("figure"):
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
                cm = script_end(text, tag_end, end) if name == "script" and not foreign else _raw_end(name).search(text, tag_end, end)
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

    def _image(self, i, name_end, tag_end, name, kind, control, role, amap, attrs, hidden, lang, lsrc, has_tpl) -> _Pending:
        text = self._text
        line, column = self._index.position(i)
        src = alt = alt_span = insert_at = None
        dynamic = False
        fixable = kind == "img"
        if fixable:
            if name != "area":
                a = amap.get("src")
                if a is not None:
                    src = "" if a[2] < 0 else _decode(text[a[2] : a[3]])
            a = amap.get("alt")
            if a is not None:
                if a[2] < 0:
                    alt, alt_span = "", Span(a[1], a[1])
                else:
                    raw = text[a[2] : a[3]]
                    alt, alt_span = _decode(raw), Span(a[2], a[3])
                has_tpl_in = _RX.HAS_TPL.search
                for b in attrs:
                    if b[0] == "alt" and b[2] >= 0 and has_tpl_in(text, b[2], b[3]):
                        dynamic = True
                        break
            else:
                s = amap.get("src") if name != "area" else None
                insert_at = s[4] if s is not None else name_end
        presentational = False
        if role == "none" or role == "presentation":
            conflict = control or "tabindex" in amap or not GLOBAL_ARIA.isdisjoint(amap)
            presentational = not conflict
        attr_values = tuple([(a[0], None if a[2] < 0 else _decode(text[a[2] : a[3]])) for a in attrs])
        a = amap.get("title")
        title = None if a is None else ("" if a[2] < 0 else _decode(text[a[2] : a[3]]))
        a = amap.get("aria-labelledby")
        labelledby = None if a is None else ("" if a[2] < 0 else _decode(text[a[2] : a[3]]))
        a = amap.get("aria-label")
        aria_label = None if a is None else ("" if a[2] < 0 else _decode(text[a[2] : a[3]]))
        kw = {
            "path": self._path,
            "syntax": Syntax.HTML,
            "element": name,
            "element_span": Span(i, tag_end),
            "line": line,
            "column": column,
            "src": src,
            "alt": alt,
            "alt_span": alt_span,
            "insert_at": insert_at,
            "title": title,
            "hidden": hidden,
            "presentational": presentational,
            "control": control,
            "dynamic_alt": dynamic,
            "fixable": fixable,
            "lang": lang,
            "lang_source": lsrc,
            "attrs": attr_values,
        }
        if has_tpl:
            kw["hints"] = HtmlHints(template_in_tag=True)
        pending = _Pending(kw, labelledby, aria_label, title)
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
        tm = _RX.TAG_NAME.match(text, el.start + 1) if el.start >= 0 and el.name != "figure" else None
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
        edge = _RX.BLOCK_EDGE.match
        cross = _RX.BLOCK_CROSS.match
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

    def _rec_text(self, rec: _Rec, names: bool = False) -> str:
        """The element's text content: markup stripped, whitespace collapsed (see ``_TEXT_READ``);
        with ``names``, as a name from content reads it (``_plain_text``)."""
        end = rec.end if rec.end is not None else self._pos
        if end <= rec.start:
            return ""
        key = (rec.start, end, names)
        hit = self._texts.get(key)
        if hit is None:
            hit = self._texts[key] = _collapse(self._plain_text(rec.start, end, names))[:_TEXT_MAX]
        return hit

    def _plain_text(self, start: int, end: int, names: bool = False) -> str:
        """``text[start:end]`` with its markup stripped and references decoded (at most ``_TEXT_READ``
        characters of it); whitespace as it is. With ``names`` (a name from content), each start
        or end tag of a block (``_NAME_BLOCKS``: p, div, li, a table cell, br, ...) reads as a
        space, as in Chromium and axe-core, and other tags as nothing: ``<p>Sales</p><p>2024</p>``
        is "Sales 2024", ``<b>Sales</b><i>2024</i>`` "Sales2024"."""
        if end <= start:
            return ""
        if end - start <= _TEXT_READ:
            if names:
                body = _RX.STRIP_NAME.sub(_block_space, self._text[start:end])
            else:
                body = _RX.STRIP_MARKUP.sub("", self._text[start:end])
        elif names:
            if self._name_index is None:
                self._name_index = _TextIndex(self._text, names=True)
            body = self._name_index.text(start, end, _TEXT_READ)
        else:
            if self._text_index is None:
                self._text_index = _TextIndex(self._text)
            body = self._text_index.text(start, end, _TEXT_READ)
        return _decode(body)

    def _content_name(self, rec: _Rec, skip: _Pending | None = None) -> str:
        """The name of ``rec`` from its content (accname 2F, as axe-core computes it in a
        labelledby or label traversal): its text, where each descendant image gives its text
        alternative (``_image_text``) and each descendant with a non-blank aria-label gives
        that instead of its content, and a block's tags separate words (``_plain_text``); hidden
        descendants (the first hidden element on a path, with all it holds, and hidden images) give nothing, unless ``rec`` is hidden itself
        (accname: all of a hidden referenced node is read). No aria-labelledby in it is
        followed, so nothing loops. ``skip`` is an image that adds nothing (the control a
        label labels). At most ``_PARTS_MAX`` descendants are looked at and ``_TEXT_READ``
        characters read; whitespace collapsed, ``_TEXT_MAX`` kept."""
        start = rec.start
        end = rec.end if rec.end is not None else self._pos
        if end <= start:
            return ""
        parts, at = self._name_parts()
        i = bisect.bisect_left(at, start)
        n = len(at)
        if i >= n or at[i] >= end:
            return self._rec_text(rec, True)  # no image, aria-label or hidden element inside: its text
        show_hidden = rec.hidden is not None
        pieces: list[str] = []
        size = 0
        pos = start
        seen = 0
        while i < n and at[i] < end:
            if seen == _PARTS_MAX:
                end = at[i]  # the text up to it still counts
                break
            seen += 1
            part = parts[i]
            p = part.pending
            hidden = part.hidden is not None and not show_hidden
            if p is not None:  # an image (void: nothing inside it)
                i += 1
                if hidden or p is skip:
                    continue
                name = _image_text(p)
                if not name:
                    continue
                name = " " + name + " "  # an img is no phrasing content to axe: spaces around it
            elif hidden or part.label is not None:  # its content is left out, or named by its label
                name = "" if hidden else " " + part.label + " "
                stop = part.end if part.end is not None else self._pos
                i = bisect.bisect_left(at, stop, i + 1)
            else:  # a hidden element whose content counts (rec is hidden too)
                i += 1
                continue
            t = self._plain_text(pos, part.at, True)
            pieces.append(t)
            pieces.append(name)
            size += len(t) + len(name)
            pos = part.end if part.end is not None else self._pos
            if size >= _TEXT_READ:
                return _collapse("".join(pieces))[:_TEXT_MAX]
        pieces.append(self._plain_text(pos, end, True))
        return _collapse("".join(pieces))[:_TEXT_MAX]

    def _name_parts(self) -> tuple[list[_Part], list[int]]:
        """``_parts`` and the images (img, image button, area), in document order, with their starts."""
        got = self._all_parts
        if got is None:
            images = []
            for p in self._pending:  # in document order too
                kw = p.kw
                if kw["fixable"]:
                    span = kw["element_span"]
                    images.append(_Part(span.start, span.end, None, kw["hidden"], p))
            parts = sorted(self._parts + images, key=lambda part: part.at) if images else self._parts
            got = self._all_parts = (parts, [part.at for part in parts])
        return got

    def _referenced_name(self, rec: _Rec) -> str:
        hit = self._names.get(id(rec))
        if hit is None:
            hit = self._names[id(rec)] = self._referenced_name_of(rec)
        return hit

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
                own = lab.aria_label
                t = _collapse(own) if own and own.strip() else self._content_name(lab, p)
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
    context: bool = True,
) -> ParseResult:
    """Whole-document convenience: feed(0, len(text)) then finish()."""
    scanner = HtmlScanner(
        text, path, index if index is not None else LineIndex(text), lang=lang, lang_source=lang_source, context=context
    )
    scanner.feed(0, len(text))
    return scanner.finish()
