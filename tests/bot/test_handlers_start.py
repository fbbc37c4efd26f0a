"""/start, /stop, /help, /forget, group admin checks and forum topics through the real bot."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.bot.handlers_harness import Harness

USER = 501
GROUP = -100500
ADMIN = 77
MEMBER = 78


@pytest.fixture
async def bot(fake_bot_api, tmp_path):
    async with Harness(fake_bot_api, tmp_path) as h:
        yield h
        assert h.errors == []


@pytest.mark.parametrize(
    ("code", "lang", "phrase"),
    [("en", "en", "political prisoners in Belarus"), ("ru", "ru", "политзаключённых в Беларуси"),
     ("be-BY", "be", "палітвязняў у Беларусі"), ("de", "en", "political prisoners")],
)
async def test_start_subscribes_with_defaults_in_the_users_language(bot, code, lang, phrase):
    text = await bot.command("/start", chat_id=USER, user_id=USER, language_code=code)
    row = bot.chat(USER)
    assert row is not None and row["active"] == 1 and row["lang"] == lang and row["kind"] == "private"
    assert json.loads(row["topics"]) == ["pardon", "deportation", "rearrest", "recognition", "tally"]
    assert row["expected"] == 0 and row["digest"] is None
    assert phrase in text and "/topics" in text


@pytest.mark.parametrize(
    ("code", "promise"),
    [("en", "No usernames, names or phone numbers"), ("ru", "Никаких имён пользователей"),
     ("be", "Ніякіх імён карыстальнікаў")],
)
async def test_help_includes_the_privacy_promise_in_each_language(bot, code, promise):
    text = await bot.command("/help", chat_id=USER, user_id=USER, language_code=code)
    assert promise in text and "/forget" in text and "/digest" in text


async def test_stop_keeps_settings_and_start_resumes(bot):
    await bot.command("/start", chat_id=USER, user_id=USER, language_code="ru")
    text = await bot.command("/stop", chat_id=USER, user_id=USER)
    assert "Подписка отменена" in text
    assert bot.chat(USER)["active"] == 0
    assert "не был подписан" in await bot.command("/stop", chat_id=USER, user_id=USER)
    await bot.command("/start", chat_id=USER, user_id=USER)
    assert bot.chat(USER)["active"] == 1 and bot.chat(USER)["lang"] == "ru"


async def test_extra_arguments_get_a_clear_answer_and_change_nothing(bot):
    await bot.command("/start", chat_id=USER, user_id=USER)
    assert "takes no arguments" in await bot.command("/stop now please", chat_id=USER, user_id=USER)
    assert bot.chat(USER)["active"] == 1


async def test_forget_leaves_no_rows_about_the_chat(bot):
    await bot.command("/start", chat_id=USER, user_id=USER)
    await bot.command("/start", chat_id=USER + 1, user_id=USER + 1)
    await bot.command("/follow person Statkevich", chat_id=USER, user_id=USER)
    db = bot.db
    db.execute(
        "INSERT INTO alerts (type, certainty, evidence, created_at, updated_at)"
        " VALUES ('pardon', 'reported', 'x', '2025-09-11', '2025-09-11')"
    )
    for chat in (USER, USER + 1):
        db.execute("INSERT INTO outbox (alert_id, chat_id, created_at) VALUES (1, ?, 'now')", [chat])
    assert bot.count("chat_people", USER) == 1
    text = await bot.command("/forget", chat_id=USER, user_id=USER, language_code="en")
    assert "everything stored about this chat is deleted" in text
    for table in ("chats", "chat_people", "outbox"):
        assert bot.count(table, USER) == 0, table
    assert bot.count("chats", USER + 1) == 1 and bot.count("outbox", USER + 1) == 1


async def test_group_start_needs_an_administrator(bot, fake_bot_api):
    fake_bot_api.set_admins(GROUP, [ADMIN])
    text = await bot.command("/start", chat_id=GROUP, user_id=MEMBER, chat_type="supergroup")
    assert "only administrators" in text and bot.chat(GROUP) is None
    text = await bot.command(
        "/start", chat_id=GROUP, user_id=ADMIN, chat_type="supergroup", language_code="be"
    )
    assert bot.chat(GROUP)["active"] == 1 and bot.chat(GROUP)["lang"] == "be"
    assert "палітвязняў" in text
    text = await bot.command("/stop", chat_id=GROUP, user_id=MEMBER, chat_type="supergroup")
    assert "only administrators" in text.lower() or "адміністратары" in text
    assert bot.chat(GROUP)["active"] == 1


async def test_admin_answers_are_cached_briefly(bot, fake_bot_api):
    fake_bot_api.set_admins(GROUP, [ADMIN])
    for _ in range(3):
        await bot.command("/stats", chat_id=GROUP, user_id=ADMIN, chat_type="supergroup")
        await bot.command("/start", chat_id=GROUP, user_id=ADMIN, chat_type="supergroup")
    assert len(fake_bot_api.calls_to("getChatMember")) == 1


async def test_anonymous_administrator_counts_as_administrator(bot, fake_bot_api):
    text = await bot.command(
        "/start", chat_id=GROUP, user_id=0, chat_type="supergroup", sender_chat_id=GROUP
    )
    assert bot.chat(GROUP)["active"] == 1, text
    assert not fake_bot_api.calls_to("getChatMember")


async def test_adding_the_bot_to_a_group_greets_without_subscribing(bot, fake_bot_api):
    await bot.process(
        fake_bot_api.my_chat_member(
            chat_id=GROUP, chat_type="supergroup", user_id=ADMIN, old="left", new="member",
            language_code="ru",
        )
    )
    assert "Администратор может подписать эту группу" in bot.last(GROUP)
    assert bot.chat(GROUP) is None


async def test_start_inside_a_forum_topic_subscribes_that_topic(bot, fake_bot_api):
    fake_bot_api.set_admins(GROUP, [ADMIN])
    await bot.command("/start", chat_id=GROUP, user_id=ADMIN, chat_type="supergroup", thread_id=7)
    assert bot.chat(GROUP, 7)["active"] == 1 and bot.chat(GROUP, 0) is None
    reply = fake_bot_api.messages[GROUP][-1]
    assert reply["message_thread_id"] == 7


async def test_unknown_command_is_answered_in_private_only(bot, fake_bot_api):
    assert "/help" in await bot.command("/frobnicate", chat_id=USER, user_id=USER)
    await bot.command("/frobnicate", chat_id=GROUP, user_id=MEMBER, chat_type="group")
    assert fake_bot_api.sent_texts(GROUP) == []


async def test_bot_answers_through_long_polling(fake_bot_api, tmp_path):
    async with Harness(fake_bot_api, tmp_path) as h:
        await h.app.start()
        await h.app.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            fake_bot_api.command("/start", chat_id=USER, user_id=USER, language_code="ru")
            assert await fake_bot_api.until(lambda: bool(fake_bot_api.sent_texts(USER)), 5)
            for _ in range(50):
                if h.chat(USER):
                    break
                await asyncio.sleep(0.05)
            assert h.chat(USER)["lang"] == "ru"
        finally:
            await h.app.updater.stop()
            await h.app.stop()


async def test_a_telegram_error_while_answering_loses_no_setting(fake_bot_api, tmp_path):
    async with Harness(fake_bot_api, tmp_path) as h:
        fake_bot_api.fail("sendMessage", "500", chat_id=USER)
        await h.command("/start", chat_id=USER, user_id=USER, language_code="ru")
        assert h.chat(USER)["active"] == 1 and h.chat(USER)["lang"] == "ru"
        assert len(h.errors) == 1
        # The error handler told the chat, in its language, that something went wrong.
        assert h.last(USER) == "Что-то пошло не так; попробуйте ещё раз."


async def test_admin_check_failing_at_telegram_asks_to_retry_and_is_not_cached(bot, fake_bot_api):
    fake_bot_api.set_admins(GROUP, [ADMIN])
    fake_bot_api.fail("getChatMember", "500")
    text = await bot.command("/start", chat_id=GROUP, user_id=ADMIN, chat_type="supergroup")
    assert "could not check your rights" in text and bot.chat(GROUP) is None
    await bot.command("/start", chat_id=GROUP, user_id=ADMIN, chat_type="supergroup")
    assert bot.chat(GROUP)["active"] == 1
