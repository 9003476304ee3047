"""JSON shapes for check and scan. Other tools parse these: keep them stable (version 1)."""

from __future__ import annotations

import json
from typing import Any

from altbot.model import FileError, Finding, Image
from altbot.rules import status_of

VERSION = 1


def _error(e: FileError) -> dict[str, Any]:
    return {"path": e.path, "line": e.line, "column": e.column, "message": e.message}


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "path": f.image.path,
        "line": f.image.line,
        "column": f.image.column,
        "rule": f.rule,
        "severity": f.severity.value,
        "element": f.image.element,
        "src": f.image.src,
        "alt": f.image.alt,
        "lang": f.image.lang,
        "message": f.message,
    }


def check_document(findings: list[Finding], errors: list[FileError], files: int, images: int) -> dict[str, Any]:
    return {
        "version": VERSION,
        "findings": [_finding(f) for f in findings],
        "summary": {"files": files, "images": images, "findings": len(findings), "errors": len(errors)},
        "errors": [_error(e) for e in errors],
    }


class CheckDocumentWriter:
    """``dumps(check_document(...))``, byte for byte, built as the findings come: each is
    encoded when it is added and only its text is kept (a few hundred bytes, where a
    ``Finding`` with its image is some kilobytes), so a check's memory does not grow with
    its findings (tests/test_report.py compares the two)."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []  # UTF-8: what is written, one copy

    def add(self, findings: list[Finding]) -> None:
        self._parts.extend(list_item(_finding(f), 4) for f in findings)

    def __len__(self) -> int:
        return len(self._parts)

    def data(self, errors: list[FileError], files: int, images: int) -> bytes:
        """The document, UTF-8 encoded (``text`` decoded)."""
        tail = dumps(
            {
                "summary": {"files": files, "images": images, "findings": len(self._parts), "errors": len(errors)},
                "errors": [_error(e) for e in errors],
            }
        )
        head = f'{{\n  "version": {VERSION},\n  "findings": '.encode()
        if self._parts:
            findings = [b"[\n", b",\n".join(self._parts), b"\n  ]"]
        else:
            findings = [b"[]"]
        return b"".join([head, *findings, b",\n", tail[2:].encode("utf-8")])

    def text(self, errors: list[FileError], files: int, images: int) -> str:
        return self.data(errors, files, images).decode("utf-8")


def image_record(img: Image, verdict: Any = None, resolved: tuple[str, str] | None = None) -> dict[str, Any]:
    rec = {
        "path": img.path,
        "line": img.line,
        "column": img.column,
        "element": img.element,
        "src": img.src,
        "alt": img.alt,
        "title": img.title,
        "lang": img.lang,
        "status": status_of(img).value,
        # additions beyond the v1 contract's required keys
        "lang_source": img.lang_source,
        "syntax": img.syntax.value,
        "name": img.name,
        "name_source": img.name_source,
        "hidden": img.hidden,
        "ignored": img.ignored,
    }
    if img.lang_notes:  # what the language lookup passed over on the page (an invalid lang)
        rec["lang_notes"] = list(img.lang_notes)
    if resolved is not None:  # the file a src expression stands for, and what said so
        rec["src_resolved"], rec["src_source"] = resolved
    if img.card:
        rec["social_card"] = img.card_note or True
    if verdict is not None:  # only on images the decorative check judged
        rec["verdict"] = verdict.verdict
        rec["verdict_score"] = verdict.score
        rec["verdict_reasons"] = list(verdict.reasons)
    return rec


def scan_document(
    images: list[Image],
    errors: list[FileError],
    files: int,
    findings: int,
    verdicts: dict[int, Any] | None = None,
    resolved: dict[int, tuple[str, str]] | None = None,
    site: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    statuses: dict[str, int] = {}
    for img in images:
        s = status_of(img).value
        statuses[s] = statuses.get(s, 0) + 1
    return {
        "version": VERSION,
        "images": [image_record(im, (verdicts or {}).get(i), (resolved or {}).get(i)) for i, im in enumerate(images)],
        "summary": {
            "files": files,
            "images": len(images),
            "findings": findings,
            "errors": len(errors),
            "statuses": dict(sorted(statuses.items())),
        },
        "errors": [_error(e) for e in errors],
        **({"site": site} if site is not None else {}),
    }


def list_item(doc: dict[str, Any], indent: int) -> bytes:
    """``doc`` as ``dumps`` writes it as an item of a list whose items sit ``indent`` spaces in
    (UTF-8, no separator): what the streaming writers keep of each finding."""
    pad = " " * indent
    return (pad + dumps(doc)[:-1].replace("\n", "\n" + pad)).encode("utf-8")


def dumps(doc: dict[str, Any]) -> str:
    """Indented JSON, UTF-8 as is: orjson's C encoder when it is installed (the same text,
    byte for byte, tests/test_report.py checks), else the standard library's. A file name's
    undecodable byte is written as a ``\\udcXX`` escape, so the text is always valid UTF-8."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a base dependency with wheels for the main platforms
        orjson = None
    if orjson is not None:
        try:
            return orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"
        except (TypeError, orjson.JSONEncodeError):
            pass  # a value orjson does not take (an odd key type): the standard encoder says the same
    # orjson refuses a lone surrogate (a file name that is not UTF-8, as ``os.fsdecode`` gives
    # it); the standard encoder keeps it, and the escape makes the text UTF-8 again
    from altbot.files import json_escape_surrogates

    return json_escape_surrogates(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"
