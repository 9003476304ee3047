"""`altbot review`: plan the fix through the library, then review it in the browser.

Output contract: one line on stdout, the page's URL with this run's token;
progress, errors and fix's summary on stderr. Ends when the reviewer chooses
Finish on the page (exit codes as fix's: 0 nothing left to do, 1 findings
remain or decisions were not written, 2 errors) or on Ctrl-C (130, nothing
more written).
"""

from __future__ import annotations

import sys

from altbot.commands.common import err
from altbot.exitcodes import EXIT_ERROR, EXIT_INTERRUPTED

MISSING_EXTRA = "altbot: error: altbot review needs its web server: pip install 'altbot[review]'"


def _have_web_stack() -> bool:
    try:
        import jinja2  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        return False
    return True


def run(args) -> int:
    from altbot.commands.fix import Progress, plan_from_args, refused
    from altbot.ledger import LedgerError
    from altbot.report.text import format_error

    if not _have_web_stack():
        err(MISSING_EXTRA)
        return EXIT_ERROR
    if args.port is not None and not 0 <= args.port <= 65535:
        err(f"altbot: error: --port {args.port} is not a port (0-65535; 0 means any free port)")
        return EXIT_ERROR
    progress = Progress(sys.stderr.isatty())
    plan = plan_from_args(args, progress)
    progress.close()
    if isinstance(plan, int):
        return plan
    try:
        plan.check_writable()  # a review whose decisions cannot be written is not started
    except LedgerError as exc:
        return refused(plan, exc)

    from altbot.review.server import ListenError, serve
    from altbot.review.session import ReviewSession

    session = ReviewSession(plan)
    try:
        finished = serve(session, port=args.port or 0, open_browser=not args.no_browser)
    except ListenError as exc:
        err(f"altbot: error: {exc}; choose another --port, or 0 for any free port")
        return EXIT_ERROR
    except KeyboardInterrupt:
        finished = False
    if not finished:
        err("altbot: interrupted; decisions not written with Write accepted are not saved")
        return EXIT_INTERRUPTED
    for e in plan.errors:
        err(format_error(e))
    err(plan.summary())
    return session.exit_code if session.exit_code is not None else plan.exit_code()
