"""The language of a text among en/ru/be/uk/pl: letters and function words first, then lingua.

The lingua detector is built once, lazily, restricted to these five languages.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Runs, not single letters: counting letters by the run makes one match per word, not per letter.
_CYRILLIC = re.compile(r"[\u0400-\u04ff]+")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_PL_ONLY = re.compile(r"[ąęłśżźćńĄĘŁŚŻŹĆŃ]")
_SAMPLE = 2000  # characters for the letter and word heuristics
_LINGUA_SAMPLE = 600
_LATIN_WORD = re.compile(r"[a-ząćęłńóśźż]+")
_EN_WORDS = frozenset("the and of to in was were is are for that with on by from has have".split())
_PL_WORDS = frozenset("i w z na się że do nie jest to o od po przez dla oraz jak".split())


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    langs = [Language.ENGLISH, Language.RUSSIAN, Language.BELARUSIAN, Language.UKRAINIAN, Language.POLISH]
    return LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()


_CODES = {"ENGLISH": "en", "RUSSIAN": "ru", "BELARUSIAN": "be", "UKRAINIAN": "uk", "POLISH": "pl"}


def _cyrillic_guess(sample: str) -> str | None:
    """ru/be/uk from letters only one of them uses; None when the letters disagree."""
    has = set(sample.lower())
    uk_only = bool(has & set("їєґ"))
    be_only = "ў" in has
    dotted = "і" in has
    ru_be = bool(has & set("ыэё"))  # Russian and Belarusian, not Ukrainian
    ru_uk = bool(has & set("ищ"))  # Russian and Ukrainian, not Belarusian
    if uk_only and not be_only and not ru_be:
        return "uk"
    if (be_only or dotted) and ru_be and not ru_uk and not uk_only:
        return "be"
    if ru_be and not dotted and not be_only and not uk_only:
        return "ru"
    if dotted and ru_uk and not ru_be and not be_only:
        return "uk"
    return None


def _latin_guess(sample: str) -> str | None:
    """en or pl from function words, "other" for neither; None when undecided."""
    words = _LATIN_WORD.findall(sample.lower())
    en = sum(w in _EN_WORDS for w in words)
    pl = sum(w in _PL_WORDS for w in words)
    if en >= 3 and en > 2 * pl:
        return "en"
    if pl >= 3 and pl > 2 * en and _PL_ONLY.search(sample):
        return "pl"
    if len(words) >= 12 and en + pl <= 1:
        return "other"  # a longer Latin text without their function words: German, French ...
    return None


def detect_language(text: str) -> str | None:
    """'en', 'ru', 'be', 'uk' or 'pl'; None when the text gives too little to tell."""
    if not isinstance(text, str):
        return None
    sample = text[:_SAMPLE]
    cyr = sum(map(len, _CYRILLIC.findall(sample)))
    lat = sum(map(len, _LATIN.findall(sample)))
    if cyr + lat < 3:
        return None
    guess = _cyrillic_guess(sample) if cyr > lat else _latin_guess(sample)
    if guess is not None:
        return None if guess == "other" else guess
    try:  # lingua costs about 1 us per character: give it the lead only
        lang = _detector().detect_language_of(sample[:_LINGUA_SAMPLE])
    except Exception:  # lingua is a native extension: a failure there must not stop the engine
        return None
    return _CODES.get(lang.name) if lang is not None else None
