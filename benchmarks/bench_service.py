"""The real `releasewatch run` process against a local feed server and the fake Bot API.

    python benchmarks/bench_service.py latency [--items 30] [--chats 3]
        Publishes items one by one at random moments and times each from its publication to the
        first sendMessage of its alert at the fake Bot API, at RELEASEWATCH_POLL_SECONDS=1; then
        derives the latency at the default 300 s interval from the poll schedule (jitter
        included) plus the measured processing time (first fetch of the item -> sendMessage).

    python benchmarks/bench_service.py idle [--feeds 200] [--chats 10000]
        Resident memory of the process after start-up and a few poll cycles of 304s.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pytest_httpserver import HTTPServer  # noqa: E402
from werkzeug import Request, Response  # noqa: E402

from bot.store import open_db  # noqa: E402
from feeds.schedule import next_poll_at  # noqa: E402
from tests.bot.test_delivery import seed_chats  # noqa: E402
from tests.fakebotapi import FakeBotApi  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def count_of(i: int) -> int:
    return 13 + 10 * i  # one pardon occasion per item: never round, never near another


def item_xml(i: int, published: datetime) -> str:
    n = count_of(i)
    return (
        f"<item><title>Lukashenko pardons {n} political prisoners</title>"
        f"<link>https://news.example/{i}</link><guid>g{i}</guid>"
        f"<description>{n} political prisoners were pardoned and released, Viasna said."
        f"</description><pubDate>{format_datetime(published)}</pubDate></item>"
    )


def rss(items: str) -> str:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet</title>'
        f"<link>https://news.example/</link><language>en</language>{items}</channel></rss>"
    )


def start_service(folder: Path, api: FakeBotApi, feeds: list[str], poll: int) -> subprocess.Popen[bytes]:
    (folder / "feeds.toml").write_text(
        "".join(f'[[feed]]\nurl = "{url}"\nlang = "en"\n' for url in feeds)
    )
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_URL": api.base_url,
           "RELEASEWATCH_DB": str(folder / "rw.db"), "RELEASEWATCH_POLL_SECONDS": str(poll)}
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--feeds", str(folder / "feeds.toml")],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=(folder / "run.log").open("wb"),
    )


def prepare_db(folder: Path, feeds: list[str], chats: int) -> None:
    """Subscribed chats, and the feeds as polled before (their new items alert)."""
    db = open_db(folder / "rw.db")
    seed_chats(db, [(1_000_000 + i, 0) for i in range(chats)])
    now = datetime.now(UTC).isoformat()
    for url in feeds:
        db.execute("INSERT INTO feeds (url, lang, backlog_done, added_at) VALUES (?, 'en', 1, ?)",
                   [url, now])
    db.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def latency(items: int, chats: int, seed: int) -> None:
    rng = random.Random(seed)
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    published_at: dict[int, float] = {}  # item -> monotonic time it appeared in the feed
    fetched_at: dict[int, float] = {}  # item -> first time the feed was served with it
    lock = threading.Lock()
    base = datetime.now(UTC) - timedelta(days=5 * items + 10)

    def handler(request: Request) -> Response:
        now = time.monotonic()
        with lock:
            visible = sorted(published_at)
            for i in visible:
                fetched_at.setdefault(i, now)
        body = "".join(item_xml(i, base + timedelta(days=5 * i)) for i in visible)
        return Response(rss(body), content_type="application/rss+xml")

    server.expect_request("/feed.xml").respond_with_handler(handler)
    server.start()
    url = server.url_for("/feed.xml")
    with tempfile.TemporaryDirectory() as tmp, FakeBotApi() as api:
        folder = Path(tmp)
        prepare_db(folder, [url], chats)
        service = start_service(folder, api, [url], poll=1)
        try:
            assert api.wait_until(lambda: bool(api.calls_to("getUpdates")), timeout=30)
            time.sleep(2)
            for i in range(items):
                time.sleep(rng.uniform(0.5, 2.5))
                with lock:
                    published_at[i] = time.monotonic()
            expected = items * chats
            api.wait_until(lambda: len(api.calls_to("sendMessage")) >= expected, timeout=120)
        finally:
            service.send_signal(signal.SIGTERM)
            service.wait(30)
            server.stop()
        first_send: dict[int, float] = {}
        for call in api.calls_to("sendMessage"):
            n = int(call.params["text"].split("\n", 1)[0].rsplit(" ", 1)[1])
            first_send.setdefault((n - 13) // 10, call.at)
    total = [first_send[i] - published_at[i] for i in first_send]
    processing = [first_send[i] - fetched_at[i] for i in first_send]
    print(f"items published {items}, alerts delivered {len(first_send)}, chats {chats}")
    print("measured at RELEASEWATCH_POLL_SECONDS=1 (publication -> first sendMessage):")
    print(f"  median {statistics.median(total):6.2f} s   p95 {percentile(total, 0.95):6.2f} s")
    print("processing (first fetch with the item -> first sendMessage):")
    print(f"  median {statistics.median(processing):6.2f} s   "
          f"p95 {percentile(processing, 0.95):6.2f} s")
    derived = derive(processing, 300.0, rng)
    print("derived at the default 300 s (random arrival within the jittered schedule "
          "+ measured processing):")
    print(f"  median {statistics.median(derived):6.1f} s   p95 {percentile(derived, 0.95):6.1f} s")


def derive(processing: list[float], interval: float, rng: random.Random) -> list[float]:
    """Wait for the next poll of an item arriving at a uniformly random moment, on the schedule
    feeds.schedule gives a healthy feed (interval with its jitter), plus a measured processing
    time drawn at random."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    polls = [start]
    while polls[-1] < start + timedelta(days=30):
        polls.append(next_poll_at(polls[-1], interval, jitter=rng.random()))
    span = (polls[-1] - start).total_seconds()
    out = []
    j = 0
    moments = sorted(rng.uniform(0, span - 2 * interval) for _ in range(20_000))
    for moment in moments:
        arrival = start + timedelta(seconds=moment)
        while polls[j] < arrival:
            j += 1
        out.append((polls[j] - arrival).total_seconds() + rng.choice(processing))
    return out


def rss_mb(pid: int) -> tuple[float, float]:
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def idle(feeds: int, chats: int, cycles: int) -> None:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    requests = [0]
    body = rss("".join(item_xml(i, datetime(2026, 1, 1, tzinfo=UTC)) for i in range(20)))
    bodies = {  # distinct articles per feed (links, titles, texts)
        f"/f{n}": body.replace("news.example", f"site{n}.example")
        .replace("Lukashenko", f"Outlet {n}: Lukashenko").replace("Viasna said", f"site {n} says")
        for n in range(feeds)
    }

    def handler(request: Request) -> Response:
        requests[0] += 1
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(bodies[request.path], content_type="application/rss+xml",
                        headers={"ETag": '"v1"'})

    for n in range(feeds):
        server.expect_request(f"/f{n}").respond_with_handler(handler)
    server.start()
    urls = [server.url_for(f"/f{n}") for n in range(feeds)]
    with tempfile.TemporaryDirectory() as tmp, FakeBotApi() as api:
        folder = Path(tmp)
        prepare_db(folder, [], chats)  # new feeds: the first poll stores a backlog, no alerts
        service = start_service(folder, api, urls, poll=5)
        try:
            assert api.wait_until(lambda: bool(api.calls_to("getUpdates")), timeout=60)
            started = rss_mb(service.pid)
            print(f"after start-up         RSS {started[0]:6.1f} MB")
            for cycle in range(1, cycles + 1):
                assert api.wait_until(lambda c=cycle: requests[0] >= c * feeds, timeout=60)
                now = rss_mb(service.pid)
                print(f"after poll cycle {cycle}     RSS {now[0]:6.1f} MB  (peak {now[1]:6.1f} MB)")
            time.sleep(5)
            now = rss_mb(service.pid)
            print(f"idle 5 s later         RSS {now[0]:6.1f} MB  (peak {now[1]:6.1f} MB)")
        finally:
            service.send_signal(signal.SIGTERM)
            service.wait(30)
            server.stop()
        db = open_db(folder / "rw.db")
        stored = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        print(f"{feeds} feeds ({stored} articles stored by the first poll, then 304s), "
              f"{chats} subscribed chats, {requests[0]} feed requests")
        db.close()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="mode", required=True)
    lat = sub.add_parser("latency")
    lat.add_argument("--items", type=int, default=30)
    lat.add_argument("--chats", type=int, default=3)
    lat.add_argument("--seed", type=int, default=1)
    mem = sub.add_parser("idle")
    mem.add_argument("--feeds", type=int, default=200)
    mem.add_argument("--chats", type=int, default=10_000)
    mem.add_argument("--cycles", type=int, default=3)
    args = p.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    if args.mode == "latency":
        latency(args.items, args.chats, args.seed)
    else:
        idle(args.feeds, args.chats, args.cycles)
    return 0


if __name__ == "__main__":
    sys.exit(main())
