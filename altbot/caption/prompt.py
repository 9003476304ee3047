"""The versioned alt-text prompt shared by chat VLMs (transformers) and local servers.

The version is part of every cache key: changing the wording must bump it.
"""

from __future__ import annotations

PROMPT_VERSION = "alt-v1"
DECORATIVE = "DECORATIVE"


def language_name(tag: str | None) -> str:
    """English name of a BCP 47 tag for the prompt ("fr" → "French"); the tag itself as fallback."""
    if not tag:
        return "English"
    try:
        import langcodes

        return langcodes.Language.get(tag).display_name("en")
    except Exception:  # langcodes missing or an odd tag: the model still understands the tag
        return tag


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
        lines.append(f"Context: {context}")
    lines.append("Answer with the alt text only.")
    return "\n".join(lines)
