"""`altbot fix` and `altbot ledger`: plans → diff / patch / write / branch, with a summary.

Output contract: the diff (or nothing) on stdout; progress, the summary table
and per-image explanations on stderr. Exit codes as in check: 0 nothing left
to do, 1 findings remain (in diff mode, the proposed changes count), 2 errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter

from altbot.config import Config
from altbot.fix import DECORATIVE, FIXED, SKIPPED, FilePlan, FixOptions, Planner, iter_sources
from altbot.model import FileError

from altbot.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK  # one definition of the exit-code contract


def _err(msg: str) -> None:
    print(msg, file=sys.stderr)


class Progress:
    """A one-line progress bar on stderr, only on a terminal."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.done, self.enabled = total, 0, enabled and total > 1

    def step(self, label: str) -> None:
        self.done += 1
        if self.enabled:
            width = 24
            filled = int(width * self.done / max(self.total, 1))
            shown = label if len(label) <= 50 else "…" + label[-49:]
            sys.stderr.write(f"\r\x1b[2K[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {shown}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()


def _captioner(args: argparse.Namespace, config: Config):
    from altbot.caption.base import CaptionerError, get_captioner

    name = args.captioner or config.captioner
    options = {}
    model = args.model or config.model
    if model:
        if name in ("auto", "transformers", "server"):
            options["model"] = model
        else:
            raise CaptionerError(f"--model applies to auto, transformers and server captioners, not {name!r}")
    if name in ("auto", "transformers"):
        # Local only: nothing is downloaded unless the user opts in.
        options["local_files_only"] = not (getattr(args, "allow_download", False) or config.allow_download)
    captioner = get_captioner(name, **options)
    if name in ("auto", "transformers", "offline"):
        # English-only captioners are followed by a local translation model into the page's language
        from altbot.caption.translate import TranslatingCaptioner

        captioner = TranslatingCaptioner(
            captioner,
            models=dict(config.translation),
            local_files_only=not (getattr(args, "allow_download", False) or config.allow_download),
        )
    if not args.no_cache:
        try:
            from altbot.caption.cache import CachedCaptioner, CaptionCache
        except ImportError:
            return captioner
        if name != "filename":  # a file name is cheaper to humanize than to look up
            import warnings

            cache_dir = args.cache_dir or config.cache_dir
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # reported below, once, in our own words
                cache = CaptionCache(cache_dir=cache_dir) if cache_dir else CaptionCache()
            if getattr(cache, "problem", None):
                _err(f"altbot: warning: caption cache unavailable ({cache.problem}); captions will not be reused")
            return CachedCaptioner(captioner, cache)
    return captioner


def _explain(plan: FilePlan) -> None:
    for o in plan.outcomes:
        img = o.finding.image
        head = f"{img.path}:{img.line}:{img.column} {o.finding.rule}: {o.status}"
        lines = [head]
        if o.suggestion is not None:
            s = o.suggestion
            if s.decorative:
                lines.append('  alt: "" (decorative)')
            elif s.alt is not None:
                lines.append(f"  alt: {s.alt!r}")
            score = "" if s.score is None else f" (score {s.score:.2f})"
            lines.append(f"  applicability: {s.applicability.value}; verdict: {s.verdict}{score}")
            c = s.caption
            if c is not None:
                conf = "unknown" if c.confidence is None else f"{c.confidence:.2f}"
                lines.append(f"  backend: {c.backend}; model: {c.model}; confidence: {conf}; lang: {c.lang}")
                if c.ocr_text:
                    lines.append(f"  text in image: {c.ocr_text!r}")
            lines.extend(f"  · {r}" for r in s.reasons)
        if o.reason:
            lines.append(f"  reason: {o.reason}")
        lines.append(f"  page language: {img.lang or 'unknown'} ({img.lang_source or 'no source'})")
        _err("\n".join(lines))


def _summary(plans: list[FilePlan], errors: int) -> str:
    counts: Counter = Counter()
    skipped: Counter = Counter()
    for p in plans:
        counts["changed"] += p.changed
        for o in p.outcomes:
            counts[o.status] += 1
            if o.status == SKIPPED:
                reason = o.reason or "no reason given"
                skipped[reason if len(reason) <= 140 else reason[:139] + "…"] += 1
    review = sum(
        1
        for p in plans
        for o in p.outcomes
        if o.status == FIXED and o.suggestion is not None and o.suggestion.applicability.value == "review"
    )
    rows = [
        ("files scanned", len(plans)),
        ("files changed", counts["changed"]),
        ("images captioned", counts[FIXED]),
        ("  of which need review", review),
        ("decorative", counts[DECORATIVE]),
        ("skipped", counts[SKIPPED]),
        ("errors", errors),
    ]
    out = ["", "altbot fix summary"] + [f"  {k:<24}{v:>6}" for k, v in rows]
    for reason, n in skipped.most_common(8):
        out.append(f"    skipped: {reason} ({n})")
    return "\n".join(out)


def _commit_message(plans: list[FilePlan]) -> str:
    fixed = sum(1 for p in plans for o in p.outcomes if o.edit is not None and o.status == FIXED)
    deco = sum(1 for p in plans for o in p.outcomes if o.edit is not None and o.status == DECORATIVE)
    files = sum(1 for p in plans if p.changed)
    return (
        f"Add alt text to {fixed} image{'s' * (fixed != 1)}"
        + (f", mark {deco} decorative" if deco else "")
        + f" in {files} file{'s' * (files != 1)}\n\nWritten by altbot fix; captions need human review."
    )


def run_fix(args: argparse.Namespace, config: Config) -> int:
    from altbot.apply import ApplyError, commit_to_branch, write_atomic, write_if_unchanged
    from altbot.caption.base import CaptionerError
    from altbot.diff import colourize, unified_diff
    from altbot.runner import load_ledger

    if args.max_length is not None and args.max_length < 10:
        _err("altbot: error: --max-length must be at least 10")
        return EXIT_ERROR
    options = FixOptions(
        replace_suspicious=args.replace_suspicious,
        include_empty=args.include_empty,
        allow_remote=args.allow_remote,
        max_length=args.max_length or config.max_length,
        fallback_lang=args.fallback_lang,
    )
    try:
        captioner = _captioner(args, config)
    except CaptionerError as exc:
        _err(f"altbot: error: {exc}")
        return EXIT_ERROR
    errors: list[FileError] = []
    ledger = load_ledger(config, errors)
    sources = list(iter_sources(args.paths or ["."], config, errors))
    from altbot.runner import make_resolver

    resolver = make_resolver(config, detect=True, default_lang=args.default_lang)
    planner = Planner(config, options, captioner, ledger, resolver=resolver)
    progress = Progress(len(sources), sys.stderr.isatty())
    plans: list[FilePlan] = []
    for plan in planner.plan(sources):
        progress.step(plan.source.path)
        plans.append(plan)
    progress.close()
    for plan in plans:
        errors.extend(plan.errors)

    if args.interactive:
        from altbot.interactive import review

        if not sys.stdin.isatty() and not os.environ.get("ALTBOT_INTERACTIVE_PIPE"):
            _err("altbot: error: --interactive needs a terminal (or use --write / --patch)")
            return EXIT_ERROR

        def ask(prompt: str) -> str:
            sys.stderr.write(prompt)
            sys.stderr.flush()
            line = sys.stdin.readline()
            return line if line else "q"

        review(plans, ledger, config.page_key, ask, sys.stderr)

    if args.explain:
        for plan in plans:
            _explain(plan)

    changed = [p for p in plans if p.changed]
    written_ok = True
    failed: set[str] = set()
    if args.write or args.interactive:
        from altbot.files import tree_lock

        try:
            with tree_lock(str(config.root)):  # one altbot run writes in a tree at a time
                for plan in changed:
                    try:
                        write_if_unchanged(plan.source.abspath, plan.source.raw, plan.new_bytes)
                    except ApplyError as exc:
                        errors.append(FileError(plan.source.path, str(exc)))
                        written_ok = False
                        failed.add(plan.source.path)
                        plan.findings_left += sum(1 for o in plan.outcomes if o.edit is not None)
        except TimeoutError as exc:
            errors.append(FileError(str(config.root), f"nothing written: {exc}"))
            written_ok = False
            for plan in changed:
                if plan.source.path not in failed:
                    failed.add(plan.source.path)
                    plan.findings_left += sum(1 for o in plan.outcomes if o.edit is not None)
    elif args.patch:
        patch = b"".join(unified_diff(p.source.path, p.source.raw, p.new_bytes) for p in changed)
        try:
            write_atomic(args.patch, patch)
        except OSError as exc:
            _err(f"altbot: error: cannot write {args.patch}: {exc.strerror or exc}")
            return EXIT_ERROR
        _err(f"altbot: wrote {args.patch} ({len(changed)} file{'s' * (len(changed) != 1)}); apply with: git apply {args.patch}")
    elif args.branch:
        if changed:
            try:
                sha = commit_to_branch(
                    [(p.source.abspath, p.source.raw, p.new_bytes) for p in changed],
                    args.branch,
                    args.message or _commit_message(plans),
                )
            except ApplyError as exc:
                _err(f"altbot: error: {exc}")
                return EXIT_ERROR
            _err(f"altbot: committed {len(changed)} file{'s' * (len(changed) != 1)} on branch {args.branch} ({sha[:10]})")
        else:
            _err("altbot: nothing to fix; no branch created")
    else:
        from altbot.cli import _use_colour

        colour = _use_colour(args, sys.stdout)
        for plan in changed:
            patch = unified_diff(plan.source.path, plan.source.raw, plan.new_bytes)
            if colour:
                sys.stdout.write(colourize(patch.decode(plan.source.encoding if plan.source.encoding.startswith("utf-8") else "utf-8", "replace")))
            else:
                sys.stdout.buffer.write(patch) if hasattr(sys.stdout, "buffer") else sys.stdout.write(patch.decode("utf-8", "replace"))
        sys.stdout.flush()

    if (args.write or args.interactive) and ledger is not None:
        # Markdown has no alt="": a decorative verdict is recorded in the ledger instead
        from altbot.model import Syntax

        for plan in plans:
            if plan.source.path in failed:
                continue
            page = config.page_key(plan.source.abspath)
            for o in plan.outcomes:
                img = o.finding.image
                if o.status == DECORATIVE and o.edit is None and o.image_key and img.syntax not in (Syntax.HTML, Syntax.JSX):
                    if ledger.lookup(page, img.src or "", o.image_key) is None:
                        ledger.record(page, img.src or "", o.image_key, "decorative")
    if ledger is not None and ledger.dirty:
        try:
            ledger.save()
        except Exception as exc:  # LedgerError
            errors.append(FileError(config.ledger, str(exc)))

    from altbot.report.text import format_error

    for e in errors:
        _err(format_error(e))
    _err(_summary(plans, len(errors)))

    applied = bool(args.write or args.interactive) and written_ok
    remaining = sum(p.findings_left for p in plans) + (0 if applied else sum(len(p.edits) for p in changed))
    if remaining:
        return EXIT_FINDINGS
    return EXIT_ERROR if errors else EXIT_OK


def run_ledger(args: argparse.Namespace, config: Config) -> int:
    from altbot.images import ImageError, load_image
    from altbot.ledger import Ledger, LedgerError

    try:
        ledger = Ledger.load(config.ledger_path)
    except LedgerError as exc:
        _err(f"altbot: error: {exc}")
        return EXIT_ERROR
    if args.action == "list":
        for d in ledger.entries():
            alt = f" alt={d.alt!r}" if d.alt is not None else ""
            print(f"{d.page} {d.src} {d.decision}{alt} ({d.hash[:12] or 'no hash'}, {d.date or 'undated'})")
        _err(f"{len(ledger)} decision{'s' * (len(ledger) != 1)} in {config.ledger}")
        return EXIT_OK

    def current_hash(d) -> str | None:
        page = os.path.join(config.root, d.page)
        if not os.path.isfile(page):
            return None
        data = load_image(d.src, page, config)
        return None if isinstance(data, ImageError) else data.key

    stale = ledger.stale(current_hash)
    for d, why in stale:
        print(f"{'would remove' if args.dry_run else 'removed'}: {d.page} {d.src} {d.decision} ({why})")
    if stale and not args.dry_run:
        ledger.remove(d for d, _ in stale)
        try:
            ledger.save()
        except LedgerError as exc:
            _err(f"altbot: error: {exc}")
            return EXIT_ERROR
    _err(f"{len(stale)} stale decision{'s' * (len(stale) != 1)}; {len(ledger)} kept")
    return EXIT_OK
