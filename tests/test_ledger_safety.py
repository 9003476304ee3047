"""The decisions ledger under attack: a hostile file is a one-line ledger error, an
unreadable ledger (a merge conflict) stops every write, and a ledger symlinked out
of the project is never written. Each test failed on the code before the fix."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess

import pytest

import altbot
from altbot.cli import main
from altbot.ledger import Ledger, LedgerError
from tests.conftest import described_photo

PAGE = '<html lang="en"><body><img src="team.png"></body></html>\n'
CAPTION = "The support team at the 2024 offsite"


def deep(n: int) -> str:
    return "[" * n + "]" * n


def doc(decisions: str) -> str:
    return '{"version": 1, "decisions": ' + decisions + "}"


def entry(page: str) -> str:
    return '[{"page": ' + page + ', "src": "team.png", "decision": "rejected"}]'


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A git project with one page and one photo whose metadata the metadata captioner proposes."""
    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / ".altbot.toml").write_text("")
    described_photo(tmp_path / "team.png", CAPTION, 1)
    (tmp_path / "index.html").write_text(PAGE)
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "i"], cwd=tmp_path, check=True)
    (tmp_path / ".altbot").mkdir()
    return tmp_path


def write_ledger(root, text: str) -> None:
    (root / ".altbot" / "decisions.json").write_text(text)


def image_hash(root) -> str:
    return hashlib.sha256((root / "team.png").read_bytes()).hexdigest()


def fix(capsys, *argv) -> tuple[int, str, str]:
    rc = main(["fix", "--captioner", "metadata", "--no-cache", *argv])
    out, err = capsys.readouterr()
    return rc, out, err


# -- 1. a hostile ledger is a ledger error, not an internal error --------------------------------


@pytest.mark.parametrize(
    "text, fragment",
    [
        pytest.param(doc(deep(100_000)), "nested too deeply", id="nested-100000-deep"),
        pytest.param(doc(entry(deep(100_000))), "nested too deeply", id="a-page-nested-100000-deep"),
        pytest.param(doc(entry("1" * 5000)), "number of thousands of digits", id="5000-digit-number"),
        pytest.param(doc(entry("-" + "9" * 4301)), "number of thousands of digits", id="4301-digit-negative"),
        # no change: what was read before is read as before
        pytest.param(doc(entry("1" * 4000)), None, id="4000-digit-number-is-read"),
        pytest.param(doc(deep(50)), "needs at least page, src and decision", id="nested-50-deep-is-a-shape-error"),
        pytest.param(doc("[]"), None, id="empty-ledger"),
        pytest.param('{"version": 1, "decisions": [', "not valid JSON", id="truncated-json"),
    ],
)
def test_a_hostile_ledger_is_a_ledger_error(tmp_path, text, fragment):
    path = tmp_path / "decisions.json"
    path.write_text(text)
    if fragment is None:
        assert len(Ledger.load(str(path))) == text.count('"page"')
    else:
        with pytest.raises(LedgerError, match=fragment) as exc:
            Ledger.load(str(path))
        assert str(path) in str(exc.value)
        assert "delete the file" in str(exc.value) or "needs at least" in str(exc.value)


@pytest.mark.parametrize(
    "text, fragment",
    [
        pytest.param(doc(deep(100_000)), "nested too deeply", id="deep"),
        pytest.param(doc(entry("1" * 5000)), "number of thousands of digits", id="long-number"),
        pytest.param(doc("[]"), None, id="no-change-a-good-ledger"),
    ],
)
@pytest.mark.parametrize(
    "command, bad_rc",
    [
        pytest.param(["fix", "--captioner", "metadata", "--no-cache", "--write", "."], 2, id="fix"),
        pytest.param(["check", "."], 1, id="check"),  # the missing alt is a finding: findings win, as elsewhere
        pytest.param(["ledger", "list"], 2, id="ledger-list"),
    ],
)
def test_every_command_reports_a_hostile_ledger_in_one_line(site, capsys, text, fragment, command, bad_rc):
    write_ledger(site, text)
    rc = main(command)
    out, err = capsys.readouterr()
    assert "internal error" not in out + err and "Traceback" not in err
    if fragment is None:
        assert rc in (0, 1), err
        assert "decisions ledger" not in out + err
    else:
        assert rc == bad_rc, err
        lines = [line for line in (out + err).splitlines() if fragment in line]
        assert len(lines) == 1 and "decisions.json" in lines[0], out + err
