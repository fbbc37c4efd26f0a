"""`releasewatch run`: the one owner of lifetimes. It opens the database, the HTTP client and
the bot, runs poller, pipeline, delivery and the bot in one TaskGroup, and closes them all on
SIGTERM/SIGINT. Without a token, alerts are printed to the console instead of sent."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TextIO

import sqlite_utils
from aiolimiter import AsyncLimiter
from telegram import Update
from telegram.error import InvalidToken, TelegramError

from bot.delivery import Delivery, DeliveryError
from bot.health import Health, write_health
from bot.pipeline import process_articles, process_pending
from bot.ratelimit import Limits, SharedBudget, overall_limiter
from bot.sending import make_delivery_bot
from bot.settings import Settings, SettingsError, load_settings
from bot.store.db import StoreError, open_db
from bot.store.feeds import SqliteFeedStore, feed_rows
from bot.store.migrations import SchemaTooNew
from bot.telegram.operator import redirect_guard
from feeds.fetch import make_client
from feeds.model import FeedSource
from feeds.poller import Poller
from feeds.sources import SourcesError, load_sources

log = logging.getLogger(__name__)

HOUSEKEEPING_SECONDS = 60.0  # digests, operator notices and the health file
METRICS_SECONDS = 10.0
FEEDS_RECHECK_SECONDS = 60.0  # feeds added or removed with /addfeed and /removefeed


class ServiceError(Exception):
    """The service cannot start or go on; the message is the operator's line, `exit_code`
    2 for configuration (token, metrics port), 1 for the rest (Bot API unreachable)."""

    def __init__(self, message: str, *, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def utc_now() -> datetime:
    return datetime.now(UTC)


def _exit_cleanly(signum: int, frame: object) -> None:
    raise SystemExit(0)


def cmd_run(args: argparse.Namespace) -> int:
    """Run until SIGTERM/SIGINT. Exit 2: bad settings, feeds file or token; 1: other failures."""
    # Until the event loop takes SIGTERM over (and after it lets go), nothing is in flight:
    # a SIGTERM then ends the process at once, but as a clean exit, not a signal death.
    previous = signal.signal(signal.SIGTERM, _exit_cleanly)
    try:
        return _run(args)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(args: argparse.Namespace) -> int:
    env = dict(os.environ)
    if getattr(args, "db", None):
        env["RELEASEWATCH_DB"] = args.db
    try:
        settings = load_settings(env)
        sources = load_sources(getattr(args, "feeds", None))
    except (SettingsError, SourcesError) as e:
        print(f"releasewatch run: {e}", file=sys.stderr)
        return 2
    try:
        asyncio.run(serve(settings, sources))
    except (StoreError, SchemaTooNew) as e:
        print(f"releasewatch run: {e}", file=sys.stderr)
        return 1
    except ServiceError as e:
        print(f"releasewatch run: {e}", file=sys.stderr)
        return e.exit_code
    return 0


async def serve(
    settings: Settings,
    sources: Sequence[FeedSource],
    *,
    stop: asyncio.Event | None = None,
    out: TextIO | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> None:
    """The whole service until `stop` is set (SIGTERM and SIGINT set it)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    handled = []
    # Whatever handled the signals before (cmd_run's clean exit) handles them again after.
    before = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)
            handled.append(sig)
    db = open_db(settings.db_path)
    try:
        service = Service(db, settings, sources, out=out or sys.stdout, clock=clock)
        await service.run(stop)
    except BaseExceptionGroup as group:
        # A TaskGroup reports its failures as a group: show the operator the first that is ours.
        stored = group.subgroup((StoreError, sqlite3.DatabaseError))
        if stored is not None:
            first = _first(stored)
            if isinstance(first, sqlite3.DatabaseError):  # locked for longer than busy_timeout
                raise StoreError(f"cannot use database {settings.db_path}: {first}") from group
            raise first from group
        fatal = group.subgroup((ServiceError, DeliveryError))
        if fatal is not None:
            first = _first(fatal)
            if isinstance(first, ServiceError):
                raise first from group
            raise ServiceError(str(first), exit_code=2) from group  # the token was revoked
        raise
    finally:
        for sig in handled:
            loop.remove_signal_handler(sig)
            with contextlib.suppress(TypeError, ValueError):
                signal.signal(sig, before[sig])
        db.close()
    log.info("stopped")


def _first(group: BaseExceptionGroup[Any]) -> BaseException:
    exc: BaseException = group
    while isinstance(exc, BaseExceptionGroup):
        exc = exc.exceptions[0]
    return exc


class Service:
    """Poller, pipeline, delivery and bot over one database, for one run."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        settings: Settings,
        sources: Sequence[FeedSource],
        *,
        out: TextIO,
        clock: Callable[[], datetime],
    ) -> None:
        self.db, self.settings, self.sources = db, settings, list(sources)
        self.out, self.clock = out, clock
        self.delivery: Delivery | None = None
        self.bot: Any = None  # the Application's bot, for digests and operator notices
        self.budget: AsyncLimiter | None = None  # Telegram's 30/s, shared by both bots

    async def run(self, stop: asyncio.Event) -> None:
        # Articles a crash left unprocessed get their alerts (and outbox rows) first.
        self._after_pipeline(process_pending(self.db, now=self.clock()))
        if not self.settings.token:
            log.warning("TELEGRAM_BOT_TOKEN is not set: alerts are printed here, not sent")
            await self._tasks(stop)
            return
        async with self._telegram() as delivery_bot:
            self.delivery = Delivery(self.db, delivery_bot, clock=self.clock, limiter=self.budget)
            await self._tasks(stop)

    async def _tasks(self, stop: asyncio.Event) -> None:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(self._poll_feeds(stop))
            tg.create_task(self._housekeeping(stop))
            if self.delivery is not None:
                tg.create_task(self.delivery.run(stop))
            if self.settings.metrics_port is not None:
                tg.create_task(self._metrics(stop, self.settings.metrics_port))

    async def _metrics(self, stop: asyncio.Event, port: int) -> None:
        from bot.metrics import Metrics

        try:
            metrics = Metrics(port)
        except OSError as e:
            raise ServiceError(f"RELEASEWATCH_METRICS_PORT {port}: {e.strerror or e}",
                               exit_code=2) from e
        try:
            while not stop.is_set():
                counts = self.delivery.counts if self.delivery is not None else {}
                metrics.refresh(self.db, counts)
                await _wait(stop, METRICS_SECONDS)
        finally:
            metrics.close()

    @contextlib.asynccontextmanager
    async def _telegram(self) -> AsyncIterator[Any]:
        """The bot (handlers, long polling) and delivery's own Bot, started and then stopped."""
        from bot.telegram import build_application, setup_commands

        assert self.settings.token
        budget = overall_limiter(Limits())
        application = build_application(self.settings, self.db, rate_limiter=SharedBudget(budget))
        delivery_bot = make_delivery_bot(self.settings.token, self.settings.api_url)
        self.budget = budget
        try:
            await application.initialize()
            await delivery_bot.initialize()
        except InvalidToken as e:
            raise ServiceError("Telegram rejected TELEGRAM_BOT_TOKEN", exit_code=2) from e
        except TelegramError as e:
            raise ServiceError(f"cannot reach the Telegram Bot API: {e}") from e
        self.bot = application.bot
        try:
            try:
                await setup_commands(application.bot, self.settings.admins)
            except TelegramError as e:
                log.warning("could not set the command menus: %s", e)
            await application.start()
            assert application.updater is not None
            await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
            log.info("bot started; delivering alerts")
            yield delivery_bot
        finally:
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
            await application.shutdown()
            await delivery_bot.shutdown()

    def _after_pipeline(self, changes: Sequence[Any]) -> None:
        if not changes:
            return
        if self.delivery is not None:
            self.delivery.wake()
        elif not self.settings.token:
            from bot.demo import print_changes

            print_changes(self.db, changes, self.out)
            self.out.flush()

    async def _on_new_articles(self, ids: list[int]) -> None:
        self._after_pipeline(process_articles(self.db, ids, now=self.clock()))

    def _current_sources(self) -> list[FeedSource]:
        """The feeds file's feeds and those added by an operator (/addfeed), once each."""
        known = {s.url for s in self.sources}
        added = [
            FeedSource(url=r["url"], name=r["name"], lang=r["lang"], interval=r["interval"])
            for r in feed_rows(self.db)
            if r["active"] and r["url"] not in known
        ]
        return self.sources + added

    async def _poll_feeds(self, stop: asyncio.Event) -> None:
        """The poller, restarted when an operator changes the feed list."""
        guard = redirect_guard(self.settings.allowed_feed_hosts)
        async with make_client(redirect_guard=guard) as client:
            poller = Poller(
                SqliteFeedStore(self.db),
                client,
                default_interval=self.settings.poll_seconds,
                on_new_articles=self._on_new_articles,
                clock=self.clock,
            )
            while not stop.is_set():
                sources = self._current_sources()
                log.info("polling %d feeds", len(sources))
                restart = asyncio.Event()
                task = asyncio.create_task(poller.run(sources, restart))
                while not stop.is_set() and not task.done():
                    await _wait(stop, FEEDS_RECHECK_SECONDS)
                    if {s.url for s in self._current_sources()} != {s.url for s in sources}:
                        break
                restart.set()
                await task

    async def _housekeeping(self, stop: asyncio.Event) -> None:
        """Every minute: digests and operator notices (with a bot), and the health file."""
        while not stop.is_set():
            now = self.clock()
            if self.bot is not None:
                await self._guarded("digests", self._digests(now))
            try:
                write_health(self.settings.health_file, self._health(now))
            except (OSError, StoreError) as e:
                log.warning("cannot write the health file: %s", e)
            await _wait(stop, HOUSEKEEPING_SECONDS)

    async def _digests(self, now: datetime) -> None:
        from bot.digest import send_due_digests
        from bot.telegram.operator import notify_failing_feeds

        await send_due_digests(self.bot, self.db, now=now)
        await notify_failing_feeds(self.bot, self.db, self.settings, now=now)

    @staticmethod
    async def _guarded(what: str, job: Any) -> None:
        try:
            await job
        except Exception:  # one bad minute must not stop the service
            log.exception("%s failed; trying again in a minute", what)

    def _health(self, now: datetime) -> Health:
        feeds = self.db.execute(
            "SELECT COUNT(*), COALESCE(SUM(failing_since IS NOT NULL), 0), MAX(last_polled_at)"
            " FROM feeds WHERE active = 1"
        ).fetchone()
        pending = self.db.execute(
            "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')"
        ).fetchone()[0]
        return Health(
            at=now.isoformat(), poll_seconds=self.settings.poll_seconds, feeds=feeds[0],
            feeds_failing=feeds[1], outbox_pending=pending, last_poll_at=feeds[2], ok=True,
        )


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
