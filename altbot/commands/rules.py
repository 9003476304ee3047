"""`altbot rules`: each rule, why it matters, and an example."""

from __future__ import annotations

import json
import sys

from altbot.exitcodes import EXIT_OK


def run(args) -> int:
    from altbot.rules import RULES

    if args.format == "json":
        doc = [
            {"id": r.id, "severity": r.severity.value, "summary": r.summary, "why": r.why, "example": r.example}
            for r in RULES.values()
        ]
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
        return EXIT_OK
    for r in RULES.values():
        sys.stdout.write(f"{r.id} ({r.severity.value}): {r.summary}\n    {r.why}\n    e.g. {r.example}\n")
    return EXIT_OK
