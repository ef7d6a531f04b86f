"""Importing dumps and JSON: both JSON shapes, copies kept for rebuilds, bad files named."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FIXTURES, ROOT, run_papers

from index.sources.json_records import parse_json

HF_RECORDS = [
    {
        "paper": {
            "id": "2510.11653",
            "title": "MATH-Beyond: A Benchmark for RL to Expand Beyond the Base Model",
            "summary": "With the advent of DeepSeek-R1 ...",
            "authors": [{"name": "Prasanna Mayilvahanan"}, {"name": "Ricardo Dominguez-Olmedo"}],
            "publishedAt": "2025-10-13T17:02:00.000Z",
            "upvotes": 5,
        },
        "publishedAt": "2025-10-14T00:00:00.000Z",
        "title": "MATH-Beyond: A Benchmark for RL to Expand Beyond the Base Model",
    },
    {
        "paper": {
            "id": "2601.00001",
            "title": "A Hugging Face Only Paper",
            "summary": "Something new about\nagents. Code: https://github.com/x/agents.",
            "authors": [{"name": "Ada Lovelace"}],
            "publishedAt": "2026-01-02T00:00:00.000Z",
            "upvotes": 12,
        }
    },
]

ARXIV_LINES = [
    {
        "id": "0704.0001",
        "submitter": "Pavel Nadolsky",
        "authors": "C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan",
        "title": "Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC energies",
        "abstract": "  A fully differential calculation in perturbative quantum chromodynamics is\npresented.\n",
        "categories": "hep-ph",
        "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}],
        "update_date": "2008-11-13",
        "authors_parsed": [
            ["Balázs", "C.", ""],
            ["Berger", "E. L.", ""],
            ["Nadolsky", "P. M.", ""],
            ["Yuan", "C. -P.", ""],
        ],
    },
    {
        "id": "2301.00002",
        "title": "Second arXiv Paper",
        "abstract": "Short.",
        "authors": "A. One and B. Two",
        "update_date": "2023-01-05",
    },
]


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_huggingface_records_become_papers(tmp_path):
    parsed = parse_json(json.dumps(HF_RECORDS), "hf.json")
    first, second = parsed.papers
    assert first.url == "https://huggingface.co/papers/2510.11653" and first.arxiv_id == "2510.11653"
    assert first.author_names == ["Prasanna Mayilvahanan", "Ricardo Dominguez-Olmedo"] and first.author_count == 2
    assert first.upvotes == 5 and str(first.date) == "2025-10-13"
    assert second.links == ["https://github.com/x/agents"] and "\n" not in second.abstract


def test_arxiv_snapshot_lines_become_papers():
    text = "\n".join(json.dumps(line) for line in ARXIV_LINES)
    first, second = parse_json(text, "arxiv.jsonl").papers
    assert first.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    assert first.abstract.startswith("A fully differential") and first.url == "https://arxiv.org/abs/0704.0001"
    assert first.author_names[0] == "C. Balázs" and first.author_count == 4
    assert str(first.date) == "2007-04-02"  # first version, not the last update
    assert second.author_names == ["A. One", "B. Two"] and str(second.date) == "2023-01-05"


def test_import_merges_adds_and_is_idempotent(built_home, tmp_path):
    hf = write(tmp_path / "daily.json", json.dumps(HF_RECORDS))
    result = run_papers("import", str(hf))
    assert result.returncode == 0, result.stderr
    assert "1 added, 1 merged, 0 skipped" in result.stdout
    merged = json.loads(run_papers("search", "MATH-Beyond", "--json", "--limit", "1").stdout)
    assert merged["url"] == "https://huggingface.co/papers/2510.11653"
    assert merged["upvotes"] == 5 and merged["author_count"] == 4  # the dump's count stays
    assert merged["sources"] == ["002_acb5ca0134bc2e9b.txt", "daily.json"]
    again = run_papers("import", str(hf))
    assert again.returncode == 0 and "already imported" in again.stdout
    stats = json.loads(run_papers("stats", "--json").stdout)
    assert stats["papers"] == 791


def test_imported_papers_survive_a_rebuild_with_the_same_ids(built_home, tmp_path):
    text = "\n".join(json.dumps(line) for line in ARXIV_LINES)
    run_papers("import", str(write(tmp_path / "arxiv.jsonl", text)))
    before = run_papers("search", "", "--json", "--limit", "2000").stdout
    (tmp_path / "arxiv.jsonl").unlink()  # our copy in the data folder is what counts
    assert run_papers("reindex").returncode == 0
    assert run_papers("search", "", "--json", "--limit", "2000").stdout == before
    assert json.loads(run_papers("show", "0704.0001", "--json").stdout)["arxiv_id"] == "0704.0001"


def test_bad_files_get_one_line_each_and_the_good_one_still_imports(built_home, tmp_path):
    good = write(tmp_path / "good.jsonl", "\n".join(json.dumps(line) for line in ARXIV_LINES))
    bad = {
        "empty.txt": "",
        "binary.bin": b"\x00\x01\x02\xff" * 50,
        "latin1.txt": "Get trending papers\nSubscribeCaf\xe9".encode("latin-1"),
        "notes.txt": "my shopping list\nmilk\n",
        "broken.json": '{"papers": [{"title": "x", ',
    }
    paths = [write(tmp_path / name, content) for name, content in bad.items()]
    truncated = write(tmp_path / "truncated.txt", (FIXTURES / "search_small.txt").read_text() + "Lonely Title\n")
    result = run_papers("import", *map(str, paths), str(truncated), str(good))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    for name in bad:
        assert sum(name in line for line in lines) == 1, (name, lines)
    assert any("truncated.txt:7" in line and "truncated" in line for line in lines)
    assert any("latin1.txt:2" in line and "UTF-8" in line for line in lines)
    assert "good.jsonl: 2 added" in result.stdout
    assert "truncated.txt: 2 added" in result.stdout
    assert json.loads(run_papers("stats", "--json").stdout)["papers"] == 794


def test_malformed_jsonl_line_is_named_and_others_import(built_home, tmp_path):
    lines = [
        json.dumps(ARXIV_LINES[0]),
        "{not json",
        json.dumps({"id": "1", "abstract": "no title"}),
        json.dumps(ARXIV_LINES[1]),
    ]
    result = run_papers("import", str(write(tmp_path / "mixed.jsonl", "\n".join(lines))))
    assert result.returncode == 1
    assert "mixed.jsonl:2: malformed JSON" in result.stderr
    assert "mixed.jsonl:3: record skipped" in result.stderr
    assert "2 added, 0 merged, 2 skipped" in result.stdout


def test_big_jsonl_streams_in_parallel_and_matches_a_rebuild(built_home, tmp_path):
    """Over the parallel-writer threshold: ids and merges equal a from-scratch rebuild."""
    from bench.make_corpus import write_corpus

    from index.store.writer import PARALLEL_MIN

    big = write_corpus(PARALLEL_MIN + 200, tmp_path / "big.jsonl")
    with big.open("a") as handle:  # one paper twice in the file, one already bundled
        handle.write(json.dumps({**ARXIV_LINES[1], "id": "2301.99999"}) + "\n")
        handle.write(json.dumps({**ARXIV_LINES[1], "update_date": "2020-01-01"}) + "\n")
        handle.write(
            json.dumps(
                {
                    "id": "2510.11653",
                    "title": "MATH-Beyond: A Benchmark for RL to Expand Beyond the Base Model",
                    "abstract": "x",
                    "update_date": "2025-10-14",
                }
            )
            + "\n"
        )
    result = run_papers("import", str(big), timeout=600)
    assert result.returncode == 0, result.stderr
    # The record under another arXiv id is another paper (same title, different ids).
    assert f"{PARALLEL_MIN + 202} added, 1 merged, 0 skipped" in result.stdout
    incremental = run_papers("search", "", "--json", "--limit", "10000").stdout.splitlines()
    assert run_papers("reindex", timeout=600).returncode == 0
    rebuilt = run_papers("search", "", "--json", "--limit", "10000").stdout.splitlines()
    assert len(incremental) == 790 + PARALLEL_MIN + 202
    assert sorted(incremental) == sorted(rebuilt)
    math_beyond = json.loads(run_papers("show", "2510.11653", "--json").stdout)
    assert math_beyond["url"] == "https://arxiv.org/abs/2510.11653" and math_beyond["upvotes"] == 2


def test_ctrl_c_during_a_big_import_leaves_the_library_as_it_was(built_home, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    from bench.make_corpus import write_corpus

    from index.store.writer import PARALLEL_MIN

    big = write_corpus(PARALLEL_MIN + 2000, tmp_path / "big.jsonl")
    process = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "import", str(big)],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(4)  # well into writing: the whole import takes ~10 s
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the whole process group
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "interrupted: nothing was imported" in err and "Traceback" not in err
    assert json.loads(run_papers("stats", "--json").stdout)["papers"] == 790
    assert not list((built_home / "data" / "sources").glob("*big.jsonl"))
    again = run_papers("import", str(big), timeout=600)
    assert again.returncode == 0 and f"{PARALLEL_MIN + 2000} added" in again.stdout
