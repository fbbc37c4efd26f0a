"""The bot token never appears in what `releasewatch -v run` prints, whatever goes wrong: a token
rejected at start (401), Bot API 500s while sending, a Bot API that cannot be reached (network
error). Chat ids stay out of the log too, even at DEBUG level."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from bot.store import open_db
from tests.bot.test_delivery import seed_alert, seed_chats
from tests.bot.test_kill import REPO
from tests.fakebotapi import FakeBotApi

# The shape of a real token: the bot id, a colon, 35 characters of base64url.
TOKEN = "7312345678:AAEhBP0av28Ysd3-xMk_9tQzLCGuW5ZqEbc"
SECRET_PART = TOKEN.split(":")[1]


def start_verbose(tmp_path: Path, base_url: str) -> subprocess.Popen[str]:
    """`releasewatch -v run` with TOKEN: DEBUG logs, where a leak would most likely show."""
    (tmp_path / "feeds.toml").write_text("")
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": base_url,
           "RELEASEWATCH_DB": str(tmp_path / "rw.db"), "RELEASEWATCH_POLL_SECONDS": "1",
           "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "-v", "run", "--feeds", str(tmp_path / "feeds.toml")],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def assert_no_token(text: str) -> None:
    assert TOKEN not in text and SECRET_PART not in text
    assert SECRET_PART[:12] not in text  # not even a part of it


def test_a_rejected_token_is_not_printed(tmp_path: Path) -> None:
    with FakeBotApi(token="1:other") as api:  # a server that does not know TOKEN: 401
        service = start_verbose(tmp_path, api.base_url)
        text, _ = service.communicate(timeout=30)
    assert service.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in text  # the operator is told which setting is wrong
    assert_no_token(text)


def test_server_errors_while_sending_print_neither_token_nor_chat_ids(tmp_path: Path) -> None:
    chats = [(7_310_001, 0), (7_310_002, 0), (-1_007_310_003, 0)]
    db = open_db(tmp_path / "rw.db")
    seed_chats(db, chats)
    seed_alert(db, chats)
    db.close()
    with FakeBotApi(token=TOKEN) as api:
        api.fail("sendMessage", "500", times=2)
        service = start_verbose(tmp_path, api.base_url)
        try:
            assert api.wait_until(lambda: len(api.calls_to("sendMessage")) >= 5, timeout=30)
        finally:
            service.send_signal(signal.SIGTERM)
            text, _ = service.communicate(timeout=20)
    assert service.returncode == 0  # it lived through the 500s and stopped gracefully
    assert sum(len(m) for m in api.messages.values()) == 3
    assert "DEBUG" in text
    assert_no_token(text)
    assert not any(str(abs(chat)) in text for chat, _ in chats), text


def test_an_unreachable_bot_api_prints_no_token(tmp_path: Path) -> None:
    with FakeBotApi(token=TOKEN) as api:
        base_url = api.base_url
    service = start_verbose(tmp_path, base_url)  # the stopped server's port refuses connections
    text, _ = service.communicate(timeout=60)
    assert service.returncode == 1
    assert "cannot reach the Telegram Bot API" in text
    assert_no_token(text)
