"""Sending for delivery: a Bot whose requests report when they leave, and what each
Telegram error means for an outbox row (Telegram error -> Verdict, translated once, here).
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

import httpx
from telegram import Bot, LinkPreviewOptions
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, RetryAfter
from telegram.request import HTTPXRequest

# PTB 22 warns on every 429 until retry_after is a timedelta, which PTB 23 makes the default.
os.environ.setdefault("PTB_TIMEDELTA", "1")

# Several outlet links per message: a preview would pick one arbitrarily and double the size.
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_GONE = ("chat not found", "bot was kicked", "have no rights", "not enough rights",
         "need administrator rights", "chat_write_forbidden", "user is deactivated")
_TOPIC_GONE = ("thread not found", "topic_closed", "topic_deleted")


class Outcome(StrEnum):
    RETRY = "retry"  # try again later, counted against the attempts
    WAIT = "wait"  # 429: wait retry_after, not counted
    MOVED = "moved"  # group became a supergroup: move the subscription, send again
    GONE = "gone"  # blocked, kicked, chat not found: deactivate the chat
    TOPIC_GONE = "topic_gone"  # the forum topic is closed or deleted
    DONE = "done"  # "message is not modified": the edit has nothing to do
    FAILED = "failed"  # Telegram refused this request for good
    UNKNOWN = "unknown"  # the request left and no answer came: maybe delivered
    FATAL = "fatal"  # the token was rejected: nothing can be sent


@dataclass(frozen=True)
class Verdict:
    """What a Telegram error means for one outbox row; made by classify, applied by Delivery."""

    outcome: Outcome
    error: str
    retry_after: float = 0.0
    new_chat_id: int | None = None


def classify(exc: Exception, *, edit: bool, left: bool, answered: bool) -> Verdict:
    """Map an error of one send (or edit) to a Verdict.

    `left`: the request's first byte went out; `answered`: Telegram's answer came back.
    A send that left without an answer may have been delivered, so it is never repeated.
    """
    error = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, RetryAfter):
        ra = exc.retry_after
        seconds = ra.total_seconds() if isinstance(ra, timedelta) else float(ra)
        return Verdict(Outcome.WAIT, error, retry_after=max(seconds, 1.0))
    if isinstance(exc, ChatMigrated):
        return Verdict(Outcome.MOVED, error, new_chat_id=int(exc.new_chat_id))
    if isinstance(exc, Forbidden):
        return Verdict(Outcome.GONE, error)
    if isinstance(exc, InvalidToken):
        return Verdict(Outcome.FATAL, error)
    if isinstance(exc, BadRequest):
        text = exc.message.lower()
        if "not modified" in text:
            return Verdict(Outcome.DONE, error)
        if any(s in text for s in _GONE):
            return Verdict(Outcome.GONE, error)
        if any(s in text for s in _TOPIC_GONE):
            return Verdict(Outcome.TOPIC_GONE, error)
        return Verdict(Outcome.FAILED, error)
    if not edit and left and not answered:
        return Verdict(Outcome.UNKNOWN, error)
    return Verdict(Outcome.RETRY, error)


class Withdrawn(Exception):
    """The row stopped being pending before the request left: it must not leave."""


@dataclass
class Attempt:
    """One send in flight: the httpx trace tells it when the request leaves and is answered."""

    on_leaving: Callable[[], bool]
    left: bool = False
    answered: bool = False

    async def trace(self, event: str, info: dict[str, Any]) -> None:
        if event.endswith("send_request_headers.started") and not self.left:
            # Commits 'sending'; raising here aborts the request before any byte is sent.
            if not self.on_leaving():
                raise Withdrawn()
            self.left = True
        elif event.endswith("receive_response_headers.complete"):
            self.answered = True


current_attempt: contextvars.ContextVar[Attempt | None] = contextvars.ContextVar(
    "current_attempt", default=None
)


async def _attach_trace(request: httpx.Request) -> None:
    attempt = current_attempt.get()
    if attempt is not None:
        request.extensions["trace"] = attempt.trace


def make_delivery_bot(
    token: str, base_url: str, *, read_timeout: float = 15.0, concurrency: int = 8
) -> Bot:
    """A Bot whose requests report when they leave: delivery needs it to never double-send."""
    request = HTTPXRequest(
        connection_pool_size=concurrency + 4,
        read_timeout=read_timeout,
        write_timeout=read_timeout,
        connect_timeout=10.0,
        pool_timeout=10.0,
        http_version="1.1",
        httpx_kwargs={"event_hooks": {"request": [_attach_trace]}},
    )
    return Bot(token, base_url=base_url, request=request)
