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


# -- 2. an unreadable ledger: its decisions are unknown, so nothing is written ---------------------


def rejected(root, date: str = "2026-12-01") -> str:
    return json.dumps(
        {"alt": CAPTION, "date": date, "decision": "rejected", "hash": image_hash(root), "page": "index.html", "src": "team.png"}
    )


def conflicted(root) -> str:
    """Both sides of the merge reject the caption; the conflict markers make the file unreadable."""
    return (
        '{\n  "decisions": [\n<<<<<<< HEAD\n    ' + rejected(root) + "\n=======\n    " + rejected(root, "2026-12-02")
        + '\n>>>>>>> branch\n  ],\n  "version": 1\n}\n'
    )


def resolved(root) -> str:
    return '{\n  "decisions": [\n    ' + rejected(root) + '\n  ],\n  "version": 1\n}\n'


def branches(root) -> list[str]:
    return subprocess.run(["git", "branch", "--format=%(refname:short)"], cwd=root, capture_output=True, text=True).stdout.split()


MODES = [
    pytest.param(["--write"], True, id="write"),
    pytest.param(["--patch", "fixes.diff"], True, id="patch"),
    pytest.param(["--branch", "alt-text"], True, id="branch"),
    pytest.param(["--interactive"], True, id="interactive"),
    pytest.param([], False, id="diff"),
    pytest.param(["--format", "json"], False, id="json"),
]


@pytest.mark.parametrize("argv, writes", MODES)
@pytest.mark.parametrize("ledger", ["conflicted", "resolved"])
def test_an_unreadable_ledger_stops_every_write(site, capsys, monkeypatch, argv, writes, ledger):
    write_ledger(site, conflicted(site) if ledger == "conflicted" else resolved(site))
    before = (site / ".altbot" / "decisions.json").read_bytes()
    monkeypatch.setenv("ALTBOT_INTERACTIVE_PIPE", "1")
    monkeypatch.setattr("sys.stdin", io.StringIO("a\n" * 5))
    rc, out, err = fix(capsys, *argv, ".")
    assert "Traceback" not in err and "internal error" not in err
    assert (site / "index.html").read_text() == PAGE  # the caption the ledger rejects is never written
    assert not (site / "fixes.diff").exists() or ledger == "resolved"
    assert branches(site) in (["master"], ["main"]), branches(site)  # no branch: nothing to fix, or refused
    assert (site / ".altbot" / "decisions.json").read_bytes() == before  # the ledger is left for the merge
    if ledger == "resolved":  # no change: the rejection is honoured and nothing is refused
        assert rc == 1, err
        assert "cannot be read" not in err and "not applied" not in err
        assert CAPTION not in out
        return
    assert rc == 2, err
    assert "decisions.json:3:1" in err and "its decisions are not applied" in err
    if writes:
        assert "altbot: error: nothing written: the decisions ledger .altbot/decisions.json cannot be read" in err
        assert "fix the merge conflict" in err and "delete the file" in err
        assert "images captioned" not in err  # no summary of a fix that did not happen
    else:  # the diff (or JSON) without the ledger's decisions may be shown, and says so
        assert CAPTION in out
        assert "nothing written:" not in err
        if argv:
            assert "its decisions are not applied" in json.loads(out)["errors"][0]["message"]


@pytest.mark.parametrize("ledger", ["conflicted", "resolved", "none"])
def test_the_library_refuses_to_write_a_plan_made_without_its_ledger(site, ledger):
    if ledger != "none":
        write_ledger(site, conflicted(site) if ledger == "conflicted" else resolved(site))
    plan = altbot.plan_fix(".", captioner="metadata", no_cache=True)
    if ledger == "conflicted":
        assert plan.ledger_error is not None and plan.exit_code() == 2
        for act in (plan.check_writable, plan.write, lambda: plan.patch("fixes.diff"), lambda: plan.to_branch("alt-text")):
            with pytest.raises(LedgerError, match="cannot be read.*fix the merge conflict"):
                act()
        assert (site / "index.html").read_text() == PAGE and not (site / "fixes.diff").exists()
        assert "alt-text" not in branches(site)
    else:  # no change: a readable ledger, or none, is written as before
        plan.check_writable()
        assert plan.ledger_error is None
        result = plan.write()
        assert result.ok
        assert (CAPTION in (site / "index.html").read_text()) == (ledger == "none")


@pytest.mark.parametrize("ledger", ["conflicted", "none"])
def test_the_review_page_writes_nothing_without_its_ledger(site, capsys, monkeypatch, ledger):
    pytest.importorskip("starlette")
    from altbot.review import server
    from altbot.review.session import ReviewSession

    if ledger == "conflicted":
        write_ledger(site, conflicted(site))
    plan = altbot.plan_fix(".", captioner="metadata", no_cache=True)
    session = ReviewSession(plan)
    session.decide(plan.proposals[0].id, "accept")
    report = session.write()
    served = []
    monkeypatch.setattr(server, "serve", lambda *a, **kw: served.append(1) or True)
    rc = main(["review", "--no-browser", "--captioner", "metadata", "--no-cache", "."])
    err = capsys.readouterr().err
    if ledger == "conflicted":
        assert not report.ok and report.written == [] and "cannot be read" in report.errors[0]
        assert (site / "index.html").read_text() == PAGE
        assert rc == 2 and not served  # the review is not started
        assert "nothing written: the decisions ledger .altbot/decisions.json cannot be read" in err
    else:  # no change
        assert report.ok and report.written == ["index.html"] and CAPTION in (site / "index.html").read_text()
        assert served


# -- 3. a ledger symlinked out of the project is never written ----------------------------------

EMPTY = '{"version": 1, "decisions": []}\n'
STALE = '{"version": 1, "decisions": [{"page": "gone.html", "src": "x.png", "hash": "h", "decision": "rejected"}]}\n'


def link_ledger(root, outside, layout: str, content: str) -> tuple:
    """Make the ledger path a symlink as ``layout`` says; (the file a save would write, whether it is outside)."""
    alt = root / ".altbot"
    if layout == "file-to-outside-file":
        (outside / "d.json").write_text(content)
        os.symlink(outside / "d.json", alt / "decisions.json")
        return outside / "d.json", True
    if layout == "file-to-outside-nothing":
        os.symlink(outside / "d.json", alt / "decisions.json")
        return outside / "d.json", True
    if layout == "folder-to-outside-folder":
        alt.rmdir()
        (outside / "decisions.json").write_text(content)
        os.symlink(outside, alt)
        return outside / "decisions.json", True
    if layout == "folder-to-outside-nothing":
        alt.rmdir()
        os.symlink(outside / "missing", alt)
        return outside / "missing" / "decisions.json", True
    if layout == "file-to-inside-file":
        (root / "meta").mkdir()
        (root / "meta" / "d.json").write_text(content)
        os.symlink("../meta/d.json", alt / "decisions.json")
        return root / "meta" / "d.json", False
    if layout == "file-to-inside-nothing":
        os.symlink("../d.json", alt / "decisions.json")
        return root / "d.json", False
    if layout == "folder-to-inside-folder":
        alt.rmdir()
        (root / "meta").mkdir()
        (root / "meta" / "decisions.json").write_text(content)
        os.symlink("meta", alt)
        return root / "meta" / "decisions.json", False
    assert layout == "plain-file", layout
    (alt / "decisions.json").write_text(content)
    return alt / "decisions.json", False


LAYOUTS = [
    "file-to-outside-file",
    "file-to-outside-nothing",
    "folder-to-outside-folder",
    "folder-to-outside-nothing",
    # no change: a link that stays inside the project, and no link at all
    "file-to-inside-file",
    "file-to-inside-nothing",
    "folder-to-inside-folder",
    "plain-file",
]


def snapshot(path):
    return path.read_bytes() if path.exists() else None


@pytest.mark.parametrize("layout", LAYOUTS)
def test_fix_write_never_saves_a_ledger_outside_the_project(site, tmp_path_factory, capsys, layout):
    outside = tmp_path_factory.mktemp("outside")
    target, is_outside = link_ledger(site, outside, layout, EMPTY)
    before = snapshot(target)
    rc, out, err = fix(capsys, "--write", ".")
    assert "Traceback" not in err and "internal error" not in err
    if is_outside:
        assert rc == 2, err
        assert snapshot(target) == before  # neither created nor overwritten
        assert sorted(os.listdir(outside)) == (["d.json"] if before is not None and layout.startswith("file") else
                                               ["decisions.json"] if before is not None else [])
        assert (site / "index.html").read_text() == PAGE  # refused before any page is written
        assert "altbot: error:" in err and "outside the project root" in err and "replace the link" in err
    else:
        assert rc == 0, err
        assert CAPTION in (site / "index.html").read_text()
        entries = json.loads(target.read_text())["decisions"]
        assert [(d["page"], d["decision"]) for d in entries] == [("index.html", "written")]
        assert os.path.islink(site / ".altbot" / "decisions.json") == layout.startswith("file-to")  # the link stays


@pytest.mark.parametrize("layout", LAYOUTS)
def test_ledger_prune_never_saves_a_ledger_outside_the_project(site, tmp_path_factory, capsys, layout):
    outside = tmp_path_factory.mktemp("outside")
    target, is_outside = link_ledger(site, outside, layout, STALE)
    before = snapshot(target)
    rc = main(["ledger", "prune"])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err
    if is_outside:
        assert snapshot(target) == before
        if before is None:  # a dangling link reads as an empty ledger: nothing to prune, nothing saved
            assert rc == 0, err
        else:
            assert rc == 2 and "outside the project root" in err, err
    else:
        assert rc == 0, err
        if before is not None:
            assert json.loads(target.read_text())["decisions"] == []


@pytest.mark.parametrize("layout", LAYOUTS)
def test_check_never_reads_a_ledger_outside_the_project(site, tmp_path_factory, capsys, layout):
    """A decision in a file outside the project (through a symlinked ledger) is not read: the
    check says so and reports the page as it is (was: read, so it passed the empty alt)."""
    outside = tmp_path_factory.mktemp("outside")
    (site / "index.html").unlink()
    (site / "notes.md").write_text("Text\n\n![](team.png)\n")
    decision = {"page": "notes.md", "src": "team.png", "hash": image_hash(site), "decision": "decorative"}
    target, is_outside = link_ledger(site, outside, layout, json.dumps({"version": 1, "decisions": [decision]}))
    rc = main(["check", "."])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err
    if is_outside and target.exists():
        assert rc == 1, (out, err)  # the finding, and the ledger's error beside it
        assert "empty-alt" in out and "reads nothing there" in (out + err) and str(target) in (out + err)
    elif not target.exists():  # a dangling link reads nothing: no ledger, as ever
        assert rc == 1 and "empty-alt" in out and "ledger" not in (out + err), (out, err)
    else:  # no change: a ledger inside the project is read
        assert rc == 0, (out, err)
