"""The last-resort captioner: a humanized file name (``team-photo_2024.jpg`` →
"Team photo 2024"). Deterministic, no dependencies.

Names a camera, phone or screenshot tool made up (``IMG_1234``, ``PXL_…``,
``Screenshot 2024-…``) and generic names (``image``, ``untitled``) say nothing
about the picture: those get ``text=None`` — a wrong alt is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from altbot.caption.base import CaptionRequest, register
from altbot.outcome import Caption

CONFIDENCE = 0.1

# Whole-name patterns written by cameras, phones and tools (matched on the stem, case-insensitive).
_CAMERA = re.compile(
    r"""^(?:
        (?:img|mvimg|vid|pano|burst|dsc[nf]?|dscf|pxl|gopr|gp|dji|sam|imag|photo|pict?|p|dcim|mov|cimg|hpim|kimg|sdc|mg)
            [\s_-]*\d[\w\s~.-]*
      | (?:screenshot|screen[\s_-]?shot|screen[\s_-]?recording|capture|clipboard|scan|scanned|whatsapp[\s_-]image|signal-\d|pasted[\s_-]image|image|photo|picture|untitled|unnamed|download|file|img|pic|snapshot|snip)
            (?:[\s_.~()-]*(?:at|from|on|\d+|[ap]m|copy|\(\d+\)))*
            (?:[\s_.-]+\d[\w\s.:-]*)?
      | \d[\d\s_.-]*                        # only digits: timestamps, counters
      | [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}  # uuid
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

_EXT = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?|ico|heic|heif|jxl|apng)$", re.IGNORECASE)

# Tokens that describe the file, not the picture.
_NOISE = {
    "final", "copy", "edited", "edit", "min", "compressed", "scaled", "optimized", "optimised",
    "resized", "cropped", "crop", "thumb", "thumbnail", "large", "small", "medium", "lg", "sm",
    "md", "xl", "xxl", "xs", "hd", "hq", "lq", "retina", "orig", "original", "img", "rev",
    "draft", "tmp", "temp", "export", "web", "dark", "light", "mobile", "desktop", "hidpi",
}  # fmt: skip
_GENERIC = {
    "image", "images", "img", "photo", "photos", "picture", "pic", "pics", "untitled", "unnamed",
    "download", "file", "screenshot", "screen", "shot", "capture", "scan", "default", "placeholder",
    "asset", "assets", "graphic", "figure", "fig", "banner", "hero", "header", "cover", "featured",
    "feature", "background", "bg", "icon", "logo", "test", "sample", "example", "new", "dummy",
}  # fmt: skip
_SIZE = re.compile(r"^(?:@?\d+(?:\.\d+)?x|\d+x\d+|\d+(?:px|w|h|p|dpi|k)|x\d+|w\d+|h\d+)$", re.IGNORECASE)
_VERSION = re.compile(r"^v\d+(?:\.\d+)*$", re.IGNORECASE)
_DECORATIVE = {"spacer", "divider", "separator", "shim", "blank", "transparent", "pixel", "clear", "spacer-gif"}


def _words(chunk: str) -> list[str]:
    """Split one separator-free chunk on camelCase and letter/digit boundaries (any script)."""
    words: list[str] = []
    cur = ""
    for i, ch in enumerate(chunk):
        if not ch.isalnum():
            if cur:
                words.append(cur)
            cur = ""
            continue
        if cur:
            prev = cur[-1]
            nxt = chunk[i + 1] if i + 1 < len(chunk) else ""
            if (
                ch.isdigit() != prev.isdigit()
                or (prev.islower() and ch.isupper())
                or (prev.isupper() and ch.isupper() and nxt.islower())
            ):
                words.append(cur)
                cur = ""
        cur += ch
    if cur:
        words.append(cur)
    return words


def _hash_like(tok: str) -> bool:
    t = tok.lower()
    if re.fullmatch(r"[0-9a-f]{8,}", t) and re.search(r"\d", t) and re.search(r"[a-f]", t):
        return True
    # long mixes of letters and digits (content hashes, ids): a1b2c3d4e5, 5f3kq9z2x8w
    return len(t) >= 8 and bool(re.search(r"\d", t)) and bool(re.search(r"[a-z]", t)) and len(re.findall(r"\d", t)) >= 3


def _raw_tokens(stem: str) -> list[str]:
    """Split on separators first (so size/hash/version tokens are seen whole), then camelCase."""
    out = []
    for chunk in re.split(r"[\s_.\-+,~()\[\]{}]+", stem):
        if not chunk:
            continue
        if _SIZE.match(chunk) or _VERSION.match(chunk) or _hash_like(chunk) or chunk.lower() in _NOISE:
            out.append("")  # a dropped token
            continue
        out.extend(_words(chunk))
    return out


def humanize(name: str) -> tuple[str | None, str | None]:
    """``(text, None)`` or ``(None, reason)`` for a file name (with or without a path/extension)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not base:
        return None, "file name says nothing: the image has no file name"
    stem = base
    while True:  # photo.min.jpg, photo.jpg.webp
        new = _EXT.sub("", stem)
        if new == stem:
            break
        stem = new
    stem = re.sub(r"@\d+(?:\.\d+)?x$", "", stem, flags=re.IGNORECASE)
    if not stem.strip() or _CAMERA.match(stem.strip()):
        return None, f"file name says nothing: {base!r} looks like a camera, screenshot or generic name"
    tokens = [t for t in _raw_tokens(stem) if t]
    if tokens and all(t.lower() in _DECORATIVE or t.isdigit() for t in tokens):
        return None, f"decorative: {base!r} is a spacer/divider-style name"
    words = [t for t in tokens if t.lower() not in _NOISE]
    meaningful = [w for w in words if not w.isdigit() and w.lower() not in _GENERIC and len(w) > 1]
    if not meaningful:
        return None, f"file name says nothing: {base!r} has no descriptive words"
    all_upper = stem.upper() == stem
    out = []
    for w in words:
        if all_upper or not (w.isupper() and len(w) > 1):
            w = w.lower()
        out.append(w)
    text = " ".join(out)
    return text[0].upper() + text[1:], None


def _truncate(text: str, limit: int) -> str:
    if limit <= 0 or len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut or text[:limit]


@register("filename")
class FilenameCaptioner:
    name = "filename"
    model: str | None = None
    uses = frozenset({"name"})  # the file name, not the language nor the page

    def __init__(self, **_options) -> None:
        pass

    def caption(self, requests: Sequence[CaptionRequest]) -> list[Caption]:
        out = []
        for req in requests:
            name = req.image.name or (req.image.path or "")
            text, reason = humanize(name)
            if text is None:
                decorative = bool(reason and reason.startswith("decorative"))
                out.append(
                    Caption(text=None, confidence=None, backend="filename", decorative=decorative, reason=reason)
                )
                continue
            out.append(
                Caption(
                    text=_truncate(text, req.max_length),
                    confidence=CONFIDENCE,
                    backend="filename",
                    lang=None,  # a file name's language is unknown
                    reason="humanized file name; check that it describes the picture",
                    low_confidence=True,
                )
            )
        return out
