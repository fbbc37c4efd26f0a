"""Dates stated in a text: explicit, relative to publication, or vague, from the lexicons.

Weekdays ("on Thursday") resolve to the most recent such day on or before publication
(news style names the same day too); "last Thursday" is strictly before it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from types import ModuleType

from rules.lang import LEXICONS, lexicon
from rules.model import DateBasis


@dataclass(frozen=True)
class DateSpan:
    """A date reference found by find_dates, read by the detection engine."""

    start: int
    end: int
    value: dt.date | None  # None for vague references
    basis: DateBasis  # stated | relative | none
    is_range_start: bool = False  # "since 2020", "с июля 2024": an aggregate period


def _alt(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))  # type: ignore[arg-type]


_F = re.IGNORECASE | re.UNICODE
_B = r"(?<![^\W\d_])"  # start of a word
_E = r"(?![^\W\d_])"  # end of a word


class _Patterns:
    """One language's date patterns, compiled once at import."""

    def __init__(self, lex: ModuleType) -> None:
        self.lex = lex
        self.months = {k.lower(): v for k, v in lex.MONTHS.items()}
        self.weekdays = {k.lower(): v for k, v in lex.WEEKDAYS.items()}
        self.relative = {k.lower(): v for k, v in lex.RELATIVE_DAYS.items()}
        self.ambiguous = {k.lower() for k in lex.AMBIGUOUS_MONTHS}
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
        prep = r"(?:on|в|во|у|ў|на|w|we)\s+" if lex is not LEXICONS["en"] else r"(?:on\s+)?"
        self.weekday = re.compile(
            rf"{_B}(?:({this_last})\s+|{prep})({_alt(self.weekdays)}){_E}", _F
        )
        self.prefix_this = {p.lower() for p in lex.WEEKDAY_PREFIX_THIS}
        cues = _alt(lex.MONTH_PREFIX + lex.RANGE_START)
        self.year_cued = re.compile(rf"{_B}(?:{cues})\s+(\d{{4}})(?!\d){year_word}", _F)
        self.range_before = re.compile(rf"(?:^|[^\w])(?:{_alt(lex.RANGE_START)})\s*$", _F)


_PATTERNS: dict[str, _Patterns] = {code: _Patterns(lex) for code, lex in LEXICONS.items()}


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


def find_dates(text: str, lang: str, published: dt.date | None) -> list[DateSpan]:
    """Every date reference in `text`, in order; never raises."""
    if not isinstance(text, str) or not text:
        return []
    p = _PATTERNS.get((lang or "en").lower()[:2]) or _PATTERNS[lexicon(lang).__name__.rsplit(".", 1)[-1]]
    taken: list[tuple[int, int]] = []
    out: list[DateSpan] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(s: int, e: int, value: dt.date | None, basis: DateBasis, since: bool | None = None) -> None:
        if not free(s, e):
            return
        if since is None:
            since = bool(p.range_before.search(text[max(0, s - 20) : s]))
        taken.append((s, e))
        out.append(DateSpan(s, e, value, basis, since))

    for mt in p.iso.finditer(text):
        v = _safe_date(int(mt[1]), int(mt[2]), int(mt[3]))
        if v:
            add(mt.start(), mt.end(), v, DateBasis.stated)
    for mt in p.dmy.finditer(text):
        y = _year(mt[3])
        v = _safe_date(y, int(mt[2]), int(mt[1])) if y else None
        if v and 1900 <= v.year <= 2100:
            add(mt.start(), mt.end(), v, DateBasis.stated)
    for pattern, day_group, month_group in ((p.day_month, 1, 2), (p.month_day, 2, 1)):
        for mt in pattern.finditer(text):
            month = p.months.get(mt[month_group].lower())
            day = int(mt[day_group])
            if month is None or not 1 <= day <= 31:
                continue
            y = _year(mt[3])
            v = _safe_date(y, month, day) if y else _infer_year(month, day, published)
            add(mt.start(), mt.end(), v, DateBasis.stated if v else DateBasis.none)
    for mt in p.month_year.finditer(text):
        add(mt.start(), mt.end(), None, DateBasis.none)
    for mt in p.relative_re.finditer(text):
        off = p.relative[mt[1].lower()]
        v = published + dt.timedelta(days=off) if published else None
        add(mt.start(), mt.end(), v, DateBasis.relative if v else DateBasis.none)
    for mt in p.vague.finditer(text):
        add(mt.start(), mt.end(), None, DateBasis.none)
    for mt in p.weekday.finditer(text):
        word = mt[2]
        if p.lex is LEXICONS["en"] and not word[:1].isupper():
            continue
        prefix = (mt[1] or "").lower()
        if published is None:
            add(mt.start(), mt.end(), None, DateBasis.none)
            continue
        v = _weekday(p.weekdays[word.lower()], published, bool(prefix) and prefix not in p.prefix_this)
        add(mt.start(), mt.end(), v, DateBasis.relative)
    for mt in p.year_cued.finditer(text):
        if 1900 <= int(mt[1]) <= 2100:
            add(mt.start(1), mt.end(), None, DateBasis.none)
    for mt in p.month_alone.finditer(text):
        word = mt[1].lower()
        if word in p.ambiguous or (p.lex is LEXICONS["en"] and not mt[1][:1].isupper()):
            continue
        add(mt.start(), mt.end(), None, DateBasis.none)
    out.sort(key=lambda d: d.start)
    return out


def date_number_ranges(text: str, lang: str) -> list[tuple[int, int]]:
    """Spans of stated dates (no resolution): numbers inside them are not counts."""
    return [(d.start, d.end) for d in find_dates(text, lang, None) if d.basis is not DateBasis.relative]
