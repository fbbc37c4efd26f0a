"""Telegram's limits: ChatPacer, a pure per-chat schedule (about 1/s per chat, 20/min per group)
answering "when may this chat receive next?", and SharedBudget, which puts the bot's own
replies and digests into delivery's overall 30/s (one aiolimiter AsyncLimiter for both).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.ext import BaseRateLimiter


@dataclass(frozen=True)
class Limits:
    """Telegram's broadcast limits, each set a little below what Telegram enforces."""

    overall_per_second: float = 28.0
    chat_interval: float = 1.05  # seconds between two messages to one chat
    group_per_window: int = 19  # groups and channels: at most this many ...
    group_window: float = 60.0  # ... in any window of this many seconds


class ChatPacer:
    """Remembers recent sends per chat (monotonic seconds) and when each chat is free again."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._sent: dict[int, deque[float]] = {}
        self._blocked: dict[int, float] = {}

    def ready_at(self, chat_id: int, *, is_group: bool, now: float) -> float:
        """The earliest moment (>= now) a message to `chat_id` stays within the limits."""
        at = max(now, self._blocked.get(chat_id, now))
        sent = self._sent.get(chat_id)
        if not sent:
            return at
        at = max(at, sent[-1] + self.limits.chat_interval)
        if is_group:
            recent = [t for t in sent if t > now - self.limits.group_window]
            if len(recent) >= self.limits.group_per_window:
                oldest = recent[-self.limits.group_per_window]
                at = max(at, oldest + self.limits.group_window)
        return at

    def is_ready(self, chat_id: int, *, is_group: bool, now: float) -> bool:
        return self.ready_at(chat_id, is_group=is_group, now=now) <= now

    def record(self, chat_id: int, now: float) -> None:
        """A message to `chat_id` goes out at `now`."""
        sent = self._sent.setdefault(chat_id, deque(maxlen=self.limits.group_per_window))
        sent.append(now)

    def block(self, chat_id: int, until: float) -> None:
        """Telegram asked to wait (retry_after): nothing to this chat before `until`."""
        self._blocked[chat_id] = max(until, self._blocked.get(chat_id, until))

    def prune(self, now: float) -> None:
        """Forget chats with nothing in the last window, so memory follows recent traffic."""
        horizon = now - self.limits.group_window
        for chat_id in [c for c, s in self._sent.items() if not s or s[-1] <= horizon]:
            del self._sent[chat_id]
        for chat_id in [c for c, t in self._blocked.items() if t <= now]:
            del self._blocked[chat_id]


def is_group_kind(kind: str) -> bool:
    """Groups, supergroups and channels share the 20-per-minute limit."""
    return kind != "private"


def overall_limiter(limits: Limits) -> AsyncLimiter:
    """A strict leaky bucket (no burst): in any second at most `overall_per_second` requests."""
    return AsyncLimiter(1, 1.0 / limits.overall_per_second)


class SharedBudget(BaseRateLimiter[None]):
    """PTB rate limiter for the Application's bot: its messages draw on delivery's budget, so a
    fan-out and the digests or replies sent beside it stay under Telegram's 30/s together."""

    _SENDING = ("send", "edit", "copy", "forward")

    def __init__(self, limiter: AsyncLimiter) -> None:
        self.limiter = limiter

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if endpoint.startswith(self._SENDING):
            await self.limiter.acquire()
        return await callback(*args, **kwargs)
