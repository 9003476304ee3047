"""`altbot review` without a browser (issue 14): the plan's undo, excerpt and repeated
writes; the review session's semantics; the server's guards (token, Host, origin,
POST-only, headers), thumbnails, escaping and pagination, through Starlette's
TestClient. The browser itself is driven in test_review_browser.py."""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

from altbot.plan import DecisionError
from tests.conftest import described_photo, photo

pytest.importorskip("starlette", reason="altbot review needs the review extra: pip install 'altbot[review]'")

from starlette.testclient import TestClient  # noqa: E402

from altbot.review.server import create_app  # noqa: E402
from altbot.review.session import ReviewSession  # noqa: E402

from tests.test_review_plan import INDEX, POST, by_place, ledger, plan_of, tree  # noqa: E402,F401 - tree is a fixture

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "test-token-0123456789"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"


# -- the session: what "Write accepted" writes, and the exit code ------------------------------


def test_write_accepted_writes_only_what_the_reviewer_decided(tree):
    plan = plan_of()
    ids = by_place(plan)
    s = ReviewSession(plan)
    s.decide(ids[("index.html", 3)], "accept", "  Boats\n at   dawn ")  # an edit: one line
    s.decide(ids[("index.html", 4)], "accept", "A red bicycle")  # no proposal: the reviewer's own
    s.decide(ids[("post.md", 6)], "decorative")
    s.decide(ids[("post.md", 8)], "reject")
    # index.html:5 (team.png) has a machine proposal nobody looked at: fix --write would write it; review does not
    report = s.write()
    assert report.ok and report.written == ["index.html"]
    assert (tree / "index.html").read_bytes() == INDEX.replace(
        '<img src="harbour.png">', '<img src="harbour.png" alt="Boats at dawn">'
    ).replace('<img src="red-bicycle.png">', '<img src="red-bicycle.png" alt="A red bicycle">').encode()
    assert (tree / "post.md").read_text() == POST  # Markdown decorative: the ledger, not the file
    assert ledger(tree) == [
        ("index.html", "harbour.png", "reviewed", "Boats at dawn"),
        ("index.html", "red-bicycle.png", "reviewed", "A red bicycle"),
        ("post.md", "harbour.png", "decorative", None),
        ("post.md", "red-bicycle.png", "rejected", None),
    ]
    pending = s.card(ids[("index.html", 5)])
    assert pending.state == "pending" and plan.proposal(pending.id).will_write  # still a proposal after the write
    assert s.finish() == 1  # it stays open: a finding remains
    # the next review proposes none of the decided ones again
    again = plan_of()
    left = {(p.path, p.line): p for p in again.proposals}
    assert left[("post.md", 8)].reason == "suggestion rejected in the ledger"
    # decorative Markdown in the ledger is no finding any more; accepted alt text is in the file
    assert ("post.md", 6) not in left and ("index.html", 3) not in left and ("index.html", 4) not in left


def test_accept_with_the_proposed_text_keeps_the_machine_label_and_an_edit_makes_it_the_reviewers(tree):
    plan = plan_of()
    ids = by_place(plan)
    s = ReviewSession(plan)
    same = s.decide(ids[("index.html", 3)], "accept", "Fishing boats in the harbour at dawn")
    assert same.proposal.machine_written and same.proposal.backend == "metadata" and same.proposal.applicability.value == "safe"
    edited = s.decide(ids[("index.html", 5)], "accept", "The team, 2024")
    assert not edited.proposal.machine_written and edited.proposal.backend == "reviewer"
    with pytest.raises(DecisionError, match="empty alt text"):
        s.decide(ids[("index.html", 5)], "accept", "   ")
    with pytest.raises(DecisionError, match="write the alt text"):
        s.decide(ids[("index.html", 4)], "accept", "")
    with pytest.raises(ValueError, match="control characters"):
        s.decide(ids[("index.html", 4)], "accept", "a\x00b")


def test_finish_after_writing_everything_exits_0(tree):
    plan = plan_of()
    s = ReviewSession(plan)
    for p in plan.proposals:
        s.decide(p.id, "accept", p.alt or "A red bicycle")
    assert s.write().ok
    assert s.finish() == 0
    assert s.finish() == 0  # finishing twice is the same finish


def test_finish_with_decisions_not_written_exits_1(tree):
    plan = plan_of()
    s = ReviewSession(plan)
    for p in plan.proposals:
        s.decide(p.id, "accept", p.alt or "A red bicycle")
    assert s.finish() == 1
    assert (tree / "index.html").read_text() == INDEX


def test_interactive_and_review_share_the_one_decision_path(tree, tmp_path_factory, monkeypatch, capsys):
    """The same answers in fix --interactive and on the review page give the same bytes and ledger."""
    from altbot.cli import main

    twin = tmp_path_factory.mktemp("twin")
    for name in os.listdir(tree):
        src = tree / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, twin / name)
    # in order: index.html:3 accept, :4 edit, :5 reject; post.md:6 decorative, :8 skip
    monkeypatch.setenv("ALTBOT_INTERACTIVE_PIPE", "1")
    monkeypatch.setattr("sys.stdin", io.StringIO("a\ne\nA red bicycle\nr\nd\ns\n"))
    assert main(["fix", ".", "--interactive", "--captioner", "metadata", "--no-cache"]) == 1
    capsys.readouterr()
    monkeypatch.chdir(twin)
    plan = plan_of()
    ids = by_place(plan)
    s = ReviewSession(plan)
    s.decide(ids[("index.html", 3)], "accept", "Fishing boats in the harbour at dawn")
    s.decide(ids[("index.html", 4)], "accept", "A red bicycle")
    s.decide(ids[("index.html", 5)], "reject")
    s.decide(ids[("post.md", 6)], "decorative")
    s.decide(ids[("post.md", 8)], "skip")
    assert s.write().ok and s.finish() == 1
    for name in ("index.html", "post.md"):
        assert (twin / name).read_bytes() == (tree / name).read_bytes()
    assert ledger(twin) == ledger(tree) and len(ledger(tree)) == 4


# -- the server: guards ------------------------------------------------------------------------


@pytest.fixture
def client(tree):
    session = ReviewSession(plan_of())
    finished = []
    app = create_app(session, TOKEN, PORT, on_finish=lambda: finished.append(True))
    c = TestClient(app, base_url=BASE)
    c.session_ = session
    c.finished_ = finished
    return c


ROUTES = [
    ("GET", "/"),
    ("GET", "/static/review.js"),
    ("GET", "/static/review.css"),
    ("GET", "/thumb/0"),
    ("GET", "/no/such/page"),
    ("GET", "/favicon.ico"),
    ("POST", "/decide"),
    ("POST", "/undo"),
    ("POST", "/write"),
    ("POST", "/finish"),
]


@pytest.mark.parametrize("method,path", ROUTES)
def test_every_request_without_the_token_is_refused(client, method, path):
    for suffix in ("", "?token=", "?token=wrong", f"?token={TOKEN[:-1]}"):
        r = client.request(method, path + suffix, data={"id": "0", "action": "accept"} if method == "POST" else None)
        assert r.status_code == 403, (path, suffix)
        assert "token" in r.text
        assert r.headers["x-content-type-options"] == "nosniff"
    assert client.session_.unwritten == set() and not client.finished_


@pytest.mark.parametrize("method,path", ROUTES[:4])
def test_the_token_opens_each_route(client, method, path):
    r = client.request(method, f"{path}?token={TOKEN}")
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(
    "host,ok",
    [
        (f"127.0.0.1:{PORT}", True),
        (f"localhost:{PORT}", True),
        (f"[::1]:{PORT}", True),
        (f"LOCALHOST:{PORT}", True),
        ("127.0.0.1", False),
        (f"127.0.0.1:{PORT + 1}", False),
        (f"evil.example:{PORT}", False),
        (f"127.0.0.1.nip.io:{PORT}", False),
        (f"localhost.:{PORT}", False),
        ("", False),
    ],
)
def test_a_host_header_other_than_loopback_with_the_port_is_refused(client, host, ok):
    r = client.get(f"/?token={TOKEN}", headers={"host": host})
    assert (r.status_code == 200) is ok, (host, r.status_code)
    if not ok:
        assert r.status_code == 403 and "Host" in r.text
    r = client.post("/decide", headers={"host": host, "x-altbot-token": TOKEN}, data={"id": "0", "action": "reject"})
    assert (r.status_code != 403) is ok
    if not ok:
        assert client.session_.plan.decision(0) is None


def test_changes_are_made_by_post_only(client):
    for path in ("/decide", "/undo", "/write", "/finish"):
        r = client.get(f"{path}?token={TOKEN}&id=0&action=accept")
        assert r.status_code == 405, path
    for method in ("PUT", "DELETE", "PATCH", "OPTIONS"):
        assert client.request(method, "/decide").status_code == 403
        assert client.request(method, f"/decide?token={TOKEN}").status_code == 405
    assert client.session_.plan.decision(0) is None and not client.finished_
    assert not (client.session_.plan.config.root / ".altbot").exists()


def test_post_with_the_token_in_a_header_or_a_form_field(client):
    r = client.post("/decide", headers={"x-altbot-token": TOKEN, "accept": "application/json"}, data={"id": "0", "action": "reject"})
    assert r.status_code == 200 and r.json()["card"]["state"] == "rejected"
    r = client.post("/decide", data={"token": TOKEN, "id": "0", "action": "skip", "filter": "all", "page": "1"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/?token={TOKEN}&filter=all&page=1#p-0")
    assert client.session_.plan.decision(0) == "skip"
    r = client.post("/decide?token=" + TOKEN, data={"id": "0", "action": "accept"})
    assert r.status_code == 403  # a token in the query string does not authorise a change


def test_the_forms_work_without_javascript(client, tree):
    form = {"token": TOKEN, "filter": "all", "page": "1"}
    r = client.post("/decide", data={**form, "id": "0", "action": "accept", "text": "Boats at dawn"}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get(r.headers["location"].split("#")[0]).text
    assert "index.html:3: Accepted: “Boats at dawn”" in page  # the flash, once
    assert "index.html:3: Accepted" not in client.get(f"/?token={TOKEN}&filter=all").text.split("<main", 1)[1].split("</div>", 1)[0]
    r = client.post("/decide", data={**form, "id": "0", "action": "undo"}, follow_redirects=False)
    assert r.status_code == 303 and client.session_.plan.decision(0) is None
    client.post("/decide", data={**form, "id": "0", "action": "accept", "text": "Boats at dawn"})
    r = client.post("/write", data=form, follow_redirects=False)
    assert r.status_code == 303 and 'alt="Boats at dawn"' in (tree / "index.html").read_text()
    assert "Wrote 1 file: index.html" in client.get(r.headers["location"]).text
    r = client.post("/finish", data={"token": TOKEN})
    assert r.status_code == 200 and "Review finished" in r.text and client.finished_ == [True]
    assert client.post("/decide", data={**form, "id": "1", "action": "skip"}).status_code == 409
    assert "Review finished" in client.get(f"/?token={TOKEN}").text


def test_a_cross_site_request_is_refused_even_with_the_token(client):
    headers = {"x-altbot-token": TOKEN}
    assert client.post("/decide", headers={**headers, "origin": "http://evil.example"}, data={"id": "0", "action": "reject"}).status_code == 403
    assert client.post("/decide", headers={**headers, "sec-fetch-site": "cross-site"}, data={"id": "0", "action": "reject"}).status_code == 403
    assert client.session_.plan.decision(0) is None
    ok = client.post("/decide", headers={**headers, "origin": BASE, "accept": "application/json"}, data={"id": "0", "action": "reject"})
    assert ok.status_code == 200


def test_security_headers_and_no_asset_from_elsewhere(client):
    r = client.get(f"/?token={TOKEN}&filter=all")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert r.headers["referrer-policy"] == "no-referrer" and r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["cache-control"] == "no-store"
    import re

    refs = re.findall(r'(?:src|href|action)="([^"]*)"', r.text)
    assert refs
    for ref in refs:
        assert ref.startswith(("/", "#")), ref  # every asset is altbot's own: no CDN, no other host
        if ref.startswith("/") and not ref.startswith(("/decide", "/write", "/finish", "/undo")):
            assert f"token={TOKEN}" in ref
    assert "<script>" not in r.text and " style=" not in r.text  # nothing inline for the CSP to allow


def test_bad_requests_get_a_clear_message(client):
    h = {"x-altbot-token": TOKEN, "accept": "application/json"}
    assert client.post("/decide", headers=h, data={"id": "x", "action": "accept"}).json()["error"].startswith("which proposal")
    assert "no proposal 999" in client.post("/decide", headers=h, data={"id": "999", "action": "accept"}).json()["error"]
    assert "unknown action" in client.post("/decide", headers=h, data={"id": "0", "action": "maybe"}).json()["error"]
    assert "nothing to undo" in client.post("/undo", headers=h, data={"id": "0"}).json()["error"]
    assert client.get(f"/?token={TOKEN}&filter=nope").status_code == 400
    assert client.get(f"/?token={TOKEN}&page=x").status_code == 400
    assert client.get(f"/thumb/0?token={TOKEN}&size=99999").status_code == 400
    assert client.post("/decide", headers=h, data={"id": "0", "action": "accept", "text": "x" * 70000}).status_code == 413
    assert client.post("/decide", data={"id": "0", "action": "accept", "text": "x" * 70000}).status_code == 403
    assert "longer than 2000" in client.post("/decide", headers=h, data={"id": "0", "action": "accept", "text": "x" * 2001}).json()["error"]


# -- the page ----------------------------------------------------------------------------------


def test_page_shows_every_part_of_a_card(client):
    html = client.get(f"/?token={TOKEN}&filter=all").text
    assert html.count("<article") == len(client.session_.plan.proposals) == 5
    for needle in (
        "index.html</span>:3",  # page path and line
        "<mark>&lt;img src=&#34;harbour.png&#34;&gt;</mark>",  # the source around it
        "&lt;p&gt;Our harbour&lt;/p&gt;",
        "Context given to the captioner",
        "Verdict",
        "informative",
        "captioned by metadata",  # the reasons
        "Machine-written",
        '<label class="alt-label" for="alt-0">Alt text</label>',
        ">Fishing boats in the harbour at dawn</textarea>",
        "36 of 125 characters",
        ">Accept</button>",
        ">Decorative</button>",
        ">Reject</button>",
        ">Skip</button>",
        "Keyboard shortcuts",
    ):
        assert needle in html, needle
    assert html.count(">Write accepted</button>") == 1
    assert 'loading="lazy"' in html


def test_context_pairs_are_shown(tree):
    (tree / "index.html").write_text('<html lang="en"><a href="/port/history">The old port <img src="harbour.png"></a></html>')
    (tree / "post.md").unlink()
    plan = plan_of()
    assert plan.proposals[0].context, "the captioner is told where the link goes"
    c = TestClient(create_app(ReviewSession(plan), TOKEN, PORT), base_url=BASE)
    html = c.get(f"/?token={TOKEN}&filter=all").text
    for k, v in plan.proposals[0].context:
        assert f'<dt>{k}</dt><dd lang="en">{v}</dd>' in html


def test_untrusted_text_is_escaped(tree):
    evil = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    described_photo(tree / "harbour.png", evil, 1)
    (tree / "index.html").write_text(f'<html lang="en"><!-- {evil} -->\n<img src="harbour.png" title="{evil[2:]}">\n</html>')
    plan = plan_of(max_length=200)
    c = TestClient(create_app(ReviewSession(plan), TOKEN, PORT), base_url=BASE)
    html = c.get(f"/?token={TOKEN}&filter=all").text
    assert "<script>alert" not in html and "onerror=alert(2)>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "name, shown",
    [
        (b"index.html", "index.html"),  # no change: a plain name
        (b"caf\xc3\xa9 menu.html", "café menu.html"),  # UTF-8 and a space: shown as they are
        (b"ind\xffex.html", "ind\\xffex.html"),  # not UTF-8: its byte shown as the text \xff
        (b"\xe9t\xe9.html", "\\xe9t\\xe9.html"),  # Latin-1, two bytes
    ],
)
def test_a_page_whose_name_is_not_utf8_is_reviewed_and_written(tree, name, shown):
    os.rename(tree / "index.html", os.fsdecode(name))
    plan = plan_of()
    pid = next(p.id for p in plan.proposals if p.line == 3 and p.path.endswith(".html"))
    c = TestClient(create_app(ReviewSession(plan), TOKEN, PORT), base_url=BASE)
    page = c.get(f"/?token={TOKEN}&filter=all")
    assert page.status_code == 200, page.text  # was a 500: the page could not encode the name
    page.content.decode("utf-8")  # strict: the page is valid UTF-8
    assert f'<span class="path">{shown}</span>:3' in page.text
    headers = {"accept": "application/json", "x-altbot-token": TOKEN, "origin": BASE}
    got = c.post("/decide", data={"id": str(pid), "action": "accept", "text": "Boats"}, headers=headers)
    assert got.status_code == 200 and json.loads(got.content.decode("utf-8"))["card"]["state"] == "accepted"
    wrote = c.post("/write", headers=headers)
    assert wrote.status_code == 200, wrote.text
    assert json.loads(wrote.content.decode("utf-8"))["written"] == [shown]
    # the file with the real name was written, and the ledger keeps the real name
    assert b'<img src="harbour.png" alt="Boats">' in (tree / os.fsdecode(name)).read_bytes()
    assert [d[0] for d in ledger(tree)] == [os.fsdecode(name)]


def test_thumbnails_are_downscaled_cached_and_svg_is_locked_down(tree):
    from PIL import Image

    Image.frombytes("RGB", (1600, 1200), os.urandom(1600 * 1200 * 3)).save(tree / "big.png")
    Image.new("RGB", (900, 600), (200, 30, 30)).save(tree / "photo.jpg", quality=90)
    (tree / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>')
    (tree / "index.html").write_text('<html lang="en"><img src="big.png"><img src="photo.jpg"><img src="logo.svg"><img src="gone.png"></html>')
    plan = plan_of(captioner="filename")
    session = ReviewSession(plan)
    from altbot.review import server as srv

    app = create_app(session, TOKEN, PORT)
    c = TestClient(app, base_url=BASE)
    ids = {p.src: p.id for p in plan.proposals}
    r = c.get(f"/thumb/{ids['big.png']}?token={TOKEN}")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    assert max(Image.open(io.BytesIO(r.content)).size) == 320
    assert len(r.content) < (tree / "big.png").stat().st_size
    big = c.get(f"/thumb/{ids['big.png']}?token={TOKEN}&size=1280")
    assert Image.open(io.BytesIO(big.content)).size == (1280, 960)
    r = c.get(f"/thumb/{ids['photo.jpg']}?token={TOKEN}")
    assert r.headers["content-type"] == "image/jpeg" and Image.open(io.BytesIO(r.content)).size == (320, 213)
    assert r.headers["cache-control"].startswith("private")
    svg = c.get(f"/thumb/{ids['logo.svg']}?token={TOKEN}")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "sandbox" in svg.headers["content-security-policy"] and "script-src" not in svg.headers["content-security-policy"]
    assert svg.headers["x-content-type-options"] == "nosniff"
    gone = c.get(f"/thumb/{ids['gone.png']}?token={TOKEN}")
    assert gone.status_code == 404 and "not found" in gone.text
    html = c.get(f"/?token={TOKEN}&filter=all").text
    assert "No preview: altbot could not read this image" in html
    assert srv  # the module is importable on its own


def test_thumbnails_are_made_once_per_image_and_size():
    from altbot.review.thumbs import ThumbCache

    buf = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (800, 400), (1, 2, 3)).save(buf, "PNG")
    cache = ThumbCache()
    a = cache.make("k", buf.getvalue(), 320)
    b = cache.make("k", buf.getvalue(), 320)
    assert a is b and cache.made == 1
    cache.make("k", buf.getvalue(), 1280)
    assert cache.made == 2
    small = ThumbCache(limit=1)
    small.make("a", buf.getvalue(), 320)
    small.make("b", buf.getvalue(), 320)
    assert small.get("a", 320) is None and small.get("b", 320) is not None
    bad = cache.make("bad", b"not an image", 320)
    assert "not a supported image" in str(bad)


def test_thousands_of_proposals_are_paginated_and_the_first_page_is_quick(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".altbot.toml").write_text("")
    photo(tmp_path / "a.png", 1)
    for i in range(100):  # 2,000 images in 100 pages, all the same picture (captioned once)
        (tmp_path / f"p{i:03}.html").write_text('<html lang="en">\n' + '<img src="a.png">\n' * 20 + "</html>\n")
    plan = plan_of(captioner="filename")
    assert len(plan.proposals) == 2000
    session = ReviewSession(plan)
    c = TestClient(create_app(session, TOKEN, PORT), base_url=BASE)
    t = time.perf_counter()
    r = c.get(f"/?token={TOKEN}")
    first = time.perf_counter() - t
    assert r.status_code == 200 and r.text.count("<article") == 50
    assert "Page 1 of 40" in r.text and "Next page" in r.text and "Needs review: 1–50 of 2000" in r.text
    assert first < 3.0, f"the first page took {first:.2f}s"  # a guard against quadratic work, not a benchmark
    last = c.get(f"/?token={TOKEN}&page=40")
    assert last.text.count("<article") == 50 and "Previous page" in last.text and "Next page" not in last.text
    t = time.perf_counter()
    h = {"x-altbot-token": TOKEN, "accept": "application/json"}
    for pid in range(20):
        assert c.post("/decide", headers=h, data={"id": str(pid), "action": "reject"}).status_code == 200
    per = (time.perf_counter() - t) / 20
    assert per < 0.5, f"a decision took {per:.2f}s"
    assert c.get(f"/?token={TOKEN}").text.count("Needs review: 1–50 of 1980") == 1
    thumb = [c.get(f"/thumb/{pid}?token={TOKEN}") for pid in range(30)]
    assert all(t.status_code == 200 for t in thumb)


# -- the command --------------------------------------------------------------------------------


def test_a_missing_review_extra_names_the_install(tree, monkeypatch, capsys):
    from altbot.cli import main

    monkeypatch.setitem(sys.modules, "starlette", None)
    assert main(["review", "--no-browser", "--captioner", "metadata", "--no-cache", "."]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "pip install 'altbot[review]'" in err


def test_check_never_imports_the_web_stack(tree):
    code = (
        "import json, sys\nfrom altbot.cli import main\n"
        "rc = main(['check', '.', '--format', 'json', '--output', 'out.json'])\n"
        "print(json.dumps([m for m in ('starlette', 'uvicorn', 'jinja2', 'altbot.review') if m in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tree, env={**os.environ, "PYTHONPATH": ROOT})
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_port_in_use_and_a_bad_port_are_clear_errors(tree, capsys):
    from altbot.cli import main

    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    try:
        port = busy.getsockname()[1]
        assert main(["review", "--no-browser", "--port", str(port), "--captioner", "metadata", "--no-cache", "."]) == 2
        _, err = capsys.readouterr()
        assert f"cannot listen on 127.0.0.1:{port}" in err and "--port" in err
    finally:
        busy.close()
    assert main(["review", "--no-browser", "--port", "70000", "--captioner", "metadata", "."]) == 2
    assert "is not a port" in capsys.readouterr().err


def test_review_takes_fixs_options(tree):
    from altbot.cli import build_parser

    args = build_parser().parse_args(
        ["review", "--captioner", "filename", "--model", "m", "--include-empty", "--replace-suspicious", "--fallback-lang", "en",
         "--config", "x.toml", "--port", "0", "--no-browser", "site"]
    )
    assert (args.captioner, args.model, args.include_empty, args.replace_suspicious, args.fallback_lang, args.config) == (
        "filename", "m", True, True, "en", "x.toml"
    )
    assert args.port == 0 and args.no_browser and args.paths == ["site"]


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_the_command_serves_on_the_port_asked_opens_the_browser_and_finishes(tree, tmp_path_factory):
    """A real `altbot review` process: the URL line, --port N, the browser it opens, Finish and its exit code."""
    import urllib.request

    opened = tmp_path_factory.mktemp("browser") / "opened.txt"
    fake = opened.parent / "fake-browser"
    fake.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    fake.chmod(0o755)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": ROOT, "BROWSER": f"{fake} %s", "DISPLAY": ":99"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "altbot", "review", "--port", str(port), "--captioner", "metadata", "--no-cache", "."],
        cwd=tree, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith(f"http://127.0.0.1:{port}/?token=") and len(url.split("token=")[1]) >= 32
        for _ in range(100):
            if opened.exists() and opened.read_text().strip():
                break
            time.sleep(0.05)
        assert opened.read_text().strip() == url
        token = url.split("token=")[1]
        with urllib.request.urlopen(url) as page:
            assert page.status == 200 and b"<article" in page.read()
        req = urllib.request.Request(f"http://127.0.0.1:{port}/finish", data=b"", method="POST", headers={"X-Altbot-Token": token, "Accept": "application/json"})
        with urllib.request.urlopen(req) as r:
            assert json.loads(r.read())["exit_code"] == 1
        assert proc.wait(20) == 1  # proposals nobody accepted remain, as fix would say
        out, err = proc.communicate()
        assert out == "" and "altbot fix summary" in err
    finally:
        if proc.poll() is None:
            proc.kill()
