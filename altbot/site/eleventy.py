"""Eleventy: what ``.eleventy.js`` / ``eleventy.config.*`` says (site stage), read as text, never run.

Facts: the input folder (``dir.input`` or ``setInputDirectory``), language
folders under it, the I18n plugin's ``defaultLanguage``, passthrough-copied
folders (static files) and ``pathPrefix``.
"""

from __future__ import annotations

import re

from altbot.site.base import CONFIG_FILES, Answer, Site, folder_language, url_path
from altbot.site.readers import js_block, js_string, rel_parts, strip_js_comments

FILES = CONFIG_FILES["eleventy"]
_PASSTHROUGH = re.compile(r"addPassthroughCopy\(\s*(['\"`])([^'\"`]+)\1")


class Eleventy(Site):
    name = "eleventy"

    def __init__(self, root: str, src: str, notes: list[str], config_file: str | None = None) -> None:
        super().__init__(root, notes, config_file)
        src = strip_js_comments(src)
        dirs = js_block(src, "dir")
        self.input = rel_parts(js_string(dirs, "input") or "") if dirs is not None else ()
        if not self.input:
            m = re.search(r"setInputDirectory\(\s*(['\"`])([^'\"`]+)\1", src)
            self.input = rel_parts(m.group(2)) if m else ()
        dl = js_string(src, "defaultLanguage")  # EleventyI18nPlugin options
        self._default = self._tag(dl, "defaultLanguage") if dl else None
        self._list(*self.input)
        copies = ["/".join(rel_parts(m.group(2))) for m in _PASSTHROUGH.finditer(src) if "*" not in m.group(2)]
        self.static_dirs = tuple(dict.fromkeys([*(c for c in copies if c), "/".join(self.input)]))
        prefix = js_string(src, "pathPrefix")
        self.base_path = url_path(prefix)
        self.base_path_source = f"{config_file or 'eleventy config'} pathPrefix" if self.base_path else None

    def page(self, rel: tuple[str, ...]) -> Answer | None:
        n = len(self.input)
        if rel[:n] != self.input or len(rel) <= n + 1:
            return None
        tag = folder_language(rel[n], self._listed(*self.input), None)
        return (tag, "eleventy-folder") if tag else None

    def default(self) -> Answer | None:
        return (self._default, "eleventy-default") if self._default else None
