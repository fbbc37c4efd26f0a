"""Logging set-up: plain or JSON lines on stderr, with bot tokens redacted from every record.

python-telegram-bot and httpx put the token in Bot API URLs, and so in some exception texts;
the formatter removes it from messages and tracebacks alike.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable

# Any Bot API token, wherever it shows up (URLs, reprs): digits, a colon, 30+ token characters.
TOKEN_PATTERN = re.compile(r"(?<!\d)\d{5,}:[A-Za-z0-9_-]{30,}")
REDACTED = "<token>"


class RedactingFormatter(logging.Formatter):
    """Formats as its base does, then removes the known secrets and anything token-shaped."""

    def __init__(self, base: logging.Formatter, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.base = base
        self.secrets = [s for s in secrets if s]

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return TOKEN_PATTERN.sub(REDACTED, text)

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(self.base.format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the exception if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("feed_id", "alert_id", "outbox", "count", "duration_ms"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(*, verbose: bool = False, json_lines: bool = False,
                      secrets: Iterable[str] = ()) -> logging.Handler:
    """Install one stderr handler on the root logger; return it."""
    base = JsonFormatter() if json_lines else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter(base, secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    # Bot API request lines carry the token and every chat id: keep them out of INFO logs.
    # telegram.Bot and telegram.ext.ExtBot log every call's parameters (chat ids) at DEBUG.
    for noisy in ("httpx", "httpcore", "telegram.ext.Updater", "telegram.Bot",
                  "telegram.ext.ExtBot", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler
