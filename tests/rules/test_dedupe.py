"""Deduplication decisions on plain data: same occasion or not, alerting or not, what changes."""

from __future__ import annotations

from datetime import date

import pytest

from rules.dedupe import (
    AlertView,
    candidate_window,
    counts_compatible,
    decide,
    fingerprint,
    is_bare,
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
    period: tuple[str, str] | None = None,
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
        period=(D(period[0]), D(period[1])) if period else None,
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


LAST_WEEK = ("2025-09-02", "2025-09-14")  # "last week" in an article of Monday 15 September
MAY_2020 = ("2020-05-01", "2020-05-31")


def _fed_by_the_article() -> AlertView:
    return alert(event("rearrest", count=52, people=("Statkevich",), day="2025-09-11"), id_=7)


def test_a_bare_mention_last_week_folds_into_the_articles_fresh_occasion():
    bare = event("rearrest", period=LAST_WEEK)
    assert is_bare(bare)
    d = decide(bare, [_fed_by_the_article()], published=D("2025-09-15"), backlog=False,
               used=frozenset({7}))
    assert (d.action, d.alert_id, d.alerting, d.patch) == ("merge", 7, True, {})
    assert "bare mention" in d.reason


def test_a_bare_mention_in_may_2020_stays_apart_from_the_2025_occasion():
    old = event("rearrest", period=MAY_2020)
    d = decide(old, [_fed_by_the_article()], published=D("2025-09-15"), backlog=False,
               used=frozenset({7}))
    assert d.action == "new" and d.alerting is False


def test_a_bare_mention_without_a_period_stays_as_before():
    d = decide(event("rearrest"), [_fed_by_the_article()], published=D("2025-09-15"),
               backlog=False, used=frozenset({7}))
    assert d.action == "new" and d.alerting is False


def test_a_bare_mention_folds_only_into_an_alert_of_its_article_type_and_certainty():
    fed = _fed_by_the_article()
    published = D("2025-09-15")
    # Not fed by this article: no fold by period alone.
    d = decide(event("rearrest", period=LAST_WEEK), [fed], published=published, backlog=False)
    assert d.action == "new"
    d = decide(event("rearrest", period=LAST_WEEK, certainty="expected"), [fed],
               published=published, backlog=False, used=frozenset({7}))
    assert d.action == "new"
    # Two occasions of the article in the period: which one is meant is unknown.
    other = alert(event("rearrest", people=("Losik",), day="2025-09-12"), id_=8)
    d = decide(event("rearrest", period=LAST_WEEK), [fed, other], published=published,
               backlog=False, used=frozenset({7, 8}))
    assert d.action == "new"


def test_a_bare_mention_reaches_an_old_occasion_of_its_article():
    old = alert(event("rearrest", people=("Statkevich",), day="2020-05-31"), id_=3)
    bare = event("rearrest", period=MAY_2020)
    window = candidate_window(bare, D("2025-09-15"))
    assert window.lo <= D("2020-05-31") <= window.hi
    d = decide(bare, [old], published=D("2025-09-15"), backlog=False, used=frozenset({3}))
    assert (d.action, d.alert_id) == ("merge", 3)


def test_a_period_rules_out_alerts_dated_outside_it():
    fed = _fed_by_the_article()
    recall = event("rearrest", people=("Statkevich",), period=MAY_2020)
    assert same_occasion(fed, recall, D("2025-09-15")) is None
    recall = event("rearrest", people=("Statkevich",), period=LAST_WEEK)
    assert same_occasion(fed, recall, D("2025-09-15")) is not None
    # ± 1 day at either end of the period
    edge = event("rearrest", people=("Statkevich",), period=("2025-09-12", "2025-09-14"))
    assert same_occasion(fed, edge, D("2025-09-15")) is not None
    assert same_occasion(fed, event("rearrest", people=("Statkevich",)), D("2025-09-15"))


def test_detected_periods_fold_the_fresh_mention_and_keep_the_old_one_apart():
    from rules.detect import detect_events

    published = D("2025-09-15")
    fed = _fed_by_the_article()
    ru = detect_events(
        "Статкевич снова в колонии",
        "Николай Статкевич, политзаключенный, снова находится в колонии в Глубоком. "
        "Назад за решетку он попал после того, как на прошлой неделе, выйдя на свободу, "
        "отказался уезжать из страны.",
        "ru", published,
    )
    bare = [e for e in ru if e.type == EventType.rearrest and is_bare(e)]
    assert bare and bare[0].period == (D(LAST_WEEK[0]), D(LAST_WEEK[1]))
    d = decide(bare[0], [fed], published=published, backlog=False, used=frozenset({7}))
    assert (d.action, d.alert_id) == ("merge", 7)
    en = detect_events(
        "Statkevich back in prison",
        "Mikola Statkevich, freed on 11 September, is back in prison after refusing to leave "
        "Belarus.\n\nHe was arrested again in May 2020, before the protests, and sentenced "
        "to 14 years.",
        "en", published,
    )
    old = [e for e in en if e.type == EventType.rearrest and e.date is None]
    assert old and old[0].period == (D(MAY_2020[0]), D(MAY_2020[1]))
    d = decide(old[0], [fed], published=published, backlog=False, used=frozenset({7}))
    assert d.action == "new" and d.alerting is False
