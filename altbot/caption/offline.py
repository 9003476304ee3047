"""The offline captioner: no network, no large model.

In order: (1) a description the author wrote into the file's metadata;
(2) text in the image (RapidOCR) — the text itself when the image is mostly
text, ``Sign reading "…"`` when it is a short salient text; (3) an ImageNet
label from EfficientNet-Lite0 when it is confident (English). Otherwise no
caption, with the reason: a wrong alt text is worse than none.

Importing this module imports neither torch nor onnxruntime: the models are
loaded by the constructor.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator, Sequence

from altbot.caption.base import CaptionerError, CaptionRequest, register
from altbot.caption.metadata import best_description, read_metadata
from altbot.model import Caption

BACKEND = "offline"
MODEL = "metadata+rapidocr+efficientnet-lite0"

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
                from altbot.caption.ocr import OcrEngine

                self._ocr = OcrEngine(threads=threads)
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

        ocr = None
        if self._ocr is not None:
            ocr_im = im
            if max(w, h) > OCR_MAX_SIDE:
                ocr_im = im.copy()
                ocr_im.thumbnail((OCR_MAX_SIDE, OCR_MAX_SIDE))
            ocr = self._ocr.read_text(ocr_im)
            if ocr.text:
                tokens = ocr.text.split()
                letter_words = sum(1 for t in tokens if sum(c.isalpha() for c in t) >= 3)
                numeric = sum(1 for t in tokens if sum(c.isdigit() for c in t) >= sum(c.isalpha() for c in t))
                if letter_words >= MOSTLY_TEXT_WORDS or ocr.coverage >= MOSTLY_TEXT_COVERAGE:
                    return self._caption(
                        ocr.text,
                        round(ocr.confidence * 0.8, 3),
                        ocr_text=ocr.text,
                        reason=f"the image is mostly text ({letter_words} words, {ocr.coverage:.0%} of the area)",
                    )

                if len(tokens) >= 6 and numeric * 2 >= len(tokens):
                    return self._none(
                        "text is mostly numbers: probably a chart or table, which needs a human description",
                        ocr_text=ocr.text,
                    )

        pred = None
        if self._classifier is not None:
            pred = self._classifier.classify_many([im])[0]
        usable = pred is not None and pred.usable

        if ocr is not None and ocr.text:
            tallest = max(ln.box[3] - ln.box[1] for ln in ocr.boxes) / (ocr_im.size[1] or 1)
            salient = tallest >= SALIENT_LINE_HEIGHT or ocr.coverage >= SALIENT_COVERAGE
            if salient and ocr.words <= MAX_SIGN_WORDS and len(ocr.boxes) <= MAX_SIGN_LINES:
                return self._caption(
                    f'Sign reading "{ocr.text}"',
                    round(ocr.confidence * 0.7, 3),
                    lang="en",
                    ocr_text=ocr.text,
                    reason="short, prominent text in the image; the wording around it is a template",
                )
            if usable:
                return self._caption(
                    _label_text(pred.label),
                    round(pred.probability, 3),
                    lang="en",
                    ocr_text=ocr.text,
                    reason=f"ImageNet class {pred.label!r} (p={pred.probability:.2f}); small text in the image",
                )
            return self._caption(
                f'Image with the text "{ocr.text}"',
                round(ocr.confidence * 0.5, 3),
                lang="en",
                ocr_text=ocr.text,
                reason="text found in the image; what the picture shows is unknown",
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


def _threshold() -> float:
    from altbot.caption.classifier import CONFIDENCE_THRESHOLD

    return CONFIDENCE_THRESHOLD
