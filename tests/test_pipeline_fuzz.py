"""Whatever bytes a file holds, the pipeline gives images or errors — never an exception."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from altbot.discover import decode
from altbot.model import FileError, Kind, SourceFile
from altbot.parse import parse_source
from tests.conftest import assert_spans_within

FRAGMENTS = st.sampled_from(
    [
        "<img", " src=", '"a.png"', " alt=", "'", '"', ">", "/>", "<!--", "-->", "<script>", "</script>",
        "{{", "}}", "{%", "%}", "{{<", ">}}", "![", "](", ")", "[", "]", "\n", "\r\n", "\r", "```", "    ",
        "---\n", "+++\n", "image: x.png\n", "<Image ", "alt={", "}", "{/*", "*/}", "<svg role=img>", "<title>",
        "aria-hidden=true", "&amp;", "\\", "`", "> ", "- ", "é", "\t", "<picture>", "[ref]: /x.png\n",
    ]
)
TEXTS = st.one_of(st.text(max_size=300), st.lists(FRAGMENTS, max_size=60).map("".join))


@settings(max_examples=300, deadline=None)
@given(text=TEXTS, kind=st.sampled_from(list(Kind)))
def test_parse_never_raises_and_spans_are_in_bounds(text, kind):
    src = SourceFile("f", "/f", kind, text.encode("utf-8", "surrogatepass"), text, "utf-8")
    result = parse_source(src)
    assert not any("internal error" in e.message for e in result.errors), result.errors
    assert_spans_within(result.images, text)


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=200), kind=st.sampled_from(list(Kind)))
def test_decode_gives_text_or_error(raw, kind):
    got = decode(raw, kind, "f")
    if isinstance(got, FileError):
        assert got.message
    else:
        text, enc, bom = got
        assert bom + text.encode(enc) == raw
