"""The health file: `run` rewrites it after every cycle; `releasewatch health` (the Docker
HEALTHCHECK) reads it and fails when it is stale or reports a fault."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class Health:
    """What `run` last knew of itself, written to the health file for the container runtime."""

    at: str  # ISO UTC time of writing
    poll_seconds: int
    feeds: int
    feeds_failing: int
    outbox_pending: int
    last_poll_at: str | None
    ok: bool
    problem: str | None = None


def write_health(path: Path, health: Health) -> None:
    """Replace the health file atomically, so a reader never sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".health-", dir=path.parent)
    with os.fdopen(fd, "w") as f:
        json.dump(asdict(health), f)
    os.replace(tmp, path)


def check_health(path: Path, *, now: datetime, max_age: float | None = None) -> str | None:
    """None when healthy, else the reason in one line."""
    try:
        data = json.loads(path.read_text())
        written = datetime.fromisoformat(data["at"])
    except FileNotFoundError:
        return f"no health file at {path}: is `releasewatch run` running?"
    except (OSError, ValueError, KeyError, TypeError) as e:
        return f"unreadable health file {path}: {e}"
    limit = max_age if max_age is not None else 3 * float(data.get("poll_seconds", 300)) + 60
    age = (now - written).total_seconds()
    if age > limit:
        return f"health file is {age:.0f}s old (limit {limit:.0f}s): the service is stuck or down"
    if not data.get("ok", False):
        return f"service reports a problem: {data.get('problem') or 'unknown'}"
    return None


def cmd_health(args: argparse.Namespace) -> int:
    from bot.settings import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as e:
        print(f"releasewatch: {e}", file=sys.stderr)
        return 2
    problem = check_health(settings.health_file, now=datetime.now(UTC), max_age=args.max_age)
    if problem:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    print("healthy")
    return 0
