"""The same corpus and queries in SQLite FTS5 (porter stemmer, bm25 with title weight 3)."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from pathlib import Path


def build(corpus: Path, database: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(database)
    connection.execute("create virtual table papers using fts5(title, abstract, tokenize='porter unicode61')")
    connection.execute("create table meta(rowid integer primary key, date text, upvotes integer, org text)")
    for number, line in enumerate(corpus.open(encoding="utf-8")):
        record = json.loads(line)
        paper = record.get("paper", record)
        connection.execute(
            "insert into papers(rowid, title, abstract) values (?, ?, ?)",
            (number, paper["title"], paper.get("summary") or paper.get("abstract") or ""),
        )
        when = (paper.get("publishedAt") or paper.get("update_date"))[:10]
        org = (paper.get("organization") or {}).get("fullname")
        connection.execute("insert into meta values (?, ?, ?, ?)", (number, when, paper.get("upvotes"), org))
    connection.commit()
    return connection


_FIELD = re.compile(r"(\w+):(\S+)")


def to_sql(text: str, typing: bool) -> tuple[str, list]:
    """Translate one benchmark query into FTS5 MATCH plus SQL filters."""
    filters, params, words = [], [], []
    for token in text.split():
        match = _FIELD.fullmatch(token)
        if not match:
            words.append(token)
            continue
        field, value = match.groups()
        if field in ("title", "abstract"):
            words.append(f"{field}:{value}")
        elif field == "upvotes":
            filters.append("meta.upvotes >= ?")
            params.append(int(value.lstrip(">=")))
        elif field == "org":
            filters.append("meta.org like ?")
            params.append(f"%{value}%")
        elif field == "date":
            low = value.lstrip(">=[").split()[0]
            filters.append("meta.date >= ?")
            params.append(low)
    match_text = " ".join(words) + ("*" if typing else "")
    where = " and ".join(["papers match ?"] + filters)
    sql = (
        f"select papers.rowid, title, abstract, bm25(papers, 3.0, 1.0) as rank from papers "
        f"join meta on meta.rowid = papers.rowid where {where} order by rank limit 50"
    )
    return sql, [match_text, *params]


def timed_query(connection: sqlite3.Connection, text: str, typing: bool) -> float:
    sql, params = to_sql(text.replace("[", "").replace("]", ""), typing)
    started = time.perf_counter()
    rows = connection.execute(sql, params).fetchall()
    connection.execute("select count(*) from papers where papers match ?", params[:1]).fetchone()
    del rows
    return (time.perf_counter() - started) * 1000
