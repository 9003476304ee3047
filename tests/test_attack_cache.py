"""Issue 9: the caption cache under attack.

* Ctrl-C mid-batch keeps every caption that was already answered (each is written as it arrives).
* A row that is valid JSON of the wrong shape is a miss, overwritten by the fresh answer.
* A cache that breaks after it opened is one "altbot: warning: caption cache ..." line, once; the
  run goes on.
"""

from __future__ import annotations

import json
import re
import sqlite3
import warnings

import pytest

from altbot.caption import base
from altbot.caption.auto import ChainCaptioner
from altbot.caption.base import CaptionRequest
from altbot.caption.cache import CachedCaptioner, CaptionCache, caption_to_json
from altbot.caption.translate import TranslatingCaptioner
from altbot.cli import main
from altbot.images import ImageData, content_key
from altbot.outcome import Caption
from tests.conftest import photo


def request(word: str, lang: str = "en") -> CaptionRequest:
    data = word.encode()
    return CaptionRequest(ImageData(content_key(data), data, f"{word}.png", None, f"{word}.png"), lang)


class Answering:
    """Answers one image at a time (a generator, like a backend between model batches); raises
    KeyboardInterrupt instead of the answer number ``stop_at`` (1-based) when set."""

    name = "fake"
    model = "fake-1"

    def __init__(self, stop_at: int | None = None, on_answer=None):
        self.stop_at = stop_at
        self.on_answer = on_answer
        self.asked: list[str] = []
        self.calls = 0

    def caption(self, requests):
        self.calls += 1
        for n, r in enumerate(requests, 1):
            if self.stop_at is not None and n == self.stop_at:
                raise KeyboardInterrupt
            self.asked.append(r.image.name)
            if self.on_answer is not None:
                self.on_answer(n)
            yield Caption(f"picture of {r.image.name}", 0.9, self.name, self.model, lang=r.lang, low_confidence=False)


class NoAnswer:
    """The first link of a chain that never knows (like metadata on most images)."""

    name = "first"
    model = None

    def caption(self, requests):
        return [Caption(None, None, self.name, reason="nothing to say") for _ in requests]


class NoTranslation:
    def route(self, target, source="en"):
        return None

    def translate(self, texts, target, source="en"):
        raise AssertionError("nothing needs translating")


# -- Ctrl-C keeps what was answered ----------------------------------------------------------------


@pytest.mark.parametrize(
    "wrap",
    [
        pytest.param(lambda inner: inner, id="captioner"),
        # the stack `fix` builds: cache → translation → chain (metadata first) → model
        pytest.param(
            lambda inner: TranslatingCaptioner(ChainCaptioner([NoAnswer(), inner]), translator=NoTranslation()),
            id="translating-chain",
        ),
    ],
)
def test_interrupted_batch_keeps_the_answers_already_given(tmp_path, wrap):
    words = [f"img{i}" for i in range(6)]
    first = Answering(stop_at=4)  # three answers, then Ctrl-C
    with CaptionCache(str(tmp_path / "c.sqlite3")) as cache:
        with pytest.raises(KeyboardInterrupt):
            CachedCaptioner(wrap(first), cache).caption([request(w) for w in words])
        assert first.asked == [f"{w}.png" for w in words[:3]]

    again = Answering()
    with CaptionCache(str(tmp_path / "c.sqlite3")) as cache:
        wrapped = CachedCaptioner(wrap(again), cache)
        out = wrapped.caption([request(w) for w in words])
    assert again.asked == [f"{w}.png" for w in words[3:]]  # the first three came from the cache
    assert wrapped.hits == 3 and wrapped.misses == 3
    assert [c.text for c in out] == [f"picture of {w}.png" for w in words]


def test_interrupted_fix_run_keeps_the_answers_already_given(tmp_path, monkeypatch):
    """The real CLI: `fix` asks for 32 files' captions at once; Ctrl-C after the 3rd answer."""
    site = tmp_path / "site"
    site.mkdir()
    for i in range(5):
        photo(site / f"p{i}.png", seed=i)
        (site / f"p{i}.html").write_text(f'<html lang="en"><body><img src="p{i}.png"></body></html>\n')
    made: list[Answering] = []

    def factory(stop_at=None, **_):
        made.append(Answering(stop_at=stop_at))
        return made[-1]

    argv = ["fix", "--captioner", "answering", "--cache-dir", str(tmp_path / "cache"), str(site)]
    monkeypatch.setitem(base._REGISTRY, "answering", lambda **kw: factory(stop_at=4, **kw))
    assert main(argv) == 130  # "altbot: interrupted"
    assert len(made[0].asked) == 3

    monkeypatch.setitem(base._REGISTRY, "answering", factory)
    assert main(argv) == 1  # diff mode: the proposed changes count as findings
    assert len(made[1].asked) == 2 and not set(made[1].asked) & set(made[0].asked)


# -- rows of the wrong shape are misses ------------------------------------------------------------

GOOD = json.loads(caption_to_json(Caption("old", 0.5, "fake", "fake-1", lang="en")))


def _with(**fields):
    row = dict(GOOD)
    row.update(fields)
    return json.dumps(row)


@pytest.mark.parametrize(
    "row",
    [
        pytest.param("[1, 2, 3]", id="list"),
        pytest.param("null", id="null"),
        pytest.param('"a caption"', id="string"),
        pytest.param("42", id="number"),
        pytest.param(_with(text=5), id="text-number"),
        pytest.param(_with(text=["a"]), id="text-list"),
        pytest.param(_with(confidence="x"), id="confidence-string"),
        pytest.param(_with(confidence=True), id="confidence-bool"),
        pytest.param(_with(confidence=7.5), id="confidence-out-of-range"),
        pytest.param(_with(confidence=float("nan")), id="confidence-nan"),
        pytest.param(_with(backend=None), id="backend-null"),
        pytest.param(_with(lang={"x": 1}), id="lang-object"),
        pytest.param(_with(ocr_text=3), id="ocr-number"),
        pytest.param(_with(reason=[]), id="reason-list"),
        pytest.param(_with(decorative="yes"), id="decorative-string"),
        pytest.param(_with(low_confidence=0), id="low-confidence-int"),
        pytest.param(json.dumps({k: v for k, v in GOOD.items() if k != "backend"}), id="field-missing"),
        pytest.param("{not json", id="not-json"),
    ],
)
def test_a_bad_row_is_a_miss_and_is_overwritten(tmp_path, row):
    path = str(tmp_path / "c.sqlite3")
    reqs = [request("dog"), request("cat")]
    with CaptionCache(path) as cache:
        wrapped = CachedCaptioner(Answering(), cache)
        cache.put(wrapped.key_for(reqs[0]), Caption("old", 0.5, "fake", "fake-1", lang="en"))
        conn = sqlite3.connect(path)
        conn.execute("UPDATE captions_v1 SET caption = ?", (row,))
        conn.commit()
        conn.close()

        out = wrapped.caption(reqs)  # no traceback, and the other image is not dragged down
        assert [c.text for c in out] == ["picture of dog.png", "picture of cat.png"]
        assert wrapped.inner.asked == ["dog.png", "cat.png"]
        assert cache.get(wrapped.key_for(reqs[0])).text == "picture of dog.png"  # overwritten

    with CaptionCache(path) as cache:  # the next run is served from the fresh row
        again = CachedCaptioner(Answering(), cache)
        assert [c.text for c in again.caption(reqs)] == ["picture of dog.png", "picture of cat.png"]
        assert again.inner.asked == []


# -- a cache that breaks mid-run: one clear warning, the run goes on ------------------------------


def _fill_the_disk(cache: CaptionCache) -> None:
    """What a full disk looks like to sqlite: no page may be added, and the last one is full."""
    conn = cache._conn
    conn.execute("PRAGMA max_page_count = 1")  # can only go down to the current size
    for i in range(1000):
        try:
            conn.execute("INSERT INTO captions_v1 VALUES (?, '', '', '', '', 0, ?, 0)", (f"filler{i}", "x" * 200))
        except sqlite3.OperationalError as exc:
            assert "full" in str(exc)
            return
    raise AssertionError("the database never filled up")


def _corrupt(cache: CaptionCache) -> None:
    """The database stops being one under the open connection: the next read or write fails."""

    class Corrupt:
        def __getattr__(self, name):
            def fail(*a, **k):
                raise sqlite3.DatabaseError("database disk image is malformed")

            return fail

    cache._conn.close()
    cache._conn = Corrupt()


@pytest.mark.parametrize(
    "breaker, why",
    [
        pytest.param(_fill_the_disk, "database or disk is full", id="disk-full"),
        pytest.param(_corrupt, "malformed", id="corrupt"),
    ],
)
def test_cache_breaking_mid_run_is_one_warning_line(tmp_path, monkeypatch, capsys, breaker, why):
    site = tmp_path / "site"
    site.mkdir()
    for i in range(4):
        photo(site / f"p{i}.png", seed=10 + i)
        (site / f"p{i}.html").write_text(f'<html lang="en"><body><img src="p{i}.png"></body></html>\n')
    opened: list[CaptionCache] = []
    original_open = CaptionCache._open

    def remember(self):
        original_open(self)
        opened.append(self)

    def break_after_first(n):
        if n == 1:
            breaker(opened[0])

    monkeypatch.setattr(CaptionCache, "_open", remember)
    monkeypatch.setitem(base._REGISTRY, "answering", lambda **kw: Answering(on_answer=break_after_first))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rc = main(["fix", "--captioner", "answering", "--cache-dir", str(tmp_path / "cache"), str(site)])
    err = capsys.readouterr().err
    assert rc == 1  # the run went on: every image got its caption
    assert re.search(r"images captioned +4\n", err), err
    assert [w for w in caught if issubclass(w.category, RuntimeWarning)] == []
    lines = [ln for ln in err.splitlines() if "cache" in ln.lower()]
    assert len(lines) == 1, err
    assert lines[0].startswith("altbot: warning: caption cache ")
    assert str(tmp_path / "cache") in lines[0] and why in lines[0] and "Traceback" not in err


def test_a_cached_caption_nested_too_deeply_is_no_caption():
    """A cache row edited to JSON deeper than Python's reader takes is a bad row (ValueError, which
    the cache treats as a miss), not a RecursionError out of the run."""
    from altbot.caption.cache import caption_from_json

    with pytest.raises(ValueError, match="nested too deeply"):
        caption_from_json("[" * 100000 + "]" * 100000)
