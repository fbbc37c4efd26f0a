"""The catalogs: every text of the bot is translated to ru and be, with CLDR plural forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES, LOCALE_DIR, pick_language, translator

BOT = Path(__file__).resolve().parents[2] / "bot"


def source_messages() -> set[str]:
    found = extract_from_dir(
        str(BOT), keywords={"gettext": None, "ngettext": (1, 2)}, comment_tags=()
    )
    return {m[2] if isinstance(m[2], str) else m[2][0] for m in found}


def catalog(lang: str):
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "releasewatch.po").open("rb") as f:
        return read_po(f, locale=lang)


def test_code_uses_many_texts():
    assert len(source_messages()) > 100


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_text_in_the_code_is_in_the_catalog(lang):
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog(lang) if m.id}
    assert source_messages() - ids == set()


@pytest.mark.parametrize("lang", ["ru", "be"])
def test_ru_and_be_translate_everything_and_keep_placeholders(lang):
    for m in catalog(lang):
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        assert all(strings), m.id
        source = m.id if isinstance(m.id, str) else m.id[1]
        for placeholder in ("{n}", "{command}", "{topics}", "{name}", "{title}", "{offset}"):
            if placeholder in source:
                assert all(placeholder in s for s in strings), (m.id, placeholder)


@pytest.mark.parametrize(
    ("lang", "forms"),
    [("en", {1: "1 person freed", 2: "2 people freed", 21: "21 people freed"}),
     ("ru", {1: "1 человек освобождён", 3: "3 человека освобождены",
             5: "5 человек освобождены", 11: "11 человек освобождены",
             21: "21 человек освобождён", 22: "22 человека освобождены"}),
     ("be", {1: "1 чалавек вызвалены", 4: "4 чалавекі вызваленыя", 12: "12 чалавек вызваленыя",
             101: "101 чалавек вызвалены"})],
)
def test_plural_forms_follow_cldr(lang, forms):
    t = translator(lang)
    for n, expected in forms.items():
        assert t.ngettext("{n} person freed", "{n} people freed", n) == expected


def test_language_codes_map_to_ours():
    assert pick_language("ru-RU") == "ru" and pick_language("be") == "be"
    assert pick_language("uk") == "en" and pick_language(None) == "en"
    assert translator("xx").lang == "en"
    assert translator("be").gettext("Saved.") == "Захавана."
