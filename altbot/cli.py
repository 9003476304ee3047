"""Argument parsing only (the edge of every stage): each command module in
``altbot.commands`` calls the library and returns an exit code.

Exit codes (all commands, see ``altbot.exitcodes``): 0 clean, 1 findings at or
above --fail-on, 2 usage, configuration, I/O or internal errors (when nothing
else failed), 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from altbot import __version__
from altbot.config import EMPTY_ALT_MODES, ConfigError
from altbot.exitcodes import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK
from altbot.model import Severity
from altbot.report import FORMATS_CHECK, FORMATS_SCAN


def _columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` reads it ($COLUMNS, then the tty, then 80)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter, sized without importing shutil: ``add_argument`` builds
    a formatter for every argument, and shutil (with bz2 and lzma) costs ~5 ms a start."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        super().__init__(prog, indent_increment, max_help_position, _columns() - 2 if width is None else width)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # exit 2 with the usage, like argparse, but name the remedy
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\nRun '{self.prog} --help' for the options.\n")


def _shard(value: str) -> tuple[int, int]:
    from altbot.discover import parse_shard

    try:
        return parse_shard(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_discovery(p: argparse.ArgumentParser, jobs: bool = True, empty_alt: bool = True) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    _add_config(p)
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
    p.add_argument("--shard", type=_shard, metavar="K/N", help="only the files of shard K of N (a stable split by path hash, for CI matrices)")
    if jobs:
        p.add_argument(
            "--jobs", "-j", type=int, metavar="N", help="worker processes for large runs (default: the usable CPUs; 1 = none)"
        )


def _add_output(p: argparse.ArgumentParser) -> None:
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")


def _add_config(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE", help="config file (default: nearest .altbot.toml or pyproject.toml)")


def add_caption_options(p: argparse.ArgumentParser, remote_help: str) -> None:
    """How images are captioned: shared by fix, review and caption."""
    p.add_argument("--captioner", metavar="NAME", help="auto (default), transformers, offline, server, metadata, filename")
    p.add_argument("--model", metavar="ID_OR_DIR", help="captioning model: a Hugging Face id, a short name, or a local directory")
    p.add_argument("--max-length", type=int, metavar="N", help="longest alt text, in characters (default 125)")
    p.add_argument("--server-url", metavar="URL", help="the server captioner's OpenAI-compatible endpoint (default http://127.0.0.1:11434/v1, Ollama)")
    p.add_argument("--allow-remote", action="store_true", help=remote_help)
    p.add_argument("--allow-download", action="store_true", help="let the captioning model download into the Hugging Face cache")
    p.add_argument("--cache-dir", metavar="DIR", help="caption cache folder (default: the user cache dir)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the caption cache")


def add_fix_options(p: argparse.ArgumentParser) -> None:
    """What fix proposes and how it captions: shared by fix and review."""
    p.add_argument("--replace-suspicious", action="store_true", help="also propose alt text where a human's looks like a file name or placeholder")
    p.add_argument("--include-empty", action="store_true", help='also caption HTML images with alt=""')
    p.add_argument("--fallback-lang", metavar="LANG", help="write captions in LANG when the page's language cannot be reached")
    add_caption_options(
        p, "fetch http(s) images, and let --server-url name another machine (off: nothing leaves or enters by network)"
    )


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole parser; with ``command``, only that command's subparser (a run of one command
    need not build the others: argparse costs a few ms a subparser at every start)."""

    def want(name: str) -> bool:
        return command is None or command == name

    parser = _Parser(
        prog="altbot",
        description="Find images without alt text, caption them locally in the page's language, "
        "and write the alt text back as a reviewable diff.",
    )
    parser.add_argument("--version", action="version", version=f"altbot {__version__}")
    parser.add_argument("--debug", action="store_true", help="print the traceback of an internal error (or set ALTBOT_DEBUG=1)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    if want("check"):
        check = sub.add_parser("check", help="report images without a text alternative (the CI / pre-commit gate)")
        _add_discovery(check)
        _add_output(check)
        check.add_argument(
            "--format", choices=FORMATS_CHECK, default="text",
            help="text (default), json, sarif (code scanning) or github (workflow annotations)",
        )
        check.add_argument(
            "--fail-on",
            choices=[s.value for s in Severity],
            help="exit 1 when a finding is at least this severe (default: error)",
        )

    if want("scan"):
        scan = sub.add_parser("scan", help="inventory every image found, with its status")
        _add_discovery(scan)
        _add_output(scan)
        scan.add_argument("--format", choices=FORMATS_SCAN, default="text", help="text (default) or json")
        scan.add_argument("--explain", action="store_true", help="print the decorative verdict, score and reasons of each judged image")

    if want("fix"):
        fix = sub.add_parser("fix", help="write alt text into the sources, as a reviewable diff")
        # one process, so the captioning model loads once; --include-empty is fix's word for --empty-alt
        _add_discovery(fix, jobs=False, empty_alt=False)
        mode = fix.add_mutually_exclusive_group()
        mode.add_argument("--write", action="store_true", help="apply the edits in place (atomic writes)")
        mode.add_argument("--patch", metavar="FILE", help="write a patch that `git apply` accepts, change nothing")
        mode.add_argument("--branch", metavar="NAME", help="commit the fixes on a new branch; the working tree is untouched")
        mode.add_argument("--interactive", "-i", action="store_true", help="review each image: accept, edit, decorative, reject, skip")
        add_fix_options(fix)
        fix.add_argument("--explain", action="store_true", help="print, for each image, what was decided and why")
        fix.add_argument("--message", metavar="TEXT", help="commit message for --branch (default: counts of the fixes)")
        fix.add_argument(
            "--format", choices=("diff", "json"), default="diff",
            help="diff mode's output: the unified diff (default), or every proposal as JSON",
        )

    if want("review"):
        review = sub.add_parser("review", help="review every proposed alt text in the browser, with the image in view")
        _add_discovery(review, jobs=False, empty_alt=False)
        add_fix_options(review)
        review.add_argument("--port", type=int, metavar="N", help="port on 127.0.0.1 to serve the page on (0 or unset: any free port)")
        review.add_argument("--no-browser", action="store_true", help="do not open a browser; open the printed URL yourself")

    if want("caption"):
        cap = sub.add_parser("caption", help="print alt text for image files")
        cap.add_argument("images", nargs="+", metavar="IMAGE", help="image files to caption")
        cap.add_argument("--json", action="store_true", help="a JSON list, one object per image")
        cap.add_argument("--lang", metavar="LANG", help="the language to write the alt text in (BCP 47)")
        add_caption_options(cap, "let --server-url name another machine (images leave this computer)")
        _add_config(cap)

    if want("ledger"):
        ledger = sub.add_parser("ledger", help="list or prune the reviewed decisions in .altbot/decisions.json")
        ledger.add_argument(
            "action", nargs="?", choices=("list", "prune"), default="list",
            help="list the decisions (default), or prune the ones whose page or image changed",
        )
        _add_config(ledger)
        ledger.add_argument("--dry-run", action="store_true", help="with prune: show what would be removed")
        ledger.add_argument(
            "--machine", action="store_true",
            help="with list: only alt text a machine wrote (by captioner and model), reviewed or not",
        )

    if want("rules"):
        rules = sub.add_parser("rules", help="list the rules and what they check")
        rules.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or a JSON list")
    return parser


def _run(name: str, args: argparse.Namespace) -> int:
    """Import and run only the command asked for (check must not pay for fix's imports)."""
    import importlib

    return importlib.import_module(f"altbot.commands.{name}").run(args)


COMMANDS = {name: (lambda args, _n=name: _run(_n, args)) for name in ("caption", "check", "scan", "fix", "review", "ledger", "rules")}


def _command_in(argv: Sequence[str]) -> str | None:
    """The command a command line runs, when nothing before it needs the whole parser."""
    for arg in argv:
        if arg == "--debug":
            continue
        return arg if arg in COMMANDS else None
    return None


def _printable_names() -> None:
    """A file name that is not UTF-8 reaches the reports as lone surrogates (``os.fsdecode``).
    Python's own stdout writes them back as their bytes under a UTF-8 locale, but a strict one
    (``PYTHONIOENCODING=utf-8:strict``, a C locale's ASCII) would fail the whole report on one
    name: such a stream gets the ``altbot-output`` handler (``files.output_errors``)."""
    import codecs

    from altbot.files import output_errors

    codecs.register_error("altbot-output", output_errors)
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="altbot-output")
            except (OSError, ValueError):  # pragma: no cover - a stream that cannot change
                pass


def _stdout_trouble(exc: Exception) -> str | None:
    """Why stdout cannot take the report, when that is what ``exc`` was; else None."""
    if sys.stdout is None:
        return "it is closed" if isinstance(exc, AttributeError) else None
    import errno

    # a write to a file descriptor names no file; reading pages and writing --output do, and
    # each has a message of its own before anything reaches here
    if isinstance(exc, OSError) and exc.filename is None and exc.errno in (
        errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF,
    ):
        return exc.strerror or str(exc)
    return None


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush cannot fail again."""
    try:
        sys.stdout = open(os.devnull, "w")
    except OSError:
        pass


def _end_now(code: int) -> None:
    """After Ctrl-C in the command-line process, when a worker pool ran: end the process here,
    output flushed. The pool's exit hook joins its thread, which an interrupt can leave waiting on
    a worker's pipe forever (a second Ctrl-C, or one a wrapper such as ``timeout`` forwards,
    landing mid-shutdown). No write is cut short by this: writes hold signals until they are
    whole. ``main(argv)`` called from Python (a test, a script) returns instead."""
    runner = sys.modules.get("altbot.runner")
    if not (_AS_COMMAND and runner is not None and getattr(runner, "pool_started", False)):
        return
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    os._exit(code)


_AS_COMMAND = False  # main() reads sys.argv: this process is the altbot command


def main(argv: Sequence[str] | None = None) -> int:
    global _AS_COMMAND
    _AS_COMMAND = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_command_in(argv))
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    if args.debug:
        os.environ["ALTBOT_DEBUG"] = "1"
    _printable_names()
    try:
        return COMMANDS[args.command](args)
    except ConfigError as exc:
        print(f"altbot: config error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("altbot: interrupted", file=sys.stderr)
        _end_now(EXIT_INTERRUPTED)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # e.g. `altbot check | head -1`: the reader left before the report ended. Nothing to
        # say to it, but not 0 either: under `set -o pipefail` a cut report must not pass a gate
        _drop_stdout()
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - exit 2 ("altbot failed"), never Python's 1 ("findings")
        why = _stdout_trouble(exc)
        if why:  # stdout closed (`>&-`) or full (`>/dev/full`): the user's I/O, not our bug
            print(f"altbot: error: cannot write the report to stdout: {why}; use --output FILE", file=sys.stderr)
            _drop_stdout()
            return EXIT_ERROR
        from altbot.debug import HINT, describe, enabled

        if enabled():
            import traceback

            traceback.print_exc()
        print(f"altbot: internal error: {describe(exc)}; {HINT}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
