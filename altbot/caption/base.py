"""The one small interface `fix` uses to get alt text, and the backend registry.

A backend is a class whose constructor loads whatever it needs once (a model,
a classifier) and whose ``caption`` is then called cheaply, in batches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from altbot.images import ImageData
from altbot.model import DEFAULT_MAX_LENGTH
from altbot.outcome import Caption


@dataclass(frozen=True)
class CaptionRequest:
    image: ImageData
    lang: str | None = None  # BCP 47 tag the alt text must be written in; None = unknown
    max_length: int = DEFAULT_MAX_LENGTH
    # Context a captioner may use (page title, link text/href when the image is a link ...).
    context: tuple[tuple[str, str], ...] = field(default=())


@runtime_checkable
class Captioner(Protocol):
    name: str  # backend name, e.g. "filename", "offline", "transformers"
    model: str | None  # model id or None

    def caption(self, requests: Sequence[CaptionRequest]) -> list[Caption]:
        """One Caption per request, in order. Never raises for one bad image: that
        image gets ``Caption(text=None, reason=...)``.

        A backend may also have ``iter_captions(requests)``: the same captions, yielded in
        order as each is ready (after each model batch), so that wrappers such as the cache
        keep what was answered before an interruption. :func:`iter_captions` uses it."""
        ...


# What a caption can depend on besides the pixels. A backend says which it reads in ``uses``;
# one that does not say is taken to read everything (never a wrong reuse, only fewer).
INPUTS = frozenset({"lang", "name", "context"})


def uses(captioner: Captioner) -> frozenset[str]:
    """The request inputs this captioner's answer depends on (beyond the pixels)."""
    got = getattr(captioner, "uses", None)
    return INPUTS if got is None else frozenset(got) & INPUTS


def request_key(captioner: Captioner, request: CaptionRequest) -> tuple:
    """Everything this captioner's caption of ``request`` depends on: the key of dedup and cache.

    Two requests with the same key get the same caption; anything the caption depends on
    (the file name for a name-based captioner, the page context for a context-aware one,
    the language for one that writes in it) is part of it.
    """
    u = uses(captioner)
    return (
        request.image.key,
        (request.lang or "").lower() if "lang" in u else "",
        request.image.name if "name" in u else "",
        request.context if "context" in u else (),
        request.max_length,
    )


def iter_captions(captioner: Captioner, requests: Sequence[CaptionRequest]) -> Iterator[Caption]:
    """``captioner``'s captions for ``requests``, in order, each as soon as it is ready: through its
    ``iter_captions`` when it has one, else whatever ``caption`` returns (a list, or a generator)."""
    stream = getattr(captioner, "iter_captions", None)
    return iter(stream(requests) if callable(stream) else captioner.caption(requests))


class CaptionerError(Exception):
    """A backend cannot be used (unknown name, missing extra, model not loadable): shown as is."""


_REGISTRY: dict[str, Callable[..., Captioner]] = {}
# Backends that live in modules imported on demand (so `check` never imports them).
_LAZY: dict[str, str] = {}


def register(name: str) -> Callable[[Callable[..., Captioner]], Callable[..., Captioner]]:
    def deco(factory: Callable[..., Captioner]) -> Callable[..., Captioner]:
        _REGISTRY[name] = factory
        return factory

    return deco


def register_lazy(name: str, module: str) -> None:
    """``module`` registers backend ``name`` when imported."""
    _LAZY[name] = module


def available_backends() -> list[str]:
    return sorted(set(_REGISTRY) | set(_LAZY))


def get_captioner_class(name: str) -> Callable[..., Captioner]:
    """The factory of a backend by name, without building it; an unknown name lists the known ones."""
    if name not in _REGISTRY and name in _LAZY:
        import importlib

        try:
            importlib.import_module(_LAZY[name])
        except ImportError as exc:
            raise CaptionerError(
                f"captioner {name!r} needs packages that are not installed ({exc.name or exc}); "
                "pip install 'altbot[caption]'"
            ) from None
    factory = _REGISTRY.get(name)
    if factory is None:
        raise CaptionerError(f"unknown captioner {name!r}; choose one of: {', '.join(available_backends())}")
    return factory


def get_captioner(name: str, **options) -> Captioner:
    """Build a backend by name; an unknown name lists the known ones."""
    return get_captioner_class(name)(**options)


register_lazy("filename", "altbot.caption.filename")
register_lazy("metadata", "altbot.caption.metadata")
register_lazy("offline", "altbot.caption.offline")
register_lazy("transformers", "altbot.caption.transformers_backend")
register_lazy("server", "altbot.caption.server")
register_lazy("auto", "altbot.caption.auto")
