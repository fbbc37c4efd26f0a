"""Property tests of parse_feed: arbitrary bytes, and RSS with arbitrary Unicode, control
characters and huge titles. Only ParseError may come out; articles are always well formed."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from feeds.parse import MAX_TEXT, ParseError, parse_feed
from tests.feeds.documents import Item, rss

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
URL = "https://example.by/rss"
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)
HUGE = st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=10), st.integers(1, 20_000))


def check(body: bytes, content_type: str | None = None) -> None:
    try:
        parsed = parse_feed(body, url=URL, content_type=content_type, now=NOW)
    except ParseError as e:
        assert str(e)
        return
    for article in parsed.articles:
        assert article.title and "\n" not in article.title
        assert len(article.text) <= MAX_TEXT
        assert article.published <= NOW
        assert article.link is None or article.link.startswith(("http://", "https://"))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from([None, "text/xml; charset=utf-8", "text/html"]))
def test_arbitrary_bytes_never_raise_anything_but_parse_error(body: bytes, ctype: str | None) -> None:
    check(body, ctype)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=500))
def test_arbitrary_bytes_inside_a_feed(junk: bytes) -> None:
    check(rss([Item("Title", "Text", link="https://x.example/1")]).replace(b"Text", junk))


ITEMS = st.builds(
    Item,
    title=st.one_of(ANY_TEXT, HUGE),
    description=ANY_TEXT,
    link=st.one_of(st.none(), ANY_TEXT, st.just("javascript:alert(1)")),
    guid=st.one_of(st.none(), ANY_TEXT),
    pub_date=st.one_of(st.none(), ANY_TEXT, st.just("Fri, 01 Jan 2100 00:00:00 GMT")),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(ITEMS, max_size=5), st.sampled_from(["utf-8", "utf-16", "windows-1251"]))
def test_generated_rss_with_any_unicode(items: list[Item], encoding: str) -> None:
    try:
        body = rss(items, encoding=encoding)
    except UnicodeEncodeError:
        body = rss(items)  # characters windows-1251 cannot hold
    check(body)
