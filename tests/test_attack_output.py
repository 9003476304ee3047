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
