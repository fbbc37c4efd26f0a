"""Daily digests: /digest and /tz, the due time with a tz offset, what goes in, sending."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from bot.digest import due_day, send_due_digests
from bot.telegram.digest import parse_offset, parse_time
from tests.bot.handlers_harness import Harness

USER = 1001
OTHER = 1002


@pytest.fixture
async def bot(fake_bot_api, tmp_path):
    async with Harness(fake_bot_api, tmp_path) as h:
        yield h
        assert h.errors == []


def add_alert(db, type_, created, *, count=5, people=(), evidence="Freed today.", alerting=1):
    db.execute(
        "INSERT INTO articles (content_hash, title, text, published, first_seen, url, source)"
        " VALUES (?, 't', 't', ?, ?, ?, 'Outlet')",
        [f"h{created}{type_}", created, created, f"https://news.example/{type_}/{created}"],
    )
    article = db.execute("SELECT MAX(id) FROM articles").fetchone()[0]
    db.execute(
        "INSERT INTO alerts (type, certainty, count, date, people, evidence, first_article_id,"
        " alerting, created_at, updated_at) VALUES (?, 'reported', ?, ?, ?, ?, ?, ?, ?, ?)",
        [type_, count, created[:10], json.dumps(list(people)), evidence, article, alerting,
         created, created],
    )
    alert = db.execute("SELECT MAX(id) FROM alerts").fetchone()[0]
    db.execute(
        "INSERT INTO alert_articles (alert_id, article_id, added_at) VALUES (?, ?, ?)",
        [alert, article, created],
    )


def test_parsing_times_and_offsets():
    assert parse_time("8:05") == "08:05" and parse_time("23:59") == "23:59"
    assert parse_time("24:00") is None and parse_time("noon") is None
    assert parse_offset("+03:00") == 180 and parse_offset("UTC+3") == 180
    assert parse_offset("-05:30") == -330 and parse_offset("0") == 0
    assert parse_offset("+15:00") is None and parse_offset("+3:99") is None
    assert parse_offset("soon") is None


@pytest.mark.parametrize(
    ("code", "set_answer", "tz_answer", "usage"),
    [("en", "One message a day at 08:00 (UTC+00:00)", "Time zone: UTC+03:00.", "Usage"),
     ("ru", "Одно сообщение в день в 08:00 (UTC+00:00)", "Часовой пояс: UTC+03:00.",
      "Как использовать"),
     ("be", "Адно паведамленне ў дзень а 08:00 (UTC+00:00)", "Часавы пояс: UTC+03:00.",
      "Як карыстацца")],
)
async def test_digest_and_tz_commands_in_each_language(bot, code, set_answer, tz_answer, usage):
    await bot.command("/start", chat_id=USER, user_id=USER, language_code=code)
    assert set_answer in await bot.command("/digest daily 8:00", chat_id=USER, user_id=USER)
    assert await bot.command("/tz +03:00", chat_id=USER, user_id=USER) == tz_answer
    row = bot.chat(USER)
    assert row["digest"] == "08:00" and row["tz_offset"] == 180
    for bad in ("/digest daily 25:00", "/digest weekly", "/digest", "/tz +20", "/tz"):
        assert usage in await bot.command(bad, chat_id=USER, user_id=USER), bad
    assert bot.chat(USER)["digest"] == "08:00" and bot.chat(USER)["tz_offset"] == 180
    await bot.command("/digest off", chat_id=USER, user_id=USER)
    assert bot.chat(USER)["digest"] is None


def test_due_day_follows_the_local_clock():
    chat = {"active": 1, "digest": "08:00", "tz_offset": 180, "last_digest_on": None}
    assert due_day(chat, datetime(2025, 9, 20, 4, 59, tzinfo=UTC)) is None
    assert due_day(chat, datetime(2025, 9, 20, 5, 0, tzinfo=UTC)) == date(2025, 9, 20)
    chat["last_digest_on"] = "2025-09-20"
    assert due_day(chat, datetime(2025, 9, 20, 23, 0, tzinfo=UTC)) is None  # 02:00 on the 21st
    assert due_day(chat, datetime(2025, 9, 21, 5, 0, tzinfo=UTC)) == date(2025, 9, 21)


async def test_digest_is_sent_once_at_local_time_with_the_days_alerts(bot, fake_bot_api):
    await bot.command("/start", chat_id=USER, user_id=USER, language_code="ru")
    await bot.command("/digest daily 08:00", chat_id=USER, user_id=USER)
    await bot.command("/tz +03:00", chat_id=USER, user_id=USER)
    await bot.command("/mute tally", chat_id=USER, user_id=USER)
    await bot.command("/start", chat_id=OTHER, user_id=OTHER)  # real time: no digest
    before = len(fake_bot_api.sent_texts(USER))
    add_alert(bot.db, "pardon", "2025-09-19T10:00:00+00:00", count=52, evidence="<b>52</b> freed")
    add_alert(bot.db, "tally", "2025-09-19T11:00:00+00:00", count=1184)   # muted
    add_alert(bot.db, "rearrest", "2025-09-18T04:00:00+00:00")            # before the window
    add_alert(bot.db, "deportation", "2025-09-20T06:00:00+00:00")         # after 08:00 local
    add_alert(bot.db, "recognition", "2025-09-19T12:00:00+00:00", alerting=0)
    tg = bot.app.bot
    assert await send_due_digests(tg, bot.db, now=datetime(2025, 9, 20, 4, 59, tzinfo=UTC)) == 0
    assert await send_due_digests(tg, bot.db, now=datetime(2025, 9, 20, 5, 0, tzinfo=UTC)) == 1
    texts = fake_bot_api.sent_texts(USER)[before:]
    assert len(texts) == 1
    digest = texts[0]
    assert digest.startswith("<b>Сводка за 2025-09-20</b>\n1 событие")
    assert "#pardon 2025-09-19 52" in digest and "&lt;b&gt;52&lt;/b&gt; freed" in digest
    for absent in ("#tally", "#rearrest", "#deportation", "#recognition"):
        assert absent not in digest
    assert fake_bot_api.sent_texts(OTHER)[-1].startswith("I watch")  # only the /start answer
    assert await send_due_digests(tg, bot.db, now=datetime(2025, 9, 20, 9, 0, tzinfo=UTC)) == 0
    assert await send_due_digests(tg, bot.db, now=datetime(2025, 9, 21, 5, 1, tzinfo=UTC)) == 1
    nextday = fake_bot_api.sent_texts(USER)[-1]
    assert "#deportation" in nextday and "#pardon" not in nextday
    assert bot.chat(USER)["last_digest_on"] == "2025-09-21"


async def test_empty_digest_and_a_blocked_chat(bot, fake_bot_api):
    await bot.command("/start", chat_id=USER, user_id=USER)
    await bot.command("/digest daily 07:30", chat_id=USER, user_id=USER)
    await bot.command("/start", chat_id=OTHER, user_id=OTHER)
    await bot.command("/digest daily 07:30", chat_id=OTHER, user_id=OTHER)
    fake_bot_api.fail("sendMessage", "403", chat_id=OTHER)
    now = datetime(2025, 9, 20, 7, 30, tzinfo=UTC)
    assert await send_due_digests(bot.app.bot, bot.db, now=now) == 1
    assert "Nothing new today." in bot.last(USER)
    assert bot.chat(OTHER)["active"] == 0


async def test_a_failed_digest_is_retried_next_minute(bot, fake_bot_api):
    await bot.command("/start", chat_id=USER, user_id=USER)
    await bot.command("/digest daily 07:30", chat_id=USER, user_id=USER)
    fake_bot_api.fail("sendMessage", "500", chat_id=USER)
    now = datetime(2025, 9, 20, 7, 30, tzinfo=UTC)
    assert await send_due_digests(bot.app.bot, bot.db, now=now) == 0
    assert bot.chat(USER)["last_digest_on"] is None
    assert await send_due_digests(bot.app.bot, bot.db, now=now.replace(minute=31)) == 1


async def test_a_digest_group_that_migrated_follows_its_new_id(bot, fake_bot_api):
    group, supergroup = -5001, -1005001
    await bot.command("/start", chat_id=group, user_id=0, chat_type="group", sender_chat_id=group)
    await bot.command(
        "/digest daily 07:30", chat_id=group, user_id=0, chat_type="group", sender_chat_id=group
    )
    fake_bot_api.fail("sendMessage", "migrate", chat_id=group, migrate_to=supergroup)
    now = datetime(2025, 9, 20, 7, 30, tzinfo=UTC)
    assert await send_due_digests(bot.app.bot, bot.db, now=now) == 0
    assert bot.chat(group) is None and bot.chat(supergroup)["digest"] == "07:30"
    assert await send_due_digests(bot.app.bot, bot.db, now=now.replace(minute=31)) == 1
    assert "Nothing new today." in bot.last(supergroup)
