"""SARIF 2.1.0 (loads in GitHub code scanning)."""

from __future__ import annotations

import hashlib
from typing import Any

from altbot import __version__
from altbot.model import FileError, Finding, Severity
from altbot.rules import RULES

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _fingerprint(f: Finding) -> str:
    # Stable across edits elsewhere in the file: rule, path, src and element, not the line.
    key = "\0".join([f.rule, f.image.path, f.image.element, f.image.src or ""])
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def artifact_uri(path: str) -> str:
    """``path`` as the relative URI reference SARIF's ``artifactLocation.uri`` must be
    (RFC 3986): a space becomes ``%20``, a non-ASCII character its UTF-8 bytes
    percent-encoded, a file name's byte that is not UTF-8 that byte (``%FF``), and a colon
    ``%3A`` (RFC 3986 §4.2: a colon in the first segment would make the name a scheme,
    ``co:lon.html`` an absolute URI), so a reader's ``urllib.parse.unquote_to_bytes`` gets
    the name's own bytes back."""
    from urllib.parse import quote

    return quote(path.encode("utf-8", "surrogateescape"), safe="/!$&'()*+,;=@~")


def _result(f: Finding, rule_ids: list[str]) -> dict[str, Any]:
    img = f.image
    return {
        "ruleId": f.rule,
        "ruleIndex": rule_ids.index(f.rule),
        "level": _LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(img.path), "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": img.line, "startColumn": img.column},
                }
            }
        ],
        "partialFingerprints": {"altbot/v1": _fingerprint(f)},
    }


class SarifDocumentWriter:
    """``dumps(document(...))``, byte for byte, built as the findings come: each result is
    encoded when it is added and only its UTF-8 text is kept (see ``report.json``'s
    ``CheckDocumentWriter``; tests/test_report.py compares the two)."""

    _EMPTY = '\n      "results": []'  # where the results go in the document's text: one place only

    def __init__(self) -> None:
        self._rule_ids = list(RULES)
        self._parts: list[bytes] = []

    def add(self, findings: list[Finding]) -> None:
        from altbot.report.json import list_item

        self._parts.extend(list_item(_result(f, self._rule_ids), 8) for f in findings)

    def data(self, errors: list[FileError]) -> bytes:
        from altbot.report.json import dumps

        text = dumps(document([], errors))
        if not self._parts:
            return text.encode("utf-8")
        head, found, tail = text.partition(self._EMPTY)
        if not found or self._EMPTY in tail:  # pragma: no cover - the shape above guarantees one
            raise AssertionError("the SARIF document's results are not where the writer expects them")
        return b"".join(
            [head.encode("utf-8"), b'\n      "results": [\n', b",\n".join(self._parts), b"\n      ]", tail.encode("utf-8")]
        )


def document(findings: list[Finding], errors: list[FileError]) -> dict[str, Any]:
    rule_ids = list(RULES)
    rules = [
        {
            "id": r.id,
            "name": "".join(part.capitalize() for part in r.id.split("-")),
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": r.why},
            "help": {"text": f"{r.why}\nExample: {r.example}"},
            "defaultConfiguration": {"level": _LEVEL[r.severity]},
            "properties": {"tags": ["accessibility", *r.tags]},
        }
        for r in RULES.values()
    ]
    results = [_result(f, rule_ids) for f in findings]
    notifications = [
        {
            "level": "error",
            "message": {"text": e.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact_uri(e.path), "uriBaseId": "%SRCROOT%"},
                        **({"region": {"startLine": e.line}} if e.line else {}),
                    }
                }
            ],
        }
        for e in errors
    ]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "altbot",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": "https://pypi.org/project/altbot/",
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "invocations": [
                    {"executionSuccessful": not errors, "toolExecutionNotifications": notifications}
                ],
                "results": results,
            }
        ],
    }
