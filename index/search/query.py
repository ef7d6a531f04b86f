"""The query language: Whoosh syntax made safe, plus dates, upvotes, state and typing.

What users type (the table is in ``index.search.language``): bare words over title (boosted) and abstract,
``title:`` ``abstract:`` ``org:`` ``author:``, ``upvotes:>=10``, ``date:2024``,
``date:[2024-01 to 2024-06]``, ``date:>=2025-03``, phrases, AND/OR/NOT, parentheses,
prefixes ``reinf*``, and the state filters ``tag:NAME`` ``is:starred`` ``is:unread``
``is:read`` ``has:note``. While typing, the word under the cursor also matches as a
prefix. Hostile input (huge, deeply nested, control characters, unbalanced quotes or
brackets) is cut down or refused with a message before Whoosh sees it: its parser is
quadratic on long tokens and recursive on nesting.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from whoosh import query as wq
from whoosh.fields import ID, Schema
from whoosh.qparser import GtLtPlugin, MultifieldParser, SingleQuotePlugin
from whoosh.qparser.dateparse import DateParserPlugin

from index.search.language import PSEUDO_FIELDS
from index.search.literal import UnknownField, literalize
from index.store.analysis import fold
from index.store.schema import TEXT_FIELDS, TITLE_BOOST, make_schema

MAX_QUERY_LENGTH = 1000
MAX_NESTING = 16
MAX_PREFIX_TERMS = 48
"""A prefix matches at most this many words (the most frequent): ``a*`` over 100k
abstracts would otherwise expand to tens of thousands of terms."""
MIN_TYPING_PREFIX = 3
"""The word being typed matches as a prefix only from this many characters on: "mo"
stands for hundreds of words, and at 100k papers their union takes Whoosh seconds to
score (measured: 9 s for "learning mo") while telling the reader almost nothing yet.
Shorter words still match whole ("rl", "3d")."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_DATE_VALUE = r"\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?"
_DATE_COMPARE = re.compile(rf"\bdate:(?P<op>>=|<=|>|<)(?P<value>{_DATE_VALUE})\b")
_DATE_ANY = re.compile(rf"\bdate:(?P<value>\[[^\]]*\]|{_DATE_VALUE})")


ADJACENT_BOOST = 2.0
"""Extra weight of a plain query's words found side by side (see _favour_adjacent_words)."""
# What makes a query more than plain words: fields, phrases, groups, wildcards, boosts,
# ranges, operators.
_SYNTAX = re.compile(r'[:"()*^~\[\]{}<>]|\b(?:AND|OR|NOT)\b')
FILTER_VALUES = "try is:starred, is:unread, is:read, is:new, has:note, tag:NAME or tag:PREFIX*"


class QueryError(ValueError):
    """A query that cannot be run; the message is for the user and names the problem."""


class MarksIndex(Protocol):
    """What the query layer needs from the user's state (``index.state.store.StateStore``)."""

    def starred_ids(self) -> set[str]: ...
    def read_ids(self) -> set[str]: ...
    def noted_ids(self) -> set[str]: ...
    def ids_with_tag(self, tag: str) -> set[str]: ...
    def tag_names(self) -> list[str]: ...


@dataclass(frozen=True)
class ParsedQuery:
    """A query ready to run, and what to highlight for it."""

    text: str
    query: wq.Query
    words: frozenset[tuple[str, str]]
    """(field, analysed word) pairs the user searched for, for highlighting."""
    prefixes: tuple[str, ...]
    """Raw lower-case prefixes (``reinf*`` and the word being typed)."""
    is_everything: bool = False

    @property
    def ranks(self) -> bool:
        """Whether relevance can order the hits: only filters (is:new, tag:rl, date:2024)
        give every hit the same score, so they are listed newest first instead."""
        return bool(self.words or self.prefixes)


def sanitize(text: str) -> str:
    """Refuse what cannot be searched; repair what is merely unfinished."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"query is too long ({len(text):,} characters; the limit is {MAX_QUERY_LENGTH:,})")
    text = _CONTROL.sub(" ", text)
    depth = deepest = 0
    for char in text:
        depth += char == "("
        depth -= char == ")" and depth > 0
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING:
        raise QueryError(f"too many nested parentheses (depth {deepest}; the limit is {MAX_NESTING})")
    return _balance(text)


def _balance(text: str) -> str:
    # While typing, a query is often unfinished: close what was opened instead of failing.
    if text.count('"') % 2:
        text += '"'
    depth, kept = 0, []
    for char in text:
        if char == ")":
            if depth == 0:
                continue  # a stray closing bracket means nothing
            depth -= 1
        elif char == "(":
            depth += 1
        kept.append(char)
    return "".join(kept) + ")" * depth


def _period(value: str) -> tuple[date, date]:
    """First and last day of ``2024``, ``2024-03`` or ``2024-03-05``."""
    parts = [int(part) for part in value.split("-")]
    try:
        if len(parts) == 1:
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
        if len(parts) == 2:
            first = date(parts[0], parts[1], 1)
            following = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            return first, following - timedelta(days=1)
        return (day := date(parts[0], parts[1], parts[2])), day
    except ValueError:
        raise QueryError(f"not a date: {value!r} (use 2024, 2024-03 or 2024-03-05)") from None


def _compact(day: date) -> str:
    return day.strftime("%Y%m%d")


_UPVOTES = re.compile(r"\bupvotes:([^\s()]*)")
_UPVOTES_OK = re.compile(r"(?:[<>]=?)?\d+|\[\s*\d*\s+to\s+\d*\s*\]|\{\s*\d*\s+to\s+\d*\s*\}", re.IGNORECASE)
_DATE = re.compile(r"\bdate:(\[[^\]]*\]|\{[^}]*\}|[^\s()]*)")
_DATE_OK = re.compile(
    rf"(?:[<>]=?)?{_DATE_VALUE}|[\[{{]\s*(?:{_DATE_VALUE})?\s+to\s+(?:{_DATE_VALUE})?\s*[\]}}]", re.IGNORECASE
)


def check_ranges(text: str) -> None:
    """``upvotes:`` takes a number and ``date:`` a date, or the user hears which one is off."""
    for match in _UPVOTES.finditer(text):
        if not _UPVOTES_OK.fullmatch(match.group(1)):
            raise QueryError(
                f"upvotes:{match.group(1)} is not a number of upvotes (try upvotes:>=10 or upvotes:[5 to 50])"
            )
    for match in _DATE.finditer(text):
        if not _DATE_OK.fullmatch(match.group(1)):
            raise QueryError(
                f"date:{match.group(1)} is not a date (try date:2024, date:>=2025-03 or date:[2024-01 to 2024-06])"
            )


def rewrite_dates(text: str) -> str:
    """Turn the date forms people type into ranges Whoosh's date parser reads exactly."""

    def compare(match: re.Match[str]) -> str:
        first, last = _period(match["value"])
        op = match["op"]
        if op == ">=":
            return f"date:[{_compact(first)} to]"
        if op == ">":
            return f"date:[{_compact(last + timedelta(days=1))} to]"
        if op == "<=":
            return f"date:[to {_compact(last)}]"
        return f"date:[to {_compact(first - timedelta(days=1))}]"

    def exact(match: re.Match[str]) -> str:
        value = match["value"]
        if value.startswith("["):
            # Inside a range Whoosh reads 2024-01 as 2024: hand it a plain 202401.
            def fix(m: re.Match[str]) -> str:
                _period(m.group(0))
                return m.group(0).replace("-", "")

            return "date:" + re.sub(_DATE_VALUE, fix, value)
        first, last = _period(value)
        return f"date:[{_compact(first)} to {_compact(last)}]"

    return _DATE_ANY.sub(exact, _DATE_COMPARE.sub(compare, text))


class QueryParser:
    """Parses user queries for one index; cheap to keep, not thread-safe to share."""

    def __init__(self) -> None:
        schema = make_query_schema()
        self._parser = MultifieldParser(list(TEXT_FIELDS), schema, fieldboosts={"title": TITLE_BOOST, "abstract": 1.0})
        self._parser.add_plugin(DateParserPlugin(free=False))
        self._parser.add_plugin(GtLtPlugin())
        # 'single quotes' are apostrophes in titles (Don't, Schrödinger's), not syntax.
        self._parser.remove_plugin_class(SingleQuotePlugin)
        self._analyzer = schema["title"].analyzer

    def parse(self, text: str, typing: bool = False) -> ParsedQuery:
        """Parse ``text``; with ``typing`` the last word also matches as a prefix."""
        try:
            cleaned = literalize(sanitize(text)).strip()
        except UnknownField as error:
            raise QueryError(str(error)) from None
        if not cleaned or (typing and len(cleaned) < MIN_TYPING_PREFIX and cleaned.isalnum()):
            # Nothing yet, or the first letter or two of a first word ("q", "di"): keep
            # listing the library rather than flash a list of whatever has a "q".
            return ParsedQuery(text, wq.Every(), frozenset(), (), is_everything=True)
        check_ranges(cleaned)
        rewritten = rewrite_dates(cleaned)
        try:
            parsed = self._parser.parse(rewritten)
        except QueryError:
            raise
        except Exception as error:  # Whoosh raises many kinds; the user needs one message
            raise QueryError(f"cannot read query {text!r}: {error}") from None
        if parsed is wq.NullQuery and typing and cleaned[-1:].isalnum():
            if len(cleaned.split()[-1]) < MIN_TYPING_PREFIX:
                # One or two letters and nothing else yet ("l"): keep listing the library.
                return ParsedQuery(text, wq.Every(), frozenset(), (), is_everything=True)
            # Only stop words so far ("the"): while typing, the last one is a prefix.
            parsed = self._parser.parse(rewritten + "*")
        if parsed is wq.NullQuery:
            raise QueryError(f"query {text!r} has nothing to search for (only common words?)")
        prefixes: list[str] = []
        still_typing = typing and not cleaned.endswith((" ", ")", '"'))
        if still_typing:
            parsed = _typed_word_as_prefix(parsed, rewritten, prefixes)
        parsed = self._favour_adjacent_words(parsed, cleaned, still_typing)
        words = frozenset(
            (field, value)
            for field, value in _positive_terms(parsed)
            if field in TEXT_FIELDS and isinstance(value, str)
        )
        prefixes += [q.text for q in _walk(parsed) if isinstance(q, wq.Prefix) and q.fieldname in TEXT_FIELDS]
        return ParsedQuery(text, parsed, words, tuple(dict.fromkeys(prefixes)))

    def _favour_adjacent_words(self, parsed: wq.Query, cleaned: str, still_typing: bool) -> wq.Query:
        """Plain words found side by side, as typed, rank above the same words scattered.

        "q learning" means Q-learning more than a paper that says "learning" and, far
        away, "Q"; a pasted title is found first. The words stay required (AND); the
        phrase is an optional extra score, checked only on papers that match anyway.
        """
        if _SYNTAX.search(cleaned):
            return parsed
        typed = cleaned.split()
        if still_typing:
            typed = typed[:-1]  # the word being typed is not a word yet
        words = [token.text for token in self._analyzer(" ".join(typed))]
        if len(words) < 2:
            return parsed
        phrases = [wq.Phrase(field, words, boost=ADJACENT_BOOST) for field in TEXT_FIELDS]
        return wq.AndMaybe(parsed, wq.Or(phrases))


def _walk(q: wq.Query):
    yield q
    for child in q.children():
        yield from _walk(child)


def _positive_terms(q: wq.Query):
    """Terms that make a paper match (not those under NOT), to highlight."""
    if isinstance(q, wq.Not):
        return
    if isinstance(q, wq.AndNot):
        yield from _positive_terms(q.a)
        return
    if isinstance(q, wq.Term):
        yield q.fieldname, q.text
    elif isinstance(q, wq.Phrase):
        for word in q.words:
            yield q.fieldname, word
    for child in q.children():
        yield from _positive_terms(child)


def _typed_word_as_prefix(parsed: wq.Query, text: str, prefixes: list[str]) -> wq.Query:
    # The analysed (stemmed) term of "learni" is "learni", which matches nothing;
    # the raw characters as a prefix do. Keep both so a finished word still ranks by it.
    def visit(q: wq.Query) -> wq.Query:
        if (
            isinstance(q, wq.Term)
            and q.fieldname in TEXT_FIELDS
            and getattr(q, "endchar", None) == len(text)
            and q.startchar is not None
        ):
            raw = fold(text[q.startchar : q.endchar])
            if len(raw) >= MIN_TYPING_PREFIX and raw.isalnum():
                prefixes.append(raw)
                return wq.Or([q, wq.Prefix(q.fieldname, raw, boost=q.boost)])
        return q

    return parsed.accept(visit)


def prefix_stems(reader, prefix: str, limit: int = MAX_PREFIX_TERMS) -> list[str]:
    """The indexed stems a typed prefix stands for, the most frequent first.

    Text fields hold stems ("learn"), so a raw prefix ("learnin") is expanded twice:
    over whole title words (``spell_title``), each then stemmed, and over the abstract's
    stems that start with it ("reinf" -> "reinforc"). At most ``limit`` are kept.
    """
    analyzer = reader.schema["title"].analyzer
    stems: set[str] = set()
    for source in ("spell_title", "abstract"):
        for count, word in enumerate(reader.expand_prefix(source, prefix)):
            if count >= limit * 20:
                break  # enough candidates to pick the frequent ones from
            word = word.decode("utf-8") if isinstance(word, bytes) else word
            if source == "spell_title":
                stems.update(token.text for token in analyzer(word))
            else:
                stems.add(word)
    ranked = sorted(
        stems, key=lambda stem: -reader.doc_frequency("abstract", stem) - reader.doc_frequency("title", stem)
    )
    return ranked[:limit]


def cap_prefixes(q: wq.Query, reader) -> wq.Query:
    """Replace each prefix by the stems it stands for (see :func:`prefix_stems`)."""

    def visit(node: wq.Query) -> wq.Query:
        if not isinstance(node, wq.Prefix):
            return node
        if node.fieldname in TEXT_FIELDS:
            words = prefix_stems(reader, node.text)
        else:
            words = [
                w.decode("utf-8") if isinstance(w, bytes) else w
                for w in itertools.islice(reader.expand_prefix(node.fieldname, node.text), MAX_PREFIX_TERMS)
            ]
        terms = [wq.Term(node.fieldname, word, boost=node.boost) for word in words]
        return wq.Or(terms) if terms else wq.NullQuery

    return q.accept(visit)


def make_query_schema() -> Schema:
    """The index schema plus the state pseudo-fields, so ``tag:rl`` parses as fielded."""
    schema = make_schema()
    for name in PSEUDO_FIELDS:
        schema.add(name, ID())
    return schema


def resolve_marks(q: wq.Query, marks: MarksIndex | None, new_sources: set[str] | None = None) -> wq.Query:
    """Turn ``tag:`` / ``is:`` / ``has:`` into id sets from the state file, and ``is:new``
    into the papers whose first source is one of ``new_sources``.

    The user's marks are few next to the library, so a filter becomes an OR over the
    marked ids, evaluated by Whoosh like any term: no per-hit lookups in Python.
    """

    def ids_query(ids: set[str]) -> wq.Query:
        # No marked papers: a term no paper has. (Not NullQuery, which a later normalize()
        # would drop from an AND, so "is:starred x" would find every x.)
        return wq.Or([wq.Term("id", paper_id) for paper_id in sorted(ids)]) if ids else wq.Term("id", "-")

    def visit(node: wq.Query) -> wq.Query:
        if getattr(node, "fieldname", None) not in PSEUDO_FIELDS:
            return node
        if not isinstance(node, (wq.Term, wq.Prefix, wq.Wildcard)):
            raise QueryError(f"{node.fieldname}: takes one value, such as tag:rl or is:starred")
        if marks is None:
            raise QueryError(f"{node.fieldname}:{node.text} needs the state file, which is not open")
        value = str(node.text).lower()
        if isinstance(node, (wq.Prefix, wq.Wildcard)):
            if node.fieldname != "tag":
                raise QueryError(f"{node.fieldname}: takes no wildcards ({FILTER_VALUES})")
            # tag:rl* -> every tag starting with rl (tag names are few: a scan is instant).
            stem = value.rstrip("*")
            tags = [tag for tag in marks.tag_names() if tag.startswith(stem)]
            return ids_query(set().union(*(marks.ids_with_tag(tag) for tag in tags)) if tags else set())
        if node.fieldname == "tag":
            return ids_query(marks.ids_with_tag(value))
        if node.fieldname == "has" and value in ("note", "notes"):
            return ids_query(marks.noted_ids())
        if node.fieldname == "is":
            if value in ("starred", "star"):
                return ids_query(marks.starred_ids())
            if value == "read":
                return ids_query(marks.read_ids())
            if value == "unread":
                return wq.AndNot(wq.Every(), ids_query(marks.read_ids()))
            if value == "new":
                names = sorted(new_sources or ())
                return wq.Or([wq.Term("source", name) for name in names]) if names else wq.Term("id", "-")
        raise QueryError(f"unknown filter {node.fieldname}:{node.text} ({FILTER_VALUES})")

    return q.accept(visit)
