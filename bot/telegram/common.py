"""What every handler needs: the DB and settings from bot_data, the target chat, its language,
and the administrator check (getChatMember, cached briefly)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import sqlite_utils
from telegram import Message, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.i18n import Translator, pick_language, translator
from bot.settings import Settings
from bot.store.chats import Row, get_chat

ADMIN_CACHE_SECONDS = 60.0
ADMIN_STATUSES = {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}

Context = ContextTypes.DEFAULT_TYPE


def db_of(context: Context) -> sqlite_utils.Database:
    return context.bot_data["db"]  # type: ignore[no-any-return]


def settings_of(context: Context) -> Settings:
    return context.bot_data["settings"]  # type: ignore[no-any-return]


def utcnow() -> datetime:
    return datetime.now(UTC)


def thread_of(message: Message) -> int:
    """The forum topic a message was sent in; 0 for the chat itself."""
    if message.is_topic_message and message.message_thread_id:
        return message.message_thread_id
    return 0


def chat_key(update: Update) -> tuple[int, int]:
    message = update.effective_message
    assert message is not None and update.effective_chat is not None
    return update.effective_chat.id, thread_of(message)


def chat_row(update: Update, context: Context) -> Row | None:
    return get_chat(db_of(context), *chat_key(update))


def language_of(update: Update, row: Row | None) -> str:
    if row is not None:
        return str(row["lang"])
    user = update.effective_user
    return pick_language(user.language_code if user else None)


def tr(update: Update, context: Context) -> Translator:
    return translator(language_of(update, chat_row(update, context)))


async def reply(update: Update, text: str, **kwargs: Any) -> Message | None:
    """Answer in the same chat and forum topic, as HTML (callers escape outside strings)."""
    message = update.effective_message
    if message is None:
        return None
    thread = thread_of(message)
    if thread:
        kwargs.setdefault("message_thread_id", thread)
    return await message.get_bot().send_message(
        message.chat_id,
        text,
        parse_mode=ParseMode.HTML,
        disable_web_page_preview=True,
        **kwargs,
    )


async def admin_status(context: Context, chat_id: int, user_id: int) -> bool | None:
    """Is the user an administrator of the chat right now (cached for a minute)?

    None when Telegram could not be asked; that answer is not cached.
    """
    cache: dict[tuple[int, int], tuple[bool, float]] = context.bot_data.setdefault(
        "admin_cache", {}
    )
    hit = cache.get((chat_id, user_id))
    if hit and hit[1] > time.monotonic():
        return hit[0]
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError:
        return None
    ok = member.status in ADMIN_STATUSES
    cache[(chat_id, user_id)] = (ok, time.monotonic() + ADMIN_CACHE_SECONDS)
    return ok


async def is_chat_admin(context: Context, chat_id: int, user_id: int) -> bool:
    return bool(await admin_status(context, chat_id, user_id))


async def may_change_settings(update: Update, context: Context) -> bool | None:
    """Private chats always; in groups only administrators, anonymous ones included.

    None when the check itself failed at Telegram.
    """
    chat, message, user = update.effective_chat, update.effective_message, update.effective_user
    if chat is None or message is None:
        return False
    if chat.type == ChatType.PRIVATE:
        return True
    if message.sender_chat is not None and message.sender_chat.id == chat.id:
        return True  # an anonymous administrator writes "on behalf of the group"
    if user is None:
        return False
    return await admin_status(context, chat.id, user.id)


async def require_admin(update: Update, context: Context) -> bool:
    """True if the sender may change this chat's settings; otherwise answer politely."""
    allowed = await may_change_settings(update, context)
    if allowed:
        return True
    t = tr(update, context)
    if allowed is None:
        await reply(update, t.gettext("I could not check your rights just now; please try again."))
    else:
        await reply(
            update, t.gettext("Sorry, only administrators of this chat can change its settings.")
        )
    return False


async def require_subscribed(update: Update, context: Context) -> Row | None:
    """The chat's row if it is subscribed; otherwise say how to subscribe."""
    row = chat_row(update, context)
    if row is None or not row["active"]:
        t = translator(language_of(update, row))
        await reply(update, t.gettext("This chat is not subscribed. Send /start first."))
        return None
    return row


async def settings_chat(update: Update, context: Context) -> tuple[Row, Translator] | None:
    """For a settings command: the chat's row and its translator, once the sender may change
    settings here and the chat is subscribed; otherwise the refusal has been sent."""
    if not await require_admin(update, context):
        return None
    chat = await require_subscribed(update, context)
    if chat is None:
        return None
    return chat, translator(chat["lang"])


async def reject_arguments(update: Update, context: Context, command: str) -> bool:
    """Commands that take no arguments say so instead of guessing; True if there were any."""
    if not context.args:
        return False
    t = tr(update, context)
    await reply(update, t.gettext("/{command} takes no arguments.", command=command))
    return True


async def chat_title(context: Context, chat_id: int) -> str:
    """A chat's title, asked of Telegram when shown (titles are never stored)."""
    try:
        return (await context.bot.get_chat(chat_id)).title or str(chat_id)
    except TelegramError:
        return str(chat_id)


async def may_configure(update: Update, context: Context, chat: Row) -> bool:
    """May the presser of a settings button change `chat`?"""
    query = update.callback_query
    if query is None or query.message is None:
        return False
    user_id = query.from_user.id
    here = query.message.chat
    if chat["chat_id"] == here.id:
        if here.type == ChatType.PRIVATE:
            return True
        return await is_chat_admin(context, here.id, user_id)
    # Another chat's settings from a private chat: only a channel the presser administers.
    if here.type != ChatType.PRIVATE or chat["kind"] != ChatType.CHANNEL:
        return False
    return await is_chat_admin(context, chat["chat_id"], user_id)
