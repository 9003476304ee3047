"""``altbot fix --interactive``: a reviewer accepts, edits, marks decorative, rejects
or skips each proposal in the terminal (review stage).

Every answer goes through ``FixPlan.decide``, the same path the browser review
page uses, so the ledger and the written bytes cannot differ between them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from altbot.model import Status
from altbot.plan import DecisionError, FixPlan, Proposal
from altbot.report.text import visible, visible_path

PROMPT = "[a]ccept  [e]dit  [d]ecorative  [r]eject  [s]kip  [q]uit > "
PROMPT_NO_PROPOSAL = "[e]dit (write the alt)  [d]ecorative  [s]kip  [q]uit > "


def _snippet(plan: FixPlan, p: Proposal, width: int = 100) -> str:
    text = plan.excerpt(p.id, lines=0).element.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def _describe(plan: FixPlan, p: Proposal) -> list[str]:
    lines = [f"\n{visible_path(p.path)}:{p.line}:{p.column} {p.rule}", f"  {visible(_snippet(plan, p))}"]
    verdict = p.verdict.value if p.verdict else "not judged"
    how = f"; {p.applicability.value}" if p.applicability else ""
    source = f"; {p.backend}" + (f" ({p.model})" if p.model else "") if p.backend else ""
    lines.append(f"  verdict: {verdict}{how}{source}")
    lines.extend(f"  · {why}" for why in p.reasons)
    if p.reason:
        lines.append(f"  left open: {p.reason}")
    if p.current_alt:
        lines.append(f"  current alt: {p.current_alt!r}")
    if p.decorative and p.status is not Status.SKIPPED:
        lines.append('  proposed: decorative (alt="")')
    elif p.alt:
        lines.append(f"  proposed alt: {p.alt!r}")
    else:
        lines.append("  no proposal: [e]dit to write the alt text")
    # what the page holds (a file name, the element, a src in a reason) writes no terminal escapes
    return lines[:2] + [visible(line) for line in lines[2:]]


def review(plan: FixPlan, ask: Callable[..., str], out: TextIO) -> None:
    """Ask about each proposal a reviewer can act on; decisions go into the plan and its ledger.

    ``ask(prompt, prefill="")`` returns the answer line ("q" at the end of input).
    """
    quit_ = False
    for p in plan.proposals:
        if not p.reviewable:
            continue
        if quit_:
            if p.will_write and p.applicability is not None:
                plan.decide(p.id, "skip", reason="not reviewed (quit)")  # nothing written for it
            continue
        has_proposal = bool(p.alt) or (p.decorative and p.status is not Status.SKIPPED)
        out.write("\n".join(_describe(plan, p)) + "\n")
        while True:
            answer = ask(PROMPT if has_proposal else PROMPT_NO_PROPOSAL).strip().lower()[:1]
            try:
                if answer in ("a", "") and has_proposal:
                    plan.decide(p.id, "accept")
                elif answer == "a" or (answer == "" and not has_proposal):
                    out.write("  nothing to accept: [e]dit to write the alt text, or [s]kip\n")
                    continue
                elif answer == "e":
                    text = ask("  alt text: ", p.alt or "").strip()
                    if not text and p.alt and not has_proposal:
                        text = p.alt
                    if not text:
                        out.write("  empty: use [d]ecorative for a decorative image\n")
                        continue
                    plan.decide(p.id, "accept", text)
                elif answer == "d":
                    plan.decide(p.id, "decorative")
                elif answer == "r" and has_proposal:
                    plan.decide(p.id, "reject")
                elif answer == "s":
                    plan.decide(p.id, "skip")
                elif answer == "q":
                    quit_ = True
                    plan.decide(p.id, "skip", reason="not reviewed (quit)")
                else:
                    out.write("  please answer " + ("a, e, d, r, s or q" if has_proposal else "e, d, s or q") + "\n")
                    continue
            except DecisionError as exc:
                out.write(f"  {visible(str(exc))}\n")
                continue
            break
