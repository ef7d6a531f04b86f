"""The paper model: one research paper, its stable identity and how records merge.

A paper's ``id`` is derived from its normalised title only, so it is the same across
re-imports, index rebuilds and machines: the user's marks (keyed by id) never detach.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote_plus

from index.latex import decode_latex

ID_LENGTH = 10
"""Hex digits of a paper id: 40 bits keeps collisions unlikely far past a million papers."""

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
# Control characters end a URL too: a link never carries an escape sequence.
_URL = re.compile(r"https?://[^\s<>\"'{}|\\^`\[\]\x00-\x1f\x7f-\x9f]+")
# Characters that end a sentence or close a bracket are almost never the last
# character of a real URL in an abstract ("see https://x.io/repo.").
_URL_TRAILING = ".,;:!?)]}'\""


_ARXIV_ID = re.compile(r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Za-z]{2})?/\d{7})(?:v\d+)?", re.IGNORECASE)
_ARXIV_REF = re.compile(
    r"^(?:arxiv:\s*"
    r"|https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/"
    r"|https?://(?:www\.)?(?:hf\.co|huggingface\.co)/papers/)?"
    r"(?P<rest>.+?)(?:\.pdf)?/?(?:[?#].*)?$",
    re.IGNORECASE,
)


def normalize_arxiv_id(value: str) -> str | None:
    """``2401.01234`` from ``2401.01234v2`` (old style ``hep-th/9901001`` too); None if not one."""
    match = _ARXIV_ID.fullmatch(value.strip())
    return match["id"] if match else None


def arxiv_id_in(reference: str) -> str | None:
    """The arXiv id a user's reference names: ``arXiv:2401.01234v2``, an arXiv abs/pdf URL,
    a Hugging Face paper URL, or the bare id (with or without ``vN``)."""
    match = _ARXIV_REF.match(reference.strip())
    return normalize_arxiv_id(match["rest"]) if match else None


def title_key(title: str) -> str:
    """Normalise a title for identity: case, accents, punctuation and whitespace folded."""
    text = unicodedata.normalize("NFKD", title).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text).strip()


def paper_id(title: str) -> str:
    """The stable id of the paper with this title."""
    return hashlib.sha1(title_key(title).encode("utf-8")).hexdigest()[:ID_LENGTH]


def find_links(text: str) -> list[str]:
    """URLs in ``text`` in order, without trailing punctuation and without repeats.

    The dumps carry LaTeX leftovers such as ``https://x/y{https://x/y}.``; braces
    end a URL, so both halves reduce to the same link and the repeat is dropped.
    """
    links: list[str] = []
    for match in _URL.finditer(text):
        url = match.group(0)
        while url and url[-1] in _URL_TRAILING:
            # A ")" closing a "(" inside the URL is part of it (wiki/Foo_(bar)).
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break
            url = url[:-1]
        if len(url) > len("https://") and url not in links:
            links.append(url)
    return links


def clean_text(text: str) -> str:
    """Collapse runs of whitespace (arXiv titles and abstracts carry hard line breaks)."""
    return " ".join(text.split())


@dataclass
class Paper:
    """One paper. Optional fields are ``None`` (or empty) when no source gave them."""

    id: str
    title: str
    abstract: str = ""
    author_count: int | None = None
    author_names: list[str] = field(default_factory=list)
    org: str | None = None
    date: date | None = None
    upvotes: int | None = None
    links: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    url: str | None = None
    """Canonical page (arXiv abs or Hugging Face paper page) when a source gave an id."""
    arxiv_id: str | None = None
    former_ids: list[str] = field(default_factory=list, compare=False, repr=False)
    """Ids this paper had under older rules (not exported): the index keeps them as aliases,
    so marks made under them move to the paper (``Library.adopt_marks``)."""

    @classmethod
    def new(cls, title: str, **fields: Any) -> Paper:
        """A paper with its id derived from ``title``, whitespace cleaned and LaTeX accents
        decoded (``Djokovi\\'{c}`` reads Djoković) in its title, abstract and names."""
        raw_title = clean_text(title)
        title = decode_latex(raw_title)
        abstract = decode_latex(clean_text(fields.pop("abstract", "") or ""))
        links = fields.pop("links", None)
        arxiv_id = fields.pop("arxiv_id", None)
        if arxiv_id:
            arxiv_id = normalize_arxiv_id(str(arxiv_id)) or str(arxiv_id).strip()
        if fields.get("author_names"):
            fields["author_names"] = [decode_latex(clean_text(name)) for name in fields["author_names"]]
        if fields.get("org"):
            fields["org"] = decode_latex(clean_text(fields["org"]))
        new_id, old_id = paper_id(title), paper_id(raw_title)
        return cls(
            id=new_id,
            title=title,
            abstract=abstract,
            links=list(links) if links is not None else find_links(abstract),
            arxiv_id=arxiv_id or None,
            former_ids=[old_id] if old_id != new_id else [],
            **fields,
        )

    @property
    def primary_link(self) -> str:
        """The canonical URL, else a Hugging Face papers search for the exact title."""
        if self.url:
            return self.url
        return "https://huggingface.co/papers?q=" + quote_plus(self.title)

    def byline(self, max_names: int = 3) -> str:
        """Who wrote it, as far as the sources say: up to ``max_names`` authors ("et al."
        for the rest), else the organisation, else the author count ("" if nothing)."""
        names = self.author_names
        if names:
            return ", ".join(names[:max_names]) + (" et al." if len(names) > max_names else "")
        if self.org:
            return self.org
        if self.author_count:
            return f"{self.author_count} author" + ("" if self.author_count == 1 else "s")
        return ""

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None

    def merge(self, other: Paper) -> bool:
        """Fill this paper's gaps from ``other`` (the same paper from another source).

        What is already known wins, so the result depends only on the order sources
        are read in, which is fixed (bundled dumps, then imports in import order).
        Returns whether anything changed.
        """
        before = self.to_dict()
        if not self.abstract and other.abstract:
            self.abstract = other.abstract
        for name in ("author_count", "org", "date", "url", "arxiv_id"):
            if getattr(self, name) is None and getattr(other, name) is not None:
                setattr(self, name, getattr(other, name))
        if not self.author_names and other.author_names:
            self.author_names = list(other.author_names)
            if self.author_count is None:
                self.author_count = len(other.author_names)
        if other.upvotes is not None:
            # Upvotes only grow; the larger count is the more recent reading.
            self.upvotes = max(self.upvotes or 0, other.upvotes)
        for name in ("links", "sources", "former_ids"):
            mine = getattr(self, name)
            mine.extend(item for item in getattr(other, name) if item not in mine)
        return self.to_dict() != before

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings)."""
        data = dataclasses.asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        del data["former_ids"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Paper:
        """The inverse of :meth:`to_dict`; unknown keys are ignored."""
        names = {f.name for f in dataclasses.fields(cls)}
        fields = {key: value for key, value in data.items() if key in names}
        if fields.get("date"):
            fields["date"] = date.fromisoformat(fields["date"])
        return cls(**fields)
