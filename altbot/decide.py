"""Stage: finding + verdict + caption + language + context + ledger → Outcome.

Pure: every input is a value (a language identifier is passed in as a
function), nothing is read or written here. This is the one place that builds
decorative outcomes and the one place that says how far a suggestion may be
trusted (its applicability, which decides what each mode writes):

======================================  ==============
suggestion                              applicability
======================================  ==============
the author's IPTC alt text (metadata)   safe
a reviewer's decision (ledger, review)  safe
model, OCR, server, link-title text     review
decorative verdict of the check         review
file-name text                          display-only
text altbot's own rules would flag      display-only
an uncertain decorative verdict         display-only
replacing a human's alt, unless the     display-only
  human's describes nothing
======================================  ==============

*display-only* is shown (diff header, summary, --explain, the review page)
and never written until a human accepts it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from altbot.model import (
    Applicability,
    Finding,
    Status,
    Syntax,
    Verdict,
    context_of,
)
from altbot.outcome import Caption, Judgement, Outcome, Suggestion
from altbot.rules import suspicious_reason
from altbot.tags import no_route, primary

# Syntaxes that can say "decorative" in the markup (alt="").
DECORATIVE_SYNTAX = frozenset({Syntax.HTML, Syntax.JSX})

# Why check calls a human's alt suspicious, when that alt describes nothing at all:
# a proposal may replace it. ("repeats the image's file name" is not here: a person
# may well have chosen the same words as the file, e.g. "Dialog anatomy".)
DESCRIBES_NOTHING = frozenset(
    {"is a URL", "is a file name", "is the image's file name", "is a camera file name", "is a default screenshot name", "is a placeholder"}
)

# Backends whose text is a guess from the file name, never a look at the image.
NAME_BACKENDS = frozenset({"filename"})


def skipped(finding: Finding, reason: str, suggestion: Suggestion | None = None, key: str | None = None) -> Outcome:
    return Outcome(finding, Status.SKIPPED, reason, suggestion, key)


def decorative(
    finding: Finding,
    reasons: tuple[str, ...] | list[str],
    applicability: Applicability,
    score: float | None = None,
    key: str | None = None,
) -> Outcome:
    """The decorative outcome, for every path that reaches one (ledger, verdict, reviewer)."""
    suggestion = Suggestion(
        finding, "", decorative=True, verdict=Verdict.DECORATIVE, reasons=tuple(reasons), applicability=applicability, score=score
    )
    if finding.image.control:
        return skipped(finding, "a control (input/area) needs a name; it cannot be decorative", suggestion, key)
    # HTML/JSX get alt="" from the edit stage; Markdown cannot say decorative: the ledger entry is the record
    return Outcome(finding, Status.DECORATIVE, None, suggestion, key)


def from_ledger(finding: Finding, decision: str | None, alt: str | None, key: str) -> Outcome | None:
    """A reviewer's earlier decision for this image (as it is now), or None."""
    if decision == "rejected":
        return skipped(finding, "suggestion rejected in the ledger", key=key)
    if decision == "decorative":
        return decorative(finding, ("recorded as decorative in the ledger",), Applicability.SAFE, key=key)
    if decision == "reviewed" and alt:
        s = Suggestion(finding, alt, verdict=Verdict.INFORMATIVE, reasons=("reviewed earlier (ledger)",), applicability=Applicability.SAFE)
        return Outcome(finding, Status.FIXED, None, s, key)
    return None


def before_caption(finding: Finding, judgement: Judgement, key: str) -> Outcome | None:
    """What the markup and pixels settle without a caption, or None (caption it)."""
    img = finding.image
    if finding.rule == "empty-alt" and img.syntax in DECORATIVE_SYNTAX and not img.control:
        # HTML alt="": caption it only when the decorative check judges it informative
        if judgement.verdict is not Verdict.INFORMATIVE:
            return skipped(finding, f'judged {judgement.verdict.value} ({judgement.reasons[0]}): alt="" kept', key=key)
        return None
    if judgement.verdict is Verdict.DECORATIVE:
        return decorative(finding, judgement.reasons, Applicability.REVIEW, judgement.score, key)
    return None


def from_caption(
    finding: Finding,
    judgement: Judgement,
    caption: Caption,
    *,
    page_lang: str | None,
    fallback_lang: str | None = None,
    identify: Callable[[str], str | None] = lambda text: None,
    key: str | None = None,
) -> Outcome:
    """The outcome once the captioner answered (``caption`` is already finalized to the alt-text rules)."""
    img = finding.image
    if judgement.verdict is Verdict.DECORATIVE:
        return decorative(finding, judgement.reasons, Applicability.REVIEW, judgement.score, key)
    if caption.decorative:
        reason = f"{caption.backend} answered decorative, but the markup and pixels do not agree ({judgement.verdict.value})"
        return skipped(finding, reason + "; review it by hand", key=key)
    if not caption.text:
        return skipped(finding, caption.reason or "no usable caption", key=key)

    page, cap = primary(page_lang), primary(caption.lang)
    if page and cap is None and not caption.ocr_text:
        # metadata and file names carry no language tag: identify it from the text itself
        cap = primary(identify(caption.text))
        if cap:
            caption = replace(caption, lang=cap)
        elif page != "en" and not fallback_lang:
            # unknown language on a non-English page: it is most likely English, so never guess
            return skipped(
                finding,
                f"cannot tell which language the caption {caption.text!r} is in, and the page is in "
                f"{page_lang}; pass --fallback-lang to write it anyway",
                key=key,
            )
    if page and cap and page != cap and cap != primary(fallback_lang):
        return skipped(finding, no_route(caption.lang or cap, page_lang or page), key=key)

    link = context_of(img)
    if link is not None and link.in_link and link.only_image and (link.link_title or "").strip():
        # the image is the link: its alt names where the link goes, and the link's title says it
        caption = replace(caption, text=link.link_title.strip(), backend="link-title", model=None, lang=page_lang)

    text = caption.text or ""
    reasons = [f"captioned by {caption.backend}" + (f" ({caption.model})" if caption.model else "")]
    if link is not None and link.in_link and link.only_image:
        reasons.append(f"names the link to {link.link_href or '?'}: check that the alt says where it goes")
    if caption.low_confidence:
        reasons.append("low confidence: needs review")
    applicability, why = applicability_of(finding, judgement, caption, text)
    reasons.extend(why)
    reasons.extend(judgement.reasons)
    suggestion = Suggestion(
        finding,
        text,
        verdict=judgement.verdict,
        reasons=tuple(reasons),
        applicability=applicability,
        caption=caption,
        score=judgement.score,
    )
    return Outcome(finding, Status.FIXED, None, suggestion, key)


def applicability_of(finding: Finding, judgement: Judgement, caption: Caption, text: str) -> tuple[Applicability, list[str]]:
    """How far ``text`` (from ``caption``) may be trusted for ``finding``, and why, most serious first."""
    img = finding.image
    doubts: list[str] = []
    flagged = suspicious_reason(text, img.src)
    if flagged:
        doubts.append(f"check would flag {text!r} ({flagged}): shown, not written; accept it to vouch for it")
    if caption.backend in NAME_BACKENDS:
        doubts.append("taken from the file name, not from the image: shown, not written until a human accepts it")
    if judgement.verdict is Verdict.UNCERTAIN:
        doubts.append("might be decorative: shown, not written until a human decides")
    if finding.rule == "suspicious-alt" and img.alt is not None:
        human = img.alt.strip()
        why = suspicious_reason(human, img.src)
        if why not in DESCRIBES_NOTHING:
            doubts.append(f"a human wrote {human!r} ({why or 'not flagged'}); the proposal is shown beside it, not written")
        elif (ctx := context_of(img)) is not None and ctx.only_image:
            doubts.append(f"a human's {human!r} names the link; the proposal is shown beside it, not written")
        else:
            doubts.append(f"replaces the human-written {human!r}, which {why}")
            return (Applicability.DISPLAY_ONLY if len(doubts) > 1 else Applicability.REVIEW), doubts
    if doubts:
        return Applicability.DISPLAY_ONLY, doubts
    if caption.author_alt and caption.backend == "metadata":
        return Applicability.SAFE, ["the author's own alt text, from the file's metadata"]
    return Applicability.REVIEW, []


def accepted(outcome: Outcome, text: str | None = None) -> Outcome:
    """A reviewer accepts the proposal (or their own ``text``): safe, whatever it was."""
    s = outcome.suggestion
    if text is not None:
        new = Suggestion(
            outcome.finding, text, verdict=Verdict.INFORMATIVE, reasons=("written by the reviewer",), applicability=Applicability.SAFE,
            caption=None,
        )
        return replace(outcome, status=Status.FIXED, reason=None, suggestion=new, edit=None)
    if s is None:
        raise ValueError("nothing to accept: this finding has no proposal; give the alt text")
    reasons = ("accepted by the reviewer",) + s.reasons
    return replace(outcome, suggestion=replace(s, applicability=Applicability.SAFE, reasons=reasons))


def marked_decorative(outcome: Outcome) -> Outcome:
    d = decorative(outcome.finding, ("marked decorative by the reviewer",), Applicability.SAFE, key=outcome.image_key)
    return d


def rejected(outcome: Outcome) -> Outcome:
    return replace(outcome, status=Status.SKIPPED, reason="rejected by the reviewer", edit=None)


def left(outcome: Outcome, reason: str = "skipped by the reviewer") -> Outcome:
    return replace(outcome, status=Status.SKIPPED, reason=reason, edit=None)
