"""Operator commands, the failing-feed notice and the command menus."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from telegram import Bot

from bot.telegram import setup_commands
from bot.telegram.operator import notify_failing_feeds, redirect_guard
from tests.bot.handlers_harness import OPERATOR, Harness

USER = 801


@pytest.fixture
async def bot(fake_bot_api, tmp_path):
    async with Harness(fake_bot_api, tmp_path, RELEASEWATCH_ALLOWED_FEED_HOSTS="127.0.0.1") as h:
        yield h
        assert h.errors == []


def add_feed(db, url, **values):
    db.execute(
        "INSERT INTO feeds (url, added_at) VALUES (?, '2025-09-01T00:00:00Z')", [url]
    )
    feed_id = db.execute("SELECT id FROM feeds WHERE url = ?", [url]).fetchone()[0]
    for key, value in values.items():
        db.execute(f"UPDATE feeds SET {key} = ? WHERE id = ?", [value, feed_id])
    return feed_id


@pytest.mark.parametrize(
    ("code", "refusal"),
    [("en", "only for the bot's operators"), ("ru", "только для операторов"),
     ("be", "толькі для аператараў")],
)
async def test_operator_commands_are_refused_to_others(bot, code, refusal):
    add_feed(bot.db, "https://example.org/rss")
    for command in ("/feeds", "/addfeed https://example.com/rss", "/removefeed 1", "/status"):
        text = await bot.command(command, chat_id=USER, user_id=USER, language_code=code)
        assert refusal in text, command
    assert bot.db.execute("SELECT COUNT(*) FROM feeds").fetchone()[0] == 1


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.2/feed", "http://10.1.2.3/rss", "http://169.254.169.254/latest/meta-data",
     "file:///etc/passwd", "ftp://example.org/rss", "http://localhost:8080/rss",
     "http://[::1]/rss", "http://192.168.0.10/rss", "javascript:alert(1)"],
)
async def test_addfeed_refuses_unsafe_urls(bot, url):
    text = await bot.command(f"/addfeed {url}", chat_id=OPERATOR, user_id=OPERATOR)
    assert text.startswith("Refused"), text
    assert bot.db.execute("SELECT COUNT(*) FROM feeds").fetchone()[0] == 0


async def test_addfeed_accepts_an_allowed_host_and_removefeed_removes(bot):
    text = await bot.command("/addfeed http://127.0.0.1:8000/rss", chat_id=OPERATOR, user_id=OPERATOR)
    assert text.startswith("Added feed")
    assert bot.db.execute("SELECT url FROM feeds").fetchone()[0] == "http://127.0.0.1:8000/rss"
    again = await bot.command("/addfeed http://127.0.0.1:8000/rss", chat_id=OPERATOR, user_id=OPERATOR)
    assert "already" in again
    assert "Usage" in await bot.command("/addfeed", chat_id=OPERATOR, user_id=OPERATOR)
    assert "No feed" in await bot.command("/removefeed 99", chat_id=OPERATOR, user_id=OPERATOR)
    await bot.command("/removefeed http://127.0.0.1:8000/rss", chat_id=OPERATOR, user_id=OPERATOR)
    assert bot.db.execute("SELECT COUNT(*) FROM feeds").fetchone()[0] == 0


async def test_feeds_and_status_report_health(bot):
    add_feed(bot.db, "https://ok.example/rss", last_success_at="2025-09-11T10:00:00Z",
             last_polled_at="2025-09-11T10:00:00Z")
    add_feed(bot.db, "https://bad.example/rss", error_count=3, last_error="HTTP 500 <oops>",
             last_polled_at="2025-09-11T10:05:00Z")
    feeds = await bot.command("/feeds", chat_id=OPERATOR, user_id=OPERATOR)
    assert "✅ 1 ok.example" in feeds and "❌ 2 bad.example" in feeds and "errors:3" in feeds
    assert "&lt;oops&gt;" in feeds
    status = await bot.command("/status", chat_id=OPERATOR, user_id=OPERATOR)
    assert "Outbox pending: 0" in status and "Last poll: 2025-09-11T10:05:00Z" in status
    assert "failing: 1" in status


async def test_failing_feed_is_notified_once_per_spell(bot, fake_bot_api):
    now = datetime(2025, 9, 12, 12, 0, tzinfo=UTC)
    feed = add_feed(bot.db, "https://bad.example/rss", error_count=20, last_error="timeout",
                    failing_since="2025-09-11T08:00:00Z")
    add_feed(bot.db, "https://new.example/rss", error_count=1, failing_since="2025-09-12T08:00:00Z")
    bot_api = bot.app.bot
    assert await notify_failing_feeds(bot_api, bot.db, bot.settings, now=now) == 1
    assert "bad.example" in bot.last(OPERATOR) and "new.example" not in bot.last(OPERATOR)
    assert await notify_failing_feeds(bot_api, bot.db, bot.settings, now=now + timedelta(hours=1)) == 0
    bot.db.execute("UPDATE feeds SET failing_since = '2025-09-13T00:00:00Z' WHERE id = ?", [feed])
    later = now + timedelta(days=2)
    assert await notify_failing_feeds(bot_api, bot.db, bot.settings, now=later) == 2
    assert len(fake_bot_api.sent_texts(OPERATOR)) == 3


async def test_setup_commands_per_language_and_operators(fake_bot_api):
    async with Bot(fake_bot_api.token, base_url=fake_bot_api.base_url) as tg:
        await setup_commands(tg, admins=[OPERATOR])
    calls = fake_bot_api.calls_to("setMyCommands")
    by_lang = {c.params.get("language_code"): c.params for c in calls if "scope" not in c.params}
    assert set(by_lang) == {None, "ru", "be"}
    names = [c["command"] for c in by_lang[None]["commands"]]
    assert "start" in names and "stats" in names and "addfeed" not in names
    assert by_lang["ru"]["commands"][0]["description"] == "подписать этот чат"
    assert by_lang["be"]["commands"][0]["description"] == "падпісаць гэты чат"
    scoped = [c for c in calls if "scope" in c.params]
    assert scoped and "addfeed" in [c["command"] for c in scoped[0].params["commands"]]


async def test_a_long_feed_list_is_cut_between_lines(bot):
    for i in range(150):
        add_feed(bot.db, f"https://feed{i}.example/rss?a=1&b=2", error_count=1,
                 last_error="<b>broken</b> & more " * 5)
    text = await bot.command("/feeds", chat_id=OPERATOR, user_id=OPERATOR)
    assert len(text) <= 4096 and "more" in text.splitlines()[-1]
    assert text.count("&lt;b&gt;") >= 10


@pytest.mark.parametrize(
    ("source", "target", "allowed", "refused"),
    [("http://93.184.216.34/rss", "http://169.254.169.254/latest/meta-data", "", True),
     ("http://93.184.216.34/rss", "http://localhost:8080/rss", "", True),
     ("http://93.184.216.34/rss", "http://10.0.0.5/rss", "", True),
     ("http://93.184.216.34/rss", "file:///etc/passwd", "", True),
     ("http://93.184.216.34/rss", "https://93.184.216.35/rss", "", False),
     ("http://127.0.0.1:8000/rss", "http://127.0.0.1:8000/rss2", "", False),  # a local feed
     ("http://93.184.216.34/rss", "http://127.0.0.1:8000/rss", "127.0.0.1", False)],
)
async def test_redirects_from_a_public_feed_to_a_private_address_are_refused(
    source, target, allowed, refused
):
    # IP literals and localhost resolve without any traffic leaving the machine.
    guard = redirect_guard(frozenset({allowed} - {""}))
    why = await guard(source, target)
    assert bool(why) == refused, why
