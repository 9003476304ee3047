"""`altbot check`: the CI / pre-commit gate."""

from __future__ import annotations

import sys
from collections import Counter

TYPE_CHECKING = False  # typing is for the type checker only: a check never imports it
if TYPE_CHECKING:
    from typing import Any

from altbot.api import check_config, iter_check
from altbot.commands.common import discovery_options, emit, use_colour
from altbot.exitcodes import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK


def options(args) -> dict:
    return {**discovery_options(args), "empty_alt": args.empty_alt, "fail_on": args.fail_on, "jobs": args.jobs}


def run(args) -> int:
    paths = args.paths or ["."]
    if args.format in ("text", "github") and (not args.output or args.output == "-"):
        return _streaming(args, paths)
    return _document(args, paths)


def _document(args, paths: list[str]) -> int:
    """The report written whole (JSON, SARIF, or text/github to a file): what
    ``check(...).render(fmt)`` gives, byte for byte, but each file's findings are encoded as the
    file is done and then let go, so the report holds its own text, not the findings (20,000
    take ~80 MiB as objects, 14 MiB as JSON)."""
    from altbot.report.text import format_error

    cfg = check_config(paths, args.config, options(args))
    if args.format == "json":
        from altbot.report.json import CheckDocumentWriter

        writer: Any = CheckDocumentWriter()
    elif args.format == "sarif":
        from altbot.report.sarif import SarifDocumentWriter

        writer = SarifDocumentWriter()
    else:  # text or github to a file
        from altbot.report.text import CheckTextWriter

        writer = CheckTextWriter(github=args.format == "github")
    walk_errors: list = []
    file_errors: list = []
    files = images = 0
    failing = False
    for fr in iter_check(paths, config=cfg, errors=walk_errors, jobs=args.jobs, default_lang=args.default_lang,
                         keep_images=False, languages=args.format == "json"):
        files += 1
        images += fr.image_count
        writer.add(fr.findings)
        file_errors.extend(fr.errors)
        failing = failing or any(f.severity.rank >= cfg.fail_on.rank for f in fr.findings)
    errors = walk_errors + file_errors  # as runner.run orders them
    data = writer.data(errors) if args.format == "sarif" else writer.data(errors, files, images)
    ok = emit(args.output, data)
    for e in errors:  # the report carries the errors; stderr keeps them visible in logs
        print(format_error(e), file=sys.stderr)
    if failing:
        return EXIT_FINDINGS
    if errors or not ok:
        return EXIT_ERROR
    return EXIT_OK


def _streaming(args, paths: list[str]) -> int:
    """text/github to stdout: print each file's findings as it is done, keep only counts."""
    cfg = check_config(paths, args.config, options(args))
    if args.format == "github":
        from altbot.report.github import format_error, format_finding

        fmt_finding, fmt_error = format_finding, format_error
    else:
        from altbot.report import text

        colour = use_colour(args.color, sys.stdout)
        fmt_finding = lambda f: text.format_finding(f, colour)  # noqa: E731
        fmt_error = lambda e: text.format_error(e, colour)  # noqa: E731
    out = sys.stdout
    walk_errors: list = []
    shown = 0
    counts: Counter = Counter()
    files = images = errors = 0
    failing = False
    for fr in iter_check(paths, config=cfg, errors=walk_errors, jobs=args.jobs, default_lang=args.default_lang, keep_images=False,
                         languages=False):
        files += 1
        images += fr.image_count
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
