"""Core records shared by every pipeline stage.

All positions are character offsets into ``SourceFile.text`` — the decoded
text exactly as it is on disk (newlines untouched, BOM removed and remembered),
so that ``SourceFile.encode(text)`` gives back the original bytes.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import accumulate
from enum import Enum

TYPE_CHECKING = False  # typing is for the type checker only: a check never imports it
if TYPE_CHECKING:
    from typing import Any


# The longest alt text altbot writes, in characters (screen readers cut or page long ones).
DEFAULT_MAX_LENGTH = 125
# the range a longest alt text may be set to (--max-length, `max-length`): below 10 no caption
# fits; above 2000 (what the review page takes) it is a slip, and past a C integer an error
MAX_LENGTH_RANGE = (10, 2000)


def max_length_problem(value: object) -> str | None:
    """Why ``value`` cannot be the longest alt text, or None when it can."""
    low, high = MAX_LENGTH_RANGE
    if not isinstance(value, int) or isinstance(value, bool):
        return f"must be a whole number of characters, from {low} to {high}"
    if value < low:
        return f"must be at least {low}"
    if value > high:
        return f"must be at most {high} (an alt text is a sentence or two)"
    return None


class StrEnum(str, Enum):
    """An enum whose members are their string values everywhere: ==, json, f-strings."""

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, spec: str) -> str:
        return str.__format__(str.__str__(self), spec)


@dataclass(frozen=True, order=True)
class Span:
    """Half-open range ``[start, end)`` of character offsets."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def shifted(self, offset: int) -> "Span":
        return Span(self.start + offset, self.end + offset)

    def contains(self, pos: int) -> bool:
        return self.start <= pos < self.end


class Kind(str, Enum):
    """How a source file is parsed."""

    HTML = "html"
    MARKDOWN = "markdown"
    MDX = "mdx"
    ASTRO = "astro"  # an Astro component or page: a script fence, then a JSX-like template


@dataclass(frozen=True)
class SourceFile:
    """A file as read from disk: enough to write it back byte for byte."""

    path: str  # display path: relative to the working directory, '/' separators
    abspath: str
    kind: Kind
    raw: bytes
    text: str
    encoding: str  # codec name that decodes ``raw`` (after the BOM) to ``text``
    bom: bytes = b""

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.encoding)


class LineIndex:
    """Maps character offsets to 1-based (line, column).

    Line breaks are ``\\n``, ``\\r\\n`` and a lone ``\\r`` (CommonMark's line
    endings); columns count characters.
    """

    def __init__(self, text: str) -> None:
        if "\r" not in text:  # the usual case, in C: each line's start is the last one's plus its length and 1
            self._starts = list(accumulate(map((1).__add__, map(len, text.split("\n")[:-1])), initial=0))
            return
        starts = [0]
        i = 0
        n = len(text)
        find_n = text.find
        while True:
            j = find_n("\n", i)
            k = find_n("\r", i, j if j >= 0 else n)
            if k >= 0:
                # a '\r' before the next '\n': either '\r\n' or a lone '\r'
                if k + 1 < n and text[k + 1] == "\n":
                    starts.append(k + 2)
                    i = k + 2
                else:
                    starts.append(k + 1)
                    i = k + 1
                continue
            if j < 0:
                break
            starts.append(j + 1)
            i = j + 1
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def line_start(self, line: int) -> int:
        """Offset of the first character of 1-based ``line``."""
        return self._starts[line - 1]

    @property
    def line_count(self) -> int:
        return len(self._starts)


class Syntax(str, Enum):
    """Which source syntax an image was written in (decides how it is edited)."""

    HTML = "html"  # an HTML tag, in an HTML file or raw HTML inside Markdown
    MARKDOWN = "markdown"  # ![alt](src) and reference images
    JSX = "jsx"  # an MDX/JSX element: <img>, <Image>, <Picture>
    SHORTCODE = "shortcode"  # Hugo {{< figure >}} / {{% figure %}}
    FRONTMATTER = "frontmatter"  # a CMS image field in YAML/TOML front matter
    LIQUID = "liquid"  # a Jekyll include tag: {% include figure image_path=… alt=… %}


@dataclass(frozen=True)
class ImageContext:
    """What surrounds an image in its page, as the decorative check and captioners read it.

    Only computed when a command needs it (scan, fix, review); ``check`` leaves it None.
    """

    in_link: bool = False
    in_button: bool = False
    link_href: str | None = None
    link_title: str | None = None
    link_label: str | None = None  # the link's or button's own accessible name (aria-label ...)
    link_text: str | None = None  # the link's or button's other visible text
    only_image: bool = False  # the image is the only content of its link or button
    figcaption: str | None = None  # the enclosing <figure>'s caption
    adjacent_text: str | None = None  # text right before/after the image in its block

    @property
    def kind(self) -> str | None:
        return "link" if self.in_link else ("button" if self.in_button else None)

    @classmethod
    def from_pairs(cls, pairs) -> "ImageContext | None":
        """Build one from a parser's (key, value) pairs: ``in_link``/``in_button``/``*_only_image``
        are flags ("1"), the rest text. None when there is nothing."""
        got = dict(pairs)
        if not got:
            return None
        return cls(
            in_link=got.get("in_link") == "1",
            in_button=got.get("in_button") == "1",
            link_href=got.get("link_href"),
            link_title=got.get("link_title"),
            link_label=got.get("link_label"),
            link_text=got.get("link_text"),
            only_image=got.get("link_only_image") == "1" or got.get("button_only_image") == "1",
            figcaption=got.get("figcaption"),
            adjacent_text=got.get("adjacent_text"),
        )

    @property
    def names_its_link(self) -> bool:
        """The image is the link's (or button's) only content and nothing else names it."""
        return self.only_image and not self.link_label


@dataclass(frozen=True)
class MarkdownHints:
    """How a Markdown image is written, for the edit stage."""

    ref_kind: str | None = None  # None (inline), "full", "collapsed" or "shortcut": how to rewrite the label
    ref: str | None = None  # the reference label
    attrs: str | None = None  # "pandoc" or "kramdown": an attribute block {…} follows the image
    alt_quote: str | None = None  # the quote of alt="…" inside that block ("" when unquoted)


@dataclass(frozen=True)
class FrontMatterHints:
    """Where a front-matter image field's alt goes, and how it is written, for the edit stage."""

    key: str  # the image key as written (dotted for TOML dotted keys)
    format: str  # "yaml" | "toml"
    path: str  # the field's path in the document, e.g. "images[0].src"
    field: str  # the configured field it matched, e.g. "images[].src"
    alt_key: str | None = None  # the alt key to write, as written beside the image key
    alt_style: str | None = None  # how the present alt value is written: plain, double, single, literal, folded, empty, other;
    # structure: a list or a mapping, not text (a file error; scan's status "invalid")
    indent: str = ""  # the indentation of the image key's line
    newline: str = "\n"  # that line's line break
    flow: bool = False  # inside a YAML flow mapping / TOML inline table


@dataclass(frozen=True)
class JsxHints:
    """How a JSX/MDX image is written, for the edit stage."""

    spread: bool = False  # a {...props} spread may supply or override alt


@dataclass(frozen=True)
class ShortcodeHints:
    """How a shortcode image is written, for the edit stage: a site's own shortcode may take its
    alt text in another parameter (``description="…"``)."""

    alt_param: str = "alt"
    src_param: str = "src"  # a positional one by its index ("0")


@dataclass(frozen=True)
class HtmlHints:
    """How an HTML image tag is written, for the edit stage."""

    template_in_tag: bool = False  # a template block sits among the tag's attributes


@dataclass(frozen=True)
class Image:
    """One image found in a source file, with the exact places a fix edits.

    ``alt`` is the text alternative as a reader gets it (entities decoded,
    Markdown flattened), ``None`` when the alt attribute/field is absent.
    ``alt_span`` is the span of the raw alt *value* in the source (inside the
    quotes for HTML, inside the brackets for Markdown); ``insert_at`` is where
    an alt attribute/field would be inserted when it is absent.
    """

    path: str
    syntax: Syntax
    element: str  # "img", "input", "area", "svg", "md-image", "Image", "figure", "front-matter" ...
    element_span: Span
    line: int
    column: int
    src: str | None = None
    alt: str | None = None
    alt_span: Span | None = None
    insert_at: int | None = None
    title: str | None = None
    # Accessible name from something other than alt: (text, source) where source is
    # "aria-label", "aria-labelledby", "title", "label" or "svg-title".
    name: str | None = None
    name_source: str | None = None
    # Why the image is outside the accessibility tree ("aria-hidden", "hidden",
    # "display:none", ...) or None.
    hidden: str | None = None
    presentational: bool = False  # role=none/presentation that does not conflict
    control: bool = False  # <input type=image>, <area href>: empty alt is an error
    dynamic_alt: bool = False  # alt is a template / JSX expression: present, value unknown
    fixable: bool = True  # False for detect-only images (svg role=img, ...)
    ignored: bool = False  # suppressed by <!-- altbot-ignore -->
    lang: str | None = None
    lang_source: str | None = None
    # what the language lookup passed over on the way, on the page itself (an invalid
    # <html lang>, a meta content-language); the site's own notes are the site's facts
    lang_notes: tuple[str, ...] = ()
    attrs: tuple[tuple[str, str | None], ...] = ()
    # how the image is written in its syntax: what the edit stage needs besides the spans
    hints: MarkdownHints | FrontMatterHints | JsxHints | HtmlHints | ShortcodeHints | None = None
    context: ImageContext | None = None
    # a front-matter image that only a social card shows (og:image): not on the page itself
    card: bool = False
    card_note: str | None = None  # which layout or convention says so
    # the file a src expression stands for, when the page itself says (an MDX import)
    src_resolved: str | None = None
    src_source: str | None = None

    @property
    def target(self) -> str | None:
        """What to load: the resolved file, else the src as written."""
        return self.src_resolved or self.src


_IMAGE_DEFAULTS: dict[str, Any] = {}
_IMAGE_REQUIRED: frozenset[str] = frozenset()


def make_image(**fields: Any) -> Image:
    """``Image(**fields)``, for the parsers' hot paths: the same value (equal, hashed and
    replaced alike), built without the frozen dataclass's ``__setattr__`` for each of its
    fields, which is most of an ``Image``'s cost."""
    global _IMAGE_REQUIRED
    if not _IMAGE_DEFAULTS:
        import dataclasses

        for f in dataclasses.fields(Image):
            _IMAGE_DEFAULTS[f.name] = f.default
        _IMAGE_REQUIRED = frozenset(k for k, v in _IMAGE_DEFAULTS.items() if v is dataclasses.MISSING)
    values = _IMAGE_DEFAULTS.copy()
    values.update(fields)
    if len(values) != len(_IMAGE_DEFAULTS) or not _IMAGE_REQUIRED <= fields.keys():
        raise TypeError(f"make_image: unknown or missing fields in {sorted(fields)}")
    image = object.__new__(Image)
    image.__dict__.update(values)
    return image


def context_of(img: "Image") -> ImageContext | None:
    """The image's place on its page (None when the parser computed none)."""
    return img.context


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


@dataclass(frozen=True)
class Finding:
    """One rule's verdict on one image: what check and scan report."""

    rule: str
    severity: Severity
    image: Image
    message: str


@dataclass(frozen=True)
class FileError:
    """A file that could not be read or parsed: reported, counted, never skipped silently."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None


# -- fix pipeline: caption → decide → edit --------------------------------------


class Applicability(StrEnum):
    """How much a suggestion may be trusted (ruff's fix applicability); it decides what each mode writes."""

    SAFE = "safe"  # the author's or a reviewer's own words: written by --write
    REVIEW = "review"  # model, OCR or heuristic text: written by --write, flagged for a human to review
    DISPLAY_ONLY = "display-only"  # a guess altbot itself doubts: shown, never written until a human accepts it

    @property
    def written(self) -> bool:
        """Does --write / --patch / --branch (and the diff) apply it without a human accepting it?"""
        return self is not Applicability.DISPLAY_ONLY


class Verdict(StrEnum):
    """The decorative check's answer for one image."""

    DECORATIVE = "decorative"
    INFORMATIVE = "informative"
    UNCERTAIN = "uncertain"




class ImageStatus(StrEnum):
    """What ``scan`` says of one image."""

    OK = "ok"
    MISSING = "missing"
    BLANK = "blank"
    EMPTY = "empty"
    SUSPICIOUS = "suspicious"
    HIDDEN = "hidden"
    DECORATIVE = "decorative"  # marked decorative in the markup (alt="", role=presentation)
    NAMED = "named"  # named by something other than alt (aria-label …)
    INVALID = "invalid"  # a front-matter alt field that holds a list or a mapping, not text (a file error)


class Status(StrEnum):
    """What fix did with one finding."""

    FIXED = "fixed"  # alt text proposed
    DECORATIVE = "decorative"  # proposed as decorative (alt="" in HTML/JSX, a ledger entry elsewhere)
    SKIPPED = "skipped"  # left open, with the reason
