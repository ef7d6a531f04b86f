"""Exports parse back with the tools people use on them: bibtexparser, csv, our own importer."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import bibtexparser
import pytest

from index.export import FORMATS, citation_keys, excerpt, export_papers
from index.paper import Paper
from index.sources.json_records import parse_json
from index.state.marks import Marks

LONG_ABSTRACT = (
    "We study how reward models scale with data and parameters across many settings and "
    "find power laws that hold over six orders of magnitude for every family of models we "
    "tried, which has consequences for how labs should spend compute. Second sentence here."
)


@pytest.fixture
def papers() -> list[Paper]:
    return [
        Paper.new(
            "Attention Is All You Need for GPT-4 Models",
            abstract="We propose the Transformer. Code: https://github.com/example/transformer.",
            author_names=["Ashish Vaswani", "Noam Shazeer"],
            author_count=2,
            date=date(2017, 6, 12),
            upvotes=42,
            url="https://arxiv.org/abs/1706.03762",
            arxiv_id="1706.03762",
            sources=["bundled.txt"],
        ),
        Paper.new(
            "Scaling Laws for Reward Models",
            abstract=LONG_ABSTRACT,
            org="Google DeepMind",
            author_count=12,
            date=date(2024, 3, 1),
        ),
        Paper.new(
            "Costs & Benefits: 50% of {LLM} agents_v2 pay $5 ~ ^ # \\ [sic]",
            abstract="We cut cost by 30% & more {really} with a_b and $\\alpha$ ~ 1.",
            author_count=3,
        ),
        Paper.new("Étude des modèles: café über naïve Bayes", author_names=["José Núñez"], date=date(2023, 1, 5)),
        Paper.new("Deep Thoughts on Things", abstract="First.", author_names=["Jane Smith"], date=date(2024, 5, 1)),
        Paper.new("Deep Learning, Again", author_names=["Smith, Jane", "Bob Lee"], date=date(2024, 7, 1)),
    ]


@pytest.fixture
def marks(papers) -> dict[str, Marks]:
    return {
        papers[0].id: Marks(starred=True, tags=("rl", "transformers"), read="2024-01-02T03:04:05Z"),
        papers[1].id: Marks(
            note="Check section 4 & the 10% claim.\nSecond line", note_updated_at="2024-02-02T00:00:00Z"
        ),
        papers[2].id: Marks(tags=("c++_stuff",)),
    }


def lookup(marks: dict[str, Marks]):
    return lambda paper_id: marks.get(paper_id, Marks())


# -- BibTeX --------------------------------------------------------------------------


def test_bibtex_parses_back_with_unique_keys_and_fields(papers, marks):
    text = export_papers(papers, lookup(marks), "bibtex")
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    entries = library.entries
    assert len(entries) == len(papers)
    keys = [entry.key for entry in entries]
    assert len(set(keys)) == len(keys)
    assert keys == [
        "vaswani2017attention",
        "googledeepmind2024scaling",
        "anonndcosts",
        "nunez2023etude",
        "smith2024deepa" if papers[4].id < papers[5].id else "smith2024deepb",
        "smith2024deepb" if papers[4].id < papers[5].id else "smith2024deepa",
    ]
    assert all(re.fullmatch(r"[a-z0-9]+", key) for key in keys)

    arxiv, org, special, accented, *_ = [entry.fields_dict for entry in entries]
    assert entries[0].entry_type == "article" and all(e.entry_type == "misc" for e in entries[1:])
    assert arxiv["eprint"].value == "1706.03762"
    assert arxiv["archivePrefix"].value == "arXiv"
    assert arxiv["journal"].value == "arXiv preprint arXiv:1706.03762"
    assert arxiv["author"].value == "Ashish Vaswani and Noam Shazeer"
    assert arxiv["title"].value == "Attention Is All You Need for {GPT-4} Models"
    assert arxiv["year"].value == "2017" and arxiv["month"].value == "jun"
    assert arxiv["url"].value == "https://arxiv.org/abs/1706.03762"
    assert arxiv["keywords"].value == "rl, transformers"
    assert arxiv["note"].value == "Tags: rl, transformers; starred"
    assert arxiv["abstract"].value.startswith("We propose the Transformer.")

    assert "author" not in org and "author" not in special  # only a count is known
    assert org["note"].value == "Check section 4 \\& the 10\\% claim. Second line"  # one paragraph
    assert org["title"].value == "Scaling Laws for Reward Models"

    title = special["title"].value
    for escaped in (
        r"\&",
        r"50\%",
        r"{\{LLM\}}",
        r"agents\_v2",
        r"\$5",
        r"\textasciitilde{}",
        r"\textasciicircum{}",
        r"\#",
        r"\textbackslash{}",
    ):
        assert escaped in title, escaped
    assert special["abstract"].value == (
        r"We cut cost by 30\% \& more \{really\} with a\_b and \$\textbackslash{}alpha\$ \textasciitilde{} 1."
    )
    assert special["url"].value == papers[2].primary_link  # URLs verbatim, "%" included
    assert "%" in special["url"].value
    assert "year" not in special and "month" not in special
    assert special["keywords"].value == r"c++\_stuff"

    assert accented["title"].value == "Étude des modèles: café über naïve Bayes"
    assert accented["author"].value == "José Núñez"


def test_bibtex_keys_do_not_depend_on_list_order(papers):
    forward = dict(zip([p.id for p in papers], citation_keys(papers), strict=True))
    backward = dict(zip([p.id for p in reversed(papers)], citation_keys(list(reversed(papers))), strict=True))
    assert forward == backward


def test_bibtex_keys_stay_unique_against_natural_clashes():
    papers = [
        Paper.new("Deep", author_names=["Ann Lee"], date=date(2020, 1, 1)),
        Paper.new("Deep!", author_names=["Ann Lee"], date=date(2020, 2, 1)),  # same key as the first
        Paper.new("Deepa", author_names=["Ann Lee"], date=date(2020, 3, 1)),  # naturally "lee2020deepa"
    ]
    keys = citation_keys(papers)
    assert len(set(keys)) == 3
    assert keys[2] == "lee2020deepa"
    assert bibtexparser.parse_string(export_papers(papers, lambda _: Marks(), "bibtex")).failed_blocks == []


# -- CSV -----------------------------------------------------------------------------


def test_csv_parses_back(papers, marks):
    text = export_papers(papers, lookup(marks), "csv")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0]) == "id,title,date,authors,org,upvotes,url,starred,tags,note,abstract".split(",")
    assert [row["id"] for row in rows] == [p.id for p in papers]
    first, second, third = rows[:3]
    assert first["authors"] == "Ashish Vaswani; Noam Shazeer"
    assert first["starred"] == "yes" and first["tags"] == "rl; transformers"
    assert first["upvotes"] == "42" and first["date"] == "2017-06-12"
    assert first["url"] == "https://arxiv.org/abs/1706.03762"
    assert second["org"] == "Google DeepMind" and second["authors"] == "12 authors"
    assert second["note"] == "Check section 4 & the 10% claim.\nSecond line"
    assert third["title"] == papers[2].title and third["abstract"] == papers[2].abstract
    assert third["date"] == "" and third["upvotes"] == "" and third["starred"] == ""
    assert rows[3]["title"] == "Étude des modèles: café über naïve Bayes"


# -- JSON ----------------------------------------------------------------------------


def test_json_round_trips_through_the_importer(papers, marks):
    text = export_papers(papers, lookup(marks), "json", with_marks=True)
    document = json.loads(text)
    assert document["count"] == len(papers)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", document["exported_at"])
    assert document["papers"][0]["primary_link"] == papers[0].primary_link

    parsed = parse_json(text, "export.json")
    assert parsed.problems == []
    assert [p.id for p in parsed.papers] == [p.id for p in papers]
    for original, back in zip(papers, parsed.papers, strict=True):
        # Every field, sources and links included; a paper that knew no source
        # now has the file it was imported from.
        assert back.to_dict() == {**original.to_dict(), "sources": original.sources or ["export.json"]}
    assert {pid: Marks.from_dict(m) for pid, m in parsed.marks.items()} == marks


def test_json_without_marks_carries_none(papers, marks):
    text = export_papers(papers, lookup(marks), "json")
    assert all("marks" not in record for record in json.loads(text)["papers"])
    assert parse_json(text, "export.json").marks == {}


# -- Markdown ------------------------------------------------------------------------


def test_markdown_reading_list(papers, marks):
    text = export_papers(papers, lookup(marks), "markdown")
    lines = text.splitlines()
    assert lines[0] == "# Reading list"
    assert re.search(r"^6 papers, exported \d{4}-\d\d-\d\d\.$", text, re.MULTILINE)
    items = [line for line in lines if line.startswith("- [")]
    assert len(items) == len(papers)
    assert items[0].startswith("- [x] [Attention Is All You Need for GPT-4 Models](https://arxiv.org/abs/1706.03762)")
    assert "— Ashish Vaswani et al., 2017-06-12 ★ `#rl` `#transformers`" in items[0]
    assert items[1].startswith("- [ ] [Scaling Laws for Reward Models](https://huggingface.co/papers?q=")
    assert "— Google DeepMind, 2024-03-01" in items[1]
    assert "— 3 authors" in items[2] and r"\[sic\]" in items[2] and r"pay \$5" in items[2]
    assert "  > Check section 4 & the 10% claim." in lines and "  > Second line" in lines
    assert "  We propose the Transformer." in lines  # the first sentence only
    long_excerpt = next(line for line in lines if line.startswith("  We study"))
    assert len(long_excerpt) <= 2 + 201 and long_excerpt.endswith("…")
    assert all(re.search(r"\]\([^ )]+\)", item) for item in items)  # every link target is one URL


def test_excerpt_prefers_the_first_sentence():
    assert excerpt("Short one. Then more.") == "Short one."
    assert excerpt("No end") == "No end"
    assert excerpt("x " * 300).endswith("…")


def test_unknown_format_is_refused(papers):
    assert FORMATS == ("bibtex", "markdown", "json", "csv")
    with pytest.raises(ValueError, match="yaml"):
        export_papers(papers, lambda _: Marks(), "yaml")
