"""Astro and Starlight: what ``astro.config.*`` says (site stage), read as text, never run.

Facts: Starlight ``locales`` (``root`` is the top of ``src/content/docs/``) or
Astro i18n ``locales``, ``defaultLocale``, ``public/`` for static files, the
``base`` path. Convention: Starlight's ``hero.image.file`` is rendered as an
image, with its alt in ``hero.image.alt``.
"""

from __future__ import annotations

from altbot.site.base import CONFIG_FILES, RENDERED, Answer, Site, languages_map, url_path
from altbot.site.readers import js_block, js_object_keys, js_string, js_strings, strip_js_comments
from altbot.tags import folder_tag, normalize_tag

FILES = CONFIG_FILES["astro"]


class Astro(Site):
    name = "astro"

    def __init__(self, root: str, src: str, notes: list[str], config_file: str | None = None) -> None:
        super().__init__(root, notes, config_file)
        src = strip_js_comments(src)
        self.locales: dict[str, str] | None = None  # folder name (lower) → tag
        self._default: str | None = None
        default_key = js_string(src, "defaultLocale")
        body = js_block(src, "locales")
        if body is not None:  # Starlight: locales: { root: { label, lang }, fr: { label }, 'pt-br': {...} }
            self.locales = {}
            for key, conf in js_object_keys(body).items():
                tag = normalize_tag(js_string(conf, "lang") or "") or normalize_tag(key)
                if key == "root":  # the locale at the top of src/content/docs/
                    self._default = normalize_tag(js_string(conf, "lang") or "")
                    continue
                if tag:
                    self.locales[key.lower()] = tag
        else:
            arr = js_block(src, "locales", "[")  # Astro i18n: locales: ["en", "fr", { path: "es", codes: [...] }]
            if arr is not None:
                self.locales = languages_map(js_strings(arr), lambda k: normalize_tag(k))
        if self._default is None and default_key and default_key != "root":
            self._default = (self.locales or {}).get(default_key.lower()) or self._tag(default_key, "defaultLocale")
        public = js_string(src, "publicDir")
        self.static_dirs = (public.strip("./") if public else "public",)
        self.base_path = url_path(js_string(src, "base"))
        self.base_path_source = f"{config_file or 'astro config'} base" if self.base_path else None
        if "starlight" in src:
            self.image_fields["hero.image.file"] = (RENDERED, "Starlight's convention: the splash page's hero image")

    def page(self, rel: tuple[str, ...]) -> Answer | None:
        for prefix in (("src", "content", "docs"), ("src", "pages")):
            n = len(prefix)
            if rel[:n] == prefix and len(rel) > n + 1:
                name = rel[n]
                if self.locales is not None:
                    tag = self.locales.get(name.lower())
                elif prefix[-1] == "docs":
                    tag = folder_tag(name)
                else:
                    tag = None  # src/pages/<x>/ is only a locale when the config lists it
                if tag:
                    return tag, "astro-locale-dir"
        return None

    def default(self) -> Answer | None:
        return (self._default, "astro-default") if self._default else None
