from __future__ import annotations

import multiprocessing
import os
import stat
import sys
import warnings

import pytest

from altbot.caption.base import CaptionRequest, CaptionerError
from altbot.caption.cache import (
    CACHE_FILE,
    CacheKey,
    CachedCaptioner,
    CaptionCache,
    caption_from_json,
    caption_to_json,
    default_cache_path,
    is_transient,
)
from altbot.images import ImageData, content_key
from altbot.outcome import Caption


def img(data: bytes) -> ImageData:
    return ImageData(content_key(data), data, "x.png", None, "x.png")


class CountingCaptioner:
    name = "fake"
    model = "fake-1"

    def __init__(self, reasons: dict[bytes, str] | None = None):
        self.calls: list[list[bytes]] = []
        self.reasons = reasons or {}

    def caption(self, requests):
        self.calls.append([r.image.data for r in requests])
        out = []
        for r in requests:
            reason = self.reasons.get(r.image.data)
            if reason:
                out.append(Caption(text=None, confidence=None, backend=self.name, reason=reason))
            else:
                out.append(
                    Caption(
                        text=f"{r.image.data.decode()} in {r.lang}",
                        confidence=0.5,
                        backend=self.name,
                        model=self.model,
                        lang=r.lang,
                    )
                )
        return out

    @property
    def images_seen(self) -> int:
        return sum(len(c) for c in self.calls)


def key(**kw) -> CacheKey:
    d = dict(hash="h", backend="b", model="m", lang="en", prompt_version="v1", max_length=125)
    d.update(kw)
    return CacheKey(**d)


CAP = Caption(
    text="A dog",
    confidence=0.75,
    backend="b",
    model="m",
    lang="en",
    ocr_text="WOOF",
    decorative=False,
    reason=None,
    low_confidence=False,
)


def test_roundtrip_all_fields(tmp_path):
    path = str(tmp_path / "c.sqlite3")
    with CaptionCache(path) as cache:
        assert cache.enabled
        assert cache.get(key()) is None
        cache.put(key(), CAP)
        assert cache.get(key()) == CAP
        cache.put(key(), CAP)  # replace, not duplicate
        assert len(cache) == 1
    with CaptionCache(path) as again:  # persistent
        assert again.get(key()) == CAP


def test_json_ignores_unknown_fields():
    data = caption_to_json(CAP).replace('"text"', '"future_field": 1, "text"')
    assert caption_from_json(data) == CAP


@pytest.mark.parametrize(
    "other",
    [
        pytest.param(key(hash="h2"), id="hash"),
        pytest.param(key(backend="b2"), id="backend"),
        pytest.param(key(model="m2"), id="model"),
        pytest.param(key(model=None), id="model-none"),
        pytest.param(key(lang="fr"), id="lang"),
        pytest.param(key(lang=None), id="lang-none"),
        pytest.param(key(prompt_version="v2"), id="prompt-version"),
        pytest.param(key(max_length=80), id="max-length"),
    ],
)
def test_every_key_part_matters(tmp_path, other):
    with CaptionCache(str(tmp_path / "c.sqlite3")) as cache:
        cache.put(key(), CAP)
        assert cache.get(other) is None


def test_lang_case_insensitive_and_none_keys(tmp_path):
    with CaptionCache(str(tmp_path / "c.sqlite3")) as cache:
        cache.put(key(lang="pt-BR", model=None), CAP)
        assert cache.get(key(lang="pt-br", model=None)) == CAP


def test_get_many(tmp_path):
    with CaptionCache(str(tmp_path / "c.sqlite3")) as cache:
        cache.put(key(hash="a"), CAP)
        got = cache.get_many([key(hash="a"), key(hash="b")])
        assert got == {key(hash="a"): CAP}


def test_default_path_honours_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_path() == os.path.join(str(tmp_path), "altbot", CACHE_FILE)


def test_cache_dir_option(tmp_path):
    with CaptionCache(cache_dir=str(tmp_path / "deep" / "dir")) as cache:
        assert cache.path == str(tmp_path / "deep" / "dir" / CACHE_FILE)
        cache.put(key(), CAP)
    assert (tmp_path / "deep" / "dir" / CACHE_FILE).exists()


def test_wal_mode(tmp_path):
    import sqlite3

    path = str(tmp_path / "c.sqlite3")
    CaptionCache(path).close()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_corrupt_file_warns_once_and_runs_without_cache(tmp_path):
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.warns(RuntimeWarning, match="caption cache") as rec:
        cache = CaptionCache(str(path))
    assert len(rec) == 1
    assert not cache.enabled and "not a database" in cache.problem
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no second warning
        assert cache.get(key()) is None
        cache.put(key(), CAP)
        assert cache.get_many([key()]) == {}
    inner = CountingCaptioner()
    wrapped = CachedCaptioner(inner, cache)
    out = wrapped.caption([CaptionRequest(img(b"dog"), "en")])
    assert out[0].text == "dog in en"
    cache.close()


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="needs POSIX permissions, non-root")
def test_unwritable_directory(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.warns(RuntimeWarning):
            cache = CaptionCache(str(ro / "sub" / "c.sqlite3"))
        assert not cache.enabled
        cache.put(key(), CAP)
        assert cache.get(key()) is None
    finally:
        ro.chmod(stat.S_IRWXU)


def _writer(path: str, start: int) -> None:
    cache = CaptionCache(path)
    for i in range(start, start + 50):
        cache.put(key(hash=str(i)), CAP)
    cache.close()


def test_concurrent_processes(tmp_path):
    path = str(tmp_path / "c.sqlite3")
    CaptionCache(path).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, n * 100)) for n in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    with CaptionCache(path) as cache:
        assert len(cache) == 150


def test_second_run_makes_no_model_calls(tmp_path):
    path = str(tmp_path / "c.sqlite3")
    reqs = [CaptionRequest(img(b"dog"), "en"), CaptionRequest(img(b"cat"), "en")]
    inner = CountingCaptioner()
    with CaptionCache(path) as cache:
        first = CachedCaptioner(inner, cache)
        out1 = first.caption(reqs)
        assert first.stats() == {"hits": 0, "misses": 2, "deduped": 0, "model_calls": 2, "batches": 1}
    inner2 = CountingCaptioner()
    with CaptionCache(path) as cache:
        second = CachedCaptioner(inner2, cache)
        out2 = second.caption(reqs)
        assert inner2.calls == []
        assert second.stats() == {"hits": 2, "misses": 0, "deduped": 0, "model_calls": 0, "batches": 0}
    assert out1 == out2
    assert second.name == "fake" and second.model == "fake-1"


def test_dedup_within_batch_and_order():
    inner = CountingCaptioner()
    wrapped = CachedCaptioner(inner, None)
    reqs = [
        CaptionRequest(img(b"dog"), "en"),
        CaptionRequest(img(b"cat"), "en"),
        CaptionRequest(img(b"dog"), "en"),
        CaptionRequest(img(b"dog"), "fr"),  # another language: another caption
    ]
    out = wrapped.caption(reqs)
    assert [c.text for c in out] == ["dog in en", "cat in en", "dog in en", "dog in fr"]
    assert inner.calls == [[b"dog", b"cat", b"dog"]]  # one batch, misses only
    assert wrapped.deduped == 1 and wrapped.model_calls == 3


def test_only_misses_go_to_the_model(tmp_path):
    with CaptionCache(str(tmp_path / "c.sqlite3")) as cache:
        inner = CountingCaptioner()
        wrapped = CachedCaptioner(inner, cache)
        wrapped.caption([CaptionRequest(img(b"dog"), "en")])
        wrapped.caption([CaptionRequest(img(b"dog"), "en"), CaptionRequest(img(b"owl"), "en")])
        assert inner.calls == [[b"dog"], [b"owl"]]
        assert wrapped.hits == 1 and wrapped.misses == 2


def test_key_includes_lang_and_prompt_version(tmp_path):
    with CaptionCache(str(tmp_path / "c.sqlite3")) as cache:
        inner = CountingCaptioner()
        CachedCaptioner(inner, cache, prompt_version="alt-v1").caption([CaptionRequest(img(b"dog"), "en")])
        CachedCaptioner(inner, cache, prompt_version="alt-v1").caption([CaptionRequest(img(b"dog"), "de")])
        CachedCaptioner(inner, cache, prompt_version="alt-v2").caption([CaptionRequest(img(b"dog"), "en")])
        CachedCaptioner(inner, cache, prompt_version="alt-v1").caption([CaptionRequest(img(b"dog"), "en", 80)])
        assert inner.images_seen == 4


def test_failures_transient_not_cached_permanent_cached(tmp_path):
    reasons = {
        b"down": "cannot reach caption server at http://127.0.0.1:1/v1: connection refused",
        b"remote": "cannot fetch remote image https://x/y.png: timed out",
        b"http": "caption server returned HTTP 503: overloaded",
        b"blank": "no usable caption (empty answer)",
    }
    with CaptionCache(str(tmp_path / "c.sqlite3")) as cache:
        inner = CountingCaptioner(reasons)
        wrapped = CachedCaptioner(inner, cache)
        reqs = [CaptionRequest(img(d), "en") for d in reasons]
        wrapped.caption(reqs)
        wrapped.caption(reqs)
        assert inner.calls[1] == [b"down", b"remote", b"http"]
        assert len(cache) == 1


@pytest.mark.parametrize(
    "caption,expected",
    [
        pytest.param(Caption(None, None, "x", reason="cannot fetch remote image"), True, id="fetch"),
        pytest.param(Caption(None, None, "x", reason="no usable caption"), False, id="no-usable"),
        pytest.param(Caption("A dog", None, "x", reason="connection"), False, id="has-text"),
        pytest.param(Caption("", None, "x", decorative=True), False, id="decorative"),
    ],
)
def test_is_transient(caption, expected):
    assert is_transient(caption) is expected


def test_wrong_count_from_inner_is_an_error():
    class Broken(CountingCaptioner):
        def caption(self, requests):
            return []

    with pytest.raises(CaptionerError):
        CachedCaptioner(Broken(), None).caption([CaptionRequest(img(b"dog"))])


def test_empty_batch():
    inner = CountingCaptioner()
    assert CachedCaptioner(inner, None).caption([]) == []
    assert inner.calls == []


def test_cache_path_under_a_file_is_unusable_not_fatal(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a directory")
    with pytest.warns(RuntimeWarning, match="continuing without the cache"):
        cache = CaptionCache(str(blocker / "c.sqlite3"))
    assert not cache.enabled
    wrapped = CachedCaptioner(CountingCaptioner(), cache)
    assert wrapped.caption([CaptionRequest(img(b"dog"), "en")])[0].text == "dog in en"
