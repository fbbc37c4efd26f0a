"""Dates stated in a text: explicit, relative to publication, or vague, from the lexicons.

Weekdays ("on Thursday") resolve to the most recent such day on or before publication
(news style names the same day too); "last Thursday" is strictly before it.

A vague reference keeps value None but may bound a period [lo, hi]: "in May 2020" is that
month, "in June" that month in the most recent year not after publication, "in 2020" that
year; the phrases of a lexicon's VAGUE_PERIODS resolve against publication: "last week" is
published-13 .. published-1 (any reading of "the previous week", from either end),
"this week" published-6 .. published, "a few days ago" published-7 .. published-1,
"last month" / "last year" the previous calendar month / year, "this month" / "this year"
/ "earlier this year" from its first day to publication. "Since" periods and bounds
("until 2020") get none.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType

from rules.extract.tokens import digit_runs, find_words
from rules.lang import LEXICONS, NEIGHBOURS, lang_code, merged_table
from rules.model import DateBasis, built


@dataclass(frozen=True)
class DateSpan:
    """A date reference found by find_dates, read by the detection engine."""

    start: int
    end: int
    value: dt.date | None  # None for vague references
    basis: DateBasis  # stated | relative | none
    is_range_start: bool = False  # "since 2020", "с июля 2024": an aggregate period
    lo: dt.date | None = None  # for a vague reference: the first day of the period it names
    hi: dt.date | None = None  # ... and the last


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_F = re.IGNORECASE | re.UNICODE
_B = r"(?<![^\W\d_])"  # start of a word
_E = r"(?![^\W\d_])"  # end of a word


def _ignorecase_closure(chars: Iterable[str]) -> frozenset[str]:
    """`chars` and every character that one of them matches under re.IGNORECASE (its other
    cases, "ſ" for "s", "ᲀ" for "в"): found by the engine itself over the Basic Multilingual
    Plane, where all the case pairs of Latin and Cyrillic letters lie."""
    bmp = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x10000)))
    return frozenset(re.findall(f"[{re.escape(''.join(set(chars)))}]", bmp, _F))


def _cased(chars: Iterable[str]) -> str:
    """`chars` and every character that one of them matches under re.IGNORECASE, picked from
    _EDGE_CASES (one scan of the plane serves every pattern)."""
    wanted = set(chars)
    if not wanted <= _EDGE_CASES:
        raise ValueError(f"{''.join(sorted(wanted - _EDGE_CASES))!r}: not in _EDGE_CASES (see _EDGE_WORDS)")
    pattern = re.compile(f"[{re.escape(''.join(wanted))}]", _F)
    return "".join(sorted(filter(pattern.fullmatch, _EDGE_CASES)))


def _heads(words: Iterable[str]) -> re.Pattern[str]:
    """The word starts where one of `words` may match under re.IGNORECASE: a class of their
    first characters, then the word-start test, so the engine skips to candidate characters."""
    return re.compile(rf"[{re.escape(_cased(w[0] for w in words))}](?<![^\W\d_].)")


def _finditer(pat: re.Pattern[str], heads: re.Pattern[str], text: str, pos: int, endpos: int, last: int) -> list[re.Match[str]]:
    """The matches of pat.finditer(text, pos, endpos) that start at or before `last`, found by
    matching only where `heads` matches (every match of `pat` starts there): cheaper than
    the engine trying every offset of the window."""
    out = []
    free = pos  # finditer resumes after each match
    for h in heads.finditer(text, pos, last + 1):
        q = h.start()
        if q >= free and (mt := pat.match(text, q, endpos)):
            out.append(mt)
            free = mt.end()
    return out


class _Patterns:
    """One language's date patterns, compiled once at import."""

    def __init__(self, code: str, lex: ModuleType) -> None:
        self.lex = lex
        self.months = merged_table(code, "MONTHS")
        self.weekdays = merged_table(code, "WEEKDAYS")
        for k, v in list(self.weekdays.items()):  # "п'ятницю" is also written "п’ятницю"
            if "'" in k:
                self.weekdays[k.replace("'", "’")] = self.weekdays[k.replace("'", "ʼ")] = v
        self.relative = merged_table(code, "RELATIVE_DAYS")
        self.ambiguous = {k.lower() for c in (code, *NEIGHBOURS.get(code, ())) for k in LEXICONS[c].AMBIGUOUS_MONTHS}
        m = _alt(self.months)
        suffix = r"(?:-?(?:st|nd|rd|th|го|га|е|а|ого|ага))?"
        year_word = r"(?:\s*(?:года|году|год|г\.|гады|годзе|року|рік|р\.|roku|r\.))?"
        self.iso = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
        self.dmy = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?![\d])")
        self.day_month = re.compile(
            rf"(?<![\d.,])(\d{{1,2}}){suffix}\s*(?:of\s+)?{_B}({m})\.?{_E}(?:,?\s+(\d{{4}})(?!\d){year_word})?", _F
        )
        self.month_day = re.compile(
            rf"{_B}({m})\.?{_E}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?![\d.,]\d)(?:,?\s+(\d{{4}})(?!\d))?", _F
        )
        self.month_year = re.compile(rf"{_B}({m})\.?{_E}\s+(\d{{4}})(?!\d){year_word}", _F)
        self.month_alone = re.compile(rf"{_B}({m}){_E}", _F)
        self.relative_re = re.compile(rf"{_B}({_alt(self.relative)}){_E}", _F)
        self.vague = re.compile(rf"{_B}({_alt(lex.VAGUE)}){_E}", _F)
        this_last = _alt(lex.WEEKDAY_PREFIX_THIS + lex.WEEKDAY_PREFIX_LAST)
        prep = rf"(?:{'|'.join(_PREPOSITIONS)})\s+" if lex is not LEXICONS["en"] else r"(?:on\s+)?"
        self.weekday = re.compile(
            rf"{_B}(?:({this_last})\s+|{prep})({_alt(self.weekdays)}){_E}", _F
        )
        # Where a weekday reference may start: its prefix, preposition or the weekday itself.
        self.weekday_heads = _heads((*lex.WEEKDAY_PREFIX_THIS, *lex.WEEKDAY_PREFIX_LAST, *_PREPOSITIONS, *self.weekdays))
        self.relative_heads = _heads(self.relative)
        self.vague_heads = _heads(lex.VAGUE)
        self.prefix_this = {p.lower() for p in lex.WEEKDAY_PREFIX_THIS}
        # A phrase is looked for around its longest word: first words ("the", "в") are too common.
        self.phrase_keys = {
            max(ph.lower().split(), key=len) for ph in (*self.relative, *lex.VAGUE)
        }
        self.keys = frozenset(self.months) | frozenset(self.weekdays) | frozenset(self.phrase_keys)
        self.abbreviations = {w for w in self.months if len(w) <= 4 and w not in ("june", "july")}
        cues = _alt(lex.MONTH_PREFIX + lex.RANGE_START)
        self.year_cued = re.compile(rf"{_B}({cues})\s+(\d{{4}})(?!\d){year_word}", _F)
        self.cue_heads = _heads(lex.MONTH_PREFIX + lex.RANGE_START)
        self.periods = {k.lower(): _PERIOD_KINDS.index(v) for k, v in lex.VAGUE_PERIODS.items()}
        self.bound_before = re.compile(rf"{_B}(?:{_alt(lex.BOUND_BEFORE)})\s+$", _F)
        self.range_before = re.compile(rf"(?:^|[^\w])(?:{_alt(lex.RANGE_START)})\s*$", _F)
        # The characters the cues of bound_before and range_before may end with: the patterns
        # are searched only when the text before the spaces ahead of a date ends with one.
        self.bound_last = frozenset(_cased(w[-1] for w in lex.BOUND_BEFORE))
        self.range_last = frozenset(_cased(w[-1] for w in lex.RANGE_START))

    def bound(self, text: str, s: int) -> bool:
        """Whether a BOUND_BEFORE cue and spaces end at `s` (bound_before within 12 characters)."""
        return _cue_ends_at(self.bound_before, self.bound_last, text, s, 12)

    def range_start(self, text: str, s: int) -> bool:
        """Whether a RANGE_START cue and maybe spaces end at `s` (range_before within 20 characters)."""
        return _cue_ends_at(self.range_before, self.range_last, text, s, 20)


def _cue_ends_at(pattern: re.Pattern[str], last: frozenset[str], text: str, s: int, back: int) -> bool:
    """Does `pattern` (a cue, then spaces, then the end) match in the `back` characters before
    `s`? Searched only when the text there, spaces stripped, ends with one of the characters
    its cues may end with (`last`)."""
    lo = max(0, s - back)
    before = text[lo:s].rstrip()
    if not before or before[-1] not in last:
        return False
    return pattern.search(text, lo, s) is not None


# Periods a vague phrase may name (values of the lexicons' VAGUE_PERIODS), by index.
_PERIOD_KINDS = ("last_week", "this_week", "few_days", "last_month", "this_month", "last_year", "this_year")

_SAME_YEAR = re.compile(
    r",?\s+(?:of\s+)?(?:that|the\s+same|того\s+же|таго\s+ж|того\s+ж|tego\s+samego)\s+(?:same\s+)?(?:year|года|году|года|року|roku)",
    _F,
)
# Prepositions before a weekday ("в пятницу"), in every language but English.
_PREPOSITIONS = ("on", "в", "во", "у", "ў", "на", "w", "we")
# What the first and last letters of the lexicon words the patterns start or end with match
# under re.IGNORECASE.
_EDGE_WORDS = (*_PREPOSITIONS, *(
    w
    for lex in LEXICONS.values()
    for name in ("RELATIVE_DAYS", "VAGUE", "WEEKDAYS", "WEEKDAY_PREFIX_THIS", "WEEKDAY_PREFIX_LAST",
                 "MONTH_PREFIX", "RANGE_START", "BOUND_BEFORE")
    for w in getattr(lex, name)
))
_EDGE_CASES = _ignorecase_closure(w[i] for w in _EDGE_WORDS for i in (0, -1))
_PATTERNS: dict[str, _Patterns] = {code: _Patterns(code, lex) for code, lex in LEXICONS.items()}


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _infer_year(m: int, d: int, published: dt.date | None) -> dt.date | None:
    """The most recent (m, d) not after published + 1 day."""
    if published is None:
        return None
    for year in (published.year, published.year - 1):
        cand = _safe_date(year, m, d)
        if cand is not None and cand <= published + dt.timedelta(days=1):
            return cand
    return _safe_date(published.year - 1, m, d) if m == 2 and d == 29 else None


def _weekday(target: int, published: dt.date, strictly_before: bool) -> dt.date:
    back = (published.weekday() - target) % 7
    if back == 0 and strictly_before:
        back = 7
    return published - dt.timedelta(days=back)


def _year(s: str | None) -> int | None:
    if not s:
        return None
    y = int(s)
    return 2000 + y if y < 100 else y




class _Taken:
    """Non-overlapping spans already claimed, searched by bisection."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def claim(self, s: int, e: int) -> bool:
        i = bisect.bisect_right(self.starts, s)
        if i > 0 and self.ends[i - 1] > s:
            return False
        if i < len(self.starts) and self.starts[i] < e:
            return False
        self.starts.insert(i, s)
        self.ends.insert(i, e)
        return True


# A date reference before resolution: kind is "ymd" (y, m, d), "md" (m, d: year from
# publication), "rel" (day offset), "wd" (weekday, strictly before?) or "vague": () when
# it bounds no period, else (y, m) for a month of a year, (0, m) for a month alone, (y,)
# for a year, (-1, k) for the phrase of period kind k.
_Raw = tuple[int, int, str, tuple[int, ...], bool]


@lru_cache(maxsize=16)
def _scan(text: str, code: str) -> list[_Raw]:
    """Date references of `text`, not yet resolved against publication; cached per text."""
    p = _PATTERNS[code]
    hits, runs = find_words(text, p.keys), digit_runs(text)
    if not hits and not runs:
        return []  # most sentences: no month, weekday, phrase or digit to read
    en = p.lex is LEXICONS["en"]
    taken = _Taken()
    out: list[_Raw] = []

    def add(s: int, e: int, kind: str, data: tuple[int, ...]) -> None:
        if taken.claim(s, e):
            since = p.range_start(text, s)
            out.append((s, e, kind, data, since))

    # Word-led patterns run only where a lexicon word occurs: a regex with a big
    # alternation over the whole text costs several times the shared token pass.
    months: list[tuple[int, int, str]] = []
    weekdays: list[tuple[int, int]] = []
    phrases: list[int] = []
    for s, e, w in hits:
        if w in p.months:
            months.append((s, e, w))
        elif w in p.weekdays:
            weekdays.append((s, e))
        if w in p.phrase_keys:
            phrases.append(s)
    years: list[int] = []
    for s, e in runs:
        nxt = text[e : e + 1]
        if e - s == 4:
            if nxt == "-" and (mt := p.iso.match(text, s)):
                if _safe_date(int(mt[1]), int(mt[2]), int(mt[3])):
                    add(s, mt.end(), "ymd", (int(mt[1]), int(mt[2]), int(mt[3])))
                    continue
            if text[s : s + 2] in ("19", "20"):
                years.append(s)
        elif e - s <= 2 and nxt == "." and (mt := p.dmy.match(text, s)):
            y = _year(mt[3]) or 0
            if 1900 <= y <= 2100 and _safe_date(y, int(mt[2]), int(mt[1])):
                add(s, mt.end(), "ymd", (y, int(mt[2]), int(mt[1])))
    for s, e, _w in months:
        # day_month.finditer over s-14 .. e+30 for the match whose month starts at s: its
        # matches start at runs of digits (after no digit, dot or comma), so only those are tried.
        found = None
        free = max(0, s - 14)
        i = bisect.bisect_left(runs, (free,))
        while i < len(runs) and runs[i][0] < s:
            q = runs[i][0]
            i += 1
            if q >= free and (mt := p.day_month.match(text, q, e + 30)):
                if mt.start(2) == s:
                    found, dg, mg = mt, 1, 2
                    break
                free = mt.end()
        if found is None:
            found, dg, mg = p.month_day.match(text, s, e + 30), 2, 1
        if found is None:
            continue
        month = p.months.get(found[mg].lower(), 0)
        day = int(found[dg])
        if not month or not 1 <= day <= 31:
            continue
        year = _year(found[3])
        end = found.end() - 1 if found[0].endswith(".") and len(found[mg]) > 4 else found.end()
        if year:
            if _safe_date(year, month, day):
                add(found.start(), end, "ymd", (year, month, day))
        elif _SAME_YEAR.match(text, end):
            add(found.start(), end, "vague", ())  # "19 December of that year": year elsewhere
        else:
            add(found.start(), end, "md", (month, day))
    for s, e, _w in months:
        if mt := p.month_year.match(text, s, e + 30):
            month = p.months.get(mt[1].lower(), 0)
            bound = p.bound(text, s)
            add(mt.start(), mt.end(), "vague", (int(mt[2]), month) if month and not bound else ())
    for s in phrases:
        # The phrases about s: their matches in s-30 .. s+40 that start at s or before it.
        for mt in _finditer(p.relative_re, p.relative_heads, text, max(0, s - 30), s + 40, s):
            if s < mt.end():
                add(mt.start(), mt.end(), "rel", (p.relative[mt[1].lower()],))
        for mt in _finditer(p.vague, p.vague_heads, text, max(0, s - 30), s + 40, s):
            if s < mt.end():
                kind = p.periods.get(mt[1].lower())
                add(mt.start(), mt.end(), "vague", () if kind is None else (-1, kind))
    for s, e in weekdays:
        found = None
        for mt in _finditer(p.weekday, p.weekday_heads, text, max(0, s - 25), e, e - 1):
            if mt.end() == e:
                found = mt
        if found is None or (en and not found[2][:1].isupper()):
            continue
        prefix = (found[1] or "").lower()
        strictly = bool(prefix) and prefix not in p.prefix_this
        add(found.start(), e, "wd", (p.weekdays[found[2].lower()], int(strictly)))
    for s in years:
        for mt in _finditer(p.year_cued, p.cue_heads, text, max(0, s - 24), s + 16, s):
            if mt.start(2) == s:
                is_bound = p.bound_before.match(mt[1] + " ") is not None
                add(s, mt.end(), "vague", () if is_bound else (int(mt[2]),))
                break
    for s, e, w in months:
        if w in p.ambiguous or (en and (not text[s].isupper() or w in p.abbreviations or text[s:e].isupper())):
            continue
        add(s, e, "vague", () if p.bound(text, s) else (0, p.months[w]))
    out.sort()
    return out


def find_dates(text: str, lang: str, published: dt.date | None) -> list[DateSpan]:
    """Every date reference in `text`, in order; never raises."""
    if not isinstance(text, str) or not text:
        return []
    if published is not None and not isinstance(published, dt.date):
        published = None
    out: list[DateSpan] = []
    for s, e, kind, data, since in _scan(text, lang_code(lang)):
        value: dt.date | None = None
        basis = DateBasis.none
        if kind == "ymd":
            value, basis = dt.date(*data), DateBasis.stated
        elif kind == "md":
            value = _infer_year(data[0], data[1], published)
            basis = DateBasis.stated if value else DateBasis.none
        elif kind == "rel" and published is not None:
            value, basis = published + dt.timedelta(days=data[0]), DateBasis.relative
        elif kind == "wd" and published is not None:
            value, basis = _weekday(data[0], published, bool(data[1])), DateBasis.relative
        lo, hi = _period(data, published) if kind == "vague" and not since else (None, None)
        out.append(built(DateSpan, start=s, end=e, value=value, basis=basis, is_range_start=since, lo=lo, hi=hi))
    return out


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)


def _period(data: tuple[int, ...], published: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """The days [lo, hi] a vague reference names (see the module docstring), or (None, None)."""
    if len(data) == 1:
        return (dt.date(data[0], 1, 1), dt.date(data[0], 12, 31)) if 1900 <= data[0] <= 2100 else (None, None)
    if len(data) != 2:
        return None, None
    y, m = data
    if y > 0:
        return (dt.date(y, m, 1), _month_end(y, m)) if 1900 <= y <= 2100 and 1 <= m <= 12 else (None, None)
    if published is None:
        return None, None
    if y == 0:
        y = published.year if m <= published.month else published.year - 1
        return dt.date(y, m, 1), _month_end(y, m)
    day = dt.timedelta(days=1)
    kind = _PERIOD_KINDS[m]
    month_start = published.replace(day=1)
    if kind == "last_week":
        return published - 13 * day, published - day
    if kind == "this_week":
        return published - 6 * day, published
    if kind == "few_days":
        return published - 7 * day, published - day
    if kind == "last_month":
        prev_end = month_start - day
        return prev_end.replace(day=1), prev_end
    if kind == "this_month":
        return month_start, published
    if kind == "last_year":
        return dt.date(published.year - 1, 1, 1), dt.date(published.year - 1, 12, 31)
    return dt.date(published.year, 1, 1), published  # this_year


def date_number_ranges(text: str, lang: str) -> list[tuple[int, int]]:
    """Spans of calendar dates (no resolution): numbers inside them are not counts."""
    return [(s, e) for s, e, kind, _, _ in _scan(text, lang_code(lang)) if kind in ("ymd", "md", "vague")]
