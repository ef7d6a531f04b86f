"""The bundled Daily Papers dumps are read exactly: counts, fields, quirks, merging."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from index.locations import locations
from index.paper import Paper, find_links, paper_id, title_key
from index.sources.dumps import UnknownLayout, detect_layout, parse_dump
from index.sources.files import bundled_files, load_corpus, read_source

FIXTURES = Path(__file__).parent / "fixtures"

# Counted by hand from the files: search layout = (lines - 2 header lines) / 2;
# daily layout = title paragraphs after the page-date header.
RECORDS = {
    "000_e77702a5ff075a7b.txt": ("search", 254),
    "001_24d6062e2c4b5c54.txt": ("search", 226),
    "002_acb5ca0134bc2e9b.txt": ("daily", 82),
    "003_200203d4cbaf789e.txt": ("search", 209),
    "004_2ccefa2f3753e25f.txt": ("daily", 81),
}
UNIQUE_PAPERS = 790  # 852 records; 62 repeats across dumps (same title once normalised)


@pytest.fixture(scope="module")
def bundled():
    return {path.name: read_source(path) for path in bundled_files()}


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(locations("/nonexistent-home-for-tests"))


def by_title(papers, start):
    matches = [p for p in papers if p.title.startswith(start)]
    assert len(matches) == 1, [p.title for p in matches]
    return matches[0]


def test_bundled_files_are_package_data():
    assert [path.name for path in bundled_files()] == sorted(RECORDS)


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_records_per_file(bundled, name):
    layout, count = RECORDS[name]
    parsed = bundled[name]
    assert parsed.layout == layout
    assert len(parsed.papers) == count
    assert parsed.problems == []
    assert all(p.title and p.abstract for p in parsed.papers)


def test_unique_papers_after_merge(corpus):
    assert corpus.records == sum(count for _, count in RECORDS.values()) == 852
    assert len(corpus.papers) == UNIQUE_PAPERS
    assert corpus.problems == []


def test_subscribe_is_not_part_of_the_first_title(bundled):
    assert bundled["000_e77702a5ff075a7b.txt"].papers[0].title == "Conditional Contrastive Learning with Kernel"
    assert bundled["001_24d6062e2c4b5c54.txt"].papers[0].title.startswith("NExT-Search:")
    assert not any(p.title.startswith("Subscribe") for parsed in bundled.values() for p in parsed.papers)


def test_daily_paper_with_authors_date_and_upvotes(bundled):
    paper = by_title(bundled["002_acb5ca0134bc2e9b.txt"].papers, "MATH-Beyond")
    assert paper.author_count == 4
    assert paper.date == date(2025, 10, 13)  # "Oct 13 2": page year 2025, 2 upvotes
    assert paper.upvotes == 2
    assert paper.org is None
    assert paper.links == ["https://hf.privai.fun/datasets/brendel-group/MATH-Beyond"]
    assert paper.author_names == []
    assert paper.sources == ["002_acb5ca0134bc2e9b.txt"]


def test_daily_paper_from_an_organisation(bundled):
    paper = by_title(bundled["002_acb5ca0134bc2e9b.txt"].papers, "Right Question is Already Half")
    assert paper.org == "Tencent"  # "tencent Tencent": the display name, not the handle
    assert paper.author_count is None
    assert paper.date == date(2025, 4, 8)
    assert paper.upvotes is None


def test_daily_paper_with_a_year_and_upvotes(bundled):
    papers = bundled["002_acb5ca0134bc2e9b.txt"].papers
    dated = by_title(papers, "Efficient estimation of multiple expectations")
    assert (dated.date, dated.author_count, dated.upvotes) == (date(2022, 11, 30), 3, None)
    survey = by_title(papers, "Surveying the Effects of Quality")
    assert (survey.date, survey.author_count, survey.upvotes) == (date(2024, 12, 3), 20, 3)


def test_daily_paper_without_meta(bundled):
    paper = by_title(bundled["002_acb5ca0134bc2e9b.txt"].papers, "Technical Report: Full-Stack Fine-Tuning")
    assert (paper.date, paper.author_count, paper.org, paper.upvotes) == (None, None, None, None)
    following = by_title(bundled["002_acb5ca0134bc2e9b.txt"].papers, "Flexible Model Aggregation")
    assert following.date == date(2021, 2, 26)  # the next paper's meta is not lost


def test_daily_dump_with_no_meta_at_all(bundled):
    papers = bundled["004_2ccefa2f3753e25f.txt"].papers
    assert papers[0].title == "Discrete Key-Value Bottleneck"
    assert all(p.date is None and p.author_count is None for p in papers)


def test_last_paper_of_a_file_without_trailing_newline(bundled):
    last = bundled["002_acb5ca0134bc2e9b.txt"].papers[-1]
    assert last.date == date(2025, 9, 19) and last.author_count == 5
    assert last.links == ["https://github.com/cuong-dm/ROOT"]


def test_search_layout_paper_fields(bundled):
    paper = bundled["000_e77702a5ff075a7b.txt"].papers[1]
    assert paper.title == "Matching-oriented Product Quantization For Ad-hoc Retrieval"
    assert paper.links == ["https://github.com/microsoft/MoPQ"]
    assert (paper.date, paper.upvotes, paper.author_count, paper.url) == (None, None, None, None)
    assert paper.primary_link.startswith("https://huggingface.co/papers?q=Matching-oriented+Product")


def test_same_paper_in_two_dumps_is_one_paper_with_both_sources(corpus):
    paper = corpus.papers[paper_id("Contextual Bandits with Online Neural Regression")]
    assert paper.sources == ["000_e77702a5ff075a7b.txt", "002_acb5ca0134bc2e9b.txt", "004_2ccefa2f3753e25f.txt"]
    # Only 002 has the meta block; the merge keeps what it knew whatever came first.
    assert paper.date == date(2023, 12, 12) and paper.author_count == 5


@pytest.mark.parametrize(
    "text, links",
    [
        ("see https://github.com/a/b.", ["https://github.com/a/b"]),
        ("(code: https://github.com/a/b).", ["https://github.com/a/b"]),
        ("https://github.com/masa-ue/SVDD{https://github.com/masa-ue/SVDD}.", ["https://github.com/masa-ue/SVDD"]),
        (
            "at https://huggingface.co/datasets/x/CVC, and https://x.io/",
            ["https://huggingface.co/datasets/x/CVC", "https://x.io/"],
        ),
        ("https://en.wikipedia.org/wiki/Foo_(bar) is balanced", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
        ("no links here", []),
    ],
)
def test_links_lose_trailing_punctuation(text, links):
    assert find_links(text) == links


def test_title_key_folds_case_punctuation_whitespace_and_accents():
    assert title_key("Reasoning  or Memorization?") == title_key("reasoning or memorization")
    assert title_key("Café: Ünïcode") == title_key("cafe unicode")
    assert paper_id("A  Title!") == paper_id("a title")
    assert len(paper_id("x")) == 10


def test_fixture_dumps_and_the_date_rule():
    daily = parse_dump((FIXTURES / "daily_small.txt").read_text(), "daily_small.txt", today=date(2026, 1, 1))
    titles = {p.title: p for p in daily.papers}
    assert list(titles) == ["Gamma Results", "Delta Without Meta", "Epsilon From An Org", "Zeta With Year"]
    # Newest explicit year is 2023, so the yearless page date "Mar 3" is in 2024.
    assert titles["Gamma Results"].date == date(2024, 2, 20)
    assert titles["Gamma Results"].upvotes == 7 and titles["Gamma Results"].author_count == 3
    assert titles["Gamma Results"].links == ["https://x.org/y"]
    # "Apr 2" would be after the page date in 2024, so it is the year before.
    assert titles["Epsilon From An Org"].date == date(2023, 4, 2)
    assert titles["Epsilon From An Org"].org == "ACME Research"
    assert titles["Zeta With Year"].date == date(2023, 12, 3) and titles["Zeta With Year"].upvotes == 4
    assert titles["Delta Without Meta"].date is None
    search = parse_dump((FIXTURES / "search_small.txt").read_text(), "search_small.txt")
    assert [p.title for p in search.papers] == ["Alpha Paper: Learning Things", "Beta Paper About Kernels"]
    assert search.papers[1].links == ["https://beta.io/page"]


def test_yearless_dates_never_lie_in_the_future():
    text = (FIXTURES / "daily_small.txt").read_text().replace("Dec 3, 2023 4", "Dec 3 4")
    parsed = parse_dump(text, "x.txt", today=date(2024, 2, 1))
    for paper in parsed.papers:
        assert paper.date is None or paper.date <= date(2024, 2, 1)


def test_layout_is_detected_by_content_not_name():
    text = (FIXTURES / "search_small.txt").read_text()
    assert detect_layout(text) == "search"
    assert detect_layout((FIXTURES / "daily_small.txt").read_text()) == "daily"
    with pytest.raises(UnknownLayout):
        parse_dump("just some notes\nabout papers\n", "notes.txt")


def test_truncated_search_dump_names_the_line():
    text = (FIXTURES / "search_small.txt").read_text() + "A Title Without Its Abstract\n"
    parsed = parse_dump(text, "cut.txt")
    assert len(parsed.papers) == 2
    assert len(parsed.problems) == 1 and parsed.problems[0].line == 7
    assert "truncated" in str(parsed.problems[0]) and "cut.txt:7" in str(parsed.problems[0])


def test_truncated_daily_dump_names_the_line():
    text = (FIXTURES / "daily_small.txt").read_text() + "\nA Last Title\n"
    parsed = parse_dump(text, "cut.txt")
    assert len(parsed.papers) == 4
    assert "truncated" in parsed.problems[0].message and parsed.problems[0].line == 41


def test_paper_round_trips_through_a_dict():
    paper = Paper.new("T", abstract="A https://a.b/c.", date=date(2024, 1, 2), upvotes=3, author_names=["X Y"])
    assert Paper.from_dict(paper.to_dict()) == paper
