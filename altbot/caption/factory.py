"""Options → the Captioner that fix, review and caption use (caption stage).

One place decides the backend, its model, local-only loading, the translation
step into the page's language and the cache in front of it all.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from altbot.caption.base import Captioner, CaptionerError, get_captioner, get_captioner_class
from altbot.config import Config

MODEL_BACKENDS = ("auto", "transformers", "server")
LAZY_BACKENDS = ("auto", "transformers", "offline")  # the ones that load models


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
    server_url: str | None = None,
    allow_remote: bool = False,
    warn: Callable[[str], None] = _stderr,
) -> Captioner:
    """The captioner the options ask for; CaptionerError says why it cannot be had.

    ``server_url`` (``--server-url``) picks the server captioner when no other is named;
    ``allow_remote`` (``--allow-remote``) lets it name another machine."""
    name = name or ("server" if server_url else config.captioner)
    if server_url and name != "server":
        raise CaptionerError(f"--server-url applies to the server captioner, not {name!r}: add --captioner server")
    options: dict = {}
    model = model or (config.server.model if name == "server" else None) or config.model
    if model:
        if name not in MODEL_BACKENDS:
            raise CaptionerError(f"--model applies to auto, transformers and server captioners, not {name!r}")
        options["model"] = model
    local_only = not (allow_download or config.allow_download)
    if name in ("auto", "transformers"):
        options["local_files_only"] = local_only  # local only: nothing is downloaded unless asked
    if name == "server":
        options.update(server_options(config, server_url, allow_remote))
    if name in LAZY_BACKENDS:
        get_captioner_class(name)  # an unknown or uninstalled backend is an error now, not at the first image
        # a model loads when the first image needs it: a site with nothing to caption loads none
        captioner: Captioner = LazyCaptioner(name, options)
    else:
        captioner = get_captioner(name, **options)
    cache = None if no_cache or name == "filename" else _open_cache(config, cache_dir, warn)
    if name in ("auto", "transformers", "offline"):
        # English-only captioners are followed by a local translation model into the page's language;
        # the cache sits under the translation too, so a new page language reuses the image's caption
        from altbot.caption.cache import CachedCaptioner
        from altbot.caption.translate import TranslatingCaptioner

        inner = CachedCaptioner(captioner, cache) if cache is not None else captioner
        captioner = TranslatingCaptioner(inner, models=dict(config.translation), local_files_only=local_only)
    if cache is None:
        return captioner
    from altbot.caption.cache import CachedCaptioner

    return CachedCaptioner(captioner, cache)


def _open_cache(config: Config, cache_dir: str | None, warn: Callable[[str], None]):
    import warnings

    from altbot.caption.cache import CaptionCache

    directory = cache_dir or config.cache_dir
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # reported below, once, in our own words
        cache = CaptionCache(cache_dir=directory) if directory else CaptionCache()
    if getattr(cache, "problem", None):
        warn(f"altbot: warning: caption cache unavailable ({cache.problem}); captions will not be reused")
    return cache


class CaptionerUnavailable(CaptionerError):
    """The backend could not be built when its first image came: the run cannot caption at all."""


class LazyCaptioner:
    """A backend built on its first ``caption`` call, so that nothing loads a model for a site
    with nothing to caption. Its name and what it reads are known before it is built."""

    def __init__(self, name: str, options: dict) -> None:
        self.name = name
        self._options = options
        self._real: Captioner | None = None
        self.model = options.get("model")

    @property
    def uses(self):
        # asked only when there is something to caption: the backend is built then
        return getattr(self.real(), "uses", None)

    def real(self) -> Captioner:
        if self._real is None:
            try:
                self._real = get_captioner(self.name, **self._options)
            except CaptionerError as exc:
                raise CaptionerUnavailable(str(exc)) from None
            self.model = self._real.model
            self.name = self._real.name
        return self._real

    def caption(self, requests):
        return self.real().caption(requests)

    def iter_captions(self, requests):
        from altbot.caption.base import iter_captions

        return iter_captions(self.real(), requests)


def server_options(config: Config, server_url: str | None, allow_remote: bool) -> dict:
    """The server captioner's options from ``[tool.altbot.server]`` and the command line.

    A repository's config may only name a server on this machine: images (and the key)
    go to another one only when the person running altbot says so, with ``--server-url``
    and ``--allow-remote``. The key is read from the environment variable the config names."""
    from altbot.caption.server import is_loopback_host

    settings = config.server
    where = f"{config.source or 'config'}: [tool.altbot.server]"
    options: dict = {"allow_remote": allow_remote}
    if server_url:
        options["url"] = server_url
    elif settings.url:
        from altbot.srcs import split_url

        parsed = split_url(settings.url)  # checked when the config was read
        host = parsed.hostname if parsed is not None else None
        if not is_loopback_host(host):
            raise CaptionerError(
                f"{where}: url = {settings.url!r} is not on this machine; a repository's config may only name a "
                f"server on this machine (127.0.0.1, ::1, localhost). To send images to {host!r}, say so on the "
                f"command line: --server-url {settings.url} --allow-remote"
            )
        options["url"] = settings.url
    if settings.timeout is not None:
        options["timeout"] = settings.timeout
    if settings.concurrency is not None:
        options["concurrency"] = settings.concurrency
    if settings.api_key_env:
        key = os.environ.get(settings.api_key_env)
        if not key:
            raise CaptionerError(
                f"{where}: api-key-env names {settings.api_key_env}, which is not set: export "
                f"{settings.api_key_env}=<the server's key>, or remove api-key-env for a server without a key"
            )
        options["api_key"] = key
    return options
