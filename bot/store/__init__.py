"""SQLite storage: one file, WAL mode, append-only migrations, a query module per table group."""

from bot.store.db import open_db

__all__ = ["open_db"]
