"""The decisions ledger: reviewed decisions, committed next to the site.

A sorted, indented JSON file (``.altbot/decisions.json`` by default) so that a
diff of it reads like a list of decisions. Each entry is keyed by page path,
image src and image content hash, so it survives edits elsewhere in the page
and lapses by itself when the image content changes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date

DEFAULT_PATH = ".altbot/decisions.json"
DECISIONS = ("decorative", "rejected", "reviewed")
VERSION = 1


class LedgerError(Exception):
    """The ledger file cannot be read or written: shown as is."""


@dataclass(frozen=True, order=True)
class Decision:
    page: str  # page path relative to the project root, '/' separators
    src: str  # the image src exactly as the page writes it
    hash: str  # sha256 of the image content ("" when the image could not be read)
    decision: str  # "decorative" | "rejected" | "reviewed"
    alt: str | None = None  # for "reviewed": the alt that was reviewed; for "rejected": the rejected suggestion
    date: str = ""  # ISO date the decision was recorded

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.page, self.src, self.hash)


class Ledger:
    def __init__(self, path: str, decisions: Iterable[Decision] = ()) -> None:
        self.path = path
        self._by_key: dict[tuple[str, str, str], Decision] = {}
        self._pages: set[tuple[str, str]] = set()
        for d in decisions:
            self._put(d)
        self.dirty = False

    def _put(self, d: Decision) -> None:
        self._by_key[d.key] = d
        self._pages.add((d.page, d.src))

    # -- reading ---------------------------------------------------------------
    @classmethod
    def load(cls, path: str) -> "Ledger":
        """Load the ledger; a missing file is an empty ledger."""
        try:
            with open(path, encoding="utf-8") as fh:
                raw = fh.read()
        except FileNotFoundError:
            return cls(path)
        except OSError as exc:
            raise LedgerError(f"{path}: cannot read the decisions ledger: {exc.strerror or exc}") from exc
        try:
            doc = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise LedgerError(
                f"{path}:{exc.lineno}:{exc.colno}: the decisions ledger is not valid JSON ({exc.msg}); "
                "fix the merge conflict or the typo, or delete the file to start over"
            ) from exc
        if not isinstance(doc, dict) or not isinstance(doc.get("decisions"), list):
            raise LedgerError(f'{path}: the decisions ledger must be {{"version": 1, "decisions": [...]}}')
        decisions = []
        for i, entry in enumerate(doc["decisions"]):
            try:
                d = Decision(
                    page=str(entry["page"]),
                    src=str(entry["src"]),
                    hash=str(entry.get("hash", "")),
                    decision=str(entry["decision"]),
                    alt=entry.get("alt"),
                    date=str(entry.get("date", "")),
                )
            except (KeyError, TypeError, AttributeError):
                raise LedgerError(f"{path}: entry {i + 1} needs at least page, src and decision") from None
            if d.decision not in DECISIONS:
                raise LedgerError(f"{path}: entry {i + 1}: decision {d.decision!r} is not one of {', '.join(DECISIONS)}")
            decisions.append(d)
        return cls(path, decisions)

    def __len__(self) -> int:
        return len(self._by_key)

    def entries(self) -> list[Decision]:
        return sorted(self._by_key.values())

    def has_page_src(self, page: str, src: str) -> bool:
        """Cheap pre-check before hashing an image: is anything recorded for this image?"""
        return (page, src) in self._pages

    def lookup(self, page: str, src: str, content_hash: str) -> Decision | None:
        return self._by_key.get((page, src, content_hash))

    # -- writing ---------------------------------------------------------------
    def record(self, page: str, src: str, content_hash: str, decision: str, alt: str | None = None) -> Decision:
        if decision not in DECISIONS:
            raise ValueError(decision)
        d = Decision(page, src, content_hash, decision, alt, date.today().isoformat())
        old = self._by_key.get(d.key)
        if old is None or (old.decision, old.alt) != (d.decision, d.alt):
            self._put(d)
            self.dirty = True
        return self._by_key[d.key]

    def remove(self, decisions: Iterable[Decision]) -> int:
        n = 0
        for d in decisions:
            if self._by_key.pop(d.key, None) is not None:
                n += 1
                self.dirty = True
        self._pages = {(d.page, d.src) for d in self._by_key.values()}
        return n

    def dumps(self) -> str:
        entries = []
        for d in self.entries():
            e = {k: v for k, v in asdict(d).items() if v not in (None, "") or k in ("page", "src", "decision")}
            entries.append(e)
        return json.dumps({"version": VERSION, "decisions": entries}, indent=2, ensure_ascii=False, sort_keys=True) + "\n"

    def save(self) -> None:
        from altbot.apply import write_atomic

        directory = os.path.dirname(self.path)
        try:
            if directory:
                os.makedirs(directory, exist_ok=True)
            write_atomic(self.path, self.dumps().encode("utf-8"))
        except OSError as exc:
            raise LedgerError(f"{self.path}: cannot write the decisions ledger: {exc.strerror or exc}") from exc
        self.dirty = False

    # -- maintenance -----------------------------------------------------------
    def stale(self, current_hash: Callable[[Decision], str | None]) -> list[tuple[Decision, str]]:
        """Entries that no longer apply, with why. ``current_hash`` gives the image's
        hash now, or None when the page or the image is gone."""
        out = []
        for d in self.entries():
            now = current_hash(d)
            if now is None:
                out.append((d, "page or image no longer exists"))
            elif now != d.hash:
                out.append((d, "image content changed"))
        return out
