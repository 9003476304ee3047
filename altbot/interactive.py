"""``altbot fix --interactive``: a reviewer accepts, edits, marks decorative, rejects or skips each suggestion."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TextIO

from altbot.fix import DECORATIVE, FIXED, SKIPPED, FilePlan, Outcome, edit_for_alt
from altbot.ledger import Ledger
from altbot.model import Applicability, Suggestion, Syntax

PROMPT = "[a]ccept  [e]dit  [d]ecorative  [r]eject  [s]kip  [q]uit > "


def _snippet(plan: FilePlan, o: Outcome, width: int = 100) -> str:
    span = o.finding.image.element_span
    text = plan.source.text[span.start : span.end].replace("\r", "").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def review(
    plans: list[FilePlan],
    ledger: Ledger | None,
    config_page_key: Callable[[str], str],
    ask: Callable[[str], str],
    out: TextIO,
) -> None:
    """Rewrite each plan's outcomes after asking the reviewer. Decisions go to the ledger."""
    quit_ = False
    for plan in plans:
        page = config_page_key(plan.source.abspath)
        new_outcomes = []
        for o in plan.outcomes:
            if quit_ or o.status == SKIPPED or o.suggestion is None:
                if quit_ and o.edit is not None:
                    o = replace(o, status=SKIPPED, reason="not reviewed (quit)", edit=None)
                new_outcomes.append(o)
                continue
            img = o.finding.image
            proposal = '(decorative: alt="")' if o.status == DECORATIVE else repr(o.suggestion.alt)
            out.write(f"\n{img.path}:{img.line}:{img.column} {o.finding.rule}\n  {_snippet(plan, o)}\n")
            for why in o.suggestion.reasons:
                out.write(f"  · {why}\n")
            out.write(f"  proposed alt: {proposal}\n")
            while True:
                answer = ask(PROMPT).strip().lower()[:1]
                if answer in ("a", ""):
                    if ledger is not None and o.image_key and o.status == FIXED:
                        ledger.record(page, img.src or "", o.image_key, "reviewed", o.suggestion.alt)
                    new_outcomes.append(replace(o, suggestion=replace(o.suggestion, applicability=Applicability.SAFE)))
                    break
                if answer == "e":
                    text = ask("  alt text: ").strip()
                    if not text:
                        out.write("  empty: use [d]ecorative for a decorative image\n")
                        continue
                    edit = edit_for_alt(plan.source, img, text)
                    if isinstance(edit, str):
                        out.write(f"  cannot write that: {edit}\n")
                        continue
                    if ledger is not None and o.image_key:
                        ledger.record(page, img.src or "", o.image_key, "reviewed", text)
                    s = Suggestion(o.finding, text, verdict="informative", reasons=("written by the reviewer",),
                                   applicability=Applicability.SAFE)
                    new_outcomes.append(replace(o, status=FIXED, suggestion=s, edit=edit))
                    break
                if answer == "d":
                    if img.control:
                        out.write("  a control (input/area) needs a name; it cannot be decorative\n")
                        continue
                    if ledger is not None and o.image_key:
                        ledger.record(page, img.src or "", o.image_key, "decorative")
                    edit = None
                    if img.syntax in (Syntax.HTML, Syntax.JSX):
                        from altbot.edits import EditError, decorative_edit

                        try:
                            edit = decorative_edit(img, plan.source.text)
                        except EditError as exc:
                            out.write(f"  cannot write alt=\"\": {exc}\n")
                            continue
                    s = Suggestion(o.finding, "", decorative=True, verdict="decorative",
                                   reasons=("marked decorative by the reviewer",), applicability=Applicability.SAFE)
                    new_outcomes.append(replace(o, status=DECORATIVE, suggestion=s, edit=edit))
                    break
                if answer == "r":
                    if ledger is not None and o.image_key:
                        ledger.record(page, img.src or "", o.image_key, "rejected", o.suggestion.alt)
                    new_outcomes.append(replace(o, status=SKIPPED, reason="rejected by the reviewer", edit=None))
                    break
                if answer == "s":
                    new_outcomes.append(replace(o, status=SKIPPED, reason="skipped by the reviewer", edit=None))
                    break
                if answer == "q":
                    quit_ = True
                    new_outcomes.append(replace(o, status=SKIPPED, reason="not reviewed (quit)", edit=None))
                    break
                out.write("  please answer a, e, d, r, s or q\n")
        plan.outcomes = new_outcomes
        plan.findings_left = sum(1 for o in new_outcomes if o.status == SKIPPED)
