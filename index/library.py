"""The search API the reader and the command line use: one object over the index.

``Library.open()`` builds the index on first use (with progress), then answers
``search``, ``get``, ``related`` and ``count``. Searchers are per thread (Whoosh
searchers are not shared across threads) and are reopened, never ``refresh()``-ed,
when the index on disk changed: ``refresh()`` can return stale documents after a
commit that replaced segments.
"""

from __future__ import annotations

import dataclasses
import json
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Literal

from whoosh import query as wq
from whoosh import sorting
from whoosh.index import Index
from whoosh.searching import Searcher

from index.collecting import BestSoFar, GuardedCollector, SearchCancelled, counting_collector
from index.column_filters import lift_ranges
from index.highlight import Span, find_spans
from index.listing import list_by_column, read_numeric_column
from index.locations import Locations, locations
from index.paper import Paper
from index.query import MarksIndex, ParsedQuery, QueryError, QueryParser, cap_prefixes, resolve_marks
from index.search_index import BuildReport, IndexStore, Progress

Sort = Literal["relevance", "date", "upvotes"]
SORTS: tuple[Sort, ...] = ("relevance", "date", "upvotes")
_OPERATORS = {"AND", "OR", "NOT", "TO"}
# A plain word: not a field name (followed by ":"), not inside a field value or wildcard.
_PLAIN_WORD = re.compile(r"(?<![:\w*])[A-Za-z]{3,}(?![:\w*])")
CACHE_SIZE = 256
"""Recent searches kept: backspacing or re-running a query is then free."""
FEW_HITS = 3
"""Below this many hits a did-you-mean suggestion is worth computing."""
BEST_SO_FAR_HITS = 100
"""Hits in a best-so-far report: a tall terminal's screenful (each costs a stored-fields read)."""


@dataclass(frozen=True)
class Hit:
    """One paper in a result list."""

    paper: Paper
    rank: int
    score: float | None = None


@dataclass
class SearchResults:
    """One page of hits for a query, with what the status line needs."""

    query: str
    sort: Sort
    total: int
    hits: list[Hit]
    offset: int = 0
    elapsed_ms: float = 0.0
    suggestion: str | None = None
    parsed: ParsedQuery | None = field(default=None, repr=False)
    complete: bool = True
    """False for the best hits among the matches seen so far while matching goes on:
    ``total`` is then a lower bound and ``hits`` may still change."""

    def title_spans(self, paper: Paper) -> list[Span]:
        return self._spans(paper.title, "title")

    def abstract_spans(self, paper: Paper) -> list[Span]:
        return self._spans(paper.abstract, "abstract")

    def _spans(self, text: str, fieldname: str) -> list[Span]:
        if self.parsed is None:
            return []
        # A bare word searches both fields; highlight it wherever it appears.
        words = {word for _field, word in self.parsed.words}
        return find_spans(text, words, self.parsed.prefixes)


def _paper(stored: dict) -> Paper:
    return Paper.from_dict(json.loads(stored["data"]))


class Library:
    """The user's paper library: the index plus (optionally) their marks for filters."""

    def __init__(self, locs: Locations, store: IndexStore, marks: MarksIndex | None = None):
        self.locs = locs
        self.store = store
        self.marks = marks
        self.build_report: BuildReport | None = None
        self._local = threading.local()
        self._generation = 0
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple, SearchResults] = OrderedDict()
        self._columns: dict[tuple[int, str], list[int]] = {}
        self._ix: Index | None = None
        self._opened_dir: Path | None = None

    @classmethod
    def open(
        cls, locs: Locations | None = None, marks: MarksIndex | None = None, progress: Progress | None = None
    ) -> Library:
        """Open the library, building the index first when it is missing or stale."""
        locs = locs or locations()
        store = IndexStore(locs)
        library = cls(locs, store, marks)
        library._ix, library.build_report = store.ensure(progress)
        library._opened_dir = store.current_dir()
        return library

    # -- searchers -------------------------------------------------------------
    def _searcher(self) -> Searcher:
        local = self._local
        if getattr(local, "generation", None) != self._generation or local.searcher is None:
            if getattr(local, "searcher", None) is not None:
                local.searcher.close()
            assert self._ix is not None, "use Library.open()"
            local.searcher = self._ix.searcher()
            local.parser = QueryParser()
            local.generation = self._generation
        return local.searcher

    def _parser(self) -> QueryParser:
        self._searcher()
        return self._local.parser

    def reload(self) -> bool:
        """Pick up a rebuilt or updated index; returns whether anything changed."""
        with self._lock:
            current = self.store.current_dir()
            if current is None:
                return False
            if current != self._opened_dir:
                self._ix = self.store.open()
                self._opened_dir = current
            elif self._searcher().up_to_date():
                return False
            # Every thread opens a fresh searcher on its next query (see module doc).
            self._generation += 1
            return True

    # -- queries -----------------------------------------------------------------
    def parse(self, text: str, typing: bool = False) -> ParsedQuery:
        """Parse a query; raises :class:`QueryError` with a message for the user."""
        return self._parser().parse(text, typing=typing)

    def search(
        self,
        text: str,
        sort: Sort = "relevance",
        limit: int = 50,
        offset: int = 0,
        typing: bool = False,
        cancelled: Callable[[], bool] | None = None,
        partial: Callable[[SearchResults], None] | None = None,
    ) -> SearchResults:
        """Run a query. An empty query lists the library (relevance means newest first).

        ``cancelled`` is polled while matching: when it turns true the search stops
        with :class:`SearchCancelled` (search-as-you-type drops superseded searches).
        ``partial`` is called from time to time during a long search (a common word in
        a big library) with the best hits so far (``complete=False``), so a reader can
        show something at once. Repeated searches are answered from a cache until the
        index or marks change.
        """
        started = time.perf_counter()
        if sort not in SORTS:
            raise QueryError(f"unknown sort {sort!r} (use {', '.join(SORTS)})")
        key = (text, sort, limit, offset, typing, self._generation, self._marks_stamp())
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return dataclasses.replace(cached, elapsed_ms=(time.perf_counter() - started) * 1000)
        parsed = self.parse(text, typing=typing)
        searcher = self._searcher()
        # normalize() merges the nested ORs prefix expansion makes and drops repeated terms
        # ("learning" typed is learn OR learn*, which expands to learn again): 2.3x faster at 100k.
        expanded = cap_prefixes(parsed.query, searcher.reader()).normalize()
        q, ranges = lift_ranges(resolve_marks(expanded, self.marks))
        if isinstance(q, wq.Every):
            total, hits = self._listing(searcher, sort, ranges, offset, limit)
        else:
            progress = None
            if partial is not None and offset == 0:  # later pages come after the first is shown
                progress = self._reporter(partial, searcher, text, sort, parsed, started)
            total, hits = self._matching(searcher, q, sort, parsed, ranges, offset, limit, cancelled, progress)
        suggestion = None
        if total < FEW_HITS and not parsed.is_everything:
            suggestion = self._suggest(parsed, searcher)
        elapsed = (time.perf_counter() - started) * 1000
        found = SearchResults(text, sort, total, hits, offset, elapsed, suggestion, parsed)
        self._cache[key] = found
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return found

    def _matching(
        self, searcher, q, sort, parsed, ranges, offset, limit, cancelled, progress=None
    ) -> tuple[int, list[Hit]]:
        sortedby = None
        if sort == "date" or (sort == "relevance" and parsed.is_everything):
            sortedby = sorting.FieldFacet("date_key", reverse=True)
        elif sort == "upvotes":
            sortedby = sorting.FieldFacet("votes_key", reverse=True)
        collector = GuardedCollector(
            counting_collector(offset + limit, sortedby), ranges, cancelled, progress, min(limit, BEST_SO_FAR_HITS)
        )
        searcher.search_with_collector(q, collector)
        results = collector.results()
        hits = []
        for rank in range(offset, min(offset + limit, results.scored_length())):
            score = results.score(rank) if sortedby is None else None
            hits.append(Hit(_paper(results[rank]), rank, score))
        return len(results), hits

    @staticmethod
    def _reporter(partial, searcher, text, sort, parsed, started) -> BestSoFar:
        """Turns the collector's best-so-far docnums into incomplete results for ``partial``."""

        def report(seen: int, best: list[tuple[int, float | None]]) -> None:
            hits = [
                Hit(_paper(searcher.stored_fields(docnum)), rank, score) for rank, (docnum, score) in enumerate(best)
            ]
            elapsed = (time.perf_counter() - started) * 1000
            partial(SearchResults(text, sort, seen, hits, 0, elapsed, None, parsed, complete=False))

        return report

    def _listing(self, searcher, sort, ranges, offset, limit) -> tuple[int, list[Hit]]:
        # No words to rank by: "relevance" lists newest first, like the date sort.
        column = "votes_key" if sort == "upvotes" else "date_key"
        total, docnums = list_by_column(searcher.reader(), self._column_values, column, ranges, offset + limit)
        page = docnums[offset:]
        return total, [Hit(_paper(searcher.stored_fields(docnum)), offset + i, None) for i, docnum in enumerate(page)]

    def _column_values(self, name: str) -> list[int]:
        key = (self._generation, name)
        values = self._columns.get(key)
        if values is None:
            values = read_numeric_column(self._searcher().reader(), name)
            self._columns = {key: values, **{k: v for k, v in self._columns.items() if k[0] == self._generation}}
        return values

    def clear_cache(self) -> None:
        """Forget cached searches (benchmarks time first-time searches with it)."""
        self._cache.clear()

    def _marks_stamp(self) -> object:
        # Filters like is:starred depend on the marks: a change must miss the cache.
        stamp = getattr(self.marks, "version", None)
        return stamp() if callable(stamp) else stamp

    def _suggest(self, parsed: ParsedQuery, searcher: Searcher) -> str | None:
        """Did-you-mean: each plain word not in any title replaced by its closest title word.

        Whoosh's ``correct_query`` would suggest stems ("learn" for "lerning"); the
        ``spell_title`` field keeps whole words, so suggestions read like what was typed.
        """
        reader = searcher.reader()
        corrector = reader.corrector("spell_title")
        changed = False

        def fix(match: re.Match[str]) -> str:
            nonlocal changed
            word = match.group(0)
            # Only whole title words count as known: a misspelling often stems to a real
            # stem ("reinforcment" -> "reinforc"), so stems cannot say it is spelled right.
            if word in _OPERATORS or reader.frequency("spell_title", word.lower()):
                return word
            suggestions = corrector.suggest(word.lower(), limit=1, maxdist=2, prefix=1)
            if suggestions:
                changed = True
                return suggestions[0]
            return word

        try:
            suggestion = _PLAIN_WORD.sub(fix, parsed.text)
        except Exception:  # a suggestion is a nicety; never fail a search for it
            return None
        return suggestion if changed else None

    def get(self, paper_id: str) -> Paper | None:
        """A paper by id, unique id prefix (4+ characters), or arXiv id."""
        searcher = self._searcher()
        stored = searcher.document(id=paper_id) or searcher.document(arxiv=paper_id)
        if stored is None and len(paper_id) >= 4:
            matches = list(searcher.reader().expand_prefix("id", paper_id.lower()))
            if len(matches) == 1:
                stored = searcher.document(id=matches[0].decode() if isinstance(matches[0], bytes) else matches[0])
        return Paper.from_dict(json.loads(stored["data"])) if stored else None

    def related(self, paper_id: str, limit: int = 10) -> list[Paper]:
        """Papers most like this one (Whoosh ``more_like`` over its title and abstract)."""
        paper = self.get(paper_id)
        if paper is None:
            return []
        searcher = self._searcher()
        docnum = searcher.document_number(id=paper.id)
        results = searcher.more_like(
            docnum, "abstract", text=f"{paper.title} {paper.title} {paper.abstract}", top=limit
        )
        return [Paper.from_dict(json.loads(hit["data"])) for hit in results]

    def count(self) -> int:
        return self._searcher().doc_count()

    def all_ids(self) -> list[str]:
        return [fields["id"] for fields in self._searcher().all_stored_fields()]

    def papers(self, ids: list[str]) -> list[Paper]:
        """Papers for ``ids`` in that order; unknown ids are left out."""
        found = [self.get(paper_id) for paper_id in ids]
        return [paper for paper in found if paper is not None]

    def close(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
            self._local.searcher = None


__all__ = ["Hit", "Library", "QueryError", "SearchCancelled", "SearchResults", "SORTS", "Sort"]
