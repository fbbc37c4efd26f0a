"""Per-language lexicons (spaCy lex_attrs style) that the language-neutral extractors compile."""

from __future__ import annotations

from types import ModuleType

from rules.lang import be, en, pl, ru, uk

LEXICONS: dict[str, ModuleType] = {"en": en, "ru": ru, "be": be, "uk": uk, "pl": pl}


def lang_code(lang: object) -> str:
    """'en', 'ru', 'be', 'uk' or 'pl' from a language tag ("ru-RU", "BE"); 'en' otherwise."""
    code = lang.lower()[:2] if isinstance(lang, str) else ""
    return code if code in LEXICONS else "en"


def lexicon(lang: object) -> ModuleType:
    """The lexicon of `lang` ('en', 'ru', 'be', 'uk', 'pl'); English for anything else."""
    return LEXICONS[lang_code(lang)]
