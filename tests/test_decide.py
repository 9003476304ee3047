"""The decide stage as a table: finding + verdict + caption (+ language) → outcome and applicability.

Pure: every case is values in, values out. Section 4 of the house issue: never
write text altbot's own rules flag, keep a human's alt unless the replacement is
shown to be better, and file-name text is display-only until a human accepts it.
"""

from __future__ import annotations

import pytest

from altbot import decide
from altbot.model import Applicability, Finding, ImageContext, Severity, Status, Syntax, Verdict
from altbot.outcome import Caption, Judgement
from tests.conftest import make_image

INFORMATIVE = Judgement(Verdict.INFORMATIVE, 0.1, ("detailed image",))
UNCERTAIN = Judgement(Verdict.UNCERTAIN, 0.5, ("small image",))
DECORATIVE = Judgement(Verdict.DECORATIVE, 0.9, ("1×1 tracking pixel",))


def finding(rule="missing-alt", **image):
    image.setdefault("src", "team-photo_2024.jpg")
    return Finding(rule, Severity.ERROR, make_image(**image), "message")


def cap(text, backend="transformers", **kw):
    kw.setdefault("lang", "en")
    return Caption(text, kw.pop("confidence", 0.8), backend, kw.pop("model", "m"), **kw)


LINK_ONLY = ImageContext(in_link=True, link_href="/docs/", only_image=True)

CASES = [
    # (id, finding, judgement, caption, page_lang, status, applicability, fragment of a reason)
    ("model-caption", finding(), INFORMATIVE, cap("Four people laughing at a table"), "en", Status.FIXED, Applicability.REVIEW, "captioned by transformers"),
    ("iptc-alt-is-safe", finding(), INFORMATIVE, cap("The team at the offsite", "metadata", author_alt=True, lang=None), "en", Status.FIXED, Applicability.SAFE, "author's own alt"),
    ("png-description-is-review", finding(), INFORMATIVE, cap("The team at the offsite", "metadata", lang=None), "en", Status.FIXED, Applicability.REVIEW, "captioned by metadata"),
    ("file-name-text-is-display-only", finding(src="red-bicycle.png"), INFORMATIVE, cap("A red bicycle", "filename"), "en", Status.FIXED, Applicability.DISPLAY_ONLY, "taken from the file name"),
    ("text-check-would-flag", finding(), INFORMATIVE, cap("Team photo 2024"), "en", Status.FIXED, Applicability.DISPLAY_ONLY, "check would flag 'Team photo 2024'"),
    ("placeholder-text", finding(), INFORMATIVE, cap("image"), "en", Status.FIXED, Applicability.DISPLAY_ONLY, "is a placeholder"),
    ("uncertain-verdict", finding(), UNCERTAIN, cap("A small blue triangle"), "en", Status.FIXED, Applicability.DISPLAY_ONLY, "might be decorative"),
    ("decorative-verdict", finding(), DECORATIVE, cap("A dot"), "en", Status.DECORATIVE, Applicability.REVIEW, "tracking pixel"),
    # a human's alt
    ("replaces-a-camera-name", finding("suspicious-alt", alt="IMG_1234"), INFORMATIVE, cap("Settings dialog with dark mode on"), "en", Status.FIXED, Applicability.REVIEW, "replaces the human-written 'IMG_1234'"),
    ("replaces-a-placeholder", finding("suspicious-alt", alt="image"), INFORMATIVE, cap("A bar chart of sales by month"), "en", Status.FIXED, Applicability.REVIEW, "replaces the human-written 'image'"),
    ("keeps-words-a-human-chose", finding("suspicious-alt", alt="Dialog Anatomy", src="dialog-anatomy.png"), INFORMATIVE, cap("Cancel OK Save Settings General"), "en", Status.FIXED, Applicability.DISPLAY_ONLY, "a human wrote 'Dialog Anatomy'"),
    ("keeps-a-link-name", finding("suspicious-alt", alt="logo", context=LINK_ONLY), INFORMATIVE, cap("A blue triangle"), "en", Status.FIXED, Applicability.DISPLAY_ONLY, "names the link"),
    # language
    ("wrong-language-left-open", finding(), INFORMATIVE, cap("Green hills"), "fr", Status.SKIPPED, None, "no translation model for fr"),
    ("page-language-caption", finding(), INFORMATIVE, cap("Collines vertes", lang="fr"), "fr", Status.FIXED, Applicability.REVIEW, "captioned"),
    ("unknown-language-on-french-page", finding(), INFORMATIVE, cap("Xq zv", "metadata", lang=None), "fr", Status.SKIPPED, None, "cannot tell which language"),
    # nothing to propose
    ("no-caption", finding(), INFORMATIVE, Caption(None, None, "offline", reason="no text, no label"), "en", Status.SKIPPED, None, "no text, no label"),
    ("backend-says-decorative-but-check-disagrees", finding(), INFORMATIVE, Caption("", 0.9, "server", decorative=True), "en", Status.SKIPPED, None, "do not agree"),
]


@pytest.mark.parametrize(("finding_", "judgement", "caption", "page_lang", "status", "applicability", "fragment"),
                         [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_from_caption(finding_, judgement, caption, page_lang, status, applicability, fragment):
    o = decide.from_caption(finding_, judgement, caption, page_lang=page_lang, identify=lambda text: None, key="k")
    assert o.status is status
    if applicability is None:
        assert fragment in (o.reason or "")
    else:
        assert o.suggestion.applicability is applicability
        assert any(fragment in r for r in o.suggestion.reasons), o.suggestion.reasons
    assert o.image_key == "k"


def test_nothing_written_is_something_check_flags():
    """Every suggestion that --write would write passes altbot's own suspicious-alt rule."""
    from altbot.rules import suspicious_reason

    for c in CASES:
        o = decide.from_caption(c[1], c[2], c[3], page_lang=c[4], identify=lambda text: None)
        s = o.suggestion
        if o.status is Status.FIXED and s.applicability.written:
            assert suspicious_reason(s.alt, c[1].image.src) is None, c[0]


def test_a_link_only_image_takes_the_link_title():
    f = finding(context=ImageContext(in_link=True, link_href="/x", link_title="Our menu", only_image=True))
    o = decide.from_caption(f, INFORMATIVE, cap("A fork and a knife"), page_lang="en")
    assert o.suggestion.alt == "Our menu" and o.suggestion.caption.backend == "link-title"


@pytest.mark.parametrize(
    "decision, alt, status",
    [
        pytest.param("rejected", "x", Status.SKIPPED, id="rejected"),
        pytest.param("decorative", None, Status.DECORATIVE, id="decorative"),
        pytest.param("reviewed", "The team", Status.FIXED, id="reviewed"),
        pytest.param("reviewed", None, None, id="reviewed-without-alt-no-change"),
        pytest.param(None, None, None, id="nothing-recorded-no-change"),
    ],
)
def test_from_ledger(decision, alt, status):
    o = decide.from_ledger(finding(), decision, alt, "k")
    if status is None:
        assert o is None
    else:
        assert o.status is status
        if status is not Status.SKIPPED:
            assert o.suggestion.applicability is Applicability.SAFE


@pytest.mark.parametrize(
    "judgement, image, expected",
    [
        pytest.param(DECORATIVE, {}, Status.DECORATIVE, id="decorative-before-caption"),
        pytest.param(INFORMATIVE, {}, None, id="informative-goes-to-the-captioner"),
        pytest.param(UNCERTAIN, {}, None, id="uncertain-goes-to-the-captioner"),
        pytest.param(UNCERTAIN, {"alt": ""}, Status.SKIPPED, id="empty-html-alt-kept-unless-informative"),
        pytest.param(INFORMATIVE, {"alt": ""}, None, id="empty-html-alt-informative-captioned"),
    ],
)
def test_before_caption(judgement, image, expected):
    rule = "empty-alt" if image.get("alt") == "" else "missing-alt"
    o = decide.before_caption(finding(rule, syntax=Syntax.HTML, **image), judgement, "k")
    assert (o.status if o else None) is expected


def test_a_control_is_never_decorative():
    o = decide.decorative(finding(element="input", control=True), ("x",), Applicability.REVIEW)
    assert o.status is Status.SKIPPED and "cannot be decorative" in o.reason
