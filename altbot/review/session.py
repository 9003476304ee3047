"""One review: a FixPlan, what the reviewer decided on it, and what is written yet.

HTTP-free, so the page's semantics are tested without a browser. Every decision
goes through ``FixPlan.decide`` / ``FixPlan.undo`` (the path ``fix --interactive``
takes), and every write through ``FixPlan.write`` (the path ``fix --write``
takes). The one rule of its own: "Write accepted" writes what the reviewer
decided, never a proposal nobody has looked at, as ``--interactive`` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from altbot.ledger import LedgerError
from altbot.model import Status
from altbot.plan import ACTIONS, DecisionError, Excerpt, FixPlan, Proposal, WriteResult

PAGE_SIZE = 50
MAX_TEXT = 2000  # characters a reviewer may submit as alt text (far beyond any sane alt)

# filter key -> the label the page shows
FILTERS = {
    "review": "Needs review",
    "decided": "Decided",
    "decorative": "Decorative",
    "skipped": "Skipped",
    "all": "All",
}
DEFAULT_FILTER = "review"
NOT_REVIEWED = "not reviewed in altbot review"


@dataclass(frozen=True)
class Card:
    """What one ``<article>`` shows."""

    proposal: Proposal
    decision: str | None
    state: str  # pending | accepted | decorative | rejected | skipped | open
    state_text: str
    text: str  # the text box's value
    excerpt: Excerpt
    max_length: int
    can_undo: bool

    @property
    def id(self) -> int:
        return self.proposal.id

    @property
    def heading(self) -> str:
        return f"{self.proposal.path}:{self.proposal.line}"

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "decision": self.decision,
            "state": self.state,
            "state_text": self.state_text,
            "text": self.text,
            "can_undo": self.can_undo,
            "applicability": self.proposal.applicability.value if self.proposal.applicability else None,
            "machine_written": self.proposal.machine_written,
        }


@dataclass(frozen=True)
class Page:
    filter: str
    number: int  # 1-based
    pages: int
    total: int  # proposals in this filter
    cards: list[Card]
    counts: dict[str, int]


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)  # the ledger, say
    message: str = ""

    @property
    def ok(self) -> bool:
        return not self.failed and not self.errors

    def as_json(self) -> dict:
        return {
            "ok": self.ok,
            "written": self.written,
            "failed": [{"path": p, "reason": r} for p, r in self.failed.items()],
            "errors": self.errors,
            "message": self.message,
        }


class ReviewError(ValueError):
    """A request the review cannot carry out; the message is shown on the page."""


def clean_text(text: str | None) -> str | None:
    """The reviewer's alt text on one line: runs of whitespace (line breaks too) become one space."""
    if text is None:
        return None
    if len(text) > MAX_TEXT:
        raise ReviewError(f"alt text longer than {MAX_TEXT} characters; an alt that long is not an alt")
    if any(ord(c) < 32 and c not in "\t\n\r" for c in text) or "\x7f" in text:
        raise ReviewError("alt text cannot hold control characters")
    return " ".join(text.split())


class ReviewSession:
    def __init__(self, plan: FixPlan, page_size: int = PAGE_SIZE) -> None:
        self.plan = plan
        self.page_size = page_size
        self.unwritten: set[int] = set()  # proposals whose decision (or undo) is not written yet
        self.written: set[int] = set()  # proposals a write carried
        self.failed: dict[str, str] = {}  # display path -> why the last write did not write it
        self.writes = 0
        self.last_write_ok = False
        self.finished = False
        self.exit_code: int | None = None
        self.flash: list[tuple[str, str]] = []  # (kind, message) for the next page render (no-JS forms)

    # -- what is shown ---------------------------------------------------------------------
    @property
    def max_length(self) -> int:
        return self.plan.options.max_length

    def _pending(self, p: Proposal) -> bool:
        return p.reviewable and self.plan.decision(p.id) is None

    def in_filter(self, p: Proposal, key: str) -> bool:
        if key == "review":
            return self._pending(p)
        if key == "decided":
            return self.plan.decision(p.id) is not None
        if key == "decorative":
            return p.decorative and p.status is not Status.SKIPPED
        if key == "skipped":
            return p.status is Status.SKIPPED
        return True

    def counts(self, proposals: list[Proposal] | None = None) -> dict[str, int]:
        proposals = self.plan.proposals if proposals is None else proposals
        return {key: sum(1 for p in proposals if self.in_filter(p, key)) for key in FILTERS}

    def page(self, key: str = DEFAULT_FILTER, number: int = 1) -> Page:
        if key not in FILTERS:
            raise ReviewError(f"unknown filter {key!r}; one of {', '.join(FILTERS)}")
        proposals = self.plan.proposals
        chosen = [p for p in proposals if self.in_filter(p, key)]
        pages = max(1, -(-len(chosen) // self.page_size))
        number = min(max(1, number), pages)
        lo = (number - 1) * self.page_size
        cards = [self.card(p) for p in chosen[lo : lo + self.page_size]]
        return Page(key, number, pages, len(chosen), cards, self.counts(proposals))

    def card(self, p: Proposal | int) -> Card:
        if isinstance(p, int):
            p = self.plan.proposal(p)
        decision = self.plan.decision(p.id)
        excerpt = box_excerpt(self.plan, p)
        state, text = self._state(p, decision, excerpt.element)
        box = "" if p.decorative and p.status is not Status.SKIPPED else (p.alt or "")
        return Card(p, decision, state, text, box, excerpt, self.max_length, decision is not None)

    def _state(self, p: Proposal, decision: str | None, markup: str) -> tuple[str, str]:
        if decision is None:
            if not p.reviewable:
                return "open", f"altbot cannot edit this image: {p.reason or 'fix does not handle it'}."
            if p.decorative and p.status is not Status.SKIPPED:
                text = 'Needs review: proposed as decorative (alt=""). Nothing is written until you decide.'
            elif p.alt:
                text = "Needs review. Nothing is written until you accept it."
            else:
                text = "No proposal: write the alt text and accept it, or mark the image decorative."
            if p.id in self.unwritten and p.id in self.written:
                text += " Your undo is not written yet: use Write accepted."
            return "pending", text
        if decision == "accept":
            state, text = "accepted", f"Accepted: \u201c{p.alt}\u201d."
        elif decision == "decorative":
            # HTML and JSX say it in the markup; Markdown, front matter and shortcodes cannot
            where = ' (alt="")' if markup.startswith("<") else " (recorded in the ledger: this syntax has no alt=\"\")"
            state, text = "decorative", f"Marked decorative{where}."
        elif decision == "reject":
            state, text = "rejected", "Rejected: not proposed again until the image changes."
        else:
            state, text = "skipped", "Skipped: left as it is for now."
        if p.path in self.failed and p.id not in self.written:
            text += f" Not written: {self.failed[p.path]}"
        elif p.id in self.unwritten:
            text += " Not written yet: use Write accepted."
        elif decision == "accept" or (decision == "decorative" and markup.startswith("<")):
            text += " Written."
        elif decision in ("decorative", "reject"):
            text += " Recorded in the ledger."
        return state, text

    # -- the reviewer acts -------------------------------------------------------------------
    def decide(self, pid: int, action: str, text: str | None = None) -> Card:
        """Apply one decision; an accept whose text differs from the proposal accepts the text."""
        if action not in ACTIONS:
            raise ReviewError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
        p = self.plan.proposal(pid)
        if action == "accept":
            text = clean_text(text)
            proposed = "" if p.decorative and p.status is not Status.SKIPPED else (p.alt or "")
            if text is not None and text != proposed.strip():
                self.plan.decide(pid, "accept", text)
            else:
                self.plan.decide(pid, "accept")
        else:
            self.plan.decide(pid, action)
        self._touched(pid)
        return self.card(pid)

    def undo(self, pid: int) -> Card:
        self.plan.undo(pid)
        self._touched(pid)
        return self.card(pid)

    def _touched(self, pid: int) -> None:
        self.unwritten.add(pid)

    def write(self) -> WriteReport:
        """Write what the reviewer decided (and record it in the ledger): nothing undecided."""
        plan = self.plan
        undecided = [p.id for p in plan.proposals if self._pending(p) and p.status is not Status.SKIPPED]
        errors_before = len(plan.errors)
        for pid in undecided:  # for the length of this write only: the reviewer has not looked yet
            plan.decide(pid, "skip", reason=NOT_REVIEWED)
        try:
            result: WriteResult = plan.write()
        except LedgerError as exc:  # the ledger cannot be read (or saved): nothing was written
            self.last_write_ok = False
            return WriteReport(errors=[str(exc)], message="Nothing written.")
        finally:
            for pid in reversed(undecided):
                plan.undo(pid)
        self.writes += 1
        report = WriteReport(list(result.written), dict(result.failed))
        written_paths = set(result.written)
        for pid in list(self.unwritten):
            path = plan.proposal(pid).path
            if path not in result.failed:
                self.unwritten.discard(pid)
                self.written.add(pid)
        self.failed = {p: f"{why}. Run altbot review again to review it as it is now." for p, why in result.failed.items()}
        new_errors = [e for e in plan.errors[errors_before:] if e.path not in result.failed]
        report.errors = [f"{e.path}: {e.message}" for e in new_errors]
        self.last_write_ok = report.ok
        parts = []
        if written_paths:
            n = len(written_paths)
            parts.append(f"Wrote {n} file{'s' * (n != 1)}: {', '.join(sorted(written_paths))}.")
        elif not result.failed:
            parts.append("Nothing new to write to the pages.")
        if not report.errors:
            parts.append("Decisions are saved in the ledger.")
        if result.failed:
            n = len(result.failed)
            parts.append(f"{n} file{'s' * (n != 1)} not written.")
        report.message = " ".join(parts)
        return report

    def finish(self) -> int:
        """End the review: what is undecided stays open (as a quit in ``--interactive``); fix's exit code."""
        if self.finished and self.exit_code is not None:
            return self.exit_code
        plan = self.plan
        for p in plan.proposals:
            if self._pending(p) and p.status is not Status.SKIPPED:
                plan.decide(p.id, "skip", reason=NOT_REVIEWED)
        applied = self.writes > 0 and self.last_write_ok and not plan.unwritten_paths()
        self.finished = True
        self.exit_code = plan.exit_code(applied)
        return self.exit_code

    @property
    def unwritten_count(self) -> int:
        return len(self.unwritten)


def box_excerpt(plan: FixPlan, p: Proposal) -> Excerpt:
    try:
        return plan.excerpt(p.id)
    except DecisionError:  # pragma: no cover - ids come from the plan
        return Excerpt(p.line, "", "", "")
