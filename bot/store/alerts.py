"""Queries for alerts, their articles and events, and the outbox rows of a new alert.

Every function runs inside the caller's transaction; none of them commits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

import sqlite_utils

from bot.store.articles import content_hash, iso
from rules.dedupe import AlertView, Window
from rules.model import Certainty, DateBasis, Event, EventType


@dataclass(frozen=True)
class StoredArticle:
    """An article row as the pipeline needs it, from the articles table."""

    id: int
    title: str
    text: str
    lang: str | None
    source: str | None
    url: str | None
    published: datetime
    backlog: bool
    processed: bool

    @property
    def day(self) -> date:
        return self.published.date()


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _iso(value: datetime) -> str:
    return iso(value if value.tzinfo else value.replace(tzinfo=UTC))


def load_articles(db: sqlite_utils.Database, ids: list[int]) -> dict[int, StoredArticle]:
    out: dict[int, StoredArticle] = {}
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        marks = ",".join("?" * len(chunk))
        for r in db.query(f"SELECT * FROM articles WHERE id IN ({marks})", chunk):
            out[r["id"]] = _article(r)
    return out


def _article(r: dict[str, Any]) -> StoredArticle:
    return StoredArticle(
        r["id"], r["title"], r["text"], r["lang"], r["source"], r["url"],
        _dt(r["published"]), bool(r["backlog"]), bool(r["processed"]),
    )  # fmt: skip


def unprocessed_ids(db: sqlite_utils.Database) -> list[int]:
    rows = db.execute("SELECT id FROM articles WHERE processed = 0 ORDER BY published, id")
    return [r[0] for r in rows.fetchall()]


def recent_leads(
    db: sqlite_utils.Database, since: datetime, until: datetime, exclude: int, chars: int
) -> list[tuple[int, str, str]]:
    """(id, title, first `chars` of text) of processed articles published in [since, until]."""
    rows = db.conn.execute(
        "SELECT id, title, substr(text, 1, ?) FROM articles"
        " WHERE published BETWEEN ? AND ? AND processed = 1 AND id != ?",
        [chars, _iso(since), _iso(until), exclude],
    )
    return rows.fetchall()


def alerts_of_article(db: sqlite_utils.Database, article_id: int) -> list[int]:
    rows = db.execute(
        "SELECT alert_id FROM alert_articles WHERE article_id = ? ORDER BY alert_id", [article_id]
    )
    return [r[0] for r in rows.fetchall()]


_VIEW_SQL = """
    SELECT a.id, a.type, a.certainty, a.count, a.people, a.date, a.date_basis, a.place,
        a.source, a.alerting, coalesce(substr(f.published, 1, 10), substr(a.created_at, 1, 10))
    FROM alerts a LEFT JOIN articles f ON f.id = a.first_article_id
"""


@lru_cache(maxsize=16384)
def _view(row: tuple[Any, ...]) -> AlertView:
    """An alert row as deduplication sees it; cached, as rows recur across lookups."""
    id_, type_, certainty, count, people, day, basis, place, source, alerting, first_day = row
    d = date.fromisoformat(day) if day else None
    return AlertView(
        id=id_,
        type=EventType(type_),
        certainty=Certainty(certainty),
        count=count,
        people=tuple(json.loads(people)),
        date=d,
        date_basis=DateBasis(basis or "none"),
        place=place,
        source=source,
        ref_date=d or date.fromisoformat(first_day),
        alerting=bool(alerting),
    )


def candidate_alerts(
    db: sqlite_utils.Database, type_: EventType, window: Window
) -> list[AlertView]:
    """Alerts of `type_` in the window (index alerts_type_date), plus undated ones
    first reported in it (index alerts_undated)."""
    lo, hi, firm_hi = (d.isoformat() for d in (window.lo, window.hi, window.firm_hi))
    rows = db.conn.execute(
        _VIEW_SQL + " WHERE a.type = ? AND a.date BETWEEN ? AND ?"
        " AND (a.date <= ? OR a.date_basis NOT IN ('stated', 'relative'))"
        " UNION ALL " + _VIEW_SQL + " WHERE a.type = ? AND a.date IS NULL"
        " AND a.created_at >= ? AND a.created_at < ?",
        [str(type_), lo, hi, firm_hi, str(type_), lo, (window.hi + timedelta(days=1)).isoformat()],
    )
    return [_view(tuple(r)) for r in rows.fetchall()]


def alert_view(db: sqlite_utils.Database, alert_id: int) -> AlertView:
    return _view(tuple(db.conn.execute(_VIEW_SQL + " WHERE a.id = ?", [alert_id]).fetchone()))


def get_alert(db: sqlite_utils.Database, alert_id: int) -> dict[str, Any]:
    return next(db.query("SELECT * FROM alerts WHERE id = ?", [alert_id]))


def create_alert(
    db: sqlite_utils.Database,
    event: Event,
    article: StoredArticle,
    *,
    alerting: bool,
    now: datetime,
) -> int:
    cur = db.execute(
        """INSERT INTO alerts (type, certainty, count, date, date_basis, people, place, source,
               evidence, evidence_lang, first_article_id, alerting, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            str(event.type), str(event.certainty), event.count,
            event.date.isoformat() if event.date else None, str(event.date_basis),
            json.dumps(list(event.people), ensure_ascii=False), event.place, event.source,
            event.evidence, article.lang, article.id, int(alerting), _iso(now), _iso(now),
        ],
    )  # fmt: skip
    assert cur.lastrowid is not None
    return cur.lastrowid


def update_alert(
    db: sqlite_utils.Database,
    alert_id: int,
    patch: dict[str, object],
    *,
    bump: bool,
    now: datetime,
) -> None:
    """Apply `patch`, count one more folded article, and bump the version if `bump`."""
    sets = ["updates = updates + 1", "updated_at = ?"]
    values: list[object] = [_iso(now)]
    if bump:
        sets.append("version = version + 1")
    for key, value in patch.items():
        sets.append(f"{key} = ?")
        if key == "people":
            value = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, date):
            value = value.isoformat()
        values.append(str(value) if key == "date_basis" else value)
    db.execute(f"UPDATE alerts SET {', '.join(sets)} WHERE id = ?", [*values, alert_id])


def link_article(db: sqlite_utils.Database, alert_id: int, article_id: int, now: datetime) -> bool:
    """Add the article to the alert; False when it was already there."""
    cur = db.execute(
        "INSERT OR IGNORE INTO alert_articles (alert_id, article_id, added_at) VALUES (?, ?, ?)",
        [alert_id, article_id, _iso(now)],
    )
    return cur.rowcount > 0


def is_new_outlet(db: sqlite_utils.Database, alert_id: int, article: StoredArticle) -> bool:
    """Does the article bring the alert a link from an outlet it does not list yet?"""
    row = db.execute(
        """SELECT 1 FROM alert_articles aa JOIN articles ar ON ar.id = aa.article_id
           WHERE aa.alert_id = ? AND ar.id != ? AND coalesce(ar.source, ar.url, '') = ?""",
        [alert_id, article.id, article.source or article.url or ""],
    ).fetchone()
    return row is None


def insert_event(
    db: sqlite_utils.Database,
    article_id: int,
    event: Event,
    alert_id: int | None,
    decision: dict[str, object],
) -> None:
    db.execute(
        """INSERT INTO events (article_id, type, certainty, count, people, date, date_basis,
               place, source, evidence, alert_id, decision)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            article_id, str(event.type), str(event.certainty), event.count,
            json.dumps(list(event.people), ensure_ascii=False),
            event.date.isoformat() if event.date else None, str(event.date_basis),
            event.place, event.source, event.evidence, alert_id,
            json.dumps(decision, ensure_ascii=False),
        ],
    )  # fmt: skip


def delete_events(db: sqlite_utils.Database, article_id: int) -> None:
    """Forget an article's events before it is processed (again)."""
    db.execute("DELETE FROM events WHERE article_id = ?", [article_id])


def insert_outbox(
    db: sqlite_utils.Database, alert_id: int, chats: list[tuple[int, int]], now: datetime
) -> int:
    for chat_id, thread_id in chats:
        db.execute(
            """INSERT OR IGNORE INTO outbox (alert_id, chat_id, thread_id, state, created_at)
               VALUES (?, ?, ?, 'pending', ?)""",
            [alert_id, chat_id, thread_id, _iso(now)],
        )
    return len(chats)


def is_processed(db: sqlite_utils.Database, article_id: int) -> bool:
    row = db.execute("SELECT processed FROM articles WHERE id = ?", [article_id]).fetchone()
    return bool(row and row[0])


def mark_processed(db: sqlite_utils.Database, article_id: int) -> None:
    db.execute("UPDATE articles SET processed = 1 WHERE id = ?", [article_id])


def insert_article(
    db: sqlite_utils.Database,
    *,
    guid: str,
    title: str,
    text: str,
    lang: str | None,
    source: str | None,
    url: str | None,
    published: datetime,
) -> int:
    """Store an article given whole (a replayed file); returns its id, existing or new."""
    digest = content_hash(title, text)
    row = db.execute(
        "SELECT id FROM articles WHERE guid = ? OR content_hash = ?", [guid, digest]
    ).fetchone()
    if row:
        return int(row[0])
    cur = db.execute(
        """INSERT INTO articles (guid, url, content_hash, title, text, lang, source, published,
               first_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [guid, url or None, digest, title, text, lang, source, _iso(published), _iso(published)],
    )
    assert cur.lastrowid is not None
    return cur.lastrowid
