"""Start-up (issue 12): a check loads only the parsers its files need."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

_PARSERS = ("altbot.parse.frontmatter", "altbot.parse.shortcodes", "altbot.parse.jsx", "altbot.parse.markdown",
            "altbot.parse.markdown_pulldown", "markdown_it", "altbot.parse.html", "yaml", "html.entities")


def _loaded(tmp_path: Path, name: str, text: str) -> list[str]:
    (tmp_path / ".altbot.toml").write_text("")
    (tmp_path / name).write_text(text, encoding="utf-8")
    code = (
        "import json, sys\n"
        "from altbot.cli import main\n"
        f"main(['check', {str(tmp_path / name)!r}])\n"
        f"print(json.dumps([m for m in {_PARSERS!r} if m in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "name, text, loaded",
    [
        pytest.param("p.html", '<html lang="fr"><body><img src="c.png"></body></html>', ["altbot.parse.html"],
                     id="html"),
        # check computes no decorative context, so the text's entity is never decoded
        pytest.param("p.html", "<p>&copy; {{ x }}</p><img src=c.png>",
                     ["altbot.parse.shortcodes", "altbot.parse.html"], id="html-template-entity-in-text"),
        pytest.param("p.html", '<p>{{ x }}</p><img src=c.png alt="&copy; 2026">',
                     ["altbot.parse.shortcodes", "altbot.parse.html", "html.entities"], id="html-entity-in-alt"),
        # Markdown is read by pulldown-cmark: markdown-it (and the html.entities it loads) stays out
        pytest.param("p.md", "# Hi\n\n![](a.png)\n",
                     ["altbot.parse.markdown", "altbot.parse.markdown_pulldown", "altbot.parse.html"], id="markdown"),
        pytest.param("p.md", "---\ntitle: Hi\n---\n# Hi\n\n![](a.png)\n",
                     ["altbot.parse.frontmatter", "altbot.parse.markdown", "altbot.parse.markdown_pulldown",
                      "altbot.parse.html"],
                     id="markdown-imageless-front-matter"),
        # a body with no image, raw HTML or code span is not parsed at all; a flat front
        # matter (``key: value`` lines) is read without PyYAML
        pytest.param("p.md", "---\nimage: a.png\n---\n# Hi\n",
                     ["altbot.parse.frontmatter", "altbot.parse.markdown", "altbot.parse.markdown_pulldown"],
                     id="markdown-flat-front-matter-image"),
        pytest.param("p.md", "---\nimages:\n  - src: a.png\n---\n# Hi\n",
                     ["altbot.parse.frontmatter", "altbot.parse.markdown", "altbot.parse.markdown_pulldown", "yaml"],
                     id="markdown-nested-front-matter-image"),
        # MDX stays on markdown-it (MDX turns off indented code and raw HTML)
        pytest.param("p.mdx", "# Hi\n\n![](a.png)\n",
                     ["altbot.parse.jsx", "altbot.parse.markdown", "markdown_it", "html.entities"], id="mdx"),
    ],
)
def test_a_check_loads_only_the_parsers_it_needs(tmp_path, name, text, loaded):
    assert _loaded(tmp_path, name, text) == loaded
