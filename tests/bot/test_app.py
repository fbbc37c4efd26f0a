"""`releasewatch run`: console mode without a token, the bot and delivery with one, exit codes."""

from __future__ import annotations

import argparse
import asyncio
import io
import json
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest

from bot.app import ServiceError, cmd_run, serve
from bot.settings import Settings, load_settings
from bot.store import open_db
from feeds.model import FeedSource
from tests.bot.test_delivery import seed_chats
from tests.fakebotapi import FakeBotApi

NEWS = ("Lukashenko pardons 52 political prisoners",
        "On Thursday, 52 political prisoners were pardoned and released, Viasna said.")


def settings_for(db_path: Path, api: FakeBotApi | None = None, token: str | None = None) -> Settings:
    env = {"RELEASEWATCH_DB": str(db_path), "RELEASEWATCH_POLL_SECONDS": "60"}
    if api is not None:
        env |= {"TELEGRAM_BOT_TOKEN": token or api.token, "TELEGRAM_API_URL": api.base_url}
    return load_settings(env)


def store_unprocessed_article(db_path: Path) -> None:
    """An article stored by the poller just before a crash: the pipeline has not seen it."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    db = open_db(db_path)
    db.execute(
        "INSERT INTO articles (url, content_hash, title, text, lang, source, published,"
        " first_seen) VALUES ('https://news.example/a', 'h1', ?, ?, 'en', 'Outlet', ?, ?)",
        [*NEWS, now, now],
    )
    db.close()


async def serve_until(settings: Settings, sources: list[FeedSource], done, *,
                      out: io.StringIO | None = None, timeout: float = 15.0) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, sources, stop=stop, out=out))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    try:
        while not done():
            if task.done():
                task.result()
                raise AssertionError("the service stopped on its own")
            assert loop.time() < deadline, "timed out"
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)


async def test_without_a_token_alerts_are_printed_not_sent(db_path):
    store_unprocessed_article(db_path)
    out = io.StringIO()
    settings = settings_for(db_path)

    await serve_until(settings, [], lambda: "NEW ALERT" in out.getvalue(), out=out)

    text = out.getvalue()
    assert "#pardon" in text and "52" in text and "<blockquote>" not in text
    db = open_db(db_path)
    assert db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 0
    assert db.execute("SELECT processed FROM articles").fetchone()[0] == 1
    assert json.loads(settings.health_file.read_text())["ok"] is True


async def test_a_polled_feed_article_becomes_a_printed_alert(db_path, httpserver):
    now = datetime.now(UTC)
    rss = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet</title>
      <link>https://news.example/</link><description>d</description><item>
      <title>{NEWS[0]}</title><link>https://news.example/b</link><guid>b1</guid>
      <description>{NEWS[1]}</description><pubDate>{format_datetime(now)}</pubDate>
      </item></channel></rss>"""
    httpserver.expect_request("/feed.xml").respond_with_data(rss, content_type="application/rss+xml")
    url = httpserver.url_for("/feed.xml")
    db = open_db(db_path)  # a feed polled before: its next new item alerts
    db.execute("INSERT INTO feeds (url, lang, backlog_done, added_at) VALUES (?, 'en', 1, ?)",
               [url, now.isoformat()])
    db.close()
    out = io.StringIO()

    await serve_until(settings_for(db_path), [FeedSource(url=url, lang="en")],
                      lambda: "NEW ALERT" in out.getvalue(), out=out)

    assert "news.example" in out.getvalue() and "52" in out.getvalue()


async def test_with_a_token_the_bot_answers_and_alerts_are_delivered(db_path, fake_bot_api):
    db = open_db(db_path)
    seed_chats(db, [(111, 0), (-100222, 0)])
    db.close()
    store_unprocessed_article(db_path)
    settings = settings_for(db_path, fake_bot_api)

    def done() -> bool:
        return (len(fake_bot_api.sent_texts(111)) >= 1
                and len(fake_bot_api.sent_texts(-100222)) == 1
                and len(fake_bot_api.calls_to("getUpdates")) >= 1)

    await serve_until(settings, [], done)

    assert "52" in fake_bot_api.sent_texts(-100222)[0]
    languages = {c.params.get("language_code") for c in fake_bot_api.calls_to("setMyCommands")}
    assert {None, "ru", "be"} <= languages
    assert fake_bot_api.calls_to("deleteWebhook")
    db = open_db(db_path)
    assert {r[0] for r in db.execute("SELECT state FROM outbox")} == {"sent"}


async def test_commands_reach_the_handlers_while_delivery_runs(db_path, fake_bot_api):
    settings = settings_for(db_path, fake_bot_api)
    fake_bot_api.command("/start", chat_id=333, user_id=333)

    await serve_until(settings, [], lambda: bool(fake_bot_api.sent_texts(333)))

    db = open_db(db_path)
    assert db.execute("SELECT active FROM chats WHERE chat_id = 333").fetchone() == (1,)


async def test_a_rejected_token_is_one_clear_error(db_path, fake_bot_api):
    settings = settings_for(db_path, fake_bot_api, token="999:WRONG")
    with pytest.raises(ServiceError, match="rejected TELEGRAM_BOT_TOKEN") as caught:
        await asyncio.wait_for(serve(settings, []), 10)
    assert caught.value.exit_code == 2


async def test_an_unreachable_bot_api_is_exit_1(db_path, fake_bot_api):
    settings = settings_for(db_path, fake_bot_api)
    fake_bot_api.stop()
    with pytest.raises(ServiceError, match="cannot reach the Telegram Bot API") as caught:
        await asyncio.wait_for(serve(settings, []), 30)
    assert caught.value.exit_code == 1


def run_args(db: Path | None = None, feeds: Path | None = None) -> argparse.Namespace:
    return argparse.Namespace(db=str(db) if db else None, feeds=str(feeds) if feeds else None)


def test_a_settings_error_exits_2_with_one_line(monkeypatch, capsys, db_path):
    monkeypatch.setenv("RELEASEWATCH_POLL_SECONDS", "often")
    assert cmd_run(run_args(db_path)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "RELEASEWATCH_POLL_SECONDS" in err


def test_a_bad_feeds_file_exits_2(capsys, tmp_path):
    feeds = tmp_path / "feeds.toml"
    feeds.write_text("[[feed]]\nurl = 'ftp://x'\n")
    assert cmd_run(run_args(tmp_path / "db.sqlite", feeds)) == 2
    assert "feeds.toml" in capsys.readouterr().err


def test_a_database_error_exits_1_with_one_line(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database" * 100)
    empty = tmp_path / "feeds.toml"
    empty.write_text("")
    assert cmd_run(run_args(bad, empty)) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.db" in err


async def test_metrics_show_counts_and_no_chat_ids(db_path):
    import socket

    import httpx

    from tests.bot.test_delivery import seed_alert

    db = open_db(db_path)
    seed_chats(db, [(123456789, 0), (987654321, 0)])
    seed_alert(db, [(123456789, 0), (987654321, 0)])
    db.close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = load_settings({"RELEASEWATCH_DB": str(db_path),
                              "RELEASEWATCH_METRICS_PORT": str(port)})
    stop = asyncio.Event()
    service = asyncio.create_task(serve(settings, [], stop=stop))
    text = ""
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(100):
                try:
                    text = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
                except httpx.HTTPError:
                    text = ""
                if 'releasewatch_outbox_rows{state="pending"} 2.0' in text:
                    break
                await asyncio.sleep(0.1)
    finally:
        stop.set()
        await asyncio.wait_for(service, 10)

    assert 'releasewatch_outbox_rows{state="pending"} 2.0' in text
    assert "123456789" not in text and "releasewatch_feeds 0.0" in text


async def test_bot_replies_and_a_fan_out_share_telegrams_30_per_second(db_path, fake_bot_api):
    from tests.bot.test_delivery import seed_alert

    fake_bot_api.enforce_limits = True
    chats = [(5000 + i, 0) for i in range(60)]
    db = open_db(db_path)
    seed_chats(db, chats)
    seed_alert(db, chats)
    db.close()
    users = range(7000, 7040)
    for user in users:  # forty people start the bot during the fan-out
        fake_bot_api.command("/start", chat_id=user, user_id=user)

    def done() -> bool:
        return (all(fake_bot_api.sent_texts(c) for c, _ in chats)
                and all(fake_bot_api.sent_texts(u) for u in users))

    await serve_until(settings_for(db_path, fake_bot_api), [], done, timeout=20)

    assert fake_bot_api.too_many_requests == 0


def test_a_database_from_a_newer_release_exits_1(capsys, tmp_path):
    db = open_db(tmp_path / "new.db")
    db.execute("INSERT INTO _migrations VALUES ('999_future', '2030-01-01T00:00:00Z')")
    db.close()
    empty = tmp_path / "feeds.toml"
    empty.write_text("")
    assert cmd_run(run_args(tmp_path / "new.db", empty)) == 1
    assert "999_future" in capsys.readouterr().err


def test_sigterm_during_start_up_is_a_clean_exit(tmp_path):
    """A SIGTERM before the event loop has taken the signal over still exits with 0."""
    import subprocess
    import sys

    feeds = tmp_path / "feeds.toml"
    feeds.write_text("")
    env = {"RELEASEWATCH_DB": str(tmp_path / "rw.db"), "PATH": "/usr/bin:/bin",
           "RELEASEWATCH_HEALTH_FILE": str(tmp_path / "h.json")}
    # Stop the process right after cmd_run started, while it is still reading its settings.
    code = (
        "import os, signal, sys\n"
        "import bot.app\n"
        "real = bot.app.load_settings\n"
        "def slow(env):\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    return real(env)\n"
        "bot.app.load_settings = slow\n"
        f"sys.exit(bot.app.cmd_run(type('A', (), {{'db': None, 'feeds': {str(feeds)!r}}})()))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=60)
    assert result.returncode == 0, (result.returncode, result.stderr.decode())
