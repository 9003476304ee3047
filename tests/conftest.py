from __future__ import annotations

import pytest

from altbot.model import Image, Span, Syntax


@pytest.fixture(autouse=True, scope="session")
def _lock_files_in_the_test_tmp():
    """Each project tree a write locks gets a lock file in the runtime dir (``files.tree_lock``),
    kept there, as such files are; the suite makes hundreds of trees, so its locks go in its own
    temp dir (subprocesses inherit it) instead of littering the machine's /tmp."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="altbot-test-run-") as run, pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_RUNTIME_DIR", run)
        yield


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


def assert_spans_within(images, text: str, lo: int = 0) -> None:
    """Every image's spans lie inside the text (from ``lo``), the alt value and the
    insertion point inside the element: the invariant the edit stage relies on."""
    for im in images:
        el = im.element_span
        assert lo <= el.start <= el.end <= len(text), (im, len(text))
        if im.alt_span is not None:
            assert lo <= im.alt_span.start <= im.alt_span.end <= len(text), im
        if im.insert_at is not None:
            assert lo <= im.insert_at <= len(text), im
        assert im.line >= 1 and im.column >= 1


def context_dict(img) -> dict[str, str]:
    """An image's ImageContext as flat (key, value) pairs, for readable test expectations:
    flags as "1", texts as they are; empty fields left out."""
    ctx = img.context
    if ctx is None:
        return {}
    out = {}
    if ctx.in_link:
        out["in_link"] = "1"
    if ctx.in_button:
        out["in_button"] = "1"
    for key in ("link_href", "link_title", "link_label", "link_text", "figcaption", "adjacent_text"):
        value = getattr(ctx, key)
        if value:
            out[key] = value
    if ctx.only_image:
        out["link_only_image" if ctx.in_link else "button_only_image"] = "1"
    return out


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


def described_photo(path, description: str, seed: int = 0, size: tuple[int, int] = (64, 48), iptc_alt: bool = False) -> None:
    """A photo whose file carries the author's description (PNG Description text chunk),
    or, with ``iptc_alt``, an XMP packet with IPTC "Alt Text (Accessibility)": what the
    metadata captioner reads."""
    import random

    from PIL import Image as PILImage
    from PIL.PngImagePlugin import PngInfo

    import os

    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    rng = random.Random(seed)
    img = PILImage.new("RGB", size)
    img.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(size[0] * size[1])])
    info = PngInfo()
    if iptc_alt:
        from xml.sax.saxutils import escape

        xmp = (
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/">'
            "<Iptc4xmpCore:AltTextAccessibility><rdf:Alt>"
            f'<rdf:li xml:lang="x-default">{escape(description)}</rdf:li>'
            "</rdf:Alt></Iptc4xmpCore:AltTextAccessibility></rdf:Description></rdf:RDF></x:xmpmeta>"
        )
        info.add_itxt("XML:com.adobe.xmp", xmp)
    else:
        info.add_text("Description", description)
    img.save(path, pnginfo=info)
