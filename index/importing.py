"""``papers import``: add files to the library, all in one index transaction.

Each file is read and checked first (unreadable or already imported files are reported
and left out), then every new file is copied into the data folder (so a rebuild can
always read it again) and all their papers are written in a single transaction: 500
small files cost about what one file with the same records costs. Interrupted or
failed, nothing is kept: the copies are removed and the index is as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from index.locations import Locations
from index.sources.files import SourceError, content_hash, known_hashes, read_source, store_copy
from index.sources.parsed import ParsedFile
from index.store.generations import IndexStore
from index.store.writer import Progress


class MarksMerger(Protocol):
    def merge_marks(self, marks: dict[str, dict[str, Any]]) -> int: ...


@dataclass
class FileImport:
    """What happened to one file given to ``papers import``."""

    path: Path
    outcome: str
    """``imported``, ``duplicate`` (same content imported before), ``unreadable`` or ``empty``."""
    added: int = 0
    merged: int = 0
    problems: list[str] = field(default_factory=list)
    """One line per skipped or repaired record (and the reason a whole file was refused)."""
    marks_restored: int = 0
    same_as: str = ""
    """For a duplicate: the copy it duplicates."""

    @property
    def ok(self) -> bool:
        return self.outcome in ("imported", "duplicate") and not self.problems


def import_files(
    locs: Locations,
    store: IndexStore,
    paths: list[Path],
    marks: MarksMerger | None = None,
    progress: Progress | None = None,
    before_write: Callable[[], None] | None = None,
) -> list[FileImport]:
    """Import ``paths`` in order; returns one :class:`FileImport` per path.

    Raises ``IndexBusy`` if another process holds the index lock, and lets
    ``KeyboardInterrupt`` through after undoing everything.
    """
    outcomes: list[FileImport] = []
    with store.lock():
        known = known_hashes(locs)
        batch: list[tuple[FileImport, ParsedFile, str]] = []
        for path in paths:
            try:
                parsed = read_source(path, name=path.name)
                digest = content_hash(path)
            except SourceError as error:
                outcomes.append(FileImport(path, "unreadable", problems=[str(error)]))
                continue
            except OSError as error:
                outcomes.append(FileImport(path, "unreadable", problems=[f"{path}: {error.strerror or error}"]))
                continue
            if digest in known:
                outcomes.append(FileImport(path, "duplicate", same_as=known[digest].name))
                continue
            known[digest] = path
            outcome = FileImport(path, "imported")
            outcomes.append(outcome)
            batch.append((outcome, parsed, digest))
        if not batch:
            return outcomes
        if before_write is not None:
            before_write()
        copies = [store_copy(outcome.path, digest, locs) for outcome, _parsed, digest in batch]
        try:
            report = store.add_papers([parsed.iter_papers() for _outcome, parsed, _digest in batch], progress)
        except BaseException:
            for copy in copies:  # nothing was committed: the next rebuild must agree with the index
                copy.unlink(missing_ok=True)
            store.refresh_meta()
            raise
        emptied = False
        for (outcome, parsed, _digest), counts, copy in zip(batch, report.per_source, copies, strict=True):
            outcome.added, outcome.merged = counts.added, counts.merged
            outcome.problems = [str(problem) for problem in parsed.problems]
            if not counts.records:
                outcome.outcome = "empty"
                copy.unlink(missing_ok=True)
                emptied = True
        if emptied:
            store.refresh_meta()
    if marks is not None:
        _restore_marks(store, marks, [(outcome, parsed) for outcome, parsed, _digest in batch])
    return outcomes


def _restore_marks(store: IndexStore, marks: MarksMerger, files: list[tuple[FileImport, ParsedFile]]) -> None:
    """Marks carried by an export go to the paper their record became (it may have merged)."""
    for outcome, parsed in files:
        if parsed.marks and outcome.outcome == "imported":
            paper_ids = store.paper_ids(list(parsed.marks))
            outcome.marks_restored = marks.merge_marks(
                {paper_ids.get(record_id, record_id): data for record_id, data in parsed.marks.items()}
            )
