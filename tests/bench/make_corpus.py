"""Make a realistic N-paper corpus, deterministically, from the bundled one.

Titles are recombined from fragments of real titles; abstracts are real sentences drawn
with Zipf-like weights (so the vocabulary keeps its long tail and its common words);
dates, upvotes, organisations and author lists vary. The output is JSONL of arXiv
metadata snapshot lines, with a quarter Hugging Face daily-papers API records (which
carry upvotes and organisations), so it goes through the real ``papers import`` path.

    python tests/bench/make_corpus.py 100000 /tmp/arxiv-100k.jsonl
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from index.locations import locations  # noqa: E402
from index.sources.files import load_corpus  # noqa: E402

FIRST = "Ada Alan Grace Edsger Barbara Donald Leslie Yoshua Geoffrey Fei-Fei Andrew Daphne Judea Ilya Oriol".split()
LAST = "Lovelace Turing Hopper Dijkstra Liskov Knuth Lamport Bengio Hinton Li Ng Koller Pearl Sutskever Vinyals".split()
ORGS = ["Google DeepMind", "Meta AI", "Tencent", "Microsoft Research", "Allen Institute for AI", "Mila", "NVIDIA"]
CATEGORIES = ["cs.LG", "cs.CL", "cs.AI", "cs.CV", "stat.ML", "cs.RO"]
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def _pools() -> tuple[list[list[str]], list[str]]:
    corpus = load_corpus(locations("/nonexistent-papers-home"))
    titles = [paper.title.split() for paper in corpus.papers.values()]
    sentences = [s for paper in corpus.papers.values() for s in _SENTENCE.split(paper.abstract) if len(s) > 30]
    return titles, sentences


def _zipf_weights(count: int, exponent: float = 1.05) -> list[float]:
    return [1.0 / (rank**exponent) for rank in range(1, count + 1)]


def generate(count: int, seed: int = 7):
    """Yield ``count`` arXiv-snapshot records; the same seed gives the same corpus."""
    titles, sentences = _pools()
    rng = random.Random(seed)
    rng.shuffle(sentences)
    weights = list(itertools.accumulate(_zipf_weights(len(sentences))))
    start = date(2015, 1, 1)
    for number in range(count):
        a, b, c = (rng.choice(titles) for _ in range(3))
        title = " ".join(a[: max(1, len(a) // 3)] + b[len(b) // 3 : 2 * len(b) // 3] + c[2 * len(c) // 3 :])
        abstract = " ".join(rng.choices(sentences, cum_weights=weights, k=rng.randint(4, 9)))
        authors = [(rng.choice(LAST), rng.choice(FIRST)) for _ in range(max(1, int(rng.paretovariate(1.6))))]
        day = start + timedelta(days=rng.randrange(4000))
        if rng.random() < HF_SHARE:
            yield _huggingface_record(rng, number, day, title, abstract, authors)
            continue
        record = {
            "id": f"{day:%y%m}.{number:05d}",
            "submitter": authors[0][1] + " " + authors[0][0],
            "authors": ", ".join(f"{first} {last}" for last, first in authors),
            "title": title,
            "comments": None,
            "categories": rng.choice(CATEGORIES),
            "abstract": abstract,
            "versions": [{"version": "v1", "created": day.strftime("%a, %d %b %Y 10:00:00 GMT")}],
            "update_date": (day + timedelta(days=rng.randrange(300))).isoformat(),
            "authors_parsed": [[last, first, ""] for last, first in authors],
        }
        yield record


HF_SHARE = 0.25
"""Share of records written as Hugging Face daily-papers API records (upvotes, orgs)."""


def _huggingface_record(rng, number, day, title, abstract, authors) -> dict:
    paper = {
        "id": f"{day:%y%m}.{number:05d}",
        "title": title,
        "summary": abstract,
        "authors": [{"name": f"{first} {last}"} for last, first in authors],
        "publishedAt": f"{day.isoformat()}T09:00:00.000Z",
        "upvotes": int(rng.paretovariate(1.2)) - 1,
    }
    if rng.random() < 0.3:
        paper["organization"] = {"name": "org", "fullname": rng.choice(ORGS)}
    return {"paper": paper, "publishedAt": paper["publishedAt"], "title": title}


def write_corpus(count: int, path: Path, seed: int = 7) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for record in generate(count, seed):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("output", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write_corpus(args.count, args.output, args.seed)


if __name__ == "__main__":
    main()
