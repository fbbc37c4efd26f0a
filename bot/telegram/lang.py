"""/lang be|ru|en: the language of the bot's messages and alerts in this chat."""

from __future__ import annotations

from telegram import Update

from bot.i18n import LANGUAGES, translator
from bot.store.chats import update_chat
from bot.telegram.common import Context, db_of, reply, require_admin, require_subscribed


async def cmd_lang(update: Update, context: Context) -> None:
    if not await require_admin(update, context):
        return
    chat = await require_subscribed(update, context)
    if chat is None:
        return
    args = [a.lower() for a in context.args or []]
    if len(args) != 1 or args[0] not in LANGUAGES:
        t = translator(chat["lang"])
        await reply(
            update,
            t.gettext("Usage: /lang be, /lang ru or /lang en. Now: {lang}.", lang=chat["lang"]),
        )
        return
    update_chat(db_of(context), chat["chat_id"], chat["thread_id"], lang=args[0])
    t = translator(args[0])
    await reply(update, t.gettext("I will write here in English."))
