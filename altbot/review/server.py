"""The review page's local web server: a Starlette app behind its guards, run by uvicorn.

Guards, in front of every route (``Guard``):

* bound to 127.0.0.1 only; a Host header other than ``127.0.0.1:PORT``,
  ``localhost:PORT`` or ``[::1]:PORT`` is refused with 403 (DNS rebinding);
* every request needs the run's random token (``?token=`` on GET, the
  ``X-Altbot-Token`` header or a ``token`` form field on POST), compared in
  constant time; without it, 403, whatever the path;
* a cross-site request (``Origin`` of another site, ``Sec-Fetch-Site: cross-site``) is refused;
* changes are made by POST only; GET never changes anything;
* every response carries a strict Content-Security-Policy (scripts and styles
  from altbot itself, nothing from the network), ``nosniff`` and ``no-referrer``.
"""

from __future__ import annotations

import hmac
import secrets
import socket
import sys
from collections.abc import Callable
from importlib import resources
from urllib.parse import parse_qs, urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse as _HTMLResponse
from starlette.responses import JSONResponse as _JSONResponse
from starlette.responses import PlainTextResponse as _PlainTextResponse
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from altbot.files import shown_surrogates
from altbot.images import ImageError
from altbot.plan import DecisionError
from altbot.review.session import DEFAULT_FILTER, FILTERS, MAX_TEXT, Card, ReviewError, ReviewSession
from altbot.review.thumbs import SIZES, Thumb, ThumbCache

PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
MAX_BODY = 64 * 1024
STATIC = {"review.css": "text/css; charset=utf-8", "review.js": "text/javascript; charset=utf-8", "favicon.svg": "image/svg+xml"}
TOKEN_HEADER = "x-altbot-token"


# A file name that is not UTF-8 reaches the page as lone surrogates (``os.fsdecode``), which
# no UTF-8 response can hold: each is shown as the text ``\xff`` instead of failing the page.
class _ShownText:
    def render(self, content) -> bytes:
        return super().render(shown_surrogates(content) if isinstance(content, str) else content)  # type: ignore[misc]


class HTMLResponse(_ShownText, _HTMLResponse):
    pass


class PlainTextResponse(_ShownText, _PlainTextResponse):
    pass


class JSONResponse(_JSONResponse):
    def render(self, content) -> bytes:
        import json

        text = json.dumps(content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"))
        return shown_surrogates(text, backslash="\\\\").encode("utf-8")


APPLICABILITY_TEXT = {
    "safe": "the author's or a reviewer's word: written",
    "review": "fix --write would write it, flagged for review",
    "display-only": "shown only: written once you accept it",
}


def allowed_hosts(port: int) -> frozenset[str]:
    return frozenset(f"{h}:{port}" for h in ("127.0.0.1", "localhost", "[::1]"))


def _refuse(why: str) -> Response:
    return PlainTextResponse(f"403 Forbidden: {why}\n", status_code=403, headers={"cache-control": "no-store"})


class Guard:
    """ASGI middleware: the Host, origin and token checks, and the security headers, for every request."""

    def __init__(self, app, token: str, port: int) -> None:
        self.app = app
        self.token = token.encode()
        self.hosts = allowed_hosts(port)
        self.origins = frozenset(f"http://{h}" for h in self.hosts)

    def _token_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode("utf-8", "replace"), self.token)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":  # no websockets, no lifespan: nothing else is served
            if scope["type"] == "lifespan":
                return await self.app(scope, receive, send)
            return
        send = _with_headers(send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "").lower()
        if host not in self.hosts:
            return await _refuse(
                f"Host {host or '(none)'!r} is not this server (only 127.0.0.1, localhost or [::1] with its port); "
                "open the URL altbot review printed"
            )(scope, receive, send)
        origin = headers.get("origin")
        if (origin is not None and origin.lower() not in self.origins) or headers.get("sec-fetch-site") == "cross-site":
            return await _refuse("a request from another site")(scope, receive, send)
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        method = scope["method"]
        if method != "POST":
            if not self._token_ok((query.get("token") or [None])[0] or headers.get(TOKEN_HEADER)):
                return await _refuse("this page needs the token in the URL altbot review printed")(scope, receive, send)
            if method not in ("GET", "HEAD"):
                return await PlainTextResponse("405 Method Not Allowed\n", status_code=405, headers={"allow": "GET, POST"})(
                    scope, receive, send
                )
            return await self.app(scope, receive, send)
        body = b""
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > MAX_BODY:
                if not self._token_ok(headers.get(TOKEN_HEADER)):  # too big to look for the token in it
                    return await _refuse("a change needs the token of this review")(scope, receive, send)
                return await PlainTextResponse("413 Request body too large\n", status_code=413)(scope, receive, send)
        given = headers.get(TOKEN_HEADER)
        if given is None:
            ctype = headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype == "application/x-www-form-urlencoded":
                given = (parse_qs(body.decode("utf-8", "replace")).get("token") or [None])[0]
        if not self._token_ok(given):
            return await _refuse("a change needs the token of this review (header X-Altbot-Token or form field token)")(
                scope, receive, send
            )
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)


def _with_headers(send):
    async def wrapped(message) -> None:
        if message["type"] == "http.response.start":
            hdrs = list(message.get("headers", []))
            names = {k.lower() for k, _ in hdrs}
            for k, v in SECURITY_HEADERS:
                if k not in names:
                    hdrs.append((k, v))
            if b"content-security-policy" not in names:
                hdrs.append((b"content-security-policy", PAGE_POLICY.encode()))
            if b"cache-control" not in names:
                hdrs.append((b"cache-control", b"no-store"))
            message = {**message, "headers": hdrs}
        await send(message)

    return wrapped


def source_lines(card: Card) -> list[tuple[int, list[tuple[str, bool]]]]:
    """The excerpt as numbered lines of (text, is the image's markup) pieces."""
    ex = card.excerpt
    lines: list[tuple[int, list[tuple[str, bool]]]] = [(ex.first_line, [])]
    for piece, mark in ((ex.before, False), (ex.element, True), (ex.after, False)):
        parts = piece.split("\n")
        for i, part in enumerate(parts):
            if i:
                lines.append((lines[-1][0] + 1, []))
            if part:
                lines[-1][1].append((part, mark))
    while len(lines) > 1 and not lines[-1][1]:
        lines.pop()
    return lines


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("altbot.review", "templates"),
        autoescape=True,  # alt text, paths and page source are untrusted input
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(FILTERS=FILTERS, APPLICABILITY_TEXT=APPLICABILITY_TEXT, source_lines=source_lines, SIZES=SIZES, MAX_TEXT=MAX_TEXT)
    return env


def _static(name: str) -> bytes:
    return resources.files("altbot.review").joinpath("static", name).read_bytes()


def create_app(session: ReviewSession, token: str, port: int, on_finish: Callable[[], None] | None = None):
    """The review app for ``session``, guarded for ``http://127.0.0.1:port/?token=…``."""
    env = _environment()
    thumbs = ThumbCache()
    static = {name: _static(name) for name in STATIC}
    plan = session.plan

    def url(**params) -> str:
        return "/?" + urlencode({"token": token, **{k: v for k, v in params.items() if v is not None}})

    def wants_json(request: Request) -> bool:
        return "application/json" in request.headers.get("accept", "")

    async def form(request: Request) -> dict[str, str]:
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype != "application/x-www-form-urlencoded":
            return {}
        raw = (await request.body()).decode("utf-8", "replace")
        return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}

    def problem(request: Request, message: str, status: int = 400, back: str | None = None) -> Response:
        if wants_json(request):
            return JSONResponse({"error": message}, status_code=status)
        if back is not None:
            session.flash.append(("error", message))
            return RedirectResponse(back, status_code=303)
        return PlainTextResponse(message + "\n", status_code=status)

    def back_url(fields: dict[str, str], pid: int | None = None) -> str:
        key = fields.get("filter") if fields.get("filter") in FILTERS else DEFAULT_FILTER
        try:
            number = max(1, int(fields.get("page", "1")))
        except ValueError:
            number = 1
        return url(filter=key, page=number) + (f"#p-{pid}" if pid is not None else "")

    def finished_response(request: Request) -> Response:
        message = "This review has finished; run altbot review again to review more."
        return problem(request, message, 409)

    async def index(request: Request) -> Response:
        if session.finished:
            return HTMLResponse(env.get_template("finished.html").render(code=session.exit_code))
        key = request.query_params.get("filter", DEFAULT_FILTER)
        if key not in FILTERS:
            return PlainTextResponse(f"unknown filter {key!r}; one of {', '.join(FILTERS)}\n", status_code=400)
        try:
            number = int(request.query_params.get("page", "1"))
        except ValueError:
            return PlainTextResponse("page must be a number\n", status_code=400)
        page = session.page(key, number)
        flash, session.flash = session.flash, []
        html = env.get_template("page.html").render(
            page=page,
            token=token,
            url=url,
            flash=flash,
            session=session,
            files=len(plan.files),
            total=page.counts["all"],
            ledger=plan.config.ledger,
        )
        return HTMLResponse(html)

    async def static_file(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in static:
            return PlainTextResponse("not found\n", status_code=404)
        return Response(static[name], media_type=STATIC[name], headers={"cache-control": "no-cache"})

    async def thumb(request: Request) -> Response:
        try:
            pid = int(request.path_params["pid"])
            size = int(request.query_params.get("size", str(SIZES[0])))
        except ValueError:
            return PlainTextResponse("bad thumbnail request\n", status_code=400)
        if size not in SIZES:
            return PlainTextResponse(f"size must be one of {', '.join(map(str, SIZES))}\n", status_code=400)
        try:
            p = plan.proposal(pid)
        except DecisionError as exc:
            return PlainTextResponse(f"{exc}\n", status_code=404)
        got = thumbs.get(p.image_hash, size) if p.image_hash else None
        if got is None:
            data = await run_in_threadpool(plan.load_image, pid)
            if isinstance(data, ImageError):
                return PlainTextResponse(f"no preview: {data.reason}\n", status_code=404)
            got = await run_in_threadpool(thumbs.make, p.image_hash or data.key, data.data, size)
        if not isinstance(got, Thumb):
            return PlainTextResponse(f"no preview: {got}\n", status_code=404)
        headers = {"cache-control": "private, max-age=3600"}
        if got.policy:
            headers["content-security-policy"] = got.policy
        if got.encoding:
            headers["content-encoding"] = got.encoding
        return Response(got.body, media_type=got.media_type, headers=headers)

    def payload(card: Card) -> dict:
        # the parts of a card a decision changes, rendered here (escaped) so the page need not
        return {**card.as_json(), "facts_html": env.get_template("meta.html").render(p=card.proposal)}

    def card_json(card: Card, message: str) -> dict:
        return {
            "card": payload(card),
            "message": message,
            "counts": session.counts(),
            "unwritten": session.unwritten_count,
        }

    async def decide(request: Request) -> Response:
        fields = await form(request)
        if session.finished:
            return finished_response(request)
        try:
            pid = int(fields.get("id", ""))
        except ValueError:
            return problem(request, "which proposal? (id must be a number)")
        back = back_url(fields, pid)
        action = fields.get("action", "")
        try:
            if action == "undo":
                card = session.undo(pid)
                message = f"Undone: {card.heading} is back as it was."
            else:
                card = session.decide(pid, action, fields.get("text"))
                message = f"{card.heading}: {card.state_text}"
        except (DecisionError, ReviewError) as exc:
            return problem(request, str(exc), back=back)
        if wants_json(request):
            return JSONResponse(card_json(card, message))
        session.flash.append(("status", message))
        return RedirectResponse(back, status_code=303)

    async def undo(request: Request) -> Response:
        fields = await form(request)
        fields["action"] = "undo"
        if session.finished:
            return finished_response(request)
        try:
            pid = int(fields.get("id", ""))
        except ValueError:
            return problem(request, "which proposal? (id must be a number)")
        try:
            card = session.undo(pid)
        except DecisionError as exc:
            return problem(request, str(exc), back=back_url(fields, pid))
        message = f"Undone: {card.heading} is back as it was."
        if wants_json(request):
            return JSONResponse(card_json(card, message))
        session.flash.append(("status", message))
        return RedirectResponse(back_url(fields, pid), status_code=303)

    async def write(request: Request) -> Response:
        fields = await form(request)
        if session.finished:
            return finished_response(request)
        before = set(session.unwritten)
        report = session.write()
        if wants_json(request):
            cards = {}
            for pid in before:
                cards[str(pid)] = payload(session.card(pid))
            return JSONResponse({**report.as_json(), "cards": cards, "counts": session.counts(), "unwritten": session.unwritten_count})
        session.flash.append(("status", report.message))
        for path, why in report.failed.items():
            session.flash.append(("error", f"Not written: {path}: {why}"))
        for e in report.errors:
            session.flash.append(("error", e))
        return RedirectResponse(back_url(fields), status_code=303)

    async def finish(request: Request) -> Response:
        await form(request)
        code = session.finish()
        task = BackgroundTask(on_finish) if on_finish is not None else None
        if wants_json(request):
            return JSONResponse({"finished": True, "exit_code": code}, background=task)
        return HTMLResponse(env.get_template("finished.html").render(code=code), background=task)

    routes = [
        Route("/", index, methods=["GET"]),
        Route("/static/{name}", static_file, methods=["GET"]),
        Route("/thumb/{pid}", thumb, methods=["GET"]),
        Route("/decide", decide, methods=["POST"]),
        Route("/undo", undo, methods=["POST"]),
        Route("/write", write, methods=["POST"]),
        Route("/finish", finish, methods=["POST"]),
    ]
    app = Starlette(routes=routes)
    return Guard(app, token, port)


class ListenError(OSError):
    """The review server cannot listen on the port asked for."""


def listen(port: int = 0) -> socket.socket:
    """A socket bound to 127.0.0.1:``port`` (0: any free port), listening."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise ListenError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    return sock


def open_in_browser(link: str) -> None:
    """Open the page in the user's browser, unless there is only a terminal (a text browser
    would fight the server for it): then say to open it by hand."""
    import os
    import threading
    import webbrowser

    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("BROWSER")):
        print("altbot: no graphical browser found; open the URL above in your browser", file=sys.stderr)
        return
    threading.Thread(target=webbrowser.open, args=(link,), daemon=True).start()


def serve(
    session: ReviewSession,
    *,
    port: int = 0,
    open_browser: bool = True,
    out=None,
    token: str | None = None,
) -> bool:
    """Serve the review page until the reviewer finishes (True) or the server is stopped (False).

    Prints the page's URL, one line, to ``out`` (stdout) as soon as the port is bound.
    """
    import uvicorn

    out = out or sys.stdout
    sock = listen(port)
    port = sock.getsockname()[1]
    token = token or secrets.token_urlsafe(32)
    server: uvicorn.Server | None = None

    def stop() -> None:
        if server is not None:
            server.should_exit = True

    app = create_app(session, token, port, on_finish=stop)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", log_config=None, server_header=False)
    server = uvicorn.Server(config)
    link = f"http://127.0.0.1:{port}/?token={token}"
    out.write(link + "\n")
    out.flush()
    if open_browser:
        open_in_browser(link)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    return session.finished
