"""Local captioning with Hugging Face ``transformers`` models.

The constructor resolves the model (short name, Hub id or local directory),
detects its family from the config and loads model + processor once; ``caption``
then runs batched generation. torch/transformers are imported inside the class
only, so importing this module stays cheap (``altbot check`` never pays for it).

Families:

* ``blip``     — BLIP captioning (``BlipForConditionalGeneration`` + ``BlipProcessor``), English.
* ``git``      — GIT (``AutoModelForCausalLM`` + processor), English.
* ``vision-encoder-decoder`` — ViT+GPT-2 style (vit-gpt2, distilvit), English.
* ``florence2`` — transformers-native Florence-2 (``<CAPTION>`` task, plus ``<OCR>``), English.
* ``chat``     — chat VLMs (SmolVLM/Idefics3, Qwen2-VL/Qwen2.5-VL, ...) through
  ``AutoModelForImageTextToText`` + the processor's chat template and the versioned
  prompt of :mod:`altbot.caption.prompt`; they answer in the requested language.
* ``paligemma`` — PaliGemma's task prefix ``caption <lang>`` (multilingual captions).

Confidence: generation runs with ``output_scores=True, return_dict_in_generate=True``;
the per-step scores are turned into log-probabilities (log-softmax) and
``model.compute_transition_scores`` picks the log-probability of each token of
the chosen sequence (following beam indices under beam search). The confidence
is ``exp(mean token log-prob)`` over the generated tokens up to and including
the first end-of-sequence token: the geometric-mean token probability, in
``[0, 1]``, comparable across caption lengths. It is a measure of the model's
certainty, not of the caption's correctness.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Iterator, Sequence
from typing import Any

from altbot.caption.base import CaptionerError, CaptionRequest, register
from altbot.caption.prompt import DECORATIVE, alt_text_prompt
from altbot.outcome import Caption
from altbot.tags import primary

BACKEND = "transformers"

#: Short names accepted by ``--model``, pinned to Hub ids.
MODEL_ALIASES: dict[str, str] = {
    "blip-base": "Salesforce/blip-image-captioning-base",
    "blip-large": "Salesforce/blip-image-captioning-large",
    "florence-2-base": "florence-community/Florence-2-base",
    "florence-2-large": "florence-community/Florence-2-large",
    "git-base": "microsoft/git-base-coco",
    "vit-gpt2": "nlpconnect/vit-gpt2-image-captioning",
    "distilvit": "Mozilla/distilvit",
    "smolvlm": "HuggingFaceTB/SmolVLM-256M-Instruct",
    "qwen2.5-vl": "Qwen/Qwen2.5-VL-3B-Instruct",
    "paligemma": "google/paligemma2-3b-mix-224",
}

#: Florence-2-base: best published COCO caption quality per parameter (0.23B), runs on CPU;
#: see the README's "Models" section.
DEFAULT_MODEL = "florence-2-base"

MAX_IMAGE_SIDE = 768
LOW_CONFIDENCE = 0.5

# model_type (from config.json) → family
_FAMILIES: dict[str, str] = {
    "blip": "blip",
    "git": "git",
    "vision-encoder-decoder": "vision-encoder-decoder",
    "florence2": "florence2",
    "paligemma": "paligemma",
}
_CHAT_MODEL_TYPES = frozenset(
    {
        "idefics2",
        "idefics3",
        "smolvlm",
        "qwen2_vl",
        "qwen2_5_vl",
        "qwen3_vl",
        "llava",
        "llava_next",
        "llava_onevision",
        "gemma3",
    }
)
_ENGLISH_ONLY = frozenset({"blip", "git", "vision-encoder-decoder", "florence2"})
_DECODER_ONLY = frozenset({"git", "chat", "paligemma"})

SUPPORTED_FAMILIES = (
    "BLIP (blip), GIT (git), VisionEncoderDecoder (vision-encoder-decoder), Florence-2 (florence2), "
    "PaliGemma (paligemma), chat VLMs (" + ", ".join(sorted(_CHAT_MODEL_TYPES)) + ")"
)

_FLORENCE_CAPTION = "<CAPTION>"
_FLORENCE_DETAILED = "<DETAILED_CAPTION>"
_FLORENCE_MORE_DETAILED = "<MORE_DETAILED_CAPTION>"
_FLORENCE_OCR = "<OCR>"


# -- helpers that need no torch ---------------------------------------------------


def resolve_model(model: str) -> str:
    """Short name → pinned Hub id; anything else (Hub id, directory) unchanged."""
    key = model.strip()
    return MODEL_ALIASES.get(key.lower(), key)


def family_of(model_type: str | None) -> str | None:
    if model_type in _FAMILIES:
        return _FAMILIES[model_type]
    if model_type in _CHAT_MODEL_TYPES:
        return "chat"
    return None


def load_pil_image(data: bytes, max_side: int = MAX_IMAGE_SIDE):
    """Decode image bytes: EXIF orientation applied, RGB (alpha over white), long side ≤ ``max_side``."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as im:
        im.seek(0)  # first frame of animations
        im = ImageOps.exif_transpose(im)
        if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
            rgba = im.convert("RGBA")
            out = Image.new("RGB", rgba.size, (255, 255, 255))
            out.paste(rgba, mask=rgba.getchannel("A"))
        else:
            out = im.convert("RGB")
    if max(out.size) > max_side:
        out.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return out


def choose_device(torch: Any, device: str | None = None) -> str:
    """``device`` if given, else cuda → mps → cpu, whichever is available first."""
    if device:
        return device
    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return "cpu"


def choose_dtype(torch: Any, device: str, dtype: str | None = None):
    """``dtype`` if given (e.g. "float16", "bfloat16", "float32"), else bfloat16 (CUDA with
    bf16 support) / float16 (other GPUs, MPS) / float32 (CPU)."""
    if dtype:
        value = getattr(torch, dtype.strip().lower().removeprefix("torch."), None)
        if not isinstance(value, torch.dtype):
            raise CaptionerError(f"unknown dtype {dtype!r}; use float32, float16 or bfloat16")
        return value
    kind = device.split(":", 1)[0]
    if kind == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if kind == "mps":
        return torch.float16
    return torch.float32


def _is_path_like(s: str) -> bool:
    return os.path.isdir(s) or s.startswith((".", "/", "~")) or (os.sep != "/" and os.sep in s) or s.count("/") > 1


def _model_class_for(model_id: str, family: str | None) -> str:
    low = model_id.lower()
    if family == "blip" or (family is None and "blip" in low):
        return "BlipForConditionalGeneration"
    if family == "git" or (family is None and "/git-" in low):
        return "AutoModelForCausalLM"
    if family == "vision-encoder-decoder" or (family is None and ("vit-gpt2" in low or "distilvit" in low)):
        return "VisionEncoderDecoderModel"
    return "AutoModelForImageTextToText"


def _remedy(model_id: str, family: str | None = None) -> str:
    """How to get a model that could not be loaded (shown after the error)."""
    if _is_path_like(model_id):
        what = "does not exist" if not os.path.exists(model_id) else "is not a complete model directory"
        return (
            f"{model_id} {what}: --model takes a directory written by save_pretrained (config.json, weights, "
            f"processor/tokenizer files), a Hub id, or a short name ({', '.join(MODEL_ALIASES)})"
        )
    cls = _model_class_for(model_id, family)
    hint = (
        f"To get it, run altbot once with --allow-download, or download it with `hf download {model_id}` "
        f"(`huggingface-cli download {model_id}` with older huggingface_hub) or `python -c 'from transformers import "
        f'AutoProcessor, {cls}; AutoProcessor.from_pretrained("{model_id}"); {cls}.from_pretrained("{model_id}")\'` '
        "on a machine with internet (files go to the Hugging Face cache: $HF_HOME, default ~/.cache/huggingface), "
        "or point --model at a local directory"
    )
    if model_id.lower().startswith("microsoft/florence-2"):
        hint += "; Florence-2 needs the transformers-native checkpoints, e.g. florence-community/Florence-2-base"
    return hint


def _short_error(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()
    first = msg[0].strip() if msg else ""
    if not first:
        first = type(exc).__name__
    if "torchvision" in str(exc).lower():
        first += " (this model's processor needs torchvision: pip install torchvision)"
    first = first.rstrip(".;")
    return first if len(first) <= 300 else first[:297] + "..."


def _decode_error(exc: BaseException) -> str:
    from PIL import UnidentifiedImageError

    if isinstance(exc, UnidentifiedImageError):
        return "not a format Pillow can read (corrupt, truncated, or SVG/AVIF without a plugin)"
    return f"{type(exc).__name__}: {_short_error(exc)}"


def _is_decorative(text: str) -> bool:
    return text.strip().strip("\"'`*.!").strip().upper() == DECORATIVE


def _context_text(req: CaptionRequest) -> str | None:
    if not req.context:
        return None
    return "; ".join(f"{k}: {v}" for k, v in req.context if v)


# -- the backend ------------------------------------------------------------------


@register("transformers")
class TransformersCaptioner:
    """Captions images with a local transformers model; see the module docstring."""

    name = BACKEND

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        device: str | None = None,
        dtype: str | None = None,
        batch_size: int = 8,
        local_files_only: bool | None = None,
        cache_dir: str | None = None,
        max_new_tokens: int = 40,
        num_beams: int = 3,
        ocr: bool = True,
    ) -> None:
        # Without permission to download, the Hub's offline switches are held while the model
        # loads: local_files_only alone still lets huggingface_hub look up huggingface.co.
        from altbot.caption.hub import offline

        with offline(local_files_only is True):
            self._setup(model, device, dtype, batch_size, local_files_only, cache_dir, max_new_tokens, num_beams, ocr)

    def _setup(
        self,
        model: str,
        device: str | None,
        dtype: str | None,
        batch_size: int,
        local_files_only: bool | None,
        cache_dir: str | None,
        max_new_tokens: int,
        num_beams: int,
        ocr: bool,
    ) -> None:
        try:
            import torch
            import transformers
        except ImportError as exc:
            raise CaptionerError(
                f"the transformers captioner needs torch and transformers ({exc.name or exc} is missing): "
                "pip install 'altbot[caption]'"
            ) from None
        if batch_size < 1:
            raise CaptionerError("batch_size must be at least 1")
        if max_new_tokens < 1 or num_beams < 1:
            raise CaptionerError("max_new_tokens and num_beams must be at least 1")
        self._torch = torch
        requested = (model or DEFAULT_MODEL).strip()
        self.model_id = resolve_model(requested)
        shown = repr(self.model_id) if requested == self.model_id else f"{requested!r} ({self.model_id})"
        self.model = self.model_id
        self.batch_size = batch_size
        self.max_new_tokens = max_new_tokens
        self.num_beams = num_beams
        self.ocr = ocr
        self.device = choose_device(torch, device)
        self.dtype = choose_dtype(torch, self.device, dtype)

        if _is_path_like(self.model_id) and not os.path.exists(os.path.expanduser(self.model_id)):
            raise CaptionerError(f"cannot load captioning model {shown}: {_remedy(self.model_id)}")
        if self.model_id.startswith("~"):
            self.model_id = self.model = os.path.expanduser(self.model_id)

        hub_kw: dict[str, Any] = {}
        if local_files_only is not None:
            hub_kw["local_files_only"] = local_files_only
        if cache_dir is not None:
            hub_kw["cache_dir"] = cache_dir

        self.family: str | None = None
        try:
            config = transformers.AutoConfig.from_pretrained(self.model_id, **hub_kw)
        except Exception as exc:
            raise CaptionerError(
                f"cannot load captioning model {shown}: {_short_error(exc)}. {_remedy(self.model_id)}"
            ) from None
        self.model_type = getattr(config, "model_type", None)
        self.family = family_of(self.model_type)
        # English-only families read the pixels alone; prompted ones the language, chat VLMs the page too
        self.uses = frozenset() if self.family in _ENGLISH_ONLY else (
            frozenset({"lang", "context"}) if self.family == "chat" else frozenset({"lang"})
        )
        if self.family is None:
            raise CaptionerError(
                f"model {shown} has model_type {self.model_type!r}, which the transformers captioner "
                f"does not support; supported families: {SUPPORTED_FAMILIES}"
            )
        try:
            self._load(transformers, config, hub_kw)
        except CaptionerError:
            raise
        except Exception as exc:
            import importlib.util

            need_tv = ""
            if self.family in ("chat", "paligemma") and importlib.util.find_spec("torchvision") is None:
                # transformers 5 builds video processors (Qwen-VL, SmolVLM2 ...) with torchvision only
                need_tv = " (this model's processor may need torchvision: pip install torchvision)"
            raise CaptionerError(
                f"cannot load captioning model {shown} ({self.family}): {_short_error(exc)}{need_tv}. "
                f"{_remedy(self.model_id, self.family)}"
            ) from None

    # -- loading ----------------------------------------------------------------

    def _load(self, transformers: Any, config: Any, hub_kw: dict[str, Any]) -> None:
        fam = self.family
        model_kw = dict(hub_kw, dtype=self.dtype)
        self.processor = None
        self.image_processor = None
        if fam == "blip":
            self.processor = transformers.BlipProcessor.from_pretrained(self.model_id, **hub_kw)
            self.net = transformers.BlipForConditionalGeneration.from_pretrained(self.model_id, **model_kw)
            self.tokenizer = self.processor.tokenizer
        elif fam == "git":
            self.processor = transformers.AutoProcessor.from_pretrained(self.model_id, **hub_kw)
            self.net = transformers.AutoModelForCausalLM.from_pretrained(self.model_id, **model_kw)
            self.tokenizer = self.processor.tokenizer
        elif fam == "vision-encoder-decoder":
            self.image_processor = transformers.AutoImageProcessor.from_pretrained(self.model_id, **hub_kw)
            self.tokenizer = transformers.AutoTokenizer.from_pretrained(self.model_id, **hub_kw)
            self.net = transformers.VisionEncoderDecoderModel.from_pretrained(self.model_id, **model_kw)
        else:  # florence2, chat, paligemma
            self.processor = transformers.AutoProcessor.from_pretrained(self.model_id, **hub_kw)
            self.net = transformers.AutoModelForImageTextToText.from_pretrained(self.model_id, **model_kw)
            self.tokenizer = getattr(self.processor, "tokenizer", self.processor)
            if fam == "chat" and not getattr(self.processor, "chat_template", None):
                raise CaptionerError(
                    f"chat model {self.model_id!r} has no chat template in its processor; "
                    "use an -Instruct checkpoint"
                )
        if fam in _DECODER_ONLY and self.tokenizer is not None:
            self.tokenizer.padding_side = "left"  # generation continues on the right
        if self.tokenizer is not None and self.tokenizer.pad_token_id is None and self.tokenizer.eos_token is not None:
            self.tokenizer.pad_token = self.tokenizer.eos_token  # GPT-2 decoders have no pad token
        self.net.to(self.device)
        self.net.eval()
        self._stop_ids = self._collect_stop_ids()

    def _collect_stop_ids(self) -> set[int]:
        ids: set[int] = set()

        def add(v: Any) -> None:
            if isinstance(v, int):
                ids.add(v)
            elif isinstance(v, (list, tuple)):
                ids.update(x for x in v if isinstance(x, int))

        gc = getattr(self.net, "generation_config", None)
        add(getattr(gc, "eos_token_id", None))
        text_cfg = self.net.config.get_text_config() if hasattr(self.net.config, "get_text_config") else None
        if self.family == "blip" and text_cfg is not None:
            add(getattr(text_cfg, "sep_token_id", None))  # BLIP stops on [SEP]
        if self.tokenizer is not None:
            add(self.tokenizer.eos_token_id)
        return ids

    # -- captioning -------------------------------------------------------------

    def caption(self, requests: Sequence[CaptionRequest]) -> list[Caption]:
        return list(self.iter_captions(requests))

    def iter_captions(self, requests: Sequence[CaptionRequest]) -> Iterator[Caption]:
        """Captions in order, yielded after each model batch (so a cache keeps them if the run stops)."""
        results: list[Caption | None] = [None] * len(requests)
        done = 0

        def ready_prefix() -> Iterator[Caption]:
            nonlocal done
            while done < len(results) and results[done] is not None:
                yield results[done]  # type: ignore[misc]
                done += 1

        ready: list[tuple[int, Any]] = []
        for i, req in enumerate(requests):
            try:
                ready.append((i, load_pil_image(req.image.data)))
            except Exception as exc:  # Pillow raises many types for bad data
                results[i] = self._failure(f"cannot decode image: {_decode_error(exc)}")
        yield from ready_prefix()
        for start in range(0, len(ready), self.batch_size):
            chunk = ready[start : start + self.batch_size]
            try:
                caps = self._caption_batch([requests[i] for i, _ in chunk], [img for _, img in chunk])
            except Exception:
                # one image may break the whole batch: retry one by one so the others still get captions
                caps = []
                for i, img in chunk:
                    try:
                        caps.extend(self._caption_batch([requests[i]], [img]))
                    except Exception as exc:
                        caps.append(self._failure(f"captioning failed: {type(exc).__name__}: {_short_error(exc)}"))
            for (i, _), cap in zip(chunk, caps):
                results[i] = cap
            for i, _ in chunk:
                if results[i] is None:
                    results[i] = self._failure("no caption produced")
            yield from ready_prefix()
        yield from ready_prefix()

    def _failure(self, reason: str) -> Caption:
        return Caption(text=None, confidence=None, backend=BACKEND, model=self.model_id, reason=reason)

    def _caption_batch(self, reqs: list[CaptionRequest], images: list[Any]) -> list[Caption]:
        fam = self.family
        if fam == "florence2":
            return self._florence(reqs, images)
        if fam == "blip":
            inputs = self.processor(images=images, return_tensors="pt")
        elif fam == "git":
            inputs = self.processor(images=images, return_tensors="pt")
        elif fam == "vision-encoder-decoder":
            inputs = self.image_processor(images=images, return_tensors="pt")
        elif fam == "paligemma":
            prompts = [f"<image>caption {primary(self._lang(r))}" for r in reqs]
            inputs = self.processor(text=prompts, images=images, return_tensors="pt", padding=True)
        else:  # chat
            prompts = [self._chat_text(r) for r in reqs]
            inputs = self.processor(text=prompts, images=[[im] for im in images], return_tensors="pt", padding=True)
        texts, confs = self._generate(inputs)
        return [self._make_caption(r, t, c) for r, t, c in zip(reqs, texts, confs)]

    def _lang(self, req: CaptionRequest) -> str:
        return req.lang or "en"

    def _chat_text(self, req: CaptionRequest) -> str:
        prompt = alt_text_prompt(req.lang, req.max_length, _context_text(req))
        messages = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": prompt}]}]
        return self.processor.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)

    def _florence_task(self, max_length: int) -> str:
        if max_length <= 200:
            return _FLORENCE_CAPTION
        if max_length <= 400:
            return _FLORENCE_DETAILED
        return _FLORENCE_MORE_DETAILED

    def _florence(self, reqs: list[CaptionRequest], images: list[Any]) -> list[Caption]:
        tasks = [self._florence_task(r.max_length) for r in reqs]
        n = len(images)
        all_images = list(images)
        if self.ocr:
            tasks += [_FLORENCE_OCR] * n
            all_images += list(images)
        inputs = self.processor(text=tasks, images=all_images, return_tensors="pt", padding=True)
        texts, confs = self._generate(inputs)
        out = []
        for k, req in enumerate(reqs):
            ocr = None
            if self.ocr:
                ocr = texts[n + k].strip() or None
            out.append(self._make_caption(req, texts[k], confs[k], ocr_text=ocr))
        return out

    def _make_caption(self, req: CaptionRequest, text: str, conf: float | None, ocr_text: str | None = None) -> Caption:
        text = " ".join(text.split())
        decorative = self.family == "chat" and _is_decorative(text)
        lang = "en" if self.family in _ENGLISH_ONLY else self._lang(req)
        if not text and not decorative:
            return Caption(
                text=None,
                confidence=conf,
                backend=BACKEND,
                model=self.model_id,
                lang=lang,
                ocr_text=ocr_text,
                reason="the model produced an empty caption",
            )
        return Caption(
            text="" if decorative else text,
            confidence=conf,
            backend=BACKEND,
            model=self.model_id,
            lang=lang,
            ocr_text=ocr_text,
            decorative=decorative,
            low_confidence=conf is None or conf < LOW_CONFIDENCE,
        )

    def _generate(self, inputs: Any) -> tuple[list[str], list[float | None]]:
        torch = self._torch
        batch = {}
        for k, v in dict(inputs).items():
            if isinstance(v, torch.Tensor):
                v = v.to(self.device)
                if v.is_floating_point():
                    v = v.to(self.dtype)
            batch[k] = v
        gen_kw: dict[str, Any] = dict(
            max_new_tokens=self.max_new_tokens,
            num_beams=self.num_beams,
            do_sample=False,
            output_scores=True,
            return_dict_in_generate=True,
        )
        gc = getattr(self.net, "generation_config", None)
        if (
            self.family != "blip"  # BLIP's generate passes its own pad/eos ids
            and getattr(gc, "pad_token_id", None) is None
            and self.tokenizer is not None
            and self.tokenizer.pad_token_id is not None
        ):
            gen_kw["pad_token_id"] = self.tokenizer.pad_token_id
        with torch.inference_mode():
            out = self.net.generate(**batch, **gen_kw)
        sequences = out.sequences
        scores = out.scores or ()
        n_gen = len(scores)
        transition = None
        if n_gen:
            try:
                logprobs = tuple(torch.log_softmax(s.float(), dim=-1) for s in scores)
                transition = self.net.compute_transition_scores(
                    sequences, logprobs, getattr(out, "beam_indices", None), normalize_logits=False
                )
                n_gen = transition.shape[1]
            except Exception:
                transition = None
        generated = sequences[:, sequences.shape[1] - n_gen :] if n_gen else sequences[:, :0]
        texts: list[str] = []
        confs: list[float | None] = []
        for row in range(generated.shape[0]):
            ids = generated[row].tolist()
            length = len(ids)
            for j, tok in enumerate(ids):
                if tok in self._stop_ids:
                    length = j + 1
                    break
            texts.append(self.tokenizer.decode(ids[:length], skip_special_tokens=True).strip())
            conf = None
            if transition is not None and length:
                vals = transition[row, :length].float()
                mean = vals.mean().item()
                if math.isfinite(mean):
                    conf = min(1.0, max(0.0, math.exp(mean)))
                else:
                    conf = 0.0
            confs.append(conf)
        return texts, confs
