"""Topics: /topics with a follow/mute keyboard edited in place, /follow and /mute by text.

`/follow person ...` and `/only people` are passed to bot.telegram.people.
"""

from __future__ import annotations

import html

import sqlite_utils
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.i18n import LANGUAGES, Translator, translator
from bot.store.chats import TOPICS, Row, get_chat, set_topic, topics_of, update_chat
from bot.telegram.common import (
    Context,
    chat_title,
    db_of,
    may_configure,
    reply,
    settings_chat,
    tr,
)
from bot.telegram.people import person_command, person_words

CALLBACK_PREFIX = "s"


def topic_label(t: Translator, topic: str) -> str:
    labels = {
        "pardon": t.gettext("pardons"),
        "deportation": t.gettext("deportations"),
        "rearrest": t.gettext("re-arrests"),
        "recognition": t.gettext("new political prisoners"),
        "tally": t.gettext("totals"),
    }
    return labels[topic]


def _synonyms(t: Translator, topic: str) -> str:
    words = {
        "pardon": t.gettext("pardon, pardons, amnesty, release, freed"),
        "deportation": t.gettext("deportation, deportations, deported, expelled"),
        "rearrest": t.gettext("rearrest, re-arrest, re-arrests, rearrested"),
        "recognition": t.gettext("recognition, recognised, new political prisoners"),
        "tally": t.gettext("tally, total, totals, count"),
    }
    return words[topic]


def _norm(word: str) -> str:
    return " ".join(word.lower().replace("ё", "е").replace("’", "'").split())


def find_topic(word: str) -> str | None:
    """A topic id from its id, label or a synonym in any of our languages."""
    wanted = _norm(word)
    for lang in LANGUAGES:
        t = translator(lang)
        for topic in TOPICS:
            names = {topic, topic_label(t, topic)} | set(_synonyms(t, topic).split(","))
            if wanted in {_norm(n) for n in names}:
                return topic
    return None


def settings_text(t: Translator, chat: Row) -> str:
    """The chat's settings in a few lines, above the keyboard."""
    topics = topics_of(chat)
    on = ", ".join(topic_label(t, x) for x in topics) or t.gettext("nothing")
    lines = [t.gettext("Alerts here: {topics}.", topics=html.escape(on))]
    if chat["expected"]:
        lines.append(t.gettext("Early signals (expected events) too."))
    if chat["only_people"]:
        lines.append(t.gettext("Only alerts naming people you follow."))
    if chat["digest"]:
        offset = int(chat["tz_offset"])
        sign = "+" if offset >= 0 else "-"
        zone = f"UTC{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
        lines.append(
            t.gettext("One digest a day at {time} ({zone}).", time=chat["digest"], zone=zone)
        )
    lines.append(t.gettext("Press a button to follow or mute a topic."))
    return "\n".join(lines)


def keyboard(t: Translator, chat: Row) -> InlineKeyboardMarkup:
    """Buttons for one chat's settings; callback data names the chat, so it fits 64 bytes."""
    key = f"{CALLBACK_PREFIX}|{chat['chat_id']}|{chat['thread_id']}"
    topics = topics_of(chat)
    rows = [
        [
            InlineKeyboardButton(
                ("✅ " if topic in topics else "🔕 ") + topic_label(t, topic),
                callback_data=f"{key}|{topic}",
            )
        ]
        for topic in TOPICS
    ]
    early = t.gettext("early signals")
    rows.append(
        [
            InlineKeyboardButton(
                ("✅ " if chat["expected"] else "🔕 ") + early, callback_data=f"{key}|expected"
            )
        ]
    )
    rows.append(
        [
            InlineKeyboardButton(
                ("• " if chat["lang"] == lang else "") + lang, callback_data=f"{key}|lang:{lang}"
            )
            for lang in LANGUAGES
        ]
    )
    return InlineKeyboardMarkup(rows)


def apply_choice(db: sqlite_utils.Database, chat: Row, action: str) -> bool:
    """Toggle a topic or early signals, or set the language; False if `action` is unknown."""
    if action in TOPICS:
        set_topic(db, chat, action, action not in topics_of(chat))
    elif action == "expected":
        chat["expected"] = 0 if chat["expected"] else 1
        update_chat(db, chat["chat_id"], chat["thread_id"], expected=chat["expected"])
    elif action.startswith("lang:") and action[5:] in LANGUAGES:
        chat["lang"] = action[5:]
        update_chat(db, chat["chat_id"], chat["thread_id"], lang=chat["lang"])
    else:
        return False
    return True


async def cmd_topics(update: Update, context: Context) -> None:
    found = await settings_chat(update, context)
    if found is None:
        return
    chat, t = found
    await reply(update, settings_text(t, chat), reply_markup=keyboard(t, chat))


async def cmd_follow(update: Update, context: Context) -> None:
    await _follow_or_mute(update, context, on=True)


async def cmd_mute(update: Update, context: Context) -> None:
    await _follow_or_mute(update, context, on=False)


async def _follow_or_mute(update: Update, context: Context, *, on: bool) -> None:
    command = "follow" if on else "mute"
    args = context.args or []
    found = await settings_chat(update, context)
    if found is None:
        return
    chat, t = found
    if args and _norm(args[0]) in {_norm(w) for w in person_words()}:
        await person_command(update, context, chat, args[1:], mode=command)
        return
    valid = ", ".join(TOPICS)
    if not args:
        await reply(
            update,
            t.gettext(
                "Usage: /{command} TOPIC or /{command} person NAME. Topics: {topics}.",
                command=command,
                topics=valid,
            ),
        )
        return
    topic = find_topic(" ".join(args))
    if topic is None:
        await reply(
            update,
            t.gettext(
                "I don't know the topic “{word}”. Topics: {topics}.",
                word=html.escape(" ".join(args)[:100]),
                topics=valid,
            ),
        )
        return
    set_topic(db_of(context), chat, topic, on)
    label = html.escape(topic_label(t, topic))
    text = (
        t.gettext("Following: {topic}.", topic=label)
        if on
        else t.gettext("Muted: {topic}.", topic=label)
    )
    await reply(update, text)


async def on_settings_button(update: Update, context: Context) -> None:
    """A settings button: check the presser may change that chat, apply, edit the keyboard."""
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return
    parts = query.data.split("|")
    t = tr(update, context)
    try:
        chat_id, thread_id, action = int(parts[1]), int(parts[2]), parts[3]
    except (IndexError, ValueError):
        await query.answer(t.gettext("This button is out of date. Send /topics again."))
        return
    db = db_of(context)
    chat = get_chat(db, chat_id, thread_id)
    if chat is None or not chat["active"]:
        await query.answer(t.gettext("This chat is not subscribed. Send /start first."))
        return
    if not await may_configure(update, context, chat):
        await query.answer(
            t.gettext("Sorry, only administrators of this chat can change its settings."),
            show_alert=True,
        )
        return
    if not apply_choice(db, chat, action):
        await query.answer(t.gettext("This button is out of date. Send /topics again."))
        return
    t = translator(chat["lang"])
    await query.answer(t.gettext("Saved."))
    text = settings_text(t, chat)
    if chat["chat_id"] != query.message.chat.id:  # a channel configured from a private chat
        text = f"<b>{html.escape(await chat_title(context, chat_id))}</b>\n{text}"
    try:
        await query.edit_message_text(text, reply_markup=keyboard(t, chat), parse_mode="HTML")
    except BadRequest as e:
        if "not modified" not in str(e).lower():
            raise
