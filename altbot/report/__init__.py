"""Stage: findings and results → text, json, sarif, github annotations."""

from __future__ import annotations

FORMATS_CHECK = ("text", "json", "sarif", "github")
FORMATS_SCAN = ("text", "json")
