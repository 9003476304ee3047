"""Where a ``<script>`` ends: the tokenizer's script data states (WHATWG 13.2.5.4-13.2.5.31).

A ``<!--`` in a script enters the escaped state, where ``<script`` (then a space, ``/`` or
``>``) enters the double-escaped state: there ``</script>`` only goes back to the escaped
state and does not end the element; ``-->`` goes back to plain script data. Each expected
list is what Chromium builds for the same markup (its DOM's ``img`` elements), checked by
hand when the table was written."""

from __future__ import annotations

import pytest

from altbot.parse.html import parse_html

CASES = [
    # no change: what never involved a double escape
    ('<script>var a = "<img src=x>";</script><img src=after.png>', ["after.png"]),
    ("<script><!-- x --></script><img src=a.png>", ["a.png"]),
    ("<script><!--</script><img src=a.png>", ["a.png"]),
    ("<script><!--<scripts></script><img src=a.png>", ["a.png"]),
    ("<script><!--><script></script><img src=a.png>", ["a.png"]),
    ("<script><!---><script></script><img src=a.png>", ["a.png"]),
    ("<script><!--<script>--></script><img src=a.png>", ["a.png"]),
    ("<script><!-- <script> --> <script> </script><img src=a.png>", ["a.png"]),
    # was: the first </script> ended the script, and an image inside it was reported
    ("<script><!--<script></script><img src=in.png></script><img src=out.png>", ["out.png"]),
    ("<script><!--<SCRIPT>x</SCRIPT>y</script><img src=a.png>", ["a.png"]),
    ("<script><!--<script/></script><img src=in.png>--></script><img src=a.png>", ["a.png"]),
    ("<script><!--<script\n></script><img src=in.png>--></script><img src=a.png>", ["a.png"]),
    ("<script><!-- <script> </script> <img src=in.png></script><img src=a.png>", ["a.png"]),
    ("<script><!--<script></script ><img src=no.png></script><img src=a.png>", ["a.png"]),
    ("<script><!--<script><img src=x.png>", []),  # never closed: the rest of the page is script
    ("<script><!--<script>--!></script><img src=a.png>", []),  # --!> is no -->: still double-escaped
    ('<script type="text/template"><!--<script></script><img src=in.png></script><img src=out.png>', ["out.png"]),
]


@pytest.mark.parametrize("markup, srcs", CASES)
def test_a_script_ends_where_the_tokenizer_ends_it(markup, srcs):
    text = '<!DOCTYPE html><html lang="en"><body>' + markup
    result = parse_html(text, "page.html")
    assert [i.src for i in result.images] == srcs
    assert not result.errors


@pytest.mark.parametrize("markup, srcs", CASES)
def test_the_scripts_body_is_excluded_up_to_its_real_end(markup, srcs):
    """The excluded span (where Markdown and fix never look) runs to the </script> that ends it."""
    text = '<!DOCTYPE html><html lang="en"><body>' + markup
    result = parse_html(text, "page.html")
    start = text.index(">", text.index("<script")) + 1
    [span] = [s for s in result.excluded if s.start == start]
    body = text[span.start : span.end]
    assert "in.png" not in text[span.end :]
    assert text[span.end :].lower().startswith("</script") or span.end == len(text)
    assert body.count("<!--") >= ("<!--" in markup)
