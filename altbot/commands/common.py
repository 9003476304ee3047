"""What every command shares: where the report goes, colour, messages on stderr."""

from __future__ import annotations

import os
import sys


def err(msg: str) -> None:
    """``msg`` on stderr, line by line, with the control characters a file name or a page's
    text may carry written as escapes (no terminal escapes, no CI workflow commands)."""
    from altbot.report.text import visible

    print("\n".join(visible(line) for line in msg.split("\n")), file=sys.stderr)


def use_colour(choice: str, stream, to_file: bool = False) -> bool:
    """--color auto|always|never, NO_COLOR and FORCE_COLOR, and whether ``stream`` is a terminal."""
    if choice == "always":
        return True
    if choice == "never" or to_file or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def emit(output: str | None, text: str | bytes) -> bool:
    """Write the report (text, or UTF-8 bytes) to stdout or ``output``; False (after a message)
    when the file cannot be written."""
    if not output or output == "-":
        buffer = getattr(sys.stdout, "buffer", None)  # None when stdout is redirected to a StringIO
        if isinstance(text, bytes) and buffer is not None:
            sys.stdout.flush()
            buffer.write(text)
        else:
            sys.stdout.write(text.decode("utf-8", "surrogateescape") if isinstance(text, bytes) else text)
        sys.stdout.flush()
        return True
    from altbot.apply import write_atomic

    try:
        write_atomic(output, text if isinstance(text, bytes) else text.encode("utf-8", "surrogateescape"))
    except OSError as exc:
        err(f"altbot: error: cannot write {output}: {exc.strerror or exc}")
        return False
    return True


def discovery_options(args) -> dict:
    """The library keyword options of the discovery flags every command shares."""
    return {
        "include": args.include,
        "exclude": args.exclude,
        "no_gitignore": args.no_gitignore,
        "default_lang": args.default_lang,
        "shard": args.shard,
    }
