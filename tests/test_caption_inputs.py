"""Issue 13, parts 5, 7 and 9: page context in every caption request, keys that cover every
input a caption depends on, each image captioned once (and translated per page language),
models loaded only when an image needs them, and the provenance of every alt altbot writes."""

from __future__ import annotations

import json
import shutil

import pytest

import altbot
from altbot.caption import base
from altbot.caption.base import CaptionRequest, request_key
from altbot.cli import main
from altbot.images import ImageData
from altbot.outcome import Caption
from tests.conftest import photo


class Recording:
    """A captioner that records what it is asked, and answers from what it declares it reads."""

    model = "rec-1"

    def __init__(self, name="recording", uses=frozenset(), lang="en"):
        self.name, self.uses, self.lang, self.seen = name, frozenset(uses), lang, []

    def caption(self, requests):
        self.seen.extend(requests)
        out = []
        for r in requests:
            words = ["A", "harbour", "at", "dawn"] + (["near", dict(r.context).get("section", "")] if "context" in self.uses else [])
            out.append(Caption(" ".join(w for w in words if w), 0.9, self.name, self.model, lang=self.lang))
        return out


@pytest.fixture
def registry(monkeypatch):
    reg = dict(base._REGISTRY)
    monkeypatch.setattr(base, "_REGISTRY", reg)
    return reg


def test_the_same_pixels_under_two_names_get_their_own_names(tmp_path, monkeypatch):
    """The issue's case: dedup keyed on pixels wrote "Red bicycle" for blue-front-door.png too."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".altbot.toml").write_text("")
    photo(tmp_path / "red-bicycle.png", 1)
    shutil.copy(tmp_path / "red-bicycle.png", tmp_path / "blue-front-door.png")
    (tmp_path / "p.html").write_text('<html lang="en"><img src="red-bicycle.png">\n<img src="blue-front-door.png"></html>\n')
    alts = {p.src: p.alt for p in altbot.plan_fix(".", captioner="filename").proposals}
    assert alts == {"red-bicycle.png": "Red bicycle", "blue-front-door.png": "Blue front door"}


@pytest.mark.parametrize(
    "uses, differs",
    [
        pytest.param(frozenset(), set(), id="pixels-only-backend"),
        pytest.param({"name"}, {"name"}, id="name-based"),
        pytest.param({"context"}, {"context"}, id="context-aware"),
        pytest.param({"lang"}, {"lang"}, id="writes-in-the-language"),
    ],
)
def test_request_key_covers_exactly_what_the_backend_reads(uses, differs):
    cap = Recording(uses=uses)
    a = CaptionRequest(ImageData("k", b"", "a.png", None, "a.png"), lang="fr", context=(("section", "Menu"),))
    changed = {
        "name": CaptionRequest(ImageData("k", b"", "b.png", None, "b.png"), lang="fr", context=a.context),
        "context": CaptionRequest(a.image, lang="fr", context=(("section", "Prices"),)),
        "lang": CaptionRequest(a.image, lang="de", context=a.context),
    }
    for what, other in changed.items():
        assert (request_key(cap, a) != request_key(cap, other)) == (what in differs), what
    unknown = type("Unknown", (), {"name": "u", "model": None})()  # says nothing: reads everything
    assert all(request_key(unknown, a) != request_key(unknown, other) for other in changed.values())


def _site(tmp_path, pages: dict[str, str]):
    (tmp_path / ".altbot.toml").write_text("")
    photo(tmp_path / "harbour.png", 3)
    for name, text in pages.items():
        (tmp_path / name).write_text(text)


PAGE = """---
title: Harbour Café
lang: en
---
# Opening hours

We open at seven every morning. The view from the terrace is the best in town.

![](harbour.png)

Come early for a table by the window.
"""


def test_the_caption_request_carries_the_page_context(tmp_path, monkeypatch, registry):
    monkeypatch.chdir(tmp_path)
    _site(tmp_path, {"index.md": PAGE})
    rec = Recording(uses={"context"})
    plan = altbot.plan_fix(".", captioner=rec, no_cache=True)
    ctx = dict(rec.seen[0].context)
    assert ctx["section"] == "Opening hours" and ctx["page"] == "Harbour Café"
    assert "We open at seven every morning." in ctx["text"] and "Come early for a table" in ctx["text"]
    assert sum(len(k) + 2 + len(v) for k, v in rec.seen[0].context) <= 300
    assert "![" not in ctx["text"] and "#" not in ctx["text"]
    explained = plan.explain()
    assert "context: section: Opening hours; page: Harbour Café" in explained


def test_context_is_bounded_and_stripped_of_markup_code_and_templates(tmp_path, monkeypatch):
    long = "Sentence " + "very " * 200 + "long. "
    page = f"# Notes\n\nSome `code()` and {{{{< shortcode >}}}} and <b>bold</b> text. ![](harbour.png) {long}\n"
    monkeypatch.chdir(tmp_path)
    _site(tmp_path, {"n.md": page})
    rec = Recording(uses={"context"})
    altbot.plan_fix(".", captioner=rec, no_cache=True)
    pairs = rec.seen[0].context
    text = " ".join(v for _, v in pairs)
    assert sum(len(k) + 2 + len(v) for k, v in pairs) <= 300
    assert "code()" not in text and "shortcode" not in text and "<b>" not in text and "bold text" in text
    assert text.endswith("…")  # the long sentence after the image is cut at a word, to fit


@pytest.mark.parametrize(
    "name, page, wanted, unwanted",
    [
        # was: the ESM's JavaScript and the admonition's fence were the image's "text"
        pytest.param("docs/a.mdx", "import Tabs from '@theme/Tabs';\nexport const Hi = ({children}) => <b>{children}</b>;\n\n"
                     "# Harbour\n\n:::tip Early boats\n\nWe sail at seven. ![](harbour.png)\n\n:::\n",
                     ["Early boats", "We sail at seven."], ["Tabs", "export", "children", ":::", "tip"], id="mdx-esm-and-admonition"),
        pytest.param("docs/b.md", '# Harbour\n\n!!! note "Early boats"\n\nWe sail at seven. ![](harbour.png)\n',
                     ["Early boats", "We sail at seven."], ["!!!", "note"], id="mkdocs-admonition"),
        pytest.param("docs/t.md", '# Harbour\n\n=== "Early boats"\n\nWe sail at seven. ![](harbour.png)\n',
                     ["Early boats", "We sail at seven."], ["==="], id="mkdocs-tab"),
        # no change: prose that mentions import and export is text
        pytest.param("docs/c.md", "# Harbour\n\nWe import and export fish. ![](harbour.png)\n",
                     ["We import and export fish."], [], id="prose-no-change"),
    ],
)
def test_context_leaves_out_javascript_and_directive_fences(tmp_path, monkeypatch, name, page, wanted, unwanted):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    _site(tmp_path, {name: page})
    photo(tmp_path / "docs" / "harbour.png", 3)
    rec = Recording(uses={"context"})
    altbot.plan_fix(".", captioner=rec, no_cache=True)
    [request] = rec.seen
    text = dict(request.context)["text"]
    assert all(w in text for w in wanted) and not any(w in text for w in unwanted), text


def test_an_image_on_many_pages_is_captioned_once_by_a_backend_that_ignores_the_page(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _site(tmp_path, {f"p{i}.md": PAGE.replace("Opening hours", f"Section {i}") for i in range(5)})
    rec = Recording(uses=frozenset())
    plan = altbot.plan_fix(".", captioner=rec, no_cache=True)
    assert len(rec.seen) == 1 and len(plan.proposals) == 5
    ctx_rec = Recording(uses={"context"})
    altbot.plan_fix(".", captioner=ctx_rec, no_cache=True)
    assert len(ctx_rec.seen) == 5  # each page is another input for a context-aware one


class FakeTranslator:
    batch_size = 8

    def __init__(self):
        self.calls = []

    def fingerprint(self):
        return "fake"

    def route(self, target, source):
        return f"en-{target}"

    def translate(self, texts, target, source):
        self.calls.append((target, list(texts)))
        return [f"[{target}] {t}" for t in texts]


def test_each_image_is_captioned_once_then_translated_per_page_language():
    from altbot.caption.translate import TranslatingCaptioner

    rec = Recording(uses=frozenset())  # an English-only model: the page's language is not its input
    tr = FakeTranslator()
    cap = TranslatingCaptioner(rec, tr)
    image = ImageData("same-pixels", b"", "h.png", None, "h.png")
    got = cap.caption([CaptionRequest(image, lang=lang) for lang in ("en", "fr", "de", "fr")])
    assert len(rec.seen) == 1
    assert [c.text for c in got] == ["A harbour at dawn", "[fr] A harbour at dawn", "[de] A harbour at dawn", "[fr] A harbour at dawn"]
    again = cap.caption([CaptionRequest(image, lang="it")])  # a later batch: still no new model call
    assert len(rec.seen) == 1 and again[0].text == "[it] A harbour at dawn"


def test_no_model_loads_when_nothing_needs_a_caption(tmp_path, monkeypatch, registry, capsys):
    built = []

    def transformers(**kw):
        built.append(kw)
        return Recording("transformers")

    registry["transformers"] = transformers
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".altbot.toml").write_text("")
    (tmp_path / "ok.md").write_text("![A harbour at dawn](harbour.png)\n")
    assert main(["fix", "--captioner", "transformers", "--no-cache", "."]) == 0
    assert built == []
    photo(tmp_path / "harbour.png", 3)
    (tmp_path / "todo.md").write_text("---\nlang: en\n---\n![](harbour.png)\n")
    assert main(["fix", "--captioner", "transformers", "--no-cache", "."]) == 1
    assert len(built) == 1
    capsys.readouterr()


def test_a_model_that_cannot_load_is_one_error_and_exit_2(tmp_path, monkeypatch, registry, capsys):
    from altbot.caption.base import CaptionerError

    def transformers(**kw):
        raise CaptionerError("cannot load captioning model x: not in the cache; run hf download x")

    registry["transformers"] = transformers
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".altbot.toml").write_text("")
    photo(tmp_path / "harbour.png", 3)
    (tmp_path / "a.md").write_text("![](harbour.png)\n")
    assert main(["fix", "--captioner", "transformers", "--no-cache", "."]) == 2
    err = capsys.readouterr().err
    assert err.count("cannot load captioning model x") == 1 and "Traceback" not in err


def test_the_ledger_records_who_wrote_each_alt_and_lists_machine_text(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _site(tmp_path, {"a.md": PAGE, "b.md": PAGE.replace("harbour.png", "harbour2.png")})
    photo(tmp_path / "harbour2.png", 4)
    plan = altbot.plan_fix(".", captioner=Recording(uses=frozenset()), no_cache=True)
    b = next(p for p in plan.proposals if p.path == "b.md")
    plan.decide(b.id, "accept", "The harbour at first light")
    assert plan.write().ok
    entries = {e["page"]: e for e in json.loads((tmp_path / ".altbot/decisions.json").read_text())["decisions"]}
    assert (entries["a.md"]["decision"], entries["a.md"]["backend"], entries["a.md"]["model"]) == ("written", "recording", "rec-1")
    assert entries["a.md"]["alt"] == "A harbour at dawn" and entries["a.md"]["date"]
    assert (entries["b.md"]["decision"], entries["b.md"]["backend"]) == ("reviewed", "reviewer")
    capsys.readouterr()
    assert main(["ledger", "list", "--machine"]) == 0
    out = capsys.readouterr()
    assert "a.md harbour.png written alt='A harbour at dawn'" in out.out and "recording rec-1" in out.out
    assert "b.md" not in out.out and "1 machine-written decision" in out.err


def test_language_detection_reads_no_mdx_javascript():
    """The detector is given the page with its ESM blanked (offsets kept), not the JavaScript."""
    from altbot.model import Kind, SourceFile
    from altbot.parse import parse_source
    from altbot.runner import with_languages

    text = "import Tabs from '@theme/Tabs';\nexport const meta = {title: 'Hello world'};\n\nBonjour à tous. ![](a.png)\n"
    source = SourceFile("a.mdx", "/a.mdx", Kind.MDX, text.encode(), text, "utf-8")
    parsed = parse_source(source)
    seen = []

    class Resolver:
        def resolve(self, im, abspath, page_text, found):
            seen.append(page_text)
            from altbot.language import Resolved

            return Resolved(im.lang, im.lang_source)

    with_languages(parsed.images, source, parsed, Resolver())
    [page_text] = seen
    assert len(page_text) == len(text) and "Bonjour à tous." in page_text
    assert "Tabs" not in page_text and "Hello world" not in page_text
