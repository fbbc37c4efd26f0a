"""Daily digests: which chats are due (pure), what goes in them, and sending them.

bot.app calls `send_due_digests` every minute; a chat gets one digest per local day.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import sqlite_utils
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import ChatMigrated, Forbidden, TelegramError

from bot.store.chats import deactivate, digest_chats, people_of, update_chat
from bot.store.outbox import move_chat
from bot.subscriptions import wants
from bot.telegram.render import render_digest

log = logging.getLogger(__name__)

MAX_LOOKBACK = timedelta(days=7)


def _local_tz(chat: Mapping[str, Any]) -> timezone:
    return timezone(timedelta(minutes=int(chat["tz_offset"])))


def due_at(chat: Mapping[str, Any], day: date) -> datetime:
    """The UTC moment of the chat's digest on its local `day`."""
    hh, mm = (int(x) for x in str(chat["digest"]).split(":"))
    return datetime.combine(day, time(hh, mm), _local_tz(chat)).astimezone(UTC)


def due_day(chat: Mapping[str, Any], now: datetime) -> date | None:
    """The local day whose digest is due now, or None if it is not time or it was sent."""
    if not chat["active"] or not chat["digest"]:
        return None
    local = now.astimezone(_local_tz(chat))
    today = local.date()
    if chat["last_digest_on"] == today.isoformat() or now < due_at(chat, today):
        return None
    return today


def window(chat: Mapping[str, Any], day: date) -> tuple[datetime, datetime]:
    """Alerts created in [since, until) go in the digest of `day`: since the previous digest."""
    until = due_at(chat, day)
    since = until - timedelta(days=1)
    if chat["last_digest_on"]:
        since = due_at(chat, date.fromisoformat(chat["last_digest_on"]))
    return max(since, until - MAX_LOOKBACK), until


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")[:19]


def digest_alerts(
    db: sqlite_utils.Database, chat: Mapping[str, Any], since: datetime, until: datetime
) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """The chat's wanted alerts created in the window, oldest first, each with its articles."""
    people = people_of(db, chat["chat_id"], chat["thread_id"])
    rows = db.query(
        "SELECT * FROM alerts WHERE alerting = 1"
        " AND substr(created_at, 1, 19) >= ? AND substr(created_at, 1, 19) < ? ORDER BY id",
        [_stamp(since), _stamp(until)],
    )
    chosen = []
    for alert in rows:
        if not wants(chat, alert, people):
            continue
        articles = list(
            db.query(
                "SELECT ar.url, ar.source FROM alert_articles aa JOIN articles ar"
                " ON ar.id = aa.article_id WHERE aa.alert_id = ?"
                " ORDER BY ar.id = ? DESC, aa.added_at, ar.id",
                [alert["id"], alert["first_article_id"]],
            )
        )
        chosen.append((alert, articles))
    return chosen


async def send_due_digests(bot: Bot, db: sqlite_utils.Database, *, now: datetime) -> int:
    """Send every digest that is due at `now` (aware UTC); return how many chats got one."""
    sent = 0
    for chat in list(digest_chats(db)):
        day = due_day(chat, now)
        if day is None:
            continue
        since, until = window(chat, day)
        messages = render_digest(
            digest_alerts(db, chat, since, until), chat["lang"], day.isoformat()
        )
        try:
            for text in messages:
                await bot.send_message(
                    chat["chat_id"],
                    text,
                    parse_mode=ParseMode.HTML,
                    message_thread_id=chat["thread_id"] or None,
                    disable_web_page_preview=True,
                )
        except Forbidden:
            deactivate(db, chat["chat_id"])
            log.info("a digest chat blocked the bot; deactivated")
            continue
        except ChatMigrated as e:
            move_chat(db, chat["chat_id"], int(e.new_chat_id))  # sent there next minute
            continue
        except TelegramError as e:
            log.warning("digest not sent, will retry: %s", type(e).__name__)
            continue
        update_chat(db, chat["chat_id"], chat["thread_id"], last_digest_on=day.isoformat())
        sent += 1
    return sent
