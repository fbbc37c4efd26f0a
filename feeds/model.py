"""Records that cross the feeds boundary: what the poller reads and what it hands on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class FeedSource:
    """One feed to poll, from the feeds file or the database."""

    url: str
    name: str | None = None
    lang: str | None = None
    interval: int | None = None  # seconds; None means the service default


@dataclass(frozen=True)
class Article:
    """One normalised feed entry, handed from feeds.parse to the application."""

    title: str
    text: str
    link: str | None
    guid: str | None
    published: datetime  # UTC, aware; first-seen time when the feed gives none
    published_from_feed: bool  # False when `published` is the first-seen fallback
    lang: str | None  # feed's declared language, else the configured one
    feed_url: str = ""


@dataclass(frozen=True)
class Fetched:
    """A 200 answer from fetch_feed: the body and the validators to store."""

    body: bytes
    url: str  # final URL after redirects
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NotModified:
    """A 304 answer from fetch_feed: nothing to parse."""

    url: str


@dataclass(frozen=True)
class ParsedFeed:
    """What feeds.parse made of one body: the articles plus the feed's own metadata."""

    articles: tuple[Article, ...]
    title: str | None
    lang: str | None  # declared by the feed, 2-letter; None when absent or unusable
    version: str  # feedparser's format name ("rss20", "atom10", ...)
    entries: int  # entries in the document, including ones that yielded no article
    problem: str | None = None  # why the document is malformed, when it is (still parsed)


@dataclass(frozen=True)
class FeedState:
    """A feed's stored poll state, from the store to the poller."""

    id: int
    url: str
    name: str | None = None
    lang: str | None = None
    interval: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_items: int | None = None
    error_count: int = 0
    failing_since: datetime | None = None
    next_poll_at: datetime | None = None
    backlog_done: bool = False


@dataclass(frozen=True)
class FeedUpdate:
    """A feed's health after one poll, from the poller to the store (one row update)."""

    polled_at: datetime
    next_poll_at: datetime
    status: int | None  # HTTP status; None when no answer came (timeout, network)
    ok: bool
    etag: str | None = None
    last_modified: str | None = None
    bytes: int | None = None
    items: int | None = None
    error: str | None = None
    error_count: int = 0
    failing_since: datetime | None = None
    backlog_done: bool = False


@dataclass(frozen=True)
class PollResult:
    """The outcome of polling one feed once, from the poller to its caller (CLI, app)."""

    feed_id: int
    url: str
    name: str | None
    outcome: str  # "ok" | "not_modified" | "error"
    new_ids: tuple[int, ...] = ()
    items: int | None = None
    status: int | None = None
    error: str | None = None
    backlog: bool = False  # the articles were this feed's first-poll backlog
    next_poll_at: datetime | None = None
