"""Argument parsing only: each command calls the library and returns an exit code.

Exit codes (all commands): 0 clean, 1 findings at or above --fail-on, 2 usage,
configuration or I/O errors (when nothing else failed).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from altbot import __version__
from altbot.config import EMPTY_ALT_MODES, Config, ConfigError, load_config
from altbot.model import Severity
from altbot.report import FORMATS_CHECK, FORMATS_SCAN

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with the usage, like argparse, but name the remedy
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\nRun '{self.prog} --help' for the options.\n")


def _add_discovery(p: argparse.ArgumentParser, jobs: bool = True, empty_alt: bool = True) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    p.add_argument("--config", metavar="FILE", help="config file (default: nearest .altbot.toml or pyproject.toml)")
    p.add_argument("--include", action="append", default=[], metavar="GLOB", help="only check matching paths (repeatable)")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="skip matching paths (repeatable)")
    p.add_argument("--no-gitignore", action="store_true", help="also check files that .gitignore excludes")
    if empty_alt:
        p.add_argument(
            "--empty-alt",
            choices=EMPTY_ALT_MODES,
            help='HTML alt="" is valid decorative markup; "report" lists the ones judged informative as info findings',
        )
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour the text output")
    p.add_argument("--default-lang", metavar="LANG", help="the language of pages nothing else names (BCP 47, e.g. en)")
    if jobs:
        p.add_argument(
            "--jobs", "-j", type=int, metavar="N", help="worker processes for large runs (default: the usable CPUs; 1 = none)"
        )


def _add_output(p: argparse.ArgumentParser) -> None:
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="altbot", description="Find images without alt text, and (soon) caption them locally.")
    parser.add_argument("--version", action="version", version=f"altbot {__version__}")
    parser.add_argument("--debug", action="store_true", help="print the traceback of an internal error (or set ALTBOT_DEBUG=1)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = sub.add_parser("check", help="report images without a text alternative (the CI / pre-commit gate)")
    _add_discovery(check)
    _add_output(check)
    check.add_argument("--format", choices=FORMATS_CHECK, default="text")
    check.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        help="exit 1 when a finding is at least this severe (default: error)",
    )

    scan = sub.add_parser("scan", help="inventory every image found, with its status")
    _add_discovery(scan)
    _add_output(scan)
    scan.add_argument("--format", choices=FORMATS_SCAN, default="text")
    scan.add_argument("--explain", action="store_true", help="print the decorative verdict, score and reasons of each judged image")

    fix = sub.add_parser("fix", help="write alt text into the sources, as a reviewable diff")
    # one process, so the captioning model loads once; --include-empty is fix's word for --empty-alt
    _add_discovery(fix, jobs=False, empty_alt=False)
    mode = fix.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="apply the edits in place (atomic writes)")
    mode.add_argument("--patch", metavar="FILE", help="write a patch that `git apply` accepts, change nothing")
    mode.add_argument("--branch", metavar="NAME", help="commit the fixes on a new branch; the working tree is untouched")
    mode.add_argument("--interactive", "-i", action="store_true", help="review each image: accept, edit, decorative, reject, skip")
    fix.add_argument("--replace-suspicious", action="store_true", help="also replace alt text that looks like a file name or placeholder")
    fix.add_argument("--include-empty", action="store_true", help='also caption HTML images with alt=""')
    fix.add_argument("--captioner", metavar="NAME", help="auto (default), transformers, offline, server, metadata, filename")
    fix.add_argument("--model", metavar="ID_OR_DIR", help="captioning model: a Hugging Face id, a short name, or a local directory")
    fix.add_argument("--max-length", type=int, metavar="N", help="longest alt text, in characters (default 125)")
    fix.add_argument("--fallback-lang", metavar="LANG", help="write captions in LANG when the page's language cannot be reached")
    fix.add_argument("--allow-remote", action="store_true", help="fetch http(s) images (off: nothing leaves or enters by network)")
    fix.add_argument("--allow-download", action="store_true", help="let the captioning model download into the Hugging Face cache")
    fix.add_argument("--cache-dir", metavar="DIR", help="caption cache folder (default: the user cache dir)")
    fix.add_argument("--no-cache", action="store_true", help="do not read or write the caption cache")
    fix.add_argument("--explain", action="store_true", help="print, for each image, what was decided and why")
    fix.add_argument("--message", metavar="TEXT", help="commit message for --branch (default: counts of the fixes)")

    cap = sub.add_parser("caption", help="print alt text for image files")
    cap.add_argument("images", nargs="+", metavar="IMAGE")
    cap.add_argument("--json", action="store_true", help="a JSON list, one object per image")
    cap.add_argument("--captioner", metavar="NAME", help="auto (default), transformers, offline, server, metadata, filename")
    cap.add_argument("--model", metavar="ID_OR_DIR")
    cap.add_argument("--lang", metavar="LANG", help="the language to write the alt text in (BCP 47)")
    cap.add_argument("--max-length", type=int, metavar="N")
    cap.add_argument("--cache-dir", metavar="DIR")
    cap.add_argument("--no-cache", action="store_true")
    cap.add_argument("--allow-download", action="store_true", help="let the captioning model download into the Hugging Face cache")
    cap.add_argument("--config", metavar="FILE")

    ledger = sub.add_parser("ledger", help="list or prune the reviewed decisions in .altbot/decisions.json")
    ledger.add_argument("action", nargs="?", choices=("list", "prune"), default="list")
    ledger.add_argument("--config", metavar="FILE")
    ledger.add_argument("--dry-run", action="store_true", help="with prune: show what would be removed")

    rules = sub.add_parser("rules", help="list the rules and what they check")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _config_start(paths: list[str] | None) -> Path:
    """Where config discovery starts: the first PATH (its folder for a file), else the cwd.

    So `altbot check site/` uses site/.altbot.toml even when run from elsewhere.
    """
    if not paths:
        return Path.cwd()
    first = Path(paths[0])
    if first.is_dir():
        return first
    return first.parent if first.parent.is_dir() else Path.cwd()


def _config(args: argparse.Namespace) -> Config:
    if getattr(args, "jobs", None) is not None and args.jobs < 1:
        raise ConfigError("--jobs must be at least 1")
    cfg = load_config(args.config, start=_config_start(getattr(args, "paths", None)))
    updates: dict = {}
    from altbot.config import check_globs

    if args.include:
        check_globs(args.include, "--include")
        updates["include"] = cfg.include + tuple(args.include)
    if args.exclude:
        check_globs(args.exclude, "--exclude")
        updates["exclude"] = cfg.exclude + tuple(args.exclude)
    if args.no_gitignore:
        updates["respect_gitignore"] = False
    if getattr(args, "empty_alt", None):
        updates["empty_alt"] = args.empty_alt
    if getattr(args, "fail_on", None):
        updates["fail_on"] = Severity(args.fail_on)
    return replace(cfg, **updates)


def _use_colour(args: argparse.Namespace, stream) -> bool:
    if args.color == "always":
        return True
    if args.color == "never" or getattr(args, "output", None) or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def _emit(args: argparse.Namespace, text: str) -> bool:
    """Write the report; False (after a message) when the output file cannot be written."""
    if not args.output or args.output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return True
    from altbot.apply import write_atomic

    try:
        write_atomic(args.output, text.encode("utf-8"))
    except OSError as exc:
        print(f"altbot: error: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return False
    return True


def _check_streaming(args: argparse.Namespace, cfg: Config, paths: list[str]) -> int:
    """text/github to stdout: print each file's findings as it is done, keep only counts."""
    from collections import Counter

    from altbot.runner import iter_results

    if args.format == "github":
        from altbot.report.github import format_error, format_finding

        fmt_finding, fmt_error = format_finding, format_error
    else:
        from altbot.report import text

        colour = _use_colour(args, sys.stdout)
        fmt_finding = lambda f: text.format_finding(f, colour)  # noqa: E731
        fmt_error = lambda e: text.format_error(e, colour)  # noqa: E731
    out = sys.stdout
    walk_errors: list = []
    shown = 0
    counts: Counter = Counter()
    files = images = errors = 0
    failing = False
    for fr in iter_results(paths, cfg, walk_errors, args.jobs, default_lang=args.default_lang):
        files += 1
        images += len(fr.images)
        lines = [fmt_finding(f) for f in fr.findings] + [fmt_error(e) for e in fr.errors]
        lines += [fmt_error(e) for e in walk_errors[shown:]]
        errors += len(fr.errors) + len(walk_errors) - shown
        shown = len(walk_errors)
        for f in fr.findings:
            counts[f.severity] += 1
            failing = failing or f.severity.rank >= cfg.fail_on.rank
        if lines:
            out.write("\n".join(lines) + "\n")
    for e in walk_errors[shown:]:
        out.write(fmt_error(e) + "\n")
        errors += 1
    if args.format == "text":
        out.write(text.summary_line(counts, errors, files, images, colour) + "\n")
    out.flush()
    if failing:
        return EXIT_FINDINGS
    return EXIT_ERROR if errors else EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from altbot.runner import run

    cfg = _config(args)
    paths = args.paths or ["."]
    fmt = args.format
    if fmt in ("text", "github") and (not args.output or args.output == "-"):
        return _check_streaming(args, cfg, paths)
    result = run(paths, cfg, jobs=args.jobs, default_lang=args.default_lang)
    if fmt == "json":
        from altbot.report.json import check_document, dumps

        out = dumps(check_document(result.findings, result.errors, result.files, result.images))
    elif fmt == "sarif":
        import json

        from altbot.report.sarif import document

        out = json.dumps(document(result.findings, result.errors), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "github":
        from altbot.report.github import render

        out = render(result.findings, result.errors)
    else:
        from altbot.report.text import render_check

        out = render_check(result.findings, result.errors, result.files, result.images)
    ok = _emit(args, out)
    if result.errors:
        # the report file carries the errors; stderr keeps them visible in logs
        from altbot.report.text import format_error

        for e in result.errors:
            print(format_error(e), file=sys.stderr)
    failing = any(f.severity.rank >= cfg.fail_on.rank for f in result.findings)
    if failing:
        return EXIT_FINDINGS
    return EXIT_ERROR if (result.errors or not ok) else EXIT_OK


def _judge_inventory(images: list, cfg: Config) -> dict:
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


def cmd_scan(args: argparse.Namespace) -> int:
    from altbot.runner import run

    cfg = _config(args)
    result = run(args.paths or ["."], cfg, keep_images=True, jobs=args.jobs, detect=True, default_lang=args.default_lang)
    verdicts = _judge_inventory(result.inventory, cfg)
    if args.explain:
        for i, img in enumerate(result.inventory):
            v = verdicts.get(i)
            if v is not None:
                print(f"{img.path}:{img.line}:{img.column} {img.element} {img.src or ''}: {v.verdict} "
                      f"(score {v.score:.2f}; lang {img.lang or 'unknown'} from {img.lang_source or 'nothing'})",
                      file=sys.stderr)
                for reason in v.reasons:
                    print(f"  · {reason}", file=sys.stderr)
    if args.format == "json":
        from altbot.report.json import dumps, scan_document

        out = dumps(scan_document(result.inventory, result.errors, result.files, len(result.findings), verdicts))
    else:
        from altbot.report.text import render_scan

        out = render_scan(result.inventory, result.errors, result.files, _use_colour(args, sys.stdout))
    ok = _emit(args, out)
    if args.format != "text" and result.errors:
        from altbot.report.text import format_error

        for e in result.errors:
            print(format_error(e), file=sys.stderr)
    return EXIT_ERROR if (result.errors or not ok) else EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    from altbot.rules import RULES

    if args.format == "json":
        import json

        doc = [
            {"id": r.id, "severity": r.severity.value, "summary": r.summary, "why": r.why, "example": r.example}
            for r in RULES.values()
        ]
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
        return EXIT_OK
    for r in RULES.values():
        sys.stdout.write(f"{r.id} ({r.severity.value}): {r.summary}\n    {r.why}\n    e.g. {r.example}\n")
    return EXIT_OK


def cmd_fix(args: argparse.Namespace) -> int:
    from altbot.fixcmd import run_fix

    return run_fix(args, _config(args))


def cmd_ledger(args: argparse.Namespace) -> int:
    from altbot.fixcmd import run_ledger

    return run_ledger(args, load_config(args.config))


def cmd_caption(args: argparse.Namespace) -> int:
    from altbot.captioncmd import run_caption

    return run_caption(args, load_config(args.config))


COMMANDS = {"caption": cmd_caption, "check": cmd_check, "scan": cmd_scan, "fix": cmd_fix, "ledger": cmd_ledger, "rules": cmd_rules}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    if args.debug:
        os.environ["ALTBOT_DEBUG"] = "1"
    try:
        return COMMANDS[args.command](args)
    except ConfigError as exc:
        print(f"altbot: config error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("altbot: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # e.g. `altbot scan | head`: not an error of ours
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - exit 2 ("altbot failed"), never Python's 1 ("findings")
        from altbot.debug import HINT, describe, enabled

        if enabled():
            import traceback

            traceback.print_exc()
        print(f"altbot: internal error: {describe(exc)}; {HINT}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
