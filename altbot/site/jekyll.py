"""Jekyll: what ``_config.yml`` and the layouts say (site stage).

Facts: the default language (``lang``/``default_lang``/``locale``) and
jekyll-polyglot's ``languages``, language folders, the ``baseurl``, site
variables for ``{{ site.x | relative_url }}``, and which front-matter image
fields the layouts and includes render. With jekyll-seo-tag (``{% seo %}`` in
a layout, or in ``plugins``) a field no layout shows is a social card:
jekyll-seo-tag reads its alt from ``image: {path: …, alt: …}``. With kramdown (the default
``markdown``), an HTML block whose tag has ``markdown="1"`` holds Markdown, and any other HTML
block is raw up to its matching end tag (or Markdown inside, with ``parse_block_html``). The
includes that write an ``<img>`` from their parameters (the site's ``_includes/``, and a known gem
theme's, such as Minimal Mistakes' ``figure``) are image tags in pages (``parse.liquid``), and a
theme's gallery include a page calls shows that page's front-matter list of images.
"""

from __future__ import annotations

import os
import re
from typing import Any

from altbot.site.base import CONFIG_FILES, RENDERED, SOCIAL, Answer, Fact, Site, languages_map
from altbot.site.readers import flatten

FILES = CONFIG_FILES["jekyll"]

# Gem (or remote) themes whose includes write an <img>, which the tree does not hold: a marker
# of the theme's name in ``theme``/``remote_theme`` → include → (src parameter, alt parameter)
THEME_INCLUDES: dict[str, dict[str, tuple[str, str]]] = {
    # {% include figure image_path="/assets/a.jpg" alt="…" caption="…" %} (its _includes/figure)
    "minimal-mistakes": {"figure": ("image_path", "alt")},
}
# Gem themes' includes that show a front-matter list of images where a page calls them: include →
# (the parameter that names the list, its default name, each item's image key, its alt key)
THEME_GALLERIES: dict[str, dict[str, tuple[str, str, str, str]]] = {
    # {% include gallery %} shows page.gallery (or page.<id> with id="…"): image_path and alt
    "minimal-mistakes": {"gallery": ("id", "gallery", "image_path", "alt")},
}
_INCLUDE_CALL = re.compile(r"\{%-?\s*include\s+([\w./-]+)")
_RELATIVE_CALL = re.compile(r"\{%-?[ \t\r\n]*include_relative[ \t\r\n]+([\w./-]+)")
_ID_PARAM = re.compile(r"""(?<![\w-])([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


class Jekyll(Site):
    name = "jekyll"

    def __init__(self, root: str, data: dict[str, Any], notes: list[str], config_file: str | None = None) -> None:
        super().__init__(root, notes, config_file)
        langs = data.get("languages")
        self.languages: dict[str, str] | None = None
        if isinstance(langs, list) and langs:  # jekyll-polyglot
            self.languages = languages_map(langs, lambda k: self._tag(k, f"languages[{k!r}]"))
        self._default: Answer | None = None
        for key in ("lang", "default_lang", "locale"):
            tag = self._tag(data.get(key), key)
            if tag:
                self._default = (tag, "jekyll-default")
                break
        # the folders the language rules look at, listed now: the root, _posts and each collection
        collections = data.get("collections")
        names = list(collections) if isinstance(collections, (dict, list)) else []
        self.collections = ("_posts",) + tuple(f"_{c}" for c in names if isinstance(c, str))
        self._list()
        for c in self.collections:
            self._list(c)
        # Jekyll copies every file that is not _underscored into the site as is
        self.static_dirs = ("", "assets")
        self.set_base_path(data.get("baseurl"), f"{config_file or '_config.yml'} baseurl")
        self.params = {f"site.{k}": v for k, v in flatten(data).items()}
        plugins = data.get("plugins") or data.get("gems") or []
        self.seo_plugin = isinstance(plugins, list) and "jekyll-seo-tag" in plugins
        # kramdown, Jekyll's Markdown (the default, and GitHub Pages'), reads <div markdown="1">
        self.kramdown = str(data.get("markdown") or "kramdown").lower() == "kramdown"
        options = data.get("kramdown")
        self.parse_block_html = isinstance(options, dict) and options.get("parse_block_html") is True
        theme = " ".join(str(data.get(k) or "") for k in ("theme", "remote_theme")).lower()
        self._read_layouts()
        self.image_includes: dict[str, tuple[str, str]] = {}
        self._include_templates: dict[str, str] = {}
        self._relative_cache: dict[str, tuple[str, str] | None] = {}  # include_relative file → its (src, alt) params
        for name, (src, alt, where) in self.usage.image_includes.items():
            self.image_includes[name] = (src, alt)
            self._include_templates[name] = os.path.relpath(where, self.root)
        self.galleries = {name: g for marker, gs in THEME_GALLERIES.items() if marker in theme for name, g in gs.items()}
        for marker, includes in THEME_INCLUDES.items():  # a gem theme's includes are not in the tree
            if marker in theme:
                for name, (src, alt) in includes.items():
                    if name not in self.image_includes:  # the site's own _includes/ override the theme's
                        self.image_includes[name] = (src, alt)
                        self._include_templates[name] = f"the {marker} theme's _includes/{name}"

    def comment_syntaxes(self, page_abspath: str, text: str) -> tuple[str, ...]:
        """Jekyll runs Liquid over a file with front matter (its comments are gone), and kramdown
        over its Markdown (``{::comment}``)."""
        if not text.startswith("---"):
            return ()  # copied as it is: no Liquid, no Markdown
        markdown = page_abspath.lower().endswith((".md", ".markdown", ".mkd", ".mkdn"))
        return ("liquid", "kramdown") if markdown and self.kramdown else ("liquid",)

    def relative_includes(self, page_abspath: str, text: str) -> dict[str, tuple[str, str]]:
        """Each file a ``{% include_relative file %}`` of the page names, beside the page (Jekyll
        refuses ``..``, and so do we), whose ``<img>`` takes its src and alt from parameters (as
        ``_includes/``). Each file is read once a run."""
        from altbot.site.layouts import include_image, read_template

        out: dict[str, tuple[str, str]] = {}
        folder = os.path.dirname(os.path.abspath(page_abspath))
        for name in dict.fromkeys(m.group(1) for m in _RELATIVE_CALL.finditer(text)):
            parts = name.split("/")
            if ".." in parts or name.startswith("/"):
                continue
            path = os.path.normpath(os.path.join(folder, *parts))
            if path not in self._relative_cache:
                body = read_template(path) if os.path.isfile(path) else ""
                self._relative_cache[path] = include_image(body) if "<img" in body.lower() else None
            got = self._relative_cache[path]
            if got is not None:
                out[name] = got
        return out

    def markdown_in_html(self, rel: tuple[str, ...]) -> bool:
        return self.kramdown

    def page_image_fields(self, text: str) -> tuple[tuple[str, str], ...]:
        """The front-matter (image, alt) field paths a page shows by calling a theme's gallery
        include: ``{% include gallery %}`` → ("gallery[].image_path", "gallery[].alt")."""
        if not self.galleries or "include" not in text:
            return ()
        out = []
        close = -2  # the next "%}" found so far (-1: none after that point): each found once
        tag_end = 0
        for m in _INCLUDE_CALL.finditer(text):
            if m.start() < tag_end:
                continue  # inside the tag before it: Liquid ends a tag at its first "%}"
            g = self.galleries.get(m.group(1))
            if g is None:
                continue
            if close != -1 and close < m.end():
                close = text.find("%}", m.end())
            if close < 0:
                break  # no tag closes after here
            tag_end = close + 2
            param, default, image, alt = g
            named = {p.group(1): p.group(2) if p.group(2) is not None else p.group(3) for p in _ID_PARAM.finditer(text, m.end(), close)}
            field = (named.get(param) or default).strip()
            if field:
                out.append((f"{field}[].{image}", f"{field}[].{alt}"))
        return tuple(dict.fromkeys(out))

    def balanced_html_blocks(self, rel: tuple[str, ...]) -> str | None:
        if not self.kramdown:
            return None
        return "markdown" if self.parse_block_html else "raw"

    def facts(self) -> list[Fact]:
        return [*super().facts(), *(
            Fact(f"{name} include", f"an image: src from {src}, alt from {alt}", self._include_templates[name])
            for name, (src, alt) in sorted(self.image_includes.items())
        )]

    def _read_layouts(self) -> None:
        from altbot.site.layouts import liquid_usage

        dirs = [os.path.join(self.root, d) for d in ("_layouts", "_includes")]
        usage = liquid_usage(d for d in dirs if os.path.isdir(d))
        self.usage = usage
        for field, where in usage.rendered.items():
            self.image_fields[field] = (RENDERED, f"rendered as an image by {os.path.relpath(where, self.root)}")
        if usage.seo_tag or self.seo_plugin:
            where = os.path.relpath(usage.seo_tag, self.root) if usage.seo_tag else "plugins: jekyll-seo-tag"
            for field in ("image", "image.path"):
                self.image_fields.setdefault(field, (SOCIAL, f"only the social card of jekyll-seo-tag ({where})"))
        for field, where in usage.social.items():
            self.image_fields.setdefault(field, (SOCIAL, f"only social meta in {os.path.relpath(where, self.root)}"))

    def page(self, rel: tuple[str, ...]) -> Answer | None:
        default = self._default[0] if self._default else None
        if len(rel) > 2 and rel[0] in self.collections:
            tag = self._language_folder((rel[0],), rel[1], self.languages, default)
            if tag:
                return tag, "jekyll-posts-dir" if rel[0] == "_posts" else "jekyll-collection-dir"
        if len(rel) > 1 and not rel[0].startswith(("_", ".")):
            tag = self._language_folder((), rel[0], self.languages, default)
            if tag:
                return tag, "jekyll-lang-dir"
        return None

    def default(self) -> Answer | None:
        return self._default
