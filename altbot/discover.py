"""Stage 1: paths → SourceFile.

Walks directories (respecting .gitignore and include/exclude globs), reads
files and decodes them exactly, remembering encoding and BOM so that a fix can
write them back byte for byte. Every file that cannot be read becomes a
FileError with a remedy; nothing is skipped silently.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from altbot.config import Config
from altbot.model import FileError, Kind, SourceFile
# the encodings whose bytes browsers read otherwise than Python's codec of the same name
from altbot.whatwg_codecs import BIG5, EUC_JP, GB18030
from altbot.whatwg_codecs import FALLBACK as WHATWG_FALLBACK

# Directories that are never site sources (and can be huge).
ALWAYS_SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".altbot"})

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class Candidate:
    """A file the walk found (or was given) to check, and how it is read."""

    path: str  # absolute, normalised (symlinks resolved for the paths given, not below them)
    display: str  # what messages show: relative to the working directory, '/' separators
    kind: Kind
    explicit: bool
    # a template file (``.njk``) read as HTML only where a site's generator renders it as a page
    # (``SiteModel.renders_template``); the run drops it elsewhere (``runner.prepare``)
    if_site: bool = False


# Template files some generators render as HTML pages (Eleventy's Nunjucks and Liquid, ...), which
# altbot reads only inside such a site, unless the config maps their extension itself
SITE_TEMPLATE_EXTENSIONS = frozenset((".njk", ".liquid", ".webc", ".hbs", ".mustache", ".ejs"))


def unsupported(display: str, suffix: str) -> FileError:
    """The error for a named file whose type altbot does not read."""
    return FileError(
        display,
        f"unsupported file type {suffix or '(no extension)'!r}; "
        "map it with `extensions` in [tool.altbot] (e.g. {\".njk\" = \"html\"})",
    )


def display_path(path: str | os.PathLike[str], cwd: str | None = None) -> str:
    """Path relative to the working directory when below it, always with '/'."""
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, cwd or os.getcwd())
    except ValueError:  # another drive (Windows)
        rel = absolute
    return rel.replace(os.sep, "/")


def _ignore_spec(lines: list[str]):
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


def _lenient_spec(lines: list[str]):
    good = []
    for line in lines:
        try:
            _ignore_spec([line])
        except Exception:
            continue
        good.append(line)
    return _ignore_spec(good)


class _GitIgnores:
    """The .gitignore files from the repository root down to a directory."""

    def __init__(self) -> None:
        self._cache: dict[str, object | None] = {}
        # (top, folder) -> the specs from top down to folder: (spec, how many path parts it is above)
        self._chains: dict[tuple[str, str], list[tuple[object, int]]] = {}

    def _spec_for(self, directory: str):
        if directory not in self._cache:
            spec = None
            try:
                from altbot.files import read_regular

                raw = read_regular(os.path.join(directory, ".gitignore"), 4 * 1024 * 1024)
                spec = _ignore_spec(raw.decode("utf-8", "replace").splitlines())
            except OSError:
                spec = None
            except Exception:  # a pattern git itself would skip: the rest of the file still applies
                spec = _lenient_spec(raw.decode("utf-8", "replace").splitlines())
            self._cache[directory] = spec
        return self._cache[directory]

    def ignored(self, path: str, is_dir: bool, top: str) -> bool:
        """Is absolute ``path`` ignored by a .gitignore in ``top`` or a directory between?"""
        prefix = top.rstrip(os.sep) + os.sep
        if not path.startswith(prefix):
            return False
        parts = path[len(prefix) :].split(os.sep)
        folder = os.path.dirname(path)
        chain = self._chains.get((top, folder))
        if chain is None:  # the folders from top down to the path's own: the same for its siblings
            chain = []
            directory = top
            for i, part in enumerate(parts):
                spec = self._spec_for(directory)
                if spec is not None:
                    chain.append((spec, i))
                directory = os.path.join(directory, part)
            self._chains[(top, folder)] = chain
        tail = "/" if is_dir else ""
        for spec, i in chain:
            if spec.match_file("/".join(parts[i:]) + tail):  # type: ignore[attr-defined]
                return True
        return False


def _git_top(start: str) -> str:
    """The repository root containing ``start``, or ``start`` itself."""
    d = start
    while True:
        if os.path.exists(os.path.join(d, ".git")):
            return d
        parent = os.path.dirname(d)
        if parent == d:
            return start
        d = parent


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def parse_shard(value: str | tuple[int, int]) -> tuple[int, int]:
    """``"K/N"`` (or ``(K, N)``) → (K, N), 1 <= K <= N; ValueError says what is wrong."""
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        k, n = value
    else:
        m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", value) if isinstance(value, str) else None
        if m is None:
            raise ValueError(f"--shard takes K/N, e.g. 2/4 for the second of four shards, not {value!r}")
        k, n = int(m.group(1)), int(m.group(2))
    if n < 1 or not 1 <= k <= n:
        raise ValueError(f"--shard K/N needs 1 <= K <= N (shards are numbered from 1), not {k}/{n}")
    return k, n


def in_shard(page_key: str, shard: tuple[int, int]) -> bool:
    """Whether a file (its path relative to the project root) belongs to shard K of N.

    A hash of the path alone decides, so a file stays in its shard as others are added
    or removed, whichever machine or working directory runs the shard."""
    k, n = shard
    import hashlib  # on first use: a check of files that need no hash never loads OpenSSL
    digest = hashlib.sha256(page_key.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % n == k - 1


def iter_candidates(paths: list[str], config: Config, errors: list[FileError]) -> Iterator[Candidate]:
    """Files to check, in a stable order. Missing paths and unsupported named files become errors.

    A file reached twice (a symlinked page beside its target) is checked once,
    through its real name; a symlink inside the project that points outside it
    is refused, as images are. With ``config.shard`` (K, N), only shard K's files.
    """
    found = list(_walk_candidates(paths, config, errors))
    # a candidate's folder is already real (walked from a real path, or resolved), so only a
    # page that is itself a symlink needs realpath: one lstat a file, not a walk of its path
    links = [os.path.islink(c.path) for c in found]
    reals = [os.path.realpath(c.path) if link else c.path for c, link in zip(found, links)]
    by_real: dict[str, tuple[Candidate, bool]] = {}
    for c, link, real in zip(found, links, reals):
        kept = by_real.get(real)
        if kept is None or (kept[1] and not link):
            by_real[real] = (c, link)
    emitted: set[str] = set()
    for c, real in zip(found, reals):
        if real in emitted:
            continue
        emitted.add(real)
        # the shard is the real file's, so a page and a symlink to it never land in two shards
        if config.shard is None or in_shard(config.page_key(real), config.shard):
            yield by_real[real][0]


def _shown_below(path: str, real: str, shown_base: str) -> str:
    """``path`` (below the walked folder ``real``) shown relative to the cwd, through the path
    as the user wrote it (``shown_base``)."""
    shown = path[len(real.rstrip(os.sep)) + 1 :].replace(os.sep, "/")  # (a walk of / keeps its first letter)
    return shown if shown_base == "." else f"{shown_base.rstrip('/')}/{shown}"


def _walk_candidates(paths: list[str], config: Config, errors: list[FileError]) -> Iterator[Candidate]:
    include = config.include_spec()
    exclude = config.exclude_spec()
    gitignores = _GitIgnores()
    seen: set[str] = set()
    cwd = os.getcwd()
    root = os.path.realpath(config.root)

    relative = config.page_key  # what globs match: the path relative to the project root

    def escapes(path: str) -> str | None:
        """The outside target of a symlinked page inside the root, else None."""
        real = os.path.realpath(path)
        if _inside(real, root) or not _inside(os.path.abspath(path), root):
            return None
        return real

    def refuse_escape(path: str, shown: str) -> bool:
        target = escapes(path)
        if target is None:
            return False
        errors.append(
            FileError(shown, f"is a symlink to {target}, outside the project root {root}; not read (pass the target itself to check it)")
        )
        return True

    for raw in paths:
        if not raw:
            errors.append(FileError('""', "an empty path; name a file or folder (. for this one)"))
            continue
        if not os.path.lexists(raw):
            try:
                os.stat(raw)
                why = "no such file or directory"
            except ValueError:  # a NUL (from the library: no command line can hold one)
                why = "no file has a name with a NUL character in it"
            except OSError as exc:  # ENOTDIR: "page.html/" names a folder that is a file
                why = {
                    errno.ENOTDIR: "not a folder (a file named as one)",
                    errno.ENAMETOOLONG: "a name too long for the file system",
                }.get(exc.errno, "no such file or directory")
            errors.append(FileError(display_path(raw, cwd), why))
            continue
        if not os.path.exists(raw):
            errors.append(FileError(display_path(raw, cwd), "a broken symlink: its target does not exist"))
            continue
        real = os.path.realpath(raw)
        if not os.path.isdir(real):
            if real in seen:
                continue
            seen.add(real)
            kind = config.kind_for(Path(raw))
            if_site = False
            if kind is None:
                suffix = os.path.splitext(raw)[1]
                if suffix.lower() not in SITE_TEMPLATE_EXTENSIONS:
                    errors.append(unsupported(display_path(raw, cwd), suffix))
                    continue
                kind, if_site = Kind.HTML, True  # said unsupported later, unless a site renders it
            if exclude is not None and exclude.match_file(relative(real)):
                continue
            if refuse_escape(raw, display_path(raw, cwd)):
                continue
            # a FIFO or a device is refused when it is read, with the reason
            # the folder resolved, the file's own name kept: a symlinked page is read (and written) through its link
            here = os.path.abspath(raw)
            here = os.path.join(os.path.realpath(os.path.dirname(here)), os.path.basename(here))
            yield Candidate(here, display_path(raw, cwd), kind, explicit=True, if_site=if_site)
            continue
        top = _git_top(real)
        shown_base = display_path(raw, cwd)

        # A symlinked folder is walked through (os.walk follows the ones left in dirnames)
        # when it leads elsewhere in the project; its folders' real paths are kept here, so
        # that a page under it is read and written through its real name, once.
        real_of: dict[str, str] = {}
        followed: list[str] = []
        for dirpath, dirnames, filenames in os.walk(real, followlinks=True):
            base_real = real_of.get(dirpath)
            keep = []
            for name in sorted(dirnames):
                if name in ALWAYS_SKIPPED_DIRS:
                    continue
                sub = os.path.join(dirpath, name)
                if config.respect_gitignore and gitignores.ignored(sub, True, top):
                    continue
                if exclude is not None and exclude.match_file(relative(sub) + "/"):
                    continue
                if os.path.islink(sub):
                    target = os.path.realpath(sub)
                    if not _inside(target, root):
                        errors.append(
                            FileError(
                                _shown_below(sub, real, shown_base),
                                f"is a symlink to a folder outside the project root {root} ({target}); "
                                "not walked (pass the folder itself to check it)",
                            )
                        )
                        continue
                    here = base_real or dirpath
                    # walked anyway (below this walk's root or a folder already followed), or a
                    # link up the tree (a loop): its pages are reached, once, through their real names
                    if _inside(target, real) or _inside(here, target) or any(_inside(target, f) for f in followed):
                        continue
                    followed.append(target)
                    real_of[sub] = target
                elif base_real is not None:
                    real_of[sub] = os.path.join(base_real, name)
                keep.append(name)
            dirnames[:] = keep
            for name in sorted(filenames):
                kind = config.kind_for_name(name)
                if_site = False
                if kind is None:
                    if os.path.splitext(name)[1].lower() not in SITE_TEMPLATE_EXTENSIONS:
                        continue
                    kind, if_site = Kind.HTML, True
                f = os.path.join(dirpath, name)
                if config.respect_gitignore and gitignores.ignored(f, False, top):
                    continue
                rel = relative(f)
                if exclude is not None and exclude.match_file(rel):
                    continue
                if include is not None and not include.match_file(rel):
                    continue
                if base_real is not None:
                    f = os.path.join(base_real, name)
                if f in seen:
                    continue
                seen.add(f)
                shown = _shown_below(os.path.join(dirpath, name), real, shown_base)
                # the folders followed are inside the project: only a symlinked file can lead out
                if os.path.islink(f) and refuse_escape(f, shown):
                    continue
                yield Candidate(f, shown, kind, explicit=False, if_site=if_site)


_PRESCAN = None


def _prescan_patterns():
    global _PRESCAN
    if _PRESCAN is None:
        import re

        _PRESCAN = (
            re.compile(rb"<!--.*?-->|<meta(?=[\s/])((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.I | re.S),
            re.compile(rb"""([^\s/>=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""", re.I),
            re.compile(rb"""charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s;"']+))""", re.I),
        )
    return _PRESCAN


# The WHATWG Encoding Standard's encodings and their labels
# (https://encoding.spec.whatwg.org/#names-and-labels), each with the Python codec that decodes
# what browsers decode. A <meta charset> is looked up here, never with codecs.lookup: Python
# also knows "base64", "rot13", "unicode-escape", "utf-7" or EBCDIC, which no browser reads a
# page in. Where WHATWG's decoder is a superset of the encoding its label names, the superset's
# codec is used: Shift_JIS is Windows' (cp932, with the NEC and IBM extensions), the GBK labels
# decode as GB18030, Big5 with HKSCS, EUC-KR as Windows' cp949 (UHC), and "iso-8859-1",
# "latin1" and "ascii" as windows-1252. Where Python's codec reads bytes otherwise than WHATWG
# (C1 bytes of the windows code pages, KOI8-U, EUC-JP, GB18030, Big5), a codec of altbot.whatwg_codecs
# does it: named in the table, or the fallback when Python's refuses a page. UTF-16 labels are in the table because a prescan reads them as UTF-8 (a page the
# prescan could read is no UTF-16); "replacement" is the encoding browsers refuse to decode.
_WHATWG_ENCODINGS = (
    ("utf-8", "utf-8", "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8"),
    ("ibm866", "cp866", "866 cp866 csibm866 ibm866"),
    ("iso-8859-2", "iso8859-2", "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2"),
    ("iso-8859-3", "iso8859-3", "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3"),
    ("iso-8859-4", "iso8859-4", "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4"),
    ("iso-8859-5", "iso8859-5", "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 iso_8859-5:1988"),
    (
        "iso-8859-6",
        "iso8859-6",
        (
            "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e iso-8859-6-i "
            "iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987"
        ),
    ),
    (
        "iso-8859-7",
        "iso8859-7",
        (
            "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597 iso_8859-7 "
            "iso_8859-7:1987 sun_eu_greek"
        ),
    ),
    (
        "iso-8859-8",
        "iso8859-8",
        (
            "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 iso88598 iso_8859-8 "
            "iso_8859-8:1988 visual"
        ),
    ),
    ("iso-8859-8-i", "iso8859-8", "csiso88598i iso-8859-8-i logical"),
    ("iso-8859-10", "iso8859-10", "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6"),
    ("iso-8859-13", "iso8859-13", "iso-8859-13 iso8859-13 iso885913"),
    ("iso-8859-14", "iso8859-14", "iso-8859-14 iso8859-14 iso885914"),
    ("iso-8859-15", "iso8859-15", "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9"),
    ("iso-8859-16", "iso8859-16", "iso-8859-16"),
    ("koi8-r", "koi8-r", "cskoi8r koi koi8 koi8-r koi8_r"),
    ("koi8-u", "whatwg-koi8-u", "koi8-ru koi8-u"),  # KOI8-RU: see whatwg_codecs
    ("macintosh", "mac-roman", "csmacintosh mac macintosh x-mac-roman"),
    ("windows-874", "cp874", "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874"),
    ("windows-1250", "cp1250", "cp1250 windows-1250 x-cp1250"),
    ("windows-1251", "cp1251", "cp1251 windows-1251 x-cp1251"),
    (
        "windows-1252",
        "cp1252",
        (
            "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 iso88591 iso_8859-1 "
            "iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252"
        ),
    ),
    ("windows-1253", "cp1253", "cp1253 windows-1253 x-cp1253"),
    (
        "windows-1254",
        "cp1254",
        (
            "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 l5 latin5 "
            "windows-1254 x-cp1254"
        ),
    ),
    ("windows-1255", "cp1255", "cp1255 windows-1255 x-cp1255"),
    ("windows-1256", "cp1256", "cp1256 windows-1256 x-cp1256"),
    ("windows-1257", "cp1257", "cp1257 windows-1257 x-cp1257"),
    ("windows-1258", "cp1258", "cp1258 windows-1258 x-cp1258"),
    ("x-mac-cyrillic", "mac-cyrillic", "x-mac-cyrillic x-mac-ukrainian"),
    ("gbk", GB18030, "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk"),
    ("gb18030", GB18030, "gb18030"),  # GB18030-2022, as browsers read it: see whatwg_codecs
    ("big5", BIG5, "big5 big5-hkscs cn-big5 csbig5 x-x-big5"),  # index-big5 (HKSCS-2008): see whatwg_codecs
    ("euc-jp", EUC_JP, "cseucpkdfmtjapanese euc-jp x-euc-jp"),  # with NEC's rows: see whatwg_codecs
    ("iso-2022-jp", "iso2022_jp", "csiso2022jp iso-2022-jp"),
    ("shift_jis", "cp932", "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis"),
    (
        "euc-kr",
        "cp949",
        "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 windows-949",
    ),
    ("replacement", "replacement", "csiso2022kr hz-gb-2312 iso-2022-cn iso-2022-cn-ext iso-2022-kr replacement"),
    ("utf-16be", "utf-8", "unicodefffe utf-16be"),  # in a prescan: UTF-8
    ("utf-16le", "utf-8", "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le"),  # in a prescan: UTF-8
    ("x-user-defined", "cp1252", "x-user-defined"),  # in a prescan: windows-1252
)
REPLACEMENT = "replacement"  # the encoding of iso-2022-kr, hz-gb-2312, …: browsers show one U+FFFD
_LABELS: dict[bytes, str] | None = None


def whatwg_codec(label: bytes) -> str | None:
    """The Python codec for a WHATWG encoding label, as a <meta> prescan reads it; None when
    the label is none of WHATWG's (browsers then ignore it). ``REPLACEMENT`` for the labels
    browsers refuse to decode."""
    global _LABELS
    if _LABELS is None:
        _LABELS = {lab.encode("ascii"): codec for _, codec, labels in _WHATWG_ENCODINGS for lab in labels.split()}
    # "get an encoding": ASCII whitespace stripped, ASCII lower case (bytes.lower touches ASCII only)
    return _LABELS.get(label.strip(b"\t\n\x0c\r ").lower())


def _meta_charset(head: bytes) -> bytes | None:
    """WHATWG's "prescan a byte stream to determine its encoding", over the first 1024 bytes:
    the first <meta charset>, or <meta http-equiv=content-type content="…charset=…">, whose
    label is one of WHATWG's (an unknown label is skipped, as browsers skip it)."""
    tags, attrs, content_charset = _prescan_patterns()
    for m in tags.finditer(head):
        if m.group(1) is None:
            continue  # a comment
        seen: dict[bytes, bytes] = {}
        for a in attrs.finditer(m.group(1)):
            name = a.group(1).lower()
            if name not in seen:
                seen[name] = next((g for g in a.groups()[1:] if g is not None), b"")
        label = None
        if b"charset" in seen and seen[b"charset"].strip():
            label = seen[b"charset"].strip()
        elif seen.get(b"http-equiv", b"").strip().lower() == b"content-type" and b"content" in seen:
            c = content_charset.search(seen[b"content"])
            if c:
                label = next(g for g in c.groups() if g is not None).strip()
        if label and whatwg_codec(label) is not None:
            return label
    return None


def _declared_html_encoding(raw: bytes) -> str | None:
    """The Python codec for the charset a <meta> declares, as browsers look for it (first
    1024 bytes); ``REPLACEMENT`` when browsers refuse that encoding, None when none is declared."""
    declared = _meta_charset(raw[:1024])
    return whatwg_codec(declared) if declared else None


def decode(raw: bytes, kind: Kind, path: str) -> tuple[str, str, bytes] | FileError:
    """Decode file bytes to (text, encoding, bom) or explain why it cannot be read."""
    bom = b""
    encoding = None
    for mark, enc in _BOMS:
        if raw.startswith(mark):
            bom, encoding = mark, enc
            break
    body = raw[len(bom) :]
    if encoding is None:
        if b"\x00" in body[:8192]:
            return FileError(path, "binary file (contains NUL bytes), not text; exclude it or fix its extension")
        if kind is Kind.HTML:
            encoding = _declared_html_encoding(body)
            if encoding == REPLACEMENT:
                label = _meta_charset(body[:1024]) or b""
                return FileError(
                    path,
                    f"declares the charset {label.decode('ascii', 'replace')!r}, which browsers do not decode "
                    "(they show the page as one replacement character); re-save it as UTF-8 with <meta charset=\"utf-8\">",
                )
        encoding = encoding or "utf-8"
    try:
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError:
            fallback = WHATWG_FALLBACK.get(encoding)
            if fallback is None:
                raise
            # bytes Python's codec leaves out, which browsers read (C1 controls, a Hebrew point)
            encoding = fallback
            text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        hint = (
            "declare the real encoding with <meta charset> or re-save the file as UTF-8"
            if kind is Kind.HTML
            else "re-save the file as UTF-8"
        )
        return FileError(path, f"cannot decode as {encoding} (byte 0x{body[exc.start]:02x}); {hint}", line=line)
    except Exception as exc:  # noqa: BLE001 - a codec's own failure is this file's error, never the run's
        from altbot.debug import describe

        return FileError(path, f"cannot decode as {encoding} ({describe(exc)}); re-save the file as UTF-8")
    return text, encoding, bom


def read_source(candidate: Candidate, config: Config) -> SourceFile | FileError:
    from altbot.files import NotRegularFile, TooLarge, read_regular

    path = candidate.path
    shown = candidate.display
    try:
        raw = read_regular(path, config.max_file_size)
    except NotRegularFile as exc:
        return FileError(shown, f"not read: it is {exc.strerror}, not a regular file; exclude it in [tool.altbot]")
    except TooLarge as exc:
        return FileError(
            shown,
            f"file is {exc.size / 1048576:.1f} MiB, over the {config.max_file_size / 1048576:.1f} MiB limit; "
            "raise `max-file-size` in [tool.altbot] to check it",
        )
    except OSError as exc:
        return FileError(shown, f"cannot read file: {exc.strerror or exc}")
    decoded = decode(raw, candidate.kind, shown)
    if isinstance(decoded, FileError):
        return decoded
    text, encoding, bom = decoded
    return SourceFile(
        path=shown,
        abspath=candidate.path,
        kind=candidate.kind,
        raw=raw,
        text=text,
        encoding=encoding,
        bom=bom,
    )
