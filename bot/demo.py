"""`releasewatch demo`: the whole pipeline offline. Bundled sample articles are served as
feeds on 127.0.0.1, polled, detected, deduplicated, and the alerts printed to the console."""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import re
import sys
import tempfile
import threading
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from typing import Any, TextIO
from xml.sax.saxutils import escape

from feeds.model import FeedSource


@dataclass(frozen=True)
class DemoArticle:
    """One sample article of bot/demo/articles.json, placed in time for this run."""

    feed: str
    wave: int
    published: datetime
    title: str
    text: str

    @property
    def guid(self) -> str:
        return f"demo:{self.feed}:{zlib.crc32(self.title.encode())}"


def load_demo(now: datetime) -> tuple[list[dict[str, str]], list[DemoArticle]]:
    data = json.loads(files("bot").joinpath("demo/articles.json").read_text("utf-8"))
    articles = [
        DemoArticle(a["feed"], a["wave"], now - timedelta(hours=a["hours_ago"]), a["title"], a["text"])
        for a in data["articles"]
    ]
    return data["feeds"], articles


def rss(feed: dict[str, str], articles: Sequence[DemoArticle], base: str) -> bytes:
    items = "".join(
        f"<item><title>{escape(a.title)}</title>"
        f"<link>{base}/{feed['slug']}/{a.guid.rsplit(':', 1)[1]}</link>"
        f"<guid isPermaLink=\"false\">{a.guid}</guid>"
        f"<pubDate>{format_datetime(a.published)}</pubDate>"
        f"<description>{escape(a.text)}</description></item>"
        for a in sorted(articles, key=lambda a: a.published, reverse=True)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(feed['name'])}</title><link>{base}/{feed['slug']}</link>"
        f"<language>{feed['lang']}</language>{items}</channel></rss>"
    ).encode()


class DemoFeeds:
    """The sample feeds, served on 127.0.0.1; `publish(wave)` makes a later wave visible."""

    def __init__(self, feeds: list[dict[str, str]], articles: list[DemoArticle]) -> None:
        self.feeds = feeds
        self.articles = articles
        self.wave = 0
        self._server: ThreadingHTTPServer | None = None

    def publish(self, wave: int) -> None:
        self.wave = wave

    def body(self, slug: str) -> bytes | None:
        feed = next((f for f in self.feeds if f["slug"] == slug), None)
        if feed is None:
            return None
        visible = [a for a in self.articles if a.feed == slug and a.wave <= self.wave]
        return rss(feed, visible, self.base)

    @property
    def base(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def sources(self) -> list[FeedSource]:
        return [
            FeedSource(url=f"{self.base}/{f['slug']}.xml", name=f["name"], lang=f["lang"])
            for f in self.feeds
        ]

    @contextmanager
    def serving(self) -> Iterator[DemoFeeds]:
        demo = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                body = demo.body(self.path.strip("/").removesuffix(".xml"))
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()


def console_text(message_html: str) -> str:
    """A Telegram HTML message as plain console text (links shown as 'name (url)')."""
    text = re.sub(r'<a href="([^"]*)">(.*?)</a>', r"\2 (\1)", message_html)
    text = re.sub(r"</?blockquote>", "", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def print_changes(db: Any, changes: Sequence[Any], out: TextIO) -> int:
    """Print, once each, the alerts subscribers would see created or edited; return how many."""
    from bot.telegram.render import render_alert

    visible: dict[int, Any] = {}
    for change in changes:
        if change.change == "linked" or not change.alerting:
            continue
        # Several articles of one poll may touch one alert: show its final state once.
        first = visible.setdefault(change.alert_id, change)
        if first.change != "created":
            visible[change.alert_id] = change
    shown = 0
    for change in visible.values():
        alert = db.execute("SELECT * FROM alerts WHERE id = ?", [change.alert_id]).fetchone()
        columns = [d[0] for d in db.execute("SELECT * FROM alerts LIMIT 0").description]
        row = dict(zip(columns, alert, strict=True))
        articles = [
            dict(zip(("url", "source"), r, strict=True))
            for r in db.execute(
                "SELECT a.url, a.source FROM alert_articles aa JOIN articles a ON a.id = aa.article_id"
                " WHERE aa.alert_id = ? ORDER BY aa.added_at, a.id",
                [change.alert_id],
            )
        ]
        if change.change == "created":
            label = f"NEW ALERT #{row['id']}"
        else:
            label = f"UPDATED ALERT #{row['id']} (sent messages are edited)"
        if row["certainty"] == "expected":
            label += " · early signal, sent only to chats that opted in"
        print(f"── {label} ──", file=out)
        print(console_text(render_alert(row, articles, "en")), file=out)
        print(file=out)
        shown += 1
    return shown


def in_publication_order(db: Any, ids: set[int]) -> list[int]:
    """Feeds answer in any order; fold their new articles in the order they were published."""
    rows = db.execute("SELECT id, published FROM articles").fetchall()
    return [i for i, _ in sorted((r for r in rows if r[0] in ids), key=lambda r: (r[1], r[0]))]


async def run_demo(db_path: Path, out: TextIO, now: datetime) -> int:
    from bot.pipeline import process_articles
    from bot.store import open_db
    from bot.store.feeds import SqliteFeedStore
    from feeds.fetch import make_client
    from feeds.poller import Poller

    feeds, articles = load_demo(now)
    db = open_db(db_path)
    total = 0
    with DemoFeeds(feeds, articles).serving() as demo:
        async with make_client(timeout=10) as client:
            poller = Poller(SqliteFeedStore(db), client)
            for wave, note in [
                (0, "first poll of three new feeds: their backlog is stored, never alerted"),
                (1, "the outlets publish the day's news"),
                (2, "a later article recalls the same pardon"),
            ]:
                demo.publish(wave)
                results = await poller.poll_once(demo.sources())
                ids = in_publication_order(db, {i for r in results for i in r.new_ids})
                errors = [f"{r.name}: {r.error}" for r in results if r.outcome == "error"]
                print(f"== poll {wave + 1}: {note} ({len(ids)} new articles)", file=out)
                for error in errors:
                    print(f"   feed error: {error}", file=out)
                shown = print_changes(db, process_articles(db, ids, now=now), out)
                if not shown:
                    print("   (no alert)", file=out)
                total += shown
    db.conn.close()
    return total


def cmd_demo(args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    if args.db:
        asyncio.run(run_demo(Path(args.db), sys.stdout, now))
        return 0
    with tempfile.TemporaryDirectory(prefix="releasewatch-demo-") as tmp:
        asyncio.run(run_demo(Path(tmp) / "demo.db", sys.stdout, now))
    return 0
