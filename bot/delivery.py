"""Drains the outbox to Telegram: sends, then edits of updated alerts, within Telegram's limits.

Errors map to outbox states once, in `classify`: Telegram error -> Verdict -> state change.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils
from aiolimiter import AsyncLimiter
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.ratelimit import ChatPacer, Limits, is_group_kind, overall_limiter
from bot.sending import NO_PREVIEW, Attempt, Outcome, Verdict, Withdrawn, classify, current_attempt
from bot.store import outbox
from bot.store.outbox import Job
from bot.telegram.render import render_alert

log = logging.getLogger(__name__)

Render = Callable[[Mapping[str, Any], Sequence[Mapping[str, Any]], str], str]


@dataclass(frozen=True)
class DeliveryConfig:
    """How hard delivery pushes and how patiently it retries."""

    limits: Limits = field(default_factory=Limits)
    concurrency: int = 8  # requests in flight at once
    batch: int = 200  # rows read per round
    idle_poll: float = 2.0  # seconds between looks at the outbox when nothing woke us
    backoff: float = 5.0  # first retry delay, doubled each attempt
    backoff_max: float = 900.0
    max_attempts: int = 6


class DeliveryError(Exception):
    """Delivery cannot go on (the token was rejected)."""


def utc_now() -> datetime:
    return datetime.now(UTC)


class Delivery:
    """The outbox worker: `run(stop)` until stop is set, finishing the requests in flight."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        bot: Bot,
        *,
        config: DeliveryConfig | None = None,
        clock: Callable[[], datetime] = utc_now,
        render: Render = render_alert,
        limiter: AsyncLimiter | None = None,
    ) -> None:
        self.db, self.bot = db, bot
        self.config = config or DeliveryConfig()
        self._clock, self._render = clock, render
        self._pacer = ChatPacer(self.config.limits)
        # Shared with the Application's bot (SharedBudget) when the service runs both.
        self.limiter = limiter or overall_limiter(self.config.limits)
        self._slots = asyncio.Semaphore(self.config.concurrency)
        self._wake = asyncio.Event()
        self._paused_until = 0.0
        self._in_flight: dict[int, int] = {}  # outbox id -> chat id
        self._tasks: set[asyncio.Task[None]] = set()
        self._texts: dict[tuple[int, int, str], tuple[str, int]] = {}
        self._edit_failures: dict[int, int] = {}
        self._unanswered: str | None = None  # the error while the Bot API keeps failing
        self._fatal: Exception | None = None
        self.counts: dict[str, int] = {"sent": 0, "edited": 0, "rate_limited": 0}

    def wake(self) -> None:
        """New outbox rows exist: look now rather than at the next poll."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        recovered = outbox.recover_interrupted(self.db)
        if recovered:
            log.warning("%d message(s) were in flight when the service stopped; their outcome "
                        "is unknown and they are not sent again (state 'unknown')", recovered)
        loop = asyncio.get_running_loop()
        next_cleanup = 0.0
        try:
            while not stop.is_set() and self._fatal is None:
                if loop.time() >= next_cleanup:
                    outbox.drop_unwanted(self.db)
                    self._pacer.prune(loop.time())
                    next_cleanup = loop.time() + 10.0
                pause = await self._round(stop)
                if pause > 0:
                    await self._sleep(stop, pause)
        finally:
            if self._tasks:
                await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._fatal is not None:
            raise DeliveryError("Telegram rejected the bot token") from self._fatal

    async def _round(self, stop: asyncio.Event) -> float:
        """Dispatch what is due and allowed; return how long to sleep before the next round."""
        loop = asyncio.get_running_loop()
        now, mono = self._clock(), loop.time()
        # One request per chat at a time: the next waits for this one's outcome (a 403 drops it).
        busy = set(self._in_flight.values())
        sends = outbox.due_sends(self.db, now, limit=self.config.batch, skip_chats=busy)
        jobs = self._ready(sends, mono)
        if not jobs:
            # Edits wait for new alerts: news first, corrections after.
            edits = outbox.due_edits(self.db, now, limit=self.config.batch)
            edits = [j for j in edits if j.chat_id not in busy]
            jobs = self._ready(edits, mono)
            sends += edits
        for job in jobs:
            if stop.is_set() or self._fatal is not None:
                return 0.0
            await self._gate(stop)  # holds a slot, handed to the task below
            ready = self._pacer.is_ready(job.chat_id, is_group=is_group_kind(job.kind),
                                         now=loop.time())
            if stop.is_set() or not ready:
                self._slots.release()
                continue
            self._pacer.record(job.chat_id, loop.time())
            self._in_flight[job.id] = job.chat_id
            task = asyncio.create_task(self._deliver(job))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        if jobs:
            return 0.0
        waits = [self._pacer.ready_at(j.chat_id, is_group=is_group_kind(j.kind), now=mono) - mono
                 for j in sends if j.id not in self._in_flight]
        return min([self.config.idle_poll, *waits]) if waits else self.config.idle_poll

    def _ready(self, jobs: list[Job], mono: float) -> list[Job]:
        return [j for j in jobs
                if self._pacer.is_ready(j.chat_id, is_group=is_group_kind(j.kind), now=mono)]

    async def _gate(self, stop: asyncio.Event) -> None:
        """Take a request slot, then wait for the overall rate and the end of a flood pause."""
        loop = asyncio.get_running_loop()
        await self._slots.acquire()
        await self.limiter.acquire()
        # Last, so a 429 answered while we waited above still holds this request back.
        while (left := self._paused_until - loop.time()) > 0 and not stop.is_set():
            await self._sleep(stop, left)

    async def _sleep(self, stop: asyncio.Event, seconds: float) -> None:
        waiters = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
        await asyncio.wait(waiters, timeout=max(seconds, 0.01),
                           return_when=asyncio.FIRST_COMPLETED)
        for w in waiters:
            w.cancel()
        self._wake.clear()

    async def _deliver(self, queued: Job) -> None:
        """Send or edit one row; releases the slot `_gate` took for it."""
        try:
            # Rows wait in a round for seconds: their chat may have left or moved meanwhile.
            job = outbox.refresh(self.db, queued)
            if job is not None:
                await (self._edit(job) if job.is_edit else self._send(job))
        except Exception:
            log.exception("unexpected error delivering outbox row %d", queued.id)
            at = self._backoff_at(queued.attempts + 1)
            outbox.mark_error(self.db, queued, at, "internal error",
                              max_attempts=self.config.max_attempts)
        finally:
            self._in_flight.pop(queued.id, None)
            self._slots.release()
            self._wake.set()

    def _message(self, job: Job) -> tuple[str, int] | None:
        """The alert's text in the chat's language and the version it shows."""
        row = outbox.alert_for_message(self.db, job.alert_id)
        if row is None:
            return None
        alert, articles = row
        key = (job.alert_id, int(alert["version"]), job.lang)
        if key not in self._texts:
            if len(self._texts) > 1000:
                self._texts.clear()
            self._texts[key] = (self._render(alert, articles, job.lang), int(alert["version"]))
        return self._texts[key]

    async def _send(self, job: Job) -> None:
        message = self._message(job)
        if message is None:
            outbox.mark_final(self.db, job, "dropped", "the alert no longer exists")
            return
        text, version = message
        attempt = Attempt(on_leaving=lambda: outbox.mark_sending(self.db, job))
        token = current_attempt.set(attempt)
        try:
            sent = await self.bot.send_message(
                chat_id=job.chat_id, text=text, parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW, message_thread_id=job.thread_id or None,
            )
        except TelegramError as exc:
            if isinstance(exc.__cause__, Withdrawn):
                return
            self._apply(job, classify(exc, edit=False, left=attempt.left,
                                      answered=attempt.answered), version)
            return
        finally:
            current_attempt.reset(token)
        outbox.mark_sent(self.db, job, sent.message_id, version, self._clock())
        self.counts["sent"] += 1
        self._answered()

    async def _edit(self, job: Job) -> None:
        message = self._message(job)
        if message is None:
            return
        text, version = message
        assert job.message_id is not None
        try:
            await self.bot.edit_message_text(
                text=text, chat_id=job.chat_id, message_id=job.message_id,
                parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW,
            )
        except TelegramError as exc:
            self._apply(job, classify(exc, edit=True, left=True, answered=True), version)
            return
        outbox.mark_edited(self.db, job, version)
        self._edit_failures.pop(job.id, None)
        self.counts["edited"] += 1
        self._answered()

    def _failing(self, error: str) -> None:
        """An operator must see an outage of the Bot API at once: one warning when sends
        start failing, one line when they go through again (not one per retried row)."""
        if self._unanswered is None:
            log.warning("Telegram's Bot API is failing (%s); sends are retried with backoff", error)
        self._unanswered = error

    def _answered(self) -> None:
        if self._unanswered is not None:
            log.warning("Telegram's Bot API answers again; delivery resumes")
            self._unanswered = None

    def _backoff_at(self, attempts: int) -> datetime:
        delay = min(self.config.backoff * 2 ** max(attempts - 1, 0), self.config.backoff_max)
        return self._clock() + timedelta(seconds=delay)

    def _apply(self, job: Job, verdict: Verdict, version: int) -> None:
        """Record what the verdict means for the row (and for its chat)."""
        db, out = self.db, verdict.outcome
        if out is Outcome.WAIT:
            mono = asyncio.get_running_loop().time()
            self._paused_until = max(self._paused_until, mono + verdict.retry_after)
            self._pacer.block(job.chat_id, mono + verdict.retry_after)
            self.counts["rate_limited"] += 1
            log.warning("Telegram asked to wait %.0f s; all sending pauses", verdict.retry_after)
            at = self._clock() + timedelta(seconds=verdict.retry_after)
            outbox.mark_retry(db, job, at, verdict.error, counted=False)
        elif out is Outcome.MOVED and verdict.new_chat_id is not None:
            log.info("a group became a supergroup; its subscription moves with it")
            outbox.move_chat(db, job.chat_id, verdict.new_chat_id)
            outbox.mark_retry(db, job, self._clock(), verdict.error, counted=False)
        elif out in (Outcome.GONE, Outcome.TOPIC_GONE):
            thread = job.thread_id if out is Outcome.TOPIC_GONE else None
            dropped = outbox.deactivate_chat(db, job.chat_id, verdict.error, thread_id=thread)
            log.info("a chat can no longer receive alerts (%s); deactivated, %d pending dropped",
                     verdict.error, dropped)
        elif out is Outcome.FATAL:
            outbox.mark_retry(db, job, self._clock(), verdict.error, counted=False)
            self._fatal = self._fatal or DeliveryError(verdict.error)
        elif job.is_edit:
            self._apply_edit(job, verdict, version)
        elif out is Outcome.UNKNOWN:
            log.warning("a send got no answer after it left; not repeated (state 'unknown')")
            outbox.mark_final(db, job, "unknown", verdict.error)
        elif out is Outcome.RETRY and job.attempts + 1 < self.config.max_attempts:
            self._failing(verdict.error)
            outbox.mark_retry(db, job, self._backoff_at(job.attempts + 1), verdict.error)
        else:
            log.warning("a send failed for good: %s", verdict.error)
            outbox.mark_final(db, job, "failed", verdict.error)

    def _apply_edit(self, job: Job, verdict: Verdict, version: int) -> None:
        if verdict.outcome is Outcome.DONE:
            outbox.mark_edited(self.db, job, version)
            return
        failures = self._edit_failures.get(job.id, 0) + 1
        if verdict.outcome is Outcome.RETRY and failures < self.config.max_attempts:
            self._edit_failures[job.id] = failures
            outbox.mark_retry(self.db, job, self._backoff_at(failures), verdict.error,
                              counted=False)
            return
        self._edit_failures.pop(job.id, None)
        outbox.mark_edited(self.db, job, version, error=f"edit abandoned: {verdict.error}")
