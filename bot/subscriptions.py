"""Which chats receive an alert: a pure choice over chat settings, used by the pipeline.

The pipeline calls `recipients` inside the transaction that creates an alert,
so the outbox rows exist as soon as the alert does.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlite_utils

from bot.store.chats import people_by_chat


def _alert_people(alert: Mapping[str, Any]) -> list[str]:
    people = alert.get("people") or []
    return json.loads(people) if isinstance(people, str) else list(people)


def _capitalised_words(text: str) -> list[str]:
    words = (w.strip(".,;:!?«»\"'()[]—–-") for w in text.split())
    return [w for w in words if len(w) > 2 and w[0].isupper()]


def names_person(alert: Mapping[str, Any], person: Mapping[str, Any]) -> bool:
    """Does the alert name this person (a chat_people row), in any script or spelling?

    The alert's people are compared first; the evidence sentence's capitalised words
    catch a person the extraction did not list.
    """
    # rules.names is imported here so the bot loads even while the rules package changes.
    names = importlib.import_module("rules.names")
    typed = str(person["name"])
    if names.match_person(typed, _alert_people(alert)) is not None:
        return True
    # The surname, whatever the order typed ("Бабарико Виктор" is Babaryka, not any Viktar).
    words = names.canonical_name(typed).split()
    surname = words[-1] if words else typed
    return (
        names.match_person(surname, _capitalised_words(str(alert.get("evidence") or "")))
        is not None
    )


def wants(
    chat: Mapping[str, Any],
    alert: Mapping[str, Any],
    people: Sequence[Mapping[str, Any]] = (),
) -> bool:
    """Does this chat's settings row (and its followed/muted `people`) ask for this alert?"""
    if not chat["active"]:
        return False
    if alert["type"] not in json.loads(chat["topics"]):
        return False
    if alert["certainty"] == "expected" and not chat["expected"]:
        return False
    if not people:
        return not chat["only_people"]
    if any(p["mode"] == "mute" and names_person(alert, p) for p in people):
        return False
    if chat["only_people"]:
        return any(p["mode"] == "follow" and names_person(alert, p) for p in people)
    return True


def recipients(db: sqlite_utils.Database, alert: Mapping[str, Any]) -> list[tuple[int, int]]:
    """(chat_id, thread_id) of every active real-time chat that wants `alert`."""
    rows: Iterable[Mapping[str, Any]] = db.query(
        "SELECT * FROM chats WHERE active = 1 AND digest IS NULL"
    )
    people = people_by_chat(db)
    return [
        (r["chat_id"], r["thread_id"])
        for r in rows
        if wants(r, alert, people.get((r["chat_id"], r["thread_id"]), ()))
    ]
