"""`altbot ledger list|prune`: the reviewed decisions in .altbot/decisions.json."""

from __future__ import annotations

import os

from altbot.commands.common import err
from altbot.exitcodes import EXIT_ERROR, EXIT_OK
from altbot.report.text import visible


def run(args) -> int:
    from altbot.config import load_config
    from altbot.images import ImageError, load_image
    from altbot.ledger import Ledger, LedgerError

    config = load_config(args.config)
    try:
        ledger = Ledger.load(config.ledger_path, root=config.root)
    except LedgerError as exc:
        err(f"altbot: error: {exc}")
        return EXIT_ERROR
    if args.action == "list":
        entries = [d for d in ledger.entries() if d.machine_written] if args.machine else ledger.entries()
        for d in entries:
            alt = f" alt={d.alt!r}" if d.alt is not None else ""
            origin = f", {d.backend}" + (f" {d.model}" if d.model else "") if d.backend else ""
            print(visible(f"{d.page} {d.src} {d.decision}{alt} ({d.hash[:12] or 'no hash'}, {d.date or 'undated'}{origin})"))
        what = "machine-written " if args.machine else ""
        err(f"{len(entries)} {what}decision{'s' * (len(entries) != 1)} in {config.ledger}")
        return EXIT_OK

    from altbot.config import with_site
    from altbot.srcs import is_template

    config = with_site(config, {os.path.dirname(os.path.join(config.root, d.page)) for d in ledger.entries()})

    def current_hash(d) -> str | None:
        page = os.path.join(config.root, d.page)
        if not os.path.isfile(page):
            return None
        data = load_image(d.src, page, config)
        if isinstance(data, ImageError):
            # a src only the page can resolve (an MDX import) is kept, not judged stale
            return d.hash if is_template(d.src) else None
        return data.key

    stale = ledger.stale(current_hash)
    for d, why in stale:
        print(visible(f"{'would remove' if args.dry_run else 'removed'}: {d.page} {d.src} {d.decision} ({why})"))
    if stale and not args.dry_run:
        ledger.remove(d for d, _ in stale)
        try:
            ledger.save()
        except LedgerError as exc:
            err(f"altbot: error: {exc}")
            return EXIT_ERROR
    err(f"{len(stale)} stale decision{'s' * (len(stale) != 1)}; {len(ledger)} kept")
    return EXIT_OK
