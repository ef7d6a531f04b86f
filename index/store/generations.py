"""The Whoosh index on disk: a cache, built on first use and rebuilt when it must be.

Layout under ``Locations.index_dir``::

    CURRENT          name of the live generation, replaced atomically
    gen-<ns>/        one complete Whoosh index + meta.json
    build.lock       one writer at a time (Whoosh itself raises LockError)

A rebuild writes a new generation and then swaps ``CURRENT``, so a running reader never
sees a half-built or empty index. The previous generation is kept until the next
swap because a reader elsewhere may still have it open.
"""

from __future__ import annotations

import json
import pickle
import shutil
import struct
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable, Iterator

import filelock
from whoosh import index as whoosh_index
from whoosh.index import Index

from index.durable import fsync_folder, write_atomic
from index.locations import Locations
from index.paper import Paper
from index.sources.files import all_source_files, readable_sources
from index.store import whoosh_internals
from index.store.documents import stored_paper
from index.store.schema import SCHEMA_VERSION, make_schema
from index.store.vocabulary import Vocabulary
from index.store.writer import Progress, WriteReport, write_papers

LOCK_TIMEOUT = 120.0


class IndexBusy(RuntimeError):
    """Another papers process holds the index lock for longer than we wait."""


@dataclass
class BuildReport:
    papers: int
    records: int
    seconds: float
    problems: list[str]
    reason: str = "rebuild asked for"
    """Why the index was built (``no index yet``, ``sources changed``, damage…)."""


def is_damage(error: BaseException) -> bool:
    """Whether ``error`` came from reading a damaged index rather than from a bug.

    Broken bytes surface as a zlib, struct, pickle or decoding error, or as almost any
    error raised inside Whoosh's reading code. The same kinds of error raised by our own
    code are bugs: rebuilding the whole index for them would only hide them.
    """
    if isinstance(error, (zlib.error, struct.error, EOFError, pickle.UnpicklingError, UnicodeDecodeError)):
        return True
    if not isinstance(error, INDEX_DAMAGE):
        return False
    frame = error.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    module = frame.tb_frame.f_globals.get("__name__", "") if frame is not None else ""
    return module.startswith(("whoosh.", "pickle", "zlib"))


INDEX_DAMAGE: tuple[type[BaseException], ...] = (
    zlib.error,
    struct.error,
    EOFError,
    pickle.UnpicklingError,
    UnicodeDecodeError,
    ValueError,
    OSError,
    IndexError,
    KeyError,
    TypeError,
    AttributeError,
    OverflowError,
)
"""What reading a damaged segment raises: Whoosh reads offsets, pickles and zlib blocks
straight from disk, so garbage bytes surface as any of these."""


class IndexDamaged(RuntimeError):
    """The index cannot be read even after a rebuild; the message says what to do."""


def _open_dir(folder: Path) -> Index:
    """Open a generation; Whoosh is patched first (see ``whoosh_internals``), here where
    every index is opened rather than as a side effect of an import."""
    whoosh_internals.apply()
    return whoosh_index.open_dir(str(folder))


def files_fingerprint(folder: Path) -> dict[str, list[int]]:
    """Size and mtime of every file of a generation: a segment changed in place since it
    was written (bit rot, a stray write) no longer matches what ``meta.json`` recorded."""
    found: dict[str, list[int]] = {}
    for path in sorted(folder.iterdir()):
        if path.name == "meta.json" or path.name.endswith("LOCK") or not path.is_file():
            continue
        stat = path.stat()
        found[path.name] = [stat.st_size, stat.st_mtime_ns]
    return found


def sources_fingerprint(locs: Locations) -> str:
    """Names and sizes of every source: an index built from other sources is stale."""
    parts = []
    for path in all_source_files(locs):
        parts.append(f"{path.name}:{path.stat().st_size}")
    return "|".join(parts)


class IndexStore:
    """Finds, opens, builds and swaps the on-disk index generations."""

    def __init__(self, locs: Locations):
        self.locs = locs
        self.root = locs.index_dir

    @property
    def _current_file(self) -> Path:
        return self.root / "CURRENT"

    @contextmanager
    def lock(self, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
        """Hold the one-writer lock, or raise :class:`IndexBusy` naming it after ``timeout``."""
        self.root.mkdir(parents=True, exist_ok=True)
        lock_file = self.root / "build.lock"
        try:
            with filelock.FileLock(str(lock_file), timeout=timeout):
                yield
        except filelock.Timeout:
            raise IndexBusy(f"another papers process is indexing ({lock_file}); try again soon") from None

    def current_dir(self) -> Path | None:
        try:
            name = self._current_file.read_text().strip()
        except OSError:
            return None
        folder = self.root / name
        return folder if name and folder.is_dir() else None

    def meta(self, folder: Path | None = None) -> dict:
        folder = folder or self.current_dir()
        if folder is None:
            return {}
        try:
            return json.loads((folder / "meta.json").read_text())
        except (OSError, ValueError):
            return {}

    def stale_reason(self) -> str | None:
        """Why the live index cannot be used as it is, or ``None`` when it can."""
        folder = self.current_dir()
        if folder is None:
            return "no index yet"
        meta = self.meta(folder)
        if meta.get("schema_version") != SCHEMA_VERSION:
            return f"index schema {meta.get('schema_version')} is not {SCHEMA_VERSION}"
        if meta.get("sources") != sources_fingerprint(self.locs):
            return "sources changed"
        if meta.get("files") != files_fingerprint(folder):
            return "index files changed since they were written (damaged?)"
        try:
            ix = _open_dir(folder)
            with ix.searcher() as searcher:
                if searcher.doc_count() != meta.get("papers"):
                    return "index is incomplete"
        except Exception as error:  # a damaged index raises anything from IOError to struct.error
            return f"index is damaged ({type(error).__name__})"
        return None

    def open(self) -> Index:
        folder = self.current_dir()
        if folder is None:
            raise FileNotFoundError(self._current_file)
        return _open_dir(folder)

    def ensure(self, progress: Progress | None = None) -> tuple[Index, BuildReport | None]:
        """Open the live index, building it first when missing, stale or damaged."""
        if self.stale_reason() is None:
            return self.open(), None
        with self.lock():
            # Another process may have built it while we waited for the lock.
            reason = self.stale_reason()
            if reason is None:
                return self.open(), None
            report = self._rebuild_locked(progress)
            report.reason = reason
        return self.open(), report

    def rebuild(self, progress: Progress | None = None) -> BuildReport:
        """Rebuild from all sources into a new generation and swap it in."""
        with self.lock():
            return self._rebuild_locked(progress)

    def _rebuild_locked(self, progress: Progress | None) -> BuildReport:
        started = time.perf_counter()
        sources, problems = readable_sources(self.locs)
        folder = self.root / f"gen-{time.time_ns()}"
        folder.mkdir(parents=True)
        try:
            whoosh_internals.apply()
            ix = whoosh_index.create_in(str(folder), make_schema())
            vocabulary = Vocabulary()
            report = write_papers(ix, [parsed.iter_papers() for parsed in sources], progress, vocabulary=vocabulary)
            vocabulary.save(folder)
            self.write_meta(folder, papers=report.added)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)  # never leave half a generation behind
            raise
        self._swap(folder)
        problems += [str(problem) for parsed in sources for problem in parsed.problems]
        return BuildReport(report.added, report.records, time.perf_counter() - started, problems)

    def write_meta(self, folder: Path, papers: int) -> None:
        meta = {
            "schema_version": SCHEMA_VERSION,
            "sources": sources_fingerprint(self.locs),
            "papers": papers,
            "files": files_fingerprint(folder),
            "built_at": datetime.now().isoformat(timespec="seconds"),
        }
        write_atomic(folder / "meta.json", json.dumps(meta, indent=1).encode())

    def _swap(self, folder: Path) -> None:
        previous = self.current_dir()
        write_atomic(self._current_file, folder.name.encode())
        fsync_folder(self.root)
        keep = {folder.name, previous.name if previous else ""}
        for old in self.root.glob("gen-*"):
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)

    def refresh_meta(self) -> None:
        """Re-record the sources fingerprint after the source files changed but the papers did not."""
        folder = self.current_dir()
        if folder is not None:
            self.write_meta(folder, papers=self.meta(folder).get("papers", 0))

    def iter_papers(self) -> Iterator[Paper]:
        """Every paper of the live index, in index order."""
        with self.open().searcher() as searcher:
            for fields in searcher.all_stored_fields():
                yield stored_paper(fields)

    def paper_ids(self, record_ids: list[str]) -> dict[str, str]:
        """The paper each record id now belongs to (its own id, or the paper it merged into
        under an alias); ids the index does not know are left out."""
        found: dict[str, str] = {}
        with self.open().searcher() as searcher:
            for record_id in record_ids:
                stored = searcher.document(id=record_id) or searcher.document(alias=record_id)
                if stored:
                    found[record_id] = stored["id"]
        return found

    def add_papers(self, sources: list[Iterable[Paper]], progress: Progress | None = None) -> WriteReport:
        """Merge the papers of ``sources`` into the live index in one transaction, without
        a rebuild. Caller holds :meth:`lock`.

        The result matches a rebuild's because both read sources in the same order and
        ``Paper.merge`` keeps what is already known.
        """
        folder = self.current_dir()
        assert folder is not None, "ensure() the index before adding to it"
        ix = _open_dir(folder)
        with ix.searcher() as searcher:
            vocabulary = Vocabulary.load(folder)
            report = write_papers(ix, sources, progress, searcher=searcher, vocabulary=vocabulary)
        vocabulary.save(folder)
        with ix.searcher() as searcher:
            count = searcher.doc_count()
        self.write_meta(folder, papers=count)
        return report
