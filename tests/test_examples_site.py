"""examples/site: the images are real files of the right formats, and `check` reports exactly EXPECTED.md."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "examples" / "site"
sys.path.insert(0, str(ROOT / "examples"))
import make_images  # noqa: E402


def test_every_generated_image_is_real():
    for rel, fmt in make_images.OUTPUTS.items():
        path = SITE / rel
        assert path.is_file(), rel
        if fmt == "SVG":
            ET.fromstring(path.read_bytes())
        else:
            with Image.open(path) as im:
                assert im.format == fmt, rel


def test_images_are_reproducible(tmp_path):
    """Same pixels (exactly for lossless formats; within JPEG noise), whatever the encoder library builds."""
    from PIL import ImageChops, ImageStat

    make_images.generate(tmp_path)
    for rel, fmt in make_images.OUTPUTS.items():
        if rel in make_images.TEXT_IMAGES and make_images.find_font() is None:
            continue  # pixels depend on the font found
        new, old = tmp_path / rel, SITE / rel
        if fmt == "SVG":
            assert new.read_bytes() == old.read_bytes(), rel
            continue
        with Image.open(new) as a, Image.open(old) as b:
            a, b = a.convert("RGBA"), b.convert("RGBA")
            assert a.size == b.size, rel
            diff = ImageStat.Stat(ImageChops.difference(a, b)).mean
            limit = 2.0 if fmt == "JPEG" else 0.0
            assert max(diff) <= limit, (rel, diff)


def test_every_referenced_local_image_exists():
    from altbot.config import load_config
    from altbot.discover import iter_candidates, read_source
    from altbot.images import ImageError, load_image
    from altbot.parse import parse_source

    cfg = load_config(start=SITE)
    missing = []
    for cand in iter_candidates([str(SITE)], cfg, []):
        source = read_source(cand, cfg)
        for img in parse_source(source).images:
            if img.src and not img.dynamic_alt and "{{" not in img.src:
                got = load_image(img.src, source.abspath, cfg)
                if isinstance(got, ImageError):
                    missing.append((cand.display, img.src, got.reason))
    assert missing == []


def expected_rows():
    rows = []
    for line in (SITE / "EXPECTED.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\| (\S+) \| (\d+):(\d+) \| (\S+) \| (\S+) \| (.*?) \| .* \|$", line)
        if m:
            path, line_no, col, rule, sev, src = m.groups()
            rows.append((path, int(line_no), int(col), rule, sev, src.replace("\\|", "|").strip() or None))
    return rows


def test_check_reports_exactly_the_expected_table():
    out = subprocess.run(
        [sys.executable, "-m", "altbot", "check", "examples/site", "--format", "json"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert out.returncode == 1, out.stderr
    doc = json.loads(out.stdout)
    got = [
        (f["path"].removeprefix("examples/site/"), f["line"], f["column"], f["rule"], f["severity"], f["src"])
        for f in doc["findings"]
    ]
    assert got == expected_rows()
    assert doc["summary"]["errors"] == 0


def test_fix_never_writes_english_into_the_basque_page(tmp_path):
    import shutil

    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    out = subprocess.run(
        [sys.executable, "-m", "altbot", "fix", str(site), "--captioner", "metadata", "--no-cache", "--write", "--explain"],
        cwd=tmp_path, capture_output=True, text=True, env={**__import__("os").environ, "HF_HUB_OFFLINE": "1"},
    )
    assert out.returncode == 1, out.stderr
    assert (site / "content/eu/_index.md").read_text(encoding="utf-8") == (SITE / "content/eu/_index.md").read_text(
        encoding="utf-8"
    )
    assert "page is in eu" in out.stderr
    # nor into the French one; the English page got the author's EXIF description of the same photo
    assert "Green hills" not in (site / "content/fr/_index.md").read_text(encoding="utf-8")
    assert '{{< figure src="/images/landscape.jpg" alt="Green hills under a setting sun" >}}' in (
        site / "content/en/about.md"
    ).read_text(encoding="utf-8")
