"""fix writes alt text in the page's language, or leaves the finding open and says why."""

from __future__ import annotations

import pytest

from altbot.caption import base
from altbot.cli import main
from altbot.outcome import Caption
from tests.conftest import photo


class EnglishOnly:
    name, model = "english-only", "en-v1"

    def __init__(self, **kw):
        pass

    def caption(self, requests):
        return [Caption("A red square on a white table", 0.9, "english-only", "en-v1", "en") for _ in requests]


@pytest.fixture
def french_site(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    photo(tmp_path / "red.png")
    (tmp_path / "page.md").write_text("---\nlang: fr\n---\n\n![](red.png)\n")
    (tmp_path / "en.md").write_text("---\nlang: en\n---\n\n![](red.png)\n")
    reg = dict(base._REGISTRY)
    reg["offline"] = EnglishOnly
    monkeypatch.setattr(base, "_REGISTRY", reg)
    return tmp_path


def fix(capsys, *argv):
    rc = main(["fix", ".", "--captioner", "offline", "--no-cache", *argv])
    return rc, capsys.readouterr()


def test_no_route_leaves_the_french_page_open_with_the_reason(french_site, capsys, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    rc, out = fix(capsys, "--write", "--explain")
    assert rc == 1
    assert (french_site / "page.md").read_text().endswith("![](red.png)\n")  # no English on a French page
    assert (french_site / "en.md").read_text().endswith("![A red square on a white table](red.png)\n")
    assert "the caption is in en but the page is in fr" in out.err
    assert "pass --fallback-lang en" in out.err


def test_fallback_lang_opts_in_to_english(french_site, capsys, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    rc, _ = fix(capsys, "--write", "--fallback-lang", "en")
    assert rc == 0
    assert (french_site / "page.md").read_text().endswith("![A red square on a white table](red.png)\n")


def test_configured_translation_model_translates(french_site, capsys, tmp_path_factory, monkeypatch):
    from tests.tiny_translation_models import build_marian

    model_dir = build_marian(str(tmp_path_factory.mktemp("marian") / "en-fr"))
    (french_site / ".altbot.toml").write_text(f'[translation]\nfr = "{model_dir}"\n')
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    rc, out = fix(capsys, "--explain")
    # a random-weight model writes gibberish, but it is the French route's output, marked for review
    assert "page.md:5:1 empty-alt: fixed" in out.err
    explained = out.err.split("page.md:5:1", 1)[1].split("page language", 1)[0]
    assert "lang: fr" in explained and "+ " + model_dir in explained
    assert "A red square on a white table" not in explained


def test_a_caption_of_unknown_language_is_not_written_into_a_french_page(french_site, capsys, monkeypatch):
    import altbot.planner as fixmod

    class NoLanguage(EnglishOnly):
        def caption(self, requests):
            return [Caption("Xq zv 2024", 0.1, "metadata", None, None) for _ in requests]

    base._REGISTRY["offline"] = NoLanguage
    monkeypatch.setattr(fixmod, "_detect_language", lambda text, page_lang=None: None)  # the identifier cannot tell
    rc, out = fix(capsys, "--write")
    assert (french_site / "page.md").read_text().endswith("![](red.png)\n")
    assert "cannot tell which language the caption 'Xq zv 2024' is in" in out.err
    assert (french_site / "en.md").read_text().endswith("![Xq zv 2024](red.png)\n")  # English page: written
    rc, out = fix(capsys, "--write", "--fallback-lang", "en")
    assert (french_site / "page.md").read_text().endswith("![Xq zv 2024](red.png)\n")
