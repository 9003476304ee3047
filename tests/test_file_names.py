"""File names as the OS gives them: a name that is not UTF-8 (bytes from another locale, a
broken archive) or that holds a space must reach every report, as its own bytes, and never
fail the run ("internal error") or make a JSON report that is not UTF-8."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest

PAGE = b'<html lang="en"><body><img src="a.png"></body></html>\n'

NAMES = [
    pytest.param(b"bad\xff.html", id="not-utf8"),
    pytest.param(b"caf\xe9 latin1.html", id="latin1-with-space"),
    pytest.param(b"my page.html", id="space"),
    pytest.param("d\u00e9j\u00e0-vu.html".encode(), id="utf8-accents"),
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
        return [unquote_to_bytes(u) for u in locs]
    if fmt == "github":
        return [line.split(b"file=", 1)[1].split(b",line=", 1)[0] for line in out.splitlines() if line.startswith(b"::")]
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
