"""Writing papers into a Whoosh index in two streaming passes, in parallel where it pays.

Pass 1 reads every source once for ids only, to find papers seen more than once (in
several files, or already in the index). Pass 2 streams again: a paper seen once goes
straight to the writer; only the repeated ones are held and merged in memory. So
memory stays flat in the number of papers, and merging matches what reading all
sources in order would give.

Measured on 2 cores (``tests/bench/run.py``): one writer process ~450 papers/s;
``procs=2, multisegment=True`` ~770 papers/s at 10k papers. The multi-process writer
leaves a few segments instead of one; our highlights do not use Whoosh's (which are
slow across segments), so they are left unmerged.
"""

from __future__ import annotations

import os
import signal
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from whoosh.index import Index
from whoosh.searching import Searcher

from index.paper import Paper
from index.store.documents import paper_document, stored_paper
from index.store.identity import Identities, Known
from index.store.vocabulary import Vocabulary

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while papers are written (the one definition)."""

PARALLEL_MIN = 4000
"""Below this many papers a second writer process costs more than it saves."""
WRITER_MEMORY_MB = 128
"""Per writer process; Whoosh flushes a segment when its buffer exceeds this."""


@dataclass
class SourceCounts:
    """What one source's records did: new papers, records merged into a paper, records read."""

    added: int = 0
    merged: int = 0
    records: int = 0


@dataclass
class WriteReport:
    """What a write did, in all and per source (in the order the sources were given)."""

    added: int = 0
    merged: int = 0
    records: int = 0
    per_source: list[SourceCounts] = field(default_factory=list)


def _writer(ix: Index, expected: int):
    if expected >= PARALLEL_MIN and (os.cpu_count() or 1) > 1:
        return ix.writer(procs=2, multisegment=True, limitmb=WRITER_MEMORY_MB)
    return ix.writer(limitmb=WRITER_MEMORY_MB)


class _ParentTakesCtrlC:
    """While held, Ctrl-C is only noted, so sub-writers forked meanwhile inherit that.

    A terminal's Ctrl-C reaches the whole process group: the sub-writers would die
    printing tracebacks, while the parent cancels them cleanly anyway. Once they are
    forked, the parent's own handler is back and a press noted meanwhile is raised.
    """

    def __init__(self) -> None:
        self.previous: Any = None
        self.pressed = False

    def hold(self) -> None:
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._note)

    def _note(self, *_args) -> None:
        self.pressed = True

    def restore(self) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
            self.previous = None

    def release(self) -> None:
        self.restore()
        if self.pressed:
            self.pressed = False
            raise KeyboardInterrupt


def _scan(
    sources: list[Iterable[Paper]], identities: Identities, in_index: Callable[[str], bool]
) -> tuple[int, set[str]]:
    """Pass 1: count records, give each its paper id, and find papers that need merging
    (several records, or already in the index)."""
    records = 0
    seen: set[str] = set()
    held: set[str] = set()
    for papers in sources:
        for paper in papers:
            records += 1
            paper_id = identities.resolve(paper)
            if paper_id in seen or in_index(paper_id):
                held.add(paper_id)
            seen.add(paper_id)
    return records, held


def write_papers(
    ix: Index,
    sources: list[Iterable[Paper]],
    progress: Progress | None = None,
    searcher: Searcher | None = None,
    vocabulary: Vocabulary | None = None,
) -> WriteReport:
    """Add the papers of ``sources`` (in order) to ``ix`` in one transaction, merging repeats.

    With ``searcher`` (an import into a live index), a record of a paper already in
    the index is merged into the stored paper and its document replaced. The words of
    every record are counted into ``vocabulary`` (for did-you-mean).
    Interrupting (Ctrl-C) cancels the writers: the index is left as it was.
    """
    indexed = IndexedLookup(searcher) if searcher is not None else None
    identities = Identities(indexed)
    records, held_ids = _scan(sources, identities, indexed.has if indexed else lambda _id: False)
    report = WriteReport(records=records, per_source=[SourceCounts() for _ in sources])
    held: dict[str, Paper] = {}
    writer = _writer(ix, records - len(held_ids))
    try:
        done = 0
        ctrl_c = _ParentTakesCtrlC()
        if hasattr(writer, "tasks"):  # a multi-process writer forks as documents arrive
            ctrl_c.hold()
        for counts, papers in zip(report.per_source, sources, strict=True):
            for paper in papers:
                done += 1
                counts.records += 1
                if vocabulary is not None:
                    vocabulary.add(f"{paper.title} {paper.abstract}")
                paper.id = identities.canonical(paper)
                if paper.id not in held_ids:
                    writer.add_document(**paper_document(paper))
                    counts.added += 1
                    if ctrl_c.previous is not None and len(writer.tasks) >= writer.procs:
                        ctrl_c.release()  # every sub-writer is forked
                elif paper.id in held:
                    held[paper.id].merge(paper)
                    counts.merged += 1
                else:
                    base = indexed.paper(paper.id) if indexed is not None else None
                    if base is None:
                        held[paper.id] = paper
                        counts.added += 1
                    else:
                        base.merge(paper)
                        held[paper.id] = base
                        counts.merged += 1
                if progress and (done % 50 == 0 or done == records):
                    progress(done, records)
        ctrl_c.release()
        if indexed is None:
            for paper in held.values():
                writer.add_document(**paper_document(paper, identities.aliases.get(paper.id)))
        writer.commit()
    except BaseException:
        ctrl_c.restore()
        # Stop sub-writers before Whoosh's cancel deletes the job files they read.
        for task in getattr(writer, "tasks", ()):
            task.terminate()
            task.join(timeout=10)
        for name in ("jobqueue", "resultqueue"):
            # Their feeder threads would wait forever at exit to flush job names into a
            # pipe no terminated sub-writer reads: an interrupted import then hung.
            job_queue = getattr(writer, name, None)
            if job_queue is not None:
                job_queue.cancel_join_thread()
        writer.cancel()
        raise
    if indexed is not None and held:
        # Replacing documents needs deletes, which only a single-process writer does.
        with ix.writer(limitmb=WRITER_MEMORY_MB) as updater:
            for paper in held.values():
                aliases = indexed.aliases(paper.id) | identities.aliases.get(paper.id, set())
                updater.update_document(**paper_document(paper, aliases))
    report.added = sum(counts.added for counts in report.per_source)
    report.merged = sum(counts.merged for counts in report.per_source)
    return report


class IndexedLookup:
    """What the live index already holds, as the identity resolver and the merge need it."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher

    def by_arxiv(self, arxiv_id: str) -> Known | None:
        return self._known(self.searcher.document(arxiv=arxiv_id))

    def by_title_id(self, title_id: str) -> Known | None:
        return self._known(self.searcher.document(id=title_id) or self.searcher.document(alias=title_id))

    def has(self, paper_id: str) -> bool:
        return self.searcher.document_number(id=paper_id) is not None

    def paper(self, paper_id: str) -> Paper | None:
        fields = self.searcher.document(id=paper_id)
        return stored_paper(fields) if fields else None

    def aliases(self, paper_id: str) -> set[str]:
        fields = self.searcher.document(id=paper_id)
        return set((fields or {}).get("alias", "").split())

    def _known(self, fields: dict | None) -> Known | None:
        if not fields:
            return None
        paper = stored_paper(fields)
        return Known(paper.id, paper.arxiv_id)
