"""BCP 47 helpers that need no language database (used by every stage).

``langcodes`` is the full resolver (``altbot.language``); these are the few
string operations the hot paths and the decide stage need without loading it.
"""

from __future__ import annotations

import re

_SEP = re.compile(r"[-_]")


def primary(tag: str | None) -> str | None:
    """The primary language subtag, lower-cased: "pt-BR" → "pt", "zh_Hant" → "zh"; None/"" → None."""
    if not tag:
        return None
    return _SEP.split(tag.strip(), maxsplit=1)[0].lower() or None


def no_route(caption_lang: str, page_lang: str) -> str:
    """The one message for a caption that cannot be brought into the page's language."""
    return (
        f"the caption is in {caption_lang} but the page is in {page_lang}, and no translation model for "
        f"{primary(page_lang)} is configured ([tool.altbot.translation] {primary(page_lang)} = \"…\"); "
        f"pass --fallback-lang {caption_lang} to write it anyway"
    )
