"""Edits → bytes, changing no byte outside the edits, in every encoding a page is read in.

Re-encoding the whole edited text gives back the original bytes only where the encoding has one
byte form per character and the page used it. Several encodings have more than one: ISO-2022-JP
switches character sets with escape sequences (``ESC $ @`` and ``ESC $ B`` both select JIS X
0208; a redundant ``ESC ( J`` … ``ESC ( B`` is legal), and Shift_JIS as Windows writes it (cp932)
has the NEC and IBM rows twice (``87 90`` and ``81 E0`` are both ≒; the encoder writes one).

So a file is re-encoded whole only when that is provably exact: its codec writes each character
on its own, the same way wherever it stands (``PER_CHARACTER``), and the whole unedited text
encodes back to the file's bytes; then the encoding of the edited text is the original bytes
with the encoded edits in place. Any other file has each edit spliced into its original bytes:
each edit's character offsets are mapped to byte offsets by decoding the bytes up to them, the
edit's replacement is encoded on its own, and the result must decode to exactly the edited text
(so an edit inside an escape-sequence state the replacement does not start in fails the check).
An edit that cannot be spliced that way is refused with the reason (``NOT_BYTE_EXACT``), never
written approximately: refusing one file's edit costs one finding left open, a wrong byte could
cost the page.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence

from altbot.model import SourceFile
from altbot.outcome import Edit, apply_edits

# Codecs (Python's names for them) that encode each character by itself, the same bytes wherever
# it stands: a text that encodes back to the file's bytes encodes, edited, to them plus the edits.
# Not here: iso2022_jp (stateful), big5hkscs and whatwg-big5 (they write some pairs of characters as one code).
PER_CHARACTER = frozenset(
    {
        "utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be",
        "cp866", "cp874", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
        "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6", "iso8859-7", "iso8859-8", "iso8859-10",
        "iso8859-13", "iso8859-14", "iso8859-15", "iso8859-16", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic",
        "whatwg-windows-1252", "whatwg-cp874", "whatwg-cp1250", "whatwg-cp1251", "whatwg-cp1253", "whatwg-cp1254",
        "whatwg-cp1255", "whatwg-cp1257", "whatwg-cp1258", "whatwg-koi8-u", "whatwg-euc-jp", "whatwg-gb18030", "cp932", "shift_jis", "euc_jp", "cp949", "gb18030",
    }
)  # fmt: skip

# The most characters an incremental decoder holds back (an unfinished multibyte sequence or
# escape): feeding it fewer bytes than characters still wanted, less this, cannot overshoot.
_HELD_BACK = 16


def not_byte_exact(source: SourceFile) -> str:
    """Why an edit of ``source`` is refused: its encoding cannot take it byte for byte."""
    return (
        f"its encoding ({source.encoding}) does not give back the same bytes, and the edit cannot be spliced "
        "into them exactly; re-save the file as UTF-8 (with <meta charset=\"utf-8\"> in HTML) to let altbot edit it"
    )


def reencodes_exactly(source: SourceFile) -> bool:
    """Does encoding the whole (edited) text give back every byte outside the edits?"""
    if codecs.lookup(source.encoding).name not in PER_CHARACTER:
        return False
    try:
        return source.encode(source.text) == source.raw
    except UnicodeError:
        return False


def _byte_offsets(body: bytes, encoding: str, positions: Sequence[int]) -> list[int] | None:
    """For each character offset (ascending), the first byte offset at which the bytes before it
    decode to exactly that many characters; None when one has none (a byte sequence that decodes
    to two characters, an offset past the end)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    out: list[int] = []
    pos = count = 0
    for target in positions:
        while count < target:
            if pos >= len(body):
                return None
            # every character takes a byte at least: a step this short stops at or before target
            step = max(1, target - count - _HELD_BACK)
            count += len(decoder.decode(body[pos : pos + step]))
            pos = min(pos + step, len(body))
        if count != target:
            return None
        out.append(pos)
    return out


def spliced(source: SourceFile, edits: Sequence[Edit]) -> bytes | None:
    """The file's bytes with each edit encoded in its place, or None when that is not exact."""
    ordered = sorted(edits)
    wanted = apply_edits(source.text, ordered)  # raises on overlapping edits, as ever
    body = source.raw[len(source.bom) :]
    try:
        offsets = _byte_offsets(body, source.encoding, [p for e in ordered for p in (e.start, e.end)])
        if offsets is None:
            return None
        pieces: list[bytes] = []
        pos = 0
        for i, e in enumerate(ordered):
            pieces.append(body[pos : offsets[2 * i]])
            pieces.append(e.replacement.encode(source.encoding))
            pos = offsets[2 * i + 1]
        pieces.append(body[pos:])
        new = b"".join(pieces)
        if new.decode(source.encoding) != wanted:
            return None
    except (UnicodeError, LookupError, ValueError, TypeError):
        return None
    return source.bom + new


def encode_edits(source: SourceFile, edits: Sequence[Edit], exact: bool | None = None) -> bytes | None:
    """The bytes ``edits`` make of ``source``; None when they cannot be written byte-exactly.

    ``exact``: ``reencodes_exactly(source)``, when the caller has it already."""
    if not edits:
        return source.raw
    if exact is None:
        exact = reencodes_exactly(source)
    if exact:
        return source.encode(apply_edits(source.text, edits))
    return spliced(source, edits)
