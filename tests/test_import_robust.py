"""Imports never fall over on one record: wrong types, deep nesting, huge numbers, wrappers,
minified and gzipped files, truncated files, many files at once, and identity by arXiv id."""

from __future__ import annotations

import gzip
import json

import pytest
from conftest import run_papers

from index.sources.json_records import parse_json


def hf(title: str, **paper) -> dict:
    return {"paper": {"title": title, "summary": f"About {title}.", **paper}}


def import_ok(*paths) -> str:
    result = run_papers("import", *map(str, paths))
    assert "Traceback" not in result.stderr
    return result


def titles(query: str) -> list[str]:
    return [
        json.loads(line)["title"]
        for line in run_papers("search", query, "--json", "--limit", "100").stdout.splitlines()
    ]


def parse(records) -> tuple[list, list[str]]:
    parsed = parse_json(json.dumps(records), "x.json", "x.json")
    return parsed.papers, [str(problem) for problem in parsed.problems]


def test_wrong_types_are_repaired_or_skipped_naming_the_record():
    papers, problems = parse(
        [
            hf("Upvotes As Words", upvotes="many"),
            hf("Upvotes As Text", upvotes="12"),
            {"paper": {"title": "Upvotes Overflow", "summary": "x", "upvotes": 1e400}},
            hf("Org As Number", organization=123),
            hf("Authors As Strings", authors=["Ada Lovelace", "Alan Turing"]),
            hf("Authors As Ints", authors=[1, 2, {"name": "Grace Hopper"}]),
            hf("Date As Number", publishedAt=20240101),
            {"paper": {"title": 42, "summary": "a title that is a number"}},
            "just a string",
            hf("Fine Paper"),
        ]
    )
    by_title = {paper.title: paper for paper in papers}
    assert by_title["Upvotes As Words"].upvotes is None
    assert by_title["Upvotes As Text"].upvotes == 12
    assert by_title["Upvotes Overflow"].upvotes is None
    assert by_title["Org As Number"].org == "123"
    assert by_title["Authors As Strings"].author_names == ["Ada Lovelace", "Alan Turing"]
    assert by_title["Authors As Ints"].author_names == ["Grace Hopper"]
    assert by_title["Date As Number"].date is None
    assert "Fine Paper" in by_title and len(papers) == 8
    joined = "\n".join(problems)
    assert "x.json: record 1 repaired: upvotes 'many' is not a count" in joined
    assert "record 3 repaired: upvotes a huge number is not a count" in joined
    assert "record 6 repaired: 2 authors entries without a name dropped" in joined
    assert "record 8 skipped: title is 42, not text" in joined
    assert "record 9 skipped: expected an object, got str" in joined
    assert all(problem.count("\n") == 0 for problem in problems)


def test_deep_nesting_and_5000_digit_integers_cost_only_their_record(built_home, tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    huge = "9" * 5000
    text = (
        "["
        + json.dumps(hf("Before The Deep One"))
        + ',{"paper": {"title": "Deep", "summary": "x", "extra": '
        + deep
        + "}},"
        + '{"paper": {"title": "Huge Number Paper", "summary": "x", "upvotes": '
        + huge
        + "}},"
        + json.dumps(hf("After The Deep One"))
        + "]"
    )
    path = tmp_path / "nasty.json"
    path.write_text(text)
    result = import_ok(path)
    assert result.returncode == 1  # something was skipped: say so in the status
    assert "nasty.json: 3 added, 0 merged, 1 skipped, 1 repaired" in result.stdout
    assert "record 2 skipped: nested too deeply" in result.stderr
    assert sorted(titles('"the deep one"')) == ["After The Deep One", "Before The Deep One"]
    assert titles('"huge number paper"') == ["Huge Number Paper"]
    jsonl = tmp_path / "nasty.jsonl"
    jsonl.write_text(
        json.dumps(hf("Line One Paper")) + "\n" + '{"a": ' + deep + "}\n" + json.dumps(hf("Line Three Paper")) + "\n"
    )
    result = import_ok(jsonl)
    assert "nasty.jsonl:2: record skipped: nested too deeply" in result.stderr
    assert "2 added" in result.stdout


def test_a_truncated_json_file_gives_one_line_and_keeps_what_came_before(built_home, tmp_path):
    records = [hf(f"Truncated Batch Paper {n}") for n in range(5)]
    text = json.dumps(records, indent=1)
    path = tmp_path / "cut.json"
    path.write_text(text[: int(len(text) * 0.7)])
    result = import_ok(path)
    errors = [line for line in result.stderr.splitlines() if "cut.json" in line]
    assert len(errors) == 1 and "truncated" in errors[0]
    assert "3 added" in result.stdout
    assert len(titles('"truncated batch paper"')) == 3


def test_wrappers_minified_exports_and_gzip_are_read_by_content(built_home, tmp_path):
    wrapped = tmp_path / "data-wrapper.txt"  # the name says nothing
    wrapped.write_text(json.dumps({"data": [hf("Wrapped In Data")], "meta": {"count": 1}}))
    gz = tmp_path / "daily.json.gz"
    gz.write_bytes(gzip.compress(json.dumps([hf("From A Gzipped Array")]).encode()))
    gzl = tmp_path / "daily.jsonl.gz"
    gzl.write_bytes(
        gzip.compress((json.dumps(hf("Gzipped Line One")) + "\n" + json.dumps(hf("Gzipped Line Two")) + "\n").encode())
    )
    for path in (wrapped, gz, gzl):
        result = import_ok(path)
        assert result.returncode == 0, result.stderr
    assert titles('"wrapped in data"') == ["Wrapped In Data"]
    assert len(titles("title:gzipped")) == 3
    # A minified export (one line) re-imports into a fresh library, marks and all.
    (paper_id,) = [
        json.loads(line)["id"] for line in run_papers("search", '"wrapped in data"', "--json").stdout.splitlines()
    ]
    run_papers("star", paper_id)
    exported = json.loads(run_papers("export", "--format", "json", "--with-marks").stdout)
    minified = tmp_path / "export.min.json"
    minified.write_text(json.dumps(exported, separators=(",", ":")))
    assert "\n" not in minified.read_text()
    fresh = {"PAPERS_HOME": str(tmp_path / "fresh")}
    result = run_papers("import", str(minified), env=fresh)
    assert result.returncode == 0 and "1 added" in result.stdout and "marks restored on 1" in result.stdout
    assert run_papers("search", "is:starred", "--json", env=fresh).stdout.count("\n") == 1


def test_hugging_face_repo_and_project_page_become_links(built_home, tmp_path):
    path = tmp_path / "hf.json"
    path.write_text(
        json.dumps(
            [
                hf(
                    "Linked Paper",
                    id="2402.00001",
                    githubRepo="https://github.com/a/b",
                    projectPage="https://a.github.io/b",
                )
            ]
        )
    )
    import_ok(path)
    shown = json.loads(run_papers("show", "2402.00001", "--json").stdout)
    assert shown["links"][:2] == ["https://github.com/a/b", "https://a.github.io/b"]


def test_500_small_files_import_in_one_transaction(built_home, tmp_path, monkeypatch):
    import index.store.generations

    folder = tmp_path / "many"
    folder.mkdir()
    paths = []
    for number in range(500):
        path = folder / f"day-{number:03d}.json"
        path.write_text(json.dumps([hf(f"Many Files Paper {number} alpha"), hf(f"Shared Across Files {number % 7}")]))
        paths.append(path)
    calls = []
    original = index.store.generations.IndexStore.add_papers

    def counting(self, sources, progress=None):
        calls.append(len(sources))
        return original(self, sources, progress)

    from index.importing import import_files
    from index.locations import locations
    from index.search.library import Library

    locs = locations(built_home)
    library = Library.open(locs)
    monkeypatch.setattr(index.store.generations.IndexStore, "add_papers", counting)
    outcomes = import_files(locs, library.store, paths)
    assert calls == [500], "one index transaction for all 500 files"
    assert [o.outcome for o in outcomes] == ["imported"] * 500
    assert sum(o.added for o in outcomes) == 507 and sum(o.merged for o in outcomes) == 493
    assert outcomes[0].added == 2 and outcomes[10].added == 1 and outcomes[10].merged == 1
    again = import_files(locs, library.store, paths[:3])
    assert [o.outcome for o in again] == ["duplicate"] * 3


def test_an_interrupted_multi_file_import_keeps_nothing(built_home, tmp_path, monkeypatch):
    from index.importing import import_files
    from index.locations import locations
    from index.search.library import Library
    from index.sources.files import imported_files

    locs = locations(built_home)
    library = Library.open(locs)
    paths = []
    for number in range(3):
        path = tmp_path / f"f{number}.json"
        path.write_text(json.dumps([hf(f"Never Imported {number}")]))
        paths.append(path)

    def interrupted(self, sources, progress=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(library.store, "add_papers", interrupted.__get__(library.store))
    with pytest.raises(KeyboardInterrupt):
        import_files(locs, library.store, paths)
    assert imported_files(locs) == []
    assert library.store.stale_reason() is None, "the index and its sources still agree"


# -- identity ----------------------------------------------------------------------------


def test_records_sharing_an_arxiv_id_are_one_paper_even_retitled(built_home, tmp_path):
    first = tmp_path / "v1.json"
    first.write_text(json.dumps([hf("Scaling Laws For Tiny Models", id="2403.11111", upvotes=3)]))
    second = tmp_path / "v2.json"
    second.write_text(
        json.dumps(
            [
                hf("Scaling Laws for Tiny and Small Models", id="2403.11111v2", upvotes=9),
                hf("Scaling Laws For Tiny Models", id="2403.22222"),  # same title, another paper
            ]
        )
    )
    import_ok(first)
    result = import_ok(second)
    assert "v2.json: 1 added, 1 merged" in result.stdout
    found = [json.loads(line) for line in run_papers("search", "scaling laws tiny", "--json").stdout.splitlines()]
    by_arxiv = {row["arxiv_id"]: row for row in found}
    assert set(by_arxiv) == {"2403.11111", "2403.22222"}
    assert by_arxiv["2403.11111"]["upvotes"] == 9 and by_arxiv["2403.11111"]["title"] == "Scaling Laws For Tiny Models"
    assert by_arxiv["2403.11111"]["id"] != by_arxiv["2403.22222"]["id"]
    before = {row["id"] for row in found}
    assert run_papers("reindex").returncode == 0
    after = {json.loads(line)["id"] for line in run_papers("search", "scaling laws tiny", "--json").stdout.splitlines()}
    assert after == before, "ids survive a rebuild"


def test_marks_made_under_a_retitled_papers_old_id_move_to_it(built_home, tmp_path):
    from index.paper import paper_id

    old_title = "Grokking Beyond Algorithmic Data"
    new_title = "Grokking Beyond Algorithmic Data: A Study"
    first = tmp_path / "a.json"
    first.write_text(json.dumps([hf(old_title, id="2404.33333")]))
    import_ok(first)
    # An older papers kept the retitled record apart, and the user starred it there.
    state_file = built_home / "data" / "state.json"
    old_id = paper_id(new_title)
    state_file.write_text(json.dumps({"schema_version": 1, "papers": {old_id: {"starred": True, "tags": ["grok"]}}}))
    second = tmp_path / "b.json"
    second.write_text(json.dumps([hf(new_title, id="2404.33333v2")]))
    import_ok(second)
    rows = [json.loads(line) for line in run_papers("search", "is:starred", "--json").stdout.splitlines()]
    assert [(row["title"], row["tags"]) for row in rows] == [(old_title, ["grok"])]
    assert old_id not in json.loads(state_file.read_text())["papers"], "moved, not copied"
    assert json.loads(run_papers("show", old_id, "--json").stdout)["arxiv_id"] == "2404.33333", (
        "the old id still finds it"
    )
