"""Decorative or informative? A scored decision with reasons.

WCAG 1.1.1 wants decorative images to carry ``alt=""`` (so assistive
technology skips them) and informative images to carry a description; both
mistakes hurt. ``judge`` weighs small, independent pieces of evidence
(``Signal``: a weight in log-odds, positive towards decorative, and a short
reason) from three places:

* markup (``markup_signals``): role=none/presentation, aria-hidden, an image
  inside a link/button that has its own text, adjacent text or a figcaption
  that already says what the image shows, decorative words in the file name,
  class or id (spacer, divider, bg ...), tiny width/height attributes;
* pixels (``pixel_signals``, numpy): tracking pixels and tiny images,
  near-uniform colour, thin dividers, mostly transparent shims, plain
  gradients, repeating patterns; and, towards informative, detailed or large
  images;
* the captioner (``Caption``): a chat model answering DECORATIVE, text read
  from the image (OCR), low confidence (which shrinks the evidence towards
  "uncertain" rather than adding to either side);

plus ``reuse_count`` (the same image content in the same position on many
pages), which only strengthens decorative evidence that is already there: a
logo in every header is chrome, but it is not decorative when it names a link.

Hard rules come first and are never outweighed: a control (``<input
type=image>``, ``<area>``) and an image that is the only content of a link or
button are informative (the image *names* the control or link).

The score is ``sigmoid(BIAS + sum(weights))``: a probability-like figure that
the image is decorative. ``score >= T_DEC`` → "decorative", ``score <= T_INF``
→ "informative", otherwise "uncertain".
"""

from __future__ import annotations

import io
import math
import re
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from altbot.model import Image, ImageContext, Verdict
from altbot.outcome import Caption, Judgement

if TYPE_CHECKING:  # pragma: no cover
    pass

__all__ = [
    "BIAS",
    "T_DEC",
    "T_INF",
    "Signal",
    "Judgement",
    "judge",
    "link_purpose_context",
    "markup_signals",
    "pixel_signals",
]

DECORATIVE, INFORMATIVE, UNCERTAIN = Verdict.DECORATIVE, Verdict.INFORMATIVE, Verdict.UNCERTAIN

# Prior log-odds: with no evidence an image is taken to be informative (score 0.269,
# below T_INF): nothing is marked decorative, or even uncertain, without a reason.
BIAS = -1.0
# Thresholds calibrated with `python benchmarks/decorative_eval.py --calibrate` on
# tests/data/decorative (52 cases: 31 decorative, 21 informative; the weights were
# tuned on the same set, so these are in-sample figures):
# - informative scores: max 0.269 (the prior); decorative: 28 of 31 score >= 0.818.
# - T_DEC: precision is 1.0 from 0.50 to 0.95; recall is 0.903 (28/31) on the plateau
#   0.50..0.80 and drops to 0.871 at 0.85. T_DEC = 0.80, the top of the plateau:
#   the largest margin (+0.53) over the highest informative score at that recall.
# - T_INF: every informative case is <= 0.269; the decorative cases below T_DEC score
#   0.076 (an ambience photo with no hint in its markup: called informative) and 0.378
#   twice (a photo whose adjacent text describes it; class "hero-background" on a
#   photo). T_INF = 0.32, midway between 0.269 and 0.378: those two stay "uncertain".
T_DEC = 0.80
T_INF = 0.32

# -- signals -------------------------------------------------------------------------


@dataclass(frozen=True)
class Signal:
    """One piece of evidence: ``weight`` in log-odds, > 0 towards decorative."""

    name: str  # stable identifier, e.g. "role-presentation", "tiny", "gradient"
    weight: float
    reason: str  # short, human-readable: "role=presentation", "1×1 tracking pixel"


# Weights (log-odds). Markup.
W_ROLE_PRESENTATION = 6.0
W_ARIA_HIDDEN = 5.0
W_HIDDEN = 3.0
W_LINK_HAS_TEXT = 3.0
W_REDUNDANT_TEXT = 2.0  # two or more file-name words, or half the caption's words
W_REDUNDANT_WORD = 1.0  # a single file-name word (weaker: "Scan to save our contact" vs qr-contact.png)
W_IN_FIGURE = -1.0
W_DECORATIVE_NAME = 2.0  # alone: uncertain (0.73); with any other evidence: decorative
W_INFORMATIVE_NAME = -2.0
W_TINY_ATTRS = 3.5
W_ICON_BESIDE_TEXT = 1.5
# Pixels.
W_TINY = 4.0
W_TRANSPARENT = 3.5
W_DIVIDER = 3.5
W_UNIFORM = 3.0
W_GRADIENT = 3.0
W_PATTERN = 3.0
W_LOW_ENTROPY = 1.0
W_DETAILED = -1.5
W_LARGE = -1.0
# Captioner and reuse.
W_MODEL_DECORATIVE = 2.5
W_OCR_TEXT = -2.5
W_REUSE = 1.0
REUSE_MIN = 3  # pages
LOW_CONFIDENCE = 0.3  # below this captioner confidence the evidence is shrunk ...
LOW_CONFIDENCE_SHRINK = 0.6  # ... by this factor (towards "uncertain")

# Whole tokens of file, class and id names (kebab, snake and camel case are split).
DECORATIVE_WORDS = frozenset(
    """spacer divider separator rule hr bullet border borders shadow bg background backdrop ornament
    ornamental flourish pixel shim deco decor decoration decorative swirl texture pattern gradient
    corner filler""".split()
)
INFORMATIVE_WORDS = frozenset(
    """chart graph diagram map plot infographic screenshot screencap screen photo figure fig logo
    portrait headshot qr qrcode barcode table scan signature""".split()
)
# Words that say nothing about the content (left out of redundancy checks).
_GENERIC_WORDS = frozenset(
    """img image images pic picture photo icon icons ico logo thumb thumbnail small large medium big
    png jpg jpeg gif svg webp avif bmp tif tiff dsc dcim the and for with new copy final v1 v2 x2 2x 3x
    hero banner asset assets file static media uploads""".split()
)
_STOP_WORDS = frozenset(
    """a an and are as at be by for from has in is it its of on or that the this to was were with
    image picture photo shows showing""".split()
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SPLIT = re.compile(r"[^A-Za-z0-9]+")
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


def _tokens(name: str) -> list[str]:
    """``hrDivider_2x.png`` → ["hr", "divider", "2x", "png"]."""
    out = []
    for part in _SPLIT.split(name):
        if part:
            out.extend(p.lower() for p in _CAMEL.split(part) if p)
    return out


def _file_stem(src: str | None) -> str:
    if not src or src.startswith("data:"):
        return ""
    path = src.split("#", 1)[0].split("?", 1)[0].rstrip("/")
    base = path.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[0] if "." in base else base


_NO_CONTEXT = ImageContext()


def _ctx(image: Image) -> ImageContext:
    return image.context or _NO_CONTEXT


def _attr(image: Image, key: str) -> str | None:
    for k, v in image.attrs:
        if k == key:
            return v
    return None


def _int_attr(image: Image, key: str) -> int | None:
    v = _attr(image, key)
    if v is None:
        return None
    m = re.match(r"\s*(\d+)(?:\.\d*)?\s*(?:px)?\s*$", v)
    return int(m.group(1)) if m else None


def _content_words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)} - _STOP_WORDS


def _name_words(image: Image) -> set[str]:
    """Content words of the file name (e.g. "tiger" from tiger-resting_800w.jpg)."""
    return {t for t in _tokens(_file_stem(image.src)) if len(t) >= 3 and t.isalpha()} - _GENERIC_WORDS


def _in_link_or_button(ctx: ImageContext) -> str | None:
    return ctx.kind


def _names_its_link(image: Image, ctx: ImageContext | None = None) -> bool:
    """The image is the only content of its link or button (and nothing else names it)."""
    return (ctx or _ctx(image)).names_its_link


def role_signals(image: Image) -> list[Signal]:
    """role=none/presentation and images outside the accessibility tree (ACT rule 46ca7f)."""
    out = []
    if image.presentational:
        role = ((_attr(image, "role") or "").split() or ["presentation"])[0].lower()
        out.append(Signal("role-presentation", W_ROLE_PRESENTATION, f"role={role}"))
    if image.hidden == "aria-hidden":
        out.append(Signal("aria-hidden", W_ARIA_HIDDEN, 'aria-hidden="true"'))
    elif image.hidden:
        out.append(Signal("hidden", W_HIDDEN, f"hidden from everyone ({image.hidden})"))
    return out


def link_text_signals(image: Image) -> list[Signal]:
    """An image inside a link or button that already has its own text (or aria-label)."""
    ctx = _ctx(image)
    kind = ctx.kind
    if kind is None:
        return []
    if ctx.link_label:
        return [Signal("link-has-text", W_LINK_HAS_TEXT, f"inside a {kind} named by its aria-label")]
    if ctx.link_text:
        return [Signal("link-has-text", W_LINK_HAS_TEXT, f"inside a {kind} with its own text")]
    return []


def redundancy_signals(image: Image, caption: Caption | None = None) -> list[Signal]:
    """Adjacent text or a figcaption that already says what the image shows.

    "Says what it shows": a content word of the file name appears in the text,
    or (with a caption) at least half of the caption's content words do.
    """
    ctx = _ctx(image)
    texts = {"figcaption": ctx.figcaption, "adjacent_text": ctx.adjacent_text, "link_text": ctx.link_text}
    names = _name_words(image)
    cap_words = _content_words(caption.text) if caption is not None and caption.text else set()
    best: Signal | None = None  # one piece of evidence: the walk for adjacent text may reach the figcaption
    for key, reason in (("figcaption", "figcaption already describes it"),
                        ("adjacent_text", "adjacent text already says what it shows")):
        text = texts.get(key)
        if key == "adjacent_text" and not text:
            text = texts.get("link_text")  # the link's text is adjacent too
        if not text:
            continue
        words = _content_words(text)
        hit = names & words
        found = None
        if len(cap_words) >= 2 and len(cap_words & words) * 2 >= len(cap_words):
            found = Signal("redundant-" + key, W_REDUNDANT_TEXT, reason)
        elif hit and len(hit) * 2 >= len(names):
            weight = W_REDUNDANT_TEXT if len(hit) >= 2 else W_REDUNDANT_WORD
            found = Signal("redundant-" + key, weight, f"{reason} ({', '.join(sorted(hit))})")
        if found is not None and (best is None or found.weight > best.weight):
            best = found
    out = [best] if best is not None else []
    if texts.get("figcaption") and best is None:
        out.append(Signal("in-figure", W_IN_FIGURE, "a figure with its own caption (content)"))
    return out


def name_signals(image: Image) -> list[Signal]:
    """Decorative (or informative) words as whole tokens of the file name, class or id."""
    out = []
    seen_dec = seen_inf = False
    for what, name in (("file name", _file_stem(image.src)), ("class", _attr(image, "class") or ""),
                       ("id", _attr(image, "id") or "")):
        if not name:
            continue
        toks = _tokens(name)
        dec = next((t for t in toks if t in DECORATIVE_WORDS), None)
        if dec is not None and not seen_dec:
            out.append(Signal("decorative-name", W_DECORATIVE_NAME, f"{what} says {dec}"))
            seen_dec = True
        inf = next((t for t in toks if t in INFORMATIVE_WORDS), None)
        if inf is not None and not seen_inf and dec is None:
            out.append(Signal("informative-name", W_INFORMATIVE_NAME, f"{what} says {inf}"))
            seen_inf = True
    return out


def size_attr_signals(image: Image) -> list[Signal]:
    """width/height attributes of a few pixels: ≤ 3 in either dimension, or both ≤ 8."""
    w, h = _int_attr(image, "width"), _int_attr(image, "height")
    if w is None and h is None:
        return []
    small_one = (w is not None and w <= 3) or (h is not None and h <= 3)
    small_both = w is not None and h is not None and w <= 8 and h <= 8
    if small_one or small_both:
        shown = f"{w if w is not None else '?'}×{h if h is not None else '?'}"
        return [Signal("tiny-attrs", W_TINY_ATTRS, f"width/height {shown}")]
    return []


def markup_signals(image: Image) -> list[Signal]:
    """All markup evidence for one image (no pixels, no caption)."""
    return (
        role_signals(image)
        + link_text_signals(image)
        + redundancy_signals(image)
        + name_signals(image)
        + size_attr_signals(image)
    )


# -- pixels --------------------------------------------------------------------------

_ANALYSIS_SIDE = 96  # statistics on a thumbnail this size
_PATTERN_SIDE = 128  # periodicity on an unscaled crop this size
_DECODE_SIDE = 512


@dataclass(frozen=True)
class PixelStats:
    """What pixel_signals measured (exposed for tests and --explain)."""

    width: int
    height: int
    transparent: float  # fraction of pixels with alpha == 0
    std: float  # max per-channel standard deviation over opaque pixels (0..255)
    entropy: float  # bits, grey-level histogram of opaque pixels
    colours: int  # distinct colours in the thumbnail (capped at 257)
    gradient: bool
    period: tuple[int, int] | None  # (px, py) of a repeating tile, 0 = constant along that axis


def _decode(data: bytes):
    """bytes → (RGBA PIL image at most _DECODE_SIDE, original size), or None when undecodable."""
    from PIL import Image as PILImage

    from altbot.caption.pixels import is_svg

    if not data or is_svg(data):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            im = PILImage.open(io.BytesIO(data), formats=("PNG", "GIF", "JPEG", "WEBP", "BMP", "ICO", "TIFF", "MPO"))
            size = im.size
            if getattr(im, "n_frames", 1) > 1:
                im.seek(0)
            if im.format in ("JPEG", "MPO"):
                im.draft("RGB", (_DECODE_SIDE, _DECODE_SIDE))
            im.load()
            im = im.convert("RGBA")
            if max(im.size) > _DECODE_SIDE:
                im.thumbnail((_DECODE_SIDE, _DECODE_SIDE))
            return im, size
    except Exception:  # noqa: BLE001 - undecodable: no pixel evidence, never an error here
        return None


def _entropy(grey) -> float:
    import numpy as np

    if grey.size == 0:
        return 0.0
    hist = np.bincount(grey.astype(np.uint8).ravel(), minlength=256).astype(np.float64)
    p = hist[hist > 0] / grey.size
    return float(-(p * np.log2(p)).sum())


def _period(a, axis: int) -> int | None:
    """Smallest period of ``a`` (2-D float) along ``axis``: 0 when constant, None when not periodic."""
    import numpy as np

    n = a.shape[axis]
    mad = []  # mean absolute difference between the image and itself shifted by p
    for p in range(1, max(1, n // 3) + 1):
        if axis == 1:
            d = np.abs(a[:, p:] - a[:, :-p]).mean()
        else:
            d = np.abs(a[p:, :] - a[:-p, :]).mean()
        mad.append(float(d))
        if p == 1 and d < 0.5:
            return 0  # constant along this axis
        if p >= 2:
            peak = max(mad[:-1])
            if peak >= 4.0 and d <= 0.15 * peak:
                return p
    return None


def _gradient(a) -> bool:
    """A plain gradient: constant across one axis, smooth and varying along the other."""
    import numpy as np

    h, w = a.shape[:2]
    for axis in (0, 1):  # axis 0: varies down the rows (vertical gradient)
        if (h if axis == 0 else w) < 8:
            continue
        across = a.std(axis=1 - axis)  # spread within each row (vertical) / column (horizontal)
        if float(across.max()) > 3.0:
            continue
        profile = a.mean(axis=1 - axis)  # (n, channels)
        span = float((profile.max(axis=0) - profile.min(axis=0)).max())
        if span < 12.0:
            continue  # that is near-uniform, not a gradient
        d2 = np.abs(np.diff(profile, n=2, axis=0))
        if float(d2.mean()) < 1.0 and float(d2.max()) < 12.0:
            return True
    # diagonal / radial: smooth in both directions with a low second derivative everywhere
    if h >= 8 and w >= 8:
        g = a.mean(axis=2)
        dx2 = np.abs(np.diff(g, n=2, axis=1))
        dy2 = np.abs(np.diff(g, n=2, axis=0))
        if float(np.ptp(g)) >= 24.0 and float(dx2.max()) < 4.0 and float(dy2.max()) < 4.0:
            if float(dx2.mean()) < 0.6 and float(dy2.mean()) < 0.6:
                return True
    return False


def pixel_stats(pixels: Any) -> PixelStats | None:
    """Measure a PIL image or ``ImageData``; None when there are no pixels (SVG, undecodable)."""
    import numpy as np

    size = None
    if hasattr(pixels, "data") and hasattr(pixels, "key"):  # ImageData
        dec = _decode(pixels.data)
        if dec is None:
            return None
        im, size = dec
    elif isinstance(pixels, (bytes, bytearray)):
        dec = _decode(bytes(pixels))
        if dec is None:
            return None
        im, size = dec
    else:
        im = pixels
        size = im.size
        if im.mode != "RGBA":
            im = im.convert("RGBA")
    w, h = size
    if w < 1 or h < 1:
        return None
    full = np.asarray(im, dtype=np.uint8)
    alpha = full[:, :, 3]
    transparent = float((alpha == 0).mean())

    thumb = im.copy()
    if max(thumb.size) > _ANALYSIS_SIDE:
        thumb.thumbnail((_ANALYSIS_SIDE, _ANALYSIS_SIDE))
    t = np.asarray(thumb, dtype=np.float64)
    rgb, a = t[:, :, :3], t[:, :, 3]
    opaque = a > 0
    if opaque.any():
        px = rgb[opaque]
        std = float(px.std(axis=0).max())
        grey = (px @ np.array([0.299, 0.587, 0.114])).round()
        entropy = _entropy(grey)
        q = px.astype(np.int64)
        keys = (q[:, 0] << 16) | (q[:, 1] << 8) | q[:, 2]
        colours = min(257, len(np.unique(keys)))
    else:
        std, entropy, colours = 0.0, 0.0, 0
    # transparency counts as a colour for the shape analyses (flatten on a mid grey)
    flat = rgb * (a[:, :, None] / 255.0) + 128.0 * (1 - a[:, :, None] / 255.0)
    gradient = _gradient(flat) if opaque.all() else False

    crop = np.asarray(im.crop((0, 0, min(im.width, _PATTERN_SIDE), min(im.height, _PATTERN_SIDE))), dtype=np.float64)
    cg = crop[:, :, :3] @ np.array([0.299, 0.587, 0.114]) * (crop[:, :, 3] / 255.0) + 128.0 * (1 - crop[:, :, 3] / 255.0)
    period = None
    if min(cg.shape) >= 6:
        px_, py_ = _period(cg, 1), _period(cg, 0)
        if px_ is not None and py_ is not None and (px_ or py_):
            period = (px_, py_)
    return PixelStats(w, h, transparent, std, entropy, colours, gradient, period)


def pixel_signals(pixels: Any) -> list[Signal]:
    """Evidence from the pixels of a PIL image or ``ImageData`` (alpha kept when decoding ImageData).

    Pass ``ImageData`` rather than ``open_image``'s result where possible:
    ``open_image`` flattens transparency on white and scales large images down.
    """
    st = pixels if isinstance(pixels, PixelStats) else pixel_stats(pixels)
    if st is None:
        return []
    return stats_signals(st)


def stats_signals(st: PixelStats) -> list[Signal]:
    w, h = st.width, st.height
    out: list[Signal] = []
    if (w <= 3 and h <= 3) or w * h <= 64:
        what = f"{w}×{h} tracking pixel" if w <= 3 and h <= 3 else f"tiny {w}×{h} image"
        return [Signal("tiny", W_TINY, what)]
    if st.transparent >= 0.9:
        out.append(Signal("transparent", W_TRANSPARENT, f"mostly transparent ({st.transparent:.0%})"))
    long_side, thin = max(w, h), min(w, h)
    plain = False
    if long_side >= 15 * thin and thin <= 12 and st.entropy <= 3.0:
        out.append(Signal("divider", W_DIVIDER, f"thin {w}×{h} strip (divider)"))
        plain = True
    if st.transparent < 0.9 and st.std < 4.0:
        out.append(Signal("uniform", W_UNIFORM, "near-uniform colour"))
        plain = True
    elif st.gradient:
        out.append(Signal("gradient", W_GRADIENT, "plain gradient"))
        plain = True
    elif st.period is not None:
        px, py = st.period
        what = f"repeating pattern ({px}×{py} tile)" if px and py else "repeating stripes"
        out.append(Signal("pattern", W_PATTERN, what))
        plain = True
    elif st.entropy < 0.5 and st.transparent < 0.9:  # one colour covers ~90 % or more
        out.append(Signal("low-entropy", W_LOW_ENTROPY, f"very low entropy ({st.entropy:.1f} bits)"))
    if not plain and st.transparent < 0.5:
        if st.entropy >= 4.5 and thin >= 48:
            out.append(Signal("detailed", W_DETAILED, f"detailed image ({st.entropy:.1f} bits)"))
        if w * h >= 40000:
            out.append(Signal("large", W_LARGE, f"large image ({w}×{h})"))
    return out


# -- captioner -----------------------------------------------------------------------

_OCR_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


def caption_signals(caption: Caption | None) -> list[Signal]:
    """A chat model's DECORATIVE answer; text read from the image (informative)."""
    if caption is None:
        return []
    out = []
    if caption.decorative:
        who = caption.model or caption.backend
        out.append(Signal("model-decorative", W_MODEL_DECORATIVE, f"chat model answered DECORATIVE ({who})"))
    if caption.ocr_text and len(_OCR_WORD.findall(caption.ocr_text)) >= 2:
        shown = " ".join(caption.ocr_text.split())
        shown = shown if len(shown) <= 30 else shown[:29] + "…"
        out.append(Signal("ocr-text", W_OCR_TEXT, f"contains text ({shown!r})"))
    return out


def _low_confidence(caption: Caption | None) -> bool:
    if caption is None or caption.decorative or not caption.text:
        return False
    return caption.confidence is not None and caption.confidence < LOW_CONFIDENCE


# -- combination ---------------------------------------------------------------------


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def link_purpose_context(image: Image) -> str | None:
    """"Link to <href> (<title>)" for an image inside a link (captioner context), else None.

    For an image that is the only content of its link, the alt must say where the
    link goes: the captioner should be told.
    """
    ctx = _ctx(image)
    kind = ctx.kind
    if kind is None:
        return None
    href, title = ctx.link_href, ctx.link_title
    label = ctx.link_label
    head = f"Link to {href}" if kind == "link" and href else ("Link" if kind == "link" else "Button")
    notes = [n for n in (title, label) if n]
    return head + (f" ({'; '.join(notes)})" if notes else "")


def _verdict_of(score: float) -> Verdict:
    if score >= T_DEC:
        return DECORATIVE
    if score <= T_INF:
        return INFORMATIVE
    return UNCERTAIN


def judge(
    image: Image,
    pixels: Any = None,
    caption: Caption | None = None,
    reuse_count: int = 0,
) -> Judgement:
    """Decorative, informative or uncertain, with a score and the reasons.

    ``pixels``: a PIL image, ``ImageData`` (preferred: alpha is kept) or None.
    ``caption``: what a captioner said (``decorative``, ``ocr_text``, ``confidence``).
    ``reuse_count``: on how many pages the same image content sits in the same
    structural position.
    """
    ctx = _ctx(image)
    # hard rules
    if image.control:
        what = "<input type=image>" if image.element == "input" else f"<{image.element}>"
        return Judgement(INFORMATIVE, 0.0, (f"a control ({what}) is never decorative",))
    if _names_its_link(image, ctx):
        kind = ctx.kind or "link"
        if kind == "link":
            href = ctx.link_href or "?"
            reason = f"names the link to {href}"
        else:
            reason = "names the button"
        return Judgement(INFORMATIVE, 0.0, (reason, f"the image is the {kind}'s only content"))

    signals = markup_signals(image)
    # replace the markup-only redundancy check with one that also knows the caption
    if caption is not None and caption.text:
        signals = [s for s in signals if not s.name.startswith("redundant-") and s.name != "in-figure"]
        signals += redundancy_signals(image, caption)
    st = None
    if pixels is not None:
        st = pixels if isinstance(pixels, PixelStats) else pixel_stats(pixels)
        if st is not None:
            signals += stats_signals(st)
    signals += caption_signals(caption)

    # a small image right beside text: an icon repeating what the text says
    w = _int_attr(image, "width") or (st.width if st is not None else None)
    h = _int_attr(image, "height") or (st.height if st is not None else None)
    beside = ctx.adjacent_text or ctx.link_text or ""
    if w is not None and h is not None and w <= 48 and h <= 48 and len(_content_words(beside)) >= 1:
        if not any(s.name in ("tiny", "tiny-attrs") for s in signals):
            signals.append(Signal("icon-beside-text", W_ICON_BESIDE_TEXT, f"small {w}×{h} icon beside text"))

    evidence = sum(s.weight for s in signals if s.weight > 0)
    if reuse_count >= REUSE_MIN and evidence > 0:
        signals.append(
            Signal("reuse", W_REUSE, f"same image on {reuse_count} pages in the same position")
        )

    logit = BIAS + sum(s.weight for s in signals)
    low = _low_confidence(caption)
    if low:
        logit *= LOW_CONFIDENCE_SHRINK
    score = _sigmoid(logit)
    verdict = _verdict_of(score)
    ordered = sorted(signals, key=lambda s: -abs(s.weight))
    reasons = [s.reason for s in ordered]
    if low:
        reasons.append(f"low captioner confidence ({caption.confidence:.2f}): needs review")  # type: ignore[union-attr]
    if not reasons:
        reasons.append("no decorative evidence")
    return Judgement(verdict, round(score, 4), tuple(reasons), tuple(ordered))
