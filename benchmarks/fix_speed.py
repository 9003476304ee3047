"""Benchmark `altbot fix` edit application: pages/s with the deterministic file-name captioner.

Generates N pages (default 10,000: half HTML, half Markdown) whose images come
from a pool of 200 real PNG files (so identical images are captioned once),
then times the whole fix pipeline — walk, decode, parse, find, load and hash
images, caption (file names), build edits, splice, diff — in diff mode and in
--write mode, on fresh copies.

Run:  python benchmarks/fix_speed.py [--pages 10000]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "_generated"
SUBJECTS = ["harbour-at-dawn", "team-offsite", "red-bicycle", "city-skyline", "mountain-lake", "old-library",
            "market-stall", "night-train", "sunflower-field", "lighthouse"]

HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Page {i}</title></head>
<body>
<main>
<h1>Page {i}</h1>
<p>Some text about the subject of page {i}, long enough to look like a paragraph of a real page.</p>
<img src="/images/{a}.png" width="400">
<p>More text.</p>
<figure>
  <img
    class="wide"
    src="/images/{b}.png">
  <figcaption>A caption</figcaption>
</figure>
<img src="/images/{c}.png" alt="Already described by a person">
</main>
</body>
</html>
"""

MD = """---
title: Post {i}
lang: en
---

# Post {i}

Text for post {i}, with a paragraph that is long enough to look real.

![](/images/{a}.png)

- item with ![](/images/{b}.png "title")

![Already described][r{i}]

[r{i}]: /images/{c}.png
"""


def generate(pages: int) -> Path:
    from PIL import Image

    root = OUT / f"fix-site-{pages}"
    if (root / ".complete").exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    images = root / "static" / "images"
    images.mkdir(parents=True)
    names = [f"{SUBJECTS[k % len(SUBJECTS)]}-{k // len(SUBJECTS) + 1}" for k in range(200)]
    for k, name in enumerate(names):
        Image.new("RGB", (16, 16), (k % 256, (k * 7) % 256, (k * 13) % 256)).save(images / f"{name}.png")
    for i in range(pages):
        d = root / "content" / f"s{i % 100}"
        d.mkdir(parents=True, exist_ok=True)
        a, b, c = names[i % 200], names[(i * 3 + 1) % 200], names[(i * 7 + 2) % 200]
        if i % 2:
            (d / f"post-{i}.md").write_text(MD.format(i=i, a=a, b=b, c=c), encoding="utf-8")
        else:
            (d / f"page-{i}.html").write_text(HTML.format(i=i, a=a, b=b, c=c), encoding="utf-8")
    (root / ".complete").write_text("ok")
    return root


def timed_fix(site: Path, *extra: str) -> tuple[float, int]:
    from altbot.cli import main

    cwd = os.getcwd()
    os.chdir(site)
    out, err = io.BytesIO(), io.StringIO()
    try:
        t0 = time.perf_counter()
        with contextlib.redirect_stderr(err):
            real = sys.stdout
            sys.stdout = io.TextIOWrapper(out, encoding="utf-8")
            try:
                rc = main(["fix", ".", "--captioner", "filename", "--no-cache", "--no-gitignore", *extra])
            finally:
                sys.stdout.flush()
                sys.stdout = real
        return time.perf_counter() - t0, rc
    finally:
        os.chdir(cwd)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=10_000)
    args = ap.parse_args()
    src = generate(args.pages)
    work = OUT / f"fix-work-{args.pages}"
    results = {}
    for mode, extra in (("diff", ()), ("write", ("--write",))):
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(src, work)
        seconds, rc = timed_fix(work, *extra)
        results[mode] = (seconds, rc)
    shutil.rmtree(work, ignore_errors=True)
    for mode, (seconds, rc) in results.items():
        print(f"fix ({mode:5}) {args.pages} pages: {seconds:6.2f} s  {args.pages / seconds:7.0f} pages/s  exit {rc}")


if __name__ == "__main__":
    main()
