"""Feed bytes -> ParsedFeed of normalised Articles, with feedparser; CPU-bound, run it in a thread.

A malformed document yields what feedparser could recover (maybe nothing); only a body
that is empty or not a feed at all raises ParseError, so a dead feed is not "no news".
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser  # type: ignore[import-untyped]

from feeds.model import Article, ParsedFeed
from feeds.text import html_to_text, one_line, plain_to_text

MAX_SKEW = timedelta(minutes=15)  # publication dates further ahead than this are clamped to now
MAX_INFLATED = 50_000_000  # gzip bytes served without Content-Encoding are inflated up to this
MAX_TEXT = 100_000  # characters kept of one entry's text
_TITLE_FROM_TEXT = 160
_LANG_ALIASES = {"rus": "ru", "bel": "be", "eng": "en", "ukr": "uk", "by": "be", "ua": "uk"}
_DATEPARSER_LANGS = {"en", "ru", "be", "uk", "pl", "de", "fr", "it", "pt", "es", "lt", "lv"}
_HTML_TYPES = {"text/html", "application/xhtml+xml", "html", "xhtml"}
_EXTRA_TEXT_KEYS = ("full-text", "yandex_full-text", "turbo_content")


class ParseError(Exception):
    """The body is empty or not a feed (an HTML page, an error text): a health error."""


def parse_feed(
    body: bytes,
    *,
    url: str,
    content_type: str | None = None,
    default_lang: str | None = None,
    now: datetime,
) -> ParsedFeed:
    """Parse one fetched body; `url` is the final feed URL (base for relative links)."""
    body = _inflate_if_gzip(body)
    if not body.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise ParseError(f"empty body ({len(body)} bytes): no feed document")
    # No content-location: feedparser would turn plain GUIDs into URLs; links are
    # resolved against `url` below instead.
    headers: dict[str, str] = {}
    if content_type:
        headers["content-type"] = content_type
    if _is_cp1251_declared_utf8(body, content_type):
        headers["content-type"] = "application/xml; charset=windows-1251"
    # Text is reduced to plain text here (scripts and styles dropped), so feedparser's HTML
    # sanitiser and URI rewriting would only cost time (3x on large feeds).
    result = feedparser.parse(
        body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    entries = result.get("entries") or []
    meta = result.get("feed") or {}
    # A feed with no items is still a feed when it is recognisably one (a version or a title).
    if not result.get("version") and not entries and not meta.get("title"):
        raise ParseError(f"not a feed: {_describe(body, result)}")
    problem = None
    if result.get("bozo"):
        problem = f"{type(result.get('bozo_exception')).__name__}: {result.get('bozo_exception')}"[
            :300
        ]
    feed_lang = normalise_lang(meta.get("language"))
    lang = feed_lang or normalise_lang(default_lang)
    articles = []
    for entry in entries:
        article = _article(entry, base=url, lang=lang, now=now)
        if article is not None:
            articles.append(article)
    title = one_line(meta.get("title") or "") or None
    return ParsedFeed(
        articles=tuple(articles),
        title=title,
        lang=feed_lang,
        version=result.get("version") or "unknown",
        entries=len(entries),
        problem=problem,
    )


def normalise_lang(value: object) -> str | None:
    """'ru-RU', 'be_BY', 'rus' -> 'ru', 'be', 'ru'; anything else -> None."""
    if not isinstance(value, str):
        return None
    head = re.split(r"[-_;,\s]", value.strip().lower(), maxsplit=1)[0]
    head = _LANG_ALIASES.get(head, head)
    return head if len(head) == 2 and head.isalpha() and head.isascii() else None


def _inflate_if_gzip(body: bytes) -> bytes:
    # Some servers send gzip bytes without Content-Encoding; httpx then leaves them packed.
    if not body.startswith(b"\x1f\x8b"):
        return body
    try:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = inflater.decompress(body, MAX_INFLATED)
    except zlib.error as e:
        raise ParseError(f"gzip-compressed body that cannot be inflated: {e}") from e
    if inflater.unconsumed_tail:
        raise ParseError(f"gzip-compressed body inflates beyond {MAX_INFLATED:,} bytes")
    return out


def _is_cp1251_declared_utf8(body: bytes, content_type: str | None) -> bool:
    """Windows-1251 bytes that claim (or default) to be UTF-8: feedparser would read them as
    windows-1252 mojibake. Only an explicit non-UTF-8 HTTP charset is trusted as it is."""
    charset = re.search(r"charset=[\"']?([\w-]+)", content_type or "", re.IGNORECASE)
    if charset and charset.group(1).lower() not in ("utf-8", "utf8"):
        return False
    if body.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in body[:4]:  # UTF-16/32
        return False
    prolog = re.match(rb"\s*<\?xml[^>]*encoding=[\"']([\w-]+)", body[:200])
    if prolog and prolog.group(1).lower() not in (b"utf-8", b"utf8") and not charset:
        return False
    try:
        body.decode("utf-8")
        return False
    except UnicodeDecodeError:
        pass
    # Mostly letters of the 1251 Cyrillic range among the high bytes.
    high = [b for b in body if b >= 0x80]
    return (
        len(high) > 0
        and sum(b >= 0xC0 or b in (0xA8, 0xB8, 0xA1, 0xA2, 0xB2, 0xB3) for b in high) / len(high)
        > 0.9
    )


def _describe(body: bytes, result: Mapping[str, Any]) -> str:
    head = body[:200].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return f"an HTML page ({len(body)} bytes)"
    if head.startswith((b"{", b"[")):
        return f"JSON, not an RSS or Atom document ({len(body)} bytes)"
    reason = result.get("bozo_exception")
    return f"{len(body)} bytes, {reason or 'no RSS/Atom root element'}"


def _article(
    entry: Mapping[str, Any], *, base: str, lang: str | None, now: datetime
) -> Article | None:
    title = _text_of(entry.get("title_detail"), entry.get("title"))
    title = one_line(title)
    text = _best_text(entry)
    if not title and not text:
        return None
    if not title:
        first = text.split("\n", 1)[0]
        title = (
            first
            if len(first) <= _TITLE_FROM_TEXT
            else first[: _TITLE_FROM_TEXT - 1].rstrip() + "…"
        )
    published, from_feed = _published(entry, lang=lang, now=now)
    guid = entry.get("id")
    guid = guid.strip() if isinstance(guid, str) and guid.strip() else None
    return Article(
        title=title,
        text=text[:MAX_TEXT],
        link=_link(entry, base),
        guid=guid,
        published=published,
        published_from_feed=from_feed,
        lang=lang,
        feed_url=base,
    )


def _text_of(detail: Any, value: Any) -> str:
    if not isinstance(value, str) or not value:
        return ""
    kind = (detail or {}).get("type", "text/html") if isinstance(detail, Mapping) else "text/html"
    return html_to_text(value) if kind in _HTML_TYPES else plain_to_text(value)


def _best_text(entry: Mapping[str, Any]) -> str:
    """The richest of content, summary and known full-text extensions (the longest text)."""
    candidates = [_text_of(entry.get("summary_detail"), entry.get("summary"))]
    for content in entry.get("content") or []:
        if isinstance(content, Mapping):
            candidates.append(_text_of(content, content.get("value")))
    for key in _EXTRA_TEXT_KEYS:
        candidates.append(_text_of(None, entry.get(key)))
    return max(candidates, key=len)


def _link(entry: Mapping[str, Any], base: str) -> str | None:
    link = entry.get("link")
    if not isinstance(link, str) or not link.strip():
        for candidate in entry.get("links") or []:
            if isinstance(candidate, Mapping) and candidate.get("rel", "alternate") == "alternate":
                link = candidate.get("href")
                break
    if not isinstance(link, str) or not link.strip():
        return None
    try:
        resolved = urljoin(base, link.strip())
        parts = urlsplit(resolved)
    except ValueError:
        return None
    return resolved if parts.scheme in ("http", "https") and parts.hostname else None


def _published(entry: Any, *, lang: str | None, now: datetime) -> tuple[datetime, bool]:
    found: datetime | None = None
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = dict.get(entry, key)  # plain get: feedparser's aliasing warns
        if parsed:
            try:
                year, month, day, hour, minute, second = parsed[:6]
                found = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
                break
            except (TypeError, ValueError):
                continue
    if found is None:
        for key in ("published", "updated", "created"):
            raw = dict.get(entry, key)
            if isinstance(raw, str) and raw.strip():
                found = parse_date_text(raw, lang=lang, now=now)
                if found is not None:
                    break
    if found is None:
        return now, False
    if found > now + MAX_SKEW:
        return now, False
    return found, True


def parse_date_text(raw: str, *, lang: str | None, now: datetime) -> datetime | None:
    """A date feedparser could not read ('12 июня 2021, 10:00'), with dateparser; UTC-aware."""
    import dateparser  # type: ignore[import-untyped]  # slow to import; only some feeds need it

    languages = ["en"]
    if lang in _DATEPARSER_LANGS and lang != "en":
        languages.insert(0, lang)
    if lang == "be":
        languages.insert(1, "ru")  # Belarusian sites often date in Russian
    settings = {
        "TIMEZONE": "UTC",
        "TO_TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "RELATIVE_BASE": now.astimezone(UTC).replace(tzinfo=None),
    }
    try:
        value = dateparser.parse(raw.strip()[:100], languages=languages, settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; a date is optional
        return None
    if value is None:
        return None
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
