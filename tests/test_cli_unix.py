"""Unix conventions: plain lines in a pipe, colour only on a terminal that wants it,
a closed pipe ends quietly, and every way of naming a paper works."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

from conftest import ROOT, run_papers

PAPERS = [sys.executable, "-m", "tui.cli"]


def in_a_terminal(*args: str, env: dict | None = None, columns: int = 80) -> str:
    """Run the command line with stdout and stderr on a pseudo-terminal; returns what it wrote."""
    leader, follower = pty.openpty()
    os.set_blocking(leader, True)
    full_env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    full_env.update(COLUMNS=str(columns), TERM="xterm-256color", **(env or {}))
    process = subprocess.Popen([*PAPERS, *args], stdout=follower, stderr=follower, cwd=ROOT, env=full_env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_piped_search_is_one_unwrapped_line_per_paper_plus_an_excerpt(built_home):
    result = run_papers("search", "reinforcement learning", "--limit", "5")
    lines = result.stdout.splitlines()
    assert len(lines) == 10
    for title_line, excerpt in zip(lines[::2], lines[1::2], strict=True):
        paper_id, date, title = title_line.split("  ", 2)
        assert len(paper_id) == 10 and (date == "-" * 10 or date[4] == "-")
        assert title == title.strip() and not title.endswith(" "), "no padding"
        assert excerpt.startswith("    ") and not excerpt.endswith(" ")
    assert any(len(line) > 80 for line in lines), "not wrapped at 80 columns"
    assert "\x1b" not in result.stdout and result.stderr == ""


def test_piped_show_keeps_urls_whole(built_home):
    (row,) = [
        json.loads(line)
        for line in run_papers("search", "Discrete Key-Value Bottleneck", "--json", "--limit", "1").stdout.splitlines()
    ]
    shown = run_papers("show", row["id"]).stdout.splitlines()
    link_line = next(line for line in shown if line.startswith("link:"))
    assert link_line.split(None, 1)[1] == row["primary_link"], "the whole URL on its line"
    assert not any(line.rstrip().endswith("·") for line in shown), "no dangling separator"


def test_a_closed_pipe_ends_quietly_with_status_0(built_home):
    result = subprocess.run(
        [
            "bash",
            "-c",
            f"{sys.executable} -m tui.cli search learning --limit 200 | head -1; echo status=${{PIPESTATUS[0]}}",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    first, status = result.stdout.splitlines()
    assert len(first.split("  ")[0]) == 10
    assert status == "status=0"
    assert result.stderr == "", "no 'Broken pipe' message"
    exported = subprocess.run(
        [
            "bash",
            "-c",
            f"{sys.executable} -m tui.cli export learning --format markdown | head -2; echo status=${{PIPESTATUS[0]}}",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert exported.stdout.splitlines()[-1] == "status=0" and exported.stderr == ""


def test_colour_on_a_terminal_and_none_with_no_color(built_home):
    coloured = in_a_terminal("search", "diffusion", "--limit", "2")
    assert "\x1b[" in coloured and "diffusion" in coloured.lower()
    plain = in_a_terminal("search", "diffusion", "--limit", "2", env={"NO_COLOR": "1"})
    assert "diffusion" in plain.lower()
    assert "\x1b[1m" not in plain and "\x1b[3" not in plain and "\x1b[2m" not in plain


def test_every_way_of_naming_a_paper(built_home, tmp_path):
    record = {
        "paper": {
            "id": "2501.04567",
            "title": "A Paper Known By Its arXiv Id",
            "summary": "Text.",
            "authors": [{"name": "A. Author"}],
            "publishedAt": "2025-01-08T00:00:00.000Z",
            "upvotes": 1,
        }
    }
    path = tmp_path / "one.json"
    path.write_text(json.dumps([record]))
    assert run_papers("import", str(path)).returncode == 0
    paper_id = json.loads(run_papers("show", "2501.04567", "--json").stdout)["id"]
    for reference in (
        paper_id,
        paper_id[:6],
        paper_id.upper()[:7],
        "2501.04567",
        "2501.04567v3",
        "arXiv:2501.04567",
        "arxiv:2501.04567v2",
        "https://arxiv.org/abs/2501.04567v2",
        "https://arxiv.org/pdf/2501.04567v1",
        "https://arxiv.org/pdf/2501.04567.pdf",
        "http://export.arxiv.org/abs/2501.04567",
        "https://huggingface.co/papers/2501.04567",
        " 2501.04567 ",
    ):
        result = run_papers("show", reference, "--json")
        assert result.returncode == 0, (reference, result.stderr)
        assert json.loads(result.stdout)["id"] == paper_id, reference
    starred = json.loads(run_papers("star", "https://huggingface.co/papers/2501.04567", "--json").stdout)
    assert starred == {
        "id": paper_id,
        "title": "A Paper Known By Its arXiv Id",
        "starred": True,
        "tags": [],
        "read": False,
        "note": None,
    }


def test_an_ambiguous_prefix_is_a_usage_error_naming_the_candidates(built_home):
    ids = [json.loads(line)["id"] for line in run_papers("search", "", "--json", "--limit", "1000").stdout.splitlines()]
    prefixes: dict[str, int] = {}
    for paper_id in ids:
        prefixes[paper_id[:4]] = prefixes.get(paper_id[:4], 0) + 1
    shared = next(prefix for prefix, count in prefixes.items() if count > 1)
    result = run_papers("show", shared)
    assert result.returncode == 2 and "matches several papers" in result.stderr
    assert result.stderr.count("\n") == 1


def test_mark_commands_take_json(built_home):
    (paper_id,) = [
        json.loads(line)["id"] for line in run_papers("search", "kernel", "--json", "--limit", "1").stdout.splitlines()
    ]
    tagged = json.loads(run_papers("tag", paper_id, "rl", "--json").stdout)
    assert tagged["tags"] == ["rl"] and tagged["id"] == paper_id
    read = json.loads(run_papers("read", paper_id, "--json").stdout)
    assert read["read"] is True and read["tags"] == ["rl"]
    noted = json.loads(run_papers("note", paper_id, "see §3", "--json").stdout)
    assert noted["note"] == "see §3"
