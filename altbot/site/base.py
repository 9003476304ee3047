"""What one site generator says about its site (site stage): the value every
generator module fills in, read once at the start of a run.

After construction a Site does no I/O: the folders its language rules look at
are listed up front, so the language resolver and the image loader ask it
questions and get answers from memory.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass

TYPE_CHECKING = False  # typing is for the type checker only: a check never imports it
if TYPE_CHECKING:
    from typing import Any

from altbot.srcs import split_url
from altbot.tags import AMBIGUOUS_FOLDERS, folder_tag, normalize_tag, primary, why_invalid

Answer = tuple[str, str]  # (tag, source)

# How a layout uses a front-matter image field.
# The config files that say a folder is a site of each generator (the generator's module is
# loaded only when one is there: a check of a folder that is no site loads none of them).
CONFIG_FILES: dict[str, tuple[str, ...]] = {
    "hugo": ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json"),
    "hugo-legacy": ("config.toml", "config.yaml", "config.yml", "config.json"),
    "jekyll": ("_config.yml", "_config.yaml", "_config.toml"),
    "docusaurus": tuple(f"docusaurus.config.{e}" for e in ("js", "ts", "mjs", "cjs", "mts")),
    "astro": tuple(f"astro.config.{e}" for e in ("mjs", "ts", "js", "mts", "cjs")),
    "mkdocs": ("mkdocs.yml", "mkdocs.yaml"),
    "eleventy": (".eleventy.js", ".eleventy.cjs", ".eleventy.mjs", "eleventy.config.js", "eleventy.config.cjs",
                 "eleventy.config.mjs"),
}
MAX_LAZY_BYTES = 1024 * 1024  # a layout or data file read when a page needs it (Site.read_once)
RENDERED = "rendered"  # shown on the page as an <img>: it needs alt text (an error when missing)
SOCIAL = "social"  # only a social-card / og:image; the generator can carry its alt (a warning)
SOCIAL_NO_ALT = "social-no-alt"  # only a social card, and the generator has no place for its alt: not a finding


@dataclass(frozen=True)
class Fact:
    """One thing altbot knows about the site, and where it came from (shown by --explain and scan)."""

    name: str
    value: str
    source: str


class Site:
    """One generator's conventions, rooted at ``root`` (absolute)."""

    name = "site"

    def __init__(self, root: str, notes: list[str], config_file: str | None = None) -> None:
        self.root = root
        self.config_file = config_file
        self._notes = notes  # notes from reading the config, shown with each answer
        self._listings: dict[tuple[str, ...], frozenset[str]] = {}
        # facts beyond languages (filled by each generator)
        self.static_dirs: tuple[str, ...] = ()  # relative to root, most likely first
        self.base_path: str | None = None  # the URL path the site is served under, e.g. "/docs"
        # src prefixes the generator maps to a folder (relative to root): Docusaurus' "@site/"
        self.src_aliases: dict[str, str] = {}
        self.base_path_source: str | None = None
        self.params: dict[str, str] = {}  # string params a template can name: "logo" → "images/logo.svg"
        self.image_fields: dict[str, tuple[str, str]] = {}  # front-matter field path → (role, why)
        self.template_dirs: tuple[tuple[str, ...], ...] = ()  # folders of templates, not pages (archetypes)
        self.shortcode_dirs: tuple[tuple[str, ...], ...] | None = None  # where shortcodes run; None = everywhere
        # the site's own shortcodes that render an <img>: name → (the param of its src, of its alt)
        self.image_shortcodes: dict[str, tuple[str, str]] = {}
        # the includes that render an <img> (Jekyll): name → (the param of its src, of its alt)
        self.image_includes: dict[str, tuple[str, str]] = {}
        # template files the generator renders as HTML pages, by extension (Eleventy: ".njk", ...)
        self.template_pages: frozenset[str] = frozenset()

    def comment_syntaxes(self, page_abspath: str, text: str) -> tuple[str, ...]:
        """The template comments the generator removes from this page before it renders:
        "liquid" ({% comment %}), "njk" ({# #}), "kramdown" ({::comment})."""
        return ()

    def relative_includes(self, page_abspath: str, text: str) -> dict[str, tuple[str, str]]:
        """The files a page's ``{% include_relative file %}`` tags name that render an <img>
        (Jekyll): file as written → (the param of its src, of its alt)."""
        return {}

    @property
    def notes(self) -> list[str]:
        return self._notes

    def set_base_path(self, url: Any, where: str) -> None:
        """The URL path the site is served under, from the config value ``where`` names (a base
        URL or a path); a value no URL can be read from is said, and serves the site at /."""
        self.base_path = url_path(url)
        self.base_path_source = where if self.base_path else None
        if self.base_path is None and isinstance(url, str) and "//" in url and split_url(url.strip()) is None:
            self.note(f"{where} {url.strip()!r} is not a URL (an unclosed [ or a bad port); read as /")

    def note(self, note: str) -> None:
        """Say something about the site once (a file not read, a value ignored)."""
        if note not in self._notes:
            self._notes.append(note)

    def read_once(self, path: str, label: str) -> str | None:
        """A file the site model reads when a page first needs it (a layout, a data file), once a
        run: its text (at most ``MAX_LAZY_BYTES``), or None where it cannot be read, said once
        as ``label``'s."""
        cache = self.__dict__.setdefault("_read_once", {})
        if path not in cache:
            from altbot.files import read_regular

            try:
                cache[path] = read_regular(path, MAX_LAZY_BYTES).decode("utf-8", "replace")
            except OSError as exc:
                cache[path] = None
                self.note(f"{label} not read ({exc.strerror or type(exc).__name__}): its <html lang> is unknown")
        return cache[path]

    # -- languages (answers from memory) ------------------------------------------------------
    def page(self, rel: tuple[str, ...]) -> Answer | None:  # pragma: no cover - interface
        return None

    def default(self) -> Answer | None:  # pragma: no cover - interface
        return None

    def layout_language(self, page_abspath: str, text: str) -> Answer | None:
        """The language the layout a page renders in declares (Astro's ``<html lang>``)."""
        return None

    # -- other questions ------------------------------------------------------------------------
    def is_template(self, rel: tuple[str, ...]) -> bool:
        """A file under a folder of templates (e.g. Hugo's archetypes): not a page, not images."""
        return any(rel[: len(d)] == d and len(rel) > len(d) for d in self.template_dirs)

    def role_of(self, field: str) -> tuple[str, str] | None:
        """How the layouts use a front-matter field ("cover.image", "images[].src"): (role, why), or None."""
        key = field.replace("[]", "").lower()
        parts = key.split(".")
        for i in range(len(parts), 0, -1):  # a layout that shows ``cover`` shows ``cover.image``
            hit = self.image_fields.get(".".join(parts[:i]))
            if hit is not None:
                return hit
        return None

    def omits_raw_html(self, rel: tuple[str, ...]) -> str | None:
        """Why the generator renders no raw HTML of this Markdown file (so an image written in
        HTML there is on no page), or None when it passes raw HTML through (most do)."""
        return None

    def parses_markdown_as_mdx(self, rel: tuple[str, ...]) -> bool:
        """Does the generator compile this ``.md`` file as MDX (Docusaurus' default), so that its
        ``<…>`` and ``{…}`` are JSX and its ``import``/``export`` lines ESM?"""
        return False

    def markdown_in_html(self, rel: tuple[str, ...]) -> bool:
        """Does the generator's Markdown read the content of an HTML block whose tag has a
        ``markdown`` attribute as Markdown (MkDocs' md_in_html, kramdown)?"""
        return False

    def page_image_fields(self, text: str) -> tuple[tuple[str, str], ...]:
        """Front-matter (image, alt) field paths the page itself makes its layout show (a theme's
        gallery include it calls), beyond the configured ones."""
        return ()

    def balanced_html_blocks(self, rel: tuple[str, ...]) -> str | None:
        """How the generator's Markdown reads an HTML block, where it does not as CommonMark
        (which ends it at a blank line): ``"raw"``, up to its matching end tag, blank lines and
        all, and Markdown again from the next line (Python-Markdown, kramdown); ``"markdown"``,
        its content as Markdown (kramdown's ``parse_block_html``); None, as CommonMark."""
        return None

    def shortcode_alt_fallback(self, name: str) -> str | None:
        """The parameter whose text the generator writes as the alt of shortcode ``name`` when
        its ``alt`` is empty or absent (Hugo's own ``figure``: ``caption``), or None."""
        return None

    def block_fences(self, rel: tuple[str, ...]) -> tuple[str, ...]:
        """The fences of indented Markdown blocks the generator's Markdown reads in this file
        (MkDocs' ``!!!`` admonitions, ``???`` details, ``===`` tabs), where CommonMark sees code."""
        return ()

    def runs_shortcodes(self, rel: tuple[str, ...]) -> bool:
        """Does the generator expand shortcodes in this file (Hugo: content files only)?"""
        if self.shortcode_dirs is None:
            return True
        return any(rel[: len(d)] == d for d in self.shortcode_dirs)

    def facts(self) -> list[Fact]:
        out = [Fact("generator", self.name, self.config_file or self.root)]
        if self.static_dirs:
            out.append(Fact("static dirs", ", ".join(self.static_dirs), f"{self.name} conventions and config"))
        if self.base_path:
            out.append(Fact("base path", self.base_path, self.base_path_source or self.name))
        for field, (role, why) in sorted(self.image_fields.items()):
            out.append(Fact(f"front-matter {field}", role, why))
        d = self.default()
        if d:
            out.append(Fact("default language", d[0], d[1]))
        return out

    # -- helpers used while reading ---------------------------------------------------------------
    def _tag(self, raw: Any, where: str) -> str | None:
        if not isinstance(raw, str) or not raw.strip():
            return None
        tag = normalize_tag(raw)
        if tag is None:
            self._notes.append(f"{self.name} config {where}: {why_invalid(raw)}; ignored")
        return tag

    def _text_setting(self, value: Any, where: str) -> str | None:
        """A config value that must be text: it, or None for none; anything else (a list, a
        number) is said and ignored, and the generator's default applies."""
        if value is None or isinstance(value, str):
            return value
        self.note(f"{self.name} config {where}: {type(value).__name__} {value!r:.60}, not text; ignored")
        return None

    def _list(self, *parts: str) -> frozenset[str]:
        """The sub-folders of ``root/parts``, listed once while the site is read."""
        hit = self._listings.get(parts)
        if hit is None:
            try:
                with os.scandir(os.path.join(self.root, *parts)) as it:
                    hit = frozenset(e.name for e in it if e.is_dir())
            except (OSError, ValueError):  # ValueError: a folder name from a config with a NUL in it
                hit = frozenset()
            self._listings[parts] = hit
        return hit

    def _listed(self, *parts: str) -> frozenset[str]:
        """A listing made while reading (``_list``); empty when it was not made."""
        return self._listings.get(parts, frozenset())

    def _language_folder(
        self, parent: tuple[str, ...], name: str, known: dict[str, str] | None, default: str | None
    ) -> str | None:
        """``name`` (a folder in ``parent``) as a language tag, conservatively: see ``folder_language``."""
        if known is not None:
            return known.get(name.lower())
        return folder_language(name, self._listed(*parent), default)


def folder_language(name: str, siblings: Iterable[str], default: str | None) -> str | None:
    """A folder name as a language when the layout says so, not merely because it is a valid code.

    A code that is also an everyday word (``my``, ``is``, ``it``, ``no`` ...) needs two
    other language folders beside it; any other code needs one, or a configured default
    language that it differs from (``fr/`` in an English site).
    """
    tag = folder_tag(name)
    if tag is None:
        return None
    others = [s for s in siblings if s != name and folder_tag(s) is not None]
    if name.lower() in AMBIGUOUS_FOLDERS:
        plain = [s for s in others if s.lower() not in AMBIGUOUS_FOLDERS]
        return tag if len(plain) >= 2 else None
    if others:
        return tag
    if default and primary(default) != primary(tag):
        return tag
    return None


def languages_map(keys: Iterable[Any], tag_of: Callable[[str], str | None]) -> dict[str, str]:
    out = {}
    for k in keys:
        if isinstance(k, str):
            tag = tag_of(k)
            if tag:
                out[k.lower()] = tag
    return out


def url_path(url: Any) -> str | None:
    """The path part of a base URL, without the trailing slash: "https://x.org/docs/" → "/docs"; "/" → None."""
    if not isinstance(url, str) or not url.strip():
        return None
    u = url.strip()
    if "//" in u:
        parts = split_url(u)
        if parts is None:
            return None
        path = parts.path
    else:
        path = u
    path = "/" + path.strip("/")
    return None if path == "/" else path
