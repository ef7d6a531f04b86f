"""Read arXiv API responses (Atom 1.0) saved by ``papers fetch arxiv``.

Parsed with ``feedparser``, which reads both shapes arXiv has served (namespaces on the
feed or on each element, with or without ``rel``/``title`` on links) and is lenient
with what it cannot read. An error feed (one entry titled "Error" from
``/api/errors``) holds no papers.
"""

from __future__ import annotations

import re
from datetime import datetime

from index.paper import Paper, find_links, normalize_arxiv_id
from index.sources.parsed import ParsedFile, Problem

_ABS = re.compile(r"arxiv\.org/abs/(?P<id>.+)$")


def looks_like_atom(head: bytes) -> bool:
    """Whether a file starts like an Atom feed (by content, never by name)."""
    text = head.lstrip()[:400].lower()
    return (text.startswith(b"<?xml") or text.startswith(b"<feed")) and b"<feed" in text


def parse_atom(raw: bytes, source: str, path: str | None = None) -> ParsedFile:
    import feedparser  # only when a feed is read: it costs every command 40 ms to load

    path = path or source
    parsed = ParsedFile(source, "atom")
    feed = feedparser.parse(raw)
    for number, entry in enumerate(feed.entries, start=1):
        entry_id = str(entry.get("id", ""))
        if entry.get("title") == "Error" and "/api/errors" in entry_id:
            parsed.problems.append(Problem(path, f"arXiv answered with an error: {entry.get('summary', '')[:120]}"))
            continue
        match = _ABS.search(entry_id)
        arxiv_id = normalize_arxiv_id(match.group("id")) if match else None
        title = str(entry.get("title", "")).strip()
        if not title:
            parsed.problems.append(Problem(path, f"entry {number} skipped: no title"))
            continue
        names = [str(author.get("name", "")).strip() for author in entry.get("authors", []) if author.get("name")]
        abstract = str(entry.get("summary", ""))
        # Links besides the paper's own pages (a DOI), then those in the abstract.
        links = [
            str(link["href"])
            for link in entry.get("links", [])
            if link.get("href") and "arxiv.org/abs/" not in str(link["href"]) and "/pdf/" not in str(link["href"])
        ]
        links += [link for link in find_links(abstract) if link not in links]
        parsed.papers.append(
            Paper.new(
                title,
                abstract=abstract,
                author_names=names,
                author_count=len(names) or None,
                date=_day(entry.get("published")),
                url=f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else None,
                arxiv_id=arxiv_id,
                links=links,
                sources=[source],
            )
        )
    if feed.bozo and not feed.entries:
        reason = str(getattr(feed, "bozo_exception", "unreadable"))[:120]
        parsed.problems.append(Problem(path, f"not a readable Atom feed ({reason})"))
    return parsed


def _day(value: object):
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None
