"""FixPlan: what ``altbot.plan_fix`` returns (apply stage).

It holds every file's outcomes and turns them into a diff, a patch, written
files or a branch, always through the same edits; ``decide()`` is the one
path by which a reviewer (``fix --interactive``, ``altbot review``, a CMS
integration) accepts, edits, marks decorative, rejects or skips a proposal,
and it records the decision in the ledger.

What is written follows each suggestion's applicability: safe and review
suggestions are written by --write/--patch/--branch (and shown in the diff);
display-only ones only once a reviewer accepts them.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from altbot import decide as stage
from altbot.config import Config
from altbot.edits import edit_for_alt, edit_outcome
from altbot.ledger import Checkpoint, Ledger, LedgerError
from altbot.model import Applicability, FileError, Status, Verdict
from altbot.outcome import Outcome
from altbot.planner import FilePlan, FixOptions, fixable
from altbot.report.text import visible, visible_path

ACTIONS = ("accept", "decorative", "reject", "skip")
# backends whose text a person wrote (not a machine): the author's file metadata, a reviewer
_HUMAN = frozenset({"reviewer", "ledger"})


def _origin(o: Outcome) -> tuple[str | None, str | None]:
    """(backend, model) of an outcome's text, for the ledger's provenance."""
    s = o.suggestion
    if s is None:
        return None, None
    c = s.caption
    if c is None:
        return ("decorative-check", None) if s.decorative else ("reviewer", None)
    if c.author_alt:
        return "author", None
    return c.backend, c.model


class DecisionError(ValueError):
    """A reviewer's decision that cannot be applied; the message says why."""


@dataclass(frozen=True)
class Proposal:
    """One finding fix handled, as a reviewer or an integration sees it."""

    id: int
    path: str
    line: int
    column: int
    rule: str
    element: str
    src: str | None
    current_alt: str | None  # the alt the page has now (None: no alt attribute/field)
    alt: str | None  # proposed alt; "" for decorative; None when there is no proposal
    decorative: bool
    verdict: Verdict | None
    applicability: Applicability | None
    reasons: tuple[str, ...]
    status: Status
    reason: str | None  # why it is left open
    image_hash: str | None
    backend: str | None
    model: str | None
    lang: str | None  # the page's language for this image
    confidence: float | None
    context: tuple[tuple[str, str], ...]
    machine_written: bool
    reviewable: bool  # a reviewer may give alt text here (the image is fix's to edit)
    will_write: bool  # --write would write it as the plan stands

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "element": self.element,
            "src": self.src,
            "current_alt": self.current_alt,
            "alt": self.alt,
            "decorative": self.decorative,
            "verdict": self.verdict.value if self.verdict else None,
            "applicability": self.applicability.value if self.applicability else None,
            "reasons": list(self.reasons),
            "status": self.status.value,
            "reason": self.reason,
            "image_hash": self.image_hash,
            "backend": self.backend,
            "model": self.model,
            "lang": self.lang,
            "confidence": None if self.confidence is None else round(self.confidence, 4),
            "context": [list(kv) for kv in self.context],
            "machine_written": self.machine_written,
            "reviewable": self.reviewable,
            "will_write": self.will_write,
        }


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)  # display paths
    failed: dict[str, str] = field(default_factory=dict)  # display path → why it was not written

    @property
    def ok(self) -> bool:
        return not self.failed


def _resolved(o: Outcome) -> bool:
    """Does --write settle this finding (an edit, or a decorative ledger entry)?"""
    return o.status is not Status.SKIPPED and (o.suggestion is None or o.suggestion.applicability.written)


# the particulars of a reason: quoted text, a parenthesis, a path, a file name. A path or a file
# name is tried only where a word starts (after a space, a quote or a parenthesis): tried at every
# character, a 16,000-character src without a "/" took 2 s to group (quadratic)
_QUOTED = re.compile(
    r"'[^']*'|\"[^\"]*\"|\([^()]*\)|(?<![^\s'\")])(?:\S*/\S*|\S+\.(?:png|jpe?g|gif|webp|svg|avif|bmp|ico|tiff?)\b)", re.I
)


def _line_start(text: str, i: int) -> int:
    return max(text.rfind("\n", 0, i), text.rfind("\r", 0, i)) + 1


def _line_end(text: str, i: int) -> int:
    ends = [j for j in (text.find("\n", i), text.find("\r", i)) if j >= 0]
    return min(ends) if ends else len(text)


def _count_breaks(text: str) -> int:
    return text.count("\r\n") + text.replace("\r\n", "").count("\n") + text.replace("\r\n", "").count("\r")


def reason_group(reason: str) -> str:
    """A skip reason without its particulars (names, paths, quoted text): what many skips share."""
    text = _QUOTED.sub("…", reason)
    text = re.sub(r"(?:…\s*)+", "… ", text)
    text = re.sub(r"\s+", " ", text).strip(" ;,")
    if len(text) > 110:
        cut = text.rfind(" ", 0, 110)
        text = text[: cut if cut > 60 else 110].rstrip(" ;,") + " …"
    return text


@dataclass(frozen=True)
class Excerpt:
    """The source around one image, for a reviewer: ``before`` + ``element`` + ``after``
    are consecutive text of the file (line breaks as ``\\n``), starting at line ``first_line``."""

    first_line: int
    before: str
    element: str  # the image's own markup, as the file has it
    after: str
    truncated: bool = False  # a very long line (minified HTML) was cut short


@dataclass(frozen=True)
class _Step:
    """One decision as it was applied: what to restore on undo."""

    action: str
    before: Outcome
    ledger: Checkpoint | None


class FixPlan:
    """Proposals for many files; nothing is written until ``write``, ``patch`` or ``to_branch``."""

    def __init__(
        self,
        config: Config,
        options: FixOptions,
        files: list[FilePlan],
        errors: list[FileError],
        ledger: Ledger | None,
        ledger_error: str | None = None,
    ) -> None:
        self.config = config
        self.options = options
        self.files = files
        self.errors = errors  # walk, read, parse, ledger and write errors, in order
        self.ledger = ledger
        # why the ledger could not be read (None: it was, or there is none): its decisions are
        # unknown, so the plan may propose what a reviewer rejected, and nothing is written
        self.ledger_error = ledger_error
        self._index: list[tuple[int, int]] = [(fi, oi) for fi, fp in enumerate(files) for oi in range(len(fp.outcomes))]
        self._write_failed: set[str] = set()
        self._history: dict[int, list[_Step]] = {}  # proposal id -> the reviewer's decisions, oldest first
        self._on_disk: dict[str, bytes] = {}  # display path -> the bytes this plan last wrote there
        self.applied = False  # set by write() when every file was written

    # -- what is proposed -------------------------------------------------------------
    def _outcome(self, pid: int) -> tuple[FilePlan, int, Outcome]:
        try:
            fi, oi = self._index[pid]
        except (IndexError, TypeError):
            raise DecisionError(f"no proposal {pid!r} in this plan") from None
        fp = self.files[fi]
        return fp, oi, fp.outcomes[oi]

    def _proposal(self, pid: int, fp: FilePlan, o: Outcome) -> Proposal:
        img = o.finding.image
        s = o.suggestion
        c = s.caption if s is not None else None
        backend = c.backend if c is not None else None
        if s is not None and c is None and s.applicability is Applicability.SAFE:
            backend = "reviewer" if "reviewer" in " ".join(s.reasons) else "ledger"
        return Proposal(
            id=pid,
            path=fp.source.path,
            line=img.line,
            column=img.column,
            rule=o.finding.rule,
            element=img.element,
            src=img.src,
            current_alt=img.alt,
            alt=s.alt if s is not None else None,
            decorative=o.status is Status.DECORATIVE or bool(s and s.decorative),
            verdict=s.verdict if s is not None else None,
            applicability=s.applicability if s is not None else None,
            reasons=s.reasons if s is not None else (),
            status=o.status,
            reason=o.reason,
            image_hash=o.image_key,
            backend=backend,
            model=c.model if c is not None else None,
            lang=img.lang,
            confidence=c.confidence if c is not None else None,
            context=o.context,
            machine_written=bool(s is not None and c is not None and not c.author_alt and backend not in _HUMAN and not s.decorative),
            reviewable=fixable(o.finding, self.options) is None,
            will_write=_resolved(o) and fp.source.path not in self._write_failed,
        )

    @property
    def proposals(self) -> list[Proposal]:
        return [self._proposal(pid, self.files[fi], self.files[fi].outcomes[oi]) for pid, (fi, oi) in enumerate(self._index)]

    def proposal(self, pid: int) -> Proposal:
        fp, _, o = self._outcome(pid)
        return self._proposal(pid, fp, o)

    # -- a reviewer's decision: the one path -------------------------------------------------
    def decide(self, pid: int | Proposal, action: str, text: str | None = None, *, reason: str | None = None) -> Proposal:
        """Apply a reviewer's decision to one proposal and record it in the ledger.

        ``action``: "accept" (the proposal, or ``text`` when given: the reviewer's
        own words), "decorative", "reject" or "skip" (``reason`` says why, for
        the summary). Accepted text is safe: it
        is written by ``write()``. Raises DecisionError when the decision cannot
        be applied (the reason is the message).
        """
        if isinstance(pid, Proposal):
            pid = pid.id
        fp, oi, o = self._outcome(pid)
        img = o.finding.image
        page = self.config.page_key(fp.source.abspath)
        if action not in ACTIONS:
            raise DecisionError(f"unknown decision {action!r}; one of {', '.join(ACTIONS)}")
        checkpoint = None
        if self.ledger is not None and o.image_key and action != "skip":
            checkpoint = self.ledger.checkpoint(page, img.src or "", o.image_key)
        if action in ("accept", "decorative") and fixable(o.finding, self.options) is not None:
            raise DecisionError(fixable(o.finding, self.options) or "fix cannot edit this image")
        if action == "accept" and text is not None:
            text = text.strip()
            if not text:
                raise DecisionError('empty alt text: use "decorative" for a decorative image')
            edit = edit_for_alt(fp.source, img, text)
            if isinstance(edit, str):
                raise DecisionError(f"cannot write that: {edit}")
            new = replace(stage.accepted(o, text), edit=edit)
            self._check_bytes(fp, oi, new)
            self._record(page, o, "reviewed", text, backend="reviewer")
        elif action == "accept":
            if o.status is Status.DECORATIVE or (o.suggestion is not None and o.suggestion.decorative and o.status is not Status.SKIPPED):
                return self.decide(pid, "decorative")
            if o.suggestion is None or not o.suggestion.alt:
                raise DecisionError("there is no proposal to accept here; write the alt text")
            new = edit_outcome(replace(stage.accepted(o), status=Status.FIXED, reason=None), fp.source)
            if new.status is Status.SKIPPED:
                raise DecisionError(f"cannot write that: {new.reason}")
            self._check_bytes(fp, oi, new)
            self._record(page, o, "reviewed", o.suggestion.alt, *_origin(o))
        elif action == "decorative":
            if img.control:
                raise DecisionError("a control (input/area) needs a name; it cannot be decorative")
            new = edit_outcome(stage.marked_decorative(o), fp.source)
            if new.status is Status.SKIPPED:
                raise DecisionError(f'cannot write alt="": {new.reason}')
            self._check_bytes(fp, oi, new, 'cannot write alt=""')
            self._record(page, o, "decorative", None, backend="reviewer")
        elif action == "reject":
            new = stage.rejected(o)
            self._record(page, o, "rejected", o.suggestion.alt if o.suggestion else None, *_origin(o))
        else:
            new = stage.left(o, reason or "skipped by the reviewer")
        new = replace(new, context=o.context)
        self._history.setdefault(pid, []).append(_Step(action, o, checkpoint))
        fp.outcomes[oi] = new
        return self._proposal(pid, fp, new)

    @staticmethod
    def _check_bytes(fp: FilePlan, oi: int, new: Outcome, what: str = "cannot write that") -> None:
        """Raise DecisionError when the file's encoding cannot take ``new``'s edit, beside the
        file's other edits, without changing a byte outside them (``altbot.splice``)."""
        if not new.written or new.edit is None:
            return
        edits = [x.edit for j, x in enumerate(fp.outcomes) if j != oi and x.written and x.edit is not None]
        if fp.encoded(edits + [new.edit]) is None:
            from altbot.splice import not_byte_exact

            raise DecisionError(f"{what}: {not_byte_exact(fp.source)}")

    def undo(self, pid: int | Proposal) -> Proposal:
        """Take back the reviewer's last decision on this proposal: the proposal is as it
        was before it, and what that decision recorded in the ledger is gone (from the
        file too, at the next save, if it was saved). A file already written keeps the
        decision until the next ``write()``. Raises DecisionError when there is nothing to undo."""
        if isinstance(pid, Proposal):
            pid = pid.id
        fp, oi, _ = self._outcome(pid)
        steps = self._history.get(pid)
        if not steps:
            raise DecisionError("nothing to undo: no decision was made here")
        step = steps.pop()
        if not steps:
            del self._history[pid]
        if step.ledger is not None and self.ledger is not None:
            self.ledger.rollback(step.ledger)
        fp.outcomes[oi] = step.before
        return self._proposal(pid, fp, step.before)

    def decision(self, pid: int | Proposal) -> str | None:
        """The reviewer's standing decision on this proposal ("accept", "decorative", "reject",
        "skip"; an accept of a decorative proposal is "decorative"), or None when undecided."""
        if isinstance(pid, Proposal):
            pid = pid.id
        self._outcome(pid)
        steps = self._history.get(pid)
        if not steps:
            return None
        return steps[-1].action

    # -- what a reviewer looks at -----------------------------------------------------------
    def excerpt(self, pid: int | Proposal, lines: int = 2, width: int = 400) -> Excerpt:
        """The image's markup with ``lines`` lines of source either side; a side longer
        than ``width`` characters (minified HTML) is cut to its nearest ``width``."""
        if isinstance(pid, Proposal):
            pid = pid.id
        fp, _, o = self._outcome(pid)
        text = fp.source.text
        span = o.finding.image.element_span
        start = _line_start(text, span.start)
        for _ in range(lines):
            if start == 0:
                break
            prev = start - 1
            if text[prev] == "\n" and prev > 0 and text[prev - 1] == "\r":
                prev -= 1
            start = _line_start(text, prev)
        end = _line_end(text, span.end)
        for _ in range(lines):
            if end >= len(text):
                break
            end = _line_end(text, end + (2 if text.startswith("\r\n", end) else 1))
        before, element, after = text[start : span.start], text[span.start : span.end], text[span.end : end]
        truncated = False
        if len(before) > width:
            before, truncated = "…" + before[-width:], True
        if len(after) > width:
            after, truncated = after[:width] + "…", True
        if len(element) > 4 * width:
            element, truncated = element[: 4 * width] + "…", True
        first_line = o.finding.image.line - _count_breaks(before)

        def norm(t: str) -> str:
            return t.replace("\r\n", "\n").replace("\r", "\n")

        return Excerpt(first_line, norm(before), norm(element), norm(after), truncated)

    def load_image(self, pid: int | Proposal):
        """The image file this proposal is about, read from disk as the captioner read it
        (an ``altbot.images.ImageData``), or an ``ImageError`` saying why not. Remote images
        are never fetched here."""
        from altbot.images import load_image

        if isinstance(pid, Proposal):
            pid = pid.id
        fp, _, o = self._outcome(pid)
        return load_image(o.finding.image.target, fp.source.abspath, self.config, allow_remote=False)

    def _record(
        self, page: str, o: Outcome, decision: str, alt: str | None, backend: str | None = None, model: str | None = None
    ) -> None:
        if self.ledger is not None and o.image_key:
            self.ledger.record(page, o.finding.image.src or "", o.image_key, decision, alt, backend=backend, model=model)

    # -- outputs ------------------------------------------------------------------------------
    @property
    def changed(self) -> list[FilePlan]:
        return [fp for fp in self.files if fp.changed]

    def diff_bytes(self) -> bytes:
        from altbot.diff import unified_diff

        return b"".join(unified_diff(fp.source.path, fp.source.raw, fp.new_bytes) for fp in self.changed)

    def diff(self) -> str:
        """Exactly the diff ``altbot fix`` prints (bytes that are not UTF-8 kept as surrogates)."""
        return self.diff_bytes().decode("utf-8", "surrogateescape")

    def check_writable(self) -> None:
        """Raise LedgerError, saying why and what to do, when ``write()`` would refuse to write
        anything: ``fix --interactive`` and ``altbot review`` ask before a reviewer starts."""
        self._check_ledger_read()
        if self.ledger is not None:
            # the ledger is saved after the pages: one it could not be saved to refuses before them
            self.ledger.check_target()

    def _check_ledger_read(self) -> None:
        # an unreadable ledger (a merge conflict) hides its decisions, the rejected captions among
        # them: a write, a patch or a branch made without them could undo a reviewer's work
        if self.ledger_error is not None:
            raise LedgerError(
                f"nothing written: the decisions ledger {self.config.ledger} cannot be read, so its decisions "
                "(the captions it rejects among them) are unknown; fix the merge conflict or the typo in it, "
                "or delete the file to start over, then run again"
            )

    def write(self) -> WriteResult:
        """Write every changed file (atomically; a file changed since it was planned is not
        overwritten), record decorative Markdown images and the reviewer's decisions in the ledger.
        Raises LedgerError, writing nothing, when the ledger could not be read or would be saved
        outside the project (``check_writable``)."""
        from altbot.apply import ApplyError, write_if_unchanged
        from altbot.files import tree_lock

        self.check_writable()
        result = WriteResult()
        # a second write() (the review page writes as often as the reviewer asks) writes the
        # plan as it stands now over what the first one wrote, and expects exactly that on disk
        changed = self._unwritten()
        try:
            with tree_lock(str(self.config.root)):  # one altbot run writes in a tree at a time
                for fp in changed:
                    new = fp.new_bytes
                    try:
                        self._check_same_place(fp)
                        write_if_unchanged(fp.source.abspath, self._on_disk.get(fp.source.path, fp.source.raw), new)
                        result.written.append(fp.source.path)
                        self._on_disk[fp.source.path] = new
                        self._write_failed.discard(fp.source.path)
                    except ApplyError as exc:
                        result.failed[fp.source.path] = str(exc)
        except TimeoutError as exc:
            for fp in changed:
                result.failed.setdefault(fp.source.path, f"nothing written: {exc}")
        for path, why in result.failed.items():
            if FileError(path, why) not in self.errors:
                self.errors.append(FileError(path, why))
            self._write_failed.add(path)
        self._record_decorative_markdown()
        self._record_provenance(result.written)
        self.save_ledger()
        self.applied = result.ok
        return result

    @staticmethod
    def _check_same_place(fp: FilePlan) -> None:
        """A file whose path leads elsewhere than when it was read (a folder on it, or the file,
        replaced by a symlink since) is not written: the write could land outside the project."""
        from altbot.apply import ApplyError

        if fp.real is not None:
            now = os.path.realpath(fp.source.abspath)
            if now != fp.real:
                raise ApplyError(
                    f"not written: its path now leads to {now}, not to {fp.real} as when it was read "
                    "(a folder or the file was replaced since); run altbot fix again"
                )

    def _unwritten(self) -> list[FilePlan]:
        return [fp for fp in self.files if fp.new_bytes != self._on_disk.get(fp.source.path, fp.source.raw)]

    def unwritten_paths(self) -> list[str]:
        """Files whose planned bytes are not on disk yet as far as this plan knows: before any
        write, every changed file; after one, those that decisions since (or a failure) left behind."""
        return [fp.source.path for fp in self._unwritten()]

    def _record_decorative_markdown(self) -> None:
        # Markdown has no alt="": a decorative verdict is recorded in the ledger instead
        if self.ledger is None:
            return
        for fp in self.files:
            if fp.source.path in self._write_failed:
                continue
            page = self.config.page_key(fp.source.abspath)
            for o in fp.outcomes:
                img = o.finding.image
                if o.status is Status.DECORATIVE and o.edit is None and o.image_key and _resolved(o) and img.syntax not in stage.DECORATIVE_SYNTAX:
                    if self.ledger.lookup(page, img.src or "", o.image_key) is None:
                        self.ledger.record(page, img.src or "", o.image_key, "decorative")

    def _record_provenance(self, written: list[str]) -> None:
        """Every alt altbot wrote without a reviewer, with its backend, model and date ("written"),
        so that a team can find machine-written alt text and review it later (``ledger list --machine``)."""
        if self.ledger is None:
            return
        done = set(written)
        for fp in self.files:
            if fp.source.path not in done:
                continue
            page = self.config.page_key(fp.source.abspath)
            for o in fp.outcomes:
                if not o.written or not o.image_key or o.suggestion is None:
                    continue
                img = o.finding.image
                if self.ledger.lookup(page, img.src or "", o.image_key) is not None:
                    continue  # a reviewer's decision (or an earlier record) already says where it came from
                backend, model = _origin(o)
                self.ledger.record(page, img.src or "", o.image_key, "written", o.suggestion.alt, backend=backend, model=model)

    def save_ledger(self) -> None:
        """Save the reviewer's decisions (a no-op when there are none)."""
        from altbot.ledger import LedgerError

        if self.ledger is not None and self.ledger.dirty:
            try:
                self.ledger.save()
            except LedgerError as exc:
                self.errors.append(FileError(self.config.ledger, str(exc)))

    def patch(self, path: str) -> int:
        """Write a patch that ``git apply`` accepts (atomically); the number of files in it.
        Raises LedgerError, writing nothing, when the ledger could not be read."""
        from altbot.apply import write_atomic

        self._check_ledger_read()
        write_atomic(path, self.diff_bytes())
        return len(self.changed)

    def to_branch(self, name: str, message: str | None = None) -> str | None:
        """Commit the fixes on a new branch (the working tree is untouched); its commit id, or None when nothing changes.
        Raises LedgerError, committing nothing, when the ledger could not be read."""
        from altbot.apply import commit_to_branch

        self._check_ledger_read()
        changed = self.changed
        if not changed:
            return None
        return commit_to_branch(
            [(fp.source.abspath, fp.source.raw, fp.new_bytes) for fp in changed], name, message or self.commit_message()
        )

    def commit_message(self) -> str:
        fixed = sum(1 for fp in self.files for o in fp.outcomes if o.written and o.status is Status.FIXED)
        deco = sum(1 for fp in self.files for o in fp.outcomes if o.written and o.status is Status.DECORATIVE)
        files = len(self.changed)
        return (
            f"Add alt text to {fixed} image{'s' * (fixed != 1)}"
            + (f", mark {deco} decorative" if deco else "")
            + f" in {files} file{'s' * (files != 1)}\n\nWritten by altbot fix; captions need human review."
        )

    # -- counts, summary, exit code -------------------------------------------------------------
    def findings_left(self) -> int:
        """Findings at or above --fail-on that --write would leave open."""
        rank = self.config.fail_on.rank
        n = 0
        for fp in self.files:
            failed = fp.source.path in self._write_failed
            for o in fp.outcomes:
                if o.finding.severity.rank < rank:
                    continue
                if failed or not _resolved(o):
                    n += 1
        return n

    def exit_code(self, applied: bool | None = None) -> int:
        """fix's exit code: 2 when the ledger could not be read (its decisions were not applied);
        1 when findings remain (or, unapplied, when changes are proposed), else 2 on errors, else 0."""
        from altbot.exitcodes import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK

        if self.ledger_error is not None:
            return EXIT_ERROR
        applied = self.applied if applied is None else applied
        remaining = self.findings_left() + (0 if applied else sum(len(fp.edits) for fp in self.changed))
        if remaining:
            return EXIT_FINDINGS
        return EXIT_ERROR if self.errors else EXIT_OK

    def skip_groups(self) -> list[tuple[str, int]]:
        """Skip reasons grouped by what they share; a reason no other skip shares is kept whole."""
        members: dict[str, list[str]] = {}
        for fp in self.files:
            for o in fp.outcomes:
                if o.status is Status.SKIPPED:
                    reason = o.reason or "no reason given"
                    members.setdefault(reason_group(reason), []).append(reason)
        out = []
        for group, reasons in members.items():
            distinct = set(reasons)
            out.append((reasons[0] if len(distinct) == 1 else group, len(reasons)))
        return sorted(out, key=lambda rn: -rn[1])

    def summary(self) -> str:
        counts: Counter = Counter()
        for fp in self.files:
            for o in fp.outcomes:
                counts[o.status] += 1
        review = sum(
            1 for fp in self.files for o in fp.outcomes
            if o.status is Status.FIXED and o.suggestion is not None and o.suggestion.applicability is Applicability.REVIEW
        )
        shown = sum(
            1 for fp in self.files for o in fp.outcomes
            if o.status is not Status.SKIPPED and o.suggestion is not None and not o.suggestion.applicability.written
        )
        rows = [
            ("files scanned", len(self.files)),
            ("files changed", len(self.changed)),
            ("images captioned", counts[Status.FIXED]),
            ("  of which need review", review),
            ("  shown, not written", shown),
            ("decorative", counts[Status.DECORATIVE]),
            ("skipped", counts[Status.SKIPPED]),
            ("errors", len(self.errors)),
        ]
        out = ["", "altbot fix summary"] + [f"  {k:<24}{v:>6}" for k, v in rows]
        for reason, n in self.skip_groups():
            out.append(f"    skipped ({n}): {visible(reason)}")
        if counts[Status.SKIPPED] > 1 and any(n > 1 for _, n in self.skip_groups()):
            out.append("  every reason, image by image: --explain, or --format json")
        if shown:
            out.append(f"  {shown} proposal{'s' * (shown != 1)} need a human to accept them: altbot fix --interactive, or altbot review")
        return "\n".join(out)

    def explain(self) -> str:
        """Every outcome: what was decided and why (``fix --explain``)."""
        blocks = []
        for p in self.proposals:
            head = f"{visible_path(p.path)}:{p.line}:{p.column} {p.rule}: {p.status.value}"
            lines = []
            if p.applicability is not None:
                if p.decorative:
                    lines.append('  alt: "" (decorative)')
                elif p.alt is not None:
                    lines.append(f"  alt: {p.alt!r}")
                fp, _, o = self._outcome(p.id)
                s = o.suggestion
                score = "" if s is None or s.score is None else f" (score {s.score:.2f})"
                verdict = p.verdict.value if p.verdict else "not judged"
                lines.append(f"  applicability: {p.applicability.value}; verdict: {verdict}{score}")
                c = s.caption if s is not None else None
                if c is not None:
                    conf = "unknown" if c.confidence is None else f"{c.confidence:.2f}"
                    lines.append(f"  backend: {c.backend}; model: {c.model or 'none'}; confidence: {conf}; lang: {c.lang or 'unknown'}")
                    if c.ocr_text:
                        lines.append(f"  text in image: {c.ocr_text!r}")
                lines.extend(f"  · {r}" for r in p.reasons)
            if p.reason:
                lines.append(f"  reason: {p.reason}")
            if p.context:
                lines.append("  context: " + "; ".join(f"{k}: {v}" for k, v in p.context))
            fp, _, o = self._outcome(p.id)
            img = o.finding.image
            lines.append(f"  page language: {img.lang or 'unknown'} ({img.lang_source or 'no source'})")
            lines.extend(f"  language note: {note}" for note in img.lang_notes)
            lines.extend(self._site_lines(fp, img))
            # a page's bytes (src, alt, a file name) must not write terminal escapes into the log
            blocks.append("\n".join([head] + [visible(line) for line in lines]))
        return "\n".join(blocks)

    def _site_lines(self, fp: FilePlan, img) -> list[str]:
        """Where the image lookup's facts came from: the site model, for --explain."""
        from altbot.images import resolved_src, site_paths
        from altbot.srcs import is_template

        out = []
        if img.src_resolved:
            out.append(f"  src: {img.src} → {img.src_resolved} ({img.src_source})")
        elif img.src and is_template(img.src):
            static = resolved_src(img.src, fp.source.abspath, self.config)
            out.append(f"  src: {img.src} → {static} (resolved as the generator does)" if static else f"  src: {img.src} (not static)")
        model = self.config.site
        site = model.site_for(fp.source.abspath) if model is not None else None
        if site is not None:
            root, statics, prefixes = site_paths(fp.source.abspath, self.config)
            rel = lambda p: os.path.relpath(p, self.config.root)  # noqa: E731
            facts = [f"{site.name} ({site.config_file or rel(site.root)})", f"site root {rel(root)}"]
            facts.append("static dirs " + ", ".join(rel(d) for d in statics))
            if prefixes:
                why = site.base_path_source if site.base_path in prefixes and "url-prefixes" not in self.config.explicit else "config url-prefixes"
                facts.append(f"base path {', '.join(prefixes)} ({why})")
            out.append("  site: " + "; ".join(facts))
            out.extend(f"  site note: {note}" for note in model.notes_for(fp.source.abspath))
        return out

    def as_json(self) -> dict[str, Any]:
        counts: Counter = Counter(o.status.value for fp in self.files for o in fp.outcomes)
        return {
            "version": 1,
            "proposals": [p.as_dict() for p in self.proposals],
            "summary": {
                "files": len(self.files),
                "changed": len(self.changed),
                "fixed": counts.get("fixed", 0),
                "decorative": counts.get("decorative", 0),
                "skipped": counts.get("skipped", 0),
                "errors": len(self.errors),
                "skip_reasons": [{"reason": r, "count": n} for r, n in self.skip_groups()],
            },
            "errors": [{"path": e.path, "line": e.line, "column": e.column, "message": e.message} for e in self.errors],
        }
