"""src → image bytes: relative to the page, /absolute from the site root and the
static dirs, data: URIs, and (only when the user opts in) remote URLs.

Every failure is a reason the caller reports; nothing here raises for bad input.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import os
import time
from dataclasses import dataclass
from urllib.parse import unquote, unquote_to_bytes, urljoin

from altbot.config import Config
from altbot.srcs import file_name, is_template, split_url

MAX_IMAGE_BYTES = 50 * 1024 * 1024
REMOTE_TIMEOUT_S = 20  # the whole fetch of one remote image, redirects included
MAX_REDIRECTS = 5
_READ_CHUNK = 64 * 1024


@dataclass(frozen=True)
class ImageData:
    key: str  # sha256 of the bytes: the identity used for dedup, cache and the ledger
    data: bytes
    origin: str  # what was read: a display path, "data:" or the URL
    path: str | None  # absolute local path, when it is a file
    name: str  # file name as the page refers to it (for the file-name captioner)


@dataclass(frozen=True)
class ImageError:
    reason: str


def content_key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def site_paths(page_path: str, config: Config) -> tuple[str, list[str], tuple[str, ...]]:
    """(site root, static dirs, URL prefixes) for a page: the config's when it sets them, else the
    site generator's (its config folder, its static dirs, its base URL's path), else the defaults."""
    root = os.path.abspath(config.root)
    site = config.site.site_for(page_path) if config.site is not None else None
    explicit = config.explicit
    if "site-root" in explicit and config.site_root:
        site_root = os.path.join(root, config.site_root)
    elif site is not None:
        site_root = site.root
    else:
        site_root = os.path.join(root, config.site_root) if config.site_root else root
    if "static-dirs" in explicit or site is None:
        dirs = list(config.static_dirs)
    else:
        dirs = list(dict.fromkeys([*site.static_dirs, *config.static_dirs]))
    statics = [os.path.join(site_root, d) if d else site_root for d in dirs]
    if "url-prefixes" in explicit or site is None or not site.base_path:
        prefixes = config.url_prefixes
    else:
        prefixes = (site.base_path, *config.url_prefixes)
    return site_root, statics, prefixes


def candidate_paths(src: str, page_path: str, config: Config) -> list[str]:
    """Local files ``src`` may name, most likely first (absolute paths)."""
    path = unquote(src.split("#", 1)[0].split("?", 1)[0])
    site_root, statics, prefixes = site_paths(page_path, config)
    out: list[str] = []
    site = config.site.site_for(page_path) if config.site is not None else None
    alias = max((a for a in site.src_aliases if path.startswith(a)), key=len, default=None) if site is not None else None
    if alias is not None:  # the generator's own name for a folder: that file only
        out.append(os.path.join(site.root, site.src_aliases[alias], path[len(alias) :]))
    elif path.startswith("/"):
        rel = path.lstrip("/")
        for prefix in prefixes:
            p = prefix.strip("/") + "/"
            if p != "/" and rel.startswith(p):
                rel = rel[len(p) :]
                break
        out.append(os.path.join(site_root, rel))
        out.extend(os.path.join(s, rel) for s in statics)
    else:
        page_dir = os.path.dirname(os.path.abspath(page_path))
        out.append(os.path.join(page_dir, path))
        # Hugo/Jekyll authors often write "images/x.png" meaning the site's /images/x.png
        out.extend(os.path.join(s, path) for s in statics)
        out.append(os.path.join(site_root, path))
    seen: list[str] = []
    for p in out:
        p = os.path.normpath(p)
        if p not in seen:
            seen.append(p)
    return seen


def resolved_src(src: str, page_path: str, config: Config) -> str | None:
    """The site path a template src stands for, when the generator resolves it statically
    (``{{ "svg/menu.svg" | relURL }}`` → ``/svg/menu.svg``); None when no one can know it."""
    from altbot.site.templates import resolve

    site = config.site.site_for(page_path) if config.site is not None else None
    return resolve(src, site)


def _inside(path: str, root: str) -> bool:
    try:
        root = os.path.realpath(root)
        real = os.path.realpath(path)
    except (ValueError, OSError):  # a NUL or an unresolvable name is never inside
        return False
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _data_uri(src: str) -> ImageData | ImageError:
    header, sep, payload = src.partition(",")
    if not sep:
        return ImageError("malformed data: URI (no comma)")
    try:
        data = base64.b64decode(payload, validate=False) if header.endswith(";base64") else unquote_to_bytes(payload)
    except ValueError as exc:
        return ImageError(f"malformed data: URI ({exc})")
    if len(data) > MAX_IMAGE_BYTES:
        return ImageError("data: URI image is larger than 50 MiB")
    return ImageData(content_key(data), data, "data:", None, "")


# -- opt-in remote fetches -------------------------------------------------------------------------
#
# urllib's timeout bounds each socket operation, not the fetch: a server sending a byte every few
# seconds holds it for ever. The handlers below give every connection of one fetch a monotonic
# deadline: the connect timeout and each read's socket timeout are the time left, so the headers
# and the body together end by the deadline. The caption server's requests use them too.


class _DeadlineReader(io.RawIOBase):
    """The socket of one response, read with the socket timeout set to the time left."""

    def __init__(self, sock, deadline: float) -> None:
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)  # holds the socket open until the response closes
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        self._sock.settimeout(_time_left(self._deadline))
        return self._raw.readinto(buf)

    def close(self) -> None:
        self._raw.close()
        super().close()


def _time_left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("deadline passed")
    return left


class _RefusedRedirect(Exception):
    pass


@functools.lru_cache(maxsize=None)
def _kit():
    """The urllib subclasses, built on first use: urllib.request costs ~35 ms to import, and
    ``altbot check`` never fetches anything."""
    import http.client
    import urllib.request

    class DeadlineResponse(http.client.HTTPResponse):
        def __init__(self, sock, *args, deadline: float, **kwargs) -> None:
            super().__init__(sock, *args, **kwargs)
            self.fp.close()  # the plain file http.client made (closing it leaves the socket open)
            self.fp = io.BufferedReader(_DeadlineReader(sock, deadline))

    class DeadlineMixin:
        deadline: float

        def do_open(self, http_class, req, **kwargs):
            deadline = self.deadline

            def connection(host, timeout=None, **kw):
                conn = http_class(host, timeout=_time_left(deadline), **kw)
                conn.response_class = functools.partial(DeadlineResponse, deadline=deadline)
                create = conn._create_connection

                def create_within(address, timeout=None, source_address=None):
                    sock = create(address, _time_left(deadline), source_address)
                    sock.settimeout(_time_left(deadline))  # what is left for the TLS handshake
                    return sock

                conn._create_connection = create_within
                return conn

            return super().do_open(connection, req, **kwargs)  # type: ignore[misc]

    class DeadlineHTTPHandler(DeadlineMixin, urllib.request.HTTPHandler):
        pass

    class DeadlineHTTPSHandler(DeadlineMixin, urllib.request.HTTPSHandler):
        pass

    class CheckedRedirects(urllib.request.HTTPRedirectHandler):
        """Follows at most MAX_REDIRECTS hops, each held to the rules of the first URL."""

        def _refuse(self, fp, newurl: str, problem: str):
            fp.close()
            raise _RefusedRedirect(f"redirect to {newurl} refused: {problem}")

        def redirect_request(self, req, fp, code, msg, headers, newurl):
            hops = getattr(req, "altbot_hops", 0) + 1
            problem = remote_url_problem(newurl)
            if problem is None and hops > MAX_REDIRECTS:
                problem = f"more than {MAX_REDIRECTS} redirects"
            if problem is not None:
                self._refuse(fp, newurl, problem)
            new = super().redirect_request(req, fp, code, msg, headers, newurl)
            if new is not None:
                new.altbot_hops = hops
            return new

        def http_error_302(self, req, fp, code, msg, headers):
            # urllib turns some schemes away itself, before redirect_request, in words of its own
            target = headers.get("Location") or headers.get("URI")
            if target:
                try:
                    target = urljoin(req.full_url, target)
                except ValueError:
                    pass
                problem = remote_url_problem(target)
                if problem is not None:
                    self._refuse(fp, target, problem)
            return super().http_error_302(req, fp, code, msg, headers)

        http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    return DeadlineHTTPHandler, DeadlineHTTPSHandler, CheckedRedirects


def deadline_handlers(deadline: float) -> list:
    """http and https handlers for ``urllib.request.build_opener`` whose connections all end by
    ``deadline`` (a ``time.monotonic()`` value): connect, headers and body."""
    handlers = []
    for cls in _kit()[:2]:
        h = cls()
        h.deadline = deadline
        handlers.append(h)
    return handlers


def read_body(resp, deadline: float, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of ``resp``, in chunks, stopping at ``deadline`` (TimeoutError)."""
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        _time_left(deadline)
        chunk = resp.read(min(_READ_CHUNK, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def remote_url_problem(url: str) -> str | None:
    """Why ``url`` may not be fetched as a remote image (None: it may): http(s) with a host only.
    The first URL and every redirect hop are held to this."""
    parts = split_url(url)
    if parts is None:
        return "malformed URL (an unclosed [ or a port that is not a number up to 65535)"
    host = parts.hostname
    if parts.scheme.lower() not in ("http", "https"):
        return f"only http and https are fetched, not {parts.scheme + ':' if parts.scheme else 'a relative URL'}"
    if not host:
        return "the URL has no host"
    return None


def _remote(url: str) -> ImageData | ImageError:
    if url.startswith("//"):
        url = "https:" + url
    problem = remote_url_problem(url)
    if problem is not None:
        return ImageError(f"cannot fetch remote image {url}: {problem}")
    import http.client
    import urllib.error
    import urllib.request

    timeout = REMOTE_TIMEOUT_S
    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(_kit()[2](), *deadline_handlers(deadline))
    req = urllib.request.Request(url, headers={"User-Agent": "altbot"})
    try:
        with opener.open(req, timeout=timeout) as resp:  # noqa: S310 (opt-in)
            length = resp.headers.get("Content-Length")
            if length and length.strip().isdigit() and int(length) > MAX_IMAGE_BYTES:
                return ImageError(f"remote image {url} is larger than 50 MiB")
            data = read_body(resp, deadline, MAX_IMAGE_BYTES)
    except _RefusedRedirect as exc:
        return ImageError(f"cannot fetch remote image {url}: {exc}")
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
        why = getattr(exc, "reason", exc)
        if isinstance(why, TimeoutError) or time.monotonic() >= deadline:
            why = f"timed out (a remote image gets {timeout:g}s in all)"
        return ImageError(f"cannot fetch remote image {url}: {why}")
    if len(data) > MAX_IMAGE_BYTES:
        return ImageError(f"remote image {url} is larger than 50 MiB")
    return ImageData(content_key(data), data, url, None, file_name(url))


def load_image(
    src: str | None, page_path: str, config: Config, *, allow_remote: bool = False
) -> ImageData | ImageError:
    """Read the image a page refers to. ``page_path`` is the page's absolute path."""
    if src is None or not src.strip():
        return ImageError("the image has no src")
    src = src.strip()
    if is_template(src):
        static = resolved_src(src, page_path, config)
        if static is None:
            return ImageError(f"src {src!r} is a template expression; altbot cannot know which image it is")
        src = static
    low = src.lower()
    if low.startswith("data:"):
        return _data_uri(src)
    if low.startswith(("http://", "https://", "//")):
        if not allow_remote:
            return ImageError(f"remote image {src} is not fetched; pass --allow-remote to fetch it")
        return _remote(src)
    if ":" in src.split("/", 1)[0]:
        return ImageError(f"unsupported URL scheme in {src!r}")
    if "\x00" in unquote(src):
        return ImageError(f"src {src!r} contains a NUL character; no file can have that name")
    from altbot.files import NotRegularFile, TooLarge, read_regular

    root = os.path.abspath(config.root)
    tried = []
    for path in candidate_paths(src, page_path, config):
        if not _inside(path, root):
            continue
        tried.append(path)
        if not os.path.lexists(path) or os.path.isdir(path):
            continue
        try:
            data = read_regular(path, MAX_IMAGE_BYTES)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            continue
        except NotRegularFile as exc:
            return ImageError(f"{path} is {exc.strerror}, not an image file")
        except TooLarge:
            return ImageError(f"{path} is larger than 50 MiB")
        except OSError as exc:
            return ImageError(f"cannot read {path}: {exc.strerror or exc}")
        return ImageData(content_key(data), data, path, path, file_name(src))
    if not tried:
        return ImageError(f"{src} points outside the project root {root}")
    shown = ", ".join(os.path.relpath(p) for p in tried[:4])
    return ImageError(
        f"image file not found for {src} (looked in {shown}); set `site-root`/`static-dirs` in [tool.altbot]"
    )
