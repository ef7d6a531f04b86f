"""The command line as scripts and people use it: subprocesses with PAPERS_HOME in tmp_path."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, run_papers

JSON_FIELDS = {
    "id",
    "title",
    "abstract",
    "date",
    "author_count",
    "author_names",
    "org",
    "upvotes",
    "url",
    "links",
    "sources",
    "starred",
    "tags",
    "score",
}


def test_version_and_help():
    assert run_papers("--version").stdout.startswith("papers ")
    help_text = run_papers("--help").stdout
    for command in ("search", "show", "stats", "import", "reindex", "star", "tag", "export"):
        assert command in help_text


def test_usage_error_exits_2_with_one_line():
    result = run_papers("search")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "papers:" in result.stderr


def test_first_search_builds_the_index_and_says_so_once(papers_home):
    result = run_papers("search", "offline", "q-learning", "--limit", "3")
    assert result.returncode == 0, result.stderr
    assert "indexed 790 papers" in result.stderr  # one summary line when not on a terminal
    # Not a terminal: one line per paper (id, date, title) and an indented excerpt.
    lines = result.stdout.splitlines()
    assert len(lines) == 6 and all(line.startswith("    ") for line in lines[1::2])
    again = run_papers("search", "offline q-learning", "--limit", "3")
    assert "indexed" not in again.stderr


def test_search_json_has_the_contract_fields(built_home):
    result = run_papers("search", "kernel", "--json", "--limit", "5", "--sort", "relevance")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 5
    assert JSON_FIELDS <= set(rows[0])
    assert rows[0]["starred"] is False and rows[0]["tags"] == []
    assert rows[0]["score"] >= rows[-1]["score"]


def test_search_sort_date_json(built_home):
    rows = [
        json.loads(line) for line in run_papers("search", "learning", "--sort", "date", "--json").stdout.splitlines()
    ]
    dates = [row["date"] for row in rows if row["date"]]
    assert dates == sorted(dates, reverse=True) and len(rows) == 20


def test_search_stats_times_the_engine_on_stderr_after_the_results(built_home):
    import re

    plain = run_papers("search", "reinforcement", "learning", "--limit", "3", "--stats")
    assert plain.returncode == 0 and plain.stdout.count("\n") >= 3
    last = plain.stderr.strip().splitlines()[-1]
    found = re.fullmatch(r"(\d+) papers? · (\d+(?:\.\d)?) ms", last)
    assert found, plain.stderr
    scripted = run_papers("search", "reinforcement", "learning", "--json", "--stats")
    total = json.loads(run_papers("stats", "--json").stdout)
    assert scripted.stderr.strip().endswith(" ms") and len(scripted.stdout.splitlines()) == 20
    assert 20 < int(found.group(1)) <= total["papers"]  # every match counted, not the page
    none = run_papers("search", "zzzqqqxx", "--stats")
    assert none.stderr.strip().splitlines()[-1].startswith("0 papers · ")


def test_bad_query_exits_2_naming_it(built_home):
    result = run_papers("search", "x" * 5000)
    assert result.returncode == 2
    assert "too long" in result.stderr and "Traceback" not in result.stderr


def test_show_by_id_and_prefix(built_home):
    row = json.loads(run_papers("search", "Discrete Key-Value Bottleneck", "--json", "--limit", "1").stdout)
    shown = run_papers("show", row["id"][:6])
    assert shown.returncode == 0 and "Discrete Key-Value Bottleneck" in shown.stdout
    as_json = json.loads(run_papers("show", row["id"], "--json").stdout)
    assert as_json["id"] == row["id"] and as_json["sources"] == ["004_2ccefa2f3753e25f.txt"]


def test_unknown_id_exits_1(built_home):
    result = run_papers("show", "ffffffffff")
    assert result.returncode == 1 and "no paper with id" in result.stderr


def test_stats_json(built_home):
    stats = json.loads(run_papers("stats", "--json").stdout)
    assert stats["papers"] == 790 and stats["starred"] == 0 and stats["tags"] == {}
    assert str(built_home) in stats["state_file"] and str(built_home) in stats["index"]


def test_reindex_keeps_ids(built_home):
    before = run_papers("search", "", "--json", "--limit", "1000").stdout
    result = run_papers("reindex")
    assert result.returncode == 0 and "indexed 790 papers" in result.stderr
    assert run_papers("search", "", "--json", "--limit", "1000").stdout == before


@pytest.mark.parametrize("command", [[], ["--no-mouse"]])
def test_reader_refuses_without_a_terminal(built_home, command):
    result = run_papers(*command)
    assert result.returncode == 1
    assert "needs a terminal" in result.stderr and "papers search" in result.stderr


def test_pipe_closed_early_is_not_an_error(built_home):
    import subprocess
    import sys

    shell = f"{sys.executable} -m tui.cli search learning --limit 200 | head -1"
    result = subprocess.run(shell, shell=True, capture_output=True, text=True, cwd=ROOT)
    assert "Traceback" not in result.stderr and "Error" not in result.stderr
