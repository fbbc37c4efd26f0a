"""Environment -> frozen Settings, validated once; only bot.app and bot.cli read it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_API_URL = "https://api.telegram.org/bot"
DEFAULT_POLL_SECONDS = 300


class SettingsError(ValueError):
    """A setting has a value the service cannot use; the message names it."""


@dataclass(frozen=True)
class Settings:
    """Service configuration read from the environment (see README, Configuration)."""

    token: str | None
    api_url: str
    db_path: Path
    poll_seconds: int
    admins: frozenset[int]
    allowed_feed_hosts: frozenset[str]
    metrics_port: int | None
    health_file: Path

    def __repr__(self) -> str:  # never show the token
        return (
            f"Settings(token={'set' if self.token else 'unset'}, api_url={self.api_url!r}, "
            f"db_path={str(self.db_path)!r}, poll_seconds={self.poll_seconds}, "
            f"admins={len(self.admins)}, allowed_feed_hosts={sorted(self.allowed_feed_hosts)}, "
            f"metrics_port={self.metrics_port}, health_file={str(self.health_file)!r})"
        )


def _int(env: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}")
    return value


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate the RELEASEWATCH_* and TELEGRAM_* variables."""
    env = os.environ if env is None else env
    admins: set[int] = set()
    for part in env.get("RELEASEWATCH_ADMINS", "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            admins.add(int(part))
        except ValueError:
            raise SettingsError(
                f"RELEASEWATCH_ADMINS must be Telegram user ids separated by commas, got {part!r}"
            ) from None
    hosts = {
        h.strip().lower()
        for h in env.get("RELEASEWATCH_ALLOWED_FEED_HOSTS", "").split(",")
        if h.strip()
    }
    metrics = env.get("RELEASEWATCH_METRICS_PORT", "").strip()
    api_url = env.get("TELEGRAM_API_URL", "").strip() or DEFAULT_API_URL
    if not api_url.startswith(("http://", "https://")):
        raise SettingsError(f"TELEGRAM_API_URL must be an http(s) URL, got {api_url!r}")
    db_path = Path(env.get("RELEASEWATCH_DB", "").strip() or "releasewatch.db")
    health = env.get("RELEASEWATCH_HEALTH_FILE", "").strip()
    return Settings(
        token=env.get("TELEGRAM_BOT_TOKEN", "").strip() or None,
        api_url=api_url,
        db_path=db_path,
        poll_seconds=_int(env, "RELEASEWATCH_POLL_SECONDS", DEFAULT_POLL_SECONDS, 1),
        admins=frozenset(admins),
        allowed_feed_hosts=frozenset(hosts),
        metrics_port=_int(env, "RELEASEWATCH_METRICS_PORT", 0, 0) if metrics else None,
        health_file=Path(health) if health else db_path.with_name(db_path.name + ".health.json"),
    )
