"""LineIndex: offsets to (line, column) over \\n, \\r\\n and lone \\r line breaks."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from altbot.model import LineIndex


def _starts_by_scanning(text: str) -> list[int]:
    """Line starts found character by character: the reference."""
    starts = [0]
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\r" and text.startswith("\r\n", i):
            i += 2
            starts.append(i)
        elif c in "\r\n":
            i += 1
            starts.append(i)
        else:
            i += 1
    return starts


@pytest.mark.parametrize(
    "text, starts",
    [
        pytest.param("", [0], id="empty"),
        pytest.param("a", [0], id="one-line"),
        pytest.param("a\n", [0, 2], id="final-newline"),
        pytest.param("a\nb\n\nc", [0, 2, 4, 5], id="lf"),
        pytest.param("a\r\nb\r\n", [0, 3, 6], id="crlf"),
        pytest.param("a\rb\r\n\rc", [0, 2, 5, 6], id="lone-cr-and-crlf"),
    ],
)
def test_line_starts(text, starts):
    index = LineIndex(text)
    assert [index.line_start(n) for n in range(1, index.line_count + 1)] == starts


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["a", "é", "\n", "\r", "\r\n", " ", "\u2028", "\x85"]), max_size=40).map("".join))
def test_positions_agree_with_a_character_scan(text):
    index = LineIndex(text)
    starts = _starts_by_scanning(text)
    assert index.line_count == len(starts)
    for offset in range(len(text) + 1):
        line = max(n for n, s in enumerate(starts) if s <= offset)
        assert index.position(offset) == (line + 1, offset - starts[line] + 1)
