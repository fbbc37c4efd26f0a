"""Per-language lexicons (spaCy lex_attrs style) that the language-neutral extractors compile."""

from __future__ import annotations

from types import ModuleType

from rules.lang import be, en, pl, ru, uk

LEXICONS: dict[str, ModuleType] = {"en": en, "ru": ru, "be": be, "uk": uk, "pl": pl}


def lexicon(lang: str | None) -> ModuleType:
    """The lexicon of `lang` ('en', 'ru', 'be', 'uk', 'pl'); English for anything else."""
    return LEXICONS.get((lang or "en").lower()[:2], en)
