"""The second round of attack testing (issue 12's stop): where reports go (devices, FIFOs,
/dev/stdout, a closed or full stdout, a broken pipe), what a write keeps (setuid bits),
and how text output shows names and srcs with control characters. Each test failed on
the code before its fix."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading

import pytest

from altbot import files

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IS_ROOT = hasattr(os, "getuid") and os.getuid() == 0


def altbot(cwd, *argv, timeout=60, **kw):
    """The real CLI in a subprocess: a hang fails the test instead of the suite."""
    env = {**os.environ, "PYTHONPATH": ROOT, **kw.pop("env", {})}
    return subprocess.run([sys.executable, "-m", "altbot", *argv], cwd=cwd, capture_output=True, timeout=timeout, env=env, check=False, **kw)


@pytest.fixture
def site(tmp_path):
    (tmp_path / ".altbot.toml").write_text("")
    (tmp_path / "index.html").write_text('<html lang="en"><img src="a.png"></html>\n')
    return tmp_path


# -- --output to what is not a regular file ----------------------------------------------


def _reader(path, got):
    with open(path, "rb") as fh:
        got.append(fh.read())


@pytest.mark.parametrize("kind", ["file", "new file", "fifo", "char device", "symlink to a device"])
def test_output_to_a_device_or_fifo_writes_into_it_and_leaves_it_what_it_was(site, kind):
    target = site / "out"
    got: list[bytes] = []
    reader = None
    if kind == "file":
        target.write_text("old")
    elif kind == "fifo":
        os.mkfifo(target)
        reader = threading.Thread(target=_reader, args=(target, got), daemon=True)
        reader.start()
    elif kind in ("char device", "symlink to a device"):
        if not IS_ROOT:
            pytest.skip("mknod needs root")
        dev = site / "null"
        os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a null device of our own, never /dev/null
        if kind == "char device":
            target = dev
        else:
            target.symlink_to(dev)
    r = altbot(site, "check", "--format", "json", "-o", str(target), ".")
    assert r.returncode == 1, r.stderr
    if reader is not None:
        reader.join(30)
        assert got and b'"findings"' in got[0]  # the reader got the report
    mode = os.stat(target).st_mode
    if kind in ("file", "new file"):
        assert stat.S_ISREG(mode) and b'"findings"' in target.read_bytes()  # no change: atomic as before
    elif kind == "fifo":
        assert stat.S_ISFIFO(mode)
    else:
        assert stat.S_ISCHR(mode)  # was replaced by a regular file holding the report
        assert stat.S_ISCHR(os.lstat(site / "null").st_mode)


def test_output_to_dev_stdout_and_a_process_substitution(site):
    r = altbot(site, "check", "--format", "json", "-o", "/dev/stdout", ".")
    assert r.returncode == 1 and b'"findings"' in r.stdout, r.stderr  # was "cannot write /dev/stdout"
    r = subprocess.run(
        ["bash", "-c", f'"{sys.executable}" -m altbot check --format json -o >(wc -c > count) . ; rc=$?; wait; exit $rc'],
        cwd=site, capture_output=True, timeout=60, env={**os.environ, "PYTHONPATH": ROOT}, check=False,
    )
    assert r.returncode == 1, r.stderr
    assert int((site / "count").read_text()) > 50


@pytest.mark.skipif(not IS_ROOT, reason="needs root to own files as another user")
@pytest.mark.parametrize("mode", [0o644, 0o2775, 0o4755, 0o6755], ids=oct)
def test_a_write_keeps_setuid_and_setgid_bits_of_another_users_file(tmp_path, mode):
    page = tmp_path / "page.html"
    page.write_bytes(b"old")
    os.chown(page, 1234, 1234)
    os.chmod(page, mode)
    files.write_atomic(page, b"new")
    st = os.stat(page)
    assert (stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid) == (mode, 1234, 1234)
    assert page.read_bytes() == b"new"


# -- Ctrl-C while a worker pool runs -------------------------------------------------------


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        return []


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="needs /proc to see the workers start")
@pytest.mark.parametrize("interrupts", [1, 2], ids=["one Ctrl-C", "a second one mid-shutdown"])
def test_ctrl_c_during_a_parallel_check_ends_at_once_with_one_line(tmp_path, interrupts):
    import signal
    import time

    (tmp_path / ".altbot.toml").write_text("")
    page = "".join(f'<p>Text {k}</p><img src="i{k}.png">\n' for k in range(200))
    for n in range(800):
        (tmp_path / f"p{n}.html").write_text(f'<html lang="en">{page}</html>\n')
    for attempt in range(3):  # the workers must be running when the signal lands
        proc = subprocess.Popen(
            [sys.executable, "-m", "altbot", "check", "--jobs", "2", "--format", "json", "-o", "r.json", "."],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
            env={**os.environ, "PYTHONPATH": ROOT},
        )
        deadline = time.monotonic() + 30
        while len(_children(proc.pid)) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.2)
        if proc.poll() is not None:
            continue  # done before the workers were seen: try again
        workers = _children(proc.pid)
        for _ in range(interrupts):
            os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole group
            time.sleep(0.02)
        try:
            out, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail("the interrupted check did not end")
        assert (proc.returncode, err) == (130, b"altbot: interrupted\n")  # was tracebacks, or a hang
        assert not [w for w in workers if os.path.exists(f"/proc/{w}")]  # no worker left behind
        return
    pytest.skip("the check ended before its workers could be interrupted")


@pytest.mark.parametrize(
    "jobs, code, message",
    [
        ("2", 1, b""),  # no change
        ("100", 1, b""),  # more than there is work for: the pool starts only as many as it can use
        ("513", 2, b"--jobs must be at most 512"),
        ("99999999999999999999", 2, b"--jobs must be at most 512"),  # was an OverflowError
        ("0", 2, b"--jobs must be at least 1"),
    ],
)
def test_jobs_is_bounded(tmp_path, jobs, code, message):
    (tmp_path / ".altbot.toml").write_text("")
    for n in range(250):  # over the threshold for a pool
        (tmp_path / f"p{n}.html").write_text('<html lang="en"><img src="a.png"></html>\n')
    r = altbot(tmp_path, "check", "--jobs", jobs, "--format", "json", "-o", "r.json", ".", timeout=60)
    assert r.returncode == code and message in r.stderr and b"internal error" not in r.stderr, r.stderr


# -- text output: one record a line, whatever a name or a src holds -------------------------

INJECT = "::warning file=README.md::injected"


@pytest.mark.parametrize(
    "name, src, shown_name",
    [
        ("index.html", "a.png", "index.html"),  # no change
        ("my café page.html", "a b.png", "my café page.html"),  # no change: a space, an accent
        (f"x\n{INJECT}.html", "a.png", f'"x\\n{INJECT}.html"'),
        ("tab\there.html", "a.png", '"tab\\there.html"'),
        ("esc\x1b[31mred.html", "a.png", '"esc\\x1b[31mred.html"'),
        ("index.html", "a\n::add-mask::secret\r\n.png", "index.html"),
    ],
)
@pytest.mark.parametrize("command", ["check", "scan", "check-sarif"])
def test_a_name_or_src_with_control_characters_stays_on_its_line(tmp_path, name, src, shown_name, command):
    (tmp_path / ".altbot.toml").write_text("")
    (tmp_path / name).write_text(f'<html lang="en"><img src="{src}"></html>\n')
    (tmp_path / (name + ".md")).write_bytes(b"\x00binary")  # a file error naming the same name
    argv = {"check": ["check"], "scan": ["scan"], "check-sarif": ["check", "--format", "sarif", "-o", "r.sarif"]}[command]
    r = altbot(tmp_path, *argv, ".")
    text = (r.stderr if command == "check-sarif" else r.stdout).decode("utf-8")
    lines = text.splitlines()
    assert not [line for line in lines if line.startswith("::") or "\x1b" in line], text
    prefix = shown_name[:-1] if shown_name.endswith('"') else shown_name  # the error names NAME.md
    records = [line for line in lines if line.startswith(prefix)]
    expected = {"check": 2, "scan": 2, "check-sarif": 1}[command]  # the image (not in sarif's stderr) and the file error
    assert len(records) == expected, text
    if "\n" in src and command != "check-sarif":
        assert "a\\n::add-mask::secret\\r\\n.png" in text


# -- stdout closed, full, or read by someone who leaves ---------------------------------------


@pytest.mark.parametrize(
    "redirect, code, message",
    [
        ("> out.txt", 1, ""),  # no change
        (">&-", 2, "cannot write the report to stdout: it is closed"),
        ("> /dev/full", 2, "cannot write the report to stdout: No space left on device"),
        ("-o r.json >&-", 1, ""),  # no change: the report goes to a file, stdout is not needed
    ],
)
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_stdout_that_cannot_take_the_report_is_an_io_error_not_an_internal_one(site, redirect, code, message, fmt):
    if "/dev/full" in redirect and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    cmd = f'"{sys.executable}" -m altbot check --format {fmt} . {redirect}'
    r = subprocess.run(["bash", "-c", cmd], cwd=site, capture_output=True, text=True, timeout=60,
                       env={**os.environ, "PYTHONPATH": ROOT}, check=False)
    assert r.returncode == code, r.stderr
    assert message in r.stderr and "internal error" not in r.stderr and "Exception ignored" not in r.stderr, r.stderr


def test_a_reader_that_leaves_early_does_not_make_the_gate_pass(tmp_path):
    (tmp_path / ".altbot.toml").write_text("")
    for n in range(300):
        (tmp_path / f"p{n}.html").write_text('<html lang="en">' + '<img src="a.png">' * 20 + "</html>\n")
    cmd = f'set -o pipefail; "{sys.executable}" -m altbot check . | head -1 > /dev/null'
    r = subprocess.run(["bash", "-c", cmd], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                       env={**os.environ, "PYTHONPATH": ROOT}, check=False)
    assert r.returncode == 2 and r.stderr == ""  # was 0: a cut report of findings passed the gate


@pytest.mark.parametrize(
    "value, code, said",
    [("125", 1, None), ("10", 1, None), ("2000", 1, None), ("9", 2, b"at least 10"), ("0", 2, b"at least 10"),
     ("-3", 2, b"at least 10"), ("2001", 2, b"at most 2000"),
     ("9" * 30, 2, b"at most 2000")],  # was: accepted, then an OverflowError from the caption cache's SQLite
)  # fmt: skip
@pytest.mark.parametrize("command", ["fix", "caption"])
def test_max_length_outside_10_to_2000_is_a_usage_error_zero_included(site, value, code, said, command):
    args = ["--max-length", value] + (["."] if command == "fix" else [str(site / "index.html")])
    r = altbot(site, command, "--captioner", "filename", *args)
    if command == "caption" and code == 1:
        code = r.returncode  # caption's own code for a page that is no image; only the usage error matters here
    assert r.returncode == code, r.stderr
    assert (b"--max-length must be " + said in r.stderr) if said else b"--max-length" not in r.stderr, r.stderr
    assert b"internal error" not in r.stderr  # (0 was caption's default, silently; 5 was taken)


def test_config_max_length_outside_10_to_2000_is_a_config_error(tmp_path):
    from altbot.config import ConfigError, load_config

    for value, said in (("9", "at least 10"), ("20000", "at most 2000"), ('"125"', "whole number")):
        (tmp_path / ".altbot.toml").write_text(f"max-length = {value}\n")
        with pytest.raises(ConfigError, match=said):
            load_config(None, start=tmp_path)


# -- a folder symlinked out of the project, named on the command line -------------------------


@pytest.mark.parametrize("marker", [".altbot.toml", ".git"])
@pytest.mark.parametrize("inside", [False, True], ids=["link-out-of-the-project", "link-within-it"])
def test_a_page_under_a_folder_symlinked_out_of_the_project_is_not_written(tmp_path, marker, inside):
    proj, out = tmp_path / "proj", tmp_path / "out"
    (proj / "layouts").mkdir(parents=True)
    if marker == ".git":
        subprocess.run(["git", "init", "-q", str(proj)], check=True)
    else:
        (proj / marker).write_text("")
    page = '<html lang="en"><img src="red-bicycle.png"></html>\n'
    target = (proj / "shared-real") if inside else (out / "shared")
    target.mkdir(parents=True)
    (target / "page.html").write_text(page)
    from tests.conftest import described_photo

    described_photo(target / "red-bicycle.png", "A red bicycle against a wall", 1)
    (proj / "layouts" / "shared").symlink_to(target)
    r = altbot(proj, "fix", "layouts/shared/page.html", "--write", "--captioner", "metadata")
    if inside:  # no change: written through the link, inside the project
        assert r.returncode in (0, 1) and 'alt="' in (target / "page.html").read_text(), r.stderr
    else:  # was: the project became the link's target, and the page and a ledger were written there
        assert r.returncode == 2 and b"outside the project root" in r.stderr, r.stderr
        assert (target / "page.html").read_text() == page
        assert sorted(p.name for p in out.rglob("*")) == ["page.html", "red-bicycle.png", "shared"]


@pytest.mark.parametrize(
    "path, message",
    [
        ("index.html", None),  # no change
        ("missing.html", b"missing.html error no such file or directory"),
        ("", b'"" error an empty path; name a file or folder'),  # was ". error no such file", naming the cwd
        ("index.html/", b"index.html error not a folder (a file named as one)"),  # was "no such file"
        ("9" * 300, b"9" * 300 + b" error a name too long for the file system"),  # was an internal error (ENAMETOOLONG)
    ],
)
@pytest.mark.parametrize("command", ["check", "fix"])
def test_a_path_that_names_nothing_says_why(site, path, message, command):
    r = altbot(site, command, path)
    if message is None:
        assert r.returncode == 1 if command == "check" else r.returncode in (0, 1)
    else:
        out = r.stdout if command == "check" else r.stdout + r.stderr
        assert r.returncode == 2 and message in out and b"internal error" not in r.stderr, (r.stdout, r.stderr)


@pytest.mark.parametrize("call", ["check", "scan", "plan_fix"])
def test_a_library_path_with_a_nul_is_a_file_error(tmp_path, monkeypatch, call):
    """No command line can hold a NUL; the library's paths can (was: ValueError from os.stat)."""
    import altbot as lib

    (tmp_path / "p.html").write_text('<img src="a.png">')
    monkeypatch.chdir(tmp_path)
    fn = getattr(lib, call)
    got = fn(["a\0b", "p.html"], captioner="filename") if call == "plan_fix" else fn(["a\0b", "p.html"])
    assert [(e.path, e.message) for e in got.errors] == [("a\x00b", "no file has a name with a NUL character in it")]


@pytest.mark.parametrize(
    "name, src",
    [
        ("index.html", "a.png"),  # no change
        ("esc\x1b[2Jclear.html", "a.png"),
        ("index.html", "a\x1b[31mred.png"),
        (f"x\n{INJECT}.html", "a\n::add-mask::secret\n.png"),
    ],
)
@pytest.mark.parametrize("command", ["fix-explain", "fix-write", "fix-interactive", "caption"])
def test_fix_and_caption_messages_write_no_control_characters(tmp_path, name, src, command):
    """fix's --explain, its summary, its messages and caption's lines show a name's or a src's
    control characters as escapes (was: written raw, so a page could clear the terminal or
    send CI workflow commands). fix's diff on stdout stays the exact bytes of the change."""
    (tmp_path / ".altbot.toml").write_text("")
    (tmp_path / name).write_text(f'<html lang="en"><img src="{src}"></html>\n')
    argv = {
        "fix-explain": ["fix", "--captioner", "filename", "--explain", "."],
        "fix-write": ["fix", "--captioner", "filename", "--write", "."],
        "fix-interactive": ["fix", "--captioner", "filename", "--interactive", "."],
        "caption": ["caption", "--captioner", "filename", src],
    }[command]
    if command == "caption":
        (tmp_path / src).write_bytes(b"not an image")  # a caption or a 'no caption' line naming it
    from tests.conftest import described_photo

    described_photo(tmp_path / "ok.png", "A red bicycle", 1)  # a proposal for the reviewer, beside the page's own
    (tmp_path / "ok.html").write_text(f'<html lang="en"><img src="ok.png"><img src="{src}"></html>\n')
    r = altbot(tmp_path, *argv, input=b"e\nA photo\n" * 4, env={"ALTBOT_INTERACTIVE_PIPE": "1"})
    shown = r.stderr.decode("utf-8") + ("" if command.startswith("fix") else r.stdout.decode("utf-8"))
    assert shown.strip(), (r.stdout, r.stderr)
    lines = shown.splitlines()
    assert not [line for line in lines if line.startswith("::") or "\x1b" in line], shown
