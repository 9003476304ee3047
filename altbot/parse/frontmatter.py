"""Front matter: YAML (``---``) and TOML (``+++``) blocks at the top of a file.

Besides splitting the block off and loading it, this module finds the CMS image
fields configured by :class:`FrontMatterField` and reports each one as an
:class:`Image` with exact source positions, so a fixer can edit the file in
place without re-serialising it (comments, quoting and key order survive).

Positions (all absolute character offsets into the text):

``element_span``
    From the first character of the image key to the last non-blank character
    of its value (for a dotted TOML key, from the first key segment).
``alt_span``
    The raw alt *scalar value*: inside the quotes for a quoted scalar (YAML
    ``"..."``/``'...'``, TOML ``"..."``/``'...'``/``\"\"\"...\"\"\"``); the
    plain text for a plain scalar (``null``/``~`` included); for a YAML block
    scalar (``|``/``>``) the whole scalar including its indicator line; for an
    empty YAML value (``image_alt:``) an empty span right after ``:`` and one
    following space/tab if there is one on that line. The quoting style is in
    ``hints.alt_style`` (plain, double, single, literal, folded, empty, structure,
    multiline-double, multiline-single, other).
``insert_at``
    Where a missing alt entry goes. Block mappings / TOML tables: the start of
    the line after the image entry; write ``indent + alt_key + sep + value +
    newline`` there (sep is ``": "`` for YAML, ``" = "`` for TOML). Flow
    mappings / TOML inline tables (``hints.flow``): right after the
    image value; write ``", " + alt_key + sep + value`` there.

``hints`` (a ``FrontMatterHints``) holds ``key`` (image key as written, dotted
for TOML dotted keys), ``alt_key`` (the alt key text to write, with the same
dotted prefix), ``indent`` (empty in a flow mapping), ``newline``, ``format``,
``path`` (the image field's path with list indices, e.g. ``images[1].src``),
``field`` (the configured field it matched) and, when the alt exists, ``alt_style``.
"""

from __future__ import annotations

import functools
import re
import warnings
from dataclasses import dataclass, field

TYPE_CHECKING = False  # typing is for the type checker only: a check never imports it
if TYPE_CHECKING:
    from typing import Any

from altbot.files import load_tomllib
from altbot.model import FileError, FrontMatterHints, Image, LineIndex, Span, Syntax
from altbot.parse.base import FrontMatterField, ParseResult


@dataclass(frozen=True)
class FrontMatter:
    """A page's front matter block: where it is, its format, and its data once read."""

    format: str  # "yaml" | "toml"
    span: Span  # whole block, delimiters and the closing line's newline included
    body_start: int  # offset where the Markdown body starts
    data: dict | None = None
    # offsets of the content between the delimiter lines
    content_span: Span | None = field(default=None, compare=False)


_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_LANG_KEYS = ("lang", "language", "locale")


# The closing delimiter: the first line, after the opening one, that is the
# delimiter followed by nothing but spaces and tabs.
_YAML_CLOSE = re.compile(r"(?:\r\n|\r|\n)((?:---|\.\.\.)[ \t]*)(?:\r\n|\r|\n|\Z)")
_TOML_CLOSE = re.compile(r"(?:\r\n|\r|\n)(\+\+\+[ \t]*)(?:\r\n|\r|\n|\Z)")
_FIRST_LINE_END = re.compile(r"[ \t]*(?:\r\n|\r|\n)")


def split_front_matter(text: str) -> FrontMatter | None:
    """Find a front matter block at the very start of ``text``.

    ``---`` opens YAML (closed by ``---`` or ``...``), ``+++`` opens TOML
    (closed by ``+++``). Delimiter lines may carry trailing spaces/tabs. An
    unclosed block is not front matter (``---`` is then a thematic break).
    """
    if text.startswith("---"):
        fmt, close = "yaml", _YAML_CLOSE
    elif text.startswith("+++"):
        fmt, close = "toml", _TOML_CLOSE
    else:
        return None
    first = _FIRST_LINE_END.match(text, 3)  # the opener: only blanks after it, then a line break
    if first is None:
        return None
    content_start = first.end()
    m = close.search(text, content_start - (2 if text.endswith("\r\n", 0, content_start) else 1))
    if m is None:
        return None
    return FrontMatter(fmt, Span(0, m.end()), m.end(), None, content_span=Span(content_start, m.start(1)))


# --------------------------------------------------------------------------
# Position tree shared by the YAML and TOML locators


@dataclass
class _Scalar:
    """A scalar value in the front matter's tree, with its spans."""

    value: str  # decoded value (YAML: scalar text; TOML: decoded string / raw token)
    is_string: bool
    is_null: bool
    span: Span  # raw value span (see module doc)
    outer: Span  # whole scalar incl. quotes
    style: str


@dataclass
class _Other:
    """A collection where a scalar was expected, or an alias: kept as written."""

    raw: str
    outer: Span


@dataclass
class _Entry:
    """One key of a mapping in the front matter's tree, with the offsets an edit needs."""

    key: str  # key text as written (dotted for TOML dotted keys)
    key_start: int
    key_end: int
    value: Any  # _Scalar | _Map | _Seq | _Other
    line_prefix: str  # text between the line start and the key (e.g. "  - "); "" in a flow mapping
    after_line: int  # start of the line after the entry's value
    newline: str
    flow: bool
    value_end: int  # end of the value (after closing quote)
    key_prefix: str = ""  # TOML dotted-key prefix, e.g. "cover."
    colon_end: int = 0  # YAML: offset just past ':' (+ one blank) for empty values


@dataclass
class _Map:
    """A mapping in the front matter's tree, by key."""

    entries: dict = field(default_factory=dict)  # name -> _Entry
    flow: bool = False


@dataclass
class _Seq:
    """A sequence in the front matter's tree."""

    items: list = field(default_factory=list)


# --------------------------------------------------------------------------
# Field paths


@functools.lru_cache(maxsize=256)
def _parse_path(path: str) -> tuple[tuple[str, bool], ...] | None:
    """``images[].src`` -> (("images", True), ("src", False)); cached: the fields are the config's."""
    out = []
    for seg in path.split("."):
        is_list = seg.endswith("[]")
        name = seg[:-2] if is_list else seg
        if not name or "[" in name or "]" in name:
            return None
        out.append((name, is_list))
    if not out or out[-1][1]:
        return None
    return tuple(out)


def _walk(node: Any, segs: list[tuple[str, bool]], label: str):
    """Yield (parent_map, label) for every mapping the final key would sit in."""
    if not segs:
        yield node, label
        return
    name, is_list = segs[0]
    if not isinstance(node, _Map):
        return
    if len(segs) == 1:
        yield node, label
        return
    entry = node.entries.get(name)
    if entry is None:
        return
    child = entry.value
    sub = f"{label}.{name}" if label else name
    if is_list:
        if isinstance(child, _Seq):
            for i, item in enumerate(child.items):
                yield from _walk(item, segs[1:], f"{sub}[{i}]")
    else:
        yield from _walk(child, segs[1:], sub)


def _images(
    root: _Map, fields: tuple[FrontMatterField, ...], path: str, index: LineIndex, fmt: str,
    errors: list[FileError] | None = None,
) -> list[Image]:
    images: list[Image] = []
    seen: set[int] = set()
    for fld in fields:
        try:
            segs = _parse_path(str(fld.image))
            alt_segs = _parse_path(str(fld.alt))
        except Exception:
            continue
        if segs is None:
            continue
        img_key = segs[-1][0]
        alt_key = alt_segs[-1][0] if alt_segs else None
        for parent, label in _walk(root, segs, ""):
            entry = parent.entries.get(img_key)
            if entry is None or not isinstance(entry.value, _Scalar):
                continue
            val = entry.value
            if not val.is_string or not val.value.strip():
                continue
            if entry.key_start in seen:
                continue
            seen.add(entry.key_start)
            images.append(_make_image(entry, parent, alt_key, path, index, fmt, label, fld.image, errors))
    images.sort(key=lambda im: im.element_span.start)
    return images


def _make_image(
    entry: _Entry,
    parent: _Map,
    alt_key: str | None,
    path: str,
    index: LineIndex,
    fmt: str,
    label: str,
    field_path: str = "",
    errors: list[FileError] | None = None,
) -> Image:
    alt = None
    alt_span = None
    dynamic = False
    alt_style = None
    alt_key_written = None
    if alt_key is not None:
        alt_key_written = entry.key_prefix + alt_key
        a = parent.entries.get(alt_key)
        if a is not None:
            v = a.value
            if isinstance(v, _Scalar):
                if v.is_null:
                    alt = ""
                else:
                    alt = v.value
                if v.style == "empty":
                    alt_span = Span(a.colon_end, a.colon_end)
                else:
                    alt_span = v.span
                alt_style = v.style
            elif isinstance(v, _Other):
                alt = v.raw
                alt_span = v.outer
                dynamic = True
                alt_style = "other"
            else:  # a mapping or list where text was expected: an error (see _images), not an edit
                alt = ""
                dynamic = True
                alt_style = "structure"
                if errors is not None:
                    line, col = index.position(a.key_start)
                    kind = "a list" if isinstance(v, _Seq) else "a mapping"
                    errors.append(FileError(
                        path,
                        f"front matter `{alt_key_written}` is {kind}, not text, so `{entry.key_prefix + entry.key}` "
                        "has no alt text; write the alt text as a string",
                        line, col,
                    ))
    flow = entry.flow
    indent = re.sub(r"\S", " ", entry.line_prefix)
    hints = FrontMatterHints(
        key=entry.key_prefix + entry.key,
        format=fmt,
        path=f"{label}.{entry.key}" if label else entry.key,
        field=field_path,
        alt_key=alt_key_written,
        alt_style=alt_style,
        indent=indent,
        newline=entry.newline,
        flow=bool(flow),
    )
    insert_at = entry.value_end if flow else entry.after_line
    line, col = index.position(entry.key_start)
    return Image(
        path=path,
        syntax=Syntax.FRONTMATTER,
        element="front-matter",
        element_span=Span(entry.key_start, max(entry.key_start, entry.value_end)),
        line=line,
        column=col,
        src=entry.value.value,
        alt=alt,
        alt_span=alt_span,
        insert_at=insert_at,
        dynamic_alt=dynamic,
        fixable=True,
        hints=hints,
    )


# --------------------------------------------------------------------------
# YAML


def _next_line_start(text: str, pos: int, index: LineIndex | None = None) -> tuple[int, str]:
    """Start of the line after the one containing ``pos`` and that line's newline."""
    if index is not None:  # O(log n): a scan to the line's end is quadratic over keys on one long line
        line = index.position(pos)[0]
        end = index.line_start(line + 1) if line < index.line_count else len(text)
    else:
        end = _LINE_RE.match(text, pos).end()
    if text.endswith("\r\n", 0, end):
        return end, "\r\n"
    if end > pos and text[end - 1] in "\r\n":
        return end, text[end - 1]
    return end, "\n"


def _line_start(text: str, pos: int, index: LineIndex | None = None) -> int:
    if index is not None:  # O(log n): a search back is quadratic over keys on one long line
        return pos - index.position(pos)[1] + 1
    return max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos)) + 1


def _yaml_tree(text: str, base: int, node: Any, full: str, depth: int = 0, index: LineIndex | None = None) -> Any:
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    if depth > 200:
        return _Other("", Span(base, base))
    s = base + node.start_mark.index
    e = base + node.end_mark.index
    if isinstance(node, ScalarNode):
        tag = str(getattr(node.tag, "value", node.tag) or "")
        style = node.style
        value = node.value if isinstance(node.value, str) else str(node.value)
        is_null = tag.endswith(":null")
        is_string = tag.endswith(":str")
        if style in ('"', "'"):
            end_q = e - 1 if e - 1 >= s + 1 else s + 1
            span = Span(s + 1, end_q)
            multi = "\n" in full[s:e] or "\r" in full[s:e]
            st = ("double" if style == '"' else "single")
            st = f"multiline-{st}" if multi else st
        elif style in ("|", ">"):
            ee = e
            while ee > s and full[ee - 1] in " \t\r\n":
                ee -= 1
            span = Span(s, ee)
            st = "literal" if style == "|" else "folded"
            if style == ">":  # a parser may mark fold points with '\a'
                value = value.replace("\a", "")
        elif s == e or (value == "" and style is None):
            span = Span(s, s)
            st = "empty"
        else:
            span = Span(s, e)
            st = "plain"
        return _Scalar(value, is_string, is_null, span, Span(s, max(s, e)), st)
    if isinstance(node, SequenceNode):
        return _Seq([_yaml_tree(text, base, it, full, depth + 1, index) for it in node.value])
    if isinstance(node, MappingNode):
        m = _Map(flow=bool(node.flow_style))
        for k, v in node.value:
            if not isinstance(k, ScalarNode):
                continue
            ks = base + k.start_mark.index
            ke = base + k.end_mark.index
            vs = base + v.start_mark.index
            # ':' after the key (skip blanks), plus one following blank
            c = ke
            while c < len(full) and full[c] in " \t":
                c += 1
            colon = c + 1 if c < len(full) and full[c] == ":" else ke
            colon_end = colon
            if colon_end < len(full) and full[colon_end] in " \t":
                colon_end += 1
            if vs < ks:  # alias to an earlier anchor: the value is not here
                child: Any = _Other("*alias", Span(colon, colon))
                vend = colon
            else:
                child = _yaml_tree(text, base, v, full, depth + 1, index)
                if isinstance(child, _Scalar) and child.style == "empty":
                    vend = colon
                else:
                    vend = child.outer.end if isinstance(child, (_Scalar, _Other)) else base + v.end_mark.index
                    while vend > ke and full[vend - 1] in " \t\r\n":
                        vend -= 1
            ls = _line_start(full, ks, index)
            after, nl = _next_line_start(full, max(vend, ke), index)
            name = k.value if isinstance(k.value, str) else str(k.value)
            if name in m.entries:
                continue
            m.entries[name] = _Entry(
                key=full[ks:ke] if k.style is None else name,
                key_start=ks,
                key_end=ke,
                value=child,
                # a flow mapping's entries are inserted after their value, and copying
                # the line up to each key is quadratic over a long line of them
                line_prefix=full[ls:ks] if not m.flow else "",
                after_line=after,
                newline=nl,
                flow=m.flow,
                value_end=max(ke, vend),
                colon_end=colon_end,
            )
        return m
    return _Other("", Span(s, max(s, e)))


def _mark_position(index: LineIndex, base: int, mark: Any, limit: int) -> tuple[int | None, int | None]:
    try:
        off = base + int(mark.index)
        off = min(max(off, 0), limit)
        return index.position(off)
    except Exception:
        return None, None


def _duplicate_key(node: Any, depth: int = 0) -> Any:
    """The first scalar key node that repeats a key of the same mapping (YAML forbids it)."""
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    if depth > 200:
        return None
    if isinstance(node, MappingNode):
        seen = set()
        for k, v in node.value:
            if isinstance(k, ScalarNode):
                if k.value in seen:
                    return k
                seen.add(k.value)
            found = _duplicate_key(v, depth + 1)
            if found is not None:
                return found
    elif isinstance(node, SequenceNode):
        for item in node.value:
            found = _duplicate_key(item, depth + 1)
            if found is not None:
                return found
    return None


# YAML aliases share one node, so every walk that follows them (ours, PyYAML's
# merge-key flattening, a consumer of the data) pays for each repetition: nine
# lines of anchors ("billion laughs") stand for 10**9 values. Front matter is
# read for every page by every command, so it may repeat at most this many values.
FRONT_MATTER_ALIAS_LIMIT = 10_000


@dataclass(frozen=True)
class AliasOverflow:
    """An alias that makes a YAML text too big to walk (see ``alias_overflow``)."""

    offset: int  # of the ``*name`` in the YAML text
    name: str
    recursive: bool  # the alias sits inside its own anchor's value

    def problem(self, limit: int) -> str:
        if self.recursive:
            return f"the YAML alias *{self.name} refers to the value it is part of (a recursive alias)"
        return (
            f"the YAML aliases expand to more than {limit} values at *{self.name} "
            "(an alias bomb, 'billion laughs')"
        )


def alias_overflow(text: str, loader_class: Any, limit: int) -> AliasOverflow | None:
    """The alias that takes ``text`` past ``limit`` repeated values, or that is recursive; None if none does.

    Reads the event stream only (linear in the text): each anchor's expanded size
    is known when its node ends, and every alias adds the size of its anchor.
    Aliases to small values, the everyday use, stay well under any limit. A syntax
    error ends the count quietly: the loader reports it.
    """
    from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, DocumentStartEvent, ScalarEvent

    loader = loader_class(text)
    sizes: dict[str, int] = {}  # anchor -> values it stands for
    stack: list[list[Any]] = []  # open collections: [anchor, values so far]
    open_anchors: dict[str, int] = {}
    added = 0
    try:
        while loader.check_event():
            ev = loader.get_event()
            if isinstance(ev, ScalarEvent):
                if ev.anchor is not None:
                    sizes[ev.anchor] = 1
                if stack:
                    stack[-1][1] += 1
            elif isinstance(ev, CollectionStartEvent):
                stack.append([ev.anchor, 1])
                if ev.anchor is not None:
                    open_anchors[ev.anchor] = open_anchors.get(ev.anchor, 0) + 1
            elif isinstance(ev, CollectionEndEvent):
                if not stack:  # pragma: no cover - the parser balances them
                    continue
                anchor, n = stack.pop()
                if anchor is not None:
                    sizes[anchor] = n
                    open_anchors[anchor] -= 1
                if stack:
                    stack[-1][1] += n
            elif isinstance(ev, AliasEvent):
                name = ev.anchor
                if open_anchors.get(name):
                    return AliasOverflow(ev.start_mark.index, name, True)
                n = sizes.get(name, 1)
                added += n
                if added > limit:
                    return AliasOverflow(ev.start_mark.index, name, False)
                if stack:
                    stack[-1][1] += n
            elif isinstance(ev, DocumentStartEvent):
                sizes.clear()
    except Exception:  # the loader reports syntax errors with its own message
        return None
    finally:
        loader.dispose()
    return None


# A flat YAML front matter: ``key: value`` lines only (blank lines between), each value a
# plain scalar that PyYAML resolves to a string, or a one-line quoted string without escapes.
# It is read without PyYAML (``_flat_yaml``), to the very same data and tree.
_FLAT_LINE_RE = re.compile(
    r"""([A-Za-z_][A-Za-z0-9_]*):[ ]+"""
    r"""("[^"\\\x00-\x1f\x7f\x85\u2028\u2029\ufeff]*"|'[^'\x00-\x1f\x7f\x85\u2028\u2029\ufeff]*'"""
    r"""|[^-?:,\[\]{}#&*!|>'"%@`\s+0-9.<~=][^#:\x00-\x1f\x7f\x85\u2028\u2029\ufeff]*?)[ ]*(\r\n|\n|\r|\Z)"""
)
# PyYAML's implicit resolvers that a plain scalar starting with a letter can still meet
_YAML_BOOL_NULL_RE = re.compile(
    r"(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|y|Y|n|N|null|Null|NULL)"
)
_BLANK_LINES_RE = re.compile(r"(?:[ ]*(?:\r\n|\n|\r))*")


def _flat_yaml(text: str, cs: Span, index: LineIndex, tree: bool) -> tuple[dict, _Map | None] | None:
    """The data and tree of a flat front matter (see ``_FLAT_LINE_RE``), or None for any other."""
    pos, end = cs.start, cs.end
    data: dict = {}
    entries: dict = {}
    blank = _BLANK_LINES_RE
    line_re = _FLAT_LINE_RE
    while True:
        pos = blank.match(text, pos, end).end()
        if pos >= end:
            break
        m = line_re.match(text, pos, end)
        if m is None:
            return None
        key, raw = m.group(1), m.group(2)
        if key in data or _YAML_BOOL_NULL_RE.fullmatch(key):
            return None  # PyYAML reports a duplicate; ``yes:`` is a boolean key
        q = raw[0]
        if q == '"' or q == "'":
            value = raw[1:-1]
        else:
            if _YAML_BOOL_NULL_RE.fullmatch(raw):  # (the lazy match leaves trailing blanks out)
                return None
            value = raw
        data[key] = value
        if tree:
            ks, ke = m.start(1), m.end(1)
            s, e = m.start(2), m.end(2)
            if q == '"' or q == "'":
                scalar = _Scalar(value, True, False, Span(s + 1, e - 1), Span(s, e), "double" if q == '"' else "single")
            else:
                scalar = _Scalar(value, True, False, Span(s, e), Span(s, e), "plain")
            after, nl = _next_line_start(text, e, index)
            entries[key] = _Entry(
                key=key,
                key_start=ks,
                key_end=ke,
                value=scalar,
                line_prefix="",
                after_line=after,
                newline=nl,
                flow=False,
                value_end=e,
                colon_end=ke + 2,
            )
        pos = m.end()
        if m.group(3) == "":
            break
    if not data:
        return None
    return data, (_Map(entries) if tree else None)


def _parse_yaml(text: str, fm: FrontMatter, path: str, index: LineIndex, result: ParseResult, tree: bool = True):
    flat = _flat_yaml(text, fm.content_span, index, tree)
    if flat is not None:
        return flat

    import yaml

    # libyaml's C parser: ~100x faster than a pure-Python one, and its marks
    # are character offsets, which is all the locator needs.
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    cs = fm.content_span
    body = text[cs.start : cs.end]
    bomb = alias_overflow(body, loader_class, FRONT_MATTER_ALIAS_LIMIT) if "*" in body else None
    if bomb is not None:
        line, col = index.position(min(cs.start + bomb.offset, cs.end))
        result.errors.append(
            FileError(
                path,
                f"YAML front matter not read: {bomb.problem(FRONT_MATTER_ALIAS_LIMIT)}; "
                "write the values out instead of repeating aliases (its image fields are not checked)",
                line,
                col,
            )
        )
        return None, None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            loader = loader_class(body)
            try:
                node = loader.get_single_node()
                data = loader.construct_document(node) if node is not None else None
            finally:
                loader.dispose()
    except Exception as exc:  # PyYAML's errors, and anything odd it raises
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = col = None
        if mark is not None:
            line, col = _mark_position(index, cs.start, mark, cs.end)
        if line is None:
            line, col = index.position(0)
        problem = getattr(exc, "problem", None) or str(exc).strip().splitlines()[0:1]
        if isinstance(problem, list):
            problem = problem[0] if problem else type(exc).__name__
        result.errors.append(
            FileError(
                path,
                f"invalid YAML front matter: {problem}; fix the YAML syntax "
                "(quote values containing ': ', ' #' or starting with a special character)",
                line,
                col,
            )
        )
        return None, None
    dup = _duplicate_key(node) if node is not None else None
    if dup is not None:
        line, col = _mark_position(index, cs.start, dup.start_mark, cs.end)
        result.errors.append(
            FileError(
                path,
                f"invalid YAML front matter: duplicate key {dup.value!r}; YAML keys must be unique, remove one",
                line,
                col,
            )
        )
        return None, None
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        result.errors.append(
            FileError(
                path,
                "YAML front matter is not a mapping of keys to values; "
                "write it as 'key: value' lines",
                *index.position(cs.start),
            )
        )
        return None, None
    if not tree:
        return data, None
    return data, (_yaml_tree(body, cs.start, node, text, 0, index) if node is not None else _Map())


# --------------------------------------------------------------------------
# TOML

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_TOML_POS = re.compile(r"at line (\d+), column (\d+)")
_TOML_TOKEN_END = re.compile(r"[^\s,\]\}#]*")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d")


class _TomlError(Exception):
    pass


class _TomlLocator:
    """A lenient TOML reader that only records where things are.

    The text has already been validated by tomllib, so this reader can assume
    well-formed input; string values are decoded by tomllib itself.
    """

    def __init__(self, text: str, start: int, end: int, index: LineIndex | None = None) -> None:
        self.t = text
        self.index = index
        self.p = start
        self.end = end
        self.root = _Map()

    # -- low level
    def ws(self) -> None:
        t = self.t
        while self.p < self.end and t[self.p] in " \t":
            self.p += 1

    def ws_nl(self) -> None:
        t = self.t
        while self.p < self.end:
            c = t[self.p]
            if c in " \t\r\n":
                self.p += 1
            elif c == "#":
                while self.p < self.end and t[self.p] not in "\r\n":
                    self.p += 1
            else:
                break

    def skip_line(self) -> None:
        t = self.t
        while self.p < self.end and t[self.p] not in "\r\n":
            self.p += 1
        if self.t.startswith("\r\n", self.p):
            self.p += 2
        elif self.p < self.end:
            self.p += 1

    def string(self) -> tuple[str, Span, Span, str]:
        """Parse a string at p: (value, inner span, outer span, style)."""
        t, s = self.t, self.p
        for q, style in (('"""', "multiline-double"), ("'''", "multiline-single")):
            if t.startswith(q, s):
                i = s + 3
                while True:
                    j = t.find(q, i, self.end)
                    if j < 0:
                        raise _TomlError("unterminated string")
                    if q == '"""':
                        k = j - 1
                        bs = 0
                        while k >= i and t[k] == "\\":
                            bs += 1
                            k -= 1
                        if bs % 2:
                            i = j + 1
                            continue
                    e = j + 3
                    extra = 0
                    while extra < 2 and e < self.end and t[e] == q[0]:
                        e += 1
                        extra += 1
                    self.p = e
                    return self.decode(s, e), Span(s + 3, e - 3), Span(s, e), style
        q = t[s]
        i = s + 1
        while i < self.end:
            c = t[i]
            if c == q:
                self.p = i + 1
                style = "double" if q == '"' else "single"
                return self.decode(s, i + 1), Span(s + 1, i), Span(s, i + 1), style
            if c == "\\" and q == '"':
                i += 2
                continue
            if c in "\r\n":
                break
            i += 1
        raise _TomlError("unterminated string")

    def decode(self, s: int, e: int) -> str:
        try:
            v = load_tomllib().loads("v = " + self.t[s:e])["v"]
            return v if isinstance(v, str) else ""
        except Exception:
            return self.t[s:e]

    def key(self) -> list[tuple[str, int, int]]:
        parts = []
        while True:
            self.ws()
            s = self.p
            if s < self.end and self.t[s] in "\"'":
                name = self.string()[0]
            else:
                m = _BARE_KEY.match(self.t, s, self.end)
                if not m:
                    raise _TomlError("bad key")
                name = m.group()
                self.p = m.end()
            parts.append((name, s, self.p))
            self.ws()
            if self.p < self.end and self.t[self.p] == ".":
                self.p += 1
                continue
            return parts

    def value(self, depth: int = 0) -> Any:
        if depth > 100:
            raise _TomlError("too deep")
        t, s = self.t, self.p
        if s >= self.end:
            raise _TomlError("missing value")
        c = t[s]
        if c in "\"'":
            v, inner, outer, style = self.string()
            return _Scalar(v, True, False, inner, outer, style)
        if c == "[":
            self.p += 1
            seq = _Seq()
            while True:
                self.ws_nl()
                if self.p >= self.end:
                    raise _TomlError("unterminated array")
                if t[self.p] == "]":
                    self.p += 1
                    return seq
                seq.items.append(self.value(depth + 1))
                self.ws_nl()
                if self.p < self.end and t[self.p] == ",":
                    self.p += 1
        if c == "{":
            self.p += 1
            m = _Map(flow=True)
            while True:
                self.ws_nl()
                if self.p >= self.end:
                    raise _TomlError("unterminated inline table")
                if t[self.p] == "}":
                    self.p += 1
                    return m
                if t[self.p] == ",":
                    self.p += 1
                    continue
                self.keyval(m, flow=True, depth=depth + 1)
        # number, bool, date/time
        if _DATE_TIME.match(t, s):
            e = s + 11
            m2 = _TOML_TOKEN_END.match(t, e, self.end)
            e = m2.end()
        else:
            m2 = _TOML_TOKEN_END.match(t, s, self.end)
            e = m2.end()
        if e == s:
            raise _TomlError("bad value")
        self.p = e
        return _Scalar(t[s:e], False, False, Span(s, e), Span(s, e), "plain")

    def keyval(self, table: _Map, flow: bool, depth: int = 0) -> None:
        t = self.t
        ls = _line_start(t, self.p, self.index)
        parts = self.key()
        if self.p >= self.end or t[self.p] != "=":
            raise _TomlError("expected '='")
        self.p += 1
        self.ws()
        val = self.value(depth)
        vend = self.p
        target = table
        for name, ks, ke in parts[:-1]:  # a dotted key's tables: positioned at their name in it
            ent = target.entries.get(name)
            if ent is None or not isinstance(ent.value, _Map):
                ent = _Entry(name, ks, ke, _Map(flow=flow), "", 0, "\n", flow, 0)
                target.entries[name] = ent
            target = ent.value
        name, ks, ke = parts[-1]
        after, nl = _next_line_start(t, vend, self.index) if not flow else (vend, "\n")
        prefix = t[parts[0][1] : ks] if len(parts) > 1 else ""
        target.entries[name] = _Entry(
            key=t[ks:ke],
            key_start=parts[0][1],
            key_end=ke,
            value=val,
            line_prefix=t[ls : parts[0][1]] if not flow else "",
            after_line=after if after <= self.end else self.end,
            newline=nl,
            flow=flow,
            value_end=vend,
            key_prefix=prefix,
        )

    def table_for(self, names: list[tuple[str, int, int]], array: bool) -> _Map:
        """The table a ``[a.b]`` / ``[[a.b]]`` header opens; the tables it creates are positioned
        at their names in the first header that names them (where an error about them points)."""
        cur = self.root
        for i, (name, ks, ke) in enumerate(names):
            last = i == len(names) - 1
            ent = cur.entries.get(name)
            if last and array:
                if ent is None or not isinstance(ent.value, _Seq):
                    ent = _Entry(name, ks, ke, _Seq(), "", 0, "\n", False, 0)
                    cur.entries[name] = ent
                new = _Map()
                ent.value.items.append(new)
                return new
            if ent is None:
                ent = _Entry(name, ks, ke, _Map(), "", 0, "\n", False, 0)
                cur.entries[name] = ent
            v = ent.value
            if isinstance(v, _Seq):
                if not v.items or not isinstance(v.items[-1], _Map):
                    v.items.append(_Map())
                v = v.items[-1]
            if not isinstance(v, _Map):
                raise _TomlError("not a table")
            cur = v
        return cur

    def run(self) -> _Map:
        table = self.root
        t = self.t
        while True:
            self.ws_nl()
            if self.p >= self.end:
                return self.root
            if t[self.p] == "[":
                array = t.startswith("[[", self.p)
                self.p += 2 if array else 1
                names = self.key()
                self.ws()
                close = "]]" if array else "]"
                if not t.startswith(close, self.p):
                    raise _TomlError("bad table header")
                self.p += len(close)
                table = self.table_for(names, array)
                self.skip_line()
                continue
            self.keyval(table, flow=False)
            self.skip_line()


def _parse_toml(text: str, fm: FrontMatter, path: str, index: LineIndex, result: ParseResult, tree: bool = True):
    cs = fm.content_span
    body = text[cs.start : cs.end]
    try:
        data = load_tomllib().loads(body)
    except Exception as exc:
        msg = str(exc)
        line = col = None
        m = _TOML_POS.search(msg)
        if m:
            ln, cn = int(m.group(1)), int(m.group(2))
            off = cs.start
            for _ in range(ln - 1):
                j = text.find("\n", off, cs.end)
                if j < 0:
                    break
                off = j + 1
            off = min(off + cn - 1, cs.end)
            line, col = index.position(off)
            msg = _TOML_POS.sub("", msg).rstrip(" ()")
        if line is None:
            line, col = index.position(cs.start)
        result.errors.append(
            FileError(
                path,
                f"invalid TOML front matter: {msg}; fix the TOML syntax "
                "(strings need quotes, each key once per table)",
                line,
                col,
            )
        )
        return None, None
    if not tree:
        return data, None
    try:
        tree = _TomlLocator(text, cs.start, cs.end, index).run()
    except Exception:
        line, col = index.position(cs.start)
        result.errors.append(
            FileError(
                path,
                "could not locate image fields in the TOML front matter; "
                "its images are not checked (please report this file)",
                line,
                col,
            )
        )
        tree = None
    return data, tree


# --------------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def _top_keys(fields: tuple[FrontMatterField, ...]) -> tuple[str, ...]:
    """The top-level key of each field's path: an image field needs one of them in the front matter."""
    keys = []
    for fld in fields:
        try:
            segs = _parse_path(str(fld.image))
        except Exception:
            continue
        if segs:
            keys.append(segs[0][0])
    return tuple(keys)


def _may_hold(body: str, fields: tuple[FrontMatterField, ...]) -> tuple[bool, bool]:
    """(may hold an image field, must be loaded all the same), from the text alone.

    A key is in the text as it is written, unless an escape spells it (YAML
    double-quoted and TOML basic strings): a backslash makes anything possible.
    Loading is needed for a language key (lang, language, locale), and for a YAML
    alias ('*'): an alias bomb is reported wherever it is.
    """
    if "\\" in body:
        return True, True
    try:
        keys = _top_keys(fields)
    except TypeError:  # a field that cannot be hashed (a config of odd types): not cached
        keys = _top_keys.__wrapped__(fields)
    return any(k in body for k in keys), "lang" in body or "locale" in body or "*" in body


def parse_front_matter(
    text: str,
    path: str,
    index: LineIndex,
    fields: tuple[FrontMatterField, ...],
    *,
    imageless: str = "load",
) -> tuple[FrontMatter | None, ParseResult]:
    """Split, load and scan the front matter of ``text``.

    Returns ``(None, empty result)`` when there is no front matter. On invalid
    YAML/TOML the FrontMatter is still returned (``data=None``) so the caller
    can scan the body from ``body_start``; the result then holds one FileError
    and no images. The front matter span is added to ``result.excluded``.

    ``imageless`` says what to do with a front matter whose text holds none of
    the ``fields``' top-level keys, so no image field: ``"load"`` it all the
    same (``data`` and its errors), or ``"lang"``: only what gives the page
    language, which is quick: nothing at all when no ``lang``, ``language`` or
    ``locale`` key and no YAML alias is in the text (``data`` stays None, and
    invalid YAML/TOML is not reported), else a load without locating fields
    (its errors reported as ever).
    """
    result = ParseResult()
    try:
        fm = split_front_matter(text)
    except Exception:  # pragma: no cover
        fm = None
    if fm is None:
        return None, result
    result.excluded.append(fm.span)
    fields = tuple(fields or ())
    tree = True
    if imageless == "lang":
        cs = fm.content_span
        images, load = _may_hold(text[cs.start : cs.end], fields)
        if not images:
            if not load:
                return fm, result
            tree = False
    try:
        if fm.format == "yaml":
            data, tree = _parse_yaml(text, fm, path, index, result, tree)
        else:
            data, tree = _parse_toml(text, fm, path, index, result, tree)
        if isinstance(data, dict):
            for key in _LANG_KEYS:
                v = data.get(key)
                if isinstance(v, str) and v.strip():
                    result.lang = v.strip()
                    result.lang_source = "front-matter"
                    break
        if isinstance(tree, _Map):
            result.images.extend(_images(tree, fields, path, index, fm.format, result.errors))
        fm = FrontMatter(fm.format, fm.span, fm.body_start, data, content_span=fm.content_span)
    except Exception as exc:  # never raise: report instead
        result.images.clear()
        line, col = index.position(0)
        result.errors.append(
            FileError(
                path,
                f"could not read the front matter ({type(exc).__name__}); "
                "its image fields are not checked",
                line,
                col,
            )
        )
    return fm, result
