"""Unified diffs of file bytes that `git apply` accepts, and their coloured display.

The diff is computed on the raw bytes (split after each ``\\n``), so CRLF line
endings, a BOM and non-UTF-8 encodings reach the patch exactly as on disk.
"""

from __future__ import annotations

import difflib

NO_NEWLINE = b"\\ No newline at end of file\n"


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) if b"\r" not in data else _split_lf(data)


def _split_lf(data: bytes) -> list[bytes]:
    # bytes.splitlines also splits on a lone CR; git only splits on LF.
    out = []
    start = 0
    while True:
        i = data.find(b"\n", start)
        if i < 0:
            if start < len(data):
                out.append(data[start:])
            return out
        out.append(data[start : i + 1])
        start = i + 1


def _emit(prefix: bytes, line: bytes, out: list[bytes]) -> None:
    out.append(prefix + line)
    if not line.endswith(b"\n"):
        out.append(b"\n" + NO_NEWLINE)


def _range(start: int, length: int) -> str:
    # unified-diff convention: an empty range names the line before it
    if length == 0:
        return f"{start},0"
    return f"{start + 1}" if length == 1 else f"{start + 1},{length}"


_C_ESCAPES = {7: b"\\a", 8: b"\\b", 9: b"\\t", 10: b"\\n", 11: b"\\v", 12: b"\\f", 13: b"\\r", 34: b'\\"', 92: b"\\\\"}


def _needs_quote(byte: int) -> bool:
    return byte < 0x20 or byte == 0x7F or byte in (0x22, 0x5C)


def quote_name(prefix: bytes, name: bytes) -> bytes:
    """``prefix + name`` as a git patch header writes it (git's ``quote_c_style``): as is, unless
    the name holds a control byte, ``"`` or ``\\``; then in double quotes, with ``\\"``, ``\\\\``,
    ``\\a\\b\\t\\n\\v\\f\\r`` and any other control byte as octal ``\\NNN``. Bytes from 0x80 up
    (UTF-8, or a name that is not UTF-8) stay raw, as with ``core.quotePath=false``;
    ``git apply`` reads both."""
    whole = prefix + name
    if not any(_needs_quote(c) for c in whole):
        return whole
    out = bytearray(b'"')
    for c in whole:
        if _needs_quote(c):
            out += _C_ESCAPES.get(c) or b"\\%03o" % c
        else:
            out.append(c)
    out += b'"'
    return bytes(out)


def unified_diff(path: str, old: bytes, new: bytes, context: int = 3) -> bytes:
    """A git-style patch for one file (``diff --git a/path b/path``, the names quoted as git
    quotes them: ``quote_name``); b"" when equal."""
    if old == new:
        return b""
    a, b = _lines(old), _lines(new)
    out: list[bytes] = []
    p = path.encode("utf-8", "surrogateescape")
    a_name, b_name = quote_name(b"a/", p), quote_name(b"b/", p)
    out.append(b"diff --git " + a_name + b" " + b_name + b"\n")
    out.append(b"--- " + a_name + b"\n")
    out.append(b"+++ " + b_name + b"\n")
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        i1, i2 = group[0][1], group[-1][2]
        j1, j2 = group[0][3], group[-1][4]
        out.append(f"@@ -{_range(i1, i2 - i1)} +{_range(j1, j2 - j1)} @@\n".encode())
        for tag, ai, aj, bi, bj in group:
            if tag == "equal":
                for line in a[ai:aj]:
                    _emit(b" ", line, out)
                continue
            for line in a[ai:aj]:
                _emit(b"-", line, out)
            for line in b[bi:bj]:
                _emit(b"+", line, out)
    return b"".join(out)


def colourize(patch: str) -> str:
    """ANSI colours for a terminal, the way git shows a diff."""
    out = []
    for line in patch.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        end = line[len(body) :]
        if line.startswith(("diff --git", "--- ", "+++ ")):
            out.append(f"\x1b[1m{body}\x1b[0m{end}")
        elif line.startswith("@@"):
            out.append(f"\x1b[36m{body}\x1b[0m{end}")
        elif line.startswith("+"):
            out.append(f"\x1b[32m{body}\x1b[0m{end}")
        elif line.startswith("-"):
            out.append(f"\x1b[31m{body}\x1b[0m{end}")
        else:
            out.append(line)
    return "".join(out)
