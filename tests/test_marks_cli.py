"""Marks from the command line: star, tag, note, read; filters; exports; survival."""

from __future__ import annotations

import csv
import io
import json
import shutil

import bibtexparser
from conftest import run_papers

from index.locations import locations


def first_ids(query: str, count: int) -> list[str]:
    result = run_papers("search", query, "--json", "--limit", str(count))
    assert result.returncode == 0, result.stderr
    return [json.loads(line)["id"] for line in result.stdout.splitlines()]


def search_json(query: str, limit: int = 1000) -> list[dict]:
    result = run_papers("search", query, "--json", "--limit", str(limit))
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_star_tag_note_read_show_up_in_search_and_stats(built_home):
    a, b, c = first_ids("reinforcement learning", 3)
    assert run_papers("star", a, b).returncode == 0
    assert run_papers("tag", a, "RL", " Offline ").returncode == 0
    assert run_papers("tag", c, "rl").returncode == 0
    assert run_papers("note", b, "read section 3").returncode == 0
    assert run_papers("read", c).returncode == 0
    rows = {row["id"]: row for row in search_json("reinforcement learning", 3)}
    assert rows[a]["starred"] and rows[a]["tags"] == ["offline", "rl"]
    assert rows[b]["starred"] and rows[b]["tags"] == [] and rows[b]["note"] == "read section 3"
    assert not rows[c]["starred"] and rows[c]["read"]
    stats = json.loads(run_papers("stats", "--json").stdout)
    assert (stats["starred"], stats["tagged"], stats["tags"]) == (2, 2, {"offline": 1, "rl": 2})
    assert run_papers("note", b).stdout.strip() == "read section 3"
    assert run_papers("unstar", a).returncode == 0 and run_papers("untag", a, "offline").returncode == 0
    assert run_papers("unread", c).returncode == 0
    stats = json.loads(run_papers("stats", "--json").stdout)
    assert (stats["starred"], stats["tags"], stats["read"]) == (1, {"rl": 2}, 0)


def test_note_from_standard_input(built_home):
    (paper,) = first_ids("kernel", 1)
    assert run_papers("note", paper, "-", stdin="line one\nline two\n").returncode == 0
    assert run_papers("note", paper).stdout == "line one\nline two\n"


def test_state_filters_in_the_query_language(built_home):
    rl = first_ids("reinforcement learning upvotes:>=2", 3)
    others = first_ids("kernel", 2)
    for paper in rl + others:
        run_papers("tag", paper, "rl")
    run_papers("read", rl[0])
    run_papers("star", others[0])
    run_papers("note", others[1], "x")
    assert {r["id"] for r in search_json("tag:rl")} == set(rl + others)
    assert {r["id"] for r in search_json("tag:rl upvotes:>=2 is:unread")} == set(rl[1:])
    assert {r["id"] for r in search_json("is:starred")} == {others[0]}
    assert {r["id"] for r in search_json("has:note")} == {others[1]}
    assert {r["id"] for r in search_json("is:read")} == {rl[0]}
    assert len(search_json("is:unread")) == 789
    assert search_json("tag:nothing-tagged-so") == []
    bad = run_papers("search", "is:bogus")
    assert bad.returncode == 2 and "is:starred" in bad.stderr


def test_unknown_ids_exit_1_and_change_nothing(built_home):
    (good,) = first_ids("kernel", 1)
    result = run_papers("star", good, "0000000000")
    assert result.returncode == 1 and "0000000000" in result.stderr
    assert json.loads(run_papers("stats", "--json").stdout)["starred"] == 0


def test_marks_survive_reindex_and_a_deleted_index(built_home):
    ids = first_ids("diffusion", 5)
    run_papers("star", *ids)
    run_papers("tag", ids[0], "keep")
    assert run_papers("reindex").returncode == 0
    assert {r["id"] for r in search_json("is:starred")} == set(ids)
    shutil.rmtree(locations(built_home).index_dir)
    assert {r["id"] for r in search_json("is:starred")} == set(ids)
    assert [r["id"] for r in search_json("tag:keep")] == [ids[0]]


def test_export_formats(built_home, tmp_path):
    ids = first_ids("uncertainty", 4)
    run_papers("star", *ids)
    run_papers("tag", ids[0], "uq", "survey")
    bib = run_papers("export", "--format", "bibtex").stdout
    library = bibtexparser.parse_string(bib)
    assert len(library.entries) == 4 and not library.failed_blocks
    assert len({entry.key for entry in library.entries}) == 4
    rows = list(csv.DictReader(io.StringIO(run_papers("export", "--format", "csv").stdout)))
    assert {row["id"] for row in rows} == set(ids)
    markdown = run_papers("export", "tag:uq", "--format", "markdown").stdout
    assert markdown.count("](http") == 1
    out = tmp_path / "list.json"
    assert run_papers("export", "--format", "json", "-o", str(out)).returncode == 0
    assert len(json.loads(out.read_text())["papers"]) == 4


def test_json_export_round_trips_with_marks_into_a_new_library(built_home, tmp_path):
    ids = first_ids("contrastive", 3)
    run_papers("star", *ids)
    run_papers("tag", ids[1], "cl")
    run_papers("note", ids[2], "compare with SimCLR")
    exported = tmp_path / "mine.json"
    run_papers("export", "--format", "json", "--with-marks", "-o", str(exported))
    before = {r["id"]: r for r in search_json("is:starred")}
    fresh = {"PAPERS_HOME": str(tmp_path / "other-home")}
    result = run_papers("import", str(exported), env=fresh)
    assert result.returncode == 0, result.stderr
    assert "marks restored on 3" in result.stdout
    after = [json.loads(line) for line in run_papers("search", "is:starred", "--json", env=fresh).stdout.splitlines()]
    assert {r["id"] for r in after} == set(before)
    for row in after:
        assert (row["tags"], row["note"]) == (before[row["id"]]["tags"], before[row["id"]]["note"])
