"""What every parser returns, and the options they share."""

from __future__ import annotations

from dataclasses import dataclass, field

from altbot.model import FileError, Image, Span

# Comment bodies that suppress findings; matched after stripping whitespace.
IGNORE_NEXT = "altbot-ignore"
IGNORE_FILE = "altbot-ignore-file"

# HTML elements that have no end tag nor content (WHATWG void elements, and the legacy ones)
VOID_ELEMENTS = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen frame basefont bgsound".split()
)


@dataclass(frozen=True)
class FrontMatterField:
    """A CMS image field and the field that holds its alt text.

    Dotted paths walk mappings; ``[]`` walks every item of a list, e.g.
    ``image``/``image_alt``, ``cover.image``/``cover.alt``,
    ``gallery[].src``/``gallery[].alt``. The alt path must share the image
    path's parent (the alt sits next to its image).
    """

    image: str
    alt: str


DEFAULT_FRONT_MATTER_FIELDS: tuple[FrontMatterField, ...] = (
    FrontMatterField("image", "image_alt"),
    FrontMatterField("featured_image", "featured_image_alt"),
    FrontMatterField("thumbnail", "thumbnail_alt"),
    FrontMatterField("cover.image", "cover.alt"),
    FrontMatterField("hero.image", "hero.alt"),
    FrontMatterField("images[].src", "images[].alt"),
    FrontMatterField("gallery[].image", "gallery[].alt"),
)

DEFAULT_COMPONENTS: tuple[str, ...] = ("Image", "Picture")


# A character that is text to CommonMark (neither whitespace nor punctuation) and in no page's
# text (a Unicode noncharacter): what the Markdown parser is shown instead of a tag it must read
# as inline text (``parse.blocks.paragraph_tags``); the context and alt texts drop it
FILLER = "\uffff"


@dataclass(frozen=True)
class ParseOptions:
    """What the parsers look for beyond plain images: components, front-matter fields, shortcodes."""

    components: tuple[str, ...] = DEFAULT_COMPONENTS
    front_matter_fields: tuple[FrontMatterField, ...] = DEFAULT_FRONT_MATTER_FIELDS
    shortcodes: tuple[str, ...] = ("figure",)
    # (name, src param, alt param) of shortcodes whose parameters are not src/alt (a site's own)
    shortcode_params: tuple[tuple[str, str, str], ...] = ()
    # Jekyll includes that write an image: (name, src param, alt param) (``parse.liquid``)
    includes: tuple[tuple[str, str, str], ...] = ()
    # the same for the page's ``{% include_relative file %}`` tags (files beside the page)
    relative_includes: tuple[tuple[str, str, str], ...] = ()
    # Compute each image's ImageContext (link, figure caption, adjacent text). Only
    # the decorative check reads it: `check` (which judges no image) turns it off.
    context: bool = True
    # Markdown: an HTML block whose opening tag has a markdown attribute holds Markdown (MkDocs'
    # md_in_html, Jekyll's kramdown), as the page's generator reads it (``parse.blocks``)
    markdown_html: bool = False
    # Markdown: "raw", an HTML block is raw up to its matching end tag, and Markdown from the next
    # line (Python-Markdown, kramdown), not up to a blank line as CommonMark reads it; "markdown",
    # its content is Markdown (kramdown's parse_block_html) (``parse.blocks``); None: CommonMark
    balanced_html: str | None = None
    # Markdown: tags that start a line but no HTML block (Python-Markdown's admonition, details
    # and tab content: ``parse.blocks.paragraph_tags``), as (start, end)
    paragraph_tags: tuple[tuple[int, int], ...] = ()


@dataclass
class ParseResult:
    """What parsing one file gives: its images, the regions where none can be, and its language."""

    images: list[Image] = field(default_factory=list)
    # Offsets just past each ``altbot-ignore`` comment: the first image starting
    # at or after a mark is suppressed.
    ignore_marks: list[int] = field(default_factory=list)
    ignore_file: bool = False
    # Regions where nothing is an image (code blocks, code spans, comments):
    # later scanners of the same text (shortcodes, JSX) skip them.
    excluded: list[Span] = field(default_factory=list)
    # Non-fatal problems (unterminated comment, bad front matter, ...). The file is
    # still scanned, but each problem is reported and counted.
    errors: list[FileError] = field(default_factory=list)
    # MDX: the ESM (``import``/``export``) blocks the Markdown parser found; JavaScript, read
    # by the JSX scanner (``parse_jsx(esm=...)``), not Markdown.
    esm: list[Span] = field(default_factory=list)
    # JSX (MDX, Astro): (start, end, hidden, lang) of each element that hides its content or sets
    # its language (``parse.jsx.apply_scopes`` gives it to the images inside, Markdown's too)
    scopes: list[tuple[int, int, str | None, str | None]] = field(default_factory=list)
    lang: str | None = None
    lang_source: str | None = None

    def extend(self, other: "ParseResult") -> None:
        self.images.extend(other.images)
        self.ignore_marks.extend(other.ignore_marks)
        self.ignore_file = self.ignore_file or other.ignore_file
        self.excluded.extend(other.excluded)
        self.errors.extend(other.errors)
        self.esm.extend(other.esm)
        self.scopes.extend(other.scopes)

    def comment(self, body: str, end: int) -> None:
        """A comment with ``body`` that ends at ``end``: an ``altbot-ignore`` marks the next image
        from there, an ``altbot-ignore-file`` the whole file; any other comment, nothing."""
        kind = is_ignore_comment(body)
        if kind == IGNORE_NEXT:
            self.ignore_marks.append(end)
        elif kind == IGNORE_FILE:
            self.ignore_file = True


def is_ignore_comment(body: str) -> str | None:
    """Return IGNORE_NEXT / IGNORE_FILE if a comment body is a suppression directive."""
    word = body.strip()
    if word == IGNORE_FILE:
        return IGNORE_FILE
    if word == IGNORE_NEXT:
        return IGNORE_NEXT
    return None
