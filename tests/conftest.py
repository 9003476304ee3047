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


def photo(path, seed: int = 0, size: tuple[int, int] = (64, 48)) -> None:
    """A small noisy RGB image: detailed enough that the decorative check calls it informative."""
    import random

    from PIL import Image as PILImage

    rng = random.Random(seed)
    img = PILImage.new("RGB", size)
    img.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(size[0] * size[1])])
    img.save(path)
