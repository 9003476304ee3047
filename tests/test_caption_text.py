from __future__ import annotations

import pytest

from altbot.caption.text import (
    capitalize_first,
    clean_text,
    collapse_repetition,
    collapse_whitespace,
    cut_to_length,
    drop_final_period,
    finalize,
    remove_prefixes,
    strip_wrapping_quotes,
    trim_dangling,
    with_ocr,
)
from altbot.outcome import Caption


def cap(text, **kw):
    return Caption(text=text, confidence=0.9, backend="test", **kw)


@pytest.mark.parametrize(
    "text,expected",
    [
        pytest.param("  a  dog\n\ton a\u00a0sofa ", "a dog on a sofa", id="collapse"),
        pytest.param("", "", id="empty"),
    ],
)
def test_collapse_whitespace(text, expected):
    assert collapse_whitespace(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        pytest.param('"A dog on a sofa"', "A dog on a sofa", id="ascii"),
        pytest.param("“A dog”", "A dog", id="curly"),
        pytest.param("'A dog'", "A dog", id="single"),
        pytest.param("«Un chien»", "Un chien", id="guillemets"),
        pytest.param("„Ein Hund“", "Ein Hund", id="german"),
        pytest.param("「犬」", "犬", id="japanese"),
        pytest.param('"Open" sign and "Closed" sign', '"Open" sign and "Closed" sign', id="two-quotes-kept"),
        pytest.param('"OPEN" sign', '"OPEN" sign', id="partial-kept"),
        pytest.param("'90s car", "'90s car", id="apostrophe-kept"),
    ],
)
def test_strip_wrapping_quotes(text, expected):
    assert strip_wrapping_quotes(text) == expected


@pytest.mark.parametrize(
    "text,lang,expected",
    [
        pytest.param("image of a dog", "en", "a dog", id="en-image-of"),
        pytest.param("Picture of a dog", None, "a dog", id="en-picture-of"),
        pytest.param("A photo of a dog", "en", "a dog", id="en-a-photo-of"),
        pytest.param("a picture of a dog", "en", "a dog", id="en-a-picture-of"),
        pytest.param("An image showing a dog", "en", "a dog", id="en-an-image-showing"),
        pytest.param("PHOTO OF a dog", "en", "a dog", id="en-case-insensitive"),
        pytest.param("This image shows a dog", "en", "a dog", id="en-this-image-shows"),
        pytest.param("There is a dog", "en", "a dog", id="en-there-is"),
        pytest.param("there are two dogs", "en", "two dogs", id="en-there-are"),
        pytest.param("Alt text: a dog", "en", "a dog", id="en-alt-text-label"),
        pytest.param("a photo of an image of a dog", "en", "a dog", id="en-repeated-prefixes"),
        pytest.param("a dog in a photo of the family", "en", "a dog in a photo of the family", id="en-not-at-start"),
        pytest.param("photography studio", "en", "photography studio", id="en-word-boundary"),
        pytest.param("image of", "en", "image of", id="en-only-prefix-kept"),
        pytest.param("image de la tour Eiffel", "fr", "la tour Eiffel", id="fr-image-de"),
        pytest.param("Photo de la tour Eiffel", "fr", "la tour Eiffel", id="fr-photo-de"),
        pytest.param("une image d'un chat", "fr", "un chat", id="fr-elision"),
        pytest.param("Une image de chat", "fr-CA", "chat", id="fr-une-image-de"),
        pytest.param("il y a un chat", "fr", "un chat", id="fr-il-y-a"),
        pytest.param("Bild von einem Hund", "de", "ein Hund", id="de-bild-von"),
        pytest.param("Foto von der Altstadt", "de", "der Altstadt", id="de-foto-von"),
        pytest.param("ein Bild von Berlin", "de", "Berlin", id="de-ein-bild-von"),
        pytest.param("imagen de un perro", "es", "un perro", id="es-imagen-de"),
        pytest.param("foto de un perro", "es", "un perro", id="es-foto-de"),
        pytest.param("Una imagen de un perro", "es", "un perro", id="es-una-imagen-de"),
        pytest.param("hay un perro", "es", "un perro", id="es-hay"),
        pytest.param("Hay bales in a field", "en", "Hay bales in a field", id="en-hay-is-a-word"),
        pytest.param("Hay bales in a field", None, "Hay bales in a field", id="unknown-lang-hay-kept"),
        pytest.param("immagine di un gatto", "it", "un gatto", id="it-immagine-di"),
        pytest.param("foto di un gatto", "it", "un gatto", id="it-foto-di"),
        pytest.param("imagem de um gato", "pt-BR", "um gato", id="pt-imagem-de"),
        pytest.param("foto de um gato", "pt", "um gato", id="pt-foto-de"),
        pytest.param("afbeelding van een kat", "nl", "een kat", id="nl-afbeelding-van"),
        pytest.param("foto van een kat", "nl", "een kat", id="nl-foto-van"),
        pytest.param("写真：桜の木", "ja", "桜の木", id="ja-shashin"),
        pytest.param("画像には猫が写っている", "ja", "猫が写っている", id="ja-gazou-niwa"),
        pytest.param("写真家の肖像", "ja", "写真家の肖像", id="ja-compound-kept"),
        pytest.param("Bild von einem Hund", None, "ein Hund", id="unknown-lang-tries-all"),
    ],
)
def test_remove_prefixes(text, lang, expected):
    assert remove_prefixes(text, lang) == expected


@pytest.mark.parametrize(
    "text,lang,expected",
    [
        pytest.param("a dog", None, "A dog", id="latin"),
        pytest.param("éléphant", "fr", "Éléphant", id="accent"),
        pytest.param("istanbul", "tr", "İstanbul", id="turkish-dotted-i"),
        pytest.param("istanbul", "en", "Istanbul", id="english-i"),
        pytest.param("ijsbeer", "nl", "IJsbeer", id="dutch-ij"),
        pytest.param("ǆungla", None, "ǅungla", id="digraph-titlecase"),
        pytest.param("ßtraße", "de", "ßtraße", id="sharp-s-untouched"),
        pytest.param("¿qué?", "es", "¿Qué?", id="inverted-question"),
        pytest.param("猫", "ja", "猫", id="no-case"),
        pytest.param("كلب", "ar", "كلب", id="arabic"),
        pytest.param("iPhone on a desk", "en", "IPhone on a desk", id="first-letter-only"),
        pytest.param("42 balloons", None, "42 balloons", id="digit"),
    ],
)
def test_capitalize_first(text, lang, expected):
    assert capitalize_first(text, lang) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        pytest.param("a a a a dog", "a dog", id="single-word-run"),
        pytest.param("on the table on the table on the table", "on the table", id="trigram"),
        pytest.param("a cat on the table on the table", "a cat on the table", id="bigram-twice"),
        pytest.param("the the dog", "the dog", id="function-word-twice"),
        pytest.param("Bora Bora beach", "Bora Bora beach", id="place-name-kept"),
        pytest.param("Walla Walla onions", "Walla Walla onions", id="place-name-kept-2"),
        pytest.param("New York, New York", "New York, New York", id="punctuation-differs"),
        pytest.param("dog Dog DOG", "dog", id="case-insensitive"),
        pytest.param("猫と犬猫と犬猫と犬猫と犬", "猫と犬", id="cjk-run"),
        pytest.param("猫猫", "猫猫", id="cjk-short-kept"),
        pytest.param("a red car", "a red car", id="nothing"),
    ],
)
def test_collapse_repetition(text, expected):
    assert collapse_repetition(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        pytest.param("A dog on a sofa.", "A dog on a sofa", id="phrase"),
        pytest.param("A dog sleeps on a sofa.", "A dog sleeps on a sofa", id="one-sentence"),
        pytest.param("A street. Cars are parked.", "A street. Cars are parked.", id="sentences-kept"),
        pytest.param("Pens, pencils, etc.", "Pens, pencils, etc.", id="abbreviation"),
        pytest.param("A flag of the U.S.", "A flag of the U.S.", id="initialism"),
        pytest.param("To be continued...", "To be continued...", id="ellipsis"),
        pytest.param("桜の木。", "桜の木。", id="cjk-stop-kept"),
        pytest.param("Is it raining?", "Is it raining?", id="question"),
    ],
)
def test_drop_final_period(text, expected):
    assert drop_final_period(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        pytest.param("a dog and", "a dog", id="and"),
        pytest.param("a dog with the", "a dog", id="with-the"),
        pytest.param("a dog,", "a dog", id="comma"),
        pytest.param("a dog -", "a dog", id="dash"),
        pytest.param("a dog (", "a dog", id="open-paren"),
        pytest.param('a sign "', "a sign", id="open-quote"),
        pytest.param("a dog of a", "a dog", id="of-a"),
    ],
)
def test_trim_dangling(text, expected):
    assert trim_dangling(text, "en") == expected


CJK200 = "".join(chr(0x4E00 + i) for i in range(200))
LONG = "A large group of people standing in front of an old building with many windows and a clock tower"


@pytest.mark.parametrize(
    "text,limit,lang,expected",
    [
        pytest.param("short", 125, "en", "short", id="fits"),
        pytest.param(LONG, 60, "en", "A large group of people standing in front of an old building", id="word-boundary"),
        pytest.param(LONG, 48, "en", "A large group of people standing in front", id="no-dangling-of-an"),
        pytest.param("Dogs, cats, and birds in a garden", 17, "en", "Dogs, cats", id="no-dangling-comma-and"),
        pytest.param("Supercalifragilisticexpialidocious", 10, "en", "Supercalif", id="hard-cut-one-word"),
        pytest.param(
            "東京の街並み、高層ビルと夜景が広がり、多くの人々が行き交う様子",
            20,
            "ja",
            "東京の街並み、高層ビルと夜景が広がり",
            id="cjk-prefers-punctuation",
        ),
        pytest.param(
            "东京的街道高楼大厦和夜景非常美丽",
            10,
            "zh",
            "东京的街道高楼大厦和",
            id="cjk-char-boundary",
        ),
        pytest.param("東京" * 100, 125, "ja", "東京" * 62 + "東", id="cjk-counts-characters"),
        pytest.param(
            "ภาพแมวสีดำนอนอยู่บนโซฟาสีแดงในห้องนั่งเล่น", 12, "th", "ภาพแมวสีดำนอ", id="thai-char-boundary"
        ),
        pytest.param(
            'A shop window with a poster reading "Everything must go" and some mannequins',
            60,
            "en",
            'A shop window with a poster reading "Everything must go"',
            id="cut-after-quote",
        ),
        pytest.param(
            'A poster "Everything must go today only" in a shop window',
            30,
            "en",
            "A poster",
            id="not-inside-quote",
        ),
        pytest.param("Café crème sur une table", 10, "fr", "Café crème", id="code-points"),
    ],
)
def test_cut_to_length(text, limit, lang, expected):
    out = cut_to_length(text, limit, lang)
    assert out == expected
    assert len(out) <= limit


def test_cut_never_splits_a_combining_mark():
    text = "e\u0301" * 10  # é as e + combining acute, no spaces
    out = cut_to_length(text, 5, None)
    assert len(out) <= 5 and not out.endswith("e")


@pytest.mark.parametrize(
    "text,lang,limit,expected",
    [
        pytest.param("  image of a dog on a sofa.  ", "en", 125, "A dog on a sofa", id="en-full"),
        pytest.param('"A photo of a cat sleeping."', "en", 125, "A cat sleeping", id="quoted-answer"),
        pytest.param("arafed man sitting on a bench", "en", 125, "Man sitting on a bench", id="arafed"),
        pytest.param("there is a arafed image of a man", "en", 125, "A man", id="arafed-mid"),
        pytest.param("an arafed man with a hat", "en", 125, "A man with a hat", id="arafed-article"),
        pytest.param("a dog on the table on the table on the table", "en", 125, "A dog on the table", id="repeat"),
        pytest.param(
            'a sign reading "NO NO NO" on the the the wall', "en", 125, 'A sign reading "NO NO NO" on the wall',
            id="quote-untouched",
        ),
        pytest.param('a poster reading "image of the week."', "en", 125, 'A poster reading "image of the week."', id="quote-kept"),
        pytest.param("photo de la tour Eiffel.", "fr", 125, "La tour Eiffel", id="fr"),
        pytest.param("写真：桜の木。", "ja", 125, "桜の木。", id="ja"),
        pytest.param("صورة قطة سوداء على الأريكة.", "ar", 125, "صورة قطة سوداء على الأريكة", id="rtl-arabic"),
        pytest.param("\u200fכלב על ספה", "he", 125, "\u200fכלב על ספה", id="rtl-marks-kept"),
        pytest.param(LONG, "en", 60, "A large group of people standing in front of an old building", id="cut"),
        pytest.param(CJK200, "ja", 125, CJK200[:125], id="cjk-length"),
        pytest.param("東京" * 100, "ja", 125, "東京", id="cjk-degenerate-repetition"),
    ],
)
def test_clean_text(text, lang, limit, expected):
    assert clean_text(text, max_length=limit, lang=lang) == expected


def test_finalize_new_caption_and_idempotent():
    c = cap(" a photo of a red car parked on a street.", lang="en")
    out = finalize(c)
    assert out is not c
    assert out.text == "A red car parked on a street"
    assert out.confidence == 0.9 and out.backend == "test" and out.lang == "en"
    assert finalize(out) == out


def test_finalize_none_and_decorative():
    none = cap(None, reason="no usable caption")
    assert finalize(none) == none
    deco = cap("", decorative=True)
    assert finalize(deco).text == ""


def test_finalize_empty_after_cleanup():
    out = finalize(cap("   "))
    assert out.text is None and "no usable caption" in out.reason


def test_finalize_lang_argument_overrides():
    assert finalize(cap("hay un perro", lang="en"), lang="es").text == "Un perro"
    assert finalize(cap("hay un perro", lang="es")).text == "Un perro"


def test_finalize_ocr_verbatim():
    # the caption is the text the image shows: not capitalised, prefixes not removed, full stop kept
    c = cap("photo of the week.  win a prize.", ocr_text="photo of the week.\nwin a prize.")
    assert finalize(c).text == "photo of the week. win a prize."


def test_finalize_quoted_ocr_cut_shortens_description():
    desc = "A crowded storefront in the middle of a busy city street during the evening rush hour"
    text = with_ocr(desc, "GRAND OPENING", 0.1, "en", max_length=None)
    out = finalize(cap(text, ocr_text="GRAND OPENING"), max_length=70)
    assert out.text.endswith('with the text "GRAND OPENING"')
    assert len(out.text) <= 70
    assert out.text.startswith("A crowded storefront")


@pytest.mark.parametrize(
    "desc,ocr,coverage,lang,expected",
    [
        pytest.param("A sign", "Grand  Opening Sale", 0.1, "en", 'A sign reading "Grand Opening Sale"', id="en-sign"),
        pytest.param("A storefront", "grand opening", 0.1, "en", 'A storefront with the text "grand opening"', id="en-general"),
        pytest.param("A sign.", "Open", 0.1, "en", 'A sign reading "Open"', id="en-period-dropped"),
        pytest.param(None, "Grand Opening Sale", 0.0, "en", "Grand Opening Sale", id="no-description"),
        pytest.param("A poster", "WELCOME  to\nthe SHOW", 0.8, "en", "WELCOME to the SHOW", id="mostly-text"),
        pytest.param("A poster", None, 0.1, "en", "A poster", id="no-ocr"),
        pytest.param("A poster", "   ", 0.1, "en", "A poster", id="blank-ocr"),
        pytest.param(None, None, 0.0, "en", None, id="nothing"),
        pytest.param("A poster", "x" * 61, 0.1, "en", "A poster", id="long-ocr-not-quoted"),
        pytest.param("Une affiche", "soldes d'été", 0.1, "fr", "Une affiche avec le texte « soldes d'été »", id="fr"),
        pytest.param("Ein Schild", "Zimmer frei", 0.1, "de-AT", "Ein Schild mit dem Text „Zimmer frei“", id="de"),
        pytest.param("Un cartel", "Se vende", 0.1, "es", "Un cartel con el texto «Se vende»", id="es"),
        pytest.param("Un cartello", "Vendesi", 0.1, "it", "Un cartello con il testo «Vendesi»", id="it"),
        pytest.param("Uma placa", "Vende-se", 0.1, "pt-PT", "Uma placa com o texto «Vende-se»", id="pt"),
        pytest.param("Uma placa", "Vende-se", 0.1, "pt-BR", "Uma placa com o texto “Vende-se”", id="pt-br"),
        pytest.param("Een bord", "Te koop", 0.1, "nl", "Een bord met de tekst “Te koop”", id="nl"),
        pytest.param("看板。", "営業中", 0.1, "ja", "看板、「営業中」と書かれている", id="ja"),
        pytest.param("A sign", "open", 0.1, "xx", 'A sign reading "open"', id="unknown-lang-english"),
        pytest.param("لافتة", "مفتوح", 0.1, "ar", 'لافتة with the text "مفتوح"', id="rtl-untouched"),
    ],
)
def test_with_ocr(desc, ocr, coverage, lang, expected):
    assert with_ocr(desc, ocr, coverage, lang) == expected


def test_with_ocr_cut_shortens_description_first():
    desc = "A long description of a crowded storefront in the middle of a busy city street during the evening rush"
    out = with_ocr(desc, "Grand Opening Sale", 0.1, "en", max_length=80)
    assert out == 'A long description of a crowded storefront with the text "Grand Opening Sale"'
    assert len(out) <= 80


def test_with_ocr_no_room_for_description_keeps_text():
    out = with_ocr("A storefront in the city", "Grand Opening Sale Today", 0.1, "en", max_length=30)
    assert out == "Grand Opening Sale Today"


def test_clean_text_is_idempotent_and_bounded():
    import random

    words = (
        'a the of and image photo dog cat on table sign reading "OPEN" , . 東京 、 写真： there is arafed '
        "Bild von une image de hay 'x' « b » Oui. ? 「営業中」 كلب"
    ).split()
    rng = random.Random(7)
    for _ in range(1500):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 30)))
        for limit in (20, 60, 125):
            for lang in (None, "en", "fr", "ja"):
                once = clean_text(text, max_length=limit, lang=lang)
                assert len(once) <= limit
                assert clean_text(once, max_length=limit, lang=lang) == once, (text, limit, lang)


def test_remove_artefacts_repeated():
    assert clean_text("a arafed arafed image of a dog", lang="en") == "A dog"
    out = finalize(cap("arafed arafed arafed"))
    assert out.text is None and out.reason.startswith("no usable caption")


# -- whole sentences only, for text read from the image ------------------------------------------


@pytest.mark.parametrize(
    "text,limit,expected",
    [
        pytest.param("Short text.", 125, "Short text.", id="fits"),
        pytest.param("One. Two is longer. Three.", 20, "One. Two is longer.", id="two-of-three"),
        pytest.param("Dr. Smith is in. Back at 5 p.m. today.", 20, "Dr. Smith is in.", id="abbreviation-not-an-end"),
        pytest.param("A long first sentence that will not fit here. Second.", 20, None, id="first-too-long"),
        pytest.param("¿Dónde está? ¡Aquí! Y más texto largo aquí.", 20, "¿Dónde está? ¡Aquí!", id="es-marks"),
        pytest.param("東京駅はこちらです。出口は左です。長い文章がここに続きます。", 17, "東京駅はこちらです。出口は左です。", id="cjk-stops"),
        pytest.param("no full stop anywhere in this very long line of text", 20, None, id="no-boundary"),
    ],
)
def test_summarise_sentences(text, limit, expected):
    from altbot.caption.text import summarise_sentences

    assert summarise_sentences(text, limit) == expected


def test_finalize_never_cuts_the_image_text_mid_sentence():
    ocr = "Error: the file could not be saved. The disk is full, so free some space on it and try again in a moment please."
    out = finalize(cap(ocr, ocr_text=ocr), max_length=60)
    assert out.text == "Error: the file could not be saved."
    long = "Do not remove the cover while the machine is running or connected to the mains supply in any way at all"
    out = finalize(cap(long, ocr_text=long), max_length=60)
    assert out.text is None and "inside a sentence" in out.reason


def test_finalize_quoted_image_text_is_shortened_to_sentences_or_left():
    ocr = "Closed today. We are open again tomorrow from nine in the morning until late in the evening."
    out = finalize(cap(f'Sign reading "{ocr}"', ocr_text=ocr), max_length=60)
    assert out.text == 'Sign reading "Closed today."'
    ocr = "We are open again tomorrow from nine in the morning until late in the evening, every day."
    out = finalize(cap(f'Sign reading "{ocr}"', ocr_text=ocr), max_length=60)
    assert out.text is None and "summarise it by hand" in out.reason
