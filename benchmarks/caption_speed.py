"""Benchmark the captioning backends that run here: images/s, peak RSS, and pipeline overhead.

For each backend, in a fresh subprocess (so peak RSS is its own):
- images/s over N distinct generated images (photo-like, text screenshots, charts), in batches;
- peak RSS (MiB) after loading and captioning;
- pipeline overhead per image: the whole `altbot fix`-style path (load bytes, hash, decode,
  cache lookup, post-process) with the model's forward pass replaced by a constant, so
  what remains is altbot's own cost.

The transformers backend is measured with tiny random-weight BLIP and Florence-2 models
(the Hugging Face hub is not reachable here): their figures show the loading and batching
path's cost, not a real model's speed. `offline` runs its real OCR and classifier weights.

`--server` measures the `server` backend instead: throughput against concurrency (1, 2, 4,
8, 16 requests in flight) against the stand-in OpenAI-compatible server of
tests/caption_server_standin.py, which answers each request after a fixed latency
(`--latency-ms`, default 200), once as a server that batches every request it gets (vLLM,
llama.cpp with enough slots) and once as one with 4 slots (`OLLAMA_NUM_PARALLEL=4`,
`llama-server --parallel 4`). What it shows is altbot's side: how close the client
comes to latency-bound throughput (concurrency / latency), image encoding and HTTP
included; the model's own speed is the latency you choose.

Run:  python benchmarks/caption_speed.py [--images 24]
      python benchmarks/caption_speed.py --server [--images 64] [--latency-ms 200]
Needs: the caption extras (scripts/test installs them); --server needs only the base install.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKER = r"""
import json, os, resource, sys, time, io
sys.path.insert(0, {root!r})
from PIL import Image, ImageDraw
from altbot.caption.base import get_captioner, CaptionRequest
from altbot.images import ImageData, content_key
from altbot.caption.text import finalize

def make(i):
    img = Image.new("RGB", (480, 320), (30 + i * 7 % 200, 90, 160))
    d = ImageDraw.Draw(img)
    if i % 3 == 0:
        d.rectangle([20, 20, 460, 300], fill="white")
        d.text((40, 140), f"Settings panel {{i}}", fill="black")
    elif i % 3 == 1:
        for k in range(6):
            d.rectangle([40 + k * 70, 300 - (k + 1) * 30 - i, 90 + k * 70, 300], fill=(200, 80 + k * 20, 40))
    else:
        d.ellipse([300, 40, 380, 120], fill=(250, 220, 90))
        d.polygon([(0, 320), (200, 140), (480, 320)], fill=(40, 120, 60))
    buf = io.BytesIO(); img.save(buf, "PNG"); data = buf.getvalue()
    return ImageData(content_key(data), data, f"img{{i}}.png", None, f"harbour-view-{{i}}.png")

name, opts, n = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
images = [make(i) for i in range(n)]
t0 = time.perf_counter()
cap = get_captioner(name, **opts)
load_s = time.perf_counter() - t0
reqs = [CaptionRequest(im, lang="en") for im in images]
cap.caption(reqs[:1])  # warm-up
t0 = time.perf_counter()
out = cap.caption(reqs)
run_s = time.perf_counter() - t0
texts = [finalize(c, max_length=125, lang="en").text for c in out]
# VmHWM, not ru_maxrss: after fork+exec, ru_maxrss can still carry the parent's peak
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
print(json.dumps({{"load_s": load_s, "images_per_s": n / run_s, "peak_rss_mib": rss,
                  "captioned": sum(1 for t in texts if t)}}))
"""

OVERHEAD = r"""
import json, sys, time, io, tempfile, os
sys.path.insert(0, {root!r})
from PIL import Image
from altbot.caption.base import CaptionRequest
from altbot.caption.cache import CachedCaptioner, CaptionCache
from altbot.caption.pixels import open_image
from altbot.caption.text import finalize
from altbot.config import Config
from altbot.images import load_image
from altbot.outcome import Caption

class Constant:
    name, model = "constant", "none"
    def caption(self, reqs):
        out = []
        for r in reqs:
            open_image(r.image.data)  # decode + orient + downscale, as a backend does
            out.append(Caption("a small boat in a harbour at dawn", 0.8, "constant", "none", "en"))
        return out

n = int(sys.argv[1])
d = tempfile.mkdtemp()
for i in range(n):
    Image.new("RGB", (1200, 800), (i % 255, 80, 120)).save(os.path.join(d, f"p{{i}}.jpg"), quality=90)
cfg = Config(root=d)
cap = CachedCaptioner(Constant(), CaptionCache(os.path.join(d, "c.sqlite3")))
t0 = time.perf_counter()
reqs = []
for i in range(n):
    img = load_image(f"p{{i}}.jpg", os.path.join(d, "page.md"), cfg)
    reqs.append(CaptionRequest(img, lang="en"))
for c in cap.caption(reqs):
    finalize(c, max_length=125, lang="en")
print(json.dumps({{"overhead_ms_per_image": (time.perf_counter() - t0) / n * 1000}}))
"""


def run_worker(code: str, *argv: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=1800)
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(out.stdout.strip().splitlines()[-1])


CONCURRENCIES = (1, 2, 4, 8, 16)


def server_images(n: int) -> list:
    """``n`` distinct 480x320 PNG screenshots-with-a-chart, as CaptionRequests."""
    import io

    from PIL import Image, ImageDraw

    from altbot.caption.base import CaptionRequest
    from altbot.images import ImageData, content_key

    out = []
    for i in range(n):
        img = Image.new("RGB", (480, 320), (30 + i * 7 % 200, 90, 160))
        d = ImageDraw.Draw(img)
        for k in range(6):
            d.rectangle([40 + k * 70, 300 - (k + 1) * 30 - i % 40, 90 + k * 70, 300], fill=(200, 80 + k * 20, 40))
        d.text((20, 20), f"Weekly visitors, chart {i}", fill="white")
        buf = io.BytesIO()
        img.save(buf, "PNG")
        data = buf.getvalue()
        out.append(CaptionRequest(ImageData(content_key(data), data, f"chart{i}.png", None, f"chart{i}.png"), lang=None))
    return out


class StandInProcess:
    """tests/caption_server_standin.py in its own process, so that its work (JSON, PNG decoding)
    does not share this process's interpreter lock with the client being measured."""

    def __init__(self, latency_s: float, slots: int | None) -> None:
        argv = [sys.executable, str(ROOT / "tests" / "caption_server_standin.py"), "--delay", str(latency_s)]
        if slots:
            argv += ["--slots", str(slots)]
        env = {**__import__("os").environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        self.url = self.proc.stdout.readline().strip()

    def stats(self) -> dict:
        import urllib.request

        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(self.url.rsplit("/v1", 1)[0] + "/stats", timeout=10) as resp:
            return json.loads(resp.read())

    def __enter__(self) -> "StandInProcess":
        return self

    def __exit__(self, *exc) -> None:
        self.proc.stdin.close()
        self.proc.wait(10)


def server_sweep(n: int, latency_s: float) -> None:
    import time

    from altbot.caption.server import ServerCaptioner

    requests = server_images(n)
    print(f"server backend against the stand-in: {n} images (480x320 PNG), {latency_s * 1000:.0f} ms per request")
    for label, slots in (("batching server (every request at once, like vLLM)", None), ("server with 4 slots (OLLAMA_NUM_PARALLEL=4)", 4)):
        print(f"\n{label}")
        print(f"{'concurrency':>11} {'images/s':>9} {'ideal':>7} {'of ideal':>9} {'max in flight':>14}")
        for c in CONCURRENCIES:
            with StandInProcess(latency_s, slots) as srv:
                cap = ServerCaptioner(url=srv.url, model="stand-in", concurrency=c, timeout=120)
                cap.caption(requests[:1])  # the captioner's lone first request, not part of the figure
                t0 = time.perf_counter()
                out = cap.caption(requests)
                took = time.perf_counter() - t0
                stats = srv.stats()
            failed = [o.reason for o in out if not o.text]
            if failed or stats["problems"]:
                print(f"{c:>11} error: {(failed or stats['problems'])[0]}")
                continue
            ideal = min(c, slots or c) / latency_s
            print(f"{c:>11} {n / took:9.1f} {ideal:7.1f} {n / took / ideal:8.0%} {stats['max_in_flight']:>14}")
    t0 = time.perf_counter()
    cap = ServerCaptioner(url="http://127.0.0.1:9/v1")
    for r in requests:
        cap._body("prompt", cap._data_uri(r.image.data))
    per = (time.perf_counter() - t0) / n * 1000
    print(f"\nclient cost per image (decode, re-encode as PNG, base64, request body): {per:.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--images", type=int, default=None, help="images per backend (default 24; 64 with --server)")
    ap.add_argument("--server", action="store_true", help="measure the server backend's throughput against concurrency")
    ap.add_argument("--latency-ms", type=float, default=200.0, help="the stand-in server's time per request (--server)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.server:
        server_sweep(args.images or 64, args.latency_ms / 1000)
        return
    args.images = args.images or 24
    tmp = tempfile.mkdtemp()
    backends: list[tuple[str, str, dict]] = [
        ("filename", "filename", {}),
        ("metadata", "metadata", {}),
        ("offline (OCR + classifier)", "offline", {}),
    ]
    try:
        from tests.tiny_models import build_blip, build_florence2

        backends.append(("transformers, tiny BLIP", "transformers", {"model": build_blip(f"{tmp}/blip")}))
        backends.append(("transformers, tiny Florence-2", "transformers", {"model": build_florence2(f"{tmp}/florence")}))
    except Exception as exc:  # transformers not installed
        print(f"(transformers not measured: {exc})")
    worker = WORKER.format(root=str(ROOT))
    print(f"{'backend':32} {'load s':>7} {'images/s':>9} {'peak RSS MiB':>13} {'captioned':>10}")
    for label, name, opts in backends:
        r = run_worker(worker, name, json.dumps(opts), str(args.images))
        if "error" in r:
            print(f"{label:32} error: {r['error']}")
            continue
        print(f"{label:32} {r['load_s']:7.2f} {r['images_per_s']:9.1f} {r['peak_rss_mib']:13.0f} "
              f"{r['captioned']:>5}/{args.images}")
    r = run_worker(OVERHEAD.format(root=str(ROOT)), str(args.images * 4))
    if "error" in r:
        print(f"pipeline overhead: error: {r['error']}")
    else:
        print(f"pipeline overhead per image (load, hash, decode 1200x800 JPEG, cache, post-process): "
              f"{r['overhead_ms_per_image']:.1f} ms")


if __name__ == "__main__":
    main()
