"""The bot's own texts in be/ru/en: gettext catalogs read from bot/locale/*.po with Babel.

Catalogs are compiled in memory once per process; plural forms follow CLDR for each locale.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES = ("be", "ru", "en")
DEFAULT_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "releasewatch"


def pick_language(code: str | None) -> str:
    """Our language for a Telegram `language_code` ("ru-RU" -> "ru"); English otherwise."""
    base = (code or "").split("-")[0].split("_")[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


@cache
def translations(lang: str) -> Translations:
    """The compiled catalog for `lang` (a member of LANGUAGES)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGUAGES}")
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


class Translator:
    """Texts of one language; `gettext`/`ngettext` are the keywords the catalog is extracted by."""

    def __init__(self, lang: str) -> None:
        self.lang = pick_language(lang)
        self._t = translations(self.lang)

    def gettext(self, message: str, **values: object) -> str:
        text = self._t.gettext(message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        return self._t.ngettext(singular, plural, n).format(n=n, **values)


def translator(lang: str | None) -> Translator:
    return Translator(lang or DEFAULT_LANGUAGE)


# Compiled at import, so the first message rendered inside the event loop does not pay for it.
for _lang in LANGUAGES:
    translations(_lang)
