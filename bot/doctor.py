"""`releasewatch doctor`: checks the settings, the database, the Telegram token and every feed,
and says in one line each what is wrong; the exit code is 0 only when everything is fine."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot.settings import Settings, SettingsError, load_settings
from feeds.model import FeedSource, NotModified


@dataclass(frozen=True)
class Check:
    """One doctor finding: what was checked, whether it passed, and the detail to show."""

    what: str
    ok: bool
    detail: str


def check_database(path: Path) -> Check:
    from bot.store.db import StoreError, open_db
    from bot.store.migrations import SCHEMA_VERSION, SchemaTooNew

    try:
        db = open_db(path)
    except (StoreError, SchemaTooNew) as e:
        return Check("database", False, str(e))
    try:
        verdict = db.execute("PRAGMA quick_check").fetchone()[0]
        feeds = db.execute("SELECT count(*) FROM feeds").fetchone()[0]
        chats = db.execute("SELECT count(*) FROM chats WHERE active = 1").fetchone()[0]
        pending = db.execute(
            "SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')"
        ).fetchone()[0]
    finally:
        db.conn.close()
    if verdict != "ok":
        return Check("database", False, f"{path}: integrity check failed: {verdict}")
    return Check(
        "database", True,
        f"{path}: schema {SCHEMA_VERSION}, {feeds} feeds, {chats} active chats, "
        f"{pending} messages waiting",
    )


async def check_token(settings: Settings) -> Check:
    from telegram import Bot
    from telegram.error import InvalidToken, TelegramError

    if not settings.token:
        return Check("telegram", True, "no TELEGRAM_BOT_TOKEN: `run` prints alerts to the console")
    try:
        async with Bot(settings.token, base_url=settings.api_url) as bot:
            me = bot.bot
        return Check("telegram", True, f"token accepted: @{me.username}")
    except InvalidToken:
        return Check("telegram", False, "the Bot API rejected TELEGRAM_BOT_TOKEN")
    except TelegramError as e:
        # Messages of the HTTP layer may hold the request URL, and with it the token.
        text = str(e).replace(settings.token, "<token>")
        return Check("telegram", False, f"cannot reach the Bot API: {text}")


async def check_feeds(sources: Sequence[FeedSource], *, timeout: float = 20.0) -> list[Check]:
    from feeds.fetch import FetchError, fetch_feed, make_client
    from feeds.parse import ParseError, parse_feed

    gate = asyncio.Semaphore(10)

    async def one(client: object, source: FeedSource) -> Check:
        label = source.name or source.url
        async with gate:
            try:
                got = await fetch_feed(client, source.url, timeout=timeout)  # type: ignore[arg-type]
                if isinstance(got, NotModified):
                    return Check(label, True, "304 not modified")
                parsed = await asyncio.to_thread(
                    parse_feed, got.body, url=got.url, content_type=got.content_type,
                    default_lang=source.lang, now=datetime.now(UTC),
                )
            except (FetchError, ParseError) as e:
                return Check(label, False, f"{source.url}: {e}")
        note = f", malformed: {parsed.problem}" if parsed.problem else ""
        return Check(label, True, f"{len(parsed.articles)} items ({parsed.version}){note}")

    async with make_client(timeout=timeout) as client:
        return list(await asyncio.gather(*(one(client, s) for s in sources)))


def report(checks: Sequence[Check], out: TextIO) -> bool:
    for c in checks:
        print(f"{'ok  ' if c.ok else 'FAIL'}  {c.what}: {c.detail}", file=out)
    bad = sum(not c.ok for c in checks)
    print(f"{len(checks) - bad} ok, {bad} failing", file=out)
    return bad == 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from feeds.sources import SourcesError, load_sources

    try:
        settings = load_settings()
    except SettingsError as e:
        print(f"FAIL  settings: {e}")
        return 2
    checks = [Check("settings", True, repr(settings))]
    checks.append(check_database(Path(args.db) if args.db else settings.db_path))
    try:
        sources = load_sources(args.feeds)
    except SourcesError as e:
        checks.append(Check("feeds file", False, str(e)))
        sources = []

    async def network() -> list[Check]:
        return [await check_token(settings), *await check_feeds(sources)]

    checks.extend(asyncio.run(network()))
    return 0 if report(checks, sys.stdout) else 1
