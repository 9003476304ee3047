"""The versioned alt-text prompt shared by chat VLMs (transformers) and local servers.

The version is part of every cache key: changing the wording must bump it.
"""

from __future__ import annotations

PROMPT_VERSION = "alt-v2"
DECORATIVE = "DECORATIVE"


# English names for the prompt when langcodes' optional name data (language_data) is absent:
# without it langcodes prints a notice on stdout, which would corrupt a diff or JSON output.
_NAMES = {
    "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "da": "Danish", "de": "German",
    "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian",
    "fi": "Finnish", "fr": "French", "ga": "Irish", "gl": "Galician", "he": "Hebrew", "hi": "Hindi",
    "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "ja": "Japanese", "ko": "Korean",
    "lt": "Lithuanian", "lv": "Latvian", "nb": "Norwegian Bokmål", "nl": "Dutch", "no": "Norwegian",
    "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian",
    "sr": "Serbian", "sv": "Swedish", "th": "Thai", "tr": "Turkish", "uk": "Ukrainian", "vi": "Vietnamese",
    "zh": "Chinese",
}


def language_name(tag: str | None) -> str:
    """English name of a BCP 47 tag for the prompt ("fr" → "French"); the tag itself as fallback."""
    if not tag:
        return "English"
    import importlib.util

    from altbot.tags import primary

    if importlib.util.find_spec("language_data") is None:
        return _NAMES.get(primary(tag) or "", tag)
    try:
        import langcodes

        return langcodes.Language.get(tag).display_name("en")
    except Exception:  # an odd tag: the model still understands the tag
        return _NAMES.get(primary(tag) or "", tag)


def alt_text_prompt(lang: str | None, max_length: int, context: str | None = None) -> str:
    lines = [
        "Write the alt text for this image, for a screen-reader user.",
        f"Rules: at most {max_length} characters; factual; one sentence or phrase;",
        'do not start with "image of", "picture of" or "photo of";',
        "include any text visible in the image verbatim, in quotes;",
        f"if the image is purely decorative and conveys no information, answer exactly {DECORATIVE};",
        f"answer in {language_name(lang)}.",
    ]
    if context:
        lines.append(
            "The page around the image, to say what the image is for there (describe the image; "
            f"do not repeat this text): {context}"
        )
    lines.append("Answer with the alt text only.")
    return "\n".join(lines)
