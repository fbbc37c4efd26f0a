"""Person names in a text: runs of two or three capitalised words that are not common words.

Also: a surname written first ("Бабарико Виктор", "Колесникова Мария Александровна") or in
capitals beside a first name ("Ales BIALIATSKI"), a surname after initials ("М. Колесникова")
and a first name and surname split by a line break. Officials and other non-subjects listed
in rules/packs/belarus/people.toml are left out; precision matters more than recall here.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rules.extract.tokens import capitalised_pieces, is_written
from rules.lang import LEXICONS, lang_code
from rules.model import built
from rules.names import (
    canonical_name,
    has_surname_form,
    is_first_name,
    is_patronymic,
    name_key,
    same_person,
    written_first_then_surname,
)


@dataclass(frozen=True)
class PersonSpan:
    """A person named in the text, from find_people to the engine and deduplication."""

    start: int
    end: int
    # The span's words, first name(s) first and the surname last, capitals folded
    # ("BIALIATSKI Ales" -> "Ales Bialiatski"); the case form as written ("Марии Колесниковой").
    name: str


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
# A surname in capitals ("BIALIATSKI"), only ever taken beside a first name in title case.
_CAPS_TOKEN = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ʯ]{3,}|[А-ЯЁІЎЇЄҐ]{3,}")
# One or two initials right before a word: "М. Колесникова", "A. G. Smith", "В.Д. Бабарико".
_INITIALS = re.compile(r"(?<![^\W\d_])(?:[A-ZА-ЯЁІЎЇЄҐ]\.[ \u00a0]?){0,1}[A-ZА-ЯЁІЎЇЄҐ]\.[ \u00a0]$")
# A line break inside a name ("Мария\nКолесникова"): one, not a paragraph break.
_LINE_BREAK = re.compile(r"[ \t\u00a0]*\r?\n[ \t\u00a0]*")


@dataclass(frozen=True)
class _Pack:
    officials: tuple[str, ...]
    # The officials by the key of their surname: same_person needs equal keys.
    by_key: dict[str, tuple[str, ...]]
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
    by_key: dict[str, tuple[str, ...]] = {}
    for n in names:
        by_key[name_key(n)] = (*by_key.get(name_key(n), ()), n)
    return _Pack(tuple(names), by_key, frozenset(w.lower() for w in words))


@lru_cache(maxsize=32)
def _not_names(lang: str, pack: str) -> frozenset[str]:
    """Capitalised words never taken for a name: the language's stop names, the pack's
    non-names, months and weekdays (one set: looked up for every capitalised word)."""
    return LEXICONS[lang].STOP_NAMES | load_people(pack).non_names | _CALENDAR


def _is_official(surname: str, pack: _Pack, extra: tuple[str, ...]) -> bool:
    key = name_key(surname)
    if key in pack.by_key:
        return any(same_person(surname, o) for o in pack.by_key[key])
    return bool(extra) and any(same_person(surname, o.split()[-1]) for o in extra)


def _starts_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 4) : start].rstrip(" \u00a0«“\"„‘—–-(")
    return not before or before[-1] in ".!?\n:;"


def _is_common(word: str, text: str, common: dict[str, bool]) -> bool:
    """Whether `word` (or a part of it, if hyphenated) is also written in lower case in
    `text` ("Free", "Peace"); `common` remembers the answers for the text."""
    found = common.get(word)
    if found is None:
        if "-" in word:
            found = any(is_written(text, p) for p in (word, *word.split("-")))
        else:
            found = is_written(text, word)
        common[word] = found
    return found


def _surname_first(run: list[tuple[int, int, str]], text: str, caps: set[int]) -> bool:
    """Whether a run is written surname first: "Бабарико Виктор", "Колесникова Мария
    Александровна", "BIALIATSKI Ales". The first word must look like a surname (an East
    Slavic ending, capitals, or the surname of a name written in full elsewhere in the text),
    the second be a known first name and a third, if any, a patronymic."""
    if len(run) not in (2, 3):
        return False
    head, second = run[0][2], run[1][2]
    if run[1][0] in caps or written_first_then_surname(head, second) is not False:
        return False
    if len(run) == 3 and not is_patronymic(run[2][2]):
        return False
    if run[0][0] in caps:
        return True  # _with_capitals checked its form
    if _OBLIQUE.search(head):
        return False
    return has_surname_form(head) or _written_after_first_name(head, text)


def _written_after_first_name(surname: str, text: str) -> bool:
    """Whether `surname` also stands after a known first name somewhere in `text`
    ("Виктор Бабарико ... Бабарико Виктор")."""
    pos = text.find(surname)
    while pos >= 0:
        before = text[max(0, pos - 40) : pos].split()
        if before and is_first_name(before[-1]) and text[pos - 1] in " \u00a0":
            return True
        pos = text.find(surname, pos + 1)
    return False


def _initials_before(text: str, start: int) -> int | None:
    """Where initials right before `start` begin ("М. Колесникова"), or None."""
    m = _INITIALS.search(text, max(0, start - 8), start)
    return m.start() if m is not None else None


def _joins(gap: str, current: list[tuple[int, int, str]], text: str) -> bool:
    """Whether the next capitalised word continues the run after `gap`, not a space: a single
    line break after a lone first name ("Мария\nКолесникова")."""
    return (
        len(current) == 1
        and _LINE_BREAK.fullmatch(gap) is not None
        and is_first_name(text[current[0][0] : current[0][1]])
    )


_NAME, _CAPS = 1, 2  # the shapes of a word that may be part of a name (see _word_form)


@lru_cache(maxsize=16384)
def _word_form(word: str) -> tuple[str, int, int]:
    """How the scan reads a capitalised word: in lower case without a possessive 's, how many
    characters that 's takes off its end (0 or 2), and its shape: _NAME (one script, capital
    first), _CAPS (in capitals: a surname only beside a first name) or 0 (neither, or a
    single letter). Pure in the word; names recur mention after mention."""
    low = word.lower()
    cut = 2 if low.endswith(("'s", "’s")) else 0
    if cut:
        low, word = low[:-2], word[:-2]
    if len(low) < 2:
        return low, cut, 0
    if _NAME_TOKEN.fullmatch(word):
        return low, cut, _NAME
    if _CAPS_TOKEN.fullmatch(word) and word.isupper():
        return low, cut, _CAPS
    return low, cut, 0


def _scan(text: str, skip: frozenset[str], caps: set[int]) -> list[list[tuple[int, int, str]]]:
    """Runs of capitalised words that may make a name, each word (start, end, lower case): a
    run ends at a word that is in `skip` or not of a name's shape, and where the next word
    does not join it (see _joins). The starts of words in capitals are added to `caps`."""
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    pieces = capitalised_pieces(text)
    s = len(pieces[0])
    gap = ""  # the text between the last word and this one
    for word, after in zip(pieces[1::2], pieces[2::2], strict=True):
        low, cut, shape = _word_form(word)
        if current or (shape and low not in skip):  # most words: neither
            e = s + len(word) - cut
            if current and gap == "-":  # "Гаеўскі-Ханада"
                ps, _, pw = current[-1]
                current[-1] = (ps, e, pw + "-" + low)
            elif shape and low not in skip:
                if shape == _CAPS:
                    caps.add(s)
                if current and gap not in _JOINERS and not _joins(gap, current, text):
                    runs.append(current)
                    current = []
                current.append((s, e, low))
            else:
                runs.append(current)
                current = []
            if cut and current:  # "Lukashenko's" ends a name
                runs.append(current)
                current = []
        gap = after
        s += len(word) + len(after)
    if current:
        runs.append(current)
    return runs


def find_people(
    text: str, lang: str, *, pack: str = "belarus", officials: Iterable[str] = ()
) -> list[PersonSpan]:
    """Names of people in `text` (not officials), in order; never raises."""
    if not isinstance(text, str) or not text:
        return []
    people = load_people(pack)
    extra = tuple(officials)
    skip = _not_names(lang_code(lang), pack)
    caps: set[int] = set()  # starts of words written in capitals
    # A lone word is kept only as a surname known from the text or after initials: whether
    # it is a common word is asked only then (`lone`, by start), most never get that far.
    # Longer runs are cut at their words also written in lower case ("Free", "Peace").
    common: dict[str, bool] = {}
    lone: dict[int, str] = {}
    runs: list[list[tuple[int, int, str]]] = []  # the words as written
    for scanned in _scan(text, skip, caps):
        if len(scanned) == 1:
            s, e, low = scanned[0]
            lone[s] = low
            runs.append([(s, e, text[s:e])])
            continue
        part: list[tuple[int, int, str]] = []
        for s, e, low in scanned:
            if not _is_common(low, text, common):
                part.append((s, e, text[s:e]))
            elif part:
                runs.append(part)
                part = []
        if part:
            runs.append(part)

    found: list[PersonSpan] = []
    singles: list[tuple[int, int, str]] = []
    for run in runs:
        if caps and any(t[0] in caps for t in run):
            # A word in capitals is a surname only beside a first name in title case
            # ("Ales BIALIATSKI"), never in a headline or an acronym ("NATO", "ALES FREED").
            kept = _with_capitals(run, caps, text)
            if kept is None:
                continue
            run = kept
        if len(run) == 1:
            singles.append(run[0])
            continue
        if len(run) > 3 or (run[0][0] > 0 and text[run[0][0] - 1] in _OPENING):
            continue
        surname_first = _surname_first(run, text, caps)  # "Бабарико Виктор"
        if surname_first:
            pass
        elif len(run) == 3 and not is_first_name(run[0][2]) and is_first_name(run[1][2]):
            run = run[1:]  # "Azerbaijan's Ilham Aliyev": a place before the name
        elif len(run) == 3 and has_surname_form(run[1][2]) and not has_surname_form(run[2][2]):
            run = run[:2]  # "Ales Bialiatski Freed": a title-case headline
        if not surname_first:
            first = is_first_name(run[0][2])
            if not first and _starts_sentence(text, run[0][0]):
                run = run[1:]  # "Впервые Статкевич": a capitalised sentence opener
                if len(run) < 2:
                    singles.append(run[0])
                    continue
                first = is_first_name(run[0][2])
            # Without a known first name the last word must end like a surname in the
            # nominative ("Компартии Советского", "Совет Республики", "Stack Overflow" are
            # not people).
            last = run[-1][2]
            if not first and (
                has_surname_form(run[0][2]) or not has_surname_form(last, strong=True) or _OBLIQUE.search(last)
            ):
                continue
        name = canonical_name(" ".join([t[2] for t in run]))
        if _is_official(name.split()[-1], people, extra):
            continue
        found.append(built(PersonSpan, start=run[0][0], end=run[-1][1], name=name))
    surnames = [p.name.split()[-1] for p in found]
    keys = {name_key(sn) for sn in surnames}
    for s, e, word in singles:
        if keys and name_key(word) in keys and any(same_person(word, sn) for sn in surnames):
            begin, written = s, word
        # Initials end ". " (then maybe a line break): most words have no dot before them.
        elif "." in text[max(0, s - 3) : s] and (at := _initials_before(text, s)) is not None and (
            has_surname_form(word) or _written_after_first_name(word, text)
        ) and not _is_official(word, people, extra):
            # "М. Колесникова", "A. Bialiatski": initials and a surname
            begin, written = at, text[at:s].replace("\u00a0", " ") + word
        else:
            continue
        if s in lone and _is_common(lone[s], text, common):
            continue
        found.append(built(PersonSpan, start=begin, end=e, name=canonical_name(written)))
    found.sort(key=lambda p: p.start)
    return found


def _with_capitals(run: list[tuple[int, int, str]], caps: set[int], text: str
                   ) -> list[tuple[int, int, str]] | None:
    """The part of a run a capitalised surname may stand in: two or three words, one of them a
    first name in title case and none of the others a first name in capitals; else None."""
    titled_first = [t for t in run if t[0] not in caps and is_first_name(t[2])]
    if len(run) > 3 or not titled_first or any(t[0] in caps and is_first_name(t[2]) for t in run):
        return None
    if len(run) == 1:
        return None
    # After a first name ("Mikhail PRACH") a word in capitals is its surname; before one it
    # needs a surname's ending or to be written in title case elsewhere ("NATO Ivan" is none).
    for i, t in enumerate(run):
        after_first = i > 0 and run[i - 1][0] not in caps and is_first_name(run[i - 1][2])
        if t[0] in caps and not after_first and not has_surname_form(t[2]) \
                and not is_written(text, _title_case(t[2])):
            return None
    return run


def _title_case(word: str) -> str:
    return "-".join(p[:1] + p[1:].lower() for p in word.split("-"))
