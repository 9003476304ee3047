"""``server`` backend: a local OpenAI-compatible vision endpoint (Ollama, llama.cpp server, vLLM).

One ``POST {url}/chat/completions`` per image, stdlib ``urllib`` only. Images are
decoded and downscaled locally first (``pixels.open_image``) and sent as a data URI
(JPEG for photos, PNG for graphics), so every server gets a format it can read.

Concurrency: up to ``concurrency`` requests are in flight at once (worker threads), so a
server that batches concurrent requests (vLLM, llama.cpp with several slots) runs at its
speed. Answers may arrive in any order; each is kept with the index of its request and
``iter_captions`` yields them in request order, each as soon as it and those before it
are in. The first request of the captioner's life goes alone: it finds out whether the
server is there and takes ``logprobs`` before ``concurrency`` requests ask the same.

Local by design: a URL whose host is not loopback is refused unless
``allow_remote=True``, and a redirect is never followed (it would take the request, and
the API key, past that check): a 3xx is the image's failure. Each request has a total
deadline, ``timeout``, for connecting and reading the whole answer. No health check at construction: every failure (connection
refused, HTTP 4xx/5xx, bad JSON, undecodable image) becomes that image's
``Caption(text=None, reason=...)``; after a connection failure (or a timeout) every
remaining request of this captioner fails fast with that same first reason, so a run
reports it once instead of waiting for each timeout.

The answer is returned as the model wrote it (``text.finalize`` is applied by the
caller), except that a DECORATIVE answer becomes ``Caption(text="", decorative=True)``.
``confidence`` is the geometric mean of the token probabilities when the server
returns ``logprobs`` (they are requested; servers that reject the field are asked again without it),
else None.
"""

from __future__ import annotations

import base64
import http.client
import io
import ipaddress
import json
import math
import queue
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence

from altbot.caption.base import CaptionerError, CaptionRequest, register
from altbot.caption.prompt import DECORATIVE, alt_text_prompt
from altbot.config import MAX_SERVER_CONCURRENCY
from altbot.outcome import Caption
from altbot.srcs import split_url

DEFAULT_URL = "http://127.0.0.1:11434/v1"  # Ollama's default
DEFAULT_MODEL = "llava"
DEFAULT_TIMEOUT = 60.0
DEFAULT_CONCURRENCY = 4
MAX_CONCURRENCY = MAX_SERVER_CONCURRENCY  # one bound for the config table and the constructor
LOW_CONFIDENCE = 0.5
MAX_RESPONSE_BYTES = 4 * 1024 * 1024


def is_loopback_host(host: str | None) -> bool:
    if not host:
        return False
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_decorative(answer: str) -> bool:
    word = re.sub(r"[\s*_`\"'“”«».!:]+", "", answer)
    return word.upper() == DECORATIVE


def _content_text(content) -> str | None:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts
        parts = [p.get("text", "") for p in content if isinstance(p, dict) and p.get("type", "text") == "text"]
        return "".join(parts)
    return None


def confidence_from_logprobs(logprobs) -> float | None:
    """exp(mean token logprob) from an OpenAI-style ``choices[0].logprobs``; None when absent or odd."""
    if not isinstance(logprobs, dict):
        return None
    values = []
    content = logprobs.get("content")
    if isinstance(content, list):
        values = [t.get("logprob") for t in content if isinstance(t, dict)]
    elif isinstance(logprobs.get("token_logprobs"), list):  # completions-style
        values = logprobs["token_logprobs"]
    values = [v for v in values if isinstance(v, (int, float)) and math.isfinite(v)]
    if not values:
        return None
    return max(0.0, min(1.0, math.exp(sum(values) / len(values))))


class _Unreachable(Exception):
    pass


@register("server")
class ServerCaptioner:
    name = "server"
    uses = frozenset({"lang", "context"})  # the prompt names the language and carries the page context

    def __init__(
        self,
        url: str = DEFAULT_URL,
        model: str = DEFAULT_MODEL,
        api_key: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_tokens: int = 80,
        *,
        allow_remote: bool = False,
        max_side: int = 768,
        logprobs: bool = True,
        concurrency: int = DEFAULT_CONCURRENCY,
    ) -> None:
        parsed = split_url(url) if isinstance(url, str) else None
        if parsed is None or parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise CaptionerError(f"caption server URL must be http(s)://host[:port]/..., got {url!r}")
        if not allow_remote and not is_loopback_host(parsed.hostname):
            raise CaptionerError(
                f"the server captioner only talks to servers on this machine (127.0.0.1, ::1, localhost); "
                f"{parsed.hostname!r} is not local. Images would leave this computer: pass --allow-remote "
                f"(allow_remote=True in the library) to opt in."
            )
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout < math.inf:
            raise CaptionerError(f"caption server timeout must be a positive number of seconds, got {timeout!r}")
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or not 1 <= concurrency <= MAX_CONCURRENCY:
            raise CaptionerError(
                f"caption server concurrency must be a whole number from 1 to {MAX_CONCURRENCY}, got {concurrency!r}"
            )
        self.url = url.rstrip("/")
        self.endpoint = self.url + "/chat/completions"
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.max_tokens = max_tokens
        self.max_side = max_side
        self.logprobs = logprobs
        self.concurrency = concurrency
        # never route loopback traffic through an HTTP(S)_PROXY from the environment
        self._handlers = (
            [] if allow_remote and not is_loopback_host(parsed.hostname) else [urllib.request.ProxyHandler({})]
        )
        self._lock = threading.Lock()
        self._down: str | None = None  # the first connection failure: every later request fails with it
        self._asked = False  # a request has reached (or tried to reach) the server

    def __repr__(self) -> str:  # never shows the API key
        return f"ServerCaptioner(url={self.url!r}, model={self.model!r}, concurrency={self.concurrency})"

    def _opener(self, deadline: float) -> urllib.request.OpenerDirector:
        """An opener for one request: every read ends by ``deadline``; redirects are not followed
        (a hop would escape the loopback check and carry the API key elsewhere)."""
        from altbot.images import deadline_handlers

        return urllib.request.build_opener(*self._handlers, _NoRedirects(), *deadline_handlers(deadline))

    # -- one image ----------------------------------------------------------------------

    def _data_uri(self, data: bytes) -> str:
        from altbot.caption.pixels import is_photo_format, open_image

        im = open_image(data, max_side=self.max_side)
        buf = io.BytesIO()
        if is_photo_format(data):
            im.save(buf, format="JPEG", quality=90)
            mime = "image/jpeg"
        else:
            im.save(buf, format="PNG", optimize=False)
            mime = "image/png"
        return f"data:{mime};base64,{base64.b64encode(buf.getvalue()).decode('ascii')}"

    def _body(self, prompt: str, data_uri: str) -> dict:
        body = {
            "model": self.model,
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": prompt},
                        {"type": "image_url", "image_url": {"url": data_uri}},
                    ],
                }
            ],
            "temperature": 0,
            "max_tokens": self.max_tokens,
            "stream": False,
        }
        if self.logprobs:
            body["logprobs"] = True
        return body

    def _post(self, body: dict) -> dict:
        headers = {"Content-Type": "application/json", "Accept": "application/json", "User-Agent": "altbot"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        req = urllib.request.Request(
            self.endpoint, data=json.dumps(body).encode("utf-8"), headers=headers, method="POST"
        )
        from altbot.images import read_body

        deadline = time.monotonic() + self.timeout  # the whole request: connect, headers, answer
        try:
            with self._opener(deadline).open(req, timeout=self.timeout) as resp:
                raw = read_body(resp, deadline, MAX_RESPONSE_BYTES)
        except urllib.error.HTTPError as exc:
            if 300 <= exc.code < 400:
                where = " ".join(str(exc.headers.get("Location") or "elsewhere").split())[:200]
                raise _HTTPFailure(
                    exc.code,
                    f"a redirect to {where}, not followed: set the server URL to the address that answers",
                ) from None
            detail = ""
            try:
                detail = exc.read(2000).decode("utf-8", "replace")
                err = json.loads(detail).get("error")
                detail = err.get("message", detail) if isinstance(err, dict) else (err or detail)
            except Exception:  # noqa: BLE001 - the status alone is enough
                pass
            detail = " ".join(str(detail).split())[:300]
            raise _HTTPFailure(exc.code, detail) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError, http.client.HTTPException) as exc:
            why = getattr(exc, "reason", exc)
            if isinstance(why, TimeoutError) or "timed out" in str(why) or time.monotonic() >= deadline:
                raise _Unreachable(f"caption server at {self.url} timed out after {self.timeout:g}s") from None
            raise _Unreachable(f"cannot reach caption server at {self.url}: {why}") from None
        if len(raw) > MAX_RESPONSE_BYTES:
            raise ValueError("bad response from caption server: answer larger than 4 MiB")
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise ValueError(f"bad response from caption server (not JSON: {exc})") from None

    def _ask(self, body: dict) -> dict:
        if self._down is not None:  # the server went away while this request waited its turn
            raise _Unreachable(self._down)
        try:
            return self._post(body)
        except _HTTPFailure as exc:
            if exc.code == 400 and "logprobs" in body:
                self.logprobs = False  # this server does not take the field: ask again without it
                body = {k: v for k, v in body.items() if k != "logprobs"}
                return self._post(body)
            raise
        finally:
            self._asked = True

    def _caption_one(self, request: CaptionRequest) -> Caption:
        def fail(reason: str) -> Caption:
            return self._failed(request, reason)

        from altbot.caption.pixels import ImageDecodeError

        try:
            data_uri = self._data_uri(request.image.data)
        except ImageDecodeError as exc:
            return fail(exc.reason)
        context = "; ".join(f"{k}: {v}" for k, v in request.context) or None
        prompt = alt_text_prompt(request.lang, request.max_length, context)
        try:
            reply = self._ask(self._body(prompt, data_uri))
        except _HTTPFailure as exc:
            return fail(f"caption server returned HTTP {exc.code}" + (f": {exc.detail}" if exc.detail else ""))
        except ValueError as exc:
            return fail(str(exc))
        try:
            choice = reply["choices"][0]
            answer = _content_text(choice["message"]["content"])
        except (KeyError, IndexError, TypeError):
            return fail("bad response from caption server: no choices[0].message.content")
        if answer is None:
            return fail("bad response from caption server: message content is not text")
        answer = answer.strip()
        confidence = confidence_from_logprobs(choice.get("logprobs") if isinstance(choice, dict) else None)
        low = confidence is None or confidence < LOW_CONFIDENCE
        if not answer:
            return fail("no usable caption (empty answer)")
        if _is_decorative(answer):
            return Caption(text="", confidence=confidence, backend=self.name, model=self.model, lang=request.lang,
                           decorative=True, low_confidence=low)  # fmt: skip
        return Caption(text=answer, confidence=confidence, backend=self.name, model=self.model, lang=request.lang,
                       low_confidence=low)  # fmt: skip

    # -- Captioner ------------------------------------------------------------------------

    def caption(self, requests: Sequence[CaptionRequest]) -> list[Caption]:
        return list(self.iter_captions(requests))

    def iter_captions(self, requests: Sequence[CaptionRequest]) -> Iterator[Caption]:
        """One caption per request, in order, each yielded as soon as it and the ones before it are
        answered; up to ``concurrency`` requests are in flight meanwhile."""
        requests = list(requests)
        start = 0
        while start < len(requests) and not self._asked:  # the first request that reaches the server goes alone
            yield self._caption_guarded(requests[start])
            start += 1
        if self.concurrency == 1 or len(requests) - start <= 1:
            for request in requests[start:]:
                yield self._caption_guarded(request)
            return
        yield from self._concurrently(requests[start:])

    def _concurrently(self, requests: list[CaptionRequest]) -> Iterator[Caption]:
        todo: queue.SimpleQueue[int] = queue.SimpleQueue()
        for i in range(len(requests)):
            todo.put(i)
        answered: queue.SimpleQueue[tuple[int, Caption]] = queue.SimpleQueue()
        stop = threading.Event()

        def work() -> None:
            while not stop.is_set():
                try:
                    i = todo.get_nowait()
                except queue.Empty:
                    return
                answered.put((i, self._caption_guarded(requests[i])))

        # daemon threads: an interrupted run exits at once instead of waiting out requests in flight
        for n in range(min(self.concurrency, len(requests))):
            threading.Thread(target=work, name=f"altbot-server-{n}", daemon=True).start()
        early: dict[int, Caption] = {}
        next_up = 0
        try:
            while next_up < len(requests):
                try:
                    i, caption = answered.get(timeout=0.5)  # a timeout, so that Ctrl-C is seen
                except queue.Empty:
                    continue
                early[i] = caption
                while next_up in early:
                    yield early.pop(next_up)
                    next_up += 1
        finally:
            stop.set()  # the consumer stopped early (or was interrupted): start no more requests

    def _caption_guarded(self, request: CaptionRequest) -> Caption:
        """``_caption_one``, with a connection failure turned into the run's one reason."""
        if self._down is not None:
            return self._failed(request, self._down)
        try:
            return self._caption_one(request)
        except _Unreachable as exc:
            with self._lock:
                if self._down is None:
                    self._down = str(exc)
                return self._failed(request, self._down)
        except Exception as exc:  # noqa: BLE001 - in a worker thread an escape would leave its image unanswered
            return self._failed(request, f"server captioner failed: {type(exc).__name__}: {exc}")

    def _failed(self, request: CaptionRequest, reason: str) -> Caption:
        return Caption(text=None, confidence=None, backend=self.name, model=self.model, lang=request.lang,
                       reason=reason)  # fmt: skip


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the 3xx comes back as an HTTPError: a failure with its reason


class _HTTPFailure(Exception):
    def __init__(self, code: int, detail: str) -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail
