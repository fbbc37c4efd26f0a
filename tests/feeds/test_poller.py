"""The poller end to end: a real HTTP server on 127.0.0.1, the real SQLite store in tmp_path."""

from __future__ import annotations

import asyncio
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from bot.store.db import open_db
from bot.store.feeds import SqliteFeedStore
from feeds.fetch import make_client
from feeds.model import FeedSource
from feeds.poller import Poller
from tests.feeds.documents import Item, news, rss

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


class Middle(random.Random):
    """Jitter exactly in the middle, so delays are the schedule's own numbers."""

    def random(self) -> float:
        return 0.5


def poller(db: sqlite_utils.Database, client: Any, **kw: Any) -> Poller:
    kw.setdefault("clock", lambda: NOW)
    kw.setdefault("rng", Middle())
    return Poller(SqliteFeedStore(db), client, default_interval=300, **kw)


def feed_row(db: sqlite_utils.Database, url: str) -> dict[str, Any]:
    return next(db.query("SELECT * FROM feeds WHERE url = ?", [url]))


def count(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM articles").fetchone()[0]


async def test_conditional_get_gives_304_and_stores_nothing_again(
    feed_server: HTTPServer, db: sqlite_utils.Database, client: Any
) -> None:
    body = rss(news(3))
    asked: list[str | None] = []

    def handler(request: Request) -> Response:
        asked.append(request.headers.get("If-None-Match"))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(body, headers={"ETag": '"v1"'}, content_type="application/rss+xml")

    feed_server.expect_request("/feed").respond_with_handler(handler)
    url = feed_server.url_for("/feed")
    p = poller(db, client)
    (first,) = await p.poll_once([FeedSource(url=url, name="Outlet")])
    (second,) = await p.poll_once([FeedSource(url=url, name="Outlet")])
    assert (first.outcome, len(first.new_ids), first.backlog) == ("ok", 3, True)
    assert (second.outcome, second.new_ids) == ("not_modified", ())
    assert asked == [None, '"v1"']
    assert count(db) == 3
    row = feed_row(db, url)
    assert (row["etag"], row["last_status"], row["backlog_done"], row["last_items"]) == (
        '"v1"',
        304,
        1,
        3,
    )
    assert {r["source"] for r in db.query("SELECT source FROM articles")} == {"Outlet"}


async def test_backoff_after_500_then_recovery(
    feed_server: HTTPServer, db: sqlite_utils.Database, client: Any
) -> None:
    feed_server.expect_request("/feed").respond_with_data("boom", status=500)
    url = feed_server.url_for("/feed")
    delays, counts = [], []
    for _ in range(3):
        (result,) = await poller(db, client).poll_once([FeedSource(url=url)])
        assert result.outcome == "error" and result.status == 500
        row = feed_row(db, url)
        delays.append((datetime.fromisoformat(row["next_poll_at"]) - NOW).total_seconds())
        counts.append(row["error_count"])
    assert counts == [1, 2, 3]
    assert delays == [600, 1200, 2400]
    assert row["last_error"] == "HTTP 500 INTERNAL SERVER ERROR"
    assert row["failing_since"] == "2026-11-22T03:00:00Z" and row["last_success_at"] is None

    feed_server.clear()
    feed_server.expect_request("/feed").respond_with_data(rss(news(1)))
    (result,) = await poller(db, client).poll_once([FeedSource(url=url)])
    row = feed_row(db, url)
    assert result.outcome == "ok"
    assert (row["error_count"], row["failing_since"], row["last_status"]) == (0, None, 200)
    assert datetime.fromisoformat(row["next_poll_at"]) - NOW == timedelta(seconds=300)


async def test_429_retry_after_is_honoured(
    feed_server: HTTPServer, db: sqlite_utils.Database, client: Any
) -> None:
    feed_server.expect_request("/feed").respond_with_data(
        "", status=429, headers={"Retry-After": "7200"}
    )
    url = feed_server.url_for("/feed")
    (result,) = await poller(db, client).poll_once([FeedSource(url=url)])
    assert result.status == 429
    assert result.next_poll_at == NOW + timedelta(seconds=7200)
    assert feed_row(db, url)["next_poll_at"] == "2026-11-22T05:00:00Z"


async def test_huge_body_and_redirect_loop_fail_alone(
    feed_server: HTTPServer, db: sqlite_utils.Database, client: Any
) -> None:
    feed_server.expect_request("/huge").respond_with_data(b"<rss>" + b" " * 10_000_000)
    feed_server.expect_request("/loop").respond_with_response(
        Response(status=302, headers={"Location": "/loop"})
    )
    feed_server.expect_request("/small").respond_with_data(rss(news(2)))
    urls = [feed_server.url_for(p) for p in ("/huge", "/loop", "/small")]
    p = poller(db, client, max_bytes=1_000_000)
    huge, loop, small = await p.poll_once([FeedSource(url=u) for u in urls])
    assert huge.outcome == "error" and "byte limit" in (huge.error or "")
    assert loop.outcome == "error" and "too many redirects" in (loop.error or "")
    assert small.outcome == "ok" and len(small.new_ids) == 2
    assert feed_row(db, urls[0])["last_error"] == huge.error


async def test_slow_feed_does_not_delay_the_others(
    feed_server: HTTPServer, db: sqlite_utils.Database, client: Any
) -> None:
    def slow(request: Request) -> Response:
        time.sleep(3)
        return Response(rss(news(1)))

    feed_server.expect_request("/slow").respond_with_handler(slow)
    for i in range(4):
        feed_server.expect_request(f"/fast{i}").respond_with_data(rss(news(1, prefix=f"F{i}")))
    sources = [FeedSource(url=feed_server.url_for("/slow"))]
    sources += [FeedSource(url=feed_server.url_for(f"/fast{i}")) for i in range(4)]
    started = time.monotonic()
    results = await poller(db, client, timeout=0.6).poll_once(sources)
    elapsed = time.monotonic() - started
    assert elapsed < 3.0  # cut at the 0.6 s timeout, not held for the slow feed's 3 s
    assert results[0].outcome == "error" and "timed out" in (results[0].error or "")
    assert [r.outcome for r in results[1:]] == ["ok"] * 4


async def test_empty_200_is_a_health_error_not_quiet_news(
    feed_server: HTTPServer, db: sqlite_utils.Database, client: Any
) -> None:
    feed_server.expect_request("/zombie").respond_with_data(
        b"\n\n    \r\n  \n", content_type="text/xml"
    )
    url = feed_server.url_for("/zombie")
    (result,) = await poller(db, client).poll_once([FeedSource(url=url)])
    row = feed_row(db, url)
    assert result.outcome == "error" and result.status == 200
    assert row["last_error"] == "empty body (11 bytes): no feed document"
    assert (row["error_count"], row["last_bytes"], row["backlog_done"]) == (1, 11, 0)


async def test_restart_on_the_same_file_reinserts_nothing(
    feed_server: HTTPServer, db_path: Path
) -> None:
    # No validators: every poll downloads the whole feed again.
    feed_server.expect_request("/feed").respond_with_data(rss(news(5)))
    source = FeedSource(url=feed_server.url_for("/feed"))
    for expected in (5, 0):
        database = open_db(db_path)
        async with make_client() as c:
            (result,) = await poller(database, c).poll_once([source])
        assert len(result.new_ids) == expected
        database.close()
    database = open_db(db_path)
    assert count(database) == 5
    database.close()


async def test_backlog_first_then_new_items_reach_the_callback(
    feed_server: HTTPServer, db: sqlite_utils.Database, client: Any
) -> None:
    items = news(2)
    feed_server.expect_request("/feed").respond_with_handler(lambda r: Response(rss(items)))
    handed: list[list[int]] = []

    async def on_new(ids: list[int]) -> None:
        handed.append(ids)

    p = poller(db, client, on_new_articles=on_new)
    source = FeedSource(url=feed_server.url_for("/feed"))
    (first,) = await p.poll_once([source])
    items.append(Item("Breaking", "<p>Fresh</p>", link="https://news.example.org/fresh"))
    (second,) = await p.poll_once([source])
    assert first.backlog and not second.backlog and len(second.new_ids) == 1
    assert handed == [list(first.new_ids), list(second.new_ids)]
    flags = dict(db.execute("SELECT title, backlog FROM articles").fetchall())
    assert flags == {"Story 1": 1, "Story 2": 1, "Breaking": 0}


async def test_run_polls_when_due_and_a_hung_feed_does_not_hold_the_loop(
    feed_server: HTTPServer, db: sqlite_utils.Database, client: Any
) -> None:
    def hung(request: Request) -> Response:
        time.sleep(4)
        return Response(rss(news(1)))

    feed_server.expect_request("/hung").respond_with_handler(hung)
    feed_server.expect_request("/fast").respond_with_data(rss(news(1)))
    sources = [
        FeedSource(url=feed_server.url_for("/hung"), interval=1),
        FeedSource(url=feed_server.url_for("/fast"), interval=1),
    ]
    p = Poller(SqliteFeedStore(db), client, timeout=3.5, default_interval=1)
    stop = asyncio.Event()
    task = asyncio.create_task(p.run(sources, stop))
    await asyncio.sleep(2.6)
    stop.set()
    started = time.monotonic()
    await asyncio.wait_for(task, 2)
    assert time.monotonic() - started < 0.5
    fast = sum(1 for request, _ in feed_server.log if request.path == "/fast")
    assert fast >= 2
    assert feed_row(db, sources[0].url)["last_polled_at"] is None  # still in flight when stopped
