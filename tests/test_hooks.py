"""The shipped git integrations, exercised in throw-away repositories, offline.

* ``hooks/pre-commit``: the plain POSIX-sh hook (checks the staged content).
* ``.pre-commit-hooks.yaml``: the pre-commit framework hook definition, run
  through pre-commit itself as a ``repo: local`` hook with ``language: system``
  (everything else copied from the shipped manifest).
* ``action.yml``: the composite GitHub Action (structure, and its check step
  run locally with bash).
"""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HOOK = ROOT / "hooks" / "pre-commit"
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
ACTION = ROOT / "action.yml"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BAD = '<p>Hello</p>\n<img src="a.png">\n'
GOOD = '<p>Hello</p>\n<img src="a.png" alt="A cat">\n'
ALTBOT_CMD = f"{shlex.quote(sys.executable)} -m altbot"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """An environment isolated from the user's git/pre-commit configuration."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=str(home / ".gitconfig"),
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


class Repo:
    def __init__(self, path: Path, env: dict[str, str]) -> None:
        self.path = path
        self.env = env

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            args, cwd=self.path, env=self.env, capture_output=True, text=True, timeout=120
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"{args} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
        return proc

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("git", *args, check=check)

    def write(self, name: str, text: str) -> None:
        p = self.path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")

    def commit(self, *names: str, message: str = "change") -> subprocess.CompletedProcess[str]:
        """``git add names && git commit``; returns the commit's result, unchecked."""
        if names:
            self.git("add", "--", *names)
        return self.git("commit", "-m", message, check=False)

    def head_count(self) -> int:
        proc = self.git("rev-list", "--count", "HEAD", check=False)
        return int(proc.stdout) if proc.returncode == 0 else 0


def make_repo(tmp_path: Path, **env: str) -> Repo:
    path = tmp_path / "repo"
    path.mkdir()
    repo = Repo(path, _env(tmp_path, **env))
    repo.git("init", "-q")
    for key, value in {
        "user.name": "Test",
        "user.email": "test@example.com",
        "commit.gpgsign": "false",
        "core.autocrlf": "false",
    }.items():
        repo.git("config", key, value)
    return repo


def output(proc: subprocess.CompletedProcess[str]) -> str:
    return proc.stdout + proc.stderr


# -- plain hook ------------------------------------------------------------------


@pytest.fixture
def hooked(tmp_path: Path) -> Repo:
    repo = make_repo(tmp_path, ALTBOT=ALTBOT_CMD)
    dest = repo.path / ".git" / "hooks" / "pre-commit"
    dest.parent.mkdir(exist_ok=True)
    shutil.copyfile(HOOK, dest)
    dest.chmod(dest.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return repo


def test_hook_is_executable_posix_sh() -> None:
    assert HOOK.read_text(encoding="utf-8").startswith("#!/bin/sh\n")
    assert os.access(HOOK, os.X_OK), "hooks/pre-commit must be committed executable"
    dash = shutil.which("dash")
    if dash:  # stricter than bash about POSIX syntax
        subprocess.run([dash, "-n", str(HOOK)], check=True)


def test_hook_refuses_missing_alt_and_accepts_alt(hooked: Repo) -> None:
    hooked.write("page.html", BAD)
    proc = hooked.commit("page.html")
    assert proc.returncode != 0, output(proc)
    assert "missing-alt" in output(proc)
    assert "page.html:2:" in output(proc)  # repository path, not the temp checkout's
    assert "--no-verify" in output(proc)
    assert hooked.head_count() == 0

    hooked.write("page.html", GOOD)
    proc = hooked.commit("page.html")
    assert proc.returncode == 0, output(proc)
    assert hooked.head_count() == 1


def test_hook_checks_staged_content_not_working_tree(hooked: Repo) -> None:
    hooked.write("page.html", GOOD)
    assert hooked.commit("page.html").returncode == 0

    # Staged: bad. Working tree: fixed but not re-staged -> still refused.
    hooked.write("page.html", BAD)
    hooked.git("add", "page.html")
    hooked.write("page.html", GOOD)
    proc = hooked.commit()
    assert proc.returncode != 0, output(proc)
    assert "missing-alt" in output(proc)
    assert (hooked.path / "page.html").read_text(encoding="utf-8") == GOOD  # untouched

    # The reverse: staged good, working tree bad -> accepted.
    good2 = GOOD + '<img src="b.png" alt="A dog">\n'
    hooked.write("page.html", good2)
    hooked.git("add", "page.html")
    hooked.write("page.html", BAD)
    proc = hooked.commit()
    assert proc.returncode == 0, output(proc)
    assert hooked.git("show", "HEAD:page.html").stdout == good2
    assert (hooked.path / "page.html").read_text(encoding="utf-8") == BAD


def test_hook_checks_what_commit_a_and_commit_path_would_commit(hooked: Repo) -> None:
    # git uses a temporary index (GIT_INDEX_FILE) for these; the hook must follow it.
    hooked.write("page.html", GOOD)
    assert hooked.commit("page.html").returncode == 0
    hooked.write("page.html", BAD)  # modified, not staged
    for args in (["-a"], ["--", "page.html"]):
        proc = hooked.git("commit", "-m", "edit", *args, check=False)
        assert proc.returncode != 0, (args, output(proc))
        assert "missing-alt" in output(proc)
    assert hooked.head_count() == 1


def test_hook_handles_odd_names_and_other_extensions(hooked: Repo) -> None:
    hooked.write("docs/my page.md", "# Title\n\n![](cat.png)\n")
    proc = hooked.commit("docs/my page.md")
    assert proc.returncode != 0, output(proc)
    assert "docs/my page.md:3:" in output(proc)

    hooked.write("docs/my page.md", "# Title\n\n![A cat](cat.png)\n")
    hooked.write("-dash.MDX", '<img src="a.png" alt="A dog" />\n')
    proc = hooked.commit("docs/my page.md", "-dash.MDX")
    assert proc.returncode == 0, output(proc)


def test_hook_passes_non_page_files(hooked: Repo) -> None:
    # Not a checked extension: the hook has nothing to do (and needs no altbot).
    hooked.env["ALTBOT"] = "false"
    hooked.write("notes.txt", BAD)
    hooked.write("script.py", "print('<img src=\"a.png\">')\n")
    proc = hooked.commit("notes.txt", "script.py")
    assert proc.returncode == 0, output(proc)


def test_hook_ignores_deleted_pages(hooked: Repo) -> None:
    hooked.env["ALTBOT"] = "false"
    hooked.write("notes.txt", "x\n")
    assert hooked.commit("notes.txt").returncode == 0
    # page.html committed while bypassing the hook, then deleted: nothing to check.
    hooked.write("page.html", BAD)
    hooked.git("add", "page.html")
    hooked.git("commit", "-q", "--no-verify", "-m", "bad page")
    hooked.git("rm", "-q", "page.html")
    proc = hooked.commit()
    assert proc.returncode == 0, output(proc)


def test_hook_uses_staged_config(hooked: Repo) -> None:
    # A config excluding drafts/ applies to the hook's run too.
    hooked.write(".altbot.toml", 'exclude = ["drafts/"]\n')
    hooked.write("drafts/page.html", BAD)
    proc = hooked.commit(".altbot.toml", "drafts/page.html")
    assert proc.returncode == 0, output(proc)


def test_hook_reports_broken_altbot_command(hooked: Repo) -> None:
    hooked.env["ALTBOT"] = "/nonexistent/altbot"
    hooked.write("page.html", GOOD)
    proc = hooked.commit("page.html")
    assert proc.returncode != 0
    assert "ALTBOT" in output(proc)


# -- pre-commit framework ----------------------------------------------------------


def _manifest_hook(hook_id: str = "altbot-check") -> dict:
    hooks = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(hooks, list) and [h["id"] for h in hooks] == ["altbot-check", "altbot-fix"]
    return next(h for h in hooks if h["id"] == hook_id)


def test_manifest_is_valid() -> None:
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(MANIFEST)],
        check=True,
        capture_output=True,
    )
    hook = _manifest_hook()
    assert hook["id"] == "altbot-check"
    assert hook["entry"] == "altbot check"
    assert hook["language"] == "python"
    assert hook.get("pass_filenames", True) is True


def test_manifest_selects_exactly_the_checked_extensions() -> None:
    from identify.identify import tags_from_filename

    hook = _manifest_hook()
    types_or = set(hook.get("types_or", []))
    types = set(hook.get("types", []))

    def selected(name: str) -> bool:
        tags = tags_from_filename(name)
        return (not types_or or bool(tags & types_or)) and types <= tags

    for name in ["a.html", "a.htm", "a.xhtml", "a.md", "a.markdown", "a.mdx", "A.HTML"]:
        assert selected(name), name
    for name in ["a.txt", "a.py", "a.svg", "a.png", "a.json"]:
        assert not selected(name), name


@pytest.fixture
def framework(tmp_path: Path) -> Repo:
    repo = make_repo(tmp_path)
    hook = dict(_manifest_hook())
    # Only language and entry differ from the shipped definition: `python`
    # would build a virtualenv from a git URL, which needs the network.
    hook.update(language="system", entry=f"{ALTBOT_CMD} check")
    hook.pop("minimum_pre_commit_version", None)  # top-level only in a config
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    repo.write(".pre-commit-config.yaml", yaml.safe_dump(config, sort_keys=False))
    repo.run(sys.executable, "-m", "pre_commit", "install")
    proc = repo.commit(".pre-commit-config.yaml", message="pre-commit config")
    assert proc.returncode == 0, output(proc)
    return repo


def test_framework_refuses_missing_alt_and_accepts_alt(framework: Repo) -> None:
    framework.write("page.html", BAD)
    proc = framework.commit("page.html")
    assert proc.returncode != 0, output(proc)
    assert "missing-alt" in output(proc)
    assert framework.head_count() == 1

    framework.write("page.html", GOOD)
    proc = framework.commit("page.html")
    assert proc.returncode == 0, output(proc)
    assert framework.head_count() == 2


def test_framework_checks_staged_content(framework: Repo) -> None:
    framework.write("page.md", "![](a.png)\n")
    framework.git("add", "page.md")
    framework.write("page.md", "![A cat](a.png)\n")  # fixed, not staged
    proc = framework.commit()
    assert proc.returncode != 0, output(proc)
    assert "page.md:1:" in output(proc)  # empty-alt: Markdown ![](…) has no decorative form
    assert (framework.path / "page.md").read_text(encoding="utf-8") == "![A cat](a.png)\n"


def test_framework_passes_non_page_files(framework: Repo) -> None:
    framework.write("notes.txt", BAD)
    proc = framework.commit("notes.txt")
    assert proc.returncode == 0, output(proc)


def test_manifest_fix_hook() -> None:
    hook = _manifest_hook("altbot-fix")
    assert hook["entry"] == "altbot fix --write"
    assert hook["types_or"] == _manifest_hook()["types_or"]
    assert hook["require_serial"] is True


def test_framework_fix_hook_writes_alt_for_review(tmp_path: Path) -> None:
    from tests.conftest import described_photo

    repo = make_repo(tmp_path)
    hook = dict(_manifest_hook("altbot-fix"))
    hook.update(language="system", entry=f"{ALTBOT_CMD} fix --write", args=["--captioner", "metadata"])
    hook.pop("minimum_pre_commit_version", None)
    repo.write(".pre-commit-config.yaml", yaml.safe_dump({"repos": [{"repo": "local", "hooks": [hook]}]}))
    repo.run(sys.executable, "-m", "pre_commit", "install")
    assert repo.commit(".pre-commit-config.yaml", message="config").returncode == 0
    described_photo(repo.path / "team-photo_2024.png", "The team at the 2024 offsite")
    repo.write("page.html", '<p>Hi</p>\n<img src="team-photo_2024.png">\n')
    proc = repo.commit("page.html", "team-photo_2024.png")
    assert proc.returncode != 0, output(proc)  # the hook changed a file: review, add, commit again
    fixed = (repo.path / "page.html").read_text(encoding="utf-8")
    assert fixed == '<p>Hi</p>\n<img src="team-photo_2024.png" alt="The team at the 2024 offsite">\n'
    proc = repo.commit("page.html")
    assert proc.returncode == 0, output(proc)


# -- GitHub Action ---------------------------------------------------------------------


def _action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def test_action_definition() -> None:
    action = _action()
    assert action["name"] and action["description"]
    inputs = action["inputs"]
    assert set(inputs) >= {"paths", "args", "sarif", "version", "python-version"}
    assert inputs["paths"]["default"] == "."
    assert inputs["sarif"].get("default", "") == ""
    assert inputs["version"].get("default", "") == ""
    runs = action["runs"]
    assert runs["using"] == "composite"
    steps = runs["steps"]
    assert any(str(s.get("uses", "")).startswith("actions/setup-python@") for s in steps)
    scripts = "\n".join(s.get("run", "") for s in steps)
    assert "pip install" in scripts
    assert "--format github" in scripts
    assert "--format sarif --output" in scripts
    for s in steps:
        if "run" in s:
            assert s.get("shell") == "bash", s.get("name")
            # inputs reach scripts through env, never pasted into the script
            assert "${{" not in s["run"], s.get("name")
    install = next(s for s in steps if s.get("id") == "install")
    assert "github.action_path" in install["env"]["ALTBOT_ACTION_PATH"]


def _check_step() -> dict:
    return next(s for s in _action()["runs"]["steps"] if s.get("id") == "check")


def _run_check_step(tmp_path: Path, workdir: Path, **inputs: str) -> tuple[int, str, dict[str, str]]:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    shim = tmp_path / "altbot-shim"
    shim.write_text(f"#!/bin/sh\nexec {ALTBOT_CMD} \"$@\"\n", encoding="utf-8")
    shim.chmod(0o755)
    gh_output = tmp_path / "github-output"
    gh_output.write_text("", encoding="utf-8")
    env = _env(
        tmp_path,
        ALTBOT_BIN=str(shim),
        ALTBOT_PATHS=inputs.get("paths", "."),
        ALTBOT_ARGS=inputs.get("args", ""),
        ALTBOT_SARIF=inputs.get("sarif", ""),
        GITHUB_OUTPUT=str(gh_output),
    )
    proc = subprocess.run(
        [bash, "-e", "-c", _check_step()["run"]],  # GitHub runs `bash -e {0}`
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    outs = dict(line.split("=", 1) for line in gh_output.read_text(encoding="utf-8").splitlines() if "=" in line)
    return proc.returncode, proc.stdout + proc.stderr, outs


def test_action_check_step_reports_check_exit_code_and_writes_sarif(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "sub dir").mkdir(parents=True)
    (site / "sub dir" / "page.html").write_text(BAD, encoding="utf-8")
    (site / "ok.md").write_text("![A cat](a.png)\n", encoding="utf-8")

    code, out, outs = _run_check_step(tmp_path, site, paths=".", sarif="reports/altbot.sarif")
    assert code == 1, out
    assert "::" in out and "missing-alt" in out  # GitHub annotations
    assert outs["exit-code"] == "1"
    sarif = site / "reports" / "altbot.sarif"
    assert sarif.is_file() and '"version"' in sarif.read_text(encoding="utf-8")
    assert outs["sarif"] == "reports/altbot.sarif"

    # Clean paths (newline-separated, with a space): exit 0 even with SARIF on.
    (site / "sub dir" / "clean.html").write_text(GOOD, encoding="utf-8")
    code, out, outs = _run_check_step(tmp_path, site, paths="ok.md\nsub dir/clean.html\n", sarif="clean.sarif")
    assert code == 0, out
    assert outs["exit-code"] == "0"
    assert (site / "clean.sarif").is_file()

    # Usage/IO error is kept as the result.
    code, out, outs = _run_check_step(tmp_path, site, paths="missing.html")
    assert code == 2, out
    assert outs["exit-code"] == "2"
