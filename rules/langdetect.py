"""The language of a text among en/ru/be/uk/pl: letter heuristics first, then lingua.

The lingua detector is built once, lazily, restricted to these five languages.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_UK_ONLY = re.compile(r"[їєґЇЄҐ]")
_BE_ONLY = re.compile(r"[ўЎ]")
_I_DOTTED = re.compile(r"[іІ]")
_RU_ONLY = re.compile(r"[ыЫэЭъЪ]")
_RU_NOT_BE = re.compile(r"[иИщЩъЪ]")
_PL_ONLY = re.compile(r"[ąęłśżźćńĄĘŁŚŻŹĆŃ]")
_SAMPLE = 2000  # characters; enough to decide, and keeps lingua fast on long articles


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    langs = [Language.ENGLISH, Language.RUSSIAN, Language.BELARUSIAN, Language.UKRAINIAN, Language.POLISH]
    return LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()


_CODES = {"ENGLISH": "en", "RUSSIAN": "ru", "BELARUSIAN": "be", "UKRAINIAN": "uk", "POLISH": "pl"}


def detect_language(text: str) -> str | None:
    """'en', 'ru', 'be', 'uk' or 'pl'; None when the text gives too little to tell."""
    if not isinstance(text, str):
        return None
    sample = text[:_SAMPLE]
    cyr = len(_CYRILLIC.findall(sample))
    lat = len(_LATIN.findall(sample))
    if cyr + lat < 3:
        return None
    if cyr > lat:
        uk, be = len(_UK_ONLY.findall(sample)), len(_BE_ONLY.findall(sample))
        dotted, ru = len(_I_DOTTED.findall(sample)), len(_RU_NOT_BE.findall(sample))
        if uk and not be:
            return "uk"
        if be and not uk and ru <= be:
            return "be"
        if not dotted and not uk and not be and _RU_ONLY.search(sample):
            return "ru"
    elif lat:
        if len(_PL_ONLY.findall(sample)) >= 2:
            return "pl"
        if cyr == 0 and sample.isascii():
            return "en"
    try:
        lang = _detector().detect_language_of(sample)
    except Exception:  # lingua is a native extension: a failure there must not stop the engine
        return None
    return _CODES.get(lang.name) if lang is not None else None
