"""The Whoosh document of a paper: indexed fields, sort keys, and the paper as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from index.paper import Paper


def paper_document(paper: Paper, aliases: Iterable[str] | None = None) -> dict[str, Any]:
    """The Whoosh document of a paper (``data`` holds the whole paper as JSON).

    ``aliases`` are the title ids of its other records (a retitled arXiv paper), so
    that marks made under an older id still find it.
    """
    doc: dict[str, Any] = {
        "id": paper.id,
        "title": paper.title,
        "abstract": paper.abstract,
        "data": json.dumps(paper.to_dict(), ensure_ascii=False),
    }
    aliases = sorted((set(aliases or ()) | set(paper.former_ids)) - {paper.id})
    if aliases:
        doc["alias"] = " ".join(aliases)
    if paper.arxiv_id:
        doc["arxiv"] = paper.arxiv_id
    if paper.org:
        doc["org"] = paper.org
    if paper.author_names:
        doc["author"] = " ".join(paper.author_names)
    if paper.sources:
        doc["source"] = paper.sources[0]
    if paper.date:
        doc["date"] = datetime(paper.date.year, paper.date.month, paper.date.day)
        doc["date_key"] = paper.date.toordinal()
    if paper.upvotes is not None:
        doc["upvotes"] = paper.upvotes
        doc["votes_key"] = paper.upvotes
    return doc


def stored_paper(fields: Mapping[str, Any]) -> Paper:
    """The paper of a document's stored fields."""
    return Paper.from_dict(json.loads(fields["data"]))
