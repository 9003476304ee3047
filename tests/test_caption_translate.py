"""Translation of English-only captions (altbot.caption.translate). No network: tiny random-weight
Marian/M2M100 models are built in the tests (tests/tiny_translation_models.py) and the Hub cache is faked."""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from altbot.caption.base import CaptionerError, CaptionRequest
from altbot.caption.cache import CachedCaptioner, CaptionCache
from altbot.caption.translate import (
    M2M100_MODEL,
    MARIAN_MODELS,
    TranslatingCaptioner,
    Translator,
    m2m100_code,
    protect,
    restore,
)
from altbot.images import ImageData, content_key
from altbot.outcome import Caption

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("sentencepiece")

import tiny_translation_models as tiny  # noqa: E402

SIGN = 'Sign reading "GRAND OPENING SALE"'
OCR = "GRAND OPENING SALE"


# -- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    """Offline Hub, an empty HF cache, and no sockets at all: any download attempt fails loudly."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))

    def no_network(*a, **k):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    root = tmp_path_factory.mktemp("mt")
    return {
        "marian": tiny.build_marian(str(root / "marian-en-fr")),
        "m2m": tiny.build_m2m100(str(root / "m2m100")),
        "multi": tiny.build_marian(str(root / "marian-en-multi"), target_codes=("fr", "deu")),
    }


@pytest.fixture(scope="module")
def marian_fr(models):
    """One Translator for the module (models load once)."""
    return Translator({"fr": models["marian"], "*": models["m2m"]}, max_new_tokens=8, num_beams=1, batch_size=2)


def fake_hf_cache(root: Path, *repos: str) -> str:
    """A Hugging Face cache dir in which each repo's config.json is present."""
    for repo in repos:
        d = root / ("models--" + repo.replace("/", "--"))
        (d / "refs").mkdir(parents=True)
        (d / "refs" / "main").write_text("0" * 40)
        snap = d / "snapshots" / ("0" * 40)
        snap.mkdir(parents=True)
        (snap / "config.json").write_text("{}")
    return str(root)


def img(data: bytes) -> ImageData:
    return ImageData(content_key(data), data, "x.png", None, "x.png")


def req(name: str, lang: str | None) -> CaptionRequest:
    return CaptionRequest(image=img(name.encode()), lang=lang)


class EnglishCaptioner:
    """An English-only captioner: the caption text is chosen per image."""

    name = "fake"
    model = "fake-captioner"

    def __init__(self, texts: dict[str, Caption | str] | None = None):
        self.texts = texts or {}
        self.calls = 0

    def caption(self, requests):
        self.calls += 1
        out = []
        for r in requests:
            got = self.texts.get(r.image.data.decode(), "A red car parked on a street")
            if isinstance(got, Caption):
                out.append(got)
            else:
                out.append(Caption(text=got, confidence=0.8, backend="fake", model=self.model, lang="en",
                                   low_confidence=False))  # fmt: skip
        return out


class FakeTranslator:
    """Records calls; 'translates' by tagging the text (placeholders survive unless ``drop``)."""

    def __init__(self, routes: dict[str, str] | None = None, drop: bool = False):
        self.routes = routes if routes is not None else {"fr": "mt-fr", "de": "mt-de"}
        self.drop = drop
        self.calls: list[tuple[list[str], str, str]] = []

    def route(self, target, source="en"):
        return self.routes.get(target.split("-")[0].lower())

    def translate(self, texts, target, source="en"):
        self.calls.append((list(texts), target, source))
        out = []
        for t in texts:
            if self.drop:
                t = " ".join(w for w in t.split() if not w.startswith("XQ"))
            out.append(f"[{target}] {t}")
        return out


# -- import, table, language codes ---------------------------------------------------------------


def test_import_does_not_import_torch():
    code = (
        "import sys, altbot.caption.translate as t\n"
        "t.Translator({'fr': 'x/y'}).route('fr')\n"
        "print([m for m in ('torch', 'transformers') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_default_table():
    assert MARIAN_MODELS["fr"] == "Helsinki-NLP/opus-mt-en-fr"
    assert MARIAN_MODELS["de"] == "Helsinki-NLP/opus-mt-en-de"
    assert all(v == f"Helsinki-NLP/opus-mt-en-{k}" for k, v in MARIAN_MODELS.items())
    assert "ja" not in MARIAN_MODELS and "pt" not in MARIAN_MODELS  # → M2M100
    assert M2M100_MODEL == "facebook/m2m100_418M"


@pytest.mark.parametrize(
    "tag, code",
    [("fr", "fr"), ("pt-BR", "pt"), ("zh-Hant", "zh"), ("nb", "no"), ("iw", "he"), ("fil", "tl"), ("tlh", None), (None, None)],
)
def test_m2m100_codes(tag, code):
    assert m2m100_code(tag) == code


# -- routes ---------------------------------------------------------------------------------------


def test_routes_offline_follow_the_cache(tmp_path):
    cache = fake_hf_cache(tmp_path / "hub", "Helsinki-NLP/opus-mt-en-de", M2M100_MODEL)
    tr = Translator(cache_dir=cache)
    assert tr.route("de") == "Helsinki-NLP/opus-mt-en-de"  # Marian pair present
    assert tr.route("de-AT") == "Helsinki-NLP/opus-mt-en-de"
    assert tr.route("fr") == M2M100_MODEL  # Marian pair not downloaded: M2M100
    assert tr.route("pl") == M2M100_MODEL  # no Marian pair: M2M100
    assert tr.route("tlh") is None  # M2M100 does not know it
    assert tr.route("en-GB") is None  # same language: nothing to do
    assert tr.route("fr", source="de") == M2M100_MODEL


def test_no_route_without_models(tmp_path):
    tr = Translator(cache_dir=str(tmp_path / "empty"))
    assert tr.route("de") is None and tr.route("pl") is None
    reason = tr.no_route_reason("de")
    assert "no translation model for de" in reason and "[tool.altbot.translation]" in reason
    assert "hf download Helsinki-NLP/opus-mt-en-de" in reason
    assert Translator(fallback=None, cache_dir=str(tmp_path)).route("pl") is None


def test_routes_online_pick_the_default_without_loading(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    tr = Translator(cache_dir=str(tmp_path))
    assert tr.route("de") == "Helsinki-NLP/opus-mt-en-de"
    assert tr.route("pt-BR") == M2M100_MODEL
    assert tr.route("ja") == M2M100_MODEL
    assert Translator(fallback=None, cache_dir=str(tmp_path)).route("ja") is None


def test_user_table(tmp_path):
    tr = Translator(
        {"fr": "my/fr-model", "pt_BR": "/models/en-pt-br", "de": "", "*": "my/multilingual"}, cache_dir=str(tmp_path)
    )
    assert tr.route("fr") == "my/fr-model"  # a mapping is the route even when not downloaded
    assert tr.route("fr-CA") == "my/fr-model"
    assert tr.route("pt-BR") == "/models/en-pt-br"  # full tag before primary subtag
    assert tr.route("pt") is None  # offline, fallback not in the cache
    assert tr.route("de") is None  # "" removes a language
    assert Translator({"*": ""}, cache_dir=str(tmp_path)).fallback is None
    with pytest.raises(CaptionerError, match="not a language tag"):
        Translator({"french!": "x"})


def test_fingerprint_changes_with_the_table(tmp_path):
    a = Translator({"fr": "a/b"}, cache_dir=str(tmp_path)).fingerprint()
    assert a == Translator({"fr": "a/b"}, cache_dir=str(tmp_path)).fingerprint()
    assert a != Translator({"fr": "a/c"}, cache_dir=str(tmp_path)).fingerprint()
    cache = fake_hf_cache(tmp_path / "hub", "Helsinki-NLP/opus-mt-en-de")
    assert a != Translator({"fr": "a/b"}, cache_dir=cache).fingerprint()  # a download changes routes


# -- loading errors ------------------------------------------------------------------------------


def test_offline_hub_id_not_in_cache_names_the_model_and_remedy(tmp_path):
    tr = Translator({"fr": "Helsinki-NLP/opus-mt-en-fr"}, cache_dir=str(tmp_path / "empty"))
    assert tr.route("fr") == "Helsinki-NLP/opus-mt-en-fr"
    with pytest.raises(CaptionerError) as err:
        tr.translate(["a cat"], "fr")
    msg = str(err.value)
    assert "Helsinki-NLP/opus-mt-en-fr" in msg
    assert "hf download Helsinki-NLP/opus-mt-en-fr" in msg and "local directory" in msg
    assert "network access attempted" not in msg


def test_missing_local_dir(tmp_path):
    missing = str(tmp_path / "nope")
    with pytest.raises(CaptionerError, match="does not exist"):
        Translator({"fr": missing}).translate(["a cat"], "fr")


def test_unsupported_model_type(tmp_path):
    from transformers import BertConfig

    BertConfig(hidden_size=8, num_hidden_layers=1, num_attention_heads=2, intermediate_size=8).save_pretrained(tmp_path)
    with pytest.raises(CaptionerError, match="model_type 'bert'"):
        Translator({"fr": str(tmp_path)}).translate(["a cat"], "fr")


def test_no_route_raises_in_translate(tmp_path):
    with pytest.raises(CaptionerError, match="no translation model for tlh"):
        Translator(cache_dir=str(tmp_path)).translate(["a cat"], "tlh")


# -- real (tiny) models ----------------------------------------------------------------------------


TEXTS = ["A cat sits on the mat", "two dogs", "a red car in the street with people", "Sky", "a man and a woman"]


def test_marian_batches_in_order(marian_fr, models):
    assert marian_fr.route("fr") == models["marian"]
    batch = marian_fr.translate(TEXTS, "fr")
    assert len(batch) == len(TEXTS) and all(isinstance(t, str) and t for t in batch)
    assert batch == [marian_fr.translate([t], "fr")[0] for t in TEXTS]  # batching keeps the order
    assert len(set(batch)) > 1
    assert marian_fr.translate([], "fr") == []


def test_marian_loads_once_and_bounds_length(marian_fr, models):
    first = marian_fr.load(models["marian"])
    marian_fr.translate(["a cat"], "fr-CA")
    assert marian_fr.load(models["marian"]) is first
    m, seqs = marian_fr.generate(TEXTS, "fr")
    assert all(len(s) <= 1 + marian_fr.max_new_tokens for s in seqs)  # decoder start + max_new_tokens


def test_m2m100_forces_the_target_language(marian_fr, models):
    assert marian_fr.route("pl") == models["m2m"]
    m, seqs = marian_fr.generate(TEXTS[:3], "pl")
    assert m.kind == "m2m_100"
    assert all(s[1] == m.tokenizer.get_lang_id("pl") for s in seqs)  # forced BOS
    _, seqs_ja = marian_fr.generate(TEXTS[:1], "ja")
    assert seqs_ja[0][1] == m.tokenizer.get_lang_id("ja")
    out = marian_fr.translate(TEXTS[:3], "pl")
    assert len(out) == 3 and not any("__pl__" in t for t in out)
    _, seqs_de = marian_fr.generate(["Hallo"], "pl", source="de")
    assert m.tokenizer.src_lang == "de" and seqs_de[0][1] == m.tokenizer.get_lang_id("pl")


def test_marian_multi_target_token(models):
    tr = Translator({"fr": models["multi"], "es": models["multi"]}, fallback=None, max_new_tokens=4, num_beams=1)
    assert len(tr.translate(["a cat", "a dog"], "fr")) == 2
    m = tr.load(models["multi"])
    prefix = tr._target_setup(m, "fr", "en")[0]
    assert prefix.strip() == ">>fr<<"
    assert m.tokenizer(prefix + "a cat").input_ids[0] == m.tokenizer.convert_tokens_to_ids(">>fr<<")
    assert tr._target_setup(m, "de-AT", "en")[0].strip() == ">>deu<<"  # ISO 639-3 codes of Tatoeba models
    with pytest.raises(CaptionerError, match=">>code<<"):
        tr.translate(["a cat"], "es")


# -- OCR protection ---------------------------------------------------------------------------------


def test_protect_and_restore():
    p = protect(SIGN, OCR)
    assert OCR not in p.masked and p.masked == "Sign reading XQ1"
    assert restore("Panneau indiquant XQ1", p, "fr") == "Panneau indiquant « GRAND OPENING SALE »"
    assert restore('Schild mit der Aufschrift "XQ1"', p, "de") == "Schild mit der Aufschrift „GRAND OPENING SALE“"
    assert restore("Panneau indiquant", p, "fr") is None  # lost
    assert restore("XQ1 XQ1", p, "fr") is None  # duplicated
    unquoted = protect("A GRAND OPENING SALE banner", OCR)
    assert unquoted.masked == "A XQ1 banner"


def test_placeholders_survive_translation():
    inner = EnglishCaptioner({"sign": Caption(SIGN, 0.7, "fake", "fake-captioner", "en", ocr_text=OCR)})
    fake = FakeTranslator()
    cap = TranslatingCaptioner(inner, fake).caption([req("sign", "fr")])[0]
    assert fake.calls == [(["Sign reading XQ1"], "fr", "en")]  # the OCR text never reaches the model
    assert cap.text == "[fr] Sign reading « GRAND OPENING SALE »"
    assert cap.ocr_text == OCR and cap.lang == "fr"


def test_mangled_placeholder_falls_back_to_the_description():
    inner = EnglishCaptioner({"sign": Caption(SIGN, 0.7, "fake", "fake-captioner", "en", ocr_text=OCR)})
    fake = FakeTranslator(drop=True)
    cap = TranslatingCaptioner(inner, fake).caption([req("sign", "fr")])[0]
    assert [c[0] for c in fake.calls] == [["Sign reading XQ1"], ["Sign"]]  # then the description alone
    assert cap.text == "[fr] Sign avec le texte « GRAND OPENING SALE »"


def test_ocr_quote_verbatim_through_a_real_model(marian_fr):
    texts = {
        "sign": Caption(SIGN, 0.7, "fake", "fake-captioner", "en", ocr_text=OCR),
        "poster": Caption('A poster with the text "Jazz Night 8pm" and a "OPEN" sign', 0.7, "fake", "m", "en"),
        "text": Caption(OCR, 0.9, "fake", "fake-captioner", "en", ocr_text=OCR),
    }
    tc = TranslatingCaptioner(EnglishCaptioner(texts), marian_fr)
    sign, poster, only_text = tc.caption([req("sign", "fr"), req("poster", "sv"), req("text", "fr")])
    assert "« GRAND OPENING SALE »" in sign.text and sign.lang == "fr" and sign.ocr_text == OCR
    if poster.lang == "sv":  # random weights may translate the description to nothing
        assert "”Jazz Night 8pm”" in poster.text and "”OPEN”" in poster.text
    else:
        assert poster == dataclasses.replace(texts["poster"], reason=poster.reason)
        assert "gave no text" in poster.reason
    assert only_text.text == OCR and only_text.lang == "fr"  # the image's own words: not translated


# -- TranslatingCaptioner ------------------------------------------------------------------------


def test_translating_captioner_fields(marian_fr, models):
    inner = EnglishCaptioner()
    tc = TranslatingCaptioner(inner, marian_fr)
    same, fr, pl, nolang = tc.caption([req("a", "en-US"), req("a", "fr"), req("b", "pl"), req("c", None)])
    original = inner.caption([req("a", "en")])[0]
    assert same == original and nolang == original  # same language / unknown page language: untouched
    assert fr.lang == "fr" and fr.text != original.text and fr.text
    assert fr.model == f"fake-captioner + {models['marian']}"
    assert pl.model == f"fake-captioner + {models['m2m']}" and pl.lang == "pl"
    assert fr.low_confidence and fr.confidence == original.confidence and fr.backend == "fake"
    assert tc.name == "fake" and tc.model.startswith("fake-captioner + translation@")


def test_no_route_keeps_english_with_a_reason():
    tc = TranslatingCaptioner(EnglishCaptioner(), FakeTranslator())
    cap = tc.caption([req("a", "tlh")])[0]
    assert cap.text == "A red car parked on a street" and cap.lang == "en"
    assert cap.reason.startswith("no translation model for tlh; configure one under [tool.altbot.translation]")


def test_empty_translation_keeps_english_with_a_reason():
    class Empty(FakeTranslator):
        def translate(self, texts, target, source="en"):
            return ["" for _ in texts]

    cap = TranslatingCaptioner(EnglishCaptioner(), Empty()).caption([req("a", "fr")])[0]
    assert cap.text == "A red car parked on a street" and cap.lang == "en"
    assert cap.reason == "translation into fr with mt-fr gave no text"


def test_pass_through_cases():
    texts = {
        "deco": Caption("", 0.9, "fake", "m", "en", decorative=True),
        "none": Caption(None, None, "fake", "m", "en", reason="cannot decode"),
        "fr": Caption("Un chat", 0.9, "fake", "m", "fr"),
    }
    fake = FakeTranslator()
    caps = TranslatingCaptioner(EnglishCaptioner(texts), fake).caption([req("deco", "fr"), req("none", "fr"), req("fr", "fr-CA")])
    assert caps == [texts["deco"], texts["none"], texts["fr"]]
    assert fake.calls == []


def test_batched_by_target_language():
    fake = FakeTranslator()
    inner = EnglishCaptioner({str(i): f"caption {i}" for i in range(5)})
    langs = ["fr", "de", "fr", "en", "de-CH"]
    caps = TranslatingCaptioner(inner, fake).caption([req(str(i), lang) for i, lang in enumerate(langs)])
    assert sorted((c[1], c[0]) for c in fake.calls) == [("de", ["caption 1"]), ("de-CH", ["caption 4"]),
                                                        ("fr", ["caption 0", "caption 2"])]  # fmt: skip
    assert [c.text for c in caps] == ["[fr] caption 0", "[de] caption 1", "[fr] caption 2", "caption 3", "[de-CH] caption 4"]
    assert [c.lang for c in caps] == ["fr", "de", "fr", "en", "de-CH"]
    assert inner.calls == 1


def test_cache_wraps_the_translating_captioner(tmp_path, models):
    inner = EnglishCaptioner()
    tc = TranslatingCaptioner(inner, Translator({"fr": models["marian"]}, fallback=None, max_new_tokens=4, num_beams=1))
    cached = CachedCaptioner(tc, CaptionCache(str(tmp_path / "c.sqlite3")))
    first = cached.caption([req("a", "fr"), req("a", "en")])
    again = cached.caption([req("a", "fr"), req("a", "en")])
    assert first == again and inner.calls == 1 and cached.hits == 2
    assert first[0].lang == "fr" and first[1].lang == "en"
    key = cached.key_for(req("a", "fr"))
    assert key.model == tc.model != inner.model
    other = TranslatingCaptioner(inner, Translator({"fr": models["multi"]}, fallback=None))
    assert CachedCaptioner(other, None).key_for(req("a", "fr")) != key  # another table: another key
    assert json.loads(json.dumps(key.row()))  # plain values
    assert os.path.exists(tmp_path / "c.sqlite3")
