"""Hugo shortcodes that show images: ``{{< figure src="x.jpg" alt="A cat" >}}``.

Both delimiters are recognised (``{{< >}}`` and ``{{% %}}``, each closed by its
own kind), with or without inner whitespace and with an optional self-closing
``/``. Named parameters take ``"double-quoted"`` values (``\\"`` escapes a
quote), ```backtick``` raw strings, or unquoted values (up to whitespace or the
closing delimiter). A positional parameter is named by its index (``"0"``, as ``.Get 0``
reads it). ``{{</* figure */>}}``
is Hugo's escaped form (shown literally) and is not an image.

``alt_span`` is the raw value: inside the quotes/backticks, or the unquoted
text. ``insert_at`` is right after the ``src`` value (after its closing
quote), or right after the shortcode name when there is no ``src``; a fixer
inserts `` alt="..."`` there.
"""

from __future__ import annotations

import bisect
import re

from altbot.model import FileError, Image, LineIndex, ShortcodeHints, Span, Syntax
from altbot.parse.base import ParseResult

_OPEN = re.compile(r"\{\{([<%])")
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./-]*")
_PARAM = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_WS = " \t\r\n"


class _Excluded:
    def __init__(self, spans) -> None:
        spans = sorted(
            (s for s in (spans or ()) if isinstance(s, Span) and s.end > s.start),
            key=lambda s: s.start,
        )
        self.starts = [s.start for s in spans]
        self.spans = spans

    def find(self, pos: int) -> Span | None:
        i = bisect.bisect_right(self.starts, pos) - 1
        # spans may overlap: look back a little for one that covers pos
        j = i
        while j >= 0 and j >= i - 8:
            if self.spans[j].contains(pos):
                return self.spans[j]
            j -= 1
        return None


def _skip_ws(text: str, i: int, end: int) -> int:
    while i < end and text[i] in _WS:
        i += 1
    return i


def _closer_at(text: str, i: int, end: int, delim: str) -> int:
    """If a closing delimiter (optionally self-closing) starts at i, return its end."""
    j = i
    if j < end and text[j] == "/":
        j = _skip_ws(text, j + 1, end)
    if text.startswith(delim + "}}", j) and j + 3 <= end:
        return j + 3
    return -1


def parse_shortcodes(
    text: str,
    path: str,
    index: LineIndex,
    *,
    start: int = 0,
    end: int | None = None,
    excluded: list[Span] = (),
    names: tuple[str, ...] = ("figure",),
    params: dict[str, tuple[str, str]] | None = None,
    lang=None,
    lang_source=None,
) -> ParseResult:
    """Find image shortcodes named in ``names`` that start in ``[start, end)``. ``params``: the
    (src, alt) parameter names of a shortcode whose are not ``src`` and ``alt`` (a site's own)."""
    result = ParseResult()
    try:
        _scan(text, path, index, start, end, excluded, names, lang, lang_source, result, params or {})
    except Exception as exc:  # never raise: report instead
        result.errors.append(
            FileError(path, f"could not scan shortcodes ({type(exc).__name__}); "
                      "some shortcode images may be missed")
        )
    return result


def _scan(text, path, index, start, end, excluded, names, lang, lang_source, result, params):
    n = len(text)
    end = n if end is None else max(0, min(int(end), n))
    pos = max(0, int(start or 0))
    names = set(names or ())
    excl = _Excluded(excluded)
    # Unterminated shortcodes must not cost a scan to the end each (quadratic):
    # where a parameter list was found to run off the end, any later one that
    # reaches the same offset does too; and the next '*/' is remembered.
    dead: set[tuple[str, int]] = set()
    esc_from, esc_at = -1, -1
    while pos < end:
        m = _OPEN.search(text, pos, end)
        if not m:
            return
        s = m.start()
        delim = ">" if m.group(1) == "<" else "%"
        pos = m.end()
        if excl.find(s) is not None:
            continue
        i = _skip_ws(text, m.end(), end)
        if text.startswith("/*", i):  # escaped shortcode: shown literally
            if not (0 <= esc_from <= i + 2 and (esc_at < 0 or esc_at >= i + 2)):
                esc_from, esc_at = i + 2, text.find("*/", i + 2, end)
            k = esc_at
            if k >= 0:
                c = _closer_at(text, _skip_ws(text, k + 2, end), end, delim)
                if c >= 0:
                    pos = c
            continue
        nm = _NAME.match(text, i, end)
        if not nm or nm.group() not in names:
            continue
        name = nm.group()
        parsed = _params(text, nm.end(), end, delim, dead)
        if parsed is None:
            line, col = index.position(s)
            result.errors.append(
                FileError(
                    path,
                    f"unterminated '{{{{{m.group(1)} {name}' shortcode: close it with "
                    f"'{delim}}}}}' (its image is not checked)",
                    line,
                    col,
                )
            )
            continue
        values, close_end = parsed
        pos = close_end
        src_key, alt_key = params.get(name, ("src", "alt"))
        result.images.append(
            _image(text, path, index, s, close_end, name, nm.end(), values, lang, lang_source, src_key, alt_key)
        )


def _params(text: str, i: int, end: int, delim: str, dead: set[tuple[str, int]] | None = None):
    """Parse params after the name; returns ([(name, value, vstart, vend, outer_end)], end).

    None when they never close. ``dead`` collects the offsets (with ``delim``)
    where such a scan stood between two parameters: from there on the scan
    depends on nothing else, so a later scan reaching one of them fails at once.
    """
    tops: list[tuple[str, int]] = []
    got = _params_from(text, i, end, delim, dead or set(), tops)
    if got is None and dead is not None:
        dead.update(tops)
    return got


def _params_from(text, i, end, delim, dead, tops):
    params = []
    positional = 0  # a positional parameter is named by its index, as .Get 0 reads it
    while True:
        if (delim, i) in dead:
            return None
        tops.append((delim, i))
        j = _skip_ws(text, i, end)
        if j >= end:
            return None
        c = _closer_at(text, j, end, delim)
        if c >= 0:
            return params, c
        pm = _PARAM.match(text, j, end)
        pname = None
        k = j
        if pm:
            k2 = _skip_ws(text, pm.end(), end)
            if k2 < end and text[k2] == "=":
                pname = pm.group()
                k = _skip_ws(text, k2 + 1, end)
        val = _value(text, k, end, delim)
        if val is None:
            return None
        value, vs, ve, oe = val
        if oe == j:  # no progress: stray character
            oe = j + 1
            if text[j] in "\"`":
                return None
        if pname is not None:
            params.append((pname, value, vs, ve, oe))
        elif oe > j:
            params.append((str(positional), value, vs, ve, oe))
            positional += 1
        i = oe


def _value(text: str, k: int, end: int, delim: str):
    if k >= end:
        return None
    q = text[k]
    if q == '"':
        i = k + 1
        out = []
        while i < end:
            ch = text[i]
            if ch == "\\" and i + 1 < end and text[i + 1] in '"\\':
                out.append(text[i + 1])
                i += 2
                continue
            if ch == '"':
                return "".join(out), k + 1, i, i + 1
            out.append(ch)
            i += 1
        return None
    if q == "`":
        i = text.find("`", k + 1, end)
        if i < 0:
            return None
        return text[k + 1 : i], k + 1, i, i + 1
    i = k
    while i < end and text[i] not in _WS:
        if text[i] in (delim, "/") and _closer_at(text, i, end, delim) >= 0:
            break
        i += 1
    return text[k:i], k, i, i


def _image(text, path, index, s, e, name, name_end, params, lang, lang_source, src_key="src", alt_key="alt") -> Image:
    values = {}
    spans = {}
    for pname, value, vs, ve, oe in params:
        values[pname] = value  # the last one wins
        spans[pname] = (vs, ve, oe)
    insert_at = name_end
    if src_key in spans:
        insert_at = spans[src_key][2]
    alt_span = Span(spans[alt_key][0], spans[alt_key][1]) if alt_key in spans else None
    line, col = index.position(s)
    return Image(
        path=path,
        syntax=Syntax.SHORTCODE,
        element=name,
        element_span=Span(s, e),
        line=line,
        column=col,
        src=values.get(src_key),
        alt=values.get(alt_key),
        alt_span=alt_span,
        insert_at=insert_at,
        title=values.get("title"),
        lang=lang,
        lang_source=lang_source,
        attrs=tuple((p, v) for p, v, *_ in params),
        hints=ShortcodeHints(alt_param=alt_key, src_param=src_key) if (src_key, alt_key) != ("src", "alt") else None,
    )
