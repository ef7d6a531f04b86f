"""Where the feeds live and what to fetch: defaults, then ``config.toml``, then the environment.

``config.toml`` beside the state file::

    [fetch]
    hf_api = "https://huggingface.co/api"        # a mirror, or a test server
    arxiv_api = "https://export.arxiv.org/api/query"
    arxiv_categories = ["cs.LG", "cs.CL"]       # what F in the reader also fetches

``PAPERS_HF_API`` and ``PAPERS_ARXIV_API`` override the bases (tests point them at a
server on 127.0.0.1). On a slow or flaky link, ``PAPERS_HTTP_TIMEOUT`` (seconds, default
20), ``PAPERS_HTTP_RETRIES`` (3) and ``PAPERS_HTTP_BACKOFF`` (seconds before the first
retry, doubled after each; 2) tune the client, and ``PAPERS_ARXIV_PAUSE`` the pause
between arXiv requests (3 s, what arXiv asks for) and ``PAPERS_HF_PAUSE`` the one
between title look-ups (0.2 s).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

HF_API = "https://huggingface.co/api"
ARXIV_API = "https://export.arxiv.org/api/query"


@dataclass(frozen=True)
class FeedSettings:
    hf_api: str = HF_API
    arxiv_api: str = ARXIV_API
    arxiv_categories: tuple[str, ...] = ()
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 2.0
    arxiv_pause: float = 3.0
    hf_pause: float = 0.2
    problems: list[str] = field(default_factory=list, compare=False)
    """What was wrong with config.toml (the defaults were used for it)."""


def feed_settings(config_file: Path) -> FeedSettings:
    """The settings in force: ``config.toml``'s ``[fetch]`` table, then the environment."""
    table: dict = {}
    problems: list[str] = []
    try:
        with open(config_file, "rb") as handle:
            table = tomllib.load(handle).get("fetch", {})
    except FileNotFoundError:
        pass
    except (OSError, tomllib.TOMLDecodeError) as error:
        problems.append(f"{config_file}: {error}; using the default feed settings")
    if not isinstance(table, dict):
        problems.append(f"{config_file}: [fetch] should be a table")
        table = {}
    categories = table.get("arxiv_categories", [])
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        problems.append(f'{config_file}: arxiv_categories should be a list such as ["cs.LG"]')
        categories = []
    hf_api = os.environ.get("PAPERS_HF_API") or _text(table, "hf_api", HF_API, problems, config_file)
    arxiv_api = os.environ.get("PAPERS_ARXIV_API") or _text(table, "arxiv_api", ARXIV_API, problems, config_file)
    return FeedSettings(
        hf_api.rstrip("/"),
        arxiv_api,
        tuple(categories),
        timeout=_number("PAPERS_HTTP_TIMEOUT", 20.0, problems),
        retries=int(_number("PAPERS_HTTP_RETRIES", 3, problems)),
        backoff=_number("PAPERS_HTTP_BACKOFF", 2.0, problems),
        arxiv_pause=_number("PAPERS_ARXIV_PAUSE", 3.0, problems),
        hf_pause=_number("PAPERS_HF_PAUSE", 0.2, problems),
        problems=problems,
    )


def _number(name: str, default: float, problems: list[str]) -> float:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return max(0.0, float(value))
    except ValueError:
        problems.append(f"{name}={value!r} is not a number; using {default}")
        return default


def _text(table: dict, key: str, default: str, problems: list[str], config_file: Path) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        problems.append(f"{config_file}: {key} should be an http(s) URL")
        return default
    return value
