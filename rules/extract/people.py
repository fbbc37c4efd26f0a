"""Person names in a text: runs of two or three capitalised words that are not common words.

Officials and other non-subjects listed in rules/packs/belarus/people.toml are left out;
precision matters more than recall here.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rules.lang import LEXICONS, lexicon
from rules.names import name_key, same_person


@dataclass(frozen=True)
class PersonSpan:
    """A person named in the text, from find_people to the engine and deduplication."""

    start: int
    end: int
    name: str  # as written, in the text's case form


_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’ʼ][^\W\d_]+)*", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s$")
_OPENING = frozenset("«“\"„‘")
_JOINERS = frozenset({" ", "\u00a0"})


@dataclass(frozen=True)
class _Pack:
    officials: tuple[str, ...]
    official_keys: frozenset[str]
    non_names: frozenset[str]


def _lexicon_words() -> frozenset[str]:
    words: set[str] = set()
    for lex in LEXICONS.values():
        words |= {w.lower() for w in lex.MONTHS} | {w.lower() for w in lex.WEEKDAYS}
    return frozenset(words)


_CALENDAR = _lexicon_words()


@lru_cache(maxsize=8)
def load_people(pack: str = "belarus") -> _Pack:
    """The officials and non-name words of a rule pack's people.toml."""
    raw = resources.files("rules").joinpath("packs", pack, "people.toml").read_text("utf-8")
    data = tomllib.loads(raw)
    names: list[str] = []
    for entry in data.get("official", []):
        names.append(str(entry["name"]).split()[-1])
        names.extend(str(a).split()[-1] for a in entry.get("also", []))
    words = frozenset(str(w).lower() for w in data.get("non_names", {}).get("words", []))
    return _Pack(tuple(names), frozenset(name_key(n) for n in names), words)


def _is_official(surname: str, pack: _Pack, extra: tuple[str, ...]) -> bool:
    if name_key(surname) in pack.official_keys:
        return any(same_person(surname, o) for o in pack.officials)
    return any(same_person(surname, o.split()[-1]) for o in extra)


def _capitalised(tok: str) -> bool:
    return tok[:1].isupper() and not tok.isupper() and len(tok) >= 2


def find_people(
    text: str, lang: str, *, pack: str = "belarus", officials: Iterable[str] = ()
) -> list[PersonSpan]:
    """Names of people in `text` (not officials), in order; never raises."""
    if not isinstance(text, str) or not text:
        return []
    lex = lexicon(lang)
    people = load_people(pack)
    extra = tuple(officials)
    stop = lex.STOP_NAMES
    toks = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]
    lower_words = {t for _, _, t in toks if t[:1].islower()}

    def usable(tok: str) -> bool:
        low = tok.lower()
        return (
            _capitalised(tok)
            and low not in stop
            and low not in people.non_names
            and low not in _CALENDAR
            and low not in lower_words
        )

    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    for s, e, tok in toks:
        word = _POSSESSIVE.sub("", tok)
        e = s + len(word)
        joined = bool(current) and text[current[-1][1] : s] in _JOINERS
        if usable(word) and (joined or not current):
            current.append((s, e, word))
        else:
            if current:
                runs.append(current)
            current = [(s, e, word)] if usable(word) else []
        if tok != word and current:  # "Lukashenko's" ends a name
            runs.append(current)
            current = []
    if current:
        runs.append(current)

    found: list[PersonSpan] = []
    singles: list[tuple[int, int, str]] = []
    for run in runs:
        if len(run) == 1:
            singles.append(run[0])
            continue
        if len(run) > 3 or (run[0][0] > 0 and text[run[0][0] - 1] in _OPENING):
            continue
        if _is_official(run[-1][2], people, extra):
            continue
        found.append(PersonSpan(run[0][0], run[-1][1], text[run[0][0] : run[-1][1]]))
    surnames = [p.name.split()[-1] for p in found]
    for s, e, word in singles:
        if surnames and any(same_person(word, sn) for sn in surnames):
            found.append(PersonSpan(s, e, word))
    found.sort(key=lambda p: p.start)
    return found
