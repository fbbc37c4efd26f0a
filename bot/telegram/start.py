"""/start, /stop, /help and /forget; greeting when the bot is added to a group."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.i18n import Translator, pick_language, translator
from bot.store.chats import deactivate, forget, get_chat, subscribe
from bot.telegram.common import (
    Context,
    chat_key,
    db_of,
    language_of,
    reject_arguments,
    reply,
    require_admin,
    tr,
    utcnow,
)
from bot.telegram.people import forget_person_command, person_words


def about(t: Translator) -> str:
    return t.gettext(
        "I watch the news for political prisoners in Belarus and send an alert when "
        "prisoners are pardoned or deported, re-arrested, newly recognised, or when a new "
        "total is published. Each alert links to every outlet that reported it."
    )


def privacy(t: Translator) -> str:
    return t.gettext(
        "Privacy: I store only what delivery needs: this chat's id, language and alert "
        "settings, the names you follow or mute, and for a channel the id of the "
        "administrator who added me. No usernames, names or phone numbers of members. "
        "/forget deletes all of it at once."
    )


def help_text(t: Translator) -> str:
    return "\n".join(
        [
            about(t),
            "",
            t.gettext("/start: subscribe this chat"),
            t.gettext("/stop: unsubscribe (settings are kept)"),
            t.gettext("/topics: choose topics with buttons"),
            t.gettext("/follow TOPIC, /mute TOPIC: the same by text"),
            t.gettext("/follow person NAME, /mute person NAME: alerts about a person"),
            t.gettext("/only people on|off: only alerts naming people you follow"),
            t.gettext("/lang be|ru|en: language of my messages"),
            t.gettext("/digest daily HH:MM, /digest off, /tz +03:00: one message a day"),
            t.gettext("/stats: the latest totals and numbers"),
            t.gettext("/channels: configure channels where I post"),
            t.gettext("/forget: delete everything stored about this chat"),
            t.gettext("/forget person NAME: stop following or muting a person"),
            t.gettext("In groups only administrators can change settings."),
            "",
            privacy(t),
        ]
    )


async def cmd_start(update: Update, context: Context) -> None:
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.CHANNEL:
        return
    if not await require_admin(update, context):
        return
    db = db_of(context)
    chat_id, thread_id = chat_key(update)
    row = get_chat(db, chat_id, thread_id)
    lang = language_of(update, row)
    subscribe(db, chat_id, thread_id, kind=chat.type, lang=lang, now=utcnow())
    t = translator(lang)
    await reply(
        update,
        "\n\n".join(
            [
                about(t),
                t.gettext(
                    "This chat is subscribed to pardons, deportations, re-arrests, new "
                    "political prisoners and totals. Change that with /topics; /help lists "
                    "every command; /stop unsubscribes."
                ),
            ]
        ),
    )


async def cmd_help(update: Update, context: Context) -> None:
    await reply(update, help_text(tr(update, context)))


async def cmd_stop(update: Update, context: Context) -> None:
    if await reject_arguments(update, context, "stop") or not await require_admin(update, context):
        return
    chat_id, thread_id = chat_key(update)
    t = tr(update, context)
    if deactivate(db_of(context), chat_id, thread_id):
        await reply(
            update,
            t.gettext(
                "Unsubscribed: no more alerts here. Settings are kept; /start resumes, "
                "/forget deletes them."
            ),
        )
    else:
        await reply(update, t.gettext("This chat was not subscribed."))


async def cmd_forget(update: Update, context: Context) -> None:
    args = context.args or []
    if args and args[0].lower() in person_words():
        await forget_person_command(update, context, args[1:])
        return
    if await reject_arguments(update, context, "forget") or not await require_admin(
        update, context
    ):
        return
    chat_id, _ = chat_key(update)
    t = tr(update, context)
    forget(db_of(context), chat_id)
    await reply(
        update,
        t.gettext(
            "Done: everything stored about this chat is deleted (settings, followed people, "
            "pending alerts). Send /start to subscribe again."
        ),
    )


async def greet_group(update: Update, context: Context) -> None:
    """The bot was added to a group: explain, but subscribe only on an administrator's /start."""
    member = update.my_chat_member
    if member is None:
        return
    t = translator(pick_language(member.from_user.language_code))
    await context.bot.send_message(
        member.chat.id,
        "\n\n".join(
            [
                about(t),
                t.gettext("An administrator can subscribe this group with /start."),
                privacy(t),
            ]
        ),
    )
