"""next_poll_at: interval, jitter, backoff with a cap, Retry-After and max-age."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from feeds.schedule import MAX_BACKOFF, MAX_RETRY_AFTER, is_due, next_poll_at, poll_delay

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


def test_interval_and_jitter_bounds() -> None:
    assert next_poll_at(NOW, 300, jitter=0.5) == NOW + timedelta(seconds=300)
    assert next_poll_at(NOW, 300, jitter=0.0) == NOW + timedelta(seconds=270)
    assert next_poll_at(NOW, 300, jitter=1.0) == NOW + timedelta(seconds=330)
    assert next_poll_at(NOW, 300, jitter=7.0) == NOW + timedelta(seconds=330)  # clamped


def test_backoff_doubles_and_is_capped() -> None:
    delays = [poll_delay(300, error_count=n) for n in range(0, 10)]
    assert delays[:5] == [300, 600, 1200, 2400, 4800]
    assert max(delays) == MAX_BACKOFF == delays[-1]
    assert poll_delay(300, error_count=10_000) == MAX_BACKOFF
    assert poll_delay(86400, error_count=3) == 86400  # a long interval is never shortened


def test_retry_after_is_a_clamped_floor() -> None:
    assert poll_delay(300, retry_after=3600) == 3600
    assert poll_delay(300, retry_after=10) == 300
    assert poll_delay(300, retry_after=10**9) == MAX_RETRY_AFTER
    # jitter never brings the poll before what the server asked
    assert next_poll_at(NOW, 300, retry_after=3600, jitter=0.0) == NOW + timedelta(seconds=3600)


def test_max_age_honoured_up_to_an_hour_and_only_when_healthy() -> None:
    assert poll_delay(300, max_age=900) == 900
    assert poll_delay(300, max_age=86400) == 3600
    assert poll_delay(300, max_age=60) == 300
    assert poll_delay(300, error_count=1, max_age=86400) == 600


def test_is_due() -> None:
    assert is_due(None, NOW) and is_due(NOW, NOW)
    assert not is_due(NOW + timedelta(seconds=1), NOW)
