"""discover → parse → find, over many files, streaming.

Only the per-image results are kept, never the file texts, so memory does not
grow with the size of the site beyond its images.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from altbot.config import Config
from altbot.discover import iter_candidates, read_source
from altbot.model import FileError, Finding, Image
from altbot.parse import parse_source
from altbot.rules import find


@dataclass
class FileResult:
    path: str
    images: list[Image]
    findings: list[Finding]
    errors: list[FileError]


@dataclass
class RunResult:
    files: int = 0
    images: int = 0
    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    inventory: list[Image] = field(default_factory=list)  # filled only when asked for

    def add(self, fr: FileResult, keep_images: bool) -> None:
        self.files += 1
        self.images += len(fr.images)
        self.findings.extend(fr.findings)
        self.errors.extend(fr.errors)
        if keep_images:
            self.inventory.extend(fr.images)


def iter_results(paths: list[str], config: Config, errors: list[FileError]) -> Iterator[FileResult]:
    """One FileResult per readable file; unreadable ones are appended to ``errors``."""
    options = config.parse_options()
    for candidate in iter_candidates(paths, config, errors):
        source = read_source(candidate, config)
        if isinstance(source, FileError):
            errors.append(source)
            continue
        parsed = parse_source(source, options)
        findings = find(parsed.images, config.severity_of, empty_alt=config.empty_alt)
        yield FileResult(source.path, parsed.images, findings, parsed.errors)


def run(paths: list[str], config: Config, keep_images: bool = False) -> RunResult:
    result = RunResult()
    walk_errors: list[FileError] = []
    for fr in iter_results(paths, config, walk_errors):
        result.add(fr, keep_images)
    result.errors[:0] = walk_errors
    return result
