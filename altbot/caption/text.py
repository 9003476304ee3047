"""Alt-text rules applied to every backend's output (``finalize``) and OCR quoting (``with_ocr``).

Small pure functions, each testable on its own; ``finalize`` chains them.
It is idempotent: finalizing a finalized caption changes nothing.

Decisions worth knowing:

* Quoted strings (``"…"``, ``“…”``, ``„…“``, ``«…»``, ``「…」``, ``『…』``) are treated as
  OCR/verbatim text: no prefix stripping, capitalisation or repetition collapsing
  inside them, and a length cut avoids them when it can. When the whole caption
  *is* the caption's ``ocr_text``, it is left verbatim (whitespace collapsed, cut if
  too long) — the text an image shows is its best alt.
* A single trailing ``.`` is dropped when the caption is one phrase or sentence
  (alt text is read as a label; screen readers pause at the end anyway). Captions
  of several sentences keep their full stops, and so do abbreviations (``etc.``,
  ``U.S.``), ellipses and non-Latin stops (``。``).
* No ellipsis is added when the length is cut: the cut is at a word boundary
  (any character boundary for scripts written without spaces, preferring
  punctuation such as ``、`` ``，``), and dangling words (``and``, ``of``, ``the`` …,
  per language) and punctuation are dropped from the end.
* Right-to-left text is never reordered and no direction marks are added.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from altbot.model import DEFAULT_MAX_LENGTH
from altbot.outcome import Caption
from altbot.tags import primary as primary_lang

SHORT_OCR = 60  # OCR text up to this many characters is quoted inside the description
TEXT_COVERAGE = 0.5  # an image whose text covers this share (or more) is "mostly text"

# -- helpers ---------------------------------------------------------------------

_WS = re.compile(r"\s+")


def collapse_whitespace(text: str) -> str:
    """Strip, and turn every run of whitespace (newlines, tabs, NBSP …) into one space."""
    return _WS.sub(" ", text).strip()


def _is_spaceless_char(ch: str) -> bool:
    """Characters of scripts written without spaces between words (CJK, kana, Thai, Lao, Khmer, Myanmar)."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF  # CJK radicals, kana, CJK ideographs, CJK punctuation
        or 0xF900 <= o <= 0xFAFF
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x20000 <= o <= 0x3FFFF
        or 0x0E00 <= o <= 0x0EFF  # Thai, Lao
        or 0x1780 <= o <= 0x17FF  # Khmer
        or 0x1000 <= o <= 0x109F  # Myanmar
        or 0xAC00 <= o <= 0xD7AF  # Hangul syllables (Korean uses spaces, but long runs may be cut too)
    )


# -- quoted segments ---------------------------------------------------------------

_QUOTE_PAIRS = {'"': '"', "“": "”", "„": "“", "«": "»", "‹": "›", "「": "」", "『": "』", "”": "”"}
_CLOSERS_FOR_LOW9 = ("“", "”")  # „…“ (German) and „…” (Polish, Dutch)
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|„[^“”]*[“”]|«[^»]*»|‹[^›]*›|「[^」]*」|『[^』]*』')
_PH_BASE = 0xF0000  # supplementary private use area: never in real captions


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of complete quoted segments (quotes included), left to right."""
    return [m.span() for m in _QUOTED.finditer(text)]


def _protect(text: str) -> tuple[str, list[str]]:
    if any(_PH_BASE <= ord(c) < _PH_BASE + 0x1000 for c in text):
        return text, []
    saved: list[str] = []

    def sub(m: re.Match) -> str:
        saved.append(m.group(0))
        return chr(_PH_BASE + len(saved) - 1)

    return _QUOTED.sub(sub, text), saved


def _restore(text: str, saved: list[str]) -> str:
    for i, s in enumerate(saved):
        text = text.replace(chr(_PH_BASE + i), s)
    return text


def _is_placeholder(ch: str) -> bool:
    return _PH_BASE <= ord(ch) < _PH_BASE + 0x1000


# -- rules -----------------------------------------------------------------------------


def strip_wrapping_quotes(text: str) -> str:
    """``"A dog"`` → ``A dog`` when the quotes wrap the whole caption (and only then)."""
    for _ in range(3):
        t = text.strip()
        if len(t) < 2:
            return t
        first, last = t[0], t[-1]
        inner = t[1:-1]
        if first in ("'", "‘") and last in ("'", "’") and not re.search(r"['‘’]", inner):
            text = inner
            continue
        closer = _QUOTE_PAIRS.get(first)
        ok = closer == last or (first == "„" and last in _CLOSERS_FOR_LOW9)
        if not ok or first in inner or last in inner:
            return t
        text = inner
    return text.strip()


_ARTEFACTS = re.compile(r"\b(?:(an?)\s+)?ara+f+e?d?\b\s*(?=(\w?))", re.IGNORECASE)
_EN_NOUN = r"(?:image|picture|photo(?:graph)?|pic)"
_EN_PREFIXES = [
    r"alt(?:ernative)?[ -]?text\s*:",
    r"(?:caption|description)\s*:",
    rf"(?:this|the)\s+{_EN_NOUN}\s+(?:shows|depicts|contains|features|is\s+of|is\s+showing)",
    rf"in\s+(?:this|the)\s+{_EN_NOUN}\s*,?\s*(?:there\s+(?:is|are)|we\s+(?:can\s+)?see)?",
    rf"(?:(?:an?|the)\s+)?(?:close-?up\s+|black\s+and\s+white\s+)?{_EN_NOUN}\s+(?:of|showing|depicting|that\s+shows)",
    r"there\s+(?:is|are)",
]
_LANG_PREFIXES: dict[str, list[str]] = {
    "fr": [
        r"(?:une\s+|l['’]\s*)?(?:image|photo(?:graphie)?)\s+(?:de\s+|d['’]\s*)",
        r"(?:cette|l['’])\s*(?:image|photo(?:graphie)?)\s+(?:montre|représente)",
        r"il\s+y\s+a",
    ],
    "de": [
        r"(?:ein(?:e)?\s+)?(?:bild|foto|fotografie|aufnahme)\s+(?:von|vom)",
        r"(?:das|dieses)\s+(?:bild|foto)\s+zeigt",
        r"auf\s+dem\s+(?:bild|foto)\s+(?:ist|sind|sieht\s+man)",
    ],
    "es": [
        r"(?:una\s+)?(?:imagen|foto(?:grafía)?)\s+(?:de\s+|del\s+)",
        r"(?:la|esta)\s+(?:imagen|foto(?:grafía)?)\s+muestra",
    ],
    "it": [
        r"(?:un['’]\s*|una\s+)?(?:immagine|foto(?:grafia)?)\s+(?:di\s+|del\s+|della\s+|d['’]\s*)",
        r"(?:l['’]\s*|quest['’]\s*)(?:immagine|foto)\s+mostra",
        r"c['’]\s*è",
    ],
    "pt": [
        r"(?:uma\s+)?(?:imagem|foto(?:grafia)?)\s+(?:de\s+|do\s+|da\s+)",
        r"(?:a|esta)\s+(?:imagem|foto(?:grafia)?)\s+mostra",
    ],
    "nl": [
        r"(?:een\s+)?(?:afbeelding|foto)\s+van",
        r"(?:de|deze)\s+(?:afbeelding|foto)\s+toont",
    ],
    "ja": [r"(?:この)?(?:写真|画像|イメージ)(?:には|では|は|：|:|、|\s)"],
    "zh": [r"(?:这张|這張)?(?:图片|照片|图像|圖片|照片|圖像)(?:显示|顯示|中|里|裡|：|:)"],
}


def _prefix_regex(patterns: list[str]) -> re.Pattern:
    # a prefix must end at a word boundary (or be followed by a non-word char / CJK text)
    alts = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"^(?:{alts})(?:(?<=\W)|(?=\W)|\b|(?<=[\u3000-\u9fff]))\s*[:,\-–—]?\s*", re.IGNORECASE)


# Prefixes that are ordinary words in other languages ("Hay bales …"): only when the language is known.
_STRICT_PREFIXES: dict[str, list[str]] = {"es": [r"hay"], "it": [r"c['’]\s*è"], "fr": [r"il\s+y\s+a"]}
for _k in _STRICT_PREFIXES:
    _LANG_PREFIXES[_k] = [p for p in _LANG_PREFIXES[_k] if p not in _STRICT_PREFIXES[_k]]

_EN_RE = _prefix_regex(_EN_PREFIXES)
_LANG_RE = {k: _prefix_regex(v) for k, v in _LANG_PREFIXES.items()}
_STRICT_RE = {k: _prefix_regex(v) for k, v in _STRICT_PREFIXES.items()}


def remove_artefacts(text: str) -> str:
    """Drop words known to be model artefacts (BLIP's "arafed"); a caption of nothing else becomes ""."""

    def sub(m: re.Match) -> str:
        article, nxt = m.group(1), m.group(2)
        if not article:
            return ""
        # "a arafed image" → "an image", "an arafed man" → "a man"
        fixed = ("an" if nxt.lower() in "aeiou" else "a") if nxt else article
        if article[0].isupper():
            fixed = fixed.capitalize()
        return f"{fixed} "

    return collapse_whitespace(_ARTEFACTS.sub(sub, text))


def remove_prefixes(text: str, lang: str | None = None) -> str:
    """Remove "image of", "picture of", "there is" … (and the page language's own) at the start only.

    With ``lang`` None every language's prefixes are tried. Never returns an empty string:
    a caption that is nothing but a prefix is kept as it was.
    """
    p = primary_lang(lang)
    if p is None:
        regexes = [_EN_RE, *_LANG_RE.values()]
    else:
        regexes = [_EN_RE] + [rx[p] for rx in (_LANG_RE, _STRICT_RE) if p in rx]
    out = text
    for _ in range(6):
        before = out
        for rx in regexes:
            new = rx.sub("", out, count=1).strip()
            if new:
                out = new
        if out == before:
            break
    if p in (None, "de") and out != text:
        # "Bild von einem Hund" → "ein Hund", not "einem Hund" (the dative the prefix required)
        out = re.sub(r"^(ein)(em|er)\b", lambda m: m.group(1) + ("" if m.group(2) == "em" else "e"), out, flags=re.I)
    return out


_FUNCTION_WORDS = {
    "a", "an", "the", "of", "and", "or", "with", "on", "in", "at", "to", "for", "by", "from", "is", "are",
    "le", "la", "les", "de", "des", "du", "et", "un", "une", "der", "die", "das", "und", "ein", "eine",
    "el", "los", "las", "y", "il", "di", "e", "o", "da", "do", "het", "een", "en", "van",
}  # fmt: skip


def collapse_repetition(text: str) -> str:
    """Collapse degenerate repetition: "a a a a" → "a", "on the table on the table" → "on the table".

    Word n-grams (n ≥ 2) repeated back to back collapse to one; a single word must appear
    three times in a row ("Bora Bora", "Walla Walla" stay) unless it is a function word
    ("the the"). Words are compared case-insensitively, punctuation included ("New York, New York" stays).
    For text without spaces, a run of 2–10 characters repeated 3+ times collapses ("猫猫猫" stays).
    """
    words = text.split(" ")
    changed = True
    while changed:
        changed = False
        low = [w.casefold() for w in words]
        n_max = min(len(words) // 2, 12)
        for n in range(n_max, 0, -1):
            i = 0
            while i + 2 * n <= len(low):
                if low[i : i + n] == low[i + n : i + 2 * n]:
                    reps = 2
                    while low[i : i + n] == low[i + reps * n : i + (reps + 1) * n]:
                        reps += 1
                    if n >= 2 or reps >= 3 or low[i] in _FUNCTION_WORDS:
                        del words[i + n : i + reps * n]
                        del low[i + n : i + reps * n]
                        changed = True
                        continue
                i += 1
            if changed:
                break
    out = " ".join(words)
    # spaceless scripts: a 2..10-character unit repeated three times or more
    return re.sub(r"([^\sA-Za-z0-9]{2,10}?)\1{2,}", lambda m: m.group(1) if _is_spaceless_char(m.group(1)[0]) else m.group(0), out)


_ABBREV = {"etc", "inc", "ltd", "co", "st", "dr", "mr", "mrs", "ms", "jr", "sr", "vs", "approx", "corp", "ave"}


def _strip_trailing_junk(text: str) -> str:
    """Trailing commas, colons, dashes and lone punctuation tokens are never meant (", ." at the end)."""
    prev = None
    while text != prev:
        prev = text
        text = text.rstrip().rstrip(",;:-–—/、，；：").rstrip()
        if " " in text:
            head, last = text.rsplit(" ", 1)
            if not any(c.isalnum() or _is_placeholder(c) for c in last) and last not in ("...", "…", "!", "?"):
                text = head
    return text


def drop_final_period(text: str) -> str:
    """Drop one trailing "." from a single phrase/sentence; keep it for several sentences,
    abbreviations ("etc.", "U.S.") and ellipses."""
    if not text.endswith(".") or text.endswith(".."):
        return text
    body = text[:-1]
    if re.search(r"[.!?]\s+\S", body):
        return text  # several sentences: keep them as written
    last = body.rsplit(" ", 1)[-1]
    if last.casefold().strip("(\"'") in _ABBREV or "." in last or (len(last) == 1 and last.isalpha()):
        return text
    return body


def capitalize_first(text: str, lang: str | None = None) -> str:
    """Upper-case the first letter (Turkish/Azeri dotted İ, Dutch "IJ"); scripts without case are untouched."""
    i = 0
    while i < len(text) and text[i] in "¿¡([{":
        i += 1
    if i >= len(text) or _is_placeholder(text[i]):
        return text
    ch = text[i]
    if not ch.islower():
        return text
    p = primary_lang(lang)
    if p in ("tr", "az") and ch == "i":
        up = "İ"
    elif p == "nl" and text[i : i + 2] == "ij":
        return text[:i] + "IJ" + text[i + 2 :]
    else:
        up = ch.title()
        if len(up) != 1:  # "ß" → "Ss": leave it rather than change the length
            return text
    return text[:i] + up + text[i + 1 :]


# -- length ---------------------------------------------------------------------------------

_DANGLING: dict[str | None, set[str]] = {
    "en": {"a", "an", "the", "and", "or", "of", "with", "in", "on", "at", "to", "for", "by", "from", "as",
           "its", "his", "her", "their", "is", "are", "that", "which", "while", "reading", "showing", "near"},
    "fr": {"le", "la", "les", "l'", "l’", "un", "une", "de", "des", "du", "d'", "d’", "et", "ou", "avec", "en",
           "à", "au", "aux", "sur", "dans", "par", "pour", "sous", "son", "sa", "ses", "qui"},
    "de": {"der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "einem", "einen", "und", "oder",
           "mit", "von", "vom", "im", "am", "an", "auf", "in", "zu", "zum", "zur", "für", "bei", "aus"},
    "es": {"el", "la", "los", "las", "un", "una", "de", "del", "y", "o", "con", "en", "a", "al", "por",
           "para", "sobre", "que"},
    "it": {"il", "lo", "la", "i", "gli", "le", "un", "una", "uno", "di", "del", "della", "e", "o", "con",
           "in", "a", "al", "su", "per", "da", "che"},
    "pt": {"o", "a", "os", "as", "um", "uma", "de", "do", "da", "dos", "das", "e", "ou", "com", "em", "no",
           "na", "ao", "por", "para", "que"},
    "nl": {"de", "het", "een", "en", "of", "van", "met", "in", "op", "aan", "voor", "bij", "uit", "naar"},
}  # fmt: skip
_TRAILING_JUNK = ",;:-–—/([{«‹„“‘‚「『（【〔、，；："
_PREFERRED_CUT_AFTER = "、，,；;：:。.!?！？)）」』】"
_THAI_LEADING_VOWELS = "\u0e40\u0e41\u0e42\u0e43\u0e44"


def _dangling_words(lang: str | None) -> set[str]:
    p = primary_lang(lang)
    if p in _DANGLING and p != "en":
        return _DANGLING[p] | _DANGLING["en"]
    if p is None:
        return set().union(*_DANGLING.values())
    return _DANGLING["en"]


def trim_dangling(text: str, lang: str | None = None) -> str:
    """Drop trailing fragments a cut can leave: function words, commas, dashes, open quotes/brackets."""
    words = _dangling_words(lang)
    prev = None
    while text != prev:
        prev = text
        text = text.rstrip()
        while text and text[-1] in _TRAILING_JUNK:
            text = text[:-1].rstrip()
        if text.count('"') % 2 == 1 and text.endswith('"'):
            text = text[:-1].rstrip()
        if " " in text:
            head, last = text.rsplit(" ", 1)
            if last.casefold() in words or not any(c.isalnum() or _is_placeholder(c) for c in last):
                text = head
        elif text.casefold() in words:
            text = ""
    return text


def _boundaries(text: str, limit: int) -> list[int]:
    """Cut positions p ≤ limit (text[:p] is kept), best first: word/character boundaries."""
    n = len(text)
    out = []
    for p in range(min(limit, n), 0, -1):
        if p == n:
            out.append(p)
            continue
        a, b = text[p - 1], text[p]
        if b.isspace() or a.isspace():
            out.append(p)
        elif _is_spaceless_char(a) or _is_spaceless_char(b):
            if unicodedata.combining(b) or unicodedata.category(b) == "Mn" or a in _THAI_LEADING_VOWELS:
                continue  # never split a base character from its marks, nor a Thai leading vowel from its consonant
            out.append(p)
    return out


def cut_to_length(
    text: str, max_length: int, lang: str | None = None, protected: list[tuple[int, int]] | None = None
) -> str:
    """Shorten ``text`` to at most ``max_length`` code points, at a boundary, with no dangling fragment.

    ``protected`` spans (quoted OCR text) are not cut into when another cut point exists.
    """
    if max_length <= 0:
        return ""
    if len(text) <= max_length:
        return text
    protected = protected if protected is not None else quoted_spans(text)

    def inside(p: int) -> bool:
        return any(s < p < e for s, e in protected)

    cands = _boundaries(text, max_length)
    safe = [p for p in cands if not inside(p)]
    # For spaceless text prefer a cut right after punctuation when it keeps most of the budget.
    for pool in (safe, cands):
        punct = [
            p
            for p in pool
            if text[p - 1] in _PREFERRED_CUT_AFTER
            and p >= max_length * 0.6
            and (_is_spaceless_char(text[p - 1]) or (p < len(text) and _is_spaceless_char(text[p])))
        ]
        ordered = punct + [p for p in pool if p not in punct]
        for p in ordered:
            out = trim_dangling(text[:p], lang)
            if out and not _is_placeholder(out[-1]):
                return out
    # one enormous word: a hard cut, kept off a combining mark
    p = max_length
    while p > 1 and unicodedata.combining(text[p]):
        p -= 1
    return text[:p].rstrip()


def _cut_with_quote(text: str, max_length: int, lang: str | None) -> str:
    """When the text ends with a quoted string that fits, shorten what comes before it."""
    spans = quoted_spans(text)
    if not spans:
        return cut_to_length(text, max_length, lang, spans)
    s, e = spans[-1]
    tail = text[s:]
    if len(text) - e > 2 or len(tail) >= max_length - 10:
        return cut_to_length(text, max_length, lang, spans)
    head = text[:s].rstrip()
    connector = ""
    low = head.casefold()
    for c in _CONNECTORS:
        if low.endswith(" " + c.casefold()):
            head, connector = head[: -len(c)].rstrip(), head[-len(c) :]
            break
    glue = (" " + connector + " ") if connector else " "
    budget = max_length - len(glue) - len(tail)
    short = cut_to_length(head, budget, lang, [])
    if not short or len(short) < 8:
        return cut_to_length(text, max_length, lang, spans)
    return short + glue + tail


# -- sentences --------------------------------------------------------------------------------------

# A sentence ends at . ! ? … (then closing quotes/brackets, then a space) or at a CJK full stop.
_SENTENCE_END = re.compile(r"(?:[.!?…]+[\"'»”’)\]]*(?=\s)|[。！？]+[」』）]*)")
_NO_END_BEFORE = re.compile(r"(?:^|\s)(?:\w\.|[A-Z]\.[A-Z]\.|\d+\.)$")  # "J." "U.S." "1." are not sentence ends


def sentences(text: str) -> list[str]:
    """``text`` split into sentences (whitespace collapsed), each with its final punctuation."""
    text = collapse_whitespace(text)
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        piece = text[start:end]
        last = piece.rsplit(" ", 1)[-1].rstrip(".").casefold().lstrip("(\"'")
        if m.group(0).startswith(".") and (last in _ABBREV or _NO_END_BEFORE.search(piece)):
            continue
        if piece.strip():
            out.append(piece.strip())
        start = end
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


def summarise_sentences(text: str, max_length: int) -> str | None:
    """The whole sentences from the start of ``text`` that fit in ``max_length``; None when the
    first does not. Text is never cut inside a sentence: a cut sentence can say the opposite
    of the whole one ("Do not remove the cover …")."""
    text = collapse_whitespace(text)
    if len(text) <= max_length:
        return text
    out = ""
    for sent in sentences(text):
        joined = join_sentences([out, sent]) if out else sent
        if len(joined) > max_length:
            break
        out = joined
    return out or None


def join_sentences(parts: list[str]) -> str:
    out = ""
    for p in parts:
        if out and not (_is_spaceless_char(out[-1]) and p and _is_spaceless_char(p[0])):
            out += " "
        out += p
    return out


# -- OCR ----------------------------------------------------------------------------------------

# (connector for sign-like things, general connector, template): template gets {d}, {c} and {t}
_OCR_PHRASES: dict[str, tuple[str, str, str]] = {
    "en": ("reading", "with the text", '{d} {c} "{t}"'),
    "fr": ("avec le texte", "avec le texte", "{d} {c} « {t} »"),
    "de": ("mit dem Text", "mit dem Text", "{d} {c} „{t}“"),
    "es": ("con el texto", "con el texto", "{d} {c} «{t}»"),
    "it": ("con la scritta", "con il testo", "{d} {c} «{t}»"),
    "pt": ("com o texto", "com o texto", "{d} {c} «{t}»"),
    "nl": ("met de tekst", "met de tekst", "{d} {c} “{t}”"),
    "ja": ("", "", "{d}、「{t}」と書かれている"),
    "zh": ("", "", "{d}，上面写着“{t}”"),
    "ru": ("с надписью", "с текстом", "{d} {c} «{t}»"),
    "el": ("με την επιγραφή", "με το κείμενο", "{d} {c} «{t}»"),
}
_PT_BR = ("com o texto", "com o texto", "{d} {c} “{t}”")
_CONNECTORS = sorted({c for a, b, _ in _OCR_PHRASES.values() for c in (a, b) if c}, key=len, reverse=True)
_SIGN_WORDS = {
    "sign", "signs", "banner", "poster", "placard", "billboard", "board", "label", "plaque", "note", "card",
    "button", "screen", "display", "t-shirt", "shirt", "mug", "sticker", "badge", "cover", "headline", "neon",
    "signpost", "whiteboard", "chalkboard", "blackboard", "menu", "ticket", "flag",
}  # fmt: skip


def with_ocr(
    description: str | None,
    ocr_text: str | None,
    coverage: float,
    lang: str | None,
    *,
    max_length: int | None = DEFAULT_MAX_LENGTH,
) -> str | None:
    """Combine a description with the text read from the image.

    * mostly text (``coverage`` ≥ 0.5) or no description → the OCR text itself, verbatim;
    * short OCR text (≤ 60 characters) → ``Sign reading "Grand Opening Sale"`` (per language);
    * longer OCR text on a picture → the description alone (the caller keeps ``ocr_text``).

    The OCR text is never altered except for whitespace collapsing; when ``max_length``
    forces a cut, the description is shortened first.
    """
    desc = collapse_whitespace(description) if description else ""
    ocr = collapse_whitespace(ocr_text) if ocr_text else ""
    if not ocr:
        return desc or None
    if not desc or coverage >= TEXT_COVERAGE:
        return cut_to_length(ocr, max_length, lang, []) if max_length else ocr
    if len(ocr) > SHORT_OCR:
        return desc
    p = primary_lang(lang) or "en"
    sign_c, general_c, template = _OCR_PHRASES.get(p, _OCR_PHRASES["en"])
    if p == "pt" and lang and lang.lower().replace("_", "-").endswith("-br"):
        sign_c, general_c, template = _PT_BR
    if p in ("ja", "zh"):
        desc = desc.rstrip("。.")
    else:
        desc = desc.rstrip(".")
    last_word = desc.rsplit(" ", 1)[-1].casefold().strip(",;:")
    connector = sign_c if last_word in _SIGN_WORDS else general_c

    def build(d: str) -> str:
        return template.format(d=d, c=connector, t=ocr)

    full = build(desc)
    if not max_length or len(full) <= max_length:
        return full
    budget = max_length - (len(full) - len(desc))
    short = cut_to_length(desc, budget, lang, []) if budget > 0 else ""
    if len(short) < 3:  # no room for a description: the text alone says the most
        return cut_to_length(ocr, max_length, lang, []) if len(ocr) > max_length else ocr
    return build(short)


# -- finalize ------------------------------------------------------------------------------------


def clean_text(text: str, *, max_length: int = DEFAULT_MAX_LENGTH, lang: str | None = None,
               ocr_text: str | None = None) -> str:  # fmt: skip
    """All the rules on one string (see ``finalize``). May return ""."""
    text = collapse_whitespace(text)
    ocr = collapse_whitespace(ocr_text) if ocr_text else ""
    for candidate in (text, strip_wrapping_quotes(text)):
        if ocr and candidate and (candidate == ocr or (len(candidate) >= 20 and ocr.startswith(candidate))):
            # the image's own words: verbatim, and shortened only to whole sentences
            return summarise_sentences(candidate, max_length) or ""
    if ocr and len(text) > max_length:
        fitted = _fit_ocr_quote(text, ocr, max_length, lang)
        if fitted is None:
            return ""  # the quoted text would have to be cut inside a sentence
        text = fitted
    for _ in range(4):  # the rules feed each other ("'x' ," → "'x'" → "x"): run them to a fixed point
        before = text
        text = _clean_once(text, max_length, lang)
        if text == before:
            break
    return text


def _fit_ocr_quote(text: str, ocr: str, max_length: int, lang: str | None) -> str | None:
    """``text`` (too long) shortened without cutting a quote of the image's text inside a sentence:
    the description first, then the quote to whole sentences. None when neither fits."""
    spans = [(a, b) for a, b in quoted_spans(text) if text[a + 1 : b - 1].strip() and text[a + 1 : b - 1].strip() in ocr]
    if not spans:
        return text  # no quote of the image's text: the ordinary rules apply
    a, b = spans[-1]
    quote = text[a:b]
    short = _cut_with_quote(text, max_length, lang)
    if quote in short and len(short) <= max_length:
        return short
    left = quote[:2] if quote[1:2] == " " else quote[:1]
    right = quote[-2:] if quote[-2:-1] == " " else quote[-1:]
    inner = quote[len(left) : len(quote) - len(right)]
    head, rest = text[:a], text[b:]
    budget = max_length - len(head) - len(left) - len(right) - len(rest)
    summary = summarise_sentences(inner, budget) if budget > 0 else None
    if summary is None or summary == inner:
        return None
    return head + left + summary + right + rest


def _clean_once(text: str, max_length: int, lang: str | None) -> str:
    text = strip_wrapping_quotes(text)
    body, saved = _protect(text)
    body = remove_artefacts(body)
    body = remove_prefixes(body, lang)
    body = collapse_repetition(body)
    body = _strip_trailing_junk(body)
    body = drop_final_period(body)
    body = capitalize_first(body, lang)
    body = collapse_whitespace(body)
    text = _restore(body, saved)
    if len(text) > max_length:
        text = _cut_with_quote(text, max_length, lang)
        text = capitalize_first(drop_final_period(text), lang)
    return text


def finalize(caption: Caption, *, max_length: int = DEFAULT_MAX_LENGTH, lang: str | None = None) -> Caption:
    """Apply the alt-text rules to a backend's caption; returns a new Caption.

    ``text`` None stays None; a decorative caption's "" stays "". ``lang`` defaults to ``caption.lang``.
    A caption that the rules reduce to nothing becomes ``text=None`` with a reason.
    """
    if caption.text is None or (caption.decorative and not caption.text):
        return replace(caption)
    lang = lang if lang is not None else caption.lang
    text = clean_text(caption.text, max_length=max_length, lang=lang, ocr_text=caption.ocr_text)
    if not text and caption.ocr_text and len(collapse_whitespace(caption.text)) > max_length:
        reason = (
            f"the text in the image does not fit in {max_length} characters, and cutting it inside a sentence "
            "could change what it says: summarise it by hand"
        )
        return replace(caption, text=None, reason=reason)
    if not text:
        return replace(caption, text=None, reason=caption.reason or "no usable caption (empty after clean-up)")
    return replace(caption, text=text)


# -- frames for text read from an image (the offline tier) ------------------------------------------

# Quotation marks per language; the frames below exist in these languages, and in no other
# (a caption framed in English for another page language goes through the translation step,
# which keeps quoted text verbatim).
_FRAME_QUOTES: dict[str, tuple[str, str]] = {
    "en": ('"', '"'), "fr": ("« ", " »"), "de": ("„", "“"), "es": ("«", "»"), "it": ("«", "»"), "pt": ("«", "»"),
    "nl": ("“", "”"), "ja": ("「", "」"), "zh": ("“", "”"), "ru": ("«", "»"), "el": ("«", "»"),
}  # fmt: skip
FRAME_LANGS = frozenset(_FRAME_QUOTES)

# {q}: the quoted title. "dialog": a dialog box; "screen": another screenshot with a title;
# "sign": a sign or banner (with_ocr's phrasing); "image": text on a picture.
_FRAMES: dict[str, dict[str, str]] = {
    "en": {"dialog": "Screenshot of the {q} dialog", "screen": "Screenshot titled {q}", "sign": "Sign", "image": 'Image with the text {q}'},
    "fr": {"dialog": "Capture d’écran de la boîte de dialogue {q}", "screen": "Capture d’écran intitulée {q}", "sign": "Panneau",
           "image": "Image avec le texte {q}"},
    "de": {"dialog": "Bildschirmfoto des Dialogs {q}", "screen": "Bildschirmfoto mit dem Titel {q}", "sign": "Schild",
           "image": "Bild mit dem Text {q}"},
    "es": {"dialog": "Captura de pantalla del cuadro de diálogo {q}", "screen": "Captura de pantalla titulada {q}", "sign": "Cartel",
           "image": "Imagen con el texto {q}"},
    "it": {"dialog": "Schermata della finestra di dialogo {q}", "screen": "Schermata intitolata {q}", "sign": "Cartello",
           "image": "Immagine con il testo {q}"},
    "pt": {"dialog": "Captura de ecrã da caixa de diálogo {q}", "screen": "Captura de ecrã intitulada {q}", "sign": "Placa",
           "image": "Imagem com o texto {q}"},
    "pt-br": {"dialog": "Captura de tela da caixa de diálogo {q}", "screen": "Captura de tela intitulada {q}", "sign": "Placa",
              "image": "Imagem com o texto {q}"},
    "nl": {"dialog": "Schermafbeelding van het dialoogvenster {q}", "screen": "Schermafbeelding met de titel {q}", "sign": "Bord",
           "image": "Afbeelding met de tekst {q}"},
    "ja": {"dialog": "{q}ダイアログのスクリーンショット", "screen": "{q}のスクリーンショット", "sign": "看板", "image": "{q}と書かれた画像"},
    "zh": {"dialog": "{q}对话框的屏幕截图", "screen": "{q}的屏幕截图", "sign": "标牌", "image": "写有{q}的图片"},
    "ru": {"dialog": "Снимок экрана: диалоговое окно {q}", "screen": "Снимок экрана: {q}", "sign": "Табличка",
           "image": "Изображение с текстом {q}"},
    "el": {"dialog": "Στιγμιότυπο οθόνης του παραθύρου διαλόγου {q}", "screen": "Στιγμιότυπο οθόνης: {q}", "sign": "Πινακίδα",
           "image": "Εικόνα με το κείμενο {q}"},
}  # fmt: skip


def frame_lang(lang: str | None) -> str:
    """The language frames are written in for a page in ``lang``: its own, else English."""
    p = primary_lang(lang)
    return p if p in FRAME_LANGS else "en"


def quote_in(text: str, lang: str | None) -> str:
    left, right = _FRAME_QUOTES.get(frame_lang(lang), ('"', '"'))
    if frame_lang(lang) == "pt" and lang and lang.lower().replace("_", "-").endswith("-br"):
        left, right = "“", "”"
    return f"{left}{text}{right}"


def _frames_for(lang: str | None) -> dict[str, str]:
    p = frame_lang(lang)
    if p == "pt" and lang and lang.lower().replace("_", "-").endswith("-br"):
        return _FRAMES["pt-br"]
    return _FRAMES[p]


def frame_text(kind: str, text: str, lang: str | None, *, max_length: int = DEFAULT_MAX_LENGTH,
               body: str | None = None) -> str | None:  # fmt: skip
    """A frame around text read from the image, in the page's language where altbot has one.

    ``kind``: "sign" (``Sign reading "…"``), "image" (``Image with the text "…"``), "dialog"
    or "screen" (``Screenshot of the "Settings" dialog``: ``text`` is the title). ``body``:
    a dialog's message, quoted after the frame, in whole sentences (:func:`summarise_sentences`).
    None when the text does not fit, or its message does not fit at a sentence boundary.
    """
    text = collapse_whitespace(text)
    if kind == "sign":
        return with_ocr(_frames_for(lang)["sign"], text, 0.0, lang if frame_lang(lang) == primary_lang(lang) else "en", max_length=None)
    head = _frames_for(lang)[kind].format(q=quote_in(text, lang))
    if not body:
        return head if len(head) <= max_length else None
    sep = "：" if frame_lang(lang) in ("ja", "zh") else ": "
    budget = max_length - len(head) - len(sep) - len(quote_in("", lang))
    summary = summarise_sentences(body, budget) if budget > 0 else None
    if summary is None:
        return None
    return f"{head}{sep}{quote_in(summary, lang)}"
