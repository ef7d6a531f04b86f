"""The search API the reader and the command line use: one object over the index.

``Library.open()`` builds the index on first use (with progress), then answers
``search``, ``get``, ``related`` and ``count``. Searchers are per thread (Whoosh
searchers are not shared across threads) and are reopened, never ``refresh()``-ed,
when the index on disk changed: ``refresh()`` can return stale documents after a
commit that replaced segments.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Concatenate, ParamSpec, Protocol, TypeVar

import numpy as np
from whoosh import query as wq
from whoosh import sorting
from whoosh.index import Index
from whoosh.searching import Searcher

from index.excerpts import Span
from index.locations import Locations, locations
from index.paper import Paper, arxiv_id_in, title_key
from index.search import collecting
from index.search.collecting import BestSoFar, GuardedCollector, SearchCancelled, counting_collector
from index.search.highlight import find_spans
from index.search.language import SORTS, Sort
from index.search.listing import by_key_desc, read_numeric_column
from index.search.postings import PostingsCache
from index.search.query import MarksIndex, ParsedQuery, QueryError, QueryParser, cap_prefixes, resolve_marks
from index.search.ranges import ColumnRange, lift_ranges
from index.search.vectorized import Cancelled, Evaluator, Matches, top
from index.sources.files import sources_imported_since
from index.store.documents import stored_paper
from index.store.generations import INDEX_DAMAGE, BuildReport, IndexDamaged, IndexStore, Progress, is_damage
from index.store.schema import TEXT_FIELDS
from index.store.vocabulary import Vocabulary

T = TypeVar("T")
P = ParamSpec("P")
_OPERATORS = {"AND", "OR", "NOT", "TO"}
# A plain word: not a field name (followed by ":"), not inside a field value or wildcard.
# A plain word: a whole whitespace-separated chunk of letters (not a field value, a
# wildcard, part of a phrase or of a hyphenated word).
_PLAIN_WORD = re.compile(r"(?<!\S)[^\W\d_]{3,}(?!\S)")
CACHE_SIZE = 256
"""Recent searches kept: backspacing or re-running a query is then free."""
FEW_HITS = 3
"""Below this many hits a did-you-mean suggestion is worth computing."""
_RELATED = re.compile(r"related:(\S+)", re.IGNORECASE)
RELATED_LIMIT = 30
"""Papers a ``related:ID`` search lists."""
RELATED_TERMS = 15
"""Key terms of a paper that make its "related papers" query."""
BEST_SO_FAR_HITS = 100
"""Hits in a best-so-far report: a tall terminal's screenful (each costs a stored-fields read)."""
PAPER_CACHE = 5000
"""Papers kept decoded (about 10 MB): a few screens of many recent searches."""
WARM_TERMS = 300
"""Commonest words of titles and abstracts read ahead by warm_postings."""
WARM_POSITIONS = 60
"""Of those, how many have their positions read ahead too."""


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
    label: str = ""
    """What the results are when they are not a plain search ("related to “…”")."""
    corrected: bool = False
    """``query`` found nothing: these are the results of ``suggestion`` instead."""

    @property
    def newest_first(self) -> bool:
        """Relevance cannot order these (no words, only filters): they are newest first."""
        return self.sort == "relevance" and (self.parsed is None or not self.parsed.ranks) and not self.label

    def title_spans(self, paper: Paper) -> list[Span]:
        return self._spans(paper.title)

    def abstract_spans(self, paper: Paper) -> list[Span]:
        return self._spans(paper.abstract)

    def _spans(self, text: str) -> list[Span]:
        if self.parsed is None:
            return []
        # A bare word searches both fields; highlight it wherever it appears.
        words = {word for _field, word in self.parsed.words}
        return find_spans(text, words, self.parsed.prefixes)


def recovering(method: Callable[Concatenate[Library, P], T]) -> Callable[Concatenate[Library, P], T]:
    """A :class:`Library` method that rebuilds a damaged index once and tries again."""

    @functools.wraps(method)
    def call(self: Library, *args: P.args, **kwargs: P.kwargs) -> T:
        return self._recovering(lambda: method(self, *args, **kwargs))

    return call


def near_duplicate(a: Paper, b: Paper) -> bool:
    """Two records of one paper under different ids: the same title once normalised, or
    abstracts sharing nine words in ten (a version posted twice)."""
    if title_key(a.title) == title_key(b.title):
        return True
    words_a, words_b = set(title_key(a.abstract).split()), set(title_key(b.abstract).split())
    if len(words_a) < 20 or len(words_b) < 20:
        return False
    return len(words_a & words_b) / len(words_a | words_b) >= 0.9


class AmbiguousId(QueryError):
    """An id prefix that matches several papers."""


class MarksStore(Protocol):
    """What :meth:`Library.adopt_marks` needs of the state store."""

    def items(self) -> dict[str, Any]: ...
    def move_marks(self, moves: dict[str, str]) -> int: ...


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
        self._columns: dict[tuple[int, str], np.ndarray] = {}
        self._ix: Index | None = None
        self._opened_dir: Path | None = None
        self._rebuilt_after_damage = False
        self.vectorized = True
        """Score postings arrays (index.search.vectorized); False: Whoosh's matchers."""
        self.fallbacks: list[str] = []
        """Queries the evaluator handed back to Whoosh after an error, and the error (the
        parity test wants none)."""
        self._postings: tuple[int, PostingsCache] | None = None
        self._papers: OrderedDict[tuple[int, int], Paper] = OrderedDict()
        self._words: tuple[tuple[int, Path | None], Vocabulary] | None = None
        self.new_since = 0.0
        """``is:new``: papers first seen in a file imported after this time (the caller sets
        when the previous reader session started)."""
        self.notices: list[str] = []
        """Things the user should hear about (a damaged index was rebuilt), oldest first."""

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

    def _recovering(self, call: Callable[[], T]) -> T:
        """Run an engine call; if the index turns out damaged, rebuild it once and retry."""
        try:
            return call()
        except (QueryError, SearchCancelled):
            raise
        except INDEX_DAMAGE as error:
            if not is_damage(error):
                raise  # a bug, not a damaged index: say so rather than rebuild
            if self._rebuilt_after_damage:
                raise self._beyond_repair(error) from None
            self._rebuild_damaged(error)
        try:
            return call()
        except (QueryError, SearchCancelled):
            raise
        except INDEX_DAMAGE as error:
            if not is_damage(error):
                raise
            raise self._beyond_repair(error) from None

    def _beyond_repair(self, error: BaseException) -> IndexDamaged:
        return IndexDamaged(
            f"the search index in {self.store.root} cannot be read even after a rebuild "
            f"({type(error).__name__}: {error}); check the disk, then run papers reindex"
        )

    def _rebuild_damaged(self, error: BaseException) -> None:
        self._rebuilt_after_damage = True
        with self._lock:
            self.close()
            report = self.store.rebuild()
            self._ix = self.store.open()
            self._opened_dir = self.store.current_dir()
            self._generation += 1
            self._cache.clear()
        self.notices.append(
            f"the search index was damaged ({type(error).__name__}); rebuilt it from your sources "
            f"({report.papers:,} papers, {report.seconds:.1f} s). Your marks are untouched."
        )

    @recovering
    def search(
        self,
        text: str,
        sort: Sort = "relevance",
        limit: int = 50,
        offset: int = 0,
        typing: bool = False,
        cancelled: Callable[[], bool] | None = None,
        partial: Callable[[SearchResults], None] | None = None,
        correct: bool = False,
    ) -> SearchResults:
        """Run a query. An empty query lists the library (relevance means newest first).

        With ``correct``, a query that finds nothing but has a did-you-mean suggestion
        answers with the suggestion's results (``corrected=True``, ``query`` unchanged).

        ``cancelled`` is polled while matching: when it turns true the search stops
        with :class:`SearchCancelled` (search-as-you-type drops superseded searches).
        ``partial`` is called from time to time during a long search (a common word in
        a big library) with the best hits so far (``complete=False``), so a reader can
        show something at once. Repeated searches are answered from a cache until the
        index or marks change. A damaged index is rebuilt once and the search retried.
        """
        started = time.perf_counter()
        if sort not in SORTS:
            raise QueryError(f"unknown sort {sort!r} (use {', '.join(SORTS)})")
        key = (text, sort, limit, offset, typing, correct, self._generation, self._marks_stamp(), self.new_since)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return dataclasses.replace(cached, elapsed_ms=(time.perf_counter() - started) * 1000)
        related = _RELATED.fullmatch(text.strip())
        if related:
            found = self._related_results(text, sort, related.group(1), limit, started)
            self._remember(key, found)
            return found
        parsed = self.parse(text, typing=typing)
        searcher = self._searcher()
        # normalize() merges the nested ORs prefix expansion makes and drops repeated terms
        # ("learning" typed is learn OR learn*, which expands to learn again): 2.3x faster at 100k.
        # Marks first (tag:rl* is a tag prefix, not a Whoosh one), then the word prefixes.
        new = sources_imported_since(self.locs, self.new_since) if "is:new" in text.lower() else None
        expanded = cap_prefixes(resolve_marks(parsed.query, self.marks, new), searcher.reader()).normalize()
        q, ranges = lift_ranges(expanded)
        if isinstance(q, wq.Every):
            total, hits = self._listing(searcher, sort, ranges, offset, limit)
        else:
            progress = None
            if partial is not None and offset == 0:  # later pages come after the first is shown
                progress = self._reporter(partial, searcher, text, sort, parsed, started)
            total, hits = self._matching(searcher, q, sort, parsed, ranges, offset, limit, cancelled, progress)
        suggestion = None
        if total < FEW_HITS and not parsed.is_everything:
            suggestion = self._suggest(parsed)
        if total == 0 and suggestion and correct:
            # Nothing at all: show what the likely intended query finds, and say so.
            found = self.search(suggestion, sort, limit, offset, typing, cancelled, partial, correct=False)
            found = dataclasses.replace(found, query=text, suggestion=suggestion, corrected=True)
        else:
            elapsed = (time.perf_counter() - started) * 1000
            found = SearchResults(text, sort, total, hits, offset, elapsed, suggestion, parsed)
        self._remember(key, found)
        return found

    def _remember(self, key: tuple, found: SearchResults) -> None:
        self._cache[key] = found
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)

    def _related_results(self, text: str, sort: Sort, reference: str, limit: int, started: float) -> SearchResults:
        """``related:ID``: the papers most like one paper, as a search's results."""
        paper = self.get(reference)
        if paper is None:
            raise QueryError(f"related:{reference}: no paper with that id")
        papers = self.related(paper.id, min(limit, RELATED_LIMIT))
        hits = [Hit(other, rank) for rank, other in enumerate(papers)]
        elapsed = (time.perf_counter() - started) * 1000
        label = paper.title if len(paper.title) <= 50 else paper.title[:49] + "…"
        return SearchResults(text, sort, len(hits), hits, 0, elapsed, label=f"related to “{label}”")

    def _matching(
        self, searcher, q, sort, parsed, ranges, offset, limit, cancelled, progress=None
    ) -> tuple[int, list[Hit]]:
        """Evaluate ``q`` over postings arrays (``vectorized``): every match scored, counted
        exactly, the page ranked as Whoosh would rank it."""
        if not self.vectorized:
            return self._whoosh_matching(searcher, q, sort, parsed, ranges, offset, limit, cancelled, progress)
        evaluator = self._evaluator()
        report = None if progress is None else self._evaluator_reporter(progress, sort, parsed, ranges, limit)
        postings = evaluator.cache
        postings.search_started()
        try:
            found = evaluator.evaluate_root(q, cancelled or (lambda: False), report)
        except Cancelled:
            raise SearchCancelled() from None
        except Exception as error:
            if is_damage(error):
                raise
            # A query shape or a segment the evaluator misreads: Whoosh's own matchers
            # give the right answer, only slower (and a damaged index fails there too).
            self.fallbacks = [*self.fallbacks[-19:], f"{q}: {type(error).__name__}: {error}"]
            return self._whoosh_matching(searcher, q, sort, parsed, ranges, offset, limit, cancelled, progress)
        finally:
            postings.search_ended()
        found = self._within_ranges(found, ranges)
        rows, scores = self._ranked_page(found, sort, parsed, offset, limit)
        hits = [
            Hit(self._paper_at(searcher, int(found.ids[row])), offset + rank, score)
            for rank, (row, score) in enumerate(zip(rows, scores, strict=True))
        ]
        return len(found), hits

    def _within_ranges(self, found: Matches, ranges: list[ColumnRange]) -> Matches:
        keep = self._in_ranges(found.ids, ranges)
        return found if keep is None else Matches(found.ids[keep], found.scores[keep])

    def _in_ranges(self, ids: np.ndarray, ranges: list[ColumnRange]) -> np.ndarray | None:
        """Which of ``ids`` every date/upvote range accepts (None: there are no ranges)."""
        keep = None
        for wanted in ranges:
            accepted = wanted.accepts_array(self._column_values(wanted.column)[ids])
            keep = accepted if keep is None else keep & accepted
        return keep

    def _by_column(self, ids: np.ndarray, sort: Sort, count: int) -> np.ndarray:
        """Rows of the first ``count`` of ``ids``, most upvoted (sort "upvotes") or newest
        (any other) first."""
        keys = self._column_values("votes_key" if sort == "upvotes" else "date_key")[ids]
        return by_key_desc(keys, ids, count)

    def _ranked_page(
        self, found: Matches, sort: Sort, parsed: ParsedQuery, offset: int, limit: int
    ) -> tuple[np.ndarray, list[float | None]]:
        """Rows of ``found`` on the page, and their scores (None when sorted by a column)."""
        if sort == "relevance" and parsed.ranks:
            rows = top(found, offset + limit)[offset:]
            return rows, [float(score) for score in found.scores[rows]]
        rows = self._by_column(found.ids, sort, offset + limit)[offset:]
        return rows, [None] * len(rows)

    def _evaluator_reporter(self, progress: BestSoFar, sort, parsed, ranges, limit) -> Callable:
        """Best-so-far for the evaluator: it offers the matches of the query's first OR
        branches; they are ranked and reported on the collector's timetable."""
        due = time.perf_counter() + collecting.FIRST_PROGRESS

        def report(so_far: Callable[[], Matches]) -> None:
            nonlocal due
            if time.perf_counter() < due:
                return
            found = self._within_ranges(so_far(), ranges)
            if len(found):
                rows, scores = self._ranked_page(found, sort, parsed, 0, min(limit, BEST_SO_FAR_HITS))
                progress(len(found), [(int(found.ids[row]), score) for row, score in zip(rows, scores, strict=True)])
            due = time.perf_counter() + collecting.PROGRESS_EVERY

        return report

    def _evaluator(self) -> Evaluator:
        """This thread's evaluator (Whoosh searchers are per thread), sharing the postings
        cache of the index generation."""
        searcher = self._searcher()
        local = self._local
        if getattr(local, "evaluator", None) is None or local.evaluator.searcher is not searcher:
            local.evaluator = Evaluator(searcher, self._postings_cache(searcher))
        return local.evaluator

    def _postings_cache(self, searcher: Searcher) -> PostingsCache:
        generation = self._local.generation  # the searcher's, should a reload have just happened
        with self._lock:
            if self._postings is None or self._postings[0] != generation:
                self._postings = (generation, PostingsCache(searcher.reader()))
            return self._postings[1]

    def warm_postings(self, stop: Callable[[], bool] = lambda: False) -> int:
        """Read ahead what searches need: the sort columns, field lengths and the postings
        of the commonest title and abstract words, while no search runs (call it on a
        thread of its own; it gives way to searches). Returns how many terms it read."""
        # Not through _recovering: a damaged index is for a search to find and rebuild, on
        # the engine thread, not for a background reader.
        if not self.vectorized:
            return 0
        evaluator = self._evaluator()
        cache = evaluator.cache
        if cache.warmed:
            return 0

        def stale() -> bool:
            return stop() or self._postings is None or self._postings[1] is not cache

        for column in ("date_key", "votes_key"):
            self._column_values(column)
        for fieldname in TEXT_FIELDS:
            evaluator.lengths(fieldname, np.zeros(0, dtype=np.int32))
        # The commonest words of titles and abstracts (the word list did-you-mean keeps:
        # Whoosh's most_frequent_terms scans the whole lexicon, 0.8 s at 10k papers),
        # as the index spells them.
        analyzer = evaluator.schema["abstract"].analyzer
        stems = dict.fromkeys(
            token.text for word, _count in self._vocabulary().counts.most_common(WARM_TERMS) for token in analyzer(word)
        )
        terms = [(fieldname, stem) for stem in stems for fieldname in ("abstract", "title")]
        read = cache.warm(evaluator.leaves, terms, stale)
        # Positions too for the commonest: two plain words rank higher side by side
        # (a phrase checked on every paper having both), and reading a common word's
        # positions cold costs more than its postings.
        read += cache.warm(evaluator.leaves, terms[: 2 * WARM_POSITIONS], stale, positions=True)
        cache.warmed = not stale()
        return read

    def _whoosh_matching(
        self, searcher, q, sort, parsed, ranges, offset, limit, cancelled, progress=None
    ) -> tuple[int, list[Hit]]:
        """Whoosh's own matchers and collectors (the parity tests' reference)."""
        sortedby = None
        if sort == "date" or (sort == "relevance" and not parsed.ranks):
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
            hits.append(Hit(stored_paper(results[rank]), rank, score))
        return len(results), hits

    def _paper_at(self, searcher: Searcher, docnum: int) -> Paper:
        """The paper of a document, from a cache: a page of results reads 200 stored
        documents (decompress, JSON, Paper), 3/4 of a search's time on the bundled corpus,
        and the pages of successive keystrokes share most of their papers."""
        key = (self._local.generation, docnum)
        paper = self._papers.get(key)
        if paper is None:
            paper = stored_paper(searcher.stored_fields(docnum))
            with self._lock:
                self._papers[key] = paper
                while len(self._papers) > PAPER_CACHE:
                    self._papers.popitem(last=False)
        return paper

    def _reporter(self, partial, searcher, text, sort, parsed, started) -> BestSoFar:
        """Turns the collector's best-so-far docnums into incomplete results for ``partial``."""

        def report(seen: int, best: list[tuple[int, float | None]]) -> None:
            hits = [Hit(self._paper_at(searcher, docnum), rank, score) for rank, (docnum, score) in enumerate(best)]
            elapsed = (time.perf_counter() - started) * 1000
            partial(SearchResults(text, sort, seen, hits, 0, elapsed, None, parsed, complete=False))

        return report

    def _listing(self, searcher, sort, ranges, offset, limit) -> tuple[int, list[Hit]]:
        # No words to rank by: "relevance" lists newest first, like the date sort.
        docs = self._evaluator().alive()  # the live documents, read once per generation
        keep = self._in_ranges(docs, ranges)
        if keep is not None:
            docs = docs[keep]
        page = docs[self._by_column(docs, sort, offset + limit)[offset:]]
        return len(docs), [Hit(self._paper_at(searcher, int(doc)), offset + i, None) for i, doc in enumerate(page)]

    def _column_values(self, name: str) -> np.ndarray:
        """A value per document of a numeric column, read once per index generation."""
        key = (self._generation, name)
        values = self._columns.get(key)
        if values is None:
            values = read_numeric_column(self._searcher().reader(), name)
            self._columns = {key: values, **{k: v for k, v in self._columns.items() if k[0] == self._generation}}
        return values

    def clear_cache(self, postings: bool = False) -> None:
        """Forget cached searches (benchmarks time first-time searches with it), and with
        ``postings`` the postings read so far (to time cold reads)."""
        self._cache.clear()
        if postings and self._postings is not None:
            self._postings[1].clear_terms()

    def _marks_stamp(self) -> object:
        # Filters like is:starred depend on the marks: a change must miss the cache.
        stamp = getattr(self.marks, "version", None)
        return stamp() if callable(stamp) else stamp

    def _suggest(self, parsed: ParsedQuery) -> str | None:
        """Did-you-mean: each plain word that no title or abstract has, replaced by the
        likeliest word that one does (see ``index.store.vocabulary``).

        Only standalone plain words are touched (never a field value, an operator or a
        quoted phrase), so a suggestion is always a query the user meant to type.
        """
        vocabulary = self._vocabulary()
        changed = False

        def fix(match: re.Match[str]) -> str:
            nonlocal changed
            word = match.group(0)
            if word in _OPERATORS or vocabulary.knows(word):
                return word
            suggestion = vocabulary.suggest(word)
            if suggestion is None:
                return word
            changed = True
            return suggestion

        try:
            suggestion = _PLAIN_WORD.sub(fix, parsed.text)
        except Exception:  # a suggestion is a nicety; never fail a search for it
            return None
        return suggestion if changed else None

    def _vocabulary(self) -> Vocabulary:
        key = (self._generation, self._opened_dir)
        if self._words is None or self._words[0] != key:
            assert self._opened_dir is not None
            self._words = (key, Vocabulary.load(self._opened_dir))
        return self._words[1]

    def get(self, reference: str) -> Paper | None:
        """A paper by id, unique id prefix (4+ characters), former id (alias), arXiv id with or
        without ``vN`` or ``arXiv:``, arXiv abs/pdf URL or Hugging Face paper URL.

        Raises :class:`AmbiguousId` when a prefix matches several papers.
        """
        return self._recovering(lambda: self._find(reference))

    def _find(self, reference: str) -> Paper | None:
        searcher = self._searcher()
        reference = reference.strip()
        stored = searcher.document(id=reference.lower()) if reference else None
        arxiv = arxiv_id_in(reference)
        if stored is None and arxiv:
            stored = searcher.document(arxiv=arxiv)
        if stored is None and reference:
            stored = searcher.document(alias=reference.lower())
        if stored is None and len(reference) >= 4 and reference.isalnum():
            matches = [
                word.decode() if isinstance(word, bytes) else word
                for word in itertools.islice(searcher.reader().expand_prefix("id", reference.lower()), 6)
            ]
            if len(matches) > 1:
                shown = ", ".join(matches[:5]) + (", …" if len(matches) > 5 else "")
                raise AmbiguousId(f"id prefix {reference!r} matches several papers ({shown}); give more of it")
            if matches:
                stored = searcher.document(id=matches[0])
        return stored_paper(stored) if stored else None

    def related(self, paper_id: str, limit: int = 10) -> list[Paper]:
        """Papers most like this one: its most telling terms (Whoosh key terms over its
        title and abstract) searched in titles and abstracts; the paper itself and its
        near-duplicates (the same title, or nearly the same abstract) left out."""
        paper = self.get(paper_id)
        if paper is None:
            return []

        def find() -> list[Paper]:
            searcher = self._searcher()
            docnum = searcher.document_number(id=paper.id)
            terms = searcher.key_terms_from_text(
                "abstract", f"{paper.title} {paper.title} {paper.abstract}", numterms=RELATED_TERMS
            )
            q = wq.Or(
                [
                    wq.Term(field, term, boost=weight)  # the schema boosts the title
                    for term, weight in terms
                    for field in TEXT_FIELDS
                ]
            )
            found: list[Paper] = []
            for hit in searcher.search(q, limit=limit * 3, mask={docnum} if docnum is not None else None):
                other = stored_paper(hit)
                if not near_duplicate(paper, other) and not any(near_duplicate(other, kept) for kept in found):
                    found.append(other)
                if len(found) == limit:
                    break
            return found

        return self._recovering(find)

    def adopt_marks(self, state: MarksStore) -> int:
        """Move marks made under a paper's former id (an alias: a retitled arXiv version,
        once a paper of its own) onto the paper. Returns how many papers' marks moved."""
        searcher = self._searcher()
        moves = {}
        for old_id in state.items():
            if searcher.document_number(id=old_id) is not None:
                continue
            stored = searcher.document(alias=old_id)
            if stored is not None:
                moves[old_id] = stored["id"]
        return state.move_marks(moves) if moves else 0

    def count(self) -> int:
        return self._recovering(lambda: self._searcher().doc_count())

    def close(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
            self._local.searcher = None
