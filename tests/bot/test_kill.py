"""The real service process, SIGKILLed three times in the middle of a fan-out to 200 chats and
restarted: every chat gets every alert once, within Telegram's limits; only a message whose
request was out at a kill is honestly 'unknown' (delivered or not, never sent twice)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from bot.store import open_db
from tests.bot.test_delivery import seed_alert, seed_chats
from tests.fakebotapi import FakeBotApi

REPO = Path(__file__).resolve().parents[2]
PRIVATE = [(10_000 + i, 0) for i in range(170)]
GROUPS = [(-1_000_000 - i, 0) for i in range(25)] + [(-2_000_000, t) for t in (0, 7, 9, 11, 13)]
CHATS = PRIVATE + GROUPS


def start_service(tmp_path: Path, api: FakeBotApi, run: int, *, feeds: Path | None = None,
                  env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    if feeds is None:
        feeds = tmp_path / "feeds.toml"
        feeds.write_text("# no feeds: the alerts are already in the database\n")
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_URL": api.base_url,
           "RELEASEWATCH_DB": str(tmp_path / "rw.db"), "PYTHONUNBUFFERED": "1", **(env or {})}
    log = (tmp_path / f"run{run}.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--feeds", str(feeds)],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )


def delivered(api: FakeBotApi) -> int:
    return sum(len(messages) for messages in api.messages.values())


@pytest.mark.slow
def test_sigkill_mid_fan_out_loses_nothing_and_repeats_nothing(tmp_path, fake_bot_api):
    api = fake_bot_api
    api.enforce_limits = True
    db = open_db(tmp_path / "rw.db")
    seed_chats(db, CHATS)
    seed_alert(db, CHATS, evidence="52 political prisoners were pardoned and freed.", count=52)
    seed_alert(db, CHATS[::4], evidence="Viasna recognised 8 new political prisoners.", count=8)
    expected = {chat: 1 + (i % 4 == 0) for i, chat in enumerate(CHATS)}
    total = sum(expected.values())
    db.close()

    for run, kill_after in enumerate((40, 120, 200)):
        service = start_service(tmp_path, api, run)
        try:
            assert api.wait_until(lambda n=kill_after: delivered(api) >= n, timeout=30), (
                (tmp_path / f"run{run}.log").read_text()
            )
        finally:
            service.send_signal(signal.SIGKILL)
            service.wait(10)
    service = start_service(tmp_path, api, 9)
    db = open_db(tmp_path / "rw.db")

    def settled() -> bool:
        return db.execute(
            "SELECT COUNT(*) FROM outbox WHERE state NOT IN ('sent', 'unknown')").fetchone()[0] == 0

    try:
        assert api.wait_until(settled, timeout=60), (tmp_path / "run9.log").read_text()
        time.sleep(0.5)  # anything extra would show up now
    finally:
        service.send_signal(signal.SIGTERM)
        assert service.wait(10) == 0  # a graceful stop

    received = Counter(
        (m["chat"]["id"], m.get("message_thread_id", 0), m["text"])
        for messages in api.messages.values() for m in messages
    )
    assert max(received.values()) == 1  # no alert twice in any chat or topic
    per_chat = Counter((chat, thread) for chat, thread, _ in received)
    rows = db.execute("SELECT chat_id, thread_id, state FROM outbox").fetchall()
    assert len(rows) == total and {state for _, _, state in rows} <= {"sent", "unknown"}
    # A kill after a request left leaves 'unknown': delivered or not, never sent again.
    unknown = Counter((chat, thread) for chat, thread, state in rows if state == "unknown")
    for chat, want in expected.items():
        assert want - unknown[chat] <= per_chat[chat] <= want, chat
    assert sum(unknown.values()) <= 3  # at most the request in flight at each of the kills
    assert api.too_many_requests == 0
