"""Image src strings, before any file is read (parse/find helpers): the file
name a URL ends in, and whether a src is a template expression.

Pure functions; a leaf module, so rules, images and captioners can share them
without importing each other.
"""

from __future__ import annotations

from urllib.parse import SplitResult, unquote, urlsplit

def split_url(url: str) -> SplitResult | None:
    """``urlsplit(url)``, or None for a URL it cannot take apart: an unclosed ``[`` of an IPv6
    host, or a port that is not a number from 0 to 65535 (``urlsplit`` and ``.port`` raise)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a port that is no number
    except ValueError:
        return None
    return parts


_TEMPLATE_MARKS = ("{{", "{%", "<%", "${")


def is_template(src: str) -> bool:
    """A template expression ({{ … }}, {% … %}, <% … %>, ${…}, {expr}): not a literal path."""
    return any(t in src for t in _TEMPLATE_MARKS) or src.startswith("{")


def file_name(src: str) -> str:
    """The last path segment of a URL or path, percent-decoded, without query or fragment."""
    path = src.strip().split("#", 1)[0].split("?", 1)[0]
    return unquote(path.rstrip("/").rsplit("/", 1)[-1])
