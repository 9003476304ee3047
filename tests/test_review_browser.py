"""`altbot review` in a real browser (issue 14): headless Chromium (Debian's
``chromium``) driven by Playwright, against a real ``altbot review --no-browser
--port 0`` process per scenario.

Covered: load, edit, decorative, reject and write, then the files byte by byte
and the ledger; the keyboard-only flow, focus order and visible focus; the token
and Host refusals and POST-only changes; axe-core with no WCAG 2.1 A/AA
violations; 200% zoom; a file changed on disk between planning and writing; the
README's screenshot. ``.ci/run`` installs chromium and axe-core; locally the
tests skip (with the reason) when either is missing, and fail under CI=true.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import sys
import time

import pytest

from tests.rendered_text import missing  # skip locally, fail under CI=true
from tests.test_review_plan import INDEX, POST, ledger, make_tree

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REBIND_HOST = "rebind.altbot.test"  # resolves to 127.0.0.1 in this browser only: a DNS-rebinding attacker's name
SCREENSHOT = os.path.join(ROOT, "docs", "review.png")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_path() -> str | None:
    candidates = [os.environ.get("ALTBOT_AXE_JS", "")]
    for base in (ROOT, os.path.join(ROOT, ".ci")):
        candidates.append(os.path.join(base, "node_modules", "axe-core", "axe.min.js"))
    return next((c for c in candidates if c and os.path.isfile(c)), None)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed (pip install playwright)")
    pytest.importorskip("starlette", reason="altbot review needs the review extra: pip install 'altbot[review]'")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        missing("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--host-resolver-rules=MAP {REBIND_HOST} 127.0.0.1",
            ],
        )
        yield b
        b.close()


class Review:
    """One ``altbot review --no-browser --port 0`` process and the URL it printed."""

    def __init__(self, cwd, *args: str) -> None:
        self.cwd = cwd
        self.err_path = os.path.join(str(cwd), "..", f"review-{os.getpid()}-{time.time_ns()}.err")
        self.err = open(self.err_path, "w+")
        env = {**os.environ, "PYTHONPATH": ROOT, "PYTHONUNBUFFERED": "1"}
        cmd = [sys.executable, "-m", "altbot", "review", "--no-browser", "--port", "0", "--no-cache", *args]
        self.proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=self.err, text=True, env=env)
        ready, _, _ = select.select([self.proc.stdout], [], [], 60)
        line = self.proc.stdout.readline() if ready else ""
        m = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/\?token=([A-Za-z0-9_-]{32,})\n", line)
        if not m:
            self.stop()
            with open(self.err_path) as f:
                raise AssertionError(f"no URL line on stdout: {line!r}; stderr: {f.read()}")
        self.url = line.strip()
        self.port = int(m.group(1))
        self.token = m.group(2)
        self.origin = f"http://127.0.0.1:{self.port}"

    def stderr(self) -> str:
        if not self.err.closed:
            self.err.flush()
        with open(self.err_path) as f:
            return f.read()

    def wait(self, timeout: float = 20) -> int:
        code = self.proc.wait(timeout)
        rest = self.proc.stdout.read()
        assert rest == "", f"only the URL goes to stdout, not {rest!r}"
        return code

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.err.close()


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    make_tree(root)
    return root


@pytest.fixture
def review(site):
    started = []

    def start(*args: str, cwd=None) -> Review:
        r = Review(cwd or site, *(args or ("--captioner", "metadata", ".")))
        started.append(r)
        return r

    yield start
    for r in started:
        r.stop()


def card(page, heading: str):
    return page.locator("article").filter(has=page.get_by_role("heading", name=heading, exact=True))


def state_of(page, heading: str) -> str:
    return card(page, heading).locator(".state").inner_text()


def wait_state(page, heading: str, text: str) -> None:
    from playwright.sync_api import expect

    expect(card(page, heading).locator(".state")).to_contain_text(text)


def finish(page, r: Review) -> int:
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Finish", exact=True).click()
    page.get_by_role("heading", name="Review finished").wait_for()
    return r.wait()


# -- the whole review with the mouse, then the bytes and the ledger ----------------------------


def test_load_edit_decorative_reject_and_write(browser, site, review):
    from PIL import Image

    big = Image.frombytes("RGB", (1600, 1200), os.urandom(1600 * 1200 * 3))
    big.save(site / "big.png")
    (site / "index.html").write_text(INDEX.replace("</body>", '<img src="big.png" alt="">\n</body>'))
    r = review("--captioner", "metadata", "--include-empty", ".")
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.goto(r.url + "&filter=all")
    assert page.locator("article").count() == 6
    assert page.get_by_role("button", name="Write accepted", exact=True).count() == 1

    first = card(page, "index.html:3")
    for name in ("Accept", "Decorative", "Reject", "Skip"):
        assert first.get_by_role("button", name=name, exact=True).count() == 1
    box = first.get_by_role("textbox", name="Alt text", exact=True)
    assert box.input_value() == "Fishing boats in the harbour at dawn"
    assert first.get_by_text("Machine-written", exact=True).is_visible()
    assert "36 of 125 characters" in first.locator(".count").inner_text()
    assert first.locator("mark").inner_text() == '<img src="harbour.png">'
    # the thumbnail is downscaled by the server: the 1600×1200 original arrives 320 wide
    thumb = card(page, "index.html:6").locator("img.thumb")
    thumb.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
    assert thumb.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [320, 240]

    box.fill("Boats at dawn")  # an edit, then Accept: the edited text is accepted
    assert "13 of 125 characters" in first.locator(".count").inner_text()
    first.get_by_role("button", name="Accept", exact=True).click()
    wait_state(page, "index.html:3", "Accepted: “Boats at dawn”")
    assert not first.get_by_text("Machine-written", exact=True).is_visible()  # the reviewer's words now

    bike = card(page, "index.html:4")  # no proposal: the reviewer writes it
    bike.get_by_role("textbox", name="Alt text", exact=True).fill("A red bicycle against a wall")
    bike.get_by_role("button", name="Accept", exact=True).click()
    wait_state(page, "index.html:4", "Accepted")
    card(page, "index.html:5").get_by_role("button", name="Reject", exact=True).click()
    wait_state(page, "index.html:5", "Rejected")
    card(page, "index.html:6").get_by_role("button", name="Decorative", exact=True).click()
    wait_state(page, "index.html:6", 'Marked decorative (alt="")')
    card(page, "post.md:6").get_by_role("button", name="Decorative", exact=True).click()
    wait_state(page, "post.md:6", "Marked decorative")
    card(page, "post.md:8").get_by_role("button", name="Skip", exact=True).click()
    wait_state(page, "post.md:8", "Skipped")
    assert "6 decisions not written yet" in page.locator("#unwritten").inner_text()

    # nothing is written until the reviewer says so
    assert (site / "index.html").read_text() == INDEX.replace("</body>", '<img src="big.png" alt="">\n</body>')
    assert (site / "post.md").read_text() == POST and ledger(site) == []

    page.get_by_role("button", name="Write accepted", exact=True).click()
    page.get_by_role("status").filter(has_text="Wrote 1 file: index.html").wait_for()
    wait_state(page, "index.html:3", "Written")
    expected = (
        '<html lang="en"><body>\n<p>Our harbour</p>\n<img src="harbour.png" alt="Boats at dawn">\n'
        '<img src="red-bicycle.png" alt="A red bicycle against a wall">\n<img src="team.png">\n'
        '<img src="big.png" alt="">\n</body></html>\n'
    )
    assert (site / "index.html").read_bytes() == expected.encode()
    assert (site / "post.md").read_bytes() == POST.encode()  # a decorative Markdown image goes to the ledger
    assert ledger(site) == [
        ("index.html", "big.png", "decorative", None),
        ("index.html", "harbour.png", "reviewed", "Boats at dawn"),
        ("index.html", "red-bicycle.png", "reviewed", "A red bicycle against a wall"),
        ("index.html", "team.png", "rejected", "The team at the 2024 offsite"),
        ("post.md", "harbour.png", "decorative", None),
    ]
    assert finish(page, r) == 1  # the rejected and the skipped image remain findings, as fix would say
    assert "altbot fix summary" in r.stderr()
    # nothing came from anywhere but altbot, and every request carried the token
    assert requests and all(u.startswith(r.origin + "/") and f"token={r.token}" in u for u in requests if "/thumb/" in u or "/static/" in u)
    assert all(u.startswith(r.origin + "/") for u in requests)

    # the next review does not propose the decided images again
    again = review()
    page.goto(again.url + "&filter=all")
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert "index.html:3" not in headings and "post.md:6" not in headings
    assert "suggestion rejected in the ledger" in card(page, "index.html:5").inner_text()
    page.close()


# -- keyboard only ----------------------------------------------------------------------------


def _focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement; const s = getComputedStyle(e);
        const r = e.getBoundingClientRect();
        return {tag: e.tagName.toLowerCase(), name: (e.getAttribute('aria-label') || e.innerText || e.value || '').trim().split('\\n')[0],
                id: e.id, card: e.closest('article') ? e.closest('article').querySelector('h2').innerText : null,
                outline: s.outlineStyle, width: parseFloat(s.outlineWidth), visible: r.width > 0 && r.height > 0 && r.top < innerHeight && r.bottom > 0} }"""
    )


def test_keyboard_only_review(browser, site, review):
    r = review()
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(r.url)  # the default list: needs review
    kb = page.keyboard
    kb.press("Tab")
    f = _focused(page)
    assert f["name"] == "Skip to the proposals" and f["visible"] and f["outline"] != "none" and f["width"] >= 2
    kb.press("Enter")
    assert _focused(page)["id"] == "proposals"
    kb.press("j")
    f = _focused(page)
    assert f["tag"] == "article" and f["card"] == "index.html:3" and f["outline"] != "none" and f["width"] >= 2 and f["visible"]

    # focus order inside a card: the text box, then the buttons, in reading order
    kb.press("e")
    assert _focused(page)["id"] == "alt-0"
    kb.type("asdu")  # letters typed in the text box are text, not shortcuts
    assert state_of(page, "index.html:3").startswith("Needs review")
    for _ in range(4):
        kb.press("Backspace")
    order = []
    for _ in range(5):
        kb.press("Tab")
        f = _focused(page)
        assert f["outline"] != "none" and f["visible"], f
        order.append(f["name"])
    assert order == ["Accept", "Decorative", "Reject", "Skip", "Undo"]

    kb.press("a")  # accept the proposal as it is, and move on
    wait_state(page, "index.html:3", "Accepted: “Fishing boats in the harbour at dawn”")
    page.wait_for_function("() => document.activeElement.id === 'p-1'")
    kb.press("e")
    kb.type("A red bicycle")
    kb.press("Control+Enter")
    wait_state(page, "index.html:4", "Accepted: “A red bicycle”")
    kb.press("Escape")
    assert _focused(page)["card"] == "index.html:4"
    kb.press("j")
    kb.press("r")
    wait_state(page, "index.html:5", "Rejected")
    page.wait_for_function("() => document.activeElement.id === 'p-3'")
    kb.press("d")
    wait_state(page, "post.md:6", "Marked decorative")
    page.wait_for_function("() => document.activeElement.id === 'p-4'")
    kb.press("s")
    wait_state(page, "post.md:8", "Skipped")
    kb.press("u")  # undo, on the current (last) card
    wait_state(page, "post.md:8", "No proposal")
    kb.press("k")
    assert _focused(page)["card"] == "post.md:6"
    status = page.get_by_role("status").first
    assert "post.md" in status.inner_text() or "Undone" in status.inner_text()

    kb.press("w")
    assert _focused(page)["name"] == "Write accepted"
    kb.press("Enter")
    page.get_by_role("status").filter(has_text="Wrote 1 file").wait_for()
    kb.press("Tab")
    assert _focused(page)["name"] == "Finish"
    assert (site / "index.html").read_text() == INDEX.replace(
        '<img src="harbour.png">', '<img src="harbour.png" alt="Fishing boats in the harbour at dawn">'
    ).replace('<img src="red-bicycle.png">', '<img src="red-bicycle.png" alt="A red bicycle">')
    assert [d[2] for d in ledger(site)] == ["reviewed", "reviewed", "rejected", "decorative"]
    # the shortcuts are documented on the page, and can be turned off (WCAG 2.1.4)
    help_box = page.get_by_role("region", name="Keyboard shortcuts")
    assert help_box.is_visible() and "next / previous card" in help_box.inner_text()
    page.get_by_role("checkbox", name="Single-key shortcuts").uncheck()
    card(page, "index.html:5").focus()
    kb.press("u")
    time.sleep(0.3)
    assert state_of(page, "index.html:5").startswith("Rejected")
    page.get_by_role("button", name="Finish", exact=True).focus()
    kb.press("Enter")
    page.get_by_role("heading", name="Review finished").wait_for()
    assert r.wait() == 1
    page.close()


# -- guards, in the browser ---------------------------------------------------------------------


def test_token_host_and_post_only_refusals(browser, site, review):
    r = review()
    page = browser.new_page()
    for url in (r.origin + "/", r.origin + "/?token=", r.origin + "/?token=" + r.token[:-1] + "x", r.origin + "/static/review.js"):
        resp = page.goto(url)
        assert resp.status == 403 and "token" in page.inner_text("body"), url
    # a DNS-rebinding page: another name that resolves to 127.0.0.1, with the right token even
    resp = page.goto(f"http://{REBIND_HOST}:{r.port}/?token={r.token}")
    assert resp.status == 403 and "Host" in page.inner_text("body")
    resp = page.goto(f"http://localhost:{r.port}/?token={r.token}")
    assert resp.status == 200 and page.locator("article").count() == 5
    page.goto(r.url)
    got = page.evaluate(
        """async ([token]) => {
        const get = await fetch('/decide?token=' + token + '&id=0&action=reject');
        const bare = await fetch('/decide', {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: 'id=0&action=reject'});
        const query = await fetch('/decide?token=' + token, {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: 'id=0&action=reject'});
        return [get.status, bare.status, query.status]; }""",
        [r.token],
    )
    assert got == [405, 403, 403]
    page.reload()
    assert state_of(page, "index.html:3").startswith("Needs review")  # nothing changed
    # a page on another origin cannot post a decision, even knowing the token
    other = browser.new_page()
    other.goto(f"http://{REBIND_HOST}:{r.port}/?token={r.token}")
    status = other.evaluate(
        """async ([origin, token]) => { try { const r = await fetch(origin + '/decide', {method: 'POST', mode: 'no-cors',
        headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: 'token=' + token + '&id=0&action=reject'}); return r.type; }
        catch (e) { return 'error'; } }""",
        [r.origin, r.token],
    )
    assert status in ("opaque", "error")
    page.reload()
    assert state_of(page, "index.html:3").startswith("Needs review")
    other.close()
    page.close()


# -- accessibility: axe-core, 200% zoom --------------------------------------------------------


def _axe(page) -> list:
    page.add_script_tag(path=axe_path())
    return page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}))
        .violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}))""",
        AXE_TAGS,
    )


def test_axe_core_finds_no_wcag_21_aa_violation(browser, site, review):
    if axe_path() is None:
        missing("axe-core is not installed (npm install axe-core into .ci/ or the repository root)")
    (site / "big.png").write_bytes((site / "team.png").read_bytes())
    (site / "index.html").write_text(INDEX.replace("</body>", '<a href="/team">Team <img src="big.png" title="x"></a>\n<img src="gone.png">\n</body>'))
    r = review("--captioner", "filename", ".")
    # axe is injected as a script, which the page's own CSP rightly forbids: bypass it for the audit only
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    found = {}
    page.goto(r.url + "&filter=all")
    found["all"] = _axe(page)
    # decided, errored and written states too
    card(page, "index.html:3").get_by_role("button", name="Accept", exact=True).click()
    wait_state(page, "index.html:3", "Accepted")
    card(page, "index.html:4").get_by_role("textbox", name="Alt text", exact=True).fill("")
    card(page, "index.html:4").get_by_role("button", name="Accept", exact=True).click()
    card(page, "index.html:4").locator(".message").filter(has_text="empty alt text").wait_for()
    card(page, "index.html:5").get_by_role("button", name="Reject", exact=True).click()
    wait_state(page, "index.html:5", "Rejected")
    (site / "index.html").write_text("changed")
    page.get_by_role("button", name="Write accepted", exact=True).click()
    page.get_by_role("alert").filter(has_text="Not written").wait_for()
    found["decided"] = _axe(page)
    page.goto(r.url)
    found["review"] = _axe(page)
    page.set_viewport_size({"width": 640, "height": 800})
    page.goto(r.url + "&filter=all")
    found["narrow"] = _axe(page)
    assert {k: v for k, v in found.items() if v} == {}
    context.close()


def test_works_at_200_percent_zoom(browser, site, review):
    r = review()
    # a 1280-pixel window at 200% zoom: 640 CSS pixels wide, each two device pixels
    context = browser.new_context(viewport={"width": 640, "height": 800}, device_scale_factor=2)
    page = context.new_page()
    page.goto(r.url + "&filter=all")
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert sizes[0] <= sizes[1], f"horizontal scrolling at 200%: {sizes}"
    width = sizes[1]
    for art in page.locator("article").all():
        box = art.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5
        for name in ("Accept", "Decorative", "Reject", "Skip"):
            b = art.get_by_role("button", name=name, exact=True).bounding_box()
            assert b["x"] >= 0 and b["x"] + b["width"] <= width + 0.5, name
    first = card(page, "index.html:3")
    first.get_by_role("button", name="Reject", exact=True).click()
    wait_state(page, "index.html:3", "Rejected")
    page.get_by_role("button", name="Write accepted", exact=True).scroll_into_view_if_needed()
    assert page.get_by_role("button", name="Write accepted", exact=True).is_visible()
    # and at 400% (320 CSS pixels, WCAG 1.4.10 reflow) the page still does not scroll sideways
    page.set_viewport_size({"width": 320, "height": 640})
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert sizes[0] <= sizes[1], f"horizontal scrolling at 400%: {sizes}"
    # Finish with a decision not written asks first; "no" keeps the review going
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.get_by_role("button", name="Finish", exact=True).click()
    page.wait_for_timeout(300)
    assert asked == ["1 decision is not written yet. Finish without writing it?"] and r.proc.poll() is None
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Finish", exact=True).click()
    assert r.wait() == 1 and ledger(site) == [] and (site / "index.html").read_text() == INDEX
    context.close()


# -- a file changed on disk between planning and writing --------------------------------------------


def test_a_file_changed_since_planning_is_not_overwritten_and_the_page_says_so(browser, site, review):
    r = review()
    page = browser.new_page()
    page.goto(r.url + "&filter=all")
    card(page, "index.html:3").get_by_role("button", name="Accept", exact=True).click()
    wait_state(page, "index.html:3", "Accepted")
    card(page, "post.md:6").get_by_role("button", name="Decorative", exact=True).click()
    wait_state(page, "post.md:6", "Marked decorative")
    edited = INDEX.replace("Our harbour", "Our harbour, edited by someone else").encode()
    (site / "index.html").write_bytes(edited)
    page.get_by_role("button", name="Write accepted", exact=True).click()
    alert = page.get_by_role("alert")
    alert.filter(has_text="index.html").wait_for()
    text = alert.inner_text()
    assert "Not written: index.html" in text and "changed since it was scanned" in text
    wait_state(page, "index.html:3", "Not written: the file changed since it was scanned")
    assert (site / "index.html").read_bytes() == edited  # never overwritten
    # the decisions are kept in the ledger all the same: the reviewer's word is not lost with the write
    assert ledger(site) == [
        ("index.html", "harbour.png", "reviewed", "Fishing boats in the harbour at dawn"),
        ("post.md", "harbour.png", "decorative", None),
    ]
    assert finish(page, r) == 1
    assert "index.html" in r.stderr() and "changed since it was scanned" in r.stderr()
    # so the next review proposes the accepted text again, now as the reviewer's (safe)
    again = review()
    page.goto(again.url + "&filter=all")
    facts = card(page, "index.html:3").locator(".live-facts").inner_text()
    assert "safe" in facts and "ledger" in facts
    assert card(page, "index.html:3").get_by_role("textbox", name="Alt text", exact=True).input_value() == "Fishing boats in the harbour at dawn"
    page.close()


def test_ctrl_c_ends_the_review_with_130_and_writes_nothing(browser, site, review):
    import signal

    r = review()
    page = browser.new_page()
    page.goto(r.url + "&filter=all")
    card(page, "index.html:3").get_by_role("button", name="Accept", exact=True).click()
    wait_state(page, "index.html:3", "Accepted")
    page.close()
    r.proc.send_signal(signal.SIGINT)
    assert r.wait() == 130
    assert "interrupted" in r.stderr()
    assert (site / "index.html").read_text() == INDEX and ledger(site) == []


# -- the README's screenshot ---------------------------------------------------------------------


def test_readme_screenshot(browser, tmp_path, review):
    """Takes the README's screenshot of the example site; ALTBOT_UPDATE_SCREENSHOT=1 writes it to docs/."""
    site = tmp_path / "example"
    shutil.copytree(os.path.join(ROOT, "examples", "site"), site)
    r = review("--captioner", "metadata", ".", cwd=site)
    context = browser.new_context(viewport={"width": 1280, "height": 1160})
    page = context.new_page()
    page.goto(r.url)
    first = card(page, "content/en/about.md:5")
    first.get_by_role("textbox", name="Alt text", exact=True).fill("The team of five in front of the shop on opening day")
    first.get_by_role("button", name="Accept", exact=True).click()
    wait_state(page, "content/en/about.md:5", "Accepted")
    page.wait_for_function(
        "() => [...document.images].filter(i => { const r = i.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; })"
        ".every(i => i.complete)"
    )
    page.mouse.move(0, 0)
    page.evaluate("() => window.scrollTo(0, 0)")
    shot = tmp_path / "review.png"
    page.screenshot(path=str(shot))
    from PIL import Image

    Image.open(shot).convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(shot, optimize=True)
    assert shot.stat().st_size < 200_000
    if os.environ.get("ALTBOT_UPDATE_SCREENSHOT"):
        os.makedirs(os.path.dirname(SCREENSHOT), exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)
    assert os.path.isfile(SCREENSHOT) and os.path.getsize(SCREENSHOT) < 200_000, "run with ALTBOT_UPDATE_SCREENSHOT=1"
    readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    assert "## Reviewing in the browser" in readme and "docs/review.png" in readme
    context.close()
