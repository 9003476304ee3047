"""find → caption → decide → edit, over many files: what `altbot fix` proposes.

This module plans; it never writes. ``altbot.apply`` and the CLI turn plans
into a diff, a patch, written files or a branch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from altbot.caption.base import DEFAULT_MAX_LENGTH, Captioner, CaptionRequest
from altbot.config import Config
from altbot.discover import iter_candidates, read_source
from altbot.images import ImageData, ImageError, load_image
from altbot.ledger import Ledger
from altbot.model import (
    Applicability,
    Caption,
    Edit,
    FileError,
    Finding,
    Image,
    SourceFile,
    Suggestion,
    Syntax,
    apply_edits,
)
from altbot.parse import parse_source
from altbot.rules import find

# Outcome statuses, as the summary and --explain show them.
FIXED, DECORATIVE, SKIPPED = "fixed", "decorative", "skipped"
_DECORATIVE_SYNTAX = frozenset({Syntax.HTML, Syntax.JSX})


@dataclass(frozen=True)
class FixOptions:
    replace_suspicious: bool = False
    include_empty: bool = False
    allow_remote: bool = False
    max_length: int = DEFAULT_MAX_LENGTH
    fallback_lang: str | None = None  # write captions in this language when the page's is unreachable


@dataclass(frozen=True)
class Outcome:
    """What happened to one finding."""

    finding: Finding
    status: str  # fixed | decorative | skipped
    reason: str | None = None
    suggestion: Suggestion | None = None
    image_key: str | None = None  # content hash, when the image could be read
    edit: Edit | None = None  # the change that applies the suggestion


@dataclass
class FilePlan:
    source: SourceFile
    outcomes: list[Outcome] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    findings_left: int = 0  # findings this plan does not fix (skipped or out of fix's scope)

    @property
    def edits(self) -> list[Edit]:
        return [o.edit for o in self.outcomes if o.edit is not None]

    @property
    def new_bytes(self) -> bytes:
        if not self.edits:
            return self.source.raw
        return self.source.encode(apply_edits(self.source.text, self.edits))

    @property
    def changed(self) -> bool:
        return bool(self.edits) and self.new_bytes != self.source.raw


@dataclass
class _Pending:
    """A finding waiting for its caption."""

    plan: FilePlan
    finding: Finding
    image: ImageData
    request: CaptionRequest
    pixels: object = None  # decorative.PixelStats, measured once per image
    reuse: int = 0


def fixable(f: Finding, options: FixOptions) -> str | None:
    """None when fix handles this finding, else why not."""
    img = f.image
    if not img.fixable:
        return f"<{img.element}> is detected only; name it by hand (aria-label or <title>)"
    if img.dynamic_alt:
        return "alt is a template or JSX expression"
    if f.rule in ("missing-alt", "blank-alt"):
        return None
    if f.rule == "empty-alt":
        if img.syntax in _DECORATIVE_SYNTAX and not img.control:
            return None if options.include_empty else 'alt="" is valid decorative markup (use --include-empty)'
        return None
    if f.rule == "suspicious-alt":
        return None if options.replace_suspicious else "a human wrote this alt (use --replace-suspicious)"
    return f"rule {f.rule} has no fix"


def _findings_for_fix(images: list[Image], config: Config, options: FixOptions, is_decorative) -> list[Finding]:
    empty_alt = "report" if options.include_empty else config.empty_alt
    return find(images, config.severity_of, empty_alt=empty_alt, is_decorative=is_decorative)


def _lang_primary(tag: str | None) -> str | None:
    return tag.split("-")[0].lower() if tag else None


def _encodable(replacement: str, source: SourceFile, syntax: Syntax) -> str | None:
    """The replacement in a form the file's encoding can hold, or None."""
    try:
        replacement.encode(source.encoding)
        return replacement
    except UnicodeEncodeError:
        if syntax in _DECORATIVE_SYNTAX:  # HTML and JSX decode numeric character references
            return replacement.encode(source.encoding, "xmlcharrefreplace").decode(source.encoding)
        return None


def edit_for_alt(source: SourceFile, image: Image, alt: str) -> Edit | str:
    """The edit that writes ``alt`` for ``image``, or why it cannot be written."""
    from altbot.edits import EditError, alt_edit

    try:
        edit = alt_edit(image, source.text, alt)
    except EditError as exc:
        return str(exc)
    replacement = _encodable(edit.replacement, source, image.syntax)
    if replacement is None:
        return f"the alt text has characters that the file's encoding ({source.encoding}) cannot hold"
    return Edit(edit.start, edit.end, replacement)


class Planner:
    """Builds FilePlans for many files, captioning each distinct image once."""

    def __init__(
        self,
        config: Config,
        options: FixOptions,
        captioner: Captioner,
        ledger: Ledger | None = None,
        finalize: Callable[[Caption, int, str | None], Caption] | None = None,
        resolver=None,
    ) -> None:
        self.resolver = resolver
        self.config = config
        self.options = options
        self.captioner = captioner
        self.ledger = ledger
        self.finalize = finalize or _default_finalize
        self._captions: dict[tuple[str, str | None], Caption] = {}
        self._stats: dict[str, object] = {}
        self._seen_at: dict[tuple, set[str]] = {}
        self.model_calls = 0

    def _pixel_stats(self, data: ImageData):
        if data.key not in self._stats:
            from altbot.decorative import pixel_stats

            try:
                self._stats[data.key] = pixel_stats(data)
            except Exception:  # an image the decoder rejects has no pixel evidence
                self._stats[data.key] = None
        return self._stats[data.key]

    def _reuse(self, key: str, image: Image, page: str) -> int:
        """On how many pages (seen so far in this run) the same image sits in the same position."""
        extra = dict(image.extra)
        position = (key, image.element, extra.get("in_link"), extra.get("link_href"), extra.get("in_button"))
        pages = self._seen_at.setdefault(position, set())
        pages.add(page)
        return len(pages)

    # -- per file ------------------------------------------------------------------
    def _start(self, source: SourceFile, pending: list[_Pending]) -> FilePlan:
        from altbot.runner import decorative_in_ledger, with_languages

        plan = FilePlan(source)
        parsed = parse_source(source, self.config.parse_options())
        parsed.images = with_languages(parsed.images, source, parsed, self.resolver)
        plan.errors.extend(parsed.errors)
        is_decorative = decorative_in_ledger(self.ledger, self.config, source.abspath)
        page = self.config.page_key(source.abspath)
        for f in _findings_for_fix(parsed.images, self.config, self.options, is_decorative):
            why = fixable(f, self.options)
            if why is not None:
                self._skip(plan, f, why)
                continue
            data = load_image(f.image.src, source.abspath, self.config, allow_remote=self.options.allow_remote)
            if isinstance(data, ImageError):
                self._skip(plan, f, data.reason)
                continue
            decision = self.ledger.lookup(page, f.image.src or "", data.key) if self.ledger else None
            if decision is not None and decision.decision == "rejected":
                self._skip(plan, f, "suggestion rejected in the ledger", key=data.key)
                continue
            if decision is not None and decision.decision == "decorative":
                self._decorative(plan, f, data.key, ("recorded as decorative in the ledger",), Applicability.SAFE)
                continue
            from altbot.decorative import judge

            stats = self._pixel_stats(data)
            reuse = self._reuse(data.key, f.image, page)
            verdict = judge(f.image, stats, None, reuse)
            if f.rule == "empty-alt" and f.image.syntax in _DECORATIVE_SYNTAX and not f.image.control:
                # HTML alt="": caption it only when the decorative check judges it informative
                if verdict.verdict != "informative":
                    self._skip(plan, f, f'judged {verdict.verdict} ({verdict.reasons[0]}): alt="" kept', key=data.key)
                    continue
            elif verdict.verdict == "decorative":
                self._decorative(plan, f, data.key, verdict.reasons, Applicability.REVIEW, verdict.score)
                continue
            lang = f.image.lang
            request = CaptionRequest(data, lang=lang, max_length=self.options.max_length, context=_context(f.image))
            pending.append(_Pending(plan, f, data, request, stats, reuse))
        return plan

    def _start_guarded(self, source: SourceFile, pending: list[_Pending]) -> FilePlan:
        mine: list[_Pending] = []
        try:
            plan = self._start(source, mine)
        except Exception as exc:  # noqa: BLE001 - one file's bug must not end the run
            from altbot.debug import internal_error

            plan = FilePlan(source, errors=[internal_error(source.path, exc, "planning a fix for")])
            return plan
        pending.extend(mine)
        return plan

    def _skip(self, plan: FilePlan, f: Finding, reason: str, suggestion: Suggestion | None = None, key=None) -> None:
        plan.outcomes.append(Outcome(f, SKIPPED, reason, suggestion, key))
        if f.severity.rank >= self.config.fail_on.rank:
            plan.findings_left += 1

    def _decorative(self, plan: FilePlan, f: Finding, key: str, reasons, applicability, score=None) -> None:
        from altbot.edits import EditError, decorative_edit

        suggestion = Suggestion(
            f, "", decorative=True, verdict="decorative", reasons=tuple(reasons), applicability=applicability, score=score
        )
        if f.image.syntax not in _DECORATIVE_SYNTAX or f.image.control:
            # Markdown cannot say decorative: the ledger entry is the record; nothing to edit
            if f.image.control:
                self._skip(plan, f, "a control cannot be decorative", suggestion, key)
            else:
                plan.outcomes.append(Outcome(f, DECORATIVE, None, suggestion, key))
            return
        try:
            edit = decorative_edit(f.image, plan.source.text)
        except EditError as exc:
            self._skip(plan, f, str(exc), suggestion, key)
            return
        plan.outcomes.append(Outcome(f, DECORATIVE, None, suggestion, key, edit))

    def _finish(self, p: _Pending, caption: Caption) -> None:
        plan, f = p.plan, p.finding
        from altbot.decorative import judge

        caption = self.finalize(caption, self.options.max_length, p.request.lang)
        verdict = judge(f.image, p.pixels, caption, p.reuse)
        if verdict.verdict == "decorative":
            self._decorative(plan, f, p.image.key, verdict.reasons, Applicability.REVIEW, verdict.score)
            return
        if caption.decorative:
            reason = f"{caption.backend} answered decorative, but the markup and pixels do not agree ({verdict.verdict})"
            self._skip(plan, f, reason + "; review it by hand", key=p.image.key)
            return
        if not caption.text:
            self._skip(plan, f, caption.reason or "no usable caption", key=p.image.key)
            return
        page_lang, cap_lang = _lang_primary(p.request.lang), _lang_primary(caption.lang)
        if page_lang and cap_lang is None and not caption.ocr_text:
            # metadata and file names carry no language tag: identify it from the text itself
            cap_lang = _lang_primary(_detect_language(caption.text))
            if cap_lang:
                caption = replace(caption, lang=cap_lang)
            elif page_lang != "en" and not self.options.fallback_lang:
                # unknown language on a non-English page: it is most likely English, so never guess
                self._skip(
                    plan,
                    f,
                    f"cannot tell which language the caption {caption.text!r} is in, and the page is in "
                    f"{p.request.lang}; pass --fallback-lang to write it anyway",
                    key=p.image.key,
                )
                return
        if page_lang and cap_lang and page_lang != cap_lang and cap_lang != _lang_primary(self.options.fallback_lang):
            why = caption.reason if "translat" in (caption.reason or "") else "no translation route exists"
            self._skip(
                plan,
                f,
                f"the caption is in {caption.lang} but the page is in {p.request.lang} ({why}); "
                f"pass --fallback-lang {caption.lang} to write it anyway",
                key=p.image.key,
            )
            return
        extra = dict(f.image.extra)
        if extra.get("link_only_image") == "1" and (extra.get("link_title") or "").strip():
            # the image is the link: its alt names where the link goes, and the link's title says it
            caption = replace(caption, text=extra["link_title"].strip(), backend="link-title", model=None, lang=p.request.lang)
        reasons = [f"captioned by {caption.backend}" + (f" ({caption.model})" if caption.model else "")]
        if extra.get("link_only_image") == "1":
            reasons.append(f"names the link to {extra.get('link_href') or '?'}: check that the alt says where it goes")
        if caption.low_confidence:
            reasons.append("low confidence: needs review")
        if verdict.verdict == "uncertain":
            reasons.append("might be decorative: review")
        reasons.extend(verdict.reasons)
        suggestion = Suggestion(
            f, caption.text, verdict=verdict.verdict, reasons=tuple(reasons), caption=caption, score=verdict.score
        )
        edit = edit_for_alt(plan.source, f.image, caption.text)
        if isinstance(edit, str):
            self._skip(plan, f, edit, suggestion, p.image.key)
            return
        plan.outcomes.append(Outcome(f, FIXED, None, suggestion, p.image.key, edit))

    # -- batches -------------------------------------------------------------------
    def plan(self, sources: Iterable[SourceFile], batch_files: int = 32) -> Iterator[FilePlan]:
        """FilePlans in input order; captions are requested in batches of files."""
        batch: list[SourceFile] = []
        for source in sources:
            batch.append(source)
            if len(batch) >= batch_files:
                yield from self._plan_batch(batch)
                batch = []
        if batch:
            yield from self._plan_batch(batch)

    def _plan_batch(self, sources: Sequence[SourceFile]) -> list[FilePlan]:
        pending: list[_Pending] = []
        plans = [self._start_guarded(s, pending) for s in sources]
        wanted: dict[tuple[str, str | None], CaptionRequest] = {}
        for p in pending:
            k = (p.image.key, p.request.lang)
            if k not in self._captions and k not in wanted:
                wanted[k] = p.request
        if wanted:
            keys = list(wanted)
            self.model_calls += 1
            try:
                captions = list(self.captioner.caption([wanted[k] for k in keys]))
            except Exception as exc:  # a backend failing on a whole batch leaves those findings open, with why
                name = getattr(self.captioner, "name", "captioner")
                reason = f"{name} failed: {type(exc).__name__}: {exc}"
                captions = [Caption(None, None, name, reason=reason) for _ in keys]
            if len(captions) != len(keys):
                name = getattr(self.captioner, "name", "captioner")
                bad = Caption(None, None, name, reason=f"{name} returned {len(captions)} captions for {len(keys)} images")
                captions = [bad] * len(keys)
            for k, c in zip(keys, captions):
                self._captions[k] = c
        for p in pending:
            try:
                self._finish(p, self._captions[(p.image.key, p.request.lang)])
            except Exception as exc:  # noqa: BLE001 - one image's bug leaves that finding open
                from altbot.debug import internal_error

                err = internal_error(p.plan.source.path, exc, "deciding an image of")
                self._skip(p.plan, p.finding, err.message, key=p.image.key)
        for plan in plans:
            plan.outcomes.sort(key=lambda o: o.finding.image.element_span.start)
        return plans


def _detect_language(text: str) -> str | None:
    """The language of a short caption, only when the identifier is sure (else None)."""
    try:
        from altbot.language import load_detector
    except ImportError:  # pragma: no cover
        return None
    detector = load_detector()
    if detector is None:
        return None
    try:
        got = detector(text.replace("\n", " "))
    except Exception:
        return None
    if not got:
        return None
    tag, confidence = got
    return tag if confidence >= 0.5 else None


def _context(img: Image) -> tuple[tuple[str, str], ...]:
    from altbot.decorative import link_purpose_context

    ctx = []
    if img.title:
        ctx.append(("title", img.title))
    link = link_purpose_context(img)
    if link:  # the image names a link: its alt should say where the link goes
        ctx.append(("link", link))
    return tuple(ctx)


def _default_finalize(caption: Caption, max_length: int, lang: str | None) -> Caption:
    try:
        from altbot.caption.text import finalize
    except ImportError:  # pragma: no cover - text rules not installed
        return caption
    return finalize(caption, max_length=max_length, lang=lang)


def iter_sources(paths: list[str], config: Config, errors: list[FileError]) -> Iterator[SourceFile]:
    for candidate in iter_candidates(paths, config, errors):
        source = read_source(candidate, config)
        if isinstance(source, FileError):
            errors.append(source)
        else:
            yield source
