"""discover → parse → find, over many files, streaming.

Only the per-image results are kept, never the file texts, so memory does not
grow with the size of the site beyond its images.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from altbot.config import Config
from altbot.discover import Candidate, iter_candidates, read_source
from altbot.model import FileError, Finding, Image, Kind, SourceFile, Syntax
from altbot.parse import parse_source
from altbot.parse.base import ParseResult
from altbot.rules import find

TYPE_CHECKING = False  # the Ledger type is for the type checker: a check with no ledger file never loads it
if TYPE_CHECKING:
    from altbot.ledger import Ledger


@dataclass
class FileResult:
    """One checked file: its images, findings and errors."""

    path: str
    images: list[Image]
    findings: list[Finding]
    errors: list[FileError]
    count: int | None = None  # how many images, when ``images`` was left out (a worker's answer to check)

    @property
    def image_count(self) -> int:
        return len(self.images) if self.count is None else self.count


@dataclass
class RunResult:
    """A whole run's counts, findings and errors, gathered file by file."""

    files: int = 0
    images: int = 0
    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    inventory: list[Image] = field(default_factory=list)  # filled only when asked for
    config: Config | None = None  # the run's config, with its site model

    def add(self, fr: FileResult, keep_images: bool) -> None:
        self.files += 1
        self.images += fr.image_count
        self.findings.extend(fr.findings)
        self.errors.extend(fr.errors)
        if keep_images:
            self.inventory.extend(fr.images)


# Below this many files a worker pool costs more than it saves.
PARALLEL_THRESHOLD = 200
_CHUNK = 32


@dataclass(frozen=True)
class LedgerView:
    """What a reviewer recorded about one page's images (as they are now)."""

    ledger: Ledger
    config: Config
    page_abspath: str
    page: str

    def _decision(self, img: Image):
        if img.src is None or not self.ledger.has_page_src(self.page, img.src):
            return None
        from altbot.images import load_image

        data = load_image(img.target, self.page_abspath, self.config)
        return self.ledger.lookup(self.page, img.src, getattr(data, "key", ""))

    def is_decorative(self, img: Image) -> bool:
        d = self._decision(img)
        return d is not None and d.decision == "decorative"

    def is_reviewed(self, img: Image) -> bool:
        """A reviewer accepted exactly this image's current alt (so check does not flag it again)."""
        d = self._decision(img)
        return d is not None and d.decision == "reviewed" and d.alt is not None and d.alt == img.alt


def ledger_view(ledger: Ledger | None, config: Config, page_abspath: str) -> LedgerView | None:
    if ledger is None or not len(ledger):
        return None
    return LedgerView(ledger, config, page_abspath, config.page_key(page_abspath))


def make_resolver(config: Config, detect: bool = False, default_lang: str | None = None):
    from altbot.language import LanguageResolver

    return LanguageResolver(
        str(config.root),
        site=config.site,
        site_default=config.default_lang,
        default_lang=default_lang,
        detect=detect and config.detect_lang,
    )


def with_languages(images: list[Image], source: SourceFile, parsed: ParseResult, resolver) -> list[Image]:
    """Each image's language, resolved the way the site generator does (element, page, site, detection)."""
    if resolver is None:
        return images
    found = (parsed.lang, parsed.lang_source)
    text = source.text
    if parsed.esm:  # MDX: its ESM blocks are JavaScript, no words of the page's language
        from altbot.context import without

        text = without(text, parsed.esm)
    out = []
    site_notes: set[str] | None = None
    for im in images:
        r = resolver.resolve(im, source.abspath, text, found=found)
        notes: tuple[str, ...] = ()
        if r.notes:  # the page's own; the site's are said once, with the site's facts
            if site_notes is None:
                model = getattr(resolver, "site", None)
                site_notes = set(model.notes_for(source.abspath)) if model is not None else set()
            notes = tuple(n for n in r.notes if n not in site_notes)
        if (r.tag, r.source, notes) != (im.lang, im.lang_source, im.lang_notes):
            im = replace(im, lang=r.tag, lang_source=r.source, lang_notes=notes)
        out.append(im)
    return out


def verdict_for(image: Image, page_abspath: str, config: Config):
    """The decorative check's verdict on one image, with its pixels when they can be read."""
    from altbot.decorative import judge, pixel_stats
    from altbot.images import ImageData, load_image

    data = load_image(image.target, page_abspath, config)
    stats = None
    if isinstance(data, ImageData):
        try:
            stats = pixel_stats(data)
        except Exception:  # an undecodable image gives no pixel evidence
            stats = None
    return judge(image, stats)


def _judged_informative(config: Config, page_abspath: str) -> Callable[[Image], bool]:
    return lambda img: verdict_for(img, page_abspath, config).verdict == "informative"


def check_file(
    candidate: Candidate, config: Config, ledger: Ledger | None = None, resolver=None
) -> FileResult | FileError:
    """read → parse → language → find for one file. An unexpected exception is this file's error."""
    try:
        return _check_file(candidate, config, ledger, resolver)
    except Exception as exc:  # noqa: BLE001 - one file's bug must not end the run
        from altbot.debug import internal_error

        return internal_error(candidate.display, exc)


def parse_page(source: SourceFile, config: Config) -> ParseResult:
    """parse, as the site's generator reads the page: no shortcodes where it runs none
    (Hugo layouts), the site's own image shortcodes with their parameters and Jekyll's image
    includes, Docusaurus' ``.md`` pages as MDX (its default ``markdown.format``), MkDocs'
    indented admonition/details/tab blocks as Markdown, Markdown inside ``markdown``-attribute
    blocks and HTML blocks as Python-Markdown and kramdown read them (``parse.blocks``), raw
    HTML only where Hugo renders it, and front-matter images as its layouts use them."""
    options = config.parse_options()
    site = config.site
    if site is not None and not site.sites:
        site = None  # no generator config in the run: every question below has the answer "none"
    text = source.text
    if site is not None and "{{" in text:
        if not site.runs_shortcodes(source.abspath):
            options = replace(options, shortcodes=())
        elif own := site.image_shortcodes(source.abspath):  # the site's (or its theme's) own image shortcodes
            names = options.shortcodes
            if "shortcodes" not in config.explicit:  # the config's list is the override
                names = tuple(dict.fromkeys((*names, *own)))
            params = tuple((n, *own[n]) for n in names if n in own)
            options = replace(options, shortcodes=names, shortcode_params=params)
    if site is not None and "{%" in text and (includes := site.image_includes(source.abspath)):
        options = replace(options, includes=tuple((n, src, alt) for n, (src, alt) in includes.items()))  # Jekyll
    if site is not None and "include_relative" in text and (near := site.relative_includes(source.abspath, text)):
        options = replace(options, relative_includes=tuple((n, src, alt) for n, (src, alt) in near.items()))
    if site is not None and "{%" in text and "front-matter-fields" not in config.explicit:
        shown = site.page_image_fields(source.abspath, text)  # a theme's gallery the page calls
        if shown:
            from altbot.parse.base import FrontMatterField

            fields = tuple(FrontMatterField(image, alt) for image, alt in shown)
            options = replace(options, front_matter_fields=tuple(dict.fromkeys((*options.front_matter_fields, *fields))))
    if site is not None and source.kind is Kind.MARKDOWN and site.parses_markdown_as_mdx(source.abspath):
        if _front_matter_format(text) not in ("md", "detect"):  # a page's own `format:` wins
            source = replace(source, kind=Kind.MDX)  # Docusaurus compiles its .md pages as MDX
    if site is not None and source.kind is Kind.MARKDOWN and ("!!!" in text or "???" in text or "===" in text):
        fences = site.block_fences(source.abspath)  # MkDocs' admonitions, details, tabs: Markdown, not code
        if fences:
            from altbot.parse.blocks import as_list_items, paragraph_tags

            read = as_list_items(text, fences)
            if read is not text:
                source = replace(source, text=read)  # the same length: every span is the page's
                if "<" in text and (inline := paragraph_tags(text, fences)):  # no HTML block in them
                    options = replace(options, paragraph_tags=tuple(inline))
    if site is not None and source.kind is Kind.MARKDOWN and " markdown" in text and site.markdown_in_html(source.abspath):
        options = replace(options, markdown_html=True)  # <figure markdown>, <div markdown="1">: Markdown inside
    if site is not None and source.kind is Kind.MARKDOWN and "<" in text:
        blocks = site.balanced_html_blocks(source.abspath)  # MkDocs, Jekyll: raw up to the matching end tag
        if blocks:
            options = replace(options, balanced_html=blocks)
    parsed = parse_source(source, options)
    templated = site is not None and ("{%" in text or "{#" in text or "{::" in text)
    syntaxes = site.comment_syntaxes(source.abspath, text) if templated else ()
    if syntaxes:
        from altbot.parse.liquid import comment_spans

        comments = comment_spans(text, syntaxes)  # the generator removes them before it renders
        if comments:
            from altbot.parse.blocks import containing

            spans = [(c.start, c.end) for c in comments]
            parsed.images = [im for im in parsed.images if containing(spans, im.element_span.start) is None]
    if site is not None and "front-matter-fields" not in config.explicit:  # the config's list is the override
        parsed.images = site.front_matter_roles(parsed.images, source.abspath)
    if site is not None and any(im.syntax is Syntax.SHORTCODE and not (im.alt or "").strip() for im in parsed.images):
        parsed.images = [_shortcode_alt(im, site, source.abspath) for im in parsed.images]
    if site is not None and source.kind is Kind.MARKDOWN and any(_raw_html_shows(im, parsed) for im in parsed.images):
        omitted = site.omits_raw_html(source.abspath)  # looked up only for a page whose raw HTML shows
        if omitted is not None:
            parsed.images = [_without_raw_html(im, omitted, parsed) for im in parsed.images]
    return parsed


def _shortcode_alt(im: Image, site, page_abspath: str) -> Image:
    """A shortcode image with no alt text, as its template renders it: Hugo's own ``figure``
    writes its caption (its text, markup stripped) as the alt where alt is empty or absent."""
    if im.syntax is not Syntax.SHORTCODE or (im.alt or "").strip():
        return im
    param = site.shortcode_alt_fallback(page_abspath, im.element)
    if param is None:
        return im
    raw = next((v for k, v in reversed(im.attrs) if k == param), None)
    if not raw or not raw.strip():
        return im
    from altbot.language import visible_text

    text = re.sub(r"\s+([,.;:!?])", r"\1", " ".join(visible_text(raw).split()))  # markup read as nothing
    return replace(im, alt=text) if text else im


_FORMAT_LINE = r"""^format:[ \t]*['"]?(md|mdx|detect)['"]?[ \t]*\r?$"""  # compiled when a Docusaurus page asks


def _front_matter_format(text: str) -> str | None:
    """A page's front-matter ``format:`` (Docusaurus: md, mdx or detect), read as one line."""
    from altbot.site.readers import front_matter_search

    m = front_matter_search(text, re.compile(_FORMAT_LINE, re.M), 20000)
    return m.group(1) if m else None


def _raw_html_shows(im: Image, parsed: ParseResult) -> bool:
    """Is ``im`` written in raw HTML, or a Markdown image that takes its hidden state or its
    language from raw HTML around it (``<div aria-hidden="true">``, ``<div lang="fr">``)?"""
    if im.syntax is Syntax.HTML:
        return True
    return im.syntax is Syntax.MARKDOWN and (
        im.hidden is not None or (im.lang, im.lang_source) != (parsed.lang, parsed.lang_source)
    )


def _without_raw_html(im: Image, omitted: str, parsed: ParseResult) -> Image:
    """``im`` on a page whose generator omits raw HTML: an image written in HTML is on no page
    (hidden, with ``omitted`` as the reason); a Markdown image is as if no HTML were around it
    (not hidden, the page's language)."""
    if im.syntax is Syntax.HTML:
        return replace(im, hidden=omitted) if im.hidden is None else im
    if im.syntax is Syntax.MARKDOWN and _raw_html_shows(im, parsed):
        return replace(im, hidden=None, lang=parsed.lang, lang_source=parsed.lang_source)
    return im


def prepare(paths: list[str], config: Config, errors: list[FileError]) -> tuple[Config, list[Candidate]]:
    """The files of a run and the config with its site model (read once, here at the edge).

    Files the generator treats as templates, not pages (Hugo's archetypes), are left out; a
    template file (``.njk``) is read as HTML where its site renders it as a page (Eleventy), and
    left out elsewhere (said, where it was named).
    """
    from altbot.config import with_site

    candidates = list(iter_candidates(paths, config, errors))
    if config.site is None:
        config = with_site(config, {os.path.dirname(c.path) for c in candidates})
    site = config.site
    kept = []
    for c in candidates:
        if c.if_site and not site.renders_template(c.path):
            if c.explicit:
                from altbot.discover import unsupported

                errors.append(unsupported(c.display, os.path.splitext(c.path)[1]))
            continue
        if not site.is_template(c.path):
            kept.append(c)
    return config, kept


def _check_file(candidate: Candidate, config: Config, ledger: Ledger | None, resolver) -> FileResult | FileError:
    source = read_source(candidate, config)
    if isinstance(source, FileError):
        return source
    parsed = parse_page(source, config)
    parsed.images = with_languages(parsed.images, source, parsed, resolver)
    view = ledger_view(ledger, config, source.abspath)
    findings = find(
        parsed.images,
        config.severity_of,
        empty_alt=config.empty_alt,
        is_decorative=view.is_decorative if view else None,
        is_reviewed=view.is_reviewed if view else None,
        judged_informative=_judged_informative(config, source.abspath) if config.empty_alt == "report" else None,
    )
    return FileResult(source.path, parsed.images, findings, parsed.errors)


_worker_state: tuple | None = None


def _init_worker(
    config: Config, ledger: Ledger | None, detect: bool, default_lang: str | None, keep: bool = True, languages: bool = True
) -> None:
    global _worker_state
    import signal

    # Ctrl-C reaches the whole process group: the main process alone answers it (and ends
    # the workers), so no worker prints a KeyboardInterrupt traceback or dies holding a task
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_state = (config, ledger, make_resolver(config, detect, default_lang) if languages else None, keep)


def _check_in_worker(candidate: Candidate) -> FileResult | FileError:
    assert _worker_state is not None
    config, ledger, resolver, keep = _worker_state
    res = check_file(candidate, config, ledger, resolver)
    if isinstance(res, FileResult) and not keep:
        # only what check reports travels back: the findings, and a count of the images
        res = FileResult(res.path, [], res.findings, res.errors, len(res.images))
    return res


def load_ledger(config: Config, errors: list[FileError]) -> Ledger | None:
    from altbot.ledger import Ledger, LedgerError

    try:
        return Ledger.load(config.ledger_path, root=config.root)
    except LedgerError as exc:
        errors.append(FileError(config.ledger, str(exc)))
        return None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def iter_results(
    paths: list[str],
    config: Config,
    errors: list[FileError],
    jobs: int | None = None,
    detect: bool = False,
    default_lang: str | None = None,
    keep_images: bool = True,
    languages: bool = True,
) -> Iterator[FileResult]:
    """One FileResult per readable file, in walk order; unreadable ones are appended to ``errors``.

    Large runs are spread over ``jobs`` worker processes (default: the usable CPUs).
    """
    config, candidates = prepare(paths, config, errors)
    yield from iter_prepared(candidates, config, errors, jobs, detect, default_lang, keep_images, languages)


def iter_prepared(
    candidates: list[Candidate],
    config: Config,
    errors: list[FileError],
    jobs: int | None = None,
    detect: bool = False,
    default_lang: str | None = None,
    keep_images: bool = True,
    languages: bool = True,
) -> Iterator[FileResult]:
    """``iter_results`` for files and a config already ``prepare``d."""
    # no ledger file is an empty ledger, which changes nothing a check reports: it loads no ledger code
    ledger = load_ledger(config, errors) if os.path.lexists(config.ledger_path) else None
    jobs = default_jobs() if jobs is None else jobs
    if jobs > 1 and len(candidates) >= PARALLEL_THRESHOLD:
        results = _parallel(candidates, config, ledger, jobs, detect, default_lang, keep_images, languages)
    else:
        resolver = make_resolver(config, detect, default_lang) if languages else None
        results = (check_file(c, config, ledger, resolver) for c in candidates)
    for res in results:
        if isinstance(res, FileError):
            errors.append(res)
        else:
            yield res


pool_started = False


def _parallel(
    candidates: list[Candidate],
    config: Config,
    ledger: Ledger | None,
    jobs: int,
    detect: bool,
    default_lang: str | None,
    keep_images: bool = True,
    languages: bool = True,
) -> Iterator[FileResult | FileError]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork shares the already-imported parsers; elsewhere the default start method is used
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    initargs = (config, ledger, detect, default_lang, keep_images, languages)
    # more workers than chunks of work would only start idle processes
    workers = min(jobs, -(-len(candidates) // _CHUNK))
    global pool_started
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=initargs)
    pool_started = True  # the CLI ends an interrupted run at once when a pool ran (cli._end_now)
    try:
        yield from pool.map(_check_in_worker, candidates, chunksize=_CHUNK)
    except BaseException:  # Ctrl-C, or the reader stopped (a closed pipe): end the workers now
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _stop(pool, grace: float = 5.0) -> None:
    """End a pool early: the work not started is cancelled and each worker ends after the chunk
    it is on (tens of milliseconds). A worker is killed only past ``grace`` seconds: killed in the
    middle of sending a result, it would leave half a message in the pipe, and the pool's
    thread, and with it the interpreter's exit, would wait for the rest forever."""
    import signal
    import threading
    import time

    # a second Ctrl-C (or one forwarded by a wrapper such as timeout) must not cut this short
    main = threading.current_thread() is threading.main_thread()
    held = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    try:
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + grace
        for p in processes:
            p.join(max(0.0, deadline - time.monotonic()))
        for p in processes:
            if p.is_alive():  # stuck on one file: better a kill than an interrupt that never ends
                p.terminate()
                p.join(1)
    finally:
        if main:
            signal.signal(signal.SIGINT, held)


def run(
    paths: list[str],
    config: Config,
    keep_images: bool = False,
    jobs: int | None = None,
    detect: bool = False,
    default_lang: str | None = None,
    languages: bool = True,
) -> RunResult:
    """The whole run. ``languages=False``: no image's language is resolved (a report that
    prints none: check's text, github and SARIF formats)."""
    result = RunResult()
    walk_errors: list[FileError] = []
    config, candidates = prepare(paths, config, walk_errors)
    result.config = config
    for fr in iter_prepared(candidates, config, walk_errors, jobs, detect, default_lang, keep_images, languages):
        result.add(fr, keep_images)
    result.errors[:0] = walk_errors
    return result
