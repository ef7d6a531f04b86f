"""What a user can ask for, in words: the query syntax table and the sort orders.

No Whoosh here, so ``papers --help`` can show them without loading the engine.
"""

from __future__ import annotations

from typing import Literal

Sort = Literal["relevance", "date", "upvotes"]
SORTS: tuple[Sort, ...] = ("relevance", "date", "upvotes")

PSEUDO_FIELDS = ("tag", "is", "has")
"""Query fields answered from the user's state file, not stored in the index."""

QUERY_SYNTAX: tuple[tuple[str, str], ...] = (
    ("kernel regression", "both words (stemmed); a word in the title counts most"),
    ("q-learning  gpt-4  τ-bench", "compounds, with a hyphen, a space or nothing; Greek by letter or name"),
    ('"policy optimization"', "the phrase"),
    ("a OR b, a NOT b, (a OR b) AND c", "boolean logic"),
    ("reinf*", "words starting with reinf (the word being typed is a prefix anyway)"),
    ("title: abstract: author: org: arxiv:", "one field, e.g. author:lovelace (accents optional)"),
    ("date:2024  date:>=2025-03  date:[2024-01 to 2024-06]", "published in that period"),
    ("upvotes:>=10", "upvote counts"),
    (
        "tag:rl  tag:rl*  is:starred  is:unread  is:read  is:new  has:note",
        "your marks; is:new: arrived since your last session",
    ),
    ("related:ID", "papers like that one (r on a paper)"),
    ("? ! : ' and brackets elsewhere", "plain text: paste any title as it is"),
)
"""The query language in one table: the reader's help screen and ``papers --help`` show it."""
