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

from rules.extract.tokens import capitalised, is_written
from rules.lang import LEXICONS, lexicon
from rules.names import has_surname_form, is_first_name, name_key, same_person


@dataclass(frozen=True)
class PersonSpan:
    """A person named in the text, from find_people to the engine and deduplication."""

    start: int
    end: int
    name: str  # as written, in the text's case form


_OPENING = frozenset("«“\"„‘")
# One script, capital first, then lower case (an inner capital only after Mc/Mac/O', or a
# hyphen): "Ihar", "O’Leary", "McCaskill", "Гаеўскі"; not "BelTA", "ÐµÑ" or glued words.
_LOWER_LAT = "a-zß-öø-ÿā-ʯ"
_LOWER_CYR = "а-яёіўїєґ"
_NAME_TOKEN = re.compile(
    rf"(?:(?:Mc|Mac|O['’])?[A-ZÀ-ÖØ-ÞĀ-ʯ][{_LOWER_LAT}]+(?:['’ʼ][{_LOWER_LAT}]+)*"
    rf"|[А-ЯЁІЎЇЄҐ][{_LOWER_CYR}]+(?:['’ʼ][{_LOWER_CYR}]+)*)(?:['’]s)?"
)
# Oblique case forms of -ский/-ич surnames, which adjectives share ("Советского").
_OBLIQUE = re.compile(
    r"(?:[сц]к(?:ого|ому|им|ом|ой|ую|их|ага|аму|ім|ай)|[иы]ч(?:а|у|ем|е)|іч(?:а|у|ам))$", re.IGNORECASE
)
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
    path = resources.files("rules").joinpath("packs", pack, "people.toml")
    return parse_people(path.read_text("utf-8"), f"packs/{pack}/people.toml")


def parse_people(raw: str, source: str) -> _Pack:
    """Parse a people.toml; a mistake raises ValueError naming file, entry and field."""
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as e:
        raise ValueError(f"{source}: {e}") from e
    unknown = set(data) - {"official", "non_names"}
    if unknown:
        raise ValueError(f"{source}: unknown section(s) {sorted(unknown)}")
    names: list[str] = []
    for i, entry in enumerate(data.get("official", []), 1):
        where = f"{source}: official #{i} ({entry.get('name', '?')})"
        if set(entry) - {"name", "also", "why"}:
            raise ValueError(f"{where}: unknown field(s) {sorted(set(entry) - {'name', 'also', 'why'})}")
        for field in ("name", "why"):
            if not isinstance(entry.get(field), str) or not entry[field].strip():
                raise ValueError(f"{where}: field '{field}' must be a non-empty string")
        also = entry.get("also", [])
        if not isinstance(also, list) or not all(isinstance(a, str) and a.strip() for a in also):
            raise ValueError(f"{where}: field 'also' must be a list of names")
        names.extend(n.split()[-1] for n in [entry["name"], *also])
    words = data.get("non_names", {}).get("words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise ValueError(f"{source}: non_names.words must be a list of strings")
    return _Pack(tuple(names), frozenset(name_key(n) for n in names), frozenset(w.lower() for w in words))


def _is_official(surname: str, pack: _Pack, extra: tuple[str, ...]) -> bool:
    if name_key(surname) in pack.official_keys:
        return any(same_person(surname, o) for o in pack.officials)
    return any(same_person(surname, o.split()[-1]) for o in extra)


def _starts_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 4) : start].rstrip(" \u00a0«“\"„‘—–-(")
    return not before or before[-1] in ".!?\n:;"


def _split(run: list[tuple[int, int, str]], text: str, common: dict[str, bool]
           ) -> list[list[tuple[int, int, str]]]:
    """Parts of a run between words that also occur in lower case ("Free", "Peace");
    `common` remembers the answers for the text."""
    parts: list[list[tuple[int, int, str]]] = [[]]
    for tok in run:
        if any(_is_common(p, text, common) for p in (tok[2], *tok[2].split("-"))):
            parts.append([])
        else:
            parts[-1].append(tok)
    return [p for p in parts if p]


def _is_common(word: str, text: str, common: dict[str, bool]) -> bool:
    if word not in common:
        common[word] = is_written(text, word)
    return common[word]


def find_people(
    text: str, lang: str, *, pack: str = "belarus", officials: Iterable[str] = ()
) -> list[PersonSpan]:
    """Names of people in `text` (not officials), in order; never raises."""
    if not isinstance(text, str) or not text:
        return []
    lex = lexicon(lang)
    people = load_people(pack)
    extra = tuple(officials)
    stop, non_names = lex.STOP_NAMES, people.non_names
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    for s, e, low in capitalised(text):
        possessive = low.endswith(("'s", "’s"))
        if possessive:
            e, low = e - 2, low[:-2]
        gap = text[current[-1][1] : s] if current else ""
        if gap == "-" and current:  # "Гаеўскі-Ханада"
            ps, _, pw = current[-1]
            current[-1] = (ps, e, pw + "-" + low)
        elif (  # set look-ups before the pattern: most capitalised words are common words
            len(low) >= 2
            and low not in stop
            and low not in non_names
            and low not in _CALENDAR
            and _NAME_TOKEN.fullmatch(text, s, e)
        ):
            if current and gap not in _JOINERS:
                runs.append(current)
                current = []
            current.append((s, e, low))
        elif current:
            runs.append(current)
            current = []
        if possessive and current:  # "Lukashenko's" ends a name
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    common: dict[str, bool] = {}
    runs = [
        [(s, e, text[s:e]) for s, e, _ in part]
        for run in runs
        for part in _split(run, text, common)
    ]

    found: list[PersonSpan] = []
    singles: list[tuple[int, int, str]] = []
    for run in runs:
        if len(run) == 1:
            singles.append(run[0])
            continue
        if len(run) > 3 or (run[0][0] > 0 and text[run[0][0] - 1] in _OPENING):
            continue
        if len(run) == 3 and not is_first_name(run[0][2]) and is_first_name(run[1][2]):
            run = run[1:]  # "Azerbaijan's Ilham Aliyev": a place before the name
        elif len(run) == 3 and has_surname_form(run[1][2]) and not has_surname_form(run[2][2]):
            run = run[:2]  # "Ales Bialiatski Freed": a title-case headline
        first = is_first_name(run[0][2])
        if not first and _starts_sentence(text, run[0][0]):
            run = run[1:]  # "Впервые Статкевич": a capitalised sentence opener
            if len(run) < 2:
                singles.append(run[0])
                continue
            first = is_first_name(run[0][2])
        # Without a known first name the last word must end like a surname in the nominative
        # ("Компартии Советского", "Совет Республики", "Stack Overflow" are not people).
        last = run[-1][2]
        if not first and (
            has_surname_form(run[0][2]) or not has_surname_form(last, strong=True) or _OBLIQUE.search(last)
        ):
            continue
        if _is_official(run[-1][2], people, extra):
            continue
        found.append(PersonSpan(run[0][0], run[-1][1], text[run[0][0] : run[-1][1]]))
    surnames = [p.name.split()[-1] for p in found]
    keys = {name_key(sn) for sn in surnames}
    for s, e, word in singles:
        if name_key(word) in keys and any(same_person(word, sn) for sn in surnames):
            found.append(PersonSpan(s, e, word))
    found.sort(key=lambda p: p.start)
    return found
