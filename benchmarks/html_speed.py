"""Benchmark the HTML scanner against its previous version and against lxml (issue 12).

Generates N pages with benchmarks/check_speed.py's HTML page generator, then
times, per page, in one process:

- ``old``: the scanner before issue 12 (``tests/oracle_html_scanner.py``, a
  verbatim copy; or ``--old-ref REF`` to load ``altbot/parse/html.py`` from git);
- ``new``: ``altbot.parse.html`` with context (what scan, fix and review run);
- ``new, context off``: what ``check`` runs (``ParseOptions(context=False)``);
- ``lxml``: ``lxml.html.fromstring`` of the same text, the C floor.

The scanners get a prebuilt LineIndex (parse_source builds one per file for
all its parsers); its build is timed on its own, old loop against new. The
variants run alternately, R rounds, and each figure is the median of the
rounds, in microseconds per page. The front-matter section times
parse_front_matter on a few typical blocks, loading them as before
(``imageless="load"``) and as parse_source now does (``imageless="lang"``).

Run:  python benchmarks/html_speed.py [--pages 2000] [--rounds 9] [--json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))


def pages(n: int) -> list[str]:
    import check_speed as cs

    rng = random.Random(42)
    out = []
    for i in range(n):
        fields = dict(
            i=i, lang="fr" if i % 3 == 0 else "en", para=cs._para(rng, 60), para_short=cs._para(rng, 12),
            alt=cs._para(rng, 6).rstrip("."),
        )
        out.append(cs.HTML_PAGE.format(**fields))
    return out


def old_scanner(ref: str | None):
    """The scanner before issue 12, as a module."""
    if ref is None:
        path = ROOT / "tests" / "oracle_html_scanner.py"
    else:
        source = subprocess.run(
            ["git", "show", f"{ref}:altbot/parse/html.py"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        path = Path(tempfile.mkdtemp()) / "old_html_scanner.py"
        path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("old_html_scanner", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _old_line_starts(text: str) -> list[int]:
    """LineIndex's loop before issue 12 (two str.find per line), for its timing."""
    starts = [0]
    i = 0
    n = len(text)
    find_n = text.find
    while True:
        j = find_n("\n", i)
        k = find_n("\r", i, j if j >= 0 else n)
        if k >= 0:
            if k + 1 < n and text[k + 1] == "\n":
                starts.append(k + 2)
                i = k + 2
            else:
                starts.append(k + 1)
                i = k + 1
            continue
        if j < 0:
            break
        starts.append(j + 1)
        i = j + 1
    return starts


def run(n: int, rounds: int, ref: str | None) -> dict:
    import lxml.html

    import altbot.parse.html as new
    from altbot.model import LineIndex

    old = old_scanner(ref)
    texts = pages(n)
    indexes = [LineIndex(t) for t in texts]

    def scan(mod, **kw):
        def go():
            for text, index in zip(texts, indexes):
                sc = mod.HtmlScanner(text, "p.html", index, **kw)
                sc.feed(0, len(text))
                sc.finish()

        return go

    def floor():
        for text in texts:
            lxml.html.fromstring(text)

    def index_old():
        for text in texts:
            _old_line_starts(text)

    def index_new():
        for text in texts:
            LineIndex(text)

    variants = {
        "old": scan(old),
        "new": scan(new),
        "new, context off": scan(new, context=False),
        "lxml": floor,
        "LineIndex old": index_old,
        "LineIndex new": index_new,
    }
    for go in variants.values():  # warm up: regexes compiled, caches filled
        go()
    times: dict[str, list[float]] = {k: [] for k in variants}
    for _ in range(rounds):
        for name, go in variants.items():
            t0 = time.perf_counter()
            go()
            times[name].append((time.perf_counter() - t0) / n * 1e6)
    us = {k: round(statistics.median(v), 1) for k, v in times.items()}
    lx = us["lxml"]
    return {
        "pages": n,
        "rounds": rounds,
        "chars_per_page": round(sum(map(len, texts)) / n),
        "us_per_page": us,
        "ratio_to_lxml": {k: round(v / lx, 2) for k, v in us.items() if not k.startswith("LineIndex")},
    }


FRONT_MATTER = {
    "title + date": "---\ntitle: \"Post 1\"\ndate: 2024-01-02\ntags: [a, b]\n---\n\n# Post\n",
    "title + lang": "---\ntitle: \"Post 1\"\nlang: fr\n---\n\n# Post\n",
    "image field": "---\ntitle: \"Post 1\"\nimage: /images/cover.jpg\nimage_alt: \"A harbour at dawn\"\n---\n\n# Post\n",
    "toml title": "+++\ntitle = \"Post 1\"\ndate = 2024-01-02\n+++\n\n# Post\n",
}


def front_matter(rounds: int) -> dict:
    from altbot.model import LineIndex
    from altbot.parse.base import DEFAULT_FRONT_MATTER_FIELDS
    from altbot.parse.frontmatter import parse_front_matter

    out = {}
    for name, text in FRONT_MATTER.items():
        index = LineIndex(text)
        row = {}
        for mode in ("load", "lang"):
            parse_front_matter(text, "p.md", index, DEFAULT_FRONT_MATTER_FIELDS, imageless=mode)
            best = []
            for _ in range(rounds):
                t0 = time.perf_counter()
                for _ in range(500):
                    parse_front_matter(text, "p.md", index, DEFAULT_FRONT_MATTER_FIELDS, imageless=mode)
                best.append((time.perf_counter() - t0) / 500 * 1e6)
            row[mode] = round(statistics.median(best), 1)
        out[name] = row
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--old-ref", default=None, help="git ref whose altbot/parse/html.py is the old scanner")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    figures = run(args.pages, args.rounds, args.old_ref)
    figures["front_matter_us"] = front_matter(args.rounds)
    figures["python"] = sys.version.split()[0]
    figures["machine"] = f"{platform.machine()}, {os.cpu_count()} CPUs"
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{figures['pages']} pages of ~{figures['chars_per_page']} characters, median of {args.rounds} rounds")
    print(f"{'':22}{'us/page':>10}{'x lxml':>9}")
    for name, us in figures["us_per_page"].items():
        ratio = figures["ratio_to_lxml"].get(name)
        print(f"{name:22}{us:>10}{'' if ratio is None else ratio:>9}")
    print("\nfront matter (us)      load  lang (imageless: what parse_source does)")
    for name, row in figures["front_matter_us"].items():
        print(f"{name:22}{row['load']:>6}{row['lang']:>6}")
    print(f"\npython {figures['python']}, {figures['machine']}")


if __name__ == "__main__":
    main()
