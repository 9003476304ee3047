"""Translate English-only captions into the page's language with a local MT model.

BLIP, GIT, Florence-2 and the ViT+GPT-2 family caption in English only (``Caption(lang="en")``).
:class:`TranslatingCaptioner` wraps such a captioner and translates each caption whose language
differs from the request's ``lang`` (primary subtags compared: ``en-GB`` needs no translation from
``en``) with a :class:`Translator`: MarianMT (``Helsinki-NLP/opus-mt-en-<xx>``) where a dedicated
English→xx model exists, M2M100 (``facebook/m2m100_418M``) for the other languages. Models come
from the Hugging Face cache or a local directory written by ``save_pretrained``; they are loaded
once, lazily, on first use.

Text read from the image is never translated: ``ocr_text`` is kept as is, quoted segments of the
caption (``Sign reading "GRAND OPENING SALE"``) and literal occurrences of ``ocr_text`` are
replaced by placeholders before translation and restored after. When the model mangles a
placeholder, only the description is translated and the quote is appended again.

Wrapping order with the cache::

    CachedCaptioner(TranslatingCaptioner(inner), cache)

The cache then stores translated captions keyed by language. ``TranslatingCaptioner.model`` is
``"<inner model> + translation@<fingerprint>"``; the fingerprint hashes the route of every language
(and the generation settings), so changing the table or downloading a model gives new cache keys.

torch/transformers are imported on first translation only: importing this module is cheap.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from altbot.caption.base import CaptionerError, CaptionRequest, Captioner, iter_captions, request_key, uses
from altbot.caption.text import collapse_whitespace, quoted_spans, with_ocr
from altbot.tags import primary as primary_lang
from altbot.outcome import Caption

M2M100_MODEL = "facebook/m2m100_418M"

#: Dedicated English→xx MarianMT models (Helsinki-NLP, CC-BY 4.0). Languages not listed here go to
#: M2M100. Japanese deliberately goes to M2M100: ``opus-mt-en-jap`` is trained on a small Bible corpus.
MARIAN_MODELS: dict[str, str] = {
    lang: f"Helsinki-NLP/opus-mt-en-{lang}"
    for lang in ("de", "fr", "es", "it", "nl", "sv", "fi", "da", "ru", "zh", "ar", "cs", "ro", "uk", "hi", "id", "vi")
}

#: Marian models that translate into several languages need a ``>>code<<`` token first; when the
#: vocabulary has tokens like that, the first of these that exists is used (then ``>>{primary}<<``).
_MARIAN_TARGET_TOKENS: dict[str, tuple[str, ...]] = {
    "zh": ("cmn_Hans", "zho_Hans", "cmn", "zho"),
    "zh-hant": ("cmn_Hant", "zho_Hant"),
    "zh-tw": ("cmn_Hant", "zho_Hant"),
    "zh-hk": ("cmn_Hant", "yue_Hant", "zho_Hant"),
    "ja": ("jpn",),
    "pt-br": ("pt_BR", "pt"),
}
# Tatoeba-challenge Marian models spell targets in ISO 639-3 (``>>ara<<``, ``>>deu<<``)
_ISO3 = {
    "ar": "ara", "cs": "ces", "da": "dan", "de": "deu", "el": "ell", "es": "spa", "fi": "fin", "fr": "fra",
    "he": "heb", "hi": "hin", "id": "ind", "it": "ita", "ja": "jpn", "ko": "kor", "nl": "nld", "pl": "pol",
    "pt": "por", "ro": "ron", "ru": "rus", "sv": "swe", "tr": "tur", "uk": "ukr", "vi": "vie", "zh": "cmn_Hans",
}  # fmt: skip

#: M2M100's 100 languages (``__xx__`` tokens), as in transformers' M2M100Tokenizer.
M2M100_LANGS = frozenset(
    "af am ar ast az ba be bg bn br bs ca ceb cs cy da de el en es et fa ff fi fr fy ga gd gl gu ha he hi hr ht "
    "hu hy id ig ilo is it ja jv ka kk km kn ko lb lg ln lo lt lv mg mk ml mn mr ms my ne nl no ns oc or pa pl "
    "ps pt ro ru sd si sk sl so sq sr ss su sv sw ta th tl tn tr uk ur uz vi wo xh yi yo zh zu".split()
)
# BCP 47 primary subtags that M2M100 spells differently
_M2M_ALIASES = {"nb": "no", "nn": "no", "iw": "he", "in": "id", "ji": "yi", "fil": "tl", "jw": "jv", "nso": "ns"}

FALLBACK_KEY = "*"  # in the user table: the multilingual fallback model ("" disables it)
SUPPORTED_TYPES = ("marian", "m2m_100")
NO_ROUTE = "no translation model for {lang}; configure one under [tool.altbot.translation]"

_PH_PREFIXES = ("XQ", "QZ", "ZX", "KQ")
_TRUTHY = {"1", "true", "yes", "on"}


# -- helpers (no torch) -------------------------------------------------------------------------


def normalize_lang(lang: str | None) -> str:
    """``"pt_BR"`` → ``"pt-br"``; ``None`` → ``""``."""
    return (lang or "").strip().replace("_", "-").lower()


def m2m100_code(lang: str | None) -> str | None:
    """BCP 47 tag → M2M100 language code, or None when M2M100 does not know the language."""
    p = primary_lang(lang)
    if not p:
        return None
    p = _M2M_ALIASES.get(p, p)
    return p if p in M2M100_LANGS else None


def hub_offline() -> bool:
    """``HF_HUB_OFFLINE`` / ``TRANSFORMERS_OFFLINE`` set: never contact the Hub."""
    return any(os.environ.get(v, "").strip().lower() in _TRUTHY for v in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


def _is_path_like(s: str) -> bool:
    return os.path.isdir(os.path.expanduser(s)) or s.startswith((".", "/", "~")) or (os.sep != "/" and os.sep in s) or s.count("/") > 1


def _short_error(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    first = (lines[0].strip() if lines else "") or type(exc).__name__
    first = first.rstrip(".;")
    return first if len(first) <= 300 else first[:297] + "..."


def remedy(model_id: str, lang: str | None = None) -> str:
    """How to get a translation model that could not be loaded."""
    key = lang or "<lang>"
    if _is_path_like(model_id):
        path = os.path.expanduser(model_id)
        what = "does not exist" if not os.path.exists(path) else "is not a complete model directory"
        return (
            f"{model_id} {what}: a translation model is a Hub id or a directory written by save_pretrained "
            f"(config.json, weights, tokenizer files); set it under [tool.altbot.translation] ({key} = \"...\")"
        )
    return (
        f"To get it, download it once with `hf download {model_id}` (`huggingface-cli download {model_id}` with older "
        "huggingface_hub) on a machine with internet; files go to the Hugging Face cache ($HF_HOME, default "
        "~/.cache/huggingface), which can be copied to an offline machine. Or save it to a local directory and set "
        f"[tool.altbot.translation] {key} = \"/path/to/dir\""
    )


class _TranslatorLike(Protocol):
    def route(self, target: str, source: str = "en") -> str | None: ...

    def translate(self, texts: list[str], target: str, source: str = "en") -> list[str]: ...


@dataclass
class _Loaded:
    model_id: str
    kind: str  # "marian" | "m2m_100"
    tokenizer: Any
    net: Any
    device: str


# -- the translator ------------------------------------------------------------------------------


class Translator:
    """Language → model table, lazy model loading, batched translation.

    ``models`` overrides/extends the defaults: ``{"fr": "Helsinki-NLP/opus-mt-en-fr", "pt-br": "/models/en-pt"}``
    (keys are BCP 47 tags, matched by full tag first, then primary subtag; a value of ``""`` removes the
    language; the key ``"*"`` sets the multilingual fallback, ``"*": ""`` disables it). ``fallback`` is
    the multilingual model for languages without a dedicated one (None: none). ``defaults=False`` drops
    the built-in MarianMT table. Mapped models translate from English; other source languages go to the
    fallback (M2M100 translates between any two of its languages).
    """

    def __init__(
        self,
        models: Mapping[str, str | None] | None = None,
        *,
        fallback: str | None = M2M100_MODEL,
        defaults: bool = True,
        device: str | None = None,
        dtype: str | None = None,
        batch_size: int = 8,
        max_new_tokens: int = 96,
        num_beams: int = 4,
        local_files_only: bool | None = None,
        cache_dir: str | None = None,
    ) -> None:
        if batch_size < 1 or max_new_tokens < 1 or num_beams < 1:
            raise CaptionerError("batch_size, max_new_tokens and num_beams must be at least 1")
        table: dict[str, str | None] = dict(MARIAN_MODELS) if defaults else {}
        self.defaults = frozenset(table)
        self.fallback = fallback or None
        self.user: dict[str, str | None] = {}
        for key, value in (models or {}).items():
            value = (value or "").strip() or None
            if key.strip() == FALLBACK_KEY:
                self.fallback = value
                continue
            lang = normalize_lang(key)
            if not lang or not re.fullmatch(r"[a-z]{2,8}(-[a-z0-9]{1,8})*", lang):
                raise CaptionerError(f"[tool.altbot.translation]: {key!r} is not a language tag (e.g. fr, pt-BR)")
            self.user[lang] = value
            table[lang] = value
        self.table = table
        self.device_opt = device
        self.dtype_opt = dtype
        self.batch_size = batch_size
        self.max_new_tokens = max_new_tokens
        self.num_beams = num_beams
        self.local_files_only = local_files_only
        self.cache_dir = cache_dir
        self._loaded: dict[str, _Loaded] = {}
        self._available: dict[str, bool] = {}
        self._lock = threading.RLock()

    # -- routing -----------------------------------------------------------------------------

    @property
    def offline(self) -> bool:
        return bool(self.local_files_only) or hub_offline()

    def is_available(self, model_id: str) -> bool:
        """True when ``model_id`` loads without a download: a local directory with a config.json, or a
        Hub id whose config.json is in the Hugging Face cache. (Weights are checked when loading.)"""
        with self._lock:
            if model_id not in self._available:
                self._available[model_id] = self._check_available(model_id)
            return self._available[model_id]

    def _check_available(self, model_id: str) -> bool:
        if _is_path_like(model_id):
            return os.path.isfile(os.path.join(os.path.expanduser(model_id), "config.json"))
        try:
            from huggingface_hub import try_to_load_from_cache
        except ImportError:
            return False
        try:
            found = try_to_load_from_cache(model_id, "config.json", cache_dir=self.cache_dir)
        except Exception:  # noqa: BLE001 - a malformed id is simply "not available"
            return False
        return isinstance(found, str)

    def _fallback_for(self, target: str, source: str) -> str | None:
        if self.fallback and m2m100_code(target) and m2m100_code(source):
            return self.fallback
        return None

    def candidates(self, target: str, source: str = "en") -> list[str]:
        """Models that could translate ``source`` → ``target``, preferred first (availability not checked).

        A user mapping is the only candidate (it is what the user asked for). A language from the
        defaults has its MarianMT model, then the fallback."""
        tgt = normalize_lang(target)
        if not tgt or primary_lang(tgt) == primary_lang(source):
            return []
        if primary_lang(source) != "en":
            fb = self._fallback_for(tgt, source)
            return [fb] if fb else []
        for key in (tgt, primary_lang(tgt)):
            if key in self.user:
                value = self.user[key]
                return [value] if value else []
        out: list[str] = []
        for key in (tgt, primary_lang(tgt)):
            if key in self.table and self.table[key]:
                out.append(self.table[key])  # type: ignore[arg-type]
                break
        fb = self._fallback_for(tgt, source)
        if fb and fb not in out:
            out.append(fb)
        return out

    def route(self, target: str, source: str = "en") -> str | None:
        """The model that would translate ``source`` → ``target``, or None (no route).

        A user mapping is always the route (loading it may then fail with a CaptionerError that says how
        to get it). For the defaults: online, the first candidate (downloaded on first use); offline
        (``HF_HUB_OFFLINE=1`` or ``local_files_only``), the first candidate that is in the cache / on disk.
        """
        cands = self.candidates(target, source)
        if not cands:
            return None
        tgt = normalize_lang(target)
        if primary_lang(source) == "en" and any(k in self.user for k in (tgt, primary_lang(tgt))):
            return cands[0]
        if not self.offline:
            return cands[0]
        for model_id in cands:
            if model_id in self._loaded or self.is_available(model_id):
                return model_id
        return None

    def no_route_reason(self, target: str, source: str = "en") -> str:
        reason = NO_ROUTE.format(lang=target)
        cands = self.candidates(target, source)
        if cands:
            reason += f" (or download the default once: hf download {cands[0]})"
        return reason

    def fingerprint(self) -> str:
        """Short hash of every language's route and the generation settings (part of cache keys)."""
        langs = sorted(set(self.table) | set(self.user) | M2M100_LANGS)
        parts = [f"{lang}={self.route(lang) or ''}" for lang in langs]
        parts.append(f"beams={self.num_beams};max={self.max_new_tokens}")
        return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:10]

    # -- loading -------------------------------------------------------------------------------

    def load(self, model_id: str, lang: str | None = None) -> _Loaded:
        """Load ``model_id`` once (later calls return the same objects)."""
        with self._lock:
            got = self._loaded.get(model_id)
            if got is None:
                got = self._loaded[model_id] = self._load(model_id, lang)
            return got

    def _load(self, model_id: str, lang: str | None) -> _Loaded:
        from altbot.caption.hub import offline

        # offline: the Hub's switches are held while loading (local_files_only alone still looks up the Hub)
        with offline(self.offline):
            return self._load_model(model_id, lang)

    def _load_model(self, model_id: str, lang: str | None) -> _Loaded:
        try:
            import torch
            import transformers
        except ImportError as exc:
            raise CaptionerError(
                f"translation needs torch and transformers ({exc.name or exc} is missing): pip install 'altbot[caption]'"
            ) from None
        from altbot.caption.transformers_backend import choose_device, choose_dtype

        for_lang = f" (for {lang})" if lang else ""
        path = os.path.expanduser(model_id)
        if _is_path_like(model_id) and not os.path.isdir(path):
            raise CaptionerError(f"cannot load translation model {model_id!r}{for_lang}: {remedy(model_id, lang)}")
        hub_kw: dict[str, Any] = {}
        if self.offline:
            hub_kw["local_files_only"] = True  # never a download attempt, whatever huggingface_hub read at import
        elif self.local_files_only is not None:
            hub_kw["local_files_only"] = self.local_files_only
        if self.cache_dir is not None:
            hub_kw["cache_dir"] = self.cache_dir
        device = choose_device(torch, self.device_opt)
        dtype = choose_dtype(torch, device, self.dtype_opt)
        try:
            config = transformers.AutoConfig.from_pretrained(path, **hub_kw)
            kind = getattr(config, "model_type", None)
            if kind not in SUPPORTED_TYPES:
                raise CaptionerError(
                    f"translation model {model_id!r}{for_lang} has model_type {kind!r}; supported: MarianMT (marian) "
                    "and M2M100 (m2m_100)"
                )
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*sacremoses.*")
                tokenizer = transformers.AutoTokenizer.from_pretrained(path, **hub_kw)
            net = transformers.AutoModelForSeq2SeqLM.from_pretrained(path, dtype=dtype, **hub_kw)
        except CaptionerError:
            raise
        except Exception as exc:
            raise CaptionerError(
                f"cannot load translation model {model_id!r}{for_lang}: {_short_error(exc)}. {remedy(model_id, lang)}"
            ) from None
        net.to(device)
        net.eval()
        return _Loaded(model_id, kind, tokenizer, net, device)

    # -- translation ----------------------------------------------------------------------------

    def _target_setup(self, m: _Loaded, target: str, source: str) -> tuple[str, dict[str, Any]]:
        """(prefix for each source text, extra generate() arguments) for ``target``."""
        tok = m.tokenizer
        if m.kind == "m2m_100":
            tgt, src = m2m100_code(target), m2m100_code(source)
            get_id = getattr(tok, "get_lang_id", None)
            if get_id is None or tgt is None or src is None:
                raise CaptionerError(
                    f"translation model {m.model_id!r} has no language token for {target if tgt is None else source!r}"
                )
            try:
                tok.src_lang = src
                forced = get_id(tgt)
            except (KeyError, ValueError):
                raise CaptionerError(f"translation model {m.model_id!r} has no language token for {target!r}") from None
            return "", {"forced_bos_token_id": forced}
        codes = list(getattr(tok, "supported_language_codes", None) or [])
        if not codes:
            return "", {}
        tgt = normalize_lang(target)
        wanted = [*_MARIAN_TARGET_TOKENS.get(tgt, ()), *_MARIAN_TARGET_TOKENS.get(primary_lang(tgt) or "", ())]
        wanted += [target.replace("-", "_"), primary_lang(tgt) or "", _ISO3.get(primary_lang(tgt) or "", "")]
        for code in wanted:
            if code and f">>{code}<<" in codes:
                return f">>{code}<< ", {}
        raise CaptionerError(
            f"translation model {m.model_id!r} translates into several languages but has no >>code<< token for "
            f"{target!r} (it has {', '.join(codes[:12])}{' ...' if len(codes) > 12 else ''})"
        )

    def generate(self, texts: Sequence[str], target: str, source: str = "en") -> tuple[_Loaded, list[list[int]]]:
        """Token ids generated for ``texts`` (in order, one list each); what ``translate`` decodes."""
        model_id = self.route(target, source)
        if model_id is None:
            raise CaptionerError(self.no_route_reason(target, source))
        m = self.load(model_id, normalize_lang(target))
        if not texts:
            return m, []
        torch = __import__("torch")
        with self._lock:  # the tokenizer's src_lang is state
            prefix, gen_kw = self._target_setup(m, target, source)
            order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths share a batch
            out: list[list[int]] = [[] for _ in texts]
            for start in range(0, len(order), self.batch_size):
                idx = order[start : start + self.batch_size]
                batch = [prefix + collapse_whitespace(texts[i]) for i in idx]
                enc = m.tokenizer(batch, return_tensors="pt", padding=True, truncation=True, max_length=256)
                enc = {k: v.to(m.device) for k, v in enc.items()}
                try:
                    with torch.inference_mode():
                        seqs = m.net.generate(
                            **enc,
                            max_new_tokens=self.max_new_tokens,
                            num_beams=self.num_beams,
                            do_sample=False,
                            **gen_kw,
                        )
                except Exception as exc:  # noqa: BLE001 - shown as a CaptionerError
                    raise CaptionerError(f"translation with {model_id!r} failed: {_short_error(exc)}") from None
                for i, row in zip(idx, seqs.tolist()):
                    out[i] = row
        return m, out

    def translate(self, texts: list[str], target: str, source: str = "en") -> list[str]:
        """One translation per text, in order. Raises CaptionerError when there is no route or the model
        cannot be loaded."""
        if not texts:
            return []
        m, seqs = self.generate(texts, target, source)
        skip = _special_ids(m.tokenizer)
        return [
            collapse_whitespace(m.tokenizer.decode([t for t in s if t not in skip], skip_special_tokens=True))
            for s in seqs
        ]


def _special_ids(tok: Any) -> frozenset[int]:
    """Ids never shown in a translation: special tokens, M2M100's ``__xx__`` language tokens (the forced
    first token; transformers 5 does not count them as special) and Marian's ``>>xx<<`` tokens."""
    ids = set(getattr(tok, "all_special_ids", None) or [])
    ids.update((getattr(tok, "lang_token_to_id", None) or {}).values())
    for code in getattr(tok, "supported_language_codes", None) or []:
        ids.add(tok.convert_tokens_to_ids(code))
    return frozenset(i for i in ids if isinstance(i, int))


# -- protecting verbatim text -------------------------------------------------------------------

_QUOTE_STYLE: dict[str, tuple[str, str]] = {
    "en": ('"', '"'),
    "fr": ("« ", " »"),
    "de": ("„", "“"),
    "es": ("«", "»"),
    "it": ("«", "»"),
    "pt": ("«", "»"),
    "ca": ("«", "»"),
    "ru": ("«", "»"),
    "uk": ("«", "»"),
    "nl": ("“", "”"),
    "pl": ("„", "”"),
    "cs": ("„", "“"),
    "da": ("»", "«"),
    "sv": ("”", "”"),
    "fi": ("”", "”"),
    "ja": ("「", "」"),
    "zh": ("“", "”"),
}
# languages text.with_ocr has phrasing for ("Panneau avec le texte « … »"); others get "description: « … »"
_WITH_OCR_LANGS = frozenset({"en", "fr", "de", "es", "it", "pt", "nl", "ja", "zh"})
_ANY_QUOTE = "\"'«»‹›„“”‘’「」『』"


def quote(text: str, lang: str | None) -> str:
    """``text`` in the quotation marks of ``lang`` (``"x"`` when unknown)."""
    left, right = _QUOTE_STYLE.get(primary_lang(lang) or "", ('"', '"'))
    return f"{left}{text}{right}"


def _unquote(segment: str) -> str:
    return segment[1:-1].strip() if len(segment) >= 2 else segment


@dataclass
class _Protected:
    original: str
    masked: str  # the caption with placeholders
    slots: list[tuple[str, str]]  # (placeholder, verbatim text without quotes)
    description: str  # the caption without the verbatim parts (fallback translation input)


def protect(text: str, ocr_text: str | None = None) -> _Protected:
    """Replace quoted segments and literal ``ocr_text`` by placeholders (``XQ1``, ``XQ2`` ...)."""
    prefix = next((p for p in _PH_PREFIXES if p.lower() not in text.lower()), "XQ")
    spans = quoted_spans(text)
    ocr = collapse_whitespace(ocr_text) if ocr_text else ""
    if len(ocr) >= 4:  # the OCR text written out unquoted ("A GRAND OPENING SALE banner"), as whole words
        for m in re.finditer(rf"(?<!\w){re.escape(ocr)}(?!\w)", text):
            i, j = m.span()
            if not any(a < j and i < b for a, b in spans):
                spans.append((i, j))
    spans.sort()
    quoted = set(quoted_spans(text))
    slots: list[tuple[str, str]] = []
    masked: list[str] = []
    desc: list[str] = []
    pos = 0
    for a, b in spans:
        seg = text[a:b]
        inner = _unquote(seg) if (a, b) in quoted else seg
        ph = f"{prefix}{len(slots) + 1}"
        slots.append((ph, inner))
        masked += [text[pos:a], ph]
        desc.append(text[pos:a])
        pos = b
    masked.append(text[pos:])
    desc.append(text[pos:])
    description = collapse_whitespace(" ".join(desc))
    return _Protected(text, "".join(masked), slots, description)


_CONNECTOR_TAIL = re.compile(r"(?:\s*[:,–—-])?\s*(?:\b(?:reading|that reads|which reads|saying|that says|with the (?:text|words)|"
                             r"with text|labeled|labelled|titled|captioned|reads|says|shows)\b)?\s*[:,–—-]?\s*$", re.IGNORECASE)  # fmt: skip


def restore(translated: str, p: _Protected, lang: str | None) -> str | None:
    """Put the verbatim parts back into ``translated`` (in ``lang``'s quotation marks);
    None when a placeholder did not survive exactly once."""
    out = translated
    for ph, verbatim in p.slots:
        q = f"[{re.escape(_ANY_QUOTE)}]"
        pattern = re.compile(rf"(?:{q}\s*)?(?<![A-Za-z0-9]){ph}(?![0-9])(?:\s*{q})?")
        found = pattern.findall(out)
        if len(found) != 1:
            return None
        out = pattern.sub(lambda _m, v=verbatim: quote(v, lang), out, count=1)
    return collapse_whitespace(out)


def reassemble(description: str, p: _Protected, lang: str | None) -> str:
    """Fallback when placeholders did not survive: the translated description, then the verbatim parts."""
    verbatim = [v for _, v in p.slots]
    if len(verbatim) == 1 and primary_lang(lang) in _WITH_OCR_LANGS:
        return with_ocr(description, verbatim[0], 0.0, lang, max_length=None) or verbatim[0]
    quoted = ", ".join(quote(v, lang) for v in verbatim)
    return f"{description.rstrip('.:, ')}: {quoted}" if description else quoted


def _description_for_fallback(p: _Protected) -> str:
    """The caption without its verbatim parts and without a trailing 'reading' / 'with the text'."""
    text = p.description
    if len(p.slots) == 1:
        text = _CONNECTOR_TAIL.sub("", text)
    return collapse_whitespace(text)


# -- the wrapper ------------------------------------------------------------------------------


class TranslatingCaptioner:
    """Wraps a captioner: captions not in the request's language are translated (see the module docstring).

    ``translator`` defaults to ``Translator(models, **translator_options)``. Captions passed through
    unchanged: no request language, a caption with no text/language, a decorative caption, or a caption
    already in the request's language (primary subtags). A caption that *is* the image's own text
    (``text == ocr_text``) is right in any language: it gets the request's ``lang`` untranslated.
    """

    def __init__(
        self,
        inner: Captioner,
        translator: _TranslatorLike | None = None,
        *,
        models: Mapping[str, str | None] | None = None,
        **translator_options: Any,
    ) -> None:
        self.inner = inner
        self.translator = translator if translator is not None else Translator(models, **translator_options)
        fp = getattr(self.translator, "fingerprint", None)
        self._tag = fp() if callable(fp) else type(self.translator).__name__
        self._memo: dict[tuple, Caption] = {}  # the inner captioner's answers this run, by request_key

    @property
    def uses(self) -> frozenset[str]:
        return uses(self.inner) | {"lang"}  # the translation is into the page's language

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def model(self) -> str:
        return f"{self.inner.model or self.inner.name} + translation@{self._tag}"

    def caption(self, requests: Sequence[CaptionRequest]) -> list[Caption]:
        return list(self.iter_captions(requests))

    def iter_captions(self, requests: Sequence[CaptionRequest]) -> Iterator[Caption]:
        """Captions in order, as the inner captioner answers: one that needs no translation passes
        straight on (when nothing before it waits), the others are translated a batch at a time.

        Each image is captioned once per run in the inner captioner's own language, however many
        page languages ask for it (``request_key`` of the inner captioner, which for an
        English-only model leaves the language out); only the translation is per language.
        """
        chunk = max(1, int(getattr(self.translator, "batch_size", 8) or 8))
        keys = [request_key(self.inner, r) for r in requests]
        todo: list[tuple[tuple, CaptionRequest]] = []
        queued: set[tuple] = set()
        for r, k in zip(requests, keys):
            if k not in self._memo and k not in queued:
                queued.add(k)
                todo.append((k, r))
        stream = iter_captions(self.inner, [r for _, r in todo]) if todo else iter(())
        got = 0
        pending: list[tuple[Caption, tuple[str, str, str] | None]] = []
        waiting = 0  # how many of ``pending`` need translating
        for req, k in zip(requests, keys):
            while k not in self._memo:
                try:
                    cap = next(stream)
                except StopIteration:
                    raise CaptionerError(
                        f"captioner {self.inner.name!r} returned {got} captions for {len(todo)} images"
                    ) from None
                self._memo[todo[got][0]] = cap
                got += 1
            cap, group = self._plan(req, self._memo[k])
            if group is None and not pending:
                yield cap
                continue
            pending.append((cap, group))
            waiting += group is not None
            if waiting >= chunk:
                yield from self._flush(pending)
                pending, waiting = [], 0
        if next(stream, None) is not None:
            raise CaptionerError(f"captioner {self.inner.name!r} returned more captions than the {len(todo)} images")
        yield from self._flush(pending)

    def _plan(self, req: CaptionRequest, cap: Caption) -> tuple[Caption, tuple[str, str, str] | None]:
        """(the caption, None) when it is final, else (it, (model, source, target)) to translate."""
        target = (req.lang or "").strip()
        src = primary_lang(cap.lang)
        if not target or not src or cap.decorative or not cap.text or src == primary_lang(target):
            return cap, None
        ocr = collapse_whitespace(cap.ocr_text) if cap.ocr_text else ""
        if ocr and collapse_whitespace(cap.text).strip(_ANY_QUOTE + " ") == ocr:
            return replace(cap, lang=target), None  # the image's own words: verbatim in any language
        model_id = self.translator.route(target, src)
        if model_id is None:
            reason = getattr(self.translator, "no_route_reason", None)
            why = reason(target, src) if callable(reason) else NO_ROUTE.format(lang=target)
            return replace(cap, reason=why), None
        return cap, (model_id, src, target)

    def _flush(self, pending: list[tuple[Caption, tuple[str, str, str] | None]]) -> list[Caption]:
        """Translate the waiting captions of ``pending``, grouped by (model, source, target); all in order."""
        captions = [cap for cap, _ in pending]
        groups: dict[tuple[str, str, str], list[int]] = {}
        for i, (_, group) in enumerate(pending):
            if group is not None:
                groups.setdefault(group, []).append(i)
        for (model_id, src, target), idx in groups.items():
            translated = self._translate([captions[i] for i in idx], target, src, model_id)
            for i, cap in zip(idx, translated):
                captions[i] = cap
        return captions

    def _translate(self, caps: list[Caption], target: str, source: str, model_id: str) -> list[Caption]:
        prot = [protect(c.text or "", c.ocr_text) for c in caps]
        texts: list[str | None] = [None] * len(caps)
        todo: list[int] = []
        for k, p in enumerate(prot):
            if p.slots and not any(ch.isalpha() for ch in p.description):
                texts[k] = restore(p.masked, p, target)  # nothing but verbatim text: nothing to translate
            else:
                todo.append(k)
        first = self.translator.translate([prot[k].masked for k in todo], target, source) if todo else []
        if len(first) != len(todo):
            raise CaptionerError(f"translation into {target} with {model_id} returned {len(first)} texts for {len(todo)}")
        retry: list[int] = []
        for k, out in zip(todo, first):
            p = prot[k]
            texts[k] = restore(out, p, target) if p.slots else out
            if texts[k] is None:
                retry.append(k)
        if retry:  # placeholders mangled: translate the description alone, then append the verbatim parts
            descs = {k: _description_for_fallback(prot[k]) for k in retry}
            again = [k for k in retry if descs[k]]
            got = dict(zip(again, self.translator.translate([descs[k] for k in again], target, source))) if again else {}
            for k in retry:
                desc = collapse_whitespace(got.get(k, ""))
                # a description that translates to nothing: no caption rather than the quotes alone
                texts[k] = reassemble(desc, prot[k], target) if desc or not descs[k] else None
        out: list[Caption] = []
        for cap, text in zip(caps, texts):
            text = collapse_whitespace(text or "")
            if not text:
                out.append(replace(cap, reason=f"translation into {target} with {model_id} gave no text"))
                continue
            out.append(
                replace(
                    cap,
                    text=text,
                    lang=target,
                    model=f"{cap.model or cap.backend} + {model_id}",
                    low_confidence=True,
                )
            )
        return out
