"""Unexpected exceptions, in every stage: one line naming the file, and the
traceback only when asked for (``ALTBOT_DEBUG=1`` or ``altbot --debug``).

A CI gate must be able to tell "altbot failed" (exit 2) from "findings"
(exit 1), so an exception never escapes as Python's exit 1.
"""

from __future__ import annotations

import os
import sys
import traceback

from altbot.model import FileError

HINT = "please report it; ALTBOT_DEBUG=1 shows the traceback"


def enabled() -> bool:
    return os.environ.get("ALTBOT_DEBUG", "") not in ("", "0", "false", "no")


def describe(exc: BaseException) -> str:
    text = str(exc).replace("\n", " ").strip()
    if len(text) > 200:
        text = text[:199] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def internal_error(path: str, exc: BaseException, during: str = "checking") -> FileError:
    """A FileError for an exception altbot did not expect while working on ``path``."""
    if enabled():
        traceback.print_exception(exc, file=sys.stderr)
    return FileError(path, f"internal error while {during} this file ({describe(exc)}); {HINT}")
