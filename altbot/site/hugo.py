"""Hugo: what its config and layouts say (site stage).

Read as Hugo reads them: ``hugo.toml|yaml|json``, the legacy ``config.*``, or
a config directory ``config/_default/`` with one file per root key
(``params.toml``, ``languages.toml``) and per language (``languages.cs.toml``,
``menus.fr.toml``, ``params.de.toml``). Facts: languages and their content
dirs, static dirs (``staticDir``, themes, module mounts), the base URL's path,
string params, archetypes (templates, not pages), shortcodes only in content,
and which front-matter image fields the layouts render.
"""

from __future__ import annotations

import os
import re
from typing import Any

from altbot.site.base import CONFIG_FILES, RENDERED, SOCIAL_NO_ALT, Answer, Fact, Site
from altbot.site.readers import flatten, lower_keys, read_data, rel_parts
from altbot.tags import normalize_tag, primary, why_invalid

KEYS = frozenset(
    "baseurl languagecode defaultcontentlanguage defaultcontentlanguageinsubdir contentdir publishdir "
    "disablekinds enablerobotstxt hascjklanguage outputformats paginate pagination taxonomies".split()
)
FILES = CONFIG_FILES["hugo"]
LEGACY = CONFIG_FILES["hugo-legacy"]
CONTENT_EXT = re.compile(r"\.(?:md|markdown|mdown|mkd|mdx|html?|xhtml|adoc|asciidoc|org|pandoc|rst|ipynb)$", re.I)
_EXTS = (".toml", ".yaml", ".yml", ".json")


def read_config(root: str, names: frozenset[str], notes: list[str] | None = None) -> tuple[dict[str, Any], str] | None:
    """The merged config and the file (or folder) it came from, or None when ``root`` is no Hugo site."""
    for fname in FILES:
        if fname in names:
            data = read_data(os.path.join(root, fname), notes)
            return (data if data is not None else {}), fname
    for fname in LEGACY:
        if fname in names:
            data = read_data(os.path.join(root, fname), notes)
            if data and (
                KEYS & {k.lower() for k in data}
                or ("languages" in {k.lower() for k in data} and os.path.isdir(os.path.join(root, "content")))
            ):
                return data, fname
    cdir = os.path.join(root, "config", "_default")
    if "config" in names and os.path.isdir(cdir):
        merged = _read_config_dir(cdir, notes)
        if merged is not None:
            return merged, "config/_default/"
    return None


def _read_config_dir(cdir: str, notes: list[str] | None) -> dict[str, Any] | None:
    """Hugo's config directory: ``hugo.toml`` holds root keys; ``<key>.toml`` the key;
    ``languages.<lang>.toml`` one language; ``<key>.<lang>.toml`` that language's key."""
    try:
        files = sorted(os.listdir(cdir))
    except OSError:
        return None
    merged: dict[str, Any] = {}
    found = False
    for fname in files:
        stem, ext = os.path.splitext(fname)
        if ext.lower() not in _EXTS:
            continue
        data = read_data(os.path.join(cdir, fname), notes)
        if data is None:
            continue
        found = True
        key, _, lang = stem.partition(".")
        key_l = key.lower()
        if key_l in ("hugo", "config") and not lang:
            for k, v in data.items():
                merged.setdefault(k, v)
        elif key_l == "languages" and lang:
            merged.setdefault("languages", {}).setdefault(lang, {}).update(data)
        elif key_l == "languages":
            langs = merged.setdefault("languages", {})
            for k, v in data.items():
                if isinstance(v, dict):
                    langs.setdefault(k, {}).update(v)
        elif lang:  # menus.fr.toml, params.de.toml: that language's settings
            merged.setdefault("languages", {}).setdefault(lang, {}).setdefault(key, {}).update(data)
        else:
            merged[key] = data
    return merged if found else None


class Hugo(Site):
    name = "hugo"

    def __init__(self, root: str, data: dict[str, Any], notes: list[str], config_file: str | None = None) -> None:
        super().__init__(root, notes, config_file)
        data = lower_keys(data)
        self.content_dir = rel_parts(self._text_setting(data.get("contentdir"), "contentDir") or "content")
        langs = data.get("languages")
        self.languages: dict[str, str] | None = None
        self.lang_dirs: list[tuple[tuple[str, ...], str]] = []
        if isinstance(langs, dict) and langs:
            self.languages = {}
            for key, conf in langs.items():
                tag = self._language_tag(key, conf if isinstance(conf, dict) else {})
                if tag is None:
                    continue
                self.languages[key.lower()] = tag
                if isinstance(conf, dict) and isinstance(conf.get("contentdir"), str):
                    self.lang_dirs.append((rel_parts(conf["contentdir"]), tag))
        # module mounts: [[module.mounts]] source = "content/fr", target = "content", lang = "fr"
        module = data.get("module")
        mounts = module.get("mounts") if isinstance(module, dict) else None
        static_mounts: list[str] = []
        for m in mounts if isinstance(mounts, list) else ():
            if not isinstance(m, dict) or not isinstance(m.get("source"), str):
                continue
            target = str(m.get("target", "content")).strip("/").split("/")[0]
            if target == "content" and isinstance(m.get("lang"), str):
                key = m["lang"].lower()
                tag = (self.languages or {}).get(key) or self._tag(m["lang"], "module.mounts.lang")
                if tag:
                    self.lang_dirs.append((rel_parts(m["source"]), tag))
            elif target == "static":
                static_mounts.append("/".join(rel_parts(m["source"])))
        self.lang_dirs.sort(key=lambda p: -len(p[0]))  # the deepest match first
        self._default: str | None = None
        dcl = data.get("defaultcontentlanguage")
        if isinstance(dcl, str) and dcl.strip():
            conf = langs.get(dcl.lower()) if isinstance(langs, dict) else None
            self._default = (self.languages or {}).get(dcl.lower()) or self._language_tag(
                dcl, conf if isinstance(conf, dict) else {}
            )
        if self._default is None:
            self._default = self._tag(data.get("languagecode"), "languageCode")

        # static files: staticDir (a string or a list), static mounts, then the themes' static/
        themes = data.get("theme")
        themes = [themes] if isinstance(themes, str) else [t for t in themes or () if isinstance(t, str)] if isinstance(themes, list) else []
        static = data.get("staticdir") or "static"
        static = [static] if isinstance(static, str) else [s for s in static if isinstance(s, str)] if isinstance(static, list) else ["static"]
        dirs = ["/".join(rel_parts(s)) for s in static] + static_mounts + ["assets"]
        dirs += [f"themes/{t}/static" for t in themes] + [f"themes/{t}/assets" for t in themes]
        self.static_dirs = tuple(dict.fromkeys(d for d in dirs if d))
        self.set_base_path(data.get("baseurl"), f"{config_file or 'hugo config'} baseURL")
        params = data.get("params")
        self.params = flatten(params) if isinstance(params, dict) else {}
        self.template_dirs = (("archetypes",),) + tuple(("themes", t, "archetypes") for t in themes)
        content = {self.content_dir} | {parts for parts, _ in self.lang_dirs}
        for conf in (langs or {}).values() if isinstance(langs, dict) else ():
            if isinstance(conf, dict) and isinstance(conf.get("contentdir"), str):
                content.add(rel_parts(conf["contentdir"]))
        self.shortcode_dirs = tuple(sorted(content))
        # Goldmark, Hugo's Markdown renderer, writes "<!-- raw HTML omitted -->" for raw HTML
        # unless markup.goldmark.renderer.unsafe is true (Hugo 0.60 and later)
        markup = data.get("markup")
        markup = markup if isinstance(markup, dict) else {}
        handler = markup.get("defaultmarkdownhandler", "goldmark")
        goldmark = markup.get("goldmark")
        renderer = goldmark.get("renderer") if isinstance(goldmark, dict) else None
        unsafe = renderer.get("unsafe") if isinstance(renderer, dict) else None
        self._raw_html_omitted = str(handler).lower() == "goldmark" and unsafe is not True
        self._read_layouts(themes)

    def facts(self) -> list[Fact]:
        shown = "omitted (Goldmark's default)" if self._raw_html_omitted else "rendered"
        why = "markup.goldmark.renderer.unsafe" + (" is not true" if self._raw_html_omitted else " or another renderer")
        figure = (
            Fact("figure shortcode", "the site's own: its alt is what it is given", self.figure_template)
            if self.figure_template
            else Fact("figure shortcode", "Hugo's own: its caption is the alt where alt is empty", "no layouts/_shortcodes/figure.html")
        )
        shortcodes = [
            Fact(f"{name} shortcode", f"an image: src from {src}, alt from {alt}", self._shortcode_templates[name])
            for name, (src, alt) in sorted(self.image_shortcodes.items())
        ]
        return [*super().facts(), Fact("raw HTML in content Markdown", shown, f"{self.config_file or 'hugo config'} {why}"), figure,
                *shortcodes]

    def shortcode_alt_fallback(self, name: str) -> str | None:
        # Hugo's embedded figure: alt="{{ with .Get "alt" }}…{{ else }}{{ .Get "caption" | markdownify | plainify }}"
        return "caption" if name == "figure" and self.figure_template is None else None

    def omits_raw_html(self, rel: tuple[str, ...]) -> str | None:
        if self._raw_html_omitted and any(rel[: len(d)] == d for d in self.shortcode_dirs):  # content files
            where = self.config_file or "the Hugo config"
            return f"raw HTML omitted by Hugo: markup.goldmark.renderer.unsafe is not true in {where}"
        return None

    def _read_layouts(self, themes: list[str]) -> None:
        from altbot.site.layouts import hugo_usage

        dirs = [os.path.join(self.root, "layouts")] + [os.path.join(self.root, "themes", t, "layouts") for t in themes]
        # a figure shortcode of the site's or a theme's own replaces Hugo's (whose alt falls back
        # to the caption): its alt is then only what the shortcode is given
        self.figure_template = next(
            (
                os.path.relpath(p, self.root)
                for d in dirs
                for p in (os.path.join(d, "_shortcodes", "figure.html"), os.path.join(d, "shortcodes", "figure.html"))
                if os.path.isfile(p)
            ),
            None,
        )
        usage = hugo_usage(d for d in dirs if os.path.isdir(d))
        self.usage = usage
        self._shortcode_templates = {}
        for name, (src, alt, where) in usage.image_shortcodes.items():  # a site's own figure.html among them
            self.image_shortcodes[name] = (src, alt)
            self._shortcode_templates[name] = os.path.relpath(where, self.root)
        for field, where in usage.rendered.items():
            self.image_fields[field] = (RENDERED, f"rendered as an image by {os.path.relpath(where, self.root)}")
        # Hugo's own opengraph and twitter-card templates read `images` (a list of paths) and
        # have no alt of their own: a social card that no alt can be written for.
        if "images" not in self.image_fields:
            why = (
                f"only social cards ({os.path.relpath(usage.hugo_opengraph, self.root)})"
                if usage.hugo_opengraph
                else "Hugo's convention: `images` feeds the built-in opengraph and twitter-card templates"
            )
            self.image_fields["images"] = (SOCIAL_NO_ALT, why)
        for field, where in usage.social.items():
            self.image_fields.setdefault(field, (SOCIAL_NO_ALT, f"only social meta in {os.path.relpath(where, self.root)}"))

    def _language_tag(self, key: str, conf: dict[str, Any]) -> str | None:
        """A language key, refined by its ``languageCode``/``locale`` when that is the same language."""
        key_tag = normalize_tag(key)
        code = conf.get("languagecode") or conf.get("locale")
        code_tag = normalize_tag(code) if isinstance(code, str) else None
        if code_tag and (key_tag is None or primary(code_tag) == primary(key_tag)):
            return code_tag
        if key_tag is None:
            self._notes.append(f"hugo config: language {key!r}: {why_invalid(key)}; ignored")
        return key_tag

    def page(self, rel: tuple[str, ...]) -> Answer | None:
        # 1. filename suffix: about.fr.md, _index.pt-br.md
        m = re.match(r"^.+\.([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)\.[^.]+$", rel[-1])
        if m and CONTENT_EXT.search(rel[-1]):
            code = m.group(1)
            if self.languages is not None:
                tag = self.languages.get(code.lower())
            else:  # any valid code, but only two-letter languages (`app.min.md` is no Minangkabau)
                tag = normalize_tag(code) if re.match(r"^[a-z]{2}(?:[-_]|$)", code, re.I) else None
            if tag:
                return tag, "hugo-filename"
        # 2. per-language contentDir / module mounts
        for parts, tag in self.lang_dirs:
            if rel[: len(parts)] == parts and len(rel) > len(parts):
                return tag, "hugo-content-dir"
        # 3. content/<code>/ with the code among `languages`
        n = len(self.content_dir)
        if self.languages and rel[:n] == self.content_dir and len(rel) > n + 1:
            tag = self.languages.get(rel[n].lower())
            if tag:
                return tag, "hugo-content-dir"
        return None

    def default(self) -> Answer | None:
        return (self._default, "hugo-default") if self._default else None
