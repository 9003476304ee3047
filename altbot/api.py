"""The library API: ``check``, ``scan`` and ``plan_fix`` (what every command calls).

Keyword options mirror the command-line flags (``--no-gitignore`` is
``no_gitignore=True``); ``config`` is a ``Config``, a path to a config file, or
None to discover one from the paths, as the CLI does. An unknown option is a
TypeError naming the valid ones.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

TYPE_CHECKING = False  # typing is for the type checker only: a check never imports it
if TYPE_CHECKING:
    from typing import Any

from altbot.config import Config, ConfigError, check_globs, load_config
from altbot.model import FileError, Finding, Image, max_length_problem

PathsArg = "str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None"

_DISCOVERY = ("include", "exclude", "no_gitignore", "default_lang", "shard")
MAX_JOBS = 512  # processes; a higher number is a slip (and an OverflowError past a C int)
CHECK_OPTIONS = frozenset(_DISCOVERY + ("empty_alt", "fail_on", "jobs"))
SCAN_OPTIONS = frozenset(_DISCOVERY + ("empty_alt", "jobs"))
FIX_OPTIONS = frozenset(
    _DISCOVERY
    + (
        "replace_suspicious",
        "include_empty",
        "model",
        "server_url",
        "max_length",
        "fallback_lang",
        "allow_remote",
        "allow_download",
        "cache_dir",
        "no_cache",
        "progress",
        "warn",
    )
)


def _paths(paths) -> list[str]:
    if paths is None:
        return ["."]
    if isinstance(paths, (str, os.PathLike)):
        return [os.fspath(paths)]
    out = [os.fspath(p) for p in paths]
    return out or ["."]


def _check_options(options: dict[str, Any], allowed: frozenset[str], what: str) -> None:
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise TypeError(f"{what}() got unknown option(s) {', '.join(unknown)}; valid: {', '.join(sorted(allowed))}")


def config_start(paths: list[str]) -> Path:
    """Where config discovery starts: the first PATH (its folder for a file), else the cwd."""
    if not paths:
        return Path.cwd()
    first = Path(paths[0])
    # os.path.isdir, not Path.is_dir: a name too long or with a NUL is no folder (is_dir raises)
    if os.path.isdir(first):
        return first
    return first.parent if os.path.isdir(first.parent) else Path.cwd()


def resolve_config(paths: list[str], config: Config | str | os.PathLike[str] | None, options: dict[str, Any]) -> Config:
    """The Config a run uses: the given one (or file), else discovered; then the option overrides."""
    if isinstance(config, Config):
        cfg = config
    elif config is not None:
        cfg = load_config(config)
    else:
        cfg = load_config(None, start=config_start(paths))
    updates: dict[str, Any] = {}
    if options.get("include"):
        check_globs(list(options["include"]), "--include")
        updates["include"] = cfg.include + tuple(options["include"])
    if options.get("exclude"):
        check_globs(list(options["exclude"]), "--exclude")
        updates["exclude"] = cfg.exclude + tuple(options["exclude"])
    if options.get("no_gitignore"):
        updates["respect_gitignore"] = False
    if options.get("empty_alt"):
        from altbot.config import EMPTY_ALT_MODES

        if options["empty_alt"] not in EMPTY_ALT_MODES:
            raise ConfigError(f"empty_alt must be one of {', '.join(EMPTY_ALT_MODES)}")
        updates["empty_alt"] = options["empty_alt"]
    if options.get("fail_on"):
        from altbot.config import parse_severity

        updates["fail_on"] = parse_severity(getattr(options["fail_on"], "value", options["fail_on"]), "fail_on")
    if options.get("shard") is not None:
        from altbot.discover import parse_shard

        try:
            updates["shard"] = parse_shard(options["shard"])
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
    jobs = options.get("jobs")
    if jobs is not None and (not isinstance(jobs, int) or jobs < 1):
        raise ConfigError("--jobs must be at least 1")
    if jobs is not None and jobs > MAX_JOBS:
        raise ConfigError(f"--jobs must be at most {MAX_JOBS} (a check is CPU-bound: more processes than CPUs only cost)")
    return replace(cfg, **updates) if updates else cfg


# -- check ------------------------------------------------------------------------------------


@dataclass
class CheckResult:
    """Findings and file errors of ``altbot check``."""

    findings: list[Finding]
    errors: list[FileError]
    files: int
    images: int
    config: Config

    @property
    def failing(self) -> bool:
        return any(f.severity.rank >= self.config.fail_on.rank for f in self.findings)

    @property
    def exit_code(self) -> int:
        from altbot.exitcodes import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK

        if self.failing:
            return EXIT_FINDINGS
        return EXIT_ERROR if self.errors else EXIT_OK

    def as_json(self) -> dict[str, Any]:
        """Exactly what ``altbot check --format json`` prints, as parsed JSON."""
        from altbot.report.json import check_document

        return check_document(self.findings, self.errors, self.files, self.images)

    def as_sarif(self) -> dict[str, Any]:
        from altbot.report.sarif import document

        return document(self.findings, self.errors)

    def render(self, fmt: str = "text", colour: bool = False) -> str:
        """The report ``altbot check --format FMT`` prints."""
        if fmt == "json":
            from altbot.report.json import dumps

            return dumps(self.as_json())
        if fmt == "sarif":
            from altbot.report.json import dumps

            return dumps(self.as_sarif())
        if fmt == "github":
            from altbot.report.github import render

            return render(self.findings, self.errors)
        from altbot.report.text import render_check

        return render_check(self.findings, self.errors, self.files, self.images, colour)


def check_config(paths: list[str], config: Config | str | os.PathLike[str] | None, options: dict[str, Any]) -> Config:
    """The Config a check uses: ``resolve_config``'s, computing no decorative context (check reports none)."""
    return replace(resolve_config(paths, config, options), need_context=False)


def iter_check(
    paths, *, config: Config, errors: list[FileError], jobs: int | None = None, default_lang: str | None = None,
    keep_images: bool = True,
    languages: bool = True,
):
    """Each file's result as it is done (for streaming reports); unreadable files go to ``errors``.
    ``keep_images=False``: only the findings and an image count come back (``FileResult.image_count``);
    ``languages=False``: no language is resolved (for reports that print none)."""
    from altbot.runner import iter_results

    return iter_results(
        _paths(paths), config, errors, jobs, default_lang=default_lang, keep_images=keep_images, languages=languages
    )


def check(paths=None, *, config=None, languages: bool = True, **options) -> CheckResult:
    """Find images without a text alternative: what ``altbot check`` reports.

    ``languages=False`` skips resolving each image's language (the findings' ``lang``
    is then None): for reports that print no language."""
    _check_options(options, CHECK_OPTIONS, "check")
    from altbot.runner import run

    plist = _paths(paths)
    cfg = check_config(plist, config, options)
    result = run(plist, cfg, jobs=options.get("jobs"), default_lang=options.get("default_lang"), languages=languages)
    return CheckResult(result.findings, result.errors, result.files, result.images, cfg)


# -- scan -------------------------------------------------------------------------------------


@dataclass
class ScanResult:
    """Every image found, with its status, language and (for those lacking a usable alt) the decorative verdict."""

    images: list[Image]
    errors: list[FileError]
    files: int
    findings: int
    verdicts: dict[int, Any] = field(default_factory=dict)  # index into images → Judgement
    resolved: dict[int, tuple[str, str]] = field(default_factory=dict)  # index → (file, what resolved it)
    site: list[dict[str, str]] = field(default_factory=list)  # facts of the site model, with their sources

    @property
    def exit_code(self) -> int:
        from altbot.exitcodes import EXIT_ERROR, EXIT_OK

        return EXIT_ERROR if self.errors else EXIT_OK

    def as_json(self) -> dict[str, Any]:
        """Exactly what ``altbot scan --format json`` prints, as parsed JSON."""
        from altbot.report.json import scan_document

        return scan_document(self.images, self.errors, self.files, self.findings, self.verdicts, self.resolved, self.site)

    def render(self, fmt: str = "text", colour: bool = False) -> str:
        if fmt == "json":
            from altbot.report.json import dumps

            return dumps(self.as_json())
        from altbot.report.text import render_scan

        return render_scan(self.images, self.errors, self.files, colour)

    def explain(self) -> str:
        """The decorative verdict, score and reasons of each judged image (``scan --explain``)."""
        out = []
        for i, img in enumerate(self.images):
            v = self.verdicts.get(i)
            if v is None:
                continue
            lang = f"lang {img.lang} from {img.lang_source or 'nothing'}" if img.lang else "lang unknown"
            out.append(f"{img.path}:{img.line}:{img.column} {img.element} {img.src or ''}: {v.verdict.value} (score {v.score:.2f}; {lang})")
            out.extend(f"  · {reason}" for reason in v.reasons)
            out.extend(f"  language note: {note}" for note in img.lang_notes)
        for fact in self.site:
            if fact["name"] == "note":
                out.append(f"site note ({fact['source']}): {fact['value']}")
        from altbot.report.text import visible

        # a page's bytes (a src, a lang value) must not write terminal escapes into the log
        return "\n".join(visible(line) for line in out)


def _judge_inventory(images: list[Image], cfg: Config) -> dict[int, Any]:
    """Decorative verdicts for the images that lack a usable alt, or carry HTML alt=""."""
    from altbot.rules import status_of
    from altbot.runner import verdict_for

    verdicts = {}
    for i, img in enumerate(images):
        status = status_of(img)
        empty_html = status == "decorative" and not img.presentational and img.alt == ""
        if status in ("missing", "empty", "blank") or empty_html:
            verdicts[i] = verdict_for(img, os.path.abspath(img.path), cfg)
    return verdicts


def scan(paths=None, *, config=None, **options) -> ScanResult:
    """Inventory every image: what ``altbot scan`` reports."""
    _check_options(options, SCAN_OPTIONS, "scan")
    from altbot.runner import run

    plist = _paths(paths)
    cfg = resolve_config(plist, config, options)
    result = run(plist, cfg, keep_images=True, jobs=options.get("jobs"), detect=True, default_lang=options.get("default_lang"))
    cfg = result.config or cfg
    verdicts = _judge_inventory(result.inventory, cfg)
    return ScanResult(
        result.inventory, result.errors, result.files, len(result.findings), verdicts,
        _resolved_srcs(result.inventory, cfg), site_facts(cfg),
    )


def site_facts(cfg: Config) -> list[dict[str, str]]:
    """What the site model knows, and where each fact came from (scan JSON, --explain)."""
    model = cfg.site
    if model is None:
        return []
    out = [{"name": "project root", "value": model.root, "source": model.root_source}]
    for folder, sites in sorted(model.sites.items()):
        rel = os.path.relpath(folder, model.root)
        for site in sites:
            for fact in site.facts():
                out.append({"site": rel, "name": fact.name, "value": fact.value, "source": fact.source})
        # what reading the configs said (a file not read, a value ignored), once for the folder
        for note in dict.fromkeys(n for site in sites for n in site.notes):
            out.append({"site": rel, "name": "note", "value": note, "source": ", ".join(s.config_file or s.name for s in sites)})
    return out


def _resolved_srcs(images: list[Image], cfg: Config) -> dict[int, tuple[str, str]]:
    from altbot.images import resolved_src
    from altbot.srcs import is_template

    out: dict[int, tuple[str, str]] = {}
    for i, img in enumerate(images):
        if img.src_resolved:
            out[i] = (img.src_resolved, img.src_source or "the page")
        elif img.src and is_template(img.src):
            page = os.path.abspath(img.path)
            static = resolved_src(img.src, page, cfg)
            if static is not None:
                site = cfg.site.site_for(page) if cfg.site is not None else None
                out[i] = (static, f"{site.name if site else 'template'} URL function / site params")
    return out


# -- fix --------------------------------------------------------------------------------------


def plan_fix(paths=None, *, captioner="auto", config=None, **fix_options):
    """Plan alt text for every finding fix handles; nothing is written until the plan says so.

    ``captioner`` is a backend name ("auto", "transformers", "offline", "server",
    "metadata", "filename"), None for the config's ``captioner``, or an object
    with ``name``, ``model`` and ``caption(requests)``. Returns an ``altbot.plan.FixPlan``.
    Raises ConfigError, or CaptionerError when the captioner cannot be built.
    """
    _check_options(fix_options, FIX_OPTIONS, "plan_fix")
    from altbot.caption.base import CaptionerError
    from altbot.plan import FixPlan
    from altbot.planner import FixOptions, Planner, read_sources
    from altbot.runner import load_ledger, make_resolver, prepare

    plist = _paths(paths)
    cfg = resolve_config(plist, config, fix_options)
    max_length = fix_options.get("max_length")
    max_length = cfg.max_length if max_length is None else max_length  # 0 is a value too: refused below
    problem = max_length_problem(max_length)
    if problem:
        raise ConfigError(f"--max-length {problem}")
    options = FixOptions(
        replace_suspicious=bool(fix_options.get("replace_suspicious")),
        include_empty=bool(fix_options.get("include_empty")),
        allow_remote=bool(fix_options.get("allow_remote")),
        max_length=max_length,
        fallback_lang=fix_options.get("fallback_lang"),
    )
    if isinstance(captioner, str) or captioner is None:
        from altbot.caption.factory import build_captioner

        kwargs = {}
        if fix_options.get("warn") is not None:
            kwargs["warn"] = fix_options["warn"]
        backend = build_captioner(
            cfg,
            name=captioner,  # None: the config's choice (or server, for a server_url)
            model=fix_options.get("model"),
            allow_download=bool(fix_options.get("allow_download")),
            cache_dir=fix_options.get("cache_dir"),
            no_cache=bool(fix_options.get("no_cache")),
            server_url=fix_options.get("server_url"),
            allow_remote=bool(fix_options.get("allow_remote")),
            **kwargs,
        )
    elif callable(getattr(captioner, "caption", None)):
        backend = captioner
    else:
        raise CaptionerError(f"captioner must be a backend name or an object with caption(requests), not {captioner!r}")
    errors: list[FileError] = []
    cfg, candidates = prepare(plist, cfg, errors)
    ledger_errors: list[FileError] = []
    ledger = load_ledger(cfg, ledger_errors)
    ledger_error = ledger_errors[0].message if ledger_errors else None
    # the plan goes on without the ledger's decisions, and says so; FixPlan refuses to write it
    errors.extend(
        replace(e, message=f"{e.message}; its decisions are not applied, and nothing is written until it can be read")
        for e in ledger_errors
    )
    sources = list(read_sources(candidates, cfg, errors))
    resolver = make_resolver(cfg, detect=True, default_lang=fix_options.get("default_lang"))
    planner = Planner(cfg, options, backend, ledger, resolver=resolver)
    progress: Callable[[str, int, int], None] | None = fix_options.get("progress")
    files = []
    for plan in planner.plan(sources):
        files.append(plan)
        if progress is not None:
            progress(plan.source.path, len(files), len(sources))
    for plan in files:
        errors.extend(plan.errors)
    return FixPlan(cfg, options, files, errors, ledger, ledger_error)


__all__ = ["CheckResult", "ScanResult", "check", "iter_check", "plan_fix", "scan"]
