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
    ],
)
def test_an_image_button_in_jsx_is_an_image(kind, tag, expected):
    text = f"Text\n\n{tag}\n"
    result = parse_source(SourceFile("p", "/p", kind, text.encode(), text, "utf-8"))
    assert result.errors == []
    got = [(im.element, im.src, im.control, im.name) for im in result.images]
    assert got == ([expected] if expected else [])
