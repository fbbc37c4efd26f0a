"""/topics with its keyboard, /follow and /mute of topics and people, /only, /lang."""

from __future__ import annotations

import json

import pytest

from bot.subscriptions import recipients
from tests.bot.handlers_harness import Harness

USER = 601
GROUP = -100600
ADMIN = 61
MEMBER = 62


@pytest.fixture
async def bot(fake_bot_api, tmp_path):
    async with Harness(fake_bot_api, tmp_path) as h:
        yield h
        assert h.errors == []


def topics(bot, chat_id=USER):
    return json.loads(bot.chat(chat_id)["topics"])


def buttons(message):
    markup = message["reply_markup"]
    markup = json.loads(markup) if isinstance(markup, str) else markup
    return [b for row in markup["inline_keyboard"] for b in row]


async def test_keyboard_toggles_a_topic_and_edits_the_message_in_place(bot, fake_bot_api):
    await bot.command("/start", chat_id=USER, user_id=USER)
    await bot.command("/topics", chat_id=USER, user_id=USER)
    message = fake_bot_api.messages[USER][-1]
    data = [b["callback_data"] for b in buttons(message)]
    assert all(len(d.encode()) <= 64 for d in data)
    pardon = next(d for d in data if d.endswith("|pardon"))
    before = len(fake_bot_api.messages[USER])
    await bot.process(
        fake_bot_api.callback(pardon, chat_id=USER, user_id=USER, message_id=message["message_id"])
    )
    assert "pardon" not in topics(bot)
    assert len(fake_bot_api.messages[USER]) == before  # edited, not a new message
    edited = fake_bot_api.messages[USER][-1]
    assert edited["edited"] == 1 and edited["message_id"] == message["message_id"]
    label = next(b["text"] for b in buttons(edited) if b["callback_data"] == pardon)
    assert label.startswith("🔕")
    await bot.process(
        fake_bot_api.callback(pardon, chat_id=USER, user_id=USER, message_id=message["message_id"])
    )
    assert "pardon" in topics(bot)
    early = next(d for d in data if d.endswith("|expected"))
    await bot.process(
        fake_bot_api.callback(early, chat_id=USER, user_id=USER, message_id=message["message_id"])
    )
    assert bot.chat(USER)["expected"] == 1
    assert fake_bot_api.calls_to("answerCallbackQuery")


async def test_group_keyboard_refuses_members_who_are_not_administrators(bot, fake_bot_api):
    fake_bot_api.set_admins(GROUP, [ADMIN])
    await bot.command("/start", chat_id=GROUP, user_id=ADMIN, chat_type="supergroup")
    await bot.command("/topics", chat_id=GROUP, user_id=ADMIN, chat_type="supergroup")
    message = fake_bot_api.messages[GROUP][-1]
    tally = next(b["callback_data"] for b in buttons(message) if b["callback_data"].endswith("|tally"))
    await bot.process(
        fake_bot_api.callback(
            tally, chat_id=GROUP, user_id=MEMBER, message_id=message["message_id"],
            chat_type="supergroup",
        )
    )
    assert "tally" in topics(bot, GROUP)
    answers = fake_bot_api.calls_to("answerCallbackQuery")
    assert "only administrators" in answers[-1].params["text"]
    await bot.process(
        fake_bot_api.callback(
            tally, chat_id=GROUP, user_id=ADMIN, message_id=message["message_id"],
            chat_type="supergroup",
        )
    )
    assert "tally" not in topics(bot, GROUP)


async def test_settings_commands_in_groups_are_for_administrators(bot, fake_bot_api):
    fake_bot_api.set_admins(GROUP, [ADMIN])
    await bot.command("/start", chat_id=GROUP, user_id=ADMIN, chat_type="supergroup")
    for command in ("/topics", "/mute pardon", "/lang ru", "/digest daily 08:00", "/forget"):
        text = await bot.command(command, chat_id=GROUP, user_id=MEMBER, chat_type="supergroup")
        assert "only administrators" in text, command
    row = bot.chat(GROUP)
    assert row["lang"] == "en" and row["digest"] is None and "pardon" in json.loads(row["topics"])


@pytest.mark.parametrize(
    ("code", "word", "answer"),
    [("en", "pardons", "Muted: pardons."), ("ru", "помилование", "Отключено: помилования."),
     ("be", "памілаванні", "Адключана: памілаванні."), ("en", "Помилования", "Muted: pardons.")],
)
async def test_mute_accepts_topic_names_in_every_language(bot, code, word, answer):
    await bot.command("/start", chat_id=USER, user_id=USER, language_code=code)
    assert await bot.command(f"/mute {word}", chat_id=USER, user_id=USER) == answer
    assert "pardon" not in topics(bot)
    await bot.command("/follow pardon", chat_id=USER, user_id=USER)
    assert "pardon" in topics(bot)


@pytest.mark.parametrize(
    ("code", "phrase", "usage"),
    [("en", "I don't know the topic “weather”", "Usage"),
     ("ru", "Я не знаю темы «weather»", "Как использовать"),
     ("be", "Я не ведаю тэмы «weather»", "Як карыстацца")],
)
async def test_unknown_topic_lists_the_valid_ones(bot, code, phrase, usage):
    await bot.command("/start", chat_id=USER, user_id=USER, language_code=code)
    text = await bot.command("/follow weather", chat_id=USER, user_id=USER)
    assert phrase in text and "pardon, deportation, rearrest, recognition, tally" in text
    assert usage in await bot.command("/follow", chat_id=USER, user_id=USER)


async def test_topic_word_with_html_is_escaped(bot, fake_bot_api):
    await bot.command("/start", chat_id=USER, user_id=USER)
    text = await bot.command("/mute <b>x</b>", chat_id=USER, user_id=USER)
    assert "&lt;b&gt;" in text
    assert fake_bot_api.calls_to("sendMessage")[-1].params["parse_mode"] == "HTML"


def alert(people):
    return {"type": "pardon", "certainty": "reported", "people": json.dumps(people)}


async def test_follow_a_person_across_scripts_and_only_people_mode(bot):
    await bot.command("/start", chat_id=USER, user_id=USER)
    text = await bot.command("/follow person Statkevich", chat_id=USER, user_id=USER)
    assert "Following Statkevich" in text
    assert (USER, 0) in recipients(bot.db, alert(["Мікалай Статкевіч"]))
    assert (USER, 0) in recipients(bot.db, alert(["Ales Bialiatski"]))
    assert "Now only alerts" in await bot.command("/only people on", chat_id=USER, user_id=USER)
    assert (USER, 0) in recipients(bot.db, alert(["Мікалай Статкевіч"]))
    assert (USER, 0) in recipients(bot.db, alert(["Николай Статкевич", "Иванов"]))
    assert (USER, 0) not in recipients(bot.db, alert(["Ales Bialiatski"]))
    assert (USER, 0) not in recipients(bot.db, alert([]))
    await bot.command("/only people off", chat_id=USER, user_id=USER)
    assert (USER, 0) in recipients(bot.db, alert([]))


async def test_mute_a_person_in_russian(bot):
    await bot.command("/start", chat_id=USER, user_id=USER, language_code="ru")
    text = await bot.command("/mute person Статкевич", chat_id=USER, user_id=USER)
    assert text.startswith("Отключено: Статкевич")
    assert (USER, 0) not in recipients(bot.db, alert(["Mikalai Statkevich"]))
    assert (USER, 0) in recipients(bot.db, alert(["Maria Kalesnikava"]))
    listing = await bot.command("/follow person", chat_id=USER, user_id=USER)
    assert "Статкевич" in listing and "Как использовать" in listing


async def test_malformed_person_and_only_commands(bot):
    await bot.command("/start", chat_id=USER, user_id=USER, language_code="be")
    assert "не падобна на імя" in await bot.command("/follow person 12345", chat_id=USER, user_id=USER)
    assert "Як карыстацца" in await bot.command("/only people maybe", chat_id=USER, user_id=USER)
    assert bot.count("chat_people", USER) == 0 and bot.chat(USER)["only_people"] == 0


@pytest.mark.parametrize(
    ("arg", "answer"),
    [("ru", "Буду писать здесь по-русски."), ("be", "Буду пісаць тут па-беларуску."),
     ("en", "I will write here in English.")],
)
async def test_lang_switches_the_chats_language(bot, arg, answer):
    await bot.command("/start", chat_id=USER, user_id=USER)
    assert await bot.command(f"/lang {arg}", chat_id=USER, user_id=USER) == answer
    assert bot.chat(USER)["lang"] == arg
    assert "/lang be" in await bot.command("/lang de", chat_id=USER, user_id=USER)
    assert bot.chat(USER)["lang"] == arg


async def test_settings_before_start_say_how_to_subscribe(bot):
    assert "Send /start first" in await bot.command("/topics", chat_id=USER, user_id=USER)
    assert bot.chat(USER) is None


async def test_a_followed_person_named_only_in_the_evidence_still_counts(bot):
    await bot.command("/start", chat_id=USER, user_id=USER)
    await bot.command("/follow person Statkevich", chat_id=USER, user_id=USER)
    await bot.command("/only people on", chat_id=USER, user_id=USER)
    named = {**alert([]), "evidence": "Лукашэнка памілаваў Мікалая Статкевіча і яшчэ 51 чалавека."}
    unnamed = {**alert([]), "evidence": "Лукашэнка памілаваў 52 чалавекі."}
    assert (USER, 0) in recipients(bot.db, named)
    assert (USER, 0) not in recipients(bot.db, unnamed)


async def test_a_person_followed_surname_first_is_matched_by_the_surname(bot):
    await bot.command("/start", chat_id=USER, user_id=USER, language_code="ru")
    await bot.command("/follow person Бабарико Виктор", chat_id=USER, user_id=USER)
    await bot.command("/only people on", chat_id=USER, user_id=USER)
    assert (USER, 0) in recipients(bot.db, alert(["Viktar Babaryka"]))
    other_viktar = {**alert(["Ihar Losik"]), "evidence": "Помилован Виктор Лосик и еще 10 человек."}
    assert (USER, 0) not in recipients(bot.db, other_viktar)
    named = {**alert([]), "evidence": "Помилован Бабарико Виктор Дмитриевич."}
    assert (USER, 0) in recipients(bot.db, named)


async def test_forget_person_removes_only_that_person(bot):
    await bot.command("/start", chat_id=USER, user_id=USER)
    await bot.command("/follow person Statkevich", chat_id=USER, user_id=USER)
    await bot.command("/mute person Losik", chat_id=USER, user_id=USER)
    text = await bot.command("/forget person Статкевич", chat_id=USER, user_id=USER)
    assert text.startswith("Forgot Статкевич")
    names = [r["name"] for r in bot.db.query("SELECT name FROM chat_people WHERE chat_id = ?", [USER])]
    assert names == ["Losik"] and bot.chat(USER)["active"] == 1
    assert "was neither followed nor muted" in await bot.command(
        "/forget person Statkevich", chat_id=USER, user_id=USER
    )


async def test_topics_text_shows_the_chats_settings(bot, fake_bot_api):
    await bot.command("/start", chat_id=USER, user_id=USER, language_code="ru")
    await bot.command("/mute tally", chat_id=USER, user_id=USER)
    await bot.command("/digest daily 08:30", chat_id=USER, user_id=USER)
    await bot.command("/tz -05:30", chat_id=USER, user_id=USER)
    await bot.command("/only people on", chat_id=USER, user_id=USER)
    text = await bot.command("/topics", chat_id=USER, user_id=USER)
    assert text.startswith(
        "Оповещения здесь: помилования, депортации, повторные аресты, новые политзаключённые."
    )
    assert "Одна сводка в день в 08:30 (UTC-05:30)." in text
    assert "Только оповещения о людях" in text and "ранние сигналы" not in text
