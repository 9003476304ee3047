"""Stage 1: paths → SourceFile.

Walks directories (respecting .gitignore and include/exclude globs), reads
files and decodes them exactly, remembering encoding and BOM so that a fix can
write them back byte for byte. Every file that cannot be read becomes a
FileError with a remedy; nothing is skipped silently.
"""

from __future__ import annotations

import codecs
import os
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
    path: Path  # as given or found (absolute or relative to cwd)
    kind: Kind
    explicit: bool


def display_path(path: Path | str) -> str:
    """Path relative to the working directory when below it, always with '/'."""
    p = Path(path)
    try:
        rel = os.path.relpath(p.resolve(), Path.cwd().resolve())
    except ValueError:  # another drive on Windows
        rel = str(p)
    if rel.startswith(".."):
        rel = str(p.resolve())
    return rel.replace(os.sep, "/")


def _ignore_spec(lines: list[str]):
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


class _GitIgnores:
    """Stack of .gitignore files from the repository root down to a directory."""

    def __init__(self) -> None:
        self._cache: dict[Path, object | None] = {}

    def _spec_for(self, directory: Path):
        if directory not in self._cache:
            f = directory / ".gitignore"
            spec = None
            if f.is_file():
                try:
                    spec = _ignore_spec(f.read_text(encoding="utf-8", errors="replace").splitlines())
                except OSError:
                    spec = None
            self._cache[directory] = spec
        return self._cache[directory]

    def ignored(self, path: Path, is_dir: bool, top: Path) -> bool:
        """Is ``path`` ignored by a .gitignore in ``top`` or any directory below it on the way?"""
        path = path.resolve()
        try:
            parts = path.relative_to(top).parts
        except ValueError:
            return False
        directory = top
        for i, part in enumerate(parts):
            spec = self._spec_for(directory)
            if spec is not None:
                rel = "/".join(parts[i:]) + ("/" if is_dir else "")
                if spec.match_file(rel):
                    return True
            directory = directory / part
        return False


def _git_top(start: Path) -> Path:
    """The repository root containing ``start``, or ``start`` itself."""
    start = start.resolve()
    for d in [start, *start.parents]:
        if (d / ".git").exists():
            return d
    return start


def iter_candidates(paths: list[str], config: Config, errors: list[FileError]) -> Iterator[Candidate]:
    """Files to check, in a stable order. Missing paths become errors."""
    include = config.include_spec()
    exclude = config.exclude_spec()
    gitignores = _GitIgnores()
    seen: set[Path] = set()

    def selected(p: Path) -> bool:
        rel = config.relative(p)
        if exclude is not None and exclude.match_file(rel):
            return False
        return include is None or include.match_file(rel)

    for raw in paths:
        p = Path(raw)
        if not p.exists():
            errors.append(FileError(display_path(p), "no such file or directory"))
            continue
        if p.is_file():
            real = p.resolve()
            if real in seen:
                continue
            seen.add(real)
            kind = config.kind_for(p)
            if kind is None:
                errors.append(
                    FileError(
                        display_path(p),
                        f"unsupported file type {p.suffix or '(no extension)'!r}; "
                        "map it with `extensions` in [tool.altbot] (e.g. {\".njk\" = \"html\"})",
                    )
                )
                continue
            if exclude is not None and exclude.match_file(config.relative(p)):
                continue
            yield Candidate(p, kind, explicit=True)
            continue
        top = _git_top(p)
        for dirpath, dirnames, filenames in os.walk(p):
            d = Path(dirpath)
            keep = []
            for name in sorted(dirnames):
                sub = d / name
                if name in ALWAYS_SKIPPED_DIRS:
                    continue
                if config.respect_gitignore and gitignores.ignored(sub, True, top):
                    continue
                if exclude is not None and exclude.match_file(config.relative(sub) + "/"):
                    continue
                keep.append(name)
            dirnames[:] = keep
            for name in sorted(filenames):
                f = d / name
                kind = config.kind_for(f)
                if kind is None:
                    continue
                if config.respect_gitignore and gitignores.ignored(f, False, top):
                    continue
                if not selected(f):
                    continue
                real = f.resolve()
                if real in seen:
                    continue
                seen.add(real)
                yield Candidate(f, kind, explicit=False)


def _declared_html_encoding(raw: bytes) -> str | None:
    """The charset a <meta> declares, as browsers look for it (first 1024 bytes)."""
    from bs4.dammit import EncodingDetector

    declared = EncodingDetector.find_declared_encoding(raw[:1024], is_html=True)
    if not declared:
        return None
    try:
        name = codecs.lookup(declared).name
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
    path = display_path(candidate.path)
    try:
        size = candidate.path.stat().st_size
        if size > config.max_file_size:
            return FileError(
                path,
                f"file is {size / 1048576:.1f} MiB, over the {config.max_file_size / 1048576:.1f} MiB limit; "
                "raise `max-file-size` in [tool.altbot] to check it",
            )
        raw = candidate.path.read_bytes()
    except OSError as exc:
        return FileError(path, f"cannot read file: {exc.strerror or exc}")
    decoded = decode(raw, candidate.kind, path)
    if isinstance(decoded, FileError):
        return decoded
    text, encoding, bom = decoded
    return SourceFile(
        path=path,
        abspath=str(candidate.path.resolve()),
        kind=candidate.kind,
        raw=raw,
        text=text,
        encoding=encoding,
        bom=bom,
    )
