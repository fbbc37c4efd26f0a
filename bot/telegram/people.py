"""Named people: /follow person NAME, /mute person NAME, /only people on|off.

Names are matched across scripts and transliterations by rules.names.
"""

from __future__ import annotations

import html
import importlib
from functools import cache

from telegram import Update

from bot.i18n import LANGUAGES, translator
from bot.store.chats import Row, people_of, remove_person, set_person, update_chat
from bot.telegram.common import Context, db_of, reply, settings_chat

MAX_NAME = 80
MAX_PEOPLE = 200


@cache
def person_words() -> frozenset[str]:
    """'person' in every language, as /follow person and /only people accept it."""
    words = {"person", "people"}
    for lang in LANGUAGES:
        words |= {w.strip() for w in translator(lang).gettext("person, people").split(",")}
    return frozenset(words)


def person_key(name: str) -> str:
    # Imported when used: rules.names is a library the bot only borrows.
    return str(importlib.import_module("rules.names").name_key(name))


async def person_command(
    update: Update, context: Context, chat: Row, words: list[str], *, mode: str
) -> None:
    t = translator(chat["lang"])
    db = db_of(context)
    name = " ".join(words).strip()
    people = people_of(db, chat["chat_id"], chat["thread_id"])
    if not name:
        listed = [
            f"{'✅' if p['mode'] == 'follow' else '🔕'} {html.escape(p['name'])}" for p in people
        ]
        text = t.gettext(
            "Usage: /{command} person NAME, e.g. /{command} person Statkevich.", command=mode
        )
        if listed:
            text += "\n" + t.gettext("People here:") + "\n" + "\n".join(listed)
        await reply(update, text)
        return
    key = person_key(name) if len(name) <= MAX_NAME else ""
    if not key or not any(ch.isalpha() for ch in name):
        await reply(
            update,
            t.gettext(
                "“{name}” does not look like a name (letters, up to {limit} characters).",
                name=html.escape(name[:MAX_NAME]),
                limit=MAX_NAME,
            ),
        )
        return
    if len(people) >= MAX_PEOPLE and key not in {p["name_key"] for p in people}:
        await reply(
            update,
            t.gettext(
                "This chat already has {limit} people; mute or follow fewer.", limit=MAX_PEOPLE
            ),
        )
        return
    set_person(db, chat["chat_id"], chat["thread_id"], name, key, mode)
    if mode == "follow":
        text = t.gettext(
            "Following {name}: alerts naming this person come whatever the spelling or script.",
            name=html.escape(name),
        )
        if not chat["only_people"]:
            text += "\n" + t.gettext(
                "To get only alerts about the people you follow: /only people on"
            )
    else:
        text = t.gettext(
            "Muted {name}: alerts naming this person will not come here.", name=html.escape(name)
        )
    await reply(update, text)


async def forget_person_command(update: Update, context: Context, words: list[str]) -> None:
    """/forget person NAME: neither follow nor mute this person any more."""
    found = await settings_chat(update, context)
    if found is None:
        return
    chat, t = found
    name = " ".join(words).strip()
    key = person_key(name) if name and len(name) <= MAX_NAME else ""
    if not key:
        await reply(update, t.gettext("Usage: /forget person NAME."))
        return
    if remove_person(db_of(context), chat["chat_id"], chat["thread_id"], key):
        await reply(
            update,
            t.gettext(
                "Forgot {name}: neither followed nor muted here now.", name=html.escape(name)
            ),
        )
    else:
        await reply(
            update, t.gettext("{name} was neither followed nor muted here.", name=html.escape(name))
        )


async def cmd_only(update: Update, context: Context) -> None:
    found = await settings_chat(update, context)
    if found is None:
        return
    chat, t = found
    args = [a.lower() for a in context.args or []]
    if len(args) != 2 or args[1] not in ("on", "off"):
        await reply(update, t.gettext("Usage: /only people on or /only people off."))
        return
    if args[0] not in {"people", "person"} | {
        w.strip()
        for lang in ("be", "ru", "en")
        for w in translator(lang).gettext("person, people").split(",")
    }:
        await reply(update, t.gettext("Usage: /only people on or /only people off."))
        return
    on = args[1] == "on"
    update_chat(db_of(context), chat["chat_id"], chat["thread_id"], only_people=int(on))
    if on:
        text = t.gettext("Now only alerts naming people you follow come here.")
        if not any(
            p["mode"] == "follow"
            for p in people_of(db_of(context), chat["chat_id"], chat["thread_id"])
        ):
            text += "\n" + t.gettext("You follow nobody yet: /follow person NAME")
    else:
        text = t.gettext("All alerts of your topics come here again.")
    await reply(update, text)
