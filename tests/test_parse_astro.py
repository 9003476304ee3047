"""Astro components and pages: the template's images, as the JSX scanner reads MDX's, and
nothing in the component script, HTML comments, <script> or <style> (altbot.parse.astro).
Before this, .astro files were not read at all: every row that finds an image is new."""

from __future__ import annotations

import pytest

import altbot
from altbot.model import Kind, SourceFile, Syntax
from altbot.parse import parse_source
from tests.conftest import described_photo

SCRIPT = "---\nimport { Image } from 'astro:assets';\nimport hero from '../assets/hero.png';\nconst s = '<img src=\"in-script.png\">';\n---\n"


def found(text: str):
    result = parse_source(SourceFile("src/pages/p.astro", "/p.astro", Kind.ASTRO, text.encode(), text, "utf-8"))
    assert result.errors == [], result.errors
    out = []
    for im in result.images:
        assert im.syntax is Syntax.JSX
        out.append((im.element, im.src, im.ignored, im.src_resolved, text[im.element_span.start : im.element_span.end]))
    return out


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(SCRIPT + "<Image src={hero} />\n", [("Image", "{hero}", False, "../assets/hero.png", "<Image src={hero} />")],
                     id="script-import-resolves-the-image"),
        pytest.param(SCRIPT + '<img src="/a.png">\n<p>x</p>\n', [("img", "/a.png", False, None, '<img src="/a.png">')],
                     id="unclosed-img-as-html-allows"),
        # unquoted attribute values, as HTML allows (was: "could not read the <img> tag")
        pytest.param('<img src=/u.png loading=lazy>\n<img src="/v.png" alt=hello>\n',
                     [("img", "/u.png", False, None, "<img src=/u.png loading=lazy>"),
                      ("img", "/v.png", False, None, '<img src="/v.png" alt=hello>')], id="unquoted-values"),
        pytest.param("---\nconst items = [];\n---\n<ul>{items.map((i) => <li><img src={i.src} /></li>)}</ul>\n",
                     [("img", "{i.src}", False, None, "<img src={i.src} />")], id="image-in-an-expression"),
        pytest.param('<img src="/no-script.png" alt="A cat" />\n', [("img", "/no-script.png", False, None, '<img src="/no-script.png" alt="A cat" />')],
                     id="no-script-fence"),
        pytest.param(SCRIPT + '<!-- altbot-ignore -->\n<img src="/b.png" />\n<img src="/c.png" />\n',
                     [("img", "/b.png", True, None, '<img src="/b.png" />'), ("img", "/c.png", False, None, '<img src="/c.png" />')],
                     id="html-ignore-comment"),
        pytest.param(SCRIPT + '{/* altbot-ignore */}\n<img src="/b.png" />\n', [("img", "/b.png", True, None, '<img src="/b.png" />')],
                     id="jsx-ignore-comment"),
        pytest.param('<!-- altbot-ignore-file -->\n<img src="/b.png" />\n', [("img", "/b.png", True, None, '<img src="/b.png" />')],
                     id="ignore-file"),
        # nothing: the script, comments, <script> and <style> hold no markup
        pytest.param(SCRIPT + "<p>Hi</p>\n", [], id="string-in-the-script"),
        pytest.param('<!-- <img src="c.png"> -->\n<p>Hi</p>\n', [], id="html-comment"),
        pytest.param("<script>\n  el.innerHTML = '<img src=\"s.png\">';\n</script>\n", [], id="script-body"),
        pytest.param('<style>\n  .a::after { content: "<img src=t.png>" }\n</style>\n', [], id="style-body"),
        pytest.param("<script is:inline>const a = '<!--';</script>\n<img src=\"/d.png\" />\n",
                     [("img", "/d.png", False, None, '<img src="/d.png" />')], id="comment-opener-inside-a-script-no-change"),
        # no change: a "---" line later in the template is text; an unclosed fence reads as template
        pytest.param('<p>a</p>\n---\n<img src="/e.png" />\n', [("img", "/e.png", False, None, '<img src="/e.png" />')],
                     id="dashes-in-the-template"),
    ],
)
def test_astro_templates(text, expected):
    assert found(text) == expected


def test_fix_writes_alt_into_an_astro_template_in_place(tmp_path, monkeypatch):
    page = SCRIPT + '<Layout>\n  <Image src={hero} width={800} />\n  <img src=/logo.png>\n  <img src=/logo.png alt=IMG_0001.jpg>\n</Layout>\n'
    (tmp_path / ".git").mkdir()
    (tmp_path / "src" / "pages").mkdir(parents=True)
    (tmp_path / "src" / "pages" / "index.astro").write_text(page)
    described_photo(tmp_path / "src" / "assets" / "hero.png", "A lighthouse at dusk", 1)
    described_photo(tmp_path / "public" / "logo.png", "Harbour Tours", 2)
    monkeypatch.chdir(tmp_path)
    findings = altbot.check(".").as_json()["findings"]
    assert [(f["path"], f["line"], f["rule"]) for f in findings] == [
        ("src/pages/index.astro", 7, "missing-alt"),
        ("src/pages/index.astro", 8, "missing-alt"),
        ("src/pages/index.astro", 9, "suspicious-alt"),
    ]
    altbot.plan_fix(".", captioner="metadata", no_cache=True, replace_suspicious=True).write()
    assert (tmp_path / "src" / "pages" / "index.astro").read_text() == page.replace(
        "<Image src={hero} width", '<Image src={hero} alt="A lighthouse at dusk" width'
    ).replace("<img src=/logo.png>", '<img src=/logo.png alt="Harbour Tours">').replace(
        "alt=IMG_0001.jpg>", 'alt="Harbour Tours">'  # an unquoted value is written back quoted
    )


def test_astro_files_are_read_by_default_and_the_extensions_list_can_leave_them_out(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.astro").write_text('<img src="/a.png" />\n')
    (tmp_path / "b.html").write_text('<html lang="en"><img src="/b.png"></html>\n')
    monkeypatch.chdir(tmp_path)
    assert sorted(f["path"] for f in altbot.check(".").as_json()["findings"]) == ["a.astro", "b.html"]
    (tmp_path / ".altbot.toml").write_text('extensions = [".html"]\n')
    assert [f["path"] for f in altbot.check(".").as_json()["findings"]] == ["b.html"]  # no change


@pytest.mark.parametrize("kind", [Kind.ASTRO, Kind.MDX])
@pytest.mark.parametrize(
    "tag, expected",
    [
        # an image button is an image, as in HTML (was: not read in JSX)
        ('<input type="image" src="/go.png" />', ("input", "/go.png", True, None)),
        ('<input type={"image"} src="/go.png" title="Search" />', ("input", "/go.png", True, "Search")),
        ('<input type="IMAGE" src="/go.png" alt="Send" />', ("input", "/go.png", True, None)),
        # no change: any other input is none
        ('<input type="text" name="q" />', None),
        ('<input type=" image" src="/go.png" />', None),  # an enumerated value: " image" is none
        ('<input src="/go.png" />', None),
        # an image map's area with an href is a link, named by its alt, as in HTML (was: not read)
        ('<map name="m"><area shape="rect" coords="0,0,9,9" href="/a" /></map>', ("area", None, True, None)),
        ('<map name="m"><area href={"/a"} title="Harbour" /></map>', ("area", None, True, "Harbour")),
        ('<map name="m"><area href="/a" alt="Harbour" /></map>', ("area", None, True, None)),
        # no change: an area without href is no link, and no image
        ('<map name="m"><area shape="rect" coords="0,0,9,9" /></map>', None),
    ],
)
def test_an_image_button_in_jsx_is_an_image(kind, tag, expected):
    text = f"Text\n\n{tag}\n"
    result = parse_source(SourceFile("p", "/p", kind, text.encode(), text, "utf-8"))
    assert result.errors == []
    got = [(im.element, im.src, im.control, im.name) for im in result.images]
    assert got == ([expected] if expected else [])


def _where(kind: Kind, text: str):
    name = "p.astro" if kind is Kind.ASTRO else "p.mdx"
    result = parse_source(SourceFile(name, "/" + name, kind, text.encode(), text, "utf-8"))
    assert result.errors == [], result.errors
    return [(im.src, im.hidden, im.lang) for im in result.images]


@pytest.mark.parametrize("kind", [Kind.ASTRO, Kind.MDX])
@pytest.mark.parametrize(
    "text, expected",
    [
        # an ancestor element's aria-hidden/hidden hides its images, and its lang is theirs, as
        # in HTML (was: neither read, so a hidden image was reported and captioned in the page's language)
        pytest.param('<div aria-hidden="true">\n\n<img src="/a.png" />\n\n</div>\n', [("/a.png", "aria-hidden", None)],
                     id="aria-hidden-ancestor"),
        pytest.param('<div lang="fr">\n\n<img src="/a.png" />\n\n</div>\n\n<img src="/b.png" />\n',
                     [("/a.png", None, "fr"), ("/b.png", None, None)], id="lang-ancestor-then-outside"),
        pytest.param('<section lang="fr"><p lang="de"><img src="/a.png" /></p><img src="/b.png" /></section>\n',
                     [("/a.png", None, "de"), ("/b.png", None, "fr")], id="innermost-lang"),
        pytest.param('<div hidden><figure><img src="/a.png" /></figure></div>\n', [("/a.png", "hidden", None)],
                     id="hidden-grandparent"),
        pytest.param('<div lang="fr">{items.map((i) => <span aria-hidden="true"><img src={i} /></span>)}</div>\n',
                     [("{i}", "aria-hidden", "fr")], id="in-an-expression"),
        pytest.param('<div lang={"fr"}><img src="/a.png" /></div>\n', [("/a.png", None, "fr")], id="literal-lang-expression"),
        # no change: the image's own lang wins; a component's props are no HTML attributes; an
        # element closed before the image, or closed by itself, is none of its ancestors
        pytest.param('<div lang="fr"><img lang="es" src="/a.png" /></div>\n', [("/a.png", None, "es")], id="own-lang-wins"),
        pytest.param('<Card lang="fr" hidden><img src="/a.png" /></Card>\n', [("/a.png", None, None)], id="component-props"),
        pytest.param('<div hidden></div>\n<img src="/a.png" />\n', [("/a.png", None, None)], id="closed-before"),
        pytest.param('<div lang="fr" />\n<img src="/a.png" />\n', [("/a.png", None, None)], id="self-closing"),
        pytest.param('<div hidden={false}><img src="/a.png" /></div>\n', [("/a.png", None, None)], id="hidden-false"),
        pytest.param('<div aria-hidden="false"><img src="/a.png" /></div>\n', [("/a.png", None, None)], id="aria-hidden-false"),
        pytest.param('<div lang={locale}><img src="/a.png" /></div>\n', [("/a.png", None, None)], id="dynamic-lang"),
        pytest.param('<div lang="fr"><span></div>\n<img src="/b.png" />\n', [("/b.png", None, None)], id="close-pops-unclosed-child"),
        pytest.param('<div lang="fr"><p>a</p><img src="/a.png" /></div>\n', [("/a.png", None, "fr")], id="after-a-closed-sibling"),
    ],
)
def test_an_ancestor_hides_its_images_and_gives_them_its_language(kind, text, expected):
    assert _where(kind, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # MDX: a JSX element's hidden state and language reach the Markdown images inside it
        ('<div lang="fr">\n\n![](a.png)\n\n</div>\n\n![](b.png)\n', [("a.png", None, "fr"), ("b.png", None, None)]),
        ('<div aria-hidden="true">\n\n![](a.png)\n\n</div>\n', [("a.png", "aria-hidden", None)]),
        # no change: a closing tag in code is text, the element stays open
        ('<div lang="fr">\n\n`</div>`\n\n![](a.png)\n\n</div>\n', [("a.png", None, "fr")]),
        ('---\nlang: de\n---\n\n![](a.png)\n', [("a.png", None, "de")]),
    ],
)
def test_mdx_markdown_images_take_their_jsx_ancestors_state(text, expected):
    assert _where(Kind.MDX, text) == expected


def test_an_astro_pages_html_lang_is_its_language(tmp_path, monkeypatch):
    text = '---\nconst t = "Accueil";\n---\n<html lang="fr">\n<body>\n<img src="/port.png" />\n</body>\n</html>\n'
    result = parse_source(SourceFile("p.astro", "/p.astro", Kind.ASTRO, text.encode(), text, "utf-8"))
    assert (result.lang, result.lang_source) == ("fr", "lang-attribute")
    assert [(im.lang, im.lang_source) for im in result.images] == [("fr", "lang-attribute")]
    # no change: a layout's lang={...} is no literal; the page has none of its own
    text2 = text.replace('lang="fr"', "lang={Astro.currentLocale}")
    result2 = parse_source(SourceFile("p.astro", "/p.astro", Kind.ASTRO, text2.encode(), text2, "utf-8"))
    assert result2.lang is None and [im.lang for im in result2.images] == [None]


@pytest.mark.parametrize(
    "kind, script, tag, expected",
    [
        # a component imported from a module whose components render an <img> is an image, whatever
        # its local name (was: only the names in `components`, so these were never checked)
        (Kind.MDX, "import ThemedImage from '@theme/ThemedImage';",
         "<ThemedImage sources={{ light: '/img/l.png', dark: '/img/d.png' }} />", ["ThemedImage"]),
        (Kind.MDX, "import Image from '@theme/IdealImage';", "<Image img={require('./a.png')} />", ["Image"]),
        (Kind.MDX, "import IdealImage from '@theme/IdealImage';", "<IdealImage img={require('./a.png')} />", ["IdealImage"]),
        (Kind.ASTRO, "import { Image as Img, Picture } from 'astro:assets';", '<Img src={hero} /><Picture src={hero} />',
         ["Img", "Picture"]),
        (Kind.MDX, "import { StaticImage } from 'gatsby-plugin-image';", '<StaticImage src="../a.png" />', ["StaticImage"]),
        (Kind.MDX, "import NextImage from 'next/image';", '<NextImage src="/a.png" width={3} height={2} />', ["NextImage"]),
        # no change: a local component of that name, an import of another name, or with its alt
        (Kind.MDX, "import ThemedImage from './ThemedImage';", "<ThemedImage sources={{}} />", []),
        (Kind.ASTRO, "import { getImage } from 'astro:assets';", "<Card />", []),
        (Kind.MDX, "import ThemedImage from '@theme/ThemedImage';", '<ThemedImage sources={{}} alt="Our logo" />', ["ThemedImage"]),
    ],
)
def test_components_imported_from_image_modules_are_images(kind, script, tag, expected):
    if kind is Kind.ASTRO:
        text, name = f"---\n{script}\n---\n{tag}\n", "p.astro"
    else:
        text, name = f"{script}\n\n# Page\n\n{tag}\n", "p.mdx"
    result = parse_source(SourceFile(name, "/" + name, kind, text.encode(), text, "utf-8"))
    assert result.errors == []
    assert [im.element for im in result.images] == expected


@pytest.mark.parametrize("kind", [Kind.ASTRO, Kind.MDX])
@pytest.mark.parametrize(
    "text, expected",
    [
        # aria-labelledby names the image with the text of the element of that id, where the file
        # holds it as plain text (was: the id itself was taken as the name)
        pytest.param('<figure><img src="/a.png" aria-labelledby="cap" /><figcaption id="cap">Tide chart, May</figcaption></figure>\n',
                     ("Tide chart, May", "aria-labelledby"), id="figcaption"),
        pytest.param('<p id="a">High</p>\n<p id="b">tide</p>\n<img src="/a.png" aria-labelledby="a b" />\n',
                     ("High tide", "aria-labelledby"), id="two-ids-in-order"),
        pytest.param('<span id="e"></span><img src="/a.png" aria-labelledby="e" title="Harbour" />\n',
                     ("Harbour", "title"), id="empty-target-then-title"),
        pytest.param('<span id="e">  </span><img src="/a.png" aria-labelledby="e" />\n', (None, None), id="empty-target-no-name"),
        pytest.param('<span id="e" /><img src="/a.png" aria-labelledby="e" />\n', (None, None), id="self-closing-target"),
        pytest.param('{ok && <b id="t">Map</b>}<img src="/a.png" aria-labelledby="t" />\n', ("Map", "aria-labelledby"),
                     id="target-in-an-expression"),
        # no change: an id the file does not hold (a component may render it), or a target whose
        # content is not plain text, keeps the reference as the name
        pytest.param('<img src="/a.png" aria-labelledby="elsewhere" />\n', ("elsewhere", "aria-labelledby"), id="not-in-file"),
        pytest.param('<p id="c">{caption}</p><img src="/a.png" aria-labelledby="c" />\n', ("c", "aria-labelledby"),
                     id="dynamic-target"),
        pytest.param('<p id={c}>Map</p><img src="/a.png" aria-labelledby="c" />\n', ("c", "aria-labelledby"),
                     id="dynamic-id"),
        pytest.param('<Caption id="c">Map</Caption><img src="/a.png" aria-labelledby="c" />\n', ("c", "aria-labelledby"),
                     id="component-id-prop"),
        pytest.param('<p id="c">A <Term>chart</Term></p><img src="/a.png" aria-labelledby="c" />\n', ("c", "aria-labelledby"),
                     id="markup-in-target"),
    ],
)
def test_jsx_aria_labelledby_reads_the_target_in_the_file(kind, text, expected):
    result = parse_source(SourceFile("p", "/p", kind, text.encode(), text, "utf-8"))
    assert result.errors == []
    [im] = result.images
    assert (im.name, im.name_source) == expected


def test_jsx_aria_labelledby_names_the_first_element_of_an_id():
    text = '<div id="a">Outer <span id="a">inner</span></div><img src="/a.png" aria-labelledby="a" />\n'
    [im] = parse_source(SourceFile("p.mdx", "/p.mdx", Kind.MDX, text.encode(), text, "utf-8")).images
    assert (im.name, im.name_source) == ("a", "aria-labelledby")  # the outer one, holding markup: kept as is
    text = '<p id="a">First</p><p id="a">Second</p><img src="/a.png" aria-labelledby="a" />\n'
    [im] = parse_source(SourceFile("p.mdx", "/p.mdx", Kind.MDX, text.encode(), text, "utf-8")).images
    assert im.name == "First"


@pytest.mark.parametrize(
    "tag, expected",
    [
        # Docusaurus' image components name their file in another prop (was: no src, so fix skipped them)
        ("<IdealImage img={require('./img/dock.png')} />", ("{require('./img/dock.png')}", "./img/dock.png")),
        ("<IdealImage img={require('./img/dock.png').default} />", ("{require('./img/dock.png').default}", "./img/dock.png")),
        ("<ThemedImage sources={{ light: useBaseUrl('/img/light.png'), dark: useBaseUrl('/img/dark.png') }} />",
         ("{{ light: useBaseUrl('/img/light.png'), dark: useBaseUrl('/img/dark.png') }}", "/img/light.png")),
        ("<ThemedImage sources={{ light: '/img/light.png', dark: '/img/dark.png' }} />",
         ("{{ light: '/img/light.png', dark: '/img/dark.png' }}", "/img/light.png")),
        # no change: a src of its own wins; a light source only known at build time stays open
        ("<IdealImage src=\"/img/own.png\" img={require('./img/dock.png')} />", ("/img/own.png", None)),
        ("<ThemedImage sources={{ light: lightSrc, dark: darkSrc }} />", ("{{ light: lightSrc, dark: darkSrc }}", None)),
    ],
)
def test_docusaurus_image_components_name_their_file(tag, expected):
    script = "import IdealImage from '@theme/IdealImage';\nimport ThemedImage from '@theme/ThemedImage';\n"
    text = f"{script}\n# Page\n\n{tag}\n"
    [im] = parse_source(SourceFile("p.mdx", "/p.mdx", Kind.MDX, text.encode(), text, "utf-8")).images
    assert (im.src, im.src_resolved) == expected
