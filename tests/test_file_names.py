"""File names as the OS gives them: a name that is not UTF-8 (bytes from another locale, a
broken archive) or that holds a space must reach every report, as its own bytes, and never
fail the run ("internal error") or make a JSON report that is not UTF-8."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlsplit

import pytest

PAGE = b'<html lang="en"><body><img src="a.png"></body></html>\n'

NAMES = [
    pytest.param(b"bad\xff.html", id="not-utf8"),
    pytest.param(b"caf\xe9 latin1.html", id="latin1-with-space"),
    pytest.param(b"my page.html", id="space"),
    pytest.param("d\u00e9j\u00e0-vu.html".encode(), id="utf8-accents"),
    pytest.param(b"co:lon,comma.html", id="colon-in-first-segment"),  # SARIF: not a URI scheme
    pytest.param(b"pct%41 100%.html", id="percent"),  # "%41" stays those three characters
    pytest.param(b"ok.html", id="plain-no-change"),
]


def _site(tmp_path: Path, name: bytes) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    try:
        with open(os.path.join(os.fsencode(site), name), "wb") as fh:
            fh.write(PAGE)
    except (OSError, UnicodeError):  # pragma: no cover - a file system that refuses such names
        pytest.skip(f"this file system does not take the name {name!r}")
    return site


def _altbot(site: Path, *args: str, encoding: str = "utf-8:strict") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "NO_COLOR": "1"}
    env.pop("ALTBOT_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "altbot", *args], cwd=site, env=env, capture_output=True, timeout=120, check=False
    )


def _paths_in(fmt: str, out: bytes) -> list[bytes]:
    """The file names a report names, as bytes."""
    if fmt == "json":
        return [os.fsencode(f["path"]) for f in json.loads(out.decode("utf-8"))["findings"]]
    if fmt == "scan-json":
        return [os.fsencode(i["path"]) for i in json.loads(out.decode("utf-8"))["images"]]
    if fmt == "sarif":
        doc = json.loads(out.decode("utf-8"))
        locs = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]]
        assert all(" " not in u and u.isascii() for u in locs), locs  # RFC 3986: a URI reference
        # RFC 3986 §4.2: a relative reference, so no colon in the first segment (no scheme)
        assert all(":" not in u.split("/", 1)[0] and not urlsplit(u).scheme for u in locs), locs
        return [unquote_to_bytes(u) for u in locs]
    if fmt == "github":
        # the workflow command escapes %, CR, LF, ":" and "," in a property as %XX
        files = [line.split(b"file=", 1)[1].split(b",line=", 1)[0] for line in out.splitlines() if line.startswith(b"::")]
        return [unquote_to_bytes(f) for f in files]
    return [line.split(b":1:", 1)[0] for line in out.splitlines() if b":1:" in line]


FORMATS = [
    pytest.param(["check"], "text", 1, id="check-text"),
    pytest.param(["check", "--format", "github"], "github", 1, id="check-github"),
    pytest.param(["check", "--format", "json"], "json", 1, id="check-json"),
    pytest.param(["check", "--format", "sarif"], "sarif", 1, id="check-sarif"),
    pytest.param(["scan", "--format", "json"], "scan-json", 0, id="scan-json"),
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("args,fmt,rc", FORMATS)
def test_every_report_names_the_file_by_its_own_bytes(tmp_path, name, args, fmt, rc):
    site = _site(tmp_path, name)
    proc = _altbot(site, *args, ".")
    assert b"internal error" not in proc.stderr, proc.stderr
    assert proc.returncode == rc, proc.stderr
    assert _paths_in(fmt, proc.stdout) == [name]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_a_report_written_to_a_file_names_the_file_by_its_own_bytes(tmp_path, name, fmt):
    site = _site(tmp_path, name)
    report = tmp_path / "report.out"
    proc = _altbot(site, "check", "--format", fmt, "--output", str(report), ".")
    assert b"internal error" not in proc.stderr, proc.stderr
    assert proc.returncode == 1, proc.stderr
    assert _paths_in(fmt, report.read_bytes()) == [name]


@pytest.mark.parametrize("encoding", ["utf-8:strict", "ascii:strict", "latin-1:strict"])
def test_a_strict_or_narrow_stdout_still_gets_the_whole_report(tmp_path, encoding):
    site = _site(tmp_path, b"bad\xff \xc3\xa9t\xc3\xa9.html")  # an undecodable byte, then UTF-8 accents
    proc = _altbot(site, "check", ".", encoding=encoding)
    assert b"internal error" not in proc.stderr, proc.stderr
    assert proc.returncode == 1
    assert b"bad\xff" in proc.stdout
    assert b"Found 1 problem" in proc.stdout


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-16-le:strict"])
def test_a_utf16_or_utf32_stdout_gets_the_whole_report_the_name_escaped(tmp_path, encoding):
    """Such a stream cannot hold the name's lone byte: it is written as an escape (was: an
    internal error, the report lost)."""
    site = _site(tmp_path, b"bad\xff \xc3\xa9t\xc3\xa9.html")
    proc = _altbot(site, "check", ".", encoding=encoding)
    assert b"internal error" not in proc.stderr, proc.stderr.decode(encoding.split(":")[0], "replace")
    assert proc.returncode == 1
    text = proc.stdout.decode(encoding.split(":")[0])
    assert "bad\\udcff \u00e9t\u00e9.html:1:" in text, text
    assert "Found 1 problem" in text


def test_fix_writes_and_its_ledger_keeps_a_name_that_is_not_utf8(tmp_path):
    from PIL import Image

    site = _site(tmp_path, b"bad\xff.html")
    Image.new("RGB", (40, 30), "red").save(site / "a.png")  # one flat colour: decorative
    diff = _altbot(site, "fix", "--captioner", "filename", ".")
    assert b"internal error" not in diff.stderr, diff.stderr
    assert b"+++ b/bad\xff.html" in diff.stdout
    proc = _altbot(site, "fix", "--captioner", "filename", "--write", ".")
    assert b"internal error" not in proc.stderr, proc.stderr
    assert proc.returncode == 0, proc.stderr
    page = os.path.join(os.fsencode(site), b"bad\xff.html")
    with open(page, "rb") as fh:
        assert fh.read() == PAGE.replace(b'src="a.png"', b'src="a.png" alt=""')
    ledger = (site / ".altbot" / "decisions.json").read_bytes()
    ledger.decode("utf-8")  # valid UTF-8
    assert [os.fsencode(d["page"]) for d in json.loads(ledger)["decisions"]] == [b"bad\xff.html"]
    listed = _altbot(site, "ledger", "list")
    assert listed.returncode == 0, listed.stderr
    assert b"bad\xff.html a.png written" in listed.stdout
    again = _altbot(site, "check", ".")
    assert again.returncode == 0, again.stdout


# -- fix --patch and the printed diff: git's quoting of names in the patch headers ----------

FIX_PAGE = b"<p>Text</p>\n<img src=\"a.png\">\n"

PATCH_NAMES = [  # (page name, its header name as git writes it after "a/")
    pytest.param(b"nl\nx.html", b'"a/nl\\nx.html"', id="newline"),
    pytest.param(b"t\tb.html", b'"a/t\\tb.html"', id="tab"),
    pytest.param(b'q"x.html', b'"a/q\\"x.html"', id="double-quote"),
    pytest.param(b"back\\slash.html", b'"a/back\\\\slash.html"', id="backslash"),
    pytest.param(b"bell\x07\x01\x7f.html", b'"a/bell\\a\\001\\177.html"', id="control-bytes-octal"),
    pytest.param(b"t\tb\xff \xc3\xbc.html", b'"a/t\\tb\xff \xc3\xbc.html"', id="tab-with-raw-bytes"),
    pytest.param(b"d\tir/p.html", b'"a/d\\tir/p.html"', id="tab-in-folder"),
    pytest.param(b"my page.html", b"a/my page.html", id="space-no-change"),
    pytest.param(b"100%.html", b"a/100%.html", id="percent-no-change"),
    pytest.param("\u00fc.html".encode(), "a/\u00fc.html".encode(), id="utf8-no-change"),
    pytest.param(b"bad\xff.html", b"a/bad\xff.html", id="not-utf8-no-change"),
    pytest.param(b"ok.html", b"a/ok.html", id="plain-no-change"),
]


def _described_site(tmp_path: Path, name: bytes, folder: str = "site") -> Path:
    from tests.conftest import described_photo

    site = tmp_path / folder
    site.mkdir()
    page = os.path.join(os.fsencode(site), name)
    try:
        os.makedirs(os.path.dirname(page), exist_ok=True)
        with open(page, "wb") as fh:
            fh.write(FIX_PAGE)
    except (OSError, UnicodeError):  # pragma: no cover - a file system that refuses such names
        pytest.skip(f"this file system does not take the name {name!r}")
    described_photo(os.path.join(os.path.dirname(os.fsdecode(page)), "a.png"), "A red kite over a field")
    return site


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("name,quoted", PATCH_NAMES)
def test_git_apply_of_the_patch_gives_what_write_writes(tmp_path, name, quoted):
    site = _described_site(tmp_path, name)
    patch_file = tmp_path / "p.patch"
    proc = _altbot(site, "fix", "--captioner", "metadata", "--patch", str(patch_file), ".")
    assert b"internal error" not in proc.stderr, proc.stderr
    assert proc.returncode == 1, proc.stderr
    patch = patch_file.read_bytes()
    b_quoted = quoted.replace(b"a/", b"b/", 1)
    assert patch.split(b"\n@@", 1)[0] == b"diff --git %s %s\n--- %s\n+++ %s" % (quoted, b_quoted, quoted, b_quoted)
    printed = _altbot(site, "fix", "--captioner", "metadata", ".")
    assert printed.stdout == patch  # the printed diff is the patch

    target = tmp_path / "target"
    shutil.copytree(site, target)
    subprocess.run(["git", "init", "-q"], cwd=target, check=True)
    applied = subprocess.run(["git", "apply", str(patch_file)], cwd=target, capture_output=True, check=False)
    assert applied.returncode == 0, applied.stderr

    written = _altbot(site, "fix", "--captioner", "metadata", "--write", ".")
    assert written.returncode == 0, written.stderr
    with open(os.path.join(os.fsencode(site), name), "rb") as fh:
        after_write = fh.read()
    with open(os.path.join(os.fsencode(target), name), "rb") as fh:
        assert fh.read() == after_write != FIX_PAGE


# -- fix --format json and caption --json: a name that is not UTF-8 as a \udcXX escape --------

JSON_NAMES = [
    pytest.param(b"bad\xff", id="not-utf8"),
    pytest.param(b"caf\xe9 latin1", id="latin1-with-space"),
    pytest.param("d\u00e9j\u00e0-vu".encode(), id="utf8-accents-no-change"),
    pytest.param(b"my page", id="space-no-change"),
    pytest.param(b"ok", id="plain-no-change"),
]


@pytest.mark.parametrize("stem", JSON_NAMES)
def test_fix_json_names_the_page_by_its_own_bytes(tmp_path, stem):
    name = stem + b".html"
    site = _described_site(tmp_path, name)
    proc = _altbot(site, "fix", "--captioner", "metadata", "--format", "json", ".")
    assert b"internal error" not in proc.stderr, proc.stderr
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout.decode("utf-8"))  # strict: the document is UTF-8
    assert [os.fsencode(p["path"]) for p in doc["proposals"]] == [name]
    assert doc["proposals"][0]["alt"] == "A red kite over a field"


@pytest.mark.parametrize("stem", JSON_NAMES)
def test_caption_json_names_the_image_by_its_own_bytes(tmp_path, stem):
    from tests.conftest import described_photo

    name = stem + b".png"
    try:
        described_photo(os.fsdecode(os.path.join(os.fsencode(tmp_path), name)), "A red kite over a field")
    except (OSError, UnicodeError):  # pragma: no cover - a file system that refuses such names
        pytest.skip(f"this file system does not take the name {name!r}")
    proc = _altbot(tmp_path, "caption", "--captioner", "metadata", "--json", os.fsdecode(name))
    assert b"internal error" not in proc.stderr, proc.stderr
    assert proc.returncode == 0, proc.stderr
    records = json.loads(proc.stdout.decode("utf-8"))  # strict: the document is UTF-8
    assert [(os.fsencode(r["path"]), r["alt"]) for r in records] == [(name, "A red kite over a field")]
