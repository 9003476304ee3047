"""The decisions ledger: sorted, diff-friendly, keyed by page + src + content hash."""

from __future__ import annotations

import hashlib
import json

import pytest

from altbot.cli import main
from altbot.ledger import Decision, Ledger, LedgerError


def test_round_trip_is_sorted_and_stable(tmp_path):
    path = str(tmp_path / ".altbot" / "decisions.json")
    led = Ledger(path)
    led.record("b.md", "/x.png", "h2", "rejected", alt="A thing")
    led.record("a.md", "/y.png", "h1", "decorative")
    led.save()
    text = (tmp_path / ".altbot" / "decisions.json").read_text()
    doc = json.loads(text)
    assert [d["page"] for d in doc["decisions"]] == ["a.md", "b.md"]
    assert doc["version"] == 1 and text.endswith("\n")
    again = Ledger.load(path)
    assert again.entries() == led.entries()
    assert again.dumps() == text  # saving unchanged data gives identical bytes
    assert again.lookup("a.md", "/y.png", "h1").decision == "decorative"
    assert again.lookup("a.md", "/y.png", "other-hash") is None
    assert again.has_page_src("b.md", "/x.png") and not again.has_page_src("b.md", "/y.png")


def test_missing_file_is_empty(tmp_path):
    assert len(Ledger.load(str(tmp_path / "nope.json"))) == 0


@pytest.mark.parametrize(
    "content, fragment",
    [
        ('{"version": 1, "decisions": [', "not valid JSON"),
        ("[]", "must be"),
        ('{"decisions": [{"page": "a"}]}', "needs at least page, src and decision"),
        ('{"decisions": [{"page": "a", "src": "b", "decision": "maybe"}]}', "is not one of"),
    ],
)
def test_bad_ledger_is_a_clear_error(tmp_path, content, fragment):
    p = tmp_path / "d.json"
    p.write_text(content)
    with pytest.raises(LedgerError, match=fragment):
        Ledger.load(str(p))


def test_stale_entries():
    led = Ledger("x", [Decision("a.md", "1.png", "h1", "decorative"), Decision("b.md", "2.png", "h2", "rejected")])
    current = {"1.png": "h1", "2.png": "changed"}
    stale = led.stale(lambda d: current.get(d.src))
    assert [(d.page, why) for d, why in stale] == [("b.md", "image content changed")]
    assert led.remove(d for d, _ in stale) == 1 and len(led) == 1


def test_check_honours_a_decorative_decision(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "divider.png").write_bytes(b"fake png bytes")
    (tmp_path / "page.md").write_text("Text\n\n![](divider.png)\n")
    assert main(["check", "."]) == 1
    capsys.readouterr()
    led = Ledger(str(tmp_path / ".altbot" / "decisions.json"))
    led.record("page.md", "divider.png", hashlib.sha256(b"fake png bytes").hexdigest(), "decorative")
    led.save()
    assert main(["check", "."]) == 0
    capsys.readouterr()
    # the decision lapses when the image content changes
    (tmp_path / "divider.png").write_bytes(b"another image")
    assert main(["check", "."]) == 1
