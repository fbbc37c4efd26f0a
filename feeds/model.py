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
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NotModified:
    """A 304 answer from fetch_feed: nothing to parse."""

    url: str
