"""``auto``: the best backend this machine can run, and ``chain``: first useful answer wins.

auto = author metadata, then the configured transformers model when it loads;
otherwise the offline tier (metadata + OCR + classifier); otherwise (a base
install without the caption extras) metadata, then the humanized file name.
Each fallback says once, on stderr, how to get the better one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence

from altbot.caption.base import CaptionerError, CaptionRequest, get_captioner, iter_captions, register, uses
from altbot.model import Caption


class ChainCaptioner:
    """Asks each captioner in turn for the images the previous ones could not caption."""

    name = "chain"

    def __init__(self, captioners: Sequence) -> None:
        if not captioners:
            raise CaptionerError("a chain needs at least one captioner")
        self.captioners = list(captioners)
        self.model = "+".join(c.model or c.name for c in self.captioners)
        self.uses = frozenset().union(*(uses(c) for c in self.captioners))

    def caption(self, requests: Sequence[CaptionRequest]) -> list[Caption]:
        return list(self.iter_captions(requests))

    def iter_captions(self, requests: Sequence[CaptionRequest]) -> Iterator[Caption]:
        """Captions in order, each as soon as it is final: answered, or the last link gave up."""
        results: list[Caption | None] = [None] * len(requests)
        reasons: list[list[str]] = [[] for _ in requests]
        todo = list(range(len(requests)))
        done = 0

        def ready() -> Iterator[Caption]:
            nonlocal done
            while done < len(results) and results[done] is not None:
                yield results[done]  # type: ignore[misc]
                done += 1

        for link, captioner in enumerate(self.captioners):
            if not todo:
                break
            last = link == len(self.captioners) - 1
            still = []
            answered = 0
            for i, c in zip(todo, iter_captions(captioner, [requests[i] for i in todo])):
                answered += 1
                if c.text or c.decorative:
                    results[i] = c
                else:
                    reasons[i].append(f"{c.backend}: {c.reason or 'no caption'}")
                    if last:
                        results[i] = Caption(None, None, "chain", self.model, reason="; ".join(reasons[i]))
                    else:
                        still.append(i)
                yield from ready()
            for i in todo[answered:]:  # a captioner that returned too few answers
                reasons[i].append(f"{captioner.name}: no answer")
                still.append(i)
            todo = sorted(still)
        for i in todo:
            results[i] = Caption(None, None, "chain", self.model, reason="; ".join(reasons[i]))
        yield from ready()


def _stderr(msg: str) -> None:
    print(f"altbot: {msg}", file=sys.stderr)


@register("auto")
def make_auto(model: str | None = None, warn: Callable[[str], None] = _stderr, **options) -> ChainCaptioner:
    metadata = get_captioner("metadata")
    try:
        kwargs = dict(options)
        if model:
            kwargs["model"] = model
        return ChainCaptioner([metadata, get_captioner("transformers", **kwargs)])
    except CaptionerError as exc:
        first = str(exc)
    try:
        offline = get_captioner("offline")
    except CaptionerError as exc:
        warn(
            f"captioning model unavailable ({first}); and the offline tier is not installed ({exc}). "
            "Using image metadata and file names only: pip install 'altbot[caption]' for real captions"
        )
        return ChainCaptioner([metadata, get_captioner("filename")])
    warn(f"captioning model unavailable ({first}); using the offline tier (metadata, OCR, object labels) instead")
    return ChainCaptioner([offline])
