"""Human text: ``path:line:col rule message``, coloured on a TTY, then a summary line."""

from __future__ import annotations

from collections import Counter

from altbot.model import FileError, Finding, Image, Severity
from altbot.rules import not_text, status_of

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _c(code: str, s: str, colour: bool) -> str:
    return f"\x1b[{code}m{s}\x1b[0m" if colour else s


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# Control characters in a file name, a src or a message would break a report line in two,
# or let a page write terminal escapes or CI workflow commands (``\n::add-mask::x``) of
# its own into the log: they are shown as escapes, as git shows such names.
_CONTROL = None
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _control():
    global _CONTROL
    if _CONTROL is None:
        import re

        _CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
    return _CONTROL


def _escape(m) -> str:
    c = m.group()
    return _ESCAPES.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")


def visible(text: str) -> str:
    """``text`` with each control character written as an escape (``\\n``, ``\\x1b``)."""
    return _control().sub(_escape, text)


def visible_path(path: str) -> str:
    """A path for a report line: as it is, or, holding a control character, in double quotes
    with its backslashes, quotes and control characters escaped (git's quoting)."""
    if not _control().search(path):
        return path
    return '"' + visible(path.replace("\\", "\\\\").replace('"', '\\"')) + '"'


def format_error(err: FileError, colour: bool = False) -> str:
    where = visible_path(err.path)
    if err.line is not None:
        where += f":{err.line}"
        if err.column is not None:
            where += f":{err.column}"
    return f"{_c('1', where, colour)} {_c('31;1', 'error', colour)} {visible(err.message)}"


def format_finding(f: Finding, colour: bool = False) -> str:
    img = f.image
    where = _c("1", f"{visible_path(img.path)}:{img.line}:{img.column}", colour)
    return f"{where} {_c(_COLOURS[f.severity], f.rule, colour)} {visible(f.message)}"


def summary_line(counts: Counter, errors: int, files: int, images: int, colour: bool = False) -> str:
    """``counts``: findings per Severity."""
    total = sum(counts.values())
    parts = [_plural(counts[s], s.value) for s in Severity if counts[s]]
    summary = f"Found {_plural(total, 'problem')} ({', '.join(parts)})" if total else "No problems found"
    summary += f" in {_plural(images, 'image')} across {_plural(files, 'file')}"
    if errors:
        summary += f"; {_plural(errors, 'file error')}"
    return _c("1", summary + ".", colour)


def render_check(findings: list[Finding], errors: list[FileError], files: int, images: int, colour: bool = False) -> str:
    lines = [format_finding(f, colour) for f in findings]
    lines.extend(format_error(e, colour) for e in errors)
    lines.append(summary_line(Counter(f.severity for f in findings), len(errors), files, images, colour))
    return "\n".join(lines) + "\n"


class CheckTextWriter:
    """``render_check(...)`` (or, ``github=True``, ``report.github.render``), byte for byte, built
    as the findings come: only each finding's line is kept (tests/test_report.py compares)."""

    def __init__(self, github: bool = False) -> None:
        self._github = github
        self._lines: list[str] = []
        self._counts: Counter = Counter()

    def add(self, findings: list[Finding]) -> None:
        if self._github:
            from altbot.report.github import format_finding as github_finding

            self._lines.extend(github_finding(f) for f in findings)
        else:
            self._lines.extend(format_finding(f, False) for f in findings)
        self._counts.update(f.severity for f in findings)

    def data(self, errors: list[FileError], files: int, images: int) -> bytes:
        if self._github:
            from altbot.report.github import format_error as github_error

            lines = self._lines + [github_error(e) for e in errors]
            return ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8", "surrogateescape")
        lines = self._lines + [format_error(e, False) for e in errors]
        lines.append(summary_line(self._counts, len(errors), files, images, False))
        return ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")


def render_scan(images: list[Image], errors: list[FileError], files: int, colour: bool = False) -> str:
    lines = []
    for img in images:
        status = status_of(img)
        alt = "(no alt)" if img.alt is None else "(not text)" if not_text(img) else repr(img.alt)
        where = _c("1", f"{visible_path(img.path)}:{img.line}:{img.column}", colour)
        extra = " [ignored]" if img.ignored else ""
        lines.append(f"{where} {status}{extra} {img.element} {visible(img.src or '')} alt={alt}")
    for e in errors:
        lines.append(format_error(e, colour))
    counts = Counter(status_of(i) for i in images)
    detail = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    lines.append(f"{_plural(len(images), 'image')} in {_plural(files, 'file')}" + (f" ({detail})" if detail else "") + ".")
    return "\n".join(lines) + "\n"
