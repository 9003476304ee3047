"""MkDocs: what ``mkdocs.yml`` says (site stage).

Facts: ``docs_dir`` (pages, and the static files beside them), the
mkdocs-static-i18n plugin's languages (folder or suffix structure, 0.x and 1.x
options), ``theme.language``, the path of ``site_url``, and the
``markdown_extensions`` whose blocks hold indented Markdown (``admonition``:
``!!! note``, ``pymdownx.details``: ``??? note``, ``pymdownx.tabbed``: ``=== "Tab"``),
which CommonMark would read as code, and ``md_in_html`` (``<figure markdown>``).
"""

from __future__ import annotations

import re
from typing import Any

from altbot.site.base import CONFIG_FILES, Answer, Fact, Site, languages_map
from altbot.site.readers import flatten, rel_parts

FILES = CONFIG_FILES["mkdocs"]
# Python-Markdown extensions whose blocks indent their Markdown content, and their fences
_BLOCK_EXTENSIONS = (("admonition", "!!!"), ("pymdownx.details", "???"), ("pymdownx.tabbed", "==="))


class MkDocs(Site):
    name = "mkdocs"

    def __init__(self, root: str, data: dict[str, Any], notes: list[str], config_file: str | None = None) -> None:
        super().__init__(root, notes, config_file)
        self.docs_dir = rel_parts(str(data.get("docs_dir") or "docs"))
        # MkDocs copies every non-page file of docs_dir into the site
        self.static_dirs = ("/".join(self.docs_dir),)
        self.set_base_path(data.get("site_url"), f"{config_file or 'mkdocs.yml'} site_url")
        extra = data.get("extra")
        self.params = {f"config.extra.{k}": v for k, v in flatten(extra).items()} if isinstance(extra, dict) else {}
        theme = data.get("theme")
        self._theme_lang = self._tag(theme.get("language"), "theme.language") if isinstance(theme, dict) else None
        self.languages: dict[str, str] | None = None
        self.structure: str | None = None
        self._i18n_default: str | None = None
        exts = data.get("markdown_extensions")
        names: set[str] = set()  # "- admonition", "- pymdownx.details: {…}", or a mapping of them
        for e in (exts if isinstance(exts, (list, dict)) else ()):
            names.update(map(str, e) if isinstance(e, dict) else (str(e),))
        self._fences = tuple(f for ext, f in _BLOCK_EXTENSIONS if ext in names)
        self._md_in_html = "md_in_html" in names
        plugins = data.get("plugins")
        conf = None
        if isinstance(plugins, list):
            for p in plugins:
                if isinstance(p, dict) and "i18n" in p:
                    conf = p["i18n"]
        elif isinstance(plugins, dict):
            conf = plugins.get("i18n")
        if isinstance(conf, dict):
            self.structure = conf.get("docs_structure") if isinstance(conf.get("docs_structure"), str) else None
            langs = conf.get("languages")
            self.languages = {}
            if isinstance(langs, list):  # mkdocs-static-i18n 1.x: - locale: fr, default: true
                for item in langs:
                    if isinstance(item, dict) and isinstance(item.get("locale"), str):
                        tag = self._tag(item["locale"], f"i18n locale {item['locale']!r}")
                        if tag:
                            self.languages[item["locale"].lower()] = tag
                            if item.get("default") is True:
                                self._i18n_default = tag
            elif isinstance(langs, dict):  # 0.x: languages: {fr: {name: ...}}, default_language: en
                self.languages = languages_map(langs, lambda k: self._tag(k, f"i18n language {k!r}"))
            dl = conf.get("default_language")
            if self._i18n_default is None and isinstance(dl, str):
                self._i18n_default = self._tag(dl, "i18n default_language")

    def block_fences(self, rel: tuple[str, ...]) -> tuple[str, ...]:
        n = len(self.docs_dir)
        return self._fences if rel[:n] == self.docs_dir and len(rel) > n else ()

    def markdown_in_html(self, rel: tuple[str, ...]) -> bool:
        n = len(self.docs_dir)
        return self._md_in_html and rel[:n] == self.docs_dir and len(rel) > n

    def balanced_html_blocks(self, rel: tuple[str, ...]) -> str | None:
        n = len(self.docs_dir)
        return "raw" if rel[:n] == self.docs_dir and len(rel) > n else None  # Python-Markdown

    def facts(self) -> list[Fact]:
        out = super().facts()
        if self._fences:
            out.append(Fact("indented Markdown blocks", " ".join(self._fences), "mkdocs.yml markdown_extensions"))
        if self._md_in_html:
            out.append(Fact("Markdown in HTML", "<tag markdown> blocks are Markdown", "mkdocs.yml markdown_extensions md_in_html"))
        return out

    def page(self, rel: tuple[str, ...]) -> Answer | None:
        if not self.languages:
            return None
        n = len(self.docs_dir)
        if rel[:n] != self.docs_dir or len(rel) <= n:
            return None
        if self.structure in (None, "suffix"):
            m = re.match(r"^.+\.([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)\.[^.]+$", rel[-1])
            if m and m.group(1).lower() in self.languages:
                return self.languages[m.group(1).lower()], "mkdocs-i18n-suffix"
        if self.structure in (None, "folder") and len(rel) > n + 1:
            tag = self.languages.get(rel[n].lower())
            if tag:
                return tag, "mkdocs-i18n-folder"
        return None

    def default(self) -> Answer | None:
        if self._i18n_default:
            return self._i18n_default, "mkdocs-i18n-default"
        if self._theme_lang:
            return self._theme_lang, "mkdocs-theme-language"
        return None
