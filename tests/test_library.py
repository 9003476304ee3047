"""The library API is the CLI (issue 10): altbot.check/scan/plan_fix give exactly
what the commands print and write, on the example site and on test trees; a
reviewer's decisions go through FixPlan.decide and land in the ledger."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

import altbot
from altbot.caption.auto import ChainCaptioner
from altbot.caption.base import get_captioner
from altbot.cli import main
from tests.conftest import described_photo, photo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(ROOT, "examples", "site")


def cli(capsysbinary, *argv):
    code = main(list(argv))
    out, err = capsysbinary.readouterr()
    return code, out, err.decode("utf-8", "replace")


@pytest.fixture
def example(tmp_path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(EXAMPLE, site)
    monkeypatch.chdir(site)
    return site


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A small mixed site: HTML, Markdown with front matter, a described photo, a named one."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".altbot.toml").write_text("")
    described_photo(tmp_path / "harbour.png", "Fishing boats in the harbour at dawn", 1)
    described_photo(tmp_path / "team.png", "The team at the 2024 offsite", 2, iptc_alt=True)
    photo(tmp_path / "red-bicycle.png", 3)
    (tmp_path / "index.html").write_text(
        '<html lang="en"><body>\n<img src="harbour.png">\n<img src="team.png" alt="">\n'
        '<img src="red-bicycle.png">\n<img src="harbour.png" alt="IMG_1234">\n</body></html>\n'
    )
    (tmp_path / "post.md").write_text("---\ntitle: Post\nlang: en\n---\n\n![](harbour.png)\n\n![](red-bicycle.png)\n")
    return tmp_path


@pytest.mark.parametrize("where", ["example", "tree"])
def test_check_as_json_is_the_cli_json(where, request, capsysbinary):
    request.getfixturevalue(where)
    code, out, _ = cli(capsysbinary, "check", "--format", "json", ".")
    result = altbot.check(".")
    assert result.as_json() == json.loads(out)
    assert result.exit_code == code


@pytest.mark.parametrize("where", ["example", "tree"])
def test_scan_as_json_is_the_cli_json(where, request, capsysbinary):
    request.getfixturevalue(where)
    code, out, _ = cli(capsysbinary, "scan", "--format", "json", ".")
    result = altbot.scan(".")
    assert result.as_json() == json.loads(out)
    assert result.exit_code == code


@pytest.mark.parametrize("where", ["example", "tree"])
@pytest.mark.parametrize("captioner", ["metadata", "filename"])
def test_plan_diff_is_the_cli_diff_and_write_writes_the_same_bytes(where, captioner, request, capsysbinary, tmp_path_factory):
    site = request.getfixturevalue(where)
    twin = tmp_path_factory.mktemp("twin") / "site"
    shutil.copytree(site, twin)
    code, out, _ = cli(capsysbinary, "fix", "--captioner", captioner, "--no-cache", ".")
    plan = altbot.plan_fix(".", captioner=captioner, no_cache=True)
    assert plan.diff_bytes() == out
    assert plan.exit_code() == code

    cli(capsysbinary, "fix", "--captioner", captioner, "--no-cache", "--write", ".")
    plan = altbot.plan_fix(str(twin), captioner=captioner, no_cache=True)
    plan.write()
    for dirpath, _dirs, files in os.walk(site):
        for name in files:
            if ".altbot" in dirpath:
                continue
            a = os.path.join(dirpath, name)
            b = os.path.join(twin, os.path.relpath(a, site))
            assert open(a, "rb").read() == open(b, "rb").read(), os.path.relpath(a, site)


def test_fix_format_json_lists_every_proposal(tree, capsysbinary):
    code, out, _ = cli(capsysbinary, "fix", "--captioner", "metadata", "--no-cache", "--format", "json", ".")
    doc = json.loads(out)
    plan = altbot.plan_fix(".", captioner="metadata", no_cache=True)
    assert doc == json.loads(json.dumps(plan.as_json()))
    keys = {"path", "line", "column", "src", "alt", "decorative", "verdict", "applicability", "reasons", "status", "reason", "image_hash"}
    assert all(keys <= set(p) for p in doc["proposals"])
    assert code == 1


def test_proposals_carry_applicability_and_what_write_writes(tree):
    plan = altbot.plan_fix(".", captioner=ChainCaptioner([get_captioner("metadata"), get_captioner("filename")]), no_cache=True)
    by = {(p.path, p.line, p.src): p for p in plan.proposals}
    harbour = by[("index.html", 2, "harbour.png")]
    assert (harbour.alt, harbour.applicability.value, harbour.will_write) == ("Fishing boats in the harbour at dawn", "review", True)
    bicycle = by[("index.html", 4, "red-bicycle.png")]
    assert (bicycle.alt, bicycle.applicability.value, bicycle.will_write) == ("Red bicycle", "display-only", False)
    assert b"Red bicycle" not in plan.diff_bytes()  # shown, not written
    assert all(len(p.image_hash or "") in (0, 64) for p in plan.proposals)


def test_alt_empty_is_kept_unless_include_empty(tree):
    plan = altbot.plan_fix(".", captioner="metadata", no_cache=True)
    assert all(p.src != "team.png" for p in plan.proposals)
    plan = altbot.plan_fix(".", captioner="metadata", no_cache=True, include_empty=True)
    team = [p for p in plan.proposals if p.src == "team.png"]
    assert team and team[0].applicability.value == "safe" and team[0].alt == "The team at the 2024 offsite"


def test_a_human_alt_is_kept_unless_the_replacement_is_shown_better(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".altbot.toml").write_text("")
    described_photo(tmp_path / "dialog-anatomy.png", "Settings dialog with three toggles", 1)
    described_photo(tmp_path / "shot.png", "Settings dialog with three toggles, dark mode on", 2)
    page = (
        '<html lang="en">\n<img src="dialog-anatomy.png" alt="Dialog Anatomy">\n<img src="shot.png" alt="IMG_1234">\n'
        '<a href="/xd"><img src="dialog-anatomy.png" alt="logo"></a>\n</html>\n'
    )
    (tmp_path / "p.html").write_text(page)
    plan = altbot.plan_fix(".", captioner="metadata", no_cache=True, replace_suspicious=True)
    by = {p.line: p for p in plan.proposals}
    assert by[2].applicability.value == "display-only" and by[2].current_alt == "Dialog Anatomy"
    assert by[3].applicability.value == "review" and any("replaces the human-written 'IMG_1234'" in r for r in by[3].reasons)
    assert by[4].applicability.value == "display-only" and any("names the link" in r for r in by[4].reasons)
    plan.write()
    text = (tmp_path / "p.html").read_text()
    assert 'alt="Dialog Anatomy"' in text and 'alt="logo"' in text
    assert 'alt="Settings dialog with three toggles, dark mode on"' in text


def test_what_fix_writes_passes_check_on_the_example_site(example):
    """The demo's own fix never adds a warning that check then raises (issue 10, section 4)."""
    before = altbot.check(".")
    warn_before = sorted((f.image.path, f.image.line) for f in before.findings if f.rule == "suspicious-alt")
    plan = altbot.plan_fix(".", captioner=ChainCaptioner([get_captioner("metadata"), get_captioner("filename")]), no_cache=True)
    assert plan.write().ok
    after = altbot.check(".")
    warn_after = sorted((f.image.path, f.image.line) for f in after.findings if f.rule == "suspicious-alt")
    assert warn_after == warn_before
    assert len(after.findings) < len(before.findings)


# -- the reviewer's one path ----------------------------------------------------------------


def _ledger(site):
    path = site / ".altbot" / "decisions.json"
    return json.loads(path.read_text())["decisions"] if path.exists() else []


def test_decide_accept_edit_decorative_reject_skip_and_the_ledger(tree):
    plan = altbot.plan_fix(".", captioner=ChainCaptioner([get_captioner("metadata"), get_captioner("filename")]), no_cache=True)
    by = {(p.path, p.line): p for p in plan.proposals}
    accepted = plan.decide(by[("index.html", 4)].id, "accept")  # display-only file-name text, vouched for
    assert accepted.applicability.value == "safe" and accepted.will_write
    edited = plan.decide(by[("index.html", 2)], "accept", "Boats in the harbour")
    assert edited.alt == "Boats in the harbour" and edited.backend == "reviewer" and not edited.machine_written
    assert plan.decide(by[("post.md", 6)].id, "decorative").decorative
    assert plan.decide(by[("post.md", 8)].id, "reject").status.value == "skipped"
    with pytest.raises(altbot.DecisionError, match="unknown decision"):
        plan.decide(0, "maybe")
    with pytest.raises(altbot.DecisionError, match="empty alt"):
        plan.decide(0, "accept", "  ")
    with pytest.raises(altbot.DecisionError, match="no proposal 999"):
        plan.decide(999, "accept")
    assert plan.write().ok
    html = (tree / "index.html").read_text()
    assert '<img src="red-bicycle.png" alt="Red bicycle">' in html and '<img src="harbour.png" alt="Boats in the harbour">' in html
    assert (tree / "post.md").read_text().endswith("![](harbour.png)\n\n![](red-bicycle.png)\n")
    decisions = sorted((d["page"], d["decision"], d.get("alt")) for d in _ledger(tree))
    assert decisions == [
        ("index.html", "reviewed", "Boats in the harbour"),
        ("index.html", "reviewed", "Red bicycle"),
        ("post.md", "decorative", None),
        ("post.md", "rejected", "Red bicycle"),
    ]
    # the next run proposes none of them again; check no longer flags the vouched-for file-name alt
    again = altbot.plan_fix(".", captioner=ChainCaptioner([get_captioner("metadata"), get_captioner("filename")]), no_cache=True)
    assert [p.reason for p in again.proposals if p.path == "post.md"] == ["suggestion rejected in the ledger"]
    assert not [f for f in altbot.check(".").findings if f.rule == "suspicious-alt" and f.image.src == "red-bicycle.png"]


def test_unknown_options_and_config_as_a_path(tree, tmp_path):
    with pytest.raises(TypeError, match="unknown option"):
        altbot.check(".", colour=True)
    with pytest.raises(TypeError, match="unknown option"):
        altbot.plan_fix(".", write=True)
    cfg = tree / "strict.toml"
    cfg.write_text('fail-on = "warning"\n')
    assert altbot.check(".", config=str(cfg)).config.fail_on.value == "warning"
    assert altbot.check(".", config=altbot.load_config(cfg)).exit_code == 1


def test_patch_and_branch_from_the_library(tree, tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    for args in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init"]):
        subprocess.run(["git", *args], cwd=tree, check=True)
    plan = altbot.plan_fix(".", captioner="metadata", no_cache=True)
    assert plan.patch(str(tmp_path / "fix.patch")) == len(plan.changed) > 0
    sha = plan.to_branch("alt-text", "Add alt text")
    assert sha and subprocess.run(["git", "log", "-1", "--format=%s", "alt-text"], cwd=tree, capture_output=True, text=True).stdout.strip() == "Add alt text"
    subprocess.run(["git", "apply", "--check", str(tmp_path / "fix.patch")], cwd=tree, check=True)


def test_the_readme_python_example_runs(tree):
    readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    section = readme.split("## Use from Python", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    env = {**os.environ, "PYTHONPATH": ROOT}
    r = subprocess.run([sys.executable, "-c", code], cwd=tree, capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "index.html" in r.stdout


def test_check_computes_no_decorative_context_but_scan_and_fix_do(tree):
    (tree / "link.html").write_text('<html lang="en"><a href="/boats"><img src="harbour.png"></a></html>\n')
    check_images = [f.image for f in altbot.check(".").findings]
    assert any(im.path == "link.html" for im in check_images) and all(im.context is None for im in check_images)
    [img] = [im for im in altbot.scan(".").images if im.path == "link.html"]
    assert img.context is not None and img.context.in_link and img.context.link_href == "/boats"
    assert any(p.context and "link" in dict(p.context) for p in altbot.plan_fix(".", captioner="metadata", no_cache=True).proposals)
