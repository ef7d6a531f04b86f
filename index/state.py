"""The user's marks (stars, tags, read times, notes): a small JSON file that is never lost.

The state file is the user's own data, so every change follows one recipe (see
``docs/design.md``, "State file rules"): lock ``state.json.lock``, re-read the file
(another instance may have written), apply the one change, write a temp file beside it,
fsync, rotate the previous good file to ``state.json.bak``, ``os.replace``, fsync the
folder. A damaged file is moved aside, never overwritten; a file from a newer version of
the app opens read-only.

File layout (indent 1, sorted keys, only non-default fields per paper)::

    {"papers": {"3f2a...": {"starred": true, "tags": ["rl"]}}, "schema_version": 1}
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

SCHEMA_VERSION = 1
"""The state file layout this code reads and writes; bump it with a migration in ``_parse``."""

LOCK_TIMEOUT = 10.0
"""Seconds to wait for another instance's write; writes take milliseconds, so this means a stuck process."""

_FILE_MODE = 0o600
_KNOWN_FIELDS = ("starred", "tags", "read", "note", "note_updated_at")


def utc_now() -> str:
    """The current time as ISO-8601 UTC with a ``Z``, to the second."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def normalize_tag(tag: str) -> str:
    """A tag as stored: trimmed and lower-case (``""`` means no tag)."""
    return tag.strip().lower()


def normalize_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags as stored: normalised, without empties, sorted and unique."""
    return tuple(sorted({normalize_tag(tag) for tag in tags} - {""}))


@dataclass(frozen=True)
class Marks:
    """What the user marked on one paper. The default value means "nothing marked"."""

    starred: bool = False
    tags: tuple[str, ...] = ()
    read: str | None = None
    """ISO-8601 UTC time the paper was first marked read, or ``None`` when unread."""
    note: str = ""
    note_updated_at: str | None = None

    def __post_init__(self) -> None:
        # Normalise here so two Marks with the same meaning always compare equal.
        object.__setattr__(self, "tags", normalize_tags(self.tags))
        if not self.note.strip():
            object.__setattr__(self, "note", "")
            object.__setattr__(self, "note_updated_at", None)

    @property
    def is_empty(self) -> bool:
        return not (self.starred or self.tags or self.read or self.note)

    def to_dict(self) -> dict[str, Any]:
        """The fields that differ from the defaults (what the state file stores); ``{}`` when empty."""
        data: dict[str, Any] = {}
        if self.starred:
            data["starred"] = True
        if self.tags:
            data["tags"] = list(self.tags)
        if self.read:
            data["read"] = self.read
        if self.note:
            data["note"] = self.note
            if self.note_updated_at:
                data["note_updated_at"] = self.note_updated_at
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Marks:
        """Marks from a state-file entry or an export; odd values are read leniently, unknown keys ignored."""
        starred = data.get("starred")
        tags = data.get("tags") or ()
        if isinstance(tags, str):
            tags = tags.split(",")
        read = data.get("read")
        if read is True:
            read = utc_now()  # an old "read": true carries no time; now is the best we know
        note = data.get("note")
        note_time = data.get("note_updated_at")
        if isinstance(starred, str):
            starred = starred.strip().lower() in ("true", "yes", "1")
        return cls(
            starred=starred is True or starred == 1,
            tags=normalize_tags(str(tag) for tag in tags if isinstance(tag, (str, int))),
            read=read if isinstance(read, str) and read.strip() else None,
            note=note if isinstance(note, str) else "",
            note_updated_at=note_time if isinstance(note_time, str) and note_time else None,
        )


EMPTY = Marks()


class StateError(Exception):
    """The state file cannot be read or written; the message names the file and what to do."""


class ReadOnlyState(StateError):
    """A change was asked of a store that is read-only (a newer app's file)."""


class _Damaged(Exception):
    """The bytes of a state file are not a state file; ``str()`` says where and why."""


def _parse(data: bytes) -> tuple[dict[str, Any], int]:
    """A state file's bytes as ``({"schema_version", "papers"}, version found)``.

    Files without ``schema_version`` (version 0) are either ``{"papers": {...}}`` or
    the bare ``{id: marks}`` mapping; both become version 1's shape here.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise _Damaged(f"line {line} column {column}: not UTF-8 text") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        raise _Damaged(f"line {error.lineno} column {error.colno}: {error.msg}") from None
    if not isinstance(doc, dict):
        raise _Damaged(f"line 1 column 1: expected a JSON object, found {type(doc).__name__}")
    version = doc.get("schema_version", 0)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise _Damaged(f"schema_version {version!r} is not a whole number")
    if version > SCHEMA_VERSION:
        # A newer layout: read what looks familiar, never judge (or touch) the rest.
        papers = doc.get("papers")
        papers = {k: v for k, v in papers.items() if isinstance(v, dict)} if isinstance(papers, dict) else {}
        return {**doc, "papers": papers}, version
    if version == 0 and "papers" not in doc:
        doc = {"papers": doc}
    papers = doc.get("papers")
    if not isinstance(papers, dict):
        raise _Damaged(f'"papers" should be an object, found {type(papers).__name__}')
    for paper_id, entry in papers.items():
        if not isinstance(entry, dict):
            raise _Damaged(f'the marks of paper "{paper_id}" should be an object, found {type(entry).__name__}')
    return {**doc, "schema_version": version, "papers": papers}, version


Stamp = tuple[int, int, int]
"""(inode, mtime_ns, size): changes whenever another process replaces or edits the file."""


def _stamp_of(stat: os.stat_result) -> Stamp:
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


@dataclass
class _Loaded:
    """One read of the file: its document, the version it had, its bytes and stamp."""

    doc: dict[str, Any] = field(default_factory=lambda: {"schema_version": SCHEMA_VERSION, "papers": {}})
    version: int = SCHEMA_VERSION
    data: bytes | None = None
    stamp: Stamp | None = None


class StateStore:
    """The marks of every paper id, backed by one state file shared with other instances.

    Reads answer from memory; :meth:`reload_if_changed` picks up other processes'
    writes. Every mutator writes the file before it returns, and returns the paper's
    new marks. Safe to use from several threads.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.read_only = False
        self.messages: list[str] = []
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.backup_path = self.path.with_name(self.path.name + ".bak")
        self._file_lock = FileLock(str(self.lock_path), timeout=LOCK_TIMEOUT, mode=_FILE_MODE)
        self._mutex = threading.RLock()
        self._marks: dict[str, Marks] = {}
        # Derived views, kept in step with _marks so per-query filters cost a set copy.
        self._starred: set[str] = set()
        self._read: set[str] = set()
        self._noted: set[str] = set()
        self._by_tag: dict[str, set[str]] = {}
        self._stamp: Stamp | None = None
        self._refused = False
        self._swept = False
        self._open()

    # -- reading -----------------------------------------------------------------

    def get(self, paper_id: str) -> Marks:
        """The marks of one paper (empty marks for a paper never marked)."""
        with self._mutex:
            return self._marks.get(paper_id, EMPTY)

    def items(self) -> dict[str, Marks]:
        """A snapshot copy of every non-empty entry."""
        with self._mutex:
            return dict(self._marks)

    def starred_ids(self) -> set[str]:
        with self._mutex:
            return set(self._starred)

    def read_ids(self) -> set[str]:
        with self._mutex:
            return set(self._read)

    def noted_ids(self) -> set[str]:
        with self._mutex:
            return set(self._noted)

    def ids_with_tag(self, tag: str) -> set[str]:
        with self._mutex:
            return set(self._by_tag.get(normalize_tag(tag), ()))

    def tag_counts(self) -> dict[str, int]:
        """How many papers carry each tag, by tag name."""
        with self._mutex:
            return {tag: len(ids) for tag, ids in sorted(self._by_tag.items())}

    def reload_if_changed(self) -> bool:
        """Re-read the file if another process changed it since we last saw it; says whether we did.

        Costs one ``os.stat`` when nothing changed, so the UI can call it often.
        """
        with self._mutex:
            try:
                stamp: Stamp | None = _stamp_of(os.stat(self.path))
            except FileNotFoundError:
                stamp = None
            except OSError:
                return False
            if stamp == self._stamp:
                return False
            try:
                loaded = self._read_file()
            except OSError:
                return False
            if loaded.data is None:
                self._load(_Loaded())  # deleted on purpose: the user asked for a fresh start
                return True
            try:
                loaded.doc, loaded.version = _parse(loaded.data)
            except _Damaged as damage:
                # Maybe an editor mid-save; repairing is left to the next write, under the lock.
                self._stamp = loaded.stamp
                self.messages.append(f"{self.path} changed on disk but is unreadable ({damage}); showing earlier marks")
                return False
            self._load(loaded)
            return True

    # -- changing ----------------------------------------------------------------

    def set_starred(self, paper_id: str, starred: bool) -> Marks:
        return self._change_one(paper_id, lambda m: _replace(m, starred=bool(starred)))

    def toggle_star(self, paper_id: str) -> Marks:
        """Flip the star as it is on disk now (another instance may have flipped it already)."""
        return self._change_one(paper_id, lambda m: _replace(m, starred=not m.starred))

    def add_tags(self, paper_id: str, tags: Iterable[str]) -> Marks:
        tags = _as_tags(tags)
        return self._change_one(paper_id, lambda m: _replace(m, tags=m.tags + tags))

    def remove_tags(self, paper_id: str, tags: Iterable[str]) -> Marks:
        gone = set(normalize_tags(_as_tags(tags)))
        return self._change_one(paper_id, lambda m: _replace(m, tags=tuple(t for t in m.tags if t not in gone)))

    def set_note(self, paper_id: str, text: str) -> Marks:
        """Replace the note; ``""`` (or only whitespace) clears it."""

        def change(m: Marks) -> Marks:
            if text == m.note:
                return m
            return _replace(m, note=text, note_updated_at=utc_now() if text.strip() else None)

        return self._change_one(paper_id, change)

    def set_read(self, paper_id: str, read: bool) -> Marks:
        """Mark read (keeping the first-read time when it already is) or unread."""
        if read:
            return self._change_one(paper_id, lambda m: m if m.read else _replace(m, read=utc_now()))
        return self._change_one(paper_id, lambda m: _replace(m, read=None))

    def merge_marks(self, marks: dict[str, dict[str, Any]]) -> int:
        """Import exported marks in one locked write; returns how many papers' marks changed.

        Nothing is taken away: tags are united, a star on either side stays, the earliest
        read time wins, and an imported note only fills an empty one.
        """
        incoming = {
            paper_id: Marks.from_dict(data)
            for paper_id, data in marks.items()
            if isinstance(paper_id, str) and isinstance(data, dict)
        }

        def change(current: Callable[[str], Marks]) -> dict[str, Marks]:
            return {paper_id: _merge(current(paper_id), theirs) for paper_id, theirs in incoming.items()}

        return len(self._mutate(change))

    # -- opening -----------------------------------------------------------------

    def _open(self) -> None:
        try:
            loaded = self._read_file()
        except OSError as error:
            self._refuse_writes(f"cannot read {self.path} ({error.strerror or error})")
            return
        if loaded.data is None:
            return  # no file until the first change
        try:
            loaded.doc, loaded.version = _parse(loaded.data)
        except _Damaged:
            try:
                with self._locked():
                    loaded = self._read_valid()  # another instance may have repaired it meanwhile
            except (StateError, OSError) as error:
                self._refuse_writes(f"{self.path} is damaged and could not be repaired now ({error})")
                return
        self._load(loaded)
        if loaded.version < SCHEMA_VERSION:
            try:
                self._mutate(lambda current: {})  # an empty change still rewrites in the new layout
            except StateError as error:
                self.messages.append(f"could not upgrade {self.path} yet ({error}); will retry on the next change")

    def _refuse_writes(self, why: str) -> None:
        self._refused = True
        self.read_only = True
        self.messages.append(f"{why}; marks are read-only this session")

    def _read_file(self) -> _Loaded:
        """The file's bytes and the stamp of exactly those bytes (``data=None`` when missing)."""
        try:
            with open(self.path, "rb") as handle:
                stamp = _stamp_of(os.fstat(handle.fileno()))
                return _Loaded(data=handle.read(), stamp=stamp)
        except FileNotFoundError:
            return _Loaded()

    def _read_valid(self) -> _Loaded:
        """Under the lock: the file parsed, after moving a damaged one aside and restoring the backup."""
        loaded = self._read_file()
        if loaded.data is None:
            return loaded
        try:
            loaded.doc, loaded.version = _parse(loaded.data)
            return loaded
        except _Damaged as damage:
            aside = self._aside_path()
            os.rename(self.path, aside)
            self.messages.append(f"{self.path} is damaged ({damage}); moved it aside to {aside}")
        backup = self._usable_backup()
        if backup is None:
            self.messages.append("no usable backup; starting with no marks (the damaged file is kept)")
            return _Loaded()
        self._write_atomic(self.path, backup)
        self._fsync_folder()
        self.messages.append(f"restored the last good backup {self.backup_path} (the latest change may be missing)")
        loaded = self._read_file()
        if loaded.data is None:
            return _Loaded()
        loaded.doc, loaded.version = _parse(loaded.data)
        return loaded

    def _usable_backup(self) -> bytes | None:
        try:
            data = self.backup_path.read_bytes()
            _, version = _parse(data)
        except (OSError, _Damaged):
            return None
        return data if version <= SCHEMA_VERSION else None

    def _aside_path(self) -> Path:
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        number = 1
        while aside.exists():  # never overwrite an earlier damaged file
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{number}")
            number += 1
        return aside

    def _load(self, loaded: _Loaded) -> None:
        """Replace the in-memory view with a whole file's content and rebuild the derived sets."""
        newer = loaded.version > SCHEMA_VERSION
        if newer and not self.read_only:
            self.messages.append(
                f"{self.path} was written by a newer papers (schema_version {loaded.version}; this one knows "
                f"{SCHEMA_VERSION}): opened read-only, marks cannot be changed until you upgrade papers"
            )
        self.read_only = newer or self._refused
        self._marks = {}
        self._starred, self._read, self._noted, self._by_tag = set(), set(), set(), {}
        for paper_id, entry in loaded.doc["papers"].items():
            self._index(str(paper_id), Marks.from_dict(entry))
        self._stamp = loaded.stamp

    def _index(self, paper_id: str, marks: Marks) -> None:
        """Set one paper's marks in memory, updating the derived sets by difference."""
        old = self._marks.get(paper_id, EMPTY)
        flags = ((marks.starred, self._starred), (bool(marks.read), self._read), (bool(marks.note), self._noted))
        for flag, ids in flags:
            if flag:
                ids.add(paper_id)
            else:
                ids.discard(paper_id)
        for tag in set(old.tags) - set(marks.tags):
            holders = self._by_tag.get(tag)
            if holders is not None:
                holders.discard(paper_id)
                if not holders:
                    del self._by_tag[tag]
        for tag in marks.tags:
            self._by_tag.setdefault(tag, set()).add(paper_id)
        if marks.is_empty:
            self._marks.pop(paper_id, None)
        else:
            self._marks[paper_id] = marks

    # -- writing -----------------------------------------------------------------

    def _change_one(self, paper_id: str, change: Callable[[Marks], Marks]) -> Marks:
        self._mutate(lambda current: {paper_id: change(current(paper_id))})
        return self.get(paper_id)

    def _mutate(self, change: Callable[[Callable[[str], Marks]], dict[str, Marks]]) -> dict[str, Marks]:
        """Apply ``change`` to the file's current content and save it; returns the entries that changed.

        ``change`` gets a lookup on what is on disk now (not on our possibly stale view)
        and returns the new marks of the papers it touches.
        """
        with self._mutex:
            if self.read_only:
                raise ReadOnlyState(f"{self.path} is read-only for this session; marks were not changed")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self._locked():
                    loaded = self._read_valid()
                    if loaded.version > SCHEMA_VERSION:
                        self._load(loaded)
                        raise ReadOnlyState(f"{self.path} now belongs to a newer papers; marks were not changed")
                    papers: dict[str, Any] = loaded.doc["papers"]
                    if loaded.version < SCHEMA_VERSION:
                        for paper_id, entry in list(papers.items()):  # migrate: every entry in today's form
                            _store_entry(papers, paper_id, Marks.from_dict(entry))

                    def current(paper_id: str) -> Marks:
                        entry = papers.get(paper_id)
                        return Marks.from_dict(entry) if entry is not None else EMPTY

                    changed = {pid: new for pid, new in change(current).items() if new != current(pid)}
                    in_step = loaded.stamp == self._stamp and loaded.version == SCHEMA_VERSION
                    if changed or loaded.version < SCHEMA_VERSION:
                        for paper_id, new in changed.items():
                            _store_entry(papers, paper_id, new)
                        self._save(loaded)
                    if not in_step:
                        self._load(loaded)  # another instance wrote: take its content whole
                    for paper_id, new in changed.items():
                        self._index(paper_id, new)
                    if changed or loaded.version < SCHEMA_VERSION:
                        self._stamp = _stamp_of(os.stat(self.path))
                    return changed
            except OSError as error:
                raise StateError(f"could not save marks to {self.path}: {error.strerror or error}") from None

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the lock file, or raise StateError naming it after ``LOCK_TIMEOUT``."""
        try:
            self._file_lock.acquire()
        except Timeout:
            raise StateError(
                f"another papers process has held {self.lock_path} for over {LOCK_TIMEOUT:.0f} s; "
                "close it (or delete the lock file if no papers is running) and try again"
            ) from None
        try:
            yield
        finally:
            self._file_lock.release()

    def _save(self, loaded: _Loaded) -> None:
        """Write the document; the previous good bytes become ``.bak``. Called under the lock."""
        self._sweep_temp_files()
        kept: Path | None = None
        if loaded.data is not None:
            if loaded.version < SCHEMA_VERSION:
                kept = self._migration_backup_path(loaded.version)
                self._write_atomic(kept, loaded.data)
            self._write_atomic(self.backup_path, loaded.data)
        doc = {**loaded.doc, "schema_version": SCHEMA_VERSION}
        text = json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        self._write_atomic(self.path, text.encode("utf-8"))
        self._fsync_folder()
        if kept is not None:
            self.messages.append(
                f"upgraded {self.path} from schema_version {loaded.version} to {SCHEMA_VERSION} "
                f"(the old file is kept as {kept})"
            )

    def _migration_backup_path(self, version: int) -> Path:
        """A fresh name for the pre-migration copy (``.bak`` rotates away; this one stays)."""
        path = self.path.with_name(f"{self.path.name}.v{version}.bak")
        number = 1
        while path.exists():
            path = self.path.with_name(f"{self.path.name}.v{version}-{number}.bak")
            number += 1
        return path

    def _write_atomic(self, target: Path, data: bytes) -> None:
        """Write ``data`` to a temp file beside ``target``, fsync it, and rename it over ``target``."""
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        try:
            # mkstemp creates the file 0600, and os.replace carries that mode onto the target.
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, target)
        except BaseException:
            try:
                os.unlink(temp)
            except OSError:
                pass
            raise

    def _fsync_folder(self) -> None:
        # Makes the renames themselves durable; not possible (nor needed) on Windows.
        if os.name != "posix":
            return
        fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def _sweep_temp_files(self) -> None:
        """Remove temp files left by an instance killed mid-write (safe: we hold the lock)."""
        if self._swept:
            return
        self._swept = True
        for leftover in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            try:
                leftover.unlink()
            except OSError:
                pass


def _as_tags(tags: Iterable[str]) -> tuple[str, ...]:
    # A lone string is one tag, not its letters ("rl" must not become "r", "l").
    return (tags,) if isinstance(tags, str) else tuple(tags)


def _replace(marks: Marks, **changes: Any) -> Marks:
    values = {name: getattr(marks, name) for name in _KNOWN_FIELDS}
    values.update(changes)
    return Marks(**values)


def _store_entry(papers: dict[str, Any], paper_id: str, marks: Marks) -> None:
    """Write one paper's marks into the raw document, keeping keys a newer minor version may have added."""
    extra = {key: value for key, value in (papers.get(paper_id) or {}).items() if key not in _KNOWN_FIELDS}
    entry = {**extra, **marks.to_dict()}
    if entry:
        papers[paper_id] = entry
    else:
        papers.pop(paper_id, None)


def _merge(ours: Marks, theirs: Marks) -> Marks:
    reads = [time for time in (ours.read, theirs.read) if time]
    keep_ours = bool(ours.note)
    return Marks(
        starred=ours.starred or theirs.starred,
        tags=ours.tags + theirs.tags,
        read=min(reads, key=_time_key) if reads else None,
        note=ours.note if keep_ours else theirs.note,
        note_updated_at=ours.note_updated_at if keep_ours else theirs.note_updated_at,
    )


def _time_key(text: str) -> tuple[int, datetime | str]:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return (1, text)  # unreadable times sort after every readable one
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return (0, moment)
