"""When to poll a feed next: pure, from now, its interval, its errors and what the server asked."""

from __future__ import annotations

from datetime import datetime, timedelta

MAX_BACKOFF = 6 * 3600.0  # seconds; a failing feed is still tried at least this often
MAX_RETRY_AFTER = 6 * 3600.0  # a server cannot park us for longer than this
MAX_CACHE_AGE = 3600.0  # Cache-Control max-age is honoured up to an hour, not beyond
JITTER = 0.1  # +-10% of the delay, so feeds added together drift apart


def poll_delay(
    interval: float,
    *,
    error_count: int = 0,
    retry_after: float | None = None,
    max_age: float | None = None,
) -> float:
    """Seconds until the next poll, before jitter.

    Exponential backoff on consecutive errors (2x, 4x, ... the interval), capped at
    MAX_BACKOFF unless the interval itself is longer; a server's Retry-After or
    max-age wins when it asks for more, within its clamp.
    """
    interval = max(1.0, float(interval))
    delay = interval
    if error_count > 0:
        delay = min(interval * 2.0 ** min(error_count, 32), max(MAX_BACKOFF, interval))
    if retry_after is not None and retry_after > 0:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    if max_age is not None and max_age > 0 and error_count == 0:
        delay = max(delay, min(max_age, MAX_CACHE_AGE))
    return delay


def next_poll_at(
    now: datetime,
    interval: float,
    *,
    error_count: int = 0,
    retry_after: float | None = None,
    max_age: float | None = None,
    jitter: float = 0.5,
) -> datetime:
    """The time of the next poll; `jitter` in [0, 1] (0.5 = none) spreads it by +-JITTER.

    Retry-After is a floor: jitter never brings the poll earlier than the server asked.
    """
    delay = poll_delay(interval, error_count=error_count, retry_after=retry_after, max_age=max_age)
    jitter = min(1.0, max(0.0, jitter))
    spread = delay * (1.0 + JITTER * (2.0 * jitter - 1.0))
    if retry_after is not None and retry_after > 0:
        spread = max(spread, min(retry_after, MAX_RETRY_AFTER))
    return now + timedelta(seconds=spread)


def is_due(next_at: datetime | None, now: datetime) -> bool:
    """Is a feed with this stored next-poll time due (never-polled feeds are)?"""
    return next_at is None or next_at <= now
