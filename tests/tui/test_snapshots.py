"""SVG snapshots of the reader at 80x24 and 120x40 (regenerate with ``--snapshot-update``).

Deterministic by construction: fixed bundled corpus, fixed marks, no cursor blink, and
the search time in the status line pinned to 0 ms.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from reader_helpers import settle, wait_for_reader

import index.search.library
from index.state.store import StateStore
from tui.app import PapersApp

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def fixed_marks_and_clock(locs, monkeypatch):
    monkeypatch.setattr(index.search.library, "time", SimpleNamespace(perf_counter=lambda: 0.0))
    state = StateStore(locs.state_file)
    library_ids = ["103e797569", "5a553d6f0c"]  # the newest paper and one more, by their stable ids
    state.set_starred(library_ids[0], True)
    state.add_tags(library_ids[0], ["causal", "toread"])
    state.add_tags(library_ids[1], ["transformers"])
    state.set_read(library_ids[1], True)


async def ready(pilot) -> None:
    await wait_for_reader(pilot)
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_library_view(snap_compare, size):
    assert snap_compare(PapersApp(), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_search_with_highlights(snap_compare, size):
    async def search(pilot) -> None:
        await ready(pilot)
        await pilot.press(*"diffusion planning", "enter")  # the reader opens in the search box
        await settle(pilot)

    assert snap_compare(PapersApp(), terminal_size=size, run_before=search)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_tag_editor(snap_compare, size):
    async def edit_tags(pilot) -> None:
        await ready(pilot)
        await pilot.press("enter", "t", *"rl to")
        await pilot.pause(0.2)  # the completion is computed in a worker

    assert snap_compare(PapersApp(), terminal_size=size, run_before=edit_tags)


def test_narrow_viewer(snap_compare):
    async def open_paper(pilot) -> None:
        await ready(pilot)
        await pilot.press("enter", "enter")  # to the list, then open the paper
        await settle(pilot)

    assert snap_compare(PapersApp(), terminal_size=(80, 24), run_before=open_paper)
