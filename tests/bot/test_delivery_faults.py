"""Delivery when Telegram says no: 429, 403, 400, migration, 500, no network, a hidden success."""

from __future__ import annotations

import asyncio
import socket

from bot.delivery import Delivery, DeliveryConfig
from bot.sending import make_delivery_bot
from tests.bot.test_delivery import (
    FAST,
    all_sent,
    bump_alert,
    outbox_rows,
    run_until,
    seed_alert,
    seed_chats,
)


def rows_by_chat(db) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for r in outbox_rows(db):
        out.setdefault(r["chat_id"], []).append(r)
    return out


async def test_429_waits_retry_after_then_sends_and_drops_nothing(db, bot, fake_bot_api):
    chats = [(601, 0), (602, 0), (603, 0), (604, 0)]
    seed_chats(db, chats)
    seed_alert(db, chats)
    fake_bot_api.fail("sendMessage", "429", chat_id=601, retry_after=1)
    # One request at a time, so nothing is already on its way when the 429 comes back.
    delivery = Delivery(db, bot, config=DeliveryConfig(limits=FAST.limits, idle_poll=0.05,
                                                       concurrency=1))

    await run_until(delivery, all_sent(db))

    assert all(len(fake_bot_api.sent_texts(c)) == 1 for c, _ in chats)
    to_601 = [c.at for c in fake_bot_api.calls_to("sendMessage") if c.params["chat_id"] == 601]
    assert len(to_601) == 2 and to_601[1] - to_601[0] >= 1.0
    # Everything pauses: nothing went out between the 429 and its retry_after.
    during = [c for c in fake_bot_api.calls_to("sendMessage")
              if to_601[0] < c.at < to_601[0] + 0.95]
    assert during == []
    assert rows_by_chat(db)[601][0]["attempts"] == 1  # a 429 is not a failed attempt
    assert delivery.counts["rate_limited"] == 1


async def test_403_deactivates_the_chat_and_drops_its_rows_others_delivered(
    db, bot, fake_bot_api
):
    seed_chats(db, [(701, 0), (702, 0)])
    seed_alert(db, [(701, 0), (702, 0)])
    seed_alert(db, [(701, 0), (702, 0)], evidence="Another release.", count=3)
    fake_bot_api.fail("sendMessage", "403", chat_id=701)

    await run_until(Delivery(db, bot, config=FAST), all_sent(db))

    assert fake_bot_api.sent_texts(701) == []
    assert len(fake_bot_api.sent_texts(702)) == 2
    assert [r["state"] for r in rows_by_chat(db)[701]] == ["dropped", "dropped"]
    assert "blocked" in rows_by_chat(db)[701][0]["last_error"]
    assert db.execute("SELECT active FROM chats WHERE chat_id = 701").fetchone()[0] == 0
    assert len([c for c in fake_bot_api.calls_to("sendMessage")
                if c.params["chat_id"] == 701]) == 1


async def test_400_chat_not_found_deactivates_every_topic_of_the_chat(db, bot, fake_bot_api):
    seed_chats(db, [(-7100, 0), (-7100, 5), (703, 0)])
    seed_alert(db, [(-7100, 0), (-7100, 5), (703, 0)])
    fake_bot_api.fail("sendMessage", "400", chat_id=-7100)

    await run_until(Delivery(db, bot, config=FAST), all_sent(db))

    assert fake_bot_api.sent_texts(-7100) == []
    assert len(fake_bot_api.sent_texts(703)) == 1
    active = db.execute("SELECT SUM(active) FROM chats WHERE chat_id = -7100").fetchone()[0]
    assert active == 0
    assert {r["state"] for r in rows_by_chat(db)[-7100]} == {"dropped"}


async def test_migrated_group_moves_with_its_settings_and_gets_the_message(
    db, bot, fake_bot_api
):
    seed_chats(db, [(-301, 0)], kind="group")
    db.execute("INSERT INTO chat_people VALUES (-301, 0, 'Statkevich', 'statkevich', 'follow')")
    seed_alert(db, [(-301, 0)])
    fake_bot_api.fail("sendMessage", "migrate", chat_id=-301, migrate_to=-100301)

    await run_until(Delivery(db, bot, config=FAST), all_sent(db))

    assert fake_bot_api.sent_texts(-301) == []
    assert len(fake_bot_api.sent_texts(-100301)) == 1
    chat = list(db.query("SELECT chat_id, kind, active FROM chats"))
    assert chat == [{"chat_id": -100301, "kind": "supergroup", "active": 1}]
    assert db.execute("SELECT chat_id FROM chat_people").fetchall() == [(-100301,)]
    row = outbox_rows(db)[0]
    assert (row["chat_id"], row["state"], row["attempts"]) == (-100301, "sent", 1)


async def test_500_is_retried_with_backoff_and_sent_once(db, bot, fake_bot_api):
    seed_chats(db, [(801, 0)])
    seed_alert(db, [(801, 0)])
    fake_bot_api.fail("sendMessage", "500", chat_id=801, times=2)

    await run_until(Delivery(db, bot, config=FAST), all_sent(db))

    assert len(fake_bot_api.sent_texts(801)) == 1
    calls = [c.at for c in fake_bot_api.calls_to("sendMessage")]
    assert len(calls) == 3
    # Backing off: each retry waits at least its delay, doubled from one to the next (lower
    # bounds, which a busy machine can only lengthen; comparing the two gaps was not robust).
    first, second = calls[1] - calls[0], calls[2] - calls[1]
    assert first >= 0.9 * FAST.backoff and second >= 0.9 * 2 * FAST.backoff
    row = outbox_rows(db)[0]
    assert (row["state"], row["attempts"], row["last_error"]) == ("sent", 3, None)


async def test_an_outage_is_one_warning_and_its_end_one_more(db, bot, fake_bot_api, caplog):
    seed_chats(db, [(811, 0), (812, 0), (813, 0)])
    seed_alert(db, [(811, 0), (812, 0), (813, 0)])
    for chat in (811, 812, 813):
        fake_bot_api.fail("sendMessage", "500", chat_id=chat, times=2)

    with caplog.at_level("INFO", logger="bot.delivery"):
        await run_until(Delivery(db, bot, config=FAST), all_sent(db))

    said = [r for r in caplog.records if r.name == "bot.delivery" and r.levelname == "WARNING"]
    assert [r.getMessage().split(" (")[0].split(";")[0] for r in said] == [
        "Telegram's Bot API is failing", "Telegram's Bot API answers again"]
    assert all("811" not in r.getMessage() for r in said)  # no chat ids in logs


async def test_errors_past_the_attempt_limit_end_as_failed_with_the_error(
    db, bot, fake_bot_api
):
    seed_chats(db, [(802, 0)])
    seed_alert(db, [(802, 0)])
    fake_bot_api.fail("sendMessage", "500", chat_id=802, times=10)
    config = DeliveryConfig(limits=FAST.limits, idle_poll=0.05, backoff=0.05, max_attempts=3)

    await run_until(Delivery(db, bot, config=config), all_sent(db))

    row = outbox_rows(db)[0]
    assert (row["state"], row["attempts"]) == ("failed", 3)
    assert "Internal Server Error" in row["last_error"]
    assert fake_bot_api.sent_texts(802) == []


async def test_no_network_keeps_the_row_pending_and_a_later_run_sends_it(
    db, bot, fake_bot_api
):
    seed_chats(db, [(803, 0)])
    seed_alert(db, [(803, 0)])
    with socket.socket() as s:  # a port where nothing listens
        s.bind(("127.0.0.1", 0))
        dead_port = s.getsockname()[1]
    dead = make_delivery_bot(fake_bot_api.token, f"http://127.0.0.1:{dead_port}/bot")
    delivery = Delivery(db, dead, config=FAST)  # never initialized: no getMe needed to send

    await run_until(delivery, lambda: outbox_rows(db)[0]["attempts"] >= 2)

    row = outbox_rows(db)[0]
    assert row["state"] == "pending" and "NetworkError" in row["last_error"]
    await run_until(Delivery(db, bot, config=FAST), all_sent(db))
    assert len(fake_bot_api.sent_texts(803)) == 1 and outbox_rows(db)[0]["state"] == "sent"


async def test_a_timeout_hiding_a_success_is_not_sent_twice(db, fake_bot_api):
    seed_chats(db, [(901, 0), (902, 0)])
    seed_alert(db, [(901, 0), (902, 0)])
    fake_bot_api.fail("sendMessage", "slow", chat_id=901, delay=1.0)
    impatient = make_delivery_bot(fake_bot_api.token, fake_bot_api.base_url, read_timeout=0.3)

    async with impatient:
        await run_until(Delivery(db, impatient, config=FAST), all_sent(db))
        assert await fake_bot_api.until(lambda: len(fake_bot_api.sent_texts(901)) == 1)
        await asyncio.sleep(0.3)  # a restart later: still nothing to send again
        await run_until(Delivery(db, impatient, config=FAST), all_sent(db))

    rows = rows_by_chat(db)
    assert rows[901][0]["state"] == "unknown" and "TimedOut" in rows[901][0]["last_error"]
    assert rows[902][0]["state"] == "sent"
    assert len(fake_bot_api.sent_texts(901)) == 1
    assert len(fake_bot_api.calls_to("sendMessage")) == 2


async def test_a_restart_never_resends_a_row_left_sending(db, bot, fake_bot_api):
    seed_chats(db, [(903, 0), (904, 0)])
    seed_alert(db, [(903, 0), (904, 0)])
    # What a kill leaves behind: the request had left (maybe delivered), no answer stored.
    db.execute("UPDATE outbox SET state = 'sending', attempts = 1 WHERE chat_id = 903")

    await run_until(Delivery(db, bot, config=FAST), all_sent(db))

    assert fake_bot_api.sent_texts(903) == []
    assert len(fake_bot_api.sent_texts(904)) == 1
    assert rows_by_chat(db)[903][0]["state"] == "unknown"


async def test_403_on_an_edit_deactivates_the_chat(db, bot, fake_bot_api):
    seed_chats(db, [(905, 0)])
    alert_id = seed_alert(db, [(905, 0)])
    await run_until(Delivery(db, bot, config=FAST), all_sent(db))
    bump_alert(db, alert_id, 60)
    fake_bot_api.fail("editMessageText", "403", chat_id=905)

    await run_until(Delivery(db, bot, config=FAST),
                    lambda: db.execute("SELECT active FROM chats").fetchone()[0] == 0)

    assert outbox_rows(db)[0]["state"] == "sent"  # the message was delivered; it stays so
    assert len(fake_bot_api.calls_to("editMessageText")) == 1


async def test_a_429_storm_delays_but_drops_and_repeats_nothing(db, bot, fake_bot_api):
    chats = [(650 + i, 0) for i in range(20)]
    seed_chats(db, chats)
    seed_alert(db, chats)
    fake_bot_api.fail("sendMessage", "429", times=5, retry_after=1)  # whoever asks next
    delivery = Delivery(db, bot, config=DeliveryConfig(limits=FAST.limits, idle_poll=0.05))

    await run_until(delivery, all_sent(db), timeout=30)

    assert all(len(fake_bot_api.sent_texts(c)) == 1 for c, _ in chats)
    assert len(fake_bot_api.calls_to("sendMessage")) == 20 + 5
    assert {r["state"] for r in outbox_rows(db)} == {"sent"}
    assert all(r["attempts"] == 1 for r in outbox_rows(db))  # 429s cost no attempt
    assert delivery.counts["rate_limited"] == 5
