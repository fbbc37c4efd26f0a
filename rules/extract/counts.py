"""Numbers stated in a text, in digits or words, each with the kind it is (count, year, age ...).

Language tables come from rules.lang; the engine keeps only kind == "count".
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from types import ModuleType

from rules.extract.dates import date_number_ranges
from rules.extract.places import find_places
from rules.extract.tokens import Token, digit_runs, find_words, window
from rules.lang import LEXICONS, lang_code, merged_table
from rules.model import built, replaced


@dataclass(frozen=True)
class NumberSpan:
    """A number stated in the text, from find_numbers to the detection engine."""

    start: int
    end: int
    value: int
    approx: bool  # "more than 75", "около 1 300"
    words: bool  # written as words ("fifty-two", "пятьдесят два")
    kind: str = "count"  # count|year|age|article|money|ordinal|percent|time|date


_F = re.IGNORECASE | re.UNICODE
_SEP = "[,.'’\u00a0\u202f\u2009 ]"
# Grouped thousands must keep one separator style throughout ("1,184,000", "1 184").
_DIGITS = re.compile(
    r"(?<![\w.,/#@_-])(?:(\d{1,3})(?:(,)\d{3}(?:,\d{3})*|(\.)\d{3}(?:\.\d{3})*|(['’])\d{3}(?:['’]\d{3})*"
    r"|([\u00a0\u202f\u2009 ])\d{3}(?:[\u00a0\u202f\u2009 ]\d{3})*)|(\d+)(?:[.,](\d+))?)(?![\d]|[^\W\d_])"
)
_NOT_DIGIT = re.compile(r"\D")
_GAP = re.compile(r"[\s\u00a0-]*")
_TIME = re.compile(r"\d[:.]$|^[:.]\d{2}(?!\d)")


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _words(words: Collection[str]) -> str:
    """An alternation of `words` behind a class of their first characters: under IGNORECASE
    the engine enters every alternative in turn, where the class fails at once."""
    firsts = "".join(sorted({re.escape(w[0]) for w in words}))
    return f"(?=[{firsts}])(?:{_alt(words)})"


def _reach(cues: Iterable[str]) -> int:
    """How far back from its end a cue pattern of these words can start its match."""
    return max(map(len, cues)) + 1


def _apostrophes(table: dict[str, int]) -> dict[str, int]:
    """The table with "п'ять" also spelled "п’ять" and "пʼять"."""
    out = dict(table)
    for key, value in table.items():
        if "'" in key:
            out[key.replace("'", "’")] = out[key.replace("'", "ʼ")] = value
    return out


class _Lexicon:
    """One language's number tables and cue patterns, compiled once at import."""

    def __init__(self, code: str, lex: ModuleType) -> None:
        self.numbers = _apostrophes(merged_table(code, "NUMBERS"))
        self.multipliers = _apostrophes(merged_table(code, "MULTIPLIERS"))
        self.halves = frozenset(getattr(lex, "HALVES", ()))
        self.keys = frozenset(self.numbers) | frozenset(self.multipliers) | self.halves
        self.not_names = lex.STOP_NAMES | {m.lower() for m in lex.MONTHS}
        self.code = next(code for code, module in LEXICONS.items() if module is lex)
        self.connectors = lex.CONNECTORS
        self.one_words = lex.ONE_WORDS
        self.one_next = lex.ONE_STOP_NEXT
        self.one_prev = lex.ONE_STOP_PREV
        self.is_en = lex is LEXICONS["en"]
        # "тысяча"/"тысячу" alone are one thousand; "тысячи" only after "более", "около" ...
        self.thousand_one = frozenset(getattr(lex, "THOUSAND_ONE", ("тысяча", "тысячу")))
        self.thousand_of = frozenset(getattr(lex, "THOUSAND_OF", ()))
        # Cues before a number end where the text before it does, but for spaces: they are
        # searched from the longest cue's length (and a character before it) back from there.
        self.approx = re.compile(rf"(?:^|[^\w]){_words(lex.APPROX)}\s*$", _F)
        self.article = re.compile(rf"(?:^|[^\w]){_words(lex.ARTICLE_BEFORE)}\s*$", _F)
        self.age_before = re.compile(rf"(?:^|[^\w]){_words(lex.AGE_BEFORE)}\s*$", _F)
        self.money_before = re.compile(rf"{_words(lex.MONEY_BEFORE)}\s*$", _F)
        self.approx_reach = _reach(lex.APPROX)
        self.article_reach = _reach(lex.ARTICLE_BEFORE)
        self.age_reach = _reach(lex.AGE_BEFORE)
        self.money_reach = _reach(lex.MONEY_BEFORE)
        after = r"^[\s\u00a0]*"
        self.age_after = re.compile(rf"^(?:{lex.AGE_AFTER})", _F)
        self.money_after = re.compile(rf"{after}(?:{lex.MONEY_AFTER})(?!\w)", _F)
        self.percent_after = re.compile(rf"{after}(?:{lex.PERCENT_AFTER})", _F)
        self.time_after = re.compile(rf"{after}-?(?:{lex.TIME_AFTER})(?!\w)", _F)
        self.year_after = re.compile(rf"{after}(?:{lex.YEAR_AFTER})(?!\w)", _F)
        self.ordinal_after = re.compile(rf"^(?:{lex.ORDINAL_AFTER})", _F)
        self.people_after = re.compile(rf"{after}(?:{lex.PEOPLE_NOUNS})", _F)
        self.mult_after = re.compile(rf"[\s\u00a0]*({_words(self.multipliers)})(?!\w)", _F)


_LEX: dict[str, _Lexicon] = {code: _Lexicon(code, lex) for code, lex in LEXICONS.items()}
# "Ihar Losik, 32, a blogger" / "Losik (32)": an age in apposition to a name.
_NAME_BEFORE = re.compile(r"(?<![^\W\d_])([^\W\d_a-zа-яёіўїєґ][^\W\d_]+)(?:,\s*|\s*\()$")
_APPOSITION_AFTER = re.compile(r"\s*[,)]")
_PLUS_AFTER = re.compile(r"\+|-?\s?plus\b|\s?с\s+лишним|\s?з\s+лішнім|\s?з\s+гакам", _F)
_ARTICLE_CHAIN = re.compile(r"\s*(?:,|and|и|і|й|та|i|or|или|ці|–|-)\s*", _F)


def _kind(text: str, s: int, e: int, value: int, plain4: bool, lx: _Lexicon) -> str:
    before = text[max(0, s - 24) : s].lower()
    tail = len(before.rstrip())  # where a cue before the number must end
    after = text[e : e + 32]
    if lx.money_before.search(before, max(0, tail - lx.money_reach)) or lx.money_after.match(after):
        return "money"
    if lx.percent_after.match(after):
        return "percent"
    if lx.ordinal_after.match(after):
        return "ordinal"
    if lx.article.search(before, max(0, tail - lx.article_reach)):
        return "article"
    if lx.age_before.search(before, max(0, tail - lx.age_reach)) or lx.age_after.match(after):
        return "age"
    if value < 120 and _APPOSITION_AFTER.match(after):
        name = _NAME_BEFORE.search(text, max(0, s - 40), s)
        if name and name[1].lower() not in lx.not_names and not find_places(name[1], lx.code):
            return "age"  # "Losik, 32," but not "Lithuania (9)"
    if plain4 and 1900 <= value <= 2100:
        if lx.year_after.match(after) or not lx.people_after.match(after):
            return "year"
    if lx.time_after.match(after):
        return "time"
    return "count"


def _digit_spans(text: str, lx: _Lexicon) -> list[NumberSpan]:
    spans: list[NumberSpan] = []
    done = 0
    for run_start, _ in digit_runs(text):  # anchor the grouped-number pattern at digit runs only
        if run_start < done or not (m := _DIGITS.match(text, run_start)):
            continue
        s, e = m.span()
        done = e
        whole, fraction = m.group(6, 7)
        if whole is not None:  # plain digits, maybe a decimal
            if fraction is not None:
                mult = lx.mult_after.match(text, e)
                if not mult:
                    continue
                value = round(float(f"{whole}.{fraction}") * lx.multipliers[mult[1].lower()])
                e = mult.end()
            else:
                if len(whole) > 9:
                    continue
                value = int(whole)
        else:
            value = int(_NOT_DIGIT.sub("", m.group(0)))
        mult = lx.mult_after.match(text, e) if fraction is None else None
        plain4 = whole is not None and fraction is None and len(whole) == 4
        if mult:
            value *= lx.multipliers[mult[1].lower()]
            e = mult.end()
            plain4 = False
        if _TIME.search(text[max(0, s - 6) : s]) or _TIME.match(text[e : e + 4]):
            kind = "time"
        else:
            kind = _kind(text, s, e, value, plain4, lx)
        spans.append(built(NumberSpan, start=s, end=e, value=value, approx=False, words=False, kind=kind))
    return spans


def _compatible(prev: int, value: int) -> bool:
    return value < prev and prev % (10 ** len(str(value))) == 0


def _classify(word: str, lx: _Lexicon) -> tuple[str, int]:
    """("n", value) for a number word, ("m", factor) for a multiplier, ("", 0) otherwise."""
    if word in lx.numbers:
        return "n", lx.numbers[word]
    factor = lx.multipliers.get(word)
    return ("m", factor) if factor else ("", 0)


def _word_spans(text: str, lx: _Lexicon) -> list[NumberSpan]:
    spans: list[NumberSpan] = []
    done = 0
    for h, he, _ in find_words(text, lx.keys):
        if h < done:
            continue
        toks = window(text, h - 20, he + 100)
        i = next((k for k, t in enumerate(toks) if t[0] == h), None)
        if i is None:
            continue
        span, done = _sequence(text, toks, i, lx)
        if span is not None:
            spans.append(span)
    return spans


def _sequence(text: str, toks: list[Token], i: int, lx: _Lexicon) -> tuple[NumberSpan | None, int]:
    """The number written in words from token i on, and the offset where it ends."""
    s = toks[i][0]
    n = len(toks)
    if toks[i][2] in lx.halves:  # "полторы тысячи", "паўтары тысячы": one and a half
        if i + 1 < n and _GAP.fullmatch(text, toks[i][1], toks[i + 1][0]):
            factor = lx.multipliers.get(toks[i + 1][2], 0)
            if factor >= 1000:
                end = toks[i + 1][1]
                value = factor * 3 // 2
                return built(NumberSpan, start=s, end=end, value=value, approx=False, words=True, kind=_kind(text, s, end, value, False, lx)), end
        return None, toks[i][1]
    role, _ = _classify(toks[i][2], lx)
    if role != "n" and not (role == "m" and _lone_multiplier(text, toks, i, lx)):
        return None, toks[i][1]
    total, current, last, j, end = 0, 0, 0, i, s
    while j < n:
        ts, te, tw = toks[j]
        if j > i and not _GAP.fullmatch(text, toks[j - 1][1], ts):
            break
        role, v = _classify(tw, lx)
        if role == "n":
            if last and not _compatible(last, v):
                break
            current += v
            last = v
        elif role == "m":
            if v == 100:  # English "hundred" multiplies what precedes it
                if last and last >= 100:
                    break
                current = (current or 1) * 100
            else:
                if total and total < (current or 1) * v:
                    break
                total += (current or 1) * v
                current = 0
            last = v
        elif tw in lx.connectors and j > i and j + 1 < n and _classify(toks[j + 1][2], lx)[0] == "n":
            j += 1
            continue
        else:
            break
        end = te
        j += 1
    value = total + current
    if value <= 0 or (j == i + 1 and toks[i][2] in lx.one_words and _one_is_pronoun(toks, i, lx)):
        return None, toks[i][1]
    return built(NumberSpan, start=s, end=end, value=value, approx=False, words=True, kind=_kind(text, s, end, value, False, lx)), end


def _lone_multiplier(text: str, toks: list[tuple[int, int, str]], i: int, lx: _Lexicon) -> bool:
    """A bare "thousand"/"тысяча": a number only when singular and not "thousands of"; the
    genitive after an approximation ("более тысячи", "каля тысячы") is one thousand too."""
    word = toks[i][2]
    if lx.is_en:
        return i > 0 and toks[i - 1][2] == "a" and word in ("hundred", "thousand")
    if word in lx.thousand_one:
        return True
    return word in lx.thousand_of and bool(lx.approx.search(text[max(0, toks[i][0] - 30):toks[i][0]]))


def _one_is_pronoun(toks: list[tuple[int, int, str]], i: int, lx: _Lexicon) -> bool:
    nxt = toks[i + 1][2].rstrip(".") if i + 1 < len(toks) else ""
    prev = toks[i - 1][2] if i > 0 else ""
    return nxt in lx.one_next or prev in lx.one_prev or (lx.is_en and not nxt)


def find_numbers(text: str, lang: str) -> list[NumberSpan]:
    """Every number in `text` (digits or words), in order, with its kind; never raises."""
    if not isinstance(text, str) or not text:
        return []
    code = lang_code(lang)
    lx = _LEX[code]
    digits = _digit_spans(text, lx)
    dates = date_number_ranges(text, code) if digits else []
    starts = [a for a, _ in dates]
    out: list[NumberSpan] = []
    spans = sorted(digits + _word_spans(text, lx), key=lambda x: x.start)
    for sp in spans:
        prev = out[-1] if out else None
        if prev and prev.kind == "article" and sp.kind == "count" and _ARTICLE_CHAIN.fullmatch(text, prev.end, sp.start):
            sp = replaced(sp, approx=False, kind="article")
        i = bisect.bisect_right(starts, sp.start) - 1
        if i >= 0 and sp.start < dates[i][1]:
            year = not sp.words and 1900 <= sp.value <= 2100 and sp.end - sp.start == 4
            sp = replaced(sp, approx=False, kind="year" if year else "date")
        else:
            before = text[max(0, sp.start - 30) : sp.start]
            approx = bool(
                lx.approx.search(before, max(0, len(before.rstrip()) - lx.approx_reach))
                or _PLUS_AFTER.match(text, sp.end)
            )
            if approx:
                sp = replaced(sp, approx=True)
        out.append(sp)
    return out
