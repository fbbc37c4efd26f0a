"""The articles table: identity (GUID, canonical URL, content hash) and storing new articles once.

An article already stored under any of its three keys is not new, whichever feed
brought it and whatever GUID it carries now.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import sqlite_utils

from feeds.model import Article

# Query parameters that only say how a reader arrived: dropped from the canonical URL.
TRACKING_PARAMS = frozenset(
    "fbclid gclid gclsrc dclid yclid ysclid msclkid mc_cid mc_eid _ga _gl igshid "
    "_openstat ref_src cmpid ocid __twitter_impression".split()
)
TRACKING_PREFIXES = ("utm_", "at_", "ns_", "pk_", "mtm_", "hsa_", "wt_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_PUNCT = re.compile(r"[\W_]+", re.UNICODE)


def iso(moment: datetime) -> str:
    """The database's time format: ISO 8601 UTC to the second, with Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def canonical_url(url: str | None) -> str | None:
    """A dedup key for an article URL: tracking parameters, fragment, default port and
    trailing slash dropped, host lower-cased, parameters sorted, http and https as one.
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)
    )
    return urlunsplit(("https", host, path, urlencode(query), ""))


def content_hash(title: str, text: str) -> str:
    """Hash of the normalised title and text: case, punctuation and spacing do not count."""

    def norm(value: str) -> str:
        return " ".join(_PUNCT.sub(" ", unicodedata.normalize("NFKC", value).casefold()).split())

    return hashlib.sha256(f"{norm(title)}\n{norm(text)}".encode()).hexdigest()


def guid_key(guid: str | None, feed_id: int, feed_url: str = "") -> str | None:
    """The stored form of a GUID, or None when it cannot identify an article.

    URL GUIDs are keyed by their canonical form (a permalink is the same anywhere);
    tag:/urn: ids are global by design; anything else (numbers, slugs) is only unique
    within its feed, so it is prefixed with the feed id.
    """
    if not guid or not guid.strip():
        return None
    guid = guid.strip()
    lowered = guid.lower()
    if lowered.startswith(("http://", "https://")):
        canonical = canonical_url(guid)
        if canonical is None:
            return None
        if _is_home(canonical):
            return None  # the site's home page: every entry would share it
        if feed_url and canonical == canonical_url(feed_url):
            return None  # the feed's own address
        return canonical
    if lowered.startswith(("tag:", "urn:")):
        return guid
    return f"feed:{feed_id}:{guid}"


def store_articles(
    db: sqlite_utils.Database,
    feed_id: int,
    articles: Sequence[Article],
    *,
    backlog: bool,
    now: datetime,
    source: str | None = None,
) -> list[int]:
    """Insert the articles not stored yet, in one transaction; ids of the new rows, in order.

    `backlog=True` marks them as a new feed's first-poll backlog: stored, never alerted.
    `source` defaults to the feed's name.
    """
    if not articles:
        return []
    feed = _feed_row(db, feed_id)
    if source is None:
        source = feed.get("name")
    feed_url = feed.get("url") or ""
    # A GUID two entries of this document share identifies neither of them.
    # The same for a link: some feeds point every entry at one page.
    repeated = Counter(a.guid.strip() for a in articles if a.guid and a.guid.strip())
    links = Counter(canonical_url(a.link) for a in articles)
    new_ids: list[int] = []
    seen_at = iso(now)
    with db.atomic():
        for article in articles:
            guid = None
            if article.guid and repeated[article.guid.strip()] == 1:
                guid = guid_key(article.guid, feed_id, feed_url)
            canonical = canonical_url(article.link)
            if canonical is not None and (links[canonical] > 1 or _is_home(canonical)):
                canonical = None
            digest = content_hash(article.title, article.text)
            if _known(db, guid, canonical, digest):
                continue
            cursor = db.execute(
                """INSERT INTO articles (feed_id, guid, url, canonical_url, content_hash, title,
                       text, lang, source, published, published_from_feed, first_seen, backlog)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    feed_id,
                    guid,
                    article.link,
                    canonical,
                    digest,
                    article.title,
                    article.text,
                    article.lang,
                    source,
                    iso(article.published),
                    int(article.published_from_feed),
                    seen_at,
                    int(backlog),
                ],
            )
            new_ids.append(int(cursor.lastrowid or 0))
    return new_ids


def get_articles(db: sqlite_utils.Database, ids: Iterable[int]) -> list[dict[str, Any]]:
    """Article rows by id, in the order asked."""
    wanted = list(ids)
    if not wanted:
        return []
    marks = ",".join("?" * len(wanted))
    rows = {r["id"]: r for r in db.query(f"SELECT * FROM articles WHERE id IN ({marks})", wanted)}
    return [rows[i] for i in wanted if i in rows]


def _is_home(canonical: str) -> bool:
    parts = urlsplit(canonical)
    return parts.path == "/" and not parts.query


def _known(db: sqlite_utils.Database, guid: str | None, canonical: str | None, digest: str) -> bool:
    row = db.execute(
        "SELECT 1 FROM articles WHERE content_hash = ? OR guid = ? OR canonical_url = ? LIMIT 1",
        [digest, guid, canonical],
    ).fetchone()
    return row is not None


def _feed_row(db: sqlite_utils.Database, feed_id: int) -> dict[str, Any]:
    row = db.execute("SELECT name, url FROM feeds WHERE id = ?", [feed_id]).fetchone()
    return {"name": row[0], "url": row[1]} if row else {}
