"""Naive Whoosh, as a tutorial would use it: one writer, a fresh searcher per query.

    python tests/bench/naive.py index CORPUS.jsonl DIR     -> prints papers/s
    python tests/bench/naive.py query DIR                  -> prints JSON latencies

Runs in its own process and never imports ``index``, so none of our fixes apply.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import DATETIME, ID, NUMERIC, STORED, TEXT, Schema
from whoosh.qparser import GtLtPlugin, MultifieldParser
from whoosh.qparser.dateparse import DateParserPlugin

sys.path.insert(0, str(Path(__file__).resolve().parent))
from queries import KINDS  # noqa: E402


def schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=StemmingAnalyzer(), stored=True, field_boost=3.0),
        abstract=TEXT(analyzer=StemmingAnalyzer(), stored=True),
        org=TEXT(),
        date=DATETIME(sortable=True),
        upvotes=NUMERIC(sortable=True),
        data=STORED(),
    )


def records(path: Path):
    from datetime import datetime

    for line in path.open(encoding="utf-8"):
        record = json.loads(line)
        paper = record.get("paper", record)
        when = paper.get("publishedAt") or paper.get("update_date")
        doc = {
            "id": str(paper["id"]),
            "title": " ".join(paper["title"].split()),
            "abstract": " ".join((paper.get("summary") or paper.get("abstract") or "").split()),
            "date": datetime.fromisoformat(when[:10]),
            "data": line,
        }
        if "upvotes" in paper:
            doc["upvotes"] = paper["upvotes"]
        if paper.get("organization"):
            doc["org"] = paper["organization"]["fullname"]
        yield doc


def build(corpus: Path, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(folder), schema())
    started = time.perf_counter()
    count = 0
    with ix.writer() as writer:
        for doc in records(corpus):
            writer.add_document(**doc)
            count += 1
    print(json.dumps({"papers": count, "seconds": time.perf_counter() - started}))


def query(folder: Path, repeats: int) -> None:
    ix = whoosh_index.open_dir(str(folder))
    parser = MultifieldParser(["title", "abstract"], ix.schema)
    parser.add_plugin(DateParserPlugin(free=False))
    parser.add_plugin(GtLtPlugin())
    timings: dict[str, list[float]] = {}
    for kind, texts in KINDS.items():
        for _ in range(repeats):
            for text in texts:
                text = text + "*" if kind == "prefix-as-you-type" else text
                started = time.perf_counter()
                with ix.searcher() as searcher:
                    results = searcher.search(parser.parse(text), limit=50)
                    _ = [hit["data"] for hit in results]
                    len(results)
                timings.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
    print(json.dumps(timings))


if __name__ == "__main__":
    if sys.argv[1] == "index":
        build(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        query(Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 3)
