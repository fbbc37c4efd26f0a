"""/digest daily HH:MM | off and /tz ±HH:MM: one message a day instead of real-time alerts."""

from __future__ import annotations

import html
import re

from telegram import Update

from bot.store.chats import update_chat
from bot.telegram.common import Context, db_of, reply, settings_chat

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_TZ = re.compile(r"^(?:utc|gmt)?([+-−])(\d{1,2})(?::?([0-5]\d))?$")


def parse_time(text: str) -> str | None:
    """'7:30' -> '07:30'; None unless a valid 24-hour time."""
    m = _TIME.match(text.strip())
    return f"{int(m.group(1)):02d}:{m.group(2)}" if m else None


def parse_offset(text: str) -> int | None:
    """'+03:00', '-5', 'UTC+3', '+0530' -> minutes east of UTC; None if absurd or malformed."""
    raw = text.strip().lower()
    if raw in ("0", "utc", "gmt", "+00:00", "z"):
        return 0
    m = _TZ.match(raw)
    if not m:
        return None
    minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
    minutes = -minutes if m.group(1) in "-−" else minutes
    return minutes if -12 * 60 <= minutes <= 14 * 60 else None


def format_offset(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


async def cmd_digest(update: Update, context: Context) -> None:
    found = await settings_chat(update, context)
    if found is None:
        return
    chat, t = found
    args = [a.lower() for a in context.args or []]
    if args == ["off"]:
        update_chat(db_of(context), chat["chat_id"], chat["thread_id"], digest=None)
        await reply(update, t.gettext("Digest off: alerts come as they happen."))
        return
    if args and args[0] == "daily":
        args = args[1:]
    at = parse_time(args[0]) if len(args) == 1 else None
    if at is None:
        current = chat["digest"] or t.gettext("real time")
        await reply(
            update,
            t.gettext(
                "Usage: /digest daily HH:MM (e.g. /digest daily 08:30) or /digest off. Now: {now}.",
                now=html.escape(current),
            ),
        )
        return
    update_chat(db_of(context), chat["chat_id"], chat["thread_id"], digest=at)
    await reply(
        update,
        t.gettext(
            "One message a day at {time} (UTC{offset}) instead of real-time alerts. "
            "Set your time zone with /tz +03:00.",
            time=at,
            offset=format_offset(chat["tz_offset"]),
        ),
    )


async def cmd_tz(update: Update, context: Context) -> None:
    found = await settings_chat(update, context)
    if found is None:
        return
    chat, t = found
    args = context.args or []
    minutes = parse_offset(args[0]) if len(args) == 1 else None
    if minutes is None:
        await reply(
            update,
            t.gettext(
                "Usage: /tz +03:00 (from -12:00 to +14:00). Now: UTC{offset}.",
                offset=format_offset(chat["tz_offset"]),
            ),
        )
        return
    update_chat(db_of(context), chat["chat_id"], chat["thread_id"], tz_offset=minutes)
    await reply(update, t.gettext("Time zone: UTC{offset}.", offset=format_offset(minutes)))
