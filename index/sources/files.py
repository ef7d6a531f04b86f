"""The library's sources: the bundled dumps, and files the user imported.

Imported files are copied into the data folder (``sources/NNNN-<sha>-<name>``) so the
index can always be rebuilt from them; the number keeps import order, which fixes how
records merge, and the content hash makes re-importing the same file a no-op.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

from index.durable import write_atomic
from index.locations import Locations
from index.paper import Paper
from index.sources.atom import looks_like_atom, parse_atom
from index.sources.dumps import UnknownLayout, parse_dump
from index.sources.json_records import (
    NotJson,
    is_json_lines,
    looks_like_json,
    open_binary,
    parse_json,
    stream_json_lines,
)
from index.sources.parsed import ParsedFile

_HASH_CHARS = 16


class SourceError(ValueError):
    """A whole file could not be read; ``str()`` is one line naming the file."""


def bundled_files() -> list[Path]:
    """The Daily Papers dumps shipped with the package, in name order."""
    folder = resources.files("index.sources") / "data"
    return sorted(Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".txt"))


def imported_files(locs: Locations) -> list[Path]:
    """Copies of imported files, in import order."""
    if not locs.sources_dir.is_dir():
        return []
    return sorted(path for path in locs.sources_dir.iterdir() if path.is_file() and not path.name.startswith("."))


def source_name(path: Path) -> str:
    """The name a paper's ``sources`` shows: the file's own name, not our copy's."""
    parts = path.name.split("-", 2)
    if path.parent.name == "sources" and len(parts) == 3 and parts[0].isdigit():
        return parts[2]
    return path.name


def read_source(path: Path, name: str | None = None) -> ParsedFile:
    """Read one dump or JSON file (gzip-compressed too); raises :class:`SourceError` when
    none of it is readable.

    JSON Lines files are not read here but streamed by whoever iterates the papers, so
    a file of any size costs no memory; their per-line problems appear as they are read.
    """
    name = name or source_name(path)
    try:
        if path.is_dir():
            raise SourceError(f"{path}: is a folder, not a file")
        with open_binary(path) as handle:
            head = handle.read(8192)
        if head.lstrip()[:1] == b"{" and is_json_lines(path):
            return stream_json_lines(path, name)
        with open_binary(path) as handle:
            raw = handle.read()
        if looks_like_atom(head):
            return parse_atom(raw, name, str(path))
    except (OSError, EOFError) as error:
        what = getattr(error, "strerror", None) or error
        raise SourceError(f"{path}: cannot read: {what}") from None
    if not head.strip():
        raise SourceError(f"{path}: empty file")
    if b"\x00" in head:
        raise SourceError(f"{path}: binary file, not a text dump or JSON")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise SourceError(
            f"{path}:{line}: not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start})"
        ) from None
    text = text.replace("\r\n", "\n")
    if looks_like_json(text):
        try:
            return parse_json(text, name, str(path))
        except NotJson as error:
            raise SourceError(f"{path}: malformed JSON ({error})") from None
    try:
        return parse_dump(text, name, str(path))
    except UnknownLayout as error:
        raise SourceError(f"{path}: {error}") from None


def content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:_HASH_CHARS]


def known_hashes(locs: Locations) -> dict[str, Path]:
    """Content hash → file, for bundled and imported sources (our copies carry it in the name)."""
    known = {content_hash(path): path for path in bundled_files()}
    for path in imported_files(locs):
        parts = path.name.split("-", 2)
        if len(parts) == 3:
            known[parts[1]] = path
    return known


def store_copy(path: Path, digest: str, locs: Locations) -> Path:
    """Copy an imported file into the data folder (atomically) and return the copy."""
    locs.sources_dir.mkdir(parents=True, exist_ok=True)
    number = len(imported_files(locs)) + 1
    target = locs.sources_dir / f"{number:04d}-{digest}-{path.name}"
    temp = target.with_name(f".{target.name}.tmp")
    # 0600: an imported export can hold the user's notes.
    with path.open("rb") as original, open(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as copy:
        shutil.copyfileobj(original, copy, 1 << 20)
        copy.flush()
        os.fsync(copy.fileno())
    os.replace(temp, target)
    _record_import(locs, target.name)
    return target


IMPORT_LOG = ".imported.json"
"""When each copy was imported (``sources/.imported.json``): what ``is:new`` is made of."""


def _record_import(locs: Locations, copy_name: str) -> None:
    times = import_times(locs)
    times[copy_name] = time.time()
    write_atomic(locs.sources_dir / IMPORT_LOG, json.dumps(times, indent=1, sort_keys=True).encode("utf-8"))


def import_times(locs: Locations) -> dict[str, float]:
    """Copy name -> when it was imported (the copy's mtime for copies the log lacks)."""
    try:
        times = json.loads((locs.sources_dir / IMPORT_LOG).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        times = {}
    times = {name: float(value) for name, value in times.items() if isinstance(value, (int, float))}
    for path in imported_files(locs):
        if path.name not in times:
            try:
                times[path.name] = path.stat().st_mtime
            except OSError:
                pass
    return times


def sources_imported_since(locs: Locations, moment: float) -> set[str]:
    """The names (as papers' ``sources`` give them) of files imported after ``moment``."""
    return {source_name(locs.sources_dir / name) for name, when in import_times(locs).items() if when > moment}


@dataclass
class Corpus:
    """Every paper of the library after merging, in first-seen order."""

    papers: dict[str, Paper] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    records: int = 0

    def add(self, papers: Iterable[Paper]) -> tuple[int, int]:
        """Merge ``papers`` in; returns (added, merged into an existing paper)."""
        added = merged = 0
        for paper in papers:
            self.records += 1
            existing = self.papers.get(paper.id)
            if existing is None:
                self.papers[paper.id] = paper
                added += 1
            else:
                existing.merge(paper)
                merged += 1
        return added, merged


def all_source_files(locs: Locations) -> list[Path]:
    return bundled_files() + imported_files(locs)


def read_all(locs: Locations) -> Iterator[tuple[Path, ParsedFile | None, str | None]]:
    """Each source file with its parse, or the one-line reason it was unreadable."""
    for path in all_source_files(locs):
        try:
            yield path, read_source(path), None
        except SourceError as error:
            yield path, None, str(error)


def readable_sources(locs: Locations) -> tuple[list[ParsedFile], list[str]]:
    """Every source that can be read (JSONL still unread, streamed later), and why others cannot."""
    sources: list[ParsedFile] = []
    problems: list[str] = []
    for path in all_source_files(locs):
        try:
            sources.append(read_source(path))
        except SourceError as error:
            problems.append(str(error))
    return sources, problems


def load_corpus(locs: Locations) -> Corpus:
    """Read and merge every source into one corpus (what an index rebuild starts from)."""
    corpus = Corpus()
    for _path, parsed, error in read_all(locs):
        if parsed is None:
            corpus.problems.append(error or "")
            continue
        corpus.add(parsed.iter_papers())
        corpus.problems.extend(str(problem) for problem in parsed.problems)
    return corpus
