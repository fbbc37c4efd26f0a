import pytest

from bot.store import open_db
from bot.store.db import StoreError
from bot.store.migrations import SCHEMA_VERSION, STEPS, migrate


def test_fresh_database_is_wal_and_versioned(db_path):
    db = open_db(db_path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    names = [r[0] for r in db.execute("SELECT name FROM _migrations ORDER BY name")]
    assert names == [name for name, _ in STEPS]


def test_reopening_applies_nothing(db_path):
    open_db(db_path).conn.close()
    db = open_db(db_path, migrate_schema=False)
    assert migrate(db) == []


def test_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable SQLite file"):
        open_db(bad)
