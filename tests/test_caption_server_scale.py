"""The server captioner at scale: concurrent requests, answers matched to their images,
one failure reason per run, and the [tool.altbot.server] / --server-url plumbing.

Every test talks to the stand-in in tests/caption_server_standin.py, which checks the
request shape and measures how many requests are in flight.
"""

from __future__ import annotations

import io
import json
import socket
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from altbot.caption.base import CaptionerError, CaptionRequest
from altbot.caption.cache import CachedCaptioner, CaptionCache, is_transient
from altbot.caption.factory import build_captioner
from altbot.caption.server import DEFAULT_CONCURRENCY, ServerCaptioner
from altbot.cli import main
from altbot.config import Config, ConfigError, ServerSettings, config_from_table
from altbot.images import ImageData, content_key

from tests.caption_server_standin import StandInServer, caption_for


def png(i: int, size=(16, 12)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (i % 256, (i * 37) % 256, (i * 101) % 256)).save(buf, format="PNG")
    return buf.getvalue()


def drawing(i: int) -> bytes:
    """An image the decorative check calls informative (shapes and a label), so fix asks for a caption."""
    import random

    from PIL import ImageDraw

    rng = random.Random(i)
    im = Image.new("RGB", (240, 160), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    draw = ImageDraw.Draw(im)
    for _ in range(12):
        x, y = rng.randrange(200), rng.randrange(120)
        draw.rectangle([x, y, x + rng.randrange(10, 40), y + rng.randrange(10, 40)],
                       fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))  # fmt: skip
    draw.text((10, 10), f"Chart {i}", fill="black")
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    return buf.getvalue()


def site(root: Path, n: int) -> list[bytes]:
    images = [drawing(i) for i in range(n)]
    for i, data in enumerate(images):
        (root / f"p{i}.png").write_bytes(data)
        (root / f"page{i}.md").write_text(f"# Page {i}\n\nThe chart for week {i}.\n\n![](p{i}.png)\n", encoding="utf-8")
    return images


def expected(data: bytes) -> str:
    return caption_for(Image.open(io.BytesIO(data)))


def requests_for(n: int, lang: str | None = None) -> tuple[list[bytes], list[CaptionRequest]]:
    images = [png(i) for i in range(n)]
    return images, [CaptionRequest(ImageData(content_key(d), d, f"i{k}.png", None, f"i{k}.png"), lang) for k, d in enumerate(images)]


# -- concurrency and matching -----------------------------------------------------------------


@pytest.mark.parametrize("concurrency", [1, 2, 4, 8])
def test_requests_in_flight_reach_the_concurrency_and_never_pass_it(concurrency):
    images, reqs = requests_for(24)
    with StandInServer(delay=0.05) as srv:
        out = ServerCaptioner(url=srv.url, concurrency=concurrency).caption(reqs)
    assert srv.problems == []
    assert srv.requests == 24
    assert srv.max_in_flight == concurrency
    assert [c.text for c in out] == [expected(d) for d in images]


def test_default_concurrency_is_at_least_four():
    assert DEFAULT_CONCURRENCY >= 4 and ServerCaptioner().concurrency == DEFAULT_CONCURRENCY
    _, reqs = requests_for(12)
    with StandInServer(delay=0.05) as srv:
        ServerCaptioner(url=srv.url).caption(reqs)
    assert srv.max_in_flight >= 4


def test_answers_out_of_order_go_to_their_own_images():
    images, reqs = requests_for(12)
    # arrival 0 is the lone first request; arrival 1 (the second image) is by far the slowest
    with StandInServer(delay=lambda arrival: 0.4 if arrival == 1 else 0.02) as srv:
        out = ServerCaptioner(url=srv.url, concurrency=4).caption(reqs)
    wanted = [expected(d) for d in images]
    assert srv.captions != wanted, "the answers came back in order: this test did not exercise reordering"
    assert sorted(srv.captions) == sorted(wanted)
    assert [c.text for c in out] == wanted


def test_random_latencies_many_images():
    images, reqs = requests_for(60)
    with StandInServer(delay=0.005, jitter=0.05, seed=7) as srv:
        out = ServerCaptioner(url=srv.url, concurrency=8).caption(reqs)
    assert srv.problems == []
    assert [c.text for c in out] == [expected(d) for d in images]
    assert all(c.backend == "server" and c.confidence is not None for c in out)


def test_captions_stream_as_they_arrive():
    _, reqs = requests_for(10)
    with StandInServer(delay=lambda arrival: 0.0 if arrival == 0 else 0.15) as srv:
        stream = ServerCaptioner(url=srv.url, concurrency=2).iter_captions(reqs)
        first = next(stream)
        answered_at_first = len(srv.captions)
        rest = list(stream)
    assert first.text and len(rest) == 9
    assert answered_at_first < 10  # the first caption was handed on before the batch was done


def test_cache_keeps_the_answers_of_an_interrupted_concurrent_batch(tmp_path):
    images, reqs = requests_for(16)
    cache = CaptionCache(str(tmp_path / "c.sqlite3"))
    with StandInServer(delay=0.03) as srv:
        stream = CachedCaptioner(ServerCaptioner(url=srv.url, concurrency=4), cache).iter_captions(reqs)
        got = [next(stream) for _ in range(5)]
        stream.close()  # interrupted after five captions
    kept = len(cache)
    assert kept >= 5
    with StandInServer(delay=0.0) as again:
        out = CachedCaptioner(ServerCaptioner(url=again.url, concurrency=4), cache).caption(reqs)
    assert again.requests == 16 - kept
    assert [c.text for c in got] == [expected(d) for d in images[:5]]
    assert [c.text for c in out] == [expected(d) for d in images]


def test_lone_first_request_learns_that_logprobs_are_refused():
    images, reqs = requests_for(20)
    with StandInServer(delay=0.01, accepts_logprobs=False) as srv:
        out = ServerCaptioner(url=srv.url, concurrency=4).caption(reqs)
    assert [c.text for c in out] == [expected(d) for d in images]
    assert srv.asked_logprobs == 1  # asked once, alone; every later request left the field out


def test_logprobs_refused_while_requests_are_in_flight_are_each_asked_again():
    images, reqs = requests_for(8)
    with StandInServer(delay=0.2, accepts_logprobs=False) as srv:  # all four are sent before the first refusal
        cap = ServerCaptioner(url=srv.url, concurrency=4)
        cap._asked = True  # as if a first request had been answered before the server changed its mind
        out = cap.caption(reqs)
    assert [c.text for c in out] == [expected(d) for d in images]
    assert srv.asked_logprobs == 4  # the first four went out with the field; each refusal was asked again


def test_undecodable_first_image_does_not_count_as_the_lone_request():
    images, reqs = requests_for(6)
    bad = CaptionRequest(ImageData(content_key(b"nope"), b"nope", "x", None, "x"), None)
    with StandInServer(delay=0.02) as srv:
        out = ServerCaptioner(url=srv.url, concurrency=4).caption([bad, *reqs])
    assert out[0].text is None and "not a supported image" in out[0].reason
    assert [c.text for c in out[1:]] == [expected(d) for d in images]


# -- failures: one reason per run ---------------------------------------------------------------


class Dropper:
    """Accepts connections on 127.0.0.1 and closes them at once, after ``serve`` real answers."""

    def __init__(self, serve_first: StandInServer | None = None, serve: int = 0) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1"
        self.accepted = 0
        self.serve = serve
        self.upstream = serve_first
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        self.sock.settimeout(0.05)
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            self.accepted += 1
            if self.accepted <= self.serve and self.upstream is not None:
                threading.Thread(target=self._relay, args=(conn,), daemon=True).start()
            else:
                conn.close()

    def _relay(self, conn):
        """Pass one request through to the stand-in (a server that works for a while, then dies)."""
        with conn, socket.create_connection(("127.0.0.1", int(self.upstream.url.split(":")[2].split("/")[0]))) as up:
            conn.settimeout(5)
            up.settimeout(5)
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            length = int([h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")][0].split(b":")[1])
            while len(body) < length:
                body += conn.recv(65536)
            up.sendall(head + b"\r\n\r\n" + body)
            while chunk := up.recv(65536):
                conn.sendall(chunk)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop = True
        self._thread.join(5)
        self.sock.close()


def test_connection_failure_is_one_reason_and_the_rest_fail_fast():
    _, reqs = requests_for(30)
    with Dropper() as srv:
        start = time.monotonic()
        out = ServerCaptioner(url=srv.url, concurrency=8, timeout=5).caption(reqs)
        took = time.monotonic() - start
    reasons = {c.reason for c in out}
    assert len(reasons) == 1 and all(c.text is None for c in out)
    (reason,) = reasons
    assert "cannot reach caption server" in reason and is_transient(out[0])
    assert srv.accepted == 1  # the lone first request found the server gone; nothing else was sent
    assert took < 2


def test_server_dying_mid_run_fails_the_rest_with_one_reason():
    images, reqs = requests_for(40)
    with StandInServer(delay=0.01) as upstream, Dropper(upstream, serve=6) as srv:
        out = ServerCaptioner(url=srv.url, concurrency=4, timeout=5).caption(reqs)
    answered = [c for c in out if c.text]
    failed = [c for c in out if c.text is None]
    assert 1 <= len(answered) <= 6 and failed
    assert all(c.text == expected(d) for c, d in zip(out, images) if c.text)
    assert len({c.reason for c in failed}) == 1
    assert srv.accepted <= 6 + 4  # after the failure, at most the requests already on their way


def test_the_failure_lasts_for_the_captioner_not_one_batch():
    _, reqs = requests_for(4)
    with Dropper() as srv:
        cap = ServerCaptioner(url=srv.url, concurrency=4, timeout=5)
        first = cap.caption(reqs[:2])
        second = cap.caption(reqs[2:])
    assert srv.accepted == 1
    assert {c.reason for c in first + second} == {first[0].reason}


def test_timeouts_with_requests_in_flight_take_one_deadline_not_one_per_image():
    _, reqs = requests_for(20)
    with StandInServer(delay=3.0) as srv:
        start = time.monotonic()
        out = ServerCaptioner(url=srv.url, concurrency=4, timeout=0.5).caption(reqs)
        took = time.monotonic() - start
    assert took < 2.5, f"{took:.1f}s for 20 images with a 0.5s deadline"
    assert {c.reason for c in out} == {"caption server at " + srv.url + " timed out after 0.5s"}


def test_fix_summary_shows_the_reason_once(tmp_path):
    from altbot.api import plan_fix

    site(tmp_path, 12)
    with Dropper() as srv:
        plan = plan_fix([str(tmp_path)], captioner="server", config=Config(root=tmp_path), server_url=srv.url,
                        no_cache=True, default_lang="en")  # fmt: skip
    summary = plan.summary()
    assert summary.count("cannot reach caption server") == 1
    assert "skipped (12): cannot reach caption server" in summary


def test_redirects_are_not_followed_with_requests_in_flight():
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    hits = []
    with StandInServer() as other:

        class Redirect(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                hits.append(1)
                self.send_response(307)
                self.send_header("Location", other.url + "/chat/completions")
                self.send_header("Content-Length", "0")
                self.end_headers()

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
        httpd.daemon_threads = True
        t = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        t.start()
        try:
            _, reqs = requests_for(8)
            out = ServerCaptioner(url=f"http://127.0.0.1:{httpd.server_address[1]}/v1", api_key="sekrit",
                                  concurrency=4).caption(reqs)  # fmt: skip
        finally:
            httpd.shutdown()
            httpd.server_close()
            t.join(5)
    assert other.requests == 0 and len(hits) == 8
    assert all(c.text is None and "HTTP 307" in c.reason and "not followed" in c.reason for c in out)


@pytest.mark.parametrize("bad", [0, 65, -1, 2.5, True, "4"])
def test_concurrency_bounds(bad):
    with pytest.raises(CaptionerError, match="concurrency must be a whole number from 1 to 64"):
        ServerCaptioner(concurrency=bad)


@pytest.mark.parametrize("bad", [0, -5, float("inf"), float("nan"), "60", True])
def test_timeout_must_be_positive(bad):
    with pytest.raises(CaptionerError, match="timeout must be a positive number"):
        ServerCaptioner(timeout=bad)


# -- [tool.altbot.server] ---------------------------------------------------------------------


def table(server, tmp_path) -> Config:
    return config_from_table({"server": server}, root=tmp_path, source="pyproject.toml")


def test_server_table_parsed(tmp_path):
    cfg = table({"url": "http://127.0.0.1:8000/v1", "model": "Qwen/Qwen2.5-VL-3B-Instruct", "api-key-env": "VLLM_API_KEY",
                 "timeout": 120, "concurrency": 16}, tmp_path)  # fmt: skip
    assert cfg.server == ServerSettings("http://127.0.0.1:8000/v1", "Qwen/Qwen2.5-VL-3B-Instruct", "VLLM_API_KEY", 120.0, 16)
    assert Config().server == ServerSettings()


def test_server_table_from_pyproject(tmp_path):
    from altbot.config import load_config

    (tmp_path / "pyproject.toml").write_text(
        '[tool.altbot]\ncaptioner = "server"\n\n[tool.altbot.server]\nurl = "http://127.0.0.1:8080/v1"\nconcurrency = 4\n',
        encoding="utf-8",
    )
    cfg = load_config(start=tmp_path)
    assert cfg.captioner == "server" and cfg.server.url == "http://127.0.0.1:8080/v1" and cfg.server.concurrency == 4


@pytest.mark.parametrize(
    "server,needle",
    [
        pytest.param({"urls": "http://127.0.0.1/v1"}, "unknown key(s) urls; valid keys: url, model, api-key-env, timeout, concurrency", id="unknown"),
        pytest.param({"api_key_env": "X"}, "unknown key(s) api_key_env", id="misspelt-env-name"),
        pytest.param({"api-key": "sk-123"}, "keys are never stored in config", id="api-key"),
        pytest.param({"api_key": "sk-123"}, "keys are never stored in config", id="api_key"),
        pytest.param({"token": "abc"}, "keys are never stored in config", id="token"),
        pytest.param({"password": "abc"}, "keys are never stored in config", id="password"),
        pytest.param({"api-key-env": "sk-abc123"}, "must be the name of an environment variable", id="env-is-a-key"),
        pytest.param({"api-key-env": "hf_AbCdEfGh0123456789xyzW"}, "looks like a key", id="env-looks-like-a-token"),
        pytest.param({"api-key-env": 5}, "must be the name of an environment variable", id="env-not-a-string"),
        pytest.param({"url": "ftp://127.0.0.1/v1"}, "`url` must be an http(s) URL", id="ftp"),
        pytest.param({"url": "127.0.0.1:8000"}, "`url` must be an http(s) URL", id="no-scheme"),
        pytest.param({"url": 8000}, "`url` must be an http(s) URL", id="url-number"),
        pytest.param({"url": "http://[::1/v1"}, "`url` must be an http(s) URL", id="url-unclosed-ipv6"),
        pytest.param({"url": "http://127.0.0.1:port/v1"}, "`url` must be an http(s) URL", id="url-bad-port"),
        pytest.param({"model": ""}, "`model` must be the name", id="model-empty"),
        pytest.param({"timeout": 0}, "`timeout` must be a positive number", id="timeout-zero"),
        pytest.param({"timeout": "60"}, "`timeout` must be a positive number", id="timeout-string"),
        pytest.param({"timeout": True}, "`timeout` must be a positive number", id="timeout-bool"),
        pytest.param({"timeout": float("inf")}, "`timeout` must be a positive number", id="timeout-inf"),
        pytest.param({"concurrency": 0}, "from 1 to 64", id="concurrency-zero"),
        pytest.param({"concurrency": 65}, "from 1 to 64", id="concurrency-big"),
        pytest.param({"concurrency": 4.0}, "from 1 to 64", id="concurrency-float"),
    ],
)
def test_server_table_errors(server, needle, tmp_path):
    with pytest.raises(ConfigError) as exc:
        table(server, tmp_path)
    assert needle in str(exc.value) and "pyproject.toml" in str(exc.value)
    assert "sk-123" not in str(exc.value)  # a key put in config is not echoed back


def test_server_must_be_a_table(tmp_path):
    with pytest.raises(ConfigError, match=r"`server` must be a table \(\[tool.altbot.server\]\)"):
        config_from_table({"server": "http://127.0.0.1/v1"}, root=tmp_path, source="x.toml")


# -- options → captioner ------------------------------------------------------------------------


def server_of(captioner) -> ServerCaptioner:
    return getattr(captioner, "inner", captioner)


def test_server_url_picks_the_server_captioner(tmp_path):
    cap = build_captioner(Config(root=tmp_path), server_url="http://127.0.0.1:8000/v1", no_cache=True)
    assert isinstance(cap, ServerCaptioner) and cap.endpoint == "http://127.0.0.1:8000/v1/chat/completions"


def test_server_url_with_another_captioner_is_an_error(tmp_path):
    with pytest.raises(CaptionerError, match="--server-url applies to the server captioner, not 'filename'"):
        build_captioner(Config(root=tmp_path), name="filename", server_url="http://127.0.0.1:8000/v1")


def test_precedence_command_line_then_config_then_default(tmp_path):
    cfg = table({"url": "http://127.0.0.1:8080/v1", "model": "gemma3", "timeout": 90, "concurrency": 6}, tmp_path)
    from dataclasses import replace

    cfg = replace(cfg, model="florence-2-base")  # the top-level model is for the transformers backend
    from_config = server_of(build_captioner(cfg, name="server", no_cache=True))
    assert (from_config.url, from_config.model, from_config.timeout, from_config.concurrency) == (
        "http://127.0.0.1:8080/v1", "gemma3", 90.0, 6)  # fmt: skip
    from_cli = server_of(build_captioner(cfg, name="server", server_url="http://localhost:8000/v1", model="llava:13b", no_cache=True))
    assert (from_cli.url, from_cli.model) == ("http://localhost:8000/v1", "llava:13b")
    default = server_of(build_captioner(Config(root=tmp_path), name="server", no_cache=True))
    assert default.url == "http://127.0.0.1:11434/v1" and default.model == "llava"


def test_remote_url_on_the_command_line_needs_allow_remote(tmp_path):
    cfg = Config(root=tmp_path)
    with pytest.raises(CaptionerError, match="--allow-remote"):
        build_captioner(cfg, server_url="http://gpu-box.lan:8000/v1", no_cache=True)
    cap = build_captioner(cfg, server_url="http://gpu-box.lan:8000/v1", allow_remote=True, no_cache=True)
    assert cap.url == "http://gpu-box.lan:8000/v1"


def test_remote_url_in_config_is_refused_even_with_allow_remote(tmp_path):
    cfg = table({"url": "https://collector.example.com/v1", "api-key-env": "GITHUB_TOKEN"}, tmp_path)
    for allow in (False, True):
        with pytest.raises(CaptionerError) as exc:
            build_captioner(cfg, name="server", allow_remote=allow, no_cache=True)
        message = str(exc.value)
        assert "a repository's config may only name a server on this machine" in message
        assert "--server-url https://collector.example.com/v1 --allow-remote" in message


def test_api_key_comes_from_the_named_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("ALTBOT_TEST_KEY", "s3cr3t-value")
    images, reqs = requests_for(5)
    with StandInServer(api_key="s3cr3t-value", delay=0.01) as srv:
        cfg = table({"url": srv.url, "api-key-env": "ALTBOT_TEST_KEY", "concurrency": 2}, tmp_path)
        cap = build_captioner(cfg, name="server", no_cache=True)
        out = cap.caption(reqs)
    assert srv.problems == []
    assert [c.text for c in out] == [expected(d) for d in images]
    assert "s3cr3t-value" not in repr(cap)


def test_wrong_key_is_refused_by_the_stand_in(tmp_path, monkeypatch):
    monkeypatch.setenv("ALTBOT_TEST_KEY", "wrong")
    _, reqs = requests_for(2)
    with StandInServer(api_key="right") as srv:
        cfg = table({"url": srv.url, "api-key-env": "ALTBOT_TEST_KEY"}, tmp_path)
        out = build_captioner(cfg, name="server", no_cache=True).caption(reqs)
    assert all(c.text is None and "HTTP 400" in c.reason for c in out)
    assert srv.problems and "Authorization" in srv.problems[0]


def test_unset_key_variable_is_an_error(tmp_path, monkeypatch):
    monkeypatch.delenv("ALTBOT_TEST_KEY", raising=False)
    cfg = table({"api-key-env": "ALTBOT_TEST_KEY"}, tmp_path)
    with pytest.raises(CaptionerError, match="api-key-env names ALTBOT_TEST_KEY, which is not set"):
        build_captioner(cfg, name="server", no_cache=True)


# -- the command line ---------------------------------------------------------------------------


def test_caption_command_with_server_url(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    images = [png(i) for i in range(6)]
    for i, data in enumerate(images):
        Path(f"a{i}.png").write_bytes(data)
    with StandInServer(delay=0.02) as srv:
        rc = main(["caption", *[f"a{i}.png" for i in range(6)], "--server-url", srv.url, "--no-cache", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0 and srv.problems == []
    assert [r["alt"] for r in out] == [expected(d) for d in images]
    assert {r["backend"] for r in out} == {"server"}


@pytest.mark.parametrize("command", ["caption", "fix"])
def test_remote_server_url_without_opt_in_is_exit_2_with_the_remedy(command, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    Path("a.png").write_bytes(png(1))
    Path("page.md").write_text("![](a.png)\n", encoding="utf-8")
    target = "a.png" if command == "caption" else "."
    rc = main([command, target, "--server-url", "http://10.1.2.3:8000/v1", "--no-cache"])
    err = capsys.readouterr().err
    assert rc == 2
    assert "'10.1.2.3' is not local" in err and "--allow-remote" in err
    assert "Traceback" not in err


def test_fix_write_through_config_server_table(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    images = site(tmp_path, 9)
    with StandInServer(delay=0.05) as srv:
        Path(".altbot.toml").write_text(
            f'captioner = "server"\ndefault-lang = "en"\n\n[server]\nurl = "{srv.url}"\nmodel = "stand-in"\nconcurrency = 3\n',
            encoding="utf-8",
        )
        rc = main(["fix", ".", "--write", "--no-cache"])
    assert srv.problems == [] and srv.max_in_flight == 3
    for i, data in enumerate(images):
        assert f"![{expected(data)}](p{i}.png)" in Path(f"page{i}.md").read_text(encoding="utf-8")
    assert rc in (0, 1)


def test_readme_server_table_is_valid_config(tmp_path):
    import re

    from altbot.files import load_tomllib

    tomllib = load_tomllib()  # tomllib, or tomli before Python 3.11

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Local servers (`--captioner server`)") :]
    block = re.search(r"```toml\n(.*?)```", section, re.S).group(1)
    data = tomllib.loads(block)
    cfg = config_from_table(data["tool"]["altbot"], root=tmp_path, source="README.md")
    assert cfg.captioner == "server" and cfg.server.api_key_env == "VLLM_API_KEY" and cfg.server.concurrency == 8
