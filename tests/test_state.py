"""The state file: every mark survives concurrent instances, kills mid-write and damaged files."""

from __future__ import annotations

import json
import os
import random
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import index.state.store as state_module
from index.state.store import Marks, ReadOnlyState, StateError, StateStore

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def state_path(tmp_path) -> Path:
    return tmp_path / "data" / "state.json"


def python(code: str, *args: str, **popen) -> subprocess.Popen:
    """A child ``python -c code args...`` that can import ``index`` from this checkout."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-c", code, *args], env=env, cwd=ROOT, text=True, stdout=subprocess.PIPE, **popen
    )


def aside_files(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + ".corrupt-*"))


# -- the model -----------------------------------------------------------------------


def test_marks_normalise_tags_and_round_trip_dicts():
    marks = Marks(starred=True, tags=(" RL ", "vision", "rl", "", "  "), note="hi", note_updated_at="2024-01-01T00:00Z")
    assert marks.tags == ("rl", "vision")
    assert Marks.from_dict(marks.to_dict()) == marks
    assert Marks().to_dict() == {} and Marks().is_empty
    assert Marks(note="   ").is_empty  # a blank note is no note
    assert Marks.from_dict({"starred": "false", "tags": "B, a", "read": 3, "note": None}) == Marks(tags=("a", "b"))


# -- every mutator -------------------------------------------------------------------


def test_every_mutator_is_saved_and_reads_back(state_path, monkeypatch):
    store = StateStore(state_path)
    assert store.messages == [] and not store.read_only
    assert not state_path.exists()  # nothing written until the first change

    assert store.toggle_star("a").starred
    assert not store.toggle_star("a").starred
    assert store.set_starred("a", True).starred
    assert store.add_tags("a", ["  Deep-RL ", "Vision", "", "vision"]).tags == ("deep-rl", "vision")
    assert store.add_tags("a", ["zeta"]).tags == ("deep-rl", "vision", "zeta")
    assert store.remove_tags("a", ["VISION", "absent"]).tags == ("deep-rl", "zeta")
    assert store.add_tags("a", "Solo").tags == ("deep-rl", "solo", "zeta")  # a string is one tag
    assert store.remove_tags("a", "solo").tags == ("deep-rl", "zeta")

    monkeypatch.setattr(state_module, "utc_now", lambda: "2024-05-01T10:00:00Z")
    assert store.set_read("b", True).read == "2024-05-01T10:00:00Z"
    monkeypatch.setattr(state_module, "utc_now", lambda: "2024-06-01T10:00:00Z")
    assert store.set_read("b", True).read == "2024-05-01T10:00:00Z"  # the first read time stays
    assert store.set_note("c", "line one\nline two").note_updated_at == "2024-06-01T10:00:00Z"
    store.set_read("d", True)
    assert store.set_read("d", False).read is None
    store.set_note("e", "temporary")
    assert store.set_note("e", "") == Marks()

    expected = {
        "a": Marks(starred=True, tags=("deep-rl", "zeta")),
        "b": Marks(read="2024-05-01T10:00:00Z"),
        "c": Marks(note="line one\nline two", note_updated_at="2024-06-01T10:00:00Z"),
    }
    assert store.items() == expected
    assert StateStore(state_path).items() == expected  # what is on disk, not just in memory
    document = json.loads(state_path.read_text())
    assert document["schema_version"] == 1
    assert set(document["papers"]) == {"a", "b", "c"}  # emptied entries are dropped
    assert state_path.read_text().startswith('{\n "papers"')  # indent=1, sorted keys

    assert store.starred_ids() == {"a"}
    assert store.read_ids() == {"b"}
    assert store.noted_ids() == {"c"}
    assert store.ids_with_tag("Deep-RL") == {"a"}
    assert store.tag_counts() == {"deep-rl": 1, "zeta": 1}


def test_derived_sets_follow_every_change(state_path):
    rng = random.Random(7)
    store = StateStore(state_path)
    other = StateStore(state_path)
    for step in range(150):
        target = store if step % 5 else other  # some changes come from another instance
        paper = f"p{rng.randrange(12)}"
        action = rng.randrange(5)
        if action == 0:
            target.toggle_star(paper)
        elif action == 1:
            target.add_tags(paper, [rng.choice("abc")])
        elif action == 2:
            target.remove_tags(paper, [rng.choice("abc")])
        elif action == 3:
            target.set_read(paper, rng.random() < 0.5)
        else:
            target.set_note(paper, rng.choice(["", "note"]))
    items = store.items()
    assert items == StateStore(state_path).items()
    assert store.starred_ids() == {pid for pid, m in items.items() if m.starred}
    assert store.read_ids() == {pid for pid, m in items.items() if m.read}
    assert store.noted_ids() == {pid for pid, m in items.items() if m.note}
    for tag in "abc":
        assert store.ids_with_tag(tag) == {pid for pid, m in items.items() if tag in m.tags}
    assert store.tag_counts() == {t: n for t in "abc" if (n := sum(t in m.tags for m in items.values()))}
    store.starred_ids().add("intruder")  # callers get copies
    assert "intruder" not in store.starred_ids()


def test_file_and_backup_are_private(state_path):
    store = StateStore(state_path)
    store.set_starred("a", True)
    store.set_starred("b", True)
    for path in (state_path, state_path.with_name("state.json.bak")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_marks_of_unknown_ids_and_unknown_keys_are_kept(state_path):
    state_path.parent.mkdir(parents=True)
    state_path.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "papers": {"not-in-any-index": {"starred": True, "colour": "red"}},
                "settings": {"kept": True},
            }
        )
    )
    store = StateStore(state_path)
    store.add_tags("other", ["x"])
    store.add_tags("not-in-any-index", ["y"])
    document = json.loads(state_path.read_text())
    assert document["papers"]["not-in-any-index"] == {"starred": True, "colour": "red", "tags": ["y"]}
    assert document["settings"] == {"kept": True}


def test_merge_marks_unites_in_one_write(state_path):
    store = StateStore(state_path)
    store.add_tags("a", ["mine"])
    store.set_note("a", "my note")
    store.set_read("b", True)
    before = state_path.stat().st_ino
    changed = store.merge_marks(
        {
            "a": {"tags": ["theirs"], "note": "their note", "starred": True},
            "b": {"read": "2000-01-01T00:00:00Z"},
            "c": {"note": "new", "note_updated_at": "2020-01-01T00:00:00Z"},
            "d": {},
            "e": "not an object",
        }
    )
    assert changed == 3
    assert store.get("a") == Marks(
        starred=True, tags=("mine", "theirs"), note="my note", note_updated_at=store.get("a").note_updated_at
    )
    assert store.get("b").read == "2000-01-01T00:00:00Z"  # the earliest read wins
    assert store.get("c").note == "new"
    assert store.merge_marks({"a": {"tags": ["mine"]}}) == 0
    assert StateStore(state_path).items() == store.items()
    assert state_path.stat().st_ino != before


def test_reload_sees_another_instance(state_path):
    first = StateStore(state_path)
    second = StateStore(state_path)
    assert not second.reload_if_changed()
    first.add_tags("a", ["rl"])
    assert second.get("a") == Marks()  # not until it looks
    assert second.reload_if_changed()
    assert second.get("a").tags == ("rl",)
    assert second.ids_with_tag("rl") == {"a"}
    assert not second.reload_if_changed()
    # A write from the stale-but-refreshed instance keeps the other's change.
    second.toggle_star("b")
    assert first.reload_if_changed()
    assert first.items() == {"a": Marks(tags=("rl",)), "b": Marks(starred=True)}


def test_a_write_from_a_stale_instance_keeps_the_other_change(state_path):
    first = StateStore(state_path)
    second = StateStore(state_path)
    first.set_starred("a", True)
    second.set_starred("b", True)  # second never reloaded, yet re-reads under the lock
    assert second.starred_ids() == {"a", "b"}
    assert StateStore(state_path).starred_ids() == {"a", "b"}


def test_lock_held_too_long_names_the_lock_file(state_path, monkeypatch):
    monkeypatch.setattr(state_module, "LOCK_TIMEOUT", 0.2)
    store = StateStore(state_path)
    state_path.parent.mkdir(parents=True, exist_ok=True)
    holder = python(
        "import sys; from filelock import FileLock; lock = FileLock(sys.argv[1]); lock.acquire();"
        " print('held', flush=True); sys.stdin.readline()",
        str(state_path) + ".lock",
        stdin=subprocess.PIPE,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StateError, match=r"state\.json\.lock"):
            store.set_starred("a", True)
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    assert store.set_starred("a", True).starred


# -- damage --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, where",
    [
        (b'{\n "papers": {\n  "a": {"starred": tru', "line 3 column"),  # truncated mid-write by another tool
        (b"", "line 1 column 1"),
        (b"[1, 2, 3]\n", "line 1 column 1"),
        (b'{"papers": {"a": {"starred": true}}, "schema_version": 1}\x00\x00\x00', "line 1 column"),
        (b'{"papers": {"a": {"starred": \xff}}}', "line 1 column 30"),
        (b'{"papers": ["a"], "schema_version": 1}', '"papers"'),
    ],
    ids=["truncated", "empty", "not-an-object", "trailing-zeros", "not-utf8", "wrong-shape"],
)
def test_damaged_file_is_moved_aside_and_never_overwritten(state_path, content, where):
    state_path.parent.mkdir(parents=True)
    state_path.write_bytes(content)
    store = StateStore(state_path)
    [aside] = aside_files(state_path)
    assert aside.read_bytes() == content  # the user's bytes are still on disk
    assert str(state_path) in store.messages[0] and where in store.messages[0], store.messages
    assert str(aside) in store.messages[0]
    assert "no usable backup" in store.messages[1]
    assert store.items() == {} and not store.read_only
    assert not state_path.exists()
    store.set_starred("a", True)
    assert StateStore(state_path).starred_ids() == {"a"}
    assert aside.read_bytes() == content


def test_second_damage_in_the_same_second_gets_its_own_aside_file(state_path):
    state_path.parent.mkdir(parents=True)
    state_path.write_bytes(b"{first")
    StateStore(state_path)
    state_path.write_bytes(b"{second")
    StateStore(state_path)
    assert sorted(p.read_bytes() for p in aside_files(state_path)) == [b"{first", b"{second"]


def test_good_backup_is_restored(state_path):
    store = StateStore(state_path)
    store.set_starred("a", True)
    store.add_tags("b", ["kept"])  # .bak now holds the file as it was after the first change
    truncated = state_path.read_bytes()[:25]
    state_path.write_bytes(truncated)
    reopened = StateStore(state_path)
    assert any("restored" in m and "state.json.bak" in m for m in reopened.messages), reopened.messages
    assert reopened.starred_ids() == {"a"}
    [aside] = aside_files(state_path)
    assert aside.read_bytes() == truncated
    assert json.loads(state_path.read_text())["papers"] == {"a": {"starred": True}}


def test_damage_found_while_writing_is_repaired_not_overwritten(state_path):
    store = StateStore(state_path)
    store.set_starred("a", True)
    store.set_starred("b", True)
    state_path.write_bytes(b'{"papers": {')  # e.g. a half-saved hand edit while the app runs
    assert not store.reload_if_changed()
    assert "unreadable" in store.messages[-1]
    store.set_starred("c", True)
    [aside] = aside_files(state_path)
    assert aside.read_bytes() == b'{"papers": {'
    # From what this instance last saw (newer than .bak, which lacks "b"), plus the new change.
    assert StateStore(state_path).starred_ids() == {"a", "b", "c"}


def test_newer_schema_opens_read_only_and_untouched(state_path):
    state_path.parent.mkdir(parents=True)
    content = json.dumps({"schema_version": 2, "papers": {"a": {"starred": True, "stars": 5}}, "new": []}).encode()
    state_path.write_bytes(content)
    store = StateStore(state_path)
    assert store.read_only
    assert "read-only" in store.messages[0] and "schema_version 2" in store.messages[0]
    assert store.starred_ids() == {"a"}
    for change in (
        lambda: store.toggle_star("a"),
        lambda: store.add_tags("a", ["x"]),
        lambda: store.set_note("a", "x"),
        lambda: store.set_read("a", True),
        lambda: store.merge_marks({"b": {"starred": True}}),
    ):
        with pytest.raises(ReadOnlyState):
            change()
    assert state_path.read_bytes() == content
    assert sorted(p.name for p in state_path.parent.iterdir()) == ["state.json"]


def test_unversioned_file_is_migrated_after_a_backup(state_path):
    state_path.parent.mkdir(parents=True)
    content = json.dumps({"a": {"starred": True, "tags": ["X"]}, "b": {"read": True}}).encode()
    state_path.write_bytes(content)
    store = StateStore(state_path)
    assert any("upgraded" in m for m in store.messages), store.messages
    assert state_path.with_name("state.json.v0.bak").read_bytes() == content
    document = json.loads(state_path.read_text())
    assert document["schema_version"] == 1
    assert document["papers"]["a"] == {"starred": True, "tags": ["x"]}
    assert document["papers"]["b"]["read"]
    assert StateStore(state_path).messages == []


# -- several processes ---------------------------------------------------------------

_INTERLEAVED_WRITER = """
import sys
from pathlib import Path
from index.state.store import StateStore
path, who, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
store = StateStore(path)
print("ready", flush=True)
sys.stdin.readline()  # start together so the writes interleave
for i in range(count):
    store.add_tags(f"p{i % 25}", [f"{who}-{i}"])
print("done", flush=True)
"""


def test_two_processes_interleaving_300_changes_each_lose_nothing(state_path):
    state_path.parent.mkdir(parents=True)
    writers = [
        python(_INTERLEAVED_WRITER, str(state_path), who, "300", stdin=subprocess.PIPE) for who in ("left", "right")
    ]
    try:
        for writer in writers:
            assert writer.stdout.readline().strip() == "ready"
        for writer in writers:
            writer.stdin.write("go\n")
            writer.stdin.flush()
        for writer in writers:
            assert writer.stdout.readline().strip() == "done"
            assert writer.wait(timeout=60) == 0
    finally:
        for writer in writers:
            writer.kill()
    store = StateStore(state_path)
    assert store.messages == []
    tags = {tag for marks in store.items().values() for tag in marks.tags}
    expected = {f"{who}-{i}" for who in ("left", "right") for i in range(300)}
    assert tags == expected
    for i in range(300):
        assert f"left-{i}" in store.get(f"p{i % 25}").tags


_ACKNOWLEDGING_WRITER = """
import sys
from pathlib import Path
from index.state.store import StateStore
store = StateStore(Path(sys.argv[1]))
assert not store.messages, store.messages
print("ready", flush=True)
i = int(sys.argv[2])
while True:
    if i % 3 == 0:
        store.add_tags(f"p{i % 17}", [f"t{i}"])
    elif i % 3 == 1:
        store.set_starred(f"s{i}", True)
    else:
        store.set_note(f"n{i}", f"note {i}")
    print(i, flush=True)
    i += 1
"""


def _holds(store: StateStore, i: int) -> bool:
    if i % 3 == 0:
        return f"t{i}" in store.get(f"p{i % 17}").tags
    if i % 3 == 1:
        return store.get(f"s{i}").starred
    return store.get(f"n{i}").note == f"note {i}"


def test_writer_killed_at_random_moments_keeps_every_acknowledged_change(state_path):
    state_path.parent.mkdir(parents=True)
    rng = random.Random(20240501)
    acknowledged: list[int] = []
    for kill in range(20):
        writer = python(_ACKNOWLEDGING_WRITER, str(state_path), str(kill * 1_000_000))
        try:
            assert writer.stdout.readline().strip() == "ready"
            threading.Timer(rng.uniform(0.0, 0.12), writer.kill).start()
            for line in writer.stdout:  # until the kill closes the pipe
                acknowledged.append(int(line))
        finally:
            writer.kill()
            writer.wait(timeout=10)
            writer.stdout.close()
        assert writer.returncode == -9
        store = StateStore(state_path)
        assert store.messages == []  # parses, no damage, no repair needed
        missing = [i for i in acknowledged if not _holds(store, i)]
        assert not missing, f"after kill {kill + 1}: lost acknowledged changes {missing[:10]}"
    assert len(acknowledged) > 40, "the writer hardly ran; the kills tested nothing"
    assert aside_files(state_path) == []
    # Temp files a killed writer left are swept by the next writer, under the lock.
    store = StateStore(state_path)
    store.set_starred("final", True)
    assert list(state_path.parent.glob(".state.json.*.tmp")) == []


def test_reload_is_cheap_when_nothing_changed(state_path, monkeypatch):
    store = StateStore(state_path)
    store.merge_marks({f"id{i}": {"tags": [f"t{i % 50}"], "starred": i % 2 == 0} for i in range(5000)})
    reads = []
    monkeypatch.setattr(store, "_read_file", lambda: reads.append(1))
    for _ in range(1000):
        assert store.reload_if_changed() is False
    assert reads == [], "an unchanged file is never read again (one stat per poll)"
    assert len(store.ids_with_tag("t7")) == 100 and len(store.starred_ids()) == 2500


# -- valid JSON that is still damage, and odd things at the path ----------------------


@pytest.mark.parametrize(
    "content, reason",
    [
        (b'{"schema_version": 1, "papers": {"a": {"tags": 5}}}', '"tags" should be a list of tags, found 5'),
        (b'{"schema_version": 1, "papers": {"a": {"starred": "yes"}}}', '"starred" should be true or false'),
        (b'{"schema_version": 1, "papers": {"a": {"tags": ["ok", 3]}}}', '"tags" should be a list of tags'),
        (b'{"schema_version": 1, "papers": {"a": {"note": {"x": 1}}}}', '"note" should be text'),
        (b'{"schema_version": 1, "papers": {"a": {"read": 17}}}', '"read" should be a time or null'),
        (b'{"schema_version": 1, "papers": {"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}", "nested too deeply"),
        (b'{"schema_version": 1, "papers": {"a": {"starred": ' + b"9" * 5000 + b"}}}", "unreadable value"),
    ],
    ids=["tags-int", "starred-string", "tag-int", "note-object", "read-int", "deep", "huge-int"],
)
def test_valid_json_with_wrong_types_is_damage_and_the_backup_comes_back(state_path, content, reason):
    store = StateStore(state_path)
    store.set_starred("good", True)
    store.add_tags("good", ["kept"])  # the .bak holds {"good": starred}
    state_path.write_bytes(content)
    reopened = StateStore(state_path)
    assert any(reason in message and str(state_path) in message for message in reopened.messages), reopened.messages
    [aside] = aside_files(state_path)
    assert aside.read_bytes() == content, "the damaged bytes are kept, never overwritten"
    assert reopened.starred_ids() == {"good"}, "the last good backup is restored"
    assert not reopened.read_only


def test_a_running_instance_survives_the_file_turning_to_wrong_types(state_path):
    store = StateStore(state_path)
    store.set_starred("a", True)
    state_path.write_bytes(b'{"schema_version": 1, "papers": {"a": {"tags": 5}}}')
    assert store.reload_if_changed() is False
    assert store.starred_ids() == {"a"} and "unreadable" in store.messages[-1]
    store.set_starred("b", True)  # the next write repairs under the lock
    assert StateStore(state_path).starred_ids() == {"a", "b"}


def test_a_symlinked_state_file_is_written_through_to_its_target(tmp_path):
    target = tmp_path / "dotfiles" / "papers-state.json"
    target.parent.mkdir()
    link = tmp_path / "data" / "state.json"
    link.parent.mkdir()
    StateStore(target).set_starred("a", True)
    link.symlink_to(target)
    store = StateStore(link)
    store.set_starred("b", True)
    assert link.is_symlink(), "the link is kept, not replaced by a file"
    assert json.loads(target.read_text())["papers"] == {"a": {"starred": True}, "b": {"starred": True}}
    assert StateStore(link).starred_ids() == {"a", "b"}


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_folder_or_fifo_at_the_path_is_a_clear_error(state_path, kind):
    state_path.parent.mkdir(parents=True)
    if kind == "folder":
        state_path.mkdir()
    else:
        os.mkfifo(state_path)  # opening it for reading would block forever
    store = StateStore(state_path)
    assert store.read_only and str(state_path) in store.messages[0]
    assert ("folder" if kind == "folder" else "not a regular file") in store.messages[0]
    with pytest.raises(StateError, match="read-only"):
        store.set_starred("a", True)
    assert store.reload_if_changed() is False
