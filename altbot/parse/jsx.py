"""JSX image elements in MDX bodies: ``<img>`` and configured components.

The scanner walks the text looking for ``<Name`` and ``{/* ... */}``; every
opening tag (of any element) is read attribute by attribute so that ``>``
inside strings and ``{expressions}`` never ends a tag and ``<img`` inside an
attribute value is not mistaken for an element. Regions in ``excluded`` (code
found by the Markdown parser) are skipped.

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
name): a fixer inserts `` alt="..."`` there. Images inside attribute
expressions (``icon={<img .../>}``) are not reported.
"""

from __future__ import annotations

import bisect
import html
import re

from altbot.model import FileError, Image, JsxHints, LineIndex, Span, Syntax
from altbot.parse.base import IGNORE_FILE, IGNORE_NEXT, ParseResult, is_ignore_comment

_NAME = re.compile(r"[A-Za-z_$][\w$-]*(?:(?:\.[A-Za-z_$][\w$-]*)+|:[A-Za-z_$][\w$-]*)?")
_ATTR = re.compile(r"[A-Za-z_$][\w$-]*(?::[A-Za-z_$][\w$-]*)?")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_INTERESTING = re.compile(r"<|\{")
_EXPR_STOP = re.compile(r"[{}\"'`/<]")  # what an expression scan must look at
_CHILD_STOP = re.compile(r"[{<]")  # and the children of an element
_LINE_BREAK = re.compile(r"[\r\n]")
_WS = " \t\r\n\f\v\u00a0\ufeff"
_MAX_DEPTH = 60


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
    def __init__(self, text: str) -> None:
        self.t = text
        self.n = len(text)
        # position -> result (or _Fail): every construct is read at most once,
        # which keeps backtracking over malformed input polynomial
        self._memo: dict = {}
        # '{' offset -> end of its expression (or _Fail), as found by a scan that
        # passed it: a scan that meets it again jumps, so that a chain of
        # unclosed expressions is read once, not once per '{' (quadratic)
        self._scanned: dict[int, object] = {}
        self._comment_end: tuple[int, int] = (-1, -1)  # (searched from, next '*/' or -1)
        self._line_end: tuple[int, int] = (-1, -1)  # (searched from, next line break or the end)
        self.blank_after: dict[int, int] = {}  # '*/' offset -> offset past the blanks after it

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
        """i at a quote; return the offset past the closing quote."""
        t, q = self.t, self.t[i]
        i += 1
        while i < self.n:
            c = t[i]
            if c == "\\":
                i += 2
                continue
            if c == q:
                return i + 1
            if c in "\r\n":
                raise _Fail
            i += 1
        raise _Fail

    def template(self, i: int, depth: int) -> int:
        """i at a backtick; return the offset past the closing backtick."""
        t = self.t
        i += 1
        while i < self.n:
            c = t[i]
            if c == "\\":
                i += 2
                continue
            if c == "`":
                return i + 1
            if c == "$" and t.startswith("{", i + 1):
                i = self.expression(i + 1, depth + 1)
                continue
            i += 1
        raise _Fail

    def comment(self, i: int) -> int:
        """i at '/' of '/*' or '//'; return the offset past the comment."""
        t = self.t
        if t.startswith("/*", i):
            j = self.find_comment_end(i + 2)
            if j < 0:
                raise _Fail
            return j + 2
        return self.find_line_end(i)

    def _expression(self, i: int, depth: int = 0) -> int:
        if depth > _MAX_DEPTH:
            raise _Fail
        t = self.t
        scanned = self._scanned
        stop = _EXPR_STOP.search
        opened: list[int] = []  # offsets of the '{' still open, outermost first
        try:
            while True:
                m = stop(t, i)
                if m is None:
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
                elif c == "/" and t.startswith(("/*", "//"), i):
                    i = self.comment(i)
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
                raise _Fail
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
                else:
                    raise _Fail
            else:
                attrs.append((aname, "bool", None, am.end(), am.end(), am.end()))
                j = am.end()

    def _element(self, i: int, depth: int) -> int:
        if depth > _MAX_DEPTH:
            raise _Fail
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
        raise _Fail


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
) -> ParseResult:
    """Find ``<img>`` and component images in an MDX body from ``start``."""
    result = ParseResult()
    try:
        _scan(text, path, index, start, excluded, components, lang, lang_source, result)
    except Exception as exc:  # never raise: report instead
        result.errors.append(
            FileError(path, f"could not scan JSX ({type(exc).__name__}); "
                      "some JSX images may be missed")
        )
    return result


def _scan(text, path, index, start, excluded, components, lang, lang_source, result):
    sc = _Scanner(text)
    wanted = {"img"} | set(components or ())
    excl = _Excluded(excluded)
    n = len(text)
    pos = max(0, int(start or 0))
    while pos < n:
        m = _INTERESTING.search(text, pos)
        if not m:
            return
        s = m.start()
        skip = excl.skip_to(s)
        if skip is not None:
            pos = max(skip, s + 1)
            continue
        if text[s] == "{":
            pos = _comment(text, sc, s, path, index, result)
            continue
        # '<'
        nm = _NAME.match(text, s + 1)
        if not nm:
            pos = s + 1
            continue
        name = nm.group()
        try:
            tname, name_end, attrs, end, _ = sc.tag(s)
        except _Fail:
            if name in wanted:
                line, col = index.position(s)
                result.errors.append(
                    FileError(
                        path,
                        f"could not read the <{name}> tag: unterminated or malformed "
                        "attributes; close every quote, brace and the tag itself",
                        line,
                        col,
                    )
                )
            pos = s + 1
            continue
        if tname in wanted:
            result.images.append(
                _image(text, path, index, s, end, tname, name_end, attrs, lang, lang_source)
            )
        pos = end


def _comment(text, sc, s, path, index, result) -> int:
    """At '{': handle a ``{/* ... */}`` comment; return where to continue."""
    j = s + 1
    while j < len(text) and text[j] in _WS:
        j += 1
    if not text.startswith("/*", j):
        return s + 1
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
        return s + 1
    kind = is_ignore_comment(text[j + 2 : k])
    if kind == IGNORE_FILE:
        result.ignore_file = True
    elif kind == IGNORE_NEXT:
        result.ignore_marks.append(e + 1)
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

    title = get("title")
    name = name_source = None
    for key in ("aria-labelledby", "aria-label", "title"):
        v = get(key)
        if v is not None and v.strip():
            name, name_source = v, key
            break

    def flag(name):  # "true"/"false"/None for a boolean-ish attribute
        a = last.get(name)
        if a is None:
            return None
        if a[1] == "bool":
            return "true"
        v = (a[2] or "").strip()
        if a[1] == "expr":
            v = v[1:-1].strip().strip("\"'`")
        return v.strip().lower()

    hidden = None
    if flag("aria-hidden") == "true":
        hidden = "aria-hidden"
    elif flag("hidden") not in (None, "false"):
        hidden = "hidden"

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
        src=get("src"),
        alt=alt,
        alt_span=alt_span,
        insert_at=insert_at,
        title=title,
        name=name,
        name_source=name_source,
        hidden=hidden,
        presentational=presentational,
        dynamic_alt=dynamic,
        lang=img_lang,
        lang_source=img_lang_source,
        attrs=tuple(out_attrs),
        hints=JsxHints(spread=True) if spread else None,
    )
