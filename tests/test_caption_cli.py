"""`altbot caption IMAGE... --json`: the one-image tool's output contract."""

from __future__ import annotations

import json

from PIL import Image

from altbot.cli import main

KEYS = {"path", "alt", "backend", "model", "confidence", "lang", "ocr_text", "verdict"}


def test_caption_json_shape(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    Image.new("RGB", (4, 4), "red").save("team-photo_2024.png")
    Image.new("RGB", (4, 4), "red").save("IMG_1234.png")
    rc = main(["caption", "team-photo_2024.png", "IMG_1234.png", "missing.png", "--captioner", "filename", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 2  # missing.png could not be read
    assert [r["path"] for r in out] == ["team-photo_2024.png", "IMG_1234.png", "missing.png"]
    assert all(KEYS <= set(r) for r in out)
    assert out[0]["alt"] == "Team photo 2024" and out[0]["backend"] == "filename"
    assert out[1]["alt"] is None and "reason" in out[1]
    assert out[2]["alt"] is None and out[2]["reason"].startswith("cannot read")


def test_caption_text_output_and_exit(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    Image.new("RGB", (4, 4), "red").save("harbour-at-dawn.jpg")
    assert main(["caption", "harbour-at-dawn.jpg", "--captioner", "filename"]) == 0
    assert capsys.readouterr().out.startswith("harbour-at-dawn.jpg: Harbour at dawn  [filename")
