"""The user's marks (stars, tags, read times, notes): a small JSON file that is never lost.

The state file is the user's own data, so every change follows one recipe (see
``docs/architecture.md``, "Where state lives"): lock ``state.json.lock``, re-read the file
(another instance may have written), apply the one change, write a temp file beside it,
fsync, rotate the previous good file to ``state.json.bak``, ``os.replace``, fsync the
folder. A damaged file is moved aside, never overwritten; a file from a newer version of
the app opens read-only. The file's layout is in ``index.state.format``.
"""

from __future__ import annotations

import json
import os
import stat
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from index.durable import fsync_folder, write_atomic
from index.state.format import SCHEMA_VERSION, Damaged, Loaded, Stamp, parse_state, stamp_of
from index.state.marks import (
    EMPTY,
    KNOWN_FIELDS,
    Marks,
    as_tags,
    merge_marks,
    normalize_tag,
    normalize_tags,
    replace_marks,
    utc_now,
)

LOCK_TIMEOUT = 10.0
"""Seconds to wait for another instance's write; writes take milliseconds, so this means a stuck process."""

_FILE_MODE = 0o600


class StateError(Exception):
    """The state file cannot be read or written; the message names the file and what to do."""


class ReadOnlyState(StateError):
    """A change was asked of a store that is read-only (a newer app's file)."""


class StateStore:
    """The marks of every paper id, backed by one state file shared with other instances.

    Reads answer from memory; :meth:`reload_if_changed` picks up other processes'
    writes. Every mutator writes the file before it returns, and returns the paper's
    new marks. Safe to use from several threads.
    """

    def __init__(self, path: Path):
        self.read_only = False
        self.messages: list[str] = []
        # A symlinked state file (dotfiles in git, a synced folder) is written through to its
        # target: the temp file, lock and backup go beside the target, and the link stays.
        self.path = Path(os.path.realpath(path)) if Path(path).is_symlink() else Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.backup_path = self.path.with_name(self.path.name + ".bak")
        self._file_lock = FileLock(str(self.lock_path), timeout=LOCK_TIMEOUT, mode=_FILE_MODE)
        self._mutex = threading.RLock()
        self._marks: dict[str, Marks] = {}
        self._views: dict[str, str] = {}
        # Derived views, kept in step with _marks so per-query filters cost a set copy.
        self._starred: set[str] = set()
        self._read: set[str] = set()
        self._noted: set[str] = set()
        self._by_tag: dict[str, set[str]] = {}
        self._stamp: Stamp | None = None
        self._good_bytes: bytes | None = None
        """The last good file this instance read or wrote: restored if the file is damaged."""
        self._changes = 0
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

    def tag_names(self) -> list[str]:
        """Every tag in use, sorted."""
        with self._mutex:
            return sorted(self._by_tag)

    def tag_counts(self) -> dict[str, int]:
        """How many papers carry each tag, by tag name."""
        with self._mutex:
            return {tag: len(ids) for tag, ids in sorted(self._by_tag.items())}

    # -- saved views -------------------------------------------------------------

    def views(self) -> dict[str, str]:
        """Saved views: name -> query, by name."""
        with self._mutex:
            return dict(sorted(self._views.items()))

    def save_view(self, name: str, query: str) -> None:
        """Save (or replace) the view ``name``; written before it returns, like every mark."""
        name, query = " ".join(name.split()), query.strip()
        if not name or not query:
            raise StateError("a view needs a name and a query")
        self._mutate(lambda current: {}, views=lambda saved: {**saved, name: query})

    def remove_view(self, name: str) -> bool:
        """Remove the view ``name``; says whether there was one."""
        existed = name in self.views()
        self._mutate(lambda current: {}, views=lambda saved: {key: q for key, q in saved.items() if key != name})
        return existed

    def version(self) -> int:
        """A number that changes whenever the marks in memory change (for caches)."""
        return self._changes

    def reload_if_changed(self) -> bool:
        """Re-read the file if another process changed it since we last saw it; says whether we did.

        Costs one ``os.stat`` when nothing changed, so the UI can call it often.
        """
        with self._mutex:
            try:
                stamp: Stamp | None = stamp_of(os.stat(self.path))
            except FileNotFoundError:
                stamp = None
            except OSError:
                return False
            if stamp == self._stamp:
                return False
            try:
                loaded = self._read_file()
            except (OSError, StateError):
                return False
            if loaded.data is None:
                self._load(Loaded())  # deleted on purpose: the user asked for a fresh start
                return True
            try:
                loaded.doc, loaded.version = parse_state(loaded.data)
            except Damaged as damage:
                # Maybe an editor mid-save; repairing is left to the next write, under the lock.
                self._stamp = loaded.stamp
                self.messages.append(f"{self.path} changed on disk but is unreadable ({damage}); showing earlier marks")
                return False
            self._load(loaded)
            return True

    # -- changing ----------------------------------------------------------------

    def set_starred(self, paper_id: str, starred: bool) -> Marks:
        return self._change_one(paper_id, lambda m: replace_marks(m, starred=bool(starred)))

    def toggle_star(self, paper_id: str) -> Marks:
        """Flip the star as it is on disk now (another instance may have flipped it already)."""
        return self._change_one(paper_id, lambda m: replace_marks(m, starred=not m.starred))

    def add_tags(self, paper_id: str, tags: Iterable[str]) -> Marks:
        tags = as_tags(tags)
        return self._change_one(paper_id, lambda m: replace_marks(m, tags=m.tags + tags))

    def remove_tags(self, paper_id: str, tags: Iterable[str]) -> Marks:
        gone = set(normalize_tags(as_tags(tags)))
        return self._change_one(paper_id, lambda m: replace_marks(m, tags=tuple(t for t in m.tags if t not in gone)))

    def set_note(self, paper_id: str, text: str) -> Marks:
        """Replace the note; ``""`` (or only whitespace) clears it."""

        def change(m: Marks) -> Marks:
            if text == m.note:
                return m
            return replace_marks(m, note=text, note_updated_at=utc_now() if text.strip() else None)

        return self._change_one(paper_id, change)

    def set_read(self, paper_id: str, read: bool) -> Marks:
        """Mark read (keeping the first-read time when it already is) or unread."""
        if read:
            return self._change_one(paper_id, lambda m: m if m.read else replace_marks(m, read=utc_now()))
        return self._change_one(paper_id, lambda m: replace_marks(m, read=None))

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
            return {paper_id: merge_marks(current(paper_id), theirs) for paper_id, theirs in incoming.items()}

        return len(self._mutate(change))

    def move_marks(self, moves: dict[str, str]) -> int:
        """Move each ``old id -> new id``'s marks onto the new id (merged with what it has),
        in one locked write. Returns how many papers gained marks."""

        def change(current: Callable[[str], Marks]) -> dict[str, Marks]:
            changed: dict[str, Marks] = {}
            for old_id, new_id in moves.items():
                theirs = current(old_id)
                if theirs.is_empty or old_id == new_id:
                    continue
                changed[new_id] = merge_marks(changed.get(new_id) or current(new_id), theirs)
                changed[old_id] = EMPTY
            return changed

        return len(set(moves.values()) & set(self._mutate(change)))

    # -- opening -----------------------------------------------------------------

    def _open(self) -> None:
        try:
            loaded = self._read_file()
        except OSError as error:
            self._refuse_writes(f"cannot read {self.path} ({error.strerror or error})")
            return
        except StateError as error:
            self._refuse_writes(str(error))
            return
        if loaded.data is None:
            return  # no file until the first change
        try:
            loaded.doc, loaded.version = parse_state(loaded.data)
        except Damaged:
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

    def _read_file(self) -> Loaded:
        """The file's bytes and the stamp of exactly those bytes (``data=None`` when missing)."""
        try:
            mode = os.stat(self.path).st_mode
        except FileNotFoundError:
            return Loaded()
        if stat.S_ISDIR(mode):
            raise StateError(f"{self.path} is a folder, not a state file; move it away and start papers again")
        if not stat.S_ISREG(mode):
            # Opening a FIFO would block until someone writes to it: never try.
            raise StateError(f"{self.path} is not a regular file (a FIFO or device?); move it away")
        try:
            with open(self.path, "rb") as handle:
                stamp = stamp_of(os.fstat(handle.fileno()))
                return Loaded(data=handle.read(), stamp=stamp)
        except FileNotFoundError:
            return Loaded()

    def _read_valid(self) -> Loaded:
        """Under the lock: the file parsed, after moving a damaged one aside and restoring the backup."""
        loaded = self._read_file()
        if loaded.data is None:
            return loaded
        try:
            loaded.doc, loaded.version = parse_state(loaded.data)
            return loaded
        except Damaged as damage:
            aside = self._aside_path()
            os.rename(self.path, aside)
            self.messages.append(f"{self.path} is damaged ({damage}); moved it aside to {aside}")
        restored: bytes | None = self._good_bytes
        if restored is not None:
            # This instance read or wrote a good file since it opened: that is newer than
            # the .bak (which is the file before the last write).
            said = "restored the marks this papers last saw in it"
        else:
            restored = self._usable_backup()
            said = f"restored the last good backup {self.backup_path} (the latest change may be missing)"
        if restored is None:
            self.messages.append("no usable backup; starting with no marks (the damaged file is kept)")
            return Loaded()
        write_atomic(self.path, restored)
        fsync_folder(self.path.parent)
        self.messages.append(said)
        loaded = self._read_file()
        if loaded.data is None:
            return Loaded()
        loaded.doc, loaded.version = parse_state(loaded.data)
        return loaded

    def _usable_backup(self) -> bytes | None:
        try:
            data = self.backup_path.read_bytes()
            _, version = parse_state(data)
        except (OSError, Damaged):
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

    def _load(self, loaded: Loaded) -> None:
        """Replace the in-memory view with a whole file's content and rebuild the derived sets."""
        newer = loaded.version > SCHEMA_VERSION
        if newer and not self.read_only:
            self.messages.append(
                f"{self.path} was written by a newer papers (schema_version {loaded.version}; this one knows "
                f"{SCHEMA_VERSION}): opened read-only, marks cannot be changed until you upgrade papers"
            )
        self.read_only = newer or self._refused
        if loaded.data is not None and not newer:
            self._good_bytes = loaded.data
        self._marks = {}
        self._views = {str(name): str(query) for name, query in (loaded.doc.get("views") or {}).items()}
        self._starred, self._read, self._noted, self._by_tag = set(), set(), set(), {}
        for paper_id, entry in loaded.doc["papers"].items():
            self._index(str(paper_id), Marks.from_dict(entry))
        self._stamp = loaded.stamp

    def _index(self, paper_id: str, marks: Marks) -> None:
        self._changes += 1
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

    def _mutate(
        self,
        change: Callable[[Callable[[str], Marks]], dict[str, Marks]],
        views: Callable[[dict[str, str]], dict[str, str]] | None = None,
    ) -> dict[str, Marks]:
        """Apply ``change`` to the file's current content and save it; returns the entries that changed.

        ``change`` gets a lookup on what is on disk now (not on our possibly stale view)
        and returns the new marks of the papers it touches; ``views`` (if given) gets the
        saved views on disk now and returns them changed.
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
                    views_before = dict(loaded.doc.get("views") or {})
                    views_after = views(dict(views_before)) if views is not None else views_before
                    if views_after != views_before:
                        loaded.doc["views"] = views_after
                    if changed or loaded.version < SCHEMA_VERSION or views_after != views_before:
                        for paper_id, new in changed.items():
                            _store_entry(papers, paper_id, new)
                        self._save(loaded)
                    self._views = views_after
                    if not in_step:
                        self._load(loaded)  # another instance wrote: take its content whole
                    for paper_id, new in changed.items():
                        self._index(paper_id, new)
                    if changed or loaded.version < SCHEMA_VERSION or views_after != views_before:
                        self._stamp = stamp_of(os.stat(self.path))
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

    def _save(self, loaded: Loaded) -> None:
        """Write the document; the previous good bytes become ``.bak``. Called under the lock."""
        self._sweep_temp_files()
        kept: Path | None = None
        if loaded.data is not None:
            if loaded.version < SCHEMA_VERSION:
                kept = self._migration_backup_path(loaded.version)
                write_atomic(kept, loaded.data)
            write_atomic(self.backup_path, loaded.data)
        doc = {**loaded.doc, "schema_version": SCHEMA_VERSION}
        text = json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        write_atomic(self.path, text.encode("utf-8"))
        fsync_folder(self.path.parent)
        self._good_bytes = text.encode("utf-8")
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


def _store_entry(papers: dict[str, Any], paper_id: str, marks: Marks) -> None:
    """Write one paper's marks into the raw document, keeping keys a newer minor version may have added."""
    extra = {key: value for key, value in (papers.get(paper_id) or {}).items() if key not in KNOWN_FIELDS}
    entry = {**extra, **marks.to_dict()}
    if entry:
        papers[paper_id] = entry
    else:
        papers.pop(paper_id, None)
