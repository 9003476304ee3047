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
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


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
    results = []
    for f in findings:
        img = f.image
        results.append(
            {
                "ruleId": f.rule,
                "ruleIndex": rule_ids.index(f.rule),
                "level": _LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": img.path, "uriBaseId": "%SRCROOT%"},
                            "region": {"startLine": img.line, "startColumn": img.column},
                        }
                    }
                ],
                "partialFingerprints": {"altbot/v1": _fingerprint(f)},
            }
        )
    notifications = [
        {
            "level": "error",
            "message": {"text": e.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": e.path, "uriBaseId": "%SRCROOT%"},
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
