"""A real HTTP server on 127.0.0.1 that answers like the Hugging Face and arXiv APIs,
with the failures real networks produce: 429 with Retry-After, 500, a hang past the
client's timeout, a body cut short, an HTML error page.

Responses are made here in the real formats (records shaped like ``/api/daily_papers``
items, Atom feeds like ``export.arxiv.org/api/query``); nothing is copied from anywhere.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape


def hf_record(arxiv_id: str, title: str, upvotes: int = 3, day: str = "2025-11-20", **paper) -> dict:
    """One ``/api/daily_papers`` item, as the API shapes it."""
    return {
        "paper": {
            "id": arxiv_id,
            "authors": [
                {"_id": "65a1", "name": "Ada Lovelace", "hidden": False},
                {"_id": "65a2", "name": "Hidden Person", "hidden": True},
            ],
            "publishedAt": f"{day}T17:59:58.000Z",
            "submittedOnDailyAt": f"{day}T00:00:00.000Z",
            "title": title,
            "summary": f"We study {title.lower()}.\nResults improve\non benchmarks.",
            "upvotes": upvotes,
            "discussionId": "6543210fedcba9876543210f",
            **paper,
        },
        "publishedAt": f"{day}T02:31:47.512Z",
        "title": title,
        "summary": f"We study {title.lower()}.",
        "thumbnail": f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{arxiv_id}.png",
        "numComments": 1,
        "submittedBy": {"_id": "60f1", "avatarUrl": "/avatars/x.svg", "fullname": "AK", "isPro": False, "type": "user"},
        "isAuthorParticipating": False,
    }


def atom_feed(entries: list[tuple[str, str, str]]) -> bytes:
    """An arXiv API feed of ``(arxiv id with version, title, abstract)`` entries."""
    items = "".join(
        f"""  <entry>
    <id>http://arxiv.org/abs/{arxiv_id}</id>
    <title>{escape(title)}</title>
    <updated>2025-11-20T09:45:30Z</updated>
    <link href="https://arxiv.org/abs/{arxiv_id}" rel="alternate" type="text/html"/>
    <link href="https://arxiv.org/pdf/{arxiv_id}" rel="related" type="application/pdf" title="pdf"/>
    <summary>  {escape(abstract)}</summary>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <published>2025-11-20T17:30:02Z</published>
    <arxiv:primary_category term="cs.LG"/>
    <author><name>Grace Hopper</name><arxiv:affiliation>Navy</arxiv:affiliation></author>
  </entry>
"""
        for arxiv_id, title, abstract in entries
    )
    return f"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/test</id>
  <title>arXiv Query</title>
  <updated>2025-11-20T14:02:11Z</updated>
  <opensearch:itemsPerPage>{len(entries)}</opensearch:itemsPerPage>
  <opensearch:totalResults>{len(entries)}</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
{items}</feed>
""".encode()


ARXIV_ERROR = b"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <id>https://arxiv.org/</id><title>arXiv Search Results</title>
  <opensearch:totalResults>1</opensearch:totalResults>
  <entry><id>https://arxiv.org/api/errors#bad_query</id><title>Error</title>
    <summary>malformed query</summary><author><name>arXiv api core</name></author></entry>
</feed>
"""


@dataclass
class Answer:
    """What the server does for one request: a body, or one of the failures."""

    status: int = 200
    body: bytes = b"[]"
    kind: str = "ok"
    """``ok``, ``hang`` (sleep past any timeout), ``truncate`` (promise more than is sent)."""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


@dataclass
class FeedServer:
    hf_days: dict[str, list[Answer]] = field(default_factory=dict)
    """date -> answers to give in turn (the last repeats)."""
    search: dict[str, list[dict]] = field(default_factory=dict)
    """lower-case query -> records the papers search returns."""
    arxiv: dict[str, Answer] = field(default_factory=dict)
    """category -> answer."""
    requests: list[str] = field(default_factory=list)
    url: str = ""

    def answer(self, path: str, query: dict[str, list[str]]) -> Answer:
        if path.endswith("/daily_papers"):
            answers = self.hf_days.get(query.get("date", [""])[0], [Answer()])
            return answers.pop(0) if len(answers) > 1 else answers[0]
        if path.endswith("/papers/search"):
            records = self.search.get(query.get("q", [""])[0].lower(), [])
            return Answer(body=json.dumps(records).encode())
        if path.endswith("/query"):
            search = query.get("search_query", [""])[0]
            category = search.split("cat:", 1)[1].split()[0] if "cat:" in search else ""
            return self.arxiv.get(category, Answer(400, ARXIV_ERROR, content_type="application/atom+xml"))
        return Answer(404, b'{"error": "Not Found"}')


@contextmanager
def feed_server(config: FeedServer) -> Iterator[FeedServer]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server name)
            parts = urlsplit(self.path)
            config.requests.append(self.path)
            answer = config.answer(parts.path, parse_qs(parts.query))
            if answer.kind == "hang":
                time.sleep(5)
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            length = len(answer.body) * 2 if answer.kind == "truncate" else len(answer.body)
            self.send_header("Content-Length", str(length))
            self.end_headers()
            try:
                self.wfile.write(answer.body)
            except OSError:
                pass  # the client gave up (the hang): fine
            if answer.kind == "truncate":
                self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base's name)
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    config.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield config
    finally:
        server.shutdown()
        server.server_close()
