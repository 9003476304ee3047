"""What fix decides: the decorative verdict, captions, suggestions, edits and outcomes.

These records belong to the fix side (decide → caption → edit → apply); ``check`` never
builds one, so a check does not pay for defining them at start-up (``altbot.model`` holds
what every command shares).
"""

from __future__ import annotations

from dataclasses import dataclass

from altbot.model import Applicability, Finding, Span, Status, Verdict

__all__ = ["Caption", "Edit", "Judgement", "Outcome", "Suggestion", "apply_edits"]


@dataclass(frozen=True)
class Judgement:
    """The decorative check's verdict on one image, with a score and the reasons."""

    verdict: Verdict
    score: float | None  # 0..1, probability-like that the image is decorative
    reasons: tuple[str, ...]
    signals: tuple = ()  # decorative.Signal records, strongest first


@dataclass(frozen=True)
class Caption:
    """What a captioner said about one image."""

    text: str | None  # None: no usable caption (``reason`` says why)
    confidence: float | None  # 0..1 (sequence probability or equivalent), None when unknown
    backend: str  # "transformers", "offline", "server", "filename", "metadata", ...
    model: str | None = None
    lang: str | None = None  # BCP 47 tag of ``text``
    ocr_text: str | None = None  # text read from the image, verbatim
    decorative: bool = False  # the backend judged the image decorative
    reason: str | None = None
    low_confidence: bool = True  # "needs review"
    author_alt: bool = False  # the text is the author's own alt text, read from the file (IPTC alt text)


@dataclass(frozen=True)
class Suggestion:
    """The decision for one finding: new alt text, or decorative, or nothing."""

    finding: Finding
    alt: str | None  # the alt to write ("" for decorative); None: leave the finding open
    decorative: bool = False
    verdict: Verdict | None = None
    reasons: tuple[str, ...] = ()
    applicability: Applicability = Applicability.REVIEW
    caption: Caption | None = None
    score: float | None = None  # the decorative check's score (0..1, how likely decorative)


@dataclass(frozen=True, order=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``. Edits of one file never overlap."""

    start: int
    end: int
    replacement: str

    @classmethod
    def insertion(cls, at: int, text: str) -> "Edit":
        return cls(at, at, text)

    @classmethod
    def replacement_of(cls, span: Span, text: str) -> "Edit":
        return cls(span.start, span.end, text)

    @classmethod
    def deletion(cls, span: Span) -> "Edit":
        return cls(span.start, span.end, "")


@dataclass(frozen=True)
class Outcome:
    """What fix decided for one finding, and (after the edit stage) the change that applies it."""

    finding: Finding
    status: Status
    reason: str | None = None  # why it is left open (skipped)
    suggestion: Suggestion | None = None
    image_key: str | None = None  # content hash, when the image could be read
    edit: Edit | None = None
    context: tuple[tuple[str, str], ...] = ()  # what the captioner was told about the image's place

    @property
    def written(self) -> bool:
        """Is this outcome's edit part of what --write applies?"""
        if self.edit is None:
            return False
        return self.suggestion is None or self.suggestion.applicability.written


def apply_edits(text: str, edits: "list[Edit] | tuple[Edit, ...]") -> str:
    """Splice non-overlapping edits into ``text`` in one pass; bytes outside the edits are untouched."""
    ordered = sorted(edits)
    for a, b in zip(ordered, ordered[1:]):
        if b.start < a.end or (a.start == a.end == b.start == b.end):
            raise ValueError(f"overlapping edits at {a.start}..{a.end} and {b.start}..{b.end}")
    pieces = []
    pos = 0
    for e in ordered:
        if not 0 <= e.start <= e.end <= len(text):
            raise ValueError(f"edit {e.start}..{e.end} outside the text (length {len(text)})")
        pieces.append(text[pos : e.start])
        pieces.append(e.replacement)
        pos = e.end
    pieces.append(text[pos:])
    return "".join(pieces)
