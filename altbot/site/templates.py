"""Template srcs the generator resolves without running anything (site stage).

``{{ "svg/menu.svg" | relURL }}`` is ``/svg/menu.svg`` whatever the page: the
URL functions only prepend the base path (and, for the ``Lang`` forms, the
language's folder, which static files do not have). A site param that is a
plain string in the config (``{{ .Site.Params.logo | relURL }}``) is just as
known. Anything that depends on the page or a loop (``{{ .Params.cover }}``,
``{{ $img.RelPermalink }}``) is not, and stays open with the reason.

Hugo: ``relURL``, ``absURL``, ``relLangURL``, ``absLangURL`` (pipe or call),
``.Site.Params.x`` / ``site.Params.x`` / ``$.Site.Params.x``, ``.Site.BaseURL``.
Jekyll (Liquid): ``relative_url``, ``absolute_url``, ``site.x``, ``site.baseurl``.
"""

from __future__ import annotations

import re

from altbot.site.base import Site

_URL_FILTERS = frozenset({"relurl", "absurl", "rellangurl", "abslangurl", "relative_url", "absolute_url", "safeurl", "url", "urlize"})
_STRING = re.compile(r"""^(?:"([^"\\]*)"|'([^'\\]*)'|`([^`]*)`)$""")
_CALL = re.compile(r"^(relURL|absURL|relLangURL|absLangURL)\s+(\"[^\"]*\"|`[^`]*`)$", re.I)
_HUGO_PARAM = re.compile(r"^(?:\$?\.Site|site|\$\.Site)\.Params\.([\w.]+)$", re.I)
_LIQUID_SITE = re.compile(r"^site\.([\w.]+)$")
_BASE = re.compile(r"^(?:\$?\.Site\.BaseURL|site\.BaseURL|site\.baseurl|site\.url|\.Site\.Home\.RelPermalink)$", re.I)


def _actions(src: str):
    """(start, end, expression) of each ``{{ … }}`` action in ``src``, its ``-`` trim marks and
    spaces off, as ``\\{\\{-?\\s*(.*?)\\s*-?\\}\\}`` reads them; linear (that regex, tried at
    each "{{", ran to the end for each one without a "}}" after it: 40,000 took minutes)."""
    pos = 0
    while True:
        i = src.find("{{", pos)
        if i < 0:
            return
        j = src.find("}}", i + 2)
        if j < 0:
            return  # no "}}" after this "{{": none after the later ones either
        expr = src[i + 2 : j]
        expr = (expr[1:] if expr.startswith("-") else expr).lstrip()
        expr = (expr[:-1] if expr.endswith("-") else expr).rstrip()
        yield i, j + 2, expr
        pos = j + 2


def _value(expr: str, site: Site | None) -> str | None:
    """The string an expression of one template action evaluates to, when it is static."""
    parts = [p.strip() for p in expr.split("|")]
    head, filters = parts[0], [p.split()[0].lower() for p in parts[1:] if p]
    if any(f not in _URL_FILTERS for f in filters):
        return None
    m = _STRING.match(head)
    if m:
        return next(g for g in m.groups() if g is not None)
    m = _CALL.match(head)
    if m:
        return m.group(2)[1:-1]
    if _BASE.match(head):
        return ""
    if site is None:
        return None
    m = _HUGO_PARAM.match(head)
    if m:
        return site.params.get(m.group(1).lower()) or site.params.get(m.group(1))
    m = _LIQUID_SITE.match(head)
    if m:
        return site.params.get(f"site.{m.group(1)}")
    return None


def resolve(src: str, site: Site | None) -> str | None:
    """The site path a template src stands for ("/svg/menu.svg"), or None when it is not static."""
    out = []
    pos = 0
    for start, end, expr in _actions(src):
        out.append(src[pos:start])
        value = _value(expr, site)
        if value is None:
            return None
        out.append(value)
        pos = end
    if pos == 0:
        return None
    out.append(src[pos:])
    path = "".join(out).strip()
    if not path or any(t in path for t in ("{{", "{%", "}}")):
        return None
    if "://" in path or path.startswith("//"):
        return None  # an absURL of another host: not this site's file
    if not path.startswith("/"):
        path = "/" + path  # the URL functions make a site-root path
    return re.sub(r"/{2,}", "/", path)
