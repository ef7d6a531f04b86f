"""Which characters of a query are syntax, and which are just text.

People paste titles ("Is Conditional Generative Modeling all you need for
Decision-Making?", "TÜLU 3: Pushing Frontiers…", "$\\Lambda$-Nets [v2]") far more often
than they write Whoosh syntax. So only these are syntax:

- ``"…"`` a phrase, ``( )`` grouping, ``AND OR NOT`` (upper case);
- ``field:value`` — a known field name right before a colon with no space after it
  (``title:x``, ``author:lovelace``, ``tag:rl``); an unknown one (``foo:bar``) is an error
  naming the fields, while ``Foo: A Bar`` (a space after the colon) is text;
- ``*`` at the end of a word (``reinf*``), ``word^2`` and ``word~`` as in Whoosh;
- ``[ ]``, ``{ }``, ``< > <= >=`` only in ``date:`` and ``upvotes:`` values.

Everything else — ``? ! :`` in text, stray brackets and braces, a lone ``*`` — becomes a
space before Whoosh sees it, so a pasted title finds its paper and never a wildcard.
"""

from __future__ import annotations

import re

TEXT_FIELDS_SHOWN = ("title", "abstract", "author", "org")
FIELDS = (*TEXT_FIELDS_SHOWN, "arxiv", "date", "upvotes", "tag", "is", "has", "related")
"""Every field a query may name (``related:ID`` asks for papers like one paper)."""
RANGE_FIELDS = ("date", "upvotes")

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "″": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})
_FIELD = re.compile(r"(?<![\w:.])([A-Za-z_]+):(?=\S)")
_RANGE = re.compile(r"\b(date|upvotes):(\[[^\]]*\]|\{[^}]*\}|[<>]=?[^\s()]*|[^\s()]*)", re.IGNORECASE)


class UnknownField(ValueError):
    """``foo:bar`` where ``foo`` is not a field; the message lists the fields."""


def literalize(text: str) -> str:
    """``text`` with every character that is not syntax (see the module doc) made text."""
    text = text.translate(_QUOTES)
    phrases: list[str] = []

    def keep(match: re.Match[str]) -> str:
        phrases.append(match.group(0))
        return f"{_PHRASE}{len(phrases) - 1}{_PHRASE}"

    # Phrases are set aside whole (their text is the user's, word for word), then the
    # ranges, and what is left is checked and blanked.
    text = re.sub(r'"[^"]*"?', keep, text)
    kept: list[str] = []
    last = 0
    for match in _RANGE.finditer(text):
        kept.append(_plain(text[last : match.start()]))
        kept.append(f"{match.group(1).lower()}:{match.group(2)}")
        last = match.end()
    kept.append(_plain(text[last:]))
    return re.sub(f"{_PHRASE}(\\d+){_PHRASE}", lambda m: phrases[int(m.group(1))], "".join(kept))


def _plain(text: str) -> str:
    """Text outside phrases and ranges: fields checked, non-syntax characters blanked."""

    def field(match: re.Match[str]) -> str:
        name = match.group(1).lower()
        if name in FIELDS:
            return f"{name}{_FIELD_COLON}"
        raise UnknownField(f"unknown field {match.group(1)!r}: the fields are {', '.join(FIELDS)}")

    text = text.replace("://", " ")  # a URL's scheme is not a field
    text = _FIELD.sub(field, text)
    text = re.sub(r"[:?!\[\]{}<>=]", " ", text).replace(_FIELD_COLON, ":")
    # A wildcard ends a word of two letters or more (reinf*); "Q*" is the letter and a star.
    text = re.sub(r"(?<!\w\w)\*|\*(?=\w)", " ", text)
    text = re.sub(r"(?<!\w)\^|\^(?![\d.])", " ", text)  # a boost follows a word: kernel^2
    return re.sub(r"(?<!\w)~", " ", text)  # fuzzy follows a word: kernal~


# Control characters are gone before this runs (query.sanitize), so one can mark the
# colons that belong to fields while every other colon is blanked.
_FIELD_COLON = "\x00"
_PHRASE = "\x01"
