"""GitHub Actions workflow commands: ``::error file=…,line=…,col=…::…``."""

from __future__ import annotations

from altbot.model import FileError, Finding, Severity

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _prop(value: str) -> str:
    # property values escape %, CR, LF, ':' and ',' (the runner's toolkit rules)
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def format_finding(f: Finding) -> str:
    img = f.image
    return (
        f"::{_LEVEL[f.severity]} file={_prop(img.path)},line={img.line},col={img.column},"
        f"title={_prop('altbot ' + f.rule)}::{_data(f.message)}"
    )


def format_error(e: FileError) -> str:
    loc = f"file={_prop(e.path)}"
    if e.line is not None:
        loc += f",line={e.line}"
    if e.column is not None:
        loc += f",col={e.column}"
    return f"::error {loc},title=altbot file error::{_data(e.message)}"


def render(findings: list[Finding], errors: list[FileError]) -> str:
    lines = [format_finding(f) for f in findings] + [format_error(e) for e in errors]
    return "\n".join(lines) + ("\n" if lines else "")
