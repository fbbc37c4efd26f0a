"""The async poll loop: fetch, parse and store every feed when due, a bounded number at a time.

It knows nothing of SQLite: feed state and articles go through the FeedStore it is given.
One slow, huge or broken feed never delays the others; each is its own task.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Protocol

import httpx

from feeds.fetch import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, FetchError, cache_max_age, fetch_feed
from feeds.model import Article, FeedSource, FeedState, FeedUpdate, NotModified, PollResult
from feeds.parse import ParseError, parse_feed
from feeds.schedule import is_due, next_poll_at

log = logging.getLogger(__name__)

MAX_SLEEP = 30.0  # the loop looks at the schedule at least this often
NewArticles = Callable[[list[int]], Awaitable[None]]


class FeedStore(Protocol):
    """Where the poller keeps feed state and new articles (bot.store.feeds.SqliteFeedStore)."""

    def ensure_feeds(self, sources: Sequence[FeedSource], now: datetime) -> list[FeedState]:
        """Add feeds not yet known, keep the state of known ones; states in `sources` order."""
        ...

    def save_poll(
        self, feed_id: int, update: FeedUpdate, articles: Sequence[Article], *, backlog: bool
    ) -> list[int]:
        """Store the feed's new state and its new articles together; ids of the new articles."""
        ...


def utc_now() -> datetime:
    return datetime.now(UTC)


class Poller:
    """Polls feeds through one shared httpx client; see poll_once and run."""

    def __init__(
        self,
        store: FeedStore,
        client: httpx.AsyncClient,
        *,
        default_interval: int = 300,
        concurrency: int = 8,
        max_bytes: int = DEFAULT_MAX_BYTES,
        timeout: float = DEFAULT_TIMEOUT,
        on_new_articles: NewArticles | None = None,
        clock: Callable[[], datetime] = utc_now,
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.default_interval = default_interval
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.on_new_articles = on_new_articles
        self.clock = clock
        self.rng = rng or random.Random()
        self._slots = asyncio.Semaphore(concurrency)

    async def poll_once(self, sources: Sequence[FeedSource]) -> list[PollResult]:
        """Poll every feed once, concurrently, due or not; results in `sources` order."""
        states = self.store.ensure_feeds(sources, self.clock())
        outcomes = await asyncio.gather(*(self.poll_feed(state) for state in states))
        return [result for result, _ in outcomes]

    async def run(self, sources: Sequence[FeedSource], stop: asyncio.Event) -> None:
        """Poll each feed whenever it is due, until `stop` is set; in-flight polls are cancelled."""
        states = {s.id: s for s in self.store.ensure_feeds(sources, self.clock())}
        running: dict[int, asyncio.Task[tuple[PollResult, FeedState]]] = {}
        stopping = asyncio.create_task(stop.wait())
        try:
            while not stop.is_set():
                now = self.clock()
                for feed_id, state in states.items():
                    if feed_id not in running and is_due(state.next_poll_at, now):
                        running[feed_id] = asyncio.create_task(self.poll_feed(state))
                waits = [
                    (s.next_poll_at - now).total_seconds()
                    for i, s in states.items()
                    if i not in running and s.next_poll_at is not None
                ]
                sleep = min([MAX_SLEEP, *waits])
                await asyncio.wait(
                    [stopping, *running.values()],
                    timeout=max(0.01, sleep),
                    return_when=asyncio.FIRST_COMPLETED,
                )
                for feed_id, task in list(running.items()):
                    if task.done():
                        del running[feed_id]
                        _, states[feed_id] = task.result()
        finally:
            stopping.cancel()
            for task in running.values():
                task.cancel()
            await asyncio.gather(stopping, *running.values(), return_exceptions=True)

    async def poll_feed(self, state: FeedState) -> tuple[PollResult, FeedState]:
        """Poll one feed and store the outcome; never raises except on cancellation."""
        async with self._slots:
            try:
                result, update, new_state = await self._poll(state)
            except asyncio.CancelledError:
                raise
            except Exception as e:  # a bug must cost one feed one poll, not the loop
                log.exception("feed %s: unexpected error while polling", state.url)
                result, update, new_state = self._failed(
                    state, f"internal error: {e!r}", None, None
                )
                try:
                    self.store.save_poll(state.id, update, [], backlog=False)
                except Exception:
                    log.exception("feed %s: cannot record the error", state.url)
        if result.new_ids and self.on_new_articles is not None:
            try:
                await self.on_new_articles(list(result.new_ids))
            except asyncio.CancelledError:
                raise
            except Exception:  # the articles stay unprocessed; the application catches up
                log.exception("feed %s: processing new articles failed", state.url)
        return result, new_state

    async def _poll(self, state: FeedState) -> tuple[PollResult, FeedUpdate, FeedState]:
        try:
            got = await fetch_feed(
                self.client,
                state.url,
                state.etag,
                state.last_modified,
                max_bytes=self.max_bytes,
                timeout=self.timeout,
            )
        except FetchError as e:
            return self._store(state, *self._failed(state, str(e), e.status, e.retry_after), [])
        now = self.clock()
        interval = state.interval or self.default_interval
        if isinstance(got, NotModified):
            update = FeedUpdate(
                polled_at=now,
                next_poll_at=next_poll_at(now, interval, jitter=self.rng.random()),
                status=304,
                ok=True,
                etag=state.etag,
                last_modified=state.last_modified,
                bytes=0,
                items=state.last_items,
                backlog_done=state.backlog_done,
            )
            result = self._result(state, "not_modified", update)
            return self._store(state, result, update, _advance(state, update), [])
        try:
            parsed = await asyncio.to_thread(
                parse_feed,
                got.body,
                url=got.url,
                content_type=got.content_type,
                default_lang=state.lang,
                now=now,
            )
        except ParseError as e:
            failed = self._failed(state, str(e), got.status, None, size=len(got.body))
            return self._store(state, *failed, [])
        if parsed.problem:
            log.debug(
                "feed %s: malformed, recovered %d items: %s",
                state.url,
                parsed.entries,
                parsed.problem,
            )
        update = FeedUpdate(
            polled_at=now,
            next_poll_at=next_poll_at(
                now, interval, max_age=cache_max_age(got.headers), jitter=self.rng.random()
            ),
            status=got.status,
            ok=True,
            etag=got.etag,
            last_modified=got.last_modified,
            bytes=len(got.body),
            items=len(parsed.articles),
            backlog_done=True,
        )
        result = self._result(state, "ok", update, backlog=not state.backlog_done)
        return self._store(state, result, update, _advance(state, update), parsed.articles)

    def _store(
        self,
        state: FeedState,
        result: PollResult,
        update: FeedUpdate,
        new_state: FeedState,
        articles: Sequence[Article],
    ) -> tuple[PollResult, FeedUpdate, FeedState]:
        ids = self.store.save_poll(state.id, update, articles, backlog=not state.backlog_done)
        if update.ok:
            log.info("feed %s: %s, %d new", state.url, result.outcome, len(ids))
        else:
            log.warning(
                "feed %s: %s (failure %d in a row)", state.url, update.error, update.error_count
            )
        return replace(result, new_ids=tuple(ids)), update, new_state

    def _failed(
        self,
        state: FeedState,
        message: str,
        status: int | None,
        retry_after: float | None,
        *,
        size: int | None = None,
    ) -> tuple[PollResult, FeedUpdate, FeedState]:
        now = self.clock()
        errors = state.error_count + 1
        update = FeedUpdate(
            polled_at=now,
            next_poll_at=next_poll_at(
                now,
                state.interval or self.default_interval,
                error_count=errors,
                retry_after=retry_after,
                jitter=self.rng.random(),
            ),
            status=status,
            ok=False,
            etag=state.etag,
            last_modified=state.last_modified,
            bytes=size,
            error=message,
            error_count=errors,
            failing_since=state.failing_since or now,
            backlog_done=state.backlog_done,
        )
        return self._result(state, "error", update), update, _advance(state, update)

    @staticmethod
    def _result(
        state: FeedState, outcome: str, update: FeedUpdate, *, backlog: bool = False
    ) -> PollResult:
        return PollResult(
            feed_id=state.id,
            url=state.url,
            name=state.name,
            outcome=outcome,
            items=update.items,
            status=update.status,
            error=update.error,
            backlog=backlog,
            next_poll_at=update.next_poll_at,
        )


def _advance(state: FeedState, update: FeedUpdate) -> FeedState:
    """The feed's state after `update` is stored, without reading it back."""
    return replace(
        state,
        etag=update.etag,
        last_modified=update.last_modified,
        last_items=update.items if update.ok else state.last_items,
        error_count=update.error_count,
        failing_since=update.failing_since,
        next_poll_at=update.next_poll_at,
        backlog_done=update.backlog_done,
    )
