"""Deduplication decisions on plain data: same occasion or not, alerting or not, what changes."""

from __future__ import annotations

from datetime import date

import pytest

from rules.dedupe import (
    AlertView,
    counts_compatible,
    decide,
    fingerprint,
    is_near_duplicate,
    merge,
    opens_alert,
    same_occasion,
)
from rules.model import Certainty, DateBasis, Event, EventType

D = date.fromisoformat


def event(
    type_: str = "pardon",
    *,
    count: int | None = None,
    people: tuple[str, ...] = (),
    day: str | None = None,
    basis: DateBasis | None = None,
    certainty: str = "reported",
    place: str | None = None,
    source: str | None = None,
) -> Event:
    return Event(
        type=EventType(type_),
        certainty=Certainty(certainty),
        count=count,
        people=people,
        date=D(day) if day else None,
        place=place,
        evidence="...",
        date_basis=basis or (DateBasis.stated if day else DateBasis.none),
        source=source,
    )


def alert(e: Event, *, id_: int = 1, reported_on: str | None = None) -> AlertView:
    return AlertView(
        id=id_,
        type=e.type,
        certainty=e.certainty,
        count=e.count,
        people=e.people,
        date=e.date,
        date_basis=e.date_basis,
        place=e.place,
        source=e.source,
        ref_date=e.date or D(reported_on or "2025-01-01"),
        alerting=True,
    )


@pytest.mark.parametrize(
    ("a", "b", "strict", "same"),
    [
        (52, 52, True, True),
        (None, 52, True, True),
        (50, 52, True, True),  # "more than 50"
        (100, 123, True, True),  # "more than a hundred"
        (1300, 1400, True, False),  # rounded 1,300 is not 1,400
        (51, 52, True, True),
        (20, 22, False, True),  # political-prisoner subset of a release
        (22, 24, True, False),
        (14, 52, False, False),
        (16, 52, False, False),
    ],
)
def test_counts_compatible(a, b, strict, same):
    assert counts_compatible(a, b, strict=strict) is same


def test_same_day_in_three_scripts_is_one_occasion():
    first = alert(event(count=52, people=("Mikola Statkevich",), day="2025-09-11"))
    ru = event(count=52, people=("Николай Статкевич",), day="2025-09-11")
    be = event(count=51, people=("Мікола Статкевіч",), day="2025-09-12")
    assert same_occasion(first, ru, D("2025-09-11"))
    assert same_occasion(first, be, D("2025-09-13"))


def test_different_days_with_equal_counts_are_two_occasions():
    first = alert(event(count=52, day="2025-09-11"))
    assert same_occasion(first, event(count=52, day="2025-09-16"), D("2025-09-16")) is None


def test_type_and_certainty_separate_occasions():
    pardon = alert(event(count=14, day="2025-06-21"))
    assert (
        same_occasion(pardon, event("deportation", count=14, day="2025-06-21"), D("2025-06-21"))
        is None
    )
    expected = alert(event(count=1300, certainty="expected"), reported_on="2025-08-15")
    assert same_occasion(expected, event(count=1300, day="2025-08-16"), D("2025-08-16")) is None


def test_tallies_of_two_sources_on_one_day_are_two():
    viasna = alert(event("tally", count=1184, day="2025-09-18", source="Viasna"))
    other = event("tally", count=1184, day="2025-09-18", source="Dissidentby")
    assert same_occasion(viasna, other, D("2025-09-18")) is None
    assert same_occasion(
        viasna, event("tally", count=1184, day="2025-09-18", source="viasna"), D("2025-09-18")
    )


def test_rearrest_of_another_person_same_day_is_another_occasion():
    first = alert(event("rearrest", people=("Mikola Statkevich",), day="2025-09-15"))
    assert (
        same_occasion(
            first, event("rearrest", people=("Ihar Losik",), day="2025-09-15"), D("2025-09-15")
        )
        is None
    )


def test_undated_recall_folds_by_person_or_count_within_horizon():
    first = alert(event(count=123, people=("Ales Bialiatski",), day="2025-12-13"))
    by_person = event(count=100, people=("Алесь Бяляцкі",))
    assert same_occasion(first, by_person, D("2025-12-30"))
    assert same_occasion(first, event(count=123), D("2025-12-30"))
    assert same_occasion(first, event(count=123), D("2026-03-30")) is None  # beyond a month
    assert same_occasion(first, event(count=16), D("2025-12-30")) is None
    assert same_occasion(first, event(), D("2025-12-30")) is None  # nothing ties it


def test_undated_deportation_folds_by_destination_across_scripts():
    first = alert(event("deportation", count=52, day="2025-09-11", place="Lithuania"))
    assert same_occasion(first, event("deportation", place="Литва"), D("2025-09-15"))
    assert same_occasion(first, event("deportation", place="Ukraine"), D("2025-09-15")) is None


def test_rumour_joins_a_reported_alert_only_by_person():
    reported = alert(event("rearrest", people=("Mikola Statkevich",)), reported_on="2025-09-15")
    rumour = event("rearrest", people=("Мікалай Статкевіч",), certainty="expected")
    assert same_occasion(reported, rumour, D("2025-09-15"))
    assert same_occasion(reported, event("rearrest", certainty="expected"), D("2025-09-15")) is None


@pytest.mark.parametrize(
    ("e", "published", "backlog", "alerting"),
    [
        (event(day="2025-09-11"), "2025-09-18", False, True),
        (event(day="2025-09-10"), "2025-09-18", False, False),  # 8 days old
        (event(day="2020-05-31"), "2025-09-15", False, False),
        (event(), "2025-09-15", False, False),  # vague: "in June"
        (event(day="2025-09-15", basis=DateBasis.published), "2025-09-15", False, True),
        (event(certainty="expected"), "2025-09-15", False, True),
        (event(day="2025-09-15"), "2025-09-15", True, False),
    ],
)
def test_opens_alert(e, published, backlog, alerting):
    ok, why = opens_alert(e, D(published), backlog=backlog)
    assert ok is alerting and why


def test_merge_reports_only_visible_news():
    a = alert(event(people=("Ryhor Kastusioŭ",), day="2024-07-03"))
    assert merge(a, event(people=("Ryhor Kastusiou",), day="2024-07-03")) == {}
    patch = merge(a, event(count=17, people=("Ryhor Kastusiou", "Ihar Losik")))
    assert patch == {"count": 17, "people": ["Ryhor Kastusioŭ", "Ihar Losik"]}
    undated = alert(event("rearrest", people=("Statkevich",)), reported_on="2025-09-15")
    assert merge(undated, event("rearrest", people=("Statkevich",), day="2025-09-13"))["date"] == D(
        "2025-09-13"
    )


def test_merge_replaces_a_rounded_count_by_the_exact_one():
    a = alert(event(count=100, day="2025-12-13"))
    assert merge(a, event(count=123, day="2025-12-13")) == {"count": 123}
    assert merge(alert(event(count=123, day="2025-12-13")), event(count=100)) == {}
    assert merge(alert(event(count=52, day="2025-09-11")), event(count=51)) == {}


def test_decide_prefers_the_person_over_a_bare_same_day_match():
    today = alert(event(count=20, day="2025-12-30"), id_=2)
    september = alert(event(count=52, people=("Mikola Statkevich",), day="2025-09-11"), id_=1)
    d = decide(
        event(people=("Mikola Statkevich",)),
        [today, september],
        published=D("2025-12-30"),
        backlog=False,
    )
    assert (d.action, d.alert_id) == ("merge", 1)


def test_decide_keeps_a_second_event_of_one_article_apart_unless_same_day():
    first = alert(event("rearrest", people=("Statkevich",)), reported_on="2025-09-15")
    second = event("rearrest", people=("Statkevich",))
    d = decide(second, [first], published=D("2025-09-15"), backlog=False, used=frozenset({1}))
    assert d.action == "new" and d.alerting is False
    dated = alert(event(count=52, day="2025-09-11"))
    d = decide(
        event(count=51, day="2025-09-11"),
        [dated],
        published=D("2025-09-11"),
        backlog=False,
        used=frozenset({1}),
    )
    assert (d.action, d.alert_id) == ("merge", 1)


def test_decision_json_names_the_alert_and_why():
    d = decide(
        event(count=52, day="2025-09-11"),
        [alert(event(day="2025-09-11"))],
        published=D("2025-09-12"),
        backlog=False,
    )
    assert d.to_json() == {
        "action": "merge",
        "alerting": True,
        "alert": 1,
        "score": 2.5,
        "changed": ["count"],
        "why": d.reason,
    }
    assert "same day" in d.reason


def test_near_duplicate_needs_the_same_numbers():
    text = "Belarus freed 52 political prisoners on Thursday, who were taken to Lithuania, officials said."
    a = fingerprint("Belarus frees 52 political prisoners", text)
    reprint = fingerprint(
        "Belarus frees 52 political prisoners.", text.replace("officials said", "officials say")
    )
    other = fingerprint("Belarus frees 25 political prisoners", text.replace("52", "25"))
    assert is_near_duplicate(a, reprint)
    assert not is_near_duplicate(a, other)


def test_news_of_the_day_about_a_person_is_not_an_old_occasion():
    september = alert(event(people=("Mikola Statkevich",), day="2025-09-11"))
    today = event(people=("Statkevich",), day="2026-02-02", basis=DateBasis.published)
    assert same_occasion(september, today, D("2026-02-02")) is None
    recall = event(people=("Statkevich",))  # vague: "freed last September"
    assert same_occasion(september, recall, D("2026-02-02"))
    late = event(people=("Statkevich",), day="2025-09-15", basis=DateBasis.published)
    assert same_occasion(september, late, D("2025-09-15"))
