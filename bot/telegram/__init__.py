"""The bot's conversation: `build_application` registers every handler; `setup_commands` lists them.

Lifetimes (initialize, polling, shutdown) belong to bot.app.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable
from typing import Any

import sqlite_utils
from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.i18n import LANGUAGES, translator
from bot.settings import Settings
from bot.telegram import channels, digest, lang, operator, people, start, stats, topics
from bot.telegram.common import Context, reply, tr

log = logging.getLogger(__name__)

USER_COMMANDS = (
    "start",
    "stop",
    "help",
    "topics",
    "follow",
    "mute",
    "only",
    "lang",
    "digest",
    "tz",
    "stats",
    "channels",
    "forget",
)


def _file_url(api_url: str) -> str:
    return api_url[: -len("/bot")] + "/file/bot" if api_url.endswith("/bot") else api_url


def build_application(
    settings: Settings, db: sqlite_utils.Database, *, rate_limiter: Any = None
) -> Application:  # type: ignore[type-arg]
    """A PTB Application with every handler, the DB and settings in bot_data; not started."""
    if not settings.token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.api_url)
        .base_file_url(_file_url(settings.api_url))
    )
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    app = builder.build()
    app.bot_data["db"] = db
    app.bot_data["settings"] = settings
    register_handlers(app)
    return app


def register_handlers(app: Application) -> None:  # type: ignore[type-arg]
    only_new = filters.UpdateType.MESSAGE
    handlers = {
        "start": start.cmd_start,
        "stop": start.cmd_stop,
        "help": start.cmd_help,
        "forget": start.cmd_forget,
        "topics": topics.cmd_topics,
        "follow": topics.cmd_follow,
        "mute": topics.cmd_mute,
        "only": people.cmd_only,
        "lang": lang.cmd_lang,
        "digest": digest.cmd_digest,
        "tz": digest.cmd_tz,
        "stats": stats.cmd_stats,
        "channels": channels.cmd_channels,
        "feeds": operator.cmd_feeds,
        "addfeed": operator.cmd_addfeed,
        "removefeed": operator.cmd_removefeed,
        "status": operator.cmd_status,
    }
    for name, callback in handlers.items():
        app.add_handler(CommandHandler(name, callback, filters=only_new))
    app.add_handler(MessageHandler(only_new & filters.COMMAND, unknown_command))
    app.add_handler(CallbackQueryHandler(topics.on_settings_button, pattern=r"^s\|"))
    app.add_handler(CallbackQueryHandler(channels.on_channel_button, pattern=r"^ch\|"))
    app.add_handler(CallbackQueryHandler(stale_button))
    app.add_handler(ChatMemberHandler(channels.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, channels.on_migrated))
    app.add_error_handler(on_error)


async def unknown_command(update: Update, context: Context) -> None:
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None or not message.text:
        return
    word = message.text.split()[0]
    if chat.type != ChatType.PRIVATE and "@" not in word:
        return  # in groups, commands without our name may be for another bot
    if "@" in word and word.split("@", 1)[1].lower() != (context.bot.username or "").lower():
        return
    t = tr(update, context)
    await reply(
        update,
        t.gettext(
            "I don't know the command {command}. /help lists them.", command=html.escape(word[:64])
        ),
    )


async def stale_button(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is not None:
        await query.answer(
            tr(update, context).gettext("This button is out of date. Send /topics again.")
        )


async def on_error(update: object, context: Context) -> None:
    """Log without chat details and tell the user, so a failure is never silent."""
    if isinstance(context.error, TelegramError):
        # Telegram's messages can carry chat ids: the class name is enough to count them.
        log.warning("Telegram refused a handler's request: %s", type(context.error).__name__)
    else:
        log.error("handler failed", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await reply(
                update, tr(update, context).gettext("Something went wrong; please try again.")
            )
        except Exception:  # the error handler itself must never raise
            log.debug("could not report an error to the chat")


def command_list(lang: str, *, operator_commands: bool = False) -> list[BotCommand]:
    t = translator(lang)
    descriptions = {
        "start": t.gettext("subscribe this chat"),
        "stop": t.gettext("unsubscribe"),
        "help": t.gettext("what I do, privacy"),
        "topics": t.gettext("choose topics"),
        "follow": t.gettext("follow a topic or a person"),
        "mute": t.gettext("mute a topic or a person"),
        "only": t.gettext("only alerts about people you follow"),
        "lang": t.gettext("language: be, ru, en"),
        "digest": t.gettext("one message a day"),
        "tz": t.gettext("time zone for the digest"),
        "stats": t.gettext("totals and numbers"),
        "channels": t.gettext("configure your channels"),
        "forget": t.gettext("delete everything about this chat"),
    }
    commands = [BotCommand(c, descriptions[c]) for c in USER_COMMANDS]
    if operator_commands:
        commands += [
            BotCommand("feeds", "feed health"),
            BotCommand("addfeed", "add a feed URL"),
            BotCommand("removefeed", "remove a feed"),
            BotCommand("status", "outbox, last poll, failing feeds"),
        ]
    return commands


async def setup_commands(bot: Any, admins: Iterable[int] = ()) -> None:
    """Command menus: default (English), ru and be; operators also see their own commands."""
    await bot.set_my_commands(command_list("en"))
    for code in LANGUAGES:
        if code != "en":
            await bot.set_my_commands(command_list(code), language_code=code)
    for admin in admins:
        try:
            await bot.set_my_commands(
                command_list("en", operator_commands=True), scope=BotCommandScopeChat(admin)
            )
        except TelegramError as e:
            log.warning("could not set operator commands: %s", e)
