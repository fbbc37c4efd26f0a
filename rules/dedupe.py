"""Deduplication, decided purely: is an event the same occasion as an open alert, and what changes.

No I/O and no clock: the caller passes candidate alerts, the event and the article's
publication day. Storage and transactions belong to bot.pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from rapidfuzz import fuzz

from rules import names
from rules.extract.places import find_places
from rules.model import Certainty, DateBasis, Event, EventType

FRESH_DAYS = 7  # EVENTS.md: an occasion at most 7 days old opens an alert
PERSON_HORIZON = 365  # a named person ties a later mention to an occasion up to a year back
COUNT_HORIZON = 30  # a bare count or destination only within a month
NEAR_DUP_SCORE = 90  # rapidfuzz ratio over normalised title + lead
LEAD_CHARS = 400

_FIRM = {DateBasis.stated, DateBasis.relative}


@dataclass(frozen=True)
class AlertView:
    """An alert as deduplication sees it, loaded by bot.store.alerts for `decide`."""

    id: int
    type: EventType
    certainty: Certainty
    count: int | None
    people: tuple[str, ...]
    ref_date: date  # the occasion's date, or the first report's publication day when unknown
    date: date | None
    date_basis: DateBasis
    place: str | None
    source: str | None
    alerting: bool


@dataclass(frozen=True)
class Match:
    """Why an event is the same occasion as an alert; higher scores win."""

    score: float
    near: bool  # dates agree (± 1 day), as opposed to a later recall of the occasion
    reason: str


@dataclass(frozen=True)
class Decision:
    """What to do with one event, from `decide` to the pipeline (and events.decision)."""

    action: str  # "new" | "merge"
    alerting: bool
    reason: str
    alert_id: int | None = None
    score: float | None = None
    patch: dict[str, object] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        action = "stored" if self.action == "new" and not self.alerting else self.action
        out: dict[str, object] = {"action": action, "alerting": self.alerting}
        if self.alert_id is not None:
            out["alert"] = self.alert_id
            out["score"] = self.score
            out["changed"] = sorted(self.patch)
        out["why"] = self.reason
        return out


@lru_cache(maxsize=65536)
def same_person(a: str, b: str) -> bool:
    """Do two written names denote one person (across scripts and transliterations)?"""
    return a.casefold() == b.casefold() or names.same_person(a, b)


# Equal keys are necessary for same_person: a cheap filter before it.
name_key = lru_cache(maxsize=65536)(names.name_key)


def shares_person(a: Iterable[str], b: Iterable[str]) -> bool:
    """Does any name of `a` denote a person named in `b`?"""
    by_key: dict[str, list[str]] = {}
    for y in b:
        by_key.setdefault(name_key(y), []).append(y)
    return any(same_person(x, y) for x in a for y in by_key.get(name_key(x), ()))


def _round_unit(n: int) -> int:
    unit = 1
    while n and n % (unit * 10) == 0:
        unit *= 10
    return unit


def counts_compatible(a: int | None, b: int | None, *, strict: bool = False) -> bool:
    """Equal, one missing, a rounded lower bound ("more than 50" ~ 52), or close.

    Close is within 0.2% when `strict`, else the smaller at least 85% of the larger
    (a political-prisoner subset of a release, a late correction 51 -> 52).
    """
    if a is None or b is None or a == b:
        return True
    lo, hi = sorted((a, b))
    unit = _round_unit(lo)
    if unit >= 10 and hi < lo + unit:
        return True
    if strict:
        return hi - lo <= max(1, hi // 500)
    return lo >= 0.85 * hi


@lru_cache(maxsize=4096)
def _place_keys(place: str | None) -> frozenset[str]:
    """Canonical country names in a place field written in any of our languages."""
    if not place:
        return frozenset()
    found = {p.place for lang in ("en", "ru", "be") for p in find_places(place, lang)}
    return frozenset(found or {place.strip().casefold()})


def _firm(d: date | None, basis: DateBasis) -> bool:
    return d is not None and basis in _FIRM


def _dated(d: date | None, basis: DateBasis) -> bool:
    return d is not None and basis != DateBasis.none


def _datable(d: date | None, basis: DateBasis, certainty: Certainty) -> bool:
    # An expected event has no occasion day yet: the day it is reported stands in for it.
    return _firm(d, basis) or basis == DateBasis.published or certainty == Certainty.expected


def in_period(d: date, period: tuple[date, date]) -> bool:
    """Does day `d` lie in `period` (± 1 day, a late report or another timezone)?"""
    return period[0] - timedelta(days=1) <= d <= period[1] + timedelta(days=1)


def is_bare(event: Event) -> bool:
    """A mention with nothing of its own but a type ("was soon after re-arrested"): no day,
    count, person, place or source. The pipeline folds these after an article's others."""
    return (
        event.date is None
        and event.count is None
        and not event.people
        and not event.place
        and not event.source
    )


def same_occasion(alert: AlertView, event: Event, published: date) -> Match | None:
    """Is `event` (from an article published on `published`) the occasion of `alert`?"""
    if alert.type != event.type:
        return None
    if (
        event.date is None
        and event.period is not None
        and event.certainty == Certainty.reported
        and alert.date is not None
    ):
        if not in_period(alert.date, event.period):
            return None  # "in May 2020" is not the occasion of 11 September 2025
    if alert.certainty != event.certainty:
        # A reported event never joins an expected alert; an expected (rumoured) mention
        # joins a reported alert only when it names the same person.
        if event.certainty == Certainty.reported:
            return None
        person = shares_person(alert.people, event.people)
        days = abs(((event.date or published) - alert.ref_date).days)
        if not person or days > PERSON_HORIZON:
            return None
        return Match(1.5 - days / 1000, False, "a rumour of the reported occasion, same person")
    if event.type == EventType.tally and alert.source and event.source:
        if alert.source.casefold() != event.source.casefold():
            return None
    ev_ref = event.date or published
    days = abs((ev_ref - alert.ref_date).days)
    ev_firm, al_firm = _firm(event.date, event.date_basis), _firm(alert.date, alert.date_basis)
    person = shares_person(alert.people, event.people)
    # Loose counts (a subset, a correction) only between reported events with a day each.
    dated = _dated(event.date, event.date_basis) and _dated(alert.date, alert.date_basis)
    loose = dated and event.type != EventType.tally and event.certainty == Certainty.reported
    strict = not loose
    counts_ok = counts_compatible(alert.count, event.count, strict=strict)
    both_counts = alert.count is not None and event.count is not None
    near = days <= 1 and (
        (ev_firm and al_firm)
        or (
            _datable(event.date, event.date_basis, event.certainty)
            and _datable(alert.date, alert.date_basis, alert.certainty)
        )
    )
    if near:
        if person:
            return Match(4.0, True, f"same day ± 1 and same person ({days} d apart)")
        if event.type == EventType.rearrest and alert.people and event.people:
            return None  # a rearrest is one person's: other names are another occasion
        if counts_ok:
            bonus = (1.0 if both_counts else 0.0) + (0.5 if days == 0 else 0.0)
            return Match(2.0 + bonus, True, f"same day ± 1, counts {alert.count}/{event.count}")
        return None
    if ev_firm and al_firm:
        return None  # two dated occasions on different days are two events
    if event.type == EventType.tally:
        return None  # a total is as of its day; an undated one recalls nothing
    # One side is undated: a later article recalling the occasion, or a report that is late.
    later, earlier = (ev_ref, alert.ref_date) if not ev_firm else (alert.ref_date, ev_ref)
    if (later - earlier).days < -1:
        return None
    # "News of the day" is about the day it was published: a person ties it only to a
    # recent occasion, while a vague mention ("was freed last year") may reach back far.
    news_of_day = DateBasis.published in (
        event.date_basis,
        alert.date_basis if ev_firm else None,
    )
    horizon = COUNT_HORIZON if news_of_day else PERSON_HORIZON
    if person and days <= horizon:
        # A recall most likely means the occasion subscribers were told of.
        score = 3.0 - days / 1000 + (0.01 if alert.alerting else 0.0)
        return Match(score, False, f"recalls the same person, {days} d apart")
    if days > COUNT_HORIZON or not counts_ok:
        return None
    if both_counts and counts_compatible(alert.count, event.count, strict=True):
        return Match(2.0 - days / 1000, False, f"recalls count {event.count}, {days} d apart")
    if event.type == EventType.deportation and _place_keys(alert.place) & _place_keys(event.place):
        return Match(1.0 - days / 1000, False, f"recalls a deportation to {event.place}")
    return None


def opens_alert(event: Event, published: date, *, backlog: bool) -> tuple[bool, str]:
    """May this event, reported first by an article of `published`, alert subscribers?"""
    if backlog:
        return False, "first poll of a newly added feed (backlog)"
    if event.date is None:
        if event.certainty == Certainty.expected:
            return True, "expected occasion reported as news"
        if event.date_basis == DateBasis.published:
            return True, "undated news of the day"
        return False, "vague or unknown date"
    age = (published - event.date).days
    if age > FRESH_DAYS:
        return False, f"occasion {event.date} is {age} days before the first report"
    if event.date_basis == DateBasis.published:
        return True, "undated news of the day"
    return True, f"occasion {age} day(s) before the first report"


def merge(alert: AlertView, event: Event) -> dict[str, object]:
    """What `event` adds to `alert` that a subscriber would see: only the changed fields."""
    patch: dict[str, object] = {}
    if event.count is not None and (alert.count is None or _refines(alert.count, event.count)):
        patch["count"] = event.count
    new_people = [p for p in event.people if not shares_person(alert.people, [p])]
    if new_people:
        patch["people"] = list(alert.people) + _distinct(new_people)
    if event.place and not _place_keys(event.place) <= _place_keys(alert.place):
        patch["place"] = event.place if not alert.place else f"{alert.place}, {event.place}"
    if (
        event.date
        and _firm(event.date, event.date_basis)
        and not _firm(alert.date, alert.date_basis)
    ):
        patch["date"] = event.date
        patch["date_basis"] = event.date_basis
    return patch


def _refines(rounded: int, exact: int) -> bool:
    """Is `exact` the figure behind a rounded "more than `rounded`"?"""
    unit = _round_unit(rounded)
    return unit >= 10 and rounded < exact < rounded + unit


def _distinct(names: Sequence[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        if not shares_person(out, [n]):
            out.append(n)
    return out


def decide(
    event: Event,
    candidates: Iterable[AlertView],
    *,
    published: date,
    backlog: bool,
    used: frozenset[int] = frozenset(),
) -> Decision:
    """Fold `event` into the best matching candidate, or open a new alert.

    `used` holds alerts this article already fed with another event: a second event
    of one article is another occasion unless its day agrees with that alert's, or it is
    a bare mention whose period ("last week") holds the day of exactly one of them.
    """
    candidates = list(candidates)
    if is_bare(event) and event.period is not None and event.certainty == Certainty.reported:
        own = [
            a for a in candidates
            if a.id in used and a.type == event.type and a.certainty == event.certainty
            and a.date is not None and in_period(a.date, event.period)
        ]  # fmt: skip
        if len(own) == 1:
            lo, hi = event.period
            why = f"a bare mention of this article's occasion of {own[0].date} ({lo}..{hi})"
            return Decision("merge", own[0].alerting, why, own[0].id, 1.0, merge(own[0], event))
    best: tuple[Match, AlertView] | None = None
    for alert in candidates:
        m = same_occasion(alert, event, published)
        if m is None or (alert.id in used and not m.near):
            continue
        if best is None or (m.score, -alert.id) > (best[0].score, -best[1].id):
            best = (m, alert)
    if best is not None:
        m, alert = best
        return Decision(
            "merge", alert.alerting, m.reason, alert.id, round(m.score, 3), merge(alert, event)
        )
    alerting, why = opens_alert(event, published, backlog=backlog)
    return Decision("new", alerting, why)


@dataclass(frozen=True)
class Window:
    """Where candidate alerts for an event lie: dated in [lo, hi], and a dated-for-sure
    one no later than firm_hi; undated alerts first reported in [lo, hi]."""

    lo: date
    hi: date
    firm_hi: date


def candidate_window(event: Event, published: date) -> Window:
    """The dates `same_occasion` could accept for this event, for the store's query."""
    if _firm(event.date, event.date_basis):
        assert event.date is not None
        return Window(
            event.date - timedelta(days=1),
            event.date + timedelta(days=PERSON_HORIZON + 1),
            event.date + timedelta(days=1),
        )
    ref = event.date or published
    late = ref + timedelta(days=1)
    lo = ref - timedelta(days=PERSON_HORIZON + 1)
    if is_bare(event) and event.period is not None:
        lo = min(lo, event.period[0] - timedelta(days=1))  # an older occasion of its article
    return Window(lo, late, late)


def _normalise(title: str, text: str) -> str:
    s = f"{title} {text[:LEAD_CHARS]}".casefold()
    return " ".join(re.findall(r"\w+", s))


def fingerprint(title: str, text: str) -> tuple[str, frozenset[str]]:
    """Normalised title + lead, and the numbers in it (which must agree for a reprint)."""
    norm = _normalise(title, text)
    return norm, frozenset(re.findall(r"\d+", norm))


def is_near_duplicate(a: tuple[str, frozenset[str]], b: tuple[str, frozenset[str]]) -> bool:
    """Is one article a reprint of the other (wire copy), by fingerprints?"""
    if a[1] != b[1]:
        return False  # "1,184 as of 18 September" and "1,185 as of 19 September" differ
    return fuzz.ratio(a[0], b[0], score_cutoff=NEAR_DUP_SCORE) > 0
