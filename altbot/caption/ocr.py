"""Text in the image, with RapidOCR (PP-OCRv4 ONNX models, CPU).

``read_text(pil_image)`` returns the lines in reading order, joined with
spaces, with per-line confidences and the fraction of the image the text
covers (a screenshot of a document covers much; a sign in a photo little).
The engine is loaded once, on first use; onnxruntime/cv2 are imported then.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

# Lines read with a lower recognition score are dropped (RapidOCR's own default is 0.5;
# misreads of textures and logos mostly score 0.5-0.7, real text > 0.85).
MIN_LINE_CONFIDENCE = 0.75
# Boxes smaller than this fraction of the image height are ignored (specks, noise).
MIN_LINE_HEIGHT = 0.012
DET_MAX_SIDE = 960


@dataclass(frozen=True)
class OcrLine:
    text: str
    confidence: float
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in image pixels


@dataclass(frozen=True)
class OcrResult:
    text: str  # lines in reading order, joined with spaces ("" when none)
    confidence: float | None  # character-weighted mean line confidence; None without text
    boxes: tuple[OcrLine, ...]
    coverage: float  # fraction of the image area covered by the kept text boxes, 0..1

    @property
    def words(self) -> int:
        return len(self.text.split())


EMPTY = OcrResult("", None, (), 0.0)


def reading_order(lines: list[OcrLine]) -> list[OcrLine]:
    """Top-to-bottom rows (lines whose vertical centres overlap), left-to-right within a row."""
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda ln: (ln.box[1] + ln.box[3]) / 2):
        cy = (line.box[1] + line.box[3]) / 2
        h = line.box[3] - line.box[1]
        if rows:
            last = rows[-1]
            top = min(ln.box[1] for ln in last)
            bottom = max(ln.box[3] for ln in last)
            row_cy = (top + bottom) / 2
            if abs(cy - row_cy) <= 0.5 * min(h, bottom - top):
                last.append(line)
                continue
        rows.append([line])
    return [ln for row in rows for ln in sorted(row, key=lambda ln: ln.box[0])]


def _coverage(lines: list[OcrLine], width: int, height: int) -> float:
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


class OcrEngine:
    """One RapidOCR instance; thread-safe ``read_text``."""

    def __init__(self, min_confidence: float = MIN_LINE_CONFIDENCE, threads: int | None = None) -> None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise RuntimeError("OCR needs the rapidocr-onnxruntime package") from exc
        # Detection at most 960 px on the long side (PaddleOCR's default; RapidOCR's own
        # default *upscales* the short side to 736, slow on 2 cores); no 180° classifier.
        kwargs: dict = {"det_limit_type": "max", "det_limit_side_len": DET_MAX_SIDE, "use_cls": False}
        if threads:
            for part in ("det", "cls", "rec"):
                kwargs[f"{part}_intra_op_num_threads"] = threads
                kwargs[f"{part}_inter_op_num_threads"] = 1
        try:
            self._engine = RapidOCR(**kwargs)
        except (TypeError, KeyError):  # another rapidocr version: its defaults
            self._engine = RapidOCR()
        self.min_confidence = min_confidence
        self._lock = threading.Lock()

    def read_text(self, image) -> OcrResult:
        import numpy as np

        im = image.convert("RGB")
        width, height = im.size
        if width < 8 or height < 8:
            return EMPTY
        # RapidOCR expects OpenCV's BGR order for arrays
        arr = np.ascontiguousarray(np.asarray(im)[:, :, ::-1])
        with self._lock:
            result, _ = self._engine(arr)
        lines = []
        for item in result or ():
            points, text, score = item[0], str(item[1]).strip(), float(item[2])
            if not text or score < self.min_confidence:
                continue
            xs = [float(p[0]) for p in points]
            ys = [float(p[1]) for p in points]
            box = (max(0.0, min(xs)), max(0.0, min(ys)), min(float(width), max(xs)), min(float(height), max(ys)))
            if box[3] - box[1] < MIN_LINE_HEIGHT * height:
                continue
            if not any(ch.isalnum() for ch in text):
                continue
            lines.append(OcrLine(text, score, box))
        if not lines:
            return EMPTY
        ordered = reading_order(lines)
        text = " ".join(ln.text for ln in ordered)
        total = sum(len(ln.text) for ln in ordered)
        confidence = sum(ln.confidence * len(ln.text) for ln in ordered) / total
        return OcrResult(text, confidence, tuple(ordered), _coverage(ordered, width, height))


_DEFAULT: OcrEngine | None = None
_DEFAULT_LOCK = threading.Lock()


def default_engine() -> OcrEngine:
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = OcrEngine()
        return _DEFAULT


def read_text(image) -> OcrResult:
    """OCR a PIL image with the shared engine (loaded on first call)."""
    return default_engine().read_text(image)
