"""Eleventy: what ``.eleventy.js`` / ``eleventy.config.*`` says (site stage), read as text, never run.

Facts: the input folder (``dir.input`` or ``setInputDirectory``), language
folders under it, the I18n plugin's ``defaultLanguage``, passthrough-copied
folders (static files) and ``pathPrefix``; a page's ``lang`` in its template and
directory data files (``fr/fr.11tydata.json``), and the ``<html lang>`` of the layout it
renders in (``layout_language``).
"""

from __future__ import annotations

import json
import os
import re

from altbot.site.base import CONFIG_FILES, Answer, Site, folder_language
from altbot.site.readers import front_matter_search, html_lang_attr, js_block, js_string, rel_parts, strip_js_comments
from altbot.tags import normalize_tag, why_invalid

FILES = CONFIG_FILES["eleventy"]
_PASSTHROUGH = re.compile(r"addPassthroughCopy\(\s*(['\"`])([^'\"`]+)\1")
MAX_LAYOUT_DEPTH = 8  # layouts inside layouts, followed this far
# what Eleventy adds to a layout named without its extension, in its own order of engines
_LAYOUT_EXTENSIONS = (".njk", ".liquid", ".html", ".md", ".11ty.js", ".11ty.cjs", ".11ty.mjs", ".webc", ".hbs", ".ejs",
                      ".pug", ".mustache", ".haml")
_DATA_EXTENSIONS = (".11tydata.json", ".11tydata.js", ".11tydata.cjs", ".11tydata.mjs")
# Eleventy's own templateFormats (3.0) that are not Markdown or HTML, and the formats whose
# templates are HTML with template tags (the HTML scanner reads them: {{ }}, {% %}, <% %>)
_DEFAULT_FORMATS = ("njk", "liquid")
_HTML_FORMATS = frozenset(("njk", "liquid", "webc", "hbs", "mustache", "ejs"))
_DATA_KEYS = ("layout", "lang")  # what a data file can tell: the layout, and the language (the I18n docs' key)
_ENGINE_OVERRIDE = re.compile(r"templateEngineOverride")
_FM_LAYOUT = re.compile(r"""^layout:[ \t]*(['"]?)([^'"\n#]+?)\1[ \t]*\r?$""", re.M)
# lang="en", or lang="{{ metadata.language }}" (Nunjucks/Liquid: a data value, with a default filter)
_LANG_ATTR = re.compile(r"""\slang[ \t]*=[ \t]*(?:"([^"]*)"|'([^']*)')""", re.I)
_EXPRESSION = re.compile(
    r"""^\{\{-?[ \t]*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)[ \t]*"""
    r"""(?:\|[ \t]*(?:default|d)[ \t]*(?:\([ \t]*|:[ \t]*)(['"])([^'"]*)\2[ \t]*\)?[ \t]*)?-?\}\}$"""
)


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
        self.set_base_path(prefix, f"{config_file or 'eleventy config'} pathPrefix")

        # the folders of layouts and of global data, relative to the input folder (Eleventy's own)
        def folder(key: str, method: str, default: str) -> str:
            value = js_string(dirs, key) if dirs is not None else None
            if value is None:
                m = re.search(method + r"\(\s*(['\"`])([^'\"`]+)\1", src)
                value = m.group(2) if m else default
            return os.path.normpath(os.path.join(root, *self.input, value))

        self._includes = folder("includes", "setIncludesDirectory", "_includes")
        self._layouts = folder("layouts", "setLayoutsDirectory", os.path.relpath(self._includes, os.path.join(root, *self.input)))
        self._data = folder("data", "setDataDirectory", "_data")
        self._aliases = {m.group(2): m.group(4) for m in re.finditer(
            r"addLayoutAlias\(\s*(['\"`])([^'\"`]+)\1\s*,\s*(['\"`])([^'\"`]+)\3", src)}
        self._data_files: dict[str, dict[str, str]] = {}
        # the engine that runs over Markdown and HTML pages before them (Liquid unless set; false: none)
        def engine(key: str) -> str | None:
            if re.search(r"(?<![\w$.])" + key + r"\s*:\s*false\b", src):
                return None
            return (js_string(src, key) or "liquid").lower()

        self._md_engine = engine("markdownTemplateEngine")
        self._html_engine = engine("htmlTemplateEngine")
        # the templates it renders as pages (templateFormats, else Eleventy's own), read as HTML
        listed = js_block(src, "templateFormats", "[")
        formats = re.findall(r"['\"`]([\w.]+)['\"`]", listed) if listed is not None else []
        for m in re.finditer(r"(?:set|add)TemplateFormats\(\s*(\[[^\]]*\]|['\"`][^'\"`]*['\"`])", src):
            formats += re.findall(r"[\w.]+", m.group(1))
        chosen = {f.strip(".").lower() for f in formats} or set(_DEFAULT_FORMATS)
        self.template_pages = frozenset("." + f for f in chosen if f in _HTML_FORMATS)

    def page(self, rel: tuple[str, ...]) -> Answer | None:
        n = len(self.input)
        if rel[:n] != self.input:
            return None
        # the page's data: lang in its template or directory data files (fr/fr.11tydata.json)
        value = self._data_value(os.path.join(self.root, *rel), "lang")
        tag = normalize_tag(value) if value else None  # an invalid one is said where its file is read
        if tag:
            return tag, "eleventy-data"
        if len(rel) <= n + 1:
            return None
        tag = folder_language(rel[n], self._listed(*self.input), None)
        return (tag, "eleventy-folder") if tag else None

    def default(self) -> Answer | None:
        return (self._default, "eleventy-default") if self._default else None

    def comment_syntaxes(self, page_abspath: str, text: str) -> tuple[str, ...]:
        """The template engine Eleventy runs over the page first (``.njk``, ``.liquid``, and
        Markdown and HTML through ``markdownTemplateEngine``/``htmlTemplateEngine``, Liquid
        unless set; none under a front-matter ``templateEngineOverride``)."""
        if "templateEngineOverride" in text and front_matter_search(text, _ENGINE_OVERRIDE):
            return ()
        ext = os.path.splitext(page_abspath)[1].lower()
        engine = {".njk": "njk", ".liquid": "liquid", ".md": self._md_engine, ".markdown": self._md_engine,
                  ".html": self._html_engine}.get(ext)
        return (engine,) if engine in ("njk", "liquid") else ()

    # -- layouts --------------------------------------------------------------------------------
    def layout_language(self, page_abspath: str, text: str) -> Answer | None:
        """The ``<html lang>`` of the layout the page renders in, as Eleventy builds it: the
        ``layout`` of its front matter, else of its data files (``post.11tydata.json`` beside it,
        then ``blog/blog.11tydata.js`` and each folder's up to the input folder), found in the
        layouts folder (its extension added where it is left out; ``addLayoutAlias`` names too),
        followed through each layout's own ``layout``. A literal ``lang="fr"``, or
        ``lang="{{ metadata.language }}"`` with that key of the global data file
        ``_data/metadata.json`` (or ``.js``), or its ``| default("fr")``. Read as text, never run.
        A template (a layout itself) whose own ``<html lang>`` is such an expression takes its value."""
        own = _html_lang(text) if page_abspath.endswith(tuple(self.template_pages)) else None
        if own is not None:
            value = own.group(1) if own.group(1) is not None else own.group(2)
            if "{{" in value:  # a literal is the page's own lang attribute, read before
                return self._lang_value(value, page_abspath)
        name = _front_matter_layout(text) or self._data_value(page_abspath, "layout")
        seen: set[str] = set()
        for _ in range(MAX_LAYOUT_DEPTH):
            if not name:
                return None
            path = self._layout_file(self._aliases.get(name, name))
            if path is None:
                self.note(f"layout {name!r}: not found in {self._short(self._layouts)}; its <html lang> is unknown")
                return None
            if path in seen:
                return None  # a layout in itself: nothing to read
            seen.add(path)
            layout = self._text(path)
            if layout is None:
                return None
            m = _html_lang(layout)
            if m is not None:
                return self._lang_value(m.group(1) if m.group(1) is not None else m.group(2), path)
            name = _front_matter_layout(layout)
        return None

    def _lang_value(self, value: str, layout: str) -> Answer | None:
        value = value.strip()
        expr = _EXPRESSION.match(value)
        if expr is not None:  # {{ metadata.language }}: global data; {{ lang }} is the page's own (read before)
            parts = expr.group(1).split(".")
            value = (self._global(parts) if len(parts) > 1 else None) or expr.group(3) or ""
        elif "{{" in value or "{%" in value:
            return None  # a value only known at build time
        if not value.strip():
            return None
        tag = normalize_tag(value)
        if tag is None:
            self.note(f"{self._short(layout)} <html lang>: {why_invalid(value)}; ignored")
            return None
        return tag, "eleventy-layout"

    def _global(self, parts: list[str]) -> str | None:
        """``metadata.language``: the key ``language`` of ``_data/metadata.json`` (or its
        ``.js``/``.cjs``/``.mjs``, whose object is read as text)."""
        for ext in (".json", ".js", ".cjs", ".mjs"):
            path = os.path.join(self._data, parts[0] + ext)
            src = self._text(path) if os.path.isfile(path) else None
            if not src:
                continue
            if ext == ".json":
                try:
                    node = json.loads(src)
                except (ValueError, RecursionError):  # (nested too deeply for Python's JSON reader)
                    return None
                for key in parts[1:]:
                    node = node.get(key) if isinstance(node, dict) else None
                return node if isinstance(node, str) else None
            return js_string(strip_js_comments(src), parts[-1]) if len(parts) == 2 else None
        return None

    def _data_value(self, page_abspath: str, key: str) -> str | None:
        """``key`` (a string) of the page's template data file (``post.11tydata.json``), else of
        the nearest folder's directory data file (``blog/blog.11tydata.js``), up to the input
        folder: Eleventy's data cascade below the front matter. Each file is read once."""
        folder = os.path.dirname(page_abspath)
        stem = os.path.basename(page_abspath).split(".", 1)[0]
        top = os.path.normpath(os.path.join(self.root, *self.input))
        bases = [os.path.join(folder, stem)]
        cur = os.path.normpath(folder)
        while not os.path.relpath(cur, top).startswith(".."):
            bases.append(os.path.join(cur, os.path.basename(cur)))
            if cur == top or os.path.dirname(cur) == cur:
                break
            cur = os.path.dirname(cur)
        for base in bases:
            for ext in _DATA_EXTENSIONS:
                value = self._data_file(base + ext).get(key)
                if value:
                    return value
        return None

    def _data_file(self, path: str) -> dict[str, str]:
        """The string values of ``layout`` and ``lang`` in one data file ({} where there is none)."""
        if path in self._data_files:
            return self._data_files[path]
        out: dict[str, str] = {}
        src = self._text(path) if os.path.isfile(path) else None
        if src:
            if path.endswith(".json"):
                try:
                    data = json.loads(src)
                except (ValueError, RecursionError):
                    data = None
                    self.note(f"{self._short(path)}: not valid JSON; not read")
                if isinstance(data, dict):
                    out = {k: v.strip() for k in _DATA_KEYS if isinstance(v := data.get(k), str) and v.strip()}
            else:
                src = strip_js_comments(src)
                out = {k: v.strip() for k in _DATA_KEYS if (v := js_string(src, k)) and v.strip()}
        lang = out.get("lang")
        if lang and normalize_tag(lang) is None:
            self.note(f"{self._short(path)}: lang {lang!r}: {why_invalid(lang)}; ignored")
        self._data_files[path] = out
        return out

    def _layout_file(self, name: str) -> str | None:
        for folder in dict.fromkeys((self._layouts, self._includes)):
            path = os.path.normpath(os.path.join(folder, name))
            if os.path.relpath(path, self.root).startswith(".."):
                continue  # outside the site: not ours to read
            for candidate in (path, *(path + ext for ext in _LAYOUT_EXTENSIONS)):
                if os.path.isfile(candidate):
                    return candidate
        return None

    def _text(self, path: str) -> str | None:
        return self.read_once(path, self._short(path))

    def _short(self, path: str) -> str:
        return os.path.relpath(path, self.root).replace(os.sep, "/")


def _front_matter_layout(text: str) -> str | None:
    """A page's or layout's front-matter ``layout: layouts/post.njk``."""
    m = front_matter_search(text, _FM_LAYOUT)
    return m.group(2).strip() if m else None


def _html_lang(template: str) -> re.Match[str] | None:
    return html_lang_attr(template, _LANG_ATTR)
