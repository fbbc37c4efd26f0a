"""Country names in a text (any case form), mapped to canonical English names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rules.firstchars import first_chars
from rules.lang import LEXICONS, lang_code
from rules.model import built


@dataclass(frozen=True)
class PlaceSpan:
    """A country named in the text, from find_places to the detection engine."""

    start: int
    end: int
    place: str  # canonical English country name: "Lithuania", "Ukraine", ...


def _compile(places: dict[str, str]) -> tuple[re.Pattern[str], list[str], re.Pattern[str] | None]:
    names = list(places)
    body = "|".join(f"(?P<p{i}>{places[name]})" for i, name in enumerate(names))
    pattern = re.compile(rf"(?<![^\W\d_])(?:{body})(?![^\W\d_])", re.UNICODE)
    # Where a name can begin: one of its first letters (either case) after no letter. A
    # pattern that opens with a class lets the engine skip to those; the look-behind that
    # opens the names' pattern makes it try every offset.
    first = [first_chars(places[name]) for name in names]
    if any(f is None for f in first):
        return pattern, names, None
    letters = {c for f in first if f is not None for c in f}
    letters |= {c.upper() for c in letters if len(c.upper()) == 1}
    return pattern, names, re.compile(f"[{re.escape(''.join(sorted(letters)))}](?<![^\\W\\d_].)")


_PATTERNS = {code: _compile(lex.PLACES) for code, lex in LEXICONS.items()}


def find_places(text: str, lang: str) -> list[PlaceSpan]:
    """Countries named in `text`, in order; never raises."""
    if not isinstance(text, str) or not text:
        return []
    pattern, names, starts = _PATTERNS[lang_code(lang)]
    out: list[PlaceSpan] = []
    if starts is None:
        found = list(pattern.finditer(text))
    else:  # what finditer finds: the names' pattern tried only where a name can begin
        found = []
        end = 0
        for c in starts.finditer(text):
            if c.start() >= end and (m := pattern.match(text, c.start())) is not None:
                found.append(m)
                end = m.end()
    for m in found:
        group = m.lastgroup or ""
        out.append(built(PlaceSpan, start=m.start(), end=m.end(), place=names[int(group[1:])]))
    return out
