"""find → verdict → caption → decide → edit, over many files: the engine behind
``altbot.plan_fix`` (and so ``fix``, ``fix --interactive`` and ``review``).

It plans; it never writes. ``altbot.plan.FixPlan`` turns the file plans into a
diff, a patch, written files or a branch. Each distinct image is captioned
once per run, in batches of files, so a model loads once and sees many images.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from altbot import decide
from altbot.caption.base import DEFAULT_MAX_LENGTH, Captioner, CaptionRequest, request_key
from altbot.caption.factory import CaptionerUnavailable
from altbot.config import Config
from altbot.discover import read_source
from altbot.edits import edit_outcome
from altbot.images import ImageData, ImageError, load_image
from altbot.ledger import Ledger
from altbot.model import (
    FileError,
    Finding,
    Image,
    SourceFile,
    Status,
    context_of,
)
from altbot.outcome import Caption, Edit, Outcome
from altbot.rules import find


@dataclass(frozen=True)
class FixOptions:
    replace_suspicious: bool = False
    include_empty: bool = False
    allow_remote: bool = False
    max_length: int = DEFAULT_MAX_LENGTH
    fallback_lang: str | None = None  # write captions in this language when the page's is unreachable


@dataclass
class FilePlan:
    """One file's outcomes; ``edits`` are the ones the applicability lets fix write."""

    source: SourceFile
    outcomes: list[Outcome] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    # where the file's path led when it was read (a file with findings): a write goes there or nowhere
    real: str | None = None

    @property
    def edits(self) -> list[Edit]:
        return [o.edit for o in self.outcomes if o.written and o.edit is not None]

    @cached_property
    def _reencodes_exactly(self) -> bool:
        from altbot.splice import reencodes_exactly

        try:
            return reencodes_exactly(self.source)
        except LookupError:  # a codec Python does not know (a SourceFile built by hand): splice or refuse
            return False

    def encoded(self, edits: Sequence[Edit]) -> bytes | None:
        """The file's bytes with ``edits`` applied, changing no byte outside them; None when
        its encoding cannot take them byte for byte (``altbot.splice``)."""
        from altbot.splice import encode_edits

        key = tuple(sorted(edits))
        cached = self.__dict__.get("_encoded")
        if cached is not None and cached[0] == key:
            return cached[1]
        got = encode_edits(self.source, key, self._reencodes_exactly)
        self.__dict__["_encoded"] = (key, got)
        return got

    @property
    def new_bytes(self) -> bytes:
        edits = self.edits
        if not edits:
            return self.source.raw
        got = self.encoded(edits)
        # never an approximation: edits the encoding cannot take were refused when planned or
        # decided (``refuse_inexact``, ``FixPlan.decide``), so this is the file as it was
        return self.source.raw if got is None else got

    def refuse_inexact(self) -> None:
        """Leave open, with the reason, each edit the file's encoding cannot take byte for byte,
        and name the file among the errors; the other edits stay."""
        if not self.edits or self._reencodes_exactly:
            return
        from altbot.splice import not_byte_exact

        why = not_byte_exact(self.source)
        kept: list[Edit] = []
        refused = 0
        for i, o in enumerate(self.outcomes):
            if not (o.written and o.edit is not None):
                continue
            if self.encoded(kept + [o.edit]) is None:
                self.outcomes[i] = replace(o, status=Status.SKIPPED, reason=f"not written: {why}", edit=None)
                refused += 1
            else:
                kept.append(o.edit)
        if refused:
            n = f"{refused} image{'s' if refused > 1 else ''}"
            self.errors.append(FileError(self.source.path, f"cannot edit {n} here: {why}"))

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
        if img.syntax in decide.DECORATIVE_SYNTAX and not img.control:
            return None if options.include_empty else 'alt="" is valid decorative markup (use --include-empty)'
        return None
    if f.rule == "suspicious-alt":
        return None if options.replace_suspicious else "a human wrote this alt (use --replace-suspicious)"
    return f"rule {f.rule} has no fix"


# Short captions are hard to identify ("Blue front door" reads as Dutch at 0.52): agreeing with
# the page takes little evidence; contradicting an English page (where a caption of unknown
# language would be written) takes a sure identifier; on any other page a caption of unknown
# language is left open anyway, and a likely language only makes the reason clearer.
AGREE_CONFIDENCE = 0.3
DISAGREE_CONFIDENCE = 0.8
DISAGREE_ELSEWHERE = 0.5


def _detect_language(text: str, page_lang: str | None = None) -> str | None:
    """The language of a short caption, only when the identifier is sure enough (else None)."""
    from altbot.language import load_detector
    from altbot.tags import primary

    detector = load_detector()
    if detector is None:
        return None
    try:
        got = detector(text.replace("\n", " "))
    except Exception:  # noqa: BLE001 - an identifier failure means "cannot tell"
        return None
    if not got:
        return None
    tag, confidence = got
    if page_lang and primary(tag) == primary(page_lang):
        return tag if confidence >= AGREE_CONFIDENCE else None
    needed = DISAGREE_CONFIDENCE if primary(page_lang) in (None, "en") else DISAGREE_ELSEWHERE
    return tag if confidence >= needed else None


def caption_context(img: Image, source: SourceFile | None = None, code=()) -> tuple[tuple[str, str], ...]:
    """What the captioner is told about the image's place on the page (``altbot.context``);
    ``code``: the page's spans that are JavaScript, not text (``ParseResult.esm``)."""
    from altbot.decorative import link_purpose_context

    link = link_purpose_context(img)  # the image names a link: its alt should say where the link goes
    if source is None:
        return tuple(p for p in (("title", img.title or ""), ("link", link or "")) if p[1])
    from altbot.context import page_context

    return page_context(source.text, source.kind, img, link=link, code=code)


def default_finalize(caption: Caption, max_length: int, lang: str | None) -> Caption:
    """The alt-text rules (length, prefixes, OCR quoting) applied to a backend's raw caption."""
    from altbot.caption.text import finalize

    return finalize(caption, max_length=max_length, lang=lang)


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
        self.finalize = finalize or default_finalize
        self._captions: dict[tuple, Caption] = {}
        self._stats: dict[str, object] = {}
        self._seen_at: dict[tuple, set[str]] = {}
        self.model_calls = 0

    def _pixel_stats(self, data: ImageData):
        if data.key not in self._stats:
            from altbot.decorative import pixel_stats

            try:
                self._stats[data.key] = pixel_stats(data)
            except Exception:  # noqa: BLE001 - an image the decoder rejects has no pixel evidence
                self._stats[data.key] = None
        return self._stats[data.key]

    def _reuse(self, key: str, image: Image, page: str) -> int:
        """On how many pages (seen so far in this run) the same image sits in the same position."""
        ctx = context_of(image)
        position = (key, image.element) + ((ctx.in_link, ctx.link_href, ctx.in_button) if ctx else (False, None, False))
        pages = self._seen_at.setdefault(position, set())
        pages.add(page)
        return len(pages)

    def _add(self, plan: FilePlan, outcome: Outcome) -> None:
        plan.outcomes.append(edit_outcome(outcome, plan.source))

    # -- per file ------------------------------------------------------------------
    def _start(self, source: SourceFile, pending: list[_Pending]) -> FilePlan:
        from altbot.decorative import judge
        from altbot.runner import ledger_view, parse_page, with_languages

        plan = FilePlan(source)
        parsed = parse_page(source, self.config)
        parsed.images = with_languages(parsed.images, source, parsed, self.resolver)
        plan.errors.extend(parsed.errors)
        view = ledger_view(self.ledger, self.config, source.abspath)
        page = self.config.page_key(source.abspath)
        empty_alt = "report" if self.options.include_empty else self.config.empty_alt
        findings = find(
            parsed.images,
            self.config.severity_of,
            empty_alt=empty_alt,
            is_decorative=view.is_decorative if view else None,
            is_reviewed=view.is_reviewed if view else None,
        )
        if findings:
            plan.real = os.path.realpath(source.abspath)
        for f in findings:
            why = fixable(f, self.options)
            if why is not None:
                self._add(plan, decide.skipped(f, why))
                continue
            data = load_image(f.image.target, source.abspath, self.config, allow_remote=self.options.allow_remote)
            if isinstance(data, ImageError):
                self._add(plan, decide.skipped(f, data.reason))
                continue
            recorded = self.ledger.lookup(page, f.image.src or "", data.key) if self.ledger else None
            if recorded is not None:
                settled = decide.from_ledger(f, recorded.decision, recorded.alt, data.key)
                if settled is not None:
                    self._add(plan, settled)
                    continue
            stats = self._pixel_stats(data)
            reuse = self._reuse(data.key, f.image, page)
            settled = decide.before_caption(f, judge(f.image, stats, None, reuse), data.key)
            if settled is not None:
                self._add(plan, settled)
                continue
            request = CaptionRequest(data, lang=f.image.lang, max_length=self.options.max_length, context=caption_context(f.image, source, parsed.esm))
            pending.append(_Pending(plan, f, data, request, stats, reuse))
        return plan

    def _start_guarded(self, source: SourceFile, pending: list[_Pending]) -> FilePlan:
        mine: list[_Pending] = []
        try:
            plan = self._start(source, mine)
        except Exception as exc:  # noqa: BLE001 - one file's bug must not end the run
            from altbot.debug import internal_error

            return FilePlan(source, errors=[internal_error(source.path, exc, "planning a fix for")])
        pending.extend(mine)
        return plan

    def _finish(self, p: _Pending, caption: Caption) -> None:
        from altbot.decorative import judge

        caption = self.finalize(caption, self.options.max_length, p.request.lang)
        judgement = judge(p.finding.image, p.pixels, caption, p.reuse)
        outcome = decide.from_caption(
            p.finding,
            judgement,
            caption,
            page_lang=p.request.lang,
            fallback_lang=self.options.fallback_lang,
            identify=lambda text: _detect_language(text, p.request.lang),
            key=p.image.key,
        )
        self._add(p.plan, replace(outcome, context=p.request.context))

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
        wanted: dict[tuple, CaptionRequest] = {}
        keys_of: dict[int, tuple] = {}
        for p in pending:
            # every input the caption depends on: the same pixels under another name are another
            # request for a name-based captioner, and another page for a context-aware one
            k = keys_of[id(p)] = request_key(self.captioner, p.request)
            if k not in self._captions and k not in wanted:
                wanted[k] = p.request
        if wanted:
            keys = list(wanted)
            self.model_calls += 1
            name = getattr(self.captioner, "name", "captioner")
            try:
                captions = list(self.captioner.caption([wanted[k] for k in keys]))
            except CaptionerUnavailable:
                raise  # no backend at all (its model would not load): the run cannot caption, say so once
            except Exception as exc:  # noqa: BLE001 - a backend failing on a batch leaves those findings open, with why
                reason = f"{name} failed: {type(exc).__name__}: {exc}"
                captions = [Caption(None, None, name, reason=reason) for _ in keys]
            if len(captions) != len(keys):
                bad = Caption(None, None, name, reason=f"{name} returned {len(captions)} captions for {len(keys)} images")
                captions = [bad] * len(keys)
            for k, c in zip(keys, captions):
                self._captions[k] = c
        for p in pending:
            try:
                self._finish(p, self._captions[keys_of[id(p)]])
            except Exception as exc:  # noqa: BLE001 - one image's bug leaves that finding open
                from altbot.debug import internal_error

                err = internal_error(p.plan.source.path, exc, "deciding an image of")
                self._add(p.plan, decide.skipped(p.finding, err.message, key=p.image.key))
        for plan in plans:
            plan.outcomes.sort(key=lambda o: o.finding.image.element_span.start)
            try:
                plan.refuse_inexact()
            except Exception as exc:  # noqa: BLE001 - one file's bug must not end the run
                from altbot.debug import internal_error

                err = internal_error(plan.source.path, exc, "encoding the edits of")
                plan.errors.append(err)
                plan.outcomes = [
                    replace(o, status=Status.SKIPPED, reason=err.message, edit=None) if o.written else o for o in plan.outcomes
                ]
        return plans


def read_sources(candidates, config: Config, errors: list[FileError]) -> Iterator[SourceFile]:
    """Each candidate file read and decoded; the ones that cannot be go to ``errors``."""
    for candidate in candidates:
        try:
            source = read_source(candidate, config)
        except Exception as exc:  # noqa: BLE001 - one file's bug must not end the run (as in check)
            from altbot.debug import internal_error

            source = internal_error(candidate.display, exc, "reading")
        if isinstance(source, FileError):
            errors.append(source)
        else:
            yield source
