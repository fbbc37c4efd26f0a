"""/lang be|ru|en: the language of the bot's messages and alerts in this chat."""

from __future__ import annotations

from telegram import Update

from bot.i18n import LANGUAGES, translator
from bot.store.chats import update_chat
from bot.telegram.common import Context, db_of, reply, settings_chat


async def cmd_lang(update: Update, context: Context) -> None:
    found = await settings_chat(update, context)
    if found is None:
        return
    chat, _ = found
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
