"""Third-party text never reaches a terminal raw: a record with OSC 52, ``ESC [2J``, BEL and
a one-byte CSI in every field, through every command and format of the command line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from conftest import ROOT

from index.safe_text import json_safe, safe_url, spreadsheet_safe, terminal_safe

# What a hostile paper carries: set the clipboard, clear the screen, ring the bell, and a
# C1 CSI (U+009B) that some terminals act on without any ESC.
HOSTILE = "\x1b]52;c;ZWNobyBwd25lZA==\x1b\\ \x1b[2J\x07\x9b31m\u202e"
UNSAFE_BYTES = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]")


def hostile_record() -> dict:
    return {
        "paper": {
            "id": "2401.99999",
            "title": f"Hostile title {HOSTILE}",
            "summary": f"Abstract {HOSTILE} see https://evil.example/x{HOSTILE}",
            "authors": [{"name": f"Eve {HOSTILE}"}, f"Mallory {HOSTILE}"],
            "publishedAt": "2024-01-02T00:00:00.000Z",
            "upvotes": 3,
            "githubRepo": f"https://github.com/x/y{HOSTILE}",
            "projectPage": "javascript:alert(1)",
        },
        "organization": {"fullname": f"Org {HOSTILE}"},
    }


def papers_bytes(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        capture_output=True,
        env=dict(os.environ, **(env or {})),
        cwd=ROOT,
        timeout=120,
    )


def assert_clean(result: subprocess.CompletedProcess, what: str) -> None:
    for name, stream in (("stdout", result.stdout), ("stderr", result.stderr)):
        found = UNSAFE_BYTES.search(stream)
        assert found is None, (
            f"{what}: {name} holds {found.group(0)!r} near {stream[max(0, found.start() - 30) : found.end() + 10]!r}"
        )


@pytest.fixture
def hostile_home(built_home, tmp_path):
    # The file name is third-party text too.
    path = tmp_path / f"evil{HOSTILE[:8]}.json"
    path.write_text(json.dumps([hostile_record()]), encoding="utf-8")
    result = papers_bytes("import", str(path))
    assert_clean(result, "import")
    assert b"1 added" in result.stdout
    return built_home


COMMANDS = [
    ("search", "hostile"),
    ("search", "hostile", "--json"),
    ("search", "hostile", "--sort", "date"),
    ("search", f"hostile {HOSTILE}"),  # the user's own query, echoed
    ("search", f"zzzzqqq{HOSTILE}"),  # no match: the query is echoed in the message
    ("search", f"title:({HOSTILE}"),
    ("show", "2401.99999"),
    ("show", "arXiv:2401.99999v2", "--json"),
    ("show", f"nosuchpaper{HOSTILE}"),
    ("star", "2401.99999"),
    ("star", "2401.99999", "--json"),
    ("tag", "2401.99999", f"t{HOSTILE}"),
    ("note", "2401.99999"),
    ("note", "2401.99999", "--json"),
    ("export", "hostile", "--format", "bibtex"),
    ("export", "hostile", "--format", "markdown"),
    ("export", "hostile", "--format", "csv"),
    ("export", "hostile", "--format", "json", "--with-marks"),
    ("stats",),
    ("stats", "--json"),
]


def test_every_command_and_format_prints_no_control_byte(hostile_home):
    assert_clean(papers_bytes("note", "2401.99999", f"my note {HOSTILE}"), "note set")
    for command in COMMANDS:
        result = papers_bytes(*command)
        assert_clean(result, " ".join(command))
    shown = papers_bytes("show", "2401.99999").stdout.decode()
    assert "Hostile title ␛]52;c;ZWNobyBwd25lZA==␛\\ ␛[2J␇" in shown, "shown visibly, not dropped"


def test_json_output_keeps_the_exact_data(hostile_home):
    row = json.loads(papers_bytes("search", "hostile", "--json").stdout)
    assert row["title"] == f"Hostile title {HOSTILE}"
    exported = json.loads(papers_bytes("export", "hostile", "--format", "json").stdout)
    assert exported["papers"][0]["title"] == f"Hostile title {HOSTILE}"


def test_links_with_control_characters_or_other_schemes_are_not_links(hostile_home):
    row = json.loads(papers_bytes("show", "2401.99999", "--json").stdout)
    assert "javascript:alert(1)" not in row["links"]
    assert all("\x1b" not in link for link in row["links"][1:]), "a URL in an abstract stops at a control character"


def test_csv_cells_cannot_start_a_formula(built_home, tmp_path):
    record = {"title": '=HYPERLINK("http://evil","x")', "abstract": "@SUM(1+1)", "org": "+cmd", "date": "2024-01-01"}
    path = tmp_path / "formula.json"
    path.write_text(json.dumps([record]))
    assert papers_bytes("import", str(path)).returncode == 0
    (paper,) = [json.loads(line) for line in papers_bytes("search", "HYPERLINK", "--json").stdout.splitlines()]
    papers_bytes("star", paper["id"])
    rows = papers_bytes("export", "--format", "csv").stdout.decode().splitlines()
    assert "'=HYPERLINK" in rows[1] and "'@SUM" in rows[1] and "'+cmd" in rows[1]


def test_the_sanitiser_itself():
    assert terminal_safe("a\x1b[2Jb\x07c\x9bd") == "a␛[2Jb␇c\ufffdd"
    assert terminal_safe("line\nnext") == "line␊next"
    assert terminal_safe("line\nnext\r\n", multiline=True) == "line\nnext \n"
    text = f"x{HOSTILE}y"
    assert len(terminal_safe(text)) == len(text), "one character for one: highlight offsets stay right"
    assert terminal_safe("plain ü title") == "plain ü title"
    assert "\\u009b" in json_safe("\x9b") and "\x9b" not in json_safe("\x9b")
    assert json.loads(json_safe({"t": HOSTILE})) == {"t": HOSTILE}
    assert safe_url("https://arxiv.org/abs/1") == "https://arxiv.org/abs/1"
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "https://x\x1b]8;;", "http://", "https://a b", None):
        assert safe_url(bad) is None
    assert spreadsheet_safe("=1+1") == "'=1+1" and spreadsheet_safe("-x") == "'-x" and spreadsheet_safe("ok") == "ok"
