"""Which front-matter fields a site's layouts render as images (site stage).

A CMS image field in front matter needs alt text only where a layout shows it
on the page. The layouts and includes in the tree are read as text (never
executed) and each reference to a page field is placed in one of three bins:

- inside an ``<img …>`` tag, or a ``src``/``srcset`` attribute, directly or
  through a variable (``{{ $img := .Params.cover.image }}`` … ``<img src="{{ $img }}">``,
  ``{{ with .Params.image }}<img src="{{ . }}">``, ``{% assign hero = page.hero %}``);
- inside a ``<meta>`` tag (``og:image``, ``twitter:image``): a social card;
- anywhere else: not known.

A field seen in an image is *rendered*; one seen only in social meta is
*social*; one never seen is left to the generator's conventions.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterable

from altbot.files import read_regular

MAX_TEMPLATE_BYTES = 1024 * 1024
MAX_TEMPLATES = 5000

# the start of an <img>/<source>/<image> or <meta> tag in a template; its end is found by _tag_spans
_IMG_TAG = re.compile(r"<(?:img|source|image)\b", re.I)
_META_TAG = re.compile(r"<meta\b", re.I)
_TAG_STOP = re.compile(r"[>{]")
_ACTION_CLOSERS = {"{": "}}", "%": "%}"}  # the character after a "{" → what closes that action


def _tag_spans(start_re: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """(start, end) of each tag ``start_re`` opens: to its ">", where a template action
    (``{{ … }}``, ``{% … %}``) is read whole, so a ">" inside one ends nothing. Linear: each
    "{{" or "{%" is closed by the next "}}" or "%}" or by none, which is remembered (was a
    regex whose alternatives overlapped: a 466-byte template of "{% raw %}" ran for minutes)."""
    out: list[tuple[int, int]] = []
    closer_after = {"}}": -2, "%}": -2}  # the last find of each closer (-2: none yet, -1: none left)
    last_gt = text.rfind(">")
    pos = 0
    while True:
        m = start_re.search(text, pos)
        if m is None:
            return out
        i = m.end()
        while True:
            stop = _TAG_STOP.search(text, i)
            if stop is None:
                return out  # no ">" after it: no tag here, nor after
            j = stop.start()
            if text[j] == ">":
                out.append((m.start(), j + 1))
                pos = j + 1
                break
            closer = _ACTION_CLOSERS.get(text[j + 1 : j + 2])
            if closer is None:
                i = j + 1
                continue
            found = closer_after[closer]
            if found == -2 or (found != -1 and found < j + 2):
                found = closer_after[closer] = text.find(closer, j + 2)
            # an action that never closes, or closes past the last ">", is read as text (as the
            # regex before read its "{" once the action left no ">" to end the tag)
            i = found + 2 if found != -1 and found + 2 <= last_gt else j + 1


_SRC_ATTR = re.compile(r"\b(?:src|srcset|href)\s*=\s*\"[^\"]*\"|\b(?:src|srcset)\s*=\s*'[^']*'", re.I)


class Usage:
    """Where a layout set uses each page field: ``rendered`` and ``social`` field paths."""

    def __init__(self) -> None:
        self.rendered: dict[str, str] = {}  # field path → the template that shows it
        self.social: dict[str, str] = {}
        self.seen: dict[str, str] = {}  # every field path referenced at all
        self.seo_tag: str | None = None  # a template that calls jekyll-seo-tag ({% seo %})
        self.hugo_opengraph: str | None = None  # a template that runs Hugo's internal opengraph/twitter cards
        # Hugo shortcodes of the site or a theme that render an <img>: name → (the parameter its src
        # comes from, the one its alt comes from, the template)
        self.image_shortcodes: dict[str, tuple[str, str, str]] = {}
        # Jekyll includes that write an <img>: name ("figure", "image.html") → (src param, alt param, template)
        self.image_includes: dict[str, tuple[str, str, str]] = {}

    def role(self, field: str) -> tuple[str, str] | None:
        """("rendered" | "social", template) for a front-matter field path like "cover.image" or "images[].src"."""
        key = field.replace("[]", "")
        for candidate in _prefixes(key):
            if candidate in self.rendered:
                return "rendered", self.rendered[candidate]
        for candidate in _prefixes(key):
            if candidate in self.social:
                return "social", self.social[candidate]
        return None


def _prefixes(key: str) -> list[str]:
    """"cover.image.file" → ["cover.image.file", "cover.image", "cover"]: a template that shows
    ``.Params.cover`` (a mapping handed to a partial) shows its image too."""
    parts = key.split(".")
    return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]


def _templates(dirs: Iterable[str]) -> list[str]:
    out: list[str] = []
    for top in dirs:
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith((".html", ".htm", ".liquid", ".xml", ".njk", ".astro")) or (
                    "." not in name and "_includes" in dirpath  # Jekyll's {% include figure %}: no extension
                ):
                    out.append(os.path.join(dirpath, name))
                    if len(out) >= MAX_TEMPLATES:
                        return out
    return out


def read_template(path: str) -> str:
    """A template's text ("" where it cannot be read); at most MAX_TEMPLATE_BYTES of it."""
    try:
        return read_regular(path, MAX_TEMPLATE_BYTES).decode("utf-8", "replace")
    except OSError:
        return ""


def _classify(text: str, refs: list[tuple[int, int, str]], where: str, usage: Usage) -> None:
    """Put each field reference (start, end, field) of one template in its bin."""
    images = _tag_spans(_IMG_TAG, text)
    metas = _tag_spans(_META_TAG, text)
    srcs = [(m.start(), m.end()) for m in _SRC_ATTR.finditer(text)]

    def inside(spans: list[tuple[int, int]], a: int) -> bool:
        # the spans are in order and apart: the one that may hold ``a`` is the last starting at
        # or before it (was a look at every span for every reference: quadratic)
        k = bisect.bisect_right(spans, (a, float("inf"))) - 1
        return k >= 0 and spans[k][0] <= a < spans[k][1]

    for start, _end, field in refs:
        usage.seen.setdefault(field, where)
        if inside(images, start) or (inside(srcs, start) and not inside(metas, start)):
            usage.rendered.setdefault(field, where)
        elif inside(metas, start):
            usage.social.setdefault(field, where)


# -- Hugo (Go templates) ------------------------------------------------------------------------

# .Params.x.y, $.Params.x, .Page.Params.x, $page.Params.x, site.Params is not a page field
_HUGO_PARAM = re.compile(r"(?<![\w.])(?:\$|\$\w+|\.Page|\$\.Page)?\.Params\.([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)")
_HUGO_INDEX = re.compile(r"index\s+(?:\$|\.|\$\w+|\.Page)?\.?Params\s+\"([\w.]+)\"")
_HUGO_PARAM_FN = re.compile(r"\.Param\s+\"([\w.]+)\"")
_HUGO_ASSIGN = re.compile(r"\{\{-?\s*(\$\w+)\s*:?=\s*([^}]*?)\s*-?\}\}")
_HUGO_WITH = re.compile(r"\{\{-?\s*(?:with|range)\s+([^}]*?)\s*-?\}\}")
_HUGO_END = re.compile(r"\{\{-?\s*end\s*-?\}\}")
_HUGO_OPENGRAPH = re.compile(r"_internal/(?:opengraph|twitter_cards)\.html|partial\s+\"opengraph|\bopengraph\b")


class _Refs:
    """A template's field references (start, end, field), each (start, field) once, in the order
    found; and the first found at each start, so that what a tag refers to (the first field
    found inside it) takes a step per character of the tag, not a look at every reference."""

    def __init__(self) -> None:
        self.refs: list[tuple[int, int, str]] = []
        self._seen: set[tuple[int, str]] = set()
        self._first: dict[int, tuple[int, str]] = {}

    def add(self, start: int, end: int, field: str) -> None:
        if (start, field) in self._seen:
            return
        self._seen.add((start, field))
        self._first.setdefault(start, (len(self.refs), field))
        self.refs.append((start, end, field))

    def first_in(self, start: int, end: int) -> str | None:
        first = self._first
        best = None
        for p in range(start, end):
            hit = first.get(p)
            if hit is not None and (best is None or hit[0] < best[0]):
                best = hit
        return best[1] if best is not None else None


# A variable that stands for this many fields already stands for no more (a template assigning
# one variable thousands of different fields is no layout; its references would be their product)
MAX_FIELDS_PER_VARIABLE = 16


def _through_variables(refs: _Refs, text: str, binders: Iterable[re.Match[str]], words: dict[str, list[int]]) -> None:
    """Each binder (``{% assign x = page.image %}``, ``{{ $x := .Params.image }}``) whose tag refers
    to a field makes every later use of its variable (``words``: the variable's positions) a
    reference to that field. Linear: the uses are found by bisection in the positions, and a
    variable bound again to a field it already stands for adds nothing new."""
    bound: dict[str, set[str]] = {}
    for m in binders:
        field = refs.first_in(m.start(), m.end())
        if field is None:
            continue
        var = m.group(1)
        fields = bound.setdefault(var, set())
        if field in fields or len(fields) >= MAX_FIELDS_PER_VARIABLE:
            continue  # (the uses after the earlier binding, a superset, are references already)
        fields.add(field)
        at = words.get(var, [])
        for p in at[bisect.bisect_left(at, m.end()) :]:
            refs.add(p, p + len(var), field)


def _positions(pattern: re.Pattern[str], text: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for m in pattern.finditer(text):
        out.setdefault(m.group(), []).append(m.start())
    return out


_HUGO_VARIABLE = re.compile(r"\$\w+")  # a use of $x: "$x" not followed by a word character
_HUGO_DOT = re.compile(r"\{\{-?\s*\.(?:RelPermalink|Permalink)?\s*(?:\|[^}]*)?-?\}\}|\{\{-?\s*\.\s*\|")


def _hugo_refs(text: str) -> list[tuple[int, int, str]]:
    refs = _Refs()
    for pat in (_HUGO_PARAM, _HUGO_INDEX, _HUGO_PARAM_FN):
        for m in pat.finditer(text):
            refs.add(m.start(), m.end(), m.group(1).lower())
    # a variable or a with/range block standing for a field: its uses count as the field's
    _through_variables(refs, text, _HUGO_ASSIGN.finditer(text), _positions(_HUGO_VARIABLE, text))
    for m in _HUGO_WITH.finditer(text):
        field = refs.first_in(m.start(), m.end())
        if field is None:
            continue
        end = _HUGO_END.search(text, m.end())
        block_end = end.start() if end else min(len(text), m.end() + 2000)
        for use in _HUGO_DOT.finditer(text[m.end() : block_end]):
            a = m.end() + use.start()
            refs.add(a, a + 1, field)
    return refs.refs


def hugo_usage(template_dirs: Iterable[str]) -> Usage:
    usage = Usage()
    tops = list(template_dirs)
    for path in _templates(tops):
        text = read_template(path)
        if not text:
            continue
        if usage.hugo_opengraph is None and _HUGO_OPENGRAPH.search(text):
            usage.hugo_opengraph = path
        _classify(text, _hugo_refs(text), path, usage)
        top = next((t for t in tops if path.startswith(os.path.join(t, ""))), None)
        name = _shortcode_name(os.path.relpath(path, top)) if top is not None else None
        if name is not None and name not in usage.image_shortcodes and "<img" in text.lower():
            got = shortcode_image(text)
            if got is not None:  # the site's own first, then each theme's
                usage.image_shortcodes[name] = (*got, path)
    return usage


# -- Hugo shortcodes that render an image ----------------------------------------------------------

# .Get "src" (a named parameter) or .Get 0 (a positional one, named here by its index)
_HUGO_GET = re.compile(r'(?<![\w])\$?\.Get\s+(?:"([A-Za-z_][\w-]*)"|([0-9]+)\b)')
_IMG_OPEN = re.compile(r"<img\b", re.I)  # in a text whose template actions are blanked
_ATTR_VALUE = re.compile(r'(?<![\w-])(src|alt)\s*=\s*"([^"]*)"', re.I)
_ACTION_ASSIGN = re.compile(r"\{\{-?\s*(\$\w+)\s*:?=(.*)\}\}\Z", re.S)
_ACTION_BLOCK = re.compile(r"\{\{-?\s*(with|range|if|define|block)\b(.*)\}\}\Z", re.S)
_ACTION_END = re.compile(r"\{\{-?\s*end\s*-?\}\}\Z")
_DOT = re.compile(r"\{\{-?\s*\.\s*(?:\||-?\}\})")  # {{ . }} or {{ . | fn }}: the with block's value
_VAR = re.compile(r"\$\w+")


def _actions(text: str, open_: str = "{{", close: str = "}}") -> list[tuple[int, int]]:
    """The spans of the template's ``{{ … }}`` actions (or others), in order (linear: each find moves on)."""
    out: list[tuple[int, int]] = []
    i = 0
    while True:
        a = text.find(open_, i)
        if a < 0:
            return out
        b = text.find(close, a + 2)
        if b < 0:
            return out
        out.append((a, b + len(close)))
        i = b + len(close)


def _shortcode_name(rel: str) -> str | None:
    """"shortcodes/img.html" (or "_shortcodes/", Hugo 0.146) under a layouts folder → "img"."""
    parts = rel.replace(os.sep, "/").split("/")
    if len(parts) < 2 or parts[0] not in ("shortcodes", "_shortcodes") or not parts[-1].endswith(".html"):
        return None
    name = "/".join(parts[1:])[: -len(".html")]
    return name.split(".")[0] if "." in name else name  # img.en.html, img.html.html: Hugo's variants


def shortcode_image(text: str) -> tuple[str, str] | None:
    """(the parameter an ``<img>`` of a shortcode template takes its src from, the one its alt
    comes from; a positional one by its index, "0"): ``.Get "src"`` or ``.Get 0`` in the
    attribute, through a variable (``{{ $src := .Get "src" }}``)
    or as ``{{ . }}`` in ``{{ with .Get "alt" }}``. None where no ``<img>`` takes both from
    parameters (a fixed alt, or none: the template itself is what is reported). Linear: the
    actions are found once, and the tags and attributes read with them blanked."""
    actions = _actions(text)
    flat, assigned = _read_actions(text, actions, _ACTION_ASSIGN, _HUGO_GET)
    # each action's innermost open with-block (its .Get parameter, or None), swept once
    open_with: list[str | None] = []
    inner: list[str | None] = []
    for a, b in actions:
        inner.append(open_with[-1] if open_with else None)
        block = _ACTION_BLOCK.match(text, a, b)
        if block:
            g = _HUGO_GET.search(block.group(2)) if block.group(1) == "with" else None
            open_with.append(g.group(g.lastindex) if g else None)
        elif _ACTION_END.match(text, a, b) and open_with:
            open_with.pop()
    starts = [a for a, _ in actions]
    for values in _img_values(flat):
        params = {attr: _param_of(text[s:e], assigned, inner, starts, s) for attr, (s, e) in values.items()}
        if params.get("src") and params.get("alt"):
            return params["src"], params["alt"]
    return None


def _param_of(value: str, assigned: dict[str, str], inner: list, starts: list[int], at: int) -> str | None:
    g = _HUGO_GET.search(value)
    if g:
        return g.group(g.lastindex)
    for var in _VAR.findall(value):
        if var in assigned:
            return assigned[var]
    if _DOT.search(value):  # {{ . }}: the value of the with block open around it
        k = bisect.bisect_left(starts, at)
        return inner[k] if k < len(inner) else None
    return None



# -- Jekyll (Liquid) ----------------------------------------------------------------------------
#
# ``page.x`` and ``post.x`` (a loop over pages) are page fields. ``include.x`` is an include's
# parameter, not a field: it stands for what the templates that call the include pass it
# (``{% include card.html image=page.thumbnail %}``, ``post=post`` for the whole page, a variable
# assigned from a field, or another include's parameter), and for nothing when they pass a
# literal (``image="/a.png"``) or no template calls the include.

_FIELD = r"[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*"
_LIQUID_PAGE = re.compile(r"(?<![\w.])(page|include|post)\.(" + _FIELD + ")")
_LIQUID_ASSIGN = re.compile(r"\{%-?\s*(?:assign|capture)\s+(\w+)\s*=?\s*([^%]*?)-?%\}")
_LIQUID_SEO = re.compile(r"\{%-?\s*seo\b")
_LIQUID_INCLUDE = re.compile(r"\{%-?\s*include(_relative)?\s+([^\s%{}]+)((?:[^%]|%(?!\}))*?)-?%\}")
_INCLUDE_ARG = re.compile(r"([\w-]+)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"']+)")
_WHOLE_PAGE = frozenset(("page", "post"))  # a variable standing for a whole page
_INCLUDE_LIMIT = 1000  # (template, parameter) steps followed for one include.x reference

def _join(prefix: str, rest: str) -> str:
    return f"{prefix}.{rest}" if prefix and rest else prefix or rest


def _include_name(path: str, relative_to: str | None = None) -> str:
    """The name a template is included by: its path under ``_includes`` ("cards/post.html"),
    or for ``include_relative`` its path from the calling template's folder."""
    path = path.replace(os.sep, "/")
    if relative_to is not None:
        return os.path.normpath(os.path.join(os.path.dirname(relative_to), path)).replace(os.sep, "/")
    marker = "/_includes/"
    i = path.rfind(marker)
    return path[i + len(marker) :] if i >= 0 else path


def _assigned(text: str) -> dict[str, str]:
    """Variables assigned straight from a page field (``{% assign hero = page.hero %}``) → the field."""
    out: dict[str, str] = {}
    for m in _LIQUID_ASSIGN.finditer(text):
        f = _LIQUID_PAGE.fullmatch(m.group(2).split("|")[0].strip())
        if f and f.group(1) != "include":
            out.setdefault(m.group(1), f.group(2).lower())
        elif m.group(2).strip() in _WHOLE_PAGE:
            out.setdefault(m.group(1), "")
    return out


def _calls(texts: dict[str, str]) -> dict[str, dict[str, dict]]:
    """include name → parameter → what the calls in these templates pass it."""
    calls: dict[str, dict[str, dict]] = {}
    for path, text in texts.items():
        assigned = _assigned(text)
        for m in _LIQUID_INCLUDE.finditer(text):
            name = _include_name(m.group(2), path if m.group(1) else None)
            for arg in _INCLUDE_ARG.finditer(m.group(3)):
                key, value = arg.group(1).lower(), arg.group(2).split("|")[0].strip()
                f = _LIQUID_PAGE.fullmatch(value)
                passed: object
                if f and f.group(1) == "include":
                    passed = ("include", path, f.group(2).lower())
                elif f:
                    passed = f.group(2).lower()
                elif value in _WHOLE_PAGE:
                    passed = ""
                elif value in assigned:
                    passed = assigned[value]
                else:
                    continue  # a literal, or something not from the page
                calls.setdefault(name, {}).setdefault(key, {})[passed] = None  # an ordered set
    return calls


def _include_fields(calls: dict[str, dict[str, dict]], path: str, param: str) -> list[str]:
    """The page field paths ``include.<param>`` stands for in the template at ``path``: what each
    call passes (a field path, "" for the whole page, or the caller's own parameter, followed
    up the chain of includes; each template and parameter once, so a cycle ends)."""
    out: list[str] = []
    seen: set[tuple[str, str]] = set()
    todo = [(path, param, "")]  # (template, its parameter, what the reference adds after it)
    while todo and len(seen) <= _INCLUDE_LIMIT:
        where, p, tail = todo.pop()
        if (where, _join(p, tail)) in seen:
            continue
        seen.add((where, _join(p, tail)))
        key, _, rest = p.partition(".")
        rest = _join(rest, tail)
        names = {_include_name(where), os.path.normpath(where).replace(os.sep, "/")}  # include, include_relative
        for name in names:
            for passed in calls.get(name, {}).get(key, ()):
                if isinstance(passed, tuple):  # passed on from the caller's own parameter
                    todo.append((passed[1], passed[2], rest))
                else:
                    out.append(_join(passed, rest))
    return [f for f in dict.fromkeys(out) if f]


_LIQUID_WORD = re.compile(r"(?<![\w.])\w+")  # a use of x: the word x, not after a dot (page.x)


def _liquid_refs(text: str, path: str = "", calls: dict[str, dict[str, dict]] | None = None) -> list[tuple[int, int, str]]:
    refs = _Refs()
    for m in _LIQUID_PAGE.finditer(text):
        if m.group(1) == "include":
            for f in _include_fields(calls or {}, path, m.group(2).lower()):
                refs.add(m.start(), m.end(), f)
        else:
            refs.add(m.start(), m.end(), m.group(2).lower())
    _through_variables(refs, text, _LIQUID_ASSIGN.finditer(text), _positions(_LIQUID_WORD, text))
    return refs.refs


def liquid_usage(template_dirs: Iterable[str]) -> Usage:
    usage = Usage()
    texts = {path: text for path in _templates(template_dirs) if (text := read_template(path))}
    calls = _calls(texts)
    for path, text in texts.items():
        if usage.seo_tag is None and _LIQUID_SEO.search(text):
            usage.seo_tag = path
        _classify(text, _liquid_refs(text, path, calls), path, usage)
        if "/_includes/" in path.replace(os.sep, "/") and "<img" in text.lower():
            name = _include_name(path)
            got = include_image(text)
            if got is not None and name not in usage.image_includes:  # the site's own before a theme's
                usage.image_includes[name] = (*got, path)
    return usage


_INCLUDE_PARAM = re.compile(r"(?<![\w.])include\.([\w-]+)")
_LIQUID_ASSIGN_ACTION = re.compile(r"\{%-?\s*assign\s+(\w+)\s*=(.*)%\}\Z", re.S)


def include_image(text: str) -> tuple[str, str] | None:
    """(the parameter an ``<img>`` of a Jekyll include takes its src from, the one its alt comes
    from): ``include.image_path`` in the attribute (``{{ include.src | relative_url }}``, inside
    ``{% if %}`` too) or through ``{% assign src = include.src %}``. None where no ``<img>``
    takes both from parameters. Linear, as ``shortcode_image``."""
    actions = _actions(text, "{{", "}}") + _actions(text, "{%", "%}")
    flat, assigned = _read_actions(text, actions, _LIQUID_ASSIGN_ACTION, _INCLUDE_PARAM)
    for values in _img_values(flat):
        params = {}
        for attr, (s, e) in values.items():
            value = text[s:e]
            g = _INCLUDE_PARAM.search(value)
            if g is not None:
                params[attr] = g.group(1)
            else:  # {{ src }}, a variable assigned from a parameter
                params[attr] = next((assigned[v] for v in re.findall(r"\{\{-?\s*(\w+)", value) if v in assigned), None)
        if params.get("src") and params.get("alt"):
            return params["src"], params["alt"]
    return None


def _read_actions(text: str, actions, assign: re.Pattern[str], param: re.Pattern[str]) -> tuple[str, dict[str, str]]:
    """(``text`` with its template actions blanked, so tags and attributes read plainly; the
    variables an ``assign`` action sets from a parameter → that parameter)."""
    blanked = list(text)
    assigned: dict[str, str] = {}
    for a, b in actions:
        blanked[a:b] = "x" * (b - a)
        m = assign.match(text, a, b)
        if m:
            g = param.search(m.group(2))
            if g:
                assigned.setdefault(m.group(1), g.group(g.lastindex))
    return "".join(blanked), assigned


def _img_values(flat: str):
    """For each ``<img>`` of ``flat`` (a template with its actions blanked): {"src"|"alt": the span
    of that attribute's value}. Linear: a tag never closed ends the search."""
    pos = 0
    while (m := _IMG_OPEN.search(flat, pos)) is not None:
        end = flat.find(">", m.end())
        if end < 0:
            return
        pos = end + 1
        values = {}
        for at in _ATTR_VALUE.finditer(flat, m.start(), end):
            values.setdefault(at.group(1).lower(), at.span(2))
        yield values
