"""Poll benchmark: N feeds of M items on a local server (127.0.0.1), polled three times.

Round 1 stores everything (backlog), round 2 re-downloads and finds nothing new,
round 3 gets 304s. Prints wall time per round and per feed.

    python benchmarks/bench_poll.py [--feeds 200] [--items 50] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from bot.store import open_db
from bot.store.feeds import SqliteFeedStore
from feeds.fetch import make_client
from feeds.model import FeedSource
from feeds.poller import Poller


def feed_body(feed: int, items: int) -> bytes:
    entries = "".join(
        f"<item><title>Новость {feed}-{i}: суд над палітвязнем</title>"
        f"<link>https://site{feed}.example/news/{i}?utm_source=rss</link>"
        f"<guid>https://site{feed}.example/news/{i}</guid>"
        f"<pubDate>Sat, 21 Nov 2026 10:{i % 60:02d}:00 GMT</pubDate>"
        f"<description>&lt;p&gt;{'Тэкст артыкула. ' * 40}{feed}-{i}&lt;/p&gt;</description></item>"
        for i in range(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Feed {feed}</title><language>be</language>{entries}</channel></rss>"
    ).encode()


async def bench(feeds: int, items: int, concurrency: int, db_path: Path) -> None:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    bodies = {f"/f{n}": feed_body(n, items) for n in range(feeds)}

    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(bodies[request.path], headers={"ETag": '"v1"'})

    for path in bodies:
        server.expect_request(path).respond_with_handler(handler)
    sources = [FeedSource(url=server.url_for(p)) for p in bodies]
    db = open_db(db_path)
    try:
        async with make_client() as client:
            poller = Poller(SqliteFeedStore(db), client, concurrency=concurrency)
            for label, forget_validators in (
                ("first (store all)", False),
                ("again, full bodies", True),
                ("304s", False),
            ):
                if forget_validators:
                    db.execute("UPDATE feeds SET etag = NULL")
                started = time.perf_counter()
                results = await poller.poll_once(sources)
                took = time.perf_counter() - started
                new = sum(len(r.new_ids) for r in results)
                errors = sum(r.outcome == "error" for r in results)
                print(
                    f"{label:20} {took:6.2f} s  {took / feeds * 1000:6.1f} ms/feed  "
                    f"{new:6d} new  {errors} errors"
                )
    finally:
        db.close()
        server.stop()
    size = sum(len(b) for b in bodies.values())
    print(
        f"{feeds} feeds x {items} items, {size / 1e6:.1f} MB per round, concurrency {concurrency}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(bench(args.feeds, args.items, args.concurrency, Path(tmp) / "bench.db"))


if __name__ == "__main__":
    main()
