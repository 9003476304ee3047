"""`altbot fix`: plan through the library, then diff / patch / write / branch / interactive.

Output contract: the diff (or nothing) on stdout; progress, the summary table
and per-image explanations on stderr. Exit codes as in check: 0 nothing left
to do, 1 findings remain (in diff mode, the proposed changes count), 2 errors.
"""

from __future__ import annotations

import os
import sys

from altbot.commands.common import discovery_options, err, use_colour
from altbot.exitcodes import EXIT_ERROR
from altbot.report.text import visible


class Progress:
    """A one-line progress bar on stderr, only on a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.drawn = False

    def __call__(self, label: str, done: int, total: int) -> None:
        if not self.enabled or total <= 1:
            return
        width = 24
        filled = int(width * done / max(total, 1))
        shown = visible(label)  # a file name's control characters move no cursor
        shown = shown if len(shown) <= 50 else "…" + shown[-49:]
        sys.stderr.write(f"\r\x1b[2K[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {shown}")
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()


def fix_options(args) -> dict:
    """The library keyword options of fix's (and review's) flags."""
    return {
        **discovery_options(args),
        "replace_suspicious": args.replace_suspicious,
        "include_empty": args.include_empty,
        "model": args.model,
        "server_url": args.server_url,
        "max_length": args.max_length,
        "fallback_lang": args.fallback_lang,
        "allow_remote": getattr(args, "allow_remote", False),
        "allow_download": args.allow_download,
        "cache_dir": args.cache_dir,
        "no_cache": args.no_cache,
    }


def plan_from_args(args, progress=None):
    """The FixPlan for these arguments, or an exit code after a message."""
    from altbot.api import plan_fix
    from altbot.caption.base import CaptionerError

    try:
        return plan_fix(args.paths or ["."], captioner=args.captioner, config=args.config, progress=progress, **fix_options(args))
    except CaptionerError as exc:
        err(f"altbot: error: {exc}")
        return EXIT_ERROR


def refused(plan, exc) -> int:
    """The plan's errors, then why nothing was written (FixPlan's LedgerError): exit 2."""
    from altbot.report.text import format_error

    for e in plan.errors:
        err(format_error(e))
    err(f"altbot: error: {exc}")
    return EXIT_ERROR


def run(args) -> int:
    from altbot.ledger import LedgerError
    from altbot.report.text import format_error

    if args.interactive and not sys.stdin.isatty() and not os.environ.get("ALTBOT_INTERACTIVE_PIPE"):
        err("altbot: error: --interactive needs a terminal (or use --write / --patch)")
        return EXIT_ERROR
    progress = Progress(sys.stderr.isatty())
    plan = plan_from_args(args, progress)
    progress.close()
    if isinstance(plan, int):
        return plan

    if args.interactive:
        from altbot.interactive import review

        try:
            plan.check_writable()  # before the reviewer's time is spent on answers that cannot be written
        except LedgerError as exc:
            return refused(plan, exc)

        def ask(prompt: str, prefill: str = "") -> str:
            return _ask(prompt, prefill)

        review(plan, ask, sys.stderr)

    if args.explain:
        explained = plan.explain()
        if explained:
            err(explained)

    applied = False
    if args.write or args.interactive:
        try:
            result = plan.write()
        except LedgerError as exc:
            return refused(plan, exc)
        applied = result.ok
    elif args.patch:
        try:
            n = plan.patch(args.patch)
        except LedgerError as exc:
            return refused(plan, exc)
        except OSError as exc:
            err(f"altbot: error: cannot write {args.patch}: {exc.strerror or exc}")
            return EXIT_ERROR
        err(f"altbot: wrote {args.patch} ({n} file{'s' * (n != 1)}); apply with: git apply {args.patch}")
    elif args.branch:
        from altbot.apply import ApplyError

        try:
            sha = plan.to_branch(args.branch, args.message)
        except LedgerError as exc:
            return refused(plan, exc)
        except ApplyError as exc:
            err(f"altbot: error: {exc}")
            return EXIT_ERROR
        if sha is None:
            err("altbot: nothing to fix; no branch created")
        else:
            n = len(plan.changed)
            err(f"altbot: committed {n} file{'s' * (n != 1)} on branch {args.branch} ({sha[:10]})")
    elif args.format == "json":
        import json

        from altbot.files import json_escape_surrogates

        # a file name that is not UTF-8 as a \udcXX escape: the document stays UTF-8
        sys.stdout.write(json_escape_surrogates(json.dumps(plan.as_json(), indent=2, ensure_ascii=False)) + "\n")
        sys.stdout.flush()
    else:
        _print_diff(plan, use_colour(args.color, sys.stdout))

    for e in plan.errors:
        err(format_error(e))
    err(plan.summary())
    return plan.exit_code(applied)


def _print_diff(plan, colour: bool) -> None:
    from altbot.diff import colourize, unified_diff

    for fp in plan.changed:
        patch = unified_diff(fp.source.path, fp.source.raw, fp.new_bytes)
        if colour:
            enc = fp.source.encoding if fp.source.encoding.startswith("utf-8") else "utf-8"
            sys.stdout.write(colourize(patch.decode(enc, "replace")))
        elif hasattr(sys.stdout, "buffer"):
            sys.stdout.buffer.write(patch)
        else:
            sys.stdout.write(patch.decode("utf-8", "replace"))
    sys.stdout.flush()


def _ask(prompt: str, prefill: str = "") -> str:
    """One answer from the reviewer; ``prefill`` is editable text on a terminal ("q" at end of input)."""
    sys.stderr.write(prompt)
    sys.stderr.flush()
    if prefill and sys.stdin.isatty():
        try:
            import readline

            readline.set_startup_hook(lambda: readline.insert_text(prefill))
            try:
                return input()
            finally:
                readline.set_startup_hook()
        except (ImportError, EOFError):
            return "q"
    line = sys.stdin.readline()
    if not line:
        return "q"
    return line
