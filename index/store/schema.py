"""The Whoosh schema of the paper index, and its version.

Bump ``SCHEMA_VERSION`` whenever the schema or what goes into a document changes: an
index of another version is rebuilt automatically (it is only a cache).
"""

from __future__ import annotations

from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from index.store.analysis import name_analyzer, text_analyzer

SCHEMA_VERSION = 4

TITLE_BOOST = 3.0
"""A word in the title says more about a paper than the same word in its abstract."""

TEXT_FIELDS = ("title", "abstract")
"""Fields searched by a bare word."""


def make_schema() -> Schema:
    """The index schema. Every paper field the reader shows is in ``data`` (JSON)."""
    # multitoken_query="phrase": a word the analyzer splits (q-learning, GPT-4, τ-bench)
    # matches its parts side by side, as written with a hyphen, a space or nothing.
    text = {"multitoken_query": "phrase"}
    return Schema(
        id=ID(stored=True, unique=True),
        # Title ids of a paper's other records (retitled arXiv versions): old marks find it.
        alias=KEYWORD(stored=True, scorable=False),
        arxiv=ID(),
        title=TEXT(analyzer=text_analyzer(), field_boost=TITLE_BOOST, spelling=True, **text),
        # No spelling field for abstracts: it doubled indexing time (228 -> 523 papers/s
        # without it); prefixes expand over title words plus abstract stems instead.
        abstract=TEXT(analyzer=text_analyzer(), **text),
        org=TEXT(analyzer=name_analyzer(), **text),
        author=TEXT(analyzer=name_analyzer(), **text),
        source=ID(),
        date=DATETIME(),
        upvotes=NUMERIC(int, bits=32),
        # Sort keys live in columns of their own: Whoosh sorts a missing value first
        # when reversed, and "newest first" must put undated papers last.
        date_key=COLUMN(NumericColumn("i", default=0)),
        votes_key=COLUMN(NumericColumn("i", default=-1)),
        data=STORED(),
    )
