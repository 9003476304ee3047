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

import os
import re
from collections.abc import Iterable

from altbot.files import read_regular

MAX_TEMPLATE_BYTES = 1024 * 1024
MAX_TEMPLATES = 5000

_IMG_TAG = re.compile(r"<(?:img|source|image)\b(?:[^>{]|\{\{.*?\}\}|\{%.*?%\}|\{)*>", re.I | re.S)
_META_TAG = re.compile(r"<meta\b(?:[^>{]|\{\{.*?\}\}|\{%.*?%\}|\{)*>", re.I | re.S)
_SRC_ATTR = re.compile(r"\b(?:src|srcset|href)\s*=\s*\"[^\"]*\"|\b(?:src|srcset)\s*=\s*'[^']*'", re.I)


class Usage:
    """Where a layout set uses each page field: ``rendered`` and ``social`` field paths."""

    def __init__(self) -> None:
        self.rendered: dict[str, str] = {}  # field path → the template that shows it
        self.social: dict[str, str] = {}
        self.seen: dict[str, str] = {}  # every field path referenced at all
        self.seo_tag: str | None = None  # a template that calls jekyll-seo-tag ({% seo %})
        self.hugo_opengraph: str | None = None  # a template that runs Hugo's internal opengraph/twitter cards

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
                if name.endswith((".html", ".htm", ".liquid", ".xml", ".njk", ".astro")):
                    out.append(os.path.join(dirpath, name))
                    if len(out) >= MAX_TEMPLATES:
                        return out
    return out


def _read(path: str) -> str:
    try:
        return read_regular(path, MAX_TEMPLATE_BYTES).decode("utf-8", "replace")
    except OSError:
        return ""


def _classify(text: str, refs: list[tuple[int, int, str]], where: str, usage: Usage) -> None:
    """Put each field reference (start, end, field) of one template in its bin."""
    images = [(m.start(), m.end()) for m in _IMG_TAG.finditer(text)]
    metas = [(m.start(), m.end()) for m in _META_TAG.finditer(text)]
    srcs = [(m.start(), m.end()) for m in _SRC_ATTR.finditer(text)]

    def inside(spans: list[tuple[int, int]], a: int) -> bool:
        return any(s <= a < e for s, e in spans)

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


def _hugo_refs(text: str) -> list[tuple[int, int, str]]:
    refs: list[tuple[int, int, str]] = []
    for pat in (_HUGO_PARAM, _HUGO_INDEX, _HUGO_PARAM_FN):
        refs.extend((m.start(), m.end(), m.group(1).lower()) for m in pat.finditer(text))
    # a variable or a with/range block standing for a field: its uses count as the field's
    for m in _HUGO_ASSIGN.finditer(text):
        fields = [f for s, e, f in refs if m.start() <= s < m.end()]
        if not fields:
            continue
        var = m.group(1)
        for use in re.finditer(re.escape(var) + r"(?![\w])", text[m.end() :]):
            a = m.end() + use.start()
            refs.append((a, a + len(var), fields[0]))
    for m in _HUGO_WITH.finditer(text):
        fields = [f for s, e, f in refs if m.start() <= s < m.end()]
        if not fields:
            continue
        end = _HUGO_END.search(text, m.end())
        block_end = end.start() if end else min(len(text), m.end() + 2000)
        for use in re.finditer(r"\{\{-?\s*\.(?:RelPermalink|Permalink)?\s*(?:\|[^}]*)?-?\}\}|\{\{-?\s*\.\s*\|", text[m.end() : block_end]):
            a = m.end() + use.start()
            refs.append((a, a + 1, fields[0]))
    return refs


def hugo_usage(template_dirs: Iterable[str]) -> Usage:
    usage = Usage()
    for path in _templates(template_dirs):
        text = _read(path)
        if not text:
            continue
        if usage.hugo_opengraph is None and _HUGO_OPENGRAPH.search(text):
            usage.hugo_opengraph = path
        _classify(text, _hugo_refs(text), path, usage)
    return usage


# -- Jekyll (Liquid) ----------------------------------------------------------------------------

_LIQUID_PAGE = re.compile(r"(?<![\w.])(?:page|include|post)\.([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)")
_LIQUID_ASSIGN = re.compile(r"\{%-?\s*(?:assign|capture)\s+(\w+)\s*=?\s*([^%]*?)-?%\}")
_LIQUID_SEO = re.compile(r"\{%-?\s*seo\b")


def _liquid_refs(text: str) -> list[tuple[int, int, str]]:
    refs = [(m.start(), m.end(), m.group(1).lower()) for m in _LIQUID_PAGE.finditer(text)]
    for m in _LIQUID_ASSIGN.finditer(text):
        fields = [f for s, e, f in refs if m.start() <= s < m.end()]
        if not fields:
            continue
        var = m.group(1)
        for use in re.finditer(r"(?<![\w.])" + re.escape(var) + r"(?![\w])", text[m.end() :]):
            a = m.end() + use.start()
            refs.append((a, a + len(var), fields[0]))
    return refs


def liquid_usage(template_dirs: Iterable[str]) -> Usage:
    usage = Usage()
    for path in _templates(template_dirs):
        text = _read(path)
        if not text:
            continue
        if usage.seo_tag is None and _LIQUID_SEO.search(text):
            usage.seo_tag = path
        _classify(text, _liquid_refs(text), path, usage)
    return usage
