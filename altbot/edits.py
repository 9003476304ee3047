"""Stage: a decision → one minimal Edit that writes alt text back into the source.

``alt_edit(image, text, alt)`` and ``decorative_edit(image, text)`` return one
:class:`~altbot.outcome.Edit` that changes only the alt *value* (or inserts an alt
attribute / field where there is none). Every other byte of ``text`` — attribute
order, quote style, whitespace, ``/>``, CRLF, entities, template syntax, YAML
comments — is left alone. When an image cannot be edited safely they raise
:class:`EditError`; its ``reason`` is a message for the user.

The alt is normalised first (:func:`normalise_alt`): control characters are
dropped, each run of line breaks / tabs becomes one space, and the result is
stripped. Writing the alt the image already has returns a no-op edit (the
original bytes), so a second pass changes nothing.

Per syntax:

* **HTML** (HTML files and raw HTML in Markdown): quoted values keep their
  quote; unquoted values and bare ``alt`` become ``alt="..."``. A missing alt is
  inserted after ``src`` (or after the tag name) as ``<sep>alt="..."``, where
  ``<sep>`` is the whitespace in front of ``src`` (its last line break and
  indentation when it spans lines) and the quote is the one ``src`` uses.
  Escaped: ``&`` ``<`` ``>`` the quote, the backtick (a Markdown code span
  could otherwise close inside the value) and ``{`` before ``{``/``%``/``#``
  (template openers; a template engine would run them).
* **Markdown**: the bracket text gets the escaped alt; ``\\ [ ] ` * < { } | ~``
  are always backslash-escaped, ``_`` unless it is between two alphanumerics,
  ``&`` when it would start an entity. Collapsed / shortcut references, whose
  bracket text is also the label, become full references
  ``![New alt][original label]``. With a Pandoc/kramdown attribute block the
  ``alt=`` value inside it is edited (keeping its quote, backslash escapes);
  a block without ``alt=`` is left alone and the brackets are edited.
* **JSX**: string values keep their quote and use entities (``&amp;``,
  ``&quot;``/``&#39;``, plus ``&#96;`` for backticks, ``&#91;`` after ``!``,
  ``&#123;`` before ``{``, so the Markdown and shortcode scanners that read the
  same MDX text see no code span, image or shortcode in it); a string-literal
  expression (``alt={"x"}``) gets a new JS string literal; any other
  expression, a bare ``alt``, or a spread that may supply or override alt
  raises EditError.
* **Hugo shortcodes**: ``"..."`` with ``\\"`` and ``\\\\`` escapes, or a
  backtick raw string when the value holds ``"`` or ``\\`` but no backtick.
* **Front matter** (YAML/TOML, line-targeted, never re-serialised): see
  ``_frontmatter_edit``; YAML block scalars (``|``/``>``) are replaced by a
  double-quoted scalar on the indicator's line.

Decorative (``alt=""``) exists only for HTML and JSX; Markdown, front matter
and shortcodes raise ``EditError(DECORATIVE_UNSUPPORTED)``, as do controls
(``<input type=image>``, ``<area href>``), which always need a name.
"""

from __future__ import annotations

import json
import re

from dataclasses import replace

from altbot.model import FrontMatterHints, Image, MarkdownHints, ShortcodeHints, SourceFile, Span, Status, Syntax
from altbot.outcome import Edit, Outcome

__all__ = ["DECORATIVE_UNSUPPORTED", "EditError", "alt_edit", "decorative_edit", "edit_for_alt", "edit_outcome", "normalise_alt"]

DECORATIVE_UNSUPPORTED = "Markdown cannot mark an image decorative; record it in the ledger"


class EditError(Exception):
    """The image cannot be edited automatically; ``reason`` says why (for the user)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# ------------------------------------------------------------------ normalising

# C0/C1 controls and lone surrogates, except the whitespace handled below.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]")
_BREAKS = re.compile("[\t\n\v\f\r\x85\u2028\u2029]+")


def normalise_alt(alt: str) -> str:
    """The single line that is written: controls dropped, CR/LF/tab runs → one space, stripped."""
    return _BREAKS.sub(" ", _CONTROLS.sub("", alt)).strip()


# ------------------------------------------------------------------ public API


def alt_edit(image: Image, text: str, alt: str) -> Edit:
    """The edit that gives ``image`` the alt text ``alt`` (normalised). Raises EditError."""
    value = normalise_alt(alt)
    if not value:
        raise EditError("the alt text is empty; use decorative_edit to mark an image decorative")
    return _edit(image, text, value)


def decorative_edit(image: Image, text: str) -> Edit:
    """The edit that marks ``image`` decorative (``alt=""``). HTML and JSX only. Raises EditError."""
    if image.syntax in (Syntax.MARKDOWN, Syntax.FRONTMATTER, Syntax.SHORTCODE, Syntax.LIQUID):
        raise EditError(DECORATIVE_UNSUPPORTED)
    if image.control:
        raise EditError(
            f"<{image.element}> is a control (image button or link area): it needs a text "
            "alternative and cannot be decorative"
        )
    return _edit(image, text, "")


def _encodable(replacement: str, source: SourceFile, syntax: Syntax) -> str | None:
    """The replacement in a form the file's encoding can hold, or None."""
    try:
        replacement.encode(source.encoding)
        return replacement
    except UnicodeEncodeError:
        if syntax in (Syntax.HTML, Syntax.JSX):  # HTML and JSX decode numeric character references
            return replacement.encode(source.encoding, "xmlcharrefreplace").decode(source.encoding)
        return None


def edit_for_alt(source: SourceFile, image: Image, alt: str) -> Edit | str:
    """The edit that writes ``alt`` for ``image`` in ``source``, or why it cannot be written."""
    try:
        edit = alt_edit(image, source.text, alt)
    except EditError as exc:
        return str(exc)
    replacement = _encodable(edit.replacement, source, image.syntax)
    if replacement is None:
        return f"the alt text has characters that the file's encoding ({source.encoding}) cannot hold"
    return Edit(edit.start, edit.end, replacement)


def edit_outcome(outcome: Outcome, source: SourceFile) -> Outcome:
    """The outcome with the Edit that applies it; skipped, with why, when it cannot be written.

    A decorative Markdown/front-matter/shortcode image has no edit: its record is the ledger.
    """
    img = outcome.finding.image
    s = outcome.suggestion
    if outcome.status is Status.DECORATIVE:
        if img.syntax not in (Syntax.HTML, Syntax.JSX):
            return replace(outcome, edit=None)
        try:
            return replace(outcome, edit=decorative_edit(img, source.text))
        except EditError as exc:
            return replace(outcome, status=Status.SKIPPED, reason=str(exc), edit=None)
    if outcome.status is Status.FIXED and s is not None and s.alt:
        edit = edit_for_alt(source, img, s.alt)
        if isinstance(edit, str):
            return replace(outcome, status=Status.SKIPPED, reason=edit, edit=None)
        return replace(outcome, edit=edit)
    return replace(outcome, edit=None)


def _edit(image: Image, text: str, value: str) -> Edit:
    if not image.fixable:
        raise EditError(f"<{image.element}> is reported only; give it an accessible name by hand")
    span = image.alt_span
    if image.element_span.end > len(text) or (span is not None and span.end > len(text)):
        raise EditError("the file changed since it was parsed; parse it again")
    if image.syntax is Syntax.JSX:
        _check_jsx(image)  # spreads and expressions, even when the value looks right
    elif image.dynamic_alt:
        raise EditError("alt is computed (template syntax or a YAML alias); edit it by hand")
    if image.alt is not None and span is not None and image.alt == value:
        return Edit.replacement_of(span, text[span.start : span.end])  # nothing to change
    handler = _HANDLERS.get(image.syntax)
    if handler is None:  # pragma: no cover - every Syntax has a handler
        raise EditError(f"cannot edit {image.syntax.value} images")
    return handler(image, text, value)


# ------------------------------------------------------------------ shared helpers

_WS = " \t\n\r\f"
_SRC = re.compile(r"(src)[\t\n\f\r ]*=[\t\n\f\r ]*", re.I)
_CLOSERS = {'"': '"', "'": "'", "`": "`", "{": "}"}


def _ws_before(text: str, pos: int) -> int:
    while pos > 0 and text[pos - 1] in _WS:
        pos -= 1
    return pos


def _ws_after(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WS:
        pos += 1
    return pos


def _last_line(ws: str) -> str:
    """Whitespace to reuse: from its last line break on (no blank lines), or all of it."""
    k = max(ws.rfind("\n"), ws.rfind("\r"))
    if k < 0:
        return ws
    if ws[k] == "\n" and k > 0 and ws[k - 1] == "\r":
        k -= 1
    return ws[k:]


def _find_src(text: str, image: Image) -> tuple[int, str, str | None] | None:
    """(start of the name, name as written, opening quote) of the src whose value ends at insert_at."""
    start, end = image.element_span.start, image.insert_at
    assert end is not None
    found = None
    for m in _SRC.finditer(text, start, end):
        p = m.start()
        if p == 0 or text[p - 1] not in _WS + "/\"'}`":
            continue
        v = m.end()
        if v >= end:
            continue
        closer = _CLOSERS.get(text[v])
        if closer is not None:
            if end - v >= 2 and text[end - 1] == closer:
                found = (p, m.group(1), text[v])
        elif not any(c in _WS for c in text[v:end]):
            found = (p, m.group(1), None)
    return found


def _insertion_point(text: str, image: Image, closers: str) -> tuple[int, str, tuple[int, str, str | None] | None]:
    """(offset, separator, src info) for a new attribute."""
    at = image.insert_at
    if at is None:
        raise EditError(f"no place to add alt to <{image.element}>; edit it by hand")
    src = _find_src(text, image)
    if src is not None:
        sep = _last_line(text[_ws_before(text, src[0]) : src[0]]) or " "
        return at, sep, src
    j = _ws_after(text, at)
    ws = text[at:j]
    if ws and j < len(text) and text[j] not in closers:
        return at, _last_line(ws), None  # the spacing between the name and the first attribute
    return at, " ", None


# ------------------------------------------------------------------ HTML

_TPL_OPEN = re.compile(r"\{(?=[{%#])")


def _html_escape(value: str, quote: str, link: bool = False) -> str:
    s = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("`", "&#96;")
    s = s.replace('"', "&quot;") if quote == '"' else s.replace("'", "&#39;")
    if link:  # an unfinished Markdown link title/destination before the tag must not end here
        s = s.replace('"', "&quot;").replace("'", "&#39;").replace("(", "&#40;").replace(")", "&#41;")
    return _TPL_OPEN.sub("&#123;", s)


def _html_value_kind(text: str, span: Span) -> tuple[str, str | None]:
    """("quoted", q) | ("unquoted", None) | ("bare", None) for an attribute value span."""
    s, e = span.start, span.end
    if s > 0 and text[s - 1] in "\"'" and e < len(text) and text[e] == text[s - 1]:
        j = _ws_before(text, s - 1)
        if j > 0 and text[j - 1] == "=":
            return "quoted", text[s - 1]
    j = _ws_before(text, s)
    if j > 0 and text[j - 1] == "=":
        return "unquoted", None
    return "bare", None


def _html_edit(image: Image, text: str, value: str) -> Edit:
    span = image.alt_span
    link = "](" in _paragraph_before(text, image.element_span.start)
    if span is not None:
        kind, q = _html_value_kind(text, span)
        if kind == "quoted":
            return Edit.replacement_of(span, _html_escape(value, q, link))
        lit = '"' + _html_escape(value, '"', link) + '"'
        return Edit.replacement_of(span, lit if kind == "unquoted" else "=" + lit)
    at, sep, src = _insertion_point(text, image, ">/")
    q = "'" if src is not None and src[2] == "'" else '"'
    if src is not None:
        upper = src[1].isupper()
    else:
        tag = text[image.element_span.start + 1 : image.element_span.start + 1 + len(image.element)]
        upper = tag.isupper()
    name = "ALT" if upper else "alt"
    return Edit.insertion(at, f"{sep}{name}={q}{_html_escape(value, q, link)}{q}")


# ------------------------------------------------------------------ Markdown

_MD_ALWAYS = frozenset("\\[]*<{}|~")
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_REF_DEF = re.compile(r"^[ >]*\[(?:[^\]\\\r\n]|\\.)+\]:[^\r\n]*", re.M)
_BLANK_LINE = re.compile(r"(?:\r\n|\r(?!\n)|\n)[ \t]*(?:\r\n|\r|\n)")


def _paragraph_before(text: str, pos: int) -> str:
    """The text from the last blank line up to ``pos``: where an open construct could be closed."""
    last = None
    for m in _BLANK_LINE.finditer(text, max(0, pos - 20000), pos):
        last = m
    return text[last.end() if last is not None else max(0, pos - 20000) : pos]


def _md_escape(value: str, before: str = "", link: bool | None = None) -> str:
    """Bracket text that CommonMark (and MDX) reads back as exactly ``value``.

    ``before`` is the paragraph up to the image: a backtick there could pair with
    one in the alt (backslashes do not stop a code span from closing), a ``<``
    with a ``>`` (HTML, autolinks), a ``](`` with a quote or parenthesis (an
    unfinished link destination or title); then those are written as entities or
    escaped.
    """
    tick = "&#96;" if "`" in before else "\\`"
    gt = "&gt;" if "<" in before else ">"
    link = "](" in before if link is None else link
    out = []
    n = len(value)
    i = 0
    while i < n:
        c = value[i]
        if c == "_":
            j = i
            while j < n and value[j] == "_":
                j += 1
            intraword = i > 0 and j < n and value[i - 1].isalnum() and value[j].isalnum()
            out.append(value[i:j] if intraword else "\\_" * (j - i))
            i = j
            continue
        if c == "`":
            out.append(tick)
        elif c == ">":
            out.append(gt)
        elif c in _MD_ALWAYS or (c == "&" and _ENTITY_LIKE.match(value, i)) or (link and c in "\"'()"):
            out.append("\\" + c)
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _md_edit(image: Image, text: str, value: str) -> Edit:
    span = image.alt_span
    if span is None:  # pragma: no cover - the Markdown parser always sets it
        raise EditError("cannot locate the alt text of this image")
    hints = image.hints if isinstance(image.hints, MarkdownHints) else MarkdownHints()
    quote = hints.alt_quote
    before = _paragraph_before(text, image.element_span.start)
    if quote is not None:  # alt="..." in a Pandoc/kramdown attribute block: backslash escapes only
        if ("`" in value and "`" in before) or (">" in value and "<" in before):
            raise EditError(
                "a backtick or '>' in this attribute value could close something "
                "opened earlier in the paragraph; edit it by hand"
            )
        specials = (quote or '"') + ("\"'()" if "](" in before else "")
        esc = "".join("\\" + c if c == "\\" or c in specials else c for c in value)
        edit = Edit.replacement_of(span, esc if quote else f'"{esc}"')
        _md_verify(image, text, edit, value, len(before))
        return edit
    kind = hints.ref_kind

    def bracket_edit(esc: str) -> Edit:
        if kind in ("collapsed", "shortcut"):
            label = text[span.start : span.end]
            if kind == "collapsed":
                if text[span.end : span.end + 3] != "][]":
                    raise EditError("cannot locate the reference of this image; edit it by hand")
                return Edit(span.start, span.end + 2, f"{esc}][{label}")
            if text[span.end : span.end + 1] != "]":
                raise EditError("cannot locate the reference of this image; edit it by hand")
            return Edit(span.start, span.end, f"{esc}][{label}")
        return Edit.replacement_of(span, esc)

    # Quotes and parentheses are escaped only after an unfinished link destination or title
    # (a "](" whose parenthesis is still open): the same alt reads the same in every other
    # paragraph, whatever finished links come before it.
    edit = bracket_edit(_md_escape(value, before, link=_open_link_tail(before)))
    _md_verify(image, text, edit, value, len(before))
    return edit


def _open_link_tail(before: str) -> bool:
    """Does ``before`` end inside a link's destination or title: a ``](`` not yet closed?"""
    if "](" not in before:
        return False
    depth: list[int] = []
    i, n = 0, len(before)
    while i < n:
        c = before[i]
        if c == "\\":
            i += 2
            continue
        if c == "]" and before.startswith("](", i):
            depth.append(1)
            i += 2
            continue
        if depth:
            if c == "(":
                depth[-1] += 1
            elif c == ")":
                depth[-1] -= 1
                if depth[-1] == 0:
                    depth.pop()
            elif c in "\r\n" and before.startswith(("\n\n", "\r\n\r\n"), i):
                depth.clear()
        i += 1
    return bool(depth)


_MD_CHANGES_PARAGRAPH = (
    "writing this alt would change how the paragraph is read: it could close or "
    "complete something opened earlier in the paragraph; edit it by hand"
)


def _md_verify(image: Image, text: str, edit: Edit, value: str, before_len: int) -> None:
    """Raise EditError unless the paragraph reads back with the new alt and nothing else changed."""
    if _md_reads_back(image, text, edit, value, before_len) is False:
        raise EditError(_MD_CHANGES_PARAGRAPH)


def _md_reads_back(image: Image, text: str, edit: Edit, value: str, before_len: int) -> bool | None:
    """Re-parse the image's paragraph with the edit applied: the same images, the new alt.

    True when it does, False when it does not, None when the paragraph alone does
    not show the image (the context is elsewhere) and so cannot tell.

    The bracket text of an image can keep something opened earlier in the
    paragraph from closing (``<http://x![a b](p.png)>``: the space stops the
    autolink); no escaping can promise the new text does too, so the result is
    checked and the edit refused when the paragraph would read differently.
    """
    from altbot.model import LineIndex
    from altbot.outcome import apply_edits
    from altbot.parse.markdown import parse_markdown

    start = image.element_span.start - before_len
    m = _BLANK_LINE.search(text, image.element_span.end, image.element_span.end + 20000)
    end = m.start() if m is not None else min(len(text), image.element_span.end + 20000)
    # reference definitions anywhere in the file decide what ``[x][y]`` around the image is
    defs = "".join("\n\n" + d.group().lstrip(" >") for d in _REF_DEF.finditer(text))
    old = text[start:end] + defs
    new = apply_edits(old, [Edit(edit.start - start, edit.end - start, edit.replacement)])

    def found(snippet: str) -> list[tuple[int, str | None]]:
        result = parse_markdown(snippet, image.path, LineIndex(snippet))
        return [(im.element_span.start, im.alt) for im in result.images if im.syntax is Syntax.MARKDOWN]

    before_images = found(old)
    here = image.element_span.start - start
    if not any(pos == here for pos, _ in before_images):
        return None  # the paragraph alone does not show the image (context elsewhere): nothing to compare
    delta = len(edit.replacement) - (edit.end - edit.start)
    expected = [
        (pos if pos <= here else pos + delta, value if pos == here else alt) for pos, alt in before_images
    ]
    return found(new) == expected


# ------------------------------------------------------------------ JSX

_JSX_IMAGE_OPEN = re.compile(r"(?<=!)\[")


def _jsx_escape(value: str, quote: str) -> str:
    s = value.replace("&", "&amp;").replace("`", "&#96;")
    s = s.replace('"', "&quot;") if quote == '"' else s.replace("'", "&#39;")
    s = _JSX_IMAGE_OPEN.sub("&#91;", s)
    return re.sub(r"\{(?=\{)", "&#123;", s)


def _js_literal(value: str) -> str:
    s = json.dumps(value, ensure_ascii=False)
    s = s.replace("`", "\\u0060").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    s = _JSX_IMAGE_OPEN.sub(r"\\u005b", s)
    return re.sub(r"\{(?=\{)", r"\\u007b", s)


def _check_jsx(image: Image) -> None:
    names = [k for k, _ in image.attrs]
    spreads = [i for i, k in enumerate(names) if k == "..."]
    if "alt" in names:
        last_alt = max(i for i, k in enumerate(names) if k == "alt")
        if spreads and spreads[-1] > last_alt:
            raise EditError("a {...spread} after alt may override it; edit it by hand")
        if image.alt_span is None:
            raise EditError("alt is a bare boolean attribute; edit it by hand")
        if image.dynamic_alt:
            raise EditError("alt is an expression; edit it by hand")
        return
    if spreads:
        srcs = [i for i, k in enumerate(names) if k == "src"]
        if not srcs or spreads[-1] > srcs[-1]:
            raise EditError("a {...spread} after src may supply or override alt; edit it by hand")


def _jsx_edit(image: Image, text: str, value: str) -> Edit:
    span = image.alt_span
    if span is not None:
        s, e = span.start, span.end
        if s > 0 and text[s - 1] in "\"'" and e < len(text) and text[e] == text[s - 1]:
            return Edit.replacement_of(span, _jsx_escape(value, text[s - 1]))
        if text[s : s + 1] == "{" and text[e - 1 : e] == "}":  # {"literal"}: a new JS string literal
            a, b = s + 1, e - 1
            while a < b and text[a] in _WS:
                a += 1
            while b > a and text[b - 1] in _WS:
                b -= 1
            if b - a >= 2 and text[a] in "\"'`" and text[b - 1] == text[a]:
                return Edit(a, b, _js_literal(value))
            raise EditError("alt is an expression; edit it by hand")
        # an unquoted value, as HTML (an Astro template) allows: written back quoted
        return Edit(s, e, f'"{_jsx_escape(value, chr(34))}"')
    at, sep, src = _insertion_point(text, image, ">/")
    q = "'" if src is not None and src[2] == "'" else '"'
    return Edit.insertion(at, f"{sep}alt={q}{_jsx_escape(value, q)}{q}")


# ------------------------------------------------------------------ Hugo shortcodes


def _hugo_double(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _hugo_literal(value: str) -> str:
    if ('"' in value or "\\" in value) and "`" not in value:
        return f"`{value}`"
    return f'"{_hugo_double(value)}"'


def _shortcode_edit(image: Image, text: str, value: str) -> Edit:
    span = image.alt_span
    if span is not None:
        s, e = span.start, span.end
        d = text[s - 1 : s] if s > 0 else ""
        if d in ('"', "`") and text[e : e + 1] == d:
            if d == '"':
                return Edit.replacement_of(span, _hugo_double(value))
            if "`" not in value:
                return Edit.replacement_of(span, value)
            return Edit(s - 1, e + 1, _hugo_literal(value))
        return Edit.replacement_of(span, _hugo_literal(value))  # unquoted
    at, sep, _ = _insertion_point(text, image, ">%/")
    src, param = _tag_params(image)
    if param.isdigit():  # a positional alt: only as the next one, right after the src given last
        given = sum(1 for k, _ in image.attrs if k.isdigit())
        if int(param) != given or src != str(given - 1):
            raise EditError(f"the alt is positional parameter {param} of this shortcode; add it by hand")
        return Edit.insertion(at, f" {_hugo_literal(value)}")
    return Edit.insertion(at, f"{sep}{param}={_hugo_literal(value)}")


def _tag_params(image: Image) -> tuple[str, str]:
    """(src parameter, alt parameter) of a shortcode or include image: a site's own may differ."""
    hints = image.hints
    return (hints.src_param, hints.alt_param) if isinstance(hints, ShortcodeHints) else ("src", "alt")


def _liquid_string(value: str) -> str:
    """A Liquid include parameter string Jekyll reads back as ``value`` (it turns ``\\"`` into a
    quote, ``\\'`` in single quotes, and keeps every other backslash)."""
    if "%}" in value:  # Liquid would end the tag there
        raise EditError("this alt text holds '%}', which would end the Jekyll include tag; edit it by hand")
    if "\\" not in value:
        return '"' + value.replace('"', '\\"') + '"'
    if "'" not in value and not value.endswith("\\"):
        return "'" + value + "'"
    if '"' not in value and not value.endswith("\\"):
        return '"' + value + '"'
    raise EditError("this alt text (backslashes and quotes) cannot be written as a Jekyll include parameter; edit it by hand")


def _liquid_edit(image: Image, text: str, value: str) -> Edit:
    span = image.alt_span
    if span is not None:  # inside its quotes: the quotes are rewritten with it
        return Edit(span.start - 1, span.end + 1, _liquid_string(value))
    at, sep, _ = _insertion_point(text, image, "%-")
    return Edit.insertion(at, f"{sep}{_tag_params(image)[1]}={_liquid_string(value)}")


# ------------------------------------------------------------------ front matter

# YAML's printable set (c-printable), minus nothing: what may appear unescaped.
_YAML_NONPRINT = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_YAML_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_YAML_SPECIAL = frozenset(
    "y n yes no true false on off null ~ .inf -.inf +.inf .nan = <<".split()
)
_TOML_ESCAPE = re.compile('[\\\\"\x00-\x1f\x7f]')
_TOML_LITERAL_BAD = re.compile("['\x00-\x08\x0a-\x1f\x7f]")
_TOML_SHORT = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _yaml_double(value: str) -> str:
    s = value.replace("\\", "\\\\").replace('"', '\\"')
    return _YAML_NONPRINT.sub(lambda m: f"\\u{ord(m.group()):04x}", s)


def _yaml_single_ok(value: str) -> bool:
    return _YAML_NONPRINT.search(value) is None


def _yaml_plain_ok(value: str) -> bool:
    """Whether ``value`` reads back as the same string when written plain, block or flow context."""
    if not value or value != value.strip() or value[0] in _YAML_INDICATORS:
        return False
    if any(c in value for c in ":#,[]{}\t") or _YAML_NONPRINT.search(value):
        return False
    if value.lower() in _YAML_SPECIAL or re.match(r"[-+.]?[0-9]", value):
        return False
    try:
        import yaml

        return yaml.safe_load(f"k: {value}\n") == {"k": value}
    except Exception:
        return False


def _yaml_scalar(value: str) -> str:
    return value if _yaml_plain_ok(value) else f'"{_yaml_double(value)}"'


def _toml_basic(value: str) -> str:
    body = _TOML_ESCAPE.sub(lambda m: _TOML_SHORT.get(m.group(), f"\\u{ord(m.group()):04X}"), value)
    return f'"{body}"'


def _frontmatter_edit(image: Image, text: str, value: str) -> Edit:
    """Targeted edits of one YAML/TOML scalar or line; the block is never re-serialised.

    YAML, alt present: ``double`` → YAML escapes; ``single`` → ``''`` doubling
    (double-quoted when the value has non-printable characters); ``plain`` /
    ``empty`` / null → plain when it is a safe plain scalar, else double-quoted
    (a space is added after a bare ``:`` and before a ``#`` comment); ``literal`` /
    ``folded`` block scalars → a double-quoted scalar in place of the indicator
    and its lines. TOML, alt present: basic strings keep their quotes; literal
    strings stay literal unless the value has ``'``; multi-line strings and
    non-strings become a basic string. Absent: a new line ``indent key: value``
    (``key = "value"`` in TOML) after the image entry, with the entry's newline;
    in a flow mapping / inline table, ``, key: value`` after the image value.
    """
    hints = image.hints
    if not isinstance(hints, FrontMatterHints):  # pragma: no cover - the front-matter parser always sets them
        raise EditError("cannot locate this front-matter field; edit it by hand")
    fmt = hints.format
    span = image.alt_span
    style = hints.alt_style
    if span is not None:
        s, e = span.start, span.end
        if fmt == "toml":
            if style == "double":
                return Edit.replacement_of(span, _toml_basic(value)[1:-1])
            if style == "single" and not _TOML_LITERAL_BAD.search(value):
                return Edit.replacement_of(span, value)
            if style == "single":
                return Edit(s - 1, e + 1, _toml_basic(value))
            if style in ("multiline-double", "multiline-single"):
                return Edit(s - 3, e + 3, _toml_basic(value))
            return Edit.replacement_of(span, _toml_basic(value))
        if style in ("double", "multiline-double"):
            return Edit.replacement_of(span, _yaml_double(value))
        if style in ("single", "multiline-single"):
            if _yaml_single_ok(value):
                return Edit.replacement_of(span, value.replace("'", "''"))
            return Edit(s - 1, e + 1, f'"{_yaml_double(value)}"')
        if style in ("plain", "empty"):
            new = _yaml_scalar(value)
            if s > 0 and text[s - 1] == ":":
                new = " " + new
            if text[e : e + 1] == "#":
                new += " "
            return Edit.replacement_of(span, new)
        if style in ("literal", "folded"):
            return Edit.replacement_of(span, f'"{_yaml_double(value)}"')
        raise EditError("the alt field is not a plain text value; edit it by hand")
    alt_key = hints.alt_key
    if alt_key is None or image.insert_at is None:
        raise EditError("no alt field is configured for this front matter image field")
    sep = " = " if fmt == "toml" else ": "
    scalar = _toml_basic(value) if fmt == "toml" else _yaml_scalar(value)
    if hints.flow:
        return Edit.insertion(image.insert_at, f", {alt_key}{sep}{scalar}")
    line = f"{hints.indent}{alt_key}{sep}{scalar}{hints.newline}"
    return Edit.insertion(image.insert_at, line)


_HANDLERS = {
    Syntax.HTML: _html_edit,
    Syntax.MARKDOWN: _md_edit,
    Syntax.JSX: _jsx_edit,
    Syntax.SHORTCODE: _shortcode_edit,
    Syntax.LIQUID: _liquid_edit,
    Syntax.FRONTMATTER: _frontmatter_edit,
}
