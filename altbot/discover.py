"""Stage 1: paths → SourceFile.

Walks directories (respecting .gitignore and include/exclude globs), reads
files and decodes them exactly, remembering encoding and BOM so that a fix can
write them back byte for byte. Every file that cannot be read becomes a
FileError with a remedy; nothing is skipped silently.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from altbot.config import Config
from altbot.model import FileError, Kind, SourceFile

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
        directory = top
        for i, part in enumerate(parts):
            spec = self._spec_for(directory)
            if spec is not None:
                rel = "/".join(parts[i:]) + ("/" if is_dir else "")
                if spec.match_file(rel):
                    return True
            directory = os.path.join(directory, part)
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
        if not os.path.lexists(raw):
            errors.append(FileError(display_path(raw, cwd), "no such file or directory"))
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
            if kind is None:
                suffix = os.path.splitext(raw)[1]
                errors.append(
                    FileError(
                        display_path(raw, cwd),
                        f"unsupported file type {suffix or '(no extension)'!r}; "
                        "map it with `extensions` in [tool.altbot] (e.g. {\".njk\" = \"html\"})",
                    )
                )
                continue
            if exclude is not None and exclude.match_file(relative(real)):
                continue
            if refuse_escape(raw, display_path(raw, cwd)):
                continue
            # a FIFO or a device is refused when it is read, with the reason
            # the folder resolved, the file's own name kept: a symlinked page is read (and written) through its link
            here = os.path.abspath(raw)
            here = os.path.join(os.path.realpath(os.path.dirname(here)), os.path.basename(here))
            yield Candidate(here, display_path(raw, cwd), kind, explicit=True)
            continue
        top = _git_top(real)
        shown_base = display_path(raw, cwd)
        for dirpath, dirnames, filenames in os.walk(real):
            keep = []
            for name in sorted(dirnames):
                if name in ALWAYS_SKIPPED_DIRS:
                    continue
                sub = os.path.join(dirpath, name)
                if config.respect_gitignore and gitignores.ignored(sub, True, top):
                    continue
                if exclude is not None and exclude.match_file(relative(sub) + "/"):
                    continue
                keep.append(name)
            dirnames[:] = keep
            for name in sorted(filenames):
                kind = config.kind_for_name(name)
                if kind is None:
                    continue
                f = os.path.join(dirpath, name)
                if config.respect_gitignore and gitignores.ignored(f, False, top):
                    continue
                rel = relative(f)
                if exclude is not None and exclude.match_file(rel):
                    continue
                if include is not None and not include.match_file(rel):
                    continue
                if f in seen:
                    continue
                seen.add(f)
                # shown relative to the cwd, through the path as the user wrote it
                shown = f[len(real) + 1 :].replace(os.sep, "/")
                shown = shown if shown_base == "." else f"{shown_base.rstrip('/')}/{shown}"
                # os.walk does not follow symlinked folders: only a symlinked file can lead out
                if os.path.islink(f) and refuse_escape(f, shown):
                    continue
                yield Candidate(f, shown, kind, explicit=False)


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


def _meta_charset(head: bytes) -> bytes | None:
    """WHATWG's "prescan a byte stream to determine its encoding", over the first 1024 bytes:
    the first <meta charset>, or <meta http-equiv=content-type content="…charset=…">."""
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
        if label:
            try:
                codecs.lookup(label.decode("ascii", "replace"))
            except LookupError:
                continue  # an unknown label: the prescan goes on to the next <meta>
            return label
    return None


def _declared_html_encoding(raw: bytes) -> str | None:
    """The charset a <meta> declares, as browsers look for it (first 1024 bytes)."""
    declared = _meta_charset(raw[:1024])
    if not declared:
        return None
    try:
        name = codecs.lookup(declared.decode("ascii", "replace")).name
    except LookupError:
        return None
    # WHATWG: a declared UTF-16/32 without a BOM means UTF-8 (the meta was ASCII-readable).
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"
    # WHATWG maps these legacy labels to their supersets.
    return {"iso8859-1": "cp1252", "ascii": "cp1252"}.get(name, name)


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
        encoding = encoding or "utf-8"
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        hint = (
            "declare the real encoding with <meta charset> or re-save the file as UTF-8"
            if kind is Kind.HTML
            else "re-save the file as UTF-8"
        )
        return FileError(path, f"cannot decode as {encoding} (byte 0x{body[exc.start]:02x}); {hint}", line=line)
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
