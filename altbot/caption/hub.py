"""The Hugging Face Hub's offline switches, held while a model loads without permission to download.

``local_files_only=True`` alone does not keep huggingface_hub off the network: building the
request headers runs its agent detection, which fetches a registry from huggingface.co unless
the Hub is in offline mode, and telemetry is on unless it is turned off. So whenever downloads
are not allowed, model loading runs inside :func:`offline`, which sets

* ``HF_HUB_OFFLINE`` (and ``TRANSFORMERS_OFFLINE``, its older spelling): no request at all;
* ``HF_HUB_DISABLE_TELEMETRY``: no telemetry, no agent detection in the user agent;
* ``HF_HUB_DISABLE_UPDATE_CHECK``: no version check.

huggingface_hub reads these into module constants when it is first imported (transformers asks
``huggingface_hub.is_offline_mode()``, which returns such a constant), so the environment alone
is not enough once it is imported: the constants are set too (the environment still matters to
subprocesses and to libraries that read it at call time). Both are put back as they were when
the block ends, so ``--allow-download`` later in the same process really may download.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator

#: environment variable → value while offline
OFFLINE_ENV: dict[str, str] = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_UPDATE_CHECK": "1",
}
#: huggingface_hub.constants attribute → value while offline
OFFLINE_CONSTANTS: dict[str, bool] = {
    "HF_HUB_OFFLINE": True,
    "HF_HUB_DISABLE_TELEMETRY": True,
    "HF_HUB_DISABLE_UPDATE_CHECK": True,
}

_lock = threading.RLock()
_depth = 0
_saved_env: dict[str, str | None] = {}
_saved_constants: dict[str, object] = {}
_constants = None

_MISSING = object()


def _hub_constants():
    try:
        import huggingface_hub.constants as hc  # light: no torch, no transformers
    except ImportError:
        return None
    return hc


@contextlib.contextmanager
def offline(enabled: bool = True) -> Iterator[None]:
    """Hold the Hub's offline switches for the block (nested blocks share them); ``enabled=False``
    changes nothing (downloads allowed, or the user's own settings apply)."""
    global _depth, _constants
    if not enabled:
        yield
        return
    with _lock:  # process-wide state: one holder at a time (loads are serialised anyway)
        if _depth == 0:
            # imported first, so that what is put back afterwards is what the user's environment says
            _constants = _hub_constants()
            _saved_env.clear()
            _saved_env.update({k: os.environ.get(k) for k in OFFLINE_ENV})
            _saved_constants.clear()
            os.environ.update(OFFLINE_ENV)
            if _constants is not None:
                for name, value in OFFLINE_CONSTANTS.items():
                    _saved_constants[name] = getattr(_constants, name, _MISSING)
                    setattr(_constants, name, value)
        _depth += 1
        try:
            yield
        finally:
            _depth -= 1
            if _depth == 0:
                for key, old in _saved_env.items():
                    if old is None:
                        os.environ.pop(key, None)
                    else:
                        os.environ[key] = old
                if _constants is not None:
                    for name, old in _saved_constants.items():
                        if old is _MISSING:
                            with contextlib.suppress(AttributeError):
                                delattr(_constants, name)
                        else:
                            setattr(_constants, name, old)
