"""Reading a site generator's config files (site stage, at the edge of the run).

TOML, YAML and JSON into plain values; JavaScript configs (Docusaurus, Astro,
Eleventy) only as far as a few literal keys, never executed. Nothing here
raises for bad input: an unreadable file is None or "", with a note when the
user can do something about it.
"""

from __future__ import annotations

import os
import re

from altbot.files import load_tomllib

TYPE_CHECKING = False  # typing is for the type checker only: a check never imports it
if TYPE_CHECKING:
    from typing import Any

MAX_CONFIG_BYTES = 4 * 1024 * 1024
# A site config is read once per run, and mkdocs.yml or a Hugo config may share
# settings through anchors (``<<: *defaults``); aliases may repeat this many
# values before the file counts as an alias bomb and is not read.
CONFIG_ALIAS_LIMIT = 100_000

# Readers walk a config recursively (Hugo's keys are lower-cased all the way down):
# a config nested deeper than this is not read, rather than crash every command.
CONFIG_MAX_DEPTH = 100

_LOADER: list[Any] = []


def _nesting_exceeds(data: Any, limit: int) -> bool:
    """Whether mappings and lists in ``data`` nest more than ``limit`` deep (no recursion)."""
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            items: Any = value.values()
        elif isinstance(value, list):
            items = value
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((v, depth + 1) for v in items)
    return False


def _loader():
    """yaml.SafeLoader that reads unknown tags (MkDocs' ``!!python/name:``, ``!ENV``) as plain values."""
    if _LOADER:
        return _LOADER[0]
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def _any(loader, suffix, node):
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        return loader.construct_mapping(node)

    Loader.add_multi_constructor("!", _any)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", _any)
    _LOADER.append(Loader)
    return Loader


class AliasBomb(ValueError):
    def __init__(self, offset: int, problem: str) -> None:
        super().__init__(problem)
        self.offset = offset
        self.problem = problem


def yaml_load(text: str) -> Any:
    import yaml

    loader = _loader()
    if "*" in text:
        from altbot.parse.frontmatter import alias_overflow

        bomb = alias_overflow(text, loader, CONFIG_ALIAS_LIMIT)
        if bomb is not None:
            raise AliasBomb(bomb.offset, bomb.problem(CONFIG_ALIAS_LIMIT))
    return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader subclass


def _read(path: str) -> str | None:
    from altbot.files import read_regular

    try:
        return read_regular(path, MAX_CONFIG_BYTES).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def read_data(path: str, notes: list[str] | None = None) -> dict[str, Any] | None:
    """A TOML/YAML/JSON config file as a dict; None when unreadable or not a mapping.

    A YAML alias bomb, or data nested deeper than ``CONFIG_MAX_DEPTH``, is not read
    either; it leaves a note (file, where, remedy) in ``notes``.
    """
    text = _read(path)
    if text is None:
        return None
    ext = os.path.splitext(path)[1].lower()
    try:
        if ext == ".toml":  # each parser on first use: a run reads a config in one language at most
            data = load_tomllib().loads(text)
        elif ext == ".json":
            import json

            data = json.loads(text)
        else:
            data = yaml_load(text)
    except AliasBomb as exc:
        if notes is not None:
            line = text.count("\n", 0, exc.offset) + 1
            notes.append(
                f"{os.path.basename(path)} line {line}: {exc.problem}; the file was not read, "
                "write the values out instead of repeating aliases"
            )
        return None
    except Exception:  # noqa: BLE001 - someone else's broken config: not ours to fail on
        if notes is not None:
            notes.append(f"{os.path.basename(path)}: not valid {ext.lstrip('.') or 'YAML'}; its settings were not read")
        return None
    if not isinstance(data, dict):
        return None
    if _nesting_exceeds(data, CONFIG_MAX_DEPTH):
        if notes is not None:
            notes.append(f"{os.path.basename(path)}: nested more than {CONFIG_MAX_DEPTH} levels deep; the file was not read, flatten it")
        return None
    return data


def read_text(path: str, limit: int = 512 * 1024) -> str:
    from altbot.files import read_regular

    try:
        return read_regular(path, MAX_CONFIG_BYTES)[:limit].decode("utf-8-sig", "replace")
    except OSError:
        return ""


def lower_keys(d: Any) -> Any:
    """Hugo config keys are case-insensitive."""
    if isinstance(d, dict):
        return {str(k).lower(): lower_keys(v) for k, v in d.items()}
    if isinstance(d, list):
        return [lower_keys(v) for v in d]
    return d


def flatten(d: Any, prefix: str = "") -> dict[str, str]:
    """Nested string values as dotted keys: {"a": {"b": "x"}} → {"a.b": "x"} (lists are left out)."""
    out: dict[str, str] = {}
    if isinstance(d, dict):
        for k, v in d.items():
            key = f"{prefix}{k}"
            if isinstance(v, str):
                out[key] = v
            elif isinstance(v, dict):
                out.update(flatten(v, key + "."))
    return out


def rel_parts(path: str) -> tuple[str, ...]:
    return tuple(p for p in path.replace("\\", "/").strip("/").split("/") if p not in ("", "."))


# -- JavaScript configs, read as text --------------------------------------------------------

# a JS string's body after its opening quote, to its closing quote (included, when on the line)
_JS_STRING_BODY = {
    '"': re.compile(r'(?:[^"\\\n]|\\.)*+"?', re.S),
    "'": re.compile(r"(?:[^'\\\n]|\\.)*+'?", re.S),
    "`": re.compile(r"(?:[^`\\]|\\.)*+`?", re.S),
}
_JS_STOP = re.compile(r"[\"'`/]")


def strip_js_comments(src: str) -> str:
    """``src`` without its ``//`` and ``/* */`` comments, in linear time; strings and template
    literals are kept whole, so ``url: 'https://example.org'`` keeps its ``//``.

    (A regex would be quadratic: each ``/*`` without a ``*/`` scans to the end; a config of
    500 KB of ``/*`` took minutes. Here the next ``*/`` is remembered.)
    """
    out: list[str] = []
    pos = i = 0
    close = 0  # the next '*/' found so far (-1: none after that point)
    stop = _JS_STOP.search
    while True:
        m = stop(src, i)
        if m is None:
            break
        j = m.start()
        c = src[j]
        if c != "/":  # a string or template literal: kept as it is
            i = _JS_STRING_BODY[c].match(src, j + 1).end()
            continue
        if j + 1 >= len(src):
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


_SPACES = re.compile(r"\s*")


def js_block(src: str, key: str, opener: str = "{") -> str | None:
    """The balanced ``{...}`` (or ``[...]``) that follows ``key:`` in JS source, or None.

    Strings (with their backslash escapes, so ``'it\\'s {odd'`` is one string) and
    template literals are skipped while counting brackets.
    """
    closer = "}" if opener == "{" else "]"
    for m in re.finditer(r"(?<![\w$.])['\"]?" + re.escape(key) + r"['\"]?\s*:\s*" + re.escape(opener), src):
        i = m.end() - 1
        depth = 0
        quote = None
        escaped = False
        for j in range(i, min(len(src), i + 200_000)):
            c = src[j]
            if quote:
                if escaped:
                    escaped = False
                elif c == "\\":
                    escaped = True
                elif c == quote:
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


def js_string(src: str | None, key: str) -> str | None:
    if not src:
        return None
    m = re.search(r"(?<![\w$.])['\"]?" + re.escape(key) + r"['\"]?\s*:\s*(['\"`])([^'\"`\n]{1,200})\1", src)
    return m.group(2) if m else None


def js_strings(src: str | None) -> list[str]:
    return [m.group(2) for m in re.finditer(r"(['\"`])([^'\"`\n]{1,64})\1", src or "")]


def js_object_keys(src: str) -> dict[str, str]:
    """Top-level keys of a JS object body → their ``{...}`` body (depth 1 only)."""
    out: dict[str, str] = {}
    depth = 0
    i = 0
    n = len(src)
    key_re = re.compile(r"\s*(['\"]?)([\w-]+)\1\s*:\s*")
    while i < n:
        c = src[i]
        if c in "'\"`" and depth > 0:
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            i = n if j >= n else j + 1
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


_HTML_OPEN = re.compile(r"<html\b", re.I)


def html_lang_attr(template: str, lang_attr: re.Pattern[str]) -> re.Match[str] | None:
    """``lang_attr``'s match in the template's first ``<html>`` tag that has one (a layout's
    ``<html lang>``, read as text). Linear: a tag never closed ends the search."""
    pos = 0
    while (m := _HTML_OPEN.search(template, pos)) is not None:
        end = template.find(">", m.end())
        if end < 0:
            return None
        lang = lang_attr.search(template, m.end(), end)
        if lang is not None:
            return lang
        pos = end + 1
    return None


def front_matter_search(text: str, pattern: re.Pattern[str], limit: int | None = None) -> re.Match[str] | None:
    """``pattern``'s first match in a page's ``---`` front matter, read as lines (a layout's
    ``layout:``, a page's ``format:``), up to its closing fence (looked for in the first
    ``limit`` characters); None without front matter."""
    if not text.startswith("---"):
        return None
    end = text.find("\n---", 3) if limit is None else text.find("\n---", 3, limit)
    return pattern.search(text, 0, end if end > 0 else 0)
