"""The patch is exact: `git apply` of it reproduces the new bytes, whatever the line endings."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from altbot.diff import colourize, unified_diff

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git_apply(tmp_path, name: str, old: bytes, patch: bytes) -> bytes:
    repo = tmp_path / "repo"
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    (repo / name).parent.mkdir(parents=True, exist_ok=True)
    (repo / name).write_bytes(old)
    (tmp_path / "p.patch").write_bytes(patch)
    out = subprocess.run(["git", "apply", "--whitespace=nowarn", str(tmp_path / "p.patch")], cwd=repo, capture_output=True)
    assert out.returncode == 0, out.stderr.decode()
    return (repo / name).read_bytes()


CASES = [
    pytest.param(b"a\nb\nc\n", b"a\nB\nc\n", id="lf"),
    pytest.param(b"a\r\nb\r\nc\r\n", b"a\r\nB\r\nc\r\n", id="crlf"),
    pytest.param(b"a\nb", b"a\nB", id="no-newline-at-end"),
    pytest.param(b"a\nb", b"a\nb\n", id="newline-added"),
    pytest.param(b"\xef\xbb\xbf<img src=a>\r\n", b'\xef\xbb\xbf<img src=a alt="x">\r\n', id="bom"),
    pytest.param(b"caf\xe9 <img>\n", b'caf\xe9 <img alt="\xe9t\xe9">\n', id="latin1"),
    pytest.param(b"x\r<img>\ry\n", b'x\r<img alt="a">\ry\n', id="lone-cr"),
    pytest.param(b"\n".join(b"line %d" % i for i in range(40)) + b"\n",
                 b"\n".join(b"LINE %d" % i if i in (3, 30) else b"line %d" % i for i in range(40)) + b"\n", id="two-hunks"),
]


@pytest.mark.parametrize("old, new", CASES)
def test_git_apply_reproduces(tmp_path, old, new):
    patch = unified_diff("dir/page name.html", old, new)
    assert patch.startswith(b"diff --git a/dir/page name.html b/dir/page name.html\n")
    assert git_apply(tmp_path, "dir/page name.html", old, patch) == new


def test_no_change_no_patch():
    assert unified_diff("a", b"x\n", b"x\n") == b""


LINES = st.lists(st.sampled_from([b"a", b"b", b"<img src=x>", b"", b"\xc3\xa9", b"x y"]), max_size=12)
ENDS = st.sampled_from([b"\n", b"\r\n"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(old=LINES, new=LINES, end=ENDS, final=st.booleans())
def test_git_apply_property(tmp_path, old, new, end, final):
    o = end.join(old) + (end if final and old else b"")
    n = end.join(new) + (end if new else b"")
    patch = unified_diff("f.txt", o, n)
    if o == n:
        assert patch == b""
        return
    assert git_apply(tmp_path, "f.txt", o, patch) == n


def test_colourize_marks_lines():
    coloured = colourize("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n")
    assert "\x1b[31m-a\x1b[0m" in coloured and "\x1b[32m+b\x1b[0m" in coloured
