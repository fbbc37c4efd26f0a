"""Poll benchmark: N feeds of M items on a local server (127.0.0.1), polled three times.

Round 1 stores everything (backlog), round 2 re-downloads and finds nothing new,
round 3 gets 304s; with --mixed SHARE a fourth round has SHARE of the feeds answer 200 (with
nothing new) and the rest 304. Prints per round the wall time, feeds/s, the poller's CPU
seconds and the process's peak memory; the server runs in a child process, so its work is
not counted.

    python benchmarks/bench_poll.py [--feeds 200] [--items 50] [--concurrency 8] [--mixed 0.2]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import resource
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


def serve(feeds: int, items: int, ports: multiprocessing.Queue[int]) -> None:
    """The feed server, in its own process: 304 when the client holds the ETag."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    bodies = {f"/f{n}": feed_body(n, items) for n in range(feeds)}

    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(bodies[request.path], headers={"ETag": '"v1"'})

    for path in bodies:
        server.expect_request(path).respond_with_handler(handler)
    server.start()
    ports.put(server.port)
    while True:
        time.sleep(3600)


async def bench(
    feeds: int, items: int, concurrency: int, db_path: Path, port: int, mixed: float
) -> None:
    sources = [FeedSource(url=f"http://127.0.0.1:{port}/f{n}") for n in range(feeds)]
    rounds: list[tuple[str, int | None]] = [
        ("first (store all)", None),
        ("again, full bodies", feeds),
        ("304s", 0),
    ]
    if mixed:
        rounds.append((f"{mixed:.0%} 200, rest 304", round(feeds * mixed)))
    db = open_db(db_path)
    try:
        async with make_client() as client:
            poller = Poller(SqliteFeedStore(db), client, concurrency=concurrency)
            for label, full in rounds:
                if full:  # these feeds forget their ETag and get the whole body again
                    db.execute("UPDATE feeds SET etag = NULL WHERE id IN "
                               "(SELECT id FROM feeds ORDER BY id LIMIT ?)", [full])
                cpu, started = time.process_time(), time.perf_counter()
                results = await poller.poll_once(sources)
                took, cpu = time.perf_counter() - started, time.process_time() - cpu
                new = sum(len(r.new_ids) for r in results)
                errors = sum(r.outcome == "error" for r in results)
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(
                    f"{label:20} {took:6.2f} s  {took / feeds * 1000:6.1f} ms/feed  "
                    f"{feeds / took:7.1f} feeds/s  {cpu:6.2f} CPU s  peak {peak:5.0f} MB  "
                    f"{new:6d} new  {errors} errors"
                )
    finally:
        db.close()
    size = len(feed_body(0, items)) * feeds
    print(
        f"{feeds} feeds x {items} items, {size / 1e6:.1f} MB per full round, "
        f"concurrency {concurrency}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--mixed", type=float, default=0.0,
                        help="a fourth round with this share of 200s among 304s")
    args = parser.parse_args()
    ports: multiprocessing.Queue[int] = multiprocessing.Queue()
    server = multiprocessing.Process(
        target=serve, args=(args.feeds, args.items, ports), daemon=True
    )
    server.start()
    try:
        port = ports.get(timeout=60)
        with tempfile.TemporaryDirectory() as tmp:
            asyncio.run(bench(args.feeds, args.items, args.concurrency, Path(tmp) / "bench.db",
                              port, args.mixed))
    finally:
        server.terminate()
        server.join()


if __name__ == "__main__":
    main()
