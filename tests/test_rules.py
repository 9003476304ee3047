"""The rule table: input image → (rule, severity) findings, and the scan status."""

from __future__ import annotations

import pytest

from altbot.model import Severity, Syntax
from altbot.rules import RULES, find, status_of, suspicious_reason
from tests.conftest import make_image


def default_severity(rule, default):
    return default


CASES = [
    # (image fields, expected [(rule, severity)], expected status)
    pytest.param({}, [("missing-alt", "error")], "missing", id="img-no-alt"),
    pytest.param({"alt": "A red bicycle"}, [], "ok", id="img-good-alt"),
    pytest.param({"alt": "   "}, [("blank-alt", "error")], "blank", id="img-blank"),
    pytest.param({"alt": "\n\t"}, [("blank-alt", "error")], "blank", id="img-blank-newline"),
    pytest.param({"alt": ""}, [], "decorative", id="html-empty-is-decorative"),
    pytest.param({"alt": "", "syntax": Syntax.JSX, "element": "Image"}, [], "decorative", id="jsx-empty"),
    pytest.param(
        {"alt": "", "syntax": Syntax.MARKDOWN, "element": "md-image"},
        [("empty-alt", "error")],
        "empty",
        id="markdown-empty-error",
    ),
    pytest.param(
        {"alt": "", "syntax": Syntax.SHORTCODE, "element": "figure"},
        [("empty-alt", "error")],
        "empty",
        id="shortcode-empty-error",
    ),
    pytest.param(
        {"alt": "", "element": "input", "control": True}, [("empty-alt", "error")], "empty", id="input-empty-error"
    ),
    pytest.param(
        {"alt": "", "element": "input", "control": True, "name": "Search", "name_source": "label"},
        [],
        "named",
        id="input-empty-but-labelled",
    ),
    pytest.param(
        {"alt": "", "element": "area", "control": True}, [("empty-alt", "error")], "empty", id="area-empty-error"
    ),
    pytest.param({"name": "Logo of ACME", "name_source": "aria-label"}, [], "named", id="aria-label-names"),
    pytest.param({"name": "  ", "name_source": "title"}, [("missing-alt", "error")], "missing", id="blank-title-no-name"),
    pytest.param({"hidden": "aria-hidden"}, [], "hidden", id="hidden"),
    pytest.param({"presentational": True}, [], "decorative", id="role-presentation"),
    pytest.param({"ignored": True}, [], "missing", id="ignored-no-finding"),
    pytest.param({"alt": "{{ .Title }}", "dynamic_alt": True}, [], "ok", id="template-alt-present"),
    pytest.param({"alt": "photo.jpg"}, [("suspicious-alt", "warning")], "suspicious", id="alt-is-src-name"),
    pytest.param({"alt": "image"}, [("suspicious-alt", "warning")], "suspicious", id="placeholder-image"),
    pytest.param({"alt": "Logo"}, [("suspicious-alt", "warning")], "suspicious", id="placeholder-logo-alone"),
    pytest.param({"alt": "ACME logo"}, [], "ok", id="logo-with-words-ok"),
    pytest.param({"alt": "IMG_1234"}, [("suspicious-alt", "warning")], "suspicious", id="camera-name"),
    pytest.param({"alt": "DSC0001"}, [("suspicious-alt", "warning")], "suspicious", id="dsc-name"),
    pytest.param(
        {"alt": "Screen Shot 2024-01-02 at 10.00.00"}, [("suspicious-alt", "warning")], "suspicious", id="screenshot"
    ),
    pytest.param({"alt": "https://example.com/a.png"}, [("suspicious-alt", "warning")], "suspicious", id="url"),
    pytest.param({"alt": "untitled"}, [("suspicious-alt", "warning")], "suspicious", id="untitled"),
    pytest.param({"alt": "team photo", "src": "/img/team-photo.jpg"}, [("suspicious-alt", "warning")], "suspicious", id="src-stem"),
    pytest.param({"alt": "Our team at the 2024 offsite", "src": "/img/team-photo.jpg"}, [], "ok", id="real-description"),
    pytest.param(
        {"element": "svg", "fixable": False, "insert_at": None},
        [("missing-alt", "error")],
        "missing",
        id="svg-role-img-no-name",
    ),
    pytest.param(
        {"element": "svg", "fixable": False, "name": "Chart", "name_source": "svg-title"},
        [],
        "named",
        id="svg-title-names",
    ),
    pytest.param(
        {"syntax": Syntax.FRONTMATTER, "element": "front-matter"},
        [("missing-alt", "error")],
        "missing",
        id="front-matter-no-alt",
    ),
]


@pytest.mark.parametrize("fields, expected, status", CASES)
def test_rules_table(fields, expected, status):
    img = make_image(**fields)
    got = [(f.rule, f.severity.value) for f in find([img], default_severity)]
    assert got == expected
    assert status_of(img) == status


@pytest.mark.parametrize("fields", [c.values[0] for c in CASES] + [
    {"alt": "A chart", "syntax": Syntax.MARKDOWN, "element": "md-image"},
    {"alt": "Go", "element": "input", "control": True},
    {"alt": "A boat", "syntax": Syntax.FRONTMATTER, "element": "front-matter"},
    {"alt": "IMG_1.jpg", "src": "IMG_1.jpg", "syntax": Syntax.LIQUID, "element": "figure"},
])
def test_a_written_alt_meets_only_the_text_rules(fields):
    # find() asks an image with a written alt (not empty, blank, dynamic or a card's) only the
    # rules in _TEXT_ALT_RULES: every other rule must find nothing to say about it
    from altbot.rules import _TEXT_ALT_RULES

    img = make_image(**fields)
    if not (img.alt and not img.card and not img.dynamic_alt and not img.alt.isspace()):
        return
    others = [r for r in RULES.values() if r not in _TEXT_ALT_RULES]
    assert others and all(r.check(img) is None for r in others), [r.id for r in others if r.check(img) is not None]


def test_html_empty_alt_reported_as_info_on_request():
    img = make_image(alt="")
    got = [(f.rule, f.severity) for f in find([img], default_severity, empty_alt="report")]
    assert got == [("empty-alt", Severity.INFO)]


def test_severity_override_and_off():
    img = make_image(alt="image")

    def cfg(rule, default):
        return {"suspicious-alt": Severity.ERROR}.get(rule, default)

    assert [f.severity for f in find([img], cfg)] == [Severity.ERROR]
    assert find([img], lambda r, d: None) == []


def test_ledger_decorative_silences_markdown_empty():
    img = make_image(alt="", syntax=Syntax.MARKDOWN, element="md-image")
    assert find([img], default_severity, is_decorative=lambda i: True) == []


@pytest.mark.parametrize(
    "alt, src, suspicious",
    [
        ("A cat", "cat.jpg", False),
        ("cat", "cat.jpg", False),  # a one-word description that happens to be the stem
        ("cat.JPG", "/a/b/cat.JPG?x=1", True),
        ("chart.png", None, True),
        ("Sales grew 20% in 2024", "chart.png", False),
        ("Photo", None, True),
        ("Photo of the harbour at dawn", None, False),
    ],
)
def test_suspicious_reason(alt, src, suspicious):
    assert (suspicious_reason(alt, src) is not None) is suspicious


def test_every_rule_documents_itself():
    for rule in RULES.values():
        assert rule.summary and rule.why and rule.example


@pytest.mark.parametrize(
    "alt, src, suspicious",
    [
        pytest.param("Search", "/icons/search.svg", False, id="one-word-stem-is-a-fine-icon-name"),
        pytest.param("team_photo", "/img/team_photo.jpg", True, id="stem-with-separators"),
        pytest.param("Team photo 2024", "/img/team-photo_2024.jpg", True, id="humanized-multi-part-stem"),
        pytest.param("hero-image", "/img/hero.png", False, id="different-stem"),
    ],
)
def test_stem_rule(alt, src, suspicious):
    assert (suspicious_reason(alt, src) is not None) is suspicious
