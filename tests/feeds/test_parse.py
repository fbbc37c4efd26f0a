"""parse_feed: encodings, text normalisation, links, dates, language, and non-feeds."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from feeds.parse import ParseError, normalise_lang, parse_date_text, parse_feed
from feeds.text import html_to_text
from tests.feeds.documents import Item, rss

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
RU_TITLE = "Лукашенко помиловал 31 политзаключённого"
RU_TEXT = "Об этом сообщила пресс-служба. «Вясна» подтверждает освобождение."


@pytest.mark.parametrize(
    ("encoding", "content_type"),
    [
        ("windows-1251", "application/rss+xml; charset=windows-1251"),
        ("windows-1251", None),  # declared only in the XML prolog
        ("utf-8", "text/xml; charset=utf-8"),
        ("utf-8", None),
    ],
)
def test_cyrillic_text_decodes(encoding: str, content_type: str | None) -> None:
    body = rss([Item(RU_TITLE, RU_TEXT, link="https://example.by/1")], encoding=encoding)
    parsed = parse_feed(body, url="https://example.by/rss", content_type=content_type, now=NOW)
    (article,) = parsed.articles
    assert article.title == RU_TITLE
    assert article.text == RU_TEXT


def test_http_charset_wins_over_a_wrong_prolog() -> None:
    body = rss([Item(RU_TITLE, RU_TEXT)], encoding="windows-1251", declare=False)
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + body
    parsed = parse_feed(
        body, url="https://example.by/rss", content_type="text/xml; charset=windows-1251", now=NOW
    )
    assert parsed.articles[0].title == RU_TITLE


def test_html_becomes_plain_text_with_paragraphs() -> None:
    html = (
        "<p>Первый абзац &mdash; с&nbsp;сущностями &amp; <b>жирным</b>.</p>"
        "<script>alert(1)</script><style>p{}</style>"
        "<p>Второй<br/>строка</p><ul><li>один</li><li>два</li></ul>"
    )
    assert html_to_text(html) == (
        "Первый абзац — с сущностями & жирным.\n\nВторой\nстрока\n\nодин\nдва"
    )


def test_content_used_when_richer_than_summary_and_links_resolved() -> None:
    body = rss(
        [
            Item(
                "Title &amp; more",
                description="Short teaser",
                content="<p>Short teaser.</p><p>The full story, with much more detail.</p>",
                link="/news/2026/11/story?id=5",
                guid="abc-1",
            )
        ]
    )
    (article,) = parse_feed(body, url="https://site.example/feeds/all.rss", now=NOW).articles
    assert article.text == "Short teaser.\n\nThe full story, with much more detail."
    assert article.link == "https://site.example/news/2026/11/story?id=5"
    assert article.guid == "abc-1"
    assert article.title == "Title & more"
    assert article.feed_url == "https://site.example/feeds/all.rss"


def test_dates_from_feed_russian_months_missing_and_future() -> None:
    body = rss(
        [
            Item("rfc822", pub_date="Sat, 21 Nov 2026 10:00:00 +0300"),
            Item("russian", pub_date="12 июня 2026, 10:00"),
            Item("none", pub_date=None),
            Item("future", pub_date="Sat, 21 Nov 2027 10:00:00 GMT"),
            Item("slightly ahead", pub_date="Sun, 22 Nov 2026 03:05:00 GMT"),
        ],
        language="ru",
    )
    got = {a.title: a for a in parse_feed(body, url="https://x.example/rss", now=NOW).articles}
    assert got["rfc822"].published == datetime(2026, 11, 21, 7, 0, tzinfo=UTC)
    assert got["rfc822"].published_from_feed
    assert got["russian"].published == datetime(2026, 6, 12, 10, 0, tzinfo=UTC)
    assert got["russian"].published_from_feed
    assert (got["none"].published, got["none"].published_from_feed) == (NOW, False)
    assert (got["future"].published, got["future"].published_from_feed) == (NOW, False)
    assert got["slightly ahead"].published == datetime(2026, 11, 22, 3, 5, tzinfo=UTC)


def test_belarusian_month_names() -> None:
    got = parse_date_text("12 чэрвеня 2026 10:00", lang="be", now=NOW)
    assert got == datetime(2026, 6, 12, 10, 0, tzinfo=UTC)


def test_language_declared_normalised_else_configured() -> None:
    declared = rss([Item("a")], language="be-BY")
    undeclared = rss([Item("a")])
    assert (
        parse_feed(declared, url="https://x/", default_lang="ru", now=NOW).articles[0].lang == "be"
    )
    parsed = parse_feed(undeclared, url="https://x/", default_lang="ru", now=NOW)
    assert parsed.articles[0].lang == "ru" and parsed.lang is None
    assert [normalise_lang(v) for v in ("ru-RU", "EN_us", "rus", "by", "", None, "x-klingon")] == [
        "ru",
        "en",
        "ru",
        "be",
        None,
        None,
        None,
    ]


def test_entry_without_title_takes_its_first_line_and_empty_entries_are_dropped() -> None:
    body = rss([Item("", description="<p>Only a body here.</p><p>More.</p>"), Item("")])
    parsed = parse_feed(body, url="https://x/", now=NOW)
    assert [a.title for a in parsed.articles] == ["Only a body here."]
    assert parsed.entries == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", r"empty body \(0 bytes\)"),
        (b"\n\n    \r\n  \n", r"empty body \(11 bytes\)"),  # the 200-with-11-bytes zombie
        (b"<!DOCTYPE html><html><head><title>Access denied</title></head></html>", "HTML page"),
        (b'{"error": "blocked"}', "JSON"),
        (b"Service temporarily unavailable", "not a feed"),
    ],
)
def test_empty_or_non_feed_body_is_a_parse_error(body: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_feed(body, url="https://x/", now=NOW)


def test_valid_feed_without_items_is_not_an_error() -> None:
    parsed = parse_feed(rss([]), url="https://x/", now=NOW)
    assert parsed.articles == () and parsed.version == "rss20" and parsed.title == "Test feed"


def test_gzip_bytes_without_content_encoding_are_inflated() -> None:
    body = rss([Item(RU_TITLE, RU_TEXT)], encoding="windows-1251")
    parsed = parse_feed(gzip.compress(body), url="https://x/", now=NOW)
    assert parsed.articles[0].title == RU_TITLE
    with pytest.raises(ParseError, match="gzip"):
        parse_feed(b"\x1f\x8b\x08garbage", url="https://x/", now=NOW)


def test_malformed_feed_recovers_items_and_reports_the_problem() -> None:
    body = rss([Item("kept", link="https://x.example/1")]).replace(b"</channel>", b"<</channel>")
    parsed = parse_feed(body, url="https://x/", now=NOW)
    assert [a.title for a in parsed.articles] == ["kept"]
    assert parsed.problem
