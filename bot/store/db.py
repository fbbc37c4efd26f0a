"""Opening the database: WAL, foreign keys, busy timeout, migrations applied."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from bot.store.migrations import migrate


class StoreError(Exception):
    """The database cannot be opened or written: locked, read-only, corrupt or too new."""


def open_db(path: str | Path, *, migrate_schema: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the SQLite file at `path` and bring its schema up to date.

    `:memory:` is accepted for throwaway use. One connection belongs to one thread.
    """
    try:
        if str(path) == ":memory:":
            conn = sqlite3.connect(":memory:", isolation_level=None)
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=10.0, isolation_level=None)
        db = sqlite_utils.Database(conn)
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA foreign_keys = ON")
        if str(path) != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        if migrate_schema:
            migrate(db)
    except sqlite3.OperationalError as e:
        raise StoreError(f"cannot use database {path}: {e}") from e
    except sqlite3.DatabaseError as e:
        raise StoreError(f"database {path} is not a usable SQLite file: {e}") from e
    return db
