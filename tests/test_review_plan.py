"""The library side of `altbot review` (issue 14): FixPlan.undo and .decision, the
source excerpt and image a reviewer looks at, and a plan written more than once
(the review page writes as often as the reviewer asks). No web stack needed."""

from __future__ import annotations

import json

import pytest

import altbot
from altbot.plan import DecisionError
from tests.conftest import described_photo, photo

INDEX = '<html lang="en"><body>\n<p>Our harbour</p>\n<img src="harbour.png">\n<img src="red-bicycle.png">\n<img src="team.png">\n</body></html>\n'
POST = "---\ntitle: Post\nlang: en\n---\n\n![](harbour.png)\n\n![](red-bicycle.png)\n"


def make_tree(root) -> None:
    """Two pages; described photos (the metadata captioner's text: review) and one without (no proposal)."""
    (root / ".altbot.toml").write_text("")
    described_photo(root / "harbour.png", "Fishing boats in the harbour at dawn", 1)
    described_photo(root / "team.png", "The team at the 2024 offsite", 2)
    photo(root / "red-bicycle.png", 3)
    (root / "index.html").write_text(INDEX)
    (root / "post.md").write_text(POST)


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_tree(tmp_path)
    return tmp_path


def plan_of(*args, **kw):
    return altbot.plan_fix(".", captioner=kw.pop("captioner", "metadata"), no_cache=True, **kw)


def ledger(root) -> list[tuple]:
    path = root / ".altbot" / "decisions.json"
    if not path.exists():
        return []
    return sorted((d["page"], d["src"], d["decision"], d.get("alt")) for d in json.loads(path.read_text())["decisions"])


def by_place(plan) -> dict:
    return {(p.path, p.line): p.id for p in plan.proposals}


def plan_ids_but(plan, *keep):
    return [p.id for p in plan.proposals if p.id not in keep and p.will_write]


def test_undo_restores_the_proposal_and_forgets_the_ledger_entry(tree):
    plan = plan_of()
    ids = by_place(plan)
    pid = ids[("index.html", 3)]
    before = plan.proposal(pid)
    assert plan.decision(pid) is None
    plan.decide(pid, "accept", "Boats at dawn")
    assert plan.decision(pid) == "accept"
    assert plan.undo(pid) == before
    assert plan.decision(pid) is None
    with pytest.raises(DecisionError, match="nothing to undo"):
        plan.undo(pid)
    assert not plan.ledger.dirty  # the entry the decision recorded is gone, and nothing else changed
    plan.decide(pid, "reject")
    plan.decide(pid, "accept")  # a second decision on top; undo takes back one at a time
    assert plan.undo(pid).status.value == "skipped" and plan.decision(pid) == "reject"
    plan.undo(pid)
    assert plan.write().ok
    # no reviewer decision is left; what remains is the provenance of the alt fix wrote
    import json

    entries = json.loads((tree / ".altbot" / "decisions.json").read_text())["decisions"]
    assert {e["decision"] for e in entries} == {"written"}
    # the plan wrote what fix --write writes: the proposal, not the undone edit
    assert '<img src="harbour.png" alt="Fishing boats in the harbour at dawn">' in (tree / "index.html").read_text()


def test_undo_after_a_write_removes_the_saved_entry_and_the_next_write_restores_the_file(tree):
    plan = plan_of()
    ids = by_place(plan)
    a, b = ids[("index.html", 3)], ids[("index.html", 5)]
    plan.decide(a, "accept", "Boats at dawn")
    for pid in plan_ids_but(plan, a, b):
        plan.decide(pid, "skip")
    plan.decide(b, "accept")
    assert plan.write().ok
    assert ledger(tree) == [
        ("index.html", "harbour.png", "reviewed", "Boats at dawn"),
        ("index.html", "team.png", "reviewed", "The team at the 2024 offsite"),
    ]
    assert '<img src="harbour.png" alt="Boats at dawn">' in (tree / "index.html").read_text()
    plan.undo(a)
    plan.decide(a, "skip")
    result = plan.write()  # a second write on the same plan: over what the first one wrote
    assert result.ok and result.written == ["index.html"]
    assert (tree / "index.html").read_text() == INDEX.replace('<img src="team.png">', '<img src="team.png" alt="The team at the 2024 offsite">')
    assert ledger(tree) == [("index.html", "team.png", "reviewed", "The team at the 2024 offsite")]
    assert plan.unwritten_paths() == []


def test_a_second_write_still_refuses_a_file_changed_by_someone_else(tree):
    plan = plan_of()
    assert plan.write().ok
    written = (tree / "index.html").read_bytes()
    (tree / "index.html").write_bytes(written + b"<!-- edited -->\n")
    plan.decide(by_place(plan)[("index.html", 4)], "accept", "A red bicycle")
    result = plan.write()
    assert not result.ok and "changed since it was scanned" in result.failed["index.html"]
    assert (tree / "index.html").read_bytes() == written + b"<!-- edited -->\n"
    assert plan.unwritten_paths() == ["index.html"]


def test_undo_of_a_decision_that_replaced_an_older_ledger_entry_puts_it_back(tree):
    plan = plan_of()
    pid = by_place(plan)[("post.md", 8)]
    plan.decide(pid, "reject")
    plan.write()
    entry = [d for d in json.loads((tree / ".altbot" / "decisions.json").read_text())["decisions"] if d["page"] == "post.md"]
    again = plan_of()
    pid = by_place(again)[("post.md", 8)]
    assert again.proposal(pid).reason == "suggestion rejected in the ledger"
    again.decide(pid, "accept", "A red bicycle on a wall")
    again.undo(pid)
    again.write()
    after = [d for d in json.loads((tree / ".altbot" / "decisions.json").read_text())["decisions"] if d["page"] == "post.md"]
    assert after == entry  # the date too: the old entry is back as it was


def test_excerpt_lines_around_the_image_with_crlf_and_a_minified_line(tree):
    (tree / "index.html").write_bytes(b"<html lang='en'>\r\n<p>one</p>\r\n<p>two</p>\r\n<img src=\"harbour.png\">\r\n<p>three</p>\r\n</html>\r\n")
    (tree / "min.html").write_text('<html lang="en"><p>' + "x" * 2000 + '</p><img src="team.png"><p>' + "y" * 2000 + "</p></html>")
    plan = plan_of()
    ids = by_place(plan)
    ex = plan.excerpt(ids[("index.html", 4)])
    assert (ex.first_line, ex.element) == (2, '<img src="harbour.png">')
    assert ex.before == "<p>one</p>\n<p>two</p>\n" and ex.after == "\n<p>three</p>\n</html>"
    assert plan.excerpt(ids[("index.html", 4)], lines=0).before == ""
    ex = plan.excerpt(ids[("min.html", 1)], width=100)
    assert ex.truncated and ex.element == '<img src="team.png">'
    assert ex.before == "…" + "x" * 96 + "</p>" and ex.after == "<p>" + "y" * 97 + "…"
    assert ex.first_line == 1


def test_load_image_reads_the_file_and_never_the_network(tree):
    (tree / "index.html").write_text('<html lang="en"><img src="harbour.png"><img src="https://example.com/a.png"></html>')
    plan = altbot.plan_fix(".", captioner="metadata", no_cache=True, allow_remote=False)
    ids = by_place(plan)
    got = plan.load_image(0)
    assert got.data == (tree / "harbour.png").read_bytes() and got.key == plan.proposal(0).image_hash
    remote = [p for p in plan.proposals if p.src and p.src.startswith("https")][0]
    assert "not fetched" in plan.load_image(remote.id).reason
    assert ids




def test_ledger_checkpoint_and_rollback(tmp_path):
    from altbot.ledger import Ledger

    path = str(tmp_path / "decisions.json")
    led = Ledger(path)
    cp = led.checkpoint("p.html", "a.png", "h")
    led.record("p.html", "a.png", "h", "rejected")
    led.rollback(cp)
    assert led.lookup("p.html", "a.png", "h") is None and not led.dirty  # never saved: as if nothing happened
    led.record("p.html", "a.png", "h", "reviewed", "A cat")
    led.save()
    saved = led.lookup("p.html", "a.png", "h")
    cp = led.checkpoint("p.html", "a.png", "h")
    led.record("p.html", "a.png", "h", "rejected")
    led.save()
    led.rollback(cp)
    assert led.dirty and led.lookup("p.html", "a.png", "h") == saved
    led.save()
    assert Ledger.load(path).entries() == [saved]  # the file has the older entry back, date and all
