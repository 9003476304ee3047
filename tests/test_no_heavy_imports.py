"""`altbot check` must run where torch is not installed, and stay fast: it never imports ML stacks."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("torch", "transformers", "onnxruntime", "cv2", "rapidocr")


def test_check_and_scan_do_not_import_ml_libraries(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Hi\n\n![](a.png)\n\n<img src=\"b.png\">\n")
    (tmp_path / "p.html").write_text('<html lang="fr"><img src="c.png"></html>')
    code = (
        "import json, sys\n"
        "from altbot.cli import main\n"
        f"rc1 = main(['check', {str(tmp_path)!r}, '--format', 'json', '--output', {str(tmp_path / 'out.json')!r}])\n"
        f"rc2 = main(['scan', {str(tmp_path)!r}, '--format', 'json', '--output', {str(tmp_path / 'scan.json')!r}])\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(json.dumps({'rc': [rc1, rc2], 'heavy': heavy}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["heavy"] == []
    assert got["rc"] == [1, 0]
    assert json.loads((tmp_path / "out.json").read_text())["summary"]["findings"] == 3


def test_a_plain_check_imports_nothing_it_does_not_use(tmp_path):
    """Issue 12's start-up guard: check of one HTML and one Markdown file, text report."""
    (tmp_path / ".altbot.toml").write_text("")
    (tmp_path / "page.md").write_text("---\ntitle: Hi\nlang: en\n---\n# Hi\n\n![](a.png)\n")
    (tmp_path / "p.html").write_text('<html lang="fr"><body><img src="c.png"></body></html>')
    banned = ("bs4", "langcodes", "numpy", "PIL", "torch", "transformers", "soupsieve", "charset_normalizer",
              "markdown_it_pyrs", "onnxruntime", "cv2", "rapidocr",
              # Markdown is read by pyromark, a flat front matter without PyYAML, and a folder
              # that is no site loads no generator's reader; nothing here needs a hash or fix's records
              "markdown_it", "yaml", "hashlib", "altbot.site.hugo", "altbot.site.jekyll", "altbot.site.astro",
              "altbot.site.docusaurus", "altbot.site.mkdocs", "altbot.site.eleventy", "altbot.outcome")
    code = (
        "import json, sys\n"
        "from altbot.cli import main\n"
        f"rc = main(['check', {str(tmp_path / 'p.html')!r}, {str(tmp_path / 'page.md')!r}])\n"
        f"print(json.dumps({{'rc': rc, 'loaded': [m for m in {banned!r} if m in sys.modules]}}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got == {"rc": 1, "loaded": []}


def test_a_check_with_no_config_file_loads_no_toml_json_or_temp_files(tmp_path):
    """In a repository with no altbot config (the common pre-commit case), a check reads no TOML,
    writes no temporary file, records nothing and prints no JSON: none of those modules load."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "page.md").write_text("# Hi\n\n![](a.png)\n")
    (tmp_path / "p.html").write_text('<html lang="fr"><body><img src="c.png"></body></html>')
    banned = ("tomllib", "typing", "json", "tempfile", "shutil", "threading", "signal", "datetime",
              "altbot.ledger", "bs4", "langcodes", "yaml", "markdown_it")
    code = (
        "import sys\n"
        "from altbot.cli import main\n"
        "rc = main(['check', 'p.html', 'page.md'])\n"
        f"print(repr({{'rc': rc, 'loaded': [m for m in {banned!r} if m in sys.modules]}}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    got = ast.literal_eval(out.stdout.strip().splitlines()[-1])
    assert got == {"rc": 1, "loaded": []}
