"""The offline tier is honest about what it reads: screenshots and dialogs are named as such (not
signs), toggles it cannot read leave the finding for review, long text is summarised only at a
sentence boundary, a link's purpose comes first, frames are in the page's language."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw, ImageFont

from altbot.caption.base import CaptionRequest
from altbot.caption.text import finalize
from altbot.images import ImageData, content_key
from rendered_text import need_font, png


@pytest.fixture(scope="module")
def offline():
    pytest.importorskip("rapidocr")
    from altbot.caption.offline import OfflineCaptioner

    return OfflineCaptioner(classifier=False, threads=2)


def font(size, bold=False):
    return ImageFont.truetype(need_font("DejaVu Sans:bold" if bold else "DejaVu Sans", "fonts-dejavu-core"), size)


def caption(offline, im, lang="en", context=()):
    data = png(im)
    req = CaptionRequest(ImageData(content_key(data), data, "x.png", None, "x.png"), lang=lang, context=tuple(context))
    raw = offline.caption([req])[0]
    return raw, finalize(raw, max_length=125, lang=lang)


def dialog(title, rows, buttons, toggles=False, width=520):
    im = Image.new("RGB", (width, 110 + 60 * len(rows) + 70), (245, 245, 245))
    d = ImageDraw.Draw(im)
    d.rectangle((0, 0, width, 56), fill=(225, 225, 230))
    d.text((20, 14), title, font=font(24, True), fill="black")
    for i, row in enumerate(rows):
        y = 90 + 60 * i
        d.text((24, y), row, font=font(20), fill=(20, 20, 20))
        if toggles:
            on = i % 2 == 0
            d.rounded_rectangle((width - 90, y - 2, width - 34, y + 26), radius=14, fill=(50, 120, 220) if on else (180, 180, 180))
            cx = width - 48 if on else width - 76
            d.ellipse((cx - 11, y + 1, cx + 11, y + 23), fill="white")
    y = im.height - 56
    for j, b in enumerate(buttons):
        x = width - 130 * (len(buttons) - j)
        d.rounded_rectangle((x, y, x + 110, y + 36), radius=6, fill="white", outline=(120, 120, 120))
        d.text((x + 14, y + 7), b, font=font(18), fill="black")
    return im


def alert(lines):
    im = Image.new("RGB", (660, 120 + 34 * len(lines) + 40), (250, 250, 250))
    d = ImageDraw.Draw(im)
    d.rectangle((0, 0, 660, 50), fill=(200, 40, 40))
    d.text((20, 12), "Error", font=font(24, True), fill="white")
    for i, ln in enumerate(lines):
        d.text((24, 80 + i * 34), ln, font=font(19), fill="black")
    y = im.height - 56
    d.rounded_rectangle((540, y, 640, y + 40), radius=6, fill="white", outline="gray")
    d.text((575, y + 8), "OK", font=font(18), fill="black")
    return im


def test_settings_dialog_with_toggles_is_left_for_review(offline):
    raw, final = caption(offline, dialog("Settings", ["Dark mode", "Notifications", "Automatic updates"], ["Cancel", "Save"], toggles=True))
    assert final.text is None
    assert "toggles, checkboxes or radio buttons whose states OCR cannot read" in raw.reason
    assert "Dark mode" in raw.ocr_text  # what was read is still reported


def test_dialog_is_named_by_its_title_not_framed_as_a_sign(offline):
    raw, final = caption(offline, dialog("Settings", ["Account", "Privacy", "Language"], ["Cancel", "Save"]))
    assert final.text == 'Screenshot of the "Settings" dialog'
    assert "Sign" not in final.text and "Account" not in final.text  # no label dump
    assert final.lang == "en"


def test_dialog_frame_is_in_the_page_language(offline):
    _, final = caption(offline, dialog("Einstellungen", ["Konto", "Datenschutz", "Sprache"], ["Abbrechen", "Speichern"]), lang="de")
    assert final.text == "Bildschirmfoto des Dialogs „Einstellungen“" and final.lang == "de"


def test_alert_message_is_summarised_at_a_sentence_boundary(offline):
    lines = [
        "The file could not be saved because the disk is full.",
        "Free some space on the disk and try again, or save",
        "the file to another location on this computer.",
    ]
    raw, final = caption(offline, alert(lines))
    assert final.text == 'Screenshot of the "Error" dialog: "The file could not be saved because the disk is full."'
    assert len(final.text) <= 125


def test_alert_whose_first_sentence_does_not_fit_is_left_for_review(offline):
    lines = [
        "The file could not be saved because the disk that holds your",
        "documents folder is full and the backup location is offline too.",
    ]
    raw, final = caption(offline, alert(lines))
    assert final.text is None and "sentence boundary" in raw.reason


def page(lines, width=900):
    im = Image.new("RGB", (width, 40 + 44 * len(lines)), "white")
    d = ImageDraw.Draw(im)
    for i, ln in enumerate(lines):
        d.text((30, 20 + 44 * i), ln, font=font(24), fill="black")
    return im


def test_page_of_text_keeps_whole_sentences(offline):
    lines = [
        "Our office is closed on public holidays.",
        "Orders placed on those days are shipped on the next working",
        "day, and questions are answered by email within two days.",
    ]
    raw, final = caption(offline, page(lines))
    assert raw.ocr_text == " ".join(lines)
    assert final.text == "Our office is closed on public holidays."


def test_page_of_text_with_no_sentence_that_fits_is_left_for_review(offline):
    lines = [
        "Orders placed on public holidays and on the weekends before them are",
        "shipped on the next working day and questions are answered by email",
        "within two working days by the support team in our main office",
    ]
    raw, final = caption(offline, page(lines))
    assert final.text is None and "first sentence does not fit" in raw.reason
    assert raw.ocr_text == " ".join(lines)


def promo():
    im = Image.new("RGB", (700, 300), (255, 240, 250))
    d = ImageDraw.Draw(im)
    d.text((30, 30), "Design at the speed of thought", font=font(34, True), fill=(80, 0, 80))
    d.text((30, 100), "Prototype, share and collaborate with your team.", font=font(20), fill="black")
    d.rounded_rectangle((30, 180, 400, 236), radius=8, fill=(200, 0, 120))
    d.text((48, 193), "Learn more about Adobe XD", font=font(22), fill="white")
    return im


def test_link_purpose_comes_first(offline):
    _, plain = caption(offline, promo())
    assert plain.text.startswith("Design at the speed")  # not a link: its text
    raw, final = caption(offline, promo(), context=[("link", "Link to https://www.adobe.com/products/xd.html")])
    assert final.text == "Learn more about Adobe XD"
    assert "purpose first" in raw.reason


def test_link_title_comes_first_when_the_image_has_no_such_line(offline):
    im = Image.new("RGB", (600, 200), (250, 240, 200))
    ImageDraw.Draw(im).text((20, 70), "SUMMER SALE", font=font(44, True), fill=(180, 0, 0))
    _, final = caption(offline, im, context=[("link", "Link to /shop (Our online shop)")])
    assert final.text == 'Our online shop: "SUMMER SALE"'


def test_sign_is_framed_in_the_page_language(offline):
    im = Image.new("RGB", (640, 200), (250, 240, 200))
    ImageDraw.Draw(im).text((20, 70), "SOLDES D'ÉTÉ", font=font(48, True), fill=(180, 0, 0))
    raw, final = caption(offline, im, lang="fr")
    assert final.text == "Panneau avec le texte « SOLDES D'ÉTÉ »" and final.lang == "fr"


def test_shapes_give_no_text(offline):
    im = Image.new("RGB", (240, 240), "white")
    d = ImageDraw.Draw(im)
    d.polygon([(120, 20), (220, 200), (20, 200)], fill=(30, 90, 200))
    raw, final = caption(offline, im)
    assert raw.ocr_text is None and final.text is None  # no classifier here: nothing is guessed


def test_unreadable_script_is_said_and_left_out(offline, monkeypatch):
    from altbot.caption import ocr

    monkeypatch.setenv("ALTBOT_TESSERACT", "")
    im = Image.new("RGB", (620, 200), "white")
    ImageDraw.Draw(im).text((20, 70), "Добро пожаловать", font=font(44), fill="black")
    raw, final = caption(offline, im, lang="ru")
    assert final.text is None and raw.ocr_text is None
    assert "cannot be read here" in raw.reason and "tesseract-ocr-rus" in raw.reason
    assert ocr.installed_tesseract_langs() == frozenset()


def test_partial_read_is_not_quoted(offline, monkeypatch):
    from altbot.caption import ocr

    real = ocr.assemble

    def one_line_unsure(raw, engine, script, size, detected=None):
        raw = list(raw)
        raw[-1] = ocr.OcrLine(raw[-1].text, 0.4, raw[-1].box)
        return real(raw, engine, script, size, detected)

    monkeypatch.setattr(ocr, "assemble", one_line_unsure)
    im = Image.new("RGB", (600, 260), (250, 240, 200))
    d = ImageDraw.Draw(im)
    d.text((20, 40), "GRAND OPENING", font=font(44, True), fill=(180, 0, 0))
    d.text((20, 150), "SALE TODAY", font=font(44, True), fill=(180, 0, 0))
    raw, final = caption(offline, im)
    assert final.text is None and "could not be read reliably" in raw.reason


@pytest.mark.parametrize(
    "kind,title,lang,expected",
    [
        ("dialog", "Settings", "en", 'Screenshot of the "Settings" dialog'),
        ("dialog", "Paramètres", "fr", "Capture d’écran de la boîte de dialogue « Paramètres »"),
        ("dialog", "Configuración", "es", "Captura de pantalla del cuadro de diálogo «Configuración»"),
        ("dialog", "Настройки", "ru", "Снимок экрана: диалоговое окно «Настройки»"),
        ("dialog", "Ρυθμίσεις", "el", "Στιγμιότυπο οθόνης του παραθύρου διαλόγου «Ρυθμίσεις»"),
        ("dialog", "設定", "ja", "「設定」ダイアログのスクリーンショット"),
        ("dialog", "Ustawienia", "pl", 'Screenshot of the "Ustawienia" dialog'),  # English, for the translation step
        ("sign", "GRAND OPENING SALE", "en", 'Sign reading "GRAND OPENING SALE"'),
        ("sign", "Zimmer frei", "de", "Schild mit dem Text „Zimmer frei“"),
    ],
)
def test_frames(kind, title, lang, expected):
    from altbot.caption.text import frame_text

    assert frame_text(kind, title, lang) == expected


def test_frame_message_in_whole_sentences():
    from altbot.caption.text import frame_text

    msg = "Saving failed. The disk is full and the backup drive is not connected, so nothing was written anywhere at all."
    assert frame_text("dialog", "Error", "en", body=msg) == 'Screenshot of the "Error" dialog: "Saving failed."'
    assert frame_text("dialog", "Error", "en", body="x" * 200) is None


def test_link_context_parsing():
    from altbot.caption.offline import link_of

    got = link_of([("title", "t"), ("link", "Link to /docs/xd (Learn more; About XD)")])
    assert (got.kind, got.href, got.names) == ("link", "/docs/xd", ("Learn more", "About XD"))
    assert link_of([("link", "Button")]).kind == "button"
    assert link_of([("title", "x")]) is None
