"""fix twice is fix once, and fix only adds: over generated HTML, Markdown and MDX pages, a
written plan leaves every byte of the page where it was (the old text is a subsequence of the
new), and a second plan over the written pages changes nothing."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import altbot
from altbot.caption.base import register
from altbot.outcome import Caption
from tests.conftest import photo


@register("test-idempotent")
class _Captioner:
    name = "test-idempotent"
    model = "fixed-v1"
    uses = frozenset()

    def __init__(self, **kw) -> None:
        pass

    def caption(self, requests):
        return [Caption("Boats in a harbour", 0.9, self.name, self.model, None) for _ in requests]


# images in each syntax (missing and written alts, in links, figures, lists, quotes) among the
# things that are no image (comments, code, hidden parts) and the line ends and text around them
COMMON = ["\n", "\r\n", "\n\n", "text ", "é ", "\t"]
HTML = COMMON + [
    '<img src="a.png">', "<img src='a.png'/>", "<IMG SRC=a.png>", '<img\nsrc="a.png"\n>', '<img src="a.png" alt="A cat">',
    '<a href="/">', "</a>", "<p>", "</p>", '<div hidden>', "</div>", "<!-- <img src=\"a.png\"> -->",
    '<figure><img src="a.png"><figcaption>Our boat</figcaption></figure>', '<picture><source srcset="a.png"><img src="a.png"></picture>',
    '<input type="image" src="a.png">', "<script>var s = '<img src=a.png>';</script>", '<span lang="fr">', "</span>",
]
MARKDOWN = COMMON + [
    "![](a.png)", '![](a.png "Title")', "[![](a.png)](/)", "![alt text](a.png)", "- item ![](a.png)\n", "> ![](a.png)\n",
    "```\n![](a.png)\n```\n", "    ![](a.png)\n", '<img src="a.png">', "# Heading\n", "`![](a.png)`", "![][r]\n\n[r]: a.png\n",
    "*![](a.png)*", "1. ![](a.png)\n",
]
MDX = COMMON + [
    "![](a.png)", '<img src="a.png" />', "{/* ![](a.png) */}", "[![](a.png)](/)", '<Figure>\n\n![](a.png)\n\n</Figure>\n',
    "```\n![](a.png)\n```\n", "# Heading\n", '<img src="a.png" alt="A cat" />',
]
FRONT = ["", "---\ntitle: Boats\n---\n", "---\nlang: fr\n---\n"]

PAGES = st.one_of(
    st.tuples(st.just("p.html"), st.just(""), st.lists(st.sampled_from(HTML), min_size=1, max_size=25)),
    st.tuples(st.just("p.md"), st.sampled_from(FRONT), st.lists(st.sampled_from(MARKDOWN), min_size=1, max_size=25)),
    st.tuples(st.just("p.mdx"), st.sampled_from(FRONT), st.lists(st.sampled_from(MDX), min_size=1, max_size=25)),
)


def _subsequence(old: bytes, new: bytes) -> bool:
    it = iter(new)
    return all(b in it for b in old)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=PAGES)
def test_fix_only_adds_and_twice_is_once(tmp_path_factory, page):
    name, front, parts = page
    root = tmp_path_factory.mktemp("site")
    (root / ".git").mkdir()
    photo(root / "a.png", 3)
    path = root / name
    path.write_bytes((front + "".join(parts)).encode("utf-8"))
    before = path.read_bytes()
    cwd = os.getcwd()
    os.chdir(root)
    try:
        plan = altbot.plan_fix([name], captioner="test-idempotent", no_cache=True)
        plan.write()
        after = path.read_bytes()
        assert _subsequence(before, after), (before, after)
        again = altbot.plan_fix([name], captioner="test-idempotent", no_cache=True)
        assert not again.changed, again.diff()
        assert not [e for e in again.errors if "internal error" in e.message], again.errors
    finally:
        os.chdir(cwd)
