"""The transformers captioner, end to end on tiny random-weight models built here.

Nothing is downloaded: every model is written with ``save_pretrained`` into a tmp
dir and loaded through ``TransformersCaptioner(model=<dir>)``, with the Hub offline.
"""

from __future__ import annotations

import io
import json
import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

os.environ["HF_HUB_OFFLINE"] = "1"  # before huggingface_hub is imported: nothing may hit the network

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from PIL import Image  # noqa: E402

from altbot.caption.base import CaptionerError, CaptionRequest  # noqa: E402
from altbot.caption.prompt import DECORATIVE, language_name  # noqa: E402
from altbot.caption.transformers_backend import (  # noqa: E402
    DEFAULT_MODEL,
    MODEL_ALIASES,
    TransformersCaptioner,
    choose_device,
    choose_dtype,
    load_pil_image,
    resolve_model,
)
from altbot.images import ImageData, content_key  # noqa: E402

import tiny_models  # noqa: E402  (tests/ is on sys.path under pytest's rootdir conftest)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _offline(monkeypatch):
    import huggingface_hub.constants as hc

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(hc, "HF_HUB_OFFLINE", True)


def _image(color=(200, 30, 30), size=(48, 36), fmt="PNG", **save) -> ImageData:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, fmt, **save)
    data = buf.getvalue()
    return ImageData(content_key(data), data, "test", None, f"x.{fmt.lower()}")


BAD = ImageData(content_key(b"not an image"), b"not an image", "test", None, "bad.png")

# family name → (builder, English-only)
FAMILIES = {
    "blip": (tiny_models.build_blip, True),
    "git": (tiny_models.build_git, True),
    "vision-encoder-decoder": (tiny_models.build_vision_encoder_decoder, True),
    "florence2": (tiny_models.build_florence2, True),
    "chat": (tiny_models.build_idefics3, False),
    "paligemma": (tiny_models.build_paligemma, False),
}


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    """Tiny models are fastest on one thread, and the CI machine's cores are shared."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="session")
def model_dirs(tmp_path_factory):
    import huggingface_hub.constants as hc

    hc.HF_HUB_OFFLINE = True
    out = {}
    for fam, (build, _) in FAMILIES.items():
        out[fam] = build(str(tmp_path_factory.mktemp(fam.replace("-", "_"))))
    return out


@pytest.fixture(scope="session")
def captioners(model_dirs):
    return {
        fam: TransformersCaptioner(model=path, batch_size=2, max_new_tokens=6, num_beams=2)
        for fam, path in model_dirs.items()
    }


class GenerateSpy:
    """Wraps ``net.generate``: records the kwargs and outputs of every call."""

    def __init__(self, net):
        self.orig = net.generate
        self.calls = []

    def __call__(self, **kw):
        out = self.orig(**kw)
        self.calls.append((kw, out))
        return out


@pytest.fixture
def spy(monkeypatch):
    def attach(cap):
        s = GenerateSpy(cap.net)
        monkeypatch.setattr(cap.net, "generate", s)
        return s

    return attach


# -- import hygiene, names, choices -----------------------------------------------


def test_importing_the_module_does_not_import_torch():
    code = (
        "import sys, json\n"
        "import altbot.caption.transformers_backend as m\n"
        "print(json.dumps([x for x in ('torch', 'transformers', 'numpy') if x in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_missing_torch_gives_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` now raises ImportError
    with pytest.raises(CaptionerError, match=r"pip install 'altbot\[caption\]'"):
        TransformersCaptioner("blip-base")


def test_short_names_map_to_pinned_ids():
    assert resolve_model("blip-base") == "Salesforce/blip-image-captioning-base"
    assert resolve_model("blip-large") == "Salesforce/blip-image-captioning-large"
    assert resolve_model("florence-2-base") == "florence-community/Florence-2-base"
    assert resolve_model("Florence-2-Large") == "florence-community/Florence-2-large"
    assert resolve_model("git-base") == "microsoft/git-base-coco"
    assert resolve_model("vit-gpt2") == "nlpconnect/vit-gpt2-image-captioning"
    assert resolve_model("distilvit") == "Mozilla/distilvit"
    assert resolve_model("smolvlm") == "HuggingFaceTB/SmolVLM-256M-Instruct"
    assert resolve_model("qwen2.5-vl") == "Qwen/Qwen2.5-VL-3B-Instruct"
    assert resolve_model("paligemma").startswith("google/paligemma")
    assert resolve_model("someone/some-model") == "someone/some-model"
    assert resolve_model("/models/blip") == "/models/blip"
    assert DEFAULT_MODEL in MODEL_ALIASES
    assert all("/" in v for v in MODEL_ALIASES.values())


def test_short_name_goes_to_the_hub_id_and_error_names_both(tmp_path, monkeypatch):
    with pytest.raises(CaptionerError) as err:
        TransformersCaptioner("blip-base", cache_dir=str(tmp_path), local_files_only=True)
    msg = str(err.value)
    assert "'blip-base' (Salesforce/blip-image-captioning-base)" in msg
    assert "download Salesforce/blip-image-captioning-base" in msg
    assert "--model" in msg


def test_device_chooser_prefers_cuda_then_mps_then_cpu():
    import torch

    def fake(cuda=False, mps=False, bf16=True):
        return SimpleNamespace(
            cuda=SimpleNamespace(is_available=lambda: cuda, is_bf16_supported=lambda: bf16),
            backends=SimpleNamespace(mps=SimpleNamespace(is_available=lambda: mps)),
            dtype=torch.dtype,
            float16=torch.float16,
            bfloat16=torch.bfloat16,
            float32=torch.float32,
        )

    assert choose_device(fake(cuda=True, mps=True)) == "cuda"
    assert choose_device(fake(mps=True)) == "mps"
    assert choose_device(fake()) == "cpu"
    assert choose_device(fake(cuda=True), "cpu") == "cpu"
    assert choose_dtype(fake(), "cuda") is torch.bfloat16
    assert choose_dtype(fake(bf16=False), "cuda:1") is torch.float16
    assert choose_dtype(fake(), "mps") is torch.float16
    assert choose_dtype(fake(), "cpu") is torch.float32
    assert choose_dtype(fake(), "cuda", "float32") is torch.float32
    assert choose_dtype(torch, "cpu", "torch.bfloat16") is torch.bfloat16
    with pytest.raises(CaptionerError, match="unknown dtype"):
        choose_dtype(torch, "cpu", "float7")


def test_load_pil_image_orients_flattens_and_downscales():
    im = Image.new("RGB", (2000, 1000), (10, 20, 30))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° on display
    buf = io.BytesIO()
    im.save(buf, "JPEG", exif=exif)
    out = load_pil_image(buf.getvalue())
    assert out.mode == "RGB" and out.size == (384, 768)

    buf = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(buf, "PNG")
    flat = load_pil_image(buf.getvalue())
    assert flat.mode == "RGB" and flat.getpixel((5, 5)) == (255, 255, 255)


# -- the families, loaded from local dirs offline -------------------------------


@pytest.mark.parametrize("family", list(FAMILIES))
def test_family_loads_offline_and_captions_a_batch_in_order(family, captioners, model_dirs, spy):
    cap = captioners[family]
    assert cap.family == family
    assert cap.name == "transformers" and cap.model == model_dirs[family]
    assert cap.device == "cpu" and str(cap.dtype) == "torch.float32"
    assert next(cap.net.parameters()).dtype.is_floating_point

    images = [_image((250, 0, 0), (48, 36)), _image((0, 0, 250), (900, 300), "JPEG"), _image((0, 200, 0), (20, 64))]
    s = spy(cap)
    got = cap.caption([CaptionRequest(im, lang="de") for im in images])
    assert len(got) == 3
    per_call = 2 if family == "florence2" else 1  # Florence-2 runs <CAPTION> and <OCR> in one generate call
    assert [kw["pixel_values"].shape[0] for kw, _ in s.calls] == [
        2 * per_call,
        1 * per_call,
    ]
    english_only = FAMILIES[family][1]
    for c in got:
        assert c.reason is None and c.text, c
        assert c.backend == "transformers" and c.model == model_dirs[family]
        assert c.lang == ("en" if english_only else "de")
        assert 0.0 <= c.confidence <= 1.0
        assert c.low_confidence is (c.confidence < 0.5)
        assert c.text == c.text.strip()
    # same captions and scores one by one: the batch kept the order
    for im, c in zip(images, got):
        (single,) = cap.caption([CaptionRequest(im, lang="de")])
        assert single.text == c.text
        assert single.confidence == pytest.approx(c.confidence, rel=1e-3)


@pytest.mark.parametrize("family", list(FAMILIES))
def test_bad_image_gets_a_reason_and_the_others_go_on(family, captioners):
    cap = captioners[family]
    got = cap.caption([CaptionRequest(_image()), CaptionRequest(BAD), CaptionRequest(_image((1, 2, 3)))])
    assert got[1].text is None and got[1].reason.startswith("cannot decode image")
    assert got[0].text and got[2].text


def test_captions_are_yielded_after_each_model_batch(captioners, spy):
    """So that the cache keeps the batches already done when a run is interrupted (issue 9)."""
    cap = captioners["blip"]  # batch_size=2
    s = spy(cap)
    stream = cap.iter_captions([CaptionRequest(BAD)] + [CaptionRequest(_image((40 * i, 0, 0))) for i in range(4)])
    assert next(stream).reason.startswith("cannot decode image") and s.calls == []  # known before any generation
    assert next(stream).text and len(s.calls) == 1
    assert next(stream).text and len(s.calls) == 1  # the rest of the first batch
    assert [c.text is not None for c in stream] == [True, True] and len(s.calls) == 2


def test_a_failure_inside_generation_only_costs_that_image(captioners, monkeypatch):
    cap = captioners["blip"]
    orig = cap._caption_batch

    def flaky(reqs, images):
        if any(im.size == (13, 13) for im in images):
            raise RuntimeError("boom")
        return orig(reqs, images)

    monkeypatch.setattr(cap, "_caption_batch", flaky)
    got = cap.caption([CaptionRequest(_image()), CaptionRequest(_image(size=(13, 13))), CaptionRequest(_image())])
    assert got[0].text and got[2].text
    assert got[1].text is None and "boom" in got[1].reason


def test_max_new_tokens_and_beams_reach_generate(model_dirs, spy):
    cap = TransformersCaptioner(model=model_dirs["blip"], max_new_tokens=3, num_beams=1)
    s = spy(cap)
    cap.caption([CaptionRequest(_image())])
    kw, out = s.calls[0]
    assert kw["max_new_tokens"] == 3 and kw["num_beams"] == 1
    assert kw["output_scores"] and kw["return_dict_in_generate"]
    assert len(out.scores) <= 3


def test_confidence_is_exp_mean_token_logprob(model_dirs, spy):
    import torch

    cap = TransformersCaptioner(model=model_dirs["blip"], max_new_tokens=5, num_beams=1)
    s = spy(cap)
    (c,) = cap.caption([CaptionRequest(_image())])
    _, out = s.calls[0]
    gen = out.sequences[0, -len(out.scores) :].tolist()
    logps = []
    for step, tok in enumerate(gen):
        logps.append(torch.log_softmax(out.scores[step][0].float(), -1)[tok].item())
        if tok in cap._stop_ids:
            break
    assert c.confidence == pytest.approx(math.exp(sum(logps) / len(logps)), rel=1e-5)


def test_beam_search_confidence_matches_the_sequence_score(model_dirs, spy):
    cap = TransformersCaptioner(model=model_dirs["blip"], max_new_tokens=5, num_beams=3)
    s = spy(cap)
    (c,) = cap.caption([CaptionRequest(_image())])
    _, out = s.calls[0]
    # length_penalty 1.0: the beam score is the mean token log-prob of the chosen beam
    assert c.confidence == pytest.approx(math.exp(out.sequences_scores[0].item()), rel=1e-3)


# -- family specifics ------------------------------------------------------------


def test_chat_prompt_has_language_length_and_decorative_rule(captioners, monkeypatch):
    cap = captioners["chat"]
    seen = []
    orig = cap.processor.__class__.__call__

    def recording(self, *a, **kw):
        seen.extend(kw.get("text") or [])
        return orig(self, *a, **kw)

    monkeypatch.setattr(cap.processor.__class__, "__call__", recording)
    req = CaptionRequest(_image(), lang="fr", max_length=80, context=(("page title", "Nos bureaux"),))
    (c,) = cap.caption([req])
    assert c.lang == "fr"
    (prompt,) = seen
    assert f"answer in {language_name('fr')}." in prompt  # "French" with langcodes installed, else "fr"
    assert "at most 80 characters" in prompt
    assert f"answer exactly {DECORATIVE}" in prompt
    assert "Nos bureaux" in prompt
    assert "<image>" in prompt and prompt.rstrip().endswith("assistant")


def test_paligemma_asks_for_a_caption_in_the_page_language(captioners, monkeypatch):
    cap = captioners["paligemma"]
    seen = []
    orig = cap.processor.__class__.__call__

    def recording(self, *a, **kw):
        seen.append(list(kw.get("text")))
        return orig(self, *a, **kw)

    monkeypatch.setattr(cap.processor.__class__, "__call__", recording)
    got = cap.caption([CaptionRequest(_image(), lang="pt-BR"), CaptionRequest(_image((3, 3, 3)))])
    assert seen == [["<image>caption pt", "<image>caption en"]]
    assert [c.lang for c in got] == ["pt-BR", "en"]
    assert all(c.text and "caption" not in c.text for c in got)


def test_chat_answer_decorative_marks_the_caption(captioners, monkeypatch):
    cap = captioners["chat"]
    monkeypatch.setattr(cap, "_generate", lambda inputs: ([" DECORATIVE.", "A red square."], [0.9, 0.2]))
    got = cap.caption([CaptionRequest(_image(), lang="es"), CaptionRequest(_image((0, 0, 9)), lang="es")])
    assert got[0].decorative and got[0].text == "" and got[0].lang == "es" and not got[0].low_confidence
    assert not got[1].decorative and got[1].text == "A red square." and got[1].low_confidence


def test_english_only_family_ignores_decorative_and_keeps_english(captioners, monkeypatch):
    cap = captioners["blip"]
    monkeypatch.setattr(cap, "_generate", lambda inputs: (["decorative"], [0.7]))
    (c,) = cap.caption([CaptionRequest(_image(), lang="ja")])
    assert c.text == "decorative" and not c.decorative and c.lang == "en"


def test_florence_runs_caption_and_ocr_tasks(captioners, monkeypatch):
    cap = captioners["florence2"]
    seen = []
    orig = cap.processor.__class__.__call__

    def recording(self, *a, **kw):
        seen.append(list(kw.get("text")))
        return orig(self, *a, **kw)

    monkeypatch.setattr(cap.processor.__class__, "__call__", recording)
    (c,) = cap.caption([CaptionRequest(_image())])
    assert seen == [["<CAPTION>", "<OCR>"]]
    assert c.ocr_text is None or c.ocr_text == c.ocr_text.strip()
    seen.clear()
    cap.caption([CaptionRequest(_image(), max_length=300)])
    assert seen == [["<DETAILED_CAPTION>", "<OCR>"]]


def test_empty_output_is_a_reason_not_a_caption(captioners, monkeypatch):
    cap = captioners["git"]
    monkeypatch.setattr(cap, "_generate", lambda inputs: (["  "], [0.4]))
    (c,) = cap.caption([CaptionRequest(_image())])
    assert c.text is None and "empty" in c.reason


# -- loading errors ---------------------------------------------------------------


def test_unknown_architecture_names_model_type_and_families(tmp_path):
    from transformers import BertConfig

    BertConfig(hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=37).save_pretrained(
        tmp_path
    )
    with pytest.raises(CaptionerError) as err:
        TransformersCaptioner(str(tmp_path))
    msg = str(err.value)
    assert "'bert'" in msg and "BLIP" in msg and "Florence-2" in msg and "idefics3" in msg


def test_missing_local_directory(tmp_path):
    missing = str(tmp_path / "nope")
    with pytest.raises(CaptionerError, match="does not exist") as err:
        TransformersCaptioner(missing)
    assert missing in str(err.value) and "save_pretrained" in str(err.value)


def test_corrupt_local_directory(tmp_path, model_dirs):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text(Path(model_dirs["blip"], "config.json").read_text())
    with pytest.raises(CaptionerError) as err:
        TransformersCaptioner(str(broken))
    assert str(broken) in str(err.value) and "not a complete model directory" in str(err.value)


def test_offline_with_empty_cache_names_the_model_and_the_remedy(tmp_path):
    """A fresh process, as a user would run it: HF_HUB_OFFLINE=1 and an empty HF_HOME."""
    code = textwrap.dedent(
        """
        from altbot.caption.base import CaptionerError
        from altbot.caption.transformers_backend import TransformersCaptioner
        for name in ("florence-2-base", "nobody/no-such-captioner"):
            try:
                TransformersCaptioner(name)
            except CaptionerError as exc:
                print(exc)
            else:
                print("LOADED")
        """
    )
    env = dict(os.environ, HF_HUB_OFFLINE="1", HF_HOME=str(tmp_path / "hf"), HF_HUB_DISABLE_TELEMETRY="1")
    env.pop("HF_HUB_CACHE", None)
    env.pop("TRANSFORMERS_CACHE", None)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    first, second = out.stdout.strip().splitlines()
    assert "florence-community/Florence-2-base" in first and "'florence-2-base'" in first
    assert "hf download florence-community/Florence-2-base" in first
    assert "huggingface-cli download florence-community/Florence-2-base" in first
    assert "point --model at a local directory" in first
    assert "nobody/no-such-captioner" in second and "download" in second
    assert "LOADED" not in out.stdout
