"""Which chats receive an alert: a pure choice over chat settings, used by the pipeline.

The pipeline calls `recipients` inside the transaction that creates an alert,
so the outbox rows exist as soon as the alert does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import sqlite_utils


def wants(chat: Mapping[str, Any], alert: Mapping[str, Any]) -> bool:
    """Does this chat's settings row ask for this alert (topics, early signals)?"""
    if not chat["active"]:
        return False
    if alert["type"] not in json.loads(chat["topics"]):
        return False
    if alert["certainty"] == "expected" and not chat["expected"]:
        return False
    return True


def recipients(db: sqlite_utils.Database, alert: Mapping[str, Any]) -> list[tuple[int, int]]:
    """(chat_id, thread_id) of every active real-time chat that wants `alert`."""
    rows: Iterable[Mapping[str, Any]] = db.query(
        "SELECT * FROM chats WHERE active = 1 AND digest IS NULL"
    )
    return [(r["chat_id"], r["thread_id"]) for r in rows if wants(r, alert)]
