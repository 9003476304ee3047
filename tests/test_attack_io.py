"""Issue 9, the I/O promises under attack: devices and FIFOs, lost edits while
writing, symlinked pages, writes outside the project, and tracebacks where a
message is due. Each test failed on the code before the fix."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from altbot import files
from altbot.apply import ApplyError, write_if_unchanged
from altbot.cli import main
from tests.conftest import described_photo, photo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def altbot(cwd, *argv, timeout=60, env=None):
    """The real CLI in a subprocess: a hang fails the test instead of the suite."""
    full_env = {**os.environ, "PYTHONPATH": ROOT, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "altbot", *argv], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=full_env
    )


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".altbot.toml").write_text("")
    (tmp_path / "good.html").write_text('<html lang="en"><img src="a.png"></html>\n')
    return tmp_path


# -- 3. devices and FIFOs --------------------------------------------------------


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("explicit", [False, True], ids=["walked", "named"])
def test_a_page_symlinked_to_a_device_is_an_error_not_an_endless_read(tree, device, explicit):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    os.symlink(device, tree / "dev.html")
    r = altbot(tree, "check", *(["dev.html", "good.html"] if explicit else ["."]), timeout=30)
    assert r.returncode == 1, r.stderr  # good.html's finding still counts
    assert "dev.html" in r.stdout and "outside the project root" in r.stdout
    assert "good.html:1:" in r.stdout
    assert "Traceback" not in r.stderr


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="mknod needs root")
@pytest.mark.parametrize("explicit", [False, True], ids=["walked", "named"])
def test_a_device_node_inside_the_tree_is_an_error(tree, explicit):
    os.mknod(tree / "zero.html", 0o600 | __import__("stat").S_IFCHR, os.makedev(1, 5))  # /dev/zero's numbers
    r = altbot(tree, "check", *(["zero.html", "good.html"] if explicit else ["."]), timeout=30)
    assert r.returncode == 1, r.stderr
    assert "zero.html" in r.stdout and "a device" in r.stdout
    assert "good.html:1:" in r.stdout


@pytest.mark.parametrize("explicit", [False, True], ids=["walked", "named"])
def test_a_fifo_named_like_a_page_does_not_hang(tree, explicit):
    os.mkfifo(tree / "x.html")
    r = altbot(tree, "check", *(["x.html", "good.html"] if explicit else ["."]), timeout=30)
    assert "x.html" in r.stdout and "FIFO" in r.stdout, r.stdout
    assert "good.html:1:" in r.stdout
    assert r.returncode == 1


def test_read_regular_is_bounded_even_when_the_size_lies(tmp_path):
    p = tmp_path / "f"
    p.write_bytes(b"x" * 100)
    assert files.read_regular(p, 100) == b"x" * 100
    with pytest.raises(files.TooLarge):
        files.read_regular(p, 99)
    with pytest.raises(files.NotRegularFile):
        files.read_regular("/dev/zero", 10)
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(files.NotRegularFile):
        files.read_regular(tmp_path / "fifo", 10)


@pytest.mark.parametrize("told", [0, 10, 100_000, 200_000], ids=["zero", "less", "true", "more"])
def test_read_regular_reads_to_the_end_whatever_size_the_stat_tells(tmp_path, monkeypatch, told):
    """The first read asks for the size fstat tells; a file that grew since (or a /proc file that
    says 0) is still read whole, in chunks, and still bounded by the limit."""
    import types

    p = tmp_path / "f"
    data = bytes(range(256)) * 400  # 102,400 bytes: more than one 64 KiB chunk past the first read
    p.write_bytes(data)
    real_fstat = os.fstat

    def lying_fstat(fd):
        st = real_fstat(fd)
        return types.SimpleNamespace(st_mode=st.st_mode, st_size=told)

    monkeypatch.setattr(files.os, "fstat", lying_fstat)
    assert files.read_regular(p, len(data)) == data
    with pytest.raises(files.TooLarge):
        files.read_regular(p, len(data) - 1)


def test_read_regular_reads_a_proc_file_that_says_it_is_empty():
    if not os.path.exists("/proc/self/status"):
        pytest.skip("no /proc here")
    got = files.read_regular("/proc/self/status", 1 << 20)
    assert got.startswith(b"Name:") and got.endswith(b"\n") and b"VmRSS" in got


def test_an_image_that_is_a_fifo_or_device_is_a_reason(tree):
    from altbot.config import Config
    from altbot.images import ImageError, load_image

    os.mkfifo(tree / "pipe.png")
    os.symlink("/dev/zero", tree / "zero.png")
    cfg = Config(root=tree)
    for src in ("pipe.png", "zero.png"):
        got = load_image(src, str(tree / "good.html"), cfg)
        assert isinstance(got, ImageError)
        assert "not an image file" in got.reason or "not found" in got.reason


# -- 5. edits made while --write runs ---------------------------------------------


def _edit_when_the_temp_is_complete(monkeypatch, target, extra=b"<!-- edited -->"):
    """Simulate an editor saving ``target`` right after altbot's temp file is written."""
    real = files._temp_with

    def temp_then_edit(t, data):
        tmp = real(t, data)
        with open(target, "ab") as fh:
            fh.write(extra)
        return tmp

    monkeypatch.setattr(files, "_temp_with", temp_then_edit)


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2-exchange", "re-read-before-rename"])
def test_an_edit_in_the_write_window_is_kept_and_reported(tmp_path, monkeypatch, exchange):
    target = tmp_path / "page.html"
    old = b"<img src=a.png>\n"
    target.write_bytes(old)
    if not exchange:
        monkeypatch.setattr(files, "_exchange", lambda a, b: False)
    _edit_when_the_temp_is_complete(monkeypatch, target)
    with pytest.raises(ApplyError, match="changed since it was scanned"):
        write_if_unchanged(str(target), old, b'<img src=a.png alt="A">\n')
    assert target.read_bytes() == old + b"<!-- edited -->"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]  # no temp file left


def test_exchange_is_really_used_on_linux(tmp_path):
    if not sys.platform.startswith("linux"):
        pytest.skip("renameat2 is Linux-only")
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_bytes(b"A")
    b.write_bytes(b"B")
    assert files._exchange(str(a), str(b)) is True
    assert (a.read_bytes(), b.read_bytes()) == (b"B", b"A")


def test_no_change_write_when_nothing_interferes(tmp_path):
    target = tmp_path / "page.html"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    write_if_unchanged(str(target), b"old", b"new")
    assert target.read_bytes() == b"new"
    assert oct(os.stat(target).st_mode & 0o777) == "0o640"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_a_watcher_appending_to_every_page_loses_nothing(tmp_path, monkeypatch):
    """The attack of the issue: edit each page as soon as altbot's temp file appears."""
    pages = []
    for i in range(40):
        p = tmp_path / f"p{i}.html"
        p.write_bytes(b"<img src=a.png>\n")
        pages.append(p)
    real = files._temp_with
    edited = []

    def temp_then_edit(t, data):
        tmp = real(t, data)
        with open(t, "ab") as fh:
            fh.write(b"<!-- theirs -->")
        edited.append(t)
        return tmp

    monkeypatch.setattr(files, "_temp_with", temp_then_edit)
    refused = 0
    for p in pages:
        try:
            write_if_unchanged(str(p), b"<img src=a.png>\n", b'<img src=a.png alt="ours">\n')
        except ApplyError:
            refused += 1
    assert refused == len(pages)
    assert all(p.read_bytes().endswith(b"<!-- theirs -->") for p in pages)


def test_two_runs_planned_from_the_same_text_never_overwrite_each_other(tmp_path):
    target = tmp_path / "page.html"
    old = b"<img src=a.png>\n"
    target.write_bytes(old)
    write_if_unchanged(str(target), old, b'<img src=a.png alt="first">\n')
    with pytest.raises(ApplyError):
        write_if_unchanged(str(target), old, b'<img src=a.png alt="second">\n')
    assert target.read_bytes() == b'<img src=a.png alt="first">\n'


def test_tree_lock_serialises_runs_and_times_out_with_a_message(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys,time\nfrom altbot.files import tree_lock\n"
         "with tree_lock(sys.argv[1]):\n print('held', flush=True)\n time.sleep(30)", str(tmp_path)],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": ROOT},
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(TimeoutError, match="another altbot run"):
            with files.tree_lock(str(tmp_path), timeout=0.3):
                pass
    finally:
        holder.kill()
        holder.wait()
    with files.tree_lock(str(tmp_path), timeout=5):  # released when the holder died
        pass


def test_ledger_saves_from_two_runs_keep_both_decisions(tmp_path):
    from altbot.ledger import Ledger

    path = str(tmp_path / ".altbot" / "decisions.json")
    a, b = Ledger.load(path), Ledger.load(path)
    a.record("a.md", "x.png", "h1", "decorative")
    b.record("b.md", "y.png", "h2", "rejected", "bad")
    a.save()
    b.save()
    assert {(d.page, d.decision) for d in Ledger.load(path).entries()} == {("a.md", "decorative"), ("b.md", "rejected")}


# -- 10. interrupted writes leave no temp file --------------------------------------


def test_sigint_inside_mkstemp_leaves_no_temp_and_a_whole_file(tmp_path):
    script = f"""
import os, signal, tempfile
from altbot import files
signal.signal(signal.SIGINT, signal.default_int_handler)  # a job started in the background inherits SIGINT ignored
real = tempfile.mkstemp
def mkstemp_then_sigint(*a, **k):
    out = real(*a, **k)
    os.kill(os.getpid(), signal.SIGINT)  # the signal lands right after the temp exists
    return out
tempfile.mkstemp = mkstemp_then_sigint
try:
    files.write_atomic({str(tmp_path / 'page.html')!r}, b"new")
except KeyboardInterrupt:
    print("interrupted")
"""
    (tmp_path / "page.html").write_bytes(b"old")
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": ROOT}, timeout=30)
    assert "interrupted" in r.stdout, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]
    assert (tmp_path / "page.html").read_bytes() in (b"old", b"new")


def test_a_stale_temp_from_a_killed_run_is_removed_by_the_next_write(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(b"old")
    stale = tmp_path / ".page.html.abc123.altbot-tmp"
    stale.write_bytes(b"")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    fresh = tmp_path / ".page.html.def456.altbot-tmp"  # perhaps another run's, in flight: kept
    fresh.write_bytes(b"")
    files.write_atomic(page, b"new")
    assert not stale.exists() and fresh.exists()


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to own files as another user")
def test_write_keeps_the_owner(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(b"old")
    os.chown(page, 1234, 1234)
    write_if_unchanged(str(page), b"old", b"new")
    st = os.stat(page)
    assert (st.st_uid, st.st_gid) == (1234, 1234)


# -- 7. symlinked pages -------------------------------------------------------------


def test_a_symlinked_page_pointing_outside_the_root_is_refused(tmp_path, monkeypatch):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.html").write_text("<img src=secret.png>")
    site = tmp_path / "site"
    site.mkdir()
    (site / ".altbot.toml").write_text("")
    os.symlink(outside / "secret.html", site / "leak.html")
    monkeypatch.chdir(site)
    for argv in (["check", "."], ["check", "leak.html"], ["fix", "--captioner", "filename", "."]):
        r = altbot(site, *argv)
        assert "outside the project root" in (r.stdout + r.stderr), argv
        assert "secret.png" not in r.stdout, argv  # not read, not in the diff
        assert r.returncode == 2, (argv, r.stdout, r.stderr)


def test_fix_write_writes_through_a_symlinked_page_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".altbot.toml").write_text("")
    described_photo(tmp_path / "red-bicycle.png", "A red bicycle against a wall", 1)
    (tmp_path / "index.html").write_text('<html lang="en"><body><img src="red-bicycle.png"></body></html>\n')
    os.symlink("index.html", tmp_path / "alias.html")
    r = altbot(tmp_path, "fix", "--captioner", "metadata", "--write", ".")
    assert r.returncode in (0, 1), r.stderr
    assert os.path.islink(tmp_path / "alias.html")
    assert 'alt="A red bicycle against a wall"' in (tmp_path / "index.html").read_text()
    assert "changed since it was scanned" not in r.stderr  # written once, not twice


def test_check_reports_a_symlinked_duplicate_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".altbot.toml").write_text("")
    (tmp_path / "index.html").write_text('<html lang="en"><img src="a.png"></html>\n')
    os.symlink("index.html", tmp_path / "alias.html")
    r = altbot(tmp_path, "check", "--format", "json", ".")
    doc = json.loads(r.stdout)
    assert [f["path"] for f in doc["findings"]] == ["index.html"]


def _linked_site(tmp_path, target_kind):
    """A site whose content/ holds a page and a folder symlink ``content/linked`` to a folder
    with one page: inside content/ itself, elsewhere in the project, outside it, or a loop."""
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / ".altbot.toml").write_text("")
    (site / "content" / "own.html").write_text('<html lang="en"><img src="own.png"></html>\n')
    target = {
        "in-walked-tree": site / "content" / "real",
        "elsewhere-in-project": site / "shared",
        "outside": tmp_path / "outside",
    }.get(target_kind)
    if target is None:  # a loop: content/linked -> content/
        (site / "content" / "linked").symlink_to(site / "content")
        return site
    target.mkdir(parents=True)
    (target / "page.html").write_text('<html lang="en"><img src="linked.png"></html>\n')
    (site / "content" / "linked").symlink_to(target)
    return site


@pytest.mark.parametrize(
    "target_kind, paths, code, error",
    [
        # no change: the target is walked anyway, its page is reported once, through its real name
        ("in-walked-tree", ["content/own.html", "content/real/page.html"], 1, None),
        # was: skipped in silence; now walked through the link
        ("elsewhere-in-project", ["content/linked/page.html", "content/own.html"], 1, None),
        # was: skipped in silence; now refused, as a symlinked page out of the project is (the
        # finding's 1 is the exit code: 2 is for errors when nothing else failed)
        ("outside", ["content/own.html"], 1, "content/linked error is a symlink to a folder outside the project root"),
        # a link back up the tree is not followed: no endless walk, each page once
        ("loop", ["content/own.html"], 1, None),
    ],
)
def test_a_symlinked_folder_is_walked_or_refused_never_skipped_in_silence(tmp_path, target_kind, paths, code, error):
    site = _linked_site(tmp_path, target_kind)
    r = altbot(site, "check", "--format", "json", "content")
    assert r.returncode == code, (r.stdout, r.stderr)
    doc = json.loads(r.stdout)
    assert sorted(f["path"] for f in doc["findings"]) == paths
    messages = " ".join(f"{e['path']} error {e['message']}" for e in doc.get("errors", []))
    if error is None:
        assert not doc.get("errors"), doc["errors"]
    else:
        assert error in messages, messages
        assert "linked.png" not in r.stdout  # not read


def test_fix_writes_a_page_under_a_folder_link_inside_the_project_once_through_its_real_name(tmp_path):
    site = _linked_site(tmp_path, "elsewhere-in-project")
    described_photo(site / "shared" / "linked.png", "A red bicycle against a wall", 1)
    r = altbot(site, "fix", "--captioner", "metadata", "--write", "content")
    assert r.returncode in (0, 1), r.stderr
    assert os.path.islink(site / "content" / "linked")
    assert 'alt="A red bicycle against a wall"' in (site / "shared" / "page.html").read_text()


# -- 8. writes outside the project ---------------------------------------------------


@pytest.mark.parametrize(
    "key, value",
    [
        pytest.param("ledger", "../outside/decisions.json", id="ledger-relative"),
        pytest.param("ledger", "/tmp/altbot-elsewhere/decisions.json", id="ledger-absolute"),
        pytest.param("cache-dir", "../outside-cache", id="cache-dir"),
    ],
)
def test_a_repository_config_cannot_make_altbot_write_outside_it(tmp_path, key, value):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".altbot.toml").write_text(f'{key} = "{value}"\n')
    photo(repo / "red.png", 1)
    (repo / "a.md").write_text("![](red.png)\n")
    r = altbot(repo, "fix", "--captioner", "filename", "--write", ".")
    assert r.returncode == 2
    assert "outside the project root" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"]
    assert not os.path.exists("/tmp/altbot-elsewhere")


def test_a_ledger_inside_the_project_is_fine(tmp_path):
    (tmp_path / ".altbot.toml").write_text('ledger = "review/decisions.json"\n')
    r = altbot(tmp_path, "check", ".")
    assert r.returncode == 0, r.stderr


# -- 6. tracebacks where a message is due --------------------------------------------


@pytest.mark.parametrize(
    "name, content",
    [
        pytest.param("a.html", '<html lang="en"><img src="x%00.png"></html>', id="percent-nul"),
        pytest.param("b.html", '<html lang="en">' + " " * 9000 + '<img src="x\0.png"></html>', id="raw-nul-past-8k"),
        pytest.param("c.md", '---\nimage: "x\\0.png"\n---\n# Hi\n', id="yaml-nul"),
    ],
)
@pytest.mark.parametrize("command", ["scan", "fix"])
def test_a_nul_in_an_image_src_is_a_reason_not_a_traceback(tree, name, content, command):
    (tree / name).write_text(content)
    argv = [command, "--format", "json", "."] if command == "scan" else [command, "--captioner", "filename", "--explain", "."]
    r = altbot(tree, *argv)
    assert "Traceback" not in r.stderr
    assert r.returncode in (0, 1, 2)
    if command == "fix":
        assert "NUL" in r.stderr or "binary file" in r.stderr


@pytest.mark.parametrize(
    "data, works",
    [
        pytest.param('{"version": 1, "decisions": []}'.encode("utf-16"), True, id="utf-16-with-bom"),
        pytest.param('{"version": 1, "decisions": []}'.encode("utf-16-le"), False, id="utf-16-without-bom"),
        pytest.param(b'{"version": 1, "decisions": [{"page": "\xe9"}]}', False, id="latin-1"),
        pytest.param(b'{"version": 1, "decisions": [{"page": "a", "src": "b", "decision": "decorative", "alt": 5}]}', False, id="alt-not-a-string"),
    ],
)
@pytest.mark.parametrize("command", [["check", "."], ["scan", "."], ["fix", "--captioner", "filename", "."], ["ledger", "list"]])
def test_a_ledger_that_is_not_utf8_is_a_message(tree, data, works, command):
    (tree / ".altbot").mkdir()
    (tree / ".altbot" / "decisions.json").write_bytes(data)
    r = altbot(tree, *command)
    assert "Traceback" not in r.stderr
    if works:
        assert r.returncode in (0, 1), r.stderr
    else:
        assert r.returncode in (1, 2), (r.stdout, r.stderr)  # 1 where findings also exist: they win
        assert "decisions" in (r.stdout + r.stderr)


@pytest.mark.parametrize(
    "config, fragment",
    [
        pytest.param('[tool]\naltbot = 5\n', "must be a table", id="altbot-is-a-number"),
        pytest.param('tool = 5\n', "must be a table", id="tool-is-a-number"),
        pytest.param('[tool.altbot]\nexclude = ["\\\\"]\n', "not a valid glob", id="lone-backslash-glob"),
    ],
)
def test_bad_config_shapes_are_config_errors(tmp_path, config, fragment):
    (tmp_path / "pyproject.toml").write_text(config)
    (tmp_path / ".git").mkdir()
    r = altbot(tmp_path, "check", "--config", "pyproject.toml", ".")
    assert r.returncode == 2
    assert fragment in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_a_bad_exclude_on_the_command_line_is_a_usage_error(tree):
    r = altbot(tree, "check", "--exclude", "\\", ".")
    assert r.returncode == 2 and "not a valid glob" in r.stderr and "Traceback" not in r.stderr


def _boom_on(name):
    from altbot import parse

    real = parse.parse_source

    def parse_source(source, options):
        if source.path.endswith(name):
            raise RuntimeError("boom in the parser")
        return real(source, options)

    return parse_source


def test_an_unexpected_exception_is_one_line_naming_the_file_and_exit_2(tree, monkeypatch, capsys):
    from altbot import runner

    (tree / "bad.html").write_text("<img src=b.png alt=B>")
    (tree / "good.html").write_text('<html lang="en"><img src="a.png" alt="A"></html>')
    monkeypatch.setattr(runner, "parse_source", _boom_on("bad.html"))
    code = main(["check", "."])
    out = capsys.readouterr()
    assert code == 2
    lines = [line for line in out.out.splitlines() if "bad.html" in line]
    assert len(lines) == 1 and "internal error" in lines[0] and "RuntimeError: boom in the parser" in lines[0]
    assert "Traceback" not in out.err


def test_an_unexpected_exception_in_fix_leaves_that_file_and_goes_on(tree, monkeypatch, capsys):
    from altbot import runner as fix

    described_photo(tree / "red-bicycle.png", "A red bicycle against a wall", 1)
    (tree / "bad.html").write_text("<img src=red-bicycle.png>")
    (tree / "good.html").write_text('<html lang="en"><img src="red-bicycle.png"></html>\n')
    monkeypatch.setattr(fix, "parse_source", _boom_on("bad.html"))
    code = main(["fix", "--captioner", "metadata", "--no-cache", "."])
    out = capsys.readouterr()
    assert code == 1  # good.html still gets its fix proposed
    assert "+++ b/good.html" in out.out
    assert "bad.html" in out.err and "internal error" in out.err and "Traceback" not in out.err


def test_the_debug_switch_shows_the_traceback(tree, monkeypatch, capsys):
    from altbot import runner

    monkeypatch.setattr(runner, "parse_source", _boom_on("good.html"))
    monkeypatch.setenv("ALTBOT_DEBUG", "1")
    assert main(["check", "."]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_an_exception_outside_any_file_is_exit_2_not_1(tree, monkeypatch, capsys):
    from altbot import cli

    def explode(args):
        raise KeyError("unexpected")

    monkeypatch.setitem(cli.COMMANDS, "check", explode)
    assert main(["check", "."]) == 2
    err = capsys.readouterr().err
    assert "altbot: internal error: KeyError" in err and "Traceback" not in err


# -- every other file altbot reads ---------------------------------------------------


def test_a_fifo_gitignore_or_config_does_not_hang(tmp_path):
    (tmp_path / ".git").mkdir()
    os.mkfifo(tmp_path / ".gitignore")
    (tmp_path / "a.html").write_text('<html lang="en"><img src="x.png" alt="X"></html>')
    r = altbot(tmp_path, "check", ".", timeout=30)
    assert r.returncode == 0, r.stdout + r.stderr
    os.mkfifo(tmp_path / ".altbot.toml")
    r = altbot(tmp_path, "check", ".", timeout=30)
    assert r.returncode == 2 and "FIFO" in r.stderr and "Traceback" not in r.stderr


def test_a_gitignore_with_a_bad_pattern_keeps_its_good_ones(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("\\\nbuild/\n")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "out.html").write_text("<img src=x.png>")
    (tmp_path / "a.html").write_text('<html lang="en"><img src="x.png" alt="X"></html>')
    r = altbot(tmp_path, "check", ".")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Traceback" not in r.stderr


def test_caption_of_a_fifo_is_a_reason(tmp_path):
    os.mkfifo(tmp_path / "pipe.png")
    r = altbot(tmp_path, "caption", "--captioner", "filename", "pipe.png", timeout=30)
    assert r.returncode == 2 and "FIFO" in r.stdout and "Traceback" not in r.stderr


@pytest.mark.parametrize("swap", [None, "folder", "file"])
def test_a_path_that_leads_elsewhere_at_write_time_is_not_written(tmp_path, monkeypatch, swap):
    """Between the plan and the write (a review page open for minutes), a folder on a page's
    path, or the page itself, is replaced by a symlink to a copy outside the project: the write
    is refused, and nothing outside changes (was: written through the new link)."""
    import altbot

    site, outside = tmp_path / "site", tmp_path / "outside"
    (site / "content").mkdir(parents=True)
    outside.mkdir()
    (site / ".altbot.toml").write_text("")
    page = b'<html lang="en"><body><img src="../red-bicycle.png"></body></html>\n'
    (site / "content" / "page.html").write_bytes(page)
    described_photo(site / "red-bicycle.png", "A red bicycle against a wall", 1)
    monkeypatch.chdir(site)
    plan = altbot.plan_fix(".", captioner="metadata", no_cache=True)
    assert [fp.source.path for fp in plan.changed] == ["content/page.html"]
    (outside / "page.html").write_bytes(page)  # the same bytes: "unchanged since it was read"
    if swap == "folder":
        os.rename(site / "content", site / "content.moved")
        os.symlink(outside, site / "content")
    elif swap == "file":
        os.rename(site / "content" / "page.html", site / "content" / "page.moved")
        os.symlink(outside / "page.html", site / "content" / "page.html")
    result = plan.write()
    assert (outside / "page.html").read_bytes() == page  # never written outside
    if swap is None:  # no change: written in place
        assert result.ok and b'alt="A red bicycle against a wall"' in (site / "content" / "page.html").read_bytes()
    else:
        assert not result.ok and "now leads to" in result.failed["content/page.html"], result.failed
