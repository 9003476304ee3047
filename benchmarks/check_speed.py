"""Benchmark `altbot check` against a bare parse of the same files by C parsers.

Generates a site of N HTML + Markdown pages (default 10,000 in all), each with
images, then reports:

- `altbot check --format json` as whole processes (walk, read, decode, parse,
  rules, report), with the default parallelism and with ``--jobs 1``, as a
  ratio to the C floor: one process that reads and parses the same files with
  ``lxml.html.fromstring`` (HTML) and cmark-gfm (``cmarkgfm``, Markdown); over
  the whole site, its HTML half and its Markdown half; run alternately, medians;
- a single-file `altbot check`, start-up included, against a bare
  ``python -c "import lxml.html; lxml.html.fromstring(...)"`` process;
- peak RSS of a check over a few folders and over the whole site (flat).

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
        _as_repository(root)
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
    _as_repository(root)
    marker.write_text("ok")
    return root


def _as_repository(root: Path) -> None:
    """The corpus is its own repository, as a user's site is: config discovery stops at its top
    instead of walking up into altbot's own checkout (and reading its pyproject.toml)."""
    if (root / ".git").exists():
        return
    try:
        subprocess.run(["git", "init", "-q", str(root)], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        (root / ".git").mkdir()  # no git here: the marker discovery looks for is enough


def _files(root: Path) -> tuple[list[Path], list[Path]]:
    html = sorted(root.rglob("*.html"))
    md = sorted(root.rglob("*.md"))
    return html, md


FLOOR = """
import sys, pathlib
import cmarkgfm, lxml.html
for top in sys.argv[1:]:
    for p in sorted(pathlib.Path(top).rglob("*")):
        if p.suffix == ".html":
            lxml.html.fromstring(p.read_bytes())
        elif p.suffix == ".md":
            cmarkgfm.github_flavored_markdown_to_html(p.read_text(encoding="utf-8"))
"""


def _timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t0


def paired(a: list[str], b: list[str], repeats: int) -> tuple[float, float]:
    """Median wall times of two commands, run alternately (a shared, noisy machine)."""
    ta, tb = [], []
    for _ in range(repeats):
        ta.append(_timed(a))
        tb.append(_timed(b))
    return statistics.median(ta), statistics.median(tb)


def altbot_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "altbot", "check", "--no-gitignore", *args]


def peak_rss_mib(paths: list[str]) -> float:
    code = (
        "import resource, sys\n"
        "from altbot.cli import main\n"
        f"main(['check', '--no-gitignore', '--jobs', '1', '--format', 'json', '--output', '/dev/null', *{paths!r}])\n"
        "print(next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')) / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()

    # An installed package has bytecode (pip compiles it); this machine sets
    # PYTHONDONTWRITEBYTECODE, so without this every timed start would compile altbot's
    # sources again (~70 ms), which no user's run pays. Existing .pyc files are still read.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "altbot")], check=True)
    root = generate(args.pages)
    html_dir, md_dir = str(root / "public"), str(root / "content")
    html, md = _files(root)
    floor = [sys.executable, "-c", FLOOR]
    figures: dict = {"pages": len(html) + len(md), "html_pages": len(html), "markdown_pages": len(md)}
    for label, dirs in (("all", [str(root)]), ("html", [html_dir]), ("markdown", [md_dir])):
        for jobs_label, jobs in (("default", []), ("1-process", ["--jobs", "1"])):
            ours, bare = paired(altbot_cmd("--format", "json", *jobs, *dirs), floor + dirs, args.repeats)
            figures[f"{label}_{jobs_label}_s"] = round(ours, 3)
            figures[f"{label}_{jobs_label}_ratio"] = round(ours / bare, 2)
        figures[f"{label}_floor_s"] = round(bare, 3)
    page = str(html[0])
    one, bare_one = paired(
        altbot_cmd(page),
        [sys.executable, "-c", f"import lxml.html; lxml.html.fromstring(open({page!r}, 'rb').read())"],
        max(args.repeats, 10),
    )
    figures["single_file_check_s"] = round(one, 3)
    figures["single_file_bare_lxml_s"] = round(bare_one, 3)
    figures["single_file_ratio"] = round(one / bare_one, 2)
    small = sorted(str(p) for p in root.rglob("s0") if p.is_dir())
    figures["peak_rss_mib_small"] = round(peak_rss_mib(small), 1)
    figures["peak_rss_mib_all"] = round(peak_rss_mib([str(root)]), 1)
    figures["python"] = sys.version.split()[0]
    figures["cpus"] = os.cpu_count()
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for k, v in figures.items():
        print(f"{k:32} {v}")


if __name__ == "__main__":
    main()
