"""The database file locked by another connection (at start-up or while running), read-only, or
of an older schema. `run` and `poll` print one clear line and exit non-zero, never a traceback;
an older schema is migrated with its data kept."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store import open_db
from bot.store.migrations import _001_INITIAL, STEPS
from tests.bot.test_app import serve_until, settings_for
from tests.bot.test_delivery import NOW, seed_alert, seed_chats
from tests.fakebotapi import FakeBotApi

REPO = Path(__file__).resolve().parents[2]


def start(
    command: list[str], db: Path, tmp_path: Path, *, api: FakeBotApi | None = None
) -> subprocess.Popen[str]:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text("")
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["RELEASEWATCH_DB"] = str(db)
    if api is not None:
        env |= {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_URL": api.base_url}
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *command, "--feeds", str(feeds)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def assert_one_clear_line(process: subprocess.Popen[str], command: str, why: str) -> None:
    out, err = process.communicate(timeout=40)
    assert process.returncode in (1, 2), (out, err)
    assert "Traceback" not in err and err.count("\n") == 1, err
    assert err.startswith(f"releasewatch {command}: cannot use database") and why in err, err


@pytest.fixture
def locked_db(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "locked.db"
    open_db(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    yield path
    holder.execute("ROLLBACK")
    holder.close()


@pytest.fixture
def read_only_db(tmp_path: Path) -> Iterator[Path]:
    """Read-only even for root: the immutable attribute (chattr +i) where file modes do not bind."""
    path = tmp_path / "ro.db"
    open_db(path).close()
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
    else:
        path.chmod(0o444)
    yield path
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_locked_and_read_only_databases_are_one_clear_error(
    tmp_path: Path, locked_db: Path, read_only_db: Path, fake_bot_api: FakeBotApi
) -> None:
    # A running service whose database another connection then locks for good: delivery's
    # periodic clean-up (every 10 s) is the write that meets the lock.
    running_db = tmp_path / "running.db"
    open_db(running_db).close()
    running = start(["run"], running_db, tmp_path, api=fake_bot_api)
    assert fake_bot_api.wait_until(lambda: bool(fake_bot_api.calls_to("getUpdates")), timeout=20)
    holder = sqlite3.connect(running_db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    # All at once: a locked file takes the busy timeout (10 s) to give up on.
    cases = [
        (start(["run"], locked_db, tmp_path), "run", "database is locked"),
        (start(["poll", "--once"], locked_db, tmp_path), "poll", "database is locked"),
        (start(["run"], read_only_db, tmp_path), "run", "readonly database"),
        (start(["poll", "--once"], read_only_db, tmp_path), "poll", "readonly database"),
    ]
    for process, command, why in cases:
        assert_one_clear_line(process, command, why)
    out, err = running.communicate(timeout=40)
    holder.execute("ROLLBACK")
    holder.close()
    assert running.returncode == 1 and "Traceback" not in err, err
    last = err.strip().splitlines()[-1]
    assert last == f"releasewatch run: cannot use database {running_db}: database is locked"


def old_database(path: Path) -> None:
    """A file as the first release left it: only the first migration step, with data."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(
        f"BEGIN;\n{_001_INITIAL}\n"
        "CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL);\n"
        "INSERT INTO _migrations VALUES ('001_initial', '2026-01-01T00:00:00Z');\nCOMMIT;"
    )
    conn.close()


async def test_an_older_schema_is_migrated_at_start_up_with_its_data(db_path: Path) -> None:
    old_database(db_path)
    db = open_db(db_path, migrate_schema=False)
    seed_chats(db, [(41, 0), (42, 0)])
    alert_id = seed_alert(db, [(41, 0), (42, 0)])
    db.execute("UPDATE outbox SET state = 'sent', sent_at = ? WHERE chat_id = 41", [NOW])
    db.close()
    settings = settings_for(db_path)

    await serve_until(settings, [], lambda: settings.health_file.exists())

    db = open_db(db_path, migrate_schema=False)
    names = [r[0] for r in db.execute("SELECT name FROM _migrations ORDER BY name")]
    assert names == [name for name, _ in STEPS]
    assert db.execute("SELECT COUNT(*) FROM chats").fetchone()[0] == 2
    assert db.execute("SELECT evidence FROM alerts WHERE id = ?", [alert_id]).fetchone()[0]
    states = dict(db.execute("SELECT chat_id, state FROM outbox").fetchall())
    assert states[41] == "sent"
    db.close()
