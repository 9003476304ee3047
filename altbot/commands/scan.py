"""`altbot scan`: every image found, with its status."""

from __future__ import annotations

import sys

from altbot.api import scan
from altbot.commands.common import discovery_options, emit, use_colour
from altbot.exitcodes import EXIT_ERROR, EXIT_OK


def run(args) -> int:
    result = scan(args.paths or ["."], config=args.config, **discovery_options(args), empty_alt=args.empty_alt, jobs=args.jobs)
    if args.explain:
        explained = result.explain()
        if explained:
            print(explained, file=sys.stderr)
    colour = use_colour(args.color, sys.stdout, bool(args.output))
    ok = emit(args.output, result.render(args.format, colour))
    if args.format != "text" and result.errors:
        from altbot.report.text import format_error

        for e in result.errors:
            print(format_error(e), file=sys.stderr)
    return EXIT_ERROR if (result.errors or not ok) else EXIT_OK
