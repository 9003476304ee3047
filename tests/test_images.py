"""src → image bytes: page-relative, site root, static dirs, prefixes, data: URIs, opt-in remote."""

from __future__ import annotations

import base64

import pytest

from altbot.config import Config
from altbot.images import ImageData, ImageError, content_key, load_image


@pytest.fixture
def tree(tmp_path):
    files = {
        "content/en/about/team.jpg": b"bundle",
        "content/en/img/rel.png": b"relative",
        "static/images/logo.svg": b"static",
        "public/favicon.png": b"public",
        "assets/x.png": b"assets",
        "root.png": b"root",
    }
    for name, data in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    (tmp_path / "content/en/about/index.md").write_text("")
    return tmp_path


@pytest.mark.parametrize(
    "src, page, expected",
    [
        pytest.param("team.jpg", "content/en/about/index.md", b"bundle", id="page-bundle"),
        pytest.param("../img/rel.png", "content/en/about/index.md", b"relative", id="relative-up"),
        pytest.param("/images/logo.svg", "content/en/about/index.md", b"static", id="hugo-static"),
        pytest.param("/favicon.png", "x.md", b"public", id="astro-public"),
        pytest.param("/root.png", "x.md", b"root", id="site-root"),
        pytest.param("images/logo.svg", "content/en/about/index.md", b"static", id="relative-falls-back-to-static"),
        pytest.param("/images/logo.svg?v=3#frag", "x.md", b"static", id="query-fragment"),
        pytest.param("/docs/images/logo.svg", "x.md", b"static", id="url-prefix"),
        pytest.param("team%2Ejpg", "content/en/about/index.md", b"bundle", id="percent-encoded"),
    ],
)
def test_resolves(tree, src, page, expected):
    cfg = Config(root=tree, url_prefixes=("/docs",))
    got = load_image(src, str(tree / page), cfg)
    assert isinstance(got, ImageData), got
    assert got.data == expected and got.key == content_key(expected)


def test_data_uris(tree):
    cfg = Config(root=tree)
    png = base64.b64encode(b"\x89PNGdata").decode()
    got = load_image(f"data:image/png;base64,{png}", str(tree / "x.md"), cfg)
    assert isinstance(got, ImageData) and got.data == b"\x89PNGdata"
    got = load_image("data:image/svg+xml,%3Csvg%3E%3C/svg%3E", str(tree / "x.md"), cfg)
    assert isinstance(got, ImageData) and got.data == b"<svg></svg>"


@pytest.mark.parametrize(
    "src, fragment",
    [
        pytest.param("https://example.com/a.png", "pass --allow-remote", id="remote-needs-opt-in"),
        pytest.param("//cdn.example.com/a.png", "pass --allow-remote", id="protocol-relative"),
        pytest.param("{{ .Params.image }}", "template expression", id="template"),
        pytest.param("missing.png", "image file not found for missing.png", id="missing"),
        pytest.param("../../../../etc/passwd", "outside the project root", id="outside-root"),
        pytest.param("", "no src", id="empty"),
        pytest.param("ftp://x/a.png", "unsupported URL scheme", id="scheme"),
        pytest.param("data:image/png;base64", "malformed data: URI", id="bad-data-uri"),
    ],
)
def test_errors_are_reasons(tree, src, fragment):
    got = load_image(src, str(tree / "content/en/about/index.md"), Config(root=tree))
    assert isinstance(got, ImageError) and fragment in got.reason
