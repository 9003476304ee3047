"""BCP 47 language tags (used by every stage): normalising a tag (``langcodes``,
loaded only when a tag is normalised), its primary subtag, and whether a folder
name is a language code.
"""

from __future__ import annotations

import re

_SEP = re.compile(r"[-_]")

_TAG_SHAPE = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")
# A POSIX locale's encoding and modifier: fr_FR.UTF-8, de_DE@euro
_POSIX_TAIL = re.compile(r"[.@].*$")
# langcodes maps these to other languages (tl → fil); the author's code is kept.
_KEEP_LANGUAGE = frozenset({"tl"})
_NORM_CACHE: dict[str, tuple[str | None, str | None]] = {}


def _case_tag(tag: str) -> str:
    """BCP 47 casing: language lower, Script title, REGION upper, the rest lower."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    private = False
    for p in parts[1:]:
        if private or len(out) > 1 and len(out[-1]) == 1:  # after a singleton: extension/private use
            out.append(p.lower())
            private = private or out[-2] == "x"
            continue
        if p.lower() == "x":
            private = True
            out.append("x")
        elif len(p) == 4 and p.isalpha():
            out.append(p.title())
        elif (len(p) == 2 and p.isalpha()) or (len(p) == 3 and p.isdigit()):
            out.append(p.upper())
        else:
            out.append(p.lower())
    return "-".join(out)


# Tags a site uses most, which langcodes leaves as they are once cased: normalised without
# loading langcodes (about 20 ms at start-up). tests/test_language.py checks them against it.
COMMON_LANGUAGES = frozenset(
    "af am ar az be bg bn bs ca cs cy da de el en eo es et eu fa fi fr ga gd gl gu he hi hr hu hy id is it "
    "ja ka kk km kn ko ky lo lt lv mk ml mn mr ms mt my nb ne nl nn no or pa pl ps pt ro ru si sk sl so sq sr "
    "sv sw ta te th tr uk ur uz vi xh yo zh zu".split()
)
COMMON_REGIONS = frozenset(
    "US GB CA AU NZ IE IN ZA FR BE CH LU DE AT ES MX AR CO CL PE BR PT IT NL JP CN TW HK SG KR RU UA PL CZ SE "
    "NO DK FI GR TR IL SA EG AE".split()
)
_SIMPLE = re.compile(r"^([A-Za-z]{2})(?:-([A-Za-z]{2}))?$")


def _normalize(tag: str) -> tuple[str | None, str | None]:
    """(normalised tag, None) or (None, why it was rejected)."""
    t = _POSIX_TAIL.sub("", tag.strip()).replace("_", "-")
    if not t:
        return None, "empty language tag"
    m = _SIMPLE.match(t)
    if m and m.group(1).lower() in COMMON_LANGUAGES and (m.group(2) is None or m.group(2).upper() in COMMON_REGIONS):
        return _case_tag(t), None
    if not _TAG_SHAPE.match(t):
        return None, f"{tag!r} is not a language tag"
    import langcodes

    if not langcodes.tag_is_valid(t):
        return None, f"{tag!r} is not a valid BCP 47 language tag"
    try:
        out = langcodes.standardize_tag(t)
    except Exception:  # langcodes' own parse error on odd but "valid" tags
        out = _case_tag(t)
    primary = t.split("-")[0].lower()
    if primary in _KEEP_LANGUAGE:
        out = _case_tag(t)
    lang = out.split("-")[0]
    if lang == "und" or lang == "x" or not langcodes.tag_is_valid(out):
        return None, f"{tag!r} names no language"
    return out, None


def normalize_tag(tag: str | None) -> str | None:
    """``"FR"`` → ``"fr"``, ``"en_US"`` → ``"en-US"``, ``"pt-br"`` → ``"pt-BR"``; invalid → None."""
    if not isinstance(tag, str):
        return None
    hit = _NORM_CACHE.get(tag)
    if hit is None:
        hit = _NORM_CACHE[tag] = _normalize(tag)
    return hit[0]


def why_invalid(tag: str) -> str:
    normalize_tag(tag)
    return _NORM_CACHE.get(tag, (None, f"{tag!r} is not a language tag"))[1] or f"{tag!r} is not a language tag"


# Valid two-letter codes that are also everyday words or folder names: they count as
# language folders only beside two other language folders (see _folder_language).
AMBIGUOUS_FOLDERS = frozenset("am an as be by do he hi id in is it my no on or so to".split())
_FOLDER_SHAPE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$", re.I)


def folder_tag(name: str) -> str | None:
    """A directory name that looks like a language code (``fr``, ``pt-br``, ``zh_Hans``)."""
    if not _FOLDER_SHAPE.match(name):
        return None
    return normalize_tag(name)





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
