"""Per-language lexicons (spaCy lex_attrs style) that the language-neutral extractors compile."""

from __future__ import annotations

from types import ModuleType

from rules.lang import be, en, pl, ru, uk

LEXICONS: dict[str, ModuleType] = {"en": en, "ru": ru, "be": be, "uk": uk, "pl": pl}


# East Slavic articles quote each other (a Belarusian report quoting Russian officials,
# a feed labelled "ru" that carries Belarusian text): their number, month and weekday
# words are read in all three; cue phrases stay per language.
NEIGHBOURS: dict[str, tuple[str, ...]] = {"ru": ("be", "uk"), "be": ("ru", "uk"), "uk": ("ru", "be")}


def merged_table(code: str, name: str) -> dict[str, int]:
    """The table `name` (NUMBERS, MONTHS ...) of `code`, with its neighbours' words added."""
    table: dict[str, int] = {}
    for other in (*reversed(NEIGHBOURS.get(code, ())), code):
        table.update({k.lower(): v for k, v in getattr(LEXICONS[other], name).items()})
    return table


def lang_code(lang: object) -> str:
    """'en', 'ru', 'be', 'uk' or 'pl' from a language tag ("ru-RU", "BE"); 'en' otherwise."""
    code = lang.lower()[:2] if isinstance(lang, str) else ""
    return code if code in LEXICONS else "en"


def lexicon(lang: object) -> ModuleType:
    """The lexicon of `lang` ('en', 'ru', 'be', 'uk', 'pl'); English for anything else."""
    return LEXICONS[lang_code(lang)]
