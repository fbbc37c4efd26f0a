"""Country names in a text (any case form), mapped to canonical English names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rules.lang import LEXICONS, lang_code


@dataclass(frozen=True)
class PlaceSpan:
    """A country named in the text, from find_places to the detection engine."""

    start: int
    end: int
    place: str  # canonical English country name: "Lithuania", "Ukraine", ...


def _compile(places: dict[str, str]) -> tuple[re.Pattern[str], list[str]]:
    names = list(places)
    body = "|".join(f"(?P<p{i}>{places[name]})" for i, name in enumerate(names))
    return re.compile(rf"(?<![^\W\d_])(?:{body})(?![^\W\d_])", re.UNICODE), names


_PATTERNS = {code: _compile(lex.PLACES) for code, lex in LEXICONS.items()}


def find_places(text: str, lang: str) -> list[PlaceSpan]:
    """Countries named in `text`, in order; never raises."""
    if not isinstance(text, str) or not text:
        return []
    pattern, names = _PATTERNS[lang_code(lang)]
    out: list[PlaceSpan] = []
    for m in pattern.finditer(text):
        group = m.lastgroup or ""
        out.append(PlaceSpan(m.start(), m.end(), names[int(group[1:])]))
    return out
