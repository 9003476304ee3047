"""``server`` backend: a local OpenAI-compatible vision endpoint (Ollama, llama.cpp server, vLLM).

One ``POST {url}/chat/completions`` per image, stdlib ``urllib`` only. Images are
decoded and downscaled locally first (``pixels.open_image``) and sent as a data URI
(JPEG for photos, PNG for graphics), so every server gets a format it can read.

Local by design: a URL whose host is not loopback is refused unless
``allow_remote=True``, and a redirect is never followed (it would take the request, and
the API key, past that check): a 3xx is the image's failure. Each request has a total
deadline, ``timeout``, for connecting and reading the whole answer. No health check at construction: every failure (connection
refused, HTTP 4xx/5xx, bad JSON, undecodable image) becomes that image's
``Caption(text=None, reason=...)``; after a connection failure the rest of the
batch fails fast with the same reason instead of waiting for each timeout.

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
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence

from altbot.caption.base import CaptionerError, CaptionRequest, register
from altbot.caption.prompt import DECORATIVE, alt_text_prompt
from altbot.model import Caption

DEFAULT_URL = "http://127.0.0.1:11434/v1"
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
        model: str = "llava",
        api_key: str | None = None,
        timeout: float = 60,
        max_tokens: int = 80,
        *,
        allow_remote: bool = False,
        max_side: int = 768,
        logprobs: bool = True,
    ) -> None:
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise CaptionerError(f"caption server URL must be http(s)://host[:port]/..., got {url!r}")
        if not allow_remote and not is_loopback_host(parsed.hostname):
            raise CaptionerError(
                f"the server captioner only talks to servers on this machine (127.0.0.1, ::1, localhost); "
                f"{parsed.hostname!r} is not local. Images would leave this computer: pass allow_remote=True "
                f"(allow-remote option of the server backend) to opt in."
            )
        self.url = url.rstrip("/")
        self.endpoint = self.url + "/chat/completions"
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.max_tokens = max_tokens
        self.max_side = max_side
        self.logprobs = logprobs
        # never route loopback traffic through an HTTP(S)_PROXY from the environment
        self._handlers = (
            [] if allow_remote and not is_loopback_host(parsed.hostname) else [urllib.request.ProxyHandler({})]
        )

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
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"bad response from caption server (not JSON: {exc})") from None

    def _ask(self, body: dict) -> dict:
        try:
            return self._post(body)
        except _HTTPFailure as exc:
            if exc.code == 400 and "logprobs" in body and self.logprobs:
                self.logprobs = False  # this server does not take the field: ask again without it
                body = {k: v for k, v in body.items() if k != "logprobs"}
                return self._post(body)
            raise

    def _caption_one(self, request: CaptionRequest) -> Caption:
        def fail(reason: str) -> Caption:
            return Caption(text=None, confidence=None, backend=self.name, model=self.model, lang=request.lang,
                           reason=reason)  # fmt: skip

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
        """One caption per request, in order, each yielded as its answer arrives."""
        down: str | None = None
        for request in requests:
            if down is not None:
                yield Caption(text=None, confidence=None, backend=self.name, model=self.model,
                              lang=request.lang, reason=down)  # fmt: skip
                continue
            try:
                caption = self._caption_one(request)
            except _Unreachable as exc:
                down = str(exc)
                caption = Caption(text=None, confidence=None, backend=self.name, model=self.model,
                                  lang=request.lang, reason=down)  # fmt: skip
            yield caption


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the 3xx comes back as an HTTPError: a failure with its reason


class _HTTPFailure(Exception):
    def __init__(self, code: int, detail: str) -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail
