"""The decisions ledger: reviewed decisions, committed next to the site.

A sorted, indented JSON file (``.altbot/decisions.json`` by default) so that a
diff of it reads like a list of decisions. Each entry is keyed by page path,
image src and image content hash, so it survives edits elsewhere in the page
and lapses by itself when the image content changes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

DEFAULT_PATH = ".altbot/decisions.json"
MAX_BYTES = 64 * 1024 * 1024
DECISIONS = ("decorative", "rejected", "reviewed", "written")
# backends whose text a person wrote: everything else in a ledger entry's backend is machine text
HUMAN_BACKENDS = frozenset({"reviewer", "ledger", "author"})
VERSION = 1


class LedgerError(Exception):
    """The ledger file cannot be read or written: shown as is."""


@dataclass(frozen=True, order=True)
class Decision:
    page: str  # page path relative to the project root, '/' separators
    src: str  # the image src exactly as the page writes it
    hash: str  # sha256 of the image content ("" when the image could not be read)
    decision: str  # "decorative" | "rejected" | "reviewed" | "written"
    alt: str | None = None  # "reviewed"/"written": the alt; "rejected": the rejected suggestion
    date: str = ""  # ISO date the decision was recorded
    backend: str | None = None  # where the alt text came from: a captioner ("transformers", "offline" …) or "reviewer"
    model: str | None = None  # the model that wrote it, when a model did

    @property
    def machine_written(self) -> bool:
        """Is the alt text (or its proposal) a machine's, reviewed or not?"""
        return self.backend is not None and self.backend not in HUMAN_BACKENDS

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.page, self.src, self.hash)


@dataclass(frozen=True)
class Checkpoint:
    """One image's ledger entry at a moment (see ``Ledger.checkpoint``)."""

    key: tuple[str, str, str]
    entry: Decision | None
    changed: bool  # whether this run had changed the entry by then
    change: Decision | None
    saves: int


class Ledger:
    def __init__(self, path: str, decisions: Iterable[Decision] = (), root: str | None = None) -> None:
        self.path = path
        self.root = root  # the project root: save() writes nowhere outside it (None: no such check)
        self._by_key: dict[tuple[str, str, str], Decision] = {}
        self._pages: set[tuple[str, str]] = set()
        for d in decisions:
            self._put(d)
        self.dirty = False
        self._saves = 0  # how many times save() has written: tells a rollback whether the file holds the change
        # what this run changed (key -> decision, or None for removed): merged over the
        # file as it is on disk at save time, so two runs never drop each other's decisions
        self._changes: dict[tuple[str, str, str], Decision | None] = {}

    def _put(self, d: Decision) -> None:
        self._by_key[d.key] = d
        self._pages.add((d.page, d.src))

    # -- reading ---------------------------------------------------------------
    # (a ledger whose real path is outside the project root is neither read nor written: see _outside)
    @classmethod
    def load(cls, path: str, root: str | None = None) -> "Ledger":
        """Load the ledger; a missing file is an empty ledger. ``root``: the project root,
        outside which ``save`` writes nothing."""
        from altbot.files import NotRegularFile, read_regular

        real = _outside(path, root)
        if real is not None and os.path.exists(real):
            raise LedgerError(
                f"{path}: the decisions ledger leads (through a symlink) to {real}, outside the project root "
                f"{os.path.realpath(root)}; altbot reads nothing there: replace the link with a file or folder inside the project"
            )
        try:
            data = read_regular(path, MAX_BYTES)
        except FileNotFoundError:
            return cls(path, root=root)
        except NotRegularFile as exc:
            raise LedgerError(f"{path}: the decisions ledger is {exc.strerror}, not a file") from exc
        except OSError as exc:
            raise LedgerError(f"{path}: cannot read the decisions ledger: {exc.strerror or exc}") from exc
        import codecs

        boms = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
                (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
        encoding = next((enc for bom, enc in boms if data.startswith(bom)), "utf-8")
        try:
            raw = data.decode(encoding)  # an editor's UTF-16 with a BOM is read; it is written back as UTF-8
        except UnicodeDecodeError as exc:
            hint = " (it looks like UTF-16, as some editors save)" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
            raise LedgerError(
                f"{path}: the decisions ledger is not UTF-8{hint}; re-save it as UTF-8 (byte {exc.start})"
            ) from None
        try:
            return cls(path, _decisions(path, raw), root=root)
        except RecursionError:
            # JSON (or a value in it) nested deeper than Python's recursion limit: no ledger is
            raise LedgerError(
                f"{path}: the decisions ledger is nested too deeply to be a ledger; "
                "fix the merge conflict or the typo, or delete the file to start over"
            ) from None

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
    def record(
        self,
        page: str,
        src: str,
        content_hash: str,
        decision: str,
        alt: str | None = None,
        *,
        backend: str | None = None,
        model: str | None = None,
    ) -> Decision:
        if decision not in DECISIONS:
            raise ValueError(decision)
        from datetime import date

        d = Decision(page, src, content_hash, decision, alt, date.today().isoformat(), backend, model)
        old = self._by_key.get(d.key)
        if old is None or (old.decision, old.alt, old.backend, old.model) != (d.decision, d.alt, d.backend, d.model):
            self._put(d)
            self._changes[d.key] = d
            self.dirty = True
        return self._by_key[d.key]

    def remove(self, decisions: Iterable[Decision]) -> int:
        n = 0
        for d in decisions:
            if self._by_key.pop(d.key, None) is not None:
                self._changes[d.key] = None
                n += 1
                self.dirty = True
        self._pages = {(d.page, d.src) for d in self._by_key.values()}
        return n

    def dumps(self) -> str:
        entries = []
        for d in self.entries():
            e = {k: v for k, v in asdict(d).items() if v not in (None, "") or k in ("page", "src", "decision")}
            entries.append(e)
        import json

        # the escape keeps a page whose name is not UTF-8 in a ledger that is valid UTF-8
        from altbot.files import json_escape_surrogates

        text = json.dumps({"version": VERSION, "decisions": entries}, indent=2, ensure_ascii=False, sort_keys=True)
        return json_escape_surrogates(text) + "\n"

    def check_target(self) -> None:
        """Raise LedgerError when the file ``save`` would write is outside the project root:
        the ledger, or a folder on its path, is a symlink (dangling or not) out of the project."""
        real = _outside(self.path, self.root)
        if real is not None:
            raise LedgerError(
                f"{self.path}: the decisions ledger leads (through a symlink) to {real}, outside the project "
                f"root {os.path.realpath(self.root)}; altbot writes nothing there: replace the link with a file or "
                "folder inside the project"
            )

    def save(self) -> None:
        """Write the ledger: this run's changes over the file as it is now on disk.

        Another run (or a merge) may have added decisions since this one loaded
        the file; they are kept. A file that has become unreadable is not overwritten,
        nor one whose real path is outside the project root (``check_target``).
        """
        from altbot.files import tree_lock, write_atomic

        self.check_target()
        directory = os.path.dirname(self.path)
        try:
            if directory:
                os.makedirs(directory, exist_ok=True)
            with tree_lock(directory or "."):
                current = Ledger.load(self.path)
                for key, d in self._changes.items():
                    if d is None:
                        current._by_key.pop(key, None)
                    else:
                        current._by_key[key] = d
                self._by_key = current._by_key
                self._pages = {(d.page, d.src) for d in self._by_key.values()}
                write_atomic(self.path, self.dumps().encode("utf-8"))
        except (OSError, TimeoutError) as exc:
            raise LedgerError(f"{self.path}: cannot write the decisions ledger: {getattr(exc, 'strerror', None) or exc}") from exc
        self._changes.clear()
        self.dirty = False
        self._saves += 1

    # -- undo ----------------------------------------------------------------
    def checkpoint(self, page: str, src: str, content_hash: str) -> "Checkpoint":
        """This image's entry as it is now, for ``rollback`` (a reviewer's undo)."""
        key = (page, src, content_hash)
        return Checkpoint(key, self._by_key.get(key), key in self._changes, self._changes.get(key), self._saves)

    def rollback(self, cp: "Checkpoint") -> None:
        """Put the image's entry back as it was at ``cp``: a decision recorded since is
        forgotten, and, when it was saved already, the next save restores the file's entry."""
        key = cp.key
        if self._saves == cp.saves:  # not saved since: this run's change list as it was
            if cp.changed:
                self._changes[key] = cp.change
            else:
                self._changes.pop(key, None)
        elif self._by_key.get(key) != cp.entry:  # the file holds the undone decision: overwrite it
            self._changes[key] = cp.entry
        if cp.entry is None:
            self._by_key.pop(key, None)
        else:
            self._by_key[key] = cp.entry
        self._pages = {(d.page, d.src) for d in self._by_key.values()}
        self.dirty = bool(self._changes)

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


def _decisions(path: str, raw: str) -> list[Decision]:
    """The decisions of a ledger's text; LedgerError naming the file and the remedy when it is none."""
    import json  # here, not at import: a check with no ledger file loads no JSON

    try:
        doc = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise LedgerError(
            f"{path}:{exc.lineno}:{exc.colno}: the decisions ledger is not valid JSON ({exc.msg}); "
            "fix the merge conflict or the typo, or delete the file to start over"
        ) from exc
    except ValueError:  # an integer of more digits than Python converts (sys.get_int_max_str_digits, 4300)
        raise LedgerError(
            f"{path}: the decisions ledger holds a number of thousands of digits, too long to read; "
            "fix the merge conflict or the typo, or delete the file to start over"
        ) from None
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
                backend=entry.get("backend"),
                model=entry.get("model"),
            )
        except (KeyError, TypeError, AttributeError):
            raise LedgerError(f"{path}: entry {i + 1} needs at least page, src and decision") from None
        for key in ("alt", "backend", "model"):
            value = getattr(d, key)
            if value is not None and not isinstance(value, str):
                raise LedgerError(f"{path}: entry {i + 1}: {key} must be a string")
        if d.decision not in DECISIONS:
            raise LedgerError(f"{path}: entry {i + 1}: decision {d.decision!r} is not one of {', '.join(DECISIONS)}")
        decisions.append(d)
    return decisions


def _outside(path: str, root: str | None) -> str | None:
    """The real path of ``path`` when it is outside ``root`` (the ledger, or a folder on its way,
    is a symlink, dangling or not, out of the project); None inside it, or without a root."""
    if root is None:
        return None
    top = os.path.realpath(root)
    real = os.path.realpath(path)  # follows a dangling link too: where a write would go
    if real == top or real.startswith(top.rstrip(os.sep) + os.sep):
        return None
    return real
