"""Text in the image, read by the engine that reads the page's script.

Two engines, both local:

* **RapidOCR 3.x** (PP-OCRv6 detection and recognition, ONNX, models inside the
  ``rapidocr`` wheel): Latin-script languages, Chinese and Japanese. Its text
  detector finds text lines in any script, so it also tells where text is when
  another engine has to read it.
* **Tesseract** (the ``tesseract`` binary, 5.x, with one traineddata per
  language): every other script whose traineddata is installed (Cyrillic,
  Greek, Arabic, Hebrew, Devanagari, Thai, Korean …). It reads the line crops
  RapidOCR found, scaled to one height, in one call; without RapidOCR it lays
  out the page itself.

:func:`choose_engine` maps a BCP 47 tag to an engine (pure; :func:`engine_for`
asks this machine what is installed). :class:`OcrReader` reads an image for a
page language and keeps only lines the engine is confident are text, in the
page's script, in boxes shaped like text: shapes, logos and noise give no text
(:func:`accept_line` says why a line was refused).

Importing this module imports neither onnxruntime nor cv2: engines load them
in their constructors.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from altbot.tags import primary

# -- thresholds -------------------------------------------------------------------------

# A line is text when its engine is this sure of it (RapidOCR's own default is 0.5; misreads
# of shapes, textures and logos mostly score 0.5-0.8; rendered and photographed text > 0.9).
MIN_LINE_CONFIDENCE = {"rapidocr": 0.80, "tesseract": 0.70}
# ... and no word in it is below this (one garbled word makes the quote wrong).
MIN_WORD_CONFIDENCE = {"rapidocr": 0.50, "tesseract": 0.40}
# Boxes lower than this fraction of the image height (and than MIN_BOX_PIXELS) are specks.
MIN_LINE_HEIGHT = 0.012
MIN_BOX_PIXELS = 8
# A line whose recognised characters span less than this share of its box lost characters.
MIN_CHAR_SPAN = 0.45
# Detection works on a copy at most this long (PaddleOCR's default; RapidOCR's own default
# *upscales* the short side to 736, slow on 2 cores).
DET_MAX_SIDE = 960
# Tesseract reads line crops scaled to this height (text ~ 28 px: where its LSTM models are surest).
TESS_LINE_HEIGHT = 40
TESS_TIMEOUT = 60  # seconds for one tesseract call

RAPIDOCR_DET_MODEL = "PP-OCRv6_det_small.onnx"
RAPIDOCR_REC_MODEL = "PP-OCRv6_rec_small.onnx"


class OcrUnavailable(RuntimeError):
    """An OCR engine cannot run here (package, binary or model missing): the message says what to install."""


# -- scripts ------------------------------------------------------------------------------

# Unicode name keyword → ISO 15924 code, for letters (first match wins).
_SCRIPT_NAMES = (
    ("LATIN", "Latn"), ("CYRILLIC", "Cyrl"), ("GREEK", "Grek"), ("COPTIC", "Grek"), ("ARMENIAN", "Armn"),
    ("HEBREW", "Hebr"), ("ARABIC", "Arab"), ("SYRIAC", "Syrc"), ("THAANA", "Thaa"), ("DEVANAGARI", "Deva"),
    ("BENGALI", "Beng"), ("GURMUKHI", "Guru"), ("GUJARATI", "Gujr"), ("ORIYA", "Orya"), ("TAMIL", "Taml"),
    ("TELUGU", "Telu"), ("KANNADA", "Knda"), ("MALAYALAM", "Mlym"), ("SINHALA", "Sinh"), ("THAI", "Thai"),
    ("LAO", "Laoo"), ("TIBETAN", "Tibt"), ("MYANMAR", "Mymr"), ("GEORGIAN", "Geor"), ("HANGUL", "Hang"),
    ("ETHIOPIC", "Ethi"), ("KHMER", "Khmr"), ("MONGOLIAN", "Mong"), ("HIRAGANA", "Hira"), ("KATAKANA", "Kana"),
    ("BOPOMOFO", "Bopo"), ("CJK", "Hani"), ("IDEOGRAPH", "Hani"),
)  # fmt: skip

# Page language (primary subtag) → the script its text is written in; anything else is Latin.
LANG_SCRIPT: dict[str, str] = {
    **dict.fromkeys("ru uk be bg sr mk kk ky tg mn ba tt cv ce os".split(), "Cyrl"),
    "el": "Grek", **dict.fromkeys("ar fa ur ps ug sd ckb".split(), "Arab"), **dict.fromkeys("he yi".split(), "Hebr"),
    **dict.fromkeys("hi mr ne sa".split(), "Deva"), **dict.fromkeys("bn as".split(), "Beng"), "pa": "Guru",
    "gu": "Gujr", "or": "Orya", "ta": "Taml", "te": "Telu", "kn": "Knda", "ml": "Mlym", "si": "Sinh",
    "th": "Thai", "lo": "Laoo", "bo": "Tibt", "dz": "Tibt", "my": "Mymr", "ka": "Geor", "hy": "Armn",
    "am": "Ethi", "ti": "Ethi", "km": "Khmr", "ko": "Hang", "ja": "Jpan", "zh": "Hani", "yue": "Hani",
    "dv": "Thaa", "syr": "Syrc",
}  # fmt: skip
_SCRIPT_SUBTAGS = {"latn": "Latn", "cyrl": "Cyrl", "arab": "Arab", "hans": "Hani", "hant": "Hani", "grek": "Grek"}

SCRIPT_NAMES = {
    "Latn": "Latin", "Cyrl": "Cyrillic", "Grek": "Greek", "Arab": "Arabic", "Hebr": "Hebrew", "Deva": "Devanagari",
    "Beng": "Bengali", "Guru": "Gurmukhi", "Gujr": "Gujarati", "Orya": "Odia", "Taml": "Tamil", "Telu": "Telugu",
    "Knda": "Kannada", "Mlym": "Malayalam", "Sinh": "Sinhala", "Thai": "Thai", "Laoo": "Lao", "Tibt": "Tibetan",
    "Mymr": "Myanmar", "Geor": "Georgian", "Armn": "Armenian", "Ethi": "Ethiopic", "Khmr": "Khmer",
    "Hang": "Hangul", "Jpan": "Japanese", "Hani": "Chinese", "Thaa": "Thaana", "Syrc": "Syriac",
}  # fmt: skip

# Letters each page script accepts in a quoted line (Latin words — names, brands — appear everywhere).
_ACCEPTS = {"Latn": {"Latn"}, "Jpan": {"Hani", "Hira", "Kana", "Latn"}, "Hani": {"Hani", "Bopo", "Latn"},
            "Hang": {"Hang", "Hani", "Latn"}}  # fmt: skip


def char_script(ch: str) -> str | None:
    """ISO 15924 script of a letter (None for digits, punctuation, marks, symbols).

    Polytonic Greek (U+1F00-U+1FFF) is ``Grek-poly``: modern Greek never writes it, and
    Tesseract's ``ell`` turns serif capitals into it.
    """
    if not unicodedata.category(ch).startswith("L"):
        return None
    if 0x1F00 <= ord(ch) <= 0x1FFF:
        return "Grek-poly"
    if ch in "ー々〆ヵヶ":
        return "Kana" if ch in "ーヵヶ" else "Hani"
    name = unicodedata.name(ch, "")
    for key, code in _SCRIPT_NAMES:
        if key in name:
            return code
    return "Zyyy"


def script_of(lang: str | None) -> str:
    """The script a page in ``lang`` is written in: a script subtag wins (``sr-Latn``), unknown → Latin."""
    if not lang:
        return "Latn"
    parts = re.split(r"[-_]", lang.strip())
    for sub in parts[1:]:
        if sub.lower() in _SCRIPT_SUBTAGS:
            return _SCRIPT_SUBTAGS[sub.lower()]
    return LANG_SCRIPT.get(parts[0].lower(), "Latn")


def accepted_scripts(script: str) -> set[str]:
    return _ACCEPTS.get(script, {script, "Latn"})


# -- which engine reads which language ---------------------------------------------------------

#: BCP 47 primary subtags that RapidOCR's bundled PP-OCRv6 recogniser reads (its ``ppocrv6_langs``:
#: Chinese, Japanese, English and 47 Latin-script languages). Cyrillic, Greek, Korean, Arabic …
#: are not in it: PP-OCRv6 reads Greek as Latin look-alikes and Cyrillic not at all.
RAPIDOCR_LANGS = frozenset(
    "zh ja en af az bs ca cs cy da de es et eu fi fr ga gl hr hu id is it ku la lb lt lv mi ms mt nl no nb nn "
    "oc pl pt qu rm ro sk sl sq sv sw tl fil tr uz vi".split()
)
_RAPIDOCR_SCRIPTS = {"Latn", "Hani", "Jpan"}

#: BCP 47 primary subtag → Tesseract traineddata (tessdata names are ISO 639-2/T, with script variants).
TESSERACT_CODES: dict[str, str] = {
    "af": "afr", "am": "amh", "ar": "ara", "as": "asm", "az": "aze", "be": "bel", "bg": "bul", "bn": "ben",
    "bo": "bod", "bs": "bos", "ca": "cat", "cs": "ces", "cy": "cym", "da": "dan", "de": "deu", "dv": "div",
    "el": "ell", "en": "eng", "eo": "epo", "es": "spa", "et": "est", "eu": "eus", "fa": "fas", "fi": "fin",
    "fil": "fil", "fr": "fra", "ga": "gle", "gl": "glg", "gu": "guj", "he": "heb", "hi": "hin", "hr": "hrv",
    "hu": "hun", "hy": "hye", "id": "ind", "is": "isl", "it": "ita", "ja": "jpn", "ka": "kat", "kk": "kaz",
    "km": "khm", "kn": "kan", "ko": "kor", "ky": "kir", "lo": "lao", "lt": "lit", "lv": "lav", "mk": "mkd",
    "ml": "mal", "mn": "mon", "mr": "mar", "ms": "msa", "mt": "mlt", "my": "mya", "nb": "nor", "ne": "nep",
    "nl": "nld", "nn": "nor", "no": "nor", "or": "ori", "pa": "pan", "pl": "pol", "ps": "pus", "pt": "por",
    "ro": "ron", "ru": "rus", "sa": "san", "si": "sin", "sk": "slk", "sl": "slv", "sq": "sqi", "sr": "srp",
    "sv": "swe", "sw": "swa", "syr": "syr", "ta": "tam", "te": "tel", "tg": "tgk", "th": "tha", "ti": "tir",
    "tl": "tgl", "tr": "tur", "tt": "tat", "ug": "uig", "uk": "ukr", "ur": "urd", "uz": "uzb", "vi": "vie",
    "yi": "yid", "zh": "chi_sim",
}  # fmt: skip
# script subtags that pick another traineddata
_TESSERACT_SCRIPT_CODES = {("sr", "Latn"): "srp_latn", ("uz", "Cyrl"): "uzb_cyrl", ("az", "Cyrl"): "aze_cyrl"}


def tesseract_code(lang: str | None) -> str | None:
    """The traineddata for ``lang`` (``ru`` → ``rus``, ``zh-Hant`` → ``chi_tra``), or None."""
    p = primary(lang)
    if p is None:
        return None
    script = script_of(lang)
    if p == "zh":
        low = (lang or "").lower()
        return "chi_tra" if any(s in low for s in ("hant", "-tw", "-hk", "-mo")) else "chi_sim"
    return _TESSERACT_SCRIPT_CODES.get((p, script), TESSERACT_CODES.get(p))


def install_hint(code: str) -> str:
    """How to install one traineddata, on the systems the README documents."""
    pack = code.replace("_", "-")
    return f"apt-get install tesseract-ocr-{pack} (Homebrew: brew install tesseract-lang)"


@dataclass(frozen=True)
class EngineChoice:
    """Which engine reads a page language, or why none does."""

    engine: str | None  # "rapidocr", "tesseract" or None
    traineddata: str | None  # tesseract only
    script: str  # ISO 15924 code the text must be in
    reason: str  # why this engine; or, with engine None, what is missing

    @property
    def readable(self) -> bool:
        return self.engine is not None


def choose_engine(lang: str | None, *, rapidocr: bool, tesseract_langs: Iterable[str] = ()) -> EngineChoice:
    """The engine for a page in ``lang``, given what is installed (pure).

    RapidOCR where it reads the script well (Latin-script languages it was trained on,
    Chinese, Japanese, and pages of unknown language, which are read as Latin);
    else Tesseract with the page's traineddata when it is installed; else none.
    """
    installed = frozenset(tesseract_langs)
    p = primary(lang)
    script = script_of(lang)
    code = tesseract_code(lang)
    what = f"{lang} ({SCRIPT_NAMES.get(script, script)} script)" if lang else "unknown language, read as Latin"
    rapid_reads = script in _RAPIDOCR_SCRIPTS and (p is None or p in RAPIDOCR_LANGS or (p == "sr" and script == "Latn"))
    if rapid_reads and rapidocr:
        return EngineChoice("rapidocr", None, script, f"RapidOCR (PP-OCRv6) reads {what}")
    if code and code in installed:
        extra = [code]
        if code == "jpn" and "jpn_vert" in installed:
            extra.append("jpn_vert")
        return EngineChoice("tesseract", "+".join(extra), script, f"Tesseract with {'+'.join(extra)} reads {what}")
    if rapid_reads:  # RapidOCR would read it, but is not installed
        return EngineChoice(None, None, script, "OCR needs the rapidocr package: pip install 'altbot[caption]'")
    if code is None:
        return EngineChoice(None, None, script, f"no OCR engine reads {what}")
    if not installed:
        how = f"install Tesseract and its {code} traineddata: {install_hint(code)}"
    else:
        how = f"install Tesseract's {code} traineddata: {install_hint(code)}"
    return EngineChoice(None, None, script, f"no installed OCR engine reads {what}; {how}")


_TESS_LOCK = threading.Lock()
_TESS_LANGS: dict[str, frozenset[str]] = {}


def tesseract_binary() -> str | None:
    """The tesseract executable (``ALTBOT_TESSERACT`` overrides the PATH lookup; "" disables it)."""
    env = os.environ.get("ALTBOT_TESSERACT")
    if env is not None:
        return (shutil.which(env) or (env if os.path.isfile(env) else None)) if env else None
    return shutil.which("tesseract")


def installed_tesseract_langs(binary: str | None = None) -> frozenset[str]:
    """Traineddata that ``tesseract --list-langs`` reports (cached per binary); empty without tesseract."""
    binary = binary if binary is not None else tesseract_binary()
    if not binary:
        return frozenset()
    with _TESS_LOCK:
        if binary not in _TESS_LANGS:
            try:
                out = subprocess.run(
                    [binary, "--list-langs"], capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL
                )
                lines = (out.stdout or "").splitlines()
                langs = [ln.strip() for ln in lines if ln.strip() and not ln.startswith("List of")]
                _TESS_LANGS[binary] = frozenset(langs) - {"osd"}
            except (OSError, subprocess.SubprocessError):
                _TESS_LANGS[binary] = frozenset()
        return _TESS_LANGS[binary]


def rapidocr_models() -> tuple[str, str] | None:
    """Paths of the PP-OCRv6 models inside the installed rapidocr wheel, or None."""
    import importlib.util

    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.origin:
        return None
    models = os.path.join(os.path.dirname(spec.origin), "models")
    det, rec = os.path.join(models, RAPIDOCR_DET_MODEL), os.path.join(models, RAPIDOCR_REC_MODEL)
    return (det, rec) if os.path.isfile(det) and os.path.isfile(rec) else None


def engine_for(lang: str | None) -> EngineChoice:
    """:func:`choose_engine` with what this machine has installed."""
    return choose_engine(lang, rapidocr=rapidocr_models() is not None, tesseract_langs=installed_tesseract_langs())


# -- results ----------------------------------------------------------------------------------

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in image pixels


@dataclass(frozen=True)
class OcrWord:
    text: str
    confidence: float
    box: Box | None = None


@dataclass(frozen=True)
class OcrLine:
    text: str
    confidence: float
    box: Box
    words: tuple[OcrWord, ...] = ()
    det_score: float | None = None


@dataclass(frozen=True)
class OcrResult:
    text: str  # lines in reading order, joined with spaces ("" when none)
    confidence: float | None  # character-weighted mean line confidence; None without text
    boxes: tuple[OcrLine, ...]
    coverage: float  # fraction of the image area covered by the kept text boxes, 0..1
    engine: str | None = None
    script: str | None = None
    detected: int = 0  # text boxes the detector found (kept or not)
    refused: tuple[str, ...] = ()  # why lines were not kept ("not text", "garbled" …), one per line
    unread: str | None = None  # text is there, but no engine here reads the page's script: why
    partial: int = 0  # lines as large as the kept ones that could not be read reliably (the quote would be incomplete)

    @property
    def words(self) -> int:
        return len(self.text.split())


EMPTY = OcrResult("", None, (), 0.0)


class OcrEngine(Protocol):
    """Reads text lines; the reader filters them."""

    name: str

    def read(self, image, boxes: Sequence[tuple[Box, float]] | None = None) -> list[OcrLine]:
        """Raw lines (text, confidence 0..1, box) of a PIL RGB image; ``boxes`` are detected lines to read."""
        ...


# -- line geometry ----------------------------------------------------------------------------


def _height(box: Box) -> float:
    return box[3] - box[1]


def reading_order(lines: list[OcrLine]) -> list[OcrLine]:
    """Top-to-bottom rows (lines whose vertical centres overlap), left-to-right within a row."""
    return [ln for row in rows_of(lines) for ln in row]


def rows_of(lines: Sequence[OcrLine]) -> list[list[OcrLine]]:
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda ln: (ln.box[1] + ln.box[3]) / 2):
        cy = (line.box[1] + line.box[3]) / 2
        h = _height(line.box)
        if rows:
            last = rows[-1]
            top = min(ln.box[1] for ln in last)
            bottom = max(ln.box[3] for ln in last)
            if abs(cy - (top + bottom) / 2) <= 0.5 * min(h, bottom - top):
                last.append(line)
                continue
        rows.append([line])
    return [sorted(row, key=lambda ln: ln.box[0]) for row in rows]


def _spaceless(ch: str) -> bool:
    s = char_script(ch)
    return s in ("Hani", "Hira", "Kana", "Thai", "Laoo", "Khmr", "Mymr") or (ch in "、。，．！？「」『』（）ー")


def join_words(parts: Sequence[str]) -> str:
    """Join words or box texts: with a space, except between characters of scripts written without spaces."""
    out = ""
    for part in parts:
        if not part:
            continue
        if out and not (_spaceless(out[-1]) and _spaceless(part[0])):
            out += " "
        out += part
    return out


# A detector sometimes splits one line into two boxes; boxes that overlap by more than this
# share of the line height are one word cut in two ("Größ" + "e wählen"), not two words.
SPLIT_WORD_OVERLAP = 0.15
# Boxes further apart than this share of the line height are separate texts (two buttons, columns).
MAX_WORD_GAP = 0.4


def merge_row(row: Sequence[OcrLine]) -> list[OcrLine]:
    """Boxes of one row that continue each other (small gap, same height) become one line."""
    out: list[OcrLine] = []
    for line in row:
        if out:
            prev = out[-1]
            h = min(_height(prev.box), _height(line.box))
            gap = line.box[0] - prev.box[2]
            similar = 0.7 <= _height(line.box) / max(_height(prev.box), 1e-6) <= 1.4
            if similar and gap <= MAX_WORD_GAP * h:
                if gap < -SPLIT_WORD_OVERLAP * h and prev.text[-1:].isalpha() and line.text[:1].isalpha():
                    text = prev.text + line.text
                else:
                    text = join_words([prev.text, line.text])
                n1, n2 = len(prev.text), len(line.text)
                conf = (prev.confidence * n1 + line.confidence * n2) / max(n1 + n2, 1)
                box = (prev.box[0], min(prev.box[1], line.box[1]), line.box[2], max(prev.box[3], line.box[3]))
                det = min((d for d in (prev.det_score, line.det_score) if d is not None), default=None)
                out[-1] = OcrLine(text, conf, box, prev.words + line.words, det)
                continue
        out.append(line)
    return out


def _coverage(lines: Sequence[OcrLine], width: int, height: int) -> float:
    """Union area of the boxes over the image area (rasterised on a grid of ≤ 256 cells a side)."""
    if not lines or width <= 0 or height <= 0:
        return 0.0
    import numpy as np

    scale = min(1.0, 256 / max(width, height))
    gw, gh = max(1, round(width * scale)), max(1, round(height * scale))
    mask = np.zeros((gh, gw), dtype=bool)
    for ln in lines:
        x0, y0, x1, y1 = ln.box
        mask[
            max(0, int(y0 * scale)) : min(gh, int(np.ceil(y1 * scale))),
            max(0, int(x0 * scale)) : min(gw, int(np.ceil(x1 * scale))),
        ] = True
    return float(mask.mean())


# -- normalising and refusing lines -------------------------------------------------------------

# Latin ↔ Cyrillic ↔ Greek look-alikes: a word mixing scripts is set in its majority script
# when every odd letter has a twin there (engines pick the wrong twin; the word is the same).
_TWINS = {
    "Cyrl": dict(zip("AaBCcEeHKMOoPpTXxYyiIjSs", "АаВСсЕеНКМОоРрТХхУуіІјЅѕ")),
    "Grek": dict(zip("ABEHIKMNOPTXYZoνµ", "ΑΒΕΗΙΚΜΝΟΡΤΧΥΖονμ")),
    "Latn": {**{v: k for k, v in zip("AaBCcEeHKMOoPpTXxYyiIjSs", "АаВСсЕеНКМОоРрТХхУуіІјЅѕ")},
             **{v: k for k, v in zip("ABEHIKMNOPTXYZo", "ΑΒΕΗΙΚΜΝΟΡΤΧΥΖο")}},
}  # fmt: skip


def normalise_word(word: str) -> str:
    """NFC; a mixed-script word in its majority script where look-alikes allow (``µ`` → ``μ`` in Greek)."""
    word = unicodedata.normalize("NFC", word)
    scripts = [char_script(c) for c in word]
    if "Grek" in scripts and "µ" in word:  # MICRO SIGN: Tesseract's ell writes it for mu
        word = word.replace("µ", "μ")
        scripts = [char_script(c) for c in word]
    letters = [s for s in scripts if s]
    kinds = set(letters)
    if len(kinds) < 2:
        return word
    major = max(kinds, key=letters.count)
    twins = _TWINS.get(major)
    if not twins:
        return word
    fixed = "".join(twins.get(c, c) if s and s != major else c for c, s in zip(word, scripts))
    return fixed


# Characters that may sit inside a word; anything else between letters means a misread ("γρά]ματα").
_INNER_OK = set("'’‘-‐‑–.·,:/&+@#%_!?")


def _garbled_word(word: str) -> bool:
    core = word.strip("\"'“”„«»‹›()[]{}<>.,;:!?¡¿…|")
    inner = core[1:-1]
    return any(not (c.isalnum() or c in _INNER_OK or unicodedata.category(c).startswith("M")) for c in inner)


def accept_line(line: OcrLine, engine: str, script: str, image_size: tuple[int, int]) -> tuple[OcrLine | None, str]:
    """The line, normalised, if it is text in the page's script; else None and why not."""
    width, height = image_size
    h = _height(line.box)
    if h < max(MIN_BOX_PIXELS, MIN_LINE_HEIGHT * height):
        return None, "too small to be text"
    words = [normalise_word(w) for w in line.text.split()]
    text = " ".join(words) if " " in line.text.strip() else (words[0] if words else "")
    if script in ("Jpan", "Hani"):  # spaces the engine put between CJK characters are not in the image
        text = join_words(words)
    alnum = [c for c in text if c.isalnum()]
    if len(alnum) < 2:
        return None, "one character or none: a shape, not text"
    if len({c.casefold() for c in alnum}) == 1 and len(alnum) >= 3:
        return None, "one character repeated: a row of shapes, not text"
    if line.confidence < MIN_LINE_CONFIDENCE.get(engine, 0.8):
        return None, f"not sure it is text (confidence {line.confidence:.2f})"
    low_words = [w for w in line.words if w.text.strip() and w.confidence < MIN_WORD_CONFIDENCE.get(engine, 0.5)]
    if low_words:
        return None, f"a word read with low confidence ({low_words[0].confidence:.2f})"
    allowed = accepted_scripts(script)
    letters = [s for s in (char_script(c) for c in text) if s]
    if not letters:
        return None, "no letters"
    foreign = sorted({s for s in letters if s not in allowed})
    if foreign:
        return None, f"letters outside the page's script ({', '.join(foreign)})"
    if script not in ("Latn",) and script not in letters and len(letters) <= 2:
        return None, "too short to tell it is text"
    for w in text.split():
        kinds = {s for s in (char_script(c) for c in w) if s}
        if len(kinds) > 1 and not kinds <= {"Hani", "Hira", "Kana", "Latn"} and not kinds <= {"Hang", "Hani"}:
            return None, f"a word mixes scripts ({w!r}): garbled"
        if _garbled_word(w):
            return None, f"a word with stray marks inside ({w!r}): garbled"
    boxed = [w.box for w in line.words if w.box is not None and w.text.strip()]
    width_box = line.box[2] - line.box[0]
    if boxed and width_box > 0 and len(alnum) >= 4 and engine == "rapidocr" and script not in ("Jpan", "Hani"):
        span = sum(b[2] - b[0] for b in boxed) / width_box
        if span < MIN_CHAR_SPAN:
            return None, f"characters cover {span:.0%} of the line: some were not read"
    return replace(line, text=text), ""


# -- RapidOCR ------------------------------------------------------------------------------------


def _bgr(image):
    import numpy as np

    return np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])


def _quad_box(points, width: int, height: int) -> Box:
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    return (max(0.0, min(xs)), max(0.0, min(ys)), min(float(width), max(xs)), min(float(height), max(ys)))


class RapidOcrEngine:
    """RapidOCR 3.x with the PP-OCRv6 models inside its wheel; never downloads anything."""

    name = "rapidocr"

    def __init__(self, threads: int | None = None) -> None:
        try:
            import rapidocr
            from rapidocr import RapidOCR
        except ImportError as exc:
            raise OcrUnavailable(
                f"OCR needs the rapidocr package, 3.10 or newer ({exc.name or exc} is missing): pip install 'altbot[caption]'"
            ) from None
        models = rapidocr_models()
        version = getattr(rapidocr, "__version__", "?")
        if models is None:
            raise OcrUnavailable(
                f"rapidocr {version} has no PP-OCRv6 models in its wheel (altbot never downloads them): "
                "pip install 'rapidocr>=3.10'"
            )
        det, rec = models
        params: dict = {
            "Global.log_level": "error",
            "Global.use_cls": False,  # no 180° classifier: upside-down text is rare on the web
            "Det.limit_type": "max",
            "Det.limit_side_len": DET_MAX_SIDE,
            "Det.model_path": det,
            "Rec.model_path": rec,
        }
        if threads:
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
            params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
        try:
            self._engine = RapidOCR(params=params)
        except Exception as exc:  # noqa: BLE001 - onnxruntime missing, a broken model file …
            raise OcrUnavailable(f"rapidocr {version} cannot load its models: {type(exc).__name__}: {exc}") from None
        self._lock = threading.Lock()

    def detect(self, image) -> list[tuple[Box, float]]:
        """Text-line boxes and detection scores, in any script."""
        width, height = image.size
        with self._lock:
            out = self._engine(_bgr(image), use_det=True, use_cls=False, use_rec=False)
        boxes = getattr(out, "boxes", None)
        if boxes is None:
            return []
        scores = list(getattr(out, "scores", None) or [1.0] * len(boxes))
        return [(_quad_box(b, width, height), float(s)) for b, s in zip(boxes, scores)]

    def read(self, image, boxes=None) -> list[OcrLine]:
        width, height = image.size
        with self._lock:
            out = self._engine(_bgr(image), use_det=True, use_cls=False, use_rec=True, return_word_box=True)
        txts = getattr(out, "txts", None)
        if not txts:
            return []
        words_all = getattr(out, "word_results", ()) or ()
        lines = []
        for i, (points, text, score) in enumerate(zip(out.boxes, txts, out.scores)):
            words: list[OcrWord] = []
            if i < len(words_all) and words_all[i]:
                for item in words_all[i]:
                    if len(item) >= 3 and item[2] is not None:
                        words.append(OcrWord(str(item[0]), float(item[1]), _quad_box(item[2], width, height)))
            lines.append(OcrLine(str(text).strip(), float(score), _quad_box(points, width, height), tuple(words)))
        return [ln for ln in lines if ln.text]


# -- Tesseract ----------------------------------------------------------------------------------


def _line_crop(image, box: Box):
    """A detected line as Tesseract likes it: grey, dark text on light, TESS_LINE_HEIGHT high."""
    from PIL import ImageOps

    x0, y0, x1, y1 = box
    pad = 0.08 * (y1 - y0)
    crop = image.crop((max(0, int(x0 - pad)), max(0, int(y0 - pad)), min(image.width, int(x1 + pad) + 1), min(image.height, int(y1 + pad) + 1)))
    grey = ImageOps.grayscale(crop)
    if _is_dark_background(grey):
        grey = ImageOps.invert(grey)
    grey = ImageOps.autocontrast(grey, cutoff=1)
    scale = TESS_LINE_HEIGHT / max(grey.height, 1)
    w = max(1, min(4000, round(grey.width * scale)))
    return grey.resize((w, TESS_LINE_HEIGHT))


def _is_dark_background(grey) -> bool:
    """The border of a line crop is its background: dark border, light text."""
    import numpy as np

    a = np.asarray(grey, dtype=np.float32)
    if a.size == 0:
        return False
    border = np.concatenate([a[0], a[-1], a[:, 0], a[:, -1]])
    return float(np.median(border)) < 110


class TesseractEngine:
    """The ``tesseract`` binary with one traineddata (``rus``, ``ell``, ``jpn+jpn_vert`` …), TSV output."""

    name = "tesseract"

    def __init__(self, traineddata: str, binary: str | None = None, timeout: float = TESS_TIMEOUT) -> None:
        self.binary = binary or tesseract_binary()
        if not self.binary:
            raise OcrUnavailable(f"Tesseract is not installed: {install_hint(traineddata.split('+')[0])}")
        missing = [c for c in traineddata.split("+") if c not in installed_tesseract_langs(self.binary)]
        if missing:
            raise OcrUnavailable(f"Tesseract has no {missing[0]} traineddata: {install_hint(missing[0])}")
        self.traineddata = traineddata
        self.timeout = timeout

    def _run(self, image, psm: int) -> list[dict]:
        buf = io.BytesIO()
        image.save(buf, "PNG")
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        try:
            out = subprocess.run(
                [self.binary, "stdin", "stdout", "-l", self.traineddata, "--psm", str(psm), "tsv"],
                input=buf.getvalue(), capture_output=True, timeout=self.timeout, env=env,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            raise OcrUnavailable(f"tesseract took longer than {self.timeout:.0f} s") from None
        except OSError as exc:
            raise OcrUnavailable(f"cannot run tesseract: {exc}") from None
        if out.returncode != 0:
            err = out.stderr.decode("utf-8", "replace").strip().splitlines()
            raise OcrUnavailable(f"tesseract failed: {err[-1] if err else out.returncode}")
        rows = []
        lines = out.stdout.decode("utf-8", "replace").splitlines()
        for row in lines[1:]:
            cols = row.split("\t")
            if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
                continue
            left, top, w, h = (int(c) for c in cols[6:10])
            rows.append({"key": (cols[2], cols[3], cols[4]), "box": (left, top, left + w, top + h),
                         "conf": max(0.0, float(cols[10])) / 100, "text": cols[11].strip()})  # fmt: skip
        return rows

    def read(self, image, boxes=None) -> list[OcrLine]:
        if boxes:
            return self._read_boxes(image, boxes)
        return self._read_page(image)

    def _read_page(self, image) -> list[OcrLine]:
        """Tesseract's own layout analysis (when no detector ran)."""
        groups: dict[tuple, list[dict]] = {}
        for w in self._run(image, 3):
            groups.setdefault(w["key"], []).append(w)
        return [self._line(ws, None, None) for ws in groups.values()]

    def _read_boxes(self, image, boxes) -> list[OcrLine]:
        """Every detected line cropped, scaled to one height and stacked, read in one call."""
        from PIL import Image

        horizontal = [(b, s) for b, s in boxes if (b[2] - b[0]) >= 0.8 * (b[3] - b[1])]
        if not horizontal:
            return []
        crops = [_line_crop(image, b) for b, _ in horizontal]
        gap, margin = TESS_LINE_HEIGHT // 2, 16
        width = max(c.width for c in crops) + 2 * margin
        height = sum(c.height for c in crops) + gap * (len(crops) - 1) + 2 * margin
        sheet = Image.new("L", (width, height), 255)
        bands = []
        y = margin
        for c in crops:
            sheet.paste(c, (margin, y))
            bands.append((y, y + c.height))
            y += c.height + gap
        per_band: list[list[dict]] = [[] for _ in bands]
        for w in self._run(sheet, 6):
            cy = (w["box"][1] + w["box"][3]) / 2
            for i, (top, bottom) in enumerate(bands):
                if top - gap / 2 <= cy < bottom + gap / 2:
                    per_band[i].append(w)
                    break
        lines = []
        for (box, score), ws, crop in zip(horizontal, per_band, crops):
            if ws:
                lines.append(self._line(ws, box, score, crop.width + margin))
        return lines

    @staticmethod
    def _line(ws: list[dict], box: Box | None, det: float | None, _crop_right: float | None = None) -> OcrLine:
        ws = sorted(ws, key=lambda w: w["box"][0])
        text = join_words([w["text"] for w in ws])
        n = sum(len(w["text"]) for w in ws) or 1
        conf = sum(w["conf"] * len(w["text"]) for w in ws) / n
        if box is None:
            box = (min(w["box"][0] for w in ws), min(w["box"][1] for w in ws), max(w["box"][2] for w in ws), max(w["box"][3] for w in ws))
        words = tuple(OcrWord(w["text"], w["conf"]) for w in ws)
        return OcrLine(text, conf, box, words, det)


# -- the reader ------------------------------------------------------------------------------------


@dataclass
class OcrReader:
    """Reads an image for a page language with the engine that reads its script (loaded once)."""

    threads: int | None = None
    tesseract: bool = True  # use Tesseract where it is installed
    _rapid: RapidOcrEngine | None = field(default=None, init=False, repr=False)
    _tess: dict[str, TesseractEngine] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self._rapid = RapidOcrEngine(threads=self.threads)  # raises OcrUnavailable: what to install

    def choice(self, lang: str | None) -> EngineChoice:
        return choose_engine(lang, rapidocr=self._rapid is not None,
                             tesseract_langs=installed_tesseract_langs() if self.tesseract else ())  # fmt: skip

    def _tesseract(self, traineddata: str) -> TesseractEngine:
        with self._lock:
            if traineddata not in self._tess:
                self._tess[traineddata] = TesseractEngine(traineddata)
            return self._tess[traineddata]

    def read_text(self, image, lang: str | None = None) -> OcrResult:
        im = image.convert("RGB")
        width, height = im.size
        if width < 8 or height < 8:
            return EMPTY
        choice = self.choice(lang)
        if choice.engine == "rapidocr":
            assert self._rapid is not None
            raw = self._rapid.read(im)
            detected = len(raw)
        else:
            boxes = self._rapid.detect(im) if self._rapid is not None else []
            detected = len(boxes)
            if choice.engine is None:
                tall = [b for b, _ in boxes if _height(b) >= max(MIN_BOX_PIXELS, MIN_LINE_HEIGHT * height)]
                if not tall:
                    return replace(EMPTY, script=choice.script)
                return replace(EMPTY, script=choice.script, detected=detected, unread=choice.reason)
            if not boxes and self._rapid is not None:
                return replace(EMPTY, engine="tesseract", script=choice.script)
            raw = self._tesseract(choice.traineddata or "").read(im, boxes or None)
        return assemble(raw, choice.engine or "", choice.script, (width, height), detected)


def assemble(raw: Sequence[OcrLine], engine: str, script: str, size: tuple[int, int], detected: int | None = None) -> OcrResult:
    """Filter raw lines (:func:`accept_line`), merge split boxes, order them for reading (pure)."""
    kept: list[OcrLine] = []
    refused: list[str] = []
    unsure: list[OcrLine] = []
    for line in raw:
        ok, why = accept_line(line, engine, script, size)
        if ok is None:
            refused.append(f"{line.text!r}: {why}")
            if why.startswith(_MISREAD_REASONS):
                unsure.append(line)
        else:
            kept.append(ok)
    detected = len(raw) if detected is None else detected
    if not kept:
        return OcrResult("", None, (), 0.0, engine, script, detected, tuple(refused))
    median_h = sorted(_height(ln.box) for ln in kept)[len(kept) // 2]
    partial = sum(1 for ln in unsure if _height(ln.box) >= 0.6 * median_h)
    merged = [ln for row in rows_of(kept) for ln in merge_row(row)]
    text = " ".join(ln.text for ln in merged)
    total = sum(len(ln.text) for ln in merged)
    confidence = sum(ln.confidence * len(ln.text) for ln in merged) / total
    return OcrResult(text, confidence, tuple(merged), _coverage(merged, *size), engine, script, detected, tuple(refused),
                     partial=partial)  # fmt: skip


# Refusals that mean "text, but not read reliably" (the others mean "not text": shapes, specks, noise).
_MISREAD_REASONS = ("not sure it is text", "a word read with low confidence", "a word mixes scripts",
                    "a word with stray marks", "characters cover")  # fmt: skip


_DEFAULT: OcrReader | None = None
_DEFAULT_LOCK = threading.Lock()


def default_reader() -> OcrReader:
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = OcrReader()
        return _DEFAULT


def read_text(image, lang: str | None = None) -> OcrResult:
    """OCR a PIL image for a page in ``lang`` with the shared reader (loaded on first call)."""
    return default_reader().read_text(image, lang)
