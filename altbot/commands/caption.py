"""`altbot caption IMAGE...`: the quick one-image tool (caption stage, no page)."""

from __future__ import annotations

import argparse
import json
import os
import sys

from altbot.caption.base import CaptionerError, CaptionRequest
from altbot.config import Config, load_config
from altbot.files import NotRegularFile, TooLarge, json_escape_surrogates, read_regular
from altbot.images import MAX_IMAGE_BYTES, ImageData, content_key
from altbot.model import max_length_problem
from altbot.outcome import Caption

from altbot.exitcodes import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK


def verdict_of(c: Caption) -> str:
    if c.decorative:
        return "decorative"
    if not c.text:
        return "uncertain"
    return "uncertain" if c.low_confidence and (c.confidence is not None and c.confidence < 0.5) else "informative"


def record(path: str, c: Caption | None, reason: str | None = None) -> dict:
    if c is None:
        return {"path": path, "alt": None, "backend": None, "model": None, "confidence": None, "lang": None,
                "ocr_text": None, "verdict": None, "reason": reason}
    rec = {
        "path": path,
        "alt": "" if c.decorative else (c.text or None),
        "backend": c.backend,
        "model": c.model,
        "confidence": None if c.confidence is None else round(c.confidence, 4),
        "lang": c.lang,
        "ocr_text": c.ocr_text,
        "verdict": verdict_of(c),
    }
    if rec["alt"] is None:
        rec["reason"] = c.reason or "no usable caption"
    return rec


def run(args: argparse.Namespace) -> int:
    return run_caption(args, load_config(args.config))


def run_caption(args: argparse.Namespace, config: Config) -> int:
    from altbot.caption.factory import build_captioner
    from altbot.planner import default_finalize

    try:
        captioner = build_captioner(
            config,
            name=args.captioner,
            model=args.model,
            allow_download=args.allow_download,
            cache_dir=args.cache_dir,
            no_cache=args.no_cache,
            server_url=args.server_url,
            allow_remote=args.allow_remote,
        )
    except CaptionerError as exc:
        print(f"altbot: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    max_length = config.max_length if args.max_length is None else args.max_length
    problem = max_length_problem(max_length)
    if problem:
        print(f"altbot: error: --max-length {problem}", file=sys.stderr)
        return EXIT_ERROR
    records: list[dict | None] = [None] * len(args.images)
    requests, slots = [], []
    for i, path in enumerate(args.images):
        try:
            data = read_regular(path, MAX_IMAGE_BYTES)
        except NotRegularFile as exc:
            records[i] = record(path, None, f"cannot read: it is {exc.strerror}, not an image file")
            continue
        except TooLarge:
            records[i] = record(path, None, "cannot read: larger than 50 MiB")
            continue
        except OSError as exc:
            records[i] = record(path, None, f"cannot read: {exc.strerror or exc}")
            continue
        image = ImageData(content_key(data), data, path, os.path.abspath(path), os.path.basename(path))
        requests.append(CaptionRequest(image, lang=args.lang, max_length=max_length))
        slots.append(i)
    if requests:
        for i, c in zip(slots, captioner.caption(requests)):
            records[i] = record(args.images[i], default_finalize(c, max_length, args.lang))
    done = [r for r in records if r is not None]
    if args.json:
        # a file name that is not UTF-8 as a \udcXX escape: the document stays UTF-8
        sys.stdout.write(json_escape_surrogates(json.dumps(done, indent=2, ensure_ascii=False)) + "\n")
    else:
        from altbot.report.text import visible, visible_path

        for r in done:
            shown = visible_path(r["path"])  # no terminal escapes from a file name or a caption
            if r["alt"] is None:
                print(f"{shown}: (no caption: {visible(r['reason'])})")
            elif r["alt"] == "":
                print(f'{shown}: "" (decorative)')
            else:
                conf = "" if r["confidence"] is None else f", confidence {r['confidence']:.2f}"
                print(f"{shown}: {visible(r['alt'])}  [{r['backend']}{conf}]")
    if any(r["backend"] is None for r in done):  # a file that could not be read
        return EXIT_ERROR
    return EXIT_OK if all(r["alt"] is not None for r in done) else EXIT_FINDINGS
