from __future__ import annotations

import pytest

from altbot.model import Image, Span, Syntax


def make_image(**kw) -> Image:
    """An Image with harmless defaults, for rule and report tests."""
    defaults = dict(
        path="page.html",
        syntax=Syntax.HTML,
        element="img",
        element_span=Span(0, 10),
        line=1,
        column=1,
        src="photo.jpg",
    )
    defaults.update(kw)
    return Image(**defaults)


@pytest.fixture
def image():
    return make_image
