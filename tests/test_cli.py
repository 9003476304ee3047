"""End to end through `altbot.cli.main`: exit codes, formats, errors that never become tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from altbot.cli import main


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def write(name: str, content: str | bytes) -> None:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8", newline="")

    return write


def run(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_clean_site_exits_0(site, capsys):
    site("a.html", '<img src="a.png" alt="A red bicycle">')
    site("b.md", "![A cat on a mat](cat.jpg)\n")
    rc, out, _ = run(capsys, "check", ".")
    assert rc == 0
    assert out.strip() == "No problems found in 2 images across 2 files."


def test_findings_exit_1_with_positions(site, capsys):
    site("docs/a.html", '<p>\n  <img src="a.png">\n</p>')
    rc, out, _ = run(capsys, "check", "docs")
    assert rc == 1
    assert out.splitlines()[0].startswith("docs/a.html:2:3 missing-alt ")


def test_fail_on_controls_exit_code(site, capsys):
    site("a.html", '<img src="a.png" alt="image">')
    assert run(capsys, "check", ".")[0] == 0  # a warning does not fail by default
    assert run(capsys, "check", ".", "--fail-on", "warning")[0] == 1


def test_fail_on_from_config(site, capsys):
    site("a.html", '<img src="a.png" alt="image">')
    site(".altbot.toml", 'fail-on = "warning"\n')
    assert run(capsys, "check", "a.html")[0] == 1


def test_empty_alt_report_lists_only_the_ones_judged_informative(site, capsys, tmp_path):
    from tests.conftest import photo

    photo(tmp_path / "sales-chart.png")
    site("a.html", '<img src="divider.png" alt="">\n<img src="sales-chart.png" alt="">')
    assert run(capsys, "check", ".")[:2] == (0, "No problems found in 2 images across 1 file.\n")
    rc, out, _ = run(capsys, "check", ".", "--empty-alt", "report", "--fail-on", "info")
    assert rc == 1
    assert [line.split()[:2] for line in out.splitlines()[:-1]] == [["a.html:2:1", "empty-alt"]]


def test_json_format(site, capsys):
    site("p.md", '---\nlang: fr\n---\n\n![](chat.jpg)\n')
    rc, out, _ = run(capsys, "check", ".", "--format", "json")
    assert rc == 1
    doc = json.loads(out)
    assert doc["summary"] == {"files": 1, "images": 1, "findings": 1, "errors": 0}
    (f,) = doc["findings"]
    assert (f["path"], f["line"], f["column"], f["rule"], f["lang"], f["alt"]) == ("p.md", 5, 1, "empty-alt", "fr", "")


def test_output_file_and_sarif(site, capsys, tmp_path):
    site("a.html", '<img src="a.png">')
    rc, out, _ = run(capsys, "check", "a.html", "--format", "sarif", "--output", "out.sarif")
    assert rc == 1 and out == ""
    doc = json.loads((tmp_path / "out.sarif").read_text())
    assert doc["runs"][0]["results"][0]["ruleId"] == "missing-alt"


def test_github_format(site, capsys):
    site("a.html", '<img src="a.png">')
    rc, out, _ = run(capsys, "check", ".", "--format", "github")
    assert rc == 1 and out.startswith("::error file=a.html,line=1,col=1,title=altbot missing-alt::")


def test_scan_lists_every_image(site, capsys):
    site(
        "a.html",
        '<html lang="de"><img src="a.png" alt="Ein Hund"><img src="b.png"><img src="c.png" alt="">'
        '<img src="d.png" aria-label="Logo der Firma"><div aria-hidden="true"><img src="e.png"></div>'
        '<img src="f.png" alt=" "><img src="IMG_0001.jpg" alt="IMG_0001.jpg"></html>',
    )
    site("b.md", "![](x.png)\n")
    rc, out, _ = run(capsys, "scan", ".", "--format", "json")
    assert rc == 0
    doc = json.loads(out)
    assert [i["status"] for i in doc["images"]] == [
        "ok", "missing", "decorative", "named", "hidden", "blank", "suspicious", "empty",
    ]
    assert {i["lang"] for i in doc["images"][:7]} == {"de"}
    assert doc["summary"]["images"] == 8


def test_scan_says_a_front_matter_alt_that_is_no_text_is_invalid(site, capsys):
    """A list or a mapping as the alt: "invalid", shown as no text, with the file's error (was:
    "ok" with alt='', while check reported the error)."""
    site("a.md", "---\nimage: /a.png\nimage_alt:\n  - one\n---\n")
    site("b.md", '---\nimage: /b.png\nimage_alt: "A dog"\n---\n')
    rc, out, _ = run(capsys, "scan", ".")
    assert rc == 2
    assert "a.md:2:1 invalid front-matter /a.png alt=(not text)" in out
    assert "b.md:2:1 ok front-matter /b.png alt='A dog'" in out  # no change
    assert "a.md:3:1 error front matter `image_alt` is a list, not text" in out
    assert "(1 invalid, 1 ok)" in out


@pytest.mark.parametrize(
    "name, content, fragment",
    [
        pytest.param("bin.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file", id="binary"),
        pytest.param("latin.md", b"caf\xe9 ![](a.png)", "cannot decode", id="undecodable"),
        pytest.param("open.html", '<p>x</p><!-- never closed <img src="a.png">', "unterminated", id="unterminated-comment"),
    ],
)
def test_bad_files_are_reported_and_the_run_goes_on(site, capsys, name, content, fragment):
    site(name, content)
    site("good.html", '<img src="a.png" alt="A red bicycle">')
    rc, out, err = run(capsys, "check", ".")
    assert rc == 2  # nothing else failed, so the error decides
    assert fragment in out
    assert "1 file error" in out.splitlines()[-1]
    assert "Traceback" not in out + err


def test_findings_win_over_errors_for_exit_code(site, capsys):
    site("bin.html", b"\x00\x01")
    site("bad.html", '<img src="a.png">')
    rc, out, _ = run(capsys, "check", ".", "--format", "json")
    doc = json.loads(out)
    assert rc == 1 and doc["summary"]["errors"] == 1 and doc["errors"][0]["path"] == "bin.html"


def test_missing_path_and_bad_config_exit_2(site, capsys):
    rc, out, _ = run(capsys, "check", "nope.html")
    assert rc == 2 and "nope.html" in out and "no such file" in out
    site(".altbot.toml", 'severity = { "missing-alts" = "error" }\n')
    rc, _, err = run(capsys, "check", ".")
    assert rc == 2 and "unknown rule 'missing-alts'" in err


def test_usage_error_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", "--format", "xml"])
    assert exc.value.code == 2


def test_suppression_comments(site, capsys):
    site("a.html", '<!-- altbot-ignore -->\n<img src="a.png">\n<img src="b.png">')
    site("b.md", "<!-- altbot-ignore-file -->\n\n![](a.png)\n")
    rc, out, _ = run(capsys, "check", ".", "--format", "json")
    doc = json.loads(out)
    assert [(f["path"], f["src"]) for f in doc["findings"]] == [("a.html", "b.png")]


def test_python_m_altbot(tmp_path):
    (tmp_path / "a.html").write_text('<img src="a.png">')
    out = subprocess.run([sys.executable, "-m", "altbot", "check", str(tmp_path / "a.html")], capture_output=True, text=True)
    assert out.returncode == 1 and "missing-alt" in out.stdout


def test_rules_command(capsys):
    rc, out, _ = run(capsys, "rules", "--format", "json")
    assert rc == 0 and [r["id"] for r in json.loads(out)] == ["missing-alt", "blank-alt", "empty-alt", "suspicious-alt", "social-image-alt"]


def test_parallel_run_equals_serial(tmp_path, monkeypatch):
    from altbot import runner
    from altbot.config import Config

    for i in range(40):
        (tmp_path / f"p{i:02}.html").write_text(f'<img src="a{i}.png"><img src="b.png" alt="ok {i}">')
        (tmp_path / f"p{i:02}.md").write_text(f"![](x{i}.png)\n")
    (tmp_path / "bad.html").write_bytes(b"\x00")
    monkeypatch.setattr(runner, "PARALLEL_THRESHOLD", 10)
    cfg = Config(root=tmp_path)
    serial = runner.run([str(tmp_path)], cfg, keep_images=True, jobs=1)
    parallel = runner.run([str(tmp_path)], cfg, keep_images=True, jobs=2)
    assert parallel.findings == serial.findings and len(serial.findings) == 80
    assert parallel.inventory == serial.inventory
    assert parallel.errors == serial.errors and len(serial.errors) == 1


@pytest.mark.parametrize(
    "raw, line, column",
    [
        pytest.param(b"\xef\xbb\xbf<p>\r\n<img src=a.png>", 2, 1, id="bom-crlf"),
        pytest.param(b"a\rb\n\r\n  <img src=a.png>", 4, 3, id="mixed-newlines"),
        pytest.param(b'<meta charset="latin1">\n<p>\xe9</p> <img src=a.png>', 2, 10, id="meta-charset"),
    ],
)
def test_positions_survive_bom_and_newlines(site, capsys, raw, line, column):
    site("p.html", raw)
    rc, out, _ = run(capsys, "check", "p.html", "--format", "json")
    (f,) = json.loads(out)["findings"]
    assert (rc, f["line"], f["column"]) == (1, line, column)


def test_unterminated_tag_is_reported(site, capsys):
    site("p.html", '<p>ok</p>\n<img src="a.png" alt="x"')
    rc, out, _ = run(capsys, "check", "p.html")
    assert rc == 2 and "p.html:2:1" in out and "unterminated" in out


@pytest.mark.parametrize(
    "name, text, expected",
    [
        pytest.param("a.md", '{{< figure src="a.png" alt="![x](y.png) <img src=z.png>" >}}\n', ["a.png"], id="shortcode-attr"),
        pytest.param("a.mdx", '<Image src="a.png" alt="![x](y.png)" />\n', ["a.png"], id="jsx-attr"),
        pytest.param("a.md", '{{< figure src="a.png" >}}\n\n![](b.png)\n', ["a.png", "b.png"], id="siblings-kept"),
    ],
)
def test_nothing_inside_a_shortcode_or_jsx_attribute_is_an_image(site, capsys, name, text, expected):
    site(name, text)
    rc, out, _ = run(capsys, "scan", ".", "--format", "json")
    assert [i["src"] for i in json.loads(out)["images"]] == expected


def test_config_is_found_from_the_first_path(tmp_path, monkeypatch, capsys):
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / ".altbot.toml").write_text('fail-on = "warning"\n')
    (site_dir / "a.html").write_text('<img src="a.png" alt="image">')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["check", str(site_dir)]) == 1  # the site's fail-on applies
    assert main(["check", str(site_dir / "a.html")]) == 1


def test_scan_json_carries_verdicts_on_judged_images(site, capsys, tmp_path):
    from PIL import Image as PILImage

    from tests.conftest import photo

    photo(tmp_path / "photo.png")
    PILImage.new("RGB", (600, 3), (90, 90, 90)).save(tmp_path / "rule.png")
    site("a.html", '<img src="photo.png"><img src="rule.png" alt=""><img src="x.png" alt="A cat"><a href="/"><img src="photo.png"></a>')
    rc, out, err = run(capsys, "scan", ".", "--format", "json", "--explain")
    images = json.loads(out)["images"]
    assert [i.get("verdict") for i in images] == ["informative", "decorative", None, "informative"]
    assert 0 <= images[1]["verdict_score"] <= 1 and images[1]["verdict_reasons"]
    assert "names the link to /" in images[3]["verdict_reasons"]
    assert "a.html:1:1 img photo.png: informative" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--format", "json", "--jobs", "1", "docs"],
        ["--debug", "scan", "--explain", "."],
        ["fix", "--write", "--captioner", "filename", "a.md"],
        ["review", "--no-browser", "--port", "0"],
        ["caption", "--json", "x.png"],
        ["ledger", "prune", "--dry-run"],
        ["rules", "--format", "json"],
    ],
)
def test_a_run_builds_only_its_command_and_parses_the_same(argv):
    """Start-up (issue 12): main builds only the subparser it runs; the arguments come out the same."""
    from altbot.cli import _command_in, build_parser

    command = _command_in(argv)
    assert command == next(a for a in argv if not a.startswith("-"))
    assert vars(build_parser(command).parse_args(argv)) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", [[], ["--help"], ["--version"], ["chek"], ["-x", "check"]])
def test_anything_else_builds_the_whole_parser(argv):
    from altbot.cli import _command_in

    assert _command_in(argv) is None
