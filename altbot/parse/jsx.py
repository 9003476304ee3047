"""JSX image elements in MDX bodies (and Astro templates): ``<img>``, ``<input type="image">``
(an image button), ``<area href>`` (an image map's link) and configured components.

The scanner walks the text looking for ``<Name`` and ``{``; every opening tag
(of any element) is read attribute by attribute so that ``>`` inside strings
and ``{expressions}`` never ends a tag and ``<img`` inside an attribute string
is not mistaken for an element. Regions in ``excluded`` (code found by the
Markdown parser) are skipped.

JavaScript is read as mdxjs reads it (micromark-extension-mdxjs):

* ``{…}`` in the Markdown (flow and text expressions) is JavaScript up to its
  matching brace (strings, template literals with nested ``${}``, ``//`` and
  ``/* */`` comments and JSX are skipped while matching); ``{/* … */}`` alone
  is a comment (``altbot-ignore`` suppressions, see ``altbot.parse.base``).
* ESM: an ``import``/``export`` line (followed by a space) at the start of a
  line, not continuing a paragraph and not in a container, runs to the first
  blank line where its JavaScript is balanced (a brace, bracket, template or
  comment still open runs on past blank lines). A line of JSX tags and
  expressions only is a flow element in mdxjs, which interrupts a paragraph, so
  an ``import``/``export`` line right after one is ESM too (``flow_esm_start``).
  ``parse_jsx`` takes where the blocks start from the Markdown parser (``esm``);
  on its own it takes such a line at the start of the body or after a blank line.
* In both, and in attribute expressions (``icon={…}``, ``items={list.map(…)}``),
  a JSX element in a code position is an element: ``<img>`` and the configured
  components in it (in its attributes and children too, at any depth) are
  reported with exact spans like any other. Strings, template literal text and
  comments are never markup: ``"<img src=x>"`` there is no image, and
  ``{/* altbot-ignore */}`` written in a string is no suppression; inside JSX
  children in JavaScript, ``{/* altbot-ignore */}`` is one.
* JavaScript that is not well-formed (an unclosed brace, string, template or
  comment) is read as before, as text: a ``{`` that does not close is text;
  one that runs out (open to the end of the text, or nested too deep) makes
  every later ``{`` text too (comments still count), which also keeps a text
  of unclosed braces linear. An ESM block that does not balance, with every
  ``import``/``export`` line after it, is read as Markdown text. A regular
  expression literal (``/"/g``, ``/[/]</``) is read where a ``/`` begins an
  operand (after an operator, a bracket, a comma, ``return`` …; after a name,
  a number, a string, ``)`` or ``]`` it is a division): its quotes, backticks
  and ``<`` are no strings and no tags. Nothing here raises; a wanted tag
  that cannot be read is a ``FileError``, in JavaScript as in text; one opened
  and never closed (``<img src="a.png">``) is reported from its tag, as in
  text.
* A ``<`` or ``{`` in Markdown text after an odd run of backslashes is
  escaped: ``\\<img src="x.png" />`` and ``\\{/* altbot-ignore */}`` are text.

``code_regions`` gives the JavaScript and JSX-tag regions found at the top
level, where the Markdown parser must see neither images nor suppression
comments.

Attribute values:

* ``"..."`` / ``'...'``: JSX strings, no backslash escapes, HTML character
  references decoded. ``alt_span`` is inside the quotes.
* ``{expr}``: brace-balanced, aware of JS strings, template literals (with
  nested ``${}``), comments and nested JSX. A plain string literal
  (``{"x"}``, ``{'x'}``, ```{`x`}``` without ``${``) gives its value; anything
  else is dynamic: the value is the raw source including the braces,
  ``dynamic_alt=True``. ``alt_span`` covers the braces.
* bare ``alt``: boolean true; alt ``""``, ``dynamic_alt=True``, no alt_span.
* ``{...spread}``: recorded in ``attrs`` as ``("...", "{...spread}")``; with no
  explicit alt (or a spread after it) the alt may come from it:
  ``dynamic_alt=True`` (alt = the spread text when no explicit alt) and
  ``hints.spread`` is set.

``insert_at`` is right after the ``src`` attribute value (or after the tag
name): a fixer inserts `` alt="..."`` there. ``element_span`` is the opening
tag, also for an image inside an attribute expression or in ESM.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import replace

from altbot.model import FileError, Image, JsxHints, LineIndex, Span, Syntax
from altbot.parse.base import VOID_ELEMENTS, ParseResult

_NAME = re.compile(r"[A-Za-z_$][\w$-]*(?:(?:\.[A-Za-z_$][\w$-]*)+|:[A-Za-z_$][\w$-]*)?")
_ATTR = re.compile(r"[A-Za-z_$][\w$-]*(?::[A-Za-z_$][\w$-]*)?")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_INTERESTING = re.compile(r"<|\{")
_INTERESTING_NO_EXPR = re.compile(r"<|\{(?=[ \t\r\n\f\v\u00a0\ufeff]*/\*)")  # '{' only for a comment
_EXPR_STOP = re.compile(r"[{}\"'`/<]")  # what an expression scan must look at
_CHILD_STOP = re.compile(r"[{<]")  # and the children of an element
_LINE_BREAK = re.compile(r"[\r\n]")
_ESM_STOP = re.compile(r"[{}()\[\]\"'`/<\r\n]")  # what an ESM scan must look at
_ESM_LINE = re.compile(r"^(?:import|export) ", re.M)
_BLANK_REST = re.compile(r"[ \t]*(?:[\r\n]|\Z)")  # a blank line (or the end) from here
_TEMPLATE_STOP = re.compile(r"[\\`$]")
# a JS string's body after its opening quote: up to the closing quote, a line break or the end
_STRING_BODY = {
    '"': re.compile(r'[^"\\\r\n]*(?:\\[\s\S][^"\\\r\n]*)*'),
    "'": re.compile(r"[^'\\\r\n]*(?:\\[\s\S][^'\\\r\n]*)*"),
}
_WS = " \t\r\n\f\v\u00a0\ufeff"
_MAX_DEPTH = 60
_UNQUOTED = re.compile(r"[^\t\n\f\r \"'=<>`]+")  # an HTML attribute value without quotes
# A regular expression literal after its opening '/': its body (a class [...] may hold '/'), the
# closing '/' and its flags, on one line (possessive: a failed match never backtracks). Read only
# where a '/' begins an operand (_Scanner.regex).
_REGEX_BODY = re.compile(
    r"(?:[^\\/\[\r\n\u2028\u2029]|\\[^\r\n\u2028\u2029]|\[(?:[^\\\]\r\n\u2028\u2029]|\\[^\r\n\u2028\u2029])*+\])++/[\w$]*+"
)
# a body up to its first '/', '[' or ']' (or line end), with its escapes
_REGEX_TO_BRACKET = re.compile(r"(?:[^\\/\[\]\r\n\u2028\u2029]|\\[^\r\n\u2028\u2029])*+")
_REGEX_FLAGS = re.compile(r"[\w$]*+")
# after these a '/' is division; after anything else (an operator, '(', ',', '{', a keyword such
# as return, or nothing) it begins a regular expression, as JavaScript's grammar reads it
_DIVISION_AFTER = frozenset(")]")
_REGEX_KEYWORDS = frozenset("return typeof instanceof in of new delete void throw case do else yield await".split())


class _Fail(Exception):
    """The construct at this position is not well-formed JSX."""


def _decode_entities(s: str) -> str:
    if "&" not in s:
        return s
    return _ENTITY.sub(lambda m: html.unescape(m.group()), s)


_JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _decode_js(body: str) -> str:
    out = []
    i = 0
    n = len(body)
    while i < n:
        c = body[i]
        if c != "\\" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        d = body[i + 1]
        i += 2
        if d in _JS_ESCAPES and not (d == "0" and i < n and body[i].isdigit()):
            out.append(_JS_ESCAPES[d])
        elif d == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", body[i : i + 2]):
            out.append(chr(int(body[i : i + 2], 16)))
            i += 2
        elif d == "u" and body.startswith("{", i):
            j = body.find("}", i)
            try:
                out.append(chr(int(body[i + 1 : j], 16)))
                i = j + 1
            except (ValueError, OverflowError):
                out.append("u")
        elif d == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", body[i : i + 4]):
            out.append(chr(int(body[i : i + 4], 16)))
            i += 4
        elif d == "\r":
            if body.startswith("\n", i):
                i += 1
        elif d in "\n\u2028\u2029":
            pass
        else:
            out.append(d)
    return "".join(out)


class _Scanner:
    def __init__(self, text: str, html_values: bool = False) -> None:
        self.t = text
        self.n = len(text)
        # an attribute value may be unquoted, as in HTML (an Astro template: src=/a.png)
        self.html_values = html_values
        # position -> result (or _Fail): every construct is read at most once,
        # which keeps backtracking over malformed input polynomial
        self._memo: dict = {}
        # '{' offset -> end of its expression (or _Fail), as found by a scan that
        # passed it: a scan that meets it again jumps, so that a chain of
        # unclosed expressions is read once, not once per '{' (quadratic)
        self._scanned: dict[int, object] = {}
        self._comment_end: tuple[int, int] = (-1, -1)  # (searched from, next '*/' or -1)
        self._line_end: tuple[int, int] = (-1, -1)  # (searched from, next line break or the end)
        self._regex_failed: tuple[int, int] = (-1, -1)  # (a '/' that opened no literal, its line's end)
        self.blank_after: dict[int, int] = {}  # '*/' offset -> offset past the blanks after it
        # set where a construct failed for running out (the end of the text, or too deep),
        # not at a line: a top-level expression that fails so ends expressions (see _scan)
        self.ran_out = False

    def _out(self) -> type[_Fail]:
        self.ran_out = True
        return _Fail

    def _cached(self, kind: str, i: int, fn, depth: int):
        key = (kind, i)
        hit = self._memo.get(key)
        if hit is None:
            try:
                hit = fn(i, depth)
            except _Fail:
                hit = _Fail
            except RecursionError:
                hit = _Fail
                self.ran_out = True
            self._memo[key] = hit
        if hit is _Fail:
            raise _Fail
        return hit

    def expression(self, i: int, depth: int = 0) -> int:
        """i at '{'; return the offset past the matching '}'."""
        key = ("expr", i)
        if key not in self._memo and depth <= _MAX_DEPTH:
            hit = self._scanned.get(i)
            if hit is not None:
                self._memo[key] = hit
        return self._cached("expr", i, self._expression, depth)

    def try_expression(self, i: int) -> int | None:
        """``expression(i)``, or None where it is not well-formed; what an earlier scan has
        found out about this '{' is answered without a call (a run of unclosed braces)."""
        hit = self._scanned.get(i)
        if hit is None:
            hit = self._memo.get(("expr", i))
        if hit is _Fail:
            return None
        if hit is not None:
            return hit  # type: ignore[return-value]
        try:
            return self.expression(i)
        except _Fail:
            return None

    def find_line_end(self, i: int) -> int:
        """Offset of the next line break at or after ``i`` (or the end), remembered: each
        '//' scanning to it again is quadratic on a long line (``http://`` in text)."""
        frm, at = self._line_end
        if 0 <= frm <= i <= at:
            return at
        m = _LINE_BREAK.search(self.t, i)
        at = m.start() if m else self.n
        self._line_end = (i, at)
        return at

    def find_comment_end(self, i: int) -> int:
        """``text.find("*/", i)``, remembered for later, larger ``i``."""
        frm, at = self._comment_end
        if 0 <= frm <= i and (at < 0 or at >= i):
            return at
        at = self.t.find("*/", i)
        self._comment_end = (i, at)
        return at

    def element(self, i: int, depth: int = 0) -> int:
        """A whole JSX element (inside an expression); returns its end."""
        return self._cached("elem", i, self._element, depth)

    def tag(self, i: int, depth: int = 0):
        """See _tag."""
        return self._cached("tag", i, self._tag, depth)

    # -- JS ----------------------------------------------------------------
    def js_string(self, i: int) -> int:
        """i at a quote; return the offset past the closing quote (a backslash escapes the
        next character; a line break ends the string unclosed)."""
        t = self.t
        q = t[i]
        e = _STRING_BODY[q].match(t, i + 1).end()
        if e < self.n and t[e] == q:
            return e + 1
        if e >= self.n:
            raise self._out()
        raise _Fail

    def template(self, i: int, depth: int, inner=None) -> int:
        """i at a backtick; return the offset past the closing backtick. ``inner(start, end,
        depth)`` is called with the JavaScript of each ``${…}`` in it (its JSX is read there)."""
        t = self.t
        stop = _TEMPLATE_STOP.search
        i += 1
        while True:
            m = stop(t, i)
            if m is None:
                raise self._out()
            i = m.start()
            c = t[i]
            if c == "\\":
                i += 2
            elif c == "`":
                return i + 1
            elif t.startswith("{", i + 1):  # '${'
                e = self.expression(i + 1, depth + 1)
                if inner is not None:
                    inner(i + 2, e - 1, depth + 1)
                i = e
            else:
                i += 1

    def regex(self, i: int) -> int | None:
        """i at a '/' that starts no comment: the offset past the regular expression literal it
        opens (``/"/g``: its quotes are no string), or None where it is a division (after an
        operand: a name, a number, a string, ')' or ']') or opens no literal on its line."""
        t = self.t
        j = i - 1
        while j >= 0 and t[j] in _WS:
            j -= 1
        if j >= 0:
            c = t[j]
            if c in _DIVISION_AFTER or c in "\"'`":
                return None
            if c.isalnum() or c == "_" or c == "$":
                k = j
                while k > 0 and (t[k - 1].isalnum() or t[k - 1] in "_$"):
                    k -= 1
                if t[k:j + 1] not in _REGEX_KEYWORDS:
                    return None
        line_end = self.find_line_end(i)
        failed, failed_end = self._regex_failed
        if failed < i < failed_end:
            # A literal from an earlier '/' on this line never closed, and this '/' lies in it (escaped,
            # or in a [class]). The two reads tokenize alike, so once they are in the same state
            # (in a class or not) they end alike: this one is no literal either, unless it closes
            # before it meets '[' or ']', the first place where their states must agree. So every
            # '/' of a line is read once at most (linear, however many there are).
            k = _REGEX_TO_BRACKET.match(t, i + 1, line_end).end()
            if k < line_end and t[k] == "/":
                return _REGEX_FLAGS.match(t, k + 1).end()
            return None
        m = _REGEX_BODY.match(t, i + 1, line_end)
        if m is None:
            self._regex_failed = (i, line_end)
            return None
        return m.end()

    def comment(self, i: int) -> int:
        """i at '/' of '/*' or '//'; return the offset past the comment."""
        t = self.t
        if t.startswith("/*", i):
            j = self.find_comment_end(i + 2)
            if j < 0:
                raise self._out()
            return j + 2
        return self.find_line_end(i)

    def _expression(self, i: int, depth: int = 0) -> int:
        if depth > _MAX_DEPTH:
            raise self._out()
        t = self.t
        scanned = self._scanned
        stop = _EXPR_STOP.search
        opened: list[int] = []  # offsets of the '{' still open, outermost first
        try:
            while True:
                m = stop(t, i)
                if m is None:
                    self.ran_out = True
                    break
                i = m.start()
                c = t[i]
                if c == "{":
                    if opened:
                        # a block scanned before reads the same from here: skip it
                        hit = scanned.get(i)
                        if hit is _Fail:
                            break
                        if hit is not None:
                            i = hit  # type: ignore[assignment]
                            continue
                    opened.append(i)
                elif c == "}":
                    start = opened.pop()
                    if not opened:
                        scanned[start] = i + 1
                        return i + 1
                    scanned.setdefault(start, i + 1)
                elif c in "\"'":
                    i = self.js_string(i)
                    continue
                elif c == "`":
                    i = self.template(i, depth)
                    continue
                elif c == "/":
                    e = self.comment(i) if t.startswith(("/*", "//"), i) else self.regex(i)
                    if e is not None:
                        i = e
                        continue
                elif c == "<" and i + 1 < self.n and (t[i + 1].isalpha() or t[i + 1] == ">"):
                    try:
                        i = self.element(i, depth + 1)
                        continue
                    except _Fail:
                        pass  # a less-than operator
                i += 1
        except _Fail:
            pass
        # unterminated: so is every block still open, read on from its '{'
        for p in opened:
            scanned.setdefault(p, _Fail)
        raise _Fail

    def esm_end(self, i: int, lines: list[int] | None = None) -> int:
        """i at the start of an ``import``/``export`` line: the end of its ESM block, the line
        break before the first blank line (or the end of the text) where the JavaScript read so
        far is balanced. Raises _Fail when it never balances (an unclosed or stray bracket, an
        unclosed string, template, comment or brace). ``lines`` gets the start of each line
        after the first that begins in no string, template, comment or bracket: where a
        statement can begin."""
        t, n = self.t, self.n
        stop = _ESM_STOP.search
        parens = 0  # ( and [ still open; braces are read whole by expression()
        while True:
            m = stop(t, i)
            if m is None:
                if parens:
                    raise _Fail
                return n
            i = m.start()
            c = t[i]
            if c == "\r" or c == "\n":
                j = i + 2 if t.startswith("\r\n", i) else i + 1
                if not parens and _BLANK_REST.match(t, j):
                    return i
                if lines is not None and not parens:
                    lines.append(j)
                i = j
            elif c == "{":
                i = self.expression(i)
            elif c == "(" or c == "[":
                parens += 1
                i += 1
            elif c == ")" or c == "]":
                if not parens:
                    raise _Fail
                parens -= 1
                i += 1
            elif c == "}":
                raise _Fail
            elif c == '"' or c == "'":
                i = self.js_string(i)
            elif c == "`":
                i = self.template(i, 0)
            elif c == "/":
                e = self.comment(i) if t.startswith(("/*", "//"), i) else self.regex(i)
                i = e if e is not None else i + 1
            elif c == "<" and i + 1 < n and (t[i + 1].isalpha() or t[i + 1] == ">"):
                try:
                    i = self.element(i, 1)
                except _Fail:
                    i += 1  # a less-than operator
            else:
                i += 1

    # -- JSX ---------------------------------------------------------------
    def skip_ws(self, i: int) -> int:
        t = self.t
        while i < self.n:
            c = t[i]
            if c in _WS:
                i += 1
            elif c == "/" and t.startswith(("/*", "//"), i):
                i = self.comment(i)
            else:
                break
        return i

    def _tag(self, i: int, depth: int = 0):
        """i at '<' of an opening tag. Returns (name, name_end, attrs, end, self_closing).

        attrs: list of (name|"...", kind, value_text, vstart, vend, aend) where
        kind is "string" | "expr" | "bool" | "spread"; [vstart, vend) is the
        value inside quotes (string) or including braces (expr/spread).
        """
        t = self.t
        m = _NAME.match(t, i + 1)
        if not m:
            raise _Fail
        name = m.group()
        attrs = []
        j = m.end()
        while True:
            k = self.skip_ws(j)
            if k >= self.n:
                raise self._out()
            c = t[k]
            if c == ">":
                return name, m.end(), attrs, k + 1, False
            if c == "/":
                e = self.skip_ws(k + 1)
                if e < self.n and t[e] == ">":
                    return name, m.end(), attrs, e + 1, True
                raise _Fail
            if k == j:  # attributes must be separated by whitespace
                raise _Fail
            if c == "{":
                e = self.expression(k, depth)
                inner = t[k + 1 : e - 1].strip()
                if inner.startswith("..."):
                    attrs.append(("...", "spread", t[k:e], k, e, e))
                elif inner.startswith("/*") or inner.startswith("//") or not inner:
                    pass  # a comment between attributes
                else:
                    raise _Fail
                j = e
                continue
            am = _ATTR.match(t, k)
            if not am:
                raise _Fail
            aname = am.group()
            e = self.skip_ws(am.end())
            if e < self.n and t[e] == "=":
                v = self.skip_ws(e + 1)
                if v >= self.n:
                    raise _Fail
                q = t[v]
                if q in "\"'":
                    close = t.find(q, v + 1)
                    if close < 0:
                        raise _Fail
                    attrs.append((aname, "string", t[v + 1 : close], v + 1, close, close + 1))
                    j = close + 1
                elif q == "{":
                    end = self.expression(v, depth)
                    attrs.append((aname, "expr", t[v:end], v, end, end))
                    j = end
                elif q == "<":
                    end = self.element(v, depth + 1)
                    attrs.append((aname, "expr", t[v:end], v, end, end))
                    j = end
                elif self.html_values and (u := _UNQUOTED.match(t, v)):
                    attrs.append((aname, "string", u.group(), v, u.end(), u.end()))
                    j = u.end()
                else:
                    raise _Fail
            else:
                attrs.append((aname, "bool", None, am.end(), am.end(), am.end()))
                j = am.end()

    def _element(self, i: int, depth: int) -> int:
        if depth > _MAX_DEPTH:
            raise self._out()
        t = self.t
        if t.startswith("<>", i):
            name, end, closing = "", i + 2, False
        else:
            name, _, _, end, closing = self.tag(i, depth)
            if closing:
                return end
        j = end
        stop = _CHILD_STOP.search
        while j < self.n:
            sm = stop(t, j)
            if sm is None:
                break
            j = sm.start()
            c = t[j]
            if c == "{":
                j = self.expression(j, depth + 1)
            elif c == "<":
                if t.startswith("</", j):
                    k = self.skip_ws(j + 2)
                    m = _NAME.match(t, k)
                    got = m.group() if m else ""
                    e = self.skip_ws(m.end() if m else k)
                    if got != name or e >= self.n or t[e] != ">":
                        raise _Fail
                    return e + 1
                j = self.element(j, depth + 1)
            else:
                j += 1
        raise self._out()


Scanner = _Scanner  # for a caller that shares one between calls (flow_esm_start)


class _Excluded:
    def __init__(self, spans) -> None:
        spans = sorted(
            (s for s in (spans or ()) if isinstance(s, Span) and s.end > s.start),
            key=lambda s: s.start,
        )
        self.starts = [s.start for s in spans]
        self.ends = []
        best = 0
        for s in spans:  # running max of ends, so overlapping spans work
            best = max(best, s.end)
            self.ends.append(best)

    def skip_to(self, pos: int) -> int | None:
        """If pos is inside an excluded span, the offset past it; else None."""
        if not self.starts:
            return None
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and self.ends[i] > pos:
            return self.ends[i]
        return None


def parse_jsx(
    text: str,
    path: str,
    index: LineIndex,
    *,
    start: int = 0,
    excluded: list[Span] = (),
    components: tuple[str, ...] = ("Image", "Picture"),
    lang=None,
    lang_source=None,
    esm: list[Span] | None = None,
    html_values: bool = False,
) -> ParseResult:
    """Find ``<img>`` and component images in an MDX body from ``start``.

    ``esm``: the ESM blocks (``import``/``export``) as the Markdown parser found them
    (``ParseResult.esm``); None finds them here (see the module docstring). ``html_values``:
    attribute values may be unquoted, as HTML allows (an Astro template), not only as JSX.
    """
    result = ParseResult()
    try:
        _scan(text, path, index, start, excluded, components, lang, lang_source, result, esm, html_values=html_values)
        result.images = apply_scopes(result.images, result.scopes)
    except Exception as exc:  # never raise: report instead
        result.errors.append(
            FileError(path, f"could not scan JSX ({type(exc).__name__}); "
                      "some JSX images may be missed")
        )
    return result


def code_regions(
    text: str,
    index: LineIndex,
    *,
    start: int = 0,
    excluded: list[Span] = (),
    esm: list[Span] | None = None,
) -> list[Span]:
    """The top-level regions of an MDX body that are JavaScript or a JSX tag: ESM blocks,
    ``{…}`` expressions (not ``{/* comments */}``) and opening tags. Nothing in them is
    Markdown, and no ``{/* … */}`` in them is a suppression comment of the Markdown's."""
    regions: list[Span] = []
    try:
        _scan(text, "", index, start, excluded, (), None, None, ParseResult(), esm, regions)
    except Exception:  # noqa: BLE001, S110 - never raise; parse_jsx runs the same scan and reports the error
        pass
    return regions


def flow_esm_start(text: str, start: int, end: int, sc: _Scanner | None = None) -> int | None:
    """Where ESM begins in ``text[start:end]``, a top-level paragraph as Markdown reads it (its line
    breaks normalised): mdxjs reads a line of JSX tags and ``{…}`` expressions only (and spaces;
    a tag may run over several lines) as a flow element, which also interrupts a paragraph, so
    the line after one starts a new construct, and an ``import``/``export`` line there is ESM
    (``<Chart />`` then ``export const meta = …``; ``Text`` then ``<Chart />`` then ``export …``).
    A line with text in it (``<b>bold</b> text``) is paragraph text, and so is an
    ``import``/``export`` line right after it. None where there is none. ``sc``: a scanner of
    ``text`` to share (its memo keeps the paragraphs of one text linear together)."""
    if sc is None:
        sc = _Scanner(text)
    pos, end = start, min(end, len(text))
    after_flow = False  # whether the line at pos follows a flow element
    while pos < end:
        if after_flow and text.startswith(("import ", "export "), pos):
            return pos
        flow = _flow_line_end(text, sc, pos, end)
        if flow is None:  # text (or nothing): the paragraph goes on from the next line
            nl = text.find("\n", pos, end)
            if nl < 0:
                return None
            pos, after_flow = nl + 1, False
        else:
            pos, after_flow = flow + 1, True
    return None


def _flow_line_end(text: str, sc: _Scanner, pos: int, end: int) -> int | None:
    """The line break ending a flow element that starts at the line ``pos``: the line holds JSX
    tags and ``{…}`` expressions only (one may run over several lines). None for a line with
    text in it, a blank one, or one whose JSX does not read."""
    i, seen = pos, False
    while True:  # the constructs of this line (a tag may run over several)
        while i < end and text[i] in " \t":
            i += 1
        if i >= end or text[i] == "\n":
            return i if seen else None
        try:
            if text.startswith("</", i):
                k = sc.skip_ws(i + 2)
                m = _NAME.match(text, k)
                k = sc.skip_ws(m.end() if m else k)
                if k >= end or text[k] != ">":
                    return None
                i = k + 1
            elif text.startswith("<>", i):
                i += 2
            elif text[i] == "<":
                i = sc.tag(i)[3]
            elif text[i] == "{":
                e = sc.try_expression(i)
                if e is None:
                    return None
                i = e
            else:
                return None  # text: a paragraph from here on
        except (_Fail, RecursionError):
            return None
        seen = True


def statement_lines(text: str, blocks: list[Span]) -> list[int]:
    """The line starts in ESM ``blocks`` where a JavaScript statement can begin: each block's
    start and each later line of it that begins in no string, template literal, comment,
    brace or bracket (an ``import`` written inside a template literal is text, not an import)."""
    sc = _Scanner(text)
    out: list[int] = []
    for b in blocks:
        out.append(b.start)
        try:
            sc.esm_end(b.start, out)
        except (_Fail, RecursionError):  # pragma: no cover - the blocks are ones esm_end read whole
            pass
    return out


def esm_blocks(text: str, start: int, excluded: list[Span] = (), starts=None) -> list[Span]:
    """The ESM blocks of an MDX body: one per ``import``/``export`` line in ``starts`` (offsets
    of line starts, in order; None: every such line at ``start`` or after a blank line) that
    is not inside an earlier block, each as far as ``_Scanner.esm_end`` reads it. The first
    that is not well-formed ends the search: it and every later line are read as text."""
    sc = _Scanner(text)
    excl = _Excluded(excluded)
    if starts is None:
        starts = (m.start() for m in _ESM_LINE.finditer(text, start) if _after_blank(text, m.start(), start))
    out: list[Span] = []
    reach = start
    for a in starts:
        if a < reach or excl.skip_to(a) is not None:
            continue
        try:
            e = sc.esm_end(a)
        except (_Fail, RecursionError):
            break
        out.append(Span(a, e))
        reach = e
    return out


def _after_blank(text: str, a: int, start: int) -> bool:
    """Whether the line at ``a`` is the first of the body or follows a blank line."""
    if a <= start:
        return True
    p = a - 1  # the line break before the line
    if p > start and text[p] == "\n" and text[p - 1] == "\r":
        p -= 1
    q = text.rfind("\n", start, p)
    q = max(q, text.rfind("\r", max(q, start), p))  # a lone CR: looked for on that line only
    return not text[max(q + 1, start) : p].strip(" \t")


def is_escaped(text: str, s: int, start: int) -> bool:
    """Whether the character at ``s`` (Markdown text) follows an odd run of backslashes: a
    backslash escape, so ``\\<img />`` and ``\\{x}`` are text (``\\\\<img />`` is an escaped
    backslash, then a tag). No construct the scanner skips ends in a backslash, so the run
    before ``s`` is Markdown text; each ``<`` or ``{`` looks back over its own run only."""
    j = s
    while j > start and text[j - 1] == "\\":
        j -= 1
    return (s - j) % 2 == 1


def _scan(text, path, index, start, excluded, components, lang, lang_source, result, esm=None, regions=None, html_values=False):
    sc = _Scanner(text, html_values)
    wanted = {"img", "input", "area"} | set(components or ())  # <input> only as an image button, <area> with href
    excl = _Excluded(excluded)
    n = len(text)
    pos = pos0 = max(0, int(start or 0))
    if regions is None:
        regions = []
    js = _InCode(sc, text, path, index, wanted, lang, lang_source, result)
    opened = _Open(result.scopes, js.ids)
    expressions = True  # until one runs out unclosed: then '{' is text
    if esm is None:
        blocks = esm_blocks(text, pos, excluded)
    else:
        blocks = sorted((b for b in esm if isinstance(b, Span) and b.end > b.start), key=lambda b: b.start)
    k = 0
    while pos < n:
        while k < len(blocks) and blocks[k].start < pos:
            k += 1  # inside a construct read already
        nxt = blocks[k].start if k < len(blocks) else n
        m = (_INTERESTING if expressions else _INTERESTING_NO_EXPR).search(text, pos, nxt)
        if not m:
            if k >= len(blocks):
                break
            b = blocks[k]
            k += 1
            regions.append(b)
            js.code(b.start, b.end, 0)
            pos = b.end
            continue
        s = m.start()
        skip = excl.skip_to(s)
        if skip is not None:
            pos = max(skip, s + 1)
            continue
        if is_escaped(text, s, pos0):  # Markdown's ``\<``, ``\{``: text, as in mdxjs
            pos = s + 1
            continue
        if text[s] == "{":
            c = text[s + 1 : s + 2]
            e = _comment(text, sc, s, path, index, result) if c and (c == "/" or c in _WS) else None
            if e is None:
                if expressions:
                    sc.ran_out = False
                    e = sc.try_expression(s)
                if e is None:  # not well-formed: read on as text
                    if sc.ran_out:  # and so is every '{' after it: text (as mdxjs, a dead end)
                        expressions = False
                    pos = s + 1
                    continue
                regions.append(Span(s, e))
                js.code(s + 1, e - 1, 1)
            pos = e
            continue
        # '<'
        nm = _NAME.match(text, s + 1)
        if not nm:
            if text.startswith("</", s):  # a closing tag: the elements it closes end here
                cm = _NAME.match(text, sc.skip_ws(s + 2))
                if cm:
                    opened.close(cm.group(), s, cm.end())
            pos = s + 1
            continue
        name = nm.group()
        try:
            tname, name_end, attrs, end, self_closing = sc.tag(s)
        except _Fail:
            if name in wanted:
                js.bad_tag(s, name)
            pos = s + 1
            continue
        if tname in wanted:
            js.image(s, end, tname, name_end, attrs)
        ident = _literal_id(tname, attrs)
        if not self_closing and tname.lower() not in VOID_ELEMENTS:
            scope = _scope(tname, attrs)
            if tname == "html" and scope is not None and scope[1] and result.lang is None:
                result.lang, result.lang_source = scope[1], "lang-attribute"  # the document's language
            opened.open(tname, s, scope, end, ident)
        elif ident is not None:
            js.ids.setdefault(ident, (end, end))  # no content
        regions.append(Span(s, end))
        js.attrs(attrs, 1)
        pos = end
    opened.close_all(n)
    result.images.sort(key=lambda im: im.element_span.start)
    if js.ids and any(im.name_source == "aria-labelledby" for im in result.images):
        texts: dict[str, str | None] = {}  # each target read once, however often it is named
        result.images = [_labelled(im, text, js.ids, texts) for im in result.images]


class _Open:
    """The elements open at the top level of a body (outside expressions), innermost last. A
    closing tag closes the innermost open element of its name and every one inside it (as an
    HTML end tag does, and as mdxjs requires of JSX); one that matches none closes nothing.
    Each closed element that hides its content or sets its language is a scope."""

    def __init__(self, scopes: list, ids: dict) -> None:
        self.stack: list[tuple[str, int, tuple | None, int, str | None]] = []
        self.count: dict[str, int] = {}  # open elements by name: a close tag that matches none costs nothing
        self.scopes = scopes
        self.ids = ids  # id → its content's span (the first element of each id, as getElementById)

    def open(self, name: str, start: int, scope: tuple | None, content: int, ident: str | None) -> None:
        if ident is not None:
            if ident in self.ids:
                ident = None  # an earlier element has this id: it is the one named
            else:
                self.ids[ident] = (content, content)  # its place taken now, its content filled when it closes
        self.stack.append((name, start, scope, content, ident))
        self.count[name] = self.count.get(name, 0) + 1

    def close(self, name: str, at: int, end: int) -> None:
        """A closing tag from ``at`` whose name ends at ``end``."""
        if not self.count.get(name):
            return
        stack = self.stack
        while stack:
            n, start, scope, content, ident = stack.pop()
            self.count[n] -= 1
            self._closed(start, scope, content, ident, at, end)
            if n == name:
                return

    def close_all(self, end: int) -> None:
        """Those never closed reach the end of the text (HTML's reading, as an Astro template's)."""
        for _, start, scope, content, ident in self.stack:
            self._closed(start, scope, content, ident, end, end)
        self.stack.clear()

    def _closed(self, start, scope, content, ident, at, end) -> None:
        if scope is not None:
            self.scopes.append((start, end, *scope))
        if ident is not None:
            self.ids[ident] = (content, at)


def _flag(last: dict, name: str) -> str | None:
    """"true"/"false"/... (lower case) or None for a boolean-ish attribute, by its last spelling."""
    a = last.get(name)
    if a is None:
        return None
    if a[1] == "bool":
        return "true"
    v = (a[2] or "").strip()
    if a[1] == "expr":
        v = v[1:-1].strip().strip("\"'`")
    return v.strip().lower()


def _hidden(last: dict) -> str | None:
    """Which attribute takes the element out of the accessibility tree, if one does."""
    if _flag(last, "aria-hidden") == "true":
        return "aria-hidden"
    if _flag(last, "hidden") not in (None, "false"):
        return "hidden"
    return None


def _literal_lang(last: dict) -> str | None:
    """A lang attribute's value where it is a literal (``lang="fr"``, ``lang={"fr"}``)."""
    a = last.get("lang")
    if a is None or a[1] not in ("string", "expr"):
        return None
    v, dynamic = _value(a[1], a[2])
    return None if dynamic or v is None else (v.strip() or None)


def _html_element(tname: str) -> bool:
    """An HTML element (``div``), not a component (``Card``, ``ui.Box``), whose props are no HTML attributes."""
    return tname[:1].islower() and "." not in tname


def _scope(tname: str, attrs) -> tuple[str | None, str | None] | None:
    """(hidden, lang) an HTML element gives its content; None where it gives neither (a component
    gives nothing)."""
    if not _html_element(tname):
        return None
    if not any(a[0] in _SCOPE_ATTRS for a in attrs):
        return None
    last = {a[0]: a for a in attrs if a[1] != "spread"}
    hidden, lang = _hidden(last), _literal_lang(last)
    return (hidden, lang) if hidden or lang else None


_SCOPE_ATTRS = frozenset(("aria-hidden", "hidden", "lang"))
# a target's text is read from at most this many characters, and a name kept to about the other,
# as the HTML scanner does (so a long target named many times costs no quadratic time)
_NAME_READ = 2000
_NAME_MAX = 1000
# what plain text holds none of: a tag, an expression, Markdown markup, a character reference
_NOT_PLAIN = re.compile(r"[<>{}\[\]*_`!&\\]")


def _literal_id(tname: str, attrs) -> str | None:
    """An HTML element's literal ``id="…"`` (a component's ``id`` prop may render anywhere)."""
    if not _html_element(tname):
        return None
    for a in reversed(attrs):
        if a[0] == "id":
            return (a[2].strip() or None) if a[1] == "string" and a[2] else None
    return None


def _labelled(im: Image, text: str, ids: dict[str, tuple[int, int]], texts: dict[str, str | None]) -> Image:
    """An image named by ``aria-labelledby``, with the text of the elements it names, where each
    is in the file as plain text (``ids``); where that text is empty, the next name (aria-label,
    title) or none. An id the file does not hold, or a target that is not plain text (markup, an
    expression), leaves the reference as it is: a component may render it."""
    if im.name_source != "aria-labelledby" or not im.name:
        return im
    parts = []
    size = 0
    for ident in im.name.split():
        if ident not in texts:
            span = ids.get(ident)
            content = text[span[0] : min(span[1], span[0] + _NAME_READ)] if span is not None else None
            texts[ident] = None if content is None or _NOT_PLAIN.search(content) else " ".join(content.split())[:_NAME_MAX]
        part = texts[ident]
        if part is None:
            return im
        parts.append(part)
        size += len(part) + 1
        if size > _NAME_MAX:  # a name is no essay: the rest would only be cut off (as in HTML)
            break
    name = " ".join(p for p in parts if p)
    if name:
        return replace(im, name=name)
    attrs = dict(a for a in im.attrs if a[0] != "...")
    for key in ("aria-label", "title"):
        v = attrs.get(key)
        if v is not None and v.strip():
            return replace(im, name=v, name_source=key)
    return replace(im, name=None, name_source=None)


def apply_scopes(images: list[Image], scopes: list) -> list[Image]:
    """``images`` with what the elements around each give it: hidden where any hides its content
    (unless it is hidden itself), and the innermost one's lang (unless it has its own lang).
    ``scopes``: (start, end, hidden, lang) of elements, nested or apart (each from a stack, or a
    whole element): one sweep, in order of start."""
    if not scopes or not images:
        return images
    scopes = sorted(scopes, key=lambda x: (x[0], -x[1]))
    out = list(images)
    stack: list[tuple[int, str | None, str | None]] = []  # (end, hidden, lang) with what the outer ones give
    j = 0
    for k in sorted(range(len(images)), key=lambda k: images[k].element_span.start):
        im = images[k]
        s = im.element_span.start
        while j < len(scopes) and scopes[j][0] < s:
            a, b, hidden, lang = scopes[j]
            j += 1
            while stack and stack[-1][0] <= a:
                stack.pop()
            if stack:
                hidden, lang = hidden or stack[-1][1], lang or stack[-1][2]
            stack.append((b, hidden, lang))
        while stack and stack[-1][0] <= s:
            stack.pop()
        if not stack:
            continue
        _, hidden, lang = stack[-1]
        changes = {}
        if hidden and im.hidden is None:
            changes["hidden"] = hidden
        if lang and not any(name == "lang" for name, _ in im.attrs):
            changes["lang"], changes["lang_source"] = lang, "lang-attribute"
        if changes:
            out[k] = replace(im, **changes)
    return out


class _InCode:
    """Reports the JSX images in JavaScript that the scanner has read as well-formed: an
    expression, an ESM block, an attribute value. Walks what the scanner matched (and
    memoised), so each construct is read once more at most."""

    def __init__(self, sc: _Scanner, text, path, index, wanted, lang, lang_source, result) -> None:
        self.sc, self.t, self.n = sc, text, len(text)
        self.path, self.index, self.wanted = path, index, wanted
        self.lang, self.lang_source, self.result = lang, lang_source, result
        self.ids: dict[str, tuple[int, int]] = {}  # literal id → its element's content span

    def image(self, s, end, tname, name_end, attrs) -> None:
        if tname == "input" and not _image_button(attrs):
            return  # an <input> of another type: no image
        if tname == "area" and not any(a[0] == "href" for a in attrs):
            return  # an image map's area without href is no link: no image (as in HTML)
        self.result.images.append(
            _image(self.t, self.path, self.index, s, end, tname, name_end, attrs, self.lang, self.lang_source)
        )

    def bad_tag(self, s: int, name: str) -> None:
        line, col = self.index.position(s)
        self.result.errors.append(
            FileError(
                self.path,
                f"could not read the <{name}> tag: unterminated or malformed "
                "attributes; close every quote, brace and the tag itself",
                line,
                col,
            )
        )

    def code(self, i: int, end: int, depth: int) -> None:
        """JavaScript in [i, end): its JSX elements."""
        try:
            self._code(i, end, depth)
        except (_Fail, RecursionError):  # pragma: no cover - the scanner read it whole before
            pass

    def attrs(self, attrs, depth: int) -> None:
        """The attribute values of a tag that are expressions or elements."""
        try:
            self._attrs(attrs, depth)
        except (_Fail, RecursionError):  # pragma: no cover - as code()
            pass

    def _attrs(self, attrs, depth: int) -> None:
        t = self.t
        for _, kind, _, vs, ve, _ in attrs:
            if kind == "expr" or kind == "spread":
                if t[vs] == "{":
                    self._code(vs + 1, ve - 1, depth + 1)
                else:  # icon=<img /> (an element as the value)
                    self._element(vs, depth + 1)

    def _code(self, i: int, end: int, depth: int) -> None:
        t, sc, n = self.t, self.sc, self.n
        stop = _EXPR_STOP.search
        while True:
            m = stop(t, i, end)
            if m is None:
                return
            i = m.start()
            c = t[i]
            if c == '"' or c == "'":
                i = sc.js_string(i)
            elif c == "`":
                i = sc.template(i, depth, self._code)  # and the JSX in its ${…}
            elif c == "/":
                e = sc.comment(i) if t.startswith(("/*", "//"), i) else sc.regex(i)
                i = e if e is not None else i + 1
            elif c == "<" and i + 1 < n and (t[i + 1].isalpha() or t[i + 1] == ">"):
                try:
                    e = sc.element(i, depth + 1)
                except _Fail:
                    i = self._lone_tag(i, depth + 1)
                    continue
                self._element(i, depth + 1)
                i = e
            else:
                i += 1

    def _lone_tag(self, i: int, depth: int) -> int:
        """i at a '<' that starts no whole element: a less-than operator, or an opening tag
        never closed (``<img src="a.png">``), which is reported as in text (and read past);
        a wanted tag that cannot be read is a FileError, as in text. Returns where to go on."""
        t = self.t
        try:
            name, name_end, attrs, end, _ = self.sc.tag(i, depth)
        except _Fail:
            nm = _NAME.match(t, i + 1)
            if nm and nm.group() in self.wanted:
                self.bad_tag(i, nm.group())
            return i + 1
        if name in self.wanted:
            self.image(i, end, name, name_end, attrs)
        self._attrs(attrs, depth)
        return end

    def _element(self, i: int, depth: int) -> None:
        """i at the '<' of an element the scanner has matched: its images, and theirs."""
        t, sc = self.t, self.sc
        if t.startswith("<>", i):
            j = i + 2
        else:
            name, name_end, attrs, end, closing = sc.tag(i, depth)
            if name in self.wanted:
                self.image(i, end, name, name_end, attrs)
            self._attrs(attrs, depth)
            ident = _literal_id(name, attrs)
            if closing:
                if ident is not None:
                    self.ids.setdefault(ident, (end, end))
                return
            scope = _scope(name, attrs)
            if scope is not None or ident is not None:  # the whole element, as the scanner matched it (memoised)
                e = sc.element(i, depth)
                if scope is not None:
                    self.result.scopes.append((i, e, *scope))
                if ident is not None:
                    self.ids.setdefault(ident, (end, t.rfind("</", end, e)))
            j = end
        stop = _CHILD_STOP.search
        while True:
            m = stop(t, j)
            if m is None:
                raise _Fail
            j = m.start()
            if t[j] == "{":
                e = sc.expression(j, depth + 1)
                if _comment(t, sc, j, self.path, self.index, self.result) is None:
                    self._code(j + 1, e - 1, depth + 1)
                j = e
            elif t.startswith("</", j):
                return
            else:
                e = sc.element(j, depth + 1)
                self._element(j, depth + 1)
                j = e


def _image_button(attrs) -> bool:
    """Is an ``<input>`` an image button: its ``type`` (the last one written, as JSX keeps it) a
    string that is "image" in ASCII case (an enumerated value: " image " is none)?"""
    kind = None
    for name, k, raw, *_ in attrs:
        if name == "type":
            kind = _value(k, raw)[0] if k in ("string", "expr") else None
    return kind is not None and kind.lower() == "image"


def _comment(text, sc, s, path, index, result) -> int | None:
    """At '{': handle a ``{/* ... */}`` comment; return where to continue, None if it is none."""
    j = s + 1
    while j < len(text) and text[j] in _WS:
        j += 1
    if not text.startswith("/*", j):
        return None
    k = sc.find_comment_end(j + 2)
    if k < 0:
        line, col = index.position(s)
        result.errors.append(
            FileError(path, "unterminated '{/*' comment: close it with '*/}'", line, col)
        )
        return len(text)
    e = sc.blank_after.get(k)
    if e is None:  # many '{/*' may share one '*/': skip its blanks once
        e = k + 2
        while e < len(text) and text[e] in _WS:
            e += 1
        sc.blank_after[k] = e
    if e >= len(text) or text[e] != "}":
        return None
    result.comment(text[j + 2 : k], e + 1)
    return e + 1


def _value(kind: str, raw: str | None) -> tuple[str | None, bool]:
    """(value as a reader gets it, dynamic?) for an attribute."""
    if kind == "string":
        return _decode_entities(raw or ""), False
    if kind == "bool":
        return None, True
    inner = (raw or "")[1:-1].strip()
    if len(inner) >= 2 and inner[0] == inner[-1] and inner[0] in "\"'`":
        body = inner[1:-1]
        q = inner[0]
        # one literal only: no unescaped quote of the same kind inside
        i, ok = 0, True
        while i < len(body):
            if body[i] == "\\":
                i += 2
                continue
            if body[i] == q or (q == "`" and body.startswith("${", i)):
                ok = False
                break
            if q != "`" and body[i] in "\r\n":
                ok = False
                break
            i += 1
        if ok:
            return _decode_js(body), False
    return raw, True


def _image(text, path, index, s, end, tname, name_end, attrs, lang, lang_source) -> Image:
    last: dict[str, tuple] = {}
    order: dict[str, int] = {}
    spread_at = -1
    out_attrs = []
    for n, a in enumerate(attrs):
        aname, kind, raw, vs, ve, ae = a
        if kind == "spread":
            spread_at = n
            out_attrs.append(("...", raw))
            continue
        last[aname] = a
        order[aname] = n
        val, _ = _value(kind, raw)
        out_attrs.append((aname, val if kind != "bool" else None))

    def get(name):
        a = last.get(name)
        if a is None:
            return None
        return _value(a[1], a[2])[0]

    spread = False
    alt = None
    alt_span = None
    dynamic = False
    if "alt" in last:
        _, kind, raw, vs, ve, _ = last["alt"]
        if kind == "bool":
            alt, dynamic = "", True
        else:
            alt, dynamic = _value(kind, raw)
            alt_span = Span(vs, ve)
        if spread_at > order["alt"]:
            dynamic = True
    elif spread_at >= 0:
        alt = attrs[spread_at][2]
        dynamic = True
    if spread_at >= 0:
        spread = True

    insert_at = name_end
    if "src" in last:
        insert_at = last["src"][5]
    src = get("src")
    if src is None and tname[:1].isupper():  # Docusaurus' IdealImage (img={…}), ThemedImage (sources={{…}})
        for key in ("img", "sources"):
            if key in last and last[key][1] == "expr":
                src = last[key][2]
                insert_at = last[key][5]  # alt="…" after it, as after a src
                break

    title = get("title")
    name = name_source = None
    for key in ("aria-labelledby", "aria-label", "title"):
        v = get(key)
        if v is not None and v.strip():
            name, name_source = v, key
            break

    hidden = _hidden(last)

    role = (get("role") or "").split()
    presentational = bool(role) and role[0] in ("none", "presentation")
    if presentational and (
        any(k in last for k in ("aria-label", "aria-labelledby", "tabIndex", "tabindex"))
    ):
        presentational = False  # conflict: the role is ignored

    img_lang, img_lang_source = lang, lang_source
    lv = get("lang")
    if "lang" in last and last["lang"][1] == "string" and lv is not None:
        img_lang, img_lang_source = lv.strip() or None, "lang-attribute"

    line, col = index.position(s)
    return Image(
        path=path,
        syntax=Syntax.JSX,
        element=tname,
        element_span=Span(s, end),
        line=line,
        column=col,
        src=src,
        alt=alt,
        alt_span=alt_span,
        insert_at=insert_at,
        title=title,
        name=name,
        name_source=name_source,
        hidden=hidden,
        presentational=presentational,
        control=tname in ("input", "area"),  # an image button or a link: an empty alt is no decoration
        dynamic_alt=dynamic,
        lang=img_lang,
        lang_source=img_lang_source,
        attrs=tuple(out_attrs),
        hints=JsxHints(spread=True) if spread else None,
    )
