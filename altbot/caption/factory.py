"""Options → the Captioner that fix, review and caption use (caption stage).

One place decides the backend, its model, local-only loading, the translation
step into the page's language and the cache in front of it all.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from altbot.caption.base import Captioner, CaptionerError, get_captioner
from altbot.config import Config

MODEL_BACKENDS = ("auto", "transformers", "server")


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr)


def build_captioner(
    config: Config,
    *,
    name: str | None = None,
    model: str | None = None,
    allow_download: bool = False,
    cache_dir: str | None = None,
    no_cache: bool = False,
    warn: Callable[[str], None] = _stderr,
) -> Captioner:
    """The captioner the options ask for; CaptionerError says why it cannot be had."""
    name = name or config.captioner
    options: dict = {}
    model = model or config.model
    if model:
        if name not in MODEL_BACKENDS:
            raise CaptionerError(f"--model applies to auto, transformers and server captioners, not {name!r}")
        options["model"] = model
    local_only = not (allow_download or config.allow_download)
    if name in ("auto", "transformers"):
        options["local_files_only"] = local_only  # local only: nothing is downloaded unless asked
    captioner = get_captioner(name, **options)
    if name in ("auto", "transformers", "offline"):
        # English-only captioners are followed by a local translation model into the page's language
        from altbot.caption.translate import TranslatingCaptioner

        captioner = TranslatingCaptioner(captioner, models=dict(config.translation), local_files_only=local_only)
    if no_cache or name == "filename":  # a file name is cheaper to humanize than to look up
        return captioner
    import warnings

    from altbot.caption.cache import CachedCaptioner, CaptionCache

    directory = cache_dir or config.cache_dir
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # reported below, once, in our own words
        cache = CaptionCache(cache_dir=directory) if directory else CaptionCache()
    if getattr(cache, "problem", None):
        warn(f"altbot: warning: caption cache unavailable ({cache.problem}); captions will not be reused")
    return CachedCaptioner(captioner, cache)
