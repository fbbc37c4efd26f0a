"""The fake Bot API server speaks the protocol the real python-telegram-bot expects."""

import asyncio

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter
from telegram.ext import ApplicationBuilder, CommandHandler

from tests.fakebotapi import FakeBotApi


def make_bot(api: FakeBotApi) -> Bot:
    return Bot(api.token, base_url=api.base_url)


async def test_send_edit_and_record(fake_bot_api):
    async with make_bot(fake_bot_api) as bot:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="x")]])
        msg = await bot.send_message(42, "<b>hi</b> Прывітанне", parse_mode="HTML", reply_markup=markup)
        await bot.edit_message_text("second", chat_id=42, message_id=msg.message_id)
    assert fake_bot_api.sent_texts(42) == ["second"]
    sent = fake_bot_api.calls_to("sendMessage")[0].params
    assert sent["parse_mode"] == "HTML" and sent["chat_id"] == 42
    assert sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "x"


async def test_faults_map_to_ptb_errors(fake_bot_api):
    fake_bot_api.fail("sendMessage", "429", retry_after=3)
    fake_bot_api.fail("sendMessage", "403", chat_id=7)
    fake_bot_api.fail("sendMessage", "migrate", migrate_to=-1001)
    fake_bot_api.fail("sendMessage", "400")
    async with make_bot(fake_bot_api) as bot:
        with pytest.raises(RetryAfter):
            await bot.send_message(1, "x")
        with pytest.raises(Forbidden):
            await bot.send_message(7, "x")
        with pytest.raises(ChatMigrated) as migrated:
            await bot.send_message(-5, "x")
        assert migrated.value.new_chat_id == -1001
        with pytest.raises(BadRequest, match="(?i)chat not found"):
            await bot.send_message(1, "x")
        assert (await bot.send_message(1, "ok")).text == "ok"


async def test_limits_answer_429_when_enforced():
    with FakeBotApi(enforce_limits=True) as api:
        async with make_bot(api) as bot:
            errors = 0
            for _ in range(5):
                try:
                    await bot.send_message(9, "x")
                except RetryAfter:
                    errors += 1
        assert errors == 2 and api.too_many_requests == 2


async def test_application_receives_commands_and_member_updates(fake_bot_api):
    seen: list[str] = []

    async def on_start(update, context):
        seen.append(update.effective_message.text)
        await update.effective_message.reply_text("subscribed")

    app = ApplicationBuilder().token(fake_bot_api.token).base_url(fake_bot_api.base_url).build()
    app.add_handler(CommandHandler("start", on_start))
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        fake_bot_api.command("/start", chat_id=5, user_id=5)
        fake_bot_api.my_chat_member(chat_id=-100, chat_type="channel", user_id=5,
                                    old="left", new="administrator")
        assert await fake_bot_api.until(lambda: fake_bot_api.sent_texts(5) == ["subscribed"])
        assert await fake_bot_api.updates_consumed()
        await app.updater.stop()
        await app.stop()
    assert seen == ["/start"]


async def test_chat_member_answers_admins(fake_bot_api):
    fake_bot_api.set_admins(-200, [11])
    async with make_bot(fake_bot_api) as bot:
        assert (await bot.get_chat_member(-200, 11)).status == "administrator"
        assert (await bot.get_chat_member(-200, 12)).status == "member"
        assert [m.user.id for m in await bot.get_chat_administrators(-200)] == [11]


async def test_slow_answer_still_succeeds_on_the_server(fake_bot_api):
    from telegram.error import TimedOut

    fake_bot_api.fail("sendMessage", "slow", delay=1.0)
    async with make_bot(fake_bot_api) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(3, "x", write_timeout=0.2, read_timeout=0.2)
    await asyncio.sleep(1.0)
    assert fake_bot_api.sent_texts(3) == ["x"]


async def test_blocking_wait_inside_the_loop_is_refused(fake_bot_api):
    with pytest.raises(RuntimeError, match="until"):
        fake_bot_api.wait_until(lambda: True)
