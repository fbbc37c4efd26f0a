"""The pure parts of delivery: what each Telegram error means, the per-chat pacing, the store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)

from bot.ratelimit import ChatPacer, Limits
from bot.sending import Outcome, classify
from bot.store import open_db
from bot.store.outbox import deactivate_chat, due_sends, move_chat, stamp
from tests.bot.test_delivery import seed_alert, seed_chats


@pytest.mark.parametrize(
    ("exc", "edit", "left", "answered", "outcome"),
    [
        (RetryAfter(timedelta(seconds=7)), False, True, True, Outcome.WAIT),
        (ChatMigrated(-100123), False, True, True, Outcome.MOVED),
        (Forbidden("Forbidden: bot was blocked by the user"), False, True, True, Outcome.GONE),
        (BadRequest("Bad Request: chat not found"), False, True, True, Outcome.GONE),
        (BadRequest("Bad Request: message thread not found"), False, True, True,
         Outcome.TOPIC_GONE),
        (BadRequest("Bad Request: message is not modified: same"), True, True, True,
         Outcome.DONE),
        (BadRequest("Bad Request: can't parse entities"), False, True, True, Outcome.FAILED),
        (InvalidToken("Unauthorized"), False, True, True, Outcome.FATAL),
        (NetworkError("Internal Server Error (500)"), False, True, True, Outcome.RETRY),
        (NetworkError("httpx.ConnectError: refused"), False, False, False, Outcome.RETRY),
        (TimedOut("Timed out"), False, False, False, Outcome.RETRY),  # never left
        (TimedOut("Timed out"), False, True, False, Outcome.UNKNOWN),  # left, no answer
        (NetworkError("httpx.RemoteProtocolError"), False, True, False, Outcome.UNKNOWN),
        (TimedOut("Timed out"), True, True, False, Outcome.RETRY),  # an edit may repeat
    ],
)
def test_each_error_has_one_meaning(exc, edit, left, answered, outcome):
    assert classify(exc, edit=edit, left=left, answered=answered).outcome is outcome


def test_retry_after_and_the_new_chat_id_are_carried():
    assert classify(RetryAfter(timedelta(seconds=7)), edit=False, left=True,
                    answered=True).retry_after == 7.0
    assert classify(ChatMigrated(-100123), edit=False, left=True,
                    answered=True).new_chat_id == -100123


def test_pacer_spaces_one_chat_and_caps_groups_per_minute():
    pacer = ChatPacer(Limits(chat_interval=1.0, group_per_window=3, group_window=60.0))
    pacer.record(1, now=100.0)
    assert pacer.ready_at(1, is_group=False, now=100.2) == pytest.approx(101.0)
    assert pacer.is_ready(2, is_group=False, now=100.2)  # other chats are not held up
    for t in (0.0, 10.0, 20.0):
        pacer.record(-5, now=t)
    assert pacer.ready_at(-5, is_group=True, now=30.0) == pytest.approx(60.0)
    assert pacer.ready_at(-5, is_group=False, now=30.0) == pytest.approx(30.0)
    pacer.block(2, until=150.0)
    assert not pacer.is_ready(2, is_group=False, now=149.0)
    pacer.prune(now=200.0)
    assert pacer.is_ready(-5, is_group=True, now=200.0) and pacer.is_ready(2, is_group=False,
                                                                           now=200.0)


def test_stamps_sort_in_time_order_below_a_second():
    t = datetime(2026, 11, 20, 10, 0, 0, tzinfo=UTC)
    assert stamp(t) < stamp(t + timedelta(milliseconds=5)) < stamp(t + timedelta(seconds=1))


def test_due_sends_take_one_row_per_chat_oldest_alert_first(db_path):
    db = open_db(db_path)
    seed_chats(db, [(1, 0), (2, 0)])
    first = seed_alert(db, [(1, 0), (2, 0)])
    seed_alert(db, [(1, 0)], evidence="A second release.", count=3)
    now = datetime(2030, 1, 1, tzinfo=UTC)

    jobs = due_sends(db, now, limit=10)

    assert [(j.chat_id, j.alert_id) for j in jobs] == [(1, first), (2, first)]
    assert [j.chat_id for j in due_sends(db, now, limit=10, skip_chats=[1])] == [2]


def test_moving_into_an_already_subscribed_supergroup_keeps_its_settings(db_path):
    db = open_db(db_path)
    seed_chats(db, [(-5, 0)], kind="group", lang="be")
    seed_chats(db, [(-1005, 0)], lang="ru")
    seed_alert(db, [(-5, 0)])

    move_chat(db, -5, -1005)

    assert list(db.query("SELECT chat_id, lang FROM chats")) == [{"chat_id": -1005, "lang": "ru"}]
    assert db.execute("SELECT chat_id, state FROM outbox").fetchall() == [(-1005, "pending")]


def test_deactivating_one_topic_leaves_the_others(db_path):
    db = open_db(db_path)
    seed_chats(db, [(-9, 0), (-9, 4)])
    seed_alert(db, [(-9, 0), (-9, 4)])

    assert deactivate_chat(db, -9, "topic closed", thread_id=4) == 1

    assert db.execute("SELECT thread_id, active FROM chats ORDER BY 1").fetchall() == [
        (0, 1), (4, 0)]
    assert db.execute("SELECT thread_id, state FROM outbox ORDER BY 1").fetchall() == [
        (0, "pending"), (4, "dropped")]
