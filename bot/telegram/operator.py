"""Operator commands (settings.admins only, private chat): /feeds, /addfeed, /removefeed, /status;
and a private notice to operators when a feed has failed for a day."""

from __future__ import annotations

import asyncio
import html
import ipaddress
import logging
import socket
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import sqlite_utils
from telegram import Bot, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.settings import Settings
from bot.telegram.common import Context, db_of, reply, settings_of, tr, utcnow

log = logging.getLogger(__name__)

FAILING_NOTICE_AFTER = timedelta(days=1)
OPERATOR_COMMANDS = ("feeds", "addfeed", "removefeed", "status")
MAX_LISTING = 3900  # whole lines only, so no HTML entity is cut


class UnsafeFeedUrl(ValueError):
    """A feed URL the service must not fetch: wrong scheme or a non-public address."""


async def check_feed_url(url: str, allowed_hosts: frozenset[str]) -> str:
    """Return the URL if it is http(s) and resolves only to public addresses (or is allowed)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeFeedUrl("only http:// and https:// URLs with a host")
    host = parts.hostname.lower()
    if host in allowed_hosts:
        return url.strip()
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError) as e:
        raise UnsafeFeedUrl(f"the host does not resolve ({e.__class__.__name__})") from e
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            raise UnsafeFeedUrl(f"the host resolves to a non-public address {address}")
    return url.strip()


def redirect_guard(allowed_hosts: frozenset[str]) -> Callable[[str, str], Awaitable[str | None]]:
    """For the poller's client: a feed on a public address may not redirect to a non-public
    one (what /addfeed refuses, reached by a redirect); feeds that are themselves local (a
    feeds file's own, allowed hosts) may redirect locally."""

    async def guard(source: str, target: str) -> str | None:
        try:
            await check_feed_url(target, allowed_hosts)
        except UnsafeFeedUrl as target_unsafe:
            try:
                await check_feed_url(source, allowed_hosts)
            except UnsafeFeedUrl:
                return None  # already a local feed: its own redirects stay local
            return str(target_unsafe)
        return None

    return guard


def is_operator(update: Update, settings: Settings) -> bool:
    user, chat = update.effective_user, update.effective_chat
    return (
        user is not None
        and chat is not None
        and chat.type == ChatType.PRIVATE
        and user.id in settings.admins
    )


async def _guard(update: Update, context: Context) -> bool:
    if is_operator(update, settings_of(context)):
        return True
    await reply(
        update, tr(update, context).gettext("This command is only for the bot's operators.")
    )
    return False


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


async def cmd_feeds(update: Update, context: Context) -> None:
    if not await _guard(update, context):
        return
    rows = list(
        db_of(context).query(
            "SELECT id, url, active, error_count, last_success_at, last_error FROM feeds ORDER BY id"
        )
    )
    if not rows:
        await reply(update, "No feeds.")
        return
    lines: list[str] = []
    for r in rows:
        mark = "⏸" if not r["active"] else ("❌" if r["error_count"] else "✅")
        line = f"{mark} {r['id']} {html.escape(_host(r['url']))} ok:{r['last_success_at'] or '-'}"
        if r["error_count"]:
            line += f" errors:{r['error_count']} {html.escape((r['last_error'] or '')[:80])}"
        if sum(len(x) + 1 for x in lines) + len(line) > MAX_LISTING:
            lines.append(f"… {len(rows) - len(lines)} more")
            break
        lines.append(line)
    await reply(update, "\n".join(lines))


async def cmd_addfeed(update: Update, context: Context) -> None:
    if not await _guard(update, context):
        return
    args = context.args or []
    if len(args) != 1:
        await reply(update, "Usage: /addfeed URL (http or https)")
        return
    try:
        url = await check_feed_url(args[0], settings_of(context).allowed_feed_hosts)
    except UnsafeFeedUrl as e:
        await reply(update, f"Refused: {html.escape(str(e))}.")
        return
    db = db_of(context)
    if list(db.query("SELECT id FROM feeds WHERE url = ?", [url])):
        await reply(update, "That feed is already there.")
        return
    with db.atomic():
        cur = db.execute(
            "INSERT INTO feeds (url, active, added_at) VALUES (?, 1, ?)",
            [url, utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")],
        )
    await reply(update, f"Added feed {cur.lastrowid}: {html.escape(url)}")


async def cmd_removefeed(update: Update, context: Context) -> None:
    if not await _guard(update, context):
        return
    args = context.args or []
    if len(args) != 1:
        await reply(update, "Usage: /removefeed URL or /removefeed ID")
        return
    db = db_of(context)
    column = "id" if args[0].isdigit() else "url"
    with db.atomic():
        cur = db.execute(f"DELETE FROM feeds WHERE {column} = ?", [args[0]])
    if cur.rowcount:
        await reply(update, f"Removed {html.escape(args[0])}.")
    else:
        await reply(update, f"No feed {html.escape(args[0])}; /feeds lists them.")


async def cmd_status(update: Update, context: Context) -> None:
    if not await _guard(update, context):
        return
    db = db_of(context)
    pending = db.execute(
        "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')"
    ).fetchone()[0]
    failed = db.execute("SELECT COUNT(*) FROM outbox WHERE state = 'failed'").fetchone()[0]
    last_poll, feeds, failing = db.execute(
        "SELECT MAX(last_polled_at), COUNT(*), SUM(error_count > 0) FROM feeds WHERE active = 1"
    ).fetchone()
    chats = db.execute("SELECT COUNT(*) FROM chats WHERE active = 1").fetchone()[0]
    await reply(
        update,
        f"Outbox pending: {pending}, failed: {failed}\nLast poll: {last_poll or 'never'}\n"
        f"Feeds: {feeds}, failing: {failing or 0}\nSubscribed chats: {chats}",
    )


async def notify_failing_feeds(
    bot: Bot, db: sqlite_utils.Database, settings: Settings, *, now: datetime
) -> int:
    """Tell every operator about feeds failing for a day, once per failing spell; return notices sent."""
    cutoff = (now - FAILING_NOTICE_AFTER).strftime("%Y-%m-%dT%H:%M:%SZ")
    rows = list(
        db.query(
            "SELECT f.id, f.url, f.failing_since, f.error_count, f.last_error FROM feeds f"
            " LEFT JOIN feed_notices n ON n.feed_id = f.id AND n.failing_since = f.failing_since"
            " WHERE f.active = 1 AND f.failing_since IS NOT NULL AND f.failing_since <= ?"
            " AND n.feed_id IS NULL",
            [cutoff],
        )
    )
    sent = 0
    for r in rows:
        text = (
            f"Feed {r['id']} ({html.escape(_host(r['url']))}) has failed since "
            f"{r['failing_since']}: {r['error_count']} errors; last: "
            f"{html.escape((r['last_error'] or '')[:200])}"
        )
        delivered = False
        for admin in sorted(settings.admins):
            try:
                await bot.send_message(admin, text, parse_mode="HTML")
                delivered = True
                sent += 1
            except TelegramError as e:
                log.warning(
                    "could not notify an operator about feed %s: %s", r["id"], type(e).__name__
                )
        if delivered or not settings.admins:
            with db.atomic():
                db.execute(
                    "INSERT OR REPLACE INTO feed_notices (feed_id, failing_since, notified_at)"
                    " VALUES (?, ?, ?)",
                    [r["id"], r["failing_since"], now.strftime("%Y-%m-%dT%H:%M:%SZ")],
                )
    return sent
