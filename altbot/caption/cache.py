"""A persistent caption cache (sqlite) and a Captioner wrapper that uses it.

The cache is an optimisation, never a requirement: a corrupt, locked-out or
unwritable cache file is reported once and the run continues without it. A file
that cannot be opened is ``CaptionCache.problem`` (and a ``RuntimeWarning``), for
whoever opened the cache to report; a cache that breaks later, mid-run (disk full,
the file replaced or made read-only), says so itself, once, as an
``altbot: warning: caption cache ...`` line on stderr (``on_problem``).

Key: (content hash, backend, model, lang, prompt version, max_length), where lang
counts only for a backend that writes in the page's language and the prompt
version carries a digest of the file name and page context for a backend that
reads them (``caption.base.request_key``: every input the caption depends on). The stored
value is the backend's Caption as returned (before ``text.finalize``), as JSON of
all its fields, so that changing the clean-up rules needs no new model calls. A
stored value that is not a well-formed Caption is a miss, overwritten by the next
answer. Each answer is stored as it arrives, so an interrupted batch keeps the
captions it already had.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import sqlite3
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from altbot.caption.base import CaptionRequest, Captioner, CaptionerError, iter_captions, request_key
from altbot.caption.prompt import PROMPT_VERSION
from altbot.outcome import Caption

CACHE_FILE = "captions.sqlite3"
BUSY_TIMEOUT_S = 10.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS captions_v1 (
    hash TEXT NOT NULL,
    backend TEXT NOT NULL,
    model TEXT NOT NULL,
    lang TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    max_length INTEGER NOT NULL,
    caption TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (hash, backend, model, lang, prompt_version, max_length)
) WITHOUT ROWID
"""

# Failure reasons that say nothing about the image itself: retried next run, never cached.
TRANSIENT_MARKERS = (
    "cannot fetch",
    "cannot reach",
    "connection",
    "timed out",
    "timeout",
    "temporar",
    "unavailable",
    "rate limit",
    "http 3",  # a caption server's redirect: fixed by pointing at the right URL, not by another image
    "http 4",
    "http 5",
    "bad response",
    "out of memory",
    "interrupted",
)


@dataclass(frozen=True)
class CacheKey:
    hash: str
    backend: str
    model: str | None
    lang: str | None
    prompt_version: str
    max_length: int

    def row(self) -> tuple:
        # NULLs never compare equal in a primary key: store "" for "none"
        return (
            self.hash,
            self.backend,
            self.model or "",
            (self.lang or "").lower(),
            self.prompt_version,
            int(self.max_length),
        )


def default_cache_dir() -> str:
    """``$XDG_CACHE_HOME/altbot``, else the platform's user cache dir (platformdirs when installed)."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return os.path.join(xdg, "altbot")
    try:
        import platformdirs

        return platformdirs.user_cache_dir("altbot", appauthor=False)
    except Exception:  # noqa: BLE001 - platformdirs is optional
        pass
    home = os.path.expanduser("~")
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Caches", "altbot")
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local")
        return os.path.join(base, "altbot", "Cache")
    return os.path.join(home, ".cache", "altbot")


def default_cache_path() -> str:
    return os.path.join(default_cache_dir(), CACHE_FILE)


def caption_to_json(caption: Caption) -> str:
    return json.dumps(dataclasses.asdict(caption), ensure_ascii=False, sort_keys=True)


_OPTIONAL_TEXT = ("text", "model", "lang", "ocr_text", "reason")
_FLAGS = ("decorative", "low_confidence")


def caption_problem(obj: object) -> str | None:
    """Why a decoded cache value is not a Caption's fields (None: it is)."""
    if not isinstance(obj, dict):
        return f"a JSON object was expected, not {type(obj).__name__}"
    if not isinstance(obj.get("backend"), str):
        return "backend is not a string"
    for name in _OPTIONAL_TEXT:
        if not isinstance(obj.get(name), (str, type(None))):
            return f"{name} is neither a string nor null"
    conf = obj.get("confidence")
    if conf is not None and (
        isinstance(conf, bool) or not isinstance(conf, (int, float)) or not math.isfinite(conf) or not 0 <= conf <= 1
    ):
        return "confidence is not a number from 0 to 1"
    for name in _FLAGS:
        if name in obj and not isinstance(obj[name], bool):
            return f"{name} is not true or false"
    return None


def caption_from_json(data: str) -> Caption:
    """The Caption stored as ``data``; ValueError when it is not one (bad JSON, wrong shape or types)."""
    try:
        obj = json.loads(data)
    except RecursionError:
        raise ValueError("not a cached caption: nested too deeply") from None
    problem = caption_problem(obj)
    if problem is not None:
        raise ValueError(f"not a cached caption: {problem}")
    names = {f.name for f in dataclasses.fields(Caption)}
    return Caption(**{k: v for k, v in obj.items() if k in names})  # unknown (newer) fields are ignored


def is_transient(caption: Caption) -> bool:
    """A failure that may go away by itself (server down, fetch failed …): not cached."""
    if caption.text is not None or caption.decorative:
        return False
    reason = (caption.reason or "").casefold()
    if reason.startswith("no usable caption"):
        return False
    return any(m in reason for m in TRANSIENT_MARKERS)


class CaptionCache:
    """sqlite cache of captions; ``path`` is the file (":memory:" works), ``cache_dir`` a directory for it.

    Safe for several processes at once (WAL journal, busy timeout). Usable as a context manager.
    """

    def __init__(
        self,
        path: str | None = None,
        *,
        cache_dir: str | None = None,
        timeout: float = BUSY_TIMEOUT_S,
        on_problem: Callable[[str], None] | None = None,
    ):
        if path is None:
            path = os.path.join(cache_dir, CACHE_FILE) if cache_dir else default_cache_path()
        self.path = path
        self.timeout = timeout
        self.problem: str | None = None  # why the cache is off (shown once)
        # how a failure after opening is told (default: one "altbot: warning: caption cache ..." line)
        self.on_problem = on_problem if on_problem is not None else self._warn_on_stderr
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._opening = True
        try:
            self._open()
        finally:
            self._opening = False

    # -- lifecycle -------------------------------------------------------------------

    def _open(self) -> None:
        try:
            if self.path != ":memory:":
                parent = os.path.dirname(os.path.abspath(self.path))
                os.makedirs(parent, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=self.timeout, check_same_thread=False, isolation_level=None)
            try:
                conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
                if self.path != ":memory:":
                    conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute(_SCHEMA)
                conn.execute("SELECT 1 FROM captions_v1 LIMIT 1").fetchall()
            except BaseException:
                conn.close()
                raise
        except (sqlite3.Error, OSError) as exc:
            self._disable(f"cannot use the caption cache {self.path}: {exc}")
            return
        self._conn = conn

    def _disable(self, message: str) -> None:
        if self.problem is None:
            self.problem = message
            if self._opening:  # the opener reads .problem and reports it in its own words
                warnings.warn(f"{message}; continuing without the cache", RuntimeWarning, stacklevel=3)
            else:  # mid-run, deep inside a batch: nobody else will look
                try:
                    self.on_problem(message)
                except Exception:  # noqa: BLE001 - a report that fails must not stop the run
                    pass
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except sqlite3.Error:
                pass

    def _warn_on_stderr(self, message: str) -> None:
        print(
            f"altbot: warning: caption cache stopped working mid-run: {message}. The run goes on without it "
            f"(captions from here on are not saved); free disk space, or delete {self.path} to start a fresh "
            "cache, or pass --no-cache",
            file=sys.stderr,
        )

    @property
    def enabled(self) -> bool:
        return self._conn is not None

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.close()
                except sqlite3.Error:
                    pass
                self._conn = None

    def __enter__(self) -> "CaptionCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- access -------------------------------------------------------------------------

    def get(self, key: CacheKey) -> Caption | None:
        return self.get_many([key]).get(key)

    def get_many(self, keys: Iterable[CacheKey]) -> dict[CacheKey, Caption]:
        out: dict[CacheKey, Caption] = {}
        keys = list(dict.fromkeys(keys))
        if not keys:
            return out
        with self._lock:
            if self._conn is None:
                return out
            try:
                cur = self._conn.cursor()
                for key in keys:
                    row = cur.execute(
                        "SELECT caption FROM captions_v1 WHERE hash=? AND backend=? AND model=? AND lang=?"
                        " AND prompt_version=? AND max_length=?",
                        key.row(),
                    ).fetchone()
                    if row is None:
                        continue
                    try:
                        out[key] = caption_from_json(row[0])
                    except (ValueError, TypeError):
                        continue  # an unreadable entry is a miss; put() will overwrite it
            except sqlite3.Error as exc:
                self._disable(f"cannot read the caption cache {self.path}: {exc}")
        return out

    def put(self, key: CacheKey, caption: Caption) -> None:
        self.put_many([(key, caption)])

    def put_many(self, items: Iterable[tuple[CacheKey, Caption]]) -> None:
        rows = []
        for k, c in items:
            try:
                rows.append((*k.row(), caption_to_json(c), time.time()))
            except (TypeError, ValueError):  # a field JSON cannot hold: that caption is simply not kept
                continue
        if not rows:
            return
        with self._lock:
            if self._conn is None:
                return
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    self._conn.executemany("INSERT OR REPLACE INTO captions_v1 VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
                except BaseException:
                    try:
                        self._conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass  # sqlite rolled back already (disk full, I/O error): report the first error
                    raise
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._disable(f"cannot write the caption cache {self.path}: {exc}")

    def __len__(self) -> int:
        with self._lock:
            if self._conn is None:
                return 0
            try:
                return self._conn.execute("SELECT COUNT(*) FROM captions_v1").fetchone()[0]
            except sqlite3.Error:
                return 0


class CachedCaptioner:
    """Wraps a Captioner: dedups a batch, serves cache hits, sends only the misses to the model.

    Counters (cumulative): ``hits`` and ``misses`` count distinct images per batch
    (requests differing only in duplicates count once), ``deduped`` the duplicate
    requests folded into another, ``model_calls`` the images sent to the inner
    captioner and ``batches`` its ``caption`` calls.
    """

    def __init__(self, inner: Captioner, cache: CaptionCache | None, *, prompt_version: str = PROMPT_VERSION):
        self.inner = inner
        self.cache = cache
        self.prompt_version = prompt_version
        self.hits = 0
        self.misses = 0
        self.deduped = 0
        self.model_calls = 0
        self.batches = 0

    @property
    def uses(self):
        return getattr(self.inner, "uses", None)

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def model(self) -> str | None:
        return self.inner.model

    def key_for(self, request: CaptionRequest) -> CacheKey:
        """Every input the caption depends on (``request_key``): the language only for a backend
        that writes in it, the file name and page context only for one that reads them."""
        import hashlib

        image_key, lang, name, context, max_length = request_key(self.inner, request)
        extra = ""
        if name or context:
            extra = ":" + hashlib.sha256(json.dumps([name, list(context)], ensure_ascii=False).encode()).hexdigest()[:16]
        return CacheKey(
            hash=image_key,
            backend=self.inner.name,
            model=self.inner.model,
            lang=lang or None,
            prompt_version=self.prompt_version + extra,
            max_length=max_length,
        )

    def stats(self) -> dict[str, int]:
        return {
            "hits": self.hits,
            "misses": self.misses,
            "deduped": self.deduped,
            "model_calls": self.model_calls,
            "batches": self.batches,
        }

    def caption(self, requests: Sequence[CaptionRequest]) -> list[Caption]:
        return list(self.iter_captions(requests))

    def iter_captions(self, requests: Sequence[CaptionRequest]) -> Iterator[Caption]:
        """Captions in order, each as soon as it is known; every answer of the inner captioner is
        stored as it arrives (its model batches are kept), so an interruption loses none of them."""
        keys = [self.key_for(r) for r in requests]
        first: dict[CacheKey, int] = {}
        for i, k in enumerate(keys):
            first.setdefault(k, i)
        self.deduped += len(keys) - len(first)
        found = self.cache.get_many(first) if self.cache is not None else {}
        self.hits += len(found)
        missing = [k for k in first if k not in found]
        self.misses += len(missing)
        results: dict[CacheKey, Caption] = dict(found)
        done = 0

        def ready() -> Iterator[Caption]:
            nonlocal done
            while done < len(keys) and keys[done] in results:
                yield results[keys[done]]
                done += 1

        yield from ready()
        if not missing:
            return
        batch = [requests[first[k]] for k in missing]
        self.batches += 1
        self.model_calls += len(batch)
        got = 0
        for caption in iter_captions(self.inner, batch):
            if got == len(missing):
                got += 1
                break
            key = missing[got]
            got += 1
            results[key] = caption
            if self.cache is not None and not is_transient(caption):
                self.cache.put(key, caption)
            yield from ready()
        if got != len(batch):
            raise CaptionerError(
                f"captioner {self.inner.name!r} returned {'more' if got > len(batch) else got} captions "
                f"for {len(batch)} images"
            )
