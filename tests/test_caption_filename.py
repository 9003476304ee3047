"""File-name captioner: deterministic humanized names; camera/generic names give no caption."""

from __future__ import annotations

import pytest

from altbot.caption.base import CaptionRequest, get_captioner
from altbot.caption.filename import humanize
from altbot.images import ImageData


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("team-photo_2024.jpg", "Team photo 2024"),
        ("golden-gate-bridge-800x600.jpg", "Golden gate bridge"),
        ("TeamPhoto_final_v2.png", "Team photo"),
        ("NASALogo.svg", "NASA logo"),
        ("sunset.min.jpg", "Sunset"),
        ("company-logo@2x.png", "Company logo"),
        ("GRAND-CANYON.JPG", "Grand canyon"),
        ("café-parisien.jpg", "Café parisien"),
        ("hero-banner-a1b2c3d4e5.webp", None),
        ("img/blog/red-panda-eating.jpeg", "Red panda eating"),
        ("2024-annual-report-cover.png", "2024 annual report cover"),
    ],
)
def test_humanize(name, text):
    assert humanize(name)[0] == text


@pytest.mark.parametrize(
    "name",
    [
        "IMG_1234.JPG",
        "IMG-20240101-WA0001.jpg",
        "DSC0001.jpg",
        "DSCN1234.JPG",
        "PXL_20240101_123456789.jpg",
        "P1000123.JPG",
        "Screenshot 2024-01-02 at 10.11.12.png",
        "Screen Shot 2020-05-01 at 1.02.03 PM.png",
        "WhatsApp Image 2024-01-01 at 10.00.00.jpeg",
        "image.png",
        "image (1).png",
        "untitled.png",
        "photo_2024-01-01_12-00-00.jpg",
        "3f2a9c1e-7b4d-4e2a-9c1e-1234567890ab.png",
        "a1b2c3d4e5.png",
        "logo@2x.png",
        "1699999999.jpg",
        "",
    ],
)
def test_names_that_say_nothing(name):
    text, reason = humanize(name)
    assert text is None
    assert reason.startswith("file name says nothing")


def test_captioner_output():
    cap = get_captioner("filename")
    reqs = [
        CaptionRequest(ImageData("k1", b"", "a", None, "team-photo_2024.jpg"), lang="fr"),
        CaptionRequest(ImageData("k2", b"", "b", None, "IMG_1234.jpg")),
        CaptionRequest(ImageData("k3", b"", "c", None, "spacer.gif")),
        CaptionRequest(ImageData("k4", b"", "d", None, "a-very-long-name-about-the-mountains-of-the-north.png"), max_length=20),
    ]
    a, b, c, d = cap.caption(reqs)
    assert (a.text, a.confidence, a.backend, a.lang, a.low_confidence) == ("Team photo 2024", 0.1, "filename", None, True)
    assert b.text is None and "IMG_1234.jpg" in b.reason
    assert c.text is None and c.decorative
    assert d.text == "A very long name"
