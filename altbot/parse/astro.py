"""Astro components and pages (``.astro``): their template's images (parse stage).

An ``.astro`` file is a component script between ``---`` fences at the top (TypeScript, run at
build time: no markup, its imports name the images) and a template of HTML with JSX-like
``{expressions}`` and components. The template is read by the JSX scanner (``parse.jsx``), as
MDX's JSX is: ``<img>``, ``<Image>`` and ``<Picture>`` (``astro:assets``) and the configured
components, with exact spans, in expressions too (``{items.map((i) => <img src={i.src} />)}``);
an unclosed ``<img src="a.png">`` (valid HTML in Astro) is reported from its tag, and an
attribute value may be unquoted (``<img src=/a.png loading=lazy>``), as in HTML.

Not markup: the script, HTML comments (``<!-- altbot-ignore -->`` suppresses the next image and
``<!-- altbot-ignore-file -->`` the file, as in HTML; ``{/* altbot-ignore */}`` too, as in MDX),
and the bodies of ``<script>`` and ``<style>``. ``import hero from '../assets/hero.png'`` in the
script resolves ``<Image src={hero} />`` (``resolve_imports``), as a literal
``require(…).default`` or ``useBaseUrl(…)`` src does (``resolve_calls``).

An element's literal ``aria-hidden``/``hidden`` hides the images inside it and its literal
``lang`` is theirs (``parse.jsx.apply_scopes``), as in HTML; ``<html lang="fr">`` in the template
is the page's language. Otherwise the page's language is its site's (Astro's ``i18n``) or
detection's: a layout component's ``<html lang>`` is not followed.
"""

from __future__ import annotations

import re

from altbot.model import LineIndex, Span
from altbot.parse.base import ParseOptions, ParseResult

_FENCE_LINE = re.compile(r"^---[ \t]*\r?$", re.M)  # a line of the component script's fence
_COMMENT = re.compile(r"<!--(.*?)(?:-->|\Z)", re.S)
_RAW = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|\Z)", re.S | re.I)


def script_end(text: str) -> int:
    """Where the component script's closing fence line ends (0 without a script): the first
    line ``---`` (after blank lines), then the next one."""
    first = _FENCE_LINE.search(text)
    if first is None or text[: first.start()].strip("\ufeff \t\r\n"):
        return 0
    close = _FENCE_LINE.search(text, first.end())
    if close is None:
        return 0  # never closed: Astro refuses the file; read it all as template
    nl = text.find("\n", close.end())
    return nl + 1 if nl >= 0 else len(text)


def _not_markup(text: str, start: int):
    """HTML comments and <script>/<style> elements from ``start``, in order (one inside the other
    is the outer one's), each found once: linear."""
    nxt = {rx: rx.search(text, start) for rx in (_COMMENT, _RAW)}
    pos = start
    while True:
        for rx, m in nxt.items():
            if m is not None and m.start() < pos:
                nxt[rx] = rx.search(text, pos)
        live = [m for m in nxt.values() if m is not None]
        if not live:
            return
        m = min(live, key=lambda x: x.start())
        yield m
        pos = m.end()


def parse_astro(text: str, path: str, index: LineIndex, options: ParseOptions, lang=None, lang_source=None) -> ParseResult:
    """The images of an ``.astro`` file's template; offsets are into ``text``."""
    from altbot.parse.jsx import parse_jsx

    result = ParseResult(lang=lang, lang_source=lang_source)
    start = script_end(text)
    excluded: list[Span] = [Span(0, start)] if start else []
    for m in _not_markup(text, start):
        excluded.append(Span(m.start(), m.end()))
        if m.re is _COMMENT:
            result.comment(m.group(1), m.end())
    result.excluded.extend(excluded)
    components = tuple(options.components)
    if start:
        from altbot.parse import image_components

        components += image_components(text[:start])  # import { Image as Img } from 'astro:assets'
    jsx = parse_jsx(
        text, path, index, start=start, excluded=excluded, components=components, lang=lang, lang_source=lang_source,
        html_values=True,
    )
    if start:
        from altbot.parse import resolve_calls, resolve_imports

        # the script's imports (only the script's: a line of the template is text)
        jsx.images = resolve_calls(resolve_imports(text[:start], jsx.images))
    result.extend(jsx)
    if jsx.lang is not None:  # the template's <html lang="…">: a page's own language
        result.lang, result.lang_source = jsx.lang, jsx.lang_source
    return result
