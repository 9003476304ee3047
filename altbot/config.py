"""``[tool.altbot]`` in pyproject.toml, or ``.altbot.toml``, or ``--config`` → Config.

Unknown keys and bad values are errors with the file and the valid choices:
a typo in a CI config must not silently turn a check off.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

TYPE_CHECKING = False  # typing is for the type checker only: a check never imports it
if TYPE_CHECKING:
    from typing import Any

from altbot.files import NotRegularFile, load_tomllib
from altbot.model import DEFAULT_MAX_LENGTH, Kind, Severity, max_length_problem
from altbot.parse.base import DEFAULT_COMPONENTS, DEFAULT_FRONT_MATTER_FIELDS, FrontMatterField, ParseOptions


DEFAULT_EXTENSIONS: dict[str, Kind] = {
    ".html": Kind.HTML,
    ".htm": Kind.HTML,
    ".xhtml": Kind.HTML,
    ".md": Kind.MARKDOWN,
    ".markdown": Kind.MARKDOWN,
    ".mdx": Kind.MDX,
    ".astro": Kind.ASTRO,
}

EMPTY_ALT_MODES = ("ignore", "report")
OFF = "off"


class ConfigError(Exception):
    """A configuration problem: shown to the user as is, exit code 2."""


@dataclass(frozen=True)
class ServerSettings:
    """``[tool.altbot.server]``: where the ``server`` captioner sends its requests; None = its default."""

    url: str | None = None
    model: str | None = None
    api_key_env: str | None = None  # the NAME of the environment variable holding the key, never the key
    timeout: float | None = None
    concurrency: int | None = None


SERVER_KEYS = ("url", "model", "api-key-env", "timeout", "concurrency")
MAX_SERVER_CONCURRENCY = 64


@dataclass(frozen=True)
class Config:
    """The settings of a run: ``[tool.altbot]`` (or ``.altbot.toml``) as read, with its defaults."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    extensions: tuple[tuple[str, Kind], ...] = tuple(DEFAULT_EXTENSIONS.items())
    severity: tuple[tuple[str, str], ...] = ()  # rule id → "error" | "warning" | "info" | "off"
    fail_on: Severity = Severity.ERROR
    empty_alt: str = "ignore"
    front_matter_fields: tuple[FrontMatterField, ...] = DEFAULT_FRONT_MATTER_FIELDS
    components: tuple[str, ...] = DEFAULT_COMPONENTS
    shortcodes: tuple[str, ...] = ("figure",)
    site_root: str | None = None
    static_dirs: tuple[str, ...] = ("static", "public", "assets")
    url_prefixes: tuple[str, ...] = ()  # stripped from /absolute srcs, e.g. a baseurl "/docs"
    ledger: str = ".altbot/decisions.json"  # relative to root
    captioner: str = "auto"
    model: str | None = None
    max_length: int = DEFAULT_MAX_LENGTH
    cache_dir: str | None = None
    allow_download: bool = False  # models may download into the Hugging Face cache
    default_lang: str | None = None  # the site's language when nothing more specific says
    translation: tuple[tuple[str, str], ...] = ()  # language → translation model (id or directory)
    detect_lang: bool = True  # identify a page's language from its text (fix, scan) when nothing else says
    server: ServerSettings = ServerSettings()
    shard: tuple[int, int] | None = None  # (K, N) from --shard: this run checks shard K of N; not a config-file key
    # the decorative context (link text, figcaption, adjacent text) is computed only where it is read:
    # scan, fix and check --empty-alt=report; not a config-file key
    need_context: bool = True
    respect_gitignore: bool = True
    max_file_size: int = 5 * 1024 * 1024
    root: Path = field(default_factory=Path.cwd)
    source: str | None = None  # the file this came from, for messages
    root_source: str = "given"  # why root is the root: a config file, the git repository, the working directory
    explicit: frozenset[str] = frozenset()  # the keys the config file sets (they override the site model)
    site: Any = None  # altbot.site.SiteModel, read at the start of a run (with_site)

    # -- derived helpers ---------------------------------------------------
    def kind_for(self, path: Path) -> Kind | None:
        return self.kind_for_name(path.name)

    def kind_for_name(self, name: str) -> Kind | None:
        suffix = os.path.splitext(name)[1].lower()
        for ext, kind in self.extensions:
            if ext == suffix:
                return kind
        return None

    @property
    def ledger_path(self) -> str:
        return os.path.join(self.root, self.ledger)

    @cached_property
    def real_root(self) -> str:
        return os.path.realpath(self.root)

    def page_key(self, abspath: str) -> str:
        """A path relative to the project root, '/' separated: the ledger's key, and what globs match."""
        prefix = self.real_root.rstrip(os.sep) + os.sep
        rel = abspath[len(prefix) :] if abspath.startswith(prefix) else abspath
        return rel.replace(os.sep, "/")

    def include_spec(self):
        return _spec(self.include)

    def exclude_spec(self):
        return _spec(self.exclude)

    def severity_of(self, rule: str, default: Severity) -> Severity | None:
        """The configured severity of a rule, ``None`` when it is turned off."""
        for rid, level in self.severity:
            if rid == rule:
                return None if level == OFF else Severity(level)
        return default

    def parse_options(self) -> ParseOptions:
        return ParseOptions(
            components=self.components,
            front_matter_fields=self.front_matter_fields,
            shortcodes=self.shortcodes,
            context=self.need_context or self.empty_alt == "report",
        )


def _spec(patterns: tuple[str, ...]):
    if not patterns:
        return None
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(patterns)


# -- loading ----------------------------------------------------------------

_KEYS = {
    "include",
    "exclude",
    "extensions",
    "severity",
    "fail-on",
    "empty-alt",
    "front-matter-fields",
    "components",
    "shortcodes",
    "site-root",
    "static-dirs",
    "url-prefixes",
    "ledger",
    "captioner",
    "model",
    "max-length",
    "cache-dir",
    "allow-download",
    "default-lang",
    "detect-lang",
    "translation",
    "respect-gitignore",
    "max-file-size",
    "server",
}


MAX_CONFIG_BYTES = 4 * 1024 * 1024


def _read_config_text(path: Path) -> str:
    from altbot.files import read_regular

    return read_regular(path, MAX_CONFIG_BYTES).decode("utf-8")


def find_config_file(start: Path) -> Path | None:
    """Nearest ``.altbot.toml``, or ``pyproject.toml`` with ``[tool.altbot]``, from start upwards
    (up the folders as the path names them: a folder symlinked from elsewhere is in this project)."""
    start = Path(os.path.abspath(start))
    for d in [start, *start.parents]:
        dot = d / ".altbot.toml"
        if dot.is_file():
            return dot
        if dot.exists():
            from altbot.files import kind_of_special

            raise ConfigError(f"{dot}: not a config file: it is {kind_of_special(dot.stat().st_mode)}")
        py = d / "pyproject.toml"
        if py.is_file() and _names_altbot(py):
            return py
        if (d / ".git").exists():
            break  # don't wander out of the repository
    return None


def _names_altbot(py: Path) -> bool:
    """Whether this pyproject.toml has a [tool.altbot] table; someone else's broken one is
    not ours to report (and it does not end the walk up before the repository's top)."""
    try:
        text = _read_config_text(py)
    except (OSError, UnicodeDecodeError):
        return False
    # the table's name spells "altbot", unless a quoted key escapes one of its letters:
    # most pyproject files need no TOML parser (nor tomllib's import) to rule them out
    if "altbot" not in text and "\\" not in text:
        return False
    tomllib = load_tomllib()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    except RecursionError:  # nested too deeply to read: loading it says so (it does name altbot)
        return True
    tool = data.get("tool", {})
    return isinstance(tool, dict) and "altbot" in tool


def load_config(path: str | os.PathLike[str] | None = None, start: Path | None = None) -> Config:
    """Load the explicit config file, or discover one from ``start`` (default: cwd)."""
    if path is not None:
        file = Path(path)
    else:
        file = find_config_file(start or Path.cwd())
        if file is None:
            # no config file: the repository's top, else the working directory
            from altbot.site import find_root

            root, why = find_root(str(start or Path.cwd()))
            return Config(root=Path(root), root_source=why)
    # read_regular refuses what is not a file (a FIFO would block the read) before it opens it
    try:
        text = _read_config_text(file)
    except (FileNotFoundError, NotADirectoryError):
        raise ConfigError(f"{file}: config file not found") from None
    except NotRegularFile as exc:
        raise ConfigError(f"{file}: cannot read config: it is {exc.strerror}, not a regular file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: cannot read config: {getattr(exc, 'strerror', None) or exc}") from exc
    tomllib = load_tomllib()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: invalid TOML: {exc}") from exc
    except RecursionError:
        raise ConfigError(f"{file}: arrays or tables nested too deeply to read (Python's TOML reader gives up)") from None
    if file.name == "pyproject.toml" or "tool" in data:
        tool = data.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(f"{file}: `tool` must be a table ([tool.altbot])")
        table = tool.get("altbot", {})
        if not isinstance(table, dict):
            raise ConfigError(f"{file}: `tool.altbot` must be a table ([tool.altbot]), not {type(table).__name__}")
    else:
        table = data
    return config_from_table(table, root=file.parent.resolve(), source=str(file))


def with_site(config: Config, page_dirs) -> Config:
    """The config with the site model read for these page folders (once, at the start of a run)."""
    from altbot.site import read_site

    return replace(config, site=read_site(str(config.root), page_dirs, config.root_source))


def _nul_key(value: Any, where: str = "") -> str | None:
    """The dotted key of the first string (key or value) in ``value`` with a NUL in it, or None."""
    if isinstance(value, str):
        return where if "\0" in value else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for k, v in items:
        key = f"{where}.{k}" if where else str(k)
        if isinstance(k, str) and "\0" in k:
            return key
        got = _nul_key(v, key)
        if got is not None:
            return got
    return None


def config_from_table(table: dict[str, Any], root: Path, source: str = "<config>") -> Config:
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(f"{source}: unknown key(s) {', '.join(unknown)}; valid keys: {', '.join(sorted(_KEYS))}")
    nul = _nul_key(table)
    if nul is not None:  # TOML's "\u0000": no file name, glob, tag or model id holds one
        shown = nul.replace("\0", "\\u0000")
        raise ConfigError(f"{source}: `{shown}` holds a NUL character (\\u0000); no name or value can")
    cfg = Config(root=root, source=source, root_source=f"config file {source}", explicit=frozenset(table))
    updates: dict[str, Any] = {}

    def strings(key: str) -> tuple[str, ...]:
        value = table[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{source}: `{key}` must be a list of strings")
        return tuple(value)

    for key, attr in (
        ("include", "include"),
        ("exclude", "exclude"),
        ("components", "components"),
        ("shortcodes", "shortcodes"),
        ("static-dirs", "static_dirs"),
        ("url-prefixes", "url_prefixes"),
    ):
        if key in table:
            updates[attr] = strings(key)
            if key in ("include", "exclude"):
                check_globs(updates[attr], f"{source}: `{key}`")

    if "extensions" in table:
        exts = dict(DEFAULT_EXTENSIONS)
        value = table["extensions"]
        if isinstance(value, list):  # a plain list restricts the defaults
            if not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{source}: `extensions` must be a list of suffixes or a table suffix → kind")
            unknown_ext = [v for v in value if _norm_ext(v) not in DEFAULT_EXTENSIONS]
            if unknown_ext:
                raise ConfigError(
                    f"{source}: `extensions` {unknown_ext} have no default kind; use a table like "
                    '{".njk" = "html"} to say how to parse them'
                )
            exts = {_norm_ext(v): DEFAULT_EXTENSIONS[_norm_ext(v)] for v in value}
        elif isinstance(value, dict):
            for ext, kind in value.items():
                try:
                    exts[_norm_ext(ext)] = Kind(kind)
                except ValueError:
                    raise ConfigError(
                        f"{source}: extensions.{ext} = {kind!r}: kind must be one of "
                        f"{', '.join(k.value for k in Kind)}"
                    ) from None
        else:
            raise ConfigError(f"{source}: `extensions` must be a list or a table")
        updates["extensions"] = tuple(exts.items())

    if "severity" in table:
        from altbot.rules import RULES

        value = table["severity"]
        if not isinstance(value, dict):
            raise ConfigError(f'{source}: `severity` must be a table, e.g. {{"suspicious-alt" = "error"}}')
        levels = [s.value for s in Severity] + [OFF]
        pairs = []
        for rule, level in value.items():
            if rule not in RULES:
                raise ConfigError(f"{source}: severity: unknown rule {rule!r}; rules: {', '.join(RULES)}")
            if level not in levels:
                raise ConfigError(f"{source}: severity.{rule} = {level!r}: must be one of {', '.join(levels)}")
            pairs.append((rule, level))
        updates["severity"] = tuple(pairs)

    if "fail-on" in table:
        updates["fail_on"] = parse_severity(table["fail-on"], f"{source}: fail-on")
    if "empty-alt" in table:
        if table["empty-alt"] not in EMPTY_ALT_MODES:
            raise ConfigError(f"{source}: empty-alt must be one of {', '.join(EMPTY_ALT_MODES)}")
        updates["empty_alt"] = table["empty-alt"]
    if "front-matter-fields" in table:
        value = table["front-matter-fields"]
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise ConfigError(
                f'{source}: `front-matter-fields` must be a table image-path → alt-path, e.g. {{"cover.image" = "cover.alt"}}'
            )
        updates["front_matter_fields"] = tuple(FrontMatterField(k, v) for k, v in value.items())
    for key, attr in (("captioner", "captioner"), ("model", "model"), ("cache-dir", "cache_dir")):
        if key in table:
            if not isinstance(table[key], str) or not table[key]:
                raise ConfigError(f"{source}: `{key}` must be a non-empty string")
            updates[attr] = table[key]
    if "cache-dir" in table:
        # relative to the config file; inside the project (pass --cache-dir to put it anywhere else)
        cache = os.path.realpath(os.path.join(root, os.path.expanduser(table["cache-dir"])))
        if not _within(cache, os.path.realpath(root)):
            raise ConfigError(
                f"{source}: `cache-dir` = {table['cache-dir']!r} is outside the project root {root}; "
                "a repository's config may only name a folder inside it (use --cache-dir for another place)"
            )
        updates["cache_dir"] = cache
    if "max-length" in table:
        v = table["max-length"]
        problem = max_length_problem(v)
        if problem:
            raise ConfigError(f"{source}: `max-length` {problem}")
        updates["max_length"] = v
    if "ledger" in table:
        if not isinstance(table["ledger"], str) or not table["ledger"]:
            raise ConfigError(f"{source}: `ledger` must be a path, e.g. \".altbot/decisions.json\"")
        updates["ledger"] = table["ledger"]
        # a repository's config must not make altbot write outside the repository
        ledger_path = os.path.realpath(os.path.join(root, table["ledger"]))
        if not _within(ledger_path, os.path.realpath(root)):
            raise ConfigError(
                f"{source}: `ledger` = {table['ledger']!r} is outside the project root {root}; "
                "keep the ledger inside the project"
            )
    if "site-root" in table:
        if not isinstance(table["site-root"], str):
            raise ConfigError(f"{source}: `site-root` must be a string")
        updates["site_root"] = table["site-root"]
    if "default-lang" in table:
        if not isinstance(table["default-lang"], str) or not table["default-lang"]:
            raise ConfigError(f"{source}: `default-lang` must be a language tag, e.g. \"en\" or \"pt-BR\"")
        updates["default_lang"] = table["default-lang"]
    if "translation" in table:
        value = table["translation"]
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise ConfigError(
                f'{source}: [tool.altbot.translation] maps a language to a model, e.g. fr = "Helsinki-NLP/opus-mt-en-fr"'
            )
        updates["translation"] = tuple(value.items())
    if "detect-lang" in table:
        if not isinstance(table["detect-lang"], bool):
            raise ConfigError(f"{source}: `detect-lang` must be true or false")
        updates["detect_lang"] = table["detect-lang"]
    if "allow-download" in table:
        if not isinstance(table["allow-download"], bool):
            raise ConfigError(f"{source}: `allow-download` must be true or false")
        updates["allow_download"] = table["allow-download"]
    if "respect-gitignore" in table:
        if not isinstance(table["respect-gitignore"], bool):
            raise ConfigError(f"{source}: `respect-gitignore` must be true or false")
        updates["respect_gitignore"] = table["respect-gitignore"]
    if "max-file-size" in table:
        v = table["max-file-size"]
        if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
            raise ConfigError(f"{source}: `max-file-size` must be a positive number of bytes")
        updates["max_file_size"] = v
    if "server" in table:
        updates["server"] = server_settings(table["server"], source)
    return replace(cfg, **updates)


_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_SECRET_WORDS = ("key", "apikey", "token", "secret", "password", "passwd", "bearer", "auth", "authorization", "credential")


def _names_a_secret(key: str) -> bool:
    words = re.split(r"[-_]", key.lower())
    if words[-1] in ("env", "var", "variable", "name"):  # names where a key is, e.g. a misspelt api-key-env
        return False
    return any(w in _SECRET_WORDS for w in words) or key.lower().replace("-", "").replace("_", "") in _SECRET_WORDS


def server_settings(value: Any, source: str) -> ServerSettings:
    """``[tool.altbot.server]`` → ServerSettings; a key that would hold a secret is refused."""
    where = f"{source}: [tool.altbot.server]"
    if not isinstance(value, dict):
        raise ConfigError(f"{source}: `server` must be a table ([tool.altbot.server]), not {type(value).__name__}")
    example = 'api-key-env = "VLLM_API_KEY"'
    for key in value:
        if key not in SERVER_KEYS and _names_a_secret(key):
            raise ConfigError(
                f"{where}: `{key}`: keys are never stored in config. Put the key in an environment variable "
                f"and name the variable instead: {example}"
            )
    unknown = sorted(set(value) - set(SERVER_KEYS))
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; valid keys: {', '.join(SERVER_KEYS)}")
    out: dict[str, Any] = {}
    if "url" in value:
        url = value["url"]
        from altbot.srcs import split_url

        parsed = split_url(url) if isinstance(url, str) else None
        if parsed is None or parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ConfigError(f'{where}: `url` must be an http(s) URL, e.g. "http://127.0.0.1:8000/v1", not {url!r}')
        out["url"] = url
    if "model" in value:
        if not isinstance(value["model"], str) or not value["model"].strip():
            raise ConfigError(f'{where}: `model` must be the name the server knows the model by, e.g. "llava"')
        out["model"] = value["model"]
    if "api-key-env" in value:
        name = value["api-key-env"]
        if not isinstance(name, str) or not _ENV_NAME.match(name):
            raise ConfigError(
                f"{where}: `api-key-env` must be the name of an environment variable (letters, digits and _), "
                f"e.g. {example}; keys are never stored in config"
            )
        if len(name) >= 20 and any(c.islower() for c in name) and any(c.isdigit() for c in name):
            raise ConfigError(
                f"{where}: `api-key-env` looks like a key, not the name of a variable; keys are never stored "
                f"in config: put it in an environment variable and name that, e.g. {example}"
            )
        out["api_key_env"] = name
    if "timeout" in value:
        t = value["timeout"]
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not 0 < t < float("inf"):
            raise ConfigError(f"{where}: `timeout` must be a positive number of seconds, e.g. 120")
        out["timeout"] = float(t)
    if "concurrency" in value:
        c = value["concurrency"]
        if isinstance(c, bool) or not isinstance(c, int) or not 1 <= c <= MAX_SERVER_CONCURRENCY:
            raise ConfigError(
                f"{where}: `concurrency` (requests in flight) must be a whole number from 1 to {MAX_SERVER_CONCURRENCY}"
            )
        out["concurrency"] = c
    return ServerSettings(**out)


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def check_globs(patterns: tuple[str, ...] | list[str], where: str) -> None:
    """Raise ConfigError for a pattern gitignore syntax cannot hold (e.g. a lone backslash)."""
    import pathspec

    for pattern in patterns:
        try:
            pathspec.GitIgnoreSpec.from_lines([pattern])
        except Exception as exc:  # pathspec's GitIgnorePatternError and friends
            raise ConfigError(f"{where}: {pattern!r} is not a valid glob ({exc})") from None


def parse_severity(value: Any, where: str) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        raise ConfigError(f"{where}: {value!r} is not one of {', '.join(s.value for s in Severity)}") from None


def _norm_ext(ext: str) -> str:
    ext = ext.lower()
    return ext if ext.startswith(".") else "." + ext
