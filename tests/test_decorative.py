"""Tests for altbot.decorative: each signal, the hard rules, the combination, the parsers' context."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PILImage
from PIL import ImageDraw

from altbot import decorative as dec
from altbot.caption.pixels import open_image
from altbot.images import ImageData, content_key
from altbot.model import LineIndex
from altbot.outcome import Caption
from altbot.parse.html import parse_html
from altbot.parse.markdown import parse_markdown
from tests.conftest import context_dict

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "tests" / "data" / "decorative"


def html_img(markup: str, src: str | None = None):
    images = parse_html(markup, "p.html").images
    if src is not None:
        images = [i for i in images if i.src == src]
    assert len(images) == 1, images
    return images[0]


def md_img(markup: str, src: str | None = None):
    images = parse_markdown(markup, "p.md", LineIndex(markup)).images
    if src is not None:
        images = [i for i in images if i.src == src]
    assert len(images) == 1, images
    return images[0]


def names(signals) -> list[str]:
    return [s.name for s in signals]


def png_data(im: PILImage.Image, name: str = "x.png") -> ImageData:
    import io

    buf = io.BytesIO()
    im.save(buf, "PNG")
    data = buf.getvalue()
    return ImageData(content_key(data), data, name, None, name)


# ---------------------------------------------------------------- parser context


HTML_CONTEXT = [
    pytest.param('<a href="/" title="Home page"><img src="logo.png"></a>',
                 {"in_link": "1", "link_href": "/", "link_title": "Home page", "link_only_image": "1"},
                 ["link_text", "adjacent_text"], id="link-only-image"),
    pytest.param('<p>Go <a href="/h"><img src="i.png" alt=""> <b>Home</b></a> now</p>',
                 {"in_link": "1", "link_href": "/h", "link_text": "Home", "adjacent_text": "Go Home now"},
                 ["link_only_image"], id="link-with-text"),
    pytest.param('<a href="/x"><img src="i.png" alt="Own alt"></a>',
                 {"link_only_image": "1"}, ["link_text"], id="own-alt-not-link-text"),
    pytest.param('<a href="/"><img src="a.png" alt="Home"><img src="i.png"></a>',
                 {"in_link": "1"}, ["link_only_image", "link_text"], id="other-image-with-alt"),
    pytest.param('<a href="/"><img src="a.png" alt=""><img src="i.png"></a>',
                 {"link_only_image": "1"}, [], id="other-image-without-alt"),
    pytest.param('<a href="/" aria-label="Home"><img src="i.png"></a>',
                 {"link_label": "Home", "link_only_image": "1"}, [], id="link-aria-label"),
    pytest.param('<button type="submit"><img src="i.png"></button>',
                 {"in_button": "1", "button_only_image": "1"}, ["in_link"], id="button-only-image"),
    pytest.param('<button><img src="i.png"> Send</button>',
                 {"in_button": "1", "link_text": "Send"}, ["button_only_image"], id="button-with-text"),
    pytest.param('<a href="/"><span><img src="i.png"></span></a> Home',
                 {"link_only_image": "1"}, [], id="text-after-the-link-is-not-link-text"),
    pytest.param('<figure><img src="i.png"><figcaption>A <em>bar</em> chart</figcaption></figure>',
                 {"figcaption": "A bar chart"}, ["in_link"], id="figcaption-after"),
    pytest.param('<figure><figcaption id="c">First</figcaption><div><img src="i.png"></div></figure>',
                 {"figcaption": "First"}, [], id="figcaption-before"),
    pytest.param('<figure><img src="i.png"></figure><figcaption>Stray</figcaption>',
                 {}, ["figcaption"], id="figcaption-outside-figure"),
    pytest.param('<p>Call <img src="i.png"> 555 &amp; co<br>next line</p>',
                 {"adjacent_text": "Call 555 & co"}, [], id="adjacent-stops-at-br"),
    pytest.param('<div><img src="i.png"><p>A tiger resting</p><p>Second</p></div>',
                 {"adjacent_text": "A tiger resting"}, [], id="adjacent-enters-one-sibling-block"),
    pytest.param('<ul><li>x</li></ul><img src="i.png"><script>var t = 1</script>',
                 {}, ["adjacent_text"], id="adjacent-none"),
    pytest.param('<p>Hi {{ .Name }} <img src="i.png"></p>', {"adjacent_text": "Hi"}, [], id="adjacent-no-templates"),
    pytest.param('<p>Text <img src="i.png" alt="A cat"></p>', {}, ["adjacent_text"], id="adjacent-only-without-alt"),
    pytest.param('<p>Text <img src="i.png" aria-hidden="true"></p>', {}, ["adjacent_text"], id="adjacent-not-hidden"),
]


@pytest.mark.parametrize(("markup", "want", "absent"), HTML_CONTEXT)
def test_html_context(markup, want, absent):
    extra = context_dict(html_img(markup, "i.png" if "i.png" in markup else None))
    for k, v in want.items():
        assert extra.get(k) == v, (k, extra)
    for k in absent:
        assert k not in extra, (k, extra)


def test_html_context_link_text_is_resolved_at_finish():
    # the link closes after the image: its text is only known when it closes
    img = html_img('<a href="/docs"><img src="i.png"><span>Documentation</span></a>')
    assert context_dict(img)["link_text"] == "Documentation"


def test_html_context_unclosed_link_runs_to_the_end():
    img = html_img('<a href="/x"><img src="i.png"> tail text')
    assert context_dict(img)["link_text"] == "tail text"


def test_html_context_across_feed_ranges():
    from altbot.parse.html import HtmlScanner

    text = '<a href="/a">' + "MD TEXT" + '<img src="i.png"></a>'
    scanner = HtmlScanner(text, "p.md", LineIndex(text))
    scanner.feed(0, 13)
    scanner.feed(20, len(text))
    [img] = scanner.finish().images
    extra = context_dict(img)
    assert extra["in_link"] == "1" and extra["link_href"] == "/a"


def test_html_template_hint_and_context_together():
    img = html_img('<a href="/"><img src="{{ .S }}" {{ if .A }}alt="x"{{ end }}></a>')
    assert img.hints.template_in_tag
    assert img.context.in_link


MD_CONTEXT = [
    pytest.param("[![](icon.png) Home](/)", "icon.png",
                 {"in_link": "1", "link_href": "/", "link_text": "Home"}, ["link_only_image"], id="icon-in-text-link"),
    pytest.param('[![](logo.png)](/ "Start")', "logo.png",
                 {"in_link": "1", "link_href": "/", "link_title": "Start", "link_only_image": "1"}, ["link_text"],
                 id="logo-only-content"),
    pytest.param("[![Docs](logo.png)](/)", "logo.png", {"link_only_image": "1"}, [], id="own-alt"),
    pytest.param("[![](a.png) ![Home](b.png)](/)", "a.png", {"in_link": "1"}, ["link_only_image"],
                 id="other-image-with-alt"),
    pytest.param("[`code` ![](a.png)](/)", "a.png", {"link_text": "code"}, [], id="code-span-is-text"),
    pytest.param("Call us ![](phone.png) at *555*", "phone.png", {"adjacent_text": "Call us at 555"},
                 ["in_link"], id="adjacent"),
    pytest.param("Text ![A cat](cat.png) more", "cat.png", {}, ["adjacent_text"], id="no-adjacent-with-alt"),
    pytest.param("![](a.png)", "a.png", {}, ["adjacent_text", "in_link"], id="alone"),
    pytest.param("x\\*y &amp; ![](z.png) tail", "z.png", {"adjacent_text": "x*y & tail"}, [],
                 id="escape-and-entity-counted-once"),
    pytest.param("[a\\*b &lt; ![](z.png)](/)", "z.png", {"link_text": "a*b <"}, [],
                 id="link-text-escape-counted-once"),
]


@pytest.mark.parametrize(("markup", "src", "want", "absent"), MD_CONTEXT)
def test_markdown_context(markup, src, want, absent):
    extra = context_dict(md_img(markup, src))
    for k, v in want.items():
        assert extra.get(k) == v, (k, extra)
    for k in absent:
        assert k not in extra, (k, extra)


def test_markdown_context_beside_reference_hints():
    img = md_img("[![][i]](/)\n\n[i]: icon.png")
    assert (img.hints.ref, img.hints.ref_kind) == ("i", "full")
    assert context_dict(img)["link_only_image"] == "1"


def test_markdown_raw_html_link_context():
    img = md_img('Text <a href="/"><img src="i.png"></a>')
    assert context_dict(img)["link_only_image"] == "1"


# ---------------------------------------------------------------- markup signals

ROLE_CASES = [
    ('<img src="x.png" role="presentation">', ["role-presentation"]),
    ('<img src="x.png" role="none">', ["role-presentation"]),
    ('<img src="x.png" role="presentation" aria-label="x">', []),  # conflict: the role is ignored
    ('<img src="x.png" aria-hidden="true">', ["aria-hidden"]),
    ('<div aria-hidden="true"><img src="x.png"></div>', ["aria-hidden"]),
    ('<img src="x.png" hidden>', ["hidden"]),
    ('<img src="x.png" style="display:none">', ["hidden"]),
    ('<img src="x.png">', []),
]


@pytest.mark.parametrize(("markup", "want"), ROLE_CASES)
def test_role_signals(markup, want):
    assert names(dec.role_signals(html_img(markup))) == want


LINK_CASES = [
    ('<a href="/"><img src="x.png"> Home</a>', ["link-has-text"]),
    ('<button><img src="x.png">Save</button>', ["link-has-text"]),
    ('<a href="/" aria-label="Home"><img src="x.png"></a>', ["link-has-text"]),
    ('<a href="/"><img src="x.png"></a>', []),
    ('<p>Home <img src="x.png"></p>', []),
]


@pytest.mark.parametrize(("markup", "want"), LINK_CASES)
def test_link_text_signals(markup, want):
    assert names(dec.link_text_signals(html_img(markup))) == want


REDUNDANCY_CASES = [
    ('<div><img src="tiger-resting.jpg"><p>A tiger resting in the shade</p></div>', None,
     [("redundant-adjacent_text", dec.W_REDUNDANT_TEXT)]),
    ('<p><img src="phone-icon.png"> Phone: 555</p>', None, [("redundant-adjacent_text", dec.W_REDUNDANT_WORD)]),
    ('<p>Our business address <img src="business-card-front.png"></p>', None, []),  # 1 of 3 name words
    ('<p>Scan to save our contact <img src="qr-contact.png"></p>', None,
     [("redundant-adjacent_text", dec.W_REDUNDANT_WORD)]),  # "qr" is too short to count: 1 of 1
    ('<p>Some text <img src="IMG_2041.jpg"></p>', None, []),
    ('<figure><img src="dusk.jpg"><figcaption>Tower Bridge at dusk</figcaption></figure>', None,
     [("redundant-figcaption", dec.W_REDUNDANT_WORD)]),
    ('<figure><img src="f.jpg"><figcaption>Figure 2: visitors</figcaption></figure>', None,
     [("in-figure", dec.W_IN_FIGURE)]),
    ('<figure><img src="a.jpg"><figcaption>Tower Bridge at dusk</figcaption></figure>',
     Caption("Tower Bridge at dusk over the river", 0.9, "test"), [("redundant-figcaption", dec.W_REDUNDANT_TEXT)]),
    ('<p>Our new office <img src="a.jpg"></p>', Caption("a red bicycle", 0.9, "test"), []),
]


@pytest.mark.parametrize(("markup", "caption", "want"), REDUNDANCY_CASES)
def test_redundancy_signals(markup, caption, want):
    got = [(s.name, s.weight) for s in dec.redundancy_signals(html_img(markup), caption)]
    assert got == want


NAME_CASES = [
    ('<img src="/img/hrDivider_2x.png">', ["decorative-name"], "file name says hr"),
    ('<img src="spacer.gif">', ["decorative-name"], "file name says spacer"),
    ('<img src="bg-paper.png">', ["decorative-name"], "file name says bg"),
    ('<img src="x.png" class="page-border shadowed">', ["decorative-name"], "class says border"),
    ('<img src="x.png" id="topOrnament">', ["decorative-name"], "id says ornament"),
    ('<img src="section_separator.svg">', ["decorative-name"], "file name says separator"),
    ('<img src="rulebook.png">', [], None),  # whole tokens only
    ('<img src="bgcolor-chart.png">', ["informative-name"], "file name says chart"),
    ('<img src="background.png" class="chart">', ["decorative-name", "informative-name"], "file name says background"),
    ('<img src="sales-chart.png">', ["informative-name"], "file name says chart"),
    ('<img src="IMG_2041.jpg">', [], None),
]


@pytest.mark.parametrize(("markup", "want", "reason"), NAME_CASES)
def test_name_signals(markup, want, reason):
    sig = dec.name_signals(html_img(markup))
    assert names(sig) == want
    if reason:
        assert sig[0].reason == reason


SIZE_ATTR_CASES = [
    ('<img src="x.png" width="1" height="1">', True),
    ('<img src="x.png" width="600" height="2">', True),
    ('<img src="x.png" height="3">', True),
    ('<img src="x.png" width="8" height="8">', True),
    ('<img src="x.png" width="8px" height="6">', True),
    ('<img src="x.png" width="9" height="8">', False),
    ('<img src="x.png" width="8">', False),
    ('<img src="x.png" width="100%" height="4">', False),
    ('<img src="x.png" width="24" height="24">', False),
    ('<img src="x.png">', False),
]


@pytest.mark.parametrize(("markup", "fires"), SIZE_ATTR_CASES)
def test_size_attr_signals(markup, fires):
    assert bool(dec.size_attr_signals(html_img(markup))) is fires


def test_markup_signals_combine_all():
    img = html_img('<a href="/"><img src="divider.png" role="presentation" width="2" height="2"> Home</a>')
    assert set(names(dec.markup_signals(img))) == {"role-presentation", "link-has-text", "decorative-name", "tiny-attrs"}


# ---------------------------------------------------------------- pixel signals


def _photo(w=160, h=120, seed=0):
    rs = np.random.RandomState(seed)
    small = PILImage.fromarray((rs.rand(h // 8, w // 8, 3) * 255).astype(np.uint8), "RGB")
    arr = np.asarray(small.resize((w, h), PILImage.Resampling.BICUBIC), dtype=np.float64)
    arr = arr + rs.normal(0, 8, arr.shape)
    return PILImage.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")


def _gradient(w, h, vertical=False):
    t = np.linspace(0, 255, h if vertical else w)
    arr = np.zeros((h, w, 3))
    arr[:] = t[:, None, None] if vertical else t[None, :, None]
    return PILImage.fromarray(arr.astype(np.uint8), "RGB")


def _checker(w, h, n):
    yy, xx = np.mgrid[0:h, 0:w]
    arr = np.where(((xx // n) + (yy // n)) % 2 == 0, 230, 200).astype(np.uint8)
    return PILImage.fromarray(np.stack([arr] * 3, axis=2), "RGB")


def _chart():
    im = PILImage.new("RGB", (300, 200), "white")
    d = ImageDraw.Draw(im)
    for i, v in enumerate([50, 120, 80, 160, 30]):
        d.rectangle([20 + i * 55, 190 - v, 60 + i * 55, 190], fill=[(66, 133, 244), (219, 68, 55)][i % 2])
    d.line([(10, 10), (10, 190), (290, 190)], fill="black")
    d.text((40, 10), "Revenue by region", fill="black")
    return im


PIXEL_CASES = [
    pytest.param(PILImage.new("RGB", (1, 1), "white"), ["tiny"], id="1x1"),
    pytest.param(PILImage.new("RGB", (3, 3), "black"), ["tiny"], id="3x3"),
    pytest.param(PILImage.new("RGB", (8, 8), "red"), ["tiny"], id="8x8-area-64"),
    pytest.param(PILImage.new("RGBA", (40, 40), (0, 0, 0, 0)), ["transparent"], id="transparent"),
    pytest.param(PILImage.new("RGB", (600, 4), (200, 200, 200)), ["divider", "uniform"], id="divider"),
    pytest.param(PILImage.new("RGB", (100, 80), (236, 240, 243)), ["uniform"], id="uniform"),
    pytest.param(_gradient(300, 60), ["gradient"], id="h-gradient"),
    pytest.param(_gradient(120, 200, vertical=True), ["gradient"], id="v-gradient"),
    pytest.param(_checker(160, 120, 6), ["pattern"], id="checker"),
    pytest.param(_photo(), ["detailed"], id="photo"),
    pytest.param(_photo(320, 240, 1), ["detailed", "large"], id="large-photo"),
    pytest.param(_chart(), ["large"], id="chart"),
    pytest.param(PILImage.new("RGB", (200, 20), "white"), ["uniform"], id="not-thin-enough-for-divider"),
]


@pytest.mark.parametrize(("im", "want"), PIXEL_CASES)
def test_pixel_signals(im, want):
    assert names(dec.pixel_signals(im)) == want


def test_pixel_signals_keep_alpha_from_image_data():
    shim = PILImage.new("RGBA", (50, 50), (0, 0, 0, 0))
    ImageDraw.Draw(shim).point((25, 25), fill=(0, 0, 0, 255))
    assert names(dec.pixel_signals(png_data(shim))) == ["transparent"]
    # open_image flattens on white: the same shim reads as one dot on white instead
    flat = open_image(png_data(shim).data)
    assert names(dec.pixel_signals(flat)) == ["low-entropy"]


def test_pixel_signals_low_entropy():
    im = PILImage.new("RGB", (120, 120), "white")
    ImageDraw.Draw(im).rectangle([10, 10, 20, 20], fill="black")  # ~1 % black
    assert names(dec.pixel_signals(im)) == ["low-entropy"]


def test_pixel_signals_no_pixels():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'
    assert dec.pixel_signals(ImageData(content_key(svg), svg, "a.svg", None, "a.svg")) == []
    assert dec.pixel_signals(ImageData("k", b"not an image", "x", None, "x")) == []


def test_pixel_signals_modes():
    assert names(dec.pixel_signals(PILImage.new("L", (1, 1), 0))) == ["tiny"]
    p = PILImage.new("P", (500, 2), 3)
    assert "divider" in names(dec.pixel_signals(p))


# ---------------------------------------------------------------- captioner, reuse


def test_caption_signals():
    assert names(dec.caption_signals(Caption(None, None, "server", decorative=True))) == ["model-decorative"]
    assert names(dec.caption_signals(Caption("x", 0.9, "t", ocr_text="SUMMER SALE"))) == ["ocr-text"]
    assert names(dec.caption_signals(Caption("x", 0.9, "t", ocr_text="A1"))) == []
    assert dec.caption_signals(None) == []


def test_model_decorative_moves_the_verdict():
    img = html_img('<div><img src="swirl.png"></div>')
    pattern = _checker(120, 60, 5)
    assert dec.judge(img, pattern).verdict == "decorative"
    assert dec.judge(img).verdict == "uncertain"  # "file name says swirl" alone is not enough
    v = dec.judge(img, caption=Caption(None, None, "server", model="vlm", decorative=True))
    assert v.verdict == "decorative" and "chat model answered DECORATIVE (vlm)" in v.reasons


def test_low_confidence_pushes_towards_uncertain_not_decorative():
    img = html_img('<p><img src="phone.png" width="20" height="20"> Phone: 555 0100</p>')
    sure = dec.judge(img, caption=Caption("a phone", 0.9, "t", low_confidence=False))
    unsure = dec.judge(img, caption=Caption("a phone", 0.1, "t"))
    assert sure.verdict == "decorative" and unsure.verdict == "uncertain"
    assert 0.5 < unsure.score < sure.score
    # strong pixel evidence is shrunk too, but stays decorative
    strong = dec.judge(html_img('<img src="divider.png">'), _gradient(300, 60), Caption("a line", 0.1, "t"))
    assert strong.verdict == "decorative"
    assert any("low captioner confidence" in r for r in unsure.reasons)
    # and it never makes an informative-leaning image decorative
    photo = html_img('<img src="IMG_1.jpg">')
    assert dec.judge(photo, _photo(), Caption("a dog", 0.05, "t")).score < 0.5


def test_reuse_only_strengthens_existing_evidence():
    plain = html_img('<img src="IMG_1.jpg">')
    assert dec.judge(plain, reuse_count=50).score == dec.judge(plain).score
    deco = html_img('<header><img src="header-bg.png"></header>')
    v = dec.judge(deco, reuse_count=14)
    assert v.score > dec.judge(deco).score
    assert "same image on 14 pages in the same position" in v.reasons
    assert dec.judge(deco, reuse_count=2).score == dec.judge(deco).score


def test_icon_beside_text():
    img = html_img('<p><img src="x.png" width="20" height="20"> Opening hours</p>')
    assert "small 20×20 icon beside text" in dec.judge(img).reasons
    big = html_img('<p><img src="x.png" width="200" height="120"> Opening hours</p>')
    assert not any("icon beside" in r for r in dec.judge(big).reasons)


# ---------------------------------------------------------------- hard rules


@pytest.mark.parametrize(
    "markup",
    [
        '<a href="/"><img src="divider.png" role="presentation"></a>',
        '<a href="/"><img src="logo.png" width="1" height="1"></a>',
        '<a href="/"><img src="logo.png" aria-hidden="true"></a>',
    ],
)
def test_link_only_image_is_never_decorative(markup):
    v = dec.judge(html_img(markup), PILImage.new("RGB", (1, 1)), Caption(None, None, "s", decorative=True), 99)
    assert v.verdict == "informative" and v.score == 0.0
    assert v.reasons[0] == "names the link to /"


def test_button_only_image_is_never_decorative():
    v = dec.judge(html_img('<button><img src="spacer.gif"></button>'), PILImage.new("RGB", (1, 1)))
    assert v.verdict == "informative" and v.reasons[0] == "names the button"


def test_markdown_link_only_image_is_never_decorative():
    v = dec.judge(md_img("[![](bg.png)](/about)"), PILImage.new("RGB", (2, 2)))
    assert v.verdict == "informative" and v.reasons[0] == "names the link to /about"


def test_link_with_aria_label_does_not_need_the_image():
    v = dec.judge(html_img('<a href="/" aria-label="Home"><img src="house-icon.png" width="24" height="24"></a>'))
    assert v.verdict == "decorative"
    assert "inside a link named by its aria-label" in v.reasons


@pytest.mark.parametrize(
    "markup",
    ['<input type="image" src="spacer.gif" role="presentation">', '<map><area href="/a" shape="rect"></map>'],
)
def test_controls_are_never_decorative(markup):
    v = dec.judge(html_img(markup), PILImage.new("RGB", (1, 1)))
    assert v.verdict == "informative" and "never decorative" in v.reasons[0]


def test_link_purpose_context():
    assert dec.link_purpose_context(html_img('<a href="/" title="Start"><img src="l.png"></a>')) == "Link to / (Start)"
    assert dec.link_purpose_context(html_img('<a href="/docs"><img src="l.png"></a>')) == "Link to /docs"
    assert dec.link_purpose_context(html_img('<button><img src="l.png"></button>')) == "Button"
    assert dec.link_purpose_context(md_img("[![](l.png)](/x)")) == "Link to /x"
    assert dec.link_purpose_context(html_img('<p><img src="l.png"></p>')) is None


# ---------------------------------------------------------------- combination


def test_verdict_shape_and_thresholds():
    assert 0 < dec.T_INF < 0.5 < dec.T_DEC < 1
    v = dec.judge(html_img('<img src="IMG_1.jpg">'))
    assert v.verdict == "informative" and v.reasons == ("no decorative evidence",)
    assert v.score == pytest.approx(1 / (1 + np.exp(-dec.BIAS)), abs=1e-3)
    v = dec.judge(html_img('<img src="x.png" role="presentation">'))
    assert v.verdict == "decorative" and v.reasons[0] == "role=presentation"
    assert all(isinstance(r, str) for r in v.reasons)


def _load_eval():
    spec = importlib.util.spec_from_file_location("decorative_eval", ROOT / "benchmarks" / "decorative_eval.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_labelled_set():
    ev = _load_eval()
    rows = ev.run(SET)
    m = ev.metrics(rows)
    assert m["cases"] >= 50
    wrong = [r for r in rows if r["label"] == "informative" and r["verdict"] == "decorative"]
    assert m["precision"] == 1.0, wrong
    assert m["recall"] >= 0.85, m
    # every informative case is at least not called decorative; almost all are informative
    assert m["confusion"]["informative->informative"] >= 19


def test_labelled_set_files_match_the_generator():
    labels = json.loads((SET / "labels.json").read_text(encoding="utf-8"))
    spec = importlib.util.spec_from_file_location("make_set", SET / "make_set.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    cases = mod.cases()
    assert [c[0] for c in sorted(cases)] == sorted(labels)
    assert len(labels) <= 60
    total = sum((SET / f).stat().st_size for f in labels)
    assert total < 500 * 1024
    for file, _, label, markup, _, _ in cases:
        assert labels[file]["label"] == label and labels[file]["markup"] == markup
        assert (SET / file).exists()


# ---------------------------------------------------------------- context off (`check`)

_IN_CONTEXT = (
    '<figure><a href="/x" title="T"><img src="a.png"></a><figcaption>Cap</figcaption></figure>'
    '<p>Before <img src="b.png" alt=""> after</p>'
)


@pytest.mark.parametrize("kind", ["html", "markdown"])
def test_parse_options_context_off_computes_no_context(kind):
    """ParseOptions(context=False): the same images, hidden, names and spans, no ImageContext."""
    from dataclasses import replace

    from altbot.model import Kind, SourceFile
    from altbot.parse import parse_source
    from altbot.parse.base import ParseOptions

    text = _IN_CONTEXT if kind == "html" else "Intro [![](m.png)](/l) text\n\n" + _IN_CONTEXT + "\n"
    src = SourceFile("p." + ("html" if kind == "html" else "md"), "/p", Kind(kind), text.encode(), text, "utf-8")
    on = parse_source(src, ParseOptions())
    off = parse_source(src, ParseOptions(context=False))
    assert any(im.context is not None for im in on.images)
    assert all(im.context is None for im in off.images)
    assert off.images == [replace(im, context=None) for im in on.images]
    assert (off.errors, off.excluded, off.lang) == (on.errors, on.excluded, on.lang)
