"""Channels through my_chat_member and /channels; blocked private chats."""

from __future__ import annotations

import json

import pytest

from tests.bot.handlers_harness import Harness

OWNER = 701
OTHER = 702
CHANNEL = -1001234567890


@pytest.fixture
async def bot(fake_bot_api, tmp_path):
    async with Harness(fake_bot_api, tmp_path) as h:
        yield h
        assert h.errors == []


async def promote(bot, api, *, new="administrator", old="left", can_post=True, code="en"):
    await bot.process(
        api.my_chat_member(
            chat_id=CHANNEL, chat_type="channel", user_id=OWNER, old=old, new=new,
            can_post_messages=can_post, language_code=code,
        )
    )


def buttons(message):
    markup = message["reply_markup"]
    markup = json.loads(markup) if isinstance(markup, str) else markup
    return [b for row in markup["inline_keyboard"] for b in row]


@pytest.mark.parametrize(
    ("code", "phrase"),
    [("en", "is subscribed to every topic"), ("ru", "подписан на все темы"),
     ("be", "падпісаны на ўсе тэмы")],
)
async def test_promoted_with_the_right_to_post_subscribes(bot, fake_bot_api, code, phrase):
    await promote(bot, fake_bot_api, code=code)
    row = bot.chat(CHANNEL)
    assert row["active"] == 1 and row["kind"] == "channel" and row["manager_user_id"] == OWNER
    assert row["lang"] == code
    assert phrase in bot.last(OWNER) and "/channels" in bot.last(OWNER)


async def test_promoted_without_the_right_to_post_is_not_subscribed(bot, fake_bot_api):
    await promote(bot, fake_bot_api, can_post=False)
    assert bot.chat(CHANNEL) is None
    assert "cannot post in the channel" in bot.last(OWNER)


async def test_owner_who_never_opened_a_private_chat_is_not_an_error(bot, fake_bot_api):
    fake_bot_api.fail("sendMessage", "403", chat_id=OWNER)
    await promote(bot, fake_bot_api)
    assert bot.chat(CHANNEL)["active"] == 1


async def test_removed_from_the_channel_unsubscribes(bot, fake_bot_api):
    await promote(bot, fake_bot_api)
    await promote(bot, fake_bot_api, old="administrator", new="left")
    assert bot.chat(CHANNEL)["active"] == 0


async def test_a_private_chat_that_blocks_the_bot_is_deactivated_at_once(bot, fake_bot_api):
    await bot.command("/start", chat_id=OWNER, user_id=OWNER)
    await bot.process(
        fake_bot_api.my_chat_member(
            chat_id=OWNER, chat_type="private", user_id=OWNER, old="member", new="kicked"
        )
    )
    assert bot.chat(OWNER)["active"] == 0


async def test_channels_are_configured_from_a_private_chat(bot, fake_bot_api):
    await promote(bot, fake_bot_api)
    fake_bot_api.set_admins(CHANNEL, [OWNER])
    await bot.command("/channels", chat_id=OWNER, user_id=OWNER)
    listing = fake_bot_api.messages[OWNER][-1]
    (choice,) = buttons(listing)
    assert choice["text"] == f"Chat {abs(CHANNEL)}" and choice["callback_data"] == f"ch|{CHANNEL}"
    await bot.process(
        fake_bot_api.callback(
            choice["callback_data"], chat_id=OWNER, user_id=OWNER, message_id=listing["message_id"]
        )
    )
    shown = fake_bot_api.messages[OWNER][-1]
    assert shown["message_id"] == listing["message_id"] and "Alerts here" in shown["text"]
    data = {b["callback_data"] for b in buttons(shown)}
    assert all(len(d.encode()) <= 64 for d in data)
    rearrest = f"s|{CHANNEL}|0|rearrest"
    assert rearrest in data
    await bot.process(
        fake_bot_api.callback(rearrest, chat_id=OWNER, user_id=OWNER, message_id=shown["message_id"])
    )
    assert "rearrest" not in json.loads(bot.chat(CHANNEL)["topics"])
    assert fake_bot_api.messages[OWNER][-1]["text"].startswith(f"<b>Chat {abs(CHANNEL)}</b>")
    await bot.process(
        fake_bot_api.callback(
            f"s|{CHANNEL}|0|lang:be", chat_id=OWNER, user_id=OWNER, message_id=shown["message_id"]
        )
    )
    assert bot.chat(CHANNEL)["lang"] == "be"


async def test_channel_settings_are_refused_to_non_administrators(bot, fake_bot_api):
    await promote(bot, fake_bot_api)
    await bot.command("/start", chat_id=OTHER, user_id=OTHER)
    await bot.command("/topics", chat_id=OTHER, user_id=OTHER)
    message_id = fake_bot_api.messages[OTHER][-1]["message_id"]
    for data in (f"ch|{CHANNEL}", f"s|{CHANNEL}|0|pardon"):
        await bot.process(
            fake_bot_api.callback(data, chat_id=OTHER, user_id=OTHER, message_id=message_id)
        )
        assert "only administrators" in fake_bot_api.calls_to("answerCallbackQuery")[-1].params["text"]
    assert "pardon" in json.loads(bot.chat(CHANNEL)["topics"])
    assert "no channels with me" in await bot.command("/channels", chat_id=OTHER, user_id=OTHER)


async def test_channels_command_in_a_group_points_to_a_private_chat(bot):
    text = await bot.command("/channels", chat_id=-100777, user_id=OWNER, chat_type="supergroup")
    assert "private chat" in text


async def test_stale_or_forged_buttons_get_an_answer(bot, fake_bot_api):
    await bot.command("/start", chat_id=OWNER, user_id=OWNER)
    message_id = fake_bot_api.messages[OWNER][-1]["message_id"]
    for data in ("s|x|y", f"s|{OWNER}|0|nonsense", "zzz"):
        await bot.process(fake_bot_api.callback(data, chat_id=OWNER, user_id=OWNER, message_id=message_id))
        assert "out of date" in fake_bot_api.calls_to("answerCallbackQuery")[-1].params["text"]


async def test_a_group_that_becomes_a_supergroup_keeps_its_subscription(bot, fake_bot_api):
    group, supergroup = -4001, -1004001
    await bot.command("/start", chat_id=group, user_id=0, chat_type="group", sender_chat_id=group)
    await bot.command("/mute tally", chat_id=group, user_id=0, chat_type="group", sender_chat_id=group)
    update = fake_bot_api.text_message("x", chat_id=group, user_id=OWNER, chat_type="group")
    message = update["message"]
    del message["text"]
    message["migrate_to_chat_id"] = supergroup
    await bot.process(update)
    assert bot.chat(group) is None
    moved = bot.chat(supergroup)
    assert moved["kind"] == "supergroup" and "tally" not in json.loads(moved["topics"])
