"""`altbot fix` end to end: modes, safety, ledger, exit codes — with a deterministic captioner."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess

import pytest

from altbot.caption.base import register
from altbot.cli import main
from altbot.ledger import Ledger
from altbot.outcome import Caption
from tests.conftest import photo

CALLS: list[int] = []


@register("test-fixed")
class FixedCaptioner:
    """Captions every image "Caption N" by content, and records each batch size."""

    name = "test-fixed"
    model = "fixed-v1"
    uses = frozenset()  # the same answer whatever the name, language or page: the pixels alone
    text = "A red square"
    hook = None

    def __init__(self, **kw) -> None:
        pass

    def caption(self, requests):
        CALLS.append(len(requests))
        if FixedCaptioner.hook:
            FixedCaptioner.hook()
        return [Caption(FixedCaptioner.text, 0.42, "test-fixed", "fixed-v1", None) for _ in requests]


@pytest.fixture(autouse=True)
def _reset():
    CALLS.clear()
    FixedCaptioner.text = "A red square"
    FixedCaptioner.hook = None
    yield


def git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    photo(tmp_path / "red.png", 1)
    photo(tmp_path / "blue.png", 2)
    (tmp_path / "page.html").write_bytes(
        b'<html lang="en">\r\n<body>\r\n  <img src="red.png" class=x>\r\n  <img\r\n    src=\'blue.png\'\r\n    width=2/>\r\n'
        b'  <img src="red.png" alt="A human wrote this">\r\n  <img src="red.png" alt="red.png">\r\n</body>\r\n</html>\r\n'
    )
    (tmp_path / "post.md").write_text("---\nlang: en\n---\n\n![](red.png)\n\n![][ref]\n\n[ref]: blue.png\n")
    return tmp_path


def fix(capsysbinary, *argv):
    rc = main(["fix", *argv, "--captioner", "test-fixed", "--no-cache"])
    out, err = capsysbinary.readouterr()
    return rc, out, err.decode("utf-8", "replace")


def snapshot(root):
    return {p.name: p.read_bytes() for p in sorted(root.iterdir()) if p.is_file()}


def test_default_prints_diff_and_changes_nothing(site, capsysbinary):
    before = snapshot(site)
    rc, out, err = fix(capsysbinary, ".")
    assert rc == 1  # proposed fixes are findings that remain
    assert snapshot(site) == before
    assert b"+  <img src=\"red.png\" alt=\"A red square\" class=x>\r\n" in out
    # attributes across lines: the new one reuses the separator already there
    assert b"     src='blue.png'\r\n+    alt='A red square'\r\n" in out
    assert b"+![A red square](red.png)\n" in out
    assert "images captioned" in err and "need review" in err
    # identical images are captioned once: red and blue, one batch
    assert CALLS == [2]


def test_write_then_second_run_is_clean(site, capsysbinary):
    rc, _, _ = fix(capsysbinary, ".", "--write")
    assert rc == 0
    html = (site / "page.html").read_bytes()
    assert html.count(b"\r\n") == 11 and b"\n" not in html.replace(b"\r\n", b"")  # CRLF kept, also when added
    assert b'<img src="red.png" alt="A red square" class=x>' in html
    assert b'alt="A human wrote this"' in html and b'alt="red.png"' in html  # human alt untouched
    rc, out, _ = fix(capsysbinary, ".")
    assert (rc, out) == (0, b"")
    assert main(["check", "."]) == 0


def test_replace_suspicious(site, capsysbinary):
    fix(capsysbinary, ".", "--write", "--replace-suspicious")
    html = (site / "page.html").read_bytes()
    assert b'alt="red.png"' not in html and b'alt="A human wrote this"' in html


def test_patch_applies_to_the_same_bytes_as_write(site, capsysbinary, tmp_path_factory):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    copy = tmp_path_factory.mktemp("copy")
    for p in site.iterdir():
        shutil.copy(p, copy / p.name)
    rc, out, err = fix(capsysbinary, ".", "--patch", "fixes.patch")
    assert rc == 1 and out == b"" and "git apply fixes.patch" in err
    git(copy, "init", "-q")
    git(copy, "apply", str(site / "fixes.patch"))
    fix(capsysbinary, ".", "--write")
    for name in ("page.html", "post.md"):
        assert (copy / name).read_bytes() == (site / name).read_bytes()


def test_branch_leaves_working_tree_alone(site, capsysbinary):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git(site, "init", "-q", "-b", "main")
    git(site, "-c", "user.name=t", "-c", "user.email=t@t", "add", ".")
    git(site, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init")
    before = snapshot(site)
    status = git(site, "status", "--porcelain")
    rc, _, err = fix(capsysbinary, ".", "--branch", "altbot/alt-text")
    assert rc == 1 and "committed 2 files on branch altbot/alt-text" in err
    assert snapshot(site) == before and git(site, "status", "--porcelain") == status
    assert git(site, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    msg = git(site, "log", "-1", "--format=%B", "altbot/alt-text")
    assert msg.startswith("Add alt text to 4 images in 2 files")
    shown = subprocess.run(["git", "show", "altbot/alt-text:page.html"], cwd=site, capture_output=True).stdout
    assert b'<img src="red.png" alt="A red square" class=x>\r\n' in shown
    # the same name again is refused
    rc, _, err = fix(capsysbinary, ".", "--branch", "altbot/alt-text")
    assert rc == 2 and "already exists" in err
    # uncommitted changes are not swept into the branch
    with open(site / "post.md", "a") as fh:
        fh.write("\nmore\n")
    rc, _, err = fix(capsysbinary, ".", "--branch", "other")
    assert rc == 2 and "uncommitted changes" in err


@pytest.mark.parametrize(
    "attributes, committed_eol",
    [
        ("", b"\r\n"),  # no change: the bytes are committed as they are
        ("*.html text eol=crlf\n", b"\n"),  # was "has uncommitted changes" on a clean tree
        ("*.html text eol=lf\n", b"\n"),  # the worktree holds CRLF a commit would normalize
    ],
    ids=["no-attributes", "eol-crlf", "eol-lf"],
)
def test_branch_commits_as_git_add_would_under_line_ending_attributes(site, capsysbinary, attributes, committed_eol):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git(site, "init", "-q", "-b", "main")
    (site / "post.md").unlink()
    if attributes:
        (site / ".gitattributes").write_text(attributes)
    ident = ("-c", "user.name=t", "-c", "user.email=t@t")
    git(site, *ident, "add", ".")
    git(site, *ident, "commit", "-qm", "init")
    if "crlf" in attributes:  # a fresh checkout writes the CRLF form
        (site / "page.html").unlink()
        git(site, "checkout", "--", "page.html")
    if "eol=lf" in attributes:  # `git status` sees no change: the clean filter gives the committed blob
        assert git(site, "status", "--porcelain") == ""
    rc, _, err = fix(capsysbinary, ".", "--branch", "altbot/alt")
    assert rc == 1 and "committed 1 file on branch altbot/alt" in err, err
    shown = subprocess.run(["git", "show", "altbot/alt:page.html"], cwd=site, capture_output=True).stdout
    assert b'<img src="red.png" alt="A red square" class=x>' + committed_eol in shown
    assert (b"\r\n" in shown) is (committed_eol == b"\r\n")  # every line committed in the blob's form


def test_file_changed_since_scan_is_not_overwritten(site, capsysbinary):
    def edit_behind_our_back():
        with open(site / "post.md", "a") as fh:
            fh.write("edited\n")

    FixedCaptioner.hook = edit_behind_our_back
    rc, _, err = fix(capsysbinary, ".", "--write")
    assert rc == 1
    assert "post.md" in err and "changed since it was scanned" in err
    assert (site / "post.md").read_text().endswith("edited\n")
    assert b'alt="A red square"' in (site / "page.html").read_bytes()  # the other file was still written


def test_missing_image_is_skipped_with_reason(site, capsysbinary):
    (site / "post.md").write_text("![](nowhere.png)\n")
    rc, out, err = fix(capsysbinary, "post.md", "--write")
    assert rc == 1 and "image file not found for nowhere.png" in err
    assert (site / "post.md").read_text() == "![](nowhere.png)\n"


def test_ledger_rejection_and_decorative(site, capsysbinary):
    key = hashlib.sha256((site / "red.png").read_bytes()).hexdigest()
    led = Ledger(str(site / ".altbot" / "decisions.json"))
    led.record("post.md", "red.png", key, "decorative")
    led.record("page.html", "red.png", key, "rejected", "A red square")
    led.save()
    rc, out, err = fix(capsysbinary, ".", "--write")
    assert (site / "post.md").read_text().count("![](red.png)") == 1  # decorative Markdown stays as is
    html = (site / "page.html").read_bytes()
    assert b'<img src="red.png" class=x>' in html  # rejected: not re-proposed
    assert "suggestion rejected in the ledger" in err
    # a new image content lapses the rejection
    photo(site / "red.png", 3)
    fix(capsysbinary, "page.html", "--write")
    assert b'<img src="red.png" alt="A red square" class=x>' in (site / "page.html").read_bytes()


def test_interactive(site, capsysbinary, monkeypatch):
    monkeypatch.setenv("ALTBOT_INTERACTIVE_PIPE", "1")
    # page.html: accept, edit; post.md: decorative, reject
    monkeypatch.setattr("sys.stdin", io.StringIO("a\ne\nTwo blue squares\nd\nr\n"))
    rc = main(["fix", ".", "--interactive", "--captioner", "test-fixed", "--no-cache"])
    capsysbinary.readouterr()
    html = (site / "page.html").read_bytes()
    assert b'alt="A red square" class=x' in html and b"alt='Two blue squares'" in html
    assert (site / "post.md").read_text().startswith("---\nlang: en\n---\n\n![](red.png)")
    doc = json.loads((site / ".altbot" / "decisions.json").read_text())
    assert sorted(d["decision"] for d in doc["decisions"]) == ["decorative", "rejected", "reviewed", "reviewed"]
    assert rc == 1  # the rejected one remains a finding


def test_encoding_without_the_characters_uses_references(tmp_path, monkeypatch, capsysbinary):
    monkeypatch.chdir(tmp_path)
    photo(tmp_path / "a.png")
    (tmp_path / "p.html").write_bytes(b'<meta charset="windows-1252"><p>caf\xe9</p><img src="a.png">')
    FixedCaptioner.text = "Caf\u00e9 sign \u2603 snowman"
    rc, _, _ = fix(capsysbinary, ".", "--write")
    assert rc == 0
    assert (tmp_path / "p.html").read_bytes() == (
        b'<meta charset="windows-1252"><p>caf\xe9</p><img src="a.png" alt="Caf\xe9 sign &#9731; snowman">'
    )


def test_nothing_to_do_exits_0(tmp_path, monkeypatch, capsysbinary):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.md").write_text("![A cat](a.png)\n")
    assert fix(capsysbinary, ".")[0] == 0


def test_unknown_captioner_is_a_clear_error(site, capsys):
    assert main(["fix", ".", "--captioner", "nope"]) == 2
    assert "unknown captioner 'nope'" in capsys.readouterr().err


def test_atomic_write_keeps_old_file_on_failure(tmp_path, monkeypatch):
    from altbot import apply

    target = tmp_path / "f.html"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)

    def boom(*a):
        raise KeyboardInterrupt

    monkeypatch.setattr(apply.os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        apply.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.html"]  # no temp file left behind
    monkeypatch.undo()
    apply.write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and (os.stat(target).st_mode & 0o777) == 0o640


def test_cache_means_a_second_run_calls_no_model(site, capsysbinary, tmp_path_factory):
    cache = str(tmp_path_factory.mktemp("cache"))
    main(["fix", ".", "--captioner", "test-fixed", "--cache-dir", cache])
    first = capsysbinary.readouterr().out
    assert CALLS == [2]
    CALLS.clear()
    main(["fix", ".", "--captioner", "test-fixed", "--cache-dir", cache])
    assert capsysbinary.readouterr().out == first
    assert CALLS == []  # an interrupted or repeated run reuses every caption


def test_include_empty_captions_html_empty_alt_only_when_asked(tmp_path, monkeypatch, capsysbinary):
    monkeypatch.chdir(tmp_path)
    photo(tmp_path / "chart.png")
    (tmp_path / "p.html").write_text('<img src="chart.png" alt="">')
    assert fix(capsysbinary, ".")[:2] == (0, b"")  # alt="" is valid decorative markup: left alone
    rc, out, _ = fix(capsysbinary, ".", "--include-empty")
    assert rc == 1 and b'+<img src="chart.png" alt="A red square">' in out


def test_decorative_verdict_html_gets_empty_alt_markdown_gets_a_ledger_entry(tmp_path, monkeypatch, capsysbinary):
    monkeypatch.chdir(tmp_path)
    PILImage = __import__("PIL.Image", fromlist=["Image"])
    PILImage.new("RGB", (600, 4), (200, 200, 200)).save(tmp_path / "divider.png")
    photo(tmp_path / "photo.png")
    (tmp_path / "p.html").write_text('<p>A</p><img src="divider.png"><img src="photo.png">')
    (tmp_path / "p.md").write_text("Text\n\n![](divider.png)\n")
    rc, out, err = fix(capsysbinary, ".", "--write", "--explain")
    assert (tmp_path / "p.html").read_text() == '<p>A</p><img src="divider.png" alt=""><img src="photo.png" alt="A red square">'
    assert (tmp_path / "p.md").read_text() == "Text\n\n![](divider.png)\n"  # Markdown cannot say decorative
    entries = json.loads((tmp_path / ".altbot" / "decisions.json").read_text())["decisions"]
    # the Markdown image's record is the ledger; the HTML ones are provenance: who wrote which alt
    assert [(e["page"], e["src"], e["decision"], e.get("alt"), e.get("backend"), e.get("model")) for e in entries] == [
        ("p.html", "divider.png", "written", None, "decorative-check", None),
        ("p.html", "photo.png", "written", "A red square", "test-fixed", "fixed-v1"),
        ("p.md", "divider.png", "decorative", None, None, None),
    ]
    assert "thin" in err or "divider" in err  # the reasons are explained
    assert rc == 0 and main(["check", "."]) == 0


def test_an_image_that_is_a_link_names_the_link(tmp_path, monkeypatch, capsysbinary):
    monkeypatch.chdir(tmp_path)
    photo(tmp_path / "logo.png")
    (tmp_path / "p.html").write_text(
        '<a href="/" title="Harbour Café home"><img src="logo.png"></a>\n<a href="/shop/"><img src="logo.png"></a>\n'
    )
    rc, out, err = fix(capsysbinary, ".", "--write", "--explain")
    assert (tmp_path / "p.html").read_text() == (
        '<a href="/" title="Harbour Café home"><img src="logo.png" alt="Harbour Café home"></a>\n'
        '<a href="/shop/"><img src="logo.png" alt="A red square"></a>\n'
    )
    assert "names the link to /shop/: check that the alt says where it goes" in err


def test_a_failing_captioner_leaves_findings_open_without_a_traceback(site, capsysbinary):
    def boom():
        raise RuntimeError("CUDA out of memory")

    FixedCaptioner.hook = boom
    before = snapshot(site)
    rc, out, err = fix(capsysbinary, ".", "--write")
    assert rc == 1 and "Traceback" not in err
    assert "test-fixed failed: RuntimeError: CUDA out of memory" in err
    assert snapshot(site) == before


def test_mdx_image_in_an_attribute_expression_gets_its_alt_and_no_other_byte_changes(tmp_path, monkeypatch, capsysbinary):
    monkeypatch.chdir(tmp_path)
    photo(tmp_path / "icon.png", 3)
    before = (
        "export const meta = { note: \"<img src='x.png'>\" }\r\n\r\n# Title\r\n\r\n"
        "Some {\"<img src='y.png'>\"} text and {a // <img src=\"z.png\">\r\n} here.\r\n\r\n"
        '<Card title="t" icon={<img src="icon.png" />} />\r\n'
    )
    (tmp_path / "page.mdx").write_bytes(before.encode())
    rc, _, err = fix(capsysbinary, ".", "--write")
    assert rc == 0, err
    after = (tmp_path / "page.mdx").read_bytes().decode()
    assert after == before.replace('<img src="icon.png" />', '<img src="icon.png" alt="A red square" />')
    assert main(["check", "page.mdx"]) == 0


def test_image_start_tag_gets_alt_where_an_img_would(tmp_path, monkeypatch, capsysbinary):
    # WHATWG: in HTML content <image> is an img; the fix is an insertion, the source keeps
    # its <image spelling and every other byte; svg's own <image> is no HTML image
    monkeypatch.chdir(tmp_path)
    photo(tmp_path / "a.png", 1)
    photo(tmp_path / "b.png", 2)
    page = (
        b'<html lang="en">\r\n<body>\r\n<p>Intro</p>\r\n<image src="a.png">\r\n<IMAGE\r\n  SRC=b.png\r\n  width=2/>\r\n'
        b'<svg viewBox="0 0 1 1"><image href="a.png"/></svg>\r\n</body>\r\n</html>\r\n'
    )
    (tmp_path / "p.html").write_bytes(page)
    rc, out, _ = fix(capsysbinary, ".", "--write")
    assert rc == 0
    assert (tmp_path / "p.html").read_bytes() == page.replace(
        b'<image src="a.png">', b'<image src="a.png" alt="A red square">'
    ).replace(b"  SRC=b.png\r\n", b'  SRC=b.png\r\n  ALT="A red square"\r\n')
    assert main(["check", "."]) == 0
