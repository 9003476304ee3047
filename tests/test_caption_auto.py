"""`auto` picks the best backend that loads, and says once how to get a better one; `chain` fills gaps."""

from __future__ import annotations

import pytest

from altbot.caption import base
from altbot.caption.auto import ChainCaptioner, make_auto
from altbot.caption.base import CaptionerError, CaptionRequest
from altbot.images import ImageData
from altbot.outcome import Caption


class Fake:
    def __init__(self, name, answers):
        self.name, self.model, self.answers, self.seen = name, f"{name}-model", answers, []

    def caption(self, requests):
        self.seen.append([r.image.name for r in requests])
        return [Caption(self.answers.get(r.image.name), 0.5, self.name, self.model, reason="nothing") for r in requests]


def req(name):
    return CaptionRequest(ImageData(name, b"", name, None, name))


def test_chain_asks_the_next_only_for_gaps():
    a = Fake("a", {"x.png": "From metadata"})
    b = Fake("b", {"y.png": "From the model"})
    got = ChainCaptioner([a, b]).caption([req("x.png"), req("y.png"), req("z.png")])
    assert [c.text for c in got] == ["From metadata", "From the model", None]
    assert b.seen == [["y.png", "z.png"]]
    assert got[2].reason == "a: nothing; b: nothing"


@pytest.fixture
def registry(monkeypatch):
    reg = dict(base._REGISTRY)
    monkeypatch.setattr(base, "_REGISTRY", reg)
    monkeypatch.setattr(base, "_LAZY", {})
    reg["metadata"] = lambda **kw: Fake("metadata", {})
    reg["filename"] = lambda **kw: Fake("filename", {})
    return reg


def test_auto_uses_transformers_when_it_loads(registry):
    registry["transformers"] = lambda **kw: Fake("transformers", {})
    warnings = []
    got = make_auto(warn=warnings.append)
    assert [c.name for c in got.captioners] == ["metadata", "transformers"] and warnings == []


def test_auto_falls_back_to_offline_with_one_warning(registry):
    def broken(**kw):
        raise CaptionerError("model 'florence-2-base' is not in the Hugging Face cache")

    registry["transformers"] = broken
    registry["offline"] = lambda **kw: Fake("offline", {})
    warnings = []
    got = make_auto(warn=warnings.append)
    assert [c.name for c in got.captioners] == ["offline"]
    assert len(warnings) == 1 and "florence-2-base" in warnings[0] and "offline tier" in warnings[0]


def test_auto_without_extras_uses_metadata_and_file_names(registry, monkeypatch):
    from altbot.caption import auto

    monkeypatch.setattr(auto, "missing_caption_packages", lambda: ["torch", "rapidocr"])

    def missing(**kw):
        raise CaptionerError("needs packages that are not installed (torch)")

    registry["transformers"] = missing
    registry["offline"] = missing
    warnings = []
    got = make_auto(warn=warnings.append)
    assert [c.name for c in got.captioners] == ["metadata", "filename"]
    assert "pip install 'altbot[caption]'" in warnings[0]


def test_unknown_backend_lists_known_ones():
    with pytest.raises(CaptionerError, match="choose one of: .*filename"):
        base.get_captioner("nope")


def test_no_model_download_unless_the_user_opts_in(registry, tmp_path, monkeypatch, capsys):
    from altbot.cli import main

    seen = []

    def transformers(**kw):
        seen.append(kw.get("local_files_only"))
        raise CaptionerError("not in the cache")

    registry["transformers"] = transformers
    registry["offline"] = lambda **kw: Fake("offline", {})
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text("![](a.png)\n")
    main(["fix", ".", "--no-cache"])
    capsys.readouterr()
    assert seen == []  # nothing to caption (the image is missing): no model is even loaded
    from tests.conftest import photo

    photo(tmp_path / "a.png")
    main(["fix", ".", "--no-cache"])
    main(["fix", ".", "--no-cache", "--allow-download"])
    capsys.readouterr()
    assert seen == [True, False]


HF_ERROR = (
    "cannot load captioning model 'florence-2-base' (florence-community/Florence-2-base): We couldn't connect to "
    "'https://huggingface.co' to load the files, and couldn't find them in the cached files. To get it, run altbot "
    "once with --allow-download, or download it with `hf download florence-community/Florence-2-base` "
    + "(older huggingface_hub: huggingface-cli download …) " * 10
)


def test_fallback_notice_is_one_short_line_with_the_right_remedy(registry, monkeypatch):
    from altbot.caption import auto

    def broken(**kw):
        raise CaptionerError(HF_ERROR)

    def no_ocr(**kw):
        raise CaptionerError("offline captioner cannot load its models: OCR needs the rapidocr package: pip install 'altbot[caption]'")

    registry["transformers"] = broken
    registry["offline"] = lambda **kw: Fake("offline", {})
    warnings = []
    make_auto(warn=warnings.append)
    (msg,) = warnings
    assert "\n" not in msg and len(msg) <= auto.NOTICE_MAX
    assert "offline tier" in msg and "hf download florence-community/Florence-2-base" in msg
    assert "pip install" not in msg  # the extras are installed: no wrong hint

    registry["offline"] = no_ocr
    monkeypatch.setattr(auto, "missing_caption_packages", lambda: [])
    warnings.clear()
    make_auto(warn=warnings.append)
    assert "pip install" not in warnings[0] and "rapidocr" in warnings[0] and len(warnings[0]) <= auto.NOTICE_MAX

    monkeypatch.setattr(auto, "missing_caption_packages", lambda: ["rapidocr", "torch"])
    warnings.clear()
    make_auto(warn=warnings.append)
    assert "pip install 'altbot[caption]'" in warnings[0] and "rapidocr, torch missing" in warnings[0]


def test_missing_caption_packages_checks_this_machine(monkeypatch):
    import importlib.util

    from altbot.caption import auto

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "rapidocr" else real(name, *a))
    assert "rapidocr" in auto.missing_caption_packages()
