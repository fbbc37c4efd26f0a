"""Article identity and storage: each article is stored once, whatever feed or GUID brings it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
import sqlite_utils

from bot.store.articles import canonical_url, content_hash, get_articles, guid_key, store_articles
from bot.store.feeds import sync_feeds
from feeds.model import Article, FeedSource

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


def article(n: int, **kw: object) -> Article:
    base = Article(
        title=f"Political prisoner {n} released",
        text=f"Report number {n}.\n\nDetails follow.",
        link=f"https://news.example.by/2026/11/story-{n}",
        guid=f"https://news.example.by/?p={n}",
        published=datetime(2026, 11, 21, 10, 0, tzinfo=UTC),
        published_from_feed=True,
        lang="ru",
    )
    return replace(base, **kw)  # type: ignore[arg-type]


@pytest.fixture
def feeds(db: sqlite_utils.Database) -> tuple[int, int]:
    a, b = sync_feeds(
        db,
        [
            FeedSource(url="https://news.example.by/rss", name="Outlet A"),
            FeedSource(url="https://mirror.example.com/feed", name="Outlet B"),
        ],
        now=NOW,
    )
    return a.id, b.id


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTPS://News.Example.BY:443/a/b/?utm_source=tg&utm_medium=x&id=5&fbclid=1#top",
            "https://news.example.by/a/b?id=5",
        ),
        (
            "http://news.example.by/a/b?gclid=1&yclid=2&b=2&a=1",
            "https://news.example.by/a/b?a=1&b=2",
        ),
        ("https://news.example.by:8443/a", "https://news.example.by:8443/a"),
        ("https://news.example.by", "https://news.example.by/"),
        ("javascript:alert(1)", None),
        ("", None),
        ("https://[broken/", None),
    ],
)
def test_canonical_url(url: str, expected: str | None) -> None:
    assert canonical_url(url) == expected


def test_guid_keys() -> None:
    assert guid_key("https://site.example/?utm_source=rss&p=5", 1) == "https://site.example/?p=5"
    assert guid_key("https://site.example/", 1) is None  # home page
    assert guid_key("https://site.example/rss", 1, "https://site.example/rss") is None
    assert guid_key("tag:site.example,2026:5", 1) == "tag:site.example,2026:5"
    assert guid_key("12345", 7) == "feed:7:12345"
    assert guid_key("  ", 7) is None


def test_content_hash_ignores_case_spacing_and_punctuation() -> None:
    assert content_hash("Freed!", "Five  people\nfreed.") == content_hash(
        "freed", "five people freed"
    )
    assert content_hash("Freed", "five") != content_hash("Freed", "six")


def test_store_once_across_feeds_guids_and_tracking_params(
    db: sqlite_utils.Database, feeds: tuple[int, int]
) -> None:
    a, b = feeds
    first = store_articles(db, a, [article(1), article(2)], backlog=False, now=NOW)
    assert len(first) == 2
    again = [
        article(1),  # same everything
        article(
            2,
            guid="urn:uuid:new-guid",
            link="https://news.example.by/2026/11/story-2?utm_source=tg",
        ),
        article(
            3,
            title="Political prisoner 1 released",
            text="Report number 1.\n\nDetails follow.",
            guid="other",
            link=None,
        ),  # re-published: new GUID, no link, same content
    ]
    assert store_articles(db, b, again, backlog=False, now=NOW) == []
    assert store_articles(db, a, [article(4)], backlog=False, now=NOW) != []
    rows = get_articles(db, first)
    assert [r["title"] for r in rows] == [
        "Political prisoner 1 released",
        "Political prisoner 2 released",
    ]
    assert rows[0]["source"] == "Outlet A" and rows[0]["published"] == "2026-11-21T10:00:00Z"
    assert rows[0]["canonical_url"] == "https://news.example.by/2026/11/story-1"
    assert rows[0]["first_seen"] == "2026-11-22T03:00:00Z"
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 3


def test_untrustworthy_guids_and_links_do_not_merge_different_articles(
    db: sqlite_utils.Database, feeds: tuple[int, int]
) -> None:
    a, _ = feeds
    batch = [
        article(1, guid="https://news.example.by/"),  # home page as GUID
        article(2, guid="https://news.example.by/"),
        article(3, guid="dup", link="https://news.example.by/"),  # duplicated GUID, home link
        article(4, guid="dup", link="https://news.example.by/"),
        article(5, guid=None, link="https://news.example.by/all"),  # one link for every entry
        article(6, guid=None, link="https://news.example.by/all"),
    ]
    ids = store_articles(db, a, batch, backlog=True, now=NOW)
    assert len(ids) == 6
    rows = get_articles(db, ids)
    assert all(r["guid"] is None for r in rows)
    assert [r["canonical_url"] for r in rows][2:] == [None] * 4
    assert {r["backlog"] for r in rows} == {1}


def test_numeric_guids_of_two_feeds_do_not_collide(
    db: sqlite_utils.Database, feeds: tuple[int, int]
) -> None:
    a, b = feeds
    assert (
        len(store_articles(db, a, [article(1, guid="100", link=None)], backlog=False, now=NOW)) == 1
    )
    assert (
        len(store_articles(db, b, [article(2, guid="100", link=None)], backlog=False, now=NOW)) == 1
    )


def test_a_failing_insert_stores_nothing_of_the_batch(
    db: sqlite_utils.Database, feeds: tuple[int, int]
) -> None:
    a, _ = feeds
    bad = article(2, published="yesterday")  # fails after the first row is inserted
    with pytest.raises(AttributeError):
        store_articles(db, a, [article(1), bad], backlog=False, now=NOW)
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
