"""All DDL of the database, as append-only named steps; never edit a step that has shipped.

A new schema change is a new function appended to STEPS. `migrate` applies the
missing ones in order, each in its own transaction, and records them.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import sqlite_utils

# A step is a SQL script (run whole inside one transaction) or a function that
# receives the database inside an open transaction and must not commit.
Step = str | Callable[[sqlite_utils.Database], None]


_001_INITIAL = """
        CREATE TABLE feeds (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            name TEXT,
            lang TEXT,
            interval INTEGER,               -- seconds; NULL: the service default
            active INTEGER NOT NULL DEFAULT 1,
            etag TEXT,
            last_modified TEXT,
            last_polled_at TEXT,            -- ISO UTC of the last attempt
            last_success_at TEXT,
            last_status INTEGER,
            last_bytes INTEGER,
            last_items INTEGER,
            last_error TEXT,
            last_error_at TEXT,
            error_count INTEGER NOT NULL DEFAULT 0,   -- consecutive failures
            failing_since TEXT,
            next_poll_at TEXT,
            backlog_done INTEGER NOT NULL DEFAULT 0,  -- 1 after the first successful poll
            added_at TEXT NOT NULL
        );

        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            feed_id INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
            guid TEXT,
            url TEXT,
            canonical_url TEXT,
            content_hash TEXT NOT NULL,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            lang TEXT,
            source TEXT,                    -- outlet name
            published TEXT NOT NULL,        -- ISO UTC
            published_from_feed INTEGER NOT NULL DEFAULT 1,
            first_seen TEXT NOT NULL,
            backlog INTEGER NOT NULL DEFAULT 0,   -- stored from a new feed's first poll: never alerts
            processed INTEGER NOT NULL DEFAULT 0  -- 1 once rules and deduplication have seen it
        );
        CREATE UNIQUE INDEX articles_guid ON articles(guid) WHERE guid IS NOT NULL;
        CREATE UNIQUE INDEX articles_canonical_url ON articles(canonical_url)
            WHERE canonical_url IS NOT NULL;
        CREATE UNIQUE INDEX articles_content_hash ON articles(content_hash);
        CREATE INDEX articles_unprocessed ON articles(processed) WHERE processed = 0;

        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            type TEXT NOT NULL,
            certainty TEXT NOT NULL,
            count INTEGER,
            date TEXT,                      -- YYYY-MM-DD of the occasion
            date_basis TEXT,
            people TEXT NOT NULL DEFAULT '[]',   -- JSON list, as written
            place TEXT,
            source TEXT,                    -- tally: whose count
            evidence TEXT NOT NULL,
            evidence_lang TEXT,
            first_article_id INTEGER REFERENCES articles(id),
            alerting INTEGER NOT NULL DEFAULT 1,  -- 0: stored for stats/folding, never sent
            version INTEGER NOT NULL DEFAULT 1,   -- bumped when an update should edit messages
            updates INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX alerts_type_date ON alerts(type, date);

        CREATE TABLE alert_articles (
            alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            added_at TEXT NOT NULL,
            PRIMARY KEY (alert_id, article_id)
        );

        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            type TEXT NOT NULL,
            certainty TEXT NOT NULL,
            count INTEGER,
            people TEXT NOT NULL DEFAULT '[]',
            date TEXT,
            date_basis TEXT,
            place TEXT,
            source TEXT,
            evidence TEXT NOT NULL,
            alert_id INTEGER REFERENCES alerts(id) ON DELETE SET NULL,
            decision TEXT                   -- JSON: new alert / merged into N and why
        );
        CREATE INDEX events_article ON events(article_id);
        CREATE INDEX events_alert ON events(alert_id);

        -- A subscriber: a private chat, a group, a channel, or one forum topic
        -- (thread_id 0 for the chat itself). Only what delivery needs.
        CREATE TABLE chats (
            chat_id INTEGER NOT NULL,
            thread_id INTEGER NOT NULL DEFAULT 0,
            kind TEXT NOT NULL,             -- private | group | supergroup | channel
            active INTEGER NOT NULL DEFAULT 1,
            lang TEXT NOT NULL DEFAULT 'en',
            topics TEXT NOT NULL DEFAULT '["pardon","deportation","rearrest","recognition","tally"]',
            expected INTEGER NOT NULL DEFAULT 0,  -- early signals opt-in
            only_people INTEGER NOT NULL DEFAULT 0,
            digest TEXT,                    -- NULL: real time; 'HH:MM' daily
            tz_offset INTEGER NOT NULL DEFAULT 0, -- minutes east of UTC
            last_digest_on TEXT,
            manager_user_id INTEGER,        -- channel: the user who may configure it privately
            created_at TEXT NOT NULL,
            PRIMARY KEY (chat_id, thread_id)
        );

        CREATE TABLE chat_people (
            chat_id INTEGER NOT NULL,
            thread_id INTEGER NOT NULL DEFAULT 0,
            name TEXT NOT NULL,             -- as the user typed it
            name_key TEXT NOT NULL,         -- normalised for matching across scripts
            mode TEXT NOT NULL,             -- follow | mute
            PRIMARY KEY (chat_id, thread_id, name_key),
            FOREIGN KEY (chat_id, thread_id) REFERENCES chats(chat_id, thread_id)
                ON DELETE CASCADE ON UPDATE CASCADE
        );

        -- One row per (alert, chat): created in the transaction that creates the alert.
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
            chat_id INTEGER NOT NULL,
            thread_id INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT 'pending', -- pending | sending | sent | failed | dropped
            message_id INTEGER,
            sent_version INTEGER NOT NULL DEFAULT 0,  -- alert version the message shows
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            last_error TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            UNIQUE (alert_id, chat_id, thread_id),
            FOREIGN KEY (chat_id, thread_id) REFERENCES chats(chat_id, thread_id)
                ON DELETE CASCADE ON UPDATE CASCADE
        );
        CREATE INDEX outbox_pending ON outbox(state, next_attempt_at);
"""


_002_FEED_NOTICES = """
        -- Operators were told that a feed is failing: once per failing spell.
        CREATE TABLE feed_notices (
            feed_id INTEGER PRIMARY KEY REFERENCES feeds(id) ON DELETE CASCADE,
            failing_since TEXT NOT NULL,
            notified_at TEXT NOT NULL
        );
        CREATE INDEX chats_manager ON chats(manager_user_id) WHERE manager_user_id IS NOT NULL;
        CREATE INDEX alerts_created ON alerts(created_at);
"""

# Deduplication looks up recent articles (reprints) and undated alerts by day.
_003_DEDUP_INDEXES = """
        CREATE INDEX articles_published ON articles(published);
        CREATE INDEX alerts_undated ON alerts(type, created_at) WHERE date IS NULL;
"""

# /stats: each source's newest tally, and period sums, read from indexes alone.
_004_STATS_INDEXES = """
        CREATE INDEX alerts_tally_source ON alerts(type, certainty, source, date, count);
        CREATE INDEX alerts_counted ON alerts(type, certainty, date, count);
        CREATE INDEX alerts_type_updated ON alerts(type, updated_at);
"""


STEPS: list[tuple[str, Step]] = [
    ("001_initial", _001_INITIAL),
    ("002_feed_notices", _002_FEED_NOTICES),
    ("003_dedup_indexes", _003_DEDUP_INDEXES),
    ("004_stats_indexes", _004_STATS_INDEXES),
]

SCHEMA_VERSION = len(STEPS)


class SchemaTooNew(Exception):
    """The database was written by a newer release than this one."""


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply every step not yet recorded; return the names applied."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in db.execute("SELECT name FROM _migrations").fetchall()}
    known = {name for name, _ in STEPS}
    if done - known:
        raise SchemaTooNew(
            f"database has migrations this release does not know: {sorted(done - known)}"
        )
    applied = []
    for name, step in STEPS:
        if name in done:
            continue
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        if isinstance(step, str):
            # executescript commits before it starts, so the transaction is in the script.
            try:
                db.conn.executescript(
                    f"BEGIN IMMEDIATE;\n{step}\n"
                    f"INSERT INTO _migrations (name, applied_at) VALUES ('{name}', '{now}');\n"
                    "COMMIT;"
                )
            except BaseException:
                if db.conn.in_transaction:
                    db.conn.execute("ROLLBACK")
                raise
        else:
            db.execute("BEGIN IMMEDIATE")
            try:
                step(db)
                db.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", [name, now])
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        applied.append(name)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return applied
