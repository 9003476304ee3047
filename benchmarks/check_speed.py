"""Benchmark `altbot check` against a bare parse of the same files by C parsers.

Generates a site of N HTML + Markdown pages (default 10,000 in all), each with
images, then reports:

- files/s for `altbot check` (the whole pipeline: walk, read, decode, parse, rules, report);
- the ratio of that time to a bare parse of the same files with
  ``lxml.html.fromstring`` (HTML) and cmark-gfm (``cmarkgfm``, Markdown);
- wall time of a single-file `altbot check` including interpreter start;
- peak RSS of a check over N/10 and over N files (memory must not grow with files).

Run:  python benchmarks/check_speed.py [--pages 10000]
Needs: pip install -e '.[bench]'  (cmarkgfm)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "_generated"

HTML_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><title>Page {i}</title>
<link rel="stylesheet" href="/css/site.css">
<script>window.dataLayer = []; var s = "<img src=x>";</script>
</head>
<body>
<header><a href="/"><img src="/images/logo.svg" alt="Example Co home"></a>
<nav><ul><li><a href="/about/">About</a></li><li><a href="/blog/">Blog</a></li></ul></nav></header>
<main>
<h1>Post number {i}</h1>
<p>{para}</p>
<figure><img src="/images/photo-{i}.jpg" width="800" height="600"><figcaption>{para_short}</figcaption></figure>
<p>{para}</p>
<picture><source srcset="/images/hero-{i}.webp" type="image/webp"><img src="/images/hero-{i}.jpg" alt="{alt}"></picture>
<!-- <img src="commented-out.png"> -->
<p><img src="/images/divider.png" alt=""></p>
<div aria-hidden="true"><img src="/images/deco-{i}.png"></div>
<p>{para}</p>
<img src="/images/IMG_{i}.jpg" alt="IMG_{i}.jpg">
</main>
<footer><p>&copy; 2026 Example Co</p></footer>
</body>
</html>
"""

MD_PAGE = """---
title: "Post {i}"
lang: {lang}
image: /images/cover-{i}.jpg
image_alt: "{alt}"
---

# Post {i}

{para}

![{alt}](/images/photo-{i}.jpg "A title")

{para}

![](/images/chart-{i}.png)

- a list item with ![inline image](/images/icon-{i}.png) inside
- another item with `![not an image](x.png)` in code

```html
<img src="in-code-block.png">
```

![Reference image][ref{i}]

> {para_short}
> ![quoted](/images/quote-{i}.png)

<img src="/images/raw-{i}.png">

[ref{i}]: /images/ref-{i}.png "Ref title"
"""

WORDS = (
    "the quick brown fox jumps over lazy dog site page image text alt accessible screen reader "
    "content static generator markdown html team photo harbour dawn chart sales growth"
).split()


def _para(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def generate(pages: int) -> Path:
    root = OUT / f"site-{pages}"
    marker = root / ".complete"
    if marker.exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(42)
    for i in range(pages):
        lang = "fr" if i % 3 == 0 else "en"
        section = root / ("content" if i % 2 else "public") / lang / f"s{i % 50}"
        section.mkdir(parents=True, exist_ok=True)
        fields = dict(
            i=i, lang=lang, para=_para(rng, 60), para_short=_para(rng, 12), alt=_para(rng, 6).rstrip(".")
        )
        if i % 2:
            (section / f"post-{i}.md").write_text(MD_PAGE.format(**fields), encoding="utf-8")
        else:
            (section / f"page-{i}.html").write_text(HTML_PAGE.format(**fields), encoding="utf-8")
    marker.write_text("ok")
    return root


def _files(root: Path) -> tuple[list[Path], list[Path]]:
    html = sorted(root.rglob("*.html"))
    md = sorted(root.rglob("*.md"))
    return html, md


def bare_parse(root: Path) -> float:
    """Read + parse every file with C parsers: lxml for HTML, cmark-gfm for Markdown."""
    import cmarkgfm
    import lxml.html

    html, md = _files(root)
    t0 = time.perf_counter()
    for p in html:
        lxml.html.fromstring(p.read_bytes())
    for p in md:
        cmarkgfm.github_flavored_markdown_to_html(p.read_text(encoding="utf-8"))
    return time.perf_counter() - t0


def altbot_check(root: Path) -> tuple[float, int, int]:
    """In-process `altbot check` over the site (walk, decode, parse, rules, JSON report)."""
    from altbot.config import Config
    from altbot.report.json import check_document, dumps
    from altbot.runner import run

    t0 = time.perf_counter()
    result = run([str(root)], Config(root=root, respect_gitignore=False))
    dumps(check_document(result.findings, result.errors, result.files, result.images))
    return time.perf_counter() - t0, result.files, result.images


def single_file_wall(root: Path, repeats: int = 10) -> float:
    page = next(iter(sorted(root.rglob("*.html"))))
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "altbot", "check", str(page)], capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def peak_rss_mib(root: Path, paths: list[str]) -> float:
    code = (
        "import resource, sys\n"
        "from altbot.config import Config\n"
        "from altbot.runner import iter_results\n"
        "# the streaming path `altbot check` (text/github) takes, in one process: per-file results, counts kept\n"
        f"n = sum(len(fr.findings) for fr in iter_results({paths!r}, Config(respect_gitignore=False), [], jobs=1))\n"
        "print(next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')) / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()

    root = generate(args.pages)
    html, md = _files(root)
    n = len(html) + len(md)
    bare = min(bare_parse(root) for _ in range(args.repeats))
    runs = [altbot_check(root) for _ in range(args.repeats)]
    check = min(r[0] for r in runs)
    _, files, images = runs[0]
    single = single_file_wall(root)
    small = sorted(p for p in root.rglob("s0") if p.is_dir())
    rss_small = peak_rss_mib(root, [str(p) for p in small])
    rss_all = peak_rss_mib(root, [str(root)])
    small_files = sum(1 for d in small for _ in d.iterdir())
    figures = {
        "pages": n,
        "images": images,
        "altbot_check_s": round(check, 2),
        "files_per_s": round(files / check),
        "bare_c_parse_s": round(bare, 2),
        "ratio_to_bare_parse": round(check / bare, 2),
        "single_file_check_wall_s": round(single, 3),
        f"peak_rss_mib_{small_files}_files": round(rss_small, 1),
        f"peak_rss_mib_{n}_files": round(rss_all, 1),
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for k, v in figures.items():
        print(f"{k:32} {v}")


if __name__ == "__main__":
    main()
