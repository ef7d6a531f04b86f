"""Getting one response over HTTP, the way a polite, patient client does.

Timeouts on every request; retries with exponential backoff for what is worth a retry
(429 honouring ``Retry-After``, 5xx, timeouts, dropped connections); and checks that
what came back is what was asked for: a truncated body or an HTML error page is a
failure, not data. A failure is one :class:`FetchError` whose message is one line.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from index import __version__

USER_AGENT = f"papers/{__version__} (a terminal paper reader; +https://pypi.org/project/papers/)"
TIMEOUT = httpx.Timeout(20.0, connect=10.0)
RETRIES = 3
BACKOFF = 2.0
"""Seconds before the first retry; doubled after each."""
MAX_RETRY_AFTER = 60.0
"""A server asking for a longer pause than this gets a failure instead (run again later)."""
RETRY_STATUS = {429, 500, 502, 503, 504}


class FetchError(Exception):
    """One request failed for good; ``str()`` is one line naming the URL and the reason."""


@dataclass
class Client:
    """An HTTP client with the retry policy above; ``sleep`` is replaceable for tests."""

    timeout: httpx.Timeout = field(default_factory=lambda: TIMEOUT)
    retries: int = RETRIES
    backoff: float = BACKOFF
    sleep: Callable[[float], None] = time.sleep

    @classmethod
    def from_settings(cls, settings) -> Client:
        """A client with the timeout and retry policy of :class:`FeedSettings`."""
        return cls(
            timeout=httpx.Timeout(settings.timeout, connect=min(settings.timeout, 10.0)),
            retries=settings.retries,
            backoff=settings.backoff,
        )

    def __post_init__(self) -> None:
        self._http = httpx.Client(
            timeout=self.timeout, headers={"User-Agent": USER_AGENT}, follow_redirects=True, trust_env=False
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, params: dict[str, str | int] | None = None, expect: str = "json") -> bytes:
        """The body of a successful GET whose content looks like ``expect`` (json or xml)."""
        shown = _shown(url, params)
        delay = self.backoff
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response = self._http.get(url, params=params)
                body = response.content  # read whole: a cut connection raises here
            except httpx.TimeoutException:
                if last:
                    raise FetchError(f"{shown}: timed out after {self.retries + 1} tries") from None
            except httpx.RemoteProtocolError:
                if last:
                    raise FetchError(f"{shown}: truncated response (the connection closed early)") from None
            except httpx.TransportError as error:
                if last:
                    raise FetchError(f"{shown}: cannot connect ({_reason(error)})") from None
            else:
                if response.status_code in RETRY_STATUS and not last:
                    wait = _retry_after(response, delay)
                    if wait > MAX_RETRY_AFTER:
                        raise FetchError(f"{shown}: HTTP {response.status_code}, asked to wait {wait:.0f} s; try later")
                    self.sleep(wait)
                    delay *= 2
                    continue
                return _checked(shown, response, body, expect)
            self.sleep(delay)
            delay *= 2
        raise FetchError(f"{shown}: gave up")  # not reached: the last attempt returns or raises


def _checked(shown: str, response: httpx.Response, body: bytes, expect: str) -> bytes:
    if response.status_code != 200:
        detail = _error_detail(body)
        raise FetchError(f"{shown}: HTTP {response.status_code}{(': ' + detail) if detail else ''}")
    length = response.headers.get("content-length")
    if (
        length
        and length.isdigit()
        and int(length) != len(response.content)
        and "content-encoding" not in response.headers
    ):
        raise FetchError(f"{shown}: truncated response ({len(body)} of {length} bytes)")
    head = body.lstrip()[:200].lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:50]:
        raise FetchError(f"{shown}: got an HTML page instead of {expect.upper()} (a proxy or an error page?)")
    if not body.strip():
        raise FetchError(f"{shown}: empty response")
    return body


def _retry_after(response: httpx.Response, default: float) -> float:
    value = response.headers.get("retry-after", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return default


def _error_detail(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip()
    if text.startswith("{"):
        import json

        try:
            data = json.loads(text)
            if isinstance(data, dict) and isinstance(data.get("error"), str):
                return data["error"][:120]
        except ValueError:
            pass
    return ""


def _reason(error: Exception) -> str:
    return str(error).split("\n")[0][:120] or type(error).__name__


def _shown(url: str, params: dict[str, str | int] | None) -> str:
    if not params:
        return url
    return f"{url}?" + "&".join(f"{key}={value}" for key, value in params.items())
