"""Docusaurus: what ``docusaurus.config.*`` says (site stage), read as text, never run.

Facts: ``i18n.defaultLocale`` and ``i18n.locales`` (pages under
``i18n/<locale>/``), ``staticDirectories`` (default ``static``), ``baseUrl``; the
``@site/`` alias of a src is the site's folder; ``markdown.format`` (default ``mdx``: every
``.md`` page of the docs, blog and pages is compiled as MDX; ``detect``/``md``: CommonMark).
Convention: front-matter ``image`` is the page's social card
(``<meta property="og:image">``), with no field for its alt: not an image on the page.
"""

from __future__ import annotations

from altbot.site.base import CONFIG_FILES, SOCIAL_NO_ALT, Answer, Fact, Site, languages_map
from altbot.site.readers import js_block, js_string, js_strings, strip_js_comments
from altbot.tags import normalize_tag

FILES = CONFIG_FILES["docusaurus"]
# the folders whose Markdown Docusaurus' content plugins compile (and src/pages)
_CONTENT = frozenset(("docs", "blog", "versioned_docs", "i18n", "community"))


class Docusaurus(Site):
    name = "docusaurus"

    def __init__(self, root: str, src: str, notes: list[str], config_file: str | None = None) -> None:
        super().__init__(root, notes, config_file)
        src = strip_js_comments(src)
        i18n = js_block(src, "i18n")
        self.locales: dict[str, str] | None = None
        self._default = None
        if i18n is not None:
            self._default = self._tag(js_string(i18n, "defaultLocale"), "i18n.defaultLocale")
            loc = js_block(i18n, "locales", "[")
            if loc is not None:
                self.locales = languages_map(js_strings(loc), lambda k: self._tag(k, f"i18n.locales[{k!r}]"))
        statics = js_block(src, "staticDirectories", "[")
        self.static_dirs = tuple(js_strings(statics)) if statics is not None else ("static",)
        self.set_base_path(js_string(src, "baseUrl"), f"{config_file or 'docusaurus config'} baseUrl")
        self.image_fields["image"] = (SOCIAL_NO_ALT, "Docusaurus' convention: front-matter `image` is the og:image social card")
        markdown = js_block(src, "markdown")
        fmt = js_string(markdown, "format") if markdown is not None else None
        self.markdown_format = fmt if fmt in ("mdx", "md", "detect") else "mdx"
        self._format_source = f"{config_file or 'docusaurus config'} markdown.format" + ("" if fmt else " (default)")
        self.src_aliases["@site/"] = ""  # ![](@site/static/img/a.png): a path from the site's folder

    def page(self, rel: tuple[str, ...]) -> Answer | None:
        if len(rel) > 2 and rel[0] == "i18n":
            tag = self.locales.get(rel[1].lower()) if self.locales is not None else normalize_tag(rel[1])
            if tag:
                return tag, "docusaurus-i18n"
        return None

    def parses_markdown_as_mdx(self, rel: tuple[str, ...]) -> bool:
        return self.markdown_format == "mdx" and len(rel) > 1 and (rel[0] in _CONTENT or rel[:2] == ("src", "pages"))

    def facts(self) -> list[Fact]:
        out = super().facts()
        shown = {"mdx": "mdx (.md pages are compiled as MDX)", "md": "md (CommonMark)", "detect": "detect (.md as CommonMark, .mdx as MDX)"}
        out.append(Fact("Markdown format", shown[self.markdown_format], self._format_source))
        return out

    def default(self) -> Answer | None:
        return (self._default, "docusaurus-default") if self._default else None
