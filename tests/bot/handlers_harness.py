"""Drives the real Application from build_application against the fake Bot API server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from telegram import Update

from bot.settings import load_settings
from bot.store import open_db
from bot.telegram import build_application

OPERATOR = 900


class Harness:
    """One bot, one database file; updates go through application.process_update."""

    def __init__(self, api: Any, tmp_path: Path, **env: str) -> None:
        self.api = api
        self.db = open_db(tmp_path / "releasewatch.db")
        self.settings = load_settings(
            {
                "TELEGRAM_BOT_TOKEN": api.token,
                "TELEGRAM_API_URL": api.base_url,
                "RELEASEWATCH_DB": str(tmp_path / "releasewatch.db"),
                "RELEASEWATCH_ADMINS": str(OPERATOR),
                **env,
            }
        )
        self.app = build_application(self.settings, self.db)
        self.errors: list[BaseException] = []

        async def record(update: object, context: Any) -> None:
            self.errors.append(context.error)

        self.app.add_error_handler(record)

    async def __aenter__(self) -> Harness:
        await self.app.initialize()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.app.shutdown()
        self.db.conn.close()

    async def process(self, update: dict[str, Any]) -> None:
        await self.app.process_update(Update.de_json(update, self.app.bot))

    async def command(self, text: str, **kwargs: Any) -> str:
        """Send a command; return the text of the bot's last message to that chat."""
        await self.process(self.api.command(text, **kwargs))
        return self.last(kwargs["chat_id"])

    def last(self, chat_id: int) -> str:
        texts = self.api.sent_texts(chat_id)
        return texts[-1] if texts else ""

    def chat(self, chat_id: int, thread_id: int = 0) -> dict[str, Any] | None:
        rows = list(
            self.db.query(
                "SELECT * FROM chats WHERE chat_id = ? AND thread_id = ?", [chat_id, thread_id]
            )
        )
        return rows[0] if rows else None

    def count(self, table: str, chat_id: int) -> int:
        return int(
            self.db.execute(f"SELECT COUNT(*) FROM {table} WHERE chat_id = ?", [chat_id]).fetchone()[0]
        )
