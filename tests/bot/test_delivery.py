"""Delivery against the fake Bot API server: sends, topics, edits, limits, stop and restart."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import sqlite_utils

from bot.delivery import Delivery, DeliveryConfig
from bot.ratelimit import Limits
from bot.store.outbox import state_counts

NOW = "2026-11-20T10:00:00Z"
# Tests that do not exercise the limits run faster than Telegram allows.
FAST = DeliveryConfig(limits=Limits(overall_per_second=500, chat_interval=0.0),
                      idle_poll=0.05, backoff=0.1)


def seed_chats(db: sqlite_utils.Database, chats: list[tuple[int, int]], *,
               kind: str | None = None, lang: str = "en", digest: str | None = None) -> None:
    """Subscribed chats: (chat_id, thread_id); the kind follows the id's sign unless given."""
    db.conn.execute("BEGIN")
    db.conn.executemany(
        "INSERT INTO chats (chat_id, thread_id, kind, lang, digest, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(c, t, kind or ("private" if c > 0 else "supergroup"), lang, digest, NOW)
         for c, t in chats],
    )
    db.conn.execute("COMMIT")


def seed_alert(db: sqlite_utils.Database, chats: list[tuple[int, int]], *,
               evidence: str = "52 political prisoners were pardoned and freed.",
               count: int = 52) -> int:
    """An alert with one article and its outbox rows, as the pipeline writes them."""
    db.conn.execute("BEGIN")
    cur = db.conn.execute(
        "INSERT INTO articles (url, content_hash, title, text, lang, source, published,"
        " first_seen, processed) VALUES (?, ?, ?, ?, 'en', 'Outlet <One>', ?, ?, 1)",
        [f"https://news.example/{count}-{evidence[:8]}?a=1&b=2", f"h{count}{evidence}",
         "Pardon", evidence, NOW, NOW],
    )
    article_id = cur.lastrowid
    cur = db.conn.execute(
        "INSERT INTO alerts (type, certainty, count, date, people, evidence, first_article_id,"
        " created_at, updated_at) VALUES ('pardon', 'reported', ?, '2026-11-20', ?, ?, ?, ?, ?)",
        [count, json.dumps(["Mikalai Statkevich"]), evidence, article_id, NOW, NOW],
    )
    alert_id = int(cur.lastrowid or 0)
    db.conn.execute("INSERT INTO alert_articles VALUES (?, ?, ?)", [alert_id, article_id, NOW])
    db.conn.executemany(
        "INSERT INTO outbox (alert_id, chat_id, thread_id, created_at) VALUES (?, ?, ?, ?)",
        [(alert_id, c, t, NOW) for c, t in chats],
    )
    db.conn.execute("COMMIT")
    return alert_id


def bump_alert(db: sqlite_utils.Database, alert_id: int, count: int) -> None:
    """What the pipeline does when a later report adds detail: a new version to show."""
    db.execute("UPDATE alerts SET count = ?, version = version + 1 WHERE id = ?",
               [count, alert_id])


def outbox_rows(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT * FROM outbox ORDER BY id"))


async def run_until(delivery: Delivery, done: Callable[[], bool], timeout: float = 10.0) -> None:
    """Run the worker until `done()` holds, then stop it the graceful way."""
    stop = asyncio.Event()
    task = asyncio.create_task(delivery.run(stop))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    try:
        while not done():
            if task.done():
                task.result()
                raise AssertionError("delivery stopped on its own")
            if loop.time() > deadline:
                raise AssertionError(f"timed out; outbox: {state_counts(delivery.db)}")
            await asyncio.sleep(0.02)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)


def all_sent(db: sqlite_utils.Database) -> Callable[[], bool]:
    return lambda: set(state_counts(db)) <= {"sent", "dropped", "failed", "unknown"}


async def test_sends_each_chat_its_message_in_html_and_records_it(db, bot, fake_bot_api):
    chats = [(101, 0), (102, 0), (-1003, 0)]
    seed_chats(db, chats)
    seed_chats(db, [(104, 0)], lang="ru")
    alert_id = seed_alert(db, chats + [(104, 0)])

    await run_until(Delivery(db, bot, config=FAST), all_sent(db))

    for chat_id in (101, 102, -1003, 104):
        assert len(fake_bot_api.sent_texts(chat_id)) == 1
    call = fake_bot_api.calls_to("sendMessage")[0]
    assert call.params["parse_mode"] == "HTML"
    assert call.params["link_preview_options"] == {"is_disabled": True}
    assert "message_thread_id" not in call.params
    text = fake_bot_api.sent_texts(101)[0]
    assert "Outlet &lt;One&gt;" in text and "a=1&amp;b=2" in text  # escaped outside strings
    rows = outbox_rows(db)
    assert {r["state"] for r in rows} == {"sent"}
    assert all(r["sent_version"] == 1 and r["attempts"] == 1 and r["sent_at"] for r in rows)
    by_chat = {r["chat_id"]: r["message_id"] for r in rows if r["alert_id"] == alert_id}
    assert by_chat[101] == fake_bot_api.messages[101][0]["message_id"]


async def test_forum_topics_get_their_thread_id(db, bot, fake_bot_api):
    seed_chats(db, [(-1005, 0), (-1005, 77), (-1005, 78)])
    seed_alert(db, [(-1005, 0), (-1005, 77), (-1005, 78)])

    await run_until(Delivery(db, bot, config=FAST), all_sent(db))

    threads = sorted(m.get("message_thread_id", 0) for m in fake_bot_api.messages[-1005])
    assert threads == [0, 77, 78]


async def test_digest_chats_get_no_real_time_message(db, bot, fake_bot_api):
    seed_chats(db, [(201, 0)])
    seed_chats(db, [(202, 0)], digest="08:00")
    seed_alert(db, [(201, 0), (202, 0)])  # 202 switched to a digest after the alert

    await run_until(Delivery(db, bot, config=FAST), all_sent(db))

    assert len(fake_bot_api.sent_texts(201)) == 1
    assert fake_bot_api.sent_texts(202) == []
    states = {r["chat_id"]: (r["state"], r["last_error"]) for r in outbox_rows(db)}
    assert states[202] == ("dropped", "digest chat")


async def test_updates_become_one_edit_of_the_latest_version_after_new_sends(
    db, bot, fake_bot_api
):
    seed_chats(db, [(301, 0), (302, 0)])
    first = seed_alert(db, [(301, 0), (302, 0)], count=52)
    await run_until(Delivery(db, bot, config=FAST), all_sent(db))
    original = fake_bot_api.sent_texts(301)[0]
    for count in (53, 54, 55):  # three updates before the worker looks again
        bump_alert(db, first, count)
    seed_alert(db, [(301, 0), (302, 0)], evidence="Viasna recognised 8 new political prisoners.",
               count=8)
    fake_bot_api.calls.clear()

    await run_until(Delivery(db, bot, config=FAST),
                    lambda: all_sent(db)() and all(r["sent_version"] == (4 if r["alert_id"] == first
                                                   else 1) for r in outbox_rows(db)))

    methods = [(c.method, c.params["chat_id"]) for c in fake_bot_api.calls
               if c.method in ("sendMessage", "editMessageText")]
    assert sorted(methods) == sorted([("sendMessage", 301), ("sendMessage", 302),
                                      ("editMessageText", 301), ("editMessageText", 302)])
    # News first, corrections after: in each chat the new alert goes before the edit (across
    # chats, per-chat pacing may let one chat's edit pass another chat's waiting send).
    for chat in (301, 302):
        in_chat = [method for method, chat_id in methods if chat_id == chat]
        assert in_chat == ["sendMessage", "editMessageText"], in_chat
    edited = fake_bot_api.messages[301][0]
    assert "55" in edited["text"] and "55" not in original and edited["edited"] == 1


async def test_not_modified_counts_as_an_edit_done(db, bot, fake_bot_api):
    seed_chats(db, [(401, 0)])
    alert_id = seed_alert(db, [(401, 0)])
    await run_until(Delivery(db, bot, config=FAST), all_sent(db))
    bump_alert(db, alert_id, 52)  # a new version that renders the same text
    fake_bot_api.fail("editMessageText", "400-not-modified")

    await run_until(Delivery(db, bot, config=FAST),
                    lambda: outbox_rows(db)[0]["sent_version"] == 2)

    assert len(fake_bot_api.calls_to("editMessageText")) == 1
    assert outbox_rows(db)[0]["state"] == "sent" and outbox_rows(db)[0]["last_error"] is None


async def test_fan_out_to_100_chats_within_telegrams_limits(db, bot, fake_bot_api):
    fake_bot_api.enforce_limits = True
    chats = [(1000 + i, 0) for i in range(70)] + [(-2000 - i, 0) for i in range(30)]
    seed_chats(db, chats)
    seed_alert(db, chats)
    seed_alert(db, chats[:3], evidence="A second pardon, a day later.", count=3)  # same chats

    await run_until(Delivery(db, bot), all_sent(db), timeout=60)

    assert fake_bot_api.too_many_requests == 0
    assert state_counts(db) == {"sent": 103}
    assert all(len(fake_bot_api.sent_texts(c)) == 1 for c, _ in chats[3:])
    assert all(len(fake_bot_api.sent_texts(c)) == 2 for c, _ in chats[:3])
    sends = [c.at for c in fake_bot_api.calls_to("sendMessage")]
    assert max(sum(1 for t in sends if s <= t < s + 1.0) for s in sends) <= 29
    # (how close to the limit it runs is bench_fanout.py's to measure, not a timed test's)


async def test_stop_finishes_the_message_in_flight(db, bot, fake_bot_api):
    seed_chats(db, [(501, 0), (502, 0)])
    seed_alert(db, [(501, 0), (502, 0)])
    fake_bot_api.fail("sendMessage", "slow", chat_id=501, delay=0.5)
    delivery = Delivery(db, bot, config=DeliveryConfig(concurrency=1, idle_poll=0.05))
    stop = asyncio.Event()
    task = asyncio.create_task(delivery.run(stop))
    assert await fake_bot_api.until(lambda: len(fake_bot_api.calls_to("sendMessage")) == 1)
    stop.set()
    await asyncio.wait_for(task, 5)

    rows = {r["chat_id"]: r for r in outbox_rows(db)}
    assert rows[501]["state"] == "sent" and rows[501]["message_id"] == 1
    assert rows[502]["state"] == "pending"  # not started: the next run sends it
    assert fake_bot_api.sent_texts(502) == []
