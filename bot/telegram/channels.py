"""Membership changes (my_chat_member) and /channels: channels are configured from a private chat.

A channel is subscribed when the bot may post there; blocked or removed chats stop at once.
"""

from __future__ import annotations

import html
import logging

from telegram import ChatMemberAdministrator, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from bot.i18n import pick_language, translator
from bot.store.chats import channels_managed_by, deactivate, get_chat, subscribe
from bot.telegram.common import Context, chat_title, db_of, is_chat_admin, reply, tr, utcnow
from bot.telegram.start import greet_group
from bot.telegram.topics import keyboard, settings_text

log = logging.getLogger(__name__)

GONE = {ChatMemberStatus.LEFT, ChatMemberStatus.BANNED}
PRESENT = {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}
CHANNEL_PREFIX = "ch"


async def on_my_chat_member(update: Update, context: Context) -> None:
    change = update.my_chat_member
    if change is None:
        return
    chat, old, new = change.chat, change.old_chat_member, change.new_chat_member
    db = db_of(context)
    if new.status in GONE:
        # Blocked in a private chat, removed from a group or channel: stop at once.
        deactivate(db, chat.id)
        log.info("bot removed from a %s chat; deactivated", chat.type)
        return
    if chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
        if old.status in GONE and new.status in PRESENT:
            await greet_group(update, context)
        return
    if chat.type != ChatType.CHANNEL:
        return
    user = change.from_user
    lang = pick_language(user.language_code)
    t = translator(lang)
    title = html.escape(chat.title or str(chat.id))
    can_post = isinstance(new, ChatMemberAdministrator) and bool(new.can_post_messages)
    if can_post:
        row = get_chat(db, chat.id, 0)
        subscribe(
            db,
            chat.id,
            0,
            kind=ChatType.CHANNEL,
            lang=row["lang"] if row else lang,
            now=utcnow(),
            manager_user_id=user.id,
        )
        text = t.gettext(
            "The channel {title} is subscribed to every topic. Configure it here with /channels.",
            title=title,
        )
    else:
        deactivate(db, chat.id)
        text = t.gettext(
            "I cannot post in the channel {title}, so it is not subscribed. Make me an "
            "administrator with the right to post messages.",
            title=title,
        )
    try:
        await context.bot.send_message(user.id, text, parse_mode="HTML")
    except TelegramError:
        # The user never opened a private chat with the bot: nobody to tell.
        log.debug("could not tell the promoting user about a channel")


async def on_migrated(update: Update, context: Context) -> None:
    """A group became a supergroup: its subscription follows the new chat id."""
    from bot.store.outbox import move_chat

    message = update.effective_message
    if message is None or not message.migrate_to_chat_id:
        return
    move_chat(db_of(context), message.chat_id, message.migrate_to_chat_id)
    log.info("a group moved to a supergroup; its subscription follows")


async def cmd_channels(update: Update, context: Context) -> None:
    t = tr(update, context)
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != ChatType.PRIVATE:
        await reply(update, t.gettext("Send /channels to me in a private chat."))
        return
    rows = channels_managed_by(db_of(context), user.id)
    if not rows:
        await reply(
            update,
            t.gettext(
                "You have no channels with me. Add me to a channel as an administrator "
                "with the right to post messages."
            ),
        )
        return
    buttons = [
        [
            InlineKeyboardButton(
                await chat_title(context, r["chat_id"]),
                callback_data=f"{CHANNEL_PREFIX}|{r['chat_id']}",
            )
        ]
        for r in rows
    ]
    await reply(
        update,
        t.gettext("Your channels: choose one to configure."),
        reply_markup=InlineKeyboardMarkup(buttons),
    )


async def on_channel_button(update: Update, context: Context) -> None:
    """A channel chosen in /channels: show its settings keyboard if the presser administers it."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    t = tr(update, context)
    try:
        chat_id = int(query.data.split("|")[1])
    except (IndexError, ValueError):
        await query.answer(t.gettext("This button is out of date. Send /topics again."))
        return
    row = get_chat(db_of(context), chat_id, 0)
    if row is None or not row["active"] or row["kind"] != ChatType.CHANNEL:
        await query.answer(t.gettext("This chat is not subscribed. Send /start first."))
        return
    if not await is_chat_admin(context, chat_id, query.from_user.id):
        await query.answer(
            t.gettext("Sorry, only administrators of this chat can change its settings."),
            show_alert=True,
        )
        return
    await query.answer()
    ct = translator(row["lang"])
    title = html.escape(await chat_title(context, chat_id))
    await query.edit_message_text(
        f"<b>{title}</b>\n{settings_text(ct, row)}",
        reply_markup=keyboard(ct, row),
        parse_mode="HTML",
    )
