"""Subscriber settings in `chats` and `chat_people`: reads, changes and /forget.

Only what delivery needs is stored: ids, kind, language and alert settings; no names.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlite_utils

TOPICS = ("pardon", "deportation", "rearrest", "recognition", "tally")

Row = dict[str, Any]


def _iso(now: datetime) -> str:
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


def get_chat(db: sqlite_utils.Database, chat_id: int, thread_id: int = 0) -> Row | None:
    rows = list(
        db.query("SELECT * FROM chats WHERE chat_id = ? AND thread_id = ?", [chat_id, thread_id])
    )
    return rows[0] if rows else None


def subscribe(
    db: sqlite_utils.Database,
    chat_id: int,
    thread_id: int,
    *,
    kind: str,
    lang: str,
    now: datetime,
    manager_user_id: int | None = None,
) -> bool:
    """Activate the chat with default settings if new; return True if it was not active before."""
    existing = get_chat(db, chat_id, thread_id)
    with db.atomic():
        if existing is None:
            db.execute(
                "INSERT INTO chats (chat_id, thread_id, kind, lang, manager_user_id, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [chat_id, thread_id, kind, lang, manager_user_id, _iso(now)],
            )
            return True
        db.execute(
            "UPDATE chats SET active = 1, kind = ?,"
            " manager_user_id = COALESCE(?, manager_user_id)"
            " WHERE chat_id = ? AND thread_id = ?",
            [kind, manager_user_id, chat_id, thread_id],
        )
    return not existing["active"]


def deactivate(db: sqlite_utils.Database, chat_id: int, thread_id: int | None = None) -> int:
    """Stop alerts to the chat (every topic of it when `thread_id` is None); settings stay."""
    with db.atomic():
        if thread_id is None:
            cur = db.execute(
                "UPDATE chats SET active = 0 WHERE chat_id = ? AND active = 1", [chat_id]
            )
        else:
            cur = db.execute(
                "UPDATE chats SET active = 0 WHERE chat_id = ? AND thread_id = ? AND active = 1",
                [chat_id, thread_id],
            )
    return cur.rowcount


def forget(db: sqlite_utils.Database, chat_id: int) -> int:
    """Delete every row about the chat (all its topics): people, outbox, settings."""
    with db.atomic():
        db.execute("DELETE FROM chat_people WHERE chat_id = ?", [chat_id])
        db.execute("DELETE FROM outbox WHERE chat_id = ?", [chat_id])
        cur = db.execute("DELETE FROM chats WHERE chat_id = ?", [chat_id])
    return cur.rowcount


def update_chat(db: sqlite_utils.Database, chat_id: int, thread_id: int, **values: Any) -> None:
    """Set settings columns of an existing chat row."""
    allowed = {"lang", "topics", "expected", "only_people", "digest", "tz_offset", "last_digest_on"}
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"not a settings column: {sorted(unknown)}")
    sets = ", ".join(f"{k} = ?" for k in values)
    with db.atomic():
        db.execute(
            f"UPDATE chats SET {sets} WHERE chat_id = ? AND thread_id = ?",
            [*values.values(), chat_id, thread_id],
        )


def topics_of(chat: Row) -> list[str]:
    return [t for t in json.loads(chat["topics"]) if t in TOPICS]


def set_topic(db: sqlite_utils.Database, chat: Row, topic: str, on: bool) -> list[str]:
    """Follow (on) or mute a topic; return the chat's topics afterwards, in canonical order."""
    current = set(topics_of(chat))
    current = current | {topic} if on else current - {topic}
    topics = [t for t in TOPICS if t in current]
    update_chat(db, chat["chat_id"], chat["thread_id"], topics=json.dumps(topics))
    chat["topics"] = json.dumps(topics)
    return topics


def people_of(db: sqlite_utils.Database, chat_id: int, thread_id: int) -> list[Row]:
    return list(
        db.query(
            "SELECT name, name_key, mode FROM chat_people WHERE chat_id = ? AND thread_id = ?"
            " ORDER BY mode, name",
            [chat_id, thread_id],
        )
    )


def set_person(
    db: sqlite_utils.Database, chat_id: int, thread_id: int, name: str, name_key: str, mode: str
) -> None:
    """Follow or mute a person; a later choice about the same person replaces the earlier."""
    if mode not in ("follow", "mute"):
        raise ValueError(f"mode must be follow or mute, got {mode!r}")
    with db.atomic():
        db.execute(
            "INSERT INTO chat_people (chat_id, thread_id, name, name_key, mode)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_id, thread_id, name_key)"
            " DO UPDATE SET name = excluded.name, mode = excluded.mode",
            [chat_id, thread_id, name, name_key, mode],
        )


def remove_person(db: sqlite_utils.Database, chat_id: int, thread_id: int, name_key: str) -> bool:
    with db.atomic():
        cur = db.execute(
            "DELETE FROM chat_people WHERE chat_id = ? AND thread_id = ? AND name_key = ?",
            [chat_id, thread_id, name_key],
        )
    return cur.rowcount > 0


def people_by_chat(db: sqlite_utils.Database) -> dict[tuple[int, int], list[Row]]:
    """Every chat's followed and muted people, for choosing recipients in one query."""
    out: dict[tuple[int, int], list[Row]] = {}
    for r in db.query("SELECT chat_id, thread_id, name, name_key, mode FROM chat_people"):
        out.setdefault((r["chat_id"], r["thread_id"]), []).append(r)
    return out


def channels_managed_by(db: sqlite_utils.Database, user_id: int) -> list[Row]:
    return list(
        db.query(
            "SELECT * FROM chats WHERE kind = 'channel' AND manager_user_id = ? AND active = 1"
            " ORDER BY chat_id",
            [user_id],
        )
    )


def digest_chats(db: sqlite_utils.Database) -> Iterable[Row]:
    return db.query("SELECT * FROM chats WHERE active = 1 AND digest IS NOT NULL")
