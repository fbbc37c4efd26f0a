"""find_dates: stated, relative and vague dates in en/ru/be, year inference, "since" periods."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.extract.dates import find_dates
from rules.model import DateBasis

FRI = dt.date(2025, 9, 12)  # a Friday
THU = dt.date(2025, 9, 11)

CASES = [
    # (lang, text, published, [(slice, value, basis, since)], why)
    ("en", "freed on September 11", FRI, [("September 11", THU, "stated", False)], "month day"),
    ("en", "freed on 11 September 2025", FRI, [("11 September 2025", THU, "stated", False)], "day month year"),
    ("en", "freed on Sept. 11", FRI, [("Sept. 11", THU, "stated", False)], "abbreviation"),
    ("en", "on September 11, 2025, 52 were freed", FRI, [("September 11, 2025", THU, "stated", False)], "comma year"),
    ("en", "as of 18.09.2025", FRI, [("18.09.2025", dt.date(2025, 9, 18), "stated", False)], "numeric"),
    ("en", "dated 2025-09-11", FRI, [("2025-09-11", THU, "stated", False)], "ISO"),
    ("en", "on December 30", dt.date(2026, 1, 2), [("December 30", dt.date(2025, 12, 30), "stated", False)], "year before new year"),
    ("en", "on September 13", FRI, [("September 13", dt.date(2025, 9, 13), "stated", False)], "one day ahead allowed"),
    ("en", "on September 20", FRI, [("September 20", dt.date(2024, 9, 20), "stated", False)], "later day: last year"),
    ("en", "freed on Thursday", FRI, [("on Thursday", THU, "relative", False)], "weekday"),
    ("en", "freed on Friday", FRI, [("on Friday", FRI, "relative", False)], "same weekday is the day"),
    ("en", "freed last Friday", FRI, [("last Friday", dt.date(2025, 9, 5), "relative", False)], "last weekday"),
    ("en", "freed yesterday", FRI, [("yesterday", THU, "relative", False)], "yesterday"),
    ("en", "freed today", FRI, [("today", FRI, "relative", False)], "today"),
    ("en", "the day before yesterday", FRI, [("the day before yesterday", dt.date(2025, 9, 10), "relative", False)], "two days"),
    ("en", "freed in June", FRI, [("June", None, "none", False)], "month alone is vague"),
    ("en", "freed last month", FRI, [("last month", None, "none", False)], "vague"),
    ("en", "earlier this year", FRI, [("earlier this year", None, "none", False)], "vague"),
    ("en", "freed last week", FRI, [("last week", None, "none", False)], "vague"),
    ("en", "since 2020 Viasna has", FRI, [("2020", None, "none", True)], "since a year"),
    ("en", "since July 2024, 569 were", FRI, [("July 2024", None, "none", True)], "since month year"),
    ("en", "in 2020 he was jailed", FRI, [("2020", None, "none", False)], "year alone"),
    ("en", "you may go", FRI, [], "may is a verb"),
    ("en", "a new report", FRI, [], "nothing"),
    ("ru", "освобождены 11 сентября", FRI, [("11 сентября", THU, "stated", False)], "genitive month"),
    ("ru", "11 сентября 2025 года", FRI, [("11 сентября 2025 года", THU, "stated", False)], "with year word"),
    ("ru", "освобождены в четверг", FRI, [("в четверг", THU, "relative", False)], "weekday"),
    ("ru", "освобождены вчера", FRI, [("вчера", THU, "relative", False)], "yesterday"),
    ("ru", "освобождены сегодня", FRI, [("сегодня", FRI, "relative", False)], "today"),
    ("ru", "позавчера", FRI, [("позавчера", dt.date(2025, 9, 10), "relative", False)], "two days"),
    ("ru", "освобождены в июне", FRI, [("июне", None, "none", False)], "month alone"),
    ("ru", "в прошлом месяце", FRI, [("в прошлом месяце", None, "none", False)], "vague"),
    ("ru", "с июля 2024 года", FRI, [("июля 2024 года", None, "none", True)], "since month"),
    ("ru", "с 2020 года", FRI, [("2020 года", None, "none", True)], "since year"),
    ("ru", "начиная с 5 мая", FRI, [("5 мая", dt.date(2025, 5, 5), "stated", True)], "since a day"),
    ("ru", "в окружающую среду", FRI, [], "среда is not a weekday here"),
    ("be", "вызвалены 11 верасня 2025 года", FRI, [("11 верасня 2025 года", THU, "stated", False)], "genitive month"),
    ("be", "вызвалены ў чацвер", FRI, [("ў чацвер", THU, "relative", False)], "weekday"),
    ("be", "вызвалены ўчора", FRI, [("ўчора", THU, "relative", False)], "yesterday ў"),
    ("be", "вызвалены учора", FRI, [("учора", THU, "relative", False)], "yesterday у"),
    ("be", "вызвалены сёння", FRI, [("сёння", FRI, "relative", False)], "today"),
    ("be", "у чэрвені", FRI, [("чэрвені", None, "none", False)], "month alone"),
    ("be", "з 2020 года", FRI, [("2020 года", None, "none", True)], "since year"),
    ("be", "у мінулым месяцы", FRI, [("у мінулым месяцы", None, "none", False)], "vague"),
    ("ru", "«вызвалены 11 верасня»", FRI, [("11 верасня", THU, "stated", False)], "Belarusian month in a Russian text"),
    ("uk", "звільнені 11 вересня", FRI, [("11 вересня", THU, "stated", False)], "Ukrainian month"),
    ("uk", "звільнені у п’ятницю", FRI, [("у п’ятницю", FRI, "relative", False)], "Ukrainian weekday, typographic apostrophe"),
    ("en", "Thursday's release of 52", FRI, [("Thursday", THU, "relative", False)], "possessive weekday"),
    ("pl", "uwolnieni 11 września 2025", FRI, [("11 września 2025", THU, "stated", False)], "Polish month"),
]


@pytest.mark.parametrize("lang,text,published,expected,why", CASES, ids=[c[4] for c in CASES])
def test_dates(lang: str, text: str, published: dt.date, expected: list, why: str) -> None:
    got = [
        (text[d.start : d.end], d.value, str(d.basis), d.is_range_start)
        for d in find_dates(text, lang, published)
    ]
    assert got == expected, why


def test_without_publication_a_day_without_year_stays_unknown() -> None:
    (d,) = find_dates("freed on September 11", "en", None)
    assert d.value is None and d.basis is DateBasis.none


def test_same_year_reference_is_not_resolved() -> None:
    (d,) = find_dates("После акции 19 декабря того же года он", "ru", FRI)
    assert d.value is None


def test_invalid_day_is_not_a_date() -> None:
    assert [d.value for d in find_dates("on 31.02.2025 and February 30", "en", FRI) if d.value] == []


@settings(max_examples=150, deadline=None)
@given(st.text(), st.sampled_from(["en", "ru", "be", "uk", "pl", "", "zz"]), st.none() | st.dates())
def test_arbitrary_text_never_raises(text: str, lang: str, published: dt.date | None) -> None:
    for d in find_dates(text, lang, published):
        assert 0 <= d.start < d.end <= len(text)
        assert (d.value is None) == (d.basis is DateBasis.none)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["11", "September", "сентября", " ", ".", "2025", "-", "09", "on", "Thursday", "\x00"]), max_size=25))
def test_date_like_soup_never_raises(parts: list[str]) -> None:
    text = "".join(parts)
    for lang in ("en", "ru"):
        for d in find_dates(text, lang, FRI):
            assert text[d.start : d.end].strip() == text[d.start : d.end]


def test_megabyte_text_does_not_raise() -> None:
    text = ("On Thursday, September 11, 52 were freed; since 2020 \x00" * 20000)[: 1 << 20]
    assert len(find_dates(text, "en", FRI)) > 10000


def test_corpus_dates_are_found(shared) -> None:
    """Labelled dates are among the resolved dates of the article, or are its publication day."""
    hit = total = 0
    for path in sorted((shared / "corpus").glob("dev-*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            art = json.loads(line)
            published = dt.date.fromisoformat(art["published"])
            values = {d.value for d in find_dates(art["title"] + "\n" + art["text"], art["lang"], published)}
            for event in art["events"]:
                if event["date"]:
                    total += 1
                    day = dt.date.fromisoformat(event["date"])
                    hit += day in values or day == published
    assert total > 50
    assert hit / total >= 0.95, (hit, total)


@pytest.mark.parametrize("published", ["2025-09-12", 20250912, object()])
def test_publication_of_the_wrong_type_is_ignored(published: object) -> None:
    (d,) = find_dates("freed yesterday", "en", published)  # type: ignore[arg-type]
    assert d.value is None and d.basis is DateBasis.none


MON = dt.date(2025, 9, 15)  # a Monday
PERIODS = [
    # (lang, text, published, slice, lo, hi, why)
    ("en", "arrested again in May 2020, before", MON, "May 2020", "2020-05-01", "2020-05-31", "month of a year"),
    ("en", "freed in June", MON, "June", "2025-06-01", "2025-06-30", "month alone: this year"),
    ("en", "freed in December", MON, "December", "2024-12-01", "2024-12-31", "month alone: last year"),
    ("en", "in 2020 he was jailed", MON, "2020", "2020-01-01", "2020-12-31", "year"),
    ("en", "freed last week", MON, "last week", "2025-09-02", "2025-09-14", "last week: published-13..-1"),
    ("en", "freed this week", MON, "this week", "2025-09-09", "2025-09-15", "this week"),
    ("en", "freed last month", MON, "last month", "2025-08-01", "2025-08-31", "previous calendar month"),
    ("en", "freed last year", MON, "last year", "2024-01-01", "2024-12-31", "previous calendar year"),
    ("en", "earlier this year", MON, "earlier this year", "2025-01-01", "2025-09-15", "this year so far"),
    ("ru", "на прошлой неделе, выйдя на свободу", MON, "на прошлой неделе", "2025-09-02", "2025-09-14", "ru last week"),
    ("ru", "в прошлом году", MON, "в прошлом году", "2024-01-01", "2024-12-31", "ru last year"),
    ("be", "у чэрвені", MON, "чэрвені", "2025-06-01", "2025-06-30", "be month alone"),
    ("be", "летась", MON, "летась", "2024-01-01", "2024-12-31", "be last year"),
    ("uk", "минулого тижня", MON, "минулого тижня", "2025-09-02", "2025-09-14", "uk last week"),
]


@pytest.mark.parametrize("lang,text,published,piece,lo,hi,why", PERIODS, ids=[c[6] for c in PERIODS])
def test_vague_reference_bounds_a_period(
    lang: str, text: str, published: dt.date, piece: str, lo: str, hi: str, why: str
) -> None:
    (d,) = find_dates(text, lang, published)
    assert text[d.start : d.end] == piece, why
    assert d.value is None and d.basis is DateBasis.none  # nothing else changes
    assert (d.lo, d.hi) == (dt.date.fromisoformat(lo), dt.date.fromisoformat(hi)), why


@pytest.mark.parametrize(
    "lang,text,published",
    [
        ("en", "since July 2024, 569 were freed", MON),  # an aggregate period, not an occasion's
        ("en", "jailed until 2020", MON),  # a bound
        ("ru", "с 2020 года", MON),
        ("en", "freed recently", MON),  # no period named
        ("en", "freed in June", None),  # a month alone needs the publication day
        ("en", "freed last week", None),
        ("ru", "После акции 19 декабря того же года он", MON),
    ],
)
def test_references_without_a_period(lang: str, text: str, published: dt.date | None) -> None:
    assert [(d.lo, d.hi) for d in find_dates(text, lang, published)] == [(None, None)]


def test_stated_and_relative_dates_bound_no_period() -> None:
    for d in find_dates("freed on September 11 and yesterday and on Thursday", "en", FRI):
        assert d.value is not None and d.lo is None and d.hi is None
