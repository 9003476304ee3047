"""Evaluate (and calibrate) altbot.decorative.judge on the labelled set.

Runs ``judge`` over tests/data/decorative (images + the markup they sit in,
labels in labels.json) and prints, for the "decorative" verdict, precision and
recall, plus the confusion counts including "uncertain".

Run:  python benchmarks/decorative_eval.py [--verbose] [--calibrate] [--json]

--calibrate prints the score ranges per label and the thresholds that keep
decorative precision at 1.0 with the largest margin (the figures quoted next
to T_DEC / T_INF in altbot/decorative.py).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SET = ROOT / "tests" / "data" / "decorative"
sys.path.insert(0, str(ROOT))

from altbot import decorative  # noqa: E402
from altbot.images import ImageData, content_key  # noqa: E402
from altbot.model import LineIndex  # noqa: E402
from altbot.outcome import Caption


def load_cases(directory: Path = SET) -> list[dict]:
    with open(directory / "labels.json", encoding="utf-8") as fh:
        labels = json.load(fh)
    return [dict(file=name, **entry) for name, entry in sorted(labels.items())]


def case_image(case: dict):
    """The parsed Image of the case's file inside its markup."""
    from altbot.parse.html import parse_html
    from altbot.parse.markdown import parse_markdown

    markup = case["markup"]
    path = "case.md" if case.get("syntax") == "markdown" else "case.html"
    if case.get("syntax") == "markdown":
        result = parse_markdown(markup, path, LineIndex(markup))
    else:
        result = parse_html(markup, path)
    for img in result.images:
        if img.src == case["file"] or (img.src or "").endswith("/" + case["file"]):
            return img
    raise LookupError(f"{case['file']}: not found in its markup {markup!r}")


def case_pixels(case: dict, directory: Path = SET) -> ImageData:
    path = directory / case["file"]
    data = path.read_bytes()
    return ImageData(content_key(data), data, str(path), str(path), case["file"])


def case_caption(case: dict) -> Caption | None:
    c = case.get("caption")
    return Caption(**c) if c else None


def run(directory: Path = SET) -> list[dict]:
    rows = []
    for case in load_cases(directory):
        img = case_image(case)
        v = decorative.judge(img, case_pixels(case, directory), case_caption(case), case.get("reuse_count", 0))
        rows.append({"file": case["file"], "label": case["label"], "verdict": v.verdict, "score": v.score,
                     "reasons": list(v.reasons), "why": case.get("why", "")})
    return rows


def metrics(rows: list[dict]) -> dict:
    conf = {(lab, ver): 0 for lab in ("decorative", "informative") for ver in ("decorative", "uncertain", "informative")}
    for r in rows:
        conf[(r["label"], r["verdict"])] += 1
    tp = conf[("decorative", "decorative")]
    fp = conf[("informative", "decorative")]
    n_dec = sum(v for (lab, _), v in conf.items() if lab == "decorative")
    n_inf_wrong = conf[("decorative", "informative")]
    return {
        "cases": len(rows),
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / n_dec if n_dec else 1.0,
        "decorative_called_informative": n_inf_wrong,
        "confusion": {f"{lab}->{ver}": v for (lab, ver), v in conf.items()},
    }


def calibrate(rows: list[dict]) -> dict:
    """Score ranges per label and what candidate thresholds would give."""
    dec = sorted(r["score"] for r in rows if r["label"] == "decorative")
    inf = sorted(r["score"] for r in rows if r["label"] == "informative")
    t_dec = []
    for t in (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
        tp = sum(s >= t for s in dec)
        fp = sum(s >= t for s in inf)
        t_dec.append({"T_DEC": t, "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / len(dec) if dec else 1.0,
                      "margin_over_informative": round(t - max(inf), 3) if inf else None})
    t_inf = []
    for t in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45):
        t_inf.append({"T_INF": t, "informative_called_informative": sum(s <= t for s in inf),
                      "decorative_called_informative": sum(s <= t for s in dec)})
    return {
        "informative_max": max(inf) if inf else None,
        "decorative_min": min(dec) if dec else None,
        "informative_scores": inf,
        "decorative_scores": dec,
        "T_DEC_table": t_dec,
        "T_INF_table": t_inf,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--verbose", "-v", action="store_true", help="one line per case")
    ap.add_argument("--calibrate", action="store_true", help="print score ranges and suggested thresholds")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--set", default=str(SET), help="directory with labels.json and the images")
    args = ap.parse_args()
    rows = run(Path(args.set))
    m = metrics(rows)
    if args.json:
        out = {"metrics": m, "T_DEC": decorative.T_DEC, "T_INF": decorative.T_INF, "cases": rows}
        if args.calibrate:
            out["calibration"] = calibrate(rows)
        print(json.dumps(out, indent=1))
        return
    if args.verbose:
        for r in rows:
            mark = "ok " if (r["verdict"] == r["label"]) else ("?? " if r["verdict"] == "uncertain" else "XX ")
            print(f"{mark}{r['score']:.3f} {r['verdict']:<11} [{r['label']:<11}] {r['file']:<22} {'; '.join(r['reasons'][:3])}")
        print()
    print(f"T_DEC={decorative.T_DEC}  T_INF={decorative.T_INF}  cases={m['cases']}")
    print(f"decorative verdict: precision {m['precision']:.3f}  recall {m['recall']:.3f}")
    print("confusion (label -> verdict):")
    for k, v in m["confusion"].items():
        print(f"  {k:<28} {v}")
    if args.calibrate:
        c = calibrate(rows)
        print(f"informative scores (n={len(c['informative_scores'])}): max {c['informative_max']:.3f}")
        print(f"  {c['informative_scores']}")
        print(f"decorative scores (n={len(c['decorative_scores'])}): min {c['decorative_min']:.3f}")
        print(f"  {c['decorative_scores']}")
        for row in c["T_DEC_table"]:
            print(f"  T_DEC={row['T_DEC']:.2f}: precision {row['precision']:.3f} recall {row['recall']:.3f} "
                  f"(margin over the highest informative score {row['margin_over_informative']:+.3f})")
        for row in c["T_INF_table"]:
            print(f"  T_INF={row['T_INF']:.2f}: informative→informative {row['informative_called_informative']}, "
                  f"decorative→informative {row['decorative_called_informative']}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
