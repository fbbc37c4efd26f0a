"""`releasewatch poll --once` and `releasewatch feeds`: poll by hand and show feed health."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from bot.settings import SettingsError, load_settings
from bot.store.articles import get_articles
from bot.store.db import StoreError, open_db
from bot.store.feeds import SqliteFeedStore, feed_rows, parse_time
from bot.store.migrations import SchemaTooNew
from feeds.fetch import make_client
from feeds.model import FeedSource, PollResult
from feeds.poller import Poller
from feeds.sources import SourcesError, load_sources


class UsageError(Exception):
    """Bad configuration given on the command line or in the environment."""


def cmd_poll(args: argparse.Namespace) -> int:
    """Poll every feed once; print each feed's new articles (title, link) or its error."""
    try:
        sources = load_sources(args.feeds)
        db_path, interval = _db_and_interval(args)
        db = open_db(db_path)
    except (UsageError, SourcesError, SettingsError, StoreError, SchemaTooNew) as e:
        print(f"releasewatch poll: {e}", file=sys.stderr)
        return 2
    try:
        results = asyncio.run(_poll(db, sources, interval))
        print_results(db, results, sys.stdout)
    finally:
        db.close()
    return 0


async def _poll(db: Any, sources: Sequence[FeedSource], interval: int) -> list[PollResult]:
    async with make_client() as client:
        poller = Poller(SqliteFeedStore(db), client, default_interval=interval)
        return await poller.poll_once(sources)


def print_results(db: Any, results: Sequence[PollResult], out: TextIO) -> None:
    """One block per feed: the outcome line, then the new articles."""
    totals = {"new": 0, "errors": 0}
    for result in results:
        label = f"{result.name} <{result.url}>" if result.name else result.url
        if result.outcome == "error":
            totals["errors"] += 1
            print(f"{label}: ERROR {result.error}", file=out)
            continue
        if result.outcome == "not_modified":
            print(f"{label}: not modified", file=out)
            continue
        note = " (first poll: stored as backlog, will not alert)" if result.backlog else ""
        print(f"{label}: {len(result.new_ids)} new of {result.items} items{note}", file=out)
        for row in get_articles(db, result.new_ids):
            print(f"  - {row['title']}", file=out)
            if row["url"]:
                print(f"    {row['url']}", file=out)
        totals["new"] += len(result.new_ids)
    print(
        f"{len(results)} feeds polled, {totals['new']} new articles, {totals['errors']} feeds failed",
        file=out,
    )


def cmd_feeds(args: argparse.Namespace) -> int:
    """List the feeds (from the feeds file and the database) with their health."""
    try:
        sources = load_sources(args.feeds)
        db_path, _ = _db_and_interval(args)
        rows: list[dict[str, Any]] = []
        if str(db_path) == ":memory:" or Path(db_path).exists():
            db = open_db(db_path)
            try:
                rows = feed_rows(db)
            finally:
                db.close()
    except (UsageError, SourcesError, SettingsError, StoreError, SchemaTooNew) as e:
        print(f"releasewatch feeds: {e}", file=sys.stderr)
        return 2
    print_health(sources, rows, datetime.now(UTC), sys.stdout)
    return 0


def print_health(
    sources: Sequence[FeedSource], rows: Sequence[dict[str, Any]], now: datetime, out: TextIO
) -> None:
    """Feeds of the file in its order, then feeds only the database knows."""
    by_url = {r["url"]: r for r in rows}
    listed = [(s.name, s.url, by_url.get(s.url)) for s in sources]
    file_urls = {s.url for s in sources}
    listed += [(r["name"], r["url"], r) for r in rows if r["url"] not in file_urls]
    failing = 0
    for name, url, row in listed:
        print(f"{name or '(no name)'}  {url}", file=out)
        if row is None or not row["last_polled_at"]:
            print("  never polled", file=out)
            continue
        if not row["active"]:
            print("  inactive", file=out)
        if row["last_success_at"]:
            print(
                f"  last success {_when(row['last_success_at'], now)}"
                f" ({row['last_items'] if row['last_items'] is not None else '?'} items)",
                file=out,
            )
        else:
            print("  never succeeded", file=out)
        if row["error_count"]:
            failing += 1
            print(
                f"  FAILING since {_when(row['failing_since'], now)},"
                f" {row['error_count']} errors in a row: {row['last_error']}",
                file=out,
            )
        elif row["last_error"]:
            print(f"  last error {_when(row['last_error_at'], now)}: {row['last_error']}", file=out)
        if row["next_poll_at"]:
            print(f"  next poll {_when(row['next_poll_at'], now)}", file=out)
    print(f"{len(listed)} feeds, {failing} failing", file=out)


def _when(value: str | None, now: datetime) -> str:
    moment = parse_time(value)
    if moment is None:
        return "never"
    seconds = int((moment - now).total_seconds())
    span = abs(seconds)
    if span < 90:
        rel = f"{span} s"
    elif span < 5400:
        rel = f"{span // 60} min"
    elif span < 2 * 86400:
        rel = f"{span // 3600} h"
    else:
        rel = f"{span // 86400} days"
    rel = f"in {rel}" if seconds > 0 else f"{rel} ago"
    return f"{moment:%Y-%m-%d %H:%M}Z ({rel})"


def _db_and_interval(args: argparse.Namespace) -> tuple[Path, int]:
    settings = load_settings()
    db = Path(args.db) if getattr(args, "db", None) else settings.db_path
    if db.is_dir():
        raise UsageError(f"--db {db} is a directory, not a database file")
    return db, settings.poll_seconds
