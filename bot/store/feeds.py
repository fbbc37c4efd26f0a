"""The feeds table: syncing it from the feeds file, poll state and health; the poller's store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlite_utils

from bot.store.articles import iso, store_articles
from feeds.model import Article, FeedSource, FeedState, FeedUpdate


def sync_feeds(
    db: sqlite_utils.Database, sources: Sequence[FeedSource], *, now: datetime
) -> list[FeedState]:
    """Add feeds not in the table, refresh name/lang/interval of known ones (their poll
    state is kept) and reactivate them; states in `sources` order. Feeds missing from
    `sources` are left as they are.
    """
    with db.atomic():
        for source in sources:
            db.execute(
                """INSERT INTO feeds (url, name, lang, interval, added_at) VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (url) DO UPDATE SET name = excluded.name, lang = excluded.lang,
                       interval = excluded.interval, active = 1""",
                [source.url, source.name, source.lang, source.interval, iso(now)],
            )
    rows = {r["url"]: r for r in feed_rows(db, [s.url for s in sources])}
    return [state_of(rows[s.url]) for s in sources]


def feed_rows(db: sqlite_utils.Database, urls: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Feed rows (all of them, or those with these URLs), ordered by id."""
    if urls is None:
        return list(db.query("SELECT * FROM feeds ORDER BY id"))
    if not urls:
        return []
    marks = ",".join("?" * len(urls))
    return list(db.query(f"SELECT * FROM feeds WHERE url IN ({marks}) ORDER BY id", list(urls)))


def state_of(row: dict[str, Any]) -> FeedState:
    """A feeds row as the poller sees it."""
    return FeedState(
        id=row["id"],
        url=row["url"],
        name=row["name"],
        lang=row["lang"],
        interval=row["interval"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_items=row["last_items"],
        error_count=row["error_count"] or 0,
        failing_since=parse_time(row["failing_since"]),
        next_poll_at=parse_time(row["next_poll_at"]),
        backlog_done=bool(row["backlog_done"]),
    )


def save_feed_update(db: sqlite_utils.Database, feed_id: int, update: FeedUpdate) -> None:
    """Write one poll's outcome to the feed row (the last error stays until a success)."""
    values: dict[str, Any] = {
        "etag": update.etag,
        "last_modified": update.last_modified,
        "last_polled_at": iso(update.polled_at),
        "last_status": update.status,
        "last_bytes": update.bytes,
        "error_count": update.error_count,
        "failing_since": iso(update.failing_since) if update.failing_since else None,
        "next_poll_at": iso(update.next_poll_at),
        "backlog_done": int(update.backlog_done),
    }
    if update.ok:
        values["last_success_at"] = iso(update.polled_at)
        values["last_items"] = update.items
    else:
        values["last_error"] = update.error
        values["last_error_at"] = iso(update.polled_at)
    columns = ", ".join(f"{name} = ?" for name in values)
    db.execute(f"UPDATE feeds SET {columns} WHERE id = ?", [*values.values(), feed_id])


def parse_time(value: str | None) -> datetime | None:
    """A stored ISO time back to an aware datetime."""
    return datetime.fromisoformat(value) if value else None


class SqliteFeedStore:
    """feeds.poller.FeedStore over one SQLite connection (used from the event loop's thread)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def ensure_feeds(self, sources: Sequence[FeedSource], now: datetime) -> list[FeedState]:
        return sync_feeds(self.db, sources, now=now)

    def save_poll(
        self, feed_id: int, update: FeedUpdate, articles: Sequence[Article], *, backlog: bool
    ) -> list[int]:
        # Validators and articles commit together: a crash between them cannot make a
        # 304 hide articles that were never stored.
        with self.db.atomic():
            ids = store_articles(self.db, feed_id, articles, backlog=backlog, now=update.polled_at)
            save_feed_update(self.db, feed_id, update)
        return ids
