"""Every command answers in the chat's language: en, ru and be answers all differ."""

from __future__ import annotations

import re

from tests.bot.handlers_harness import Harness

COMMANDS = [
    "/start", "/help", "/topics", "/follow pardon", "/mute pardon", "/follow weather",
    "/follow person Statkevich", "/mute person Statkevich", "/follow person",
    "/forget person Statkevich", "/forget person Statkevich", "/forget person",
    "/only people on", "/only people off", "/only", "/digest daily 08:00", "/tz +03:00",
    "/tz", "/digest off", "/digest", "/stats", "/channels", "/lang xx", "/feeds",
    "/frobnicate", "/stop", "/stop", "/forget", "/topics",
]
CYRILLIC = re.compile("[а-яёіў]", re.IGNORECASE)


async def answers(api, tmp_path, code: str) -> list[str]:
    user = {"en": 1, "ru": 2, "be": 3}[code]
    out = []
    async with Harness(api, tmp_path / code) as bot:
        for command in COMMANDS:
            await bot.command(command, chat_id=user, user_id=user, language_code=code)
            out.append(bot.last(user))
        assert bot.errors == []
    return out


async def test_every_command_answers_in_the_users_language(fake_bot_api, tmp_path):
    en = await answers(fake_bot_api, tmp_path, "en")
    ru = await answers(fake_bot_api, tmp_path, "ru")
    be = await answers(fake_bot_api, tmp_path, "be")
    for command, a, b, c in zip(COMMANDS, en, ru, be, strict=True):
        assert a and b and c, command
        assert len({a, b, c}) == 3, (command, a, b, c)
        assert CYRILLIC.search(b) and CYRILLIC.search(c), command
    # Belarusian letters only in Belarusian answers.
    assert any("ў" in c for c in be) and not any("ў" in b for b in ru)
