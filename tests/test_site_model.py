"""The site model (issue 11): altbot reads a site the way its generator does.

Each fixture tree is written here, shaped like a real site (a repository with no
config, a Hugo site with a config directory of per-language files like
letsencrypt/website, a Jekyll site with jekyll-seo-tag social cards like
opensource.guide, Hugo's own docs with archetypes and raw strings, base URLs of
every generator, MDX image imports); none is copied from those projects.
"""

from __future__ import annotations

import json

import pytest

import altbot
from altbot.cli import main
from tests.conftest import described_photo, photo


def tree(root, files: dict[str, str | bytes | None]) -> None:
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            photo(p, seed=len(rel))
        elif isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content)


def run_json(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, json.loads(out.out), out.err


def findings(capsys, *argv):
    code, doc, _ = run_json(capsys, "check", "--format", "json", *argv)
    return code, [(f["path"], f["line"], f["rule"], f["severity"]) for f in doc["findings"]], doc


# -- 1. the root: config, else git, else the working directory ----------------------------------------


@pytest.fixture
def bare_repo(tmp_path, monkeypatch):
    """A repository with no altbot config: docs/ refers to images at the repository's top."""
    repo = tmp_path / "repo"
    tree(repo, {
        ".git/HEAD": "ref: refs/heads/main\n",
        "img/revenue-chart.png": None,
        "img/river.png": None,
        "img/divider.png": None,
        "docs/index.md": "# Report\n\n![](../img/revenue-chart.png)\n\n![](/img/river.png)\n\n![](/img/divider.png)\n",
    })
    described_photo(repo / "img/revenue-chart.png", "Revenue by quarter, rising from 2 to 5 million", 1)
    described_photo(repo / "img/river.png", "A river winding through a pine forest", 2)
    monkeypatch.chdir(repo)
    return repo


def test_no_config_means_the_repository_root_and_a_page_alone_honours_the_root_ledger(bare_repo, capsys):
    from altbot.images import content_key
    from altbot.ledger import Ledger

    ledger = Ledger.load(str(bare_repo / ".altbot/decisions.json"))
    ledger.record("docs/index.md", "/img/divider.png", content_key((bare_repo / "img/divider.png").read_bytes()), "decorative")
    ledger.save()
    whole = findings(capsys, ".")[1]
    alone = findings(capsys, "docs/index.md")[1]
    assert alone == whole
    assert [f for f in alone if f[1] == 7] == []  # the decorative decision in the root ledger counts
    assert altbot.check("docs/index.md").config.root == bare_repo.resolve()


def test_fix_on_one_page_finds_images_relative_to_the_root(bare_repo, capsysbinary):
    code = main(["fix", "--captioner", "metadata", "--no-cache", "docs/index.md"])
    out = capsysbinary.readouterr().out.decode()
    assert "+![Revenue by quarter, rising from 2 to 5 million](../img/revenue-chart.png)" in out
    assert "+![A river winding through a pine forest](/img/river.png)" in out
    assert code == 1


def test_the_same_run_from_a_subdirectory(bare_repo, capsys, monkeypatch):
    expected = altbot.plan_fix(".", captioner="metadata", no_cache=True).diff()
    monkeypatch.chdir(bare_repo / "docs")
    plan = altbot.plan_fix("index.md", captioner="metadata", no_cache=True)
    assert plan.config.root == bare_repo.resolve() and plan.config.root_source == "git repository"
    # the same edits; only the path shown differs (it is relative to where you stand)
    assert plan.diff().replace("a/index.md", "a/docs/index.md").replace("b/index.md", "b/docs/index.md") == expected


def test_without_a_repository_the_working_directory_is_the_root(tmp_path, monkeypatch):
    tree(tmp_path, {"site/page.md": "![](/a.png)\n", "a.png": None})
    monkeypatch.chdir(tmp_path)
    result = altbot.check("site/page.md")
    assert result.config.root == tmp_path.resolve() and result.config.root_source == "working directory"


def test_a_config_file_is_the_root(tmp_path, monkeypatch):
    tree(tmp_path, {".git/HEAD": "", "site/.altbot.toml": "", "site/page.md": "![](/a.png)\n"})
    monkeypatch.chdir(tmp_path)
    cfg = altbot.check("site/page.md").config
    assert cfg.root == (tmp_path / "site").resolve() and cfg.root_source.startswith("config file")


# -- 2. Hugo config directories: one file per language ----------------------------------------------

LANGS = {"cs": "Čeština", "de": "Deutsch", "fr": "Français", "pt-br": "Português", "zh-hans": "简体中文"}


@pytest.fixture
def hugo_config_dir(tmp_path, monkeypatch):
    files = {
        ".git/HEAD": "",
        "config/_default/hugo.toml": 'baseURL = "https://letsencrypt.example/"\ndefaultContentLanguage = "en"\n',
        "config/_default/params.toml": 'logo = "images/le-logo.svg"\n',
        "config/_default/languages.en.toml": 'contentDir = "content/en"\nweight = 1\nlanguageName = "English"\n',
        "content/en/about.md": "---\ntitle: About\n---\n![](/images/team.png)\n",
        "static/images/team.png": None,
    }
    for i, (code, name) in enumerate(LANGS.items(), 2):
        files[f"config/_default/languages.{code}.toml"] = f'contentDir = "content/{code}"\nweight = {i}\nlanguageName = "{name}"\n'
        files[f"content/{code}/about.md"] = "---\ntitle: x\n---\n![](/images/team.png)\n"
    tree(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_hugo_languages_in_config_dir_files(hugo_config_dir, capsys):
    code, doc, _ = run_json(capsys, "scan", "--format", "json", ".")
    langs = {im["path"]: (im["lang"], im["lang_source"]) for im in doc["images"]}
    assert langs["content/en/about.md"] == ("en", "hugo-content-dir")
    assert langs["content/cs/about.md"] == ("cs", "hugo-content-dir")
    assert langs["content/pt-br/about.md"] == ("pt-BR", "hugo-content-dir")
    assert langs["content/zh-hans/about.md"] == ("zh-Hans", "hugo-content-dir")
    facts = {(f["name"], f["value"]) for f in doc["site"]}
    assert ("generator", "hugo") in facts and ("default language", "en") in facts


def test_hugo_site_params_feed_template_srcs(hugo_config_dir):
    model = altbot.check(".").config
    from altbot.config import with_site

    cfg = with_site(model, [str(hugo_config_dir / "content/en")])
    assert cfg.site.site_for(str(hugo_config_dir / "content/en/about.md")).params["logo"] == "images/le-logo.svg"


# -- 3. social cards (opensource.guide-like Jekyll) ------------------------------------------------


def jekyll_guide(root, layout_shows_image: bool):
    card = '<img class="hero" src="{{ page.image | relative_url }}" alt="">' if layout_shows_image else ""
    tree(root, {
        ".git/HEAD": "",
        "_config.yml": "title: Guides\nlang: en\nbaseurl: \"\"\nplugins:\n  - jekyll-seo-tag\ncollections:\n  articles:\n    output: true\n",
        "_layouts/default.html": "<html><head>{% seo %}</head><body>{{ content }}</body></html>\n",
        "_layouts/article.html": "---\nlayout: default\n---\n<article>" + card + "{{ content }}</article>\n",
        "_includes/card.html": '<a href="{{ include.url }}"><img src="{{ page.thumbnail | relative_url }}" alt="{{ page.thumbnail_alt }}" class="thumb"></a>\n',
        "_articles/de/how-to-contribute.md": "---\nlayout: article\ntitle: Mitwirken\nimage: /assets/images/cards/contribute.png\n---\nText.\n",
        "_articles/fr/how-to-contribute.md": "---\nlayout: article\ntitle: Contribuer\nimage: /assets/images/cards/contribute.png\n---\nTexte.\n",
        "_articles/en/finding-users.md": "---\nlayout: article\ntitle: Finding users\nimage: /assets/images/cards/users.png\nthumbnail: /assets/images/thumbs/users.png\n---\nText.\n",
        "assets/images/cards/contribute.png": None,
        "assets/images/cards/users.png": None,
        "assets/images/thumbs/users.png": None,
    })


@pytest.mark.parametrize("layout_shows_image", [False, True], ids=["seo-card-only", "a-layout-renders-it"])
def test_front_matter_images_are_what_the_layouts_make_of_them(tmp_path, monkeypatch, capsys, layout_shows_image):
    jekyll_guide(tmp_path, layout_shows_image)
    monkeypatch.chdir(tmp_path)
    code, found, doc = findings(capsys, ".")
    by_rule = {}
    for path, _line, rule, severity in found:
        by_rule.setdefault((rule, severity), []).append(path)
    # the include shows `thumbnail` as an <img>: still an error, wherever the theme lives
    assert by_rule[("missing-alt", "error")] == (["_articles/de/how-to-contribute.md", "_articles/en/finding-users.md", "_articles/en/finding-users.md", "_articles/fr/how-to-contribute.md"] if layout_shows_image else ["_articles/en/finding-users.md"])
    if layout_shows_image:
        assert ("social-image-alt", "warning") not in by_rule
        assert code == 1
    else:
        # jekyll-seo-tag makes `image` the social card: a warning, and its alt goes in image.alt
        assert sorted(by_rule[("social-image-alt", "warning")]) == [
            "_articles/de/how-to-contribute.md", "_articles/en/finding-users.md", "_articles/fr/how-to-contribute.md"]
        assert all("jekyll-seo-tag" in f["message"] for f in doc["findings"] if f["rule"] == "social-image-alt")
        assert code == 1  # the thumbnail error


def test_configured_front_matter_fields_override_the_layouts(tmp_path, monkeypatch, capsys):
    jekyll_guide(tmp_path, False)
    (tmp_path / ".altbot.toml").write_text('front-matter-fields = { "image" = "image_alt" }\n')
    monkeypatch.chdir(tmp_path)
    _, found, _ = findings(capsys, ".")
    assert sorted({(rule, sev) for _p, _l, rule, sev in found}) == [("missing-alt", "error")]
    assert len(found) == 3  # every `image`, as the config says; `thumbnail` is no longer listed


def test_docusaurus_config_strings_with_escaped_quotes(tmp_path, monkeypatch, capsys):
    tree(tmp_path, {
        ".git/HEAD": "",
        "docusaurus.config.js": "module.exports = {\n  tagline: 'it\\'s {odd',\n  i18n: { defaultLocale: 'fr', label: 'l\\'été }', locales: ['fr', 'de'] },\n};\n",
        "i18n/de/docusaurus-plugin-content-docs/current/a.md": "![](x.png)\n",
        "docs/a.md": "![](x.png)\n",
    })
    monkeypatch.chdir(tmp_path)
    _, doc, _ = run_json(capsys, "scan", "--format", "json", ".")
    langs = {im["path"]: (im["lang"], im["lang_source"]) for im in doc["images"]}
    assert langs["docs/a.md"] == ("fr", "docusaurus-default")
    assert langs["i18n/de/docusaurus-plugin-content-docs/current/a.md"] == ("de", "docusaurus-i18n")


@pytest.mark.parametrize(
    "config",
    [
        # was: the '//' of the URL read as a comment, so the rest of the line (and the i18n) was lost
        pytest.param("module.exports = { url: 'https://example.org', i18n: { defaultLocale: 'fr', locales: ['fr'] } };\n",
                     id="url-on-the-same-line"),
        pytest.param('export default { url: "https://example.org/" /* site */, i18n: { defaultLocale: "fr" } };\n',
                     id="url-then-a-block-comment"),
        pytest.param("const u = `//${host}`; // where\nmodule.exports = { i18n: { defaultLocale: 'fr' } };\n",
                     id="template-literal-then-a-comment-no-change"),
        # no change: comments are still comments
        pytest.param("// i18n: { defaultLocale: 'de' }\nmodule.exports = { i18n: { defaultLocale: 'fr' } };\n",
                     id="commented-out-block-no-change"),
    ],
)
def test_docusaurus_config_strings_with_slashes(tmp_path, monkeypatch, capsys, config):
    tree(tmp_path, {".git/HEAD": "", "docusaurus.config.js": config, "docs/a.md": "![](x.png)\n"})
    monkeypatch.chdir(tmp_path)
    _, doc, _ = run_json(capsys, "scan", "--format", "json", ".")
    [im] = doc["images"]
    assert (im["lang"], im["lang_source"]) == ("fr", "docusaurus-default")


def test_jekyll_collections_give_their_language_folders(tmp_path, monkeypatch, capsys):
    jekyll_guide(tmp_path, False)
    monkeypatch.chdir(tmp_path)
    _, doc, _ = run_json(capsys, "scan", "--format", "json", ".")
    langs = {im["path"]: (im["lang"], im["lang_source"]) for im in doc["images"]}
    assert langs["_articles/de/how-to-contribute.md"] == ("de", "jekyll-collection-dir")
    assert langs["_articles/fr/how-to-contribute.md"] == ("fr", "jekyll-collection-dir")


def test_docusaurus_image_front_matter_is_a_social_card_with_no_alt(tmp_path, monkeypatch, capsys):
    tree(tmp_path, {
        ".git/HEAD": "",
        "docusaurus.config.js": "module.exports = { title: 'Docs', baseUrl: '/', i18n: { defaultLocale: 'en', locales: ['en'] } };\n",
        "docs/intro.md": "---\ntitle: Intro\nimage: /img/social-card.png\n---\n# Intro\n",
        "static/img/social-card.png": None,
    })
    monkeypatch.chdir(tmp_path)
    code, found, _ = findings(capsys, ".")
    assert (code, found) == (0, [])
    _, doc, _ = run_json(capsys, "scan", "--format", "json", ".")
    assert doc["images"][0]["status"] == "hidden" and "social card only" in doc["images"][0]["hidden"]


# -- 4. templates that are not pages (hugoDocs-like) ----------------------------------------------------


@pytest.fixture
def hugo_docs(tmp_path, monkeypatch):
    tree(tmp_path, {
        ".git/HEAD": "",
        "hugo.toml": 'baseURL = "https://gohugo.example/"\ntitle = "Hugo"\n[params]\n  logo = "images/hugo-logo-wide.svg"\n',
        "archetypes/default.md": '---\ntitle: "{{ replace .File.ContentBaseName "-" " " | title }}"\ndate: {{ .Date }}\ndraft: true\n---\n![]({{ .Params.cover }})\n',
        "archetypes/functions.md": "---\ntitle: {{ .File.ContentBaseName }}\nimage: {{ .Site.Params.logo }}\n---\n",
        "layouts/_shortcodes/syntax-highlighting-styles.html": (
            '{{ $example := `{{< figure src="kitten.jpg" >}}` }}\n{{ highlight $example "go-html-template" "" }}\n'
        ),
        "layouts/partials/header.html": (
            '<a href="/"><img src="{{ .Site.Params.logo | relURL }}" alt="Hugo"></a>\n'
            '<button><img src="{{ "svg/menu.svg" | relURL }}"></button>\n'
            '<img src="{{ .Site.Params.logo | absURL }}">\n'
            '{{ range .Resources.ByType "image" }}<img src="{{ .RelPermalink }}">{{ end }}\n'
        ),
        "content/en/news.md": '---\ntitle: News\n---\n{{< figure src="/images/gopher.png" >}}\n',
        "static/svg/menu.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24"><title>Menu</title><path d="M0 0h24v4H0z"/></svg>',
        "static/images/hugo-logo-wide.svg": '<svg xmlns="http://www.w3.org/2000/svg"><title>Hugo</title><rect width="10" height="4"/></svg>',
        "static/images/gopher.png": None,
    })
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_archetypes_and_go_raw_strings_are_quiet(hugo_docs, capsys):
    code, found, doc = findings(capsys, "archetypes")
    assert (code, found, doc["errors"]) == (0, [], [])
    code, found, doc = findings(capsys, "layouts/_shortcodes")
    assert (code, found, doc["errors"]) == (0, [], [])
    # a shortcode in content is still an image
    code, found, _ = findings(capsys, "content")
    assert found == [("content/en/news.md", 4, "missing-alt", "error")]


def test_archetypes_passed_by_name_like_pre_commit_does(hugo_docs, capsys):
    code, found, doc = findings(capsys, "archetypes/default.md", "archetypes/functions.md")
    assert (code, found, doc["errors"], doc["summary"]["files"]) == (0, [], [], 0)


def test_template_srcs_the_generator_resolves_are_resolved(hugo_docs, capsys):
    plan = altbot.plan_fix("layouts/partials/header.html", captioner="metadata", no_cache=True)
    reasons = {p.line: (p.status.value, p.reason or "", p.alt) for p in plan.proposals}
    # line 2: the menu icon, found through relURL; line 3: the logo, found through the params
    assert "template expression" not in reasons[2][1]
    assert reasons[3][2] == "Hugo"  # the SVG's <title>, read from static/images/hugo-logo-wide.svg
    # a loop variable is not static: left open, with that reason
    assert "template expression; altbot cannot know which image it is" in reasons[4][1]
    code, doc, _ = run_json(capsys, "scan", "--format", "json", "layouts/partials/header.html")
    resolved = {im["line"]: im.get("src_resolved") for im in doc["images"]}
    assert resolved[1] == resolved[3] == "/images/hugo-logo-wide.svg" and resolved[2] == "/svg/menu.svg"
    assert resolved[4] is None


# -- 5. base URLs, per generator --------------------------------------------------------------------------

BASES = [
    pytest.param({"_config.yml": "baseurl: /plugin-docs\n"}, "images/dialog.png", "/plugin-docs/images/dialog.png", "jekyll", id="jekyll-baseurl"),
    pytest.param({"hugo.toml": 'baseURL = "https://example.org/docs/"\n'}, "static/images/dialog.png", "/docs/images/dialog.png", "hugo", id="hugo-baseURL-path"),
    pytest.param({"docusaurus.config.js": "module.exports = {\n  baseUrl: '/site/',\n};\n"}, "static/img/dialog.png", "/site/img/dialog.png", "docusaurus", id="docusaurus-baseUrl"),
    pytest.param({"astro.config.mjs": "export default defineConfig({ base: '/blog' });\n"}, "public/dialog.png", "/blog/dialog.png", "astro", id="astro-base"),
    pytest.param({"mkdocs.yml": "site_name: Manual\nsite_url: https://example.org/manual/\n"}, "docs/img/dialog.png", "/manual/img/dialog.png", "mkdocs", id="mkdocs-site_url"),
]


@pytest.mark.parametrize("config, image, src, generator", BASES)
def test_base_urls_are_read_from_the_generator(tmp_path, monkeypatch, config, image, src, generator):
    page = "docs/page.md" if generator == "mkdocs" else "page.md"
    tree(tmp_path, {".git/HEAD": "", **config, page: f"# Dialog\n\n![]({src})\n"})
    described_photo(tmp_path / image, "The export dialog with its three options", 1)
    monkeypatch.chdir(tmp_path)
    plan = altbot.plan_fix(".", captioner="metadata", no_cache=True)
    [p] = plan.proposals
    assert p.alt == "The export dialog with its three options", p.reason
    assert any("base path" in line and generator in line for line in plan.explain().splitlines() if line.strip().startswith("site:"))


@pytest.mark.parametrize(
    "config, page, note",
    [
        # a base URL that cannot be taken apart (an unclosed IPv6 bracket, a port that is no number):
        # said once, the site is read as served at /, and the run goes on (was: ValueError, a traceback)
        ({"hugo.toml": 'baseURL = "https://[example.org/docs/"\n'}, "content/p.md", "hugo.toml baseURL 'https://[example.org/docs/' is not a URL"),
        ({"hugo.toml": 'baseURL = "https://example.org:port/docs/"\n'}, "content/p.md", "hugo.toml baseURL"),
        ({"_config.yml": "baseurl: 'http://[::1/x'\n"}, "p.md", "_config.yml baseurl"),
        ({"mkdocs.yml": "site_name: M\nsite_url: 'https://]docs/'\n"}, "docs/p.md", "mkdocs.yml site_url"),
        ({"docusaurus.config.js": "module.exports = { baseUrl: 'https://[x/' };\n"}, "docs/p.md", "docusaurus.config.js baseUrl"),
        ({"astro.config.mjs": "export default { base: 'http://a:99999/b' };\n"}, "src/pages/p.md", "astro.config.mjs base"),
        ({"eleventy.config.js": "export default function () { return { pathPrefix: 'http://[b/' }; }\n"}, "p.md", "eleventy.config.js pathPrefix"),
        # no change: a good base URL, or a bare path, is read and nothing is said
        ({"hugo.toml": 'baseURL = "https://[::1]:1313/docs/"\n'}, "content/p.md", None),
        ({"_config.yml": "baseurl: /plugin-docs\n"}, "p.md", None),
    ],
)
def test_a_base_url_that_is_no_url_is_said_and_the_run_goes_on(tmp_path, monkeypatch, config, page, note):
    from altbot.site import read_site

    tree(tmp_path, {".git/HEAD": "", **config, page: "# P\n\n![](/images/a.png)\n"})
    monkeypatch.chdir(tmp_path)
    assert [im["status"] for im in altbot.scan(".").as_json()["images"]] == ["empty"]
    assert not altbot.check(".").errors
    site = read_site(str(tmp_path)).site_for(str(tmp_path / page))
    said = [n for n in site.notes if "is not a URL" in n]
    if note is None:
        assert not said and site.base_path, (site.notes, site.base_path)
    else:
        assert len(said) == 1 and note in said[0] and site.base_path is None, site.notes


@pytest.mark.parametrize(
    "files, page",
    [
        # a file name the site model reads from a page or config holds a NUL (written as an escape:
        # JS "\0", YAML "\0", JSON "\u0000"): no file has that name; it is said as not read and
        # the run goes on (was: ValueError from os.stat, an internal error)
        ({"astro.config.mjs": "export default {};\n",
          "src/pages/p.astro": '---\nimport Base from "../layouts/Ba\\0se.astro";\n---\n<Base><img src="/a.png"></Base>\n'},
         "src/pages/p.astro"),
        ({"eleventy.config.js": "export default function () {}\n", "p.md": "---\nlayout: \"ba\\0se.njk\"\n---\n<img src=\"/a.png\">\n"}, "p.md"),
        ({"eleventy.config.js": "export default function () {}\n", "p.md": "<img src=\"/a.png\">\n",
          "p.11tydata.json": '{"layout": "ba\\u0000se.njk"}'}, "p.md"),
        # ... or raw, in a layout the page names (the layout itself is a binary file to check)
        ({"astro.config.mjs": "export default {};\n", "src/layouts/Loop.astro": '---\nimport Base from "./Ba\0se.astro";\n---\n<Base><slot /></Base>\n',
          "src/pages/p.astro": '---\nimport Loop from "../layouts/Loop.astro";\n---\n<Loop><img src="/a.png"></Loop>\n'}, "src/pages/p.astro"),
        ({"eleventy.config.js": "export default function () {}\n", "_includes/post.njk": "---\nlayout: ba\0se.njk\n---\n{{ content }}\n",
          "p.md": "---\nlayout: post.njk\n---\n<img src=\"/a.png\">\n"}, "p.md"),
        ({"astro.config.mjs": "export default {};\n", "tsconfig.json": '{"extends": "./a\\u0000.json"}',
          "src/pages/p.astro": '<img src="/a.png">\n'}, "src/pages/p.astro"),
        # ... or is a folder a config names, a NUL in the config file (Eleventy's dir.input, its includes)
        ({"eleventy.config.js": 'export default function () { return { dir: { input: "a\0b" } }; }\n', "p.md": '<img src="/a.png">\n'}, "p.md"),
        ({"eleventy.config.js": 'export default function () { return { dir: { includes: "i\0c" } }; }\n',
          "p.md": '---\nlayout: base.njk\n---\n<img src="/a.png">\n'}, "p.md"),
        # no change: the same names without the NUL are read
        ({"_config.yml": "title: T\n", "p.md": "---\n---\n{% include_relative a.html %}\n<img src=\"/a.png\">\n", "a.html": "<p>x</p>\n"},
         "p.md"),
    ],
)
def test_a_file_name_with_a_nul_read_from_a_file_is_no_traceback(tmp_path, monkeypatch, files, page):
    tree(tmp_path, {".git/HEAD": "", **files})
    monkeypatch.chdir(tmp_path)
    result = altbot.check(".", jobs=1)
    assert not [e for e in result.errors if "internal error" in e.message], result.errors
    assert [f.rule for f in result.findings] == ["missing-alt"]
    assert [im["status"] for im in altbot.scan(".").as_json()["images"]] == ["missing"]


@pytest.mark.parametrize(
    "config, content, note",
    [
        # a folder setting that is no text (a list, a number, a table): said, the default used (was: AttributeError)
        ('contentDir = ["docs"]\n', ("content",), "hugo config contentDir: list ['docs'], not text; ignored"),
        ("contentDir = 5\n", ("content",), "hugo config contentDir: int 5, not text; ignored"),
        ("[contentDir]\nx = 1\n", ("content",), "hugo config contentDir: dict"),
        # no change: text is read, and nothing is said
        ('contentDir = "docs"\n', ("docs",), None),
    ],
)
def test_a_config_setting_of_the_wrong_type_is_said(tmp_path, monkeypatch, config, content, note):
    from altbot.site import read_site

    tree(tmp_path, {".git/HEAD": "", "hugo.toml": config, f"{content[0]}/p.md": "![](a.png)\n"})
    monkeypatch.chdir(tmp_path)
    assert [im["status"] for im in altbot.scan(".").as_json()["images"]] == ["empty"]
    site = read_site(str(tmp_path)).site_for(str(tmp_path / content[0] / "p.md"))
    assert site.content_dir == content
    said = [n for n in site.notes if "not text" in n]
    assert (said == []) if note is None else (len(said) == 1 and said[0].startswith(note)), site.notes


def test_the_config_still_overrides_the_site(tmp_path, monkeypatch):
    tree(tmp_path, {
        ".git/HEAD": "",
        "_config.yml": "baseurl: /plugin-docs\n",
        ".altbot.toml": 'url-prefixes = ["/other"]\nstatic-dirs = ["media"]\n',
        "page.md": "![](/other/dialog.png)\n\n![](/plugin-docs/images/dialog.png)\n",
    })
    described_photo(tmp_path / "media/dialog.png", "The export dialog", 1)
    described_photo(tmp_path / "images/dialog.png", "The export dialog", 1)
    monkeypatch.chdir(tmp_path)
    by_line = {p.line: p for p in altbot.plan_fix(".", captioner="metadata", no_cache=True).proposals}
    assert by_line[1].alt == "The export dialog"
    assert "image file not found" in (by_line[3].reason or "")  # the site's /plugin-docs is overridden


# -- 6. MDX / Astro image imports ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [pytest.param("<Image src={hero} />", id="Image-component"), pytest.param("<img src={hero.src} />", id="img-dot-src")],
)
def test_mdx_image_imports_are_followed(tmp_path, monkeypatch, tag):
    tree(tmp_path, {".git/HEAD": "", "src/content/docs/page.mdx": f"---\ntitle: Launch\n---\nimport hero from './hero.png'\n\n# Launch\n\n{tag}\n"})
    described_photo(tmp_path / "src/content/docs/hero.png", "A rocket lifting off at dawn", 1)
    monkeypatch.chdir(tmp_path)
    [p] = altbot.plan_fix(".", captioner="metadata", no_cache=True).proposals
    assert p.alt == "A rocket lifting off at dawn", p.reason
    [img] = altbot.scan(".").as_json()["images"]
    assert (img["src_resolved"], img["src_source"]) == ("./hero.png", "import hero")


@pytest.mark.parametrize(
    "body, resolved",
    [
        ("import hero from './hero.png'\n\n<img src={hero} />\n", "./hero.png"),  # no change
        # no change: ESM after front matter and between paragraphs
        ("---\ntitle: T\n---\n\nText.\n\nimport hero from './hero.png'\n\n<img src={hero} />\n", "./hero.png"),
        # was: the import shown in a code block (or written in prose) won over the real one
        ("import hero from './hero.png'\n\n```jsx\nimport hero from './other.png'\n```\n\n<img src={hero} />\n", "./hero.png"),
        ("```js\nimport hero from './other.png'\n```\n\n<img src={hero} />\n", None),
        ("Write it so:\nimport hero from './other.png'\n\n<img src={hero} />\n", None),
        # was: an import line inside an ESM template literal or comment counted
        ("export const code = `\nimport hero from './other.png'\n`\n\n<img src={hero} />\n", None),
        ("import hero from './hero.png'\nexport const code = `\nimport hero from './other.png'\n`\n\n<img src={hero} />\n",
         "./hero.png"),
        ("export const a = 1 /*\nimport hero from './other.png'\n*/\n\n<img src={hero} />\n", None),
        # no change: the second line of an ESM block is a statement
        ("export const a = 1\nimport hero from './hero.png'\n\n<img src={hero} />\n", "./hero.png"),
        ("export const a = 1\r\nimport hero from './hero.png'\r\n\r\n<img src={hero} />\r\n", "./hero.png"),
    ],
)
def test_only_an_esm_import_resolves_an_image(tmp_path, monkeypatch, body, resolved):
    tree(tmp_path, {".git/HEAD": "", "page.mdx": body})
    monkeypatch.chdir(tmp_path)
    [img] = altbot.scan(".").as_json()["images"]
    assert img.get("src_resolved") == resolved


@pytest.mark.parametrize(
    "src, resolved, source",
    [
        # Docusaurus' documented forms (was: a template expression nobody can know)
        ("{require('./img/chart.png').default}", "./img/chart.png", "require()"),
        ('{require("./img/chart.png").default}', "./img/chart.png", "require()"),
        ("{useBaseUrl('/img/chart.png')}", "/img/chart.png", "useBaseUrl()"),
        ("{ useBaseUrl('img/chart.png') }", "/img/chart.png", "useBaseUrl()"),
        # no change: what is not a literal image path, or not the image itself
        ("{require('./img/chart.png')}", None, None),  # the module object under webpack 5
        ("{require('./data.js').default}", None, None),
        ("{useBaseUrl(`/img/${name}.png`)}", None, None),
        ("{useBaseUrl('/img/chart.png') + '?v=2'}", None, None),
    ],
)
def test_docusaurus_require_and_use_base_url_srcs_are_resolved(tmp_path, monkeypatch, src, resolved, source):
    tree(tmp_path, {".git/HEAD": "", "docusaurus.config.js": "module.exports = { baseUrl: '/' };\n",
                    "docs/page.mdx": f"# Chart\n\n<img src={src} />\n"})
    described_photo(tmp_path / "docs/img/chart.png", "Monthly sign-ups, rising", 1)
    described_photo(tmp_path / "static/img/chart.png", "Monthly sign-ups, rising", 1)
    monkeypatch.chdir(tmp_path)
    [img] = altbot.scan(".").as_json()["images"]
    assert (img.get("src_resolved"), img.get("src_source")) == (resolved, source)
    [p] = altbot.plan_fix(".", captioner="metadata", no_cache=True).proposals
    if resolved:
        assert p.alt == "Monthly sign-ups, rising", p.reason  # the file was found and read
    else:
        assert p.alt is None and "template expression" in (p.reason or ""), p.reason


@pytest.mark.parametrize(
    "src, found",
    [
        ("@site/static/img/chart.png", True),  # was: looked for docs/@site/static/img/chart.png
        ("@site/docs/img/chart.png", True),
        ("@site/../outside/chart.png", False),  # never outside the project
        ("/img/chart.png", True),  # no change: a site path, from the static folder
    ],
)
def test_docusaurus_site_alias_names_the_site_folder(tmp_path, monkeypatch, src, found):
    tree(tmp_path, {"site/.git/HEAD": "", "site/docusaurus.config.js": "module.exports = { baseUrl: '/' };\n",
                    "site/docs/page.md": f"# Chart\n\n![]({src})\n"})
    for folder in ("site/static/img", "site/docs/img", "outside"):
        described_photo(tmp_path / folder / "chart.png", "Monthly sign-ups, rising", 1)
    monkeypatch.chdir(tmp_path / "site")
    [p] = altbot.plan_fix(".", captioner="metadata", no_cache=True).proposals
    assert (p.alt == "Monthly sign-ups, rising") is found, p.reason
    if not found:
        assert "outside the project root" in (p.reason or ""), p.reason


TSCONFIG = """{
  // Astro's starter, with the path aliases a project adds
  "extends": "astro/tsconfigs/strict",
  "include": [".astro/types.d.ts", "**/*"],
  "compilerOptions": {
    "baseUrl": ".",
    "paths": {
      "@/*": ["src/*"],
      "@assets/*": ["src/assets/*"],
      "@site": ["src/site.ts"],  /* an exact alias: a module, no folder */
    },
  },
}
"""


@pytest.mark.parametrize(
    "script, found",
    [
        # tsconfig.json's compilerOptions.paths, as Vite resolves them (was: looked for src/pages/@/assets/…)
        ("import hero from '@/assets/hero.png';", True),
        ("import hero from '@assets/hero.png';", True),
        ("import hero from '../assets/hero.png';", True),  # no change: relative
        ("import hero from '@/../../outside/hero.png';", False),  # never outside the project
        ("import hero from '@nope/hero.png';", False),  # no such alias
    ],
)
def test_astro_tsconfig_path_aliases_name_folders(tmp_path, monkeypatch, script, found):
    tree(tmp_path, {"site/.git/HEAD": "", "site/astro.config.mjs": "export default {};\n", "site/tsconfig.json": TSCONFIG,
                    "site/src/pages/index.astro": f"---\nimport {{ Image }} from 'astro:assets';\n{script}\n---\n<Image src={{hero}} />\n"})
    for folder in ("site/src/assets", "outside"):
        described_photo(tmp_path / folder / "hero.png", "A lighthouse at dusk", 1)
    monkeypatch.chdir(tmp_path / "site")
    [p] = altbot.plan_fix(".", captioner="metadata", no_cache=True).proposals
    assert (p.alt == "A lighthouse at dusk") is found, p.reason
    facts = {(f["name"], f["value"]) for f in altbot.scan(".").as_json()["site"]}
    assert ("path alias @/", "src/") in facts and ("path alias @assets/", "src/assets/") in facts, facts


_ALIASES = '{"compilerOptions": {"paths": {"@/*": ["src/*"]}}}'
_OTHER_ALIASES = '{"compilerOptions": {"paths": {"~/*": ["src/*"]}}}'


@pytest.mark.parametrize(
    "files, spec, found, note",
    [
        # tsconfig "extends", as TypeScript reads it (was: only tsconfig.json's own compilerOptions)
        ({"tsconfig.json": '{"extends": "./tsconfig.base.json"}', "tsconfig.base.json": _ALIASES}, "@/", True, None),
        ({"tsconfig.json": '{"extends": "./tsconfig.base"}', "tsconfig.base.json": _ALIASES}, "@/", True, None),
        # a base in a folder: its paths are relative to that folder (no baseUrl) ...
        ({"tsconfig.json": '{"extends": "./config/ts.json"}',
          "config/ts.json": '{"compilerOptions": {"paths": {"@/*": ["../src/*"]}}}'}, "@/", True, None),
        # ... or to its baseUrl, itself relative to the file that sets it
        ({"tsconfig.json": '{"extends": "./config/ts.json"}',
          "config/ts.json": '{"compilerOptions": {"baseUrl": "..", "paths": {"@/*": ["src/*"]}}}'}, "@/", True, None),
        # the extending file's own paths replace the base's whole
        ({"tsconfig.json": '{"extends": "./b.json", ' + _OTHER_ALIASES[1:], "b.json": _ALIASES}, "@/", False, None),
        ({"tsconfig.json": '{"extends": "./b.json", ' + _OTHER_ALIASES[1:], "b.json": _ALIASES}, "~/", True, None),
        # a list: the later base wins
        ({"tsconfig.json": '{"extends": ["./a.json", "./b.json"]}', "a.json": _ALIASES, "b.json": _OTHER_ALIASES},
         "~/", True, None),
        ({"tsconfig.json": '{"extends": ["./a.json", "./b.json"]}', "a.json": _ALIASES, "b.json": _OTHER_ALIASES},
         "@/", False, None),
        # a shared config from a package in node_modules (here a monorepo's, above the site)
        ({"tsconfig.json": '{"extends": "@acme/tsconfig/astro.json"}',
          "../node_modules/@acme/tsconfig/astro.json": '{"compilerOptions": {"paths": {"@/*": ["${configDir}/src/*"]}}}'},
         "@/", True, None),
        ({"tsconfig.json": '{"extends": "@acme/tsconfig/astro.json"}',
          "../node_modules/@acme/tsconfig/astro.json": '{"compilerOptions": {"baseUrl": "${configDir}", "paths": {"@/*": ["src/*"]}}}'},
         "@/", True, None),
        ({"tsconfig.json": '{"extends": "@acme/tsconfig"}', "node_modules/@acme/tsconfig/package.json": '{"tsconfig": "base.json"}',
          "node_modules/@acme/tsconfig/base.json": '{"compilerOptions": {"paths": {"@/*": ["../../../src/*"]}}}'},
         "@/", True, None),
        # no change: no extends; Astro's own base, not installed, sets no paths (nothing said)
        ({"tsconfig.json": _ALIASES}, "@/", True, None),
        ({"tsconfig.json": '{"extends": "astro/tsconfigs/strict", ' + _ALIASES[1:]}, "@/", True, None),
        # what cannot be followed is said, and the run goes on
        ({"tsconfig.json": '{"extends": "./missing.json", ' + _ALIASES[1:]}, "@/", True, "which is not here"),
        ({"tsconfig.json": '{"extends": "./a.json"}', "a.json": '{"extends": "./tsconfig.json"}'}, "@/", False, "in a loop"),
        ({"tsconfig.json": '{"extends": "./a.json"}', "a.json": "{,"}, "@/", False, "a.json (extended by tsconfig.json): not valid JSON"),
        ({"tsconfig.json": '{"compilerOptions": ' + "[" * 100000 + "]" * 100000 + "}"}, "@/", False, "tsconfig.json: not valid JSON"),  # was RecursionError
    ],
)
def test_astro_tsconfig_extends_is_followed(tmp_path, files, spec, found, note):
    from altbot.site import read_site

    tree(tmp_path, {"repo/.git/HEAD": "", "repo/site/astro.config.mjs": "export default {};\n",
                    "repo/site/src/pages/index.astro": "<p>x</p>\n",
                    **{f"repo/site/{k}": v for k, v in files.items()}})
    root = tmp_path / "repo" / "site"
    site = read_site(str(root)).site_for(str(root / "src/pages/index.astro"))
    assert (site.src_aliases.get(spec) == "src/") is found, site.src_aliases
    if note is None:
        assert not [n for n in site.notes if "tsconfig" in n or "extends" in n], site.notes
    else:
        assert any(note in n for n in site.notes), site.notes


def test_an_astro_alias_from_an_extended_tsconfig_finds_the_image(tmp_path, monkeypatch):
    tree(tmp_path, {"site/.git/HEAD": "", "site/astro.config.mjs": "export default {};\n",
                    "site/tsconfig.json": '{"extends": "./tsconfig.base.json"}', "site/tsconfig.base.json": _ALIASES,
                    "site/src/pages/index.astro": "---\nimport hero from '@/assets/hero.png';\n---\n<img src={hero.src} />\n"})
    described_photo(tmp_path / "site/src/assets/hero.png", "A lighthouse at dusk", 1)
    monkeypatch.chdir(tmp_path / "site")
    [p] = altbot.plan_fix(".", captioner="metadata", no_cache=True).proposals
    assert p.alt == "A lighthouse at dusk", p.reason
    facts = {(f["name"], f["value"], f["source"]) for f in altbot.scan(".").as_json()["site"]}
    assert ("path alias @/", "src/", "tsconfig.base.json compilerOptions.paths") in facts, facts


def test_an_astro_tsconfig_that_cannot_be_read_is_said(tmp_path, monkeypatch):
    from altbot.site import read_site

    tree(tmp_path, {".git/HEAD": "", "astro.config.mjs": "export default {};\n", "tsconfig.json": '{"compilerOptions": {',
                    "src/pages/index.astro": "<img src='/a.png'>\n"})
    monkeypatch.chdir(tmp_path)
    assert [im["status"] for im in altbot.scan(".").as_json()["images"]] == ["missing"]  # the run goes on
    site = read_site(str(tmp_path)).site_for(str(tmp_path / "src/pages/index.astro"))
    assert any("tsconfig.json" in n and "not valid" in n for n in site.notes), site.notes


def test_an_import_that_is_not_an_image_stays_unknown(tmp_path, monkeypatch):
    tree(tmp_path, {".git/HEAD": "", "page.mdx": "import hero from './data.js'\n\n<Image src={hero} />\n"})
    monkeypatch.chdir(tmp_path)
    [p] = altbot.plan_fix(".", captioner="metadata", no_cache=True).proposals
    assert "template expression" in p.reason


# -- Jekyll include parameters: `include.x` is what the callers pass, not the page's field x -------

CARD = '<img src="{{ include.image | relative_url }}" alt="">\n'


@pytest.mark.parametrize(
    "templates, rendered",
    [
        pytest.param({"_includes/card.html": '<img src="{{ page.thumbnail }}">'}, {"thumbnail"}, id="no-change-page-field"),
        pytest.param({"_includes/card.html": CARD, "_layouts/post.html": "{% include card.html image=page.thumbnail %}"},
                     {"thumbnail"}, id="a-field-passed"),
        pytest.param({"_includes/card.html": CARD, "_layouts/post.html": '{% include card.html image="/a.png" %}'},
                     set(), id="a-literal-passed"),
        pytest.param({"_includes/card.html": CARD}, set(), id="never-called"),
        pytest.param({"_includes/card.html": '<img src="{{ include.post.thumbnail }}">',
                      "_layouts/home.html": "{% for post in site.posts %}{% include card.html post=post %}{% endfor %}"},
                     {"thumbnail"}, id="the-whole-page-passed"),
        pytest.param({"_includes/hero.html": '{% assign src = include.src %}<img src="{{ src }}">',
                      "_layouts/page.html": "{% assign h = page.hero.image %}{% include hero.html src=h %}"},
                     {"hero.image"}, id="through-variables"),
        pytest.param({"_includes/figure.html": '<figure><img src="{{ include.file }}"></figure>',
                      "_includes/card.html": "{% include figure.html file=include.image %}",
                      "_layouts/post.html": "{%- include card.html image=page.cover.image title=page.title -%}"},
                     {"cover.image"}, id="passed-on-by-another-include"),
        pytest.param({"_includes/cards/post.html": CARD, "_layouts/post.html": "{% include cards/post.html image=page.thumbnail %}"},
                     {"thumbnail"}, id="an-include-in-a-folder"),
        pytest.param({"_includes/card.html": CARD, "_layouts/post.html": "{% include other.html image=page.thumbnail %}"},
                     set(), id="passed-to-another-include"),
        pytest.param({"_includes/a.html": "{% include a.html image=include.image %}" + CARD,
                      "_layouts/post.html": "{% include a.html image=page.thumbnail %}"},
                     {"thumbnail"}, id="a-cycle-ends"),
    ],
)
def test_an_include_parameter_is_what_its_callers_pass(tmp_path, templates, rendered):
    from altbot.site.layouts import liquid_usage

    tree(tmp_path, templates)
    usage = liquid_usage(str(tmp_path / d) for d in ("_layouts", "_includes") if (tmp_path / d).is_dir())
    assert set(usage.rendered) == rendered


def test_a_social_image_passed_to_an_include_as_a_literal_stays_a_social_card(tmp_path, monkeypatch, capsys):
    """Content calls an image include with literals; the page's `image:` is jekyll-seo-tag's card,
    not an image on the page (the include's `include.image` is not the page's `image`)."""
    jekyll_guide(tmp_path, False)
    tree(tmp_path, {
        "_includes/image.html": '<figure><img src="{{ include.image | relative_url }}" alt="{{ include.alt }}"></figure>\n',
        "_articles/en/with-figure.md": (
            "---\nlayout: article\ntitle: Figure\nimage: /assets/images/cards/users.png\n---\n"
            '{% include image.html image="/assets/images/thumbs/users.png" alt="A chart of users" %}\n'
        ),
    })
    monkeypatch.chdir(tmp_path)
    _, found, _ = findings(capsys, ".")
    mine = sorted((rule, sev) for path, _l, rule, sev in found if path == "_articles/en/with-figure.md")
    assert mine == [("social-image-alt", "warning")]


def test_includes_that_call_each_other_in_a_web_end_quickly(tmp_path):
    """30 includes, each passing its parameter on to every other: each (include, parameter) is
    followed once (a walk of every path through them would never end)."""
    from altbot.site.layouts import liquid_usage

    names = [f"i{k}.html" for k in range(30)]
    files = {f"_includes/{n}": "".join(f"{{% include {o} image=include.image %}}" for o in names) + CARD for n in names}
    files["_layouts/post.html"] = "{% include i0.html image=page.thumbnail %}"
    tree(tmp_path, files)
    usage = liquid_usage([str(tmp_path / "_layouts"), str(tmp_path / "_includes")])
    assert set(usage.rendered) == {"thumbnail"}


# -- Hugo's Goldmark renders no raw HTML unless markup.goldmark.renderer.unsafe is true ------------

PAGE_WITH_RAW_HTML = (
    "---\ntitle: Team\n---\n\n![](/images/md.png)\n\n<img src=\"/images/block.png\">\n\n"
    'Inline <img src="/images/inline.png"> here.\n'
)


@pytest.mark.parametrize(
    "files, raw_shown",
    [
        pytest.param({"hugo.toml": 'baseURL = "https://example.org/"\n'}, False, id="hugo-default-omits"),
        pytest.param({"hugo.toml": "[markup.goldmark.renderer]\nunsafe = true\n"}, True, id="unsafe-true-renders"),
        pytest.param({"hugo.yaml": "markup:\n  goldmark:\n    renderer:\n      unsafe: false\n"}, False, id="unsafe-false"),
        pytest.param({"config/_default/markup.toml": "[goldmark.renderer]\nunsafe = true\n", "config/_default/hugo.toml": ""},
                     True, id="config-dir-markup-file"),
        pytest.param({"hugo.toml": '[markup]\ndefaultMarkdownHandler = "pandoc"\n'}, True, id="another-renderer"),
        pytest.param({"mkdocs.yml": "site_name: Docs\ndocs_dir: content\n"}, True, id="no-change-not-hugo"),
        pytest.param({}, True, id="no-change-no-site"),
    ],
)
def test_raw_html_in_hugo_markdown_is_checked_only_when_hugo_renders_it(tmp_path, monkeypatch, files, raw_shown):
    tree(tmp_path, {".git/HEAD": "", **files, "content/team.md": PAGE_WITH_RAW_HTML})
    monkeypatch.chdir(tmp_path)
    images = {im["src"]: im for im in altbot.scan(".").as_json()["images"]}
    assert images["/images/md.png"]["status"] == "empty"  # a Markdown image is rendered either way
    for src in ("/images/block.png", "/images/inline.png"):
        if raw_shown:
            assert images[src]["status"] == "missing", images[src]
        else:
            assert images[src]["status"] == "hidden" and "raw HTML omitted by Hugo" in images[src]["hidden"], images[src]
    findings = [f["src"] for f in altbot.check(".").as_json()["findings"]]
    assert ("/images/block.png" in findings) is raw_shown
    facts = {f["name"]: f["value"] for f in altbot.scan(".").as_json()["site"]}
    if "generator" in facts and facts["generator"] == "hugo":  # the model says what it read
        assert facts["raw HTML in content Markdown"] == ("rendered" if raw_shown else "omitted (Goldmark's default)")


WRAPPED_MARKDOWN = (
    "---\ntitle: Équipe\nlang: fr\n---\n\n<div aria-hidden=\"true\">\n\n![](/images/deco.png)\n\n</div>\n\n"
    '<div lang="de">\n\n![](/images/de.png)\n\n</div>\n\n![](/images/plain.png)\n'
)


@pytest.mark.parametrize(
    "files, raw_shown",
    [
        pytest.param({"hugo.toml": 'baseURL = "https://example.org/"\n'}, False, id="hugo-default-omits-the-wrappers"),
        pytest.param({"hugo.toml": "[markup.goldmark.renderer]\nunsafe = true\n"}, True, id="unsafe-true-keeps-them"),
        pytest.param({}, True, id="no-change-no-site"),
    ],
)
def test_raw_html_wrappers_count_for_markdown_images_only_where_hugo_renders_them(tmp_path, monkeypatch, files, raw_shown):
    """A raw ``<div aria-hidden>`` or ``<div lang>`` around Markdown images is on the page only
    where raw HTML is rendered; where Hugo omits it, the images are the page's own (was: hidden,
    and German, though the page Hugo builds shows them, in French)."""
    tree(tmp_path, {".git/HEAD": "", **files, "content/team.md": WRAPPED_MARKDOWN})
    monkeypatch.chdir(tmp_path)
    images = {im["src"]: im for im in altbot.scan(".").as_json()["images"]}
    assert images["/images/plain.png"]["lang"] == "fr" and images["/images/plain.png"]["hidden"] is None  # no change
    if raw_shown:
        assert images["/images/deco.png"]["status"] == "hidden", images["/images/deco.png"]
        assert images["/images/de.png"]["lang"] == "de"
    else:
        assert images["/images/deco.png"]["status"] == "empty" and images["/images/deco.png"]["hidden"] is None
        assert (images["/images/de.png"]["lang"], images["/images/de.png"]["lang_source"]) == (
            images["/images/plain.png"]["lang"], images["/images/plain.png"]["lang_source"])
    findings = sorted(f["src"] for f in altbot.check(".").as_json()["findings"])
    assert ("/images/deco.png" in findings) is not raw_shown


def test_hugo_layouts_are_html_whatever_the_markdown_renderer_does(tmp_path, monkeypatch):
    tree(tmp_path, {".git/HEAD": "", "hugo.toml": "", "layouts/partials/hero.html": '<img src="/images/hero.png">\n'})
    monkeypatch.chdir(tmp_path)
    [im] = altbot.scan(".").as_json()["images"]
    assert im["status"] == "missing"


# -- MkDocs: admonitions, details and tabs hold Markdown, indented (Python-Markdown's extensions) -----

MKDOCS_EXTENSIONS = (
    "site_name: Guide\nmarkdown_extensions:\n  - admonition\n  - pymdownx.details\n  - pymdownx.tabbed:\n"
    "      alternate_style: true\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
)
MKDOCS_PAGE = """# Install

!!! note "Before you start"

    ![](img/prereq.png)

??? tip "More"
    ![Shown](img/more.png)

=== "macOS"

    ![](img/mac.png)

===+ "Windows"

    ![](img/win.png)

    !!! warning
        ![](img/nested.png)

        A block's own code:

            ![](img/code.png)

    Back in the tab.

Setext heading
==============

    ![](img/indented-code.png)

```text
!!! note
    ![](img/fenced.png)
```
"""
IN_BLOCKS = ["img/prereq.png", "img/more.png", "img/mac.png", "img/win.png", "img/nested.png"]


@pytest.mark.parametrize(
    "config, expected",
    [
        # was: none of them, for CommonMark reads the indented lines as code
        pytest.param(MKDOCS_EXTENSIONS, IN_BLOCKS, id="extensions-on"),
        pytest.param("site_name: Guide\nmarkdown_extensions:\n  admonition: {}\n", ["img/prereq.png", "img/more.png"],
                     id="admonition-only-as-mapping"),
        # no change: no extension, or no MkDocs (a line right after the fence continues its
        # paragraph, in CommonMark as in Python-Markdown)
        pytest.param("site_name: Guide\n", ["img/more.png"], id="no-extension-no-change"),
        pytest.param(None, ["img/more.png"], id="no-mkdocs-no-change"),
    ],
)
def test_mkdocs_admonitions_details_and_tabs_are_markdown(tmp_path, monkeypatch, config, expected):
    files = {".git/HEAD": "", "docs/install.md": MKDOCS_PAGE}
    if config is not None:
        files["mkdocs.yml"] = config
    tree(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    doc = altbot.scan(".").as_json()
    found = [(im["src"], im["line"], im["column"]) for im in doc["images"]]
    lines = MKDOCS_PAGE.splitlines()
    assert [src for src, _, _ in found] == expected
    for src, line, column in found:  # positions are the page's own
        assert lines[line - 1][column - 1 :].startswith("![")
        assert src in lines[line - 1]


def test_mkdocs_fix_writes_into_an_admonition_in_place(tmp_path, monkeypatch):
    tree(tmp_path, {".git/HEAD": "", "mkdocs.yml": MKDOCS_EXTENSIONS, "docs/install.md": MKDOCS_PAGE})
    described_photo(tmp_path / "docs/img/prereq.png", "The installer's welcome screen", 1)
    monkeypatch.chdir(tmp_path)
    plan = altbot.plan_fix(".", captioner="metadata", no_cache=True)
    [p] = [p for p in plan.proposals if p.src == "img/prereq.png"]
    assert p.alt == "The installer's welcome screen"
    plan.write()
    assert (tmp_path / "docs/install.md").read_text() == MKDOCS_PAGE.replace(
        "![](img/prereq.png)", "![The installer's welcome screen](img/prereq.png)"
    )


MKDOCS_HTML_IN_BLOCKS = """# Screens

!!! note "Light and dark"
    <figure markdown>
      ![](img/light.png)
      <figcaption>Figure 1</figcaption>
    </figure>

=== "Hidden"
    <div aria-hidden="true">
    ![](img/hidden.png)
    </div>

=== "French"
    <div lang="fr">
    ![](img/fr.png)
    </div>

<div class="raw">
![](img/raw-top-level.png)
</div>
"""


def test_mkdocs_html_in_a_block_is_inline_and_its_images_are_markdown(tmp_path, monkeypatch):
    # Python-Markdown reads a block's content with no HTML blocks: a tag starting a line is inline
    # HTML in a paragraph (was: an HTML block, whose images were raw text, missed)
    config = MKDOCS_EXTENSIONS.replace("  - admonition\n", "  - admonition\n  - md_in_html\n")
    tree(tmp_path, {".git/HEAD": "", "mkdocs.yml": config, "docs/screens.md": MKDOCS_HTML_IN_BLOCKS})
    monkeypatch.chdir(tmp_path)
    doc = altbot.scan(".").as_json()
    got = [(im["src"], im["status"], im.get("lang")) for im in doc["images"]]
    assert got == [("img/light.png", "empty", None), ("img/hidden.png", "hidden", None), ("img/fr.png", "empty", "fr")], got
    described_photo(tmp_path / "docs/img/light.png", "The dashboard in the light theme", 1)
    altbot.plan_fix(".", captioner="metadata", no_cache=True).write()
    assert (tmp_path / "docs/screens.md").read_text() == MKDOCS_HTML_IN_BLOCKS.replace(
        "![](img/light.png)", "![The dashboard in the light theme](img/light.png)"
    )


@pytest.mark.parametrize(
    "config, files, expected",
    [
        # Eleventy renders its Nunjucks and Liquid templates as pages: read as HTML (was: skipped unseen)
        ('export const config = { dir: { input: "src" } };\n', {"src/index.njk": '<img src="/a.png">\n',
                                                                "src/about.liquid": '<img src="/b.png" alt="{{ page.title }}">\n'},
         [("src/about.liquid", "/b.png", "ok"), ("src/index.njk", "/a.png", "missing")]),
        # templateFormats says which: here no Nunjucks
        ('module.exports = function () { return { templateFormats: ["md", "liquid"] }; };\n',
         {"index.njk": '<img src="/a.png">\n', "about.liquid": '<img src="/b.png">\n'}, [("about.liquid", "/b.png", "missing")]),
        ('module.exports = (c) => { c.setTemplateFormats("njk,md"); };\n',
         {"index.njk": '<img src="/a.png">\n', "about.liquid": '<img src="/b.png">\n'}, [("index.njk", "/a.png", "missing")]),
        # no change: a template file outside any Eleventy site is not read
        (None, {"index.njk": '<img src="/a.png">\n'}, []),
    ],
)
def test_eleventy_templates_are_pages(tmp_path, monkeypatch, config, files, expected):
    tree(tmp_path, {".git/HEAD": "", **({"eleventy.config.js": config} if config else {}), **files})
    monkeypatch.chdir(tmp_path)
    doc = altbot.scan(".").as_json()
    assert [(im["path"], im["src"], im["status"]) for im in doc["images"]] == expected
    assert doc["errors"] == []


@pytest.mark.parametrize(
    "html, expected",
    [
        # a layout's own <html lang> from global data (was: unknown, a template's value)
        ('<html lang="{{ metadata.language }}">', ("nl", "eleventy-layout")),
        ("<html lang=\"{{ metadata.lang | default('de') }}\">", ("de", "eleventy-layout")),
        # no change: a literal is the page's own lang attribute
        ('<html lang="fr">', ("fr", "lang-attribute")),
    ],
)
def test_an_eleventy_layouts_own_lang_expression_is_read(tmp_path, monkeypatch, html, expected):
    tree(tmp_path, {".git/HEAD": "", "eleventy.config.js": "export default {};\n", "_data/metadata.json": '{"language": "nl"}',
                    "_includes/base.njk": html + '<body><img src="/logo.svg" alt="{{ metadata.title }}">{{ content | safe }}</body></html>\n'})
    monkeypatch.chdir(tmp_path)
    [im] = altbot.scan(".").as_json()["images"]
    assert (im["lang"], im["lang_source"]) == expected


def test_a_named_template_file_outside_eleventy_is_still_unsupported(tmp_path, monkeypatch):
    tree(tmp_path, {".git/HEAD": "", "index.njk": '<img src="/a.png">\n', "site/eleventy.config.js": "export default {};\n",
                    "site/page.njk": '<img src="/b.png">\n'})
    monkeypatch.chdir(tmp_path)
    doc = altbot.scan(["index.njk", "site/page.njk"]).as_json()
    assert [im["path"] for im in doc["images"]] == ["site/page.njk"]
    assert [(e["path"], "unsupported file type '.njk'" in e["message"]) for e in doc["errors"]] == [("index.njk", True)]


def test_fix_writes_into_an_eleventy_template(tmp_path, monkeypatch):
    page = '---\nlayout: base.njk\n---\n<h1>{{ title }}</h1>\n<img src="/img/boat.png">\n'
    tree(tmp_path, {".git/HEAD": "", "eleventy.config.js": 'export const config = { dir: { input: "src" } };\n',
                    "src/index.njk": page, "src/_includes/base.njk": '<html lang="nl"><body>{{ content | safe }}</body></html>\n'})
    described_photo(tmp_path / "src/img/boat.png", "Een vissersboot aan de kade", 1)
    monkeypatch.chdir(tmp_path)
    plan = altbot.plan_fix("src/index.njk", captioner="metadata", no_cache=True)
    assert [p.lang for p in plan.proposals] == ["nl"]
    plan.write()
    assert (tmp_path / "src/index.njk").read_text() == page.replace('src="/img/boat.png">', 'src="/img/boat.png" alt="Een vissersboot aan de kade">')


# -- Docusaurus compiles .md pages as MDX unless markdown.format (or the page's format:) says not --

DOCU_MD = '---\ntitle: Tabs\n---\n\n{/* altbot-ignore */}\n![](./a.png)\n\n<Tabs>\n![](./b.png)\n</Tabs>\n'


@pytest.mark.parametrize(
    "config, page, as_mdx",
    [
        # was: CommonMark, so the JSX comment suppressed nothing and the image in <Tabs> was raw HTML text
        pytest.param("module.exports = { baseUrl: '/' };\n", ("docs/tabs.md", DOCU_MD), True, id="default-mdx"),
        pytest.param("module.exports = { markdown: { format: 'mdx' } };\n", ("blog/2026-01-01-tabs.md", DOCU_MD), True, id="mdx-blog"),
        # no change: CommonMark where the site or the page says so, and outside the content folders
        pytest.param("module.exports = { markdown: { format: 'detect' } };\n", ("docs/tabs.md", DOCU_MD), False, id="detect"),
        pytest.param("module.exports = { markdown: { format: 'md' } };\n", ("docs/tabs.md", DOCU_MD), False, id="md"),
        pytest.param("module.exports = {};\n", ("docs/tabs.md", DOCU_MD.replace("title: Tabs", "format: md")), False,
                     id="front-matter-format-md"),
        pytest.param("module.exports = {};\n", ("README.md", DOCU_MD), False, id="readme-outside-the-content"),
        pytest.param(None, ("docs/tabs.md", DOCU_MD), False, id="no-docusaurus"),
    ],
)
def test_docusaurus_md_pages_are_mdx_by_default(tmp_path, monkeypatch, config, page, as_mdx):
    files = {".git/HEAD": "", page[0]: page[1]}
    if config is not None:
        files["docusaurus.config.js"] = config
    tree(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    images = altbot.scan(".").as_json()["images"]
    got = [(im["src"], im["ignored"]) for im in images]
    assert got == ([("./a.png", True), ("./b.png", False)] if as_mdx else [("./a.png", False)])
    if config is not None and as_mdx:
        facts = {f["name"]: f["value"] for f in altbot.scan(".").as_json()["site"]}
        assert facts["Markdown format"].startswith("mdx")


# -- Hugo's own figure shortcode writes its caption as the alt where alt is empty -------------------

FIGURES = (
    '---\ntitle: T\n---\n\n{{< figure src="/a.png" caption="A cat on a mat" >}}\n\n'
    '{{< figure src="/b.png" alt="" caption="*A dog*, [running](/x)" >}}\n\n'
    '{{< figure src="/c.png" caption="" >}}\n\n{{< figure src="/d.png" title="Title only" >}}\n\n'
    '{{< figure src="/e.png" alt="A bird" caption="Spring" >}}\n'
)


@pytest.mark.parametrize(
    "extra, fallback",
    [
        # was: both reported, though Hugo writes alt="A cat on a mat" and alt="A dog, running"
        pytest.param({"hugo.toml": 'baseURL = "https://example.org/"\n'}, True, id="hugo-own-figure"),
        # no change: a figure shortcode of the site's or a theme's own, or no Hugo
        pytest.param({"hugo.toml": "", "layouts/_shortcodes/figure.html": '<img src="{{ .Get "src" }}">'}, False,
                     id="site-figure"),
        pytest.param({"hugo.toml": 'theme = "ink"\n', "themes/ink/layouts/shortcodes/figure.html": "<img>"}, False,
                     id="theme-figure"),
        pytest.param({}, False, id="no-hugo"),
    ],
)
def test_hugo_figure_caption_is_the_alt_where_alt_is_empty(tmp_path, monkeypatch, extra, fallback):
    tree(tmp_path, {".git/HEAD": "", "content/p.md": FIGURES, **extra})
    monkeypatch.chdir(tmp_path)
    images = {im["src"]: (im["status"], im["alt"]) for im in altbot.scan(".").as_json()["images"]}
    if fallback:
        assert images["/a.png"] == ("ok", "A cat on a mat")
        assert images["/b.png"] == ("ok", "A dog, running")
    else:
        assert images["/a.png"] == ("missing", None)
        assert images["/b.png"][1] == ""
    assert images["/c.png"] == ("missing", None) and images["/d.png"] == ("missing", None)  # no caption text
    assert images["/e.png"] == ("ok", "A bird")  # no change: its own alt
    found = {f["src"] for f in altbot.check(".").as_json()["findings"]}
    assert ("/a.png" in found) is not fallback and ("/b.png" in found) is not fallback


# -- an HTML block whose tag has a markdown attribute holds Markdown (md_in_html, kramdown) --------

FIGURE_MARKDOWN = '# Page\n\n<figure markdown>\n  ![](img/chart.png){ width="300" }\n  <figcaption>Sign-ups</figcaption>\n</figure>\n'
KRAMDOWN_DIV = '# Page\n\n<div class="note" markdown="1">\n![](img/chart.png)\n</div>\n\n<div markdown="0">\n![](img/off.png)\n</div>\n'


@pytest.mark.parametrize(
    "files, page, found",
    [
        # was: raw HTML to CommonMark, so the image was never checked
        pytest.param({"mkdocs.yml": "site_name: G\nmarkdown_extensions:\n  - md_in_html\n  - attr_list\n"},
                     ("docs/p.md", FIGURE_MARKDOWN), ["img/chart.png"], id="mkdocs-md-in-html"),
        pytest.param({"_config.yml": "title: Blog\n"}, ("_posts/2026-01-01-p.md", KRAMDOWN_DIV), ["img/chart.png"],
                     id="jekyll-kramdown"),
        # no change: without the extension, another Markdown engine, or no site
        pytest.param({"mkdocs.yml": "site_name: G\n"}, ("docs/p.md", FIGURE_MARKDOWN), [], id="mkdocs-without-md-in-html"),
        pytest.param({"_config.yml": "markdown: CommonMarkGhPages\n"}, ("_posts/2026-01-01-p.md", KRAMDOWN_DIV), [],
                     id="jekyll-commonmark"),
        pytest.param({}, ("p.md", KRAMDOWN_DIV), [], id="no-site"),
    ],
)
def test_markdown_inside_html_blocks_where_the_generator_reads_it(tmp_path, monkeypatch, files, page, found):
    tree(tmp_path, {".git/HEAD": "", **files, page[0]: page[1]})
    monkeypatch.chdir(tmp_path)
    images = altbot.scan(".").as_json()["images"]
    assert [im["src"] for im in images] == found
    lines = page[1].splitlines()
    for im in images:
        assert lines[im["line"] - 1][im["column"] - 1 :].startswith("![")


MKDOCS_MD_IN_HTML = {"mkdocs.yml": "site_name: G\nmarkdown_extensions:\n  - md_in_html\n"}
JEKYLL = {"_config.yml": "title: Blog\n"}


@pytest.mark.parametrize(
    "files, path, page, expected",
    [
        # the markdown block's own aria-hidden, hidden and lang reach its images, as the generator
        # renders the tag around them (was: the tag was blanked, and with it what it says)
        pytest.param(MKDOCS_MD_IN_HTML, "docs/p.md", '<div markdown aria-hidden="true">\n![](a.png)\n</div>\n',
                     [("a.png", "hidden", None)], id="mkdocs-aria-hidden"),
        pytest.param(JEKYLL, "_posts/2026-01-01-p.md", '<div lang="fr" markdown="1">\n![](a.png)\n</div>\n\n![](b.png)\n',
                     [("a.png", "empty", "fr"), ("b.png", "empty", None)], id="kramdown-lang-then-outside"),
        pytest.param(MKDOCS_MD_IN_HTML, "docs/p.md",
                     '<div lang="fr" markdown>\n\n<div markdown lang="de">\n![](a.png)\n</div>\n\n![](b.png)\n\n</div>\n',
                     [("a.png", "empty", "de"), ("b.png", "empty", "fr")], id="inside-a-markdown-block-lang"),
        # a markdown block inside a raw one is raw too, as Python-Markdown reads it: no image at all
        pytest.param(MKDOCS_MD_IN_HTML, "docs/p.md",
                     '<div lang="fr">\n\n<div markdown lang="de">\n![](a.png)\n</div>\n\n![](b.png)\n\n</div>\n',
                     [], id="inside-a-raw-block"),
        pytest.param(JEKYLL, "_posts/2026-01-01-p.md", '<div hidden markdown="1">\n<span lang="fr">![](a.png)</span>\n</div>\n',
                     [("a.png", "hidden", "fr")], id="raw-html-inside-the-block"),
        # no change: a block without those attributes, and none after its end tag
        pytest.param(MKDOCS_MD_IN_HTML, "docs/p.md", '<figure markdown>\n![](a.png)\n</figure>\n\n![](b.png)\n',
                     [("a.png", "empty", None), ("b.png", "empty", None)], id="plain-block"),
        pytest.param(JEKYLL, "_posts/2026-01-01-p.md", '<div markdown="1" aria-hidden="true">\n![](a.png)\n</div>\n\n![](b.png)\n',
                     [("a.png", "hidden", None), ("b.png", "empty", None)], id="after-the-end-tag"),
    ],
)
def test_a_markdown_blocks_tag_still_hides_and_gives_its_language(tmp_path, monkeypatch, files, path, page, expected):
    tree(tmp_path, {".git/HEAD": "", **files, path: page})
    monkeypatch.chdir(tmp_path)
    got = [(im["src"], im["status"], im["lang"] if im["lang_source"] == "lang-attribute" else None)
           for im in altbot.scan(".").as_json()["images"]]
    assert got == expected


def test_fix_writes_into_a_markdown_figure_in_place(tmp_path, monkeypatch):
    tree(tmp_path, {".git/HEAD": "", "mkdocs.yml": "site_name: G\nmarkdown_extensions:\n  - md_in_html\n",
                    "docs/p.md": FIGURE_MARKDOWN})
    described_photo(tmp_path / "docs/img/chart.png", "Monthly sign-ups, rising", 1)
    monkeypatch.chdir(tmp_path)
    altbot.plan_fix(".", captioner="metadata", no_cache=True).write()
    assert (tmp_path / "docs/p.md").read_text() == FIGURE_MARKDOWN.replace("![](img/chart.png)", "![Monthly sign-ups, rising](img/chart.png)")


# -- Hugo: a site's (or theme's) own shortcodes that render an <img> are image shortcodes ---------

IMG_SHORTCODE = '<img src="{{ .Get "image" | relURL }}" alt="{{ .Get "description" }}" loading="lazy">\n'
VAR_SHORTCODE = ('{{ $src := .Get "src" }}{{ $caption := .Get "caption" }}\n<figure>\n  <img src="{{ $src | relURL }}"'
                 '{{ with .Get "alt" }} alt="{{ . }}"{{ end }}>\n  <figcaption>{{ $caption }}</figcaption>\n</figure>\n')


@pytest.mark.parametrize(
    "files, page, expected",
    [
        # was: only the names in `shortcodes` (figure) were read, so these images were never checked
        pytest.param({"layouts/shortcodes/img.html": IMG_SHORTCODE}, '{{< img image="/a.png" >}}\n',
                     [("img", "/a.png", None)], id="site-shortcode-missing-alt"),
        pytest.param({"layouts/shortcodes/img.html": IMG_SHORTCODE}, '{{< img image="/a.png" description="A boat" >}}\n',
                     [("img", "/a.png", "A boat")], id="its-own-alt-parameter"),
        pytest.param({"themes/harbour/layouts/_shortcodes/photo.html": VAR_SHORTCODE}, '{{< photo src="/b.png" caption="Dawn" >}}\n',
                     [("photo", "/b.png", None)], id="theme-shortcode-variables-and-with"),
        pytest.param({"themes/harbour/layouts/_shortcodes/photo.html": VAR_SHORTCODE}, '{{< photo src="/b.png" alt="Dawn" >}}\n',
                     [("photo", "/b.png", "Dawn")], id="theme-shortcode-with-alt"),
        # no change: a shortcode with no <img>, one whose alt is fixed, or one with no alt at all
        # (its template is what is reported), and an unknown name
        pytest.param({"layouts/shortcodes/note.html": '<div class="note">{{ .Inner }}</div>\n'}, '{{< note >}}x{{< /note >}}\n', [],
                     id="no-img"),
        pytest.param({"layouts/shortcodes/deco.html": '<img src="{{ .Get "src" }}" alt="">\n'}, '{{< deco src="/c.png" >}}\n', [],
                     id="fixed-empty-alt"),
        pytest.param({"layouts/shortcodes/bare.html": '<img src="{{ .Get "src" }}">\n'}, '{{< bare src="/c.png" >}}\n', [],
                     id="template-without-alt"),
        pytest.param({"layouts/shortcodes/img.html": IMG_SHORTCODE}, '{{< other image="/a.png" >}}\n', [], id="unknown-name"),
    ],
)
def test_hugo_image_shortcodes_of_the_site(tmp_path, monkeypatch, files, page, expected):
    theme = 'theme = "harbour"\n' if any(k.startswith("themes/") for k in files) else ""
    tree(tmp_path, {".git/HEAD": "", "hugo.toml": theme, **files, "content/post.md": "# Post\n\n" + page})
    monkeypatch.chdir(tmp_path)
    got = [(im["element"], im["src"], im["alt"]) for im in altbot.scan("content").as_json()["images"]]
    assert got == expected


def test_fix_writes_a_site_shortcodes_own_alt_parameter(tmp_path, monkeypatch):
    tree(tmp_path, {".git/HEAD": "", "hugo.toml": "", "layouts/shortcodes/img.html": IMG_SHORTCODE,
                    "content/post.md": '# Post\n\n{{< img image="/boat.png" >}}\n'})
    described_photo(tmp_path / "static/boat.png", "A fishing boat at the quay", 1)
    monkeypatch.chdir(tmp_path)
    altbot.plan_fix(".", captioner="metadata", no_cache=True).write()
    assert (tmp_path / "content/post.md").read_text() == (
        '# Post\n\n{{< img image="/boat.png" description="A fishing boat at the quay" >}}\n'
    )
    facts = {(f["name"], f["value"]) for f in altbot.scan(".").as_json()["site"]}
    assert ("img shortcode", "an image: src from image, alt from description") in facts, facts


def test_an_explicit_shortcodes_list_is_kept(tmp_path, monkeypatch):
    tree(tmp_path, {".git/HEAD": "", "hugo.toml": "", "layouts/shortcodes/img.html": IMG_SHORTCODE,
                    ".altbot.toml": 'shortcodes = ["figure"]\n', "content/post.md": '{{< img image="/a.png" >}}\n'})
    monkeypatch.chdir(tmp_path)
    assert altbot.scan("content").as_json()["images"] == []  # the config's list is the override


# -- Jekyll: the includes that write an <img> (the site's own, a gem theme's) are image tags ----------

IMAGE_INCLUDE = '<figure>\n  <img src="{{ include.url | relative_url }}" alt="{{ include.description }}">\n</figure>\n'
MM = {"_config.yml": 'remote_theme: "mmistakes/minimal-mistakes@4.26.2"\n'}


@pytest.mark.parametrize(
    "files, body, expected",
    [
        # was: include tags were never read, so these images were never checked
        pytest.param({"_includes/image.html": IMAGE_INCLUDE}, '{% include image.html url="/assets/a.png" %}\n',
                     [("image.html", "/assets/a.png", None)], id="site-include-missing-alt"),
        pytest.param({"_includes/image.html": IMAGE_INCLUDE}, "{%- include image.html url='/assets/a.png' description=\"A \\\"dory\\\"\" -%}\n",
                     [("image.html", "/assets/a.png", 'A "dory"')], id="its-own-alt-parameter-escaped"),
        pytest.param(MM, '{% include figure image_path="/assets/images/dock.jpg" caption="The dock" %}\n',
                     [("figure", "/assets/images/dock.jpg", None)], id="minimal-mistakes-figure"),
        pytest.param(MM, '{% include figure popup=true image_path="/assets/images/dock.jpg" alt="The dock at dawn" %}\n',
                     [("figure", "/assets/images/dock.jpg", "The dock at dawn")], id="minimal-mistakes-figure-alt"),
        pytest.param({"_includes/image.html": IMAGE_INCLUDE}, "{% include image.html url=page.hero description=page.hero_alt %}\n",
                     [("image.html", "{{ page.hero }}", "{{ page.hero_alt }}")], id="variables"),
        pytest.param({"_includes/pic": '{% assign s = include.file %}<img src="{{ s }}" alt="{% if include.alt %}{{ include.alt }}{% endif %}">'},
                     '{% include pic file="/a.png" %}\n', [("pic", "/a.png", None)], id="assigned-and-if"),
        # no change: a tag in {% raw %} or in code, an include with no image, another theme, no theme
        pytest.param({"_includes/image.html": IMAGE_INCLUDE}, '{% raw %}{% include image.html url="/a.png" %}{% endraw %}\n', [],
                     id="raw-block"),
        pytest.param({"_includes/image.html": IMAGE_INCLUDE}, '```liquid\n{% include image.html url="/a.png" %}\n```\n', [],
                     id="code-block"),
        pytest.param({"_includes/note.html": '<aside>{{ include.content }}</aside>'}, '{% include note.html content="Hi" %}\n', [],
                     id="no-img"),
        pytest.param({"_config.yml": "theme: minima\n"}, '{% include figure image_path="/a.jpg" %}\n', [], id="another-theme"),
        pytest.param({"_includes/fixed.html": '<img src="{{ include.src }}" alt="">'}, '{% include fixed.html src="/a.png" %}\n', [],
                     id="fixed-alt"),
    ],
)
def test_jekyll_image_includes(tmp_path, monkeypatch, files, body, expected):
    files = {"_config.yml": "title: Blog\n", **files}
    tree(tmp_path, {".git/HEAD": "", **files, "_posts/2026-06-01-dock.md": "---\ntitle: Dock\n---\n\n" + body})
    monkeypatch.chdir(tmp_path)
    got = [(im["element"], im["src"], im["alt"]) for im in altbot.scan("_posts").as_json()["images"]]
    assert got == expected
    if expected:
        assert altbot.scan("_posts").as_json()["images"][0]["syntax"] == "liquid"


def test_fix_writes_an_includes_own_alt_parameter(tmp_path, monkeypatch):
    tree(tmp_path, {".git/HEAD": "", **MM, "_posts/2026-06-01-dock.md":
                    '---\ntitle: Dock\n---\n\n{% include figure image_path="/assets/dock.png" caption="Dawn" %}\n'})
    described_photo(tmp_path / "assets/dock.png", 'The "Marie" at the dock', 1)
    monkeypatch.chdir(tmp_path)
    altbot.plan_fix(".", captioner="metadata", no_cache=True).write()
    assert (tmp_path / "_posts/2026-06-01-dock.md").read_text().endswith(
        '{% include figure image_path="/assets/dock.png" alt="The \\"Marie\\" at the dock" caption="Dawn" %}\n'
    )
    facts = {(f["name"], f["value"]) for f in altbot.scan(".").as_json()["site"]}
    assert ("figure include", "an image: src from image_path, alt from alt") in facts, facts


def test_an_unclosed_include_tag_is_said_and_the_run_goes_on(tmp_path, monkeypatch):
    tree(tmp_path, {".git/HEAD": "", **MM, "_posts/2026-06-01-dock.md": '---\ntitle: D\n---\n{% include figure image_path="/a.jpg"\n\n![](b.png)\n'})
    monkeypatch.chdir(tmp_path)
    out = altbot.scan(".").as_json()
    assert [im["src"] for im in out["images"]] == ["b.png"]
    assert any("include figure" in e["message"] for e in out["errors"]), out["errors"]


@pytest.mark.parametrize(
    "files, body, expected",
    [
        # include_relative: a file beside the page, as an include (was: never read)
        pytest.param({"docs/photo.html": IMAGE_INCLUDE}, '{% include_relative photo.html url="/assets/a.png" %}\n',
                     [("photo.html", "/assets/a.png", None)], id="beside-the-page"),
        pytest.param({"docs/parts/photo.html": IMAGE_INCLUDE},
                     '{%- include_relative parts/photo.html url="/a.png" description="A dory" -%}\n',
                     [("parts/photo.html", "/a.png", "A dory")], id="in-a-subfolder-with-alt"),
        # a file of the same name in _includes/ is another include: the page's own folder is read
        pytest.param({"_includes/photo.html": '<aside>{{ include.url }}</aside>', "docs/photo.html": IMAGE_INCLUDE},
                     '{% include_relative photo.html url="/a.png" %}\n{% include photo.html url="/b.png" %}\n',
                     [("photo.html", "/a.png", None)], id="not-the-includes-folder"),
        pytest.param({"_includes/photo.html": IMAGE_INCLUDE},
                     '{% include_relative photo.html url="/a.png" %}\n{% include photo.html url="/b.png" %}\n',
                     [("photo.html", "/b.png", None)], id="no-change-include-folder-only"),
        # no change: Jekyll refuses "..", a file with no image from its parameters, no such file
        pytest.param({"photo.html": IMAGE_INCLUDE}, '{% include_relative ../photo.html url="/a.png" %}\n', [], id="parent-refused"),
        pytest.param({"docs/note.html": "<aside>{{ include.content }}</aside>"}, '{% include_relative note.html content="x" %}\n', [],
                     id="no-img"),
        pytest.param({}, '{% include_relative missing.html url="/a.png" %}\n', [], id="missing"),
        pytest.param({"docs/photo.html": IMAGE_INCLUDE}, '{% raw %}{% include_relative photo.html url="/a.png" %}{% endraw %}\n', [],
                     id="raw-block"),
    ],
)
def test_jekyll_include_relative_images(tmp_path, monkeypatch, files, body, expected):
    tree(tmp_path, {".git/HEAD": "", "_config.yml": "title: Docs\n", **files, "docs/guide.md": "---\ntitle: Guide\n---\n\n" + body})
    monkeypatch.chdir(tmp_path)
    got = [(im["element"], im["src"], im["alt"]) for im in altbot.scan("docs/guide.md").as_json()["images"]]
    assert got == expected


@pytest.mark.parametrize(
    "files, page, body, expected",
    [
        # Jekyll: Liquid's {% comment %} and kramdown's {::comment} are gone before the page renders
        # (was: their images were reported, and fix wrote into them)
        ({"_config.yml": "title: B\n"}, "_posts/2026-01-01-p.md",
         "{% comment %}\n![](c.png)\n<img src=\"h.png\">\n{% endcomment %}\n{::comment}\n![](k.png)\n{:/comment}\n![](s.png)\n",
         ["s.png"]),
        ({"_config.yml": "title: B\n"}, "about.html", '{%- comment -%}<img src="c.png">{%- endcomment -%}<img src="s.png">\n', ["s.png"]),
        # a comment in a comment is nested, as Liquid parses the tags in it
        ({"_config.yml": "title: B\n"}, "about.html",
         '{% comment %}{% comment %}x{% endcomment %}<img src="c.png">{% endcomment %}<img src="s.png">\n', ["s.png"]),
        # Eleventy: Liquid over Markdown by default; Nunjucks comments where Nunjucks runs
        ({"eleventy.config.js": "export default {};\n"}, "p.md", "{% comment %}![](c.png){% endcomment %}\n\n![](s.png)\n", ["s.png"]),
        ({"eleventy.config.js": 'export const config = { markdownTemplateEngine: "njk" };\n'}, "p.md",
         "{# ![](c.png) #}\n\n![](s.png)\n", ["s.png"]),
        ({"eleventy.config.js": "export default {};\n"}, "p.njk", '{# <img src="c.png"> #}<img src="s.png">\n', ["s.png"]),
        # no change: a comment in {% raw %} is text; Jekyll without front matter runs no Liquid;
        # another engine's comment syntax; kramdown's comment left open; no generator
        ({"_config.yml": "title: B\n"}, "_posts/2026-01-01-p.md", "{% raw %}{% comment %}{% endraw %}\n![](s.png)\n{% raw %}{% endcomment %}{% endraw %}\n",
         ["s.png"]),
        ({"_config.yml": "title: B\n"}, "notes.md", "{% comment %}\n![](c.png)\n{% endcomment %}\n", ["c.png"]),
        ({"eleventy.config.js": "export default {};\n"}, "p.md", "{# ![](c.png) #}\n", ["c.png"]),
        ({"_config.yml": "title: B\n"}, "_posts/2026-01-01-p.md", "{::comment}\n![](c.png)\n", ["c.png"]),
        ({}, "p.md", "{% comment %}\n![](c.png)\n{% endcomment %}\n", ["c.png"]),
    ],
)
def test_template_comments_hide_their_images(tmp_path, monkeypatch, files, page, body, expected):
    front = "---\ntitle: P\n---\n" if page.startswith("_posts/") or page == "about.html" else ""
    tree(tmp_path, {".git/HEAD": "", **files, page: front + body})
    monkeypatch.chdir(tmp_path)
    assert [im["src"] for im in altbot.scan(".").as_json()["images"]] == expected


def test_fix_writes_an_include_relative_alt(tmp_path, monkeypatch):
    tree(tmp_path, {".git/HEAD": "", "_config.yml": "title: Docs\n", "docs/photo.html": IMAGE_INCLUDE,
                    "docs/guide.md": '---\ntitle: Guide\n---\n\n{% include_relative photo.html url="/assets/dock.png" %}\n'})
    described_photo(tmp_path / "assets/dock.png", "The dock at dawn", 1)
    monkeypatch.chdir(tmp_path)
    altbot.plan_fix(".", captioner="metadata", no_cache=True).write()
    assert (tmp_path / "docs/guide.md").read_text().endswith(
        '{% include_relative photo.html url="/assets/dock.png" description="The dock at dawn" %}\n'
    )


@pytest.mark.parametrize(
    "config, expected",
    [
        # kramdown's default: an HTML block is raw to its end tag (Python-Markdown's reading too)
        pytest.param("title: Blog\n", ["b.png"], id="kramdown-default"),
        # parse_block_html reads every HTML block's content as Markdown, as markdown="1" does: not raw
        pytest.param("kramdown:\n  parse_block_html: true\n", ["a.png", "b.png"], id="parse-block-html"),
        # no change: another Markdown engine reads CommonMark
        pytest.param("markdown: CommonMarkGhPages\n", ["a.png"], id="commonmark"),
    ],
)
def test_jekyll_kramdown_html_blocks(tmp_path, monkeypatch, config, expected):
    page = '---\ntitle: P\n---\n<div align="center">\n\n![](a.png)\n\n</div>\n<p>x</p>\n![](b.png)\n'
    tree(tmp_path, {".git/HEAD": "", "_config.yml": config, "_posts/2026-01-01-p.md": page})
    monkeypatch.chdir(tmp_path)
    assert [im["src"] for im in altbot.scan(".").as_json()["images"]] == expected


POSITIONAL_SHORTCODE = '<img src="{{ .Get 0 | relURL }}"{{ with .Get 1 }} alt="{{ . }}"{{ end }}>\n'


@pytest.mark.parametrize(
    "page, expected",
    [
        # a shortcode whose template reads positional parameters (.Get 0, .Get 1)
        ('{{< pic "/a.png" >}}\n', [("pic", "/a.png", None)]),
        ('{{< pic "/a.png" "A boat" >}}\n', [("pic", "/a.png", "A boat")]),
        ("{{< pic `/a.png` `A \"boat\"` >}}\n", [("pic", "/a.png", 'A "boat"')]),
        # no parameter: an image with no src (as a figure without one)
        ("{{< pic >}}\n", [("pic", None, None)]),
    ],
)
def test_hugo_positional_image_shortcodes(tmp_path, monkeypatch, page, expected):
    tree(tmp_path, {".git/HEAD": "", "hugo.toml": "", "layouts/shortcodes/pic.html": POSITIONAL_SHORTCODE, "content/p.md": page})
    monkeypatch.chdir(tmp_path)
    assert [(im["element"], im["src"], im["alt"]) for im in altbot.scan("content").as_json()["images"]] == expected


def test_fix_appends_a_positional_alt(tmp_path, monkeypatch):
    tree(tmp_path, {".git/HEAD": "", "hugo.toml": "", "layouts/shortcodes/pic.html": POSITIONAL_SHORTCODE,
                    "content/p.md": '{{< pic "/boat.png" >}}\n'})
    described_photo(tmp_path / "static/boat.png", "A fishing boat at the quay", 1)
    monkeypatch.chdir(tmp_path)
    altbot.plan_fix(".", captioner="metadata", no_cache=True).write()
    assert (tmp_path / "content/p.md").read_text() == '{{< pic "/boat.png" "A fishing boat at the quay" >}}\n'


MM_POST = """---
title: Nets
gallery:
  - url: /assets/images/net-1.jpg
    image_path: /assets/images/net-1-th.jpg
    alt: "Nets drying on the quay"
  - url: /assets/images/net-2.jpg
    image_path: /assets/images/net-2-th.jpg
harbour:
  - image_path: /assets/images/h-th.jpg
---

After the storm.
"""


@pytest.mark.parametrize(
    "config, call, expected",
    [
        # Minimal Mistakes' gallery include shows the page's `gallery` items, each image_path with
        # its alt (was: not read, so an item without alt was never checked)
        pytest.param(MM, '{% include gallery caption="Nets." %}\n',
                     [("/assets/images/net-1-th.jpg", "Nets drying on the quay"), ("/assets/images/net-2-th.jpg", None)],
                     id="gallery"),
        pytest.param(MM, '{% include gallery id="harbour" %}\n', [("/assets/images/h-th.jpg", None)], id="gallery-by-id"),
        # no change: a page that does not call the include shows no gallery; another theme
        pytest.param(MM, "", [], id="no-include-call"),
        pytest.param({"_config.yml": "theme: minima\n"}, "{% include gallery %}\n", [], id="another-theme"),
    ],
)
def test_minimal_mistakes_gallery(tmp_path, monkeypatch, config, call, expected):
    tree(tmp_path, {".git/HEAD": "", **config, "_posts/2026-06-02-nets.md": MM_POST + call})
    monkeypatch.chdir(tmp_path)
    got = [(im["src"], im["alt"]) for im in altbot.scan("_posts").as_json()["images"]]
    assert got == expected


def test_fix_writes_a_gallery_items_alt(tmp_path, monkeypatch):
    post = MM_POST.replace("net-2-th.jpg", "net-2-th.png")
    tree(tmp_path, {".git/HEAD": "", **MM, "_posts/2026-06-02-nets.md": post + "{% include gallery %}\n"})
    described_photo(tmp_path / "assets/images/net-2-th.png", "Nets piled by the boat shed", 1)
    monkeypatch.chdir(tmp_path)
    altbot.plan_fix(".", captioner="metadata", no_cache=True).write()
    text = (tmp_path / "_posts/2026-06-02-nets.md").read_text()
    assert text == post.replace("net-2-th.png\n", "net-2-th.png\n    alt: Nets piled by the boat shed\n") + "{% include gallery %}\n"


@pytest.mark.parametrize(
    "tag, where",
    [
        ("<IdealImage img={require('./img/dock.png')} />", "docs/img/dock.png"),
        ("<ThemedImage sources={{ light: useBaseUrl('/img/dock.png'), dark: useBaseUrl('/img/dock-dark.png') }} />",
         "static/img/dock.png"),
    ],
)
def test_fix_captions_docusaurus_image_components(tmp_path, monkeypatch, tag, where):
    script = "import IdealImage from '@theme/IdealImage';\nimport ThemedImage from '@theme/ThemedImage';\nimport useBaseUrl from '@docusaurus/useBaseUrl';\n"
    page = f"{script}\n# Dock\n\n{tag}\n"
    tree(tmp_path, {".git/HEAD": "", "docusaurus.config.js": "module.exports = { baseUrl: '/' };\n", "docs/dock.mdx": page})
    described_photo(tmp_path / where, "The harbour dock at dawn", 1)
    monkeypatch.chdir(tmp_path)
    altbot.plan_fix(".", captioner="metadata", no_cache=True).write()
    assert (tmp_path / "docs/dock.mdx").read_text() == page.replace(" />\n", ' alt="The harbour dock at dawn" />\n')
