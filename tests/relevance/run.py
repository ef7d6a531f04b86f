"""The relevance benchmark (``make relevance``): does search find what a researcher means?

Two parts, on the bundled corpus (indexed into a throwaway home):

- known-item: every bundled title as a query, as pasted and changed the way people
  change them (lower case, punctuation dropped, accents dropped, hyphens as spaces);
  MRR@10 and hits@1 of the paper itself;
- judged: researcher queries (``judged.json``: hyphenated terms, acronyms, Greek and
  math, phrases, fielded, misspellings, topics, pasted titles), each with the papers
  that must be in the top 10, judged by reading the corpus, not by running the engine;
  a query passes when all of them are, and its MRR is that of the first one found.

    python tests/relevance/run.py            # the table
    python tests/relevance/run.py --misses   # also every judged query that failed
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

JUDGED = Path(__file__).with_name("judged.json")
TOP = 10


def _no_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


VARIANTS: dict[str, Callable[[str], str]] = {
    "as pasted": lambda title: title,
    "lower case": str.lower,
    "no punctuation": lambda title: re.sub(r"[^\w\s]", " ", title),
    "no accents": _no_accents,
    "hyphens as spaces": lambda title: title.replace("-", " "),
}


@dataclass
class Score:
    """Reciprocal ranks of the wanted paper (0 when not in the top 10)."""

    ranks: list[float] = field(default_factory=list)
    passed: int = 0

    @property
    def mrr(self) -> float:
        return sum(self.ranks) / len(self.ranks) if self.ranks else 0.0

    @property
    def hits_at_1(self) -> float:
        return sum(1 for rank in self.ranks if rank == 1.0) / len(self.ranks) if self.ranks else 0.0

    @property
    def pass_rate(self) -> float:
        return self.passed / len(self.ranks) if self.ranks else 0.0


def top_titles(library, query: str) -> list[str]:
    try:
        # As the reader and the command line search: a query that finds nothing shows
        # what its did-you-mean finds.
        return [hit.paper.title for hit in library.search(query, limit=TOP, correct=True).hits]
    except Exception:  # a query the engine refuses finds nothing
        return []


def reciprocal_rank(found: list[str], wanted: set[str]) -> float:
    for rank, title in enumerate(found, start=1):
        if title in wanted:
            return 1.0 / rank
    return 0.0


def known_item(library, variants: tuple[str, ...] = tuple(VARIANTS)) -> dict[str, Score]:
    titles = [hit.paper.title for hit in library.search("", limit=100_000).hits]
    scores = {name: Score() for name in variants}
    for title in titles:
        for name in variants:
            change = VARIANTS[name]
            found = top_titles(library, change(title))
            rank = reciprocal_rank(found, {title})
            scores[name].ranks.append(rank)
            scores[name].passed += rank == 1.0
    return scores


def judged(library, misses: list[str] | None = None) -> dict[str, Score]:
    scores: dict[str, Score] = {}
    for item in json.loads(JUDGED.read_text()):
        found = top_titles(library, item["query"])
        wanted = set(item["must"])
        score = scores.setdefault(item["kind"], Score())
        score.ranks.append(reciprocal_rank(found, wanted))
        if wanted <= set(found):
            score.passed += 1
        elif misses is not None:
            missing = sorted(wanted - set(found))
            misses.append(f"{item['kind']:<13} {item['query']!r}: missing {missing}")
    return scores


def total(scores: dict[str, Score]) -> Score:
    whole = Score()
    for score in scores.values():
        whole.ranks += score.ranks
        whole.passed += score.passed
    return whole


def table(known: dict[str, Score], judged_scores: dict[str, Score]) -> str:
    lines = [
        "| known item (790 titles) | MRR@10 | hits@1 |",
        "| --- | --- | --- |",
        *(f"| {name} | {score.mrr:.3f} | {score.hits_at_1:.3f} |" for name, score in known.items()),
        f"| **all variants** | **{total(known).mrr:.3f}** | **{total(known).hits_at_1:.3f}** |",
        "",
        "| judged queries | queries | all must-haves in top 10 | MRR@10 | hits@1 |",
        "| --- | --- | --- | --- | --- |",
    ]
    for kind, score in sorted(judged_scores.items()):
        lines.append(
            f"| {kind} | {len(score.ranks)} | {score.pass_rate:.2f} | {score.mrr:.3f} | {score.hits_at_1:.3f} |"
        )
    whole = total(judged_scores)
    figures = f"**{whole.pass_rate:.2f}** | **{whole.mrr:.3f}** | **{whole.hits_at_1:.3f}**"
    lines.append(f"| **all {len(whole.ranks)}** | | {figures} |")
    return "\n".join(lines)


def open_bundled_library(home: Path):
    from index import Library, StateStore, locations

    locs = locations(home)
    return Library.open(locs, marks=StateStore(locs.state_file))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--misses", action="store_true", help="list the judged queries that failed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        library = open_bundled_library(Path(home))
        misses: list[str] = []
        print(table(known_item(library), judged(library, misses)))
        if args.misses and misses:
            print("\nmissed:")
            print("\n".join(misses))


if __name__ == "__main__":
    main()
