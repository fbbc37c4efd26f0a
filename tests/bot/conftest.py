"""Fixtures of the delivery tests: the delivery's own Bot, talking to the fake Bot API
server (the database is tests/conftest.py's `db`). Test modules with other needs define
their own."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from bot.sending import make_delivery_bot
from tests.fakebotapi import FakeBotApi


@pytest.fixture
async def bot(fake_bot_api: FakeBotApi) -> AsyncIterator[Bot]:
    bot = make_delivery_bot(fake_bot_api.token, fake_bot_api.base_url, read_timeout=2.0)
    async with bot:
        yield bot
