"""Stage 2: SourceFile → Images with exact spans.

Runs the parsers a file's kind needs over the one decoded text (front matter,
then Markdown/MDX or HTML, then Hugo shortcodes and JSX), merges what they find
in source order, and applies ``altbot-ignore`` suppressions.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import replace

from altbot.model import FileError, Image, Kind, LineIndex, SourceFile, Span, Syntax
from altbot.parse.base import ParseOptions, ParseResult


def parse_source(source: SourceFile, options: ParseOptions | None = None) -> ParseResult:
    """All images of one file. Never raises: a parser crash becomes a FileError."""
    options = options or ParseOptions()
    try:
        result = _parse(source, options)
    except Exception as exc:  # a bug of ours must not stop the run, nor hide the file
        return ParseResult(
            errors=[
                FileError(
                    source.path,
                    f"internal error while parsing ({type(exc).__name__}: {exc}); "
                    "please report it with this file, or exclude the file",
                )
            ]
        )
    result.images = _drop_nested(result.images)
    _apply_suppressions(result)
    return result


_CONTAINERS = frozenset({Syntax.SHORTCODE, Syntax.JSX, Syntax.LIQUID})


def _drop_nested(images: list[Image]) -> list[Image]:
    """Sort by position, and drop what another scanner found inside a shortcode's or a
    JSX element's attributes (``{{< figure alt="![x](y.png)" >}}`` holds no Markdown image).
    A JSX element in a JSX element's attribute (``<Image caption={<img …/>} />``) is the JSX
    scanner's own find: kept."""
    images.sort(key=lambda im: (im.element_span.start, -im.element_span.end))
    kept: list[Image] = []
    container_end = -1
    container_syntax = None
    for im in images:
        span = im.element_span
        if span.start < container_end and span.end <= container_end:
            if not (im.syntax is Syntax.JSX and container_syntax is Syntax.JSX):
                continue
        kept.append(im)
        if im.syntax in _CONTAINERS and span.end > container_end:
            container_end, container_syntax = span.end, im.syntax
    return kept


def _parse(source: SourceFile, options: ParseOptions) -> ParseResult:
    text, path = source.text, source.path
    index = LineIndex(text)
    if source.kind is Kind.ASTRO:  # its "---" fence is a script, not front matter
        from altbot.parse.astro import parse_astro

        return parse_astro(text, path, index, options)
    if text.startswith(("---", "+++")):  # the front-matter parser (and YAML, TOML) only for a file that may have one
        from altbot.parse.frontmatter import parse_front_matter

        # a front matter without an image field is read for its language only (and
        # not at all without a language key): see parse_front_matter
        fm, result = parse_front_matter(text, path, index, options.front_matter_fields, imageless="lang")
    else:
        fm, result = None, ParseResult()
    body = fm.body_start if fm is not None else 0
    lang, lang_source = result.lang, result.lang_source
    if lang:  # the page's own front-matter language applies to its front-matter images
        result.images = [im if im.lang else replace(im, lang=lang, lang_source=lang_source) for im in result.images]

    if source.kind is Kind.HTML:
        from altbot.parse.html import HtmlScanner

        scanner = HtmlScanner(text, path, index, lang=lang, lang_source=lang_source, context=options.context)
        scanner.feed(body, len(text))
        result.extend(scanner.finish())
    else:
        from altbot.parse.markdown import parse_markdown

        result.extend(
            parse_markdown(
                text,
                path,
                index,
                start=body,
                lang=lang,
                lang_source=lang_source,
                mdx=source.kind is Kind.MDX,
                context=options.context,
                markdown_html=options.markdown_html and source.kind is Kind.MARKDOWN,
                balanced_html=options.balanced_html if source.kind is Kind.MARKDOWN else None,
                paragraph_tags=options.paragraph_tags if source.kind is Kind.MARKDOWN else (),
            )
        )
        if source.kind is Kind.MDX:
            from altbot.parse.jsx import apply_scopes, parse_jsx

            if "<!--" in text:
                _html_comments(text, body, result)
            # a Markdown image's alt is text: JSX written in it (``![<img src="x.png" />](y.png)``)
            # is no element, as mdxjs reads it (the alt is the label's text)
            alts = [im.alt_span for im in result.images if im.syntax is Syntax.MARKDOWN and im.alt_span is not None]
            jsx = parse_jsx(
                text,
                path,
                index,
                start=body,
                excluded=list(result.excluded) + alts,
                components=tuple(options.components) + image_components(text, list(result.esm)),
                lang=lang,
                lang_source=lang_source,
                esm=list(result.esm),
            )
            jsx.images = resolve_calls(resolve_imports(text, jsx.images, result.esm))
            result.images = apply_scopes(result.images, jsx.scopes)  # JSX around Markdown images
            result.extend(jsx)
    if options.shortcodes and "{{" in text:
        from altbot.parse.shortcodes import parse_shortcodes

        result.extend(
            parse_shortcodes(
                text,
                path,
                index,
                start=body,
                excluded=list(result.excluded),
                names=options.shortcodes,
                params={n: (src, alt) for n, src, alt in options.shortcode_params},
                lang=lang,
                lang_source=lang_source,
            )
        )
    if (options.includes or options.relative_includes) and "{%" in text:
        from altbot.parse.liquid import parse_includes

        result.extend(
            parse_includes(
                text,
                path,
                index,
                start=body,
                excluded=list(result.excluded),
                includes={n: (src, alt) for n, src, alt in options.includes},
                relative_includes={n: (src, alt) for n, src, alt in options.relative_includes},
                lang=lang,
                lang_source=lang_source,
            )
        )
    result.lang, result.lang_source = lang, lang_source
    return result


@functools.cache
def _import_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """ESM in MDX, ``import hero from './hero.png'`` (also ``"../assets/hero.webp?url"``), and the
    ``{hero}`` / ``{hero.src}`` that uses it: compiled for the first MDX file that imports."""
    return (
        re.compile(
            r"""^[ \t]*import[ \t]+([A-Za-z_$][\w$]*)[ \t]+from[ \t]+(['"])"""
            r"""([^'"\n]+?\.(?:png|jpe?g|gif|webp|avif|svg|bmp|ico|tiff?))(?:\?[^'"\n]*)?\2""",
            re.M | re.I,
        ),
        re.compile(r"^\{\s*([A-Za-z_$][\w$]*)(?:\.src)?\s*\}$"),
    )


def _html_comments(text: str, start: int, result: ParseResult) -> None:
    """MDX: each closed ``<!-- … -->`` outside code is a comment, as Docusaurus reads MDX (its
    ``mdx1Compat.comments``, on by default; mdxjs alone refuses the file): no Markdown image in
    it, excluded for the JSX scanner, and ``<!-- altbot-ignore -->`` a suppression, as in HTML."""
    code = sorted((s.start, s.end) for s in result.excluded)
    starts = [a for a, _ in code]
    spans: list[Span] = []
    pos = start
    close = -1  # the next "-->" found so far: each opener looks for it once (linear)
    while (i := text.find("<!--", pos)) >= 0:
        k = bisect.bisect_right(starts, i) - 1
        if k >= 0 and code[k][1] > i:  # "<!--" in code: text; go on after the code
            pos = max(code[k][1], i + 1)
            continue
        if close < i + 4:
            close = text.find("-->", i + 4)
        if close < 0:
            break  # never closed, nor any later one: text, as before
        end = close + 3
        spans.append(Span(i, end))
        result.comment(text[i + 4 : close], end)
        pos = end
    if not spans:
        return
    firsts = [s.start for s in spans]

    def inside(at: int) -> bool:
        k = bisect.bisect_right(firsts, at) - 1
        return k >= 0 and spans[k].end > at

    result.images = [im for im in result.images if not inside(im.element_span.start)]
    result.excluded.extend(spans)


# ``{require('./img/a.png').default}`` (webpack's, Docusaurus' documented way) and
# ``{useBaseUrl('/img/a.png')}`` (Docusaurus: the base URL before a site path): a literal path
# the bundler resolves without the page, so the image is known
_CALL_SRC = re.compile(
    r"""^\{\s*(require|useBaseUrl)\(\s*(['"`])([^'"`\n$]+?\.(?:png|jpe?g|gif|webp|avif|svg|bmp|ico|tiff?))\2\s*\)"""
    r"""(\.default)?\s*\}$""",
    re.I,
)


# ThemedImage's sources={{ light: …, dark: … }}: the light one, a literal or a call as above
_LIGHT_SOURCE = re.compile(r"""^\{\{\s*light\s*:\s*((['"`])[^'"`\n$]+\2|(?:require|useBaseUrl)\([^()\n]*\)(?:\.default)?)\s*[,}]""")


def resolve_calls(images: list[Image]) -> list[Image]:
    """``<img src={require('./a.png').default} />`` is ./a.png (relative to the page, as an
    import) and ``<img src={useBaseUrl('/img/a.png')} />`` is /img/a.png (a site path, looked
    up in the static folders): ``src_resolved``, with the call as ``src_source``. A bare
    ``require(...)`` without ``.default`` is the module object under webpack 5: left open, but
    for IdealImage's ``img={require('./a.png')}``, which takes that object. ThemedImage's
    ``sources={{ light: … }}`` is its light image."""
    out = []
    for im in images:
        src = im.src
        if src and src.startswith("{{") and not im.src_resolved and any(k == "sources" for k, _ in im.attrs):
            light = _LIGHT_SOURCE.match(src)
            if light is not None:
                value = light.group(1)
                if value[0] in "'\"`":
                    im = replace(im, src_resolved=value[1:-1], src_source="sources.light")
                    out.append(im)
                    continue
                src = "{" + value + "}"
        if src and src.startswith("{") and not im.src_resolved:
            m = _CALL_SRC.match(src)
            bare_ok = not any(k == "src" for k, _ in im.attrs) and any(k == "img" for k, _ in im.attrs)
            if m and ((m.group(1) == "useBaseUrl") != bool(m.group(4)) or (bare_ok and m.group(1) == "require")):
                path = m.group(3)
                if m.group(1) == "useBaseUrl" and not path.startswith("/"):
                    path = "/" + path  # the base URL, then the path: a site path either way
                im = replace(im, src_resolved=path, src_source=f"{m.group(1)}()")
        out.append(im)
    return out


# Modules whose components render an <img> with the alt they are given: (their default export is
# one, the named exports that are)
IMAGE_MODULES: dict[str, tuple[bool, frozenset[str]]] = {
    "@theme/ThemedImage": (True, frozenset()),  # Docusaurus
    "@theme/IdealImage": (True, frozenset()),  # @docusaurus/plugin-ideal-image
    "next/image": (True, frozenset()),
    "next/legacy/image": (True, frozenset()),
    "astro:assets": (False, frozenset(("Image", "Picture"))),
    "@astrojs/image/components": (False, frozenset(("Image", "Picture"))),
    "gatsby-plugin-image": (False, frozenset(("StaticImage", "GatsbyImage"))),
}
_IMPORT_STATEMENT = re.compile(
    r"""^[ \t]*import[ \t]+(?:([A-Za-z_$][\w$]*)[ \t]*,?[ \t]*)?(?:\{([^{}]*)\}[ \t]*)?from[ \t]+(['"])([^'"\n]+)\3""", re.M
)


def image_components(text: str, esm: list[Span] | None = None) -> tuple[str, ...]:
    """The local names of the components ``text`` imports from an image module (``IMAGE_MODULES``):
    ``import ThemedImage from '@theme/ThemedImage'``, ``import { Image as Img } from 'astro:assets'``.
    With ``esm``, only import statements in those blocks count (see ``resolve_imports``)."""
    if "import" not in text or not any(m in text for m in IMAGE_MODULES):
        return ()
    names: list[str] = []
    for m in _in_esm(text, list(_IMPORT_STATEMENT.finditer(text)), esm):
        module = IMAGE_MODULES.get(m.group(4))
        if module is None:
            continue
        default, named = module
        if default and m.group(1):
            names.append(m.group(1))
        for spec in (m.group(2) or "").split(","):
            parts = spec.split()
            if parts[:1] == ["type"]:
                continue  # a type, no component
            if parts and parts[0] in named:
                names.append(parts[2] if len(parts) == 3 and parts[1] == "as" else parts[0])
            elif len(parts) == 3 and parts[0] == "default" and parts[1] == "as" and default:
                names.append(parts[2])
    return tuple(dict.fromkeys(names))


def _in_esm(text: str, found: list, esm: list[Span] | None) -> list:
    """The matches of ``found`` that are statements of the ESM blocks ``esm`` (all, without ``esm``):
    the same line in a code block, a paragraph, or a template literal or comment in ESM is text."""
    if esm is None or not found:
        return found
    starts = [b.start for b in esm]
    found = [m for m in found if (k := bisect.bisect_right(starts, m.start()) - 1) >= 0 and m.start() < esm[k].end]
    if found:
        from altbot.parse.jsx import statement_lines

        lines = set(statement_lines(text, esm))
        found = [m for m in found if text.rfind("\n", 0, m.start()) + 1 in lines or m.start() in lines]
    return found


def resolve_imports(text: str, images: list[Image], esm: list[Span] | None = None) -> list[Image]:
    """``<Image src={hero} />`` / ``<img src={hero.src} />`` where the file imports ``hero`` from an
    image file: the image is that file, as the bundler resolves it (``src_resolved``). With
    ``esm`` (the file's ESM blocks), only an import statement in one of them counts: the same
    line in a code block, a paragraph, or a template literal or comment in ESM is text, not an
    import."""
    if "import" not in text or not images:
        return images
    import_re, src_re = _import_patterns()
    imports = {m.group(1): m.group(3) for m in _in_esm(text, list(import_re.finditer(text)), esm)}
    if not imports:
        return images
    out = []
    for im in images:
        m = src_re.match(im.src or "")
        if m and m.group(1) in imports:
            im = replace(im, src_resolved=imports[m.group(1)], src_source=f"import {m.group(1)}")
        out.append(im)
    return out


def _apply_suppressions(result: ParseResult) -> None:
    images = result.images
    if result.ignore_file:
        result.images = [replace(im, ignored=True) for im in images]
        return
    if not result.ignore_marks:
        return
    starts = [im.element_span.start for im in images]
    for mark in sorted(set(result.ignore_marks)):
        i = bisect.bisect_left(starts, mark)
        if i < len(images):
            images[i] = replace(images[i], ignored=True)
