"""A stand-in for an OpenAI-compatible vision server (vLLM, llama.cpp, Ollama) on 127.0.0.1.

It answers ``POST /v1/chat/completions`` the way those servers do, after checking that
the request has the shape altbot's ``server`` captioner must send (one user message: a
text part, then an ``image_url`` part holding a base64 data URL of a PNG or JPEG). A
request of any other shape gets HTTP 400 and is recorded in ``problems``.

The caption is derived from the image itself: ``caption_for(pixels)`` of the decoded
RGB pixels, so a test can check that every answer came back to its own image even when
answers finish out of order. ``logprobs`` adds token log-probabilities to the answers;
``accepts_logprobs=False`` makes the field a 400, as some servers do. Each request sleeps ``delay`` seconds (a number, or a
function of the arrival index) plus up to ``jitter`` random seconds; ``slots`` limits
how many are served at once (a llama.cpp ``--parallel`` / ``OLLAMA_NUM_PARALLEL``
server), the others wait in line. ``max_in_flight`` is the most requests that were open
at the same moment, whether served or waiting.

``GET /stats`` reports requests, max_in_flight and the first problems, for a stand-in
run in another process: ``python tests/caption_server_standin.py --delay 0.2 [--slots 4]``
prints its URL and serves until its standard input closes.

Used by tests/test_caption_server_scale.py and benchmarks/caption_speed.py.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import random
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_DATA_URL = re.compile(r"data:(image/(?:png|jpeg));base64,([A-Za-z0-9+/=]+)\Z")


def caption_for(image) -> str:
    """The stand-in's answer for a PIL image: a name for its RGB pixels and size."""
    rgb = image.convert("RGB")
    digest = hashlib.sha256(rgb.tobytes()).hexdigest()[:12]
    return f"Swatch {digest} of {rgb.width} by {rgb.height} pixels"


def request_problems(body, headers, api_key: str | None) -> list[str]:
    """What is wrong with one chat-completions request, as altbot must send it; [] when nothing."""
    problems = []
    if headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
        problems.append(f"Content-Type is {headers.get('Content-Type')!r}, not application/json")
    if api_key is not None and headers.get("Authorization") != f"Bearer {api_key}":
        problems.append("no Authorization: Bearer header with the expected key")
    if api_key is None and headers.get("Authorization"):
        problems.append("an Authorization header was sent although no key was configured")
    if not isinstance(body, dict):
        return problems + ["the body is not a JSON object"]
    if not isinstance(body.get("model"), str) or not body["model"]:
        problems.append("`model` is not a non-empty string")
    if body.get("stream") is not False:
        problems.append("`stream` is not false")
    if body.get("temperature") != 0:
        problems.append("`temperature` is not 0")
    if not isinstance(body.get("max_tokens"), int) or body["max_tokens"] < 1:
        problems.append("`max_tokens` is not a positive integer")
    if "logprobs" in body and body["logprobs"] is not True:
        problems.append("`logprobs` is present but not true")
    allowed = {"model", "messages", "temperature", "max_tokens", "stream", "logprobs"}
    if set(body) - allowed:
        problems.append(f"unexpected fields {sorted(set(body) - allowed)}")
    messages = body.get("messages")
    if not isinstance(messages, list) or len(messages) != 1:
        return problems + ["`messages` is not a list of one message"]
    (message,) = messages
    if not isinstance(message, dict) or message.get("role") != "user":
        return problems + ["the message is not a user message"]
    content = message.get("content")
    if not isinstance(content, list) or len(content) != 2:
        return problems + ["the message content is not [text part, image part]"]
    text, image = content
    if not (isinstance(text, dict) and text.get("type") == "text" and isinstance(text.get("text"), str) and text["text"].strip()):
        problems.append("the first content part is not a non-empty text part")
    if not (isinstance(image, dict) and image.get("type") == "image_url" and isinstance(image.get("image_url"), dict)):
        return problems + ["the second content part is not an image_url part"]
    url = image["image_url"].get("url")
    if not isinstance(url, str) or not _DATA_URL.match(url):
        problems.append("the image_url is not a base64 data URL of a PNG or JPEG")
    return problems


def decode_image(url: str):
    """The PIL image in a data URL (already checked by ``request_problems``)."""
    from PIL import Image

    mime, b64 = _DATA_URL.match(url).groups()
    im = Image.open(io.BytesIO(base64.b64decode(b64, validate=True)))
    im.load()
    if (mime == "image/png") != (im.format == "PNG"):
        raise ValueError(f"the data URL says {mime} but holds {im.format}")
    return im


class StandInServer:
    """``with StandInServer(...) as srv:`` serves on ``srv.url`` (``http://127.0.0.1:PORT/v1``)."""

    def __init__(
        self,
        *,
        delay: float | Callable[[int], float] = 0.0,
        jitter: float = 0.0,
        slots: int | None = None,
        api_key: str | None = None,
        logprobs: bool = True,
        accepts_logprobs: bool = True,
        seed: int = 0,
    ) -> None:
        self.delay = delay
        self.jitter = jitter
        self.api_key = api_key
        self.logprobs = logprobs
        self.accepts_logprobs = accepts_logprobs
        self.asked_logprobs = 0  # requests that carried the logprobs field
        self.problems: list[str] = []
        self.captions: list[str] = []  # in the order the answers were sent
        self.requests = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._random = random.Random(seed)
        self._slots = threading.Semaphore(slots) if slots else None
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = 30

            def log_message(self, *args):  # keep test and benchmark output clean
                pass

            def do_GET(self):
                if self.path == "/stats":  # for a stand-in in another process (benchmarks)
                    with outer._lock:
                        stats = {"requests": outer.requests, "max_in_flight": outer.max_in_flight, "problems": outer.problems[:5]}
                    self._send(200, stats)
                    return
                self._send(404, {"error": {"message": "only POST /v1/chat/completions is served"}})

            def do_POST(self):
                with outer._lock:
                    arrival = outer.requests
                    outer.requests += 1
                    outer.in_flight += 1
                    outer.max_in_flight = max(outer.max_in_flight, outer.in_flight)
                    pause = outer._random.uniform(0, outer.jitter)
                pause += outer.delay(arrival) if callable(outer.delay) else outer.delay
                try:
                    status, payload = outer._answer(self, pause)
                finally:
                    with outer._lock:
                        outer.in_flight -= 1
                self._send(status, payload)

            def _send(self, status: int, payload: dict) -> None:
                raw = json.dumps(payload).encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (its deadline): nobody to answer

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def _problem(self, why: str) -> tuple[int, dict]:
        with self._lock:
            self.problems.append(why)
        return 400, {"error": {"message": why, "type": "invalid_request_error"}}

    def _answer(self, handler: BaseHTTPRequestHandler, pause: float) -> tuple[int, dict]:
        if handler.path != "/v1/chat/completions":
            return self._problem(f"POST to {handler.path}, not /v1/chat/completions")
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length)
        try:
            body = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return self._problem("the body is not JSON")
        problems = request_problems(body, handler.headers, self.api_key)
        if problems:
            return self._problem("; ".join(problems))
        try:
            image = decode_image(body["messages"][0]["content"][1]["image_url"]["url"])
        except (ValueError, OSError, binascii.Error) as exc:
            return self._problem(f"the image does not decode: {exc}")
        if self._slots is not None:
            self._slots.acquire()
        try:
            time.sleep(pause)  # the model at work
        finally:
            if self._slots is not None:
                self._slots.release()
        if "logprobs" in body:
            with self._lock:
                self.asked_logprobs += 1
            if not self.accepts_logprobs:  # like a server without the field: a 400, not a shape problem
                return 400, {"error": {"message": "logprobs is not supported", "type": "invalid_request_error"}}
        text = caption_for(image)
        with self._lock:
            self.captions.append(text)
        choice = {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
        if self.logprobs and body.get("logprobs"):
            choice["logprobs"] = {"content": [{"token": w, "logprob": -0.05} for w in text.split()]}
        return 200, {"id": "chatcmpl-standin", "object": "chat.completion", "model": body["model"], "choices": [choice]}

    def __enter__(self) -> "StandInServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(5)


def _serve_from_the_command_line() -> None:
    import argparse
    import sys

    ap = argparse.ArgumentParser(description="serve the stand-in until standard input closes")
    ap.add_argument("--delay", type=float, default=0.0)
    ap.add_argument("--jitter", type=float, default=0.0)
    ap.add_argument("--slots", type=int, default=None)
    args = ap.parse_args()
    with StandInServer(delay=args.delay, jitter=args.jitter, slots=args.slots) as srv:
        print(srv.url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    _serve_from_the_command_line()
