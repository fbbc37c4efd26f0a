"""Every saved feed document (feedparser's test corpus and real news feeds) parses without
an exception; those with HTTP headers are also served with them and polled end to end.
"""

from __future__ import annotations

import gzip
import re
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Response

from bot.store.db import open_db
from bot.store.feeds import SqliteFeedStore
from feeds.fetch import make_client
from feeds.model import FeedSource
from feeds.parse import ParseError, parse_feed
from feeds.poller import Poller

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
FEEDPARSER_FILES = 2107
REAL_FILES = 43
# Documents that are not a feed at all: an empty document, JSON (feedparser 6.0 reads no
# JSON Feed), and CDF channels with neither items nor a title.
NOT_FEEDS = {
    "feedparser/illformed/rss_empty_document.xml",
    "feedparser/json/example.json",
    *(
        f"feedparser/wellformed/cdf/{name}.xml"
        for name in (
            "channel_abstract_map_description channel_abstract_map_tagline channel_href_map_link "
            "channel_href_map_links channel_lastmod channel_lastmod_parsed"
        ).split()
    ),
}
_HOSTILE = re.compile(r"alert\(|javascript:|onerror|expression\(", re.IGNORECASE)
_HEADER = re.compile(rb"^Header:\s*([\w-]+):\s*(.*?)\s*$", re.MULTILINE)


def corpus_files(root: Path) -> list[Path]:
    return [
        p
        for folder in ("feedparser", "real")
        for p in sorted((root / folder).rglob("*"))
        if p.is_file() and p.name != "LICENSE" and p.suffix != ".md"
    ]


def _parse_chunk(args: tuple[str, list[str]]) -> tuple[int, list[str], list[str]]:
    root, names = args
    parsed, not_feeds, crashes = 0, [], []
    for name in names:
        body = (Path(root) / name).read_bytes()
        if name.endswith(".gz"):
            body = gzip.decompress(body)
        try:
            result = parse_feed(body, url="http://127.0.0.1/feed.xml", default_lang="en", now=NOW)
            assert all(a.published.tzinfo is not None for a in result.articles)
            # Scripts, styles and event handlers of the hostile documents never reach the text.
            assert "/sanitize/" not in name or not any(
                _HOSTILE.search(a.title + a.text) for a in result.articles
            )
            parsed += 1
        except ParseError:
            not_feeds.append(name)
        except Exception as e:  # collected, so one run names every failure
            crashes.append(f"{name}: {e!r}")
    return parsed, not_feeds, crashes


def test_every_corpus_file_parses_without_an_exception(shared: Path) -> None:
    root = shared / "feeds-corpus"
    files = corpus_files(root)
    names = [str(p.relative_to(root)) for p in files]
    assert sum(n.startswith("feedparser/") for n in names) == FEEDPARSER_FILES
    assert sum(n.startswith("real/") for n in names) == REAL_FILES
    chunks = [(str(root), names[i::2]) for i in range(2)]  # two processes: ~2.5 s, not 5
    with ProcessPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(_parse_chunk, chunks))
    crashes = [c for _, _, cs in outcomes for c in cs]
    not_feeds = {n for _, ns, _ in outcomes for n in ns}
    parsed = sum(p for p, _, _ in outcomes)
    assert crashes == []
    assert not_feeds == NOT_FEEDS
    assert parsed + len(not_feeds) == FEEDPARSER_FILES + REAL_FILES == 2150


async def test_corpus_served_with_its_headers_is_polled_end_to_end(
    shared: Path, feed_server: HTTPServer, tmp_path: Path
) -> None:
    root = shared / "feeds-corpus"
    served: dict[str, str] = {}  # url path -> corpus name
    for path in sorted((root / "feedparser").rglob("*.xml")):
        body = path.read_bytes()
        headers = {k.decode(): v.decode("latin-1") for k, v in _HEADER.findall(body[:2000])}
        if not headers:
            continue
        name = str(path.relative_to(root))
        feed_server.expect_request(f"/{name}").respond_with_response(
            Response(body, headers=headers)
        )
        served[f"/{name}"] = name
    real = root / "real"
    cyrillic = {
        "ibash-ru-rss2-windows1251.xml": {"Content-Type": "text/xml; charset=windows-1251"},
        "tutby-ru-rss2-2019-11-25-bom.xml": {"Content-Type": "application/rss+xml"},
        "citydog-ru-rss2.xml": {},
    }
    for name, headers in cyrillic.items():
        feed_server.expect_request(f"/real/{name}").respond_with_response(
            Response((real / name).read_bytes(), headers=headers)
        )
    gz = (real / "oren-ru-rss2-windows1251.xml.gz").read_bytes()
    feed_server.expect_request("/real/oren-encoded").respond_with_response(
        Response(gz, headers={"Content-Encoding": "gzip", "Content-Type": "text/xml"})
    )
    feed_server.expect_request("/real/oren-unlabelled").respond_with_data(gz)
    paths = [
        *served,
        *(f"/real/{n}" for n in cyrillic),
        "/real/oren-encoded",
        "/real/oren-unlabelled",
    ]
    assert len(served) == 106

    sources = [FeedSource(url=feed_server.url_for(p), lang="en") for p in paths]
    db = open_db(tmp_path / "corpus.db")
    async with make_client() as client:
        results = await Poller(SqliteFeedStore(db), client, concurrency=16).poll_once(sources)
    failed = {r.url.split("/", 3)[3]: r.error for r in results if r.outcome != "ok"}
    assert set(failed) <= {n for n in NOT_FEEDS}, failed
    by_path = {r.url.split("/", 3)[3]: r for r in results}
    assert by_path["real/oren-encoded"].items == by_path["real/oren-unlabelled"].items == 10
    titles = {row["title"] for row in db.query("SELECT title FROM articles WHERE source IS NULL")}
    assert any("Оренбург" in t for t in titles)
    ibash = by_path["real/ibash-ru-rss2-windows1251.xml"]
    assert ibash.items == 50
    text = db.execute(
        "SELECT text FROM articles WHERE feed_id = ? LIMIT 1", [ibash.feed_id]
    ).fetchone()[0]
    assert re.search("[а-яА-Я]{3}", text), text
    db.close()
