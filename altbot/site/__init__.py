"""The site model (site stage): what the site generator says about the site,
read once at the start of a run, then a frozen value the middle stages ask.

- the project root: the nearest config file, else the git repository, else the
  working directory (``find_root``);
- per generator (Hugo, Jekyll, Docusaurus, Astro/Starlight, MkDocs, Eleventy;
  one module each): languages and content dirs, static dirs, the base URL's
  path, params, which front-matter fields the layouts render as images, and
  which folders hold templates rather than pages.

``read_site`` does all the reading (config files, directory listings, layouts);
``SiteModel`` answers from memory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from altbot.site.base import CONFIG_FILES, RENDERED, SOCIAL, SOCIAL_NO_ALT, Fact, Site
from altbot.site.readers import read_data, read_text, rel_parts

__all__ = ["Fact", "RENDERED", "SOCIAL", "SOCIAL_NO_ALT", "Site", "SiteModel", "find_root", "read_site", "sites_in"]

SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".altbot"})


def sites_in(d: str, names: frozenset[str]) -> list[Site]:
    """The site generators configured in directory ``d`` (usually none, sometimes one)."""
    sites: list[Site] = []
    notes: list[str] = []

    def first(kind: str) -> str | None:
        return next((f for f in CONFIG_FILES[kind] if f in names), None)

    if first("hugo") or first("hugo-legacy") or "config" in names:
        from altbot.site import hugo

        got = hugo.read_config(d, names, notes)
        if got is not None:
            sites.append(hugo.Hugo(d, got[0], notes, got[1]))
    if fname := first("jekyll"):
        from altbot.site import jekyll

        data = read_data(os.path.join(d, fname), notes)
        sites.append(jekyll.Jekyll(d, data or {}, notes, fname))
    if fname := first("docusaurus"):
        from altbot.site import docusaurus

        sites.append(docusaurus.Docusaurus(d, read_text(os.path.join(d, fname)), notes, fname))
    if fname := first("astro"):
        from altbot.site import astro

        sites.append(astro.Astro(d, read_text(os.path.join(d, fname)), notes, fname))
    if fname := first("mkdocs"):
        from altbot.site import mkdocs

        sites.append(mkdocs.MkDocs(d, read_data(os.path.join(d, fname), notes) or {}, notes, fname))
    if fname := first("eleventy"):
        from altbot.site import eleventy

        sites.append(eleventy.Eleventy(d, read_text(os.path.join(d, fname)), notes, fname))
    return sites


@dataclass(frozen=True)
class SiteModel:
    """Every generator site a run's pages belong to, keyed by the folder of its config."""

    root: str  # the project root (absolute, symlinks resolved)
    root_source: str  # why: "config file .altbot.toml", "git repository", "working directory"
    sites: Mapping[str, tuple[Site, ...]] = field(default_factory=dict)  # site folder → its sites
    dirs: Mapping[str, str | None] = field(default_factory=dict)  # page folder → site folder (or None)
    # The last page asked about: (its path, its sites, its parts relative to each site root). A
    # page's questions come one after another (a dozen of them in parse_page), and each would
    # otherwise resolve its path again; one entry, replaced whole, so threads never mix pages.
    _last: list = field(default_factory=list, init=False, compare=False, repr=False)

    def _entry(self, page_abspath: str) -> tuple:
        last = self._last[0] if self._last else None
        if last is not None and last[0] == page_abspath:
            return last
        entry = (page_abspath, self._sites_for(page_abspath), {})
        self._last[:] = [entry]
        return entry

    def sites_for(self, page_abspath: str) -> tuple[tuple[Site, ...], str] | None:
        """The sites whose config applies to the page, with their folder; None outside any site."""
        if not self.sites:  # no generator config anywhere in the run (the question is asked per page)
            return None
        return self._entry(page_abspath)[1]

    def _sites_for(self, page_abspath: str) -> tuple[tuple[Site, ...], str] | None:
        d = os.path.dirname(os.path.abspath(page_abspath))
        if d in self.dirs:
            hit = self.dirs[d]
            return (self.sites[hit], hit) if hit is not None else None
        cur = d  # a folder not read at the start (a page outside the run): the nearest known site
        while True:
            if cur in self.sites:
                return self.sites[cur], cur
            parent = os.path.dirname(cur)
            if parent == cur:
                return None
            cur = parent

    def site_for(self, page_abspath: str) -> Site | None:
        hit = self.sites_for(page_abspath)
        return hit[0][0] if hit else None

    def rel(self, page_abspath: str, site: Site) -> tuple[str, ...]:
        rels = self._entry(page_abspath)[2]
        got = rels.get(site.root)
        if got is None:
            got = rels[site.root] = _rel_parts(page_abspath, site.root)
        return got

    def renders_template(self, page_abspath: str) -> bool:
        """Does the page's generator render this template file (``.njk``) as an HTML page?"""
        site = self.site_for(page_abspath)
        return site is not None and os.path.splitext(page_abspath)[1].lower() in site.template_pages

    def is_template(self, page_abspath: str) -> bool:
        site = self.site_for(page_abspath)  # asked of every file at the start: no path work where no folder is one
        return site is not None and bool(site.template_dirs) and site.is_template(self.rel(page_abspath, site))

    def runs_shortcodes(self, page_abspath: str) -> bool:
        site = self.site_for(page_abspath)
        return site is None or site.runs_shortcodes(self.rel(page_abspath, site))

    def omits_raw_html(self, page_abspath: str) -> str | None:
        """Why the page's generator renders none of its raw HTML (a Markdown page), or None."""
        site = self.site_for(page_abspath)
        return site.omits_raw_html(self.rel(page_abspath, site)) if site is not None else None

    def parses_markdown_as_mdx(self, page_abspath: str) -> bool:
        """Is the ``.md`` page compiled as MDX (``Site.parses_markdown_as_mdx``)?"""
        site = self.site_for(page_abspath)
        return site is not None and site.parses_markdown_as_mdx(self.rel(page_abspath, site))

    def markdown_in_html(self, page_abspath: str) -> bool:
        """``Site.markdown_in_html`` for the page's site."""
        site = self.site_for(page_abspath)
        return site is not None and site.markdown_in_html(self.rel(page_abspath, site))

    def shortcode_alt_fallback(self, page_abspath: str, name: str) -> str | None:
        """``Site.shortcode_alt_fallback`` for the page's site."""
        site = self.site_for(page_abspath)
        return site.shortcode_alt_fallback(name) if site is not None else None

    def image_shortcodes(self, page_abspath: str) -> dict[str, tuple[str, str]]:
        """The page's site's own shortcodes that render an image: name → (src param, alt param)."""
        site = self.site_for(page_abspath)
        return site.image_shortcodes if site is not None else {}

    def balanced_html_blocks(self, page_abspath: str) -> str | None:
        """``Site.balanced_html_blocks`` for the page's site."""
        site = self.site_for(page_abspath)
        return site.balanced_html_blocks(self.rel(page_abspath, site)) if site is not None else None

    def page_image_fields(self, page_abspath: str, text: str) -> tuple[tuple[str, str], ...]:
        """``Site.page_image_fields`` for the page's site."""
        site = self.site_for(page_abspath)
        return site.page_image_fields(text) if site is not None else ()

    def image_includes(self, page_abspath: str) -> dict[str, tuple[str, str]]:
        """The page's site's includes that render an image: name → (src param, alt param)."""
        site = self.site_for(page_abspath)
        return site.image_includes if site is not None else {}

    def comment_syntaxes(self, page_abspath: str, text: str) -> tuple[str, ...]:
        """``Site.comment_syntaxes`` for the page's site."""
        site = self.site_for(page_abspath)
        return site.comment_syntaxes(page_abspath, text) if site is not None else ()

    def relative_includes(self, page_abspath: str, text: str) -> dict[str, tuple[str, str]]:
        """``Site.relative_includes`` for the page's site."""
        site = self.site_for(page_abspath)
        return site.relative_includes(page_abspath, text) if site is not None else {}

    def block_fences(self, page_abspath: str) -> tuple[str, ...]:
        """The fences of indented Markdown blocks in the page (``Site.block_fences``)."""
        site = self.site_for(page_abspath)
        return site.block_fences(self.rel(page_abspath, site)) if site is not None else ()

    def front_matter_roles(self, images: list, page_abspath: str) -> list:
        """Front-matter images as the layouts use them: a field only a social card shows is a
        card (``card``), or out of the page when the generator has no place for its alt."""
        from dataclasses import replace as _replace

        from altbot.model import Syntax

        site = self.site_for(page_abspath)
        if site is None or not site.image_fields or not images:
            return images
        out = []
        for im in images:
            if im.syntax is Syntax.FRONTMATTER:
                field_path = getattr(im.hints, "field", "")
                role = site.role_of(field_path)
                if role is not None and role[0] == SOCIAL:
                    im = _replace(im, card=True, card_note=role[1])
                elif role is not None and role[0] == SOCIAL_NO_ALT:
                    im = _replace(im, hidden=f"social card only ({role[1]})")
            out.append(im)
        return out

    def notes_for(self, page_abspath: str) -> list[str]:
        """What the sites of this page said while they were read or asked (a file not read,
        a value ignored), each once."""
        hit = self.sites_for(page_abspath)
        return list(dict.fromkeys(n for site in hit[0] for n in site.notes)) if hit else []

    def facts(self, page_abspath: str | None = None) -> list[Fact]:
        out = [Fact("project root", self.root, self.root_source)]
        site = self.site_for(page_abspath) if page_abspath else None
        if site is not None:
            out.extend(site.facts())
        return out


def _rel_parts(page_abspath: str, root: str) -> tuple[str, ...]:
    """The page's path relative to ``root``, as parts: at once for a plain absolute path under it
    (what the walk gives), else through ``os.path.relpath``."""
    prefix = root.rstrip(os.sep) + os.sep
    if page_abspath.startswith(prefix):
        rest = page_abspath[len(prefix) :]
        parts = rest.split(os.sep)
        if "" not in parts and "." not in parts and ".." not in parts:
            return rel_parts(rest)
    return rel_parts(os.path.relpath(os.path.abspath(page_abspath), root))


def _listing(d: str, cache: dict[str, frozenset[str]]) -> frozenset[str]:
    hit = cache.get(d)
    if hit is None:
        try:
            hit = frozenset(os.listdir(d))
        except OSError:
            hit = frozenset()
        cache[d] = hit
    return hit


def read_site(root: str, page_dirs: Iterable[str] | None = None, root_source: str = "given") -> SiteModel:
    """Read every site config that applies to the folders in ``page_dirs`` (default: every
    folder under ``root``), walking up from each to the repository's top."""
    root = os.path.realpath(root)
    if page_dirs is None:
        page_dirs = _all_dirs(root)
    names: dict[str, frozenset[str]] = {}
    sites: dict[str, tuple[Site, ...]] = {}
    dirs: dict[str, str | None] = {}
    for start in dict.fromkeys(os.path.abspath(d) for d in page_dirs):
        chain = []
        cur = start
        hit: str | None = None
        while True:
            if cur in dirs:
                hit = dirs[cur]
                break
            chain.append(cur)
            listed = _listing(cur, names)
            found = sites_in(cur, listed) if listed else []
            if found:
                sites[cur] = tuple(found)
                hit = cur
                break
            parent = os.path.dirname(cur)
            if ".git" in listed or parent == cur:
                hit = None
                break
            cur = parent
        for c in chain:
            dirs[c] = hit
    return SiteModel(root, root_source, sites, dirs)


def _all_dirs(root: str) -> list[str]:
    out = []
    for dirpath, dirnames, _files in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS)
        out.append(dirpath)
    return out


def find_root(start: str) -> tuple[str, str]:
    """The project root when no config file names it: the git repository's top, else the
    working directory (or, for paths outside the working directory, the first path's folder)."""
    # up the folders as the path names them, not as symlinks resolve: a folder symlinked
    # out of the project must not make the project the target's (and its writes go there)
    d = os.path.abspath(start)
    first = os.path.realpath(start)
    while True:
        if os.path.exists(os.path.join(d, ".git")):
            return os.path.realpath(d), "git repository"
        parent = os.path.dirname(d)
        if parent == d:
            break
        d = parent
    cwd = os.path.realpath(os.getcwd())
    if first == cwd or first.startswith(cwd.rstrip(os.sep) + os.sep):
        return cwd, "working directory"
    return first, "the first path (outside the working directory, no repository)"
