"""What the user marked on one paper (star, tags, read time, note), and how marks combine.

A pure value type, shared by the state file, the query filters and the exports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

KNOWN_FIELDS = ("starred", "tags", "read", "note", "note_updated_at")


def utc_now() -> str:
    """The current time as ISO-8601 UTC with a ``Z``, to the second."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def normalize_tag(tag: str) -> str:
    """A tag as stored: trimmed, lower-case, no control characters (``""`` means no tag)."""
    return _CONTROL.sub("", tag).strip().lower()


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
        elif not isinstance(tags, (list, tuple)):
            tags = ()
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


def as_tags(tags: Iterable[str]) -> tuple[str, ...]:
    # A lone string is one tag, not its letters ("rl" must not become "r", "l").
    return (tags,) if isinstance(tags, str) else tuple(tags)


def replace_marks(marks: Marks, **changes: Any) -> Marks:
    values = {name: getattr(marks, name) for name in KNOWN_FIELDS}
    values.update(changes)
    return Marks(**values)


def merge_marks(ours: Marks, theirs: Marks) -> Marks:
    """Combine imported marks with ours: star if either, all tags, earliest read, our note if any."""
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
