"""Stage 3: Image → Finding. One rule per function; the table documents each rule.

Pure functions: no I/O, no configuration beyond what is passed in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from altbot.srcs import file_name
from altbot.model import Finding, FrontMatterHints, Image, ImageStatus, Severity, Syntax

# Syntaxes whose empty alt renders as valid decorative markup (alt="").
_DECORATIVE_EMPTY_SYNTAX = frozenset({Syntax.HTML, Syntax.JSX})


@dataclass(frozen=True)
class Rule:
    """One check rule: its id, default severity, the docs `altbot rules` prints, and its test."""

    id: str
    severity: Severity
    summary: str
    why: str
    example: str
    check: Callable[[Image], str | None]  # returns the message, or None when the rule does not apply
    tags: tuple[str, ...] = ()


def _where(img: Image) -> str:
    return f" (src: {img.src})" if img.src else ""


def _named(img: Image) -> bool:
    return bool(img.name and img.name.strip())


def check_missing_alt(img: Image) -> str | None:
    if img.alt is not None or _named(img) or img.card:
        return None
    if img.element == "front-matter":
        return f"image field has no alt field{_where(img)}; add one"
    if not img.fixable and img.insert_at is None:
        return f"<{img.element} role=\"img\"> has no accessible name; add aria-label or aria-labelledby"
    return f"image has no alt text{_where(img)}; describe it, or mark it decorative"


def check_social_alt(img: Image) -> str | None:
    if not img.card or (img.alt is not None and img.alt.strip()):
        return None
    how = f" ({img.card_note})" if img.card_note else ""
    return (
        f"social-card image has no alt text{_where(img)}{how}; "
        "jekyll-seo-tag reads it from `image: {path: …, alt: …}`"
    )


def check_blank_alt(img: Image) -> str | None:
    if img.alt is None or img.dynamic_alt or img.alt == "" or img.alt.strip():
        return None
    return f"alt text is only whitespace{_where(img)}; describe the image, or use alt=\"\" if it is decorative"


def check_empty_alt(img: Image) -> str | None:
    if img.alt != "" or img.dynamic_alt or img.card:
        return None
    if img.control:
        if _named(img):
            return None
        return (
            f"<{img.element}> is a control: an empty alt leaves it without a name{_where(img)}; "
            "describe what activating it does"
        )
    if img.syntax is Syntax.MARKDOWN:
        return (
            f"Markdown image has empty alt text{_where(img)}; Markdown cannot mark an image decorative — "
            "describe it, or record it as decorative"
        )
    if img.syntax in _DECORATIVE_EMPTY_SYNTAX:
        if _named(img):
            return None
        return f'alt="" marks this image decorative{_where(img)}; check that it adds no information'
    return f"image has an empty alt{_where(img)}; describe it"


_PLACEHOLDERS = frozenset(
    {
        "image",
        "img",
        "photo",
        "picture",
        "pic",
        "graphic",
        "untitled",
        "alt",
        "alt text",
        "logo",
        "icon",
        "banner",
        "placeholder",
        "spacer",
        "screenshot",
        "screen shot",
        "thumbnail",
        "null",
        "none",
        "undefined",
        "todo",
        "tbd",
        "image description",
        "insert alt text",
        "blank",
        "bild",
        "imagen",
        "immagine",
        "foto",
        "photo de",
    }
)
_CAMERA_NAME = re.compile(r"^(img|dsc[nf]?|dscf|pxl|p|mvimg|gopr|dji|sam|wp|pano|screenshot)[ _-]?\d[\d_ -]*$", re.I)
_SCREENSHOT = re.compile(r"^(screen ?shot|screenshot|capture d.écran|bildschirmfoto)\b.*\d", re.I)
_FILENAME = re.compile(r"^[^\s/]+\.(png|jpe?g|gif|webp|avif|svg|bmp|tiff?|ico|heic)$", re.I)
_URL = re.compile(r"^(https?:)?//|^(data|file):", re.I)


_SEPARATORS = re.compile(r"[\s_\-.]+")


def _norm(s: str) -> str:
    return _SEPARATORS.sub(" ", s).strip().lower()


def suspicious_reason(alt: str, src: str | None) -> str | None:
    """Why an alt text looks like it describes nothing (ACT rule 9eb3f6), or None."""
    text = alt.strip()
    if not text:
        return None
    low = text.lower()
    if _URL.match(text):
        return "is a URL"
    if _FILENAME.match(text):
        return "is a file name"
    norm = _norm(text)
    if src:
        name = file_name(src)
        if name and low == name.lower():
            return "is the image's file name"
        stem = name.rsplit(".", 1)[0] if "." in name[1:] else name
        # A one-word stem ("search.svg" → "Search") is often the right name for an icon;
        # a multi-part stem ("team-photo_2024") read back as alt is the file name.
        if stem:
            norm_stem = _norm(stem)
            if norm == norm_stem and (len(norm_stem.split()) > 1 or norm != low):
                return "repeats the image's file name"
    if _CAMERA_NAME.match(text):
        return "is a camera file name"
    if _SCREENSHOT.match(text):
        return "is a default screenshot name"
    if norm in _PLACEHOLDERS:
        return "is a placeholder"
    return None


def check_suspicious_alt(img: Image) -> str | None:
    if img.alt is None or img.dynamic_alt:
        return None
    reason = suspicious_reason(img.alt, img.src)
    if reason is None:
        return None
    return f"alt text {img.alt.strip()!r} {reason}; describe what the image shows"


RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule(
            "missing-alt",
            Severity.ERROR,
            "Image has no text alternative",
            "Screen readers announce an image without alt by its file name, or not at all (WCAG 1.1.1, ACT 23a2a8).",
            '<img src="team.jpg">  →  <img src="team.jpg" alt="The team at the 2024 offsite">',
            check_missing_alt,
            ("wcag111", "act-23a2a8"),
        ),
        Rule(
            "blank-alt",
            Severity.ERROR,
            "Alt text is only whitespace",
            "Whitespace is neither a description nor the empty alt that marks an image decorative.",
            '<img src="a.png" alt=" ">',
            check_blank_alt,
            ("wcag111",),
        ),
        Rule(
            "empty-alt",
            Severity.ERROR,
            "Alt text is empty",
            "Markdown cannot say 'decorative', and a control with an empty alt has no name. "
            'In HTML, alt="" is valid decorative markup: reported as info, only with --empty-alt=report.',
            '![](chart.png)   <input type="image" src="go.png" alt="">',
            check_empty_alt,
            ("wcag111", "wcag412"),
        ),
        Rule(
            "suspicious-alt",
            Severity.WARNING,
            "Alt text looks like a file name, URL or placeholder",
            "Alt text like 'IMG_1234.jpg' or 'image' tells the reader nothing (ACT rule 9eb3f6).",
            '<img src="IMG_1234.jpg" alt="IMG_1234.jpg">',
            check_suspicious_alt,
            ("act-9eb3f6",),
        ),
        Rule(
            "social-image-alt",
            Severity.WARNING,
            "Social-card image has no alt text",
            "A front-matter image that only a social card shows (og:image) is not on the page, but the "
            "card is: its og:image:alt is what a screen reader announces where the link is shared.",
            "image: /assets/card.png  →  image: {path: /assets/card.png, alt: \"Two hands sharing a seedling\"}",
            check_social_alt,
            ("og-image",),
        ),
    )
}


# An image with a written alt text (not empty, not blank, not a template's, not a social card's):
# of all the rules, only these can apply to it (tests/test_rules.py checks that the others cannot),
# so ``find`` asks only them, the common case by far
_TEXT_ALT_RULES = tuple(RULES[r] for r in ("suspicious-alt",))
_ALL_RULES = tuple(RULES.values())


def not_text(img: Image) -> bool:
    """Is the image's alt a front-matter list or mapping (a file error), not text to read?"""
    return isinstance(img.hints, FrontMatterHints) and img.hints.alt_style == "structure"


def status_of(img: Image) -> ImageStatus:
    """The inventory status for ``altbot scan``."""
    if img.hidden:
        return ImageStatus.HIDDEN
    if img.presentational:
        return ImageStatus.DECORATIVE
    if img.alt is None:
        return ImageStatus.NAMED if _named(img) else ImageStatus.MISSING
    if img.dynamic_alt:
        return ImageStatus.INVALID if not_text(img) else ImageStatus.OK
    if img.alt == "":
        if _named(img):
            return ImageStatus.NAMED
        if img.syntax in _DECORATIVE_EMPTY_SYNTAX and not img.control:
            return ImageStatus.DECORATIVE
        return ImageStatus.EMPTY
    if not img.alt.strip():
        return ImageStatus.BLANK
    if suspicious_reason(img.alt, img.src):
        return ImageStatus.SUSPICIOUS
    return ImageStatus.OK


def find(
    images: Iterable[Image],
    severity_of: Callable[[str, Severity], Severity | None],
    empty_alt: str = "ignore",
    is_decorative: Callable[[Image], bool] | None = None,
    judged_informative: Callable[[Image], bool] | None = None,
    is_reviewed: Callable[[Image], bool] | None = None,
) -> list[Finding]:
    """Run every rule over every image that is in scope.

    ``severity_of`` maps (rule, default) to the configured severity (None = off);
    ``is_decorative`` lets a reviewed decision (the ledger) silence Markdown empty-alt.
    ``judged_informative``: with ``empty_alt="report"``, only the HTML ``alt=""``
    images the decorative check calls informative are reported.
    ``is_reviewed``: a reviewer accepted this alt (the ledger), so suspicious-alt is not raised again.
    """
    findings: list[Finding] = []
    for img in images:
        if img.ignored or img.hidden or img.presentational:
            continue
        alt = img.alt
        text_alt = alt and not img.card and not img.dynamic_alt and not alt.isspace()
        for rule in _TEXT_ALT_RULES if text_alt else _ALL_RULES:
            message = rule.check(img)
            if message is None:
                continue
            default = rule.severity
            if rule.id == "empty-alt" and img.syntax in _DECORATIVE_EMPTY_SYNTAX and not img.control:
                if empty_alt != "report":
                    continue
                if judged_informative is not None and not judged_informative(img):
                    continue
                default = Severity.INFO
            if rule.id == "empty-alt" and is_decorative is not None and is_decorative(img):
                continue
            if rule.id == "suspicious-alt" and is_reviewed is not None and is_reviewed(img):
                continue
            severity = severity_of(rule.id, default)
            if severity is None:
                continue
            findings.append(Finding(rule.id, severity, img, message))
    return findings
