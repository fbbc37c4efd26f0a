"""Fixtures of the delivery tests: a fresh database file and the delivery's own Bot,
talking to the fake Bot API server. Test modules with other needs define their own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import sqlite_utils
from telegram import Bot

from bot.sending import make_delivery_bot
from bot.store import open_db
from tests.fakebotapi import FakeBotApi


@pytest.fixture
def db(db_path: Path) -> sqlite_utils.Database:
    return open_db(db_path)


@pytest.fixture
async def bot(fake_bot_api: FakeBotApi) -> AsyncIterator[Bot]:
    bot = make_delivery_bot(fake_bot_api.token, fake_bot_api.base_url, read_timeout=2.0)
    async with bot:
        yield bot
