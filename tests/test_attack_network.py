"""Issue 9: nothing goes on the network unless the user opts in, and opted-in fetches stay in bounds.

* The Hub: `altbot caption` / `altbot fix` without --allow-download make no DNS lookup and no
  connection, for a local model directory, a Hub id that is not cached and a translation model
  that is not cached. Checked with an audit hook in a fresh process running the real CLI.
* Redirects: a caption server's 3xx is a failure (never followed, so neither the loopback check
  nor the API key can be bypassed); a remote image's every hop is checked (http/https, at most
  MAX_REDIRECTS hops).
* Deadlines: a server that drips a byte at a time cannot hold a fetch longer than its total deadline.
"""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image as PILImage

import altbot.images as images
from altbot.caption.base import CaptionRequest
from altbot.caption.cache import is_transient
from altbot.caption.server import ServerCaptioner
from altbot.images import ImageData, ImageError, content_key
from tests.conftest import photo

ROOT = Path(__file__).resolve().parent.parent


def png_bytes(color=(200, 30, 30), size=(40, 30)) -> bytes:
    buf = io.BytesIO()
    PILImage.new("RGB", size, color).save(buf, format="PNG")
    return buf.getvalue()


# -- the Hub: no lookup without --allow-download -------------------------------------------------

# Runs the real CLI several times in one fresh process. Every socket lookup or connection is
# recorded (with the Hub's offline switch as it was at that moment) and refused, so the test is
# fast and never really reaches the network.
_AUDIT = textwrap.dedent(
    """
    import json, os, sys, time

    events = []
    stop_at_first = False


    class Stop(BaseException):  # ends an opted-in run at its first lookup (the Hub would retry for a while)
        pass


    def hook(name, args):
        if name in ("socket.getaddrinfo", "socket.connect", "socket.gethostbyname", "socket.gethostbyname_ex",
                    "socket.gethostbyaddr", "socket.sendto", "socket.sendmsg"):
            hc = sys.modules.get("huggingface_hub.constants")
            events.append({"event": name, "args": repr(args[1:] if name == "socket.connect" else args)[:120],
                           "hub_offline": getattr(hc, "HF_HUB_OFFLINE", None),
                           "env_offline": os.environ.get("HF_HUB_OFFLINE")})
            if stop_at_first:
                raise Stop()
            raise OSError("network refused by the test's audit hook")

    sys.addaudithook(hook)
    from altbot.cli import main

    results = []
    for name, argv in json.loads(sys.argv[1]):
        del events[:]
        stop_at_first = "--allow-download" in argv
        agent = sys.modules.get("huggingface_hub.utils._detect_agent")
        if agent is not None and hasattr(agent, "_registry"):
            agent._registry = None  # each run starts as a fresh process would: nothing learned from the last
        t0 = time.monotonic()
        try:
            rc = main(argv)
        except Stop:
            rc = None
        results.append({"name": name, "rc": rc, "events": list(events), "s": round(time.monotonic() - t0, 2),
                        "env_after": {k: os.environ.get(k) for k in ("HF_HUB_OFFLINE", "HF_HUB_DISABLE_TELEMETRY")}})
    print("RESULTS " + json.dumps(results))
    """
)

_HUB_ENV = (
    "HF_HUB_OFFLINE",
    "TRANSFORMERS_OFFLINE",
    "HF_HUB_DISABLE_TELEMETRY",
    "HF_HUB_DISABLE_UPDATE_CHECK",
    "DISABLE_TELEMETRY",
    "DO_NOT_TRACK",
    "HF_HUB_CACHE",
    "HUGGINGFACE_HUB_CACHE",
    "TRANSFORMERS_CACHE",
    "HF_ENDPOINT",
)


@pytest.fixture(scope="module")
def blip_dir(tmp_path_factory):
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    import huggingface_hub.constants as hc

    import tiny_models

    before = hc.HF_HUB_OFFLINE
    hc.HF_HUB_OFFLINE = True  # building needs nothing from the Hub
    try:
        return tiny_models.build_blip(str(tmp_path_factory.mktemp("blip")))
    finally:
        hc.HF_HUB_OFFLINE = before


def test_no_lookup_without_allow_download_and_lookups_with_it(tmp_path, blip_dir):
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (site / "fr").mkdir()
    photo(site / "en" / "cat.png", seed=1)
    photo(site / "fr" / "chat.png", seed=2)
    (site / "en" / "index.html").write_text('<html lang="en"><body><img src="cat.png"></body></html>\n')
    (site / "fr" / "index.html").write_text('<html lang="fr"><body><img src="chat.png"></body></html>\n')
    # a translation model named by Hub id, not in the (empty) cache
    (site / ".altbot.toml").write_text('[translation]\nfr = "nobody/not-cached-en-fr"\n')
    img = str(site / "en" / "cat.png")
    cache = ["--cache-dir", str(tmp_path / "captions")]
    missing = "nobody/not-cached-captioner"
    runs = [
        # the default model (not in the empty cache), on a fresh import of huggingface_hub
        ("fix-default-model", ["fix", "--captioner", "transformers", *cache, str(site)]),
        ("caption-missing-hub-id", ["caption", "--captioner", "transformers", "--model", missing, *cache, img]),
        ("caption-local-dir", ["caption", "--captioner", "transformers", "--model", blip_dir, *cache, img]),
        # English page captioned locally; the French page needs the uncached translation model
        ("fix-local-dir-uncached-translation", ["fix", "--model", blip_dir, "--captioner", "transformers", *cache, str(site)]),
        # opted in: the Hub is asked (the hook refuses the lookup, so nothing is downloaded)
        ("caption-allow-download", ["caption", "--captioner", "transformers", "--model", missing, "--allow-download", "--no-cache", img]),
    ]
    env = {k: v for k, v in os.environ.items() if k not in _HUB_ENV}
    env.update(
        HF_HOME=str(tmp_path / "hf-home"),
        XDG_CACHE_HOME=str(tmp_path / "xdg"),
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
        OMP_NUM_THREADS="1",  # tiny models are fastest on one thread
    )
    out = subprocess.run(
        [sys.executable, "-c", _AUDIT, json.dumps(runs)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=180,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULTS "))
    results = {r["name"]: r for r in json.loads(line[len("RESULTS ") :])}
    assert "Traceback" not in out.stderr, out.stderr[-3000:]

    for name, _ in runs[:-1]:
        assert results[name]["events"] == [], (name, results[name]["events"])
        # the switches are held while models load, not left behind for the rest of the process
        assert results[name]["env_after"] == {"HF_HUB_OFFLINE": None, "HF_HUB_DISABLE_TELEMETRY": None}, name
    assert results["caption-local-dir"]["rc"] == 0
    assert results["caption-missing-hub-id"]["rc"] == 2
    assert "nobody/not-cached-en-fr" in out.stderr  # the French image says which model it lacks

    opted_in = results["caption-allow-download"]["events"]
    assert opted_in, "with --allow-download the Hub must be asked"
    assert all(e["hub_offline"] is False and e["env_offline"] is None for e in opted_in), opted_in


def test_offline_switches_are_set_inside_and_restored_after(monkeypatch):
    hc = pytest.importorskip("huggingface_hub.constants")
    from altbot.caption.hub import offline

    for key in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HUB_DISABLE_TELEMETRY"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("HF_HUB_DISABLE_UPDATE_CHECK", "0")  # the user's own value comes back
    monkeypatch.setattr(hc, "HF_HUB_OFFLINE", False)  # already imported, read when it was online
    monkeypatch.setattr(hc, "HF_HUB_DISABLE_TELEMETRY", False)
    with offline():
        assert hc.is_offline_mode() and hc.HF_HUB_DISABLE_TELEMETRY
        assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["TRANSFORMERS_OFFLINE"] == "1"
        with offline():  # nested: still offline after the inner block
            pass
        assert hc.is_offline_mode() and os.environ["HF_HUB_DISABLE_TELEMETRY"] == "1"
    assert not hc.is_offline_mode() and not hc.HF_HUB_DISABLE_TELEMETRY
    assert "HF_HUB_OFFLINE" not in os.environ and "HF_HUB_DISABLE_TELEMETRY" not in os.environ
    assert os.environ["HF_HUB_DISABLE_UPDATE_CHECK"] == "0"
    with offline(False):  # downloads allowed: nothing is touched
        assert not hc.is_offline_mode() and "HF_HUB_OFFLINE" not in os.environ
    with pytest.raises(KeyError), offline():
        raise KeyError("a failed load")
    assert not hc.is_offline_mode()


# -- stand-in servers on 127.0.0.1 ---------------------------------------------------------------


class Stand:
    """An HTTP server on 127.0.0.1 in a thread: ``respond(handler)`` answers every GET/POST.
    Records each request's path and headers."""

    def __init__(self, respond):
        self.hits: list[tuple[str, str, dict]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            timeout = 10
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def _any(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                outer.hits.append((self.command, self.path, dict(self.headers)))
                try:
                    respond(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up: that is what some tests want
                self.close_connection = True

            do_GET = do_POST = _any

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


def send(h, status, body=b"", headers=()):
    h.send_response(status)
    for k, v in headers:
        h.send_header(k, v)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


class Listener:
    """A bare TCP port that only records whether anything connected (the ftp:// target)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.thread.join(5)
        self.sock.close()


PNG = png_bytes()


def redirecting(routes):
    """GET /name → routes[name]: a Location to redirect to, or None for the image."""

    def respond(h):
        target = routes.get(h.path.lstrip("/"), "missing")
        if target is None:
            send(h, 200, PNG, [("Content-Type", "image/png")])
        elif target == "missing":
            send(h, 404)
        else:
            send(h, 302, headers=[("Location", target)])

    return respond


# -- remote images: every redirect hop is checked ------------------------------------------------


@pytest.mark.parametrize("scheme", ["ftp", "file"])
def test_remote_image_redirect_to_another_scheme_is_refused(scheme):
    with Listener() as ftp:
        target = f"ftp://127.0.0.1:{ftp.port}/x.png" if scheme == "ftp" else "file:///etc/hostname"
        with Stand(redirecting({"a.png": target})) as srv:
            got = images._remote(srv.base + "/a.png")
        time.sleep(0.1)  # let the listener see a late connection
        assert ftp.connections == 0
    assert isinstance(got, ImageError)
    assert "redirect" in got.reason and target in got.reason and "http" in got.reason
    assert got.reason.startswith("cannot fetch remote image")


def test_remote_image_redirect_hop_later_in_the_chain_is_checked_too():
    with Listener() as ftp, Stand(redirecting({"a": "/b", "b": "/c", "c": f"ftp://127.0.0.1:{ftp.port}/x"})) as srv:
        got = images._remote(srv.base + "/a")
        time.sleep(0.1)
        assert ftp.connections == 0
    assert isinstance(got, ImageError) and "ftp://" in got.reason


MAX_REDIRECTS = getattr(images, "MAX_REDIRECTS", 5)


@pytest.mark.parametrize(
    "hops, ok",
    [
        pytest.param(0, True, id="no-redirect"),
        pytest.param(MAX_REDIRECTS, True, id="at-the-limit"),
        pytest.param(MAX_REDIRECTS + 2, False, id="over-the-limit"),
    ],
)
def test_remote_image_redirect_chain_is_capped(hops, ok):
    routes = {f"r{i}": f"/r{i + 1}" for i in range(hops)}
    routes[f"r{hops}"] = None
    with Stand(redirecting(routes)) as srv:
        got = images._remote(srv.base + "/r0")
    if ok:
        assert isinstance(got, ImageData) and got.data == PNG
        assert len(srv.hits) == hops + 1
    else:
        assert isinstance(got, ImageError)
        assert f"more than {MAX_REDIRECTS} redirects" in got.reason
        assert len(srv.hits) == MAX_REDIRECTS + 1  # the hop over the limit is not fetched


# -- deadlines: a slow drip cannot hold a run -----------------------------------------------------


def dripping(where, step=0.2, total=30, status=200, content_type="image/png"):
    """Answers a byte every ``step`` seconds, in the headers or in the body, for at most ~``total`` bytes."""

    def respond(h):
        out = h.wfile
        if where == "headers":
            out.write(b"HTTP/1.1 200 OK\r\n")
            payload = b"X-Slow: " + b"z" * total + b"\r\n"
        else:
            body = PNG[:total] if content_type == "image/png" else b'{"choices": ' + b" " * total
            out.write(
                f"HTTP/1.1 {status} OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body) + 100}\r\n\r\n".encode()
            )
            payload = body
        out.flush()
        for i in range(len(payload)):
            out.write(payload[i : i + 1])
            out.flush()
            time.sleep(step)

    return respond


@pytest.mark.parametrize("where", ["headers", "body"])
def test_remote_image_fetch_has_a_total_deadline(where, monkeypatch):
    monkeypatch.setattr(images, "REMOTE_TIMEOUT_S", 0.8)
    with Stand(dripping(where)) as srv:
        start = time.monotonic()
        got = images._remote(srv.base + "/slow.png")
        took = time.monotonic() - start
    assert took < 2.0, f"the fetch ran {took:.1f}s past a 0.8s deadline"
    assert isinstance(got, ImageError)
    assert "cannot fetch remote image" in got.reason and "0.8" in got.reason


# -- the caption server: a redirect is a failure, never followed --------------------------------


def caption_request() -> CaptionRequest:
    return CaptionRequest(ImageData(content_key(PNG), PNG, "x", None, "x.png"), "en")


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_caption_server_redirect_is_not_followed(status):
    def elsewhere(h):
        send(h, 200, json.dumps({"choices": [{"message": {"content": "followed"}}]}).encode())

    with Stand(elsewhere) as other:
        with Stand(lambda h: send(h, status, headers=[("Location", other.base + "/v1/chat/completions")])) as srv:
            cap = ServerCaptioner(url=srv.base + "/v1", api_key="sekrit", timeout=5)
            (got,) = cap.caption([caption_request()])
    assert other.hits == []  # neither the request nor the key went anywhere else
    assert got.text is None
    assert f"HTTP {status}" in got.reason and "redirect" in got.reason and "not followed" in got.reason
    assert is_transient(got)  # fixed by pointing at the right URL: not cached as this image's failure


def test_caption_server_request_has_a_total_deadline():
    with Stand(dripping("body", content_type="application/json")) as srv:
        cap = ServerCaptioner(url=srv.base + "/v1", timeout=0.8)
        start = time.monotonic()
        (got,) = cap.caption([caption_request()])
        took = time.monotonic() - start
    assert took < 2.0, f"the request ran {took:.1f}s past a 0.8s deadline"
    assert got.text is None and "timed out after 0.8s" in got.reason
