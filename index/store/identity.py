"""Which records are the same paper: the arXiv id when both have one, else the title.

A paper retitled between arXiv versions stays one paper (its records share the arXiv
id); two records with the same title and no arXiv id on one side are one paper, as
before. A paper's ``id`` is the title id of its first record in source order (bundled
dumps, then imports in import order), so it never changes across rebuilds; the title
ids of its other records become *aliases*, which ``Library.get`` accepts and which
carry marks made under them over to the paper (``Library.adopt_marks``).

Two different papers that share a title but carry different arXiv ids keep apart: the
second gets an id derived from its arXiv id.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol

from index.paper import ID_LENGTH, Paper


def arxiv_paper_id(arxiv_id: str) -> str:
    """The id of a paper whose title id is taken by another paper (a different arXiv id)."""
    return hashlib.sha1(f"arxiv:{arxiv_id}".encode()).hexdigest()[:ID_LENGTH]


@dataclass(frozen=True)
class Known:
    """A paper already in the index that a record matched."""

    id: str
    arxiv_id: str | None


class IndexedPapers(Protocol):
    """How the resolver asks the index about papers written before this batch."""

    def by_arxiv(self, arxiv_id: str) -> Known | None: ...
    def by_title_id(self, title_id: str) -> Known | None: ...


class Identities:
    """Resolves each record to its paper's id, first come first served.

    ``resolve`` registers a record (pass 1 of a write, in source order); afterwards
    ``canonical`` answers the same for the same record without changing anything
    (pass 2), because the final maps give every record the id pass 1 gave it.
    """

    def __init__(self, indexed: IndexedPapers | None = None) -> None:
        self._indexed = indexed
        self._by_title: dict[str, str] = {}
        self._by_arxiv: dict[str, str] = {}
        self._with_arxiv: set[str] = set()
        self.aliases: dict[str, set[str]] = {}
        """Paper id -> title ids of its records that are not its own id."""

    def resolve(self, paper: Paper) -> str:
        title_id, arxiv = paper.id, paper.arxiv_id
        found = self._match(title_id, arxiv)
        if found is None:
            taken = title_id in self._by_title or (self._indexed and self._indexed.by_title_id(title_id))
            # Same title, another arXiv id: a different paper, kept apart.
            found = arxiv_paper_id(arxiv) if taken and arxiv else title_id
        elif found != title_id:
            self.aliases.setdefault(found, set()).add(title_id)  # a retitled version of it
        self._by_title.setdefault(title_id, found)
        if arxiv:
            self._by_arxiv.setdefault(arxiv, found)
            self._with_arxiv.add(found)
        return found

    def canonical(self, paper: Paper) -> str:
        """The id ``resolve`` gave this record (after every record was resolved)."""
        if paper.arxiv_id and paper.arxiv_id in self._by_arxiv:
            return self._by_arxiv[paper.arxiv_id]
        return self._by_title.get(paper.id, paper.id)

    def _match(self, title_id: str, arxiv: str | None) -> str | None:
        if arxiv:
            if arxiv in self._by_arxiv:
                return self._by_arxiv[arxiv]
            known = self._indexed.by_arxiv(arxiv) if self._indexed else None
            if known is not None:
                return known.id
        same_title = self._by_title.get(title_id)
        if same_title is not None:
            # Both records have an arXiv id, and they differ: two papers.
            return None if arxiv and same_title in self._with_arxiv else same_title
        known = self._indexed.by_title_id(title_id) if self._indexed else None
        if known is not None:
            if known.arxiv_id:
                self._with_arxiv.add(known.id)
            return None if arxiv and known.arxiv_id else known.id
        return None
