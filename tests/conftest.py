"""Shared fixtures: the ../shared folder (corpus, feeds) and a fresh database file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path | None:
    """../shared beside the checkout (CI puts it there), or $RELEASEWATCH_SHARED."""
    env = os.environ.get("RELEASEWATCH_SHARED")
    for candidate in ([Path(env)] if env else []) + [REPO.parent / "shared"]:
        if (candidate / "EVENTS.md").is_file():
            return candidate
    return None


@pytest.fixture(scope="session")
def shared() -> Path:
    path = shared_dir()
    if path is None:
        pytest.skip("../shared (corpus and feed documents) is not beside this checkout")
    return path


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "releasewatch.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[sqlite_utils.Database]:
    """The real SQLite store in a fresh file, closed after the test."""
    from bot.store import open_db

    database = open_db(db_path)
    yield database
    database.close()


@pytest.fixture
def fake_bot_api():
    """A started fake Bot API server on 127.0.0.1 (see tests/fakebotapi.py)."""
    from tests.fakebotapi import FakeBotApi

    with FakeBotApi() as api:
        yield api
