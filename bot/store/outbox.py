"""Outbox rows: what delivery claims next, and every state change it records.

States: pending -> sending (committed just before the request's first byte) -> sent;
pending -> failed | dropped; sending found at start -> unknown (maybe delivered: never resent).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils

MAX_ERROR = 300


def stamp(now: datetime) -> str:
    """Outbox time format: ISO UTC to the millisecond, so retries under a second sort right."""
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class Job:
    """One message to send (message_id None) or edit, read from the outbox for the worker."""

    id: int
    alert_id: int
    chat_id: int
    thread_id: int
    kind: str  # chats.kind: private | group | supergroup | channel
    lang: str
    attempts: int
    message_id: int | None
    sent_version: int

    @property
    def is_edit(self) -> bool:
        return self.message_id is not None


_JOB_COLUMNS = (
    "o.id, o.alert_id, o.chat_id, o.thread_id, c.kind, c.lang, o.attempts,"
    " o.message_id, o.sent_version"
)


def _jobs(rows: Iterable[dict[str, Any]]) -> list[Job]:
    return [Job(**r) for r in rows]


def recover_interrupted(db: sqlite_utils.Database) -> int:
    """At start: rows left in 'sending' may have been delivered; mark them 'unknown'.

    A request whose first byte left before the crash cannot be checked with the Bot API,
    so such a row is never sent again: a possible missed message, never a duplicate.
    """
    with db.atomic():
        cur = db.execute(
            "UPDATE outbox SET state = 'unknown', last_error = ? WHERE state = 'sending'",
            ["outcome unknown: the service stopped while the request was out"],
        )
    return cur.rowcount


def drop_unwanted(db: sqlite_utils.Database) -> int:
    """Pending rows of chats that left, or that switched to a daily digest, are dropped."""
    with db.atomic():
        cur = db.execute(
            "UPDATE outbox SET state = 'dropped',"
            " last_error = CASE WHEN c.active = 0 THEN 'chat inactive' ELSE 'digest chat' END"
            " FROM chats c WHERE outbox.state = 'pending' AND c.chat_id = outbox.chat_id"
            " AND c.thread_id = outbox.thread_id AND (c.active = 0 OR c.digest IS NOT NULL)"
        )
    return cur.rowcount


def due_sends(
    db: sqlite_utils.Database, now: datetime, *, limit: int, skip_chats: Iterable[int] = ()
) -> list[Job]:
    """The oldest due pending row of each chat (fair to every chat), oldest alerts first."""
    skipped = list(skip_chats)
    marks = ",".join("?" * len(skipped))
    rows = db.query(
        f"SELECT {_JOB_COLUMNS} FROM outbox o JOIN chats c USING (chat_id, thread_id)"
        " WHERE o.id IN (SELECT MIN(id) FROM outbox WHERE state = 'pending'"
        "   AND (next_attempt_at IS NULL OR next_attempt_at <= ?)"
        f"   {'AND chat_id NOT IN (' + marks + ')' if skipped else ''} GROUP BY chat_id)"
        " AND c.active = 1 AND c.digest IS NULL ORDER BY o.alert_id, o.id LIMIT ?",
        [stamp(now), *skipped, limit],
    )
    return _jobs(rows)


def due_edits(db: sqlite_utils.Database, now: datetime, *, limit: int) -> list[Job]:
    """Sent messages whose alert has a newer version than they show (an edit is due)."""
    rows = db.query(
        f"SELECT {_JOB_COLUMNS} FROM alerts a JOIN outbox o ON o.alert_id = a.id"
        " JOIN chats c USING (chat_id, thread_id)"
        " WHERE a.version > 1 AND o.state = 'sent' AND o.message_id IS NOT NULL"
        " AND o.sent_version < a.version AND c.active = 1"
        " AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?)"
        " ORDER BY o.alert_id, o.id LIMIT ?",
        [stamp(now), limit],
    )
    return _jobs(rows)


def refresh(db: sqlite_utils.Database, job: Job) -> Job | None:
    """The job as the database sees it now; None when it is no longer to be delivered."""
    rows = list(db.query(
        f"SELECT {_JOB_COLUMNS} FROM outbox o JOIN chats c USING (chat_id, thread_id)"
        " WHERE o.id = ? AND o.state = ? AND c.active = 1",
        [job.id, "sent" if job.is_edit else "pending"],
    ))
    return _jobs(rows)[0] if rows else None


def has_work(db: sqlite_utils.Database) -> bool:
    """Is anything pending, or an edit owed, whatever its time? (for waiting and tests)"""
    row = db.execute(
        "SELECT EXISTS (SELECT 1 FROM outbox WHERE state IN ('pending', 'sending'))"
        " OR EXISTS (SELECT 1 FROM alerts a JOIN outbox o ON o.alert_id = a.id"
        "  JOIN chats c USING (chat_id, thread_id) WHERE a.version > 1 AND o.state = 'sent'"
        "  AND o.message_id IS NOT NULL AND o.sent_version < a.version AND c.active = 1)"
    ).fetchone()
    return bool(row[0])


def mark_sending(db: sqlite_utils.Database, job: Job) -> bool:
    """Committed right before the request's first byte leaves: its outcome may now be unknown.

    False when the row is no longer pending (dropped meanwhile): the request must not leave.
    """
    cur = db.execute(
        "UPDATE outbox SET state = 'sending', attempts = ? WHERE id = ? AND state = 'pending'",
        [job.attempts + 1, job.id],
    )
    return cur.rowcount == 1


def mark_sent(
    db: sqlite_utils.Database, job: Job, message_id: int, version: int, now: datetime
) -> None:
    db.execute(
        "UPDATE outbox SET state = 'sent', message_id = ?, sent_version = ?, sent_at = ?,"
        " attempts = ?, next_attempt_at = NULL, last_error = NULL WHERE id = ?",
        [message_id, version, stamp(now), job.attempts + 1, job.id],
    )


def mark_edited(db: sqlite_utils.Database, job: Job, version: int, error: str | None = None) -> None:
    """The message shows `version` now (or an edit is abandoned, with the reason)."""
    db.execute(
        "UPDATE outbox SET sent_version = MAX(sent_version, ?), next_attempt_at = NULL,"
        " last_error = ? WHERE id = ?",
        [version, error[:MAX_ERROR] if error else None, job.id],
    )


def mark_retry(
    db: sqlite_utils.Database, job: Job, at: datetime, error: str, *, counted: bool = True
) -> None:
    """Back to 'pending' (or, for an edit, still 'sent') until `at`; a 429 is not counted."""
    db.execute(
        "UPDATE outbox SET state = CASE WHEN state = 'sent' THEN 'sent' ELSE 'pending' END,"
        " attempts = ?, next_attempt_at = ?, last_error = ?"
        " WHERE id = ? AND state IN ('pending', 'sending', 'sent')",
        [job.attempts + (1 if counted else 0), stamp(at), error[:MAX_ERROR], job.id],
    )


def mark_final(db: sqlite_utils.Database, job: Job, state: str, error: str) -> None:
    """A send that ends without a message: 'failed' (gave up), 'unknown' or 'dropped'."""
    assert state in ("failed", "unknown", "dropped")
    db.execute(
        "UPDATE outbox SET state = ?, attempts = ?, last_error = ?"
        " WHERE id = ? AND state IN ('pending', 'sending')",
        [state, job.attempts + 1, error[:MAX_ERROR], job.id],
    )


def mark_error(
    db: sqlite_utils.Database, job: Job, at: datetime, error: str, *, max_attempts: int
) -> None:
    """An unexpected error: a row whose request left becomes 'unknown'; others retry at `at`."""
    db.execute(
        "UPDATE outbox SET state = CASE WHEN state = 'sending' THEN 'unknown'"
        "  WHEN state = 'pending' AND attempts + 1 >= ? THEN 'failed' ELSE state END,"
        " attempts = attempts + 1, next_attempt_at = ?, last_error = ?"
        " WHERE id = ? AND state IN ('pending', 'sending', 'sent')",
        [max_attempts, stamp(at), error[:MAX_ERROR], job.id],
    )


def deactivate_chat(
    db: sqlite_utils.Database, chat_id: int, reason: str, thread_id: int | None = None
) -> int:
    """The chat (or one forum topic) cannot receive: stop it and drop its pending rows."""
    where = "chat_id = ?" + ("" if thread_id is None else " AND thread_id = ?")
    args: list[Any] = [chat_id] if thread_id is None else [chat_id, thread_id]
    with db.atomic():
        db.execute(f"UPDATE chats SET active = 0 WHERE {where}", args)
        cur = db.execute(
            f"UPDATE outbox SET state = 'dropped', last_error = ?"
            f" WHERE {where} AND state IN ('pending', 'sending')",
            [reason[:MAX_ERROR], *args],
        )
    return cur.rowcount


def move_chat(db: sqlite_utils.Database, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: its settings, people and outbox rows follow the new id."""
    with db.atomic():
        threads = [r[0] for r in db.execute(
            "SELECT thread_id FROM chats WHERE chat_id = ?", [old_chat_id]
        ).fetchall()]
        for thread_id in threads:
            taken = db.execute(
                "SELECT 1 FROM chats WHERE chat_id = ? AND thread_id = ?", [new_chat_id, thread_id]
            ).fetchone()
            if taken is None:
                # ON UPDATE CASCADE carries chat_people and outbox along.
                db.execute(
                    "UPDATE chats SET chat_id = ?, kind = 'supergroup'"
                    " WHERE chat_id = ? AND thread_id = ?",
                    [new_chat_id, old_chat_id, thread_id],
                )
                continue
            # Already subscribed under the new id: keep its settings, bring the rows it lacks.
            db.execute(
                "UPDATE OR IGNORE outbox SET chat_id = ? WHERE chat_id = ? AND thread_id = ?",
                [new_chat_id, old_chat_id, thread_id],
            )
            db.execute(
                "DELETE FROM chats WHERE chat_id = ? AND thread_id = ?", [old_chat_id, thread_id]
            )


def alert_for_message(
    db: sqlite_utils.Database, alert_id: int
) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """The alert row and its member articles (the first article first), for render_alert."""
    rows = list(db.query("SELECT * FROM alerts WHERE id = ?", [alert_id]))
    if not rows:
        return None
    alert = rows[0]
    articles = list(db.query(
        "SELECT ar.* FROM alert_articles aa JOIN articles ar ON ar.id = aa.article_id"
        " WHERE aa.alert_id = ? ORDER BY ar.id = ? DESC, aa.added_at, ar.id",
        [alert_id, alert.get("first_article_id")],
    ))
    return alert, articles


def state_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Outbox rows per state (for stats, the benchmark and the tests)."""
    return {r[0]: r[1] for r in db.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state")}
