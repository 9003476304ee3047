"""src → image bytes: relative to the page, /absolute from the site root and the
static dirs, data: URIs, and (only when the user opts in) remote URLs.

Every failure is a reason the caller reports; nothing here raises for bad input.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from urllib.parse import unquote, unquote_to_bytes

from altbot.config import Config
from altbot.srcs import file_name, is_template

MAX_IMAGE_BYTES = 50 * 1024 * 1024
REMOTE_TIMEOUT_S = 20


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


def candidate_paths(src: str, page_path: str, config: Config) -> list[str]:
    """Local files ``src`` may name, most likely first (absolute paths)."""
    path = unquote(src.split("#", 1)[0].split("?", 1)[0])
    root = os.path.abspath(config.root)
    site_root = os.path.join(root, config.site_root) if config.site_root else root
    statics = [os.path.join(site_root, d) for d in config.static_dirs]
    out: list[str] = []
    if path.startswith("/"):
        rel = path.lstrip("/")
        for prefix in config.url_prefixes:
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


def _remote(url: str) -> ImageData | ImageError:
    import urllib.error
    import urllib.request

    if url.startswith("//"):
        url = "https:" + url
    req = urllib.request.Request(url, headers={"User-Agent": "altbot"})
    try:
        with urllib.request.urlopen(req, timeout=REMOTE_TIMEOUT_S) as resp:  # noqa: S310 (opt-in)
            data = resp.read(MAX_IMAGE_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return ImageError(f"cannot fetch remote image {url}: {getattr(exc, 'reason', exc)}")
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
        return ImageError(f"src {src!r} is a template expression; altbot cannot know which image it is")
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
