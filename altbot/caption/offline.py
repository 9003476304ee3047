"""The offline captioner: no network, no large model.

In order: (1) a description the author wrote into the file's metadata;
(2) text in the image, read by the OCR engine for the page's language
(:mod:`altbot.caption.ocr`), framed by what the image is:

* a **link**: the link's own purpose first (its title or label, else the
  call to action read from the image), then the image's text if it fits;
* a **sign or banner** (a few large lines): ``Sign reading "…"``;
* a **screenshot** of a user interface (many short labels on flat colour):
  ``Screenshot of the "Settings" dialog``, with its message in whole
  sentences; never a dump of its labels, and left for review when it shows
  toggles or checkboxes whose states OCR cannot read;
* a **page of text**: the text itself, in whole sentences;

(3) an ImageNet label from EfficientNet-Lite0 when it is confident (English).
Otherwise no caption, with the reason: a wrong alt text is worse than none.
Frames are written in the page's language where altbot has them
(:data:`altbot.caption.text.FRAME_LANGS`), else in English for the
translation step, which keeps the quoted text verbatim.

Importing this module imports neither torch nor onnxruntime: the models are
loaded by the constructor.
"""

from __future__ import annotations

import io
import re
import statistics
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from altbot.caption.base import CaptionerError, CaptionRequest, register
from altbot.caption.metadata import best_description, read_metadata
from altbot.outcome import Caption

BACKEND = "offline"
MODEL = "metadata+ocr-v2+efficientnet-lite0"  # ocr-v2: RapidOCR 3 / Tesseract by page language

# Decoding guard: larger images are refused (Pillow's own limit is a warning at 89 Mpx).
MAX_PIXELS = 64_000_000
# OCR runs on a copy whose long side is at most this (RapidOCR itself caps at 2000).
OCR_MAX_SIDE = 2000

# "Mostly text": enough words, or text boxes covering much of the picture.
MOSTLY_TEXT_WORDS = 10  # words of 3+ letters
MOSTLY_TEXT_COVERAGE = 0.30
# A short text is "salient" (the point of the picture) when its tallest line is at
# least this fraction of the image height, or the text covers this much of it.
SALIENT_LINE_HEIGHT = 0.06
SALIENT_COVERAGE = 0.04
MAX_SIGN_WORDS = 8
MAX_SIGN_LINES = 3
# A user interface: at least this many text boxes, mostly short labels, on flat colour.
UI_MIN_BOXES = 4
UI_MAX_LABEL_WORDS = 4  # median words per box
UI_MIN_FLAT = 0.35  # share of the picture in its one background colour
# Text shorter than this is quoted after a link's purpose or in "Image with the text …".
SHORT_TEXT = 60

# channel ranges below this: a flat colour (spacer, placeholder)
FLAT_RANGE = 6


class _Undecodable(Exception):
    pass


def decode_image(data: bytes):
    """Bytes → RGB PIL image (EXIF orientation applied, alpha flattened on white, first frame)."""
    from PIL import Image, ImageOps

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        old = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
        try:
            im = Image.open(io.BytesIO(data))
            w, h = im.size
            if w * h > MAX_PIXELS:
                raise _Undecodable(f"image is too large to decode ({w}×{h} pixels)")
            im.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _Undecodable(f"image is too large to decode: {exc}") from exc
        except (OSError, SyntaxError, ValueError, EOFError, Image.UnidentifiedImageError) as exc:
            raise _Undecodable(f"cannot decode the image: {exc}") from exc
        finally:
            Image.MAX_IMAGE_PIXELS = old
    try:
        im = ImageOps.exif_transpose(im)
    except Exception:  # noqa: BLE001 - a broken orientation tag is not fatal
        pass
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        bg = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        bg.alpha_composite(rgba)
        return bg.convert("RGB")
    return im.convert("RGB")


def _is_flat(im) -> bool:
    small = im.copy()
    small.thumbnail((64, 64))
    return all(hi - lo <= FLAT_RANGE for lo, hi in small.getextrema())


def _label_text(label: str) -> str:
    return label[0].upper() + label[1:] if label else label


# -- what surrounds the image ------------------------------------------------------------------


@dataclass(frozen=True)
class LinkContext:
    """The link (or button) the image sits in, as the planner describes it to captioners."""

    kind: str  # "link" or "button"
    href: str | None
    names: tuple[str, ...]  # the link's title and label: its purpose in the author's words


_LINK = re.compile(r"^(?P<kind>Link|Button)(?: to (?P<href>\S+))?(?: \((?P<notes>.*)\))?$", re.DOTALL)


def link_of(context: Sequence[tuple[str, str]]) -> LinkContext | None:
    """``("link", "Link to /xd (Learn more about Adobe XD)")`` → LinkContext; None when not in a link."""
    for key, value in context:
        if key != "link" or not value:
            continue
        m = _LINK.match(value.strip())
        if not m:
            return LinkContext("link", None, ())
        notes = tuple(n.strip() for n in (m.group("notes") or "").split("; ") if n.strip())
        return LinkContext(m.group("kind").lower(), m.group("href"), notes)
    return None


# Calls to action that say what a link does, per language (matched at the start of a line).
_CTA = {
    "en": r"learn more|read more|find out|download|get|buy|shop|order|sign up|sign in|log in|register|subscribe|try|start|"
          r"watch|see|view|explore|discover|join|contact|book|request|apply|install|open|go to|visit",
    "fr": r"en savoir plus|lire la suite|découvr\w*|télécharg\w*|achet\w*|command\w*|inscri\w*|connect\w*|essay\w*|"
          r"voir|regard\w*|rejoi\w*|contact\w*|réserv\w*|installer|ouvrir|visit\w*",
    "de": r"mehr erfahren|weiterlesen|mehr lesen|jetzt|herunterladen|download|kaufen|bestell\w*|registrier\w*|anmeld\w*|"
          r"abonnier\w*|testen|ansehen|entdeck\w*|kontakt\w*|buchen|installier\w*|öffnen|besuch\w*",
    "es": r"más información|saber más|leer más|descarg\w*|compr\w*|pid\w*|regístr\w*|suscríb\w*|prueb\w*|ver|mir\w*|"
          r"descubr\w*|únete|contact\w*|reserv\w*|instal\w*|abr\w*|visit\w*",
    "ru": r"подробнее|узнать больше|читать далее|скачать|купить|заказать|зарегистрир\w*|подписаться|попробовать|"
          r"смотреть|открыть|перейти",
    "el": r"μάθετε περισσότερα|διαβάστε περισσότερα|λήψη|κατεβάστε|αγοράστε|εγγραφείτε|δοκιμάστε|δείτε|ανοίξτε",
    "ja": r"詳しく|詳細|もっと見る|ダウンロード|購入|申し込|登録|今すぐ",
}  # fmt: skip


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.casefold()) if len(w) >= 2}


def call_to_action(lines: Sequence[str], link: LinkContext, lang: str | None) -> str | None:
    """The line of the image that says what the link does: one that names the link's purpose,
    or shares a word with its address, or starts like a call to action ("Learn more …")."""
    from altbot.tags import primary

    for name in link.names:
        for line in lines:
            if _words(name) and _words(name) <= _words(line) and len(line) <= 2 * len(name) + 10:
                return line
    slug = set()
    if link.href:
        path = re.sub(r"^[a-z]+://[^/]+", "", link.href.casefold())
        slug = {w for w in re.split(r"[^\w]+", path) if len(w) >= 2 and w not in {"html", "htm", "php", "www", "index", "en"}}
    for line in lines:
        if slug and _words(line) & slug and len(line.split()) <= 8:
            return line
    p = primary(lang) or "en"
    patterns = [_CTA[p]] if p in _CTA else []
    if p != "en":
        patterns.append(_CTA["en"])
    for pat in patterns:
        rx = re.compile(rf"^(?:{pat})\b", re.IGNORECASE)
        for line in lines:
            if rx.match(line.strip()) and len(line.split()) <= 8:
                return line
    return None


# -- what kind of picture the text is in ----------------------------------------------------------


def flat_share(im) -> float:
    """Share of the picture in its most common colour (UI, documents, banners: high; photos: low)."""
    small = im.convert("RGB").copy()
    small.thumbnail((96, 96))
    quant = small.quantize(colors=16, method=2) if small.width * small.height else small
    counts = sorted((c for c, _ in quant.getcolors(256) or []), reverse=True)
    total = small.width * small.height
    return counts[0] / total if counts and total else 0.0


def layout_of(ocr, size: tuple[int, int], flat: float) -> str:
    """"sign", "ui", "document" or "scene" (text on a picture) for the kept OCR lines."""
    from altbot.caption.ocr import rows_of

    width, height = size
    lines = list(ocr.boxes)
    heights = [(ln.box[3] - ln.box[1]) / (height or 1) for ln in lines]
    words = [len(ln.text.split()) for ln in lines]
    tokens = ocr.text.split()
    letter_words = sum(1 for t in tokens if sum(c.isalpha() for c in t) >= 3)
    salient = max(heights) >= SALIENT_LINE_HEIGHT or ocr.coverage >= SALIENT_COVERAGE
    if salient and ocr.words <= MAX_SIGN_WORDS and len(lines) <= MAX_SIGN_LINES:
        return "sign"
    rows = rows_of(lines)
    columns = sum(1 for row in rows if len(row) >= 2)
    short = statistics.median(words) <= UI_MAX_LABEL_WORDS
    narrow = statistics.median((ln.box[2] - ln.box[0]) / (width or 1) for ln in lines) < 0.45
    if len(lines) >= UI_MIN_BOXES and flat >= UI_MIN_FLAT and short and (narrow or columns):
        return "ui"
    title, _message, labels = ui_parts(ocr, size)
    if len(lines) >= 3 and flat >= UI_MIN_FLAT and title and is_dialog(labels):
        return "ui"  # an alert: a title, a message and a button
    if letter_words >= MOSTLY_TEXT_WORDS or ocr.coverage >= MOSTLY_TEXT_COVERAGE:
        return "document" if flat >= UI_MIN_FLAT or ocr.coverage >= MOSTLY_TEXT_COVERAGE else "scene"
    return "scene"


_SENTENCE_LIKE = re.compile(r"[.!?…。！？]$")


def ui_parts(ocr, size: tuple[int, int]) -> tuple[str | None, str, list[str]]:
    """(title, message, labels) of a screenshot: the title is the top line alone on its row in the
    top quarter; the message is its sentence-like lines; labels are the rest (buttons, options)."""
    from altbot.caption.ocr import rows_of

    rows = rows_of(list(ocr.boxes))
    title = None
    if rows and len(rows[0]) == 1 and rows[0][0].box[1] < 0.25 * size[1] and len(rows[0][0].text.split()) <= 6:
        title = rows[0][0].text.rstrip(":：")
        rows = rows[1:]
    message, labels = [], []
    for row in rows:
        for ln in row:
            is_sentence = len(ln.text.split()) >= 5 or (_SENTENCE_LIKE.search(ln.text) and len(ln.text.split()) >= 3)
            (message if is_sentence else labels).append(ln.text)
    return title, " ".join(message), labels


_DIALOG_WORDS = {
    "ok", "cancel", "close", "apply", "save", "yes", "no", "delete", "continue", "retry", "done", "confirm",
    "annuler", "fermer", "appliquer", "enregistrer", "oui", "non", "supprimer", "continuer", "réessayer",
    "abbrechen", "schließen", "übernehmen", "speichern", "ja", "nein", "löschen", "weiter", "wiederholen",
    "cancelar", "cerrar", "aplicar", "guardar", "sí", "eliminar", "reintentar", "aceptar",
    "annulla", "chiudi", "applica", "salva", "elimina", "riprova", "fechar", "salvar", "excluir", "sim", "não",
    "annuleren", "sluiten", "toepassen", "opslaan", "nee", "verwijderen",
    "キャンセル", "閉じる", "適用", "保存", "はい", "いいえ", "削除", "取消", "关闭", "应用", "确定", "删除",
    "отмена", "закрыть", "применить", "сохранить", "да", "нет", "удалить", "повторить",
    "άκυρο", "κλείσιμο", "εφαρμογή", "αποθήκευση", "ναι", "όχι", "διαγραφή",
}  # fmt: skip


def is_dialog(labels: Sequence[str]) -> bool:
    """A dialog has buttons: a label (of at most three words) that is, or holds, OK, Cancel, Save …"""
    for lbl in labels:
        words = lbl.strip().casefold().split()
        if len(words) <= 3 and (" ".join(words) in _DIALOG_WORDS or any(w in _DIALOG_WORDS for w in words)):
            return True
    return False


def count_controls(im, ocr) -> int:
    """Toggles, checkboxes and radio buttons beside the labels: compact shapes, about one text
    line high, on a label's row, outside every text box. Their states are what OCR cannot read."""
    try:
        import cv2
        import numpy as np
    except ImportError:  # pragma: no cover - cv2 comes with rapidocr
        return 0
    rgb = im.convert("RGB")
    scale = min(1.0, 800 / max(rgb.size))
    if scale < 1.0:
        rgb = rgb.resize((max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale))))
    a = np.asarray(rgb).astype(np.int16)
    q = (a // 16).reshape(-1, 3)
    keys, counts = np.unique(q[:, 0] * 256 + q[:, 1] * 16 + q[:, 2], return_counts=True)
    k = int(keys[counts.argmax()])
    bg = np.array([(k // 256) * 16 + 8, ((k // 16) % 16) * 16 + 8, (k % 16) * 16 + 8])
    mask = (np.abs(a - bg).max(axis=2) > 40).astype(np.uint8)
    heights = []
    for ln in ocr.boxes:
        x0, y0, x1, y1 = (v * scale for v in ln.box)
        h = y1 - y0
        heights.append(h)
        mask[max(0, int(y0 - 0.15 * h)) : int(y1 + 0.15 * h) + 1, max(0, int(x0 - 0.15 * h)) : int(x1 + 0.15 * h) + 1] = 0
    if not heights:
        return 0
    mh = statistics.median(heights)
    n, _, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    rows = [((ln.box[1] + ln.box[3]) / 2 * scale) for ln in ocr.boxes]
    found = 0
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        if not (0.45 * mh <= h <= 1.6 * mh) or area < 0.15 * w * h:
            continue
        ratio = w / h
        if not (0.75 <= ratio <= 1.35 or 1.4 <= ratio <= 2.8):
            continue
        cy = y + h / 2
        if any(abs(cy - r) <= 0.6 * mh for r in rows):
            found += 1
    return found


@register("offline")
class OfflineCaptioner:
    name = BACKEND
    model: str | None = MODEL
    uses = frozenset({"lang", "context"})  # OCR in the page's script; a link's purpose first

    def __init__(self, ocr: bool = True, classifier: bool = True, threads: int | None = None, **_options) -> None:
        self._ocr = None
        self._classifier = None
        try:
            if ocr:
                from altbot.caption.ocr import OcrReader

                self._ocr = OcrReader(threads=threads)
            if classifier:
                from altbot.caption.classifier import Classifier

                self._classifier = Classifier(threads=threads)
        except (ImportError, RuntimeError, OSError) as exc:
            raise CaptionerError(f"offline captioner cannot load its models: {exc}") from exc

    # -- helpers ---------------------------------------------------------------------

    def _caption(self, text, confidence, *, lang=None, ocr_text=None, reason=None) -> Caption:
        return Caption(
            text=text,
            confidence=confidence,
            backend=BACKEND,
            model=MODEL,
            lang=lang,
            ocr_text=ocr_text,
            reason=reason,
            low_confidence=True,
        )

    def _none(self, reason: str, *, decorative: bool = False, ocr_text: str | None = None) -> Caption:
        return Caption(
            text=None,
            confidence=None,
            backend=BACKEND,
            model=MODEL,
            ocr_text=ocr_text,
            decorative=decorative,
            reason=reason,
            low_confidence=True,
        )

    def caption(self, requests: Sequence[CaptionRequest]) -> list[Caption]:
        return list(self.iter_captions(requests))

    def iter_captions(self, requests: Sequence[CaptionRequest]) -> Iterator[Caption]:
        """One caption per request, in order, each yielded as soon as it is made."""
        for req in requests:
            try:
                caption = self._one(req)
            except Exception as exc:  # noqa: BLE001 - one bad image never stops a batch
                caption = self._none(f"offline captioner failed on this image: {type(exc).__name__}: {exc}")
            yield caption

    def _one(self, req: CaptionRequest) -> Caption:
        data = req.image.data
        meta = read_metadata(data)
        desc = best_description(meta, req.lang)
        if desc is not None:
            return self._caption(
                desc.text, desc.confidence, lang=desc.lang, reason=f"from the file's {desc.source}; review before publishing"
            )
        if meta.get("format") == "svg":
            extra = f" ({'; '.join(meta['errors'])})" if meta.get("errors") else ""
            return self._none(f"SVG without <title>/<desc>; SVGs are not rasterised offline{extra}")
        try:
            im = decode_image(data)
        except _Undecodable as exc:
            return self._none(str(exc))
        w, h = im.size
        if w <= 2 or h <= 2:
            return self._none(f"{w}×{h} image: a spacer or tracking pixel", decorative=True)
        if _is_flat(im):
            return self._none("the image is a single flat colour", decorative=True)

        link = link_of(req.context)
        ocr = None
        if self._ocr is not None:
            ocr_im = im
            if max(w, h) > OCR_MAX_SIDE:
                ocr_im = im.copy()
                ocr_im.thumbnail((OCR_MAX_SIDE, OCR_MAX_SIDE))
            ocr = self._ocr.read_text(ocr_im, req.lang)
            if ocr.unread:
                return self._none(f"the image shows text that cannot be read here: {ocr.unread}")
            if ocr.text and ocr.partial:
                return self._none(
                    f"part of the text in the image could not be read reliably ({ocr.partial} of "
                    f"{ocr.partial + len(ocr.boxes)} lines, {ocr.engine}); quoting the rest would misquote it: "
                    "describe it by hand",
                    ocr_text=ocr.text,
                )
            if ocr.text:
                found = self._from_text(req, ocr, ocr_im, link)
                if found is not None:
                    return found

        pred = None
        if self._classifier is not None:
            pred = self._classifier.classify_many([im])[0]
        usable = pred is not None and pred.usable
        if link is not None and link.names:
            return self._link_caption(req, link, ocr)

        if ocr is not None and ocr.text:
            if usable:
                return self._caption(
                    _label_text(pred.label),
                    round(pred.probability, 3),
                    lang="en",
                    ocr_text=ocr.text,
                    reason=f"ImageNet class {pred.label!r} (p={pred.probability:.2f}); small text in the image",
                )
            if len(ocr.text) <= SHORT_TEXT:
                from altbot.caption.text import frame_lang, frame_text

                return self._caption(
                    frame_text("image", ocr.text, req.lang, max_length=req.max_length),
                    round(ocr.confidence * 0.5, 3),
                    lang=_frame_tag(req.lang, frame_lang(req.lang)),
                    ocr_text=ocr.text,
                    reason="text found in the image; what the picture shows is unknown",
                )
            return self._none(
                "text on a picture whose subject is unknown (no confident object label): describe it by hand",
                ocr_text=ocr.text,
            )
        if usable:
            return self._caption(
                _label_text(pred.label),
                round(pred.probability, 3),
                lang="en",
                reason=f"ImageNet class {pred.label!r} (p={pred.probability:.2f}); a one-label guess, review it",
            )
        guess = ""
        if pred is not None:
            why = "denylisted for graphics" if pred.probability >= _threshold() else "below the threshold"
            guess = f" (best guess {pred.label!r}, p={pred.probability:.2f}, {why})"
        return self._none(f"no metadata, no readable text and no confident object label{guess}")

    def _link_caption(self, req: CaptionRequest, link: LinkContext, ocr, cta: str | None = None) -> Caption:
        """The link's purpose first (its title or label, else the image's call to action), then
        the image's short text when it fits."""
        from altbot.caption.text import quote_in

        text_in_image = ocr.text if ocr is not None and ocr.text else None
        purpose = cta or link.names[0]
        source = "the call to action in the image" if cta else "the link's title"
        text = purpose
        if text_in_image and not cta and len(text_in_image) <= SHORT_TEXT and _words(text_in_image) - _words(purpose):
            longer = f"{purpose}: {quote_in(text_in_image, req.lang)}"
            if len(longer) <= req.max_length:
                text = longer
        conf = round((ocr.confidence if cta and ocr is not None else 0.9) * 0.7, 3)
        return self._caption(
            text, conf, lang=req.lang, ocr_text=text_in_image,
            reason=f"the image is a {link.kind}: its purpose first ({source})",
        )  # fmt: skip

    def _from_text(self, req: CaptionRequest, ocr, im, link: LinkContext | None) -> Caption | None:
        """A caption from the image's text, by what kind of picture it is; None: let the label try."""
        from altbot.caption.text import frame_lang, frame_text, summarise_sentences

        tokens = ocr.text.split()
        numeric = sum(1 for t in tokens if sum(c.isdigit() for c in t) >= sum(c.isalpha() for c in t))
        if len(tokens) >= 6 and numeric * 2 >= len(tokens):
            return self._none(
                "text is mostly numbers: probably a chart or table, which needs a human description", ocr_text=ocr.text
            )
        if link is not None:
            cta = call_to_action([ln.text for ln in ocr.boxes], link, req.lang)
            if cta is not None or link.names:
                return self._link_caption(req, link, ocr, cta)
        layout = layout_of(ocr, im.size, flat_share(im))
        flang = frame_lang(req.lang)
        tag = _frame_tag(req.lang, flang)
        if layout == "sign":
            return self._caption(
                frame_text("sign", ocr.text, req.lang, max_length=req.max_length),
                round(ocr.confidence * 0.7, 3),
                lang=tag,
                ocr_text=ocr.text,
                reason=f"short, prominent text in the image ({ocr.engine}); the wording around it is a template",
            )
        if layout == "ui":
            title, message, labels = ui_parts(ocr, im.size)
            controls = count_controls(im, ocr)
            what = f"a screenshot of a user interface ({len(ocr.boxes)} pieces of text)"
            if controls:
                return self._none(
                    f"{what} with {controls} toggles, checkboxes or radio buttons whose states OCR cannot read: "
                    "describe it by hand",
                    ocr_text=ocr.text,
                )
            if title is None:
                return self._none(f"{what} with no title to name it: describe it by hand", ocr_text=ocr.text)
            kind = "dialog" if is_dialog(labels) else "screen"
            text = frame_text(kind, title, req.lang, max_length=req.max_length, body=message or None)
            if text is None:
                return self._none(
                    f"{what}: its message does not fit in {req.max_length} characters at a sentence boundary; "
                    "summarise it by hand",
                    ocr_text=ocr.text,
                )
            return self._caption(
                text, round(ocr.confidence * 0.6, 3), lang=tag, ocr_text=ocr.text,
                reason=f"{what}: named by its title" + (", with its message" if message else "") + "; its labels are left out",
            )  # fmt: skip
        if layout == "document":
            summary = summarise_sentences(ocr.text, req.max_length)
            if summary is None:
                return self._none(
                    f"the image is mostly text ({len(ocr.text)} characters), and its first sentence does not fit in "
                    f"{req.max_length} characters: summarise it by hand",
                    ocr_text=ocr.text,
                )
            part = "" if summary == ocr.text else "; its first sentences, the rest left out"
            return self._caption(
                summary, round(ocr.confidence * 0.8, 3), ocr_text=ocr.text,
                reason=f"the image is mostly text ({ocr.words} words, {ocr.coverage:.0%} of the area, {ocr.engine}){part}",
            )  # fmt: skip
        return None


def _frame_tag(page_lang: str | None, flang: str) -> str | None:
    """The language tag of a framed caption: the page's own tag when the frame is in its language."""
    from altbot.tags import primary

    if primary(page_lang) == flang:
        return page_lang
    return "en"


def _threshold() -> float:
    from altbot.caption.classifier import CONFIDENCE_THRESHOLD

    return CONFIDENCE_THRESHOLD
