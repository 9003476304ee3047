from __future__ import annotations

import base64
import io
import json
import math
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from altbot.caption import get_captioner
from altbot.caption.base import CaptionerError, CaptionRequest
from altbot.caption.cache import is_transient
from altbot.caption.prompt import DECORATIVE
from altbot.caption.server import ServerCaptioner, confidence_from_logprobs, is_loopback_host
from altbot.images import ImageData, content_key


def png(color=(255, 0, 0), size=(40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format="PNG")
    return buf.getvalue()


def jpeg(size=(2000, 1000)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (0, 128, 0)).save(buf, format="JPEG")
    return buf.getvalue()


def req(data: bytes, lang="en", max_length=125, context=()) -> CaptionRequest:
    return CaptionRequest(ImageData(content_key(data), data, "x", None, "x"), lang, max_length, context)


class FakeServer:
    """A one-route OpenAI-compatible server on 127.0.0.1; answers come from ``replies`` in order.

    A reply is a dict (JSON body, 200), ``(status, body)`` or raw ``bytes``. It records every
    request body and stops itself when the test ends (daemon thread, 10 s socket timeout).
    """

    def __init__(self, replies):
        self.replies = list(replies)
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            timeout = 10

            def log_message(self, *a):  # keep test output clean
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                outer.requests.append(body)
                outer.headers.append(dict(self.headers))
                if self.path != "/v1/chat/completions":
                    status, payload = 404, b'{"error": "no such route"}'
                else:
                    reply = outer.replies.pop(0) if outer.replies else {"error": "no more replies"}
                    status, payload = 200, reply
                    if isinstance(reply, tuple):
                        status, payload = reply
                    if not isinstance(payload, bytes):
                        payload = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


def answer(text, logprobs=None):
    choice = {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
    if logprobs is not None:
        choice["logprobs"] = {"content": [{"token": "t", "logprob": lp} for lp in logprobs]}
    return {"id": "x", "object": "chat.completion", "choices": [choice]}


def test_request_shape_and_answer():
    with FakeServer([answer("A red square on a white page.")]) as srv:
        cap = ServerCaptioner(url=srv.url, model="llava:7b", api_key="sekrit", max_tokens=64)
        out = cap.caption([req(png(), lang="fr", max_length=100, context=(("page title", "Accueil"),))])
    assert out[0].text == "A red square on a white page."
    assert out[0].backend == "server" and out[0].model == "llava:7b" and out[0].lang == "fr"
    assert out[0].confidence is None and out[0].low_confidence
    body = srv.requests[0]
    assert body["model"] == "llava:7b"
    assert body["temperature"] == 0 and body["max_tokens"] == 64
    (msg,) = body["messages"]
    assert msg["role"] == "user"
    text_part, image_part = msg["content"]
    assert text_part["type"] == "text"
    prompt = text_part["text"]
    assert "answer in French." in prompt or "answer in fr." in prompt  # name when langcodes is installed
    assert DECORATIVE in prompt
    assert "100 characters" in prompt
    assert "Accueil" in prompt
    assert image_part["type"] == "image_url"
    uri = image_part["image_url"]["url"]
    assert uri.startswith("data:image/png;base64,")
    decoded = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    assert decoded.size == (40, 30)
    assert srv.headers[0]["Authorization"] == "Bearer sekrit"


def test_photo_sent_as_downscaled_jpeg():
    with FakeServer([answer("A green field")]) as srv:
        ServerCaptioner(url=srv.url, max_side=256).caption([req(jpeg())])
    uri = srv.requests[0]["messages"][0]["content"][1]["image_url"]["url"]
    assert uri.startswith("data:image/jpeg;base64,")
    assert Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).size == (256, 128)


@pytest.mark.parametrize("text", ["DECORATIVE", "decorative.", "**DECORATIVE**", ' "DECORATIVE" \n'])
def test_decorative_answer(text):
    with FakeServer([answer(text)]) as srv:
        out = ServerCaptioner(url=srv.url).caption([req(png())])
    assert out[0].decorative and out[0].text == ""


def test_decorative_word_inside_a_caption_is_not_decorative():
    with FakeServer([answer("Decorative border around a photo of a lake")]) as srv:
        out = ServerCaptioner(url=srv.url).caption([req(png())])
    assert not out[0].decorative and out[0].text.startswith("Decorative border")


def test_confidence_from_logprobs():
    with FakeServer([answer("A cat", logprobs=[-0.1, -0.2, -0.3])]) as srv:
        out = ServerCaptioner(url=srv.url).caption([req(png())])
    assert out[0].confidence == pytest.approx(math.exp(-0.2))
    assert not out[0].low_confidence
    assert srv.requests[0]["logprobs"] is True


@pytest.mark.parametrize(
    "logprobs,expected",
    [
        pytest.param(None, None, id="absent"),
        pytest.param({"content": []}, None, id="empty"),
        pytest.param({"content": [{"logprob": 0.0}]}, 1.0, id="certain"),
        pytest.param({"token_logprobs": [-1.0, -1.0]}, math.exp(-1), id="completions-style"),
        pytest.param({"content": [{"logprob": None}, {"logprob": -2.0}]}, math.exp(-2), id="nulls-skipped"),
    ],
)
def test_confidence_from_logprobs_shapes(logprobs, expected):
    got = confidence_from_logprobs(logprobs)
    assert got == (pytest.approx(expected) if expected is not None else None)


def test_content_parts_list():
    reply = answer([{"type": "text", "text": "A "}, {"type": "text", "text": "dog"}])
    with FakeServer([reply]) as srv:
        assert ServerCaptioner(url=srv.url).caption([req(png())])[0].text == "A dog"


def test_server_rejecting_logprobs_is_asked_again_without():
    with FakeServer([(400, {"error": {"message": "logprobs not supported"}}), answer("A dog")]) as srv:
        cap = ServerCaptioner(url=srv.url)
        out = cap.caption([req(png()), req(png((0, 0, 255)))])
    assert [c.text for c in out] == ["A dog", None]  # second: "no more replies" → bad response
    assert "logprobs" in srv.requests[0] and "logprobs" not in srv.requests[1]
    assert "logprobs" not in srv.requests[2]


@pytest.mark.parametrize(
    "reply,needle",
    [
        pytest.param((500, {"error": {"message": "model crashed"}}), "HTTP 500: model crashed", id="http-500"),
        pytest.param((404, {"error": "model 'llava' not found"}), "HTTP 404: model 'llava' not found", id="http-404"),
        pytest.param(b"<html>oops</html>", "not JSON", id="not-json"),
        pytest.param(b"[" * 100000 + b"]" * 100000, "not JSON", id="json-nested-too-deeply"),  # was RecursionError
        pytest.param({"choices": []}, "no choices[0].message.content", id="no-choices"),
        pytest.param({"choices": [{"message": {"content": None}}]}, "not text", id="null-content"),
        pytest.param(answer("   "), "no usable caption", id="empty-answer"),
    ],
)
def test_errors_become_per_image_reasons(reply, needle):
    with FakeServer([reply, answer("A dog")]) as srv:
        out = ServerCaptioner(url=srv.url, logprobs=False).caption([req(png()), req(png((1, 2, 3)))])
    assert out[0].text is None and needle in out[0].reason
    assert out[1].text == "A dog"  # one bad answer does not sink the batch


def test_empty_answer_is_cacheable_http_errors_are_not():
    with FakeServer([answer(""), (503, b"{}")]) as srv:
        a, b = ServerCaptioner(url=srv.url, logprobs=False).caption([req(png()), req(png((9, 9, 9)))])
    assert not is_transient(a)
    assert is_transient(b)


def test_undecodable_image_does_not_reach_the_server():
    with FakeServer([answer("A dog")]) as srv:
        out = ServerCaptioner(url=srv.url).caption([req(b"not an image"), req(png())])
    assert out[0].text is None and "not a supported image" in out[0].reason
    assert out[1].text == "A dog"
    assert len(srv.requests) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_connection_refused_fails_the_batch_fast():
    port = _free_port()  # nothing listens there any more
    cap = ServerCaptioner(url=f"http://127.0.0.1:{port}/v1", timeout=5)
    out = cap.caption([req(png()), req(png((0, 0, 1)))])
    assert all(c.text is None for c in out)
    assert "cannot reach caption server" in out[0].reason
    assert out[1].reason == out[0].reason
    assert is_transient(out[0])


def test_timeout_is_a_reason():
    release = threading.Event()

    class Slow(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):
            release.wait(5)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    httpd.daemon_threads = True
    t = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    t.start()
    try:
        out = ServerCaptioner(url=f"http://127.0.0.1:{httpd.server_address[1]}/v1", timeout=0.5).caption([req(png())])
    finally:
        release.set()
        httpd.shutdown()
        httpd.server_close()
        t.join(5)
    assert out[0].text is None and "timed out" in out[0].reason


@pytest.mark.parametrize(
    "url",
    ["http://192.168.1.20:11434/v1", "https://api.example.com/v1", "http://10.0.0.1/v1", "http://[2001:db8::1]/v1"],
)
def test_remote_hosts_refused_unless_opted_in(url):
    with pytest.raises(CaptionerError, match="allow_remote=True"):
        ServerCaptioner(url=url)
    assert ServerCaptioner(url=url, allow_remote=True).endpoint.endswith("/chat/completions")


@pytest.mark.parametrize(
    "host,expected",
    [("127.0.0.1", True), ("127.5.5.5", True), ("::1", True), ("[::1]", True), ("localhost", True),
     ("LOCALHOST", True), ("10.0.0.1", False), ("example.com", False), ("localhost.example.com", False), (None, False)],
)  # fmt: skip
def test_is_loopback_host(host, expected):
    assert is_loopback_host(host) is expected


@pytest.mark.parametrize(
    "url",
    ["ftp://127.0.0.1/v1", "127.0.0.1:11434", "file:///etc/passwd",
     # urlsplit raises for these (an unclosed IPv6 bracket, a port that is no number): an error, not a traceback
     "http://[::1/v1", "http://]x/v1", "http://127.0.0.1:xx/v1", "http://127.0.0.1:99999/v1"],
)  # fmt: skip
def test_bad_urls(url):
    with pytest.raises(CaptionerError, match="must be http"):
        ServerCaptioner(url=url)


@pytest.mark.parametrize("url", ["http://[::1/v1", "http://127.0.0.1:xx/v1"])
def test_a_server_url_that_is_no_url_is_a_usage_error(url, tmp_path, monkeypatch, capsys):
    from altbot.cli import main

    (tmp_path / "p.html").write_text('<img src="a.png">\n')
    monkeypatch.chdir(tmp_path)
    assert main(["fix", "--server-url", url, "p.html"]) == 2
    err = capsys.readouterr().err
    assert "must be http(s)" in err and "internal error" not in err, err
    (tmp_path / "pyproject.toml").write_text(f'[tool.altbot.server]\nurl = "{url}"\n')
    assert main(["check", "p.html"]) == 2
    err = capsys.readouterr().err
    assert "`url` must be an http(s) URL" in err and "internal error" not in err, err


def test_registered_and_defaults():
    import altbot.caption.server  # noqa: F401 - registers the backend

    cap = get_captioner("server")
    assert isinstance(cap, ServerCaptioner)
    assert cap.endpoint == "http://127.0.0.1:11434/v1/chat/completions"
    assert cap.model == "llava" and cap.timeout == 60 and cap.max_tokens == 80
    assert cap.name == "server"


def test_proxy_environment_ignored_for_loopback(monkeypatch):
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")  # would break the request if used
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    with FakeServer([answer("A dog")]) as srv:
        out = ServerCaptioner(url=srv.url).caption([req(png())])
    assert out[0].text == "A dog"
