"""Jekyll include tags that show images: ``{% include figure image_path="/a.jpg" alt="A cat" %}`` (parse stage).

Jekyll runs Liquid over every page with front matter before Markdown; an ``{% include name … %}``
tag (``{%- … -%}`` too) is replaced by the named template in ``_includes/``, given the tag's
parameters as ``include.<name>``. Which includes write an ``<img>``, and from which parameters its
src and alt come, is the site's to say (``site.layouts.include_image``, and the includes of a
known gem theme): that mapping is ``includes`` here. ``{% include_relative file … %}`` is the
same tag with a file beside the page: ``relative_includes`` (``Site.relative_includes``).

The tag ends at its first ``%}``, as Liquid reads it. Parameters are read as Jekyll reads them: ``name="value"`` (``\\"`` is a quote), ``name='value'``,
or ``name=variable`` (a page variable: its value is known at build time only, so an alt given
so is present and dynamic, and a src so is a template expression). ``{% raw %}`` and
``{% comment %}`` blocks are no Liquid; code blocks and spans (``excluded``) show their text.

``alt_span`` is the value inside its quotes; ``insert_at`` is right after the src parameter (or
the include's name): a fixer inserts `` alt="…"`` (in the include's own alt parameter) there.
"""

from __future__ import annotations

import bisect
import re

from altbot.model import FileError, Image, LineIndex, ShortcodeHints, Span, Syntax
from altbot.parse.base import ParseResult

_OPEN = re.compile(r"\{%-?[ \t\r\n]*(include_relative|include)[ \t\r\n]+")
_NAME = re.compile(r"[\w./-]+")
_BLOCK = re.compile(r"\{%-?\s*(raw|comment)\s*-?%\}")
_PARAM = re.compile(
    r"""[ \t\r\n]*([\w-]+)[ \t\r\n]*=[ \t\r\n]*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([\w.-]+))"""
)
_CLOSE = re.compile(r"[ \t\r\n]*-?%\}")


def parse_includes(
    text: str,
    path: str,
    index: LineIndex,
    *,
    start: int = 0,
    excluded: list[Span] = (),
    includes: dict[str, tuple[str, str]] | None = None,
    lang=None,
    lang_source=None,
    relative_includes: dict[str, tuple[str, str]] | None = None,
) -> ParseResult:
    """The images of the include tags from ``start`` whose name ``includes`` maps to its
    (src parameter, alt parameter), and of the ``include_relative`` tags whose file
    ``relative_includes`` maps so. Never raises."""
    result = ParseResult()
    if not (includes or relative_includes) or "include" not in text:
        return result
    kinds = {"include": includes or {}, "include_relative": relative_includes or {}}
    try:
        _scan(text, path, index, start, excluded, kinds, lang, lang_source, result)
    except Exception as exc:  # never raise: report instead
        result.errors.append(
            FileError(path, f"could not scan include tags ({type(exc).__name__}); some of their images may be missed")
        )
    return result


_NJK_BLOCK = re.compile(r"\{%-?\s*(raw|verbatim)\s*-?%\}|\{#")
_KRAMDOWN_COMMENT = re.compile(r"\{::comment\s*(/)?\}")
_KRAMDOWN_END = re.compile(r"\{:/(?:comment)?\}")


def comment_spans(text: str, syntaxes: tuple[str, ...]) -> list[Span]:
    """The template comments of a page, whose content the generator never renders: Liquid's
    ``{% comment %}…{% endcomment %}`` (outside ``{% raw %}``), Nunjucks' ``{# … #}`` (outside
    ``{% raw %}``/``{% verbatim %}``), kramdown's ``{::comment}…{:/comment}`` (or ``{:/}``),
    as ``syntaxes`` ("liquid", "njk", "kramdown") says the page is read. A Liquid or Nunjucks
    comment never closed runs to the end (the generator refuses the page); a kramdown one is no
    comment. Sorted and apart (one inside another gives the outer one); each scanner linear."""
    out: list[Span] = []
    if "liquid" in syntaxes and "comment" in text:
        out.extend(s for s in _no_liquid(text, 0) if _BLOCK.match(text, s.start).group(1) == "comment")
    if "njk" in syntaxes and "{#" in text:
        pos = 0
        while (m := _NJK_BLOCK.search(text, pos)) is not None:
            if m.group(1):  # raw or verbatim: literal up to its end tag
                end = re.compile(r"\{%-?\s*end" + m.group(1) + r"\s*-?%\}").search(text, m.end())
                pos = end.end() if end else len(text)
                continue
            close = text.find("#}", m.end())
            stop = close + 2 if close >= 0 else len(text)
            out.append(Span(m.start(), stop))
            pos = stop
    if "kramdown" in syntaxes and "{::comment" in text:
        pos = 0
        while (m := _KRAMDOWN_COMMENT.search(text, pos)) is not None:
            if m.group(1):  # {::comment /}: empty
                pos = m.end()
                continue
            end = _KRAMDOWN_END.search(text, m.end())
            if end is None:
                break
            out.append(Span(m.start(), end.end()))
            pos = end.end()
    out.sort(key=lambda s: s.start)
    merged: list[Span] = []
    for s in out:  # one inside another (a kramdown comment in a Liquid one): the outer one
        if merged and s.start < merged[-1].end:
            if s.end > merged[-1].end:
                merged[-1] = Span(merged[-1].start, s.end)
            continue
        merged.append(s)
    return merged


_COMMENT_TAGS = re.compile(r"\{%-?\s*(end)?(comment|raw)\s*-?%\}")


def _no_liquid(text: str, start: int) -> list[Span]:
    """``{% raw %}…{% endraw %}`` and ``{% comment %}…{% endcomment %}`` blocks, in order, each
    found once (an unclosed one runs to the end, as Liquid refuses the page). A comment ends at
    the end tag that matches it: Liquid parses the tags in it, so a comment inside (and a raw
    block, whose content is text) is nested."""
    out: list[Span] = []
    pos = start
    while (m := _BLOCK.search(text, pos)) is not None:
        if m.group(1) == "raw":
            end = re.compile(r"\{%-?\s*endraw\s*-?%\}").search(text, m.end())
            stop = end.end() if end else len(text)
        else:
            stop, depth, q = len(text), 1, m.end()
            while (t := _COMMENT_TAGS.search(text, q)) is not None:
                q = t.end()
                if t.group(2) == "raw":
                    if t.group(1):
                        continue  # a stray endraw
                    end = re.compile(r"\{%-?\s*endraw\s*-?%\}").search(text, q)
                    if end is None:
                        break
                    q = end.end()
                    continue
                depth += -1 if t.group(1) else 1
                if depth == 0:
                    stop = q
                    break
        out.append(Span(m.start(), stop))
        if stop >= len(text):
            break
        pos = stop
    return out


def _scan(text, path, index, start, excluded, kinds, lang, lang_source, result) -> None:
    spans = sorted((s for s in [*excluded, *_no_liquid(text, start)] if s.end > s.start), key=lambda s: s.start)
    starts = [s.start for s in spans]
    ends: list[int] = []
    for s in spans:  # the furthest end of the spans up to each one: one bisect answers "inside any?"
        ends.append(max(s.end, ends[-1]) if ends else s.end)
    pos = max(0, start)
    close_at = -2  # the next "%}" found so far (-1: none after that point): each found once
    while (m := _OPEN.search(text, pos)) is not None:
        s = m.start()
        pos = m.end()
        k = bisect.bisect_right(starts, s) - 1
        if k >= 0 and ends[k] > s:
            continue
        nm = _NAME.match(text, m.end())
        includes = kinds[m.group(1)]
        if nm is None or nm.group() not in includes:
            continue
        src_key, alt_key = includes[nm.group()]
        if close_at != -1 and close_at < nm.end():
            close_at = text.find("%}", nm.end())
        tag_end = close_at  # Liquid ends a tag at its first "%}", quoted or not
        params = []
        j = nm.end()
        while tag_end >= 0 and (p := _PARAM.match(text, j, tag_end)) is not None:
            params.append(p)
            j = p.end()
        close = _CLOSE.match(text, j, tag_end + 2) if tag_end >= 0 else None
        if close is None:
            line, col = index.position(s)
            result.errors.append(
                FileError(path, f"could not read the '{{% {m.group(1)} {nm.group()}' tag: close it with '%}}' "
                          "(its image is not checked)", line, col)
            )
            continue
        pos = close.end()
        result.images.append(_image(text, path, index, s, close.end(), nm, params, src_key, alt_key, lang, lang_source))


def _value(p: re.Match) -> tuple[str, bool, int, int]:
    """(value, dynamic?, start, end) of a parameter: a string (its escapes read), or a variable."""
    if p.group(2) is not None:  # Jekyll reads \" as a quote, and every other backslash as itself
        return p.group(2).replace('\\"', '"'), False, p.start(2), p.end(2)
    if p.group(3) is not None:
        return p.group(3).replace("\\'", "'"), False, p.start(3), p.end(3)
    return "{{ " + p.group(4) + " }}", True, p.start(4), p.end(4)


def _image(text, path, index, s, e, nm, params, src_key, alt_key, lang, lang_source) -> Image:
    last = {p.group(1): p for p in params}  # the last one wins
    src = alt = None
    alt_span = None
    dynamic = False
    insert_at = nm.end()
    if src_key in last:
        src = _value(last[src_key])[0]
        insert_at = last[src_key].end()
    if alt_key in last:
        alt, dynamic, vs, ve = _value(last[alt_key])
        alt_span = None if dynamic else Span(vs, ve)
    title = _value(last["title"])[0] if "title" in last else None
    line, col = index.position(s)
    return Image(
        path=path,
        syntax=Syntax.LIQUID,
        element=nm.group(),
        element_span=Span(s, e),
        line=line,
        column=col,
        src=src,
        alt=alt,
        alt_span=alt_span,
        insert_at=insert_at,
        title=title,
        dynamic_alt=dynamic,
        lang=lang,
        lang_source=lang_source,
        attrs=tuple((p.group(1), _value(p)[0]) for p in params),
        hints=ShortcodeHints(alt_param=alt_key, src_param=src_key) if (src_key, alt_key) != ("src", "alt") else None,
    )
